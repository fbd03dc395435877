"""Cited evidence against the documents a unit sent: each check an ``Issue`` on the indicator's evidence cell.

For every document cited in an evidence cell (``citations.parse_citations``):

* it must be among what the unit sent: a document whose text or file name carries the cited
  number/symbol (``evidence-not-sent`` otherwise; only asked when the unit sent documents at all —
  a unit that sent none gets one ``evidence-none-sent`` note instead of one warning per citation);
* its date (as cited, else the first date in the document) must not be after the period's last
  day (``evidence-after-period``);
* a PDF's digital signatures: none (``evidence-unsigned``), signed bytes changed
  (``evidence-signature-broken``), intact and verified to a root the office supplied
  (``evidence-signature-verified``), intact but not leading to one of those roots
  (``evidence-signature-untrusted``), or intact with no roots supplied
  (``evidence-signature-intact``: "the certificate was not verified").

Messages name the document, the file and the indicator; the feedback workbook marks the evidence
cell through ``Issue.name``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.workbook.issues import Issue, make_issue

from .citations import parse_citations
from .documents import Document
from .signatures import Signature

#: the codes this module produces; a re-check replaces exactly these
CHECK_CODES = frozenset({
    "evidence-found", "evidence-not-sent", "evidence-none-sent", "evidence-after-period", "evidence-unsigned",
    "evidence-signature-broken", "evidence-signature-untrusted", "evidence-signature-intact",
    "evidence-signature-verified",
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class CitedCell:
    """An evidence cell of a submission as read: which indicator (or field), where, what it says."""

    indicator: str
    name: str  # the defined name (v_1_4_evidence)
    sheet: str
    cell: str
    text: str


def _when(d: date) -> str:
    return f"{d:%d/%m/%Y}"


class _At:
    """Issues located on one evidence cell."""

    def __init__(self, c: CitedCell, file: str, unit: str) -> None:
        self.c, self.file, self.unit = c, file, unit

    def __call__(self, code: str, detail: str, value: str = "") -> Issue:
        return make_issue(code, file=self.file, sheet=self.c.sheet, cell=self.c.cell, unit=self.unit,
                          indicator=self.c.indicator, name=self.c.name, value=value or None, detail=detail)  # fmt: skip


def _signature_issue(sig: Signature, doc: Document, at: _At, roots_supplied: bool) -> Issue:
    who = sig.signer or "không rõ người ký"
    local = sig.when.astimezone() if sig.when is not None and sig.when.tzinfo else sig.when  # the office's clock
    when = f" lúc {local:%H:%M ngày %d/%m/%Y}" if local else ""
    if not sig.intact:
        why = f" ({sig.problem})" if sig.problem else ""
        return at("evidence-signature-broken", f"“{doc.name}” (chữ ký của {who}{when}){why}")
    added = "" if sig.covers_whole_file else "; tệp có phần được thêm vào sau khi ký, phần đó không được chữ ký bảo đảm"
    if sig.trusted:
        return at("evidence-signature-verified", f"“{doc.name}”: {who}{when}{added}")
    if roots_supplied:
        return at("evidence-signature-untrusted", f"“{doc.name}”: {who}{when}{added}")
    return at("evidence-signature-intact", f"“{doc.name}”: {who}{when}{added}")


def check_evidence(cited: Sequence[CitedCell], documents: Sequence[Document], last_day: date, *,
                   file: str = "", unit: str = "", roots_supplied: bool = False) -> list[Issue]:  # fmt: skip
    """Every finding about the cited documents of one submission (see the module docstring)."""
    out: list[Issue] = []
    any_cited = False
    for c in cited:
        at = _At(c, file, unit)
        for citation in parse_citations(c.text):
            any_cited = True
            what = f"“{citation.text}” của {_subject(c.indicator)}"
            matched = [(d, d.mentions(citation.symbol)) for d in documents]
            matched = [(d, where) for d, where in matched if where]
            if documents and not matched:
                sent = ", ".join(f"“{d.name}”" for d in documents[:5]) + (" …" if len(documents) > 5 else "")
                out.append(at("evidence-not-sent", f"{what}: không có trong {len(documents)} tệp đơn vị gửi kèm ({sent})",
                              citation.symbol))  # fmt: skip
            for doc, where in matched:
                out.append(
                    at("evidence-found", f"{citation.symbol} ở tệp “{doc.name}” (theo {where})", citation.symbol)
                )
            when = citation.when or next((d.dates[0] for d, _ in matched if d.dates), None)
            if when is not None and when > last_day:
                out.append(at("evidence-after-period", f"{what} ghi ngày {_when(when)}, sau ngày cuối kỳ báo cáo "
                                                       f"{_when(last_day)}", citation.symbol))  # fmt: skip
            for doc, _ in matched:
                if doc.kind != "pdf" or doc.problem:
                    continue
                if not doc.signatures:
                    out.append(at("evidence-unsigned", f"“{doc.name}”", citation.symbol))
                for sig in doc.signatures:
                    out.append(_signature_issue(sig, doc, at, roots_supplied))
    if any_cited and not documents:
        out.append(make_issue("evidence-none-sent", file=file, unit=unit))
    return out


def _subject(indicator: str) -> str:
    return f"chỉ số {indicator}" if indicator and indicator[0].isdigit() else f"mục {indicator or '?'}"


__all__ = ["CHECK_CODES", "CitedCell", "check_evidence"]
