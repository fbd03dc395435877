"""Appraisal rounds, withdrawals and a quarter that stays closed (issue 20 points 1, 3 and 5).

What the office relies on, each shown here: a period moves receiving → round 1 → awaiting
explanations → round 2 → published, each move audited; an appraisal belongs to the round it was
made in, and the ranking shows self-assessed, round 1 and final side by side; an appraisal can be
withdrawn and the figure before it comes back; a period never depends on a framework file outside
its workspace; and a published period's ranking does not change after a late file, a roster
rename or an edited framework file — until it is reopened, with a reason.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from contextlib import redirect_stdout
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from app.framework import find
from app.framework.registry import builtin_dir
from app.report.data import gather
from app.workspace import Workspace, WorkspaceError, add_period, appraise, audit_log, import_roster, ingest, rank
from app.workspace.appraise import appraisals, withdraw
from app.workspace.period_state import EXPLAINING, PUBLISHED, RECEIVING, ROUND_1, ROUND_2, period_state
from app.workspace.periods import framework_of
from app.workspace.ranking import unit_inputs
from app.workspace.rounds import advance, publish, reopen
from app.workspace.status import status
from scoring.engine import score_batch
from scoring.model import Framework

pytestmark = pytest.mark.usefixtures("backend")  # on SQLite and on PostgreSQL (issue 22)

ROOT = Path(__file__).resolve().parent.parent
RETURNED = ROOT / "tests" / "fixtures" / "returned"
ROSTER = ROOT / "tests" / "fixtures" / "rosters" / "returned_units.csv"
PERIOD = "2023-Q1"
ON_TIME = datetime(2023, 4, 10, 9, 0)
#: the files of the first ingest; the late one comes after publishing
FIRST = ["good-filled-by-script.xlsx", "resaved-by-libreoffice.xlsx", "values-typed-as-text.xlsx",
         "duplicate-submission-DV11-first.xlsx"]  # fmt: skip
LATE = "duplicate-submission-DV11-second.xlsx"
UNREADABLE = ROOT / "tests" / "fixtures" / "unusable" / "corrupt-bad-xml.xlsx"
REPORT_TIME = datetime(2023, 5, 1, 8, 0)


def _custom_framework(folder: Path) -> Path:
    """A custom framework: the shipped svhtt-1690 and the file it takes its indicators from, in a folder
    of the office's own (so ``indicators_from`` resolves to the file beside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("svhtt-1690.yaml", "hcm-dti-so-2023.yaml"):
        shutil.copyfile(builtin_dir() / name, folder / name)
    return folder / "svhtt-1690.yaml"


def _workspace(tmp_path: Path, framework: str = "svhtt-1690") -> Workspace:
    ws = Workspace.create(tmp_path / "ws")
    import_roster(ws, ROSTER)
    add_period(ws, PERIOD, framework)
    ingest(ws, PERIOD, [RETURNED / n for n in FIRST], received=ON_TIME)
    return ws


def _cli_json(*args: str) -> Any:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main([*args, "--json"])
    assert code == 0, out.getvalue()
    return json.loads(out.getvalue())


