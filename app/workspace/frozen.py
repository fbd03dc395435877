"""What a period keeps of its own so that nothing outside the workspace can change it (issue 20 point 5).

Why: a custom framework edited on disk re-scored a past period (26,39 → 27,50), and moving the file
broke the period; a roster rename changed the names and the tie order of a published ranking. So:

- when a period is made, its framework file — and the files it takes indicators from
  (``indicators_from``) — are copied into the workspace: their text and SHA-256 in the database
  (what is scored, checked against the hash on every load) and a readable copy under
  ``<workspace>/frameworks/<period>/``. The path it came from is kept for the record only;
- when a period is published, the roster as it stands is copied (``period_roster``); a published
  period reads its units' names from that copy.

Periods made before this existed have no copy: they are read from the framework id as before,
until they are advanced or published, which copies the framework then.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from app.framework import FrameworkError, check_text, find
from app.framework.registry import builtin_dir, builtin_files
from scoring.model import Framework

from .store import Workspace, WorkspaceDamaged, WorkspaceError, damaged_message
from .units import Unit

#: the folder (inside a workspace) holding each period's framework copies, one subfolder per period
FRAMEWORKS = "frameworks"

_cache: dict[tuple[str, ...], Framework] = {}


def _source_file(framework_id: str) -> Path:
    """The file a framework id or path names (built-in id first, as ``app.framework.find`` does)."""
    files = builtin_files()
    if framework_id in files:
        return files[framework_id]
    return Path(framework_id)


def _chain(path: Path) -> list[tuple[str, Path]]:
    """(id, file) of the framework at ``path`` and of every file it takes indicators from, main first.

    ``indicators_from: X`` is resolved as the loader does: ``X.yaml`` beside the file, else the built-in X.
    """
    out: list[tuple[str, Path]] = []
    seen: set[Path] = set()
    current: Path | None = path
    key = ""
    while current is not None and current.resolve() not in seen:
        seen.add(current.resolve())
        text = current.read_text(encoding="utf-8-sig")
        own, base = _ids(text)
        out.append((key or own or current.stem, current))
        if not base:
            break
        sibling = current.parent / f"{base}.yaml"
        if sibling.is_file() and sibling.parent.resolve() != builtin_dir().resolve():
            current = sibling
        else:
            current = builtin_files().get(base)
        key = base
    return out


def _ids(text: str) -> tuple[str, str]:
    """The ``id`` and the ``indicators_from`` id of a framework text ('' when absent), read without resolving."""
    from app.framework.yamlsource import parse_yaml

    data = parse_yaml(text).data
    if not isinstance(data, dict):
        return "", ""
    return tuple(str(data.get(k) or "").strip() for k in ("id", "indicators_from"))  # type: ignore[return-value]


def copy_framework(ws: Workspace, conn: sqlite3.Connection, period: str, framework_id: str) -> None:
    """Copy the period's framework file(s) into the workspace; call inside the transaction making the period."""
    source = _source_file(framework_id)
    try:
        chain = _chain(source)
        texts = [(ident, file, file.read_bytes()) for ident, file in chain]
    except OSError as exc:
        raise WorkspaceError(f"Không đọc được tệp bộ chỉ số {source}: {exc.strerror or exc}. Hãy kiểm tra đường "
                             "dẫn rồi thêm kỳ lại.") from exc  # fmt: skip
    folder = ws.folder / FRAMEWORKS / period
    for n, (ident, file, raw) in enumerate(texts):
        text = raw.decode("utf-8-sig")
        conn.execute(
            "INSERT INTO period_framework_files(period, framework_id, main, file_name, source, sha256, text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (period, framework_id) DO UPDATE SET main = excluded.main, "
            "file_name = excluded.file_name, source = excluded.source, sha256 = excluded.sha256, text = excluded.text",
            (period, ident, int(n == 0), file.name, str(file), hashlib.sha256(text.encode()).hexdigest(), text))  # fmt: skip
        try:  # the readable copy: for people and backups; what is scored is the text in the database
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{ident}.yaml").write_text(text, encoding="utf-8")
        except OSError:
            pass


def has_copy(ws: Workspace, period: str) -> bool:
    return (
        ws.conn.execute("SELECT 1 FROM period_framework_files WHERE period = ? AND main = 1", (period,)).fetchone()
        is not None
    )


def copied_framework(ws: Workspace, period: str) -> Framework | None:
    """The framework the period was made with, from its copy (None for a period made before copies existed)."""
    rows = ws.conn.execute("SELECT framework_id, main, sha256, text FROM period_framework_files WHERE period = ? "
                           "ORDER BY main DESC, framework_id", (period,)).fetchall()  # fmt: skip
    if not rows:
        return None
    for r in rows:
        if hashlib.sha256(r["text"].encode()).hexdigest() != r["sha256"]:
            raise WorkspaceDamaged(damaged_message(ws.database, f"bản sao bộ chỉ số {r['framework_id']} của kỳ "
                                                                f"{period} không còn khớp mã băm"))  # fmt: skip
    key = tuple(r["sha256"] for r in rows)
    if key in _cache:
        return _cache[key]
    texts = {r["framework_id"]: r["text"] for r in rows}

    def resolve(framework_id: str) -> Framework | None:
        if framework_id not in texts:
            return None
        fw, _ = check_text(texts[framework_id], f"{period}/{framework_id}.yaml", resolve)
        return fw

    fw, problems = check_text(rows[0]["text"], f"{FRAMEWORKS}/{period}/{rows[0]['framework_id']}.yaml", resolve)
    if fw is None:
        raise FrameworkError(f"{FRAMEWORKS}/{period}", problems)
    _cache[key] = fw
    return fw


def framework_for(ws: Workspace, period: str, framework_id: str) -> Framework:
    """The period's framework: its copy, else (a period made before copies) the id or path it names."""
    fw = copied_framework(ws, period)
    if fw is not None:
        return fw
    return find(framework_id)


def ensure_copy(ws: Workspace, period: str, framework_id: str) -> None:
    """Copy the framework of a period made before copies existed (call inside a transaction)."""
    if not has_copy(ws, period):
        copy_framework(ws, ws.conn, period, framework_id)


def freeze_roster(ws: Workspace, period: str) -> None:
    """Keep the roster as it stands for a period being published (call inside a transaction)."""
    ws.conn.execute("DELETE FROM period_roster WHERE period = ?", (period,))
    # a unit that left after the period was due (or that counted in it) was part of it (roster_edit)
    ws.conn.execute("INSERT INTO period_roster(period, code, name, kind, email, contact, phone, active) "
                    "SELECT ?, code, name, kind, email, contact, phone, CASE WHEN active = 1 OR left_on >= "
                    "(SELECT deadline FROM periods WHERE code = ?) OR EXISTS (SELECT 1 FROM submissions s WHERE "
                    "s.period = ? AND s.unit_code = units.code AND s.status = 'active') THEN 1 ELSE 0 END FROM units",
                    (period, period, period))  # fmt: skip


def frozen_units(ws: Workspace, period: str, *, active_only: bool = True) -> list[Unit] | None:
    """The roster kept when the period was published, or None when it is not kept (not published)."""
    if (
        ws.conn.execute("SELECT 1 FROM period_rounds WHERE period = ? AND state = 'published'", (period,)).fetchone()
        is None
    ):
        return None
    sql = "SELECT * FROM period_roster WHERE period = ?" + (" AND active = 1" if active_only else "") + " ORDER BY code"
    return [Unit(r["code"], r["name"], r["kind"], r["email"], r["contact"], bool(r["active"]), r["phone"])
            for r in ws.conn.execute(sql, (period,))]  # fmt: skip
