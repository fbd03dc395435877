"""A reporting period: one quarter of a year, or a whole year.

Offices write the period in many ways ("2023-Q1", "Q1/2023", "Quý I/2023", "quý 1 năm 2023"), often
typed on a Vietnamese keyboard that produces decomposed (NFD) text. ``parse_period`` accepts all of
them and gives one ``Period`` whose ``code`` is the single spelling used in file names and records,
so two spellings of the same quarter never become two periods.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from app.errors import UsageError

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_QUARTER_NUMBER = {"1": 1, "2": 2, "3": 3, "4": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}

# The deadline day: Công văn 1690/SVHTT-VP mục 3.2 — "trước 00g00 ngày 16 tháng cuối cùng của quý".
DEADLINE_DAY = 16
#: periods whose deadline the source sets apart from the rule (DESIGN §2, CV 1690 mục 3.2)
DEADLINE_EXCEPTIONS: dict[str, date] = {"2023-Q1": date(2023, 4, 20)}

#: working days (Monday–Friday) a unit is given to send back a corrected file, counted from the day
#: the feedback workbook is written: written on Friday 05/05/2023, it is due before 00g00 on 12/05/2023
RESEND_WORKING_DAYS = 5


def working_days_after(day: date, count: int) -> date:
    """The ``count``-th working day (Monday–Friday) after ``day``; public holidays are not known here."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def default_resend_by(written: date) -> date:
    """When a unit must send back its corrected file: ``RESEND_WORKING_DAYS`` working days after the
    feedback is written, never a date that has already passed."""
    return working_days_after(written, RESEND_WORKING_DAYS)


_YEAR = r"(?P<year>[0-9]{4})"
_QUARTER = r"(?:q|quý)\s*(?P<quarter>iv|iii|ii|i|[1-4])"
_SEP = r"\s*(?:[-–/_]|năm)?\s*"
_PATTERNS = (
    re.compile(rf"{_YEAR}{_SEP}{_QUARTER}"),  # 2023-Q1, 2023 Q1, 2023/Q1
    re.compile(rf"{_QUARTER}{_SEP}{_YEAR}"),  # Q1/2023, Quý I/2023, quý 1 năm 2023
    re.compile(rf"(?:năm\s*)?{_YEAR}"),  # 2023, Năm 2023 (whole year)
)


@dataclass(frozen=True, slots=True)
class Period:
    """A quarter (``quarter`` 1–4) of ``year``, or the whole year when ``quarter`` is None."""

    year: int
    quarter: int | None = None

    def __post_init__(self) -> None:
        if not 1000 <= self.year <= 9999:
            raise UsageError(f"Năm không hợp lệ: {self.year} — năm phải có 4 chữ số, ví dụ 2023.")
        if self.quarter is not None and self.quarter not in ROMAN:
            raise UsageError(f"Quý không hợp lệ: {self.quarter} — quý phải từ 1 đến 4.")

    @property
    def code(self) -> str:
        """The one spelling used in file names and stored records: ``2023-Q1`` or ``2023``."""
        return str(self.year) if self.quarter is None else f"{self.year}-Q{self.quarter}"

    @property
    def label_vi(self) -> str:
        """How the period is written in Vietnamese documents: ``Quý I năm 2023`` or ``Năm 2023``."""
        if self.quarter is None:
            return f"Năm {self.year}"
        return f"Quý {ROMAN[self.quarter]} năm {self.year}"

    @property
    def last_month(self) -> int:
        """The last month of the quarter (3, 6, 9, 12); 12 for a whole year."""
        return 12 if self.quarter is None else 3 * self.quarter

    @property
    def last_day(self) -> date:
        """The period's last day (31/3 for Quý I): a document dated after it cannot evidence the period."""
        return (
            date(self.year, 12, 31)
            if self.last_month == 12
            else date(self.year, self.last_month + 1, 1) - timedelta(days=1)
        )

    @property
    def default_deadline(self) -> date:
        """Reports are due before 00:00 on the 16th of the period's last month (CV 1690 mục 3.2),
        except Quý I/2023, the first round, due before 00:00 on 20/4/2023 (the same mục)."""
        exception = DEADLINE_EXCEPTIONS.get(self.code)
        return exception if exception is not None else date(self.year, self.last_month, DEADLINE_DAY)

    @property
    def previous(self) -> Period:
        """The period the report compares with: the quarter before (Q4 of last year for Q1), or last year."""
        if self.quarter is None:
            return Period(self.year - 1)
        return Period(self.year, self.quarter - 1) if self.quarter > 1 else Period(self.year - 1, 4)

    @property
    def next(self) -> Period:
        """The period after this one: the next quarter (Q1 of next year after Q4), or next year."""
        if self.quarter is None:
            return Period(self.year + 1)
        return Period(self.year, self.quarter + 1) if self.quarter < 4 else Period(self.year + 1, 1)

    @classmethod
    def containing(cls, day: date) -> Period:
        """The quarter ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return self.code


def deadline_vi(deadline: date) -> str:
    """The one wording of a deadline wherever a person reads it: ``trước 00g00 ngày 20/04/2023``.

    A file is on time when received before 00:00 of that day (CV 1690 mục 3.2), so one received at
    12:45 on 20/04/2023 is late; views that show lateness show the received time beside this text.
    """
    return f"trước 00g00 ngày {deadline:%d/%m/%Y}"


def parse_period(text: str) -> Period:
    """Read a period written any usual way; raise ``UsageError`` (a ``ValueError``) with a Vietnamese
    message otherwise."""
    cleaned = " ".join(unicodedata.normalize("NFC", text).split())
    key = cleaned.casefold()
    for pattern in _PATTERNS:
        match = pattern.fullmatch(key)
        if match is None:
            continue
        groups = match.groupdict()
        quarter = _QUARTER_NUMBER[groups["quarter"]] if groups.get("quarter") else None
        year = int(groups["year"])
        if year >= 1000:
            return Period(year, quarter)
    raise UsageError(
        f"Kỳ báo cáo không hợp lệ: '{cleaned}' — ví dụ đúng: 2023-Q1, Q1/2023, Quý I/2023 hoặc 2023 (cả năm)."
    )
