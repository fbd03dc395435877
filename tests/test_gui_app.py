"""The desktop application driven through its real widgets, offscreen, on temporary workspaces.

Dialogs are bypassed by calling the methods the menu actions call after asking for a path
(``open_workspace(path)``, ``import_roster(path)`` …); ``errors.show_error`` is replaced by a
recorder so an error is a recorded call, not a modal window.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import worker_jobs

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from app.demo.roster import write_roster_csv
from app.gui import errors
from app.gui.mainwindow import MainWindow
from app.gui.models import StatusModel, UnitsModel, VietSortProxy
from app.gui.pages.dashboard import DashboardPage, deadline_text
from app.gui.pages.intake import IntakePage
from app.gui.pages.periods import PeriodsPage
from app.gui.pages.templates import TemplatesPage
from app.gui.pages.units import UnitsPage
from app.gui.settings import MAX_RECENT, Settings

ROOT = Path(__file__).resolve().parent.parent
WAIT = 15_000


@dataclass
class ErrorCall:
    title: str
    what_happened: str
    what_to_do: str


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings and logs in the test's own folder, never the real home."""
    monkeypatch.setenv("DTIDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("DTIDESK_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[ErrorCall]:
    calls: list[ErrorCall] = []

    def record(parent: Any, title: str, what_happened: str, what_to_do: str = "") -> None:
        calls.append(ErrorCall(title, what_happened, what_to_do))

    monkeypatch.setattr(errors, "show_error", record)
    return calls


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, shown_errors: list[ErrorCall]) -> MainWindow:
    """The main window in the program's own style and Vietnamese locale (``make_app``), whatever ran
    before: a test must not pass or fail by the order the files run in."""
    from app.gui.launch import make_app

    make_app([])
    w = MainWindow(Settings(tmp_path / "config" / "dtidesk.ini"))
    qtbot.addWidget(w)
    w.show()
    return w


def page(window: MainWindow, cls: type[Any]) -> Any:
    """The page of that class, shown (as a user would click it: a page re-reads its data when shown)."""
    found = [p for p in window.pages.values() if isinstance(p, cls)]
    assert len(found) == 1
    window.go_to(found[0].key)
    return found[0]


def wait_idle(qtbot: Any, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.busy(), timeout=WAIT)


def setup_period(window: MainWindow, tmp_path: Path, qtbot: Any) -> Path:
    """Workspace with the 25-unit sample roster, period 2023-Q1 (svhtt-1690) and its templates."""
    folder = tmp_path / "ws"
    assert window.create_workspace(folder)
    added = page(window, UnitsPage).import_roster(write_roster_csv(tmp_path / "r.csv"))
    assert added == (25, 0)
    info = page(window, PeriodsPage).add_period("Quý I/2023", "svhtt-1690")
    assert info is not None and info.code == "2023-Q1" and info.deadline == date(2023, 4, 20)
    assert window.period == "2023-Q1"
    job = page(window, TemplatesPage).generate()
    assert job is not None
    wait_idle(qtbot, window)
    return folder


def inbox(folder: Path, tmp_path: Path) -> Path:
    """The generated (blank) templates copied to a folder, as if saved from e-mails."""
    target = tmp_path / "inbox"
    shutil.copytree(folder / "templates" / "2023-Q1", target)
    return target


def test_window_appears_before_heavy_modules(tmp_path: Path) -> None:
    code = (
        "import sys; from app.gui.launch import start_window; app, w = start_window(['-platform', 'offscreen']); "
        "app.processEvents(); assert w.isVisible(); assert not app.windowIcon().isNull(); "
        "print(sorted(m for m in ('openpyxl', 'xlsxwriter', 'pandas', 'app.workspace') if m in sys.modules))"
    )
    env = {
        **__import__("os").environ,
        "DTIDESK_CONFIG_DIR": str(tmp_path / "c"),
        "DTIDESK_DATA_DIR": str(tmp_path / "d"),
    }
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    assert (tmp_path / "d" / "logs" / "dtidesk.log").is_file()


def test_navigation_is_the_quarterly_cycle(window: MainWindow) -> None:
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == ["Tổng quan", "1. Đơn vị", "2. Kỳ báo cáo", "3. Tạo biểu mẫu", "4. Tiếp nhận",
                      "5. Kiểm tra & thẩm định", "6. Xếp hạng", "7. Báo cáo", "Lịch sử điểm"]  # fmt: skip
    window.nav.setCurrentRow(4)
    assert isinstance(window.current_page(), IntakePage)
    assert not page(window, DashboardPage).open_button.isHidden()  # the way in on a first start


