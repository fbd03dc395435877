"""The unit workbook, read back by meaning (openpyxl): sheets, names, validations, protection,
metadata, formulas — and one golden description per framework, compared by meaning."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from app.framework import get_builtin
from app.workbook import names
from app.workbook.template import (
    INDICATORS,
    META,
    TemplateOptions,
    defined_names,
    plan_layout,
    write_template,
)

FRAMEWORKS = ["svhtt-1690", "hcm-dti-so-2023", "hcm-dti-quan-2023"]
GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2023, 4, 1, 8, 30)


def build(fid: str, **kw: Any) -> Workbook:
    buf = BytesIO()
    write_template(get_builtin(fid), "DV01", "Thư viện Khoa học Tổng hợp", "2023-Q1", "Quý I năm 2023", buf,
                   deadline=date(2023, 4, 20), now=NOW, **kw)  # fmt: skip
    buf.seek(0)
    return load_workbook(buf)


@pytest.fixture(scope="module", params=FRAMEWORKS)
def book(request: pytest.FixtureRequest) -> tuple[str, Workbook]:
    return request.param, build(request.param)


def destinations(wb: Workbook) -> dict[str, tuple[str, str]]:
    return {name: dest for name, dn in wb.defined_names.items() for dest in dn.destinations}


def validation_at(wb: Workbook, sheet: str, ref: str) -> Any:
    cell = ref.replace("$", "")
    found = [dv for dv in wb[sheet].data_validations.dataValidation if cell in dv.sqref]
    assert len(found) <= 1, (sheet, ref)
    return found[0] if found else None


def test_every_input_na_evidence_note_and_score_has_its_defined_name(book: tuple[str, Workbook]) -> None:
    fid, wb = book
    fw = get_builtin(fid)
    where = destinations(wb)
    expected = set()
    for ind in fw.indicators:
        expected |= {names.input_name(ind.code, s.name) for s in ind.inputs}
        expected |= {names.score_name(ind.code), names.note_name(ind.code)}
        if ind.evidence:
            expected.add(names.evidence_name(ind.code))
        if ind.allow_na:
            expected.add(names.na_name(ind.code))
        else:
            assert names.na_name(ind.code) not in where, ind.code
    expected |= {names.field_name(f.name) for f in fw.fields}
    expected |= {names.group_score_name(g.code) for g in fw.groups} | {names.TOTAL_SCORE_NAME}
    assert expected <= set(where)
    assert set(where) - expected <= {n for n in where if n.startswith("list_") or n.endswith("_evidence")}
    # the map the reader will use is exactly what the file holds
    assert {n: (s, r) for n, (s, r) in defined_names(fw).items()} == {n: where[n] for n in defined_names(fw)}


def test_inputs_are_the_only_unlocked_cells_and_every_sheet_is_protected(book: tuple[str, Workbook]) -> None:
    _, wb = book
    where = destinations(wb)
    inputs = {(s, r.replace("$", "")) for n, (s, r) in where.items()
              if not n.endswith("_score") and not n.startswith("list_")}  # fmt: skip
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password, ws.title  # no password by default
        for row in ws.iter_rows():
            for cell in row:
                if cell.protection.locked is False:
                    assert (ws.title, cell.coordinate) in inputs, (ws.title, cell.coordinate)
    for sheet, ref in inputs:
        assert wb[sheet][ref].protection.locked is False, (sheet, ref)


def test_password_option_protects_with_a_password() -> None:
    wb = build("svhtt-1690", options=TemplateOptions(password="vp2023"))
    assert all(ws.protection.password for ws in wb.worksheets)


def test_every_figure_has_a_validation_with_vietnamese_messages(book: tuple[str, Workbook]) -> None:
    fid, wb = book
    fw = get_builtin(fid)
    where = destinations(wb)
    for ind in fw.indicators:
        for spec in ind.inputs:
            dv = validation_at(wb, *where[names.input_name(ind.code, spec.name)])
            assert dv is not None, (ind.code, spec.name)
            assert dv.showErrorMessage and dv.errorStyle in (None, "stop")
            assert dv.prompt and dv.error and dv.errorTitle == "Giá trị không hợp lệ", (ind.code, spec.name)
            if spec.type.value == "count":
                assert dv.type == "custom" and "INT(" in dv.formula1
            if spec.type.value == "yesno":
                assert dv.type == "list" and dv.formula1 == '"Có,Không"'


def test_a_part_may_not_exceed_its_whole_in_the_validation() -> None:
    wb = build("hcm-dti-quan-2023")
    where = destinations(wb)
    sheet, a_ref = where["v_1_2_a"]
    _, b_ref = where["v_1_2_b"]
    dv = validation_at(wb, sheet, a_ref)
    assert f"{a_ref}<={b_ref}" in dv.formula1 and f"COUNT({b_ref})<1" in dv.formula1
    # CV 1690: pl_2 + pl_3 ≤ pl_1 on the Phụ lục
    wb = build("svhtt-1690")
    where = destinations(wb)
    sheet, pl2 = where["v_pl_2"]
    _, pl1 = where["v_pl_1"]
    _, pl3 = where["v_pl_3"]
    assert f"SUM({pl2},{pl3})<={pl1}" in validation_at(wb, sheet, pl2).formula1


def test_short_choice_lists_stay_inline_in_the_validation() -> None:
    wb = build("hcm-dti-quan-2023")
    dv = validation_at(wb, *destinations(wb)["v_1_1_a"])
    labels = [o.label for o in get_builtin("hcm-dti-quan-2023").indicator("1.1").input("a").options]
    assert dv.type == "list" and dv.formula1 == '"' + ",".join(labels) + '"'


def test_metadata_sheet_is_very_hidden_and_identifies_the_file(book: tuple[str, Workbook]) -> None:
    fid, wb = book
    meta = wb[META]
    assert meta.sheet_state == "veryHidden"
    values = {row[0].value: row[1].value for row in meta.iter_rows()}
    fw = get_builtin(fid)
    assert values == {
        "format_version": "1", "framework_id": fid, "framework_version": fw.version, "unit_code": "DV01",
        "unit_name": "Thư viện Khoa học Tổng hợp", "period": "2023-Q1", "generated_at": "2023-04-01T08:30:00",
        "app_version": values["app_version"], "layout_fingerprint": plan_layout(fw).fingerprint,
    }  # fmt: skip
    assert len(values["layout_fingerprint"]) == 16


def test_unit_name_and_period_are_prefilled_and_text_is_never_a_formula() -> None:
    buf = BytesIO()
    write_template(get_builtin("svhtt-1690"), "DV=1", '=HYPERLINK("x")', "2023-Q1", "Quý I năm 2023", buf)
    buf.seek(0)
    wb = load_workbook(buf)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(c.value == 'Đơn vị: =HYPERLINK("x") (mã DV=1) — Quý I năm 2023' for c in cells)
    assert any(c.value == '=HYPERLINK("x")' and c.data_type == "s" for c in cells)  # the metadata, as text
    assert not any("HYPERLINK" in c.value and c.data_type == "f" for c in cells)


def test_min_max_indicator_says_it_is_scored_when_collated() -> None:
    wb = build("hcm-dti-quan-2023")
    sheet, ref = destinations(wb)[names.score_name("5.1")]
    assert wb[sheet][ref.replace("$", "")].value == "tính khi tổng hợp"


def test_scores_are_formulas_with_round_to_two_decimals(book: tuple[str, Workbook]) -> None:
    fid, wb = book
    where = destinations(wb)
    for ind in get_builtin(fid).indicators:
        if ind.rule.kind == "min_max":
            continue
        sheet, ref = where[names.score_name(ind.code)]
        formula = wb[sheet][ref.replace("$", "")].value
        assert isinstance(formula, str) and formula.startswith("=") and ",9),2)" in formula, ind.code
        assert len(formula) < 8000


def test_print_setup_a4_fit_to_width_times_new_roman(book: tuple[str, Workbook]) -> None:
    _, wb = book
    ws = wb[INDICATORS]
    assert ws.page_setup.paperSize in ("9", 9) and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth in (None, 1, "1") and ws.page_setup.fitToHeight in (0, "0")  # None: default 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows and ws.freeze_panes
    assert ws["B1"].font.name == "Times New Roman" or ws["A1"].font.name == "Times New Roman"


def describe(wb: Workbook) -> dict[str, Any]:
    """What the golden files pin down: structure and meaning, not bytes or styles."""
    sheets = []
    for ws in wb.worksheets:
        validations = sorted(
            (str(dv.sqref), dv.type, dv.formula1 or "", dv.promptTitle or "") for dv in ws.data_validations.dataValidation
        )  # fmt: skip
        formulas = sorted(
            (c.coordinate, c.value) for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("=")
        )  # fmt: skip
        sheets.append({"title": ws.title, "state": ws.sheet_state, "protected": bool(ws.protection.sheet),
                       "validations": validations, "formulas": formulas})  # fmt: skip
    meta = {r[0].value: r[1].value for r in wb[META].iter_rows()}
    meta.pop("app_version")
    return {"sheets": sheets, "names": sorted(destinations(wb).items()), "meta": meta}


@pytest.mark.parametrize("fid", FRAMEWORKS)
def test_golden_description(fid: str) -> None:
    got = json.loads(json.dumps(describe(build(fid)), ensure_ascii=False))
    path = GOLDEN / f"{fid}.template.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(path.read_text(encoding="utf-8"))
    assert got["meta"] == want["meta"]
    assert got["names"] == want["names"]
    for g, w in zip(got["sheets"], want["sheets"], strict=True):
        assert g == w, g["title"]


def test_units_get_their_own_code_and_name_even_with_xml_special_characters() -> None:
    from app.workbook.template import TemplateFactory

    factory = TemplateFactory(get_builtin("svhtt-1690"), "2023-Q1", "Quý I năm 2023", now=NOW)
    tricky = "Nhà hát <Ca múa> & Nhạc\x07 _x0041_ “Bông Sen”"
    books = [load_workbook(BytesIO(factory.render(code, name)))
             for code, name in [("DV01", "Thư viện"), ("A&B", tricky)]]  # fmt: skip
    metas = [{r[0].value: r[1].value for r in wb[META].iter_rows()} for wb in books]
    assert (metas[0]["unit_code"], metas[0]["unit_name"]) == ("DV01", "Thư viện")
    assert (metas[1]["unit_code"], metas[1]["unit_name"]) == ("A&B", "Nhà hát <Ca múa> & Nhạc _x0041_ “Bông Sen”")
    lines = [c.value for row in books[1]["Chỉ số"].iter_rows(max_row=6) for c in row if c.value]
    assert "Đơn vị: Nhà hát <Ca múa> & Nhạc _x0041_ “Bông Sen” (mã A&B) — Quý I năm 2023" in lines
    assert books[1].properties.subject == "Quý I năm 2023 — Nhà hát <Ca múa> & Nhạc _x0041_ “Bông Sen”"
    assert "⟦" not in json.dumps(describe(books[1]), ensure_ascii=False)


def test_long_or_comma_lists_come_from_the_hidden_list_sheet_and_still_score(tmp_path: Path) -> None:
    from app.framework import load_file

    fw = load_file(Path(__file__).parent / "fixtures" / "frameworks" / "long-choice-labels.yaml")
    buf = BytesIO()
    write_template(fw, "DV01", "Đơn vị", "2023-Q1", "Quý I năm 2023", buf, now=NOW)
    buf.seek(0)
    wb = load_workbook(buf)
    where = destinations(wb)
    dv = validation_at(wb, *where["v_1_1_a"])
    assert dv.type == "list" and dv.formula1 == "list_1"
    sheet, ref = where["list_1"]
    assert wb[sheet].sheet_state == "hidden" and wb[sheet].protection.sheet
    labels = [o.label for o in fw.indicator("1.1").input("a").options]
    assert [c.value for (c,) in wb[sheet][ref.replace("$", "")]] == labels
    assert validation_at(wb, *where["v_1_2_a"]).formula1 == '"Có,Không"'  # short lists stay inline
    sheet, ref = where["v_1_1_score"]
    assert f'="{labels[1]}",0.5' in wb[sheet][ref.replace("$", "")].value
