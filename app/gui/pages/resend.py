"""The small dialog before a feedback workbook is written: the date the unit must send its
corrected file back by (never a date that has passed; by default ``RESEND_WORKING_DAYS`` working
days from today), worded in the dialog exactly as the workbook will word it."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.period import RESEND_WORKING_DAYS, deadline_vi, default_resend_by

from .periods import from_qdate, to_qdate


class ResendDialog(QDialog):
    """Ask for the resend date of one unit's feedback workbook (window-modal, not blocking)."""

    def __init__(self, parent: QWidget | None, unit: str, today: date | None = None) -> None:
        super().__init__(parent)
        today = today or date.today()
        self.setWindowTitle(f"Ghi tệp phản hồi — {unit}")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setMinimumDate(to_qdate(today))
        self.date_edit.setDate(to_qdate(default_resend_by(today)))
        self.date_edit.setToolTip(f"Mặc định: {RESEND_WORKING_DAYS} ngày làm việc (thứ Hai–thứ Sáu) sau hôm nay.")
        form.addRow("Đơn vị gửi lại tệp đã sửa (trước 00g00 ngày):", self.date_edit)
        layout.addLayout(form)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        layout.addWidget(self.preview)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Ghi tệp phản hồi")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Huỷ")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.date_edit.dateChanged.connect(self._show)
        self._show()

    def showEvent(self, event: QShowEvent) -> None:
        from ..dialogs.base import keyboard

        keyboard([self.date_edit], self.buttons, self.ok_button)  # the date has the focus; Enter writes
        super().showEvent(event)

    def resend_by(self) -> date:
        return from_qdate(self.date_edit.date())

    def _show(self) -> None:
        self.preview.setText(f"Tệp phản hồi sẽ ghi: “… gửi lại tệp này {deadline_vi(self.resend_by())}.”")


__all__ = ["ResendDialog"]
