"""Problems found in a framework file, as data (not exceptions).

A problem carries a stable kebab-case code (tests and scripts match on it), a severity, where it is
(the path inside the file, e.g. ``indicators[1.2].rule.numerator[1]``, and the line/column), and a
message in Vietnamese and English.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import UserError
from scoring.findings import Severity


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    severity: Severity
    path: str
    message_vi: str
    message_en: str
    file: str = ""
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    @property
    def location(self) -> str:
        where = self.file or "<framework>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where} {self.path}".rstrip()

    def format(self) -> str:
        label = "LỖI" if self.severity is Severity.ERROR else "CẢNH BÁO"
        return f"{self.location}: {label} [{self.code}] {self.message_vi} / {self.message_en}"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.file,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
        }


class FrameworkError(UserError):
    """A framework could not be loaded; ``problems`` says every reason."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        errors = [p for p in problems if p.severity is Severity.ERROR]
        first = errors[0].format() if errors else "unknown problem"
        more = f" (+{len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
        super().__init__(f"Bộ chỉ số {source} có lỗi: {first}{more}")

    def __reduce__(self) -> tuple[type[FrameworkError], tuple[str, list[Problem]]]:  # pickles whole
        return (FrameworkError, (self.source, self.problems))


def flatten(problems: list[Problem]) -> list[tuple[str, str]]:
    """``[(path, code), …]`` — a compact form for tests."""
    return [(p.path, p.code) for p in problems]
