"""Issue 17, points 6 and 7: sizes are checked before reading, and only regular files are read.

A 600 MB file (sparse: it costs no disk) must be refused from its size alone, without reading it
into memory or copying it into ``received/``. A FIFO (which would block ``open`` forever), a
character device (``/dev/zero`` never ends) and a symbolic link in a dropped folder (which may
point at ``/etc/passwd``) are each refused with "không phải tệp thông thường", nothing of them is
copied, and the batch goes on with the next file.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tracemalloc
from pathlib import Path

import pytest

from app.framework.registry import get_builtin
from app.workbook.intake import expand, receive
from app.workbook.package import Unusable, open_package, read_original
from app.workspace import Workspace, add_period, import_roster, ingest, status

ROOT = Path(__file__).resolve().parent.parent
RETURNED = ROOT / "tests" / "fixtures" / "returned"
ROSTER = ROOT / "tests" / "fixtures" / "rosters" / "returned_units.csv"
GOOD = RETURNED / "good-filled-by-script.xlsx"
PERIOD = "2023-Q1"
FW = get_builtin("svhtt-1690")

posix = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, devices and symlinks as on POSIX")


@pytest.fixture
def ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Workspace.create(tmp_path / "ws") as w:
        import_roster(w, ROSTER)
        add_period(w, PERIOD, "svhtt-1690")
        yield w


def _received(ws: Workspace) -> list[str]:
    return sorted(p.name for p in ws.received.iterdir() if p.is_file())  # the store, not the readable names


def _sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(size)
    return path


class _Blocked(Exception):
    pass


def _bounded(call, seconds: int = 10):  # type: ignore[no-untyped-def]
    """Run ``call`` and fail (instead of hanging the suite) when it does not return in time.

    SIGALRM interrupts a blocking ``open`` of a FIFO: the handler raises, so the test fails.
    """

    def alarm(signum, frame):  # type: ignore[no-untyped-def]
        raise _Blocked("the read blocked")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        return call()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_600_mb_file_is_refused_from_its_size_without_reading_it(tmp_path: Path) -> None:
    big = _sparse(tmp_path / "600MB.xlsx", 600 * 2**20)
    tracemalloc.start()
    try:
        with pytest.raises(Unusable) as caught:
            open_package(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.code == "file-too-large"
    assert "600 MB" in caught.value.message and "600MB.xlsx" in caught.value.message
    assert peak < 2 * 2**20, f"peak {peak} bytes while refusing a 600 MB file"


def test_ingest_never_copies_an_oversized_or_unreadable_file(ws: Workspace, tmp_path: Path) -> None:
    drop = tmp_path / "in"
    drop.mkdir()
    _sparse(drop / "a-600MB.xlsx", 600 * 2**20)
    (drop / "b-not-a-workbook.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    shutil.copy(GOOD, drop / "c-good.xlsx")
    tracemalloc.start()
    try:
        result = ingest(ws, PERIOD, [drop])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [r.file for r in result.rejected] == ["a-600MB.xlsx", "b-not-a-workbook.xlsx"] and result.added == [
        "c-good.xlsx"
    ]
    assert peak < 64 * 2**20, f"peak {peak} bytes"
    assert len(_received(ws)) == 1  # the good workbook only
    assert ws.conn.execute("SELECT count(*) FROM files").fetchone()[0] == 1
    refused = {s.file: s.message for s in status(ws, PERIOD) if s.state == "rejected"}
    assert "quá lớn" in refused["a-600MB.xlsx"]
    again = ingest(ws, PERIOD, [drop])  # refused again without a database error, still not copied
    assert [r.file for r in again.rejected] == ["a-600MB.xlsx", "b-not-a-workbook.xlsx"]  # both said again
    assert all(r.again for r in again.rejected) and len(_received(ws)) == 1


@posix
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(Unusable) as caught:
        _bounded(lambda: read_original(fifo))
    assert caught.value.code == "not-a-regular-file"
    assert "không phải tệp thông thường" in caught.value.message and "FIFO" in caught.value.message


@posix
def test_a_character_device_is_refused_without_reading_it() -> None:
    zero = Path("/dev/zero")
    if not zero.exists():
        pytest.skip("no /dev/zero")
    with pytest.raises(Unusable) as caught:
        _bounded(lambda: open_package(zero))
    assert caught.value.code == "not-a-regular-file" and "thiết bị" in caught.value.message


@posix
def test_links_in_a_folder_are_listed_and_refused_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    shutil.copy(GOOD, outside / "elsewhere.xlsx")
    drop = tmp_path / "in"
    drop.mkdir()
    (drop / "passwd.xlsx").symlink_to(outside / "passwd")
    (drop / "workbook-link.xlsx").symlink_to(outside / "elsewhere.xlsx")
    (drop / "folder-link").symlink_to(outside, target_is_directory=True)
    os.mkfifo(drop / "pipe.xlsx")
    shutil.copy(GOOD, drop / "real.xlsx")
    listed = expand([drop])
    assert [p.name for p in listed] == ["passwd.xlsx", "pipe.xlsx", "real.xlsx", "workbook-link.xlsx"]
    batch = _bounded(lambda: receive([drop], FW, PERIOD))
    assert [s.file for s in batch.submissions] == ["real.xlsx"]  # type: ignore[attr-defined]
    rejected = {r.file: r for r in batch.rejected}  # type: ignore[attr-defined]
    assert sorted(rejected) == ["passwd.xlsx", "pipe.xlsx", "workbook-link.xlsx"]
    assert all(r.code == "not-a-regular-file" for r in rejected.values())
    assert "liên kết tượng trưng" in rejected["passwd.xlsx"].message


@posix
def test_ingest_of_special_files_copies_nothing_and_goes_on(ws: Workspace, tmp_path: Path) -> None:
    drop = tmp_path / "in"
    drop.mkdir()
    (tmp_path / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (drop / "a-passwd.xlsx").symlink_to(tmp_path / "passwd")
    os.mkfifo(drop / "b-pipe.xlsx")
    shutil.copy(GOOD, drop / "c-good.xlsx")
    named = [drop, Path("/dev/zero")] if Path("/dev/zero").exists() else [drop]
    result = _bounded(lambda: ingest(ws, PERIOD, named))
    assert result.added == ["c-good.xlsx"]  # type: ignore[attr-defined]
    assert {r.file for r in result.rejected} >= {"a-passwd.xlsx", "b-pipe.xlsx"}
    assert len(_received(ws)) == 1
    stored = (ws.received / _received(ws)[0]).read_bytes()
    assert b"root:x:0:0" not in stored
    messages = [s.message for s in status(ws, PERIOD) if s.state == "rejected"]
    assert messages and all("không phải tệp thông thường" in m for m in messages)
