"""Receive a batch of returned files: open safely, read, identify, validate — one file at a time.

A file that cannot be read becomes one ``Rejected`` entry with one message; any other problem is
an issue on its ``Submission``. Nothing a file contains can stop the batch, and no file is ever
written to. Each file is read, judged and released before the next is opened, and a submission
keeps only its parsed figures and issues, so memory does not grow with the files' size.

Which submissions count: those identified, for the expected period and framework; when a unit
sent several files, the latest received wins and the others are kept as superseded (DESIGN §5).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.mail.incoming import is_envelope
from app.steps import Steps
from scoring.engine import UnitInputs, score_unit
from scoring.model import Framework

from .identify import Identity, identify, unit_in_file_name
from .issues import Issue, Severity, make_issue
from .package import Package, Unusable, open_calamine, open_package, read_original
from .reader import read_workbook
from .roster import RosterUnit
from .validate import engine_issues, parse_workbook

#: what a folder of saved e-mail attachments may hold that is worth opening
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".xltx", ".xltm"})
#: saved e-mails (.eml, Outlook .msg, mbox) and zips: opened for the workbooks they carry (issue 18)
ENVELOPE_SUFFIXES = frozenset({".eml", ".msg", ".mbox", ".mbx", ".zip"})
#: issues that mean the figures must not be counted for the period
DISQUALIFYING = frozenset({"unit-unknown", "wrong-period", "wrong-framework"})


@dataclass(slots=True)
class Submission:
    """One readable returned file: who sent it, what it says, what is wrong with it."""

    file: str  # name as received
    path: Path | None
    sha256: str
    size: int
    received: datetime  # the file's modification time unless given (decides on-time / late)
    kind: str  # xlsx | xls | xlsb | ods
    identity: Identity
    inputs: UnitInputs
    fields: dict[str, Any]
    issues: list[Issue]
    typed: dict[str, Any] = field(default_factory=dict)  # defined name → value, for the feedback workbook
    superseded_by: str = ""  # file name of the later submission of the same unit
    #: the evidence cells with text: (indicator or field, defined name, sheet, "E22", text)
    cited: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    @property
    def unit_code(self) -> str:
        return self.identity.unit_code

    @property
    def unit_name(self) -> str:
        return self.identity.unit_name

    @property
    def eligible(self) -> bool:
        """Identified, and for the expected period and framework: it may count for its unit."""
        return bool(self.unit_code) and not any(i.code in DISQUALIFYING for i in self.issues)

    @property
    def counts(self) -> bool:
        """Whether these figures enter the period's scoring (eligible, and its unit's latest)."""
        return self.eligible and not self.superseded_by

    @property
    def has_errors(self) -> bool:
        return any(i.severity is Severity.ERROR for i in self.issues)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A file that could not be read at all, with the one Vietnamese reason (``Unusable.message``)."""

    file: str
    path: Path | None
    code: str
    message: str
    unit_code: str = ""  # the roster unit its metadata, title line or name points at ("" none)
    again: bool = False  # the same content was already received (and rejected) for the period

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "path": str(self.path or ""), "code": self.code, "message": self.message,
                "unit_code": self.unit_code}  # fmt: skip


def rejected_unit(exc: Unusable, file: str, roster: Sequence[RosterUnit] | None) -> str:
    """The unit a file that cannot be read was sent for: its metadata or title line when they could be
    read, else its file name (``identify.unit_in_file_name``); "" when nothing names a roster unit."""
    if exc.unit_code or not roster:
        return exc.unit_code
    unit = unit_in_file_name(file, roster)
    return unit.code if unit is not None else ""


@dataclass(slots=True)
class Batch:
    submissions: list[Submission] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    cancelled: bool = False

    @property
    def counted(self) -> list[Submission]:
        return [s for s in self.submissions if s.counts]


