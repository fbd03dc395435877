"""The one helper for background work: a job runs in its own thread, reports progress, can be cancelled.

A job is a plain function ``job(progress, cancelled) -> result`` where ``progress(done, total,
name)`` reports and ``cancelled()`` says whether the user pressed Huỷ. Its signals arrive on the
UI thread (queued), so slots may touch widgets.

SQLite connections must not cross threads: a job opens its own ``Workspace`` from the folder
(``with Workspace.open(folder) as ws: ...``) inside the job; the UI keeps its own connection
for reading, which sees each of the job's transactions as soon as it commits (WAL mode).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from . import logs

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]
JobFunction = Callable[[Progress, Cancelled], Any]


class Job(QThread):
    """One background job. Connect to ``progress``, ``succeeded`` and ``failed``; ``done`` comes last."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    done = Signal()

    def __init__(self, function: JobFunction, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._function = function
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
            self.result = self._function(self.progress.emit, self._cancel.is_set)
        except BaseException as exc:  # reported on the UI thread by _finish
            self.error = exc

    def _finish(self) -> None:  # on the UI thread, after run() returned
        if self.error is not None:
            logs.logger().info("job %s failed: %r", self.name, self.error)
            self.failed.emit(self.error)
        else:
            self.succeeded.emit(self.result)
        self.done.emit()


def start(function: JobFunction, name: str, parent: QObject | None = None, *,
          on_progress: Callable[[int, int, str], None] | None = None,
          on_success: Callable[[Any], None] | None = None,
          on_failure: Callable[[BaseException], None] | None = None) -> Job:  # fmt: skip
    """Create, connect and start a job; keep the returned object until ``done``."""
    job = Job(function, name, parent)
    if on_progress is not None:
        job.progress.connect(on_progress)
    if on_success is not None:
        job.succeeded.connect(on_success)
    if on_failure is not None:
        job.failed.connect(on_failure)
    job.start()
    return job
