"""The office corrects what intake decided (issue 21): whose file it is, whether it counts, the original.

Why these are their own moves rather than "ingest again": the received file is evidence and is
never changed or re-sent; what the office corrects is the workspace's reading of it, and each
correction says who made it and why (the audit log), like an appraisal.

- ``assign_submission``: a workbook no unit was recognised for (``unit-unknown``), or one tied to
  the wrong unit, is given to the unit the office names. The identification issues go (the office
  identified it), the counting rule runs again for both units (the latest eligible submission of a
  unit counts, ``ingest.decide_active``).
- ``assign_rejected``: an unreadable file is tied to the unit that sent it, so ``status`` shows
  that unit as "đã gửi tệp không đọc được" instead of "chưa nộp".
- ``withdraw_submission`` / ``restore_submission``: a submission taken back (sent in error, a test
  file) stops counting; the unit's previous submission counts again. The status it had is kept,
  so restoring puts it back; both moves are in the audit log.
- ``export_original``: a copy of the received original, for opening it in Excel (the stored file
  stays read-only and untouched).

All refused, with the way to reopen, while the period is published (``period_state.require_open``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.atomic import write_atomic
from app.workbook.intake import DISQUALIFYING

from .ingest import decide_active
from .originals import original_path
from .period_state import require_open
from .periods import get_period
from .roster_edit import get_unit
from .store import Workspace, WorkspaceError, now_text
from .submissions import SubmissionInfo, get_submission

#: issues about who sent the file: settled once the office names the unit
IDENTIFICATION_ISSUES = ("unit-unknown", "identified-by-header", "identified-by-file-name", "meta-header-mismatch")
#: ``submissions.identified_by`` of a file the office assigned by hand
BY_HAND = "office"


@dataclass(frozen=True, slots=True)
class Withdrawal:
    submission_id: int
    unit_code: str
    file_name: str
    received_at: str
    reason: str
    who: str
    at: str

    def line(self) -> str:
        """``Bản nộp số 12 (DV03, tệp x.xlsx) — rút lúc … bởi …: lý do``"""
        return (f"Bản nộp số {self.submission_id} ({self.unit_code or 'chưa rõ đơn vị'}, tệp {self.file_name}) — "
                f"rút lúc {self.at} bởi {self.who}: {self.reason}")  # fmt: skip


def _reason(reason: str, doing: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise WorkspaceError(f"Cần ghi lý do {doing} (được lưu vào nhật ký).")
    return text


def _submission(ws: Workspace, submission_id: int, doing: str) -> SubmissionInfo:
    sub = get_submission(ws, submission_id)
    if sub is None:
        raise WorkspaceError(f"Không có bản nộp số {submission_id} trong thư mục làm việc (xem cột “Số bản nộp” "
                             "của dtidesk status --json).")  # fmt: skip
    require_open(ws, sub.period, doing)
    return sub


def is_withdrawn(ws: Workspace, submission_id: int) -> bool:
    return ws.conn.execute("SELECT 1 FROM submission_withdrawals WHERE submission_id = ?",
                           (submission_id,)).fetchone() is not None  # fmt: skip


def assign_submission(ws: Workspace, submission_id: int, unit_code: str, reason: str, *,
                      who: str | None = None) -> SubmissionInfo:  # fmt: skip
    """Give a received workbook to ``unit_code`` (module docstring); audited with the old unit and why."""
    sub = _submission(ws, submission_id, "gán bản nộp cho đơn vị")
    why = _reason(reason, "gán bản nộp cho đơn vị")
    unit = get_unit(ws, unit_code)
    if sub.unit_code == unit.code:
        raise WorkspaceError(f"Bản nộp số {submission_id} ({sub.file_name}) đã thuộc đơn vị {unit.code}.")
    withdrawn = is_withdrawn(ws, submission_id)
    marks = ", ".join("?" * len(IDENTIFICATION_ISSUES))
    with ws.transaction() as conn:
        removed = [r["code"] for r in conn.execute(
            f"SELECT code FROM issues WHERE submission_id = ? AND code IN ({marks}) ORDER BY code",
            (submission_id, *IDENTIFICATION_ISSUES))]  # fmt: skip
        conn.execute(f"DELETE FROM issues WHERE submission_id = ? AND code IN ({marks})",
                     (submission_id, *IDENTIFICATION_ISSUES))  # fmt: skip
        left = {r["code"] for r in conn.execute("SELECT code FROM issues WHERE submission_id = ?", (submission_id,))}
        status = "not-counted" if withdrawn or left & DISQUALIFYING else "superseded"
        conn.execute("UPDATE submissions SET unit_code = ?, identified_by = ?, status = ? WHERE id = ?",
                     (unit.code, BY_HAND, status, submission_id))  # fmt: skip
        ws.audit("assign-submission", {"period": sub.period, "submission": submission_id, "file": sub.file_name,
                                       "old": sub.unit_code, "unit": unit.code, "reason": why,
                                       "removed_issues": removed}, who)  # fmt: skip
        for code in {sub.unit_code, unit.code} - {""}:
            decide_active(ws, sub.period, code)
    result = get_submission(ws, submission_id)
    assert result is not None  # it was there inside the transaction
    return result


def assign_rejected(ws: Workspace, period: str, file: str, unit_code: str, reason: str, *,
                    who: str | None = None) -> str:  # fmt: skip
    """Tie an unreadable file of the period (by its name, or its key) to the unit that sent it; returns the key."""
    info = get_period(ws, period)
    require_open(ws, info.code, "gán tệp cho đơn vị")
    why = _reason(reason, "gán tệp cho đơn vị")
    unit = get_unit(ws, unit_code)
    rows = ws.conn.execute("SELECT sha256, original_name, unit_code FROM rejected WHERE period = ? AND "
                           "(original_name = ? OR sha256 = ?) ORDER BY received_at DESC, sha256",
                           (info.code, file, file)).fetchall()  # fmt: skip
    if not rows:
        raise WorkspaceError(f"Kỳ {info.code} không có tệp không đọc được tên “{file}”.")
    if len(rows) > 1:
        keys = "; ".join(r["sha256"][:12] for r in rows)
        raise WorkspaceError(f"Kỳ {info.code} có {len(rows)} tệp không đọc được cùng tên “{file}”; hãy chỉ rõ mã "
                             f"của tệp: {keys}.")  # fmt: skip
    row = rows[0]
    with ws.transaction() as conn:
        conn.execute("UPDATE rejected SET unit_code = ? WHERE period = ? AND sha256 = ?",
                     (unit.code, info.code, row["sha256"]))  # fmt: skip
        ws.audit("assign-rejected", {"period": info.code, "file": row["original_name"], "sha256": row["sha256"],
                                     "old": row["unit_code"], "unit": unit.code, "reason": why}, who)  # fmt: skip
    return str(row["sha256"])


def withdraw_submission(ws: Workspace, submission_id: int, reason: str, *, who: str | None = None) -> SubmissionInfo:
    """Take a submission back: it stops counting, the unit's previous one counts again; audited."""
    sub = _submission(ws, submission_id, "rút bản nộp")
    why = _reason(reason, "rút bản nộp")
    if is_withdrawn(ws, submission_id):
        raise WorkspaceError(f"Bản nộp số {submission_id} ({sub.file_name}) đã được rút trước đó.")
    from .store import current_user

    with ws.transaction() as conn:
        conn.execute("INSERT INTO submission_withdrawals(submission_id, previous_status, reason, who, at) "
                     "VALUES (?, ?, ?, ?, ?)", (submission_id, sub.status, why, who or current_user(), now_text()))  # fmt: skip
        conn.execute("UPDATE submissions SET status = 'not-counted' WHERE id = ?", (submission_id,))
        ws.audit("withdraw-submission", {"period": sub.period, "submission": submission_id, "file": sub.file_name,
                                         "unit": sub.unit_code, "old": sub.status, "reason": why}, who)  # fmt: skip
        if sub.unit_code:
            decide_active(ws, sub.period, sub.unit_code)
    result = get_submission(ws, submission_id)
    assert result is not None
    return result


