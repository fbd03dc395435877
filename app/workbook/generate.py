"""One template per unit of a roster, in a folder for the period (DESIGN §2 step 1).

Each file is written to a temporary name and renamed into place, so a crash or a full disk
never leaves a half-written workbook that looks finished.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.atomic import write_atomic
from app.period import Period
from app.steps import Steps
from scoring.model import Framework

from .filenames import template_filename, unique_names
from .roster import RosterUnit
from .template import TemplateFactory, TemplateOptions


@dataclass(frozen=True, slots=True)
class Generated:
    unit: RosterUnit
    path: Path


def period_folder(out_dir: Path, period: Period) -> Path:
    return out_dir / period.code


def generate_templates(framework: Framework, units: Sequence[RosterUnit], period: Period, out_dir: Path,
                       options: TemplateOptions | None = None, now: datetime | None = None,
                       progress: Callable[[int, int, str], None] | None = None,
                       cancelled: Callable[[], bool] | None = None) -> list[Generated]:  # fmt: skip
    """Write every unit's template into ``out_dir/<period>/``; returns what was written, in order.

    ``progress(done, total, file name)`` is called before each file; when ``cancelled()`` turns
    true the files already written stay (each is complete) and the rest are not started.
    """
    options = options or TemplateOptions()
    folder = period_folder(out_dir, period)
    folder.mkdir(parents=True, exist_ok=True)
    deadline = options.deadline or period.default_deadline
    stamp = now or datetime.now()
    filenames = unique_names([template_filename(period.code, u.code, u.name) for u in units])
    factory = TemplateFactory(framework, period.code, period.label_vi, options, deadline, stamp)
    written: list[Generated] = []
    for unit, filename in Steps(list(zip(units, filenames, strict=True)), lambda pair: pair[1], progress, cancelled):
        target = folder / filename
        write_atomic(target, factory.render(unit.code, unit.name))
        written.append(Generated(unit, target))
    return written
