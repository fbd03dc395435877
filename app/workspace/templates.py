"""Templates for a period, generated from what the workspace knows: its roster, the period's
framework and the period's own deadline (which the office may have moved), into ``templates/``.

Why here and not only in ``app.workbook.generate``: the command line and the desktop both say
"make this quarter's templates" without repeating the roster, framework and deadline the
workspace already holds; the generation itself stays in ``app.workbook``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from app.period import parse_period
from app.workbook.generate import Generated, generate_templates
from app.workbook.roster import RosterUnit
from app.workbook.template import TemplateOptions

from .periods import framework_of, get_period
from .roster_edit import units_in_period
from .store import Workspace, WorkspaceError


def generate_for_period(ws: Workspace, period: str, unit_codes: Sequence[str] = (), *,
                        send_to: str = "", password: str | None = None, now: datetime | None = None,
                        progress: Callable[[int, int, str], None] | None = None,
                        cancelled: Callable[[], bool] | None = None) -> list[Generated]:  # fmt: skip
    """Write the templates of ``period`` into ``templates/<period>/``, one per active unit (or the
    units named), and audit it. Unknown unit codes are refused before anything is written."""
    info = get_period(ws, period)
    framework = framework_of(ws, info.code)
    units = [RosterUnit(u.code, u.name, u.email) for u in units_in_period(ws, info.code)]  # not units that left
    if unit_codes:
        known = {u.code: u for u in units}
        unknown = [c for c in unit_codes if c not in known]
        if unknown:
            raise WorkspaceError(
                "Không có đơn vị " + ", ".join(unknown) + " trong danh sách đơn vị của thư mục làm việc."
            )
        units = [known[c] for c in dict.fromkeys(unit_codes)]
    if not units:
        raise WorkspaceError("Danh sách đơn vị trống; hãy nhập danh sách trước (dtidesk units import TỆP).")
    options = TemplateOptions(deadline=info.deadline, send_to=send_to, password=password)
    written = generate_templates(framework, units, parse_period(info.code), ws.templates, options, now,
                                 progress=progress, cancelled=cancelled)  # fmt: skip
    with ws.transaction():
        ws.audit("generate-templates", {"period": info.code, "units": [g.unit.code for g in written],
                                        "folder": f"templates/{info.code}"})  # fmt: skip
    return written
