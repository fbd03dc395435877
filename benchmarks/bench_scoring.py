"""Scoring throughput: 10,000 units × 51 indicators (QĐ 79 Phụ lục II) in one batch.

Goal (issue "Scoring engine"): well under a second on the project machine (2 cores).
The figures are realistic: about 2% of inputs blank, 1% of parts above their whole, percentages
as floats, so about 8% of scores take the general path with findings.
Run: python benchmarks/bench_scoring.py [UNITS]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.framework import get_builtin
from scoring.appraisal import standings
from scoring.engine import UnitInputs, compile_framework, score_batch
from scoring.model import InputType, ratio_pairs


def make_units(framework_id: str, count: int, seed: int = 79) -> list[UnitInputs]:
    """Realistic figures: counts with numerator ≤ denominator, yes/no, choices, a few blanks."""
    rnd = random.Random(seed)
    fw = get_builtin(framework_id)
    units = []
    for u in range(count):
        values: dict[str, dict[str, Any]] = {}
        for ind in fw.indicators:
            row: dict[str, Any] = {}
            whole = rnd.randint(1, 400)
            wholes = {name for _, den in ratio_pairs(ind.rule) for name in den}
            share = whole // max(1, len(ind.inputs) - len(wholes))
            for spec in ind.inputs:
                if rnd.random() < 0.02:
                    continue  # left blank
                if spec.type is InputType.YESNO:
                    row[spec.name] = rnd.choice(("Có", "Không"))
                elif spec.type is InputType.CHOICE:
                    row[spec.name] = rnd.choice(spec.options).label
                elif spec.type is InputType.PERCENT:
                    row[spec.name] = rnd.randint(0, 100) / 100
                else:
                    row[spec.name] = whole if spec.name in wholes else rnd.randint(0, share)
            if rnd.random() < 0.01:
                row[ind.inputs[0].name] = whole + 1  # the odd unit whose part exceeds its whole
            values[ind.code] = row
        units.append(UnitInputs(f"U{u:05d}", f"Đơn vị {u}", values))
    return units


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    fw = get_builtin("hcm-dti-quan-2023")
    compile_framework(fw)
    units = make_units(fw.id, count)
    best = float("inf")
    for _ in range(7):
        t0 = time.perf_counter()
        results = score_batch(fw, units)
        best = min(best, time.perf_counter() - t0)
    t0 = time.perf_counter()
    table = standings(fw, results)
    t_rank = time.perf_counter() - t0
    n = count * len(fw.indicators)
    print(f"units={count} indicators={len(fw.indicators)} scores={n}")
    print(f"score_batch: {best:.3f} s (best of 7) = {best / n * 1e6:.2f} µs per indicator score")
    print(
        f"ranking overall + {len(fw.groups)} pillars: {t_rank:.3f} s; top: {table[0].unit_code} {table[0].total_cents / 100:.2f}"
    )


if __name__ == "__main__":
    main()
