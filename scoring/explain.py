"""One line per score that says how it was reached, in Vietnamese, for reports and the GUI.

``1.2: a=17, b=80 → 21.25% → 2.13/10``. Built on demand from the indicator, the unit's figures
and the score (the hot scoring path never formats text).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from .engine import IndicatorScore, _number, _yes_no
from .findings import Status
from .model import (
    CappedCount,
    Choice,
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
    rule_inputs,
)
from .rounding import format_cents, format_percent, format_points


def _value_text(ind: Indicator, name: str, raw: Any) -> str:
    spec = next((s for s in ind.inputs if s.name == name), None)
    if raw is None or raw == "":
        return "trống"
    if spec is not None and spec.type is InputType.YESNO:
        v = _yes_no(raw)
        return "Có" if v is True else "Không" if v is False else str(raw)
    if spec is not None and spec.type is InputType.PERCENT:
        n = _number(raw)
        return format_percent(Fraction(n)) if isinstance(n, int | Fraction) else str(raw)
    n = _number(raw)
    if isinstance(n, int):
        return str(n)
    if isinstance(n, Fraction):
        return format_points(n)
    return str(raw)


def _inputs_text(ind: Indicator, rule: Rule | PartRule, vals: Mapping[str, Any]) -> str:
    used = set(rule_inputs(rule))
    return ", ".join(f"{s.name}={_value_text(ind, s.name, vals.get(s.name))}" for s in ind.inputs if s.name in used)


def _fraction_text(f: Fraction) -> str:
    if f.denominator == 1:
        return str(f.numerator)
    return f"{f.numerator}/{f.denominator}"


def explain(ind: Indicator, score: IndicatorScore, vals: Mapping[str, Any] | None,
            na_explanation: str | None = None) -> str:  # fmt: skip
    """``<code>: <figures> → <measure> → <score>/<max>``."""
    vals = vals or {}
    tail = f"{format_cents(score.cents)}/{format_points(ind.max)}"
    head = f"{ind.code}: "
    if score.status is Status.NOT_APPLICABLE:
        reason = f" ({na_explanation.strip()})" if na_explanation and na_explanation.strip() else ""
        return f"{head}không áp dụng{reason} → {tail}"
    if score.status is Status.OVERRIDDEN:
        return f"{head}điểm thẩm định → {tail}"
    rule = ind.rule
    figures = _inputs_text(ind, rule, vals)
    if score.status is Status.MISSING:
        empty = [n for n in rule_inputs(rule) if vals.get(n) in (None, "")]
        what = f" ({', '.join(empty)})" if empty else ""
        return f"{head}{figures} → thiếu số liệu{what} → {tail}"
    if score.status is Status.ZERO_DENOMINATOR:
        hint = '; nếu không có nội dung này, chọn "không áp dụng"' if ind.allow_na else ""
        return f"{head}{figures} → mẫu số bằng 0{hint} → {tail}"
    if score.status is Status.PENDING:
        shown = f" = {_measure(score.measure)}" if score.measure is not None else ""
        return f"{head}{figures}{shown} → Min-Max: tính khi tổng hợp các đơn vị"
    return f"{head}{figures} → {_middle(ind, rule, score, vals)} → {tail}"


def _measure(x: Fraction | None, percent: bool = False) -> str:
    if x is None:
        return "?"
    return format_percent(x) if percent else format_points(x)


def _middle(ind: Indicator, rule: Rule, score: IndicatorScore, vals: Mapping[str, Any]) -> str:
    m = score.measure
    match rule:
        case Ratio():
            return _measure(m, percent=True)
        case RatioTarget(target=t):
            if m is not None and m >= t:
                return f"{_measure(m, True)} ≥ {format_percent(t)}"
            return f"{_measure(m, True)} < {format_percent(t)} → {_measure(m, True)}/{format_percent(t)}"
        case Steps(bands=bands):
            band = next((b for b in bands if m is not None and b.contains(m)), None)
            where = f" ({band.describe()} → {_fraction_text(band.fraction)})" if band else ""
            return f"{_measure(m, True)}{where}"
        case YesNo():
            return "đạt" if score.cents == score.max_cents else "chưa đạt"
        case Choice():
            frac = Fraction(score.cents, score.max_cents) if score.max_cents else Fraction(0)
            return _fraction_text(frac)
        case GatedTiers(gate=gate, bands=bands):
            if _yes_no(vals.get(gate)) is False:
                return "chưa có (điều kiện không đạt)"
            band = next((b for b in bands if m is not None and b.contains(m)), None)
            return f"{band.describe()} → {_fraction_text(band.fraction)}" if band else "?"
        case SumOfParts(parts=parts):
            pieces = []
            for part in parts:
                sub = part.rule
                if isinstance(sub, YesNo):
                    ok = _yes_no(vals.get(sub.input)) is True
                    pieces.append(f"{_fraction_text(part.weight)}×{'1' if ok else '0'}")
                else:
                    pieces.append(f"{_fraction_text(part.weight)}×{_part_ratio(sub, vals)}")
            return " + ".join(pieces)
        case MinMax():
            shown = _measure(m, bool(rule.denominator))
            if score.bounds is None or m is None:
                return f"{shown} (Min-Max)"
            lo, hi = score.bounds
            pct = bool(rule.denominator)
            if lo == hi:
                return f"{shown}; mọi đơn vị bằng nhau (Min-Max)"
            return (
                f"Min-Max ({shown} − {_measure(lo, pct)})/({_measure(hi, pct)} − {_measure(lo, pct)})"
                f" = {format_percent((m - lo) / (hi - lo))}"
            )
        case Growth(target=t):
            if m is None:
                return "từ 0 lên > 0 → tăng tối đa"
            return f"tăng {format_percent(m)} {'≥' if m >= t else '<'} {format_percent(t)}"
        case CappedCount(points_each=each):
            return f"{_measure(m)} × {format_points(each)} điểm (tối đa {format_points(ind.max)})"
    return ""  # pragma: no cover


def _part_ratio(rule: Ratio | RatioTarget | Steps, vals: Mapping[str, Any]) -> str:
    nums: list[Fraction] = []
    for name in (*rule.numerator, *rule.denominator):
        x = _number(vals.get(name))
        if not isinstance(x, int | Fraction):
            return "thiếu số liệu"
        nums.append(Fraction(x))
    k = len(rule.numerator)
    num = sum(nums[:k], Fraction(0))
    den = sum(nums[k:], Fraction(0))
    if den == 0:
        return "0 (mẫu số bằng 0)"
    return format_percent(min(num / den, Fraction(1)))
