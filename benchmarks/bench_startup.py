"""The desktop application's start and responsiveness (DESIGN §9, issues 8 and 21).

    python benchmarks/bench_startup.py [--sizes 200,1000] [--periods 4] [--runs 5]

1. Start: seconds from launching a fresh process to the main window shown (visible and exposed),
   through the real ``app.gui.launch.start_window``; best and median of ``--runs``. For scale it
   also prints a bare ``python -c pass`` and ``import PySide6.QtWidgets``. Goal: ≤ 0.6 s.
2. Responsiveness: for each size, a workspace of that many units and ``--periods`` quarters
   (all but the last filled through the core's ``ingest``); then, through the real window, a 10 ms
   timer on the UI thread records how late each tick comes while each action runs and its result
   is shown — the longest gap is how long the window was frozen: opening the workspace, choosing a
   period, ingesting the last quarter's files on the Tiếp nhận page (the real job in the worker
   process, the live status refresh), switching to each page after new data, sorting every column
   of each table both ways, and typing a filter. Goal: never more than 100 ms.

Runs offscreen (``QT_QPA_PLATFORM=offscreen``) with settings and logs in a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]

CHILD = """
import time, sys
from app.gui.launch import start_window
app, window = start_window(["-platform", "offscreen"])
while not (window.isVisible() and window.windowHandle() is not None and window.windowHandle().isExposed()):
    app.processEvents()
print("shown", time.time(), flush=True)
heavy = sorted(m for m in ("openpyxl", "xlsxwriter", "pandas", "app.workspace") if m in sys.modules)
print("heavy", ",".join(heavy) or "-", flush=True)
"""


def _env(tmp: Path) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DTIDESK_CONFIG_DIR": str(tmp / "config"),
            "DTIDESK_DATA_DIR": str(tmp / "data"), "PYTHONPATH": str(ROOT)}  # fmt: skip


def _wall(code: str, env: dict[str, str]) -> float:
    t = time.time()
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    return time.time() - t


def startup(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(Path(tmp))
        _wall(CHILD, env)  # warm the file cache once; every run below is a fresh process
        shown: list[float] = []
        heavy = ""
        for _ in range(runs):
            t = time.time()
            out = subprocess.run([sys.executable, "-c", CHILD], env=env, check=True, capture_output=True, text=True)
            fields = dict(line.split(" ", 1) for line in out.stdout.splitlines() if " " in line)
            shown.append(float(fields["shown"]) - t)
            heavy = fields.get("heavy", "?")
        bare = min(_wall("pass", env) for _ in range(3))
        qt = min(_wall("import PySide6.QtWidgets", env) for _ in range(3))
    print(f"start to window shown: best {min(shown):.3f} s, median {statistics.median(shown):.3f} s "
          f"over {runs} runs (goal ≤ 0.6 s)")  # fmt: skip
    print(f"  for scale: python -c pass {bare:.3f} s; import PySide6.QtWidgets {qt:.3f} s")
    print(f"  heavy modules loaded when the window appeared: {heavy}")


PERIODS = (
    ("2023-Q1", "Quý I/2023"),
    ("2023-Q2", "Quý II/2023"),
    ("2023-Q3", "Quý III/2023"),
    ("2023-Q4", "Quý IV/2023"),
)


def _roster(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Mã đơn vị", "Tên đơn vị"])
        writer.writerows([f"DV{i + 1:04d}", f"Đơn vị thử nghiệm số {i + 1}"] for i in range(n))
    return path


def build_workspace(tmp: Path, n: int, periods: int) -> Path:
    """``n`` units, ``periods`` quarters; every quarter but the last filled through the core's ``ingest``
    (the last one is ingested through the desktop, measured). Returns the folder of the last one's files."""
    from bench_ingest import make_files

    from app.framework.registry import get_builtin
    from app.workspace import Workspace, add_period, import_roster, ingest

    fw = get_builtin("svhtt-1690")
    with Workspace.create(tmp / "ws") as ws:
        import_roster(ws, _roster(tmp / "roster.csv", n))
        for k, (code, label) in enumerate(PERIODS[:periods]):
            add_period(ws, code, fw.id)
            folder = tmp / f"in-{code}"
            folder.mkdir()
            make_files(fw, n, folder, code, label, seed=2023 + k)
            if k < periods - 1:
                ingest(ws, code, sorted(folder.glob("*.xlsx")))
    return tmp / f"in-{PERIODS[periods - 1][0]}"


