"""``dtidesk init``, ``backup``, ``restore``, ``check-workspace``, ``workspace copy``: making a workspace,
keeping it safe, and moving it.

Thin: each command calls one function of ``app.workspace`` (``Workspace.create``, ``app.workspace.backup``)
and prints its answer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    find_workspace_folder,
    json_option,
    open_workspace,
    print_json,
    with_password,
    workspace_options,
)


def cmd_init(args: argparse.Namespace) -> int:
    from app.errors import UsageError
    from app.workspace import Workspace

    if not args.dir and not args.database:
        raise UsageError("Thiếu thư mục: dtidesk init THƯ_MỤC, hoặc dtidesk init --database postgresql://... "
                         "cho không gian làm việc dùng chung.")  # fmt: skip
    folder = Path(args.dir) if args.dir else None
    ws = with_password(lambda: Workspace.create(folder, database=args.database), args.database or "")
    ws.close()
    if args.json:
        print_json({"ok": True, "workspace": str(ws.folder), "database": ws.shared_url})
    elif ws.shared_url:
        print(f"Đã tạo không gian làm việc dùng chung: {ws.shared_url}\n"
              f"Thư mục trên máy này cho các tệp xuất ra: {ws.folder}\n"
              f"Người dùng khác mở bằng: --workspace {ws.shared_url}")  # fmt: skip
    else:
        print(f"Đã tạo không gian làm việc: {ws.folder}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from app.workspace.backup import backup, list_backups

    with open_workspace(args) as ws:
        if args.list:
            found = list_backups(ws.folder)
            if args.json:
                print_json([{"file": str(b.path), "taken": b.taken.isoformat(sep=" "), "reason": b.reason,
                        "size": b.size} for b in found])  # fmt: skip
            elif not found:
                print(f"Chưa có bản sao lưu nào trong {ws.folder / 'backups'}.")
            else:
                for b in found:
                    print(f"{b.taken:%d/%m/%Y %H:%M:%S}  {b.size / 1024:8.0f} KB  {b.path}")
            return EXIT_OK
        made = backup(ws)
        if args.json:
            print_json({"file": str(made)})
        else:
            print(f"Đã sao lưu cơ sở dữ liệu vào {made}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from app.workspace.backup import restore

    done = restore(Path(args.backup), Path(args.target))
    if args.json:
        print_json({"folder": str(done.folder), "originals_copied": done.originals_copied,
               "originals_missing": done.originals_missing})  # fmt: skip
        return EXIT_OK
    print(f"Đã khôi phục vào không gian làm việc mới {done.folder} ({done.originals_copied} tệp gốc được chép).")
    if done.originals_missing:
        print(f"Không tìm thấy bản gốc của {len(done.originals_missing)} tệp (số liệu của chúng vẫn còn trong "
              "cơ sở dữ liệu): " + ", ".join(done.originals_missing))  # fmt: skip
    return EXIT_OK


def cmd_check_workspace(args: argparse.Namespace) -> int:
    from app.workspace.backup import check_workspace

    folder = find_workspace_folder(args)
    problems = check_workspace(folder)
    if args.json:
        print_json({"folder": str(folder), "ok": not problems,
               "problems": [{"where": p.where, "message": p.message} for p in problems]})  # fmt: skip
    elif not problems:
        print(f"Không gian làm việc {folder} nguyên vẹn: cơ sở dữ liệu và mọi tệp gốc đều đúng.")
    else:
        print(f"Không gian làm việc {folder} có {len(problems)} vấn đề:", file=sys.stderr)
        for p in problems:
            print(f"- {p.message}", file=sys.stderr)
    return EXIT_ERRORS if problems else EXIT_OK


def cmd_copy(args: argparse.Namespace) -> int:
    from app.workspace.copy import copy

    done = copy(args.source, args.target)
    if args.json:
        print_json({"source": done.source, "target": done.target, "rows": done.rows, "originals": done.originals})
    else:
        print(f"Đã chép không gian làm việc {done.source} sang {done.target}: {sum(done.rows.values())} dòng dữ liệu "
              f"của {len(done.rows)} bảng, {done.originals} tệp gốc. Biểu mẫu, tệp phản hồi và báo cáo đã xuất không "
              "được chép; hãy tạo lại ở nơi mới khi cần.")  # fmt: skip
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("workspace", help="không gian làm việc: chép sang nơi khác (ví dụ sang máy chủ dùng chung)")
    kinds = p.add_subparsers(dest="workspace_command", metavar="VIỆC", title="Việc", required=True)
    p = kinds.add_parser("copy", help="chép toàn bộ một không gian làm việc sang một nơi mới hoặc trống, không mất gì "
                                      "(số liệu, thẩm định, nhật ký, tệp gốc)")  # fmt: skip
    p.add_argument("source", metavar="NGUỒN", help="không gian làm việc cần chép")
    p.add_argument("target", metavar="ĐÍCH", help="thư mục mới hoặc trống (hoặc một không gian làm việc trống)")
    json_option(p)
    p.set_defaults(func=cmd_copy)

    p = sub.add_parser("init", help="tạo không gian làm việc mới")
    p.add_argument("dir", metavar="THƯ_MỤC", nargs="?",
                   help="thư mục sẽ làm không gian làm việc (tạo mới nếu chưa có); với --database: thư mục trên "
                        "máy này cho các tệp xuất ra (mặc định: trong thư mục dữ liệu của người dùng)")  # fmt: skip
    p.add_argument("--database", metavar="URL",
                   help="tạo không gian làm việc dùng chung trong cơ sở dữ liệu PostgreSQL (14 trở lên) đã có và "
                        "còn trống: postgresql://TÀI_KHOẢN@MÁY_CHỦ[:CỔNG]/CSDL (mật khẩu: PGPASSWORD, tệp "
                        ".pgpass, hoặc nhập khi được hỏi; không bao giờ được lưu)")  # fmt: skip
    json_option(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu của không gian làm việc (vào thư mục backups/)")
    p.add_argument("--list", action="store_true", help="chỉ liệt kê các bản sao lưu đã có")
    workspace_options(p)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="khôi phục một bản sao lưu vào một thư mục mới (không ghi đè gì)")
    p.add_argument("backup", metavar="TỆP_SAO_LƯU", help="tệp .sqlite trong thư mục backups/ của không gian làm việc")
    p.add_argument("target", metavar="THƯ_MỤC_MỚI", help="thư mục mới (hoặc trống) để khôi phục vào")
    json_option(p)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check-workspace", help="kiểm tra kỹ không gian làm việc: cơ sở dữ liệu và mọi tệp gốc "
                                               "(thoát 1 nếu có vấn đề)")  # fmt: skip
    workspace_options(p)
    p.set_defaults(func=cmd_check_workspace)
