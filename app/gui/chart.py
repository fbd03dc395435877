"""Charts drawn with QPainter (QtCharts is not in PySide6-Essentials).

``BarChart``: one bar per unit, longest first, the unit's name on the left and the value (2
decimals) at the end of the bar; as tall as its bars need, put it in a ``QScrollArea``.
``LineChart``: lines over days or periods (the dashboard's progress, a unit's history), each
named in the legend with its value. Numbers are written the Vietnamese way (``app.numbers``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
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
        self._label_w = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(320)
        self.setAutoFillBackground(True)

    def set_data(self, bars: Sequence[tuple[str, Decimal]], title: str = "", scale_max: Decimal | None = None) -> None:
        """Bars as (label, value); sorted here, largest first. ``scale_max`` is the value of a full bar."""
        self.bars = sorted(bars, key=lambda b: -b[1])
        self.title = title
        top = max((v for _, v in self.bars), default=Decimal(0))
        self.scale_max = max(scale_max or Decimal(0), top)
        metrics = QFontMetrics(self.font())
        self._label_w = max((metrics.horizontalAdvance(label) for label, _ in self.bars), default=0) + 12
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
        p.fillRect(event.rect(), QColor("white"))
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
        label_w = min(self._label_w, width * 2 // 5)
        value_w = metrics.horizontalAdvance("000.00") + 10
        bar_x = self.MARGIN + label_w
        bar_w = max(width - label_w - value_w, 10)
        full = self.scale_max if self.scale_max > 0 else Decimal(1)
        # only the bars in the area being repainted (a scroll shows a few of a thousand)
        first = max((event.rect().top() - self.TOP) // self.ROW, 0)
        last = min((event.rect().bottom() - self.TOP) // self.ROW + 1, len(self.bars) - 1)
        for n in range(first, last + 1):
            label, value = self.bars[n]
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


class Series:
    """One line of a ``LineChart``: its name (shown in the legend, never colour alone) and values."""

    def __init__(self, name: str, colour: str, values: Sequence[Decimal | int | None], short: str = "") -> None:
        self.name = name
        self.short = short  # the name in a narrow chart (a pillar's code); the full name is the tooltip
        self.colour = QColor(colour)
        self.values = list(values)


def _number(value: Decimal | int) -> str:
    return format_decimal_vi(value) if isinstance(value, Decimal) else str(value)


class LineChart(QWidget):
    """Lines over ordered categories (days, periods) drawn with QPainter.

    The legend names each line with its last value ("Đúng hạn: 12"), so a reader who cannot tell
    the colours apart still reads the chart; ``marker`` draws a labelled vertical line (the deadline).
    Only every n-th category label is written when they would overlap.
    """

    MARGIN = 10
    #: narrower than this, the legend uses the lines' short names (their full names: the tooltip)
    NARROW = 480

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.y_max: Decimal | int = 0
        self.marker: tuple[int, str] | None = None
        self.empty_text = "Chưa có số liệu."
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, categories: Sequence[str], series: Sequence[Series], title: str = "",
                 y_max: Decimal | int | None = None, marker: tuple[int, str] | None = None) -> None:  # fmt: skip
        self.categories = list(categories)
        self.series = list(series)
        self.title = title
        top = max((v for s in self.series for v in s.values if v is not None), default=0)
        self.y_max = max(y_max or 0, top)
        self.marker = marker
        self.setToolTip("\n".join(f"{s.short or s.name}: {s.name}" for s in self.series if s.short))
        self.update()

    def legend(self) -> list[str]:
        """Each line's name and its last value, as the legend writes them."""
        out = []
        narrow = self.width() < self.NARROW
        for s in self.series:
            name = s.short if narrow and s.short else s.name
            last = next((v for v in reversed(s.values) if v is not None), None)
            out.append(f"{name}: {_number(last)}" if last is not None else name)
        return out

    def sizeHint(self) -> QSize:
        return QSize(520, 240)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        metrics = QFontMetrics(self.font())
        line_h = metrics.height()
        width = self.width() - 2 * self.MARGIN
        y = 4.0
        if self.title:
            bold = self.font()
            bold.setBold(True)
            p.setFont(bold)
            p.setPen(QColor("#1f3864"))
            title = QFontMetrics(bold).elidedText(self.title, Qt.TextElideMode.ElideRight, width)
            p.drawText(QRectF(self.MARGIN, y, width, line_h + 2), Qt.AlignmentFlag.AlignLeft, title)
            p.setFont(self.font())
            y += line_h + 6
        if not self.categories or not self.series:
            p.setPen(QColor("#555"))
            p.drawText(QRectF(self.MARGIN, y, width, line_h + 2), Qt.AlignmentFlag.AlignLeft, self.empty_text)
            p.end()
            return
        # legend: swatch + text, wrapping onto more lines when needed
        x = float(self.MARGIN)
        for s, text in zip(self.series, self.legend(), strict=True):
            w = 18 + metrics.horizontalAdvance(text) + 16
            if x + w > self.MARGIN + width and x > self.MARGIN:
                x, y = float(self.MARGIN), y + line_h + 4
            p.fillRect(QRectF(x, y + line_h / 2 - 2, 12, 4), s.colour)
            p.setPen(QColor("#222"))
            p.drawText(QRectF(x + 16, y, w, line_h + 2), Qt.AlignmentFlag.AlignLeft, text)
            x += w
        y += line_h + 8
        full = self.y_max if self.y_max else 1
        axis_w = metrics.horizontalAdvance(_number(full)) + 8
        left, right = float(self.MARGIN + axis_w), float(self.MARGIN + width - 4)
        bottom = self.height() - line_h - 8
        top = y + 4
        if bottom - top < 20:
            p.end()
            return
        p.setPen(GRID)
        for k in range(5):
            gy = bottom - (bottom - top) * k / 4
            p.drawLine(int(left), int(gy), int(right), int(gy))
        p.setPen(QColor("#555"))
        for k in (0, 4):
            value: Decimal | int = full if k == 4 else 0
            gy = bottom - (bottom - top) * k / 4
            p.drawText(QRectF(self.MARGIN, gy - line_h / 2, axis_w - 6, line_h), Qt.AlignmentFlag.AlignRight
                       | Qt.AlignmentFlag.AlignVCenter, _number(value))  # fmt: skip
        n = len(self.categories)
        label_w = max(metrics.horizontalAdvance(c) for c in self.categories) + 10
        if n <= 12:  # few points (periods): keep the first and last labels inside the chart
            left, right = left + label_w / 2, right - label_w / 2
        step_x = (right - left) / max(n - 1, 1)

        def px(i: int) -> float:
            return left + (step_x * i if n > 1 else (right - left) / 2)

        every = max(1, int(label_w // max(step_x, 1)) + 1)
        shown = [i for i in range(n) if i % every == 0]
        if shown[-1] != n - 1:  # the last category (today, the last period) is always named …
            if n - 1 - shown[-1] < every:
                shown[-1] = n - 1  # … in place of the one just before it, which would overlap
            else:
                shown.append(n - 1)
        for i in shown:
            x = min(max(px(i) - label_w / 2, 0.0), self.width() - label_w)
            p.drawText(QRectF(x, bottom + 4, label_w, line_h), Qt.AlignmentFlag.AlignHCenter, self.categories[i])
        if self.marker is not None and 0 <= self.marker[0] < n:
            mx = px(self.marker[0])
            p.setPen(QPen(HIGHLIGHT, 1, Qt.PenStyle.DashLine))
            p.drawLine(int(mx), int(top), int(mx), int(bottom))
            p.setPen(HIGHLIGHT)
            text = self.marker[1]
            tw = metrics.horizontalAdvance(text) + 6
            tx = mx - tw - 2 if mx + tw > right else mx + 3
            p.drawText(QRectF(tx, top, tw, line_h), Qt.AlignmentFlag.AlignLeft, text)
        for s in self.series:
            p.setPen(QPen(s.colour, 2.2))
            previous: QPointF | None = None
            for i, v in enumerate(s.values):
                if v is None:
                    previous = None
                    continue
                point = QPointF(px(i), bottom - (bottom - top) * float(v) / float(full))
                if previous is not None:
                    p.drawLine(previous, point)
                if n <= 12:
                    p.setBrush(s.colour)
                    p.drawEllipse(point, 3, 3)
                previous = point
        p.end()
