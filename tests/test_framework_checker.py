"""Broken framework files produce the expected located problems; the shipped ones pass clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.framework import Severity, builtin_files, check_path, check_text, flatten

BROKEN = Path(__file__).resolve().parent / "fixtures" / "frameworks"


def errors(name: str) -> list[tuple[str, str]]:
    fw, problems = check_path(BROKEN / name)
    assert fw is None, f"{name} should not load"
    return flatten([p for p in problems if p.severity is Severity.ERROR])


@pytest.mark.parametrize("path", builtin_files().values(), ids=lambda p: p.stem)
def test_shipped_frameworks_have_no_problem_at_all(path: Path) -> None:
    fw, problems = check_path(path)
    assert fw is not None
    assert [p.format() for p in problems] == []


def test_minimal_valid_fixture_loads() -> None:
    fw, problems = check_path(BROKEN / "minimal-valid.yaml")
    assert fw is not None and problems == []
    assert [i.code for i in fw.indicators] == ["1.1", "1.2"]


def test_totals_that_do_not_add_up() -> None:
    assert errors("totals-do-not-add-up.yaml") == [
        ("groups[1].max", "group-total-mismatch"),
        ("groups[1].indicator_count", "group-count-mismatch"),
        ("total", "total-mismatch"),
    ]


def test_repeated_codes() -> None:
    assert errors("repeated-codes.yaml") == [
        ("groups[1].code", "duplicate-code"),
        ("indicators[1.1].inputs[a].name", "duplicate-input"),
        ("indicators[1.1].code", "duplicate-code"),
        ("groups[1].max", "group-total-mismatch"),
    ]


def test_rules_naming_inputs_that_do_not_exist() -> None:
    assert errors("rule-names-missing-input.yaml") == [
        ("indicators[1.1].rule.denominator[0]", "unknown-input"),
        ("indicators[1.1].constraints[0]", "unknown-input"),
        ("indicators[1.2].rule.input", "input-wrong-type"),
    ]


def test_parameters_out_of_range() -> None:
    assert errors("parameters-out-of-range.yaml") == [
        ("indicators[1.1].inputs[a].options[0].fraction", "fraction-out-of-range"),
        ("indicators[1.2].rule.target", "out-of-range"),
        ("indicators[1.3].rule.parts", "weights-not-one"),
        ("indicators[1.4].max", "max-not-positive"),
        ("groups[1].max", "group-total-mismatch"),
    ]


def test_thresholds_not_ordered_overlapping_or_gapped() -> None:
    assert errors("thresholds-not-ordered.yaml") == [
        ("indicators[1.1].rule.bands[0]", "thresholds-not-ordered"),
        ("indicators[1.1].rule.bands[1]", "thresholds-overlap"),
        ("indicators[1.2].rule.bands[1]", "thresholds-gap"),
        ("indicators[1.2].rule.bands[0]", "thresholds-gap"),
    ]


def test_choices_without_fractions() -> None:
    assert errors("choice-without-fractions.yaml") == [
        ("indicators[9.1].inputs[a].options[1].fraction", "option-without-fraction"),
        ("indicators[9.2].inputs[a].options", "choice-without-options"),
    ]


def test_na_allowed_on_a_rule_that_cannot_be_na() -> None:
    assert errors("na-on-min-max.yaml") == [
        ("indicators[5.1].allow_na", "na-not-allowed-for-rule"),
        ("indicators[5.2].allow_na", "na-not-allowed-for-rule"),
    ]


def test_unquoted_code_typo_and_duplicate_key() -> None:
    assert errors("unquoted-code-and-typo.yaml") == [
        ("indicators[1.1].max", "duplicate-key"),
        ("indicators[1.1].alow_na", "unknown-field"),
        ("indicators[1.1].code", "code-not-text"),
        ("groups[1].max", "group-total-mismatch"),
    ]


def test_problems_carry_line_column_and_both_languages() -> None:
    _, problems = check_path(BROKEN / "rule-names-missing-input.yaml")
    first = problems[0]
    assert (first.line, first.column) == (19, 55)
    assert "'c'" in first.message_vi and "không có biến" in first.message_vi
    assert "does not have" in first.message_en
    assert first.format().startswith(f"{BROKEN / 'rule-names-missing-input.yaml'}:19:55 indicators[1.1]")
    _, problems = check_path(BROKEN / "unquoted-code-and-typo.yaml")
    code = next(p for p in problems if p.code == "code-not-text")
    assert '"1.10"' in code.message_vi  # quotes back what the author wrote, not YAML's 1.1


def test_yaml_syntax_error_is_located() -> None:
    fw, problems = check_path(BROKEN / "not-yaml.yaml")
    assert fw is None
    assert [(p.code, p.line) for p in problems] == [("yaml-syntax", 3)]


def test_yes_no_keys_stay_text() -> None:
    """YAML 1.1 turns a key ``no`` into False; the framework loader uses YAML 1.2 booleans."""
    text = (BROKEN / "minimal-valid.yaml").read_text(encoding="utf-8")
    text += "general_info:\n  - {name: info_1, no: 1.1, label: Tên, type: text}\n"
    fw, problems = check_text(text)
    assert problems == [] and fw is not None
    assert fw.general_info[0].no == "1.1"


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("[1, 2]", [("", "wrong-type")]),
        ("", [("", "wrong-type")]),
        ("id: X Y\n", None),
    ],
)
def test_not_a_framework_at_all(snippet: str, expected: list[tuple[str, str]] | None) -> None:
    fw, problems = check_text(snippet)
    assert fw is None
    if expected is not None:
        assert flatten(problems) == expected
    else:
        codes = {p.code for p in problems}
        assert {"invalid-id", "missing-field"} <= codes


def test_indicators_from_unknown_framework() -> None:
    text = """
id: derived
version: "1"
title: T
legal_basis: L
level: don-vi
total: 330
indicators_from: no-such-framework
"""
    fw, problems = check_text(text, resolve=lambda _id: None)
    assert fw is None
    assert flatten(problems) == [("indicators_from", "unknown-framework")]


def test_place_label_names_indicators_by_code_and_fields_by_label() -> None:
    from app.framework.registry import get_builtin

    fw = get_builtin("svhtt-1690")
    assert fw.place_label("6.4") == "6.4"
    assert fw.place_label("contact_phone") == "Số điện thoại"
    assert fw.place_label("pl_1") == "Số lượng viên chức hiện có của đơn vị"
    assert fw.place_label("không-có") == "không-có"


def test_plausible_max_must_be_a_positive_number_on_a_count_or_number() -> None:
    assert sorted(errors("plausible-max-wrong.yaml")) == [
        ("general_info[staff].plausible_max", "invalid-number"),
        ("indicators[1.1].inputs[a].plausible_max", "plausible-max-out-of-range"),
        ("indicators[1.2].inputs[a].plausible_max", "plausible-max-not-numeric"),
    ]
