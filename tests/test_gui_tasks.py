"""The clerk's tasks of issue 21 driven through the real widgets, offscreen: the buttons are clicked,
the dialogs that open are filled in by typing and accepted with their own buttons (``answer``),
and what the core holds afterwards is checked — the roster by hand and the import preview, intake's
corrections, and a period made with the office's own framework file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QDate, QDateTime, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLineEdit
from test_gui_app import ErrorCall, page, private_folders, shown_errors, window  # noqa: F401

from app.gui.dialogs.intake import AssignDialog, ReasonDialog, ReceivedDialog, RestoreDialog
from app.gui.dialogs.roster import DeactivateDialog, ImportPreviewDialog, UnitDialog
from app.gui.mainwindow import MainWindow
from app.gui.pages.dashboard import DashboardPage
from app.gui.pages.intake import IntakePage
from app.gui.pages.periods import PeriodsPage
from app.gui.pages.templates import TemplatesPage
from app.gui.pages.units import UnitsPage
from app.workspace import audit_log, get_period, ingest, status
from app.workspace.periods import framework_of
from app.workspace.units import list_units

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROSTER = FIXTURES / "rosters" / "returned_units.csv"
RETURNED = FIXTURES / "returned"
PERIOD = "2023-Q1"


def answer(qtbot: Any, kind: type[QDialog], fill: Callable[[Any], None], *, accept: bool = True) -> list[QDialog]:
    """When the next modal dialog opens: check its kind, fill it in, then press its OK (or Huỷ) button."""
    seen: list[QDialog] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, act)
            return
        seen.append(dialog)
        assert isinstance(dialog, kind), type(dialog)
        fill(dialog)
        button = dialog.ok_button if accept else dialog.buttons.buttons()[-1]
        if not accept:
            button = next(b for b in dialog.buttons.buttons() if b.text() == "Huỷ")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)
    return seen


def type_into(qtbot: Any, edit: QLineEdit, text: str) -> None:
    """Type into a field: key by key for ASCII; Vietnamese arrives whole, as an input method commits it
    (QTest cannot synthesise keys for "â", "ố" …)."""
    edit.clear()
    edit.setFocus()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def opened(window: MainWindow, tmp_path: Path) -> MainWindow:
    assert window.create_workspace(tmp_path / "ws")
    assert page(window, UnitsPage).import_roster(ROSTER) == (16, 0)  # a first import: only new units, no preview
    assert page(window, PeriodsPage).add_period("Quý I/2023", "svhtt-1690") is not None
    return window


def test_the_roster_by_hand_and_an_import_with_its_preview(opened: MainWindow, qtbot: Any, tmp_path: Path,
                                                           shown_errors: list[ErrorCall]) -> None:  # fmt: skip
    units = page(opened, UnitsPage)
    assert opened.ws is not None

    def new_unit(d: UnitDialog) -> None:
        type_into(qtbot, d.code_edit, "DV30")
        type_into(qtbot, d.edits["name"], "Trung tâm Báo chí")
        type_into(qtbot, d.edits["phone"], "0912 345 678")

    answer(qtbot, UnitDialog, new_unit)
    click(qtbot, units.add_button)
    dv30 = next(u for u in list_units(opened.ws) if u.code == "DV30")
    assert dv30.name == "Trung tâm Báo chí" and dv30.phone == "0912 345 678"
    assert "Đã thêm đơn vị DV30" in units.result_label.text() and units.count_label.text() == "17 đơn vị"

    assert units.select_unit("DV30")
    answer(qtbot, UnitDialog, lambda d: type_into(qtbot, d.edits["email"], "baochi@svhtt.example"))
    click(qtbot, units.edit_button)
    assert next(u for u in list_units(opened.ws) if u.code == "DV30").email == "baochi@svhtt.example"
    assert "Thư điện tử: “(trống)” → “baochi@svhtt.example”" in units.result_label.text()

    def leave(d: DeactivateDialog) -> None:
        d.day_edit.setDate(QDate(2023, 5, 1))
        d.merged_combo.setCurrentIndex(d.merged_combo.findData("DV01"))
        type_into(qtbot, d.reason_edit, "Quyết định 45/QĐ-UBND")

    assert units.select_unit("DV30")
    answer(qtbot, DeactivateDialog, leave)
    click(qtbot, units.leave_button)
    gone = next(u for u in list_units(opened.ws, active_only=False) if u.code == "DV30")
    assert not gone.active and gone.left_on == "2023-05-01" and gone.merged_into == "DV01"
    assert units.count_label.text() == "16 đơn vị, 1 đã thôi"
    shown = [units.proxy.index(r, 5).data() for r in range(units.proxy.rowCount())
             if units.proxy.index(r, 0).data() == "DV30"]  # fmt: skip
    assert shown == ["Đã thôi từ 01/05/2023, sáp nhập vào DV01"]  # the state in words, not by colour alone
    assert units.select_unit("DV30")
    answer(qtbot, ReasonDialog, lambda d: type_into(qtbot, d.reason_edit, "Tái lập"))
    click(qtbot, units.leave_button)
    assert next(u for u in list_units(opened.ws) if u.code == "DV30").active

    edited = tmp_path / "danh_sach_moi.csv"
    edited.write_text("Mã đơn vị,Tên đơn vị\nDV01,Thư viện Thành phố\nDV02,Bảo tàng Lịch sử Thành phố\n"
                      "DV41,Đơn vị mới\n", encoding="utf-8")  # fmt: skip
    answer(qtbot, ImportPreviewDialog, lambda d: None, accept=False)  # looked, cancelled: nothing changes
    assert units.import_roster(edited) is None
    assert "DV41" not in {u.code for u in list_units(opened.ws)} and "giữ nguyên" in units.result_label.text()

    def review(d: ImportPreviewDialog) -> None:
        assert "1 mới, 1 thay đổi" in d.summary.text()
        lines = [d.changes.item(i).text() for i in range(d.changes.count())]
        assert lines[0] == "Mới: DV41 – Đơn vị mới" and lines[1].startswith("Thay đổi: DV01 – Thư viện Thành phố")
        gone_rows = {d.gone.item(i).data(Qt.ItemDataRole.UserRole): d.gone.item(i) for i in range(d.gone.count())}
        assert set(gone_rows) == {f"DV{n:02d}" for n in range(3, 17)} | {"DV30"}
        gone_rows["DV30"].setCheckState(Qt.CheckState.Checked)
        d.day_edit.setDate(QDate(2023, 7, 1))

    seen = answer(qtbot, ImportPreviewDialog, review)
    assert units.import_roster(edited) == (1, 1) and seen
    after = {u.code: u for u in list_units(opened.ws, active_only=False)}
    assert after["DV41"].active and after["DV01"].name == "Thư viện Thành phố"
    assert not after["DV30"].active and after["DV30"].left_on == "2023-07-01" and after["DV03"].active
    assert "cho 1 đơn vị thôi" in units.result_label.text() and shown_errors == []
    actions = [e.action for e in audit_log(opened.ws)]
    assert {"add-unit", "edit-unit", "deactivate-unit", "reactivate-unit"} <= set(actions)


def test_intake_corrections_through_the_page(opened: MainWindow, qtbot: Any, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch, shown_errors: list[ErrorCall]) -> None:  # fmt: skip
    ws = opened.ws
    assert ws is not None
    ws.conn.execute("UPDATE units SET active = 0 WHERE code = 'DV02'")  # its file comes in unrecognised
    ingest(ws, PERIOD, [RETURNED / "duplicate-submission-DV11-first.xlsx"], received=datetime(2023, 4, 5, 9))
    ingest(ws, PERIOD, [RETURNED / "duplicate-submission-DV11-second.xlsx"], received=datetime(2023, 4, 6, 9))
    ingest(ws, PERIOD, [RETURNED / "resaved-by-libreoffice.xlsx"], received=datetime(2023, 4, 7, 9))
    intake = page(opened, IntakePage)
    opened.data_changed.emit()

    def row(unit: str) -> Any:
        return next(s for s in status(ws, PERIOD) if s.unit_code == unit)

    assert intake.select_row("DV11")
    answer(qtbot, ReasonDialog, lambda d: type_into(qtbot, d.reason_edit, "Đơn vị gửi nhầm tệp thử"))
    click(qtbot, intake.withdraw_button)
    assert row("DV11").file == "duplicate-submission-DV11-first.xlsx" and "Đã rút" in intake.summary.text()

    def restore(d: RestoreDialog) -> None:
        assert d.combo.count() == 1 and "duplicate-submission-DV11-second.xlsx" in d.combo.currentText()
        type_into(qtbot, d.reason_edit, "Đơn vị xác nhận tệp đúng")

    answer(qtbot, RestoreDialog, restore)
    click(qtbot, intake.restore_button)
    assert row("DV11").file == "duplicate-submission-DV11-second.xlsx"

    def late(d: ReceivedDialog) -> None:
        d.when_edit.setDateTime(QDateTime(2023, 4, 20, 8, 30, 0))

    assert intake.select_row("DV11")
    answer(qtbot, ReceivedDialog, late)
    click(qtbot, intake.received_button)
    assert row("DV11").received_at == datetime(2023, 4, 20, 8, 30) and row("DV11").on_time is False

    def to_dv03(d: AssignDialog) -> None:
        d.unit_combo.setCurrentIndex(d.unit_combo.findData("DV03"))
        type_into(qtbot, d.reason_edit, "Thư gửi từ địa chỉ của DV03")

    assert intake.select_row(file="resaved-by-libreoffice.xlsx")
    answer(qtbot, AssignDialog, to_dv03)
    click(qtbot, intake.assign_button)
    assert row("DV03").state == "received" and row("DV03").file == "resaved-by-libreoffice.xlsx"
    assert not any(s.state == "unknown" for s in status(ws, PERIOD))

    opened_paths: list[Path] = []
    monkeypatch.setattr(opened, "open_in_system", lambda p: opened_paths.append(p))
    assert intake.select_row("DV03")
    click(qtbot, intake.original_button)
    assert opened_paths and opened_paths[0].read_bytes() == (RETURNED / "resaved-by-libreoffice.xlsx").read_bytes()
    assert opened_paths[0].parent != ws.folder / "received"  # a copy apart from the evidence

    assert intake.select_row("DV05")  # missing: nothing to withdraw, said plainly
    click(qtbot, intake.withdraw_button)
    assert shown_errors and shown_errors[-1].title == "Chưa chọn bản nộp"
    done = [e.action for e in audit_log(ws)]
    assert {"withdraw-submission", "restore-submission", "set-received", "assign-submission"} <= set(done)


def test_a_period_with_a_framework_file_and_a_moved_deadline(opened: MainWindow, qtbot: Any, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    periods = page(opened, PeriodsPage)
    own = tmp_path / "bo-chi-so-rieng.yaml"
    shutil.copy(FIXTURES / "frameworks" / "minimal-valid.yaml", own)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(own), "")))
    assert periods.framework_combo.currentText().startswith("Báo cáo kết quả chuyển đổi số")  # by title, not id
    click(qtbot, periods.framework_file_button)
    assert periods.framework_combo.currentText() == "Bộ chỉ số thử (tệp bo-chi-so-rieng.yaml)"
    type_into(qtbot, periods.code_edit, "Quý II/2023")
    click(qtbot, periods.add_button)
    assert opened.ws is not None and opened.period == "2023-Q2"
    own.unlink()  # moved away after the period was made: the period keeps its copy
    assert framework_of(opened.ws, "2023-Q2").title == "Bộ chỉ số thử"
    periods.refresh()  # every place that names the period's framework names it by the copy's title, not its id
    shown = {periods.model.items[r].code: periods.model.data(periods.model.index(r, 2))
             for r in range(periods.model.rowCount())}  # fmt: skip
    assert shown["2023-Q2"] == "Bộ chỉ số thử" and shown["2023-Q1"].startswith("Báo cáo kết quả chuyển đổi số")
    dashboard = page(opened, DashboardPage)
    dashboard.refresh()
    assert dashboard.headline.text().endswith("— Bộ chỉ số thử")
    templates = page(opened, TemplatesPage)
    templates.refresh()
    assert "bộ chỉ số “Bộ chỉ số thử”" in templates.summary.text()

    periods = page(opened, PeriodsPage)  # back on the periods page
    opened.set_period("2023-Q1")
    periods.refresh()
    assert "trước 00g00 ngày 20/04/2023" in periods.change_label.text()
    periods.change_edit.setDate(QDate(2023, 4, 25))
    click(qtbot, periods.change_button)
    assert get_period(opened.ws, "2023-Q1").deadline == date(2023, 4, 25)
    assert "trước 00g00 ngày 25/04/2023" in periods.change_label.text()


def test_templates_and_dashboard_count_the_periods_units(opened: MainWindow) -> None:
    """A unit that left before the deadline gets no template and is not expected: both pages count the
    period's units (``units_in_period``), not every unit on the roster."""
    from app.workspace.roster_edit import deactivate_unit, units_in_period

    assert opened.ws is not None
    gone = list_units(opened.ws)[0]
    deactivate_unit(opened.ws, gone.code, date(2023, 3, 1), reason="giải thể")
    opened.data_changed.emit()
    expected = len(units_in_period(opened.ws, PERIOD))
    assert expected == 15
    templates = page(opened, TemplatesPage)
    assert "Sẽ tạo 15 tệp" in templates.summary.text()
    assert templates.generate_button.text() == "Tạo biểu mẫu cho 15 đơn vị"
    dashboard = page(opened, DashboardPage)
    assert dashboard.counts is not None and dashboard.counts.expected == 15, dashboard.counts
