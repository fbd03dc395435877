"""Moving a period through its states, each move audited (issue 20; states and labels in ``period_state``).

Publishing closes the quarter: the framework is the copy made with the period (``frozen.py``), the
roster is copied as it stands, the ranking is kept as published, and from then on nothing changes
it: appraisals, withdrawals, received dates and deadlines are refused; a late file is stored but
not counted (``held_submissions``). Reopening needs a reason, is audited, returns the period to
round 2, and lets the files held meanwhile count again as they would have.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from app.period import default_resend_by

from .backup import auto_backup
from .frozen import ensure_copy, freeze_roster
from .ingest import decide_active
from .period_state import EXPLAINING, PUBLISHED, RECEIVING, ROUND_1, ROUND_2, STATES, PeriodState, period_state
from .periods import get_period
from .ranking import rank
from .store import Workspace, WorkspaceError, current_user, now_text


def _set(ws: Workspace, period: str, state: str, explain_deadline: date | None) -> None:
    ws.conn.execute(
        "INSERT INTO period_rounds(period, state, explain_deadline) VALUES (?, ?, ?) ON CONFLICT(period) DO UPDATE "
        "SET state = excluded.state, explain_deadline = excluded.explain_deadline",
        (period, state, explain_deadline.isoformat() if explain_deadline else None))  # fmt: skip


def advance(ws: Workspace, period: str, *, explain_deadline: date | None = None, today: date | None = None,
            who: str | None = None) -> PeriodState:  # fmt: skip
    """The next state: receiving → round 1 → awaiting explanations → round 2 → published.

    Entering "awaiting explanations" sets the explanations' own deadline (by default
    ``app.period.default_resend_by``: five working days). From round 2 the next step is publishing.
    """
    info = get_period(ws, period)
    now = period_state(ws, info.code)
    if now.state == PUBLISHED:
        raise WorkspaceError(f"Kỳ {info.code} đã công bố; không còn bước tiếp theo. Muốn sửa, hãy mở lại kỳ: "
                             f"dtidesk period reopen {info.code} --reason \"...\"")  # fmt: skip
    if now.state == ROUND_2:
        return publish(ws, info.code, who=who)
    nxt = STATES[STATES.index(now.state) + 1]
    deadline = now.explain_deadline
    if nxt == EXPLAINING:
        deadline = explain_deadline or default_resend_by(today or date.today())
    with ws.transaction():
        ensure_copy(ws, info.code, info.framework_id)
        _set(ws, info.code, nxt, deadline)
        details: dict[str, object] = {"period": info.code, "old": now.state, "new": nxt}
        if nxt == EXPLAINING and deadline is not None:
            details["deadline"] = deadline.isoformat()
        ws.audit("period-state", details, who)
    return period_state(ws, info.code)


def set_explain_deadline(ws: Workspace, period: str, deadline: date, *, who: str | None = None) -> PeriodState:
    """Move the explanations' deadline (audited)."""
    info = get_period(ws, period)
    now = period_state(ws, info.code)
    if now.state != EXPLAINING:
        raise WorkspaceError(f"Kỳ {info.code} không ở bước chờ giải trình ({now.label}); hạn giải trình chỉ đặt "
                             "được ở bước đó.")  # fmt: skip
    with ws.transaction():
        _set(ws, info.code, EXPLAINING, deadline)
        ws.audit("explain-deadline", {"period": info.code, "old": now.explain_deadline, "new": deadline.isoformat()},
                 who)  # fmt: skip
    return period_state(ws, info.code)


def publish(ws: Workspace, period: str, *, who: str | None = None) -> PeriodState:
    """Publish the period: copy the roster, keep the ranking, close the quarter (audited)."""
    info = get_period(ws, period)
    now = period_state(ws, info.code)
    if now.state == PUBLISHED:
        raise WorkspaceError(f"Kỳ {info.code} đã công bố lúc {now.published_at}.")
    auto_backup(ws, "truoc-cong-bo")
    who = who or current_user()
    with ws.transaction() as conn:
        ensure_copy(ws, info.code, info.framework_id)
        freeze_roster(ws, info.code)
        ranking = [u.to_json() for u in rank(ws, info.code)]
        _set(ws, info.code, PUBLISHED, now.explain_deadline)
        conn.execute("UPDATE period_rounds SET published_at = ?, published_by = ?, ranking_json = ? WHERE period = ?",
                     (now_text(), who, json.dumps(ranking, ensure_ascii=False, sort_keys=True), info.code))  # fmt: skip
        ws.audit("period-state", {"period": info.code, "old": now.state, "new": PUBLISHED, "units": len(ranking)}, who)
    return period_state(ws, info.code)


