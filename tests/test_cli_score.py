"""``dtidesk score``: the stateless reading + scoring of returned files, for scripts (--json)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.cli import main
from app.framework.registry import get_builtin

FIXTURES = Path(__file__).parent / "fixtures"
RETURNED = FIXTURES / "returned"
ROSTER = FIXTURES / "rosters" / "returned_units.csv"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_files_exit_0_with_every_documented_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "--framework", "svhtt-1690", "--period", "Quý I/2023", "--json",
                       str(RETURNED / "good-filled-by-script.xlsx"), str(RETURNED / "resaved-by-libreoffice.xlsx"))  # fmt: skip
    assert code == 0
    card = json.loads(out)
    assert card["period"] == "2023-Q1" and card["rejected"] == [] and card["not_counted"] == []
    fw = get_builtin("svhtt-1690")
    units = {u["unit_code"]: u for u in card["units"]}
    assert set(units) == {"DV01", "DV02"}
    u = units["DV01"]
    assert set(u) >= {"unit_code", "unit_name", "file", "identified_by", "total", "rank", "pillars", "indicators",
                      "issues"}  # fmt: skip
    assert u["identified_by"] == "metadata" and u["rank"] == 1 and units["DV02"]["rank"] == 1  # same figures
    assert set(u["pillars"]) == {g.code for g in fw.groups}
    assert round(sum(u["pillars"].values()), 2) == u["total"]
    assert set(u["indicators"]) == {i.code for i in fw.indicators}
    first = u["indicators"]["1.1"]
    assert set(first) == {"score", "max", "explain", "status"} and first["max"] == 10
    assert first["explain"].startswith("1.1:")
    assert round(sum(i["score"] for i in u["indicators"].values()), 2) == u["total"]


def test_errors_exit_1_and_are_listed_with_their_cells(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "--framework", "svhtt-1690", "--period", "2023-Q1", "--json",
                       "--roster", str(ROSTER), str(RETURNED / "errors-part-exceeds-whole-na-without-note.xlsx"))  # fmt: skip
    assert code == 1
    (unit,) = json.loads(out)["units"]
    cells = {(i["sheet"], i["cell"], i["code"]) for i in unit["issues"]}
    assert ("Phụ lục", "C9", "part-exceeds-whole") in cells
    assert ("Chỉ số", "D25", "wrong-type") in cells


def test_folder_with_unreadable_files_lists_them_as_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(RETURNED / "good-filled-by-script.xlsx", tmp_path)
    (tmp_path / "bao-cao.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    (tmp_path / "~$good-filled-by-script.xlsx").write_bytes(b"lock")  # Excel's lock file: skipped
    (tmp_path / "ghi-chu.txt").write_text("not a spreadsheet")  # not a spreadsheet in a folder: skipped
    code, out, _ = run(capsys, "score", "--framework", "svhtt-1690", "--period", "2023-Q1", "--json", str(tmp_path))
    assert code == 1
    card = json.loads(out)
    assert [u["unit_code"] for u in card["units"]] == ["DV01"]
    assert [(r["file"], r["code"]) for r in card["rejected"]] == [("bao-cao.xlsx", "not-a-workbook")]
    assert "bao-cao.xlsx" in card["rejected"][0]["message"]


def test_wrong_period_is_left_out_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "--framework", "svhtt-1690", "--period", "2023-Q1", "--json",
                       str(RETURNED / "wrong-period-2022-Q4.xlsx"))  # fmt: skip
    assert code == 1
    card = json.loads(out)
    assert card["units"] == []
    (left,) = card["not_counted"]
    assert left["unit_code"] == "DV08" and "2022-Q4" in left["reason"]


def test_table_output_is_vietnamese_and_names_cells(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "--framework", "svhtt-1690", "--period", "2023-Q1", "--roster", str(ROSTER),
                       str(RETURNED / "errors-part-exceeds-whole-na-without-note.xlsx"))  # fmt: skip
    assert code == 1
    assert "Hạng" in out and "DV12" in out and "Phụ lục!C9" in out and "[LỖI]" in out


@pytest.mark.parametrize("args", [
    ["score", "--framework", "khong-co", "--period", "2023-Q1", "x.xlsx"],
    ["score", "--framework", "svhtt-1690", "--period", "quý năm", "x.xlsx"],
    ["score", "--framework", "svhtt-1690", "--period", "2023-Q1", "khong-ton-tai.xlsx"],
    ["score", "--framework", "svhtt-1690", "--period", "2023-Q1"],
])  # fmt: skip
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2 and err


def test_feedback_workbooks_for_files_with_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    out_dir = tmp_path / "phan-hoi"
    code, out, _ = run(capsys, "score", "--framework", "svhtt-1690", "--period", "2023-Q1", "--json",
                       "--roster", str(ROSTER), "--feedback", str(out_dir),
                       str(RETURNED / "errors-part-exceeds-whole-na-without-note.xlsx"),
                       str(RETURNED / "good-filled-by-script.xlsx"))  # fmt: skip
    assert code == 1
    (written,) = json.loads(out)["feedback"]  # the clean file needs none
    assert written["unit_code"] == "DV12"
    path = Path(written["path"])
    assert path.parent == out_dir and path.name.endswith("_phan-hoi.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Cần sửa"
    assert wb["Phụ lục"]["C9"].value == 30 and wb["Phụ lục"]["C9"].comment is not None
