"""Ingest returned files into the workspace: keep the original, store what it says, decide which counts.

Why this shape (DESIGN §2.3, §5, issue 6):
- A file is read only once it is known to be a regular file within the size limit, and a file
  refused as unusable is recorded but never copied (issue 17).
- The original of a readable workbook is copied, unchanged, as ``received/<sha256>.<ext>`` (temp file, then
  ``os.replace``, then read-only). A process killed after the copy but before the database write
  leaves an orphan that the next run finds already in place and reuses — harmless. One killed
  during the copy leaves its temp file ``received/.<sha256>.<pid>.tmp``; each ingest removes those
  whose process is gone or that are over an hour old (``remove_orphan_temps``).
- Everything the database learns from one file (the file row, the submission, its values and
  issues, or the rejection) and the re-decision of which submission is active is ONE transaction,
  so a kill at any moment leaves either all of it or none of it.
- A file is known by its content hash per period: ingesting it again changes nothing, whatever
  its name, so the office can drop the whole attachments folder again after each e-mail round.
  A file rejected before is reported as rejected again (with its reason), not as "already there":
  the unit still has to send a readable one.
- A rejected file is tied to the unit its metadata, title line or name points at
  (``intake.rejected_unit``), so ``status`` shows that unit as "đã gửi tệp không đọc được".
- Which submission of a unit counts is not stored state that can drift: it is recomputed from the
  rows (latest received, ties by file name) each time something that decides it changes.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.atomic import write_atomic
from app.mail.incoming import is_envelope
from app.steps import Steps
from app.workbook.intake import Rejected, Submission, expand_with_others, ignored_message, receive_file, rejected_unit
from app.workbook.notice import is_notice, read_reply
from app.workbook.package import Unusable, read_original
from app.workbook.roster import RosterUnit
from scoring.model import Framework

from .backup import auto_backup
from .blobs import put_blob
from .evidence import attach_beside, recheck_with_earlier_documents, store_citations
from .originals import link_original
from .period_state import period_state, require_open
from .periods import framework_of, get_period
from .store import Workspace, WorkspaceError, dump_value, values_seal
from .units import roster_units

if TYPE_CHECKING:
    from .mail_ingest import MailLink

#: value rows for "không áp dụng" use this input name; the value is the explanation
NA_INPUT = "__na__"
#: issues about the batch rather than the file; the workspace says the same with ``status``
_NOT_STORED = frozenset({"duplicate-unit"})
#: a temp file older than this is an orphan even if a process with its pid is running (pids are reused)
ORPHAN_AGE_SECONDS = 3600


@dataclass(slots=True)
class IngestResult:
    """What one ingest did, file by file (names as given)."""

    added: list[str] = field(default_factory=list)  # new submissions
    rejected: list[Rejected] = field(default_factory=list)  # unreadable files (new or sent again), with why
    skipped: list[str] = field(default_factory=list)  # already in this period (same content)
    explanations: list[str] = field(default_factory=list)  # returned appraisal notices (giải trình) stored
    cancelled: bool = False
    mails: list[str] = field(default_factory=list)  # e-mails read (each once), as "file: subject"
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (file, why): in a folder, not ours to read
    department: list[str] = field(default_factory=list)  # the department's own workbook, received and scored
    #: evidence documents (PDF/Word) found beside the workbooks: (name, unit) stored with that unit's
    #: counted submission; names no unit could be told for; (name, why) refused
    documents: list[tuple[str, str]] = field(default_factory=list)
    unmatched_documents: list[str] = field(default_factory=list)
    refused_documents: list[tuple[str, str]] = field(default_factory=list)
    #: folder → units whose workbooks were there (how a document beside one unit's workbook finds it)
    folders: dict[Path, set[str]] = field(default_factory=dict, repr=False)

    def explanations_line(self) -> str:
        """The returned appraisal notices, in one sentence for the CLI and the desktop ('' when none)."""
        if not self.explanations:
            return ""
        return (f"Đã nhận giải trình trong {len(self.explanations)} thông báo thẩm định gửi lại: "
                f"{', '.join(self.explanations)}.")  # fmt: skip


def _time_text(when: datetime) -> str:
    return when.replace(microsecond=0).isoformat(sep=" ")


def store_original(ws: Workspace, data: bytes, sha256: str, name: str) -> str:
    """Copy a received file into ``received/`` unchanged and read-only; returns its workspace-relative path.

    Written to a temporary name then renamed, so ``received/<sha256>.<ext>`` is either complete or
    absent; if it is already there (an earlier run, maybe killed just after), it is left untouched.
    """
    put_blob(ws, sha256, data)  # a shared workspace keeps the bytes in the database; the file is then a cache
    ext = Path(name).suffix.lower()
    relative = f"received/{sha256}{ext}"
    target = ws.folder / relative
    if target.exists():
        return relative
    tmp = target.with_name(f".{sha256}.{os.getpid()}.tmp")  # named after us: see remove_orphan_temps
    write_atomic(target, data, mode=0o444, temp=tmp)
    return relative


def _process_alive(pid: int) -> bool:
    """Whether a process with this pid runs; True when it cannot be told.

    Only asked on POSIX: on Windows ``os.kill(pid, 0)`` would terminate the process, so there the
    age of the temp file alone decides.
    """
    if sys.platform == "win32" or pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, under another account
        return True
    return True


def remove_orphan_temps(ws: Workspace, *, now: float | None = None) -> list[str]:
    """Delete ``received/.*.tmp`` left by a copy that was killed; returns the names removed.

    A temp file is an orphan when the process named in it (``.<sha256>.<pid>.tmp``) no longer runs,
    or when it is older than ``ORPHAN_AGE_SECONDS`` (a reused pid, or Windows). A copy in progress
    right now is young and its process alive, so it is left alone.
    """
    now = time.time() if now is None else now
    removed: list[str] = []
    for tmp in ws.received.glob(".*.tmp"):
        parts = tmp.name.split(".")  # ["", sha, pid, "tmp"]
        pid = int(parts[-2]) if len(parts) >= 4 and parts[-2].isdigit() else 0
        try:
            old = now - tmp.stat().st_mtime > ORPHAN_AGE_SECONDS
            if not (old or (pid and not _process_alive(pid))):
                continue
            os.chmod(tmp, 0o600)  # read-only files cannot be deleted on Windows
            tmp.unlink()
        except OSError:  # vanished meanwhile, or locked: try again next time
            continue
        removed.append(tmp.name)
    return sorted(removed)


def ingest(ws: Workspace, period: str, paths: Iterable[Path],
           progress: Callable[[int, int, str], None] | None = None,
           cancelled: Callable[[], bool] | None = None,
           received: datetime | None = None) -> IngestResult:  # fmt: skip
    """Receive files (and the spreadsheets inside folders) for a period; see the module docstring.

    ``received`` sets the received time of every file; by default each file's modification time
    is used (what the office sees in the attachments folder), editable later with ``set_received``.
    """
    info = get_period(ws, period)
    framework = framework_of(ws, info.code)
    roster = roster_units(ws, info.code)
    auto_backup(ws, "truoc-tiep-nhan")
    remove_orphan_temps(ws)
    result = IngestResult()
    paths = list(paths)
    files, others = expand_with_others(paths)
    steps = Steps(files, lambda p: p.name, progress, cancelled)
    for path in steps:
        _ingest_one(ws, info.code, framework, roster, path, received, result)
    result.cancelled = steps.cancelled
    if not steps.cancelled:  # the PDF/Word documents beside the workbooks, then the evidence checks
        beside = attach_beside(ws, info.code, paths, result.folders)
        result.documents += beside.attached  # after any an e-mail carried (mail_ingest)
        result.unmatched_documents += beside.unmatched
        result.refused_documents += beside.refused
        recheck_with_earlier_documents(ws, info.code)
    documents = (
        {n for n, _ in result.documents} | set(result.unmatched_documents) | {n for n, _ in result.refused_documents}
    )
    result.ignored = [(str(p), ignored_message(p)) for p in others if p.name not in documents]
    return result


def _ingest_one(ws: Workspace, period: str, framework: Framework, roster: Sequence[RosterUnit],
                path: Path, received: datetime | None, result: IngestResult) -> None:  # fmt: skip
    sha = ""
    try:
        data = read_original(path)  # a link, FIFO, device or oversized file is refused before any read
        mtime = datetime.fromtimestamp(os.stat(path).st_mtime)
        if is_envelope(path.name, data):  # a saved e-mail, mbox or .zip: its workbooks (issue 18)
            from .mail_ingest import ingest_envelopes

            ingest_envelopes(ws, period, framework, roster, path, data, received or mtime, result,
                             fixed=received is not None)  # fmt: skip
            return
        sha = hashlib.sha256(data).hexdigest()
    except Unusable as exc:
        reject(ws, period, roster, path.name, path, sha, exc, received, result)
        return
    except OSError as exc:
        raise WorkspaceError(f"Không đọc được tệp {path}: {exc}.") from exc
    add_workbook(ws, period, framework, roster, path.name, path, data, (received or mtime), result)


def add_workbook(ws: Workspace, period: str, framework: Framework, roster: Sequence[RosterUnit], name: str,
                 path: Path | None, data: bytes, when: datetime, result: IngestResult,
                 mail: MailLink | None = None) -> None:  # fmt: skip
    """Read one workbook's bytes and store it as a submission received at ``when`` (or record why not)."""
    sha = hashlib.sha256(data).hexdigest()
    when = when.replace(microsecond=0)
    if _rejected_before(ws, period, sha, name, path, result):
        return
    if _known(ws, period, sha):
        result.skipped.append(name)
        _note_folder(ws, period, sha, path, result)
        return
    if is_notice(data, name):  # a returned appraisal notice: explanations, not a submission
        _ingest_notice(ws, period, data, sha, name, path, result)
        return
    try:
        sub = receive_file(data, framework, period, roster, file=name, received=when)
    except Unusable as exc:  # refused: recorded (with the unit it names), never copied into received/
        reject(ws, period, roster, name, path, sha, exc, when, result)
        return
    if not sub.unit_code and sub.identity.framework_id not in ("", framework.id):
        from .department import received_as_department  # it builds on the ranking: imported when needed

        if (
            received_as_department(ws, period, name, data) is not None
        ):  # the office's own return, dropped with the units'
            result.department.append(name)
            return
    if mail is not None:
        sub.issues += mail.sender_issues(sub.unit_code, roster, name)
    stored = store_original(ws, data, sha, name)
    with ws.transaction() as conn:
        # asked again under the write lock: two ingests of the same folder at once (two clerks, the
        # desktop and the command line) both read "not known" above; the second one to get here skips
        if _known(ws, period, sha):
            result.skipped.append(name)
            return
        _insert_file(conn, sha, name, len(data), sub.kind, stored)
        sid = _insert_submission(conn, period, sha, sub, mail)
        store_citations(ws, sid, period, sub.file, sub.unit_code, sub.cited)
        held = _hold_if_published(ws, period, sid, sub.eligible)
        details = {"period": period, "file": name, "sha256": sha, "submission": sid, "unit": sub.unit_code,
                   "issues": len(sub.issues), **({"held": True} if held else {})}  # fmt: skip
        if mail is not None:
            details.update(mail.audit())
        ws.audit("ingest", details)
        if sub.unit_code and not held:
            decide_active(ws, period, sub.unit_code)
    link_original(ws, period, stored, name, when, sub.unit_code)
    result.added.append(name)
    if sub.unit_code and path is not None:  # documents beside this workbook belong to its unit
        result.folders.setdefault(path.parent, set()).add(sub.unit_code)


