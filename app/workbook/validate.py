"""From raw cells to the engine's inputs, with every problem as an ``Issue`` located to its cell.

Each check is a small function over one ``RawWorkbook`` that yields issues; ``parse_workbook``
runs them and returns the figures the scoring engine takes (``UnitInputs``), the non-scored
fields, and what the unit typed, for the feedback workbook. Rules the engine already judges
(missing figures, a part above its whole in an indicator, a zero denominator, "không áp dụng"
without explanation) are *not* re-implemented here: ``engine_issues`` maps the engine's findings
to the cells they are about, so one rule has one implementation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from app.legacy_text import could_be_legacy, repair
from scoring.engine import UnitInputs, UnitScore
from scoring.memo import by_identity
from scoring.model import Constraint, Field, Framework, Indicator, InputType

from . import names
from .formulas import YES
from .issues import Issue, make_issue, show
from .reader import RawCell, RawWorkbook
from .values import Parsed, parse_value

YES_NO = (YES, "Không")
_NUMERIC = (InputType.COUNT, InputType.NUMBER, InputType.PERCENT)


@dataclass(slots=True)
class Reading:
    """The parsed content of one returned file."""

    inputs: UnitInputs
    fields: dict[str, Any]  # field name → parsed value (general info, contacts, Phụ lục, narratives)
    typed: dict[str, Any]  # defined name → what to show the unit again (parsed, or the raw text not understood)
    issues: list[Issue]
    #: (indicator, input) pairs whose value was refused here; the engine's "missing" for them is noise
    refused: set[tuple[str, str]] = field(default_factory=set)
    #: every evidence cell with text: (indicator or field, defined name, sheet, "E22", text) — what
    #: the evidence documents sent with the file are checked against (``app.evidence.checks``)
    cited: list[tuple[str, str, str, str, str]] = field(default_factory=list)


class _Context:
    def __init__(self, raw: RawWorkbook, unit: str) -> None:
        self.raw = raw
        self.unit = unit
        self.file = raw.file

    def at(self, cell: RawCell | None, code: str, *, indicator: str = "", name: str = "", value: Any = None,
           detail: str = "") -> Issue:  # fmt: skip
        sheet, ref = (cell.sheet, cell.cell) if cell is not None else ("", "")
        return make_issue(code, file=self.file, sheet=sheet, cell=ref, unit=self.unit, indicator=indicator,
                          value=value, detail=detail, name=name or (cell.name if cell else ""))  # fmt: skip


#: the sign-off block (``contacts: - key: signoff`` in a framework, FORMAT.md): the preparer and the head
#: of the unit who confirms. A return whose ``head_name`` cell is empty gets the warning
#: ``head-confirmation-missing``. A file from a template made before the block existed had no place
#: for it (its confirmation went on paper): neither that warning nor a "cell not found" for its cells.
HEAD_NAME = "head_name"
SIGNOFF_FIELDS = ("preparer_name", "preparer_position", "preparer_date", HEAD_NAME, "head_position", "head_date")
_SIGNOFF_NAMES = frozenset(names.field_name(f) for f in SIGNOFF_FIELDS)


def _parse(ctx: _Context, cell: RawCell | None, kind: InputType, options: tuple[str, ...], what: str,
           indicator: str, out: list[Issue], bound: Fraction | None = None) -> Parsed:  # fmt: skip
    raw = None if cell is None else cell.raw
    parsed = parse_value(kind, raw, options)
    if parsed.error:
        out.append(ctx.at(cell, parsed.error, indicator=indicator, value=raw, detail=parsed.expected))
        return parsed
    if parsed.converted:
        out.append(ctx.at(cell, "value-converted", indicator=indicator, value=raw, detail=parsed.converted))
    if bound is not None and isinstance(parsed.value, int | float | Decimal) and parsed.value > bound:
        out.append(ctx.at(cell, "implausible-value", indicator=indicator, value=parsed.value,
                          detail=f"lớn hơn {_bound_text(bound)}, mức tối đa hợp lý của {what}"))  # fmt: skip
    return parsed


def _bound_text(bound: Fraction) -> str:
    """10**8 → "100.000.000" (grouped the Vietnamese way)."""
    if bound.denominator == 1:
        return f"{bound.numerator:,}".replace(",", ".")
    return str(float(bound)).replace(".", ",")


def _claims(value: Any) -> bool:
    """Whether a figure asserts something that needs evidence (a positive number, a "Có", a choice)."""
    if value is None:
        return False
    if isinstance(value, int | float | Decimal | Fraction):
        return value > 0
    return not (isinstance(value, str) and value in ("Không", ""))


@dataclass(frozen=True, slots=True)
class _Names:
    """An indicator's defined names and option labels, worked out once per framework."""

    #: (variable, type, options, name, plausible bound)
    inputs: tuple[tuple[str, InputType, tuple[str, ...], str, Fraction | None], ...]
    na: str
    note: str
    evidence: str


