"""The written report as a Word document (CV 1690 mục 5.2(a), issue 19.2).

Why python-docx (MIT): the office edits and signs the report in Word, so it must be a real .docx,
and the library writes one without Word or LibreOffice. Layout of Nghị định 30/2020/NĐ-CP Phụ lục
I: A4, Times New Roman 13–14 pt, margins top/bottom 20 mm, left 30 mm, right 17 mm; quốc hiệu and
tiêu ngữ beside the issuing body; số and ký hiệu left blank for the office; place and date; document
type and trích yếu; the body; nơi nhận and the signature block; page numbers at the top centre from
page 2. Every figure comes from ``ReportData`` (the same object the report workbook is written
from), never recomputed here; the parts only people can write are marked placeholders.

The office can replace the default look with its own .docx (``mau-bao-cao.docx`` in the workspace
folder): its styles, page set-up and headers are kept and the body is written into it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.atomic import write_atomic
from app.numbers import format_decimal_vi
from app.workbook.issues import label_vi

from .data import ReportData

FONT = "Times New Roman"
BODY_PT = 14
TEMPLATE_NAME = "mau-bao-cao.docx"  # the office's own template, in the workspace folder
PLACEHOLDER = "[Văn phòng Sở viết nội dung này]"
ISSUER_PARENT = "UBND THÀNH PHỐ HỒ CHÍ MINH"
ISSUER = "SỞ VĂN HÓA VÀ THỂ THAO"
TOP_N = 5


def docx_filename(period_code: str) -> str:
    return f"bao-cao-chuyen-doi-so-{period_code}.docx"


def _points(cents: int | Decimal | None) -> str:
    if cents is None:
        return ""
    return format_decimal_vi(Decimal(cents).scaleb(-2) if isinstance(cents, int) else cents)


def _run_font(run: object, size: float | None = None, bold: bool = False, italic: bool = False) -> None:
    font = run.font  # type: ignore[attr-defined]
    font.name = FONT
    font.size = Pt(size or BODY_PT)
    font.bold = bold or None
    font.italic = italic or None
    rpr = run._element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(container: Any, text: str = "", *, size: float | None = None, bold: bool = False,
          italic: bool = False, align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.JUSTIFY,
          indent: bool = True, after: float = 6) -> Paragraph:  # fmt: skip
    p: Paragraph = container.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(0)
    fmt.line_spacing = 1.1
    if indent and align is WD_ALIGN_PARAGRAPH.JUSTIFY:
        fmt.first_line_indent = Mm(10)
    if text:
        _run_font(p.add_run(text), size, bold, italic)
    return p


def _page_number_header(doc: DocxDocument) -> None:
    """A centred PAGE field in the header, absent from the first page (NĐ 30: from page 2)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _run_font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)


def _page_setup(doc: DocxDocument) -> None:
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(17)
        section.header_distance = Mm(10)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    style.element.get_or_add_rPr()
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        style.element.rPr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)


def _borderless(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _cell_lines(cell: object, lines: Sequence[tuple[str, float, bool, bool]]) -> None:
    first = True
    for text, size, bold, italic in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()  # type: ignore[attr-defined]
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        if text:
            _run_font(p.add_run(text), size, bold, italic)


def _heading_block(doc: DocxDocument, data: ReportData) -> None:
    table = doc.add_table(rows=1, cols=2)
    _borderless(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Mm(70), Mm(95))
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
        column.width = width
        cell.width = width
    left, right = table.rows[0].cells
    _cell_lines(left, [(ISSUER_PARENT, 13, False, False), (ISSUER, 13, True, False), ("", 6, False, False),
                       ("Số:        /BC-SVHTT", 13, False, False)])  # fmt: skip
    _cell_lines(right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True, False),
                        ("Độc lập - Tự do - Hạnh phúc", 14, True, False), ("", 6, False, False),
                        ("Thành phố Hồ Chí Minh, ngày     tháng     năm " + data.info.code[:4], 14, False, True)])  # fmt: skip
    _para(doc, "", after=6)
    _para(doc, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, f"Kết quả chuyển đổi số {data.info.label} của các đơn vị thuộc Sở",
          size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)  # fmt: skip


def _section(doc: DocxDocument, title: str) -> None:
    _para(doc, title, bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)


