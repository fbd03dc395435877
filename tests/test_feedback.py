"""The feedback workbook, read back by meaning (openpyxl): it is the unit's template (same sheets,
names, validations, formulas, metadata) with the values the unit sent, the problem cells marked
with a comment, and a first sheet "Cần sửa" listing what to fix with a link to each cell."""

from __future__ import annotations

import random
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from lo_tools import soffice_path, to_pdf
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from template_fill import random_fill

from app.framework import get_builtin
from app.workbook import names
from app.workbook.feedback import (
    FEEDBACK,
    NOTHING_TO_FIX,
    TITLE,
    WHOLE_FILE,
    feedback_filename,
    render_feedback,
    write_feedback,
)
from app.workbook.formulas import YES
from app.workbook.issues import Issue, Severity
from app.workbook.template import (
    INDICATORS,
    META,
    Overlay,
    TemplateOptions,
    _build,
    defined_names,
    render_overlaid,
    write_template,
)

FRAMEWORKS = ["svhtt-1690", "hcm-dti-so-2023", "hcm-dti-quan-2023"]
NOW = datetime(2023, 4, 21, 9, 15)
UNIT = ("DV01", "Nhà hát Thành phố")
PERIOD = ("2023-Q1", "Quý I năm 2023")
FORMULA_TEXT = '=HYPERLINK("http://x.vn","bấm")'
MARK_RGB = "FFF8CBAD"


def load(data: bytes) -> Workbook:
    return load_workbook(BytesIO(data))


def template(fid: str) -> Workbook:
    buf = BytesIO()
    write_template(get_builtin(fid), *UNIT, *PERIOD, buf, deadline=date(2023, 4, 16), now=datetime(2023, 4, 1))
    return load(buf.getvalue())


def destinations(wb: Workbook) -> dict[str, tuple[str, str]]:
    return {name: dest for name, dn in wb.defined_names.items() for dest in dn.destinations}


def at(wb: Workbook, name: str) -> Any:
    sheet, ref = destinations(wb)[name]
    return wb[sheet][ref.replace("$", "")]


def issue(code: str, severity: Severity, message: str, name: str = "", **kw: str) -> Issue:
    return Issue(code, severity, message, file="nhan.xlsx", unit="DV01", name=name, **kw)


def case(fid: str) -> tuple[dict[str, Any], list[Issue], dict[str, str]]:
    """Realistic values (random_fill) with a few awkward ones, and issues on some of the cells."""
    fw = get_builtin(fid)
    values, _ = random_fill(fw, random.Random(fid))
    ind = next(i for i in fw.indicators if len(i.inputs) >= 2 and i.inputs[0].type.value == "count")
    yesno = next(i for i in fw.indicators if any(s.type.value == "yesno" for s in i.inputs))
    picked = {
        "count": names.input_name(ind.code, ind.inputs[0].name),
        "whole": names.input_name(ind.code, ind.inputs[1].name),
        "yesno": names.input_name(yesno.code, next(s.name for s in yesno.inputs if s.type.value == "yesno")),
        "text": names.note_name(fw.indicators[0].code),
        "phone": names.field_name("contact_phone"),
        "name": names.field_name("contact_name"),
        "last": names.note_name(fw.indicators[-1].code),
        "score": names.score_name(ind.code),
    }
    values |= {
        picked["count"]: 12,
        picked["whole"]: Decimal("7.5"),
        picked["yesno"]: True,
        picked["text"]: FORMULA_TEXT,
        picked["phone"]: "+84 cmd",
        picked["name"]: date(2023, 4, 3),
        picked["last"]: Fraction(3, 4),
        picked["score"]: 99,  # a score is never overwritten
        "v_not_in_layout": 5,  # ignored
    }
    issues = [
        issue("evidence-missing", Severity.WARNING, "Chưa ghi tài liệu kiểm chứng.", picked["count"]),
        issue("note", Severity.INFO, 'Đã hiểu giá trị "12 người" là 12.', picked["count"]),
        issue("part-exceeds-whole", Severity.ERROR, "a = 12 lớn hơn b = 7,5.", picked["count"], value="12"),
        issue("required-missing", Severity.ERROR, "Chưa nhập Số điện thoại (bắt buộc).", picked["phone"]),
        issue("value-converted", Severity.INFO, 'Đã hiểu giá trị "x" là Có.', picked["yesno"], value="x"),
        issue("wrong-period", Severity.ERROR, "Tệp là biểu mẫu kỳ 2022-Q4.", value="2022-Q4"),
        issue("read-by-anchor", Severity.WARNING, "Không còn tên ô.", sheet=INDICATORS, cell="$D$20"),
        issue("odd", Severity.WARNING, "Giá trị lạ.", picked["text"], value=FORMULA_TEXT),
    ]
    return values, issues, picked


