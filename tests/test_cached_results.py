"""Every formula the program writes carries its result: the viewers that do not recalculate
(LibreOffice with its default settings, WPS, a mail preview, python-calamine, pandas) show the
engine's scores, not 0.00. Outside text that looks like a formula stays text (quote prefix).

Read here with python-calamine, which reads only the cached values; the LibreOffice tests run
with a fresh profile and LibreOffice's shipped default ("never recalculate" for .xlsx).
"""

from __future__ import annotations

import io
import random
import re
import subprocess
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from lo_tools import convert, soffice_path
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from template_fill import random_fill
from xlsxwriter.utility import xl_cell_to_rowcol

from app.demo.fill import Scenario, fill_values, render_filled
from app.demo.roster import SAMPLE_UNITS
from app.framework import get_builtin
from app.workbook import names
from app.workbook.feedback import FEEDBACK, render_feedback
from app.workbook.intake import receive_file
from app.workbook.template import SUMMARY, Overlay, TemplateFactory, defined_names, plan_layout, render_overlaid
from scoring.engine import UnitInputs, score_unit
from scoring.model import Framework

FRAMEWORKS = ["svhtt-1690", "hcm-dti-so-2023", "hcm-dti-quan-2023"]
PERIOD = ("2023-Q1", "Quý I năm 2023")
NOW = datetime(2023, 5, 5, 9, 0)


def cached(data: bytes | Path) -> dict[str, Any]:
    """Defined name → the cached value python-calamine reads, for every named cell of the layout."""
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data if isinstance(data, bytes) else data.read_bytes()))
    sheets: dict[str, list[list[Any]]] = {}
    out: dict[str, Any] = {}
    for name, (sheet, ref) in _names_of(data).items():
        rows = sheets.setdefault(sheet, wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
        r, c = xl_cell_to_rowcol(ref.replace("$", ""))
        out[name] = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
    return out


def _names_of(data: bytes | Path) -> dict[str, tuple[str, str]]:
    wb = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data, read_only=False)
    return {n: dest for n, dn in wb.defined_names.items() for dest in dn.destinations}


def expected(fw: Framework, unit: UnitInputs) -> dict[str, float | str]:
    """What each score cell must show: the engine's score; a min-max indicator's cell its text, and
    the pillar and total sums without it (as the workbook's note says)."""
    score = score_unit(fw, unit)
    live = {i.code for i in fw.indicators if i.rule.kind != "min_max"}
    out: dict[str, float | str] = {}
    for ind in fw.indicators:
        cents = score.indicators[ind.code].cents
        out[names.score_name(ind.code)] = cents / 100 if ind.code in live else "tính khi tổng hợp"
    for group in fw.groups:
        cents = sum(score.indicators[i.code].cents for i in fw.group_indicators(group.code) if i.code in live)
        out[names.group_score_name(group.code)] = cents / 100
    out[names.TOTAL_SCORE_NAME] = sum(score.indicators[c].cents for c in live) / 100
    return out


def assert_scores(got: Mapping[str, Any], want: Mapping[str, float | str], what: str) -> None:
    wrong = {n: (got.get(n), w) for n, w in want.items()
             if not (got.get(n) == w if isinstance(w, str) else got.get(n) == pytest.approx(w, abs=1e-9))}  # fmt: skip
    assert not wrong, f"{what}: (cached, engine) {wrong}"


@pytest.mark.parametrize("fid", FRAMEWORKS)
def test_a_blank_template_caches_the_scores_of_empty_inputs(fid: str) -> None:
    fw = get_builtin(fid)
    data = TemplateFactory(fw, *PERIOD, now=NOW).render("DV01", "Đơn vị thử")
    assert_scores(cached(data), expected(fw, UnitInputs("DV01", "", {}, {})), fid)


