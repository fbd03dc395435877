"""Read the indicator tables of QĐ 79 straight from the seed text, independently of our loader.

The seed is a text rendering of the decision's tables: each cell on its own line ending in "|".
An indicator row is four cells: code ("1.2"), title, maximum, scoring text; a group row is code
("1"), title, maximum, empty. The summary tables of section II.1 give each group's indicator
count and points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).resolve().parent / "fixtures" / "seeds" / "004_419b41785243a077.txt"

APPENDIX_STARTS = {
    "hcm-dti-so-2023": "BỘ CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ CÁC SỞ,",
    "hcm-dti-quan-2023": "BỘ CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ CÁC QUẬN,",
}
APPENDIX_END = "CÁC ĐƠN VỊ CUNG CẤP THÔNG TIN PHỤC VỤ"


@dataclass(frozen=True)
class SeedRow:
    code: str
    title: str
    max: int
    text: str
    line: int


def _cell(line: str) -> str:
    return re.sub(r"\s*\|\s*$", "", line.strip())


def appendix_lines(framework_id: str) -> list[tuple[int, str]]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(APPENDIX_STARTS[framework_id]))
    end = next(
        i
        for i in range(start + 1, len(lines))
        if lines[i].startswith(APPENDIX_END)
        or (i > start and any(lines[i].startswith(s) for s in APPENDIX_STARTS.values()))
    )
    # scored part: from the "II |" row (Chỉ số đánh giá) to the end of the appendix
    scored = next(i for i in range(start, end) if _cell(lines[i]) == "II")
    return [(n + 1, lines[n]) for n in range(scored, end)]


def seed_rows(framework_id: str) -> tuple[int, list[SeedRow], list[SeedRow]]:
    """(declared total, groups, indicators) of one appendix, in source order."""
    rows = appendix_lines(framework_id)
    cells = [(n, _cell(ln)) for n, ln in rows]
    total = int(cells[2][1])
    groups: list[SeedRow] = []
    indicators: list[SeedRow] = []
    i = 4
    while i + 3 < len(cells) + 1 and i < len(cells):
        line, code = cells[i]
        title, maximum, text = cells[i + 1][1], cells[i + 2][1], cells[i + 3][1]
        row = SeedRow(code, title, int(maximum), text, line)
        if re.fullmatch(r"\d+", code):
            groups.append(row)
        elif re.fullmatch(r"\d+\.\d+", code):
            indicators.append(row)
        else:
            raise AssertionError(f"unexpected cell {code!r} at seed line {line}")
        i += 4
    return total, groups, indicators


def summary_table(framework_id: str) -> list[tuple[str, str, int, int]]:
    """(code, title, indicator count, points) per group from the II.1 summary table."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    marker = (
        "a) Bộ chỉ số đánh giá các cơ quan"
        if framework_id == "hcm-dti-so-2023"
        else "b) Bộ chỉ số đánh giá chuyển đổi số của Ủy ban"
    )
    start = next(i for i, ln in enumerate(lines) if ln.startswith(marker))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Thuyết minh chi tiết"))
    cells = [_cell(ln) for ln in lines[start:end]]
    out = []
    for i, c in enumerate(cells):
        if re.fullmatch(r"\d", c) and i + 3 < len(cells) and re.fullmatch(r"\d\d", cells[i + 2]):
            out.append((c, cells[i + 1], int(cells[i + 2]), int(cells[i + 3])))
    return out


def summary_declared_total(framework_id: str) -> int:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    marker = "Gồm 6 chỉ số chính" if framework_id == "hcm-dti-so-2023" else "Gồm 9 chỉ số chính"
    line = next(ln for ln in lines if ln.startswith(marker))
    return int(re.search(r"thang điểm (\d+)", line).group(1))  # type: ignore[union-attr]
