"""``dtidesk workspace copy SRC DST``: a whole workspace into another, losslessly (issue 22, point 3).

Why: an office that outgrows one PC moves its SQLite folder into a shared PostgreSQL workspace,
and an office that gives the server up (or hands a quarter to an auditor) moves it back. Nothing
may be lost or renumbered on the way: the ranking, the submissions' status and the audit log read
the same after a round trip, because the seals of appraisals cover their ids and every reference
(an appraisal withdrawn, a submission held) is by id (DESIGN §14).

How:

- every table of the schema, in foreign-key order (``TABLES``; a test checks it against the schema),
  read in its key order and written with the same ids, in batches; columns are taken from the
  source's cursor description, so the same code runs on either back-end;
- the originals (received workbooks, e-mails, evidence documents, the department's workbooks) by
  their SHA-256: each is read, its hash checked, and written into DST under the same relative path
  (``_read_original`` / ``_write_original`` are the one seam for where originals live);
- DST must be new or an empty workspace (only its own "init" entry): a copy never merges into
  data; its "init" entry gives way to the source's audit, and one "copy-workspace" entry records
  the copy;
- all or nothing: the rows land in one transaction of DST, and a DST folder made here is removed
  again when anything fails (in an existing empty workspace, the originals written are removed).

Generated files (templates, feedback, reports, backups) are outputs and are not copied; they can be
made again from the copied data.
"""

from __future__ import annotations

import hashlib
import shutil
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.atomic import write_atomic

from .blobs import get_blob, put_blob
from .pg import ROWID_TABLES, is_url, safe_url
from .store import MARKER, Workspace, WorkspaceError

#: every table, parents before children (the order they are filled in), with its key columns (the order
#: rows are read in from a back-end without SQLite's rowid; ``()``: a table without a key)
TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("units", ("code",)),
    ("periods", ("code",)),
    ("files", ("sha256",)),
    ("submissions", ("id",)),
    ("submission_values", ("submission_id", "indicator", "input")),
    ("issues", ()),
    ("rejected", ("period", "sha256")),
    ("appraisals", ("id",)),
    ("audit", ("id",)),
    ("period_frameworks", ("period", "framework_id")),
    ("department_overrides", ("period", "target")),
    ("department_submissions", ("id",)),
    ("mails", ("period", "key")),
    ("settings", ("key",)),
    ("evidence_citations", ()),
    ("evidence_files", ("id",)),
    ("period_rounds", ("period",)),
    ("appraisal_withdrawals", ("id",)),
    ("period_framework_files", ("period", "framework_id")),
    ("period_roster", ("period", "code")),
    ("held_submissions", ("submission_id",)),
    ("held_rejected", ("period", "sha256")),
    ("explanations", ("id",)),
    ("explanation_decisions", ("id",)),
    ("appraisal_versions", ("period", "unit_code", "indicator")),
    ("submission_withdrawals", ("submission_id",)),
)
#: tables that keep an original's place: (table, its hash column); the path column is ``stored_path``
ORIGINALS = (("files", "sha256"), ("evidence_files", "sha256"), ("mails", "sha256"),
             ("department_submissions", "file_sha256"))  # fmt: skip
BATCH = 2000


@dataclass(frozen=True)
class CopyResult:
    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)  # table → rows copied
    originals: int = 0  # original files copied (each content once)


def _dialect(ws: Workspace) -> str:
    return str(getattr(ws, "dialect", getattr(ws.conn, "dialect", "sqlite")))


def _order(ws: Workspace, table: str, keys: tuple[str, ...]) -> str:
    """The order rows are read in: the order they were written (SQLite's rowid, or the ``rowid`` identity
    column a shared workspace gives the tables read that way), so even a query that forgets its ORDER BY
    reads the copy as the original; elsewhere the table's key."""
    if _dialect(ws) == "sqlite" or table in ROWID_TABLES:
        return " ORDER BY rowid"
    return " ORDER BY " + ", ".join(keys) if keys else ""


def _columns(ws: Workspace, table: str) -> list[str]:
    """The table's columns, less a shared workspace's ``rowid`` (the target numbers rows in the order they come)."""
    cur = ws.conn.execute(f"SELECT * FROM {table} WHERE 1 = 0")
    return [d[0] for d in cur.description if d[0] != "rowid"]


def _count(ws: Workspace, table: str, where: str = "") -> int:
    return int(ws.conn.execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0])


