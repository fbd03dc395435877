"""Outputs are written all at once, and a target open in Excel gets a clear message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.atomic import TargetLocked, write_atomic


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
