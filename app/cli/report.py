"""``dtidesk report --period P [--out FILE]``: the consolidated report of a period (DESIGN §7).

Thin: finds the workspace, calls ``app.report.make_report`` and prints where the files are (or
``--json``). A target open in Excel is exit 1 with a "close the file" message, not a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import EXIT_ERRORS, EXIT_OK, open_workspace, period_code, print_json, workspace_options


def cmd_report(args: argparse.Namespace) -> int:
    from app.report import TargetLocked, make_report

    with open_workspace(args) as ws:
        period = period_code(ws, args.period)
        try:
            result = make_report(ws, period, Path(args.out) if args.out else None, exports=not args.no_export,
                                 docx=args.docx, prepared_by=args.prepared_by, approved_by=args.approved_by)  # fmt: skip
        except TargetLocked as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_ERRORS
    s = result.data.summary
    if args.json:
        print_json({"period": period, "workbook": result.workbook, "exports": result.exports,
               "summary": {"expected": s.expected, "received": s.received, "on_time": s.on_time, "late": s.late,
                           "missing": s.missing, "with_errors": s.with_errors},
               "units_ranked": len(result.data.ranking), "docx": result.docx})  # fmt: skip
        return EXIT_OK
    print(f"Báo cáo tổng hợp {result.data.info.label}: {result.workbook}")
    if result.docx is not None:
        print(f"Báo cáo bằng văn bản (Word): {result.docx}")
    for path in result.exports:
        print(f"  Tệp xuất: {path}")
    print(f"Đơn vị phải nộp {s.expected}: đã nộp {s.received} (đúng hạn {s.on_time}, muộn {s.late}), "
          f"chưa nộp {s.missing}, còn lỗi {s.with_errors}.")  # fmt: skip
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("report", help="xuất báo cáo tổng hợp của kỳ (.xlsx có biểu đồ, kèm CSV/JSON)")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--out", metavar="TỆP", help="tệp .xlsx cần ghi (mặc định: reports/<kỳ>/ trong thư mục làm việc)")
    p.add_argument("--docx", action="store_true", help="ghi thêm báo cáo bằng văn bản (.docx, thể thức NĐ 30/2020)")
    p.add_argument("--no-export", action="store_true", help="không ghi các tệp CSV/JSON kèm theo")
    p.add_argument("--prepared-by", metavar="HỌ_TÊN", help="người lập báo cáo (ghi cùng --approved-by)")
    p.add_argument("--approved-by", metavar="HỌ_TÊN", help="người phê duyệt báo cáo: khác người lập")
    workspace_options(p)
    p.set_defaults(func=cmd_report)
