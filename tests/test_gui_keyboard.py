"""Every task without a mouse (issue 21, DESIGN §9.5), driven by real key events on the focused widget:
Tab walks a page's controls in reading order and leaves its tables; Enter on a row does the row's
main action; a dialog opens with its first field focused, Tab goes through its fields then its
buttons, Enter is OK — refused, with what was typed kept, while a required field is empty — and Esc
cancels without writing anything."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QDialog, QWidget
from test_gui_app import ErrorCall, page, private_folders, shown_errors, window  # noqa: F401
from test_gui_tasks import RETURNED, opened  # noqa: F401

from app.gui.dialogs.intake import AssignDialog, ReasonDialog, ReceivedDialog
from app.gui.dialogs.roster import DeactivateDialog, ImportPreviewDialog, UnitDialog
from app.gui.mainwindow import MainWindow
from app.gui.pages.check import AppraiseDialog, CheckPage
from app.gui.pages.intake import IntakePage
from app.gui.pages.periods import PeriodsPage
from app.gui.pages.units import UnitsPage
from app.gui.shared_dialog import SharedWorkspaceDialog
from app.workspace import audit_log, ingest, status
from app.workspace.units import list_units

PERIOD = "2023-Q1"


def focused(widget: QWidget) -> QWidget | None:
    """The widget of ``widget``'s window that has (or gets, once the window is active) the keyboard — a
    date or number field's own, not its inner line edit."""
    got = widget.window().focusWidget()
    parent = got.parentWidget() if got is not None else None
    return parent if isinstance(parent, QAbstractSpinBox) else got


def press(qtbot: Any, widget: QWidget, key: Qt.Key) -> None:
    """A key pressed where the keyboard is in ``widget``'s window."""
    target = focused(widget)
    assert target is not None
    qtbot.keyClick(target, key)


def walk(qtbot: Any, start: QWidget, steps: int) -> list[QWidget | None]:
    """Focus ``start``, then press Tab until the focus has moved ``steps`` times: the widgets it went
    through. A date field takes Tab from its day to its month and year first (Qt's way): one stop."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen = [focused(start)]
    for _ in range(steps):
        for _section in range(4):
            press(qtbot, start, Qt.Key.Key_Tab)
            if focused(start) is not seen[-1]:
                break
        seen.append(focused(start))
    return seen


def shown(qtbot: Any, w: MainWindow) -> MainWindow:
    w.activateWindow()
    qtbot.waitExposed(w)
    return w


def when_open(qtbot: Any, kind: type[QDialog], act: Callable[[Any], None]) -> list[QDialog]:
    """When the next modal dialog opens, check its kind and let ``act`` drive it with keys."""
    seen: list[QDialog] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, run)
            return
        assert isinstance(dialog, kind), type(dialog)
        seen.append(dialog)
        try:
            act(dialog)
        finally:
            if dialog.isVisible():  # a failed check must not leave the test waiting on exec()
                dialog.reject()

    QTimer.singleShot(0, run)
    return seen


def buttons_in_order(dialog: Any) -> list[QWidget]:
    """The dialog's buttons as they stand, left to right, that Tab can reach (not a greyed OK)."""
    box = dialog.buttons.layout()
    widgets = [box.itemAt(i).widget() for i in range(box.count())]
    return [w for w in widgets if w is not None and w.isEnabled()]


def next_stop(qtbot: Any, dialog: QWidget) -> QWidget | None:
    """Tab to the next field (past a date field's day, month and year)."""
    here = focused(dialog)
    for _section in range(4):
        press(qtbot, dialog, Qt.Key.Key_Tab)
        if focused(dialog) is not here:
            break
    return focused(dialog)


# --- pages ---------------------------------------------------------------------------------------------


def test_tab_goes_through_the_units_page_in_reading_order(opened: MainWindow, qtbot: Any) -> None:
    units = page(shown(qtbot, opened), UnitsPage)
    order = [units.import_button, units.contacts_button, units.add_button, units.edit_button, units.leave_button,
             units.search, units.table]  # fmt: skip
    assert walk(qtbot, units.import_button, len(order) - 1) == order
    press(qtbot, units.table, Qt.Key.Key_Tab)  # the table lets Tab go: the arrows move inside it
    assert focused(units) is not units.table


