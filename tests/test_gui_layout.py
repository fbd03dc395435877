"""The desktop on the common office laptop, 1366×768 (issue 16, point 9), and the received originals
it opens (point 10): a real window, offscreen, on a small workspace built from the fixture files.

Kiểm tra & thẩm định shows whole unit names and whole issue texts (wrapped rows as tall as their
text, no sideways scrolling), its splitter keeps its place across a restart, a framework is called
by its title, a new period's deadline follows the CV 1690 rule, and "Mở tệp gốc" opens the very file
the unit sent.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QStyle, QTableView
from test_gui_app import ErrorCall, page, private_folders, shown_errors  # noqa: F401

from app.framework import get_builtin
from app.gui.mainwindow import MainWindow
from app.gui.pages.check import ISSUE_MESSAGE, CheckPage
from app.gui.pages.dashboard import DashboardPage
from app.gui.pages.periods import PeriodsPage, from_qdate
from app.gui.pages.templates import TemplatesPage
from app.gui.settings import Settings
from app.period import parse_period
from app.workspace import Workspace, add_period, import_roster, ingest
from app.workspace.originals import unit_folder_name

ROOT = Path(__file__).resolve().parent.parent
RETURNED = ROOT / "tests" / "fixtures" / "returned"
ROSTER = ROOT / "tests" / "fixtures" / "rosters" / "returned_units.csv"
PERIOD = "2023-Q1"
SIZE = (1366, 768)
FILES = ("errors-part-exceeds-whole-na-without-note.xlsx", "good-filled-by-script.xlsx", "values-typed-as-text.xlsx")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    with Workspace.create(folder) as ws:
        import_roster(ws, ROSTER)
        ws.conn.execute("UPDATE units SET name = ? WHERE code = 'DV01'",
                        ("Trung tâm Huấn luyện và Thi đấu Thể dục Thể thao Thành phố Hồ Chí Minh",))  # fmt: skip
        ws.conn.commit()
        add_period(ws, PERIOD, "svhtt-1690")
        result = ingest(ws, PERIOD, [RETURNED / f for f in FILES], received=datetime(2023, 4, 10, 9, 0))
        assert sorted(result.added) == sorted(FILES)
    return folder


def laptop_window(qtbot: Any, settings_path: Path, folder: Path | None) -> MainWindow:
    w = MainWindow(Settings(settings_path))
    qtbot.addWidget(w)
    w.resize(*SIZE)
    w.show()
    qtbot.waitExposed(w)
    if folder is not None:
        assert w.open_workspace(folder)
        w.set_period(PERIOD)
    return w


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def text_height(table: QTableView, column: int, text: str) -> int:
    """How tall ``text`` is when wrapped in the column's width (as the cell draws it, less its margins)."""
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1  # Qt's text margin
    width = table.columnWidth(column) - 2 * margin
    return table.fontMetrics().boundingRect(QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text).height()


def assert_whole_text_shown(table: QTableView, column: int) -> int:
    """Every row of ``column`` is wrapped (not elided) and tall enough for its text; returns the most lines."""
    assert table.wordWrap() and table.textElideMode() == Qt.TextElideMode.ElideNone
    assert table.horizontalScrollBar().maximum() == 0, "the table scrolls sideways"
    line = table.fontMetrics().height()
    most = 1
    model = table.model()
    for row in range(model.rowCount()):
        text = model.index(row, column).data()
        needed = text_height(table, column, text)
        assert table.rowHeight(row) >= needed, (text, table.rowHeight(row), needed)
        assert model.index(row, column).data(Qt.ItemDataRole.ToolTipRole) == text
        most = max(most, round(needed / line))
    return most


def test_check_page_at_1366x768_shows_whole_names_and_issue_texts(
    qtbot: Any, tmp_path: Path, workspace: Path, shown_errors: list[ErrorCall]
) -> None:
    w = laptop_window(qtbot, tmp_path / "config" / "dtidesk.ini", workspace)
    assert (w.width(), w.height()) == SIZE
    check = page(w, CheckPage)
    settle()
    unit = next(u for u in check.units_model.items if u.errors)
    assert check.select_unit(unit.unit_code)
    settle()
    messages = [r.message for r in check.issues_model.items]
    longest = max(messages, key=len)
    assert len(longest) > 100  # a message longer than one line of the column
    assert check.issues_table.columnWidth(ISSUE_MESSAGE) > 300  # the message takes the width
    assert assert_whole_text_shown(check.issues_table, ISSUE_MESSAGE) >= 2  # at least one row wraps
    row = next(r for r in range(check.issues_proxy.rowCount()) if check.issues_proxy.index(r, ISSUE_MESSAGE).data()
               == longest)  # fmt: skip
    assert check.issues_table.rowHeight(row) > 1.5 * check.issues_table.fontMetrics().height()
    # the units: long names are shown whole (wrapped), the counts beside them
    names = [check.units_proxy.index(r, 1).data() for r in range(check.units_proxy.rowCount())]
    assert any(n.startswith("Trung tâm Huấn luyện") for n in names)
    assert_whole_text_shown(check.units_table, 1)
    # the scores: the indicator's title is whole too
    check.tabs.setCurrentIndex(1)
    settle()
    assert_whole_text_shown(check.indicators_table, 1)
    assert shown_errors == []


