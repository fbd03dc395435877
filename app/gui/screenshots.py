"""Screenshots of each step for the documentation: ``python -m app.gui.screenshots [FOLDER] [--scale 1.5]``.

Runs the real window offscreen on a throw-away workspace with the sample roster and the sample
units' filled workbooks (``app.demo``), and saves one picture per page into ``docs/screenshots``
by default: the window fills a 1366×768 screen, the common office laptop. ``--scale 1.5`` takes
the same pictures at 150 % display scaling (Windows' default on many such laptops): the window is
911×512 logical pixels, 1366×768 on screen, saved into ``docs/screenshots/150``. Settings and logs
go to the temporary folder too.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

#: the screen the pictures show, in device pixels
SCREEN = (1366, 768)


def take(out: Path, scale: float = 1.0) -> list[Path]:
    tmp = Path(tempfile.mkdtemp(prefix="dtidesk-shots-"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if scale != 1.0:  # before the application exists: Qt reads it once
        os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"
    os.environ["DTIDESK_CONFIG_DIR"] = str(tmp / "config")
    os.environ["DTIDESK_DATA_DIR"] = str(tmp / "data")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.demo.fill import simulate
    from app.demo.roster import SAMPLE_UNITS, write_roster_csv
    from app.framework import get_builtin
    from app.period import parse_period

    from .launch import make_app
    from .mainwindow import MainWindow
    from .pages.check import CheckPage
    from .pages.dashboard import DashboardPage
    from .pages.history import HistoryPage
    from .pages.intake import IntakePage
    from .pages.periods import PeriodsPage
    from .pages.ranking import RankingPage
    from .pages.reports import ReportsPage
    from .pages.templates import TemplatesPage
    from .pages.units import UnitsPage
    from .settings import Settings

    app = make_app([])
    window = MainWindow(Settings())
    window.loader.wait = True  # each page filled before it is grabbed
    window.resize(round(SCREEN[0] / scale), round(SCREEN[1] / scale))
    window.show()
    shots: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 50) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_idle() -> None:
        while window.busy():
            settle(50)
        settle()

    def shot(key: str, name: str) -> None:
        window.go_to(key)
        settle()
        path = out / name
        window.grab().save(str(path))
        shots.append(path)

    shot("dashboard", "00-chao-mung.png")
    window.create_workspace(tmp / "SVHTT-DTI")
    pages = window.pages
    units = pages["units"]
    assert isinstance(units, UnitsPage)
    units.import_roster(write_roster_csv(tmp / "danh-sach-don-vi.csv"))
    shot("units", "02-don-vi.png")
    if window.ws is not None:  # the quarter before, received earlier: the history page compares with it
        from datetime import datetime

        from app.workspace import add_period, ingest

        add_period(window.ws, "2022-Q4", "svhtt-1690")
        simulate(get_builtin("svhtt-1690"), parse_period("2022-Q4"), SAMPLE_UNITS, tmp / "quy-4-2022", seed=11)
        ingest(window.ws, "2022-Q4", [tmp / "quy-4-2022"], received=datetime(2023, 1, 10, 9, 0))
    periods = pages["periods"]
    assert isinstance(periods, PeriodsPage)
    periods.add_period("2023-Q1", "svhtt-1690")
    periods.code_edit.setText("Quý II/2023")
    shot("periods", "03-ky-bao-cao.png")
    templates = pages["templates"]
    assert isinstance(templates, TemplatesPage)
    templates.generate()
    wait_idle()
    shot("templates", "04-tao-bieu-mau.png")
    inbox = tmp / "thu-nhan-tu-email"
    simulate(get_builtin("svhtt-1690"), parse_period("2023-Q1"), SAMPLE_UNITS, inbox)
    intake = pages["intake"]
    assert isinstance(intake, IntakePage)
    intake.receive_paths([inbox])
    wait_idle()
    shot("intake", "05-tiep-nhan.png")
    dashboard = pages["dashboard"]
    assert isinstance(dashboard, DashboardPage)
    dashboard.today = date(2023, 4, 25)  # a few days after the Q1/2023 deadline, as the office would see it
    dashboard.refresh()
    shot("dashboard", "01-tong-quan.png")
    check = pages["check"]
    assert isinstance(check, CheckPage)
    window.go_to("check")  # read before choosing a unit in it
    statuses = check.units_model.items
    messy = max(statuses, key=lambda s: (s.errors > 0, s.warnings, s.errors)) if statuses else None
    if messy is not None:
        check.select_unit(messy.unit_code)
    shot("check", "06-kiem-tra.png")
    if messy is not None and window.ws is not None and window.period is not None:
        from app.workspace import appraise

        appraise(window.ws, window.period, messy.unit_code, "1.2", score="1.5",
                 reason="Hồ sơ kiểm chứng chỉ có 3 văn bản được ban hành trong kỳ.", who="chuyenvien")  # fmt: skip
        window.data_changed.emit()
        check.tabs.setCurrentIndex(1)
        check.select_indicator("1.2")
    shot("check", "07-tham-dinh.png")
    ranking = pages["ranking"]
    assert isinstance(ranking, RankingPage)
    window.go_to("ranking")
    if ranking.proxy.rowCount() > 2:
        ranking.table.setCurrentIndex(ranking.proxy.index(2, 0))
    shot("ranking", "08-xep-hang.png")
    reports = pages["reports"]
    assert isinstance(reports, ReportsPage)
    target = reports.default_path()
    if target is not None:
        reports.export(target)
        wait_idle()
    shot("reports", "09-bao-cao.png")
    history = pages["history"]
    assert isinstance(history, HistoryPage)
    window.go_to("history")
    settle()
    if history.proxy.rowCount() > 3:
        history.table.setCurrentIndex(history.proxy.index(3, 0))
    shot("history", "10-lich-su-diem.png")
    window.close()
    app.processEvents()
    QApplication.processEvents()
    return shots


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m app.gui.screenshots",
                                     description="Ảnh chụp từng trang của chương trình cho tài liệu.")  # fmt: skip
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        help="thư mục ghi ảnh (mặc định docs/screenshots, hoặc docs/screenshots/150 khi --scale 1.5)",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="tỉ lệ hiển thị, ví dụ 1.5 cho 150 %%")
    args = parser.parse_args(argv)
    default = Path("docs/screenshots")
    out = args.folder or (default if args.scale == 1.0 else default / f"{round(args.scale * 100)}")
    for path in take(out, args.scale):
        print(path)


if __name__ == "__main__":
    main()
