"""Bước 1 — Đơn vị: the roster the workspace keeps, and importing the office's list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton

from .. import errors
from ..models import UnitsModel, VietSortProxy
from .base import Page, make_table

if TYPE_CHECKING:
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
        row.addWidget(self.import_button)
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

    def refresh(self) -> None:
        ws = self.window_.ws
        self.import_button.setEnabled(ws is not None)
        units = []
        if ws is not None:
            from app.workspace import list_units  # not before a workspace is open: start fast

            units = list_units(ws)
        self.model.set_items(units)
        self.count_label.setText(f"{len(units)} đơn vị" if ws is not None else "Chưa mở thư mục làm việc")
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
            errors.report_exception(self, exc, "Không nhập được danh sách đơn vị",
                                    "Hãy kiểm tra tệp có các cột Mã đơn vị, Tên đơn vị, Thư điện tử, rồi nhập lại.")
            return None
        self.result_label.setText(f"Đã nhập {path.name}: thêm {added} đơn vị mới, cập nhật {updated} đơn vị.")
        self.window_.data_changed.emit()
        return added, updated
