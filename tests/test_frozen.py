"""The frozen program (issue 9): build.spec builds on Linux and the built programs work.

One PyInstaller build (about 20 s) into a temporary folder, then: ``dtidesk --version``, the whole
quarterly cycle ``dtidesk demo`` into a temporary folder (its report must exist and be a real
workbook), and ``dtidesk-gui -platform offscreen`` shows the main window. The Windows build of
the same spec is built and smoke-tested under Wine by ``installer/build-windows.sh`` (too slow
for CI).

PyInstaller is in the ``[test]`` extra: if it is missing these tests fail, they never skip.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parent.parent
SIZE_GOAL_MB = 200  # issue 9: the Linux onedir
# The hook the GUI offers for smoke tests: exit 0 as soon as the main window is shown.
EXIT_HOOK = "DTIDESK_EXIT_AFTER_SHOWN"

pytestmark = pytest.mark.slow


def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The onedir folder built from build.spec (``dtidesk`` and ``dtidesk-gui`` side by side)."""
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail('PyInstaller is not installed: pip install -e ".[test]"')
    tmp = tmp_path_factory.mktemp("frozen")
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(tmp / "dist"), "--workpath", str(tmp / "build"), str(ROOT / "build.spec")]  # fmt: skip
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"PyInstaller failed:\n{done.stderr[-4000:]}"
    out = tmp / "dist" / "dtidesk"
    assert (out / "dtidesk").is_file() and (out / "dtidesk-gui").is_file(), sorted(p.name for p in out.iterdir())
    return out


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DTIDESK_"))}
    env |= {"DTIDESK_CONFIG_DIR": str(tmp / "config"), "DTIDESK_DATA_DIR": str(tmp / "data")}
    return env


def test_frozen_version_and_contents(frozen: Path, tmp_path: Path) -> None:
    done = subprocess.run([frozen / "dtidesk", "--version"], env=_env(tmp_path), capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout
    internal = frozen / "_internal"
    # the framework files ship as data where importlib.resources finds them
    shipped = sorted(p.name for p in (internal / "workbook_templates" / "frameworks").glob("*.yaml"))
    assert shipped == sorted(p.name for p in (ROOT / "workbook_templates" / "frameworks").glob("*.yaml"))
    assert (internal / "app" / "gui" / "dtidesk.png").is_file()  # the window icon, where launch.py looks
    # nothing the program does not use
    for unwanted in ("tkinter", "_tkinter", "pandas", "numpy", "PIL"):
        assert not list(internal.glob(f"{unwanted}*")), unwanted
    qt_modules = {p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.so")}
    assert qt_modules == {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport"}  # printing: issue 21
    size = _dir_mb(frozen)
    assert size <= SIZE_GOAL_MB, f"onedir is {size:.0f} MB (goal ≤ {SIZE_GOAL_MB} MB)"


def test_frozen_demo_runs_the_whole_cycle(frozen: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    done = subprocess.run([frozen / "dtidesk", "demo", "--out", out], env=_env(tmp_path), capture_output=True,
                          text=True, encoding="utf-8", timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    report = out / "khong-gian-lam-viec" / "reports" / "2023-Q1" / "bao-cao-tong-hop-2023-Q1.xlsx"
    assert report.is_file(), done.stdout
    assert str(report) in done.stdout
    with zipfile.ZipFile(report) as z:  # a real workbook, several sheets
        sheets = [n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
    assert len(sheets) >= 3
    assert (report.parent / "xep-hang-2023-Q1-de-gui-len.csv").is_file()
    assert "Phát hiện — " in done.stdout  # issue 23: the TCVN3 unit and the document cited but not sent
    # the frozen program reads a signed PDF sent later (pypdf, pyHanko): named after a document a unit cites
    with sqlite3.connect(out / "khong-gian-lam-viec" / "dtidesk.sqlite") as conn:
        sid, text = conn.execute("SELECT c.submission_id, c.text FROM evidence_citations c JOIN submissions s ON "
                                 "s.id = c.submission_id WHERE s.status = 'active' AND c.text LIKE '%/QĐ-%'").fetchone()  # fmt: skip
    symbol = re.search(r"\d+/QĐ-[A-Z]+", text)
    assert symbol is not None
    signed = tmp_path / f"{symbol.group().replace('/', '-')}.pdf"
    shutil.copyfile(ROOT / "tests" / "fixtures" / "evidence" / "15-QD-SVHTT_signed.pdf", signed)
    done = subprocess.run([frozen / "dtidesk", "evidence", "add", str(sid), signed, "--all", "--json", "--workspace",
                           out / "khong-gian-lam-viec"], env=_env(tmp_path), capture_output=True, text=True,
                          encoding="utf-8", timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "evidence-signature-intact" in {i["code"] for i in json.loads(done.stdout)}


def test_frozen_gui_shows_the_window_and_runs_a_worker(frozen: Path, tmp_path: Path) -> None:
    """The windowed program shows its window, starts its worker process (the frozen program again,
    through multiprocessing's freeze_support) and runs a job there, then exits 0."""
    env = _env(tmp_path) | {EXIT_HOOK: "1"}
    env.pop("QT_QPA_PLATFORM", None)  # as under Wine: the platform comes from the argument
    log = tmp_path / "data" / "logs" / "dtidesk.log"
    done = subprocess.run([frozen / "dtidesk-gui", "-platform", "offscreen"], env=env, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=120)  # fmt: skip
    text = log.read_text(encoding="utf-8")
    assert done.returncode == 0, done.stderr + text
    assert "window shown" in text
    assert re.search(r"worker ok: pid \d+, frozen True", text), text
    assert "Traceback" not in text


def test_frozen_program_reaches_postgresql(frozen: Path, tmp_path: Path) -> None:
    """psycopg and the libpq it ships are in the frozen program (issue 22): a shared workspace is made on
    the test server when there is one; without, an unreachable server is said in Vietnamese, not a crash."""
    import pg_server

    url = pg_server.new_database() if pg_server.URL else "postgresql://dtidesk@127.0.0.1:1/khong_co"
    try:
        done = subprocess.run([frozen / "dtidesk", "init", "--database", url, "--json"], env=_env(tmp_path),
                              capture_output=True, text=True, encoding="utf-8", timeout=120)  # fmt: skip
    finally:
        if pg_server.URL:
            pg_server.drop_database(url)
    if pg_server.URL:
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(done.stdout)["database"] == url
    else:
        assert done.returncode == 2 and "Không kết nối được" in done.stderr, done.stdout + done.stderr
