"""The window's stack of pages, measured by the page on screen only.

``QStackedWidget`` sizes itself from every page it holds: each layout pass asked all nine pages
for their minimum size and their height for the window's width, laying out the wrapped text of
pages nobody was looking at. With a page just refilled (1,000 rows) that was about a fifth of a
page switch's time on the UI thread. Here only the current page is measured; a page shown later is
measured then (every page scrolls or shrinks, so none needs the others' room).
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QStackedLayout, QWidget


class CurrentPageLayout(QStackedLayout):
    """A ``QStackedLayout`` whose sizes are those of the current page alone (``show`` re-measures)."""

    def show(self, index: int) -> None:
        """Make page ``index`` current and have the window re-measure the stack for it."""
        self.setCurrentIndex(index)
        self.invalidate()

    def hasHeightForWidth(self) -> bool:
        return False

    def minimumSize(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint().expandedTo(page.minimumSize()) if page is not None else QSize(0, 0)

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint().expandedTo(page.minimumSize()) if page is not None else QSize(0, 0)


def page_stack() -> tuple[QWidget, CurrentPageLayout]:
    """The widget to place in the window and the layout that holds the pages (``addWidget``,
    ``setCurrentIndex``, ``currentWidget``… as on a ``QStackedWidget``)."""
    holder = QWidget()
    return holder, CurrentPageLayout(holder)
