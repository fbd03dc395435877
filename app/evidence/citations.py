"""What a unit wrote in an evidence cell: the documents it cites, each with its number/symbol and date.

Vietnamese administrative documents are known by their *số, ký hiệu* (Nghị định 30/2020/NĐ-CP,
Decree 30 on document work): a number, "/", optionally the year, "/", then the kind and the
issuing body joined by "-": "15/QĐ-SVHTT", "1690/SVHTT-VP", "45/2023/NĐ-CP". That is what a cited
document is matched by. The date is written "ngày 05/01/2023", "05/01/2023" or "ngày 5 tháng 1
năm 2023". A cell may cite several documents ("…; Kế hoạch số 30/KH-ĐV ngày …"): each number
takes the first date written after it and before the next number. Text without a number/symbol
(a link, "Báo cáo nhân sự quý I") cites nothing this can check.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

#: number / (year /) symbol; the symbol's parts are capitals (Đ included), digits, "&"
_SYMBOL = re.compile(
    r"(?<![\w/])(?P<number>\d{1,6})\s*/\s*(?:(?P<year>(?:19|20)\d{2})\s*/\s*)?"
    r"(?P<symbol>[A-ZĐ][A-ZĐ0-9&]*(?:\s*-\s*[A-ZĐ0-9][A-ZĐ0-9&]*)*)(?![\w])"
)
_DATE_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})(?!\d)")
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2})", re.IGNORECASE)


def normalise_symbol(text: str) -> str:
    """ "15 / QĐ - SVHTT" → "15/QĐ-SVHTT": the key citations and documents are compared by (case kept, Đ kept)."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", "", text).upper()


def loose_key(symbol: str) -> str:
    """The key with Đ as D and without separators: "15/QĐ-SVHTT" ~ "15_QD_SVHTT" in a file name."""
    folded = normalise_symbol(symbol).replace("Đ", "D")
    return re.sub(r"[^0-9A-Z]", "", folded)


@dataclass(frozen=True, slots=True)
class Citation:
    """One document a unit cites: "15/QĐ-SVHTT", its date if written, and the words around it."""

    symbol: str  # normalised number/symbol
    when: date | None
    text: str  # the part of the cell that cites it, for messages


def _dates(text: str) -> list[tuple[int, date]]:
    found: list[tuple[int, date]] = []
    for pattern in (_DATE_WORDS, _DATE_NUMERIC):
        for m in pattern.finditer(text):
            try:
                found.append((m.start(), date(int(m.group(3)), int(m.group(2)), int(m.group(1)))))
            except ValueError:
                continue
    return sorted(found)


def symbols_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised number/symbol) of every number/symbol in ``text``."""
    out = []
    for m in _SYMBOL.finditer(unicodedata.normalize("NFC", text)):
        year = f"{m.group('year')}/" if m.group("year") else ""
        out.append((m.start(), m.end(), normalise_symbol(f"{m.group('number')}/{year}{m.group('symbol')}")))
    return out


def dates_in(text: str) -> list[date]:
    return [d for _, d in _dates(unicodedata.normalize("NFC", text))]


def parse_citations(text: str) -> list[Citation]:
    """Every number/symbol cited in an evidence cell, with the date written after it."""
    text = unicodedata.normalize("NFC", text or "")
    found = symbols_in(text)
    dates = _dates(text)
    out: list[Citation] = []
    for i, (start, end, symbol) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(text)
        when = next((d for at, d in dates if end <= at < stop), None)
        begin = text.rfind(";", 0, start) + 1
        semi = text.find(";", end, stop)
        out.append(Citation(symbol, when, text[begin : semi if semi >= 0 else stop].strip(" ;,")))
    return out


__all__ = ["Citation", "dates_in", "loose_key", "normalise_symbol", "parse_citations", "symbols_in"]
