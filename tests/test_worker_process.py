"""The worker process that runs the desktop application's heavy jobs (no Qt here)."""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
import worker_jobs

from app.atomic import TargetLocked
from app.worker_process import WorkerDied, WorkerProcess


@pytest.fixture(scope="module")
def worker() -> Iterator[WorkerProcess]:
    w = WorkerProcess()
    yield w
    w.stop()
    assert not w.alive()


def test_runs_in_another_process_with_progress(worker: WorkerProcess) -> None:
    seen: list[tuple[int, int, str]] = []
    result = worker.run(partial(worker_jobs.count, 3), lambda *a: seen.append(a), lambda: False)
    assert result["steps"] == 3 and result["pid"] != os.getpid() and result["pid"] == worker.pid
    assert seen == [(1, 3, "bước 1"), (2, 3, "bước 2"), (3, 3, "bước 3")]
    again = worker.run(partial(worker_jobs.count, 1), lambda *a: None, lambda: False)
    assert again["pid"] == result["pid"]  # one process for the application's life


def test_cancel_reaches_the_job(worker: WorkerProcess) -> None:
    flag = threading.Event()
    ticks: list[int] = []

    def progress(done: int, total: int, name: str) -> None:
        ticks.append(done)
        if done >= 5:
            flag.set()

    result = worker.run(worker_jobs.until_cancelled, progress, flag.is_set)
    assert 5 <= result < 1000  # stopped soon after the flag, long before its 20 s limit
    assert worker.run(partial(worker_jobs.count, 1), lambda *a: None, lambda: False)["steps"] == 1  # flag reset


def test_exceptions_come_back_with_their_traceback(worker: WorkerProcess) -> None:
    with pytest.raises(RuntimeError, match="internal detail") as caught:
        worker.run(worker_jobs.boom, lambda *a: None, lambda: False)
    assert "worker_jobs.py" in caught.value.remote_traceback  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError, match="Odd: odd 1 2"):  # cannot be rebuilt: named instead
        worker.run(worker_jobs.odd, lambda *a: None, lambda: False)
    with pytest.raises(RuntimeError, match="kết quả không gửi về được"):
        worker.run(worker_jobs.unpicklable_result, lambda *a: None, lambda: False)


def test_a_dead_worker_fails_the_job_and_the_next_job_gets_a_new_one(worker: WorkerProcess) -> None:
    before = worker.pid
    with pytest.raises(WorkerDied) as caught:
        worker.run(worker_jobs.die, lambda *a: None, lambda: False)
    assert "(mã 3)" in str(caught.value) and "thực hiện lại" in str(caught.value)
    result = worker.run(partial(worker_jobs.count, 1), lambda *a: None, lambda: False)
    assert result["pid"] not in (before, os.getpid())


def test_user_facing_errors_cross_intact(tmp_path: Path) -> None:
    locked = pickle.loads(pickle.dumps(TargetLocked(tmp_path / "bao-cao.xlsx")))
    assert locked.target == tmp_path / "bao-cao.xlsx" and str(locked).count("Không ghi được") == 1
    died = pickle.loads(pickle.dumps(WorkerDied(9)))
    assert died.code == 9 and str(died) == str(WorkerDied(9))
