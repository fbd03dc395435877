"""Bước 1 — Đơn vị: the roster the workspace keeps, and importing the office's list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton

from .. import errors
from ..models import UnitsModel, VietSortProxy, prepare
from .base import Page, make_table

if TYPE_CHECKING:
    from ..loader import LoadContext
    from ..mainwindow import MainWindow


class UnitsPage(Page):
    key = "units"
    title = "Đơn vị"
    explanation = ("Danh sách các đơn vị phải nộp báo cáo. Nhập từ tệp Excel (.xlsx) hoặc CSV có các cột Mã đơn vị, "
                   "Tên đơn vị, Thư điện tử. Nhập lại tệp đã sửa sẽ thêm đơn vị mới và cập nhật đơn vị đã có; "
                   "không đơn vị nào bị xoá.")  # fmt: skip

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
        row.addWidget(self.import_button)
        row.addWidget(self.contacts_button)
        row.addSpacing(12)
        row.addWidget(self.search, 1)
        row.addWidget(self.count_label)
        self.body.addLayout(row)
        self.model = UnitsModel(self)
        self.proxy = VietSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self.proxy.set_search)
        self.table = make_table()
        self.table.setModel(self.proxy)
        self.body.addWidget(self.table, 1)
        self.result_label = QLabel()
        self.body.addWidget(self.result_label)

    def load(self, ctx: LoadContext) -> Any:
        from app.workspace import list_units

        return prepare(self.model.columns, list_units(ctx.ws))  # the columns: plain Python, read-only

    def present(self, data: Any) -> None:
        ws = self.window_.ws
        self.import_button.setEnabled(ws is not None)
        self.contacts_button.setEnabled(ws is not None and self.window_.period is not None)
        self.model.set_items(data if data is not None else [])
        units = self.model.items
        self.count_label.setText(f"{len(units)} đơn vị" if data is not None else "Chưa mở thư mục làm việc")
        if units:
            self.table.resizeColumnsToContents()

    def ask_import_roster(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Chọn tệp danh sách đơn vị", str(Path.home()),
                                                "Danh sách đơn vị (*.xlsx *.csv);;Mọi tệp (*)")  # fmt: skip
        if chosen:
            self.import_roster(Path(chosen))

    def import_roster(self, path: Path) -> tuple[int, int] | None:
        from app.workspace import import_roster

        ws = self.window_.ws
        if ws is None:
            return None
        try:
            added, updated = import_roster(ws, path)
        except Exception as exc:
            errors.report_exception(
                self,
                exc,
                "Không nhập được danh sách đơn vị",
                "Hãy kiểm tra tệp có các cột Mã đơn vị, Tên đơn vị, Thư điện tử, rồi nhập lại.",
            )
            return None
        self.result_label.setText(f"Đã nhập {path.name}: thêm {added} đơn vị mới, cập nhật {updated} đơn vị.")
        self.window_.data_changed.emit()
        return added, updated

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
        answer = QMessageBox.question(self, "Cập nhật đầu mối liên hệ", f"{question}\n\n{details}")
        return answer == QMessageBox.StandardButton.Yes
