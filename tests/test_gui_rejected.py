"""The desktop at 1366×768: unreadable files first on Tiếp nhận, their reason and every file name
readable without scrolling sideways; the dashboard and the audit tab word them as the CLI does."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt
from test_gui_app import ErrorCall, page, private_folders, shown_errors, wait_idle, window  # noqa: F401

from app.demo.roster import write_roster_csv
from app.gui.mainwindow import MainWindow
from app.gui.pages.check import audit_row
from app.gui.pages.dashboard import DashboardPage
from app.gui.pages.intake import IntakePage
from app.gui.pages.periods import PeriodsPage
from app.gui.pages.units import UnitsPage

FIXTURES = Path(__file__).parent / "fixtures"
LONG_NAME = "2023-Q1_DV11_Trung-tam-Phat-hanh-phim-va-Chieu-bong-Thanh-pho-Ho-Chi-Minh_ban-chinh-thuc-lan-2.xlsx"


def test_unreadable_files_come_first_with_their_reason_and_names_in_full(
    window: MainWindow, tmp_path: Path, qtbot: Any, shown_errors: list[ErrorCall]
) -> None:
    window.resize(1366, 768)
    assert window.create_workspace(tmp_path / "ws")
    page(window, UnitsPage).import_roster(write_roster_csv(tmp_path / "r.csv"))
    assert page(window, PeriodsPage).add_period("Quý I/2023", "svhtt-1690") is not None
    box = tmp_path / "inbox"
    box.mkdir()
    shutil.copy(FIXTURES / "unusable" / "password-protected.xlsx", box / LONG_NAME)
    shutil.copy(FIXTURES / "unusable" / "not-a-workbook-pdf-renamed.xlsx", box / "scan.xlsx")
    intake = page(window, IntakePage)
    intake.receive_paths([box])
    wait_idle(qtbot, window)
    qtbot.wait(50)
    table, proxy = intake.table, intake.proxy
    first = [proxy.index(r, 2).data() for r in range(2)]
    assert first == ["Tệp không đọc được", "Chưa nộp (đã gửi tệp không đọc được)"]  # before the 24 missing units
    assert proxy.index(1, 0).data() == "DV11" and proxy.index(1, 6).data() == LONG_NAME
    reason = proxy.index(1, 7).data()
    assert "đặt mật khẩu" in reason and proxy.index(1, 7).data(Qt.ItemDataRole.ToolTipRole) == reason
    # nothing to scroll sideways: every column within the view, long texts wrapped onto more lines
    assert table.horizontalScrollBar().maximum() == 0 or not table.horizontalScrollBar().isVisible()
    header = table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(header.count())) <= table.viewport().width()
    metrics = table.fontMetrics()
    row_height = table.rowHeight(1)
    for column, text in ((6, LONG_NAME), (7, reason)):
        width = header.sectionSize(column)
        assert width >= 120, (column, width)
        needed = metrics.boundingRect(0, 0, width - 8, 10_000, int(Qt.TextFlag.TextWrapAnywhere), text).height()
        assert row_height >= min(needed, 10 * metrics.height()), (column, row_height, needed)
    assert row_height > 2 * metrics.height()  # wrapped, not cut to one line
    assert "trước 00g00 ngày 20/04/2023" in intake.deadline.text()
    # the dashboard counts DV11 among "chưa nộp" and names it
    dash = page(window, DashboardPage)
    dash.today = date(2030, 1, 1)  # long after: the final tally, not "đã quá hạn 2448 ngày"
    dash.refresh()
    assert dash.counts is not None and (dash.counts.missing, dash.counts.rejected_files) == (25, 2)
    assert dash.deadline.text().endswith("kết quả: đúng hạn 0, nộp muộn 0, chưa nộp 25")
    assert "ngày (" not in dash.deadline.text() and "quá hạn" not in dash.deadline.text()
    assert "Chưa nộp (đã gửi tệp không đọc được) (1):</b> DV11" in dash.attention.text()
    assert dash.cards["missing"].caption.text() == "Chưa nộp"
    # the audit tab words the rejection as dtidesk audit does: the Vietnamese reason, no code
    from app.workspace import audit_log

    assert window.ws is not None
    rows = [audit_row(e) for e in audit_log(window.ws, "2023-Q1") if e.action == "reject"]
    assert {r.action for r in rows} == {"Tệp không đọc được"}
    assert any("đặt mật khẩu" in r.details and "(tệp của đơn vị DV11)" in r.details for r in rows)
    assert not any("password-protected" in r.details or "not-a-workbook" in r.details for r in rows)
    assert shown_errors == []
