"""What a person reads from ``dtidesk``: Vietnamese help and argument errors, numbers written
304,67, and every failure a Vietnamese message (a user error exits 1 or 2, a bug exits 70 with its
traceback in the log file, never on the screen)."""

from __future__ import annotations

import argparse
import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from app.cli import build_parser, main
from app.cli import frameworks as cli
from app.errors import EXIT_INTERNAL

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent

#: argparse's own English, none of which may reach the user
ENGLISH = ["usage:", "options:", "positional arguments", "optional arguments", "show this help message",
           "the following arguments are required", "invalid choice", "choose from", "unrecognized arguments",
           "expected one argument", "error:", "invalid int value", "show program's version"]  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def no_english(text: str) -> None:
    found = [phrase for phrase in ENGLISH if phrase.casefold() in text.casefold()]
    assert not found, (found, text)


def all_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found += all_parsers(sub)
    return found


# --- help, usage and argument errors ------------------------------------------------------------------


def test_every_command_help_is_vietnamese_and_every_argument_has_a_one_line_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parsers = all_parsers(build_parser())
    assert len(parsers) >= 20
    for parser in parsers:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help and "\n" not in action.help, (parser.prog, action.dest)
        args = [*parser.prog.split()[1:], "--help"]
        code, out, err = run(capsys, *args)
        assert code == 0 and out.startswith("Cách dùng: dtidesk") and "-h, --help  " in out, (args, out)
        assert "xem hướng dẫn này rồi thoát" in out
        no_english(out + err)
    top = build_parser().format_help()
    assert "Tuỳ chọn:" in top and "Lệnh:" in top and "xem số phiên bản rồi thoát" in top


@pytest.mark.parametrize(("args", "says"), [
    (["rank"], "thiếu đối số bắt buộc: --period"),
    (["score"], "thiếu đối số bắt buộc: TỆP_HOẶC_THƯ_MỤC, --framework, --period"),
    (["frobnicate"], "lựa chọn không hợp lệ: 'frobnicate' (chọn một trong: 'frameworks'"),
    (["period", "bogus"], "lựa chọn không hợp lệ: 'bogus'"),
    (["rank", "--period"], "đối số --period: cần một giá trị"),
    (["rank", "--period", "2023-Q1", "--bogus"], "đối số không hiểu được: --bogus"),
    (["audit", "--limit", "x"], "đối số --limit: “x” không phải một số nguyên"),
])  # fmt: skip
def test_argument_errors_are_vietnamese_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("Cách dùng: dtidesk") and says in err and "lỗi:" in err and "--help" in err, err
    no_english(err)


def test_the_program_itself_answers_in_vietnamese() -> None:
    done = subprocess.run([sys.executable, "-m", "app", "status"], capture_output=True, cwd=ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})  # fmt: skip
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "thiếu đối số bắt buộc: --period" in err
    no_english(err)


def test_argparse_elsewhere_in_the_process_keeps_its_own_words() -> None:
    build_parser().format_help()
    other = argparse.ArgumentParser(prog="other")
    assert "usage: other" in other.format_help() and "show this help message" in other.format_help()


# --- numbers for people ----------------------------------------------------------------------------------


@pytest.fixture
def scored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    ws = str(tmp_path / "ws")
    assert run(capsys, "init", ws)[0] == 0
    assert run(capsys, "units", "import", str(FIXTURES / "rosters" / "returned_units.csv"), "--workspace", ws)[0] == 0
    assert run(capsys, "period", "add", "2023-Q1", "--framework", "svhtt-1690", "--workspace", ws)[0] == 0
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "returned" / "good-filled-by-script.xlsx", inbox)
    run(capsys, "ingest", str(inbox), "--period", "2023-Q1", "--workspace", ws)
    return ws


