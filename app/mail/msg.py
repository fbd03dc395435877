"""Outlook ``.msg`` files (MS-OXMSG): the message's properties and attachments, from OLE streams.

Read with ``olefile`` (BSD licence, pure Python, long maintained) rather than ``extract-msg``
(GPL-3.0, which would bind the whole program handed to government offices to the GPL): a .msg is
an OLE compound file whose properties are plain streams named ``__substg1.0_<tag><type>``, so the
few this program needs are read directly:

- the transport headers (0x007D), when the message went through a server: parsed with ``email``,
  so Date / Received / Message-ID / From mean exactly what they mean in a .eml;
- else the submit time (0x0039, in ``__properties_version1.0``), sender (0x5D01 / 0x0C1F /
  0x0C1A), subject (0x0037) and Internet Message-ID (0x1035);
- each ``__attach_version1.0_#…`` storage: long file name (0x3707, else 0x3704) and data (0x3701).
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import struct
from datetime import UTC, datetime, timedelta
from io import BytesIO

from app.workbook.package import Unusable

from .incoming import Envelope, _add, sender_of, sent_time, to_vietnam

_PT_UNICODE, _PT_STRING8, _PT_BINARY, _PT_SYSTIME = 0x001F, 0x001E, 0x0102, 0x0040


def read_msg(data: bytes, name: str) -> Envelope:
    """One Outlook message as an ``Envelope``; ``Unusable`` when the OLE file is not a message."""
    import olefile  # type: ignore[import-untyped]

    try:
        ole = olefile.OleFileIO(BytesIO(data))
    except Exception as exc:
        raise Unusable("mail-unreadable", name, "tệp Outlook .msg bị hỏng") from exc
    try:
        if not ole.exists("__properties_version1.0"):
            raise Unusable("not-a-workbook", name, "tệp Office không phải thư Outlook hay bảng tính")
        env = Envelope(name, "msg", data, hashlib.sha256(data).hexdigest())
        headers = _string(ole, "", 0x007D)
        parsed = email.message_from_string(headers + "\n", policy=email.policy.default) if headers else None
        if parsed is not None:
            env.sender_name, env.sender = sender_of(parsed)
            env.sent, env.sent_from = sent_time(parsed)
            env.message_id = str(parsed.get("Message-ID") or "").strip().strip("<>").strip()
        env.subject = " ".join(_string(ole, "", 0x0037).split())
        if not env.sender:
            env.sender = (_string(ole, "", 0x5D01) or _string(ole, "", 0x0C1F)).strip().lower()
            if "@" not in env.sender:  # an Exchange "/O=…" address says nothing to the office
                env.sender = (_string(ole, "", 0x0065) or env.sender).strip().lower()
            env.sender_name = _string(ole, "", 0x0C1A) or _string(ole, "", 0x0042)
        if not env.message_id:
            env.message_id = _string(ole, "", 0x1035).strip().strip("<>").strip()
        if env.sent is None:
            submitted = _time(ole, "__properties_version1.0", 0x0039, header=32)
            if submitted is not None:
                env.sent, env.sent_from = to_vietnam(submitted), "msg"
        for storage in sorted({e[0] for e in ole.listdir() if e and e[0].startswith("__attach_version1.0_")}):
            att_name = _string(ole, storage, 0x3707) or _string(ole, storage, 0x3704) or "tệp đính kèm"
            content = _stream(ole, f"{storage}/__substg1.0_3701{_PT_BINARY:04X}")
            if content is None:
                env.others.append(att_name)  # an embedded message or OLE object: listed, not opened
                continue
            _add(env, att_name, content, "", 1)
        return env
    finally:
        ole.close()


def _stream(ole: object, path: str) -> bytes | None:
    if not ole.exists(path):  # type: ignore[attr-defined]
        return None
    data = ole.openstream(path).read()  # type: ignore[attr-defined]
    return bytes(data)


def _string(ole: object, storage: str, tag: int) -> str:
    prefix = f"{storage}/" if storage else ""
    raw = _stream(ole, f"{prefix}__substg1.0_{tag:04X}{_PT_UNICODE:04X}")
    if raw is not None:
        return raw.decode("utf-16-le", "replace").rstrip("\x00")
    raw = _stream(ole, f"{prefix}__substg1.0_{tag:04X}{_PT_STRING8:04X}")
    if raw is not None:
        for codec in ("utf-8", "cp1258"):
            try:
                return raw.decode(codec).rstrip("\x00")
            except UnicodeDecodeError:
                continue
    return ""


def _time(ole: object, path: str, tag: int, *, header: int) -> datetime | None:
    """A PT_SYSTIME property from a property stream (16-byte entries after ``header`` bytes)."""
    raw = _stream(ole, path)
    if raw is None:
        return None
    for pos in range(header, len(raw) - 15, 16):
        ptype, pid = struct.unpack_from("<HH", raw, pos)
        if pid == tag and ptype == _PT_SYSTIME:
            (ticks,) = struct.unpack_from("<Q", raw, pos + 8)
            if ticks:
                return datetime(1601, 1, 1, tzinfo=UTC) + timedelta(microseconds=ticks // 10)
    return None
