"""The desktop's share of issue 20 (point 6), offscreen on a copy of the demo workspace (which has
run both rounds and published): the period's state is in the window's period bar on every page;
reopening, withdrawing an appraisal, accepting or rejecting an explanation and publishing again are
offered there and on the check page, each through the same core functions as the command line."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from test_gui_app import ErrorCall, page, private_folders, shown_errors, wait_idle, window  # noqa: F401

from app.gui.mainwindow import MainWindow
from app.gui.pages.check import CheckPage

PERIOD = "2023-Q1"


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.demo.run import run_demo

    return run_demo(tmp_path_factory.mktemp("demo") / "demo").workspace


@pytest.fixture
def opened(window: MainWindow, demo_workspace: Path, tmp_path: Path) -> MainWindow:
    folder = tmp_path / "ws"
    shutil.copytree(demo_workspace, folder)
    assert window.open_workspace(folder)
    window.set_period(PERIOD)
    return window


def test_the_state_is_on_every_page_and_the_steps_are_offered(
    opened: MainWindow,
    shown_errors: list[ErrorCall],
) -> None:
    for key in opened.pages:
        opened.go_to(key)
        assert opened.state_label.text().strip() == "Bước: Đã công bố" and opened.state_label.isVisible()
    assert opened.reopen_action.isEnabled() and not opened.publish_action.isEnabled()
    assert not opened.reopen_period("  ")  # a reason is required: said in the error dialog
    assert shown_errors and "lý do" in shown_errors[-1].what_happened
    assert opened.reopen_period("Đơn vị DV03 gửi bổ sung hồ sơ.")
    assert opened.state_label.text().strip() == "Bước: Thẩm định vòng 2 (chung cuộc)"
    assert opened.publish_action.isEnabled() and not opened.reopen_action.isEnabled()

    check = page(opened, CheckPage)
    opened.go_to("check")
    lines = {}
    for unit in (u.unit_code for u in check.units_model.items):
        assert check.select_unit(unit)
        lines.update({(unit, line.id): line for line in check.lines_model.items})
    (unit, aid), line = next((k, v) for k, v in lines.items() if "không chấp nhận" in v.explanation.lower())
    assert check.select_unit(unit) and check.select_line(aid)
    assert line.round_label == "Thẩm định vòng 1" and line.change.startswith("điểm")
    assert check.withdraw_button.isEnabled() and check.accept_button.isEnabled()
    before = next(r for r in opened.period_scores().ranked if r.unit_code == unit)  # type: ignore[union-attr]
    assert check.decide_explanation(unit, line.indicator, True, "Đã có quyết định ký ban hành.")
    after = next(r for r in opened.period_scores().ranked if r.unit_code == unit)  # type: ignore[union-attr]
    assert after.appraised_cents == after.self_cents > before.appraised_cents
    assert check.select_line(aid) and "Chấp nhận" in check.selected_line().explanation  # type: ignore[union-attr]
    assert check.withdraw_appraisal(aid, "Sở rút lại kết luận vòng 1.")
    assert check.select_line(aid) and check.selected_line().state.startswith("Đã rút lại")  # type: ignore[union-attr]
    assert not check.withdraw_button.isEnabled()
    assert opened.publish_period()
    assert opened.state_label.text().strip() == "Bước: Đã công bố"


def test_the_report_page_signs_off_with_two_different_people(
    opened: MainWindow,
    qtbot: Any,
    tmp_path: Path,
    shown_errors: list[ErrorCall],
) -> None:
    from openpyxl import load_workbook

    from app.gui.pages.reports import ReportsPage

    reports = page(opened, ReportsPage)
    opened.go_to("reports")
    assert "Tình trạng kỳ: Đã công bố" in reports.summary.text()  # the rounds' closing note, as in the report
    reports.prepared_edit.setText("Nguyễn Thị Hoà")
    reports.approved_edit.setText("NGUYỄN THỊ HÒA")
    assert reports.export(tmp_path / "a.xlsx") is None
    assert shown_errors and "hai người khác nhau" in shown_errors[-1].what_happened
    reports.approved_edit.setText("Lê Văn Sáu")
    target = tmp_path / "b.xlsx"
    assert reports.export(target) is not None
    wait_idle(qtbot, opened)
    rows = {r[0]: r[1] for r in load_workbook(target)["Tổng hợp"].iter_rows(values_only=True) if r[0]}
    assert (rows["Người lập báo cáo"], rows["Người phê duyệt"]) == ("Nguyễn Thị Hoà", "Lê Văn Sáu")
