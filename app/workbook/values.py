"""What a unit typed into one input cell, understood leniently or refused clearly (DESIGN §5).

Units type ``12``, ``" 12 "``, ``1.234`` (thousands, the Vietnamese way), ``1,5`` (a decimal
comma), ``80%``, ``12 người``, ``x`` for yes, ``5/3/2023``, in NFD from Unikey, and their cells
may be formatted as text, so the same number arrives as an int, a float or a string. Refusing all
that would bounce most files back for nothing; guessing silently would score numbers nobody
typed. So every value is either understood — and when that took a conversion the caller tells
the unit what was understood ("Đã hiểu giá trị "12 người" là 12.") — or refused with what was
expected, never both and never an exception.

The values handed on are what the scoring engine reads exactly: whole numbers as ``int``,
decimals typed as text as ``Decimal`` (never a binary float the unit did not type), floats from
number cells as they are (the engine reads a float as the decimal it prints as).

This runs for every input cell of every file, so the common cases — an int in a number cell, the
list value ``Có`` in a yes/no cell, an option label as the list wrote it — are answered by
``parse_value`` from the type of the value before anything else is looked at.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache
from typing import Any, NamedTuple

from app.textfold import fold, fold_loose
from scoring.model import InputType

__all__ = ["BLANK", "EXPECTED", "OUT_OF_RANGE", "WRONG_TYPE", "Parsed", "parse_value"]

WRONG_TYPE = "wrong-type"  # not understood, or the wrong kind of value for the cell
OUT_OF_RANGE = "out-of-range"  # understood, but not allowed (negative, a rate above 100%)


@dataclass(frozen=True, slots=True)
class Parsed:
    """One cell's value as understood, or why it was not.

    ``converted`` is set only when what was typed had to be changed to be understood ("1.234" is
    1234, "80" in a rate cell is 80%); it is the value rendered the way the unit would write it, so
    the caller can say "Đã hiểu giá trị "1.234" là 1234." A value typed the plain way gets none.
    """

    value: Any  # what the scoring engine and the store get; None when blank or not understood
    converted: str = ""  # "12", "1,5", "80%", "Có", "05/03/2023" — how the value was understood
    error: str = ""  # "" or WRONG_TYPE or OUT_OF_RANGE
    expected: str = ""  # with an error: what the cell should hold, in Vietnamese ("số nguyên không âm")

    @property
    def blank(self) -> bool:
        """Nothing typed (or only spaces): the caller decides whether the value was required."""
        return self.value is None and not self.error


_COUNT, _NUMBER, _PERCENT = InputType.COUNT, InputType.NUMBER, InputType.PERCENT
_YESNO, _CHOICE, _TEXT = InputType.YESNO, InputType.CHOICE, InputType.TEXT
_DATE, _PHONE, _EMAIL = InputType.DATE, InputType.PHONE, InputType.EMAIL

#: what each kind of cell expects, as the end of "Giá trị … không hợp lệ: cần …" (CHOICE lists its options)
EXPECTED: dict[InputType, str] = {
    _COUNT: "số nguyên không âm",
    _NUMBER: "số không âm",
    _PERCENT: "tỷ lệ từ 0% đến 100%",
    _YESNO: "Có hoặc Không",
    _CHOICE: "một trong các lựa chọn của danh sách",
    _TEXT: "nội dung dạng chữ",
    _DATE: "ngày dạng dd/mm/yyyy",
    _PHONE: "số điện thoại",
    _EMAIL: "địa chỉ thư điện tử",
}

BLANK = Parsed(None)
#: inf, nan, or a number too large for the cell's format (1e400 overflows to inf): never a figure
_NOT_FINITE = {kind: Parsed(None, error=WRONG_TYPE, expected=f"{text} (ô đang chứa giá trị vô hạn hoặc tràn số)")
               for kind, text in EXPECTED.items()}  # fmt: skip
_WRONG = {kind: Parsed(None, error=WRONG_TYPE, expected=text) for kind, text in EXPECTED.items()}
_RANGE = {kind: Parsed(None, error=OUT_OF_RANGE, expected=text) for kind, text in EXPECTED.items()}
_YES, _NO = Parsed("Có"), Parsed("Không")
_YES_CONVERTED, _NO_CONVERTED = Parsed("Có", "Có"), Parsed("Không", "Không")
_YESNO_EXACT = {"Có": _YES, "Không": _NO}  # the template's list values, as the list wrote them


def parse_value(kind: InputType, raw: object, options: Sequence[str] = ()) -> Parsed:
    """Understand ``raw`` (a cell value as python-calamine gives it) as a ``kind`` input.

    ``options`` are the labels of a CHOICE input. Never raises for any cell content.
    """
    if type(raw) is int or type(raw) is float:
        if kind is _COUNT or kind is _NUMBER or (kind is _PERCENT and 0 <= raw <= 1):
            hit = _WHOLE.get(raw)  # 12 and 12.0 alike
            if hit is not None or (kind is not _COUNT and (hit := _FRACTIONAL.get(raw)) is not None):
                return hit
    elif type(raw) is str:
        if kind is _YESNO:
            hit = _YESNO_EXACT.get(raw)
            if hit is not None:
                return hit
        elif kind is _CHOICE and raw and raw in options:
            return Parsed(raw)
    elif raw is None:
        return BLANK
    return _PARSERS[kind](kind, raw, options)


# --- text as typed -------------------------------------------------------------------------------

#: invisible characters that come with pasted text; nobody means them
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
#: what Excel shows in a cell whose formula failed (a reader may hand them on as text)
_EXCEL_ERRORS = frozenset({"#DIV/0!", "#VALUE!", "#REF!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
                           "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})  # fmt: skip


def _clean(text: str) -> str:
    """NFC, without invisible characters, stripped of whitespace (NBSP included) at both ends."""
    if text.isascii():
        return text.strip()
    return unicodedata.normalize("NFC", text).translate(_INVISIBLE).strip()


def _formula_error(text: str, expected: str) -> Parsed | None:
    """The refusal for an Excel error value (``#DIV/0!``), which says a formula failed, not a typo."""
    if text[:1] != "#" or text.upper() not in _EXCEL_ERRORS:
        return None
    hint = f"ô đang báo lỗi công thức {text.upper()}: sửa công thức hoặc nhập trực tiếp giá trị"
    return Parsed(None, error=WRONG_TYPE, expected=f"{expected} ({hint})")


# --- numbers ---------------------------------------------------------------------------------

Number = int | float | Decimal


class _Num(NamedTuple):
    """A number read from text: its exact value, whether a % followed, whether a minus preceded."""

    value: int | Decimal
    percent: bool
    negative: bool


#: a leading number: sign, then digits mixed with the separators people use, then the rest
_LEADING = re.compile(r"([+\-\u2212]?)\s*([0-9][0-9.,\s]*)(.*)", re.S)
_TRAILING_SEPARATORS = re.compile(r"[.,\s]+$")
_WHITESPACE = re.compile(r"\s")
_SPACE_GROUPED = re.compile(r"[0-9]{1,3}(?:\s[0-9]{3})+(?:[.,][0-9]+)?")  # 1 234 567 or 1 234,5
_GROUPED = {".": re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+"), ",": re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")}
_DIGIT = re.compile(r"[0-9]")
#: words that multiply the number before them: "1,5 triệu" cannot be told from the cell's own unit
_SCALE_WORDS = frozenset(map(fold, ["trăm", "nghìn", "nghin", "ngàn", "triệu", "trieu", "tỷ", "tỉ", "ty", "k", "tr"]))
_MAX_DIGITS = 40  # longer is not a number anyone typed (and keeps int() and Decimal cheap)


