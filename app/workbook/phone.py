"""A Vietnamese phone number as the person typed it: the leading 0 that Excel dropped is put back.

Why: a clerk types ``0912 345 678`` into a roster cell; Excel stores the number 912345678 and the
file carries no 0. Every Vietnamese number dialled inside the country starts with 0 — a mobile
number has 10 digits (``09x…``, ``03x…``), a landline 11 (``02x…``) — so a 9-digit number, or a
10-digit one starting with 2, lost its 0 on the way and gets it back. Anything else (``+84…``,
extensions, words) is kept as written.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\d+")


def phone_text(text: str) -> str:
    """``912345678`` → ``0912345678``; ``2838290000`` → ``02838290000``; anything else unchanged (trimmed)."""
    text = " ".join(str(text).split())
    if _DIGITS.fullmatch(text) and (len(text) == 9 or (len(text) == 10 and text.startswith("2"))):
        return "0" + text
    return text
