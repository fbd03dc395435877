"""``dtidesk department --period P``: the department's own QĐ 79 self-assessment (issue 19).

Thin: each form of the command calls one function of ``app.workspace.department`` and prints its
answer (or ``--json``).
- ``dtidesk department --period P [--out FILE]`` writes the pre-filled workbook;
- ``… --override 4.1.c=12 --reason "…"`` replaces a derived figure (empty value: back to derived);
- ``… --receive FILE`` reads the filled workbook back as the department's own submission and scores it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.errors import UsageError
from app.numbers import format_decimal_vi

from .common import EXIT_OK, open_workspace, period_code, print_json, workspace_options


def cmd_department(args: argparse.Namespace) -> int:
    from app.workspace.department import override_department, receive_department, write_department_workbook

    with open_workspace(args) as ws:
        period = period_code(ws, args.period)
        if args.override is not None:
            target, sep, value = args.override.partition("=")
            if not sep:
                raise UsageError('Cú pháp: --override <ô>=<giá trị>, ví dụ --override 4.1.c=12 --reason "…".')
            done = override_department(ws, period, target.strip(), value, args.reason or "")
            if args.json:
                print_json(
                    {"period": period, "target": target.strip(), "value": str(done.value), "reason": done.reason}
                )
            else:
                print(f"Đã sửa ô {target.strip()} của Sở kỳ {period} (lý do: {done.reason}); đã ghi nhật ký.")
            return EXIT_OK
        if args.receive is not None:
            score = receive_department(ws, period, Path(args.receive))
            total = format_decimal_vi(score.total_cents / 100)
            if args.json:
                print_json({"period": period, "file": score.file_name, "total": score.total_cents / 100,
                       "groups": {k: v / 100 for k, v in score.group_cents.items()}, "errors": score.errors})  # fmt: skip
            else:
                print(f"Đã nhận bản tự đánh giá của Sở kỳ {period} ({score.file_name}): {total}/"
                      f"{format_decimal_vi(score.framework.total, 0)} điểm"
                      + (f", còn {score.errors} lỗi cần xem lại." if score.errors else "."))  # fmt: skip
            return EXIT_OK
        written, draft = write_department_workbook(
            ws, period, Path(args.out) if args.out else None, prepared_by=args.prepared_by, approved_by=args.approved_by
        )
    if args.json:
        print_json({"period": period, "workbook": written, "derived": len(draft.derived), "office": len(draft.office),
               "cells": [{"cell": c.ref.text, "how": c.how, "value": None if c.value is None else str(c.value),
                          "contributed": list(c.contributed), "missing": list(c.missing), "late": list(c.late),
                          "appraised": list(c.appraised), "explanation": c.explanation(draft.names)}
                         for c in draft.cells]})  # fmt: skip
        return EXIT_OK
    print(f"Bảng tự đánh giá của Sở {period}: {written}")
    print(f"{len(draft.derived)} ô suy ra từ báo cáo của các đơn vị; {len(draft.office)} ô Văn phòng Sở cần tự điền "
          "(tô đỏ). Điền xong, nhận lại bằng: dtidesk department --period " + period + " --receive <tệp>.")  # fmt: skip
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("department", help="bảng tự đánh giá của Sở (QĐ 79 Phụ lục I) lập từ báo cáo của các đơn vị")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--out", metavar="TỆP", help="tệp .xlsx cần ghi (mặc định: reports/<kỳ>/ trong thư mục làm việc)")
    p.add_argument("--override", metavar="Ô=GIÁ_TRỊ", help="sửa một số liệu suy ra, ví dụ 4.1.c=12 (cần --reason)")
    p.add_argument("--reason", metavar="LÝ_DO", help="lý do sửa (bắt buộc với --override)")
    p.add_argument("--prepared-by", metavar="HỌ_TÊN", help="người lập bảng tự đánh giá (cùng --approved-by)")
    p.add_argument("--approved-by", metavar="HỌ_TÊN", help="người phê duyệt, khác người lập")
    p.add_argument("--receive", metavar="TỆP", help="nhận lại bảng Sở đã điền làm bản tự đánh giá của Sở")
    workspace_options(p)
    p.set_defaults(func=cmd_department)
