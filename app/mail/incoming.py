"""Saved e-mails (.eml, Outlook .msg, mbox) and .zip files → the workbooks they carry (issue 18).

Units return their workbooks by e-mail (CV 1690 mục 3). What decides on-time or late is when the
unit *sent* the e-mail, not when the clerk saved the attachment, so an e-mail is read whole: its
sent time in Vietnam time (the deadline is "trước 00g00" Vietnam time), its sender, subject and
Message-ID, and every workbook attached, however the unit's mail program packed it:

- base64 and quoted-printable bodies (the standard ``email`` package; headers and parameters
  decoded by ``policy.default``'s parser, see ``_header``);
- Vietnamese file names as RFC 2047 encoded words or RFC 2231 parameters, including the broken
  forms real clients write (an encoded word inside quotes or mid-token, a UTF-8 character split
  across two encoded words, RFC 2231 without its charset, raw UTF-8): ``attachment_name``;
- attachments of a forwarded message (``message/rfc822``), of a ``.zip`` (under the reader's
  zip-bomb limits, ``app.workbook.package.zip_members``) and of Outlook's ``winmail.dat`` (TNEF,
  read with ``tnefparse``, LGPL-3.0, used as an unmodified library);
- Outlook ``.msg`` files, read from their OLE streams with ``olefile`` (BSD): ``app.mail.msg``.

Nothing here touches the workspace: this module answers "what is in these bytes" as data
(``Envelope``); ``app.workspace.mail_ingest`` decides what the workspace keeps. A file that is not
an e-mail or zip is not this module's business (``is_envelope``); bytes that claim to be one but
cannot be read raise ``Unusable`` with a Vietnamese message, like a broken workbook.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import PurePosixPath
from urllib.parse import unquote_to_bytes

from app.workbook.package import Unusable, zip_members

#: Vietnam time (Indochina Time, no daylight saving): the deadline is worded in it
VIETNAM = timezone(timedelta(hours=7), "ICT")
MAIL_SUFFIXES = frozenset({".eml", ".msg", ".mbox", ".mbx"})
ZIP_SUFFIXES = frozenset({".zip"})
#: a workbook attachment, by its name (what ``app.workbook.intake`` opens)
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".xltx", ".xltm"})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TNEF_MAGIC = b"\x78\x9f\x3e\x22"
#: header names whose presence at the top says "this is an e-mail", whatever the file is called
_HEADER_LINE = re.compile(rb"^(?:from|to|subject|date|received|return-path|message-id|mime-version|"
                          rb"delivered-to|x-[a-z0-9-]+|reply-to|cc|content-type|dkim-signature|"
                          rb"arc-[a-z-]+|authentication-results|thread-topic|thread-index)[ \t]*:",
                          re.I)  # fmt: skip
#: how deep forwarded messages and archives are followed (a forward of a forward of a zip …)
MAX_DEPTH = 5


@dataclass(frozen=True, slots=True)
class Attachment:
    """One file carried by an e-mail or zip: its real name and its decoded bytes."""

    name: str
    data: bytes = field(repr=False)


@dataclass(slots=True)
class Envelope:
    """One e-mail (or one dropped .zip): where its workbooks came from and when they were sent."""

    file: str  # the name of the saved file it came from
    kind: str  # "eml" | "msg" | "mbox" | "zip"
    data: bytes = field(repr=False)  # this message's bytes, kept byte-identical in the workspace
    sha256: str = ""
    message_id: str = ""
    sent: datetime | None = None  # naive, Vietnam time; None for a zip or an e-mail without any time
    sent_from: str = ""  # "date" | "received" | "msg" | "" (how ``sent`` was found)
    sender: str = ""  # address, lower-case
    sender_name: str = ""
    subject: str = ""
    workbooks: list[Attachment] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # names of the other attachments (PDF, evidence …)
    #: the PDF and Word files among them, kept with their bytes: the evidence documents of the workbooks
    documents: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # Vietnamese: an attached zip that was refused …

    @property
    def is_mail(self) -> bool:
        return self.kind != "zip"

    @property
    def key(self) -> str:
        """What makes two drops the same e-mail: its Message-ID, else its bytes."""
        return f"mid:{self.message_id}" if self.message_id else f"sha:{self.sha256}"

    def describe(self) -> str:
        """ " (gửi từ …, lúc …, tiêu đề “…”)" — how a person recognises the e-mail in a list."""
        if not self.is_mail:
            return ""
        parts = [f"gửi từ {self.sender_name} <{self.sender}>" if self.sender_name else
                 f"gửi từ {self.sender or 'người gửi không rõ'}"]  # fmt: skip
        if self.sent is not None:
            parts.append(f"lúc {self.sent:%H:%M ngày %d/%m/%Y}")
        parts.append(f"tiêu đề “{self.subject}”" if self.subject else "không có tiêu đề")
        return ", ".join(parts)


def is_envelope(name: str, data: bytes) -> bool:
    """Whether these bytes are read as an e-mail or zip rather than as a workbook.

    The name decides first (.eml, .msg, .mbox, .zip); otherwise text that starts with e-mail
    headers is an e-mail whatever it is called (a ".xls" saved from a webmail was one).
    """
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in MAIL_SUFFIXES or suffix in ZIP_SUFFIXES:
        return True
    if data.startswith((b"PK", _OLE_MAGIC)) or (suffix in WORKBOOK_SUFFIXES and not _looks_like_mail(data)):
        return False
    return _looks_like_mail(data)


def _looks_like_mail(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf\r\n")
    if head.startswith(b"From ") and b"\n" in head:  # an mbox
        return True
    lines = head.splitlines()[:3]
    return bool(lines) and all(_HEADER_LINE.match(line) or line[:1] in (b" ", b"\t") for line in lines[:2]) \
        and _HEADER_LINE.match(lines[0]) is not None  # fmt: skip


def read_envelopes(data: bytes, name: str) -> list[Envelope]:
    """Every e-mail in a saved .eml / .msg / mbox file (or the one zip), with its workbooks.

    Raises ``Unusable`` ("mail-unreadable", "zip-bomb" …) when the file cannot be read at all.
    """
    suffix = PurePosixPath(name.lower()).suffix
    try:
        if data.startswith(b"PK") or suffix in ZIP_SUFFIXES:
            env = Envelope(name, "zip", data, hashlib.sha256(data).hexdigest())
            _add_zip(env, name, data, 0)
            return [env]
        if data.startswith(_OLE_MAGIC):
            from .msg import read_msg

            return [read_msg(data, name)]
        if not data.strip():
            raise Unusable("empty-file", name, "0 byte")
        messages = split_mbox(data)
        if len(messages) > 1 or data.lstrip(b"\r\n").startswith(b"From "):
            return [parse_message(m, name, "mbox") for m in messages]
        return [parse_message(data, name, "eml")]
    except (Unusable, KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:
        raise Unusable("mail-unreadable", name, f"lỗi {type(exc).__name__}") from exc


def split_mbox(data: bytes) -> list[bytes]:
    """The messages of an mbox (``From `` separator lines; ``>From `` unescaped); one message if none."""
    text = data.lstrip(b"\r\n")
    if not text.startswith(b"From "):
        return [data]
    chunks = re.split(rb"(?:^|\r?\n)From [^\r\n]*\r?\n", text)
    out = []
    for chunk in chunks:
        if chunk.strip():
            out.append(re.sub(rb"(?m)^>(>*From )", rb"\1", chunk))
    return out


def parse_message(data: bytes, file: str, kind: str = "eml") -> Envelope:
    """One RFC 5322 message: its header facts and every attachment, decoded."""
    msg = email.message_from_bytes(data)  # structure only: each header is read through policy.default (_header)
    if not (msg.keys() and (msg.get("From") or msg.get("Date") or msg.get("Subject"))):
        raise Unusable("mail-unreadable", file, "không thấy phần đầu thư (From, Date, Subject)")
    env = Envelope(file, kind, data, hashlib.sha256(data).hexdigest())
    env.message_id = _header(msg, "Message-ID").strip().strip("<>").strip()
    env.sender_name, env.sender = sender_of(msg)
    env.subject = " ".join(_header(msg, "Subject").split())
    env.sent, env.sent_from = sent_time(msg)
    _walk(env, msg, 0)
    return env


def _header(msg: Message, name: str) -> str:
    """A header decoded by ``email.policy.default`` (encoded words, folding, 8-bit bytes).

    The message's structure is parsed with the faster ``compat32`` policy (which decodes bodies
    the same way), and only the few headers used here go through ``policy.default``'s parser:
    parsing every header of every part with it took half the time of an e-mail's ingest.
    """
    try:
        value = msg.get(name)
        if value is None:
            return ""
        if isinstance(msg, EmailMessage):  # already parsed with policy.default
            return str(value)
        return str(email.policy.default.header_fetch_parse(name, str(value)))
    except Exception:  # a header the parser chokes on counts as absent
        return ""


def sender_of(msg: Message) -> tuple[str, str]:
    """(display name, lower-case address) of ``From`` (else ``Sender``)."""
    for name in ("From", "Sender"):
        raw = _header(msg, name)
        if raw:
            pairs = getaddresses([raw])
            if pairs and pairs[0][1]:
                return pairs[0][0].strip(), pairs[0][1].strip().lower()
    return "", ""


def sent_time(msg: Message, *, now: datetime | None = None) -> tuple[datetime | None, str]:
    """When the message was sent, naive in Vietnam time: its ``Date``, else the top ``Received`` line.

    A Date that is missing, unreadable, before 2000 or more than a day in the future (a sender's
    clock set wrong) is absurd; the top ``Received`` line is the office's own mail server's word.
    """
    now = now or datetime.now(UTC)
    date = _when(_header(msg, "Date"), now)
    if date is not None:
        return date, "date"
    received = msg.get_all("Received") or []
    for line in received[:1]:
        when = _when(str(line).rpartition(";")[2], now)
        if when is not None:
            return when, "received"
    return None, ""


def _when(text: str, now: datetime) -> datetime | None:
    text = " ".join(text.split())
    if not text:
        return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:  # "-0000": the time is UTC, where it was written is unknown
        parsed = parsed.replace(tzinfo=UTC)
    if parsed.year < 2000 or parsed > now + timedelta(days=1):
        return None
    return parsed.astimezone(VIETNAM).replace(tzinfo=None)


def to_vietnam(when: datetime) -> datetime:
    """An aware time as naive Vietnam time (naive times are taken as UTC)."""
    aware = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return aware.astimezone(VIETNAM).replace(tzinfo=None)


# --- attachments ---------------------------------------------------------------------------------


def _walk(env: Envelope, msg: Message, depth: int) -> None:
    """Every leaf part; ``walk`` goes into forwarded messages (``message/rfc822``) too."""
    for part in msg.walk() if depth <= MAX_DEPTH else ():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if ctype == "message/rfc822":  # policy.default leaves it as one part holding a message
            continue
        name = attachment_name(part)
        if not name and part.get_content_disposition() != "attachment":
            if ctype.startswith("text/") or ctype.startswith("multipart/"):
                continue  # the body
        try:
            payload = part.get_payload(decode=True)
        except Exception:
            payload = None
        if not isinstance(payload, bytes | bytearray):
            if name:
                env.problems.append(f"không giải mã được tệp đính kèm “{name}”")
            continue
        _add(env, name or _default_name(ctype), bytes(payload), ctype, depth)


def _default_name(ctype: str) -> str:
    return {"application/ms-tnef": "winmail.dat", "application/vnd.ms-tnef": "winmail.dat"}.get(ctype, "tệp đính kèm")


def _add(env: Envelope, name: str, data: bytes, ctype: str, depth: int) -> None:
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in WORKBOOK_SUFFIXES or (not suffix and data.startswith((b"PK", _OLE_MAGIC))
                                       and ctype in _SPREADSHEET_TYPES):  # fmt: skip
        env.workbooks.append(Attachment(name, data))
    elif suffix in ZIP_SUFFIXES or (ctype in ("application/zip", "application/x-zip-compressed") and \
            data.startswith(b"PK")):  # fmt: skip
        _add_zip(env, name, data, depth + 1)
    elif ctype in ("application/ms-tnef", "application/vnd.ms-tnef") or data.startswith(_TNEF_MAGIC):
        _add_tnef(env, name, data, depth + 1)
    elif suffix == ".eml" and depth < MAX_DEPTH:  # a forward attached as a file rather than rfc822
        inner = email.message_from_bytes(data)
        _walk(env, inner, depth + 1)
    else:
        env.others.append(name)
        if suffix in DOCUMENT_SUFFIXES:
            env.documents.append(Attachment(name, data))


#: attachments kept as evidence documents (the same kinds ``app.evidence`` reads)
DOCUMENT_SUFFIXES = frozenset({".pdf", ".docx", ".doc"})

_SPREADSHEET_TYPES = frozenset({
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel",
    "application/vnd.oasis.opendocument.spreadsheet", "application/vnd.ms-excel.sheet.binary.macroenabled.12",
})  # fmt: skip


def _add_zip(env: Envelope, name: str, data: bytes, depth: int) -> None:
    """The workbooks inside a zip; member paths are names only (no ``..`` can lead anywhere)."""
    try:
        members = list(zip_members(data, name))
    except Unusable as exc:
        if env.kind == "zip":
            raise
        env.problems.append(exc.message)
        env.others.append(name)
        return
    found = False
    for path, content in members:
        member = PurePosixPath(path.replace("\\", "/")).name
        if not member or member.startswith(("~$", ".")) or path.startswith("__MACOSX/"):
            continue
        suffix = PurePosixPath(member.lower()).suffix
        if suffix in WORKBOOK_SUFFIXES:
            env.workbooks.append(Attachment(member, content))
            found = True
        elif suffix in ZIP_SUFFIXES and depth < MAX_DEPTH:
            _add_zip(env, member, content, depth + 1)
        else:
            env.others.append(f"{name}/{member}")
            if suffix in DOCUMENT_SUFFIXES:
                env.documents.append(Attachment(member, content))
    if not found and env.kind != "zip":
        env.others.append(name)


def _add_tnef(env: Envelope, name: str, data: bytes, depth: int) -> None:
    """Outlook's ``winmail.dat``: the attachments it wraps, by their long (Unicode) names."""
    from tnefparse import TNEF  # type: ignore[import-untyped]

    try:
        tnef = TNEF(data, do_checksum=False)
    except Exception:
        env.problems.append(f"không đọc được “{name}” (winmail.dat của Outlook)")
        env.others.append(name)
        return
    for att in tnef.attachments:
        inner = _text(att.long_filename()) or _text(att.name) or "tệp đính kèm"
        if isinstance(att.data, bytes | bytearray):
            _add(env, inner.strip("\x00"), bytes(att.data), "", depth)


