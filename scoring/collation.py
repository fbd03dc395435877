"""Vietnamese alphabetical order (for listing tied units), not code-point order.

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y: ă and â are letters
of their own after a, đ comes after d. Tones are a secondary difference, compared only when the
letters are equal, in the order ngang, huyền, hỏi, ngã, sắc, nặng (a à ả ã á ạ), as dictionaries
and CLDR's Vietnamese collation do. Case is a last tie-break. Text may arrive in NFD (Unikey
"Unicode tổ hợp") or with old tone placement (hoà/hòa): both fold to the same key.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_MODIFIERS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_BASE = 1000  # letters rank below 1000; other characters sort after, by code point


def _letters(text: str) -> list[tuple[str, int]]:
    """(base letter with its modifiers, tone) for each character of the NFD text."""
    out: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in _TONES:
            if out:
                out[-1] = (out[-1][0], _TONES[ch])
        elif ch in _MODIFIERS:
            if out:
                out[-1] = (out[-1][0] + ch, out[-1][1])
        elif unicodedata.combining(ch):
            continue
        else:
            out.append((ch, 0))
    return out


@lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """A key such that sorting by it gives Vietnamese dictionary order.

    Tones are collected per syllable (word), so the old and new placements (hoà / hòa) give the
    same key.
    """
    primary: list[int] = []
    tones: list[int] = []
    case: list[int] = []
    for word in text.split():
        if primary:
            primary.append(-200)  # a space sorts before any letter: "Ba Na" < "Bana"
            case.append(0)
        syllable_tone = 0
        digits = ""
        for base, tone in [*_letters(word), ("", 0)]:  # a sentinel flushes a trailing number
            if base.isascii() and base.isdigit():
                digits += base
                continue
            if digits:  # a run of digits sorts as one number: "Trung tâm 2" < "Trung tâm 10"
                primary += [-150, int(digits)]
                case += [0, 0]
                digits = ""
            if not base:
                break
            syllable_tone = syllable_tone or tone
            composed = unicodedata.normalize("NFC", base)
            lower = composed.lower()
            rank = _LETTER_RANK.get(lower, _BASE + ord(lower[0]))
            primary.append(rank)
            case.append(0 if composed == lower else 1)
        tones.append(syllable_tone)
    return tuple(primary), tuple(tones), tuple(case)
