"""Score units against a framework: every rule kind of SPEC §6, read from the framework data.

A unit's figures arrive as ``UnitInputs`` (indicator code → input name → value, plus the
indicators it marks "không áp dụng"). Each indicator is compiled once per framework into a small
evaluator; evaluation uses exact integer ratios (no floats, no per-value ``Fraction`` objects on
the common path) so 10,000 units × 51 indicators score well under a second, and every score is
the exact rational value rounded half-up to hundredths, as Excel's ROUND does.

Defaults (QĐ 79 II.2.c, SPEC §6): a missing figure scores 0 with a warning; "không áp dụng"
scores the maximum only where the framework allows it and an explanation is given; a zero
denominator scores 0 with a warning suggesting "không áp dụng"; a part greater than its whole is
flagged. Min-max indicators are normalised across the units scored together (``score_batch``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any, TypeAlias

from .findings import Finding, Severity, Status
from .model import (
    Band,
    CappedCount,
    Choice,
    Framework,
    GatedTiers,
    Growth,
    Indicator,
    MinMax,
    PartRule,
    Ratio,
    RatioTarget,
    Rule,
    Steps,
    SumOfParts,
    YesNo,
)
from .rounding import cents_to_decimal, round_cents

Number: TypeAlias = int | Fraction
Pair: TypeAlias = tuple[int, int]  # an exact non-negative rational n/d, d > 0
ONE: Pair = (1, 1)
ZERO: Pair = (0, 1)


@dataclass(frozen=True, slots=True)
class UnitInputs:
    """What one unit reported for one period (self-assessed or appraised figures)."""

    unit_code: str
    unit_name: str
    values: Mapping[str, Mapping[str, Any]]  # indicator code → input name → value
    not_applicable: Mapping[str, str] = field(default_factory=dict)  # code → explanation


@dataclass(slots=True)
class IndicatorScore:
    code: str
    cents: int  # the rounded score in hundredths of a point
    max_cents: int
    status: Status
    findings: tuple[Finding, ...] = ()
    #: the measured quantity the rule compared (ratio, growth, count, min-max value) as an exact
    #: (numerator, denominator) pair; ``measure`` gives it as a Fraction
    measure_pair: tuple[int, int] | None = None
    #: (min, max) over the batch, for min-max indicators once normalised
    bounds: tuple[Fraction, Fraction] | None = None

    @property
    def score(self) -> Decimal:
        return cents_to_decimal(self.cents)

    @property
    def measure(self) -> Fraction | None:
        pair = self.measure_pair
        return None if pair is None else Fraction(pair[0], pair[1])


@dataclass(slots=True)
class UnitScore:
    unit_code: str
    unit_name: str
    indicators: dict[str, IndicatorScore]

    @property
    def total_cents(self) -> int:
        return sum(s.cents for s in self.indicators.values())

    @property
    def total(self) -> Decimal:
        return cents_to_decimal(self.total_cents)

    def group_cents(self, framework: Framework) -> dict[str, int]:
        """Pillar sub-scores: sums of the rounded indicator scores (SPEC §6)."""
        out = {g.code: 0 for g in framework.groups}
        for ind in framework.indicators:
            score = self.indicators.get(ind.code)
            if score is not None:
                out[ind.group] += score.cents
        return out

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.indicators.values() for f in s.findings]


# --- value normalisation -------------------------------------------------------------------------


class _Bad:
    """A value that is present but unusable (negative, text where a number is needed …)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _number(value: Any) -> Number | _Bad | None:
    if value is None or value == "":
        return None
    kind = type(value)
    if kind is int:
        return value if value >= 0 else _Bad("số âm")  # type: ignore[no-any-return,unused-ignore]
    if kind is bool:
        return _Bad("không phải số")
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            return _Bad("không phải số")
        if value < 0:
            return _Bad("số âm")
        return int(value) if value.is_integer() else Fraction(repr(value))
    if isinstance(value, Fraction | Decimal):
        if not value.is_finite() if isinstance(value, Decimal) else False:
            return _Bad("không phải số")
        frac = Fraction(value)
        if frac < 0:
            return _Bad("số âm")
        return frac.numerator if frac.denominator == 1 else frac
    if isinstance(value, int):  # int subclasses other than bool
        return int(value) if value >= 0 else _Bad("số âm")
    return _Bad("không phải số")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


