"""Optimistic versioning of appraisals: two people appraising the same indicator never overwrite each other.

Why: in a shared workspace (issue 22) two appraisers may open the same unit's indicator, each see
the same figures, and each save a change. Without a check the second save silently replaces the
first person's decision with one made on figures that no longer stand. So each (period, unit,
indicator) has a version (``appraisal_versions``, migration v9; no row is version 0) that every
appraisal, withdrawal and round-2 verdict on its explanation raises by one. A reader shows the version with the figures
(``indicator_versions``); a writer passes the version it showed, and ``claim`` — called inside the
writing transaction — raises it only if it is still that version, else refuses with
``AppraisalConflict`` and nothing is written (DESIGN §14).

Portable: the check and the raise are one statement (an ``UPDATE … WHERE version = ?`` or an
``INSERT … ON CONFLICT DO NOTHING``), so on PostgreSQL (read committed, its default) the row lock
makes a concurrent second writer wait, then find the version changed; SQLite's write lock
serialises the two transactions anyway.
"""

from __future__ import annotations

from typing import Any

from .store import Workspace, WorkspaceError


class AppraisalConflict(WorkspaceError):
    """Someone else changed the indicator since it was shown; the change was not written. Reload and redo."""

    exit_code = 1  # not a wrong request: the figures moved under it; reloading and redoing it works


def indicator_version(ws: Workspace, period: str, unit_code: str, indicator: str) -> int:
    """The indicator's version now (0: never appraised)."""
    row = ws.conn.execute("SELECT version FROM appraisal_versions WHERE period = ? AND unit_code = ? AND "
                          "indicator = ?", (period, unit_code, indicator)).fetchone()  # fmt: skip
    return 0 if row is None else int(row[0])


def indicator_versions(ws: Workspace, period: str, unit_code: str) -> dict[str, int]:
    """Indicator → its version, for the unit's appraised indicators (the others are at 0)."""
    return {r[0]: int(r[1]) for r in ws.conn.execute(
        "SELECT indicator, version FROM appraisal_versions WHERE period = ? AND unit_code = ? ORDER BY indicator",
        (period, unit_code))}  # fmt: skip


def claim(conn: Any, period: str, unit_code: str, indicator: str, expected: int | None) -> int:
    """Raise the indicator's version by one and return it; inside the transaction that writes the change.

    ``expected`` is the version the writer showed its user; ``None`` writes whatever the version
    (a script, or a caller that showed nothing). A version that moved raises ``AppraisalConflict``,
    so the transaction rolls back and nothing of the change is kept.
    """
    key = (period, unit_code, indicator)
    if expected is None:
        row = conn.execute(
            "INSERT INTO appraisal_versions(period, unit_code, indicator, version) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (period, unit_code, indicator) DO UPDATE SET version = appraisal_versions.version + 1 "
            "RETURNING version", key).fetchone()  # fmt: skip
    elif expected == 0:
        row = conn.execute(
            "INSERT INTO appraisal_versions(period, unit_code, indicator, version) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (period, unit_code, indicator) DO NOTHING RETURNING version", key).fetchone()  # fmt: skip
    else:
        row = conn.execute(
            "UPDATE appraisal_versions SET version = version + 1 WHERE period = ? AND unit_code = ? AND "
            "indicator = ? AND version = ? RETURNING version", (*key, expected)).fetchone()  # fmt: skip
    if row is None:
        raise AppraisalConflict(conflict_message(conn, period, unit_code, indicator, expected))
    return int(row[0])


def conflict_message(conn: Any, period: str, unit_code: str, indicator: str, expected: int | None) -> str:
    """Who changed the indicator last and when, and what to do: reload, look, redo if still needed."""
    last = conn.execute(
        "SELECT who, at FROM appraisals WHERE period = ? AND unit_code = ? AND indicator = ? ORDER BY id DESC LIMIT 1",
        (period, unit_code, indicator)).fetchone()  # fmt: skip
    current = conn.execute("SELECT version FROM appraisal_versions WHERE period = ? AND unit_code = ? AND "
                           "indicator = ?", (period, unit_code, indicator)).fetchone()  # fmt: skip
    by = f" ({last[0]}, lúc {str(last[1])[11:16]} ngày {_day(str(last[1]))})" if last is not None else ""
    now = 0 if current is None else int(current[0])
    return (f"Người khác vừa sửa chỉ tiêu {indicator} của đơn vị {unit_code} kỳ {period}{by}: bạn đang xem phiên bản "
            f"{expected}, nay đã là phiên bản {now}. Thay đổi của bạn chưa được ghi và không ghi đè gì. Hãy tải lại "
            "để xem số liệu mới, rồi thẩm định lại nếu vẫn cần.")  # fmt: skip


def _day(at: str) -> str:
    return f"{at[8:10]}/{at[5:7]}/{at[0:4]}" if len(at) >= 10 else at


__all__ = ["AppraisalConflict", "claim", "conflict_message", "indicator_version", "indicator_versions"]
