"""The look: a readable font size and a few named widgets (page titles, cards, the drop zone)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

POINT_SIZE = 10

STYLE = """
QLabel#pageTitle { font-size: 17pt; font-weight: 600; color: #1f3864; }
QLabel#hint { color: #444; }
QLabel#placeholder { color: #444; font-size: 11pt; padding: 12px; background: #f4f6fa;
                     border: 1px solid #d8dee9; border-radius: 6px; }
QLabel#headline { font-size: 12pt; }
QLabel#deadline { font-size: 12pt; font-weight: 600; color: #1f3864; }
QLabel#summary { font-weight: 600; }
QFrame#card { background: #ffffff; border: 1px solid #d8dee9; border-radius: 8px; }
QLabel#cardNumber { font-size: 28pt; font-weight: 700; }
QLabel#dropZone { border: 2px dashed #7f8fa6; border-radius: 10px; background: #f4f6fa;
                  color: #1f3864; font-size: 12pt; padding: 16px; }
QLabel#dropZone[hover="true"] { border-color: #0b5394; background: #e3ecf9; }
QLabel#dropZone:disabled { color: #888; }
QListWidget#nav { font-size: 11pt; background: #f4f6fa; border: none; }
QListWidget#nav::item { padding: 6px 10px; border: none; }
QListWidget#nav::item:selected { background: #1f3864; color: white; }
"""


def apply(app: QApplication) -> None:
    font = QFont(app.font())
    font.setPointSize(POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLE)
