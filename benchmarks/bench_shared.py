"""Several clients at once (issue 22, point 6): N filled workbooks ingested by K concurrent client
processes into one workspace, against one client's SQLite ingest of the same files, with an
appraiser working meanwhile.

    python benchmarks/bench_shared.py [--n 5000] [--clients 4] [--workspace FOLDER_OR_URL]

The workbooks are ``bench_ingest.make_files``'s (N distinct units). Each client is a process of
its own (as a PC would be) and gets a K-th of the files plus the first 5 % of the next client's
share, so duplicates arrive concurrently too. Meanwhile an appraiser process reads an indicator's
version and appraises it (``appraise(..., expected_version=...)``, the desktop's path), pausing
0.1 s between appraisals, until the ingest ends. ``--workspace`` is where the shared run goes: a
new folder (SQLite; default a temporary one) or, with the PostgreSQL back-end, a
``postgresql://`` URL of an empty database. Printed:

- the single client's SQLite ingest time and the K clients' time (first start to last end), and
  their ratio (goal ≤ 1.5×);
- lost and duplicated submissions after the K clients (goal 0 and 0);
- the appraisals' latency while the ingest runs: median, p95, max (goal p95 ≤ 100 ms), and how many
  were refused as a conflict (there is one appraiser, so 0).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]

from bench_ingest import make_files  # noqa: E402
from shared_workspaces import write_roster  # noqa: E402

from app.framework.registry import get_builtin  # noqa: E402
from app.workspace import Workspace, add_period, import_roster, ingest  # noqa: E402
from app.workspace.pg import is_url  # noqa: E402

PERIOD = "2023-Q1"


def _where(locator: str) -> Path | str:
    """A folder for SQLite, the URL itself for a shared workspace."""
    return locator if is_url(locator) else Path(locator)


def _open(locator: str) -> Workspace:
    return Workspace.open(_where(locator))


def prepare(locator: str, roster: Path) -> None:
    with Workspace.create(_where(locator)) as ws:
        import_roster(ws, roster)
        add_period(ws, PERIOD, "svhtt-1690")


def client(locator: str, paths: list[str], go: Any) -> tuple[float, float, int, int]:
    """One ingest client: waits for the start signal, ingests its files; (start, end, added, skipped)."""
    with _open(locator) as ws:
        go.wait()
        start = time.time()
        result = ingest(ws, PERIOD, [Path(p) for p in paths])
        return start, time.time(), len(result.added), len(result.skipped)


def appraiser(locator: str, unit: str, go: Any, stop: Any) -> tuple[list[float], int, list[float]]:
    """Appraise ``unit``'s 1.2 again and again while the ingest runs; the latency of each (seconds), the
    conflicts, and the time of each automatic backup ``appraise`` makes first (measured apart)."""
    from app.workspace import appraise
    from app.workspace import appraise as appraise_module
    from app.workspace.versions import AppraisalConflict, indicator_version

    module = sys.modules[appraise_module.__module__]
    backups: list[float] = []
    real_backup = module.auto_backup

    def timed_backup(*a: Any, **k: Any) -> Any:
        start = time.perf_counter()
        try:
            return real_backup(*a, **k)
        finally:
            backups.append(time.perf_counter() - start)

    module.auto_backup = timed_backup
    times: list[float] = []
    conflicts = 0
    with _open(locator) as ws:
        go.wait()
        n = 0
        while not stop.is_set():
            n += 1
            start = time.perf_counter()
            try:
                seen = indicator_version(ws, PERIOD, unit, "1.2")
                appraise(ws, PERIOD, unit, "1.2", score=str(1 + n % 5), reason=f"Lần thẩm định {n}",
                         expected_version=seen)  # fmt: skip
            except AppraisalConflict:
                conflicts += 1
            times.append(time.perf_counter() - start)
            stop.wait(0.1)
    return times, conflicts, backups


def single(files: list[Path], roster: Path, folder: Path) -> float:
    prepare(str(folder), roster)
    with _open(str(folder)) as ws:
        start = time.perf_counter()
        result = ingest(ws, PERIOD, files)
        elapsed = time.perf_counter() - start
    assert len(result.added) == len(files), (len(result.added), result.rejected[:3])
    return elapsed


def shared(files: list[Path], roster: Path, locator: str, clients: int) -> dict[str, Any]:
    prepare(locator, roster)
    with _open(locator) as ws:  # the appraiser's unit is there before the rush
        ingest(ws, PERIOD, files[:1])
    share = -(-len(files) // clients)
    jobs = []
    for k in range(clients):
        mine = files[k * share : (k + 1) * share]
        nxt = files[(k + 1) * share : (k + 2) * share] if k + 1 < clients else files[:share]
        jobs.append([str(p) for p in mine + nxt[: max(1, len(nxt) // 20)]])
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        go, stop = manager.Event(), manager.Event()
        with ctx.Pool(clients + 1) as pool:
            watch = pool.apply_async(appraiser, (locator, "DV0001", go, stop))
            running = [pool.apply_async(client, (locator, paths, go)) for paths in jobs]
            time.sleep(3)  # every process started and has its workspace open
            go.set()
            done = [r.get() for r in running]
            stop.set()
            latencies, conflicts, backups = watch.get()
    with _open(locator) as ws:
        stored = [r[0] for r in ws.conn.execute("SELECT file_sha256 FROM submissions WHERE period = ?", (PERIOD,))]
    expected = {hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    return {"elapsed": max(d[1] for d in done) - min(d[0] for d in done), "added": sum(d[2] for d in done) + 1,
            "skipped": sum(d[3] for d in done), "given": sum(len(j) for j in jobs),
            "lost": len(expected - set(stored)), "duplicated": len(stored) - len(set(stored)),
            "latencies": latencies, "conflicts": conflicts, "backups": backups}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="filled workbooks (distinct units)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent ingest clients")
    parser.add_argument("--workspace", help="where the shared run goes: a new folder or a postgresql:// URL")
    args = parser.parse_args()
    fw = get_builtin("svhtt-1690")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "xlsx").mkdir()
        start = time.perf_counter()
        files = make_files(fw, args.n, base / "xlsx")
        print(f"{args.n} filled workbooks made in {time.perf_counter() - start:.1f} s")
        roster = write_roster(base / "roster.csv", args.n)
        one = single(files, roster, base / "ws-single")
        print(f"1 client, SQLite:          {one:7.1f} s ({one / args.n * 1000:.1f} ms/file)")
        locator = args.workspace or str(base / "ws-shared")
        r = shared(files, roster, locator, args.clients)
    kind = "PostgreSQL" if locator.startswith("postgresql") else "SQLite"
    print(f"{args.clients} clients, {kind}:{' ' * (11 - len(kind))}{r['elapsed']:7.1f} s "
          f"({r['given']} files given, {r['added']} added, {r['skipped']} already there)")  # fmt: skip
    print(f"ratio: {r['elapsed'] / one:.2f}× (goal ≤ 1.5×)")
    print(f"lost submissions: {r['lost']}, duplicated: {r['duplicated']} (goal 0, 0)")
    lat = sorted(r["latencies"])
    if lat:
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        print(f"appraisals during the ingest: {len(lat)}, median {statistics.median(lat) * 1000:.0f} ms, "
              f"p95 {p95 * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms (goal p95 ≤ 100 ms); "
              f"refused as a conflict: {r['conflicts']}")  # fmt: skip
        without = sorted(t - b for t, b in zip(r["latencies"], r["backups"], strict=False))
        p95 = without[min(len(without) - 1, int(0.95 * len(without)))]
        print(f"  of which the automatic backup before each appraisal: median "
              f"{statistics.median(r['backups']) * 1000:.0f} ms; without it: median "
              f"{statistics.median(without) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
