"""``dtidesk units import|list``: the roster of the workspace."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    open_workspace,
    parse_date,
    period_code,
    print_json,
    workspace_options,
)

_COLUMN_LABELS = {"kind": "loại", "email": "thư điện tử", "contact": "người liên hệ", "phone": "điện thoại"}


def cmd_units_import(args: argparse.Namespace) -> int:
    from app.workbook.roster import RosterError, read_roster_file

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
    from app.workspace.roster_import import apply_preview, preview_roster_import

    left_on = parse_date(args.left_on) if args.left_on else None
    with open_workspace(args) as ws:
        preview = preview_roster_import(ws, path)  # what would change, shown before (or instead of) applying
        gone = [u.code for u in preview.gone]
        chosen = gone if args.deactivate_gone else list(args.deactivate or [])
        done = None if args.dry_run else apply_preview(ws, preview, deactivate=chosen, left_on=left_on)
    added, updated, deactivated = done or (0, 0, 0)
    if args.json:
        print_json({"added": added, "updated": updated, "units": len(preview.units), "columns": list(preview.columns),
                    "applied": done is not None, "deactivated": chosen if done else [],
                    "preview": {"new": [u.code for u in preview.new], "gone": gone,
                                "changed": [{"unit": c.code, "changes": [{"field": f.field, "old": f.old, "new": f.new}
                                                                         for f in c.changes]} for c in preview.changed]},
                    **({"converted": list(preview.converted)} if preview.converted else {})})  # fmt: skip
        return EXIT_OK
    read = ", ".join(["mã", "tên", *(_COLUMN_LABELS[c] for c in preview.columns)])
    kept = [_COLUMN_LABELS[c] for c in _COLUMN_LABELS if c not in preview.columns]
    print(f"Đã đọc {len(preview.units)} đơn vị từ {path.name} (các cột: {read}).")
    print(preview.summary())
    for line in preview.change_lines():
        print(f"  {line}")
    for line in preview.converted:
        print(line)
    if kept:
        print(f"Tệp không có cột {', '.join(kept)}: giữ nguyên thông tin đã lưu.")
    if done is None:
        print(
            "Đây là bản xem trước, chưa ghi gì. Chạy lại không có --dry-run để cập nhật danh sách"
            + (" (thêm --deactivate-gone để cho các đơn vị không còn trong tệp thôi)." if gone else ".")
        )
        return EXIT_OK
    print(f"Đã thêm {added} đơn vị, cập nhật {updated} đơn vị" + (f", cho {deactivated} đơn vị thôi" if deactivated
                                                                   else "") + "; đã ghi nhật ký.")  # fmt: skip
    if gone and not chosen:
        print(f"{len(gone)} đơn vị không còn trong tệp vẫn được giữ; để cho thôi: dtidesk units deactivate MÃ "
              "(hoặc nhập lại với --deactivate-gone).")  # fmt: skip
    return EXIT_OK


def _unit_json(u: Any) -> dict[str, Any]:
    from app.workspace.roster_edit import state_label

    return {"code": u.code, "name": u.name, "kind": u.kind, "email": u.email, "contact": u.contact, "phone": u.phone,
            "active": u.active, "left_on": u.left_on or None, "merged_into": u.merged_into or None,
            "state": state_label(u)}  # fmt: skip


def cmd_units_add(args: argparse.Namespace) -> int:
    from app.workspace.roster_edit import add_unit

    with open_workspace(args) as ws:
        unit = add_unit(ws, args.code, args.name, kind=args.kind or "", email=args.email or "",
                        contact=args.contact or "", phone=args.phone or "")  # fmt: skip
    if args.json:
        print_json(_unit_json(unit))
    else:
        print(f"Đã thêm đơn vị {unit.code} – {unit.name}; đã ghi nhật ký.")
    return EXIT_OK


def cmd_units_edit(args: argparse.Namespace) -> int:
    from app.workspace.roster_edit import FIELD_LABELS, edit_unit

    given = {f: getattr(args, f) for f in FIELD_LABELS if f != "active" and getattr(args, f, None) is not None}
    if not given:
        print("Không có gì để sửa: hãy ghi ít nhất một trong --name, --kind, --email, --contact, --phone.",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    with open_workspace(args) as ws:
        changes = edit_unit(ws, args.code, **given)
    if args.json:
        print_json({"unit": args.code, "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in changes]})
    elif changes:
        print(f"Đơn vị {args.code}: " + "; ".join(c.sentence() for c in changes) + ". Đã ghi nhật ký.")
    else:
        print(f"Đơn vị {args.code}: không có gì thay đổi.")
    return EXIT_OK


def cmd_units_deactivate(args: argparse.Namespace) -> int:
    from datetime import date

    from app.workspace.roster_edit import deactivate_unit, state_label

    with open_workspace(args) as ws:
        unit = deactivate_unit(ws, args.code, parse_date(args.on) if args.on else date.today(),
                               merged_into=args.merged_into or "", reason=args.reason or "")  # fmt: skip
    if args.json:
        print_json(_unit_json(unit))
    else:
        print(f"Đơn vị {unit.code} – {unit.name}: {state_label(unit)}. Đơn vị vẫn ở các kỳ có hạn nộp đến ngày đó, "
              "không còn ở các kỳ sau (không phải nộp, không được gửi biểu mẫu, thư nhắc). Đã ghi nhật ký.")  # fmt: skip
    return EXIT_OK


def cmd_units_reactivate(args: argparse.Namespace) -> int:
    from app.workspace.roster_edit import reactivate_unit

    with open_workspace(args) as ws:
        unit = reactivate_unit(ws, args.code, reason=args.reason or "")
    if args.json:
        print_json(_unit_json(unit))
    else:
        print(f"Đơn vị {unit.code} – {unit.name} hoạt động lại; đã ghi nhật ký.")
    return EXIT_OK


def cmd_units_list(args: argparse.Namespace) -> int:
    from app.workspace import list_units

    with open_workspace(args) as ws:
        units = list_units(ws, active_only=False)
    if args.json:
        print_json([_unit_json(u) for u in units])
        return EXIT_OK
    if not units:
        print("Chưa có đơn vị nào; hãy nhập danh sách bằng: dtidesk units import TỆP")
        return EXIT_OK
    print(f"{'Mã':<8} {'Loại':<18} {'Thư điện tử':<32} {'Người liên hệ':<24} {'Điện thoại':<14} Tên đơn vị")
    for u in units:
        from app.workspace.roster_edit import state_label

        name = u.name + ("" if u.active else f" ({state_label(u)})")
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
    units = sub.add_parser("units", help="đơn vị: nhập danh sách (xem trước), xem, thêm, sửa, cho thôi")
    units_sub = units.add_subparsers(dest="units_command", metavar="LỆNH", title="Lệnh")
    register_contacts(units_sub)
    p = units_sub.add_parser(
        "import", help="nhập danh sách đơn vị (.xlsx hoặc .csv): mã, tên, loại, thư điện tử, người liên hệ, điện thoại"
    )
    p.add_argument("file", metavar="TỆP", help="tệp danh sách đơn vị (.xlsx hoặc .csv)")
    p.add_argument("--dry-run", action="store_true", help="chỉ xem trước: đơn vị mới, thay đổi, không còn trong tệp")
    p.add_argument("--deactivate-gone", action="store_true",
                   help="cho các đơn vị không còn trong tệp thôi (giữ ở các kỳ trước, không xoá)")  # fmt: skip
    p.add_argument("--deactivate", action="append", metavar="MÃ", help="cho đơn vị này (không còn trong tệp) thôi")
    p.add_argument("--left-on", metavar="NGÀY", help="ngày các đơn vị đó thôi (mặc định hôm nay), ví dụ 01/07/2023")
    workspace_options(p)
    p.set_defaults(func=cmd_units_import)
    p = units_sub.add_parser("add", help="thêm một đơn vị")
    p.add_argument("code", metavar="MÃ", help="mã đơn vị, ví dụ DV26")
    p.add_argument("name", metavar="TÊN", help="tên đơn vị")
    _unit_fields(p)
    p.set_defaults(func=cmd_units_add)
    p = units_sub.add_parser("edit", help="sửa tên, loại, thư điện tử, người liên hệ, điện thoại của đơn vị")
    p.add_argument("code", metavar="MÃ", help="mã đơn vị")
    p.add_argument("--name", metavar="TÊN", help="tên mới")
    _unit_fields(p)
    p.set_defaults(func=cmd_units_edit)
    p = units_sub.add_parser("deactivate", help="cho đơn vị thôi (giải thể, sáp nhập): giữ ở các kỳ trước, "
                                                "không phải nộp các kỳ có hạn nộp sau ngày thôi")  # fmt: skip
    p.add_argument("code", metavar="MÃ", help="mã đơn vị")
    p.add_argument("--on", metavar="NGÀY", help="ngày thôi (mặc định hôm nay), ví dụ 01/07/2023")
    p.add_argument("--merged-into", metavar="MÃ", help="đơn vị tiếp nhận (khi sáp nhập)")
    p.add_argument("--reason", metavar="LÝ_DO", help="lý do (ghi vào nhật ký), ví dụ số quyết định")
    workspace_options(p)
    p.set_defaults(func=cmd_units_deactivate)
    p = units_sub.add_parser("reactivate", help="cho đơn vị đã thôi hoạt động lại")
    p.add_argument("code", metavar="MÃ", help="mã đơn vị")
    p.add_argument("--reason", metavar="LÝ_DO", help="lý do (ghi vào nhật ký)")
    workspace_options(p)
    p.set_defaults(func=cmd_units_reactivate)
    p = units_sub.add_parser("list", help="xem danh sách đơn vị của không gian làm việc")
    workspace_options(p)
    p.set_defaults(func=cmd_units_list)


def _unit_fields(p: Any) -> None:
    p.add_argument("--kind", metavar="LOẠI", help="loại đơn vị")
    p.add_argument("--email", metavar="THƯ", help="thư điện tử (nhiều địa chỉ: cách nhau bằng dấu ;)")
    p.add_argument("--contact", metavar="NGƯỜI", help="người liên hệ")
    p.add_argument("--phone", metavar="SỐ", help="điện thoại (giữ số 0 đầu)")
    workspace_options(p)
