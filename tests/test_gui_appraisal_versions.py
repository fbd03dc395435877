"""The desktop when someone else appraised the same indicator meanwhile (issue 22): told, reloaded, nothing lost.

The check page remembers the version of each indicator it shows and passes it with the change; a
colleague's change in between (a second connection to the same workspace, as a second PC) makes
the save refused with the Vietnamese message, and the page then shows the colleague's figure.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from test_gui_app import ErrorCall, page, private_folders, shown_errors, wait_idle, window  # noqa: F401
from test_gui_steps import PERIOD, demo_workspace, opened  # noqa: F401

from app.gui.mainwindow import MainWindow
from app.gui.pages.check import CheckPage
from app.workspace import Workspace, appraisals, appraise


def test_a_colleagues_change_meanwhile_is_kept_and_shown(opened: MainWindow, qtbot: Any,
                                                         shown_errors: list[ErrorCall]) -> None:  # fmt: skip
    assert opened.reopen_period("Thẩm định bổ sung sau khi công bố.")
    check = page(opened, CheckPage)
    opened.go_to("check")
    unit = check.units_model.items[-1].unit_code
    assert check.select_unit(unit)
    check.tabs.setCurrentIndex(1)
    assert check.select_indicator("1.2")
    dialog = check.open_appraisal()
    assert dialog is not None and dialog.isVisible()
    dialog.score_radio.setChecked(True)
    dialog.score_spin.setValue(1.5)
    dialog.reason_edit.insert("Hồ sơ kiểm chứng chỉ có 3 văn bản")

    assert opened.folder is not None
    with Workspace.open(opened.folder) as colleague:  # another PC saves first
        theirs = appraise(colleague, PERIOD, unit, "1.2", score="2", reason="Đã đối chiếu biên bản", who="minh@PC-2")
    dialog.ok_button.click()

    assert [e.title for e in shown_errors] == ["Người khác vừa sửa chỉ tiêu này"]
    message = shown_errors[0].what_happened
    assert message.startswith(f"Người khác vừa sửa chỉ tiêu 1.2 của đơn vị {unit}") and "minh@PC-2" in message
    assert "tải lại" in message
    assert opened.ws is not None
    assert [(a.id, a.who) for a in appraisals(opened.ws, PERIOD, unit) if a.indicator == "1.2"] == [
        (theirs.id, "minh@PC-2")]  # fmt: skip
    row = next(r for r in check.indicators_model.items if r.code == "1.2")  # reloaded: the colleague's score
    assert row.cents == 200 and row.appraised
    assert check.shown_versions["1.2"] == theirs.version == 1

    # now seen, the change can be made on top of it
    assert check.save_appraisal(unit, "1.2", {"score": "1,5", "reason": "Hồ sơ kiểm chứng chỉ có 3 văn bản"})
    assert next(r for r in check.indicators_model.items if r.code == "1.2").cents == 150
    assert len(shown_errors) == 1


def test_a_workspace_on_a_network_drive_is_opened_with_a_warning(window: MainWindow, qtbot: Any, tmp_path: Any,
                                                                  shown_errors: list[ErrorCall],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.workspace import location

    Workspace.create(tmp_path / "ws").close()
    monkeypatch.setattr(location, "network_location",
                        lambda folder: location.NetworkLocation("mapped-drive", "Z:"))  # fmt: skip
    assert window.open_workspace(tmp_path / "ws")  # opened all the same: only a warning
    assert "ổ mạng Z:" in window.location_warning and "postgresql://" in window.location_warning
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert [f"{b.text()}\n{b.informativeText()}" for b in boxes] == [window.location_warning]
    assert not boxes[0].isModal() and shown_errors == []
    boxes[0].close()
    monkeypatch.setattr(location, "network_location", lambda folder: None)
    assert window.open_workspace(tmp_path / "ws") and window.location_warning == ""
