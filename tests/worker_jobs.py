"""Jobs for tests of the worker process: module-level, so they pickle into the spawned process."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app import jobs
from app.steps import Cancelled, Progress


def count(n: int, progress: Progress, cancelled: Cancelled) -> dict[str, Any]:
    """Reports ``n`` steps and returns where it ran."""
    for i in range(n):
        progress(i + 1, n, f"bước {i + 1}")
    return {"pid": os.getpid(), "steps": n}


def until_cancelled(progress: Progress, cancelled: Cancelled) -> int:
    """Ticks until cancelled (at most 20 s); returns the ticks."""
    ticks = 0
    deadline = time.monotonic() + 20
    while not cancelled() and time.monotonic() < deadline:
        ticks += 1
        progress(ticks, 0, "")
        time.sleep(0.01)
    return ticks


def boom(progress: Progress, cancelled: Cancelled) -> None:
    raise RuntimeError("internal detail the user should not see")


class Odd(Exception):
    """An exception whose constructor pickling cannot replay."""

    def __init__(self, a: int, b: int) -> None:
        super().__init__(f"odd {a} {b}")


def odd(progress: Progress, cancelled: Cancelled) -> None:
    raise Odd(1, 2)


def unpicklable_result(progress: Progress, cancelled: Cancelled) -> Any:
    return lambda: None


def die(progress: Progress, cancelled: Cancelled) -> None:
    progress(1, 2, "sắp dừng")
    os._exit(3)


def slow_ingest_files(folder: Path, period: str, paths: Sequence[Path], progress: Progress,
                      cancelled: Cancelled) -> Any:  # fmt: skip
    """The real ingest, 30 ms slower per file: long enough for a test to see the table fill in."""

    def slower(done: int, total: int, name: str) -> None:
        progress(done, total, name)
        time.sleep(0.03)

    return jobs.ingest_files(folder, period, paths, slower, cancelled)
