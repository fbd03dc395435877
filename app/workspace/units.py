"""The roster in the workspace: units imported from the office's own list, kept across periods.

Why a table rather than re-reading the roster file each time: the roster changes over the years
(units merge, rename, change e-mail) while old periods must still show who was who, so the
workspace keeps its own copy and an import only adds or updates, never deletes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.workbook.roster import RosterError, RosterUnit, read_roster

from .store import Workspace, WorkspaceError


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str
    kind: str
    email: str
    contact: str
    active: bool


def import_roster(ws: Workspace, path: Path) -> tuple[int, int]:
    """Add the roster's new units and update the changed ones; returns (added, updated).

    Importing the same file twice changes nothing (0, 0). Units absent from the file are kept:
    a shorter roster must not erase a unit's history. Kind and contact, which the roster file does
    not carry, are kept as they were.
    """
    try:
        roster = read_roster(path)
    except RosterError as exc:
        raise WorkspaceError(str(exc)) from exc
    added = updated = 0
    with ws.transaction() as conn:
        for unit in roster:
            row = conn.execute("SELECT name, email, active FROM units WHERE code = ?", (unit.code,)).fetchone()
            if row is None:
                conn.execute("INSERT INTO units(code, name, email) VALUES (?, ?, ?)", (unit.code, unit.name, unit.email))
                added += 1
            elif (row["name"], row["email"], row["active"]) != (unit.name, unit.email, 1):
                conn.execute("UPDATE units SET name = ?, email = ?, active = 1 WHERE code = ?",
                             (unit.name, unit.email, unit.code))  # fmt: skip
                updated += 1
        ws.audit("import-roster", {"file": path.name, "units": len(roster), "added": added, "updated": updated})
    return added, updated


def list_units(ws: Workspace, *, active_only: bool = True) -> list[Unit]:
    sql = "SELECT * FROM units" + (" WHERE active = 1" if active_only else "") + " ORDER BY code"
    return [Unit(r["code"], r["name"], r["kind"], r["email"], r["contact"], bool(r["active"]))
            for r in ws.conn.execute(sql)]  # fmt: skip


def roster_units(ws: Workspace) -> list[RosterUnit]:
    """The active units as the reader's identification expects them."""
    return [RosterUnit(u.code, u.name, u.email) for u in list_units(ws)]
