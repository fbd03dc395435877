"""The department's own figures derived from its units' returns, by the rules in the derivation file.

Pure: the units' (appraised) figures, who was asked, who was late and what the office overrode go
in; one ``Cell`` per figure of the department's form comes out, with its value, how it was
derived and which units contributed, gave nothing, were late or were appraised. The department
workbook, the report and the desktop all show these cells; none decides a figure of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from app.framework.derivation import HOW_VI, Derivation, Ref, Rule, target_cells
from app.numbers import format_decimal_vi
from scoring.engine import UnitInputs, as_number, as_yes_no
from scoring.exact import Number
from scoring.model import Framework, InputType


@dataclass(frozen=True, slots=True)
class Override:
    value: Any
    reason: str
    who: str = ""
    at: str = ""


@dataclass(frozen=True, slots=True)
class Cell:
    """One figure of the department's form."""

    ref: Ref
    label: str
    type: InputType
    how: str  # a HOWS value; "office" also for cells without a rule
    derived: Any = None  # the value the rule gives (None: nothing to derive from, or the office's cell)
    contributed: tuple[str, ...] = ()  # unit codes whose figures entered
    missing: tuple[str, ...] = ()  # asked, but no usable figure (no return, or the cell left blank)
    late: tuple[str, ...] = ()  # contributed, sent after the deadline
    appraised: tuple[str, ...] = ()  # contributed, with an appraised figure in a source indicator
    not_applicable: tuple[str, ...] = ()  # declared "không áp dụng" for a source indicator
    override: Override | None = None
    rule_note: str = ""

    @property
    def office(self) -> bool:
        return self.how == "office"

    @property
    def value(self) -> Any:
        """What goes into the department's form: the office's override, else the derived value."""
        return self.override.value if self.override is not None else self.derived

    @property
    def how_vi(self) -> str:
        return HOW_VI[self.how]

    def explanation(self, names: Mapping[str, str] | None = None) -> str:
        """How the figure was obtained, in Vietnamese, for a comment or a table cell."""
        if self.office:
            text = "Văn phòng Sở điền" + (f" ({self.rule_note})" if self.rule_note else "") + "."
        elif self.derived is None:
            text = f"{self.how_vi}: chưa có đơn vị nào báo cáo số liệu này."
        else:
            text = f"{self.how_vi}: {show_value(self.derived, self.type)} từ {len(self.contributed)} đơn vị."
            if self.missing:
                text += f" Thiếu số liệu của {len(self.missing)} đơn vị: {_list(self.missing, names)}."
            if self.late:
                text += f" Nộp muộn: {_list(self.late, names)}."
            if self.appraised:
                text += f" Đã thẩm định: {_list(self.appraised, names)}."
            if self.not_applicable:
                text += f" Không áp dụng: {_list(self.not_applicable, names)}."
        if self.override is not None:
            text += (f" Văn phòng Sở sửa thành {show_value(self.override.value, self.type)}"
                     f" (lý do: {self.override.reason}).")  # fmt: skip
        return text


@dataclass(frozen=True, slots=True)
class Draft:
    """The department's form as derived: every cell, and the figures to score it by."""

    framework: Framework
    cells: list[Cell]
    asked: tuple[str, ...]
    names: dict[str, str] = field(default_factory=dict)

    @property
    def derived(self) -> list[Cell]:
        return [c for c in self.cells if not c.office]

    @property
    def office(self) -> list[Cell]:
        return [c for c in self.cells if c.office]

    def inputs(self, code: str, name: str) -> UnitInputs:
        """The department's figures (overrides applied) as the scoring engine reads them."""
        values: dict[str, dict[str, Any]] = {}
        for c in self.cells:
            if c.ref.indicator and c.value is not None:
                values.setdefault(c.ref.indicator, {})[c.ref.name] = c.value
        return UnitInputs(code, name, values)


def _list(codes: Sequence[str], names: Mapping[str, str] | None) -> str:
    shown = [f"{names.get(c, c)}" if names else c for c in codes[:8]]
    return ", ".join(shown) + (f" và {len(codes) - 8} đơn vị khác" if len(codes) > 8 else "")


