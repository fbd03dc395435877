"""The roster learns from the returns (issue 19.4): contact changes units report (CV 1690 mục 3.1.c)
applied to the roster in one reviewed, audited step, so next quarter's templates and e-mails carry
the new contact.

``contact_changes`` is the preview (what each unit's counted return says against the roster);
``apply_contacts`` writes exactly that preview, in one transaction, with one audit entry per unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from .backup import auto_backup
from .periods import get_period
from .store import Workspace, load_value

#: the return's field → the roster's column
FIELDS = {"contact_name": "contact", "contact_phone": "phone"}
LABELS = {"contact": "Người liên hệ", "phone": "Điện thoại"}


@dataclass(frozen=True, slots=True)
class ContactChange:
    unit_code: str
    unit_name: str
    column: str  # roster column: contact | phone
    old: str
    new: str

    def sentence(self) -> str:
        return f"{self.unit_name}: {LABELS[self.column]} “{self.old or '(trống)'}” → “{self.new}”."


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _same(column: str, a: str, b: str) -> bool:
    return (
        _digits(a) == _digits(b)
        if column == "phone"
        else " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
    )


def contact_changes(ws: Workspace, period: str) -> list[ContactChange]:
    """What the period's counted returns say about each unit's contact that the roster does not."""
    info = get_period(ws, period)
    out: list[ContactChange] = []
    rows = ws.conn.execute(
        "SELECT s.unit_code, u.name, u.contact, u.phone, v.input, v.value_json FROM submissions s "
        "JOIN units u ON u.code = s.unit_code JOIN submission_values v ON v.submission_id = s.id "
        "WHERE s.period = ? AND s.status = 'active' AND v.indicator = '' ORDER BY s.unit_code",
        (info.code,)).fetchall()  # fmt: skip
    for r in rows:
        column = FIELDS.get(r["input"])
        value = load_value(r["value_json"])
        if column is None or value is None or not str(value).strip():
            continue
        new, old = str(value).strip(), str(r[column] or "")
        if not _same(column, old, new):
            out.append(ContactChange(r["unit_code"], r["name"], column, old, new))
    return out


def apply_contacts(ws: Workspace, period: str, changes: list[ContactChange] | None = None) -> list[ContactChange]:
    """Write the reviewed ``changes`` (default: the current preview) to the roster; audited per unit."""
    info = get_period(ws, period)
    todo = contact_changes(ws, info.code) if changes is None else changes
    if not todo:
        return []
    auto_backup(ws, "truoc-cap-nhat-dau-moi")
    with ws.transaction() as conn:
        for c in todo:
            conn.execute(f"UPDATE units SET {c.column} = ? WHERE code = ?", (c.new, c.unit_code))
            ws.audit("apply-contact", {"period": info.code, "unit": c.unit_code, "field": c.column,
                                       "old": c.old, "new": c.new})  # fmt: skip
    return todo
