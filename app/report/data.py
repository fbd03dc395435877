"""Everything the consolidated report shows, gathered from the workspace in one place.

Why a plain data object between the workspace and the writers: the workbook, the CSV/JSON
exports and the desktop's report page all show the same numbers, and tests can check them
against the engine without opening a file. Scores are the workspace's own (``score_period``:
self-assessed and appraised side by side), never recomputed differently here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from app.signoff import SignOff
from app.textfold import fold
from app.workspace.department import DepartmentScore, department_score
from app.workspace.frozen import frozen_units
from app.workspace.periods import PeriodInfo, list_periods
from app.workspace.ranking import PeriodScores, RankedUnit, score_period
from app.workspace.rounds import RoundsSummary, rounds_summary
from app.workspace.status import NOT_COUNTED, RECEIVED, UNKNOWN, StatusCounts, UnitStatus, count_statuses, status
from app.workspace.store import Workspace
from app.workspace.submissions import active_submissions, appraised_indicators, open_issues, submission_fields
from app.workspace.units import list_units
from scoring.engine import IndicatorScore
from scoring.explain import explain
from scoring.model import Framework, Group, Indicator
from scoring.rounding import excel_round

from .firmness import Firmness, firmness
from .rollup import Rollup, rollup


@dataclass(frozen=True, slots=True)
class Summary(StatusCounts):
    appraised: int = 0  # units with at least one appraisal


@dataclass(frozen=True, slots=True)
class RankingRow:
    unit: RankedUnit
    kind: str
    on_time: bool | None
    previous_cents: int | None  # appraised total in the previous period
    previous_rank: int | None

    @property
    def change_cents(self) -> int | None:
        return None if self.previous_cents is None else self.unit.appraised_cents - self.previous_cents

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) since the previous period."""
        return None if self.previous_rank is None else self.previous_rank - self.unit.rank


@dataclass(frozen=True, slots=True)
class MatrixCell:
    self_score: IndicatorScore
    appraised_score: IndicatorScore
    explanation: str  # of the appraised (effective) score, one line

    @property
    def changed(self) -> bool:
        return self.self_score.cents != self.appraised_score.cents


@dataclass(frozen=True, slots=True)
class OpenIssue:
    unit_code: str
    unit_name: str
    file: str
    sheet: str
    cell: str
    indicator: str
    severity: str  # error | warning
    code: str
    message: str
    appraised: bool  # the indicator has since been appraised (the office has dealt with it)


@dataclass(frozen=True, slots=True)
class ContactRow:
    unit_code: str
    unit_name: str
    values: dict[str, str]  # field name → what this period's submission says ("" when not given)
    previous: dict[str, str] | None  # the same in the previous period, when there was one
    change: str  # "" when unchanged; otherwise what changed, in Vietnamese


@dataclass(frozen=True, slots=True)
class LateOrMissing:
    unit_code: str
    unit_name: str
    state: str  # Vietnamese label
    received_at: datetime | None
    days_late: int | None
    file: str
    note: str


@dataclass(slots=True)
class ReportData:
    info: PeriodInfo
    framework: Framework
    generated_at: datetime
    summary: Summary
    ranking: list[RankingRow]
    pillar_averages: dict[str, Decimal]  # appraised pillar scores averaged over the ranked units
    total_average: Decimal | None
    matrix: dict[str, dict[str, MatrixCell]]  # unit code → indicator code → scores
    rollup: Rollup
    issues: list[OpenIssue]
    contacts: list[ContactRow]
    contact_fields: list[tuple[str, str]]  # (field name, label) of the contact block(s)
    late_or_missing: list[LateOrMissing]
    previous: PeriodInfo | None  # the period compared with, when the workspace has it
    #: how firm each rank is (issue 19.3), in ranking order
    firmness: list[Firmness] = field(default_factory=list)
    #: the department's own submission against QĐ 79, scored (issue 19.1); None before it is received
    department: DepartmentScore | None = None
    #: each unit's reported fields (staffing table, narratives, contacts), unit code → field → value
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    rounds: RoundsSummary | None = None  # the period's state and what each appraisal round did
    signoff: SignOff | None = None  # who prepared the report and who approved it (None: a draft)

    @property
    def groups(self) -> tuple[Group, ...]:
        return self.framework.groups

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return self.framework.indicators


def _previous(ws: Workspace, info: PeriodInfo) -> PeriodInfo | None:
    from app.workspace.history import previous_period  # the one rule for "the period before"

    return previous_period(list_periods(ws), info)


def _fields(ws: Workspace, submission_ids: dict[str, int]) -> dict[str, dict[str, Any]]:
    return {code: submission_fields(ws, sid) for code, sid in submission_ids.items()}


