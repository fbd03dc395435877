"""A workspace under bad luck: a damaged database, a full disk, a read-only share; backups and restore.

Each fault must end in a Vietnamese message naming the file or folder, with nothing lost and
nothing believed that should not be. The full-disk and read-only cases use a real tmpfs where the
machine lets us mount one (root on Linux, as in CI), so SQLite meets the real errors.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.workspace import Workspace
from app.workspace.backup import AUTO_INTERVAL, auto_backup, backup, check_workspace, list_backups, restore
from app.workspace.store import MARKER, WorkspaceDamaged, WorkspaceError, WorkspaceFull, WorkspaceReadOnly

FIXTURES = Path(__file__).parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the returned-file fixtures ingested (made once, copied by each test)."""
    ws = tmp_path_factory.mktemp("filled") / "ws"
    assert main(["init", str(ws)]) == 0
    assert main(["units", "import", str(FIXTURES / "rosters" / "returned_units.csv"), "--workspace", str(ws)]) == 0
    assert main(["period", "add", "2023-Q1", "--framework", "svhtt-1690", "--workspace", str(ws)]) == 0
    main(["ingest", str(FIXTURES / "returned"), "--period", "2023-Q1", "--workspace", str(ws)])
    return ws


@pytest.fixture
def ws_copy(filled: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(filled, target)
    return target


def _rank_json(capsys: pytest.CaptureFixture[str], ws: Path) -> str:
    code, out, err = run(capsys, "rank", "--period", "2023-Q1", "--workspace", str(ws), "--json")
    assert code == 0, err
    return out


# --- a damaged database ----------------------------------------------------------------------------


def test_an_empty_database_file_is_refused_never_rebuilt(ws_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (ws_copy / MARKER).write_bytes(b"")
    for command in (["status", "--period", "2023-Q1"], ["rank", "--period", "2023-Q1"], ["audit"],
                    ["ingest", str(FIXTURES / "returned"), "--period", "2023-Q1"]):  # fmt: skip
        code, _, err = run(capsys, *command, "--workspace", str(ws_copy))
        assert code != 0 and "bị hỏng" in err and "0 byte" in err and str(ws_copy / MARKER) in err
        assert "Traceback" not in err
    assert (ws_copy / MARKER).stat().st_size == 0  # nothing was written into it


def test_a_junk_page_is_caught_when_the_workspace_opens(ws_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ws_copy / MARKER
    with open(db, "r+b") as fh:
        fh.seek(3 * 4096)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(4096)))
    with pytest.raises(WorkspaceDamaged, match="bị hỏng"):
        Workspace.open(ws_copy)
    before = db.read_bytes()
    for command in (["rank", "--period", "2023-Q1"], ["appraise", "DV02", "1.1", "--score", "0", "--reason", "x",
                                                       "--period", "2023-Q1"]):  # fmt: skip
        code, out, err = run(capsys, *command, "--workspace", str(ws_copy))
        assert code != 0 and "bị hỏng" in err and "dtidesk restore" not in out
    assert db.read_bytes() == before


def test_text_that_is_no_longer_text_is_damage_not_a_crash(ws_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(ws_copy / MARKER) as conn:  # what a flipped byte inside a stored value looks like
        conn.execute("UPDATE units SET name = CAST(X'4E68C3A0FF80' AS TEXT) WHERE code = 'DV02'")
    code, _, err = run(capsys, "rank", "--period", "2023-Q1", "--workspace", str(ws_copy))
    assert code != 0 and "bị hỏng" in err and "Traceback" not in err


def test_a_foreign_sqlite_file_is_not_taken_for_a_workspace(tmp_path: Path) -> None:
    (tmp_path / "w").mkdir()
    with sqlite3.connect(tmp_path / "w" / MARKER) as conn:
        conn.execute("CREATE TABLE something_else (x)")
    with pytest.raises(WorkspaceDamaged, match="thiếu các bảng"):
        Workspace.open(tmp_path / "w")


# --- backups, the full check, restore ----------------------------------------------------------------


def test_backup_and_restore_into_a_new_folder_keep_everything(ws_copy: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    before = _rank_json(capsys, ws_copy)
    code, out, _ = run(capsys, "backup", "--workspace", str(ws_copy), "--json")
    assert code == 0
    made = Path(json.loads(out)["file"])
    assert made.parent == ws_copy / "backups" and made.is_file()
    code, out, _ = run(capsys, "restore", str(made), str(tmp_path / "restored"), "--json")
    assert code == 0
    done = json.loads(out)
    assert done["originals_copied"] == len(list((ws_copy / "received").glob("*.*"))) and not done["originals_missing"]
    assert _rank_json(capsys, tmp_path / "restored") == before
    code, out, _ = run(capsys, "check-workspace", "--workspace", str(tmp_path / "restored"))
    assert code == 0 and "nguyên vẹn" in out
    # never over something that exists
    code, _, err = run(capsys, "restore", str(made), str(ws_copy))
    assert code != 0 and "đã có dữ liệu" in err


def test_a_damaged_workspace_names_its_newest_backup(ws_copy: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    with Workspace.open(ws_copy) as ws:
        made = backup(ws)
    (ws_copy / MARKER).write_bytes(b"\0" * 8192)
    code, _, err = run(capsys, "status", "--period", "2023-Q1", "--workspace", str(ws_copy))
    assert code != 0 and str(made) in err and "dtidesk restore" in err
    restore(made, tmp_path / "back")
    with Workspace.open(tmp_path / "back") as ws:
        assert ws.conn.execute("SELECT count(*) FROM submissions").fetchone()[0] > 0


def test_automatic_backups_before_ingest_appraisal_and_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(tmp_path / "ws")
    run(capsys, "init", ws)
    run(capsys, "units", "import", str(FIXTURES / "rosters" / "returned_units.csv"), "--workspace", ws)
    run(capsys, "period", "add", "2023-Q1", "--framework", "svhtt-1690", "--workspace", ws)
    run(capsys, "ingest", str(FIXTURES / "returned"), "--period", "2023-Q1", "--workspace", ws)
    run(capsys, "appraise", "DV02", "1.1", "--score", "0", "--reason", "Thiếu quyết định", "--period", "2023-Q1",
        "--workspace", ws)  # fmt: skip
    run(capsys, "report", "--period", "2023-Q1", "--workspace", ws)
    reasons = [b.reason for b in list_backups(Path(ws))]
    assert reasons == ["truoc-tiep-nhan", "truoc-tham-dinh", "truoc-bao-cao"]
    # the pre-appraisal backup holds the data before the appraisal
    with sqlite3.connect(list_backups(Path(ws))[1].path) as conn:
        assert conn.execute("SELECT count(*) FROM appraisals").fetchone()[0] == 0


def test_automatic_backups_are_not_repeated_for_unchanged_data_and_are_pruned(ws_copy: Path) -> None:
    with Workspace.open(ws_copy) as ws:
        first = auto_backup(ws, "a")
        assert first is not None and auto_backup(ws, "b") is None  # nothing changed since
        with ws.transaction():
            ws.audit("test", {})
        assert auto_backup(ws, "c") is not None
        from datetime import datetime

        later = datetime.now() + AUTO_INTERVAL * 2
        for i in range(25):
            backup(ws, "x", keep=20, now=later.replace(second=i % 60))
        assert len(list_backups(ws_copy)) == 20


def test_check_workspace_finds_a_changed_and_a_missing_original(
    ws_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    originals = sorted((ws_copy / "received").glob("*.xlsx"))
    os.chmod(originals[0], 0o644)
    originals[0].write_bytes(originals[0].read_bytes() + b"x")
    originals[1].unlink()
    problems = check_workspace(ws_copy)
    assert {Path(p.where) for p in problems} == {originals[0], originals[1]}
    code, _, err = run(capsys, "check-workspace", "--workspace", str(ws_copy))
    assert code == 1 and "đã bị thay đổi" in err and "Thiếu bản gốc" in err


# --- a full disk, a read-only share (real file systems) ----------------------------------------------


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A small real file system of our own (tmpfs, 24 MB), unmounted afterwards; skipped where we may not mount."""
    target = tmp_path / "disk"
    target.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(target)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("this machine does not let us mount a tmpfs")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


def _fill(disk: Path) -> Path:
    """Fill the file system to the last byte; returns the filler, whose removal frees the space."""
    filler = disk / "filler.bin"
    with open(filler, "wb", buffering=0) as fh:
        for block in (1 << 20, 65536, 512, 1):
            try:
                while True:
                    fh.write(b"\0" * block)
            except OSError:
                pass
    return filler


def test_a_full_disk_is_named_leaves_nothing_behind_and_passes(filled: Path, tmpfs: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    ws = tmpfs / "ws"
    shutil.copytree(filled, ws)
    run(capsys, "period", "add", "2023-Q2", "--framework", "svhtt-1690", "--workspace", str(ws))
    before = _rank_json(capsys, ws)
    filler = _fill(tmpfs)
    code, _, err = run(capsys, "ingest", str(FIXTURES / "returned"), "--period", "2023-Q2", "--workspace", str(ws))
    assert code != 0 and "đầy" in err and str(ws) in err and "Traceback" not in err
    assert "cannot rollback" not in err
    assert not list((ws / "received").glob(".*.tmp"))  # no partial copy left
    # reading still works on the full disk, and says nothing of rollbacks
    assert _rank_json(capsys, ws) == before
    code, _, err = run(capsys, "status", "--period", "2023-Q2", "--workspace", str(ws))
    assert "cannot rollback" not in err and "Traceback" not in err
    # as soon as there is space again, the same command works and nothing was counted twice
    filler.unlink()
    code, out, err = run(capsys, "ingest", str(FIXTURES / "returned"), "--period", "2023-Q2", "--workspace", str(ws),
                         "--json")  # fmt: skip
    assert "Traceback" not in err
    report = json.loads(out)
    assert len(report["added"]) + len(report["rejected"]) == len(list((FIXTURES / "returned").glob("*.*")))
    assert report["skipped"] == []
    with Workspace.open(ws) as w:
        assert w.integrity() == "ok"


def test_the_database_full_mid_transaction_is_said_and_undone(ws_copy: Path) -> None:
    """SQLite's own "database or disk is full", mid-write, without a real disk: a page limit."""
    with Workspace.open(ws_copy) as ws:
        pages = ws.conn.execute("PRAGMA page_count").fetchone()[0]
        ws.conn.execute(f"PRAGMA max_page_count = {pages}")
        count = ws.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        with pytest.raises(WorkspaceFull, match="đầy"), ws.transaction():
            for i in range(2000):
                ws.audit("test", {"i": i, "padding": "x" * 200})
        assert not ws.conn.in_transaction
        assert ws.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == count


def test_a_read_only_share_opens_for_reading(filled: Path, tmpfs: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    ws = tmpfs / "ws"
    shutil.copytree(filled, ws)
    before = _rank_json(capsys, ws)
    with Workspace.open(ws):
        pass  # a checkpoint on close, as a clerk's PC would leave it
    done = subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot remount read-only here")
    assert _rank_json(capsys, ws) == before
    code, _, err = run(capsys, "report", "--period", "2023-Q1", "--workspace", str(ws), "--out",
                         str(tmp_path / "bao-cao.xlsx"))  # fmt: skip
    assert code == 0 and (tmp_path / "bao-cao.xlsx").is_file(), err
    code, _, err = run(capsys, "period", "add", "2023-Q2", "--framework", "svhtt-1690", "--workspace", str(ws))
    assert code != 0 and "chỉ mở được để xem" in err and str(ws) in err and "Traceback" not in err
    code, _, err = run(capsys, "appraise", "DV02", "1.1", "--score", "0", "--reason", "x", "--period", "2023-Q1",
                       "--workspace", str(ws))  # fmt: skip
    assert code != 0 and "chỉ mở được để xem" in err


def test_read_only_is_a_refusal_of_writes_not_of_reads(ws_copy: Path) -> None:
    with Workspace.open(ws_copy, read_only=True) as ws:
        assert ws.conn.execute("SELECT count(*) FROM units").fetchone()[0] > 0
        with pytest.raises(WorkspaceReadOnly, match=str(ws_copy)), ws.transaction():
            pass
        with pytest.raises(WorkspaceError):
            backup(ws)


# --- two people at once --------------------------------------------------------------------------------


def test_two_ingests_of_the_same_folder_at_once_count_each_file_once(tmp_path: Path) -> None:
    """Two clerks (or the desktop and the command line) drop the same folder at the same moment."""
    import sys

    root = Path(__file__).resolve().parent.parent
    files = sorted(p for p in (FIXTURES / "returned").iterdir() if p.is_file())
    for round_ in range(3):
        ws = tmp_path / f"ws{round_}"
        assert main(["init", str(ws)]) == 0
        assert main(["units", "import", str(FIXTURES / "rosters" / "returned_units.csv"), "--workspace", str(ws)]) == 0
        assert main(["period", "add", "2023-Q1", "--framework", "svhtt-1690", "--workspace", str(ws)]) == 0
        command = [sys.executable, "-m", "app.cli", "ingest", str(FIXTURES / "returned"), "--period", "2023-Q1",
                   "--workspace", str(ws), "--json"]  # fmt: skip
        procs = [subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]  # fmt: skip
        answers = [p.communicate(timeout=120) for p in procs]
        for proc, (_, err) in zip(procs, answers, strict=True):
            assert proc.returncode == 0 and "Traceback" not in err, err
        reports = [json.loads(out) for out, _ in answers]
        added = [name for r in reports for name in r["added"]]
        assert sorted(added) == sorted({*added}) and len(added) == len(files)
        with Workspace.open(ws) as w:
            rows = w.conn.execute("SELECT count(*), count(DISTINCT file_sha256) FROM submissions").fetchone()
            assert rows[0] == rows[1] == len(files)


# --- a changed byte that SQLite cannot see -------------------------------------------------------------


def test_a_changed_figure_is_refused_not_ranked(ws_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A byte changed inside a stored value still reads as a value: the seal, not SQLite, must catch it."""
    with sqlite3.connect(ws_copy / MARKER) as conn:
        sid, indicator, name, value = conn.execute(
            "SELECT v.submission_id, v.indicator, v.input, v.value_json FROM submission_values v JOIN submissions s "
            "ON s.id = v.submission_id WHERE s.status = 'active' AND v.value_json GLOB '[0-9]*' LIMIT 1"
        ).fetchone()
        conn.execute("UPDATE submission_values SET value_json = ? WHERE submission_id = ? AND indicator = ? "
                     "AND input = ?", (str(int(value) + 7), sid, indicator, name))  # fmt: skip
    code, out, err = run(capsys, "rank", "--period", "2023-Q1", "--workspace", str(ws_copy))
    assert code != 0 and "bị hỏng" in err and "không còn khớp dấu kiểm" in err and not out


def test_a_changed_appraisal_is_refused(ws_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "appraise", "DV02", "1.1", "--score", "0", "--reason", "Thiếu quyết định",
                     "--period", "2023-Q1", "--workspace", str(ws_copy))  # fmt: skip
    assert code == 0
    _rank_json(capsys, ws_copy)
    with sqlite3.connect(ws_copy / MARKER) as conn:
        conn.execute('UPDATE appraisals SET new_json = \'{"decimal": "9"}\'')
    code, _, err = run(capsys, "rank", "--period", "2023-Q1", "--workspace", str(ws_copy))
    assert code != 0 and "lần thẩm định" in err


def test_upgrading_seals_what_is_already_stored(ws_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _rank_json(capsys, ws_copy)
    with sqlite3.connect(ws_copy / MARKER) as conn:  # as a version-3 database left it: no seals
        conn.execute("ALTER TABLE submissions DROP COLUMN seal")
        conn.execute("ALTER TABLE appraisals DROP COLUMN seal")
        conn.execute("ALTER TABLE appraisals DROP COLUMN round")  # and without the later steps (rounds: v8)
        # the last two tables and the two columns below: schema steps 9 and 10 (issues 22, 21)
        for table in ("explanation_decisions", "explanations", "held_rejected", "held_submissions", "period_roster",
                      "period_framework_files", "appraisal_withdrawals", "period_rounds",
                      "submission_withdrawals", "appraisal_versions"):  # fmt: skip
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE units DROP COLUMN left_on")
        conn.execute("ALTER TABLE units DROP COLUMN merged_into")
        conn.execute("PRAGMA user_version = 3")
    assert _rank_json(capsys, ws_copy) == before
    with sqlite3.connect(ws_copy / MARKER) as conn:
        assert conn.execute("SELECT count(*) FROM submissions WHERE seal IS NULL").fetchone()[0] == 0