@by_identity
def _indicator_names(framework: Framework) -> dict[str, _Names]:
    return {ind.code: _Names(tuple((s.name, s.type, tuple(o.label for o in s.options), names.input_name(ind.code, s.name),
                                    s.plausible) for s in ind.inputs),
                             names.na_name(ind.code), names.note_name(ind.code), names.evidence_name(ind.code))
            for ind in framework.indicators}  # fmt: skip


def _indicator(ctx: _Context, ind: Indicator, known: _Names, reading: Reading) -> Iterator[Issue]:
    cells = ctx.raw.cells
    row: dict[str, Any] = {}
    found: list[Issue] = []
    for variable, kind, options, name, bound in known.inputs:
        cell = cells.get(name)
        parsed = _parse(ctx, cell, kind, options, f"số liệu {variable} của chỉ số {ind.code}", ind.code, found, bound)
        if parsed.error or cell is None:  # refused, or not found: reported here, not again as "missing"
            reading.refused.add((ind.code, variable))
            reading.typed[name] = cell.raw if cell is not None else None
        elif parsed.value is not None:
            row[variable] = parsed.value
            reading.typed[name] = parsed.value
    reading.inputs.values[ind.code] = row  # type: ignore[index]
    na_cell = cells.get(known.na)
    note = _text(cells.get(known.note))
    if note:
        reading.typed[known.note] = note
    not_applicable = False
    if na_cell is not None and na_cell.raw not in (None, ""):
        parsed = _parse(ctx, na_cell, InputType.YESNO, (), "na", ind.code, found)
        reading.typed[na_cell.name] = parsed.value if not parsed.error else na_cell.raw
        not_applicable = parsed.value == YES
        if not_applicable:
            reading.inputs.not_applicable[ind.code] = note  # type: ignore[index]
    evidence_cell = cells.get(known.evidence)
    evidence = _text(evidence_cell)
    if evidence and evidence_cell is not None:
        reading.typed[known.evidence] = evidence
        reading.cited.append((ind.code, known.evidence, evidence_cell.sheet, evidence_cell.cell, evidence))
    if ind.evidence and not not_applicable and not evidence and any(_claims(v) for v in row.values()):
        found.append(ctx.at(evidence_cell, "evidence-missing", indicator=ind.code, name=known.evidence,
                            detail=f"của chỉ số {ind.code}"))  # fmt: skip
    yield from found


def _text(cell: RawCell | None) -> str:
    if cell is None or cell.raw is None:
        return ""
    parsed = parse_value(InputType.TEXT, cell.raw)
    return parsed.value if isinstance(parsed.value, str) else ""


def _fields(ctx: _Context, fw: Framework, reading: Reading) -> Iterator[Issue]:
    all_fields = _all_fields(fw)
    cells = ctx.raw.cells
    for f in all_fields:
        name = names.field_name(f.name)
        cell = cells.get(name)
        found: list[Issue] = []
        parsed = _parse(ctx, cell, f.type, tuple(o.label for o in f.options), f"\"{f.label}\"", f.name, found,
                        f.plausible)  # fmt: skip
        yield from found
        if parsed.error:
            reading.typed[name] = cell.raw if cell is not None else None
            continue
        if parsed.value is None:
            if f.required and cell is not None:  # a cell not found at all is reported once, as such
                yield ctx.at(cell, "required-missing", indicator=f.name, name=name, detail=f'"{f.label}"')
            continue
        reading.fields[f.name] = parsed.value
        reading.typed[name] = parsed.value
        if f.evidence:
            ev_name = names.field_evidence_name(f.name)
            ev_cell = cells.get(ev_name)
            ev = _text(ev_cell)
            if ev and ev_cell is not None:
                reading.typed[ev_name] = ev
                reading.cited.append((f.name, ev_name, ev_cell.sheet, ev_cell.cell, ev))
            elif _claims(parsed.value):
                yield ctx.at(cells.get(ev_name), "evidence-missing", indicator=f.name, name=ev_name,
                             detail=f"\"{f.label}\"")  # fmt: skip
    yield from _field_constraints(ctx, fw.constraints, reading.fields, {f.name: f.label for f in all_fields})
    head = next((f for f in all_fields if f.name == HEAD_NAME), None)
    cell = cells.get(names.field_name(HEAD_NAME))
    if head is not None and cell is not None and not reading.fields.get(HEAD_NAME):  # CV 1690 mục 3
        yield ctx.at(cell, "head-confirmation-missing", indicator=HEAD_NAME, name=names.field_name(HEAD_NAME),
                     detail=f"\"{head.label}\"")  # fmt: skip