def _average(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return excel_round(Fraction(sum(values), 100 * len(values)))


def _summary(statuses: list[UnitStatus], appraised: int) -> Summary:
    counts = count_statuses(statuses)
    return Summary(**{f: getattr(counts, f) for f in StatusCounts.__dataclass_fields__}, appraised=appraised)


def _late_or_missing(statuses: list[UnitStatus], deadline: date) -> list[LateOrMissing]:
    out: list[LateOrMissing] = []
    for s in statuses:
        if s.state == RECEIVED and s.on_time:
            continue
        days = None
        if s.state == RECEIVED and s.received_at is not None:
            days = (s.received_at.date() - deadline).days + 1  # the deadline day itself is the first late day
        note = s.message
        if s.state == NOT_COUNTED:
            note = "Chỉ có tệp không được tính (sai kỳ, sai bộ chỉ số hoặc không xác định được)."
        elif s.state == UNKNOWN:
            note = "Không xác định được tệp của đơn vị nào trong danh sách."
        out.append(LateOrMissing(s.unit_code, s.unit_name, s.label_vi, s.received_at, days, s.file, note))
    return out


def _issues(ws: Workspace, period: str, names: dict[str, str], appraised: dict[str, set[str]],
            framework: Framework) -> list[OpenIssue]:  # fmt: skip
    return [OpenIssue(i.unit_code, names.get(i.unit_code, ""), i.file_name, i.sheet, i.cell,
                      framework.place_label(i.indicator) if i.indicator else "", i.severity, i.code, i.message,
                      bool(i.indicator) and i.indicator in appraised.get(i.unit_code, set()))
            for i in open_issues(ws, period, severities=("error", "warning"))]  # fmt: skip


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _same(field_name: str, a: str, b: str) -> bool:
    if "phone" in field_name:
        return "".join(ch for ch in a if ch.isdigit()) == "".join(ch for ch in b if ch.isdigit())
    return fold(a) == fold(b)


def _contacts(framework: Framework, names: dict[str, str], current: dict[str, dict[str, Any]],
              previous: dict[str, dict[str, Any]] | None) -> tuple[list[ContactRow], list[tuple[str, str]]]:  # fmt: skip
    """Each unit's contact this period, flagged where it differs from the previous period
    (CV 1690 mục 3.1.c: reported in Q1/2023, then again only when it changes)."""
    specs = [(f.name, f.label) for block in framework.contacts if not block.is_signoff for f in block.fields]
    rows: list[ContactRow] = []
    for code in sorted(current):
        now = {n: _text(current[code].get(n)) for n, _ in specs}
        before = (
            None if previous is None or code not in previous else {n: _text(previous[code].get(n)) for n, _ in specs}
        )
        change = ""
        if before is not None:
            changed = [label for n, label in specs if now[n] and before[n] and not _same(n, now[n], before[n])]
            kept = [label for n, label in specs if not now[n] and before[n]]
            if changed:
                change = "Thay đổi: " + ", ".join(changed)
            elif kept and len(kept) == len(specs):
                change = "Không báo lại (theo kỳ trước)"
        rows.append(ContactRow(code, names.get(code, ""), now, before, change))
    return rows, specs


def gather(ws: Workspace, period: str, now: datetime | None = None) -> ReportData:
    """The report of ``period`` as the workspace holds it now: one consistent state, read in one snapshot,
    even while others ingest or appraise (``Workspace.snapshot``, DESIGN §13)."""
    with ws.snapshot():
        return _gather(ws, period, now)


def _gather(ws: Workspace, period: str, now: datetime | None) -> ReportData:
    scores: PeriodScores = score_period(ws, period)
    info, framework = scores.info, scores.framework
    statuses = status(ws, info.code, include_held=False)
    by_status = {s.unit_code: s for s in statuses if s.state == RECEIVED}
    roster = frozen_units(ws, info.code, active_only=False)  # a published period: the roster as it stood then
    if roster is None:
        roster = list_units(ws, active_only=False)
    kinds = {u.code: u.kind for u in roster}
    previous = _previous(ws, info)
    before: dict[str, RankedUnit] = {}
    previous_fields: dict[str, dict[str, Any]] | None = None
    if previous is not None:
        before = {u.unit_code: u for u in score_period(ws, previous.code).ranked}
        previous_fields = _fields(ws, active_submissions(ws, previous.code))
    ranking = [RankingRow(u, kinds.get(u.unit_code, ""), by_status[u.unit_code].on_time if u.unit_code in by_status
                          else None, before[u.unit_code].appraised_cents if u.unit_code in before else None,
                          before[u.unit_code].rank if u.unit_code in before else None)
               for u in scores.ranked]  # fmt: skip
    matrix: dict[str, dict[str, MatrixCell]] = {}
    for a in scores.assessments:
        inputs = scores.effective_inputs[a.unit_code]
        cells: dict[str, MatrixCell] = {}
        for ind in framework.indicators:
            own, eff = a.indicator(ind.code)
            line = explain(ind, eff, inputs.values.get(ind.code), inputs.not_applicable.get(ind.code))
            cells[ind.code] = MatrixCell(own, eff, line)
        matrix[a.unit_code] = cells
    names = {u.unit_code: u.unit_name for u in scores.ranked}
    names.update({u.code: u.name for u in roster})
    appraised = appraised_indicators(ws, info.code)
    active = active_submissions(ws, info.code)
    current_fields = _fields(ws, active)
    contacts, contact_fields = _contacts(framework, names, current_fields, previous_fields)
    return ReportData(
        info=info,
        framework=framework,
        generated_at=(now or datetime.now()).replace(microsecond=0),
        summary=_summary(statuses, sum(1 for u in scores.ranked if u.appraised)),
        ranking=ranking,
        pillar_averages={
            g.code: avg
            for g in framework.groups
            if (avg := _average([u.group_cents[g.code] for u in scores.ranked])) is not None
        },
        total_average=_average([u.appraised_cents for u in scores.ranked]),
        matrix=matrix,
        rollup=rollup(framework, list(scores.effective_inputs.values()), current_fields),
        issues=_issues(ws, info.code, names, appraised, framework),
        contacts=contacts,
        contact_fields=contact_fields,
        late_or_missing=_late_or_missing(statuses, info.deadline),
        previous=previous,
        firmness=firmness(
            framework, list(scores.effective_inputs.values()), {u.unit_code: u.appraised_cents for u in scores.ranked}
        ),
        department=department_score(ws, info),
        fields=current_fields,
        rounds=rounds_summary(ws, info.code),
    )
