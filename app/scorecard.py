"""Score and rank the submissions of one batch, as plain data (the stateless ``dtidesk score``).

Only submissions that count (identified, right period and framework, latest of their unit) are
scored together — min-max indicators are normalised among them — and ranked. The rest are listed
with the reason they were left out, so nothing received disappears from the output.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scoring.engine import group_cents_of, score_batch
from scoring.explain import explain
from scoring.model import Framework
from scoring.ranking import RankEntry, rank
from scoring.rounding import cents_to_decimal

from .workbook.intake import DISQUALIFYING, Batch, Submission


def _points(cents: int) -> float:
    return float(cents_to_decimal(cents))


def _issues(sub: Submission) -> list[dict[str, str]]:
    return [i.as_dict() for i in sub.issues]


def scorecard(batch: Batch, framework: Framework, period: str) -> dict[str, Any]:
    """Everything ``dtidesk score --json`` prints."""
    counted = batch.counted
    scores = score_batch(framework, [s.inputs for s in counted]) if counted else []
    pillars = group_cents_of(framework, scores) if scores else []
    ranks = {r.unit_code: r.rank for r in rank([RankEntry(s.unit_code, s.unit_name, s.total_cents) for s in scores])}
    indicators = {i.code: i for i in framework.indicators}
    units: list[dict[str, Any]] = []
    for sub, score, groups in zip(counted, scores, pillars, strict=True):
        per: dict[str, Any] = {}
        vals = sub.inputs.values
        for code, ind_score in score.indicators.items():
            ind = indicators[code]
            per[code] = {"score": _points(ind_score.cents), "max": float(Decimal(ind.max.numerator) / ind.max.denominator),
                         "status": str(ind_score.status),
                         "explain": explain(ind, ind_score, vals.get(code), sub.inputs.not_applicable.get(code))}  # fmt: skip
        units.append({
            "unit_code": sub.unit_code, "unit_name": sub.unit_name, "file": sub.file,
            "identified_by": sub.identity.by, "received": sub.received.isoformat(), "sha256": sub.sha256,
            "total": _points(score.total_cents), "rank": ranks[sub.unit_code],
            "pillars": {code: _points(c) for code, c in groups.items()},
            "indicators": per, "issues": _issues(sub),
        })  # fmt: skip
    units.sort(key=lambda u: (u["rank"], u["unit_code"]))
    left_out = [{"file": s.file, "unit_code": s.unit_code, "unit_name": s.unit_name,
                 "identified_by": s.identity.by, "superseded_by": s.superseded_by,
                 "reason": _reason(s), "issues": _issues(s)}
                for s in batch.submissions if not s.counts]  # fmt: skip
    return {
        "framework": framework.id, "framework_version": framework.version, "period": period,
        "files": len(batch.submissions) + len(batch.rejected), "units": units, "not_counted": left_out,
        "rejected": [r.as_dict() for r in batch.rejected],
    }  # fmt: skip


def _reason(sub: Submission) -> str:
    if sub.superseded_by:
        return f"đã có tệp mới hơn: {sub.superseded_by}"
    for issue in sub.issues:
        if issue.code in DISQUALIFYING:
            return issue.message
    return ""


__all__ = ["scorecard"]
