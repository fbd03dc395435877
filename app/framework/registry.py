"""Where frameworks come from: the built-in files shipped in ``workbook_templates/frameworks``.

Built-in frameworks are loaded once per process and cached; ``indicators_from`` in one file is
resolved against the others (a file beside it, then the built-ins).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from scoring.model import Framework

from .loader import Resolver, check_file, load_file
from .problems import FrameworkError, Problem


def builtin_dir() -> Path:
    return Path(str(resources.files("workbook_templates") / "frameworks"))


def builtin_files() -> dict[str, Path]:
    """Framework id → file, for the shipped frameworks (file stem is the id)."""
    return {p.stem: p for p in sorted(builtin_dir().glob("*.yaml"))}


@cache
def get_builtin(framework_id: str) -> Framework:
    files = builtin_files()
    if framework_id not in files:
        raise KeyError(framework_id)
    return load_file(files[framework_id], resolver_for(files[framework_id]))


def resolver_for(path: Path) -> Resolver:
    """Resolve ``indicators_from`` ids: a ``<id>.yaml`` beside the file first, then built-ins."""

    def resolve(framework_id: str) -> Framework | None:
        sibling = path.parent / f"{framework_id}.yaml"
        if sibling.resolve() == path.resolve():
            return None  # a framework cannot take its indicators from itself
        if sibling.is_file() and sibling.parent.resolve() != builtin_dir().resolve():
            fw, _ = check_file(sibling)
            return fw
        try:
            return get_builtin(framework_id)
        except (KeyError, FrameworkError):
            return None

    return resolve


def find(id_or_path: str) -> Framework:
    """A built-in framework by id, or a framework file by path. Raises KeyError / FrameworkError."""
    if id_or_path in builtin_files():
        return get_builtin(id_or_path)
    path = Path(id_or_path)
    if path.suffix.lower() in {".yaml", ".yml"} and path.is_file():
        return load_file(path, resolver_for(path))
    raise KeyError(id_or_path)


def check_path(path: Path) -> tuple[Framework | None, list[Problem]]:
    return check_file(path, resolver_for(path))


@cache
def framework_title(id_or_path: str) -> str:
    """What a person calls a framework: its title ("Báo cáo kết quả chuyển đổi số…"), not its id.

    The id itself when the framework cannot be loaded (a moved file), so a label is never empty.
    Cached: titles are shown in tables that repaint often.
    """
    try:
        return find(id_or_path).title or id_or_path
    except (KeyError, FrameworkError, OSError):
        return id_or_path
