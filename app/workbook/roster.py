"""The roster: the list of units an office sends templates to, read from the file the office already has.

Offices keep this list in Excel, and when they "save as CSV" Vietnamese Windows writes cp1258 with
``;`` between columns, often below a title row and with headers in whatever words the clerk chose
("Mã đơn vị", "Ma don vi", "MÃ SỐ"). So the reader accepts CSV in UTF-8 or cp1258/cp1252 with any
of ``,`` ``;`` tab, and .xlsx/.xlsm, finds the header by meaning rather than position, and reports
every problem at once with the file and cell, so the clerk fixes the file in one pass.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]
from xlsxwriter.utility import xl_rowcol_to_cell

from app.errors import UserError
from app.legacy_text import convert_guessed, is_legacy_font, repair, vietnamese_score

from .filenames import ascii_fold
from .phone import phone_text

CSV_SUFFIXES = frozenset({".csv"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
CSV_ENCODINGS = ("utf-8-sig", "cp1258", "cp1252")
CSV_DELIMITERS = ",;\t"
# Title rows ("SỞ VĂN HÓA VÀ THỂ THAO", "DANH SÁCH ĐƠN VỊ", a date) may stand above the header;
# the header is looked for in this many non-empty rows.
HEADER_SEARCH_ROWS = 10

CODE_HEADERS = ("code", "ma", "mã", "mã đơn vị", "ma don vi", "mã số")
NAME_HEADERS = ("name", "tên", "tên đơn vị", "đơn vị", "ten don vi")
EMAIL_HEADERS = ("email", "e-mail", "thư điện tử", "thu dien tu")
KIND_HEADERS = ("loại", "loại hình", "loại đơn vị", "kind", "type")
CONTACT_HEADERS = ("người liên hệ", "đầu mối", "cán bộ đầu mối", "contact")
PHONE_HEADERS = ("điện thoại", "số điện thoại", "sđt", "phone")
#: the optional columns, in the order ``RosterFile.columns`` and messages list them
OPTIONAL_COLUMNS = ("kind", "email", "contact", "phone")


@dataclass(frozen=True, slots=True)
class RosterUnit:
    """One unit on the roster: its code (as written), its name, and optional e-mail, kind, contact and phone.

    The optional fields come last with defaults so ``RosterUnit(code, name, email)`` keeps working.
    """

    code: str
    name: str
    email: str = ""
    kind: str = ""  # "Loại": Nhà hát, Bảo tàng …, as the office writes it
    contact: str = ""  # "Người liên hệ" / "Đầu mối": the person the office writes to
    phone: str = ""


@dataclass(frozen=True, slots=True)
class RosterFile:
    """What a roster file holds: its units, and which optional columns (``OPTIONAL_COLUMNS``) it has.

    An import needs the columns: a file without a "Người liên hệ" column says nothing about
    contacts, which is not the same as a column left empty.
    """

    units: list[RosterUnit]
    columns: frozenset[str]
    #: text typed in the old TCVN3/VNI fonts, converted to Unicode: code "legacy-text-converted", cell, before → after
    notes: tuple[RosterProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class RosterProblem:
    """Why a roster cannot be used: a kebab-case ``code``, the file, the cell (``A7`` or ""), a Vietnamese message."""

    code: str
    file: str
    cell: str
    message: str


class RosterError(UserError):
    """The roster could not be read; ``problems`` lists every reason, in file order."""

    def __init__(self, problems: list[RosterProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.message for p in problems))

    def __reduce__(self) -> tuple[type[RosterError], tuple[list[RosterProblem]]]:  # pickles whole
        return (RosterError, (self.problems,))


def header_key(text: str) -> str:
    """Compare headers ignoring case, accents, spaces and punctuation: ``Mã  Đơn vị:`` → ``madonvi``."""
    return "".join(ch for ch in ascii_fold(unicodedata.normalize("NFC", text)).casefold() if ch.isalnum())


_COLUMN_BY_KEY = {
    **{header_key(h): "code" for h in CODE_HEADERS},
    **{header_key(h): "name" for h in NAME_HEADERS},
    **{header_key(h): "email" for h in EMAIL_HEADERS},
    **{header_key(h): "kind" for h in KIND_HEADERS},
    **{header_key(h): "contact" for h in CONTACT_HEADERS},
    **{header_key(h): "phone" for h in PHONE_HEADERS},
}


def cell_text(value: object) -> str:
    """A cell as clean text: NFC, whitespace collapsed; whole numbers without ``.0`` (``12.0`` → ``12``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime) and value.time() == time(0):
        text = value.date().isoformat()
    elif isinstance(value, date | time):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.replace("\u200b", "").replace("\ufeff", "")  # zero-width space, stray BOM
    return " ".join(unicodedata.normalize("NFC", text).split())


