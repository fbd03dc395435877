"""PostgreSQL behind the same seam the workspace modules already use (issue 22, DESIGN §13).

Why a thin seam and not a query builder: every module under ``app/workspace`` speaks DB-API through
``store._Connection`` with ``?`` placeholders and rows read as ``r[0]`` or ``r["name"]``. psycopg 3
(LGPL-3.0, used unmodified; ``psycopg[binary]`` ships libpq, so nothing is installed on the office's
PCs) is wrapped here so that a ``PgConnection`` offers exactly that interface: ``execute``,
``executemany``, ``fetchone``/``fetchall``/iteration, rows indexable by position and by name,
``in_transaction``. The differences are kept in this one module:

- placeholders: ``?`` outside quoted literals becomes ``%s``; a literal ``%`` is doubled;
- values: Python ints and booleans are sent untyped (as SQLite takes them), so ``text_col = ?``
  with an int and ``active = ?`` with ``True`` both work; whole-number aggregates read back as ints;
- schema: the same ``MIGRATIONS`` run here; ``translate_ddl`` maps SQLite's few type words
  (``id INTEGER PRIMARY KEY`` → an identity column, ``INTEGER`` → ``BIGINT``, ``BLOB`` → ``BYTEA``,
  ``DATE`` → ``TEXT`` because SQLite hands dates back as text and the code reads them so). The
  tables whose readers order by SQLite's ``rowid`` get a real ``rowid`` identity column;
- faults: psycopg's errors become the workspace's Vietnamese ``WorkspaceError`` family
  (``explain_pg_error``): server unreachable, login refused, database missing, no permission,
  disk full, a conflict between two writers.

A password is never kept by this module: it comes from ``PGPASSWORD``, ``~/.pgpass`` (libpq reads
both) or the desktop's dialog for the running session; ``safe_url`` strips it from anything shown.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

SCHEMES = ("postgresql://", "postgres://")
#: the advisory lock every writing transaction takes first: writers queue as under SQLite's BEGIN IMMEDIATE
WRITE_LOCK = 7_203_114_822
#: tables read back in the order rows were written (``ORDER BY rowid`` under SQLite)
ROWID_TABLES = ("issues", "evidence_citations")


def is_url(text: str | Path | None) -> bool:
    return isinstance(text, str) and text.strip().lower().startswith(SCHEMES)


def safe_url(url: str) -> str:
    """The URL without its password (and without a ``password=`` query parameter): safe to show and store."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        netloc = user.split(":", 1)[0] + "@" + host
    query = "&".join(q for q in parts.query.split("&") if q and not q.lower().startswith("password="))
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def url_password(url: str) -> str | None:
    netloc = urlsplit(url.strip()).netloc
    if "@" in netloc and ":" in netloc.rsplit("@", 1)[0]:
        return unquote(netloc.rsplit("@", 1)[0].split(":", 1)[1])
    return None


#: passwords typed or given in a URL during this run, by URL without password: in memory only, never written
_PASSWORDS: dict[str, str] = {}


def remember_password(url: str, password: str | None = None) -> None:
    """Keep for this run the password of ``url`` (given, or the one inside the URL) so later opens use it."""
    password = password if password is not None else url_password(url)
    if password:
        _PASSWORDS[safe_url(url)] = password


def make_url(host: str, port: int | None, database: str, user: str) -> str:
    """The URL for a server, database and account (no password: see the module's docstring)."""
    where = host.strip() or "localhost"
    if ":" in where and not where.startswith("["):
        where = f"[{where}]"
    return (f"postgresql://{quote(user.strip(), safe='')}@{where}{f':{port}' if port else ''}/"
            f"{quote(database.strip(), safe='')}")  # fmt: skip


def describe(url: str) -> str:
    """How a message names the shared workspace: database, server (never the password)."""
    parts = urlsplit(url)
    db = unquote(parts.path.lstrip("/")) or "?"
    host = parts.hostname or "localhost"
    return f"cơ sở dữ liệu “{db}” trên máy chủ {host}{f':{parts.port}' if parts.port else ''}"


# --- SQL text -------------------------------------------------------------------------------------------

_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")


def translate(sql: str) -> str:
    """``?`` → ``%s`` outside quoted literals and names; every ``%`` doubled (psycopg reads them all)."""
    out: list[str] = []
    pos = 0
    for m in _QUOTED.finditer(sql):
        out.append(sql[pos : m.start()].replace("%", "%%").replace("?", "%s"))
        out.append(m.group(0).replace("%", "%%"))
        pos = m.end()
    out.append(sql[pos:].replace("%", "%%").replace("?", "%s"))
    return "".join(out)


