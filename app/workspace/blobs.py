"""Originals by content: one pair of functions for where received bytes live (issue 22, DESIGN §13).

A SQLite workspace keeps each original as ``received/<sha256>.<ext>`` in its folder (the folder is
what travels). A shared workspace keeps them in the database, in ``blobs`` (sha256 → bytes, each
content once), so no shared network folder is needed; its local folder only caches copies that a
reader (openpyxl, a PDF check, the readable names of ``originals.py``) wants as a file. Every
writer of an original calls ``put_blob``; every reader asks ``local_copy`` for the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.atomic import write_atomic

if TYPE_CHECKING:
    from .store import Workspace


def put_blob(ws: Workspace, sha256: str, data: bytes) -> None:
    """Keep ``data`` under its hash in a shared workspace (once: the same content again is a no-op)."""
    if ws.dialect != "postgresql":
        return  # the file written into received/ is the store
    ws.conn.execute("INSERT INTO blobs(sha256, size, data) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                    (sha256, len(data), data))  # fmt: skip


def get_blob(ws: Workspace, sha256: str) -> bytes | None:
    """The bytes kept under ``sha256`` in a shared workspace; ``None`` when there are none (or SQLite)."""
    if ws.dialect != "postgresql":
        return None
    row = ws.conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
    return None if row is None else bytes(row[0])


def local_copy(ws: Workspace, relative: str | Path, sha256: str) -> Path:
    """The original as a file: ``<folder>/<relative>``, fetched from the database first in a shared workspace."""
    target = ws.folder / relative
    if ws.dialect == "postgresql" and not target.is_file():
        data = get_blob(ws, sha256)
        if data is not None:
            write_atomic(target, data, mode=0o444)
    return target
