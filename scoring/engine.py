"""Score units against a framework: every rule kind of DESIGN §6, read from the framework data.

A unit's figures arrive as ``UnitInputs`` (indicator code → input name → value, plus the
indicators it marks "không áp dụng"). Each indicator is compiled once per framework into one
evaluator (every case, with findings); a batch is stored as one ``Column`` per indicator in a
``ScoreTable``, and ``UnitScore`` and ``IndicatorScore`` are views on it. (A second, "plain
cell" fast path once scored the common case; measured, 10,000 units × 51 indicators take 0.74 s
without it, so one evaluator per rule kind is all a rule needs.) All arithmetic is on exact integer ratios, and every
score is the exact rational value rounded half-up to hundredths, as Excel's ROUND does.

Defaults (QĐ 79 II.2.c, DESIGN §6): a missing figure scores 0 with a warning; "không áp dụng"
scores the maximum only where the framework allows it and an explanation is given; a zero
denominator scores 0 with a warning suggesting "không áp dụng"; a part greater than its whole is
flagged. Min-max indicators are normalised across the units scored together (``score_batch``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeAlias

from .exact import Number, Pair
from .exact import band_pairs as _band_pairs
from .exact import float_pair as _float_pair
from .exact import in_band as _in_band
from .exact import pair as _pair
from .findings import Finding, Severity, Status
from .gcpause import cyclic_gc_paused
from .memo import by_identity
from .model import (
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

_EMPTY: Mapping[str, Any] = {}


@dataclass(frozen=True, slots=True)
class UnitInputs:
    """What one unit reported for one period (self-assessed or appraised figures)."""

    unit_code: str
    unit_name: str
    values: Mapping[str, Mapping[str, Any]]  # indicator code → input name → value
    not_applicable: Mapping[str, str] = field(default_factory=dict)  # code → explanation


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """One indicator's score for one unit: a snapshot read from the batch's columns."""

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
        return int(value) if value.is_integer() else Fraction(*_float_pair(value))
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


def as_number(value: Any) -> Number | None:
    """A figure as the rules read it (int or exact Fraction), or None when blank or unusable."""
    n = _number(value)
    return None if isinstance(n, _Bad) else n


def as_yes_no(value: Any) -> bool | None:
    """A yes/no answer as the rules read it, or None when blank or unusable."""
    answer = _yes_no(value)
    return None if isinstance(answer, _Bad) else answer


# --- evaluation ----------------------------------------------------------------------------------


#: (fraction numerator, fraction denominator, status, findings, measure pair or None)
_Eval: TypeAlias = tuple[int, int, Status, list[Finding] | tuple[Finding, ...], Pair | None]
Evaluator: TypeAlias = Callable[[Mapping[str, Any]], _Eval]
_ZERO_DENOMINATOR: Pair = (0, 0)
_NO_FINDINGS: tuple[Finding, ...] = ()
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
                    if a[0] > 0:  # from nothing to something: full growth (DESIGN §6)
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


#: one indicator's result for one unit: (cents, status, findings, measure)
_Row: TypeAlias = tuple[int, Status, tuple[Finding, ...], Pair | None]


class Column:
    """One indicator's results across a batch, row i being the batch's i-th unit.

    Scores are stored by indicator, not as one object per score: a district batch is 51
    indicators × up to thousands of units, and a list of ints per indicator scores and sums far
    faster than half a million small objects. ``IndicatorScore`` snapshots are built on demand.
    """

    __slots__ = ("bounds", "cents", "findings", "measure", "status")

    def __init__(self, cents: list[int], status: Status = Status.SCORED) -> None:
        rows = len(cents)
        self.cents = cents
        self.status: list[Status] = [status] * rows
        self.measure: list[Pair | None] = [None] * rows
        self.findings: dict[int, tuple[Finding, ...]] = {}  # only the rows that have any
        self.bounds: tuple[Fraction, Fraction] | None = None  # min-max: (min, max) of the batch

    def store(self, row: int, cents: int, status: Status, findings: tuple[Finding, ...], measure: Pair | None) -> None:
        """One row's full result, replacing whatever the row held."""
        self.cents[row] = cents
        self.status[row] = status
        self.measure[row] = measure
        if findings:
            self.findings[row] = findings
        else:
            self.findings.pop(row, None)

    def measure_at(self, row: int) -> Pair | None:
        return self.measure[row]