def test_rank_text_writes_numbers_the_vietnamese_way_and_json_keeps_a_dot(scored: str,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, out, _ = run(capsys, "rank", "--period", "2023-Q1", "--workspace", scored)
    assert code == 0
    line = next(row for row in out.splitlines() if "DV01" in row)
    assert re.search(r"\b\d{1,3},\d\d\b.*\b\d{1,3},\d\d\b", line) and not re.search(r"\d\.\d\d\b", line), line
    code, out, _ = run(capsys, "rank", "--period", "2023-Q1", "--workspace", scored, "--json")
    total = next(r for r in json.loads(out) if r["unit_code"] == "DV01")["appraised_total"]
    assert isinstance(total, float) and f"{total:.2f}".replace(".", ",") in line


def test_score_text_writes_the_total_with_a_comma(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "score",
        "--framework",
        "svhtt-1690",
        "--period",
        "2023-Q1",
        str(FIXTURES / "returned" / "good-filled-by-script.xlsx"),
    ]
    code, out, _ = run(capsys, *args)
    total = json.loads(run(capsys, *args, "--json")[1])["units"][0]["total"]
    line = next(row for row in out.splitlines() if "DV01" in row)
    assert code == 0 and f" {total:.2f}".replace(".", ",") in line and f"{total:.2f}" not in line, line


# --- failures: a user error is a message, a bug an internal error ----------------------------------------


def test_a_bug_is_an_internal_error_logged_with_its_traceback_not_wrong_usage(
        scored: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("DTIDESK_DATA_DIR", str(tmp_path / "data"))
    import app.workspace

    def buggy(*args: object, **kwargs: object) -> object:
        return {}["a key a bug forgot"]

    monkeypatch.setattr(app.workspace, "rank", buggy)
    code, out, err = run(capsys, "rank", "--period", "2023-Q1", "--workspace", scored)
    log = tmp_path / "data" / "logs" / "dtidesk.log"
    assert code == EXIT_INTERNAL == 70 and out == ""
    assert err.startswith("Lỗi nội bộ") and str(log) in err and "Traceback" not in err and "KeyError" not in err
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "KeyError: 'a key a bug forgot'" in logged and "dtidesk rank" in logged


def test_a_wrong_request_is_still_a_vietnamese_message_with_exit_2(
    scored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "rank", "--period", "2099-Q4", "--workspace", scored)
    assert code == 2 and "chưa được tạo" in err and "Traceback" not in err
    code, _, err = run(capsys, "rank", "--period", "quý chín", "--workspace", scored)
    assert code == 2 and "Kỳ báo cáo không hợp lệ" in err


def left_behind(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".tmp-*"))


def test_a_report_target_that_is_a_folder(scored: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "out.xlsx"
    folder.mkdir()
    code, out, err = run(capsys, "report", "--period", "2023-Q1", "--workspace", scored, "--out", str(folder))
    assert code == 1 and out == "" and str(folder) in err and "là một thư mục" in err and "Hãy ghi tên tệp" in err
    assert list(folder.iterdir()) == [] and "Traceback" not in err


def test_a_report_target_under_a_regular_file(scored: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "somefile").write_text("x")
    target = tmp_path / "somefile" / "x.xlsx"
    code, _, err = run(capsys, "report", "--period", "2023-Q1", "--workspace", scored, "--out", str(target))
    assert code == 1 and str(target.parent) in err and "không phải thư mục" in err and "Traceback" not in err


def test_a_report_folder_without_write_permission(scored: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    # the tests run as root, where chmod 0555 does not stop writing: the refusal is simulated where
    # the output's temporary file is created, as a read-only share refuses it
    def refuse(*args: object, **kwargs: object) -> object:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    target = tmp_path / "share" / "bao-cao.xlsx"
    code, _, err = run(capsys, "report", "--period", "2023-Q1", "--workspace", scored, "--out", str(target))
    assert code == 1 and str(target.parent) in err and "không có quyền ghi" in err and "chọn thư mục khác" in err


def test_a_full_disk_leaves_nothing_partial(scored: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import xlsxwriter.workbook

    def disk_full(self: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", disk_full)
    target = tmp_path / "out" / "bao-cao.xlsx"
    code, _, err = run(capsys, "report", "--period", "2023-Q1", "--workspace", scored, "--out", str(target))
    assert code == 1 and str(target.parent) in err and "ổ đĩa" in err and "đã đầy" in err and "Traceback" not in err
    assert not target.exists() and left_behind(tmp_path) == []


def test_keyboard_interrupt_is_a_short_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(args: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_frameworks_list", interrupted)
    code, _, err = run(capsys, "frameworks", "list")
    assert code == 130 and "Đã dừng" in err
