"""Lịch sử điểm: every unit against the period before, and one unit's scores across the periods.

The answers are the core's (``app.workspace.history``, shared with ``dtidesk history``): ``load``
reads every period's ranking once per change of data (``ctx.cached``), ``present`` fills the
table; choosing a unit draws its total and its pillar scores period by period from the rankings
already read (no query on the UI thread). A change is written with its sign and an arrow and
coloured (green up, red down): never colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QLineEdit, QSplitter, QStyle, QWidget

from .. import style
from ..chart import LineChart, Series
from ..models import Column, ObjectTableModel, VietSortProxy, prepare
from .base import Page, current_object, hint, make_table, select_unit_row, tab_order
from .check import cents_text

if TYPE_CHECKING:
    from app.workspace.history import Comparison, ComparisonRow, PeriodRanking, UnitHistory

    from ..loader import LoadContext
    from ..mainwindow import MainWindow

UP, DOWN = style.OK, style.ERROR
#: the pillars' lines (as many as a framework has: QĐ 79 Phụ lục II has 9)
PALETTE = ("#2f5597", "#c55a11", "#548235", "#7030a0", "#bf9000", "#00838f", "#a5a5a5", "#843c0c", "#375623")


def _colour(value: int | None) -> str | None:
    return None if not value else (UP if value > 0 else DOWN)


def change_text(cents: int | None) -> str:
    from app.workspace.history import change_text  # not at start-up: the core is imported once a workspace opens

    return change_text(cents)


def rank_change_text(places: int | None) -> str:
    from app.workspace.history import rank_change_text

    return rank_change_text(places)


def _none_last(value: int | None) -> tuple[int, int]:
    return (1, 0) if value is None else (0, value)


class ComparisonModel(ObjectTableModel["ComparisonRow"]):
    # the figures' headings on two lines: one line each made the figures' columns twice their width and left
    # the unit's name a few letters at 150 % scaling
    def make_columns(self) -> Sequence[Column[ComparisonRow]]:
        return (
            Column("Hạng", lambda r: str(r.rank), sort=lambda r: r.rank, align_right=True),
            Column("Mã", lambda r: r.unit_code),
            Column("Tên đơn vị", lambda r: r.unit_name),
            Column("Điểm\nkỳ này", lambda r: cents_text(r.cents), sort=lambda r: r.cents, align_right=True),
            Column("Điểm\nkỳ trước", lambda r: cents_text(r.previous_cents) if r.previous_cents is not None else "—",
                   sort=lambda r: _none_last(r.previous_cents), align_right=True),
            Column("Thay đổi", lambda r: change_text(r.change_cents), sort=lambda r: _none_last(r.change_cents),
                   align_right=True, color=lambda r: _colour(r.change_cents)),
            Column("Hạng\nkỳ trước", lambda r: str(r.previous_rank) if r.previous_rank is not None else "—",
                   sort=lambda r: _none_last(r.previous_rank), align_right=True),
            Column("Thay đổi\nhạng", lambda r: rank_change_text(r.rank_change),
                   sort=lambda r: _none_last(r.rank_change), color=lambda r: _colour(r.rank_change)),
        )  # fmt: skip

    def row_key(self, item: ComparisonRow) -> Any:
        return item.unit_code


def history_chart_data(history: UnitHistory) -> tuple[list[str], list[Series], list[Series]]:
    """Period labels, the total's line and the pillars' lines (points in Vietnamese decimals)."""
    from scoring.rounding import cents_to_decimal

    def dec(cents: int | None) -> Decimal | None:
        return None if cents is None else cents_to_decimal(cents)

    labels = [p.period for p in history.points]
    total = [Series("Tổng điểm sau thẩm định", "#1f3864", [dec(p.total_cents) for p in history.points])]
    pillars = [Series(f"{code}. {title}", PALETTE[n % len(PALETTE)],
                      [dec(p.group_cents.get(code)) if p.total_cents is not None else None for p in history.points],
                      short=f"Chỉ số {code}")
               for n, (code, title) in enumerate(history.groups)]  # fmt: skip
    return labels, total, pillars


class HistoryPage(Page):
    key = "history"
    title = "Lịch sử điểm"
    explanation = ("So sánh điểm và hạng của từng đơn vị ở kỳ đang chọn với kỳ trước (cùng bộ chỉ số). Chọn một đơn vị "
                   "để xem tổng điểm và điểm từng chỉ số chính của đơn vị qua các kỳ.")  # fmt: skip

    #: the table shows at least this many rows: at 150 % scaling the chart below left it three
    ROWS = 8

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        # a short window scrolls the page (the table keeps ROWS rows, the charts their height) rather than
        # squeeze both; a tall one gives the table and the charts the height 3 : 2, the splitter between them
        self.scroll_below_title()
        self.rankings: list[PeriodRanking] = []
        self.comparison: Comparison | None = None
        self.history: UnitHistory | None = None
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm đơn vị…")
        self.search.setClearButtonEnabled(True)
        row.addWidget(self.search, 1)
        self.period_label = QLabel()
        self.period_label.setObjectName("summary")
        row.addWidget(self.period_label)
        self.body.addLayout(row)
        self.model = ComparisonModel(self)
        self.proxy = VietSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self.proxy.set_search)
        self.table = make_table()
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 10)  # one line of text: no wrapping here
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        scrollbar = self.table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.table.setMinimumHeight(header.sizeHint().height() + self.ROWS * rows.defaultSectionSize()
                                    + 2 * self.table.frameWidth() + scrollbar)  # fmt: skip
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_unit())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        charts = QWidget()
        ch = QHBoxLayout(charts)
        ch.setContentsMargins(0, 4, 0, 0)
        self.total_chart = LineChart()
        self.total_chart.empty_text = "Chọn một đơn vị trong bảng."
        self.pillar_chart = LineChart()
        self.pillar_chart.empty_text = ""
        ch.addWidget(self.total_chart, 2)
        ch.addWidget(self.pillar_chart, 3)
        splitter.addWidget(charts)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        for chart in (self.total_chart, self.pillar_chart):  # side by side in a page ~600 px wide (150 %)
            chart.setMinimumSize(240, 170)
        splitter.setChildrenCollapsible(False)
        self.body.addWidget(splitter, 1)
        self.empty = hint("")
        self.body.addWidget(self.empty)
        tab_order(self.search, self.table)

    #: below this width (device-independent pixels) the table drops the previous period's score and rank:
    #: the change beside them says it, and the chart below draws it; the unit's name keeps room to be read
    NARROW = 800

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = self.width() < self.NARROW
        for column in (4, 6):
            self.table.setColumnHidden(column, narrow)

    def load(self, ctx: LoadContext) -> Any:
        from app.workspace.history import compare_with_previous, period_rankings

        rankings = ctx.cached("period_rankings", lambda: period_rankings(ctx.ws))
        if ctx.period is None:
            return rankings, None, []
        comparison = compare_with_previous(ctx.ws, ctx.period, rankings)
        return rankings, comparison, prepare(self.model.columns, list(comparison.rows))

    def present(self, data: Any) -> None:
        current = self.selected()
        keep = current.unit_code if current is not None else None
        self.rankings, self.comparison, rows = data if data is not None else ([], None, [])
        c = self.comparison
        self.model.set_items(rows)
        if c is None:
            self.period_label.setText("")
        elif c.previous is None:
            self.period_label.setText(f"{c.period.label}: chưa có kỳ trước cùng bộ chỉ số để so sánh")
        else:
            self.period_label.setText(f"{c.period.label} so với {c.previous.label}")
        if self.window_.ws is None:
            self.empty.setText("Hãy mở thư mục làm việc trước.")
        elif c is None:
            self.empty.setText("Hãy thêm kỳ báo cáo (bước 2) trước.")
        elif not c.rows:
            self.empty.setText("Chưa có đơn vị nào được xếp hạng trong kỳ này.")
        else:
            self.empty.setText("")
        self.empty.setVisible(bool(self.empty.text()))
        if not (keep and self.select_unit(keep)) and c is not None and c.rows:
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self.show_unit()

    def selected(self) -> ComparisonRow | None:
        row: ComparisonRow | None = current_object(self.table)
        return row

    def select_unit(self, unit_code: str) -> bool:
        return select_unit_row(self.table, unit_code)

    def show_unit(self) -> None:
        from app.workspace.history import history_from

        row = self.selected()
        if row is None:
            self.history = None
            self.total_chart.set_data([], [], "Tổng điểm qua các kỳ")
            self.pillar_chart.set_data([], [], "")
            return
        self.history = history_from(row.unit_code, row.unit_name, self.rankings)
        labels, total, pillars = history_chart_data(self.history)
        self.total_chart.set_data(labels, total, f"{row.unit_code} — {row.unit_name}: tổng điểm qua các kỳ", y_max=0)
        self.pillar_chart.set_data(labels, pillars, "Điểm từng chỉ số chính qua các kỳ", y_max=0)
