"""Open a returned file safely, or refuse it with one clear message (DESIGN §5, unusable and hostile files).

Every file a unit e-mails back comes through here before anything else reads it. It may be
anything: the template saved as .xls or .ods, a PDF or a photo renamed to .xlsx, an HTML page a
web system calls ".xls", a half-downloaded attachment, a workbook with a password or macros, or a
file built to hurt the reader. Each of those must end as one ``Unusable`` with a Vietnamese
message the unit can act on, and never stop the batch, crash, hang or exhaust memory.

Why the checks are done here, by hand, instead of trusting a reader:

* The kind of a file is sniffed from its bytes, never from its extension: units rename files,
  and web systems export HTML with an .xls name.
* No Excel reader guards against zip bombs, and the sizes in a zip's headers are whatever the
  file says they are. So the central directory is walked here with hard limits before anything
  is decompressed, and then every member is inflated with zlib in bounded chunks, stopping as
  soon as it grows past its declared size. When this returns, every member is known to be what
  its headers claim, so calamine (which trusts those headers) only ever sees honest sizes.
* XML from outside the office may carry a DOCTYPE with entity definitions (billion laughs,
  external entities). Any declaration in any XML member refuses the file; what is parsed here is
  parsed with defusedxml only.
* Nothing in a file is ever run: macro workbooks are refused outright, whatever their name.
  What reaches outside an .xlsx (an ``xl/externalLinks/`` part, a formula reading ``[1]Sheet1!A1``
  or a path, a DDE formula ``cmd|'/C calc'!A0``, a ``file://`` hyperlink, an external
  relationship) is noted while the parts stream past (``Package.outside``) and becomes a warning;
  it is never followed, and nothing of it is ever written out: what we write is rebuilt from
  values.
* calamine (Rust) sizes some allocations by numbers in the file and aborts the whole process,
  uncatchably, when one fails: a shared-string count (``uniqueCount="400000000"`` asks for
  9.6 GB), the rectangle between a sheet's first and last cell (A1 and XFD1048576: 550 GB), an
  .ods repeat count, an .xls sector chain or DIMENSIONS record. Those numbers are checked here
  first, format by format, so a Package is safe to read whole (``Limits.max_sheet_cells``).

The same pass yields what the reader needs first: the kind, the sheet names and the workbook-level
single-cell defined names, so cells are found by name (DESIGN §4) without a second parse. On the
~30 KB template the zip checks and the workbook.xml parse take ~0.6 ms and the sheet-extent scan
~0.3 ms, on top of calamine's own 0.25 ms open.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from itertools import pairwise
from operator import itemgetter
from pathlib import Path
from typing import Literal

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    WorkbookClosed,
    WorksheetNotFound,
    XmlError,
    ZipError,
)
from xlsxwriter.utility import xl_col_to_name

__all__ = [
    "DEFAULT_LIMITS",
    "MESSAGES",
    "Kind",
    "Limits",
    "Package",
    "Unusable",
    "calamine_errors",
    "open_calamine",
    "open_package",
    "read_original",
    "zip_members",
]

Kind = Literal["xlsx", "xls", "xlsb", "ods"]

_SAVE_AS_XLSX = 'chọn Tệp › Lưu thành (File › Save As), kiểu tệp "Excel Workbook (*.xlsx)"'

#: code → message template: ``{file}`` the file's name, ``{detail}`` " (…)" or "", ``{save_as}`` how to re-save.
MESSAGES: dict[str, str] = {
    "file-not-found": 'Không tìm thấy tệp "{file}"{detail}. Hãy kiểm tra lại thư mục nhận, hoặc lưu lại tệp '
                      "đính kèm từ thư điện tử rồi thử lại.",
    "empty-file": 'Tệp "{file}" không có dữ liệu{detail}. Đơn vị cần điền số liệu vào biểu mẫu đã phát và gửi lại.',
    "file-too-large": 'Tệp "{file}" quá lớn{detail}. Biểu mẫu đã điền chỉ khoảng vài chục KB; đơn vị hãy xoá hình '
                      "ảnh hoặc dữ liệu dán thêm vào biểu mẫu, lưu lại và gửi lại.",
    "not-a-workbook": 'Tệp "{file}" không phải bảng tính Excel{detail}. Đơn vị cần gửi lại đúng biểu mẫu Excel '
                      "(.xlsx) đã phát, đã điền số liệu.",
    "corrupt-file": 'Tệp "{file}" bị hỏng, không đọc được{detail}. Đơn vị hãy mở tệp bằng Excel để kiểm tra, '
                    "lưu lại rồi gửi lại; nếu Excel cũng báo lỗi, hãy gửi lại từ bản đã lưu trên máy.",
    "zip-bomb": 'Tệp "{file}" có cấu trúc nén bất thường{detail} nên đã bị từ chối để bảo vệ máy tính. Đơn vị '
                "hãy mở biểu mẫu bằng Excel, {save_as}, rồi gửi lại.",
    "xml-bomb": 'Tệp "{file}" chứa khai báo XML không được phép{detail} nên đã bị từ chối để bảo vệ máy tính. '
                "Đơn vị hãy mở biểu mẫu bằng Excel, {save_as}, rồi gửi lại.",
    "password-protected": 'Tệp "{file}" được đặt mật khẩu nên không đọc được{detail}. Đơn vị hãy gỡ mật khẩu mở '
                          "tệp (Excel: Tệp › Thông tin › Bảo vệ Sổ làm việc › Mã hóa bằng Mật khẩu, xoá mật khẩu "
                          "rồi bấm OK), lưu lại và gửi lại.",
    "macro-workbook": 'Tệp "{file}" là sổ làm việc có macro{detail}; phần mềm không mở tệp có macro để không chạy '
                      "mã lạ. Đơn vị hãy mở tệp bằng Excel, {save_as}, rồi gửi lại tệp .xlsx.",
    "unsupported-format": 'Tệp "{file}" có định dạng phần mềm không đọc được{detail}. Đơn vị hãy mở tệp, '
                          "{save_as}, rồi gửi lại.",
    "layout-unrecognised": 'Tệp "{file}" là bảng tính nhưng không phải biểu mẫu đã phát{detail}: không tìm thấy tên ô '
                           "hay mã chỉ số của biểu mẫu. Đơn vị hãy điền số liệu vào đúng biểu mẫu đã phát và gửi "
                           "lại tệp đó.",
    "not-a-regular-file": 'Bỏ qua "{file}": không phải tệp thông thường{detail}. Chỉ nhận tệp bảng tính lưu trên máy; '
                          "hãy chép tệp đính kèm vào thư mục nhận rồi thử lại.",
    "mail-without-workbook": 'Thư "{file}"{detail} không có biểu mẫu Excel đính kèm, nên không có gì để tiếp '
                             "nhận. Hãy xem thư; nếu đơn vị quên đính kèm, đề nghị đơn vị gửi lại thư có tệp "
                             "biểu mẫu đã điền.",
    "mail-unreadable": 'Không đọc được thư "{file}"{detail}. Hãy mở thư bằng chương trình thư điện tử, lưu riêng '
                       "tệp biểu mẫu đính kèm rồi tiếp nhận tệp đó.",
    "unreadable": 'Không đọc được tệp "{file}"{detail}. Đơn vị hãy mở tệp bằng Excel, {save_as}, rồi gửi lại; '
                  "nếu vẫn lỗi, hãy báo cho bộ phận tổng hợp.",
}  # fmt: skip


class Unusable(Exception):
    """A file that cannot be read at all: one clear Vietnamese message the unit can act on.

    The batch catches this per file and records the file as rejected, so one bad attachment
    never stops the others. ``args`` are the constructor's arguments, so it survives pickling
    (a batch may run in worker processes).
    """

    code: str  # stable kebab-case, a key of MESSAGES
    file: str  # the file's name as received
    detail: str  # what exactly was wrong, in Vietnamese ("" when the code says it all)
    message: str  # Vietnamese, names the file, says what to do
    #: the roster unit the file's hidden metadata or title line names, when it was read that far
    unit_code: str = ""

    def __init__(self, code: str, file: str, detail: str = "") -> None:
        super().__init__(code, file, detail)
        self.code = code
        self.file = file
        self.detail = detail
        self.message = MESSAGES[code].format(file=file, detail=f" ({detail})" if detail else "",
                                             save_as=_SAVE_AS_XLSX)  # fmt: skip

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class Limits:
    """How much a received file may make us read, decompress and hold; past these it is refused."""

    max_file_bytes: int = 20 * 1024 * 1024  # a filled template is ~40 KB; 20 MB allows pasted images
    max_total_uncompressed: int = 200 * 1024 * 1024
    max_member_uncompressed: int = 100 * 1024 * 1024
    max_ratio: int = 200  # per member, uncompressed/compressed, for members > 1 MB (XML is ~10-30:1)
    max_members: int = 2000
    #: rows × columns a sheet's data reaches (from A1): calamine allocates that whole rectangle when it
    #: reads the sheet, so two cells at A1 and XFD1048576 in a 5 KB file would ask for 550 GB
    max_sheet_cells: int = 2_000_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Package:
    """A received file that passed every safety check, with what the reader needs first."""

    file: str  # the name shown in messages (file name only)
    path: Path | None
    kind: Kind
    data: bytes = field(repr=False)  # the whole file, read once
    #: workbook-level single-cell names → (sheet name, "D12" without $); xlsx and ods; {} for xls/xlsb
    defined_names: dict[str, tuple[str, str]]
    sheet_names: tuple[str, ...]  # in workbook order, including hidden ones
    #: what reaches outside the file (never opened, run or copied): (sheet or part, "D12" or "", what)
    outside: tuple[tuple[str, str, str], ...] = ()


def open_package(source: Path | bytes, *, file: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Package:
    """Read ``source`` once, check it is a readable, harmless workbook, and describe it.

    Raises ``Unusable`` (and nothing else, whatever the bytes) when it is not. The file is only
    ever read.
    """
    path = None if isinstance(source, bytes | bytearray | memoryview) else Path(source)
    name = file or (path.name if path is not None else "tệp đính kèm")
    try:
        data = bytes(source) if path is None else read_original(path, file=name, limits=limits)
        if not data:
            raise Unusable("empty-file", name, "0 byte")
        if len(data) > limits.max_file_bytes:
            raise Unusable("file-too-large", name, f"{_mb(len(data))}, tối đa {_mb(limits.max_file_bytes)}")
        outside: tuple[tuple[str, str, str], ...] = ()
        if data.startswith(b"PK"):
            kind, names, sheets, outside = _open_zip(data, name, limits)
        elif data.startswith(_OLE_MAGIC):
            kind, names, sheets = _open_ole(data, name, limits)
        else:
            raise _not_a_workbook(data, name)
        return Package(name, path, kind, data, names, sheets, outside)
    except (Unusable, KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # a hostile file must end as Unusable, never as a crash
        raise Unusable("unreadable", name, f"lỗi {type(exc).__name__}") from exc


def open_calamine(pkg: Package) -> CalamineWorkbook:
    """calamine's workbook over ``pkg.data`` (from memory: the file is not opened twice).

    Only call this on a Package: calamine trusts a zip's declared sizes and would inflate a bomb.
    """
    with calamine_errors(pkg.file):
        workbook = CalamineWorkbook.from_filelike(BytesIO(pkg.data))
        if not workbook.sheet_names:
            workbook.close()
            raise Unusable("empty-file", pkg.file, "không có trang tính nào")
        return workbook


@contextmanager
def calamine_errors(file: str) -> Iterator[None]:
    """Turn whatever calamine raises about ``file`` into ``Unusable``.

    calamine reads sheets lazily, so a damaged sheet only shows when the reader asks for it; wrap
    those reads in this too. Asking for a sheet that does not exist (``WorksheetNotFound``) or a
    closed workbook is the caller's mistake, not the file's, and passes through unchanged. A Rust
    panic surfaces as ``pyo3_runtime.PanicException``, a ``BaseException``; it is caught as well.
    """
    try:
        yield
    except (Unusable, WorksheetNotFound, WorkbookClosed, KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except PasswordError as exc:
        raise Unusable("password-protected", file) from exc
    except (ZipError, XmlError) as exc:
        raise Unusable("corrupt-file", file, "nội dung bảng tính không hợp lệ") from exc
    except CalamineError as exc:
        raise Unusable("corrupt-file", file, "cấu trúc bảng tính không hợp lệ") from exc
    except BaseException as exc:  # e.g. a Rust panic: the batch goes on
        raise Unusable("unreadable", file, f"lỗi {type(exc).__name__}") from exc


# --- reading the bytes ------------------------------------------------------------------------


def read_original(path: Path, *, file: str | None = None, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a received file, or ``Unusable`` — decided before anything is read or copied.

    Only a regular file is read: a FIFO would block forever, ``/dev/zero`` never ends, and a
    symbolic link may point anywhere on the machine (``/etc/passwd``), so each is refused from its
    ``lstat`` alone, without opening it. The size is checked before reading, the file is opened
    without following a link and without blocking, checked again on the open descriptor (it may
    have been swapped meanwhile), and read in chunks against the size limit and ``READ_SECONDS``.
    """
    name = file or path.name
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise Unusable("file-not-found", name) from exc
    except OSError as exc:
        raise Unusable("unreadable", name, _os_reason(exc)) from exc
    _regular(info, name, limits)
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # became a link since the lstat
            raise Unusable("not-a-regular-file", name, "liên kết tượng trưng (symlink)") from exc
        raise Unusable("unreadable", name, _os_reason(exc)) from exc
    try:
        opened = os.fstat(fd)
        _regular(opened, name, limits)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise Unusable("not-a-regular-file", name, "tệp đã bị thay bằng tệp khác trong khi đọc")
        deadline = time.monotonic() + READ_SECONDS
        parts: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_READ_CHUNK, limits.max_file_bytes + 1 - total))
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
            if total > limits.max_file_bytes:  # grew while being read: never past the limit
                raise Unusable("file-too-large", name, f"hơn {_mb(limits.max_file_bytes)}")
            if time.monotonic() > deadline:
                raise Unusable("unreadable", name, f"đọc tệp quá {READ_SECONDS} giây; hãy chép tệp về máy rồi thử lại")
        return b"".join(parts)
    except BlockingIOError as exc:
        raise Unusable("not-a-regular-file", name, "tệp chưa sẵn sàng để đọc") from exc
    except OSError as exc:
        raise Unusable("unreadable", name, _os_reason(exc)) from exc
    finally:
        os.close(fd)


