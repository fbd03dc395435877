"""The query layer measured (issue 22, DESIGN §13): what the seam costs, and one quarter on each back-end.

    python benchmarks/bench_backends.py postgresql://USER@HOST/DB   (an account that may CREATE DATABASE;
                                                                    default: $DTIDESK_TEST_POSTGRES)

Prints:

- µs per query of ``SELECT … WHERE code = ?`` through ``PgConnection`` (placeholder translation, rows
  by name) against the same query on a bare psycopg cursor, and through SQLite's connection;
- seconds for the returned-workbook fixtures (16 files) ingested into a SQLite and a PostgreSQL
  workspace, and for ``rank`` + ``status`` on each.

The throughput goal of issue 22 (5,000 workbooks by 4 clients ≤ 1.5× one SQLite client) is measured by
its own benchmark; this one says whether the seam itself matters (it should be noise beside the
server round trip).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.workspace import Workspace, add_period, import_roster, ingest, rank, status  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
QUERIES = 5_000


def _database(url: str, name: str) -> str:
    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, "/" + name, p.query, ""))


def per_query(run: object) -> float:
    started = time.perf_counter()
    for i in range(QUERIES):
        run(f"DV{i % 16 + 1:02d}")  # type: ignore[operator]
    return (time.perf_counter() - started) / QUERIES * 1e6


def quarter(ws: Workspace) -> tuple[float, float]:
    import_roster(ws, FIXTURES / "rosters" / "returned_units.csv")
    add_period(ws, "2023-Q1", "svhtt-1690")
    started = time.perf_counter()
    ingest(ws, "2023-Q1", [FIXTURES / "returned"])
    ingested = time.perf_counter() - started
    started = time.perf_counter()
    rank(ws, "2023-Q1")
    status(ws, "2023-Q1")
    return ingested, time.perf_counter() - started


def main() -> None:
    import psycopg

    admin_url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DTIDESK_TEST_POSTGRES", "")
    if not admin_url:
        sys.exit("usage: bench_backends.py postgresql://USER@HOST/DB (or set DTIDESK_TEST_POSTGRES)")
    name = f"dtidesk_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_database(admin_url, "postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = _database(admin_url, name)
    os.environ.setdefault("DTIDESK_DATA_DIR", tempfile.mkdtemp(prefix="dtidesk-bench-"))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sq = Workspace.create(Path(tmp) / "sqlite")
            pg = Workspace.create(Path(tmp) / "pg", database=url)
            sq_ingest, sq_read = quarter(sq)
            pg_ingest, pg_read = quarter(pg)
            sql = "SELECT code, name FROM units WHERE code = ?"
            seam = per_query(lambda c: pg.conn.execute(sql, (c,)).fetchone()["name"])
            raw = psycopg.connect(url, autocommit=True)
            bare = per_query(lambda c: raw.execute(sql.replace("?", "%s"), (c,)).fetchone()[1])
            lite = per_query(lambda c: sq.conn.execute(sql, (c,)).fetchone()["name"])
            raw.close()
            sq.close()
            pg.close()
        print(f"query through the seam (PgConnection): {seam:7.1f} µs")
        print(f"same query, bare psycopg cursor:       {bare:7.1f} µs  (seam overhead {seam - bare:+.1f} µs, "
              f"{(seam / bare - 1) * 100:+.0f} %)")  # fmt: skip
        print(f"same query, SQLite connection:         {lite:7.1f} µs")
        print(f"ingest of the 16 returned workbooks:   SQLite {sq_ingest:.2f} s, PostgreSQL {pg_ingest:.2f} s "
              f"({pg_ingest / sq_ingest:.2f}×)")  # fmt: skip
        print(f"rank + status:                         SQLite {sq_read:.2f} s, PostgreSQL {pg_read:.2f} s")
    finally:
        with psycopg.connect(_database(admin_url, "postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
