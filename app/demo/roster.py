"""The sample roster: about 25 units of Sở Văn hóa và Thể thao TP. Hồ Chí Minh.

The names follow the kinds of public units the department really has (theatres, museums, the
library, sports centres, cinema, heritage boards, schools, publishing), so the demo looks like the
office's own list. Everything that identifies a person or a mailbox is invented: e-mail addresses
use the reserved ``.example`` domain (RFC 2606, never deliverable), contact names are made up and
phone numbers sit in one obviously fictitious block (``0900 000 0xx``). A unit whose name itself is
invented for the sample carries ``sample_note``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.workbook.filenames import safe_component

UnitKind = Literal["nha-hat", "bao-tang", "thu-vien", "the-thao", "dien-anh", "di-tich", "van-hoa", "dao-tao",
                   "xuat-ban"]  # fmt: skip

#: the roster CSV's headers, in the words a Vietnamese office uses (``read_roster`` recognises them)
CSV_HEADERS = ("Mã đơn vị", "Tên đơn vị", "Loại", "Thư điện tử", "Người liên hệ", "Điện thoại")
EMAIL_DOMAIN = "svhtt-demo.example"
#: what ``Loại`` says in the CSV for each kind
KIND_LABELS: dict[str, str] = {
    "nha-hat": "Nhà hát",
    "bao-tang": "Bảo tàng",
    "thu-vien": "Thư viện",
    "the-thao": "Thể dục thể thao",
    "dien-anh": "Điện ảnh",
    "di-tich": "Di tích",
    "van-hoa": "Văn hóa",
    "dao-tao": "Đào tạo",
    "xuat-ban": "Xuất bản",
}


@dataclass(frozen=True, slots=True)
class SampleUnit:
    """One unit of the sample roster; contact details are fictitious, see the module docstring."""

    code: str
    name: str
    kind: UnitKind
    email: str
    contact_name: str
    phone: str
    short: str  # how people abbreviate the unit in file names ("Nha hat Kich")
    sample_note: str = ""  # non-empty when the unit itself is invented for the sample

    @property
    def slug(self) -> str:
        """The short name as a file-name component: ``Nha-hat-Kich``."""
        return safe_component(self.short, 30)


_INVENTED = "đơn vị giả định cho dữ liệu mẫu"

# (name, kind, short name, mailbox, contact, invented?)
_UNITS: tuple[tuple[str, UnitKind, str, str, str, bool], ...] = (
    (
        "Nhà hát Giao hưởng Nhạc Vũ kịch Thành phố Hồ Chí Minh",
        "nha-hat",
        "Nha hat Giao huong",
        "hbso",
        "Nguyễn Thị Minh Thư",
        False,
    ),
    ("Nhà hát Kịch Thành phố Hồ Chí Minh", "nha-hat", "Nha hat Kich", "nhahatkich", "Trần Quốc Bảo", False),
    ("Nhà hát Nghệ thuật Phương Nam", "nha-hat", "Nha hat Phuong Nam", "phuongnam", "Lê Thị Thanh Hoà", False),
    ("Nhà hát Cải lương Trần Hữu Trang", "nha-hat", "Nha hat Tran Huu Trang", "tranhuutrang", "Phạm Văn Lộc", False),
    ("Nhà hát Ca múa nhạc Bông Sen", "nha-hat", "Nha hat Bong Sen", "bongsen", "Võ Thị Ngọc Hân", False),
    (
        "Bảo tàng Lịch sử Thành phố Hồ Chí Minh",
        "bao-tang",
        "Bao tang Lich su",
        "baotanglichsu",
        "Huỳnh Minh Khoa",
        False,
    ),
    (
        "Bảo tàng Mỹ thuật Thành phố Hồ Chí Minh",
        "bao-tang",
        "Bao tang My thuat",
        "baotangmythuat",
        "Đặng Thị Thuỷ Tiên",
        False,
    ),
    ("Bảo tàng Tôn Đức Thắng", "bao-tang", "Bao tang Ton Duc Thang", "tonducthang", "Bùi Văn Nghĩa", False),
    ("Bảo tàng Phụ nữ Nam Bộ", "bao-tang", "Bao tang Phu nu Nam Bo", "phununambo", "Ngô Thị Kim Oanh", False),
    ("Bảo tàng Chứng tích Chiến tranh", "bao-tang", "Bao tang Chung tich", "chungtich", "Đỗ Hữu Phước", False),
    ("Bảo tàng Thành phố Hồ Chí Minh", "bao-tang", "Bao tang Thanh pho", "baotangthanhpho", "Dương Thị Mỹ Linh", False),
    (
        "Thư viện Khoa học Tổng hợp Thành phố Hồ Chí Minh",
        "thu-vien",
        "Thu vien KHTH",
        "thuvienkhth",
        "Lý Thị Hồng Nhung",
        False,
    ),
    (
        "Trung tâm Huấn luyện và Thi đấu Thể dục Thể thao Thành phố",
        "the-thao",
        "TT Huan luyen Thi dau",
        "hltd",
        "Trịnh Văn Hùng",
        False,
    ),
    ("Trung tâm Thể dục Thể thao Thành Long", "the-thao", "TT TDTT Thanh Long", "thanhlong", "Mai Xuân Trường", False),
    ("Trung tâm Thể dục Thể thao Hoa Lư", "the-thao", "TT TDTT Hoa Lu", "hoalu", "Tạ Thị Bích Ngọc", False),
    ("Trung tâm Thể dục Thể thao Phú Thọ", "the-thao", "TT TDTT Phu Tho", "phutho", "Cao Minh Đức", False),
    (
        "Trung tâm Phát hành phim và Chiếu bóng Thành phố",
        "dien-anh",
        "TT Phat hanh phim",
        "phathanhphim",
        "Vương Thị Diệu Hiền",
        False,
    ),
    (
        "Trung tâm Tổ chức Biểu diễn và Điện ảnh Thành phố",
        "dien-anh",
        "TT Bieu dien Dien anh",
        "bieudien",
        "Hồ Thanh Tùng",
        False,
    ),
    ("Ban Quản lý Di tích Lịch sử - Văn hóa", "di-tich", "BQL Di tich", "bqldtich", "Châu Thị Thu Hà", False),
    (
        "Ban Quản lý Khu di tích lịch sử Địa đạo Củ Chi",
        "di-tich",
        "Dia dao Cu Chi",
        "diadaocuchi",
        "Lâm Văn Thịnh",
        False,
    ),
    ("Trung tâm Văn hóa Thành phố", "van-hoa", "TT Van hoa TP", "ttvanhoa", "Phan Thị Ánh Tuyết", False),
    (
        "Trường Cao đẳng Văn hóa Nghệ thuật Thành phố Hồ Chí Minh",
        "dao-tao",
        "CD Van hoa Nghe thuat",
        "cdvhnt",
        "Kiều Văn Quang",
        False,
    ),
    (
        "Trường Năng khiếu Nghiệp vụ Thể dục Thể thao Thành phố",
        "dao-tao",
        "Truong Nang khieu TDTT",
        "nangkhieu",
        "Tôn Nữ Bảo Châu",
        False,
    ),
    ("Trung tâm Thông tin và Xuất bản phẩm Văn hóa", "xuat-ban", "TT Xuat ban pham", "xuatban", "Lưu Hoàng Nam", True),
    ("Trung tâm Thể dục Thể thao Rạch Miễu", "the-thao", "TT TDTT Rach Mieu", "rachmieu", "Quách Thị Yến", True),
)

SAMPLE_UNITS: tuple[SampleUnit, ...] = tuple(
    SampleUnit(
        code=f"DV{n:02d}",
        name=name,
        kind=kind,
        email=f"vanphong.{mailbox}@{EMAIL_DOMAIN}",
        contact_name=contact,
        phone=f"0900 000 0{n:02d}",
        short=short,
        sample_note=_INVENTED if invented else "",
    )
    for n, (name, kind, short, mailbox, contact, invented) in enumerate(_UNITS, 1)
)


def write_roster_csv(path: Path, units: tuple[SampleUnit, ...] = SAMPLE_UNITS) -> Path:
    """Write the roster as an office keeps it: UTF-8 with a BOM (so Excel shows the accents), Vietnamese headers.

    The BOM matters: without it Excel on Vietnamese Windows opens the file as cp1258 and mangles
    every name, which is the first thing a user of the demo would see.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_HEADERS)
        for u in units:
            writer.writerow((u.code, u.name, KIND_LABELS[u.kind], u.email, u.contact_name, u.phone))
    return path


__all__ = ["CSV_HEADERS", "EMAIL_DOMAIN", "KIND_LABELS", "SAMPLE_UNITS", "SampleUnit", "UnitKind", "write_roster_csv"]
