"""Walk a batch with progress and cancel: the one loop under ingest, reading and generation.

Why one place: the desktop shows every long job the same way — ``progress(done, total, name)``
before each item, ``progress(total, total, "")`` once all are done, nothing more after a cancel —
and the batches (files read, files ingested, templates written) must not drift apart on that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
#: ``progress(done, total, name)``: the one shape of progress reports, for batches and background jobs
Progress = Callable[[int, int, str], None]
#: ``cancelled()``: whether the user asked to stop
Cancelled = Callable[[], bool]


class Steps(Generic[T]):
    """Iterate ``items``; ``cancelled`` tells afterwards whether the walk stopped early."""

    def __init__(self, items: Sequence[T], name: Callable[[T], str], progress: Progress | None = None,
                 cancelled: Cancelled | None = None) -> None:  # fmt: skip
        self.items = items
        self.name = name
        self.progress = progress
        self.should_stop = cancelled
        self.cancelled = False

    def __iter__(self) -> Iterator[T]:
        total = len(self.items)
        for n, item in enumerate(self.items):
            if self.should_stop is not None and self.should_stop():
                self.cancelled = True
                return
            if self.progress is not None:
                self.progress(n, total, self.name(item))
            yield item
        if self.progress is not None:
            self.progress(total, total, "")
