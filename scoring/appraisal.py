"""Self-assessed and appraised figures side by side (QĐ 79 II.2.a/b, DESIGN §6).

The appraiser may change a unit's figures (then the indicator is rescored) or set a score
directly. Ranking uses the appraised figure where one exists and the self-assessed one otherwise.
Because min-max indicators compare units with each other, the effective scores of every unit are
computed in one batch over the effective figures: appraising one unit's value can move another
unit's min-max score, and that is what a hand computation would give too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .engine import IndicatorScore, UnitInputs, UnitScore, compile_framework, group_cents_of, score_batch
from .findings import Finding, Severity, Status
from .model import Framework
from .ranking import rank_positions
from .rounding import round_cents


@dataclass(frozen=True, slots=True)
class Appraisal:
    """What the office changed for one unit."""

    values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # code → name → value
    not_applicable: Mapping[str, str | None] = field(default_factory=dict)  # code → expl. (None: clear)
    scores: Mapping[str, Decimal | Fraction | int] = field(default_factory=dict)  # code → score


@dataclass(slots=True)
class Assessment:
    unit_code: str
    unit_name: str
    self_score: UnitScore
    effective: UnitScore  # appraised where appraised, self-assessed otherwise
    appraised: bool

    def indicator(self, code: str) -> tuple[IndicatorScore, IndicatorScore]:
        """(self-assessed, effective) scores of one indicator."""
        return self.self_score.indicators[code], self.effective.indicators[code]


def apply_appraisal(unit: UnitInputs, appraisal: Appraisal) -> UnitInputs:
    """The figures the appraised score is computed from: the unit's, with the appraiser's changes on top."""
    values: dict[str, Mapping[str, Any]] = dict(unit.values)
    for code, changed in appraisal.values.items():
        values[code] = {**unit.values.get(code, {}), **changed}
    na: dict[str, str] = dict(unit.not_applicable)
    for code, expl in appraisal.not_applicable.items():
        if expl is None:
            na.pop(code, None)
        else:
            na[code] = expl
    return UnitInputs(unit.unit_code, unit.unit_name, values, na)


def assess(framework: Framework, units: Sequence[UnitInputs],
           appraisals: Mapping[str, Appraisal] | None = None) -> list[Assessment]:  # fmt: skip
    """Score every unit self-assessed and effective (appraised) in one period."""
    appraisals = appraisals or {}
    self_scores = score_batch(framework, units)
    if not appraisals:
        return [Assessment(u.unit_code, u.unit_name, s, s, False) for u, s in zip(units, self_scores, strict=True)]
    effective_inputs = [apply_appraisal(u, appraisals[u.unit_code]) if u.unit_code in appraisals else u for u in units]
    effective = score_batch(framework, effective_inputs)
    maxima = {ci.code: ci for ci in compile_framework(framework)}
    for unit, score in zip(units, effective, strict=True):
        appraisal = appraisals.get(unit.unit_code)
        if appraisal is None:
            continue
        for code, value in appraisal.scores.items():
            ci = maxima[code]
            frac = Fraction(value)
            cents = min(max(round_cents(frac.numerator, frac.denominator), 0), ci.max_cents)
            note = Finding("score-overridden", Severity.INFO, code, (),
                           f"Chỉ số {code}: điểm do thẩm định đặt là {Decimal(cents).scaleb(-2)}.")  # fmt: skip
            score.indicators[code] = IndicatorScore(code, cents, ci.max_cents, Status.OVERRIDDEN, (note,))
    return [
        Assessment(u.unit_code, u.unit_name, s, e, u.unit_code in appraisals)
        for u, s, e in zip(units, self_scores, effective, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class Standing:
    """A unit's place in the ranking: overall and per pillar."""

    unit_code: str
    unit_name: str
    total_cents: int
    rank: int
    group_cents: dict[str, int]
    group_ranks: dict[str, int]


def standings(framework: Framework, scores: Sequence[UnitScore]) -> list[Standing]:
    """Ranks by total and per pillar, in ranking order (ties in Vietnamese alphabetical order)."""
    codes = [s.unit_code for s in scores]
    names = [s.unit_name for s in scores]
    totals = [s.total_cents for s in scores]
    groups = group_cents_of(framework, scores)
    group_ranks: list[dict[str, int]] = [{} for _ in scores]
    for g in framework.groups:
        gc = g.code
        for r, i in rank_positions([cents[gc] for cents in groups], names, codes):
            group_ranks[i][gc] = r
    return [
        Standing(codes[i], names[i], totals[i], r, groups[i], group_ranks[i])
        for r, i in rank_positions(totals, names, codes)
    ]
