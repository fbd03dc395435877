"""A period's ranking, recomputed from what the workspace holds: the units' own figures plus appraisals.

Why recompute rather than store scores: a stored score goes stale when an appraisal, a received
date or a resubmission changes; recomputing from the active submissions and the appraisal rows
gives the same result every time and shows the self-assessed and the appraised totals side by
side (QĐ 79 II.2, DESIGN §6). Min-max indicators compare units, so all units are scored together.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scoring.appraisal import Assessment, apply_appraisal, assess, standings
from scoring.engine import UnitInputs
from scoring.model import Framework
from scoring.ranking import RankEntry, ranks_by_code
from scoring.rounding import cents_to_decimal

from .appraise import appraisal_overrides
from .ingest import NA_INPUT
from .periods import PeriodInfo, framework_of, get_period
from .store import Workspace, check_seal, load_value, values_seal


@dataclass(frozen=True, slots=True)
class RankedUnit:
    rank: int  # by the appraised (effective) total
    unit_code: str
    unit_name: str
    self_cents: int  # the unit's self-assessed total, in hundredths of a point
    appraised_cents: int  # with appraisals applied (equal to self_cents when none)
    appraised: bool
    self_rank: int  # the rank the self-assessed totals alone would give
    group_cents: dict[str, int]  # appraised pillar scores
    group_ranks: dict[str, int]
    submission_id: int
    round1_cents: int  # the total with round 1's appraisals only (equal to self_cents when none)

    @property
    def self_total(self) -> Decimal:
        return cents_to_decimal(self.self_cents)

    @property
    def appraised_total(self) -> Decimal:
        """The final total (round 1 and round 2 applied)."""
        return cents_to_decimal(self.appraised_cents)

    @property
    def round1_total(self) -> Decimal:
        return cents_to_decimal(self.round1_cents)

    def to_json(self) -> dict[str, Any]:
        """Kept when the period is published (``period_rounds.ranking_json``); read back by ``from_json``."""
        return {"rank": self.rank, "unit_code": self.unit_code, "unit_name": self.unit_name,
                "self_cents": self.self_cents, "appraised_cents": self.appraised_cents, "appraised": self.appraised,
                "self_rank": self.self_rank, "group_cents": self.group_cents, "group_ranks": self.group_ranks,
                "submission_id": self.submission_id, "round1_cents": self.round1_cents}  # fmt: skip

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> RankedUnit:
        return cls(int(d["rank"]), str(d["unit_code"]), str(d["unit_name"]), int(d["self_cents"]),
                   int(d["appraised_cents"]), bool(d["appraised"]), int(d["self_rank"]),
                   {k: int(v) for k, v in d["group_cents"].items()}, {k: int(v) for k, v in d["group_ranks"].items()},
                   int(d["submission_id"]), int(d["round1_cents"]))  # fmt: skip


def unit_inputs(ws: Workspace, period: str) -> list[tuple[int, UnitInputs]]:
    """(submission id, self-assessed figures) of each unit's active submission, in unit-code order."""
    rows = ws.conn.execute(
        "SELECT s.id, s.unit_code, s.file_name, s.seal, COALESCE(pr.name, u.name, s.unit_code) AS name "
        "FROM submissions s LEFT JOIN units u ON u.code = s.unit_code "
        "LEFT JOIN period_roster pr ON pr.period = s.period AND pr.code = s.unit_code "  # kept when published
        "WHERE s.period = ? AND s.status = 'active' ORDER BY s.unit_code",
        (period,)).fetchall()  # fmt: skip
    out: list[tuple[int, UnitInputs]] = []
    for r in rows:
        values: dict[str, dict[str, Any]] = defaultdict(dict)
        na: dict[str, str] = {}
        stored = ws.conn.execute("SELECT indicator, input, value_json FROM submission_values WHERE submission_id = ?",
                                 (r["id"],)).fetchall()  # fmt: skip
        check_seal(ws, r["seal"], values_seal(tuple(v) for v in stored),
                   f"số liệu của đơn vị {r['unit_code']} (tệp “{r['file_name']}”)")  # fmt: skip
        for v in stored:
            if v["indicator"] == "":
                continue
            if v["input"] == NA_INPUT:
                na[v["indicator"]] = load_value(v["value_json"])
            else:
                values[v["indicator"]][v["input"]] = load_value(v["value_json"])
        out.append((r["id"], UnitInputs(r["unit_code"], r["name"], dict(values), na)))
    return out


@dataclass(frozen=True, slots=True)
class PeriodScores:
    """Everything a period's ranking is computed from and gives, for views and reports that need
    more than the totals: per unit the self-assessed and the appraised scores of each indicator,
    and the figures (with appraisals applied) they were computed from."""

    info: PeriodInfo
    framework: Framework
    assessments: list[Assessment]  # in unit-code order
    effective_inputs: dict[str, UnitInputs]  # unit code → figures with appraised values applied
    self_inputs: dict[str, UnitInputs]
    ranked: list[RankedUnit]  # in ranking order


def score_period(ws: Workspace, period: str) -> PeriodScores:
    """Score the units with a counted submission: values appraised first, then score overrides."""
    info = get_period(ws, period)
    framework = framework_of(ws, info.code)
    subs = unit_inputs(ws, info.code)
    units = [u for _, u in subs]
    sid = {u.unit_code: s for s, u in subs}
    overrides = appraisal_overrides(ws, info.code)
    assessments = assess(framework, units, overrides)
    round1 = {
        s.unit_code: s.total_cents
        for s in standings(
            framework, [a.effective for a in assess(framework, units, appraisal_overrides(ws, info.code, upto_round=1))]
        )
    }
    by_code = {a.unit_code: a for a in assessments}
    self_ranks = ranks_by_code([RankEntry(a.unit_code, a.unit_name, a.self_score.total_cents) for a in assessments])
    ranked = [
        RankedUnit(s.rank, s.unit_code, s.unit_name, by_code[s.unit_code].self_score.total_cents, s.total_cents,
                   by_code[s.unit_code].appraised, self_ranks[s.unit_code], s.group_cents, s.group_ranks,
                   sid[s.unit_code], round1[s.unit_code])
        for s in standings(framework, [a.effective for a in assessments])
    ]  # fmt: skip
    effective = {u.unit_code: apply_appraisal(u, overrides[u.unit_code]) if u.unit_code in overrides else u
                 for u in units}  # fmt: skip
    kept = published_ranking(ws, info.code)
    if kept is not None:  # published: the ranking as published, whatever changed since (DESIGN §2, issue 20)
        ranked = kept
    return PeriodScores(info, framework, assessments, effective, {u.unit_code: u for u in units}, ranked)


def published_ranking(ws: Workspace, period: str) -> list[RankedUnit] | None:
    """The ranking kept when the period was published (None when it is not published)."""
    row = ws.conn.execute("SELECT ranking_json FROM period_rounds WHERE period = ? AND state = 'published'",
                          (period,)).fetchone()  # fmt: skip
    if row is None or row[0] is None:
        return None
    return [RankedUnit.from_json(d) for d in json.loads(row[0])]


def rank(ws: Workspace, period: str) -> list[RankedUnit]:
    """The period's ranking (see ``score_period``), read in one snapshot while others may write."""
    with ws.snapshot():
        return score_period(ws, period).ranked
