"""Tệp → Sao lưu ngay / Kiểm tra thư mục làm việc / Khôi phục từ bản sao lưu, through the real window."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from test_gui_app import ErrorCall, page, setup_period, shown_errors, wait_idle, window  # noqa: F401

from app.gui import errors
from app.gui.mainwindow import MainWindow
from app.gui.pages.intake import IntakePage
from app.workspace.backup import list_backups


@pytest.fixture
def infos(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []

    def record(parent: Any, title: str, text: str) -> None:
        said.append(text)

    monkeypatch.setattr(errors, "tell", record)
    return said


def test_backup_check_and_restore_from_the_menu(
    window: MainWindow,
    tmp_path: Path,
    qtbot: Any,
    shown_errors: list[ErrorCall],
    infos: list[str],
) -> None:
    folder = setup_period(window, tmp_path, qtbot)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for template in sorted((folder / "templates" / "2023-Q1").glob("*.xlsx"))[:3]:
        (inbox / template.name).write_bytes(template.read_bytes())
    assert page(window, IntakePage).receive_paths([inbox]) is not None
    wait_idle(qtbot, window)

    window.backup_action.trigger()
    wait_idle(qtbot, window)
    made = [b for b in list_backups(folder) if b.reason == "thu-cong"]
    assert len(made) == 1 and str(made[0].path) in infos[-1]

    window.check_action.trigger()
    wait_idle(qtbot, window)
    assert "nguyên vẹn" in infos[-1] and not shown_errors

    original = sorted((folder / "received").glob("*.xlsx"))[0]
    os.chmod(original, 0o644)
    original.write_bytes(original.read_bytes() + b"x")
    window.check_action.trigger()
    wait_idle(qtbot, window)
    assert shown_errors and "đã bị thay đổi" in shown_errors[-1].what_happened

    window.restore_into(made[0].path, tmp_path / "restored")
    wait_idle(qtbot, window)  # the restored workspace opens just after the job has ended
    qtbot.waitUntil(lambda: window.folder == (tmp_path / "restored").resolve(), timeout=10_000)
    assert len(list((tmp_path / "restored" / "received").glob("*.xlsx"))) == 3
