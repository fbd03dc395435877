"""``dtidesk appraise``, ``rank``, ``audit``: the office's appraisal, the ranking, and who did what."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from typing import Any

from app.cli.parser import typed
from app.numbers import format_decimal_vi

from .common import EXIT_OK, EXIT_USAGE, one_of, open_workspace, period_code, print_json, workspace_options


def cmd_appraise(args: argparse.Namespace) -> int:
    from app.workspace import appraise

    if args.withdraw is not None:
        return _withdraw(args)
    if not args.period:
        print("Thiếu --period KỲ (kỳ báo cáo của lần thẩm định).", file=sys.stderr)
        return EXIT_USAGE
    unit = one_of(args.unit_pos, args.unit, "mã đơn vị", "--unit")
    indicator = one_of(args.indicator_pos, args.indicator, "chỉ số", "--indicator")
    chosen = [args.score is not None, args.input is not None, args.not_applicable is not None, args.applicable]
    if sum(chosen) != 1:
        print("Chọn đúng một trong: --score ĐIỂM; --input BIẾN --value GIÁ_TRỊ; --not-applicable \"GIẢI THÍCH\"; "
              "--applicable.", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    if (args.input is None) != (args.value is None):
        print("Đổi số liệu cần cả --input BIẾN và --value GIÁ_TRỊ.", file=sys.stderr)
        return EXIT_USAGE
    expect = args.expect_version
    with open_workspace(args) as ws:
        period = period_code(ws, args.period)
        if args.score is not None:
            try:
                score = Decimal(args.score.replace(",", "."))
            except ArithmeticError:
                print(f"Điểm “{args.score}” không phải là số.", file=sys.stderr)
                return EXIT_USAGE
            row = appraise(ws, period, unit, indicator, score=score, reason=args.reason, expected_version=expect)
        elif args.input is not None:
            row = appraise(ws, period, unit, indicator, input=args.input, value=args.value, reason=args.reason,
                           expected_version=expect)  # fmt: skip
        else:
            row = appraise(ws, period, unit, indicator, not_applicable=None if args.applicable else args.not_applicable,
                           reason=args.reason, expected_version=expect)  # fmt: skip
    if args.json:
        print_json({"unit": row.unit_code, "indicator": row.indicator, "kind": row.kind, "who": row.who,
               "not_applicable": row.is_not_applicable, "input": None if row.is_not_applicable else row.input,
               "old": str(row.old) if row.old is not None else None,
               "new": str(row.new) if row.new is not None else None, "appraisal": row.id,
               "round": row.round, "version": row.version})  # fmt: skip
    elif row.is_not_applicable:
        state = "không áp dụng" if row.new is not None else "áp dụng trở lại"
        print(f"Đã ghi thẩm định {row.unit_code} chỉ số {row.indicator}: {state} ({row.who}; phiên bản {row.version}).")
    else:
        print(f"Đã ghi thẩm định {row.unit_code} chỉ số {row.indicator} ({row.who}; phiên bản {row.version}).")
    return EXIT_OK


def _withdraw(args: argparse.Namespace) -> int:
    """``appraise --withdraw ID --reason ...``: take an appraisal back; the figure before it comes back."""
    from app.workspace.appraise import withdraw

    if any(v is not None for v in (args.score, args.input, args.value, args.not_applicable)) or args.applicable:
        print("--withdraw chỉ đi cùng --reason; không ghi thêm --score, --input, --value, --not-applicable.",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    with open_workspace(args) as ws:
        row = withdraw(ws, args.withdraw, reason=args.reason, expected_version=args.expect_version)
    if args.json:
        print_json({"appraisal": row.id, "unit": row.unit_code, "indicator": row.indicator, "period": row.period,
                    "withdrawn": True, "who": row.withdrawn.who if row.withdrawn else None})  # fmt: skip
    else:
        print(f"Đã rút lại lần thẩm định số {row.id} ({row.unit_code}, chỉ số {row.indicator}, kỳ {row.period}); "
              "số liệu trước lần thẩm định đó được tính lại.")  # fmt: skip
    return EXIT_OK


def cmd_appraisals(args: argparse.Namespace) -> int:
    """Every appraisal of the period (of one unit): its number (for --withdraw), round, change, reason,
    whether it is in force, and the unit's explanation with round 2's verdict beside it."""
    from app.workspace import list_units
    from app.workspace.explain import appraisal_lines
    from app.workspace.versions import indicator_versions

    with open_workspace(args) as ws:
        period = period_code(ws, args.period)
        units = [args.unit] if args.unit else [u.code for u in list_units(ws, active_only=False)]
        lines = [(unit, line) for unit in units for line in appraisal_lines(ws, period, unit)]
        versions = {unit: indicator_versions(ws, period, unit) for unit in units}
    if args.json:
        print_json([{"appraisal": a.id, "unit": unit, "round": a.round_label, "indicator": a.indicator,
                     "change": a.change, "reason": a.reason, "who": a.who, "at": a.at, "state": a.state,
                     "withdrawn": a.state.startswith("Đã rút lại"), "explanation": a.explanation,
                     "version": versions[unit].get(a.indicator, 0)}
                    for unit, a in lines])  # fmt: skip
        return EXIT_OK
    if not lines:
        print(f"Kỳ {period}: chưa có lần thẩm định nào.")
    for unit, a in lines:
        print(f"{a.id:>4}  {unit:<8} {a.indicator:<6} {a.round_label}: {a.change}. Lý do: {a.reason} "
              f"({a.who}, {a.at:%d/%m/%Y %H:%M}) — {a.state}")  # fmt: skip
        if a.explanation:
            print(f"      {a.explanation}")
    return EXIT_OK


def cmd_rank(args: argparse.Namespace) -> int:
    from app.workspace import rank
    from scoring.rounding import cents_to_decimal

    with open_workspace(args) as ws:
        rows = rank(ws, period_code(ws, args.period))
    if args.json:
        print_json([{"rank": r.rank, "unit_code": r.unit_code, "unit_name": r.unit_name, "self_total": r.self_total,
                "appraised_total": r.appraised_total, "round1_total": r.round1_total,
                "final_total": r.appraised_total, "self_rank": r.self_rank,
                "pillars": {k: cents_to_decimal(v) for k, v in r.group_cents.items()}} for r in rows])  # fmt: skip
    elif not rows:
        print(f"Kỳ {args.period}: chưa có đơn vị nào có bản nộp được tính, nên chưa có xếp hạng. "
              "Xem tình trạng nộp bằng: dtidesk status --period KỲ")  # fmt: skip
    else:
        print(f"{'Hạng':>4}  {'Mã':<8} {'Tự chấm':>8} {'Vòng 1':>8} {'Chung cuộc':>10}  Đơn vị")
        for r in rows:
            print(
                f"{r.rank:>4}  {r.unit_code:<8} {format_decimal_vi(r.self_total):>8} "
                f"{format_decimal_vi(r.round1_total):>8} {format_decimal_vi(r.appraised_total):>10}  {r.unit_name}"
            )
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from app.workspace import audit_log
    from app.workspace.audit import action_label, audit_summary

    if args.limit is not None and args.limit < 1:
        print("--limit phải là số nguyên dương.", file=sys.stderr)
        return EXIT_USAGE
    with open_workspace(args) as ws:
        entries = audit_log(ws, period_code(ws, args.period) if args.period else None)
    if args.limit is not None:
        entries = entries[-args.limit :]
    if args.json:
        print_json([{"id": e.id, "at": e.at, "who": e.who, "action": e.action,
                "label": action_label(e.action), "summary": audit_summary(e.action, e.details),
                "details": e.details} for e in entries])  # fmt: skip
        return EXIT_OK
    print(f"{'Thời điểm':<19}  {'Người thực hiện':<16} {'Việc':<22} Chi tiết")
    for e in entries:
        print(f"{e.at:%d/%m/%Y %H:%M:%S}  {e.who:<16} {action_label(e.action):<22} "
              f"{audit_summary(e.action, e.details)}")  # fmt: skip
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("audit", help="nhật ký: ai đã làm gì, khi nào")
    p.add_argument("--period", metavar="KỲ", help="chỉ các việc của kỳ này")
    p.add_argument("--limit", type=typed(int, "một số nguyên"), metavar="N", help="chỉ N việc gần nhất")
    workspace_options(p)
    p.set_defaults(func=cmd_audit)
    p = sub.add_parser("appraise", help="thẩm định: sửa số liệu, điểm hoặc “không áp dụng” của một chỉ số, có lý do")
    p.add_argument("unit_pos", nargs="?", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị, ví dụ DV05 (hoặc dùng --unit)")
    p.add_argument("indicator_pos", nargs="?", metavar="CHỈ_SỐ", help="chỉ số, ví dụ 5.2 (hoặc dùng --indicator)")
    p.add_argument("--unit", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị (thay cho đối số thứ nhất)")
    p.add_argument("--indicator", metavar="CHỈ_SỐ", help="chỉ số, ví dụ 5.2 (thay cho đối số thứ hai)")
    p.add_argument("--period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1 (cần, trừ khi --withdraw)")
    p.add_argument(
        "--withdraw",
        type=typed(int, "một số nguyên"),
        metavar="SỐ",
        help="rút lại lần thẩm định số SỐ (xem số trong dtidesk audit); số liệu trước đó được tính lại",
    )
    p.add_argument("--score", metavar="ĐIỂM", help="điểm thẩm định mới của chỉ số, ví dụ 7,5")
    p.add_argument("--input", metavar="BIẾN", help="biến số liệu, ví dụ a")
    p.add_argument("--value", metavar="GIÁ_TRỊ", help="giá trị mới của biến ghi ở --input")
    p.add_argument(
        "--not-applicable",
        metavar="GIẢI_THÍCH",
        help="đánh dấu chỉ số “không áp dụng” (chỉ khi bộ chỉ số cho phép), kèm giải thích",
    )
    p.add_argument("--applicable", action="store_true", help="bỏ đánh dấu “không áp dụng”")
    p.add_argument("--reason", required=True, metavar="LÝ_DO", help="lý do thẩm định (ghi vào nhật ký)")
    p.add_argument("--expect-version", type=typed(int, "một số nguyên"), metavar="N",
                   help="phiên bản của chỉ số mà bạn đã xem (dtidesk appraisals --json, 0 nếu chưa thẩm định lần "
                        "nào): nếu người khác đã sửa chỉ số sau đó, lệnh từ chối (thoát 1) và không ghi đè gì")  # fmt: skip
    workspace_options(p)
    p.set_defaults(func=cmd_appraise)

    p = sub.add_parser("appraisals", help="các lần thẩm định của kỳ: số (để rút lại), vòng, thay đổi, lý do, "
                                          "giải trình của đơn vị")  # fmt: skip
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--unit", metavar="MÃ_ĐƠN_VỊ", help="chỉ đơn vị này")
    workspace_options(p)
    p.set_defaults(func=cmd_appraisals)

    p = sub.add_parser("rank", help="xếp hạng các đơn vị trong kỳ (tự chấm, thẩm định vòng 1, chung cuộc)")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    workspace_options(p)
    p.set_defaults(func=cmd_rank)
