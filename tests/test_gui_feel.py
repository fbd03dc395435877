"""Issue 21 (responsiveness and look): pages load off the UI thread and drop stale answers, the
history of a unit and of the period, printing with a preview, the dashboard's progress chart,
keyboard shortcuts — each driven through the real widgets."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt, QUrl
from PySide6.QtPrintSupport import QPrintPreviewDialog
from test_gui_app import WAIT, ErrorCall, private_folders, shown_errors  # noqa: F401

from app.demo.fill import simulate
from app.demo.roster import SAMPLE_UNITS, write_roster_csv
from app.framework import get_builtin
from app.gui.chart import LineChart
from app.gui.mainwindow import MainWindow
from app.gui.pages.dashboard import DashboardPage
from app.gui.pages.history import HistoryPage
from app.gui.pages.ranking import RankingPage
from app.gui.pages.reports import ReportsPage
from app.gui.settings import Settings
from app.period import parse_period
from app.workspace import Workspace, add_period, import_roster, ingest
from app.workspace.history import change_text, rank_change_text

PERIODS = ("2022-Q4", "2023-Q1")


@pytest.fixture(scope="module")
def two_quarters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 25 sample units' returns for Q4/2022 and Q1/2023 (the demo's simulated e-mails' workbooks)."""
    tmp = tmp_path_factory.mktemp("two-quarters")
    fw = get_builtin("svhtt-1690")
    with Workspace.create(tmp / "ws") as ws:
        import_roster(ws, write_roster_csv(tmp / "roster.csv"))
        for n, code in enumerate(PERIODS):
            add_period(ws, code, fw.id)
            simulate(fw, parse_period(code), SAMPLE_UNITS, tmp / code, seed=7 + n)
            ingest(ws, code, [tmp / code], received=datetime(2023, 1 + 3 * n, 10, 9, 0))
    return tmp / "ws"


@pytest.fixture
def opened(qtbot: Any, tmp_path: Path, two_quarters: Path, shown_errors: list[ErrorCall]) -> MainWindow:
    w = MainWindow(Settings(tmp_path / "config" / "dtidesk.ini"))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    assert w.open_workspace(two_quarters)
    w.set_period("2023-Q1")
    return w


# --- loading off the UI thread ------------------------------------------------------------------------------


def test_loader_runs_off_the_ui_thread_and_drops_a_stale_answer(opened: MainWindow, qtbot: Any) -> None:
    import threading

    loader = opened.loader
    loader.wait = False
    shown: list[str] = []
    threads: list[str] = []

    def slow(ctx: Any) -> str:
        threads.append(threading.current_thread().name)
        time.sleep(0.3)
        return "old"

    def fast(ctx: Any) -> str:
        threads.append(threading.current_thread().name)
        return f"new {ctx.period}"

    before = loader.discarded
    loader.request("test", slow, shown.append, pytest.fail)
    loader.request("test", fast, shown.append, pytest.fail)  # asked again before the first answered
    assert loader.loading("test") and shown == []  # the UI thread did not wait
    qtbot.waitUntil(lambda: not loader.loading("test") and loader.discarded == before + 1, timeout=WAIT)
    assert shown == ["new 2023-Q1"]  # the older answer, arriving first, was not shown
    assert threads and all(t.startswith("dtidesk-loader") for t in threads)


def test_cycles_are_collected_on_the_ui_thread_and_a_load_answer_needs_no_collection(
    opened: MainWindow, qtbot: Any
) -> None:
    """A full collection holds every thread (60–90 ms at 1,000 units) and one run on the loader's
    thread may delete a Qt object there: while a window is open, collections run from its event
    loop only (app.gui.collector), and a delivered answer is freed by reference counting alone (a
    cycle through the load's Future kept each one alive until a full collection)."""
    import gc
    import threading
    import weakref

    from PySide6.QtCore import QObject

    class Answer:
        pass

    loader = opened.loader
    loader.wait = False
    during: list[bool] = []
    shown: list[weakref.ref[Answer]] = []

    def load(ctx: Any) -> Answer:
        during.append(gc.isenabled())
        return Answer()

    loader.request("test", load, lambda answer: shown.append(weakref.ref(answer)), pytest.fail)
    qtbot.waitUntil(lambda: not loader.loading("test"), timeout=WAIT)
    qtbot.wait(50)  # the executor lets go of its work item
    assert during == [False]  # no automatic collection can start on the loader's thread
    assert len(shown) == 1 and shown[0]() is None  # freed without any collection

    collected_on: list[str] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collected_on.append(threading.current_thread().name)

    class Cycle(QObject):
        pass

    gc.callbacks.append(seen)
    try:
        for _ in range(2000):  # cyclic garbage holding Qt objects, past the young generation's threshold
            a, b = Cycle(), Cycle()
            a.other, b.other = b, a  # type: ignore[attr-defined]
        gone = weakref.ref(a)
        del a, b
        assert gone() is not None  # nothing collected it yet: the automatic collector is off
        qtbot.waitUntil(lambda: gone() is None, timeout=WAIT)  # the window's timer did
        assert collected_on and set(collected_on) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(seen)
    opened.close()
    assert gc.isenabled()  # the window closed: automatic collection is back


