"""The program's log: a rotating file in the user's data folder (1 MB × 3), never the user's screen.

Tracebacks go here, from the desktop and from the command line alike; the user sees a Vietnamese
message that names this file. The folder is the one Qt calls ``AppDataLocation`` for the
organisation "SVHTT" and the application "DTI Desk" (found here without importing Qt, so the
command line stays light); the environment variable ``DTIDESK_DATA_DIR`` moves it elsewhere
(tests, a portable install).
"""

from __future__ import annotations

import logging
import os
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

DATA_ENV = "DTIDESK_DATA_DIR"
LOGGER = "dtidesk"
ORGANIZATION, APPLICATION = "SVHTT", "DTI Desk"
_handler: RotatingFileHandler | None = None


def data_dir() -> Path:
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / ORGANIZATION / APPLICATION


def log_file() -> Path:
    return data_dir() / "logs" / "dtidesk.log"


#: ``scheme://user:password@`` in any text: the password of a shared workspace's URL (issue 22)
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*):[^@\s]*@", re.IGNORECASE)


def without_passwords(text: str) -> str:
    """``text`` with the password of every URL in it left out (``postgresql://clerk:pw@host`` → ``clerk@host``)."""
    return _URL_PASSWORD.sub(r"\1@", text)


class _NoPasswords(logging.Formatter):
    """The log never holds a password, whatever was logged (a command line, an error, a traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        return without_passwords(super().format(record))


def setup_logging() -> Path:
    """Send the ``dtidesk`` logger to the rotating file (once per process); returns the file's path."""
    global _handler
    path = log_file()
    if _handler is not None and Path(_handler.baseFilename) == path:
        return path
    logger = logging.getLogger(LOGGER)
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    _handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    _handler.setFormatter(_NoPasswords("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(_handler)
    logger.setLevel(logging.INFO)
    return path


def logger() -> logging.Logger:
    return logging.getLogger(LOGGER)
