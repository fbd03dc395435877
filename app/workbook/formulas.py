"""Live self-score formulas: the scoring rules of DESIGN §6 written as Excel formulas.

A unit sees its score while it types. The formulas must agree with ``scoring`` to the cent for
every rule that one workbook can compute (all but min-max, which needs the other units), so they
follow the engine's decisions exactly:

- a missing, text or negative figure → the rule's part scores 0;
- a zero denominator → 0; a part greater than its whole → the share counts as 100%;
- band edges, targets and caps are compared by cross-multiplication on whole numbers
  (``a·10 ≥ 9·b`` rather than ``a/b ≥ 0.9``), so they are exact in floating point;
- "không áp dụng" = Có with an explanation → the maximum, only where the framework allows it;
- each indicator is ``ROUND(ROUND(max·fraction, 9), 2)``: the inner ROUND removes binary noise
  (10·17/80 is 2.125 exactly, but max·a/b can land on 2.12499999…), the outer is half-up to cents.

The application never trusts these cached values: it recomputes from the inputs (DESIGN §4).
Every formula is still written *with* its result (``formula_results``: the engine's score of what
the cells hold, as the formulas read them), because LibreOffice with its default settings, WPS, a
mail preview and every reader of cached values show the stored result, not a recalculated one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from scoring.engine import UnitInputs, score_unit
from scoring.model import (
    Band,
    CappedCount,
    Choice,
    Framework,
    GatedTiers,
    Growth,
    Indicator,
    InputType,
    MinMax,
    PartRule,
    Ratio,
    RatioTarget,
    Rule,
    Steps,
    SumOfParts,
    YesNo,
)

from . import names

YES = "Có"
NO = "Không"
#: what the score cell of a min-max indicator says: it needs every unit's figures
PENDING_TEXT = "tính khi tổng hợp"


def number(x: Fraction | int) -> str:
    """An exact constant: a terminating decimal as such, anything else as a parenthesised n/d."""
    f = Fraction(x)
    d = f.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d != 1:
        return f"({f.numerator}/{f.denominator})"
    return format(Decimal(f.numerator) / Decimal(f.denominator), "f")  # exact: the quotient terminates


def _text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _sum(refs: Sequence[str]) -> str:
    return refs[0] if len(refs) == 1 else f"SUM({','.join(refs)})"


def _unusable(refs: Sequence[str]) -> str:
    """True when a figure is blank, text or negative (the engine scores the rule 0 then)."""
    joined = ",".join(refs)
    return f"OR(COUNT({joined})<{len(refs)},MIN({joined})<0)"


def _times(k: int, expr: str) -> str:
    if expr == "1":
        return str(k)
    return expr if k == 1 else f"{k}*{expr}"


def _compare(n: str, d: str, op: str, bound: Fraction) -> str:
    """n/d <op> bound for d > 0, without dividing: ROUND(n·bd − bn·d, 9) <op> 0.

    Exact for whole numbers; the ROUND absorbs the binary noise of decimals such as 0.55 − 0.5.
    """
    return f"ROUND({_times(bound.denominator, n)}-{_times(bound.numerator, d)},9){op}0"


def _band_condition(n: str, d: str, band: Band) -> str:
    parts = []
    if band.lower is not None and (band.lower != 0 or not band.lower_inclusive):
        parts.append(_compare(n, d, ">=" if band.lower_inclusive else ">", Fraction(band.lower)))
    if band.upper is not None:
        parts.append(_compare(n, d, "<=" if band.upper_inclusive else "<", Fraction(band.upper)))
    if not parts:
        return "TRUE"
    return parts[0] if len(parts) == 1 else f"AND({','.join(parts)})"


def _bands(n: str, d: str, bands: Sequence[Band]) -> str:
    """Nested IFs over bands that cover [0, ∞) (the framework checker proves they do)."""
    expr = "0"
    for band in reversed(bands):
        expr = f"IF({_band_condition(n, d, band)},{number(band.fraction)},{expr})"
    return expr


def fraction_expr(rule: Rule | PartRule, ref: Mapping[str, str], ind: Indicator) -> str | None:
    """The rule's fraction of the maximum, in [0, 1], as an Excel expression (None: min-max)."""
    match rule:
        case Ratio(numerator=num, denominator=den):
            n, d = _sum([ref[x] for x in num]), _sum([ref[x] for x in den])
            return f"IF({_unusable([ref[x] for x in (*num, *den)])},0,IF({d}=0,0,MIN(1,{n}/{d})))"
        case RatioTarget(numerator=num, denominator=den, target=target):
            n, d = _sum([ref[x] for x in num]), _sum([ref[x] for x in den])
            t = Fraction(target)
            return (f"IF({_unusable([ref[x] for x in (*num, *den)])},0,IF({d}=0,0,"
                    f"IF({_compare(n, d, '>=', t)},1,({_times(t.denominator, n)})/({_times(t.numerator, d)}))))")  # fmt: skip
        case Steps(numerator=num, denominator=den, bands=bands):
            n, d = _sum([ref[x] for x in num]), _sum([ref[x] for x in den])
            return f"IF({_unusable([ref[x] for x in (*num, *den)])},0,IF({d}=0,0,{_bands(n, d, bands)}))"
        case YesNo(input=name):
            return f"IF({ref[name]}={_text(YES)},1,0)"
        case Choice(input=name):
            expr = "0"
            for option in reversed(ind.input(name).options):
                expr = f"IF({ref[name]}={_text(option.label)},{number(option.fraction)},{expr})"
            return expr
        case GatedTiers(gate=gate, value=value, bands=bands):
            v = ref[value]
            return f"IF({ref[gate]}={_text(YES)},IF({_unusable([v])},0,{_bands(v, '1', bands)}),0)"
        case SumOfParts(parts=parts):
            terms = []
            for part in parts:
                sub = fraction_expr(part.rule, ref, ind)
                if sub is None:
                    return None
                terms.append(f"{number(part.weight)}*{sub}")
            return "(" + "+".join(terms) + ")"
        case MinMax():
            return None
        case Growth(current=cur, previous=prev, target=target):
            a, b = ref[cur], ref[prev]
            t = Fraction(target)
            g = f"({a}-{b})"
            return (f"IF({_unusable([a, b])},0,IF({b}=0,IF({a}>0,1,0),IF(ROUND({g},9)<=0,0,"
                    f"IF({_compare(g, b, '>=', t)},1,({_times(t.denominator, g)})/({_times(t.numerator, b)})))))")  # fmt: skip
        case CappedCount(input=name, points_each=each):
            c = ref[name]
            return f"IF({_unusable([c])},0,MIN(1,{c}*{number(Fraction(each) / ind.max)}))"
    raise TypeError(f"unknown rule {rule!r}")  # pragma: no cover


