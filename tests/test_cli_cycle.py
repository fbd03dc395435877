"""The quarterly cycle through the CLI on a temporary workspace, and ``dtidesk demo``."""

from __future__ import annotations

import csv
import json
import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from app.cli import main
from app.workspace import Workspace

pytestmark = pytest.mark.usefixtures("backend")  # on SQLite and on PostgreSQL (issue 22)

FIXTURES = Path(__file__).parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_whole_cycle_by_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(tmp_path / "ws")
    assert run(capsys, "init", ws)[0] == 0
    code, out, _ = run(capsys, "units", "import", str(FIXTURES / "rosters" / "returned_units.csv"), "--workspace", ws,
                       "--json")  # fmt: skip
    imported = json.loads(out)  # the preview keys (issue 21) come beside the counts
    assert code == 0 and {k: imported[k] for k in ("added", "updated", "units", "columns")} == {
        "added": 16, "updated": 0, "units": 16, "columns": []}  # fmt: skip
    assert imported["applied"] and len(imported["preview"]["new"]) == 16
    code, out, _ = run(capsys, "period", "add", "Quý I/2023", "--framework", "svhtt-1690", "--workspace", ws, "--json")
    assert code == 0 and json.loads(out)["deadline"] == "2023-04-20"
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURES / "returned", inbox)
    code, out, _ = run(capsys, "ingest", str(inbox), "--period", "2023-Q1", "--workspace", ws, "--json")
    assert code == 0 and len(json.loads(out)["added"]) == 16
    code, out, _ = run(capsys, "ingest", str(inbox), "--period", "2023-Q1", "--workspace", ws, "--json")
    again = json.loads(out)  # re-ingesting the same files changes nothing
    assert again["added"] == [] and again["rejected"] == [] and len(again["skipped"]) == 16
    code, out, _ = run(capsys, "status", "--period", "2023-Q1", "--workspace", ws, "--json")
    rows = {r["unit_code"]: r for r in json.loads(out)}
    assert code == 0 and rows["DV12"]["errors"] == 6 and rows["DV08"]["state"] == "not-counted"  # read-only: exit 0
    code, out, _ = run(capsys, "rank", "--period", "2023-Q1", "--workspace", ws, "--json")
    before = {r["unit_code"]: r for r in json.loads(out)}
    code, _, err = run(capsys, "appraise", "DV02", "1.1", "--score", "0", "--reason", " ", "--period", "2023-Q1",
                       "--workspace", ws)  # fmt: skip
    assert code == 2 and err  # a reason is required
    code, _, _ = run(capsys, "appraise", "DV02", "1.1", "--score", "0", "--reason", "Thiếu quyết định kèm theo",
                     "--period", "2023-Q1", "--workspace", ws)  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, "rank", "--period", "2023-Q1", "--workspace", ws, "--json")
    after = {r["unit_code"]: r for r in json.loads(out)}
    assert after["DV02"]["self_total"] == before["DV02"]["self_total"]
    assert after["DV02"]["appraised_total"] == before["DV02"]["appraised_total"] - 10


def test_commands_need_a_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "status", "--period", "2023-Q1")
    assert code == 2 and "dtidesk init" in err


def test_demo_runs_the_whole_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo", "--out", str(tmp_path / "demo"), "--json")
    assert code == 0
    r = json.loads(out)
    assert len(list(Path(r["templates"]).glob("*.xlsx"))) == 25
    assert r["received"] >= 20 and r["feedback"] and all(Path(p).exists() for p in r["feedback"])
    assert "Chưa nộp" in r["status"] and "Nộp muộn" in r["status"]
    # one tally and one set of words: the demo's summary is count_statuses, as the report and dashboard
    from app.report.data import gather
    from app.workspace import Workspace, status
    from app.workspace.status import count_statuses

    with Workspace.open(Path(r["workspace"])) as ws:
        counts = count_statuses(status(ws, "2023-Q1"))
        summary = gather(ws, "2023-Q1").summary
    assert r["status"] == counts.labelled() and r["status"]["Chưa nộp"] == counts.missing == summary.missing
    assert counts.not_counted_files > 0  # the wrong-period file is among "chưa nộp", in every view
    ranking = list(csv.reader(Path(r["ranking_csv"]).open(encoding="utf-8-sig")))
    assert ranking[0][:3] == ["Hạng", "Mã đơn vị", "Tên đơn vị"] and len(ranking) > 15
    assert any(u["self_total"] != u["appraised_total"] for u in r["ranking"])  # the one appraisal
    assert run(capsys, "demo", "--out", str(tmp_path / "demo"))[0] == 2  # never overwrites


