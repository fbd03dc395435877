"""Competition ranking with Vietnamese alphabetical ties, per total and per pillar."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.framework import get_builtin
from scoring.appraisal import standings
from scoring.collation import sort_key
from scoring.engine import UnitInputs, score_batch
from scoring.ranking import RankEntry, rank


def test_competition_ranking_1_2_2_4() -> None:
    entries = [RankEntry("A", "An", 900), RankEntry("B", "Bình", 800), RankEntry("C", "Cường", 800),
               RankEntry("D", "Dũng", 700)]  # fmt: skip
    assert [(r.unit_code, r.rank) for r in rank(entries)] == [("A", 1), ("B", 2), ("C", 2), ("D", 4)]


def test_ties_are_listed_in_vietnamese_order_not_code_point_order() -> None:
    names = ["Đội văn nghệ", "Dàn nhạc", "Ánh sáng", "Âm thanh", "Ăn uống", "Ba", "Bà", "Bá", "Bạ", "Bả", "Bã"]
    entries = [RankEntry(f"U{i}", n, 500) for i, n in enumerate(names)]
    listed = [r.unit_name for r in rank(entries)]
    assert listed == ["Ánh sáng", "Ăn uống", "Âm thanh", "Ba", "Bà", "Bả", "Bã", "Bá", "Bạ", "Dàn nhạc",
                      "Đội văn nghệ"]  # fmt: skip
    assert sorted(names) != listed  # code point order would put Đ last but Ă/Â after z
    assert all(r.rank == 1 for r in rank(entries))


def test_collation_folds_nfd_case_and_old_tone_placement() -> None:
    assert sort_key("Hoà Bình") == sort_key("Hòa Bình")
    assert sort_key("thuỷ") == sort_key("thủy")
    assert sort_key(unicodedata.normalize("NFD", "Đường")) == sort_key("Đường")
    assert sort_key("trung tâm 2") < sort_key("Trung tâm 10")


def test_ranks_per_pillar() -> None:
    fw = get_builtin("hcm-dti-so-2023")
    units = [UnitInputs("A", "A", {"1.2": {"a": 1, "b": 1}}),
             UnitInputs("B", "B", {"2.1": {"a": "Có"}, "2.2": {"a": "Có"}})]  # fmt: skip
    table = {s.unit_code: s for s in standings(fw, score_batch(fw, units))}
    assert (table["B"].rank, table["A"].rank) == (1, 2)  # 15 vs 10
    assert (table["A"].group_ranks["1"], table["B"].group_ranks["1"]) == (1, 2)
    assert (table["B"].group_ranks["2"], table["A"].group_ranks["2"]) == (1, 2)
    assert table["A"].group_ranks["3"] == table["B"].group_ranks["3"] == 1  # both 0: tied


@given(st.lists(st.integers(min_value=0, max_value=33000), min_size=1, max_size=30), st.randoms())
def test_ranking_is_a_permutation_invariant_function_of_totals(totals: list[int], rnd) -> None:  # type: ignore[no-untyped-def]
    entries = [RankEntry(f"U{i:02d}", f"Đơn vị {i}", t) for i, t in enumerate(totals)]
    shuffled = entries[:]
    rnd.shuffle(shuffled)
    assert rank(entries) == rank(shuffled)
    by_code = {r.unit_code: r.rank for r in rank(entries)}
    for e in entries:  # rank = 1 + number of strictly higher totals
        assert by_code[e.unit_code] == 1 + sum(1 for o in entries if o.cents > e.cents)
