"""Memoise per framework object by identity.

``functools.cache`` hashes its argument on every call, and a ``Framework`` is a deep frozen
dataclass: hashing it walks every indicator, band and Fraction (about 200 hashes). Per-file
code paths look a framework's compiled form up thousands of times, so they key on the object's
identity instead (holding a reference, so the id cannot be reused), and fall back to the
equality cache for an equal framework loaded twice.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from typing import TypeVar

A = TypeVar("A")
R = TypeVar("R")


def by_identity(func: Callable[[A], R]) -> Callable[[A], R]:
    by_equality = cache(func)
    memo: dict[int, tuple[A, R]] = {}

    @wraps(func)
    def lookup(arg: A) -> R:
        hit = memo.get(id(arg))
        if hit is not None and hit[0] is arg:
            return hit[1]
        result = by_equality(arg)
        memo[id(arg)] = (arg, result)
        return result

    return lookup


__all__ = ["by_identity"]
