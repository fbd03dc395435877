"""Reporting periods: every usual spelling reads as one period; bad input gets a Vietnamese message."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from app.period import Period, parse_period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-Q1", Period(2023, 1)),
        ("2023-q1", Period(2023, 1)),
        ("Q1/2023", Period(2023, 1)),
        ("Quý I/2023", Period(2023, 1)),
        ("quý 1 năm 2023", Period(2023, 1)),
        ("2023", Period(2023, None)),
        ("  2024-Q4 \t", Period(2024, 4)),
        ("QUÝ III/2023", Period(2023, 3)),
        ("Quý IV năm 2025", Period(2025, 4)),
        ("Quý II / 2023", Period(2023, 2)),
        ("q2/2023", Period(2023, 2)),
        ("Năm 2023", Period(2023, None)),
    ],
)
def test_accepted_spellings(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


def test_nfd_input_is_read_like_nfc() -> None:
    text = unicodedata.normalize("NFD", "Quý II năm 2023")
    assert text != unicodedata.normalize("NFC", text)  # the input really is decomposed
    assert parse_period(text) == Period(2023, 2)
    assert parse_period(unicodedata.normalize("NFD", " quý 3 năm 2022 ")) == Period(2022, 3)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2023-Q5",
        "Q0/2023",
        "Quý V/2023",
        "23",
        "20231",
        "2023-Q1-Q2",
        "Q1",
        "quý",
        "abc",
        "0999",
        "２０２３",
    ],
)
def test_rejected_with_vietnamese_message(text: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        parse_period(text)
    message = str(excinfo.value)
    assert message.startswith(f"Kỳ báo cáo không hợp lệ: '{text.strip()}'")
    assert "ví dụ đúng: 2023-Q1" in message


@pytest.mark.parametrize(
    ("period", "code", "label", "last_month", "deadline"),
    [
        (Period(2023, 1), "2023-Q1", "Quý I năm 2023", 3, date(2023, 4, 20)),  # CV 1690 3.2: first round
        (Period(2024, 1), "2024-Q1", "Quý I năm 2024", 3, date(2024, 3, 16)),
        (Period(2023, 2), "2023-Q2", "Quý II năm 2023", 6, date(2023, 6, 16)),
        (Period(2023, 3), "2023-Q3", "Quý III năm 2023", 9, date(2023, 9, 16)),
        (Period(2024, 4), "2024-Q4", "Quý IV năm 2024", 12, date(2024, 12, 16)),
        (Period(2023, None), "2023", "Năm 2023", 12, date(2023, 12, 16)),
    ],
)
def test_properties(period: Period, code: str, label: str, last_month: int, deadline: date) -> None:
    assert period.code == code
    assert str(period) == code
    assert period.label_vi == label
    assert period.last_month == last_month
    assert period.default_deadline == deadline


@pytest.mark.parametrize("period", [Period(2023, q) for q in (1, 2, 3, 4, None)])
def test_code_and_label_read_back(period: Period) -> None:
    assert parse_period(period.code) == period
    assert parse_period(period.label_vi) == period


@pytest.mark.parametrize(("year", "quarter"), [(2023, 0), (2023, 5), (999, 1), (10000, None)])
def test_period_rejects_impossible_values(year: int, quarter: int | None) -> None:
    with pytest.raises(ValueError):
        Period(year, quarter)


def test_period_is_frozen_and_hashable() -> None:
    period = Period(2023, 1)
    with pytest.raises(AttributeError):
        period.year = 2024  # type: ignore[misc]
    assert {parse_period("2023-Q1"), parse_period("Quý I/2023")} == {period}


@pytest.mark.parametrize(("code", "previous"), [("2023-Q1", "2022-Q4"), ("2023-Q3", "2023-Q2"), ("2024", "2023")])
def test_previous_period(code: str, previous: str) -> None:
    assert parse_period(code).previous.code == previous
