"""``dtidesk frameworks list|check|show``: the indicator sets, shipped or written by an office."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, json_option, print_json


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
        print_json(rows)
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
        from app.framework.derivation import check_derivation_file, is_derivation_file

        if is_derivation_file(path):  # the rules joining two frameworks, checked against both
            rules, problems = check_derivation_file(path)
            errors = [p for p in problems if p.severity is Severity.ERROR]
            status = EXIT_ERRORS if errors else status
            reports.append(
                {
                    "file": str(path),
                    "ok": not errors,
                    "id": None,
                    "errors": len(errors),
                    "warnings": len(problems) - len(errors),
                    "problems": [p.as_dict() for p in problems],
                }
            )
            if not args.json:
                for p in problems:
                    print(p.format())
                print(
                    f"{path}: ĐẠT / OK — quy tắc tổng hợp {rules.from_id} → {rules.to_id}: {len(rules.rules)} ô."
                    if rules
                    else f"{path}: KHÔNG ĐẠT / FAILED — {len(errors)} lỗi."
                )
            continue
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
        print_json(reports)
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
        print_json(framework_to_dict(fw))
        return EXIT_OK
    print(f"{fw.title}\n{fw.legal_basis}\nMã: {fw.id}  Phiên bản: {fw.version}  "
          f"Tổng điểm: {number(fw.total)}  ({len(fw.groups)} chỉ số chính, {len(fw.indicators)} chỉ số thành phần)")  # fmt: skip
    for g in fw.groups:
        print(f"\n{g.code}. {g.title} — {number(g.max)} điểm")
        for ind in fw.group_indicators(g.code):
            na = "  [có thể 'không áp dụng']" if ind.allow_na else ""
            print(f"  {ind.code:<5} {number(ind.max):>3}  {ind.rule.kind:<13} {ind.title}{na}")
    return EXIT_OK


def register(sub: Any) -> None:
    fw = sub.add_parser("frameworks", help="bộ chỉ số: liệt kê, kiểm tra, xem")
    fw_sub = fw.add_subparsers(dest="fw_command", metavar="LỆNH", title="Lệnh")
    p = fw_sub.add_parser("list", help="liệt kê các bộ chỉ số có sẵn")
    json_option(p)
    p.set_defaults(func=cmd_frameworks_list)
    p = fw_sub.add_parser("check", help="kiểm tra tệp bộ chỉ số (thoát 1 nếu có lỗi)")
    p.add_argument("files", nargs="+", metavar="TỆP", help="tệp bộ chỉ số (.yaml) cần kiểm tra")
    json_option(p)
    p.set_defaults(func=cmd_frameworks_check)
    p = fw_sub.add_parser("show", help="xem một bộ chỉ số (theo mã hoặc đường dẫn tệp)")
    p.add_argument("id", metavar="MÃ", help="mã bộ chỉ số (ví dụ svhtt-1690) hoặc đường dẫn tệp .yaml")
    json_option(p)
    p.set_defaults(func=cmd_frameworks_show)
