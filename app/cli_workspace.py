"""``dtidesk backup``, ``dtidesk restore`` and ``dtidesk check-workspace``: keeping a workspace safe.

Thin: each command calls one function of ``app.workspace.backup`` and prints its answer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli_cycle import _guard, _json, _workspace

EXIT_OK, EXIT_PROBLEMS = 0, 1


@_guard
def cmd_backup(args: argparse.Namespace) -> int:
    from app.workspace.backup import backup, list_backups

    with _workspace(args) as ws:
        if args.list:
            found = list_backups(ws.folder)
            if args.json:
                _json([{"file": str(b.path), "taken": b.taken.isoformat(sep=" "), "reason": b.reason,
                        "size": b.size} for b in found])  # fmt: skip
            elif not found:
                print(f"Chưa có bản sao lưu nào trong {ws.folder / 'backups'}.")
            else:
                for b in found:
                    print(f"{b.taken:%d/%m/%Y %H:%M:%S}  {b.size / 1024:8.0f} KB  {b.path}")
            return EXIT_OK
        made = backup(ws)
        if args.json:
            _json({"file": str(made)})
        else:
            print(f"Đã sao lưu cơ sở dữ liệu vào {made}")
    return EXIT_OK


@_guard
def cmd_restore(args: argparse.Namespace) -> int:
    from app.workspace.backup import restore

    done = restore(Path(args.backup), Path(args.target))
    if args.json:
        _json({"folder": str(done.folder), "originals_copied": done.originals_copied,
               "originals_missing": done.originals_missing})  # fmt: skip
        return EXIT_OK
    print(f"Đã khôi phục vào không gian làm việc mới {done.folder} ({done.originals_copied} tệp gốc được chép).")
    if done.originals_missing:
        print(f"Không tìm thấy bản gốc của {len(done.originals_missing)} tệp (số liệu của chúng vẫn còn trong "
              "cơ sở dữ liệu): " + ", ".join(done.originals_missing))  # fmt: skip
    return EXIT_OK


@_guard
def cmd_check_workspace(args: argparse.Namespace) -> int:
    from app.cli_cycle import find_workspace_folder
    from app.workspace.backup import check_workspace

    folder = find_workspace_folder(args)
    problems = check_workspace(folder)
    if args.json:
        _json({"folder": str(folder), "ok": not problems,
               "problems": [{"where": p.where, "message": p.message} for p in problems]})  # fmt: skip
    elif not problems:
        print(f"Không gian làm việc {folder} nguyên vẹn: cơ sở dữ liệu và mọi tệp gốc đều đúng.")
    else:
        print(f"Không gian làm việc {folder} có {len(problems)} vấn đề:", file=sys.stderr)
        for p in problems:
            print(f"- {p.message}", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu của không gian làm việc (vào thư mục backups/)")
    p.add_argument("--list", action="store_true", help="chỉ liệt kê các bản sao lưu đã có")
    p.add_argument("--workspace", metavar="THƯ_MỤC", help="không gian làm việc (mặc định: thư mục hiện tại)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON cho máy đọc")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="khôi phục một bản sao lưu vào một thư mục mới (không ghi đè gì)")
    p.add_argument("backup", metavar="TỆP_SAO_LƯU", help="tệp .sqlite trong thư mục backups/ của không gian làm việc")
    p.add_argument("target", metavar="THƯ_MỤC_MỚI", help="thư mục mới (hoặc trống) để khôi phục vào")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON cho máy đọc")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check-workspace", help="kiểm tra kỹ không gian làm việc: cơ sở dữ liệu và mọi tệp gốc "
                                               "(thoát 1 nếu có vấn đề)")  # fmt: skip
    p.add_argument("--workspace", metavar="THƯ_MỤC", help="không gian làm việc (mặc định: thư mục hiện tại)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON cho máy đọc")
    p.set_defaults(func=cmd_check_workspace)
