"""Issue 17, points 5, 8 and 9: workbooks that lie about where their cells are, reach outside, or
hold figures nobody has. The fixtures are made by ``tests/fixtures/make_hostile.py``."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from app.framework.registry import get_builtin
from app.workbook.intake import receive_file
from app.workbook.issues import Severity, flatten
from scoring.engine import UnitInputs, score_unit

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
FW = get_builtin("svhtt-1690")
PERIOD = "2023-Q1"


def _read(name: str):  # type: ignore[no-untyped-def]
    return receive_file(HOSTILE / name, FW, PERIOD)


# --- point 9: numbers nobody has ---------------------------------------------------------------


def test_figures_above_the_plausible_bounds_are_warned_with_cell_value_and_bound() -> None:
    sub = _read("implausible-figures.xlsx")
    found = {(i.sheet, i.cell): i for i in sub.issues if i.code == "implausible-value"}
    assert sorted(found) == [("Chỉ số", "D14"), ("Chỉ số", "D15"), ("Chỉ số", "D20"), ("Phụ lục", "C8")]
    assert all(i.severity is Severity.WARNING for i in found.values())
    staff = found[("Phụ lục", "C8")].message
    assert "Phụ lục!C8" in staff and "1e+20" in staff and "100.000" in staff  # its own bound: a staff count
    ratio = found[("Chỉ số", "D14")].message
    assert "Chỉ số!D14" in ratio and "1000000000000000" in ratio and "100.000.000" in ratio
    assert "1e+308" in found[("Chỉ số", "D20")].message
    assert not sub.has_errors  # still scored: a warning, not a refusal


def test_scores_stay_sane_on_huge_figures() -> None:
    sub = _read("implausible-figures.xlsx")
    score = score_unit(FW, sub.inputs)
    assert 0 <= score.total <= FW.total
    one_two = score.indicators["1.2"]
    assert one_two.cents == one_two.max_cents  # 10^15 / 10^15
    assert score.indicators["1.3"].cents == 0  # 30 of 1e308
    huge = UnitInputs("X", "x", {"1.2": {"a": 10**308, "b": 10**308}, "1.3": {"a": int(1e308), "b": int(1e308)}}, {})
    again = score_unit(FW, huge)
    assert again.indicators["1.2"].cents == again.indicators["1.2"].max_cents
    assert again.indicators["1.3"].cents == again.indicators["1.3"].max_cents
    assert 0 <= again.total <= FW.total and Fraction(again.total) == Fraction(again.total_cents, 100)


def test_a_value_that_overflows_is_an_error_not_a_figure() -> None:
    sub = _read("non-finite-figure.xlsx")
    assert flatten(sub.issues) == [("DV01", "D14", "wrong-type")]
    (issue,) = [i for i in sub.issues if i.code == "wrong-type"]
    assert issue.severity is Severity.ERROR and "vô hạn hoặc tràn số" in issue.message
    assert "a" not in sub.inputs.values["1.2"]


# --- point 5: defined names that point elsewhere -------------------------------------------------


def test_names_pointing_at_other_cells_are_not_believed() -> None:
    sub = _read("names-moved-to-other-cells.xlsx")
    assert sub.fields["contact_name"] == "Nguyễn Thị Hoà"  # not "TỔNG HỢP ĐIỂM TỰ CHẤM"
    assert sub.inputs.values["1.2"] == {"a": 30, "b": 30}  # a from its own row, not b's cell
    moved = {(i.name, i.sheet, i.cell): i for i in sub.issues if i.code == "name-moved"}
    assert sorted(moved) == [("v_1_2_a", "Chỉ số", "D15"), ("v_contact_name", "Tổng hợp", "A1")]
    contact = moved[("v_contact_name", "Tổng hợp", "A1")]
    assert contact.severity is Severity.WARNING
    assert (
        "v_contact_name" in contact.message and "Tổng hợp!A1" in contact.message and "Thông tin!C7" in contact.message
    )
    assert not any(i.code in ("layout-changed", "read-by-anchor") for i in sub.issues)


def test_names_that_moved_with_their_rows_are_still_believed() -> None:
    rows_inserted = Path(__file__).resolve().parent / "fixtures" / "returned" / "rows-inserted-by-libreoffice.xlsx"
    sub = receive_file(rows_inserted, FW, PERIOD)
    assert not any(i.code == "name-moved" for i in sub.issues)


# --- point 8: workbooks that reach outside --------------------------------------------------------

OUTSIDE = {
    "dde-formula.xlsx": [("Chỉ số", "D14", "DDE")],
    "external-link-to-another-workbook.xlsx": [("", "", "xl/externalLinks/externalLink1.xml"),
                                               ("Chỉ số", "D14", "[1]Sheet1")],
    "file-hyperlink.xlsx": [("Chỉ số", "E12", "file:///C:/Windows/System32/calc.exe")],
}  # fmt: skip


def test_links_outside_are_warned_naming_the_cell_or_part() -> None:
    for name, expected in OUTSIDE.items():
        sub = _read(name)
        found = sorted((i.sheet, i.cell, i.message) for i in sub.issues if i.code == "outside-link")
        assert [(s, c) for s, c, _ in found] == [(s, c) for s, c, _ in expected], name
        for (_, _, message), (_, _, word) in zip(found, expected, strict=True):
            assert message.startswith("Tệp có liên kết ra ngoài") and word in message, (name, message)
        assert all(i.severity is Severity.WARNING for i in sub.issues if i.code == "outside-link")
        assert sub.inputs.values["1.2"]["a"] == 30  # the cached value; nothing was run or followed


def test_the_template_itself_reaches_nothing_outside() -> None:
    good = Path(__file__).resolve().parent / "fixtures" / "returned"
    for path in sorted(good.glob("*.xlsx")):
        assert not [i for i in receive_file(path, FW, PERIOD).issues if i.code == "outside-link"], path.name


def test_the_feedback_workbook_carries_no_link_or_formula_of_the_unit() -> None:
    import io
    import zipfile

    from app.workbook.feedback import render_feedback

    for name in OUTSIDE:
        sub = receive_file(HOSTILE / name, FW, PERIOD, keep_typed=True)
        data = render_feedback(FW, sub.unit_code, sub.unit_name, PERIOD, "Quý I/2023", sub.typed, sub.issues)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert not [n for n in z.namelist() if "externalLink" in n or n.endswith("connections.xml")]
            text = b"".join(z.read(n) for n in z.namelist() if n.endswith((".xml", ".rels")))
        formulas = re.findall(rb"<f\b[^>]*>([^<]*)</f>", text)
        assert formulas  # the feedback has its own live totals
        assert not [f for f in formulas if b"|" in f or b"[" in f or b"file:" in f], name  # none of the unit's
        assert b'TargetMode="External"' not in text  # its own hyperlinks only jump within it (location=)
        assert not re.findall(rb"<hyperlink\b[^>]*\br:id=", text)