_YES = frozenset({"có", "co", "yes", "x", "true", "1"})
_NO = frozenset({"không", "khong", "no", "false", "0"})


_YES_NO_EXACT: dict[str, bool] = {"Có": True, "Không": False}


def _yes_no(value: Any) -> bool | _Bad | None:
    if value is None or value == "":
        return None
    if type(value) is str and value in _YES_NO_EXACT:  # the template's list values
        return _YES_NO_EXACT[value]
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        folded = _fold(value)
        if folded in _YES:
            return True
        if folded in _NO:
            return False
    return _Bad("không phải Có/Không")


def _pair(x: Number) -> Pair:
    if type(x) is int:
        return (x, 1)
    return (x.numerator, x.denominator)


def _band_pairs(bands: Iterable[Band]) -> tuple[tuple[Pair, bool, Pair | None, bool, Pair], ...]:
    out = []
    for b in bands:
        lo = _pair(b.lower) if b.lower is not None else ZERO
        hi = _pair(b.upper) if b.upper is not None else None
        out.append((lo, b.lower_inclusive, hi, b.upper_inclusive, _pair(b.fraction)))
    return tuple(out)


def _in_band(r: Pair, band: tuple[Pair, bool, Pair | None, bool, Pair]) -> bool:
    lo, lo_inc, hi, hi_inc, _ = band
    left = r[0] * lo[1] - lo[0] * r[1]  # sign of r − lo
    if left < 0 or (left == 0 and not lo_inc):
        return False
    if hi is None:
        return True
    right = hi[0] * r[1] - r[0] * hi[1]  # sign of hi − r
    return right > 0 or (right == 0 and hi_inc)


# --- evaluation ----------------------------------------------------------------------------------


#: (fraction numerator, fraction denominator, status, findings, measure pair or None)
_Eval: TypeAlias = tuple[int, int, Status, list[Finding] | tuple[Finding, ...], Pair | None]
Evaluator: TypeAlias = Callable[[Mapping[str, Any]], _Eval]
_ZERO_DENOMINATOR: Pair = (0, 0)
_NO_FINDINGS: tuple[Finding, ...] = ()
_EMPTY_VALUES: Mapping[str, Any] = {}
_SCORED = Status.SCORED
_MISSING = Status.MISSING
_ZERO_DEN = Status.ZERO_DENOMINATOR


class _Ctx:
    """Per-indicator constants shared by the rule evaluators (and the explanations)."""

    __slots__ = ("allow_na", "code", "ind", "labels")

    def __init__(self, ind: Indicator) -> None:
        self.ind = ind
        self.code = ind.code
        self.allow_na = ind.allow_na
        self.labels = {s.name: s.label for s in ind.inputs}

    def missing(self, names: Sequence[str]) -> Finding:
        shown = ", ".join(names)
        return Finding("missing-value", Severity.WARNING, self.code, tuple(names),
                       f"Chỉ số {self.code}: thiếu số liệu ({shown}) — tính 0 điểm (QĐ 79 mục II.2.c).")  # fmt: skip

    def bad(self, name: str, reason: str) -> Finding:
        return Finding("invalid-value", Severity.ERROR, self.code, (name,),
                       f"Chỉ số {self.code}: giá trị của {name} ({self.labels.get(name, name)}) {reason} — tính 0 điểm.")  # fmt: skip

    def part_exceeds(self, part: Sequence[str], whole: Sequence[str], p: Number, w: Number) -> Finding:
        return Finding("part-exceeds-whole", Severity.WARNING, self.code, (*part, *whole),
                       f"Chỉ số {self.code}: {' + '.join(part)} = {_show(p)} lớn hơn "
                       f"{' + '.join(whole)} = {_show(w)} (phần lớn hơn tổng) — tỷ lệ tính tối đa 100%.")  # fmt: skip

    def zero_denominator(self, names: Sequence[str]) -> Finding:
        hint = (" Nếu đơn vị không có nội dung này, hãy chọn \"không áp dụng\" và giải trình."
                if self.allow_na else "")  # fmt: skip
        return Finding("zero-denominator", Severity.WARNING, self.code, tuple(names),
                       f"Chỉ số {self.code}: mẫu số ({' + '.join(names)}) bằng 0 — tính 0 điểm.{hint}")  # fmt: skip