def test_a_page_says_it_is_loading_then_shows_the_newest_period(opened: MainWindow, qtbot: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    ranking = opened.go_to("ranking")
    assert isinstance(ranking, RankingPage)
    opened.loader.wait = False
    real = RankingPage.load

    def slow_load(self: RankingPage, ctx: Any) -> Any:
        time.sleep(0.4)
        return real(self, ctx)

    monkeypatch.setattr(RankingPage, "load", slow_load)
    opened.set_period("2022-Q4")
    opened.set_period("2023-Q1")  # changed mind at once: only Q1's ranking may end up on screen
    qtbot.waitUntil(lambda: ranking.loading_label.isVisible(), timeout=WAIT)
    assert ranking.loading_label.text() == "Đang tải…"
    qtbot.waitUntil(opened.pages_loaded, timeout=WAIT)
    assert not ranking.loading_label.isVisible()
    assert ranking.scores is not None and ranking.scores.info.code == "2023-Q1"
    assert ranking.model.rowCount() == len(ranking.scores.ranked) > 0


def test_sorting_is_the_models_own_and_keeps_the_selection(opened: MainWindow) -> None:
    ranking = opened.go_to("ranking")
    assert isinstance(ranking, RankingPage)
    ranking.select_unit(ranking.model.item(3).unit_code)
    chosen = ranking.selected()
    assert chosen is not None
    ranking.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # by name
    names = [ranking.proxy.index(r, 2).data() for r in range(ranking.proxy.rowCount())]
    from scoring.collation import sort_key

    assert names == sorted(names, key=sort_key)
    assert ranking.selected() == chosen  # the selected unit followed its row
    ranking.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # by total, highest first
    totals = [ranking.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2).appraised_cents
              for r in range(ranking.proxy.rowCount())]  # fmt: skip
    assert totals == sorted(totals, reverse=True)


# --- history ---------------------------------------------------------------------------------------------


def test_history_compares_with_the_quarter_before_and_charts_a_unit(opened: MainWindow) -> None:
    history = opened.go_to("history")
    assert isinstance(history, HistoryPage)
    assert history.period_label.text() == "Quý I năm 2023 so với Quý IV năm 2022"
    rows = history.model.items
    assert rows and all(r.previous_cents is not None for r in rows if r.unit_code in {"DV01", "DV02"})
    row = next(r for r in rows if r.previous_cents is not None and r.change_cents)
    history.select_unit(row.unit_code)
    shown = history.proxy.index(history.table.currentIndex().row(), 5).data()
    assert shown == change_text(row.change_cents) and shown[0] in "▲▼"  # the arrow says it, not only the colour
    assert history.history is not None and [p.period for p in history.history.points] == list(PERIODS)
    assert history.total_chart.categories == list(PERIODS)
    assert history.total_chart.isVisible()
    legend = history.total_chart.legend()
    from app.numbers import format_decimal_vi
    from scoring.rounding import cents_to_decimal

    assert legend == [f"Tổng điểm sau thẩm định: {format_decimal_vi(cents_to_decimal(row.cents))}"]
    assert len(history.pillar_chart.series) == 6  # the six pillars of QĐ 79 Phụ lục I
    image = history.total_chart.grab().toImage()
    line = history.total_chart.series[0].colour.rgb()
    drawn = sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2) if image.pixel(x, y) == line)
    assert drawn > 20  # the total's line (and its legend swatch) is painted


def test_history_words() -> None:
    assert change_text(1250) == "▲ +12,50" and change_text(-300) == "▼ -3,00" and change_text(None) == "—"
    assert rank_change_text(3) == "▲ lên 3 hạng" and rank_change_text(-1) == "▼ xuống 1 hạng"