def test_tab_goes_through_intake_and_periods_in_reading_order(opened: MainWindow, qtbot: Any) -> None:
    intake = page(shown(qtbot, opened), IntakePage)
    order = [intake.files_button, intake.folder_button, intake.search, intake.original_button,
             intake.received_button, intake.assign_button, intake.withdraw_button, intake.restore_button,
             intake.table]  # fmt: skip
    assert walk(qtbot, intake.files_button, len(order) - 1) == order
    periods = page(opened, PeriodsPage)
    order = [periods.table, periods.code_edit, periods.framework_combo, periods.framework_file_button,
             periods.deadline_edit, periods.add_button, periods.change_edit, periods.change_button]  # fmt: skip
    assert walk(qtbot, periods.table, len(order) - 1) == order


def test_enter_on_a_row_does_its_main_action(opened: MainWindow, qtbot: Any) -> None:
    ws = opened.ws
    assert ws is not None
    ingest(ws, PERIOD, [RETURNED / "duplicate-submission-DV11-first.xlsx"], received=datetime(2023, 4, 5, 9))
    opened.data_changed.emit()
    shown(qtbot, opened)
    # Kỳ báo cáo: Enter on a period works with it
    periods = page(opened, PeriodsPage)
    assert periods.add_period("2023-Q2", "svhtt-1690") is not None and opened.period == "2023-Q2"
    q1 = next(r for r in range(periods.proxy.rowCount()) if periods.proxy.index(r, 0).data() == PERIOD)
    periods.table.setCurrentIndex(periods.proxy.index(q1, 0))
    periods.table.setFocus()
    press(qtbot, periods.table, Qt.Key.Key_Return)
    assert opened.period == PERIOD
    # Tiếp nhận: Enter on a received unit shows its issues on Kiểm tra, the keyboard in them
    intake = page(opened, IntakePage)
    assert intake.select_row("DV11")
    intake.table.setFocus()
    press(qtbot, intake.table, Qt.Key.Key_Return)
    check = opened.current_page()
    assert isinstance(check, CheckPage) and check.selected_unit() == "DV11"
    assert check.tabs.currentIndex() == 0 and focused(check) is check.issues_table
    # Kiểm tra: Enter on a unit goes into its issues; Enter on an indicator opens the appraisal
    check.units_table.setFocus()
    press(qtbot, check.units_table, Qt.Key.Key_Enter)
    assert focused(check) is check.issues_table
    check.tabs.setCurrentIndex(1)
    assert check.select_indicator("1.2")
    check.indicators_table.setFocus()
    press(qtbot, check.indicators_table, Qt.Key.Key_Return)
    assert isinstance(check.dialog, AppraiseDialog) and check.dialog.isVisible()
    check.dialog.reject()


# --- dialogs -------------------------------------------------------------------------------------------


def test_unit_dialog_by_keyboard(opened: MainWindow, qtbot: Any, shown_errors: list[ErrorCall]) -> None:
    units = page(shown(qtbot, opened), UnitsPage)
    ws = opened.ws
    assert ws is not None
    before = (len(list_units(ws, active_only=False)), len(audit_log(ws)))

    def cancel(d: UnitDialog) -> None:
        assert focused(d) is d.code_edit  # the first field
        qtbot.keyClicks(d.code_edit, "DV77")
        press(qtbot, d, Qt.Key.Key_Escape)
        assert d.result() == QDialog.DialogCode.Rejected and not d.isVisible()

    seen = when_open(qtbot, UnitDialog, cancel)
    assert units.add_unit() is None and seen
    assert (len(list_units(ws, active_only=False)), len(audit_log(ws))) == before  # Esc wrote nothing

    def fill(d: UnitDialog) -> None:
        fields = [d.code_edit, *(d.edits[f] for f in ("name", "kind", "email", "contact", "phone"))]
        expected = [*fields, *buttons_in_order(d)]  # "Thêm đơn vị" is greyed until code and name are typed
        assert len(expected) == len(fields) + 1 and walk(qtbot, d.code_edit, len(expected) - 1) == expected
        d.code_edit.setFocus()
        qtbot.keyClicks(d.code_edit, "DV77")
        press(qtbot, d, Qt.Key.Key_Return)  # no name yet: refused, the dialog stays with what was typed
        assert d.isVisible() and d.code_edit.text() == "DV77" and not d.ok_button.isEnabled()
        press(qtbot, d, Qt.Key.Key_Tab)
        assert focused(d) is d.edits["name"]
        qtbot.keyClicks(d.edits["name"], "Nha van hoa")
        press(qtbot, d, Qt.Key.Key_Return)
        assert d.result() == QDialog.DialogCode.Accepted

    seen = when_open(qtbot, UnitDialog, fill)
    unit = units.add_unit()
    assert seen and unit is not None and unit.code == "DV77" and unit.name == "Nha van hoa"
    assert shown_errors == []

    def edit(d: UnitDialog) -> None:  # editing: the code cannot change, the name has the focus
        assert focused(d) is d.edits["name"]
        press(qtbot, d, Qt.Key.Key_Escape)

    assert units.select_unit("DV77")
    seen = when_open(qtbot, UnitDialog, edit)
    units.table.setFocus()
    press(qtbot, units.table, Qt.Key.Key_Return)  # Enter on a unit: its form
    assert seen


