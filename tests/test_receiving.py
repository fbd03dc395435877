"""Receiving returned workbooks: real messy files (tests/fixtures/returned, made by
tests/fixtures/make_returned.py with openpyxl and LibreOffice) read, identified and judged.

Each fixture's name says what it shows; each test states what the office must see for it.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from template_fill import random_fill, write_by_name
from test_package import READABLE

from app.framework.registry import get_builtin
from app.workbook.feedback import render_feedback
from app.workbook.intake import SPREADSHEET_SUFFIXES, Submission, receive, receive_file
from app.workbook.issues import Severity, flatten
from app.workbook.roster import read_roster
from app.workbook.template import TemplateFactory
from scoring.engine import score_batch, score_unit

pytestmark = pytest.mark.usefixtures("backend")  # on SQLite and on PostgreSQL (issue 22)

FIXTURES = Path(__file__).parent / "fixtures"
RETURNED = FIXTURES / "returned"
UNUSABLE = FIXTURES / "unusable"
FW = get_builtin("svhtt-1690")
ROSTER = read_roster(FIXTURES / "rosters" / "returned_units.csv")


def receive_one(name: str, roster: Any = ROSTER) -> Submission:
    return receive_file(RETURNED / name, FW, "2023-Q1", roster)


@pytest.fixture(scope="module")
def good() -> Submission:
    return receive_one("good-filled-by-script.xlsx")


# --- what each file shows -------------------------------------------------------------------------

EXPECTED: dict[str, tuple[str, str, str, list[tuple[str, str, str]]]] = {
    # file: (unit, identified by, kind, flattened issues including infos)
    "good-filled-by-script.xlsx": ("DV01", "metadata", "xlsx", []),
    "resaved-by-libreoffice.xlsx": ("DV02", "metadata", "xlsx", []),
    # names moved with the inserted rows: read right, and the office is told the layout changed
    "rows-inserted-by-libreoffice.xlsx": ("DV03", "metadata", "xlsx", [("DV03", "", "layout-changed")]),
    "sheet-renamed-by-libreoffice.xlsx": ("DV04", "metadata", "xlsx", [("DV04", "", "layout-changed")]),
    # "30 cuộc", "1.234" (thousands), "30.0" as text, "x" for Có, "40 người", "12,0"; " 2 " and "có " are no change
    "values-typed-as-text.xlsx": (
        "DV05",
        "metadata",
        "xlsx",
        [
            ("DV05", "C11", "value-converted"),
            ("DV05", "C8", "value-converted"),
            ("DV05", "D14", "value-converted"),
            ("DV05", "D15", "value-converted"),
            ("DV05", "D19", "value-converted"),
            ("DV05", "D24", "value-converted"),
        ],
    ),
    # "85%" is what a percent cell means (no note), "0,8" becomes 80%, a count of "1,5" is refused
    "decimal-comma-and-percent-text.xlsx": (
        "DV06",
        "metadata",
        "xlsx",
        [("DV06", "D161", "value-converted"), ("DV06", "D20", "wrong-type")],
    ),
    "nfd-text-unicode-to-hop.xlsx": ("DV07", "metadata", "xlsx", []),
    "wrong-period-2022-Q4.xlsx": ("DV08", "metadata", "xlsx", [("DV08", "", "wrong-period")]),
    # DV09's template, filled and sent by DV10 under DV10's file name
    "copied-template-of-another-unit_2023-Q1_DV10.xlsx": (
        "DV09",
        "metadata",
        "xlsx",
        [("DV09", "", "meta-header-mismatch")],
    ),
    "duplicate-submission-DV11-first.xlsx": ("DV11", "metadata", "xlsx", []),
    "duplicate-submission-DV11-second.xlsx": ("DV11", "metadata", "xlsx", []),
    "errors-part-exceeds-whole-na-without-note.xlsx": (
        "DV12",
        "metadata",
        "xlsx",
        [
            ("DV12", "C8", "required-missing"),  # contact phone left empty
            ("DV12", "C9", "part-exceeds-whole"),  # chuyên trách 30 + kiêm nhiệm 20 > tổng số 40
            ("DV12", "D14", "part-exceeds-whole"),  # 1.2: a = 50 > b = 10
            ("DV12", "D25", "wrong-type"),  # "không rõ" in a count
            ("DV12", "D38", "out-of-range"),  # -3
            ("DV12", "E8", "evidence-missing"),  # 1.1 claimed without evidence
            ("DV12", "E92", "na-without-explanation"),  # "Có" in không áp dụng, no explanation
        ],
    ),
    # LibreOffice's .xls keeps _meta but python-calamine cannot see defined names in .xls
    "saved-as-xls-by-libreoffice.xls": ("DV13", "metadata", "xls", [("DV13", "", "read-by-anchor")]),
    "saved-as-ods-by-libreoffice.ods": ("DV14", "metadata", "ods", []),
    # only the Chỉ số table pasted as values: found by code anchors, identified by the title line,
    # and every cell of the missing sheets reported
    "values-pasted-into-new-workbook.xlsx": (
        "DV15",
        "header",
        "xlsx",
        [("DV15", "", "cell-not-found"), ("DV15", "", "identified-by-header"), ("DV15", "", "read-by-anchor")],
    ),
    "formula-typed-in-input-cell.xlsx": ("DV16", "metadata", "xlsx", []),
}


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in RETURNED.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_is_understood(name: str) -> None:
    unit, by, kind, issues = EXPECTED[name]
    sub = receive_one(name)
    assert (sub.unit_code, sub.identity.by, sub.kind) == (unit, by, kind)
    assert flatten(sub.issues, with_info=True) == issues
    for issue in sub.issues:
        assert issue.file == name and issue.message and issue.unit == unit
        if issue.cell:
            assert issue.sheet, issue


@pytest.mark.parametrize(
    "name",
    [
        "resaved-by-libreoffice.xlsx",
        "rows-inserted-by-libreoffice.xlsx",
        "sheet-renamed-by-libreoffice.xlsx",
        "nfd-text-unicode-to-hop.xlsx",
        "saved-as-xls-by-libreoffice.xls",
        "saved-as-ods-by-libreoffice.ods",
        "formula-typed-in-input-cell.xlsx",
        "duplicate-submission-DV11-first.xlsx",
    ],
)
def test_rewritten_files_hold_the_same_figures(name: str, good: Submission) -> None:
    sub = receive_one(name)
    assert sub.inputs.values == good.inputs.values
    assert sub.inputs.not_applicable == good.inputs.not_applicable
    assert sub.fields == good.fields


def test_values_pasted_elsewhere_still_score_the_same(good: Submission) -> None:
    sub = receive_one("values-pasted-into-new-workbook.xlsx")
    assert sub.inputs.values == good.inputs.values
    missing = [i for i in sub.issues if i.code == "cell-not-found"]
    assert {i.indicator for i in missing} >= {"contact_name", "contact_phone", "pl_1", "pl_2", "pl_3", "pl_4"}
    assert not any(i.code == "required-missing" for i in sub.issues)  # said once, as not found


def test_converted_values_are_the_numbers_meant() -> None:
    sub = receive_one("values-typed-as-text.xlsx")
    conv = {i.cell: (i.value, i.message) for i in sub.issues if i.code == "value-converted"}
    assert conv["C8"] == ("40 người", 'Đã hiểu giá trị "40 người" là 40.')
    assert conv["D15"][0] == "1.234" and "1234" in conv["D15"][1]
    assert sub.fields["pl_1"] == 40 and sub.fields["pl_2"] == 2 and sub.fields["pl_4"] == 12
    yes = [(i, s) for i in FW.indicators for s in i.inputs if s.type.value == "yesno"]
    assert sub.inputs.values[yes[0][0].code][yes[0][1].name] == "Có"
    assert sub.inputs.values[yes[1][0].code][yes[1][1].name] == "Có"  # "có " typed


def test_nfd_text_is_read_as_nfc(good: Submission) -> None:
    sub = receive_one("nfd-text-unicode-to-hop.xlsx")
    assert sub.fields["contact_name"] == "Nguyễn Thị Hoà" == good.fields["contact_name"]


def test_error_messages_name_the_cell_and_the_value() -> None:
    sub = receive_one("errors-part-exceeds-whole-na-without-note.xlsx")
    by_cell = {i.cell: i for i in sub.issues}
    assert by_cell["D25"].value == "không rõ" and by_cell["D25"].sheet == "Chỉ số"
    assert "số nguyên không âm" in by_cell["D25"].message
    assert by_cell["C9"].sheet == "Phụ lục" and "40" in by_cell["C9"].message
    assert by_cell["D14"].severity is Severity.ERROR and by_cell["D14"].name == "v_1_2_a"
    assert sub.has_errors


def test_copied_template_names_both_units() -> None:
    sub = receive_one("copied-template-of-another-unit_2023-Q1_DV10.xlsx")
    (issue,) = [i for i in sub.issues if i.code == "meta-header-mismatch"]
    assert "DV09" in issue.message and "DV10" in issue.message


def test_wrong_period_is_not_counted() -> None:
    sub = receive_one("wrong-period-2022-Q4.xlsx")
    assert not sub.counts and sub.has_errors
    assert "2022-Q4" in sub.issues[0].message and "2023-Q1" in sub.issues[0].message


def test_without_a_roster_the_unit_comes_from_the_file() -> None:
    sub = receive_one("good-filled-by-script.xlsx", roster=None)
    assert (sub.unit_code, sub.unit_name, sub.identity.by) == ("DV01", "Thư viện Khoa học Tổng hợp", "metadata")
    pasted = receive_one("values-pasted-into-new-workbook.xlsx", roster=None)
    assert (pasted.unit_code, pasted.identity.by) == ("DV15", "header")


def test_unit_not_in_roster_is_an_error() -> None:
    roster = [u for u in ROSTER if u.code != "DV01"]
    sub = receive_one("good-filled-by-script.xlsx", roster=roster)
    assert sub.unit_code == "" and not sub.counts
    assert flatten(sub.issues) == [("", "", "unit-unknown")]


# --- the batch -------------------------------------------------------------------------------------


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_batch_reads_every_good_file_despite_the_bad_ones(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(RETURNED, inbox)
    shutil.copytree(UNUSABLE, inbox / "unusable")
    for name in READABLE:  # readable (blank) templates in the unusable folder: not part of this batch
        (inbox / "unusable" / name).unlink()
    # a folder is searched for spreadsheets, e-mails and zips (issue 18: a .zip is opened and its
    # workbook read); a .numbers or .xml there is listed as not taken, not read
    unusable = sorted(p.name for p in (inbox / "unusable").iterdir() if p.suffix.lower() in SPREADSHEET_SUFFIXES)
    assert len(unusable) >= 20
    first, second = inbox / "duplicate-submission-DV11-first.xlsx", inbox / "duplicate-submission-DV11-second.xlsx"
    os.utime(first, (datetime(2023, 4, 10, 8).timestamp(),) * 2)
    os.utime(second, (datetime(2023, 4, 12, 8).timestamp(),) * 2)
    before = _digest(inbox)
    batch = receive([inbox], FW, "2023-Q1", ROSTER)
    assert _digest(inbox) == before  # nothing received is ever written to
    read = sorted(s.file for s in batch.submissions)
    assert read == sorted([*EXPECTED, "DV01 - Nhà hát Thành phố.xlsx"])  # the one inside the zip
    assert sorted(r.file for r in batch.rejected) == unusable
    for r in batch.rejected:
        assert r.file in r.message and r.code
    counted = {s.unit_code: s.file for s in batch.counted}
    assert counted["DV11"] == second.name  # the latest of a unit's files wins
    older = next(s for s in batch.submissions if s.file == first.name)
    assert older.superseded_by == second.name and flatten(older.issues) == [("DV11", "", "duplicate-unit")]
    assert "DV08" not in counted  # wrong period
    assert len(counted) == 14  # 16 readable files − the superseded one − the wrong period (+ the zip's, same unit)
    scores = {s.unit_code: s.total for s in score_batch(FW, [s.inputs for s in batch.counted])}
    assert scores["DV02"] == scores["DV03"] == scores["DV13"] == scores["DV01"]


def test_the_same_file_twice_is_one_submission_without_a_warning(tmp_path: Path) -> None:
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(RETURNED / "good-filled-by-script.xlsx", tmp_path / name)
    batch = receive([tmp_path], FW, "2023-Q1", ROSTER)
    assert len(batch.counted) == 1
    assert all(not s.issues for s in batch.submissions)


def test_progress_and_cancel(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    batch = receive([RETURNED], FW, "2023-Q1", ROSTER, progress=lambda n, total, _: seen.append((n, total)),
                    cancelled=lambda: len(seen) >= 3)  # fmt: skip
    assert batch.cancelled and len(batch.submissions) + len(batch.rejected) == 3
    assert seen[0] == (0, len(EXPECTED))


# --- figures written by name come back as the engine's inputs ------------------------------------


@pytest.mark.parametrize("framework_id", ["svhtt-1690", "hcm-dti-so-2023", "hcm-dti-quan-2023"])
def test_random_fills_read_back_exactly(framework_id: str, tmp_path: Path) -> None:
    fw = get_builtin(framework_id)
    factory = TemplateFactory(fw, "2023-Q1", "Quý I/2023")
    template = tmp_path / "t.xlsx"
    template.write_bytes(factory.render("U1", "Đơn vị thử"))
    rnd = random.Random(framework_id)
    for n in range(3):
        cells, expected = random_fill(fw, rnd)
        target = tmp_path / f"f{n}.xlsx"
        write_by_name(template, cells, target)
        sub = receive_file(target, fw, "2023-Q1")
        got = {code: {k: v for k, v in row.items()} for code, row in sub.inputs.values.items() if row}
        want = {code: {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in row.items()}
                for code, row in expected.values.items() if row}  # fmt: skip
        assert got == want
        assert {c: n.strip() for c, n in sub.inputs.not_applicable.items()} == {
            c: n.strip() for c, n in expected.not_applicable.items()
        }
        assert score_unit(fw, sub.inputs).total_cents == score_unit(fw, expected).total_cents


# --- feedback ------------------------------------------------------------------------------------


def test_feedback_workbook_round_trips(tmp_path: Path) -> None:
    """What the unit sent, written into a fresh template, reads back the same with the same problems."""
    sub = receive_file(RETURNED / "errors-part-exceeds-whole-na-without-note.xlsx", FW, "2023-Q1", ROSTER,
                       keep_typed=True)  # fmt: skip
    data = render_feedback(FW, sub.unit_code, sub.unit_name, "2023-Q1", "Quý I/2023", sub.typed, sub.issues,
                           received_file=sub.file)  # fmt: skip
    back = tmp_path / "phan-hoi.xlsx"
    back.write_bytes(data)
    again = receive_file(back, FW, "2023-Q1", ROSTER)
    assert again.inputs.values == sub.inputs.values and again.fields == sub.fields
    # the fresh template has the sign-off block (issue 20) the unit's older file had not: its empty
    # "Thủ trưởng đơn vị xác nhận" is the one new warning; every other problem is the same
    fresh = [(i.code, i.name) for i in again.issues]
    assert fresh.pop(fresh.index(("head-confirmation-missing", "v_head_name"))) and fresh == [
        (i.code, i.name) for i in sub.issues]  # fmt: skip


def test_another_frameworks_template_is_not_counted(tmp_path: Path) -> None:
    other = get_builtin("hcm-dti-so-2023")
    path = tmp_path / "so.xlsx"
    path.write_bytes(TemplateFactory(other, "2023-Q1", "Quý I/2023").render("DV01", "Thư viện Khoa học Tổng hợp"))
    sub = receive_file(path, FW, "2023-Q1", ROSTER)
    assert flatten(sub.issues) == [("DV01", "", "wrong-framework")]
    assert not sub.counts and "hcm-dti-so-2023" in sub.issues[0].message


def test_a_spreadsheet_that_is_not_our_template_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from app.workbook.package import Unusable

    wb = Workbook()
    wb.active.append(["Dự toán ngân sách 2023", 1200000])
    wb.save(tmp_path / "du-toan.xlsx")
    with pytest.raises(Unusable) as err:
        receive_file(tmp_path / "du-toan.xlsx", FW, "2023-Q1", ROSTER)
    assert err.value.code == "layout-unrecognised" and "du-toan.xlsx" in err.value.message
