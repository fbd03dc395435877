"""The shape DESIGN §10 fixes: a pure core (no I/O, no Qt in ``scoring/``), Qt only under app/gui, no SQL in
the front ends or the report, and a command line whose modules do not import each other in a circle."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT = {"PySide6", "PyQt5", "PyQt6", "qtpy", "shiboken6"}
IO = {"os", "io", "pathlib", "shutil", "sqlite3", "subprocess", "socket", "tempfile", "glob",
      "openpyxl", "xlsxwriter", "yaml", "json", "csv", "zipfile"}  # fmt: skip


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def test_scoring_is_pure() -> None:
    for path in (ROOT / "scoring").rglob("*.py"):
        found = imports(path) & (QT | IO | {"app"})
        assert not found, f"{path.relative_to(ROOT)} imports {sorted(found)}"


def test_qt_only_under_app_gui() -> None:
    for path in (ROOT / "app").rglob("*.py"):
        if "gui" in path.relative_to(ROOT / "app").parts:
            continue
        found = imports(path) & QT
        assert not found, f"{path.relative_to(ROOT)} imports {sorted(found)}"


#: where SQL may be written: the workspace package (the store and the questions asked of it)
SQL_HOME = ROOT / "app" / "workspace"
SQL = re.compile(r"\.execute(many)?\(|\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\s+[\w*]")


def test_no_sql_outside_the_workspace_package() -> None:
    """The desktop, the command line and the report ask ``app.workspace`` functions, never the database."""
    for path in (ROOT / "app").rglob("*.py"):
        if SQL_HOME in path.parents:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            assert not SQL.search(code), f"{path.relative_to(ROOT)}:{n}: {line.strip()}"


def test_command_modules_import_no_other_command_module() -> None:
    """app/cli: each command group imports only ``common`` and ``parser``; only ``main`` assembles them."""
    shared = {"common", "parser"}
    for path in (ROOT / "app" / "cli").glob("*.py"):
        if path.stem in {"main", "__init__", "__main__"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                name = module.removeprefix("app.cli.") if module.startswith("app.cli") else module
                if node.level == 1 or module.startswith("app.cli"):
                    targets = {name} if name and name != "app.cli" else {a.name for a in node.names}
                    assert targets <= shared, f"{path.relative_to(ROOT)} imports {sorted(targets - shared)}"
