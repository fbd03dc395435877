"""The department roll-up: what the units' figures say about the department as a whole.

Why these three kinds of figure (issue 7): the city asks the department for its own
numbers, and most of them are the units' numbers added up.
- The staffing table of CV 1690's Phụ lục (officials, full-time and part-time DX staff, trained
  staff) is summed over the units.
- A ratio indicator is pooled: Σ numerators / Σ denominators over the units that gave both, not
  the average of the units' ratios (a library of 5 people must not weigh as much as a theatre
  of 200). The department's own score for the indicator follows by applying the indicator's rule
  to the summed figures — the "self-assessment where derivable".
- A yes/no indicator becomes the share of units meeting it; a choice, how many units chose each
  option.
Not derivable, and said so: min-max indicators (they compare units with each other), percentages
typed by units (rates cannot be added), and anything whose figures are not all counts.

Pure: no I/O; the figures are the appraised ones the ranking uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from app.textfold import fold
from scoring.engine import IndicatorScore, UnitInputs, as_number, as_yes_no, score_unit
from scoring.exact import Number
from scoring.model import (
    Choice,
    Field,
    Framework,
    Growth,
    Indicator,
    InputType,
    Ratio,
    RatioTarget,
    Steps,
    SumOfParts,
    YesNo,
    ratio_pairs,
    rule_inputs,
)

#: rules the department can be scored by from summed counts
_POOLABLE = (Ratio, RatioTarget, Steps, Growth, SumOfParts)
_SUMMABLE_TYPES = frozenset({InputType.COUNT, InputType.NUMBER})
DEPARTMENT_CODE = "TOAN-SO"


@dataclass(frozen=True, slots=True)
class StaffRow:
    """One row of the staffing table summed over the units."""

    name: str
    no: str
    label: str
    total: Number | None  # None when no unit gave the figure
    units: int  # units that gave it


@dataclass(frozen=True, slots=True)
class IndicatorRollup:
    code: str
    title: str
    group: str
    max: Fraction
    units: int  # units whose figures entered the roll-up
    not_applicable: int  # units that declared "không áp dụng"
    pooled: Fraction | None  # Σ numerator / Σ denominator (ratio-type indicators)
    numerator: Number | None
    denominator: Number | None
    share: Fraction | None  # yes/no: share of units answering yes
    score: IndicatorScore | None  # the department's score from the summed figures, when derivable
    note: str  # how the figure was obtained, in Vietnamese


@dataclass(frozen=True, slots=True)
class Rollup:
    staffing: list[StaffRow]
    indicators: list[IndicatorRollup]

    @property
    def derivable(self) -> list[IndicatorRollup]:
        return [r for r in self.indicators if r.score is not None]

    @property
    def department_cents(self) -> int:
        """The department's score over the derivable indicators only."""
        return sum(r.score.cents for r in self.derivable if r.score is not None)

    @property
    def derivable_max(self) -> Fraction:
        return sum((r.max for r in self.derivable), Fraction(0))


def _sum(values: Sequence[Number]) -> Number:
    total: Number = 0
    for v in values:
        total += v
    return total


def staffing(rows: Sequence[Field], fields: Mapping[str, Mapping[str, Any]]) -> list[StaffRow]:
    """Sum each numeric row of the form table over the units' reported fields."""
    out: list[StaffRow] = []
    for row in rows:
        if row.type not in _SUMMABLE_TYPES:
            continue
        numbers = [n for unit in fields.values() if (n := as_number(unit.get(row.name))) is not None]
        out.append(StaffRow(row.name, row.no, row.label, _sum(numbers) if numbers else None, len(numbers)))
    return out


@dataclass(slots=True)
class _Pooled:
    """An indicator scored from summed figures; its score is filled in once all are known."""

    ind: Indicator
    units: int
    na: int
    sums: dict[str, Number]


