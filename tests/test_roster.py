"""Reading the roster an office already keeps: CSV in any Windows encoding and delimiter, or Excel."""

from __future__ import annotations

import csv
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app.workbook.filenames import template_filename
from app.workbook.roster import (
    RosterError,
    RosterProblem,
    RosterUnit,
    cell_text,
    header_key,
    read_roster,
    read_roster_file,
)

ROSTERS = Path(__file__).resolve().parent / "fixtures" / "rosters"

SVHTT = [
    RosterUnit("DV01", "Thư viện Khoa học Tổng hợp", "thuvienkhth@svhtt-hcm.example"),
    RosterUnit("DV02", "Bảo tàng Lịch sử Thành phố", "baotanglichsu@svhtt-hcm.example"),
    RosterUnit("DV03", "Nhà hát Giao hưởng Nhạc Vũ kịch", "hbso@svhtt-hcm.example"),
    RosterUnit("DV04", "Trung tâm Văn hóa Thành phố", "ttvanhoa@svhtt-hcm.example"),
    RosterUnit("DV05", "Ban Quản lý Di tích Lịch sử - Văn hóa", "bqldtlsvh@svhtt-hcm.example"),
    RosterUnit("DV06", "Trung tâm Huấn luyện và Thi đấu Thể dục Thể thao", "tthltd@svhtt-hcm.example"),
    RosterUnit("DV07", "Nhà hát Nghệ thuật Phương Nam", "nhahatphuongnam@svhtt-hcm.example"),
    RosterUnit("DV08", "Bảo tàng Mỹ thuật Thành phố", ""),
]


