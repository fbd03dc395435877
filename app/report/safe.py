"""Text from outside the office, made harmless in every output.

Unit names, file names, contacts and messages quoting what a unit typed all end up in the
report. A spreadsheet program turns a cell beginning with ``=``, ``+``, ``-`` or ``@`` into a
formula (``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``): in the workbook such text is written as a
string with Excel's quote prefix, so it stays text even when someone edits the cell; in CSV it
gets OWASP's leading apostrophe (tab, CR and LF included, which some programs strip first).
"""

from __future__ import annotations

from typing import Any

from app.safe_text import FORMULA_TRIGGERS, looks_like_formula

__all__ = ["FORMULA_TRIGGERS", "csv_text", "header_footer_text", "looks_like_formula"]


def csv_text(value: Any) -> str:
    """A CSV field: user text neutralised with a leading apostrophe; numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if looks_like_formula(value) else value
    return str(value)


def header_footer_text(text: str) -> str:
    """Text placed in a printed header or footer, where ``&`` starts a control code."""
    return text.replace("&", "&&")
