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

if TYPE_CHECKING:
    from app.workspace import PeriodInfo, Unit, UnitStatus

T = TypeVar("T")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2
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


class ObjectTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table of objects, one row each; ``set_items`` replaces them all.

    Models whose rows have a stable identity (``row_key``) are refreshed in place: when the new
    list has the same rows in the same order, only the rows that changed are announced
    (``dataChanged``), so a view re-reads a handful of cells instead of the whole table, its
    selection and scroll position stay, and a sort proxy moves only those rows. That is what
    keeps live refreshes during an ingest of hundreds of files cheap on the UI thread.

    Sort values and the folded text a search looks in are computed once per row and kept until
    the rows change: sorting 1,000 rows asks for ~20,000 sort values, and each keystroke in a
    search box would otherwise fold every cell again (DESIGN §9.4).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[T] = []
        self._sort_cache: dict[tuple[int, int], Any] = {}
        self._search_cache: dict[int, str] = {}
        self.columns = self.make_columns()

    def make_columns(self) -> Sequence[Column[T]]:
        raise NotImplementedError

    @property
    def items(self) -> list[T]:
        return list(self._items)

    def row_key(self, item: T) -> Any:
        """A value identifying the row across refreshes; ``None`` (the default): always reset."""
        return None

    def set_items(self, items: Sequence[T]) -> None:
        new = list(items)
        self._sort_cache.clear()
        self._search_cache.clear()
        if self._same_rows(new):
            changed = [row for row, (a, b) in enumerate(zip(self._items, new, strict=True)) if a != b]
            self._items = new
            if changed:  # one signal for the span: a sort proxy then re-sorts once, not once per row
                self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], len(self.columns) - 1))
            return
        self.beginResetModel()
        self._items = new
        self.endResetModel()

    def _same_rows(self, new: list[T]) -> bool:
        if not self._items or len(new) != len(self._items):
            return False
        keys = [self.row_key(i) for i in new]
        if keys[0] is None or len(set(keys)) != len(keys):
            return False
        return keys == [self.row_key(i) for i in self._items]

    def item(self, row: int) -> T:
        return self._items[row]

    def search_text(self, row: int) -> str:
        """Every cell of the row, folded for searching (``app.textfold``), one line per cell."""
        if row not in self._search_cache:
            obj = self._items[row]
            self._search_cache[row] = "\n".join(fold(c.text(obj)) for c in self.columns)
        return self._search_cache[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008  (Qt's own signature)
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        obj = self._items[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(obj)
        if role == SORT_ROLE:
            key = (index.row(), index.column())
            if key not in self._sort_cache:
                self._sort_cache[key] = column.sort(obj) if column.sort is not None else sort_key(column.text(obj))
            return self._sort_cache[key]
        if role == OBJECT_ROLE:
            return obj
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            colour = column.color(obj)
            return QBrush(QColor(colour)) if colour else None
        return None


class VietSortProxy(QSortFilterProxyModel):
    """Sorts by each column's sort value (Vietnamese collation for text) and filters by a search text.

    The search ignores case, spacing, NFC/NFD and the old/new tone placement (``app.textfold``)
    and matches any column.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._needle = ""

    def set_search(self, text: str) -> None:
        self._needle = fold(text.strip())
        self.invalidateFilter()

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
        return "#1b6e20"  # green: nothing to do
    if s.state == "missing":
        return "#8a5a00"
    return "#b00020"  # red: something for the office to look at


class UnitsModel(ObjectTableModel["Unit"]):
    def make_columns(self) -> Sequence[Column[Unit]]:
        return (
            Column("Mã đơn vị", lambda u: u.code, sort=lambda u: sort_key(u.code)),
            Column("Tên đơn vị", lambda u: u.name),
            Column("Thư điện tử", lambda u: u.email),
            Column("Người liên hệ", lambda u: u.contact),
        )


def _framework_title(framework_id: str) -> str:
    from app.framework import framework_title  # not at start-up: loading a framework reads YAML

    return framework_title(framework_id)


class PeriodsModel(ObjectTableModel["PeriodInfo"]):
    def make_columns(self) -> Sequence[Column[PeriodInfo]]:
        return (
            Column("Mã kỳ", lambda p: p.code, sort=lambda p: p.code),
            Column("Tên kỳ", lambda p: p.label, sort=lambda p: p.code),
            Column("Bộ chỉ số", lambda p: _framework_title(p.framework_id)),
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
