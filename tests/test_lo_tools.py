"""LibreOffice round trip (tests/lo_tools.py): formulas are really recalculated, as in a unit's saved file.

One soffice call recalculates both workbooks the module checks (startup costs ~1.5 s); a second
shows that without the profile override LibreOffice keeps XlsxWriter's cached zeros; a third
makes a PDF. The error-path tests use a fake soffice and need no LibreOffice.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import openpyxl
import pytest
import xlsxwriter
from lo_tools import LibreOfficeError, convert, recalculated, soffice_path, to_pdf

F = TypeVar("F", bound=Callable[..., object])


def needs_lo(test: F) -> F:
    """Mark ``libreoffice`` (deselect with ``-m "not libreoffice"``) and skip where soffice is missing."""
    skip = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) is not installed")
    marked: F = pytest.mark.libreoffice(skip(test))
    return marked


SHEET = "Nhập liệu"
NAMED_SHEET = "Chỉ số"  # non-ASCII and a space: references need quotes, 'Chỉ số'!$B$2

# cell -> formula, written by XlsxWriter; expected results per workbook in EXPECTED.
FORMULAS = {
    "A3": "=ROUND(A1*A2/3,2)",
    "B2": '=IF(B1="Có",1,0)',
    "B3": '=IF(AND(A1>5,OR(B1="Không",COUNT(A1:A2)=2)),MIN(A1:A2)+SUM(A1:A2),-1)',
    "C2": "=LEN(TRIM(C1))",
    "C3": '=IF(TRIM(C1)="Có",1,0)',
    "C4": '=IF(B1="có",1,0)',  # text comparison is case-insensitive, as in Excel
    "D1": "=DiemSo*2",
    # LibreOffice's ROUND, like Excel's, rounds half away from zero on the decimal value shown,
    # not on the binary float (Python: round(2.675, 2) == 2.67, round(2.125, 2) == 2.12).
    "E1": "=ROUND(2.125,2)",
    "E2": "=ROUND(1.005,2)",
    "E3": "=ROUND(2.675,2)",
    "E4": "=ROUND(10*17/80,2)",
    "E5": "=ROUND(-2.125,2)",
}
ROUNDING = {"E1": 2.13, "E2": 1.01, "E3": 2.68, "E4": 2.13, "E5": -2.13}


def _write_original(path: Path) -> None:
    """XlsxWriter stores 0 as every formula's cached result: stale until a spreadsheet recalculates."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet(SHEET)
    ws.write_number("A1", 10)
    ws.write_number("A2", 17)
    ws.write_string("B1", "Có")
    ws.write_string("C1", "  Có  ")
    named = wb.add_worksheet(NAMED_SHEET)
    named.write_number("B2", 7)
    wb.define_name("DiemSo", f"='{NAMED_SHEET}'!$B$2")
    for cell, formula in FORMULAS.items():
        ws.write_formula(cell, formula)
    wb.close()


def _edit_with_openpyxl(src: Path, dst: Path) -> None:
    """Change inputs the way a test fills in a form: openpyxl keeps formulas but drops every cached value."""
    wb = openpyxl.load_workbook(src)
    wb[SHEET]["A1"] = 20
    wb[SHEET]["B1"] = "Không"
    wb[NAMED_SHEET]["B2"] = 9
    wb.save(dst)


EXPECTED = {
    # 10*17/3 = 56.666…; B3 = MIN 10 + SUM 27; D1 = 7*2
    "original": {"A3": 56.67, "B2": 1, "B3": 37, "C2": 2, "C3": 1, "C4": 1, "D1": 14, **ROUNDING},
    # 20*17/3 = 113.333…; "Không" ≠ "Có"; B3 = MIN 17 + SUM 37 (OR via the "Không" branch); D1 = 9*2
    "edited": {"A3": 113.33, "B2": 0, "B3": 54, "C2": 2, "C3": 1, "C4": 0, "D1": 18, **ROUNDING},
}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    src = tmp_path_factory.mktemp("lo_in")
    original, edited = src / "original.xlsx", src / "edited.xlsx"
    _write_original(original)
    _edit_with_openpyxl(original, edited)
    return {"original": original, "edited": edited}


