"""The built-in demo sample: its roster reads back, and the files it simulates read the way a real quarter does.

``dtidesk demo`` is the README's main command, so what it feeds the cycle must be what the
cycle expects: every returned file identified by its metadata, good files clean, messy files with
exactly the slips planted in them, lateness decided by the file time, and all of it the same on
every run.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

import pytest

from app.demo import SAMPLE_UNITS, Scenario, SimulatedFile, assign_scenarios, fill_values, render_filled, simulate
from app.demo.fill import mess_up
from app.demo.roster import EMAIL_DOMAIN, write_roster_csv
from app.framework.registry import get_builtin
from app.period import Period
from app.workbook.identify import METADATA
from app.workbook.intake import Submission, receive_file
from app.workbook.issues import Severity
from app.workbook.roster import RosterUnit, read_roster
from scoring.engine import score_unit

Q1 = Period(2023, 1)
SVHTT = get_builtin("svhtt-1690")
SO = get_builtin("hcm-dti-so-2023")


@dataclass
class Run:
    files: list[SimulatedFile]
    received: dict[Path, Submission]
    roster: list[RosterUnit]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    out = tmp_path_factory.mktemp("demo")
    roster = read_roster(write_roster_csv(out / "don-vi.csv"))
    files = simulate(SVHTT, Q1, SAMPLE_UNITS, out / "nhan-ve")
    return Run(files, {f.path: receive_file(f.path, SVHTT, Q1.code, roster) for f in files}, roster)


def codes(sub: Submission) -> set[str]:
    return {i.code for i in sub.issues}


def errors(sub: Submission) -> list[tuple[str, str, str]]:
    return [(i.code, i.where, i.value) for i in sub.issues if i.severity is Severity.ERROR]


def test_roster_round_trips_through_read_roster(tmp_path: Path) -> None:
    path = write_roster_csv(tmp_path / "don-vi.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to show the accents
    assert path.read_text(encoding="utf-8-sig").splitlines()[0].startswith("Mã đơn vị,Tên đơn vị,Loại,Thư điện tử")
    units = read_roster(path)
    assert [(u.code, u.name, u.email) for u in units] == [(u.code, u.name, u.email) for u in SAMPLE_UNITS]
    assert 20 <= len(units) <= 30
    assert len({u.code for u in SAMPLE_UNITS}) == len({u.name for u in SAMPLE_UNITS}) == len(SAMPLE_UNITS)
    for u in SAMPLE_UNITS:  # nothing that could reach a real person
        assert u.email.endswith("@" + EMAIL_DOMAIN) and EMAIL_DOMAIN.endswith(".example")
        assert u.phone.startswith("0900 000 0")
    assert {u.kind for u in SAMPLE_UNITS} >= {"nha-hat", "bao-tang", "thu-vien", "the-thao", "dien-anh", "di-tich"}


def test_scenario_mix_is_fixed_and_realistic() -> None:
    plan = assign_scenarios(SAMPLE_UNITS, 2023)
    assert plan == assign_scenarios(SAMPLE_UNITS, 2023)
    assert list(plan) == [u.code for u in SAMPLE_UNITS]
    assert Counter(plan.values()) == {Scenario.GOOD: 15, Scenario.MESSY: 3, Scenario.LATE: 2, Scenario.MISSING: 2,
                                      Scenario.RESUBMITTED: 2, Scenario.WRONG_PERIOD: 1}  # fmt: skip
    assert assign_scenarios(SAMPLE_UNITS, 7) != plan  # the seed places the mix on other units


def test_simulate_is_deterministic(run: Run, tmp_path: Path) -> None:
    again = simulate(SVHTT, Q1, SAMPLE_UNITS, tmp_path)
    assert [(f.path.name, f.unit_code, f.scenario, f.received, f.planted) for f in again] == [
        (f.path.name, f.unit_code, f.scenario, f.received, f.planted) for f in run.files
    ]
    assert all(a.path.read_bytes() == b.path.read_bytes() for a, b in zip(again, run.files, strict=True))
    other = simulate(SVHTT, Q1, SAMPLE_UNITS, tmp_path / "other", seed=7)
    assert [f.path.name for f in other] != [f.path.name for f in run.files]


def test_files_per_scenario_and_names(run: Run) -> None:
    plan = assign_scenarios(SAMPLE_UNITS, 2023)
    sent = Counter(f.unit_code for f in run.files)
    for code, scenario in plan.items():
        assert sent[code] == {Scenario.MISSING: 0, Scenario.RESUBMITTED: 2}.get(scenario, 1), (code, scenario)
    assert len({f.path.name.casefold() for f in run.files}) == len(run.files)
    for f in run.files:
        assert f.path.suffix == ".xlsx" and f.path.is_file()
        if f.scenario is Scenario.RESUBMITTED and f.attempt == 2:
            assert f.path.name.endswith("_sua.xlsx")
        if f.scenario is Scenario.WRONG_PERIOD:
            assert f.path.name.startswith("2022-Q4_")
    assert run.files == sorted(run.files, key=lambda f: (f.received, f.path.name))


def test_every_file_is_read_and_identified_by_metadata(run: Run) -> None:
    for f in run.files:
        sub = run.received[f.path]
        assert (sub.unit_code, sub.identity.by) == (f.unit_code, METADATA), f.path.name
        assert sub.received == f.received  # the file time is the arrival time
        assert sub.identity.framework_id == SVHTT.id


def test_good_files_have_no_errors_and_scores_spread(run: Run) -> None:
    totals = []
    for f in run.files:
        if f.scenario in (Scenario.GOOD, Scenario.LATE) or f.attempt == 2:
            sub = run.received[f.path]
            assert errors(sub) == [], f.path.name
            assert not codes(sub) & {"evidence-missing", "missing-value", "zero-denominator", "value-converted"}
            totals.append(score_unit(SVHTT, sub.inputs).total)
    assert len(totals) >= 17
    assert len(set(totals)) >= len(totals) - 2  # units differ, not one fill copied 17 times
    assert max(totals) - min(totals) >= 50


def test_messy_files_have_the_planted_issues(run: Run) -> None:
    messy = [f for f in run.files if f.planted]
    assert {f.scenario for f in messy} == {Scenario.MESSY, Scenario.RESUBMITTED}
    assert all(f.attempt == 1 for f in messy)
    for f in messy:
        sub = run.received[f.path]
        assert set(f.planted) <= codes(sub), (f.path.name, set(f.planted) - codes(sub))
        assert sub.has_errors
    everywhere = set.intersection(*(set(f.planted) for f in messy))
    assert everywhere >= {"value-converted", "part-exceeds-whole", "required-missing", "na-without-explanation",
                          "evidence-missing"}  # fmt: skip
    seen = set.union(*(codes(run.received[f.path]) for f in messy))
    assert seen >= {"wrong-type", "missing-value"}
    typed = {i.value for f in messy for i in run.received[f.path].issues if i.code == "value-converted"}
    assert any(v.endswith(("người", "cái")) for v in typed) and any(v in ("x", "X") for v in typed)


def test_wrong_period_file_is_flagged(run: Run) -> None:
    (f,) = [f for f in run.files if f.scenario is Scenario.WRONG_PERIOD]
    sub = run.received[f.path]
    assert "wrong-period" in codes(sub) and not sub.counts
    assert sub.identity.period == "2022-Q4"


def test_file_times_decide_lateness(run: Run) -> None:
    deadline = datetime.combine(Q1.default_deadline, time(0))
    assert deadline == datetime(2023, 4, 20)
    for f in run.files:
        mtime = datetime.fromtimestamp(f.path.stat().st_mtime)
        assert mtime == f.received
        assert (mtime >= deadline) == (f.scenario is Scenario.LATE), f.path.name
        assert mtime >= datetime(2023, 4, 1)
    for code in {f.unit_code for f in run.files if f.scenario is Scenario.RESUBMITTED}:
        first, second = sorted((f for f in run.files if f.unit_code == code), key=lambda f: f.attempt)
        assert 2 <= (second.received.date() - first.received.date()).days <= 5


def test_fill_works_for_the_so_framework(tmp_path: Path) -> None:
    roster = read_roster(write_roster_csv(tmp_path / "don-vi.csv"))
    for unit in SAMPLE_UNITS[:4]:
        values = fill_values(SO, unit, Scenario.GOOD, random.Random(unit.code), Q1)
        assert values["v_info_1_1"] == unit.name and values["v_contact_email"] == unit.email
        messy, planted = mess_up(SO, values, random.Random(unit.code + "!"))
        for attempt, cells in ((1, messy), (2, values)):
            path = tmp_path / f"{unit.code}-{attempt}.xlsx"
            path.write_bytes(render_filled(SO, Q1.code, Q1.label_vi, unit.code, unit.name, cells))
            sub = receive_file(path, SO, Q1.code, roster)
            assert (sub.unit_code, sub.identity.by) == (unit.code, METADATA)
            if attempt == 1:
                assert set(planted) <= codes(sub), set(planted) - codes(sub)
            else:
                assert errors(sub) == [] and "evidence-missing" not in codes(sub)
    assert fill_values(SO, SAMPLE_UNITS[0], Scenario.MISSING, random.Random(1)) == {}


def test_one_good_unit_types_in_tcvn3_and_is_scored_as_if_in_unicode(run: Run) -> None:
    """Issue 23: the unit's text and its Có/Không arrive as .VnTime bytes; all of it is converted."""
    legacy = [f for f in run.files if "legacy-text-converted" in codes(run.received[f.path])]
    assert len(legacy) == 1 and legacy[0].scenario is Scenario.GOOD
    sub = run.received[legacy[0].path]
    unit = next(u for u in SAMPLE_UNITS if u.code == sub.unit_code)
    unicode_fill = fill_values(SVHTT, unit, Scenario.GOOD, random.Random(f"2023-{unit.code}"), Q1)
    converted = [i for i in sub.issues if i.code == "legacy-text-converted"]
    assert len(converted) >= 10 and any(i.value == "Cã" for i in converted)
    assert errors(sub) == []
    assert score_unit(SVHTT, sub.inputs).total > 0
    assert sub.fields["contact_name"] == unicode_fill["v_contact_name"]


