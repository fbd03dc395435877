"""Where the shared-use tests (issue 22) make their workspaces: a locator per back-end.

A locator is what a user passes to ``--workspace``: a folder for SQLite, a ``postgresql://`` URL
for a shared server. The tests take ``locator`` from here, so the same test runs on every back-end
this machine offers: SQLite always; PostgreSQL when ``DTIDESK_TEST_POSTGRES`` names a throwaway
server (the PostgreSQL back-end's tests set it; each test then gets a database of its own there).
"""

from __future__ import annotations

import os
from pathlib import Path

from app.workspace import Workspace, add_period, import_roster
from app.workspace.pg import is_url

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RETURNED = FIXTURES / "returned"
ROSTER = FIXTURES / "rosters" / "returned_units.csv"
PERIOD = "2023-Q1"

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("DTIDESK_TEST_POSTGRES") else [])


def new_locator(backend: str, tmp_path: Path, name: str = "ws") -> str:
    """A locator for a workspace that does not exist yet, on ``backend``."""
    if backend == "sqlite":
        return str(tmp_path / name)
    import pg_server

    return pg_server.new_database()  # a database of its own on the test server, empty


def create(locator: str) -> Workspace:
    return Workspace.create(locator if is_url(locator) else Path(locator))


def open_(locator: str) -> Workspace:
    return Workspace.open(locator if is_url(locator) else Path(locator))


def with_period(locator: str) -> str:
    """A new workspace at ``locator`` with the fixtures' roster and period 2023-Q1; returns the locator."""
    with create(locator) as ws:
        import_roster(ws, ROSTER)
        add_period(ws, PERIOD, "svhtt-1690")
    return locator


def write_roster(path: Path, n: int) -> Path:
    """The roster of ``bench_ingest.make_files``'s units DV0001 … (n of them)."""
    path.write_text("Mã đơn vị,Tên đơn vị,Email\n" + "".join(
        f"DV{i + 1:04d},Đơn vị thử nghiệm số {i + 1},vanthu.dv{i + 1:04d}@donvi.example\n" for i in range(n)),
        encoding="utf-8")  # fmt: skip
    return path


def ingest_client(locator: str, paths: list[str]) -> tuple[int, int, int]:
    """One client (a process of its own, as a second PC): open the workspace, ingest ``paths`` one file at a
    time, close. Returns (added, skipped, rejected). Top-level, so ``multiprocessing`` spawn can run it."""
    from datetime import datetime

    from app.workspace import ingest

    added = skipped = rejected = 0
    with open_(locator) as ws:
        for path in paths:
            result = ingest(ws, PERIOD, [Path(path)], received=datetime(2023, 4, 10, 9, 0))
            added += len(result.added)
            skipped += len(result.skipped)
            rejected += len(result.rejected)
    return added, skipped, rejected
