"""A built-in sample for ``dtidesk demo``: a department's roster and the files its units send back.

The demo must show the whole quarterly cycle without the user owning any data, and show it
honestly: real templates, filled the way units really fill them (good, late, messy, missing,
resubmitted, the wrong quarter's form), so every screen and report has something true to show.
Everything here is deterministic from a seed, so the demo and its tests give the same result
every time.
"""

from __future__ import annotations

from .fill import Scenario, SimulatedFile, assign_scenarios, fill_values, mess_up, render_filled, simulate
from .roster import SAMPLE_UNITS, SampleUnit, write_roster_csv

__all__ = [
    "SAMPLE_UNITS",
    "SampleUnit",
    "Scenario",
    "SimulatedFile",
    "assign_scenarios",
    "fill_values",
    "mess_up",
    "render_filled",
    "simulate",
    "write_roster_csv",
]
