"""The shape SPEC §10 fixes: a pure core (no I/O, no Qt in ``scoring/``), Qt only under app/gui."""

from __future__ import annotations

import ast
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
