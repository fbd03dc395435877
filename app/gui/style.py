"""The look, in one place (DESIGN §9.5): type sizes, spacing, the colours that carry a meaning, and
the style sheet of the named widgets (page titles, cards, the drop zone, the navigation).

A colour never says something alone: every status, change or severity it marks is also written
in words beside it ("Nộp muộn", "▼ xuống 2 hạng", "Lỗi"), for colour-blind clerks and for
black-and-white printouts. Sizes are in points and device-independent pixels, so the window is
the same at 100 % and at 150 % display scaling (checked by the screenshots in docs/screenshots/150).
Focus is always visible: the focused table, list or field gets a blue frame.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

POINT_SIZE = 10
#: around a page's content, between its rows of widgets
PAGE_MARGINS = (24, 18, 24, 18)
SPACING = 10

#: the colours that mean something (text colour in tables, lines of the charts, card numbers)
OK = "#1b6e20"  # on time, nothing to do, a gain
LATE = "#b45f06"  # late, a warning
MISSING = "#5f6b7a"  # not sent yet (grey-blue: apart from "late" in a chart)
ERROR = "#b00020"  # an error, a loss, something for the office to look at
INFO = "#444444"
ACCENT = "#1f3864"  # titles, the selected page
FOCUS = "#0b5394"

STYLE = f"""
QLabel#pageTitle {{ font-size: 17pt; font-weight: 600; color: {ACCENT}; }}
QLabel#loading {{ color: #555; font-style: italic; }}
QLabel#hint {{ color: #444; }}
QLabel#placeholder {{ color: #444; font-size: 11pt; padding: 12px; background: #f4f6fa;
                     border: 1px solid #d8dee9; border-radius: 6px; }}
QLabel#headline {{ font-size: 12pt; }}
QLabel#deadline {{ font-size: 12pt; font-weight: 600; color: {ACCENT}; }}
QLabel#summary {{ font-weight: 600; }}
QFrame#card {{ background: #ffffff; border: 1px solid #d8dee9; border-radius: 8px; }}
QLabel#cardNumber {{ font-size: 28pt; font-weight: 700; }}
QLabel#dropZone {{ border: 2px dashed #7f8fa6; border-radius: 10px; background: #f4f6fa;
                  color: {ACCENT}; font-size: 12pt; padding: 16px; }}
QLabel#dropZone[hover="true"] {{ border-color: {FOCUS}; background: #e3ecf9; }}
QLabel#dropZone:disabled {{ color: #888; }}
QListWidget#nav {{ font-size: 11pt; background: #f4f6fa; border: 2px solid transparent; }}
QListWidget#nav:focus {{ border: 2px solid {FOCUS}; }}
QListWidget#nav::item {{ padding: 6px 10px; border: none; }}
QListWidget#nav::item:selected {{ background: {ACCENT}; color: white; }}
QTableView:focus, QPlainTextEdit:focus, QListWidget:focus {{ border: 2px solid {FOCUS}; }}
"""


def apply(app: QApplication) -> None:
    font = QFont(app.font())
    font.setPointSize(POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLE)