@pytest.fixture(scope="module", params=FRAMEWORKS)
def books(request: pytest.FixtureRequest) -> tuple[str, Workbook, Workbook, dict[str, str]]:
    fid = request.param
    values, issues, picked = case(fid)
    data = render_feedback(get_builtin(fid), *UNIT, *PERIOD, values, issues, received_file="DV01 (1).xlsx",
                           resend_by=date(2023, 4, 25), now=NOW)  # fmt: skip
    return fid, load(data), template(fid), picked


def test_feedback_sheet_comes_first_and_is_active_then_the_template_sheets(books: Any) -> None:
    _, wb, tpl, _ = books
    assert wb.sheetnames == [FEEDBACK, *tpl.sheetnames]
    assert wb.active.title == FEEDBACK
    assert [ws.sheet_state for ws in wb.worksheets[1:]] == [ws.sheet_state for ws in tpl.worksheets]


def test_metadata_is_the_templates_so_the_corrected_file_reads_like_one(books: Any) -> None:
    _, wb, tpl, _ = books
    meta = {r[0].value: r[1].value for r in wb[META].iter_rows()}
    want = {r[0].value: r[1].value for r in tpl[META].iter_rows()}
    assert wb[META].sheet_state == "veryHidden"
    assert meta.pop("generated_at") == "2023-04-21T09:15:00"
    want.pop("generated_at")
    assert meta == want


def test_defined_names_validations_and_formulas_are_the_templates(books: Any) -> None:
    fid, wb, tpl, _ = books
    where = destinations(wb)
    assert where == destinations(tpl)
    assert {n: where[n] for n in defined_names(get_builtin(fid))} == defined_names(get_builtin(fid))
    assert describe(wb, tpl.sheetnames) == describe(tpl, tpl.sheetnames)
    assert sum(len(s["formulas"]) for s in describe(wb, tpl.sheetnames)) > 30


def describe(wb: Workbook, sheets: list[str]) -> list[dict[str, Any]]:
    """Validations and formulas of ``sheets``: what makes the workbook behave as the template."""
    out = []
    for title in sheets:
        ws = wb[title]
        validations = sorted((str(dv.sqref), dv.type, dv.formula1 or "", dv.prompt or "", dv.error or "")
                             for dv in ws.data_validations.dataValidation)  # fmt: skip
        formulas = sorted((c.coordinate, c.value) for row in ws.iter_rows() for c in row if c.data_type == "f")
        out.append({"title": title, "validations": validations, "formulas": formulas})
    return out


def test_every_sheet_is_protected_without_password_and_only_inputs_are_unlocked(books: Any) -> None:
    _, wb, tpl, _ = books
    unlocked = {(ws.title, c.coordinate) for ws in tpl.worksheets for row in ws.iter_rows() for c in row
                if c.protection.locked is False}  # fmt: skip
    for ws in wb.worksheets:
        assert ws.protection.sheet and not ws.protection.password, ws.title
        got = {(ws.title, c.coordinate) for row in ws.iter_rows() for c in row if c.protection.locked is False}
        assert got == {u for u in unlocked if u[0] == ws.title}, ws.title


