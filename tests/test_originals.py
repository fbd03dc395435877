"""Received originals a person can find (issue 16, point 10).

The hash store stays the truth; every received file also appears as
``received/<period>/<unit code> - <unit name>/<date> <original name>`` (a hard link, else a copy),
failing to make that name never fails the ingest, and ``original_path`` gives a submission's file.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.workbook.filenames import WINDOWS_RESERVED, readable_component
from app.workspace import Workspace, WorkspaceError, add_period, import_roster, ingest
from app.workspace import originals as originals_module
from app.workspace.originals import original_path, readable_file_name, unit_folder_name

pytestmark = pytest.mark.usefixtures("backend")  # on SQLite and on PostgreSQL (issue 22)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GOOD = FIXTURES / "returned" / "good-filled-by-script.xlsx"
PDF = FIXTURES / "unusable" / "not-a-workbook-pdf-renamed.xlsx"
ROSTER = FIXTURES / "rosters" / "returned_units.csv"
PERIOD = "2023-Q1"
WHEN = datetime(2023, 4, 10, 9, 0)


@pytest.fixture
def ws(tmp_path: Path) -> Any:
    w = Workspace.create(tmp_path / "ws")
    import_roster(w, ROSTER)
    add_period(w, PERIOD, "svhtt-1690")
    yield w
    w.close()


def _submission(ws: Workspace, name: str) -> Any:
    return ws.conn.execute("SELECT s.id, s.unit_code, f.stored_path, u.name FROM submissions s JOIN files f "
                           "ON f.sha256 = s.file_sha256 JOIN units u ON u.code = s.unit_code WHERE s.file_name = ?",
                           (name,)).fetchone()  # fmt: skip


def test_ingest_gives_each_original_a_readable_name_by_unit(ws: Workspace) -> None:
    result = ingest(ws, PERIOD, [GOOD], received=WHEN)
    assert result.added == [GOOD.name]
    row = _submission(ws, GOOD.name)
    folder = ws.received / PERIOD / f"{row['unit_code']} - {row['name']}"
    readable = folder / f"2023-04-10 {GOOD.stem}.xlsx"
    assert sorted(p.name for p in folder.iterdir()) == [readable.name]
    stored = ws.folder / row["stored_path"]
    assert readable.read_bytes() == stored.read_bytes() == GOOD.read_bytes()
    assert os.path.samefile(readable, stored)  # a hard link, not a second copy
    assert not os.access(readable, os.W_OK) or os.geteuid() == 0  # read-only like the original
    assert original_path(ws, row["id"]) == readable


def test_a_rejected_file_is_not_kept(ws: Workspace) -> None:
    """Nothing is copied before it is accepted as a workbook: the unit's own copy is the one to find."""
    result = ingest(ws, PERIOD, [PDF], received=WHEN)
    assert [r.file for r in result.rejected] == [PDF.name]
    assert not (ws.received / PERIOD).exists() and not [p for p in ws.received.iterdir() if p.is_file()]


def test_same_name_same_day_different_content_gets_a_number(ws: Workspace, tmp_path: Path) -> None:
    first = tmp_path / "a" / "bao-cao.xlsx"
    second = tmp_path / "b" / "bao-cao.xlsx"
    first.parent.mkdir()
    second.parent.mkdir()
    shutil.copyfile(FIXTURES / "returned" / "duplicate-submission-DV11-first.xlsx", first)  # one unit, two files
    shutil.copyfile(FIXTURES / "returned" / "duplicate-submission-DV11-second.xlsx", second)
    ingest(ws, PERIOD, [first], received=WHEN)
    ingest(ws, PERIOD, [second], received=WHEN)
    ids = [r["id"] for r in ws.conn.execute("SELECT id FROM submissions ORDER BY id")]
    paths = [original_path(ws, i) for i in ids]
    assert paths[0].parent == paths[1].parent and paths[0].parent.name.startswith("DV11 - ")
    assert paths[0].name == "2023-04-10 bao-cao.xlsx"
    assert paths[1].name == "2023-04-10 bao-cao (2).xlsx"
    assert paths[0].read_bytes() == first.read_bytes() and paths[1].read_bytes() == second.read_bytes()