def _text(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        for codec in ("utf-8", "cp1258", "cp1252"):
            try:
                return bytes(value).decode(codec).strip("\x00")
            except UnicodeDecodeError:
                continue
    return str(value or "").strip("\x00")


# --- file names as mail programs write them ------------------------------------------------------

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_PARAM = re.compile(r"""(?is)(?:^|;)\s*(file)?name(\*)?(?:\*(\d+)(\*)?)?\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)""")


def attachment_name(part: Message) -> str:
    """The attachment's file name, as its sender's mail program meant it.

    ``policy.default`` decodes the correct forms and most broken ones; when what it gives still
    looks wrong (no name, a replacement character, a name cut short), the raw header is decoded
    here: encoded words anywhere (adjacent ones joined byte-wise, so a character split between
    two words survives) and RFC 2231 values with or without their charset.
    """
    name = ""
    for header, param in (("Content-Disposition", "filename"), ("Content-Type", "name")):
        raw = part.get(header)
        if raw is None or name:
            continue
        try:
            parsed = email.policy.default.header_fetch_parse(header, str(raw))
            name = str(getattr(parsed, "params", {}).get(param) or "")
        except Exception:  # the raw header is decoded below
            name = ""
    if name and "\ufffd" not in name and not _ENCODED_WORD.search(name) and PurePosixPath(name).suffix:
        return _clean(name)
    raw = _raw_name(part)
    return _clean(raw or name)


def _raw_name(part: Message) -> str:
    for header in ("Content-Disposition", "Content-Type"):
        raw = next((str(v) for k, v in part.raw_items() if k.lower() == header.lower()), "")
        raw = raw.replace("\r", "").replace("\n", "")
        pieces: dict[tuple[bool, int], tuple[bool, str]] = {}
        for m in _PARAM.finditer(raw):
            is_file, star, index, index_star, value = m.groups()
            value = value.strip()
            if value.startswith('"') and value.endswith('"') and len(value) >= 2:
                value = value[1:-1].replace('\\"', '"')
            extended = bool(star or index_star)
            pieces[(bool(is_file), int(index or 0))] = (extended, value)
        for want_file in (True, False):
            chosen = sorted((i, v) for (f, i), v in pieces.items() if f == want_file)
            if chosen:
                return _decode_pieces([v for _, v in chosen])
    return ""


def _decode_pieces(pieces: list[tuple[bool, str]]) -> str:
    """RFC 2231 continuations (``charset'lang'%XX`` on the first) and encoded words, joined."""
    charset = "utf-8"
    out = b""
    for n, (extended, value) in enumerate(pieces):
        if extended:
            if n == 0 and value.count("'") >= 2:
                charset, _, value = value.split("'", 2)
                charset = charset or "utf-8"
            out += unquote_to_bytes(value)
        else:
            out += value.encode("utf-8", "surrogateescape")
    text = _bytes_text(out, charset)
    return decode_words(text)


def decode_words(text: str) -> str:
    """Decode RFC 2047 encoded words wherever they stand, joining adjacent ones' bytes first."""
    out: list[str] = []
    pos = 0
    pending: bytes = b""
    pending_charset = ""
    for m in _ENCODED_WORD.finditer(text):
        between = text[pos : m.start()]
        if between.strip() or not pending:
            if pending:
                out.append(_bytes_text(pending, pending_charset))
                pending = b""
            out.append(between)
        charset, enc, body = m.group(1).split("*")[0], m.group(2).lower(), m.group(3)
        if pending and charset.lower() != pending_charset.lower():
            out.append(_bytes_text(pending, pending_charset))
            pending = b""
        pending_charset = charset
        pending += _word_bytes(enc, body)
        pos = m.end()
    if pending:
        out.append(_bytes_text(pending, pending_charset))
    out.append(text[pos:])
    return "".join(out)


def _word_bytes(enc: str, body: str) -> bytes:
    import base64
    import binascii
    import quopri

    if enc == "b":
        try:
            return base64.b64decode(body + "=" * (-len(body) % 4))
        except (binascii.Error, ValueError):
            return body.encode("ascii", "replace")
    return quopri.decodestring(body.replace("_", " ").encode("ascii", "replace"), header=True)


def _bytes_text(data: bytes, charset: str) -> str:
    for codec in (charset, "utf-8", "cp1258", "cp1252"):
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", "replace")


def _clean(name: str) -> str:
    """A file name only (no folder part, no control characters), stripped of quotes."""
    name = name.replace("\\", "/").strip().strip('"').strip()
    name = PurePosixPath(name).name if "/" in name else name
    return "".join(ch for ch in name if ch >= " " and ch != "\x7f").strip()


__all__ = [
    "MAIL_SUFFIXES",
    "VIETNAM",
    "ZIP_SUFFIXES",
    "Attachment",
    "Envelope",
    "attachment_name",
    "decode_words",
    "is_envelope",
    "parse_message",
    "read_envelopes",
    "sender_of",
    "sent_time",
    "split_mbox",
    "to_vietnam",
]
