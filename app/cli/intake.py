"""``dtidesk ingest``, ``status``, ``received``: receiving the units' files and seeing who sent what, when."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.errors import UsageError

from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    open_workspace,
    parse_when,
    period_code,
    print_json,
    workspace_options,
)


def cmd_ingest(args: argparse.Namespace) -> int:
    from app.workspace import ingest

    paths = [Path(p) for p in args.paths]
    absent = [str(p) for p in paths if not p.exists()]
    if absent:
        print(f"Không tìm thấy: {', '.join(absent)}", file=sys.stderr)
        return EXIT_USAGE
    with open_workspace(args) as ws:
        result = ingest(ws, period_code(ws, args.period), paths)
    if args.json:
        print_json({"added": result.added, "skipped": result.skipped, "mails": result.mails, "explanations": result.explanations,
               "department": result.department,
               "ignored": [{"file": f, "message": m} for f, m in result.ignored],
               "rejected": [{"file": r.file, "code": r.code, "message": r.message, "unit_code": r.unit_code,
                             "again": r.again} for r in result.rejected],
               **({"documents": [{"file": f, "unit_code": u} for f, u in result.documents],
                   "unmatched_documents": result.unmatched_documents} if result.documents or result.unmatched_documents
                  else {})})  # fmt: skip
    else:
        from_mail = f" (từ {len(result.mails)} thư)" if result.mails else ""
        print(f"Đã nhận {len(result.added)} tệp{from_mail}, {len(result.rejected)} tệp không đọc được, "
              f"{len(result.skipped)} tệp đã có từ trước.")  # fmt: skip
        for _, message in result.ignored:
            print(message)
        for name in result.department:
            print(f"Bảng tự đánh giá của Sở: {name} — đã nhận và chấm điểm (xem dtidesk report).")
        if result.explanations:
            print(f"{result.explanations_line()} Xem: dtidesk appraisals --period {args.period}")
        for r in result.rejected:
            unit = f" [đơn vị {r.unit_code}]" if r.unit_code else ""
            again = " (đã gửi trước đây, vẫn không đọc được)" if r.again else ""
            head = "Thư không có biểu mẫu" if r.code == "mail-without-workbook" else "Không đọc được"
            print(f"{head}: {r.file}{unit}{again} — {r.message}")
        from app.workspace.evidence import unmatched_message

        if result.documents:
            units = sorted({u for _, u in result.documents})
            print(f"Đã lưu {len(result.documents)} tài liệu kiểm chứng gửi kèm ({len(units)} đơn vị: {', '.join(units)}); "
                  "xem: dtidesk evidence list")  # fmt: skip
        for name in result.unmatched_documents:
            print(unmatched_message(name))
        for name, why in result.refused_documents:
            print(f"Không đọc được tài liệu “{name}”: {why}")
    return EXIT_ERRORS if result.rejected else EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from app.workspace import get_period, status

    with open_workspace(args) as ws:
        info = get_period(ws, period_code(ws, args.period))
        rows = status(ws, info.code)
    if args.json:
        print_json([{"unit_code": r.unit_code, "unit_name": r.unit_name, "state": r.state, "label": r.label_vi,
                "on_time": r.on_time, "received_at": r.received_at, "errors": r.errors, "warnings": r.warnings,
                "file": r.file, "files": r.files, "code": r.code, "message": r.message, "named_unit": r.named_unit,
                "submission_id": r.submission_id, "received_from": r.received_from, "sender": r.sender}
               for r in rows])  # fmt: skip
        return EXIT_OK  # a read-only query that ran: what is wrong is in its output
    from app.period import deadline_vi
    from app.workspace.status import RECEIVED_FROM_LABELS, count_statuses

    print(f"Kỳ {info.code} — hạn nộp {deadline_vi(info.deadline)}")
    print(f"{'Mã':<8} {'Tình trạng':<38} {'Nhận lúc':<16}  Đơn vị / tệp")
    for r in rows:
        when = f"{r.received_at:%d/%m/%Y %H:%M}" if r.received_at else "-"
        who = r.unit_name or r.file
        if r.unit_name and r.file and r.state != "received":
            who += f" — tệp {r.file}"
        if r.named_unit and not r.unit_code:
            who += f" (tệp của đơn vị {r.named_unit})"
        if r.received_at and r.received_from in ("mail", "set"):
            who += f" — giờ nhận {RECEIVED_FROM_LABELS[r.received_from]}" + (f" từ {r.sender}" if r.sender else "")
        print(f"{r.unit_code or '-':<8} {r.label_vi:<38} {when:<16}  {who}")
        if r.message:
            print(f"{'':<8} {r.message}")
    counts = count_statuses(rows).labelled()
    print("; ".join(f"{label}: {n}" for label, n in counts.items()))
    return EXIT_OK  # a read-only query that ran: what is wrong is in its output


def cmd_received(args: argparse.Namespace) -> int:
    from app.workspace import set_received, status
    from app.workspace.submissions import counted_submission, get_submission

    words = list(args.values)
    if args.unit:
        if not args.period:
            print("Khi chỉ đơn vị bằng --unit, cần cả --period KỲ.", file=sys.stderr)
            return EXIT_USAGE
        sid_text = None
    else:
        if len(words) < 2:
            print("Cần số bản nộp và thời điểm nhận, ví dụ: dtidesk received 12 \"20/04/2023 09:15\" "
                  "(hoặc --period KỲ --unit MÃ \"20/04/2023 09:15\").", file=sys.stderr)  # fmt: skip
            return EXIT_USAGE
        sid_text = words.pop(0)
    if not sid_text and not words:
        print('Thiếu thời điểm nhận, ví dụ: "20/04/2023 09:15".', file=sys.stderr)
        return EXIT_USAGE
    when = parse_when(" ".join(words))
    with open_workspace(args) as ws:
        if sid_text is None:
            period = period_code(ws, args.period)
            sid = counted_submission(ws, period, args.unit)
        else:
            if not sid_text.isdigit():
                print(f"Số bản nộp không hợp lệ: “{sid_text}” (xem cột submission_id của "
                      "dtidesk status --json).", file=sys.stderr)  # fmt: skip
                return EXIT_USAGE
            sid = int(sid_text)
        old = get_submission(ws, sid)
        if old is not None and args.period and old.period != period_code(ws, args.period):
            raise UsageError(f"Bản nộp số {sid} thuộc kỳ {old.period}, không phải kỳ {args.period}.")
        set_received(ws, sid, when)
        row = get_submission(ws, sid)
        assert row is not None  # set_received refuses a submission that does not exist
        unit_status = next((u for u in status(ws, row.period) if row.unit_code and
                            u.unit_code == row.unit_code), None)  # fmt: skip
    result = {"submission": sid, "period": row.period, "unit": row.unit_code or None, "file": row.file_name,
              "old": old.received_at if old else None, "received_at": row.received_at,
              "status": row.status, "unit_state": unit_status.label_vi if unit_status else None,
              "on_time": unit_status.on_time if unit_status else None}  # fmt: skip
    if args.json:
        print_json(result)
    else:
        print(f"Bản nộp số {sid} ({row.file_name}, đơn vị {row.unit_code or '-'}): ngày nhận đổi từ "
              f"{result['old']} thành {row.received_at}.")  # fmt: skip
        if unit_status is not None:
            print(f"Tình trạng đơn vị {row.unit_code} trong kỳ {row.period}: {unit_status.label_vi}.")
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("ingest", help="tiếp nhận các tệp đơn vị gửi về vào không gian làm việc")
    p.add_argument(
        "paths", nargs="+", metavar="TỆP_HOẶC_THƯ_MỤC", help="tệp đơn vị gửi về, hoặc thư mục chứa các tệp đó"
    )
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    workspace_options(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("status", help="tình trạng nộp của từng đơn vị trong kỳ")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    workspace_options(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("received", help="sửa thời điểm nhận một bản nộp (quyết định nộp muộn và bản nào được tính)")
    p.add_argument("values", nargs="+", metavar="[SỐ_BẢN_NỘP] THỜI_ĐIỂM",
                   help="số bản nộp (cột submission_id của dtidesk status --json) rồi thời điểm, ví dụ "
                        "12 \"20/04/2023 09:15\"; với --unit chỉ ghi thời điểm")  # fmt: skip
    p.add_argument("--period", metavar="KỲ", help="kỳ báo cáo (cùng --unit)")
    p.add_argument("--unit", metavar="MÃ_ĐƠN_VỊ", help="sửa bản nộp đang được tính của đơn vị này")
    workspace_options(p)
    p.set_defaults(func=cmd_received)
