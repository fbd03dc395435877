"""The PostgreSQL test server (issue 22): a fresh database per workspace a test makes.

``.ci/start-postgres.sh`` starts a throwaway cluster and prints its URL; ``.ci/run`` exports it as
``DTIDESK_TEST_POSTGRES`` and sets ``DTIDESK_REQUIRE_POSTGRES=1`` so that a missing server fails the
run instead of silently skipping the PostgreSQL variants.
"""

from __future__ import annotations

import itertools
import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

URL = os.environ.get("DTIDESK_TEST_POSTGRES", "").strip()
REQUIRED = os.environ.get("DTIDESK_REQUIRE_POSTGRES") == "1"
_counter = itertools.count()


def require_server() -> str:
    """The server's URL, or skip (fail under ``DTIDESK_REQUIRE_POSTGRES=1``)."""
    if not URL:
        if REQUIRED:
            pytest.fail("DTIDESK_REQUIRE_POSTGRES=1 but DTIDESK_TEST_POSTGRES is not set (.ci/start-postgres.sh)")
        pytest.skip("no PostgreSQL test server: set DTIDESK_TEST_POSTGRES (see .ci/start-postgres.sh)")
    return URL


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def admin() -> object:
    import psycopg

    return psycopg.connect(_with_database(require_server(), "postgres"), autocommit=True)


def new_database() -> str:
    """A new, empty database on the test server; its URL."""
    name = f"dtidesk_t{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    with admin() as conn:  # type: ignore[attr-defined]
        conn.execute(f'CREATE DATABASE "{name}"')
    return _with_database(require_server(), name)


def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with admin() as conn:  # type: ignore[attr-defined]
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _integrity_errors() -> tuple[type[Exception], ...]:
    import sqlite3

    try:
        import psycopg
    except ImportError:
        return (sqlite3.IntegrityError,)
    return (sqlite3.IntegrityError, psycopg.errors.IntegrityError)


#: what the database itself raises for a row its constraints refuse, on either back-end
INTEGRITY_ERRORS = _integrity_errors()