def test_a_published_rank_does_not_change_after_a_late_file_a_roster_rename_and_an_edited_framework(
        tmp_path: Path) -> None:  # fmt: skip
    custom = _custom_framework(tmp_path / "bo-chi-so-rieng")
    ws = _workspace(tmp_path, str(custom))
    folder = str(ws.folder)
    ranked = rank(ws, PERIOD)
    appraise(ws, PERIOD, ranked[0].unit_code, "1.1", score=0, reason="Thiếu quyết định kiện toàn Ban chỉ đạo.")
    ws.close()
    for _ in range(4):  # round 1 → explaining → round 2 → published
        _cli_json("period", "advance", PERIOD, "--workspace", folder)
    states = {p["period"]: p for p in _cli_json("period", "list", "--workspace", folder)}
    assert states[PERIOD]["state"] == PUBLISHED and states[PERIOD]["state_label"] == "Đã công bố"
    before = _cli_json("rank", "--period", PERIOD, "--workspace", folder)
    assert {"self_total", "round1_total", "final_total"} <= set(before[0])
    with Workspace.open(Path(folder)) as ws:
        report_before = gather(ws, PERIOD, now=REPORT_TIME)

    # a late file, a roster rename, an edited framework file (all three would change the ranking)
    with Workspace.open(Path(folder)) as ws:
        late = ingest(ws, PERIOD, [RETURNED / LATE, UNREADABLE], received=datetime(2023, 4, 11, 9, 0))
        assert late.added == [LATE] and [r.file for r in late.rejected] == [UNREADABLE.name]  # stored, said ...
    roster = tmp_path / "roster-renamed.csv"
    text = ROSTER.read_text(encoding="utf-8-sig")
    first = before[0]["unit_name"]
    roster.write_text(text.replace(first, "Đơn vị đổi tên"), encoding="utf-8")
    base = custom.parent / "hcm-dti-so-2023.yaml"
    chair = '- {label: "Trưởng ban là Giám đốc Sở/Ban/Ngành", fraction: 1}'
    assert chair in base.read_text(encoding="utf-8")
    base.write_text(base.read_text(encoding="utf-8").replace(chair, chair.replace("fraction: 1", 'fraction: "1/2"')),
                    encoding="utf-8")  # fmt: skip
    with Workspace.open(Path(folder)) as ws:  # the edit matters: the file as it is now scores these units lower
        units = [u for _, u in unit_inputs(ws, PERIOD)]
    assert [s.total_cents for s in score_batch(find(str(custom)), units)] != [
        s.total_cents for s in score_batch(framework_of_copy(folder), units)
    ]
    with Workspace.open(Path(folder)) as ws:
        import_roster(ws, roster)
    after = _cli_json("rank", "--period", PERIOD, "--workspace", folder)
    assert after == before  # ... but changes nothing
    with Workspace.open(Path(folder)) as ws:  # the report, recomputed from what the period froze, neither
        assert gather(ws, PERIOD, now=REPORT_TIME) == report_before

    # reopened (with a reason, audited), the period takes the late file and the new names
    with Workspace.open(Path(folder)) as ws:
        with pytest.raises(WorkspaceError, match="lý do"):
            reopen(ws, PERIOD, reason="  ")
        reopen(ws, PERIOD, reason="Đơn vị DV11 gửi bản sửa được Sở chấp nhận.")
        assert period_state(ws, PERIOD).state == ROUND_2
        assert [e.details["reason"] for e in audit_log(ws, PERIOD) if e.action == "reopen-period"] == [
            "Đơn vị DV11 gửi bản sửa được Sở chấp nhận."
        ]
        reopened = {u.unit_code: u for u in rank(ws, PERIOD)}
    assert reopened[before[0]["unit_code"]].unit_name == "Đơn vị đổi tên"
    late_id = (
        Workspace.open(Path(folder))
        .conn.execute("SELECT id FROM submissions WHERE file_name = ?", (LATE,))
        .fetchone()[0]
    )
    assert reopened["DV11"].submission_id == late_id


def framework_of_copy(folder: str) -> Framework:
    with Workspace.open(Path(folder)) as ws:
        return framework_of(ws, PERIOD)


def test_a_period_keeps_its_framework_inside_the_workspace_from_the_moment_it_is_made(tmp_path: Path) -> None:
    custom = _custom_framework(tmp_path / "ngoai")
    with _workspace(tmp_path, str(custom)) as ws:
        before = [(u.unit_code, u.self_cents) for u in rank(ws, PERIOD)]
        copy = ws.folder / "frameworks" / PERIOD / "svhtt-1690.yaml"
        assert copy.is_file() and (ws.folder / "frameworks" / PERIOD / "hcm-dti-so-2023.yaml").is_file()
        stored = ws.conn.execute("SELECT sha256, source FROM period_framework_files WHERE period = ? AND main = 1",
                                 (PERIOD,)).fetchone()  # fmt: skip
        assert stored["sha256"] == hashlib.sha256(copy.read_text(encoding="utf-8").encode()).hexdigest()
        assert stored["source"] == str(custom)
    shutil.rmtree(custom.parent)  # the office moves or deletes its file: the period still works
    with Workspace.open(tmp_path / "ws") as ws:
        assert [(u.unit_code, u.self_cents) for u in rank(ws, PERIOD)] == before


