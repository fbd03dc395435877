"""The workspace: one folder the office keeps for years, holding a SQLite database and the files.

Why one folder: staff copy, back up and hand over "the DTI folder"; everything a quarter's ranking
depends on (roster, periods, every file received, every appraisal with who/when/why) must travel
with it so that the ranking can be reproduced and defended later (DESIGN §2, §8).

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

A shared workspace keeps the same schema in PostgreSQL instead (DESIGN §13): ``pg.PgConnection`` stands
in for the SQLite connection, the folder is then this PC's local folder (with ``PG_MARKER``), and the
few places that differ ask ``dialect_of``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from app.errors import UserError

MARKER = "dtidesk.sqlite"
#: in a shared workspace's local folder: the PostgreSQL URL (never with a password) the folder stands for
PG_MARKER = "dtidesk-postgresql.txt"
SUBFOLDERS = ("templates", "received", "feedback", "reports")
SUBMISSION_STATUSES = ("active", "superseded", "rejected", "not-counted")


class WorkspaceError(UserError):
    """Something the user asked of the workspace cannot be done; the message is Vietnamese and says why.

    The command line exits 2 for it: the request (a period, a unit, a submission) was wrong."""

    exit_code = 2


class WorkspaceDamaged(WorkspaceError):
    """The database file is not a healthy DTI Desk database: nothing may be read from it as if it were,
    and nothing written to it. The message names the file and how to restore a backup."""

    exit_code = 1  # not a wrong request: the disk or the file is at fault


class WorkspaceReadOnly(WorkspaceError):
    """The workspace was opened for reading only (a read-only share, a folder without write permission)."""

    exit_code = 1  # not a wrong request: the disk or the file is at fault


class WorkspaceFull(WorkspaceError):
    """The disk holding the workspace is full; the change was not made."""

    exit_code = 1  # not a wrong request: the disk or the file is at fault


class WorkspaceBusy(WorkspaceError):
    """Another person or program kept the workspace busy longer than we wait."""

    exit_code = 1  # not a wrong request: the disk or the file is at fault


class PasswordNeeded(WorkspaceError):
    """A shared workspace's server asks for a password none was given for (no ``PGPASSWORD``, no
    ``.pgpass`` line, none typed): a front end may ask the user for it and try again (pg.py)."""

    exit_code = 1


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


def _v3(conn: sqlite3.Connection) -> None:
    """The unit a rejected file was sent for (its metadata, title line or name), so ``status`` shows it there."""
    conn.execute("ALTER TABLE rejected ADD COLUMN unit_code TEXT NOT NULL DEFAULT ''")


def _v4(conn: sqlite3.Connection) -> None:
    """A seal on what scores are computed from: each submission's stored figures and each appraisal.

    SQLite's own checks find a damaged page, but not a changed byte inside a value that still reads
    as a value ("12" become "19"): such a database ranks the units differently without a word. The
    seal is a SHA-256 of the row's content written with it; the loaders that feed the ranking
    recompute it and refuse a mismatch. Rows already stored are sealed here, as they stand.
    """
    conn.execute("ALTER TABLE submissions ADD COLUMN seal TEXT")
    conn.execute("ALTER TABLE appraisals ADD COLUMN seal TEXT")
    rows: dict[int, list[tuple[str, str, str]]] = {}
    for sid, indicator, name, value in conn.execute(
            "SELECT submission_id, indicator, input, value_json FROM submission_values"):  # fmt: skip
        rows.setdefault(int(sid), []).append((indicator, name, value))
    for (sid,) in conn.execute("SELECT id FROM submissions").fetchall():
        conn.execute("UPDATE submissions SET seal = ? WHERE id = ?", (values_seal(rows.get(int(sid), [])), sid))
    for row in conn.execute(f"SELECT {APPRAISAL_SEALED_V4} FROM appraisals").fetchall():
        conn.execute("UPDATE appraisals SET seal = ? WHERE id = ?", (appraisal_seal(tuple(row)), row[0]))


def _v5_department(conn: sqlite3.Connection) -> None:
    """The department's own self-assessment (issue 19): a period holds a second framework.

    ``period_frameworks`` says which other framework a period also holds and in which role (the
    units answer the period's own framework; the department answers ``hcm-dti-so-2023``).
    ``department_overrides`` keeps the office's replacement of a derived figure with its reason
    (history in the audit log); ``department_submissions`` the department's filled workbook
    as received, its figures and the engine's scores.
    """
    conn.execute("""CREATE TABLE IF NOT EXISTS period_frameworks (
        period TEXT NOT NULL, framework_id TEXT NOT NULL, role TEXT NOT NULL,
        PRIMARY KEY (period, framework_id))""")
    conn.execute("""CREATE TABLE IF NOT EXISTS department_overrides (
        period TEXT NOT NULL, target TEXT NOT NULL, value_json TEXT NOT NULL,
        derived_json TEXT NOT NULL, reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        who TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (period, target))""")
    conn.execute("""CREATE TABLE IF NOT EXISTS department_submissions (
        id INTEGER PRIMARY KEY AUTOINCREMENT, period TEXT NOT NULL, framework_id TEXT NOT NULL,
        file_name TEXT NOT NULL, file_sha256 TEXT NOT NULL, stored_path TEXT NOT NULL,
        received_at TEXT NOT NULL, values_json TEXT NOT NULL, total_cents INTEGER NOT NULL,
        groups_json TEXT NOT NULL, errors INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'superseded')))""")


def _v6_mail(conn: sqlite3.Connection) -> None:
    """E-mail in and out (issue 18): the e-mails workbooks came in, and the office's mail settings.

    ``mails`` keeps one row per e-mail received for a period (``key``: its Message-ID, else its
    bytes' hash, so the same e-mail dropped twice counts once), with its sender, subject, sent time
    (Vietnam time) and where its original bytes are kept. A submission names the e-mail it came in
    (``mail_sha256``) and where its received time came from (``received_from``: the e-mail's date,
    the file's time, or set by hand). ``settings`` holds the office's sender name, address and
    signature for the drafts it writes to units.

    Each step checks before it adds, so the step can be renumbered among other migrations (and run on
    a database that already has part of it) without failing.
    """
    conn.execute(
        """CREATE TABLE IF NOT EXISTS mails (
            period TEXT NOT NULL REFERENCES periods(code),
            key TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            message_id TEXT NOT NULL DEFAULT '',
            original_name TEXT NOT NULL,
            stored_path TEXT NOT NULL,
            sent_at TEXT,
            sent_from TEXT NOT NULL DEFAULT '',
            sender TEXT NOT NULL DEFAULT '',
            sender_name TEXT NOT NULL DEFAULT '',
            subject TEXT NOT NULL DEFAULT '',
            workbooks INTEGER NOT NULL DEFAULT 0,
            others_json TEXT NOT NULL DEFAULT '[]',
            received_at TEXT NOT NULL,
            PRIMARY KEY (period, key))""")  # fmt: skip
    conn.execute("CREATE INDEX IF NOT EXISTS mails_sha ON mails(period, sha256)")
    columns = table_columns(conn, "submissions")
    if "mail_sha256" not in columns:
        conn.execute("ALTER TABLE submissions ADD COLUMN mail_sha256 TEXT")
    if "received_from" not in columns:
        conn.execute("ALTER TABLE submissions ADD COLUMN received_from TEXT NOT NULL DEFAULT 'file'")
    conn.execute("CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _v7_evidence(conn: sqlite3.Connection) -> None:
    """Evidence documents stored with a submission, and the evidence cells they are checked against.

    ``evidence_citations``: each evidence cell with text of a submission, as read at ingest (the
    checks run again whenever a document arrives later, by e-mail, without re-reading the file).
    ``evidence_files``: each PDF/Word document sent with a submission, stored content-addressed
    in ``received/`` like the workbooks (``source``: "thư mục" beside the workbook, "thư điện tử"
    attached to the e-mail). The checks' findings are rows of ``issues`` (codes ``evidence-…``).
    """
    conn.execute("""CREATE TABLE IF NOT EXISTS evidence_citations (
        submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
        indicator TEXT NOT NULL,
        name TEXT NOT NULL,
        sheet TEXT NOT NULL DEFAULT '',
        cell TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL)""")
    conn.execute("CREATE INDEX IF NOT EXISTS evidence_citations_submission ON evidence_citations(submission_id)")
    conn.execute("""CREATE TABLE IF NOT EXISTS evidence_files (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
        sha256 TEXT NOT NULL,
        original_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        size INTEGER NOT NULL,
        stored_path TEXT NOT NULL,
        received_at TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        UNIQUE (submission_id, sha256))""")


def _v8_rounds(conn: sqlite3.Connection) -> None:
    """Appraisal rounds, the units' explanations, withdrawals, and a quarter that stays closed (issue 20).

    - ``period_rounds``: the period's state (receiving → round-1 → explaining → round-2 →
      published), the explanations' own deadline, and at publishing the ranking as published.
      A period without a row is receiving (periods made before this step).
    - ``appraisals.round``: the round an appraisal belongs to (1 for those made before), now
      covered by the seal: which round a change counts in decides the final figures.
    - ``appraisal_withdrawals``: an appraisal taken back is a new sealed row, never an edit of
      the sealed appraisal.
    - ``period_framework_files``: the framework file(s) a period is scored by, copied with their hash
      when the period is made, so no path outside the workspace ever matters again.
    - ``period_roster``: the roster as it stood when the period was published.
    - ``held_submissions`` / ``held_rejected``: files received (or refused) while the period was
      published: stored, but not part of what the published period shows.
    - ``explanations`` / ``explanation_decisions``: the unit's giải trình per indicator and the
      second round's accept or reject, with a reason.
    """
    statements = [
        """CREATE TABLE period_rounds (
            period TEXT PRIMARY KEY REFERENCES periods(code),
            state TEXT NOT NULL CHECK (state IN ('receiving', 'round-1', 'explaining', 'round-2', 'published')),
            explain_deadline DATE,
            published_at TEXT,
            published_by TEXT,
            ranking_json TEXT)""",
        "ALTER TABLE appraisals ADD COLUMN round INTEGER NOT NULL DEFAULT 1 CHECK (round IN (1, 2))",
        """CREATE TABLE appraisal_withdrawals (
            id INTEGER PRIMARY KEY,
            appraisal_id INTEGER NOT NULL UNIQUE REFERENCES appraisals(id),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            who TEXT NOT NULL,
            at TEXT NOT NULL,
            seal TEXT)""",
        """CREATE TABLE period_framework_files (
            period TEXT NOT NULL REFERENCES periods(code),
            framework_id TEXT NOT NULL,
            main INTEGER NOT NULL CHECK (main IN (0, 1)),
            file_name TEXT NOT NULL,
            source TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (period, framework_id))""",
        """CREATE TABLE period_roster (
            period TEXT NOT NULL REFERENCES periods(code),
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (period, code))""",
        """CREATE TABLE held_submissions (
            submission_id INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
            eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)))""",
        """CREATE TABLE held_rejected (
            period TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            PRIMARY KEY (period, sha256))""",
        """CREATE TABLE explanations (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL REFERENCES periods(code),
            unit_code TEXT NOT NULL,
            indicator TEXT NOT NULL,
            explanation TEXT NOT NULL DEFAULT '',
            evidence TEXT NOT NULL DEFAULT '',
            file_name TEXT NOT NULL DEFAULT '',
            file_sha256 TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL)""",
        "CREATE INDEX explanations_unit ON explanations(period, unit_code)",
        """CREATE TABLE explanation_decisions (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL REFERENCES periods(code),
            unit_code TEXT NOT NULL,
            indicator TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            who TEXT NOT NULL,
            at TEXT NOT NULL,
            seal TEXT)""",
    ]
    for sql in statements:
        conn.execute(sql)
    # reseal the appraisals with their round; a row whose old seal no longer matched keeps it (and stays refused)
    for row in conn.execute(f"SELECT {APPRAISAL_SEALED}, seal FROM appraisals").fetchall():
        old = tuple(row)[:-1]
        if row[-1] is None or row[-1] == appraisal_seal(old[:-1]):
            conn.execute("UPDATE appraisals SET seal = ? WHERE id = ?", (appraisal_seal(old), row[0]))


def _v9_appraisal_versions(conn: sqlite3.Connection) -> None:
    """A version number per appraised indicator of a unit (issue 22: several people appraising at once).

    ``appraisal_versions`` counts the changes to (period, unit, indicator): each appraisal, each
    withdrawal and each round-2 verdict on the unit's explanation adds one. Whoever shows an indicator shows its version; a change made on what was
    shown passes that version back and is refused when someone else changed the indicator since
    (optimistic versioning: nothing is overwritten). No row means version 0. Existing appraisals and
    withdrawals are counted here, as they stand. Self-contained, so it can be renumbered.
    """
    conn.execute("""CREATE TABLE IF NOT EXISTS appraisal_versions (
        period TEXT NOT NULL REFERENCES periods(code),
        unit_code TEXT NOT NULL,
        indicator TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 0),
        PRIMARY KEY (period, unit_code, indicator))""")
    counts: dict[tuple[str, str, str], int] = {}
    for period, unit, indicator in conn.execute(
            "SELECT period, unit_code, indicator FROM appraisals ORDER BY id").fetchall():  # fmt: skip
        counts[(period, unit, indicator)] = counts.get((period, unit, indicator), 0) + 1
    for period, unit, indicator in conn.execute(
            "SELECT a.period, a.unit_code, a.indicator FROM appraisal_withdrawals w "
            "JOIN appraisals a ON a.id = w.appraisal_id ORDER BY w.id").fetchall():  # fmt: skip
        counts[(period, unit, indicator)] = counts.get((period, unit, indicator), 0) + 1
    for period, unit, indicator in conn.execute(
            "SELECT period, unit_code, indicator FROM explanation_decisions ORDER BY id").fetchall():  # fmt: skip
        counts[(period, unit, indicator)] = counts.get((period, unit, indicator), 0) + 1
    for (period, unit, indicator), n in sorted(counts.items()):
        conn.execute("INSERT INTO appraisal_versions(period, unit_code, indicator, version) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT (period, unit_code, indicator) DO NOTHING", (period, unit, indicator, n))  # fmt: skip


def _v10_roster_and_corrections(conn: sqlite3.Connection) -> None:
    """A unit that leaves, and a submission the office withdraws (issue 21; self-contained, renumberable).

    - ``units.left_on``: the day a dissolved or merged unit left the roster (NULL: never, or before
      this step). A unit stays expected in every period whose deadline is on or before that day,
      and leaves the periods due after it (``roster_edit.units_in_period``); ``units.merged_into``
      names the unit that took it over, when the office says so.
    - ``submission_withdrawals``: a submission the office took back (sent in error, a test file):
      it stops counting, the status it had is kept so that restoring it puts it back; the audit log
      keeps both moves.
    """
    for sql in (
        "ALTER TABLE units ADD COLUMN left_on DATE",
        "ALTER TABLE units ADD COLUMN merged_into TEXT NOT NULL DEFAULT ''",
        """CREATE TABLE submission_withdrawals (
            submission_id INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
            previous_status TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            who TEXT NOT NULL,
            at TEXT NOT NULL)""",
    ):
        conn.execute(sql)


#: ordered schema steps; ``MIGRATIONS[i]`` brings a database from version i to version i + 1
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1,
    _v2,
    _v3,
    _v4,
    _v5_department,
    _v6_mail,
    _v7_evidence,
    _v8_rounds,
    _v9_appraisal_versions,
    _v10_roster_and_corrections,
]

#: the columns of an appraisal the seal of schema version 4 covered, in order
APPRAISAL_SEALED_V4 = "id, period, unit_code, indicator, input, kind, old_json, new_json, reason, who, at"
#: the columns of an appraisal its seal covers, in order (the round decides where it counts)
APPRAISAL_SEALED = APPRAISAL_SEALED_V4 + ", round"


def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha256("\x1e".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def values_seal(rows: Iterable[tuple[str, str, str]]) -> str:
    """The seal of a submission's stored figures: (indicator, input, value JSON) rows, in any order."""
    return _digest("\x1f".join(row) for row in sorted(rows))