def is_empty(ws: Workspace) -> bool:
    """Whether ``ws`` holds nothing but its own making (an "init" entry in the audit)."""
    return all(_count(ws, t, " WHERE action != 'init'" if t == "audit" else "") == 0 for t, _ in TABLES)


def _read_original(ws: Workspace, relative: str, sha256: str) -> bytes | None:
    """The bytes of a stored original (``None`` when it is not there): the file in a SQLite workspace's
    folder, the database's copy (``blobs``) in a shared one. The one place copy reads originals."""
    if _dialect(ws) == "postgresql":
        return get_blob(ws, sha256)
    path = ws.folder / relative
    return path.read_bytes() if path.is_file() else None


def _write_original(ws: Workspace, relative: str, sha256: str, data: bytes) -> Path | None:
    """Store an original in ``ws``: under the same relative path, read-only, in a SQLite workspace (returns
    the file written; None: already there); in the database of a shared one (inside the copy's
    transaction, so it goes with the rows or not at all; returns None). The one place copy writes originals."""
    if _dialect(ws) == "postgresql":
        put_blob(ws, sha256, data)
        return None
    target = ws.folder / relative
    if target.is_file():
        return None
    write_atomic(target, data, mode=0o444)
    return target


def _originals(src: Workspace) -> list[tuple[str, str, str]]:
    """(relative path, sha256, what the user calls it) of every stored original, each path once."""
    seen: dict[str, tuple[str, str, str]] = {}
    for table, sha_column in ORIGINALS:
        name = "original_name" if table != "department_submissions" else "file_name"
        for r in src.conn.execute(f"SELECT stored_path, {sha_column}, {name} FROM {table} ORDER BY stored_path"):
            seen.setdefault(str(r[0]), (str(r[0]), str(r[1]), str(r[2])))
    return [seen[k] for k in sorted(seen)]


def copy_workspace(src: Workspace, dst: Workspace, *, source: str, target: str) -> CopyResult:
    """Copy everything of ``src`` into the empty ``dst`` in one transaction of ``dst``; see the module."""
    if not is_empty(dst):
        raise WorkspaceError(f"Không gian làm việc đích {target} đã có dữ liệu; chép chỉ vào một thư mục mới hoặc "
                             "một không gian làm việc trống, để không trộn lẫn hai bộ dữ liệu.")  # fmt: skip
    written: list[Path] = []
    rows: dict[str, int] = {}
    try:
        with src.snapshot():
            originals = _originals(src)
            into_database = _dialect(dst) == "postgresql"
            if not into_database:  # files first; removed again below if the rows cannot follow
                for relative, sha256, name in originals:
                    made = _write_original(
                        dst, relative, sha256, _checked_original(src, relative, sha256, name, source)
                    )
                    if made is not None:
                        written.append(made)
            with dst.transaction() as conn:
                if into_database:
                    for relative, sha256, name in originals:
                        _write_original(dst, relative, sha256, _checked_original(src, relative, sha256, name, source))
                conn.execute("DELETE FROM audit WHERE action = 'init'")
                for table, keys in TABLES:
                    rows[table] = _copy_table(src, conn, table, keys)
                _after_copy(dst, conn)
                dst.audit("copy-workspace", {"from": source, "to": target, "originals": len(originals),
                                             "rows": sum(rows.values())})  # fmt: skip
    except BaseException:
        for path in written:
            with suppress(OSError):
                path.chmod(0o644)
                path.unlink()
        raise
    return CopyResult(source, target, rows, len(originals))


def _checked_original(src: Workspace, relative: str, sha256: str, name: str, source: str) -> bytes:
    """An original's bytes, refused (nothing copied) when missing or not what its hash says."""
    data = _read_original(src, relative, sha256)
    if data is None:
        raise WorkspaceError(f"Không tìm thấy tệp gốc “{name}” ({relative}) trong {source}: bản chép "
                             "sẽ thiếu tệp này nên chưa chép gì. Hãy chạy “dtidesk check-workspace” "
                             "trên nguồn để xem các tệp thiếu.")  # fmt: skip
    if hashlib.sha256(data).hexdigest() != sha256:
        raise WorkspaceError(f"Tệp gốc “{name}” ({relative}) trong {source} đã bị thay đổi (mã băm không "
                             "khớp) nên chưa chép gì. Hãy chạy “dtidesk check-workspace” trên nguồn.")  # fmt: skip
    return data


