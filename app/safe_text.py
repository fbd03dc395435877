"""Text from outside the office that a spreadsheet could take for a formula (one home for the rule).

Unit names, contacts, narratives, file names and the unit's own answers end up in the workbooks
the program writes (templates, feedback workbooks, the report). A spreadsheet program turns a
cell beginning with ``=``, ``+``, ``-`` or ``@`` into a formula (``=HYPERLINK(...)``,
``+cmd|' /C calc'!A0``) as soon as someone edits it; tab, CR and LF count too, since some
programs strip them first. Every writer asks ``looks_like_formula`` and, when true, writes the
text as a string with Excel's quote prefix (in a workbook) or a leading apostrophe (in CSV).
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula (or a command) if typed in."""
    return text.startswith(FORMULA_TRIGGERS)


__all__ = ["FORMULA_TRIGGERS", "looks_like_formula"]
