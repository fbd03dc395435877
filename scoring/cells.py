"""The plain case of each indicator, scored in one small function per cell.

Nearly every figure a unit sends is plain: whole numbers with a part no greater than its whole,
"Có"/"Không" from the template's list, a listed choice, a percentage. A *cell* scores such a
value straight to cents and returns None for anything else (blank, text, zero denominator, a part
above its whole …), which the general evaluator then scores with its findings. Both paths give
the same cents; a property test checks it on random figures.

The batch calls the cells unit by unit (each unit's figures lie together in memory), and the
cells allocate nothing that outlives them, so 510,000 scores need no per-score objects. The
measured quantity (the ratio, the growth) of a plain cell is recomputed on demand by
``remeasure``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from .exact import ONE, ZERO, Pair, band_pairs, cents_of, in_band, pair, plain_pair, sum_pair
from .findings import Status
from .model import (
    CappedCount,
    Choice,
    GatedTiers,
    Growth,
    Indicator,
    MinMax,
    PartRule,
    Ratio,
    RatioTarget,
    Steps,
    SumOfParts,
    YesNo,
)
from .rounding import round_cents

Cell: TypeAlias = Callable[[Mapping[str, Any]], int | None]
Remeasure: TypeAlias = Callable[[Mapping[str, Any]], Pair | None]
#: the plain score of a/b (b > 0) as (cents, measure), or None when it needs the general path
Kernel: TypeAlias = Callable[[int, int], tuple[int, Pair] | None]


@dataclass(frozen=True, slots=True)
class CellPlan:
    cell: Cell
    status: Status  # of a plain cell: SCORED, or PENDING for min-max before normalisation
    remeasure: Remeasure | None = None


def _never(vals: Mapping[str, Any]) -> int | None:
    return None


def compile_cell(ind: Indicator) -> CellPlan:
    """The cell of one indicator (one that always defers when the indicator has constraints)."""
    max_pair = pair(ind.max)
    full = cents_of(max_pair, 1, 1)
    rule = ind.rule
    if ind.constraints:
        return CellPlan(_never, Status.SCORED)
    if isinstance(rule, YesNo | Choice):
        return CellPlan(_listed(rule, ind, lambda f: cents_of(max_pair, *f)), Status.SCORED)
    if isinstance(rule, SumOfParts):
        return _parts(rule, ind, max_pair)
    if isinstance(rule, GatedTiers):
        return _gated(rule, max_pair)
    if isinstance(rule, Ratio) and len(rule.numerator) == 1 and len(rule.denominator) == 1:
        return _simple_ratio(rule.numerator[0], rule.denominator[0], max_pair)
    kernel = _kernel(ind, max_pair, full)
    if kernel is None:
        return CellPlan(_never, Status.SCORED)
    num, den, fn = kernel

    def remeasure(vals: Mapping[str, Any]) -> Pair | None:
        x, y = sum_pair(vals, num), sum_pair(vals, den)
        row = fn(x[0] * y[1], x[1] * y[0]) if x and y and y[0] else None
        return None if row is None else row[1]

    status = Status.PENDING if isinstance(rule, MinMax) else Status.SCORED
    if len(num) == 1 and len(den) <= 1:
        a_name = num[0]
        b_name = den[0] if den else None

        def two_numbers(vals: Mapping[str, Any]) -> int | None:
            a = vals.get(a_name)
            b = vals.get(b_name) if b_name is not None else 1
            if type(a) is int and type(b) is int:
                row = fn(a, b) if a >= 0 and b > 0 else None
            else:  # decimals, e.g. percentages read as floats: a/b = (an·bd)/(ad·bn)
                pa, pb = plain_pair(a), plain_pair(b)
                row = fn(pa[0] * pb[1], pa[1] * pb[0]) if pa and pb and pb[0] else None
            return None if row is None else row[0]

        return CellPlan(two_numbers, status, remeasure)

    def two_sums(vals: Mapping[str, Any]) -> int | None:
        x, y = sum_pair(vals, num), sum_pair(vals, den)
        row = fn(x[0] * y[1], x[1] * y[0]) if x and y and y[0] else None
        return None if row is None else row[0]

    return CellPlan(two_sums, status, remeasure)


def _listed(rule: YesNo | Choice, ind: Indicator, score: Callable[[Pair], Any]) -> Callable[[Mapping[str, Any]], Any]:
    """Yes/no or a choice, from the exact text of the template's list."""
    name = rule.input
    exact: dict[str, Any] = (
        {"Có": score(ONE), "Không": score(ZERO)}
        if isinstance(rule, YesNo)
        else {o.label: score(pair(o.fraction)) for o in ind.input(name).options}
    )

    def listed(vals: Mapping[str, Any]) -> Any:
        v = vals.get(name)
        return exact.get(v) if type(v) is str else None

    return listed


def _simple_ratio(a_name: str, b_name: str, max_pair: Pair) -> CellPlan:
    """a/b of whole numbers, the most common indicator of all, fully inlined.

    ROUND(max · a/b, 2) in cents is ⌊(k·a + m·b) / 2m·b⌋; a = b gives the maximum.
    """
    mn, md = max_pair
    k, m2 = 200 * mn, 2 * md

    def ratio(a: int, b: int) -> tuple[int, Pair] | None:
        return None if a > b else (cents_of(max_pair, a, b), (a, b))

    def cell(vals: Mapping[str, Any]) -> int | None:
        a = vals.get(a_name)
        b = vals.get(b_name)
        if type(a) is int and type(b) is int and 0 <= a <= b and b:
            return (k * a + md * b) // (m2 * b)
        pa, pb = plain_pair(a), plain_pair(b)
        row = ratio(pa[0] * pb[1], pa[1] * pb[0]) if pa and pb and pb[0] else None
        return None if row is None else row[0]

    def remeasure(vals: Mapping[str, Any]) -> Pair | None:
        pa, pb = plain_pair(vals.get(a_name)), plain_pair(vals.get(b_name))
        row = ratio(pa[0] * pb[1], pa[1] * pb[0]) if pa and pb and pb[0] else None
        return None if row is None else row[1]

    return CellPlan(cell, Status.SCORED, remeasure)