_IDENTITY = re.compile(r"\bid INTEGER PRIMARY KEY(?: AUTOINCREMENT)?")
_CREATE = re.compile(r"^\s*CREATE TABLE (?:IF NOT EXISTS )?(\w+)\s*\(", re.IGNORECASE)


def translate_ddl(sql: str) -> str:
    """SQLite's type words in ``CREATE TABLE``/``ALTER TABLE`` as PostgreSQL's (see the module docstring)."""
    head = sql.lstrip()[:12].upper()
    if not (head.startswith("CREATE TABLE") or head.startswith("ALTER TABLE")):
        return sql
    sql = _IDENTITY.sub("id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql)
    sql = re.sub(r"\bINTEGER\b", "BIGINT", sql)
    sql = re.sub(r"\bBLOB\b", "BYTEA", sql)
    sql = re.sub(r" DATE\b", " TEXT", sql)
    m = _CREATE.match(sql)
    if m and m.group(1).lower() in ROWID_TABLES:
        sql = sql[: m.end()] + "rowid BIGINT GENERATED ALWAYS AS IDENTITY, " + sql[m.end() :]
    return sql


@functools.lru_cache(maxsize=1024)
def _prepared(sql: str) -> str:
    """The statement as psycopg takes it; cached, since the modules send the same few hundred texts."""
    return translate(translate_ddl(sql))


# --- rows and cursors -------------------------------------------------------------------------------------


class PgRow(tuple[Any, ...]):
    """A row as ``sqlite3.Row`` offers it: by position, by column name, ``keys()``, ``dict(row)``."""

    _names: tuple[str, ...]

    def __new__(cls, names: tuple[str, ...], values: Sequence[Any]) -> PgRow:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._names.index(key))
            except ValueError:
                lowered = key.lower()
                for i, name in enumerate(self._names):
                    if name.lower() == lowered:
                        return tuple.__getitem__(self, i)
                raise IndexError(f"No item with that key: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> Any:
    names = tuple(c.name for c in cursor.description or ())
    return lambda values: PgRow(names, values)


class PgCursor:
    """A cursor whose failures arrive as the user's errors; the shape the modules use of ``sqlite3.Cursor``."""

    def __init__(self, conn: PgConnection) -> None:
        self.connection = conn
        self._cur = conn.raw.cursor(row_factory=_row_factory)

    @property
    def rowcount(self) -> int:
        return int(self._cur.rowcount)

    @property
    def description(self) -> Any:
        return self._cur.description

    def _explained(self, exc: Exception) -> Exception:
        return explain_pg_error(exc, self.connection.url) or exc

    def execute(self, sql: str, parameters: Any = (), /) -> PgCursor:
        try:
            self._cur.execute(_prepared(sql), tuple(parameters))
        except Exception as exc:
            raise self._explained(exc) from exc
        return self

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> PgCursor:
        try:
            self._cur.executemany(_prepared(sql), [tuple(p) for p in seq_of_parameters])
        except Exception as exc:
            raise self._explained(exc) from exc
        return self

    def fetchone(self) -> Any:
        return self._cur.fetchone() if self._cur.description else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        return list(self._cur.fetchmany(size or 1)) if self._cur.description else []

    def fetchall(self) -> list[Any]:
        return list(self._cur.fetchall()) if self._cur.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())

    def close(self) -> None:
        self._cur.close()


class PgConnection:
    """One session with the server, in autocommit mode: transactions are explicit (``Workspace.transaction``)."""

    dialect = "postgresql"

    def __init__(self, raw: Any, url: str, database: Path) -> None:
        self.raw = raw
        #: the URL without its password
        self.url = url
        #: the local link file that names this workspace (messages name it as SQLite's name the .sqlite file)
        self.database = database

    def cursor(self) -> PgCursor:
        return PgCursor(self)

    def execute(self, sql: str, parameters: Any = (), /) -> PgCursor:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> PgCursor:
        return self.cursor().executemany(sql, parameters)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.raw.info.transaction_status != TransactionStatus.IDLE)

    def commit(self) -> None:
        """Nothing to do: the session is in autocommit mode, as the SQLite connection is."""

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _adapters(raw: Any) -> None:
    """Ints and booleans untyped (the server infers as SQLite accepts); whole numerics back as ints."""
    from psycopg.adapt import Dumper, Loader

    class Untyped(Dumper):
        oid = 0

        def dump(self, obj: Any) -> bytes:
            return str(int(obj)).encode()

    class Number(Loader):
        def load(self, data: Any) -> Any:
            value = Decimal(bytes(data).decode())
            return int(value) if value == value.to_integral_value() else float(value)

    raw.adapters.register_dumper(int, Untyped)
    raw.adapters.register_dumper(bool, Untyped)
    raw.adapters.register_loader("numeric", Number)