def appraisal_seal(row: tuple[Any, ...]) -> str:
    """The seal of one appraisal row (the ``APPRAISAL_SEALED`` columns, in that order)."""
    return _digest("" if v is None else str(v) for v in row)


def check_seal(ws: Workspace, stored: str | None, computed: str, what: str) -> None:
    """Refuse figures whose seal does not match: the database changed under them (``None``: sealed never)."""
    if stored is not None and stored != computed:
        raise WorkspaceDamaged(damaged_message(ws.database, f"{what} không còn khớp dấu kiểm khi lưu"))


def dialect_of(conn: Any) -> str:
    """ "sqlite" or "postgresql": the few places that must differ ask this (DESIGN §13)."""
    return str(getattr(conn, "dialect", "sqlite"))


def table_columns(conn: sqlite3.Connection, table: str) -> set[str]:
    """The column names of ``table`` (portable: ``PRAGMA table_info`` or ``information_schema``)."""
    if dialect_of(conn) == "postgresql":
        rows = conn.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                            "AND table_name = ?", (table,)).fetchall()  # fmt: skip
        return {str(r[0]) for r in rows}
    return {str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})")}


def table_names(conn: sqlite3.Connection) -> set[str]:
    """The tables of the workspace's database (portable)."""
    if dialect_of(conn) == "postgresql":
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    return {str(r[0]) for r in conn.execute(sql).fetchall()}


