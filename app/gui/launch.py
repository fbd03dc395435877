"""Start the desktop application: ``dtidesk gui [WORKSPACE]`` and the ``dtidesk-gui`` program.

Order matters for a fast start (DESIGN §9): Qt and the window first, shown at once with nothing
heavy imported; the workspace (and with it openpyxl, the readers …) is opened from the event
loop right after the window is on screen. Uncaught exceptions go to the log and the one error
dialog, never to a console the user does not have.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from . import errors, logs, style
from .mainwindow import MainWindow
from .settings import Settings
from .worker import stop_worker


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    try:
        errors.report_exception(QApplication.activeWindow(), exc.with_traceback(tb))
    except Exception:  # the dialog itself failed: the log still has it
        logs.logger().exception("error while reporting an error")


#: set (to anything) for smoke tests of the installed or frozen program: log "window shown" once the
#: window is on screen, run one job in the worker process and log "worker ok", then exit (0, or 1 if
#: the worker failed). Proves the packaged program can start its window and its worker process.
SMOKE_ENV = "DTIDESK_EXIT_AFTER_SHOWN"


def _smoke_then_exit(app: QApplication, window: MainWindow) -> None:
    from app.jobs import probe

    def worker_done(result: object) -> None:
        logs.logger().info("worker ok: %s", result)
        app.exit(0)

    def worker_failed(exc: BaseException) -> None:
        logs.logger().error("worker failed: %r", exc)
        app.exit(1)

    def check() -> None:
        handle = window.windowHandle()
        if not (window.isVisible() and handle is not None and handle.isExposed()):
            QTimer.singleShot(10, check)
            return
        logs.logger().info("window shown")
        window.run_job(probe, "kiểm tra tiến trình nền", on_success=worker_done, on_failure=worker_failed, process=True)

    QTimer.singleShot(0, check)


def make_app(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication([sys.argv[0] if sys.argv else "dtidesk", *argv])
    )
    app.setApplicationName("DTI Desk")
    app.setOrganizationName("SVHTT")
    app.setApplicationDisplayName("DTI Desk")
    # spin boxes and other locale-aware widgets show and read 304,67 as Vietnamese write it
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    icon = Path(__file__).with_name("dtidesk.png")  # beside this module, also in the frozen program
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    style.apply(app)
    return app


def start_window(argv: list[str]) -> tuple[QApplication, MainWindow]:
    """The application and its shown window; the workspace named in ``argv`` (or the most recent)
    is opened from the event loop once the window is visible."""
    app = make_app(argv)
    path = logs.setup_logging()
    logs.logger().info("starting, log at %s", path)
    sys.excepthook = _excepthook
    # the pages' loads run on a thread of their own (app.gui.loader) and mostly in Python: the UI
    # thread gets the interpreter back within 2 ms instead of 5 when it asks (a 10 ms timer's tick,
    # a repaint), so a long load never shows as a stutter
    sys.setswitchinterval(0.002)
    window = MainWindow(Settings())
    window.show()
    if os.environ.get(SMOKE_ENV):
        _smoke_then_exit(app, window)
    rest = [a for a in app.arguments()[1:] if not a.startswith("-")]
    target: Path | None = Path(rest[0]) if rest else None
    if target is None:
        recent = [p for p in window.settings.recent_workspaces() if (p / "dtidesk.sqlite").is_file()]
        target = recent[0] if recent else None
    if target is not None:
        chosen = target
        QTimer.singleShot(0, lambda: window.open_workspace(chosen))
    return app, window


def run(argv: list[str]) -> int:
    app, window = start_window(argv)
    code = app.exec()
    del window
    stop_worker()
    return int(code)


def main() -> None:
    import multiprocessing  # here, not at the top: the window and --version start faster

    multiprocessing.freeze_support()  # a frozen worker process runs its job and exits here
    sys.exit(run(sys.argv[1:]))
