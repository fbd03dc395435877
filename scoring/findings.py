"""What the engine noticed while scoring, as data (never exceptions).

The engine knows indicators and input names, not files and cells; the application maps a
finding's ``indicator`` and ``inputs`` to the defined names and cells of the workbook it read.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Status(StrEnum):
    """How an indicator's score came about."""

    SCORED = "scored"  # computed from the unit's figures
    MISSING = "missing"  # no figure → 0 (QĐ 79 II.2.c)
    NOT_APPLICABLE = "not-applicable"  # "không áp dụng" → maximum, with an explanation
    ZERO_DENOMINATOR = "zero-denominator"  # denominator 0 → 0, suggest N/A
    PENDING = "pending"  # min-max before the batch is normalised
    OVERRIDDEN = "overridden"  # score set by the appraiser

    @property
    def label_vi(self) -> str:
        """What a person reads for this status (the report, the readable CSV, the desktop)."""
        return STATUS_LABELS[self]


#: Vietnamese label of each status, for people; the code itself stays in JSON and upload files.
STATUS_LABELS: dict[Status, str] = {
    Status.SCORED: "Đã chấm",
    Status.MISSING: "Thiếu số liệu",
    Status.NOT_APPLICABLE: "Không áp dụng",
    Status.ZERO_DENOMINATOR: "Mẫu số bằng 0",
    Status.PENDING: "Chờ tổng hợp",
    Status.OVERRIDDEN: "Điểm do thẩm định",
}


class Severity(StrEnum):
    """How much a finding matters; the one severity of every finding, issue and framework problem."""

    ERROR = "error"  # must be corrected (or the office must decide); a framework file with one is refused
    WARNING = "warning"  # probably wrong; the score is computed anyway
    INFO = "info"  # what the program did: a conversion, how a file was identified

    @property
    def label_vi(self) -> str:
        """What a person reads for this severity (the desktop, the report, the command line)."""
        return SEVERITY_LABELS[self]


#: Vietnamese label of each severity, for people; the code stays in JSON.
SEVERITY_LABELS: dict[Severity, str] = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo", Severity.INFO: "Thông tin"}


def severity_label(code: str) -> str:
    """The label of a stored severity code ("error" → "Lỗi"); an unknown code is shown as it is."""
    return next((label for s, label in SEVERITY_LABELS.items() if s.value == code), code)


def status_label(code: str) -> str:
    """The label of a stored status code ("not-applicable" → "Không áp dụng"); an unknown one as it is."""
    return next((label for s, label in STATUS_LABELS.items() if s.value == code), code)


class Finding(NamedTuple):
    """One thing noticed about one indicator of one unit.

    A named tuple rather than a frozen dataclass: a batch with many blanks creates tens of
    thousands of these, and a frozen dataclass is four times slower to build.
    """

    code: str  # stable kebab-case
    severity: Severity
    indicator: str
    inputs: tuple[str, ...]
    message: str  # Vietnamese
