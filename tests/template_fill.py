"""Fill generated templates the way units do, by defined name, for tests and the demo sample.

``random_fill`` draws figures that exercise every branch of the rules — blanks, zero
denominators, parts above their whole, band edges, "không áp dụng" with and without an
explanation — and returns them in the engine's shape, so a test can score the same figures the
workbook holds.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from app.workbook import names
from app.workbook.formulas import NO, YES
from scoring.engine import UnitInputs
from scoring.model import Framework, InputType


def random_fill(fw: Framework, rnd: random.Random) -> tuple[dict[str, Any], UnitInputs]:
    """(defined name → value to write, the same figures as engine inputs)."""
    cells: dict[str, Any] = {}
    values: dict[str, dict[str, Any]] = {}
    na: dict[str, str] = {}
    for ind in fw.indicators:
        row: dict[str, Any] = {}
        whole = rnd.choice([0, 1, 3, 10, 20, 40, 80, 97])
        for spec in ind.inputs:
            roll = rnd.random()
            if roll < 0.06:
                continue  # left blank
            if spec.type is InputType.YESNO:
                v: Any = rnd.choice([YES, NO])
            elif spec.type is InputType.CHOICE:
                v = rnd.choice(spec.options).label
            elif spec.type is InputType.PERCENT:
                v = rnd.randint(0, 100) / 100
            elif roll < 0.5:
                v = whole
            else:
                v = rnd.randint(0, max(whole, 25))
            row[spec.name] = v
            cells[names.input_name(ind.code, spec.name)] = v
        values[ind.code] = row
        if ind.allow_na and rnd.random() < 0.35:
            cells[names.na_name(ind.code)] = YES
            note = rnd.choice(["Đơn vị không có thủ tục hành chính.", "", "   "])
            if note:
                cells[names.note_name(ind.code)] = note
            na[ind.code] = note
    return cells, UnitInputs("X", "x", values, na)


def write_by_name(template: Path, cells: dict[str, Any], target: Path) -> None:
    """Write values into the cells the defined names point at (openpyxl, as a script would)."""
    wb = load_workbook(template)
    where = {name: dest for name, dn in wb.defined_names.items() for dest in dn.destinations}
    for name, value in cells.items():
        sheet, ref = where[name]
        wb[sheet][ref.replace("$", "")] = value
    wb.save(target)


__all__ = ["random_fill", "write_by_name"]
