"""The digital signatures of a PDF, checked with pyHanko: present, signed bytes intact, who, when, trusted.

Vietnamese official documents are signed (Nghị định 30/2020/NĐ-CP). What this can say without the
network (the office works offline; nothing is ever fetched): whether each signature's signed
bytes are exactly what was signed (a figure changed after signing breaks it), the signer's name
from the certificate and the signing time the signature reports. Whether the certificate
belongs to a real authority is answered only against the root certificates the office puts in
its workspace (``chung-thu-goc/``); without them the answer is "intact, certificate not
verified", never a guess.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

#: what a root certificate file may be called in the office's folder
ROOT_SUFFIXES = frozenset({".cer", ".crt", ".pem", ".der"})


@dataclass(frozen=True, slots=True)
class Signature:
    """One signature of a PDF as checked."""

    field: str  # the signature field's name
    intact: bool  # the signed bytes are unchanged and the cryptographic signature is valid
    signer: str  # the certificate subject's common name (or the whole subject)
    when: datetime | None  # the signing time the signature reports
    trusted: bool | None  # chain verified to a supplied root; None when no roots were supplied
    covers_whole_file: bool  # False when bytes were added after signing (an incremental update)
    problem: str = ""  # why it could not be checked at all ("" when checked)


def load_roots(folder: Path | None) -> list[bytes]:
    """The DER/PEM bytes of every certificate file in ``folder`` (none when it is absent)."""
    if folder is None or not folder.is_dir():
        return []
    return [p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix.lower() in ROOT_SUFFIXES and p.is_file()]


def _certificates(blobs: Sequence[bytes]) -> list[object]:
    from asn1crypto import pem, x509  # type: ignore[import-untyped]

    out: list[object] = []
    for blob in blobs:
        try:
            if pem.detect(blob):
                out += [x509.Certificate.load(der) for _, _, der in pem.unarmor(blob, multiple=True)]
            else:
                out.append(x509.Certificate.load(blob))
        except Exception:  # a file in the folder that is not a certificate is skipped
            continue
    return out


def pdf_signatures(data: bytes, roots: Sequence[bytes] = ()) -> list[Signature]:
    """Every signature of the PDF ``data``; [] for an unsigned (or unreadable) PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # its warnings are ours to phrase
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:
        return []
    anchors = _certificates(roots)
    out: list[Signature] = []
    for sig in embedded:
        name = str(sig.field_name or "")
        try:
            context = ValidationContext(trust_roots=anchors, allow_fetching=False, revocation_mode="soft-fail")
            status = validate_pdf_signature(sig, context)
            cert = status.signing_cert
            subject = cert.subject.native if cert is not None else {}
            signer = str(subject.get("common_name") or cert.subject.human_friendly if cert is not None else "")
            coverage = getattr(status.coverage, "name", "")
            out.append(Signature(name, bool(status.intact and status.valid), signer, status.signer_reported_dt,
                                 bool(status.trusted) if anchors else None, coverage == "ENTIRE_FILE"))  # fmt: skip
        except Exception as exc:  # a malformed signature: reported as not intact, with why
            out.append(Signature(name, False, "", None, None, False, f"{type(exc).__name__}"))
    return out


__all__ = ["ROOT_SUFFIXES", "Signature", "load_roots", "pdf_signatures"]
