"""“Kết nối không gian làm việc dùng chung”: the desktop's way to a workspace on PostgreSQL (issue 22).

The clerk types what the office's IT gave them (server, port, database, account, password) and
either opens the shared workspace or creates it in an empty database. The password is kept for this
run only (``pg.remember_password``, and ``PGPASSWORD`` so the worker process that runs long jobs can
connect): never saved in the settings or the recent list, which hold the local folder only.
"""

from __future__ import annotations

import os

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.workspace.pg import make_url, remember_password


class SharedWorkspaceDialog(QDialog):
    """Server, port, database, account, password; “create” for a new workspace in an empty database."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kết nối không gian làm việc dùng chung")
        self.host = QLineEdit("localhost")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit()
        self.database.setPlaceholderText("ví dụ: dtidesk")
        self.user = QLineEdit(os.environ.get("USERNAME") or os.environ.get("USER") or "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("để trống nếu máy đã có tệp .pgpass")
        self.create_new = QCheckBox("Tạo không gian làm việc mới trong cơ sở dữ liệu trống này")
        form = QFormLayout()
        form.addRow("Máy chủ:", self.host)
        form.addRow("Cổng:", self.port)
        form.addRow("Cơ sở dữ liệu:", self.database)
        form.addRow("Tài khoản:", self.user)
        form.addRow("Mật khẩu:", self.password)
        note = QLabel("Mật khẩu chỉ dùng trong lần chạy này, không được lưu lại. Hãy hỏi bộ phận kỹ thuật "
                      "tên máy chủ, cơ sở dữ liệu và tài khoản.")  # fmt: skip
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Kết nối")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Huỷ")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for field in (self.host, self.database, self.user):
            field.textChanged.connect(self._allow)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.create_new)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self._allow()

    def showEvent(self, event: QShowEvent) -> None:
        from .dialogs.base import keyboard

        keyboard([self.host, self.port, self.database, self.user, self.password, self.create_new], self.buttons,
                 self.ok_button)  # fmt: skip
        super().showEvent(event)

    def accept(self) -> None:
        if self.ok_button.isEnabled():  # Enter with a field still empty: stay, keep what was typed
            super().accept()

    def _allow(self) -> None:
        self.ok_button.setEnabled(all(f.text().strip() for f in (self.host, self.database, self.user)))

    def url(self) -> str:
        """The workspace's URL, without the password."""
        return make_url(self.host.text(), self.port.value(), self.database.text(), self.user.text())

    def use_password(self) -> None:
        """Make the typed password known to this run (and the worker process it starts), not to any file."""
        password = self.password.text()
        if password:
            remember_password(self.url(), password)
            os.environ["PGPASSWORD"] = password
