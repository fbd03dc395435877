"""``dtidesk period add|list|deadline|advance|publish|reopen``: reporting periods, their framework,
deadline and state (receiving → appraisal round 1 → awaiting explanations → round 2 → published).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import EXIT_OK, EXIT_USAGE, open_workspace, parse_date, period_code, print_json, workspace_options


def cmd_period_add(args: argparse.Namespace) -> int:
    from app.period import deadline_vi, parse_period
    from app.workspace import add_period

    deadline = parse_date(args.deadline) if args.deadline else None
    from app.workspace.period_frameworks import add_period_from_file, chosen_framework, period_framework_title

    with open_workspace(args) as ws:
        key = chosen_framework(args.framework)  # a built-in by id or title, or a framework file
        if isinstance(key, Path):
            info = add_period_from_file(ws, args.period, key, deadline)
        else:
            info = add_period(ws, parse_period(args.period).code, key, deadline)
        title = period_framework_title(ws, info.code)
    if args.json:
        print_json({"period": info.code, "framework": info.framework_id, "deadline": info.deadline,
                    "framework_title": title})  # fmt: skip
    else:
        print(f"Kỳ {info.code} ({info.framework_id} — {title}), hạn nộp {deadline_vi(info.deadline)}.")
    return EXIT_OK


def cmd_period_list(args: argparse.Namespace) -> int:
    from app.period import deadline_vi
    from app.workspace import list_periods
    from app.workspace.period_frameworks import period_framework_titles
    from app.workspace.rounds import period_states

    with open_workspace(args) as ws:
        periods = list_periods(ws)
        states = period_states(ws)
        titles = period_framework_titles(ws)
    if args.json:
        print_json([{"period": p.code, "framework": p.framework_id, "framework_title": titles[p.code],
                     "deadline": p.deadline, "label": p.label, **_state_json(states[p.code])} for p in periods])  # fmt: skip
        return EXIT_OK
    if not periods:
        print("Chưa có kỳ báo cáo nào; hãy thêm bằng: dtidesk period add KỲ --framework ID")
    for p in periods:
        print(
            f"{p.code:<10} {p.label:<22} {p.framework_id:<16} hạn nộp {deadline_vi(p.deadline)}  {states[p.code].label}"
        )
    return EXIT_OK


def _state_json(state: Any) -> dict[str, Any]:
    return {"state": state.state, "state_label": state.label, "explain_deadline": state.explain_deadline,
            "published_at": state.published_at, "published_by": state.published_by}  # fmt: skip


def _say_state(args: argparse.Namespace, state: Any) -> int:
    from app.period import deadline_vi

    if args.json:
        print_json({"period": state.period, **_state_json(state)})
        return EXIT_OK
    line = f"Kỳ {state.period}: {state.label}"
    if state.state == "explaining" and state.explain_deadline is not None:
        line += f" — đơn vị gửi giải trình {deadline_vi(state.explain_deadline)}"
    print(line + ".")
    return EXIT_OK


def cmd_period_advance(args: argparse.Namespace) -> int:
    from app.workspace.rounds import advance

    deadline = parse_date(args.explain_deadline) if args.explain_deadline else None
    with open_workspace(args) as ws:
        state = advance(ws, period_code(ws, args.period), explain_deadline=deadline)
    return _say_state(args, state)


def cmd_period_explain_deadline(args: argparse.Namespace) -> int:
    from app.workspace.rounds import set_explain_deadline

    deadline = parse_date(args.deadline)
    with open_workspace(args) as ws:
        state = set_explain_deadline(ws, period_code(ws, args.period), deadline)
    return _say_state(args, state)


def cmd_period_publish(args: argparse.Namespace) -> int:
    from app.workspace.rounds import publish

    with open_workspace(args) as ws:
        state = publish(ws, period_code(ws, args.period))
    return _say_state(args, state)


def cmd_period_reopen(args: argparse.Namespace) -> int:
    from app.workspace.rounds import reopen

    with open_workspace(args) as ws:
        state = reopen(ws, period_code(ws, args.period), reason=args.reason)
    return _say_state(args, state)


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
    period = sub.add_parser("period", help="kỳ báo cáo: thêm, xem, đổi hạn gửi, chuyển bước, công bố, mở lại")
    period_sub = period.add_subparsers(dest="period_command", metavar="LỆNH", title="Lệnh")
    p = period_sub.add_parser("add", help="thêm kỳ báo cáo")
    p.add_argument("period", metavar="KỲ", help='ví dụ 2023-Q1 hoặc "Quý I/2023"')
    p.add_argument("--framework", required=True, metavar="MÃ", help="bộ chỉ số của kỳ: mã (ví dụ svhtt-1690), tên, "
                   "hoặc tệp bộ chỉ số tự soạn (.yaml, được chép vào thư mục làm việc)")  # fmt: skip
    p.add_argument("--deadline", metavar="NGÀY", help="mặc định ngày 16 tháng cuối quý (Quý I/2023: 20/4/2023)")
    workspace_options(p)
    p.set_defaults(func=cmd_period_add)
    p = period_sub.add_parser("list", help="xem các kỳ báo cáo")
    workspace_options(p)
    p.set_defaults(func=cmd_period_list)
    p = period_sub.add_parser("deadline", help="đổi hạn gửi của một kỳ (ghi nhật ký)")
    p.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument(
        "deadline", metavar="NGÀY", help="hạn mới: tệp đúng hạn khi nhận trước 00g00 ngày này, ví dụ 20/04/2023"
    )
    workspace_options(p)
    p.set_defaults(func=cmd_period_deadline)
    p = period_sub.add_parser("advance", help="chuyển kỳ sang bước tiếp theo: nhận báo cáo → thẩm định vòng 1 → chờ "
                                              "giải trình → thẩm định vòng 2 → công bố (ghi nhật ký)")  # fmt: skip
    p.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--explain-deadline", metavar="NGÀY", help="hạn đơn vị gửi giải trình khi chuyển sang bước chờ "
                                                             "giải trình (mặc định: 5 ngày làm việc)")  # fmt: skip
    workspace_options(p)
    p.set_defaults(func=cmd_period_advance)
    p = period_sub.add_parser("explain-deadline", help="đổi hạn đơn vị gửi giải trình (ghi nhật ký)")
    p.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("deadline", metavar="NGÀY", help="giải trình đúng hạn khi nhận trước 00g00 ngày này")
    workspace_options(p)
    p.set_defaults(func=cmd_period_explain_deadline)
    p = period_sub.add_parser("publish", help="công bố kết quả: khóa kỳ (bộ chỉ số, danh sách đơn vị, số liệu, "
                                              "thẩm định, xếp hạng)")  # fmt: skip
    p.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    workspace_options(p)
    p.set_defaults(func=cmd_period_publish)
    p = period_sub.add_parser("reopen", help="mở lại kỳ đã công bố (cần lý do, ghi nhật ký)")
    p.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--reason", required=True, metavar="LÝ_DO", help="lý do mở lại (ghi vào nhật ký)")
    workspace_options(p)
    p.set_defaults(func=cmd_period_reopen)
