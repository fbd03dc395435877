"""``dtidesk units import|list``: the roster of the workspace."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import EXIT_ERRORS, EXIT_OK, open_workspace, period_code, print_json, workspace_options

_COLUMN_LABELS = {"kind": "loại", "email": "thư điện tử", "contact": "người liên hệ", "phone": "điện thoại"}


def cmd_units_import(args: argparse.Namespace) -> int:
    from app.workbook.roster import RosterError, read_roster_file
    from app.workspace.units import import_roster_file

    path = Path(args.file)
    try:  # read first, so every problem of the file is listed with its cell (exit 1)
        read_roster_file(path)
    except RosterError as exc:
        if args.json:
            print_json({"ok": False, "problems": [{"code": p.code, "file": p.file, "cell": p.cell, "message": p.message}
                                             for p in exc.problems]})  # fmt: skip
        else:
            for p in exc.problems:
                print(p.message, file=sys.stderr)
        return EXIT_ERRORS
    with open_workspace(args) as ws:
        result = import_roster_file(ws, path)
    if args.json:
        print_json({"added": result.added, "updated": result.updated, "units": result.units,
               "columns": list(result.columns), **({"converted": list(result.converted)} if result.converted else {})})  # fmt: skip
    else:
        read = ", ".join(["mã", "tên", *(_COLUMN_LABELS[c] for c in result.columns)])
        kept = [_COLUMN_LABELS[c] for c in _COLUMN_LABELS if c not in result.columns]
        print(f"Đã đọc {result.units} đơn vị từ {path.name} (các cột: {read}).")
        print(f"Đã thêm {result.added} đơn vị, cập nhật {result.updated} đơn vị.")
        for line in result.converted:
            print(line)
        if kept:
            print(f"Tệp không có cột {', '.join(kept)}: giữ nguyên thông tin đã lưu.")
    return EXIT_OK


def cmd_units_list(args: argparse.Namespace) -> int:
    from app.workspace import list_units

    with open_workspace(args) as ws:
        units = list_units(ws, active_only=False)
    if args.json:
        print_json([{"code": u.code, "name": u.name, "kind": u.kind, "email": u.email, "contact": u.contact,
                "phone": u.phone, "active": u.active} for u in units])  # fmt: skip
        return EXIT_OK
    if not units:
        print("Chưa có đơn vị nào; hãy nhập danh sách bằng: dtidesk units import TỆP")
        return EXIT_OK
    print(f"{'Mã':<8} {'Loại':<18} {'Thư điện tử':<32} {'Người liên hệ':<24} {'Điện thoại':<14} Tên đơn vị")
    for u in units:
        name = u.name + ("" if u.active else " (không còn trong danh sách)")
        print(f"{u.code:<8} {u.kind or '-':<18} {u.email or '-':<32} {u.contact or '-':<24} {u.phone or '-':<14} "
              f"{name}")  # fmt: skip
    print(f"{len(units)} đơn vị.")
    return EXIT_OK


def cmd_apply_contacts(args: argparse.Namespace) -> int:
    from app.workspace.contacts import apply_contacts, contact_changes

    with open_workspace(args) as ws:
        period = period_code(ws, args.period)
        changes = contact_changes(ws, period)
        done = apply_contacts(ws, period, changes) if args.yes else []
    if args.json:
        print_json({"period": period, "applied": bool(done), "changes": [
            {"unit": c.unit_code, "field": c.column, "old": c.old, "new": c.new} for c in changes]})  # fmt: skip
        return EXIT_OK
    if not changes:
        print(f"Kỳ {period}: không đơn vị nào báo đầu mối khác với danh sách.")
        return EXIT_OK
    for c in changes:
        print(c.sentence())
    if done:
        print(f"Đã cập nhật danh sách đơn vị ({len(done)} thay đổi); đã ghi nhật ký.")
    else:
        print(f"Đây là bản xem trước ({len(changes)} thay đổi). Chạy lại với --yes để cập nhật danh sách.")
    return EXIT_OK


def register_contacts(units_sub: Any) -> None:
    """``dtidesk units apply-contacts --period P [--yes]`` (hooked into the ``units`` command)."""
    p = units_sub.add_parser(
        "apply-contacts", help="cập nhật đầu mối liên hệ theo báo cáo của đơn vị (xem trước; --yes để ghi)"
    )
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--yes", action="store_true", help="ghi các thay đổi đã xem vào danh sách đơn vị")
    workspace_options(p)
    p.set_defaults(func=cmd_apply_contacts)


def register(sub: Any) -> None:
    units = sub.add_parser("units", help="đơn vị: nhập danh sách, xem danh sách")
    units_sub = units.add_subparsers(dest="units_command", metavar="LỆNH", title="Lệnh")
    register_contacts(units_sub)
    p = units_sub.add_parser(
        "import", help="nhập danh sách đơn vị (.xlsx hoặc .csv): mã, tên, loại, thư điện tử, người liên hệ, điện thoại"
    )
    p.add_argument("file", metavar="TỆP", help="tệp danh sách đơn vị (.xlsx hoặc .csv)")
    workspace_options(p)
    p.set_defaults(func=cmd_units_import)
    p = units_sub.add_parser("list", help="xem danh sách đơn vị của không gian làm việc")
    workspace_options(p)
    p.set_defaults(func=cmd_units_list)