def _copy_table(src: Workspace, conn: Any, table: str, keys: tuple[str, ...]) -> int:
    columns = _columns(src, table)
    names = ", ".join(columns)
    insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    cur = src.conn.execute(f"SELECT {names} FROM {table}{_order(src, table, keys)}")
    total = 0
    while True:
        batch = cur.fetchmany(BATCH)
        if not batch:
            return total
        conn.executemany(insert, [tuple(r) for r in batch])
        total += len(batch)


def _after_copy(dst: Workspace, conn: Any) -> None:
    """Rows came with their ids: a PostgreSQL workspace's id sequences must go on after the largest."""
    if _dialect(dst) != "postgresql":
        return  # SQLite's next id is max(id) + 1 by itself (and AUTOINCREMENT's counter follows explicit ids)
    for table, keys in TABLES:
        if keys == ("id",):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")  # fmt: skip


def copy(source: Path | str, target: Path | str) -> CopyResult:
    """Copy the workspace ``source`` into ``target``: each a folder (SQLite) or a ``postgresql://`` URL.

    A target folder must be new or empty (or hold an empty workspace); a target database must be empty
    or hold an empty workspace. A folder made here is removed again when the copy fails, and the
    rows, in one transaction of the target, land all or not at all, so a failed copy leaves nothing behind.
    """
    if is_url(source) or is_url(target):
        return _copy_shared(str(source), str(target))
    source, target = Path(source).resolve(), Path(target).resolve()
    if source == target:
        raise WorkspaceError(f"Nguồn và đích là cùng một thư mục ({source}); hãy chép sang một thư mục khác.")
    made = not target.exists() or (target.is_dir() and not any(target.iterdir()))
    if target.exists() and not target.is_dir():
        raise WorkspaceError(f"{target} là một tệp, không phải thư mục; hãy chỉ một thư mục mới để chép vào.")
    if not made and not (target / MARKER).is_file():
        raise WorkspaceError(f"Thư mục {target} đã có dữ liệu và không phải không gian làm việc trống; hãy chép vào "
                             "một thư mục mới hoặc trống.")  # fmt: skip
    existed = target.exists()
    with Workspace.open(source) as src:
        try:
            dst = Workspace.create(target) if made else Workspace.open(target)
        except BaseException:
            if made and not existed:
                shutil.rmtree(target, ignore_errors=True)
            raise
        try:
            with dst:
                return copy_workspace(src, dst, source=str(source), target=str(target))
        except BaseException:
            if made:
                _remove_made(target, existed)
            raise


def _copy_shared(source: str, target: str) -> CopyResult:
    """A copy where one side (or both) is a shared workspace: a target database that holds no workspace
    yet gets one (the same schema), then everything is copied as between two folders."""
    shown_source = safe_url(source) if is_url(source) else str(Path(source).resolve())
    shown_target = safe_url(target) if is_url(target) else str(Path(target).resolve())
    if shown_source == shown_target:
        raise WorkspaceError(f"Nguồn và đích là cùng một không gian làm việc ({shown_source}); hãy chép sang nơi khác.")
    if not is_url(target):
        folder = Path(target).resolve()
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise WorkspaceError(f"Thư mục {folder} đã có dữ liệu; hãy chép vào một thư mục mới hoặc trống.")
    with Workspace.open(source) as src:
        made_folder = not is_url(target) and not Path(target).exists()
        try:
            if is_url(target):
                try:
                    dst = Workspace.open(target)
                except WorkspaceError:  # no workspace there yet (an empty database): make one
                    dst = Workspace.create(target)
            else:
                dst = Workspace.create(Path(target))
        except BaseException:
            if made_folder:
                shutil.rmtree(target, ignore_errors=True)
            raise
        try:
            with dst:
                return copy_workspace(src, dst, source=shown_source, target=shown_target)
        except BaseException:
            if made_folder:
                _remove_made(Path(target), False)
            raise


def _remove_made(target: Path, existed: bool) -> None:
    """Undo a target folder this copy made (or filled, when it was an empty folder before)."""

    def writable(func: Any, path: str, _exc: Any) -> None:  # originals are read-only: make them removable
        Path(path).chmod(0o755 if Path(path).is_dir() else 0o644)
        func(path)

    if existed:
        for child in target.iterdir():
            if child.is_dir():
                shutil.rmtree(child, onerror=writable)
            else:
                child.unlink()
    else:
        shutil.rmtree(target, onerror=writable)


__all__ = ["ORIGINALS", "TABLES", "CopyResult", "copy", "copy_workspace", "is_empty"]
