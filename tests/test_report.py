"""The consolidated report (issues 7 and 16), checked by meaning.

A workspace with two quarters of simulated returns (2022-Q4 then 2023-Q1, one unit's contact
changed in between, one appraisal) is reported, and the workbook read back: its sheets, that
every number equals the engine's, the charts, the print set-up; the exports; the roll-up by hand;
and that hostile unit names are text in every output.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.demo.fill import Scenario, assign_scenarios, simulate
from app.demo.roster import SAMPLE_UNITS, SampleUnit, write_roster_csv
from app.framework.registry import get_builtin
from app.period import parse_period
from app.report import TargetLocked, gather, make_report
from app.report.rollup import rollup
from app.report.xlsx import SHEETS
from app.workspace import Workspace, add_period, appraise, import_roster, ingest, status
from app.workspace.ranking import score_period
from app.workspace.templates import generate_for_period
from scoring.engine import UnitInputs, score_unit

pytestmark = pytest.mark.usefixtures("backend")  # on SQLite and on PostgreSQL (issue 22)

FW = "svhtt-1690"
CHANGED_CONTACT = "Lê Văn Mới"


def _good_in_both() -> SampleUnit:
    q4, q1 = assign_scenarios(SAMPLE_UNITS, 7), assign_scenarios(SAMPLE_UNITS, 2023)
    return next(u for u in SAMPLE_UNITS if q4[u.code] == Scenario.GOOD and q1[u.code] == Scenario.GOOD)


@pytest.fixture(scope="module")
def two_quarters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    fw = get_builtin(FW)
    with Workspace.create(root / "ws") as ws:
        import_roster(ws, write_roster_csv(root / "roster.csv"))
        for code in ("2022-Q4", "2023-Q1"):
            add_period(ws, code, FW)
        simulate(fw, parse_period("2022-Q4"), SAMPLE_UNITS, root / "q4", seed=7)
        ingest(ws, "2022-Q4", [root / "q4"])
        moved = _good_in_both()
        units = tuple(replace(u, contact_name=CHANGED_CONTACT) if u.code == moved.code else u for u in SAMPLE_UNITS)
        simulate(fw, parse_period("2023-Q1"), units, root / "q1", seed=2023)
        ingest(ws, "2023-Q1", [root / "q1"])
        appraise(ws, "2023-Q1", moved.code, "1.1", score=0, reason="Chưa có quyết định kiện toàn Ban chỉ đạo.")
        make_report(ws, "2023-Q1", root / "out" / "report.xlsx")
    return root


def _cents(value: Any) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


def _rows(sheet: Any, header_row: int) -> tuple[list[str], list[list[Any]]]:
    values = list(sheet.iter_rows(min_row=header_row, values_only=True))
    header = [str(h) if h is not None else "" for h in values[0]]
    body = [list(r) for r in values[1:] if any(v is not None for v in r)]
    return header, body


def test_sheets_and_summary_match_the_workspace(two_quarters: Path) -> None:
    wb = load_workbook(two_quarters / "out" / "report.xlsx")
    assert wb.sheetnames == list(SHEETS.values())
    with Workspace.open(two_quarters / "ws") as ws:
        states = status(ws, "2023-Q1")
    received = [s for s in states if s.state == "received"]
    summary = {r[0]: r[1] for r in wb["Tổng hợp"].iter_rows(values_only=True) if r[0] and isinstance(r[1], int)}
    assert summary["Đơn vị phải nộp"] == len(SAMPLE_UNITS)
    assert summary["Đã nộp (bản được tính)"] == len(received)
    assert summary["Nộp đúng hạn"] == sum(1 for s in received if s.on_time)
    assert summary["Nộp muộn"] == sum(1 for s in received if not s.on_time) > 0
    assert summary["Chưa nộp (hoặc chỉ có tệp không được tính)"] == len(SAMPLE_UNITS) - len(received) > 0
    assert summary["Đơn vị còn lỗi chưa sửa"] == sum(1 for s in received if s.errors)
    text = " ".join(str(v) for r in wb["Tổng hợp"].iter_rows(values_only=True) for v in r if v is not None)
    assert "Quý I năm 2023" in text and "20/04/2023" in text and "Quý IV năm 2022" in text


def test_status_counts_tally_units_and_stray_files() -> None:
    from datetime import datetime

    from app.workspace.status import UnitStatus, count_statuses

    def unit(code: str, state: str, on_time: bool | None = None, errors: int = 0, files: int = 1) -> UnitStatus:
        return UnitStatus(code, code, state, on_time, datetime(2023, 4, 1) if on_time is not None else None, errors, 0,
                          1, "f.xlsx", files)  # fmt: skip

    rows = [unit("A", "received", True), unit("B", "received", False, errors=2), unit("C", "missing", files=0),
            unit("D", "not-counted", files=2), unit("", "unknown"), unit("", "rejected"), unit("", "rejected")]  # fmt: skip
    c = count_statuses(rows)
    assert (c.expected, c.received, c.on_time, c.late, c.missing, c.with_errors) == (4, 2, 1, 1, 2, 1)
    assert (c.not_counted_files, c.unknown_files, c.rejected_files) == (2, 1, 2)


def test_ranking_and_matrix_equal_the_engine(two_quarters: Path) -> None:
    wb = load_workbook(two_quarters / "out" / "report.xlsx")
    with Workspace.open(two_quarters / "ws") as ws:
        scores = score_period(ws, "2023-Q1")
        before = {u.unit_code: u for u in score_period(ws, "2022-Q4").ranked}
    header, rows = _rows(wb["Xếp hạng"], 4)
    rows = [r for r in rows if isinstance(r[0], int)]
    col = {h: i for i, h in enumerate(header)}
    assert [r[1] for r in rows] == [u.unit_code for u in scores.ranked]
    groups = scores.framework.groups
    assert sum(1 for u in scores.ranked if u.unit_code in before) >= 10  # the comparison below is exercised
    pillars = next(i for i, h in enumerate(header) if h.startswith(f"{groups[0].code}. "))
    for row, unit in zip(rows, scores.ranked, strict=True):
        assert row[0] == unit.rank
        assert _cents(row[col["Tổng điểm (sau thẩm định)"]]) == unit.appraised_cents
        assert _cents(row[col["Tổng điểm tự chấm"]]) == unit.self_cents
        assert [_cents(row[pillars + i]) for i in range(len(groups))] == [unit.group_cents[g.code] for g in groups]
        if unit.unit_code in before:
            assert _cents(row[col["Điểm kỳ trước"]]) == before[unit.unit_code].appraised_cents
            assert _cents(row[col["Tăng/giảm điểm"]]) == unit.appraised_cents - before[unit.unit_code].appraised_cents
            assert row[col["Hạng kỳ trước"]] == before[unit.unit_code].rank
    moved = _good_in_both().code
    matrix = wb["Điểm chi tiết"]
    codes = [c.value for c in matrix[4][3::2]]
    assert codes[0] == "1.1 (tối đa 10)" and len(codes) == len(scores.framework.indicators)
    by_unit = {r[0]: r for r in matrix.iter_rows(min_row=6, values_only=True) if r[0]}
    for a in scores.assessments:
        row = by_unit[a.unit_code]
        for i, ind in enumerate(scores.framework.indicators):
            own, eff = a.indicator(ind.code)
            assert (_cents(row[3 + 2 * i]), _cents(row[4 + 2 * i])) == (own.cents, eff.cents), (a.unit_code, ind.code)
    row = by_unit[moved]
    assert row[3] == 10 and row[4] == 0  # 1.1 self-assessed 10, appraised 0
    cell = next(c for c in matrix[next(i for i, r in enumerate(matrix.iter_rows(values_only=True), 1) if r[0] == moved)]
                if c.column == 5)  # fmt: skip
    assert cell.fill.fgColor.rgb.endswith("FFF2CC")


def test_charts_print_setup_and_fonts(two_quarters: Path) -> None:
    path = two_quarters / "out" / "report.xlsx"
    with zipfile.ZipFile(path) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        kinds = [re.findall(r"<c:(barChart|colChart|lineChart)", z.read(n).decode()) for n in charts]
        groupings = [re.findall(r'<c:grouping val="(\w+)"', z.read(n).decode()) for n in charts]
        styles = z.read("xl/styles.xml").decode()
    assert len(charts) == 3 and all(k == ["barChart"] for k in kinds)  # XlsxWriter writes columns as barChart
    assert ["stacked"] in groupings and ["clustered"] in groupings
    assert "Times New Roman" in styles and "Calibri" not in styles.split("<cellXfs")[1]
    wb = load_workbook(path)
    for sheet in wb.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9, sheet.title
        # the summary's few fixed rows fit one page; every other sheet fits the width and runs on
        tall = (1, None) if sheet.title == "Tổng hợp" else (0,)  # (1 is the default, omitted)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToHeight in tall, sheet.title
        assert sheet.print_title_rows, sheet.title
    assert wb["Xếp hạng"].freeze_panes == "D5" and wb["Xếp hạng"].auto_filter.ref.startswith("A4:")
    # with a previous period's columns the ranking is too wide for 8 pt on one page: two, names repeated
    assert wb["Xếp hạng"].page_setup.fitToWidth == 2 and wb["Xếp hạng"].print_title_cols == "$A:$C"
    _merged_text_inside_repeated_columns(wb)
    assert wb["Điểm chi tiết"].page_setup.fitToWidth > 1 and wb["Điểm chi tiết"].print_title_cols == "$A:$C"
    assert wb["Xếp hạng"]["E5"].number_format == "0.00"


def test_rollup_pools_ratios_and_scores_the_department_by_the_rules() -> None:
    fw = get_builtin(FW)
    units = [
        UnitInputs("A", "A", {"1.2": {"a": 3, "b": 4}, "2.1": {"a": "Có"}, "6.13": {"a": Fraction(1, 2), "b": Fraction(1, 4)}}),
        UnitInputs("B", "B", {"1.2": {"a": 1, "b": 16}, "2.1": {"a": "Không"}}),
        UnitInputs("C", "C", {"1.2": {"a": 5}, "2.1": {"a": "Có"}}, not_applicable={"5.2": "không có TTHC"}),
    ]  # fmt: skip
    fields = {"A": {"pl_1": 10, "pl_2": 2}, "B": {"pl_1": 5}, "C": {"pl_1": "mười"}}
    roll = rollup(fw, units, fields)
    staff = {s.name: s for s in roll.staffing}
    assert (staff["pl_1"].total, staff["pl_1"].units) == (15, 2) and staff["pl_2"].total == 2
    by = {r.code: r for r in roll.indicators}
    r12 = by["1.2"]
    assert (r12.numerator, r12.denominator, r12.pooled, r12.units) == (4, 20, Fraction(1, 5), 2)  # not the mean 43.75%
    assert r12.score is not None
    assert (
        r12.score.cents
        == score_unit(fw, UnitInputs("X", "X", {"1.2": {"a": 4, "b": 20}})).indicators["1.2"].cents
        == 200
    )
    assert by["2.1"].share == Fraction(2, 3) and by["2.1"].score is None
    assert by["5.1"].score is None and "so sánh giữa các đơn vị" in by["5.1"].note
    assert by["6.13"].score is None  # growth of typed percentages cannot be added up
    assert by["5.2"].not_applicable == 1
    assert roll.department_cents == sum(r.score.cents for r in roll.derivable if r.score is not None)


def test_contacts_flag_changes_and_late_units_are_listed(two_quarters: Path) -> None:
    wb = load_workbook(two_quarters / "out" / "report.xlsx")
    header, rows = _rows(wb["Đầu mối"], 4)
    assert header[2] == "Họ tên" and "(Quý IV năm 2022)" in header[4]
    moved = _good_in_both().code
    flagged = [r for r in rows if r[-1]]
    assert [r[0] for r in flagged if str(r[-1]).startswith("Thay đổi")] == [moved]
    row = next(r for r in rows if r[0] == moved)
    assert row[2] == CHANGED_CONTACT and row[4] != CHANGED_CONTACT and "Họ tên" in row[-1]
    _, late = _rows(wb["Chưa nộp, nộp muộn"], 4)
    states = {r[2] for r in late}
    assert "Chưa nộp" in states and "Nộp muộn" in states
    assert all(isinstance(r[4], int) and r[4] >= 1 for r in late if r[2] == "Nộp muộn")


def test_exports_carry_the_same_numbers(two_quarters: Path) -> None:
    folder = two_quarters / "out"
    ranking = list(csv.reader(io.StringIO((folder / "xep-hang-2023-Q1-de-gui-len.csv").read_text("utf-8-sig"))))
    data = json.loads((folder / "bao-cao-2023-Q1.json").read_text("utf-8"))
    with Workspace.open(two_quarters / "ws") as ws:
        ranked = score_period(ws, "2023-Q1").ranked
    assert ranking[0][:4] == ["Hạng", "Mã đơn vị", "Tên đơn vị", "Tổng điểm (sau thẩm định)"]
    assert [(int(r[0]), r[1], _cents(r[3])) for r in ranking[1:]] == [
        (u.rank, u.unit_code, u.appraised_cents) for u in ranked
    ]
    matrix = list(csv.DictReader(io.StringIO((folder / "diem-chi-tiet-2023-Q1-de-gui-len.csv").read_text("utf-8-sig"))))
    assert len(matrix) == len(ranked) * 32 and matrix[0]["Chỉ số"] == "1.1"
    assert data["period"] == "2023-Q1" and data["compared_with"] == "2022-Q4"
    assert [r["ma_don_vi"] for r in data["ranking"]] == [u.unit_code for u in ranked]


HOSTILE = ('=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)")


def test_hostile_unit_names_are_text_in_every_output(tmp_path: Path) -> None:
    units = tuple(replace(u, name=HOSTILE[i]) if i < len(HOSTILE) else u for i, u in enumerate(SAMPLE_UNITS[:6]))
    fw = get_builtin(FW)
    with Workspace.create(tmp_path / "ws") as ws:
        import_roster(ws, write_roster_csv(tmp_path / "roster.csv", units))
        add_period(ws, "2023-Q1", FW)
        templates = generate_for_period(ws, "2023-Q1")
        simulate(fw, parse_period("2023-Q1"), units, tmp_path / "in", seed=1)
        ingest(ws, "2023-Q1", [tmp_path / "in"])
        result = make_report(ws, "2023-Q1", tmp_path / "out" / "r.xlsx")
    wb = load_workbook(result.workbook)
    seen: set[str] = set()
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value in HOSTILE:
                    assert c.data_type == "s" and c.quotePrefix, (sheet.title, c.coordinate)
                    seen.add(c.value)
                assert not (c.data_type == "f"), (sheet.title, c.coordinate, c.value)
    assert seen == set(HOSTILE)
    for path in result.exports:
        text = path.read_text("utf-8-sig")
        if path.suffix == ".csv":
            fields = [f for row in csv.reader(io.StringIO(text), delimiter=";" if "-de-doc" in path.name else ",")
                      for f in row]  # fmt: skip
            assert not any(f.startswith(("=", "+", "-", "@")) for f in fields), path.name
            assert "'" + HOSTILE[0] in fields
        else:
            assert HOSTILE[0] in {r["ten_don_vi"] for r in json.loads(text)["ranking"]}
    for g in templates:  # the templates the units receive: the name is text there too
        for sheet in load_workbook(g.path).worksheets:
            for row in sheet.iter_rows():
                for c in row:
                    if c.data_type == "f":
                        assert "HYPERLINK" not in str(c.value) and "cmd" not in str(c.value)


def test_cli_report_and_a_target_open_in_excel(two_quarters: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(two_quarters / "ws")
    assert main(["report", "--workspace", ws, "--period", "Quý I/2023", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    book = Path(out["workbook"])
    assert book == two_quarters / "ws" / "reports" / "2023-Q1" / "bao-cao-tong-hop-2023-Q1.xlsx" and book.is_file()
    assert len(out["exports"]) == 5 and out["summary"]["expected"] == len(SAMPLE_UNITS)
    lock = book.with_name("~$" + book.name)
    lock.write_bytes(b"owner")
    before = book.read_bytes()
    assert main(["report", "--workspace", ws, "--period", "2023-Q1"]) == 1
    assert "đang được mở" in capsys.readouterr().err and book.read_bytes() == before
    lock.unlink()
    assert main(["report", "--workspace", ws, "--period", "2024-Q1"]) == 2
    with Workspace.open(two_quarters / "ws") as w:
        with pytest.raises(TargetLocked):
            lock.write_bytes(b"owner")
            make_report(w, "2023-Q1")
        lock.unlink()
        assert gather(w, "2023-Q1").summary.appraised == 1


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_report_and_prints_it(two_quarters: Path, tmp_path: Path) -> None:
    src = two_quarters / "out" / "report.xlsx"
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                          capture_output=True, timeout=240)  # fmt: skip
    pdf = tmp_path / "report.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "XẾP HẠNG CÁC ĐƠN VỊ" in text and "Trang 1 /" in text and SAMPLE_UNITS[0].name.split()[0] in text


def test_issues_name_fields_by_their_label(two_quarters: Path) -> None:
    """An issue about a field says "Số điện thoại", as the template does, not ``contact_phone``."""
    with Workspace.open(two_quarters / "ws") as ws:
        data = gather(ws, "2023-Q1")
    places = {i.indicator for i in data.issues}
    codes = {ind.code for ind in data.framework.indicators}
    labels = {f.label for f in data.framework.fields}
    assert places - {""} <= codes | labels, places - codes - labels
    assert places & labels, places  # the sample has field issues (a phone number that is not one, …)


# --- issue 16: CSV for people and for upload, Vietnamese labels, a report that prints well ---------------


def test_format_decimal_vi_writes_numbers_as_vietnamese_do() -> None:
    from app.numbers import format_decimal_vi

    assert format_decimal_vi(Decimal("304.67")) == "304,67"
    assert format_decimal_vi(Decimal("1234.565")) == "1.234,57"  # half up, dot groups thousands
    assert format_decimal_vi(Fraction(1, 3)) == "0,33" and format_decimal_vi(0.1) == "0,10"
    assert format_decimal_vi(1234567, 0) == "1.234.567" and format_decimal_vi(-0.001) == "0,00"


def test_csv_for_reading_opens_in_columns_in_vietnamese_excel(two_quarters: Path) -> None:
    """``…-de-doc.csv``: BOM, ";" between fields, decimal comma, Vietnamese statuses; the ``…-de-gui-len.csv``
    beside it keeps "," and a dot and the stable codes, as the JSON does."""
    from scoring.findings import STATUS_LABELS, Status

    folder = two_quarters / "out"
    names = sorted(p.name for p in folder.glob("*.csv"))
    assert names == ["diem-chi-tiet-2023-Q1-de-doc.csv", "diem-chi-tiet-2023-Q1-de-gui-len.csv",
                     "xep-hang-2023-Q1-de-doc.csv", "xep-hang-2023-Q1-de-gui-len.csv"]  # fmt: skip
    for name in names:
        assert (folder / name).read_bytes().startswith(b"\xef\xbb\xbf"), name  # Excel reads UTF-8 only with a BOM
    read = (folder / "xep-hang-2023-Q1-de-doc.csv").read_text("utf-8-sig")
    upload = (folder / "xep-hang-2023-Q1-de-gui-len.csv").read_text("utf-8-sig")
    ranking = list(csv.reader(io.StringIO(read), delimiter=";"))
    machine = list(csv.reader(io.StringIO(upload)))
    assert ranking[0] == machine[0] and len(ranking[0]) > 10  # every column split by ";"
    total = ranking[0].index("Tổng điểm (sau thẩm định)")
    for person, program in zip(ranking[1:], machine[1:], strict=True):
        assert re.fullmatch(r"\d{1,3},\d\d", person[total]), person[total]  # "304,67"
        assert person[total] == program[total].replace(".", ",")  # "304.67" for upload
    matrix = list(csv.DictReader(io.StringIO((folder / "diem-chi-tiet-2023-Q1-de-doc.csv").read_text("utf-8-sig")),
                                 delimiter=";"))  # fmt: skip
    upload_matrix = list(csv.DictReader(io.StringIO((folder / "diem-chi-tiet-2023-Q1-de-gui-len.csv")
                                                    .read_text("utf-8-sig"))))  # fmt: skip
    seen = {r["Tình trạng"] for r in matrix}
    assert seen <= set(STATUS_LABELS.values()) and {"Đã chấm", "Không áp dụng"} <= seen, seen
    assert {r["Tình trạng"] for r in upload_matrix} >= {str(Status.SCORED), str(Status.NOT_APPLICABLE)}
    assert all("." not in r["Điểm tối đa"] and "," in r["Điểm tối đa"] for r in matrix)
    data = json.loads((folder / "bao-cao-2023-Q1.json").read_text("utf-8"))
    assert {r["tinh_trang"] for r in data["matrix"]} >= {"scored", "not-applicable"}
    assert re.fullmatch(r"\d+\.\d\d", data["ranking"][0]["tong_diem"])


def test_reading_csv_writes_dates_as_dd_mm_yyyy() -> None:
    from app.report.export import to_csv

    rows = [{"ma_don_vi": "DV01", "tong_diem": Decimal("1234.5"), "nop_dung_han": True,
             "ngay": datetime(2023, 4, 19, 16, 5)}]  # fmt: skip
    text = to_csv(rows, for_reading=True).decode("utf-8-sig")
    assert text.splitlines()[1] == "DV01;1.234,50;Có;19/04/2023 16:05"
    assert to_csv(rows).decode("utf-8-sig").splitlines()[1] == "DV01,1234.5,Có,2023-04-19 16:05:00"


def test_every_issue_code_has_a_short_vietnamese_label(two_quarters: Path) -> None:
    """One mapping, next to the codes: the report's issues sheet shows it instead of the kebab code."""
    from app.workbook.issues import CATALOG, LABELS, label_vi
    from app.workbook.package import MESSAGES

    engine = {"missing-value", "invalid-value", "part-exceeds-whole", "zero-denominator", "na-without-explanation",
              "na-not-allowed", "not-applicable", "score-overridden", "min-max"}  # fmt: skip
    assert set(CATALOG) | set(MESSAGES) | engine <= set(LABELS), (set(CATALOG) | set(MESSAGES) | engine) - set(LABELS)
    for code, label in LABELS.items():
        assert label and not re.fullmatch(r"[a-z0-9-]+", label) and len(label) <= 32, (code, label)
    assert label_vi("not-a-workbook") == "Không phải bảng tính" and label_vi("no-such-code") == "Vấn đề khác"
    wb = load_workbook(two_quarters / "out" / "report.xlsx")
    header, rows = _rows(wb["Vấn đề tồn đọng"], 4)
    assert "Mã lỗi" not in header and rows
    kinds = {r[header.index("Loại vấn đề")] for r in rows}
    assert kinds <= set(LABELS.values()), kinds


