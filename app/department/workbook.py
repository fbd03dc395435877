"""The department's own QĐ 79 workbook, pre-filled from its units' returns.

Why the unit template's own build (``render_overlaid``), not a new layout: the office sends this
workbook upward and, once it has filled the cells only it can answer, reads it back like any
return; the same defined names make that work. On top of the template: each derived figure in
its cell with a comment saying how it was obtained; each cell only the office can answer marked
(the feedback workbook's red) with what to fill; and a first sheet, "Cách tổng hợp", listing every
figure with its rule and which units contributed, gave nothing, were late or were appraised.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from app.signoff import SignOff
from app.workbook import names
from app.workbook.template import Overlay, TemplateOptions, _height, add_first_sheet, render_overlaid, write_text

from .derive import Cell, Draft, show_value

SHEET = "Cách tổng hợp"
HEADERS = ("Ô số liệu", "Nội dung", "Giá trị", "Cách suy ra / người điền", "Giải thích")
WIDTHS = (9, 44, 14, 26, 70)
OFFICE_MARK = "Văn phòng Sở điền ô này (không suy ra được từ báo cáo của các đơn vị)"


def cell_name(cell: Cell) -> str:
    return (
        names.input_name(cell.ref.indicator, cell.ref.name) if cell.ref.indicator else names.field_name(cell.ref.name)
    )


def _overlay_parts(draft: Draft) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    fill: dict[str, Any] = {}
    notes: dict[str, str] = {}
    marks: dict[str, str] = {}
    for c in draft.cells:
        name = cell_name(c)
        if c.value is not None:
            fill[name] = c.value
        if c.office and c.override is None:
            marks[name] = OFFICE_MARK + (f": {c.rule_note}." if c.rule_note else ".")
        else:
            notes[name] = c.explanation(draft.names)
    by_indicator: dict[str, list[Cell]] = {}
    for c in draft.cells:
        if c.ref.indicator:
            by_indicator.setdefault(c.ref.indicator, []).append(c)
    for code, cells in by_indicator.items():
        if all(not c.office for c in cells):
            units = max(len(c.contributed) for c in cells)
            fill[names.evidence_name(code)] = (f"Tổng hợp từ báo cáo của {units} đơn vị thuộc Sở "
                                               f"(xem trang “{SHEET}”).")  # fmt: skip
    return fill, notes, marks


def _sheet(draft: Draft, heading: str) -> Any:
    def write(wb: Workbook, fmt: Mapping[str, Any]) -> Worksheet:
        ws = add_first_sheet(wb, SHEET, "#2F5597", WIDTHS)
        last = len(WIDTHS) - 1
        ws.merge_range(0, 0, 0, last, "CÁCH TỔNG HỢP SỐ LIỆU TỰ ĐÁNH GIÁ CỦA SỞ", fmt["heading"])
        ws.merge_range(1, 0, 1, last, heading, fmt["unit_line"])
        derived, office = len(draft.derived), len(draft.office)
        lead = (f"{derived} ô số liệu suy ra từ báo cáo của các đơn vị ({len(draft.asked)} đơn vị được yêu cầu báo cáo); "
                f"{office} ô do Văn phòng Sở điền (tô đỏ trong trang Chỉ số). Giá trị suy ra có thể sửa bằng "
                "lệnh “dtidesk department --override Ô=GIÁ_TRỊ --reason …” hoặc nút “Sửa số liệu suy ra của Sở…” ở trang Báo cáo (ghi lý do, lưu nhật ký).")  # fmt: skip
        ws.merge_range(2, 0, 2, last, lead, fmt["italic_center"])
        ws.set_row(2, _height((lead, sum(WIDTHS) * 0.9)))
        top = 4
        for col, text in enumerate(HEADERS):
            ws.write_string(top, col, text, fmt["header"])
        ws.repeat_rows(top, top)
        ws.freeze_panes(top + 1, 0)
        for n, c in enumerate(draft.cells, 1):
            r = top + n
            explanation = c.explanation(draft.names)
            ws.write_string(r, 0, c.ref.text, fmt["center"])
            write_text(ws, r, 1, c.label, fmt, "wrap")
            write_text(ws, r, 2, show_value(c.value, c.type), fmt, "center")
            ws.write_string(r, 3, "Văn phòng Sở điền" if c.office else c.how_vi, fmt["wrap"])
            write_text(ws, r, 4, explanation, fmt, "wrap")
            ws.set_row(r, _height((c.label, WIDTHS[1]), (explanation, WIDTHS[4])))
        return ws

    return write


def render_department(draft: Draft, unit_code: str, unit_name: str, period_code: str, period_label: str,
                      *, options: TemplateOptions | None = None, now: datetime | None = None,
                      signoff: SignOff | None = None) -> bytes:  # fmt: skip
    """The department's workbook of ``period_code`` as bytes, read back like any return; ``signoff``
    names who prepared it and who approved it (two different people), on its first sheet."""
    fill, notes, marks = _overlay_parts(draft)
    heading = f"{unit_name} — {period_label}"
    if signoff is not None:
        heading += f" — Người lập: {signoff.prepared_by}; người phê duyệt: {signoff.approved_by}"
    overlay = Overlay(fill=fill, marks=marks, notes=notes, first_sheet=_sheet(draft, heading),
                      comment_author="DTI Desk")  # fmt: skip
    return render_overlaid(draft.framework, unit_code, unit_name, period_code, period_label, overlay, options,
                           now=now)  # fmt: skip