def _read_numbers(ctx: _Ctx, vals: Mapping[str, Any], names: Sequence[str],
                  findings: list[Finding]) -> list[Number] | None:  # fmt: skip
    """The numbers of ``names`` or None (with findings) when any is missing or unusable."""
    out: list[Number] = []
    for name in names:  # fast path: whole numbers ≥ 0, what units type nearly always
        v = vals.get(name)
        if type(v) is int and v >= 0:
            out.append(v)
        else:
            break
    else:
        return out
    out = []
    absent: list[str] = []
    unusable = False
    for name in names:
        n = _number(vals.get(name))
        if n is None:
            absent.append(name)
        elif isinstance(n, _Bad):
            findings.append(ctx.bad(name, n.reason))
            unusable = True
        else:
            out.append(n)
    if absent:
        findings.append(ctx.missing(absent))
    if absent or unusable:
        return None
    return out


def _ratio_of(ctx: _Ctx, vals: Mapping[str, Any], num: Sequence[str], den: Sequence[str],
              findings: list[Finding]) -> Pair | None:  # fmt: skip
    """N/D as an exact pair; None when figures are missing; ``(0, 0)`` when D = 0.

    A ratio in QĐ 79 is always a share, so N > D is flagged (part greater than whole).
    """
    nums = _read_numbers(ctx, vals, (*num, *den), findings)
    if nums is None:
        return None
    k = len(num)
    n_sum = nums[0] if k == 1 else sum(nums[:k])
    d_sum = nums[k] if len(nums) == k + 1 else sum(nums[k:])
    if d_sum == 0:
        findings.append(ctx.zero_denominator(den))
        return _ZERO_DENOMINATOR
    if n_sum > d_sum:
        findings.append(ctx.part_exceeds(num, den, n_sum, d_sum))
    if type(n_sum) is int and type(d_sum) is int:
        return (n_sum, d_sum)
    n, d = _pair(n_sum), _pair(d_sum)
    return (n[0] * d[1], n[1] * d[0])


def _fast_ratio(num: Sequence[str], den: Sequence[str], target: Pair | None, general: Evaluator) -> Evaluator:
    """The common case a/b with whole numbers 0 ≤ a ≤ b, b > 0, without building anything.

    Anything else (sums, blanks, decimals, text, zero or exceeded denominators) goes to the
    general evaluator, which also produces the findings.
    """
    if len(num) != 1 or len(den) != 1:
        return general
    a_name, b_name = num[0], den[0]
    if target is None:

        def ratio(vals: Mapping[str, Any]) -> _Eval:
            a = vals.get(a_name)
            b = vals.get(b_name)
            if type(a) is int and type(b) is int and 0 <= a <= b and b:
                return (a, b, _SCORED, _NO_FINDINGS, (a, b))
            return general(vals)

        return ratio
    tn, td = target

    def ratio_target(vals: Mapping[str, Any]) -> _Eval:
        a = vals.get(a_name)
        b = vals.get(b_name)
        if type(a) is int and type(b) is int and 0 <= a <= b and b:
            if a * td >= tn * b:
                return (1, 1, _SCORED, _NO_FINDINGS, (a, b))
            return (a * td, b * tn, _SCORED, _NO_FINDINGS, (a, b))
        return general(vals)

    return ratio_target


def _ratio_or_stop(ctx: _Ctx, vals: Mapping[str, Any], num: Sequence[str], den: Sequence[str],
                   findings: list[Finding]) -> Pair | _Eval:  # fmt: skip
    """N/D as a pair, or the finished evaluation when figures are missing or D = 0."""
    r = _ratio_of(ctx, vals, num, den, findings)
    if r is None:
        return (0, 1, _MISSING, findings, None)
    if r[1] == 0:
        return (0, 1, _ZERO_DEN, findings, None)
    return r


def _compile_rule(rule: Rule | PartRule, ctx: _Ctx) -> Evaluator:
    general = _compile_general(rule, ctx)
    match rule:
        case Ratio(numerator=num, denominator=den):
            return _fast_ratio(num, den, None, general)
        case RatioTarget(numerator=num, denominator=den, target=target):
            return _fast_ratio(num, den, _pair(target), general)
    return general


