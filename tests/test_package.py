"""Opening received files (DESIGN §5): every unusable file ends as one clear ``Unusable``, never a crash.

The fixtures in ``tests/fixtures/unusable/`` are what units really send (and what an attacker
might); their README says how each was made. The good template is generated here, so these tests
also follow any change to the template.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import random
import re
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook, WorksheetNotFound

from app.framework.registry import get_builtin
from app.workbook.package import (
    MESSAGES,
    Limits,
    Package,
    Unusable,
    calamine_errors,
    open_calamine,
    open_package,
)
from app.workbook.template import defined_names, write_template

UNUSABLE = Path(__file__).resolve().parent / "fixtures" / "unusable"

#: fixture → the code it must be refused with
EXPECTED = {
    "empty-0-bytes.xlsx": "empty-file",
    "empty-no-cells.xlsx": "empty-file",
    "not-a-workbook-pdf-renamed.xlsx": "not-a-workbook",
    "not-a-workbook-csv-renamed.xlsx": "not-a-workbook",
    "not-a-workbook-png-renamed.xlsx": "not-a-workbook",
    "not-a-workbook-docx-renamed.xlsx": "not-a-workbook",
    "not-a-workbook-zip-of-template.zip": "not-a-workbook",
    "html-saved-as.xls": "not-a-workbook",
    "unsupported-excel-2003-xml.xml": "unsupported-format",
    "unsupported-numbers.numbers": "unsupported-format",
    "truncated-zip.xlsx": "corrupt-file",
    "corrupt-missing-workbook-xml.xlsx": "corrupt-file",
    "corrupt-bad-xml.xlsx": "corrupt-file",
    "corrupt-flipped-byte.xlsx": "corrupt-file",
    "zip-bomb-declared-size.xlsx": "zip-bomb",
    "zip-bomb-lying-header.xlsx": "zip-bomb",
    "zip-bomb-overlapping-members.xlsx": "zip-bomb",
    "zip-bomb-too-many-members.xlsx": "zip-bomb",
    "xml-bomb-billion-laughs.xlsx": "xml-bomb",
    "xml-external-entity.xlsx": "xml-bomb",
    "password-protected.xlsx": "password-protected",
    "macro-workbook.xlsm": "macro-workbook",
    "macro-renamed.xlsx": "macro-workbook",
    "cell-bomb-far-apart.xlsx": "file-too-large",
    "cell-bomb-far-apart.xls": "file-too-large",
    "cell-bomb-repeated.ods": "file-too-large",
    "shared-strings-count-lie.xlsx": "corrupt-file",
}
READABLE = {
    "template-saved-as-xls-by-libreoffice.xls": "xls",
    "template-saved-as-ods-by-libreoffice.ods": "ods",
    "minimal-crafted.xlsb": "xlsb",
}
SHEETS = ("Hướng dẫn", "Thông tin", "Phụ lục", "Chỉ số", "Tổng hợp", "_meta")
VIETNAMESE = re.compile("[ăâđêôơưàáảãạếềểễệọỏốồổỗộớờởỡợụủứừửữựịỉíìĩ]", re.IGNORECASE)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "DV01 - Nhà hát Thành phố.xlsx"
    write_template(get_builtin("svhtt-1690"), "DV01", "Nhà hát Thành phố", "2023-Q1", "Quý I/2023", path)
    return path


def expected_names() -> dict[str, tuple[str, str]]:
    """The template's own map, in the package's shape ("$D$12" → "D12")."""
    return {
        name: (sheet, ref.replace("$", "")) for name, (sheet, ref) in defined_names(get_builtin("svhtt-1690")).items()
    }


def refused(source: Path | bytes, **kwargs: Any) -> Unusable:
    with pytest.raises(Unusable) as caught:
        open_package(source, **kwargs)
    return caught.value


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def cell(workbook: CalamineWorkbook, sheet: str, ref: str) -> Any:
    """calamine's value at ``ref`` ("D14") of ``sheet``."""
    letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()  # type: ignore[union-attr]
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return rows[int(digits) - 1][col - 1]


