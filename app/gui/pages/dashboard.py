"""Tổng quan: where the current period stands at a glance, and the way in for a first start."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .base import Page, hint

if TYPE_CHECKING:
    from app.workspace import UnitStatus
    from app.workspace.status import StatusCounts

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


class DashboardPage(Page):
    key = "dashboard"
    title = "Tổng quan"
    explanation = ""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.today: date | None = None  # fixed by tests; None means the real date
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.body.addWidget(self.headline)
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.body.addWidget(self.deadline)
        self.cards_box = QWidget()
        grid = QGridLayout(self.cards_box)
        grid.setContentsMargins(0, 8, 0, 8)
        grid.setSpacing(12)
        colours = {"expected": "#333333", "received": "#0b5394", "on_time": "#1b6e20", "late": "#b45f06",
                   "missing": "#8a5a00", "with_errors": "#b00020"}  # fmt: skip
        # captions come from app.workspace.status.COUNT_LABELS when a period is shown (not imported before: start fast)
        self.cards = {key: Card("", colour) for key, colour in colours.items()}
        for n, card in enumerate(self.cards.values()):
            grid.addWidget(card, n // 3, n % 3)
        self.body.addWidget(self.cards_box)
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

    def refresh(self) -> None:
        w = self.window_
        self.counts = None
        no_ws = w.ws is None
        self.open_button.setVisible(no_ws)
        self.create_button.setVisible(no_ws)
        self.next_button.setVisible(False)
        self.cards_box.setVisible(False)
        self.deadline.setText("")
        self.extra.setText("")
        self.attention.setText("")
        if w.ws is None:
            self.headline.setText(
                "Chào mừng đến với DTI Desk — công cụ thu thập, kiểm tra, chấm điểm và xếp hạng báo cáo "
                "chuyển đổi số hằng quý của các đơn vị.\n\nĐể bắt đầu, hãy mở thư mục làm việc đã có, hoặc "
                "tạo một thư mục làm việc mới (nơi lưu danh sách đơn vị, các kỳ báo cáo và mọi tệp đã nhận)."
            )
            return
        from app.workspace import get_period, list_units, status
        from app.workspace.status import COUNT_LABELS, count_statuses  # not before a workspace is open: start fast

        units = list_units(w.ws)
        if not units:
            self.headline.setText(
                "Thư mục làm việc chưa có danh sách đơn vị. Bước đầu tiên: nhập danh sách "
                "đơn vị (tệp Excel hoặc CSV có cột Mã đơn vị, Tên đơn vị, Thư điện tử)."
            )
            self._suggest("units", "Đến bước 1. Đơn vị")
            return
        if w.period is None:
            self.headline.setText(
                f"Danh sách có {len(units)} đơn vị. Chưa có kỳ báo cáo nào: hãy thêm kỳ (ví dụ Quý II/2023) và hạn nộp."
            )
            self._suggest("periods", "Đến bước 2. Kỳ báo cáo")
            return
        info = get_period(w.ws, w.period)
        statuses = status(w.ws, w.period)
        counts = count_statuses(statuses)
        self.attention.setText(attention_text(statuses))
        self.counts = counts
        from app.framework import framework_title

        self.headline.setText(f"{info.label} — {framework_title(info.framework_id)}")
        self.headline.setToolTip(f"Mã bộ chỉ số: {info.framework_id}")
        self.deadline.setText(deadline_text(info.deadline, self.today or date.today(), counts))
        self.cards_box.setVisible(True)
        for key, card in self.cards.items():
            card.caption.setText(COUNT_LABELS[key])
            card.set(getattr(counts, key))
        if counts.unusable:
            self.extra.setText(
                f"Có {counts.unusable} tệp không đọc được hoặc không xác định được đơn vị — xem ở bước 4. Tiếp nhận."
            )
        if counts.received == 0:
            self._suggest("templates" if not (w.ws.templates / w.period).exists() else "intake",
                          "Đến bước 3. Tạo biểu mẫu" if not (w.ws.templates / w.period).exists()
                          else "Đến bước 4. Tiếp nhận")  # fmt: skip
        else:
            self._suggest("intake", "Xem chi tiết ở bước 4. Tiếp nhận")
