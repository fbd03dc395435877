"""The packaged program (issue 9): sizes and frozen start time.

    python benchmarks/bench_package.py [--dist DIR] [--runs 5]

1. Linux onedir size (goal ≤ 200 MB): of ``--dist`` (a built ``dtidesk`` folder), else of a fresh
   build of build.spec into a temporary folder (about 20 s).
2. Windows installer size (goal ≤ 60 MB): the newest ``dist/DTIDesk-Setup-*.exe``, if
   installer/build-windows.sh has made one; also its onedir (``~/.cache/dtidesk-windows-build/dist/dtidesk``).
3. Frozen start time of the Linux build (goal ≤ 1.0 s), best and median of ``--runs`` fresh
   processes after one warm-up: ``dtidesk --version``, and ``dtidesk-gui -platform offscreen``
   from launch to the main window shown (the log's "window shown" line, written when the GUI
   runs with ``DTIDESK_EXIT_AFTER_SHOWN=1``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXIT_HOOK = "DTIDESK_EXIT_AFTER_SHOWN"


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def build(out: Path) -> Path:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR", "--distpath",
                    str(out / "dist"), "--workpath", str(out / "build"), str(ROOT / "build.spec")],
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    print(f"built build.spec in {time.perf_counter() - t:.1f} s")
    return out / "dist" / "dtidesk"


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DTIDESK_", "QT_QPA"))}
    return env | {"DTIDESK_CONFIG_DIR": str(tmp / "config"), "DTIDESK_DATA_DIR": str(tmp / "data")}


def _log_time(log: Path, text: str) -> float | None:
    """Epoch seconds of the first log line containing ``text`` (the log's local-time stamp, ms)."""
    if not log.is_file():
        return None
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if text in line:
            return datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
    return None


def cli_start(exe: Path, tmp: Path) -> float:
    t = time.time()
    subprocess.run([exe / "dtidesk", "--version"], env=_env(tmp), check=True, capture_output=True)
    return time.time() - t


def gui_start(exe: Path, tmp: Path) -> float:
    run = Path(tempfile.mkdtemp(dir=tmp))
    log = run / "data" / "logs" / "dtidesk.log"
    env = _env(run) | {EXIT_HOOK: "1"}
    t = time.time()
    proc = subprocess.Popen([exe / "dtidesk-gui", "-platform", "offscreen"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)  # fmt: skip
    marker = "window shown"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            at = _log_time(log, marker)
            if at is not None:
                return at - t
            if proc.poll() is not None and _log_time(log, marker) is None:
                raise RuntimeError(f"dtidesk-gui ended ({proc.returncode}) without '{marker}' in the log")
            time.sleep(0.005)
        raise TimeoutError(f"no '{marker}' in {log} after 60 s")
    finally:
        try:  # it quits by itself once its worker process has run a job
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)


def timed(label: str, fn: Callable[[], float], runs: int, goal: float) -> None:
    fn()  # warm the file cache: every run below is a fresh process
    times = [fn() for _ in range(runs)]
    print(f"{label}: best {min(times):.3f} s, median {statistics.median(times):.3f} s over {runs} runs "
          f"(goal ≤ {goal:.1f} s)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, help="a built onedir folder dtidesk (default: build one now)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        exe = args.dist.resolve() if args.dist else build(tmp)
        print(f"Linux onedir {exe}: {dir_mb(exe):.0f} MB (goal ≤ 200 MB)")
        setups = sorted((ROOT / "dist").glob("DTIDesk-Setup-*.exe"), key=lambda p: p.stat().st_mtime)
        if setups:
            print(f"Windows installer {setups[-1].name}: {setups[-1].stat().st_size / 1e6:.1f} MB (goal ≤ 60 MB)")
        else:
            print("Windows installer: none in dist/ (installer/build-windows.sh builds it)")
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        win_onedir = Path(os.environ.get("DTIDESK_WIN_BUILD") or cache / "dtidesk-windows-build") / "dist" / "dtidesk"
        if win_onedir.is_dir():
            print(f"Windows onedir {win_onedir}: {dir_mb(win_onedir):.0f} MB")
        timed("frozen start, dtidesk --version", lambda: cli_start(exe, tmp), args.runs, 1.0)
        timed("frozen start, dtidesk-gui to main window shown", lambda: gui_start(exe, tmp), args.runs, 1.0)


if __name__ == "__main__":
    main()
