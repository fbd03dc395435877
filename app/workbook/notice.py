"""The appraisal notice (thông báo kết quả thẩm định vòng 1): what the office sends a unit whose
figures round 1 changed, and what the unit sends back (giải trình), KH 305 / KH 95.

One sheet, one row per changed indicator: the unit's figure, the appraised figure and the
office's reason, then two open columns for the unit's explanation and the new evidence it
attaches. Everything else is locked. Like the templates (DESIGN §4), a very hidden ``_meta``
sheet says what the file is (``document = appraisal-notice``), for which unit, period and
framework, so a returned notice is recognised by its metadata wherever it is dropped, whatever it
is renamed to, and the explanations are read by the indicator code in each row, never by a
fixed row (a unit may sort or insert rows).

Text that came from outside the office (the unit's name, figures, reasons) is written as text,
quote-prefixed when it could be read as a formula (``template.write_text``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from xlsxwriter.workbook import Workbook

from app import __version__
from app.atomic import write_atomic
from app.period import deadline_vi
from app.safe_text import looks_like_formula

from .filenames import template_filename
from .package import Unusable, calamine_errors, open_calamine, open_package
from .template import FONT, META, write_text

DOCUMENT = "appraisal-notice"
SHEET = "Thông báo thẩm định"
HEADERS = ("STT", "Chỉ số", "Nội dung", "Số liệu, điểm của đơn vị", "Kết quả thẩm định vòng 1", "Lý do",
           "Giải trình của đơn vị", "Tài liệu kiểm chứng mới (tên tệp gửi kèm)")  # fmt: skip
WIDTHS = (5, 8, 34, 22, 22, 34, 40, 30)
COL_CODE, COL_EXPLANATION, COL_EVIDENCE = 1, 6, 7
FIRST_ROW = 5  # the table's header row (0-based); rows follow it


@dataclass(frozen=True, slots=True)
class NoticeRow:
    indicator: str
    title: str
    unit_value: str  # the unit's own figure(s) or score, as people read them
    appraised: str  # round 1's figure(s) or score
    reason: str


@dataclass(frozen=True, slots=True)
class Reply:
    """What a returned notice says: whose, which period, and per indicator the explanation and evidence."""

    unit_code: str
    period: str
    framework_id: str
    explanations: dict[str, tuple[str, str]]  # indicator → (explanation, new evidence); answered rows only


def notice_filename(period_code: str, unit_code: str, unit_name: str) -> str:
    """``2023-Q1_DV01_Nha-hat-Thanh-pho_thong-bao-tham-dinh.xlsx`` (the template's name with a suffix)."""
    return template_filename(period_code, unit_code, unit_name).removesuffix(".xlsx") + "_thong-bao-tham-dinh.xlsx"


def render_notice(rows: Sequence[NoticeRow], *, unit_code: str, unit_name: str, period_code: str,
                  period_label: str, framework_id: str, explain_by: date | None,
                  now: datetime | None = None) -> bytes:  # fmt: skip
    stream = io.BytesIO()
    wb = Workbook(stream, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    base = {"font_name": FONT, "font_size": 12, "text_wrap": True, "valign": "top", "border": 1}
    fmt = {
        "title": wb.add_format({"font_name": FONT, "font_size": 14, "bold": True}),
        "text": wb.add_format({"font_name": FONT, "font_size": 12, "text_wrap": True, "valign": "top"}),
        "head": wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "align": "center"}),
        "cell": wb.add_format(base),
        "open": wb.add_format({**base, "locked": False, "bg_color": "#FFF2CC"}),
        "meta": wb.add_format({"font_name": FONT}),
    }
    fmt.update({"'" + k: wb.add_format({**base, "quote_prefix": True}) for k in ("cell",)})
    fmt["'text"] = wb.add_format({"font_name": FONT, "font_size": 12, "text_wrap": True, "quote_prefix": True})
    fmt["'meta"] = wb.add_format({"font_name": FONT, "quote_prefix": True})
    ws = wb.add_worksheet(SHEET)
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, "THÔNG BÁO KẾT QUẢ THẨM ĐỊNH VÒNG 1", fmt["title"])
    last = len(HEADERS) - 1
    who = f"Đơn vị: {unit_code} – {unit_name}; {period_label}"
    ws.merge_range(1, 0, 1, last, who, fmt["'text" if looks_like_formula(who) else "text"])
    due = f" {deadline_vi(explain_by)}" if explain_by else ""
    ws.merge_range(2, 0, 3, last, f"Đơn vị xem các chỉ số Sở đã điều chỉnh dưới đây. Nếu chưa thống nhất, ghi giải "
                                  f"trình vào cột G, ghi tên tài liệu kiểm chứng mới vào cột H (gửi kèm tệp), lưu tệp và "
                                  f"gửi lại{due}. Không đổi tên trang, không xóa cột.", fmt["text"])  # fmt: skip
    for col, head in enumerate(HEADERS):
        ws.write_string(FIRST_ROW, col, head, fmt["head"])
    ws.set_row(FIRST_ROW, 32)
    for n, row in enumerate(rows, start=1):
        r = FIRST_ROW + n
        ws.write_number(r, 0, n, fmt["cell"])
        for col, text in ((1, row.indicator), (2, row.title), (3, row.unit_value), (4, row.appraised),
                          (5, row.reason)):  # fmt: skip
            write_text(ws, r, col, text, fmt, "cell")
        ws.write_blank(r, COL_EXPLANATION, None, fmt["open"])
        ws.write_blank(r, COL_EVIDENCE, None, fmt["open"])
        longest = max(
            len(row.title) / WIDTHS[2],
            len(row.reason) / WIDTHS[5],
            *(len(line) / WIDTHS[3] for line in (row.unit_value + "\n" + row.appraised).split("\n")),
        )
        ws.set_row(r, 16 * max(3, int(longest * 1.2) + 1 + row.unit_value.count("\n")))
    ws.repeat_rows(FIRST_ROW)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"format_rows": True, "format_columns": True})
    meta = wb.add_worksheet(META)
    stamp = (now or datetime.now()).replace(microsecond=0).isoformat()
    for r, (key, value) in enumerate((("document", DOCUMENT), ("framework_id", framework_id), ("unit_code", unit_code),
                                      ("unit_name", unit_name), ("period", period_code), ("generated_at", stamp),
                                      ("app_version", __version__))):  # fmt: skip
        meta.write_string(r, 0, key, fmt["meta"])
        write_text(meta, r, 1, value, fmt, "meta")
    meta.protect("")
    meta.very_hidden()
    ws.activate()
    wb.close()
    return stream.getvalue()


