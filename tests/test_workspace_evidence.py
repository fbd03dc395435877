"""Evidence documents in the workspace (issue 23, point 2): dropped beside the workbook or attached later,
stored content-addressed with the submission, checked, listed, and shown in the feedback workbook."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.demo.documents import administrative_document
from app.workspace import Workspace, add_period, import_roster, ingest, status
from app.workspace.evidence import ROOTS_FOLDER, attach_evidence, list_evidence, recheck
from app.workspace.feedback import write_unit_feedback

pytestmark = pytest.mark.usefixtures("backend")  # on SQLite and on PostgreSQL (issue 22)

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "returned" / "good-filled-by-script.xlsx"  # DV01; every evidence cell cites 12/QĐ-ĐV
EVIDENCE = FIXTURES / "evidence"
PERIOD = "2023-Q1"
CITED = administrative_document("Thư viện Khoa học Tổng hợp", "12/QĐ-ĐV", date(2023, 1, 5), "Quyết định",
                                "Về việc kiện toàn Ban chỉ đạo chuyển đổi số")  # fmt: skip


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.create(tmp_path / "ws") as w:
        import_roster(w, FIXTURES / "rosters" / "returned_units.csv")
        add_period(w, PERIOD, "svhtt-1690")
        yield w


def _issues(ws: Workspace, code: str) -> list[dict[str, str]]:
    return [dict(r) for r in ws.conn.execute("SELECT * FROM issues WHERE code = ? ORDER BY rowid", (code,))]


def _drop(tmp_path: Path, *docs: tuple[str, bytes]) -> Path:
    inbox = tmp_path / "inbox" / "thu-vien"
    inbox.mkdir(parents=True)
    shutil.copy(GOOD, inbox / "bao-cao.xlsx")
    for name, data in docs:
        (inbox / name).write_bytes(data)
    return inbox.parent


def test_documents_beside_the_workbook_are_stored_with_it_and_checked(ws: Workspace, tmp_path: Path) -> None:
    signed = (EVIDENCE / "15-QD-SVHTT_signed.pdf").read_bytes()
    inbox = _drop(tmp_path, ("quyet-dinh-kien-toan.docx", CITED), ("qd-15.pdf", signed))
    result = ingest(ws, PERIOD, [inbox], received=datetime(2023, 4, 10, 9))
    assert result.added == ["bao-cao.xlsx"]
    assert sorted(result.documents) == [("qd-15.pdf", "DV01"), ("quyet-dinh-kien-toan.docx", "DV01")]
    found = _issues(ws, "evidence-found")
    assert found and all("quyet-dinh-kien-toan.docx" in r["message"] and r["name"].endswith("_evidence") for r in found)
    assert _issues(ws, "evidence-not-sent") == [] and _issues(ws, "evidence-none-sent") == []
    files = list_evidence(ws, PERIOD, "DV01")
    assert [f.name for f in files] == ["qd-15.pdf", "quyet-dinh-kien-toan.docx"]
    stored = files[1].path
    assert stored.parent == ws.received and stored.read_bytes() == CITED and not stored.stat().st_mode & 0o222
    assert "1.4" in files[1].indicators and files[0].indicators == ()
    again = ingest(ws, PERIOD, [inbox])  # the same folder dropped again changes nothing
    assert again.skipped == ["bao-cao.xlsx"]
    assert ws.conn.execute("SELECT COUNT(*) FROM evidence_files").fetchone()[0] == 2
    assert len(_issues(ws, "evidence-found")) == len(found)


def test_a_cited_document_not_sent_is_caught_then_cleared_when_it_arrives(ws: Workspace, tmp_path: Path) -> None:
    inbox = _drop(tmp_path, ("ke-hoach.docx", (EVIDENCE / "ke-hoach-chuyen-doi-so.docx").read_bytes()))
    ingest(ws, PERIOD, [inbox], received=datetime(2023, 4, 10, 9))
    missing = _issues(ws, "evidence-not-sent")
    assert missing and all("12/QĐ-ĐV" in r["message"] and "ke-hoach.docx" in r["message"] for r in missing)
    (dv01,) = [s for s in status(ws, PERIOD) if s.unit_code == "DV01"]
    assert dv01.warnings >= len(missing)
    feedback = write_unit_feedback(ws, PERIOD, "DV01", date(2023, 5, 1))
    texts = [str(c.value) for sheet in load_workbook(feedback) for row in sheet.iter_rows() for c in row if c.value]
    assert any("12/QĐ-ĐV" in t and "không có trong" in t for t in texts)
    # the e-mail brings it later: the same function stores it and the warnings go
    sid = dv01.submission_id
    assert sid is not None
    issues = attach_evidence(ws, sid, [("QD 12.docx", CITED)])
    assert not [i for i in issues if i.code == "evidence-not-sent"] and _issues(ws, "evidence-not-sent") == []


def test_a_unit_that_sent_no_document_gets_one_note(ws: Workspace, tmp_path: Path) -> None:
    ingest(ws, PERIOD, [_drop(tmp_path)], received=datetime(2023, 4, 10, 9))
    assert len(_issues(ws, "evidence-none-sent")) == 1 and _issues(ws, "evidence-not-sent") == []


def test_signatures_are_verified_once_the_office_supplies_its_roots(ws: Workspace, tmp_path: Path) -> None:
    ingest(ws, PERIOD, [_drop(tmp_path)], received=datetime(2023, 4, 10, 9))
    sid = ws.conn.execute("SELECT id FROM submissions").fetchone()[0]
    signed = (EVIDENCE / "15-QD-SVHTT_signed.pdf").read_bytes()
    altered = (EVIDENCE / "15-QD-SVHTT_altered-after-signing.pdf").read_bytes()
    ws.conn.execute("UPDATE evidence_citations SET text = 'Quyết định số 15/QĐ-SVHTT ngày 10/01/2023'")
    codes = {i.code for i in attach_evidence(ws, sid, [("15-QD-SVHTT.pdf", signed)])}
    assert "evidence-signature-intact" in codes and "evidence-signature-verified" not in codes
    (ws.folder / ROOTS_FOLDER).mkdir()
    shutil.copy(EVIDENCE / "test-root-ca.pem", ws.folder / ROOTS_FOLDER / "goc.pem")
    codes = {i.code for i in recheck(ws, sid)}
    assert "evidence-signature-verified" in codes and "evidence-signature-intact" not in codes
    codes = {i.code for i in attach_evidence(ws, sid, [("15-QD-SVHTT ban sua.pdf", altered)])}
    assert "evidence-signature-broken" in codes
    assert _issues(ws, "evidence-signature-broken")[0]["severity"] == "error"


@pytest.mark.sqlite_only  # a shared workspace is backed up by the server (pg_dump); see test_shared_workspace.py
def test_backup_check_and_restore_keep_the_documents(ws: Workspace, tmp_path: Path) -> None:
    from app.workspace.backup import backup, check_workspace, restore

    ingest(ws, PERIOD, [_drop(tmp_path, ("quyet-dinh.docx", CITED))], received=datetime(2023, 4, 10, 9))
    (doc,) = list_evidence(ws, PERIOD)
    assert check_workspace(ws.folder) == []
    made = backup(ws)
    done = restore(made, tmp_path / "restored")
    assert (done.folder / doc.path.relative_to(ws.folder)).read_bytes() == CITED
    doc.path.chmod(0o644)
    doc.path.write_bytes(b"changed")
    assert any("quyet-dinh.docx" in p.message for p in check_workspace(ws.folder))


def test_the_evidence_commands(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from app.cli import main

    ingest(ws, PERIOD, [_drop(tmp_path)], received=datetime(2023, 4, 10, 9))
    sid = ws.conn.execute("SELECT id FROM submissions").fetchone()[0]
    ws.conn.execute("UPDATE evidence_citations SET text = 'Quyết định số 15/QĐ-SVHTT ngày 10/01/2023'")
    ws.conn.commit()
    folder = str(ws.folder)
    altered = str(EVIDENCE / "15-QD-SVHTT_altered-after-signing.pdf")
    assert main(["evidence", "add", str(sid), altered, "--workspace", folder]) == 1  # a broken signature: exit 1
    assert "không còn nguyên vẹn" in capsys.readouterr().out
    assert main(["evidence", "list", "--period", PERIOD, "--workspace", folder, "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["file"] == Path(altered).name and listed["unit_code"] == "DV01" and "1.4" in listed["indicators"]
    assert main(["evidence", "check", "--period", PERIOD, "--workspace", folder, "--json", "--all"]) == 1
    codes = {i["code"] for i in json.loads(capsys.readouterr().out)}
    assert {"evidence-found", "evidence-signature-broken"} <= codes


def test_a_corrected_workbook_sent_alone_keeps_the_documents_sent_before(ws: Workspace, tmp_path: Path) -> None:
    import zipfile

    ingest(ws, PERIOD, [_drop(tmp_path, ("quyet-dinh.docx", CITED))], received=datetime(2023, 4, 10, 9))
    corrected = tmp_path / "again" / "bao-cao-sua.xlsx"
    corrected.parent.mkdir()
    with zipfile.ZipFile(GOOD) as src, zipfile.ZipFile(corrected, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            out.writestr(item, data + (b"<!-- sua -->" if item.filename == "docProps/app.xml" else b""))
    ingest(ws, PERIOD, [corrected.parent], received=datetime(2023, 4, 12, 9))
    active = ws.conn.execute("SELECT id, file_name FROM submissions WHERE status = 'active'").fetchone()
    assert active["file_name"] == "bao-cao-sua.xlsx"
    codes = {r[0] for r in ws.conn.execute("SELECT code FROM issues WHERE submission_id = ?", (active["id"],))}
    assert "evidence-found" in codes and "evidence-none-sent" not in codes and "evidence-not-sent" not in codes


def test_ingest_says_which_documents_it_stored_and_which_it_could_not_place(ws: Workspace, tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from app.cli import main

    inbox = _drop(tmp_path, ("quyet-dinh.docx", CITED))
    (inbox / "giay-moi-khong-ro.pdf").write_bytes((EVIDENCE / "16-QD-SVHTT_unsigned.pdf").read_bytes())
    ws.close()
    assert main(["ingest", str(inbox), "--period", PERIOD, "--workspace", str(tmp_path / "ws")]) == 0
    out = capsys.readouterr().out
    assert "Đã lưu 1 tài liệu kiểm chứng gửi kèm (1 đơn vị: DV01)" in out
    assert "Không biết tài liệu “giay-moi-khong-ro.pdf” của đơn vị nào" in out