def test_the_states_go_in_order_and_each_move_is_audited(tmp_path: Path) -> None:
    with _workspace(tmp_path) as ws:
        assert period_state(ws, PERIOD).state == RECEIVING
        assert advance(ws, PERIOD).state == ROUND_1
        state = advance(ws, PERIOD, explain_deadline=date(2023, 5, 5))
        assert (state.state, state.explain_deadline) == (EXPLAINING, date(2023, 5, 5))
        unit = rank(ws, PERIOD)[0].unit_code
        with pytest.raises(WorkspaceError, match="chờ đơn vị giải trình"):
            appraise(ws, PERIOD, unit, "1.1", score=0, reason="x")
        assert advance(ws, PERIOD).state == ROUND_2
        assert advance(ws, PERIOD).state == PUBLISHED
        with pytest.raises(WorkspaceError, match="đã công bố"):
            advance(ws, PERIOD)
        with pytest.raises(WorkspaceError, match="period reopen"):
            appraise(ws, PERIOD, unit, "1.1", score=0, reason="x")
        moves = [(e.details["old"], e.details["new"]) for e in audit_log(ws, PERIOD) if e.action == "period-state"]
        assert moves == [(RECEIVING, ROUND_1), (ROUND_1, EXPLAINING), (EXPLAINING, ROUND_2), (ROUND_2, PUBLISHED)]


def test_self_assessed_round_1_and_final_side_by_side(tmp_path: Path) -> None:
    with _workspace(tmp_path) as ws:
        advance(ws, PERIOD)
        unit = rank(ws, PERIOD)[0]
        assert unit.self_cents == unit.round1_cents == unit.appraised_cents
        r1 = appraise(ws, PERIOD, unit.unit_code, "1.1", score=0, reason="Vòng 1: thiếu hồ sơ.")
        advance(ws, PERIOD)
        advance(ws, PERIOD)
        r2 = appraise(ws, PERIOD, unit.unit_code, "1.2", score=0, reason="Vòng 2: số liệu không khớp.")
        assert (r1.round, r2.round) == (1, 2)
        now = next(u for u in rank(ws, PERIOD) if u.unit_code == unit.unit_code)
        assert now.self_cents > now.round1_cents > now.appraised_cents
        rows = _cli_json("rank", "--period", PERIOD, "--workspace", str(ws.folder))
        mine = next(r for r in rows if r["unit_code"] == unit.unit_code)
        assert (mine["self_total"], mine["round1_total"], mine["final_total"]) == (
            float(now.self_total),
            float(now.round1_total),
            float(now.appraised_total),
        )


def test_a_withdrawn_appraisal_gives_back_the_figure_before_it(tmp_path: Path) -> None:
    with _workspace(tmp_path) as ws:
        unit = rank(ws, PERIOD)[0]
        first = appraise(ws, PERIOD, unit.unit_code, "1.1", score=5, reason="Một phần hồ sơ.")
        with_first = next(u for u in rank(ws, PERIOD) if u.unit_code == unit.unit_code).appraised_cents
        second = appraise(ws, PERIOD, unit.unit_code, "1.1", score=0, reason="Nhập nhầm.")
        folder = str(ws.folder)
    out = _cli_json("appraise", "--withdraw", str(second.id), "--reason", "Nhập nhầm điểm.", "--workspace", folder)
    assert out["withdrawn"] is True and out["appraisal"] == second.id
    with Workspace.open(Path(folder)) as ws:
        assert next(u for u in rank(ws, PERIOD) if u.unit_code == unit.unit_code).appraised_cents == with_first
        withdraw(ws, first.id, reason="Đơn vị đã bổ sung hồ sơ.")
        back = next(u for u in rank(ws, PERIOD) if u.unit_code == unit.unit_code)
        assert back.appraised_cents == unit.self_cents and not back.appraised
        with pytest.raises(WorkspaceError, match="đã được rút lại"):
            withdraw(ws, first.id, reason="lần nữa")
        with pytest.raises(WorkspaceError, match="lý do"):
            withdraw(ws, 999, reason=" ")
        listed = {a.id: a for a in appraisals(ws, PERIOD)}
        assert (
            listed[first.id].withdrawn is not None and listed[first.id].withdrawn.reason == "Đơn vị đã bổ sung hồ sơ."
        )
        taken = [e for e in audit_log(ws, PERIOD) if e.action == "withdraw-appraisal"]
        assert [e.details["appraisal"] for e in taken] == [second.id, first.id]
        # a later appraisal of the same figure records the figure in force: the unit's own, not the withdrawn 5
        again = appraise(ws, PERIOD, unit.unit_code, "1.1", score=1, reason="Xét lại.")
        assert again.old is None


