"""The appraisal rounds' dialogs without a mouse (issue 21, DESIGN §9.5), on a copy of the demo
workspace (both rounds run, published): reopening the period from the menu, accepting an explanation
and withdrawing an appraisal on Kiểm tra, overriding a derived figure of the department's own form on
Báo cáo, and the resend date before a feedback workbook. Each is opened as a clerk opens it (the menu
action or the page's button) and driven by key presses: Esc writes nothing, Enter without the
required reason is refused and keeps the dialog, Enter with it does the task — audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit
from test_gui_app import ErrorCall, page, private_folders, shown_errors, wait_idle, window  # noqa: F401
from test_gui_keyboard import buttons_in_order, focused, next_stop, press, shown, when_open
from test_gui_rounds import demo_workspace, opened  # noqa: F401

from app.gui.dialogs.base import TaskDialog
from app.gui.dialogs.intake import ReasonDialog
from app.gui.mainwindow import MainWindow
from app.gui.pages.check import CheckPage
from app.gui.pages.reports import ReportsPage
from app.gui.pages.resend import ResendDialog
from app.period import default_resend_by
from app.workspace import audit_log


def refused_then_done(qtbot: Any, reason: str) -> Any:
    """Drive a dialog whose reason is required: Enter with no reason keeps it open, then the reason is
    typed and Enter does the task."""

    def act(d: ReasonDialog) -> None:
        assert focused(d) is d.reason_edit
        assert not d.ok_button.isEnabled()
        press(qtbot, d, Qt.Key.Key_Return)
        assert d.isVisible()
        qtbot.keyClicks(d.reason_edit, reason)
        assert d.ok_button.isEnabled()
        press(qtbot, d, Qt.Key.Key_Return)

    return act


def escape(qtbot: Any) -> Any:
    def act(d: QDialog) -> None:
        press(qtbot, d, Qt.Key.Key_Escape)

    return act


def test_reopen_decide_and_withdraw_by_keyboard(opened: MainWindow, qtbot: Any,
                                                shown_errors: list[ErrorCall]) -> None:  # fmt: skip
    ws = opened.ws
    assert ws is not None
    shown(qtbot, opened)
    actions = len(audit_log(ws))

    # reopen, from the menu: Esc keeps the period published
    seen = when_open(qtbot, ReasonDialog, escape(qtbot))
    opened.reopen_action.trigger()
    assert seen and seen[0].result() == QDialog.DialogCode.Rejected
    assert opened.state_label.text().strip() == "Bước: Đã công bố" and len(audit_log(ws)) == actions

    seen = when_open(qtbot, ReasonDialog, refused_then_done(qtbot, "Don vi DV03 gui bo sung ho so"))
    opened.reopen_action.trigger()
    assert seen and seen[0].windowTitle() == "Mở lại kỳ đã công bố"
    assert opened.state_label.text().strip() == "Bước: Thẩm định vòng 2 (chung cuộc)"
    assert audit_log(ws)[-1].details.get("reason") == "Don vi DV03 gui bo sung ho so"

    # an explanation the first round did not accept, chosen on Kiểm tra
    check = page(opened, CheckPage)
    opened.go_to("check")
    found = None
    for unit in [u.unit_code for u in check.units_model.items]:
        assert check.select_unit(unit)
        found = next(((unit, line) for line in check.lines_model.items
                      if "không chấp nhận" in line.explanation.lower()), None)  # fmt: skip
        if found:
            break
    assert found is not None
    unit, line = found
    assert check.select_unit(unit) and check.select_line(line.id)
    before = len(audit_log(ws))

    seen = when_open(qtbot, ReasonDialog, escape(qtbot))
    check.accept_button.click()
    assert seen and len(audit_log(ws)) == before

    seen = when_open(qtbot, ReasonDialog, refused_then_done(qtbot, "Da co quyet dinh ky ban hanh"))
    check.accept_button.click()
    assert seen and seen[0].ok_button.text() == "Chấp nhận"
    assert check.select_line(line.id) and "Chấp nhận" in check.selected_line().explanation  # type: ignore[union-attr]
    assert audit_log(ws)[-1].details.get("reason") == "Da co quyet dinh ky ban hanh"

    # withdraw that appraisal: Tab from the reason reaches the buttons, the greyed OK skipped
    def withdraw(d: ReasonDialog) -> None:
        assert focused(d) is d.reason_edit
        assert next_stop(qtbot, d) is buttons_in_order(d)[0]
        d.reason_edit.setFocus()
        refused_then_done(qtbot, "So rut lai ket luan vong 1")(d)

    seen = when_open(qtbot, ReasonDialog, escape(qtbot))
    check.withdraw_button.click()
    assert seen and check.selected_line().withdrawable  # type: ignore[union-attr]
    seen = when_open(qtbot, ReasonDialog, withdraw)
    check.withdraw_button.click()
    assert seen and seen[0].windowTitle() == "Rút lại thẩm định"
    assert check.select_line(line.id) and check.selected_line().state.startswith("Đã rút lại")  # type: ignore[union-attr]
    assert audit_log(ws)[-1].details.get("reason") == "So rut lai ket luan vong 1"
    assert shown_errors == []


def test_department_override_by_keyboard(opened: MainWindow, qtbot: Any, shown_errors: list[ErrorCall]) -> None:
    from app.workspace.department import department_draft

    ws = opened.ws
    assert ws is not None and opened.period is not None
    reports = page(shown(qtbot, opened), ReportsPage)
    opened.go_to("reports")
    assert reports.override_button.isEnabled()
    derived = department_draft(ws, opened.period).derived
    assert len(derived) >= 2
    actions = len(audit_log(ws))

    seen = when_open(qtbot, TaskDialog, escape(qtbot))
    reports.override_button.click()
    assert seen and len(audit_log(ws)) == actions

    def override(d: TaskDialog) -> None:
        cells = focused(d)
        assert isinstance(cells, QComboBox) and cells.currentIndex() == 0  # the cell first
        press(qtbot, d, Qt.Key.Key_Down)  # the second derived figure
        assert cells.currentIndex() == 1
        value = next_stop(qtbot, d)
        assert isinstance(value, QLineEdit) and value.placeholderText().startswith("để trống")
        qtbot.keyClicks(value, "7")
        reason = next_stop(qtbot, d)
        assert isinstance(reason, QLineEdit) and reason is not value
        press(qtbot, d, Qt.Key.Key_Return)  # no reason: refused, what was typed kept
        assert d.isVisible() and value.text() == "7"
        qtbot.keyClicks(reason, "So cua Van phong theo ho so goc")
        press(qtbot, d, Qt.Key.Key_Return)

    seen = when_open(qtbot, TaskDialog, override)
    reports.override_button.click()
    assert seen and seen[0].result() == QDialog.DialogCode.Accepted
    after = next(c for c in department_draft(ws, opened.period).cells if c.ref == derived[1].ref)
    assert after.override is not None and after.override.reason == "So cua Van phong theo ho so goc"
    assert "Đã sửa ô" in reports.result_label.text() and shown_errors == []


def test_resend_date_by_keyboard(opened: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                 shown_errors: list[ErrorCall]) -> None:  # fmt: skip
    check = page(shown(qtbot, opened), CheckPage)
    opened.go_to("check")
    unit = check.units_model.items[0].unit_code
    assert check.select_unit(unit)
    opened_folders: list[Path] = []
    monkeypatch.setattr(check, "open_folder", opened_folders.append)

    check.feedback_button.click()
    dialog = check.resend_dialog
    assert isinstance(dialog, ResendDialog)
    qtbot.waitExposed(dialog)
    assert focused(dialog) is dialog.date_edit
    press(qtbot, dialog, Qt.Key.Key_Escape)  # nothing written
    assert not dialog.isVisible() and not opened.busy() and check.last_feedback is None

    check.feedback_button.click()
    dialog = check.resend_dialog
    assert isinstance(dialog, ResendDialog)
    qtbot.waitExposed(dialog)
    assert focused(dialog) is dialog.date_edit
    first = dialog.resend_by()
    assert first == default_resend_by(date.today())
    press(qtbot, dialog, Qt.Key.Key_Up)  # the day a step later, as the arrow keys do in a date field
    chosen = dialog.resend_by()
    assert chosen != first and chosen.strftime("%d/%m/%Y") in dialog.date_edit.text()
    press(qtbot, dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    wait_idle(qtbot, opened)
    written = check.last_feedback
    assert written is not None and written.is_file() and opened_folders == [written.parent]
    assert shown_errors == []


def test_the_period_steps_are_in_the_menu_bar_under_alt_k(opened: MainWindow, qtbot: Any) -> None:
    """The steps of the period (advance, notices, publish, reopen) are also a menu of the menu bar:
    Alt+K opens it wherever the focus is, arrows and Enter choose a step."""
    from PySide6.QtWidgets import QApplication

    shown(qtbot, opened)
    assert [a.text() for a in opened.menuBar().actions()] == ["&Tệp", "&Kỳ báo cáo", "Trợ &giúp"]
    assert opened.period_menu.actions() == opened.step_button.menu().actions()
    opened.go_to("units")
    qtbot.keyClick(opened.focusWidget() or opened, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is opened.period_menu, timeout=2000)
    menu = opened.period_menu
    enabled = [a for a in menu.actions() if a.isEnabled()]
    assert enabled == [opened.reopen_action]  # published: reopening is the only step
    seen = when_open(qtbot, ReasonDialog, escape(qtbot))
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction() is opened.reopen_action
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen[0].windowTitle() == "Mở lại kỳ đã công bố"