def test_roster_import_preview_by_keyboard(opened: MainWindow, qtbot: Any, tmp_path: Any) -> None:
    """The preview of an imported roster: Esc keeps the roster as it was; Space ticks a unit that is gone
    from the file, and Enter applies the import with it."""
    units = page(shown(qtbot, opened), UnitsPage)
    ws = opened.ws
    assert ws is not None
    edited = tmp_path / "danh_sach.csv"
    edited.write_text("Mã đơn vị,Tên đơn vị\nDV01,Thư viện Thành phố\nDV41,Đơn vị mới\n", encoding="utf-8")

    def look_and_leave(d: ImportPreviewDialog) -> None:
        press(qtbot, d, Qt.Key.Key_Escape)

    seen = when_open(qtbot, ImportPreviewDialog, look_and_leave)
    assert units.import_roster(edited) is None and seen
    assert "DV41" not in {u.code for u in list_units(ws)}

    def tick_and_apply(d: ImportPreviewDialog) -> None:
        stops = [next_stop(qtbot, d) for _ in range(4)]
        assert d.gone in stops  # the list of units gone from the file is reached by Tab
        d.gone.setFocus()
        d.gone.setCurrentRow(0)
        press(qtbot, d.gone, Qt.Key.Key_Space)
        assert d.chosen() == [d.gone.item(0).data(Qt.ItemDataRole.UserRole)]
        press(qtbot, d.day_edit, Qt.Key.Key_Return)  # Enter from a field applies

    seen = when_open(qtbot, ImportPreviewDialog, tick_and_apply)
    assert units.import_roster(edited) is not None and seen
    after = {u.code: u for u in list_units(ws, active_only=False)}
    assert after["DV41"].active and after["DV01"].name == "Thư viện Thành phố"
    assert [code for code, u in after.items() if not u.active] == ["DV02"]


def test_deactivate_dialog_enter_and_esc(opened: MainWindow, qtbot: Any) -> None:
    units = page(shown(qtbot, opened), UnitsPage)
    ws = opened.ws
    assert ws is not None and units.select_unit("DV01")

    def cancel(d: DeactivateDialog) -> None:
        assert focused(d) is d.day_edit
        press(qtbot, d, Qt.Key.Key_Escape)

    seen = when_open(qtbot, DeactivateDialog, cancel)
    assert not units.toggle_selected() and seen
    assert next(u for u in list_units(ws) if u.code == "DV01").active

    def leave(d: DeactivateDialog) -> None:
        assert next_stop(qtbot, d) is d.merged_combo
        assert next_stop(qtbot, d) is d.reason_edit
        qtbot.keyClicks(d.reason_edit, "QD 45")
        press(qtbot, d, Qt.Key.Key_Return)  # the reason is optional here: Enter leaves

    seen = when_open(qtbot, DeactivateDialog, leave)
    assert units.toggle_selected() and seen
    assert not next(u for u in list_units(ws, active_only=False) if u.code == "DV01").active


