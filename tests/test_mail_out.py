"""Drafts to units (issue 18): parsed back with ``email`` as a mail program would read them."""

from __future__ import annotations

import email
import email.policy
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from app.workbook.package import open_package

FIXTURES = Path(__file__).parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ws(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    folder = str(tmp_path / "ws")
    roster = tmp_path / "roster.csv"
    lines = (FIXTURES / "rosters" / "mail_units.csv").read_text(encoding="utf-8").splitlines()
    lines[-1] = lines[-1].rsplit(",", 1)[0] + ","  # DV12 has no address
    roster.write_text("\n".join(lines[:4] + lines[-1:]) + "\n", encoding="utf-8")  # DV01-DV03, DV12
    assert run(capsys, "init", folder)[0] == 0
    assert run(capsys, "units", "import", str(roster), "--workspace", folder)[0] == 0
    assert run(capsys, "period", "add", "2023-Q2", "--framework", "svhtt-1690", "--workspace", folder)[0] == 0
    code, _, _ = run(capsys, "mail", "settings", "--name", "Văn phòng Sở Văn hóa và Thể thao", "--address",
                     "vanphong@svhtt.example", "--phone", "028 3829 0000", "--contact", "chị Lan",
                     "--signature", "Văn phòng Sở\\nBộ phận tổng hợp", "--workspace", folder)  # fmt: skip
    assert code == 0
    return folder


def parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[return-value]


def test_template_drafts_one_per_unit_with_its_own_template(ws: str, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    out = tmp_path / "drafts"
    code, text, _ = run(capsys, "mail", "templates", "--period", "Quý II/2023", "--out", str(out), "--workspace", ws,
                        "--json")  # fmt: skip
    result = json.loads(text)
    assert code == 1  # DV12 has no address: listed, not skipped silently
    assert [w["unit"] for w in result["written"]] == ["DV01", "DV02", "DV03"]
    assert result["without_address"] == [{"unit": "DV12", "name": "Trung tâm Huấn luyện Thể thao"}]
    msg = parse(Path(result["written"][1]["file"]))
    assert msg["X-Unsent"] == "1"
    assert msg["To"].addresses[0].addr_spec == "vanthu.dv02@donvi.example"
    assert msg["From"].addresses[0].addr_spec == "vanphong@svhtt.example"
    assert msg["Subject"] == "[Văn phòng Sở Văn hóa và Thể thao] Biểu mẫu chuyển đổi số Quý II năm 2023 - " \
                             "Bảo tàng Lịch sử Thành phố"  # fmt: skip
    body = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "trước 00g00 ngày 16/06/2023" in body and "vanphong@svhtt.example" in body and "028 3829 0000" in body
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == "2023-Q2_DV02_Bao-tang-Lich-su-Thanh-pho.xlsx"
    package = open_package(att.get_payload(decode=True), file=att.get_filename())
    assert package.kind == "xlsx"
    from app.framework.registry import get_builtin
    from app.workbook.intake import receive_file
    from app.workbook.roster import read_roster

    sub = receive_file(att.get_payload(decode=True), get_builtin("svhtt-1690"), "2023-Q2",
                       read_roster(FIXTURES / "rosters" / "mail_units.csv"), file=att.get_filename())  # fmt: skip
    assert sub.unit_code == "DV02"  # the attachment is that unit's own template
    raw = Path(result["written"][1]["file"]).read_bytes()
    assert b"\r\n" in raw


def test_reminders_go_to_units_that_have_not_sent(ws: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "mail" / "thunderbird-rfc2231-vietnamese-name.eml", inbox)
    shutil.copy(FIXTURES / "mail" / "date-utc-late.eml", inbox)  # DV09 is not in this roster: unknown
    run(capsys, "ingest", str(inbox), "--period", "2023-Q2", "--workspace", ws)
    code, text, _ = run(capsys, "mail", "reminders", "--period", "2023-Q2", "--workspace", ws, "--json")
    result = json.loads(text)
    assert [w["unit"] for w in result["written"]] == ["DV02", "DV03"]  # DV01 sent on time
    assert code == 1 and [u["unit"] for u in result["without_address"]] == ["DV12"]
    msg = parse(Path(result["written"][0]["file"]))
    assert "Nhắc gửi" in msg["Subject"] and "trước 00g00 ngày 16/06/2023" in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    _code, text, _ = run(capsys, "mail", "feedback", "--period", "2023-Q2", "--workspace", ws, "--json")
    result = json.loads(text)
    assert [w["unit"] for w in result["written"]] == ["DV01"]
    msg = parse(Path(result["written"][0]["file"]))
    (att,) = list(msg.iter_attachments())
    assert att.get_filename().endswith("_phan-hoi.xlsx") and "DV01" in att.get_filename()
    assert "- " in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_long_vietnamese_headers_read_back_word_for_word() -> None:
    """Subjects and names long enough to be folded keep every space when a mail program reads them."""
    import email
    from email import policy

    from app.mail.drafts import Office, Recipient, draft_bytes, reminder_draft

    unit = Recipient("DV17", "Trung tâm Phát hành phim và Chiếu bóng Thành phố Hồ Chí Minh", ("dv17@so.example",))
    office = Office("Văn phòng Sở Văn hóa và Thể thao Thành phố Hồ Chí Minh", "vanphong@so.example", "", "", "")
    msg = reminder_draft(office, unit, "Quý I năm 2023", date(2023, 4, 20), "chưa nộp")
    back = email.message_from_bytes(draft_bytes(msg), policy=policy.default)
    assert back["Subject"] == msg["Subject"] and "Chiếu bóng Thành phố Hồ Chí Minh" in back["Subject"]
    assert back["To"].addresses[0].display_name == unit.name
    assert back["From"].addresses[0].display_name == office.name


def test_notice_drafts_go_to_units_whose_figures_round_1_changed(tmp_path: Path) -> None:
    import email
    from email import policy

    from app.demo.run import run_demo
    from app.workspace import Workspace
    from app.workspace.explain import notice_rows
    from app.workspace.mail_drafts import write_drafts

    demo = run_demo(tmp_path / "demo")
    with Workspace.open(demo.workspace) as ws:
        expected = set(notice_rows(ws, "2023-Q1"))
        result = write_drafts(ws, "2023-Q1", "notices", tmp_path / "drafts")
    assert expected and {code for code, _ in result.written} == expected
    for code, path in result.written:
        back = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert "Thông báo kết quả thẩm định" in back["Subject"] and back["X-Unsent"] == "1"
        (attached,) = [p.get_filename() for p in back.iter_attachments()]
        assert code in attached and attached.endswith(".xlsx")
