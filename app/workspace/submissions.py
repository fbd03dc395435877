"""What the workspace holds about received submissions, as plain data for the front ends and the report.

Why a module of its own: the desktop's Kiểm tra page, the report and the command line all ask the
same few questions — which submission of a unit counts, what a submission's header fields were,
which issues are still open, which indicators were appraised — and each used to ask them in its
own SQL. The answers live here once; the pages and commands only render them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .store import Workspace, WorkspaceError, load_value


@dataclass(frozen=True, slots=True)
class SubmissionInfo:
    id: int
    period: str
    unit_code: str  # "" when no unit was identified
    file_name: str
    received_at: str  # "YYYY-MM-DD HH:MM:SS", as stored
    status: str  # active | superseded | not-counted


@dataclass(frozen=True, slots=True)
class StoredIssue:
    """One issue of a counted submission, as the check page and the report list them."""

    unit_code: str
    file_name: str
    code: str
    severity: str  # error | warning | info
    sheet: str
    cell: str
    indicator: str  # indicator code or field name ("" for the file as a whole)
    message: str


def get_submission(ws: Workspace, submission_id: int) -> SubmissionInfo | None:
    r = ws.conn.execute("SELECT id, period, unit_code, file_name, received_at, status FROM submissions WHERE id = ?",
                        (submission_id,)).fetchone()  # fmt: skip
    if r is None:
        return None
    return SubmissionInfo(
        int(r["id"]), r["period"], r["unit_code"] or "", r["file_name"], r["received_at"], r["status"]
    )


def counted_submission(ws: Workspace, period: str, unit_code: str) -> int:
    """The id of the unit's counted submission in the period; a Vietnamese error lists the others."""
    rows = ws.conn.execute("SELECT id, file_name, status FROM submissions WHERE period = ? AND unit_code = ? "
                           "ORDER BY id", (period, unit_code)).fetchall()  # fmt: skip
    active = [r["id"] for r in rows if r["status"] == "active"]
    if active:
        return int(active[0])
    if not rows:
        raise WorkspaceError(f"Đơn vị {unit_code} chưa có bản nộp nào trong kỳ {period}.")
    listed = "; ".join(f"số {r['id']}: {r['file_name']} ({r['status']})" for r in rows)
    raise WorkspaceError(f"Đơn vị {unit_code} không có bản nộp được tính trong kỳ {period}; hãy chỉ rõ số bản nộp. "
                         f"Các bản nộp: {listed}.")  # fmt: skip


def active_submissions(ws: Workspace, period: str) -> dict[str, int]:
    """Unit code → id of its counted submission in the period."""
    return {r["unit_code"]: int(r["id"]) for r in ws.conn.execute(
        "SELECT id, unit_code FROM submissions WHERE period = ? AND status = 'active'", (period,))}  # fmt: skip


def submission_fields(ws: Workspace, submission_id: int) -> dict[str, Any]:
    """The general and contact fields a submission carried (field name → value)."""
    return {r["input"]: load_value(r["value_json"]) for r in ws.conn.execute(
        "SELECT input, value_json FROM submission_values WHERE submission_id = ? AND indicator = ''",
        (submission_id,))}  # fmt: skip


def open_issues(ws: Workspace, period: str, *, unit_code: str | None = None,
                severities: Iterable[str] = ("error", "warning", "info")) -> list[StoredIssue]:  # fmt: skip
    """The issues of the period's counted submissions (of one unit), errors first, then warnings, then notes."""
    wanted = tuple(severities)
    sql = (
        "SELECT s.unit_code, s.file_name, i.* FROM issues i JOIN submissions s ON s.id = i.submission_id "
        "WHERE s.period = ? AND s.status = 'active' AND i.severity IN ("
        + ", ".join("?" * len(wanted))
        + ")"
        + (" AND s.unit_code = ?" if unit_code is not None else "")
        + " ORDER BY s.unit_code, CASE i.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, i.rowid"
    )
    args = (period, *wanted, *((unit_code,) if unit_code is not None else ()))
    return [StoredIssue(r["unit_code"], r["file_name"], r["code"], r["severity"], r["sheet"], r["cell"],
                        r["indicator"], r["message"]) for r in ws.conn.execute(sql, args)]  # fmt: skip


def appraised_indicators(ws: Workspace, period: str) -> dict[str, set[str]]:
    """Unit code → the indicators the office appraised in the period."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in ws.conn.execute("SELECT unit_code, indicator FROM appraisals WHERE period = ?", (period,)):
        out[r["unit_code"]].add(r["indicator"])
    return out
