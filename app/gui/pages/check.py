"""Bước 5 — Kiểm tra & thẩm định: each unit's problems cell by cell, its feedback workbook, its
scores self-assessed and appraised side by side, the appraisal dialog, and the audit log.

Reads go through the loader, off the UI thread (DESIGN §9.1): the page's ``load`` reads the units,
the period's scores and the audit log; choosing a unit loads that unit's issues, scores, evidence
and appraisals (``load_unit``, its own request, so a quick run down the list shows only the last
unit). An appraisal is one small transaction on the UI thread; the feedback workbook is written
in a job (``app.workspace.feedback.write_unit_feedback``) with its own connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import jobs
from scoring.collation import sort_key
from scoring.findings import severity_label, status_label
from scoring.rounding import cents_to_decimal

from .. import errors, style
from ..models import OBJECT_ROLE, Column, ObjectTableModel, Prepared, VietSortProxy, day_text, prepare
from .base import Page, hint, make_table, on_enter, select_unit_row, tab_order, wrap_rows

if TYPE_CHECKING:
    from app.workspace import AuditEntry, UnitStatus
    from app.workspace.evidence import EvidenceFile
    from app.workspace.explain import AppraisalLine
    from app.workspace.ranking import PeriodScores
    from scoring.model import Framework, Indicator

    from ..loader import LoadContext
    from ..mainwindow import MainWindow
    from ..worker import Job
    from .resend import ResendDialog

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_COLOUR = {"error": style.ERROR, "warning": style.LATE, "info": style.INFO}


def code_key(code: str) -> tuple[Any, ...]:
    """``1.2`` before ``1.10``; labels of fields ("Số điện thoại") after the codes, in collation order."""
    return tuple((0, int(p), ()) if p.isdigit() else (1, 0, sort_key(p)) for p in code.split("."))


def cents_text(cents: int) -> str:
    """Points as Vietnamese write them: ``30467`` → ``"304,67"`` (``app.numbers``)."""
    from app.numbers import format_decimal_vi

    return format_decimal_vi(cents_to_decimal(cents))


def value_text(value: Any) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


# --- the rows ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueRow:
    unit_code: str
    file: str
    sheet: str
    cell: str
    indicator: str
    severity: str  # error | warning | info
    message: str


def unit_issues(ws: Any, period: str, unit_code: str, framework: Framework | None = None) -> list[IssueRow]:
    """The issues of the unit's counted submission, errors first (the query of ``app.report.data._issues``);
    fields are named by their label in ``framework`` ("Số điện thoại", not ``contact_phone``)."""
    from app.workspace.submissions import open_issues

    def place(name: str | None) -> str:
        return framework.place_label(name) if framework is not None and name else name or ""

    return [IssueRow(i.unit_code, i.file_name, i.sheet, i.cell, place(i.indicator), i.severity, i.message)
            for i in open_issues(ws, period, unit_code=unit_code)]  # fmt: skip


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    self_cents: int
    cents: int  # appraised (effective)
    status: str
    explanation: str
    values: dict[str, Any]  # the figures in force (appraised ones applied)
    not_applicable: str | None  # the "không áp dụng" explanation in force
    appraised: bool  # the office has appraised this indicator

    @property
    def code(self) -> str:
        return self.indicator.code


def indicator_rows(scores: PeriodScores, unit_code: str, appraised: set[str]) -> list[IndicatorRow]:
    from scoring.explain import explain

    assessment = next((a for a in scores.assessments if a.unit_code == unit_code), None)
    if assessment is None:
        return []
    inputs = scores.effective_inputs[unit_code]
    rows: list[IndicatorRow] = []
    for ind in scores.framework.indicators:
        own, eff = assessment.indicator(ind.code)
        values = dict(inputs.values.get(ind.code, {}))
        na = inputs.not_applicable.get(ind.code)
        rows.append(IndicatorRow(ind, own.cents, eff.cents, str(eff.status), explain(ind, eff, values, na), values,
                                 na, ind.code in appraised))  # fmt: skip
    return rows


@dataclass(frozen=True)
class AuditRow:
    at: str
    who: str
    action: str
    details: str


def audit_row(entry: AuditEntry) -> AuditRow:
    """The entry as the CLI's ``audit`` words it (``app.workspace.audit``); the tab shows one period."""
    from app.workspace.audit import action_label, audit_summary

    action = action_label(entry.action)
    details = audit_summary(entry.action, entry.details, with_period=False)
    return AuditRow(day_text(entry.at), entry.who, action, details)


# --- the models -------------------------------------------------------------------------------------


class CheckUnitsModel(ObjectTableModel["UnitStatus"]):
    def make_columns(self) -> Sequence[Column[UnitStatus]]:
        return (
            Column("Mã", lambda s: s.unit_code),
            Column("Tên đơn vị", lambda s: s.unit_name),
            Column("Lỗi", lambda s: str(s.errors), sort=lambda s: s.errors, align_right=True,
                   color=lambda s: "#b00020" if s.errors else None),
            Column("Cảnh báo", lambda s: str(s.warnings), sort=lambda s: s.warnings, align_right=True),
        )  # fmt: skip


class IssuesModel(ObjectTableModel[IssueRow]):
    def make_columns(self) -> Sequence[Column[IssueRow]]:
        return (
            Column("Mức độ", lambda i: severity_label(i.severity),
                   sort=lambda i: SEVERITY_ORDER.get(i.severity, 9), color=lambda i: SEVERITY_COLOUR.get(i.severity)),
            Column("Trang tính", lambda i: i.sheet),
            Column("Ô", lambda i: i.cell),
            Column("Chỉ số / mục", lambda i: i.indicator, sort=lambda i: code_key(i.indicator)),
            Column("Nội dung", lambda i: i.message),
            Column("Tệp", lambda i: i.file),
        )  # fmt: skip


ISSUE_MESSAGE = 4  # IssuesModel's "Nội dung"
ISSUE_FILE = 5


