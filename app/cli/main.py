"""``dtidesk`` — the command line over the same core as the desktop application.

Thin on purpose: parse arguments, call one core function, print a table or ``--json``. Each
command group lives in its own module of this package with a ``register(sub)``; this module builds
the parser from them and runs a command under the one error handler.

Exit codes a script can use: 0 all good, 1 the input has errors (or a ``UserError``: a file open
in Excel, a folder that cannot be written to, a full disk, a damaged workspace), 2 usage error
(unknown id, missing file, bad option), 70 an internal error of the program (its traceback is in
the log file, never on the screen), 130 stopped with Ctrl+C. Help, usage lines and argument errors
are Vietnamese (``app.cli.parser``); numbers for people are written the Vietnamese way
(``304,67``), ``--json`` keeps a dot.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app import __version__
from app.errors import EXIT_INTERNAL, UserError, render

from . import (
    appraisal,
    corrections,
    demo,
    department,
    evidence,
    explain,
    frameworks,
    history,
    intake,
    mail,
    periods,
    report,
    score,
    templates,
    units,
    workspace,
)
from .common import EXIT_OK, EXIT_USAGE
from .parser import VietnameseArgumentParser

#: the command groups, in the order ``dtidesk --help`` lists them
GROUPS = (
    frameworks,
    templates,
    score,
    workspace,
    units,
    periods,
    intake,
    corrections,
    evidence,
    mail,
    appraisal,
    explain,
    history,
    report,
    department,
    demo,
)


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


def build_parser() -> argparse.ArgumentParser:
    parser = VietnameseArgumentParser(
        prog="dtidesk",
        description="DTI Desk — thu thập, kiểm tra, chấm điểm và xếp hạng chỉ số chuyển đổi số.",
    )
    parser.add_argument(
        "--version", action="version", version=f"dtidesk {__version__}", help="xem số phiên bản rồi thoát"
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", title="Lệnh")
    for group in GROUPS:
        group.register(sub)
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
