"""Small Word documents (.docx) for the demo's evidence and the test fixtures: an administrative
document's header, its number/symbol and date, and a few lines of text.

Written with ``zipfile`` alone (the smallest valid WordprocessingML package), so neither the demo
nor the frozen program needs a Word library; the bytes are the same on every run.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FIXED = (2023, 1, 1, 0, 0, 0)
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>'),
}  # fmt: skip


def docx_bytes(paragraphs: Sequence[str]) -> bytes:
    """A .docx whose body is ``paragraphs``, one per line, in Times New Roman."""
    body = "".join(f'<w:p><w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/></w:rPr>'
                   f'<w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paragraphs)  # fmt: skip
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'
                f"{body}</w:body></w:document>")  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (*_PARTS.items(), ("word/document.xml", document)):
            z.writestr(zipfile.ZipInfo(name, _FIXED), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def administrative_document(issuer: str, symbol: str, when: date, kind: str, subject: str,
                            lines: Sequence[str] = ()) -> bytes:  # fmt: skip
    """An administrative document as units attach it: issuer, "Số: 15/QĐ-SVHTT", place and date, title."""
    return docx_bytes([
        issuer.upper(), f"Số: {symbol}", f"Thành phố Hồ Chí Minh, ngày {when.day:02d} tháng {when.month:02d} năm "
        f"{when.year}", kind.upper(), subject, *lines])  # fmt: skip


__all__ = ["administrative_document", "docx_bytes"]
