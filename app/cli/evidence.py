"""``dtidesk evidence``: the evidence documents stored with the units' submissions.

``list`` shows them per unit with the indicators whose cited documents they matched; ``add`` stores
documents with one submission (what the e-mail intake does for attachments) and checks again;
``check`` runs the checks of every counted submission again (after root certificates were put in
``<workspace>/chung-thu-goc/``). Thin: each calls ``app.workspace.evidence``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.errors import UsageError
from app.workbook.issues import Severity

from .common import EXIT_ERRORS, EXIT_OK, open_workspace, print_json, workspace_options


def cmd_evidence_list(args: argparse.Namespace) -> int:
    from app.workspace.evidence import list_evidence
    from app.workspace.periods import get_period

    with open_workspace(args) as ws:
        period = get_period(ws, args.period).code
        found = list_evidence(ws, period, args.unit)
    if args.json:
        print_json([{"unit_code": f.unit_code, "submission_id": f.submission_id, "file": f.name, "kind": f.kind,
                "size": f.size, "path": str(f.path), "received_at": f.received_at, "source": f.source,
                "indicators": list(f.indicators)} for f in found])  # fmt: skip
        return EXIT_OK
    if not found:
        print(f"Chưa có tài liệu kiểm chứng nào được gửi kèm trong kỳ {period}.")
        return EXIT_OK
    for f in found:
        cited = ", ".join(f.indicators) if f.indicators else "chưa khớp chỉ số nào"
        print(f"{f.unit_code:<8} {f.name}  ({f.kind}, {f.size / 1024:.0f} KB; {cited})  {f.path}")
    return EXIT_OK


def cmd_evidence_add(args: argparse.Namespace) -> int:
    from app.workbook.package import Unusable, read_original
    from app.workspace.evidence import EMAIL, attach_evidence

    files = []
    for name in args.files:
        try:
            files.append((Path(name).name, read_original(Path(name))))
        except Unusable as exc:
            raise UsageError(exc.message, path=Path(name)) from exc
    with open_workspace(args) as ws:
        issues = attach_evidence(ws, args.submission, files, source=EMAIL)
    return _print_issues(args, issues)


def cmd_evidence_check(args: argparse.Namespace) -> int:
    from app.workspace.evidence import recheck
    from app.workspace.periods import get_period
    from app.workspace.submissions import active_submissions

    issues = []
    with open_workspace(args) as ws:
        period = get_period(ws, args.period).code
        for _, sid in sorted(active_submissions(ws, period).items()):
            issues += recheck(ws, sid)
    return _print_issues(args, issues)


def _print_issues(args: argparse.Namespace, issues: list[Any]) -> int:
    shown = [i for i in issues if i.severity is not Severity.INFO or args.all]
    if args.json:
        print_json([i.as_dict() for i in shown])
    else:
        for i in shown:
            print(f"{i.unit:<8} {i.where:<12} {i.message}")
        if not shown:
            print("Tài liệu kiểm chứng không có vấn đề nào.")
    return EXIT_ERRORS if any(i.severity is Severity.ERROR for i in issues) else EXIT_OK


def register(sub: Any) -> None:
    evidence = sub.add_parser(
        "evidence", help="tài liệu kiểm chứng (PDF, Word) đơn vị gửi kèm: xem, thêm, kiểm tra lại"
    )
    ev = evidence.add_subparsers(dest="evidence_command", metavar="LỆNH", title="Lệnh")

    def common(p: argparse.ArgumentParser) -> None:
        workspace_options(p)

    p = ev.add_parser("list", help="liệt kê tài liệu đã lưu theo đơn vị và chỉ số")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--unit", metavar="MÃ", help="chỉ một đơn vị")
    common(p)
    p.set_defaults(func=cmd_evidence_list)
    p = ev.add_parser(
        "add", help="lưu tài liệu gửi kèm thư điện tử vào một bản nộp rồi kiểm tra lại (thoát 1 nếu có lỗi)"
    )
    p.add_argument("submission", type=int, metavar="SỐ_BẢN_NỘP", help="số bản nộp (xem dtidesk status --json)")
    p.add_argument("files", nargs="+", metavar="TỆP", help="tệp PDF hoặc Word")
    p.add_argument("--all", action="store_true", help="in cả các ghi nhận (đã tìm thấy, chữ ký nguyên vẹn)")
    common(p)
    p.set_defaults(func=cmd_evidence_add)
    p = ev.add_parser("check", help="kiểm tra lại tài liệu kiểm chứng của mọi bản nộp được tính (thoát 1 nếu có lỗi)")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--all", action="store_true", help="in cả các ghi nhận (đã tìm thấy, chữ ký nguyên vẹn)")
    common(p)
    p.set_defaults(func=cmd_evidence_check)
