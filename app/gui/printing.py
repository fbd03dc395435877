"""Printing from the desktop: Qt's print preview over the core's printable HTML (DESIGN §9.4).

``app.report.printable`` decides what is printed; this module only lays it out on the printer's
page (``QTextDocument``), shows ``QPrintPreviewDialog`` (zoom, page setup, the printer, or "Microsoft
Print to PDF"), and can write a PDF directly (``to_pdf``: for tests and for offices without a
printer). The preview is opened window-modal and not blocking, so a test can close it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget


def document(html: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc


def _printer(landscape: bool) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation,
                                      QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))  # fmt: skip
    return printer


def preview(parent: QWidget, html: str, title: str, *, landscape: bool = False) -> QPrintPreviewDialog:
    """Open the print preview of ``html`` (A4; the clerk may change paper and printer there)."""
    doc = document(html)
    printer = _printer(landscape)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Xem trước khi in — {title}")
    dialog.paintRequested.connect(doc.print_)
    # the dialog keeps pointers to both, not references: they must live as long as it does
    dialog._printer = printer  # type: ignore[attr-defined]
    dialog._document = doc  # type: ignore[attr-defined]
    dialog.resize(900, 700)
    dialog.open()
    return dialog


def to_pdf(html: str, target: Path, *, landscape: bool = False) -> Path:
    """Write ``html`` as a PDF laid out exactly as the printer would get it."""
    printer = _printer(landscape)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    document(html).print_(printer)
    return target
