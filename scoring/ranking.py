"""Ranking: descending total, standard competition ranking (1, 2, 2, 4), ties listed in
Vietnamese alphabetical order of unit names (DESIGN §6, QĐ 79 II.3)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .collation import sort_key


class RankEntry(NamedTuple):
    unit_code: str
    unit_name: str
    cents: int  # total (or pillar) score in hundredths


class Ranked(NamedTuple):
    rank: int
    unit_code: str
    unit_name: str
    cents: int


def rank_positions(cents: Sequence[int], names: Sequence[str], codes: Sequence[str]) -> list[tuple[int, int]]:
    """(rank, index) in ranking order for the units whose scores, names and codes are given.

    Sorted by score first; the Vietnamese collation key is computed only for units that tie,
    which is where it decides anything.
    """
    order = sorted(range(len(cents)), key=cents.__getitem__, reverse=True)
    out: list[tuple[int, int]] = []
    start, n = 0, len(order)
    while start < n:
        score = cents[order[start]]
        end = start + 1
        while end < n and cents[order[end]] == score:
            end += 1
        tied = order[start:end]
        if len(tied) > 1:
            tied.sort(key=lambda i: (sort_key(names[i]), codes[i]))
        out.extend((start + 1, i) for i in tied)
        start = end
    return out


def rank(entries: Sequence[RankEntry]) -> list[Ranked]:
    """Rank by score, highest first; equal scores share a rank and the next rank skips."""
    positions = rank_positions([e.cents for e in entries], [e.unit_name for e in entries],
                               [e.unit_code for e in entries])  # fmt: skip
    return [Ranked(r, entries[i].unit_code, entries[i].unit_name, entries[i].cents) for r, i in positions]


def ranks_by_code(entries: Sequence[RankEntry]) -> dict[str, int]:
    return {r.unit_code: r.rank for r in rank(entries)}
