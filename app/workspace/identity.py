"""Who is working: the account and the machine, written as ``lan@PC-VANPHONG`` in the audit and appraisals.

Why both: once a workspace is shared (a PostgreSQL workspace, issue 22) several people on several
PCs write to it, and the same Windows account name ("admin", "user") is common on office machines.
The audit must still say who changed a figure and from where, so every action records
``account@machine``. One home for it: the audit (``Workspace.audit``) and every ``who`` of an
appraisal, a withdrawal, a decision or a period step come from ``current_user``.
"""

from __future__ import annotations

import getpass
import os
import socket


def account() -> str:
    """The OS account name (on Windows, the logged-on user); something readable when there is none."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name (a service account, a container): still record something
        name = os.environ.get("USERNAME") or os.environ.get("USER") or ""
    return name.strip() or "không rõ"


def machine() -> str:
    """The computer's name as the office knows it (Windows' COMPUTERNAME, else the host name, short)."""
    name = os.environ.get("COMPUTERNAME", "").strip()
    if not name:
        try:
            name = socket.gethostname().strip()
        except OSError:
            name = ""
    return name.split(".")[0] or "máy-không-rõ"


def current_user() -> str:
    """``account@machine``: who made a change and on which computer."""
    return f"{account()}@{machine()}"


__all__ = ["account", "current_user", "machine"]