def _field_constraints(ctx: _Context, constraints: Iterable[Constraint], values: Mapping[str, Any],
                       labels: Mapping[str, str]) -> Iterator[Issue]:  # fmt: skip
    """Form-table rules such as chuyên trách + kiêm nhiệm ≤ tổng số (pl_2 + pl_3 ≤ pl_1)."""
    for c in constraints:
        parts = [values.get(n) for n in c.part]
        wholes = [values.get(n) for n in c.whole]
        if any(not isinstance(v, int | float | Decimal | Fraction) for v in parts + wholes):
            continue
        part, whole = sum(Fraction(str(v)) for v in parts), sum(Fraction(str(v)) for v in wholes)
        if part > whole:
            first = c.part[0]
            cell = ctx.raw.cells.get(names.field_name(first))
            shown = " + ".join(f"{labels.get(n, n)} ({_show(values.get(n))})" for n in c.part)
            whole_text = " + ".join(f"{labels.get(n, n)} ({_show(values.get(n))})" for n in c.whole)
            yield ctx.at(cell, "part-exceeds-whole", indicator=first, value=values.get(first),
                         detail=f"Số liệu không khớp: {shown} lớn hơn {whole_text}.")  # fmt: skip


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe(framework: Framework, name: str) -> tuple[str, str]:
    """(indicator code or field name, how a person calls the cell) for a defined name."""
    for ind in framework.indicators:
        for spec in ind.inputs:
            if name == names.input_name(ind.code, spec.name):
                return ind.code, f"số liệu {spec.name} của chỉ số {ind.code}"
        for make, what in ((names.na_name, "ô \"Không áp dụng\""), (names.evidence_name, "tài liệu kiểm chứng"),
                           (names.note_name, "giải trình")):  # fmt: skip
            if name == make(ind.code):
                return ind.code, f"{what} của chỉ số {ind.code}"
    for f in _all_fields(framework):
        if name == names.field_name(f.name):
            return f.name, f'"{f.label}"'
        if name == names.field_evidence_name(f.name):
            return f.name, f'tài liệu kiểm chứng của "{f.label}"'
    return "", name


def _all_fields(fw: Framework) -> list[Field]:
    out: list[Field] = list(fw.general_info) + [f for block in fw.contacts for f in block.fields]
    out += list(fw.narratives)
    if fw.report_table is not None:
        out += list(fw.report_table.rows)
    return out


def _layout(ctx: _Context, fw: Framework) -> Iterator[Issue]:
    raw = ctx.raw
    if raw.by_anchor:
        yield ctx.at(None, "read-by-anchor", detail=f"{len(raw.by_anchor)} ô")
    elif raw.moved and not raw.distrusted:
        yield ctx.at(None, "layout-changed")
    for sheet, ref, what in raw.package.outside:
        where = f"ô {sheet}!{ref}" if ref else f"phần {sheet}"
        yield make_issue("outside-link", file=ctx.file, sheet=sheet if ref else "", cell=ref, unit=ctx.unit,
                         detail=f"{where}: {what}")  # fmt: skip
    for name, sheet, ref in raw.distrusted:
        indicator, what = describe(fw, name)
        found = raw.cells.get(name)
        instead = (f"đã đọc {what} ở ô {found.sheet}!{found.cell}, tìm theo mã chỉ số và tên dòng" if found
                   else f"không tìm thấy ô của {what}")  # fmt: skip
        yield make_issue("name-moved", file=ctx.file, sheet=sheet, cell=ref, unit=ctx.unit, indicator=indicator,
                         name=name, detail=f"{name} trỏ tới ô {sheet}!{ref}, không phải ô {what}; {instead}")  # fmt: skip
    for name in raw.missing:
        if name in _SIGNOFF_NAMES:  # a template made before the sign-off block: said once, as no confirmation
            continue
        indicator, what = describe(fw, name)
        yield ctx.at(None, "cell-not-found", name=name, indicator=indicator, detail=what)


