"""Qt table models over the core's objects, and the proxy that sorts Vietnamese names properly.

``ObjectTableModel`` shows a list of core dataclasses (``Unit``, ``UnitStatus``, ``PeriodInfo``)
through a list of ``Column``s: header, the text to show, and optionally a sort value. Views sort
and filter through ``VietSortProxy`` — never by re-querying — and text columns sort by
``scoring.collation.sort_key`` so "Đ" comes after "D" and tones order a à ả ã á ạ.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.textfold import fold
from scoring.collation import sort_key

from . import style

if TYPE_CHECKING:
    from app.workspace import PeriodInfo, Unit, UnitStatus

T = TypeVar("T")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2
# ``data`` runs for every role of every cell on screen at each repaint (7 roles a cell, ~1,500 calls
# for a page of rows): the roles as plain ints compare without looking up Qt's enum each time
_DISPLAY, _TOOLTIP = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole)
_ALIGN, _FOREGROUND = int(Qt.ItemDataRole.TextAlignmentRole), int(Qt.ItemDataRole.ForegroundRole)
_SORT, _OBJECT = int(SORT_ROLE), int(OBJECT_ROLE)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    text: Callable[[T], str]
    sort: Callable[[T], Any] | None = None  # default: Vietnamese collation of the text
    align_right: bool = False
    color: Callable[[T], str | None] | None = None  # a text colour name, e.g. "#b00020"


def day_text(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def _key(value: Any) -> tuple[int, Any]:
    """A sort value that compares with any other of its column: empty (None) cells first."""
    return (0, 0) if value is None else (1, value)


@dataclass
class Prepared(Generic[T]):
    """Rows ready to show: every cell's text, sort value, colour and the row's search text.

    Built by ``prepare`` — plain Python, so a page's ``load`` builds it on the loader's thread and
    the UI thread only hands it to the model: no per-cell work on the UI thread (DESIGN §9.1)."""

    items: list[T]
    texts: list[list[str]]
    keys: list[list[tuple[int, Any]]]
    colours: list[list[str | None]]
    search: list[str]

    def reorder(self, order: Sequence[int]) -> Prepared[T]:
        return Prepared([self.items[i] for i in order], [self.texts[i] for i in order],
                        [self.keys[i] for i in order], [self.colours[i] for i in order],
                        [self.search[i] for i in order])  # fmt: skip


def prepare(columns: Sequence[Column[T]], items: Sequence[T]) -> Prepared[T]:
    """Compute what ``ObjectTableModel`` shows for ``items`` under ``columns`` (any thread)."""
    texts, keys, colours, search = [], [], [], []
    for obj in items:
        row = [c.text(obj) for c in columns]
        texts.append(row)
        keys.append(
            [_key(c.sort(obj)) if c.sort is not None else _key(sort_key(t)) for c, t in zip(columns, row, strict=True)]
        )
        colours.append([c.color(obj) if c.color is not None else None for c in columns])
        search.append("\n".join(fold(t) for t in row))
    return Prepared(list(items), texts, keys, colours, search)


class ObjectTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table of objects, one row each; ``set_items`` replaces them all.

    Models whose rows have a stable identity (``row_key``) are refreshed in place: when the new
    list has the same rows in the same order, only the rows that changed are announced
    (``dataChanged``), so a view re-reads a handful of cells instead of the whole table, its
    selection and scroll position stay; the same rows in another order are a layout change
    (selection kept). That is what keeps live refreshes during an ingest of hundreds of files
    cheap on the UI thread.

    The model sorts itself (``sort``: Python's sort over the prepared sort values, then one
    layout change), so a view's sort proxy never calls back into Python for each comparison —
    which is what made sorting 1,000 rows cost a quarter of a second. Rows are kept ``Prepared``.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = self.make_columns()
        self._rows: Prepared[T] = prepare(self.columns, [])
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._brushes: dict[str, QBrush] = {}

    def make_columns(self) -> Sequence[Column[T]]:
        raise NotImplementedError

    @property
    def items(self) -> list[T]:
        return list(self._rows.items)

    def row_key(self, item: T) -> Any:
        """A value identifying the row across refreshes; ``None`` (the default): always reset."""
        return None

    def set_items(self, items: Sequence[T] | Prepared[T]) -> None:
        rows = items if isinstance(items, Prepared) else prepare(self.columns, items)
        rows = self._sorted(rows)
        new = rows.items
        if self._same_rows(new):
            changed = [row for row, (a, b) in enumerate(zip(self._rows.items, new, strict=True)) if a != b]
            self._rows = rows
            if changed:  # one signal for the span: a view re-reads those rows once
                self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], len(self.columns) - 1))
            return
        if self._same_keys(new):  # the same rows, moved: selection and current row follow their rows
            old_rows = {self.row_key(item): n for n, item in enumerate(self._rows.items)}
            moved = {old_rows[self.row_key(item)]: n for n, item in enumerate(new)}
            self._relayout(rows, moved)
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def _keys(self, items: Sequence[T]) -> list[Any] | None:
        keys = [self.row_key(i) for i in items]
        if not keys or keys[0] is None or len(set(keys)) != len(keys):
            return None
        return keys

    def _same_rows(self, new: list[T]) -> bool:
        if not self._rows.items or len(new) != len(self._rows.items):
            return False
        keys = self._keys(new)
        return keys is not None and keys == self._keys(self._rows.items)

    def _same_keys(self, new: list[T]) -> bool:
        if not self._rows.items or len(new) != len(self._rows.items):
            return False
        keys, old = self._keys(new), self._keys(self._rows.items)
        return keys is not None and old is not None and set(keys) == set(old)

    def _relayout(self, rows: Prepared[T], moved: dict[int, int]) -> None:
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        self._rows = rows
        for index in persistent:
            self.changePersistentIndex(index, self.index(moved.get(index.row(), index.row()), index.column()))
        self.layoutChanged.emit()

    def _sorted(self, rows: Prepared[T]) -> Prepared[T]:
        if self._sort is None or not rows.items:
            return rows
        column, order = self._sort
        if not 0 <= column < len(self.columns):
            return rows
        by = sorted(range(len(rows.items)), key=lambda n: rows.keys[n][column],
                    reverse=order == Qt.SortOrder.DescendingOrder)  # fmt: skip
        return rows.reorder(by)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order) if column >= 0 else None
        if not self._rows.items:
            return
        before = self._rows
        rows = self._sorted(before)
        position = {id(item): n for n, item in enumerate(rows.items)}
        moved = {n: position[id(item)] for n, item in enumerate(before.items)}
        self._relayout(rows, moved)

    def item(self, row: int) -> T:
        return self._rows.items[row]

    def search_text(self, row: int) -> str:
        """Every cell of the row, folded for searching (``app.textfold``), one line per cell."""
        return self._rows.search[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008  (Qt's own signature)
        return 0 if parent.isValid() else len(self._rows.items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == _DISPLAY or role == _TOOLTIP:
            return self._rows.texts[row][col]
        if role == _SORT:
            return self._rows.keys[row][col]
        if role == _OBJECT:
            return self._rows.items[row]
        if role == _ALIGN and self.columns[col].align_right:
            return _RIGHT
        if role == _FOREGROUND:
            colour = self._rows.colours[row][col]
            if colour is None:
                return None
            if colour not in self._brushes:
                self._brushes[colour] = QBrush(QColor(colour))
            return self._brushes[colour]
        return None


class VietSortProxy(QSortFilterProxyModel):
    """Sorts by each column's sort value (Vietnamese collation for text) and filters by a search text.

    Over an ``ObjectTableModel`` the sorting is the model's own (``ObjectTableModel.sort``) and the
    search looks in its prepared text; the search ignores case, spacing, NFC/NFD and the old/new
    tone placement (``app.textfold``) and matches any column.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._needle = ""

    def set_search(self, text: str) -> None:
        self._needle = fold(text.strip())
        self.invalidateFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, ObjectTableModel):
            model.sort(column, order)
            return
        super().sort(column, order)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        a = left.data(SORT_ROLE)
        b = right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:  # None against a value: empty cells sort first
            return a is None and b is not None

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        if isinstance(model, ObjectTableModel):
            return self._needle in model.search_text(source_row)
        for col in range(model.columnCount()):
            text = model.data(model.index(source_row, col, source_parent), Qt.ItemDataRole.DisplayRole)
            if text and self._needle in fold(str(text)):
                return True
        return False


