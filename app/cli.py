"""``dtidesk`` — the command line over the same core as the desktop application.

Thin on purpose: parse arguments, call one core function, print a table or ``--json``.
Exit codes a script can use: 0 all good, 1 the input has errors (or a ``UserError``: a file open
in Excel, a folder that cannot be written to, a full disk), 2 usage error (unknown id, missing file,
bad option), 70 an internal error of the program (its traceback is in the log file, never on the
screen). Help, usage lines and argument errors are Vietnamese (``app.cli_parser``); numbers for
people are written the Vietnamese way (``304,67``), ``--json`` keeps a dot.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from .cli_parser import VietnameseArgumentParser
from .errors import EXIT_INTERNAL, UsageError, UserError, render
from .numbers import format_decimal_vi

if TYPE_CHECKING:  # annotations only: the commands import what they need when they run
    from app.period import Period
    from app.workbook.intake import Batch
    from scoring.model import Framework

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2


def _utf8_console() -> None:
    """Never crash on Vietnamese text: a Windows console in cp1252 cannot encode 'ạ'.

    We switch the streams to UTF-8 (what pipes and modern terminals expect) and replace anything
    that still cannot be written rather than raising UnicodeEncodeError.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(encoding="utf-8", errors="replace")
        except (ValueError, OSError):  # pragma: no cover - detached or exotic stream
            pass


def _print_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


# --- frameworks --------------------------------------------------------------------------------


def cmd_frameworks_list(args: argparse.Namespace) -> int:
    from app.framework import FrameworkError, builtin_files, get_builtin
    from app.framework.export import number

    rows: list[dict[str, Any]] = []
    status = EXIT_OK
    for fid, path in builtin_files().items():
        try:
            fw = get_builtin(fid)
        except FrameworkError as exc:
            rows.append({"id": fid, "file": str(path), "error": str(exc)})
            status = EXIT_ERRORS
            continue
        rows.append({
            "id": fw.id, "version": fw.version, "title": fw.title, "level": fw.level,
            "groups": len(fw.groups), "indicators": len(fw.indicators), "total": number(fw.total),
            "legal_basis": fw.legal_basis, "file": str(path),
        })  # fmt: skip
    if args.json:
        _print_json(rows, sys.stdout)
        return status
    print(f"{'Mã bộ chỉ số':<20} {'Phiên bản':<10} {'Nhóm':>5} {'Chỉ số':>7} {'Điểm':>6}  Tên")
    for r in rows:
        if "error" in r:
            print(f"{r['id']:<20} LỖI: {r['error']}")
        else:
            print(f"{r['id']:<20} {r['version']:<10} {r['groups']:>5} {r['indicators']:>7} "
                  f"{r['total']:>6}  {r['title']}")  # fmt: skip
    return status


def cmd_frameworks_check(args: argparse.Namespace) -> int:
    from app.framework import Severity, check_path

    status = EXIT_OK
    reports: list[dict[str, Any]] = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"Không tìm thấy tệp: {name} / File not found: {name}", file=sys.stderr)
            return EXIT_USAGE
        fw, problems = check_path(path)
        errors = [p for p in problems if p.severity is Severity.ERROR]
        warnings = [p for p in problems if p.severity is Severity.WARNING]
        if errors:
            status = EXIT_ERRORS
        reports.append({
            "file": str(path), "ok": not errors, "id": fw.id if fw else None,
            "errors": len(errors), "warnings": len(warnings),
            "problems": [p.as_dict() for p in problems],
        })  # fmt: skip
        if not args.json:
            for p in problems:
                print(p.format())
            if fw is not None:
                print(f"{path}: ĐẠT / OK — {fw.id} {fw.version}: {len(fw.groups)} nhóm, "
                      f"{len(fw.indicators)} chỉ số, {fw.total} điểm"
                      f"{f', {len(warnings)} cảnh báo' if warnings else ''}.")  # fmt: skip
            else:
                print(f"{path}: KHÔNG ĐẠT / FAILED — {len(errors)} lỗi, {len(warnings)} cảnh báo.")
    if args.json:
        _print_json(reports, sys.stdout)
    return status


