"""Receiving at scale: identify + read + validate + score N filled workbooks (DESIGN §9, issue 5).

    python benchmarks/bench_ingest.py [N=1000] [--framework svhtt-1690]

Makes N distinct filled workbooks (each unit's own template from ``TemplateFactory``; figures
from ``tests/template_fill.random_fill`` — blanks, zero denominators, parts above wholes, N/A with
and without explanation — plus evidence for most indicators, contacts and the Phụ lục; typed into
the input cells of the sheet XML as a spreadsheet program stores them), then prints:

- ms per file for the whole reading (``receive``) plus scoring and ranking the batch;
- the ratio to a bare python-calamine read of the same files (open + every sheet to Python);
- the ratio against ``pandas.read_excel(sheet_name=None, engine="openpyxl")`` on a sample;
- peak memory (resident set, and Python allocations under tracemalloc) for 100 vs N files,
  each measured in a fresh process.
Goals (issue 5): ≤ 4× bare calamine, ≥ 7× faster than pandas/openpyxl, memory flat (≤ 1.3×).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from template_fill import random_fill  # noqa: E402

from app.framework.registry import get_builtin  # noqa: E402
from app.workbook import names  # noqa: E402
from app.workbook.template import TemplateFactory, defined_names, plan_layout  # noqa: E402
from scoring.model import Framework  # noqa: E402


def _cell_xml(ref: str, style: str, value: Any) -> str:
    if isinstance(value, bool):
        value = "Có" if value else "Không"
    if isinstance(value, int | float):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    return f'<c r="{ref}"{style} t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _typed(sheet_xml: str, values: dict[str, Any]) -> str:
    def cell(c: re.Match[str]) -> str:
        ref = c.group(1)
        return _cell_xml(ref, c.group(2) or "", values[ref]) if ref in values else c.group(0)

    return re.sub(r'<c r="([A-Z]+\d+)"( s="\d+")?/>', cell, sheet_xml)


def fill(package: bytes, framework: Framework, cells: dict[str, Any]) -> bytes:
    """Type ``cells`` (defined name → value) into a template's empty input cells, in the XML."""
    titles = [s.title for s in plan_layout(framework).sheets]
    homes = defined_names(framework)
    where: dict[int, dict[str, Any]] = {}
    for name, value in cells.items():
        sheet, ref = homes[name]
        where.setdefault(titles.index(sheet) + 1, {})[ref.replace("$", "")] = value
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(package)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if m and int(m.group(1)) in where:
                data = _typed(data.decode("utf-8"), where[int(m.group(1))]).encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def complete(framework: Framework, cells: dict[str, Any], rnd: random.Random) -> None:
    """What ``random_fill`` leaves out and a unit fills in: evidence (most of it), contacts, the
    Phụ lục. ``random_fill`` draws the figures: blanks, zero denominators, parts above wholes."""
    for ind in framework.indicators:
        if ind.evidence and rnd.random() < 0.9:
            cells[names.evidence_name(ind.code)] = f"Quyết định số {rnd.randint(1, 300)}/QĐ-ĐV ngày 05/01/2023"
    wholes = {w for c in framework.constraints for w in c.whole}
    fields = (
        [f for b in framework.contacts for f in b.fields] + list(framework.general_info) + list(framework.narratives)
    )
    fields += list(framework.report_table.rows) if framework.report_table else []
    by_type = {"text": "Nguyễn Thị Hoà", "phone": "0903 123 456", "email": "vanthu@donvi.example"}
    for f in fields:
        if f.type.value in by_type:
            cells[names.field_name(f.name)] = by_type[f.type.value]
        elif f.type.value == "count":
            cells[names.field_name(f.name)] = 40 if f.name in wholes else rnd.randint(0, 12)
        if f.evidence:
            cells[names.field_evidence_name(f.name)] = "Báo cáo nhân sự quý I/2023"


def make_files(framework: Framework, n: int, folder: Path, period: str = "2023-Q1", label: str = "Quý I/2023",
               seed: int = 2023) -> list[Path]:  # fmt: skip
    factory = TemplateFactory(framework, period, label)
    rnd = random.Random(seed)
    paths = []
    for i in range(n):
        code = f"DV{i + 1:04d}"
        cells, _ = random_fill(framework, rnd)
        complete(framework, cells, rnd)
        path = folder / f"{period}_{code}.xlsx"
        path.write_bytes(fill(factory.render(code, f"Đơn vị thử nghiệm số {i + 1}"), framework, cells))
        paths.append(path)
    return paths


def bare_calamine(paths: list[Path]) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    for p in paths:
        wb = CalamineWorkbook.from_path(str(p))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
        wb.close()
    return time.perf_counter() - start


