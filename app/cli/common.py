"""What every command shares: exit codes, JSON output, finding the workspace, reading dates and periods.

One home for the small decisions a command would otherwise make again: how a workspace is found
(``--workspace``, else the folder holding the current one), how dates are typed, how ``--json``
is written (dates as ISO text, decimals as numbers, paths as text).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.errors import UsageError

if TYPE_CHECKING:
    from app.period import Period
    from app.workspace import Workspace
    from scoring.model import Framework

T = TypeVar("T")

#: exit codes a script can use: all good, the input has errors (or a file cannot be written), wrong usage
EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2

#: warnings about the workspace this command opened (a SQLite folder on a network drive): printed on
#: stderr when it is opened, and added as "warnings" to a ``--json`` object (never mixed into a list)
WARNINGS: list[str] = []


def print_json(data: Any) -> None:
    """``--json`` output: UTF-8, indented; dates as ISO text, decimals as numbers, paths as text.

    An object gets the workspace's ``warnings`` (see ``open_workspace``) when there are any."""
    if isinstance(data, dict) and WARNINGS:
        data = {**data, "warnings": list(WARNINGS)}
    WARNINGS.clear()

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


def find_workspace_folder(args: argparse.Namespace) -> Path:
    """The folder named by ``--workspace``, else the workspace holding the current folder.

    ``--workspace postgresql://…`` names a shared workspace: its local folder on this PC is returned
    (made, with its link file, if needed; see ``app.workspace.shared``).
    """
    from app.workspace import find
    from app.workspace.shared import attach, is_url

    if args.workspace and is_url(args.workspace):
        return attach(args.workspace)
    folder = Path(args.workspace) if args.workspace else find(Path.cwd())
    if folder is None:
        raise UsageError("Không tìm thấy không gian làm việc: chạy lệnh trong thư mục đó, dùng --workspace DIR, "
                         "hoặc tạo mới bằng: dtidesk init DIR")  # fmt: skip
    return folder


def open_workspace(args: argparse.Namespace) -> Workspace:
    """The workspace of ``find_workspace_folder``, opened (checked first: see ``Workspace.open``).

    A SQLite workspace on a network drive is opened, with the warning (``app.workspace.location``)
    on stderr, so that ``--json`` output stays readable by a script."""
    from app.workspace import Workspace
    from app.workspace.location import workspace_warnings

    folder = find_workspace_folder(args)
    ws = with_password(lambda: Workspace.open(folder), args.workspace or str(folder))
    WARNINGS[:] = workspace_warnings(ws)
    for text in WARNINGS:
        print(text, file=sys.stderr)
    return ws


def with_password(make: Callable[[], T], url: str) -> T:
    """``make()``; when a shared workspace's server wants a password none was given for and someone is at
    the keyboard, ask for it once (never echoed, never stored) and try again."""
    from app.workspace.pg import remember_password
    from app.workspace.shared import is_url, url_of
    from app.workspace.store import PG_MARKER, PasswordNeeded

    try:
        return make()
    except PasswordNeeded:
        if not sys.stdin.isatty():
            raise
        import getpass

        if not is_url(url):
            url = url_of(Path(url)) if (Path(url) / PG_MARKER).is_file() else url
        remember_password(url, getpass.getpass(f"Mật khẩu cho {url}: "))
        return make()


def period_code(ws: Workspace, text: str) -> str:
    from app.period import parse_period

    code = parse_period(text).code
    from app.workspace import get_period

    get_period(ws, code)  # raises WorkspaceError with a message when the period is not set up
    return code


def parse_when(text: str) -> datetime:
    """``20/04/2023``, ``20/04/2023 09:15`` (seconds optional), or ISO ``2023-04-20 09:15``; a date alone is 00:00."""
    text = " ".join(text.split())
    for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y",
                    "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):  # fmt: skip
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise UsageError(f'Thời điểm không hợp lệ: “{text}” — ví dụ đúng: 20/04/2023 hoặc "20/04/2023 09:15".')


def parse_date(text: str) -> date:
    """``2023-03-16`` or the Vietnamese ``16/03/2023``."""
    from datetime import datetime

    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise UsageError(f"Ngày không hợp lệ: “{text}” — ví dụ đúng: 20/04/2023 hoặc 2023-04-20.")


def resend_by(text: str) -> date:
    """``--resend-by``: a day from today on, so the feedback never asks for a date that has passed."""
    try:
        day = parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày gửi lại không hợp lệ: '{text}' — ví dụ đúng: 12/05/2023.") from None
    if day < date.today():
        raise argparse.ArgumentTypeError(f"ngày gửi lại {day:%d/%m/%Y} đã qua — hãy chọn từ hôm nay trở đi.")
    return day


def add_resend_by(p: argparse.ArgumentParser) -> None:
    """The ``--resend-by`` option of every command that writes feedback workbooks (one wording)."""
    from app.period import RESEND_WORKING_DAYS

    p.add_argument("--resend-by", type=resend_by, metavar="DD/MM/YYYY",
                   help=f"hạn đơn vị gửi lại tệp đã sửa, ghi trong tệp phản hồi (mặc định: {RESEND_WORKING_DAYS} "
                        "ngày làm việc, thứ Hai–thứ Sáu, sau ngày lập phản hồi)")  # fmt: skip


def one_of(positional: str | None, option: str | None, what: str, flag: str) -> str:
    if positional and option and positional != option:
        raise UsageError(f"Hai {what} khác nhau: “{positional}” và {flag} “{option}”; hãy chỉ ghi một.")
    value = positional or option
    if not value:
        raise UsageError(f"Thiếu {what} (ghi sau lệnh hoặc bằng {flag}).")
    return value


def framework_and_period(args: argparse.Namespace) -> tuple[Framework, Period] | int:
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


def workspace_options(p: argparse.ArgumentParser) -> None:
    """``--workspace`` and ``--json``, as every workspace command takes them."""
    p.add_argument("--workspace", metavar="THƯ_MỤC|URL",
                   help="không gian làm việc: thư mục, hoặc postgresql://TÀI_KHOẢN@MÁY_CHỦ/CSDL cho không gian "
                        "dùng chung (mặc định: thư mục hiện tại)")  # fmt: skip
    json_option(p)


def json_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho chương trình khác đọc)")