def read_roster(path: Path) -> list[RosterUnit]:
    """The units listed in a .csv, .xlsx or .xlsm file, in file order; ``RosterError`` lists every problem."""
    return read_roster_file(path).units


def read_roster_file(path: Path) -> RosterFile:
    """Like ``read_roster``, also telling which optional columns the file has."""
    rows, fonts, problem = _read_rows(path)
    if problem is not None:
        raise RosterError([problem])
    notes = _legacy_text(rows, fonts, path.name)
    units, columns, problems = _units_from_rows(rows, path.name)
    if problems:
        raise RosterError(problems)
    return RosterFile(units, columns, tuple(notes))


def _legacy_text(rows: list[list[str]], fonts: dict[tuple[int, int], str], file: str) -> list[RosterProblem]:
    """Convert, in place, cells typed in the old TCVN3/VNI fonts (by the cell's font, else its characters)."""
    notes: list[RosterProblem] = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if not text or text.isascii():
                continue
            fixed = repair(text, fonts.get((r, c), ""))
            if fixed is None:
                continue
            row[c] = fixed.after
            where = str(xl_rowcol_to_cell(r, c))
            notes.append(RosterProblem("legacy-text-converted", file, where,
                                       f"Tệp {file}, ô {where}: gõ bằng {fixed.how_vi}; đã chuyển “{fixed.before}” "
                                       f"thành “{fixed.after}”."))  # fmt: skip
    return notes


def _unreadable(path: Path, why: str) -> RosterProblem:
    return RosterProblem("roster-unreadable", path.name, "", f"Tệp {path.name}: không đọc được — {why}.")


_Fonts = dict[tuple[int, int], str]


def _read_rows(path: Path) -> tuple[list[list[str]], _Fonts, RosterProblem | None]:
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES | EXCEL_SUFFIXES:
        hint = " (hãy mở bằng Excel và lưu lại dạng .xlsx)" if suffix in {".xls", ".ods"} else ""
        return [], {}, _unreadable(path, f"chỉ đọc được tệp .csv, .xlsx hoặc .xlsm{hint}")
    if not path.is_file():
        return [], {}, _unreadable(path, f"không tìm thấy tệp {path}")
    try:
        if suffix in CSV_SUFFIXES:
            return _csv_rows(path.read_bytes()), {}, None
        rows, fonts = _excel_rows(path)
        return rows, fonts, None
    except _NoVisibleSheet:
        return [], {}, _unreadable(path, "tệp không có trang tính nào đang hiện")
    except Exception as exc:  # a damaged or mislabelled file can fail anywhere inside openpyxl/zipfile
        return [], {}, _unreadable(path, f"{type(exc).__name__}: {exc}")


def _decode(data: bytes) -> str:
    """UTF-8, else cp1258 (Vietnamese Windows) — unless the cp1252 view is TCVN3/VNI text.

    A list typed in .VnTime and saved as CSV holds the font's bytes; cp1258 would turn some of
    them into other letters (0xCC into a combining accent), so that view is taken only when the
    cp1252 one is not recognisably legacy text.
    """
    try:
        return data.decode(CSV_ENCODINGS[0])
    except UnicodeDecodeError:
        pass
    western = data.decode("cp1252", errors="replace")
    decoded = None
    for encoding in CSV_ENCODINGS[1:-1]:
        try:
            decoded = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if decoded is None:
        return western
    # both views are tried: the one that reads as more Vietnamese syllables is what the clerk typed
    if vietnamese_score(convert_guessed(western)) > vietnamese_score(unicodedata.normalize("NFC", decoded)):
        return western
    return decoded


