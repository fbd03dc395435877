"""The main window: the quarterly cycle as navigation, one page per step, one open workspace.

The window owns the UI's connection to the workspace (``self.ws``, UI thread only: the small
transactions of an appraisal, a deadline) and the current period (``self.period``). Pages read
through ``self.loader`` (``app.gui.loader``: their ``load`` on a thread of its own with its own
connection, DESIGN §9.1); anything long runs as a job (``run_job``) that opens its own connection
from ``self.folder``. Ctrl+0 … Ctrl+8 go to the pages (the step numbers of the navigation). Methods that would ask the
user for a path (``open_workspace``, ``create_workspace``) take the path as an argument, and the
menu actions only ask for it first — so everything is drivable without dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolBar,
    QToolButton,
)

from app import jobs

from . import errors, logs
from .collector import UiThreadCollector
from .loader import Loader
from .pages.base import Page
from .pagestack import page_stack
from .settings import Settings
from .worker import Job, JobFunction, shared_worker
from .worker import start as start_job

if TYPE_CHECKING:
    from app.workspace import Workspace
    from app.workspace.ranking import PeriodScores

APP_TITLE = "DTI Desk"


class MainWindow(QMainWindow):
    #: the workspace or the period changed (pages re-read everything)
    context_changed = Signal()
    #: something in the workspace changed (a job finished, a roster was imported, …)
    data_changed = Signal()

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.ws: Workspace | None = None
        self.period: str | None = None
        self.location_warning = ""  # the network-drive warning shown when the workspace was opened (issue 22)
        self.jobs: list[Job] = []
        self._scores: PeriodScores | None = None
        self._state: Any = None
        self.loader = Loader(self)
        self.collector = UiThreadCollector(self)  # collections on this thread only (collector.py)
        self.setWindowTitle(APP_TITLE)
        self.resize(1200, 760)
        self.setMinimumSize(QSize(800, 480))  # 1366×768 at 150 %: 911×512, less the taskbar
        geometry = self.settings.geometry()
        if geometry:
            self.restoreGeometry(geometry)
        self._build_actions()
        self._build_toolbar()
        self._build_pages()
        self.workspace_label = QLabel("Chưa mở thư mục làm việc")
        self.statusBar().addWidget(self.workspace_label, 1)
        self.context_changed.connect(self.refresh_pages)
        self.data_changed.connect(self.refresh_pages)
        self._update_recent_menu()
        self.refresh_pages()

    # --- building -------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.open_action = QAction("Mở thư mục làm việc…", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.ask_open_workspace)
        self.create_action = QAction("Tạo thư mục làm việc mới…", self)
        self.create_action.setShortcut(QKeySequence.StandardKey.New)
        # the toolbar shows short words (the menu the whole name): at 150 % the long ones pushed the
        # period's state and steps behind the toolbar's "»" button
        self.open_action.setIconText("Mở…")
        self.open_action.setToolTip("Mở thư mục làm việc (Ctrl+O)")
        self.create_action.setIconText("Tạo mới…")
        self.create_action.setToolTip("Tạo thư mục làm việc mới (Ctrl+N)")
        self.create_action.triggered.connect(self.ask_create_workspace)
        self.recent_menu = QMenu("Thư mục làm việc gần đây", self)
        self.shared_action = QAction("Kết nối không gian làm việc dùng chung…", self)  # PostgreSQL (issue 22)
        self.shared_action.triggered.connect(self.ask_connect_shared)
        quit_action = QAction("Thoát", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu = self.menuBar().addMenu("&Tệp")
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.create_action)
        file_menu.addAction(self.shared_action)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        self.open_folder_action = QAction("Mở thư mục làm việc trong trình quản lý tệp", self)
        self.open_folder_action.triggered.connect(lambda: self.open_in_system(self.folder))
        file_menu.addAction(self.open_folder_action)
        file_menu.addSeparator()
        self.backup_action = QAction("Sao lưu ngay", self)
        self.backup_action.triggered.connect(self.backup_now)
        self.check_action = QAction("Kiểm tra thư mục làm việc", self)
        self.check_action.triggered.connect(self.check_workspace)
        self.restore_action = QAction("Khôi phục từ bản sao lưu…", self)
        self.restore_action.triggered.connect(self.ask_restore)
        for action in (self.backup_action, self.check_action, self.restore_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self.help_menu = self.menuBar().addMenu("Trợ &giúp")
        logs_action = QAction("Mở thư mục nhật ký", self)
        logs_action.triggered.connect(lambda: self.open_in_system(logs.log_file().parent))
        self.help_menu.addAction(logs_action)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Thanh công cụ")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addAction(self.open_action)
        bar.addAction(self.create_action)
        bar.addSeparator()
        # "Kỳ:" — the period's own name says the rest, and at 150 % the longest state line ("Chờ đơn vị
        # giải trình (trước 00g00 ngày …)") and the steps button must still fit beside it
        period_label = QLabel("Kỳ:")
        period_label.setContentsMargins(6, 0, 4, 0)  # margins, not spaces: they do not grow at 150 %
        bar.addWidget(period_label)
        self.period_combo = QComboBox()
        # as wide as the longest period's name, no wider: at 150 % every pixel of the toolbar counts
        self.period_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.period_combo.setMinimumContentsLength(16)
        self.period_combo.setPlaceholderText("(chưa có kỳ báo cáo)")
        self.period_combo.setToolTip("Kỳ báo cáo đang làm việc")
        self.period_combo.setAccessibleName("Kỳ báo cáo")
        period_label.setBuddy(self.period_combo)
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        bar.addWidget(self.period_combo)
        # the period's state and round, on every page (issue 20), and its steps
        self.state_label = QLabel("")
        self.state_label.setObjectName("periodState")
        self.state_label.setContentsMargins(8, 0, 6, 0)
        bar.addWidget(self.state_label)
        self.step_button = QToolButton()
        self.step_button.setText("Bước của kỳ")
        self.step_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        steps = QMenu(self.step_button)
        self.advance_action = steps.addAction("Chuyển sang bước tiếp theo", self.advance_period)
        self.notices_action = steps.addAction("Ghi thông báo thẩm định vòng 1 cho các đơn vị", self.write_notices)
        self.publish_action = steps.addAction("Công bố kết quả (khóa kỳ)…", self.ask_publish_period)
        self.reopen_action = steps.addAction("Mở lại kỳ đã công bố…", self.ask_reopen_period)
        self.step_button.setMenu(steps)
        bar.addWidget(self.step_button)
        # the same steps in the menu bar, so Alt+K reaches them from anywhere without the mouse
        self.period_menu = QMenu("&Kỳ báo cáo", self)
        self.period_menu.addActions(steps.actions())
        self.menuBar().insertMenu(self.help_menu.menuAction(), self.period_menu)
        self.addToolBar(bar)

    def _build_pages(self) -> None:
        from .pages.check import CheckPage
        from .pages.dashboard import DashboardPage
        from .pages.history import HistoryPage
        from .pages.intake import IntakePage
        from .pages.periods import PeriodsPage
        from .pages.ranking import RankingPage
        from .pages.reports import ReportsPage
        from .pages.templates import TemplatesPage
        from .pages.units import UnitsPage

        self.pages: dict[str, Page] = {}
        steps: list[Page] = [
            DashboardPage(self),
            UnitsPage(self),
            PeriodsPage(self),
            TemplatesPage(self),
            IntakePage(self),
            CheckPage(self),
            RankingPage(self),
            ReportsPage(self),
            HistoryPage(self),  # not a step of the quarter: across the periods
        ]  # fmt: skip
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        stack_holder, self.stack = page_stack()
        last_step = len(steps) - 2
        for number, page in enumerate(steps):
            self.pages[page.key] = page
            label = f"{number}. {page.title}" if 0 < number <= last_step else page.title
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, page.key)
            item.setToolTip(f"{page.title} (Ctrl+{number})")
            item.setSizeHint(QSize(200, 40))
            self.nav.addItem(item)
            self.stack.addWidget(page)
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(partial(self._go_by_shortcut, page.key))
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.setCurrentRow(0)
        self.nav.setFixedWidth(230)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(stack_holder)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([self.nav.width(), 10_000])  # the pages get all the rest: the list is fixed-width
        self.setCentralWidget(splitter)

    # --- navigation -----------------------------------------------------------------------------

    def go_to(self, key: str) -> Page:
        page = self.pages[key]
        self.nav.setCurrentRow(self.stack.indexOf(page))
        return page

    def _go_by_shortcut(self, key: str) -> None:
        page = self.go_to(key)
        page.focusNextChild()  # the keyboard lands on the page's first control, not back in the list

    def current_page(self) -> Page:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Page)
        return widget

    def _show_page(self, row: int) -> None:
        self.stack.show(row)
        page = self.stack.widget(row)
        if isinstance(page, Page) and page.stale:
            self._refresh(page)

    def refresh_pages(self) -> None:
        """The workspace, the period or the data changed: re-read the page on screen now, the others
        when they are shown — re-reading all eight (scores of every unit, every issue) after each
        job would freeze the window for most of a second with a few hundred units."""
        self._scores = None
        self.loader.version += 1  # cached scores are recomputed on the next load that asks
        self._show_state()
        current = self.stack.currentWidget()
        for page in self.pages.values():
            page.stale = True
        if isinstance(current, Page):
            self._refresh(current)

    def pages_loaded(self) -> bool:
        """Every page's answer has been shown (nothing waits on the loader)."""
        return self.loader.idle()

    def _refresh(self, page: Page) -> None:
        page.stale = False
        try:
            page.refresh()
        except Exception as exc:  # one page failing to read must not take the window down
            errors.report_exception(self, exc, "Không hiển thị được dữ liệu")

    def period_scores(self) -> PeriodScores | None:
        """``score_period`` of the current period, computed once per change of data and shared by
        the pages that show scores (Kiểm tra, Xếp hạng, Báo cáo)."""
        if self.ws is None or self.period is None:
            return None
        if self._scores is None or self._scores.info.code != self.period:
            from app.workspace.ranking import score_period

            self._scores = score_period(self.ws, self.period)
        return self._scores

    # --- the workspace --------------------------------------------------------------------------

    @property
    def folder(self) -> Path | None:
        return self.ws.folder if self.ws is not None else None

    def ask_open_workspace(self) -> None:
        start = str(self.folder or Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Chọn thư mục làm việc của DTI Desk", start)
        if chosen:
            self.open_workspace(Path(chosen))

    def ask_connect_shared(self) -> None:
        from PySide6.QtWidgets import QDialog

        from .shared_dialog import SharedWorkspaceDialog

        dialog = SharedWorkspaceDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.connect_shared(dialog)

    def connect_shared(self, dialog: Any) -> bool:
        """Open (or create) the shared workspace the dialog names; its pages then work as on a folder."""
        from app.workspace.shared import attach

        from . import worker

        if not self._may_switch():
            return False
        dialog.use_password()
        worker.stop_worker()  # one started earlier knows no password: the next job starts one that does
        if dialog.create_new.isChecked():
            return self.create_workspace(dialog.url())
        return self.open_workspace(attach(dialog.url()))

    def ask_create_workspace(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Chọn (hoặc tạo) một thư mục trống làm thư mục làm việc mới", str(Path.home())
        )
        if chosen:
            self.create_workspace(Path(chosen))

    def open_workspace(self, folder: Path) -> bool:
        """Open an existing workspace; on failure show why and keep the current one."""
        from app.workspace import Workspace, WorkspaceError
        from app.workspace.store import PG_MARKER

        if not self._may_switch():
            return False
        self.loader.release()
        try:
            ws = Workspace.open(folder)
        except WorkspaceError as exc:
            if not (folder / "dtidesk.sqlite").exists() and not (folder / PG_MARKER).exists():
                errors.show_error(self, "Không mở được thư mục làm việc", str(exc),
                                  "Hãy chọn đúng thư mục làm việc (thư mục có tệp dtidesk.sqlite), "
                                  "hoặc dùng “Tạo thư mục làm việc mới…” để bắt đầu.")  # fmt: skip
                if folder in self.settings.recent_workspaces() and not folder.exists():
                    self.settings.remove_recent_workspace(folder)
                    self._update_recent_menu()
            else:
                errors.report_exception(self, exc, "Không mở được thư mục làm việc")
            return False
        except Exception as exc:
            errors.report_exception(self, exc, "Không mở được thư mục làm việc")
            return False
        self._set_workspace(ws)
        return True

    def create_workspace(self, folder: Path | str) -> bool:
        from app.workspace import Workspace

        if not self._may_switch():
            return False
        self.loader.release()
        try:
            ws = Workspace.create(folder)
        except Exception as exc:
            errors.report_exception(self, exc, "Không tạo được thư mục làm việc")
            return False
        self._set_workspace(ws)
        self.go_to("units")
        return True

    def _may_switch(self) -> bool:
        if self.busy():
            errors.show_error(self, "Đang có công việc chạy",
                              "Không thể đổi thư mục làm việc khi đang tạo biểu mẫu hoặc tiếp nhận tệp.",
                              "Hãy chờ công việc xong hoặc bấm “Huỷ”, rồi thử lại.")  # fmt: skip
            return False
        return True

    def _set_workspace(self, ws: Workspace) -> None:
        if self.ws is not None:
            self.ws.close()
        self.ws = ws
        self.loader.folder = ws.folder
        logs.logger().info("workspace opened: %s", ws.folder)
        self.settings.add_recent_workspace(ws.folder)
        self._update_recent_menu()
        self.workspace_label.setText(f"Không gian làm việc dùng chung: {ws.shared_url}" if ws.shared_url
                                     else f"Thư mục làm việc: {ws.folder}")  # fmt: skip
        self.setWindowTitle(f"{ws.folder.name} — {APP_TITLE}")
        self.period = None
        self.reload_periods(prefer=self.settings.last_period(ws.folder))
        self.context_changed.emit()
        # the worker warms up (imports the readers) while the user looks at the window — in an event of
        # its own: starting a process costs ~25 ms, which added to the open's own work made one stall
        QTimer.singleShot(0, self, self._warm_worker)
        self._warn_location(ws)

    def _warm_worker(self) -> None:
        if self.ws is not None:  # not for a window closed meanwhile
            shared_worker().start()

    def _warn_location(self, ws: Workspace) -> None:
        """Once per opening, without blocking: a SQLite workspace on a network drive is unsafe (location.py)."""
        from app.workspace.location import workspace_warnings

        self.location_warning = "\n\n".join(workspace_warnings(ws))
        if self.location_warning:
            logs.logger().warning("workspace on a network drive: %s", ws.folder)
            what, _, to_do = self.location_warning.partition("\n")
            box = QMessageBox(QMessageBox.Icon.Warning, "Thư mục làm việc trên ổ mạng", what,
                              QMessageBox.StandardButton.Ok, self)  # fmt: skip
            box.setInformativeText(to_do)
            box.button(QMessageBox.StandardButton.Ok).setText("Đã hiểu")
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.show()

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_workspaces()
        for folder in recent:
            action = self.recent_menu.addAction(str(folder))
            action.triggered.connect(lambda _checked=False, f=folder: self.open_workspace(f))
        if not recent:
            empty = self.recent_menu.addAction("(chưa có)")
            empty.setEnabled(False)

    # --- the period -----------------------------------------------------------------------------

    def reload_periods(self, prefer: str | None = None) -> None:
        """Refill the period selector from the workspace; keep ``prefer`` (or the current period, or the latest)."""
        from app.workspace import list_periods

        periods = list_periods(self.ws) if self.ws is not None else []
        wanted = prefer or self.period
        codes = [p.code for p in periods]
        if wanted not in codes:
            wanted = codes[-1] if codes else None
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for p in periods:
            self.period_combo.addItem(f"{p.label} ({p.code})", p.code)
        self.period_combo.setCurrentIndex(codes.index(wanted) if wanted else -1)
        # never narrower than the longest period's name: a squeezed toolbar must not cut "(2023-Q1)"
        self.period_combo.setMinimumWidth(self.period_combo.sizeHint().width())
        self.period_combo.setEnabled(bool(periods) and not self.busy())
        self.period_combo.blockSignals(False)
        self._set_period(wanted)

    def set_period(self, code: str) -> None:
        index = self.period_combo.findData(code)
        if index >= 0:
            self.period_combo.setCurrentIndex(index)

    def _period_chosen(self, index: int) -> None:
        code = self.period_combo.itemData(index) if index >= 0 else None
        self._set_period(code)

    def _set_period(self, code: str | None) -> None:
        if code == self.period:
            return
        self.period = code
        self.loader.period = code
        if code and self.ws is not None:
            self.settings.set_last_period(self.ws.folder, code)
        self.context_changed.emit()

    # --- the period's steps (issue 20): small transactions on the UI thread, like an appraisal -----

    def period_state(self) -> Any:
        """The period's state as last read by the loader (``_show_state``), or None."""
        if self.ws is None or self.period is None:
            return None
        state = self._state
        return state if state is not None and state.period == self.period else None

    def _show_state(self) -> None:
        if self.ws is None or self.period is None:
            self._state_loaded(None)
            return
        self.loader.request("window-state", _load_state, self._state_loaded,
                            lambda exc: errors.report_exception(self, exc, "Không đọc được bước của kỳ"))  # fmt: skip

    def _state_loaded(self, state: Any) -> None:
        self._state = state
        if state is None:
            self.state_label.setText("")
            self.step_button.setEnabled(False)
            return
        from app.workspace.period_state import EXPLAINING, PUBLISHED, state_line

        self.state_label.setText(state_line(state))
        has = self.ws is not None and not self.ws.read_only
        self.step_button.setEnabled(has)
        self.advance_action.setEnabled(has and state.state != PUBLISHED)
        self.notices_action.setEnabled(has and state.state == EXPLAINING)
        self.publish_action.setEnabled(has and state.state != PUBLISHED)
        self.reopen_action.setEnabled(has and state.state == PUBLISHED)

    def _step(self, do: Callable[[], Any], title: str) -> bool:
        try:
            do()
        except Exception as exc:
            errors.report_exception(self, exc, title)
            return False
        self.data_changed.emit()
        from app.workspace.period_state import period_state

        state = period_state(self.ws, self.period) if self.ws is not None and self.period is not None else None
        if state is not None:
            self.statusBar().showMessage(f"Kỳ {state.period}: {state.label}", 8000)
        return True

    def advance_period(self) -> bool:
        from app.workspace.rounds import advance

        return self.ws is not None and self.period is not None and self._step(
            partial(advance, self.ws, self.period), "Không chuyển được bước của kỳ")  # fmt: skip

    def publish_period(self) -> bool:
        from app.workspace.rounds import publish

        return self.ws is not None and self.period is not None and self._step(
            partial(publish, self.ws, self.period), "Không công bố được kỳ")  # fmt: skip

    def reopen_period(self, reason: str) -> bool:
        from app.workspace.rounds import reopen

        return self.ws is not None and self.period is not None and self._step(
            partial(reopen, self.ws, self.period, reason=reason), "Không mở lại được kỳ")  # fmt: skip

    def write_notices(self) -> dict[str, Path]:
        """The appraisal notices of the units round 1 changed, written; their folder opened."""
        if self.ws is None or self.period is None:
            return {}
        from app.workspace.explain import write_notices

        try:
            files = write_notices(self.ws, self.period)
        except Exception as exc:
            errors.report_exception(self, exc, "Không ghi được thông báo thẩm định")
            return {}
        self.data_changed.emit()
        if files:
            self.open_in_system(next(iter(files.values())).parent)
        self.statusBar().showMessage(f"Đã ghi {len(files)} thông báo thẩm định.", 8000)
        return files

    def ask_publish_period(self) -> None:
        if errors.ask(self, "Công bố kết quả", f"Công bố kết quả kỳ {self.period}?", "Công bố",
                      "Sau khi công bố, kỳ được khóa: tệp nhận muộn, sửa danh sách đơn vị hay bộ chỉ số không còn "
                      "làm thay đổi kết quả; muốn sửa phải mở lại kỳ, có ghi lý do."):  # fmt: skip
            self.publish_period()

    def ask_reopen_period(self) -> None:
        from PySide6.QtWidgets import QDialog

        from .dialogs.intake import ReasonDialog

        dialog = ReasonDialog(self, "Mở lại kỳ đã công bố", "Mở lại kỳ",
                              f"Kỳ {self.period} trở lại bước thẩm định; lý do được ghi vào nhật ký.",
                              placeholder="ví dụ: đơn vị khiếu nại điểm chỉ số 3.1")  # fmt: skip
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reopen_period(dialog.reason())

    # --- background work ------------------------------------------------------------------------

    def busy(self) -> bool:
        return bool(self.jobs)

    def run_job(self, function: JobFunction, name: str, *,
                on_progress: Callable[[int, int, str], None] | None = None,
                on_success: Callable[[Any], None] | None = None,
                on_failure: Callable[[BaseException], None] | None = None,
                process: bool = False) -> Job | None:  # fmt: skip
        """Start a background job (one at a time); the window refreshes the pages when it ends.

        ``process=True`` runs it in the worker process (``app.gui.worker``): for the heavy jobs,
        which must then be picklable (``functools.partial`` of an ``app.jobs`` function)."""
        if self.busy():
            errors.show_error(self, "Đang có công việc chạy", f"Chương trình đang {self.jobs[0].name}.",
                              "Hãy chờ công việc đó xong hoặc bấm “Huỷ”, rồi thử lại.")  # fmt: skip
            return None
        job = start_job(function, name, self, on_progress=on_progress, on_success=on_success,
                        on_failure=on_failure, process=process)  # fmt: skip
        self.jobs.append(job)
        self.period_combo.setEnabled(False)
        job.done.connect(lambda: self._job_done(job))
        return job

    def _job_done(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        job.deleteLater()
        self.period_combo.setEnabled(self.period_combo.count() > 0 and not self.busy())
        self.data_changed.emit()

    # --- keeping the workspace safe (app.workspace.backup, run in the worker) ---------------------

    def backup_now(self) -> None:
        folder = self.folder
        if folder is None:
            return

        def done(made: Path) -> None:
            errors.tell(self, "Đã sao lưu", f"Đã sao lưu cơ sở dữ liệu vào\n{made}")

        self.run_job(partial(jobs.backup_workspace, folder), "sao lưu", process=True, on_success=done)

    def check_workspace(self) -> None:
        folder = self.folder
        if folder is None:
            return

        def done(problems: list[str]) -> None:
            if problems:
                errors.show_error(self, "Thư mục làm việc có vấn đề", "\n\n".join(problems[:5]),
                                  "Hãy khôi phục bản sao lưu gần nhất (Tệp → Khôi phục từ bản sao lưu…).")  # fmt: skip
            else:
                errors.tell(
                    self,
                    "Kiểm tra xong",
                    f"Thư mục làm việc {folder} nguyên vẹn: cơ sở dữ liệu và mọi tệp gốc đều đúng.",
                )

        self.run_job(partial(jobs.check_workspace, folder), "kiểm tra thư mục làm việc", process=True,
                     on_success=done)  # fmt: skip

    def ask_restore(self) -> None:
        start = str(self.folder / "backups") if self.folder is not None else ""
        source, _ = QFileDialog.getOpenFileName(self, "Chọn bản sao lưu", start, "Bản sao lưu (*.sqlite)")
        if not source:
            return
        target = QFileDialog.getExistingDirectory(self, "Chọn thư mục MỚI (trống) để khôi phục vào")
        if target:
            self.restore_into(Path(source), Path(target))

    def restore_into(self, source: Path, target: Path) -> None:
        """Restore ``source`` into the new folder ``target``, then open it (the old workspace stays as it was)."""

        def opened(folder: Path) -> None:  # once this job has ended: a workspace is not switched mid-job
            QTimer.singleShot(0, lambda: self.open_workspace(Path(folder)))

        self.run_job(partial(jobs.restore_backup, source, target), "khôi phục bản sao lưu", process=True,
                     on_success=opened)  # fmt: skip

    # --- system ---------------------------------------------------------------------------------

    def open_in_system(self, path: Path | None) -> None:
        """Show a folder or open a file in the system's own program (Explorer, Excel)."""
        if path is None:
            return
        if not path.exists():
            errors.show_error(self, "Không tìm thấy", f"Không có {path}.",
                              "Có thể thư mục chưa được tạo ở bước trước hoặc đã bị di chuyển.")  # fmt: skip
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def closeEvent(self, event: QCloseEvent) -> None:
        for job in list(self.jobs):
            job.cancel()
        for job in list(self.jobs):
            job.wait(10_000)
        self.settings.set_geometry(bytes(self.saveGeometry().data()))
        self.loader.shutdown()
        self.collector.stop()
        if self.ws is not None:
            self.ws.close()
            self.ws = None
        super().closeEvent(event)


def _load_state(ctx: Any) -> Any:
    from app.workspace.period_state import period_state

    return period_state(ctx.ws, ctx.period) if ctx.period is not None else None