def test_intake_dialogs_enter_and_esc(opened: MainWindow, qtbot: Any, shown_errors: list[ErrorCall]) -> None:
    ws = opened.ws
    assert ws is not None
    ingest(ws, PERIOD, [RETURNED / "duplicate-submission-DV11-first.xlsx"], received=datetime(2023, 4, 5, 9))
    ingest(ws, PERIOD, [RETURNED / "duplicate-submission-DV11-second.xlsx"], received=datetime(2023, 4, 6, 9))
    intake = page(shown(qtbot, opened), IntakePage)
    opened.data_changed.emit()
    actions = len(audit_log(ws))

    def row() -> Any:
        return next(s for s in status(ws, PERIOD) if s.unit_code == "DV11")

    def escape(d: QDialog) -> None:
        press(qtbot, d, Qt.Key.Key_Escape)

    for button, kind in ((intake.received_button, ReceivedDialog), (intake.assign_button, AssignDialog),
                         (intake.withdraw_button, ReasonDialog)):  # fmt: skip
        assert intake.select_row("DV11")
        seen = when_open(qtbot, kind, escape)
        button.click()
        assert seen and seen[0].result() == QDialog.DialogCode.Rejected
    assert len(audit_log(ws)) == actions and row().file == "duplicate-submission-DV11-second.xlsx"

    def withdraw(d: ReasonDialog) -> None:
        assert focused(d) is d.reason_edit
        assert walk(qtbot, d.reason_edit, 1) == [d.reason_edit, *buttons_in_order(d)]  # OK greyed: no reason yet
        d.reason_edit.setFocus()
        press(qtbot, d, Qt.Key.Key_Return)  # the reason is required: nothing happens
        assert d.isVisible()
        qtbot.keyClicks(d.reason_edit, "Gui nham tep")
        press(qtbot, d, Qt.Key.Key_Return)

    assert intake.select_row("DV11")
    seen = when_open(qtbot, ReasonDialog, withdraw)
    intake.withdraw_button.click()
    assert seen and row().file == "duplicate-submission-DV11-first.xlsx"
    assert audit_log(ws)[-1].action == "withdraw-submission" and shown_errors == []

    def received(d: ReceivedDialog) -> None:
        assert focused(d) is d.when_edit
        press(qtbot, d, Qt.Key.Key_Return)  # the time shown is accepted as it is

    assert intake.select_row("DV11")
    seen = when_open(qtbot, ReceivedDialog, received)
    intake.received_button.click()
    assert seen and audit_log(ws)[-1].action == "set-received"


def test_appraisal_dialog_enter_and_esc(opened: MainWindow, qtbot: Any) -> None:
    ws = opened.ws
    assert ws is not None
    ingest(ws, PERIOD, [RETURNED / "duplicate-submission-DV11-first.xlsx"], received=datetime(2023, 4, 5, 9))
    check = page(shown(qtbot, opened), CheckPage)
    opened.data_changed.emit()
    assert check.select_unit("DV11")
    check.tabs.setCurrentIndex(1)
    assert check.select_indicator("1.2")
    actions = len(audit_log(ws))
    dialog = check.open_appraisal()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert focused(dialog) is dialog.score_radio  # the kind of change chosen, first
    press(qtbot, dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and len(audit_log(ws)) == actions

    dialog = check.open_appraisal()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    press(qtbot, dialog, Qt.Key.Key_Tab)
    assert focused(dialog) is dialog.score_spin
    press(qtbot, dialog, Qt.Key.Key_Tab)
    assert focused(dialog) is dialog.reason_edit
    press(qtbot, dialog, Qt.Key.Key_Return)  # no reason: refused, the dialog stays
    assert dialog.isVisible() and len(audit_log(ws)) == actions
    qtbot.keyClicks(dialog.reason_edit, "Ho so khong khop")
    press(qtbot, dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert audit_log(ws)[-1].action == "appraise"


def test_shared_workspace_dialog_keyboard(window: MainWindow, qtbot: Any) -> None:
    dialog = SharedWorkspaceDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert focused(dialog) is dialog.host
    press(qtbot, dialog, Qt.Key.Key_Return)  # no database yet: refused
    assert dialog.isVisible() and dialog.host.text() == "localhost"
    press(qtbot, dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()
    assert {b.text() for b in dialog.buttons.buttons()} == {"Kết nối", "Huỷ"}  # Vietnamese, both
