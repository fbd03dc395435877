"""Results across periods: one unit's totals and pillar scores, and each unit against the period before
(DESIGN §9.2).

Both front ends ask the same questions — the desktop's Lịch sử page (a chart, a table) and
``dtidesk history`` — so the answers live here. A period's results are the ranking kept when it
was published (``published_ranking``), else recomputed (``score_period``), exactly what the
Xếp hạng page and the report show for that period. "The period before" is the report's rule
(``previous_period``): the quarter before (or the year before) with the same framework.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .periods import PeriodInfo, list_periods
from .ranking import RankedUnit, published_ranking, score_period
from .store import Workspace, WorkspaceError


@dataclass(frozen=True, slots=True)
class PeriodRanking:
    info: PeriodInfo
    groups: tuple[tuple[str, str], ...]  # the framework's pillars: (code, title)
    ranked: tuple[RankedUnit, ...]


def period_rankings(ws: Workspace) -> list[PeriodRanking]:
    """Every period of the workspace, oldest first, with its ranking (empty when nothing was counted)."""
    from app.framework.registry import find

    out: list[PeriodRanking] = []
    for info in list_periods(ws):
        published = published_ranking(ws, info.code)
        if published is not None:
            ranked: list[RankedUnit] = published
            try:
                groups = tuple((g.code, g.title) for g in find(info.framework_id).groups)
            except Exception:  # a custom framework file moved away: the scores kept still show, unnamed pillars
                groups = tuple((code, code) for code in (published[0].group_cents if published else {}))
        else:
            scores = score_period(ws, info.code)
            ranked = scores.ranked
            groups = tuple((g.code, g.title) for g in scores.framework.groups)
        out.append(PeriodRanking(info, groups, tuple(ranked)))
    return out


def previous_period(periods: list[PeriodInfo], info: PeriodInfo) -> PeriodInfo | None:
    """The period a period is compared with: the one before it by the calendar, same framework."""
    from app.period import parse_period

    code = parse_period(info.code).previous.code
    return next((p for p in periods if p.code == code and p.framework_id == info.framework_id), None)


# --- one unit across periods ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    period: str
    label: str
    total_cents: int | None  # None: nothing counted that period
    rank: int | None
    of: int  # units ranked that period
    group_cents: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class UnitHistory:
    unit_code: str
    unit_name: str
    groups: tuple[tuple[str, str], ...]  # the pillars of the newest period's framework
    points: tuple[HistoryPoint, ...]  # one per period, oldest first

    def to_json(self) -> dict[str, Any]:
        return {"unit_code": self.unit_code, "unit_name": self.unit_name,
                "groups": [{"code": c, "title": t} for c, t in self.groups],
                "periods": [{"period": p.period, "label": p.label, "total_cents": p.total_cents, "rank": p.rank,
                             "of": p.of, "group_cents": p.group_cents} for p in self.points]}  # fmt: skip


def unit_history(ws: Workspace, unit_code: str, rankings: list[PeriodRanking] | None = None) -> UnitHistory:
    """``unit_code``'s total, rank and pillar scores in every period (``rankings`` when already read)."""
    from .units import list_units

    names = {u.code: u.name for u in list_units(ws, active_only=False)}
    if unit_code not in names:
        raise WorkspaceError(f"Không có đơn vị mã {unit_code} trong danh sách đơn vị. Hãy xem danh sách bằng "
                             "“dtidesk units list” và gõ đúng mã.")  # fmt: skip
    return history_from(unit_code, names[unit_code], period_rankings(ws) if rankings is None else rankings)


def history_from(unit_code: str, unit_name: str, rankings: list[PeriodRanking]) -> UnitHistory:
    """``unit_history`` from rankings already read (the desktop reads them once for every unit)."""
    points = []
    for pr in rankings:
        mine = next((u for u in pr.ranked if u.unit_code == unit_code), None)
        points.append(HistoryPoint(pr.info.code, pr.info.label, mine.appraised_cents if mine else None,
                                   mine.rank if mine else None, len(pr.ranked),
                                   dict(mine.group_cents) if mine else {}))  # fmt: skip
    groups = next((pr.groups for pr in reversed(rankings) if pr.groups), ())
    return UnitHistory(unit_code, unit_name, groups, tuple(points))


# --- every unit against the period before ---------------------------------------------------------------


def change_text(cents: int | None) -> str:
    """A change of points with its sign and an arrow ("▲ +12,50", "▼ -3,00"), "—" with nothing to compare."""
    from app.numbers import format_decimal_vi
    from scoring.rounding import cents_to_decimal

    if cents is None:
        return "—"
    if cents == 0:
        return "= 0,00"
    return ("▲ +" if cents > 0 else "▼ ") + format_decimal_vi(cents_to_decimal(cents))


def rank_change_text(places: int | None) -> str:
    """Places gained or lost, in words ("▲ lên 3 hạng"), never by colour alone."""
    if places is None:
        return "—"
    if places == 0:
        return "= giữ hạng"
    return f"▲ lên {places} hạng" if places > 0 else f"▼ xuống {-places} hạng"


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    unit_code: str
    unit_name: str
    cents: int
    rank: int
    previous_cents: int | None  # None: the unit was not ranked in the period before
    previous_rank: int | None

    @property
    def change_cents(self) -> int | None:
        return None if self.previous_cents is None else self.cents - self.previous_cents

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) since the period before."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    def to_json(self) -> dict[str, Any]:
        return {"unit_code": self.unit_code, "unit_name": self.unit_name, "cents": self.cents, "rank": self.rank,
                "previous_cents": self.previous_cents, "previous_rank": self.previous_rank,
                "change_cents": self.change_cents, "rank_change": self.rank_change}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Comparison:
    period: PeriodInfo
    previous: PeriodInfo | None
    rows: tuple[ComparisonRow, ...]  # in this period's ranking order

    def to_json(self) -> dict[str, Any]:
        return {"period": self.period.code, "previous": self.previous.code if self.previous else None,
                "units": [r.to_json() for r in self.rows]}  # fmt: skip


def compare_with_previous(ws: Workspace, period: str, rankings: list[PeriodRanking] | None = None) -> Comparison:
    """Each unit ranked in ``period``: its total and rank, and those of the period before."""
    rankings = period_rankings(ws) if rankings is None else rankings
    by_code: Mapping[str, PeriodRanking] = {pr.info.code: pr for pr in rankings}
    if period not in by_code:
        from .periods import get_period

        get_period(ws, period)  # the core's message for a period that is not set up
    current = by_code[period]
    previous = previous_period([pr.info for pr in rankings], current.info)
    before = {u.unit_code: u for u in by_code[previous.code].ranked} if previous is not None else {}
    rows = tuple(ComparisonRow(u.unit_code, u.unit_name, u.appraised_cents, u.rank,
                               before[u.unit_code].appraised_cents if u.unit_code in before else None,
                               before[u.unit_code].rank if u.unit_code in before else None)
                 for u in current.ranked)  # fmt: skip
    return Comparison(current.info, previous, rows)