def _demo_report(folder: Path) -> Path:
    from app.demo.run import run_demo

    report = run_demo(folder).report
    assert report is not None
    return report


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report exactly as ``dtidesk demo`` writes it: 25 units, no previous period."""
    return _demo_report(tmp_path_factory.mktemp("demo") / "demo")


def test_report_print_setup_for_the_demo(demo_report: Path) -> None:
    """The settings that make the demo's report print well, read back with openpyxl."""
    from app.report.xlsx import APPENDIX_SHEET, FIRMNESS_SHEET, MIN_SCALE, print_scale

    wb = load_workbook(demo_report)
    assert APPENDIX_SHEET not in wb.sheetnames  # ~30 pages: a workbook of its own, printed on request
    appendix = demo_report.with_name(demo_report.stem + "-giai-thich-diem.xlsx")
    assert load_workbook(appendix).sheetnames == [APPENDIX_SHEET, FIRMNESS_SHEET]
    assert any(appendix.name in str(c.value) for row in wb["Tổng hợp"].iter_rows() for c in row)
    ranking = wb["Xếp hạng"]
    header = [str(c.value) for c in ranking[4] if c.value is not None]
    assert not [h for h in header if "kỳ trước" in h]  # no previous period: its columns are left out
    stored = {c: d.width for d in ranking.column_dimensions.values() for c in range(d.min, d.max + 1)}
    widths = [stored[c] - 5 / 7 for c in range(1, len(header) + 1)]  # XlsxWriter stores 5 px of padding more
    assert ranking.page_setup.fitToWidth in (1, None) and ranking.page_setup.fitToHeight == 0
    assert print_scale(widths) >= MIN_SCALE  # one page wide at 8 pt or more
    assert ranking.print_title_rows == "$4:$4" and ranking.page_setup.orientation == "landscape"
    assert ranking["A5"].alignment.horizontal == "center" and ranking["B5"].alignment.horizontal == "center"
    matrix = wb["Điểm chi tiết"]
    assert matrix.print_title_cols == "$A:$C" and matrix.print_title_rows == "$4:$5"
    # the title is merged only over the repeated columns, wraps, and its row is tall enough for 2 lines
    assert {str(r) for r in matrix.merged_cells.ranges} >= {"A1:C1", "A2:C2"}
    assert matrix["A1"].alignment.wrap_text and matrix.row_dimensions[1].height >= 40
    _merged_text_inside_repeated_columns(wb)


