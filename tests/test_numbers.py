"""``format_decimal_vi``: numbers for people the Vietnamese way (1.234,5), machine outputs keep a dot."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from app.numbers import format_decimal_vi


@pytest.mark.parametrize(("value", "places", "text"), [
    (Decimal("304.665"), 2, "304,67"),  # half up, not half even
    (Decimal("304.675"), 2, "304,68"),
    (304.67, 2, "304,67"),
    (2.675, 2, "2,68"),  # the float as written, not its binary value 2.67499…
    (1234.5, 1, "1.234,5"),
    (1234.5, 2, "1.234,50"),
    (1234567, 2, "1.234.567,00"),
    (1000, 0, "1.000"),
    (999, 0, "999"),
    (0, 2, "0,00"),
    (Decimal("-1234.567"), 2, "-1.234,57"),
    (Decimal("-0.004"), 2, "0,00"),  # never "-0,00"
    (Decimal("-0.005"), 2, "-0,01"),
    (Decimal("0.5"), 0, "1"),
    (Fraction(1, 3), 2, "0,33"),
    (Decimal("1E+3"), 2, "1.000,00"),
    (None, 2, ""),
])  # fmt: skip
def test_examples(value: object, places: int, text: str) -> None:
    assert format_decimal_vi(value, places) == text  # type: ignore[arg-type]


def test_default_is_two_places() -> None:
    assert format_decimal_vi(Decimal("219.05")) == "219,05"


def test_against_a_plain_reading_for_many_values() -> None:
    rng = random.Random(16)
    for _ in range(2000):
        places = rng.randint(0, 4)
        value = Decimal(rng.randint(-(10**9), 10**9)).scaleb(-rng.randint(0, 6))
        text = format_decimal_vi(value, places)
        # the same number read back: drop the thousands dots, the comma is the decimal point
        back = Decimal(text.replace(".", "").replace(",", "."))
        expected = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        assert back == expected, (value, places, text)
        whole = text.lstrip("-").split(",")[0]
        groups = whole.split(".")
        assert len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]), text
        assert (len(text.split(",")[1]) if "," in text else 0) == places, text
        assert text.startswith("-") == (expected < 0)


def test_int_float_and_decimal_agree() -> None:
    for n in (0, 7, 42, 305, 1234, 98765, -3):
        assert format_decimal_vi(n) == format_decimal_vi(float(n)) == format_decimal_vi(Decimal(n))


def test_not_a_number_is_refused() -> None:
    with pytest.raises(ValueError):
        format_decimal_vi(Decimal("NaN"))
    with pytest.raises(TypeError):
        format_decimal_vi(True)  # type: ignore[arg-type]
