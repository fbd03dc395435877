"""Intake's correction dialogs (issue 21): a received time, a unit for a file, a reason, a withdrawn
submission to restore. ``app.workspace.corrections`` / ``ingest.set_received`` do the work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QLabel, QLineEdit, QWidget

from .base import TaskDialog

if TYPE_CHECKING:
    from app.workspace.corrections import Withdrawal
    from app.workspace.units import Unit


def _reason_edit(form_owner: TaskDialog, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    form_owner.form.addRow("Lý do (ghi nhật ký):", edit)
    return edit


def _required_reason(form_owner: TaskDialog, placeholder: str) -> QLineEdit:
    """A reason the core refuses to go without (``corrections._reason``): OK waits for it."""
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    form_owner.form.addRow("Lý do (bắt buộc, ghi nhật ký):", edit)
    form_owner.require(edit)
    return edit


class ReceivedDialog(TaskDialog):
    """The time a file was really received (the e-mail's date, not the file's)."""

    def __init__(self, parent: QWidget | None, file: str, when: datetime) -> None:
        super().__init__(parent, "Sửa giờ nhận", "Lưu giờ nhận",
                         f"Tệp {file}: giờ nhận quyết định đúng hạn hay nộp muộn và bản nào của đơn vị được tính. "
                         "Có ghi nhật ký.")  # fmt: skip
        self.when_edit = QDateTimeEdit(QDateTime(when.year, when.month, when.day, when.hour, when.minute, 0))
        self.when_edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.when_edit.setCalendarPopup(True)
        self.form.addRow("Nhận lúc:", self.when_edit)

    def when(self) -> datetime:
        value = self.when_edit.dateTime()
        d, t = value.date(), value.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class AssignDialog(TaskDialog):
    """Which unit sent this file, and why the office says so."""

    def __init__(self, parent: QWidget | None, file: str, current: str, units: Sequence[Unit]) -> None:
        now = f"đang gắn với đơn vị {current}" if current else "chưa nhận diện được đơn vị"
        super().__init__(parent, "Gán tệp cho đơn vị", "Gán cho đơn vị",
                         f"Tệp {file} ({now}). Sau khi gán, bản nộp mới nhất của mỗi đơn vị được tính lại.")  # fmt: skip
        self.unit_combo = QComboBox()
        for unit in units:
            if unit.code != current:
                self.unit_combo.addItem(f"{unit.code} – {unit.name}", unit.code)
        self.unit_combo.setEditable(False)
        self.form.addRow("Đơn vị:", self.unit_combo)
        self.reason_edit = _required_reason(self, "ví dụ: thư gửi từ địa chỉ của đơn vị")

    def unit_code(self) -> str:
        return str(self.unit_combo.currentData() or "")

    def reason(self) -> str:
        return self.reason_edit.text()


class ReasonDialog(TaskDialog):
    """A yes/no move with a reason: required (withdrawing a submission, reopening a period) unless
    ``required=False`` (a unit back at work)."""

    def __init__(self, parent: QWidget | None, title: str, ok_text: str, text: str, *, required: bool = True,
                 placeholder: str = "ví dụ: đơn vị gửi nhầm tệp") -> None:  # fmt: skip
        super().__init__(parent, title, ok_text, text)
        self.reason_edit = (_required_reason if required else _reason_edit)(self, placeholder)

    def reason(self) -> str:
        return self.reason_edit.text()


class RestoreDialog(TaskDialog):
    """Choose a withdrawn submission of the period to count again."""

    def __init__(self, parent: QWidget | None, withdrawn: Sequence[Withdrawal]) -> None:
        super().__init__(parent, "Khôi phục bản nộp đã rút", "Khôi phục",
                         "Bản nộp được khôi phục lại tham gia tính như trước khi rút (bản mới nhất của đơn vị được "
                         "tính).")  # fmt: skip
        self.combo = QComboBox()
        for w in withdrawn:
            self.combo.addItem(w.line(), w.submission_id)
        self.form.addRow("Bản nộp:", self.combo)
        if not withdrawn:
            self.form.addRow(QLabel("Kỳ này chưa có bản nộp nào bị rút."))
            self.nothing_to_do = True
        self.reason_edit = _required_reason(self, "ví dụ: đơn vị xác nhận tệp đúng")

    def submission_id(self) -> int:
        return int(self.combo.currentData() or 0)

    def reason(self) -> str:
        return self.reason_edit.text()
