"""Evidence documents in the workspace: stored with their submission, checked, listed, re-checked.

Why this shape (issue 23, point 2):
- A document arrives "with a submission": dropped beside the workbook (``ingest`` calls
  ``attach_beside`` with what it was given) or attached to the e-mail (the e-mail intake calls
  ``attach_evidence`` with the attachments and the submission they came with). Both end here.
- Documents are kept like received workbooks: the original bytes, unchanged and read-only, as
  ``received/<sha256>.<ext>`` (``ingest.store_original``), one row per (submission, content).
- The checks (``app.evidence.checks``) run over the submission's cited evidence cells, stored at
  ingest (``evidence_citations``), and every document stored with it; each run replaces the
  submission's ``evidence-…`` issues in one transaction, so a document sent later, or root
  certificates put in ``chung-thu-goc/`` later, are taken into account by ``recheck``.
- A document is matched to its unit by its file name (the unit's code or name), else by the folder
  it was dropped in (holding the workbook of exactly one unit), else by its content (it carries a
  number/symbol cited by exactly one unit); one that matches none is reported, never guessed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.evidence.checks import CHECK_CODES, CitedCell, check_evidence
from app.evidence.documents import EVIDENCE_SUFFIXES, Document, read_document
from app.evidence.signatures import load_roots
from app.period import parse_period
from app.workbook.identify import unit_in_file_name
from app.workbook.issues import CATALOG, Issue, Severity
from app.workbook.package import Unusable, read_original

from .blobs import local_copy
from .store import Workspace, WorkspaceError
from .units import roster_units

#: where the office puts the root certificates signatures are verified against
ROOTS_FOLDER = "chung-thu-goc"
BESIDE = "thư mục"
EMAIL = "thư điện tử"


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """One stored document, as the desktop and the CLI list it."""

    id: int
    submission_id: int
    unit_code: str
    name: str  # as received
    kind: str  # pdf | docx | doc
    size: int
    path: Path  # the stored copy (read-only)
    received_at: str
    source: str
    indicators: tuple[str, ...]  # indicators (or fields) whose cited documents it matched


def roots_folder(ws: Workspace) -> Path:
    return ws.folder / ROOTS_FOLDER


def store_citations(ws: Workspace, submission_id: int, period: str, file: str, unit: str,
                    cited: Sequence[tuple[str, str, str, str, str]]) -> None:  # fmt: skip
    """Record a submission's evidence cells and their first check, with no document yet (call inside the
    ingest's transaction: a process killed at any moment leaves both or neither)."""
    ws.conn.executemany("INSERT INTO evidence_citations(submission_id, indicator, name, sheet, cell, text) "
                        "VALUES (?, ?, ?, ?, ?, ?)", [(submission_id, *c) for c in cited])  # fmt: skip
    issues = check_evidence([CitedCell(*c) for c in cited], [], parse_period(period).last_day, file=file, unit=unit)
    _insert_issues(ws, submission_id, issues)


def _insert_issues(ws: Workspace, submission_id: int, issues: Sequence[Issue]) -> None:
    ws.conn.executemany(
        "INSERT INTO issues(submission_id, code, severity, sheet, cell, indicator, name, value, message) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(submission_id, i.code, str(i.severity), i.sheet, i.cell, i.indicator, i.name, i.value, i.message)
         for i in issues])  # fmt: skip


def attach_evidence(ws: Workspace, submission_id: int, files: Sequence[tuple[str, bytes]], *, source: str = EMAIL,
                    received: datetime | None = None) -> list[Issue]:  # fmt: skip
    """Store documents with a submission and check its evidence again; returns the findings.

    ``files``: (name as received, bytes). The same content sent twice is stored once.
    """
    from .ingest import store_original  # ingest calls back into this module

    row = ws.conn.execute("SELECT id FROM submissions WHERE id = ?", (submission_id,)).fetchone()
    if row is None:
        raise WorkspaceError(f"Không có bản nộp số {submission_id}.")
    when = (received or datetime.now()).replace(microsecond=0).isoformat(sep=" ")
    stored = []
    for name, data in files:
        sha = hashlib.sha256(data).hexdigest()
        stored.append((name, sha, len(data), store_original(ws, data, sha, name)))
    with ws.transaction() as conn:
        for name, sha, size, path in stored:
            cur = conn.execute(
                "INSERT INTO evidence_files(submission_id, sha256, original_name, kind, size, stored_path, "
                "received_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submission_id, sha256) DO NOTHING",
                (submission_id, sha, name, Path(name).suffix.lower().lstrip("."), size, path, when, source))  # fmt: skip
            if cur.rowcount:
                ws.audit("evidence", {"submission": submission_id, "file": name, "sha256": sha, "source": source})
    return recheck(ws, submission_id)


