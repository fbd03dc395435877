"""The desktop on a shared workspace (issue 22): “Kết nối không gian làm việc dùng chung” connects to the
test PostgreSQL server with an account that needs its password; the pages then work unchanged (the
roster, a period, templates and an ingest run as worker-process jobs), and the password is in no file."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pg_server
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from test_shared_workspace import PASSWORD, PW_USER

from app.demo.roster import write_roster_csv
from app.gui.mainwindow import MainWindow
from app.gui.pages.intake import IntakePage
from app.gui.pages.periods import PeriodsPage
from app.gui.pages.templates import TemplatesPage
from app.gui.pages.units import UnitsPage
from app.gui.settings import Settings
from app.gui.shared_dialog import SharedWorkspaceDialog
from app.workspace import status

WAIT = 120_000


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("DTIDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("DTIDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PGPASSWORD", raising=False)  # the dialog sets it for the run; undone after the test
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    url = pg_server.new_database()
    with pg_server.admin() as conn:  # type: ignore[attr-defined]
        conn.execute(f"DO $$ BEGIN CREATE ROLE {PW_USER} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        conn.execute(f"ALTER ROLE {PW_USER} PASSWORD '{PASSWORD}'")
        conn.execute(f'ALTER DATABASE "{url.rsplit("/", 1)[1]}" OWNER TO {PW_USER}')
    yield url
    from app.gui import worker

    worker.stop_worker()
    pg_server.drop_database(url)


def page(window: MainWindow, cls: type[Any]) -> Any:
    found = [p for p in window.pages.values() if isinstance(p, cls)]
    window.go_to(found[0].key)
    return found[0]


def test_the_dialog_connects_and_the_pages_work_on_the_server(database: str, tmp_path: Path, qtbot: Any) -> None:
    window = MainWindow(Settings(tmp_path / "config" / "dtidesk.ini"))
    qtbot.addWidget(window)
    window.show()
    dialog = SharedWorkspaceDialog(window)
    qtbot.addWidget(dialog)
    host_port = database.split("@", 1)[1].split("/", 1)[0]
    dialog.host.setText(host_port.split(":")[0])
    dialog.port.setValue(int(host_port.split(":")[1]))
    dialog.database.setText(database.rsplit("/", 1)[1])
    dialog.user.setText(PW_USER)
    assert dialog.ok_button.isEnabled()
    dialog.password.setText(PASSWORD)
    dialog.create_new.setChecked(True)
    assert window.connect_shared(dialog)
    assert window.ws is not None and window.ws.shared_url == dialog.url()
    assert PASSWORD not in dialog.url()
    added = page(window, UnitsPage).import_roster(write_roster_csv(tmp_path / "r.csv"))
    assert added == (25, 0)
    assert page(window, PeriodsPage).add_period("Quý I/2023", "svhtt-1690") is not None
    assert page(window, TemplatesPage).generate() is not None  # a job in the worker process, on the server
    qtbot.waitUntil(lambda: not window.busy(), timeout=WAIT)
    inbox = tmp_path / "inbox"
    shutil.copytree(window.ws.folder / "templates" / "2023-Q1", inbox)
    assert page(window, IntakePage).receive_paths([inbox]) is not None
    qtbot.waitUntil(lambda: not window.busy(), timeout=WAIT)
    received = [s for s in status(window.ws, "2023-Q1") if s.state != "missing"]
    assert len(received) == 25
    for f in [*tmp_path.rglob("*")]:  # settings, recent list, link file, log: never the password
        if f.is_file():
            assert PASSWORD.encode() not in f.read_bytes(), f
