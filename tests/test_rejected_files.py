"""Rejected files are named, explained and tied to their unit; one tally and one wording of states.

A file that cannot be read (a password, a damaged zip, a sheet that is not the template) is
printed with the Vietnamese reason ``dtidesk score`` gives, shown against the unit its metadata,
title line or file name points at (``status``, the dashboard's tally, the report), reported again
when it is sent again, and audited in Vietnamese; the read-only queries exit 0 when they ran.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.workbook.package import MESSAGES, Unusable
from app.workspace import Workspace, add_period, audit_log, import_roster, ingest, status
from app.workspace.audit import ACTION_LABELS, audit_summary
from app.workspace.status import COUNT_LABELS, REJECTED, REJECTED_FILE, STATE_LABELS, count_statuses

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
UNUSABLE = FIXTURES / "unusable"
RETURNED = FIXTURES / "returned"
ROSTER = FIXTURES / "rosters" / "returned_units.csv"
PERIOD = "2023-Q1"
WHEN = datetime(2023, 4, 10, 9, 0)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def header_only(path: Path, code: str, name: str) -> Path:
    """A workbook with the template's title line and nothing else: readable, but not the template."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = f"Đơn vị: {name} (mã {code}) — Quý I/2023"
    wb.active["A3"] = "Số liệu gửi kèm thư"
    wb.save(path)
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """DV11's file with a password, DV05's damaged file, DV03's non-template file, one nobody's file."""
    box = tmp_path / "inbox"
    box.mkdir()
    shutil.copy(UNUSABLE / "password-protected.xlsx", box / "2023-Q1_DV11_Bao-cao.xlsx")
    shutil.copy(UNUSABLE / "truncated-zip.xlsx", box / "DV05 bao cao quy 1.xlsx")
    header_only(box / "bao-cao-gui-kem.xlsx", "DV03", "Nhà hát Giao hưởng Nhạc Vũ kịch")
    shutil.copy(UNUSABLE / "not-a-workbook-pdf-renamed.xlsx", box / "scan.xlsx")
    return box


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = Workspace.create(tmp_path / "ws")
    import_roster(w, ROSTER)
    add_period(w, PERIOD, "svhtt-1690")
    return w


def test_a_rejected_file_is_shown_against_the_unit_it_names(ws: Workspace, inbox: Path) -> None:
    result = ingest(ws, PERIOD, [inbox], received=WHEN)
    got = {r.file: (r.code, r.unit_code) for r in result.rejected}
    assert got == {"2023-Q1_DV11_Bao-cao.xlsx": ("password-protected", "DV11"),  # by the file name
                   "DV05 bao cao quy 1.xlsx": ("corrupt-file", "DV05"),  # the code as a word of the name
                   "bao-cao-gui-kem.xlsx": ("layout-unrecognised", "DV03"),  # by its title line
                   "scan.xlsx": ("not-a-workbook", "")}  # fmt: skip
    for r in result.rejected:  # the reason dtidesk score prints
        assert r.message == Unusable(r.code, r.file).message or r.message.startswith(
            MESSAGES[r.code].split("{file}")[0] + r.file
        )
    rows = status(ws, PERIOD)
    by_code = {s.unit_code: s for s in rows if s.unit_code}
    dv11 = by_code["DV11"]
    assert (dv11.state, dv11.label_vi) == (REJECTED_FILE, "Chưa nộp (đã gửi tệp không đọc được)")
    assert dv11.file == "2023-Q1_DV11_Bao-cao.xlsx" and "mật khẩu" in dv11.message
    assert dv11.code == "password-protected" and dv11.received_at == WHEN
    assert by_code["DV05"].state == by_code["DV03"].state == REJECTED_FILE
    assert by_code["DV04"].state == "missing"
    loose = [(s.file, s.state) for s in rows if not s.unit_code]
    assert loose == [("scan.xlsx", REJECTED)]  # the tied ones are not listed twice
    counts = count_statuses(rows)
    assert (counts.expected, counts.received, counts.missing, counts.rejected_files) == (16, 0, 16, 4)


