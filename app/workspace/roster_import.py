"""Importing the office's roster file with a preview (issue 21): what is new, what changes, what is gone.

Why a preview: re-importing a list someone else edited used to change the roster at once. Now the
file is read and compared first, as data (``RosterPreview``): units new in the file, units whose
fields differ (each field old → new), units that left the roster and come back, and units of the
workspace the file no longer lists ("gone"). Nothing is deleted: gone units are only *offered*
for deactivation (``roster_edit.deactivate_unit``: they keep their past periods). ``apply_preview``
then writes exactly what was shown and chosen, in one transaction, audited per unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.workbook.roster import OPTIONAL_COLUMNS, RosterError, RosterUnit, read_roster_file

from .roster_edit import ACTIVE_LABEL, FieldChange, state_label
from .store import Workspace, WorkspaceError
from .units import Unit, list_units


@dataclass(frozen=True, slots=True)
class UnitChange:
    """A unit of the file that the workspace holds differently."""

    code: str
    name: str  # as the file says
    changes: tuple[FieldChange, ...]

    def sentence(self) -> str:
        return f"{self.code} – {self.name}: " + "; ".join(c.sentence() for c in self.changes)


@dataclass(frozen=True, slots=True)
class RosterPreview:
    """What importing ``file`` would do; ``apply_preview`` does exactly this."""

    file: str
    units: tuple[RosterUnit, ...]  # as read from the file, in file order
    columns: tuple[str, ...]  # of OPTIONAL_COLUMNS the file has (a column it lacks keeps what is stored)
    new: tuple[RosterUnit, ...]
    changed: tuple[UnitChange, ...]
    gone: tuple[Unit, ...]  # active units the file does not list: offered for deactivation, never deleted
    unchanged: int
    converted: tuple[str, ...] = ()  # old-font cells converted to Unicode, one Vietnamese line each

    @property
    def nothing_to_do(self) -> bool:
        return not (self.new or self.changed or self.gone)

    def summary(self) -> str:
        """One line: ``Tệp X: 25 đơn vị — 2 mới, 3 thay đổi, 1 không còn trong tệp, 19 không đổi.``"""
        return (f"Tệp {self.file}: {len(self.units)} đơn vị — {len(self.new)} mới, {len(self.changed)} thay đổi, "
                f"{len(self.gone)} không còn trong tệp, {self.unchanged} không đổi.")  # fmt: skip

    def change_lines(self) -> list[str]:
        """Each change in Vietnamese, for the CLI and the desktop alike."""
        out = [f"Mới: {u.code} – {u.name}" for u in self.new]
        out += [f"Thay đổi: {c.sentence()}" for c in self.changed]
        out += [f"Không còn trong tệp: {u.code} – {u.name} (có thể cho thôi; không bị xoá)" for u in self.gone]
        return out


def preview_roster_import(ws: Workspace, path: Path) -> RosterPreview:
    """Read the roster file and compare it with the workspace; writes nothing."""
    try:
        roster = read_roster_file(path)
    except RosterError as exc:
        raise WorkspaceError(str(exc)) from exc
    columns = tuple(c for c in OPTIONAL_COLUMNS if c in roster.columns)
    stored = {u.code: u for u in list_units(ws, active_only=False)}
    new: list[RosterUnit] = []
    changed: list[UnitChange] = []
    unchanged = 0
    for unit in roster.units:
        have = stored.get(unit.code)
        if have is None:
            new.append(unit)
            continue
        diffs = [FieldChange(f, getattr(have, f), getattr(unit, f)) for f in ("name", *columns)
                 if getattr(have, f) != getattr(unit, f)]  # fmt: skip
        if not have.active:
            diffs.append(FieldChange("active", state_label(have), ACTIVE_LABEL))
        if diffs:
            changed.append(UnitChange(unit.code, unit.name, tuple(diffs)))
        else:
            unchanged += 1
    listed = {u.code for u in roster.units}
    gone = tuple(u for u in stored.values() if u.active and u.code not in listed)
    return RosterPreview(path.name, tuple(roster.units), columns, tuple(new), tuple(changed), gone, unchanged,
                         tuple(n.message for n in roster.notes))  # fmt: skip


def apply_preview(ws: Workspace, preview: RosterPreview, *, deactivate: Iterable[str] = (),
                  left_on: date | None = None, who: str | None = None) -> tuple[int, int, int]:  # fmt: skip
    """Write the preview: add the new units, update the changed ones (a unit that had left comes back),
    and deactivate the gone units named in ``deactivate`` as of ``left_on`` (default today).

    One transaction; one audit entry for the import and one per unit deactivated. Returns (added,
    updated, deactivated).
    """
    gone = {u.code for u in preview.gone}
    chosen = list(dict.fromkeys(deactivate))
    stray = [c for c in chosen if c not in gone]
    if stray:
        raise WorkspaceError(f"Chỉ cho thôi được đơn vị không còn trong tệp; {', '.join(stray)} vẫn có trong tệp "
                             f"{preview.file} hoặc đã thôi.")  # fmt: skip
    by_code = {u.code: u for u in preview.units}
    day = (left_on or date.today()).isoformat()
    with ws.transaction() as conn:
        for unit in preview.new:
            fields = ("name", *preview.columns)
            conn.execute(f"INSERT INTO units(code, {', '.join(fields)}) VALUES (?{', ?' * len(fields)})",
                         (unit.code, *(getattr(unit, f) for f in fields)))  # fmt: skip
        for change in preview.changed:
            unit = by_code[change.code]
            sets = [f"{c.field} = ?" for c in change.changes if c.field != "active"]
            values: list[object] = [getattr(unit, c.field) for c in change.changes if c.field != "active"]
            if any(c.field == "active" for c in change.changes):
                sets += ["active = 1", "left_on = NULL", "merged_into = ''"]
            conn.execute(f"UPDATE units SET {', '.join(sets)} WHERE code = ?", (*values, change.code))
        for code in chosen:
            conn.execute("UPDATE units SET active = 0, left_on = ? WHERE code = ?", (day, code))
            ws.audit("deactivate-unit", {"unit": code, "left_on": day, "merged_into": "",
                                         "reason": f"không còn trong tệp {preview.file}"}, who)  # fmt: skip
        ws.audit("import-roster", {"file": preview.file, "units": len(preview.units), "added": len(preview.new),
                                   "updated": len(preview.changed), "deactivated": chosen,
                                   "columns": list(preview.columns),
                                   "changes": [[c.code, [[f.field, f.old, f.new] for f in c.changes]]
                                               for c in preview.changed]}, who)  # fmt: skip
    return len(preview.new), len(preview.changed), len(chosen)


__all__ = ["RosterPreview", "UnitChange", "apply_preview", "preview_roster_import"]
