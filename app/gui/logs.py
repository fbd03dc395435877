"""The program's log: a rotating file in the user's data folder (1 MB × 3), never the user's screen.

Tracebacks go here; the user sees a Vietnamese message that names this file. The environment
variable ``DTIDESK_DATA_DIR`` moves it elsewhere (tests, a portable install).
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import QStandardPaths

DATA_ENV = "DTIDESK_DATA_DIR"
LOGGER = "dtidesk"
_handler: RotatingFileHandler | None = None


def data_dir() -> Path:
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def log_file() -> Path:
    return data_dir() / "logs" / "dtidesk.log"


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
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(_handler)
    logger.setLevel(logging.INFO)
    return path


def logger() -> logging.Logger:
    return logging.getLogger(LOGGER)
