"""The feedback workbook: what the office sends back to a unit whose file has problems (DESIGN §2 step 4).

It is the unit's template built afresh, not the received file re-saved: openpyxl drops parts of a
workbook it does not understand (Excel's x14 validations among them), and a fresh build carries
the same sheets, defined names, validations, protection, live scores and ``_meta`` (framework,
unit, period, layout fingerprint) as the template, so the corrected file the unit sends back is
read like any other. On top of the template (``template.Overlay``):

- every input cell holds what the unit sent, so it corrects its file instead of retyping it;
- every cell with an error or a warning is red, with a comment saying what is wrong;
- a first sheet, "Cần sửa", lists every issue in the order to work through them, each with a link
  to its cell. It is the sheet the workbook opens on.

Everything the unit or a file supplied is written as text (``write_string``), quote-prefixed when
it could be read as a formula: a value such as ``=HYPERLINK(…)`` stays what it was, even after the
unit edits the cell. The unit is asked to send the corrected file back by its own date
(``resend_by``, by default ``RESEND_WORKING_DAYS`` working days after the feedback is written),
never by the period's deadline, which has usually passed by then.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_cell_to_rowcol
from xlsxwriter.workbook import Format, Workbook
from xlsxwriter.worksheet import Worksheet

from app.atomic import write_atomic
from app.period import deadline_vi, default_resend_by
from scoring.model import Framework

from . import names
from .filenames import template_filename
from .issues import Issue, Severity
from .template import (
    FONT,
    MARK_FILL,
    Cell,
    Overlay,
    TemplateOptions,
    _height,
    add_first_sheet,
    plan_layout,
    render_overlaid,
    write_text,
)

FEEDBACK = "Cần sửa"
TITLE = "NHỮNG NỘI DUNG CẦN SỬA"
AUTHOR = "Văn phòng Sở"
WHOLE_FILE = "Cả tệp"  # the "Trang" of an issue about the file, not a cell
NOTHING_TO_FIX = "Không có lỗi; đơn vị không cần sửa."
LABELS = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo", Severity.INFO: "Lưu ý"}
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
#: the table: STT | Mức độ | Trang | Ô | Chỉ số | Giá trị đã gửi | Nội dung cần sửa
HEADERS = ("STT", "Mức độ", "Trang", "Ô", "Chỉ số", "Giá trị đã gửi", "Nội dung cần sửa")
WIDTHS = (5, 10, 10, 7, 22, 18, 66)
COL_VALUE, COL_MESSAGE = 5, 6
_A1 = re.compile(r"^\$?[A-Za-z]{1,3}\$?[0-9]{1,7}$")


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the "Cần sửa" table, located in the feedback workbook itself."""

    issue: Issue
    sheet: str  # WHOLE_FILE for an issue about the whole file
    cell: str  # "D12", or ""
    linked: bool  # the cell exists in this workbook, so "Ô" links to it
    subject: str  # the indicator code or the field's label
    order: tuple[int, int, int, int]  # severity, sheet, row, column


def feedback_filename(period_code: str, unit_code: str, unit_name: str) -> str:
    """``2023-Q1_DV01_Nha-hat-Thanh-pho_phan-hoi.xlsx``: the template's name with a suffix, so it
    sorts next to the file the unit was sent and cannot be mistaken for it."""
    return template_filename(period_code, unit_code, unit_name).removesuffix(".xlsx") + "_phan-hoi.xlsx"


def comment_text(issues: Sequence[Issue]) -> str:
    """The comment of one cell: its errors then its warnings, one line each (infos are not problems)."""
    lines: list[str] = []
    for issue in sorted(issues, key=lambda i: _RANK[i.severity]):
        if issue.severity is not Severity.INFO:
            line = f"{LABELS[issue.severity]}: {issue.message}"
            if line not in lines:
                lines.append(line)
    return "\n".join(lines)


