"""Reading the workspace for a page off the UI thread (DESIGN §9.1).

A page's ``load(ctx)`` runs on the loader's one thread with that thread's own read connection
(``ctx.ws``: SQLite connections belong to the thread that opened them) and returns plain data;
the page's ``present(data)`` then runs on the UI thread and only fills widgets. Each request
carries a generation number per key: when the clerk switches period twice quickly, or data
changes while a load is running, only the answer to the newest request is shown — an older one
that arrives late is dropped (``discarded`` counts them), never painted over the newer one.

One thread, not a pool: loads are short and ordered, the period's scores (the costly part:
``score_period`` of every unit) are computed once per change of data and shared by the pages
that show them (``ctx.scores()``), and a single connection stays open between loads.

``wait = True`` makes ``request`` block until the answer is shown: for scripted use (the
screenshots, the tests), where a page must be filled before the next line looks at it. The load
still runs on the loader's thread with its own connection, so the same code is exercised.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal

from . import logs

if TYPE_CHECKING:
    from app.workspace import Workspace
    from app.workspace.ranking import PeriodScores


@dataclass
class LoadContext:
    """What a ``load`` may use: the loader thread's own connection and the request's period."""

    ws: Workspace
    period: str | None
    _scores: Callable[[], PeriodScores | None] = field(repr=False)
    _cached: Callable[[str, Callable[[], Any]], Any] = field(repr=False)

    def scores(self) -> PeriodScores | None:
        """``score_period`` of ``period``, computed at most once per change of data."""
        return self._scores()

    def cached(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, kept until the data or the workspace change (e.g. every period's ranking)."""
        return self._cached(name, compute)


LoadFunction = Callable[[LoadContext], Any]


@dataclass
class _Delivery:
    """What to do with a load's answer. It holds no reference to the load's ``Future``: the future's
    done-callback holds the delivery, and a delivery holding the future back made a cycle that kept
    every answer (1,000 units' rows) alive until a full collection of the whole heap freed it."""

    key: str
    generation: int
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None]


class Loader(QObject):
    """The UI's reader: ``request(key, load, on_done)`` runs ``load`` off the UI thread."""

    _arrived = Signal(object, object)  # the _Delivery, the Future
    #: the window's loads block until shown (tests set it for every window they build)
    wait_default = False

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wait = self.wait_default
        self.folder: Path | None = None
        self.period: str | None = None
        #: bumped by the window on every change of data: cached scores are then recomputed
        self.version = 0
        self.discarded = 0
        self._generation: dict[str, int] = {}
        self._pending: dict[str, int] = {}
        self._executor: ThreadPoolExecutor | None = None
        # the loader thread's own state (touched only on that thread)
        self._ws: Workspace | None = None
        self._scores_key: tuple[Any, ...] | None = None
        self._scores_value: PeriodScores | None = None
        self._scores_lock = threading.Lock()
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    # --- the UI thread --------------------------------------------------------------------------

    def request(self, key: str, load: LoadFunction, on_done: Callable[[Any], None],
                on_error: Callable[[BaseException], None]) -> int:  # fmt: skip
        """Start ``load`` for ``key`` (a page, a part of a page); returns the request's generation."""
        generation = self._generation.get(key, 0) + 1
        self._generation[key] = generation
        self._pending[key] = generation
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dtidesk-loader")
        folder, period, version = self.folder, self.period, self.version
        future = self._executor.submit(self._run, folder, period, version, load)
        delivery = _Delivery(key, generation, on_done, on_error)
        if self.wait:
            future.exception()  # blocks until it ran
            self._deliver(delivery, future)
        else:
            future.add_done_callback(lambda done: self._arrived.emit(delivery, done))
        return generation

    def loading(self, key: str) -> bool:
        """A request for ``key`` has not been answered yet."""
        return key in self._pending

    def idle(self) -> bool:
        return not self._pending

    def _deliver(self, delivery: _Delivery, future: Future[Any]) -> None:
        if self._generation.get(delivery.key) != delivery.generation:
            self.discarded += 1  # a newer request for the same key was made meanwhile: its answer counts
            return
        self._pending.pop(delivery.key, None)
        error = future.exception()
        if error is not None:
            logs.logger().info("loading %s failed: %r", delivery.key, error)
            delivery.on_error(error)
        else:
            delivery.on_done(future.result())

    def release(self) -> None:
        """Close the loader thread's connection now (before the window opens a workspace itself: see
        ``_workspace``); the next load opens it again."""
        if self._executor is not None:
            self._executor.submit(self._close).result()

    def shutdown(self) -> None:
        """Close the loader thread's connection and end the thread (the window is closing)."""
        if self._executor is not None:
            self._executor.submit(self._close)
            self._executor.shutdown(wait=True)
            self._executor = None
        self._generation.clear()
        self._pending.clear()

    # --- the loader thread ----------------------------------------------------------------------

    def _run(self, folder: Path | None, period: str | None, version: int, load: LoadFunction) -> Any:
        ws = self._workspace(folder)
        if ws is None:
            return None
        return load(LoadContext(ws, period, lambda: self._period_scores(ws, period, version),
                                lambda name, compute: self._cached(ws, version, name, compute)))  # fmt: skip

    def _cached(self, ws: Workspace, version: int, name: str, compute: Callable[[], Any]) -> Any:
        key = (ws.folder, version, name)
        if key not in self._cache:
            self._cache = {k: v for k, v in self._cache.items() if k[:2] == key[:2]}  # older data: dropped
            self._cache[key] = compute()
        return self._cache[key]

    def _workspace(self, folder: Path | None) -> Workspace | None:
        if self._ws is not None and self._ws.folder != folder:
            self._close()
        if self._ws is None and folder is not None:
            from app.workspace.store import open_reader

            self._ws = open_reader(folder)  # not ``Workspace.open``: see there why
            _warm_up()
        return self._ws

    def _close(self) -> None:
        if self._ws is not None:
            self._ws.close()
            self._ws = None
        self._scores_key = None
        self._scores_value = None
        self._cache = {}

    def _period_scores(self, ws: Workspace, period: str | None, version: int) -> PeriodScores | None:
        if period is None:
            return None
        key = (ws.folder, period, version)
        with self._scores_lock:
            if self._scores_key != key:
                from app.workspace.ranking import score_period

                self._scores_value = score_period(ws, period)
                self._scores_key = key
            return self._scores_value


#: what the pages' ``present`` imports on first use: imported here, on the loader's thread, when a
#: workspace is first read — importing ``app.workspace`` and the framework loader on the UI thread
#: was a 150 ms stall the first time a period was chosen
WARM = ("app.workspace", "app.workspace.status", "app.workspace.progress", "app.workspace.history",
        "app.framework", "app.period", "scoring.rounding", "scoring.explain", "scoring.collation")  # fmt: skip


def _warm_up() -> None:
    import importlib

    for name in WARM:
        importlib.import_module(name)
