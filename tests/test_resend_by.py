"""The feedback workbook asks for the corrected file by its own date, never by the period's deadline
(which has usually passed when feedback is written): ``--resend-by``, by default
``RESEND_WORKING_DAYS`` working days (Monday–Friday) after the day it is written."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.framework.registry import get_builtin
from app.period import RESEND_WORKING_DAYS, deadline_vi, default_resend_by, working_days_after
from app.workbook.feedback import FEEDBACK, render_feedback
from app.workbook.issues import Issue, Severity
from app.workbook.template import INSTRUCTIONS

RETURNED = Path(__file__).parent / "fixtures" / "returned"
FRIDAY = datetime(2023, 5, 5, 16, 30)  # long after Quý I/2023's deadline, 20/04/2023
PROBLEM = Issue(code="odd", severity=Severity.ERROR, message="Giá trị lạ.", file="x.xlsx", unit="DV01")


def texts(data: bytes | Path) -> list[str]:
    wb = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data, read_only=True)
    return [str(c) for title in (FEEDBACK, INSTRUCTIONS) for row in wb[title].iter_rows(values_only=True)
            for c in row if isinstance(c, str)]  # fmt: skip


def test_working_days_skip_the_weekend() -> None:
    assert RESEND_WORKING_DAYS == 5
    assert default_resend_by(date(2023, 5, 5)) == date(2023, 5, 12)  # Friday → the next Friday
    assert default_resend_by(date(2023, 5, 6)) == date(2023, 5, 12)  # Saturday: Mon–Fri of the next week
    assert working_days_after(date(2023, 5, 4), 1) == date(2023, 5, 5)
    assert working_days_after(date(2023, 5, 5), 1) == date(2023, 5, 8)
    assert deadline_vi(date(2023, 5, 12)) == "trước 00g00 ngày 12/05/2023"


def test_feedback_written_on_a_friday_asks_for_the_file_five_working_days_later() -> None:
    data = render_feedback(get_builtin("svhtt-1690"), "DV01", "Thư viện", "2023-Q1", "Quý I năm 2023", {},
                           [PROBLEM], now=FRIDAY)  # fmt: skip
    found = texts(data)
    assert any(t.endswith("gửi lại tệp này trước 00g00 ngày 12/05/2023.") for t in found), found[:6]
    assert any("Hạn gửi: trước 00g00 ngày 12/05/2023." in t for t in found)
    assert not any("20/04/2023" in t for t in found)  # the period's deadline, long passed


def test_an_explicit_resend_date_is_the_one_in_the_workbook() -> None:
    data = render_feedback(get_builtin("svhtt-1690"), "DV01", "Thư viện", "2023-Q1", "Quý I năm 2023", {},
                           [PROBLEM], now=FRIDAY, resend_by=date(2023, 5, 19))  # fmt: skip
    found = texts(data)
    assert any(t.endswith("trước 00g00 ngày 19/05/2023.") for t in found)
    assert not any("12/05/2023" in t for t in found)


def _score(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str], str]:
    out = tmp_path / "phan-hoi"
    code = main(["score", "--framework", "svhtt-1690", "--period", "2023-Q1", "--feedback", str(out), *extra,
                 str(RETURNED / "errors-part-exceeds-whole-na-without-note.xlsx")])  # fmt: skip
    err = capsys.readouterr().err
    files = sorted(out.glob("*.xlsx")) if out.exists() else []
    return code, [t for f in files for t in texts(f)], err


def test_score_feedback_takes_resend_by_and_defaults_to_working_days(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    chosen = date.today() + timedelta(days=30)
    code, found, _ = _score(tmp_path / "a", capsys, "--resend-by", f"{chosen:%d/%m/%Y}")
    assert code == 1 and found  # the file has errors; its feedback was written
    assert any(t.endswith(f"gửi lại tệp này {deadline_vi(chosen)}.") for t in found)
    _, found, _ = _score(tmp_path / "b", capsys)
    assert any(t.endswith(f"gửi lại tệp này {deadline_vi(default_resend_by(date.today()))}.") for t in found)


@pytest.mark.parametrize("given", ["01/01/2020", "31/02/2030", "mai"])
def test_a_passed_or_unreadable_resend_date_is_refused_in_vietnamese(given: str, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, _, err = _score(tmp_path, capsys, "--resend-by", given)
    assert code == 2 and "--resend-by" in err
    assert ("đã qua" in err) if given == "01/01/2020" else ("không hợp lệ" in err and "12/05/2023" in err)
    assert not (tmp_path / "phan-hoi").exists()


@pytest.mark.parametrize("command", ["score", "demo"])
def test_the_help_states_the_default(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--resend-by" in out and f"{RESEND_WORKING_DAYS} ngày làm việc" in out