def test_history_command(two_quarters: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from app.cli.main import main

    assert main(["history", "--workspace", str(two_quarters), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == "2023-Q1" and data["previous"] == "2022-Q4" and len(data["units"]) > 10
    assert main(["history", "--workspace", str(two_quarters), "--unit", "DV01"]) == 0
    out = capsys.readouterr().out
    assert "DV01" in out and "2022-Q4" in out and "2023-Q1" in out
    assert main(["history", "--workspace", str(two_quarters), "--unit", "KHONGCO"]) != 0
    assert "Không có đơn vị mã KHONGCO" in capsys.readouterr().err


# --- printing --------------------------------------------------------------------------------------------


def test_scorecard_prints_to_pdf_with_the_unit_and_its_total(opened: MainWindow, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from app.gui.printing import to_pdf

    ranking = opened.go_to("ranking")
    assert isinstance(ranking, RankingPage)
    unit = ranking.model.item(0)
    ranking.select_unit(unit.unit_code)
    html = ranking.scorecard_html()
    assert html is not None
    pdf = to_pdf(html, tmp_path / "phieu-diem.pdf")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages)
    from app.numbers import format_decimal_vi

    assert unit.unit_name.split()[0] in text and unit.unit_code in text
    assert format_decimal_vi(unit.appraised_total) in text  # the total, with a decimal comma
    ranking_pdf = to_pdf(ranking.ranking_html() or "", tmp_path / "xep-hang.pdf", landscape=True)
    reader = PdfReader(ranking_pdf)
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # A4 landscape
    assert "BẢNG XẾP HẠNG" in " ".join((reader.pages[0].extract_text() or "").split())


def test_print_preview_opens_and_closes(opened: MainWindow, qtbot: Any) -> None:
    ranking = opened.go_to("ranking")
    assert isinstance(ranking, RankingPage)
    ranking.select_unit(ranking.model.item(1).unit_code)
    ranking.print_card_button.click()
    dialog = ranking.preview_dialog
    assert isinstance(dialog, QPrintPreviewDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    assert "Phiếu điểm" in dialog.windowTitle()
    dialog.reject()
    assert not dialog.isVisible()
    ranking.print_ranking_button.click()
    assert ranking.preview_dialog is not dialog and ranking.preview_dialog is not None
    ranking.preview_dialog.reject()


def test_the_report_opens_in_the_spreadsheet_program(opened: MainWindow, qtbot: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    opened_urls: list[QUrl] = []
    monkeypatch.setattr("app.gui.mainwindow.QDesktopServices.openUrl", lambda url: opened_urls.append(url) or True)
    reports = opened.go_to("reports")
    assert isinstance(reports, ReportsPage)
    reports.docx_check.setChecked(False)
    target = reports.default_path()
    assert target is not None and reports.export(target) is not None
    qtbot.waitUntil(lambda: not opened.busy(), timeout=60_000)
    assert reports.open_file_button.text() == "Mở báo cáo" and not reports.open_file_button.isHidden()
    reports.open_file_button.click()
    assert [u.toLocalFile() for u in opened_urls] == [str(target)]


# --- the dashboard and the keyboard ---------------------------------------------------------------------


def test_dashboard_charts_the_quarter_up_to_the_deadline(opened: MainWindow) -> None:
    dash = opened.go_to("dashboard")
    assert isinstance(dash, DashboardPage)
    dash.today = date(2023, 4, 25)
    dash.refresh()
    progress = dash.progress
    assert progress is not None and progress.deadline == date(2023, 4, 20)
    chart = dash.progress_chart
    assert isinstance(chart, LineChart) and chart.isVisible()
    assert [s.name for s in chart.series] == ["Đúng hạn", "Nộp muộn", "Chưa nộp"]  # words beside the colours
    assert chart.marker is not None and chart.marker[1] == "Hạn nộp"
    assert chart.categories[chart.marker[0]] == "20/04"
    last = progress.points[-1]
    assert dash.counts is not None
    assert (last.on_time, last.late) == (dash.counts.on_time, dash.counts.late)
    assert progress.points[0].missing == progress.units  # before the first file: nobody
    assert all(a.missing >= b.missing for a, b in zip(progress.points, progress.points[1:], strict=False))


def test_ctrl_number_goes_to_each_page(opened: MainWindow, qtbot: Any) -> None:
    opened.activateWindow()
    for number, key in enumerate(("dashboard", "units", "periods", "templates", "intake", "check", "ranking",
                                  "reports", "history")):  # fmt: skip
        qtbot.keyClick(opened, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
        assert opened.current_page().key == key
        assert opened.nav.item(number).toolTip().endswith(f"(Ctrl+{number})")


def test_the_ui_thread_collector_collects_the_oldest_generation_due_once(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python's own rule, applied from the timer: nothing below the young threshold, else the oldest
    generation whose counter is due — one collection, which takes the younger generations with it."""
    import gc

    from PySide6.QtCore import QObject

    from app.gui.collector import UiThreadCollector

    owner = QObject()
    collector = UiThreadCollector(owner)
    try:
        collector.thresholds = (700, 10, 10)
        done: list[int] = []
        monkeypatch.setattr(gc, "collect", lambda generation=2: done.append(generation) or 0)
        for counts, expected in (((700, 9, 9), []), ((701, 9, 9), [0]), ((701, 10, 9), [1]), ((701, 10, 10), [2]),
                                 ((701, 3, 10), [0])):  # fmt: skip
            done.clear()
            monkeypatch.setattr(gc, "get_count", lambda c=counts: c)
            collector.check()
            assert done == expected, counts
    finally:
        monkeypatch.undo()
        collector.stop()
    assert gc.isenabled()