def problems_of(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(RosterError) as excinfo:
        read_roster(path)
    return [(p.code, p.cell) for p in excinfo.value.problems]


def error_of(path: Path) -> RosterError:
    with pytest.raises(RosterError) as excinfo:
        read_roster(path)
    return excinfo.value


def write_csv(tmp_path: Path, text: str, name: str = "danh_sach.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- the fixtures -------------------------------------------------------------------------------


def test_svhtt_sample() -> None:
    data = (ROSTERS / "svhtt_sample.csv").read_bytes()
    assert data.startswith("\ufeffMã đơn vị,Tên đơn vị,Thư điện tử\r\n".encode())
    units = read_roster(ROSTERS / "svhtt_sample.csv")
    assert units == SVHTT
    names = [template_filename("2023-Q1", u.code, u.name) for u in units]
    assert names[0] == "2023-Q1_DV01_Thu-vien-Khoa-hoc-Tong-hop.xlsx"
    assert names[5] == "2023-Q1_DV06_Trung-tam-Huan-luyen-va-Thi-dau-The-duc.xlsx"
    assert len(set(names)) == 8
    assert all(n.isascii() for n in names)


def test_vietnamese_headers_utf8_bom() -> None:
    assert (ROSTERS / "vietnamese_headers_utf8_bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_roster(ROSTERS / "vietnamese_headers_utf8_bom.csv") == [
        RosterUnit("DV01", "Thư viện Khoa học Tổng hợp", "thuvien@svhtt-hcm.example"),
        RosterUnit("DV02", "Ban Quản lý Di tích Lịch sử, Văn hóa", "bqldt@svhtt-hcm.example"),
        RosterUnit("DV03", "Nhà hát Giao hưởng Nhạc Vũ kịch", ""),
    ]


def test_semicolon_cp1258_below_a_title_row() -> None:
    data = (ROSTERS / "semicolon_cp1258.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is cp1258 ...
    assert "A\u0303" in data.decode("cp1258")  # ... with tone marks as separate combining characters
    units = read_roster(ROSTERS / "semicolon_cp1258.csv")
    assert units == [
        RosterUnit("DV04", "Trung tâm Văn hóa Thành phố", "ttvh@svhtt-hcm.example"),
        RosterUnit("DV05", "Ban Quản lý Di tích Lịch sử, Văn hóa", ""),
        RosterUnit("DV06", "Trung tâm Huấn luyện và Thi đấu Thể dục Thể thao", "ttht@svhtt-hcm.example"),
    ]
    assert all(unicodedata.is_normalized("NFC", u.name) for u in units)


def test_nfd_names_are_normalised_and_spaces_collapsed() -> None:
    text = (ROSTERS / "nfd_names.csv").read_bytes().decode("utf-8")
    assert not unicodedata.is_normalized("NFC", text)
    units = read_roster(ROSTERS / "nfd_names.csv")
    assert units == [
        RosterUnit("DV01", "Thư viện Khoa học Tổng hợp"),
        RosterUnit("DV02", "Bảo tàng Lịch sử Thành phố"),
    ]
    assert all(unicodedata.is_normalized("NFC", u.name) for u in units)


def test_tab_delimited_english_headers() -> None:
    assert read_roster(ROSTERS / "tab_english_headers.csv") == [
        RosterUnit("A1", "Nhà hát Nghệ thuật Phương Nam", "nhahat@svhtt-hcm.example")
    ]


def test_numeric_codes_xlsx() -> None:
    raw = load_workbook(ROSTERS / "numeric_codes.xlsx", read_only=True, data_only=True)
    try:
        assert [ws.sheet_state for ws in raw.worksheets] == ["hidden", "visible"]
        codes = [row[0] for row in raw.worksheets[1].iter_rows(min_row=3, max_row=4, values_only=True)]
        assert codes == [1, 12.0]
        assert [type(c) for c in codes] == [int, float]  # the fixture holds an int and a float
    finally:
        raw.close()
    assert read_roster(ROSTERS / "numeric_codes.xlsx") == [
        RosterUnit("1", "Thư viện Khoa học Tổng hợp", "thuvien@svhtt-hcm.example"),
        RosterUnit("12", "Bảo tàng Lịch sử Thành phố", ""),
        RosterUnit("DV07", "Nhà hát Nghệ thuật Phương Nam", ""),
    ]


def test_duplicate_codes() -> None:
    error = error_of(ROSTERS / "duplicate_codes.csv")
    assert [(p.code, p.cell) for p in error.problems] == [("duplicate-code", "A4")]
    assert error.problems[0].message == "Tệp duplicate_codes.csv, ô A4: mã đơn vị “dv01” trùng với mã ở ô A2."


def test_missing_name() -> None:
    error = error_of(ROSTERS / "missing_name.csv")
    assert error.problems == [
        RosterProblem("missing-name", "missing_name.csv", "B4", "Tệp missing_name.csv, ô B4: thiếu tên đơn vị.")
    ]


def test_missing_code_counts_empty_rows() -> None:
    error = error_of(ROSTERS / "missing_code.csv")
    assert [(p.code, p.cell) for p in error.problems] == [("missing-code", "A7")]
    assert error.problems[0].message == "Tệp missing_code.csv, ô A7: thiếu mã đơn vị."


def test_no_header() -> None:
    error = error_of(ROSTERS / "no_header.csv")
    assert [(p.code, p.cell) for p in error.problems] == [("roster-no-header", "")]
    message = error.problems[0].message
    assert message.startswith("Tệp no_header.csv: không tìm thấy dòng tiêu đề")
    for accepted in ("“mã đơn vị”", "“tên đơn vị”", "“thư điện tử”", "“code”", "“name”"):
        assert accepted in message


# --- built on the spot --------------------------------------------------------------------------


def test_every_problem_is_reported_in_file_order(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "Tiêu đề,,\nSTT,Tên đơn vị,Mã đơn vị\n1,Thư viện,DV01\n2,,\n3,,DV03\n4,Bảo tàng,\n5,Nhà hát,dv01\n,,\n6,Khác,Dv01\n",
    )
    error = error_of(path)
    assert [(p.code, p.cell) for p in error.problems] == [
        ("missing-code", "C4"),
        ("missing-name", "B4"),
        ("missing-name", "B5"),
        ("missing-code", "C6"),
        ("duplicate-code", "C7"),
        ("duplicate-code", "C9"),
    ]
    assert error.problems[-1].message == "Tệp danh_sach.csv, ô C9: mã đơn vị “Dv01” trùng với mã ở ô C3."
    assert str(error) == "\n".join(p.message for p in error.problems)
    assert all(p.file == "danh_sach.csv" for p in error.problems)


@pytest.mark.parametrize(
    ("code_header", "name_header", "email_header"),
    [
        ("code", "name", "email"),
        ("MA", "TEN", "E-MAIL"),
        ("Mã", "Tên", "Email"),
        ("mã số", "đơn vị", "thư điện tử"),
        ("Ma Don Vi", "Ten Don Vi", "Thu dien tu"),
        ("  MÃ   ĐƠN VỊ ", "tên  đơn vị", " e - mail "),
        (unicodedata.normalize("NFD", "Mã đơn vị"), unicodedata.normalize("NFD", "Tên đơn vị"), "EMAIL"),
    ],
)
def test_header_spellings(tmp_path: Path, code_header: str, name_header: str, email_header: str) -> None:
    path = write_csv(tmp_path, f"{name_header},Ghi chú,{email_header},{code_header}\nThư viện,x,tv@a.example,DV01\n")
    assert read_roster(path) == [RosterUnit("DV01", "Thư viện", "tv@a.example")]


def test_header_key() -> None:
    assert header_key("  Mã  Đơn   vị: ") == "madonvi"
    assert header_key("E-mail") == header_key("email") == "email"
    assert header_key("THƯ ĐIỆN TỬ") == "thudientu"


def test_email_column_is_optional(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Mã,Tên\nDV01,Thư viện\n")
    assert read_roster(path) == [RosterUnit("DV01", "Thư viện", "")]


def test_wrong_sniffer_guess_is_corrected_by_the_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class CommaSniffer:
        def sniff(self, sample: str, delimiters: str | None = None) -> type[csv.Dialect]:
            return csv.excel  # always "," — wrong for this file

    monkeypatch.setattr(csv, "Sniffer", CommaSniffer)
    path = write_csv(tmp_path, "Mã;Tên\nDV01;Thư viện, Bảo tàng, Nhà hát\nDV02;Trung tâm, Ban\n")
    assert read_roster(path) == [
        RosterUnit("DV01", "Thư viện, Bảo tàng, Nhà hát"),
        RosterUnit("DV02", "Trung tâm, Ban"),
    ]


def test_cp1252_when_not_cp1258(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Code;Name\r\nDV01;Café Šumava\r\n", encoding="cp1252")  # 0x8A: not cp1258
    assert read_roster(path) == [RosterUnit("DV01", "Café Šumava")]


def test_utf8_without_bom(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Mã đơn vị\tTên đơn vị\nDV01\tNhà hát Giao hưởng\n")
    assert read_roster(path) == [RosterUnit("DV01", "Nhà hát Giao hưởng")]


def test_upper_case_suffix(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Mã,Tên\nDV01,Thư viện\n", name="DANH_SACH.CSV")
    assert read_roster(path) == [RosterUnit("DV01", "Thư viện")]


def test_header_below_ten_title_rows_is_not_found(tmp_path: Path) -> None:
    titles = "".join(f"Dòng tiêu đề {i},\n" for i in range(10))
    assert problems_of(write_csv(tmp_path, titles + "Mã,Tên\nDV01,Thư viện\n")) == [("roster-no-header", "")]
    titles = "".join(f"Dòng tiêu đề {i},\n\n" for i in range(9))  # empty rows do not count
    assert read_roster(write_csv(tmp_path, titles + "Mã,Tên\nDV01,Thư viện\n")) == [RosterUnit("DV01", "Thư viện")]


def test_header_with_code_but_no_name(tmp_path: Path) -> None:
    assert problems_of(write_csv(tmp_path, "Mã,Địa chỉ\nDV01,Quận 1\n")) == [("roster-no-header", "")]


@pytest.mark.parametrize("text", ["", "\n\n", ",,\n , \n", "\ufeff"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    error = error_of(write_csv(tmp_path, text))
    assert [(p.code, p.cell) for p in error.problems] == [("roster-empty", "")]
    assert error.problems[0].message.startswith("Tệp danh_sach.csv: ")


def test_header_only(tmp_path: Path) -> None:
    assert problems_of(write_csv(tmp_path, "Mã đơn vị,Tên đơn vị\n,\n")) == [("roster-empty", "")]


def test_missing_file(tmp_path: Path) -> None:
    error = error_of(tmp_path / "khong_co.csv")
    assert [(p.code, p.cell, p.file) for p in error.problems] == [("roster-unreadable", "", "khong_co.csv")]
    assert error.problems[0].message.startswith("Tệp khong_co.csv: không đọc được — không tìm thấy tệp")


@pytest.mark.parametrize("name", ["danh_sach.xls", "danh_sach.txt", "danh_sach"])
def test_unsupported_kind(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"Ma,Ten\nDV01,X\n")
    error = error_of(path)
    assert [(p.code, p.cell) for p in error.problems] == [("roster-unreadable", "")]
    assert ".csv, .xlsx hoặc .xlsm" in error.problems[0].message


def test_damaged_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "hong.xlsx"
    path.write_bytes(b"Ma,Ten\nDV01,X\n")  # a CSV renamed to .xlsx
    assert problems_of(path) == [("roster-unreadable", "")]


def test_directory_named_like_a_roster(tmp_path: Path) -> None:
    (tmp_path / "thu_muc.csv").mkdir()
    assert problems_of(tmp_path / "thu_muc.csv") == [("roster-unreadable", "")]


def test_xlsm_and_problem_cells_in_excel(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append([None, None, None])
    ws.append([None, "Mã", "Tên đơn vị"])
    ws.append([None, "DV01", "  Thư   viện "])
    ws.append([None, 7, None])
    ws.append([None, "dv01", "Bảo tàng"])
    path = tmp_path / "danh_sach.xlsm"
    wb.save(path)
    error = error_of(path)
    assert [(p.code, p.cell) for p in error.problems] == [("missing-name", "C4"), ("duplicate-code", "B5")]
    assert error.problems[0].message == "Tệp danh_sach.xlsm, ô C4: thiếu tên đơn vị."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (1, "1"),
        (12.0, "12"),
        (12.5, "12.5"),
        ("  DV\u00a001 \u200b", "DV 01"),
        (unicodedata.normalize("NFD", "Thư  viện\n Huế"), "Thư viện Huế"),
        (datetime(2023, 3, 16), "2023-03-16"),
        (date(2023, 3, 16), "2023-03-16"),
    ],
)
def test_cell_text(value: object, expected: str) -> None:
    assert cell_text(value) == expected


def test_wrong_sheet_size_in_xlsx_is_ignored(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["Mã", "Tên"])
    wb.active.append(["DV01", "Thư viện"])
    path = tmp_path / "kich_thuoc_sai.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w") as zf:
        for info, data in members:
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:B2"' in data
                data = data.replace(b'<dimension ref="A1:B2"', b'<dimension ref="A1:A1"')  # as some writers do
            zf.writestr(info, data)
    assert read_roster(path) == [RosterUnit("DV01", "Thư viện")]


# --- kind, contact, phone -------------------------------------------------------------------------


def test_kind_contact_and_phone_from_a_cp1258_csv_with_odd_headers() -> None:
    roster = read_roster_file(ROSTERS / "kind_contact_cp1258.csv")
    assert roster.columns == {"kind", "email", "contact", "phone"}
    assert roster.units == [
        RosterUnit("DV01", "Thư viện Khoa học Tổng hợp", "thuvien@svhtt-hcm.example", "Thư viện", "Nguyễn Thị Lan",
                   "0900 000 001"),
        RosterUnit("DV02", "Bảo tàng Lịch sử Thành phố", "baotang@svhtt-hcm.example", "Bảo tàng", "", ""),
        RosterUnit("DV03", "Nhà hát Giao hưởng Nhạc Vũ kịch", "", "Nhà hát", "Trần Văn Hùng", "0900 000 003"),
    ]  # fmt: skip


def test_kind_contact_and_phone_from_nfd_headers_in_xlsx() -> None:
    roster = read_roster_file(ROSTERS / "kind_contact_nfd.xlsx")
    assert roster.columns == {"kind", "contact", "phone"}  # no e-mail column: not the same as empty e-mails
    assert roster.units[1] == RosterUnit("DV02", "Bảo tàng Lịch sử Thành phố", kind="Bảo tàng",
                                         contact="Phạm Thu Hà", phone="0900 000 012")  # fmt: skip


@pytest.mark.parametrize(
    ("kind_header", "contact_header", "phone_header"),
    [
        ("Loại", "Người liên hệ", "Điện thoại"),
        ("LOẠI HÌNH", "ĐẦU MỐI", "SỐ ĐIỆN THOẠI"),
        ("loai don vi", "can bo dau moi", "sdt"),
        (unicodedata.normalize("NFD", "Loại đơn vị"), unicodedata.normalize("NFD", "Cán bộ đầu mối"),
         unicodedata.normalize("NFD", "SĐT")),
        ("  Loại   hình: ", " Người  liên hệ ", "S.Đ.T"),
    ],
)  # fmt: skip
def test_optional_header_spellings(tmp_path: Path, kind_header: str, contact_header: str, phone_header: str) -> None:
    path = write_csv(tmp_path, f"{phone_header},Mã,{contact_header},Tên,{kind_header}\n0900 000 001,DV01,Lan,Thư viện,"
                               "Thư viện công cộng\n")  # fmt: skip
    assert read_roster(path) == [RosterUnit("DV01", "Thư viện", "", "Thư viện công cộng", "Lan", "0900 000 001")]


def test_optional_columns_absent_are_reported_as_absent(tmp_path: Path) -> None:
    roster = read_roster_file(write_csv(tmp_path, "Mã,Tên,Thư điện tử\nDV01,Thư viện,\n"))
    assert roster.columns == {"email"}
    assert roster.units == [RosterUnit("DV01", "Thư viện")]


def test_no_header_message_lists_the_optional_columns(tmp_path: Path) -> None:
    message = error_of(write_csv(tmp_path, "x,y\n1,2\n")).problems[0].message
    assert "“loại hình”" in message and "“người liên hệ”" in message and "“số điện thoại”" in message


def test_the_demo_roster_is_read_with_kind_contact_and_phone(tmp_path: Path) -> None:
    from app.demo.roster import CSV_HEADERS, KIND_LABELS, SAMPLE_UNITS, write_roster_csv

    roster = read_roster_file(write_roster_csv(tmp_path / "danh_sach.csv"))
    assert roster.columns == {"kind", "email", "contact", "phone"}, CSV_HEADERS
    assert [(u.code, u.kind, u.email, u.contact, u.phone) for u in roster.units] == [
        (s.code, KIND_LABELS[s.kind], s.email, s.contact_name, s.phone) for s in SAMPLE_UNITS
    ]