def test_values_sent_are_prefilled_as_numbers_dates_and_plain_text(books: Any) -> None:
    fid, wb, _, picked = books
    values, _, _ = case(fid)
    assert at(wb, picked["count"]).value == 12
    assert at(wb, picked["whole"]).value == 7.5
    assert at(wb, picked["yesno"]).value == YES
    text = at(wb, picked["text"])
    assert text.value == FORMULA_TEXT and text.data_type == "s"  # never a formula
    assert at(wb, picked["phone"]).value == "+84 cmd" and at(wb, picked["phone"]).data_type == "s"
    when = at(wb, picked["name"])
    assert when.is_date and when.value.date() == date(2023, 4, 3) and when.number_format == "dd/mm/yyyy"
    assert at(wb, picked["last"]).value == 0.75
    score = at(wb, picked["score"])
    assert score.data_type == "f" or score.value == "tính khi tổng hợp"
    assert "v_not_in_layout" not in destinations(wb)
    # everything random_fill drew is there, as sent
    for name, value in values.items():
        if name in picked.values() or name == "v_not_in_layout":
            continue
        assert at(wb, name).value == value, name
    assert not any(c.data_type == "f" and "HYPERLINK" in str(c.value)
                   for ws in wb.worksheets for row in ws.iter_rows() for c in row)  # fmt: skip


def test_problem_cells_are_red_still_unlocked_with_one_comment_of_errors_then_warnings(books: Any) -> None:
    _, wb, tpl, picked = books
    count = at(wb, picked["count"])
    assert count.comment is not None and count.comment.author == "Văn phòng Sở"
    assert count.comment.text == "Lỗi: a = 12 lớn hơn b = 7,5.\nCảnh báo: Chưa ghi tài liệu kiểm chứng."
    assert count.fill.fgColor.rgb == MARK_RGB and count.border.left.color.rgb.endswith("C00000")
    assert count.protection.locked is False
    assert count.number_format == at(tpl, picked["count"]).number_format
    phone = at(wb, picked["phone"])  # a required value left blank is marked too
    assert phone.comment.text == "Lỗi: Chưa nhập Số điện thoại (bắt buộc)." and phone.fill.fgColor.rgb == MARK_RGB
    assert at(wb, picked["text"]).comment.text == "Cảnh báo: Giá trị lạ."
    yesno = at(wb, picked["yesno"])  # only a note: not a problem, so neither red nor commented
    assert yesno.comment is None and yesno.fill.fgColor.rgb == at(tpl, picked["yesno"]).fill.fgColor.rgb
    marked = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment is not None]
    assert len(marked) == 3


def table(wb: Workbook) -> list[tuple[Any, ...]]:
    ws = wb[FEEDBACK]
    rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[0] == "STT")
    assert rows[start] == ("STT", "Mức độ", "Trang", "Ô", "Chỉ số", "Giá trị đã gửi", "Nội dung cần sửa")
    return rows[start + 1 :]


