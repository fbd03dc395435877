"""Numbers as a Vietnamese reader writes them: "1.234,56" (dot groups thousands, comma before decimals).

One home for the people-facing form of a number, used by every text meant for a person (the
readable CSV, the CLI's text output, the desktop). Machine outputs (``--json``, the CSV to upload)
keep the plain ``304.67`` form and never go through here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = ["format_decimal_vi"]


def format_decimal_vi(value: Decimal | Fraction | int | float, places: int = 2) -> str:
    """``value`` rounded half-up to ``places`` decimals, Vietnamese style: ``1234.5`` → ``"1.234,50"``.

    Floats are taken by their shortest decimal form (``0.1`` is ``0,10``, not ``0,1000…``); a
    Fraction is divided exactly before rounding. ``places=0`` gives no decimal comma.
    """
    if isinstance(value, Fraction):
        number = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        number = Decimal(value)
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,00"
    text = f"{rounded:,.{places}f}"  # "1,234.56"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
