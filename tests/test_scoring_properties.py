"""Property tests (hypothesis) over every indicator of both QĐ 79 frameworks."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.framework import get_builtin
from scoring.engine import UnitInputs, score_batch, score_unit
from scoring.model import InputType, Ratio, RatioTarget, Steps

FRAMEWORKS = [get_builtin("hcm-dti-so-2023"), get_builtin("hcm-dti-quan-2023")]
ALL = [(fw, ind) for fw in FRAMEWORKS for ind in fw.indicators]


def value_for(spec: Any) -> st.SearchStrategy[Any]:
    if spec.type is InputType.YESNO:
        return st.sampled_from(["Có", "Không", True, False, None, "x"])
    if spec.type is InputType.CHOICE:
        return st.sampled_from([o.label for o in spec.options] + [None, "khác"])
    return st.one_of(st.none(), st.integers(0, 10_000), st.fractions(0, 100),
                     st.integers(-5, -1))  # fmt: skip


@st.composite
def unit_values(draw: st.DrawFn, fw_index: int) -> dict[str, dict[str, Any]]:
    fw = FRAMEWORKS[fw_index]
    return {ind.code: {s.name: draw(value_for(s)) for s in ind.inputs} for ind in fw.indicators}


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 1).flatmap(lambda i: st.tuples(st.just(i), st.lists(unit_values(i), min_size=1, max_size=4))),
       st.data())  # fmt: skip
def test_every_score_is_within_zero_and_max(case: tuple[int, list[dict[str, Any]]], data: st.DataObject) -> None:
    fw_index, units = case
    fw = FRAMEWORKS[fw_index]
    na = {ind.code: data.draw(st.sampled_from(["", "lý do"])) for ind in fw.indicators
          if data.draw(st.booleans()) and data.draw(st.booleans())}  # fmt: skip
    results = score_batch(fw, [UnitInputs(f"U{i}", "x", v, na) for i, v in enumerate(units)])
    for r in results:
        for ind in fw.indicators:
            s = r.indicators[ind.code]
            assert 0 <= s.cents <= int(ind.max * 100), (ind.code, s)
        assert 0 <= r.total_cents <= int(fw.total * 100)


RATIO_INDICATORS = [(fw, ind) for fw, ind in ALL if isinstance(ind.rule, Ratio | RatioTarget | Steps)]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(RATIO_INDICATORS), st.data())
def test_ratio_score_never_falls_when_the_numerator_grows(pair: Any, data: st.DataObject) -> None:
    fw, ind = pair
    rule = ind.rule
    values = {s.name: data.draw(st.integers(0, 500)) for s in ind.inputs}
    for name in rule.denominator:
        values[name] = data.draw(st.integers(1, 500))
    grow = data.draw(st.sampled_from(list(rule.numerator)))
    bigger = {**values, grow: values[grow] + data.draw(st.integers(1, 500))}
    before = score_unit(fw, UnitInputs("X", "x", {ind.code: values})).indicators[ind.code]
    after = score_unit(fw, UnitInputs("X", "x", {ind.code: bigger})).indicators[ind.code]
    assert after.cents >= before.cents


def plain_or_odd(spec: Any) -> st.SearchStrategy[Any]:
    """Mostly what units type (ints, floats, list texts), often what the rules refuse."""
    if spec.type in (InputType.YESNO, InputType.CHOICE):
        labels = ["Có", "Không"] if spec.type is InputType.YESNO else [o.label for o in spec.options]
        return st.one_of(st.sampled_from(labels), st.sampled_from([None, "", "có", "x", True, 1, "khác"]))
    return st.one_of(st.integers(0, 60), st.integers(0, 60), st.sampled_from([0.16, 0.5, 1.0, 2.5, 0.125, 1e-7]),
                     st.none(), st.integers(-3, -1), st.sampled_from(["12", "abc", float("nan"), True]))  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([*FRAMEWORKS, get_builtin("svhtt-1690")]), st.data())
def test_the_batch_agrees_with_one_indicator_at_a_time(fw: Any, data: st.DataObject) -> None:
    """The batch stores scores by indicator column; every result equals scoring that unit alone."""
    from scoring.engine import compile_framework

    units = []
    for u in range(data.draw(st.integers(1, 4))):
        values = {ind.code: {s.name: data.draw(plain_or_odd(s)) for s in ind.inputs} for ind in fw.indicators}
        na = {ind.code: "lý do" for ind in fw.indicators if data.draw(st.integers(0, 9)) == 0}
        units.append(UnitInputs(f"U{u}", f"Đơn vị {u}", values, na))
    batch = score_batch(fw, units)
    for unit, result in zip(units, batch, strict=True):
        for ci in compile_framework(fw):
            if ci.indicator.rule.kind == "min_max":
                continue  # normalised across the batch; compared below through the measure
            expected = ci.score(unit.values.get(ci.code), unit.not_applicable.get(ci.code))
            got = result.indicators[ci.code]
            assert (got.cents, got.status, got.findings, got.measure) == (
                expected.cents, expected.status, expected.findings, expected.measure), ci.code  # fmt: skip
    for ci in compile_framework(fw):
        if ci.indicator.rule.kind == "min_max":
            for unit, result in zip(units, batch, strict=True):
                alone = ci.score(unit.values.get(ci.code), unit.not_applicable.get(ci.code))
                assert result.indicators[ci.code].measure == alone.measure, ci.code
