"""The workspace: one folder the office keeps for years, holding a SQLite database and the files.

Why one folder: staff copy, back up and hand over "the DTI folder"; everything a quarter's ranking
depends on (roster, periods, every file received, every appraisal with who/when/why) must travel
with it so that the ranking can be reproduced and defended later (SPEC §2, §8).

Layout::

    <folder>/dtidesk.sqlite   the database (its presence marks the folder as a workspace)
    <folder>/templates/       generated workbooks
    <folder>/received/        originals, copied unchanged, named <sha256>.<ext>, read-only
    <folder>/received/<period>/<unit code> - <unit name>/<date> <file name>
                              the same originals under names a person finds (originals.py)
    <folder>/feedback/        feedback workbooks
    <folder>/reports/         exported reports

The database runs in WAL mode with ``synchronous=NORMAL``: a killed process loses at most the
transaction it was in, never the file's integrity. The schema is versioned with
``PRAGMA user_version``; ``MIGRATIONS`` is an ordered list and opening an older database runs
the missing steps inside one transaction, so a failed upgrade leaves the old database as it was.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

MARKER = "dtidesk.sqlite"
SUBFOLDERS = ("templates", "received", "feedback", "reports")
SUBMISSION_STATUSES = ("active", "superseded", "rejected", "not-counted")


class WorkspaceError(Exception):
    """Something the user asked of the workspace cannot be done; the message is Vietnamese and says why."""


# --- schema ---------------------------------------------------------------------------------------


def _v1(conn: sqlite3.Connection) -> None:
    """The first schema: roster, periods, files, submissions with their values and issues,
    rejected files, appraisals and the audit log."""
    statements = [
        """CREATE TABLE units (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)))""",
        """CREATE TABLE periods (
            code TEXT PRIMARY KEY,
            framework_id TEXT NOT NULL,
            deadline DATE NOT NULL,
            label TEXT NOT NULL)""",
        """CREATE TABLE files (
            sha256 TEXT PRIMARY KEY,
            original_name TEXT NOT NULL,
            size INTEGER NOT NULL,
            kind TEXT NOT NULL,
            stored_path TEXT NOT NULL)""",
        """CREATE TABLE submissions (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL REFERENCES periods(code),
            unit_code TEXT,
            file_sha256 TEXT NOT NULL REFERENCES files(sha256),
            file_name TEXT NOT NULL,
            received_at TEXT NOT NULL,
            identified_by TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('active', 'superseded', 'rejected', 'not-counted')),
            framework_version TEXT NOT NULL DEFAULT '',
            UNIQUE (period, file_sha256))""",
        "CREATE INDEX submissions_unit ON submissions(period, unit_code)",
        """CREATE TABLE submission_values (
            submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
            indicator TEXT NOT NULL,
            input TEXT NOT NULL,
            value_json TEXT NOT NULL,
            PRIMARY KEY (submission_id, indicator, input))""",
        """CREATE TABLE issues (
            submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            severity TEXT NOT NULL,
            sheet TEXT NOT NULL DEFAULT '',
            cell TEXT NOT NULL DEFAULT '',
            indicator TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL DEFAULT '',
            value TEXT NOT NULL DEFAULT '',
            message TEXT NOT NULL)""",
        "CREATE INDEX issues_submission ON issues(submission_id)",
        """CREATE TABLE rejected (
            period TEXT NOT NULL REFERENCES periods(code),
            sha256 TEXT NOT NULL,
            original_name TEXT NOT NULL,
            code TEXT NOT NULL,
            message TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (period, sha256))""",
        """CREATE TABLE appraisals (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL REFERENCES periods(code),
            unit_code TEXT NOT NULL,
            indicator TEXT NOT NULL,
            input TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('value', 'score')),
            old_json TEXT,
            new_json TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            who TEXT NOT NULL,
            at TEXT NOT NULL)""",
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            action TEXT NOT NULL,
            details_json TEXT NOT NULL)""",
    ]
    for sql in statements:
        conn.execute(sql)


def _v2(conn: sqlite3.Connection) -> None:
    """The unit's phone number, read from the roster's "Điện thoại" column."""
    conn.execute("ALTER TABLE units ADD COLUMN phone TEXT NOT NULL DEFAULT ''")


