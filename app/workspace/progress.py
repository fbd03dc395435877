"""The quarter's progress day by day: how many units had sent on time, late, or not yet (DESIGN §9.3).

The dashboard draws it as a chart up to the deadline, so the office sees at a glance whether
returns are coming in or stalling. It is computed from ``status()`` rows (the counted file's
``received_at`` and ``on_time``), not a query of its own: one source for "on time" and "late",
the same as the cards beside it and the report. A unit counts from the day its counted file
arrived; a unit whose only file was unreadable is still missing (``NOT_RECEIVED``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .status import NOT_RECEIVED, RECEIVED, UnitStatus

#: days shown before the deadline when nothing arrived earlier (a CV 1690 quarter asks about a month ahead)
LEAD_DAYS = 30


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    day: date  # counted at the end of this day
    on_time: int
    late: int
    missing: int


@dataclass(frozen=True, slots=True)
class Progress:
    points: list[ProgressPoint]  # up to today (or the last arrival): no guesses about the days to come
    deadline: date  # files are on time before 00:00 of this day
    first_day: date  # the chart's time axis runs from here …
    last_day: date  # … to here (at least the deadline)
    units: int


def progress_series(statuses: Sequence[UnitStatus], deadline: date, today: date) -> Progress:
    """One point a day from ``LEAD_DAYS`` before the deadline (or the first arrival, if earlier) up to
    ``today`` — past the deadline too, so late files show, but at most ``LEAD_DAYS`` after it unless a
    file came later. Units are the roster units (``unit_code`` set) in the period."""
    units = [s for s in statuses if s.unit_code and s.state in (RECEIVED, *NOT_RECEIVED)]
    arrivals = sorted((s.received_at.date(), bool(s.on_time)) for s in units
                      if s.state == RECEIVED and s.received_at is not None)  # fmt: skip
    start = min([deadline - timedelta(days=LEAD_DAYS), *(day for day, _ in arrivals)])
    end = max([start, min(today, deadline + timedelta(days=LEAD_DAYS)), *(day for day, _ in arrivals)])
    points: list[ProgressPoint] = []
    on_time = late = 0
    n = 0
    day = start
    while day <= end:
        while n < len(arrivals) and arrivals[n][0] <= day:
            if arrivals[n][1]:
                on_time += 1
            else:
                late += 1
            n += 1
        points.append(ProgressPoint(day, on_time, late, len(units) - on_time - late))
        day += timedelta(days=1)
    return Progress(points, deadline, start, max(end, deadline), len(units))