def _csv_rows(data: bytes) -> list[list[str]]:
    """Rows of a CSV file, split on the delimiter that yields a recognised header.

    ``csv.Sniffer`` guesses first; a guess is only kept if a header is found with it, since a title
    row or a comma inside a name can mislead the sniffer.
    """
    text = _decode(data)
    try:
        sniffed = csv.Sniffer().sniff(text[:8192], delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","

    def split(delimiter: str) -> list[list[str]]:
        return [[cell_text(v) for v in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]

    guessed = split(sniffed)
    if _find_header(guessed) is not None:
        return guessed
    for other in CSV_DELIMITERS.replace(sniffed, ""):
        rows = split(other)
        if _find_header(rows) is not None:
            return rows
    return guessed


class _NoVisibleSheet(Exception):
    pass


def _excel_rows(path: Path) -> tuple[list[list[str]], _Fonts]:
    """The first visible sheet's cells as text, and the old Vietnamese font of those set in one."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = next((ws for ws in workbook.worksheets if ws.sheet_state == "visible"), None)
        if sheet is None:
            raise _NoVisibleSheet
        sheet.reset_dimensions()  # some writers store a wrong sheet size; read every cell there is
        rows: list[list[str]] = []
        fonts: _Fonts = {}
        for r, row in enumerate(sheet.iter_rows()):
            texts = []
            for c, cell in enumerate(row):
                value = getattr(cell, "value", None)
                text = cell_text(value)
                shown = str(getattr(cell, "number_format", "") or "")
                if isinstance(value, int | float) and text.isdigit() and set(shown) == {"0"}:
                    text = text.zfill(len(shown))  # a "0000000000" format shows the zeros the number lost
                texts.append(text)
                if isinstance(value, str) and not value.isascii():
                    name = getattr(getattr(cell, "font", None), "name", None) or ""
                    if is_legacy_font(name):
                        fonts[(r, c)] = name
            rows.append(texts)
        return rows, fonts
    finally:
        workbook.close()


@dataclass(frozen=True, slots=True)
class _Header:
    row: int  # 0-based index into the rows
    columns: dict[str, int]  # "code" / "name" / "email" / "kind" / "contact" / "phone" → 0-based column


def _find_header(rows: list[list[str]]) -> _Header | None:
    seen = 0
    for index, row in enumerate(rows):
        if not any(row):
            continue
        columns: dict[str, int] = {}
        for col, value in enumerate(row):
            field = _COLUMN_BY_KEY.get(header_key(value))
            if field is not None:
                columns.setdefault(field, col)
        if "code" in columns and "name" in columns:
            return _Header(index, columns)
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return None


def _accepted(headers: Iterable[str]) -> str:
    return ", ".join(f"“{h}”" for h in headers)


def _at(row: list[str], col: int | None) -> str:
    return row[col] if col is not None and col < len(row) else ""


def _units_from_rows(rows: list[list[str]],
                     file: str) -> tuple[list[RosterUnit], frozenset[str], list[RosterProblem]]:  # fmt: skip
    if not any(any(row) for row in rows):
        return (
            [],
            frozenset(),
            [RosterProblem("roster-empty", file, "", f"Tệp {file}: tệp trống, không có đơn vị nào.")],
        )
    header = _find_header(rows)
    if header is None:
        message = (
            f"Tệp {file}: không tìm thấy dòng tiêu đề có cột mã đơn vị và cột tên đơn vị "
            f"(trong {HEADER_SEARCH_ROWS} dòng có dữ liệu đầu tiên). Tiêu đề được chấp nhận — "
            f"cột mã: {_accepted(CODE_HEADERS)}; cột tên: {_accepted(NAME_HEADERS)}; "
            f"cột thư điện tử (không bắt buộc): {_accepted(EMAIL_HEADERS)}; "
            f"cột loại (không bắt buộc): {_accepted(KIND_HEADERS)}; "
            f"cột người liên hệ (không bắt buộc): {_accepted(CONTACT_HEADERS)}; "
            f"cột điện thoại (không bắt buộc): {_accepted(PHONE_HEADERS)}."
        )
        return [], frozenset(), [RosterProblem("roster-no-header", file, "", message)]

    code_col, name_col = header.columns["code"], header.columns["name"]
    optional = {field: header.columns.get(field) for field in OPTIONAL_COLUMNS}

    def cell(row_index: int, col: int) -> str:
        return str(xl_rowcol_to_cell(row_index, col))

    units: list[RosterUnit] = []
    problems: list[RosterProblem] = []
    first_cell_of_code: dict[str, str] = {}
    for index in range(header.row + 1, len(rows)):
        row = rows[index]
        if not any(row):
            continue
        code, name = _at(row, code_col), _at(row, name_col)
        if not code:
            where = cell(index, code_col)
            problems.append(RosterProblem("missing-code", file, where, f"Tệp {file}, ô {where}: thiếu mã đơn vị."))
        if not name:
            where = cell(index, name_col)
            problems.append(RosterProblem("missing-name", file, where, f"Tệp {file}, ô {where}: thiếu tên đơn vị."))
        if code:
            where = cell(index, code_col)
            first = first_cell_of_code.setdefault(code.casefold(), where)
            if first != where:
                problems.append(
                    RosterProblem(
                        "duplicate-code",
                        file,
                        where,
                        f"Tệp {file}, ô {where}: mã đơn vị “{code}” trùng với mã ở ô {first}.",
                    )
                )
        if code and name:
            given = {field: _at(row, col) for field, col in optional.items()}
            given["phone"] = phone_text(given["phone"])  # a number cell lost its leading 0 (app.workbook.phone)
            units.append(RosterUnit(code, name, **given))
    if not units and not problems:
        problems.append(
            RosterProblem("roster-empty", file, "", f"Tệp {file}: có dòng tiêu đề nhưng không có đơn vị nào bên dưới.")
        )
    return units, frozenset(f for f, col in optional.items() if col is not None), problems
