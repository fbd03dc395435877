"""Reporting periods of the workspace: which framework each uses and when its files are due.

The deadline decides lateness, so it is stored per period (CV 1690 §3.2's rule by default, the
Q1/2023 exception included via ``Period.default_deadline``) and the office can move it, audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.framework import FrameworkError, find
from app.period import parse_period
from scoring.model import Framework

from .frozen import copy_framework, framework_for
from .period_state import require_open
from .store import Workspace, WorkspaceError


@dataclass(frozen=True, slots=True)
class PeriodInfo:
    code: str
    framework_id: str
    deadline: date  # files are on time when received strictly before 00:00 of this day
    label: str


def _code(text: str) -> str:
    try:
        return parse_period(text).code
    except ValueError as exc:
        raise WorkspaceError(str(exc)) from exc


def add_period(ws: Workspace, code: str, framework_id: str, deadline: date | None = None) -> PeriodInfo:
    """Open a period (any usual spelling: ``Q1/2023`` becomes ``2023-Q1``) for a framework."""
    period = parse_period(_code(code))
    try:
        find(framework_id)
    except (KeyError, FrameworkError) as exc:
        raise WorkspaceError(f"Không tìm thấy bộ chỉ số “{framework_id}”.") from exc
    due = deadline or period.default_deadline
    with ws.transaction() as conn:
        if conn.execute("SELECT 1 FROM periods WHERE code = ?", (period.code,)).fetchone():
            raise WorkspaceError(f"Kỳ {period.code} ({period.label_vi}) đã có trong thư mục làm việc.")
        conn.execute("INSERT INTO periods(code, framework_id, deadline, label) VALUES (?, ?, ?, ?)",
                     (period.code, framework_id, due.isoformat(), period.label_vi))  # fmt: skip
        copy_framework(ws, conn, period.code, framework_id)  # from now on the period needs no file outside
        ws.audit("add-period", {"period": period.code, "framework_id": framework_id, "deadline": due.isoformat()})
    return PeriodInfo(period.code, framework_id, due, period.label_vi)


def get_period(ws: Workspace, code: str) -> PeriodInfo:
    key = _code(code)
    row = ws.conn.execute("SELECT * FROM periods WHERE code = ?", (key,)).fetchone()
    if row is None:
        raise WorkspaceError(f"Kỳ {key} chưa được tạo; hãy thêm kỳ bằng lệnh “dtidesk period add {key}”.")
    return PeriodInfo(row["code"], row["framework_id"], date.fromisoformat(row["deadline"]), row["label"])


def list_periods(ws: Workspace) -> list[PeriodInfo]:
    return [PeriodInfo(r["code"], r["framework_id"], date.fromisoformat(r["deadline"]), r["label"])
            for r in ws.conn.execute("SELECT * FROM periods ORDER BY code")]  # fmt: skip


def set_deadline(ws: Workspace, code: str, deadline: date, *, who: str | None = None) -> PeriodInfo:
    """Move a period's deadline (audited); lateness is computed from it, so nothing else changes."""
    old = get_period(ws, code)
    require_open(ws, old.code, "đổi hạn nộp")
    with ws.transaction() as conn:
        conn.execute("UPDATE periods SET deadline = ? WHERE code = ?", (deadline.isoformat(), old.code))
        ws.audit("set-deadline", {"period": old.code, "old": old.deadline.isoformat(), "new": deadline.isoformat()},
                 who)  # fmt: skip
    return PeriodInfo(old.code, old.framework_id, deadline, old.label)


def framework_of(ws: Workspace, code: str) -> Framework:
    info = get_period(ws, code)
    try:
        return framework_for(ws, info.code, info.framework_id)
    except (KeyError, FrameworkError) as exc:
        raise WorkspaceError(f"Không nạp được bộ chỉ số “{info.framework_id}” của kỳ {info.code}.") from exc
