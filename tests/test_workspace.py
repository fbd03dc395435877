"""The workspace (DESIGN §2, §8, issue 6): a folder with a SQLite database that remembers the cycle.

What the office relies on, each shown here: the folder is recognised (and refused clearly when it
is not one); older databases are upgraded all-or-nothing; the roster and periods import once;
ingesting returned files stores exactly what the reader understood, keeps every original
unchanged and read-only, and doing it again changes nothing; the received time decides lateness
at 00:00 of the deadline day; appraisals leave the self-assessed figures alone and are audited;
and a process killed at any moment of an ingest leaves a sound database that a re-run completes
into the very state of an uninterrupted run.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import random
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pg_server import INTEGRITY_ERRORS

from app.evidence.checks import CHECK_CODES as EVIDENCE_CHECKS
from app.framework.registry import get_builtin
from app.workbook.intake import receive, receive_file
from app.workbook.issues import Severity
from app.workbook.roster import read_roster
from app.workspace import (
    MARKER,
    Workspace,
    WorkspaceError,
    add_period,
    appraisals,
    appraise,
    audit_log,
    find,
    get_period,
    import_roster,
    ingest,
    rank,
    set_deadline,
    set_received,
    status,
)
from app.workspace import store as store_module
from app.workspace.appraise import appraisal_overrides
from app.workspace.identity import machine
from app.workspace.ingest import NA_INPUT, ORPHAN_AGE_SECONDS, remove_orphan_temps
from app.workspace.ranking import unit_inputs
from app.workspace.store import dump_value, load_value
from app.workspace.units import Unit, import_roster_file, list_units
from scoring.appraisal import Appraisal, assess
from scoring.engine import score_batch

pytestmark = pytest.mark.usefixtures("backend")  # on SQLite and on PostgreSQL (issue 22)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RETURNED = FIXTURES / "returned"
ROSTER = FIXTURES / "rosters" / "returned_units.csv"
PERIOD = "2023-Q1"
FW = get_builtin("svhtt-1690")
#: every fixture received on one day, well before the Q1/2023 deadline (20/4/2023)
ON_TIME = datetime(2023, 4, 10, 9, 0)


def new_workspace(folder: Path) -> Workspace:
    ws = Workspace.create(folder)
    import_roster(ws, ROSTER)
    add_period(ws, PERIOD, "svhtt-1690")
    return ws


@pytest.fixture
def ws(tmp_path: Path) -> Any:
    with new_workspace(tmp_path / "ws") as w:
        yield w


@pytest.fixture
def filled(ws: Workspace) -> Workspace:
    ingest(ws, PERIOD, [RETURNED], received=ON_TIME)
    return ws


def _without_ids(details: str) -> str:
    """An audit entry's details without the submission's row id: a shared workspace's ids come from a
    sequence, which a transaction killed midway consumes anyway, so the same content may get another id."""
    return json.dumps({k: v for k, v in json.loads(details).items() if k != "submission"}, sort_keys=True)


def snapshot(ws: Workspace) -> dict[str, list[Any]]:
    """Everything ingest decides, keyed by content rather than row ids."""
    q = ws.conn.execute
    return {
        "files": sorted(tuple(r) for r in q("SELECT sha256, original_name, size, kind, stored_path FROM files")),
        "submissions": sorted(tuple(r) for r in q(
            "SELECT period, unit_code, file_sha256, file_name, received_at, identified_by, status, "
            "framework_version FROM submissions")),
        "values": sorted(tuple(r) for r in q(
            "SELECT s.file_sha256, v.indicator, v.input, v.value_json FROM submission_values v "
            "JOIN submissions s ON s.id = v.submission_id")),
        "issues": sorted(tuple(r) for r in q(
            "SELECT s.file_sha256, i.code, i.severity, i.sheet, i.cell, i.indicator, i.name, i.value, i.message "
            "FROM issues i JOIN submissions s ON s.id = i.submission_id")),
        "rejected": sorted(tuple(r) for r in q("SELECT * FROM rejected")),
        "appraisals": sorted(tuple(r) for r in q("SELECT * FROM appraisals")),
        "audit": sorted((r[0], _without_ids(r[1])) for r in q("SELECT action, details_json FROM audit WHERE action != 'init'")),
        "received/": sorted(p.name for p in ws.received.iterdir() if not p.name.startswith(".")),
    }  # fmt: skip


# --- the folder -----------------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_create_makes_the_layout_and_a_sound_database(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "dti") as w:
        assert sorted(p.name for p in w.folder.iterdir() if p.is_dir()) == ["feedback", "received", "reports",
                                                                            "templates"]  # fmt: skip
        assert w.database.is_file()  # dtidesk.sqlite, or the shared workspace's link file
        pragma = w.conn.execute
        assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert pragma("PRAGMA foreign_keys").fetchone()[0] == 1
        assert pragma("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert pragma("PRAGMA user_version").fetchone()[0] == len(store_module.MIGRATIONS) >= 3
        assert w.integrity() == "ok"
        assert [e.action for e in audit_log(w)] == ["init"]
    with pytest.raises(WorkspaceError, match="đã là một thư mục làm việc"):
        Workspace.create(tmp_path / "dti")


def test_open_refuses_a_folder_that_is_not_a_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="không phải thư mục làm việc của DTI Desk"):
        Workspace.open(tmp_path)


def test_find_walks_up_from_a_subfolder(tmp_path: Path) -> None:
    Workspace.create(tmp_path / "dti").close()
    deep = tmp_path / "dti" / "reports" / "2023" / "q1"
    deep.mkdir(parents=True)
    assert find(deep) == (tmp_path / "dti").resolve()
    assert find(tmp_path) is None


def test_an_older_database_is_migrated_on_open(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    conn = sqlite3.connect(tmp_path / "old" / MARKER)  # version 1: the first schema, no phone column
    store_module.MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Workspace.open(tmp_path / "old") as w:
        assert w.conn.execute("PRAGMA user_version").fetchone()[0] == len(store_module.MIGRATIONS)
        assert w.conn.execute("SELECT count(*) FROM units").fetchone()[0] == 0
        assert (w.folder / "received").is_dir()


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Workspace.create(tmp_path / "w").close()

    def v2(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x TEXT)")
        raise RuntimeError("mid-migration failure")

    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, v2])
    with pytest.raises(RuntimeError):
        Workspace.open(tmp_path / "w")
    monkeypatch.undo()
    with Workspace.open(tmp_path / "w") as w:
        assert store_module.schema_version(w.conn) == len(store_module.MIGRATIONS)
        assert "half_done" not in store_module.table_names(w.conn)


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "w") as w:
        store_module._set_schema_version(w.conn, 99)
    with pytest.raises(WorkspaceError, match="mới hơn"):
        Workspace.open(tmp_path / "w")


def test_values_survive_the_store_with_their_types() -> None:
    for value in [12, "Có", Decimal("0.85"), Decimal("1234"), 0.8, True, None, date(2023, 3, 5),
                  datetime(2023, 3, 5, 8, 30), "=1+1"]:  # fmt: skip
        back = load_value(dump_value(value))
        assert back == value and type(back) is type(value)


# --- roster and periods ---------------------------------------------------------------------------


def test_roster_import_adds_then_changes_nothing_then_updates(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "w") as w:
        assert import_roster(w, ROSTER) == (16, 0)
        assert import_roster(w, ROSTER) == (0, 0)
        changed = tmp_path / "roster.csv"
        changed.write_text(ROSTER.read_text(encoding="utf-8-sig").replace("Bảo tàng Phụ nữ Nam Bộ",
                                                                          "Bảo tàng Phụ nữ Nam bộ"),
                           encoding="utf-8")  # fmt: skip
        assert import_roster(w, changed) == (0, 1)
        assert w.conn.execute("SELECT name FROM units WHERE code = 'DV14'").fetchone()[0] == "Bảo tàng Phụ nữ Nam bộ"
        bad = tmp_path / "bad.csv"
        bad.write_text("nothing here\n", encoding="utf-8")
        with pytest.raises(WorkspaceError):
            import_roster(w, bad)


def test_periods_take_the_cv1690_deadline_and_can_move_it(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "w") as w:
        assert add_period(w, "Quý I/2023", "svhtt-1690").deadline == date(2023, 4, 20)  # the Q1/2023 exception
        assert add_period(w, "2023-Q2", "svhtt-1690").deadline == date(2023, 6, 16)
        assert add_period(w, "2023", "hcm-dti-so-2023").label == "Năm 2023"
        with pytest.raises(WorkspaceError, match="đã có"):
            add_period(w, "Q1/2023", "svhtt-1690")
        with pytest.raises(WorkspaceError, match="Không tìm thấy bộ chỉ số"):
            add_period(w, "2024-Q1", "no-such-framework")
        set_deadline(w, "2023-Q2", date(2023, 6, 20), who="vanthu")
        assert get_period(w, "Q2/2023").deadline == date(2023, 6, 20)
        entry = audit_log(w, "2023-Q2")[-1]
        assert (entry.action, entry.who, entry.details["old"], entry.details["new"]) == (
            "set-deadline",
            "vanthu",
            "2023-06-16",
            "2023-06-20",
        )
        with pytest.raises(WorkspaceError, match="chưa được tạo"):
            get_period(w, "2025-Q1")


# --- ingest ---------------------------------------------------------------------------------------


def test_ingest_stores_what_the_reader_understood(filled: Workspace) -> None:
    roster = read_roster(ROSTER)
    for path in sorted(RETURNED.iterdir()):
        sub = receive_file(path, FW, PERIOD, roster, received=ON_TIME)
        row = filled.conn.execute("SELECT * FROM submissions WHERE file_sha256 = ?", (sub.sha256,)).fetchone()
        assert (row["unit_code"] or "", row["file_name"], row["identified_by"], row["received_at"]) == (
            sub.unit_code,
            path.name,
            sub.identity.by,
            "2023-04-10 09:00:00",
        )
        stored: dict[str, dict[str, Any]] = {}
        na: dict[str, str] = {}
        fields: dict[str, Any] = {}
        for v in filled.conn.execute("SELECT * FROM submission_values WHERE submission_id = ?", (row["id"],)):
            if v["indicator"] == "":
                fields[v["input"]] = load_value(v["value_json"])
            elif v["input"] == "__na__":
                na[v["indicator"]] = load_value(v["value_json"])
            else:
                stored.setdefault(v["indicator"], {})[v["input"]] = load_value(v["value_json"])
        assert stored == sub.inputs.values and na == sub.inputs.not_applicable and fields == sub.fields, path.name
        assert {k: {n: type(x) for n, x in d.items()} for k, d in stored.items()} == {
            k: {n: type(x) for n, x in d.items()} for k, d in sub.inputs.values.items()
        }  # Decimal stays Decimal
        issues = sorted(
            tuple(r)
            for r in filled.conn.execute(
                "SELECT code, severity, cell FROM issues WHERE submission_id = ?", (row["id"],)
            )
            if r["code"] not in EVIDENCE_CHECKS
        )  # the documents sent with it are checked by the workspace (issue 23)
        assert issues == sorted((i.code, str(i.severity), i.cell) for i in sub.issues if i.code != "duplicate-unit")


def test_status_per_unit(filled: Workspace) -> None:
    by_code = {s.unit_code: s for s in status(filled, PERIOD)}
    assert len(by_code) == 16  # all files identified: no unknown or rejected entries
    assert by_code["DV08"].state == "not-counted"  # sent the 2022-Q4 template
    assert by_code["DV10"].state == "missing" and by_code["DV10"].label_vi == "Chưa nộp"  # its file is DV09's
    assert (by_code["DV11"].files, by_code["DV11"].file) == (2, "duplicate-submission-DV11-second.xlsx")
    dv12 = receive_file(RETURNED / "errors-part-exceeds-whole-na-without-note.xlsx", FW, PERIOD, read_roster(ROSTER))
    assert by_code["DV12"].errors == sum(i.severity is Severity.ERROR for i in dv12.issues) == 6
    assert by_code["DV12"].label_vi == "Đúng hạn, có 6 lỗi"
    assert all(s.on_time for s in by_code.values() if s.state == "received")
    assert by_code["DV02"].label_vi == "Đúng hạn"


def test_unreadable_and_unknown_files_are_listed(ws: Workspace, tmp_path: Path) -> None:
    junk = tmp_path / "in"
    junk.mkdir()
    (junk / "not-a-workbook.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    ws.conn.execute("UPDATE units SET active = 0 WHERE code = 'DV02'")  # DV02 left the roster
    shutil.copy(RETURNED / "resaved-by-libreoffice.xlsx", junk)
    result = ingest(ws, PERIOD, [junk], received=ON_TIME)
    assert result.added == ["resaved-by-libreoffice.xlsx"]
    assert [(r.file, r.code, r.again) for r in result.rejected] == [("not-a-workbook.xlsx", "not-a-workbook", False)]
    assert result.rejected[0].message.startswith('Tệp "not-a-workbook.xlsx" không phải bảng tính Excel')
    tail = [(s.state, s.file) for s in status(ws, PERIOD) if not s.unit_code or s.state != "missing"]
    assert tail == [("unknown", "resaved-by-libreoffice.xlsx"), ("rejected", "not-a-workbook.xlsx")]
    again = ingest(ws, PERIOD, [junk])  # still unreadable: rejected again, with its reason, not "already there"
    assert again.skipped == ["resaved-by-libreoffice.xlsx"]
    assert [(r.file, r.code, r.again) for r in again.rejected] == [("not-a-workbook.xlsx", "not-a-workbook", True)]
    assert again.rejected[0].message == result.rejected[0].message


def test_reingesting_changes_nothing(filled: Workspace, tmp_path: Path) -> None:
    before = snapshot(filled)
    renamed = tmp_path / "again"
    shutil.copytree(RETURNED, renamed)
    (renamed / "good-filled-by-script.xlsx").rename(renamed / "DV01 gửi lại.xlsx")  # same bytes, new name
    result = ingest(filled, PERIOD, [RETURNED, renamed])
    assert not result.added and not result.rejected and len(result.skipped) == 32
    assert snapshot(filled) == before


def test_originals_are_kept_unchanged_and_read_only(filled: Workspace) -> None:
    sources = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in RETURNED.iterdir()}
    kept = sorted(p for p in filled.received.iterdir() if p.is_file())  # the hash store
    assert len(kept) == len(sources)
    readable = [p for p in (filled.received / PERIOD).rglob("*") if p.is_file()]  # the same files by unit and name
    assert {hashlib.sha256(p.read_bytes()).hexdigest() for p in readable} == set(sources)
    for copy in kept:
        sha, ext = copy.name.split(".", 1)
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == sha
        assert ext == sources[sha].suffix.lower().lstrip(".")
        assert copy.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in kept}
    ingest(filled, PERIOD, [RETURNED])
    rank(filled, PERIOD)
    assert {p.name: p.stat().st_mtime_ns for p in filled.received.iterdir() if p.is_file()} == stamps
    assert {hashlib.sha256(p.read_bytes()).hexdigest() for p in RETURNED.iterdir()} == set(sources)


def test_an_orphan_copy_from_a_crash_is_reused(ws: Workspace) -> None:
    source = RETURNED / "good-filled-by-script.xlsx"
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    orphan = ws.received / f"{sha}.xlsx"
    shutil.copy(source, orphan)
    os.chmod(orphan, 0o444)
    stamp = orphan.stat().st_mtime_ns
    assert ingest(ws, PERIOD, [source]).added == [source.name]
    assert orphan.stat().st_mtime_ns == stamp
    assert ws.conn.execute("SELECT stored_path FROM files").fetchone()[0] == f"received/{sha}.xlsx"


def test_received_time_defaults_to_file_time_and_decides_lateness(ws: Workspace, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("good-filled-by-script.xlsx", "resaved-by-libreoffice.xlsx"):
        shutil.copy(RETURNED / name, src)
    just_before = datetime(2023, 4, 19, 23, 59, 59).timestamp()
    midnight = datetime(2023, 4, 20, 0, 0, 0).timestamp()
    os.utime(src / "good-filled-by-script.xlsx", (just_before, just_before))
    os.utime(src / "resaved-by-libreoffice.xlsx", (midnight, midnight))
    ingest(ws, PERIOD, [src])
    by_code = {s.unit_code: s for s in status(ws, PERIOD)}
    assert (by_code["DV01"].on_time, by_code["DV01"].received_at) == (True, datetime(2023, 4, 19, 23, 59, 59))
    assert (by_code["DV02"].on_time, by_code["DV02"].label_vi) == (False, "Nộp muộn")  # 00:00 of day 20 is late
    sid = by_code["DV02"].submission_id
    assert sid is not None
    set_received(ws, sid, datetime(2023, 4, 18, 16, 30), who="vanthu")  # the e-mail's date
    assert {s.unit_code: s for s in status(ws, PERIOD)}["DV02"].on_time is True
    entry = audit_log(ws, PERIOD)[-1]
    assert (entry.action, entry.who, entry.details["old"], entry.details["new"]) == (
        "set-received",
        "vanthu",
        "2023-04-20 00:00:00",
        "2023-04-18 16:30:00",
    )
    set_deadline(ws, PERIOD, date(2023, 4, 18))
    assert {s.unit_code: s for s in status(ws, PERIOD)}["DV02"].on_time is False


def test_the_latest_file_of_a_unit_is_active_and_set_received_can_change_which(filled: Workspace) -> None:
    rows = {r["file_name"]: (r["id"], r["status"]) for r in filled.conn.execute(
        "SELECT id, file_name, status FROM submissions WHERE unit_code = 'DV11'")}  # fmt: skip
    # same received time: the file name decides ("…second" after "…first")
    assert rows["duplicate-submission-DV11-second.xlsx"][1] == "active"
    assert rows["duplicate-submission-DV11-first.xlsx"][1] == "superseded"
    set_received(filled, rows["duplicate-submission-DV11-first.xlsx"][0], datetime(2023, 4, 12, 8, 0))
    assert {s.unit_code: s for s in status(filled, PERIOD)}["DV11"].file == "duplicate-submission-DV11-first.xlsx"
    with pytest.raises(WorkspaceError):
        set_received(filled, 10_000, ON_TIME)


def test_progress_and_cancel(ws: Workspace) -> None:
    seen: list[tuple[int, int, str]] = []
    result = ingest(ws, PERIOD, [RETURNED], progress=lambda n, total, name: seen.append((n, total, name)),
                    cancelled=lambda: len(seen) >= 3, received=ON_TIME)  # fmt: skip
    assert result.cancelled and len(result.added) == 3
    assert [s[:2] for s in seen] == [(0, 16), (1, 16), (2, 16)]
    assert len(ingest(ws, PERIOD, [RETURNED], received=ON_TIME).added) == 13


# --- appraisal and ranking ------------------------------------------------------------------------


def test_rank_equals_scoring_the_counted_submissions_directly(filled: Workspace) -> None:
    batch = receive([RETURNED], FW, PERIOD, read_roster(ROSTER))
    counted = sorted(batch.counted, key=lambda s: s.unit_code)
    expected = {s.unit_code: u.total_cents for s, u in zip(counted, score_batch(FW, [s.inputs for s in counted]),
                                                              strict=True)}  # fmt: skip
    ranked = rank(filled, PERIOD)
    assert {r.unit_code: r.self_cents for r in ranked} == expected
    assert all(r.self_cents == r.appraised_cents and not r.appraised for r in ranked)
    assert [r.rank for r in ranked] == sorted(r.rank for r in ranked)
    assert set(ranked[0].group_cents) == {g.code for g in FW.groups}


def test_appraisal_changes_the_appraised_figure_only(filled: Workspace) -> None:
    before_values = snapshot(filled)["values"]
    dv02 = next(r for r in rank(filled, PERIOD) if r.unit_code == "DV02")
    row = appraise(filled, PERIOD, "DV02", "1.2", input="a", value=15, reason="Biên bản họp chỉ có 15 cuộc")
    ME = f"{getpass.getuser()}@{machine()}"  # account@machine (issue 22)
    assert (row.old, row.new, row.who, row.kind) == (30, 15, ME, "value")
    after = next(r for r in rank(filled, PERIOD) if r.unit_code == "DV02")
    assert after.self_cents == dv02.self_cents and after.appraised
    assert after.appraised_cents == dv02.appraised_cents - 500  # 1.2 is 10 points: 15/30 of it lost
    # a score set directly wins over the values
    appraise(filled, PERIOD, "DV02", "1.2", score="2,5", reason="Hội đồng chấm lại", who="hoidong")
    after = next(r for r in rank(filled, PERIOD) if r.unit_code == "DV02")
    assert after.appraised_cents == dv02.appraised_cents - 750
    # the later value change of the same input shows the earlier one as "old"
    assert appraise(filled, PERIOD, "DV02", "1.2", input="a", value=20, reason="Bổ sung minh chứng").old == 15
    assert snapshot(filled)["values"] == before_values  # self-assessed figures untouched
    assert [(a.kind, a.who) for a in appraisals(filled, PERIOD, "DV02")] == [
        ("value", ME),
        ("score", "hoidong"),
        ("value", ME),
    ]
    logged = [e for e in audit_log(filled, PERIOD) if e.action == "appraise"]
    assert [(e.details["reason"], e.who) for e in logged] == [
        ("Biên bản họp chỉ có 15 cuộc", ME), ("Hội đồng chấm lại", "hoidong"),
        ("Bổ sung minh chứng", ME)]  # fmt: skip


@pytest.mark.parametrize("kwargs, message", [
    ({"input": "a", "value": 1, "reason": "  "}, "lý do"),
    ({"input": "a", "value": 1, "score": 1, "reason": "x"}, "đúng một"),
    ({"reason": "x"}, "đúng một"),
    ({"input": "z", "value": 1, "reason": "x"}, "không có ô nhập"),
    ({"score": 11, "reason": "x"}, "ngoài khoảng"),
    ({"score": "mười", "reason": "x"}, "không phải là số"),
])  # fmt: skip
def test_bad_appraisals_are_refused_and_leave_no_trace(filled: Workspace, kwargs: dict[str, Any],
                                                       message: str) -> None:  # fmt: skip
    before = snapshot(filled)
    with pytest.raises(WorkspaceError, match=message):
        appraise(filled, PERIOD, "DV02", "1.2", **kwargs)
    assert snapshot(filled) == before


def test_appraising_needs_a_counted_submission_and_a_real_indicator(filled: Workspace) -> None:
    with pytest.raises(WorkspaceError, match="chưa có bản nộp"):
        appraise(filled, PERIOD, "DV10", "1.2", score=1, reason="x")
    with pytest.raises(WorkspaceError, match="không có chỉ số"):
        appraise(filled, PERIOD, "DV02", "9.9", score=1, reason="x")


def test_the_database_itself_refuses_a_blank_reason(filled: Workspace) -> None:
    with pytest.raises(INTEGRITY_ERRORS):
        filled.conn.execute("INSERT INTO appraisals(period, unit_code, indicator, kind, new_json, reason, who, at) "
                            "VALUES ('2023-Q1', 'DV02', '1.2', 'score', '1', '   ', 'x', 'now')")  # fmt: skip


# --- crash safety ---------------------------------------------------------------------------------

COPIES = 6  # distinct contents per fixture: ~90 files, about a second and a half of ingest


def make_batch(folder: Path) -> Path:
    """Many distinct files: each zip-based fixture re-zipped with a different archive comment.

    The comment changes the bytes (so the content hash) but not the workbook, so a unit gets
    several submissions with different received times: the active/superseded decision is
    exercised at every interruption as well.
    """
    folder.mkdir()
    base = ON_TIME.timestamp()
    for n, source in enumerate(sorted(RETURNED.iterdir())):
        if source.suffix == ".xls":  # not a zip
            continue
        for k in range(COPIES):
            target = folder / f"{source.stem}-{k}{source.suffix}"
            shutil.copy(source, target)
            with zipfile.ZipFile(target, "a") as z:
                z.comment = f"copy {k}".encode()
            os.utime(target, (base + 60 * k + n, base + 60 * k + n))
    return folder


INGEST = ("import sys; from pathlib import Path; from app.workspace import Workspace, ingest; "
          "ingest(Workspace.open(Path(sys.argv[1])), '2023-Q1', [Path(sys.argv[2])], "
          "progress=lambda n, total, name: print(n, flush=True))")  # fmt: skip


def test_killed_ingest_leaves_a_sound_database_and_a_rerun_ends_in_the_same_state(tmp_path: Path) -> None:
    src = make_batch(tmp_path / "batch")
    source_hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in src.iterdir()}
    with new_workspace(tmp_path / "reference") as ref:
        started = time.perf_counter()
        ingest(ref, PERIOD, [src])
        per_file = (time.perf_counter() - started) / len(source_hashes)
        expected = snapshot(ref)
    total = len(expected["submissions"])
    assert total == len(source_hashes) == 15 * COPIES

    new_workspace(tmp_path / "killed").close()
    rng = random.Random()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    mid_ingest = 0  # kills that came after some progress and before the end
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", INGEST, str(tmp_path / "killed"), str(src)], cwd=ROOT,
                                env=env, stdout=subprocess.PIPE, text=True)  # fmt: skip
        assert proc.stdout is not None
        # the child reports each file as it starts it; kill it at a random file, at a random moment
        # within that file's work (reading, copying, or inside the transaction) — whatever the load
        target = rng.randint(1, 12)
        finished = True
        for line in proc.stdout:
            if int(line) >= target:
                time.sleep(rng.uniform(0, 1.5) * per_file)
                finished = proc.poll() is not None
                break
        if not finished:
            proc.kill()  # SIGKILL: no cleanup, no rollback by Python, maybe mid-transaction
        proc.wait()
        proc.stdout.close()
        with Workspace.open(tmp_path / "killed") as w:
            assert w.integrity() == "ok"
            partial = snapshot(w)
        # whatever landed is whole: every stored submission has its values, every file its copy
        assert {s[2] for s in partial["submissions"]} == {v[0] for v in partial["values"]}
        assert {f[0] for f in partial["files"]} <= {n.split(".")[0] for n in partial["received/"]}
        done = len(partial["submissions"])
        mid_ingest += 0 < done < total and not finished
        if done >= total or mid_ingest >= 4:
            break
    assert mid_ingest >= 3
    with Workspace.open(tmp_path / "killed") as w:
        ingest(w, PERIOD, [src])
        assert w.integrity() == "ok"
        got = snapshot(w)
    assert got == expected
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in src.iterdir()} == source_hashes
    for copy in (tmp_path / "killed" / "received").iterdir():
        if copy.is_file() and not copy.name.startswith("."):  # the hash store; received/<period>/ holds links
            assert hashlib.sha256(copy.read_bytes()).hexdigest() == copy.name.split(".")[0]
            assert not copy.stat().st_mode & stat.S_IWUSR


# --- schema v2, roster kind/contact/phone ---------------------------------------------------------


def test_a_version_1_database_gains_the_phone_column_and_keeps_its_units(tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    conn = sqlite3.connect(tmp_path / "v1" / MARKER)
    store_module.MIGRATIONS[0](conn)
    conn.execute("INSERT INTO units(code, name, kind, email, contact) VALUES ('DV01', 'Thư viện', 'Thư viện', "
                 "'tv@a.example', 'Lan')")  # fmt: skip
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Workspace.open(tmp_path / "v1") as w:
        assert w.conn.execute("PRAGMA user_version").fetchone()[0] == len(store_module.MIGRATIONS)
        assert list_units(w) == [Unit("DV01", "Thư viện", "Thư viện", "tv@a.example", "Lan", True, "")]


def test_roster_import_takes_kind_contact_phone_and_keeps_what_a_file_lacks(tmp_path: Path) -> None:
    rosters = FIXTURES / "rosters"
    with Workspace.create(tmp_path / "w") as w:
        first = import_roster_file(w, rosters / "kind_contact_cp1258.csv")
        assert (first.added, first.updated, first.units, first.columns) == (3, 0, 3, ("kind", "email", "contact",
                                                                                        "phone"))  # fmt: skip
        assert import_roster(w, rosters / "kind_contact_cp1258.csv") == (0, 0)
        rows = {r["code"]: tuple(r) for r in w.conn.execute("SELECT code, kind, email, contact, phone FROM units")}
        assert rows["DV01"] == ("DV01", "Thư viện", "thuvien@svhtt-hcm.example", "Nguyễn Thị Lan", "0900 000 001")
        assert rows["DV02"] == ("DV02", "Bảo tàng", "baotang@svhtt-hcm.example", "", "")
        # the .xlsx has no e-mail column: contacts and phones change, e-mails stay as they were
        second = import_roster_file(w, rosters / "kind_contact_nfd.xlsx")
        assert (second.added, second.updated, second.columns) == (0, 2, ("kind", "contact", "phone"))
        units = {u.code: u for u in list_units(w)}
        assert units["DV01"] == Unit("DV01", "Thư viện Khoa học Tổng hợp", "Thư viện", "thuvien@svhtt-hcm.example",
                                     "Lê Minh Tâm", True, "0900 000 011")  # fmt: skip
        assert (units["DV02"].email, units["DV02"].contact, units["DV02"].phone) == (
            "baotang@svhtt-hcm.example",
            "Phạm Thu Hà",
            "0900 000 012",
        )
        assert units["DV03"].contact == "Trần Văn Hùng"  # absent from the second file: untouched
        # a file with only code and name keeps every optional field
        plain = tmp_path / "plain.csv"
        plain.write_text("Mã,Tên\nDV01,Thư viện Khoa học Tổng hợp\n", encoding="utf-8")
        assert import_roster(w, plain) == (0, 0)
        assert list_units(w)[0] == units["DV01"]
        logged = [e.details for e in audit_log(w) if e.action == "import-roster"]
        assert [d["columns"] for d in logged] == [["kind", "email", "contact", "phone"]] * 2 + [
            ["kind", "contact", "phone"],
            [],
        ]


# --- "không áp dụng" by appraisal -------------------------------------------------------------------


def _effective(ws: Workspace, unit: str, indicator: str) -> tuple[int, int]:
    """(self-assessed, effective) cents of one indicator, scored with ``appraisal_overrides``."""
    units = [u for _, u in unit_inputs(ws, PERIOD)]
    assessment = next(a for a in assess(FW, units, appraisal_overrides(ws, PERIOD)) if a.unit_code == unit)
    own, effective = assessment.indicator(indicator)
    return own.cents, effective.cents


def _finding_codes(ws: Workspace, unit: str, indicator: str) -> set[str]:
    units = [u for _, u in unit_inputs(ws, PERIOD)]
    assessment = next(a for a in assess(FW, units, appraisal_overrides(ws, PERIOD)) if a.unit_code == unit)
    return {f.code for f in assessment.indicator(indicator)[1].findings}


def test_an_appraiser_can_mark_an_indicator_not_applicable_and_undo_it(filled: Workspace) -> None:
    own_cents, _ = _effective(filled, "DV02", "5.2")
    assert own_cents == 1000  # 30 of 30: full marks; halve it so that "không áp dụng" (max points) shows
    appraise(filled, PERIOD, "DV02", "5.2", input="a", value=15, reason="Chỉ 15 hồ sơ trực tuyến")
    assert _effective(filled, "DV02", "5.2") == (1000, 500)
    row = appraise(filled, PERIOD, "DV02", "5.2", not_applicable="  Đơn vị không có thủ tục hành chính ",
                   reason="Theo Quyết định giao nhiệm vụ", who="thamdinh")  # fmt: skip
    assert (row.kind, row.input, row.old, row.new, row.is_not_applicable) == (
        "value",
        NA_INPUT,
        None,
        "Đơn vị không có thủ tục hành chính",
        True,
    )
    assert appraisal_overrides(filled, PERIOD) == {
        "DV02": Appraisal(
            values={"5.2": {"a": 15}}, not_applicable={"5.2": "Đơn vị không có thủ tục hành chính"}, scores={}
        )
    }
    assert _effective(filled, "DV02", "5.2") == (1000, 1000)  # "không áp dụng": max points
    # undo: applicable again, the unit's own figures count
    undo = appraise(filled, PERIOD, "DV02", "5.2", not_applicable=None, reason="Đơn vị có 2 thủ tục")
    assert (undo.old, undo.new) == ("Đơn vị không có thủ tục hành chính", None)
    assert appraisal_overrides(filled, PERIOD)["DV02"].not_applicable == {"5.2": None}
    assert _effective(filled, "DV02", "5.2") == (1000, 500)
    stored = [(r["input"], r["kind"], r["new_json"]) for r in filled.conn.execute(
        "SELECT * FROM appraisals ORDER BY id")]  # fmt: skip
    assert stored == [("a", "value", "15"), (NA_INPUT, "value", '"Đơn vị không có thủ tục hành chính"'),
                      (NA_INPUT, "value", "null")]  # fmt: skip
    assert [e.details["input"] for e in audit_log(filled, PERIOD) if e.action == "appraise"] == ["a", NA_INPUT,
                                                                                                 NA_INPUT]  # fmt: skip


def test_the_units_own_not_applicable_can_be_cleared(filled: Workspace) -> None:
    own = filled.conn.execute("SELECT v.value_json FROM submission_values v JOIN submissions s ON s.id = "
                              "v.submission_id WHERE s.unit_code = 'DV12' AND s.status = 'active' AND v.input = ?",
                              (NA_INPUT,)).fetchone()  # fmt: skip
    assert own is not None  # DV12 marked 5.2 "không áp dụng" without a note
    assert "na-without-explanation" in _finding_codes(filled, "DV12", "5.2")  # scored by its figures, an error
    row = appraise(filled, PERIOD, "DV12", "5.2", not_applicable=None, reason="Không có giải thích")
    assert (row.old, row.new) == (load_value(own[0]), None)
    assert appraisal_overrides(filled, PERIOD)["DV12"].not_applicable == {"5.2": None}
    assert "na-without-explanation" not in _finding_codes(filled, "DV12", "5.2")
    assert _effective(filled, "DV12", "5.2") == (1000, 1000)  # 30 of 30 either way
    # and it can be explained by the appraiser instead: then it is "không áp dụng" for good
    appraise(filled, PERIOD, "DV12", "5.2", input="a", value=15, reason="Chỉ 15 hồ sơ")
    assert _effective(filled, "DV12", "5.2") == (1000, 500)
    appraise(filled, PERIOD, "DV12", "5.2", not_applicable="Không có thủ tục", reason="Đơn vị giải trình bổ sung")
    assert _effective(filled, "DV12", "5.2") == (1000, 1000)
    assert "not-applicable" in _finding_codes(filled, "DV12", "5.2")


def test_overrides_combine_values_scores_and_not_applicable(filled: Workspace) -> None:
    appraise(filled, PERIOD, "DV02", "1.2", input="a", value=15, reason="r1")
    appraise(filled, PERIOD, "DV02", "1.2", input="a", value=20, reason="r2")
    appraise(filled, PERIOD, "DV03", "1.1", score="0,5", reason="r3")
    appraise(filled, PERIOD, "DV03", "6.10", not_applicable="Không có", reason="r4")
    assert appraisal_overrides(filled, PERIOD) == {
        "DV02": Appraisal(values={"1.2": {"a": 20}}, not_applicable={}, scores={}),
        "DV03": Appraisal(values={}, not_applicable={"6.10": "Không có"}, scores={"1.1": Decimal("0.5")}),
    }


@pytest.mark.parametrize("indicator, kwargs, message", [
    ("1.2", {"not_applicable": "Không có"}, "không được phép đánh dấu"),  # the framework does not allow it for 1.2
    ("5.2", {"not_applicable": "   "}, "giải thích"),
    ("5.2", {"not_applicable": None}, "không có gì để bỏ"),  # DV02 did not mark 5.2
    ("5.2", {"not_applicable": "x", "score": 1}, "đúng một"),
    ("5.2", {"not_applicable": "x", "input": "a", "value": 1}, "đúng một"),
])  # fmt: skip
def test_bad_not_applicable_appraisals_are_refused(filled: Workspace, indicator: str, kwargs: dict[str, Any],
                                                   message: str) -> None:  # fmt: skip
    before = snapshot(filled)
    with pytest.raises(WorkspaceError, match=message):
        appraise(filled, PERIOD, "DV02", indicator, reason="lý do", **kwargs)
    assert snapshot(filled) == before
    with pytest.raises(WorkspaceError, match="không có ô nhập"):  # the pseudo-input is not an input
        appraise(filled, PERIOD, "DV02", "5.2", input=NA_INPUT, value="x", reason="lý do")


# --- orphan temp files ----------------------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_ingest_removes_temp_files_of_dead_processes_and_old_ones(ws: Workspace) -> None:
    sha = "ab" * 32
    dead = ws.received / f".{sha}.{_dead_pid()}.tmp"
    alive = ws.received / f".{sha}.{os.getpid()}.tmp"  # a copy in progress in a running process
    stale = ws.received / f".{'cd' * 32}.{os.getpid()}.tmp"  # running pid, but hours old: a reused pid
    odd = ws.received / ".no-pid-here.tmp"  # no pid: only its age counts
    other = ws.received / ".keep-me.txt"
    for path in (dead, alive, stale, odd, other):
        path.write_bytes(b"partial")
        os.chmod(path, 0o444)
    hours_ago = time.time() - ORPHAN_AGE_SECONDS - 60
    os.utime(stale, (hours_ago, hours_ago))
    if sys.platform != "win32":  # Windows cannot tell whether a pid runs: age alone decides there
        assert remove_orphan_temps(ws) == sorted([dead.name, stale.name])
        assert not dead.exists()
    assert alive.exists() and odd.exists() and other.exists() and not stale.exists()
    # ingest runs the same clean-up first; later, even the live process's temp file is old enough to go
    later = time.time() + ORPHAN_AGE_SECONDS + 60
    assert remove_orphan_temps(ws, now=later) == sorted([alive.name, odd.name])
    dead.write_bytes(b"partial")
    ingest(ws, PERIOD, [RETURNED / "good-filled-by-script.xlsx"], received=ON_TIME)
    assert not dead.exists() or sys.platform == "win32"
    assert sorted(p.name for p in ws.received.iterdir() if p.name.startswith(".")) == [other.name]
