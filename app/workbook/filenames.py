"""File names for the workbooks an office sends out: plain ASCII, short, and safe on every system.

Templates travel by e-mail and Zalo and end up in zip files and on Windows desktops. Vietnamese
letters in a file name get mangled by some of these (zip tools without UTF-8 flags, old mail
clients), names longer than Windows' path limit cannot be opened, and ``CON.xlsx`` cannot even be
created on Windows. So the name is folded to ASCII, stripped to letters, digits and ``-`` and cut
short, while staying readable: ``2023-Q1_DV01_Thu-vien-Khoa-hoc-Tong-hop.xlsx``.
"""

from __future__ import annotations

import os
import re
import unicodedata

FALLBACK = "don-vi"
MIN_LEN = len(FALLBACK)
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}
)
# Letters that do not decompose into an ASCII base plus combining marks. U+00D0/U+00F0 (eth) are
# often typed or converted (VNI/TCVN3 fonts) in place of Đ/đ, so they fold the same way.
_NO_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
#: one-syllable joining words of office names, folded: a name may be cut before them
_LINK_WORDS = frozenset({"va", "cua", "cac", "thuoc", "tai", "tren", "voi", "ve", "cho", "nhung"})
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics: ``Thư viện Đà Lạt`` → ``Thu vien Da Lat``.

    Other characters are left as they are (``safe_component`` then treats them as separators), so
    the result is ASCII for Vietnamese text but not for every script.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_NO_DECOMPOSITION))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def cut_at_word(text: str, max_len: int, sep: str = " ") -> str:
    """``text`` at most ``max_len`` long, cut after a whole word (syllables joined by ``sep``).

    A Vietnamese word is often two or three syllables ("Thành phố", "Thể thao", "Hồ Chí Minh"), so
    a cut after any syllable leaves halves such as ``...Thanh-pho-Ho`` or ``...The-duc-The``. Names
    of offices capitalise the first syllable of each word and every syllable of a proper name, so
    the cut goes before a capitalised syllable that follows a lower-case one (``Thanh-pho`` |
    ``Ho-Chi-Minh``, ``The-duc`` | ``The-thao``) or before a small joining word (``và``, ``của``). Where no such place fits (all lower case, all
    capitals), the cut goes after a whole syllable, and a single syllable longer than ``max_len``
    is cut hard. Separators left at the ends are removed.
    """
    if len(text) <= max_len:
        return text
    tokens = text.split(sep)
    best = 0
    length = -len(sep)
    for k in range(1, len(tokens)):  # a cut before tokens[k]
        length += len(sep) + len(tokens[k - 1])
        if length > max_len:
            break
        if (tokens[k][:1].isupper() and not tokens[k - 1][:1].isupper()) or ascii_fold(tokens[k]) in _LINK_WORDS:
            best = k
    if best:
        return sep.join(tokens[:best]).strip(sep)
    head = text[:max_len]
    cut = head.rfind(sep)
    if text[max_len] != sep and cut > 0:
        head = head[:cut]  # the syllable running past max_len is dropped whole
    return head.strip(sep)


def safe_component(text: str, max_len: int = 40) -> str:
    """One part of a file name: ASCII letters and digits joined by single ``-``, at most ``max_len``.

    Case is kept. Long text is cut after a whole word where possible (``cut_at_word``). The result is never empty
    (``don-vi`` when nothing is left) and never a Windows reserved device name (``CON`` → ``CON-``).
    """
    if max_len < MIN_LEN:
        raise ValueError(f"max_len must be at least {MIN_LEN}, got {max_len}")
    words = cut_at_word(_NOT_ALNUM.sub("-", ascii_fold(text)).strip("-"), max_len, "-")
    if not words:
        return FALLBACK
    if words.upper() in WINDOWS_RESERVED:
        words += "-"  # reserved names are at most 4 letters, so this stays within max_len
    return words


def readable_component(text: str, max_len: int = 60, fallback: str = "Không rõ") -> str:
    """One part of a path a person reads on disk, Vietnamese kept: ``DV05 - Thư viện Đà Lạt``.

    For names that stay on the office's own disk (not sent by mail), so letters keep their marks
    (NFC). Made safe for Windows: characters it forbids (``<>:"/\\|?*``, control characters) become
    spaces, runs of spaces become one, trailing dots and spaces go, long text is cut after a whole
    word, and a reserved device name (``CON``, ``CON.txt``) gets a ``_`` so it can be created.
    """
    if max_len < MIN_LEN:
        raise ValueError(f"max_len must be at least {MIN_LEN}, got {max_len}")
    cleaned = " ".join(_WINDOWS_FORBIDDEN.sub(" ", unicodedata.normalize("NFC", text)).split())
    cleaned = cut_at_word(cleaned.rstrip(". "), max_len).rstrip(". ")
    if not cleaned:
        return fallback
    if cleaned.split(".", 1)[0].rstrip(" ").upper() in WINDOWS_RESERVED:
        cleaned = "_" + cleaned[: max_len - 1]
    return cleaned


def template_filename(period_code: str, unit_code: str, unit_name: str) -> str:
    """``<period>_<unit code>_<short unit name>.xlsx``, e.g. ``2023-Q1_DV01_Thu-vien-Khoa-hoc-Tong-hop.xlsx``.

    ``_`` separates the parts (it never occurs inside one), so the period and the unit code can be
    read back from the name.
    """
    return f"{safe_component(period_code, 20)}_{safe_component(unit_code, 20)}_{safe_component(unit_name, 40)}.xlsx"


def unique_names(names: list[str]) -> list[str]:
    """The names in order, later repeats (case-insensitively, as on Windows) renamed ``a_2.xlsx``, ``a_3.xlsx``.

    A generated name never takes a name that occurs elsewhere in the list, so names that were
    already unique are never changed.
    """
    given = {name.casefold() for name in names}
    used: set[str] = set()
    out: list[str] = []
    for name in names:
        candidate = name
        if candidate.casefold() in used:
            stem, ext = os.path.splitext(name)
            n = 2
            candidate = f"{stem}_{n}{ext}"
            while candidate.casefold() in used or candidate.casefold() in given:
                n += 1
                candidate = f"{stem}_{n}{ext}"
        used.add(candidate.casefold())
        out.append(candidate)
    return out
