"""Shared test helpers. Tests import the working tree (pytest ``pythonpath = .``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Qt without a display (CI, a terminal over SSH): the GUI tests draw offscreen unless told otherwise
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the desktop application's worker process if a GUI test started it (as the program does
    when it quits), rather than leave it to be killed at interpreter exit."""
    import sys

    worker = sys.modules.get("app.gui.worker")
    if worker is not None:
        worker.stop_worker()
