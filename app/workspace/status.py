"""Where each unit stands in a period: the office's checklist before the deadline and after it.

Computed from the rows every time (nothing cached that could disagree with the files): for each
unit of the roster, its active submission decides received / on time or late / errors; files
that could not be tied to a roster unit or could not be read are listed too, so nothing received
goes unseen.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, time

from .periods import get_period
from .store import Workspace

MISSING = "missing"  # chưa nộp
RECEIVED = "received"  # có bản nộp được tính
NOT_COUNTED = "not-counted"  # chỉ có tệp không được tính (sai kỳ, sai bộ chỉ số)
UNKNOWN = "unknown"  # tệp không xác định được đơn vị trong danh sách
REJECTED = "rejected"  # tệp không đọc được


@dataclass(frozen=True, slots=True)
class UnitStatus:
    unit_code: str  # "" for a file of no known unit
    unit_name: str
    state: str  # one of the constants above
    on_time: bool | None  # None when nothing counted was received
    received_at: datetime | None
    errors: int  # error issues of the submission shown
    warnings: int
    submission_id: int | None
    file: str  # name of the file shown ("" when missing)
    files: int  # how many files of this unit the period holds (history included)
    message: str = ""  # why a file was rejected

    @property
    def label_vi(self) -> str:
        """The one-word status the office reads in the table."""
        if self.state == MISSING:
            return "Chưa nộp"
        if self.state == REJECTED:
            return "Tệp không đọc được"
        if self.state == UNKNOWN:
            return "Không xác định đơn vị"
        if self.state == NOT_COUNTED:
            return "Tệp không được tính"
        head = "Đúng hạn" if self.on_time else "Nộp muộn"
        return f"{head}, có {self.errors} lỗi" if self.errors else head


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """The numbers the office reads first: per roster unit, and the files that fit no unit."""

    expected: int  # roster units
    received: int  # units with a counted submission
    on_time: int
    late: int
    missing: int  # units with nothing counted (no file, or only files that do not count)
    with_errors: int  # units whose counted submission still has errors
    not_counted_files: int  # files of roster units that do not count (wrong period, framework …)
    unknown_files: int  # files no roster unit could be found for
    rejected_files: int  # files that could not be read

    @property
    def unusable(self) -> int:
        """Files that count for no roster unit: unidentified or unreadable."""
        return self.unknown_files + self.rejected_files


def count_statuses(statuses: list[UnitStatus]) -> StatusCounts:
    """Tally ``status()`` rows; the dashboard and the report show these same numbers."""
    units = [s for s in statuses if s.unit_code and s.state in (RECEIVED, MISSING, NOT_COUNTED)]
    received = [s for s in units if s.state == RECEIVED]
    return StatusCounts(
        expected=len(units),
        received=len(received),
        on_time=sum(1 for s in received if s.on_time),
        late=sum(1 for s in received if not s.on_time),
        missing=len(units) - len(received),
        with_errors=sum(1 for s in received if s.errors),
        not_counted_files=sum(s.files for s in units if s.state == NOT_COUNTED),
        unknown_files=sum(1 for s in statuses if s.state == UNKNOWN),
        rejected_files=sum(1 for s in statuses if s.state == REJECTED),
    )


def is_on_time(received_at: datetime, deadline_day: datetime) -> bool:
    """On time means before 00:00 of the deadline day (CV 1690: "trước 00g00 ngày 16")."""
    return received_at < deadline_day


def status(ws: Workspace, period: str) -> list[UnitStatus]:
    """Every roster unit (in code order), then files of unknown units, then unreadable files."""
    info = get_period(ws, period)
    cutoff = datetime.combine(info.deadline, time(0))
    conn = ws.conn
    counts = {r["submission_id"]: (r["errors"], r["warnings"]) for r in conn.execute(
        "SELECT i.submission_id, SUM(i.severity = 'error') AS errors, SUM(i.severity = 'warning') AS warnings "
        "FROM issues i JOIN submissions s ON s.id = i.submission_id WHERE s.period = ? GROUP BY i.submission_id",
        (info.code,))}  # fmt: skip
    subs = conn.execute("SELECT * FROM submissions WHERE period = ? ORDER BY received_at DESC, file_name DESC, id",
                        (info.code,)).fetchall()  # fmt: skip
    units = conn.execute("SELECT code, name FROM units WHERE active = 1 ORDER BY code").fetchall()
    known = {u["code"] for u in units}

    def entry(code: str, name: str, state: str, r: sqlite3.Row | None, files: int) -> UnitStatus:
        if r is None:
            return UnitStatus(code, name, state, None, None, 0, 0, None, "", files)
        when = datetime.fromisoformat(r["received_at"])
        errors, warnings = counts.get(r["id"], (0, 0))
        on_time = is_on_time(when, cutoff) if state == RECEIVED else None
        return UnitStatus(code, name, state, on_time, when, int(errors or 0), int(warnings or 0),
                          r["id"], r["file_name"], files)  # fmt: skip

    out: list[UnitStatus] = []
    for unit in units:
        mine = [s for s in subs if s["unit_code"] == unit["code"]]
        active = next((s for s in mine if s["status"] == "active"), None)
        if active is not None:
            out.append(entry(unit["code"], unit["name"], RECEIVED, active, len(mine)))
        elif mine:
            out.append(entry(unit["code"], unit["name"], NOT_COUNTED, mine[0], len(mine)))
        else:
            out.append(entry(unit["code"], unit["name"], MISSING, None, 0))
    for s in subs:
        if s["unit_code"] is None or s["unit_code"] not in known:
            out.append(entry(s["unit_code"] or "", "", UNKNOWN, s, 1))
    for r in conn.execute("SELECT * FROM rejected WHERE period = ? ORDER BY original_name", (info.code,)):
        out.append(UnitStatus("", "", REJECTED, None, datetime.fromisoformat(r["received_at"]), 0, 0, None,
                              r["original_name"], 1, r["message"]))  # fmt: skip
    return out
