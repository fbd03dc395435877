"""Where each unit stands in a period: the office's checklist before the deadline and after it.

Computed from the rows every time (nothing cached that could disagree with the files): for each
unit of the roster, its active submission decides received / on time or late / errors; files
that could not be tied to a roster unit or could not be read are listed too, so nothing received
goes unseen. The Vietnamese words for each state and each count are defined here once
(``STATE_LABELS``, ``COUNT_LABELS``) and every view (CLI, desktop, demo, report) uses them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, time

from app.workbook.identify import unit_in_file_name
from app.workbook.roster import RosterUnit

from .frozen import frozen_units
from .periods import get_period
from .store import Workspace

MISSING = "missing"  # chưa nộp
RECEIVED = "received"  # có bản nộp được tính
NOT_COUNTED = "not-counted"  # chỉ có tệp không được tính (sai kỳ, sai bộ chỉ số)
REJECTED_FILE = "rejected-file"  # chỉ có tệp không đọc được, mà tệp chỉ ra đơn vị này
UNKNOWN = "unknown"  # tệp không xác định được đơn vị trong danh sách
REJECTED = "rejected"  # tệp không đọc được (một dòng cho mỗi tệp không gắn với dòng đơn vị nào)

#: the unit states that count as "chưa nộp" (nothing counted received)
NOT_RECEIVED = (MISSING, NOT_COUNTED, REJECTED_FILE)

#: the one Vietnamese wording of each state, used by the CLI, the desktop, the demo and the report
STATE_LABELS: dict[str, str] = {
    MISSING: "Chưa nộp",
    NOT_COUNTED: "Chưa nộp (tệp không được tính)",
    REJECTED_FILE: "Chưa nộp (đã gửi tệp không đọc được)",
    UNKNOWN: "Không xác định đơn vị",
    REJECTED: "Tệp không đọc được",
    RECEIVED: "Đã nhận",
}
#: where a received time came from (``submissions.received_from``) → what the office reads beside it
RECEIVED_FROM_LABELS: dict[str, str] = {"mail": "theo ngày gửi thư", "file": "theo giờ lưu tệp", "set": "đã sửa tay"}
ON_TIME_LABEL = "Đúng hạn"
WITHDRAWN_LABEL = "Văn phòng đã rút bản nộp này"
LATE_LABEL = "Nộp muộn"

#: the one Vietnamese wording of each number of ``StatusCounts`` (field → label)
COUNT_LABELS: dict[str, str] = {
    "expected": "Đơn vị phải nộp",
    "received": "Đã nhận",
    "on_time": "Đúng hạn",
    "late": "Nộp muộn",
    "missing": "Chưa nộp",
    "with_errors": "Có lỗi cần xem",
    "not_counted_files": "Tệp không được tính",
    "unknown_files": "Tệp không xác định đơn vị",
    "rejected_files": "Tệp không đọc được",
}


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
    message: str = ""  # why a file was rejected (Vietnamese)
    code: str = ""  # the rejection's stable code, for machines
    named_unit: str = ""  # a rejected file's row: the unit its name or contents point at ("" none)
    received_from: str = ""  # "mail" | "file" | "set": where ``received_at`` came from (RECEIVED_FROM_LABELS)
    sender: str = ""  # the e-mail's sender address, when the file came in an e-mail

    @property
    def label_vi(self) -> str:
        """The short status the office reads in the table (``STATE_LABELS``)."""
        if self.state != RECEIVED:
            return STATE_LABELS.get(self.state, self.state)
        head = ON_TIME_LABEL if self.on_time else LATE_LABEL
        return f"{head}, có {self.errors} lỗi" if self.errors else head


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """The numbers the office reads first: per roster unit, and the files that fit no unit."""

    expected: int  # roster units
    received: int  # units with a counted submission
    on_time: int
    late: int
    missing: int  # units with nothing counted (no file, or only files that do not count or cannot be read)
    with_errors: int  # units whose counted submission still has errors
    not_counted_files: int  # files of roster units that do not count (wrong period, framework …)
    unknown_files: int  # files no roster unit could be found for
    rejected_files: int  # files that could not be read (those naming a unit included)

    @property
    def unusable(self) -> int:
        """Files that count for no roster unit: unidentified or unreadable."""
        return self.unknown_files + self.rejected_files

    def labelled(self) -> dict[str, int]:
        """Label → number, in the order of ``COUNT_LABELS``: the same words in every view."""
        return {label: getattr(self, key) for key, label in COUNT_LABELS.items()}


def count_statuses(statuses: list[UnitStatus]) -> StatusCounts:
    """Tally ``status()`` rows: the one count the CLI, the dashboard, the demo and the report show."""
    units = [s for s in statuses if s.unit_code and s.state in (RECEIVED, *NOT_RECEIVED)]
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
        rejected_files=sum(1 for s in statuses if s.state == REJECTED)
        + sum(s.files for s in units if s.state == REJECTED_FILE),
    )


def is_on_time(received_at: datetime, deadline_day: datetime) -> bool:
    """On time means before 00:00 of the deadline day (CV 1690: "trước 00g00 ngày 16")."""
    return received_at < deadline_day


def status(ws: Workspace, period: str, *, include_held: bool = True) -> list[UnitStatus]:
    """Every roster unit (in code order), then files of unknown units, then unreadable files; read in one
    snapshot while others may write (see ``_status``)."""
    with ws.snapshot():
        return _status(ws, period, include_held=include_held)


def _status(ws: Workspace, period: str, *, include_held: bool) -> list[UnitStatus]:
    """Every roster unit (in code order), then files of unknown units, then unreadable files.

    ``include_held=False`` leaves out files received while the period was published (the report
    of a published period shows it as published, whatever arrived later).

    A unit with nothing counted or not counted but an unreadable file that names it (metadata,
    title line or file name) is shown as ``REJECTED_FILE`` with that file and its reason; other
    unreadable files get their own ``REJECTED`` row, with ``named_unit`` when they name a unit
    that sent something else too.
    """
    info = get_period(ws, period)
    cutoff = datetime.combine(info.deadline, time(0))
    conn = ws.conn
    counts = {r["submission_id"]: (r["errors"], r["warnings"]) for r in conn.execute(
        "SELECT i.submission_id, SUM(CASE WHEN i.severity = 'error' THEN 1 ELSE 0 END) AS errors, "
        "SUM(CASE WHEN i.severity = 'warning' THEN 1 ELSE 0 END) AS warnings "
        "FROM issues i JOIN submissions s ON s.id = i.submission_id WHERE s.period = ? GROUP BY i.submission_id",
        (info.code,))}  # fmt: skip
    held = "" if include_held else " AND id NOT IN (SELECT submission_id FROM held_submissions)"
    subs = conn.execute(f"SELECT * FROM submissions WHERE period = ?{held} ORDER BY received_at DESC, file_name DESC, id",
                        (info.code,)).fetchall()  # fmt: skip
    kept = frozen_units(ws, info.code)  # a published period: the roster as it stood then
    if kept is None:  # the units expected in this period: a unit that left stays in periods due before
        from .roster_edit import units_in_period

        kept = units_in_period(ws, info.code)
    units = [{"code": u.code, "name": u.name} for u in kept]
    senders = {r["sha256"]: r["sender"] for r in conn.execute("SELECT sha256, sender FROM mails WHERE period = ?",
                                                              (info.code,))}  # fmt: skip
    known = {u["code"] for u in units}
    withdrawn = {r["submission_id"]: r["reason"] for r in conn.execute(  # corrections.withdraw_submission
        "SELECT w.submission_id, w.reason FROM submission_withdrawals w JOIN submissions s ON s.id = w.submission_id "
        "WHERE s.period = ? ORDER BY w.submission_id", (info.code,))}  # fmt: skip

    def entry(code: str, name: str, state: str, r: sqlite3.Row | None, files: int) -> UnitStatus:
        if r is None:
            return UnitStatus(code, name, state, None, None, 0, 0, None, "", files)
        when = datetime.fromisoformat(r["received_at"])
        errors, warnings = counts.get(r["id"], (0, 0))
        on_time = is_on_time(when, cutoff) if state == RECEIVED else None
        return UnitStatus(code, name, state, on_time, when, int(errors or 0), int(warnings or 0),
                          r["id"], r["file_name"], files, received_from=r["received_from"] or "file",
                          message=f"{WITHDRAWN_LABEL}: {withdrawn[r['id']]}" if r["id"] in withdrawn else "",
                          sender=senders.get(r["mail_sha256"] or "", ""))  # fmt: skip

    held_rejected = "" if include_held else " AND sha256 NOT IN (SELECT sha256 FROM held_rejected WHERE period = ?)"
    rejected = conn.execute(f"SELECT * FROM rejected WHERE period = ?{held_rejected} "
                            "ORDER BY received_at DESC, original_name",
                            (info.code,) * (1 if include_held else 2)).fetchall()  # fmt: skip
    roster = [RosterUnit(u["code"], u["name"]) for u in units]
    rejected_for: dict[str, list[sqlite3.Row]] = {}
    loose: list[tuple[sqlite3.Row, str]] = []
    for r in rejected:
        named = r["unit_code"] or _unit_of_name(r["original_name"], roster)  # rows kept before units were stored
        if named in known:
            rejected_for.setdefault(named, []).append(r)
        loose.append((r, named if named in known else ""))

    out: list[UnitStatus] = []
    shown: set[str] = set()  # rejected files already shown on their unit's row
    by_unit: dict[str, list[sqlite3.Row]] = {}  # each unit's files, newest first (one pass, not one per unit)
    for s in subs:
        by_unit.setdefault(s["unit_code"], []).append(s)
    for unit in units:
        mine = by_unit.get(unit["code"], [])
        active = next((s for s in mine if s["status"] == "active"), None)
        if active is not None:
            out.append(entry(unit["code"], unit["name"], RECEIVED, active, len(mine)))
        elif mine:
            out.append(entry(unit["code"], unit["name"], NOT_COUNTED, mine[0], len(mine)))
        elif unit["code"] in rejected_for:
            files = rejected_for[unit["code"]]
            latest = files[0]
            shown.update(f["sha256"] for f in files)
            out.append(UnitStatus(unit["code"], unit["name"], REJECTED_FILE, None,
                                  datetime.fromisoformat(latest["received_at"]), 0, 0, None, latest["original_name"],
                                  len(files), latest["message"], latest["code"], unit["code"]))  # fmt: skip
        else:
            out.append(entry(unit["code"], unit["name"], MISSING, None, 0))
    for s in subs:
        if s["unit_code"] is None or s["unit_code"] not in known:
            out.append(entry(s["unit_code"] or "", "", UNKNOWN, s, 1))
    for r, named in sorted(loose, key=lambda x: x[0]["original_name"]):
        if r["sha256"] not in shown:
            out.append(UnitStatus("", "", REJECTED, None, datetime.fromisoformat(r["received_at"]), 0, 0, None,
                                  r["original_name"], 1, r["message"], r["code"], named))  # fmt: skip
    return out


def _unit_of_name(file: str, roster: list[RosterUnit]) -> str:
    unit = unit_in_file_name(file, roster)
    return unit.code if unit is not None else ""
