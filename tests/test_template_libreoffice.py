"""The templates in a real spreadsheet program (LibreOffice, headless).

- every generated template opens and prints to PDF without error;
- filled by defined name and recalculated by LibreOffice, every live score equals the scoring
  engine's score of the same figures, to the cent, for many random fills of every framework.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from lo_tools import recalculated, soffice_path, to_pdf
from openpyxl import load_workbook
from template_fill import random_fill, write_by_name

from app.framework import get_builtin
from app.workbook import names
from app.workbook.template import write_template
from scoring.engine import score_unit

pytestmark = [pytest.mark.libreoffice, pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")]
FRAMEWORKS = ["svhtt-1690", "hcm-dti-so-2023", "hcm-dti-quan-2023"]
FILLS_PER_FRAMEWORK = 12


def test_every_template_opens_and_prints(tmp_path: Path) -> None:
    files = []
    for fid in FRAMEWORKS:
        path = tmp_path / f"{fid}.xlsx"
        write_template(
            get_builtin(fid), "DV&01", "Nhà hát <Ca múa> & Nhạc “Bông Sen”", "2023-Q1", "Quý I năm 2023", path
        )
        files.append(path)
    pdfs = to_pdf(files, tmp_path / "pdf")
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and data.count(b"/Type /Page") + data.count(b"/Type/Page") >= 3, pdf


def test_live_scores_recalculated_by_libreoffice_equal_the_engine(tmp_path: Path) -> None:
    rnd = random.Random(1690)
    cases = []
    for fid in FRAMEWORKS:
        fw = get_builtin(fid)
        template = tmp_path / f"{fid}.xlsx"
        write_template(fw, "DV01", "Đơn vị thử", "2023-Q1", "Quý I năm 2023", template)
        for i in range(FILLS_PER_FRAMEWORK):
            cells, unit = random_fill(fw, rnd)
            filled = tmp_path / f"{fid}_{i:02d}.xlsx"
            write_by_name(template, cells, filled)
            cases.append((fw, filled, unit))
    saved = recalculated([c[1] for c in cases], tmp_path)
    compared = 0
    mismatches = []
    for (fw, _, unit), path in zip(cases, saved, strict=True):
        wb = load_workbook(path, data_only=True)
        where = {name: dest for name, dn in wb.defined_names.items() for dest in dn.destinations}

        def value(name: str, wb: Any = wb, where: dict[str, tuple[str, str]] = where) -> object:
            sheet, ref = where[name]
            return wb[sheet][ref.replace("$", "")].value

        engine = score_unit(fw, unit)
        expected_total = 0
        for ind in fw.indicators:
            live = value(names.score_name(ind.code))
            if ind.rule.kind == "min_max":
                assert live == "tính khi tổng hợp"
                continue
            want = engine.indicators[ind.code].cents
            expected_total += want
            compared += 1
            if not isinstance(live, int | float) or round(live * 100) != want:
                mismatches.append((path.name, ind.code, live, want, unit.values.get(ind.code)))
        total = value(names.TOTAL_SCORE_NAME)
        assert isinstance(total, int | float) and round(total * 100) == expected_total, path.name
        for group in fw.groups:
            live_group = value(names.group_score_name(group.code))
            want_group = sum(engine.indicators[i.code].cents for i in fw.group_indicators(group.code)
                             if i.rule.kind != "min_max")  # fmt: skip
            assert isinstance(live_group, int | float) and round(live_group * 100) == want_group
    assert not mismatches, mismatches[:10]
    assert compared == FILLS_PER_FRAMEWORK * sum(
        sum(1 for i in get_builtin(f).indicators if i.rule.kind != "min_max") for f in FRAMEWORKS
    )