def receive_file(source: Path | bytes, framework: Framework, period: str,
                 roster: Sequence[RosterUnit] | None = None, *, file: str | None = None,
                 received: datetime | None = None, keep_typed: bool = False) -> Submission:  # fmt: skip
    """Read one file; raises ``Unusable`` when it cannot be read at all."""
    package = open_package(source, file=file)
    return _submission(package, source if isinstance(source, Path) else None, framework, period, roster,
                       received, keep_typed)  # fmt: skip


def _submission(package: Package, path: Path | None, framework: Framework, period: str,
                roster: Sequence[RosterUnit] | None, received: datetime | None, keep_typed: bool) -> Submission:  # fmt: skip
    wb = open_calamine(package)
    try:
        raw = read_workbook(package, framework, wb)  # sheet reads go through package.calamine_errors
    finally:
        wb.close()
    identity, issues = identify(raw, framework, period, roster)
    other_framework = any(i.code == "wrong-framework" for i in issues)
    if not raw.cells and not other_framework:
        unusable = Unusable("layout-unrecognised", package.file)
        unusable.unit_code = identity.unit_code  # metadata, title line or file name named it
        raise unusable
    reading = None
    if not other_framework:  # another framework's names mean nothing here
        reading = parse_workbook(raw, framework, identity.unit_code, identity.unit_name)
        issues += reading.issues
        issues += engine_issues(raw, framework, reading, score_unit(framework, reading.inputs))
    if received is None:
        received = datetime.fromtimestamp(os.stat(path).st_mtime) if path is not None else datetime.now()
    return Submission(
        file=package.file, path=path, sha256=hashlib.sha256(package.data).hexdigest(), size=len(package.data),
        received=received.replace(microsecond=0), kind=package.kind, identity=identity,
        inputs=reading.inputs if reading else UnitInputs(identity.unit_code, identity.unit_name, {}, {}),
        fields=reading.fields if reading else {}, issues=issues,
        typed=reading.typed if (reading and keep_typed) else {}, cited=reading.cited if reading else [])  # fmt: skip


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named, plus the spreadsheets, e-mails and zips inside folders named (``expand_with_others``)."""
    return expand_with_others(paths)[0]


def expand_with_others(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(files to read, other files found in the folders): the second list is told, never read.

    A folder's spreadsheets, saved e-mails and zips are read (recursively, in name order); any other
    file in it (a PDF, a photo) is listed so that the office sees it was not taken, instead of it
    disappearing silently. Office's lock files (``~$name.xlsx``) and hidden files are skipped; a
    file named explicitly is always tried, whatever its extension. Inside a folder nothing is
    followed out of it: a symbolic link (to a file or a folder) is never entered, and one with a
    spreadsheet's name is listed like a file, so that reading refuses it by name ("không phải tệp
    thông thường") instead of taking whatever it points at; FIFOs and devices are listed the same way.
    """
    out: list[Path] = []
    others: list[Path] = []
    for p in paths:
        if p.is_dir():
            found, rest = _folder(p)
            out += found
            others += rest
        else:
            out.append(p)
    return list(dict.fromkeys(out)), list(dict.fromkeys(others))


def ignored_message(path: Path) -> str:
    """Why a file in a dropped folder was not read (Vietnamese, names the file)."""
    return (
        f"Bỏ qua “{path.name}” trong thư mục {path.parent}: không phải bảng tính, thư điện tử (.eml, .msg) "
        "hay tệp nén .zip. Nếu đây là biểu mẫu của đơn vị, hãy lưu lại thành .xlsx rồi tiếp nhận lại."
    )


def _folder(folder: Path) -> tuple[list[Path], list[Path]]:
    """The readable entries under ``folder`` and the others, from ``lstat`` only: links are not followed."""
    found: list[Path] = []
    others: list[Path] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:  # unreadable folder: nothing to list (the caller names what it was given)
        return found, others
    for entry in entries:
        path = folder / entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if is_dir:
            more, rest = _folder(path)
            found += more
            others += rest
        elif entry.name.startswith(("~$", ".")):
            continue
        elif Path(entry.name).suffix.lower() in SPREADSHEET_SUFFIXES | ENVELOPE_SUFFIXES:
            found.append(path)
        else:
            others.append(path)
    return sorted(found), sorted(others)


