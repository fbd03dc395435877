"""A period made with the office's own framework file (issue 21): checked, then copied into the workspace.

Why: a province that scores by its own indicators writes a framework file (workbook_templates/
FORMAT.md). The period must keep working when that file is later edited, moved or deleted, so
the file is checked first (every problem named with its line, as ``dtidesk frameworks check``
does) and copied into the workspace with its hash when the period is made (``frozen.copy_framework``).
The period records the framework by the id written in the file, and people see its title
(``framework_choices``, ``period_framework_title``), never a path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.framework import FrameworkError, builtin_files, check_path, framework_title, get_builtin
from app.period import parse_period
from scoring.findings import Severity
from scoring.model import Framework

from .frozen import copied_framework, copy_framework
from .periods import PeriodInfo, get_period
from .store import Workspace, WorkspaceError

#: how many of a bad file's problems the message lists (the rest: ``dtidesk frameworks check``)
SHOWN_PROBLEMS = 5


@dataclass(frozen=True, slots=True)
class FrameworkChoice:
    """One framework a period can be made with: what a person reads, and what the core is given."""

    title: str
    key: str  # a built-in id (``svhtt-1690``) or a file path

    def label(self) -> str:
        return f"{self.title} (mã {self.key})"


def framework_choices() -> list[FrameworkChoice]:
    """The built-in frameworks by title, the office's usual one (CV 1690) first."""
    out = []
    for ident in builtin_files():
        try:
            title = get_builtin(ident).title or ident
        except (KeyError, FrameworkError):  # a broken file must not hide the others
            title = f"{ident} (không nạp được)"
        out.append(FrameworkChoice(title, ident))
    return sorted(out, key=lambda c: (c.key != "svhtt-1690", c.title))


def chosen_framework(text: str) -> str | Path:
    """What a person typed for a framework: a built-in id, a built-in's title (any case), else a file path."""
    text = text.strip()
    choices = framework_choices()
    if any(c.key == text for c in choices):
        return text
    by_title = [c for c in choices if c.title.casefold() == text.casefold()]
    if by_title:
        return by_title[0].key
    if text.lower().endswith((".yaml", ".yml")) or Path(text).is_file():
        return Path(text)
    names = "; ".join(c.label() for c in choices)
    raise WorkspaceError(f"Không tìm thấy bộ chỉ số “{text}”. Có sẵn: {names}; hoặc chỉ đường dẫn tệp bộ chỉ số "
                         "tự soạn (.yaml).")  # fmt: skip


def check_framework_file(path: Path) -> Framework:
    """The framework in ``path``, or a ``WorkspaceError`` naming the file and its first problems."""
    if not path.is_file():
        raise WorkspaceError(f"Không tìm thấy tệp bộ chỉ số {path}. Hãy chọn lại tệp.")
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise WorkspaceError(f"Tệp {path.name} không phải tệp bộ chỉ số (.yaml). Hãy soạn bộ chỉ số theo hướng dẫn "
                             "workbook_templates/FORMAT.md.")  # fmt: skip
    fw, problems = check_path(path)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if fw is None or errors:
        shown = "; ".join((f"dòng {p.line}: " if p.line else "") + p.message_vi.rstrip(".")
                          for p in errors[:SHOWN_PROBLEMS])  # fmt: skip
        more = f" (và {len(errors) - SHOWN_PROBLEMS} lỗi khác)" if len(errors) > SHOWN_PROBLEMS else ""
        raise WorkspaceError(f"Tệp bộ chỉ số {path.name} có lỗi: {shown}{more}. Hãy sửa tệp rồi chọn lại; xem đủ các "
                             f"lỗi bằng lệnh: dtidesk frameworks check \"{path}\"")  # fmt: skip
    builtin = builtin_files().get(fw.id)
    if builtin is not None and builtin.read_bytes() != path.read_bytes():
        raise WorkspaceError(f"Tệp {path.name} mang mã “{fw.id}” trùng với bộ chỉ số có sẵn nhưng nội dung khác. "
                             "Hãy đặt cho bộ chỉ số của mình một mã khác (dòng “id:” đầu tệp).")  # fmt: skip
    return fw


def add_period_from_file(ws: Workspace, code: str, path: Path, deadline: date | None = None, *,
                         who: str | None = None) -> PeriodInfo:  # fmt: skip
    """Open a period scored by the framework file at ``path``: checked, copied in, audited."""
    try:
        period = parse_period(code)
    except ValueError as exc:
        raise WorkspaceError(str(exc)) from exc
    fw = check_framework_file(path)
    due = deadline or period.default_deadline
    with ws.transaction() as conn:
        if conn.execute("SELECT 1 FROM periods WHERE code = ?", (period.code,)).fetchone():
            raise WorkspaceError(f"Kỳ {period.code} ({period.label_vi}) đã có trong thư mục làm việc.")
        conn.execute("INSERT INTO periods(code, framework_id, deadline, label) VALUES (?, ?, ?, ?)",
                     (period.code, fw.id, due.isoformat(), period.label_vi))  # fmt: skip
        copy_framework(ws, conn, period.code, str(path))  # the period needs the file no more
        ws.audit("add-period", {"period": period.code, "framework_id": fw.id, "deadline": due.isoformat(),
                                "framework_file": path.name, "title": fw.title}, who)  # fmt: skip
    return get_period(ws, period.code)


def period_framework_title(ws: Workspace, period: str) -> str:
    """The title of the framework the period is scored by: from its copy, else the built-in's."""
    return _title_of(ws, get_period(ws, period))


def period_framework_titles(ws: Workspace) -> dict[str, str]:
    """Every period's framework title by period code (``period_framework_title`` for each), for lists."""
    from .periods import list_periods

    return {info.code: _title_of(ws, info) for info in list_periods(ws)}


def _title_of(ws: Workspace, info: PeriodInfo) -> str:
    try:
        fw = copied_framework(ws, info.code)
    except (FrameworkError, WorkspaceError):
        fw = None
    return (fw.title if fw is not None and fw.title else "") or framework_title(info.framework_id)


__all__ = ["FrameworkChoice", "add_period_from_file", "check_framework_file", "chosen_framework", "framework_choices",
           "period_framework_title", "period_framework_titles"]  # fmt: skip