def test_two_good_units_send_their_evidence_documents_one_of_them_short(run: Run) -> None:
    with_documents = [f for f in run.files if f.documents]
    assert len(with_documents) == 2 and all(f.scenario is Scenario.GOOD for f in with_documents)
    assert all(d.parent == f.path.parent and d.name.startswith(f.unit_code) for f in with_documents
               for d in f.documents)  # fmt: skip
    full, short = sorted(with_documents, key=lambda f: len(f.documents), reverse=True)
    assert len(full.documents) >= 10 and len(short.documents) >= 10


def test_the_demo_says_what_issue_23_caught(tmp_path: Path) -> None:
    from app.demo.run import run_demo
    from app.workspace import Workspace

    result = run_demo(tmp_path / "demo")
    assert result.documents >= 20
    legacy = [line for line in result.caught if "phông chữ cũ" in line]
    not_sent = [line for line in result.caught if "không gửi kèm" in line]
    assert len(legacy) == 1 and len(not_sent) == 1
    unit = not_sent[0].split(":")[0]
    with Workspace.open(result.workspace) as ws:
        rows = ws.conn.execute("SELECT i.message FROM issues i JOIN submissions s ON s.id = i.submission_id "
                               "WHERE i.code = 'evidence-not-sent' AND s.unit_code = ?", (unit,)).fetchall()  # fmt: skip
    assert len(rows) == 1 and "không có trong" in rows[0][0]
    assert any(p.name.startswith(f"2023-Q1_{unit}_") for p in result.feedback)  # its feedback workbook asks for it