# --- roster, periods, templates, received, audit, "không áp dụng" -----------------------------------


@pytest.fixture
def cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A workspace with the returned fixtures ingested (received 10/04/2023) for 2023-Q1."""
    ws = str(tmp_path / "ws")
    assert run(capsys, "init", ws)[0] == 0
    assert run(capsys, "units", "import", str(FIXTURES / "rosters" / "returned_units.csv"), "--workspace", ws)[0] == 0
    assert run(capsys, "period", "add", "2023-Q1", "--framework", "svhtt-1690", "--workspace", ws)[0] == 0
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURES / "returned", inbox)
    stamp = datetime(2023, 4, 10, 9, 0).timestamp()
    for f in inbox.iterdir():
        os.utime(f, (stamp, stamp))
    assert run(capsys, "ingest", str(inbox), "--period", "2023-Q1", "--workspace", ws)[0] == 0
    return ws


def test_units_import_reads_kind_contact_phone_and_units_list_shows_them(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    ws = str(tmp_path / "ws")
    run(capsys, "init", ws)
    code, out, _ = run(capsys, "units", "list", "--workspace", ws)
    assert code == 0 and "dtidesk units import" in out
    code, out, _ = run(capsys, "units", "import", str(FIXTURES / "rosters" / "kind_contact_cp1258.csv"),
                       "--workspace", ws, "--json")  # fmt: skip
    imported = json.loads(out)
    assert code == 0 and {k: imported[k] for k in ("added", "updated", "units", "columns")} == {
        "added": 3, "updated": 0, "units": 3, "columns": ["kind", "email", "contact", "phone"]}  # fmt: skip
    code, out, _ = run(capsys, "units", "import", str(FIXTURES / "rosters" / "kind_contact_nfd.xlsx"),
                       "--workspace", ws)  # fmt: skip
    assert code == 0 and "cập nhật 2 đơn vị" in out and "không có cột thư điện tử" in out
    code, out, _ = run(capsys, "units", "list", "--workspace", ws, "--json")
    units = {u["code"]: u for u in json.loads(out)}
    assert code == 0 and units["DV01"] == {
        "code": "DV01",
        "name": "Thư viện Khoa học Tổng hợp",
        "kind": "Thư viện",
        "email": "thuvien@svhtt-hcm.example",
        "contact": "Lê Minh Tâm",
        "phone": "0900 000 011",
        "active": True,
        "left_on": None,  # issue 21: a unit that left says when, and into which unit it merged
        "merged_into": None,
        "state": "Đang hoạt động",
    }
    code, out, _ = run(capsys, "units", "list", "--workspace", ws)
    assert code == 0 and "Lê Minh Tâm" in out and "0900 000 011" in out and "3 đơn vị." in out
    bad = tmp_path / "bad.csv"
    bad.write_text("Mã,Tên\nDV09,\n", encoding="utf-8")
    code, out, err = run(capsys, "units", "import", str(bad), "--workspace", ws, "--json")
    assert code == 1 and json.loads(out)["problems"][0]["cell"] == "B2"
    code, _, err = run(capsys, "units", "import", str(bad), "--workspace", ws)
    assert code == 1 and "ô B2" in err


def test_the_demo_roster_imports_kind_contact_and_phone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.demo.roster import SAMPLE_UNITS, write_roster_csv

    ws = str(tmp_path / "ws")
    run(capsys, "init", ws)
    roster = write_roster_csv(tmp_path / "danh_sach.csv")
    code, out, _ = run(capsys, "units", "import", str(roster), "--workspace", ws, "--json")
    assert code == 0 and json.loads(out)["columns"] == ["kind", "email", "contact", "phone"]
    code, out, _ = run(capsys, "units", "list", "--workspace", ws, "--json")
    listed = {u["code"]: u for u in json.loads(out)}
    assert len(listed) == len(SAMPLE_UNITS)
    assert all(listed[s.code]["contact"] == s.contact_name and listed[s.code]["phone"] == s.phone
               for s in SAMPLE_UNITS)  # fmt: skip


def test_periods_list_and_deadline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(tmp_path / "ws")
    run(capsys, "init", ws)
    run(capsys, "period", "add", "2023-Q1", "--framework", "svhtt-1690", "--workspace", ws)
    run(capsys, "period", "add", "2023-Q2", "--framework", "svhtt-1690", "--workspace", ws)
    code, out, _ = run(capsys, "period", "deadline", "Quý I/2023", "25/04/2023", "--workspace", ws, "--json")
    assert code == 0 and json.loads(out) == {"period": "2023-Q1", "old": "2023-04-20", "deadline": "2023-04-25"}
    code, out, _ = run(capsys, "period", "list", "--workspace", ws, "--json")
    assert code == 0 and [(p["period"], p["deadline"]) for p in json.loads(out)] == [
        ("2023-Q1", "2023-04-25"),
        ("2023-Q2", "2023-06-16"),
    ]
    code, out, _ = run(capsys, "period", "list", "--workspace", ws)
    assert code == 0 and "25/04/2023" in out and "16/06/2023" in out
    code, _, err = run(capsys, "period", "deadline", "2023-Q1", "hôm qua", "--workspace", ws)
    assert code == 2 and "không hợp lệ" in err
    code, _, err = run(capsys, "period", "deadline", "2024-Q1", "16/03/2024", "--workspace", ws)
    assert code == 2 and "chưa được tạo" in err


def test_template_from_the_workspace(cycle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    run(capsys, "period", "deadline", "2023-Q1", "22/04/2023", "--workspace", cycle)
    code, out, err = run(capsys, "template", "--period", "2023-Q1", "--unit", "dv02", "--unit", "DV05",
                         "--workspace", cycle, "--json")  # fmt: skip
    assert code == 0, err
    r = json.loads(out)
    folder = Path(cycle).resolve() / "templates" / "2023-Q1"
    assert (r["framework"], r["period"], r["deadline"], r["folder"]) == ("svhtt-1690", "2023-Q1", "2023-04-22",
                                                                         str(folder))  # fmt: skip
    assert [f["unit_code"] for f in r["files"]] == ["DV02", "DV05"]
    assert all(Path(f["path"]).is_file() and Path(f["path"]).parent == folder for f in r["files"])
    monkeypatch.chdir(Path(cycle) / "received")  # found from a subfolder, every unit of the roster
    code, out, _ = run(capsys, "template", "--period", "Quý I/2023", "--framework", "svhtt-1690")
    assert code == 0 and "Đã tạo 16 biểu mẫu" in out and "22/04/2023" in out
    assert len(list(folder.glob("*.xlsx"))) == 16
    log = [e for e in json.loads(run(capsys, "audit", "--json")[1]) if e["action"] == "generate-templates"]
    assert len(log) == 2 and "16 biểu mẫu" in log[-1]["summary"]
    # refused: another framework, --out/--deadline, an unknown unit, a period not set up, no workspace
    assert run(capsys, "template", "--period", "2023-Q1", "--framework", "svhtt-2023")[0] == 2
    code, _, err = run(capsys, "template", "--period", "2023-Q1", "--out", str(tmp_path / "x"))
    assert code == 2 and "--out" in err and not (tmp_path / "x").exists()
    assert run(capsys, "template", "--period", "2023-Q1", "--deadline", "01/05/2023")[0] == 2
    code, _, err = run(capsys, "template", "--period", "2023-Q1", "--unit", "DV99")
    assert code == 2 and "DV99" in err
    code, _, err = run(capsys, "template", "--period", "2023-Q3")
    assert code == 2 and "chưa được tạo" in err
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "template", "--period", "2023-Q1")
    assert code == 2 and "--roster" in err


def test_received_by_id_or_by_unit_decides_lateness(cycle: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "status", "--period", "2023-Q1", "--workspace", cycle, "--json")
    rows = {r["unit_code"]: r for r in json.loads(out)}
    sid = rows["DV03"]["submission_id"]
    assert rows["DV03"]["on_time"] is True and isinstance(sid, int)
    code, out, err = run(capsys, "received", str(sid), "20/04/2023 09:15", "--workspace", cycle, "--json")
    assert code == 0, err
    r = json.loads(out)
    assert (r["submission"], r["unit"], r["old"], r["received_at"], r["on_time"], r["unit_state"]) == (
        sid,
        "DV03",
        "2023-04-10 09:00:00",
        "2023-04-20 09:15:00",
        False,
        "Nộp muộn",
    )
    code, out, _ = run(capsys, "received", "--period", "Quý I/2023", "--unit", "DV03", "19/04/2023", "23:59",
                       "--workspace", cycle)  # fmt: skip
    assert code == 0 and "2023-04-19 23:59:00" in out
    code, out, _ = run(capsys, "status", "--period", "2023-Q1", "--workspace", cycle, "--json")
    assert {r["unit_code"]: r for r in json.loads(out)}["DV03"]["on_time"] is True
    entries = [e for e in json.loads(run(capsys, "audit", "--workspace", cycle, "--json")[1])
               if e["action"] == "set-received"]  # fmt: skip
    assert [(e["details"]["old"], e["details"]["new"]) for e in entries] == [
        ("2023-04-10 09:00:00", "2023-04-20 09:15:00"),
        ("2023-04-20 09:15:00", "2023-04-19 23:59:00"),
    ]
    # refused, with nothing changed
    for args, needle in [((str(sid), "32/04/2023"), "không hợp lệ"), (("99999", "20/04/2023"), "99999"),
                         (("abc", "20/04/2023"), "không hợp lệ"), (("20/04/2023",), "Cần số bản nộp"),
                         (("--unit", "DV03", "20/04/2023"), "--period"),
                         (("--period", "2023-Q1", "--unit", "DV10", "20/04/2023"), "chưa có bản nộp"),
                         (("--period", "2023-Q2", str(sid), "20/04/2023"), "")]:  # fmt: skip
        code, _, err = run(capsys, "received", *args, "--workspace", cycle)
        assert code == 2 and needle in err, (args, err)
    code, out, _ = run(capsys, "status", "--period", "2023-Q1", "--workspace", cycle, "--json")
    assert {r["unit_code"]: r for r in json.loads(out)}["DV03"]["received_at"] == "2023-04-19T23:59:00"


def test_received_by_unit_without_a_counted_file_lists_its_files(cycle: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, _, err = run(capsys, "received", "--period", "2023-Q1", "--unit", "DV08", "20/04/2023",
                       "--workspace", cycle)  # fmt: skip
    assert code == 2 and "không có bản nộp được tính" in err and "not-counted" in err


def test_appraise_not_applicable_by_command_and_the_audit(cycle: str, capsys: pytest.CaptureFixture[str]) -> None:
    base = ("--period", "2023-Q1", "--workspace", cycle)
    code, out, err = run(capsys, "appraise", "--unit", "DV02", "--indicator", "5.2", "--not-applicable",
                         "Đơn vị không có thủ tục hành chính", "--reason", "Theo quyết định giao nhiệm vụ", *base,
                         "--json")  # fmt: skip
    assert code == 0, err
    r = json.loads(out)
    assert (r["unit"], r["indicator"], r["not_applicable"], r["old"], r["new"]) == (
        "DV02",
        "5.2",
        True,
        None,
        "Đơn vị không có thủ tục hành chính",
    )
    # the database holds it as a value of the pseudo-input, kind 'value'
    opened = Workspace.open(Path(cycle))  # on either back-end
    conn = opened.conn
    assert [tuple(r) for r in conn.execute("SELECT unit_code, indicator, input, kind, new_json FROM appraisals")] == [
        ("DV02", "5.2", "__na__", "value", '"Đơn vị không có thủ tục hành chính"')
    ]
    code, out, _ = run(capsys, "appraise", "DV02", "5.2", "--applicable", "--reason", "Có 2 thủ tục", *base)
    assert code == 0 and "áp dụng trở lại" in out
    assert tuple(conn.execute("SELECT new_json FROM appraisals ORDER BY id DESC").fetchone()) == ("null",)
    opened.close()
    # refused: indicator without "không áp dụng", nothing to clear, two actions, two different units
    for args, needle in [(("DV02", "1.2", "--not-applicable", "x"), "không được phép"),
                         (("DV02", "5.2", "--applicable"), "không có gì để bỏ"),
                         (("DV02", "5.2", "--applicable", "--score", "1"), "đúng một"),
                         (("DV02", "5.2", "--unit", "DV03", "--score", "1"), "khác nhau"),
                         (("--indicator", "5.2", "--score", "1"), "Thiếu mã đơn vị"),
                         (("DV02", "5.2", "--input", "a"), "--value")]:  # fmt: skip
        code, _, err = run(capsys, "appraise", *args, "--reason", "r", *base)
        assert code == 2 and needle in err, (args, err)
    code, out, _ = run(capsys, "audit", "--period", "2023-Q1", "--limit", "2", "--workspace", cycle, "--json")
    entries = json.loads(out)
    assert [e["action"] for e in entries] == ["appraise", "appraise"]
    assert "đánh dấu “không áp dụng” (Đơn vị không có thủ tục hành chính)" in entries[0]["summary"]
    assert "Theo quyết định giao nhiệm vụ" in entries[0]["summary"]
    code, out, _ = run(capsys, "audit", "--workspace", cycle)
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("Thời điểm") and "Tạo thư mục làm việc" in lines[1]
    assert sum("Tiếp nhận tệp" in line for line in lines) == 16 and "Thẩm định" in lines[-1]
    assert run(capsys, "audit", "--limit", "0", "--workspace", cycle)[0] == 2
    assert run(capsys, "audit", "--period", "2024-Q4", "--workspace", cycle)[0] == 2