def _decimal_or_int(whole: str, fraction: str) -> int | Decimal:
    if not fraction.strip("0"):
        return int(whole)
    return Decimal(f"{whole}.{fraction}")


def _separated(core: str, lone_is_decimal: bool) -> int | Decimal | None:
    """Digits with dots and commas as thousands or decimal separators, or None when inconsistent.

    Both separators: the last one is the decimal point (1.234,5 and 1,234.5). One separator more
    than once: thousands (1.234.567). One separator once: thousands when exactly three digits
    follow and one to three (not starting with 0) precede — DESIGN §5 reads ``1.234`` and ``1,234``
    as 1234 — else a decimal (1,5 and 1.25 and 0,500).
    """
    dots, commas = core.count("."), core.count(",")
    if not dots and not commas:
        return int(core)
    if dots and commas:
        last = max(core.rfind("."), core.rfind(","))
        decimal_sep = core[last]
        whole, fraction = core[:last], core[last + 1 :]
        if decimal_sep in whole or not _GROUPED["," if decimal_sep == "." else "."].fullmatch(whole):
            return None
        return _decimal_or_int(whole.replace("." if decimal_sep == "," else ",", ""), fraction)
    sep = "." if dots else ","
    if dots + commas > 1:
        return int(core.replace(sep, "")) if _GROUPED[sep].fullmatch(core) else None
    whole, fraction = core.split(sep)
    if not lone_is_decimal and len(fraction) == 3 and len(whole) <= 3 and whole[0] != "0":
        return int(whole + fraction)
    return _decimal_or_int(whole, fraction)