def connect(url: str, database: Path, *, password: str | None = None) -> PgConnection:
    """A session with the server named by ``url`` (libpq finds the password: ``PGPASSWORD``, ``~/.pgpass``)."""
    import psycopg

    shown = safe_url(url)
    password = password or _PASSWORDS.get(shown)
    extra: dict[str, Any] = {"password": password} if password else {}
    try:
        raw = psycopg.connect(shown, autocommit=True, connect_timeout=10, application_name="DTI Desk", **extra)
    except psycopg.Error as exc:
        raise explain_pg_error(exc, shown) or _unreachable(shown, str(exc)) from None
    _adapters(raw)
    raw.execute("SET lock_timeout = '30s'")
    return PgConnection(raw, shown, database)


# --- faults in the user's words ---------------------------------------------------------------------------


def _unreachable(url: str, detail: str) -> Exception:
    from .store import WorkspaceError

    return WorkspaceError(
        f"Không kết nối được tới {describe(url)} ({_first_line(detail)}). Hãy kiểm tra mạng, tên máy chủ và cổng, "
        "và hỏi bộ phận kỹ thuật máy chủ PostgreSQL có đang chạy không; chưa có thay đổi nào được ghi.")  # fmt: skip


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line.removeprefix("connection failed: ").strip()


def explain_pg_error(exc: Exception, url: str) -> Exception | None:
    """The user-facing error for a failure of the server, the network or the account; ``None``: a bug."""
    import psycopg

    from .store import PasswordNeeded, WorkspaceBusy, WorkspaceError, WorkspaceFull, WorkspaceReadOnly

    if not isinstance(exc, psycopg.Error):
        return None
    state = getattr(exc, "sqlstate", None) or ""
    text = str(exc)
    where = describe(url)
    if "no password supplied" in text:
        return PasswordNeeded(
            f"Máy chủ của {where} cần mật khẩu cho tài khoản trong địa chỉ {url}. Hãy nhập mật khẩu (hoặc đặt "
            "PGPASSWORD / tệp .pgpass trên máy này); mật khẩu không được lưu vào không gian làm việc.")  # fmt: skip
    if state in ("28P01", "28000") or "password authentication failed" in text:
        return WorkspaceError(
            f"Máy chủ từ chối đăng nhập vào {where} với tài khoản trong địa chỉ {url}. Hãy kiểm tra tên tài khoản "
            "và mật khẩu (nhập lại mật khẩu, hoặc đặt PGPASSWORD / tệp .pgpass), hoặc hỏi bộ phận kỹ thuật.")  # fmt: skip
    if 'role "' in text and "does not exist" in text:
        return WorkspaceError(
            f"Tài khoản trong địa chỉ {url} không có trên máy chủ của {where}. Hãy hỏi bộ phận kỹ thuật tên tài "
            "khoản đúng (hoặc nhờ tạo tài khoản: CREATE ROLE ... LOGIN).")  # fmt: skip
    if state == "3D000" or ('database "' in text and "does not exist" in text):
        return WorkspaceError(
            f"Chưa có {where}. Hãy nhờ bộ phận kỹ thuật tạo cơ sở dữ liệu (createdb), rồi tạo không gian làm việc "
            f"bằng: dtidesk init --database {url}")  # fmt: skip
    if state == "42501" or "permission denied" in text:
        return WorkspaceReadOnly(
            f"Tài khoản trong {url} không có quyền ghi vào {where} ({_first_line(text)}). Chưa có thay đổi nào được "
            "ghi. Hãy nhờ bộ phận kỹ thuật cấp quyền (GRANT) cho tài khoản này.")  # fmt: skip
    if state in ("53100", "53200"):
        return WorkspaceFull(
            f"Máy chủ của {where} hết chỗ trống (đĩa hoặc bộ nhớ). Chưa có thay đổi nào được ghi; hãy báo bộ phận kỹ "
            "thuật giải phóng dung lượng trên máy chủ rồi thực hiện lại.")  # fmt: skip
    if state in ("40001", "40P01", "55P03", "57014"):
        return WorkspaceBusy(
            f"Không gian làm việc dùng chung ({where}) đang bận: người khác đang ghi vào đó. Chưa có thay đổi nào "
            "được ghi; hãy thử lại sau ít phút.")  # fmt: skip
    if state.startswith("08") or isinstance(exc, psycopg.OperationalError):
        return _unreachable(url, text)
    return None