def _compile_general(rule: Rule | PartRule, ctx: _Ctx) -> Evaluator:
    match rule:
        case Ratio(numerator=num, denominator=den):

            def ratio(vals: Mapping[str, Any]) -> _Eval:
                findings: list[Finding] = []
                r = _ratio_or_stop(ctx, vals, num, den, findings)
                if len(r) != 2:
                    return r
                n, d = r
                return (1, 1, _SCORED, findings, r) if n >= d else (n, d, _SCORED, findings, r)

            return ratio
        case RatioTarget(numerator=num, denominator=den, target=target):
            tn, td = _pair(target)

            def ratio_target(vals: Mapping[str, Any]) -> _Eval:
                findings: list[Finding] = []
                r = _ratio_or_stop(ctx, vals, num, den, findings)
                if len(r) != 2:
                    return r
                n, d = r
                if n * td >= tn * d:
                    return (1, 1, _SCORED, findings, r)
                return (n * td, d * tn, _SCORED, findings, r)

            return ratio_target
        case Steps(numerator=num, denominator=den, bands=bands):
            compiled = _band_pairs(bands)

            def steps(vals: Mapping[str, Any]) -> _Eval:
                findings: list[Finding] = []
                r = _ratio_or_stop(ctx, vals, num, den, findings)
                if len(r) != 2:
                    return r
                for band in compiled:
                    if _in_band(r, band):
                        return (*band[4], _SCORED, findings, r)
                return (0, 1, _SCORED, findings, r)  # unreachable for checked bands (they cover)

            return steps
        case YesNo(input=name):

            def yes_no(vals: Mapping[str, Any]) -> _Eval:
                v = _yes_no(vals.get(name))
                if v is True:
                    return (1, 1, _SCORED, _NO_FINDINGS, None)
                if v is False:
                    return (0, 1, _SCORED, _NO_FINDINGS, None)
                if v is None:
                    return (0, 1, _MISSING, [ctx.missing((name,))], None)
                return (0, 1, _MISSING, [ctx.bad(name, v.reason)], None)

            return yes_no
        case Choice(input=name):
            options = {_fold(o.label): _pair(o.fraction) for o in ctx.ind.input(name).options}
            exact = {o.label: _pair(o.fraction) for o in ctx.ind.input(name).options}

            def choice(vals: Mapping[str, Any]) -> _Eval:
                raw = vals.get(name)
                if raw is None or raw == "":
                    return (0, 1, _MISSING, [ctx.missing((name,))], None)
                frac = exact.get(raw) or (options.get(_fold(raw)) if isinstance(raw, str) else None)
                if frac is None:
                    return (0, 1, _MISSING, [ctx.bad(name, "không thuộc danh sách lựa chọn")], None)
                return (*frac, _SCORED, _NO_FINDINGS, None)

            return choice
        case GatedTiers(gate=gate, value=value, bands=bands):
            compiled = _band_pairs(bands)

            def gated(vals: Mapping[str, Any]) -> _Eval:
                g = _yes_no(vals.get(gate))
                if g is None:
                    return (0, 1, _MISSING, [ctx.missing((gate,))], None)
                if isinstance(g, _Bad):
                    return (0, 1, _MISSING, [ctx.bad(gate, g.reason)], None)
                if not g:
                    return (0, 1, _SCORED, _NO_FINDINGS, None)
                findings: list[Finding] = []
                nums = _read_numbers(ctx, vals, (value,), findings)
                if nums is None:
                    return (0, 1, _MISSING, findings, None)
                v = _pair(nums[0])
                for band in compiled:
                    if _in_band(v, band):
                        return (*band[4], _SCORED, findings, v)
                return (0, 1, _SCORED, findings, v)

            return gated
        case SumOfParts(parts=parts):
            subs = [(_pair(p.weight), _compile_rule(p.rule, ctx)) for p in parts]

            def sum_of_parts(vals: Mapping[str, Any]) -> _Eval:
                total_n, total_d = 0, 1
                findings: list[Finding] = []
                statuses: list[Status] = []
                for (wn, wd), sub in subs:
                    pn, pd, status, part_findings, _ = sub(vals)
                    findings.extend(part_findings)
                    statuses.append(status)
                    # total += w · p, kept as an exact (unreduced) pair
                    total_n, total_d = total_n * wd * pd + wn * pn * total_d, total_d * wd * pd
                if all(st is _MISSING for st in statuses):
                    status = _MISSING
                elif all(st is _ZERO_DEN for st in statuses):
                    status = _ZERO_DEN
                else:
                    status = _SCORED
                return (total_n, total_d, status, findings, None)

            return sum_of_parts
        case MinMax(numerator=num, denominator=den):

            def min_max(vals: Mapping[str, Any]) -> _Eval:
                findings: list[Finding] = []
                if den:
                    r = _ratio_or_stop(ctx, vals, num, den, findings)
                    if len(r) != 2:
                        return r
                    return (0, 1, Status.PENDING, findings, r)
                nums = _read_numbers(ctx, vals, num, findings)
                if nums is None:
                    return (0, 1, _MISSING, findings, None)
                return (0, 1, Status.PENDING, findings, _pair(sum(nums)))

            return min_max
        case Growth(current=cur, previous=prev, target=target):
            tn, td = _pair(target)

            def growth(vals: Mapping[str, Any]) -> _Eval:
                findings: list[Finding] = []
                nums = _read_numbers(ctx, vals, (cur, prev), findings)
                if nums is None:
                    return (0, 1, _MISSING, findings, None)
                a, b = _pair(nums[0]), _pair(nums[1])
                if b[0] == 0:
                    if a[0] > 0:  # from nothing to something: full growth (SPEC §6)
                        return (1, 1, _SCORED, findings, None)
                    findings.append(ctx.zero_denominator((prev,)))
                    return (0, 1, _ZERO_DEN, findings, None)
                # g = a/b − 1 = (a_n·b_d − a_d·b_n) / (a_d·b_n)
                gn, gd = a[0] * b[1] - a[1] * b[0], a[1] * b[0]
                if gn <= 0:
                    return (0, 1, _SCORED, findings, (gn, gd))
                if gn * td >= tn * gd:
                    return (1, 1, _SCORED, findings, (gn, gd))
                return (gn * td, gd * tn, _SCORED, findings, (gn, gd))

            return growth
        case CappedCount(input=name, points_each=each):
            en, ed = _pair(each)
            mn, md = _pair(ctx.ind.max)

            def capped(vals: Mapping[str, Any]) -> _Eval:
                findings: list[Finding] = []
                nums = _read_numbers(ctx, vals, (name,), findings)
                if nums is None:
                    return (0, 1, _MISSING, findings, None)
                c = _pair(nums[0])
                # points = c·each, capped at max; fraction = points / max
                pn, pd = c[0] * en, c[1] * ed
                if pn * md >= mn * pd:
                    return (1, 1, _SCORED, findings, c)
                return (pn * md, pd * mn, _SCORED, findings, c)

            return capped
    raise TypeError(f"unknown rule {rule!r}")  # pragma: no cover


