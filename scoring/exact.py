"""Exact non-negative rationals as (numerator, denominator) pairs of ints, and the plain values.

The scoring hot path works on int pairs rather than ``Fraction`` objects: comparisons are
cross-multiplications and the final rounding is one integer division, so nothing is allocated
that outlives a score. Floats (what spreadsheet readers give for 16%) are taken as the decimal
they print as — 0.16 is 16/100, never the binary 0.16000000000000000333.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, TypeAlias

from .model import Band

Number: TypeAlias = int | Fraction
Pair: TypeAlias = tuple[int, int]  # an exact non-negative rational n/d, d > 0
#: a band compiled to pairs: (lower, lower inclusive, upper or None, upper inclusive, fraction)
BandPairs: TypeAlias = tuple[Pair, bool, Pair | None, bool, Pair]
ONE: Pair = (1, 1)
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


def cents_of(max_pair: Pair, n: int, d: int) -> int:
    """ROUND(max · n/d, 2) in hundredths, half up, as Excel rounds a positive number."""
    mn, md = max_pair
    return (200 * mn * n + md * d) // (2 * md * d)


def float_pair(v: float) -> Pair:
    """The decimal a finite float prints as, as an exact pair (0.16 → (16, 100))."""
    text = repr(v)
    if "e" in text or "n" in text:
        f = Fraction(text)
        return (f.numerator, f.denominator)
    whole, _, decimals = text.partition(".")
    return (int(whole + decimals), 10 ** len(decimals))


_FLOAT_PAIRS: dict[float, Pair] = {}


def plain_pair(v: Any) -> Pair | None:
    """A non-negative int or finite float as an exact (unreduced) decimal pair, else None."""
    if type(v) is int:
        return (v, 1) if v >= 0 else None
    if type(v) is float:
        p = _FLOAT_PAIRS.get(v)
        if p is None and 0 <= v < float("inf"):
            p = float_pair(v)
            if len(_FLOAT_PAIRS) < 65536:  # percentages repeat: 0.16, 0.5 …
                _FLOAT_PAIRS[v] = p
        return p
    return None


def sum_pair(vals: Mapping[str, Any], names: Sequence[str]) -> Pair | None:
    """The sum of plain numbers as a pair; (1, 1) for no names (a one-input rule's b)."""
    if not names:
        return ONE
    total = 0
    for name in names:  # whole numbers, what units type nearly always
        v = vals.get(name)
        if type(v) is not int or v < 0:
            break
        total += v
    else:
        return (total, 1)
    n, d = 0, 1
    for name in names:
        p = plain_pair(vals.get(name))
        if p is None:
            return None
        n, d = (n + p[0], d) if p[1] == d else (n * p[1] + p[0] * d, d * p[1])
    return (n, d)
