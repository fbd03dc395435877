"""The workspace's own settings (issue 18): the office's name, e-mail address, phone and signature.

They belong to the workspace, not to the machine: the office's drafts to units say who sends them
whichever clerk's computer writes them. Stored as key → text in the ``settings`` table.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .store import Workspace


@dataclass(frozen=True, slots=True)
class MailSettings:
    """Who the office's e-mails come from, and how they are signed."""

    name: str = ""  # "Văn phòng Sở Văn hóa và Thể thao"
    address: str = ""  # the office's mailbox: where units send their workbooks (CV 1690 mục 3)
    phone: str = ""  # whom to call
    contact: str = ""  # the clerk's name
    signature: str = ""  # lines closing each e-mail


_PREFIX = "mail."


def mail_settings(ws: Workspace) -> MailSettings:
    rows = {r["key"]: r["value"] for r in ws.conn.execute("SELECT key, value FROM settings WHERE key LIKE 'mail.%'")}
    return MailSettings(**{f.name: rows.get(_PREFIX + f.name, "") for f in fields(MailSettings)})


def set_mail_settings(ws: Workspace, **values: str | None) -> MailSettings:
    """Change the settings given (None leaves one as it is); audited."""
    known = {f.name for f in fields(MailSettings)}
    changed = {k: v.strip() for k, v in values.items() if v is not None and k in known}
    with ws.transaction() as conn:
        for key, value in changed.items():
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
                         "excluded.value", (_PREFIX + key, value))  # fmt: skip
        if changed:
            ws.audit("mail-settings", dict(changed))
    return mail_settings(ws)


__all__ = ["MailSettings", "mail_settings", "set_mail_settings"]
