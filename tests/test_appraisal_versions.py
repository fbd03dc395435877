"""Two people appraising the same indicator (issue 22, point 2): the second is told, nothing is overwritten.

Each test opens two ``Workspace`` connections on the same workspace, as two PCs would, and
interleaves them: both read the indicator's version, the first writes, the second's write is
refused with the Vietnamese "someone changed this, reload" message and the first's value stays.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from shared_workspaces import BACKENDS, PERIOD, RETURNED, new_locator, open_, with_period

from app.workspace import appraisals, ingest, rank
from app.workspace.appraise import withdraw
from app.workspace.versions import AppraisalConflict, indicator_version, indicator_versions

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=BACKENDS)
def locator(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    loc = with_period(new_locator(request.param, tmp_path))
    with open_(loc) as ws:
        ingest(ws, PERIOD, [RETURNED], received=datetime(2023, 4, 10, 9, 0))
    return loc


def test_the_second_of_two_appraisers_is_refused_and_the_first_value_stays(locator: str) -> None:
    with open_(locator) as lan, open_(locator) as minh:
        seen_by_lan = indicator_version(lan, PERIOD, "DV02", "1.2")  # both open the same indicator
        seen_by_minh = indicator_versions(minh, PERIOD, "DV02").get("1.2", 0)
        assert seen_by_lan == seen_by_minh == 0
        first = appraise_(lan, 15, "Biên bản họp chỉ có 15 cuộc", seen_by_lan)
        assert first.version == 1
        with pytest.raises(AppraisalConflict) as caught:
            appraise_(minh, 25, "Theo danh sách ký nhận", seen_by_minh)
        message = str(caught.value)
        assert message.startswith("Người khác vừa sửa chỉ tiêu 1.2 của đơn vị DV02")
        assert "hãy tải lại" in message.lower() and first.who in message and "phiên bản 1" in message
        assert caught.value.exit_code == 1
        # nothing of the second change was written: one appraisal, the first's value in force, one audit row
        assert [(a.new, a.who) for a in appraisals(minh, PERIOD, "DV02")] == [(15, first.who)]
        assert indicator_version(minh, PERIOD, "DV02", "1.2") == 1
        # reloaded, the second person sees the first's value as "old" and may go on
        again = appraise_(minh, 25, "Theo danh sách ký nhận", indicator_version(minh, PERIOD, "DV02", "1.2"))
        assert (again.old, again.new, again.version) == (15, 25, 2)


def test_other_indicators_and_units_do_not_conflict(locator: str) -> None:
    with open_(locator) as a, open_(locator) as b:
        appraise_(a, 15, "Biên bản họp", 0)
        row = b.conn.execute("SELECT count(*) FROM appraisals").fetchone()[0]
        from app.workspace import appraise

        appraise(b, PERIOD, "DV02", "1.1", score="1", reason="Chấm lại", expected_version=0)
        assert b.conn.execute("SELECT count(*) FROM appraisals").fetchone()[0] == row + 1
        assert indicator_versions(a, PERIOD, "DV02") == {"1.1": 1, "1.2": 1}


def test_a_withdrawal_moves_the_version_too(locator: str) -> None:
    with open_(locator) as a, open_(locator) as b:
        first = appraise_(a, 15, "Biên bản họp", 0)
        seen = indicator_version(b, PERIOD, "DV02", "1.2")
        withdraw(a, first.id, reason="Nhầm đơn vị", expected_version=1)
        with pytest.raises(AppraisalConflict):
            appraise_(b, 20, "Theo biên bản", seen)
        ranked = {r.unit_code: r for r in rank(b, PERIOD)}
        assert not ranked["DV02"].appraised  # the withdrawal stands, the refused change is not there


def test_without_a_version_the_change_is_written_as_before(locator: str) -> None:
    with open_(locator) as a, open_(locator) as b:
        appraise_(a, 15, "Biên bản họp", None)
        assert appraise_(b, 20, "Bổ sung", None).version == 2


def test_the_command_line_reports_the_version_and_refuses_a_stale_one(locator: str) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app.cli", *args, "--workspace", locator], cwd=ROOT,
                              capture_output=True, text=True, timeout=120, encoding="utf-8")  # fmt: skip

    base = ["appraise", "DV02", "1.2", "--period", PERIOD, "--input", "a", "--value", "15"]
    done = run(*base, "--reason", "Biên bản họp", "--expect-version", "0", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["version"] == 1
    stale = run(*base, "--reason", "Lần hai", "--expect-version", "0")
    assert stale.returncode == 1 and stale.stdout == ""
    assert "Người khác vừa sửa chỉ tiêu 1.2" in stale.stderr and "Traceback" not in stale.stderr
    listed = json.loads(run("appraisals", "--period", PERIOD, "--unit", "DV02", "--json").stdout)
    assert [line["version"] for line in listed] == [1]
    assert run(*base, "--reason", "Không kèm phiên bản: ghi như trước").returncode == 0


def appraise_(ws: object, value: int, reason: str, expected: int | None):  # type: ignore[no-untyped-def]
    from app.workspace import appraise

    return appraise(ws, PERIOD, "DV02", "1.2", input="a", value=value, reason=reason,  # type: ignore[arg-type]
                    expected_version=expected)  # fmt: skip


def test_an_older_workspace_gets_versions_counted_from_its_history(locator: str) -> None:
    if not Path(locator).is_dir():
        pytest.skip("a SQLite workspace's schema steps")
    import sqlite3

    with open_(locator) as ws:
        appraise_(ws, 15, "Lần một", None)
        second = appraise_(ws, 20, "Lần hai", None)
        withdraw(ws, second.id, reason="Nhầm")
        from app.workspace import appraise

        appraise(ws, PERIOD, "DV03", "1.1", score="1", reason="Chấm lại")
    conn = sqlite3.connect(Path(locator) / "dtidesk.sqlite")  # as a version-8 database would be
    conn.execute("DROP TABLE appraisal_versions")
    conn.execute("DROP TABLE submission_withdrawals")  # and without the later step (v10, the roster's)
    conn.execute("ALTER TABLE units DROP COLUMN left_on")
    conn.execute("ALTER TABLE units DROP COLUMN merged_into")
    conn.execute("PRAGMA user_version = 8")
    conn.commit()
    conn.close()
    with open_(locator) as ws:  # upgraded when opened
        assert indicator_versions(ws, PERIOD, "DV02") == {"1.2": 3}
        assert indicator_versions(ws, PERIOD, "DV03") == {"1.1": 1}