def table_rows(framework: Framework, issues: Sequence[Issue]) -> list[Row]:
    """The issues as the unit should work through them: errors, then warnings, then notes; within
    each, issues about the whole file first, then in workbook order (sheet, row, column)."""
    layout = plan_layout(framework)
    named = {c.name: c for s in layout.sheets for c in s.cells if c.name}
    sheets = {s.title: i for i, s in enumerate(layout.sheets)}
    by_name, by_subject = _subjects(framework)
    rows = []
    for issue in issues:
        cell: Cell | None = named.get(issue.name) if issue.name else None
        if cell is not None:
            sheet, ref, row, col, linked = cell.sheet, cell.ref.replace("$", ""), cell.row, cell.col, True
        else:
            sheet, ref = issue.sheet, issue.cell.replace("$", "")
            row, col = xl_cell_to_rowcol(ref) if _A1.match(ref) else (-1, -1)
            linked = sheet in sheets and row >= 0
        where = sheets.get(sheet, len(sheets)) if sheet or ref else -1
        subject = by_name.get(issue.name) or by_subject.get(issue.indicator, issue.indicator)
        if not (sheet or ref or subject):
            sheet = WHOLE_FILE
        rows.append(Row(issue, sheet, ref, linked, subject, (_RANK[issue.severity], where, row, col)))
    rows.sort(key=lambda r: r.order)  # stable: equal places keep the reader's order
    return rows


def _subjects(framework: Framework) -> tuple[dict[str, str], dict[str, str]]:
    """What the "Chỉ số" column shows, by defined name and by indicator code or field name: the
    indicator's code (with the input's letter: "1.2 a"), or a field's label, never an internal name."""
    by_name: dict[str, str] = {}
    by_subject: dict[str, str] = {}
    for ind in framework.indicators:
        by_subject[ind.code] = ind.code
        for extra in (names.na_name, names.evidence_name, names.note_name, names.score_name):
            by_name[extra(ind.code)] = ind.code
        by_name |= {names.input_name(ind.code, spec.name): f"{ind.code} {spec.name}" for spec in ind.inputs}
    for f in (*framework.fields, *framework.narratives):
        label = f"{f.no}. {f.label}" if f.no else f.label
        by_subject[f.name] = by_name[names.field_name(f.name)] = by_name[names.field_evidence_name(f.name)] = label
    return by_name, by_subject


def render_feedback(framework: Framework, unit_code: str, unit_name: str, period_code: str, period_label: str,
                    values: Mapping[str, Any], issues: Sequence[Issue], *, received_file: str = "",
                    options: TemplateOptions | None = None, resend_by: date | None = None,
                    now: datetime | None = None) -> bytes:  # fmt: skip
    """The feedback workbook of one unit, as bytes.

    ``values`` maps defined names to what the unit sent (names the layout does not have are
    ignored); ``resend_by`` is the date to send the corrected file back by (default:
    ``default_resend_by`` of the day it is written, ``now``).
    """
    now = now or datetime.now()
    resend_by = resend_by or default_resend_by(now.date())
    layout_names = {c.name for s in plan_layout(framework).sheets for c in s.cells if c.name}
    by_name: dict[str, list[Issue]] = {}
    for issue in issues:
        if issue.name in layout_names and issue.severity is not Severity.INFO:
            by_name.setdefault(issue.name, []).append(issue)
    marks = {name: comment_text(found) for name, found in by_name.items()}
    rows = table_rows(framework, issues)
    header = _Header(unit_code, unit_name, period_label, received_file, resend_by, now)

    def first_sheet(wb: Workbook, fmt: Mapping[str, Format]) -> Worksheet:
        return _write_list(wb, fmt, header, rows)

    overlay = Overlay(fill=values, marks=marks, first_sheet=first_sheet, comment_author=AUTHOR)
    return render_overlaid(framework, unit_code, unit_name, period_code, period_label, overlay, options,
                           resend_by, now)  # fmt: skip


def write_feedback(framework: Framework, unit_code: str, unit_name: str, period_code: str, period_label: str,
                   values: Mapping[str, Any], issues: Sequence[Issue], *, target: Path, received_file: str = "",
                   options: TemplateOptions | None = None, resend_by: date | None = None,
                   now: datetime | None = None) -> Path:  # fmt: skip
    """Write the feedback workbook to ``target`` atomically (a temporary file in the same folder,
    then renamed), so a crash never leaves a half-written file that looks ready to send."""
    data = render_feedback(framework, unit_code, unit_name, period_code, period_label, values, issues,
                           received_file=received_file, options=options, resend_by=resend_by, now=now)  # fmt: skip
    return write_atomic(Path(target), data)


@dataclass(frozen=True, slots=True)
class _Header:
    unit_code: str
    unit_name: str
    period_label: str
    received_file: str
    resend_by: date
    now: datetime