@pytest.mark.parametrize("fid", FRAMEWORKS)
def test_a_filled_workbook_caches_the_engines_scores_of_its_figures(fid: str) -> None:
    """Random fills reach every branch (blanks, zero denominators, bands, "không áp dụng")."""
    fw = get_builtin(fid)
    rnd = random.Random(f"cached-{fid}")
    totals = []
    for _ in range(6):
        cells, unit = random_fill(fw, rnd)
        got = cached(render_overlaid(fw, "DV01", "Đơn vị thử", *PERIOD, Overlay(fill=cells), now=NOW))
        want = expected(fw, unit)
        assert_scores(got, want, fid)
        totals.append(want[names.TOTAL_SCORE_NAME])
    assert max(totals) > 0  # not a comparison of zeros


def _feedback_of(fw: Framework, unit_index: int, scenario: Scenario, tmp: Path) -> tuple[bytes, UnitInputs]:
    unit = SAMPLE_UNITS[unit_index]
    values = fill_values(fw, unit, scenario, random.Random(unit.code))
    returned = tmp / f"{unit.code}.xlsx"
    returned.write_bytes(render_filled(fw, *PERIOD, unit.code, unit.name, values, now=NOW))
    sub = receive_file(returned, fw, PERIOD[0], keep_typed=True)
    assert sub.unit_code == unit.code
    data = render_feedback(fw, unit.code, unit.name, *PERIOD, sub.typed, sub.issues, received_file=returned.name,
                           now=NOW)  # fmt: skip
    return data, sub.inputs


@pytest.mark.parametrize("scenario", [Scenario.GOOD, Scenario.MESSY])
def test_the_feedback_workbook_caches_the_engines_score_of_the_units_figures(scenario: Scenario,
                                                                             tmp_path: Path) -> None:  # fmt: skip
    fw = get_builtin("svhtt-1690")
    for index in (1, 4, 9):
        data, inputs = _feedback_of(fw, index, scenario, tmp_path)
        want = expected(fw, inputs)
        assert want[names.TOTAL_SCORE_NAME] > 50
        assert_scores(cached(data), want, f"{SAMPLE_UNITS[index].code} {scenario}")


def test_every_formula_cell_has_a_cached_value_of_the_right_kind() -> None:
    """No formula is written with XlsxWriter's placeholder 0 left in: each ``<f>`` has a ``<v>``,
    and the Chỉ số sheet's pillar rows (not named) agree with the named pillar sums."""
    fw = get_builtin("svhtt-1690")
    cells, unit = random_fill(fw, random.Random(7))
    data = render_overlaid(fw, "DV01", "Đơn vị thử", *PERIOD, Overlay(fill=cells), now=NOW)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = "".join(package.read(n).decode() for n in package.namelist() if n.startswith("xl/worksheets/sheet"))
    formulas = re.findall(r"<c [^>]*><f>[^<]*</f>(<v>[^<]*</v>)?</c>", xml)
    assert len(formulas) > 30 and all(formulas), "a formula without a cached value"
    want = expected(fw, unit)
    pillar_rows = [c for s in plan_layout(fw).sheets for c in s.cells if c.formula and not c.name]
    assert len(pillar_rows) == len(fw.groups)
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = wb.get_sheet_by_name(pillar_rows[0].sheet).to_python(skip_empty_area=False)
    shown = [rows[c.row][c.col] for c in pillar_rows]
    assert shown == pytest.approx([want[names.group_score_name(g.code)] for g in fw.groups])


# --- outside text that looks like a formula -----------------------------------------------------

FORMULA_NAME = '=HYPERLINK("http://x.invalid","Bấm")'
DASH_NAME = "-Phòng Văn hóa"


def _quote_prefixed(path: Path, sheet: str, ref: str) -> tuple[Any, str, bool]:
    ws = load_workbook(path)[sheet]
    cell = ws[ref]
    return cell.value, cell.data_type, bool(cell.quotePrefix)


