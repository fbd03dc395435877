"""The roster by hand (issue 21): add a unit, edit it, and let a dissolved or merged unit leave.

Why a unit is never deleted: its submissions, scores and ranks in past periods must read as they
did. A unit that leaves gets the day it left (``units.left_on``) and, when the office says so, the
unit that took it over (``merged_into``). "Future" is decided by the period's deadline:

- a unit is expected in a period when it is active, or when it left on or after the period's
  deadline (the period was already due while the unit still existed), or when it has a counted
  submission in that period (what it sent is never orphaned);
- so it leaves every period due after the day it left: not expected, not in the missing list,
  not sent templates or reminders there.

A published period keeps the roster frozen when it was published (``frozen.freeze_roster``), so
nothing here changes it. One wording of each field (``FIELD_LABELS``) for the CLI, the desktop
and the audit log. Every change is audited with the old and new values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.workbook.phone import phone_text

from .frozen import frozen_units
from .periods import get_period
from .store import Workspace, WorkspaceError
from .units import Unit, unit_of_row

#: the editable fields of a unit, in the order forms show them → what a person reads
FIELD_LABELS: dict[str, str] = {
    "name": "Tên đơn vị",
    "kind": "Loại",
    "email": "Thư điện tử",
    "contact": "Người liên hệ",
    "phone": "Điện thoại",
    "active": "Tình trạng",
}
ACTIVE_LABEL = "Đang hoạt động"
LEFT_LABEL = "Đã thôi (giải thể/sáp nhập)"


def state_label(unit: Unit) -> str:
    """``Đang hoạt động`` or ``Đã thôi từ 01/07/2023, sáp nhập vào DV02`` — the unit's state in words."""
    if unit.active:
        return ACTIVE_LABEL
    text = "Đã thôi"
    if unit.left_on:
        text += f" từ {date.fromisoformat(unit.left_on):%d/%m/%Y}"
    if unit.merged_into:
        text += f", sáp nhập vào {unit.merged_into}"
    return text


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # a key of FIELD_LABELS
    old: str
    new: str

    def sentence(self) -> str:
        return f"{FIELD_LABELS[self.field]}: “{self.old or '(trống)'}” → “{self.new or '(trống)'}”"


def get_unit(ws: Workspace, code: str) -> Unit:
    """The unit of that code (any spelling of its case); a Vietnamese error when there is none."""
    row = ws.conn.execute("SELECT * FROM units WHERE lower(code) = lower(?) ORDER BY code", (code.strip(),)).fetchone()
    if row is None:
        raise WorkspaceError(f"Không có đơn vị mã “{code}” trong danh sách đơn vị; xem danh sách: dtidesk units list.")
    return unit_of_row(row)


def _clean(field: str, value: str) -> str:
    text = " ".join(str(value).split())
    return phone_text(text) if field == "phone" else text


def add_unit(ws: Workspace, code: str, name: str, *, kind: str = "", email: str = "", contact: str = "",
             phone: str = "", who: str | None = None) -> Unit:  # fmt: skip
    """Add one unit by hand (a new unit mid-year); refused when the code exists, active or not."""
    code, name = code.strip(), _clean("name", name)
    if not code or not name:
        raise WorkspaceError("Cần cả mã đơn vị và tên đơn vị.")
    if any(ch.isspace() for ch in code):
        raise WorkspaceError(f"Mã đơn vị “{code}” có khoảng trắng; hãy viết liền, ví dụ DV26.")
    exists = ws.conn.execute("SELECT code, active FROM units WHERE lower(code) = lower(?)", (code,)).fetchone()
    if exists is not None:
        hint = "" if exists["active"] else " (đơn vị đã thôi; có thể cho hoạt động lại)"
        raise WorkspaceError(f"Đã có đơn vị mã “{exists['code']}” trong danh sách{hint}; hãy chọn mã khác.")
    values = {"kind": _clean("kind", kind), "email": _clean("email", email), "contact": _clean("contact", contact),
              "phone": _clean("phone", phone)}  # fmt: skip
    with ws.transaction() as conn:
        conn.execute("INSERT INTO units(code, name, kind, email, contact, phone, active) VALUES (?, ?, ?, ?, ?, ?, 1)",
                     (code, name, *values.values()))  # fmt: skip
        ws.audit("add-unit", {"unit": code, "name": name, **{k: v for k, v in values.items() if v}}, who)
    return get_unit(ws, code)


