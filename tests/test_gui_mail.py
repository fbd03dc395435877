"""The desktop and e-mail (issue 18): e-mails dropped on Tiếp nhận, "Soạn thư" on Tạo biểu mẫu and Kiểm tra."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from test_gui_app import page, private_folders, shown_errors, wait_idle, window  # noqa: F401

from app.gui.mainwindow import MainWindow
from app.gui.pages.intake import IntakePage
from app.gui.pages.periods import PeriodsPage
from app.gui.pages.templates import TemplatesPage
from app.gui.pages.units import UnitsPage

MAIL = Path(__file__).parent / "fixtures" / "mail"
ROSTER = Path(__file__).parent / "fixtures" / "rosters" / "mail_units.csv"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch, window: MainWindow) -> list[Path]:
    calls: list[Path] = []
    monkeypatch.setattr(window, "open_in_system", lambda p: calls.append(Path(p)))
    return calls


def test_dropped_emails_are_received_and_drafts_written(window: MainWindow, tmp_path: Path, qtbot: Any,
                                                        opened: list[Path]) -> None:  # fmt: skip
    assert window.create_workspace(tmp_path / "ws")
    page(window, UnitsPage).import_roster(ROSTER)
    page(window, PeriodsPage).add_period("2023-Q2", "svhtt-1690")
    intake = page(window, IntakePage)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(MAIL / n)) for n in ("date-utc-late.eml", "two-units-one-email.eml")])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)  # fmt: skip
    intake.drop_zone.dropEvent(event)
    assert event.isAccepted()
    wait_idle(qtbot, window)
    assert intake.summary.text() == "Đã nhận 3 tệp mới từ 2 thư, 0 tệp không đọc được, 0 tệp đã có."
    late = next(r for r in intake.model.items if r.unit_code == "DV09")
    assert late.on_time is False and late.received_from == "mail"

    templates = page(window, TemplatesPage)
    templates.mail_button.click()
    wait_idle(qtbot, window)
    folder = tmp_path / "ws" / "mail" / "2023-Q2" / "gui-bieu-mau"
    assert opened == [folder]
    drafts = sorted(folder.glob("*.eml"))
    assert len(drafts) == 12
    msg = email.message_from_bytes(drafts[0].read_bytes(), policy=email.policy.default)
    assert msg["To"].addresses[0].addr_spec == "vanthu.dv01@donvi.example"  # type: ignore[attr-defined]
    assert "Soạn" not in templates.result_label.text() and "12 thư" in templates.result_label.text()