#: PostgreSQL has no ``PRAGMA user_version``: the version lives in a one-row table of its own
PG_VERSION_TABLE = "dtidesk_schema"


def schema_version(conn: sqlite3.Connection) -> int:
    if dialect_of(conn) == "postgresql":
        if PG_VERSION_TABLE not in table_names(conn):
            return 0
        row = conn.execute(f"SELECT max(version) FROM {PG_VERSION_TABLE}").fetchone()
        return int(row[0] or 0)
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _begin_migration(conn: sqlite3.Connection) -> None:
    """Open the migration's transaction: SQLite's write lock, or PostgreSQL's (DDL is transactional there too)."""
    if dialect_of(conn) == "postgresql":
        from .pg import WRITE_LOCK

        conn.execute("BEGIN")
        conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
        conn.execute(f"CREATE TABLE IF NOT EXISTS {PG_VERSION_TABLE} (version BIGINT NOT NULL)")
        # originals are kept in the database itself (blobs.py): no shared folder is needed
        conn.execute(
            "CREATE TABLE IF NOT EXISTS blobs (sha256 TEXT PRIMARY KEY, size BIGINT NOT NULL, data BYTEA NOT NULL)"
        )
    else:
        conn.execute("BEGIN IMMEDIATE")


def _set_schema_version(conn: sqlite3.Connection, target: int) -> None:
    if dialect_of(conn) == "postgresql":
        conn.execute(f"DELETE FROM {PG_VERSION_TABLE}")
        conn.execute(f"INSERT INTO {PG_VERSION_TABLE}(version) VALUES (?)", (target,))
    else:
        conn.execute(f"PRAGMA user_version = {target:d}")


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to the current schema in one transaction; returns the version reached.

    ``PRAGMA user_version`` is written inside the same transaction, so either every step and the
    new version land together or nothing does.
    """
    target = len(MIGRATIONS)
    if schema_version(conn) == target:  # nothing to do: no write lock, so a full disk or a
        return target  # read-only share still lets people read the workspace
    _begin_migration(conn)
    try:
        current = schema_version(conn)
        if current > target:
            raise WorkspaceError(
                f"Cơ sở dữ liệu có phiên bản cấu trúc {current}, mới hơn phiên bản {target} mà chương trình "
                "này hiểu. Hãy cập nhật DTI Desk lên phiên bản mới hơn.")  # fmt: skip
        for step in MIGRATIONS[current:]:
            step(conn)
        _set_schema_version(conn, target)
        conn.execute("COMMIT")
    except BaseException:
        _rollback_quietly(conn)
        raise
    return target


def _rollback_quietly(conn: sqlite3.Connection) -> None:
    """Undo the open transaction, if SQLite has not already undone it.

    On some errors (a full disk, an I/O error) SQLite rolls the transaction back itself; a second
    ROLLBACK would then fail with "cannot rollback - no transaction is active" and hide the error
    that matters, so it is only sent while a transaction is open, and its own failure is dropped.
    """
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except Exception:  # sqlite3's or psycopg's: the error that matters is the one being raised
            pass


# --- what SQLite says, in the user's words ----------------------------------------------------------

_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26
#: the folder (inside a workspace) where automatic and manual backups are kept
BACKUPS = "backups"


def damaged_message(database: Path, detail: str) -> str:
    """What to tell a user whose database is damaged: which file, that nothing was used, how to restore."""
    from .backup import list_backups  # the backups module builds on this one

    folder = database.parent
    backups = [b.path for b in list_backups(folder)]
    if backups:
        restore = (f"Hãy khôi phục bản sao lưu gần nhất vào một thư mục mới: dtidesk restore \"{backups[-1]}\" "
                   f"THƯ_MỤC_MỚI (các bản sao lưu tự động nằm trong {folder / BACKUPS}).")  # fmt: skip
    else:
        restore = (f"Thư mục này chưa có bản sao lưu ({folder / BACKUPS}); hãy chép nguyên thư mục {folder} "
                   "để bộ phận kỹ thuật xem, và khôi phục từ bản sao thư mục gần nhất của cơ quan.")  # fmt: skip
    return (f"Cơ sở dữ liệu của không gian làm việc bị hỏng: {database} ({detail}). Chương trình không đọc "
            f"và không ghi gì vào tệp này để khỏi làm sai kết quả. {restore}")  # fmt: skip


def explain_sqlite_error(exc: sqlite3.Error, database: Path) -> WorkspaceError | None:
    """The user-facing error for a failure that is the disk's or the file's, not the program's.

    ``None`` for anything else (a wrong query is a bug and must surface as one, with its traceback).
    """
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    folder = database.parent
    if "Could not decode to UTF-8" in str(exc):  # said by Python's sqlite3 when stored text is not text
        code = _SQLITE_CORRUPT
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return WorkspaceDamaged(damaged_message(database, str(exc)))
    if code == _SQLITE_FULL:
        return WorkspaceFull(full_disk_message(folder))
    if code == _SQLITE_READONLY:
        return WorkspaceReadOnly(read_only_message(folder))
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return WorkspaceBusy(
            f"Không gian làm việc {folder} đang bận: một người hoặc chương trình khác đang ghi vào đó. "
            "Chưa có thay đổi nào được ghi; hãy thử lại sau ít phút.")  # fmt: skip
    if code in (_SQLITE_CANTOPEN, _SQLITE_PERM):
        return WorkspaceError(
            f"Không mở được tệp cơ sở dữ liệu {database}: thư mục không cho phép ghi, tệp đã bị chuyển đi "
            "hoặc ổ mạng đã ngắt. Hãy kiểm tra quyền ghi của thư mục và đường dẫn, rồi thực hiện lại.")  # fmt: skip
    if code == _SQLITE_IOERR and _disk_nearly_full(folder):  # a write into the WAL or its index failed
        return WorkspaceFull(full_disk_message(folder))
    if code == _SQLITE_IOERR:
        return WorkspaceError(
            f"Lỗi đọc/ghi đĩa khi dùng {database} ({exc}). Chưa có thay đổi nào được ghi. Hãy kiểm tra ổ đĩa "
            "(hoặc kết nối ổ mạng) rồi chạy “dtidesk check-workspace” trước khi làm tiếp.")  # fmt: skip
    return None


def _disk_nearly_full(folder: Path) -> bool:
    """Whether an I/O error is most likely the disk being full (SQLite reports some ENOSPC as I/O errors)."""
    import shutil

    try:
        return shutil.disk_usage(folder).free < 2**20
    except OSError:
        return False


def full_disk_message(folder: Path, needed: int | None = None) -> str:
    """A full disk, named, with the free space and what to free."""
    import shutil

    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        free = None
    want = needed if needed is not None else 50 * 2**20
    have = f"còn trống {free / 2**20:.1f} MB" if free is not None else "không đọc được dung lượng trống"
    return (f"Ổ đĩa chứa {folder} đã đầy ({have}). Chưa có thay đổi nào được ghi. Hãy giải phóng ít nhất "
            f"{want / 2**20:.0f} MB trên ổ đĩa này rồi thực hiện lại; không gian làm việc vẫn nguyên vẹn.")  # fmt: skip


def read_only_message(folder: Path) -> str:
    return (f"Không gian làm việc {folder} chỉ mở được để xem (thư mục hoặc ổ mạng không cho phép ghi). "
            "Việc này cần ghi nên chưa được thực hiện. Hãy xin quyền ghi vào thư mục, hoặc chép thư mục sang "
            "máy mình rồi mở bản chép; các lệnh xem (status, rank, report --out ...) vẫn dùng được.")  # fmt: skip


class _Cursor(sqlite3.Cursor):
    """A cursor whose disk and file failures arrive as the user's errors (see ``explain_sqlite_error``)."""

    def _explained(self, exc: sqlite3.Error) -> Exception:
        conn = self.connection
        database = conn.database if isinstance(conn, _Connection) else Path("dtidesk.sqlite")
        return explain_sqlite_error(exc, database) or exc

    def execute(self, sql: str, parameters: Any = (), /) -> _Cursor:
        try:
            super().execute(sql, parameters)
        except sqlite3.Error as exc:
            raise self._explained(exc) from exc
        return self

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> _Cursor:
        try:
            super().executemany(sql, seq_of_parameters)
        except sqlite3.Error as exc:
            raise self._explained(exc) from exc
        return self

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.Error as exc:
            raise self._explained(exc) from exc

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.Error as exc:
            raise self._explained(exc) from exc

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.Error as exc:
            raise self._explained(exc) from exc

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.Error as exc:
            raise self._explained(exc) from exc