def _indicator(ind: Indicator, units: Sequence[UnitInputs]) -> IndicatorRollup | _Pooled:
    na = sum(1 for u in units if ind.code in u.not_applicable)
    reporting = [u.values.get(ind.code, {}) for u in units if ind.code not in u.not_applicable]
    rule = ind.rule

    def done(units: int = 0, share: Fraction | None = None, note: str = "") -> IndicatorRollup:
        return IndicatorRollup(ind.code, ind.title, ind.group, ind.max, units, na, None, None, None, share, None, note)

    if isinstance(rule, YesNo):
        answers = [a for v in reporting if (a := as_yes_no(v.get(rule.input))) is not None]
        if not answers:
            return done(note="Không đơn vị nào trả lời")
        return done(len(answers), Fraction(sum(answers), len(answers)), f"{sum(answers)}/{len(answers)} đơn vị đáp ứng")
    if isinstance(rule, Choice):
        options = ind.input(rule.input).options
        chosen = [fold(c) for v in reporting if isinstance(c := v.get(rule.input), str) and c.strip()]
        counts = [(o, chosen.count(fold(o.label))) for o in options]
        if not chosen:
            return done(note="Không đơn vị nào trả lời")
        full = sum(n for o, n in counts if o.fraction == 1)
        return done(len(chosen), Fraction(full, len(chosen)), "; ".join(f"{o.label}: {n}" for o, n in counts if n))
    names = rule_inputs(rule)
    if rule.kind == "min_max":
        return done(note="Không suy ra cho toàn Sở: điểm so sánh giữa các đơn vị")
    if not isinstance(rule, _POOLABLE) or any(ind.input(n).type not in _SUMMABLE_TYPES for n in names):
        return done(note="Không tính điểm toàn Sở (số liệu không cộng gộp được). " + _per_input(ind, names, reporting))
    complete = [numbers for v in reporting
                if None not in (numbers := [as_number(v.get(n)) for n in names])]  # fmt: skip
    if not complete:
        return done(note="Chưa có đơn vị nào báo cáo đủ số liệu")
    sums = {n: _sum([row[i] for row in complete if row[i] is not None]) for i, n in enumerate(names)}  # type: ignore[misc]
    return _Pooled(ind, len(complete), na, sums)


def _finish(p: _Pooled, score: IndicatorScore) -> IndicatorRollup:
    rule = p.ind.rule
    numerator: Number | None = None
    denominator: Number | None = None
    if isinstance(rule, Growth):
        numerator, denominator = p.sums[rule.current], p.sums[rule.previous]
    elif len(pairs := ratio_pairs(rule)) == 1:
        num, den = pairs[0]
        numerator, denominator = _sum([p.sums[n] for n in num]), _sum([p.sums[n] for n in den])
    pooled = Fraction(numerator) / Fraction(denominator) if numerator is not None and denominator else None
    figures = ", ".join(f"{n} = {_show(v)}" for n, v in p.sums.items())
    ind = p.ind
    return IndicatorRollup(ind.code, ind.title, ind.group, ind.max, p.units, p.na, pooled, numerator, denominator,
                           None, score, f"Cộng số liệu của {p.units} đơn vị: {figures}")  # fmt: skip


def _per_input(ind: Indicator, names: Sequence[str], reporting: Sequence[Mapping[str, Any]]) -> str:
    """What can still be said input by input: shares of yes answers, totals of counts."""
    said: list[str] = []
    for name in names:
        kind = ind.input(name).type
        if kind is InputType.YESNO:
            answers = [a for v in reporting if (a := as_yes_no(v.get(name))) is not None]
            if answers:
                said.append(f"{name} (Có): {sum(answers)}/{len(answers)} đơn vị")
        elif kind in _SUMMABLE_TYPES:
            numbers = [n for v in reporting if (n := as_number(v.get(name))) is not None]
            if numbers:
                said.append(f"{name}: tổng {_show(_sum(numbers))} ({len(numbers)} đơn vị)")
    return "; ".join(said) or "Chưa có số liệu cộng gộp được."


def _show(x: Number) -> str:
    return str(x) if isinstance(x, int) else format(float(x), ".2f").replace(".", ",")


def rollup(framework: Framework, units: Sequence[UnitInputs], fields: Mapping[str, Mapping[str, Any]]) -> Rollup:
    """The department's figures from the units' (appraised) figures and reported fields.

    The department is scored once, as one more unit whose figures are the sums, so its scores come
    from the same rules, rounding and explanations as every unit's.
    """
    rows = framework.report_table.rows if framework.report_table is not None else ()
    parts = [_indicator(ind, units) for ind in framework.indicators]
    pooled = {p.ind.code: dict(p.sums) for p in parts if isinstance(p, _Pooled)}
    scores = score_unit(framework, UnitInputs(DEPARTMENT_CODE, "Toàn Sở", pooled)).indicators
    return Rollup(staffing(rows, fields),
                  [_finish(p, scores[p.ind.code]) if isinstance(p, _Pooled) else p for p in parts])  # fmt: skip
