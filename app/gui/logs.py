"""The desktop's log is the program's one log (``app.logs``): a rotating file in the user's data
folder, never the user's screen."""

from __future__ import annotations

from app.logs import DATA_ENV, LOGGER, data_dir, log_file, logger, setup_logging

__all__ = ["DATA_ENV", "LOGGER", "data_dir", "log_file", "logger", "setup_logging"]