def _documents(ws: Workspace, submission_id: int, roots: tuple[bytes, ...]) -> list[Document]:
    """The documents the unit sent in the period: with this submission and with its earlier ones (a
    corrected workbook is sent again without the PDFs that came with the first); each content once."""
    rows = ws.conn.execute(
        "SELECT MIN(e.original_name) AS original_name, MIN(e.stored_path) AS stored_path, e.sha256 "
        "FROM evidence_files e "
        "JOIN submissions s ON s.id = e.submission_id JOIN submissions me ON me.id = ? "
        "WHERE s.id = me.id OR (me.unit_code IS NOT NULL AND s.unit_code = me.unit_code AND s.period = me.period) "
        "GROUP BY e.sha256 ORDER BY MIN(e.id)", (submission_id,)).fetchall()  # fmt: skip
    out = []
    for r in rows:
        try:
            data = local_copy(ws, r["stored_path"], r["sha256"]).read_bytes()
        except OSError:
            continue  # a stored copy removed by hand: the list still shows the row
        out.append(read_document(r["original_name"], data, roots))
    return out


def recheck(ws: Workspace, submission_id: int) -> list[Issue]:
    """Run the evidence checks of one submission again and store their findings in place of the old ones."""
    sub = ws.conn.execute("SELECT period, unit_code, file_name FROM submissions WHERE id = ?",
                          (submission_id,)).fetchone()  # fmt: skip
    if sub is None:
        raise WorkspaceError(f"Không có bản nộp số {submission_id}.")
    roots = tuple(load_roots(roots_folder(ws)))
    cited = [CitedCell(r["indicator"], r["name"], r["sheet"], r["cell"], r["text"]) for r in ws.conn.execute(
        "SELECT * FROM evidence_citations WHERE submission_id = ? ORDER BY rowid", (submission_id,))]  # fmt: skip
    issues = check_evidence(cited, _documents(ws, submission_id, roots), parse_period(sub["period"]).last_day,
                            file=sub["file_name"], unit=sub["unit_code"] or "", roots_supplied=bool(roots))  # fmt: skip
    with ws.transaction() as conn:
        codes = sorted(CHECK_CODES)
        conn.execute(f"DELETE FROM issues WHERE submission_id = ? AND code IN ({', '.join('?' * len(codes))})",
                     (submission_id, *codes))  # fmt: skip
        _insert_issues(ws, submission_id, issues)
    return issues


def evidence_issues(ws: Workspace, submission_id: int, *, problems_only: bool = True) -> list[Issue]:
    """The stored evidence findings of a submission (for the feedback workbook, which re-reads the file).

    ``problems_only``: errors and warnings — the unit has nothing to do about a document found or a
    signature intact, and a feedback sheet listing those would bury what it must fix.
    """
    codes = sorted(c for c in CHECK_CODES if not problems_only or CATALOG[c][0] is not Severity.INFO)
    rows = ws.conn.execute(
        f"SELECT i.*, s.file_name, s.unit_code FROM issues i JOIN submissions s ON s.id = i.submission_id "
        f"WHERE i.submission_id = ? AND i.code IN ({', '.join('?' * len(codes))}) ORDER BY i.rowid",
        (submission_id, *codes)).fetchall()  # fmt: skip
    return [Issue(r["code"], Severity(r["severity"]), r["message"], r["file_name"], r["sheet"], r["cell"],
                  r["unit_code"] or "", r["indicator"], r["value"], r["name"]) for r in rows]  # fmt: skip


def list_evidence(ws: Workspace, period: str, unit_code: str | None = None) -> list[EvidenceFile]:
    """The documents stored with the period's submissions (the active one of each unit first), by unit."""
    sql = ("SELECT e.*, s.unit_code FROM evidence_files e JOIN submissions s ON s.id = e.submission_id "
           "WHERE s.period = ?" + (" AND s.unit_code = ?" if unit_code else "") +
           " ORDER BY s.unit_code, s.status = 'active' DESC, e.original_name")  # fmt: skip
    rows = ws.conn.execute(sql, (period, unit_code) if unit_code else (period,)).fetchall()
    found: dict[tuple[int, str], set[str]] = {}
    for r in ws.conn.execute(
            "SELECT i.submission_id, i.indicator, i.message FROM issues i JOIN submissions s ON s.id = i.submission_id "
            "WHERE s.period = ? AND i.code = 'evidence-found'", (period,)):  # fmt: skip
        found.setdefault((r["submission_id"], r["indicator"]), set()).add(r["message"])
    out = []
    for r in rows:
        indicators = tuple(sorted({ind for (sid, ind), messages in found.items() if sid == r["submission_id"]
                                   and any(f"“{r['original_name']}”" in m for m in messages)}))  # fmt: skip
        out.append(EvidenceFile(r["id"], r["submission_id"], r["unit_code"] or "", r["original_name"], r["kind"],
                                r["size"], local_copy(ws, r["stored_path"], r["sha256"]), r["received_at"], r["source"], indicators))  # fmt: skip
    return out


# --- documents dropped beside the workbooks ---------------------------------------------------------


