"""Which unit gets which draft (issue 18): templates to all, feedback to units with problems,
reminders to units that have not sent (or sent late, or unreadable files), and the appraisal
notices of round 1 to units whose figures the office changed (issue 20).

Drafts go to ``mail/<period>/<kind>/`` in the workspace unless another folder is given, one
``.eml`` per unit (``app.mail.drafts`` writes the words). A unit without a registered address
gets no draft and is listed in the result, never skipped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.atomic import write_atomic
from app.mail.drafts import (
    Office,
    Recipient,
    draft_bytes,
    feedback_draft,
    notice_draft,
    reminder_draft,
    template_draft,  # fmt: skip
)
from app.period import default_resend_by
from app.workbook.filenames import safe_component, template_filename

from .periods import get_period
from .roster_edit import units_in_period
from .settings import mail_settings
from .status import LATE_LABEL, MISSING, NOT_COUNTED, RECEIVED, REJECTED_FILE, STATE_LABELS, status
from .store import Workspace, WorkspaceError

KINDS = ("templates", "feedback", "reminders", "notices")
#: the folder name of each kind of draft, in Vietnamese without marks (a path people open)
_FOLDERS = {
    "templates": "gui-bieu-mau",
    "feedback": "phan-hoi",
    "reminders": "nhac-nop",
    "notices": "thong-bao-tham-dinh",
}


@dataclass(slots=True)
class DraftsResult:
    kind: str
    folder: Path
    written: list[tuple[str, Path]] = field(default_factory=list)  # (unit code, draft)
    without_address: list[tuple[str, str]] = field(default_factory=list)  # (code, name): no draft written

    def messages(self) -> list[str]:
        """Vietnamese lines for the clerk: how many, where, and the units that got none."""
        lines = [f"Đã soạn {len(self.written)} thư trong thư mục {self.folder}; mở từng thư bằng Outlook hoặc "
                 "Thunderbird, kiểm tra rồi bấm Gửi."]  # fmt: skip
        lines += [f"Đơn vị {code} ({name}) chưa có địa chỉ thư điện tử trong danh sách đơn vị: chưa soạn thư; "
                  "hãy bổ sung cột Email rồi nhập lại danh sách (dtidesk units import)."
                  for code, name in self.without_address]  # fmt: skip
        return lines


def _office(ws: Workspace) -> Office:
    s = mail_settings(ws)
    return Office(s.name, s.address, s.phone, s.contact, s.signature)


def write_drafts(ws: Workspace, period: str, kind: str, out: Path | None = None) -> DraftsResult:
    """Write the drafts of ``kind`` for ``period``; audited."""
    if kind not in KINDS:
        raise WorkspaceError(f"Không có loại thư “{kind}”; chọn một trong: {', '.join(KINDS)}.")
    info = get_period(ws, period)
    folder = out or ws.folder / "mail" / info.code / _FOLDERS[kind]
    result = DraftsResult(kind, folder)
    office = _office(ws)
    units = {u.code: u for u in units_in_period(ws, info.code)}  # a unit that left gets no mail for later periods
    rows = {r.unit_code: r for r in status(ws, info.code) if r.unit_code in units}
    noticed: set[str] = set()
    if kind == "notices":
        from .explain import notice_rows  # explain builds on the ranking: imported when asked for

        noticed = set(notice_rows(ws, info.code))
    for code, unit in units.items():
        addresses = tuple(a for a in re.split(r"[;,\s]+", unit.email or "") if "@" in a)
        recipient = Recipient(code, unit.name, addresses)
        row = rows.get(code)
        template = ws.templates / info.code / template_filename(info.code, code, unit.name)
        if kind == "templates":
            if not template.is_file():
                from .templates import generate_for_period

                generate_for_period(ws, info.code, [code])
            chosen = "templates"
        elif kind == "feedback":
            if row is None or row.state != RECEIVED or not (row.errors or row.warnings):
                continue
            chosen = "feedback"
        elif kind == "notices":
            if code not in noticed:
                continue
            chosen = "notices"
        else:
            if row is None or not (row.state in (MISSING, NOT_COUNTED, REJECTED_FILE) or row.on_time is False):
                continue
            chosen = "reminders"
        if not addresses:
            result.without_address.append((code, unit.name))
            continue
        if chosen == "templates":
            msg = template_draft(office, recipient, info.label, info.deadline, template)
        elif chosen == "feedback":
            from .feedback import write_unit_feedback

            assert row is not None

            resend_by = default_resend_by(date.today())
            attachment = write_unit_feedback(ws, info.code, code, resend_by)
            msg = feedback_draft(office, recipient, info.label, resend_by, _problems(ws, row.submission_id), attachment)
        elif chosen == "notices":
            from .explain import notice_file
            from .period_state import period_state

            msg = notice_draft(office, recipient, info.label, period_state(ws, info.code).explain_deadline,
                               notice_file(ws, info.code, code))  # fmt: skip
        else:
            assert row is not None
            situation = LATE_LABEL.lower() if row.state == RECEIVED else STATE_LABELS.get(row.state, row.state).lower()
            if row.message:
                situation += f" ({row.message})"
            msg = reminder_draft(office, recipient, info.label, info.deadline, situation,
                                 template if template.is_file() and row.state != RECEIVED else None)  # fmt: skip
        target = folder / f"{_FOLDERS[kind]}_{safe_component(info.code, 20)}_{safe_component(code, 20)}.eml"
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, draft_bytes(msg))
        result.written.append((code, target))
    with ws.transaction():
        ws.audit("mail-drafts", {"period": info.code, "kind": kind, "units": [c for c, _ in result.written],
                                 "without_address": [c for c, _ in result.without_address],
                                 "folder": str(folder)})  # fmt: skip
    return result


def _problems(ws: Workspace, submission_id: int | None) -> list[str]:
    rows = ws.conn.execute("SELECT sheet, cell, message FROM issues WHERE submission_id = ? AND severity IN "
                           "('error', 'warning') ORDER BY severity, rowid", (submission_id,)).fetchall()  # fmt: skip
    return [(f"Ô {r['sheet']}!{r['cell']}: " if r["cell"] else "") + r["message"] for r in rows]


__all__ = ["KINDS", "DraftsResult", "write_drafts"]
