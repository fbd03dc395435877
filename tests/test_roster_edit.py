"""The roster by hand (issue 21): add, edit, a unit that leaves (dissolved, merged) and comes back,
importing with a preview of what changes, and phone numbers that keep their leading 0."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from app.cli.main import main
from app.workbook.phone import phone_text
from app.workbook.roster import read_roster
from app.workspace import Workspace, WorkspaceError, add_period, audit_log, import_roster, ingest, status
from app.workspace.roster_edit import add_unit, deactivate_unit, edit_unit, get_unit, reactivate_unit, units_in_period
from app.workspace.roster_import import apply_preview, preview_roster_import
from app.workspace.templates import generate_for_period
from app.workspace.units import list_units

pytestmark = pytest.mark.usefixtures("backend")  # on SQLite and on PostgreSQL (issue 22)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROSTER = FIXTURES / "rosters" / "returned_units.csv"
RETURNED = FIXTURES / "returned"


@pytest.fixture
def ws(tmp_path: Path) -> Any:
    with Workspace.create(tmp_path / "ws") as w:
        import_roster(w, ROSTER)
        add_period(w, "2023-Q1", "svhtt-1690")  # due before 00:00 of 20/04/2023
        add_period(w, "2023-Q2", "svhtt-1690")  # due before 00:00 of 16/06/2023
        yield w


def expected(ws: Workspace, period: str) -> list[str]:
    return [s.unit_code for s in status(ws, period) if s.unit_code]


def test_phone_numbers_get_back_the_zero_excel_dropped() -> None:
    assert phone_text("912345678") == "0912345678"  # a mobile number typed as a number
    assert phone_text("2838290000") == "02838290000"  # a Hồ Chí Minh City landline
    assert phone_text("028 3829 0000") == "028 3829 0000"  # typed as text: as typed
    assert phone_text("+84912345678") == "+84912345678" and phone_text("1900 1234") == "1900 1234"


def test_an_excel_roster_with_phone_numbers_stored_as_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    sheet = wb.active
    sheet.append(["Mã đơn vị", "Tên đơn vị", "Điện thoại"])
    sheet.append(["DV01", "Thư viện", 912345678])  # typed 0912 345 678, Excel kept the number
    sheet.append(["DV02", "Bảo tàng", 2838290000])
    sheet.append(["DV03", "Nhà hát", 123456])  # a short internal number: left alone
    sheet["C5"] = 38290000
    sheet["C5"].number_format = "0000000000"  # shown as 0038290000: what the clerk saw on screen
    sheet["A5"], sheet["B5"] = "DV04", "Trung tâm"
    path = tmp_path / "danh_sach.xlsx"
    wb.save(path)
    assert [u.phone for u in read_roster(path)] == ["0912345678", "02838290000", "123456", "0038290000"]


def test_add_and_edit_a_unit_audited(ws: Workspace) -> None:
    unit = add_unit(ws, "DV30", "Trung tâm Báo chí", email="baochi@svhtt.example", phone="912 345 678")
    assert unit.active and unit.phone == "912 345 678"
    with pytest.raises(WorkspaceError, match="Đã có đơn vị mã “DV30”"):
        add_unit(ws, "dv30", "Trùng mã")
    changes = edit_unit(ws, "DV30", name="Trung tâm Báo chí Thành phố", phone="912345678", email="baochi@svhtt.example")
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("name", "Trung tâm Báo chí", "Trung tâm Báo chí Thành phố"),
        ("phone", "912 345 678", "0912345678"),
    ]
    assert edit_unit(ws, "DV30", name="Trung tâm Báo chí Thành phố") == []  # nothing changed: nothing written
    with pytest.raises(WorkspaceError, match="không được để trống"):
        edit_unit(ws, "DV30", name="  ")
    entries = [(e.action, e.details) for e in audit_log(ws) if e.action in ("add-unit", "edit-unit")]
    assert entries[-1] == ("edit-unit", {"unit": "DV30", "changes": [
        ["name", "Trung tâm Báo chí", "Trung tâm Báo chí Thành phố"], ["phone", "912 345 678", "0912345678"]]})  # fmt: skip


def test_a_unit_that_leaves_stays_in_the_periods_due_before_and_leaves_the_later_ones(ws: Workspace) -> None:
    ingest(ws, "2023-Q1", [RETURNED / "good-filled-by-script.xlsx"], received=datetime(2023, 4, 10, 9))
    sender = next(s.unit_code for s in status(ws, "2023-Q1") if s.state == "received")
    assert sender == "DV01"
    left = deactivate_unit(ws, sender, date(2023, 5, 1), merged_into="DV04", reason="Quyết định 123/QĐ-UBND")
    assert not left.active and left.left_on == "2023-05-01" and left.merged_into == "DV04"
    assert sender in expected(ws, "2023-Q1")  # Q1 was due 20/04: the unit was still there
    assert sender not in expected(ws, "2023-Q2")  # Q2 is due 16/06: not expected, not missing
    q1 = next(s for s in status(ws, "2023-Q1") if s.unit_code == sender)
    assert q1.state == "received" and q1.file == "good-filled-by-script.xlsx"
    # a unit dissolved before Q1 was due, with nothing sent: gone from Q1 as well
    deactivate_unit(ws, "DV05", date(2023, 4, 1))
    assert "DV05" not in expected(ws, "2023-Q1")
    assert [u.code for u in units_in_period(ws, "2023-Q2")] == [c for c in expected(ws, "2023-Q2")]
    written = generate_for_period(ws, "2023-Q2")  # no template for a unit that left
    assert sender not in {g.unit.code for g in written} and "DV05" not in {g.unit.code for g in written}
    with pytest.raises(WorkspaceError, match=r"Đã thôi từ 01/05/2023.*units reactivate"):
        deactivate_unit(ws, sender, date(2023, 5, 2))
    back = reactivate_unit(ws, sender, reason="Tái lập")
    assert back.active and not back.left_on and sender in expected(ws, "2023-Q2")
    actions = [e.action for e in audit_log(ws)]
    assert actions.count("deactivate-unit") == 2 and "reactivate-unit" in actions


def test_merging_into_itself_or_an_unknown_unit_is_refused(ws: Workspace) -> None:
    with pytest.raises(WorkspaceError, match="chính nó"):
        deactivate_unit(ws, "DV02", date(2023, 5, 1), merged_into="dv02")
    with pytest.raises(WorkspaceError, match="Không có đơn vị mã “DV99”"):
        deactivate_unit(ws, "DV02", date(2023, 5, 1), merged_into="DV99")
    assert get_unit(ws, "DV02").active


def test_import_preview_lists_new_changed_and_gone_then_applies_exactly_that(ws: Workspace, tmp_path: Path) -> None:
    before = {u.code: u for u in list_units(ws)}
    edited = tmp_path / "danh_sach_moi.csv"
    rows = ["Mã đơn vị,Tên đơn vị,Điện thoại", "DV01,Thư viện Khoa học Tổng hợp Thành phố,912345678",
            "DV02,Bảo tàng Lịch sử Thành phố,", "DV40,Trung tâm mới,0283 829 0000"]  # fmt: skip
    edited.write_text("\n".join(rows) + "\n", encoding="utf-8")
    preview = preview_roster_import(ws, edited)
    assert [u.code for u in preview.new] == ["DV40"]
    assert [(c.code, [(f.field, f.old, f.new) for f in c.changes]) for c in preview.changed] == [
        ("DV01", [("name", before["DV01"].name, "Thư viện Khoa học Tổng hợp Thành phố"), ("phone", "", "0912345678")])]  # fmt: skip
    assert {u.code for u in preview.gone} == set(before) - {"DV01", "DV02"} and preview.unchanged == 1
    assert "1 mới, 1 thay đổi" in preview.summary()
    assert list_units(ws) == list(before.values())  # the preview wrote nothing
    with pytest.raises(WorkspaceError, match="DV01"):
        apply_preview(ws, preview, deactivate=["DV01"])  # only gone units can be deactivated
    assert apply_preview(ws, preview, deactivate=["DV03"], left_on=date(2023, 7, 1)) == (1, 1, 1)
    after = {u.code: u for u in list_units(ws, active_only=False)}
    assert after["DV40"].phone == "0283 829 0000" and after["DV01"].phone == "0912345678"
    assert not after["DV03"].active and after["DV03"].left_on == "2023-07-01"
    assert after["DV04"].active  # gone from the file but not chosen: kept as it was
    again = preview_roster_import(ws, edited)  # the unit that left is offered back only when listed again
    assert again.new == () and again.changed == () and "DV03" not in {u.code for u in again.gone}
    entry = [e for e in audit_log(ws) if e.action == "import-roster"][-1]
    assert entry.details["deactivated"] == ["DV03"] and entry.details["added"] == 1


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_roster_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(tmp_path / "ws")
    run(capsys, "init", ws)
    run(capsys, "units", "import", str(ROSTER), "--workspace", ws)
    code, out, _ = run(capsys, "units", "add", "DV30", "Trung tâm Báo chí", "--phone", "912345678", "--workspace", ws,
                       "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["phone"] == "0912345678"
    code, out, _ = run(capsys, "units", "edit", "DV30", "--email", "bc@svhtt.example", "--workspace", ws)
    assert code == 0 and "Thư điện tử: “(trống)” → “bc@svhtt.example”" in out
    code, _, err = run(capsys, "units", "edit", "DV30", "--workspace", ws)
    assert code == 2 and "--name" in err
    code, out, _ = run(capsys, "units", "deactivate", "DV30", "--on", "01/07/2023", "--merged-into", "DV01",
                       "--reason", "QĐ 45", "--workspace", ws)  # fmt: skip
    assert code == 0 and "Đã thôi từ 01/07/2023, sáp nhập vào DV01" in out
    code, out, _ = run(capsys, "units", "list", "--workspace", ws, "--json")
    dv30 = next(u for u in json.loads(out) if u["code"] == "DV30")
    assert dv30["active"] is False and dv30["left_on"] == "2023-07-01" and dv30["merged_into"] == "DV01"
    code, _, err = run(capsys, "units", "deactivate", "DV99", "--workspace", ws)
    assert code == 2 and "DV99" in err and "Traceback" not in err
    short = tmp_path / "short.csv"
    short.write_text("Mã đơn vị,Tên đơn vị\nDV01,Thư viện\n", encoding="utf-8")
    code, out, _ = run(capsys, "units", "import", str(short), "--dry-run", "--workspace", ws)
    assert code == 0 and "Thay đổi: DV01" in out and "Không còn trong tệp: DV02" in out and "chưa ghi gì" in out
    code, out, _ = run(capsys, "units", "list", "--workspace", ws, "--json")
    assert next(u for u in json.loads(out) if u["code"] == "DV01")["name"] != "Thư viện"  # dry run: nothing written
    code, out, _ = run(capsys, "units", "import", str(short), "--deactivate", "DV02", "--left-on", "01/07/2023",
                       "--workspace", ws, "--json")  # fmt: skip
    result = json.loads(out)
    assert code == 0 and result["applied"] and result["deactivated"] == ["DV02"] and result["updated"] == 1
    code, out, _ = run(capsys, "units", "reactivate", "DV02", "--workspace", ws)
    assert code == 0 and "hoạt động lại" in out
    code, out, _ = run(capsys, "audit", "--workspace", ws)
    assert "Cho đơn vị thôi" in out and "Đơn vị DV30 thôi từ ngày 01/07/2023, sáp nhập vào DV01. Lý do: QĐ 45" in out
