"""Templates generated from the workspace: its roster, the period's framework and deadline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from app.demo.roster import write_roster_csv
from app.workbook.intake import receive_file
from app.workspace import Workspace, WorkspaceError, add_period, audit_log, import_roster, set_deadline
from app.workspace.periods import framework_of
from app.workspace.templates import generate_for_period
from app.workspace.units import roster_units


@pytest.fixture()
def ws(tmp_path: Path) -> Workspace:
    w = Workspace.create(tmp_path / "ws")
    import_roster(w, write_roster_csv(tmp_path / "roster.csv"))
    add_period(w, "2023-Q2", "svhtt-1690")
    return w


def test_generates_one_template_per_unit_with_the_moved_deadline(ws: Workspace) -> None:
    set_deadline(ws, "2023-Q2", date(2023, 6, 20))
    seen: list[tuple[int, int]] = []
    written = generate_for_period(ws, "2023-Q2", progress=lambda n, total, name: seen.append((n, total)))
    assert len(written) == 25
    assert all(g.path.parent == ws.templates / "2023-Q2" for g in written)
    assert seen[0] == (0, 25) and seen[-1] == (25, 25)
    first = written[0]
    sub = receive_file(first.path, framework_of(ws, "2023-Q2"), "2023-Q2", roster_units(ws))
    assert sub.unit_code == first.unit.code and sub.identity.period == "2023-Q2"
    wb = CalamineWorkbook.from_path(str(first.path))
    text = " ".join(str(c) for name in wb.sheet_names for row in wb.get_sheet_by_name(name).to_python() for c in row)
    assert "20/06/2023" in text and "16/06/2023" not in text
    assert audit_log(ws)[-1].action == "generate-templates"


def test_named_units_only_and_unknown_refused(ws: Workspace) -> None:
    written = generate_for_period(ws, "2023-Q2", ["DV03", "DV01"])
    assert [g.unit.code for g in written] == ["DV03", "DV01"]
    with pytest.raises(WorkspaceError, match="DV99"):
        generate_for_period(ws, "2023-Q2", ["DV01", "DV99"])


def test_cancel_keeps_complete_files_only(ws: Workspace) -> None:
    calls = iter(range(100))
    written = generate_for_period(ws, "2023-Q2", cancelled=lambda: next(calls) >= 3)
    assert len(written) == 3
    files = sorted((ws.templates / "2023-Q2").iterdir())
    assert [f.name for f in files] == sorted(g.path.name for g in written)


def test_feedback_from_the_stored_original_or_a_clear_refusal(ws: Workspace, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from app.workspace import ingest
    from app.workspace.feedback import write_unit_feedback

    with pytest.raises(WorkspaceError, match="DV01 chưa có bản nộp"):
        write_unit_feedback(ws, "2023-Q2", "DV01")
    blank = generate_for_period(ws, "2023-Q2", ["DV01"])[0].path  # a template sent back unfilled
    ingest(ws, "2023-Q2", [blank])
    written = write_unit_feedback(ws, "2023-Q2", "DV01")
    assert written.parent == ws.feedback / "2023-Q2" and written.name.startswith("2023-Q2_DV01_")
    assert load_workbook(written).sheetnames[0] == "Cần sửa"
    entry = audit_log(ws)[-1]
    assert entry.action == "feedback" and entry.details["file"] == written.name