def test_a_rejected_file_of_a_unit_that_also_sent_a_good_one_keeps_its_own_row(ws: Workspace, tmp_path: Path) -> None:
    box = tmp_path / "box"
    box.mkdir()
    shutil.copy(RETURNED / "good-filled-by-script.xlsx", box)  # DV01's good file
    shutil.copy(UNUSABLE / "password-protected.xlsx", box / "2023-Q1_DV01_lan-2.xlsx")
    ingest(ws, PERIOD, [box], received=WHEN)
    rows = status(ws, PERIOD)
    assert next(s for s in rows if s.unit_code == "DV01").state == "received"
    (loose,) = [s for s in rows if not s.unit_code]
    assert (loose.state, loose.file, loose.named_unit) == (REJECTED, "2023-Q1_DV01_lan-2.xlsx", "DV01")
    assert count_statuses(rows).rejected_files == 1


def test_one_wording_of_states_and_counts() -> None:
    assert STATE_LABELS[REJECTED_FILE] == "Chưa nộp (đã gửi tệp không đọc được)"
    assert all(
        label.startswith(COUNT_LABELS["missing"])
        for key, label in STATE_LABELS.items()
        if key in ("missing", "not-counted", "rejected-file")
    )  # every "chưa nộp" state reads as one


def test_ingest_prints_each_rejected_file_with_its_reason_and_sending_it_again_fails_again(
        ws: Workspace, inbox: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    folder = str(ws.folder)
    ws.close()
    code, out, _ = run(capsys, "ingest", str(inbox), "--period", PERIOD, "--workspace", folder)
    assert code == 1
    assert "4 tệp không đọc được" in out
    lines = [line for line in out.splitlines() if line.startswith("Không đọc được:")]
    assert len(lines) == 4
    dv11 = next(line for line in lines if "2023-Q1_DV11_Bao-cao.xlsx" in line)
    assert "[đơn vị DV11]" in dv11 and "đặt mật khẩu" in dv11 and "gỡ mật khẩu" in dv11
    # the same files again: still rejected, with the reason, exit 1 — not "đã có từ trước"
    code, out, _ = run(capsys, "ingest", str(inbox), "--period", PERIOD, "--workspace", folder, "--json")
    assert code == 1
    again = json.loads(out)
    assert again["skipped"] == [] and again["added"] == []
    assert {(r["file"], r["code"], r["unit_code"], r["again"]) for r in again["rejected"]} == {
        ("2023-Q1_DV11_Bao-cao.xlsx", "password-protected", "DV11", True),
        ("DV05 bao cao quy 1.xlsx", "corrupt-file", "DV05", True),
        ("bao-cao-gui-kem.xlsx", "layout-unrecognised", "DV03", True),
        ("scan.xlsx", "not-a-workbook", "", True),
    }
    assert all(
        r["message"].startswith(('Tệp "', "Không đọc được tệp")) and r["file"] in r["message"]
        for r in again["rejected"]
    )
    # renamed and sent again: the reason names the new name
    shutil.copy(inbox / "scan.xlsx", inbox / "scan-lan-2.xlsx")
    code, out, _ = run(capsys, "ingest", str(inbox / "scan-lan-2.xlsx"), "--period", PERIOD, "--workspace", folder)
    assert code == 1 and "scan-lan-2.xlsx" in out.splitlines()[-1] and "(đã gửi trước đây" in out


def test_status_shows_the_unit_and_exits_0(ws: Workspace, inbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ingest(ws, PERIOD, [inbox], received=WHEN)
    folder = str(ws.folder)
    ws.close()
    code, out, _ = run(capsys, "status", "--period", PERIOD, "--workspace", folder, "--json")
    assert code == 0  # read-only: it ran, the output says what is wrong
    rows = {r["unit_code"]: r for r in json.loads(out) if r["unit_code"]}
    assert rows["DV11"]["state"] == "rejected-file" and rows["DV11"]["code"] == "password-protected"
    assert rows["DV11"]["label"] == "Chưa nộp (đã gửi tệp không đọc được)" and "mật khẩu" in rows["DV11"]["message"]
    code, out, _ = run(capsys, "status", "--period", PERIOD, "--workspace", folder)
    assert code == 0
    assert out.splitlines()[0] == f"Kỳ {PERIOD} — hạn nộp trước 00g00 ngày 20/04/2023"
    dv11 = next(line for line in out.splitlines() if line.startswith("DV11"))
    assert "Chưa nộp (đã gửi tệp không đọc được)" in dv11 and "10/04/2023 09:00" in dv11
    assert "2023-Q1_DV11_Bao-cao.xlsx" in dv11
    assert "Chưa nộp: 16" in out.splitlines()[-1] and "Tệp không đọc được: 4" in out.splitlines()[-1]


def test_late_status_shows_the_received_time_beside_the_deadline(ws: Workspace, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    box = tmp_path / "late"
    box.mkdir()
    shutil.copy(RETURNED / "good-filled-by-script.xlsx", box)
    ingest(ws, PERIOD, [box], received=datetime(2023, 4, 20, 12, 45))  # 12:45 on the deadline day: late
    folder = str(ws.folder)
    ws.close()
    code, out, _ = run(capsys, "status", "--period", PERIOD, "--workspace", folder)
    dv01 = next(line for line in out.splitlines() if line.startswith("DV01"))
    assert code == 0 and "Nộp muộn" in dv01 and "20/04/2023 12:45" in dv01
    assert "trước 00g00 ngày 20/04/2023" in out.splitlines()[0]


def test_the_audit_says_why_in_vietnamese_and_json_keeps_the_code(ws: Workspace, inbox: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    ingest(ws, PERIOD, [inbox], received=WHEN)
    (entry,) = [e for e in audit_log(ws, PERIOD) if e.action == "reject" and e.details["unit"] == "DV11"]
    assert entry.details["code"] == "password-protected"
    folder = str(ws.folder)
    ws.close()
    code, out, _ = run(capsys, "audit", "--period", PERIOD, "--workspace", folder)
    assert code == 0
    lines = [line for line in out.splitlines() if "2023-Q1_DV11_Bao-cao.xlsx" in line]
    assert len(lines) == 1 and ACTION_LABELS["reject"] in lines[0] and "đặt mật khẩu" in lines[0]
    assert "password-protected" not in out and "not-a-workbook" not in out and "(tệp của đơn vị DV11)" in lines[0]
    code, out, _ = run(capsys, "audit", "--period", PERIOD, "--workspace", folder, "--json")
    rejects = [e for e in json.loads(out) if e["action"] == "reject"]
    assert code == 0 and {e["details"]["code"] for e in rejects} >= {"password-protected", "not-a-workbook"}
    assert all(e["label"] == "Tệp không đọc được" and e["details"]["file"] in e["summary"] for e in rejects)


def test_an_older_reject_entry_without_its_message_is_still_worded() -> None:
    text = audit_summary("reject", {"period": PERIOD, "file": "a.xlsx", "code": "password-protected"})
    assert text.startswith('Kỳ 2023-Q1: Tệp "a.xlsx" được đặt mật khẩu')


def test_rank_with_nothing_counted_says_so_and_exits_0(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(ws.folder)
    ws.close()
    code, out, _ = run(capsys, "rank", "--period", PERIOD, "--workspace", folder)
    assert code == 0 and "chưa có đơn vị nào có bản nộp được tính" in out


def test_the_report_reads_the_new_state_through_status(ws: Workspace, inbox: Path) -> None:
    from app.report.data import gather

    shutil.copy(RETURNED / "good-filled-by-script.xlsx", inbox)  # DV01 counts
    ingest(ws, PERIOD, [inbox], received=WHEN)
    data = gather(ws, PERIOD)
    (dv11,) = [x for x in data.late_or_missing if x.unit_code == "DV11"]
    assert dv11.state == "Chưa nộp (đã gửi tệp không đọc được)" and "mật khẩu" in dv11.note
    assert dv11.file == "2023-Q1_DV11_Bao-cao.xlsx"
    counts = count_statuses(status(ws, PERIOD))
    assert (data.summary.missing, data.summary.rejected_files) == (counts.missing, counts.rejected_files) == (15, 4)
