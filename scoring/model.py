"""The typed shape of a framework (bộ chỉ số): groups, indicators, inputs and rules.

These are plain immutable values with no I/O, so the scoring engine, the template writer, the
reader and the reports all follow one indicator from the same object. The framework *files* are
parsed and checked in ``app.framework``; this module only says what a checked framework is.

Every number that comes from the source documents (fractions, thresholds, maxima) is a
``fractions.Fraction`` so that "1/2", "80%" and 0.8 are exact and no binary rounding creeps into
a published score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import TypeAlias


class InputType(StrEnum):
    """What a unit types into one input cell."""

    COUNT = "count"  # whole number ≥ 0
    NUMBER = "number"  # decimal ≥ 0
    PERCENT = "percent"  # a rate: 80% or 0.8
    YESNO = "yesno"  # Có / Không
    CHOICE = "choice"  # one of the options
    TEXT = "text"
    DATE = "date"
    PHONE = "phone"
    EMAIL = "email"


NUMERIC_TYPES = frozenset({InputType.COUNT, InputType.NUMBER, InputType.PERCENT})

#: Above these a figure is almost surely a slip (extra digits, a pasted ID, 1e20 staff): the reader
#: warns, the score is still computed. An input or field may set its own ``plausible_max`` (a
#: staff count); a rate is already bounded to 100 %. Counts: a hundred million (the country's
#: population); numbers, mostly money in đồng: 10^15 (more than a province's yearly budget).
PLAUSIBLE_MAX: dict[InputType, Fraction] = {InputType.COUNT: Fraction(10**8), InputType.NUMBER: Fraction(10**15)}


@dataclass(frozen=True, slots=True)
class Option:
    """One choice of a ``choice`` input, with the fraction of the maximum it earns."""

    label: str
    fraction: Fraction


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One variable of an indicator (a, b, c … as the source letters them)."""

    name: str
    label: str
    type: InputType
    options: tuple[Option, ...] = ()
    plausible_max: Fraction | None = None  # None: PLAUSIBLE_MAX of its type

    @property
    def plausible(self) -> Fraction | None:
        """The largest value that is believable without a warning (None: no bound)."""
        return self.plausible_max if self.plausible_max is not None else PLAUSIBLE_MAX.get(self.type)


@dataclass(frozen=True, slots=True)
class Band:
    """A closed/open interval of a value with the fraction of the maximum it earns.

    ``lower`` None means 0, ``upper`` None means unbounded. Bounds are explicit because the
    source is not ("Trên 80%" / "<80%" leaves 80% itself undecided; DESIGN §6 decides).
    """

    lower: Fraction | None
    lower_inclusive: bool
    upper: Fraction | None
    upper_inclusive: bool
    fraction: Fraction

    def contains(self, value: Fraction) -> bool:
        lo = Fraction(0) if self.lower is None else self.lower
        if value < lo or (value == lo and not self.lower_inclusive):
            return False
        if self.upper is None:
            return True
        return value < self.upper or (value == self.upper and self.upper_inclusive)

    def describe(self) -> str:
        """Vietnamese description such as ``> 80%`` or ``50% – 80%``."""
        lo = "0" if self.lower is None else _pct(self.lower)
        if self.upper is None:
            return f"{'≥' if self.lower_inclusive else '>'} {lo}"
        up = _pct(self.upper)
        if self.lower is None or (self.lower == 0 and self.lower_inclusive):
            return f"{'≤' if self.upper_inclusive else '<'} {up}"
        left = "[" if self.lower_inclusive else "("
        right = "]" if self.upper_inclusive else ")"
        return f"{left}{lo}; {up}{right}"


def _pct(value: Fraction) -> str:
    if value.denominator == 1 and value > 1:
        return str(value.numerator)
    pct = value * 100
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    return f"{float(pct):g}%"


# --- rules -------------------------------------------------------------------------------------
# Each rule yields a fraction in [0, 1] of the indicator's maximum (DESIGN §6).


