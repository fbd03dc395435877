"""``dtidesk workspace copy`` (issue 22, point 3): a workspace copied away and back reads the same.

The workspace is the demo's quarter (25 units, evidence documents, appraisals, explanations and
round 2's decisions, published) plus what the demo leaves out: mail settings, drafts, an e-mail
received while the period was published again (held back) after a reopening, an appraisal
withdrawn. After
SRC → B → C, ``rank --json``, ``status --json`` and ``audit --json`` of C are those of SRC (the
audit with the two entries recording the copies themselves added at its end).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from app.workspace import Workspace
from app.workspace.copy import TABLES, copy

ROOT = Path(__file__).resolve().parent.parent
MAIL = ROOT / "tests" / "fixtures" / "mail"
PERIOD = "2023-Q1"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.demo.run import run_demo

    ws = run_demo(tmp_path_factory.mktemp("copy") / "demo").workspace
    loc = ["--workspace", str(ws)]

    def run(*args: str) -> None:
        assert main([*args, *loc]) == 0

    run("mail", "settings", "--name", "Văn phòng Sở Văn hóa và Thể thao", "--address", "vanphong@svhtt.gov.vn")
    run("mail", "reminders", "--period", PERIOD)
    run("period", "reopen", PERIOD, "--reason", "Thẩm định bổ sung")
    with Workspace.open(ws) as w:
        unit = w.conn.execute(
            "SELECT unit_code FROM submissions WHERE status = 'active' ORDER BY unit_code"
        ).fetchone()[0]
    run("appraise", unit, "1.2", "--period", PERIOD, "--score", "1,5", "--reason", "Hồ sơ thiếu")
    with Workspace.open(ws) as w:
        last = w.conn.execute("SELECT max(id) FROM appraisals").fetchone()[0]
    run("appraise", "--withdraw", str(last), "--reason", "Nhầm chỉ số")
    with Workspace.open(ws) as w:  # a submission the office took back (a test file sent by mistake)
        other = w.conn.execute(
            "SELECT id FROM submissions WHERE status = 'active' AND unit_code != ? ORDER BY unit_code", (unit,)
        ).fetchone()[0]
    run("withdraw", str(other), "--reason", "Tệp gửi thử")
    run("period", "publish", PERIOD)
    run("ingest", "--period", PERIOD, str(MAIL / "two-units-one-email.eml"))  # published: received, held back
    return ws


def answers(folder: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, args in {"rank": ["rank", "--period", PERIOD], "status": ["status", "--period", PERIOD],
                       "audit": ["audit"], "appraisals": ["appraisals", "--period", PERIOD],
                       "evidence": ["evidence", "list", "--period", PERIOD]}.items():  # fmt: skip
        # (the evidence list names each stored document by its full path: compared inside the folder)
        capsys.readouterr()
        assert main([*args, "--workspace", str(folder), "--json"]) == 0, name
        text = capsys.readouterr().out
        out[name] = json.loads(text.replace(json.dumps(str(folder))[1:-1], "<thư mục>") if name == "evidence" else text)
    return out


def test_a_round_trip_reads_the_same(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Workspace.open(source) as w:  # the workspace covers every table the copy must carry
        empty = [t for t, _ in TABLES if w.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0]
    assert set(empty) <= {"rejected", "department_overrides", "department_submissions", "held_rejected"}, empty
    before = answers(source, capsys)
    assert main(["workspace", "copy", str(source), str(tmp_path / "b"), "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["originals"] > 50 and done["rows"]["issues"] > 0
    assert main(["workspace", "copy", str(tmp_path / "b"), str(tmp_path / "c")]) == 0
    after = answers(tmp_path / "c", capsys)
    copies = after["audit"][len(before["audit"]) :]
    assert [(e["action"], e["details"]["to"]) for e in copies] == [
        ("copy-workspace", str(tmp_path / "b")), ("copy-workspace", str(tmp_path / "c"))]  # fmt: skip
    assert copies[0]["label"] == "Chép không gian làm việc"
    after["audit"] = after["audit"][: len(before["audit"])]
    assert after == before
    # every row, in order, and every original byte for byte
    for table, _ in TABLES:
        assert rows(source, table) == rows(tmp_path / "c", table, drop_copies=True), table
    originals = sorted(p.relative_to(source) for p in (source / "received").glob("*") if p.is_file())
    assert originals and all((tmp_path / "c" / p).read_bytes() == (source / p).read_bytes() for p in originals)
    assert main(["check-workspace", "--workspace", str(tmp_path / "c")]) == 0


def rows(folder: Path, table: str, drop_copies: bool = False) -> list[tuple[Any, ...]]:
    with sqlite3.connect(folder / "dtidesk.sqlite") as conn:
        found = [tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]
    if drop_copies and table == "audit":
        found = [r for r in found if r[3] != "copy-workspace"]
    return found


def test_the_table_list_is_the_schema(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "w") as w:
        tables = {r[0] for r in w.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables - {"sqlite_sequence"} == {t for t, _ in TABLES}


def test_the_target_must_be_new_or_empty(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workspace", "copy", str(source), str(source)]) == 2
    assert "cùng một thư mục" in capsys.readouterr().err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("x")
    assert main(["workspace", "copy", str(source), str(tmp_path / "full")]) == 2
    assert "đã có dữ liệu" in capsys.readouterr().err
    # a workspace with data is refused; an empty one (just made) is filled
    Workspace.create(tmp_path / "empty").close()
    assert main(["workspace", "copy", str(source), str(tmp_path / "empty")]) == 0
    capsys.readouterr()
    assert main(["workspace", "copy", str(tmp_path / "b0"), str(tmp_path / "empty")]) == 2  # no such source
    assert main(["workspace", "copy", str(source), str(tmp_path / "empty")]) == 2
    assert "đã có dữ liệu" in capsys.readouterr().err


def test_a_failed_copy_leaves_nothing(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from app.workspace import copy as copy_module

    real = copy_module._copy_table

    def fail_late(src: Any, conn: Any, table: str, keys: Any) -> int:
        if table == "explanations":
            raise OSError("the disk went away")
        return real(src, conn, table, keys)

    monkeypatch.setattr(copy_module, "_copy_table", fail_late)
    with pytest.raises(OSError):
        copy(source, tmp_path / "t")
    assert not (tmp_path / "t").exists()
    Workspace.create(tmp_path / "e").close()
    with pytest.raises(OSError):
        copy(source, tmp_path / "e")
    with Workspace.open(tmp_path / "e") as w:
        assert copy_module.is_empty(w) and [r[0] for r in w.conn.execute("SELECT action FROM audit")] == ["init"]
    assert [p.name for p in (tmp_path / "e" / "received").iterdir()] == []


def test_a_changed_original_stops_the_copy(source: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    import shutil

    shutil.copytree(source, src)
    stored = next(p for p in (src / "received").glob("*.xlsx"))
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes() + b"x")
    from app.workspace.store import WorkspaceError

    with pytest.raises(WorkspaceError, match="mã băm không khớp"):
        copy(src, tmp_path / "t")
    assert not (tmp_path / "t").exists()


def test_a_round_trip_through_a_shared_workspace_reads_the_same(source: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """Folder → PostgreSQL → folder (issue 22, point 3): rank, status, appraisals, evidence and audit
    read the same, every row comes back in order and every original byte for byte."""
    import pg_server

    pg_server.require_server()
    monkeypatch.setenv("DTIDESK_DATA_DIR", str(tmp_path / "data"))
    url = pg_server.new_database()
    try:
        before = answers(source, capsys)
        assert main(["workspace", "copy", str(source), url, "--json"]) == 0
        done = json.loads(capsys.readouterr().out)
        assert done["originals"] > 50 and done["target"] == url
        capsys.readouterr()
        assert main(["rank", "--period", PERIOD, "--workspace", url, "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == before["rank"]
        assert main(["workspace", "copy", url, str(tmp_path / "back")]) == 0
        capsys.readouterr()
        after = answers(tmp_path / "back", capsys)
        copies = after["audit"][len(before["audit"]) :]
        assert [e["action"] for e in copies] == ["copy-workspace", "copy-workspace"]
        after["audit"] = after["audit"][: len(before["audit"])]
        assert after == before
        for table, keys in TABLES:  # a database keeps no order of writing: keyed tables come back in key order
            ours, back = rows(source, table), rows(tmp_path / "back", table, drop_copies=True)
            assert (ours == back) if not keys else (sorted(ours, key=repr) == sorted(back, key=repr)), table
        for p in (source / "received").glob("*"):
            if p.is_file():
                assert (tmp_path / "back" / "received" / p.name).read_bytes() == p.read_bytes()
    finally:
        pg_server.drop_database(url)