#: how long reading one file may take (a regular file of 20 MB reads in well under a second,
#: even from a network share); past it the file is refused and the batch goes on
READ_SECONDS = 30
_READ_CHUNK = 1024 * 1024
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)

#: what a file that is not a regular file is, for the message
_NOT_REGULAR = ((stat.S_ISLNK, "liên kết tượng trưng (symlink)"), (stat.S_ISFIFO, "đường ống FIFO"),
                (stat.S_ISCHR, "thiết bị ký tự"), (stat.S_ISBLK, "thiết bị khối"), (stat.S_ISSOCK, "socket"))  # fmt: skip


def _regular(info: os.stat_result, name: str, limits: Limits) -> None:
    """Refuse what is not a regular file, or is larger than the limit, from its stat alone."""
    if stat.S_ISDIR(info.st_mode):
        raise Unusable("file-not-found", name, "đây là một thư mục")
    if not stat.S_ISREG(info.st_mode):
        what = next((text for test, text in _NOT_REGULAR if test(info.st_mode)), "loại tệp đặc biệt")
        raise Unusable("not-a-regular-file", name, what)
    if info.st_size > limits.max_file_bytes:
        raise Unusable("file-too-large", name, f"{_mb(info.st_size)}, tối đa {_mb(limits.max_file_bytes)}")


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "không có quyền đọc tệp"
    return f"lỗi hệ thống: {exc.strerror or type(exc).__name__}"


def _mb(size: int) -> str:
    """``"25,3 MB"``: sizes as a Vietnamese reader writes them (decimal comma)."""
    text = f"{size / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} MB"


# --- files that are not a zip or an OLE compound file ------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "tệp PDF"),
    (b"\x89PNG", "tệp ảnh"),
    (b"\xff\xd8\xff", "tệp ảnh"),
    (b"GIF8", "tệp ảnh"),
    (b"II*\x00", "tệp ảnh"),
    (b"MM\x00*", "tệp ảnh"),
    (b"Rar!", "tệp nén RAR"),
    (b"7z\xbc\xaf\x27\x1c", "tệp nén 7z"),
    (b"\x1f\x8b", "tệp nén gzip"),
    (b"{\\rtf", "văn bản RTF"),
)
_HTML_MARKS = ("<html", "<!doctype html", "<table", "<head", "<body", "mime-version:")


def _not_a_workbook(data: bytes, name: str) -> Unusable:
    """Say what the file is instead, from its first bytes (a name ending in .xls proves nothing)."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return Unusable("not-a-workbook", name, what)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Unusable("not-a-workbook", name, "tệp ảnh")
    head = _text_head(data)
    if head is None:
        return Unusable("not-a-workbook", name, "không rõ định dạng")
    if "urn:schemas-microsoft-com:office:spreadsheet" in head or 'progid="excel.sheet"' in head:
        return Unusable("unsupported-format", name, "bảng tính XML của Excel 2003")
    if "<office:document" in head:
        return Unusable("unsupported-format", name, "bảng tính OpenDocument dạng XML phẳng (.fods)")
    if head.startswith("id;p"):
        return Unusable("unsupported-format", name, "bảng tính SYLK")
    if any(mark in head for mark in _HTML_MARKS):
        return Unusable("not-a-workbook", name, "trang web HTML, dù có tên .xls")
    if head.startswith("<?xml"):
        return Unusable("not-a-workbook", name, "tệp XML")
    return Unusable("not-a-workbook", name, "văn bản thuần hoặc CSV")


def _text_head(data: bytes) -> str | None:
    """The first few KB as lower-case text, or None when they look binary."""
    head = data[:4096]
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="replace").lstrip().lower()
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls > len(head) // 100:
        return None
    return head.decode("utf-8", errors="replace").lstrip().lower()


# --- OLE compound files (.xls, and Office files encrypted with a password) ----------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _entry(name: str) -> bytes:
    """A directory entry's name as it is stored in an OLE file: UTF-16LE, NUL-terminated."""
    return (name + "\x00").encode("utf-16-le")


