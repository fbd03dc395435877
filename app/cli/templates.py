"""``dtidesk template``: one workbook per unit, from the workspace (roster, period) or from a roster file."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from app.errors import UsageError

from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    framework_and_period,
    json_option,
    parse_date,
    print_json,  # fmt: skip
)


def cmd_template(args: argparse.Namespace) -> int:
    """Templates from a roster file (``--roster``, stateless) or from the workspace's roster and period."""
    if not args.roster:
        return _template_in_workspace(args)
    missing = [flag for flag, value in (("--framework", args.framework), ("--out", args.out)) if not value]
    if missing:
        print(f"Khi dùng --roster, cần cả {' và '.join(missing)}.", file=sys.stderr)
        return EXIT_USAGE
    return _template_from_roster(args)


def _template_in_workspace(args: argparse.Namespace) -> int:
    """``generate_for_period``: the workspace's roster, the period's framework and deadline, into
    ``<workspace>/templates/<period>/``."""
    from app.period import parse_period
    from app.workspace import Workspace, WorkspaceError, find, get_period, list_units
    from app.workspace.templates import generate_for_period

    folder = Path(args.workspace) if args.workspace else find(Path.cwd())
    if folder is None:
        print("Cần --roster TỆP (cùng --framework và --out), hoặc chạy trong không gian làm việc "
              "(hay dùng --workspace DIR) để lấy danh sách đơn vị và kỳ đã có.", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    for flag, value in (("--out", args.out), ("--deadline", args.deadline)):
        if value:
            why = ("biểu mẫu được ghi vào thư mục templates của không gian làm việc" if flag == "--out" else
                   "hạn gửi lấy theo kỳ; đổi bằng: dtidesk period deadline KỲ NGÀY")  # fmt: skip
            print(f"Không dùng {flag} khi tạo biểu mẫu từ không gian làm việc: {why}.", file=sys.stderr)
            return EXIT_USAGE
    try:
        period_code = parse_period(args.period).code
        with Workspace.open(folder) as ws:
            info = get_period(ws, period_code)
            if args.framework and args.framework != info.framework_id:
                print(f"Kỳ {info.code} dùng bộ chỉ số {info.framework_id}, không phải {args.framework}; "
                      "bỏ --framework hoặc chọn đúng kỳ.", file=sys.stderr)  # fmt: skip
                return EXIT_USAGE
            codes: list[str] = []
            if args.unit:
                by_key = {u.code.casefold(): u.code for u in list_units(ws)}
                codes = [by_key.get(c.strip().casefold(), c.strip()) for c in args.unit]
            written = generate_for_period(ws, info.code, codes, send_to=args.send_to or "", password=args.password)
            workspace = ws.folder
    except (WorkspaceError, UsageError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    target = workspace / "templates" / info.code
    if args.json:
        print_json({"ok": True, "workspace": str(workspace), "framework": info.framework_id, "period": info.code,
                     "deadline": info.deadline.isoformat(), "folder": str(target),
                     "files": [{"unit_code": g.unit.code, "unit_name": g.unit.name, "path": str(g.path)}
                               for g in written]})  # fmt: skip
    else:
        for g in written:
            print(f"{g.unit.code:<10} {g.path}")
        from app.period import deadline_vi

        print(f"Đã tạo {len(written)} biểu mẫu ({info.framework_id}, {info.label}, hạn nộp {deadline_vi(info.deadline)}) "
              f"trong {target}.")  # fmt: skip
    return EXIT_OK


def _template_from_roster(args: argparse.Namespace) -> int:
    from app.workbook.generate import generate_templates
    from app.workbook.roster import RosterError, read_roster
    from app.workbook.template import TemplateOptions

    loaded = framework_and_period(args)
    if isinstance(loaded, int):
        return loaded
    fw, period = loaded
    deadline: date | None = None
    if args.deadline:
        try:
            deadline = parse_date(args.deadline)
        except ValueError:
            print(f"Hạn gửi không hợp lệ: '{args.deadline}' — ví dụ đúng: 16/03/2023 hoặc 2023-03-16.", file=sys.stderr)
            return EXIT_USAGE
    roster_path = Path(args.roster)
    try:
        units = read_roster(roster_path)
    except RosterError as exc:
        if args.json:
            print_json({"ok": False, "problems": [asdict(p) for p in exc.problems]})
        else:
            for problem in exc.problems:
                print(problem.message, file=sys.stderr)
        return EXIT_ERRORS
    if args.unit:
        wanted = {c.strip().casefold() for c in args.unit}
        chosen = [u for u in units if u.code.casefold() in wanted]
        missing = wanted - {u.code.casefold() for u in chosen}
        if missing:
            print(f"Không có đơn vị {', '.join(sorted(missing))} trong {roster_path.name}.", file=sys.stderr)
            return EXIT_USAGE
        units = chosen
    options = TemplateOptions(deadline=deadline, send_to=args.send_to or "", password=args.password)
    written = generate_templates(fw, units, period, Path(args.out), options)
    if args.json:
        print_json({"ok": True, "framework": fw.id, "period": period.code,
                     "files": [{"unit_code": g.unit.code, "unit_name": g.unit.name, "path": str(g.path)}
                               for g in written]})  # fmt: skip
    else:
        for g in written:
            print(f"{g.unit.code:<10} {g.path}")
        folder = written[0].path.parent if written else Path(args.out)
        print(f"Đã tạo {len(written)} biểu mẫu ({fw.id}, {period.label_vi}) trong {folder}.")
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("template", help="tạo biểu mẫu cho từng đơn vị: từ không gian làm việc, hoặc từ --roster")
    p.add_argument(
        "--framework",
        metavar="MÃ",
        help="mã bộ chỉ số, ví dụ svhtt-1690 (cần khi dùng --roster; trong không gian làm việc lấy theo kỳ)",
    )
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument(
        "--roster",
        metavar="TỆP",
        help="danh sách đơn vị (.xlsx hoặc .csv); không có thì dùng danh sách của không gian làm việc",
    )
    p.add_argument("--out", metavar="THƯ_MỤC", help="thư mục ra khi dùng --roster (tạo thư mục con theo kỳ)")
    p.add_argument("--workspace", metavar="THƯ_MỤC", help="không gian làm việc (mặc định: thư mục hiện tại)")
    p.add_argument("--unit", action="append", metavar="MÃ_ĐƠN_VỊ", help="chỉ tạo cho đơn vị này (lặp lại được)")
    p.add_argument("--deadline", metavar="NGÀY", help="hạn gửi khi dùng --roster (mặc định: ngày 16 tháng cuối quý)")
    p.add_argument("--send-to", metavar="EMAIL", help="nơi nhận, ghi trong hướng dẫn")
    p.add_argument("--password", metavar="MẬT_KHẨU", help="mật khẩu bảo vệ sheet (mặc định: không mật khẩu)")
    json_option(p)
    p.set_defaults(func=cmd_template)
