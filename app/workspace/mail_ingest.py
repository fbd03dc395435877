"""Ingest saved e-mails and zips: each workbook they carry, received at the e-mail's sent time (issue 18).

Why this shape:
- The e-mail decides the received time (its ``Date``, else its top ``Received`` line, in Vietnam
  time: ``app.mail.incoming``), so the clerk no longer corrects it unit by unit; the submission
  says so (``received_from = 'mail'``) and ``status`` shows it.
- The e-mail itself is kept byte-identical, content-addressed like a received original
  (``received/<sha256>.eml`` or ``.msg``), with one ``mails`` row naming sender, subject, sent time
  and the other attachments (the signed PDF, evidence): they stay inside the kept e-mail, listed.
  Each submission names its e-mail (``mail_sha256``) and its audit entry says which e-mail it was.
- The same e-mail dropped twice — same Message-ID (saved from two mail programs) or same bytes —
  is counted once: its row is found and the e-mail is reported as already there.
- A sender that is not the unit's registered address is accepted but flagged: a warning on the
  submission showing both addresses.
- An e-mail without any workbook is recorded like an unreadable file (``mail-without-workbook``),
  with sender, date and subject, tied to the unit whose registered address sent it — never
  skipped silently.
- Each workbook still goes through ``ingest.add_workbook`` (one transaction per file), so every
  rule of a dropped workbook (known by content, rejected once, kill-safe) holds for attachments.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.mail.incoming import Envelope, read_envelopes
from app.workbook.issues import Issue, make_issue
from app.workbook.package import Unusable
from app.workbook.roster import RosterUnit
from scoring.model import Framework

from .ingest import IngestResult, add_workbook, reject, store_original
from .store import Workspace

_ADDRESS_SPLIT = re.compile(r"[;,\s]+")


def registered_addresses(unit: RosterUnit | None) -> set[str]:
    """The unit's registered e-mail addresses (the roster's column may hold several)."""
    if unit is None:
        return set()
    return {a.strip().strip("<>").lower() for a in _ADDRESS_SPLIT.split(unit.email or "") if "@" in a}


@dataclass(frozen=True, slots=True)
class MailLink:
    """What a submission keeps of the e-mail it came in."""

    sha256: str
    file: str
    sender: str
    sender_name: str
    subject: str
    received_from: str  # "mail" when the received time is the e-mail's, else "file"

    def sender_issues(self, unit_code: str, roster: Sequence[RosterUnit], file: str) -> list[Issue]:
        """A warning when the sender is not the unit's registered address (both shown)."""
        unit = next((u for u in roster if u.code == unit_code), None)
        registered = registered_addresses(unit)
        if not self.sender or not registered or self.sender in registered:
            return []
        return [make_issue("sender-not-registered", file=file, unit=unit_code, value=self.sender,
                           detail=", ".join(sorted(registered)))]  # fmt: skip

    def audit(self) -> dict[str, str]:
        return {"mail": self.file, "mail_sha256": self.sha256, "sender": self.sender, "subject": self.subject}


def unit_of_sender(sender: str, roster: Sequence[RosterUnit]) -> str:
    """The roster unit whose registered address sent the e-mail ("" when none or several)."""
    units = [u.code for u in roster if sender and sender in registered_addresses(u)]
    return units[0] if len(units) == 1 else ""


def ingest_envelopes(ws: Workspace, period: str, framework: Framework, roster: Sequence[RosterUnit], path: Path,
                     data: bytes, fallback: datetime, result: IngestResult, *, fixed: bool = False) -> None:  # fmt: skip
    """Every e-mail (or the zip) in ``data``; ``fallback`` is the time used when an e-mail has none
    (the file's time), or the time given by the clerk for all (``fixed``)."""
    try:
        envelopes = read_envelopes(data, path.name)
    except Unusable as exc:
        reject(ws, period, roster, path.name, path, hashlib.sha256(data).hexdigest(), exc, fallback, result)
        return
    for env in envelopes:
        _ingest_envelope(ws, period, framework, roster, path, env, fallback, fixed, result)


