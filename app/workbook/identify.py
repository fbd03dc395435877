"""Which unit sent a file, for which period and framework — and how sure we are.

Order of evidence (DESIGN §5): the very hidden ``_meta`` sheet written with the template; where it
is missing or damaged, the title line "Đơn vị: <name> (mã <code>) — <period>" every sheet
carries; then the file name (``2023-Q1_DV01_Nha-hat….xlsx`` as generated, or a unit's name typed
into it). Names are compared folded (NFC/NFD, case, spacing, hoà/hòa). The result says which
evidence decided, and other evidence that points at a *different* unit (a colleague's template
reused, a file renamed) is reported rather than silently trusted or ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from app.legacy_text import repair
from app.period import parse_period
from app.textfold import fold_loose
from scoring.model import Framework

from . import names
from .filenames import ascii_fold
from .issues import Issue, make_issue
from .reader import RawWorkbook
from .roster import RosterUnit

METADATA = "metadata"
HEADER = "header"
FILE_NAME = "file-name"

#: fields in which a unit types its own name (general information, contact blocks)
_UNIT_NAME_FIELDS = ("info_1_1", "contact_unit", "approver_unit")
_GENERATED = re.compile(r"^(?:\d{4}(?:-Q[1-4])?)_([A-Za-z0-9][A-Za-z0-9.-]*)_")


@dataclass(frozen=True, slots=True)
class Identity:
    unit_code: str  # "" when no evidence named a unit
    unit_name: str
    by: str  # METADATA | HEADER | FILE_NAME | ""
    period: str  # the period the file says it is for ("" unknown)
    framework_id: str  # "" unknown
    framework_version: str


class _Roster:
    def __init__(self, units: Sequence[RosterUnit]) -> None:
        self.by_code = {u.code.casefold(): u for u in units}
        self.by_name: dict[str, list[RosterUnit]] = {}
        for u in units:
            self.by_name.setdefault(fold_loose(u.name), []).append(u)
        self.ascii_names = [(ascii_fold(u.name).casefold().replace(" ", "-"), u) for u in units]

    def code(self, code: str) -> RosterUnit | None:
        return self.by_code.get(code.strip().casefold()) if code else None

    def name(self, text: str) -> RosterUnit | None:
        """The one unit whose name equals the text folded, or is contained in it."""
        key = fold_loose(text)
        if not key:
            return None
        exact = self.by_name.get(key, [])
        if len(exact) == 1:
            return exact[0]
        inside = [u for k, us in self.by_name.items() if len(k) >= 6 and k in key for u in us]
        return inside[0] if len(inside) == 1 else None


#: the index of the roster last asked about, with that roster: an ingest identifies every file against
#: the same roster list, and building the index (folding every unit's name) per file made receiving
#: 5,000 units' files quadratic (75 ms a file instead of 12)
_LAST_INDEX: tuple[Sequence[RosterUnit], int, _Roster] | None = None


def _index(roster: Sequence[RosterUnit]) -> _Roster:
    """The lookup index of ``roster``, built once for a roster used again (the same list, unchanged length)."""
    global _LAST_INDEX
    last = _LAST_INDEX
    if last is not None and last[0] is roster and last[1] == len(roster):
        return last[2]
    book = _Roster(roster)
    _LAST_INDEX = (roster, len(roster), book)
    return book


def _period_of(text: str) -> str:
    try:
        return parse_period(text).code
    except ValueError:
        return ""


def _file_hints(file: str, roster: _Roster | None) -> tuple[str, RosterUnit | None]:
    """(a unit code the file name carries, the roster unit the file name points at).

    A name typed in an old font ("B¸o c¸o Th­ viÖn", TCVN3) is read as the Unicode it stands for.
    """
    stem = PurePath(file).stem
    fixed = repair(stem)
    if fixed is not None:
        stem = fixed.after
    m = _GENERATED.match(stem)
    code = m.group(1) if m else ""
    if roster is None:
        return code, None
    if code and roster.code(code):
        return code, roster.code(code)
    for token in re.split(r"[_\s]+", stem):
        unit = roster.code(token)
        if unit is not None:
            return unit.code, unit
    folded = ascii_fold(stem).casefold().replace(" ", "-").replace("_", "-")
    hits = [u for key, u in roster.ascii_names if len(key) >= 6 and key in folded]
    return code, hits[0] if len(hits) == 1 else None


def unit_in_file_name(file: str, roster: Sequence[RosterUnit]) -> RosterUnit | None:
    """The roster unit a file's name points at (its code as generated or as a word, or its name), if one.

    For a file that cannot be opened (a password, a damaged zip) the name is all there is to tie it
    to the unit that sent it.
    """
    return _file_hints(file, _index(roster))[1]


def identify(raw: RawWorkbook, framework: Framework, period: str,
             roster: Sequence[RosterUnit] | None = None) -> tuple[Identity, list[Issue]]:  # fmt: skip
    """Who sent ``raw`` and whether it is the expected period and framework, with the issues."""
    file = raw.file
    book = _index(roster) if roster is not None else None
    meta, header = raw.meta, raw.header
    issues: list[Issue] = []
    code = name = by = ""
    unknown_detail = ""

    def settle(unit_code: str, unit_name: str, how: str) -> bool:
        nonlocal code, name, by, unknown_detail
        if not unit_code and not unit_name:
            return False
        if book is None:
            if not unit_code:
                return False
            code, name, by = unit_code.strip(), unit_name.strip(), how
            return True
        unit = book.code(unit_code) or book.name(unit_name)
        if unit is None:
            unknown_detail = unknown_detail or f"{unit_code} {unit_name}".strip()
            return False
        code, name, by = unit.code, unit.name, how
        return True

    meta_ok = bool(meta.get("unit_code")) and meta.get("framework_id", "") != ""
    file_code, file_unit = _file_hints(file, book)
    if not (meta_ok and settle(meta["unit_code"], meta.get("unit_name", ""), METADATA)):
        if settle(header.get("code", ""), header.get("name", ""), HEADER):
            issues.append(make_issue("identified-by-header", file=file, unit=code, detail=f"{code} – {name}"))
        elif (file_unit is not None and settle(file_unit.code, file_unit.name, FILE_NAME)) or (
                book is None and settle(file_code, "", FILE_NAME)):  # fmt: skip
            issues.append(make_issue("identified-by-file-name", file=file, unit=code, detail=f"{code} {name}".strip()))
    if not by:
        seen = unknown_detail or "không có thông tin đơn vị trong tệp"
        issues.append(make_issue("unit-unknown", file=file, detail=seen))

    # other evidence pointing elsewhere: a colleague's template reused, a renamed file
    if by:
        issues += _disagreements(raw, code, name, by, book, file_code, file_unit)

    stated_period = meta.get("period", "") if meta_ok else _period_of(header.get("period", ""))
    if stated_period and stated_period != period:
        issues.append(make_issue("wrong-period", file=file, unit=code, value=stated_period, detail=period))
    fw_id = meta.get("framework_id", "")
    fw_version = meta.get("framework_version", "")
    if fw_id and fw_id != framework.id:
        issues.append(make_issue("wrong-framework", file=file, unit=code, value=fw_id, detail=framework.id))
    elif fw_id and fw_version and fw_version != framework.version:
        issues.append(make_issue("framework-version-differs", file=file, unit=code, value=fw_version,
                                 detail=framework.version))  # fmt: skip
    return Identity(code, name, by, stated_period, fw_id, fw_version), issues


def _disagreements(raw: RawWorkbook, code: str, name: str, by: str, book: _Roster | None,
                   file_code: str, file_unit: RosterUnit | None) -> Iterable[Issue]:  # fmt: skip
    file = raw.file
    others: list[str] = []
    header_code = raw.header.get("code", "").strip()
    if by == METADATA and header_code and header_code.casefold() != code.casefold():
        others.append(f"tiêu đề trong bảng ghi mã {header_code}")
    if file_unit is not None and file_unit.code.casefold() != code.casefold():
        others.append(f"tên tệp chỉ đơn vị {file_unit.code} – {file_unit.name}")
    elif book is None and file_code and file_code.casefold() != code.casefold():
        others.append(f"tên tệp ghi mã {file_code}")
    if book is not None:
        for field in _UNIT_NAME_FIELDS:
            cell = raw.cells.get(names.field_name(field))
            if cell is None or not isinstance(cell.raw, str):
                continue
            typed = book.name(cell.raw)
            if typed is not None and typed.code.casefold() != code.casefold():
                others.append(f'ô {cell.sheet}!{cell.cell} ghi "{cell.raw.strip()}" ({typed.code})')
                break
    if others:
        detail = f"{code} – {name}, nhưng {'; '.join(others)}"
        yield make_issue("meta-header-mismatch", file=file, unit=code, detail=detail)


__all__ = ["FILE_NAME", "HEADER", "METADATA", "Identity", "identify", "unit_in_file_name"]
