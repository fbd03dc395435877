"""Values as people really type them (DESIGN §5): understood exactly, or refused with what is expected.

Each row is (what the cell holds, the value handed on, the conversion note, the error code). The
value is compared with its type, because the scoring engine reads an int, a Decimal and a float
differently: a count must arrive as int, a decimal typed as text as an exact Decimal.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.workbook.values import OUT_OF_RANGE, WRONG_TYPE, Parsed, parse_value
from scoring.model import InputType

COUNT, NUMBER, PERCENT = InputType.COUNT, InputType.NUMBER, InputType.PERCENT
YESNO, CHOICE, TEXT = InputType.YESNO, InputType.CHOICE, InputType.TEXT
DATE, PHONE, EMAIL = InputType.DATE, InputType.PHONE, InputType.EMAIL
WRONG, RANGE = WRONG_TYPE, OUT_OF_RANGE
D = Decimal


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def check(kind: InputType, raw: Any, value: Any, converted: str, error: str, options: tuple[str, ...] = ()) -> None:
    got = parse_value(kind, raw, options)
    assert (got.value, type(got.value), got.converted, got.error) == (value, type(value), converted, error)
    assert bool(got.expected) == bool(error)


def cases(rows: list[tuple[Any, Any, str, str]]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(("raw", "value", "converted", "error"), rows, ids=[repr(r[0]) for r in rows])


# --- blanks and what every kind shares ---------------------------------------------------------

ALL_KINDS = list(InputType)
BLANKS = [None, "", "   ", "\u00a0", "\u200b", "\ufeff", " \t\n ", "\u00a0\u200b\u00a0"]


@pytest.mark.parametrize("raw", BLANKS, ids=repr)
def test_empty_or_invisible_is_blank(raw: Any) -> None:
    for kind in ALL_KINDS:
        got = parse_value(kind, raw, ("Mức 1", "Mức 2"))
        assert got == Parsed(None), kind
        assert got.blank


def test_blank_is_only_nothing_typed() -> None:
    assert not parse_value(COUNT, 0).blank
    assert not parse_value(COUNT, "abc").blank  # refused, not blank
    assert not parse_value(COUNT, -1).blank


EXCEL_ERRORS = ["#DIV/0!", "#VALUE!", "#REF!", "#N/A", "#NAME?", "#NUM!", "#div/0!", " #REF! "]


@pytest.mark.parametrize("raw", EXCEL_ERRORS)
def test_formula_error_is_refused_and_named(raw: str) -> None:
    for kind in ALL_KINDS:
        got = parse_value(kind, raw, ("Mức 1", "Mức 2"))
        assert (got.value, got.error) == (None, WRONG), kind
        assert f"lỗi công thức {raw.strip().upper()}" in got.expected


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (COUNT, "abc", "số nguyên không âm"),
        (COUNT, -1, "số nguyên không âm"),
        (NUMBER, "abc", "số không âm"),
        (PERCENT, "abc", "tỷ lệ từ 0% đến 100%"),
        (PERCENT, 150, "tỷ lệ từ 0% đến 100%"),
        (YESNO, "abc", "Có hoặc Không"),
        (DATE, "abc", "ngày dạng dd/mm/yyyy"),
        (PHONE, "abc", "số điện thoại"),
        (EMAIL, "abc", "địa chỉ thư điện tử"),
    ],
)
def test_refusals_say_what_is_expected(kind: InputType, raw: Any, expected: str) -> None:
    assert parse_value(kind, raw).expected == expected


# --- COUNT ----------------------------------------------------------------------------------------


@cases([
    # the plain way: not a conversion
    (12, 12, "", ""),
    (0, 0, "", ""),
    (12.0, 12, "", ""),
    (D("12"), 12, "", ""),
    ("12", 12, "", ""),
    (" 12 ", 12, "", ""),
    ("\u00a012\u00a0", 12, "", ""),
    ("\ufeff12\u200b", 12, "", ""),
    ("0", 0, "", ""),
    # understood after a change: say so
    ("12.0", 12, "12", ""),
    ("12,0", 12, "12", ""),
    ("1.234", 1234, "1234", ""),
    ("1,234", 1234, "1234", ""),
    ("1.234.567", 1234567, "1234567", ""),
    ("1,234,567", 1234567, "1234567", ""),
    ("1 234", 1234, "1234", ""),
    ("1\u00a0234", 1234, "1234", ""),
    ("1\u202f234 567", 1234567, "1234567", ""),
    ("1.234,0", 1234, "1234", ""),
    ("12 người", 12, "12", ""),
    (nfd("12 người"), 12, "12", ""),
    ("12 (người)", 12, "12", ""),
    ("12người", 12, "12", ""),
    ("12.", 12, "12", ""),
    ("+12", 12, "12", ""),
    ("007", 7, "7", ""),
    ("-0", 0, "0", ""),
    # not a whole number
    (1.5, None, "", WRONG),
    ("1,5", None, "", WRONG),
    ("1.5", None, "", WRONG),
    ("0,500", None, "", WRONG),  # a leading 0 is never a thousands group
    ("1.234,5", None, "", WRONG),
    (D("1.5"), None, "", WRONG),
    # not understood
    ("khoảng 12", None, "", WRONG),
    ("12/15", None, "", WRONG),
    ("12 - 15", None, "", WRONG),
    ("10 và 12", None, "", WRONG),
    ("12 15", None, "", WRONG),
    ("12, 15", None, "", WRONG),
    ("12 người (2 nữ)", None, "", WRONG),
    ("1.2.3", None, "", WRONG),
    ("1.23.456", None, "", WRONG),
    ("12%", None, "", WRONG),
    ("1,5 triệu", None, "", WRONG),  # a scale word cannot be told from the cell's own unit
    ("12k", None, "", WRONG),
    ("12 nghìn", None, "", WRONG),
    ("12 Triệu đồng", None, "", WRONG),
    (nfd("3 tỷ"), None, "", WRONG),
    ("abc", None, "", WRONG),
    ("~12", None, "", WRONG),
    ("9" * 60, None, "", WRONG),
    (True, None, "", WRONG),
    (False, None, "", WRONG),
    (float("nan"), None, "", WRONG),
    (float("inf"), None, "", WRONG),
    (D("NaN"), None, "", WRONG),
    (dt.date(2023, 1, 12), None, "", WRONG),  # Excel turned "1/12" into a date
    (dt.datetime(2023, 1, 12, 0, 0), None, "", WRONG),
    (dt.time(12, 0), None, "", WRONG),
    (dt.timedelta(hours=12), None, "", WRONG),
    ([12], None, "", WRONG),
    # negative
    (-3, None, "", RANGE),
    ("-3", None, "", RANGE),
    ("\u22123", None, "", RANGE),  # a typographic minus
    (-3.0, None, "", RANGE),
    (-1.5, None, "", RANGE),
    ("- 3 người", None, "", RANGE),
    (float("-inf"), None, "", WRONG),
])  # fmt: skip
def test_count(raw: Any, value: Any, converted: str, error: str) -> None:
    check(COUNT, raw, value, converted, error)


# --- NUMBER ---------------------------------------------------------------------------------------


@cases([
    (12, 12, "", ""),
    (12.0, 12, "", ""),
    (1.5, 1.5, "", ""),  # a float from a cell stays a float
    (0.1, 0.1, "", ""),
    (D("2.50"), D("2.50"), "", ""),
    ("1,5", D("1.5"), "", ""),
    ("1,25", D("1.25"), "", ""),
    ("0,1", D("0.1"), "", ""),
    (nfd("1,5 ha"), D("1.5"), "1,5", ""),
    ("1.5", D("1.5"), "1,5", ""),
    ("1.25", D("1.25"), "1,25", ""),
    ("12,0", 12, "12", ""),
    ("1.234", 1234, "1234", ""),  # DESIGN §5: thousands, for NUMBER as for COUNT
    ("1,234", 1234, "1234", ""),
    ("1.234,5", D("1234.5"), "1234,5", ""),
    ("1,234.5", D("1234.5"), "1234,5", ""),
    ("1.234.567,25", D("1234567.25"), "1234567,25", ""),
    ("1 234,5", D("1234.5"), "1234,5", ""),
    ("1234,567", D("1234.567"), "", ""),  # four digits before: not a thousands group
    ("0,500", D("0.500"), "0,5", ""),
    ("1,2345", D("1.2345"), "", ""),
    ("-1,5", None, "", RANGE),
    (-0.5, None, "", RANGE),
    ("1.2,3", None, "", WRONG),
    ("1,2.3", None, "", WRONG),
    ("1.234.5", None, "", WRONG),
    ("1,5,5", None, "", WRONG),
    ("80%", None, "", WRONG),
    (True, None, "", WRONG),
    (float("nan"), None, "", WRONG),
])  # fmt: skip
def test_number(raw: Any, value: Any, converted: str, error: str) -> None:
    check(NUMBER, raw, value, converted, error)


# --- PERCENT --------------------------------------------------------------------------------------


@cases([
    (0.8, 0.8, "", ""),
    (0.805, 0.805, "", ""),
    (0, 0, "", ""),
    (0.0, 0, "", ""),
    (1, 1, "", ""),  # exactly 1 is 100%, not 1%
    (1.0, 1, "", ""),
    (80, D("0.8"), "80%", ""),  # people type 80 meaning 80%
    (80.0, D("0.8"), "80%", ""),
    (80.5, D("0.805"), "80,5%", ""),
    (100, 1, "100%", ""),
    (1.5, D("0.015"), "1,5%", ""),
    ("80%", D("0.8"), "", ""),
    ("80,5%", D("0.805"), "", ""),
    ("100%", 1, "", ""),
    ("0%", 0, "", ""),
    (nfd(" 80 %\u00a0"), D("0.8"), "80%", ""),
    ("80.5%", D("0.805"), "80,5%", ""),
    ("0,8", D("0.8"), "80%", ""),
    ("0.8", D("0.8"), "80%", ""),
    ("80", D("0.8"), "80%", ""),
    ("1", 1, "100%", ""),
    ("0", 0, "0%", ""),
    ("0,5%", D("0.005"), "", ""),
    ("12,345%", D("0.12345"), "", ""),  # a rate has no thousands
    (100.5, None, "", RANGE),
    (150, None, "", RANGE),
    ("101", None, "", RANGE),
    ("120%", None, "", RANGE),
    (-0.1, None, "", RANGE),
    ("-5%", None, "", RANGE),
    ("80%/90%", None, "", WRONG),
    ("80% - 90%", None, "", WRONG),
    ("abc", None, "", WRONG),
    (True, None, "", WRONG),
    (float("nan"), None, "", WRONG),
    (dt.date(2023, 1, 1), None, "", WRONG),
])  # fmt: skip
def test_percent(raw: Any, value: Any, converted: str, error: str) -> None:
    check(PERCENT, raw, value, converted, error)


# --- YESNO ----------------------------------------------------------------------------------------


@cases([
    ("Có", "Có", "", ""),
    ("Không", "Không", "", ""),
    ("có", "Có", "", ""),
    (" CÓ ", "Có", "", ""),
    (nfd("Có"), "Có", "", ""),
    (nfd(" không\u00a0"), "Không", "", ""),
    ("KHÔNG", "Không", "", ""),
    ("Có.", "Có", "Có", ""),
    ("co", "Có", "Có", ""),
    ("x", "Có", "Có", ""),
    ("X", "Có", "Có", ""),
    ("yes", "Có", "Có", ""),
    ("Yes", "Có", "Có", ""),
    ("y", "Có", "Có", ""),
    ("TRUE", "Có", "Có", ""),
    ("1", "Có", "Có", ""),
    ("Đã có", "Có", "Có", ""),
    (nfd("đã có"), "Có", "Có", ""),
    ("√", "Có", "Có", ""),
    ("✓", "Có", "Có", ""),
    (True, "Có", "Có", ""),
    (1, "Có", "Có", ""),
    (1.0, "Có", "Có", ""),
    ("khong", "Không", "Không", ""),
    ("ko", "Không", "Không", ""),
    ("K", "Không", "Không", ""),
    ("no", "Không", "Không", ""),
    ("N", "Không", "Không", ""),
    ("false", "Không", "Không", ""),
    ("0", "Không", "Không", ""),
    ("chưa", "Không", "Không", ""),
    ("Chưa có", "Không", "Không", ""),
    ("không có", "Không", "Không", ""),
    (False, "Không", "Không", ""),
    (0, "Không", "Không", ""),
    ("có thể", None, "", WRONG),  # "maybe": a whole cell counts, never its first word
    ("Có, tại QĐ số 12", None, "", WRONG),
    ("đạt", None, "", WRONG),
    ("rồi", None, "", WRONG),
    ("Co Khong", None, "", WRONG),
    (2, None, "", WRONG),
    (0.5, None, "", WRONG),
    (dt.date(2023, 1, 1), None, "", WRONG),
])  # fmt: skip
def test_yes_no(raw: Any, value: Any, converted: str, error: str) -> None:
    check(YESNO, raw, value, converted, error)


# --- CHOICE ---------------------------------------------------------------------------------------

OPTIONS = (
    "Mức 1: Chưa triển khai",
    "Mức 2: Đang triển khai thí điểm",
    "Mức 3 - Đã triển khai toàn bộ",
    "Hoà Bình",
    "10",
)


@cases([
    ("Mức 1: Chưa triển khai", "Mức 1: Chưa triển khai", "", ""),
    (" Mức 1: Chưa triển khai\u00a0", "Mức 1: Chưa triển khai", "", ""),
    (nfd("Mức 1: Chưa triển khai"), "Mức 1: Chưa triển khai", "", ""),
    ("mức 1:  CHƯA triển khai", "Mức 1: Chưa triển khai", "", ""),  # case and spacing are no change
    ("Hòa Bình", "Hoà Bình", "", ""),  # nor is tone placement
    ("10", "10", "", ""),
    (10, "10", "", ""),
    (10.0, "10", "", ""),
    ("Mức 1 - Chưa triển khai", "Mức 1: Chưa triển khai", "Mức 1: Chưa triển khai", ""),
    ("Mức 1. Chưa triển khai.", "Mức 1: Chưa triển khai", "Mức 1: Chưa triển khai", ""),
    ("Mức 3 – Đã triển khai toàn bộ", "Mức 3 - Đã triển khai toàn bộ", "Mức 3 - Đã triển khai toàn bộ", ""),
    ("Mức 2: đang", "Mức 2: Đang triển khai thí điểm", "Mức 2: Đang triển khai thí điểm", ""),
    ("Mức 3", None, "", WRONG),  # a start shorter than six characters says too little
    ("Mức", None, "", WRONG),
    ("Mức 4", None, "", WRONG),
    ("hoa binh", None, "", WRONG),  # tones are not dropped
    ("triển khai", None, "", WRONG),
    (11, None, "", WRONG),
    (True, None, "", WRONG),
    (dt.date(2023, 1, 1), None, "", WRONG),
])  # fmt: skip
def test_choice(raw: Any, value: Any, converted: str, error: str) -> None:
    check(CHOICE, raw, value, converted, error, OPTIONS)


def test_choice_refusal_lists_the_options() -> None:
    assert parse_value(CHOICE, "Mức 4", ("Mức 1", "Mức 2")).expected == "một trong: Mức 1; Mức 2"


def test_choice_never_picks_between_labels_that_look_alike() -> None:
    assert parse_value(CHOICE, "Đã triển khai", ("Đã triển khai một phần", "Đã triển khai toàn bộ")).error == WRONG
    assert parse_value(CHOICE, "Mức 1!", ("Mức 1.", "Mức 1")).error == WRONG
    assert parse_value(CHOICE, "Mức 1", ("Mức 1.", "Mức 1")).value == "Mức 1"
    options = ("Dự án Alpha.", "Dự án Alpha", "Dự án Alpha Beta")
    assert parse_value(CHOICE, "Dự án Alp", options).error == WRONG
    assert parse_value(CHOICE, "Dự án Alpha B", options).value == "Dự án Alpha Beta"


def test_choice_without_options_keeps_the_text() -> None:
    assert parse_value(CHOICE, "  Mức  1 ", ()) == Parsed("Mức 1")


# --- TEXT -----------------------------------------------------------------------------------------


@cases([
    ("Nguyễn Văn A", "Nguyễn Văn A", "", ""),
    (nfd("  Nguyễn  Văn\u00a0A\t"), "Nguyễn Văn A", "", ""),
    ("Dòng 1  \r\n  dòng 2\n\ndòng 4", "Dòng 1\ndòng 2\n\ndòng 4", "", ""),  # line breaks kept
    ("a\u200bb", "ab", "", ""),
    ("N/A", "N/A", "", ""),
    (12, "12", "", ""),
    (12.0, "12", "", ""),
    (1.5, "1,5", "", ""),
    (dt.date(2023, 3, 5), "05/03/2023", "", ""),
    (dt.datetime(2023, 3, 5), "05/03/2023", "", ""),
    (dt.datetime(2023, 3, 5, 10, 30), "05/03/2023 10:30", "", ""),
    (dt.time(10, 30), "10:30", "", ""),
    (True, "TRUE", "", ""),
    (float("nan"), None, "", WRONG),
    (object(), None, "", WRONG),
])  # fmt: skip
def test_text(raw: Any, value: Any, converted: str, error: str) -> None:
    check(TEXT, raw, value, converted, error)


def test_text_is_nfc() -> None:
    got = parse_value(TEXT, nfd("Ủy ban nhân dân"))
    assert got.value == unicodedata.normalize("NFC", "Ủy ban nhân dân")
    assert got.value != nfd("Ủy ban nhân dân")


# --- DATE -----------------------------------------------------------------------------------------


@cases([
    (dt.date(2023, 3, 5), dt.date(2023, 3, 5), "", ""),
    (dt.datetime(2023, 3, 5, 10, 0), dt.date(2023, 3, 5), "", ""),
    ("05/03/2023", dt.date(2023, 3, 5), "", ""),
    (nfd(" 05/03/2023\u00a0"), dt.date(2023, 3, 5), "", ""),
    (44990, dt.date(2023, 3, 5), "05/03/2023", ""),  # an Excel serial in a number cell
    (44990.75, dt.date(2023, 3, 5), "05/03/2023", ""),
    (61, dt.date(1900, 3, 1), "01/03/1900", ""),
    (1, dt.date(1900, 1, 1), "01/01/1900", ""),
    (2958465, dt.date(9999, 12, 31), "31/12/9999", ""),
    ("5/3/2023", dt.date(2023, 3, 5), "05/03/2023", ""),  # day first, always
    ("05-03-2023", dt.date(2023, 3, 5), "05/03/2023", ""),
    ("05.03.2023", dt.date(2023, 3, 5), "05/03/2023", ""),
    ("12/01/2023", dt.date(2023, 1, 12), "", ""),
    ("2023-03-05", dt.date(2023, 3, 5), "05/03/2023", ""),
    ("5/3/23", dt.date(2023, 3, 5), "05/03/2023", ""),
    ("05/03/2023 08:30", dt.date(2023, 3, 5), "05/03/2023", ""),
    ("ngày 05 tháng 3 năm 2023", dt.date(2023, 3, 5), "05/03/2023", ""),
    (nfd("Ngày 5 tháng 03, năm 2023"), dt.date(2023, 3, 5), "05/03/2023", ""),
    ("31/02/2023", None, "", WRONG),
    ("13/13/2023", None, "", WRONG),
    ("05/03-2023", None, "", WRONG),
    ("tháng 3/2023", None, "", WRONG),
    ("45000", None, "", WRONG),
    (0, None, "", WRONG),
    (60, None, "", WRONG),  # 29/02/1900 never was
    (2958466, None, "", WRONG),
    (-5, None, "", WRONG),
    (True, None, "", WRONG),
    (dt.time(10, 0), None, "", WRONG),
])  # fmt: skip
def test_date(raw: Any, value: Any, converted: str, error: str) -> None:
    check(DATE, raw, value, converted, error)


# --- PHONE and EMAIL ------------------------------------------------------------------------------


@cases([
    ("0912 345 678", "0912 345 678", "", ""),
    ("0912.345.678", "0912.345.678", "", ""),
    ("0912-345-678", "0912-345-678", "", ""),
    ("+84 912 345 678", "+84 912 345 678", "", ""),
    ("(024) 3825 1234", "(024) 3825 1234", "", ""),
    ("  0912\u00a0 345678 ", "0912 345678", "", ""),
    ("0912345678; 0987654321", "0912345678; 0987654321", "", ""),
    ("0912345678 / 0987654321", "0912345678 / 0987654321", "", ""),
    (912345678, "0912345678", "0912345678", ""),  # Excel dropped the leading 0
    (912345678.0, "0912345678", "0912345678", ""),
    (2438251234, "02438251234", "02438251234", ""),  # a landline: 02x area codes
    (84912345678, "84912345678", "", ""),
    ("0912345", None, "", WRONG),
    ("091234567890", None, "", WRONG),
    ("0912345678 (anh Nam)", None, "", WRONG),
    ("0912345678; 12", None, "", WRONG),
    ("abc", None, "", WRONG),
    (12345, None, "", WRONG),
    (9123456.5, None, "", WRONG),
    (True, None, "", WRONG),
])  # fmt: skip
def test_phone(raw: Any, value: Any, converted: str, error: str) -> None:
    check(PHONE, raw, value, converted, error)


@cases([
    ("vanphong@soVHTT.GOV.VN", "vanphong@sovhtt.gov.vn", "", ""),
    ("Nguyen.Van.A@Example.com", "Nguyen.Van.A@example.com", "", ""),
    (" mailto:a@x.vn\u00a0", "a@x.vn", "", ""),
    ("MAILTO:a@x.vn", "a@x.vn", "", ""),
    ("a@x.vn; b@y.vn", "a@x.vn; b@y.vn", "", ""),
    ("a@x.vn, b@y.vn", "a@x.vn; b@y.vn", "", ""),
    ("a@x.vn;b@y.vn;", "a@x.vn; b@y.vn", "", ""),
    ("a@x", None, "", WRONG),
    ("a @x.vn", None, "", WRONG),
    ("a@x,vn", None, "", WRONG),
    ("a@x.vn; không có", None, "", WRONG),
    ("@x.vn", None, "", WRONG),
    (";", None, "", WRONG),
    (12, None, "", WRONG),
])  # fmt: skip
def test_email(raw: Any, value: Any, converted: str, error: str) -> None:
    check(EMAIL, raw, value, converted, error)


# --- properties -----------------------------------------------------------------------------------


@settings(max_examples=100)
@given(st.integers(min_value=0, max_value=10**15), st.sampled_from([".", ",", " ", "\u00a0"]))
def test_grouped_whole_numbers_read_back(n: int, sep: str) -> None:
    text = f"{n:,}".replace(",", sep)
    for kind in (COUNT, NUMBER):
        got = parse_value(kind, text)
        assert (got.value, type(got.value), got.error) == (n, int, "")
        assert got.converted == ("" if n < 1000 else str(n))


@settings(max_examples=100)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=4), st.booleans())
def test_decimals_read_back_in_either_convention(n: int, scale: int, vietnamese: bool) -> None:
    value = Decimal(n).scaleb(-scale)
    assume(not (1 <= value < 1000 and scale == 3))  # "1,234" alone is thousands (DESIGN §5)
    text = f"{value:,.{scale}f}"  # English: 1,234.56
    if vietnamese:
        text = text.translate(str.maketrans(".,", ",."))  # 1.234,56
    got = parse_value(NUMBER, text)
    assert got.error == ""
    assert got.value == value
    assert type(got.value) is (int if value == int(value) else Decimal)


ANY_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True, places=3),
    st.dates(),
    st.datetimes(),
    st.text(max_size=16),
    st.from_regex(r"[+\-]?[0-9 .,]{0,10}( ?%)?( người| 15)?", fullmatch=True),
    st.sampled_from(["Có", "co", "x", "Không", "Mức 1", "Mức 2: đang", "05/03/2023", "5/3/23"]),
)


@settings(max_examples=200)
@given(st.sampled_from(ALL_KINDS), ANY_CELL)
def test_any_cell_is_understood_or_refused_never_both(kind: InputType, raw: Any) -> None:
    options = ("Mức 1", "Mức 2: Đang triển khai")
    got = parse_value(kind, raw, options)
    assert got.error in ("", WRONG, RANGE)
    assert bool(got.expected) == bool(got.error)
    if got.error:
        assert got.value is None and not got.converted
    if got.converted:
        assert got.value is not None
    if got.value is None:
        return
    if kind is COUNT:
        assert type(got.value) is int and got.value >= 0
    elif kind in (NUMBER, PERCENT):
        assert type(got.value) in (int, float, Decimal) and got.value >= 0
        assert kind is NUMBER or got.value <= 1
    elif kind is DATE:
        assert type(got.value) is dt.date
    elif kind is not CHOICE or options:
        assert type(got.value) is str
    if got.converted and kind in (COUNT, PERCENT, YESNO, CHOICE, DATE):
        # what the unit is told was understood reads back as itself
        assert parse_value(kind, got.converted, options) == Parsed(got.value)
