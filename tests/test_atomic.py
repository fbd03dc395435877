"""Outputs are written all at once, and a target open in Excel gets a clear message."""

from __future__ import annotations

import errno
import os
import pickle
import stat
import tempfile
from pathlib import Path

import pytest

from app.atomic import OutputError, TargetLocked, current_umask, write_atomic
from app.errors import UserError


def test_writes_bytes_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = write_atomic(tmp_path / "sub" / "a.xlsx", b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.xlsx"]


def test_a_failing_writer_keeps_the_old_file_and_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")

    def half_then_crash(path: Path) -> None:
        path.write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, half_then_crash)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]


@pytest.mark.parametrize("lock", ["~$bao-cao-2023-Q1.xlsx", "~$o-cao-2023-Q1.xlsx", ".~lock.bao-cao-2023-Q1.xlsx#"])
def test_a_target_open_in_excel_or_libreoffice_is_refused_in_vietnamese(tmp_path: Path, lock: str) -> None:
    target = tmp_path / "bao-cao-2023-Q1.xlsx"
    target.write_bytes(b"old")
    (tmp_path / lock).write_bytes(b"owner")
    with pytest.raises(TargetLocked, match=r"đang được mở.*Hãy đóng tệp"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"


def test_a_rename_refused_by_windows_becomes_target_locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(TargetLocked) as info:
        write_atomic(tmp_path / "a.xlsx", b"new")
    assert "a.xlsx" in str(info.value)
    assert list(tmp_path.iterdir()) == []


# --- every failure to write is a UserError naming the path; nothing partial stays behind ---------------


def test_a_target_that_is_a_folder_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "bao-cao.xlsx"
    folder.mkdir()
    with pytest.raises(OutputError) as info:
        write_atomic(folder, b"new")
    assert isinstance(info.value, UserError) and info.value.path == folder
    assert str(folder) in str(info.value) and "là một thư mục" in str(info.value) and "tên tệp" in info.value.hint
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.xlsx"]


def test_a_path_under_a_regular_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "somefile").write_bytes(b"x")
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / "somefile" / "x.xlsx", b"new")
    assert "somefile" in str(info.value) and "không phải thư mục" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["somefile"]


def test_a_folder_without_write_permission_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # tests run as root, where chmod 0555 does not stop writing: the refusal is simulated where the
    # temporary file is created, as a read-only share or synced folder refuses it
    def refuse(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / "a.xlsx", b"new")
    text = str(info.value)
    assert "a.xlsx" in text and "không có quyền ghi" in text and "chọn thư mục khác" in info.value.hint
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_full_disk_is_named_and_the_partial_file_removed(tmp_path: Path, wrapped: bool) -> None:
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")

    class FileCreateError(Exception):  # XlsxWriter wraps the OSError of its close() like this
        pass

    def fill_the_disk(path: Path) -> None:
        path.write_bytes(b"half")
        full = OSError(errno.ENOSPC, "No space left on device", str(path))
        raise FileCreateError(full) if wrapped else full

    with pytest.raises(OutputError) as info:
        write_atomic(target, fill_the_disk)
    assert "a.xlsx" in str(info.value) and "đã đầy" in str(info.value) and "ổ đĩa khác" in info.value.hint
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]


def test_the_user_errors_cross_the_worker_pipe_unchanged(tmp_path: Path) -> None:
    from app.worker_process import _portable

    errors = [TargetLocked(tmp_path / "a.xlsx"), OutputError("Không ghi được", path=tmp_path, hint="Hãy …")]
    for exc in errors:
        copy = pickle.loads(pickle.dumps(exc))
        assert (type(copy), str(copy), copy.path, copy.hint) == (type(exc), str(exc), exc.path, exc.hint)
        assert _portable(exc) is exc


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_outputs_get_ordinary_permissions_not_0600(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        written = [
            write_atomic(tmp_path / "a.csv", b"x"),
            write_atomic(tmp_path / "b.xlsx", lambda p: p.write_bytes(b"y")),
        ]
        assert current_umask() == umask  # reading the umask leaves it as it was
    finally:
        os.umask(old)
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
