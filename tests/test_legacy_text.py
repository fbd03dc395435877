"""Old Vietnamese encodings (issue 23, point 1): tables, detection, and what the readers make of them."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from app.framework.registry import get_builtin
from app.legacy_text import (
    ALPHABET,
    Legacy,
    decode_tcvn3,
    decode_vni,
    encode_tcvn3,
    encode_vni,
    font_encoding,
    guess,
    repair,
)
from app.workbook import names
from app.workbook.identify import unit_in_file_name
from app.workbook.intake import receive_file
from app.workbook.issues import Severity
from app.workbook.roster import RosterUnit, read_roster_file

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
LEGACY = FIXTURES / "legacy"
FW = get_builtin("svhtt-1690")

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def test_the_alphabet_is_every_vowel_with_every_tone_in_both_cases_and_d_stroke() -> None:
    expected = {unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES} | {"đ"}
    expected |= {c.upper() for c in expected}
    assert set(ALPHABET) == expected
    assert len(ALPHABET) == 2 * (12 * 6 + 1)


@pytest.mark.parametrize("letter", ALPHABET)
def test_tcvn3_round_trip(letter: str) -> None:
    stored, capitals = encode_tcvn3(letter)
    assert all(ord(c) < 0x100 for c in stored)
    assert decode_tcvn3(stored, capitals=capitals) == letter
    # a small letter is one byte of the .VnTime font; a capital is the same byte in .VnTimeH
    if letter.islower():
        assert len(stored) == 1 and not capitals
        assert decode_tcvn3(stored, capitals=True) == letter.upper()


@pytest.mark.parametrize("letter", ALPHABET)
def test_vni_round_trip(letter: str) -> None:
    stored = encode_vni(letter)
    assert all(ord(c) < 0x100 for c in stored)
    assert decode_vni(stored) == letter


def test_published_examples() -> None:
    assert decode_tcvn3("NguyÔn V¨n Thµnh") == "Nguyễn Văn Thành"
    assert decode_tcvn3("§· triÓn khai") == "Đã triển khai"
    assert decode_tcvn3("Cã") == "Có"
    assert decode_tcvn3("Tr\xadêng") == "Trường"  # ư is 0xAD, the soft hyphen
    assert decode_tcvn3("së v¨n hãa vµ thÓ thao", capitals=True) == "SỞ VĂN HÓA VÀ THỂ THAO"
    assert decode_vni("Nguyeãn Vaên Thaønh") == "Nguyễn Văn Thành"
    assert decode_vni("SÔÛ VAÊN HOÙA VAØ THEÅ THAO") == "SỞ VĂN HÓA VÀ THỂ THAO"
    assert decode_vni("ñaõ trieån khai") == "đã triển khai"
    assert encode_vni("Đường") == "Ñöôøng"


def test_whole_sentences_round_trip() -> None:
    text = "Sở Văn hóa và Thể thao Thành phố Hồ Chí Minh: Đã triển khai ứng dụng chữ ký số, quỹ đạo ổn định"
    stored, capitals = encode_tcvn3(text.lower())
    assert decode_tcvn3(stored, capitals=capitals) == text.lower()
    assert decode_vni(encode_vni(text)) == text
    assert guess(encode_vni(text)) is Legacy.VNI
    assert guess(stored) is Legacy.TCVN3


@pytest.mark.parametrize(("font", "expected"), [
    (".VnTime", (Legacy.TCVN3, False)), (".VnTimeH", (Legacy.TCVN3, True)), (".VnArial", (Legacy.TCVN3, False)),
    (".VnArial NarrowH", (Legacy.TCVN3, True)), ("VNI-Times", (Legacy.VNI, False)), ("VNI-Helve", (Legacy.VNI, False)),
    ("Times New Roman", (None, False)), ("Calibri", (None, False)), ("", (None, False)),
])  # fmt: skip
def test_font_names(font: str, expected: tuple[Legacy | None, bool]) -> None:
    assert font_encoding(font) == expected


def test_no_line_or_word_of_the_source_documents_is_taken_for_legacy_text() -> None:
    checked = 0
    for seed in sorted(SEEDS.glob("*.txt")):
        for line in seed.read_text(encoding="utf-8").splitlines():
            for piece in [line, *line.split()]:
                checked += 1
                assert guess(piece) is None, piece
                assert repair(piece) is None, piece
    assert checked > 10_000


@pytest.mark.parametrize("text", [
    "Có", "Không", "Toà án", "Hoá", "quá", "Quà tặng", "Ông Bà", "Hà Nội", "café", "naïve", "Zürich", "10 × 20",
    "25°C", "« trích »", "Báo cáo số 15/BC-SVHTT", "Mục § 3", "ABC-123", "NGUYÔN", "Thư viện", "Phường Bến Nghé",
    "Đào Duy Từ", "Giám đốc", "1.234,5", "e-mail: a@b.vn", "Ái", "Ô Chợ Dừa", "Ý kiến", "Út", "Thuý", "Khoẻ",
])  # fmt: skip
def test_unicode_and_ascii_are_left_alone(text: str) -> None:
    assert guess(text) is None
    assert repair(text) is None


def test_a_choice_is_recognised_through_its_options_only() -> None:
    assert repair("Cã") is None  # "Cã" could be anything
    fixed = repair("Cã", options=("Có", "Không"))
    assert fixed is not None and fixed.after == "Có" and fixed.encoding is Legacy.TCVN3
    vni = repair("Khoâng", options=("Có", "Không"))
    assert vni is not None and vni.after == "Không" and vni.encoding is Legacy.VNI


def test_a_legacy_font_decides_even_when_the_characters_could_be_unicode() -> None:
    fixed = repair("Cã", ".VnTime")
    assert fixed is not None and fixed.after == "Có" and fixed.by_font == ".VnTime"
    assert repair("Có", "Times New Roman") is None
    assert repair("Nguyen Van A", ".VnTime") is None  # ASCII is the same in every font


def _converted(file: Path) -> tuple[dict[str, tuple[str, str, str]], object]:
    sub = receive_file(file, FW, "2023-Q1")
    found = {i.name: (i.cell, i.value, i.message) for i in sub.issues if i.code == "legacy-text-converted"}
    assert all(i.severity is Severity.INFO for i in sub.issues if i.code == "legacy-text-converted")
    return found, sub


@pytest.mark.parametrize(("fixture", "font", "stored_name"), [
    ("tcvn3_vntime_font.xlsx", "phông .VnTime (bảng mã TCVN3)", "NguyÔn ThÞ Hoµ"),
    ("vni_times_font.xlsx", "phông VNI-Times (bảng mã VNI)", "Nguyeãn Thò Hoaø"),
    ("tcvn3_no_font.xlsx", "bảng mã TCVN3 (nhận ra theo ký tự)", "NguyÔn ThÞ Hoµ"),
])  # fmt: skip
def test_workbooks_typed_in_old_fonts_are_read_as_unicode_and_scored(fixture: str, font: str, stored_name: str) -> None:
    found, sub = _converted(LEGACY / fixture)
    contact = names.field_name("contact_name")
    assert contact in found
    cell, before, message = found[contact]
    assert before == stored_name
    assert font in message and "“" not in message and '"Nguyễn Thị Hoà"' in message and cell in message
    assert sub.fields["contact_name"] == "Nguyễn Thị Hoà"  # type: ignore[attr-defined]
    # the choices typed "Cã"/"Coù" count as "Có"
    assert sub.inputs.values["1.4"]["a"] == "Có" and sub.inputs.values["2.1"]["a"] == "Có"  # type: ignore[attr-defined]
    assert names.input_name("1.4", "a") in found
    assert not [i for i in sub.issues if i.code in ("wrong-type", "out-of-range")]  # type: ignore[attr-defined]
    assert sub.inputs.values["1.4"] == {"a": "Có", "b": 30}  # type: ignore[attr-defined]


def test_the_capitals_font_gives_capitals() -> None:
    _, sub = _converted(LEGACY / "tcvn3_vntime_font.xlsx")
    assert sub.fields["ket_qua_trien_khai"].startswith("ĐÃ TRIỂN KHAI PHẦN MỀM")  # type: ignore[attr-defined]


def test_a_unicode_workbook_has_no_conversion() -> None:
    found, _ = _converted(FIXTURES / "returned" / "good-filled-by-script.xlsx")
    assert found == {}


def test_roster_typed_in_tcvn3_xlsx_by_font(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã đơn vị", "Tên đơn vị", "Người liên hệ"])
    ws.append(["DV01", encode_tcvn3("Thư viện Khoa học Tổng hợp")[0], encode_tcvn3("Nguyễn Thị Hoà")[0]])
    ws.append(["DV02", "Bảo tàng Lịch sử", "Cã"])
    for cell in ws[2][1:]:
        cell.font = Font(name=".VnTime")
    ws["C3"].font = Font(name=".VnTime")
    wb.save(tmp_path / "ds.xlsx")
    roster = read_roster_file(tmp_path / "ds.xlsx")
    assert [u.name for u in roster.units] == ["Thư viện Khoa học Tổng hợp", "Bảo tàng Lịch sử"]
    assert [u.contact for u in roster.units] == ["Nguyễn Thị Hoà", "Có"]
    assert [n.cell for n in roster.notes] == ["B2", "C2", "C3"]
    assert "phông .VnTime" in roster.notes[0].message and "“Thư viện Khoa học Tổng hợp”" in roster.notes[0].message


def test_roster_csv_saved_from_vni_and_tcvn3(tmp_path: Path) -> None:
    rows = ["Mã đơn vị;Tên đơn vị", "DV01;Thư viện Khoa học Tổng hợp", "DV02;Nhà hát Kịch Thành phố"]
    for name, encode in (("tcvn3", lambda t: encode_tcvn3(t)[0]), ("vni", encode_vni)):
        text = "\r\n".join(encode(r) for r in rows)
        path = tmp_path / f"{name}.csv"
        path.write_bytes(text.encode("cp1252"))
        roster = read_roster_file(path)
        assert [u.name for u in roster.units] == ["Thư viện Khoa học Tổng hợp", "Nhà hát Kịch Thành phố"], name
        assert len(roster.notes) == 4  # both headers and both names


def test_file_names_typed_in_tcvn3_identify_the_unit() -> None:
    roster = [RosterUnit("DV01", "Thư viện Khoa học Tổng hợp"), RosterUnit("DV02", "Nhà hát Kịch Thành phố")]
    stored, _ = encode_tcvn3("Báo cáo Thư viện Khoa học Tổng hợp quý 1")
    unit = unit_in_file_name(stored + ".xlsx", roster)
    assert unit is not None and unit.code == "DV01"
    unit = unit_in_file_name(encode_vni("Nhà hát Kịch Thành phố - báo cáo") + ".xlsx", roster)
    assert unit is not None and unit.code == "DV02"


def test_tcvn3_table_agrees_with_glibc_for_every_byte_above_0x7f() -> None:
    """An independent implementation of TCVN 5712 (glibc's iconv), where the machine has it."""
    import shutil
    import subprocess

    from app.legacy_text import TCVN3_TO_UNICODE

    if shutil.which("iconv") is None:
        pytest.skip("iconv not installed")
    done = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes(range(0x80, 0x100)),
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip("iconv without TCVN5712-1")
    reference = done.stdout.decode("utf-8")
    assert len(reference) == 128
    for offset, expected in enumerate(reference):
        byte = chr(0x80 + offset)
        assert TCVN3_TO_UNICODE.get(byte, byte) == expected, hex(0x80 + offset)


def test_fonts_applied_to_the_text_of_a_cell_count_too(tmp_path: Path) -> None:
    """Excel keeps a font applied to the text (not the cell) in the runs of the shared string."""
    import xlsxwriter

    from app.workbook.fonts import legacy_fonts
    from app.workbook.package import open_package

    path = tmp_path / "runs.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("S")
    sheet.write_rich_string("A1", book.add_format({"font_name": ".VnTime"}), "Cã", " ")
    sheet.write_rich_string("A2", book.add_format({"font_name": "VNI-Times"}), encode_vni("Nguyễn Văn"), " ")
    sheet.write("A3", "Cã")
    sheet.write("A4", "Cã", book.add_format({"font_name": ".VnTimeH"}))
    book.close()
    found = legacy_fonts(open_package(path), {"S": {"A1", "A2", "A3", "A4"}})
    assert found == {("S", "A1"): ".VnTime", ("S", "A2"): "VNI-Times", ("S", "A4"): ".VnTimeH"}
    assert legacy_fonts(open_package(FIXTURES / "returned" / "good-filled-by-script.xlsx"), {"Chỉ số": {"D12"}}) == {}