def _merged_text_inside_repeated_columns(wb: Any) -> None:
    """On a sheet printed several pages wide with columns repeated, a title or note merged wider than
    those columns would be cut on every page after the first: none is."""
    for sheet in wb.worksheets:
        if sheet.print_title_cols:
            last = sheet[sheet.print_title_cols.replace("$", "").split(":")[1] + "1"].column
            for merged in sheet.merged_cells.ranges:
                if merged.min_row < 4 or merged.min_row > sheet.max_row - 3:  # titles and notes, not the header
                    assert merged.max_col <= last, (sheet.title, str(merged))


def _font_sizes(pdf_page: Path) -> list[float]:
    """The font sizes (points) of the text drawn on a one-page PDF written by LibreOffice."""
    import zlib

    sizes: list[float] = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf_page.read_bytes(), re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            content = stream
        sizes += [float(x) for x in re.findall(rb"/F\d+ ([\d.]+) Tf", content)]
    return sizes


@pytest.mark.libreoffice
@pytest.mark.skipif(not all(shutil.which(t) for t in ("soffice", "pdfinfo", "pdftotext", "pdfseparate")),
                    reason="LibreOffice or poppler-utils not installed")  # fmt: skip
def test_demo_report_prints_on_15_pages_readably(demo_report: Path, tmp_path: Path) -> None:
    """LibreOffice with default settings prints the demo's report (25 units) on at most 15 A4 pages;
    Xếp hạng at 8 pt or more with rank and code apart; the matrix title whole on every page; the
    appendix's scores and statuses apart."""
    from lo_tools import convert

    appendix = demo_report.with_name(demo_report.stem + "-giai-thich-diem.xlsx")
    pdf, extra = convert([demo_report, appendix], "pdf", tmp_path, force_recalc=False)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert pages <= 15, pages
    texts = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout for n in range(1, pages + 1)]  # fmt: skip
    heads = [t.strip().splitlines()[0] for t in texts]  # the page header ends with the sheet's name
    ranking = [n for n, head in enumerate(heads, 1) if head.endswith("Xếp hạng")]
    matrix = [t for t, head in zip(texts, heads, strict=True) if head.endswith("Điểm chi tiết")]
    assert ranking == [2] and len(matrix) >= 2
    for text in matrix:  # the title whole on every page of the matrix, not "ĐIỂM TỪNG CI"
        assert "ĐIỂM TỪNG CHỈ SỐ" in text, text[:400]
    assert not re.search(r"\b\d+DV\d\d", texts[1]) and re.search(r"\b1\s+DV\d\d\b", texts[1]), texts[1][:800]
    (tmp_path / "pages").mkdir()
    subprocess.run(["pdfseparate", "-f", "2", "-l", "2", str(pdf), str(tmp_path / "pages" / "p-%d.pdf")], check=True)
    sizes = _font_sizes(tmp_path / "pages" / "p-2.pdf")
    body = max(set(sizes), key=sizes.count)
    assert sizes and body >= 8, (body, sorted(set(sizes)))
    appendix_text = subprocess.run(["pdftotext", "-layout", str(extra), "-"], capture_output=True, text=True,
                                   check=True).stdout  # fmt: skip
    assert "Không áp dụng" in appendix_text and not re.search(r"\d\.\d\d(Không|không) áp dụng", appendix_text)
