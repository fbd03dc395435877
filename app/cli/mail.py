"""``dtidesk mail templates|feedback|reminders|settings``: e-mail drafts to units (issue 18).

Thin: each command calls ``app.workspace.mail_drafts.write_drafts`` or the settings functions and
prints their answer; the drafts' wording lives in ``app.mail.drafts``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import EXIT_ERRORS, EXIT_OK, open_workspace, period_code, print_json, workspace_options


def cmd_mail_drafts(args: argparse.Namespace) -> int:
    from app.workspace.mail_drafts import write_drafts

    with open_workspace(args) as ws:
        result = write_drafts(ws, period_code(ws, args.period), args.kind, Path(args.out) if args.out else None)
    if args.json:
        print_json({"kind": result.kind, "folder": str(result.folder),
               "written": [{"unit": c, "file": str(p)} for c, p in result.written],
               "without_address": [{"unit": c, "name": n} for c, n in result.without_address]})  # fmt: skip
    else:
        for line in result.messages():
            print(line)
    return EXIT_ERRORS if result.without_address else EXIT_OK


def cmd_mail_settings(args: argparse.Namespace) -> int:
    from app.workspace.settings import set_mail_settings

    with open_workspace(args) as ws:
        s = set_mail_settings(ws, name=args.name, address=args.address, phone=args.phone, contact=args.contact,
                              signature=args.signature.replace("\\n", "\n") if args.signature else None)  # fmt: skip
    if args.json:
        print_json(
            {"name": s.name, "address": s.address, "phone": s.phone, "contact": s.contact, "signature": s.signature}
        )
    else:
        print(f"Tên cơ quan gửi: {s.name or '(chưa đặt)'}")
        print(f"Địa chỉ thư điện tử nhận báo cáo: {s.address or '(chưa đặt)'}")
        print(f"Người liên hệ: {s.contact or '(chưa đặt)'}; điện thoại: {s.phone or '(chưa đặt)'}")
        print("Chữ ký:\n" + (s.signature or "(chưa đặt)"))
    return EXIT_OK


def register(sub: Any) -> None:
    mail = sub.add_parser(
        "mail", help="soạn thư gửi đơn vị (biểu mẫu, phản hồi, nhắc nộp, thông báo thẩm định) và cài đặt người gửi"
    )
    kinds = mail.add_subparsers(dest="mail_command", metavar="LỆNH", required=True)
    helps = {"templates": "mỗi đơn vị một thư kèm biểu mẫu của đơn vị",
             "feedback": "thư cho đơn vị có tệp cần sửa, kèm tệp phản hồi",
             "reminders": "thư nhắc đơn vị chưa nộp, nộp muộn hoặc gửi tệp không đọc được",
             "notices": "thư kèm thông báo thẩm định vòng 1 cho đơn vị có chỉ số được điều chỉnh (để giải trình)"}  # fmt: skip
    for kind, text in helps.items():
        p = kinds.add_parser(kind, help=text)
        p.add_argument("--period", required=True, metavar="KỲ", help='kỳ báo cáo, ví dụ 2023-Q2 hoặc "Quý II/2023"')
        p.add_argument(
            "--out", metavar="THƯ_MỤC", help="thư mục ghi thư (mặc định: mail/KỲ/ trong không gian làm việc)"
        )
        workspace_options(p)
        p.set_defaults(func=cmd_mail_drafts, kind=kind)
    p = kinds.add_parser("settings", help="tên, địa chỉ thư, người liên hệ và chữ ký của cơ quan gửi")
    p.add_argument("--name", metavar="TÊN", help='tên cơ quan gửi, ví dụ "Văn phòng Sở Văn hóa và Thể thao"')
    p.add_argument("--address", metavar="THƯ", help="địa chỉ thư điện tử nhận báo cáo của đơn vị")
    p.add_argument("--contact", metavar="TÊN", help="người liên hệ")
    p.add_argument("--phone", metavar="SỐ", help="số điện thoại liên hệ")
    p.add_argument("--signature", metavar="CHỮ_KÝ", help="chữ ký cuối thư (\\n để xuống dòng)")
    workspace_options(p)
    p.set_defaults(func=cmd_mail_settings)
