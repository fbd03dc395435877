"""Ranking: descending total, standard competition ranking (1, 2, 2, 4), ties listed in
Vietnamese alphabetical order of unit names (SPEC §6, QĐ 79 II.3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .collation import sort_key


@dataclass(frozen=True, slots=True)
class RankEntry:
    unit_code: str
    unit_name: str
    cents: int  # total (or pillar) score in hundredths


@dataclass(frozen=True, slots=True)
class Ranked:
    rank: int
    unit_code: str
    unit_name: str
    cents: int


def rank(entries: Sequence[RankEntry]) -> list[Ranked]:
    """Rank by score, highest first; equal scores share a rank and the next rank skips."""
    ordered = sorted(entries, key=lambda e: (-e.cents, sort_key(e.unit_name), e.unit_code))
    out: list[Ranked] = []
    previous: int | None = None
    current = 0
    for position, e in enumerate(ordered, start=1):
        if e.cents != previous:
            current = position
            previous = e.cents
        out.append(Ranked(current, e.unit_code, e.unit_name, e.cents))
    return out


def ranks_by_code(entries: Sequence[RankEntry]) -> dict[str, int]:
    return {r.unit_code: r.rank for r in rank(entries)}