def snug_columns(table: QTableView, columns: Sequence[int]) -> None:
    """Columns of short numbers as wide as their heading's words, not the heading plus room for a sort arrow."""
    header = table.horizontalHeader()
    model = table.model()
    for c in columns:
        text = str(model.headerData(c, Qt.Orientation.Horizontal))
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(c, header.fontMetrics().horizontalAdvance(text) + 18)


class IssuesProxy(VietSortProxy):
    """Sorts like the others and keeps only the chosen severity (None: all)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.severity: str | None = None

    def set_severity(self, severity: str | None) -> None:
        self.severity = severity
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self.severity is not None:
            row = self.sourceModel().index(source_row, 0, source_parent).data(OBJECT_ROLE)
            if row is not None and row.severity != self.severity:
                return False
        return super().filterAcceptsRow(source_row, source_parent)


class IndicatorsModel(ObjectTableModel[IndicatorRow]):
    def make_columns(self) -> Sequence[Column[IndicatorRow]]:
        from scoring.rounding import format_points

        def state(r: IndicatorRow) -> str:
            text = status_label(r.status)
            return f"{text} · đã thẩm định" if r.appraised and r.status != "overridden" else text

        return (
            Column("Chỉ số", lambda r: r.code, sort=lambda r: code_key(r.code)),
            Column("Nội dung", lambda r: r.indicator.title),
            Column("Tối đa", lambda r: format_points(r.indicator.max), sort=lambda r: r.indicator.max, align_right=True),
            Column("Tự chấm", lambda r: cents_text(r.self_cents), sort=lambda r: r.self_cents, align_right=True),
            Column("Thẩm định", lambda r: cents_text(r.cents), sort=lambda r: r.cents, align_right=True,
                   color=lambda r: "#b00020" if r.cents != r.self_cents else None),
            Column("Tình trạng", state, color=lambda r: "#b45f06" if r.appraised else None),
            Column("Giải thích", lambda r: r.explanation),
        )  # fmt: skip


class EvidenceModel(ObjectTableModel["EvidenceFile"]):
    """The evidence documents stored with a unit's submissions (``app.workspace.evidence.list_evidence``)."""

    def make_columns(self) -> Sequence[Column[EvidenceFile]]:
        return [
            Column("Tệp", lambda f: f.name),
            Column("Chỉ số", lambda f: ", ".join(f.indicators) or "—"),
            Column("Loại", lambda f: f.kind.upper()),
            Column("Gửi qua", lambda f: f.source),
            Column(
                "Nhận lúc",
                lambda f: datetime.fromisoformat(f.received_at).strftime("%d/%m/%Y %H:%M"),
                sort=lambda f: f.received_at,
            ),
        ]


class AuditModel(ObjectTableModel[AuditRow]):
    def make_columns(self) -> Sequence[Column[AuditRow]]:
        return (
            Column("Thời điểm", lambda a: a.at, sort=lambda a: a.at[6:10] + a.at[3:5] + a.at[0:2] + a.at[10:]),
            Column("Người thực hiện", lambda a: a.who),
            Column("Việc", lambda a: a.action),
            Column("Chi tiết", lambda a: a.details),
        )


class AppraisalLinesModel(ObjectTableModel["AppraisalLine"]):
    """The unit's appraisals (``app.workspace.explain.appraisal_lines``: every word is the core's)."""

    def make_columns(self) -> Sequence[Column[AppraisalLine]]:
        return (
            Column("Số", lambda a: str(a.id), sort=lambda a: a.id, align_right=True),
            Column("Vòng", lambda a: a.round_label),
            Column("Chỉ số", lambda a: a.indicator, sort=lambda a: code_key(a.indicator)),
            Column("Thay đổi", lambda a: a.change),
            Column("Lý do", lambda a: a.reason),
            Column("Người, lúc", lambda a: f"{a.who}, {day_text(a.at)}", sort=lambda a: a.at),
            Column("Tình trạng", lambda a: a.state, color=lambda a: None if a.withdrawable else "#777777"),
            Column("Giải trình của đơn vị", lambda a: a.explanation),
        )


# --- the appraisal dialog ---------------------------------------------------------------------------