# --- the models of the core's objects -------------------------------------------------------------


def _state_order(s: UnitStatus) -> tuple[int, str]:
    """Unreadable files first (the office must write back to their units), then what is missing."""
    order = {"rejected": 0, "rejected-file": 1, "unknown": 2, "missing": 3, "not-counted": 4, "received": 5}
    late = 0 if s.on_time is False else 1
    return (order.get(s.state, 9) * 10 + (0 if s.errors else 5) + late, s.unit_code)


def _state_colour(s: UnitStatus) -> str | None:
    if s.state == "received" and s.on_time and not s.errors:
        return style.OK  # nothing to do
    if s.state == "missing":
        return style.MISSING
    return style.ERROR  # something for the office to look at (the state says what, in words)


class UnitsModel(ObjectTableModel["Unit"]):
    def make_columns(self) -> Sequence[Column[Unit]]:
        return (
            Column("Mã đơn vị", lambda u: u.code, sort=lambda u: sort_key(u.code)),
            Column("Tên đơn vị", lambda u: u.name),
            Column("Thư điện tử", lambda u: u.email),
            Column("Người liên hệ", lambda u: u.contact),
            Column("Điện thoại", lambda u: u.phone),
            Column("Tình trạng", _unit_state, color=lambda u: "" if u.active else "#6b6b6b"),  # said in words too
        )


