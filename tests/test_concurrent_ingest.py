"""Ingest from several clients at once (issue 22, point 2): every file counted exactly once.

Four processes (spawned, as four PCs would be separate programs) ingest overlapping sets of the
same workbooks into one workspace at the same time — each file is given to three of them, some
also under a second name. Afterwards each file is one submission, each unit has one counted
submission, each file one "ingest" audit entry, and the clients' own counts add up: nothing lost,
nothing doubled. Parametrised by back-end (``shared_workspaces.BACKENDS``).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import shutil
import sys
from pathlib import Path

import pytest
from shared_workspaces import BACKENDS, PERIOD, ingest_client, new_locator, open_, write_roster

from app.framework.registry import get_builtin
from app.workspace import add_period, import_roster

ROOT = Path(__file__).resolve().parent.parent
UNITS, CLIENTS = 12, 4


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_ingest import make_files

    return make_files(get_builtin("svhtt-1690"), UNITS, tmp_path_factory.mktemp("files"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_overlapping_ingests_count_each_file_once(backend: str, workbooks: list[Path], tmp_path: Path) -> None:
    from shared_workspaces import create

    locator = new_locator(backend, tmp_path)
    with create(locator) as ws:
        import_roster(ws, write_roster(tmp_path / "roster.csv", UNITS))
        add_period(ws, PERIOD, "svhtt-1690")
    renamed = tmp_path / "renamed"  # the same bytes saved again under another name (a second e-mail)
    renamed.mkdir()
    for path in workbooks[::3]:
        shutil.copyfile(path, renamed / f"gui lai - {path.name}")
    jobs = []
    for k in range(CLIENTS):
        mine = [str(p) for i, p in enumerate(workbooks) if (i + k) % CLIENTS != 0]  # 3 of the 4 clients per file
        mine += [str(p) for p in sorted(renamed.iterdir())][k::2]
        jobs.append((locator, mine[k:] + mine[:k]))  # each starts elsewhere in the list
    with multiprocessing.get_context("spawn").Pool(CLIENTS) as pool:
        counts = pool.starmap(ingest_client, jobs)

    given = sum(len(paths) for _, paths in jobs)
    assert sum(c[0] for c in counts) == UNITS  # added: each distinct file once, by exactly one client
    assert sum(c[1] for c in counts) == given - UNITS and sum(c[2] for c in counts) == 0
    hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in workbooks}
    with open_(locator) as ws:
        rows = ws.conn.execute("SELECT file_sha256, unit_code, status FROM submissions WHERE period = ? "
                               "ORDER BY unit_code", (PERIOD,)).fetchall()  # fmt: skip
        assert sorted(r[0] for r in rows) == sorted(hashes)  # none lost, none twice
        assert [r[1] for r in rows] == [f"DV{i + 1:04d}" for i in range(UNITS)]
        assert {r[2] for r in rows} == {"active"}
        audited = ws.conn.execute("SELECT count(*) FROM audit WHERE action = 'ingest'").fetchone()[0]
        assert audited == UNITS
        assert ws.conn.execute("SELECT count(*) FROM files").fetchone()[0] == UNITS
