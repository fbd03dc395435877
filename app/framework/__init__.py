"""Framework files: load, check, find (DESIGN §3). The typed model lives in ``scoring.model``."""

from scoring.findings import Severity

from .loader import check_file, check_text, load_file, parse_number
from .problems import FrameworkError, Problem, flatten
from .registry import builtin_files, check_path, find, framework_title, get_builtin

__all__ = [
    "FrameworkError",
    "Problem",
    "Severity",
    "builtin_files",
    "check_file",
    "check_path",
    "check_text",
    "find",
    "flatten",
    "framework_title",
    "get_builtin",
    "load_file",
    "parse_number",
]
