"""The roster in the workspace: units imported from the office's own list, kept across periods.

Why a table rather than re-reading the roster file each time: the roster changes over the years
(units merge, rename, change e-mail) while old periods must still show who was who, so the
workspace keeps its own copy and an import only adds or updates, never deletes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.workbook.roster import OPTIONAL_COLUMNS, RosterError, RosterUnit, read_roster_file

from .store import Workspace, WorkspaceError


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str
    kind: str
    email: str
    contact: str
    active: bool
    phone: str = ""
    left_on: str = ""  # "YYYY-MM-DD": the day a dissolved or merged unit left ("" never; see roster_edit)
    merged_into: str = ""  # the unit that took it over, when the office said so


@dataclass(frozen=True, slots=True)
class RosterImport:
    """What one roster import did: units added and updated, units in the file, optional columns it had."""

    added: int
    updated: int
    units: int
    columns: tuple[str, ...]  # of OPTIONAL_COLUMNS ("kind", "email", "contact", "phone"), in that order
    #: cells typed in the old TCVN3/VNI fonts and converted to Unicode, one Vietnamese line each
    converted: tuple[str, ...] = ()


def import_roster(ws: Workspace, path: Path) -> tuple[int, int]:
    """Add the roster's new units and update the changed ones; returns (added, updated).

    See ``import_roster_file``.
    """
    result = import_roster_file(ws, path)
    return result.added, result.updated


def import_roster_file(ws: Workspace, path: Path) -> RosterImport:
    """Add the roster's new units and update the changed ones.

    Importing the same file twice changes nothing (0 added, 0 updated). Units absent from the file
    are kept: a shorter roster must not erase a unit's history. A column the file does not have
    (kind, e-mail, contact, phone) keeps what the workspace holds; a column it has is taken as
    written, an empty cell included.
    """
    try:
        roster = read_roster_file(path)
    except RosterError as exc:
        raise WorkspaceError(str(exc)) from exc
    columns = tuple(c for c in OPTIONAL_COLUMNS if c in roster.columns)
    fields = ("name", *columns)
    added = updated = 0
    with ws.transaction() as conn:
        for unit in roster.units:
            given = {f: getattr(unit, f) for f in fields}
            row = conn.execute("SELECT * FROM units WHERE code = ?", (unit.code,)).fetchone()
            if row is None:
                conn.execute(f"INSERT INTO units(code, {', '.join(fields)}) VALUES (?{', ?' * len(fields)})",
                             (unit.code, *given.values()))  # fmt: skip
                added += 1
            elif any(row[f] != v for f, v in given.items()) or row["active"] != 1:
                conn.execute(f"UPDATE units SET {', '.join(f'{f} = ?' for f in fields)}, active = 1 WHERE code = ?",
                             (*given.values(), unit.code))  # fmt: skip
                updated += 1
        ws.audit("import-roster", {"file": path.name, "units": len(roster.units), "added": added, "updated": updated,
                                   "columns": list(columns)})  # fmt: skip
    return RosterImport(added, updated, len(roster.units), columns, tuple(n.message for n in roster.notes))


def list_units(ws: Workspace, *, active_only: bool = True) -> list[Unit]:
    sql = "SELECT * FROM units" + (" WHERE active = 1" if active_only else "") + " ORDER BY code"
    return [unit_of_row(r) for r in ws.conn.execute(sql)]


def unit_of_row(r: sqlite3.Row) -> Unit:
    """A ``units`` row as a ``Unit``."""
    keys = r.keys()
    return Unit(r["code"], r["name"], r["kind"], r["email"], r["contact"], bool(r["active"]), r["phone"],
                str(r["left_on"] or "") if "left_on" in keys else "",
                str(r["merged_into"] or "") if "merged_into" in keys else "")  # fmt: skip


def roster_units(ws: Workspace, period: str | None = None) -> list[RosterUnit]:
    """The active units (with ``period``: the units of that period, ``roster_edit.units_in_period``)
    as the reader's identification expects them."""
    if period is not None:
        from .roster_edit import units_in_period

        units = units_in_period(ws, period)
    else:
        units = list_units(ws)
    return [RosterUnit(u.code, u.name, u.email, u.kind, u.contact, u.phone) for u in units]
