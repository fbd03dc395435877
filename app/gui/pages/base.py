"""What every page shares: a heading, an explanation line, and ``refresh`` when the workspace,
the period or the data change. A new page subclasses ``Page``, builds its widgets in
``__init__`` under ``self.body`` and re-reads the core in ``refresh`` (through ``self.window_``'s
read connection, on the UI thread; long work goes through ``self.window_.run_job``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ..mainwindow import MainWindow


class Page(QWidget):
    key = ""
    title = ""
    explanation = ""

    #: the data changed while another page was on screen: re-read when shown (``MainWindow``)
    stale = True

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(24, 18, 24, 18)
        self.body.setSpacing(10)
        heading = QLabel(self.title)
        heading.setObjectName("pageTitle")
        self.body.addWidget(heading)
        if self.explanation:
            self.body.addWidget(hint(self.explanation))

    def refresh(self) -> None:
        """Re-read what the page shows; called when the workspace, the period or the data change."""


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("hint")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def make_table() -> QTableView:
    view = QTableView()
    view.setSortingEnabled(True)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    # columns sized to their contents measure the rows on screen, not every row: measuring all
    # of them is what made a live refresh of a 200-row table cost ~100 ms on the UI thread
    view.horizontalHeader().setResizeContentsPrecision(0)
    view.setWordWrap(False)
    return view


def wrap_rows(table: QTableView) -> None:
    """Long text wraps inside its cell and each row is as tall as its text: nothing is cut off with "…"."""
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideNone)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


class Placeholder(Page):
    """A step that comes in the next version; says so plainly and points to the command line."""

    def __init__(self, window: MainWindow, key: str, title: str, text: str) -> None:
        self.key = key
        self.title = title
        self.explanation = ""
        super().__init__(window)
        note = hint(text + "\n\nTrang này sẽ có trong phiên bản tiếp theo của DTI Desk.")
        note.setObjectName("placeholder")
        self.body.addWidget(note)
        self.body.addStretch(1)
