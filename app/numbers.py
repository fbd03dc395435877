"""Numbers as Vietnamese write them, for people: ``1.234,5``; machine outputs keep a dot.

The one formatter of decimals for text a person reads (the CLI's tables, the desktop's tables and
labels). ``--json`` and the upload CSV keep ``304.67``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def format_decimal_vi(value: Decimal | float | int | Fraction | None, places: int = 2) -> str:
    """``304.666`` → ``"304,67"``; ``1234.5`` → ``"1.234,50"``; ``None`` → ``""``.

    Rounded half up to ``places`` decimals (from the exact decimal value, so ``2.675`` → ``2,68``:
    a float is taken by its shortest repr, as a person reads it), ``.`` between thousands, ``,``
    before the decimals, ``-`` for a negative number (never ``-0,00``).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("format_decimal_vi: a bool is not a number to show")
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, float):
        exact = Decimal(repr(value))
    else:
        exact = Decimal(value)
    if not exact.is_finite():
        raise ValueError(f"format_decimal_vi: {value!r} is not a finite number")
    quantum = Decimal(1).scaleb(-places) if places > 0 else Decimal(1)
    rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    digits = f"{abs(rounded):f}"
    whole, _, fraction = digits.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{fraction}" if places > 0 else f"{sign}{text}"
