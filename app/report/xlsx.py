"""The consolidated quarterly report as one ``.xlsx`` (issues 7 and 16), written with XlsxWriter.

Why this shape:
- It leaves the office, to the department's leadership and the city: every sheet prints on A4
  landscape with its header rows repeated, fits the page width, in Times New Roman with scores to
  two decimals, and is readable on screen with frozen panes and filters.
- The numbers are the workspace's (``ReportData``), written as numbers — not formulas — so the
  file shows the same values in any program, even one that does not recalculate.
- Everything a unit or a file supplied is written with ``write_string`` on a workbook that never
  converts strings to formulas, URLs or numbers, and with the quote prefix when it starts like a
  formula (``safe.looks_like_formula``).
- Charts are native Excel charts over the report's own cells (total per unit, pillars per unit,
  pillar averages), so they redraw when the office filters or prints.
- The matrix of units × indicators is wide (two columns per indicator); it prints across several
  pages wide with the unit columns repeated, since one page wide would shrink it past reading; its
  title stays inside those repeated columns so no page shows it cut.
- Printing the whole report for 25 units takes at most 15 pages: the ranking prints at 8 pt or
  more (previous-period columns only when there is a previous period; two pages wide, names
  repeated, when it cannot fit one), and the explanation of every score (about 30 pages) is a
  workbook of its own beside the report, named on its summary sheet, printed on request.
- Text cells are indented one step so a right-aligned number never runs into the text beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from app.atomic import write_atomic
from app.period import deadline_vi
from app.workbook.issues import label_vi as issue_label
from app.workbook.template import FONT
from scoring.findings import Status, severity_label
from scoring.rounding import cents_to_decimal, format_cents, format_points

from .data import ReportData
from .safe import header_footer_text, looks_like_formula

SHEETS = {
    "summary": "Tổng hợp",
    "ranking": "Xếp hạng",
    "charts": "Biểu đồ",
    "pillars": "Trụ cột",
    "matrix": "Điểm chi tiết",
    "rollup": "Toàn Sở",
    "issues": "Vấn đề tồn đọng",
    "contacts": "Đầu mối",
    "late": "Chưa nộp, nộp muộn",
}
#: the appendix workbook's sheets: every unit × indicator with how its score came about, and how
#: firm each unit's rank is (one sentence per unit whose place could move)
APPENDIX_SHEET = "Giải thích điểm"
FIRMNESS_SHEET = "Độ vững thứ hạng"
HEADER_FILL = "#D9E2F3"
CHANGED_FILL = "#FFF2CC"  # an appraised score that differs from the self-assessed one
TITLE_ROWS = 3  # title, subtitle, blank: tables start below
#: matrix columns per printed page width (two per indicator, after the unit columns)
MATRIX_COLUMNS_PER_PAGE = 18

Value = str | int | float | Decimal | Fraction | datetime | None

#: the printable A4 landscape width within ``_Writer.page``'s margins, in points
PRINT_WIDTH_PT = (11.69 - 0.4 - 0.4) * 72
#: printed points per character of column width in the widest case seen: LibreOffice on a PC
#: without Microsoft's fonts measures columns in DejaVu Sans digits (Excel with Calibri: about 5.6)
POINTS_PER_WIDTH = 7.8
#: the smallest print scale allowed: the 11 pt body text prints at 8 pt or more
MIN_SCALE = 8 / 11


def print_scale(widths: Sequence[float]) -> float:
    """The scale (at most 1) at which columns of these widths fill one A4 landscape page's width."""
    return min(1.0, PRINT_WIDTH_PT / (POINTS_PER_WIDTH * sum(widths)))