def test_check_splitter_keeps_its_place_after_a_restart(qtbot: Any, tmp_path: Path, workspace: Path) -> None:
    ini = tmp_path / "config" / "dtidesk.ini"
    first = laptop_window(qtbot, ini, workspace)
    check = page(first, CheckPage)
    settle()
    before = check.splitter.sizes()
    check.splitter.moveSplitter(before[0] + 150, 1)  # what dragging the handle does
    moved = check.splitter.sizes()
    assert moved[0] == before[0] + 150
    first.close()
    second = laptop_window(qtbot, ini, workspace)
    again = page(second, CheckPage)
    settle()
    assert again.splitter.sizes()[0] == moved[0]
    assert again.splitter.sizes() != before


def test_framework_by_title_and_deadline_by_rule(qtbot: Any, tmp_path: Path, workspace: Path) -> None:
    title = get_builtin("svhtt-1690").title
    w = laptop_window(qtbot, tmp_path / "config" / "dtidesk.ini", workspace)
    periods = page(w, PeriodsPage)
    assert periods.proxy.index(0, 2).data() == title
    settle()
    assert_whole_text_shown(periods.table, 2)  # the long title wraps, the deadline column stays on screen
    assert periods.framework_combo.currentText() == title and periods.framework_combo.currentData() == "svhtt-1690"
    # the period after the workspace's latest (2023-Q1), due by the rule: before 00:00 on 16/06/2023
    assert from_qdate(periods.deadline_edit.date()) == parse_period("2023-Q2").default_deadline == date(2023, 6, 16)
    assert "Quý II/2023" in periods.code_edit.placeholderText()
    periods.code_edit.setText("Quý IV/2024")
    assert from_qdate(periods.deadline_edit.date()) == parse_period("2024-Q4").default_deadline
    dash = page(w, DashboardPage)
    assert title in dash.headline.text() and "svhtt-1690" not in dash.headline.text()
    templates = page(w, TemplatesPage)
    assert title in templates.summary.text() and "svhtt-1690" not in templates.summary.text()


def test_new_workspace_deadline_is_the_rule_for_this_quarter_not_today(qtbot: Any, tmp_path: Path) -> None:
    w = laptop_window(qtbot, tmp_path / "config" / "dtidesk.ini", None)
    assert w.create_workspace(tmp_path / "new")
    periods = page(w, PeriodsPage)
    periods.today = date(2024, 11, 3)
    periods.refresh()
    assert from_qdate(periods.deadline_edit.date()) == date(2024, 12, 16)
    assert from_qdate(periods.deadline_edit.date()) == parse_period("2024-Q4").default_deadline
    assert "Quý IV/2024" in periods.code_edit.placeholderText()


def test_open_original_opens_the_file_the_unit_sent(
    qtbot: Any, tmp_path: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch, shown_errors: list[ErrorCall]
) -> None:
    w = laptop_window(qtbot, tmp_path / "config" / "dtidesk.ini", workspace)
    check = page(w, CheckPage)
    opened: list[Path] = []
    monkeypatch.setattr(check, "open_file", opened.append)
    unit = next(u for u in check.units_model.items if u.file == "good-filled-by-script.xlsx")
    assert check.select_unit(unit.unit_code)
    assert check.original_button.isEnabled()
    check.original_button.click()
    (path,) = opened
    assert path.read_bytes() == (RETURNED / unit.file).read_bytes()
    assert path.parent == workspace / "received" / PERIOD / unit_folder_name(unit.unit_code, unit.unit_name)
    assert path.parent.name.startswith(f"{unit.unit_code} - {unit.unit_name[:20]}")
    assert path.name == f"2023-04-10 {unit.file}"
    assert shown_errors == []


def test_window_fits_the_laptop_at_150_percent(qtbot: Any, tmp_path: Path) -> None:
    """At 150 % scaling 1366×768 is 911×512 logical pixels, less a 48-pixel taskbar: the window must fit."""
    w = laptop_window(qtbot, tmp_path / "config" / "dtidesk.ini", None)
    minimum = w.minimumSize()
    assert minimum.width() * 1.5 <= SIZE[0] and minimum.height() * 1.5 <= SIZE[1] - 48
    w.resize(911, 480)
    assert (w.width(), w.height()) == (911, 480)


