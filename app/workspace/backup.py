"""Backups of a workspace's database, a full health check, and restoring into a new folder.

Why: the database is the office's record of a quarter (who sent what when, every appraisal and
its reason). A damaged file is refused when opened (``store.check_opened``); these functions are
how the office gets back to work. Backups use SQLite's online backup, so they are consistent even
while another program writes, and are taken automatically before the steps that change much
(an ingest batch, appraising, a report), keeping the newest ``KEEP``. The originals in
``received/`` are content-addressed and read-only, so a backup of the database plus that folder
is the whole workspace; ``restore`` copies both into a new folder and never touches the old one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.atomic import flush_file, flush_folder

from .store import (
    BACKUPS,
    MARKER,
    PG_MARKER,
    SUBFOLDERS,
    Workspace,
    WorkspaceDamaged,
    WorkspaceError,
    check_file_header,
    check_opened,  # fmt: skip
    damaged_message,
    explain_sqlite_error,
    full_disk_message,
    table_names,
)

#: how many backups a workspace keeps (the oldest go first)
KEEP = 20
#: an automatic backup is skipped when one this recent already holds the same data
AUTO_INTERVAL = timedelta(minutes=10)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken: datetime
    reason: str
    size: int


def _stamp(when: datetime) -> str:
    return when.strftime("%Y%m%d-%H%M%S")


def list_backups(folder: Path) -> list[BackupInfo]:
    """The workspace's backups, oldest first (named ``dtidesk-<date>-<time>-<reason>.sqlite``)."""
    found: list[tuple[int, BackupInfo]] = []
    for path in (folder / BACKUPS).glob("dtidesk-*.sqlite"):
        parts = path.stem.split("-", 3)
        try:
            taken = datetime.strptime(f"{parts[1]}-{parts[2]}", "%Y%m%d-%H%M%S")
        except (IndexError, ValueError):
            continue
        stat = path.stat()
        found.append((stat.st_mtime_ns, BackupInfo(path, taken, parts[3] if len(parts) > 3 else "", stat.st_size)))
    return [b for _, b in sorted(found, key=lambda pair: (pair[1].taken, pair[0]))]


def _last_change(conn: sqlite3.Connection) -> tuple[int, int]:
    """What a backup holds, cheaply: the newest audit entry and the number of stored values.

    Every change the program makes writes an audit entry in the same transaction, so two databases
    with the same newest entry hold the same data.
    """
    audit = conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]
    values = conn.execute("SELECT count(*) FROM submission_values").fetchone()[0]
    return int(audit), int(values)


def backup(ws: Workspace, reason: str = "thu-cong", *, keep: int = KEEP, now: datetime | None = None) -> Path:
    """Copy the database into ``backups/`` (consistent, while others may write); returns the file.

    Written under a temporary name and renamed, so a backup is whole or absent; a full disk is
    said as such and leaves nothing behind.
    """
    if ws.shared_url is not None:
        raise WorkspaceError(shared_backup_message(ws.shared_url))
    if ws.read_only:
        raise WorkspaceError(f"Không gian làm việc {ws.folder} chỉ mở để xem nên không sao lưu vào đó được; "
                             "hãy chép nguyên thư mục sang nơi khác.")  # fmt: skip
    folder = ws.folder / BACKUPS
    when = (now or datetime.now()).replace(microsecond=0)
    target = folder / f"dtidesk-{_stamp(when)}-{reason}.sqlite"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"dtidesk-{_stamp(when)}-{reason}-{n}.sqlite"
    tmp = folder / f".{target.name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(exist_ok=True)
        dest = sqlite3.connect(tmp)
        try:
            ws.conn.backup(dest)
        finally:
            dest.close()
        flush_file(tmp)
        os.replace(tmp, target)
        flush_folder(folder)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise explain_sqlite_error(exc, tmp) or exc from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == 28:  # ENOSPC
            raise WorkspaceError(full_disk_message(ws.folder, 2 * ws.database.stat().st_size)) from exc
        raise WorkspaceError(f"Không ghi được bản sao lưu vào {folder}: {exc.strerror or exc}. "
                             "Hãy kiểm tra quyền ghi của thư mục.") from exc  # fmt: skip
    for old in list_backups(ws.folder)[:-keep] if keep > 0 else []:
        old.path.unlink(missing_ok=True)
    return target


def auto_backup(ws: Workspace, reason: str, *, now: datetime | None = None) -> Path | None:
    """A backup before a step that changes much, unless a recent one already holds the same data.

    Never stops the step it protects: a backup that cannot be written (full disk, no permission) is
    skipped here, and the step itself then meets the same fault and says so.
    """
    if ws.read_only or ws.shared_url is not None:  # a shared workspace is the server's to back up
        return None
    now = now or datetime.now()
    existing = list_backups(ws.folder)
    if existing and now - existing[-1].taken < AUTO_INTERVAL:
        try:
            with sqlite3.connect(f"file:{existing[-1].path.as_posix()}?mode=ro", uri=True) as newest:
                if _last_change(newest) == _last_change(ws.conn):
                    return None
        except sqlite3.Error:
            pass  # an unreadable backup is no reason to skip a new one
    try:
        return backup(ws, reason, now=now)
    except WorkspaceError:
        return None


@dataclass(frozen=True)
class HealthProblem:
    """One thing wrong in a workspace, in Vietnamese; ``where`` names the file or table."""

    where: str
    message: str