class _Styles:
    """Formats made once per distinct look; every one in Times New Roman."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self._cache: dict[tuple[tuple[str, Any], ...], Format] = {}

    def get(self, **props: Any) -> Format:
        full = {"font_name": FONT, "font_size": 11, "valign": "vcenter", **props}
        key = tuple(sorted(full.items()))
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self._cache[key] = self.wb.add_format(full)
        return fmt


class Column:
    """One table column: header, width and how its values look."""

    def __init__(self, header: str, width: float, kind: str = "text", align: str = "") -> None:
        self.header = header
        self.width = width
        self.kind = kind  # text | wrap | int | score | signed | signed-int | percent | datetime
        self.align = align  # "" = by kind (text left with an indent, numbers right), or "center"


_NUM_FORMATS = {
    "int": "0",
    "general": "General",
    "score": "0.00",
    "signed": "+0.00;-0.00;0.00",
    "signed-int": "+0;-0;0",
    "percent": "0.00%",
    "datetime": "dd/mm/yyyy hh:mm",
}


def _status_note(status: Status) -> str:
    """The status beside an explained score; nothing for an ordinary computed score."""
    return "" if status is Status.SCORED else status.label_vi


def _number(value: Decimal | Fraction | int | float) -> float:
    return float(value)


def lines_needed(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide.

    XlsxWriter cannot measure text and spreadsheet programs do not grow a row written with
    wrapped text on their own, so rows get an explicit height from this estimate.
    """
    per_line = max(int(width * 1.05) - 1, 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def row_height(lines: int) -> float:
    return max(15.0, 14.0 * lines + 2)


def row_lines(columns: Sequence[Column], values: Sequence[Value]) -> int:
    """Lines the tallest wrapped cell of a table row needs."""
    return max((lines_needed(str(v), c.width) for c, v in zip(columns, values, strict=True) if c.kind == "wrap" and v),
               default=1)  # fmt: skip


class _Writer:
    def __init__(self, wb: Workbook, data: ReportData, appendix: str = "") -> None:
        self.wb = wb
        self.appendix = appendix  # file name of the explanations workbook, named on the summary sheet
        self.data = data
        self.styles = _Styles(wb)
        self.label = data.info.label
        self.sheets: dict[str, Worksheet] = {}

    # --- cells ---------------------------------------------------------------------------------

    def cell(self, ws: Worksheet, row: int, col: int, value: Value, kind: str = "text", **look: Any) -> None:
        """Write one value by type; user text always as a string (quote-prefixed if formula-like)."""
        props: dict[str, Any] = {"border": 1, **look}
        if kind in _NUM_FORMATS:
            props["num_format"] = _NUM_FORMATS[kind]
        if kind == "wrap":
            props["text_wrap"] = True
        if kind in ("text", "wrap") and "align" not in props:
            props["indent"] = 1  # a gap after a right-aligned number in the column to the left
        if value is None or value == "":
            ws.write_blank(row, col, None, self.styles.get(**props))
        elif isinstance(value, datetime):
            ws.write_datetime(row, col, value, self.styles.get(**props))
        elif isinstance(value, str):
            if looks_like_formula(value):
                props["quote_prefix"] = True
            ws.write_string(row, col, value, self.styles.get(**props))
        else:
            ws.write_number(row, col, _number(value), self.styles.get(**props))

    def title(self, ws: Worksheet, text: str, width: int, *, wrap_in: float | None = None) -> None:
        """Title and subtitle merged over the first ``width`` columns.

        ``wrap_in``: the merged columns' total width in characters, when the title must stay inside
        them — a sheet printed several pages wide repeats only its first columns, so a title merged
        wider than those is cut on every page after the first ("ĐIỂM TỪNG CI"). Then both lines wrap
        and their rows are made tall enough.
        """
        wrap = {"text_wrap": True} if wrap_in else {}
        big = self.styles.get(bold=True, font_size=14, align="center", **wrap)
        small = self.styles.get(italic=True, align="center", **wrap)
        subtitle = f"{self.label} — {self.data.framework.title}"
        last = max(width - 1, 1)
        ws.merge_range(0, 0, 0, last, "", big)
        ws.write_string(0, 0, text, big)
        ws.merge_range(1, 0, 1, last, "", small)
        ws.write_string(1, 0, subtitle, small)
        if wrap_in:  # a bold 14 pt capital is about 1.5 characters of the 11 pt column unit wide
            ws.set_row(0, 20.0 * lines_needed(text, wrap_in / 1.5) + 4)
            ws.set_row(1, row_height(lines_needed(subtitle, wrap_in / 1.1)))
        else:
            ws.set_row(0, 22)

    def table(self, ws: Worksheet, top: int, columns: Sequence[Column], rows: Sequence[Sequence[Value]],
              row_look: Callable[[int], dict[str, Any]] | None = None, *, filter: bool = True) -> int:  # fmt: skip
        """Header row at ``top`` then the rows; returns the row after the table."""
        head = self.styles.get(bold=True, bg_color=HEADER_FILL, border=1, text_wrap=True, align="center")
        for c, col in enumerate(columns):
            ws.write_string(top, c, col.header, head)
            ws.set_column(c, c, col.width)
        ws.set_row(top, row_height(max(lines_needed(col.header, col.width) for col in columns)))
        for r, values in enumerate(rows):
            look = row_look(r) if row_look else {}
            for c, (col, value) in enumerate(zip(columns, values, strict=True)):
                self.cell(ws, top + 1 + r, c, value, col.kind, **({"align": col.align} if col.align else {}), **look)
            lines = row_lines(columns, values)
            if lines > 1:
                ws.set_row(top + 1 + r, row_height(lines))
        if filter and rows:
            ws.autofilter(top, 0, top + len(rows), len(columns) - 1)
        return top + 1 + len(rows)

    def paired_header(self, ws: Worksheet, top: int, fixed: Sequence[tuple[str, float]], pairs: Sequence[str],
                      left: tuple[str, float], right: tuple[str, float], height: float) -> None:  # fmt: skip
        """Two header rows: ``fixed`` columns spanning both, then each title over a (left, right) pair."""
        head = self.styles.get(bold=True, bg_color=HEADER_FILL, border=1, text_wrap=True, align="center")
        for c, (text, w) in enumerate(fixed):
            ws.merge_range(top, c, top + 1, c, "", head)
            ws.write_string(top, c, text, head)
            ws.set_column(c, c, w)
        for i, title in enumerate(pairs):
            c = len(fixed) + 2 * i
            ws.merge_range(top, c, top, c + 1, "", head)
            ws.write_string(top, c, title, head)
            for offset, (text, w) in enumerate((left, right)):
                ws.write_string(top + 1, c + offset, text, head)
                ws.set_column(c + offset, c + offset, w)
        ws.set_row(top, height)

    def page(self, ws: Worksheet, header_rows: tuple[int, int], *, freeze: tuple[int, int] | None = None,
             pages_wide: int = 1, pages_tall: int = 0, repeat_columns: tuple[int, int] | None = None) -> None:  # fmt: skip
        """A4 landscape, header rows repeated, fit to the page width, page numbers in the footer."""
        ws.set_landscape()
        ws.set_paper(9)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.repeat_rows(*header_rows)
        if repeat_columns is not None:
            ws.repeat_columns(*repeat_columns)
        ws.fit_to_pages(pages_wide, pages_tall)
        ws.center_horizontally()
        label = header_footer_text(self.label)
        ws.set_header(f'&L&"{FONT},Regular"&9DTI Desk — {label}&R&"{FONT},Regular"&9&A')
        ws.set_footer(f'&C&"{FONT},Regular"&9Trang &P / &N')
        if freeze is not None:
            ws.freeze_panes(*freeze)

    def sheet(self, key: str) -> Worksheet:
        ws = self.wb.add_worksheet(
            SHEETS.get(key, {"explain": APPENDIX_SHEET, "firmness": FIRMNESS_SHEET}.get(key, key))
        )
        self.sheets[key] = ws
        return ws

    # --- sheets --------------------------------------------------------------------------------

    def summary(self) -> None:
        d = self.data
        ws = self.sheet("summary")
        self.title(ws, "BÁO CÁO TỔNG HỢP CHỈ SỐ ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ", 5)
        info: list[tuple[str, Value]] = [
            ("Kỳ báo cáo", f"{d.info.label} ({d.info.code})"),
            ("Bộ chỉ số", f"{d.framework.title} (mã {d.framework.id}, phiên bản {d.framework.version})"),
            ("Hạn nộp", deadline_vi(d.info.deadline)),
            ("Ngày lập báo cáo", d.generated_at),
            ("So sánh với", d.previous.label if d.previous else "Không có số liệu kỳ trước trong thư mục làm việc"),
        ]
        dept = d.department
        info.append(("Tự đánh giá của Sở (QĐ 79)",
                     f"{format_cents(dept.total_cents)}/{format_points(dept.framework.total)} điểm (tệp {dept.file_name}"
                     + (f"; còn {dept.errors} lỗi" if dept.errors else "") + ")" if dept is not None else
                     "Chưa nhận bảng tự đánh giá của Sở (lập bằng: dtidesk department --period "
                     f"{d.info.code}, điền rồi nhận lại bằng --receive)"))  # fmt: skip
        unsure = [f for f in d.firmness if f.affected]
        if unsure:  # the sentences themselves are in the appendix: one line here keeps this page at one page
            info.append(("Độ vững của thứ hạng",
                         f"{len(unsure)} đơn vị có thứ hạng có thể đổi (cách đơn vị khác không quá 1 điểm, hoặc đổi "
                         "hạng khi bỏ các chỉ số so sánh min-max hay bỏ một đơn vị): từng đơn vị ở sheet "
                         f"“{FIRMNESS_SHEET}” của phụ lục"))  # fmt: skip
        if d.rounds is not None:  # the closing note of the rounds: state, each round, the explanations
            info.append(("Thẩm định và công bố", d.rounds.note()))
        if d.signoff is not None:
            info += [("Người lập báo cáo", d.signoff.prepared_by), ("Người phê duyệt", d.signoff.approved_by)]
        if self.appendix:
            info.append(
                (
                    "Phụ lục in riêng",
                    f"Giải thích điểm từng chỉ số của từng đơn vị: tệp {self.appendix} "
                    "(cùng thư mục; mở và in khi cần)",
                )
            )
        row = TITLE_ROWS
        for label, value in info:
            self.cell(ws, row, 0, label, bold=True)
            ws.merge_range(row, 1, row, 4, "", self.styles.get(border=1))
            kind = "datetime" if isinstance(value, datetime) else "wrap"
            self.cell(ws, row, 1, value, kind, align="left")
            if isinstance(value, str) and (lines := lines_needed(value, 56)) > 1:
                ws.set_row(row, row_height(lines))
            row += 1
        s = d.summary
        row += 1
        self.cell(ws, row, 0, "Tình hình nộp báo cáo", border=0, bold=True, font_size=12)
        counts: list[tuple[str, int]] = [
            ("Đơn vị phải nộp", s.expected),
            ("Đã nộp (bản được tính)", s.received),
            ("Nộp đúng hạn", s.on_time),
            ("Nộp muộn", s.late),
            ("Chưa nộp (hoặc chỉ có tệp không được tính)", s.missing),
            ("Đơn vị còn lỗi chưa sửa", s.with_errors),
            ("Đơn vị đã được thẩm định", s.appraised),
            ("Tệp không được tính (sai kỳ, sai bộ chỉ số …)", s.not_counted_files),
            ("Tệp không xác định được đơn vị", s.unknown_files),
            ("Tệp không đọc được", s.rejected_files),
        ]
        row = self.table(ws, row + 1, [Column("Nội dung", 46), Column("Số lượng", 14, "int")],
                         [(label, n) for label, n in counts], filter=False)  # fmt: skip
        row += 1
        self.cell(ws, row, 0, "Điểm trung bình theo trụ cột (điểm sau thẩm định)", border=0, bold=True, font_size=12)
        self.pillar_table_row = row + 1
        groups = d.groups
        rows: list[list[Value]] = []
        for g in groups:
            avg = d.pillar_averages.get(g.code)
            rows.append([f"{g.code}. {g.title}", g.max, avg, None if avg is None else Fraction(avg) / g.max])
        total_max = d.framework.total
        rows.append(["Tổng điểm", total_max, d.total_average,
                     None if d.total_average is None else Fraction(d.total_average) / total_max])  # fmt: skip
        cols = [Column("Trụ cột", 46), Column("Điểm tối đa", 14, "score"), Column("Điểm trung bình", 16, "score"),
                Column("Đạt (%)", 12, "percent")]  # fmt: skip
        last = len(rows) - 1
        self.table(ws, row + 1, cols, rows, lambda r: {"bold": True} if r == last else {}, filter=False)
        ws.set_column(4, 4, 14)
        self.page(ws, (0, 1), pages_tall=1)  # a fixed number of short rows: one page, still at 8 pt or more

    def ranking(self) -> None:
        """One row per unit; prints on one A4 landscape page at 8 pt or more when it can.

        The previous period's columns are there only when there is a previous period (empty
        columns would only shrink the print); rank and code are centred so they never run together.
        """
        d = self.data
        ws = self.sheet("ranking")
        groups = d.groups
        previous = d.previous is not None
        cols = [Column("Hạng", 5, "int", "center"), Column("Mã đơn vị", 6, align="center"),
                Column("Tên đơn vị", 37, "wrap"), Column("Tổng điểm (sau thẩm định)", 8.5, "score"),
                Column("Tổng điểm tự chấm", 8.5, "score"), Column("Tổng điểm thẩm định vòng 1", 8.5, "score"),
                Column("Hạng theo tự chấm", 6, "int", "center")]  # fmt: skip
        cols += [Column(f"{g.code}. {g.title} (tối đa {format_points(g.max)})", 7, "score") for g in groups]
        if previous:
            cols += [Column("Điểm kỳ trước", 9, "score"), Column("Tăng/giảm điểm", 8, "signed"),
                     Column("Hạng kỳ trước", 7, "int", "center"), Column("Tăng/giảm hạng", 7, "signed-int", "center")]  # fmt: skip
        cols.append(Column("Nộp", 8.5))
        rows: list[list[Value]] = []
        for r in d.ranking:
            u = r.unit
            line: list[Value] = [u.rank, u.unit_code, u.unit_name, cents_to_decimal(u.appraised_cents),
                                 cents_to_decimal(u.self_cents), cents_to_decimal(u.round1_cents), u.self_rank,
                                 *[cents_to_decimal(u.group_cents[g.code]) for g in groups]]  # fmt: skip
            if previous:
                line += [None if r.previous_cents is None else cents_to_decimal(r.previous_cents),
                         None if r.change_cents is None else cents_to_decimal(r.change_cents),
                         r.previous_rank, r.rank_change]  # fmt: skip
            line.append("" if r.on_time is None else ("Đúng hạn" if r.on_time else "Nộp muộn"))
            rows.append(line)
        widths = [c.width for c in cols]
        # one page wide while that keeps 8 pt; else two, rank, code and name (and the title) on both
        fits = print_scale(widths) >= MIN_SCALE
        if fits:
            self.title(ws, "XẾP HẠNG CÁC ĐƠN VỊ", len(cols))
        else:
            self.title(ws, "XẾP HẠNG CÁC ĐƠN VỊ", 3, wrap_in=sum(widths[:3]))
        self.ranking_top = TITLE_ROWS
        self.ranking_total_col = 3  # the charts read the names (column 2), totals and pillars from here
        self.ranking_groups_col = 7
        end = self.table(ws, TITLE_ROWS, cols, rows,
                         lambda i: {"bg_color": CHANGED_FILL} if d.ranking[i].unit.appraised else {})  # fmt: skip
        note = ("Ghi chú: xếp hạng theo tổng điểm sau thẩm định; đồng hạng xếp theo thứ tự chữ cái tiếng Việt của tên đơn vị. "
                "Dòng tô vàng: đơn vị có điểm được thẩm định lại.")  # fmt: skip
        span = len(cols) if fits else 3
        ws.merge_range(end + 1, 0, end + 1, span - 1, "", self.styles.get(italic=True, text_wrap=True))
        ws.write_string(end + 1, 0, note, self.styles.get(italic=True, text_wrap=True))
        ws.set_row(end + 1, row_height(lines_needed(note, sum(widths[:span]))))
        self.page(ws, (TITLE_ROWS, TITLE_ROWS), freeze=(TITLE_ROWS + 1, 3), pages_wide=1 if fits else 2,
                  repeat_columns=None if fits else (0, 2))  # fmt: skip

    def charts(self) -> None:
        d = self.data
        ws = self.sheet("charts")
        ws.write_string(0, 0, "BIỂU ĐỒ", self.styles.get(bold=True, font_size=14))
        ws.write_string(1, 0, f"{self.label} — {d.framework.title}", self.styles.get(italic=True))
        n = len(d.ranking)
        if not n:
            ws.write_string(3, 0, "Chưa có đơn vị nào có bản nộp được tính: chưa có biểu đồ.", self.styles.get())
            self.page(ws, (0, 1))
            return
        sheet = SHEETS["ranking"]
        first, last = self.ranking_top + 1, self.ranking_top + n
        names = [sheet, first, 2, last, 2]
        height = min(max(320, 22 * n + 110), 6000)
        font = {"name": FONT}

        def chart(kind: dict[str, str], title: str) -> Chart:
            c = self.wb.add_chart(kind)
            c.set_title({"name": title, "name_font": {**font, "size": 13}})
            c.set_legend({"position": "bottom", "font": font})
            c.set_chartarea({"border": {"none": True}})
            return c

        total = chart({"type": "bar"}, "Tổng điểm của từng đơn vị (sau thẩm định)")
        total.add_series({"name": "Tổng điểm", "categories": names, "values": [sheet, first, self.ranking_total_col, last, self.ranking_total_col],
                          "data_labels": {"value": True, "num_format": "0.00", "font": {**font, "size": 8}},
                          "fill": {"color": "#2F5597"}})  # fmt: skip
        total.set_y_axis({"reverse": True, "num_font": {**font, "size": 9}})
        total.set_x_axis(
            {"min": 0, "max": float(d.framework.total), "num_font": font, "major_gridlines": {"visible": True}}
        )
        total.set_legend({"none": True})
        total.set_size({"width": 960, "height": height})
        ws.insert_chart(3, 0, total)

        stacked = chart({"type": "bar", "subtype": "stacked"}, "Điểm theo trụ cột của từng đơn vị")
        palette = ["#2F5597", "#C55A11", "#548235", "#BF9000", "#7030A0", "#2E75B6", "#A5A5A5", "#843C0C", "#375623"]
        for i, g in enumerate(d.groups):
            col = self.ranking_groups_col + i
            stacked.add_series({"name": f"{g.code}. {g.title}", "categories": names,
                                "values": [sheet, first, col, last, col],
                                "fill": {"color": palette[i % len(palette)]}, "gap": 60})  # fmt: skip
        stacked.set_y_axis({"reverse": True, "num_font": {**font, "size": 9}})
        stacked.set_x_axis({"min": 0, "max": float(d.framework.total), "num_font": font})
        stacked.set_size({"width": 960, "height": height + 60})
        rows_per_chart = math.ceil((height + 60) / 20) + 2  # default rows are 20 px high
        second = 3 + rows_per_chart
        ws.insert_chart(second, 0, stacked)

        averages = chart({"type": "column"}, "Điểm trung bình theo trụ cột so với điểm tối đa")
        summary = SHEETS["summary"]
        top = self.pillar_table_row + 1
        bottom = top + len(d.groups) - 1
        averages.add_series({"name": "Điểm tối đa", "categories": [summary, top, 0, bottom, 0],
                             "values": [summary, top, 1, bottom, 1], "fill": {"color": "#BDD7EE"}})  # fmt: skip
        averages.add_series({"name": "Điểm trung bình", "categories": [summary, top, 0, bottom, 0],
                             "values": [summary, top, 2, bottom, 2], "fill": {"color": "#2F5597"},
                             "data_labels": {"value": True, "num_format": "0.00", "font": font}})  # fmt: skip
        averages.set_x_axis({"num_font": {**font, "size": 9}})
        averages.set_y_axis({"min": 0, "num_font": font})
        averages.set_size({"width": 960, "height": 420})
        third = second + rows_per_chart
        ws.insert_chart(third, 0, averages)
        ws.set_h_pagebreaks([second - 1, third - 1])  # one chart per printed page
        self.page(ws, (0, 1))

    def pillars(self) -> None:
        d = self.data
        ws = self.sheet("pillars")
        groups = d.groups
        width = 2 + 2 * len(groups)
        self.title(ws, "ĐIỂM VÀ HẠNG THEO TRỤ CỘT", width)
        top = TITLE_ROWS
        self.paired_header(ws, top, [("Mã đơn vị", 10), ("Tên đơn vị", 40)],
                           [f"{g.code}. {g.title} (tối đa {format_points(g.max)})" for g in groups],
                           ("Điểm", 10), ("Hạng", 7), 48)  # fmt: skip
        for r, row in enumerate(d.ranking):
            u = row.unit
            self.cell(ws, top + 2 + r, 0, u.unit_code)
            self.cell(ws, top + 2 + r, 1, u.unit_name, "wrap")
            ws.set_row(top + 2 + r, row_height(lines_needed(u.unit_name, 40)))
            for i, g in enumerate(groups):
                self.cell(ws, top + 2 + r, 2 + 2 * i, cents_to_decimal(u.group_cents[g.code]), "score")
                self.cell(ws, top + 2 + r, 3 + 2 * i, u.group_ranks[g.code], "int")
        if d.ranking:
            ws.autofilter(top + 1, 0, top + 1 + len(d.ranking), width - 1)
        self.page(ws, (top, top + 1), freeze=(top + 2, 2))

    def matrix(self) -> None:
        d = self.data
        ws = self.sheet("matrix")
        inds = d.indicators
        width = 3 + 2 * len(inds)
        fixed = [("Mã đơn vị", 10.0), ("Tên đơn vị", 34.0), ("Tổng điểm (sau thẩm định)", 11.0)]
        # the title stays inside the unit columns, which every printed page repeats
        self.title(ws, "ĐIỂM TỪNG CHỈ SỐ: TỰ CHẤM VÀ SAU THẨM ĐỊNH", len(fixed), wrap_in=sum(w for _, w in fixed))
        top = TITLE_ROWS
        self.paired_header(ws, top, fixed,
                           [f"{ind.code} (tối đa {format_points(ind.max)})" for ind in inds],
                           ("Tự chấm", 8.5), ("Thẩm định", 8.5), 32)  # fmt: skip
        ws.set_row(top + 1, 30)
        for r, row in enumerate(d.ranking):
            u = row.unit
            line = top + 2 + r
            self.cell(ws, line, 0, u.unit_code)
            self.cell(ws, line, 1, u.unit_name, "wrap")
            ws.set_row(line, row_height(lines_needed(u.unit_name, 34)))
            self.cell(ws, line, 2, cents_to_decimal(u.appraised_cents), "score", bold=True)
            cells = d.matrix[u.unit_code]
            for i, ind in enumerate(inds):
                mc = cells[ind.code]
                look = {"bg_color": CHANGED_FILL} if mc.changed else {}
                self.cell(ws, line, 3 + 2 * i, mc.self_score.score, "score")
                self.cell(ws, line, 4 + 2 * i, mc.appraised_score.score, "score", **look)
        if d.ranking:
            ws.autofilter(top + 1, 0, top + 1 + len(d.ranking), width - 1)
        pages_wide = max(1, math.ceil((width - 3) / MATRIX_COLUMNS_PER_PAGE))
        self.page(ws, (top, top + 1), freeze=(top + 2, 3), pages_wide=pages_wide, repeat_columns=(0, 2))

    def explanations(self) -> None:
        d = self.data
        ws = self.sheet("explain")
        cols = [Column("Mã đơn vị", 10), Column("Tên đơn vị", 30, "wrap"), Column("Chỉ số", 7),
                Column("Tên chỉ số", 38, "wrap"), Column("Tối đa", 8, "score"), Column("Tự chấm", 9, "score"),
                Column("Thẩm định", 9, "score"), Column("Tình trạng", 14, "wrap"),
                Column("Cách tính (sau thẩm định)", 60, "wrap")]  # fmt: skip
        rows: list[list[Value]] = []
        changed: list[bool] = []
        for row in d.ranking:
            u = row.unit
            for ind in d.indicators:
                mc = d.matrix[u.unit_code][ind.code]
                rows.append([u.unit_code, u.unit_name, ind.code, ind.title, ind.max, mc.self_score.score,
                             mc.appraised_score.score, _status_note(mc.appraised_score.status), mc.explanation])  # fmt: skip
                changed.append(mc.changed)
        self.title(ws, "GIẢI THÍCH ĐIỂM TỪNG CHỈ SỐ", len(cols))
        self.table(ws, TITLE_ROWS, cols, rows, lambda i: {"bg_color": CHANGED_FILL} if changed[i] else {})
        self.page(ws, (TITLE_ROWS, TITLE_ROWS), freeze=(TITLE_ROWS + 1, 3))

    def rollup(self) -> None:
        d = self.data
        ws = self.sheet("rollup")
        self.title(ws, "SỐ LIỆU TOÀN SỞ (TỔNG HỢP TỪ CÁC ĐƠN VỊ)", 12)
        row = TITLE_ROWS
        roll = d.rollup
        if roll.staffing:
            self.cell(ws, row, 0, "Nhân sự (cộng số liệu các đơn vị đã nộp)", border=0, bold=True, font_size=12)
            cols = [Column("STT", 7), Column("Tiêu chí", 46, "wrap"), Column("Tổng toàn Sở", 12, "general"),
                    Column("Số đơn vị báo cáo", 11, "int")]  # fmt: skip
            row = self.table(ws, row + 1, cols, [[s.no, s.label, s.total, s.units] for s in roll.staffing],
                             filter=False) + 1  # fmt: skip
        self.cell(ws, row, 0, "Chỉ số toàn Sở", border=0, bold=True, font_size=12)
        cols = [Column("Chỉ số", 7), Column("Tên chỉ số", 46, "wrap"), Column("Tối đa", 12, "score"),
                Column("Số đơn vị tính", 11, "int"), Column("Số đơn vị không áp dụng", 11, "int"),
                Column("Tử số", 10, "general"), Column("Mẫu số", 10, "general"), Column("Tỷ lệ gộp", 10, "percent"),
                Column("Tỷ lệ đơn vị đáp ứng", 10, "percent"), Column("Điểm toàn Sở", 10, "score"),
                Column("Cách tính", 50, "wrap")]  # fmt: skip
        rows: list[list[Value]] = []
        for r in roll.indicators:
            rows.append([r.code, r.title, r.max, r.units or None, r.not_applicable or None, r.numerator, r.denominator,
                         r.pooled, r.share, None if r.score is None else r.score.score, r.note])  # fmt: skip
        header_row = row + 1
        row = self.table(ws, header_row, cols, rows)
        total = (f"Điểm toàn Sở trên {len(roll.derivable)}/{len(roll.indicators)} chỉ số suy ra được từ số liệu các "
                 f"đơn vị: {cents_to_decimal(roll.department_cents)} / {format_points(roll.derivable_max)} điểm. "
                 "Các chỉ số còn lại cần Sở tự đánh giá.")  # fmt: skip
        ws.write_string(row + 1, 0, total, self.styles.get(bold=True))
        self.page(ws, (header_row, header_row), freeze=(header_row + 1, 2))

    def issues(self) -> None:
        d = self.data
        ws = self.sheet("issues")
        cols = [Column("Mã đơn vị", 10), Column("Tên đơn vị", 28, "wrap"), Column("Tệp", 28, "wrap"),
                Column("Trang", 12, "wrap"), Column("Ô", 7), Column("Chỉ số / mục", 14, "wrap"), Column("Mức độ", 10),
                Column("Loại vấn đề", 18, "wrap"), Column("Nội dung", 46, "wrap"), Column("Xử lý", 14, "wrap")]  # fmt: skip
        rows: list[list[Value]] = [
            [i.unit_code, i.unit_name, i.file, i.sheet, i.cell, i.indicator, severity_label(i.severity),
             issue_label(i.code), i.message, "Đã thẩm định" if i.appraised else "Chưa xử lý"]
            for i in d.issues
        ]  # fmt: skip
        self.title(ws, "CÁC VẤN ĐỀ CÒN TỒN ĐỌNG TRONG BẢN NỘP ĐƯỢC TÍNH", len(cols))
        if not rows:
            ws.write_string(TITLE_ROWS, 0, "Không còn lỗi hay cảnh báo nào.", self.styles.get(italic=True))
        else:
            self.table(ws, TITLE_ROWS, cols, rows,
                       lambda i: {"font_color": "#C00000"} if d.issues[i].severity == "error" else {})  # fmt: skip
        self.page(ws, (TITLE_ROWS, TITLE_ROWS), freeze=(TITLE_ROWS + 1, 2))

    def contacts(self) -> None:
        d = self.data
        ws = self.sheet("contacts")
        specs = d.contact_fields
        # the name on one line keeps the 25 units of a department on one printed page
        cols = [Column("Mã đơn vị", 10), Column("Tên đơn vị", 50, "wrap")]
        cols += [Column(label, 22, "wrap") for _, label in specs]
        if d.previous is not None:
            cols += [Column(f"{label} ({d.previous.label})", 22, "wrap") for _, label in specs]
        cols.append(Column("Thay đổi", 24, "wrap"))
        rows: list[list[Value]] = []
        for c in d.contacts:
            line: list[Value] = [c.unit_code, c.unit_name, *[c.values[n] for n, _ in specs]]
            if d.previous is not None:
                line += [(c.previous or {}).get(n, "") for n, _ in specs]
            line.append(c.change)
            rows.append(line)
        self.title(ws, "THÔNG TIN NHÂN SỰ ĐẦU MỐI", len(cols))
        self.table(ws, TITLE_ROWS, cols, rows,
                   lambda i: {"bg_color": CHANGED_FILL} if d.contacts[i].change.startswith("Thay đổi") else {})  # fmt: skip
        self.page(ws, (TITLE_ROWS, TITLE_ROWS), freeze=(TITLE_ROWS + 1, 2))

    def late(self) -> None:
        d = self.data
        ws = self.sheet("late")
        cols = [Column("Mã đơn vị", 10), Column("Tên đơn vị", 36, "wrap"), Column("Tình trạng", 18, "wrap"),
                Column("Thời điểm nhận", 16, "datetime"), Column("Số ngày muộn", 9, "int"), Column("Tệp", 30, "wrap"),
                Column("Ghi chú", 40, "wrap")]  # fmt: skip
        rows: list[list[Value]] = [[x.unit_code, x.unit_name, x.state, x.received_at, x.days_late, x.file, x.note]
                                   for x in d.late_or_missing]  # fmt: skip
        self.title(ws, f"ĐƠN VỊ CHƯA NỘP HOẶC NỘP MUỘN (hạn nộp {deadline_vi(d.info.deadline)})", len(cols))
        if not rows:
            ws.write_string(TITLE_ROWS, 0, "Tất cả đơn vị đã nộp đúng hạn.", self.styles.get(italic=True))
        else:
            self.table(ws, TITLE_ROWS, cols, rows)
        self.page(ws, (TITLE_ROWS, TITLE_ROWS), freeze=(TITLE_ROWS + 1, 2))

    def write(self) -> None:
        d = self.data
        self.wb.set_properties({
            "title": f"Báo cáo tổng hợp chỉ số chuyển đổi số — {d.info.label}",
            "subject": d.framework.title,
            "author": "DTI Desk",
            "company": "Sở Văn hóa và Thể thao",
            "created": d.generated_at,
        })  # fmt: skip
        self.summary()
        self.ranking()
        self.charts()
        self.pillars()
        self.matrix()
        self.rollup()
        self.issues()
        self.contacts()
        self.late()
        self.sheets["summary"].activate()

    def write_appendix(self) -> None:
        """The explanations workbook: about 30 printed pages for 25 units, so it is printed on request."""
        self.wb.set_properties({"title": f"Giải thích điểm từng chỉ số — {self.data.info.label}",
                                "subject": self.data.framework.title, "author": "DTI Desk",
                                "created": self.data.generated_at})  # fmt: skip
        self.explanations()
        self.firmness()

    def firmness(self) -> None:
        """How firm each rank is: close totals, the rank without min-max indicators, or with one unit left out."""
        d = self.data
        ws = self.sheet("firmness")
        cols = [Column("Hạng", 6, "int", "center"), Column("Mã đơn vị", 10), Column("Tên đơn vị", 36, "wrap"),
                Column("Nhận xét", 90, "wrap")]  # fmt: skip
        unsure = [f for f in d.firmness if f.affected]
        rows: list[list[Value]] = [[f.rank, f.unit_code, f.unit_name, f.sentence()] for f in unsure]
        if not rows:
            rows = [[None, "", "", "Thứ hạng của mọi đơn vị đều vững: không đơn vị nào cách đơn vị khác trong vòng "
                                   "1 điểm, và thứ hạng không đổi khi bỏ các chỉ số min-max hay bỏ một đơn vị."]]  # fmt: skip
        self.title(ws, "ĐỘ VỮNG CỦA THỨ HẠNG", len(cols))
        self.table(ws, TITLE_ROWS, cols, rows)
        self.page(ws, (TITLE_ROWS, TITLE_ROWS), freeze=(TITLE_ROWS + 1, 3))


WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "dd/mm/yyyy",
}


def appendix_path(target: Path) -> Path:
    """``bao-cao-tong-hop-2023-Q1-giai-thich-diem.xlsx`` beside the report: sorts next to it."""
    return target.with_name(f"{target.stem}-giai-thich-diem.xlsx")


def write_report(data: ReportData, target: Path) -> tuple[Path, Path]:
    """Write the report to ``target`` and its explanations appendix beside it (``appendix_path``),
    each atomically, the appendix first; ``app.atomic.TargetLocked`` if one is open elsewhere.

    Why two files: the explanations are one row per unit and indicator (about 30 printed pages for
    25 units); inside the report they would be printed with every "print the whole workbook". The
    report names the appendix on its summary sheet. Returns (report, appendix).
    """
    extra = appendix_path(target)

    def build(path: Path, *, appendix: bool) -> None:
        wb = Workbook(str(path), WORKBOOK_OPTIONS)
        writer = _Writer(wb, data, extra.name)
        writer.write_appendix() if appendix else writer.write()
        wb.close()

    second = write_atomic(extra, lambda path: build(path, appendix=True))
    return write_atomic(target, lambda path: build(path, appendix=False)), second


def report_filename(period_code: str) -> str:
    return f"bao-cao-tong-hop-{period_code}.xlsx"
