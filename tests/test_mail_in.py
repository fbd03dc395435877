"""Saved e-mails as units send them (issue 18): tests/fixtures/mail/, made by tests/fixtures/make_mail.py.

Each fixture's name says which shape it shows; each test says what the office must see for it.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest

from app.cli import main
from app.mail.incoming import read_envelopes
from app.workbook.intake import receive
from app.workbook.package import Unusable
from app.workbook.roster import read_roster
from app.workspace import status
from app.workspace.store import Workspace

pytestmark = pytest.mark.usefixtures("backend")  # on SQLite and on PostgreSQL (issue 22)

FIXTURES = Path(__file__).parent / "fixtures"
MAIL = FIXTURES / "mail"
ROSTER = FIXTURES / "rosters" / "mail_units.csv"


def envelope(name: str) -> list:  # type: ignore[type-arg]
    return read_envelopes((MAIL / name).read_bytes(), name)


def only(name: str):  # type: ignore[no-untyped-def]
    (env,) = envelope(name)
    return env


# --- reading: every shape gives its workbooks, sender, subject and sent time in Vietnam time ------


def test_thunderbird_rfc2231_continuations_give_the_vietnamese_name() -> None:
    env = only("thunderbird-rfc2231-vietnamese-name.eml")
    assert [a.name for a in env.workbooks] == ["Biểu mẫu chuyển đổi số Quý II-2023 - Thư viện Khoa học Tổng hợp.xlsx"]
    assert (env.sender, env.sender_name) == ("vanthu.dv01@donvi.example", "Văn thư Thư viện")
    assert env.subject == "Gửi biểu mẫu chuyển đổi số Quý II/2023"
    assert env.sent == datetime(2023, 6, 14, 16, 5, 12) and env.sent_from == "date"
    assert env.workbooks[0].data.startswith(b"PK")


def test_outlook_encoded_word_split_mid_character_and_quoted_printable_body() -> None:
    env = only("outlook-rfc2047-quoted-printable.eml")
    assert [a.name for a in env.workbooks] == ["Báo cáo CĐS Bảo tàng Lịch sử.xlsx"]
    assert env.sent == datetime(2023, 6, 15, 8, 59, 40)  # 01:59:40 UTC
    assert env.message_id == "SEYPR04MB6531A1B2C3D4E5F6@SEYPR04MB6531.apcprd04.prod.outlook.com"


def test_forwarded_message_attachment_is_found_and_the_forwarder_is_the_sender() -> None:
    env = only("webmail-forwarded-rfc822.eml")
    assert [a.name for a in env.workbooks] == ["Bieu mau DV03 - Nhà hát.xlsx"]
    assert env.sender == "nguyenvana.nhahat@gmail.example"
    assert env.workbooks[0].data.startswith(b"PK")  # quoted-printable attachment decoded to the same bytes


def test_zip_attachment_gives_the_workbook_and_lists_the_rest_without_following_paths() -> None:
    env = only("zip-attachment.eml")
    assert [a.name for a in env.workbooks] == ["Biểu mẫu Trung tâm Văn hóa.xlsx"]
    assert "Ho so DV04.zip/Báo cáo có chữ ký.pdf" in env.others
    assert all(".." not in o for o in env.others)


def test_winmail_dat_gives_the_workbook_under_its_unicode_name() -> None:
    env = only("winmail-dat-tnef.eml")
    assert [a.name for a in env.workbooks] == ["Biểu mẫu Bảo tàng Mỹ thuật.xlsx"]


def test_two_workbooks_and_a_signed_pdf_in_one_email() -> None:
    env = only("two-units-one-email.eml")
    assert [a.name for a in env.workbooks] == ["Bieu mau DV06.xlsx", "Bieu mau DV07.xlsx"]
    assert env.others == ["Bao cao da ky.pdf"]


def test_date_in_utc_is_converted_to_vietnam_time() -> None:
    env = only("date-utc-late.eml")  # Date: Thu, 15 Jun 2023 17:30:00 +0000
    assert env.sent == datetime(2023, 6, 16, 0, 30)


def test_missing_date_falls_back_to_the_top_received_line() -> None:
    env = only("no-date-top-received-line.eml")
    assert (env.sent, env.sent_from) == (datetime(2023, 6, 15, 20, 10), "received")


def test_mbox_holds_several_messages_with_malformed_names() -> None:
    envs = envelope("mbox-several-messages.mbox")
    assert [[a.name for a in e.workbooks] for e in envs] == [["Biểu mẫu DV10.xlsx"], ["Biểu mẫu DV11.xlsx"], []]
    assert [e.subject for e in envs][-1] == "Xin gia hạn"


def test_outlook_msg_gives_submit_time_sender_and_attachments() -> None:
    env = only("outlook-saved-as-msg.msg")
    assert env.kind == "msg" and (env.sent, env.sent_from) == (datetime(2023, 6, 14, 9, 0), "msg")
    assert (env.sender, env.sender_name) == ("vanthu.dv11@donvi.example", "Nhà Văn hóa Thanh niên")
    assert env.subject == "Báo cáo chuyển đổi số quý II/2023" and env.message_id == "outlook-msg-dv11@donvi.example"
    assert [a.name for a in env.workbooks] == ["Biểu mẫu Nhà Văn hóa Thanh niên.xlsx"]
    assert env.others == ["Báo cáo có chữ ký.pdf"]


def test_a_zip_bomb_in_a_dropped_zip_is_refused_by_the_reader_limits() -> None:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xlsx", b"\0" * (150 * 1024 * 1024))
    with pytest.raises(Unusable) as caught:
        read_envelopes(out.getvalue(), "bom.zip")
    assert caught.value.code == "zip-bomb" and "bom.zip" in caught.value.message


def test_a_broken_email_is_refused_with_a_vietnamese_message() -> None:
    with pytest.raises(Unusable) as caught:
        read_envelopes(b"just some text\nwithout headers\n", "hong.eml")
    assert caught.value.code == "mail-unreadable" and "hong.eml" in caught.value.message


def test_dtidesk_score_reads_emails_in_a_folder() -> None:
    from app.framework.registry import get_builtin

    batch = receive([MAIL], get_builtin("svhtt-1690"), "2023-Q2", read_roster(ROSTER))
    units = sorted(s.unit_code for s in batch.submissions)
    assert units == ["DV01", "DV02", "DV03", "DV04", "DV05", "DV06", "DV07", "DV09", "DV10", "DV11", "DV11", "DV12"]
    late = next(s for s in batch.submissions if s.unit_code == "DV09")
    assert late.received == datetime(2023, 6, 16, 0, 30)
    assert sorted(r.code for r in batch.rejected) == ["mail-without-workbook", "mail-without-workbook"]


# --- the workspace: received time, sender, kept e-mail, counted once -----------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ws(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    folder = str(tmp_path / "ws")
    assert run(capsys, "init", folder)[0] == 0
    assert run(capsys, "units", "import", str(ROSTER), "--workspace", folder)[0] == 0
    assert run(capsys, "period", "add", "2023-Q2", "--framework", "svhtt-1690", "--workspace", folder)[0] == 0
    return folder


def test_ingest_a_folder_of_emails(ws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(MAIL, inbox)
    (inbox / "ghi chu.txt").write_text("không phải biểu mẫu")
    code, out, _ = run(capsys, "ingest", str(inbox), "--period", "2023-Q2", "--workspace", ws, "--json")
    result = json.loads(out)
    assert code == 1  # two e-mails without a workbook are listed like unreadable files
    assert len(result["added"]) == 11 and len(result["mails"]) == 11  # DV06 and DV07 share one
    # the .msg carries the very workbook DV11 also sent in the mbox: the same content counts once
    assert result["skipped"] == ["Biểu mẫu Nhà Văn hóa Thanh niên.xlsx"]
    assert [i["file"].endswith("ghi chu.txt") for i in result["ignored"]] == [True]
    no_wb = [r for r in result["rejected"] if r["code"] == "mail-without-workbook"]
    assert len(no_wb) == 2 and all(r["unit_code"] == "DV08" for r in no_wb)
    assert "vanthu.dv08@donvi.example" in no_wb[0]["message"] and "tiêu đề" in no_wb[0]["message"]

    with Workspace.open(Path(ws)) as w:
        rows = {r.unit_code: r for r in status(w, "2023-Q2") if r.unit_code}
        assert rows["DV09"].received_at == datetime(2023, 6, 16, 0, 30) and rows["DV09"].on_time is False
        assert rows["DV01"].on_time is True and rows["DV01"].received_from == "mail"
        assert rows["DV01"].sender == "vanthu.dv01@donvi.example"
        # the forwarded one: accepted, flagged, both addresses shown
        issue = w.conn.execute("SELECT i.message FROM issues i JOIN submissions s ON s.id = i.submission_id "
                               "WHERE s.unit_code = 'DV03' AND i.code = 'sender-not-registered'").fetchone()  # fmt: skip
        assert "nguyenvana.nhahat@gmail.example" in issue[0] and "vanthu.dv03@donvi.example" in issue[0]
        flagged = w.conn.execute("SELECT s.unit_code FROM issues i JOIN submissions s ON s.id = i.submission_id "
                                 "WHERE i.code = 'sender-not-registered' ORDER BY 1").fetchall()  # fmt: skip
        assert [r[0] for r in flagged] == ["DV03", "DV07"]  # DV07's workbook came from DV06's address
        # the e-mails kept byte-identical, and the audit names the e-mail
        for name in ("thunderbird-rfc2231-vietnamese-name.eml", "winmail-dat-tnef.eml", "outlook-saved-as-msg.msg"):
            stored = w.conn.execute("SELECT stored_path FROM mails WHERE original_name = ?", (name,)).fetchone()[0]
            assert (w.folder / stored).read_bytes() == (MAIL / name).read_bytes()
        audit = [json.loads(r[0]) for r in w.conn.execute("SELECT details_json FROM audit WHERE action = 'ingest'")]
        assert {a.get("mail") for a in audit} >= {"date-utc-late.eml", "mbox-several-messages.mbox"}

    code, out, _ = run(capsys, "status", "--period", "2023-Q2", "--workspace", ws)
    assert "giờ nhận theo ngày gửi thư từ vanthu.dv09@donvi.example" in out


def test_the_same_email_twice_counts_once(ws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = tmp_path / "a" / "thu.eml"
    first.parent.mkdir()
    shutil.copy(MAIL / "date-utc-late.eml", first)
    again = tmp_path / "b" / "thu-luu-lai.eml"  # the same message saved again by another program: new bytes, same id
    again.parent.mkdir()
    again.write_bytes(b"X-Saved-By: webmail\r\n" + (MAIL / "date-utc-late.eml").read_bytes())
    code, out, _ = run(capsys, "ingest", str(first), "--period", "2023-Q2", "--workspace", ws, "--json")
    assert code == 0 and len(json.loads(out)["added"]) == 1
    for path in (first, again):
        code, out, _ = run(capsys, "ingest", str(path), "--period", "2023-Q2", "--workspace", ws, "--json")
        result = json.loads(out)
        assert code == 0 and result["added"] == [] and len(result["skipped"]) == 1
    with Workspace.open(Path(ws)) as w:
        assert w.conn.execute("SELECT COUNT(*) FROM mails").fetchone()[0] == 1
        assert w.conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 1


def test_a_dropped_zip_gives_its_workbook(ws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env = only("two-units-one-email.eml")
    path = tmp_path / "gui kem.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("DV06.xlsx", env.workbooks[0].data)
    code, out, _ = run(capsys, "ingest", str(path), "--period", "2023-Q2", "--workspace", ws, "--json")
    assert code == 0 and json.loads(out)["added"] == ["DV06.xlsx"]


@pytest.mark.parametrize("disposition", [
    b'attachment; filename="=?UTF-8?B?Qmnhu4N1IG3huqt1Lnhsc3g=?="',  # encoded word inside quotes (Gmail, Outlook)
    b"attachment; filename*=UTF-8''Bi%E1%BB%83u%20m%E1%BA%ABu.xlsx",  # RFC 2231 (Thunderbird)
    b"attachment; filename*=Bi%E1%BB%83u%20m%E1%BA%ABu.xlsx",  # RFC 2231 without its charset
    b"attachment; filename*0*=UTF-8''Bi%E1%BB%83u%20; filename*1*=m%E1%BA%ABu.xlsx",  # continuations
    'attachment; filename="Biểu mẫu.xlsx"'.encode(),  # raw UTF-8 (some webmails)
    b'attachment; filename="=?UTF-8?Q?Bi=E1=BB=83u_m=E1=BA=ABu.xlsx?="',  # Q encoding in quotes
    b"attachment; filename*=\"UTF-8''Bi%E1%BB%83u%20m%E1%BA%ABu.xlsx\"",  # RFC 2231 value quoted
    b"attachment; filename=Bi=?UTF-8?B?4buDdSBt4bqrdS54bHN4?=",  # encoded word mid-token, unquoted
    b'attachment; filename="=?utf-8?B?Qmnh?= =?utf-8?B?u4N1IG3huqt1Lnhsc3g=?="',  # a character split in two words
])  # fmt: skip
def test_malformed_vietnamese_file_names_real_clients_write(disposition: bytes) -> None:
    data = (b"From: a@b.example\r\nSubject: x\r\nDate: Thu, 15 Jun 2023 09:00:00 +0700\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\nContent-Type: application/octet-stream\r\n"
            b"Content-Disposition: " + disposition + b"\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--z--\r\n")  # fmt: skip
    (env,) = read_envelopes(data, "thu.eml")
    assert [a.name for a in env.workbooks] == ["Biểu mẫu.xlsx"]


def test_documents_attached_to_the_email_are_the_units_evidence(ws: str, tmp_path: Path) -> None:
    """A unit e-mails its workbook with its signed decision: the PDF is stored with that submission."""
    from email import policy
    from email.message import EmailMessage

    from app.workspace import ingest
    from app.workspace.evidence import EMAIL, list_evidence

    source = read_envelopes((MAIL / "thunderbird-rfc2231-vietnamese-name.eml").read_bytes(), "x.eml")[0]
    (workbook,) = source.workbooks
    pdf = FIXTURES / "evidence" / "15-QD-SVHTT_signed.pdf"
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = source.sender, "vanphong@so.example", "Báo cáo quý kèm quyết định"
    msg["Date"] = "Thu, 15 Jun 2023 09:00:00 +0700"
    msg.set_content("Kính gửi Văn phòng,")
    msg.add_attachment(workbook.data, maintype="application", subtype="octet-stream", filename=workbook.name)
    msg.add_attachment(pdf.read_bytes(), maintype="application", subtype="pdf", filename="Quyết định 15.pdf")
    saved = tmp_path / "thu-kem-quyet-dinh.eml"
    saved.write_bytes(msg.as_bytes(policy=policy.SMTP))
    with Workspace.open(Path(ws)) as w:
        result = ingest(w, "2023-Q2", [saved])
        assert len(result.added) == 1 and [n for n, _ in result.documents] == ["Quyết định 15.pdf"]
        (stored,) = list_evidence(w, "2023-Q2")
        assert stored.name == "Quyết định 15.pdf" and stored.path.read_bytes() == pdf.read_bytes()
        assert stored.source == EMAIL
