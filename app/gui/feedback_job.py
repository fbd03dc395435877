"""The feedback workbook of one unit, as the demo writes it (SPEC §2 step 4) — no Qt here.

Stand-in for a core function ``app.workspace.feedback.write_unit_feedback`` (same signature):
re-read the unit's stored original (never re-saved), regenerate a fresh template pre-filled with
what the unit typed, highlight the problem cells, and write it atomically into
``feedback/<period>/<template name>_phan-hoi.xlsx``. Runs inside a job (its own connection).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.workspace import Workspace


def write_unit_feedback(ws: Workspace, period: str, unit_code: str) -> Path:
    from app.workbook.feedback import feedback_filename, write_feedback
    from app.workbook.intake import receive_file
    from app.workspace import WorkspaceError, get_period
    from app.workspace.periods import framework_of
    from app.workspace.units import roster_units

    info = get_period(ws, period)
    framework = framework_of(ws, info.code)
    row = ws.conn.execute(
        "SELECT s.file_name, f.stored_path, COALESCE(u.name, s.unit_code) AS name FROM submissions s "
        "JOIN files f ON f.sha256 = s.file_sha256 LEFT JOIN units u ON u.code = s.unit_code "
        "WHERE s.period = ? AND s.unit_code = ? AND s.status = 'active'", (info.code, unit_code)).fetchone()  # fmt: skip
    if row is None:
        raise WorkspaceError(f"Đơn vị {unit_code} chưa có bản nộp được tính trong kỳ {info.code}; "
                             "chưa có gì để phản hồi.")  # fmt: skip
    sub = receive_file(ws.folder / row["stored_path"], framework, info.code, roster_units(ws),
                       file=row["file_name"], keep_typed=True)  # fmt: skip
    target = ws.feedback / info.code / feedback_filename(info.code, unit_code, row["name"])
    written = write_feedback(framework, unit_code, row["name"], info.code, info.label, sub.typed, sub.issues,
                             target=target, received_file=row["file_name"], deadline=info.deadline)  # fmt: skip
    with ws.transaction():
        ws.audit("feedback", {"period": info.code, "unit": unit_code, "file": written.name})
    return written
