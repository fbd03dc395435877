"""The one user-error type: something the user can put right, said in Vietnamese.

Every failure a person can act on (a file open in Excel, a folder without write permission, a
full disk, an unknown period, a roster with errors) is a ``UserError``: ``str()`` is the message
(names the file or folder), ``path`` the file or folder concerned (or ``None``) and ``hint`` what
to do. The command line prints it and exits with ``exit_code`` (1; 2 for a wrong request:
``UsageError`` and the workspace's ``WorkspaceError``); the desktop shows it in its one error
dialog (``app.gui.errors``). Anything else that escapes is a defect of the program: logged with
its traceback and shown as an internal error (exit 70), never as "wrong usage".

Subclasses keep plain pickling (the message in ``args``, ``path`` and ``hint`` in the instance
dictionary) or define ``__reduce__``, so they cross the worker process's pipe unchanged.
"""

from __future__ import annotations

from pathlib import Path

#: the exit code of an internal error (BSD's EX_SOFTWARE), distinct from 1 (input errors) and 2 (usage)
EXIT_INTERNAL = 70


class UserError(Exception):
    """A failure the user can put right; ``str()`` is the Vietnamese message."""

    exit_code = 1
    path: Path | str | None = None
    hint = ""

    def __init__(self, message: str, *, path: Path | str | None = None, hint: str = "") -> None:
        super().__init__(message)
        if path is not None:
            self.path = path
        if hint:
            self.hint = hint


class UsageError(UserError, ValueError):
    """What the user typed cannot be used (a date, a period, a number, a missing value): exit 2.

    Also a ``ValueError``, so callers that catch the parsers' ``ValueError`` keep working.
    """

    exit_code = 2


def render(exc: UserError) -> str:
    """The text the command line prints: the message, then what to do (when there is a hint)."""
    text = str(exc)
    return f"{text}\n{exc.hint}" if exc.hint and exc.hint not in text else text