class CompiledIndicator:
    """One indicator ready to score many units."""

    __slots__ = ("code", "constraints", "ctx", "evaluate", "indicator", "max_cents", "max_pair")

    def __init__(self, ind: Indicator) -> None:
        self.indicator = ind
        self.code = ind.code
        self.ctx = _Ctx(ind)
        self.evaluate = _compile_rule(ind.rule, self.ctx)
        self.max_pair = _pair(ind.max)
        self.max_cents = round_cents(self.max_pair[0], self.max_pair[1])
        # numerator ≤ denominator of every ratio is checked inside the ratio itself
        self.constraints = ind.constraints

    def score(self, vals: Mapping[str, Any] | None, na: str | None) -> IndicatorScore:
        """``na`` is None when the unit did not mark "không áp dụng", else its explanation."""
        pre: list[Finding] | None = None
        if na is not None:
            pre = self._not_applicable(na)
            if pre is None:
                return IndicatorScore(self.code, self.max_cents, self.max_cents, Status.NOT_APPLICABLE,
                                      (Finding("not-applicable", Severity.INFO, self.code, (),
                                               f"Chỉ số {self.code}: không áp dụng — điểm tối đa. Giải trình: {na.strip()}"),))  # fmt: skip
        if vals is None:
            vals = _EMPTY_VALUES
        n, d, status, found, measure = self.evaluate(vals)
        findings = found if type(found) is tuple else tuple(found)
        if pre:
            findings = (*pre, *findings)
        if self.constraints and status is not _MISSING:
            findings = (*findings, *_check_constraints(self, vals))
        mn, md = self.max_pair
        cents = ((200 * mn * n + md * d) // (2 * md * d)) if n else 0  # round_cents, inlined
        return IndicatorScore(self.code, cents, self.max_cents, status, findings, measure)

    def _not_applicable(self, na: str) -> list[Finding] | None:
        """None when "không áp dụng" is accepted; else the findings that say why not."""
        if not self.ctx.allow_na:
            return [Finding("na-not-allowed", Severity.ERROR, self.code, (),
                            f"Chỉ số {self.code} không được chọn \"không áp dụng\" — tính theo số liệu.")]  # fmt: skip
        if not na.strip():
            return [Finding("na-without-explanation", Severity.ERROR, self.code, (),
                            f"Chỉ số {self.code}: chọn \"không áp dụng\" nhưng chưa giải trình — "
                            "chưa được điểm tối đa, tính theo số liệu.")]  # fmt: skip
        return None


def _check_constraints(ci: CompiledIndicator, vals: Mapping[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    for c in ci.constraints:
        part = _sum_known(vals, c.part)
        whole = _sum_known(vals, c.whole)
        if part is not None and whole is not None and part > whole:
            out.append(ci.ctx.part_exceeds(c.part, c.whole, part, whole))
    return out


def _sum_known(vals: Mapping[str, Any], names: Sequence[str]) -> Number | None:
    total: Number = 0
    for name in names:
        v = _number(vals.get(name))
        if v is None or isinstance(v, _Bad):
            return None
        total += v
    return total


def _show(x: Number) -> str:
    if isinstance(x, int):
        return str(x)
    return format(Decimal(x.numerator) / Decimal(x.denominator), "f").rstrip("0").rstrip(".")


@cache
def compile_framework(framework: Framework) -> tuple[CompiledIndicator, ...]:
    return tuple(CompiledIndicator(ind) for ind in framework.indicators)


def score_unit(framework: Framework, unit: UnitInputs) -> UnitScore:
    """Score one unit alone. Min-max indicators stay PENDING (0) until ``score_batch``."""
    indicators: dict[str, IndicatorScore] = {}
    values = unit.values
    na = unit.not_applicable
    for ci in compile_framework(framework):
        indicators[ci.code] = ci.score(values.get(ci.code), na.get(ci.code))
    return UnitScore(unit.unit_code, unit.unit_name, indicators)


def score_batch(framework: Framework, units: Sequence[UnitInputs]) -> list[UnitScore]:
    """Score the units scored together in a period, normalising min-max indicators among them."""
    compiled = compile_framework(framework)
    results: list[UnitScore] = []
    for unit in units:
        values = unit.values
        if unit.not_applicable:
            na = unit.not_applicable
            scores = {ci.code: ci.score(values.get(ci.code), na.get(ci.code)) for ci in compiled}
        else:
            scores = {ci.code: ci.score(values.get(ci.code), None) for ci in compiled}
        results.append(UnitScore(unit.unit_code, unit.unit_name, scores))
    for ci in compiled:
        if isinstance(ci.indicator.rule, MinMax):
            normalise_min_max(ci, [r.indicators[ci.code] for r in results])
    return results


def normalise_min_max(ci: CompiledIndicator, scores: Sequence[IndicatorScore]) -> None:
    """``max × (x − min)/(max_x − min_x)`` over the units with a value (SPEC §6).

    All values equal: the maximum if the value is > 0, else 0. A unit without a value is left out
    of min and max and scores 0.
    """
    present = [(s, Fraction(*s.measure_pair)) for s in scores
               if s.status is Status.PENDING and s.measure_pair is not None]  # fmt: skip
    if not present:
        return
    lo = min(x for _, x in present)
    hi = max(x for _, x in present)
    mn, md = ci.max_pair
    note = Finding("min-max", Severity.INFO, ci.code, (),
                   f"Chỉ số {ci.code}: Min-Max trên {len(present)} đơn vị (nhỏ nhất {_show(_num(lo))}, "
                   f"lớn nhất {_show(_num(hi))}).")  # fmt: skip
    for s, x in present:
        if hi == lo:
            frac = Fraction(1) if x > 0 else Fraction(0)
        else:
            frac = (x - lo) / (hi - lo)
        s.cents = round_cents(mn * frac.numerator, md * frac.denominator)
        s.status = Status.SCORED
        s.findings = (*s.findings, note)
        s.bounds = (lo, hi)


def _num(x: Fraction) -> Number:
    return x.numerator if x.denominator == 1 else x


