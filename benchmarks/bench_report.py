"""The consolidated report at scale (issue 7): gather + workbook + exports for N units.

    python benchmarks/bench_report.py [N=1000]

Builds a workspace with a roster of N units and N filled workbooks ingested (the files of
``bench_ingest.make_files``: random figures with blanks, zero denominators, N/A …), then prints
the seconds to gather the report data, to write the workbook (all sheets and charts), to write
the CSV/JSON exports, and the workbook's size. The office's real batch is about 25 units; a
department of 1,000 units is the scale DESIGN §9 asks the reading to handle, so the report should
keep up with it.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]

from bench_ingest import make_files  # noqa: E402

from app.framework.registry import get_builtin  # noqa: E402
from app.report.data import gather  # noqa: E402
from app.report.export import export_files  # noqa: E402
from app.report.xlsx import write_report  # noqa: E402
from app.workspace import Workspace, add_period, import_roster, ingest  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1000)
    args = parser.parse_args()
    fw = get_builtin("svhtt-1690")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        roster = folder / "roster.csv"
        with roster.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["Mã đơn vị", "Tên đơn vị"])
            writer.writerows([f"DV{i + 1:04d}", f"Đơn vị thử nghiệm số {i + 1}"] for i in range(args.n))
        (folder / "in").mkdir()
        t = time.perf_counter()
        make_files(fw, args.n, folder / "in")
        made = time.perf_counter() - t
        with Workspace.create(folder / "ws") as ws:
            import_roster(ws, roster)
            add_period(ws, "2023-Q1", fw.id)
            t = time.perf_counter()
            ingest(ws, "2023-Q1", [folder / "in"])
            ingested = time.perf_counter() - t
            t = time.perf_counter()
            data = gather(ws, "2023-Q1")
            gathered = time.perf_counter() - t
        t = time.perf_counter()
        book = write_report(data, folder / "out" / "report.xlsx")
        written = time.perf_counter() - t
        t = time.perf_counter()
        exports = export_files(data, folder / "out")
        exported = time.perf_counter() - t
        print(f"units: {args.n} ranked {len(data.ranking)} ({len(fw.indicators)} indicators)")
        print(f"setup: files made in {made:.1f} s, ingested in {ingested:.1f} s")
        print(f"gather (scores self + appraised, roll-up, issues, contacts): {gathered:.2f} s")
        print(f"workbook (10 sheets, 3 charts): {written:.2f} s, {book.stat().st_size / 1024:.0f} KiB")
        print(f"exports (2 CSV + JSON): {exported:.2f} s, {sum(p.stat().st_size for p in exports) / 1024:.0f} KiB")
        print(f"report total: {gathered + written + exported:.2f} s")


if __name__ == "__main__":
    main()
