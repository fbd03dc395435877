"""Shared test helpers. Tests import the working tree (pytest ``pythonpath = .``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Run a module's tests on both back-ends (issue 22): for "postgresql" every ``Workspace.create``
    of a folder (the tests', the CLI's ``init``, the demo's) makes a shared workspace in a fresh
    database of the test server, with that folder as its local folder; the databases are dropped after."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    import pg_server

    from app.workspace import Workspace
    from app.workspace.shared import is_url

    pg_server.require_server()
    made: list[str] = []
    original = Workspace.create.__func__  # type: ignore[attr-defined]

    def create(cls: Any, folder: Any, *, database: str | None = None) -> Any:
        if database is None and not is_url(folder):
            database = pg_server.new_database()
            made.append(database)
        return original(cls, folder, database=database)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Workspace, "create", classmethod(create))
        mp.setenv("DTIDESK_DATA_DIR", str(tmp_path_factory.mktemp("pg-data")))
        yield "postgresql"
    for url in made:
        pg_server.drop_database(url)


@pytest.fixture(autouse=True)
def _sqlite_only(request: pytest.FixtureRequest) -> None:
    """``@pytest.mark.sqlite_only``: a test about the SQLite file itself skips its PostgreSQL variant."""
    if "backend" not in request.fixturenames or request.getfixturevalue("backend") != "postgresql":
        return
    if request.node.get_closest_marker("sqlite_only"):
        pytest.skip("about the SQLite file itself")
    if request.node.get_closest_marker("libreoffice"):  # printing does not depend on the back-end: once is enough
        pytest.skip("LibreOffice rendering runs once, on the SQLite variant")


@pytest.fixture(autouse=True)
def _pages_filled_before_refresh_returns(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the desktop's tests a page is filled by the time ``refresh`` (or a page switch) returns, as a
    test reads it on the next line: each load still runs on the loader's thread with its own
    connection (``app.gui.loader.Loader.wait``). Tests of the loader itself turn it off."""
    if request.module.__name__.rsplit(".", 1)[-1].startswith("test_gui"):
        from app.gui.loader import Loader

        monkeypatch.setattr(Loader, "wait_default", True)