class CompiledIndicator:
    """One indicator ready to score many units: its evaluator, maximum and constraints."""

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

    def score_row(self, vals: Mapping[str, Any] | None, na: str | None) -> _Row:
        """``na`` is None when the unit did not mark "không áp dụng", else its explanation."""
        pre: list[Finding] | None = None
        if na is not None:
            pre = self._not_applicable(na)
            if pre is None:
                return (self.max_cents, Status.NOT_APPLICABLE,
                        (Finding("not-applicable", Severity.INFO, self.code, (),
                                 f"Chỉ số {self.code}: không áp dụng — điểm tối đa. Giải trình: {na.strip()}"),),
                        None)  # fmt: skip
        if vals is None:
            vals = _EMPTY
        n, d, status, found, measure = self.evaluate(vals)
        findings = found if type(found) is tuple else tuple(found)
        if pre:
            findings = (*pre, *findings)
        if self.constraints and status is not _MISSING:
            findings = (*findings, *_check_constraints(self, vals))
        mn, md = self.max_pair
        cents = ((200 * mn * n + md * d) // (2 * md * d)) if n else 0  # round_cents, inlined
        return (cents, status, findings, measure)

    def score(self, vals: Mapping[str, Any] | None, na: str | None) -> IndicatorScore:
        cents, status, findings, measure = self.score_row(vals, na)
        return IndicatorScore(self.code, cents, self.max_cents, status, findings, measure)

    def put(self, column: Column, row: int, vals: Mapping[str, Any] | None, na: str | None) -> None:
        """Score one unit into ``column``."""
        column.store(row, *self.score_row(vals, na))

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


@by_identity
def compile_framework(framework: Framework) -> tuple[CompiledIndicator, ...]:
    return tuple(CompiledIndicator(ind) for ind in framework.indicators)


@by_identity
def _group_rows(framework: Framework) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """(pillar code, positions of its indicators) in framework order."""
    return tuple(
        (g.code, tuple(j for j, ind in enumerate(framework.indicators) if ind.group == g.code))
        for g in framework.groups
    )


class ScoreTable:
    """The scores of the units scored together: one ``Column`` per indicator."""

    __slots__ = ("_totals", "columns", "compiled", "framework", "index", "unit_codes", "unit_names")

    def __init__(self, framework: Framework, units: Sequence[UnitInputs]) -> None:
        self.framework = framework
        self.compiled = compile_framework(framework)
        self.index = {ci.code: j for j, ci in enumerate(self.compiled)}
        self.unit_codes = [u.unit_code for u in units]
        self.unit_names = [u.unit_name for u in units]
        self.columns: list[Column] = []
        self._totals: list[int] | None = None
        lookups = [u.values.get for u in units]
        marks = [u.not_applicable for u in units]
        with cyclic_gc_paused():
            for ci in self.compiled:
                code = ci.code
                column = Column([0] * len(units))
                self.columns.append(column)
                for row, get in enumerate(lookups):
                    ci.put(column, row, get(code, _EMPTY), marks[row].get(code))

    def totals(self) -> list[int]:
        """Every unit's total in cents: the sum of its rounded indicator scores (DESIGN §6)."""
        if self._totals is None:
            if self.columns:
                self._totals = [sum(t) for t in zip(*(c.cents for c in self.columns), strict=True)]
            else:
                self._totals = [0] * len(self.unit_codes)
        return self._totals

    def snapshot(self, j: int, row: int) -> IndicatorScore:
        column = self.columns[j]
        status = column.status[row]
        measure = column.measure_at(row)
        bounds = column.bounds if status is _SCORED and measure is not None else None
        return IndicatorScore(self.compiled[j].code, column.cents[row], self.compiled[j].max_cents, status,
                              column.findings.get(row, ()), measure, bounds)  # fmt: skip

    def set(self, row: int, score: IndicatorScore) -> None:
        """Replace one score (an appraiser's override); totals are recomputed on next read."""
        column = self.columns[self.index[score.code]]
        column.store(row, score.cents, score.status, score.findings, score.measure_pair)
        self._totals = None


class IndicatorScores(Mapping[str, IndicatorScore]):
    """One unit's scores by indicator code, read from the table's columns."""

    __slots__ = ("_row", "_table")

    def __init__(self, table: ScoreTable, row: int) -> None:
        self._table = table
        self._row = row

    def __getitem__(self, code: str) -> IndicatorScore:
        return self._table.snapshot(self._table.index[code], self._row)

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.index)

    def __len__(self) -> int:
        return len(self._table.index)

    def __setitem__(self, code: str, score: IndicatorScore) -> None:
        if score.code != code:
            raise KeyError(code)
        self._table.set(self._row, score)