def _open_ole(data: bytes, name: str, limits: Limits) -> tuple[Kind, dict[str, tuple[str, str]], tuple[str, ...]]:
    """Tell an .xls from an encrypted .xlsx and from other Office files by their stream names.

    Excel encrypts a workbook that has an open password into an OLE file holding
    ``EncryptionInfo`` and ``EncryptedPackage``, whatever the extension. Word and PowerPoint files
    are checked before ``Workbook``, since they can embed a spreadsheet stream. An .xls is then
    walked (``_xls_cells``) before calamine may open it: calamine parses every sheet on open.
    """
    if _entry("EncryptionInfo") in data or _entry("EncryptedPackage") in data:
        raise Unusable("password-protected", name)
    if _entry("WordDocument") in data:
        raise Unusable("not-a-workbook", name, "tài liệu Word")
    if _entry("PowerPoint Document") in data:
        raise Unusable("not-a-workbook", name, "bản trình chiếu PowerPoint")
    if _entry("Workbook") not in data and _entry("Book") not in data:
        raise Unusable("not-a-workbook", name, "tệp Office không phải bảng tính")
    if _entry("_VBA_PROJECT_CUR") in data:
        raise Unusable("macro-workbook", name, "tệp .xls có macro")
    has_cells = _xls_cells(_cfb_workbook_stream(data, name), name, limits)
    return "xls", {}, _calamine_sheets(data, name, has_cells)


def _calamine_sheets(data: bytes, name: str, has_cells: bool) -> tuple[str, ...]:
    """Sheet names of a binary workbook (.xls, .xlsb), which only calamine can list.

    Called only once the file's structure has been walked and bounded. Opening it here also
    surfaces a password or damage now, in one place, rather than later.
    """
    with calamine_errors(name):
        with CalamineWorkbook.from_filelike(BytesIO(data)) as workbook:
            sheets = tuple(workbook.sheet_names)
    if not sheets:
        raise Unusable("empty-file", name, "không có trang tính nào")
    if not has_cells:
        raise Unusable("empty-file", name, "không có ô nào có dữ liệu")
    return sheets


# --- how far a sheet's cells reach (calamine allocates the whole rectangle) -----------------------


def _column_number(letters: str | bytes) -> int:
    """A column's number (1-based) from its letters, however many a hostile file writes.

    Not XlsxWriter's converter (``xl_cell_to_rowcol``, used everywhere else): that one accepts at
    most three letters and answers A1 with a warning beyond them, while this one must see how far
    a sheet really reaches before anything is allocated for it."""
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.upper().decode("ascii"):
        number = number * 26 + ord(letter) - 64
    return number


def _check_reach(rows: int, columns: int, sheet: str, file: str, limits: Limits) -> None:
    """Refuse a sheet whose cells reach ``rows`` × ``columns`` (1-based, counted from A1) past the limit."""
    if rows * columns > limits.max_sheet_cells:
        corner = f"{xl_col_to_name(columns - 1)}{rows}" if columns <= 16384 and rows <= 1 << 20 else "rất xa"
        limit = f"{limits.max_sheet_cells:,}".replace(",", ".")
        raise Unusable("file-too-large", file, f"trang tính {sheet} có dữ liệu tới ô {corner}, quá {limit} ô")


# --- .xls: the OLE container and the BIFF records, walked before calamine opens them ----------------

_ENDOFCHAIN = 0xFFFFFFFE
_DIFSECT = 0xFFFFFFFC
_MAXREGSECT = 0xFFFFFFFA
_MINI_SECTOR = 64
_BIFF_CELLS = frozenset({0x0006, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E})  # each starts (row, col)