class _Connection(sqlite3.Connection):
    """Knows its file, and hands out cursors that explain failures (``execute`` included)."""

    database: Path
    #: which back-end (``pg.PgConnection`` says "postgresql"): the few dialect-aware places ask ``dialect_of``
    dialect = "sqlite"

    def cursor(self, factory: Any = _Cursor) -> Any:
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        return self.cursor().executemany(sql, parameters)


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit, see ``Workspace.transaction``).

    ``read_only`` opens the file without ever writing to it or beside it: first as SQLite's
    read-only mode, and where that cannot work (a WAL database in a folder we may not write, with
    no shared-memory file yet) as an immutable file, which is what a read-only share is.
    """
    if not read_only:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30, factory=_Connection)
        conn.database = path
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            conn.close()
            raise
        return conn
    from urllib.parse import quote

    uri = "file:" + quote(path.as_posix(), safe="/:")
    for mode in ("?mode=ro", "?mode=ro&immutable=1"):
        conn = sqlite3.connect(uri + mode, uri=True, isolation_level=None, timeout=30, factory=_Connection)
        conn.database = path
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("PRAGMA query_only=ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except WorkspaceError:
            conn.close()
    raise WorkspaceError(f"Không mở được cơ sở dữ liệu {path} để đọc. Hãy chép thư mục sang máy mình rồi mở bản chép.")


_EXPECTED_TABLES = {"units", "periods", "files", "submissions", "submission_values", "issues", "rejected",
                    "appraisals", "audit"}  # fmt: skip


def check_opened(conn: sqlite3.Connection, database: Path) -> None:
    """The quick health check made each time a workspace is opened (milliseconds for a quarter's data).

    ``PRAGMA quick_check`` walks every page's structure; a database whose schema is not ours (an
    empty file SQLite would happily treat as new, a foreign database) is refused too, because
    building a fresh workspace over the office's records would lose them silently.
    """
    rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()] if dialect_of(conn) == "sqlite" else ["ok"]
    if rows != ["ok"]:
        raise WorkspaceDamaged(damaged_message(database, "; ".join(str(r) for r in rows[:3])))
    tables = table_names(conn)
    missing = _EXPECTED_TABLES - tables
    if schema_version(conn) < 1 or missing:
        raise WorkspaceDamaged(
            damaged_message(
                database,
                "thiếu các bảng " + ", ".join(sorted(missing)) if missing else "không có cấu trúc của DTI Desk",
            )
        )


def check_file_header(database: Path) -> None:
    """Refuse, before SQLite sees it, a database file that is empty or not an SQLite file at all.

    SQLite treats a 0-byte file as a new, empty database: opened as is, an office's workspace
    whose file was truncated by a bad copy would come back empty and be rebuilt without a word.
    """
    try:
        with open(database, "rb") as fh:
            head = fh.read(16)
    except PermissionError as exc:
        raise WorkspaceError(
            f"Không có quyền đọc tệp {database}. Hãy xin quyền đọc thư mục {database.parent}.") from exc  # fmt: skip
    if not head:
        raise WorkspaceDamaged(damaged_message(database, "tệp rỗng, 0 byte"))
    if head != b"SQLite format 3\x00":
        raise WorkspaceDamaged(damaged_message(database, "phần đầu tệp không phải của một cơ sở dữ liệu SQLite"))


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
    """Who made a change, for the audit log: ``account@machine`` (one home: ``identity.current_user``)."""
    from .identity import current_user as who

    return who()


def now_text() -> str:
    return datetime.now().replace(microsecond=0).isoformat(sep=" ")


def open_reader(folder: Path) -> Workspace:
    """A second, read-only connection to a workspace this process has already opened (checked, upgraded):
    the desktop's loader thread reads through it while the window keeps its own.

    Not ``Workspace.open``: its header check reads a SQLite file through a descriptor of its own, and
    closing that drops every POSIX lock this process holds on the file, the window's connection's
    included, which is how SQLite databases get corrupted. A shared workspace gets a session of its
    own with the server. Never writes: ``read_only`` refuses every transaction.
    """
    if (folder / PG_MARKER).is_file():
        from .pg import connect as connect_pg
        from .shared import as_connection, url_of

        return Workspace(folder, as_connection(connect_pg(url_of(folder), folder / PG_MARKER)), read_only=True)
    return Workspace(folder, connect(folder / MARKER), read_only=True)


def find(start: Path) -> Path | None:
    """The workspace folder containing ``start`` (itself or the nearest parent holding the marker)."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file() or (folder / PG_MARKER).is_file():
            return folder
    return None


