"""What an evidence document (PDF or Word) says: its text, the number/symbols and dates in it, its signatures.

Documents come from outside the office like workbooks do, so they are read with limits: a size
cap, the first pages of a PDF only (pypdf, BSD), a .docx's ``word/document.xml`` inflated in
bounded chunks and parsed with defusedxml (no DTDs, no entities). Nothing in a document is run or
followed, and a document that cannot be read is still kept and listed, matched by its file name
alone. Text typed in the old TCVN3/VNI fonts is converted line by line (``app.legacy_text``).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import PurePath
from typing import IO

from app.legacy_text import convert_guessed, repair
from app.workbook.filenames import ascii_fold

from .citations import dates_in, loose_key, symbols_in
from .signatures import Signature, pdf_signatures

#: what units send as evidence beside the workbook or attached to the e-mail
EVIDENCE_SUFFIXES = frozenset({".pdf", ".docx", ".doc"})
MAX_DOCUMENT_BYTES = 30 * 1024 * 1024
MAX_PDF_PAGES = 30
MAX_XML_BYTES = 20 * 1024 * 1024
MAX_TEXT = 200_000


@dataclass(frozen=True, slots=True)
class Document:
    """One evidence file as read."""

    name: str
    kind: str  # "pdf" | "docx" | "doc"
    sha256: str
    size: int
    text: str
    symbols: frozenset[str]  # loose keys (``citations.loose_key``) of the number/symbols in its text
    dates: tuple[date, ...]  # dates written in its text, in order
    signatures: tuple[Signature, ...] = ()
    problem: str = ""  # why its text could not be read ("" when it could)
    name_key: str = field(default="", repr=False)  # the file name folded for matching

    def mentions(self, symbol: str) -> str:
        """Where this document names ``symbol``: "tên tệp", "nội dung", or ""."""
        key = loose_key(symbol)
        if key in self.symbols:
            return "nội dung"
        number, _, rest = normalise_parts(symbol)
        tokens = re.findall(r"[0-9A-Z]+", self.name_key)
        if key in re.sub(r"[^0-9A-Z]", "", self.name_key) and number in tokens:
            return "tên tệp"
        if number in tokens and rest and rest in re.sub(r"[^0-9A-Z]", "", self.name_key):
            return "tên tệp"
        return ""


def normalise_parts(symbol: str) -> tuple[str, str, str]:
    """ "15/QĐ-SVHTT" → ("15", "/", "QDSVHTT"): the number and the symbol, loosely."""
    number, sep, rest = symbol.partition("/")
    return number.strip(), sep, loose_key(rest)


def kind_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def read_document(name: str, data: bytes, roots: tuple[bytes, ...] = ()) -> Document:
    """Read one evidence file; never raises for what the file holds."""
    kind = kind_of(name)
    stem = PurePath(name).stem
    fixed = repair(stem)
    name_key = ascii_fold(fixed.after if fixed else stem).upper()
    text, problem = "", ""
    signatures: tuple[Signature, ...] = ()
    if len(data) > MAX_DOCUMENT_BYTES:
        problem = f"tệp lớn hơn {MAX_DOCUMENT_BYTES // 2**20} MB, không đọc nội dung"
    elif kind == "pdf":
        text, problem = _pdf_text(data)
        signatures = tuple(pdf_signatures(data, roots))
    elif kind == "docx":
        text, problem = _docx_text(data)
    else:
        problem = "tệp Word cũ (.doc) không đọc được nội dung; chỉ đối chiếu theo tên tệp"
    text = convert_guessed(text[:MAX_TEXT])
    return Document(name, kind, hashlib.sha256(data).hexdigest(), len(data), text,
                    frozenset(loose_key(s) for _, _, s in symbols_in(text)), tuple(dates_in(text)),
                    signatures, problem, name_key)  # fmt: skip


def _pdf_text(data: bytes) -> tuple[str, str]:
    try:
        from pypdf import PdfReader

        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            return "", "tệp PDF có mật khẩu, không đọc được nội dung"
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
        return "\n".join(pages), ""
    except Exception as exc:  # a damaged or hostile PDF: kept, listed, matched by name only
        return "", f"không đọc được nội dung PDF ({type(exc).__name__})"


def _docx_text(data: bytes) -> tuple[str, str]:
    from defusedxml.common import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            info = z.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES:
                return "", "nội dung tệp Word quá lớn"
            raw = _bounded(z.open(info), MAX_XML_BYTES)
        root = fromstring(raw, forbid_dtd=True)
    except (KeyError, zipfile.BadZipFile, DefusedXmlException, zlib.error, ValueError, OSError, SyntaxError) as exc:
        return "", f"không đọc được nội dung tệp Word ({type(exc).__name__})"
    paragraphs = []
    for p in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
        paragraphs.append(
            "".join(t.text or "" for t in p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
        )
    return "\n".join(paragraphs), ""


def _bounded(stream: IO[bytes], limit: int) -> bytes:
    """Read at most ``limit`` bytes whatever the zip's header says (a lying size cannot inflate a bomb)."""
    out = bytearray()
    while chunk := stream.read(65536):
        out += chunk
        if len(out) > limit:
            raise ValueError("document.xml larger than declared")
    return bytes(out)


__all__ = ["EVIDENCE_SUFFIXES", "Document", "kind_of", "read_document"]
