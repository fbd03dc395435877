"""The one helper for background work: a job runs off the UI thread, reports progress, can be cancelled.

A job is a function ``job(progress, cancelled) -> result`` where ``progress(done, total, name)``
reports and ``cancelled()`` says whether the user pressed Huỷ. Its signals arrive on the UI thread
(queued), so slots may touch widgets.

Heavy jobs (reading workbooks, writing reports) run with ``process=True`` in the application's one
worker process (``app.worker_process``; the job must then be picklable, e.g. a ``partial`` of an
``app.jobs`` function): the job's thread here only waits on a pipe, so the window keeps the
interpreter lock and never stutters. Light jobs run in the thread itself.

SQLite connections must not cross threads: a job opens its own ``Workspace`` from the folder
(``with Workspace.open(folder) as ws: ...``) inside the job; the UI keeps its own connection
for reading, which sees each of the job's transactions as soon as it commits (WAL mode).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal

from app.steps import Cancelled, Progress

from . import logs

if TYPE_CHECKING:
    from app.worker_process import WorkerProcess

JobFunction = Callable[[Progress, Cancelled], Any]

_worker: WorkerProcess | None = None


def shared_worker() -> WorkerProcess:
    """The application's one worker process (started on first use, stopped by ``stop_worker``)."""
    global _worker
    if _worker is None:
        from app.worker_process import WorkerProcess  # not before it is needed: start fast

        _worker = WorkerProcess()
    return _worker


def stop_worker() -> None:
    if _worker is not None:
        _worker.stop()


class Job(QThread):
    """One background job. Connect to ``progress``, ``succeeded`` and ``failed``; ``done`` comes last."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    done = Signal()

    def __init__(self, function: JobFunction, name: str, parent: QObject | None = None, *,
                 process: bool = False) -> None:  # fmt: skip
        super().__init__(parent)
        self._function = function
        self._process = process
        self._cancel = threading.Event()
        self.name = name
        self.result: Any = None
        self.error: BaseException | None = None
        self.finished.connect(self._finish)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:  # in the worker thread
        try:
            if self._process:
                self.result = shared_worker().run(self._function, self.progress.emit, self._cancel.is_set)
            else:
                self.result = self._function(self.progress.emit, self._cancel.is_set)
        except BaseException as exc:  # reported on the UI thread by _finish
            self.error = exc

    def _finish(self) -> None:  # on the UI thread, after run() returned
        if self.error is not None:
            remote = getattr(self.error, "remote_traceback", None)
            if remote:
                logs.logger().info("job %s failed in the worker process:\n%s", self.name, remote)
            else:
                logs.logger().info("job %s failed: %r", self.name, self.error)
            self.failed.emit(self.error)
        else:
            self.succeeded.emit(self.result)
        self.done.emit()


def start(function: JobFunction, name: str, parent: QObject | None = None, *,
          on_progress: Callable[[int, int, str], None] | None = None,
          on_success: Callable[[Any], None] | None = None,
          on_failure: Callable[[BaseException], None] | None = None, process: bool = False) -> Job:  # fmt: skip
    """Create, connect and start a job; keep the returned object until ``done``."""
    job = Job(function, name, parent, process=process)
    if on_progress is not None:
        job.progress.connect(on_progress)
    if on_success is not None:
        job.succeeded.connect(on_success)
    if on_failure is not None:
        job.failed.connect(on_failure)
    job.start()
    return job
