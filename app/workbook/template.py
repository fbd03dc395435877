"""Write the workbook a unit fills in: pre-filled, validated, protected, with live scores (DESIGN §4).

The layout of a framework (which cell holds what, every formula, every validation) is computed
once in ``plan_layout`` and reused for every unit; writing a unit's file only adds its name and
period. Cells are found again by their defined names (``names.py``), never by address.

Written with XlsxWriter: it produces files that Excel, LibreOffice and WPS open without a repair
prompt, and it is several times faster than building the same workbook in openpyxl.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from io import BytesIO
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Format, Workbook
from xlsxwriter.worksheet import Worksheet

from app import __version__
from app.framework.export import number
from app.period import deadline_vi
from app.safe_text import looks_like_formula
from scoring.memo import by_identity
from scoring.model import Constraint, Field, Framework, Indicator, InputSpec, InputType

from . import names
from .formulas import NO, PENDING_TEXT, YES, cents_value, formula_results, score_formula

FORMAT_VERSION = "1"
INSTRUCTIONS = "Hướng dẫn"
INFO = "Thông tin"
ANNEX = "Phụ lục"
INDICATORS = "Chỉ số"
SUMMARY = "Tổng hợp"
LISTS = "_lists"
META = "_meta"
#: placeholders in the plan, replaced when a unit's file is written
UNIT_LINE = "\x00unit"
PERIOD_LINE = "\x00period"

FONT = "Times New Roman"
INPUT_FILL = "#FFF2CC"  # the pale yellow every official spreadsheet uses for "type here"
HEADER_FILL = "#D9E1F2"
GROUP_FILL = "#BDD7EE"
SCORE_FILL = "#E2EFDA"
MARK_FILL = "#F8CBAD"  # a cell the office asks the unit to correct (feedback workbook)
MARK_BORDER = "#C00000"
#: format key prefix of the marked variant of a style ("!input" is "input", marked)
MARKED = "!"
#: format key prefix of the quote-prefixed variant of a style that takes outside text ("'!input_text")
QUOTED = "'"
#: the styles of cells that can hold outside text (a unit's answers, its name in ``_meta``, the
#: feedback's list of what the unit sent)
_QUOTABLE = ("input", "input_text", "input_percent", "input_date", "meta", "wrap", "center")

# "Chỉ số" columns
COL_CODE, COL_TEXT, COL_MAX, COL_VALUE, COL_EVIDENCE, COL_SCORE = range(6)
INDICATOR_WIDTHS = (7, 62, 8, 15, 38, 10)


@dataclass(frozen=True, slots=True)
class TemplateOptions:
    """What the office adds to every template of a period."""

    deadline: date | None = None  # default: the period's (CV 1690 mục 3.2)
    send_to: str = ""  # where units send the file back (e-mail address or office)
    office: str = "Văn phòng Sở Văn hóa và Thể thao"
    password: str | None = None  # sheet protection; None = protected without a password


@dataclass(frozen=True, slots=True)
class Overlay:
    """What a feedback workbook adds to a unit's template (DESIGN §2 step 4).

    The feedback workbook must be read back exactly like a template, so it is not a copy of the
    received file (re-saving that loses parts openpyxl does not understand) but the same build
    with this on top: the unit's values in their input cells, the cells to correct marked with a
    comment, and a sheet written first. The plan stays unit-independent; an empty overlay and no
    overlay write the same bytes.
    """

    fill: Mapping[str, Any] = field(default_factory=dict)  # defined name → the value the unit sent
    marks: Mapping[str, str] = field(default_factory=dict)  # defined name → comment text
    #: defined name → a comment that explains the cell without marking it (the department
    #: workbook says how each derived figure was obtained)
    notes: Mapping[str, str] = field(default_factory=dict)
    #: writes the first sheet (it is made active and protected like the others)
    first_sheet: Callable[[Workbook, Mapping[str, Format]], Worksheet] | None = None
    comment_author: str = ""


# --- the layout, planned once per framework ---------------------------------------------------


@dataclass(slots=True)
class Cell:
    """One cell the template writes: where, what and how it looks."""

    sheet: str
    row: int
    col: int
    value: Any = None
    style: str = "text"
    formula: str | None = None
    name: str | None = None  # workbook-level defined name
    validation: dict[str, Any] | None = None
    #: the indicators whose scores the formula adds up (its cached result is their engine score)
    sums: tuple[str, ...] = ()

    @property
    def ref(self) -> str:
        return str(xl_rowcol_to_cell(self.row, self.col, row_abs=True, col_abs=True))


@dataclass(slots=True)
class SheetPlan:
    title: str
    widths: Sequence[float]
    cells: list[Cell] = field(default_factory=list)
    merges: list[tuple[int, int, int, int, Any, str]] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    landscape: bool = False
    freeze: tuple[int, int] | None = None
    repeat_rows: tuple[int, int] | None = None
    row: int = 0  # the next free row while planning

    def put(self, col: int, value: Any = None, style: str = "text", **kw: Any) -> Cell:
        cell = Cell(self.title, self.row, col, value, style, **kw)
        self.cells.append(cell)
        return cell


@dataclass(slots=True)
class Layout:
    framework: Framework
    sheets: list[SheetPlan]
    lists: list[list[str]]  # long option lists, one column each on the hidden list sheet
    fingerprint: str = ""


def _lines(text: str, width: float) -> int:
    """Printed lines of wrapped text in a column of ``width`` characters (a safe overestimate)."""
    per_line = max(8, int(width * 1.05))
    return sum(max(1, -(-len(par) // per_line)) for par in text.split("\n"))


def _height(*texts_and_widths: tuple[str, float], line: float = 15.0) -> float:
    lines = max((_lines(t, w) for t, w in texts_and_widths if t), default=1)
    return max(16.5, line * lines + 3)


_TYPE_HINTS = {
    InputType.COUNT: "số nguyên ≥ 0",
    InputType.NUMBER: "số ≥ 0",
    InputType.PERCENT: "tỷ lệ %, ví dụ 45%",
    InputType.YESNO: "chọn Có / Không",
    InputType.CHOICE: "chọn trong danh sách",
    InputType.DATE: "ngày/tháng/năm",
    InputType.PHONE: "số điện thoại",
    InputType.EMAIL: "địa chỉ thư điện tử",
    InputType.TEXT: "",
}


def _validation(spec_type: InputType, label: str, ref: str, options: Sequence[str] = (),
                constraints: Sequence[str] = (), lists: list[list[str]] | None = None) -> dict[str, Any] | None:  # fmt: skip
    """The data validation of one input, with its Vietnamese input and error messages."""
    title = label if len(label) <= 32 else label[:31] + "…"
    v: dict[str, Any]
    if spec_type in (InputType.COUNT, InputType.NUMBER, InputType.PERCENT):
        whole = spec_type is InputType.COUNT
        checks = [f"ISNUMBER({ref})", f"{ref}>=0"]
        if whole:
            checks.append(f"{ref}=INT({ref})")
        if spec_type is InputType.PERCENT:
            checks.append(f"{ref}<=1")
        checks += constraints
        # one custom rule (type, range and "a ≤ b" together): a cell takes one validation only
        v = {"validate": "custom", "value": f"=AND({','.join(checks)})"}
        if spec_type is InputType.COUNT:
            msg = 'Nhập số nguyên không âm, chỉ ghi số (ví dụ 12, không ghi "12 người").'
            err = "Giá trị phải là số nguyên ≥ 0."
        elif spec_type is InputType.PERCENT:
            msg = "Nhập tỷ lệ phần trăm, ví dụ 45% (hoặc 0,45)."
            err = "Tỷ lệ phải từ 0% đến 100%."
        else:
            msg = "Nhập số không âm, chỉ ghi số."
            err = "Giá trị phải là số ≥ 0."
        if constraints:
            msg += " Phần không được lớn hơn tổng tương ứng."
            err += " Và không được lớn hơn tổng tương ứng (ví dụ a ≤ b)."
    elif spec_type in (InputType.YESNO, InputType.CHOICE):
        values = [YES, NO] if spec_type is InputType.YESNO else list(options)
        if sum(len(x) + 1 for x in values) > 255 or any("," in x for x in values):
            assert lists is not None
            lists.append(values)
            v = {"validate": "list", "source": f"=list_{len(lists)}"}
        else:
            v = {"validate": "list", "source": values}
        msg = "Chọn trong danh sách thả xuống."
        err = "Chỉ được chọn một giá trị trong danh sách."
    elif spec_type is InputType.DATE:
        v = {"validate": "date", "criteria": ">=", "value": date(2000, 1, 1)}
        msg = "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 20/4/2023."
        err = "Giá trị phải là một ngày (từ năm 2000)."
    elif spec_type is InputType.PHONE:
        v = {"validate": "length", "criteria": "between", "minimum": 8, "maximum": 24}
        msg = "Nhập số điện thoại, ví dụ 028 3829 1234 hoặc 0901 234 567."
        err = "Số điện thoại phải có từ 8 đến 24 ký tự."
    elif spec_type is InputType.EMAIL:
        v = {"validate": "custom", "value": f'=ISNUMBER(SEARCH("@",{ref}))'}
        msg = "Nhập địa chỉ thư điện tử, ví dụ vanthu@donvi.gov.vn."
        err = "Địa chỉ thư điện tử phải có ký tự @."
    else:
        return None
    v.update(input_title=title, input_message=msg[:255], error_title="Giá trị không hợp lệ",
             error_message=err[:255], error_type="stop", ignore_blank=True)  # fmt: skip
    return v


def _constraint_checks(constraints: Iterable[Constraint], name: str, ref: dict[str, str]) -> list[str]:
    """For the part cell ``name``: each "part ≤ whole" it belongs to, as a check that passes while
    the whole is still blank."""
    out = []
    for c in constraints:
        if name not in c.part or not all(x in ref for x in (*c.part, *c.whole)):
            continue
        whole = [ref[x] for x in c.whole]
        part = [ref[x] for x in c.part]
        w = whole[0] if len(whole) == 1 else f"SUM({','.join(whole)})"
        p = part[0] if len(part) == 1 else f"SUM({','.join(part)})"
        out.append(f"OR(COUNT({','.join(whole)})<{len(whole)},{p}<={w})")
    return out


def _title_block(sheet: SheetPlan, fw: Framework, heading: str, width: int) -> None:
    """The header of the source form: PHỤ LỤC, the title, the document it is attached to."""
    sheet.merges.append((sheet.row, 0, sheet.row, width - 1, heading, "heading"))
    sheet.row += 1
    sheet.merges.append((sheet.row, 0, sheet.row, width - 1, fw.title.upper(), "title"))
    sheet.heights[sheet.row] = _height((fw.title, sum(sheet.widths) * 0.8))
    sheet.row += 1
    basis = f"(Kèm theo {fw.legal_basis})"
    sheet.merges.append((sheet.row, 0, sheet.row, width - 1, basis, "italic_center"))
    sheet.heights[sheet.row] = _height((basis, sum(sheet.widths)))
    sheet.row += 1
    sheet.merges.append((sheet.row, 0, sheet.row, width - 1, UNIT_LINE, "unit_line"))
    sheet.row += 2


def _plan_fields(sheet: SheetPlan, fields: Sequence[Field], fw: Framework, lists: list[list[str]]) -> None:
    """Rows of label | value (| evidence) for general information, contacts and narratives."""
    refs = {f.name: xl_rowcol_to_cell(sheet.row + i, 2, row_abs=True, col_abs=True) for i, f in enumerate(fields)}
    for f in fields:
        label = f.label + (" (*)" if f.required else "")
        sheet.put(0, f.no, "center")
        sheet.put(1, label, "text")
        cell = sheet.put(2, None, "input_text" if f.type in (InputType.TEXT, InputType.PHONE, InputType.EMAIL)
                         else "input_percent" if f.type is InputType.PERCENT
                         else "input_date" if f.type is InputType.DATE else "input",
                         name=names.field_name(f.name))  # fmt: skip
        checks = _constraint_checks(fw.constraints, f.name, refs)
        cell.validation = _validation(f.type, f.label, cell.ref, [o.label for o in f.options], checks, lists)
        if f.type is InputType.TEXT and f.note:
            sheet.put(3, f.note, "hint")
        height = _height((label, sheet.widths[1]))
        if f.type is InputType.TEXT and not f.no and f in fw.narratives:
            height = 120.0  # a narrative: room to write a paragraph
        sheet.heights[sheet.row] = height
        sheet.row += 1


def _plan_instructions(fw: Framework) -> SheetPlan:
    sheet = SheetPlan(INSTRUCTIONS, (4, 100))
    _title_block(sheet, fw, "HƯỚNG DẪN ĐIỀN BIỂU MẪU", 2)
    sheet.put(1, PERIOD_LINE, "bold")  # "Kỳ báo cáo … Hạn gửi …", filled per period
    sheet.row += 2
    steps = [
        "Chỉ nhập vào các ô nền vàng. Các ô khác đã được khóa để biểu mẫu không bị sửa nhầm.",
        'Số liệu là số nguyên không âm, chỉ ghi số (ví dụ 12, không ghi "12 người"). Tỷ lệ phần trăm '
        "nhập dạng 45% hoặc 0,45. Ô nào chưa có số liệu thì để trống (được tính 0 điểm).",
        "Các ô Có/Không và các ô lựa chọn: bấm vào ô và chọn trong danh sách thả xuống.",
        "Tài liệu kiểm chứng: ghi số, ký hiệu, ngày của văn bản hoặc đường dẫn đến tài liệu chứng minh "
        "số liệu (Công văn 1690 yêu cầu số liệu có tài liệu kiểm chứng).",
        '"Không áp dụng" chỉ có ở các chỉ số được phép (QĐ 79 mục II.2.c). Chọn "Có" và ghi giải trình '
        "lý do thì chỉ số được tính điểm tối đa; không giải trình thì chỉ số được tính theo số liệu.",
        'Cột "Điểm tự chấm" và sheet "Tổng hợp" tự tính điểm theo QĐ 79 khi nhập số liệu. Văn phòng Sở '
        "sẽ tính lại từ số liệu và thẩm định; chỉ số Min-Max được tính khi tổng hợp tất cả đơn vị.",
        "Không đổi tên, không xóa sheet, không chèn hoặc xóa dòng. Lưu tệp dạng Excel (.xlsx), giữ nguyên "
        "tên tệp và gửi lại đúng tệp này.",
    ]
    sheet.put(0, "Cách điền", "bold")
    sheet.row += 1
    for i, step in enumerate(steps, 1):
        sheet.put(0, f"{i}.", "center_top")
        sheet.put(1, step, "wrap")
        sheet.heights[sheet.row] = _height((step, 100))
        sheet.row += 1
    sheet.row += 1
    sheet.put(0, None, "legend_input")
    sheet.put(1, "Ô nền vàng: đơn vị nhập số liệu.", "legend_text")
    sheet.row += 1
    sheet.put(0, None, "legend_score")
    sheet.put(1, "Ô nền xanh: điểm tự chấm, tự tính, không sửa được.", "legend_text")
    sheet.row += 1
    return sheet


def _plan_indicators(fw: Framework, layout: Layout) -> tuple[SheetPlan, dict[str, Cell]]:
    sheet = SheetPlan(INDICATORS, INDICATOR_WIDTHS, landscape=True)
    _title_block(sheet, fw, "BẢNG TỰ ĐÁNH GIÁ CHỈ SỐ", len(INDICATOR_WIDTHS))
    header_row = sheet.row
    for col, text in enumerate(("Mã", "Chỉ số / số liệu", "Điểm tối đa", "Số liệu",
                                "Tài liệu kiểm chứng, giải trình", "Điểm tự chấm")):  # fmt: skip
        sheet.put(col, text, "header")
    sheet.heights[sheet.row] = 33
    sheet.row += 1
    sheet.freeze = (sheet.row, 0)
    sheet.repeat_rows = (header_row, header_row)
    scores: dict[str, Cell] = {}
    for group in fw.groups:
        heading = f"Chỉ số chính {group.code}. {group.title}"
        sheet.merges.append((sheet.row, COL_CODE, sheet.row, COL_TEXT, heading, "group"))
        sheet.put(COL_MAX, group.max, "group_number")
        sheet.put(COL_VALUE, None, "group")
        sheet.put(COL_EVIDENCE, None, "group")
        group_cell = sheet.put(COL_SCORE, None, "group_score")
        sheet.heights[sheet.row] = _height((heading, sum(INDICATOR_WIDTHS[:2])))
        sheet.row += 1
        members = []
        for ind in fw.group_indicators(group.code):
            scores[ind.code] = _plan_indicator(sheet, ind, layout.lists)
            members.append(scores[ind.code].ref)
        group_cell.formula = f"=SUM({','.join(members)})"
        group_cell.sums = _summed(fw.group_indicators(group.code), scores)
    return sheet, scores


def _plan_indicator(sheet: SheetPlan, ind: Indicator, lists: list[list[str]]) -> Cell:
    sheet.put(COL_CODE, ind.code, "code")
    sheet.put(COL_TEXT, ind.title, "bold_wrap")
    sheet.put(COL_MAX, ind.max, "number")
    sheet.put(COL_VALUE, None, "text")
    evidence_label = "Tài liệu kiểm chứng"
    if ind.evidence:
        sheet.put(COL_EVIDENCE, None, "input_text", name=names.evidence_name(ind.code),
                  validation={"validate": "any", "input_title": evidence_label,
                              "input_message": "Ghi số, ký hiệu, ngày văn bản hoặc đường dẫn đến tài liệu "
                                               "chứng minh số liệu của chỉ số này."})  # fmt: skip
    else:
        sheet.put(COL_EVIDENCE, None, "text")
    score = sheet.put(COL_SCORE, None, "score", name=names.score_name(ind.code))
    sheet.heights[sheet.row] = _height((ind.title, INDICATOR_WIDTHS[COL_TEXT]))
    sheet.row += 1

    text = f"Cách tính điểm: {ind.scoring_text}"
    sheet.put(COL_TEXT, text, "scoring_text")
    for col in (COL_CODE, COL_MAX, COL_VALUE, COL_EVIDENCE, COL_SCORE):
        sheet.put(col, None, "text")
    sheet.heights[sheet.row] = _height((text, INDICATOR_WIDTHS[COL_TEXT] * 1.25), line=13.0)
    sheet.row += 1

    refs = {s.name: xl_rowcol_to_cell(sheet.row + i, COL_VALUE, row_abs=True, col_abs=True)
            for i, s in enumerate(ind.inputs)}  # fmt: skip
    for spec in ind.inputs:
        _plan_input(sheet, ind, spec, refs, lists)

    na_ref = note_ref = None
    if ind.allow_na:
        label = 'Không áp dụng? Chọn "Có" nếu đơn vị không có nội dung này, và ghi giải trình ở cột bên.'
        if ind.na_hint:
            label += f" ({ind.na_hint})"
        sheet.put(COL_TEXT, label, "na_label")
        na = sheet.put(COL_VALUE, None, "input", name=names.na_name(ind.code))
        na.validation = _validation(InputType.YESNO, "Không áp dụng", na.ref)
        na_ref = na.ref
        note = sheet.put(COL_EVIDENCE, None, "input_text", name=names.note_name(ind.code),
                         validation={"validate": "any", "input_title": "Giải trình",
                                     "input_message": "Bắt buộc khi chọn không áp dụng: ghi rõ lý do."})  # fmt: skip
        note_ref = note.ref
        for col in (COL_CODE, COL_MAX, COL_SCORE):
            sheet.put(col, None, "text")
        sheet.heights[sheet.row] = _height((label, INDICATOR_WIDTHS[COL_TEXT]))
        sheet.row += 1
    else:
        label = "Ghi chú, giải trình (nếu có)"
        sheet.put(COL_TEXT, label, "hint")
        sheet.put(COL_EVIDENCE, None, "input_text", name=names.note_name(ind.code))
        for col in (COL_CODE, COL_MAX, COL_VALUE, COL_SCORE):
            sheet.put(col, None, "text")
        sheet.row += 1

    formula = score_formula(ind, refs, na_ref, note_ref)
    if formula is None:
        score.value, score.style = PENDING_TEXT, "score_pending"
    else:
        score.formula, score.sums = formula, (ind.code,)
    return score


def _plan_input(sheet: SheetPlan, ind: Indicator, spec: InputSpec, refs: dict[str, str],
                lists: list[list[str]]) -> None:  # fmt: skip
    sheet.put(COL_CODE, spec.name, "variable")
    sheet.put(COL_TEXT, spec.label, "wrap")
    sheet.put(COL_MAX, None, "text")
    style = {InputType.PERCENT: "input_percent", InputType.TEXT: "input_text", InputType.DATE: "input_date",
             InputType.PHONE: "input_text", InputType.EMAIL: "input_text"}.get(spec.type, "input")  # fmt: skip
    cell = sheet.put(COL_VALUE, None, style, name=names.input_name(ind.code, spec.name))
    checks = _constraint_checks(ind.all_constraints, spec.name, refs)
    cell.validation = _validation(spec.type, spec.label, cell.ref, [o.label for o in spec.options], checks, lists)
    hint = _TYPE_HINTS[spec.type]
    if checks:
        wholes = sorted({w for c in ind.all_constraints if spec.name in c.part for w in c.whole})
        hint += f"; không lớn hơn {' + '.join(wholes)}"
    sheet.put(COL_EVIDENCE, hint, "hint")
    sheet.put(COL_SCORE, None, "text")
    sheet.heights[sheet.row] = _height((spec.label, INDICATOR_WIDTHS[COL_TEXT]))
    sheet.row += 1


def _plan_info(fw: Framework, layout: Layout) -> SheetPlan | None:
    if not (fw.general_info or fw.contacts or fw.narratives):
        return None
    sheet = SheetPlan(INFO, (7, 48, 44, 24))
    _title_block(sheet, fw, "THÔNG TIN CHUNG", 4)
    sections: list[tuple[str, Sequence[Field]]] = []
    if fw.general_info:
        sections.append(("Thông tin chung", fw.general_info))
    sections += [(block.title, block.fields) for block in fw.contacts if not block.is_signoff]
    if fw.narratives:
        sections.append(("Nội dung báo cáo", fw.narratives))
    # the sign-off closes the form, where a signature goes; last, so no earlier cell moves for it
    sections += [(block.title, block.fields) for block in fw.contacts if block.is_signoff]
    for title, fields in sections:
        sheet.merges.append((sheet.row, 0, sheet.row, 3, title, "group"))
        sheet.row += 1
        _plan_fields(sheet, fields, fw, layout.lists)
        sheet.row += 1
    sheet.put(1, "(*) bắt buộc", "hint")
    return sheet


def _plan_annex(fw: Framework, layout: Layout) -> SheetPlan | None:
    table = fw.report_table
    if table is None:
        return None
    sheet = SheetPlan(ANNEX, (7, 56, 14, 44))
    _title_block(sheet, fw, "PHỤ LỤC", 4)
    sheet.merges.append((sheet.row, 0, sheet.row, 3, table.title, "bold_center"))
    sheet.heights[sheet.row] = _height((table.title, 110))
    sheet.row += 1
    header = sheet.row
    for col, text in enumerate(table.columns[:4]):
        sheet.put(col, text, "header")
    sheet.row += 1
    sheet.repeat_rows = (header, header)
    refs = {f.name: xl_rowcol_to_cell(sheet.row + i, 2, row_abs=True, col_abs=True) for i, f in enumerate(table.rows)}
    for f in table.rows:
        sheet.put(0, f.no, "center")
        sheet.put(1, f.label, "wrap")
        cell = sheet.put(2, None, "input", name=names.field_name(f.name))
        checks = _constraint_checks(fw.constraints, f.name, refs)
        cell.validation = _validation(f.type, f.label, cell.ref, [o.label for o in f.options], checks, layout.lists)
        if f.evidence:
            sheet.put(3, None, "input_text", name=names.field_evidence_name(f.name),
                      validation={"validate": "any", "input_title": "Tài liệu kiểm chứng",
                                  "input_message": "Ghi số, ký hiệu, ngày văn bản hoặc đường dẫn chứng minh số liệu."})  # fmt: skip
        else:
            sheet.put(3, None, "text")
        sheet.heights[sheet.row] = max(24.0, _height((f.label, 56)))
        sheet.row += 1
    sheet.row += 1
    for c in fw.constraints:
        text = f"Kiểm tra: {' + '.join(c.part)} ≤ {' + '.join(c.whole)}"
        sheet.put(1, text.replace("pl_", "dòng "), "hint")
        sheet.row += 1
    return sheet


def _plan_summary(fw: Framework, scores: dict[str, Cell]) -> SheetPlan:
    sheet = SheetPlan(SUMMARY, (8, 64, 12, 14))
    _title_block(sheet, fw, "TỔNG HỢP ĐIỂM TỰ CHẤM", 4)
    for col, text in enumerate(("Mã", "Chỉ số chính", "Điểm tối đa", "Điểm tự chấm")):
        sheet.put(col, text, "header")
    sheet.row += 1
    first = sheet.row
    quoted = f"'{INDICATORS}'!"
    for group in fw.groups:
        refs = [quoted + scores[i.code].ref for i in fw.group_indicators(group.code)]
        sheet.put(0, group.code, "center")
        sheet.put(1, group.title, "wrap")
        sheet.put(2, group.max, "number")
        sheet.put(3, None, "score", formula=f"=SUM({','.join(refs)})", name=names.group_score_name(group.code),
                  sums=_summed(fw.group_indicators(group.code), scores))  # fmt: skip
        sheet.heights[sheet.row] = _height((group.title, 64))
        sheet.row += 1
    total_refs = f"{xl_rowcol_to_cell(first, 3)}:{xl_rowcol_to_cell(sheet.row - 1, 3)}"
    sheet.put(0, None, "total_label")
    sheet.put(1, "TỔNG ĐIỂM", "total_label")
    sheet.put(2, fw.total, "total_number")
    sheet.put(3, None, "total_score", formula=f"=SUM({total_refs})", name=names.TOTAL_SCORE_NAME,
              sums=_summed(fw.indicators, scores))  # fmt: skip
    sheet.row += 2
    pending = [i.code for i in fw.indicators if i.rule.kind == "min_max"]
    if pending:
        note = (
            f"Chỉ số {', '.join(pending)} tính theo phương pháp Min-Max giữa các đơn vị nên chưa có điểm ở đây "
            "(tính khi tổng hợp); tổng điểm trên chưa gồm các chỉ số này."
        )
        sheet.merges.append((sheet.row, 0, sheet.row, 3, note, "hint_wrap"))
        sheet.heights[sheet.row] = _height((note, 95))
        sheet.row += 1
    note = "Điểm tự chấm để đơn vị tham khảo; Văn phòng Sở tính lại từ số liệu và thẩm định."
    sheet.merges.append((sheet.row, 0, sheet.row, 3, note, "hint_wrap"))
    return sheet


def _summed(indicators: Iterable[Indicator], scores: Mapping[str, Cell]) -> tuple[str, ...]:
    """The indicators a SUM over their score cells adds: those with a formula (SUM skips the text
    of a min-max indicator's cell)."""
    return tuple(ind.code for ind in indicators if scores[ind.code].formula is not None)


@by_identity
def plan_layout(framework: Framework) -> Layout:
    """Every cell, formula, validation and name of this framework's template (unit-independent)."""
    layout = Layout(framework, [], [])
    sheets = [_plan_instructions(framework)]
    info = _plan_info(framework, layout)
    if info is not None:
        sheets.append(info)
    annex = _plan_annex(framework, layout)
    if annex is not None:
        sheets.append(annex)
    indicators, scores = _plan_indicators(framework, layout)
    sheets.append(indicators)
    sheets.append(_plan_summary(framework, scores))
    layout.sheets = sheets
    named = sorted((c.name, c.sheet, c.ref) for s in sheets for c in s.cells if c.name)
    digest = hashlib.sha256(json.dumps([framework.id, framework.version, FORMAT_VERSION, named]).encode())
    layout.fingerprint = digest.hexdigest()[:16]
    return layout


def defined_names(framework: Framework) -> dict[str, tuple[str, str]]:
    """Defined name → (sheet, absolute cell) of a fresh template (the reader's map)."""
    return {c.name: (c.sheet, c.ref) for s in plan_layout(framework).sheets for c in s.cells if c.name}


# --- writing ----------------------------------------------------------------------------------


def _formats(wb: Workbook, marked: bool = False) -> dict[str, Format]:
    base = {"font_name": FONT, "font_size": 11, "valign": "top", "text_wrap": True}
    border = {"border": 1, "border_color": "#808080"}
    specs: dict[str, dict[str, Any]] = {
        "text": {**border},
        "wrap": {**border},
        "bold": {"bold": True, "text_wrap": False},
        "bold_wrap": {**border, "bold": True},
        "bold_center": {"bold": True, "align": "center", "font_size": 12},
        "center": {**border, "align": "center"},
        "center_top": {"align": "right"},
        "code": {**border, "bold": True, "align": "center"},
        "variable": {**border, "align": "center", "italic": True},
        "number": {**border, "align": "center", "num_format": "0.##"},
        "heading": {"bold": True, "align": "center", "font_size": 13, "text_wrap": False},
        "title": {"bold": True, "align": "center", "font_size": 12},
        "italic_center": {"italic": True, "align": "center"},
        "unit_line": {"bold": True, "align": "center", "font_size": 12},
        "header": {**border, "bold": True, "align": "center", "valign": "vcenter", "bg_color": HEADER_FILL},
        "group": {**border, "bold": True, "bg_color": GROUP_FILL, "valign": "vcenter"},
        "group_number": {**border, "bold": True, "bg_color": GROUP_FILL, "align": "center", "num_format": "0.##"},
        "group_score": {**border, "bold": True, "bg_color": GROUP_FILL, "align": "center", "num_format": "0.00"},
        "scoring_text": {**border, "italic": True, "font_size": 10, "font_color": "#404040"},
        "hint": {**border, "italic": True, "font_size": 10, "font_color": "#595959"},
        "hint_wrap": {"italic": True, "font_size": 10, "font_color": "#595959"},
        "na_label": {**border, "font_size": 10},
        "input": {**border, "bg_color": INPUT_FILL, "locked": False, "align": "center", "num_format": "0.##"},
        "input_text": {**border, "bg_color": INPUT_FILL, "locked": False},
        "input_percent": {**border, "bg_color": INPUT_FILL, "locked": False, "align": "center", "num_format": "0.##%"},
        "input_date": {
            **border,
            "bg_color": INPUT_FILL,
            "locked": False,
            "align": "center",
            "num_format": "dd/mm/yyyy",
        },
        "score": {**border, "bold": True, "align": "center", "bg_color": SCORE_FILL, "num_format": "0.00"},
        "score_pending": {**border, "italic": True, "align": "center", "bg_color": SCORE_FILL, "font_size": 9},
        "total_label": {**border, "bold": True, "bg_color": HEADER_FILL},
        "total_number": {**border, "bold": True, "align": "center", "bg_color": HEADER_FILL, "num_format": "0.##"},
        "total_score": {
            **border,
            "bold": True,
            "align": "center",
            "bg_color": SCORE_FILL,
            "num_format": "0.00",
            "font_size": 12,
        },
        "meta": {"font_name": FONT},
        "legend_input": {**border, "bg_color": INPUT_FILL},
        "legend_score": {**border, "bg_color": SCORE_FILL},
        "legend_text": {"text_wrap": False},
    }
    formats = {key: wb.add_format({**base, **spec}) for key, spec in specs.items()}
    if marked:  # feedback only: each style once more, red, its number format and locking unchanged
        mark = {"bg_color": MARK_FILL, "border": 2, "border_color": MARK_BORDER}
        formats |= {MARKED + key: wb.add_format({**base, **spec, **mark}) for key, spec in specs.items()}
    # outside text that a spreadsheet could take for a formula is written with Excel's quote prefix, so
    # it stays text when someone edits the cell (F2, Enter); XlsxWriter writes only the formats used
    mark = {"bg_color": MARK_FILL, "border": 2, "border_color": MARK_BORDER}
    for key in _QUOTABLE:
        formats[QUOTED + key] = wb.add_format({**base, **specs[key], "quote_prefix": True})
        if marked:
            formats[QUOTED + MARKED + key] = wb.add_format({**base, **specs[key], **mark, "quote_prefix": True})
    return formats


def add_first_sheet(wb: Workbook, title: str, tab_color: str, widths: Sequence[float]) -> Worksheet:
    """The sheet an overlay puts first (the feedback's "Cần sửa", the department's "Cách tổng hợp"):
    A4 landscape, one page wide, the sheet's name and page number in the footer, no gridlines."""
    ws = wb.add_worksheet(title)
    ws.set_tab_color(tab_color)
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer(f'&L&"{FONT}"&9{title}&R&"{FONT}"&9Trang &P/&N')
    ws.hide_gridlines(2)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    return ws


def write_text(ws: Worksheet, row: int, col: int, text: str, fmt: Mapping[str, Format], style: str) -> None:
    """Outside text as a string cell, quote-prefixed when it could be read as a formula (``=…``,
    ``-…``); ``fmt[QUOTED + style]`` must exist for such text."""
    ws.write_string(row, col, text, fmt[QUOTED + style] if looks_like_formula(text) else fmt[style])


def _build(framework: Framework, unit_code: str, unit_name: str, period_code: str, period_label: str,
           options: TemplateOptions, deadline: date | None, now: datetime,
           overlay: Overlay | None = None) -> bytes:  # fmt: skip
    layout = plan_layout(framework)
    stream = BytesIO()
    wb = xlsxwriter.Workbook(stream, {"in_memory": True, "strings_to_formulas": False,
                                      "strings_to_numbers": False, "strings_to_urls": False})  # fmt: skip
    wb.set_properties({"title": framework.title, "subject": f"{period_label} — {unit_name}",
                       "author": options.office, "company": options.office,
                       "comments": f"DTI Desk {__version__}; {framework.id} {framework.version}",
                       "created": now})  # fmt: skip
    fmt = _formats(wb, marked=overlay is not None and bool(overlay.marks))
    results = formula_results(framework, overlay.fill if overlay is not None else None)
    when = deadline or options.deadline
    unit_line = f"Đơn vị: {unit_name} (mã {unit_code}) — {period_label}"
    period_line = f"Kỳ báo cáo: {period_label}."
    if when is not None:
        period_line += f" Hạn gửi: {deadline_vi(when)}."
    if options.send_to:
        period_line += f" Gửi về: {options.send_to}."
    protection = {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                  "select_unlocked_cells": True}  # fmt: skip
    first = None
    if overlay is not None and overlay.first_sheet is not None:
        first = overlay.first_sheet(wb, fmt)
        first.protect(options.password or "", protection)
    sheets: dict[str, Worksheet] = {}
    for plan in layout.sheets:
        ws = wb.add_worksheet(plan.title)
        sheets[plan.title] = ws
        _write_sheet(ws, plan, fmt, unit_line, period_line, results, overlay)
        ws.protect(options.password or "", protection)
    if layout.lists:
        lists = wb.add_worksheet(LISTS)
        for col, values in enumerate(layout.lists):
            for row, value in enumerate(values):
                lists.write_string(row, col, value)
            letter = xl_col_to_name(col)
            wb.define_name(f"list_{col + 1}", f"={LISTS}!${letter}$1:${letter}${len(values)}")
        lists.hide()
        lists.protect(options.password or "")
    meta = wb.add_worksheet(META)
    stamp = now.replace(microsecond=0).isoformat()
    rows = [("format_version", FORMAT_VERSION), ("framework_id", framework.id),
            ("framework_version", framework.version), ("unit_code", unit_code), ("unit_name", unit_name),
            ("period", period_code), ("generated_at", stamp), ("app_version", __version__),
            ("layout_fingerprint", layout.fingerprint)]  # fmt: skip
    for r, (key, value) in enumerate(rows):
        meta.write_string(r, 0, key, fmt["meta"])
        # always quote-prefixed: the unit's code and name replace placeholders after this is written
        meta.write_string(r, 1, value, fmt[QUOTED + "meta"])
    meta.protect(options.password or "")
    meta.very_hidden()
    for plan in layout.sheets:
        for cell in plan.cells:
            if cell.name:
                wb.define_name(cell.name, f"='{plan.title}'!{cell.ref}")
    (sheets[INSTRUCTIONS] if first is None else first).activate()
    wb.close()
    return stream.getvalue()


_CODE = "⟦mã đơn vị⟧"
_NAME = "⟦tên đơn vị⟧"
_PERSONALISED = ("xl/sharedStrings.xml", "docProps/core.xml")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_text(value: str, shared_string: bool) -> bytes:
    """``value`` as XlsxWriter would put it in a text node (it is our placeholder's stand-in)."""
    value = _XML_ILLEGAL.sub("", value.strip())
    if shared_string:  # in shared strings "_x0041_" means "A": a literal one is escaped as _x005F_
        value = re.sub(r"(_x[0-9A-Fa-f]{4}_)", r"_x005F\1", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


class TemplateFactory:
    """The templates of one framework for one period: built once, then personalised per unit.

    Every unit's workbook is the same but for its code and name, so the workbook is written once
    with placeholders and each unit's file is that package with the placeholders replaced in the
    shared strings and document properties (about 3 ms a file instead of 25).
    """

    def __init__(self, framework: Framework, period_code: str, period_label: str,
                 options: TemplateOptions | None = None, deadline: date | None = None,
                 now: datetime | None = None) -> None:  # fmt: skip
        skeleton = _build(framework, _CODE, _NAME, period_code, period_label, options or TemplateOptions(),
                          deadline, now or datetime.now())  # fmt: skip
        with zipfile.ZipFile(BytesIO(skeleton)) as package:
            self._members = [(info, package.read(info)) for info in package.infolist()]
        personalised = b"".join(data for info, data in self._members if info.filename in _PERSONALISED)
        assert _CODE.encode() in personalised and _NAME.encode() in personalised

    def render(self, unit_code: str, unit_name: str) -> bytes:
        out = BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            for info, data in self._members:
                if info.filename in _PERSONALISED:
                    shared = info.filename == "xl/sharedStrings.xml"
                    data = data.replace(_CODE.encode(), _xml_text(unit_code, shared))
                    data = data.replace(_NAME.encode(), _xml_text(unit_name, shared))
                package.writestr(info, data)
        return out.getvalue()


def render_overlaid(framework: Framework, unit_code: str, unit_name: str, period_code: str, period_label: str,
                    overlay: Overlay, options: TemplateOptions | None = None, deadline: date | None = None,
                    now: datetime | None = None) -> bytes:  # fmt: skip
    """One unit's workbook with ``overlay`` on top, built directly (a feedback workbook differs per unit
    beyond the unit's name, so ``TemplateFactory``'s personalised skeleton does not apply)."""
    return _build(framework, unit_code, unit_name, period_code, period_label, options or TemplateOptions(),
                  deadline, now or datetime.now(), overlay)  # fmt: skip


def write_template(framework: Framework, unit_code: str, unit_name: str, period_code: str, period_label: str,
                   target: str | Path | IO[bytes], options: TemplateOptions | None = None,
                   deadline: date | None = None, now: datetime | None = None) -> None:  # fmt: skip
    """Write one unit's workbook to a path or a binary stream."""
    data = TemplateFactory(framework, period_code, period_label, options, deadline, now).render(unit_code, unit_name)
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)


def _cached(cell: Cell, results: Mapping[str, int]) -> int | float:
    """The result stored with a formula: the engine's scores of the indicators it adds up."""
    return cents_value(sum(results[code] for code in cell.sums))


def _write_sheet(ws: Worksheet, plan: SheetPlan, fmt: dict[str, Format], unit_line: str, period_line: str,
                 results: Mapping[str, int], overlay: Overlay | None = None) -> None:  # fmt: skip
    ws.set_paper(9)  # A4
    if plan.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer(f'&L&"{FONT}"&9{plan.title}&R&"{FONT}"&9Trang &P/&N')
    ws.hide_gridlines(2)
    if plan.repeat_rows:
        ws.repeat_rows(*plan.repeat_rows)
    if plan.freeze:
        ws.freeze_panes(*plan.freeze)
    for col, width in enumerate(plan.widths):
        ws.set_column(col, col, width)
    for row, height in plan.heights.items():
        ws.set_row(row, height)
    fill = {UNIT_LINE: unit_line, PERIOD_LINE: period_line}
    for r1, c1, r2, c2, data, style in plan.merges:
        ws.merge_range(r1, c1, r2, c2, fill.get(data, data), fmt[style])
    for cell in plan.cells:
        f = fmt[cell.style]
        if overlay is not None and cell.name is not None and _write_overlaid(ws, cell, fmt, overlay, results):
            pass  # the unit's value, or the cell marked for correction
        elif cell.formula is not None:
            ws.write_formula(cell.row, cell.col, cell.formula, f, _cached(cell, results))
        elif cell.value in fill:
            ws.write_string(cell.row, cell.col, fill[cell.value], f)
        elif cell.value is None:
            ws.write_blank(cell.row, cell.col, None, f)
        elif isinstance(cell.value, str):
            ws.write_string(cell.row, cell.col, cell.value, f)
        else:
            ws.write_number(cell.row, cell.col, number(Fraction(cell.value)), f)
        if cell.validation is not None:
            ws.data_validation(cell.row, cell.col, cell.row, cell.col, cell.validation)


_INPUT_STYLES = frozenset({"input", "input_text", "input_percent", "input_date"})


def _write_overlaid(ws: Worksheet, cell: Cell, fmt: dict[str, Format], overlay: Overlay,
                    results: Mapping[str, int]) -> bool:  # fmt: skip
    """Write a named cell the overlay fills or marks; False when it does neither (written as planned).

    Only input cells take the unit's values: a score keeps its live formula whatever was sent.
    Text is always written as text, so a value like ``=HYPERLINK(…)`` cannot become a formula.
    """
    assert cell.name is not None
    marked = overlay.marks.get(cell.name)
    comment = marked if marked is not None else overlay.notes.get(cell.name)
    value = overlay.fill.get(cell.name) if cell.style in _INPUT_STYLES else None
    if isinstance(value, str) and not value:
        value = None  # an empty text cell is a blank cell
    if comment is None and value is None:
        return False
    style = "input_date" if isinstance(value, date) else cell.style  # a date shows as a date wherever typed
    key = MARKED + style if marked is not None else style
    f = fmt[key]
    row, col = cell.row, cell.col
    if cell.formula is not None:
        ws.write_formula(row, col, cell.formula, f, _cached(cell, results))
    elif value is None:
        if isinstance(cell.value, str):
            ws.write_string(row, col, cell.value, f)
        else:
            ws.write_blank(row, col, None, f)
    elif isinstance(value, bool):
        ws.write_string(row, col, YES if value else NO, f)
    elif isinstance(value, int | float | Decimal | Fraction) and _finite(value):
        ws.write_number(row, col, number(Fraction(value)), f)
    elif isinstance(value, date):  # XlsxWriter refuses time zones; a date in a cell has none
        ws.write_datetime(row, col, value.replace(tzinfo=None) if isinstance(value, datetime) else value, f)
    else:
        write_text(ws, row, col, value if isinstance(value, str) else str(value), fmt, key)
    if comment is not None:
        lines = sum(1 + len(line) // 60 for line in comment.split("\n"))
        ws.write_comment(row, col, comment, {"author": overlay.comment_author, "x_scale": 3,
                                             "y_scale": max(2.0, lines * 0.22 + 0.3), "font_name": FONT,
                                             "font_size": 10})  # fmt: skip
    return True


def _finite(value: float | Decimal | Fraction) -> bool:
    """Whether a number can be a cell's number (NaN and infinities cannot: shown as text instead)."""
    try:
        return math.isfinite(value)
    except (ValueError, OverflowError):  # signalling NaN, a Fraction beyond float
        return False
