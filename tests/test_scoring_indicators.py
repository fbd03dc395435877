"""At least one hand-computed case per indicator of both QĐ 79 frameworks, from the rule text,
and every boundary DESIGN §6 names. Expected values are worked out by hand (see the comments)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from app.framework import get_builtin
from scoring.engine import UnitInputs, score_batch, score_unit
from scoring.findings import Status

SO = "hcm-dti-so-2023"
QUAN = "hcm-dti-quan-2023"
CO, KHONG = "Có", "Không"

SO_CHOICE = ["Trưởng ban là Giám đốc Sở/Ban/Ngành", "Trưởng ban là Phó giám đốc Sở/Ban/Ngành",
             "Chưa có Ban chỉ đạo hoặc có nhưng Trưởng ban không phải Lãnh đạo Sở/Ban/Ngành"]  # fmt: skip
QUAN_11 = ["Trưởng ban là Bí thư/Chủ tịch Quận/Huyện/Thành phố",
           "Trưởng ban là Phó Bí thư/Phó Chủ tịch Quận/Huyện/Thành phố",
           "Chưa có Ban chỉ đạo hoặc có nhưng Trưởng ban không phải Lãnh đạo Quận/Huyện/Thành phố"]  # fmt: skip
QUAN_15 = ["Tần suất phát sóng từ 1 lần/1 tuần", "Tần suất phát sóng từ 1 tháng/1 lần đến dưới 1 lần/1 tuần",
           "Tần suất phát sóng dưới 1 tháng/1 lần"]  # fmt: skip

# (framework, code, inputs, expected score)
CASES: list[tuple[str, str, dict[str, Any], str]] = [
    # --- Phụ lục I (Sở) ---
    (SO, "1.1", {"a": SO_CHOICE[0]}, "10.00"),
    (SO, "1.1", {"a": SO_CHOICE[1]}, "5.00"),  # 1/2 × 10
    (SO, "1.1", {"a": SO_CHOICE[2]}, "0.00"),
    (SO, "1.2", {"a": 17, "b": 80}, "2.13"),  # 10 × 17/80 = 2.125 → 2.13 (Excel), not 2.12
    (SO, "1.3", {"a": 3, "b": 4}, "7.50"),
    (SO, "1.4", {"a": CO, "b": 20}, "10.00"),  # "Từ 20 trở lên"
    (SO, "1.4", {"a": CO, "b": 19}, "5.00"),  # "Từ 10 đến 19": 1/2
    (SO, "1.4", {"a": CO, "b": 10}, "5.00"),
    (SO, "1.4", {"a": CO, "b": 9}, "2.50"),  # "Dưới 10": 1/4
    (SO, "1.4", {"a": CO, "b": 0}, "2.50"),
    (SO, "1.4", {"a": KHONG, "b": 30}, "0.00"),  # "Chưa có chuyên mục"
    (SO, "2.1", {"a": CO}, "5.00"),
    (SO, "2.2", {"a": KHONG}, "0.00"),
    (SO, "2.3", {"a": 45, "b": 60}, "7.50"),
    (SO, "3.1", {"a": 41, "b": 50}, "5.00"),  # 82% > 80%
    (SO, "3.1", {"a": 40, "b": 50}, "0.00"),  # exactly 80%: "Trên 80%" is strict → 0
    (SO, "3.2", {"a": 81, "b": 100}, "5.00"),
    (SO, "3.2", {"a": 79, "b": 100}, "0.00"),
    (SO, "3.3", {"a": 81, "b": 100}, "30.00"),  # > 80%
    (SO, "3.3", {"a": 8, "b": 10}, "15.00"),  # exactly 80%: "Từ 50% - 80%" includes it
    (SO, "3.3", {"a": 5, "b": 10}, "15.00"),  # exactly 50%
    (SO, "3.3", {"a": 49, "b": 100}, "0.00"),  # < 50%
    (SO, "3.4", {"a": 7, "b": 7, "c": 2, "d": 7}, "19.29"),  # 15 × 1 + 15 × 2/7 = 19.2857…
    (SO, "4.2", {"a": CO}, "10.00"),
    (SO, "4.3", {"a": 1, "b": 3}, "3.33"),
    (SO, "5.2", {"a": 2, "b": 3}, "6.67"),
    (SO, "5.3", {"a": 1, "b": 8}, "1.25"),
    (SO, "5.4", {"a": 1, "b": 6}, "0.83"),  # 5/6 = 0.8333…
    (SO, "6.1", {"a": CO, "b": CO}, "10.00"),
    (SO, "6.1", {"a": CO, "b": KHONG}, "8.00"),  # 4/5 × 10
    (SO, "6.1", {"a": KHONG, "b": CO}, "2.00"),  # 1/5 × 10
    (SO, "6.1", {"a": KHONG, "b": KHONG}, "0.00"),
    (SO, "6.2", {"a": 3, "b": 8}, "1.88"),  # 1.875 → 1.88
    (SO, "6.3", {"a": 10, "b": 10, "c": 3, "d": 4}, "3.50"),  # (c+d)/(a+b) = 7/20
    (SO, "6.4", {"a": 200, "b": 180}, "5.00"),  # exactly 90% → max
    (SO, "6.4", {"a": 100, "b": 50}, "2.78"),  # 50% / 90% × 5 = 2.777…
    (SO, "6.5", {"a": CO}, "10.00"),
    (SO, "6.6", {"a": KHONG}, "0.00"),
    (SO, "6.7", {"a": CO}, "10.00"),
    (SO, "6.8", {"a": CO}, "10.00"),
    (SO, "6.9", {"a": KHONG}, "0.00"),
    (SO, "6.10", {"a": CO}, "10.00"),
    (SO, "6.11", {"a": CO}, "10.00"),
    (SO, "6.12", {"a": KHONG}, "0.00"),
    (SO, "6.13", {"a": Fraction(55, 100), "b": Fraction(50, 100)}, "10.00"),  # growth exactly 10%
    (SO, "6.13", {"a": 0.33, "b": 0.3}, "10.00"),  # 0.33/0.3 − 1 = exactly 10% (exact decimals)
    (SO, "6.13", {"a": Decimal("0.52"), "b": Decimal("0.50")}, "4.00"),  # 4% / 10% × 10
    (SO, "6.13", {"a": 0.4, "b": 0.5}, "0.00"),  # decline → never below 0
    (SO, "6.13", {"a": 0.3, "b": 0}, "10.00"),  # from 0 to > 0 → max
    (SO, "6.14", {"a": 8, "b": 10}, "10.00"),  # exactly 80% → max
    (SO, "6.14", {"a": 6, "b": 10}, "7.50"),  # 60% / 80% × 10
    # --- Phụ lục II (quận, huyện) ---
    (QUAN, "1.1", {"a": QUAN_11[0]}, "10.00"),
    (QUAN, "1.1", {"a": QUAN_11[1]}, "5.00"),
    (QUAN, "1.2", {"a": 1, "b": 3}, "3.33"),
    (QUAN, "1.3", {"a": 2, "b": 5}, "4.00"),
    (QUAN, "1.4", {"a": CO, "b": 20}, "10.00"),
    (QUAN, "1.4", {"a": CO, "b": 12}, "5.00"),
    (QUAN, "1.5", {"a": QUAN_15[0]}, "20.00"),
    (QUAN, "1.5", {"a": QUAN_15[1]}, "10.00"),
    (QUAN, "1.5", {"a": QUAN_15[2]}, "0.00"),
    (QUAN, "2.1", {"a": CO}, "5.00"),
    (QUAN, "2.2", {"a": CO}, "5.00"),
    (QUAN, "2.3", {"a": KHONG}, "0.00"),
    (QUAN, "2.4", {"a": 7, "b": 8}, "8.75"),
    (QUAN, "2.5", {"a": CO}, "10.00"),
    (QUAN, "2.6", {"a": KHONG}, "0.00"),
    (QUAN, "3.1", {"a": 8, "b": 10}, "0.00"),  # exactly 80% → 0
    (QUAN, "3.2", {"a": 81, "b": 100}, "5.00"),
    (QUAN, "3.3", {"a": 8, "b": 10}, "15.00"),  # source says "150 điểm": 15 is meant
    (QUAN, "3.3", {"a": 1, "b": 2}, "15.00"),
    (QUAN, "3.3", {"a": 8001, "b": 10000}, "30.00"),
    (QUAN, "3.4", {"a": 6, "b": 7, "c": 1, "d": 6}, "15.36"),  # 15×6/7 + 15×1/6 = 15.357…
    (QUAN, "4.1", {"a": 5, "b": 12}, "4.17"),
    (QUAN, "4.2", {"a": 3, "b": 4}, "7.50"),
    (QUAN, "4.3", {"a": 1, "b": 2, "c": 3, "d": 4, "e": 50, "f": 50}, "1.00"),  # plain ratio here
    (QUAN, "4.4", {"a": CO}, "10.00"),
    (QUAN, "4.5", {"a": 9, "b": 10}, "9.00"),
    (QUAN, "4.6", {"a": 1, "b": 3}, "1.67"),
    (QUAN, "4.7", {"a": 50, "b": 100}, "5.00"),  # exactly 50% → max
    (QUAN, "4.7", {"a": 25, "b": 100}, "2.50"),
    (QUAN, "5.2", {"a": 1, "b": 3}, "3.33"),
    (QUAN, "5.3", {"a": 2, "b": 2}, "10.00"),
    (QUAN, "5.4", {"a": 3, "b": 4}, "3.75"),
    (QUAN, "6.1", {"a": CO, "b": KHONG}, "8.00"),
    (QUAN, "6.2", {"a": 10, "b": 10, "c": 5, "d": 5}, "5.00"),
    (QUAN, "6.3", {"a": 100, "b": 20, "c": 10}, "12.00"),  # (b+c)/a = 30%; 30/50 × 20
    (QUAN, "6.3", {"a": 100, "b": 30, "c": 20}, "20.00"),  # exactly 50% → max
    (QUAN, "6.4", {"a": 10, "b": 9}, "5.00"),
    (QUAN, "6.5", {"a": CO}, "10.00"),
    (QUAN, "6.6", {"a": CO}, "10.00"),
    (QUAN, "6.7", {"a": KHONG}, "0.00"),
    (QUAN, "6.8", {"a": CO}, "10.00"),
    (QUAN, "6.9", {"a": CO}, "10.00"),
    (QUAN, "6.10", {"a": KHONG}, "0.00"),
    (QUAN, "6.11", {"a": CO}, "10.00"),
    (QUAN, "6.12", {"a": CO}, "10.00"),
    (QUAN, "6.13", {"a": Fraction(66, 100), "b": Fraction(60, 100)}, "10.00"),  # exactly 10%
    (QUAN, "6.13", {"a": Fraction(63, 100), "b": Fraction(60, 100)}, "5.00"),  # 5%
    (QUAN, "6.14", {"a": 7, "b": 10}, "8.75"),
    (QUAN, "6.15", {"a": 9, "b": 12}, "15.00"),
    (QUAN, "6.16", {"a": 17, "b": 80}, "4.25"),
    (QUAN, "7.1", {"a": 40, "b": 100}, "24.00"),  # 40/50 × 30
    (QUAN, "7.2", {"a": 60, "b": 100}, "22.50"),  # 60/80 × 30
    (QUAN, "7.3", {"a": 1, "b": 7}, "4.29"),
    (QUAN, "8.1", {"a": 3, "b": 4}, "15.00"),
    (QUAN, "8.2", {"a": 45, "b": 100}, "15.00"),  # 45/60 × 20
    (QUAN, "8.3", {"a": 1, "b": 8}, "5.00"),  # 12.5/50 × 20
    (QUAN, "8.4", {"a": 35, "b": 100}, "5.00"),  # 35/70 × 10
    (QUAN, "8.5", {"a": 7}, "7.00"),  # 1 point per activity
    (QUAN, "8.5", {"a": 25}, "20.00"),  # at most the maximum
    (QUAN, "9.1", {"a": "Đã triển khai"}, "20.00"),
    (QUAN, "9.1", {"a": "Đang triển khai"}, "10.00"),
    (QUAN, "9.1", {"a": "Chưa triển khai"}, "0.00"),
]


@pytest.mark.parametrize(("fid", "code", "inputs", "expected"), CASES,
                         ids=[f"{f[5:9]}-{c}-{i}" for i, (f, c, _, _) in enumerate(CASES)])  # fmt: skip
def test_indicator_case(fid: str, code: str, inputs: dict[str, Any], expected: str) -> None:
    fw = get_builtin(fid)
    ind = fw.indicator(code)
    assert set(inputs) <= {s.name for s in ind.inputs}, "the case names an input the indicator lacks"
    result = score_unit(fw, UnitInputs("X", "Đơn vị", {code: inputs})).indicators[code]
    assert str(result.score) == expected
    assert result.status is Status.SCORED


def test_every_indicator_of_both_frameworks_has_a_case() -> None:
    for fid in (SO, QUAN):
        covered = {c for f, c, _, _ in CASES if f == fid}
        min_max = {i.code for i in get_builtin(fid).indicators if i.rule.kind == "min_max"}
        assert {i.code for i in get_builtin(fid).indicators} - covered == min_max  # tested below


@pytest.mark.parametrize(("fid", "code"), [(SO, "4.1"), (SO, "5.1"), (QUAN, "5.1")])
def test_min_max_across_units(fid: str, code: str) -> None:
    fw = get_builtin(fid)
    if code == "4.1":  # ratios (a+b+c+d)/(e+f) = 10%, 20%, 30%
        units = [UnitInputs(f"U{k}", f"Đơn vị {k}", {code: {"a": k, "b": 0, "c": 0, "d": 0, "e": 5, "f": 5}})
                 for k in (1, 2, 3)]  # fmt: skip
    else:  # counts 2, 4, 6
        units = [UnitInputs(f"U{k}", f"Đơn vị {k}", {code: {"a": 2 * k}}) for k in (1, 2, 3)]
    scores = [r.indicators[code] for r in score_batch(fw, units)]
    assert [str(s.score) for s in scores] == ["0.00", "5.00", "10.00"]
    assert all(s.status is Status.SCORED for s in scores)


def test_min_max_all_equal_values() -> None:
    fw = get_builtin(SO)
    equal_positive = [UnitInputs(f"U{k}", "x", {"5.1": {"a": 3}}) for k in range(3)]
    assert {str(r.indicators["5.1"].score) for r in score_batch(fw, equal_positive)} == {"10.00"}
    equal_zero = [UnitInputs(f"U{k}", "x", {"5.1": {"a": 0}}) for k in range(3)]
    assert {str(r.indicators["5.1"].score) for r in score_batch(fw, equal_zero)} == {"0.00"}
    alone = score_batch(fw, [UnitInputs("U", "x", {"5.1": {"a": 4}})])
    assert str(alone[0].indicators["5.1"].score) == "10.00"


def test_min_max_with_missing_units() -> None:
    """A unit without a value scores 0 and is left out of min and max."""
    fw = get_builtin(SO)
    units = [UnitInputs("A", "a", {"5.1": {"a": 2}}), UnitInputs("B", "b", {}),
             UnitInputs("C", "c", {"5.1": {"a": 6}}), UnitInputs("D", "d", {"5.1": {"a": 3}})]  # fmt: skip
    scores = [r.indicators["5.1"] for r in score_batch(fw, units)]
    assert [str(s.score) for s in scores] == ["0.00", "0.00", "10.00", "2.50"]  # (3−2)/(6−2) × 10
    assert scores[1].status is Status.MISSING
    assert [f.code for f in scores[1].findings] == ["missing-value"]
    # a zero denominator in a min-max ratio also leaves the unit out
    units41 = [UnitInputs("A", "a", {"4.1": {"a": 1, "b": 0, "c": 0, "d": 0, "e": 10, "f": 0}}),
               UnitInputs("B", "b", {"4.1": {"a": 0, "b": 0, "c": 0, "d": 0, "e": 0, "f": 0}}),
               UnitInputs("C", "c", {"4.1": {"a": 1, "b": 1, "c": 0, "d": 0, "e": 10, "f": 0}})]  # fmt: skip
    s41 = [r.indicators["4.1"] for r in score_batch(fw, units41)]
    assert [str(s.score) for s in s41] == ["0.00", "0.00", "10.00"]
    assert s41[1].status is Status.ZERO_DENOMINATOR


def test_min_max_is_pending_when_scored_alone() -> None:
    fw = get_builtin(SO)
    s = score_unit(fw, UnitInputs("A", "a", {"5.1": {"a": 2}})).indicators["5.1"]
    assert s.status is Status.PENDING and s.cents == 0 and s.measure == 2