def _kernel(ind: Indicator, max_pair: Pair, full: int) -> tuple[tuple[str, ...], tuple[str, ...], Kernel] | None:
    """For rules on one or two (sums of) numbers: the input names and the plain score of a/b.

    The kernel gets the figures as a ratio a/b of whole numbers, b > 0 (b = 1 for a one-input
    rule), and returns None for what needs findings (a part above its whole).
    """
    mn, md = max_pair
    match ind.rule:
        case Ratio(numerator=num, denominator=den) | RatioTarget(numerator=num, denominator=den):
            tn, td = pair(ind.rule.target) if isinstance(ind.rule, RatioTarget) else (1, 1)

            def ratio(a: int, b: int) -> tuple[int, Pair] | None:
                if a > b:
                    return None
                if a * td >= tn * b:
                    return (full, (a, b))
                return (cents_of(max_pair, a * td, b * tn), (a, b))

            return num, den, ratio
        case Steps(numerator=num, denominator=den, bands=bands):
            steps = [(band, cents_of(max_pair, *band[4])) for band in band_pairs(bands)]

            def in_steps(a: int, b: int) -> tuple[int, Pair] | None:
                if a > b:
                    return None
                r = (a, b)
                for band, c in steps:
                    if in_band(r, band):
                        return (c, r)
                return None

            return num, den, in_steps
        case Growth(current=cur, previous=prev, target=target):
            tn, td = pair(target)

            def growth(a: int, b: int) -> tuple[int, Pair] | None:
                gn = a - b  # g = a/b − 1 = (a − b)/b
                if gn <= 0:
                    return (0, (gn, b))
                if gn * td >= tn * b:
                    return (full, (gn, b))
                return (cents_of(max_pair, gn * td, b * tn), (gn, b))

            return (cur,), (prev,), growth
        case MinMax(numerator=num, denominator=den):

            def pending(a: int, b: int) -> tuple[int, Pair] | None:
                return (0, (a, b)) if not den or a <= b else None

            return num, den, pending
        case CappedCount(input=name, points_each=each):
            en, ed = pair(each)

            def capped(c: int, b: int) -> tuple[int, Pair] | None:
                pn, pd = c * en, b * ed  # points = (c/b)·each, capped at max
                if pn * md >= mn * pd:
                    return (full, (c, b))
                return (cents_of(max_pair, pn * md, pd * mn), (c, b))

            return (name,), (), capped
    return None


_PartFraction: TypeAlias = Callable[[Mapping[str, Any]], Pair | None]


def _part_fraction(rule: PartRule, ind: Indicator) -> _PartFraction | None:
    """A part's fraction of its weight in the plain case (None: no plain case)."""
    match rule:
        case Ratio(numerator=[a_name], denominator=[b_name]) | RatioTarget(numerator=[a_name], denominator=[b_name]):
            tn, td = pair(rule.target) if isinstance(rule, RatioTarget) else (1, 1)

            def ratio(vals: Mapping[str, Any]) -> Pair | None:
                a = vals.get(a_name)
                b = vals.get(b_name)
                if type(a) is int and type(b) is int and 0 <= a <= b and b:
                    return ONE if a * td >= tn * b else (a * td, b * tn)
                return None

            return ratio
        case YesNo() | Choice():
            return _listed(rule, ind, lambda f: f)
    return None


def _parts(rule: SumOfParts, ind: Indicator, max_pair: Pair) -> CellPlan:
    """Σ weight·part, when every part has a plain case."""
    parts: list[tuple[int, int, _PartFraction]] = []
    for p in rule.parts:
        fraction = _part_fraction(p.rule, ind)
        if fraction is None:
            return CellPlan(_never, Status.SCORED)
        parts.append((*pair(p.weight), fraction))

    def cell(vals: Mapping[str, Any]) -> int | None:
        n, d = 0, 1
        for wn, wd, fraction in parts:
            f = fraction(vals)
            if f is None:
                return None
            n, d = n * wd * f[1] + wn * f[0] * d, d * wd * f[1]  # total += w·f
        return cents_of(max_pair, n, d)

    return CellPlan(cell, Status.SCORED)


def _gated(rule: GatedTiers, max_pair: Pair) -> CellPlan:
    """A yes/no gate, then bands on a whole number (QĐ 79 1.4)."""
    gate, value = rule.gate, rule.value
    bands = [(band, round_cents(max_pair[0] * band[4][0], max_pair[1] * band[4][1])) for band in band_pairs(rule.bands)]

    def cell(vals: Mapping[str, Any]) -> int | None:
        g = vals.get(gate)
        if type(g) is not str:
            return None
        if g == "Không":
            return 0
        v = vals.get(value)
        if g == "Có" and type(v) is int and v >= 0:
            for band, c in bands:
                if in_band((v, 1), band):
                    return c
        return None

    def remeasure(vals: Mapping[str, Any]) -> Pair | None:
        v = vals.get(value)
        return (v, 1) if vals.get(gate) == "Có" and type(v) is int and v >= 0 else None

    return CellPlan(cell, Status.SCORED, remeasure)
