"""``dtidesk frameworks …`` as a user and a script see it: output, JSON and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "fixtures" / "frameworks"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_the_three_builtins(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "frameworks", "list", "--json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    assert set(rows) == {"hcm-dti-so-2023", "hcm-dti-quan-2023", "svhtt-1690"}
    assert (rows["hcm-dti-so-2023"]["groups"], rows["hcm-dti-so-2023"]["indicators"],
            rows["hcm-dti-so-2023"]["total"]) == (6, 32, 330)  # fmt: skip
    code, out, _ = run(capsys, "frameworks", "list")
    assert code == 0 and "hcm-dti-quan-2023" in out and "660" in out


@pytest.mark.parametrize(("fid", "groups", "indicators", "total"),
                         [("hcm-dti-so-2023", 6, 32, 330), ("hcm-dti-quan-2023", 9, 51, 660),
                          ("svhtt-1690", 6, 32, 330)])  # fmt: skip
def test_show_json_counts(capsys: pytest.CaptureFixture[str], fid: str, groups: int,
                          indicators: int, total: int) -> None:  # fmt: skip
    code, out, _ = run(capsys, "frameworks", "show", fid, "--json")
    assert code == 0
    data = json.loads(out)
    assert (len(data["groups"]), len(data["indicators"]), data["total"]) == (groups, indicators, total)
    assert sum(g["max"] for g in data["groups"]) == total
    assert sum(i["max"] for i in data["indicators"]) == total
    for ind in data["indicators"]:
        assert {"code", "title", "max", "group", "rule", "inputs", "allow_na"} <= set(ind)
        assert ind["rule"]["kind"]
        for spec in ind["inputs"]:
            assert {"name", "label", "type"} <= set(spec)
            if spec["type"] == "choice":
                assert all({"label", "fraction"} <= set(o) for o in spec["options"])


def test_show_json_rule_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "frameworks", "show", "hcm-dti-quan-2023", "--json")
    ind = {i["code"]: i for i in json.loads(out)["indicators"]}
    assert ind["9.1"]["inputs"][0]["options"] == [
        {"label": "Đã triển khai", "fraction": 1},
        {"label": "Đang triển khai", "fraction": 0.5},
        {"label": "Chưa triển khai", "fraction": 0},
    ]
    assert ind["6.4"]["rule"] == {"kind": "ratio_target", "numerator": ["b"], "denominator": ["a"],
                                  "target": 0.9}  # fmt: skip
    assert ind["3.1"]["rule"]["bands"][0] == {"from": 0.8, "from_inclusive": False, "to": None,
                                              "to_inclusive": True, "fraction": 1}  # fmt: skip
    assert ind["8.5"]["rule"] == {"kind": "capped_count", "input": "a", "points_each": 1}


def test_show_unknown_id_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "frameworks", "show", "no-such-id")
    assert code == 2 and "no-such-id" in err


def test_check_passes_shipped_files(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in (ROOT / "workbook_templates" / "frameworks").glob("*.yaml"))
    code, out, _ = run(capsys, "frameworks", "check", *files)
    assert code == 0
    assert out.count("ĐẠT / OK") == 3


def test_check_fails_with_located_messages(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "frameworks", "check", str(BROKEN / "totals-do-not-add-up.yaml"))
    assert code == 1
    assert "totals-do-not-add-up.yaml:10:43 groups[1].max: LỖI [group-total-mismatch]" in out
    code, out, _ = run(capsys, "frameworks", "check", "--json", str(BROKEN / "repeated-codes.yaml"))
    assert code == 1
    report = json.loads(out)[0]
    assert report["ok"] is False and report["errors"] == 4
    assert report["problems"][0]["line"] == 10


def test_check_missing_file_is_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "frameworks", "check", str(tmp_path / "missing.yaml"))
    assert code == 2 and "missing.yaml" in err


def test_cli_survives_a_cp1252_console() -> None:
    """A Windows console in cp1252 cannot encode Vietnamese; the CLI must not crash there."""
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "app.cli", "frameworks", "show", "hcm-dti-so-2023"],
                          capture_output=True, env=env, cwd=ROOT, timeout=60)  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert "Nhận thức số".encode() in proc.stdout
