"""Sign-off (issue 20 point 4): the unit's form records who prepared it and the head who confirms it
(CV 1690 mục 3: "có xác nhận của Thủ trưởng đơn vị"; Cần Thơ 459: a preparer and an approver per
body); a return without the head's confirmation gets a warning; the consolidated report records who
prepared it and who approved it, two different people."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import pytest

from app.demo.fill import Scenario, fill_values, render_filled
from app.demo.roster import SAMPLE_UNITS
from app.framework.registry import get_builtin
from app.workbook import names
from app.workbook.intake import receive_file
from app.workbook.issues import label_vi
from app.workbook.roster import RosterUnit

FW = get_builtin("svhtt-1690")
UNIT = SAMPLE_UNITS[0]
ROSTER = [RosterUnit(u.code, u.name) for u in SAMPLE_UNITS]


def _returned(tmp_path: Path, **changes: object) -> list[str]:
    values = fill_values(FW, UNIT, Scenario.GOOD, random.Random(7))
    values.update({names.field_name(k): v for k, v in changes.items()})
    path = tmp_path / "tra-ve.xlsx"
    path.write_bytes(render_filled(FW, "2023-Q1", "Quý I/2023", UNIT.code, UNIT.name, values,
                                   now=datetime(2023, 4, 1, 8, 0)))  # fmt: skip
    sub = receive_file(path, FW, "2023-Q1", ROSTER)
    return [i.code for i in sub.issues if i.severity.value != "info"]


def test_the_form_has_the_preparer_and_the_head_who_confirms() -> None:
    block = next(b for b in FW.contacts if b.is_signoff)
    assert [f.name for f in block.fields] == ["preparer_name", "preparer_position", "preparer_date", "head_name",
                                              "head_position", "head_date"]  # fmt: skip


def test_a_return_without_the_heads_confirmation_gets_a_warning(tmp_path: Path) -> None:
    assert "head-confirmation-missing" not in _returned(tmp_path)
    assert _returned(tmp_path, head_name=None).count("head-confirmation-missing") == 1
    assert label_vi("head-confirmation-missing") == "Chưa có xác nhận của Thủ trưởng"


def test_the_report_refuses_one_person_as_both_preparer_and_approver(tmp_path: Path) -> None:
    from app.report import make_report
    from app.signoff import SignOffError
    from app.workspace import Workspace, add_period, import_roster

    ws = Workspace.create(tmp_path / "ws")
    import_roster(ws, Path(__file__).parent / "fixtures" / "rosters" / "returned_units.csv")
    add_period(ws, "2023-Q1", "svhtt-1690")
    with pytest.raises(SignOffError, match="hai người khác nhau"):
        make_report(ws, "2023-Q1", prepared_by="Nguyễn Thị Hoà", approved_by="nguyễn  thị hòa")
    result = make_report(ws, "2023-Q1", prepared_by="Nguyễn Thị Hoà", approved_by="Lê Văn Sáu")
    from openpyxl import load_workbook

    rows = {r[0]: r[1] for r in load_workbook(result.workbook)["Tổng hợp"].iter_rows(values_only=True) if r[0]}
    assert rows["Người lập báo cáo"] == "Nguyễn Thị Hoà" and rows["Người phê duyệt"] == "Lê Văn Sáu"
    audit = ws.conn.execute("SELECT details_json FROM audit WHERE action = 'report'").fetchone()[0]
    assert "Lê Văn Sáu" in audit
    ws.close()