def _read_number(text: str, lone_is_decimal: bool = False) -> _Num | None:
    """The number ``text`` starts with, if the rest is only a % or a unit word ("12 người").

    None when there is no leading number, the separators make no sense, or the rest holds another
    number ("12/15", "10 và 12") or a scale word ("1,5 triệu"): a guess there would be a wrong score.
    """
    m = _LEADING.match(text)
    if m is None:
        return None
    sign, body, rest = m.groups()
    core = _TRAILING_SEPARATORS.sub("", body)
    rest = body[len(core) :] + rest
    space = _WHITESPACE.search(core)
    if space is not None:
        if _SPACE_GROUPED.fullmatch(core):  # spaces group thousands, so a lone separator is decimal
            core, lone_is_decimal = "".join(core.split()), True
        else:  # "12 15", "12, 15": the number ends at the first space; the rest has digits
            core, rest = core[: space.start()].rstrip(".,"), core[space.start() :] + rest
    if len(core) > _MAX_DIGITS:
        return None
    value = _separated(core, lone_is_decimal)
    if value is None:
        return None
    rest = rest.strip().rstrip(".,;:")  # "12." — a full stop after the number says nothing
    percent = rest[:1] == "%"
    if percent:
        rest = rest[1:].lstrip()
    if rest:
        if _DIGIT.search(rest) or not (rest[0].isalpha() or rest[0] in "(["):
            return None
        if fold(rest.split(None, 1)[0].strip(".,;:()[]")) in _SCALE_WORDS:
            return None
    return _Num(value, percent, sign != "" and sign != "+" and value != 0)