def test_list_sheet_errors_first_then_warnings_then_notes_in_workbook_order_with_links(books: Any) -> None:
    fid, wb, _, picked = books
    ws = wb[FEEDBACK]
    texts = [c.value for row in ws.iter_rows(max_row=6) for c in row if c.value]
    assert texts[0] == TITLE
    assert "Đơn vị: Nhà hát Thành phố (mã DV01) — Quý I năm 2023" in texts
    assert any("DV01 (1).xlsx" in t and "21/04/2023" in t for t in texts)
    assert any(t.startswith("Có 3 lỗi và 3 cảnh báo.") and "25/04/2023" in t for t in texts)
    rows = table(wb)
    assert [r[0] for r in rows] == list(range(1, 9))
    assert [r[1] for r in rows] == ["Lỗi"] * 3 + ["Cảnh báo"] * 3 + ["Lưu ý"] * 2
    where = destinations(wb)

    def place(name: str) -> tuple[str, str]:
        sheet, ref = where[name]
        return sheet, ref.replace("$", "")

    assert rows[0][2:4] == (WHOLE_FILE, None) and rows[0][5] == "2022-Q4"  # about the whole file: first
    errors = [r[2:4] for r in rows[1:3]]
    assert set(errors) == {place(picked["count"]), place(picked["phone"])}
    order = [ws.title for ws in wb.worksheets]
    assert errors == sorted(errors, key=lambda p: (order.index(p[0]), int(p[1][1:])))
    warnings = rows[3:6]
    assert (INDICATORS, "D20") in [r[2:4] for r in warnings]  # no name: the issue's own place
    text_row = next(r for r in warnings if r[6] == "Giá trị lạ.")
    assert text_row[5] == FORMULA_TEXT
    formula_cells = [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert not formula_cells
    count_row = next(r for r in rows if r[6] == "a = 12 lớn hơn b = 7,5.")
    assert count_row[4].startswith(next(i.code for i in get_builtin(fid).indicators
                                        if picked["count"].startswith(names.input_name(i.code, ""))))  # fmt: skip
    links = {c.value: c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink is not None}
    sheet, ref = place(picked["phone"])
    assert links[ref] == f"'{sheet}'!{ref}"
    assert len(links) >= 4


def test_list_sheet_prints_a4_landscape_fit_to_width_with_the_header_repeated(books: Any) -> None:
    _, wb, _, _ = books
    ws = wb[FEEDBACK]
    assert ws.page_setup.paperSize in ("9", 9) and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth in (None, 1, "1") and ws.page_setup.fitToHeight in (0, "0")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    header = next(c.row for row in ws.iter_rows() for c in row if c.value == "STT")
    assert ws.print_title_rows == f"${header}:${header}" and ws.freeze_panes == f"A{header + 1}"
    assert ws["A1"].font.name == "Times New Roman" and ws.cell(header + 1, 7).font.name == "Times New Roman"


def test_without_problems_it_says_there_is_nothing_to_fix() -> None:
    fw = get_builtin("svhtt-1690")
    values, _ = random_fill(fw, random.Random(3))
    wb = load(render_feedback(fw, *UNIT, *PERIOD, values, [], now=NOW))
    ws = wb[FEEDBACK]
    texts = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert NOTHING_TO_FIX in texts and "STT" not in texts
    assert wb.active.title == FEEDBACK and ws.protection.sheet
    assert not [c for w in wb.worksheets for row in w.iter_rows() for c in row if c.comment is not None]
    # notes only: still nothing to fix, and the notes are listed
    note = issue("value-converted", Severity.INFO, 'Đã hiểu giá trị "1.234" là 1234.', names.field_name("pl_1"))
    wb = load(render_feedback(fw, *UNIT, *PERIOD, values, [note], now=NOW))
    assert NOTHING_TO_FIX in [c.value for row in wb[FEEDBACK].iter_rows() for c in row]
    assert [r[1] for r in table(wb)] == ["Lưu ý"]
    assert at(wb, names.field_name("pl_1")).comment is None


def test_a_password_protects_the_list_sheet_too() -> None:
    fw = get_builtin("svhtt-1690")
    wb = load(render_feedback(fw, *UNIT, *PERIOD, {}, [], options=TemplateOptions(password="vp"), now=NOW))
    assert all(ws.protection.password for ws in wb.worksheets)


def test_an_empty_overlay_writes_the_template_byte_for_byte() -> None:
    fw = get_builtin("hcm-dti-quan-2023")
    args = (fw, *UNIT, *PERIOD)
    plain = _build(*args, TemplateOptions(), date(2023, 4, 16), NOW)
    assert render_overlaid(*args, Overlay(), deadline=date(2023, 4, 16), now=NOW) == plain


def test_write_feedback_is_atomic_and_named_like_the_template(tmp_path: Path) -> None:
    name = feedback_filename("2023-Q1", "DV01", "Nhà hát Thành phố")
    assert name == "2023-Q1_DV01_Nha-hat-Thanh-pho_phan-hoi.xlsx"
    target = tmp_path / "phan-hoi" / name
    got = write_feedback(get_builtin("svhtt-1690"), *UNIT, *PERIOD, {}, [], target=target, now=NOW)
    assert got == target and load(target.read_bytes()).sheetnames[0] == FEEDBACK
    assert [p.name for p in target.parent.iterdir()] == [name]  # no temporary file left


@pytest.mark.libreoffice
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")
def test_libreoffice_opens_and_prints_the_feedback_workbook(tmp_path: Path) -> None:
    values, issues, _ = case("svhtt-1690")
    path = write_feedback(get_builtin("svhtt-1690"), *UNIT, *PERIOD, values, issues,
                          target=tmp_path / "phan-hoi.xlsx", now=NOW)  # fmt: skip
    (pdf,) = to_pdf([path], tmp_path / "pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") + data.count(b"/Type/Page") > 0
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True)
        assert TITLE in text.stdout
