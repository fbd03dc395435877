"""A shared workspace: the data in PostgreSQL, and on each PC a local folder for what it writes (DESIGN §13).

Why a local folder at all: feedback workbooks, templates, reports and mail drafts are files a clerk
opens, prints and attaches; they are outputs of this PC, not the office's records (those, and every
original received, are in the database). The folder is derived from the URL under the user's data
folder (``<data>/shared/<host>-<port>-<database>-<user>``) and holds a link file, ``PG_MARKER``, with
the URL *without* its password. So everything that names a workspace by its folder (the desktop's
recent list, background jobs that reopen it, ``find`` from the current folder) works for a shared
workspace unchanged, and no credential is ever written to disk.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .pg import PgConnection, connect, describe, is_url, remember_password, safe_url, url_password

if TYPE_CHECKING:
    from .store import Workspace

__all__ = ["attach", "create_shared", "is_url", "local_folder", "open_shared", "url_of"]


def local_folder(url: str) -> Path:
    """This PC's folder for a shared workspace: under the user's data folder, named after server and database."""
    from urllib.parse import unquote, urlsplit

    from app.logs import data_dir

    parts = urlsplit(safe_url(url))
    name = "-".join(p for p in (parts.hostname or "localhost", str(parts.port or 5432),
                                unquote(parts.path.lstrip("/")), unquote(parts.username or "")) if p)  # fmt: skip
    return data_dir() / "shared" / (re.sub(r"[^\w.-]+", "_", name).strip("._") or "workspace")


def attach(url: str, folder: Path | None = None) -> Path:
    """The local folder for ``url`` (or ``folder``), made if needed, with its link file (the URL without password)."""
    from app.atomic import write_atomic

    from .store import PG_MARKER

    remember_password(url)
    folder = (folder or local_folder(url)).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / PG_MARKER
    text = safe_url(url) + "\n"
    if not marker.is_file() or marker.read_text(encoding="utf-8") != text:
        write_atomic(marker, text.encode("utf-8"))
    return folder


def url_of(folder: Path) -> str:
    from .store import PG_MARKER

    return (folder / PG_MARKER).read_text(encoding="utf-8").strip()


def as_connection(conn: PgConnection) -> sqlite3.Connection:
    """A ``PgConnection`` where the modules expect a connection: it offers the part of ``sqlite3.Connection``
    they use (execute, executemany, rows by position and name, in_transaction), which is the seam's point."""
    return cast("sqlite3.Connection", conn)


def _subfolders(folder: Path) -> None:
    from .store import SUBFOLDERS

    for sub in SUBFOLDERS:
        (folder / sub).mkdir(parents=True, exist_ok=True)


def create_shared(cls: Any, url: str, folder: Path | None = None) -> Workspace:
    """A new shared workspace in the existing database ``url`` names; refused if that database already holds one.

    ``folder``: this PC's local folder for it (default ``local_folder(url)``); it gets the link file.
    """
    from .store import MARKER, PG_MARKER, WorkspaceError, migrate, table_names

    password = url_password(url)
    if folder is not None and (folder / MARKER).exists():
        raise WorkspaceError(f"Thư mục {folder} đã là một không gian làm việc SQLite; hãy chọn thư mục khác cho "
                             "không gian làm việc dùng chung.")  # fmt: skip
    folder = attach(url, folder)
    conn = as_connection(connect(url, folder / PG_MARKER, password=password))
    try:
        tables = table_names(conn)
        if "units" in tables:
            raise WorkspaceError(f"{describe(url)} đã là một không gian làm việc của DTI Desk; hãy mở nó "
                                 f"(--workspace {safe_url(url)}) thay vì tạo mới.")  # fmt: skip
        if tables:
            raise WorkspaceError(f"{describe(url)} đã có các bảng khác ({', '.join(sorted(tables)[:5])}); hãy dùng "
                                 "một cơ sở dữ liệu trống dành riêng cho DTI Desk.")  # fmt: skip
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    _subfolders(folder)
    ws: Workspace = cls(folder, conn)
    with ws.transaction():
        ws.audit("init", {"database": safe_url(url)})
    return ws


def open_shared(cls: Any, folder: Path) -> Workspace:
    """Open the shared workspace a local folder's link file names, upgrading its schema in place."""
    from .store import PG_MARKER, WorkspaceError, check_opened, migrate, table_names

    url = url_of(folder)
    conn = as_connection(connect(url, folder / PG_MARKER))
    try:
        if "units" not in table_names(conn):
            raise WorkspaceError(f"{describe(url)} chưa là không gian làm việc của DTI Desk. Hãy tạo bằng lệnh: "
                                 f"dtidesk init --database {url}")  # fmt: skip
        check_opened(conn, folder / PG_MARKER)
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    _subfolders(folder)
    ws: Workspace = cls(folder, conn)
    return ws