def show_value(value: Any, kind: InputType) -> str:
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if kind is InputType.PERCENT and isinstance(value, int | Fraction):
        return format_decimal_vi(Fraction(value) * 100, 2) + "%"
    if isinstance(value, int | Fraction):
        return format_decimal_vi(Fraction(value), 0 if Fraction(value).denominator == 1 else 2)
    return "" if value is None else str(value)


def _read(unit: UnitInputs, fields: Mapping[str, Any], ref: Ref) -> Any:
    return unit.values.get(ref.indicator, {}).get(ref.name) if ref.indicator else fields.get(ref.name)


def _apply(rule: Rule, units: Sequence[UnitInputs], fields: Mapping[str, Mapping[str, Any]]
           ) -> tuple[Any, list[str], list[str]]:  # fmt: skip
    """(value, contributing units, units declaring n/a) of one rule over the reporting units."""
    na = [u.unit_code for u in units
          if any(r.indicator and r.indicator in u.not_applicable for r in rule.inputs)]  # fmt: skip
    rows = [u for u in units if u.unit_code not in na]
    if rule.how in ("sum", "ratio"):
        got: list[tuple[str, list[Number]]] = []
        for u in rows:
            nums = [as_number(_read(u, fields.get(u.unit_code, {}), r)) for r in rule.inputs]
            if all(n is not None for n in nums):
                got.append((u.unit_code, [n for n in nums if n is not None]))
        if not got:
            return None, [], na
        codes = [c for c, _ in got]
        if rule.how == "sum":
            return sum((sum(ns) for _, ns in got), 0), codes, na
        k = len(rule.numerator)
        num = sum((sum(ns[:k]) for _, ns in got), 0)
        den = sum((sum(ns[k:]) for _, ns in got), 0)
        return (Fraction(num) / Fraction(den) if den else None), codes, na
    answers = [(u.unit_code, a) for u in rows
               if (a := as_yes_no(_read(u, fields.get(u.unit_code, {}), rule.sources[0]))) is not None]  # fmt: skip
    if not answers:
        return None, [], na
    codes = [c for c, _ in answers]
    yes = sum(1 for _, a in answers if a)
    if rule.how == "any":
        return yes > 0, codes, na
    if rule.how == "all":
        return yes == len(answers), codes, na
    share = Fraction(yes, len(answers))
    return (share if rule.at_least is None else share >= rule.at_least), codes, na


def derive(derivation: Derivation, target: Framework, units: Sequence[UnitInputs],
           fields: Mapping[str, Mapping[str, Any]], asked: Sequence[str], *,
           late: frozenset[str] = frozenset(), appraised: Mapping[str, set[str]] | None = None,
           overrides: Mapping[str, Override] | None = None, names: Mapping[str, str] | None = None) -> Draft:  # fmt: skip
    """Every cell of ``target``'s form from the units' figures.

    ``units`` are the units with a counted return (appraised figures applied), ``fields`` their
    non-scored fields, ``asked`` every unit of the roster; ``appraised`` maps a unit to the
    indicators the office appraised; ``overrides`` maps a cell's reference text to the office's value.
    """
    appraised = appraised or {}
    overrides = overrides or {}
    cells: list[Cell] = []
    for ref, kind, label in target_cells(target):
        rule = derivation.rule_for(ref)
        over = overrides.get(ref.text)
        if rule is None or rule.how == "office":
            cells.append(Cell(ref, label, kind, "office", override=over, rule_note=rule.note if rule else ""))
            continue
        value, codes, na = _apply(rule, units, fields)
        got = set(codes) | set(na)
        source_inds = {r.indicator for r in rule.inputs if r.indicator}
        cells.append(Cell(
            ref, label, kind, rule.how, value, tuple(codes),
            missing=tuple(c for c in asked if c not in got),
            late=tuple(c for c in codes if c in late),
            appraised=tuple(c for c in codes if source_inds & appraised.get(c, set())),
            not_applicable=tuple(na), override=over, rule_note=rule.note,
        ))  # fmt: skip
    return Draft(target, cells, tuple(asked), dict(names or {}))