#: ordered schema steps; ``MIGRATIONS[i]`` brings a database from version i to version i + 1
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2]


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to the current schema in one transaction; returns the version reached.

    ``PRAGMA user_version`` is written inside the same transaction, so either every step and the
    new version land together or nothing does.
    """
    target = len(MIGRATIONS)
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = schema_version(conn)
        if current > target:
            raise WorkspaceError(
                f"Cơ sở dữ liệu có phiên bản cấu trúc {current}, mới hơn phiên bản {target} mà chương trình "
                "này hiểu. Hãy cập nhật DTI Desk lên phiên bản mới hơn.")  # fmt: skip
        for step in MIGRATIONS[current:]:
            step(conn)
        conn.execute(f"PRAGMA user_version = {target:d}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return target


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit, see ``Workspace.transaction``)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


# --- values as JSON -------------------------------------------------------------------------------


def dump_value(value: Any) -> str:
    """A figure as JSON that reads back as the very same Python value.

    The reader hands on ``int``, ``Decimal`` (typed as text: never turned into a binary float),
    ``float`` from number cells, ``str``, ``bool`` and dates; the engine scores each exactly, so
    the store must not blur ``Decimal("0.85")`` into ``0.85`` or a date into a string.
    """
    return json.dumps(_tag(value), ensure_ascii=False, sort_keys=True)


def load_value(text: str | None) -> Any:
    return None if text is None else _untag(json.loads(text))


def _tag(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, Fraction):
        return {"fraction": str(value)}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    raise TypeError(f"cannot store a value of type {type(value).__name__}: {value!r}")


def _untag(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    ((tag, text),) = raw.items()
    readers: dict[str, Callable[[str], Any]] = {
        "float": float, "decimal": Decimal, "fraction": Fraction,
        "datetime": datetime.fromisoformat, "date": date.fromisoformat}  # fmt: skip
    return readers[tag](text)


# --- the workspace --------------------------------------------------------------------------------


def current_user() -> str:
    """The OS account name (on Windows, the logged-on user): who made a change, for the audit log."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account, a container): still record something
        return os.environ.get("USERNAME") or os.environ.get("USER") or "không rõ"


def now_text() -> str:
    return datetime.now().replace(microsecond=0).isoformat(sep=" ")


def find(start: Path) -> Path | None:
    """The workspace folder containing ``start`` (itself or the nearest parent holding the marker)."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    return None


class Workspace:
    """An open workspace: its folder and one database connection."""

    def __init__(self, folder: Path, conn: sqlite3.Connection) -> None:
        self.folder = folder
        self.conn = conn

    # where things live
    @property
    def database(self) -> Path:
        return self.folder / MARKER

    @property
    def templates(self) -> Path:
        return self.folder / "templates"

    @property
    def received(self) -> Path:
        return self.folder / "received"

    @property
    def feedback(self) -> Path:
        return self.folder / "feedback"

    @property
    def reports(self) -> Path:
        return self.folder / "reports"

    @classmethod
    def create(cls, folder: Path) -> Workspace:
        """Make ``folder`` (new or an existing folder without a workspace) a workspace."""
        folder = folder.resolve()
        if (folder / MARKER).exists():
            raise WorkspaceError(f"Thư mục {folder} đã là một thư mục làm việc của DTI Desk; hãy mở nó thay vì tạo mới.")
        if folder.exists() and not folder.is_dir():
            raise WorkspaceError(f"{folder} là một tệp, không phải thư mục.")
        folder.mkdir(parents=True, exist_ok=True)
        for sub in SUBFOLDERS:
            (folder / sub).mkdir(exist_ok=True)
        conn = connect(folder / MARKER)
        migrate(conn)
        ws = cls(folder, conn)
        with ws.transaction():
            ws.audit("init", {"folder": str(folder)})
        return ws

    @classmethod
    def open(cls, folder: Path) -> Workspace:
        """Open an existing workspace, upgrading an older database in place."""
        folder = folder.resolve()
        if not (folder / MARKER).is_file():
            raise WorkspaceError(
                f"Thư mục {folder} không phải thư mục làm việc của DTI Desk (không có tệp {MARKER}). "
                "Hãy tạo bằng lệnh “dtidesk init THƯ_MỤC” hoặc chỉ đúng thư mục bằng --workspace.")  # fmt: skip
        try:
            conn = connect(folder / MARKER)
            migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"Không mở được cơ sở dữ liệu {folder / MARKER}: {exc}.") from exc
        for sub in SUBFOLDERS:
            (folder / sub).mkdir(exist_ok=True)
        return cls(folder, conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing unit of work (``BEGIN IMMEDIATE`` so writers queue instead of failing late)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def audit(self, action: str, details: dict[str, Any], who: str | None = None) -> None:
        """Record an action; call inside the transaction that makes the change, so both land or neither."""
        self.conn.execute("INSERT INTO audit(at, who, action, details_json) VALUES (?, ?, ?, ?)",
                          (now_text(), who or current_user(), action,
                           json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)))  # fmt: skip

    def integrity(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])