def test_a_unit_name_or_answer_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    """As the report protects such text: a string cell with Excel's quote prefix, so editing the
    cell (F2, Enter) keeps it text."""
    fw = get_builtin("svhtt-1690")
    where = defined_names(fw)
    template = tmp_path / "template.xlsx"
    template.write_bytes(TemplateFactory(fw, *PERIOD, now=NOW).render("DV01", FORMULA_NAME))
    meta = load_workbook(template)["_meta"]
    row = next(r for r in meta.iter_rows() if r[0].value == "unit_name")
    assert (row[1].value, row[1].data_type, row[1].quotePrefix) == (FORMULA_NAME, "s", True)

    note = names.note_name(fw.indicators[0].code)
    narrative = names.field_name(fw.narratives[0].name)
    values = {note: DASH_NAME, narrative: "+84 điện thoại", names.field_name(fw.fields[0].name): "Bình thường"}
    from app.workbook.issues import Issue, Severity

    issue = Issue(code="odd", severity=Severity.WARNING, message="Giá trị lạ.", file="x.xlsx", sheet="", cell="",
                  unit="DV01", indicator="", value="@SUM(1)", name=note)  # fmt: skip
    feedback = tmp_path / "feedback.xlsx"
    feedback.write_bytes(render_feedback(fw, "DV01", DASH_NAME, *PERIOD, values, [issue], now=NOW))
    for name, text in ((note, DASH_NAME), (narrative, "+84 điện thoại")):
        sheet, ref = where[name]
        assert _quote_prefixed(feedback, sheet, ref) == (text, "s", True), name
    plain_sheet, plain_ref = where[names.field_name(fw.fields[0].name)]
    assert _quote_prefixed(feedback, plain_sheet, plain_ref) == ("Bình thường", "s", False)
    listed = load_workbook(feedback)[FEEDBACK]
    sent = next(c for row in listed.iter_rows() for c in row if c.value == "@SUM(1)")
    assert sent.data_type == "s" and sent.quotePrefix


# --- LibreOffice, default settings ------------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")
def test_libreoffice_with_default_settings_shows_the_engines_numbers(tmp_path: Path) -> None:
    """A fresh LibreOffice profile does not recalculate an .xlsx on load: what it prints and saves is
    what the file carries. The feedback total printed to PDF is the engine's, and the file saved
    again (default settings) and recalculated (forced) hold the same scores as the engine."""
    fw = get_builtin("svhtt-1690")
    data, inputs = _feedback_of(fw, 1, Scenario.GOOD, tmp_path)
    want = expected(fw, inputs)
    feedback = tmp_path / "phan-hoi.xlsx"
    feedback.write_bytes(data)
    blank = tmp_path / "bieu-mau.xlsx"
    blank.write_bytes(TemplateFactory(fw, *PERIOD, now=NOW).render("DV01", "Đơn vị thử"))

    (pdf,) = convert([feedback], "pdf", tmp_path / "pdf", force_recalc=False)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    total = f"{want[names.TOTAL_SCORE_NAME]:.2f}"
    summary = text[text.index("TỔNG HỢP ĐIỂM TỰ CHẤM") :]
    assert re.search(rf"TỔNG ĐIỂM\s+330\s+{re.escape(total)}", summary), summary[:1500]

    kept = convert([feedback, blank], "xlsx:Calc MS Excel 2007 XML", tmp_path / "kept", force_recalc=False)
    redone = convert([feedback, blank], "xlsx:Calc MS Excel 2007 XML", tmp_path / "redone")
    empty = expected(fw, UnitInputs("DV01", "", {}, {}))
    for path, scores in zip((*kept, *redone), (want, empty, want, empty), strict=True):
        assert_scores(cached(path), scores, path.name)


def test_the_summary_sheet_total_is_not_zero_for_a_filled_feedback(tmp_path: Path) -> None:
    fw = get_builtin("svhtt-1690")
    data, _ = _feedback_of(fw, 1, Scenario.GOOD, tmp_path)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(SUMMARY).to_python()
    total = next(r for r in rows if r[1] == "TỔNG ĐIỂM")
    assert total[3] > 0