def _status(doc: DocxDocument, data: ReportData) -> None:
    s = data.summary
    _section(doc, "I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ")
    _para(doc, f"Thực hiện Công văn số 1690/SVHTT-VP, {s.expected} đơn vị thuộc Sở được yêu cầu báo cáo "
               f"{data.info.label} (hạn gửi trước ngày {data.info.deadline:%d/%m/%Y}). Đã nhận báo cáo của "
               f"{s.received} đơn vị, trong đó {s.on_time} đơn vị gửi đúng hạn, {s.late} đơn vị gửi muộn; "
               f"{s.missing} đơn vị chưa gửi; {s.with_errors} đơn vị có báo cáo còn lỗi cần sửa.")  # fmt: skip
    missing = [m for m in data.late_or_missing if m.received_at is None]
    late = [m for m in data.late_or_missing if m.received_at is not None]
    if late:
        _para(doc, "Đơn vị gửi muộn: " + "; ".join(
            f"{m.unit_name} ({m.days_late} ngày)" if m.days_late else m.unit_name for m in late) + ".")  # fmt: skip
    if missing:
        _para(doc, "Đơn vị chưa gửi: " + "; ".join(m.unit_name for m in missing) + ".")


def _change(row: object) -> str:
    change = row.rank_change  # type: ignore[attr-defined]
    if change is None:
        return "chưa có kỳ trước để so sánh"
    if change == 0:
        return "giữ nguyên hạng"
    return f"tăng {change} bậc" if change > 0 else f"giảm {-change} bậc"


def _ranking(doc: DocxDocument, data: ReportData) -> None:
    _section(doc, "II. KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG CÁC ĐƠN VỊ")
    n = len(data.ranking)
    if not n:
        _para(doc, "Chưa có đơn vị nào có báo cáo được tính điểm.")
        return
    total = format_decimal_vi(data.framework.total, 0)
    _para(doc, f"Có {n} đơn vị được chấm điểm theo Bộ chỉ số (tối đa {total} điểm); điểm trung bình "
               f"{_points(data.total_average)} điểm.")  # fmt: skip
    compared = f" so với {data.previous.label}" if data.previous is not None else ""
    for title, rows in (("Các đơn vị dẫn đầu", data.ranking[:TOP_N]), ("Các đơn vị cuối bảng", data.ranking[-TOP_N:])):
        _para(doc, f"{title}:", italic=True)
        for r in rows:
            change = _change(r)
            if r.rank_change is not None:
                change += compared
            _para(doc, f"- Hạng {r.unit.rank}: {r.unit.unit_name}, {_points(r.unit.appraised_cents)} điểm ({change}).")
    if data.pillar_averages:
        _para(doc, "Điểm trung bình theo chỉ số chính: " + "; ".join(
            f"{g.code}. {g.title}: {_points(data.pillar_averages[g.code])}/{format_decimal_vi(g.max, 0)}"
            for g in data.groups if g.code in data.pillar_averages) + ".")  # fmt: skip
    affected = [f for f in data.firmness if f.affected]
    if affected:
        _para(doc, "Độ vững của thứ hạng (chỉ số 4.1 và 5.1 chấm theo phương pháp min-max nên phụ thuộc vào "
                   "các đơn vị cùng được chấm):", italic=True)  # fmt: skip
        for f in affected:
            _para(doc, "- " + f.sentence())


def _department(doc: DocxDocument, data: ReportData) -> None:
    _section(doc, "III. KẾT QUẢ TỰ ĐÁNH GIÁ CỦA SỞ")
    dep = data.department
    if dep is None:
        _para(doc, "Văn phòng Sở chưa nhận lại bảng tự đánh giá của Sở (lập bằng “dtidesk department”); "
                   + PLACEHOLDER + ".")  # fmt: skip
        return
    _para(doc, f"Trên cơ sở báo cáo của các đơn vị, Sở tự đánh giá đạt {_points(dep.total_cents)}/"
               f"{format_decimal_vi(dep.framework.total, 0)} điểm theo Bộ chỉ số QĐ 79 Phụ lục I, cụ thể:")  # fmt: skip
    for g in dep.framework.groups:
        _para(
            doc, f"- {g.code}. {g.title}: {_points(dep.group_cents.get(g.code, 0))}/{format_decimal_vi(g.max, 0)} điểm."
        )


def _staffing(doc: DocxDocument, data: ReportData) -> None:
    _section(doc, "IV. NHÂN LỰC CHUYỂN ĐỔI SỐ CỦA CÁC ĐƠN VỊ")
    rows = data.rollup.staffing
    if not rows:
        _para(doc, "Biểu mẫu kỳ này không có bảng nhân lực.")
        return
    for r in rows:
        total = (
            "chưa có số liệu"
            if r.total is None
            else f"{format_decimal_vi(r.total, 0)} người ({r.units} đơn vị báo cáo)"
        )
        _para(doc, f"- {r.label}: {total}.")