class StallMeter:
    """A 10 ms timer on the UI thread; the longest gap between its ticks while an action runs and its
    results are shown is how long the window was frozen by that action."""

    def __init__(self, app: Any, window: Any) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.app, self.window = app, window
        self.clock = QElapsedTimer()
        self.clock.start()
        self.ticks: list[int] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(lambda: self.ticks.append(self.clock.elapsed()))
        self.timer.start()

    def settle(self, until: Callable[[], bool] = lambda: True, quiet_ms: int = 60) -> None:
        from PySide6.QtCore import QEventLoop

        begun = self.clock.elapsed()
        while True:
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            now = self.clock.elapsed()
            if until() and self.window.pages_loaded() and now - begun >= quiet_ms:
                return
            time.sleep(0.001)

    def measure(self, action: Callable[[], Any], until: Callable[[], bool] = lambda: True) -> tuple[int, Any]:
        """(longest UI-thread stall in ms, the action's return value)."""
        self.settle()
        self.ticks = []
        t0 = self.clock.elapsed()
        result = action()
        self.settle(until)
        marks = [t0, *self.ticks, self.clock.elapsed()]
        return max(b - a for a, b in pairwise(marks)), result


def responsiveness(n: int, periods: int) -> dict[str, int]:
    """The longest stall of each action on a workspace of ``n`` units and ``periods`` quarters."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    figures: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["DTIDESK_CONFIG_DIR"] = str(tmp / "config")
        os.environ["DTIDESK_DATA_DIR"] = str(tmp / "data")
        built = time.perf_counter()
        last_files = build_workspace(tmp, n, periods)
        print(f"  [{n} units] workspace of {periods} quarters built in {time.perf_counter() - built:.0f} s", flush=True)
        from PySide6.QtCore import Qt

        from app.gui.launch import start_window

        app, window = start_window(["-platform", "offscreen"])
        window.resize(1366, 768)
        meter = StallMeter(app, window)
        figures["open the workspace"], _ = meter.measure(lambda: window.open_workspace(tmp / "ws"))
        last = PERIODS[periods - 1][0]
        figures["choose a period"], _ = meter.measure(lambda: window.set_period(PERIODS[periods - 2][0]))
        window.set_period(last)
        meter.settle()
        intake = window.go_to("intake")
        meter.settle()
        started = time.perf_counter()
        stall, _ = meter.measure(
            lambda: intake.receive_paths([last_files]),  # type: ignore[attr-defined]
            until=lambda: not window.busy(),
        )
        figures[f"ingest a quarter's files (took {time.perf_counter() - started:.0f} s)"] = stall
        for key, page in window.pages.items():
            for other in window.pages.values():  # as after new data: every page re-reads when shown
                other.stale = True
            window.loader.version += 1
            window.go_to("dashboard" if key != "dashboard" else "units")
            meter.settle()
            figures[f"switch to {page.title}"], _ = meter.measure(lambda k=key: window.go_to(k))
        for key in ("units", "intake", "check", "ranking", "history"):
            page = window.go_to(key)
            meter.settle()
            table = page.units_table if key == "check" else page.table  # type: ignore[attr-defined]
            worst = 0
            for column in range(table.model().columnCount()):
                if table.isColumnHidden(column):
                    continue
                for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
                    stall, _ = meter.measure(lambda c=column, o=order, t=table: t.sortByColumn(c, o))
                    worst = max(worst, stall)
            figures[f"sort any column of {page.title}"] = worst
            search = page.unit_search if key == "check" else page.search  # type: ignore[attr-defined]
            worst = 0
            for text in ("s", "số 1", "số 12", "số 123", ""):
                stall, _ = meter.measure(lambda t=text, box=search: box.setText(t))
                worst = max(worst, stall)
            figures[f"filter {page.title} (typing)"] = worst
        meter.timer.stop()
        from app.gui.worker import stop_worker

        stop_worker()
        window.close()
        app.processEvents()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,1000", help="numbers of units, comma-separated")
    parser.add_argument("--periods", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    startup(args.runs)
    sizes = [int(x) for x in args.sizes.split(",")]
    table = {n: responsiveness(n, args.periods) for n in sizes}
    actions = list(dict.fromkeys(a.split(" (took")[0] if a.startswith("ingest") else a
                                 for figures in table.values() for a in figures))  # fmt: skip
    print(f"\nlongest UI-thread stall per action, ms (goal ≤ 100), {args.periods} quarters:")
    print(f"{'action':<48}" + "".join(f"{f'{n} units':>12}" for n in sizes))
    for action in actions:
        cells = []
        for n in sizes:
            value = next((v for a, v in table[n].items() if a == action or a.startswith(action + " (")), None)
            cells.append(f"{value:>12}" if value is not None else f"{'—':>12}")
        print(f"{action:<48}" + "".join(cells))
    for n in sizes:
        took = next((a for a in table[n] if a.startswith("ingest")), "")
        print(f"  {n} units: {took}")
    worst = max(v for figures in table.values() for v in figures.values())
    print(f"longest stall of all: {worst} ms ({'met' if worst <= 100 else 'NOT met'})")


if __name__ == "__main__":
    main()
