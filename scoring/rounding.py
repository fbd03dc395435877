"""Excel-exact rounding: half away from zero at 2 decimals, on exact rationals.

Python's ``round`` rounds half to even (``round(2.125, 2) == 2.12``) and works on binary floats;
Excel's ``ROUND(2.125, 2)`` gives 2.13. Scores are computed as exact fractions, so the rounding
is exact too: a score is kept as a whole number of hundredths ("cents") and shown as a Decimal.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def round_cents(numerator: int, denominator: int) -> int:
    """numerator/denominator rounded half away from zero to hundredths, as an int of cents."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    if numerator >= 0:
        return (200 * numerator + denominator) // (2 * denominator)
    return -((200 * -numerator + denominator) // (2 * denominator))


def excel_round(value: Fraction | Decimal | int, digits: int = 2) -> Decimal:
    """``ROUND(value, digits)`` as Excel computes it on the exact value."""
    frac = Fraction(value)
    scale = 10**digits
    num, den = frac.numerator * scale, frac.denominator
    sign = -1 if num < 0 else 1
    rounded = sign * ((2 * abs(num) + den) // (2 * den))
    return Decimal(rounded).scaleb(-digits)


def cents_to_decimal(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


# The three below word numbers for people (explanations, headings), so they write a decimal comma
# as Vietnamese do ("2,13", "21,25%"); machine outputs carry numbers, never these texts.


def format_cents(cents: int) -> str:
    """``213`` → ``"2,13"`` (always two decimals)."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100},{cents % 100:02d}"


def format_points(value: Fraction) -> str:
    """A maximum or a parameter: ``10`` or ``2,5`` (no trailing zeros)."""
    if value.denominator == 1:
        return str(value.numerator)
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f").rstrip("0").rstrip(".").replace(".", ",")


def format_percent(value: Fraction) -> str:
    """``17/80`` → ``"21,25%"``: the exact percentage rounded to 2 decimals, trailing zeros dropped."""
    text = str(excel_round(value * 100, 2))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')}%"
