"""Bước 2 — Kỳ báo cáo: the periods of the workspace, their framework and deadline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.period import deadline_vi

from .. import errors
from ..models import PeriodsModel, VietSortProxy
from .base import Page, hint, make_table, on_enter, tab_order, wrap_rows

if TYPE_CHECKING:
    from app.period import Period
    from app.workspace import PeriodInfo
    from app.workspace.period_frameworks import FrameworkChoice

    from ..loader import LoadContext
    from ..mainwindow import MainWindow


FRAMEWORK_COLUMN = 2  # PeriodsModel's "Bộ chỉ số"


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class PeriodsPage(Page):
    key = "periods"
    title = "Kỳ báo cáo"
    explanation = ("Mỗi kỳ (một quý hoặc cả năm) dùng một bộ chỉ số và có một hạn nộp. Theo Công văn 1690, hạn nộp là "
                   "trước 00g00 ngày 16 tháng cuối quý (riêng Quý I/2023: trước 00g00 ngày 20/04/2023); "
                   "có thể đổi hạn nộp của từng kỳ.")  # fmt: skip

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.scroll_below_title()  # at 150 % the two forms left the table one row: now the page scrolls
        self.model = PeriodsModel(self)
        self.proxy = VietSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = make_table()
        self.table.setModel(self.proxy)
        self.table.horizontalHeader().setStretchLastSection(False)
        wrap_rows(self.table)  # a framework's title is long: it wraps rather than push the deadline off-screen
        self.table.doubleClicked.connect(self._choose_selected)
        on_enter(self.table, self._choose_selected)  # Enter on a period: work with it
        self.table.setMinimumHeight(170)
        self.body.addWidget(self.table, 1)

        add_box = QGroupBox("Thêm kỳ báo cáo")
        form = QFormLayout(add_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a narrow page: the label above its field
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("ví dụ: Quý II/2023 hoặc 2023-Q2 hoặc 2023")
        self.code_edit.textChanged.connect(self._code_typed)
        self.code_edit.returnPressed.connect(self._add_clicked)  # Enter in the field adds the period
        self.framework_combo = QComboBox()
        self.deadline_edit = QDateEdit()
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setDisplayFormat("dd/MM/yyyy")
        self.today: date | None = None  # None: the real date (tests set a day)
        self.code_note = QLabel()
        self.code_note.setWordWrap(True)
        self.add_button = QPushButton("Thêm kỳ")
        self.add_button.clicked.connect(self._add_clicked)
        form.addRow("Kỳ:", self.code_edit)
        form.addRow("", self.code_note)
        self.framework_file_button = QPushButton("Tệp bộ chỉ số khác…")
        self.framework_file_button.setToolTip("Bộ chỉ số tự soạn (.yaml, theo workbook_templates/FORMAT.md): được "
                                              "kiểm tra và chép vào thư mục làm việc khi thêm kỳ.")  # fmt: skip
        self.framework_file_button.clicked.connect(self.ask_framework_file)
        form.addRow("Bộ chỉ số:", self.framework_combo)
        form.addRow("", self.framework_file_button)  # its own line: the titles are long
        form.addRow("Hạn nộp (trước 00g00 ngày):", self.deadline_edit)
        form.addRow("", self.add_button)

        change_box = QGroupBox("Đổi hạn nộp của kỳ đang chọn")
        change_layout = QVBoxLayout(change_box)
        change_row = QHBoxLayout()
        self.change_label = QLabel()
        self.change_label.setWordWrap(True)
        self.change_edit = QDateEdit()
        self.change_edit.setCalendarPopup(True)
        self.change_edit.setDisplayFormat("dd/MM/yyyy")
        self.change_button = QPushButton("Lưu hạn nộp mới")
        self.change_button.clicked.connect(self._change_clicked)
        change_layout.addWidget(self.change_label)
        change_layout.addWidget(QLabel("Hạn mới (trước 00g00 ngày):"))  # above: beside, it was cut at 150 %
        change_row.addWidget(self.change_edit)
        change_row.addWidget(self.change_button)
        change_row.addStretch(1)
        change_layout.addLayout(change_row)
        change_layout.addStretch(1)
        boxes = QHBoxLayout()
        boxes.addWidget(add_box, 1)
        boxes.addWidget(change_box, 1)
        self.body.addLayout(boxes)
        self.body.addWidget(hint("Bấm đúp (hoặc Enter) vào một kỳ trong bảng để làm việc với kỳ đó (hoặc chọn ở ô "
                                 "“Kỳ báo cáo” trên thanh công cụ)."))  # fmt: skip
        tab_order(self.table, self.code_edit, self.framework_combo, self.framework_file_button, self.deadline_edit,
                  self.add_button, self.change_edit, self.change_button)  # fmt: skip
        self._frameworks_loaded = False

    def _load_frameworks(self, choices: list[FrameworkChoice]) -> None:
        if self._frameworks_loaded:
            return
        for choice in choices:  # by title; the id is the tooltip
            self.framework_combo.addItem(choice.title, choice.key)
            self.framework_combo.setItemData(self.framework_combo.count() - 1, choice.label(),
                                             Qt.ItemDataRole.ToolTipRole)  # fmt: skip
        index = self.framework_combo.findData("svhtt-1690")
        self.framework_combo.setCurrentIndex(max(index, 0))
        self._frameworks_loaded = True

    def _code_typed(self, text: str) -> None:
        from app.period import parse_period

        try:
            period = parse_period(text)
        except ValueError:
            self.code_note.setText("Chưa nhận ra kỳ — hãy viết như Quý II/2023, 2023-Q2 hoặc 2023." if text else "")
            return
        self.code_note.setText(f"{period.label_vi} (mã {period.code})")
        self.deadline_edit.setDate(to_qdate(period.default_deadline))

    def suggested_period(self, periods: Sequence[PeriodInfo]) -> Period:
        """The quarter after the workspace's latest one, else the quarter of today."""
        from app.period import Period, parse_period

        quarters = [q for q in (parse_period(p.code) for p in periods) if q.quarter is not None]
        if quarters:
            return max(quarters, key=lambda q: (q.year, q.quarter or 0)).next
        return Period.containing(self.today or date.today())

    def _suggest(self, periods: Sequence[PeriodInfo]) -> None:
        """An empty form proposes the next quarter and its deadline by the CV 1690 rule, never today."""
        period = self.suggested_period(periods)
        self.code_edit.setPlaceholderText(f"ví dụ: {period.label_vi.replace(' năm ', '/')} hoặc {period.code}")
        self.deadline_edit.setDate(to_qdate(period.default_deadline))
        self.code_note.setText(f"Hạn nộp theo Công văn 1690 cho {period.label_vi}; gõ kỳ khác thì hạn tự đổi theo.")

    def load(self, ctx: LoadContext) -> Any:
        from app.workspace import list_periods
        from app.workspace.period_frameworks import framework_choices, period_framework_titles

        return list_periods(ctx.ws), self._frameworks_loaded or framework_choices(), period_framework_titles(ctx.ws)

    def present(self, data: Any) -> None:
        ws = self.window_.ws
        enabled = ws is not None
        for w in (self.code_edit, self.framework_combo, self.deadline_edit, self.add_button,
                  self.framework_file_button):  # fmt: skip
            w.setEnabled(enabled)
        periods, frameworks, titles = data if data is not None else ([], True, {})
        if frameworks is not True:
            self._load_frameworks(frameworks)
        self.model.titles = titles
        self.model.set_items(periods)
        if periods:
            self.table.resizeColumnsToContents()
            self.table.horizontalHeader().setSectionResizeMode(FRAMEWORK_COLUMN, QHeaderView.ResizeMode.Stretch)
        if not self.code_edit.text().strip():
            self._suggest(periods)
        current = self.current()
        self.change_button.setEnabled(current is not None and not self.window_.busy())
        self.change_edit.setEnabled(current is not None)
        if current is not None:
            self.change_label.setText(f"{current.label}: hạn hiện tại {deadline_vi(current.deadline)}")
            self.change_edit.setDate(to_qdate(current.deadline))
        else:
            self.change_label.setText("Chưa chọn kỳ báo cáo.")

    def current(self) -> PeriodInfo | None:
        code = self.window_.period
        return next((p for p in self.model.items if p.code == code), None)

    def _choose_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.window_.set_period(self.model.item(self.proxy.mapToSource(rows[0]).row()).code)

    def _add_clicked(self) -> None:
        framework_id = self.framework_combo.currentData()
        if not self.code_edit.text().strip():
            errors.show_error(self, "Chưa nhập kỳ", "Hãy nhập kỳ báo cáo cần thêm.",
                              "Ví dụ: Quý II/2023, 2023-Q2, hoặc 2023 cho cả năm.")  # fmt: skip
            return
        if self.add_period(self.code_edit.text(), str(framework_id), from_qdate(self.deadline_edit.date())):
            self.code_edit.clear()

    def ask_framework_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(self, "Chọn tệp bộ chỉ số", str(Path.home()),
                                                "Bộ chỉ số (*.yaml *.yml);;Mọi tệp (*)")  # fmt: skip
        if chosen:
            self.use_framework_file(Path(chosen))

    def use_framework_file(self, path: Path) -> bool:
        """Check a framework file and offer it in the list by its title (chosen); False when it has errors."""
        from app.workspace.period_frameworks import check_framework_file

        try:
            fw = check_framework_file(path)
        except Exception as exc:
            errors.report_exception(self, exc, "Tệp bộ chỉ số chưa dùng được")
            return False
        index = self.framework_combo.findData(str(path))
        if index < 0:
            self.framework_combo.addItem(f"{fw.title} (tệp {path.name})", str(path))
            index = self.framework_combo.count() - 1
            self.framework_combo.setItemData(index, f"{fw.title} — mã {fw.id}, tệp {path}", Qt.ItemDataRole.ToolTipRole)
        self.framework_combo.setCurrentIndex(index)
        return True

    def add_period(self, code: str, framework_id: str, deadline: date | None = None) -> PeriodInfo | None:
        """Add a period for a built-in framework (id or title) or a framework file (copied into the workspace)."""
        from app.workspace import add_period
        from app.workspace.period_frameworks import add_period_from_file, chosen_framework

        w = self.window_
        if w.ws is None:
            return None
        try:
            key = chosen_framework(framework_id)
            if isinstance(key, Path):
                info = add_period_from_file(w.ws, code, key, deadline)
            else:
                info = add_period(w.ws, code, key, deadline)
        except Exception as exc:
            errors.report_exception(self, exc, "Không thêm được kỳ báo cáo")
            return None
        w.reload_periods(prefer=info.code)
        w.data_changed.emit()
        return info

    def _change_clicked(self) -> None:
        current = self.current()
        if current is not None:
            self.change_deadline(current.code, from_qdate(self.change_edit.date()))

    def change_deadline(self, code: str, deadline: date) -> bool:
        from app.workspace import set_deadline

        w = self.window_
        if w.ws is None:
            return False
        try:
            set_deadline(w.ws, code, deadline)
        except Exception as exc:
            errors.report_exception(self, exc, "Không đổi được hạn nộp")
            return False
        w.data_changed.emit()
        return True
