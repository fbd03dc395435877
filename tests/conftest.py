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


@pytest.fixture(autouse=True)
def _pages_filled_before_refresh_returns(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the desktop's tests a page is filled by the time ``refresh`` (or a page switch) returns, as a
    test reads it on the next line: each load still runs on the loader's thread with its own
    connection (``app.gui.loader.Loader.wait``). Tests of the loader itself turn it off."""
    if request.module.__name__.rsplit(".", 1)[-1].startswith("test_gui"):
        from app.gui.loader import Loader

        monkeypatch.setattr(Loader, "wait_default", True)
