"""Moving a period through its states, each move audited (issue 20; states and labels in ``period_state``).

Publishing closes the quarter: the framework is the copy made with the period (``frozen.py``), the
roster is copied as it stands, the ranking is kept as published, and from then on nothing changes
it: appraisals, withdrawals, received dates and deadlines are refused; a late file is stored but
not counted (``held_submissions``). Reopening needs a reason, is audited, returns the period to
round 2, and lets the files held meanwhile count again as they would have.
"""

from __future__ import annotations

import json
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
        _set(ws, info.code, ROUND_2, now.explain_deadline)
        conn.execute("UPDATE period_rounds SET ranking_json = NULL WHERE period = ?", (info.code,))
        ws.audit("reopen-period", {"period": info.code, "reason": reason.strip(), "published_at": now.published_at,
                                   "held_files": len(held)}, who)  # fmt: skip
    return period_state(ws, info.code)


def period_states(ws: Workspace) -> dict[str, PeriodState]:
    """Every period's state, by period code (for ``period list`` and the desktop's period bar)."""
    codes = [r[0] for r in ws.conn.execute("SELECT code FROM periods ORDER BY code")]
    return {code: period_state(ws, code) for code in codes}


__all__ = ["EXPLAINING", "PUBLISHED", "RECEIVING", "ROUND_1", "ROUND_2", "advance", "period_states", "publish",
           "reopen", "set_explain_deadline"]  # fmt: skip