# --- the good template ---------------------------------------------------------------------------


def test_template_opens_with_its_defined_names_and_sheets(template: Path) -> None:
    pkg = open_package(template)
    assert (pkg.file, pkg.path, pkg.kind) == (template.name, template, "xlsx")
    assert pkg.data == template.read_bytes()
    assert pkg.sheet_names == SHEETS  # the very hidden _meta included
    assert pkg.defined_names == expected_names()
    with open_calamine(pkg) as workbook:
        assert workbook.sheet_names == list(SHEETS)
        assert cell(workbook, "_meta", "B4") == "DV01"


def test_bytes_are_opened_like_the_file(template: Path) -> None:
    pkg = open_package(template.read_bytes(), file="từ thư.xlsx")
    assert (pkg.file, pkg.path, pkg.kind) == ("từ thư.xlsx", None, "xlsx")
    assert pkg.defined_names == expected_names()
    assert open_package(template.read_bytes()).file  # a name for messages even without one


# --- every unusable fixture ------------------------------------------------------------------------


def test_every_fixture_is_listed() -> None:
    on_disk = {p.name for p in UNUSABLE.iterdir() if p.name != "README.md"}
    assert on_disk == set(EXPECTED) | set(READABLE)
    assert sum(p.stat().st_size for p in UNUSABLE.iterdir()) < 2 * 1024 * 1024
    assert max(p.stat().st_size for p in UNUSABLE.iterdir()) < 300 * 1024


@pytest.mark.parametrize(("name", "code"), sorted(EXPECTED.items()))
def test_unusable_fixture_gets_one_clear_message(name: str, code: str) -> None:
    error = refused(UNUSABLE / name)
    assert error.code == code, error.message
    assert error.file == name
    assert f'"{name}"' in error.message and str(error) == error.message
    assert VIETNAMESE.search(error.message), error.message


def test_details_say_what_the_file_really_is() -> None:
    assert "PDF" in refused(UNUSABLE / "not-a-workbook-pdf-renamed.xlsx").detail
    assert "HTML" in refused(UNUSABLE / "html-saved-as.xls").detail
    assert "Word" in refused(UNUSABLE / "not-a-workbook-docx-renamed.xlsx").detail
    assert "CSV" in refused(UNUSABLE / "not-a-workbook-csv-renamed.xlsx").detail
    assert "ảnh" in refused(UNUSABLE / "not-a-workbook-png-renamed.xlsx").detail
    assert "Excel 2003" in refused(UNUSABLE / "unsupported-excel-2003-xml.xml").detail
    assert "xl/workbook.xml" in refused(UNUSABLE / "corrupt-missing-workbook-xml.xlsx").detail
    assert "sheet4.xml" in refused(UNUSABLE / "zip-bomb-lying-header.xlsx").detail
    assert "sharedStrings.xml" in refused(UNUSABLE / "xml-bomb-billion-laughs.xlsx").detail
    assert "vbaProject.bin" in refused(UNUSABLE / "macro-renamed.xlsx").detail
    message = refused(UNUSABLE / "macro-workbook.xlsm").message
    assert "Excel Workbook (*.xlsx)" in message and "macro" in message