def receive(paths: Iterable[Path], framework: Framework, period: str,
            roster: Sequence[RosterUnit] | None = None, *, keep_typed: bool = False,
            progress: Callable[[int, int, str], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> Batch:  # fmt: skip
    """Read every file; the batch always completes (or stops cleanly when ``cancelled()``)."""
    batch = Batch()
    steps = Steps(expand(paths), lambda p: p.name, progress, cancelled)
    for path in steps:
        try:
            data = read_original(path)
            if is_envelope(path.name, data):  # a saved e-mail, mbox or zip: each workbook it carries
                _receive_envelopes(batch, path, data, framework, period, roster, keep_typed)
                continue
            package = open_package(data, file=path.name)
            sub = _submission(package, path, framework, period, roster, None, keep_typed)
            sub.cited = []  # the evidence cells matter only to a workspace (ingest); a batch keeps figures and issues
            batch.submissions.append(sub)
        except Unusable as exc:
            batch.rejected.append(
                Rejected(path.name, path, exc.code, exc.message, rejected_unit(exc, path.name, roster))
            )
    batch.cancelled = steps.cancelled
    mark_duplicates(batch.submissions)
    return batch


def _receive_envelopes(batch: Batch, path: Path, data: bytes, framework: Framework, period: str,
                       roster: Sequence[RosterUnit] | None, keep_typed: bool) -> None:  # fmt: skip
    """The workbooks of an e-mail or zip, received at the e-mail's sent time (Vietnam time)."""
    from app.mail.incoming import read_envelopes

    mtime = datetime.fromtimestamp(os.stat(path).st_mtime)
    for env in read_envelopes(data, path.name):
        if not env.workbooks:
            code = "mail-without-workbook" if env.is_mail else "not-a-workbook"
            detail = env.describe() if env.is_mail else "tệp nén .zip không chứa bảng tính"
            exc = Unusable(code, env.file, "; ".join([detail, *env.problems]))
            batch.rejected.append(Rejected(env.file, path, exc.code, exc.message, rejected_unit(exc, env.file, roster)))
        for att in env.workbooks:
            try:
                package = open_package(att.data, file=att.name)
                batch.submissions.append(_submission(package, path, framework, period, roster, env.sent or mtime,
                                                     keep_typed))  # fmt: skip
            except Unusable as exc:
                batch.rejected.append(Rejected(att.name, path, exc.code, exc.message,
                                               rejected_unit(exc, att.name, roster)))  # fmt: skip


def mark_duplicates(submissions: list[Submission]) -> None:
    """The latest file of a unit wins; earlier ones are kept, marked superseded, with a warning.

    "Latest" is the received time, then the file name (a unit's "_v2" after its first file);
    the very same file received twice (same content hash) is one submission, not a duplicate.
    """
    by_unit: dict[str, list[Submission]] = {}
    for s in submissions:
        if s.eligible:
            by_unit.setdefault(s.unit_code.casefold(), []).append(s)
    for group in by_unit.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda s: (s.received, s.file))
        latest = group[-1]
        for s in group[:-1]:
            s.superseded_by = latest.file
            if s.sha256 == latest.sha256:
                continue
            s.issues.append(make_issue("duplicate-unit", file=s.file, unit=s.unit_code,
                                       detail=f"\"{latest.file}\"" + f" (nhận {latest.received:%d/%m/%Y %H:%M})"))  # fmt: skip


__all__ = [
    "DISQUALIFYING",
    "ENVELOPE_SUFFIXES",
    "SPREADSHEET_SUFFIXES",
    "Batch",
    "Rejected",
    "Submission",
    "expand",
    "expand_with_others",
    "ignored_message",
    "mark_duplicates",
    "receive",
    "receive_file",
    "rejected_unit",
]  # fmt: skip
