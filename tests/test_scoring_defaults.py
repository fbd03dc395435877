"""QĐ 79 II.2.c defaults, Excel rounding, explanations and appraisal (DESIGN §6)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from app.framework import get_builtin
from scoring.appraisal import Appraisal, assess, standings
from scoring.engine import UnitInputs, score_unit
from scoring.explain import explain
from scoring.findings import Severity, Status
from scoring.rounding import excel_round, format_percent, round_cents

SO = get_builtin("hcm-dti-so-2023")
QUAN = get_builtin("hcm-dti-quan-2023")


def one(fw, code, inputs, na=None):  # type: ignore[no-untyped-def]
    unit = UnitInputs("X", "Đơn vị", {code: inputs} if inputs is not None else {}, na or {})
    return score_unit(fw, unit).indicators[code]


def test_python_round_and_excel_differ_at_2_125() -> None:
    assert round(2.125, 2) == 2.12  # banker's rounding on a binary float
    assert excel_round(Fraction(17, 8)) == Decimal("2.13")  # Excel ROUND(2.125, 2)
    assert round_cents(17, 8) == 213
    assert excel_round(Decimal("2.675")) == Decimal("2.68")  # round(2.675, 2) == 2.67 in Python
    assert round(2.675, 2) == 2.67
    assert excel_round(Fraction(-17, 8)) == Decimal("-2.13")  # half away from zero
    assert one(SO, "1.2", {"a": 17, "b": 80}).score == Decimal("2.13")


def test_totals_are_sums_of_rounded_indicator_scores() -> None:
    # three indicators each 10 × 1/3 = 3.333… → 3.33; total 9.99, not round(10.0)
    values = {c: {"a": 1, "b": 3} for c in ("1.2", "1.3", "2.3")}
    result = score_unit(SO, UnitInputs("X", "x", values))
    assert result.total == Decimal("9.99")
    assert result.group_cents(SO)["1"] == 666 and result.group_cents(SO)["2"] == 333


def test_missing_figure_scores_zero_with_a_warning() -> None:
    s = one(SO, "1.2", {"a": 3})
    assert (s.cents, s.status) == (0, Status.MISSING)
    assert [(f.code, f.severity, f.inputs) for f in s.findings] == [("missing-value", Severity.WARNING, ("b",))]
    assert one(SO, "2.1", None).status is Status.MISSING


def test_not_applicable_scores_max_only_where_allowed_and_explained() -> None:
    ok = one(SO, "6.3", None, {"6.3": "Đơn vị không có thủ tục hành chính"})
    assert (str(ok.score), ok.status) == ("10.00", Status.NOT_APPLICABLE)
    no_reason = one(SO, "6.3", {"a": 10, "b": 0, "c": 5, "d": 0}, {"6.3": "  "})
    assert no_reason.status is Status.SCORED and str(no_reason.score) == "5.00"
    assert [f.code for f in no_reason.findings] == ["na-without-explanation"]
    not_allowed = one(SO, "1.2", {"a": 1, "b": 2}, {"1.2": "lý do"})
    assert str(not_allowed.score) == "5.00"
    assert [(f.code, f.severity) for f in not_allowed.findings] == [("na-not-allowed", Severity.ERROR)]


def test_zero_denominator_scores_zero_and_suggests_na_where_allowed() -> None:
    s = one(SO, "6.3", {"a": 0, "b": 0, "c": 0, "d": 0})
    assert (s.cents, s.status) == (0, Status.ZERO_DENOMINATOR)
    assert "không áp dụng" in s.findings[0].message
    s = one(SO, "1.2", {"a": 0, "b": 0})  # N/A not allowed: no such suggestion
    assert s.status is Status.ZERO_DENOMINATOR and "không áp dụng" not in s.findings[0].message
    assert one(QUAN, "4.2", {"a": 0, "b": 0}).status is Status.ZERO_DENOMINATOR


def test_part_greater_than_whole_is_flagged_and_capped() -> None:
    s = one(SO, "1.2", {"a": 5, "b": 4})
    assert str(s.score) == "10.00"
    assert [(f.code, f.inputs) for f in s.findings] == [("part-exceeds-whole", ("a", "b"))]
    s = one(SO, "6.3", {"a": 2, "b": 10, "c": 3, "d": 4})  # c > a although (c+d) ≤ (a+b)
    assert [f.inputs for f in s.findings] == [("c", "a")]
    s = one(SO, "4.1", {"a": 6, "b": 5, "c": 0, "d": 0, "e": 10, "f": 10})
    assert [f.inputs for f in s.findings] == [("a", "b", "e")]


def test_unusable_values_are_errors_not_crashes() -> None:
    s = one(SO, "1.2", {"a": -1, "b": 4})
    assert s.status is Status.MISSING and [f.code for f in s.findings] == ["invalid-value"]
    assert one(SO, "1.2", {"a": "12 người", "b": 4}).findings[0].code == "invalid-value"
    assert one(SO, "2.1", {"a": "có lẽ"}).findings[0].code == "invalid-value"
    assert one(SO, "1.1", {"a": "Trưởng phòng"}).findings[0].code == "invalid-value"
    # accepted spellings: NFD, case, spacing
    import unicodedata

    assert str(one(SO, "2.1", {"a": unicodedata.normalize("NFD", "  CÓ ")}).score) == "5.00"
    assert str(one(SO, "2.1", {"a": True}).score) == "5.00"
    label = unicodedata.normalize("NFD", "trưởng ban là phó giám đốc sở/ban/ngành")
    assert str(one(SO, "1.1", {"a": label}).score) == "5.00"
    assert str(one(SO, "1.2", {"a": 1.5, "b": Decimal("3")}).score) == "5.00"


def test_explanations() -> None:
    def text(fw, code, inputs, na=None):  # type: ignore[no-untyped-def]
        return explain(fw.indicator(code), one(fw, code, inputs, na), inputs, (na or {}).get(code))

    assert text(SO, "1.2", {"a": 17, "b": 80}) == "1.2: a=17, b=80 → 21,25% → 2,13/10"
    assert text(SO, "3.1", {"a": 40, "b": 50}) == "3.1: a=40, b=50 → 80% (≤ 80% → 0) → 0,00/5"
    assert text(SO, "6.4", {"a": 100, "b": 50}) == "6.4: a=100, b=50 → 50% < 90% → 50%/90% → 2,78/5"
    assert text(SO, "1.4", {"a": "Có", "b": 12}) == "1.4: a=Có, b=12 → [10; 20) → 1/2 → 5,00/10"
    assert text(SO, "6.13", {"a": 0.6, "b": 0.5}) == "6.13: a=60%, b=50% → tăng 20% ≥ 10% → 10,00/10"
    assert text(SO, "1.2", {"a": 3}) == "1.2: a=3, b=trống → thiếu số liệu (b) → 0,00/10"
    assert text(SO, "6.3", None, {"6.3": "Không có TTHC"}) == "6.3: không áp dụng (Không có TTHC) → 10,00/10"
    assert 'chọn "không áp dụng"' in text(SO, "6.3", {"a": 0, "b": 0, "c": 0, "d": 0})
    assert text(QUAN, "8.5", {"a": 7}) == "8.5: a=7 → 7 × 1 điểm (tối đa 20) → 7,00/20"
    assert format_percent(Fraction(17, 80)) == "21,25%"


def test_appraisal_keeps_both_and_ranking_uses_appraised() -> None:
    units = [UnitInputs("A", "Nhà hát", {"1.2": {"a": 1, "b": 2}}),
             UnitInputs("B", "Bảo tàng", {"1.2": {"a": 2, "b": 2}}),
             UnitInputs("C", "Thư viện", {"1.2": {"a": 0, "b": 2}})]  # fmt: skip
    appraisals = {"B": Appraisal(values={"1.2": {"a": 0}}), "C": Appraisal(scores={"1.2": Decimal("7.5")})}
    result = {a.unit_code: a for a in assess(SO, units, appraisals)}
    assert (result["B"].self_score.total, result["B"].effective.total) == (Decimal("10.00"), Decimal("0.00"))
    assert result["C"].effective.indicators["1.2"].status is Status.OVERRIDDEN
    assert (result["A"].appraised, result["B"].appraised) == (False, True)
    order = [(s.unit_code, s.rank) for s in standings(SO, [a.effective for a in result.values()])]
    assert order == [("C", 1), ("A", 2), ("B", 3)]


def test_appraised_value_moves_other_units_min_max() -> None:
    units = [UnitInputs("A", "a", {"5.1": {"a": 2}}), UnitInputs("B", "b", {"5.1": {"a": 10}}),
             UnitInputs("C", "c", {"5.1": {"a": 6}})]  # fmt: skip
    result = assess(SO, units, {"B": Appraisal(values={"5.1": {"a": 4}})})
    assert [str(a.self_score.indicators["5.1"].score) for a in result] == ["0.00", "10.00", "5.00"]
    assert [str(a.effective.indicators["5.1"].score) for a in result] == ["0.00", "5.00", "10.00"]
