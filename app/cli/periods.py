"""``dtidesk period add|list|deadline``: reporting periods, their framework and deadline.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import EXIT_OK, EXIT_USAGE, open_workspace, parse_date, period_code, print_json, workspace_options


def cmd_period_add(args: argparse.Namespace) -> int:
    from app.period import deadline_vi, parse_period
    from app.workspace import add_period

    deadline = parse_date(args.deadline) if args.deadline else None
    with open_workspace(args) as ws:
        info = add_period(ws, parse_period(args.period).code, args.framework, deadline)
    if args.json:
        print_json({"period": info.code, "framework": info.framework_id, "deadline": info.deadline})
    else:
        print(f"Kỳ {info.code} ({info.framework_id}), hạn nộp {deadline_vi(info.deadline)}.")
    return EXIT_OK


def cmd_period_list(args: argparse.Namespace) -> int:
    from app.period import deadline_vi
    from app.workspace import list_periods

    with open_workspace(args) as ws:
        periods = list_periods(ws)
    if args.json:
        print_json([{"period": p.code, "framework": p.framework_id, "deadline": p.deadline, "label": p.label}
               for p in periods])  # fmt: skip
        return EXIT_OK
    if not periods:
        print("Chưa có kỳ báo cáo nào; hãy thêm bằng: dtidesk period add KỲ --framework ID")
    for p in periods:
        print(f"{p.code:<10} {p.label:<22} {p.framework_id:<16} hạn nộp {deadline_vi(p.deadline)}")
    return EXIT_OK


def cmd_period_deadline(args: argparse.Namespace) -> int:
    from app.period import deadline_vi
    from app.workspace import get_period, set_deadline

    try:
        deadline = parse_date(args.deadline)
    except ValueError:
        print(f"Hạn gửi không hợp lệ: “{args.deadline}” — ví dụ đúng: 20/04/2023 hoặc 2023-04-20.", file=sys.stderr)
        return EXIT_USAGE
    with open_workspace(args) as ws:
        old = get_period(ws, period_code(ws, args.period))
        info = set_deadline(ws, old.code, deadline)
    if args.json:
        print_json({"period": info.code, "old": old.deadline, "deadline": info.deadline})
    else:
        print(f"Kỳ {info.code}: hạn nộp đổi từ {deadline_vi(old.deadline)} sang {deadline_vi(info.deadline)}.")
    return EXIT_OK


def register(sub: Any) -> None:
    period = sub.add_parser("period", help="kỳ báo cáo: thêm, xem, đổi hạn gửi")
    period_sub = period.add_subparsers(dest="period_command", metavar="LỆNH", title="Lệnh")
    p = period_sub.add_parser("add", help="thêm kỳ báo cáo")
    p.add_argument("period", metavar="KỲ", help="ví dụ 2023-Q1 hoặc \"Quý I/2023\"")
    p.add_argument("--framework", required=True, metavar="MÃ", help="mã bộ chỉ số của kỳ, ví dụ svhtt-1690")
    p.add_argument("--deadline", metavar="NGÀY", help="mặc định ngày 16 tháng cuối quý (Quý I/2023: 20/4/2023)")
    workspace_options(p)
    p.set_defaults(func=cmd_period_add)
    p = period_sub.add_parser("list", help="xem các kỳ báo cáo")
    workspace_options(p)
    p.set_defaults(func=cmd_period_list)
    p = period_sub.add_parser("deadline", help="đổi hạn gửi của một kỳ (ghi nhật ký)")
    p.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("deadline", metavar="NGÀY", help="hạn mới: tệp đúng hạn khi nhận trước 00g00 ngày này, "
                                                    "ví dụ 20/04/2023")
    workspace_options(p)
    p.set_defaults(func=cmd_period_deadline)
