"""What every task dialog shares: a form, a hint line, and Vietnamese OK/Cancel buttons — and the
keyboard (DESIGN §9.5): the first field has the focus when the dialog opens, Tab goes through the
fields in order and then the buttons, Enter is OK (refused, contents kept, while a required field is
empty) and Esc is Huỷ."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import pairwise

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)


def _takes_focus(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def keyboard(fields: Sequence[QWidget], buttons: QDialogButtonBox, ok: QPushButton) -> None:
    """Tab through ``fields`` in order, then the buttons as they stand left to right; the first field a
    clerk can type in (not read-only, not an unchosen radio button) gets the focus; Enter presses ``ok``.

    Called when the dialog is shown (``showEvent``): fields hidden or disabled by then are skipped."""
    box = buttons.layout()
    items = [box.itemAt(i) for i in range(box.count())] if box is not None else []
    in_box = [item.widget() for item in items if item is not None]
    shown = [b for b in in_box if isinstance(b, QAbstractButton)] or list(buttons.buttons())
    chain = [w for w in fields if _takes_focus(w)] + [b for b in shown if _takes_focus(b)]
    for first, second in pairwise(chain):
        QWidget.setTabOrder(first, second)
    ok.setDefault(True)
    for field in fields:
        if not _takes_focus(field) or field.isHidden() or not field.isEnabled():
            continue
        if isinstance(field, QLineEdit) and field.isReadOnly():
            continue
        if isinstance(field, QRadioButton) and not field.isChecked():
            continue
        field.setFocus(Qt.FocusReason.TabFocusReason)
        break


def form_fields(form: QFormLayout) -> list[QWidget]:
    """The widgets of a form's rows, top to bottom (fields and whole-row widgets; not the labels)."""
    out: list[QWidget] = []
    for row in range(form.rowCount()):
        for role in (QFormLayout.ItemRole.SpanningRole, QFormLayout.ItemRole.FieldRole):
            item = form.itemAt(row, role)
            widget = item.widget() if item is not None else None
            if widget is not None:
                out.append(widget)
    return out


class TaskDialog(QDialog):
    """A modal form: ``self.form`` for the fields, ``self.ok_button`` (named after what it does)."""

    def __init__(self, parent: QWidget | None, title: str, ok_text: str, hint: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.layout_ = QVBoxLayout(self)
        if hint:
            note = QLabel(hint)
            note.setWordWrap(True)
            note.setObjectName("hint")
            self.layout_.addWidget(note)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # each label above its field: at 150 % scaling a label beside its field lost its last letters
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.layout_.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Huỷ")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        self.setMinimumWidth(520)
        #: fields that must not be empty: OK (and Enter) does nothing until they are filled
        self.required: list[QLineEdit] = []
        #: OK refused whatever the fields say (nothing to choose, e.g. no withdrawn submission)
        self.nothing_to_do = False

    def require(self, *edits: QLineEdit) -> None:
        """These fields must be filled before OK: the button is greyed until then, and Enter keeps what
        was typed instead of closing the dialog on a refusal from the core."""
        for edit in edits:
            self.required.append(edit)
            edit.textChanged.connect(self._allow)
        self._allow()

    def _allow(self) -> None:
        self.ok_button.setEnabled(not self.nothing_to_do and all(e.text().strip() for e in self.required))

    def accept(self) -> None:
        if not self.ok_button.isEnabled():  # Enter on a form that is not complete: stay, keep the contents
            return
        super().accept()

    def showEvent(self, event: QShowEvent) -> None:
        """Sized to its contents when shown: a wrapped hint or a long label is never cut (150 % scaling)."""
        keyboard(form_fields(self.form), self.buttons, self.ok_button)
        self.adjustSize()
        super().showEvent(event)


def date_edit(day: date) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def date_of(edit: QDateEdit) -> date:
    day = edit.date()
    return date(day.year(), day.month(), day.day())
