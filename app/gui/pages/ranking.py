"""Bước 6 — Xếp hạng: the period's ranking (appraised and self-assessed totals side by side, pillar
scores), how each score of the selected unit was reached, and a bar chart of the totals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..chart import BarChart
from ..models import Column, ObjectTableModel, VietSortProxy, prepare
from .base import Page, current_object, hint, make_table, on_enter, select_unit_row, tab_order
from .check import cents_text

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from app.workspace import RankedUnit
    from app.workspace.ranking import PeriodScores
    from scoring.model import Group

    from ..loader import LoadContext
    from ..mainwindow import MainWindow


class RankingModel(ObjectTableModel["RankedUnit"]):
    def __init__(self, parent: QWidget | None = None) -> None:
        self.groups: tuple[Group, ...] = ()
        super().__init__(parent)

    def set_groups(self, groups: Sequence[Group]) -> None:
        if tuple(groups) != self.groups:
            self.beginResetModel()
            self.groups = tuple(groups)
            self.columns = self.make_columns()
            self._rows = prepare(self.columns, [])
            self.endResetModel()

    def make_columns(self) -> Sequence[Column[RankedUnit]]:
        return self.columns_for(self.groups)

    @classmethod
    def columns_for(cls, groups: Sequence[Group]) -> Sequence[Column[RankedUnit]]:
        columns: list[Column[RankedUnit]] = [
            Column("Hạng", lambda u: str(u.rank), sort=lambda u: u.rank, align_right=True),
            Column("Mã", lambda u: u.unit_code),
            Column("Tên đơn vị", lambda u: u.unit_name),
            Column("Tổng (thẩm định)", lambda u: cents_text(u.appraised_cents), sort=lambda u: u.appraised_cents,
                   align_right=True, color=lambda u: "#b00020" if u.appraised_cents != u.self_cents else None),
            Column("Tổng tự chấm", lambda u: cents_text(u.self_cents), sort=lambda u: u.self_cents, align_right=True),
            Column("Hạng tự chấm", lambda u: str(u.self_rank), sort=lambda u: u.self_rank, align_right=True),
            Column("Tổng vòng 1", lambda u: cents_text(u.round1_cents), sort=lambda u: u.round1_cents,
                   align_right=True),
        ]  # fmt: skip
        for g in groups:
            columns.append(cls._group_column(g))
        return columns

    @staticmethod
    def _group_column(g: Group) -> Column[RankedUnit]:
        code = g.code

        def cents(u: RankedUnit) -> int:
            return u.group_cents.get(code, 0)

        return Column(f"{g.code}. {g.title}", lambda u: cents_text(cents(u)), sort=cents, align_right=True)


class RankingPage(Page):
    key = "ranking"
    title = "Xếp hạng"
    explanation = ("Xếp theo tổng điểm sau thẩm định (nếu chưa thẩm định thì bằng điểm tự chấm); bằng điểm thì "
                   "xếp theo tên. Chọn một đơn vị để xem từng điểm được tính thế nào. Bấm tiêu đề cột để sắp xếp.")  # fmt: skip

    #: the table shows at least this many units: at 150 % scaling the explanation and the chart below
    #: left it three; a short window scrolls the page instead (as Lịch sử điểm does)
    ROWS = 6

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.scroll_below_title()
        self.scores: PeriodScores | None = None
        self.appraised: dict[str, set[str]] = {}
        self.preview_dialog: QPrintPreviewDialog | None = None
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm đơn vị…")
        self.search.setClearButtonEnabled(True)
        row.addWidget(self.search, 1)
        self.print_ranking_button = QPushButton("In bảng xếp hạng…")
        self.print_ranking_button.setToolTip("Xem trước rồi in bảng xếp hạng của kỳ (khổ A4 ngang).")
        self.print_ranking_button.clicked.connect(self.print_ranking)
        self.print_card_button = QPushButton("In phiếu điểm…")
        self.print_card_button.setToolTip("Xem trước rồi in phiếu điểm của đơn vị đang chọn: tổng điểm, hạng, điểm "
                                          "từng chỉ số tự chấm và thẩm định.")  # fmt: skip
        self.print_card_button.clicked.connect(self.print_scorecard)
        row.addWidget(self.print_ranking_button)
        row.addWidget(self.print_card_button)
        self.body.addLayout(row)
        self.model = RankingModel(self)
        self.proxy = VietSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self.proxy.set_search)
        self.table = make_table()
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_unit())
        on_enter(self.table, self.show_in_check)  # Enter on a unit: its scores on the Kiểm tra page
        scrollbar = self.table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + scrollbar
                                    + self.ROWS * self.table.verticalHeader().defaultSectionSize()
                                    + 2 * self.table.frameWidth())  # fmt: skip
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        bottom = QSplitter()
        explain_box = QWidget()
        ev = QVBoxLayout(explain_box)
        ev.setContentsMargins(0, 4, 0, 0)
        self.explain_title = QLabel()
        self.explain_title.setObjectName("summary")
        self.explain_title.setWordWrap(True)
        ev.addWidget(self.explain_title)
        self.explanations = QPlainTextEdit()
        self.explanations.setReadOnly(True)
        self.explanations.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.explanations.setTabChangesFocus(True)  # Tab goes on to the next control, it types nothing here
        ev.addWidget(self.explanations, 1)
        bottom.addWidget(explain_box)
        self.chart = BarChart()
        scroll = QScrollArea()
        scroll.setWidget(self.chart)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bottom.addWidget(scroll)
        bottom.setSizes([480, 460])
        bottom.setChildrenCollapsible(False)
        splitter.addWidget(bottom)
        splitter.setSizes([400, 200])  # the ranking first: 2/3 of the height when the window is tall
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.body.addWidget(splitter, 1)
        self.empty = hint("")
        self.body.addWidget(self.empty)
        tab_order(self.search, self.print_ranking_button, self.print_card_button, self.table, self.explanations, scroll)

    def show_in_check(self) -> bool:
        """Enter on a unit: how it was scored and appraised, on the Kiểm tra & thẩm định page."""
        from .check import CheckPage

        row = self.selected()
        if row is None:
            return False
        check = self.window_.go_to("check")
        assert isinstance(check, CheckPage)
        return check.open_unit(row.unit_code, tab=1)

    def selected(self) -> RankedUnit | None:
        row: RankedUnit | None = current_object(self.table)
        return row

    def select_unit(self, unit_code: str) -> bool:
        return select_unit_row(self.table, unit_code)

    def load(self, ctx: LoadContext) -> Any:
        from app.workspace.submissions import appraised_indicators

        if ctx.period is None:
            return None
        scores = ctx.scores()
        if scores is None:
            return None, {}, []
        rows = prepare(RankingModel.columns_for(scores.framework.groups), scores.ranked)
        return scores, appraised_indicators(ctx.ws, ctx.period), rows

    def present(self, data: Any) -> None:
        w = self.window_
        current = self.selected()
        keep = current.unit_code if current is not None else None
        self.scores, self.appraised, rows = data if data is not None else (None, {}, [])
        self.print_ranking_button.setEnabled(bool(self.scores and self.scores.ranked))
        ranked = self.scores.ranked if self.scores is not None else []
        self.model.set_groups(self.scores.framework.groups if self.scores is not None else ())
        self.model.set_items(rows)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(2, 300)
        full = None
        title = "Tổng điểm sau thẩm định"
        if self.scores is not None:
            from scoring.rounding import format_points

            total = self.scores.framework.total
            full = Decimal(total.numerator) / Decimal(total.denominator)
            title += f" (tối đa {format_points(total)} điểm)"
        self.chart.set_data([(u.unit_name, u.appraised_total) for u in ranked], title, full)
        if w.ws is None:
            self.empty.setText("Hãy mở thư mục làm việc trước.")
        elif w.period is None:
            self.empty.setText("Hãy thêm kỳ báo cáo (bước 2) trước.")
        elif not ranked:
            self.empty.setText("Chưa có đơn vị nào nộp tệp được tính trong kỳ này, nên chưa có gì để xếp hạng.")
        else:
            self.empty.setText("")
        self.empty.setVisible(bool(self.empty.text()))
        if not (keep and self.select_unit(keep)) and ranked:
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self.show_unit()

    def explanation_lines(self, unit_code: str) -> list[str]:
        """``explain()`` of each indicator's appraised score, with the self-assessed score where it differs."""
        from scoring.explain import explain

        if self.scores is None:
            return []
        a = next((x for x in self.scores.assessments if x.unit_code == unit_code), None)
        if a is None:
            return []
        inputs = self.scores.effective_inputs[unit_code]
        lines = []
        for ind in self.scores.framework.indicators:
            own, eff = a.indicator(ind.code)
            line = explain(ind, eff, inputs.values.get(ind.code), inputs.not_applicable.get(ind.code))
            if own.cents != eff.cents:
                line += f"   (tự chấm: {cents_text(own.cents)})"
            lines.append(line)
        return lines

    # --- printing (app.report.printable: the words; app.gui.printing: the preview) ---------------------

    def ranking_html(self) -> str | None:
        from app.report.printable import ranking_html

        return ranking_html(self.scores, date.today()) if self.scores is not None else None

    def scorecard_html(self) -> str | None:
        from app.report.printable import scorecard_html

        unit = self.selected()
        if self.scores is None or unit is None:
            return None
        return scorecard_html(self.scores, unit.unit_code, date.today(), sorted(self.appraised.get(unit.unit_code, ())))

    def print_ranking(self) -> QPrintPreviewDialog | None:
        from ..printing import preview

        html = self.ranking_html()
        if html is None:
            return None
        self.preview_dialog = preview(self, html, "Bảng xếp hạng", landscape=True)
        return self.preview_dialog

    def print_scorecard(self) -> QPrintPreviewDialog | None:
        from ..printing import preview

        html, unit = self.scorecard_html(), self.selected()
        if html is None or unit is None:
            return None
        self.preview_dialog = preview(self, html, f"Phiếu điểm {unit.unit_code} — {unit.unit_name}")
        return self.preview_dialog

    def show_unit(self) -> None:
        unit = self.selected()
        self.print_card_button.setEnabled(unit is not None)
        if unit is None:
            self.explain_title.setText("Chọn một đơn vị trong bảng để xem cách tính từng điểm.")
            self.explanations.setPlainText("")
            self.chart.highlight("")
            return
        self.explain_title.setText(f"Cách tính điểm của {unit.unit_code} — {unit.unit_name}: hạng {unit.rank}, "
                                   f"{cents_text(unit.appraised_cents)} điểm")  # fmt: skip
        self.explanations.setPlainText("\n".join(self.explanation_lines(unit.unit_code)))
        self.chart.highlight(unit.unit_name)