def _summary(rows: Sequence[Row], resend_by: date) -> str:
    errors = sum(r.issue.severity is Severity.ERROR for r in rows)
    warnings = sum(r.issue.severity is Severity.WARNING for r in rows)
    if not errors and not warnings:
        return NOTHING_TO_FIX
    counts = " và ".join(f"{n} {label.lower()}" for n, label in ((errors, "lỗi"), (warnings, "cảnh báo")) if n)
    text = (f"Có {counts}. Các ô cần sửa được tô đỏ trong biểu mẫu; đặt chuột vào ô để xem ghi chú, bấm vào "
            "địa chỉ ở cột \"Ô\" để đến ô đó. Sửa xong, lưu tệp và gửi lại tệp này")  # fmt: skip
    return text + f" {deadline_vi(resend_by)}."


def _text(ws: Worksheet, row: int, col: int, text: str, fmt: Mapping[str, Format], style: str) -> None:
    """Text as text, quote-prefixed if it looks like a formula; nothing as a blank cell, not an empty string."""
    if text:
        write_text(ws, row, col, text, fmt, style)
    else:
        ws.write_blank(row, col, None, fmt[style])


def _write_list(wb: Workbook, fmt: Mapping[str, Format], header: _Header, rows: Sequence[Row]) -> Worksheet:
    """The "Cần sửa" sheet: what the unit sees first, and what is printed and filed with the reply."""
    ws = add_first_sheet(wb, FEEDBACK, "#C00000", WIDTHS)
    last = len(WIDTHS) - 1
    total = sum(WIDTHS)
    base = {"font_name": FONT, "font_size": 11, "valign": "top", "text_wrap": True, "border": 1,
            "border_color": "#808080"}  # fmt: skip
    link = wb.add_format({**base, "align": "center", "font_color": "#0563C1", "underline": 1})
    level = {
        Severity.ERROR: wb.add_format({**base, "bold": True, "font_color": "#C00000", "bg_color": MARK_FILL}),
        Severity.WARNING: wb.add_format({**base, "bold": True, "font_color": "#9C5700", "bg_color": "#FFEB9C"}),
        Severity.INFO: wb.add_format({**base, "font_color": "#404040"}),
    }
    summary_format = wb.add_format({"font_name": FONT, "font_size": 11, "valign": "top", "text_wrap": True,
                                    "bold": True, "font_color": "#C00000"})  # fmt: skip

    ws.merge_range(0, 0, 0, last, TITLE, fmt["heading"])
    unit = f"Đơn vị: {header.unit_name} (mã {header.unit_code}) — {header.period_label}"
    ws.merge_range(1, 0, 1, last, unit, fmt["unit_line"])
    ws.set_row(1, _height((unit, total * 0.85)))
    source = f"Tệp đã nhận: {header.received_file}. " if header.received_file else ""
    source += f"Phản hồi lập ngày {header.now:%d/%m/%Y}."
    ws.merge_range(2, 0, 2, last, source, fmt["italic_center"])
    ws.set_row(2, _height((source, total)))
    summary = _summary(rows, header.resend_by)
    ws.merge_range(4, 0, 4, last, summary, summary_format)
    ws.set_row(4, _height((summary, total * 0.95)))
    if not rows:
        return ws

    top = 6
    for col, text in enumerate(HEADERS):
        ws.write_string(top, col, text, fmt["header"])
    ws.set_row(top, 21)
    ws.repeat_rows(top, top)
    ws.freeze_panes(top + 1, 0)
    for n, row in enumerate(rows, 1):
        r = top + n
        issue = row.issue
        ws.write_number(r, 0, n, fmt["center"])
        ws.write_string(r, 1, LABELS[issue.severity], level[issue.severity])
        _text(ws, r, 2, row.sheet, fmt, "wrap")
        if row.linked:
            ws.write_url(r, 3, f"internal:'{row.sheet}'!{row.cell}", link, string=row.cell,
                         tip=f"Đến ô {row.cell} trang {row.sheet}")  # fmt: skip
        else:
            _text(ws, r, 3, row.cell, fmt, "center")
        _text(ws, r, 4, row.subject, fmt, "wrap")
        _text(ws, r, COL_VALUE, issue.value, fmt, "wrap")
        _text(ws, r, COL_MESSAGE, issue.message, fmt, "wrap")
        ws.set_row(r, _height((issue.message, WIDTHS[COL_MESSAGE]), (issue.value, WIDTHS[COL_VALUE]),
                              (row.subject, WIDTHS[4]), (row.sheet, WIDTHS[2])))  # fmt: skip
    return ws


__all__ = [
    "FEEDBACK",
    "NOTHING_TO_FIX",
    "WHOLE_FILE",
    "comment_text",
    "feedback_filename",
    "render_feedback",
    "table_rows",
    "write_feedback",
]