def test_whole_cycle_through_the_pages(window: MainWindow, tmp_path: Path, qtbot: Any, shown_errors: list[ErrorCall],
                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    folder = setup_period(window, tmp_path, qtbot)
    templates = page(window, TemplatesPage)
    assert len(list((folder / "templates" / "2023-Q1").glob("*.xlsx"))) == 25
    assert "Đã tạo xong 25 biểu mẫu" in templates.result_label.text()
    assert templates.files.count() == 25

    dash = page(window, DashboardPage)
    dash.today = date(2023, 4, 10)
    dash.refresh()
    assert dash.counts is not None and (dash.counts.expected, dash.counts.received, dash.counts.missing) == (25, 0, 25)
    assert dash.deadline.text() == "Còn 10 ngày đến hạn nộp (trước 00g00 ngày 20/04/2023)"

    intake = page(window, IntakePage)
    intake.ingest_job = worker_jobs.slow_ingest_files  # type: ignore[assignment]  # 25 files: ~1 s to watch
    seen_while_running: list[int] = []  # received rows each time the table re-read status() during the job

    def reread(*_: Any) -> None:
        if window.busy():
            seen_while_running.append(sum(r.state == "received" for r in intake.model.items))

    intake.model.modelReset.connect(reread)
    intake.model.dataChanged.connect(reread)  # rows update in place: only the changed ones
    intake.model.layoutChanged.connect(reread)  # or move, kept sorted by the model (issue 21)
    job = intake.receive_paths([inbox(folder, tmp_path)])
    assert job is not None and not intake.progress.isHidden()
    wait_idle(qtbot, window)
    assert intake.progress.isHidden()
    assert intake.summary.text() == "Đã nhận 25 tệp mới, 0 tệp không đọc được, 0 tệp đã có."
    rows = intake.model.items
    assert len(rows) == 25 and {r.state for r in rows} == {"received"}
    assert all(r.errors > 0 for r in rows)  # blank templates: required values missing
    assert rows[0].label_vi.startswith("Nộp muộn, có ")  # copied today, long after 20/4/2023
    assert seen_while_running and 0 < seen_while_running[0] < 25, seen_while_running  # results as they come

    dash.refresh()
    c = dash.counts
    assert c is not None
    assert (c.received, c.on_time, c.late, c.missing, c.with_errors) == (25, 0, 25, 0, 25)
    assert dash.cards["received"].number.text() == "25"

    # the same folder again: nothing new
    intake.receive_paths([tmp_path / "inbox"])
    wait_idle(qtbot, window)
    assert intake.summary.text() == "Đã nhận 0 tệp mới, 0 tệp không đọc được, 25 tệp đã có."
    assert shown_errors == []


def test_unreadable_file_is_counted_not_fatal(window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    folder = tmp_path / "ws"
    window.create_workspace(folder)
    page(window, UnitsPage).import_roster(write_roster_csv(tmp_path / "r.csv"))
    page(window, PeriodsPage).add_period("2023-Q2", "svhtt-1690")
    bad = tmp_path / "thu.xlsx"
    bad.write_bytes(b"not a workbook")
    intake = page(window, IntakePage)
    intake.receive_paths([bad])
    wait_idle(qtbot, window)
    assert intake.summary.text() == "Đã nhận 0 tệp mới, 1 tệp không đọc được, 0 tệp đã có."
    assert [r.label_vi for r in intake.model.items if r.state == "rejected"] == ["Tệp không đọc được"]


def test_real_drop_event_starts_ingest(window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    folder = setup_period(window, tmp_path, qtbot)
    source = inbox(folder, tmp_path)
    files = sorted(source.glob("*.xlsx"))[:3]
    intake = page(window, IntakePage)
    window.go_to("intake")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)  # fmt: skip
    intake.drop_zone.dropEvent(event)
    assert event.isAccepted()
    assert window.busy()
    wait_idle(qtbot, window)
    assert intake.summary.text() == "Đã nhận 3 tệp mới, 0 tệp không đọc được, 0 tệp đã có."
    assert sum(r.state == "received" for r in intake.model.items) == 3


def test_cancel_stops_ingest_and_keeps_what_was_done(window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    folder = setup_period(window, tmp_path, qtbot)
    source = inbox(folder, tmp_path)
    intake = page(window, IntakePage)
    job = intake.receive_paths([source])
    assert job is not None
    intake.progress.cancel_button.click()
    wait_idle(qtbot, window)
    result = intake.last_result
    assert result is not None and result.cancelled
    assert len(result.added) < 25
    assert intake.summary.text().startswith("Đã dừng theo yêu cầu.")
    done = len(result.added)
    intake.receive_paths([source])
    wait_idle(qtbot, window)
    assert intake.summary.text() == f"Đã nhận {25 - done} tệp mới, 0 tệp không đọc được, {done} tệp đã có."


def test_only_one_job_at_a_time(window: MainWindow, tmp_path: Path, qtbot: Any,
                                shown_errors: list[ErrorCall]) -> None:  # fmt: skip
    folder = setup_period(window, tmp_path, qtbot)
    intake = page(window, IntakePage)
    assert intake.receive_paths([inbox(folder, tmp_path)]) is not None
    assert page(window, TemplatesPage).generate() is None
    assert [c.title for c in shown_errors] == ["Đang có công việc chạy"]
    wait_idle(qtbot, window)


def test_opening_a_folder_that_is_not_a_workspace_explains(window: MainWindow, tmp_path: Path,
                                                           shown_errors: list[ErrorCall]) -> None:  # fmt: skip
    plain = tmp_path / "plain"
    plain.mkdir()
    assert not window.open_workspace(plain)
    assert window.ws is None
    (call,) = shown_errors
    assert call.title == "Không mở được thư mục làm việc"
    assert "không phải thư mục làm việc của DTI Desk" in call.what_happened
    assert "Tạo thư mục làm việc mới" in call.what_to_do


def test_failures_in_jobs_use_the_one_dialog(window: MainWindow, tmp_path: Path, qtbot: Any,
                                             shown_errors: list[ErrorCall],
                                             caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    from app.workspace import WorkspaceError

    def boom(progress: Any, cancelled: Any) -> None:
        raise RuntimeError("internal detail the user should not see")

    def refused(progress: Any, cancelled: Any) -> None:
        raise WorkspaceError("Danh sách đơn vị trống.")

    for function in (boom, refused):
        window.run_job(function, "thử", on_failure=lambda exc: errors.report_exception(window, exc))
        wait_idle(qtbot, window)
    caplog.set_level("INFO", logger="dtidesk")
    for function in (worker_jobs.boom, worker_jobs.die):  # the same from the worker process
        window.run_job(function, "thử", on_failure=lambda exc: errors.report_exception(window, exc), process=True)
        wait_idle(qtbot, window)
    generic, user, remote, died = shown_errors
    for call in (generic, remote):
        assert call.what_happened == "Đã xảy ra lỗi ngoài dự kiến trong chương trình."
        assert "internal detail" not in call.what_happened + call.what_to_do
    log = tmp_path / "data" / "logs" / "dtidesk.log"
    assert str(log) in generic.what_to_do
    assert user.what_happened == "Danh sách đơn vị trống."
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert 'worker_jobs.py", line' in logged  # the worker's traceback is logged here
    assert died.what_happened.startswith("Tiến trình xử lý nền đã dừng bất thường")


def test_generate_without_roster_shows_the_core_message(window: MainWindow, tmp_path: Path, qtbot: Any,
                                                        shown_errors: list[ErrorCall]) -> None:  # fmt: skip
    window.create_workspace(tmp_path / "ws")
    page(window, PeriodsPage).add_period("2023-Q2", "svhtt-1690")
    page(window, TemplatesPage).generate()
    wait_idle(qtbot, window)
    (call,) = shown_errors
    assert call.title == "Không tạo được biểu mẫu" and "Danh sách đơn vị trống" in call.what_happened


def test_periods_page_adds_and_moves_deadline(window: MainWindow, tmp_path: Path) -> None:
    window.create_workspace(tmp_path / "ws")
    periods = page(window, PeriodsPage)
    periods.code_edit.setText("Quý II/2023")
    assert periods.deadline_edit.date().toPython() == date(2023, 6, 16)
    assert periods.code_note.text() == "Quý II năm 2023 (mã 2023-Q2)"
    periods.add_button.click()
    assert window.period == "2023-Q2" and periods.model.rowCount() == 1
    assert window.period_combo.currentText() == "Quý II năm 2023 (2023-Q2)"
    assert periods.change_deadline("2023-Q2", date(2023, 6, 20))
    assert periods.model.item(0).deadline == date(2023, 6, 20)


def test_settings_remember_recent_workspaces_and_period(window: MainWindow, tmp_path: Path) -> None:
    for n in range(MAX_RECENT + 2):
        assert window.create_workspace(tmp_path / f"ws{n}")
    page(window, PeriodsPage).add_period("2024-Q1", "svhtt-1690")
    assert window.open_workspace(tmp_path / "ws3")
    again = Settings(tmp_path / "config" / "dtidesk.ini")
    recent = again.recent_workspaces()
    assert len(recent) == MAX_RECENT
    assert recent[0] == (tmp_path / "ws3").resolve() and recent[1] == (tmp_path / f"ws{MAX_RECENT + 1}").resolve()
    assert again.last_period((tmp_path / f"ws{MAX_RECENT + 1}").resolve()) == "2024-Q1"
    assert next(a.text() for a in window.recent_menu.actions()) == str((tmp_path / "ws3").resolve())
    assert window.open_workspace(tmp_path / f"ws{MAX_RECENT + 1}")
    assert window.period == "2024-Q1"


def test_status_rows_refresh_in_place(qtbot: Any) -> None:
    from app.workspace.status import UnitStatus

    def row(code: str, state: str = "missing", file: str = "") -> UnitStatus:
        return UnitStatus(code, f"Đơn vị {code}", state, None, None, 0, 0, None, file, 0)

    model = StatusModel()
    resets: list[int] = []
    changed: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.row())))
    model.set_items([row("A"), row("B"), row("C")])
    assert len(resets) == 1
    model.set_items([row("A"), row("B", "received", "b.xlsx"), row("C")])  # one unit's file arrived
    assert len(resets) == 1 and changed == [(1, 1)]
    assert model.item(1).state == "received"
    model.set_items([row("A", "received", "a.xlsx"), row("B", "received", "b.xlsx"), row("C", "rejected", "c.xls")])
    assert len(resets) == 1 and changed == [(1, 1), (0, 2)]  # one signal spanning the rows that changed
    model.set_items(model.items)
    assert len(resets) == 1 and len(changed) == 2  # nothing changed: no signal
    model.set_items([row("A"), row("B"), row("C"), row("", "unknown", "x.xlsx")])
    assert len(resets) == 2  # a new row: the table is re-read whole


def test_vietnamese_sorting_and_search(qtbot: Any) -> None:
    import unicodedata

    from app.workspace import Unit

    names = ["Đội Thông tin", "Dân ca", "Em bé", "Ánh sáng", "An Bình", "Ăn uống", "Â nhạc", "Bảo tàng"]
    model = UnitsModel()
    model.set_items([Unit(f"U{n:02d}", name, "", "", "", True) for n, name in enumerate(names)])
    proxy = VietSortProxy()
    proxy.setSourceModel(model)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    shown = [proxy.index(r, 1).data() for r in range(proxy.rowCount())]
    assert shown == ["An Bình", "Ánh sáng", "Ăn uống", "Â nhạc", "Bảo tàng", "Dân ca", "Đội Thông tin", "Em bé"]
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, 0).data() == "U07"
    proxy.set_search(unicodedata.normalize("NFD", "đội thông"))  # typed with Unikey's "Unicode tổ hợp"
    assert proxy.rowCount() == 1 and proxy.index(0, 1).data() == "Đội Thông tin"
    proxy.set_search("")
    assert proxy.rowCount() == len(names)


def test_deadline_text() -> None:
    from app.workspace.status import StatusCounts

    due = date(2023, 6, 16)
    assert deadline_text(due, date(2023, 6, 1)) == "Còn 15 ngày đến hạn nộp (trước 00g00 ngày 16/06/2023)"
    # once past, the result is final: the tally, not a count of days (changed by this issue)
    assert deadline_text(due, date(2023, 6, 16)) == "Hạn nộp trước 00g00 ngày 16/06/2023 — đã hết hạn"
    counts = StatusCounts(25, 22, 20, 2, 3, 1, 1, 0, 1)
    assert deadline_text(due, date(2027, 6, 19), counts) == (
        "Hạn nộp trước 00g00 ngày 16/06/2023 — đã hết hạn; kết quả: đúng hạn 20, nộp muộn 2, chưa nộp 3"
    )