def _problems(doc: DocxDocument, data: ReportData) -> None:
    _section(doc, "V. NHỮNG VẤN ĐỀ PHÁT HIỆN TRONG BÁO CÁO CỦA CÁC ĐƠN VỊ")
    open_issues = [i for i in data.issues if not i.appraised]
    if not open_issues:
        _para(doc, "Không phát hiện vấn đề nào còn tồn đọng.")
        return
    kinds = Counter(label_vi(i.code) for i in open_issues)
    units = len({i.unit_code for i in open_issues})
    _para(doc, f"Có {len(open_issues)} vấn đề ở {units} đơn vị chưa được xử lý, theo loại:")
    for label, n in kinds.most_common():
        _para(doc, f"- {label}: {n}.")


def _contacts(doc: DocxDocument, data: ReportData) -> None:
    _section(doc, "VI. THAY ĐỔI NHÂN SỰ ĐẦU MỐI")
    changed = [c for c in data.contacts if c.change.startswith("Thay đổi")]
    if not changed:
        _para(doc, "Không có đơn vị nào báo cáo thay đổi nhân sự đầu mối.")
        return
    for c in changed:
        now = ", ".join(v for v in c.values.values() if v)
        _para(doc, f"- {c.unit_name}: {c.change.lower()} (nay: {now}).")


def _people_write(doc: DocxDocument) -> None:
    _section(doc, "VII. TỒN TẠI, HẠN CHẾ")
    _para(doc, PLACEHOLDER + " (những tồn tại, hạn chế và nguyên nhân).")
    _section(doc, "VIII. ĐỀ XUẤT, KIẾN NGHỊ")
    _para(doc, PLACEHOLDER + " (đề xuất, kiến nghị với Ủy ban nhân dân Thành phố, Sở Thông tin và Truyền thông).")


def _closing(doc: DocxDocument) -> None:
    table = doc.add_table(rows=1, cols=2)
    _borderless(table)
    table.autofit = False
    left, right = table.rows[0].cells
    table.columns[0].width, table.columns[1].width = Mm(85), Mm(80)
    left.width, right.width = Mm(85), Mm(80)
    p = left.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    _run_font(p.add_run("Nơi nhận:"), 12, bold=True, italic=True)
    for line in ("- Sở Thông tin và Truyền thông;", "- Ban Giám đốc Sở;", "- Các phòng, đơn vị thuộc Sở;",
                 "- Lưu: VT, VP."):  # fmt: skip
        q = left.add_paragraph()
        q.paragraph_format.space_after = Pt(0)
        _run_font(q.add_run(line), 11)
    _cell_lines(right, [("KT. GIÁM ĐỐC", 14, True, False), ("PHÓ GIÁM ĐỐC", 14, True, False),
                        ("(Ký, ghi rõ họ tên)", 13, False, True), ("", 14, False, False), ("", 14, False, False),
                        ("", 14, False, False), ("[Họ và tên]", 14, True, False)])  # fmt: skip


def _appendix(doc: DocxDocument, data: ReportData) -> None:
    p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.CENTER)
    p.add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "PHỤ LỤC", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, "Kết quả triển khai chuyển đổi số và đô thị thông minh do các đơn vị báo cáo "
               "(Công văn 1690/SVHTT-VP, mục 3.1.a)", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)  # fmt: skip
    narratives = [f.name for f in data.framework.narratives]
    names = {r.unit.unit_code: r.unit.unit_name for r in data.ranking}
    names.update({c.unit_code: c.unit_name for c in data.contacts})
    n = 0
    for code in sorted(data.fields, key=lambda c: names.get(c, c)):
        texts = [str(v).strip() for name in narratives if (v := data.fields[code].get(name)) not in (None, "")]
        n += 1
        _para(doc, f"{n}. {names.get(code, code)}", bold=True, indent=False)
        for text in texts or ["(Đơn vị không báo cáo nội dung này.)"]:
            for line in text.splitlines():
                if line.strip():
                    _para(doc, line.strip())


def render_docx(data: ReportData, template: Path | None = None) -> bytes:
    """The report as .docx bytes, into the office's template when one is given."""
    doc = Document(str(template)) if template is not None else Document()
    if template is not None:  # keep its styles, page set-up and headers; write the body afresh
        body = doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
    else:
        _page_setup(doc)
        _page_number_header(doc)
    doc.core_properties.title = f"Báo cáo kết quả chuyển đổi số {data.info.label}"
    doc.core_properties.author = "Văn phòng Sở Văn hóa và Thể thao"
    _heading_block(doc, data)
    _status(doc, data)
    _ranking(doc, data)
    _department(doc, data)
    _staffing(doc, data)
    _problems(doc, data)
    _contacts(doc, data)
    _people_write(doc)
    _closing(doc)
    _appendix(doc, data)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def write_docx(data: ReportData, target: Path, template: Path | None = None) -> Path:
    return write_atomic(target, render_docx(data, template))
