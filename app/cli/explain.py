"""``dtidesk explain notices|list|accept|reject``: giải trình — round 1's notices to the units, their
explanations (received with ``dtidesk ingest``, recognised by the notice's metadata), round 2's verdicts.
"""

from __future__ import annotations

import argparse
from typing import Any

from .common import EXIT_OK, open_workspace, parse_date, period_code, print_json, workspace_options


def cmd_notices(args: argparse.Namespace) -> int:
    from app.workspace.explain import notice_file, write_notices

    due = parse_date(args.explain_by) if args.explain_by else None
    with open_workspace(args) as ws:
        period = period_code(ws, args.period)
        if args.unit:
            files = {args.unit: notice_file(ws, period, args.unit, explain_by=due)}
        else:
            files = write_notices(ws, period, explain_by=due)
    if args.json:
        print_json([{"unit": unit, "file": path} for unit, path in files.items()])
    elif not files:
        print(f"Kỳ {period}: thẩm định vòng 1 chưa điều chỉnh chỉ số nào của đơn vị nào; không có thông báo để gửi.")
    else:
        print(f"Đã ghi {len(files)} thông báo thẩm định:")
        for unit, path in files.items():
            print(f"  {unit}: {path}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from app.workspace.explain import explanations

    with open_workspace(args) as ws:
        rows = explanations(ws, period_code(ws, args.period), args.unit)
    if args.json:
        print_json([{"unit": e.unit_code, "indicator": e.indicator, "explanation": e.explanation,
                     "evidence": e.evidence, "file": e.file_name, "at": e.at, "decision": e.decision,
                     "decision_label": e.decision_label, "decision_reason": e.decision_reason,
                     "decided_by": e.decided_by} for e in rows])  # fmt: skip
        return EXIT_OK
    if not rows:
        print(f"Kỳ {args.period}: chưa nhận giải trình nào.")
    for e in rows:
        verdict = e.decision_label + (f" ({e.decision_reason})" if e.decision_reason else "")
        evidence = f" Tài liệu mới: {e.evidence}." if e.evidence else ""
        print(f"{e.unit_code:<8} {e.indicator:<6} {verdict}: {e.explanation}{evidence}")
    return EXIT_OK


def cmd_decide(args: argparse.Namespace) -> int:
    from app.workspace.explain import decide

    with open_workspace(args) as ws:
        e = decide(ws, period_code(ws, args.period), args.unit, args.indicator, accept=args.accept,
                   reason=args.reason)  # fmt: skip
    if args.json:
        print_json({"unit": e.unit_code, "indicator": e.indicator, "decision": e.decision,
                    "reason": e.decision_reason, "who": e.decided_by})  # fmt: skip
    else:
        print(f"{e.unit_code} chỉ số {e.indicator}: {e.decision_label.lower()} giải trình ({e.decided_by}).")
    return EXIT_OK


def register(sub: Any) -> None:
    explain = sub.add_parser("explain", help="giải trình: thông báo thẩm định vòng 1, giải trình của đơn vị, "
                                             "xét ở vòng 2")  # fmt: skip
    explain_sub = explain.add_subparsers(dest="explain_command", metavar="LỆNH", title="Lệnh")
    p = explain_sub.add_parser(
        "notices", help="ghi thông báo thẩm định cho mỗi đơn vị có chỉ số bị điều chỉnh ở vòng 1"
    )
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--unit", metavar="MÃ_ĐƠN_VỊ", help="chỉ đơn vị này")
    p.add_argument("--explain-by", metavar="NGÀY", help="hạn gửi giải trình ghi trong thông báo (mặc định: hạn "
                                                        "giải trình của kỳ)")  # fmt: skip
    workspace_options(p)
    p.set_defaults(func=cmd_notices)
    p = explain_sub.add_parser("list", help="xem giải trình đã nhận và kết quả xét")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--unit", metavar="MÃ_ĐƠN_VỊ", help="chỉ đơn vị này")
    workspace_options(p)
    p.set_defaults(func=cmd_list)
    for name, accept, text in (("accept", True, "chấp nhận"), ("reject", False, "không chấp nhận")):
        p = explain_sub.add_parser(name, help=f"thẩm định vòng 2: {text} giải trình của một chỉ số (có lý do)")
        p.add_argument("unit", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị, ví dụ DV05")
        p.add_argument("indicator", metavar="CHỈ_SỐ", help="chỉ số, ví dụ 1.1")
        p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
        p.add_argument("--reason", required=True, metavar="LÝ_DO", help="lý do (ghi vào nhật ký)")
        workspace_options(p)
        p.set_defaults(func=cmd_decide, accept=accept)