def _number_of(raw: object) -> Number | None:
    """A finite number from a number cell (not a bool, not text), else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if type(raw) is int else int(raw)
    if isinstance(raw, float):
        return float(raw) if math.isfinite(raw) else None  # float(): numpy's float64 is a float too
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    return None


def _infinite(raw: object) -> bool:
    """inf or nan in a number cell (or a Decimal), which ``_number_of`` refuses."""
    return (isinstance(raw, float) and not math.isfinite(raw)) or (isinstance(raw, Decimal) and not raw.is_finite())


def _render(value: Number) -> str:
    """A number the way a Vietnamese reader writes it: decimal comma, no grouping ("1234", "1,5")."""
    if type(value) is int:
        return str(value)
    d = Decimal(repr(value)) if type(value) is float else Decimal(value)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _percent_render(fraction: Number) -> str:
    """A fraction as the rate a unit types: 0.805 → "80,5%"."""
    d = Decimal(repr(fraction)) if type(fraction) is float else Decimal(fraction)
    with localcontext() as ctx:
        ctx.prec = 2 * _MAX_DIGITS
        return _render(d.scaleb(2)) + "%"


def _hundredth(value: Number) -> int | Decimal:
    """``value`` / 100, exactly, whole numbers as int (80 → Decimal("0.8"), 100 → 1)."""
    d = Decimal(repr(value)) if type(value) is float else Decimal(value)
    with localcontext() as ctx:
        ctx.prec = 2 * _MAX_DIGITS
        d = d.scaleb(-2)
        return int(d) if d == d.to_integral_value() else d.normalize()


#: the parsed numbers seen so far: values repeat across files (0, 1, 12, 0.5 …), and building a
#: frozen dataclass costs more than the rest of the fast path. Whole numbers ≥ 0 (as int) are
#: right for any numeric cell; fractional floats ≥ 0 for NUMBER, and for PERCENT up to 1.
_WHOLE: dict[float, Parsed] = {}
_FRACTIONAL: dict[float, Parsed] = {}
_CACHED = 65536


def _whole(value: int) -> Parsed:
    """``Parsed(value)`` for a whole number ≥ 0, shared."""
    hit = _WHOLE.get(value)
    if hit is None:
        hit = Parsed(value)
        if len(_WHOLE) < _CACHED:
            _WHOLE[value] = hit
    return hit


def _fractional(value: Number) -> Parsed:
    """``Parsed(value)`` for a number ≥ 0 that is not whole; shared when it is a float."""
    if type(value) is not float:
        return Parsed(value)
    hit = _FRACTIONAL.get(value)
    if hit is None:
        hit = Parsed(value)
        if len(_FRACTIONAL) < _CACHED:
            _FRACTIONAL[value] = hit
    return hit


def _noted(value: Any, rendering: str, typed: str) -> Parsed:
    """``value``, with ``rendering`` as the conversion note unless it is exactly what was typed."""
    return Parsed(value, "" if rendering == typed else rendering)


def _whole_or_decimal(kind: InputType, raw: object, options: Sequence[str]) -> Parsed:
    """COUNT and NUMBER: a non-negative number; COUNT also whole."""
    if type(raw) is str:
        text = _clean(raw)
        if not text:
            return BLANK
        num = _read_number(text)
        if num is None or num.percent:
            return _formula_error(text, EXPECTED[kind]) or _WRONG[kind]
        if num.negative:
            return _RANGE[kind]
        if kind is _COUNT and type(num.value) is not int:
            return _WRONG[kind]
        return _noted(num.value, _render(num.value), text)
    value = _number_of(raw)
    if value is None:
        return _NOT_FINITE[kind] if _infinite(raw) else _WRONG[kind]
    if value < 0:
        return _RANGE[kind]
    if type(value) is int:
        return _whole(value)
    if value == int(value):
        return _whole(int(value))
    return _WRONG[kind] if kind is _COUNT else _fractional(value)


def _percent(kind: InputType, raw: object, options: Sequence[str]) -> Parsed:
    """A rate as a fraction in [0, 1]: 0.8 and "80%" and "0,8" and 80 (meaning 80%) are all 0.8.

    A number above 1 without a % can only be meant as percent points (80 → 80%); exactly 1 is
    100%. Text reads a lone separator as the decimal one: no rate has thousands ("12,345%").
    """
    if type(raw) is str:
        text = _clean(raw)
        if not text:
            return BLANK
        num = _read_number(text, lone_is_decimal=True)
        if num is None:
            return _formula_error(text, EXPECTED[kind]) or _WRONG[kind]
        if num.negative:
            return _RANGE[kind]
        value = num.value
        if num.percent or value > 1:
            if value > 100:
                return _RANGE[kind]
            value = _hundredth(value)
        return _noted(value, _percent_render(value), text)
    number = _number_of(raw)
    if number is None:
        return _NOT_FINITE[kind] if _infinite(raw) else _WRONG[kind]
    if number < 0 or number > 100:
        return _RANGE[kind]
    if number <= 1:
        return _whole(int(number)) if number == int(number) else _fractional(number)
    fraction = _hundredth(number)
    return Parsed(fraction, _percent_render(fraction))


# --- yes / no and choices --------------------------------------------------------------------

_YES_WORDS = frozenset(map(fold, ["có", "co", "x", "yes", "y", "true", "1", "đã có"]))
_NO_WORDS = frozenset(map(fold, ["không", "khong", "ko", "k", "no", "n", "false", "0", "chưa", "chưa có", "không có"]))
_TICKS = frozenset("✓✔√☑✅")  # a tick typed or pasted for "yes"


def _yes_no(kind: InputType, raw: object, options: Sequence[str]) -> Parsed:
    """``Có`` or ``Không``, from the words, marks and numbers people use for them.

    Only a whole cell counts: "Có thể" is not "Có", and an explanation typed into the cell is
    refused rather than read as its first word.
    """
    if type(raw) is str:
        text = _clean(raw)
        if not text:
            return BLANK
        key = fold(text)
        if key == "có":
            return _YES
        if key == "không":
            return _NO
        if text in _TICKS:
            return _YES_CONVERTED
        loose = fold_loose(text)
        if loose in _YES_WORDS:
            return _YES_CONVERTED
        if loose in _NO_WORDS:
            return _NO_CONVERTED
        return _formula_error(text, EXPECTED[kind]) or _WRONG[kind]
    if type(raw) is bool:
        return _YES_CONVERTED if raw else _NO_CONVERTED
    number = _number_of(raw)
    if number == 1:
        return _YES_CONVERTED
    if number == 0:
        return _NO_CONVERTED
    return _WRONG[kind]


class _Choices(NamedTuple):
    """An option list prepared for matching; an ambiguous key maps to ""."""

    labels: frozenset[str]
    folded: dict[str, str]
    loose: dict[str, str]
    wrong: Parsed


@lru_cache(maxsize=512)
def _choices(options: tuple[str, ...]) -> _Choices:
    folded: dict[str, str] = {}
    loose: dict[str, str] = {}
    for label in options:
        for index, key in ((folded, fold(label)), (loose, fold_loose(label))):
            index[key] = label if index.get(key, label) == label else ""
    wrong = Parsed(None, error=WRONG_TYPE, expected="một trong: " + "; ".join(options))
    return _Choices(frozenset(options), folded, loose, wrong)


_MIN_PREFIX = 6  # a shorter start ("Mức") says too little about which option was meant


def _choice(kind: InputType, raw: object, options: Sequence[str]) -> Parsed:
    """One of ``options``, returned exactly as the option list spells it.

    Case, spacing, NFD and tone placement do not count as a change; a match only after dropping
    punctuation, or on the start of exactly one label (at least six characters), does.
    """
    if not options:  # nothing to check against: the framework checker reports that, not each file
        return _text(_TEXT, raw, options)
    prepared = _choices(tuple(options))
    if type(raw) is str:
        text = _clean(raw)
        if not text:
            return BLANK
        refused = _formula_error(text, prepared.wrong.expected)
        if refused is not None:
            return refused
    else:
        number = _number_of(raw)
        if number is None:
            return prepared.wrong
        text = _render(number)
    if text in prepared.labels:
        return Parsed(text)
    label = prepared.folded.get(fold(text))
    if label:
        return Parsed(label)
    key = fold_loose(text)
    label = prepared.loose.get(key)
    if label is None and len(key) >= _MIN_PREFIX:
        found = {lb for k, lb in prepared.loose.items() if k.startswith(key)}  # "" (ambiguous) counts
        label = found.pop() if len(found) == 1 else None
    return Parsed(label, label) if label else prepared.wrong


# --- text, dates, contacts -------------------------------------------------------------------

_SPACES = re.compile(r"[^\S\n]+")  # any whitespace run but a line break
_LINE_EDGES = re.compile(r" ?\n ?")


def _show_date(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _text(kind: InputType, raw: object, options: Sequence[str]) -> Parsed:
    """Narrative text: spaces collapsed, line breaks kept; other cell values as a person reads them."""
    if type(raw) is str:
        text = _clean(raw)
        if not text:
            return BLANK
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _SPACES.sub(" ", text)
        if "\n" in text:
            text = _LINE_EDGES.sub("\n", text)
        return _formula_error(text, EXPECTED[kind]) or Parsed(text)
    if type(raw) is bool:
        return Parsed("TRUE" if raw else "FALSE")  # as Excel shows it in the cell
    number = _number_of(raw)
    if number is not None:
        return Parsed(_render(number))
    if isinstance(raw, dt.datetime):
        clock = f" {raw.hour:02d}:{raw.minute:02d}" if raw.time() != dt.time() else ""
        return Parsed(_show_date(raw) + clock)
    if isinstance(raw, dt.date):
        return Parsed(_show_date(raw))
    if isinstance(raw, dt.time):
        return Parsed(raw.strftime("%H:%M:%S" if raw.second else "%H:%M"))
    if isinstance(raw, dt.timedelta):
        return Parsed(str(raw))
    return _WRONG[kind]


_TIME = r"(?:[ T]+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"  # a time after a date is dropped
_DMY = re.compile(r"([0-9]{1,2})\s*([/.\-])\s*([0-9]{1,2})\s*\2\s*([0-9]{4}|[0-9]{2})" + _TIME)
_YMD = re.compile(r"([0-9]{4})\s*([/.\-])\s*([0-9]{1,2})\s*\2\s*([0-9]{1,2})" + _TIME)
#: the official-document way: "ngày 05 tháng 3 năm 2023" (also typed without diacritics)
_WRITTEN = re.compile(r"(?:ng[aà]y\s*)?([0-9]{1,2})\s+th[aá]ng\s+([0-9]{1,2})\s*,?\s+n[aă]m\s+([0-9]{4})")
_EXCEL_DAY_ONE = dt.date(1899, 12, 31)  # serial 1 is 1900-01-01
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # from serial 61 on, past Excel's phantom 29/02/1900
_MAX_SERIAL = 2958465  # 31/12/9999


def _date_from_text(text: str) -> dt.date | None:
    """Day first, always (Vietnam); a year-first ISO date is unambiguous; two-digit years are 20yy."""
    m = _DMY.fullmatch(text)
    if m is not None:
        day, month, year = int(m[1]), int(m[3]), int(m[4])
    elif (m := _YMD.fullmatch(text)) is not None:
        year, month, day = int(m[1]), int(m[3]), int(m[4])
    elif (m := _WRITTEN.fullmatch(text.casefold())) is not None:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    else:
        return None
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:  # 31/02/2023
        return None


def _date(kind: InputType, raw: object, options: Sequence[str]) -> Parsed:
    """A ``datetime.date`` from a date cell, an Excel serial number, or a date typed as text."""
    if type(raw) is dt.date:
        return Parsed(raw)
    if isinstance(raw, dt.datetime):
        return Parsed(raw.date())
    if isinstance(raw, dt.date):
        return Parsed(dt.date(raw.year, raw.month, raw.day))
    if type(raw) is str:
        text = _clean(raw)
        if not text:
            return BLANK
        day = _date_from_text(text)
        if day is None:
            return _formula_error(text, EXPECTED[kind]) or _WRONG[kind]
        return _noted(day, _show_date(day), text)
    number = _number_of(raw)
    if number is None:
        return _WRONG[kind]
    serial = math.floor(number)  # a fraction is the time of day
    if not 1 <= serial <= _MAX_SERIAL or serial == 60:  # 60 is 29/02/1900, a day that never was
        return _WRONG[kind]
    day = (_EXCEL_DAY_ONE if serial < 60 else _EXCEL_EPOCH) + dt.timedelta(days=serial)
    return Parsed(day, _show_date(day))


_PHONE_PART = re.compile(r"\+?[0-9 .\-()]+")
_NOT_DIGIT = re.compile(r"[^0-9]")
_PHONE_SEPARATORS = re.compile(r"\s*[;,/]\s*")


def _phone_ok(part: str) -> bool:
    """9 to 11 digits, ignoring spaces, dots, dashes, parentheses and a leading +84."""
    if not _PHONE_PART.fullmatch(part):
        return False
    digits = _NOT_DIGIT.sub("", part)
    if part.lstrip("( ").startswith("+84"):
        digits = digits[2:]
    return 9 <= len(digits) <= 11


def _phone(kind: InputType, raw: object, options: Sequence[str]) -> Parsed:
    """A phone number kept as typed (spacing tidied); several may be separated by ; , or /.

    A number cell lost the leading 0 (Excel drops it): 9 digits is a mobile number, 10 digits
    starting with 2 a landline (area codes have started with 02 since 2017); both get the 0 back.
    """
    if type(raw) is str:
        text = " ".join(_clean(raw).split())
        if not text:
            return BLANK
        if all(_phone_ok(part) for part in _PHONE_SEPARATORS.split(text)):
            return Parsed(text)
        return _formula_error(text, EXPECTED[kind]) or _WRONG[kind]
    number = _number_of(raw)
    if number is None or number < 0 or number != int(number):
        return _WRONG[kind]
    digits = str(int(number))
    if len(digits) == 9 or (len(digits) == 10 and digits[0] == "2"):
        return Parsed("0" + digits, "0" + digits)
    return Parsed(digits) if 9 <= len(digits) <= 11 else _WRONG[kind]


_EMAIL_ADDRESS = re.compile(r"([A-Za-z0-9._%+\-']+)@((?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,})")
_EMAIL_SEPARATORS = re.compile(r"[;,\s]+")
_MAILTO = re.compile(r"mailto:", re.I)


def _email(kind: InputType, raw: object, options: Sequence[str]) -> Parsed:
    """One address or several (separated by ; , or spaces), each ``local@domain.tld``.

    The domain is lower-cased (it is case-insensitive, and that is how the office will write it);
    the local part is kept as typed. Addresses are rejoined with "; ".
    """
    if type(raw) is not str:
        return _WRONG[kind]
    text = _clean(raw)
    if not text:
        return BLANK
    addresses = []
    for part in _EMAIL_SEPARATORS.split(_MAILTO.sub(" ", text)):
        if not part:
            continue
        m = _EMAIL_ADDRESS.fullmatch(part)
        if m is None:
            return _formula_error(text, EXPECTED[kind]) or _WRONG[kind]
        addresses.append(f"{m[1]}@{m[2].lower()}")
    return Parsed("; ".join(addresses)) if addresses else _WRONG[kind]


_PARSERS: dict[InputType, Callable[[InputType, object, Sequence[str]], Parsed]] = {
    _COUNT: _whole_or_decimal,
    _NUMBER: _whole_or_decimal,
    _PERCENT: _percent,
    _YESNO: _yes_no,
    _CHOICE: _choice,
    _TEXT: _text,
    _DATE: _date,
    _PHONE: _phone,
    _EMAIL: _email,
}