def _note_folder(ws: Workspace, period: str, sha: str, path: Path | None, result: IngestResult) -> None:
    """A workbook received before still tells which unit the documents beside it belong to."""
    if path is None:
        return
    known = ws.conn.execute("SELECT unit_code FROM submissions WHERE period = ? AND file_sha256 = ?",
                            (period, sha)).fetchone()  # fmt: skip
    if known is not None and known["unit_code"]:
        result.folders.setdefault(path.parent, set()).add(known["unit_code"])


def reject(ws: Workspace, period: str, roster: Sequence[RosterUnit], name: str, path: Path | None, sha: str,
           exc: Unusable, when: datetime | None, result: IngestResult, unit: str | None = None) -> None:  # fmt: skip
    """Record a file (or e-mail) that gives nothing to count, with the unit it names; never copied."""
    # a file refused before it was read is keyed by its name: the same folder dropped again is harmless
    key = sha or hashlib.sha256(f"unread\0{name}".encode()).hexdigest()
    if _rejected_before(ws, period, key, name, path, result):
        return
    unit = rejected_unit(exc, name, roster) if unit is None else unit
    with ws.transaction() as conn:
        if not _known_rejected(ws, period, key):  # else another clerk's ingest took it meanwhile: one row
            conn.execute(
                "INSERT INTO rejected(period, sha256, original_name, code, message, received_at, unit_code) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (period, key, name, exc.code, exc.message, _time_text(when or datetime.now()), unit))  # fmt: skip
            ws.audit("reject", {"period": period, "file": name, "sha256": key, "code": exc.code,
                                "message": exc.message, "unit": unit})  # fmt: skip
            if period_state(ws, period).published:  # refused after publishing: not part of the published period
                conn.execute(
                    "INSERT INTO held_rejected(period, sha256) VALUES (?, ?) ON CONFLICT (period, sha256) DO NOTHING",
                    (period, key),
                )
    result.rejected.append(Rejected(name, path, exc.code, exc.message, unit))


def _ingest_notice(ws: Workspace, period: str, data: bytes, sha: str, name: str, path: Path | None,
                   result: IngestResult) -> None:  # fmt: skip
    """Keep a returned appraisal notice's original and store its explanations (``explain.store_reply``)."""
    from .explain import store_reply  # explain builds on ranking, which builds on this module

    reply = read_reply(data, name)
    if reply is None:
        return
    if ws.conn.execute("SELECT 1 FROM explanations WHERE period = ? AND file_sha256 = ?", (period, sha)).fetchone():
        result.skipped.append(name)
        return
    try:
        if reply.period != period or period_state(ws, period).published:  # said by store_reply: before copying
            store_reply(ws, period, reply, file_name=name, sha256=sha)
        stored = store_original(ws, data, sha, name)
        with ws.transaction() as conn:
            _insert_file(conn, sha, name, len(data), "xlsx", stored)
            store_reply(ws, period, reply, file_name=name, sha256=sha)
    except WorkspaceError as exc:  # another period's notice, or a published period: said, never stops the batch
        result.rejected.append(Rejected(name, path, "unreadable", str(exc), reply.unit_code))
        return
    result.explanations.append(name)


def _hold_if_published(ws: Workspace, period: str, sid: int, eligible: bool) -> bool:
    """A file received for a published period is stored but changes nothing: kept as not counted,
    and remembered so that reopening the period counts it as it would have been (``rounds.reopen``)."""
    if not period_state(ws, period).published:
        return False
    ws.conn.execute("UPDATE submissions SET status = 'not-counted' WHERE id = ?", (sid,))
    ws.conn.execute("INSERT INTO held_submissions(submission_id, eligible) VALUES (?, ?)", (sid, int(eligible)))
    return True


def _known(ws: Workspace, period: str, sha: str) -> bool:
    return ws.conn.execute("SELECT 1 FROM submissions WHERE period = ? AND file_sha256 = ?",
                           (period, sha)).fetchone() is not None  # fmt: skip


def _rejected_before(ws: Workspace, period: str, key: str, name: str, path: Path | None,
                     result: IngestResult) -> bool:  # fmt: skip
    """A file already refused for the period is refused again, with its reason, under the name it has now."""
    earlier = ws.conn.execute("SELECT original_name, code, message, unit_code FROM rejected "
                              "WHERE period = ? AND sha256 = ?", (period, key)).fetchone()  # fmt: skip
    if earlier is None:
        return False
    same_name = earlier["original_name"] == name
    message = earlier["message"] if same_name else Unusable(earlier["code"], name).message
    result.rejected.append(Rejected(name, path, earlier["code"], message, earlier["unit_code"], again=True))
    return True


def _known_rejected(ws: Workspace, period: str, sha: str) -> bool:
    return ws.conn.execute("SELECT 1 FROM rejected WHERE period = ? AND sha256 = ?",
                           (period, sha)).fetchone() is not None  # fmt: skip


def _insert_file(conn: sqlite3.Connection, sha: str, name: str, size: int, kind: str, stored: str) -> None:
    conn.execute("INSERT INTO files(sha256, original_name, size, kind, stored_path) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT (sha256) DO NOTHING",
                 (sha, name, size, kind, stored))  # fmt: skip


def _insert_submission(conn: sqlite3.Connection, period: str, sha: str, sub: Submission,
                       mail: MailLink | None = None) -> int:  # fmt: skip
    counts = sub.eligible
    cur = conn.execute(
        "INSERT INTO submissions(period, unit_code, file_sha256, file_name, received_at, identified_by, status, "
        "framework_version, mail_sha256, received_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (period, sub.unit_code or None, sha, sub.file, _time_text(sub.received), sub.identity.by,
         "superseded" if counts else "not-counted", sub.identity.framework_version,
         mail.sha256 if mail else None, mail.received_from if mail else "file"))  # fmt: skip
    sid = int(cur.fetchone()[0])
    rows = [(sid, code, name, dump_value(value)) for code, values in sub.inputs.values.items()
            for name, value in values.items()]  # fmt: skip
    rows += [(sid, code, NA_INPUT, dump_value(expl)) for code, expl in sub.inputs.not_applicable.items()]
    rows += [(sid, "", name, dump_value(value)) for name, value in sub.fields.items()]
    conn.executemany("INSERT INTO submission_values(submission_id, indicator, input, value_json) VALUES (?, ?, ?, ?)",
                     rows)  # fmt: skip
    conn.execute("UPDATE submissions SET seal = ? WHERE id = ?", (values_seal(r[1:] for r in rows), sid))
    conn.executemany(
        "INSERT INTO issues(submission_id, code, severity, sheet, cell, indicator, name, value, message) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(sid, i.code, str(i.severity), i.sheet, i.cell, i.indicator, i.name, i.value, i.message)
         for i in sub.issues if i.code not in _NOT_STORED])  # fmt: skip
    return sid