def cmd_frameworks_show(args: argparse.Namespace) -> int:
    from app.framework import FrameworkError, find
    from app.framework.export import framework_to_dict, number

    try:
        fw = find(args.id)
    except KeyError:
        print(f"Không có bộ chỉ số '{args.id}'. Xem: dtidesk frameworks list / Unknown framework.",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    except FrameworkError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        return EXIT_ERRORS
    if args.json:
        _print_json(framework_to_dict(fw), sys.stdout)
        return EXIT_OK
    print(f"{fw.title}\n{fw.legal_basis}\nMã: {fw.id}  Phiên bản: {fw.version}  "
          f"Tổng điểm: {number(fw.total)}  ({len(fw.groups)} chỉ số chính, {len(fw.indicators)} chỉ số thành phần)")  # fmt: skip
    for g in fw.groups:
        print(f"\n{g.code}. {g.title} — {number(g.max)} điểm")
        for ind in fw.group_indicators(g.code):
            na = "  [có thể 'không áp dụng']" if ind.allow_na else ""
            print(f"  {ind.code:<5} {number(ind.max):>3}  {ind.rule.kind:<13} {ind.title}{na}")
    return EXIT_OK


# --- templates ---------------------------------------------------------------------------------


def _framework_and_period(args: argparse.Namespace) -> tuple[Framework, Period] | int:
    """``--framework`` and ``--period`` resolved, or the exit code after saying what is wrong."""
    from app.framework import FrameworkError, find
    from app.period import parse_period

    try:
        fw = find(args.framework)
    except KeyError:
        print(f"Không có bộ chỉ số '{args.framework}'. Xem: dtidesk frameworks list", file=sys.stderr)
        return EXIT_USAGE
    except FrameworkError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        return EXIT_ERRORS
    try:
        return fw, parse_period(args.period)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE


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
        _print_json({"ok": True, "workspace": str(workspace), "framework": info.framework_id, "period": info.code,
                     "deadline": info.deadline.isoformat(), "folder": str(target),
                     "files": [{"unit_code": g.unit.code, "unit_name": g.unit.name, "path": str(g.path)}
                               for g in written]}, sys.stdout)  # fmt: skip
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

    loaded = _framework_and_period(args)
    if isinstance(loaded, int):
        return loaded
    fw, period = loaded
    deadline: date | None = None
    if args.deadline:
        try:
            deadline = _parse_date(args.deadline)
        except ValueError:
            print(f"Hạn gửi không hợp lệ: '{args.deadline}' — ví dụ đúng: 16/03/2023 hoặc 2023-03-16.", file=sys.stderr)
            return EXIT_USAGE
    roster_path = Path(args.roster)
    try:
        units = read_roster(roster_path)
    except RosterError as exc:
        if args.json:
            _print_json({"ok": False, "problems": [asdict(p) for p in exc.problems]}, sys.stdout)
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
        _print_json({"ok": True, "framework": fw.id, "period": period.code,
                     "files": [{"unit_code": g.unit.code, "unit_name": g.unit.name, "path": str(g.path)}
                               for g in written]}, sys.stdout)  # fmt: skip
    else:
        for g in written:
            print(f"{g.unit.code:<10} {g.path}")
        folder = written[0].path.parent if written else Path(args.out)
        print(f"Đã tạo {len(written)} biểu mẫu ({fw.id}, {period.label_vi}) trong {folder}.")
    return EXIT_OK


def _parse_date(text: str) -> date:
    """``2023-03-16`` or the Vietnamese ``16/03/2023``."""
    from datetime import datetime

    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise UsageError(f"Ngày không hợp lệ: “{text}” — ví dụ đúng: 20/04/2023 hoặc 2023-04-20.")


def _resend_by(text: str) -> date:
    """``--resend-by``: a day from today on, so the feedback never asks for a date that has passed."""
    try:
        day = _parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày gửi lại không hợp lệ: '{text}' — ví dụ đúng: 12/05/2023.") from None
    if day < date.today():
        raise argparse.ArgumentTypeError(f"ngày gửi lại {day:%d/%m/%Y} đã qua — hãy chọn từ hôm nay trở đi.")
    return day


def add_resend_by(p: argparse.ArgumentParser) -> None:
    """The ``--resend-by`` option of every command that writes feedback workbooks (one wording)."""
    from app.period import RESEND_WORKING_DAYS

    p.add_argument("--resend-by", type=_resend_by, metavar="DD/MM/YYYY",
                   help=f"hạn đơn vị gửi lại tệp đã sửa, ghi trong tệp phản hồi (mặc định: {RESEND_WORKING_DAYS} "
                        "ngày làm việc, thứ Hai–thứ Sáu, sau ngày lập phản hồi)")  # fmt: skip


# --- scoring returned files (stateless) ----------------------------------------------------------


def cmd_score(args: argparse.Namespace) -> int:
    from app.scorecard import scorecard
    from app.workbook.intake import receive
    from app.workbook.roster import RosterError, read_roster

    loaded = _framework_and_period(args)
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
        _print_json(card, sys.stdout)
    else:
        _print_scorecard(card)
    return EXIT_ERRORS if errors else EXIT_OK


def _write_feedback(batch: Batch, fw: Framework, period: Period, folder: Path,
                    resend_by: date | None = None) -> list[dict[str, str]]:  # fmt: skip
    """A feedback workbook for every identified file with an error or a warning (SPEC §2 step 4)."""
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
                label = "LỖI" if i["severity"] == "error" else "cảnh báo"
                print(f"  {u['file']} {where} [{label}] {i['message']}", file=out)
    for s in card["not_counted"]:
        print(f"Không tính điểm: {s['file']} — {s['reason']}", file=out)
    for r in card["rejected"]:
        print(f"Không đọc được: {r['message']}", file=out)
    for f in card.get("feedback", []):
        print(f"Phản hồi cho {f['unit_code']}: {f['path']}", file=out)


# --- parser ------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = VietnameseArgumentParser(
        prog="dtidesk",
        description="DTI Desk — thu thập, kiểm tra, chấm điểm và xếp hạng chỉ số chuyển đổi số.",
    )
    parser.add_argument("--version", action="version", version=f"dtidesk {__version__}",
                        help="xem số phiên bản rồi thoát")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", title="Lệnh")

    fw = sub.add_parser("frameworks", help="bộ chỉ số: liệt kê, kiểm tra, xem")
    fw_sub = fw.add_subparsers(dest="fw_command", metavar="LỆNH", title="Lệnh")
    p = fw_sub.add_parser("list", help="liệt kê các bộ chỉ số có sẵn")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho chương trình khác đọc)")
    p.set_defaults(func=cmd_frameworks_list)
    p = fw_sub.add_parser("check", help="kiểm tra tệp bộ chỉ số (thoát 1 nếu có lỗi)")
    p.add_argument("files", nargs="+", metavar="TỆP", help="tệp bộ chỉ số (.yaml) cần kiểm tra")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho chương trình khác đọc)")
    p.set_defaults(func=cmd_frameworks_check)
    p = fw_sub.add_parser("show", help="xem một bộ chỉ số (theo mã hoặc đường dẫn tệp)")
    p.add_argument("id", metavar="MÃ", help="mã bộ chỉ số (ví dụ svhtt-1690) hoặc đường dẫn tệp .yaml")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho chương trình khác đọc)")
    p.set_defaults(func=cmd_frameworks_show)

    p = sub.add_parser("template", help="tạo biểu mẫu cho từng đơn vị: từ không gian làm việc, hoặc từ --roster")
    p.add_argument("--framework", metavar="MÃ", help="mã bộ chỉ số, ví dụ svhtt-1690 (cần khi dùng --roster; "
                                                      "trong không gian làm việc lấy theo kỳ)")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--roster", metavar="TỆP", help="danh sách đơn vị (.xlsx hoặc .csv); không có thì dùng danh "
                                                    "sách của không gian làm việc")
    p.add_argument("--out", metavar="THƯ_MỤC", help="thư mục ra khi dùng --roster (tạo thư mục con theo kỳ)")
    p.add_argument("--workspace", metavar="THƯ_MỤC", help="không gian làm việc (mặc định: thư mục hiện tại)")
    p.add_argument("--unit", action="append", metavar="MÃ_ĐƠN_VỊ", help="chỉ tạo cho đơn vị này (lặp lại được)")
    p.add_argument("--deadline", metavar="NGÀY", help="hạn gửi khi dùng --roster (mặc định: ngày 16 tháng "
                                                            "cuối quý)")
    p.add_argument("--send-to", metavar="EMAIL", help="nơi nhận, ghi trong hướng dẫn")
    p.add_argument("--password", metavar="MẬT_KHẨU", help="mật khẩu bảo vệ sheet (mặc định: không mật khẩu)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho chương trình khác đọc)")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("score", help="đọc, kiểm tra, chấm điểm và xếp hạng các tệp đơn vị gửi về (không lưu)")
    p.add_argument("paths", nargs="+", metavar="TỆP_HOẶC_THƯ_MỤC", help="tệp hoặc thư mục chứa các tệp đã nhận")
    p.add_argument("--framework", required=True, metavar="MÃ", help="mã bộ chỉ số, ví dụ svhtt-1690")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--roster", metavar="TỆP", help="danh sách đơn vị để nhận diện (không bắt buộc)")
    p.add_argument("--feedback", metavar="THƯ_MỤC", help="ghi tệp phản hồi (biểu mẫu ghi sẵn số liệu, đánh dấu ô cần "
                                                     "sửa) cho mỗi đơn vị có lỗi hoặc cảnh báo vào thư mục này")
    add_resend_by(p)
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho chương trình khác đọc)")
    p.set_defaults(func=cmd_score)

    from app.cli_cycle import register
    from app.cli_evidence import register as register_evidence
    from app.cli_report import register as register_report
    from app.cli_workspace import register as register_workspace

    register(sub)
    register_report(sub)
    register_workspace(sub)
    register_evidence(sub)
    p = sub.add_parser("gui", help="mở ứng dụng trên máy tính (cửa sổ)")
    p.add_argument("workspace", nargs="?", metavar="THƯ_MỤC", help="không gian làm việc cần mở")
    p.set_defaults(func=cmd_gui)
    return parser


