"""Issue 19: the department's own self-assessment, the Word report, how firm each rank is."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm

from app.demo.run import run_demo
from app.department.derive import derive
from app.framework.derivation import builtin_derivation, check_derivation, derivations_dir
from app.framework.registry import get_builtin
from app.numbers import format_decimal_vi
from app.report.data import gather
from app.workspace.department import override_department, receive_department, write_department_workbook
from app.workspace.store import Workspace, WorkspaceError
from scoring.engine import UnitInputs

pytestmark = pytest.mark.usefixtures("backend")  # on SQLite and on PostgreSQL (issue 22)

RULES = derivations_dir() / "svhtt-1690--hcm-dti-so-2023.yaml"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_demo(tmp_path_factory.mktemp("dep") / "demo").folder


@pytest.fixture()
def ws(demo: Path, tmp_path: Path) -> Iterator[Workspace]:
    folder = tmp_path / "ws"
    shutil.copytree(demo / "khong-gian-lam-viec", folder)
    w = Workspace.open(folder)
    yield w
    w.close()


def test_shipped_rules_check_clean() -> None:
    found, problems = check_derivation(RULES.read_text(encoding="utf-8"), str(RULES))
    assert found is not None and problems == []
    assert {r.how for r in found.rules} == {"sum", "any", "office"}


@pytest.mark.parametrize("line, code, path", [
    ('    - {to: "4.1.z", how: sum, from: ["4.1.a"]}', "unknown-target", "derivation.rules[4.1.z].to"),
    ('    - {to: "6.5.a", how: sum, from: ["6.5.a"]}', "target-type", "derivation.rules[6.5.a].to"),
    ('    - {to: "4.1.a", how: sum, from: ["9.9.a"]}', "unknown-source", "derivation.rules[4.1.a].from[0]"),
    ('    - {to: "4.1.a", how: add, from: ["4.1.a"]}', "unknown-how", "derivation.rules[4.1.a].how"),
])  # fmt: skip
def test_broken_rule_is_located(line: str, code: str, path: str) -> None:
    text = RULES.read_text(encoding="utf-8").replace('    - {to: "4.1.a", how: sum, from: ["4.1.a"]}', line)
    found, problems = check_derivation(text, "x.yaml")
    assert found is None
    assert [(p.code, p.path) for p in problems] == [(code, path)]
    assert problems[0].line == text.splitlines().index(line) + 1


def test_duplicate_target_refused() -> None:
    text = RULES.read_text(encoding="utf-8") + '    - {to: "4.1.a", how: office}\n'
    found, problems = check_derivation(text, "x.yaml")
    assert found is None and [p.code for p in problems] == ["duplicate-target"]


def test_derive_sum_any_share_ratio() -> None:
    unit_fw, so = get_builtin("svhtt-1690"), get_builtin("hcm-dti-so-2023")
    rules = builtin_derivation("svhtt-1690", "hcm-dti-so-2023")
    units = [UnitInputs("A", "A", {"4.1": {"c": 2, "f": 10}, "6.5": {"a": "Không"}}),
             UnitInputs("B", "B", {"4.1": {"c": 3, "f": 30}, "6.5": {"a": "Có"}}),
             UnitInputs("C", "C", {"4.1": {"f": 5}}, {"6.5": "không có"})]  # fmt: skip
    draft = derive(rules, so, units, {"A": {"pl_1": 4}, "B": {"pl_1": 6}}, ["A", "B", "C", "D"], late=frozenset({"B"}))
    cell = {c.ref.text: c for c in draft.cells}
    assert cell["4.1.c"].value == 5 and cell["4.1.c"].contributed == ("A", "B")
    assert cell["4.1.c"].missing == ("C", "D") and cell["4.1.c"].late == ("B",)
    assert cell["4.1.f"].value == 45
    assert cell["info_1_6"].value == 10
    assert cell["6.5.a"].value is True and cell["6.5.a"].not_applicable == ("C",)
    assert cell["1.1.a"].office and cell["1.1.a"].value is None
    assert unit_fw.id == rules.from_id
    # share and ratio, from a rule file written for the test
    text = RULES.read_text(encoding="utf-8").replace(
        '    - {to: "6.13.a", how: office, note: "Tỷ lệ do đơn vị tự tính không cộng gộp được; lấy từ Hệ thống giải quyết TTHC"}',
        '    - {to: "6.13.a", how: ratio, numerator: ["6.14.a"], denominator: ["6.14.b"]}').replace(
        '    - {to: "4.2.a", how: any, from: ["4.2.a"]}', '    - {to: "4.2.a", how: share, from: ["4.2.a"], at_least: "50%"}')  # fmt: skip
    custom, problems = check_derivation(text)
    assert custom is not None, problems
    units = [UnitInputs("A", "A", {"6.14": {"a": 1, "b": 4}, "4.2": {"a": "Có"}}),
             UnitInputs("B", "B", {"6.14": {"a": 5, "b": 6}, "4.2": {"a": "Không"}}),
             UnitInputs("C", "C", {"4.2": {"a": "Không"}})]  # fmt: skip
    cell = {c.ref.text: c for c in derive(custom, so, units, {}, ["A", "B", "C"]).cells}
    assert cell["6.13.a"].value == Fraction(6, 10)  # pooled, not the mean of 25% and 83%
    assert cell["4.2.a"].value is False  # 1 of 3 < 50%


def test_department_workbook_round_trip_and_override(ws: Workspace) -> None:
    path, draft = write_department_workbook(ws, "2023-Q1")
    assert len(draft.derived) == 46 and len(draft.office) == 23
    with pytest.raises(WorkspaceError, match="lý do"):
        override_department(ws, "2023-Q1", "4.1.c", "7", "  ")
    override_department(ws, "2023-Q1", "4.1.c", "7", "Hồ sơ của một đơn vị tính trùng")
    path, draft = write_department_workbook(ws, "2023-Q1")
    cell = next(c for c in draft.cells if c.ref.text == "4.1.c")
    assert cell.value == 7 and "Hồ sơ của một đơn vị tính trùng" in cell.explanation()
    audit = [r["action"] for r in ws.conn.execute("SELECT action FROM audit")]
    assert "department-override" in audit and "department-workbook" in audit
    from openpyxl import load_workbook

    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Cách tổng hợp"
    names = wb.defined_names
    sheet, ref = next(iter(names["v_4_1_c"].destinations))
    assert wb[sheet][ref.replace("$", "")].value == 7
    sheet, ref = next(iter(names["v_1_1_a"].destinations))
    comment = wb[sheet][ref.replace("$", "")].comment
    assert comment is not None and "Văn phòng Sở điền" in comment.text
    score = receive_department(ws, "2023-Q1", path)
    scored = draft.inputs("SO", "Sở")
    from scoring.engine import score_unit

    assert score.total_cents == score_unit(draft.framework, scored).total_cents > 0
    data = gather(ws, "2023-Q1")
    assert data.department is not None and data.department.total_cents == score.total_cents


def test_firmness_sentences(ws: Workspace) -> None:
    data = gather(ws, "2023-Q1")
    assert [f.unit_code for f in data.firmness] == [r.unit.unit_code for r in data.ranking]
    by = {r.unit.unit_code: r.unit.appraised_cents for r in data.ranking}
    for f in data.firmness:
        close = [r.unit.unit_name for r in data.ranking
                 if r.unit.unit_code != f.unit_code and abs(by[r.unit.unit_code] - by[f.unit_code]) <= 100]  # fmt: skip
        assert sorted(f.close) == sorted(close)
        assert bool(f.sentence()) == f.affected
    assert any(f.rank_without_min_max != f.rank for f in data.firmness)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d.]*(?:,\d+)?", text)


def test_word_report_layout_and_numbers(ws: Workspace, tmp_path: Path) -> None:
    from app.report import make_report

    path, _ = write_department_workbook(ws, "2023-Q1")
    receive_department(ws, "2023-Q1", path)
    result = make_report(ws, "2023-Q1", tmp_path / "r.xlsx", docx=True)
    assert result.docx is not None
    doc = Document(str(result.docx))
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert Mm(20) <= s.top_margin <= Mm(25) and Mm(20) <= s.bottom_margin <= Mm(25)
    assert Mm(30) <= s.left_margin <= Mm(35) and Mm(15) <= s.right_margin <= Mm(20)
    assert s.different_first_page_header_footer and "PAGE" in s.header._element.xml
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for t in doc.tables for c in t._cells for p in c.paragraphs for r in p.runs if r.text.strip()]
    assert {r.font.name for r in runs} == {"Times New Roman"}
    body = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert {r.font.size.pt for r in body} <= {13.0, 14.0}
    text = "\n".join(p.text for p in doc.paragraphs)
    head = "\n".join(c.text for t in doc.tables for c in t._cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head and "Độc lập - Tự do - Hạnh phúc" in head
    assert "Nơi nhận:" in head and "BÁO CÁO" in text and "PHỤ LỤC" in text
    assert text.count("[Văn phòng Sở viết nội dung này]") >= 2
    # every number in the body comes from the report data
    data = result.data
    s_ = data.summary
    allowed = {str(n) for n in (s_.expected, s_.received, s_.on_time, s_.late, s_.missing, s_.with_errors)}
    allowed |= {"1690", "2023", "1", "2", "3", "4", "5", "6", "7", "8", "79", "4.1", "5.1", "3.1", "1,", "330"}
    allowed |= {str(r.unit.rank) for r in data.ranking} | {str(len(data.ranking))}
    allowed |= {format_decimal_vi(r.unit.appraised_total) for r in data.ranking}
    allowed |= {str(abs(r.rank_change)) for r in data.ranking if r.rank_change}
    allowed |= {format_decimal_vi(v) for v in data.pillar_averages.values()} | {format_decimal_vi(data.total_average)}
    allowed |= {format_decimal_vi(g.max, 0) for g in data.groups}
    allowed |= {str(f.rank_without_min_max) for f in data.firmness} | {
        str(r) for f in data.firmness for _, r in f.moved_by
    }
    assert data.department is not None
    allowed |= {format_decimal_vi(Decimal(data.department.total_cents).scaleb(-2))}
    allowed |= {format_decimal_vi(Decimal(v).scaleb(-2)) for v in data.department.group_cents.values()}
    allowed |= {format_decimal_vi(r.total, 0) for r in data.rollup.staffing if r.total is not None}
    allowed |= {str(r.units) for r in data.rollup.staffing}
    allowed |= {str(m.days_late) for m in data.late_or_missing if m.days_late}
    from collections import Counter

    from app.workbook.issues import label_vi

    open_issues = [i for i in data.issues if not i.appraised]
    allowed |= {str(n) for n in Counter(label_vi(i.code) for i in open_issues).values()}
    allowed |= {str(len(open_issues)), str(len({i.unit_code for i in open_issues}))}
    appendix = text.index("PHỤ LỤC")
    names = " ".join(r.unit.unit_name for r in data.ranking) + " " + " ".join(m.unit_name for m in data.late_or_missing)
    body = text[:appendix].replace(f"{data.info.deadline:%d/%m/%Y}", "")  # the period's deadline, a date
    stray = [n for n in _numbers(body) if n.rstrip(".") not in allowed and n not in names]
    assert stray == []
    assert format_decimal_vi(data.ranking[0].unit.appraised_total) in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_word_report_converts_with_libreoffice(ws: Workspace, tmp_path: Path) -> None:
    from app.report import make_report

    result = make_report(ws, "2023-Q1", tmp_path / "r.xlsx", docx=True)
    assert result.docx is not None
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(result.docx)], check=True, capture_output=True, timeout=180)  # fmt: skip
    pdf = tmp_path / (result.docx.stem + ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info and int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 3  # type: ignore[union-attr]
    page2 = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True).stdout
    page1 = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    assert page2.strip().splitlines()[0].strip() == "2"  # the page number, from page 2
    assert not page1.strip().splitlines()[0].strip().isdigit()


def test_office_template_replaces_default(ws: Workspace, tmp_path: Path) -> None:
    from app.report import make_report
    from app.report.docx import TEMPLATE_NAME

    own = Document()
    own.sections[0].left_margin = Mm(35)
    own.add_paragraph("nội dung cũ sẽ bị thay")
    own.save(str(ws.folder / TEMPLATE_NAME))
    result = make_report(ws, "2023-Q1", tmp_path / "r.xlsx", docx=True)
    assert result.docx is not None
    doc = Document(str(result.docx))
    assert round(doc.sections[0].left_margin.mm) == 35
    assert "nội dung cũ" not in "\n".join(p.text for p in doc.paragraphs)


def test_cli_department_json(demo: Path, tmp_path: Path) -> None:
    import json
    import sys

    folder = tmp_path / "ws"
    shutil.copytree(demo / "khong-gian-lam-viec", folder)
    run = subprocess.run([sys.executable, "-m", "app", "department", "--period", "2023-Q1", "--workspace", str(folder),
                          "--json"], capture_output=True, text=True, cwd=Path(__file__).parents[1])  # fmt: skip
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["derived"] == 46 and Path(out["workbook"]).is_file()
    bad = subprocess.run([sys.executable, "-m", "app", "department", "--period", "2023-Q1", "--workspace", str(folder),
                          "--override", "4.1.c=7"], capture_output=True, text=True, cwd=Path(__file__).parents[1])  # fmt: skip
    assert bad.returncode == 2 and "lý do" in bad.stderr and "Traceback" not in bad.stderr


def test_roster_learns_contacts(ws: Workspace) -> None:
    from app.workspace.contacts import apply_contacts, contact_changes

    code = ws.conn.execute("SELECT unit_code FROM submissions WHERE status = 'active' ORDER BY unit_code").fetchone()[0]
    with ws.transaction() as conn:
        conn.execute("UPDATE units SET contact = 'Người cũ', phone = '0900000000' WHERE code = ?", (code,))
    preview = contact_changes(ws, "2023-Q1")
    assert {(c.unit_code, c.column, c.old) for c in preview} == {
        (code, "contact", "Người cũ"),
        (code, "phone", "0900000000"),
    }
    row = ws.conn.execute("SELECT contact FROM units WHERE code = ?", (code,)).fetchone()
    assert row[0] == "Người cũ"  # a preview changes nothing
    done = apply_contacts(ws, "2023-Q1", preview)
    assert len(done) == 2 and contact_changes(ws, "2023-Q1") == []
    new = next(c.new for c in preview if c.column == "contact")
    assert ws.conn.execute("SELECT contact FROM units WHERE code = ?", (code,)).fetchone()[0] == new
    assert ws.conn.execute("SELECT COUNT(*) FROM audit WHERE action = 'apply-contact'").fetchone()[0] == 2


def test_the_department_workbook_dropped_with_the_units_files_is_received_as_the_departments(ws: Workspace,
                                                                                             tmp_path: Path) -> None:  # fmt: skip
    """A clerk drops the filled department workbook in Tiếp nhận (or it arrives by e-mail): it is the
    office's own return, scored as such, and never counted as a unit's file."""
    from app.workspace import ingest

    path, _ = write_department_workbook(ws, "2023-Q1")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(path, inbox / "tu-danh-gia-cua-so-da-dien.xlsx")
    before = ws.conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
    result = ingest(ws, "2023-Q1", [inbox])
    assert result.department == ["tu-danh-gia-cua-so-da-dien.xlsx"] and result.added == []
    assert ws.conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == before
    data = gather(ws, "2023-Q1")
    assert data.department is not None and data.department.file_name == "tu-danh-gia-cua-so-da-dien.xlsx"


def test_the_department_workbook_is_signed_off_by_two_different_people(ws: Workspace) -> None:
    from openpyxl import load_workbook

    from app.signoff import SignOffError

    with pytest.raises(SignOffError, match="hai người khác nhau"):
        write_department_workbook(ws, "2023-Q1", prepared_by="Nguyễn Thị Hoà", approved_by="nguyễn thị hòa")
    path, _ = write_department_workbook(ws, "2023-Q1", prepared_by="Nguyễn Thị Hoà", approved_by="Trần Văn Bình")
    first = load_workbook(path).worksheets[0]
    assert "Người lập: Nguyễn Thị Hoà; người phê duyệt: Trần Văn Bình" in str(first["A2"].value)
    entry = ws.conn.execute(
        "SELECT details_json FROM audit WHERE action = 'department-workbook' ORDER BY id DESC"
    ).fetchone()
    assert "Trần Văn Bình" in entry[0]