def decide_active(ws: Workspace, period: str, unit_code: str) -> None:
    """Make the unit's latest counting submission active and its others superseded.

    "Latest" is the received time, then the file name (a unit's ``_v2`` after its first file),
    then the content hash so the decision never depends on insertion order. Call inside a
    transaction.
    """
    rows = ws.conn.execute(
        "SELECT id FROM submissions WHERE period = ? AND unit_code = ? AND status IN ('active', 'superseded') "
        "ORDER BY received_at DESC, file_name DESC, file_sha256 DESC", (period, unit_code)).fetchall()  # fmt: skip
    for n, row in enumerate(rows):
        ws.conn.execute(
            "UPDATE submissions SET status = ? WHERE id = ?", ("active" if n == 0 else "superseded", row[0])
        )


def set_received(ws: Workspace, submission_id: int, when: datetime, *, who: str | None = None) -> None:
    """Correct a submission's received time (e.g. the e-mail's date, not the file's), audited.

    The time decides lateness and which of a unit's files is the latest, so both are re-decided.
    """
    row = ws.conn.execute("SELECT period, unit_code, received_at, file_name FROM submissions WHERE id = ?",
                          (submission_id,)).fetchone()  # fmt: skip
    if row is None:
        raise WorkspaceError(f"Không có bản nộp số {submission_id}.")
    require_open(ws, row["period"], "sửa ngày nhận")
    with ws.transaction() as conn:
        conn.execute("UPDATE submissions SET received_at = ?, received_from = 'set' WHERE id = ?",
                     (_time_text(when), submission_id))  # fmt: skip
        ws.audit("set-received", {"period": row["period"], "submission": submission_id, "file": row["file_name"],
                                  "old": row["received_at"], "new": _time_text(when)}, who)  # fmt: skip
        if row["unit_code"]:
            decide_active(ws, row["period"], row["unit_code"])
