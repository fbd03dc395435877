"""``dtidesk assign``, ``withdraw``, ``original``: the office corrects what intake decided (issue 21).

Each command calls one function of ``app.workspace.corrections`` (the desktop's Tiếp nhận page calls
the same) and prints what changed; the reason is required and goes into the audit log.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import EXIT_OK, EXIT_USAGE, open_workspace, period_code, print_json, workspace_options


def _submission_id(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def cmd_assign(args: argparse.Namespace) -> int:
    from app.workspace.corrections import assign_rejected, assign_submission

    sid = _submission_id(args.target)
    if sid is None and not args.period:
        print("Gán một tệp không đọc được theo tên tệp cần cả --period KỲ; một bản nộp: ghi số bản nộp (cột "
              "submission_id của dtidesk status --json).", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    with open_workspace(args) as ws:
        if sid is not None:
            sub = assign_submission(ws, sid, args.unit, args.reason)
            result: dict[str, Any] = {"submission": sid, "period": sub.period, "unit": sub.unit_code,
                                      "file": sub.file_name, "status": sub.status}  # fmt: skip
            line = (f"Bản nộp số {sid} ({sub.file_name}) đã gán cho đơn vị {sub.unit_code}"
                    f"{' và được tính' if sub.status == 'active' else ''}; đã ghi nhật ký.")  # fmt: skip
        else:
            period = period_code(ws, args.period)
            key = assign_rejected(ws, period, args.target, args.unit, args.reason)
            result = {"period": period, "file": args.target, "sha256": key, "unit": args.unit}
            line = f"Tệp {args.target} (không đọc được) đã gán cho đơn vị {args.unit}; đã ghi nhật ký."
    if args.json:
        print_json(result)
    else:
        print(line)
    return EXIT_OK


def cmd_withdraw(args: argparse.Namespace) -> int:
    from app.workspace.corrections import restore_submission, withdraw_submission

    with open_workspace(args) as ws:
        move = restore_submission if args.restore else withdraw_submission
        sub = move(ws, args.submission, args.reason)
    if args.json:
        print_json({"submission": args.submission, "period": sub.period, "unit": sub.unit_code or None,
                    "file": sub.file_name, "status": sub.status, "withdrawn": not args.restore})  # fmt: skip
    elif args.restore:
        print(f"Bản nộp số {args.submission} ({sub.file_name}) được khôi phục"
              f"{' và đang được tính' if sub.status == 'active' else ''}; đã ghi nhật ký.")  # fmt: skip
    else:
        print(f"Bản nộp số {args.submission} ({sub.file_name}) đã rút, không còn được tính; bản nộp trước đó của "
              "đơn vị (nếu có) được tính lại. Đã ghi nhật ký.")  # fmt: skip
    return EXIT_OK


def cmd_original(args: argparse.Namespace) -> int:
    from app.workspace.corrections import export_original

    with open_workspace(args) as ws:
        out = export_original(ws, args.submission, Path(args.out))
    if args.json:
        print_json({"submission": args.submission, "path": str(out)})
    else:
        print(f"Đã chép tệp gốc của bản nộp số {args.submission} vào {out}.")
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("assign", help="gán một bản nộp (hoặc tệp không đọc được) cho đơn vị, có lý do")
    p.add_argument("target", metavar="SỐ_BẢN_NỘP_HOẶC_TÊN_TỆP",
                   help="số bản nộp (submission_id của dtidesk status --json) hoặc tên tệp không đọc được")  # fmt: skip
    p.add_argument("--unit", required=True, metavar="MÃ_ĐƠN_VỊ", help="đơn vị đã gửi tệp")
    p.add_argument("--reason", required=True, metavar="LÝ_DO", help="vì sao (ghi vào nhật ký)")
    p.add_argument("--period", metavar="KỲ", help="kỳ báo cáo (khi gán tệp không đọc được theo tên)")
    workspace_options(p)
    p.set_defaults(func=cmd_assign)

    p = sub.add_parser("withdraw", help="rút một bản nộp (không tính nữa) hoặc khôi phục (--restore), có lý do")
    p.add_argument("submission", type=int, metavar="SỐ_BẢN_NỘP", help="số bản nộp (dtidesk status --json)")
    p.add_argument("--reason", required=True, metavar="LÝ_DO", help="vì sao (ghi vào nhật ký)")
    p.add_argument("--restore", action="store_true", help="khôi phục bản nộp đã rút")
    workspace_options(p)
    p.set_defaults(func=cmd_withdraw)

    p = sub.add_parser("original", help="chép tệp gốc đơn vị đã gửi (bản nộp) ra một tệp hoặc thư mục")
    p.add_argument("submission", type=int, metavar="SỐ_BẢN_NỘP", help="số bản nộp (dtidesk status --json)")
    p.add_argument("--out", required=True, metavar="TỆP_HOẶC_THƯ_MỤC", help="nơi ghi bản sao")
    workspace_options(p)
    p.set_defaults(func=cmd_original)
