"""Comparison keys for Vietnamese names typed by different people (DESIGN §5).

The same unit name reaches us in many spellings that mean the same thing: Unikey's "Unicode tổ
hợp" types decomposed (NFD) letters, people differ in case and spacing (and paste non-breaking
spaces from Word), and Vietnamese has two conventions for where the tone mark sits in a syllable
("hoà"/"hòa", "thuỷ"/"thủy", "khoẻ"/"khỏe"). ``fold`` maps all of these to one key.

It does *not* strip diacritics: "Bà" and "Ba" are different names, so only the position of the
tone mark is folded. The tone marks (grave, acute, tilde, hook above, dot below) are moved to the
end of their word; the other diacritics (circumflex, breve, horn) belong to a vowel and stay
where they are, and ``đ`` is its own letter. The key is composed (NFC) again; it is a key, not a
spelling to show anyone ("hoà bình" becomes "hoà binh̀").

``fold_loose`` also drops punctuation, for names where people add or leave out dots, dashes and
quotes ("TP.Thủ Đức", "GD-ĐT", "Ea H'Leo").

Both run for every name cell of every file, and the same few hundred names repeat across a
batch, so they are cached — names only: a longer text (a pasted paragraph, up to 32,767
characters in a cell) is folded but not kept, so a hostile batch cannot fill memory with keys.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["fold", "fold_loose"]

#: the five Vietnamese tone marks as combining characters: grave, acute, tilde, hook above, dot below
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
#: invisible characters that ride along in pasted text and would make equal names differ
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
#: apostrophes and quotes are dropped outright ("H'Leo" = "HLeo"); other punctuation separates words
_QUOTES = frozenset("'\"`´‘’‚‛“”„‟′″")


def _move_tones(word: str) -> str:
    """``word`` (NFD, no spaces) with its tone marks moved to the end of each run of letters.

    A run of letters rather than the whole space-separated word, so that "hoà," keeps its tone on
    the letters and still folds like "hòa,".
    """
    out: list[str] = []
    tones: list[str] = []
    for ch in word:
        if ch in _TONES:
            tones.append(ch)
        elif ch.isalnum() or unicodedata.combining(ch):
            out.append(ch)
        else:  # punctuation ends the run: its tones go before it
            out.extend(tones)
            tones.clear()
            out.append(ch)
    out.extend(tones)
    return "".join(out)


_CACHED_LENGTH = 200  # a unit name, an option label, a yes/no word are far shorter


def fold(text: str) -> str:
    """The comparison key of ``text``: NFC, case folded, spacing collapsed, tone placement unified.

    ``fold("Phường Hoà  Bình") == fold("phường hòa bình")``; ``fold("Bà") != fold("Ba")``.
    """
    return _fold_cached(text) if len(text) <= _CACHED_LENGTH else _fold(text)


def fold_loose(text: str) -> str:
    """``fold`` with punctuation and symbols removed: only letters, digits and single spaces remain.

    Quotes and apostrophes vanish ("Ea H'Leo" = "Ea HLeo"); any other punctuation counts as a
    space, since it usually stands between words ("TP.Thủ Đức" = "TP. Thủ Đức", "GD-ĐT" = "GD - ĐT").
    """
    return _fold_loose_cached(text) if len(text) <= _CACHED_LENGTH else _fold_loose(text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_INVISIBLE).casefold())
    words = decomposed.split()  # every whitespace run, NBSP and newlines included
    if not _TONES.isdisjoint(decomposed):
        words = [_move_tones(w) for w in words]
    return unicodedata.normalize("NFC", " ".join(words))


def _fold_loose(text: str) -> str:
    chars: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if ch.isalnum() or ch.isspace() or unicodedata.combining(ch):
            chars.append(ch)
        elif ch not in _QUOTES and ord(ch) not in _INVISIBLE:
            chars.append(" ")
    return fold("".join(chars))


_fold_cached = lru_cache(maxsize=4096)(_fold)
_fold_loose_cached = lru_cache(maxsize=4096)(_fold_loose)