def test_a_late_file_after_publishing_is_stored_but_not_counted_until_reopened(tmp_path: Path) -> None:
    with _workspace(tmp_path) as ws:
        publish(ws, PERIOD)
        before = {u.unit_code: u.submission_id for u in rank(ws, PERIOD)}
        ingest(ws, PERIOD, [RETURNED / LATE], received=datetime(2023, 4, 11, 9, 0))
        dv11 = [s for s in ws.conn.execute("SELECT id, status FROM submissions WHERE unit_code = 'DV11' ORDER BY id")]
        assert [s["status"] for s in dv11] == ["active", "not-counted"]
        assert {u.unit_code: u.submission_id for u in rank(ws, PERIOD)} == before
        assert next(s for s in status(ws, PERIOD) if s.unit_code == "DV11").files == 2  # the office sees it came
        reopen(ws, PERIOD, reason="Nhận bản sửa của DV11.")
        assert {u.unit_code: u.submission_id for u in rank(ws, PERIOD)}["DV11"] == dv11[1]["id"]


def _answer(notice: Path, answers: dict[str, tuple[str, str]], target: Path) -> Path:
    """The unit fills the notice's open columns and saves it (as Excel would: a re-saved workbook)."""
    import openpyxl

    wb = openpyxl.load_workbook(notice)
    sheet = wb["Thông báo thẩm định"]
    for row in sheet.iter_rows(min_row=7):
        code = row[1].value
        if code in answers:
            row[6].value, row[7].value = answers[code]
    wb.save(target)
    return target


def test_the_explanations_round_trip_and_round_2_accepts_or_rejects_each(tmp_path: Path) -> None:
    from app.workspace.explain import decide, explanations, notice_file, notice_rows

    with _workspace(tmp_path) as ws:
        advance(ws, PERIOD)
        unit = rank(ws, PERIOD)[0]
        appraise(ws, PERIOD, unit.unit_code, "1.1", score=0, reason="Thiếu quyết định kiện toàn.")
        appraise(ws, PERIOD, unit.unit_code, "1.2", input="a", value=10, reason="Chỉ 10 người có chứng chỉ.")
        withdrawn = appraise(ws, PERIOD, unit.unit_code, "1.3", score=0, reason="Nhầm.")
        withdraw(ws, withdrawn.id, reason="Nhầm chỉ số.")
        advance(ws, PERIOD, explain_deadline=date(2023, 5, 10))
        rows = notice_rows(ws, PERIOD)
        assert list(rows) == [unit.unit_code]
        assert [(r.indicator, r.appraised) for r in rows[unit.unit_code]] == [("1.1", "0,00 điểm"), ("1.2", "a = 10")]
        assert rows[unit.unit_code][1].unit_value == "a = 30" and "chứng chỉ" in rows[unit.unit_code][1].reason
        notice = notice_file(ws, PERIOD, unit.unit_code)
        assert notice.parent == ws.feedback / PERIOD / "thong-bao-tham-dinh" and notice.is_file()
        reply = _answer(notice, {"1.1": ("Đã có Quyết định 12/QĐ ngày 2/3/2023.", "QD-12.pdf"),
                                 "1.2": ("30 người đều có chứng chỉ.", "")}, tmp_path / "tra-loi.xlsx")  # fmt: skip
        result = ingest(ws, PERIOD, [reply])
        assert result.explanations == ["tra-loi.xlsx"] and result.added == [] and result.rejected == []
        assert ingest(ws, PERIOD, [reply]).skipped == ["tra-loi.xlsx"]  # the same reply again changes nothing
        got = {e.indicator: e for e in explanations(ws, PERIOD)}
        assert got["1.1"].evidence == "QD-12.pdf" and got["1.2"].explanation == "30 người đều có chứng chỉ."
        assert got["1.1"].decision is None
        with pytest.raises(WorkspaceError, match="vòng 2"):
            decide(ws, PERIOD, unit.unit_code, "1.1", accept=True, reason="Đủ hồ sơ.")
        round1 = next(u for u in rank(ws, PERIOD) if u.unit_code == unit.unit_code)
        advance(ws, PERIOD)
        decide(ws, PERIOD, unit.unit_code, "1.1", accept=True, reason="Quyết định hợp lệ.")
        decide(ws, PERIOD, unit.unit_code, "1.2", accept=False, reason="Danh sách chứng chỉ không khớp.")
        final = next(u for u in rank(ws, PERIOD) if u.unit_code == unit.unit_code)
        assert final.round1_cents == round1.round1_cents < final.appraised_cents < unit.self_cents
        assert {e.indicator: e.decision for e in explanations(ws, PERIOD)} == {"1.1": "accept", "1.2": "reject"}
        actions = [e.action for e in audit_log(ws, PERIOD)]
        assert {"appraisal-notice", "explanations", "explanation-decision"} <= set(actions)