def restore_submission(ws: Workspace, submission_id: int, reason: str, *, who: str | None = None) -> SubmissionInfo:
    """Undo ``withdraw_submission``: the submission takes part in counting again as before; audited."""
    sub = _submission(ws, submission_id, "khôi phục bản nộp")
    why = _reason(reason, "khôi phục bản nộp")
    row = ws.conn.execute("SELECT previous_status FROM submission_withdrawals WHERE submission_id = ?",
                          (submission_id,)).fetchone()  # fmt: skip
    if row is None:
        raise WorkspaceError(f"Bản nộp số {submission_id} ({sub.file_name}) chưa bị rút.")
    status = "superseded" if row["previous_status"] in ("active", "superseded") else row["previous_status"]
    with ws.transaction() as conn:
        conn.execute("DELETE FROM submission_withdrawals WHERE submission_id = ?", (submission_id,))
        conn.execute("UPDATE submissions SET status = ? WHERE id = ?", (status, submission_id))
        ws.audit("restore-submission", {"period": sub.period, "submission": submission_id, "file": sub.file_name,
                                        "unit": sub.unit_code, "reason": why}, who)  # fmt: skip
        if sub.unit_code:
            decide_active(ws, sub.period, sub.unit_code)
    result = get_submission(ws, submission_id)
    assert result is not None
    return result


def withdrawals(ws: Workspace, period: str) -> list[Withdrawal]:
    """The period's withdrawn submissions, newest first."""
    return [Withdrawal(int(r["id"]), r["unit_code"] or "", r["file_name"], r["received_at"], r["reason"], r["who"],
                       r["at"]) for r in ws.conn.execute(
        "SELECT s.id, s.unit_code, s.file_name, s.received_at, w.reason, w.who, w.at FROM submission_withdrawals w "
        "JOIN submissions s ON s.id = w.submission_id WHERE s.period = ? ORDER BY w.at DESC, s.id DESC",
        (period,))]  # fmt: skip


def export_original(ws: Workspace, submission_id: int, target: Path) -> Path:
    """Write a copy of the received original to ``target`` (a folder: under the file's own name); returns it.

    The copy is writable and apart from the workspace: Excel may open, lock or even save it without
    touching the evidence.
    """
    sub = get_submission(ws, submission_id)
    if sub is None:
        raise WorkspaceError(f"Không có bản nộp số {submission_id} trong thư mục làm việc.")
    source = original_path(ws, submission_id)
    out = target / Path(sub.file_name).name if target.is_dir() else target
    try:
        write_atomic(out, source.read_bytes())
    except OSError as exc:
        raise WorkspaceError(f"Không ghi được bản sao tệp gốc vào {out}: {exc.strerror or exc}. Hãy chọn thư mục "
                             "khác hoặc đóng tệp đang mở rồi thử lại.") from exc  # fmt: skip
    return out


__all__ = ["BY_HAND", "IDENTIFICATION_ISSUES", "Withdrawal", "assign_rejected", "assign_submission",
           "export_original", "is_withdrawn", "restore_submission", "withdraw_submission", "withdrawals"]  # fmt: skip