class UnitScore:
    """One unit's row of a ``ScoreTable``."""

    __slots__ = ("row", "table")

    def __init__(self, table: ScoreTable, row: int) -> None:
        self.table = table
        self.row = row

    @property
    def unit_code(self) -> str:
        return self.table.unit_codes[self.row]

    @property
    def unit_name(self) -> str:
        return self.table.unit_names[self.row]

    @property
    def indicators(self) -> IndicatorScores:
        return IndicatorScores(self.table, self.row)

    @property
    def total_cents(self) -> int:
        return self.table.totals()[self.row]

    @property
    def total(self) -> Decimal:
        return cents_to_decimal(self.total_cents)

    def group_cents(self, framework: Framework | None = None) -> dict[str, int]:
        """Pillar sub-scores: sums of the rounded indicator scores (DESIGN §6)."""
        if framework is not None and framework is not self.table.framework:
            raise ValueError("framework differs from the one these scores were computed with")
        columns, row = self.table.columns, self.row
        return {code: sum(columns[j].cents[row] for j in rows) for code, rows in _group_rows(self.table.framework)}

    @property
    def findings(self) -> list[Finding]:
        row = self.row
        return [f for c in self.table.columns for f in c.findings.get(row, ())]

    def __repr__(self) -> str:
        return f"UnitScore({self.unit_code!r}, total={self.total})"


def group_cents_of(framework: Framework, scores: Sequence[UnitScore]) -> list[dict[str, int]]:
    """Pillar sub-scores of many units; summed column-wise when they share one table."""
    tables = {id(s.table) for s in scores}
    if len(tables) != 1 or scores[0].table.framework is not framework:
        return [s.group_cents(framework) for s in scores]
    table = scores[0].table
    per_group: list[tuple[str, list[int]]] = []
    for code, rows in _group_rows(framework):
        columns = [table.columns[j].cents for j in rows]
        sums = [sum(t) for t in zip(*columns, strict=True)] if columns else [0] * len(table.unit_codes)
        per_group.append((code, sums))
    return [{code: sums[s.row] for code, sums in per_group} for s in scores]


def score_unit(framework: Framework, unit: UnitInputs) -> UnitScore:
    """Score one unit alone. Min-max indicators stay PENDING (0) until scored in a batch."""
    return UnitScore(ScoreTable(framework, [unit]), 0)


def score_batch(framework: Framework, units: Sequence[UnitInputs]) -> list[UnitScore]:
    """Score the units scored together in a period, normalising min-max indicators among them."""
    table = ScoreTable(framework, units)
    for ci, column in zip(table.compiled, table.columns, strict=True):
        if isinstance(ci.indicator.rule, MinMax):
            normalise_min_max(ci, column)
    return [UnitScore(table, row) for row in range(len(units))]


def normalise_min_max(ci: CompiledIndicator, column: Column) -> None:
    """``max × (x − min)/(max_x − min_x)`` over the units with a value (DESIGN §6).

    All values equal: the maximum if the value is > 0, else 0. A unit without a value is left out
    of min and max and scores 0. Values are exact pairs n/d compared by cross-multiplication.
    """
    present: list[tuple[int, int, int]] = []  # (row, n, d)
    for row, status in enumerate(column.status):
        if status is Status.PENDING:
            pair = column.measure_at(row)
            if pair is not None:
                present.append((row, pair[0], pair[1]))
    if not present:
        return
    _, ln, ld = present[0]
    hn, hd = ln, ld
    for _, n, d in present:  # min and max by cross-multiplication (d > 0)
        if n * ld < ln * d:
            ln, ld = n, d
        elif n * hd > hn * d:
            hn, hd = n, d
    lo, hi = Fraction(ln, ld), Fraction(hn, hd)
    mn, md = ci.max_pair
    note = Finding("min-max", Severity.INFO, ci.code, (),
                   f"Chỉ số {ci.code}: Min-Max trên {len(present)} đơn vị (nhỏ nhất {_show(_num(lo))}, "
                   f"lớn nhất {_show(_num(hi))}).")  # fmt: skip
    cents, statuses, findings = column.cents, column.status, column.findings
    full = ci.max_cents
    for row, n, d in present:
        if hi == lo:
            cents[row] = full if n > 0 else 0
        else:
            # (x − lo)/(hi − lo) = (n·ld − ln·d)·hd / (d·(hn·ld − ln·hd))
            fn, fd = (n * ld - ln * d) * hd, d * (hn * ld - ln * hd)
            cents[row] = (200 * mn * fn + md * fd) // (2 * md * fd)
        statuses[row] = _SCORED
        findings[row] = (*findings.get(row, ()), note)
    column.bounds = (lo, hi)


def _num(x: Fraction) -> Number:
    return x.numerator if x.denominator == 1 else x
