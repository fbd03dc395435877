"""What every page shares: a heading, an explanation line, and ``refresh`` when the workspace,
the period or the data change (DESIGN §9.1).

A new page subclasses ``Page``, builds its widgets in ``__init__`` under ``self.body`` and splits
its reading in two: ``load(ctx)`` asks the core (``ctx.ws``, ``ctx.period``, ``ctx.scores()``) and
returns plain data — it runs on the loader's thread (``app.gui.loader``), so it must not touch a
widget — and ``present(data)`` fills the widgets on the UI thread (``data`` is ``None`` when no
workspace is open). ``refresh`` requests the load; until the answer comes the page says
"Đang tải…" quietly under its title, and an answer to an older request is dropped. Long work
(writing files, reading workbooks) goes through ``self.window_.run_job``."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .. import style

if TYPE_CHECKING:
    from ..loader import LoadContext
    from ..mainwindow import MainWindow

LOADING = "Đang tải…"


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
        self.body.setContentsMargins(*style.PAGE_MARGINS)
        self.body.setSpacing(style.SPACING)
        top = QHBoxLayout()
        heading = QLabel(self.title)
        heading.setObjectName("pageTitle")
        top.addWidget(heading)
        top.addStretch(1)
        self.loading_label = QLabel(LOADING)
        self.loading_label.setObjectName("loading")
        self.loading_label.setVisible(False)
        top.addWidget(self.loading_label)
        # said only when a load takes long enough to notice: a quick one would just flicker
        self._loading_timer = QTimer(self)
        self._loading_timer.setSingleShot(True)
        self._loading_timer.setInterval(150)
        self._loading_timer.timeout.connect(lambda: self.loading_label.setVisible(True))
        self.body.addLayout(top)
        if self.explanation:
            self.body.addWidget(hint(self.explanation))

    def scroll_below_title(self, focusable: bool = False) -> QScrollArea:
        """Everything added to ``self.body`` from now on scrolls under the fixed title and explanation when
        the page is short (1366×768 at 150 % leaves ~440 px): widgets keep their size instead of being
        squeezed into each other. A table given stretch 1 still takes whatever height is left.

        The area follows the keyboard (a control Tab lands on is scrolled into view); ``focusable`` makes
        the area itself a Tab stop too, for a page whose last lines are text: the arrows then scroll it."""
        page_body = self.body
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(0, 0, 8, 0)
        self.body.setSpacing(page_body.spacing())
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if not focusable:
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the controls inside, not to the area
        area.setWidget(inner)
        page_body.addWidget(area, 1)
        self.scroll_area = area
        return area

    def refresh(self) -> None:
        """Re-read what the page shows; called when the workspace, the period or the data change.

        With no workspace open the page is told at once (``present(None)``); otherwise its ``load``
        runs off the UI thread and ``present`` follows with the answer."""
        if self.window_.ws is None:
            self.present(None)
            return
        self.reload()

    def reload(self) -> None:
        self._loading_timer.start()
        self.window_.loader.request(self.key, self.load, self._loaded, self._failed)

    def _loaded(self, data: Any) -> None:
        self._loading_timer.stop()
        self.loading_label.setVisible(False)
        self.present(data)

    def _failed(self, exc: BaseException) -> None:
        from .. import errors

        self._loading_timer.stop()
        self.loading_label.setVisible(False)
        errors.report_exception(self, exc, "Không hiển thị được dữ liệu")

    def load(self, ctx: LoadContext) -> Any:
        """Ask the core for what the page shows (on the loader's thread: no widgets here)."""
        return None

    def present(self, data: Any) -> None:
        """Show ``load``'s answer (``None``: no workspace is open)."""


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("hint")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def tab_order(*widgets: QWidget) -> None:
    """Tab (and Shift+Tab) go through ``widgets`` in this order: the reading order, when it is not the
    order the widgets were made in."""
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)


class _EnterFilter(QObject):
    def __init__(self, view: QAbstractItemView, action: Callable[[], Any]) -> None:
        super().__init__(view)
        self.view = view
        self.action = action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                and self.view.currentIndex().isValid()):  # fmt: skip
            self.action()
            return True
        return False


def on_enter(view: QAbstractItemView, action: Callable[[], Any]) -> None:
    """Enter on a focused row does the row's main action (what a double click does, for the keyboard).

    Not the view's ``activated`` signal: it also fires on a double click, which already has its own slot."""
    view.installEventFilter(_EnterFilter(view, action))


def make_table() -> QTableView:
    view = QTableView()
    view.setTabKeyNavigation(False)  # Tab leaves the table for the next control; the arrows move in it
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
    fit_visible_rows(table)


#: tables up to this many rows have every row measured (a few ms); longer ones only the rows on screen
ALL_ROWS_UP_TO = 120


class _RowFitter(QObject):
    """Sizes the rows on screen to their text, after each change, scroll or resize — only those.

    ``QHeaderView.ResizeToContents`` on the rows measures every row of the model each time the
    table sorts, filters or changes: ~0.1 s on the UI thread for 200 wrapped rows, 0.5 s for 1,000
    (DESIGN §9.1). A row that scrolls into view is measured then; a short table (an indicator
    list, a unit's issues) is measured whole, which costs little."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.fit)
        table.verticalScrollBar().valueChanged.connect(self.timer.start)
        table.horizontalHeader().sectionResized.connect(self.timer.start)
        table.viewport().installEventFilter(self)
        self.watched: QAbstractItemModel | None = None

    def watch(self) -> None:
        model = self.table.model()
        if model is None or model is self.watched:
            return
        self.watched = model
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.dataChanged):
            signal.connect(self.timer.start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.timer.start()
        return False

    def fit(self) -> None:
        self.watch()
        table = self.table
        rows = table.model().rowCount() if table.model() is not None else 0
        if not rows or not table.isVisible():  # a hidden tab is fitted when it is shown
            return
        if rows <= ALL_ROWS_UP_TO:
            table.resizeRowsToContents()
            return
        height = table.viewport().height()
        most = height // max(table.verticalHeader().minimumSectionSize(), 1) + 1
        first = max(table.rowAt(0), 0)
        done: set[int] = set()
        for _ in range(3):  # a row grown pushes the next ones down: until the screen is covered
            last = table.rowAt(height - 1)
            last = min(rows - 1, first + most) if last < 0 else last
            for row in range(first, last + 1):
                if row not in done:
                    table.resizeRowToContents(row)
                    done.add(row)
            if table.rowAt(height - 1) in (last, -1):
                break


def fit_visible_rows(table: QTableView) -> None:
    """Rows as tall as their wrapped text, measured for the rows on screen only (``_RowFitter``)."""
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    fitter = _RowFitter(table)
    table.setProperty("rowFitter", True)
    fitter.watch()
    fitter.timer.start()


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


def current_object(table: QTableView) -> Any:
    """The row object (``OBJECT_ROLE``) of the table's current row, or None."""
    from ..models import OBJECT_ROLE

    index = table.currentIndex()
    return index.data(OBJECT_ROLE) if index.isValid() else None


def select_unit_row(table: QTableView, unit_code: str) -> bool:
    """Make the row whose object is ``unit_code``'s current and selected (as a click would); False when
    the table (through its sort/filter proxy) does not list it."""
    from ..models import OBJECT_ROLE

    view = table.model()
    for r in range(view.rowCount()):
        index = view.index(r, 0)
        if getattr(index.data(OBJECT_ROLE), "unit_code", None) == unit_code:
            table.setCurrentIndex(index)
            table.selectRow(r)
            return True
    return False
