"""A unit's scorecard and the period's ranking as printable HTML (DESIGN §9.4).

The desktop prints them through Qt's print preview (``app.gui.printing``: a ``QTextDocument``
of this HTML); the wording, the layout and the numbers are decided here, from the same
``PeriodScores`` the Xếp hạng page and the report show, so a printed page never disagrees with
the screen. HTML rather than a PDF writer: Qt lays it out for whatever printer and paper the
office has (A4 portrait for a scorecard, landscape for the ranking), with Vietnamese text as is.
Numbers are written the Vietnamese way (``304,67``; ``app.numbers``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from app.numbers import format_decimal_vi
from app.period import deadline_vi
from app.workspace.ranking import PeriodScores, RankedUnit
from scoring.rounding import cents_to_decimal, format_points

STYLE = """
body { font-family: 'Times New Roman', serif; font-size: 11pt; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 4px 0; }
p.sub { text-align: center; margin: 0 0 10px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #555; padding: 3px 5px; }
th { background: #dce3ef; }
td.n { text-align: right; }
tr.group td { font-weight: bold; background: #f0f3f8; }
p.foot { font-size: 9pt; color: #444; margin-top: 10px; }
"""


def points(cents: int) -> str:
    return format_decimal_vi(cents_to_decimal(cents))


def _head(title: str, scores: PeriodScores, printed: date) -> str:
    info = scores.info
    return (f"<html><head><style>{STYLE}</style></head><body><h1>{escape(title)}</h1>"
            f"<p class='sub'>{escape(info.label)} — {escape(scores.framework.title)}<br>"
            f"Hạn nộp {escape(deadline_vi(info.deadline))} · In ngày {printed.strftime('%d/%m/%Y')}</p>")  # fmt: skip


def ranking_html(scores: PeriodScores, printed: date, office: str = "") -> str:
    """The ranking: rank, unit, appraised and self-assessed totals, each pillar."""
    groups = scores.framework.groups
    maximum = format_points(scores.framework.total)
    head = ("<tr><th>Hạng</th><th>Mã</th><th>Tên đơn vị</th>"
            f"<th>Tổng sau thẩm định (tối đa {maximum})</th><th>Tự chấm</th>"
            + "".join(f"<th>{escape(g.code)}. {escape(g.title)} ({format_points(g.max)})</th>" for g in groups)
            + "</tr>")  # fmt: skip
    rows = "".join(
        f"<tr><td class='n'>{u.rank}</td><td>{escape(u.unit_code)}</td><td>{escape(u.unit_name)}</td>"
        f"<td class='n'><b>{points(u.appraised_cents)}</b></td><td class='n'>{points(u.self_cents)}</td>"
        + "".join(f"<td class='n'>{points(u.group_cents.get(g.code, 0))}</td>" for g in groups)
        + "</tr>"
        for u in scores.ranked
    )
    empty = "" if scores.ranked else "<p>Chưa có đơn vị nào nộp tệp được tính trong kỳ này.</p>"
    by = f" — {escape(office)}" if office else ""
    return (_head("BẢNG XẾP HẠNG CHỈ SỐ CHUYỂN ĐỔI SỐ", scores, printed)
            + (f"<table>{head}{rows}</table>" if scores.ranked else empty)
            + f"<p class='foot'>{len(scores.ranked)} đơn vị được xếp hạng theo tổng điểm sau thẩm định; bằng điểm thì "
            f"xếp theo tên. In từ DTI Desk{by}.</p></body></html>")  # fmt: skip


def scorecard_html(scores: PeriodScores, unit_code: str, printed: date, appraised: Sequence[str] = ()) -> str:
    """One unit's scorecard: its totals and rank, then each pillar and indicator, self-assessed and appraised.

    ``appraised``: the indicators the office appraised (marked "đã thẩm định" beside the score)."""
    ranked: RankedUnit | None = next((u for u in scores.ranked if u.unit_code == unit_code), None)
    assessment = next((a for a in scores.assessments if a.unit_code == unit_code), None)
    if ranked is None or assessment is None:
        raise LookupError(unit_code)
    fw = scores.framework
    summary = (f"<p><b>{escape(ranked.unit_code)} — {escape(ranked.unit_name)}</b><br>"
               f"Tổng điểm sau thẩm định: <b>{points(ranked.appraised_cents)}</b> / {format_points(fw.total)} điểm — "
               f"hạng <b>{ranked.rank}</b> trên {len(scores.ranked)} đơn vị<br>"
               f"Tổng điểm tự chấm: {points(ranked.self_cents)} (hạng tự chấm {ranked.self_rank})</p>")  # fmt: skip
    rows = []
    for g in fw.groups:
        rows.append(f"<tr class='group'><td>{escape(g.code)}</td><td>{escape(g.title)}</td>"
                    f"<td class='n'>{format_points(g.max)}</td><td></td>"
                    f"<td class='n'>{points(ranked.group_cents.get(g.code, 0))}</td><td></td></tr>")  # fmt: skip
        for ind in fw.group_indicators(g.code):
            own, eff = assessment.indicator(ind.code)
            note = "đã thẩm định" if ind.code in appraised or own.cents != eff.cents else ""
            rows.append(f"<tr><td>{escape(ind.code)}</td><td>{escape(ind.title)}</td>"
                        f"<td class='n'>{format_points(ind.max)}</td><td class='n'>{points(own.cents)}</td>"
                        f"<td class='n'>{points(eff.cents)}</td><td>{note}</td></tr>")  # fmt: skip
    table = ("<table><tr><th>Chỉ số</th><th>Nội dung</th><th>Tối đa</th><th>Tự chấm</th><th>Thẩm định</th>"
             "<th>Ghi chú</th></tr>" + "".join(rows) + "</table>")  # fmt: skip
    return (_head("PHIẾU ĐIỂM CHỈ SỐ CHUYỂN ĐỔI SỐ", scores, printed) + summary + table
            + "<p class='foot'>Điểm thẩm định là điểm dùng để xếp hạng; điểm tự chấm là điểm đơn vị tự đánh giá "
            "trong tệp đã nộp. In từ DTI Desk.</p></body></html>")  # fmt: skip
