"""Template file names: ASCII, short, readable, never a Windows device name, never two alike."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.workbook.filenames import WINDOWS_RESERVED, ascii_fold, safe_component, template_filename, unique_names

VIETNAMESE_LOWER = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
FOLDED_LOWER = "a" * 18 + "e" * 12 + "i" * 6 + "o" * 18 + "u" * 12 + "y" * 6 + "d"


def test_ascii_fold_whole_vietnamese_alphabet() -> None:
    assert len(VIETNAMESE_LOWER) == len(FOLDED_LOWER)
    assert ascii_fold(VIETNAMESE_LOWER) == FOLDED_LOWER
    assert ascii_fold(VIETNAMESE_LOWER.upper()) == FOLDED_LOWER.upper()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thư viện Khoa học Tổng hợp", "Thu vien Khoa hoc Tong hop"),
        ("Đà Lạt, đường Đồng Khởi", "Da Lat, duong Dong Khoi"),
        (unicodedata.normalize("NFD", "Nhà hát Giao hưởng"), "Nha hat Giao huong"),
        ("ÐÀ NẴNG", "DA NANG"),  # U+00D0 typed for Đ
        ("DV01 - Quận 1", "DV01 - Quan 1"),
    ],
)
def test_ascii_fold(text: str, expected: str) -> None:
    assert ascii_fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thư viện Khoa học Tổng hợp", "Thu-vien-Khoa-hoc-Tong-hop"),
        ("  Ban Quản lý Di tích Lịch sử - Văn hóa  ", "Ban-Quan-ly-Di-tich-Lich-su-Van-hoa"),
        ("--Nhà  hát___(Giao hưởng)!!", "Nha-hat-Giao-huong"),
        ('a/b\\c:d*e?f"g<h>i|j', "a-b-c-d-e-f-g-h-i-j"),
        ("Café – Đà Lạt", "Cafe-Da-Lat"),
        ("", "don-vi"),
        ("  ---  ", "don-vi"),
        ("日本語", "don-vi"),
    ],
)
def test_safe_component(text: str, expected: str) -> None:
    assert safe_component(text) == expected


def test_safe_component_cuts_at_a_word_boundary() -> None:
    text = "Trung tâm Huấn luyện và Thi đấu Thể dục Thể thao"  # 48 characters once folded
    assert safe_component(text) == "Trung-tam-Huan-luyen-va-Thi-dau-The-duc"  # 39: "The-thao" would not fit
    assert safe_component(text, max_len=13) == "Trung-tam"  # "Trung-tam-Hua" would split a word
    # "Huấn luyện" is one word of two syllables: "Trung-tam-Huan" would split it (issue 16 point 10)
    assert safe_component(text, max_len=14) == "Trung-tam"
    assert safe_component(text, max_len=20) == "Trung-tam-Huan-luyen"  # ends exactly at a word's end
    assert safe_component("thu vien khoa hoc tong hop", max_len=14) == "thu-vien-khoa"  # no capitals: by syllable


def test_safe_component_cuts_one_long_word_hard() -> None:
    assert safe_component("Abcdefghijklmnopqrstuvwxyz", max_len=10) == "Abcdefghij"


@pytest.mark.parametrize("name", sorted(WINDOWS_RESERVED))
def test_windows_reserved_names_are_avoided(name: str) -> None:
    assert safe_component(name) == f"{name}-"
    assert safe_component(name.lower()) == f"{name.lower()}-"
    assert safe_component(f" {name.title()}. ") == f"{name.title()}-"


def test_reserved_set_is_complete_and_lookalikes_are_untouched() -> None:
    assert len(WINDOWS_RESERVED) == 22
    for name in ("CONSOLE", "COM10", "LPT0", "COM", "NULL", "AUX1"):
        assert safe_component(name) == name
    assert safe_component("CON-tent", max_len=6) == "CON-"  # reserved only after the cut


def test_max_len_below_the_fallback_is_refused() -> None:
    with pytest.raises(ValueError):
        safe_component("Thư viện", max_len=5)


@given(st.text(), st.integers(min_value=6, max_value=60))
def test_safe_component_shape(text: str, max_len: int) -> None:
    out = safe_component(text, max_len)
    assert re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*-?", out)
    assert len(out) <= max_len
    assert out.upper() not in WINDOWS_RESERVED


def test_template_filename_example() -> None:
    assert (
        template_filename("2023-Q1", "DV01", "Thư viện Khoa học Tổng hợp")
        == "2023-Q1_DV01_Thu-vien-Khoa-hoc-Tong-hop.xlsx"
    )


def test_template_filename_keeps_code_case_and_shortens() -> None:
    name = template_filename("2023", "dv_07/B", "Trung tâm Huấn luyện và Thi đấu Thể dục Thể thao Thành phố")
    assert name == "2023_dv-07-B_Trung-tam-Huan-luyen-va-Thi-dau-The-duc.xlsx"
    period, code, unit = name.removesuffix(".xlsx").split("_")  # '_' only between the parts
    assert (period, code) == ("2023", "dv-07-B")
    assert len(unit) <= 40


def test_template_filename_long_code_and_empty_name() -> None:
    assert template_filename("2024-Q4", "A" * 30, "") == f"2024-Q4_{'A' * 20}_don-vi.xlsx"
    assert template_filename("2024-Q4", "CON", "Nul") == "2024-Q4_CON-_Nul-.xlsx"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([], []),
        (["a.xlsx", "b.xlsx"], ["a.xlsx", "b.xlsx"]),
        (["a.xlsx", "A.XLSX", "a.xlsx"], ["a.xlsx", "A_2.XLSX", "a_3.xlsx"]),
        (["a.xlsx", "a.xlsx", "a_2.xlsx"], ["a.xlsx", "a_3.xlsx", "a_2.xlsx"]),  # a given name is kept
        (["a_2.xlsx", "a.xlsx", "a.xlsx"], ["a_2.xlsx", "a.xlsx", "a_3.xlsx"]),
        (["notes", "NOTES"], ["notes", "NOTES_2"]),
        (["2023-Q1_DV01_X.xlsx"] * 3, ["2023-Q1_DV01_X.xlsx", "2023-Q1_DV01_X_2.xlsx", "2023-Q1_DV01_X_3.xlsx"]),
    ],
)
def test_unique_names(names: list[str], expected: list[str]) -> None:
    assert unique_names(names) == expected


@given(st.lists(st.sampled_from(["a.xlsx", "A.xlsx", "a_2.xlsx", "b.xlsx", "a_3.XLSX", "b"]), max_size=12))
def test_unique_names_are_unique_and_keep_first_occurrences(names: list[str]) -> None:
    out = unique_names(names)
    assert len(out) == len(names)
    assert len({n.casefold() for n in out}) == len(out)
    firsts = [i for i, n in enumerate(names) if n.casefold() not in {m.casefold() for m in names[:i]}]
    assert all(out[i] == names[i] for i in firsts)


@pytest.mark.parametrize(("name", "expected"), [
    ("Nhà hát Giao hưởng Nhạc Vũ kịch Thành phố Hồ Chí Minh", "Nha-hat-Giao-huong-Nhac-Vu-kich"),  # not "...-Thanh"
    ("Thư viện Khoa học Tổng hợp Thành phố Hồ Chí Minh", "Thu-vien-Khoa-hoc-Tong-hop-Thanh-pho"),  # not "...-Ho"
    ("Trường Năng khiếu Nghiệp vụ Thể dục Thể thao", "Truong-Nang-khieu-Nghiep-vu-The-duc"),  # not "...-The"
    ("Trung tâm Thông tin và Xuất bản phẩm Văn hóa", "Trung-tam-Thong-tin-va-Xuat-ban-pham"),  # not "...-Van"
    ("Ban Quản lý Khu du lịch quốc gia hồ Tuyền Lâm và các khu phụ cận", "Ban-Quan-ly-Khu-du-lich-quoc-gia-ho"),
])  # fmt: skip
def test_template_filename_ends_at_a_whole_word(name: str, expected: str) -> None:
    """Issue 16 point 10: a long unit name is cut after a whole (often two-syllable) word, within 40 characters."""
    unit = template_filename("2023-Q1", "DV05", name).removesuffix(".xlsx").split("_")[2]
    assert unit == expected
    assert len(unit) <= 40 < len(safe_component(name, 200))
    assert (safe_component(name, 200) + "-").startswith(unit + "-")
