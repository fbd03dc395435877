"""How firm is each rank (issue 19.3): close totals, and ranks that hang on the cohort.

Why: min-max indicators (4.1, 5.1) score a unit against the best and worst of the units scored
with it, so one unit's figures move everyone's score, and a rank decided by a few hundredths is
not a finding worth a sentence in a report upward. Three checks, each pure:
- units whose totals are within 1 point of each other;
- the rank with the min-max indicators left out;
- the rank when any one other unit's data is removed (only min-max scores change; a unit above
  leaving moves everyone below up by one place, which is not a change of order and is not counted).

One Vietnamese sentence per affected unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scoring.engine import UnitInputs, score_batch
from scoring.model import Framework, MinMax
from scoring.ranking import RankEntry, rank

CLOSE_CENTS = 100  # one point


@dataclass(frozen=True, slots=True)
class Firmness:
    unit_code: str
    unit_name: str
    rank: int
    close: tuple[str, ...]  # names of units within 1 point
    rank_without_min_max: int
    moved_by: tuple[tuple[str, int], ...]  # (name of the unit removed, this unit's rank among the rest then)

    @property
    def affected(self) -> bool:
        return bool(self.close) or self.rank_without_min_max != self.rank or bool(self.moved_by)

    def sentence(self) -> str:
        parts: list[str] = []
        if self.close:
            parts.append(f"tổng điểm cách {', '.join(self.close)} không quá 1 điểm")
        if self.rank_without_min_max != self.rank:
            parts.append(f"xếp hạng {self.rank_without_min_max} nếu bỏ các chỉ số so sánh min-max")
        if self.moved_by:
            shown = "; ".join(f"bỏ {name}: hạng {r}" for name, r in self.moved_by[:3])
            more = f" và {len(self.moved_by) - 3} trường hợp khác" if len(self.moved_by) > 3 else ""
            parts.append(f"thứ tự thay đổi khi bỏ số liệu của một đơn vị ({shown}{more})")
        return f"{self.unit_name} (hạng {self.rank}): " + "; ".join(parts) + "." if parts else ""


def _order(entries: Sequence[RankEntry]) -> dict[str, int]:
    return {r.unit_code: r.rank for r in rank(entries)}


def firmness(framework: Framework, units: Sequence[UnitInputs], totals: Mapping[str, int]) -> list[Firmness]:
    """``units``: the scored units' (appraised) figures; ``totals``: their ranked totals in cents.

    Returned in ranking order, every unit (``affected`` says whether there is anything to say)."""
    minmax = [ind.code for ind in framework.indicators if isinstance(ind.rule, MinMax)]
    names = {u.unit_code: u.unit_name for u in units}
    ranked = _order([RankEntry(c, names[c], t) for c, t in totals.items()])
    batch = score_batch(framework, units)
    mm_cents = {s.unit_code: sum(s.indicators[c].cents for c in minmax) for s in batch}
    without = _order([RankEntry(c, names[c], t - mm_cents[c]) for c, t in totals.items()])
    moved: dict[str, list[tuple[str, int]]] = {c: [] for c in totals}
    if minmax and len(units) > 2:
        for out in units:
            rest = [u for u in units if u.unit_code != out.unit_code]
            again = {s.unit_code: sum(s.indicators[c].cents for c in minmax) for s in score_batch(framework, rest)}
            new = _order([RankEntry(u.unit_code, u.unit_name, totals[u.unit_code] - mm_cents[u.unit_code]
                                    + again[u.unit_code]) for u in rest])  # fmt: skip
            old = _order([RankEntry(u.unit_code, u.unit_name, totals[u.unit_code]) for u in rest])
            for code, r in new.items():
                if r != old[code]:
                    moved[code].append((out.unit_name, r))
    out_rows: list[Firmness] = []
    for code in sorted(totals, key=lambda c: (ranked[c], c)):
        close = tuple(names[o] for o in sorted(totals, key=lambda c: (ranked[c], c))
                      if o != code and abs(totals[o] - totals[code]) <= CLOSE_CENTS)  # fmt: skip
        out_rows.append(Firmness(code, names[code], ranked[code], close, without[code], tuple(moved[code])))
    return out_rows