class Workspace:
    """An open workspace: its folder and one database connection."""

    def __init__(self, folder: Path, conn: sqlite3.Connection, *, read_only: bool = False) -> None:
        self.folder = folder
        self.conn = conn
        #: "sqlite", or "postgresql" for a shared workspace (its folder is then this PC's local folder for outputs)
        self.dialect = dialect_of(conn)
        #: opened for reading only: every ``transaction()`` is refused with a message naming the folder
        self.read_only = read_only
        self._refusal: WorkspaceError | None = WorkspaceReadOnly(read_only_message(folder)) if read_only else None

    # where things live
    @property
    def database(self) -> Path:
        return self.folder / (PG_MARKER if self.dialect == "postgresql" else MARKER)

    @property
    def shared_url(self) -> str | None:
        """The PostgreSQL URL (without password) of a shared workspace; ``None`` for a SQLite one."""
        return str(getattr(self.conn, "url", "")) or None if self.dialect == "postgresql" else None

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
    def create(cls, folder: Path | str | None, *, database: str | None = None) -> Workspace:
        """Make ``folder`` (new or an existing folder without a workspace) a workspace.

        ``database`` (a ``postgresql://`` URL, or the URL given as ``folder``) instead makes a shared
        workspace in that existing, empty database (``shared.create_shared``); ``folder`` is then this
        PC's local folder for the files it writes (default: one derived from the URL).
        """
        from . import shared

        if shared.is_url(folder):
            folder, database = None, str(folder)
        if database is not None:
            return shared.create_shared(cls, database, None if folder is None else Path(folder))
        if folder is None:
            raise WorkspaceError("Chưa chỉ thư mục cho không gian làm việc mới.")
        folder = Path(folder).resolve()
        if (folder / MARKER).exists() or (folder / PG_MARKER).exists():
            raise WorkspaceError(
                f"Thư mục {folder} đã là một thư mục làm việc của DTI Desk; hãy mở nó thay vì tạo mới."
            )
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
    def open(cls, folder: Path | str, *, read_only: bool | None = None) -> Workspace:
        """Open an existing workspace, upgrading an older database in place.

        The file is checked first (``check_file_header``, ``check_opened``): a damaged database is
        refused with a message naming it and the newest backup, never used or rebuilt. Where the
        folder or the file cannot be written (a read-only share), the workspace opens for reading
        (``read_only=None`` decides by the folder; ``True`` forces it).
        """
        from . import shared

        if shared.is_url(folder):
            folder = shared.attach(str(folder))
        folder = Path(folder).resolve()
        if (folder / PG_MARKER).is_file():
            return shared.open_shared(cls, folder)
        database = folder / MARKER
        if not database.is_file():
            raise WorkspaceError(
                f"Thư mục {folder} không phải thư mục làm việc của DTI Desk (không có tệp {MARKER}). "
                "Hãy tạo bằng lệnh “dtidesk init THƯ_MỤC” hoặc chỉ đúng thư mục bằng --workspace.")  # fmt: skip
        check_file_header(database)
        if read_only is None:
            read_only = not (os.access(folder, os.W_OK) and os.access(database, os.W_OK))
        refusal: WorkspaceError | None = WorkspaceReadOnly(read_only_message(folder)) if read_only else None
        try:
            conn = connect(database, read_only=read_only)
        except WorkspaceFull as exc:  # no room even for SQLite's shared-memory file: still let people read
            conn, read_only, refusal = connect(database, read_only=True), True, exc
        except sqlite3.DatabaseError as exc:
            raise explain_sqlite_error(exc, database) or WorkspaceDamaged(damaged_message(database, str(exc))) from exc
        try:
            check_opened(conn, database)
            if read_only:
                if schema_version(conn) != len(MIGRATIONS):
                    raise WorkspaceReadOnly(
                        f"Không gian làm việc {folder} được tạo bằng phiên bản DTI Desk khác và cần được nâng cấp, "
                        "nhưng thư mục chỉ cho phép đọc. Hãy mở nó trên máy có quyền ghi một lần.")  # fmt: skip
            else:
                migrate(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise WorkspaceDamaged(damaged_message(database, str(exc))) from exc
        except BaseException:
            conn.close()
            raise
        if not read_only:
            for sub in SUBFOLDERS:
                try:
                    (folder / sub).mkdir(exist_ok=True)
                except OSError:  # the database is writable but a subfolder cannot be made: say so when it is used
                    pass
        ws = cls(folder, conn, read_only=read_only)
        ws._refusal = refusal
        return ws

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing unit of work (``BEGIN IMMEDIATE`` so writers queue instead of failing late)."""
        if self._refusal is not None:
            raise type(self._refusal)(str(self._refusal))
        if self.dialect == "postgresql":  # READ COMMITTED under one advisory lock: writers queue, each
            from .pg import WRITE_LOCK  # statement after the lock sees every commit before it (DESIGN §13)

            self.conn.execute("BEGIN")
            try:
                self.conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
            except BaseException:
                _rollback_quietly(self.conn)
                raise
        else:
            self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            _rollback_quietly(self.conn)
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            _rollback_quietly(self.conn)
            raise

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Read one consistent state while others write: a report gathered inside sees no half of an ingest.

        PostgreSQL: ``REPEATABLE READ READ ONLY``; SQLite: a deferred read transaction (in WAL mode its
        snapshot holds from the first read to the end). Inside an open transaction it only yields.
        """
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" if self.dialect == "postgresql"
                          else "BEGIN DEFERRED")  # fmt: skip
        try:
            yield self.conn
        finally:
            _rollback_quietly(self.conn)  # nothing was written: ending it either way is the same

    def audit(self, action: str, details: dict[str, Any], who: str | None = None) -> None:
        """Record an action; call inside the transaction that makes the change, so both land or neither."""
        self.conn.execute("INSERT INTO audit(at, who, action, details_json) VALUES (?, ?, ?, ?)",
                          (now_text(), who or current_user(), action,
                           json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)))  # fmt: skip

    def integrity(self) -> str:
        if self.dialect == "postgresql":  # the server checks its own pages; the workspace answers or it is down
            self.conn.execute("SELECT 1").fetchone()
            return "ok"
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])