def cmd_gui(args: argparse.Namespace) -> int:
    """Qt is imported only here, so the rest of the command line starts without it."""
    from app.gui.launch import run

    return run([args.workspace] if args.workspace else [])


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen program started as a worker process (the desktop app's background jobs) runs the
    # job and exits here instead of parsing its arguments; a no-op everywhere else.
    import multiprocessing  # here, not at the top: the window and --version start faster

    multiprocessing.freeze_support()
    _utf8_console()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(func(args))
    except BrokenPipeError:  # `dtidesk … | head` closed the pipe: not an error of ours
        sys.stderr.close()
        return EXIT_OK
    except UserError as exc:  # what the user can put right: the message, what to do, its exit code
        print(render(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu (Ctrl+C).", file=sys.stderr)
        return 130
    except Exception as exc:  # a defect of the program: logged with its traceback, never shown
        return _internal_error(exc, argv)


def _internal_error(exc: Exception, argv: Sequence[str] | None) -> int:
    """Log ``exc`` with its traceback to the log file; tell the user in one Vietnamese line; exit 70."""
    from app.logs import logger, setup_logging

    try:
        path = setup_logging()
        logger().error("internal error in: dtidesk %s", " ".join(sys.argv[1:] if argv is None else argv),
                       exc_info=exc)  # fmt: skip
        where = f"chi tiết đã ghi vào nhật ký {path}"
    except OSError:
        where = "không ghi được tệp nhật ký"
    print(f"Lỗi nội bộ của chương trình ({where}). Việc đang làm chưa hoàn tất và không để lại tệp dở dang. "
          "Hãy thử lại; nếu lỗi lặp lại, hãy gửi tệp nhật ký cho bộ phận hỗ trợ.", file=sys.stderr)  # fmt: skip
    return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