def edit_unit(ws: Workspace, code: str, *, who: str | None = None, **fields: str) -> list[FieldChange]:
    """Change a unit's name, kind, e-mail, contact or phone (only the fields given); audited with old → new.

    The phone is kept as text with its leading 0. Returns the changes made (none: nothing written).
    """
    unknown = [f for f in fields if f not in FIELD_LABELS or f == "active"]
    if unknown:
        raise WorkspaceError(f"Không sửa được trường “{', '.join(unknown)}” của đơn vị.")
    unit = get_unit(ws, code)
    changes = [FieldChange(f, getattr(unit, f), _clean(f, v)) for f, v in fields.items()
               if _clean(f, v) != getattr(unit, f)]  # fmt: skip
    if any(c.field == "name" and not c.new for c in changes):
        raise WorkspaceError("Tên đơn vị không được để trống.")
    if not changes:
        return []
    with ws.transaction() as conn:
        conn.execute(f"UPDATE units SET {', '.join(f'{c.field} = ?' for c in changes)} WHERE code = ?",
                     (*(c.new for c in changes), unit.code))  # fmt: skip
        ws.audit("edit-unit", {"unit": unit.code, "changes": [[c.field, c.old, c.new] for c in changes]}, who)
    return changes


def deactivate_unit(ws: Workspace, code: str, left_on: date, *, merged_into: str = "", reason: str = "",
                    who: str | None = None) -> Unit:  # fmt: skip
    """A dissolved or merged unit leaves the roster on ``left_on``: it stays in the periods due by then
    and leaves those due after (module docstring); audited. ``merged_into`` must be another unit."""
    unit = get_unit(ws, code)
    if not unit.active:
        raise WorkspaceError(f"Đơn vị {unit.code} — {state_label(unit)}. Muốn cho đơn vị hoạt động lại: "
                             f"dtidesk units reactivate {unit.code} (trên ứng dụng: nút “Cho thôi / hoạt động lại…”).")  # fmt: skip
    target = ""
    if merged_into.strip():
        other = get_unit(ws, merged_into)
        if other.code == unit.code:
            raise WorkspaceError(f"Đơn vị {unit.code} không thể sáp nhập vào chính nó.")
        target = other.code
    with ws.transaction() as conn:
        conn.execute("UPDATE units SET active = 0, left_on = ?, merged_into = ? WHERE code = ?",
                     (left_on.isoformat(), target, unit.code))  # fmt: skip
        ws.audit("deactivate-unit", {"unit": unit.code, "left_on": left_on.isoformat(), "merged_into": target,
                                     "reason": reason.strip()}, who)  # fmt: skip
    return get_unit(ws, unit.code)


def reactivate_unit(ws: Workspace, code: str, *, reason: str = "", who: str | None = None) -> Unit:
    """Undo ``deactivate_unit`` (a unit re-established, or deactivated by mistake); audited."""
    unit = get_unit(ws, code)
    if unit.active:
        raise WorkspaceError(f"Đơn vị {unit.code} đang hoạt động.")
    with ws.transaction() as conn:
        conn.execute("UPDATE units SET active = 1, left_on = NULL, merged_into = '' WHERE code = ?", (unit.code,))
        ws.audit("reactivate-unit", {"unit": unit.code, "left_on": unit.left_on, "merged_into": unit.merged_into,
                                     "reason": reason.strip()}, who)  # fmt: skip
    return get_unit(ws, unit.code)


def units_in_period(ws: Workspace, period: str) -> list[Unit]:
    """The units expected in a period (module docstring), in code order; a published period: its frozen roster."""
    info = get_period(ws, period)
    kept = frozen_units(ws, info.code)
    if kept is not None:
        return kept
    rows = ws.conn.execute(
        "SELECT * FROM units u WHERE u.active = 1 OR (u.left_on IS NOT NULL AND u.left_on >= ?) "
        "OR EXISTS (SELECT 1 FROM submissions s WHERE s.period = ? AND s.unit_code = u.code AND s.status = 'active') "
        "ORDER BY u.code", (info.deadline.isoformat(), info.code)).fetchall()  # fmt: skip
    return [unit_of_row(r) for r in rows]


__all__ = ["ACTIVE_LABEL", "FIELD_LABELS", "LEFT_LABEL", "FieldChange", "add_unit", "deactivate_unit", "edit_unit",
           "get_unit", "reactivate_unit", "state_label", "units_in_period"]  # fmt: skip
