"""The long jobs of the desktop application, as plain functions a worker process can run.

Why here and not in the GUI: the window runs these in a separate process (``app.gui.worker``) so
that reading 200 workbooks never holds the interpreter lock the window needs to repaint. A job
sent to another process must be a module-level function with picklable arguments, called as
``job(*args, progress, cancelled)`` — ``functools.partial(ingest_files, folder, period, paths)``
— and its result must pickle too, so each returns only what the window shows. Each opens its own
workspace connection from the folder (SQLite connections never cross threads or processes); the
window's own connection sees each committed transaction at once (WAL mode).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.steps import Cancelled, Progress

if TYPE_CHECKING:
    from app.workbook.generate import Generated
    from app.workspace import IngestResult
    from app.workspace.mail_drafts import DraftsResult


def warm_up() -> None:
    """Import what the jobs need, so the first job after the worker starts does not wait for it."""
    import app.report
    import app.workspace
    import app.workspace.feedback
    import app.workspace.templates  # noqa: F401


def probe(progress: Progress, cancelled: Cancelled) -> str:
    """A job that proves the worker process runs (smoke tests of the packaged program)."""
    import os
    import sys

    progress(1, 1, "")
    return f"pid {os.getpid()}, frozen {getattr(sys, 'frozen', False)}"


def ingest_files(folder: Path, period: str, paths: Sequence[Path], progress: Progress,
                 cancelled: Cancelled) -> IngestResult:  # fmt: skip
    """Tiếp nhận: receive files and folders into the workspace (``app.workspace.ingest``)."""
    from app.workspace import Workspace, ingest

    with Workspace.open(folder) as ws:
        return ingest(ws, period, [Path(p) for p in paths], progress=progress, cancelled=cancelled)


def generate_templates(folder: Path, period: str, progress: Progress, cancelled: Cancelled) -> list[Generated]:
    """Tạo biểu mẫu: one template per active unit of the roster."""
    from app.workspace import Workspace
    from app.workspace.templates import generate_for_period

    with Workspace.open(folder) as ws:
        return generate_for_period(ws, period, progress=progress, cancelled=cancelled)


@dataclass(frozen=True)
class ReportFiles:
    """What an export wrote: the workbook and the CSV/JSON files beside it."""

    workbook: Path
    exports: list[Path] = field(default_factory=list)
    docx: Path | None = None  # the written report (Word), when asked for


def export_report(folder: Path, period: str, target: Path, progress: Progress, cancelled: Cancelled,
                  docx: bool = False, prepared_by: str | None = None,
                  approved_by: str | None = None) -> ReportFiles:  # fmt: skip
    """Báo cáo: write the period's consolidated report to ``target`` and its exports beside it (and, with
    ``docx``, the written report in Word), signed off by ``prepared_by`` and ``approved_by`` when given
    (two different people)."""
    from app.report import make_report
    from app.workspace import Workspace

    progress(0, 1, target.name)
    with Workspace.open(folder) as ws:
        result = make_report(ws, period, out=target, docx=docx, prepared_by=prepared_by, approved_by=approved_by)
    progress(1, 1, target.name)
    return ReportFiles(result.workbook, list(result.exports), result.docx)


def write_department(folder: Path, period: str, progress: Progress, cancelled: Cancelled) -> Path:
    """Báo cáo: the department's own QĐ 79 self-assessment, pre-filled from the units' returns."""
    from app.workspace import Workspace
    from app.workspace.department import write_department_workbook

    progress(0, 1, "")
    with Workspace.open(folder) as ws:
        written, _ = write_department_workbook(ws, period)
    return written


def write_feedback(folder: Path, period: str, unit_code: str, progress: Progress, cancelled: Cancelled,
                   resend_by: date | None = None) -> Path:  # fmt: skip
    """Kiểm tra: write the feedback workbook of one unit's counted submission, asking for the
    corrected file by ``resend_by`` (default: ``app.period.default_resend_by`` of today)."""
    from app.workspace import Workspace
    from app.workspace.feedback import write_unit_feedback

    with Workspace.open(folder) as ws:
        return write_unit_feedback(ws, period, unit_code, resend_by)


def write_mail_drafts(folder: Path, period: str, kind: str, progress: Progress, cancelled: Cancelled) -> DraftsResult:
    """Soạn thư: one .eml draft per unit (``app.workspace.mail_drafts``); returns its ``DraftsResult``."""
    from app.workspace import Workspace
    from app.workspace.mail_drafts import write_drafts

    progress(0, 1, kind)
    with Workspace.open(folder) as ws:
        result = write_drafts(ws, period, kind)
    progress(1, 1, kind)
    return result


def backup_workspace(folder: Path, progress: Progress, cancelled: Cancelled) -> Path:
    """Tệp → Sao lưu ngay: a backup of the database into ``backups/`` (``app.workspace.backup``)."""
    from app.workspace import Workspace
    from app.workspace.backup import backup

    progress(0, 1, "")
    with Workspace.open(folder) as ws:
        return backup(ws)


def check_workspace(folder: Path, progress: Progress, cancelled: Cancelled) -> list[str]:
    """Tệp → Kiểm tra thư mục làm việc: the full check, as Vietnamese lines (empty: healthy)."""
    from app.workspace.backup import check_workspace as check

    progress(0, 1, "")
    return [p.message for p in check(folder)]


def restore_backup(source: Path, target: Path, progress: Progress, cancelled: Cancelled) -> Path:
    """Tệp → Khôi phục từ bản sao lưu: a new workspace in ``target``; the old one is not touched."""
    from app.workspace.backup import restore

    progress(0, 1, "")
    return restore(source, target).folder


__all__ = [
    "ReportFiles",
    "backup_workspace",
    "check_workspace",
    "export_report",
    "generate_templates",
    "ingest_files",
    "probe",
    "restore_backup",
    "warm_up",
    "write_department",
    "write_feedback",
    "write_mail_drafts",
]
