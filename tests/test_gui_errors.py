"""The desktop renders the core's ``UserError`` the way the CLI does (message, what to do), a bug
as an internal error naming the log; and it writes numbers the Vietnamese way."""

from __future__ import annotations

import errno
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDoubleSpinBox
from test_gui_app import ErrorCall, private_folders, shown_errors  # noqa: F401

from app.atomic import write_atomic
from app.errors import UserError
from app.gui import errors
from app.gui.chart import BarChart
from app.gui.pages.check import cents_text
from app.numbers import format_decimal_vi


def test_a_file_that_cannot_be_written_shows_the_path_and_what_to_do(
    tmp_path: Path, shown_errors: list[ErrorCall]
) -> None:
    def disk_full(path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    target = tmp_path / "bao-cao.xlsx"
    with pytest.raises(UserError) as info:
        write_atomic(target, disk_full)
    errors.report_exception(None, info.value, "Không xuất được báo cáo")
    (call,) = shown_errors
    assert str(target) in call.what_happened and "đã đầy" in call.what_happened
    assert call.what_to_do == info.value.hint and "ổ đĩa khác" in call.what_to_do


def test_any_user_error_is_shown_as_is_and_a_bug_as_an_internal_error(
    tmp_path: Path, shown_errors: list[ErrorCall]
) -> None:
    errors.report_exception(None, UserError("Thư mục X chỉ đọc.", hint="Hãy chọn thư mục khác."))
    errors.report_exception(None, KeyError("internal"))
    user, bug = shown_errors
    assert (user.what_happened, user.what_to_do) == ("Thư mục X chỉ đọc.", "Hãy chọn thư mục khác.")
    assert "internal" not in bug.what_happened + bug.what_to_do and "dtidesk.log" in bug.what_to_do


def test_scores_are_written_the_vietnamese_way(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert [cents_text(c) for c in (30467, 123450, -5, 0)] == ["304,67", "1.234,50", "-0,05", "0,00"]
    import app.gui.chart

    drawn: list[str] = []

    def spy(value: Decimal) -> str:
        drawn.append(format_decimal_vi(value))
        return drawn[-1]

    monkeypatch.setattr(app.gui.chart, "format_decimal_vi", spy)
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.set_data([("DV01", Decimal("304.67")), ("DV02", Decimal("1234.5"))])
    chart.resize(600, chart.sizeHint().height())
    chart.grab()
    assert drawn == ["1.234,50", "304,67"]


def test_the_application_reads_and_shows_decimals_with_a_comma(qtbot: Any) -> None:
    from app.gui.launch import make_app

    saved = QLocale()
    try:
        make_app([])
        spin = QDoubleSpinBox()
        spin.setDecimals(2)
        spin.setRange(0, 1000)
        assert spin.textFromValue(304.67) == "304,67" and spin.valueFromText("7,5") == 7.5
        assert Decimal(str(spin.valueFromText("7,5"))) == Decimal("7.5")
    finally:
        QLocale.setDefault(saved)
