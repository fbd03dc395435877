"""The quarterly cycle on a workspace, from the command line (SPEC §2, §8).

``dtidesk init DIR``, ``units import``, ``period add``, ``ingest``, ``status``, ``appraise``,
``rank`` and ``demo``. Each finds the workspace from ``--workspace`` or the current folder (or a
parent), calls one core function of ``app.workspace`` and prints a table or ``--json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _json(data: Any) -> None:
    def default(o: Any) -> Any:
        if isinstance(o, Decimal):
            return float(o)
        if isinstance(o, date | datetime):
            return o.isoformat()
        if isinstance(o, Path):
            return str(o)
        raise TypeError(type(o).__name__)

    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=default)
    sys.stdout.write("\n")


def _workspace(args: argparse.Namespace) -> Any:
    from app.workspace import Workspace, find

    folder = Path(args.workspace) if args.workspace else find(Path.cwd())
    if folder is None:
        raise SystemExit("Không tìm thấy không gian làm việc: chạy lệnh trong thư mục đó, dùng --workspace DIR, "
                         "hoặc tạo mới bằng: dtidesk init DIR")  # fmt: skip
    return Workspace.open(folder)


def _period(ws: Any, text: str) -> str:
    from app.period import parse_period

    code = parse_period(text).code
    from app.workspace import get_period

    get_period(ws, code)  # raises WorkspaceError with a message when the period is not set up
    return code


def _guard(func: Any) -> Any:
    """Turn the workspace's and the parser's errors into one Vietnamese line and exit code 2."""

    def run(args: argparse.Namespace) -> int:
        from app.workspace import WorkspaceError

        try:
            return int(func(args))
        except (WorkspaceError, ValueError, KeyError, FileExistsError) as exc:
            text = str(exc.args[0]) if exc.args else str(exc)
            if isinstance(exc, FileExistsError):
                text = f"Thư mục {exc.args[0]} đã có dữ liệu; hãy chọn thư mục khác (--out)."
            print(text, file=sys.stderr)
            return EXIT_USAGE
        except SystemExit as exc:
            print(exc.code, file=sys.stderr)
            return EXIT_USAGE

    return run


@_guard
def cmd_init(args: argparse.Namespace) -> int:
    from app.workspace import Workspace

    ws = Workspace.create(Path(args.dir))
    ws.close()
    if args.json:
        _json({"ok": True, "workspace": str(ws.folder)})
    else:
        print(f"Đã tạo không gian làm việc: {ws.folder}")
    return EXIT_OK


@_guard
def cmd_units_import(args: argparse.Namespace) -> int:
    from app.workbook.roster import RosterError
    from app.workspace import import_roster

    with _workspace(args) as ws:
        try:
            added, updated = import_roster(ws, Path(args.file))
        except RosterError as exc:
            for p in exc.problems:
                print(p.message, file=sys.stderr)
            return EXIT_ERRORS
    if args.json:
        _json({"added": added, "updated": updated})
    else:
        print(f"Đã thêm {added} đơn vị, cập nhật {updated} đơn vị.")
    return EXIT_OK


@_guard
def cmd_period_add(args: argparse.Namespace) -> int:
    from app.cli import _parse_date
    from app.period import parse_period
    from app.workspace import add_period

    deadline = _parse_date(args.deadline) if args.deadline else None
    with _workspace(args) as ws:
        info = add_period(ws, parse_period(args.period).code, args.framework, deadline)
    if args.json:
        _json({"period": info.code, "framework": info.framework_id, "deadline": info.deadline})
    else:
        print(f"Kỳ {info.code} ({info.framework_id}), hạn gửi trước 00g00 ngày {info.deadline:%d/%m/%Y}.")
    return EXIT_OK


@_guard
def cmd_ingest(args: argparse.Namespace) -> int:
    from app.workspace import ingest

    paths = [Path(p) for p in args.paths]
    absent = [str(p) for p in paths if not p.exists()]
    if absent:
        print(f"Không tìm thấy: {', '.join(absent)}", file=sys.stderr)
        return EXIT_USAGE
    with _workspace(args) as ws:
        result = ingest(ws, _period(ws, args.period), paths)
    if args.json:
        _json({"added": result.added, "rejected": result.rejected, "skipped": result.skipped})
    else:
        print(f"Đã nhận {len(result.added)} tệp, {len(result.rejected)} tệp không đọc được, "
              f"{len(result.skipped)} tệp đã có từ trước.")  # fmt: skip
    return EXIT_ERRORS if result.rejected else EXIT_OK


@_guard
def cmd_status(args: argparse.Namespace) -> int:
    from app.workspace import status

    with _workspace(args) as ws:
        rows = status(ws, _period(ws, args.period))
    if args.json:
        _json([{"unit_code": r.unit_code, "unit_name": r.unit_name, "state": r.state, "label": r.label_vi,
                "on_time": r.on_time, "received_at": r.received_at, "errors": r.errors, "warnings": r.warnings,
                "file": r.file, "files": r.files, "message": r.message} for r in rows])  # fmt: skip
    else:
        for r in rows:
            print(f"{r.unit_code or '-':<8} {r.label_vi:<24} {r.unit_name or r.file}")
    return EXIT_ERRORS if any(r.errors for r in rows) else EXIT_OK


@_guard
def cmd_appraise(args: argparse.Namespace) -> int:
    from app.workspace import appraise

    if (args.score is None) == (args.input is None):
        print("Chọn một trong hai: --score ĐIỂM, hoặc --input BIẾN --value GIÁ_TRỊ.", file=sys.stderr)
        return EXIT_USAGE
    with _workspace(args) as ws:
        period = _period(ws, args.period)
        if args.score is not None:
            row = appraise(ws, period, args.unit, args.indicator, score=Decimal(args.score.replace(",", ".")),
                           reason=args.reason)  # fmt: skip
        else:
            row = appraise(ws, period, args.unit, args.indicator, input=args.input, value=args.value,
                           reason=args.reason)  # fmt: skip
    if args.json:
        _json({"unit": row.unit_code, "indicator": row.indicator, "kind": row.kind, "who": row.who})
    else:
        print(f"Đã ghi thẩm định {row.unit_code} chỉ số {row.indicator} ({row.who}).")
    return EXIT_OK


@_guard
def cmd_rank(args: argparse.Namespace) -> int:
    from app.workspace import rank

    with _workspace(args) as ws:
        rows = rank(ws, _period(ws, args.period))
    if args.json:
        _json([{"rank": r.rank, "unit_code": r.unit_code, "unit_name": r.unit_name, "self_total": r.self_total,
                "appraised_total": r.appraised_total, "self_rank": r.self_rank,
                "pillars": {k: Decimal(v).scaleb(-2) for k, v in r.group_cents.items()}} for r in rows])  # fmt: skip
    else:
        print(f"{'Hạng':>4}  {'Mã':<8} {'Tự chấm':>8} {'Thẩm định':>9}  Đơn vị")
        for r in rows:
            print(f"{r.rank:>4}  {r.unit_code:<8} {r.self_total:>8.2f} {r.appraised_total:>9.2f}  {r.unit_name}")
    return EXIT_OK


@_guard
def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo.run import run_demo

    r = run_demo(Path(args.out).resolve())
    if args.json:
        _json({"folder": r.folder, "workspace": r.workspace, "roster": r.roster, "templates": r.templates,
               "inbox": r.inbox, "feedback": r.feedback, "ranking_csv": r.ranking_csv, "status": r.status,
               "received": r.received, "rejected": r.rejected, "appraisal": r.appraisal,
               "ranking": [{"rank": t[0], "unit_code": t[1], "unit_name": t[2], "self_total": t[3],
                            "appraised_total": t[4]} for t in r.top]})  # fmt: skip
        return EXIT_OK
    print("Chu trình một quý trên dữ liệu mẫu (25 đơn vị, kỳ 2023-Q1, hạn 20/04/2023):")
    print(f"  1. Danh sách đơn vị:        {r.roster}")
    print(f"  2. Không gian làm việc:     {r.workspace}")
    print(f"  3. Biểu mẫu đã tạo:         {r.templates}")
    print(f"  4. Tệp đơn vị gửi về:       {r.inbox}")
    print(f"     Đã nhận {r.received} tệp; tình trạng: "
          + "; ".join(f"{label}: {n}" for label, n in r.status.items()))  # fmt: skip
    print(f"  5. Tệp phản hồi:            {r.feedback[0].parent if r.feedback else '-'} ({len(r.feedback)} tệp)")
    print(f"  6. Thẩm định:               {r.appraisal}")
    print(f"  7. Xếp hạng:                {r.ranking_csv}")
    for rank_, code, name, self_total, appraised in r.top[:5]:
        print(f"     {rank_:>2}. {code} {name}: {appraised:.2f} điểm (tự chấm {self_total:.2f})")
    print(f"Xem tiếp: dtidesk status --workspace {r.workspace} --period 2023-Q1")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add the cycle's commands to the ``dtidesk`` parser."""

    def ws_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--workspace", metavar="DIR", help="không gian làm việc (mặc định: thư mục hiện tại)")
        p.add_argument("--json", action="store_true", help="in JSON")

    p = sub.add_parser("init", help="tạo không gian làm việc mới")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--json", action="store_true", help="in JSON")
    p.set_defaults(func=cmd_init)

    units = sub.add_parser("units", help="đơn vị: nhập danh sách")
    units_sub = units.add_subparsers(dest="units_command", metavar="LỆNH")
    p = units_sub.add_parser("import", help="nhập danh sách đơn vị (.xlsx hoặc .csv)")
    p.add_argument("file", metavar="FILE")
    ws_arg(p)
    p.set_defaults(func=cmd_units_import)

    period = sub.add_parser("period", help="kỳ báo cáo: thêm")
    period_sub = period.add_subparsers(dest="period_command", metavar="LỆNH")
    p = period_sub.add_parser("add", help="thêm kỳ báo cáo")
    p.add_argument("period", metavar="KỲ", help="ví dụ 2023-Q1 hoặc \"Quý I/2023\"")
    p.add_argument("--framework", required=True, metavar="ID")
    p.add_argument("--deadline", metavar="NGÀY", help="mặc định ngày 16 tháng cuối quý (Quý I/2023: 20/4/2023)")
    ws_arg(p)
    p.set_defaults(func=cmd_period_add)

    p = sub.add_parser("ingest", help="tiếp nhận các tệp đơn vị gửi về vào không gian làm việc")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    p.add_argument("--period", required=True, metavar="KỲ")
    ws_arg(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("status", help="tình trạng nộp của từng đơn vị trong kỳ")
    p.add_argument("--period", required=True, metavar="KỲ")
    ws_arg(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("appraise", help="thẩm định: sửa số liệu hoặc điểm một chỉ số, có lý do")
    p.add_argument("unit", metavar="MÃ_ĐƠN_VỊ")
    p.add_argument("indicator", metavar="CHỈ_SỐ")
    p.add_argument("--period", required=True, metavar="KỲ")
    p.add_argument("--score", metavar="ĐIỂM")
    p.add_argument("--input", metavar="BIẾN", help="biến số liệu, ví dụ a")
    p.add_argument("--value", metavar="GIÁ_TRỊ")
    p.add_argument("--reason", required=True, metavar="LÝ_DO")
    ws_arg(p)
    p.set_defaults(func=cmd_appraise)

    p = sub.add_parser("rank", help="xếp hạng các đơn vị trong kỳ (tự chấm và thẩm định)")
    p.add_argument("--period", required=True, metavar="KỲ")
    ws_arg(p)
    p.set_defaults(func=cmd_rank)

    p = sub.add_parser("demo", help="chạy cả chu trình một quý trên dữ liệu mẫu")
    p.add_argument("--out", default="dtidesk-demo", metavar="DIR", help="thư mục ra (mặc định: dtidesk-demo)")
    p.add_argument("--json", action="store_true", help="in JSON")
    p.set_defaults(func=cmd_demo)


__all__ = ["register"]