def test_copy_when_hard_links_fail(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(*_a: Any, **_k: Any) -> None:
        raise OSError("hard links not supported")

    monkeypatch.setattr(originals_module.os, "link", no_links)
    ingest(ws, PERIOD, [GOOD], received=WHEN)
    path = original_path(ws, _submission(ws, GOOD.name)["id"])
    assert path.parent.parent.name == PERIOD
    assert path.read_bytes() == GOOD.read_bytes()
    assert not os.path.samefile(path, ws.folder / _submission(ws, GOOD.name)["stored_path"])


def test_a_failure_making_the_name_never_fails_the_ingest(ws: Workspace, monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    def broken(*_a: Any, **_k: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(originals_module.os, "link", broken)
    monkeypatch.setattr(originals_module.shutil, "copyfile", broken)
    result = ingest(ws, PERIOD, [GOOD], received=WHEN)
    assert result.added == [GOOD.name]
    assert "Không tạo được tên dễ tìm" in caplog.text
    row = _submission(ws, GOOD.name)
    assert original_path(ws, row["id"]) == ws.folder / row["stored_path"]  # the hash store answers


@pytest.mark.sqlite_only  # a shared workspace fetches a lost local copy back from the database
def test_original_path_makes_a_missing_name_and_names_a_lost_file(ws: Workspace) -> None:
    ingest(ws, PERIOD, [GOOD], received=WHEN)
    row = _submission(ws, GOOD.name)
    shutil.rmtree(ws.received / PERIOD)  # a workspace from before readable names
    assert original_path(ws, row["id"]).parent.parent.name == PERIOD
    stored = ws.folder / row["stored_path"]
    shutil.rmtree(ws.received / PERIOD)
    os.chmod(stored, 0o600)
    stored.unlink()
    with pytest.raises(WorkspaceError, match=GOOD.name):
        original_path(ws, row["id"])
    with pytest.raises(WorkspaceError, match="999"):
        original_path(ws, 999)


@pytest.mark.parametrize(("text", "expected"), [
    ('DV05 - Thư viện: "Đà Lạt"/CN?', "DV05 - Thư viện Đà Lạt CN"),
    ("Bảo tàng…  . . ", "Bảo tàng…"),
    ("con", "_con"),
    ("LPT1.txt", "_LPT1.txt"),
    ("", "Không rõ"),
    ("a\x00b\tc", "a b c"),
])  # fmt: skip
def test_readable_component_is_safe_on_windows(text: str, expected: str) -> None:
    assert readable_component(text) == expected


def test_readable_names_cut_at_a_word_and_keep_the_extension() -> None:
    name = readable_file_name(WHEN, "Báo cáo chuyển đổi số của Trung tâm Huấn luyện và Thi đấu Thể dục Thể thao "
                                    "Thành phố Hồ Chí Minh quý I năm 2023 bản cuối cùng.XLSX")  # fmt: skip
    assert name.endswith(".xlsx") and len(name) <= originals_module.FILE_LEN
    stem = name.removesuffix(".xlsx")
    assert stem.startswith("2023-04-10 Báo cáo")
    assert (stem + " ") in (
        "2023-04-10 Báo cáo chuyển đổi số của Trung tâm Huấn luyện và Thi đấu Thể dục Thể thao "
        "Thành phố Hồ Chí Minh quý I năm 2023 bản cuối cùng "
    )  # ends at a whole word
    folder = unit_folder_name("DV05", "Trung tâm Huấn luyện và Thi đấu Thể dục Thể thao Thành phố Hồ Chí Minh")
    assert folder == "DV05 - Trung tâm Huấn luyện và Thi đấu Thể dục Thể thao"  # 55; "Thành" would pass 60
    assert unit_folder_name(None, None) == originals_module.NO_UNIT
    assert all(readable_component(n) != n for n in WINDOWS_RESERVED)
