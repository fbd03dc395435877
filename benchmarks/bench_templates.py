"""Template generation: one workbook per unit for 1,000 units.

Prints ms per file and the ratio to writing a bare workbook with the same number of cells with
XlsxWriter in memory (goal of the issue "The unit workbook": ≤ 3×). The ratio isolates what our
layout, formats, validations and names cost over XlsxWriter's own floor.
Run: python benchmarks/bench_templates.py [UNITS] [FRAMEWORK]
"""

from __future__ import annotations

import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.framework import get_builtin
from app.period import parse_period
from app.workbook.generate import generate_templates
from app.workbook.roster import RosterUnit
from app.workbook.template import plan_layout


def bare(cells_per_sheet: list[int]) -> None:
    """The floor: the same count of cells (short strings) in the same number of sheets."""
    buf = BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    for i, count in enumerate(cells_per_sheet):
        ws = wb.add_worksheet(f"S{i}")
        for n in range(count):
            ws.write_string(n // 6, n % 6, "x")
    wb.close()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    fw = get_builtin(sys.argv[2] if len(sys.argv) > 2 else "hcm-dti-quan-2023")
    layout = plan_layout(fw)
    per_sheet = [len(s.cells) + len(s.merges) for s in layout.sheets] + [9]
    units = [RosterUnit(f"DV{i:04d}", f"Đơn vị số {i} thuộc Sở Văn hóa và Thể thao") for i in range(count)]
    period = parse_period("2023-Q1")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        written = generate_templates(fw, units, period, Path(tmp))
        elapsed = time.perf_counter() - t0
        size = sum(g.path.stat().st_size for g in written) / len(written)
    t0 = time.perf_counter()
    floor_runs = min(count, 200)
    for _ in range(floor_runs):
        bare(per_sheet)
    floor = (time.perf_counter() - t0) / floor_runs
    per_file = elapsed / count
    print(f"framework={fw.id} units={count} cells/file={sum(per_sheet)} size={size / 1024:.0f} KiB")
    print(f"templates: {elapsed:.2f} s total, {per_file * 1000:.1f} ms per file (written to disk)")
    print(f"bare XlsxWriter workbook, same cell count, in memory: {floor * 1000:.1f} ms")
    print(f"ratio: {per_file / floor:.2f}x (goal ≤ 3x)")


if __name__ == "__main__":
    main()
