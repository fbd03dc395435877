"""What the program remembers between runs: recent workspaces, the last period, the window.

Stored as an INI file (readable, easy to delete) in the user's configuration folder
(``QStandardPaths.AppConfigLocation``: ``%LOCALAPPDATA%\\SVHTT\\DTI Desk`` on Windows). The
environment variable ``DTIDESK_CONFIG_DIR`` moves it elsewhere (tests, a portable install).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

MAX_RECENT = 8
CONFIG_ENV = "DTIDESK_CONFIG_DIR"


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation))


class Settings:
    """A thin typed layer over one ``QSettings`` INI file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "dtidesk.ini"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._q = QSettings(str(self.path), QSettings.Format.IniFormat)

    def _list(self, key: str) -> list[str]:
        value = self._q.value(key, [])
        if value is None:
            return []
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            return [value] if value else []
        return [str(v) for v in value]  # type: ignore[attr-defined]  # QSettings.value is typed as object

    # recent workspaces, most recent first
    def recent_workspaces(self) -> list[Path]:
        return [Path(p) for p in self._list("workspaces/recent")]

    def add_recent_workspace(self, folder: Path) -> None:
        text = str(folder)
        items = [text] + [p for p in self._list("workspaces/recent") if p != text]
        self._q.setValue("workspaces/recent", items[:MAX_RECENT])
        self._q.sync()

    def remove_recent_workspace(self, folder: Path) -> None:
        items = [p for p in self._list("workspaces/recent") if p != str(folder)]
        self._q.setValue("workspaces/recent", items)
        self._q.sync()

    # the period last looked at, per workspace
    def last_period(self, folder: Path) -> str | None:
        value = self._q.value(f"periods/{_key(folder)}")
        return str(value) if value else None

    def set_last_period(self, folder: Path, period: str) -> None:
        self._q.setValue(f"periods/{_key(folder)}", period)
        self._q.sync()

    # window geometry (opaque bytes from QWidget.saveGeometry)
    def geometry(self) -> bytes | None:
        value = self._q.value("window/geometry")
        return bytes(value) if isinstance(value, bytes | bytearray) and value else None

    def set_geometry(self, data: bytes) -> None:
        self._q.setValue("window/geometry", data)
        self._q.sync()

    # a splitter's position per page (opaque bytes from QSplitter.saveState)
    def splitter_state(self, name: str) -> bytes | None:
        value = self._q.value(f"splitters/{name}")
        return bytes(value) if isinstance(value, bytes | bytearray) and value else None

    def set_splitter_state(self, name: str, data: bytes) -> None:
        self._q.setValue(f"splitters/{name}", data)
        self._q.sync()


def _key(folder: Path) -> str:
    """A QSettings key for a folder: slashes and colons would make groups, so hex-encode."""
    return str(folder).encode("utf-8").hex()