def score_formula(ind: Indicator, ref: Mapping[str, str], na_ref: str | None = None,
                  note_ref: str | None = None) -> str | None:  # fmt: skip
    """The live score of one indicator (None for min-max: the cell shows ``PENDING_TEXT``)."""
    fraction = fraction_expr(ind.rule, ref, ind)
    if fraction is None:
        return None
    max_ = number(ind.max)
    expr = f"ROUND(ROUND({max_}*{fraction},9),2)"
    if ind.allow_na and na_ref is not None and note_ref is not None:
        expr = f"IF(AND({na_ref}={_text(YES)},LEN(TRIM(CLEAN({note_ref})))>0),{max_},{expr})"
    return "=" + expr


# --- what the formulas show -------------------------------------------------------------------

_NUMBERS = (int, float, Decimal, Fraction)


def _cell_number(value: Any) -> Any:
    """A figure as COUNT/MIN see it: a real number stays, anything else (text, a date) is no figure."""
    if isinstance(value, bool) or not isinstance(value, _NUMBERS):
        return None
    try:
        return value if math.isfinite(value) else None
    except (ValueError, OverflowError):
        return None


def _cell_label(value: Any, labels: Sequence[str]) -> str | None:
    """A list answer as ``=`` compares it (Excel compares text ignoring case, nothing else)."""
    if isinstance(value, bool) and YES in labels:
        return YES if value else NO
    if isinstance(value, str):
        return next((label for label in labels if label.casefold() == value.casefold()), None)
    return None


def _cell_text(value: Any) -> str:
    """What ``TRIM(CLEAN(…))`` leaves of a cell (a number is text of some length)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "".join(ch for ch in value if ord(ch) >= 32).strip()
    return str(value)


def formula_inputs(framework: Framework, fill: Mapping[str, Any]) -> UnitInputs:
    """The engine's inputs for a workbook whose named cells hold ``fill`` (defined name → value), read
    the way the live formulas read the cells: text in a number cell is no figure, a list answer
    counts only when it equals an option (ignoring case), "không áp dụng" needs a non-blank note."""
    values: dict[str, dict[str, Any]] = {}
    not_applicable: dict[str, str] = {}
    for ind in framework.indicators:
        row: dict[str, Any] = {}
        for spec in ind.inputs:
            raw = fill.get(names.input_name(ind.code, spec.name))
            if spec.type in (InputType.YESNO, InputType.CHOICE):
                labels = [YES, NO] if spec.type is InputType.YESNO else [o.label for o in spec.options]
                value = _cell_label(raw, labels)
            elif spec.type in (InputType.COUNT, InputType.NUMBER, InputType.PERCENT):
                value = _cell_number(raw)
            else:
                value = raw
            if value is not None:
                row[spec.name] = value
        values[ind.code] = row
        if ind.allow_na and _cell_label(fill.get(names.na_name(ind.code)), [YES, NO]) == YES:
            note = _cell_text(fill.get(names.note_name(ind.code)))
            if note:
                not_applicable[ind.code] = note
    return UnitInputs("", "", values, not_applicable)


def formula_results(framework: Framework, fill: Mapping[str, Any] | None = None) -> dict[str, int]:
    """Indicator code → the score its live formula shows, in cents, for a workbook holding ``fill``
    (nothing: an empty template), computed by the engine. (A min-max indicator has no formula — its
    cell says ``PENDING_TEXT`` — so the template uses none of its entry.)"""
    score = score_unit(framework, formula_inputs(framework, fill or {}))
    return {code: s.cents for code, s in score.indicators.items()}


def cents_value(cents: int) -> int | float:
    """Cents as the number a formula's cell holds (2.13, 219.05; 0 as 0)."""
    return cents // 100 if cents % 100 == 0 else cents / 100