@dataclass(frozen=True, slots=True)
class Ratio:
    """``min(N/D, 1)`` with N and D sums of inputs."""

    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    kind: str = field(default="ratio", init=False)


@dataclass(frozen=True, slots=True)
class RatioTarget:
    """Ratio ≥ target → 1, else ratio / target."""

    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    target: Fraction
    kind: str = field(default="ratio_target", init=False)


@dataclass(frozen=True, slots=True)
class Steps:
    """The band containing the ratio decides the fraction."""

    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    bands: tuple[Band, ...]
    kind: str = field(default="steps", init=False)


@dataclass(frozen=True, slots=True)
class YesNo:
    input: str
    kind: str = field(default="yes_no", init=False)


@dataclass(frozen=True, slots=True)
class Choice:
    input: str
    kind: str = field(default="choice", init=False)


@dataclass(frozen=True, slots=True)
class GatedTiers:
    """A yes/no precondition, then bands on a count (QĐ 79 1.4)."""

    gate: str
    value: str
    bands: tuple[Band, ...]
    kind: str = field(default="gated_tiers", init=False)


@dataclass(frozen=True, slots=True)
class Part:
    weight: Fraction
    rule: Ratio | RatioTarget | Steps | YesNo


@dataclass(frozen=True, slots=True)
class SumOfParts:
    """Σ weight × fraction(part) (QĐ 79 3.4, 6.1)."""

    parts: tuple[Part, ...]
    kind: str = field(default="sum_of_parts", init=False)


@dataclass(frozen=True, slots=True)
class MinMax:
    """Normalised across the units scored together; needs the whole batch."""

    numerator: tuple[str, ...]
    denominator: tuple[str, ...] = ()
    kind: str = field(default="min_max", init=False)


@dataclass(frozen=True, slots=True)
class Growth:
    """g = current/previous − 1; g ≥ target → 1, else max(g, 0)/target."""

    current: str
    previous: str
    target: Fraction
    kind: str = field(default="growth", init=False)


@dataclass(frozen=True, slots=True)
class CappedCount:
    """points_each per counted item, at most the maximum."""

    input: str
    points_each: Fraction
    kind: str = field(default="capped_count", init=False)


Rule: TypeAlias = Ratio | RatioTarget | Steps | YesNo | Choice | GatedTiers | SumOfParts | MinMax | Growth | CappedCount
PartRule: TypeAlias = Ratio | RatioTarget | Steps | YesNo

RULE_KINDS: tuple[str, ...] = (
    "ratio",
    "ratio_target",
    "steps",
    "yes_no",
    "choice",
    "gated_tiers",
    "sum_of_parts",
    "min_max",
    "growth",
    "capped_count",
)
PART_KINDS: tuple[str, ...] = ("ratio", "ratio_target", "steps", "yes_no")
#: Rule kinds for which "không áp dụng" (→ maximum) makes no sense: a score relative to the other
#: units, or a count of activities, has no default maximum to award.
NO_NA_KINDS: frozenset[str] = frozenset({"min_max", "capped_count"})


def rule_inputs(rule: Rule) -> tuple[str, ...]:
    """Every input name a rule reads, in order, without repeats."""
    names: list[str] = []
    match rule:
        case Ratio() | RatioTarget() | Steps() | MinMax():
            names += [*rule.numerator, *rule.denominator]
        case YesNo() | Choice() | CappedCount():
            names.append(rule.input)
        case GatedTiers():
            names += [rule.gate, rule.value]
        case Growth():
            names += [rule.current, rule.previous]
        case SumOfParts():
            for part in rule.parts:
                names += rule_inputs(part.rule)
    return tuple(dict.fromkeys(names))


