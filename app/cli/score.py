"""``dtidesk score``: read, check, score and rank returned files without a workspace (nothing stored)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.numbers import format_decimal_vi
from scoring.findings import severity_label

from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, add_resend_by, framework_and_period, json_option, print_json

if TYPE_CHECKING:
    from app.period import Period
    from app.workbook.intake import Batch
    from scoring.model import Framework


def cmd_score(args: argparse.Namespace) -> int:
    from app.scorecard import scorecard
    from app.workbook.intake import receive
    from app.workbook.roster import RosterError, read_roster

    loaded = framework_and_period(args)
    if isinstance(loaded, int):
        return loaded
    fw, period = loaded
    paths = [Path(p) for p in args.paths]
    absent = [p for p in paths if not p.exists()]
    if absent:
        print(f"Không tìm thấy: {', '.join(str(p) for p in absent)}", file=sys.stderr)
        return EXIT_USAGE
    roster = None
    if args.roster:
        try:
            roster = read_roster(Path(args.roster))
        except RosterError as exc:
            for problem in exc.problems:
                print(problem.message, file=sys.stderr)
            return EXIT_USAGE
    batch = receive(paths, fw, period.code, roster, keep_typed=bool(args.feedback))
    card = scorecard(batch, fw, period.code)
    if args.feedback:
        card["feedback"] = _write_feedback(batch, fw, period, Path(args.feedback), args.resend_by)
    errors = bool(batch.rejected) or any(s.has_errors for s in batch.submissions)
    if args.json:
        print_json(card)
    else:
        _print_scorecard(card)
    return EXIT_ERRORS if errors else EXIT_OK


def _write_feedback(batch: Batch, fw: Framework, period: Period, folder: Path,
                    resend_by: date | None = None) -> list[dict[str, str]]:  # fmt: skip
    """A feedback workbook for every identified file with an error or a warning (DESIGN §2 step 4)."""
    from app.workbook.feedback import feedback_filename, write_feedback
    from app.workbook.issues import Severity

    written: list[dict[str, str]] = []
    for sub in batch.submissions:
        if not sub.unit_code or sub.superseded_by or any(i.code == "wrong-framework" for i in sub.issues):
            continue
        if not any(i.severity is not Severity.INFO for i in sub.issues):
            continue
        target = folder / feedback_filename(period.code, sub.unit_code, sub.unit_name)
        write_feedback(fw, sub.unit_code, sub.unit_name, period.code, period.label_vi, sub.typed, sub.issues,
                       target=target, received_file=sub.file, resend_by=resend_by)  # fmt: skip
        written.append({"unit_code": sub.unit_code, "file": sub.file, "path": str(target)})
    return written


def _print_scorecard(card: dict[str, Any]) -> None:
    out = sys.stdout
    print(f"{card['framework']} — kỳ {card['period']}: {card['files']} tệp", file=out)
    if card["units"]:
        print(f"{'Hạng':>4}  {'Mã':<10} {'Tổng điểm':>9}  {'Lỗi':>3} {'C.báo':>5}  Đơn vị (tệp)", file=out)
    for u in card["units"]:
        errors = sum(1 for i in u["issues"] if i["severity"] == "error")
        warnings = sum(1 for i in u["issues"] if i["severity"] == "warning")
        print(f"{u['rank']:>4}  {u['unit_code']:<10} {format_decimal_vi(u['total']):>9}  {errors:>3} {warnings:>5}  "
              f"{u['unit_name']} ({u['file']})", file=out)  # fmt: skip
    for u in card["units"] + card["not_counted"]:
        for i in u["issues"]:
            if i["severity"] != "info":
                where = f"{i['sheet']}!{i['cell']}" if i["cell"] else ""
                label = "LỖI" if i["severity"] == "error" else severity_label(i["severity"]).lower()
                print(f"  {u['file']} {where} [{label}] {i['message']}", file=out)
    for s in card["not_counted"]:
        print(f"Không tính điểm: {s['file']} — {s['reason']}", file=out)
    for r in card["rejected"]:
        print(f"Không đọc được: {r['message']}", file=out)
    for f in card.get("feedback", []):
        print(f"Phản hồi cho {f['unit_code']}: {f['path']}", file=out)


def register(sub: Any) -> None:
    p = sub.add_parser("score", help="đọc, kiểm tra, chấm điểm và xếp hạng các tệp đơn vị gửi về (không lưu)")
    p.add_argument("paths", nargs="+", metavar="TỆP_HOẶC_THƯ_MỤC", help="tệp hoặc thư mục chứa các tệp đã nhận")
    p.add_argument("--framework", required=True, metavar="MÃ", help="mã bộ chỉ số, ví dụ svhtt-1690")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--roster", metavar="TỆP", help="danh sách đơn vị để nhận diện (không bắt buộc)")
    p.add_argument(
        "--feedback",
        metavar="THƯ_MỤC",
        help="ghi tệp phản hồi (biểu mẫu ghi sẵn số liệu, đánh dấu ô cần "
        "sửa) cho mỗi đơn vị có lỗi hoặc cảnh báo vào thư mục này",
    )
    add_resend_by(p)
    json_option(p)
    p.set_defaults(func=cmd_score)
