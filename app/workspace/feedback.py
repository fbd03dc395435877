"""The feedback workbook of one unit, from what the workspace holds (DESIGN §2 step 4).

Why from the stored original: the unit's file in ``received/`` is re-read (never re-saved) so
the feedback shows exactly what the unit typed, with today's checks; a fresh template is filled
with those values, the problem cells are marked, and the file is written atomically into
``feedback/<period>/``. The demo, the desktop and any later command call this one function.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.period import default_resend_by
from app.workbook.feedback import feedback_filename, write_feedback
from app.workbook.intake import receive_file

from .blobs import local_copy
from .corrections import BY_HAND, IDENTIFICATION_ISSUES
from .evidence import evidence_issues
from .periods import framework_of, get_period
from .store import Workspace, WorkspaceError
from .units import roster_units


def write_unit_feedback(ws: Workspace, period: str, unit_code: str, resend_by: date | None = None) -> Path:
    """Write the feedback workbook of ``unit_code``'s counted submission; audited.

    ``resend_by``: the date the unit is asked to send the corrected file back by (default
    ``app.period.default_resend_by`` of today), not the period's deadline, which has usually passed.
    """
    info = get_period(ws, period)
    framework = framework_of(ws, info.code)
    row = ws.conn.execute(
        "SELECT s.id, s.file_name, s.identified_by, f.stored_path, f.sha256, COALESCE(u.name, s.unit_code) AS name FROM submissions s "
        "JOIN files f ON f.sha256 = s.file_sha256 LEFT JOIN units u ON u.code = s.unit_code "
        "WHERE s.period = ? AND s.unit_code = ? AND s.status = 'active'", (info.code, unit_code)).fetchone()  # fmt: skip
    if row is None:
        raise WorkspaceError(f"Đơn vị {unit_code} chưa có bản nộp được tính trong kỳ {info.code}; "
                             "chưa có gì để phản hồi.")  # fmt: skip
    sub = receive_file(local_copy(ws, row["stored_path"], row["sha256"]), framework, info.code, roster_units(ws, info.code),
                       file=row["file_name"], keep_typed=True)  # fmt: skip
    if (
        row["identified_by"] == BY_HAND
    ):  # the office named the unit (corrections.assign_submission): not the unit's fault
        sub.issues = [i for i in sub.issues if i.code not in IDENTIFICATION_ISSUES]
    sub.issues += evidence_issues(ws, row["id"])  # the documents sent with it, checked when they arrived
    resend_by = resend_by or default_resend_by(date.today())
    target = ws.feedback / info.code / feedback_filename(info.code, unit_code, row["name"])
    written = write_feedback(framework, unit_code, row["name"], info.code, info.label, sub.typed, sub.issues,
                             target=target, received_file=row["file_name"], resend_by=resend_by)  # fmt: skip
    with ws.transaction():
        ws.audit("feedback", {"period": info.code, "unit": unit_code, "file": written.name,
                               "resend_by": resend_by.isoformat()})  # fmt: skip
    return written
