"""The quarterly cycle through the CLI on a temporary workspace, and ``dtidesk demo``."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from app.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_whole_cycle_by_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(tmp_path / "ws")
    assert run(capsys, "init", ws)[0] == 0
    code, out, _ = run(capsys, "units", "import", str(FIXTURES / "rosters" / "returned_units.csv"), "--workspace", ws,
                       "--json")  # fmt: skip
    assert code == 0 and json.loads(out) == {"added": 16, "updated": 0}
    code, out, _ = run(capsys, "period", "add", "Quý I/2023", "--framework", "svhtt-1690", "--workspace", ws, "--json")
    assert code == 0 and json.loads(out)["deadline"] == "2023-04-20"
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURES / "returned", inbox)
    code, out, _ = run(capsys, "ingest", str(inbox), "--period", "2023-Q1", "--workspace", ws, "--json")
    assert code == 0 and len(json.loads(out)["added"]) == 16
    code, out, _ = run(capsys, "ingest", str(inbox), "--period", "2023-Q1", "--workspace", ws, "--json")
    again = json.loads(out)  # re-ingesting the same files changes nothing
    assert again["added"] == [] and again["rejected"] == [] and len(again["skipped"]) == 16
    code, out, _ = run(capsys, "status", "--period", "2023-Q1", "--workspace", ws, "--json")
    rows = {r["unit_code"]: r for r in json.loads(out)}
    assert code == 1 and rows["DV12"]["errors"] == 6 and rows["DV08"]["state"] == "not-counted"
    code, out, _ = run(capsys, "rank", "--period", "2023-Q1", "--workspace", ws, "--json")
    before = {r["unit_code"]: r for r in json.loads(out)}
    code, _, err = run(capsys, "appraise", "DV02", "1.1", "--score", "0", "--reason", " ", "--period", "2023-Q1",
                       "--workspace", ws)  # fmt: skip
    assert code == 2 and err  # a reason is required
    code, _, _ = run(capsys, "appraise", "DV02", "1.1", "--score", "0", "--reason", "Thiếu quyết định kèm theo",
                     "--period", "2023-Q1", "--workspace", ws)  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, "rank", "--period", "2023-Q1", "--workspace", ws, "--json")
    after = {r["unit_code"]: r for r in json.loads(out)}
    assert after["DV02"]["self_total"] == before["DV02"]["self_total"]
    assert after["DV02"]["appraised_total"] == before["DV02"]["appraised_total"] - 10


def test_commands_need_a_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "status", "--period", "2023-Q1")
    assert code == 2 and "dtidesk init" in err


def test_demo_runs_the_whole_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo", "--out", str(tmp_path / "demo"), "--json")
    assert code == 0
    r = json.loads(out)
    assert len(list(Path(r["templates"]).glob("*.xlsx"))) == 25
    assert r["received"] >= 20 and r["feedback"] and all(Path(p).exists() for p in r["feedback"])
    assert "Chưa nộp" in r["status"] and "Nộp muộn" in r["status"]
    ranking = list(csv.reader(Path(r["ranking_csv"]).open(encoding="utf-8-sig")))
    assert ranking[0][:3] == ["Hạng", "Mã đơn vị", "Tên đơn vị"] and len(ranking) > 15
    assert any(u["self_total"] != u["appraised_total"] for u in r["ranking"])  # the one appraisal
    assert run(capsys, "demo", "--out", str(tmp_path / "demo"))[0] == 2  # never overwrites