def _ingest_envelope(ws: Workspace, period: str, framework: Framework, roster: Sequence[RosterUnit], path: Path,
                     env: Envelope, fallback: datetime, fixed: bool, result: IngestResult) -> None:  # fmt: skip
    label = f"{env.file}: {env.subject}" if env.is_mail and env.subject else env.file
    if env.is_mail and _mail_known(ws, period, env):
        result.skipped.append(label)
        return
    from_mail = env.sent is not None and not fixed
    when = env.sent if (from_mail and env.sent is not None) else fallback
    if not env.workbooks:
        code = "mail-without-workbook" if env.is_mail else "not-a-workbook"
        detail = env.describe() if env.is_mail else "tệp nén .zip không chứa bảng tính"
        exc = Unusable(code, env.file, "; ".join([detail, *env.problems]))
        key = hashlib.sha256(f"mail\0{env.key}".encode()).hexdigest()
        reject(ws, period, roster, env.file, path, key, exc, when, result,
               unit=unit_of_sender(env.sender, roster) if env.is_mail else None)  # fmt: skip
        return
    link = None
    stored = ""
    if env.is_mail:
        ext = ".msg" if env.kind == "msg" else ".eml"
        stored = store_original(ws, env.data, env.sha256, f"mail{ext}")
        link = MailLink(env.sha256, env.file, env.sender, env.sender_name, env.subject,
                        "mail" if from_mail else "file")  # fmt: skip
    for att in env.workbooks:
        add_workbook(ws, period, framework, roster, att.name, path, att.data, when, result, link)
    if env.documents:
        _attach_documents(ws, period, env, when, result)
    if env.is_mail:
        _record_mail(ws, period, env, stored, when)
        result.mails.append(label)


def _attach_documents(ws: Workspace, period: str, env: Envelope, when: datetime, result: IngestResult) -> None:
    """The PDF/Word files sent with the workbooks are their evidence documents (issue 23).

    One unit's e-mail: they go with its counted submission. Several units' workbooks in one e-mail: a
    document goes to the unit whose code its name carries; one that names none is reported, not guessed.
    """
    from .evidence import EMAIL, attach_evidence
    from .submissions import active_submissions

    units = {unit for unit, sha in _units_of(ws, period, env) if sha}
    counted = active_submissions(ws, period)
    targets = {u: counted[u] for u in units if u in counted}
    for doc in env.documents:
        if len(targets) == 1:
            (unit,) = targets
        else:
            named = [u for u in targets if u.casefold() in doc.name.casefold()]
            if len(named) != 1:
                result.unmatched_documents.append(doc.name)
                continue
            (unit,) = named
        attach_evidence(ws, targets[unit], [(doc.name, doc.data)], source=EMAIL, received=when)
        result.documents.append((doc.name, unit))


def _units_of(ws: Workspace, period: str, env: Envelope) -> list[tuple[str, str]]:
    """(unit, sha256) of each workbook of ``env`` the workspace now holds for the period."""
    out = []
    for att in env.workbooks:
        sha = hashlib.sha256(att.data).hexdigest()
        row = ws.conn.execute("SELECT unit_code FROM submissions WHERE period = ? AND file_sha256 = ?",
                              (period, sha)).fetchone()  # fmt: skip
        if row is not None and row["unit_code"]:
            out.append((row["unit_code"], sha))
    return out


def _mail_known(ws: Workspace, period: str, env: Envelope) -> bool:
    return ws.conn.execute("SELECT 1 FROM mails WHERE period = ? AND (key = ? OR sha256 = ?)",
                           (period, env.key, env.sha256)).fetchone() is not None  # fmt: skip


def _record_mail(ws: Workspace, period: str, env: Envelope, stored: str, when: datetime) -> None:
    sent = env.sent.isoformat(sep=" ") if env.sent else None
    with ws.transaction() as conn:
        if _mail_known(ws, period, env):  # another ingest took it meanwhile
            return
        conn.execute(
            "INSERT INTO mails(period, key, sha256, message_id, original_name, stored_path, sent_at, sent_from, "
            "sender, sender_name, subject, workbooks, others_json, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (period, env.key, env.sha256, env.message_id, env.file, stored, sent, env.sent_from, env.sender,
             env.sender_name, env.subject, len(env.workbooks), json.dumps(env.others, ensure_ascii=False),
             when.replace(microsecond=0).isoformat(sep=" ")))  # fmt: skip
        ws.audit("mail", {"period": period, "file": env.file, "sha256": env.sha256, "message_id": env.message_id,
                          "sender": env.sender, "subject": env.subject, "sent": sent,
                          "workbooks": [a.name for a in env.workbooks], "others": env.others})  # fmt: skip


__all__ = ["MailLink", "ingest_envelopes", "registered_addresses", "unit_of_sender"]