def _cfb_workbook_stream(data: bytes, file: str) -> bytes:
    """The Workbook (or Book) stream of an .xls, checking what calamine trusts on the way.

    calamine sizes allocations by the header's counts and by directory entries' stream sizes, and
    follows sector chains without a bound; a far sector number makes it grow a buffer to that
    offset. So every count is checked against the file's size, and every chain calamine follows
    is walked here first: in range, no cycles. (calamine reads its DIFAT length from header bytes
    62-65, which overlap other fields; that value is bounded too.)
    """

    def bad(why: str = "cấu trúc tệp .xls không hợp lệ") -> Unusable:
        return Unusable("corrupt-file", file, why)

    if len(data) < 512:
        raise bad()
    shift, mini_shift = struct.unpack_from("<2H", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise bad()
    size = 1 << shift
    sectors = -(-len(data) // size) - 1  # sector i starts at (i + 1) * size; the last may be short
    dir_len, fat_len, dir_start = struct.unpack_from("<3L", data, 0x28)
    mini_fat_start, mini_fat_len, difat_start, difat_len = struct.unpack_from("<4L", data, 0x3C)
    (calamine_difat_len,) = struct.unpack_from("<L", data, 62)
    if max(dir_len, fat_len, mini_fat_len, difat_len) > sectors or calamine_difat_len > 1 << 22:
        raise bad()

    def sector(index: int) -> bytes:
        return data[(index + 1) * size : (index + 2) * size]

    def words(raw: bytes) -> list[int]:
        return list(struct.unpack_from(f"<{len(raw) // 4}L", raw))

    difat = words(data[0x4C:0x200])
    next_id, steps = difat_start, 0
    while next_id < _MAXREGSECT:  # as calamine walks it: the last word of each DIFAT sector is the next one
        steps += 1
        if next_id >= sectors or steps > sectors:
            raise bad()
        difat.extend(words(sector(next_id)))
        next_id = difat.pop()
    fat_sectors = [i for i in difat if i < _DIFSECT]
    if len(fat_sectors) > sectors or any(i >= sectors for i in fat_sectors):
        raise bad()
    fat = words(b"".join(sector(i) for i in fat_sectors))

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        ids: list[int] = []
        while start != _ENDOFCHAIN:
            if start >= len(table) or start >= limit or len(ids) >= limit:
                raise bad()
            ids.append(start)
            start = table[start]
        return ids

    directory = b"".join(sector(i) for i in chain(dir_start, fat, sectors))
    entries = []
    for offset in range(0, len(directory) - 127, 128):
        raw = directory[offset : offset + 128]
        entry_name = raw[:64].decode("utf-16-le", errors="replace").split("\x00", 1)[0]
        start = struct.unpack_from("<L", raw, 116)[0]
        length = struct.unpack_from("<L" if size == 512 else "<Q", raw, 120)[0]
        entries.append((entry_name, start, length))
    if not entries or any(length > len(data) for _, _, length in entries):
        raise bad()
    mini_stream, mini_fat = b"", []
    if mini_fat_len:
        _, root_start, root_length = entries[0]
        mini_stream = b"".join(sector(i) for i in chain(root_start, fat, sectors))[:root_length]
        mini_fat = words(b"".join(sector(i) for i in chain(mini_fat_start, fat, sectors)))
    for wanted in ("Workbook", "Book"):  # calamine takes the first entry of that name
        found = next(((start, length) for entry_name, start, length in entries if entry_name == wanted), None)
        if found is None:
            continue
        start, length = found
        if length < 4096:
            minis = -(-len(mini_stream) // _MINI_SECTOR)
            ids = chain(start, mini_fat, minis)
            return b"".join(mini_stream[i * _MINI_SECTOR : (i + 1) * _MINI_SECTOR] for i in ids)[:length]
        return b"".join(sector(i) for i in chain(start, fat, sectors))[:length]
    raise bad()


def _biff_records(stream: bytes, start: int) -> Iterator[tuple[int, bytes]]:
    """(type, body) of the BIFF records from ``start`` to the end of the substream (EOF record)."""
    pos = start
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<2H", stream, pos)
        body = stream[pos + 4 : pos + 4 + length]
        pos += 4 + length
        yield kind, body
        if kind == 0x000A:  # EOF
            return


def _biff_sheet_name(body: bytes, number: int) -> str:
    """The name in a BoundSheet8 record (BIFF8: length, flags, Latin-1 or UTF-16), for messages."""
    if len(body) >= 8:
        length, wide = body[6], body[7] & 1
        raw = body[8 : 8 + length * (2 if wide else 1)]
        name = raw.decode("utf-16-le" if wide else "latin-1", errors="replace")
        if len(raw) == length * (2 if wide else 1) and name.isprintable():
            return name
    return f"thứ {number}"


def _xls_cells(stream: bytes, file: str, limits: Limits) -> bool:
    """Check what calamine will allocate for this workbook stream; True if any cell holds a value.

    calamine reserves the shared-string table's declared count, reserves each sheet's DIMENSIONS
    rows × columns (computed in 32 bits, so a reversed range wraps around), and lays every sheet's
    cells out as one rectangle. Each of those is bounded here.
    """
    sheets: list[tuple[int, str]] = []
    for kind, body in _biff_records(stream, 0):
        if kind == 0x00FC and len(body) >= 8:  # SST: calamine reserves its unique count
            (unique,) = struct.unpack_from("<l", body, 4)
            if unique > len(stream) // 3:  # every string takes at least 3 bytes
                raise Unusable("corrupt-file", file, "bảng chuỗi của tệp .xls khai báo sai số lượng")
        elif kind == 0x0085 and len(body) >= 4:  # BoundSheet8: where each sheet's records start
            sheets.append((struct.unpack_from("<L", body)[0], _biff_sheet_name(body, len(sheets) + 1)))
    has_cells = False
    for position, label in sheets:
        rows = columns = 0
        for kind, body in _biff_records(stream, position):
            if kind in _BIFF_CELLS and len(body) >= 4:
                row, col = struct.unpack_from("<2H", body)
                rows, columns, has_cells = max(rows, row + 1), max(columns, col + 1), True
            elif kind == 0x00BD and len(body) >= 6:  # MulRk: a run of cells in one row
                row, first = struct.unpack_from("<2H", body)
                (last,) = struct.unpack_from("<H", body, len(body) - 2)
                rows, columns, has_cells = max(rows, row + 1), max(columns, first + 1, last + 1), True
            elif kind == 0x0200 and len(body) in (10, 14):  # Dimensions: calamine reserves rows × columns
                first_row, last_row, first_col, last_col = struct.unpack_from(
                    "<4H" if len(body) == 10 else "<2L2H", body
                )
                if last_row and last_col:
                    height = (last_row - 1 - first_row + 1) % (1 << 32)
                    width = (last_col - 1 - first_col + 1) % (1 << 32)
                    _check_reach(height, width, label, file, limits)
        _check_reach(rows, columns, label, file, limits)
    return has_cells


# --- zip packages (.xlsx, .xlsb, .ods) ---------------------------------------------------------

_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_LOCAL = struct.Struct("<4s5H3L2H")
_STORED, _DEFLATED = 0, 8
_CHUNK = 256 * 1024  # inflate this much at a time: the most any member costs in memory at once
_LARGE_MEMBER = 1024 * 1024  # the ratio check applies above this size
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


@dataclass(slots=True)
class _Member:
    """One zip member as the central directory describes it (built once per member: kept cheap)."""

    name: str
    raw_name: bytes
    flags: int
    method: int
    crc: int
    compressed: int
    size: int
    offset: int  # of the local header
    start: int = 0  # of the data, once the local header is checked

    @property
    def stop(self) -> int:
        return self.start + self.compressed


def _open_zip(data: bytes, name: str, limits: Limits
              ) -> tuple[Kind, dict[str, tuple[str, str]], tuple[str, ...], tuple[tuple[str, str, str], ...]]:  # fmt: skip
    """Check a zip package from its directory to its last byte, and read its index on the way."""
    members = _central_directory(data, name, limits)
    by_name = {m.name: m for m in members}
    names = set(by_name)
    kind = _zip_kind(names, name)
    content_types = _FindWatch(_MACRO_TYPE)
    mimetype = _KeepWatch(len(_ODS_MIME))
    watches: dict[str, _Watch] = {"[Content_Types].xml": content_types}
    rels = _RelsIndex()
    external: dict[str, _ExternalRels] = {}  # relationship parts → their TargetMode="External" targets
    reaching: dict[str, _ReachWatch] = {}  # worksheet parts → formulas and hyperlinks reaching outside
    sheet_parts: dict[str, _SheetWatch] = {}
    binaries: dict[str, _KeepWatch] = {}
    index: _WorkbookIndex | _OdsIndex
    if kind == "ods":
        index = _OdsIndex()
        watches["content.xml"] = _XmlWatch(index, "content.xml", name)
        watches["mimetype"] = mimetype
    else:
        index = _WorkbookIndex()
        if kind == "xlsx":
            watches["xl/workbook.xml"] = _XmlWatch(index, "xl/workbook.xml", name)
            watches[_WORKBOOK_RELS] = _XmlWatch(rels, _WORKBOOK_RELS, name)
            sheet_parts = {m: _SheetWatch() for m in names if _SHEET_PART.fullmatch(m) and m.endswith(".xml")}
            for part in names:
                if part.lower().endswith("sharedstrings.xml"):
                    watches[part] = _XmlWatch(_SharedStringsHead(by_name[part].size, name), part, name)
                elif part.endswith(".rels") and part != _WORKBOOK_RELS:
                    external[part] = _ExternalRels()
                    watches[part] = _XmlWatch(external[part], part, name)
            reaching = {m: _ReachWatch() for m in sheet_parts}
        else:  # xlsb: calamine walks these records, sizing a buffer by each record's declared length
            binaries = {m: _KeepWatch(by_name[m].size) for m in names if _XLSB_RECORDS.fullmatch(m)}
        watches.update(sheet_parts)
        watches.update({m: _Both(sheet_parts[m], w) for m, w in reaching.items()})
        watches.update(binaries)
    view = memoryview(data)
    for member in members:
        _verify(view, member, name, watches.get(member.name))

    macro = _macro(names, content_types.found)
    if macro:
        raise Unusable("macro-workbook", name, macro)
    if kind == "xlsb":
        return kind, {}, _calamine_sheets(data, name, _xlsb_cells(binaries, name, limits)), ()
    if kind == "ods" and mimetype.data != _ODS_MIME:
        raise Unusable("not-a-workbook", name, "tài liệu OpenDocument không phải bảng tính")
    if not index.sheets:
        raise Unusable("empty-file", name, "không có trang tính nào")
    if isinstance(index, _OdsIndex):
        for sheet, (rows, columns) in zip(index.sheets, index.reach, strict=True):
            _check_reach(rows, columns, sheet, name, limits)
        has_cells = index.has_cells
    else:
        has_cells = False
        for sheet, path in _sheet_paths(index, rels, names, name):
            fast = sheet_parts.get(path)
            if fast is None:
                continue  # not a worksheet part (calamine refuses to read it as one)
            reach = _exact_reach(view, by_name[path], name) if fast.odd else fast
            _check_reach(reach.rows, reach.columns, sheet, name, limits)
            has_cells = has_cells or reach.cells
    if not has_cells:
        raise Unusable("empty-file", name, "không có ô nào có dữ liệu")
    outside: tuple[tuple[str, str, str], ...] = ()
    if isinstance(index, _WorkbookIndex):
        outside = _outside(names, external, reaching, _sheet_paths(index, rels, names, name))
    return kind, _single_cells(index, isinstance(index, _OdsIndex)), tuple(index.sheets), outside


def _xlsb_records(data: bytes, member: str, file: str) -> Iterator[tuple[int, bytes]]:
    """(type, body) of each BIFF12 record; a record longer than what is left refuses the file.

    calamine allocates a buffer of a record's declared length (up to 256 MB) before reading it.
    """
    pos, end = 0, len(data)
    while pos < end:
        first = data[pos]
        kind, pos = first & 0x7F, pos + 1
        if first & 0x80 and pos < end:
            kind, pos = kind + ((data[pos] & 0x7F) << 7), pos + 1
        length = 0
        for shift in range(0, 28, 7):
            if pos >= end:
                raise Unusable("corrupt-file", file, f"phần {member} bị cắt cụt")
            byte, pos = data[pos], pos + 1
            length += (byte & 0x7F) << shift
            if not byte & 0x80:
                break
        if pos + length > end:
            raise Unusable("corrupt-file", file, f"phần {member} có bản ghi dài hơn phần còn lại")
        yield kind, data[pos : pos + length]
        pos += length


_XLSB_VALUES = frozenset(range(0x0002, 0x000B))  # BrtCellRk … BrtFmlaBool: cells calamine keeps


def _xlsb_cells(binaries: dict[str, _KeepWatch], file: str, limits: Limits) -> bool:
    """Walk the .xlsb record parts calamine reads; bound each sheet's reach. True if any cell has a value.

    calamine takes a cell's row from the last row header (and stops at one past row 1,048,576)
    and its column from the cell record, a 32-bit number it does not check.
    """
    has_cells = False
    for member, keep in sorted(binaries.items()):
        records = _xlsb_records(keep.data, member, file)
        if not _SHEET_PART.fullmatch(member):
            for _ in records:
                pass
            continue
        rows = columns = row = 0
        for kind, body in records:
            if kind == 0x0000 and len(body) >= 4:  # BrtRowHdr
                (row,) = struct.unpack_from("<L", body)
                if row > 0x100000:
                    break
            elif kind in _XLSB_VALUES and len(body) >= 4:
                (col,) = struct.unpack_from("<L", body)
                rows, columns, has_cells = max(rows, row + 1), max(columns, col + 1), True
            elif kind == 0x0092:  # BrtEndSheetData
                break
        _check_reach(rows, columns, member.rpartition("/")[2], file, limits)
    return has_cells


_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_SHEET_PART = re.compile(r"xl/(?:worksheets|chartsheets|dialogsheets)/[^/]+")
_XLSB_RECORDS = re.compile(r"xl/(?:workbook|styles|sharedStrings|(?:worksheets|chartsheets|dialogsheets)/[^/]+)\.bin")


def _sheet_paths(index: _WorkbookIndex, rels: _RelsIndex, names: set[str], file: str) -> list[tuple[str, str]]:
    """(sheet, part) for every sheet of xl/workbook.xml, each part checked to be in the package.

    calamine lists a sheet whose part is missing and only fails when asked for it, which would
    look like the reader's mistake; a missing part is the file's. Paths resolve as calamine
    resolves them.
    """
    if _WORKBOOK_RELS not in names:
        raise Unusable("corrupt-file", file, f"thiếu phần {_WORKBOOK_RELS}")
    paths = []
    for sheet, rel_id in zip(index.sheets, index.sheet_ids, strict=True):
        target = rels.targets.get(rel_id)
        if target is None:
            raise Unusable("corrupt-file", file, f"trang tính {sheet} không có liên kết tới nội dung")
        path = target[1:] if target.startswith("/xl/") else target if target.startswith("xl/") else f"xl/{target}"
        if path not in names:
            raise Unusable("corrupt-file", file, f"thiếu nội dung trang tính {sheet} ({path})")
        paths.append((sheet, path))
    return paths


def _central_directory(data: bytes, name: str, limits: Limits) -> list[_Member]:
    """The zip's members, every size, offset and count checked against ``limits`` and the file.

    Nothing is decompressed yet: a zip bomb's declared sizes, an absurd member count or members
    overlapping each other (the "better zip bomb" trick) are refused from the headers alone.
    """
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - _EOCD.size - 0xFFFF))
    if eocd < 0 or eocd + _EOCD.size > len(data):
        raise Unusable("corrupt-file", name, "thiếu phần cuối của tệp nén, có thể tệp tải về chưa hết")
    _, disk, cd_disk, _, count, cd_size, cd_offset, _ = _EOCD.unpack_from(data, eocd)
    cd_limit = eocd
    if count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        count, cd_size, cd_offset, cd_limit = _zip64_directory(data, eocd, name)
    elif disk or cd_disk:
        raise Unusable("corrupt-file", name, "tệp nén bị chia thành nhiều phần")
    if count > limits.max_members:
        raise Unusable("zip-bomb", name, f"{count} phần, tối đa {limits.max_members}")
    if cd_offset + cd_size > cd_limit:
        raise Unusable("corrupt-file", name, "mục lục tệp nén không hợp lệ")

    members: list[_Member] = []
    seen: set[str] = set()
    total = 0
    pos, end = cd_offset, cd_offset + cd_size
    while pos < end:
        if len(members) >= count or pos + _CENTRAL.size > end:
            raise Unusable("corrupt-file", name, "mục lục tệp nén không hợp lệ")
        (sig, _, _, flags, method, _, _, crc, compressed, size, name_len, extra_len, comment_len, _, _, _,
         offset) = _CENTRAL.unpack_from(data, pos)  # fmt: skip
        raw_name = data[pos + _CENTRAL.size : pos + _CENTRAL.size + name_len]
        extra = data[pos + _CENTRAL.size + name_len : pos + _CENTRAL.size + name_len + extra_len]
        pos += _CENTRAL.size + name_len + extra_len + comment_len
        if sig != b"PK\x01\x02" or pos > end:
            raise Unusable("corrupt-file", name, "mục lục tệp nén không hợp lệ")
        if 0xFFFFFFFF in (compressed, size, offset):
            size, compressed, offset = _zip64_sizes(extra, size, compressed, offset, name)
        member_name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
        if flags & 0x1:
            raise Unusable("password-protected", name, "tệp nén có mật khẩu")
        if member_name in seen:
            raise Unusable("corrupt-file", name, f"phần {member_name} xuất hiện hai lần")
        seen.add(member_name)
        if size > limits.max_member_uncompressed:
            raise Unusable("zip-bomb", name, f"phần {member_name} khai báo {_mb(size)} khi giải nén, "
                                             f"tối đa {_mb(limits.max_member_uncompressed)}")  # fmt: skip
        if size > _LARGE_MEMBER and size > limits.max_ratio * max(compressed, 1):
            raise Unusable("zip-bomb", name, f"phần {member_name} nén với tỉ lệ {size // max(compressed, 1)}:1")
        total += size
        if total > limits.max_total_uncompressed:
            raise Unusable("zip-bomb", name, f"tổng dung lượng giải nén vượt {_mb(limits.max_total_uncompressed)}")
        if method not in (_STORED, _DEFLATED):
            raise Unusable("unsupported-format", name, f"phần {member_name} nén theo cách không thông dụng")
        members.append(_Member(member_name, raw_name, flags, method, crc, compressed, size, offset))
    if len(members) != count:
        raise Unusable("corrupt-file", name, "mục lục tệp nén không hợp lệ")
    return _locate(data, members, cd_offset, name)


def _zip64_directory(data: bytes, eocd: int, name: str) -> tuple[int, int, int, int]:
    """(count, size, offset, end limit) of a zip64 central directory, from its locator and record."""
    locator = eocd - _ZIP64_LOCATOR.size
    if locator < 0:
        raise Unusable("corrupt-file", name, "mục lục tệp nén không hợp lệ")
    sig, disk, record, _ = _ZIP64_LOCATOR.unpack_from(data, locator)
    if sig != b"PK\x06\x07" or disk or record + _ZIP64_EOCD.size > locator:
        raise Unusable("corrupt-file", name, "mục lục tệp nén không hợp lệ")
    sig, _, _, _, disk, cd_disk, _, count, cd_size, cd_offset = _ZIP64_EOCD.unpack_from(data, record)
    if sig != b"PK\x06\x06" or disk or cd_disk:
        raise Unusable("corrupt-file", name, "mục lục tệp nén không hợp lệ")
    return count, cd_size, cd_offset, record


def _zip64_sizes(extra: bytes, size: int, compressed: int, offset: int, name: str) -> tuple[int, int, int]:
    """The real (size, compressed, offset) from a zip64 extra field, for the fields that say 0xFFFFFFFF."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<2H", extra, pos)
        body = extra[pos + 4 : pos + 4 + length]
        pos += 4 + length
        if tag != 0x0001:
            continue
        values = list(struct.unpack_from(f"<{len(body) // 8}Q", body))
        fields = [size, compressed, offset]
        for i, value in enumerate(fields):
            if value == 0xFFFFFFFF:
                if not values:
                    break
                fields[i] = values.pop(0)
        else:
            return fields[0], fields[1], fields[2]
        break
    raise Unusable("corrupt-file", name, "mục lục tệp nén không hợp lệ")


def _locate(data: bytes, members: list[_Member], cd_offset: int, name: str) -> list[_Member]:
    """Members with their data offsets, after checking each local header against the directory."""
    for m in members:
        if m.offset + _LOCAL.size > cd_offset:
            raise Unusable("corrupt-file", name, f"phần {m.name} nằm ngoài tệp nén")
        sig, _, _, _, _, _, _, _, _, name_len, extra_len = _LOCAL.unpack_from(data, m.offset)
        start = m.offset + _LOCAL.size + name_len + extra_len
        if sig != b"PK\x03\x04" or data[m.offset + _LOCAL.size : m.offset + _LOCAL.size + name_len] != m.raw_name:
            raise Unusable("corrupt-file", name, f"phần {m.name} không khớp với mục lục tệp nén")
        if start + m.compressed > cd_offset:
            raise Unusable("corrupt-file", name, f"phần {m.name} nằm ngoài tệp nén")
        m.start = start
    ordered = sorted(members, key=lambda m: m.offset)
    for before, after in pairwise(ordered):
        if before.stop > after.offset:
            raise Unusable("zip-bomb", name, "các phần trong tệp nén chồng lên nhau")
    return members


def _zip_kind(names: set[str], name: str) -> Kind:
    """What the package is, from its member names (the extension is not looked at)."""
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "mimetype" in names and "content.xml" in names:
        return "ods"
    if "word/document.xml" in names:
        raise Unusable("not-a-workbook", name, "tài liệu Word")
    if "ppt/presentation.xml" in names:
        raise Unusable("not-a-workbook", name, "bản trình chiếu PowerPoint")
    if "Index/Document.iwa" in names or "Index.zip" in names:
        raise Unusable("unsupported-format", name, "bảng tính Numbers của Apple")
    if any(n.startswith("xl/") for n in names) or "[Content_Types].xml" in names:
        raise Unusable("corrupt-file", name, "thiếu phần xl/workbook.xml")
    if "mimetype" in names:
        raise Unusable("not-a-workbook", name, "tài liệu OpenDocument không phải bảng tính")
    if any(n.lower().endswith((".xlsx", ".xls", ".ods")) for n in names):
        raise Unusable("not-a-workbook", name, "tệp nén chứa bảng tính; hãy gửi thẳng tệp bảng tính, không nén")
    raise Unusable("not-a-workbook", name, "tệp nén ZIP")


#: .xlsm/.xltm/.xlam main parts, a VBA project, Excel 4 macro sheets. Not "macroEnabled" alone: every
#: .xlsb is "sheet.binary.macroEnabled.main" whether or not it holds macros.
_MACRO_TYPE = re.compile(rb"(?i)(?:sheet|template|addin)\.macroEnabled|vbaProject|macrosheet")


def _macro(names: set[str], macro_content_type: bool) -> str:
    """Why the package is a macro workbook ("" if it is not): VBA, Excel 4 macro sheets, Basic."""
    for member in names:
        lower = member.lower()
        if lower.rpartition("/")[2] == "vbaproject.bin":
            return f"có phần {member}"
        if lower.startswith(("xl/macrosheets/", "basic/", "scripts/")) and not lower.endswith("/"):
            return f"có phần {member}"
    if macro_content_type:
        return "kiểu tệp .xlsm/.xltm/.xlam"
    return ""


# --- inflating and watching members -------------------------------------------------------------


class _Watch:
    """Sees every inflated chunk of one member (with the previous chunk's tail in front)."""

    def feed(self, window: bytes, chunk: bytes) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class _FindWatch(_Watch):
    def __init__(self, pattern: re.Pattern[bytes]) -> None:
        self.pattern = pattern
        self.found = False

    def feed(self, window: bytes, chunk: bytes) -> None:
        if not self.found and self.pattern.search(window):
            self.found = True


class _KeepWatch(_Watch):
    """Keeps the first ``limit`` bytes of a member (its size, to keep it whole)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.kept = 0

    def feed(self, window: bytes, chunk: bytes) -> None:
        if self.kept < self.limit:
            self.parts.append(chunk[: self.limit - self.kept])
            self.kept += len(self.parts[-1])

    @property
    def data(self) -> bytes:
        return b"".join(self.parts)


#: ``<c r="B12"`` (group 1, 2), or any other start of a ``c`` element: no ``r``, ``r`` not first
_CELL_TAG = re.compile(rb'<c(?: r="([A-Z]{1,3})([0-9]{1,7})"|[\s/>])')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")


class _SheetWatch(_Watch):
    """How far a worksheet's cells reach, from its XML as it streams past, with two regexes.

    calamine places a cell at its ``r`` reference, or (without one) after the previous cell of
    its row, and allocates the rectangle from the first to the last cell holding something. Every
    writer puts ``r`` first on every cell, so the fast path only reads ``<c r="…"``: every cell
    counts, empty ones included (an over-estimate). A cell without ``r``, with ``r`` elsewhere or
    with a namespace prefix sends the sheet to the exact pass (``_SheetCells``). The text is cut
    before its last ``<``, so no tag is ever split between two scans.
    """

    def __init__(self) -> None:
        self.rows = 0
        self.letters: set[bytes] = set()
        self.cells = False
        self.odd = False
        self._pending = b""

    @property
    def columns(self) -> int:
        return max((_column_number(letters) for letters in self.letters), default=0)

    def feed(self, window: bytes, chunk: bytes) -> None:
        text = self._pending + chunk
        cut = text.rfind(b"<")
        if cut <= 0:
            cut = len(text) if cut < 0 else 0
        self._scan(text[:cut])
        self._pending = text[cut:]
        if len(self._pending) > 64:  # no other "<" follows: the tag start is all there is to see
            self._scan(self._pending)
            self._pending = b""

    def close(self) -> None:
        self._scan(self._pending)
        self._pending = b""

    def _scan(self, text: bytes) -> None:
        if self.odd or not text:
            return
        if _PREFIXED_CELL.search(text):
            self.odd = True
            return
        found = _CELL_TAG.findall(text)
        if not found:
            return
        if (b"", b"") in found:
            self.odd = True
            return
        self.cells = True
        self.letters.update(map(itemgetter(0), found))
        self.rows = max(self.rows, max(map(int, map(itemgetter(1), found))))


_TAIL = 16  # bytes of the previous chunk kept in front of the next, so no token is split unseen
_DECLARATION = re.compile(rb"<![A-Za-z]|<\x00!\x00[A-Za-z]")  # UTF-8, UTF-16LE and (shifted) UTF-16BE


def _verify(view: memoryview, member: _Member, name: str, watch: _Watch | None) -> None:
    """Inflate one member in bounded chunks: sizes, checksum and (for XML) declarations checked.

    ``<!DOCTYPE``, ``<!ENTITY`` and any other ``<!X`` declaration (in UTF-8 or UTF-16) refuses
    the file; comments (``<!--``) and CDATA (``<![``) are allowed.
    """
    is_xml = member.name.lower().endswith((".xml", ".rels", ".vml"))
    crc = 0
    tail = b""
    for chunk in _inflate(view, member, name):
        crc = zlib.crc32(chunk, crc)
        window = tail + chunk if tail else chunk
        if is_xml and _declares(window):
            raise Unusable("xml-bomb", name, f"<!DOCTYPE> hoặc <!ENTITY> trong phần {member.name}")
        if watch is not None:
            watch.feed(window, chunk)
        tail = window[-_TAIL:]
    if crc != member.crc:
        raise Unusable("corrupt-file", name, f"phần {member.name} sai mã kiểm tra")
    if watch is not None:
        watch.close()


def _declares(window: bytes) -> bool:
    """Whether ``window`` holds ``<!`` and a letter: a DTD declaration.

    Looks for the rare ``!`` (a memchr, ~1 µs per 100 KB) rather than for ``<!`` (~100 µs):
    this runs over every byte of every XML member.
    """
    bang = window.find(b"!")
    while bang >= 0:
        if bang and window[bang - 1] in (0x3C, 0x00) and _DECLARATION.search(window, max(bang - 2, 0), bang + 4):
            return True
        bang = window.find(b"!", bang + 1)
    return False


def _inflate(view: memoryview, member: _Member, name: str) -> Iterator[bytes]:
    """The member's content, at most ``_CHUNK`` bytes at a time, never more than it declares.

    A zip's headers can lie: the stream is inflated with ``max_length`` and stops the moment its
    output passes the declared size, so a 1 KB "sheet" that inflates to gigabytes costs one chunk.
    """
    data = view[member.start : member.stop]
    if member.method == _STORED:
        if member.compressed != member.size:
            raise Unusable("corrupt-file", name, f"phần {member.name} có kích thước không khớp")
        for pos in range(0, member.size, _CHUNK):
            yield bytes(data[pos : pos + _CHUNK])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    pos = 0
    pending = b""
    try:
        while not inflater.eof:
            if not pending:
                if pos >= len(data):
                    raise Unusable("corrupt-file", name, f"phần {member.name} bị cắt cụt")
                pending = data[pos : pos + _CHUNK].tobytes()
                pos += _CHUNK
            out = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            produced += len(out)
            if produced > member.size:
                raise Unusable("zip-bomb", name, f"phần {member.name} giải nén ra nhiều hơn kích thước khai báo")
            if out:
                yield out
    except zlib.error as exc:
        raise Unusable("corrupt-file", name, f"phần {member.name} bị hỏng") from exc
    if produced != member.size:
        raise Unusable("corrupt-file", name, f"phần {member.name} có kích thước không khớp")


# --- what reaches outside the file: external links, DDE, file:// hyperlinks ---------------------

#: a formula that reads another workbook ([1]Sheet1!A1, 'C:\\x\\[a.xlsx]S'!A1), starts a program
#: through DDE (cmd|'/C calc'!A0) or calls out (WEBSERVICE, CALL, REGISTER)
_OUTSIDE_FORMULA = (
    (re.compile(r"\[\d+\]"), "công thức đọc số liệu từ sổ làm việc khác"),
    (
        re.compile(r"\[[^\]]*\.(?:xl|od)[a-z]*\]|[A-Za-z]:\\|\\\\|file:|https?://", re.I),
        "công thức trỏ tới tệp bên ngoài",
    ),
    (re.compile(r"[A-Za-z][\w.]*\|\s*'?[^!']*'?\s*!"), "công thức DDE gọi chương trình khác"),
    (re.compile(r"\b(?:WEBSERVICE|CALL|REGISTER(?:\.ID)?|EXEC|FILTERXML)\s*\(", re.I), "công thức gọi ra ngoài"),
)
_CELL_XML = re.compile(rb"<c\b((?:[^>/]|/(?!>))*)>(.*?)</c>", re.S)  # not <c …/>, which holds nothing
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
_FORMULA_XML = re.compile(rb"<f\b[^>]*>([^<]*)</f>")
_HYPERLINK_XML = re.compile(rb"<hyperlink\b([^>]*)/?>")
_RID = re.compile(rb'\br:id="([^"]+)"')
_XML_ESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))
_SAFE_LINK = re.compile(r"(?:https?|mailto):", re.I)  # a web or mail hyperlink opens nothing local


class _ReachWatch(_Watch):
    """Formulas and hyperlinks of a worksheet that reach outside, from its XML as it streams past.

    The text is cut before its last ``<c`` so every cell is scanned whole; only cells holding a
    formula are looked at (the template's own formulas are sums of its own cells).
    """

    _LIMIT = 1 << 20  # a cell's XML is never this long (Excel keeps 32,767 characters a cell)

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []  # (cell, what)
        self.links: list[tuple[str, str]] = []  # (cell, relationship id) of hyperlinks
        self._pending = b""

    def feed(self, window: bytes, chunk: bytes) -> None:
        text = self._pending + chunk
        cut = text.rfind(b"<c")
        if cut <= 0 or len(text) - cut > self._LIMIT:
            cut = len(text)
        self._scan(text[:cut])
        self._pending = text[cut:]

    def close(self) -> None:
        self._scan(self._pending)
        self._pending = b""

    def _scan(self, text: bytes) -> None:
        if b"<f" in text:
            for attributes, body in _CELL_XML.findall(text):
                formula = _FORMULA_XML.search(body)
                if formula is None or not formula[1]:
                    continue
                ref = _CELL_REF.search(attributes)
                source = formula[1].decode("utf-8", "replace")
                for old, new in _XML_ESCAPES:
                    source = source.replace(old, new)
                what = next((w for pattern, w in _OUTSIDE_FORMULA if pattern.search(source)), "")
                if what:
                    shown = source if len(source) <= 60 else source[:57] + "…"
                    self.found.append((ref[1].decode() if ref else "", f"{what}: ={shown}"))
        if b"<hyperlink" in text:
            for attributes in _HYPERLINK_XML.findall(text):
                ref = re.search(rb'\bref="([A-Z0-9:]+)"', attributes)
                rid = _RID.search(attributes)
                if ref and rid:
                    self.links.append((ref[1].decode(), rid[1].decode()))


class _Both(_Watch):
    def __init__(self, first: _Watch, second: _Watch) -> None:
        self.first, self.second = first, second

    def feed(self, window: bytes, chunk: bytes) -> None:
        self.first.feed(window, chunk)
        self.second.feed(window, chunk)

    def close(self) -> None:
        self.first.close()
        self.second.close()


def _rels_of(part: str) -> str:
    """xl/worksheets/sheet4.xml → xl/worksheets/_rels/sheet4.xml.rels"""
    folder, _, leaf = part.rpartition("/")
    return f"{folder}/_rels/{leaf}.rels"


def _outside(names: set[str], external: dict[str, _ExternalRels], reaching: dict[str, _ReachWatch],
             sheets: list[tuple[str, str]]) -> tuple[tuple[str, str, str], ...]:  # fmt: skip
    """(sheet or part, cell or "", what) for everything in the package that points outside it."""
    out: list[tuple[str, str, str]] = []
    sheet_of = {part: sheet for sheet, part in sheets}
    for part in sorted(names):
        if part.startswith("xl/externalLinks/") and part.endswith(".xml"):
            targets = external.get(_rels_of(part))
            where = next(iter(targets.targets.values()))[1] if targets and targets.targets else ""
            out.append((part, "", "liên kết tới sổ làm việc khác" + (f" {where}" if where else "")))
        elif part == "xl/connections.xml":
            out.append((part, "", "kết nối dữ liệu bên ngoài"))
    for part in sorted(reaching):
        sheet = sheet_of.get(part, part)
        out += [(sheet, cell, what) for cell, what in reaching[part].found]
        rels = external.get(_rels_of(part))
        for cell, rid in reaching[part].links:
            kind, target = rels.targets.get(rid, ("", "")) if rels else ("", "")
            if target and not _SAFE_LINK.match(target):
                out.append((sheet, cell.split(":")[0], f"siêu liên kết tới {target[:80]}"))
    for part in sorted(external):
        if part.startswith("xl/externalLinks/") or part[: -len(".rels")].replace("_rels/", "") in reaching:
            continue  # said above, with the part or the cell
        for kind, target in external[part].targets.values():
            if kind != "hyperlink" or not _SAFE_LINK.match(target):
                out.append((part, "", f"liên kết ra ngoài ({kind}) tới {target[:80]}"))
    return tuple(out)


# --- the workbook's index: sheets and defined names (defusedxml, streamed) ----------------------


class _XmlWatch(_Watch):
    """Feeds a member to a defusedxml parser as it is inflated: the member is never held whole.

    defusedxml arms the expat parser it wraps (``.parser``, which defusedxml itself relies on)
    against DTDs, entities and external references. The index's callbacks are then set on that
    expat parser directly, skipping ElementTree's per-element Python wrappers and its default
    handler (only needed for entities, which cannot be declared here): each Python callback
    costs ~0.5 µs, and they are most of the cost of reading xl/workbook.xml, the one XML part
    every file needs parsed here. An undefined entity is still an expat error.
    """

    def __init__(self, index: _Index, member: str, file: str) -> None:
        self.member = member
        self.file = file
        self.done = False
        self.parser = DefusedXMLParser(target=index, forbid_dtd=True)
        expat = self.parser.parser
        expat.ordered_attributes = True  # attributes as [name, value, name, value, …]
        expat.StartElementHandler = index.start
        expat.EndElementHandler = index.end if index.wants_end else None
        expat.CharacterDataHandler = index.data
        expat.DefaultHandlerExpand = None

    def feed(self, window: bytes, chunk: bytes) -> None:
        if not self.done:
            self._guard(lambda: self.parser.feed(chunk))

    def close(self) -> None:
        if not self.done:
            self._guard(self.parser.close)

    def _guard(self, step: Callable[[], object]) -> None:
        try:
            step()
        except _Done:
            self.done = True
        except DefusedXmlException as exc:
            raise Unusable("xml-bomb", self.file, f"khai báo không được phép trong phần {self.member}") from exc
        except (ParseError, LookupError, UnicodeError) as exc:  # LookupError: an unknown encoding="…"
            raise Unusable("corrupt-file", self.file, f"phần {self.member} không đúng cú pháp XML") from exc


class _Done(Exception):
    """Raised by an index that has read all it needs: the rest of the member is not parsed."""


class _Index:
    """expat callbacks (``start`` and ``data`` always, ``end`` when ``wants_end``) and ``close``."""

    wants_end = False

    def start(self, tag: str, attributes: list[str]) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


class _SharedStringsHead(_Index):
    """The ``<sst uniqueCount>`` calamine reserves room for; refused past what the part can hold.

    A one-attribute edit (``uniqueCount="400000000"``) makes calamine ask for 9.6 GB on open. A
    shared string takes at least 5 bytes (``<si/>``). Only the root element is parsed.
    """

    def __init__(self, size: int, file: str) -> None:
        self.size = size
        self.file = file

    def start(self, tag: str, attributes: list[str]) -> None:
        declared = (_attribute(attributes, "uniqueCount") or "").lstrip("+")
        if declared.isdigit() and (len(declared) > 12 or int(declared) > self.size // 5 + 16):
            raise Unusable("corrupt-file", self.file, "bảng chuỗi dùng chung khai báo sai số lượng")
        raise _Done


class _SheetCells(_Index):
    """Exactly where calamine puts a worksheet's cells (the slow path for unusual XML).

    calamine: ``<row r>`` sets the row, the end of a row moves to the next one and back to column
    A; ``<c r>`` sets the cell and column, a cell without ``r`` takes the next column; a cell
    counts when it has a child element (its value). Prefixes are ignored, as calamine does.
    """

    wants_end = True

    def __init__(self) -> None:
        self.rows = self.columns = 0
        self.cells = False
        self._row = self._col = 0
        self._cell: tuple[int, int] | None = None

    def start(self, tag: str, attributes: list[str]) -> None:
        local = tag[tag.rfind("}") + 1 :]
        if self._cell is not None:  # the cell's first child: it holds something
            row, col = self._cell
            self.rows, self.columns, self.cells = max(self.rows, row + 1), max(self.columns, col + 1), True
            self._cell = None
        elif local == "c":
            position = _A1.fullmatch(_attribute(attributes, "r") or "")
            if position is not None:
                self._col = _column_number(position[1]) - 1
                self._cell = (int(position[2]) - 1 if len(position[2]) < 12 else 1 << 40, self._col)
            else:
                self._cell = (self._row, self._col)
        elif local == "row":
            number = _attribute(attributes, "r") or ""
            if number.isdigit():
                self._row = int(number) - 1 if len(number) < 12 else 1 << 40

    def end(self, tag: str) -> None:
        local = tag[tag.rfind("}") + 1 :]
        if local == "c":
            self._cell = None
            self._col += 1
        elif local == "row":
            self._row += 1
            self._col = 0


_A1 = re.compile(r"([A-Za-z]{1,12})([0-9]{1,40})")


def _exact_reach(view: memoryview, member: _Member, file: str) -> _SheetCells:
    """Inflate a worksheet again and follow calamine's placement of its cells exactly."""
    cells = _SheetCells()
    watch = _XmlWatch(cells, member.name, file)
    for chunk in _inflate(view, member, file):
        watch.feed(chunk, chunk)
    watch.close()
    return cells


def _attribute(attributes: list[str], name: str) -> str | None:
    """The value of ``name`` in expat's ordered attribute list, or None."""
    for i in range(0, len(attributes), 2):
        if attributes[i] == name:
            return attributes[i + 1]
    return None


class _WorkbookIndex(_Index):
    """expat callbacks for xl/workbook.xml: sheet names and workbook-level defined names, no tree.

    A ``definedName`` holds only text, so its text is complete when the next element starts or
    the document ends: no end-of-element callback is needed. Only the local part of tags is
    compared, so Strict OOXML (another namespace) reads the same.
    """

    def __init__(self) -> None:
        self.sheets: list[str] = []
        self.sheet_ids: list[str] = []  # each sheet's r:id in xl/_rels/workbook.xml.rels
        self.names: list[tuple[str, str]] = []
        self._name: str | None = None
        self._text = ""

    def start(self, tag: str, attributes: list[str]) -> None:
        if self._name is not None:
            self.names.append((self._name, self._text.strip()))
            self._name = None
        if tag.endswith("definedName"):
            if len(attributes) == 2 and attributes[0] == "name":  # how Excel and XlsxWriter write it
                name, scoped = attributes[1], False
            else:
                name, scoped = _attribute(attributes, "name") or "", _attribute(attributes, "localSheetId") is not None
            if not scoped and not name.startswith("_xlnm."):
                self._name = name
                self._text = ""
        elif tag.endswith("}sheet") or tag == "sheet":
            self.sheets.append(_attribute(attributes, "name") or "")
            ids = [attributes[i + 1] for i in range(0, len(attributes), 2) if attributes[i].endswith("}id")]
            self.sheet_ids.append(ids[0] if ids else "")

    def data(self, text: str) -> None:
        if self._name is not None:
            self._text += text

    def close(self) -> None:
        self.start("", [])


class _ExternalRels(_Index):
    """expat callbacks for a relationships part: Id → (Type's last word, Target) of external ones."""

    def __init__(self) -> None:
        self.targets: dict[str, tuple[str, str]] = {}

    def start(self, tag: str, attributes: list[str]) -> None:
        if tag.endswith("Relationship") and (_attribute(attributes, "TargetMode") or "").lower() == "external":
            kind = (_attribute(attributes, "Type") or "").rpartition("/")[2]
            self.targets[_attribute(attributes, "Id") or ""] = (kind, _attribute(attributes, "Target") or "")


class _RelsIndex(_Index):
    """expat callbacks for a relationships part: Id → Target."""

    def __init__(self) -> None:
        self.targets: dict[str, str] = {}

    def start(self, tag: str, attributes: list[str]) -> None:
        if tag.endswith("Relationship"):
            self.targets[_attribute(attributes, "Id") or ""] = _attribute(attributes, "Target") or ""


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0}"  # expat's "namespace}local" form
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT_P = "urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"


class _OdsIndex(_Index):
    """expat callbacks for an .ods content.xml: sheets, document-level named ranges, how far cells reach.

    Named ranges inside a ``table:table`` belong to that sheet (like Excel's localSheetId) and are
    skipped. calamine expands ``number-rows-repeated`` and ``number-columns-repeated`` of cells
    holding something (a value type or a paragraph), so a 1 KB file can ask for 100,000 × 1,000
    cells; the reach counts the repeats. Cell contents are never kept: a large sheet costs time,
    not memory.
    """

    wants_end = True

    def __init__(self) -> None:
        self.sheets: list[str] = []
        self.names: list[tuple[str, str]] = []
        self.reach: list[tuple[int, int]] = []  # per sheet: (rows, columns) from A1
        self.has_cells = False
        self._depth = 0
        self._row = self._col = 0
        self._row_repeat = self._col_repeat = 1
        self._in_cell = self._counted = False

    def start(self, tag: str, attributes: list[str]) -> None:
        if tag == _TABLE + "table":
            self._depth += 1
            if self._depth == 1:
                self.sheets.append(_attribute(attributes, _TABLE + "name") or "")
                self.reach.append((0, 0))
                self._row = 0
        elif self._depth != 1:
            if tag == _TABLE + "named-range" and self._depth == 0:
                name = _attribute(attributes, _TABLE + "name") or ""
                self.names.append((name, _attribute(attributes, _TABLE + "cell-range-address") or ""))
        elif tag == _TABLE + "table-row":
            self._row_repeat = _repeat(_attribute(attributes, _TABLE + "number-rows-repeated"))
            self._col = 0
        elif tag in _ODS_CELLS:
            self._col_repeat = _repeat(_attribute(attributes, _TABLE + "number-columns-repeated"))
            self._in_cell, self._counted = True, False
            if _attribute(attributes, _OFFICE + "value-type") is not None:
                self._count()
        elif tag == _TEXT_P and self._in_cell and not self._counted:
            self._count()

    def _count(self) -> None:
        rows, columns = self.reach[-1]
        self.reach[-1] = (max(rows, self._row + self._row_repeat), max(columns, self._col + self._col_repeat))
        self.has_cells = self._counted = True

    def end(self, tag: str) -> None:
        if tag == _TABLE + "table":
            self._depth -= 1
        elif self._depth == 1:
            if tag in _ODS_CELLS:
                self._col += self._col_repeat
                self._in_cell = False
            elif tag == _TABLE + "table-row":
                self._row += self._row_repeat


_ODS_CELLS = frozenset({_TABLE + "table-cell", _TABLE + "covered-table-cell"})


def _repeat(value: str | None) -> int:
    """A repeat count as calamine would take it; absurd or unreadable ones count as huge."""
    if value is None:
        return 1
    return int(value) if value.isdigit() and len(value) < 12 else 1 << 40


_XLSX_CELL_REF = re.compile(r"=?(?:'((?:[^']+|'')+)'|([^'!:\s\[\]]+))!\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})")
_ODS_CELL_REF = re.compile(r"\$?(?:'((?:[^']+|'')+)'|([^'.:\s\[\]]+))\.\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})")
_MAX_COLUMN = "XFD"
_MAX_ROW = 1048576


def _single_cells(index: _WorkbookIndex | _OdsIndex, ods: bool) -> dict[str, tuple[str, str]]:
    """name → (sheet, "D12") for names that point at one cell of one sheet of this workbook.

    Ranges, formulas, constants, ``#REF!`` and references to other workbooks or missing sheets
    are dropped: the reader looks such an input up by its code anchor instead. Sheet names are
    matched ignoring case, as Excel does.
    """
    pattern = _ODS_CELL_REF if ods else _XLSX_CELL_REF
    folded = {s.casefold(): s for s in reversed(index.sheets)}
    sheets: dict[str, str | None] = {}  # the sheet as written in the reference → the workbook's sheet
    out: dict[str, tuple[str, str]] = {}
    for name, target in index.names:
        match = pattern.fullmatch(target)
        if match is None or not name or name in out:
            continue
        quoted, plain, letters, digits = match.groups()
        written = quoted or plain
        if written not in sheets:
            ref = quoted.replace("''", "'") if quoted else plain
            sheets[written] = ref if ref in index.sheets else folded.get(ref.casefold())
        sheet = sheets[written]
        letters = letters.upper()
        if sheet is None or (len(letters) == 3 and letters > _MAX_COLUMN) or int(digits) > _MAX_ROW:
            continue
        out[name] = (sheet, letters + digits)
    return out


# --- a plain zip archive (a unit's .zip holding its workbook) ------------------------------------


def zip_members(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[tuple[str, bytes]]:
    """(member path, content) of each file in a plain ``.zip``, under the same limits as a workbook's zip.

    Raises ``Unusable`` like ``open_package`` does: declared sizes, member count, overlapping
    members, ratio and checksum are checked from the headers and while inflating, so a zip bomb
    costs one chunk. Member paths are only ever names here: nothing is written to disk by them.
    """
    try:
        members = _central_directory(data, name, limits)
    except Unusable:
        raise
    except Exception as exc:
        raise Unusable("corrupt-file", name, f"lỗi {type(exc).__name__}") from exc
    view = memoryview(data)
    for member in members:
        if member.name.endswith("/"):
            continue
        content = b"".join(_inflate(view, member, name))
        if zlib.crc32(content) != member.crc:
            raise Unusable("corrupt-file", name, f"phần {member.name} sai mã kiểm tra")
        yield member.name, content