def check_workspace(folder: Path) -> list[HealthProblem]:
    """The full check (``dtidesk check-workspace``): every page and index, every link between tables,
    every original present with the content its hash says. An empty list means healthy."""
    folder = folder.resolve()
    if (folder / PG_MARKER).is_file():
        return _check_shared(folder)
    database = folder / MARKER
    if not database.is_file():
        return [
            HealthProblem(str(database), "Không có tệp cơ sở dữ liệu: đây không phải thư mục làm việc của DTI Desk.")
        ]
    try:
        check_file_header(database)
    except WorkspaceDamaged as exc:
        return [HealthProblem(str(database), str(exc))]
    problems: list[HealthProblem] = []
    conn = sqlite3.connect(f"file:{database.as_posix()}?mode=ro", uri=True)
    try:
        try:
            check_opened(conn, database)
            rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if rows != ["ok"]:
                problems.append(HealthProblem(str(database), damaged_message(database, "; ".join(rows[:5]))))
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                problems.append(
                    HealthProblem(
                        str(database),
                        damaged_message(
                            database, f"{len(broken)} dòng trỏ tới dữ liệu không còn (bảng {broken[0][0]})"
                        ),
                    )
                )
            files = conn.execute(_originals(conn, "sha256, original_name, stored_path")).fetchall()
        except WorkspaceError as exc:
            return [*problems, HealthProblem(str(database), str(exc))]
        except sqlite3.DatabaseError as exc:
            return [*problems, HealthProblem(str(database), damaged_message(database, str(exc)))]
    finally:
        conn.close()
    for sha, name, stored in files:
        path = folder / stored
        if not path.is_file():
            problems.append(HealthProblem(str(path), f"Thiếu bản gốc của tệp “{name}” đã nhận ({path})."))
            continue
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
        if digest.hexdigest() != sha:
            problems.append(HealthProblem(str(path), f"Bản gốc của tệp “{name}” ({path}) đã bị thay đổi: nội dung "
                                                     "không còn khớp mã băm lúc nhận."))  # fmt: skip
    return problems


def shared_backup_message(url: str) -> str:
    """Why a shared workspace has no backups of its own here, and what does back it up."""
    return (f"Không gian làm việc dùng chung ({url}) nằm trên máy chủ PostgreSQL: sao lưu bằng công cụ của máy chủ "
            "(pg_dump, do bộ phận kỹ thuật đặt lịch), không sao lưu vào thư mục trên máy này. Để có một bản SQLite "
            "mang đi được, hãy chép không gian làm việc sang một thư mục.")  # fmt: skip


def _check_shared(folder: Path) -> list[HealthProblem]:
    """The full check of a shared workspace: it opens (schema, version), and every original is in the
    database with the content its hash says (the server checks its own pages)."""
    where = str(folder / PG_MARKER)
    try:
        ws = Workspace.open(folder)
    except WorkspaceError as exc:
        return [HealthProblem(where, str(exc))]
    problems: list[HealthProblem] = []
    with ws:
        with ws.snapshot() as conn:
            wanted = conn.execute(_originals(conn, "sha256, original_name")).fetchall()
            have = {str(r[0]) for r in conn.execute("SELECT sha256 FROM blobs").fetchall()}
            for sha, name in wanted:
                if sha not in have:
                    problems.append(HealthProblem(where, f"Thiếu bản gốc của tệp “{name}” đã nhận (mã {sha[:12]}…) "
                                                         "trong cơ sở dữ liệu."))  # fmt: skip
            for row in conn.execute("SELECT sha256, data FROM blobs ORDER BY sha256"):
                if hashlib.sha256(bytes(row[1])).hexdigest() != row[0]:
                    problems.append(HealthProblem(where, f"Bản gốc mã {str(row[0])[:12]}… trong cơ sở dữ liệu đã bị "
                                                         "thay đổi: nội dung không còn khớp mã băm lúc nhận."))  # fmt: skip
    return problems


def _originals(conn: sqlite3.Connection, columns: str) -> str:
    """The query of every stored original: received workbooks, and the evidence documents stored with
    submissions (issue 23) when the database has them."""
    evidence = "evidence_files" in table_names(conn)
    return f"SELECT {columns} FROM files" + (f" UNION SELECT {columns} FROM evidence_files" if evidence else "")


@dataclass(frozen=True)
class RestoreResult:
    folder: Path
    originals_copied: int
    originals_missing: list[str]


def restore(source: Path, target: Path) -> RestoreResult:
    """A new workspace in ``target`` from a backup file (or a workspace's database file).

    The backup is checked first; the originals it refers to are copied from the workspace the
    backup belongs to (the folder above ``backups/``) when they are there. ``target`` must be new
    or empty: a restore never overwrites anything.
    """
    source = source.resolve()
    target = target.resolve()
    if not source.is_file():
        raise WorkspaceError(f"Không có tệp sao lưu {source}.")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise WorkspaceError(f"Thư mục {target} đã có dữ liệu; hãy khôi phục vào một thư mục mới hoặc trống.")
    check_file_header(source)
    src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    try:
        try:
            check_opened(src, source)
            rows = [str(r[0]) for r in src.execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            raise WorkspaceDamaged(damaged_message(source, str(exc))) from exc
        if rows != ["ok"]:
            raise WorkspaceDamaged(damaged_message(source, "; ".join(rows[:3])))
        target.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(target / MARKER)
        try:
            src.backup(dest)
        finally:
            dest.close()
        files = src.execute(_originals(src, "original_name, stored_path")).fetchall()
    finally:
        src.close()
    home = source.parent.parent if source.parent.name == BACKUPS else source.parent
    for sub in SUBFOLDERS:
        (target / sub).mkdir(exist_ok=True)
    copied, missing = 0, []
    for name, stored in files:
        origin, copy = home / stored, target / stored
        if origin.is_file():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, copy)
            os.chmod(copy, 0o444)
            copied += 1
        else:
            missing.append(str(name))
    with Workspace.open(target) as ws, ws.transaction():
        ws.audit("restore", {"from": str(source), "originals": copied, "missing": missing})
    return RestoreResult(target, copied, missing)
