"""A horizontal bar chart of totals drawn with QPainter (QtCharts is not in PySide6-Essentials).

One bar per unit, longest first, the unit's name on the left and the value (2 decimals) at the
end of the bar. The widget is as tall as its bars need; put it in a ``QScrollArea``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.numbers import format_decimal_vi

BAR = QColor("#2f5597")
HIGHLIGHT = QColor("#c55a11")
GRID = QColor("#d8dee9")


class BarChart(QWidget):
    ROW = 24
    TOP = 30
    MARGIN = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.bars: list[tuple[str, Decimal]] = []
        self.scale_max = Decimal(0)
        self.highlighted = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(320)
        self.setAutoFillBackground(True)

    def set_data(self, bars: Sequence[tuple[str, Decimal]], title: str = "", scale_max: Decimal | None = None) -> None:
        """Bars as (label, value); sorted here, largest first. ``scale_max`` is the value of a full bar."""
        self.bars = sorted(bars, key=lambda b: -b[1])
        self.title = title
        top = max((v for _, v in self.bars), default=Decimal(0))
        self.scale_max = max(scale_max or Decimal(0), top)
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def highlight(self, label: str) -> None:
        self.highlighted = label
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, self.TOP + self.MARGIN + max(len(self.bars), 1) * self.ROW)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        metrics = QFontMetrics(self.font())
        width = self.width() - 2 * self.MARGIN
        if self.title:
            bold = self.font()
            bold.setBold(True)
            p.setFont(bold)
            p.setPen(QColor("#1f3864"))
            p.drawText(QRectF(self.MARGIN, 4, width, self.TOP - 6), Qt.AlignmentFlag.AlignLeft, self.title)
            p.setFont(self.font())
        if not self.bars:
            p.setPen(QColor("#666"))
            p.drawText(QRectF(self.MARGIN, self.TOP, width, self.ROW), Qt.AlignmentFlag.AlignLeft,
                       "Chưa có đơn vị nào được chấm điểm.")  # fmt: skip
            p.end()
            return
        label_w = min(max(metrics.horizontalAdvance(label) for label, _ in self.bars) + 12, width * 2 // 5)
        value_w = metrics.horizontalAdvance("000.00") + 10
        bar_x = self.MARGIN + label_w
        bar_w = max(width - label_w - value_w, 10)
        full = self.scale_max if self.scale_max > 0 else Decimal(1)
        for n, (label, value) in enumerate(self.bars):
            y = self.TOP + n * self.ROW
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_w - 8)
            p.setPen(QColor("#222"))
            p.drawText(QRectF(self.MARGIN, y, label_w - 8, self.ROW), Qt.AlignmentFlag.AlignRight
                       | Qt.AlignmentFlag.AlignVCenter, text)  # fmt: skip
            p.fillRect(QRectF(bar_x, y + 3, bar_w, self.ROW - 6), QColor("#f4f6fa"))
            length = float(value / full) * bar_w
            p.fillRect(QRectF(bar_x, y + 3, length, self.ROW - 6), HIGHLIGHT if label == self.highlighted else BAR)
            p.drawText(QRectF(bar_x + length + 4, y, value_w, self.ROW), Qt.AlignmentFlag.AlignLeft
                       | Qt.AlignmentFlag.AlignVCenter, format_decimal_vi(value))  # fmt: skip
        p.setPen(GRID)
        p.drawLine(int(bar_x), self.TOP, int(bar_x), self.TOP + len(self.bars) * self.ROW)
        p.end()
