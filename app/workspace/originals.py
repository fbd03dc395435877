"""Received originals under names a person can find: ``received/<period>/<unit> /<date> <file name>``.

The truth is the hash store (``received/<sha256>.<ext>``, see ``ingest.store_original``): one copy
per content, known to the database. A clerk looking for "the file DV05 sent" does not know a hash,
so each received file also gets a readable name beside it::

    received/2023-Q1/DV05 - Thư viện Khoa học Tổng hợp/2023-04-18 DV05_bao-cao.xlsx

(A file refused as unreadable is not kept: nothing is copied before it is accepted as a workbook.)

It is a hard link to the stored original (no second copy on disk, read-only like it); where hard
links cannot be made (FAT/exFAT drives, some network shares) it is a read-only copy. These names
are a convenience: failing to make one is logged and never fails an ingest, and
``original_path`` falls back to the hash store when the readable name is missing.
"""

from __future__ import annotations

import filecmp
import logging
import os
import shutil
from datetime import datetime
from pathlib import Path

from app.workbook.filenames import readable_component

from .blobs import local_copy
from .store import Workspace, WorkspaceError

log = logging.getLogger("dtidesk.workspace")

#: the folder for files that name no unit (unidentified) and for files that could not be read
NO_UNIT = "Chưa rõ đơn vị"
#: lengths that keep ``<workspace>/received/<period>/<unit>/<file>`` well inside Windows' 260 characters
UNIT_LEN = 60
FILE_LEN = 80


def unit_folder_name(unit_code: str | None, unit_name: str | None) -> str:
    """``DV05 - Thư viện Khoa học Tổng hợp``; ``DV05`` alone when the roster has no name."""
    if not unit_code:
        return NO_UNIT
    text = f"{unit_code} - {unit_name}" if unit_name else unit_code
    return readable_component(text, UNIT_LEN, NO_UNIT)


def readable_file_name(received: datetime, original_name: str) -> str:
    """``2023-04-18 <original name>``: the day first, so a folder sorts by when files came; the extension kept."""
    name = Path(original_name).name
    ext = Path(name).suffix.lower()
    ext = ext if 1 < len(ext) <= 6 and readable_component(ext, 10, "") == ext else ""
    stem = name[: len(name) - len(ext)] if ext else name
    return readable_component(f"{received:%Y-%m-%d} {stem}", FILE_LEN - len(ext), f"{received:%Y-%m-%d}") + ext


def readable_path(ws: Workspace, period: str, folder: str, received: datetime, original_name: str) -> Path:
    return ws.received / readable_component(period, 20) / folder / readable_file_name(received, original_name)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b) or filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def _place(source: Path, target: Path) -> Path:
    """Hard-link (else copy, read-only) ``source`` at ``target``, or ``target (2)`` … when another file holds it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    candidate, n = target, 1
    while candidate.exists():
        if _same_file(source, candidate):
            return candidate
        n += 1
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
    try:
        os.link(source, candidate)
    except OSError as exc:
        log.info("Không tạo được liên kết cứng %s (%s); chép tệp thay vào.", candidate, exc)
        shutil.copyfile(source, candidate)
        os.chmod(candidate, 0o444)
    return candidate


def link_original(ws: Workspace, period: str, stored: str, original_name: str, received: datetime,
                  unit_code: str | None) -> Path | None:  # fmt: skip
    """Give the stored original ``stored`` (workspace-relative) its readable name; None when that failed.

    Never raises: the hash store already holds the file, so a failure here (a full disk, a name the
    file system refuses, a permission) is logged and the ingest goes on.
    """
    try:
        row = ws.conn.execute("SELECT name FROM units WHERE code = ?", (unit_code,)).fetchone() if unit_code else None
        folder = unit_folder_name(unit_code, row["name"] if row is not None else None)
        return _place(ws.folder / stored, readable_path(ws, period, folder, received, original_name))
    except Exception:  # a convenience copy must never fail the ingest; the traceback goes to the log
        log.exception("Không tạo được tên dễ tìm cho tệp %s (kỳ %s); tệp gốc vẫn ở %s.", original_name, period, stored)
        return None


def original_path(ws: Workspace, submission_id: int) -> Path:
    """The received original of a submission, by its readable name when it exists, else in the hash store.

    Raises ``WorkspaceError`` (Vietnamese) when the submission is unknown or its file is gone.
    """
    row = ws.conn.execute(
        "SELECT s.period, s.unit_code, s.file_name, s.received_at, f.stored_path, f.sha256, u.name AS unit_name "
        "FROM submissions s JOIN files f ON f.sha256 = s.file_sha256 LEFT JOIN units u ON u.code = s.unit_code "
        "WHERE s.id = ?", (submission_id,)).fetchone()  # fmt: skip
    if row is None:
        raise WorkspaceError(f"Không có bản nộp số {submission_id} trong thư mục làm việc.")
    stored = local_copy(ws, row["stored_path"], row["sha256"])
    received = datetime.fromisoformat(row["received_at"])
    readable = readable_path(ws, row["period"], unit_folder_name(row["unit_code"], row["unit_name"]), received,
                             row["file_name"])  # fmt: skip
    if readable.is_file() and (not stored.is_file() or _same_file(stored, readable)):
        return readable
    if stored.is_file():
        # made before readable names existed, or the received date was corrected since: make it now
        made = link_original(ws, row["period"], row["stored_path"], row["file_name"], received, row["unit_code"])
        return made if made is not None else stored
    raise WorkspaceError(f"Không tìm thấy tệp gốc “{row['file_name']}” trong thư mục {stored.parent}. "
                         "Tệp có thể đã bị xoá hoặc di chuyển; hãy nhận lại tệp đơn vị đã gửi (bước 4. Tiếp nhận).")  # fmt: skip
