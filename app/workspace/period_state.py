"""Where a period stands: receiving → appraisal round 1 → awaiting explanations → round 2 → published.

KH 305 (TP.HCM) and KH 95 (Hà Nội): after self-assessment the office appraises (round 1), sends
its findings to each unit, the unit explains or corrects with evidence by a deadline (giải trình),
the appraisal is finalised (round 2) and the results published. The state decides which round an
appraisal counts in and what may still change; one wording of each state lives here, for the
command line and the desktop alike. Reading only: the moves are in ``rounds.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .store import Workspace, WorkspaceError

RECEIVING, ROUND_1, EXPLAINING, ROUND_2, PUBLISHED = "receiving", "round-1", "explaining", "round-2", "published"
#: the states in the order a period goes through them
STATES = (RECEIVING, ROUND_1, EXPLAINING, ROUND_2, PUBLISHED)

#: state → what a person reads
STATE_LABELS: dict[str, str] = {
    RECEIVING: "Đang nhận báo cáo",
    ROUND_1: "Thẩm định vòng 1",
    EXPLAINING: "Chờ đơn vị giải trình",
    ROUND_2: "Thẩm định vòng 2 (chung cuộc)",
    PUBLISHED: "Đã công bố",
}

#: round number → its name, as the ranking and the report head their columns
ROUND_LABELS = {0: "Tự chấm", 1: "Thẩm định vòng 1", 2: "Chung cuộc"}


@dataclass(frozen=True, slots=True)
class PeriodState:
    period: str
    state: str
    explain_deadline: date | None  # the units' explanations are due before 00:00 of this day
    published_at: str | None
    published_by: str | None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def published(self) -> bool:
        return self.state == PUBLISHED

    @property
    def appraisal_round(self) -> int | None:
        """The round an appraisal made now counts in (None: no appraisal now — awaiting explanations
        or published)."""
        return {RECEIVING: 1, ROUND_1: 1, ROUND_2: 2}.get(self.state)


def state_line(state: PeriodState) -> str:
    """The state as the window's period bar shows it on every page: ``Bước: Chờ đơn vị giải trình (trước …)``."""
    from app.period import deadline_vi

    line = f"Bước: {state.label}"
    if state.state == EXPLAINING and state.explain_deadline is not None:
        line += f" ({deadline_vi(state.explain_deadline)})"  # "giải trình" is said once
    return line


def period_state(ws: Workspace, period: str) -> PeriodState:
    """The period's state (a period made before rounds existed, with no row, is receiving)."""
    row = ws.conn.execute("SELECT * FROM period_rounds WHERE period = ?", (period,)).fetchone()
    if row is None:
        return PeriodState(period, RECEIVING, None, None, None)
    deadline = date.fromisoformat(row["explain_deadline"]) if row["explain_deadline"] else None
    return PeriodState(period, row["state"], deadline, row["published_at"], row["published_by"])


def require_open(ws: Workspace, period: str, doing: str) -> PeriodState:
    """Refuse a change to a published period, saying how to reopen it."""
    state = period_state(ws, period)
    if state.published:
        raise WorkspaceError(f"Kỳ {period} đã công bố nên không thể {doing}. Nếu thật sự cần sửa, hãy mở lại kỳ "
                             f"(ghi rõ lý do): dtidesk period reopen {period} --reason \"...\"")  # fmt: skip
    return state


__all__ = ["EXPLAINING", "PUBLISHED", "RECEIVING", "ROUND_1", "ROUND_2", "ROUND_LABELS", "STATES", "STATE_LABELS",
           "PeriodState", "period_state", "require_open", "state_line"]  # fmt: skip