def test_batch_survives_every_fixture_and_never_modifies_a_file(template: Path) -> None:
    files = [*sorted(UNUSABLE.iterdir()), template]
    files = [f for f in files if f.name != "README.md"]
    before = {f: (hashlib.sha256(f.read_bytes()).hexdigest(), f.stat().st_mtime_ns) for f in files}
    opened: dict[str, Package] = {}
    rejected: dict[str, str] = {}
    for f in files:
        try:
            pkg = open_package(f)
            with open_calamine(pkg) as workbook, calamine_errors(pkg.file):
                for sheet in workbook.sheet_names:
                    workbook.get_sheet_by_name(sheet).to_python()
            opened[f.name] = pkg
        except Unusable as error:
            rejected[f.name] = error.code
    assert rejected == EXPECTED
    assert {name: pkg.kind for name, pkg in opened.items()} == {**READABLE, template.name: "xlsx"}
    assert opened[template.name].defined_names == expected_names()
    assert before == {f: (hashlib.sha256(f.read_bytes()).hexdigest(), f.stat().st_mtime_ns) for f in files}


# --- formats calamine reads --------------------------------------------------------------------------


def test_xls_saved_by_libreoffice_reads() -> None:
    pkg = open_package(UNUSABLE / "template-saved-as-xls-by-libreoffice.xls")
    assert (pkg.kind, pkg.sheet_names, pkg.defined_names) == ("xls", SHEETS, {})
    where = expected_names()  # calamine does not expose an .xls's names: the template's positions
    with open_calamine(pkg) as workbook:
        assert cell(workbook, *where["v_1_1_a"]) == "Có"
        assert cell(workbook, *where["v_1_2_a"]) == 12
        assert cell(workbook, *where["v_1_2_b"]) == 20
        assert cell(workbook, *where["v_1_2_score"]) == 6  # recalculated by LibreOffice
        assert cell(workbook, *where["v_contact_name"]) == "Nguyễn Văn A"


def test_ods_saved_by_libreoffice_reads_with_its_named_ranges() -> None:
    from app.workbook.names import field_name
    from app.workbook.validate import SIGNOFF_FIELDS

    pkg = open_package(UNUSABLE / "template-saved-as-ods-by-libreoffice.ods")
    assert (pkg.kind, pkg.sheet_names) == ("ods", SHEETS)
    # saved before the template had the sign-off block (issue 20), whose names come after every other cell
    signoff = {field_name(f) for f in SIGNOFF_FIELDS}
    assert pkg.defined_names == {k: v for k, v in expected_names().items() if k not in signoff}
    with open_calamine(pkg) as workbook:
        assert cell(workbook, *pkg.defined_names["v_1_1_a"]) == "Có"
        assert cell(workbook, *pkg.defined_names["v_1_2_a"]) == 12
        assert cell(workbook, *pkg.defined_names["v_1_2_b"]) == 20
        assert cell(workbook, *pkg.defined_names["v_1_2_score"]) == 6


def test_xlsb_is_sniffed_and_read() -> None:
    pkg = open_package(UNUSABLE / "minimal-crafted.xlsb")
    assert (pkg.kind, pkg.sheet_names, pkg.defined_names) == ("xlsb", ("Chỉ số",), {})
    with open_calamine(pkg) as workbook:
        assert workbook.get_sheet_by_name("Chỉ số").to_python() == [[12.0, "Có"], [20, ""]]


def test_every_kind_is_sniffed_not_taken_from_the_name(template: Path) -> None:
    assert open_package(template, file="bao-cao.xls").kind == "xlsx"
    assert (
        open_package((UNUSABLE / "template-saved-as-ods-by-libreoffice.ods").read_bytes(), file="x.xlsx").kind == "ods"
    )
    assert (
        open_package((UNUSABLE / "template-saved-as-xls-by-libreoffice.xls").read_bytes(), file="x.xlsx").kind == "xls"
    )


# --- bombs: bounded time and memory --------------------------------------------------------------------