@by_identity
def _choices(framework: Framework) -> dict[str, tuple[str, ...]]:
    """Defined name → the option labels of a choice (or Có/Không) cell, for telling "Cã" is "Có"."""
    out: dict[str, tuple[str, ...]] = {}
    for ind in framework.indicators:
        for spec in ind.inputs:
            labels = tuple(o.label for o in spec.options)
            if spec.type is InputType.YESNO:
                labels = YES_NO
            if labels:
                out[names.input_name(ind.code, spec.name)] = labels
        out[names.na_name(ind.code)] = YES_NO
    for f in _all_fields(framework):
        labels = YES_NO if f.type is InputType.YESNO else tuple(o.label for o in f.options)
        if labels:
            out[names.field_name(f.name)] = labels
    return out


def _legacy_text(ctx: _Context, fw: Framework) -> Iterator[Issue]:
    """Text typed in the old TCVN3 or VNI fonts, converted to Unicode before anything reads it.

    The cell's font decides when the file gives it (``RawWorkbook.fonts``), else its characters;
    the converted text replaces the raw value, so names read right and a choice typed "Cã"
    (TCVN3 for "Có") is scored as "Có". Each conversion is an info issue with before and after.
    """
    choices = _choices(fw)
    fonts = ctx.raw.fonts
    for name, cell in list(ctx.raw.cells.items()):
        if not isinstance(cell.raw, str) or not (could_be_legacy(cell.raw) or (fonts and name in fonts)):
            continue
        fixed = repair(cell.raw, fonts.get(name, ""), choices.get(name, ()))
        if fixed is None:
            continue
        ctx.raw.cells[name] = RawCell(cell.name, cell.sheet, cell.cell, fixed.after)
        indicator, _ = describe(fw, name)
        yield make_issue("legacy-text-converted", file=ctx.file, sheet=cell.sheet, cell=cell.cell, unit=ctx.unit,
                         indicator=indicator, name=name, value=fixed.before,
                         detail=f"{fixed.how_vi}: \"{show(fixed.before)}\" đã được chuyển sang Unicode "
                                f"thành \"{show(fixed.after)}\"")  # fmt: skip


def parse_workbook(raw: RawWorkbook, framework: Framework, unit_code: str, unit_name: str) -> Reading:
    """The unit's figures for the engine, its fields, and every problem found in the cells."""
    reading = Reading(UnitInputs(unit_code, unit_name, {}, {}), {}, {}, [])
    ctx = _Context(raw, unit_code)
    issues = reading.issues
    issues += _legacy_text(ctx, framework)
    issues += _layout(ctx, framework)
    known = _indicator_names(framework)
    for ind in framework.indicators:
        issues += _indicator(ctx, ind, known[ind.code], reading)
    issues += _fields(ctx, framework, reading)
    return reading


def engine_issues(raw: RawWorkbook, framework: Framework, reading: Reading, score: UnitScore) -> list[Issue]:
    """The engine's findings for one unit, located to the cell of the figure they are about."""
    ctx = _Context(raw, reading.inputs.unit_code)
    out: list[Issue] = []
    for finding in score.findings:
        if finding.code == "min-max":
            continue
        code = finding.indicator
        if finding.code == "missing-value" and all((code, n) in reading.refused for n in finding.inputs):
            continue  # already reported as a value not understood
        if finding.code == "invalid-value":
            continue  # parse_value refused it first, with the cell and what is expected
        if finding.code in ("na-not-allowed", "na-without-explanation", "not-applicable"):
            name = names.note_name(code) if finding.code == "na-without-explanation" else names.na_name(code)
        elif finding.inputs:
            name = names.input_name(code, finding.inputs[0])
        else:
            name = ""
        cell = raw.cells.get(name) if name else None
        value = cell.raw if cell is not None else None
        out.append(ctx.at(cell, finding.code, indicator=code, name=name, value=value, detail=finding.message))
    return out


__all__ = ["Reading", "describe", "engine_issues", "parse_workbook"]
