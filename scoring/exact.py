"""Exact non-negative rationals as (numerator, denominator) pairs of ints.

The scoring hot path works on int pairs rather than ``Fraction`` objects: comparisons are
cross-multiplications and the final rounding is one integer division, so nothing is allocated
that outlives a score. Floats (what spreadsheet readers give for 16%) are taken as the decimal
they print as — 0.16 is 16/100, never the binary 0.16000000000000000333.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import TypeAlias

from .model import Band

Number: TypeAlias = int | Fraction
Pair: TypeAlias = tuple[int, int]  # an exact non-negative rational n/d, d > 0
#: a band compiled to pairs: (lower, lower inclusive, upper or None, upper inclusive, fraction)
BandPairs: TypeAlias = tuple[Pair, bool, Pair | None, bool, Pair]
ZERO: Pair = (0, 1)


def pair(x: Number) -> Pair:
    if type(x) is int:
        return (x, 1)
    return (x.numerator, x.denominator)


def band_pairs(bands: Iterable[Band]) -> tuple[BandPairs, ...]:
    out = []
    for b in bands:
        lo = pair(b.lower) if b.lower is not None else ZERO
        hi = pair(b.upper) if b.upper is not None else None
        out.append((lo, b.lower_inclusive, hi, b.upper_inclusive, pair(b.fraction)))
    return tuple(out)


def in_band(r: Pair, band: BandPairs) -> bool:
    lo, lo_inc, hi, hi_inc, _ = band
    left = r[0] * lo[1] - lo[0] * r[1]  # sign of r − lo
    if left < 0 or (left == 0 and not lo_inc):
        return False
    if hi is None:
        return True
    right = hi[0] * r[1] - r[0] * hi[1]  # sign of hi − r
    return right > 0 or (right == 0 and hi_inc)


def float_pair(v: float) -> Pair:
    """The decimal a finite float prints as, as an exact pair (0.16 → (16, 100))."""
    text = repr(v)
    if "e" in text or "n" in text:
        f = Fraction(text)
        return (f.numerator, f.denominator)
    whole, _, decimals = text.partition(".")
    return (int(whole + decimals), 10 ** len(decimals))
