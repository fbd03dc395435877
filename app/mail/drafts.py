"""E-mail drafts to units (issue 18): templates, feedback and reminders, as .eml files to send.

The clerk sends them from the office's usual mail program: each draft carries ``X-Unsent: 1``, so
Outlook opens it as a new message ready to send (Thunderbird opens it with "Edit as new"). The
wording is decided here, once, for the CLI and the desktop: what to fill in, the deadline worded
by ``app.period.deadline_vi`` as CV 1690 words it, where to send (the office's address), whom to
call. Attachments keep their real file names (non-ASCII names written as RFC 2231 parameters).
Pure: builds ``EmailMessage`` objects; ``app.workspace.mail_drafts`` decides who gets which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, make_msgid
from pathlib import Path

from app.period import deadline_vi

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass(frozen=True, slots=True)
class Office:
    """Who sends (``app.workspace.settings.MailSettings`` as the drafts need it)."""

    name: str
    address: str
    phone: str = ""
    contact: str = ""
    signature: str = ""


@dataclass(frozen=True, slots=True)
class Recipient:
    code: str
    name: str
    addresses: tuple[str, ...]


def _base(office: Office, unit: Recipient, subject: str, body: str, attachment: Path | None = None) -> EmailMessage:
    """A draft from the office to the unit, marked unsent, with the workbook ``attachment`` when given."""
    msg = EmailMessage()
    if office.address:
        msg["From"] = Address(office.name, addr_spec=office.address) if office.name else office.address
    msg["To"] = ", ".join(formataddr((unit.name, a)) for a in unit.addresses)
    msg["Subject"] = subject
    msg["X-Unsent"] = "1"
    msg["Message-ID"] = make_msgid(domain=(office.address.partition("@")[2] or "dtidesk.local"))
    msg.set_content(body + "\n\n" + signature(office) + "\n")
    if attachment is not None:
        msg.add_attachment(attachment.read_bytes(), *XLSX_TYPE, filename=attachment.name)
    return msg


def signature(office: Office) -> str:
    lines = ["Trân trọng,"]
    lines += [office.signature] if office.signature else [office.name] if office.name else []
    return "\n".join(lines)


def _contact(office: Office) -> str:
    who = office.contact or office.name or "Văn phòng Sở"
    phone = f", điện thoại {office.phone}" if office.phone else ""
    mail = f", thư điện tử {office.address}" if office.address else ""
    return f"Mọi vướng mắc xin liên hệ {who}{phone}{mail}."


def _send_to(office: Office) -> str:
    return f"về địa chỉ thư điện tử {office.address}" if office.address else "về Văn phòng Sở qua thư điện tử"


def template_draft(
    office: Office, unit: Recipient, period_label: str, deadline: date, attachment: Path
) -> EmailMessage:
    """The quarter's template, sent to one unit."""
    subject = f"[{office.name or 'Văn phòng Sở'}] Biểu mẫu chuyển đổi số {period_label} - {unit.name}"
    body = "\n".join([
        f"Kính gửi: {unit.name},",
        "",
        f"Văn phòng gửi đơn vị biểu mẫu tự đánh giá chỉ số chuyển đổi số {period_label} (tệp đính kèm "
        f"“{attachment.name}”, biểu mẫu riêng của đơn vị).",
        "",
        "Đề nghị đơn vị:",
        "1. Mở tệp bằng Excel, điền số liệu vào các ô trắng của từng chỉ số và ghi tài liệu kiểm chứng;",
        "2. Chỉ số nào không áp dụng thì chọn “Không áp dụng” và ghi rõ lý do;",
        "3. Không đổi tên trang, không chèn hay xoá dòng, không đặt mật khẩu cho tệp;",
        f"4. Lưu tệp dạng Excel (.xlsx) và gửi lại {_send_to(office)} {deadline_vi(deadline)}.",
        "",
        _contact(office),
    ])  # fmt: skip
    return _base(office, unit, subject, body, attachment)