def reopen(ws: Workspace, period: str, *, reason: str, who: str | None = None) -> PeriodState:
    """Reopen a published period (a reason is required; audited): back to round 2, the roster copy
    dropped, and files received while it was published counted as they would have been."""
    info = get_period(ws, period)
    if not reason or not reason.strip():
        raise WorkspaceError("Cần ghi lý do mở lại kỳ đã công bố (lý do không được để trống).")
    now = period_state(ws, info.code)
    if now.state != PUBLISHED:
        raise WorkspaceError(f"Kỳ {info.code} chưa công bố ({now.label}); không cần mở lại.")
    auto_backup(ws, "truoc-mo-lai-ky")
    with ws.transaction() as conn:
        held = conn.execute("SELECT h.submission_id, h.eligible, s.unit_code FROM held_submissions h "
                            "JOIN submissions s ON s.id = h.submission_id WHERE s.period = ?",
                            (info.code,)).fetchall()  # fmt: skip
        for h in held:
            if h["eligible"]:
                conn.execute("UPDATE submissions SET status = 'superseded' WHERE id = ?", (h["submission_id"],))
            conn.execute("DELETE FROM held_submissions WHERE submission_id = ?", (h["submission_id"],))
        for unit in sorted({h["unit_code"] for h in held if h["eligible"] and h["unit_code"]}):
            decide_active(ws, info.code, unit)
        conn.execute("DELETE FROM period_roster WHERE period = ?", (info.code,))
        conn.execute("DELETE FROM held_rejected WHERE period = ?", (info.code,))
        _set(ws, info.code, ROUND_2, now.explain_deadline)
        conn.execute("UPDATE period_rounds SET ranking_json = NULL WHERE period = ?", (info.code,))
        ws.audit("reopen-period", {"period": info.code, "reason": reason.strip(), "published_at": now.published_at,
                                   "held_files": len(held)}, who)  # fmt: skip
    return period_state(ws, info.code)


def period_states(ws: Workspace) -> dict[str, PeriodState]:
    """Every period's state, by period code (for ``period list`` and the desktop's period bar)."""
    codes = [r[0] for r in ws.conn.execute("SELECT code FROM periods ORDER BY code")]
    return {code: period_state(ws, code) for code in codes}


@dataclass(frozen=True, slots=True)
class RoundsSummary:
    """What the rounds did in a period, for the report's closing note."""

    state: PeriodState
    round1: int  # appraisals of round 1 in force (withdrawn ones left out)
    round2: int
    withdrawn: int
    explained: int  # (unit, indicator) explained by the units
    accepted: int
    rejected: int

    def note(self) -> str:
        """One Vietnamese sentence: where the period stands and what each round did."""
        from app.period import deadline_vi

        s = self.state
        head = f"Tình trạng kỳ: {s.label}"
        if s.published and s.published_at:
            head += f" ({s.published_at[8:10]}/{s.published_at[5:7]}/{s.published_at[:4]}, {s.published_by})"
        parts = [f"thẩm định vòng 1: {self.round1} điều chỉnh"]
        if self.explained or s.state in (EXPLAINING, ROUND_2, PUBLISHED):
            due = f" (hạn {deadline_vi(s.explain_deadline)})" if s.explain_deadline else ""
            parts.append(f"giải trình{due}: {self.explained} chỉ số, chấp nhận {self.accepted}, "
                         f"không chấp nhận {self.rejected}")  # fmt: skip
        parts.append(f"thẩm định vòng 2 (chung cuộc): {self.round2} điều chỉnh")
        if self.withdrawn:
            parts.append(f"rút lại {self.withdrawn} lần thẩm định")
        text = "; ".join(parts)
        return f"{head}. {text[0].upper()}{text[1:]}."


def rounds_summary(ws: Workspace, period: str) -> RoundsSummary:
    info = get_period(ws, period)
    counts = {r[0]: r[1] for r in ws.conn.execute(
        "SELECT round, count(*) FROM appraisals WHERE period = ? AND id NOT IN "
        "(SELECT appraisal_id FROM appraisal_withdrawals) GROUP BY round", (info.code,))}  # fmt: skip
    withdrawn = ws.conn.execute("SELECT count(*) FROM appraisal_withdrawals w JOIN appraisals a ON a.id = "
                                "w.appraisal_id WHERE a.period = ?", (info.code,)).fetchone()[0]  # fmt: skip
    explained = ws.conn.execute("SELECT count(DISTINCT unit_code || '\x1f' || indicator) FROM explanations "
                                "WHERE period = ?", (info.code,)).fetchone()[0]  # fmt: skip
    latest: dict[tuple[str, str], str] = {}
    for r in ws.conn.execute("SELECT unit_code, indicator, decision FROM explanation_decisions WHERE period = ? "
                             "ORDER BY id", (info.code,)):  # fmt: skip
        latest[(r[0], r[1])] = r[2]
    decisions = list(latest.values())
    return RoundsSummary(period_state(ws, info.code), int(counts.get(1, 0)), int(counts.get(2, 0)), int(withdrawn),
                         int(explained), decisions.count("accept"), decisions.count("reject"))  # fmt: skip


__all__ = ["EXPLAINING", "PUBLISHED", "RECEIVING", "ROUND_1", "ROUND_2", "RoundsSummary", "advance", "period_states",
           "publish", "reopen", "rounds_summary", "set_explain_deadline"]  # fmt: skip
