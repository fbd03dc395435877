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
