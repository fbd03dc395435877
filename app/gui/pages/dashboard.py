"""Tổng quan: where the current period stands at a glance, and the way in for a first start.

``load`` (on the loader's thread) reads the roster size, the period and its ``status()`` rows;
``present`` fills the cards, the list of units to chase and the chart of the quarter's progress
(``app.workspace.progress``: on time, late, not yet, day by day up to the deadline)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .. import style
from ..chart import LineChart, Series
from .base import Page, hint

if TYPE_CHECKING:
    from app.workspace import PeriodInfo, UnitStatus
    from app.workspace.progress import Progress
    from app.workspace.status import StatusCounts

    from ..loader import LoadContext
    from ..mainwindow import MainWindow


def deadline_text(deadline: date, today: date, counts: StatusCounts | None = None) -> str:
    """Files are on time before 00:00 of ``deadline`` (CV 1690 mục 3.2), worded by ``deadline_vi``.

    Before the deadline: the days left. Once it has passed the period's result is final, so with
    ``counts`` the line gives the final tally (đúng hạn / nộp muộn / chưa nộp), not a count of days.
    """
    from app.period import deadline_vi
    from app.workspace.status import COUNT_LABELS

    due = f"Hạn nộp {deadline_vi(deadline)}"
    days = (deadline - today).days
    if days > 0:
        return f"Còn {days} ngày đến hạn nộp ({deadline_vi(deadline)})"
    if counts is None:
        return f"{due} — đã hết hạn"
    final = ", ".join(f"{COUNT_LABELS[key].lower()} {getattr(counts, key)}" for key in ("on_time", "late", "missing"))
    return f"{due} — đã hết hạn; kết quả: {final}"


def _names(items: Sequence[UnitStatus], most: int = 8) -> str:
    shown = [escape(f"{s.unit_code} {s.unit_name}") for s in items[:most]]
    more = f" và {len(items) - most} đơn vị khác" if len(items) > most else ""
    return "; ".join(shown) + more


def attention_text(statuses: Sequence[UnitStatus]) -> str:
    """Which units the office should chase or look at, as a short rich-text list."""
    from app.workspace.status import COUNT_LABELS, NOT_RECEIVED, REJECTED_FILE, STATE_LABELS

    missing = [s for s in statuses if s.unit_code and s.state in NOT_RECEIVED]
    unreadable = [s for s in missing if s.state == REJECTED_FILE]
    errors = [s for s in statuses if s.state == "received" and s.errors]
    late = [s for s in statuses if s.state == "received" and s.on_time is False]
    lines = []
    if missing:
        lines.append(f"<b>{COUNT_LABELS['missing']} ({len(missing)}):</b> {_names(missing)}")
    if unreadable:
        lines.append(f"<b>{STATE_LABELS[REJECTED_FILE]} ({len(unreadable)}):</b> {_names(unreadable)}")
    if errors:
        lines.append(f"<b>{COUNT_LABELS['with_errors']} ({len(errors)}):</b> {_names(errors)}")
    if late:
        lines.append(f"<b>{COUNT_LABELS['late']} ({len(late)}):</b> {_names(late)}")
    if not lines and statuses:
        lines.append("<b>Tất cả đơn vị đã nộp đúng hạn và không có lỗi.</b>")
    return "<br><br>".join(lines)


class Card(QFrame):
    def __init__(self, caption: str, colour: str) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.number = QLabel("–")
        self.number.setObjectName("cardNumber")
        self.number.setStyleSheet(f"color: {colour};")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel(caption)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)

    def set(self, value: int | None) -> None:
        self.number.setText("–" if value is None else str(value))


@dataclass(frozen=True)
class DashboardData:
    units: int
    period: PeriodInfo | None = None
    framework_title: str = ""
    statuses: tuple[UnitStatus, ...] = ()
    templates_made: bool = False


#: the progress chart's lines: colour and the status's own words (``COUNT_LABELS`` keys)
PROGRESS_LINES = (("on_time", style.OK), ("late", style.LATE), ("missing", style.MISSING))


def progress_chart_data(progress: Progress) -> tuple[list[str], list[Series], tuple[int, str]]:
    """Categories (days, dd/mm), the three lines and the deadline marker of ``LineChart``."""
    from datetime import timedelta

    from app.workspace.status import COUNT_LABELS

    days = [progress.first_day + timedelta(days=n) for n in range((progress.last_day - progress.first_day).days + 1)]
    series = [Series(COUNT_LABELS[key], colour,
                     [getattr(pt, key) for pt in progress.points] + [None] * (len(days) - len(progress.points)))
              for key, colour in PROGRESS_LINES]  # fmt: skip
    marker = (days.index(progress.deadline), "Hạn nộp") if progress.deadline in days else (-1, "")
    return [d.strftime("%d/%m") for d in days], series, marker


class DashboardPage(Page):
    key = "dashboard"
    title = "Tổng quan"
    explanation = ""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        # everything under the title scrolls when the window is short (1366×768 at 150 % leaves ~450 px)
        # rather than squeezing the cards and the chart into each other
        page_body = self.body
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(0, 0, 8, 0)
        self.body.setSpacing(page_body.spacing())
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(inner)
        page_body.addWidget(self.scroll_area, 1)
        self.today: date | None = None  # fixed by tests; None means the real date
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.body.addWidget(self.headline)
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.deadline.setWordWrap(True)
        self.body.addWidget(self.deadline)
        self.cards_box = QWidget()
        grid = QGridLayout(self.cards_box)
        grid.setContentsMargins(0, 8, 0, 8)
        grid.setSpacing(12)
        colours = {"expected": "#333333", "received": style.FOCUS, "on_time": style.OK, "late": style.LATE,
                   "missing": style.MISSING, "with_errors": style.ERROR}  # fmt: skip
        # captions come from app.workspace.status.COUNT_LABELS when a period is shown (not imported before: start fast)
        self.cards = {key: Card("", colour) for key, colour in colours.items()}
        for n, card in enumerate(self.cards.values()):
            grid.addWidget(card, n // 3, n % 3)
        self.body.addWidget(self.cards_box)
        self.progress_chart = LineChart()
        self.progress_chart.setMinimumHeight(220)
        self.progress_chart.setVisible(False)
        self.body.addWidget(self.progress_chart, 4)
        self.progress: Progress | None = None
        self.extra = hint("")
        self.body.addWidget(self.extra)
        self.attention = QLabel()
        self.attention.setWordWrap(True)
        self.attention.setTextFormat(Qt.TextFormat.RichText)
        self.body.addWidget(self.attention)
        self.button_row = QHBoxLayout()
        self.open_button = QPushButton("Mở thư mục làm việc…")
        self.open_button.clicked.connect(window.ask_open_workspace)
        self.create_button = QPushButton("Tạo thư mục làm việc mới…")
        self.create_button.clicked.connect(window.ask_create_workspace)
        self.next_button = QPushButton()
        self.next_button.clicked.connect(self._next)
        self._next_key = "units"
        for b in (self.open_button, self.create_button, self.next_button):
            self.button_row.addWidget(b)
        self.button_row.addStretch(1)
        self.body.addLayout(self.button_row)
        self.body.addStretch(1)
        self.counts: StatusCounts | None = None

    def _next(self) -> None:
        self.window_.go_to(self._next_key)

    def _suggest(self, key: str, text: str) -> None:
        self._next_key = key
        self.next_button.setText(text)
        self.next_button.setVisible(True)

    def load(self, ctx: LoadContext) -> DashboardData:
        from app.workspace import get_period, list_units, status
        from app.workspace.period_frameworks import period_framework_title
        from app.workspace.roster_edit import units_in_period

        units = len(list_units(ctx.ws))
        if not units or ctx.period is None:
            return DashboardData(units)
        info = get_period(ctx.ws, ctx.period)
        return DashboardData(len(units_in_period(ctx.ws, info.code)), info, period_framework_title(ctx.ws, info.code),
                             tuple(status(ctx.ws, ctx.period)), (ctx.ws.templates / ctx.period).exists())  # fmt: skip

    def present(self, data: Any) -> None:
        self.counts = None
        no_ws = data is None
        self.open_button.setVisible(no_ws)
        self.create_button.setVisible(no_ws)
        self.next_button.setVisible(False)
        self.cards_box.setVisible(False)
        self.progress_chart.setVisible(False)
        self.deadline.setText("")
        self.extra.setText("")
        self.attention.setText("")
        if data is None:
            self.headline.setText(
                "Chào mừng đến với DTI Desk — công cụ thu thập, kiểm tra, chấm điểm và xếp hạng báo cáo "
                "chuyển đổi số hằng quý của các đơn vị.\n\nĐể bắt đầu, hãy mở thư mục làm việc đã có, hoặc "
                "tạo một thư mục làm việc mới (nơi lưu danh sách đơn vị, các kỳ báo cáo và mọi tệp đã nhận)."
            )
            return
        from app.workspace.progress import progress_series
        from app.workspace.status import COUNT_LABELS, count_statuses  # not before a workspace is open: start fast

        units = data.units
        if not units:
            self.headline.setText(
                "Thư mục làm việc chưa có danh sách đơn vị. Bước đầu tiên: nhập danh sách "
                "đơn vị (tệp Excel hoặc CSV có cột Mã đơn vị, Tên đơn vị, Thư điện tử)."
            )
            self._suggest("units", "Đến bước 1. Đơn vị")
            return
        info = data.period
        if info is None:
            self.headline.setText(
                f"Danh sách có {units} đơn vị. Chưa có kỳ báo cáo nào: hãy thêm kỳ (ví dụ Quý II/2023) và hạn nộp."
            )
            self._suggest("periods", "Đến bước 2. Kỳ báo cáo")
            return
        statuses = list(data.statuses)
        counts = count_statuses(statuses)
        self.attention.setText(attention_text(statuses))
        self.counts = counts
        self.headline.setText(f"{info.label} — {data.framework_title}")
        self.headline.setToolTip(f"Mã bộ chỉ số: {info.framework_id}")
        today = self.today or date.today()
        self.deadline.setText(deadline_text(info.deadline, today, counts))
        self.progress = progress_series(statuses, info.deadline, today)
        categories, series, marker = progress_chart_data(self.progress)
        self.progress_chart.set_data(categories, series, "Tiến độ nộp báo cáo theo ngày (đến hết ngày)",
                                     y_max=self.progress.units, marker=marker)  # fmt: skip
        self.progress_chart.setVisible(True)
        self.cards_box.setVisible(True)
        for key, card in self.cards.items():
            card.caption.setText(COUNT_LABELS[key])
            card.set(getattr(counts, key))
        if counts.unusable:
            self.extra.setText(
                f"Có {counts.unusable} tệp không đọc được hoặc không xác định được đơn vị — xem ở bước 4. Tiếp nhận."
            )
        if counts.received == 0:
            self._suggest(
                "intake" if data.templates_made else "templates",
                "Đến bước 4. Tiếp nhận" if data.templates_made else "Đến bước 3. Tạo biểu mẫu",
            )
        else:
            self._suggest("intake", "Xem chi tiết ở bước 4. Tiếp nhận")