def _unit_state(unit: Unit) -> str:
    from app.workspace.roster_edit import state_label  # not at start-up

    return state_label(unit)


def _framework_title(framework_id: str) -> str:
    from app.framework import framework_title  # not at start-up: loading a framework reads YAML

    return framework_title(framework_id)


class PeriodsModel(ObjectTableModel["PeriodInfo"]):
    """The periods; ``titles`` (period code → framework title, ``period_framework_titles``) is set by the
    page before ``set_items``: a custom framework's title lives in the workspace's copy, not in its id."""

    titles: dict[str, str] = {}  # noqa: RUF012 — replaced, never mutated

    def make_columns(self) -> Sequence[Column[PeriodInfo]]:
        return (
            Column("Mã kỳ", lambda p: p.code, sort=lambda p: p.code),
            Column("Tên kỳ", lambda p: p.label, sort=lambda p: p.code),
            Column("Bộ chỉ số", lambda p: self.titles.get(p.code) or _framework_title(p.framework_id)),
            Column("Hạn nộp (trước 00g00 ngày)", lambda p: day_text(p.deadline), sort=lambda p: p.deadline),
        )


class StatusModel(ObjectTableModel["UnitStatus"]):
    def row_key(self, item: UnitStatus) -> Any:
        return item.unit_code or ("", item.file)  # a file of no known unit: by its name

    def make_columns(self) -> Sequence[Column[UnitStatus]]:
        def counted(value: int, s: UnitStatus) -> str:
            return str(value) if s.submission_id else ""

        return (
            Column("Mã đơn vị", lambda s: s.unit_code, sort=lambda s: sort_key(s.unit_code)),
            Column("Tên đơn vị", lambda s: s.unit_name or (f"(tệp của đơn vị {s.named_unit})" if s.named_unit else "")),
            Column("Tình trạng", lambda s: s.label_vi, sort=_state_order, color=_state_colour),
            Column("Lỗi", lambda s: counted(s.errors, s), sort=lambda s: s.errors, align_right=True),
            Column("Cảnh báo", lambda s: counted(s.warnings, s), sort=lambda s: s.warnings, align_right=True),
            Column(
                "Nhận lúc",
                lambda s: day_text(s.received_at),
                sort=lambda s: s.received_at.isoformat() if s.received_at else "",
            ),
            Column("Tệp", lambda s: s.file),
            Column("Ghi chú", lambda s: s.message),
        )
