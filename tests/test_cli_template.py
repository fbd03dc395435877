"""``dtidesk template``: one file per unit in a folder for the period, with usable exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.cli import main

ROSTERS = Path(__file__).parent / "fixtures" / "rosters"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_one_template_per_unit_in_the_period_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "template", "--framework", "svhtt-1690", "--period", "Quý I/2023",
                       "--roster", str(ROSTERS / "svhtt_sample.csv"), "--out", str(tmp_path), "--json")  # fmt: skip
    assert code == 0
    report = json.loads(out)
    files = [Path(f["path"]) for f in report["files"]]
    assert report["period"] == "2023-Q1" and len(files) == 8
    assert all(f.parent == tmp_path / "2023-Q1" and f.name.startswith("2023-Q1_DV0") for f in files)
    assert files[0].name == "2023-Q1_DV01_Thu-vien-Khoa-hoc-Tong-hop.xlsx"
    assert sorted(p.name for p in (tmp_path / "2023-Q1").iterdir()) == sorted(f.name for f in files)  # no temp left
    wb = load_workbook(files[1])
    meta = {r[0].value: r[1].value for r in wb["_meta"].iter_rows()}
    assert (meta["unit_code"], meta["period"], meta["framework_id"]) == ("DV02", "2023-Q1", "svhtt-1690")
    texts = [c.value for row in wb["Hướng dẫn"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("Hạn gửi: trước 00g00 ngày 20/04/2023" in t for t in texts)  # Q1/2023: CV 1690 mục 3.2


def test_only_the_units_asked_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "template", "--framework", "hcm-dti-so-2023", "--period", "2023-Q2", "--roster",
                       str(ROSTERS / "svhtt_sample.csv"), "--out", str(tmp_path), "--unit", "dv03",
                       "--deadline", "15/06/2023", "--send-to", "vanphong@example.vn")  # fmt: skip
    assert code == 0 and "Đã tạo 1 biểu mẫu" in out
    (only,) = (tmp_path / "2023-Q2").iterdir()
    assert only.name.startswith("2023-Q2_DV03_")
    code, _, err = run(capsys, "template", "--framework", "hcm-dti-so-2023", "--period", "2023-Q2", "--roster",
                       str(ROSTERS / "svhtt_sample.csv"), "--out", str(tmp_path), "--unit", "DV99")  # fmt: skip
    assert code == 2 and "DV99".casefold() in err.casefold()


@pytest.mark.parametrize(
    ("args", "exit_code", "says"),
    [
        (["--period", "2023-Q5"], 2, "Kỳ báo cáo không hợp lệ"),
        (["--framework", "khong-co"], 2, "Không có bộ chỉ số"),
        (["--roster", "duplicate_codes.csv"], 1, "duplicate_codes.csv, ô A"),
        (["--deadline", "31/02/2023"], 2, "Hạn gửi không hợp lệ"),
    ],
)
def test_bad_input_gets_a_vietnamese_message_and_an_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], exit_code: int, says: str
) -> None:
    given = {"--framework": "svhtt-1690", "--period": "2023-Q1", "--roster": "svhtt_sample.csv", "--out": str(tmp_path)}
    extra: list[str] = []
    for i in range(0, len(args), 2):
        if args[i] in given:
            given[args[i]] = args[i + 1]
        else:
            extra += args[i : i + 2]
    given["--roster"] = str(ROSTERS / given["--roster"])
    argv = ["template"] + [x for kv in given.items() for x in kv] + extra
    code, _, err = run(capsys, *argv)
    assert code == exit_code and says in err
    assert not (tmp_path / "2023-Q1").exists() or not any((tmp_path / "2023-Q1").iterdir())