@pytest.fixture(scope="module")
def recalc(inputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both workbooks through ONE soffice call."""
    workdir = tmp_path_factory.mktemp("lo_work")
    outs = recalculated([inputs["original"], inputs["edited"]], workdir)
    assert outs == [workdir / "recalc" / "original.xlsx", workdir / "recalc" / "edited.xlsx"]
    return dict(zip(["original", "edited"], outs, strict=True))


def _values(path: Path) -> dict[str, object]:
    ws = openpyxl.load_workbook(path, data_only=True)[SHEET]
    return {cell: ws[cell].value for cell in FORMULAS}


def test_inputs_carry_no_usable_cached_results(inputs: dict[str, Path]) -> None:
    """Precondition: without a spreadsheet program the cached values are 0 (XlsxWriter) or absent (openpyxl)."""
    assert _values(inputs["original"])["A3"] == 0
    assert _values(inputs["edited"])["A3"] is None


@needs_lo
@pytest.mark.parametrize("name", ["original", "edited"])
def test_formulas_recalculated(recalc: dict[str, Path], name: str) -> None:
    got = _values(recalc[name])
    assert {cell: got[cell] for cell in EXPECTED[name]} == EXPECTED[name]


@needs_lo
def test_formulas_kept_as_formulas(recalc: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(recalc["edited"])[SHEET]
    assert ws["A3"].value == "=ROUND(A1*A2/3,2)"
    assert ws["B2"].value == '=IF(B1="Có",1,0)'
    assert ws["D1"].value == "=DiemSo*2"


@needs_lo
def test_defined_name_on_non_ascii_sheet_survives(recalc: dict[str, Path]) -> None:
    for path in recalc.values():
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == [SHEET, NAMED_SHEET]
        name = wb.defined_names["DiemSo"]  # openpyxl 3.1: workbook-scoped names live in a dict
        assert name.attr_text == "'Chỉ số'!$B$2"
        assert list(name.destinations) == [(NAMED_SHEET, "$B$2")]


@needs_lo
def test_without_profile_override_libreoffice_keeps_stale_values(inputs: dict[str, Path], tmp_path: Path) -> None:
    """Why lo_tools writes registrymodifications.xcu: the shipped OOXMLRecalcMode is 'never recalculate'.

    Cells with NO cached value (openpyxl) get computed anyway, so only XlsxWriter's cached 0 shows it.
    If this fails, LibreOffice now recalculates by default; the override is harmless, drop this test.
    """
    (out,) = convert([inputs["original"]], "xlsx", tmp_path, force_recalc=False)
    assert _values(out)["A3"] == 0


@needs_lo
def test_to_pdf(inputs: dict[str, Path], tmp_path: Path) -> None:
    (pdf,) = to_pdf([inputs["edited"]], tmp_path)
    assert pdf == tmp_path / "edited.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_rejects_colliding_or_self_overwriting_outputs(tmp_path: Path) -> None:
    """Checked before soffice starts, so these need no LibreOffice."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for p in (tmp_path / "a" / "x.xlsx", tmp_path / "b" / "x.xlsx"):
        p.write_bytes(b"")
    with pytest.raises(ValueError, match="share a file stem"):
        convert([tmp_path / "a" / "x.xlsx", tmp_path / "b" / "x.xlsx"], "pdf", tmp_path / "out")
    with pytest.raises(ValueError, match="overwrite it"):
        convert([tmp_path / "a" / "x.xlsx"], "xlsx", tmp_path / "a")
    with pytest.raises(FileNotFoundError):
        convert([tmp_path / "missing.xlsx"], "xlsx", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_missing_output_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """soffice exits 0 even when it converts nothing; the helper must notice and show its output."""
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded'\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr("lo_tools.soffice_path", lambda: str(fake))
    src = tmp_path / "x.xlsx"
    src.write_bytes(b"")
    with pytest.raises(LibreOfficeError, match=r"(?s)did not write.*could not be loaded"):
        convert([src], "xlsx", tmp_path / "out")


def test_error_when_soffice_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lo_tools.soffice_path", lambda: None)
    src = tmp_path / "x.xlsx"
    src.write_bytes(b"")
    with pytest.raises(LibreOfficeError, match="not on PATH"):
        convert([src], "xlsx", tmp_path / "out")


def test_timeout_kills_soffice_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho starting\nsleep 30\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr("lo_tools.soffice_path", lambda: str(fake))
    src = tmp_path / "x.xlsx"
    src.write_bytes(b"")
    with pytest.raises(LibreOfficeError, match=r"(?s)timed out after 0.5 s.*starting"):
        convert([src], "xlsx", tmp_path / "out", timeout=0.5)
