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


def deadline_text(deadline: date, today: date) -> str:
    """Files are on time before 00:00 of ``deadline`` (CV 1690 §3.2)."""
    shown = deadline.strftime("%d/%m/%Y")
    days = (deadline - today).days
    if days > 0:
        return f"Còn {days} ngày đến hạn nộp (trước 00g00 ngày {shown})"
    if days == 0:
        return f"Đã hết hạn nộp từ 00g00 hôm nay ({shown})"
    return f"Đã quá hạn {-days} ngày (hạn nộp: trước 00g00 ngày {shown})"


def _names(items: Sequence[UnitStatus], most: int = 8) -> str:
    shown = [escape(f"{s.unit_code} {s.unit_name}") for s in items[:most]]
    more = f" và {len(items) - most} đơn vị khác" if len(items) > most else ""
    return "; ".join(shown) + more


def attention_text(statuses: Sequence[UnitStatus]) -> str:
    """Which units the office should chase or look at, as a short rich-text list."""
    missing = [s for s in statuses if s.state in ("missing", "not-counted")]
    errors = [s for s in statuses if s.state == "received" and s.errors]
    late = [s for s in statuses if s.state == "received" and s.on_time is False]
    lines = []
    if missing:
        lines.append(f"<b>Chưa nộp ({len(missing)}):</b> {_names(missing)}")
    if errors:
        lines.append(f"<b>Có lỗi ({len(errors)}):</b> {_names(errors)}")
    if late:
        lines.append(f"<b>Nộp muộn ({len(late)}):</b> {_names(late)}")
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
        self.cards = {
            "expected": Card("Đơn vị phải nộp", "#333333"),
            "received": Card("Đã nhận", "#0b5394"),
            "on_time": Card("Đúng hạn", "#1b6e20"),
            "late": Card("Nộp muộn", "#b45f06"),
            "missing": Card("Chưa nộp", "#8a5a00"),
            "with_errors": Card("Có lỗi cần xem", "#b00020"),
        }
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
                "tạo một thư mục làm việc mới (nơi lưu danh sách đơn vị, các kỳ báo cáo và mọi tệp đã nhận).")
            return
        from app.workspace import get_period, list_units, status
        from app.workspace.status import count_statuses  # not before a workspace is open: start fast

        units = list_units(w.ws)
        if not units:
            self.headline.setText("Thư mục làm việc chưa có danh sách đơn vị. Bước đầu tiên: nhập danh sách "
                                  "đơn vị (tệp Excel hoặc CSV có cột Mã đơn vị, Tên đơn vị, Thư điện tử).")
            self._suggest("units", "Đến bước 1. Đơn vị")
            return
        if w.period is None:
            self.headline.setText(f"Danh sách có {len(units)} đơn vị. Chưa có kỳ báo cáo nào: hãy thêm kỳ "
                                  "(ví dụ Quý II/2023) và hạn nộp.")
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
        self.deadline.setText(deadline_text(info.deadline, self.today or date.today()))
        self.cards_box.setVisible(True)
        for key, card in self.cards.items():
            card.set(getattr(counts, key))
        if counts.unusable:
            self.extra.setText(f"Ngoài ra có {counts.unusable} tệp không đọc được hoặc không xác định được "
                               "đơn vị — xem ở bước 4. Tiếp nhận.")
        if counts.received == 0:
            self._suggest("templates" if not (w.ws.templates / w.period).exists() else "intake",
                          "Đến bước 3. Tạo biểu mẫu" if not (w.ws.templates / w.period).exists()
                          else "Đến bước 4. Tiếp nhận")  # fmt: skip
        else:
            self._suggest("intake", "Xem chi tiết ở bước 4. Tiếp nhận")
