"""Vietnamese typed in the old 8-bit fonts (TCVN3/ABC, VNI), told apart from Unicode and converted.

Why: some offices still type with ``.VnTime`` (TCVN3, the ABC set of TCVN 5712:1993) or ``VNI-Times``
fonts. Excel stores the *bytes* those fonts draw as Vietnamese, each taken as the Windows
(cp1252 / Latin-1) character of that byte: "Nguyễn Văn Thành" typed in .VnTime is stored as
"NguyÔn V¨n Thµnh", in VNI-Times as "Nguyeãn Vaên Thaønh". Read as they are, names arrive
garbled and a choice typed "Cã" (TCVN3 for "Có") matches no option. This module is pure (no I/O):

* ``decode_tcvn3`` / ``decode_vni`` convert such text to Unicode NFC; ``encode_tcvn3`` /
  ``encode_vni`` are their inverses (used by the tests' round trip over the whole alphabet and by
  the fixture and demo scripts that must write text the way those fonts store it);
* ``detect`` says which encoding a piece of text is in: from the cell's font name when the file
  gives one (``font_encoding``), else from the characters (``guess``), tuned to never take real
  Unicode Vietnamese or plain ASCII for legacy text (tested on the text of QĐ 79);
* ``repair`` does both and returns what to record.

TCVN3: the ABC fonts (``.VnTime``, ``.VnArial``…) draw lowercase letters, and their ``…H`` twins
(``.VnTimeH``, ``.VnArialH``) draw the same codes as capitals. The table is the full TCVN 5712 VN1
set for bytes 0x80–0xFF (a superset of ABC: ABC leaves VN1's capital slots empty, so reading them
as VN1's capitals costs nothing). Bytes 0x80–0x9F are taken only in their Latin-1 view (U+0080…
U+009F); their cp1252 view (“ ” – … €) is punctuation Word puts in any font and is left alone.

VNI: a base letter followed by a mark character (``a`` + ``ø`` = "à", ``a`` + ``ù`` = "á",
``a`` + ``â`` = "â", ``a`` + ``á`` = "ấ"), plus single characters for đ, ơ, ư, ỉ, ĩ, ị, ỵ.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class Legacy(StrEnum):
    TCVN3 = "TCVN3"
    VNI = "VNI"


# --- the Vietnamese alphabet --------------------------------------------------------------------

#: tone → combining mark (none, grave, hook, tilde, acute, dot below), TCVN3's order inside a group
_TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
#: the 12 vowels and đ, lowercase
_BASES = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")


def _toned(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + tone)


#: the whole alphabet a round trip must cover: every vowel with every tone, upper and lower, đ/Đ
ALPHABET: tuple[str, ...] = tuple(dict.fromkeys(
    [_toned(b, t) for b in _BASES for t in _TONES] + ["đ"]
    + [_toned(b, t).upper() for b in _BASES for t in _TONES] + ["Đ"]))  # fmt: skip


# --- TCVN3 ----------------------------------------------------------------------------------------

# The lowercase toned letters at 0xB5–0xFE, five per vowel in the order huyền, hỏi, ngã, sắc, nặng;
# the slots between are VN1's capitals.
_TCVN3_LOWER: dict[int, str] = {}
_POSITIONS = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9), "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB), "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6), "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4), "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE), "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9), "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}  # fmt: skip
for _base, _codes in _POSITIONS.items():
    for _code, _tone in zip(_codes, _TONES[1:], strict=True):
        _TCVN3_LOWER[_code] = _toned(_base, _tone)
for _code, _letter in zip(range(0xA1, 0xAF), "ĂÂÊÔƠƯĐăâêôơưđ", strict=True):
    _TCVN3_LOWER[_code] = _letter
#: VN1's capitals (absent from the ABC fonts, drawn by none of them; read as VN1 says)
_TCVN3_CAPITALS: dict[int, str] = dict(zip(
    [*range(0x80, 0xA0), 0xAF, 0xBA, *range(0xBF, 0xC6), 0xCD, 0xD9, 0xDA, 0xDB, 0xE0, 0xF0, 0xFF],
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ" "ẰẲ" "ẴẮẦẨẪẤỀ" "ỂỄẾỒỔỖỐ", strict=True))  # fmt: skip
#: VN1's combining tone marks (a base letter followed by one)
_TCVN3_MARKS: dict[int, str] = dict(zip(range(0xB0, 0xB5), ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323"),
                                        strict=True))  # fmt: skip

TCVN3_TO_UNICODE: dict[str, str] = {chr(k): v for k, v in {**_TCVN3_CAPITALS, **_TCVN3_MARKS, **_TCVN3_LOWER}.items()}
_TCVN3_TABLE = str.maketrans(TCVN3_TO_UNICODE)
#: Unicode letter → its one ABC byte (lowercase and the seven precomposed capitals)
_TCVN3_ENCODE: dict[str, str] = {v: chr(k) for k, v in _TCVN3_LOWER.items()}


def decode_tcvn3(text: str, *, capitals: bool = False) -> str:
    """TCVN3 text as Excel stores it → Unicode NFC; ``capitals`` for the ``…H`` fonts (all capitals)."""
    out = unicodedata.normalize("NFC", text.translate(_TCVN3_TABLE))
    return out.upper() if capitals else out


def encode_tcvn3(text: str) -> tuple[str, bool]:
    """Unicode → (what Excel stores when typed in an ABC font, whether it needs the ``…H`` font).

    A capital with a tone has no code in the ABC fonts: text holding one is written in capitals,
    as the lowercase codes shown by ``.VnTimeH`` (what typists do). Characters outside
    Vietnamese pass through.
    """
    text = unicodedata.normalize("NFC", text)
    capitals = any(c.isupper() and c not in _TCVN3_ENCODE and c not in _ASCII for c in text)
    if capitals:
        text = text.lower()
    return "".join(_TCVN3_ENCODE.get(c, c) for c in text), capitals


_ASCII = frozenset(chr(i) for i in range(128))


# --- VNI ------------------------------------------------------------------------------------------

_VNI_TONE = {"\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRCUMFLEX = {"": "â", "\u0300": "à", "\u0301": "á", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0300": "è", "\u0301": "é", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_SINGLE = {"đ": "ñ", "ơ": "ô", "ư": "ö", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î", "ì": "ì", "í": "í"}


def _vni_lower(letter: str) -> str:
    """One lowercase Vietnamese letter in VNI."""
    if letter in _VNI_SINGLE:
        return _VNI_SINGLE[letter]
    parts = unicodedata.normalize("NFD", letter)
    base, marks = parts[0], parts[1:]
    tone = next((m for m in marks if m in _VNI_TONE), "")
    if "\u0302" in marks:  # circumflex (â ê ô)
        return base + _VNI_CIRCUMFLEX[tone]
    if "\u0306" in marks:  # breve (ă)
        return base + _VNI_BREVE[tone]
    if "\u031b" in marks:  # horn (ơ ư): the single character, then the tone
        return _VNI_SINGLE[_toned(base, "\u031b")] + _VNI_TONE[tone]
    return base + _VNI_TONE[tone] if tone else base


#: Unicode letter → VNI (lowercase and capitals: a capital's marks are the marks' capitals)
_VNI_ENCODE: dict[str, str] = {}
for _letter in ALPHABET:
    _lower = _letter.lower()
    _vni = _vni_lower(_lower)
    _VNI_ENCODE[_letter] = _vni.upper() if _letter != _lower else _vni
VNI_TO_UNICODE: dict[str, str] = {v: k for k, v in _VNI_ENCODE.items() if v != k}
_VNI_LONGEST = re.compile("|".join(sorted(map(re.escape, VNI_TO_UNICODE), key=len, reverse=True)))


def decode_vni(text: str) -> str:
    """VNI text as Excel stores it → Unicode NFC (longest match first: "aá" is "ấ", not "a" + "á")."""
    return unicodedata.normalize("NFC", _VNI_LONGEST.sub(lambda m: VNI_TO_UNICODE[m.group()], text))


def encode_vni(text: str) -> str:
    """Unicode → what Excel stores when typed in a VNI font."""
    return "".join(_VNI_ENCODE.get(c, c) for c in unicodedata.normalize("NFC", text))


# --- which encoding -------------------------------------------------------------------------------


def font_encoding(font: str) -> tuple[Legacy | None, bool]:
    """(encoding, capitals) a font name implies: ``.VnTimeH`` → (TCVN3, True), ``VNI-Times`` → (VNI, False)."""
    name = font.strip()
    if name.casefold().startswith("vni"):  # VNI-Times, VNI-Helve, VNI-Top …
        return Legacy.VNI, False
    if name.casefold().startswith(".vn"):  # .VnTime, .VnTimeH, .VnArial NarrowH …
        return Legacy.TCVN3, name.replace(" ", "").endswith("H")
    return None, False


def is_legacy_font(font: str) -> bool:
    return font_encoding(font)[0] is not None


#: what real Unicode Vietnamese never holds and these fonts do: Latin-1 letters and signs that
#: are not Vietnamese letters (TCVN3 µ ¸ ¨ §, VNI ø ï ñ ö …)
_VIETNAMESE_LATIN1 = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_FOREIGN = frozenset(chr(i) for i in range(0xA1, 0x100)) - _VIETNAMESE_LATIN1 - frozenset("×÷")
#: cp1252 punctuation that a Unicode text in any font may hold next to Latin-1 letters
_PUNCTUATION = frozenset("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u20ac\u2022\u2122")


_BEYOND_LATIN1 = re.compile("[^\x00-\xff" + "".join(sorted(_PUNCTUATION)) + "]")


def _latin1_only(text: str) -> bool:
    return _BEYOND_LATIN1.search(text) is None


def could_be_legacy(text: str) -> bool:
    """Cheap first test: legacy text is non-ASCII text made of Latin-1 characters (and cp1252 punctuation)."""
    return not text.isascii() and _BEYOND_LATIN1.search(text) is None


def _in_word(text: str, i: int) -> bool:
    """Whether position ``i`` touches a letter on either side (µ in "Thµnh", not "× 2")."""

    def letter(j: int) -> bool:
        return 0 <= j < len(text) and ((text[j].isascii() and text[j].isalpha()) or 0xA0 < ord(text[j]) < 0x100)

    return letter(i - 1) or letter(i + 1)


def _tcvn3_signals(text: str) -> int:
    n = 0
    for i, c in enumerate(text):
        if c in _FOREIGN or c in "×÷" or 0x80 <= ord(c) < 0xA0:
            n += _in_word(text, i)
        elif c in _VIETNAMESE_LATIN1 and c.isupper() and i and text[i - 1].isascii() and text[i - 1].islower():
            n += 1  # "NguyÔn": a capital after a small letter is TCVN3's ễ, never Unicode
    return n


_VNI_STRONG_MARKS = frozenset("øûïëüåäØÛÏËÜÅÄ")
_VNI_STRONG_SINGLE = frozenset("ñÑöÖæÆîÎ")


def _vni_signals(text: str) -> int:
    n = 0
    for i, c in enumerate(text):
        if c in _VNI_STRONG_MARKS and i and text[i - 1] in "aeiouyAEIOUYôöÔÖ":
            n += 1
        elif c in _VNI_STRONG_SINGLE and _in_word(text, i):
            n += 1
    return n


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    r"(?:iêu|yêu|oai|oay|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo"
    r"|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ưu|ươ|yê|[aăâeêioôơuưy])"
    r"(?:ch|ng|nh|[cmnpt])?"
)


def _syllables(text: str) -> tuple[int, int]:
    """(valid, not valid) Vietnamese syllables among the words of ``text`` that hold a non-ASCII letter.

    A syllable is an onset, a vowel group and a coda, with at most one tone; a wrong decoding
    ("Nguyeón Vaờn" from VNI read as TCVN3) breaks most words, a right one almost none.
    """
    valid = invalid = 0
    for word in re.findall(r"[^\W\d_]+", text):
        if word.isascii():
            continue
        parts = unicodedata.normalize("NFD", word.lower())
        tones = sum(1 for c in parts if c in _TONE_MARKS)
        bare = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
        if tones <= 1 and _SYLLABLE.fullmatch(bare):
            valid += 1
        else:
            invalid += 1
    return valid, invalid


def vietnamese_score(text: str) -> int:
    """Valid minus invalid Vietnamese syllables: how well ``text`` reads, to compare two readings of bytes."""
    valid, invalid = _syllables(text)
    return valid - invalid


def convert_guessed(text: str) -> str:
    """``text`` with every line in a recognised legacy encoding converted (lines are judged one by one)."""
    out = []
    for line in text.splitlines(keepends=True):
        encoding = guess(line.rstrip("\r\n"))
        out.append(decode(line, encoding) if encoding is not None else line)
    return "".join(out)


def _plausible(converted: str) -> tuple[int, int] | None:
    """How well converted text reads as Vietnamese, or None when it cannot be Vietnamese at all."""
    if any(c in _FOREIGN for c in converted if c.isalpha()) or any(unicodedata.combining(c) for c in converted):
        return None
    valid, invalid = _syllables(converted)
    if valid == 0 or invalid * 2 > valid:
        return None
    return valid, invalid


@lru_cache(maxsize=8192)
def guess(text: str) -> Legacy | None:
    """The legacy encoding ``text`` is in, from its characters alone; None for Unicode or ASCII.

    Only text made of Latin-1 characters can be legacy text (Unicode Vietnamese almost always
    holds ư, ơ, đ, ạ … beyond it); it must carry a sign no Unicode Vietnamese word has — a
    Latin-1 letter that is not a Vietnamese letter, inside a word, or a capital after a small
    letter — and its conversion must read as Vietnamese: no such letters left, and most words
    valid syllables (onset, vowel group, coda, one tone). When both readings qualify, the one
    with more valid syllables wins.
    """
    if not text or text.isascii() or not _latin1_only(text):
        return None
    found: list[tuple[int, int, bool, Legacy]] = []
    for encoding, signals in ((Legacy.TCVN3, _tcvn3_signals(text)), (Legacy.VNI, _vni_signals(text))):
        if signals:
            reading = _plausible(decode(text, encoding))
            if reading is not None:
                found.append((reading[0] - reading[1], signals, encoding is Legacy.TCVN3, encoding))
    return max(found)[3] if found else None


def decode(text: str, encoding: Legacy, *, capitals: bool = False) -> str:
    return decode_tcvn3(text, capitals=capitals) if encoding is Legacy.TCVN3 else decode_vni(text)


@dataclass(frozen=True, slots=True)
class Repair:
    """A text found in a legacy encoding: what it held, what it says, how that was known."""

    before: str
    after: str
    encoding: Legacy
    by_font: str  # the font name that told ("" when told by the characters)

    @property
    def how_vi(self) -> str:
        """ "phông .VnTime (bảng mã TCVN3)" / "bảng mã TCVN3 (nhận ra theo ký tự)"."""
        if self.by_font:
            return f"phông {self.by_font} (bảng mã {self.encoding})"
        return f"bảng mã {self.encoding} (nhận ra theo ký tự)"


def repair(text: str, font: str = "", options: Iterable[str] = ()) -> Repair | None:
    """The Unicode reading of ``text`` when it is legacy-encoded, else None.

    A legacy font on the cell decides (when converting changes anything); otherwise the characters
    (``guess``); otherwise, for a choice, a conversion that turns the text into one of the
    ``options`` ("Cã" → "Có") is taken: no Unicode answer could mean that option.
    """
    if not text:
        return None
    encoding, capitals = font_encoding(font) if font else (None, False)
    if encoding is not None and _latin1_only(text):
        after = decode(text, encoding, capitals=capitals)
        if after != unicodedata.normalize("NFC", text):
            return Repair(text, after, encoding, font.strip())
        return None
    encoding = guess(text)
    if encoding is not None:
        return Repair(text, decode(text, encoding), encoding, "")
    wanted = {unicodedata.normalize("NFC", o).strip().casefold() for o in options}
    if wanted and _latin1_only(text) and text.strip().casefold() not in wanted:
        for candidate in (Legacy.TCVN3, Legacy.VNI):
            after = decode(text, candidate)
            if after.strip().casefold() in wanted:
                return Repair(text, after, candidate, "")
    return None


__all__ = [
    "ALPHABET",
    "TCVN3_TO_UNICODE",
    "VNI_TO_UNICODE",
    "Legacy",
    "Repair",
    "convert_guessed",
    "could_be_legacy",
    "decode",
    "decode_tcvn3",
    "decode_vni",
    "encode_tcvn3",
    "encode_vni",
    "font_encoding",
    "guess",
    "is_legacy_font",
    "repair",
    "vietnamese_score",
]