class AppraiseDialog(QDialog):
    """Change one figure, the score, or "không áp dụng" of one indicator; the reason is mandatory."""

    def __init__(self, parent: QWidget | None, unit: str, row: IndicatorRow) -> None:
        super().__init__(parent)
        from scoring.model import InputType
        from scoring.rounding import format_points

        self.row = row
        ind = row.indicator
        self.setWindowTitle(f"Thẩm định chỉ số {ind.code} — {unit}")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{ind.code}. {ind.title}</b><br>Tự chấm: {cents_text(row.self_cents)} — "
                      f"đang tính: {cents_text(row.cents)} / {format_points(ind.max)} điểm<br>"
                      f"<span style='color:#444'>{row.explanation}</span>")  # fmt: skip
        head.setWordWrap(True)
        layout.addWidget(head)
        self.value_radio = QRadioButton("Sửa một số liệu của đơn vị (điểm được tính lại)")
        self.score_radio = QRadioButton("Đặt điểm trực tiếp")
        marked = row.not_applicable is not None
        self.na_radio = QRadioButton("Bỏ “không áp dụng” (tính điểm theo số liệu)" if marked
                                     else "Đánh dấu “không áp dụng” (được điểm tối đa)")  # fmt: skip
        self.na_radio.setVisible(ind.allow_na or marked)
        self.modes = QButtonGroup(self)
        self.stack = QStackedWidget()
        for n, radio in enumerate((self.value_radio, self.score_radio, self.na_radio)):
            self.modes.addButton(radio, n)
            layout.addWidget(radio)
        # figure
        value_page = QWidget()
        form = QFormLayout(value_page)
        self.input_combo = QComboBox()
        for spec in ind.inputs:
            self.input_combo.addItem(f"{spec.name} — {spec.label}", spec.name)
        self.current_value = QLabel()
        self.value_edit = QLineEdit()
        self.value_edit.setPlaceholderText("Giá trị mới, ví dụ 12")
        self.value_choice = QComboBox()
        form.addRow("Số liệu:", self.input_combo)
        form.addRow("Đơn vị ghi:", self.current_value)
        form.addRow("Giá trị mới:", self.value_edit)
        form.addRow("Chọn:", self.value_choice)
        self._types = {spec.name: spec for spec in ind.inputs}
        self._yesno = InputType.YESNO
        self._choice = InputType.CHOICE
        self.input_combo.currentIndexChanged.connect(self._input_chosen)
        # score
        score_page = QWidget()
        form = QFormLayout(score_page)
        self.score_spin = QDoubleSpinBox()
        self.score_spin.setDecimals(2)
        self.score_spin.setRange(0, float(ind.max))
        self.score_spin.setSingleStep(0.25)
        self.score_spin.setValue(row.cents / 100)
        form.addRow(f"Điểm (0 – {format_points(ind.max)}):", self.score_spin)
        # không áp dụng
        na_page = QWidget()
        form = QFormLayout(na_page)
        self.na_edit = QLineEdit()
        self.na_edit.setPlaceholderText("Vì sao chỉ số này không áp dụng với đơn vị")
        if marked:
            note = QLabel(f"Đang “không áp dụng”: {row.not_applicable}")
            note.setWordWrap(True)
            form.addRow(note)
            self.na_edit.setVisible(False)
        else:
            form.addRow("Giải thích:", self.na_edit)
            if ind.na_hint:
                form.addRow(hint(ind.na_hint))
        for w in (value_page, score_page, na_page):
            self.stack.addWidget(w)
        layout.addWidget(self.stack)
        reason_row = QFormLayout()
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("Bắt buộc: vì sao thay đổi (ví dụ: hồ sơ kiểm chứng không khớp)")
        reason_row.addRow("Lý do thẩm định:", self.reason_edit)
        layout.addLayout(reason_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Lưu thẩm định")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Huỷ")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.modes.idToggled.connect(self._mode_changed)
        for signal in (self.reason_edit.textChanged, self.value_edit.textChanged, self.na_edit.textChanged):
            signal.connect(self._update_ok)
        self.score_radio.setChecked(True)
        self._input_chosen()
        self._update_ok()

    def showEvent(self, event: QShowEvent) -> None:
        """The keyboard as in every dialog (``dialogs.base.keyboard``): the chosen kind of change first."""
        from ..dialogs.base import keyboard

        keyboard([self.value_radio, self.score_radio, self.na_radio, self.input_combo, self.value_edit,
                  self.value_choice, self.score_spin, self.na_edit, self.reason_edit], self.buttons, self.ok_button)  # fmt: skip
        super().showEvent(event)

    def accept(self) -> None:
        if self.ok_button.isEnabled():  # Enter without a reason: the dialog stays, with what was typed
            super().accept()

    def _mode_changed(self, mode: int, checked: bool) -> None:
        if checked:
            self.stack.setCurrentIndex(mode)
        self._update_ok()

    def _input_chosen(self) -> None:
        name = self.input_combo.currentData()
        spec = self._types.get(name)
        self.current_value.setText(value_text(self.row.values.get(name)))
        self.value_choice.clear()
        choose = spec is not None and spec.type in (self._yesno, self._choice)
        if spec is not None and spec.type is self._yesno:
            self.value_choice.addItems(["Có", "Không"])
        elif spec is not None:
            self.value_choice.addItems([o.label for o in spec.options])
        self.value_choice.setEnabled(choose)
        self.value_edit.setEnabled(not choose)
        self._update_ok()

    def _update_ok(self) -> None:
        mode = self.modes.checkedId()
        ok = bool(self.reason_edit.text().strip())
        if mode == 0 and self.value_edit.isEnabled():
            ok = ok and bool(self.value_edit.text().strip())
        if mode == 2 and self.row.not_applicable is None:
            ok = ok and bool(self.na_edit.text().strip())
        self.ok_button.setEnabled(ok)

    def request(self) -> dict[str, Any]:
        """The keyword arguments of ``app.workspace.appraise`` this dialog asks for (reason included)."""
        mode = self.modes.checkedId()
        out: dict[str, Any] = {"reason": self.reason_edit.text().strip()}
        if mode == 1:
            out["score"] = Decimal(str(round(self.score_spin.value(), 2)))
        elif mode == 2:
            out["not_applicable"] = None if self.row.not_applicable is not None else self.na_edit.text().strip()
        else:
            name = self.input_combo.currentData()
            out["input"] = name
            out["value"] = (self.value_choice.currentText() if self.value_choice.isEnabled()
                            else parse_value(self.value_edit.text()))  # fmt: skip
        return out


def parse_value(text: str) -> Any:
    """What the appraiser typed: a whole number, a decimal (comma or point) or else the text."""
    text = text.strip()
    compact = text.replace(" ", "").replace(",", ".")
    if compact.endswith("%"):
        try:
            return Decimal(compact[:-1]) / 100
        except ArithmeticError:
            return text
    try:
        number = Decimal(compact)
    except ArithmeticError:
        return text
    return int(number) if number == number.to_integral_value() and "." not in compact else number


# --- loading a unit (on the loader's thread) ------------------------------------------------------


@dataclass(frozen=True)
class UnitDetail:
    unit: str
    issues: list[IssueRow]
    indicators: list[IndicatorRow]
    lines: list[AppraisalLine]
    evidence: list[EvidenceFile]
    roots: Path
    roots_filled: bool
    #: indicator → its version when this was read (issue 22, ``app.workspace.versions``): read first, so a
    #: change made meanwhile is one the page has not shown, and the save is refused
    versions: dict[str, int]