def expand_documents(paths: Iterable[Path]) -> list[Path]:
    """The PDF/Word files named, or inside the folders named (recursively; links never followed)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir() and not p.is_symlink():
            out += _walk(p)
        elif p.suffix.lower() in EVIDENCE_SUFFIXES:
            out.append(p)
    return list(dict.fromkeys(out))


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        path = folder / entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                found += _walk(path)
                continue
        except OSError:
            continue
        if Path(entry.name).suffix.lower() in EVIDENCE_SUFFIXES and not entry.name.startswith(("~$", ".")):
            found.append(path)
    return found


@dataclass(slots=True)
class BesideResult:
    attached: list[tuple[str, str]]  # (document name, unit code)
    unmatched: list[str]  # documents no unit could be told for
    refused: list[tuple[str, str]]  # (document name, why) — not a regular file, too large


def attach_beside(ws: Workspace, period: str, paths: Iterable[Path], folders: dict[Path, set[str]]) -> BesideResult:
    """Attach the documents found in ``paths`` to the units' active submissions of ``period``.

    ``folders``: folder → unit codes whose workbooks were found there in this ingest.
    """
    result = BesideResult([], [], [])
    docs = expand_documents(paths)
    if not docs:
        return result
    roster = roster_units(ws)
    active = {r["unit_code"]: r["id"] for r in ws.conn.execute(
        "SELECT id, unit_code FROM submissions WHERE period = ? AND status = 'active'", (period,))}  # fmt: skip
    cited: dict[str, set[str]] = {}  # unit → texts of its evidence cells
    for r in ws.conn.execute("SELECT s.unit_code, c.text FROM evidence_citations c JOIN submissions s ON "
                             "s.id = c.submission_id WHERE s.status = 'active' AND s.period = ?", (period,)):  # fmt: skip
        cited.setdefault(r["unit_code"], set()).add(r["text"])
    by_unit: dict[str, list[tuple[str, bytes]]] = {}
    latest: dict[str, datetime] = {}  # a unit's documents are received when the last of them was saved
    for path in docs:
        try:
            data = read_original(path)
            mtime = datetime.fromtimestamp(path.stat().st_mtime)
        except OSError as exc:
            result.refused.append((path.name, f"không đọc được ({exc.strerror or exc})"))
            continue
        except Unusable as exc:
            result.refused.append((path.name, exc.message))
            continue
        unit = _unit_for(path, data, roster, folders, cited)
        if unit is None or unit not in active:
            result.unmatched.append(path.name)
            continue
        by_unit.setdefault(unit, []).append((path.name, data))
        latest[unit] = max(latest.get(unit, mtime), mtime)
        result.attached.append((path.name, unit))
    for unit, files in by_unit.items():
        attach_evidence(ws, active[unit], files, source=BESIDE, received=latest[unit])
    return result


def recheck_with_earlier_documents(ws: Workspace, period: str) -> list[int]:
    """Check again each counted submission whose unit sent documents in the period with another of its
    submissions only (a corrected workbook sent alone); returns the submissions checked. Idempotent."""
    rows = ws.conn.execute(
        "SELECT DISTINCT s.id FROM submissions s JOIN submissions o ON o.period = s.period AND o.unit_code = s.unit_code "
        "AND o.id != s.id JOIN evidence_files e ON e.submission_id = o.id WHERE s.period = ? AND s.status = 'active' "
        "AND NOT EXISTS (SELECT 1 FROM evidence_files mine WHERE mine.submission_id = s.id)", (period,)).fetchall()  # fmt: skip
    for (sid,) in rows:
        recheck(ws, sid)
    return [int(r[0]) for r in rows]


def unmatched_message(name: str) -> str:
    """What to say about a document no unit could be told for."""
    return (
        f"Không biết tài liệu “{name}” của đơn vị nào (tên tệp, thư mục và nội dung đều không chỉ ra); hãy đặt "
        "tệp vào thư mục cùng tệp Excel của đơn vị, hoặc thêm mã đơn vị vào tên tệp, rồi tiếp nhận lại."
    )


def _unit_for(path: Path, data: bytes, roster: Sequence[object], folders: dict[Path, set[str]],
              cited: dict[str, set[str]]) -> str | None:  # fmt: skip
    from app.evidence.citations import parse_citations

    named = unit_in_file_name(path.name, roster)  # type: ignore[arg-type]
    if named is not None:
        return named.code
    here = folders.get(path.parent, set())
    if len(here) == 1:
        return next(iter(here))
    doc = read_document(path.name, data)
    units = {unit for unit, texts in cited.items()
             if any(doc.mentions(c.symbol) for text in texts for c in parse_citations(text))}  # fmt: skip
    if len(units) == 1:
        return units.pop()
    return None


__all__ = [
    "BESIDE",
    "EMAIL",
    "ROOTS_FOLDER",
    "BesideResult",
    "EvidenceFile",
    "attach_beside",
    "attach_evidence",
    "evidence_issues",
    "expand_documents",
    "list_evidence",
    "recheck",
    "recheck_with_earlier_documents",
    "roots_folder",
    "store_citations",
    "unmatched_message",
]
