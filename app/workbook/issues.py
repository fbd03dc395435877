"""What reading a returned workbook found, as data: one ``Issue`` per thing the unit can act on.

Validation never raises for bad content: every check yields issues, a file's issues travel with
its submission, and tests compare them flattened (``[("DV01", "D12", "part-exceeds-whole")]``).
Codes are stable kebab-case (the GUI filters on them, the workspace stores them); messages are
Vietnamese, built from one template per code so the same problem always reads the same way.
Exceptions are kept for failures of the program itself, and for a file that cannot be read at
all (``Unusable`` in ``app.workbook.package``), which becomes one ``Rejected`` entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scoring.findings import Severity

#: code → (severity, message template). Templates use the Issue's fields and ``extra`` keys.
CATALOG: dict[str, tuple[Severity, str]] = {
    # identification and the file as a whole
    "identified-by-header": (
        Severity.WARNING,
        "Không đọc được thông tin ẩn của biểu mẫu; đã nhận diện đơn vị theo tiêu đề trong bảng: {detail}.",
    ),
    "identified-by-file-name": (
        Severity.WARNING,
        "Không đọc được thông tin ẩn của biểu mẫu; đã nhận diện đơn vị theo tên tệp: {detail}.",
    ),
    "unit-unknown": (
        Severity.ERROR,
        "Không xác định được đơn vị gửi tệp này ({detail}). Kiểm tra danh sách đơn vị "
        "hoặc gửi lại đúng biểu mẫu đã phát.",
    ),
    "meta-header-mismatch": (
        Severity.WARNING,
        "Tệp được phát cho {detail}. Có thể đơn vị đã dùng lại biểu mẫu "
        "của đơn vị khác; hãy dùng đúng biểu mẫu của mình.",
    ),
    "wrong-period": (
        Severity.ERROR,
        "Tệp là biểu mẫu kỳ {value}, không phải kỳ {detail}. Đơn vị cần gửi lại biểu mẫu của kỳ {detail}.",
    ),
    "wrong-framework": (Severity.ERROR, 'Tệp là biểu mẫu của bộ chỉ số "{value}", không phải "{detail}".'),
    "framework-version-differs": (
        Severity.WARNING,
        "Biểu mẫu lập theo phiên bản {value} của bộ chỉ số; phiên bản "
        "hiện hành là {detail}. Số liệu vẫn được đọc theo tên ô.",
    ),
    "layout-changed": (
        Severity.INFO,
        "Bố cục biểu mẫu đã bị thay đổi (chèn dòng, di chuyển, đổi tên trang); "
        "số liệu được đọc theo tên ô nên không bị ảnh hưởng.",
    ),
    "read-by-anchor": (
        Severity.WARNING,
        "Tệp không còn tên ô của biểu mẫu; {detail} được tìm theo mã chỉ số và "
        "tên dòng trong bảng. Nên dùng đúng biểu mẫu đã phát.",
    ),
    "outside-link": (
        Severity.WARNING,
        "Tệp có liên kết ra ngoài ({detail}). Phần mềm không mở, không chạy và không "
        "chép liên kết này; chỉ đọc giá trị đã lưu trong ô. Đơn vị hãy xoá liên kết "
        "(Excel: Dữ liệu › Sửa liên kết › Ngắt liên kết), nhập trực tiếp số liệu, lưu lại "
        "và gửi lại.",
    ),
    "name-moved": (Severity.WARNING, "Tên ô {detail}. Tên ô trong tệp đã bị sửa; hãy dùng đúng biểu mẫu đã phát."),
    "cell-not-found": (
        Severity.ERROR,
        "Không tìm thấy ô nhập {detail} trong tệp (ô hoặc trang đã bị xoá, hoặc "
        "bố cục đã bị sửa). Hãy điền vào biểu mẫu đã phát.",
    ),
    "sender-not-registered": (
        Severity.WARNING,
        "Thư gửi từ địa chỉ {value}, không phải địa chỉ đã đăng ký của "
        "đơn vị ({detail}). Số liệu vẫn được tiếp nhận; hãy xác minh "
        "người gửi.",
    ),
    "duplicate-unit": (
        Severity.WARNING,
        "Đơn vị đã gửi nhiều tệp trong đợt này; dùng tệp mới nhất {detail}, tệp này được lưu làm bản cũ.",
    ),
    # values
    "value-converted": (Severity.INFO, 'Đã hiểu giá trị "{value}" là {detail}.'),
    "legacy-text-converted": (
        Severity.INFO,
        "Ô {sheet}!{cell} được gõ bằng {detail}. Đơn vị nên gõ bằng Unicode "
        "(Unikey: bảng mã Unicode, phông Times New Roman).",
    ),
    "wrong-type": (Severity.ERROR, 'Giá trị "{value}" không hợp lệ: cần {detail}.'),
    "out-of-range": (Severity.ERROR, 'Giá trị "{value}" ngoài phạm vi cho phép: {detail}.'),
    "implausible-value": (
        Severity.WARNING,
        'Giá trị "{value}" ở ô {sheet}!{cell} {detail}; có thể đã gõ thừa chữ số. Đơn vị hãy kiểm tra lại số liệu.',
    ),
    "required-missing": (Severity.ERROR, "Chưa nhập {detail} (bắt buộc)."),
    "evidence-missing": (Severity.WARNING, "Đã nhập số liệu {detail} nhưng chưa ghi tài liệu kiểm chứng."),
    # the evidence documents sent with the workbook (app.evidence.checks)
    "evidence-found": (Severity.INFO, "Đã tìm thấy tài liệu kiểm chứng {detail}."),
    "evidence-not-sent": (
        Severity.WARNING,
        "Tài liệu kiểm chứng {detail}. Đơn vị hãy gửi kèm văn bản này (PDF hoặc "
        "Word), hoặc sửa lại số, ký hiệu đã ghi.",
    ),
    "evidence-none-sent": (
        Severity.INFO,
        "Đơn vị chưa gửi kèm tài liệu kiểm chứng nào (PDF hoặc Word); các văn bản "
        "ghi trong biểu mẫu chưa được đối chiếu.",
    ),
    "evidence-after-period": (
        Severity.ERROR,
        "Tài liệu kiểm chứng {detail}: không dùng được làm kiểm chứng cho kỳ "
        "này. Đơn vị hãy kiểm tra lại ngày hoặc thay bằng văn bản trong kỳ.",
    ),
    "evidence-unsigned": (
        Severity.WARNING,
        "Tệp PDF {detail} không có chữ ký số. Văn bản hành chính cần gửi bản điện tử có chữ ký số.",
    ),
    "evidence-signature-broken": (
        Severity.ERROR,
        "Chữ ký số trên tệp {detail} không còn nguyên vẹn: nội dung đã bị "
        "sửa sau khi ký. Đơn vị hãy gửi lại bản gốc đã ký.",
    ),
    "evidence-signature-untrusted": (
        Severity.WARNING,
        "Chữ ký số trên tệp {detail} còn nguyên vẹn, nhưng chứng thư "
        "không thuộc các chứng thư gốc Văn phòng đã cung cấp.",
    ),
    "evidence-signature-intact": (
        Severity.INFO,
        "Chữ ký số trên tệp {detail} còn nguyên vẹn; chứng thư chưa được "
        "xác minh (chưa có chứng thư gốc trong thư mục chung-thu-goc của "
        "không gian làm việc).",
    ),
    "evidence-signature-verified": (
        Severity.INFO,
        "Chữ ký số trên tệp {detail} còn nguyên vẹn; chứng thư đã được xác minh theo chứng thư gốc Văn phòng cung cấp.",
    ),
    "head-confirmation-missing": (
        Severity.WARNING,
        "Báo cáo chưa có xác nhận của Thủ trưởng đơn vị: chưa ghi "
        "{detail} (CV 1690 mục 3). Đơn vị hãy ghi họ tên, chức vụ, ngày "
        "xác nhận của Thủ trưởng và gửi lại.",
    ),
    # judged by the scoring engine; the message is the engine's own (it names the figures)
    "missing-value": (Severity.WARNING, "{detail}"),
    "part-exceeds-whole": (Severity.ERROR, "{detail}"),
    "zero-denominator": (Severity.WARNING, "{detail}"),
    "na-without-explanation": (Severity.ERROR, "{detail}"),
    "na-not-allowed": (Severity.ERROR, "{detail}"),
    "not-applicable": (Severity.INFO, "{detail}"),
}


#: code → short Vietnamese label of the kind of issue, for every code a person may see in a table or
#: list (the report's "Mã lỗi", the audit, the desktop, the CLI): the codes of ``CATALOG``, of a file
#: that cannot be read (``app.workbook.package.MESSAGES``) and of the scoring engine's findings. The
#: code itself stays for machines (JSON, the workspace, filters).
LABELS: dict[str, str] = {
    # identification and the file as a whole
    "identified-by-header": "Nhận diện theo tiêu đề",
    "identified-by-file-name": "Nhận diện theo tên tệp",
    "unit-unknown": "Không rõ đơn vị",
    "meta-header-mismatch": "Biểu mẫu của đơn vị khác",
    "wrong-period": "Sai kỳ báo cáo",
    "wrong-framework": "Sai bộ chỉ số",
    "framework-version-differs": "Khác phiên bản bộ chỉ số",
    "layout-changed": "Bố cục bị thay đổi",
    "read-by-anchor": "Đọc theo mã chỉ số",
    "cell-not-found": "Không thấy ô nhập",
    "outside-link": "Liên kết ra ngoài",
    "name-moved": "Tên ô bị sửa",
    "duplicate-unit": "Nộp nhiều tệp",
    "sender-not-registered": "Người gửi lạ",
    # values
    "value-converted": "Đã chuyển đổi giá trị",
    "legacy-text-converted": "Chuyển từ bảng mã cũ",
    "wrong-type": "Sai kiểu giá trị",
    "out-of-range": "Ngoài phạm vi",
    "required-missing": "Thiếu thông tin bắt buộc",
    "evidence-missing": "Thiếu tài liệu kiểm chứng",
    "head-confirmation-missing": "Chưa có xác nhận của Thủ trưởng",
    "implausible-value": "Số liệu khó tin",
    "evidence-found": "Có tài liệu kiểm chứng",
    "evidence-not-sent": "Tài liệu chưa gửi kèm",
    "evidence-none-sent": "Chưa gửi tài liệu kèm",
    "evidence-after-period": "Tài liệu sau kỳ báo cáo",
    "evidence-unsigned": "PDF không có chữ ký số",
    "evidence-signature-broken": "Chữ ký số bị phá vỡ",
    "evidence-signature-untrusted": "Chứng thư không tin cậy",
    "evidence-signature-intact": "Chữ ký số nguyên vẹn",
    "evidence-signature-verified": "Chữ ký số đã xác minh",
    # the scoring engine's findings
    "missing-value": "Thiếu số liệu",
    "invalid-value": "Số liệu không hợp lệ",
    "part-exceeds-whole": "Số phần lớn hơn tổng",
    "zero-denominator": "Mẫu số bằng 0",
    "na-without-explanation": "Không áp dụng, thiếu giải trình",
    "na-not-allowed": "Không được chọn không áp dụng",
    "not-applicable": "Không áp dụng",
    "score-overridden": "Điểm do thẩm định",
    "min-max": "Chuẩn hoá theo nhóm",
    # a file that cannot be read at all
    "file-not-found": "Không thấy tệp",
    "empty-file": "Tệp rỗng",
    "file-too-large": "Tệp quá lớn",
    "not-a-workbook": "Không phải bảng tính",
    "corrupt-file": "Tệp bị hỏng",
    "zip-bomb": "Tệp nén bất thường",
    "xml-bomb": "XML không được phép",
    "password-protected": "Tệp có mật khẩu",
    "macro-workbook": "Tệp có macro",
    "unsupported-format": "Định dạng không hỗ trợ",
    "layout-unrecognised": "Không phải biểu mẫu đã phát",
    "unreadable": "Không đọc được tệp",
    "not-a-regular-file": "Không phải tệp thông thường",
    "mail-without-workbook": "Thư không có biểu mẫu",
    "mail-unreadable": "Không đọc được thư",
}  # fmt: skip


def label_vi(code: str) -> str:
    """The short Vietnamese label of an issue (or rejection) code; never the English code itself."""
    return LABELS.get(code, "Vấn đề khác")


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding about one file, located as precisely as the file allows."""

    code: str
    severity: Severity
    message: str
    file: str = ""  # the file's name as received
    sheet: str = ""
    cell: str = ""  # "D12" (no dollar signs); "" when the issue is about the whole file
    unit: str = ""  # unit code once identified
    indicator: str = ""  # indicator code or field name
    value: str = ""  # what the cell held, as text
    name: str = ""  # the template's defined name of the cell (how the feedback workbook finds it)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": str(self.severity), "file": self.file, "sheet": self.sheet,
                "cell": self.cell, "unit": self.unit, "indicator": self.indicator, "value": self.value,
                "name": self.name, "message": self.message}  # fmt: skip

    @property
    def where(self) -> str:
        """ "Chỉ số!D12" — what a person looks for in the workbook."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell


def show(value: Any) -> str:
    """A cell value as the unit would recognise it in a message."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 10**16:
        return f"{value:.6g}".replace(".", ",")  # 1e+20, not twenty-one digits (or 309 cut at 80)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def make_issue(code: str, *, file: str = "", sheet: str = "", cell: str = "", unit: str = "",
               indicator: str = "", value: Any = None, detail: str = "", name: str = "",
               severity: Severity | None = None) -> Issue:  # fmt: skip
    """An Issue whose message comes from the catalog template of ``code``."""
    default, template = CATALOG[code]
    seen = show(value)
    message = template.format(value=seen, detail=detail, indicator=indicator, cell=cell, sheet=sheet)
    return Issue(code, severity or default, message, file, sheet, cell.replace("$", ""), unit, indicator, seen, name)


def flatten(issues: Iterable[Issue], *, with_info: bool = False) -> list[tuple[str, str, str]]:
    """``[(unit, cell, code), …]`` in a stable order — the shape tests compare."""
    rows = {(i.unit, i.cell, i.code) for i in issues if with_info or i.severity is not Severity.INFO}
    return sorted(rows)


__all__ = ["CATALOG", "LABELS", "Issue", "Severity", "flatten", "label_vi", "make_issue", "show"]