def laid_out_siblings(layout: Any) -> list[Any]:
    """The visible widgets a layout (and the layouts inside it) places side by side or one above another."""
    out = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is not None and item.widget().isVisible():
            out.append(item.widget())
        elif item.layout() is not None:
            out.extend(laid_out_siblings(item.layout()))
    return out


def test_intake_at_150_percent_nothing_overlaps(qtbot: Any, tmp_path: Path, workspace: Path) -> None:
    """1366×768 at 150 % less the taskbar: 911×464 logical pixels. The drop zone once covered the buttons
    and the texts below it; now no two widgets laid out together overlap and every button is whole."""
    from PySide6.QtWidgets import QPushButton, QWidget

    from app.gui.pages.history import HistoryPage
    from app.gui.pages.intake import IntakePage

    w = laptop_window(qtbot, tmp_path / "config" / "dtidesk.ini", workspace)
    w.resize(911, 464)
    intake = page(w, IntakePage)
    settle()
    containers = [intake, *intake.findChildren(QWidget)]
    checked = 0
    for container in containers:
        if container.layout() is None or not container.isVisible():
            continue
        widgets = laid_out_siblings(container.layout())
        boxes = [(x, x.geometry()) for x in widgets]
        for n, (a, ra) in enumerate(boxes):
            for b, rb in boxes[n + 1 :]:
                assert not ra.intersects(rb), (a, ra, b, rb)
                checked += 1
    assert checked > 20
    buttons = [b for b in intake.findChildren(QPushButton) if b.isVisible()]
    assert len(buttons) >= 7
    for button in buttons:
        assert button.height() >= button.sizeHint().height(), (button.text(), button.height())
        assert button.width() >= button.sizeHint().width(), (button.text(), button.width())
    assert intake.table.height() >= 200  # the table keeps room for its rows (the page scrolls instead)
    # Lịch sử điểm at the same size: at least eight rows of the table on screen
    history = page(w, HistoryPage)
    settle()
    rows = history.table.verticalHeader().defaultSectionSize()
    assert history.table.viewport().height() >= HistoryPage.ROWS * rows


def test_ranking_at_150_percent_shows_several_units(qtbot: Any, tmp_path: Path, workspace: Path) -> None:
    """Xếp hạng at 911×464, in the program's own style: the table keeps room for six units and the page
    scrolls to the explanation and the chart below — squeezed together, the table showed two and a half."""
    from app.gui import style
    from app.gui.pages.ranking import RankingPage

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style.apply(app)  # the program's own type and spacing, as the clerk sees them (launch.make_app)
    w = laptop_window(qtbot, tmp_path / "config" / "dtidesk.ini", workspace)
    w.resize(911, 464)
    ranking = page(w, RankingPage)
    settle()
    table = ranking.table
    shown = table.viewport().height() // table.rowHeight(0)
    assert shown >= RankingPage.ROWS, (shown, table.viewport().height(), table.rowHeight(0))
    assert ranking.chart.isVisible() and ranking.explanations.isVisible()
    assert ranking.scroll_area.verticalScrollBar().maximum() > 0  # the rest is a scroll away


def test_the_period_and_its_state_stay_in_the_toolbar_at_150_percent(qtbot: Any, tmp_path: Path,
                                                                      workspace: Path) -> None:  # fmt: skip
    """911 logical pixels wide: the period chooser, its state and the steps button are on the toolbar,
    not pushed behind its "»" overflow button (where a clerk would not see which step the period is at)."""
    from app.gui import style

    style.apply(QApplication.instance())  # type: ignore[arg-type]
    w = laptop_window(qtbot, tmp_path / "config" / "dtidesk.ini", workspace)
    w.resize(911, 464)
    settle()
    assert w.state_label.text().strip().startswith("Bước:")
    from datetime import date

    from app.workspace.period_state import EXPLAINING, PeriodState, state_line

    longest = state_line(PeriodState(PERIOD, EXPLAINING, date(2023, 12, 31), None, None))
    assert longest == "Bước: Chờ đơn vị giải trình (trước 00g00 ngày 31/12/2023)"
    w.state_label.setText(longest)  # the longest state line there is
    settle()
    for widget in (w.period_combo, w.state_label, w.step_button):
        assert widget.isVisible(), widget
        right = widget.mapTo(w, widget.rect().topRight()).x()
        assert right <= w.width(), (widget, right)
    assert "Quý I" in w.period_combo.currentText()
    assert w.period_combo.width() >= w.period_combo.sizeHint().width()  # the period's name whole
