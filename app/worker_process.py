"""A second Python process that runs the long jobs, so the window's process is never busy with them.

Why a process and not only a thread: reading a workbook is pure Python and holds the interpreter
lock (GIL) for tens of milliseconds at a time; a reading thread in the window's process makes the
window stutter however the work is split (measured in ``benchmarks/bench_startup.py``). In a
separate process the window's thread only waits on a pipe, which releases the lock.

One process is started on demand (``multiprocessing`` "spawn", the only start method Windows has,
and the same everywhere so tests see what users get), imports the readers and writers once
(``app.jobs.warm_up``), and then serves one job at a time for the life of the application:

- a job is a picklable callable ``job(progress, cancelled)``, usually
  ``functools.partial(app.jobs.ingest_files, folder, period, paths)``;
- progress comes back as messages on the pipe, cancelling sets a shared event the job polls;
- the result, or the exception with its traceback text (``remote_traceback``), comes back last;
- if the process dies (killed, out of memory, a crash in a C library), the job fails with
  ``WorkerDied`` and the next job starts a fresh process.

A frozen program must call ``multiprocessing.freeze_support()`` first thing in ``main`` (both entry
points do), because the worker is the program itself started again with special arguments.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from app.errors import UserError
from app.steps import Cancelled, Progress

Job = Callable[[Progress, Cancelled], Any]

#: how often the waiting thread looks at the cancel flag and whether the process still lives
POLL_SECONDS = 0.05


class WorkerDied(UserError):
    """The worker process ended in the middle of a job; ``str()`` is the message for the user."""

    def __init__(self, code: int | None = None) -> None:
        self.code = code
        super().__init__(
            "Tiến trình xử lý nền đã dừng bất thường"
            + (f" (mã {code})" if code is not None else "")
            + ". Các tệp đã xử lý xong vẫn được giữ; hãy thực hiện lại công việc."
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (WorkerDied, (self.code,))


def _portable(exc: BaseException) -> BaseException:
    """The exception itself if it survives pickling unchanged, else a ``RuntimeError`` naming it."""
    try:
        copy = pickle.loads(pickle.dumps(exc))
        if type(copy) is type(exc) and str(copy) == str(exc):
            return exc
    except Exception:  # an exception class whose constructor pickling cannot replay
        pass
    return RuntimeError(f"{type(exc).__name__}: {exc}")


def _serve(conn: Connection, cancel: Any) -> None:  # in the worker process
    """Run jobs from the pipe until it closes or ``None`` arrives."""
    if sys.platform != "win32":  # Ctrl+C in a terminal is for the window, which stops us properly
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from app.jobs import warm_up

        warm_up()
    except Exception:
        pass

    def progress(done: int, total: int, name: str) -> None:
        conn.send(("progress", done, total, name))

    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the window's process has gone
            return
        if job is None:
            return
        try:
            message: tuple[Any, ...] = ("ok", job(progress, cancel.is_set))
        except BaseException as exc:
            message = ("error", _portable(exc), traceback.format_exc())
        try:
            conn.send(message)
        except Exception as exc:  # the result itself does not pickle: a defect, reported as one
            conn.send(("error", RuntimeError(f"kết quả không gửi về được: {exc!r}"), traceback.format_exc()))


class WorkerProcess:
    """The one worker process; ``run`` is called from a background thread, one job at a time."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: Connection | None = None
        self._cancel = self._context.Event()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def start(self) -> None:
        """Start the process if it is not running (it then warms up on its own); returns at once."""
        if self.alive():
            return
        self._discard()
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(target=_serve, args=(child, self._cancel), name="dtidesk-worker",
                                        daemon=True)  # fmt: skip
        process.start()
        child.close()
        self._process, self._conn = process, parent

    def run(self, job: Job, progress: Progress, cancelled: Cancelled) -> Any:
        """Run ``job`` in the worker and return its result, or raise its exception (or ``WorkerDied``)."""
        with self._lock:
            self.start()
            conn = self._conn
            assert conn is not None
            self._cancel.clear()
            try:
                conn.send(job)
            except (BrokenPipeError, ConnectionResetError, EOFError) as exc:
                code = self._process.exitcode if self._process is not None else None
                self._discard()
                raise WorkerDied(code) from exc
            while True:
                if not self._cancel.is_set() and cancelled():
                    self._cancel.set()
                try:
                    ready = conn.poll(POLL_SECONDS)
                    message = conn.recv() if ready else None
                except (EOFError, OSError) as exc:
                    code = self._wait_exit()
                    self._discard()
                    raise WorkerDied(code) from exc
                if message is None:
                    if not self.alive():
                        code = self._wait_exit()
                        self._discard()
                        raise WorkerDied(code)
                    continue
                kind = message[0]
                if kind == "progress":
                    progress(*message[1:])
                elif kind == "ok":
                    return message[1]
                else:
                    error, remote = message[1], message[2]
                    error.remote_traceback = remote
                    raise error

    def _wait_exit(self) -> int | None:
        if self._process is None:
            return None
        self._process.join(1.0)
        code: int | None = self._process.exitcode
        return code

    def _discard(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(1.0)
        self._process, self._conn = None, None

    def stop(self, timeout: float = 3.0) -> None:
        """Ask the process to finish after its current job and wait; kill it if it does not."""
        if self._process is None:
            return
        self._cancel.set()
        if self._conn is not None:
            try:
                self._conn.send(None)
            except OSError:
                pass
        self._process.join(timeout)
        self._discard()


__all__ = ["POLL_SECONDS", "WorkerDied", "WorkerProcess"]
