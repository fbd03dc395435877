"""``dtidesk demo``: the whole quarter on the built-in sample, into a new folder."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.numbers import format_decimal_vi

from .common import EXIT_OK, add_resend_by, json_option, print_json


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo.run import run_demo
    from app.report.export import FOR_READING

    r = run_demo(Path(args.out).resolve(), resend_by=args.resend_by, database=args.database)
    if args.json:
        print_json({"folder": r.folder, "workspace": r.workspace, "roster": r.roster, "templates": r.templates,
               "inbox": r.inbox, "feedback": r.feedback, "ranking_csv": r.ranking_csv, "report": r.report,
               "exports": r.exports, "status": r.status,
               "received": r.received, "rejected": r.rejected, "appraisal": r.appraisal,
               "documents": r.documents, "caught": r.caught,
               "notices": r.notices, "explanations": r.explanations, "state": r.state,
               "ranking": [{"rank": t[0], "unit_code": t[1], "unit_name": t[2], "self_total": t[3],
                            "appraised_total": t[4]} for t in r.top]})  # fmt: skip
        return EXIT_OK
    from app.period import deadline_vi, parse_period

    due = deadline_vi(parse_period("2023-Q1").default_deadline)
    print(f"Chu trình một quý trên dữ liệu mẫu (25 đơn vị, kỳ 2023-Q1, hạn nộp {due}):")
    print(f"  1. Danh sách đơn vị:        {r.roster}")
    print(f"  2. Không gian làm việc:     {r.workspace}")
    print(f"  3. Biểu mẫu đã tạo:         {r.templates}")
    print(f"  4. Tệp đơn vị gửi về:       {r.inbox}")
    print(f"     Đã nhận {r.received} tệp; tình trạng: "
          + "; ".join(f"{label}: {n}" for label, n in r.status.items()))  # fmt: skip
    print(f"     Tài liệu kiểm chứng gửi kèm: {r.documents} tệp, lưu cùng bản nộp")
    for line in r.caught:
        print(f"     Phát hiện — {line}")
    print(f"  5. Tệp phản hồi:            {r.feedback[0].parent if r.feedback else '-'} ({len(r.feedback)} tệp)")
    print(f"  6. Thẩm định:               {r.appraisal}")
    print(f"     Thông báo thẩm định:     {len(r.notices)} tệp, nhận lại {r.explanations} giải trình; kỳ: {r.state}")
    print("  7. Xếp hạng:")
    for rank_, code, name, self_total, appraised in r.top[:5]:
        print(
            f"     {rank_:>2}. {code} {name}: {format_decimal_vi(appraised)} điểm "
            f"(tự chấm {format_decimal_vi(self_total)})"
        )
    print(f"  8. Báo cáo tổng hợp:        {r.report}")
    print(f"     Phụ lục giải thích điểm (in khi cần): {r.appendix.name if r.appendix else '-'}")
    reading = [p.name for p in r.exports if p.stem.endswith(FOR_READING)]
    print(f"     Kèm CSV để đọc bằng Excel: {', '.join(reading)}")
    print(f"     Kèm CSV/JSON để gửi lên: {', '.join(p.name for p in r.exports if p.name not in reading)}")
    print(f"     Báo cáo bằng văn bản (Word): {r.docx.name if r.docx else '-'}")
    print(f"  9. Tự đánh giá của Sở:      {r.department}")
    print(f"Xem tiếp: dtidesk status --workspace {r.workspace} --period 2023-Q1")
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="chạy cả chu trình một quý trên dữ liệu mẫu")
    p.add_argument("--out", default="dtidesk-demo", metavar="THƯ_MỤC", help="thư mục ra (mặc định: dtidesk-demo)")
    p.add_argument(
        "--database",
        metavar="URL",
        help="chạy trên không gian làm việc dùng chung: postgresql://TÀI_KHOẢN@MÁY_CHỦ/CSDL (CSDL trống)",
    )
    add_resend_by(p)
    json_option(p)
    p.set_defaults(func=cmd_demo)
