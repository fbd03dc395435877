"""The consolidated report of a period: one print-ready workbook with charts, an appendix workbook
explaining every score (printed on request), CSV and JSON of the ranking and the matrix for upload
upward, and the same CSV for a person to open in Excel. No Qt; the CLI and the desktop call
``make_report`` alike."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from app.atomic import TargetLocked
from app.signoff import sign_off
from app.workspace.backup import auto_backup
from app.workspace.store import Workspace

from .data import ReportData, gather
from .docx import TEMPLATE_NAME, docx_filename, write_docx
from .export import export_files
from .xlsx import report_filename, write_report

__all__ = ["ReportData", "ReportResult", "TargetLocked", "gather", "make_report", "write_report"]


@dataclass(frozen=True, slots=True)
class ReportResult:
    data: ReportData
    workbook: Path
    exports: list[Path] = field(default_factory=list)  # CSV to upload, CSV to read, JSON
    appendix: Path | None = None  # the explanations workbook beside the report, printed on request
    docx: Path | None = None  # the written report (Word), when asked for


def make_report(ws: Workspace, period: str, out: Path | None = None, *, exports: bool = True,
                now: datetime | None = None, docx: bool = False, prepared_by: str | None = None,
                approved_by: str | None = None) -> ReportResult:  # fmt: skip
    """Write the period's report (by default ``reports/<period>/bao-cao-tong-hop-<period>.xlsx``)
    and, beside it, its explanations appendix and the CSV/JSON exports; audited. ``TargetLocked``
    when a target is open."""
    signed = sign_off(prepared_by, approved_by)  # refused before anything is written
    auto_backup(ws, "truoc-bao-cao")
    data = replace(gather(ws, period, now), signoff=signed)
    target = out if out is not None else ws.folder / "reports" / data.info.code / report_filename(data.info.code)
    workbook, appendix = write_report(data, target)
    files = export_files(data, workbook.parent) if exports else []
    written = None
    if docx:  # the same data as the workbook; the office's own template when it has put one in the workspace
        template = ws.folder / TEMPLATE_NAME
        written = write_docx(data, workbook.parent / docx_filename(data.info.code),
                             template if template.is_file() else None)  # fmt: skip
    if ws.read_only:  # a read-only share: the report goes elsewhere (--out) and nothing is recorded
        return ReportResult(data, workbook, files, appendix, written)
    with ws.transaction():
        ws.audit("report", {"period": data.info.code, "file": str(workbook), "appendix": appendix.name,
                            "exports": [p.name for p in files], **({"docx": written.name} if written else {}),
                            **({"prepared_by": signed.prepared_by, "approved_by": signed.approved_by}
                               if signed else {})})  # fmt: skip
    return ReportResult(data, workbook, files, appendix, written)
