"""Bước 1 — Đơn vị: the roster the workspace keeps, and importing the office's list."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton

from .. import errors
from ..models import UnitsModel, VietSortProxy, prepare
from .base import Page, make_table, on_enter, tab_order

if TYPE_CHECKING:
    from app.workspace.units import Unit

    from ..loader import LoadContext
    from ..mainwindow import MainWindow


class UnitsPage(Page):
    key = "units"
    title = "Đơn vị"
    explanation = ("Danh sách các đơn vị phải nộp báo cáo. Nhập từ tệp Excel (.xlsx) hoặc CSV có các cột Mã đơn vị, "
                   "Tên đơn vị, Thư điện tử. Nhập lại tệp đã sửa: xem trước đơn vị mới, thay đổi, đơn vị không còn "
                   "trong tệp rồi mới cập nhật; không đơn vị nào bị xoá — đơn vị giải thể, sáp nhập được cho thôi.")  # fmt: skip

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        row = QHBoxLayout()
        self.import_button = QPushButton("Nhập danh sách…")
        self.import_button.clicked.connect(self.ask_import_roster)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo mã, tên hoặc thư điện tử…")
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.contacts_button = QPushButton("Cập nhật đầu mối theo báo cáo…")
        self.contacts_button.setToolTip("Đầu mối liên hệ (người, số điện thoại) các đơn vị báo trong kỳ đang chọn "
                                        "(CV 1690 mục 3.1c): xem trước rồi cập nhật vào danh sách, có ghi nhật ký.")  # fmt: skip
        self.contacts_button.clicked.connect(self.review_contacts)
        # issue 21: the roster by hand (app.workspace.roster_edit), through app.gui.dialogs.roster
        self.add_button = QPushButton("Thêm đơn vị…")
        self.add_button.clicked.connect(self.add_unit)
        self.edit_button = QPushButton("Sửa…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.leave_button = QPushButton("Cho thôi / hoạt động lại…")
        self.leave_button.setToolTip("Đơn vị giải thể hoặc sáp nhập: vẫn ở các kỳ trước, không còn ở các kỳ sau.")
        self.leave_button.clicked.connect(self.toggle_selected)
        # two rows: in one, at 150 % scaling (a page ~630 px wide) the buttons lost their words
        row.addWidget(self.import_button)
        row.addWidget(self.contacts_button)
        row.addStretch(1)
        row.addWidget(self.count_label)
        self.body.addLayout(row)
        unit_row = QHBoxLayout()
        unit_row.addWidget(self.add_button)
        unit_row.addWidget(self.edit_button)
        unit_row.addWidget(self.leave_button)
        unit_row.addSpacing(12)
        unit_row.addWidget(self.search, 1)
        self.body.addLayout(unit_row)
        self.model = UnitsModel(self)
        self.proxy = VietSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self.proxy.set_search)
        self.table = make_table()
        self.table.setModel(self.proxy)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        on_enter(self.table, self.edit_selected)  # Enter on a unit: its form
        self.body.addWidget(self.table, 1)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.body.addWidget(self.result_label)
        tab_order(self.import_button, self.contacts_button, self.add_button, self.edit_button, self.leave_button,
                  self.search, self.table)  # fmt: skip

    def load(self, ctx: LoadContext) -> Any:
        from app.workspace import list_units

        return prepare(self.model.columns, list_units(ctx.ws, active_only=False))  # a unit that left is shown as such

    def present(self, data: Any) -> None:
        ws = self.window_.ws
        for button in (self.import_button, self.add_button, self.edit_button, self.leave_button):
            button.setEnabled(ws is not None)
        self.contacts_button.setEnabled(ws is not None and self.window_.period is not None)
        self.model.set_items(data if data is not None else [])
        units: list[Unit] = self.model.items
        active = sum(1 for u in units if u.active)
        left = f", {len(units) - active} đã thôi" if len(units) > active else ""
        self.count_label.setText(f"{active} đơn vị{left}" if data is not None else "Chưa mở thư mục làm việc")
        if units:
            self.table.resizeColumnsToContents()

    def ask_import_roster(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Chọn tệp danh sách đơn vị", str(Path.home()),
                                                "Danh sách đơn vị (*.xlsx *.csv);;Mọi tệp (*)")  # fmt: skip
        if chosen:
            self.import_roster(Path(chosen))

    def import_roster(self, path: Path) -> tuple[int, int] | None:
        """Read the file, show what it changes (``ImportPreviewDialog``) and apply what the clerk accepts.

        A file that only adds units (a first import) has nothing to review and is applied at once.
        Returns (added, updated), None when nothing was written.
        """
        from app.workspace.roster_import import apply_preview, preview_roster_import

        from ..dialogs.roster import ImportPreviewDialog

        ws = self.window_.ws
        if ws is None:
            return None
        try:
            preview = preview_roster_import(ws, path)
            chosen: list[str] = []
            left_on = None
            if preview.changed or preview.gone:
                dialog = ImportPreviewDialog(self, preview, date.today())
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    self.result_label.setText(f"Không nhập {path.name}: danh sách đơn vị giữ nguyên.")
                    return None
                chosen, left_on = dialog.chosen(), dialog.left_on()
            added, updated, deactivated = apply_preview(ws, preview, deactivate=chosen, left_on=left_on)
        except Exception as exc:
            errors.report_exception(
                self,
                exc,
                "Không nhập được danh sách đơn vị",
                "Hãy kiểm tra tệp có các cột Mã đơn vị, Tên đơn vị, Thư điện tử, rồi nhập lại.",
            )
            return None
        left = f", cho {deactivated} đơn vị thôi" if deactivated else ""
        self.result_label.setText(f"Đã nhập {path.name}: thêm {added} đơn vị mới, cập nhật {updated} đơn vị{left}.")
        self.window_.data_changed.emit()
        return added, updated

    def selected_unit(self) -> Unit | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def select_unit(self, code: str) -> bool:
        """Select a unit's row (as a click would); False when it is not listed."""
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data() == code:
                self.table.selectRow(row)
                return True
        return False

    def add_unit(self) -> Unit | None:
        from app.workspace.roster_edit import add_unit

        from ..dialogs.roster import UnitDialog

        ws = self.window_.ws
        if ws is None:
            return None
        dialog = UnitDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        try:
            unit = add_unit(ws, dialog.code(), **dialog.values())
        except Exception as exc:
            errors.report_exception(self, exc, "Không thêm được đơn vị")
            return None
        self.result_label.setText(f"Đã thêm đơn vị {unit.code} – {unit.name}; đã ghi nhật ký.")
        self.window_.data_changed.emit()
        return unit

    def edit_selected(self) -> bool:
        from app.workspace.roster_edit import edit_unit

        from ..dialogs.roster import UnitDialog

        ws, unit = self.window_.ws, self.selected_unit()
        if ws is None or unit is None:
            errors.show_error(self, "Chưa chọn đơn vị", "Hãy chọn một đơn vị trong bảng rồi bấm “Sửa…”.")
            return False
        dialog = UnitDialog(self, unit)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            changes = edit_unit(ws, unit.code, **dialog.values())
        except Exception as exc:
            errors.report_exception(self, exc, "Không sửa được đơn vị")
            return False
        said = "; ".join(c.sentence() for c in changes) or "không có gì thay đổi"
        self.result_label.setText(f"Đơn vị {unit.code}: {said}" + ("; đã ghi nhật ký." if changes else "."))
        self.window_.data_changed.emit()
        return bool(changes)

    def toggle_selected(self) -> bool:
        """Deactivate the selected unit (asking when and into which unit), or bring back one that left."""
        from app.workspace.roster_edit import deactivate_unit, reactivate_unit, state_label

        from ..dialogs.intake import ReasonDialog
        from ..dialogs.roster import DeactivateDialog

        ws, unit = self.window_.ws, self.selected_unit()
        if ws is None or unit is None:
            errors.show_error(self, "Chưa chọn đơn vị", "Hãy chọn một đơn vị trong bảng trước.")
            return False
        try:
            if unit.active:
                leave = DeactivateDialog(self, unit, self.model.items, date.today())
                if leave.exec() != QDialog.DialogCode.Accepted:
                    return False
                done = deactivate_unit(ws, unit.code, leave.left_on(), merged_into=leave.merged_into(),
                                       reason=leave.reason())  # fmt: skip
            else:
                back = ReasonDialog(self, f"Cho đơn vị {unit.code} hoạt động lại", "Hoạt động lại",
                                    f"{unit.code} – {unit.name}: {state_label(unit)}.", required=False,
                                    placeholder="ví dụ: Quyết định số …/QĐ-UBND ngày …")  # fmt: skip
                if back.exec() != QDialog.DialogCode.Accepted:
                    return False
                done = reactivate_unit(ws, unit.code, reason=back.reason())
        except Exception as exc:
            errors.report_exception(self, exc, "Không đổi được tình trạng đơn vị")
            return False
        self.result_label.setText(f"Đơn vị {done.code} – {done.name}: {state_label(done)}; đã ghi nhật ký.")
        self.window_.data_changed.emit()
        return True

    def review_contacts(self) -> int | None:
        """Show the contact changes the period's returns report, and apply them when the clerk agrees.

        Returns how many changes were applied (None when there was nothing to do or the clerk declined).
        """
        from app.workspace.contacts import apply_contacts, contact_changes

        w = self.window_
        if w.ws is None or w.period is None:
            return None
        changes = contact_changes(w.ws, w.period)
        if not changes:
            self.result_label.setText(f"Kỳ {w.period}: không đơn vị nào báo đầu mối khác với danh sách.")
            return None
        shown = "\n".join(c.sentence() for c in changes[:20]) + ("\n…" if len(changes) > 20 else "")
        if not self.confirm(f"Cập nhật {len(changes)} thay đổi đầu mối vào danh sách đơn vị?", shown):
            return None
        done = apply_contacts(w.ws, w.period, changes)
        self.result_label.setText(f"Đã cập nhật {len(done)} thay đổi đầu mối vào danh sách; đã ghi nhật ký.")
        w.data_changed.emit()
        return len(done)

    def confirm(self, question: str, details: str) -> bool:
        """Ask before changing the roster (tests replace this)."""
        return errors.ask(self, "Cập nhật đầu mối liên hệ", question, "Cập nhật", details)
