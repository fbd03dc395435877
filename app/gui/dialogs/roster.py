"""The roster's dialogs (issue 21): a unit's fields, a unit leaving, and an import's preview.

They only collect input; ``app.workspace.roster_edit`` / ``roster_import`` decide and word the
changes (``FIELD_LABELS``, ``RosterPreview.change_lines``), the same as on the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

from .base import TaskDialog, date_edit, date_of

if TYPE_CHECKING:
    from app.workspace.roster_import import RosterPreview
    from app.workspace.units import Unit

#: the fields a unit's form shows, in order
FIELDS = ("name", "kind", "email", "contact", "phone")


class UnitDialog(TaskDialog):
    """Add a unit (``unit`` None) or edit one: its code (fixed once made) and its fields."""

    def __init__(self, parent: QWidget | None, unit: Unit | None = None) -> None:
        from app.workspace.roster_edit import FIELD_LABELS

        editing = unit is not None
        super().__init__(parent, f"Sửa đơn vị {unit.code}" if unit else "Thêm đơn vị",
                         "Lưu" if editing else "Thêm đơn vị",
                         "Điện thoại được giữ đúng như nhập (cả số 0 đầu). Mọi thay đổi được ghi nhật ký.")  # fmt: skip
        self.code_edit = QLineEdit(unit.code if unit else "")
        self.code_edit.setPlaceholderText("ví dụ: DV26")
        self.code_edit.setReadOnly(editing)
        self.form.addRow("Mã đơn vị:", self.code_edit)
        self.edits: dict[str, QLineEdit] = {}
        for field in FIELDS:
            edit = QLineEdit(getattr(unit, field) if unit else "")
            self.edits[field] = edit
            self.form.addRow(f"{FIELD_LABELS[field]}:", edit)
        self.edits["email"].setPlaceholderText("nhiều địa chỉ: cách nhau bằng dấu ;")
        self.require(self.code_edit, self.edits["name"])  # the core's add_unit refuses a unit without them

    def values(self) -> dict[str, str]:
        return {field: edit.text() for field, edit in self.edits.items()}

    def code(self) -> str:
        return self.code_edit.text().strip()


class DeactivateDialog(TaskDialog):
    """When a unit leaves, and into which unit it merged (if any), and why."""

    def __init__(self, parent: QWidget | None, unit: Unit, others: Sequence[Unit], today: date) -> None:
        super().__init__(parent, f"Cho đơn vị {unit.code} thôi", "Cho thôi",
                         f"{unit.code} – {unit.name}: đơn vị vẫn ở các kỳ có hạn nộp đến ngày thôi (bản nộp, điểm, "
                         "thứ hạng giữ nguyên) và không còn ở các kỳ có hạn nộp sau đó: không phải nộp, không được "
                         "gửi biểu mẫu, thư nhắc. Không có gì bị xoá; có thể cho hoạt động lại.")  # fmt: skip
        self.day_edit = date_edit(today)
        self.merged_combo = QComboBox()
        self.merged_combo.addItem("(không sáp nhập)", "")
        for other in others:
            if other.code != unit.code and other.active:
                self.merged_combo.addItem(f"{other.code} – {other.name}", other.code)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("ví dụ: Quyết định số …/QĐ-UBND ngày …")
        self.form.addRow("Thôi từ ngày:", self.day_edit)
        self.form.addRow("Sáp nhập vào:", self.merged_combo)
        self.form.addRow("Lý do:", self.reason_edit)

    def left_on(self) -> date:
        return date_of(self.day_edit)

    def merged_into(self) -> str:
        return str(self.merged_combo.currentData() or "")

    def reason(self) -> str:
        return self.reason_edit.text()


class ImportPreviewDialog(TaskDialog):
    """What importing the file changes — new, changed (old → new), gone — before anything is written.

    Gone units are listed with a check box each: checked ones leave the roster (deactivated as of
    the day chosen), unchecked ones are kept as they are. Nothing is ever deleted.
    """

    def __init__(self, parent: QWidget | None, preview: RosterPreview, today: date) -> None:
        super().__init__(parent, f"Nhập danh sách đơn vị: {preview.file}", "Cập nhật danh sách",
                         "Xem các thay đổi rồi bấm “Cập nhật danh sách”; bấm “Huỷ” thì không có gì thay đổi.")  # fmt: skip
        self.summary = QLabel(preview.summary())
        self.summary.setWordWrap(True)
        self.summary.setObjectName("summary")
        self.form.addRow(self.summary)
        self.changes = QListWidget()
        self.changes.addItems([line for line in preview.change_lines() if not line.startswith("Không còn")])
        self.changes.setMinimumHeight(160)
        self.changes.setWordWrap(True)  # "Thay đổi: DV01 – …: Tên đơn vị “…” → “…”" is long: wrapped, not cut
        self.form.addRow("Mới và thay đổi:", self.changes)
        self.gone = QListWidget()
        self.gone.setWordWrap(True)
        self.gone.setMinimumHeight(140)
        for unit in preview.gone:
            item = QListWidgetItem(f"{unit.code} – {unit.name}")
            item.setData(Qt.ItemDataRole.UserRole, unit.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.gone.addItem(item)
        self.gone.setVisible(bool(preview.gone))
        self.day_edit = date_edit(today)
        self.day_edit.setVisible(bool(preview.gone))
        if preview.gone:
            self.form.addRow("Không còn trong tệp (đánh dấu để cho thôi):", self.gone)
            self.form.addRow("Thôi từ ngày:", self.day_edit)
        self.setMinimumWidth(640)

    def chosen(self) -> list[str]:
        """The gone units checked for deactivation."""
        out = []
        for row in range(self.gone.count()):
            item = self.gone.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def left_on(self) -> date:
        return date_of(self.day_edit)
