"""The workspace (DESIGN §2, §8): one folder with a SQLite database that remembers the roster, the
periods, every file received, every appraisal and who made it — so any quarter can be redone
and defended later. No Qt here: the CLI and the desktop call these functions alike."""

from .appraise import AppraisalRow, AuditEntry, appraisals, appraise, audit_log
from .ingest import IngestResult, ingest, set_received
from .periods import PeriodInfo, add_period, get_period, list_periods, set_deadline
from .ranking import RankedUnit, rank
from .status import UnitStatus, status
from .store import MARKER, Workspace, WorkspaceError, find
from .units import Unit, import_roster, list_units

__all__ = [
    "MARKER",
    "AppraisalRow",
    "AuditEntry",
    "IngestResult",
    "PeriodInfo",
    "RankedUnit",
    "Unit",
    "UnitStatus",
    "Workspace",
    "WorkspaceError",
    "add_period",
    "appraisals",
    "appraise",
    "audit_log",
    "find",
    "get_period",
    "import_roster",
    "ingest",
    "list_periods",
    "list_units",
    "rank",
    "set_deadline",
    "set_received",
    "status",
]
