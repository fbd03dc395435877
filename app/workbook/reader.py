"""Find every input cell of a returned workbook and take its raw value — by name, then by anchor.

The contract between the template and the reader is the defined names (DESIGN §4): they move with
the cells when a unit inserts rows, moves a block or renames a sheet. Files that lost them (an
old ``.xls`` save, a copy pasted into a new workbook) are read by *anchor*: each row of the
template has a key — the indicator code in column A, or the variable letter under the current
indicator, or the label in column B — and the same keys are looked up in the received sheet, so a
row found there stands for the template's row wherever it moved. Cell addresses of the template
are never trusted on their own.

Values are taken as python-calamine gives them (a formula cell arrives as its cached value);
turning them into numbers is ``values.parse_value``'s job.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from typing import Any

from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell

from app.textfold import fold
from scoring.memo import by_identity
from scoring.model import Framework

from . import names
from .fonts import legacy_fonts
from .package import Package, calamine_errors, open_calamine
from .template import META, TemplateFactory, plan_layout

#: where a cell is: (sheet name, zero-based row, zero-based column)
Where = tuple[str, int, int]

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")
_UNIT_LINE = re.compile(r"^\s*Đơn vị:\s*(?P<name>.*?)\s*\(mã\s*(?P<code>[^)]*?)\s*\)\s*(?:—\s*(?P<period>.*))?$")


@lru_cache(maxsize=16384)
def parse_ref(ref: str) -> tuple[int, int]:
    """``"$D$12"`` → (11, 3). Cached: the same few hundred addresses recur in every file."""
    if _REF.match(ref) is None:  # XlsxWriter's converter would warn and answer A1; a name's target must be exact
        raise ValueError(ref)
    row, col = xl_cell_to_rowcol(ref.replace("$", ""))
    return int(row), int(col)


def cell_ref(row: int, col: int) -> str:
    """(11, 3) → ``"D12"`` (XlsxWriter's converter, the one the writers use)."""
    return str(xl_rowcol_to_cell(row, col))


@dataclass(frozen=True, slots=True)
class RawCell:
    """One named input cell as found in a received file."""

    name: str
    sheet: str
    cell: str  # "D12"
    raw: Any  # None for an empty cell


@dataclass(slots=True)
class RawWorkbook:
    """What a returned file holds, before any interpretation."""

    package: Package
    meta: dict[str, str]  # the very hidden _meta sheet; {} when missing
    header: dict[str, str]  # from the title line "Đơn vị: … (mã …) — …": name, code, period
    cells: dict[str, RawCell]  # defined name → cell; only the names found
    missing: list[str] = field(default_factory=list)  # expected names found neither way
    by_anchor: list[str] = field(default_factory=list)  # names found by anchor, not by name
    moved: bool = False  # some named cell is not where a fresh template has it
    #: names whose target is not their template row (edited by hand or a tool): (name, sheet, "D12")
    #: as the file pointed; each was read by anchor instead
    distrusted: list[tuple[str, str, str]] = field(default_factory=list)
    #: defined name → the old Vietnamese font (.VnTime, VNI-Times…) its text cell is set in (``fonts.py``)
    fonts: dict[str, str] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return self.package.file


# --- the template's own map ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _TemplateMap:
    """Per framework: every input cell's defined name, its home and the anchor key of its row."""

    homes: dict[str, Where]  # name → (sheet, row, col) in a fresh template
    keys: dict[str, tuple[str, tuple[str, ...], int]]  # name → (sheet, row key, column)
    sheets: tuple[str, ...]  # template sheets holding named cells


def _cell_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return fold(str(value))


def _row_keys(rows: Sequence[Sequence[Any]], codes: frozenset[str]) -> dict[tuple[str, ...], int]:
    """Row key → row index: the indicator code, the variable under it, or the label of column B.

    Keys that occur twice (the same label in two contact blocks) are numbered in order, as a
    reader of the sheet would say "the second Họ tên".
    """
    keys: dict[tuple[str, ...], int] = {}
    current = ""
    for r, row in enumerate(rows):
        a = _cell_text(row[0]) if len(row) > 0 else ""
        b = _cell_text(row[1]) if len(row) > 1 else ""
        if a in codes:
            current = a
            key: tuple[str, ...] = ("code", a)
        elif current and a and len(a) <= 3:
            key = ("input", current, a)
        elif b:
            key = ("label", current, b[:60])
        elif a:
            key = ("label", current, a[:60])
        else:
            continue
        n = 1
        while (*key, str(n)) in keys:
            n += 1
        keys[(*key, str(n))] = r
    return keys


@by_identity
def _template_map(framework: Framework) -> _TemplateMap:
    layout = plan_layout(framework)
    outputs = {names.score_name(i.code) for i in framework.indicators} | {names.TOTAL_SCORE_NAME}
    outputs |= {names.group_score_name(g.code) for g in framework.groups}
    homes: dict[str, Where] = {}
    for sheet in layout.sheets:
        for c in sheet.cells:
            if c.name and c.name not in outputs:  # live scores are never read: the engine recomputes
                row, col = parse_ref(c.ref)
                homes[c.name] = (sheet.title, row, col)
    data = TemplateFactory(framework, "0000", "0000").render("X", "X")
    wb = CalamineWorkbook.from_filelike(BytesIO(data))
    codes = frozenset(fold(i.code) for i in framework.indicators)
    sheets = tuple(dict.fromkeys(s for s, _, _ in homes.values()))
    keys: dict[str, tuple[str, tuple[str, ...], int]] = {}
    for title in sheets:
        by_row = {r: k for k, r in _row_keys(wb.get_sheet_by_name(title).to_python(skip_empty_area=False),
                                             codes).items()}  # fmt: skip
        for name, (home_sheet, home_row, home_col) in homes.items():
            if home_sheet == title and home_row in by_row:
                keys[name] = (title, by_row[home_row], home_col)
    return _TemplateMap(homes, keys, sheets)


# --- reading ---------------------------------------------------------------------------------


class _Grids:
    """Sheets of one workbook, each read once, on first use."""

    def __init__(self, wb: CalamineWorkbook, names: Sequence[str], file: str) -> None:
        self._wb = wb
        self._file = file
        self._names = set(names)
        self._rows: dict[str, list[list[Any]]] = {}

    def has(self, sheet: str) -> bool:
        return sheet in self._names

    def loaded(self, sheet: str) -> bool:
        return sheet in self._rows

    def rows(self, sheet: str) -> list[list[Any]]:
        got = self._rows.get(sheet)
        if got is None:
            if sheet in self._names:
                with calamine_errors(self._file):  # a damaged sheet fails only when it is read
                    got = self._wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            else:
                got = []
            self._rows[sheet] = got
        return got

    def value(self, sheet: str, row: int, col: int) -> Any:
        rows = self.rows(sheet)
        if row < len(rows):
            line = rows[row]
            if col < len(line):
                v = line[col]
                return None if v == "" else v
        return None


def _meta(grids: _Grids) -> dict[str, str]:
    if not grids.has(META):
        return {}
    meta: dict[str, str] = {}
    for row in grids.rows(META)[:64]:
        if len(row) >= 2 and isinstance(row[0], str) and row[0]:
            meta[row[0].strip()] = _plain(row[1])
    return meta


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _header(grids: _Grids, sheets: Sequence[str]) -> dict[str, str]:
    """The title line every sheet of a template carries: "Đơn vị: <name> (mã <code>) — <period>".

    Sheets already read are searched first; another sheet is read only when none of them has it.
    """
    ordered = [s for s in sheets if grids.loaded(s)] + [s for s in sheets if not grids.loaded(s)]
    for sheet in ordered:
        for row in grids.rows(sheet)[:12]:
            for value in row[:3]:
                if isinstance(value, str) and "Đơn vị" in value[:12]:
                    m = _UNIT_LINE.match(unicodedata.normalize("NFC", value))
                    if m:
                        return {"name": m.group("name"), "code": m.group("code"), "period": m.group("period") or ""}
    return {}


def read_workbook(package: Package, framework: Framework, wb: CalamineWorkbook | None = None) -> RawWorkbook:
    """Every input cell of ``framework``'s template found in ``package``, with its raw value."""
    wb = wb if wb is not None else open_calamine(package)
    grids = _Grids(wb, package.sheet_names, package.file)
    tmap = _template_map(framework)
    cells: dict[str, RawCell] = {}
    missing: list[str] = []
    pending: list[str] = []
    moved = False
    names = package.defined_names
    codes = frozenset(fold(i.code) for i in framework.indicators)
    row_keys: dict[str, dict[int, tuple[str, ...]]] = {}  # received sheet → row → its anchor key
    distrusted: list[tuple[str, str, str]] = []
    for name, home in tmap.homes.items():
        target = names.get(name)
        if target is not None and grids.has(target[0]):
            sheet, ref = target
            try:
                row, col = parse_ref(ref)
            except ValueError:
                pending.append(name)
                continue
            if not _agrees(tmap, name, sheet, row, col, home, grids, codes, row_keys):
                distrusted.append((name, sheet, ref.replace("$", "")))
                pending.append(name)
                continue
            moved = moved or (sheet, row, col) != home
            cells[name] = RawCell(name, sheet, ref.replace("$", ""), grids.value(sheet, row, col))
        else:
            pending.append(name)
    suspect = {name for name, _, _ in distrusted}
    by_anchor: list[str] = []
    if pending:
        found = _by_anchor(grids, package.sheet_names, framework, tmap, pending)
        for name in pending:
            where = found.get(name)
            if where is None:
                missing.append(name)
                continue
            sheet, row, col = where
            moved = True
            if name not in suspect:
                by_anchor.append(name)
            cells[name] = RawCell(name, sheet, cell_ref(row, col), grids.value(sheet, row, col))
    visible = [s for s in package.sheet_names if s != META]
    return RawWorkbook(package, _meta(grids), _header(grids, visible), cells, missing, by_anchor, moved, distrusted,
                       _fonts(package, cells))  # fmt: skip


def _fonts(package: Package, cells: dict[str, RawCell]) -> dict[str, str]:
    """The old-font cells among the text cells read (only text can be TCVN3 or VNI)."""
    wanted: dict[str, set[str]] = {}
    for c in cells.values():
        if isinstance(c.raw, str) and not c.raw.isascii():
            wanted.setdefault(c.sheet, set()).add(c.cell)
    if not wanted:
        return {}
    found = legacy_fonts(package, wanted)
    return {c.name: found[(c.sheet, c.cell)] for c in cells.values() if (c.sheet, c.cell) in found}


def _agrees(tmap: _TemplateMap, name: str, sheet: str, row: int, col: int, home: Where, grids: _Grids,
            codes: frozenset[str], row_keys: dict[str, dict[int, tuple[str, ...]]]) -> bool:  # fmt: skip
    """Whether a defined name still points at its own row: the one with the template row's anchor.

    Names move with their cells when rows are inserted or a sheet is renamed, and then the row
    under them still carries the indicator code, the variable letter or the label it had in the
    template. A name edited by hand or by a tool to point elsewhere (the summary's title, another
    input's cell) lands on a row with another key, or in another column: it is not believed.
    """
    if (sheet, row, col) == home:
        return True
    expected = tmap.keys.get(name)
    if expected is None:  # the template row has no anchor: nothing to compare with
        return True
    _, key, home_col = expected
    if col != home_col:
        return False
    keys = row_keys.get(sheet)
    if keys is None:
        keys = row_keys[sheet] = {r: k for k, r in _row_keys(grids.rows(sheet), codes).items()}
    return keys.get(row) == key


def _by_anchor(grids: _Grids, sheet_names: Sequence[str], framework: Framework, tmap: _TemplateMap,
               pending: Sequence[str]) -> dict[str, Where]:  # fmt: skip
    """Find cells by the keys of their rows (see the module docstring)."""
    codes = frozenset(fold(i.code) for i in framework.indicators)
    candidates = [s for s in sheet_names if s != META]
    received = {s: _row_keys(grids.rows(s), codes) for s in candidates}
    # the template's sheet → the received sheet sharing most row keys (a renamed sheet still matches)
    wanted: dict[str, set[tuple[str, ...]]] = {}
    for name in pending:
        if name in tmap.keys:
            sheet, key, _ = tmap.keys[name]
            wanted.setdefault(sheet, set()).add(key)
    match: dict[str, str] = {}
    for sheet, keys in wanted.items():
        best = max(candidates, key=lambda s: (len(keys & received[s].keys()), s == sheet), default=None)
        if best is not None and keys & received[best].keys():
            match[sheet] = best
    found: dict[str, Where] = {}
    for name in pending:
        if name not in tmap.keys:
            continue
        sheet, key, col = tmap.keys[name]
        target = match.get(sheet)
        if target is not None and key in received[target]:
            found[name] = (target, received[target][key], col)
    return found


__all__ = ["RawCell", "RawWorkbook", "cell_ref", "parse_ref", "read_workbook"]