def ours(paths: list[Path], framework: Framework) -> tuple[float, int, int]:
    """The pipeline the workspace runs: receive (identify, read, validate) then score and rank."""
    from app.workbook.intake import receive
    from scoring.engine import group_cents_of, score_batch
    from scoring.ranking import RankEntry, rank

    start = time.perf_counter()
    batch = receive(paths, framework, "2023-Q1")
    counted = batch.counted
    scores = score_batch(framework, [s.inputs for s in counted])
    group_cents_of(framework, scores)
    rank([RankEntry(s.unit_code, s.unit_name, s.total_cents) for s in scores])
    elapsed = time.perf_counter() - start
    return elapsed, len(scores), sum(len(s.issues) for s in batch.submissions)


def card(paths: list[Path], framework: Framework) -> float:
    """The same plus the JSON of ``dtidesk score --json`` (an explanation for every score)."""
    from app.scorecard import scorecard
    from app.workbook.intake import receive

    start = time.perf_counter()
    json.dumps(scorecard(receive(paths, framework, "2023-Q1"), framework, "2023-Q1"), ensure_ascii=False)
    return time.perf_counter() - start


def _child(folder: str, n: int, framework_id: str, traced: bool) -> None:
    """Run in a fresh process: read the first n files; print peak RSS, or the traced Python peak
    (tracemalloc's own bookkeeping inflates RSS, so the two are measured in separate runs)."""
    import tracemalloc

    fw = get_builtin(framework_id)
    paths = sorted(Path(folder).glob("*.xlsx"))[:n]
    ours(paths[:5], fw)  # warm caches (template map, compiled framework) outside the measurement
    if traced:
        tracemalloc.start()
        ours(paths, fw)
        print(json.dumps({"traced_peak_mib": tracemalloc.get_traced_memory()[1] / 2**20}))
        return
    ours(paths, fw)
    print(json.dumps({"rss_mib": _peak_rss_mib()}))


def _peak_rss_mib() -> float:
    """This process's resident-set high-water mark. ``getrusage``'s ru_maxrss is inherited from the
    parent across fork and exec on Linux, so it would report the parent's peak; VmHWM is our own."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory(folder: Path, n: int, framework_id: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for traced in ("0", "1"):
        out = subprocess.run([sys.executable, __file__, "--child", str(folder), str(n), traced,
                              "--framework", framework_id], check=True, capture_output=True, text=True).stdout  # fmt: skip
        found.update(json.loads(out.strip().splitlines()[-1]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--framework", default="svhtt-1690")
    parser.add_argument("--pandas-sample", type=int, default=50)
    parser.add_argument("--child", nargs=3, metavar=("DIR", "N", "TRACED"))
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]), args.framework, args.child[2] == "1")
        return
    fw = get_builtin(args.framework)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        paths = make_files(fw, args.n, folder)
        size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
        print(f"{args.n} filled workbooks of {fw.id} ({size:.0f} KiB each) made in {time.perf_counter() - t0:.1f} s")
        ours(paths[:20], fw)  # warm up: caches, page cache
        bare_calamine(paths[:20])
        runs = []
        for _ in range(3):
            bare = bare_calamine(paths)
            mine, units, issues = ours(paths, fw)
            runs.append((mine, bare))
        mine, bare = min(runs, key=lambda r: r[0] / r[1])
        with_json = card(paths, fw)
        mine_best, bare_best = min(r[0] for r in runs), min(r[1] for r in runs)
        print(f"ours (identify + read + validate + score + rank): {mine_best / args.n * 1000:.2f} ms/file, "
              f"{mine_best:.2f} s total ({units} units, {issues} issues)")  # fmt: skip
        print(f"  with the --json scorecard (explanations) too:  {with_json / args.n * 1000:.2f} ms/file")
        print(f"bare python-calamine (open + all sheets):        {bare_best / args.n * 1000:.2f} ms/file")
        print(f"ratio ours / bare calamine: {mine / bare:.2f}x (goal <= 4x; best of 3 paired runs)")
        try:
            import pandas as pd
        except ImportError:
            print("pandas not installed: pip install -e '.[bench]' for the pandas comparison")
        else:
            sample = paths[: args.pandas_sample]
            start = time.perf_counter()
            for p in sample:
                pd.read_excel(p, sheet_name=None, engine="openpyxl")
            per_pandas = (time.perf_counter() - start) / len(sample)
            print(f"pandas.read_excel(engine='openpyxl', all sheets): {per_pandas * 1000:.1f} ms/file "
                  f"({len(sample)} files) → ours is {per_pandas / (mine_best / args.n):.1f}x faster (goal >= 7x)")  # fmt: skip
        small = memory(folder, min(100, args.n), fw.id)
        large = memory(folder, args.n, fw.id)
        print(f"peak RSS: {small['rss_mib']:.1f} MiB at 100 files, {large['rss_mib']:.1f} MiB at {args.n} "
              f"→ {large['rss_mib'] / small['rss_mib']:.2f}x (goal <= 1.3x)")  # fmt: skip
        print(f"traced Python peak: {small['traced_peak_mib']:.1f} MiB at 100, {large['traced_peak_mib']:.1f} MiB "
              f"at {args.n} (results kept for every unit grow with N; the reading itself does not)")  # fmt: skip


if __name__ == "__main__":
    main()