def test_the_report_shows_round_1_beside_self_and_final_and_the_rounds_in_its_closing_note(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from app.report import make_report

    with _workspace(tmp_path) as ws:
        advance(ws, PERIOD)
        unit = rank(ws, PERIOD)[0]
        appraise(ws, PERIOD, unit.unit_code, "1.1", score=0, reason="Thiếu hồ sơ.")
        advance(ws, PERIOD, explain_deadline=date(2023, 5, 10))
        advance(ws, PERIOD)
        publish(ws, PERIOD, who="van.thu")
        note = gather(ws, PERIOD).rounds.note()  # type: ignore[union-attr]
        assert note.startswith("Tình trạng kỳ: Đã công bố (") and "van.thu" in note
        assert ". Thẩm định vòng 1: 1 điều chỉnh" in note and "trước 00g00 ngày 10/05/2023" in note
        workbook = make_report(ws, PERIOD).workbook
    wb = load_workbook(workbook)
    summary = [[c.value for c in row] for row in wb["Tổng hợp"].iter_rows()]
    assert any(row[0] == "Thẩm định và công bố" and row[1] == note for row in summary)
    ranking = [[c.value for c in row] for row in wb["Xếp hạng"].iter_rows()]
    head = next(n for n, row in enumerate(ranking) if row[0] == "Hạng")
    col = {h: i for i, h in enumerate(ranking[head])}
    mine = next(row for row in ranking[head + 1 :] if row[1] == unit.unit_code)
    assert (mine[col["Tổng điểm tự chấm"]], mine[col["Tổng điểm thẩm định vòng 1"]]) == (
        float(unit.self_total),
        float(unit.self_total) - 10,
    )


def test_a_published_period_refuses_what_would_change_it(tmp_path: Path) -> None:
    from app.workspace import set_deadline, set_received

    with _workspace(tmp_path) as ws:
        sid = rank(ws, PERIOD)[0].submission_id
        first = appraise(ws, PERIOD, rank(ws, PERIOD)[0].unit_code, "1.1", score=0, reason="Thiếu hồ sơ.")
        publish(ws, PERIOD)
        for change in (lambda: set_deadline(ws, PERIOD, date(2023, 5, 1)),
                       lambda: set_received(ws, sid, datetime(2023, 4, 30, 8, 0)),
                       lambda: withdraw(ws, first.id, reason="Rút."),
                       lambda: publish(ws, PERIOD)):  # fmt: skip
            with pytest.raises(WorkspaceError, match="đã công bố"):
                change()


def test_the_command_line_offers_every_step(tmp_path: Path) -> None:
    with _workspace(tmp_path) as ws:
        folder = str(ws.folder)
        unit = rank(ws, PERIOD)[0].unit_code
    where = ("--workspace", folder)
    assert _cli_json("period", "advance", PERIOD, *where)["state"] == ROUND_1
    made = _cli_json("appraise", unit, "1.1", "--period", PERIOD, "--score", "0", "--reason", "Thiếu hồ sơ.", *where)
    assert made["round"] == 1
    moved = _cli_json("period", "advance", PERIOD, "--explain-deadline", "12/05/2023", *where)
    assert (moved["state"], moved["explain_deadline"]) == (EXPLAINING, "2023-05-12")
    assert _cli_json("period", "explain-deadline", PERIOD, "15/05/2023", *where)["explain_deadline"] == "2023-05-15"
    (notice,) = _cli_json("explain", "notices", "--period", PERIOD, *where)
    assert notice["unit"] == unit and Path(notice["file"]).is_file()
    reply = _answer(Path(notice["file"]), {"1.1": ("Đã có quyết định.", "qd.pdf")}, tmp_path / "giai-trinh.xlsx")
    assert _cli_json("ingest", str(reply), "--period", PERIOD, *where)["explanations"] == ["giai-trinh.xlsx"]
    _cli_json("period", "advance", PERIOD, *where)
    verdict = _cli_json("explain", "reject", unit, "1.1", "--period", PERIOD, "--reason", "Chưa ký.", *where)
    assert verdict["decision"] == "reject"
    (listed,) = _cli_json("explain", "list", "--period", PERIOD, *where)
    assert (listed["explanation"], listed["decision_label"]) == ("Đã có quyết định.", "Không chấp nhận")
    (line,) = _cli_json("appraisals", "--period", PERIOD, "--unit", unit, *where)
    assert line["appraisal"] == made["appraisal"] and "Không chấp nhận (Chưa ký.)" in line["explanation"]
    assert _cli_json("period", "publish", PERIOD, *where)["state"] == PUBLISHED
    assert _cli_json("period", "reopen", PERIOD, "--reason", "Sửa.", *where)["state"] == ROUND_2
