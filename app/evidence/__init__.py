"""Evidence documents (tài liệu kiểm chứng) units cite per indicator and send with their workbook.

citations.py reads what a unit wrote in an evidence cell; documents.py reads what a PDF or Word
file says (its text, the number/symbols and dates in it, its signatures via signatures.py);
checks.py compares the two and yields ``Issue`` data located on the indicator's evidence cell.
All pure: bytes in, data out; the workspace (``app.workspace.evidence``) stores and re-checks.
"""