def test_lying_header_bomb_is_refused_in_bounded_memory_and_time() -> None:
    data = (UNUSABLE / "zip-bomb-lying-header.xlsx").read_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        error = refused(data, file="bomb.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.code == "zip-bomb"
    assert peak < 64 * 1024 * 1024, peak
    assert time.perf_counter() - started < 2


def test_declared_size_bomb_is_refused_before_inflating_anything() -> None:
    tracemalloc.start()
    try:
        error = refused(UNUSABLE / "zip-bomb-declared-size.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.code == "zip-bomb" and "120,1 MB" in error.detail
    assert peak < 4 * 1024 * 1024, peak  # the file itself (150 KB) and little else


def test_limits_are_enforced(template: Path) -> None:
    assert refused(template, limits=Limits(max_members=10)).code == "zip-bomb"
    assert refused(template, limits=Limits(max_total_uncompressed=100_000)).code == "zip-bomb"
    assert refused(template, limits=Limits(max_member_uncompressed=50_000)).code == "zip-bomb"
    too_large = refused(template, limits=Limits(max_file_bytes=10_000))
    assert too_large.code == "file-too-large" and "MB" in too_large.detail
    assert refused(template.read_bytes(), limits=Limits(max_file_bytes=10_000)).code == "file-too-large"
    squeezed = zipped({"xl/worksheets/sheet1.xml": b"<row/>" * 400_000})  # 2.4 MB that deflates ~1000:1
    assert "tỉ lệ" in refused(squeezed).detail
    assert refused(squeezed, limits=Limits(max_ratio=10**6)).code == "corrupt-file"  # then: no workbook.xml


def test_xml_declarations_are_refused_in_utf16_too(template: Path) -> None:
    files = parts(template)
    text = files["xl/sharedStrings.xml"].decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    text = text.replace("<sst ", '<!DOCTYPE sst [<!ENTITY a "b">]><sst ', 1)
    for codec in ("utf-16-le", "utf-16-be"):
        bomb = zipped({**files, "xl/sharedStrings.xml": "\ufeff".encode(codec) + text.encode(codec)})
        assert refused(bomb).code == "xml-bomb"


def test_comments_and_cdata_are_not_declarations(template: Path) -> None:
    files = parts(template)
    workbook = files["xl/workbook.xml"].replace(b"<sheets>", b"<!-- saved by hand --><sheets>", 1)
    shared = files["xl/sharedStrings.xml"].replace(b"<t>", b"<t><![CDATA[x]]>", 1)
    pkg = open_package(zipped({**files, "xl/workbook.xml": workbook, "xl/sharedStrings.xml": shared}))
    assert pkg.defined_names == expected_names()


def test_a_macro_project_is_refused_whatever_the_content_types_say(template: Path) -> None:
    files = parts(template)
    assert refused(zipped({**files, "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})).code == "macro-workbook"
    types = files["[Content_Types].xml"].replace(b"spreadsheetml.sheet.main", b"NOPE")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.NOPE", b"application/vnd.ms-excel.template.macroEnabled.main"
    )
    assert refused(zipped({**files, "[Content_Types].xml": types})).code == "macro-workbook"


def test_zip64_directories_are_read(template: Path) -> None:
    """Some writers use zip64 records for small files too; calamine reads them, so must we."""
    data = _as_zip64(parts(template))
    pkg = open_package(data)
    assert pkg.defined_names == expected_names()
    with open_calamine(pkg) as workbook:
        assert workbook.sheet_names == list(SHEETS)


def _as_zip64(files: dict[str, bytes]) -> bytes:
    """``files`` as a zip whose central directory gives every size and offset in zip64 fields."""
    out = bytearray()
    central = bytearray()
    for name, data in files.items():
        raw = name.encode()
        deflater = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        content = deflater.compress(data) + deflater.flush()
        crc, offset = zlib.crc32(data), len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 45, 0, 8, 0, 0x21, crc, len(content), len(data), len(raw), 0)
        out += raw + content
        extra = struct.pack("<2H3Q", 1, 24, len(data), len(content), offset)
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 45, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                               len(raw), len(extra), 0, 0, 0, 0, 0xFFFFFFFF) + raw + extra  # fmt: skip
    record = len(out) + len(central)
    end64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, len(files), len(files), len(central), len(out))
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, record, 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return bytes(out + central + end64 + locator + end)


# --- what calamine would allocate -------------------------------------------------------------------


def test_how_far_cells_reach_is_bounded(template: Path) -> None:
    """The indicator sheet reaches F167: 6 × 167 = 1,002 cells from A1."""
    error = refused(template, limits=Limits(max_sheet_cells=1_001))
    assert (error.code, error.detail) == ("file-too-large", "trang tính Chỉ số có dữ liệu tới ô F167, quá 1.001 ô")
    assert open_package(template, limits=Limits(max_sheet_cells=1_002)).kind == "xlsx"


def test_unusual_sheet_xml_is_measured_exactly_and_still_opens(template: Path) -> None:
    """Cells without r, or with a namespace prefix, take the exact (slow) path; same reach, same values."""
    files = parts(template)
    sheet = files["xl/worksheets/sheet4.xml"]
    prefixed = re.sub(rb"<(/?)(?![?!])([A-Za-z])", rb"<\1x:\2", sheet).replace(
        b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=", 1
    )
    unnumbered = re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", sheet)  # calamine then counts columns itself
    for variant in (prefixed, unnumbered):
        data = zipped({**files, "xl/worksheets/sheet4.xml": variant})
        assert refused(data, limits=Limits(max_sheet_cells=1_001)).code == "file-too-large"
        pkg = open_package(data, limits=Limits(max_sheet_cells=1_002))
        with open_calamine(pkg) as workbook:
            assert workbook.get_sheet_by_name("Chỉ số").height == 167
    cells = b'<c s="1" r="XFD1"><v>1</v></c>'  # r not first: exact path, far column
    data = zipped({**files, "xl/worksheets/sheet4.xml": sheet.replace(b"</row>", cells + b"</row>", 1)})
    assert "XFD167" in refused(data).detail


def test_ole_structure_is_checked_before_calamine_sees_it() -> None:
    xls = (UNUSABLE / "template-saved-as-xls-by-libreoffice.xls").read_bytes()

    def patched(offset: int, value: int) -> bytes:
        return xls[:offset] + struct.pack("<L", value) + xls[offset + 4 :]

    assert refused(patched(0x2C, 0x0FFFFFFF)).code == "corrupt-file"  # FAT sector count
    assert refused(patched(0x30, 0x7FFFFFF0)).code == "corrupt-file"  # directory start far outside the file
    assert refused(patched(0x40, 0x00FF0000)).code == "corrupt-file"  # what calamine takes as the DIFAT length
    (directory,) = struct.unpack_from("<L", xls, 0x30)
    (fat_sector,) = struct.unpack_from("<L", xls, 0x4C + 4 * (directory // 128))  # 128 entries per FAT sector
    entry = 512 * (fat_sector + 1) + 4 * (directory % 128)
    assert refused(patched(entry, directory)).code == "corrupt-file"  # the directory's chain loops on itself


def test_xlsb_records_longer_than_their_part_are_refused() -> None:
    files = parts(UNUSABLE / "minimal-crafted.xlsb")
    files["xl/workbook.bin"] += bytes([0x9C, 0x01, 0xFF, 0xFF, 0xFF, 0x7F])  # a record claiming 256 MB
    assert "xl/workbook.bin" in refused(zipped(files)).detail


# --- defined names ---------------------------------------------------------------------------------------


def test_only_workbook_level_single_cell_names_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "names.xlsx"
    wb = xlsxwriter.Workbook(path)
    for title in ("It's", "Data", "Chỉ số"):
        wb.add_worksheet(title).write(0, 0, 1)
    wb.define_name("apostrophe", "='It''s'!$A$1")
    wb.define_name("plain", "=Data!$B$2")
    wb.define_name("relative", "=Data!C3")
    wb.define_name("other_case", "=data!$D$4")
    wb.define_name("v_1_2_a", "='Chỉ số'!$XFD$1048576")
    wb.define_name("range", "=Data!$A$1:$A$5")
    wb.define_name("column", "=Data!$A:$A")
    wb.define_name("formula", "=Data!$A$1+1")
    wb.define_name("constant", "=42")
    wb.define_name("broken", "=#REF!")
    wb.define_name("beyond", "=Data!$XFE$1")
    wb.define_name("missing_sheet", "=Gone!$A$1")
    wb.define_name("Data!local", "=Data!$A$1")
    wb.worksheets()[1].print_area("A1:B2")
    wb.close()
    assert open_package(path).defined_names == {
        "apostrophe": ("It's", "A1"),
        "plain": ("Data", "B2"),
        "relative": ("Data", "C3"),
        "other_case": ("Data", "D4"),
        "v_1_2_a": ("Chỉ số", "XFD1048576"),
    }


def test_sheet_names_include_hidden_ones(tmp_path: Path) -> None:
    path = tmp_path / "hidden.xlsx"
    wb = xlsxwriter.Workbook(path)
    wb.add_worksheet("Một").write(0, 0, 1)
    wb.add_worksheet("Ẩn").hide()
    wb.add_worksheet("Rất ẩn").very_hidden()
    wb.close()
    assert open_package(path).sheet_names == ("Một", "Ẩn", "Rất ẩn")


# --- the file system and odd sources ------------------------------------------------------------------


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = refused(tmp_path / "không có.xlsx")
    assert missing.code == "file-not-found" and '"không có.xlsx"' in missing.message
    assert refused(tmp_path).code == "file-not-found"


def test_ole_files_are_told_apart() -> None:
    def ole(*streams: str) -> bytes:
        names = b"".join((s + "\x00").encode("utf-16-le").ljust(64, b"\x00") for s in streams)
        return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + names

    assert refused(ole("Root Entry", "WordDocument", "1Table")).code == "not-a-workbook"
    assert refused(ole("Root Entry", "Workbook", "_VBA_PROJECT_CUR")).code == "macro-workbook"
    assert refused(ole("Root Entry", "EncryptionInfo", "EncryptedPackage")).code == "password-protected"
    assert refused(ole("Root Entry", "Workbook")).code == "corrupt-file"  # calamine cannot read it
    assert refused(ole("Root Entry", "Something")).code == "not-a-workbook"


def test_a_rust_panic_in_calamine_becomes_unusable() -> None:
    """calamine 0.37 panics on an .xlsb whose sheet points at a missing relationship."""
    files = parts(UNUSABLE / "minimal-crafted.xlsb")
    files["xl/workbook.bin"] = files["xl/workbook.bin"].replace("rId1".encode("utf-16-le"), "rId9".encode("utf-16-le"))
    error = refused(zipped(files), file="panic.xlsb")
    assert (error.code, error.detail) == ("unreadable", "lỗi PanicException")


def test_calamine_errors_maps_file_errors_and_lets_caller_errors_through(template: Path) -> None:
    pkg = open_package(template)
    with open_calamine(pkg) as workbook, pytest.raises(WorksheetNotFound), calamine_errors(pkg.file):
        workbook.get_sheet_by_name("không có")
    with pytest.raises(Unusable) as caught, calamine_errors("x.xlsx"):
        CalamineWorkbook.from_filelike(io.BytesIO(b"PK\x03\x04 not a zip"))
    assert caught.value.code == "corrupt-file"
    with pytest.raises(Unusable) as caught, calamine_errors("x.xlsx"):
        raise MemoryError
    assert (caught.value.code, caught.value.detail) == ("unreadable", "lỗi MemoryError")


def test_every_message_names_the_file_and_survives_pickling() -> None:
    for code in MESSAGES:
        for detail in ("", "chi tiết"):
            error = Unusable(code, "Báo cáo {quý}.xlsx", detail)
            assert '"Báo cáo {quý}.xlsx"' in error.message and VIETNAMESE.search(error.message)
            assert ("(chi tiết)" in error.message) == bool(detail)
            again = pickle.loads(pickle.dumps(error))
            assert (again.code, again.file, again.detail, again.message) == (code, error.file, detail, error.message)


# --- fuzz: nothing but Unusable, whatever the bytes ------------------------------------------------------


def _mutations(rnd: random.Random, data: bytes, files: dict[str, bytes]) -> bytes:
    kind = rnd.randrange(8)
    b = bytearray(data)
    if kind == 0:  # a few flipped bytes anywhere
        for _ in range(rnd.randint(1, 8)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
    elif kind == 1:  # cut short
        del b[rnd.randrange(len(b)) :]
    elif kind == 2:  # the central directory and end record: sizes, counts, offsets
        start = data.rfind(b"PK\x01\x02", 0, len(data) - 22) - rnd.randrange(0, 2000)
        for _ in range(rnd.randint(1, 4)):
            pos = rnd.randrange(max(start, 0), len(b))
            b[pos : pos + 4] = rnd.choice([b"\xff\xff\xff\xff", b"\x00\x00\x00\x00", rnd.randbytes(4)])
    elif kind == 3:  # bytes inserted
        pos = rnd.randrange(len(b))
        b[pos:pos] = rnd.randbytes(rnd.randint(1, 64))
    elif kind == 4:  # a valid zip whose XML is damaged: reaches the XML parsers and calamine
        name = rnd.choice([n for n in files if n.endswith((".xml", ".rels"))])
        part = bytearray(files[name])
        for _ in range(rnd.randint(1, 6)):
            pos = rnd.randrange(len(part))
            snippet = rnd.choice([b"<", b">", b"&", b'"', b"\x00", b"<!DOCTYPE x>", b"</", b"&#0;", b"\xff", b"]]>"])
            part[pos : pos + rnd.randint(0, 3)] = snippet
        return zipped({**files, name: bytes(part)})
    elif kind == 7:  # numbers in the XML (cell references, counts, sizes) made large
        name = rnd.choice([n for n in files if n.endswith(".xml")])
        part = files[name]
        numbers = list(re.finditer(rb"[0-9]+", part))
        for found in sorted(rnd.sample(numbers, min(len(numbers), 3)), key=lambda m: -m.start()):
            big = rnd.choice([16384, 1048577, 2**32 + 5, 10**12, rnd.randrange(10**7)])
            part = part[: found.start()] + str(big).encode() + part[found.end() :]
        return zipped({**files, name: part})
    elif kind == 5:  # a valid zip with a member dropped
        dropped = rnd.choice(list(files))
        return zipped({n: d for n, d in files.items() if n != dropped})
    else:  # random bytes behind a known magic
        return rnd.choice([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF", b"<html"]) + rnd.randbytes(
            rnd.randint(0, 4096)
        )
    return bytes(b)


def test_mutated_templates_never_raise_anything_but_unusable(template: Path) -> None:
    data = template.read_bytes()
    files = parts(template)
    rnd = random.Random(20230412)
    codes: dict[str, int] = {}
    started = time.perf_counter()
    for i in range(1000):
        mutated = _mutations(rnd, data, files)
        try:
            pkg = open_package(mutated, file=f"mẫu-{i}.xlsx")
            with open_calamine(pkg) as workbook, calamine_errors(pkg.file):
                for sheet in workbook.sheet_names:
                    workbook.get_sheet_by_name(sheet).to_python()
            codes["opened"] = codes.get("opened", 0) + 1
        except Unusable as error:
            assert error.code in MESSAGES and f'"mẫu-{i}.xlsx"' in error.message
            codes[error.code] = codes.get(error.code, 0) + 1
    assert time.perf_counter() - started < 5
    assert {"opened", "corrupt-file", "not-a-workbook", "xml-bomb"} <= set(codes), codes