def _load_unit(unit: str, ctx: LoadContext) -> UnitDetail | None:
    from app.workspace.evidence import ROOTS_FOLDER, list_evidence
    from app.workspace.explain import appraisal_lines
    from app.workspace.submissions import appraised_indicators
    from app.workspace.versions import indicator_versions

    if ctx.period is None:
        return None
    versions = indicator_versions(ctx.ws, ctx.period, unit)
    scores = ctx.scores()
    issues = unit_issues(ctx.ws, ctx.period, unit, scores.framework if scores is not None else None)
    appraised = appraised_indicators(ctx.ws, ctx.period).get(unit, set())
    rows = indicator_rows(scores, unit, appraised) if scores is not None else []
    roots = ctx.ws.folder / ROOTS_FOLDER
    return UnitDetail(unit, issues, rows, appraisal_lines(ctx.ws, ctx.period, unit),
                      list_evidence(ctx.ws, ctx.period, unit), roots, roots.is_dir() and any(roots.iterdir()),
                      versions)  # fmt: skip


# --- the page ---------------------------------------------------------------------------------------


class CheckPage(Page):
    key = "check"
    title = "Kiểm tra & thẩm định"
    explanation = ("Chọn một đơn vị để xem từng lỗi (trang tính, ô), gửi lại tệp phản hồi cho đơn vị sửa, và thẩm "
                   "định: sửa số liệu hoặc điểm kèm lý do. Điểm tự chấm của đơn vị luôn được giữ nguyên bên cạnh.")  # fmt: skip

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.scores: PeriodScores | None = None
        self.dialog: AppraiseDialog | None = None
        self.resend_dialog: ResendDialog | None = None
        self.job: Job | None = None
        self.last_feedback: Path | None = None
        splitter = QSplitter()
        # left: the units
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel("<b>Đơn vị đã nộp</b>"))
        self.unit_search = QLineEdit()
        self.unit_search.setPlaceholderText("Tìm đơn vị…")
        self.unit_search.setClearButtonEnabled(True)
        lv.addWidget(self.unit_search)
        self.units_model = CheckUnitsModel(self)
        self.units_proxy = VietSortProxy(self)
        self.units_proxy.setSourceModel(self.units_model)
        self.unit_search.textChanged.connect(self.units_proxy.set_search)
        self.units_table = make_table()
        self.units_table.setModel(self.units_proxy)
        self.units_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.units_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        snug_columns(self.units_table, (2, 3))
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        wrap_rows(self.units_table)
        self.units_table.selectionModel().currentRowChanged.connect(lambda *_: self.load_unit())
        on_enter(self.units_table, self.focus_unit)  # Enter on a unit: its issues, or the tab on show
        lv.addWidget(self.units_table, 1)
        splitter.addWidget(left)
        # right: the selected unit
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.unit_label = QLabel()
        self.unit_label.setObjectName("summary")
        self.unit_label.setWordWrap(True)
        rv.addWidget(self.unit_label)
        top = QHBoxLayout()
        self.feedback_button = QPushButton("Ghi tệp phản hồi cho đơn vị")
        self.feedback_button.setToolTip("Biểu mẫu mới của đơn vị, điền sẵn số liệu đơn vị đã gửi, tô màu các ô "
                                        "cần sửa kèm ghi chú, và một trang liệt kê việc cần sửa. Tệp được lưu vào "
                                        "thư mục “feedback” của kỳ; thư mục đó tự mở ra để gửi cho đơn vị.")  # fmt: skip
        self.feedback_button.clicked.connect(self.write_feedback)
        self.feedback_button.setMinimumWidth(self.feedback_button.sizeHint().width() + 24)
        top.addWidget(self.feedback_button)
        self.original_button = QPushButton("Mở tệp gốc")
        self.original_button.setToolTip("Mở tệp đơn vị đã gửi (bản được tính), đúng như khi nhận. Tệp nằm trong thư "
                                        "mục “received/<kỳ>/<mã> - <tên đơn vị>” của thư mục làm việc.")  # fmt: skip
        self.original_button.clicked.connect(self.open_original)
        top.addWidget(self.original_button)
        self.mail_button = QPushButton("Soạn thư")
        self.mail_button.setToolTip("Thư nháp (.eml) cho mỗi đơn vị có tệp cần sửa, kèm tệp phản hồi; mở bằng "
                                    "Outlook hoặc Thunderbird rồi bấm Gửi.")  # fmt: skip
        self.mail_button.clicked.connect(self.compose)
        top.addWidget(self.mail_button)
        top.addStretch(1)  # where the file goes is in the tooltip and, once written, in the line below
        rv.addLayout(top)
        self.feedback_label = hint("")
        self.feedback_label.setVisible(False)
        rv.addWidget(self.feedback_label)
        self.tabs = QTabWidget()
        rv.addWidget(self.tabs, 1)
        # tab: issues
        issues_tab = QWidget()
        iv = QVBoxLayout(issues_tab)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Mức độ:"))
        self.severity_combo = QComboBox()
        for text, value in (("Tất cả", None), ("Lỗi", "error"), ("Cảnh báo", "warning"), ("Thông tin", "info")):
            self.severity_combo.addItem(text, value)
        filters.addWidget(self.severity_combo)
        self.issue_search = QLineEdit()
        self.issue_search.setPlaceholderText("Tìm trong nội dung, ô, chỉ số…")
        self.issue_search.setClearButtonEnabled(True)
        filters.addWidget(self.issue_search, 1)
        iv.addLayout(filters)
        self.issues_model = IssuesModel(self)
        self.issues_proxy = IssuesProxy(self)
        self.issues_proxy.setSourceModel(self.issues_model)
        self.severity_combo.currentIndexChanged.connect(
            lambda _i: self.issues_proxy.set_severity(self.severity_combo.currentData())
        )
        self.issue_search.textChanged.connect(self.issues_proxy.set_search)
        self.issues_table = make_table()
        self.issues_table.setModel(self.issues_proxy)
        h = self.issues_table.horizontalHeader()
        h.setStretchLastSection(False)
        for c in (0, 1, 2):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.issues_table.setColumnWidth(3, 150)  # a field's label ("Số điện thoại") wraps rather than widen
        h.setSectionResizeMode(ISSUE_MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.issues_table.setColumnHidden(ISSUE_FILE, True)  # one file per unit: named in the line above
        wrap_rows(self.issues_table)
        iv.addWidget(self.issues_table, 1)
        self.issues_empty = hint("")
        iv.addWidget(self.issues_empty)
        self.tabs.addTab(issues_tab, "Lỗi và cảnh báo")
        # tab: scores
        scores_tab = QWidget()
        sv = QVBoxLayout(scores_tab)
        row = QHBoxLayout()
        self.appraise_button = QPushButton("Thẩm định…")
        self.appraise_button.setToolTip("Sửa số liệu, điểm hoặc “không áp dụng” của chỉ số đang chọn, kèm lý do.")
        self.appraise_button.clicked.connect(self.open_appraisal)
        self.appraise_button.setMinimumWidth(self.appraise_button.sizeHint().width() + 16)
        self.totals_label = QLabel()
        self.totals_label.setWordWrap(True)  # a narrow window: the totals wrap rather than squeeze the units
        row.addWidget(self.totals_label, 1)
        row.addWidget(self.appraise_button)
        sv.addLayout(row)
        self.indicators_model = IndicatorsModel(self)
        self.indicators_proxy = VietSortProxy(self)
        self.indicators_proxy.setSourceModel(self.indicators_model)
        self.indicators_table = make_table()
        self.indicators_table.setModel(self.indicators_proxy)
        self.indicators_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.indicators_table.doubleClicked.connect(lambda _i: self.open_appraisal())
        on_enter(self.indicators_table, self.open_appraisal)
        h = self.indicators_table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        snug_columns(self.indicators_table, (2, 3, 4))
        self.indicators_table.setColumnWidth(1, 160)  # the title and the state wrap, the explanation gets the rest
        self.indicators_table.setColumnWidth(5, 100)
        h.setStretchLastSection(False)
        h.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)  # "Giải thích" takes what is left, wrapped
        wrap_rows(self.indicators_table)
        sv.addWidget(self.indicators_table, 1)
        self.tabs.addTab(scores_tab, "Điểm và thẩm định")
        # tab: evidence documents sent with the workbook
        evidence_tab = QWidget()
        ev = QVBoxLayout(evidence_tab)
        self.evidence_hint = hint("")
        ev.addWidget(self.evidence_hint)
        self.evidence_model = EvidenceModel(self)
        self.evidence_proxy = VietSortProxy(self)
        self.evidence_proxy.setSourceModel(self.evidence_model)
        self.evidence_table = make_table()
        self.evidence_table.setModel(self.evidence_proxy)
        self.evidence_table.doubleClicked.connect(lambda _i: self.open_evidence())
        on_enter(self.evidence_table, self.open_evidence)
        h = self.evidence_table.horizontalHeader()
        for c in (1, 2, 3, 4):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        ev.addWidget(self.evidence_table, 1)
        self.open_evidence_button = QPushButton("Mở tài liệu")
        self.open_evidence_button.clicked.connect(self.open_evidence)
        ev.addWidget(self.open_evidence_button, 0, Qt.AlignmentFlag.AlignRight)
        self.tabs.addTab(evidence_tab, "Tài liệu kiểm chứng")
        # tab: the unit's appraisals, with its explanations (issue 20): withdraw, accept or reject
        lines_tab = QWidget()
        lv2 = QVBoxLayout(lines_tab)
        buttons = QHBoxLayout()
        self.withdraw_button = QPushButton("Rút lại thẩm định…")
        self.withdraw_button.setToolTip("Bỏ lần thẩm định đang chọn (kèm lý do, ghi nhật ký): số liệu trước lần đó "
                                        "được tính lại.")  # fmt: skip
        self.withdraw_button.clicked.connect(self.ask_withdraw)
        self.accept_button = QPushButton("Chấp nhận giải trình…")
        self.accept_button.clicked.connect(lambda: self.ask_decide(True))
        self.reject_button = QPushButton("Không chấp nhận…")
        self.reject_button.clicked.connect(lambda: self.ask_decide(False))
        for b in (self.withdraw_button, self.accept_button, self.reject_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lv2.addLayout(buttons)
        self.lines_model = AppraisalLinesModel(self)
        self.lines_proxy = VietSortProxy(self)
        self.lines_proxy.setSourceModel(self.lines_model)
        self.lines_table = make_table()
        self.lines_table.setModel(self.lines_proxy)
        self.lines_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        h = self.lines_table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for c, width in ((1, 70), (2, 52), (3, 85), (4, 115), (5, 85), (6, 80)):  # wrapped; the explanation: the rest
            self.lines_table.setColumnWidth(c, width)
        h.setStretchLastSection(True)
        wrap_rows(self.lines_table)
        self.lines_table.selectionModel().currentRowChanged.connect(lambda *_: self._line_chosen())
        lv2.addWidget(self.lines_table, 1)
        # tab: audit log
        audit_tab = QWidget()
        av = QVBoxLayout(audit_tab)
        av.addWidget(hint("Mọi việc đã làm trong kỳ này, cũ nhất trước: ai, lúc nào, làm gì, vì sao."))
        self.audit_model = AuditModel(self)
        self.audit_proxy = VietSortProxy(self)
        self.audit_proxy.setSourceModel(self.audit_model)
        self.audit_table = make_table()
        self.audit_table.setModel(self.audit_proxy)
        self.audit_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        h = self.audit_table.horizontalHeader()
        for c in (0, 1, 2):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        wrap_rows(self.audit_table)
        av.addWidget(self.audit_table, 1)
        self.tabs.addTab(audit_tab, "Nhật ký")
        self.tabs.addTab(lines_tab, "Các lần thẩm định")  # last: the tabs before it keep their places
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 730])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        saved = window.settings.splitter_state(self.key)
        if saved is not None:
            splitter.restoreState(saved)
        splitter.splitterMoved.connect(lambda *_: window.settings.set_splitter_state(
            self.key, bytes(splitter.saveState().data())))  # fmt: skip
        self.body.addWidget(splitter, 1)
        self.empty = hint("")
        self.body.addWidget(self.empty)
        self._wanted: str | None = None  # a unit another page asked to show (``open_unit``)
        # reading order: the units on the left, then the unit's buttons, its tabs and what they hold
        tab_order(self.unit_search, self.units_table, self.feedback_button, self.original_button, self.mail_button,
                  self.tabs, self.severity_combo, self.issue_search, self.issues_table, self.appraise_button,
                  self.indicators_table, self.evidence_table, self.open_evidence_button, self.audit_table,
                  self.withdraw_button, self.accept_button, self.reject_button, self.lines_table)  # fmt: skip

    # --- the keyboard -------------------------------------------------------------------------------

    def focus_unit(self) -> None:
        """Enter on a unit of the list: into the tab on show (its issues first), at its first row."""
        tab = self.tabs.currentIndex()
        table = {0: self.issues_table, 1: self.indicators_table, 2: self.evidence_table,
                 3: self.audit_table, 4: self.lines_table}.get(tab, self.issues_table)  # fmt: skip
        if not table.currentIndex().isValid() and table.model().rowCount():
            table.setCurrentIndex(table.model().index(0, 0))
        table.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_unit(self, unit_code: str, tab: int = 0) -> bool:
        """Another page's Enter on a unit: show its issues (or ``tab``) here, the keyboard in them. False when the
        unit is not in the list (no counted file)."""
        self.tabs.setCurrentIndex(tab)
        self._wanted = unit_code
        if self.units_model.items and self.select_unit(unit_code):  # already read: at once
            self._wanted = None
            self.focus_unit()
            return True
        return False  # chosen when the page's answer arrives (``present``)

    # --- reading ------------------------------------------------------------------------------------

    # --- narrow windows (1366×768 at 150 %: the page is ~680 px wide) -------------------------------

    #: below this width (device-independent pixels) the tables drop what is said elsewhere
    NARROW = 900

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_width()

    def fit_width(self) -> None:
        """In a narrow page the units list keeps code and name (the counts are in the line above the
        unit's tabs) and the issues drop the sheet column (one sheet per figure, named in the message),
        so names and messages keep room to be read whole."""
        narrow = self.width() < self.NARROW
        if narrow == getattr(self, "_narrow", None):
            return
        self._narrow = narrow
        for column in (2, 3):
            self.units_table.setColumnHidden(column, narrow)
        self.units_table.setMinimumWidth(200 if narrow else 0)
        self.indicators_table.setColumnHidden(2, narrow)  # the maximum: in the explanation beside it
        self.issues_table.setColumnHidden(1, narrow)
        self.issues_table.setColumnWidth(3, 100 if narrow else 150)

    def selected_unit(self) -> str | None:
        index = self.units_table.currentIndex()
        if not index.isValid():
            return None
        status = index.data(OBJECT_ROLE)
        return None if status is None else str(status.unit_code)

    def select_unit(self, unit_code: str) -> bool:
        return select_unit_row(self.units_table, unit_code)

    def load(self, ctx: LoadContext) -> Any:
        from app.workspace import audit_log, status

        if ctx.period is None:
            return None
        rows = [s for s in status(ctx.ws, ctx.period) if s.state == "received" and s.submission_id]
        audit = [audit_row(e) for e in audit_log(ctx.ws, ctx.period)]
        return (prepare(self.units_model.columns, rows), ctx.scores() if rows else None,
                prepare(self.audit_model.columns, audit))  # fmt: skip

    def present(self, data: Any) -> None:
        w = self.window_
        wanted, self._wanted = self._wanted, None
        keep = wanted or self.selected_unit()
        prepared: Prepared[UnitStatus] | list[UnitStatus]
        audit: Prepared[AuditRow] | list[AuditRow]
        prepared, self.scores, audit = data if data is not None else ([], None, [])
        self.audit_model.set_items(audit)
        self.units_model.set_items(prepared)
        rows = self.units_model.items
        if w.ws is None:
            self.empty.setText("Hãy mở thư mục làm việc trước.")
        elif w.period is None:
            self.empty.setText("Hãy thêm kỳ báo cáo (bước 2) trước.")
        elif not rows:
            self.empty.setText("Chưa có đơn vị nào nộp tệp được tính trong kỳ này — hãy nhận tệp ở bước 4. Tiếp nhận.")
        else:
            self.empty.setText("")
        self.empty.setVisible(bool(self.empty.text()))
        if not (keep and self.select_unit(keep)) and rows:
            self.units_table.selectRow(0)
            self.units_table.setCurrentIndex(self.units_proxy.index(0, 0))
        self.load_unit()
        if wanted and self.selected_unit() == wanted:
            self.focus_unit()

    def load_unit(self) -> None:
        """Show the selected unit: at once what the table row knows, the rest when the loader answers."""
        w = self.window_
        unit = self.selected_unit()
        has = unit is not None and w.ws is not None and w.period is not None
        self.feedback_button.setEnabled(has and not w.busy())
        self.original_button.setEnabled(has)
        self.appraise_button.setEnabled(has)
        self.shown_versions: dict[str, int] = {}  # indicator → the version shown (issue 22: versions.py)
        if not has or w.ws is None or w.period is None or unit is None:
            w.loader.request("check-unit", lambda ctx: None, lambda _d: None, lambda _e: None)  # drops one in flight
            self.unit_label.setText("Chưa chọn đơn vị.")
            self.issues_model.set_items([])
            self.indicators_model.set_items([])
            self.lines_model.set_items([])
            self._line_chosen()
            self.totals_label.setText("")
            self.issues_empty.setText("")
            self.evidence_model.set_items([])
            return
        status = self.units_table.currentIndex().data(OBJECT_ROLE)
        self.unit_label.setText(f"{unit} — {status.unit_name}: {status.errors} lỗi, {status.warnings} cảnh báo "
                                f"(tệp {status.file})")  # fmt: skip
        w.loader.request("check-unit", partial(_load_unit, unit), self._unit_loaded,
                         lambda exc: errors.report_exception(self, exc, "Không hiển thị được dữ liệu"))  # fmt: skip

    def _unit_loaded(self, data: UnitDetail | None) -> None:
        if data is None or data.unit != self.selected_unit():
            return
        issues = data.issues
        self.issues_model.set_items(issues)
        self.issues_empty.setText("" if issues else "Tệp của đơn vị này không có lỗi hay cảnh báo nào.")
        self.issues_empty.setVisible(not issues)
        self.show_evidence(data.evidence, data.roots, data.roots_filled)
        self.lines_model.set_items(data.lines)
        self.shown_versions = data.versions  # what a change made on this screen was based on
        self._line_chosen()
        self.indicators_model.set_items(data.indicators)
        unit = data.unit
        ranked = next((r for r in self.scores.ranked if r.unit_code == unit), None) if self.scores else None
        if ranked is not None:
            self.totals_label.setText(f"Tổng điểm tự chấm: <b>{cents_text(ranked.self_cents)}</b> — vòng 1: "
                                      f"<b>{cents_text(ranked.round1_cents)}</b> — chung cuộc: "
                                      f"<b>{cents_text(ranked.appraised_cents)}</b> (hạng {ranked.rank})")  # fmt: skip
        else:
            self.totals_label.setText("")

    def show_evidence(self, files: list[EvidenceFile], roots: Path, roots_filled: bool) -> None:
        self.evidence_model.set_items(files)
        self.open_evidence_button.setEnabled(bool(files))
        trust = (f"Chữ ký số được xác minh theo chứng thư gốc trong {roots}." if roots_filled
                 else f"Để xác minh chứng thư của chữ ký số, hãy đặt chứng thư gốc (.cer, .crt, .pem) vào {roots}.")  # fmt: skip
        self.evidence_hint.setText((f"{len(files)} tài liệu đơn vị gửi kèm; kết quả đối chiếu nằm ở thẻ “Lỗi và cảnh "
                                    "báo”. Bấm đúp để mở. " if files else "Đơn vị chưa gửi kèm tài liệu kiểm chứng "
                                    "nào (PDF hoặc Word). ") + trust)  # fmt: skip

    def open_evidence(self) -> None:
        """Open the selected stored document in its own program (the stored copy is read-only)."""
        index = self.evidence_table.currentIndex()
        if not index.isValid():
            index = self.evidence_proxy.index(0, 0)
        doc = index.data(OBJECT_ROLE) if index.isValid() else None
        if doc is not None:
            self.open_document(doc.path)

    def open_document(self, path: Path) -> None:
        """Open a stored document in the system's program for it (tests replace this)."""
        self.window_.open_in_system(path)

    def selected_indicator(self) -> IndicatorRow | None:
        index = self.indicators_table.currentIndex()
        row = index.data(OBJECT_ROLE) if index.isValid() else None
        return row if isinstance(row, IndicatorRow) else None

    def select_indicator(self, code: str) -> bool:
        for r in range(self.indicators_proxy.rowCount()):
            index = self.indicators_proxy.index(r, 0)
            if index.data(OBJECT_ROLE).code == code:
                self.indicators_table.setCurrentIndex(index)
                return True
        return False

    # --- appraisal ----------------------------------------------------------------------------------

    def open_appraisal(self) -> AppraiseDialog | None:
        """Open the dialog for the selected indicator (window-modal, not blocking: tests drive it)."""
        unit, row = self.selected_unit(), self.selected_indicator()
        if unit is None or row is None:
            errors.show_error(self, "Chưa chọn chỉ số", "Hãy chọn một đơn vị và một chỉ số trong bảng điểm.",
                              "Bấm vào dòng của chỉ số cần thẩm định rồi bấm “Thẩm định…”.")  # fmt: skip
            return None
        self.dialog = AppraiseDialog(self, unit, row)
        self.dialog.accepted.connect(lambda d=self.dialog, u=unit: self.save_appraisal(u, d.row.code, d.request()))
        self.dialog.open()
        return self.dialog

    def save_appraisal(self, unit: str, indicator: str, request: dict[str, Any]) -> bool:
        w = self.window_
        if w.ws is None or w.period is None:
            return False
        from app.workspace import appraise
        from app.workspace.versions import AppraisalConflict

        try:
            appraise(w.ws, w.period, unit, indicator, **request,
                     expected_version=self.shown_versions.get(indicator, 0))  # fmt: skip
        except AppraisalConflict as exc:  # someone else changed it since it was shown: say so, then show theirs
            errors.report_exception(self, exc, "Người khác vừa sửa chỉ tiêu này")
            w.data_changed.emit()
            self.select_indicator(indicator)
            return False
        except Exception as exc:
            errors.report_exception(self, exc, "Không lưu được thẩm định")
            return False
        tab = self.tabs.currentIndex()
        w.data_changed.emit()
        self.tabs.setCurrentIndex(tab)
        self.select_indicator(indicator)
        return True

    def selected_line(self) -> AppraisalLine | None:
        index = self.lines_table.currentIndex()
        return index.data(OBJECT_ROLE) if index.isValid() else None

    def select_line(self, appraisal_id: int) -> bool:
        for r in range(self.lines_proxy.rowCount()):
            index = self.lines_proxy.index(r, 0)
            if index.data(OBJECT_ROLE).id == appraisal_id:
                self.lines_table.setCurrentIndex(index)
                return True
        return False

    def _line_chosen(self) -> None:
        line = self.selected_line()
        state = self.window_.period_state()
        self.withdraw_button.setEnabled(line is not None and line.withdrawable)
        deciding = line is not None and line.explained and state is not None and state.state == "round-2"
        self.accept_button.setEnabled(deciding)
        self.reject_button.setEnabled(deciding)

    def ask_withdraw(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        from ..dialogs.intake import ReasonDialog

        dialog = ReasonDialog(self, "Rút lại thẩm định", "Rút lại thẩm định",
                              f"Rút lại lần thẩm định số {line.id} (chỉ số {line.indicator}): số liệu trước lần đó "
                              "được tính lại.", placeholder="ví dụ: thẩm định nhầm chỉ số")  # fmt: skip
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.withdraw_appraisal(line.id, dialog.reason())

    def withdraw_appraisal(self, appraisal_id: int, reason: str) -> bool:
        w = self.window_
        if w.ws is None:
            return False
        from app.workspace.appraise import withdraw

        try:
            withdraw(w.ws, appraisal_id, reason=reason)
        except Exception as exc:
            errors.report_exception(self, exc, "Không rút lại được thẩm định")
            return False
        tab = self.tabs.currentIndex()
        w.data_changed.emit()
        self.tabs.setCurrentIndex(tab)
        self.select_line(appraisal_id)
        return True

    def ask_decide(self, accept: bool) -> None:
        line, unit = self.selected_line(), self.selected_unit()
        if line is None or unit is None:
            return
        from ..dialogs.intake import ReasonDialog

        verdict = "Chấp nhận" if accept else "Không chấp nhận"
        dialog = ReasonDialog(self, "Xét giải trình", verdict,
                              f"{verdict} giải trình của đơn vị {unit} về chỉ số {line.indicator}.",
                              placeholder="ví dụ: hồ sơ bổ sung khớp với số liệu")  # fmt: skip
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.decide_explanation(unit, line.indicator, accept, dialog.reason())

    def decide_explanation(self, unit: str, indicator: str, accept: bool, reason: str) -> bool:
        w = self.window_
        if w.ws is None or w.period is None:
            return False
        from app.workspace.explain import decide

        try:
            decide(w.ws, w.period, unit, indicator, accept=accept, reason=reason)
        except Exception as exc:
            errors.report_exception(self, exc, "Không ghi được kết quả xét giải trình")
            return False
        tab = self.tabs.currentIndex()
        w.data_changed.emit()
        self.tabs.setCurrentIndex(tab)
        return True

    # --- feedback -----------------------------------------------------------------------------------

    def compose(self) -> Any:
        """Feedback drafts for every unit with problems, written in the worker; opens their folder."""
        w = self.window_
        if w.ws is None or w.period is None:
            return None

        def done(result: Any) -> None:
            self.feedback_label.setText("\n".join(result.messages()))
            self.feedback_label.setVisible(True)
            w.open_in_system(result.folder)

        job = partial(jobs.write_mail_drafts, w.ws.folder, w.period, "feedback")
        return w.run_job(job, "soạn thư", on_success=done,
                         on_failure=lambda exc: errors.report_exception(self, exc, "Không soạn được thư"),
                         process=True)  # fmt: skip

    def write_feedback(self) -> ResendDialog | None:
        """Ask for the date the unit must send its corrected file back by, then write the workbook."""
        unit = self.selected_unit()
        if self.window_.ws is None or self.window_.period is None or unit is None:
            return None
        from .resend import ResendDialog

        self.resend_dialog = dialog = ResendDialog(self, unit)
        dialog.accepted.connect(lambda: self.start_feedback(unit, dialog.resend_by()))
        dialog.open()
        return dialog

    def start_feedback(self, unit: str, resend_by: date) -> Job | None:
        w = self.window_
        if w.ws is None or w.period is None:
            return None
        folder, period = w.ws.folder, w.period

        job = partial(jobs.write_feedback, folder, period, unit, resend_by=resend_by)
        started = w.run_job(job, "ghi tệp phản hồi", on_success=self._feedback_written,
                            on_failure=lambda exc: errors.report_exception(self, exc, "Không ghi được tệp phản hồi"),
                            process=True)  # fmt: skip
        if started is not None:
            self.job = started
            self.feedback_button.setEnabled(False)
            self.feedback_label.setText(f"Đang ghi tệp phản hồi cho {unit}…")
            self.feedback_label.setVisible(True)
        return started

    def _feedback_written(self, path: Path) -> None:
        self.last_feedback = path
        self.feedback_label.setText(f"Đã ghi tệp phản hồi: {path}. Hãy gửi tệp này cho đơn vị qua thư điện tử.")
        self.feedback_label.setVisible(True)
        self.open_folder(path.parent)

    # --- the original ---------------------------------------------------------------------------------

    def open_original(self) -> Path | None:
        """Open the selected unit's counted file, as received, with its program (Excel, LibreOffice)."""
        w = self.window_
        index = self.units_table.currentIndex()
        status = index.data(OBJECT_ROLE) if index.isValid() else None
        if w.ws is None or status is None or not status.submission_id:
            return None
        from app.workspace.originals import original_path
        from app.workspace.store import WorkspaceError

        try:
            path = original_path(w.ws, status.submission_id)
        except WorkspaceError as exc:
            errors.show_error(self, "Không mở được tệp gốc", str(exc))
            return None
        self.open_file(path)
        return path

    def open_file(self, path: Path) -> None:
        """Open a file with the program the system uses for it (tests replace this)."""
        self.window_.open_in_system(path)

    def open_folder(self, folder: Path) -> None:
        """Show the folder in Explorer (tests replace this)."""
        self.window_.open_in_system(folder)


__all__ = ["AppraiseDialog", "CheckPage", "IndicatorRow", "IssueRow"]