def ratio_pairs(rule: Rule) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """The (numerator, denominator) pairs a rule divides: each implies numerator ≤ denominator."""
    match rule:
        case Ratio() | RatioTarget() | Steps():
            return ((rule.numerator, rule.denominator),)
        case MinMax() if rule.denominator:
            return ((rule.numerator, rule.denominator),)
        case SumOfParts():
            return tuple(p for part in rule.parts for p in ratio_pairs(part.rule))
    return ()


@dataclass(frozen=True, slots=True)
class Constraint:
    """``sum(part) <= sum(whole)`` — a part may not exceed its whole (DESIGN §5)."""

    part: tuple[str, ...]
    whole: tuple[str, ...]

    @property
    def text(self) -> str:
        return f"{' + '.join(self.part)} ≤ {' + '.join(self.whole)}"


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    group: str
    title: str
    max: Fraction
    scoring_text: str
    inputs: tuple[InputSpec, ...]
    rule: Rule
    constraints: tuple[Constraint, ...] = ()
    evidence: bool = True
    allow_na: bool = False
    na_hint: str = ""
    notes: tuple[str, ...] = ()
    source_title: str = ""

    def input(self, name: str) -> InputSpec:
        for spec in self.inputs:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.code}: no input {name!r}")

    @property
    def all_constraints(self) -> tuple[Constraint, ...]:
        """Declared constraints plus numerator ≤ denominator of every ratio the rule takes."""
        implied = tuple(Constraint(n, d) for n, d in ratio_pairs(self.rule))
        return tuple(dict.fromkeys(implied + self.constraints))


@dataclass(frozen=True, slots=True)
class Group:
    """A pillar (chỉ số chính)."""

    code: str
    title: str
    max: Fraction
    indicator_count: int | None = None


@dataclass(frozen=True, slots=True)
class Field:
    """A non-scored value: general information, a contact detail, a form-table row."""

    name: str
    label: str
    type: InputType
    required: bool = False
    evidence: bool = False
    no: str = ""
    note: str = ""
    options: tuple[Option, ...] = ()
    plausible_max: Fraction | None = None  # None: PLAUSIBLE_MAX of its type

    @property
    def plausible(self) -> Fraction | None:
        """The largest value that is believable without a warning (None: no bound)."""
        return self.plausible_max if self.plausible_max is not None else PLAUSIBLE_MAX.get(self.type)


#: the key of the contact block holding the sign-off (the preparer, and the head who confirms): it closes
#: the unit's form, after the narratives, and is not a contact the report compares between periods
SIGNOFF = "signoff"


@dataclass(frozen=True, slots=True)
class ContactBlock:
    key: str
    title: str
    fields: tuple[Field, ...]

    @property
    def is_signoff(self) -> bool:
        return self.key == SIGNOFF


@dataclass(frozen=True, slots=True)
class ReportTable:
    """A form table such as the Phụ lục of CV 1690 (STT | Tiêu chí | Số lượng | Tài liệu kiểm chứng)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    version: str
    title: str
    legal_basis: str
    level: str
    total: Fraction
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]
    general_info: tuple[Field, ...] = ()
    contacts: tuple[ContactBlock, ...] = ()
    report_table: ReportTable | None = None
    narratives: tuple[Field, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    notes: tuple[str, ...] = ()
    source: str = ""
    indicators_from: str = ""

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(f"{self.id}: no indicator {code!r}")

    def group_indicators(self, group_code: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.group == group_code)

    def place_label(self, name: str) -> str:
        """What the office calls the place an issue is about: an indicator's code as is ("6.4"),
        a field's label ("Số điện thoại" for ``contact_phone``); unknown names unchanged."""
        if any(ind.code == name for ind in self.indicators):
            return name
        for f in self.fields:
            if f.name == name:
                return f.label
        return name

    @property
    def fields(self) -> tuple[Field, ...]:
        """Every non-scored field, in the order a template shows them."""
        out: list[Field] = list(self.general_info)
        for block in self.contacts:
            out += block.fields
        if self.report_table is not None:
            out += self.report_table.rows
        out += self.narratives
        return tuple(out)