def feedback_draft(office: Office, unit: Recipient, period_label: str, resend_by: date, problems: Sequence[str],
                   attachment: Path) -> EmailMessage:  # fmt: skip
    """What is wrong in the unit's file, with its feedback workbook."""
    subject = f"[{office.name or 'Văn phòng Sở'}] Đề nghị sửa biểu mẫu chuyển đổi số {period_label} - {unit.name}"
    shown = list(problems[:30])
    more = [f"… và {len(problems) - len(shown)} vấn đề khác (xem tệp đính kèm)."] if len(problems) > len(shown) else []
    body = "\n".join([
        f"Kính gửi: {unit.name},",
        "",
        f"Văn phòng đã nhận biểu mẫu chuyển đổi số {period_label} của đơn vị. Khi kiểm tra, tệp còn "
        f"{len(problems)} vấn đề cần đơn vị xem lại:",
        "",
        *[f"- {p}" for p in shown], *more,
        "",
        f"Tệp đính kèm “{attachment.name}” đánh dấu từng ô cần sửa. Đề nghị đơn vị sửa trên biểu mẫu "
        f"đã gửi và gửi lại {_send_to(office)} {deadline_vi(resend_by)}.",
        "",
        _contact(office),
    ])  # fmt: skip
    return _base(office, unit, subject, body, attachment)


def reminder_draft(office: Office, unit: Recipient, period_label: str, deadline: date, situation: str,
                   attachment: Path | None = None) -> EmailMessage:  # fmt: skip
    """A reminder: ``situation`` is what the office saw (Vietnamese, from ``app.workspace.status``)."""
    subject = f"[{office.name or 'Văn phòng Sở'}] Nhắc gửi biểu mẫu chuyển đổi số {period_label} - {unit.name}"
    body = "\n".join([
        f"Kính gửi: {unit.name},",
        "",
        f"Hạn gửi biểu mẫu tự đánh giá chỉ số chuyển đổi số {period_label} là {deadline_vi(deadline)}. "
        f"Tình trạng của đơn vị tại Văn phòng: {situation}.",
        "",
        f"Đề nghị đơn vị điền biểu mẫu đã phát{' (gửi kèm lại trong thư này)' if attachment else ''} và gửi "
        f"{_send_to(office)} sớm nhất có thể.",
        "",
        _contact(office),
    ])  # fmt: skip
    return _base(office, unit, subject, body, attachment)


def notice_draft(office: Office, unit: Recipient, period_label: str, explain_by: date | None,
                 attachment: Path) -> EmailMessage:  # fmt: skip
    """The appraisal notice (round 1): what the office changed, for the unit to explain or correct."""
    subject = f"[{office.name or 'Văn phòng Sở'}] Thông báo kết quả thẩm định {period_label} - {unit.name}"
    due = f" {deadline_vi(explain_by)}" if explain_by is not None else ""
    body = "\n".join([
        f"Kính gửi: {unit.name},",
        "",
        f"Văn phòng đã thẩm định biểu mẫu chuyển đổi số {period_label} của đơn vị và điều chỉnh một số chỉ số. "
        f"Tệp đính kèm “{attachment.name}” ghi từng chỉ số: số liệu đơn vị tự đánh giá, số liệu sau thẩm định "
        "và lý do.",
        "",
        "Nếu đơn vị chưa thống nhất, đề nghị ghi giải trình và tài liệu kiểm chứng bổ sung vào các cột dành "
        f"cho đơn vị trong tệp, lưu lại và gửi {_send_to(office)}{due}.",
        "",
        _contact(office),
    ])  # fmt: skip
    return _base(office, unit, subject, body, attachment)


#: how drafts are written: CRLF line ends, and header lines folded only past RFC 5322's 998 characters.
#: At the usual 78, the standard library folds a long Vietnamese subject or unit name into several
#: encoded words and loses the space where it cuts ("kết quảthẩm định", "Th ành phố" when read
#: back); one longer encoded word is read correctly by Outlook, Thunderbird and webmail alike.
DRAFT_POLICY = SMTP.clone(max_line_length=998)


def draft_bytes(msg: EmailMessage) -> bytes:
    """The .eml bytes, CRLF line ends as mail programs expect (see ``DRAFT_POLICY``)."""
    return msg.as_bytes(policy=DRAFT_POLICY)


__all__ = ["Office", "Recipient", "draft_bytes", "feedback_draft", "reminder_draft", "signature", "template_draft"]