def write_notice(rows: Sequence[NoticeRow], *, target: Path, unit_code: str, unit_name: str, period_code: str,
                 period_label: str, framework_id: str, explain_by: date | None,
                 now: datetime | None = None) -> Path:  # fmt: skip
    """Write the notice to ``target`` atomically (see ``render_notice``)."""
    data = render_notice(rows, unit_code=unit_code, unit_name=unit_name, period_code=period_code,
                         period_label=period_label, framework_id=framework_id, explain_by=explain_by, now=now)  # fmt: skip
    return write_atomic(Path(target), data)


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def read_reply(data: bytes, file: str) -> Reply | None:
    """The explanations of a returned notice, or None when the file is not an appraisal notice.

    Raises ``Unusable`` for a file that cannot be opened safely (as every received file)."""
    pkg = open_package(data, file=file)
    if META not in pkg.sheet_names or SHEET not in pkg.sheet_names:  # a template has a _meta too
        return None
    with calamine_errors(file):
        wb = open_calamine(pkg)
        meta = {
            _plain(r[0]): _plain(r[1])
            for r in wb.get_sheet_by_name(META).to_python(skip_empty_area=False)
            if len(r) >= 2
        }
        if meta.get("document") != DOCUMENT:
            return None
        grid = wb.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    found: dict[str, tuple[str, str]] = {}
    header = next((i for i, r in enumerate(grid) if len(r) > COL_EVIDENCE and _plain(r[1]) == HEADERS[1]), None)
    if header is None:
        raise Unusable("layout-unrecognised", file, "không thấy dòng tiêu đề của bảng thông báo thẩm định")
    for r in grid[header + 1 :]:
        if len(r) <= COL_CODE or not _plain(r[COL_CODE]):
            continue
        text = _plain(r[COL_EXPLANATION]) if len(r) > COL_EXPLANATION else ""
        evidence = _plain(r[COL_EVIDENCE]) if len(r) > COL_EVIDENCE else ""
        if text or evidence:
            found[_plain(r[COL_CODE])] = (text, evidence)
    return Reply(meta.get("unit_code", ""), meta.get("period", ""), meta.get("framework_id", ""), found)


def is_notice(data: bytes, file: str) -> bool:
    """Whether ``data`` is a returned appraisal notice (its ``_meta`` says so); False for anything unreadable."""
    try:
        return read_reply(data, file) is not None
    except Unusable:
        return False


__all__ = ["DOCUMENT", "NoticeRow", "Reply", "is_notice", "notice_filename", "read_reply", "render_notice",
           "write_notice"]  # fmt: skip
