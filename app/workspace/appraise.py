"""Appraisal (thẩm định): the office changes a figure or sets a score, always with a reason.

Why a separate table instead of editing the stored values: QĐ 79 II.2.a/b keeps the self-assessed
and the appraised results side by side, and a ranking must be defensible later. So the unit's
figures in ``submission_values`` are never touched; each change is a row here (old, new, why, who,
when) plus an audit row, and scoring applies them on top (``ranking.rank``). The latest change of
the same figure wins; earlier ones stay as history.

"Không áp dụng" set or cleared by the appraiser is a value change of the pseudo-input ``NA_INPUT``
(as the unit's own N/A is stored in ``submission_values``): the new value is the explanation, or
``None`` when the indicator is made applicable again. ``appraisal_overrides`` gathers what is in
force for the scoring engine.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from scoring.appraisal import Appraisal

from .backup import auto_backup
from .ingest import NA_INPUT
from .period_state import require_open
from .periods import framework_of, get_period
from .store import (
    APPRAISAL_SEALED,
    Workspace,
    WorkspaceError,
    appraisal_seal,
    check_seal,
    current_user,
    dump_value,
    load_value,  # fmt: skip
    now_text,
)
from .versions import claim

_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class AppraisalRow:
    id: int
    period: str
    unit_code: str
    indicator: str
    input: str | None  # None for a score; ``NA_INPUT`` for "không áp dụng"
    kind: str  # "value" | "score"
    old: Any
    new: Any
    reason: str
    who: str
    at: datetime
    round: int = 1  # 1: appraisal round 1, 2: round 2 (final)
    withdrawn: Withdrawal | None = None
    version: int = 0  # the indicator's version once this change was written (``versions``); 0 when not known

    @property
    def is_not_applicable(self) -> bool:
        """A "không áp dụng" change: ``new`` is the explanation, or None when made applicable again."""
        return self.kind == "value" and self.input == NA_INPUT


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """An appraisal taken back: by whom, when, why. The appraisal row itself is never edited (it is sealed)."""

    appraisal_id: int
    reason: str
    who: str
    at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    who: str
    action: str
    details: dict[str, Any]


def _active_submission(ws: Workspace, period: str, unit_code: str) -> int:
    row = ws.conn.execute("SELECT id FROM submissions WHERE period = ? AND unit_code = ? AND status = 'active'",
                          (period, unit_code)).fetchone()  # fmt: skip
    if row is None:
        raise WorkspaceError(
            f"Đơn vị {unit_code} chưa có bản nộp được tính trong kỳ {period}; không có gì để thẩm định."
        )
    return int(row[0])


def _latest(ws: Workspace, period: str, unit_code: str, indicator: str, input: str | None, kind: str) -> Any:
    same_input = "input IS NULL" if input is None else "input = ?"  # portable: PostgreSQL has no "IS ?"
    row = ws.conn.execute(
        f"SELECT new_json FROM appraisals WHERE period = ? AND unit_code = ? AND indicator = ? AND {same_input} "
        "AND kind = ? AND id NOT IN (SELECT appraisal_id FROM appraisal_withdrawals) ORDER BY id DESC LIMIT 1",
        (period, unit_code, indicator, *(() if input is None else (input,)), kind)).fetchone()  # fmt: skip
    return _UNSET if row is None else load_value(row[0])


def _value_in_force(ws: Workspace, period: str, unit_code: str, indicator: str, input: str, submission_id: int) -> Any:
    """The input's value as it stands: the latest appraised value, else what the counted file said."""
    old = _latest(ws, period, unit_code, indicator, input, "value")
    if old is not _UNSET:
        return old
    row = ws.conn.execute("SELECT value_json FROM submission_values WHERE submission_id = ? AND indicator = ? "
                          "AND input = ?", (submission_id, indicator, input)).fetchone()  # fmt: skip
    return None if row is None else load_value(row[0])


def appraise(ws: Workspace, period: str, unit_code: str, indicator: str, *, input: str | None = None,
             value: Any = _UNSET, score: Decimal | Fraction | int | str | None = None,
             not_applicable: str | None = _UNSET, reason: str, who: str | None = None,
             expected_version: int | None = None) -> AppraisalRow:  # fmt: skip
    """Change one input's value (``input=`` and ``value=``), set the indicator's score (``score=``),
    or mark it "không áp dụng" (``not_applicable="explanation"``; ``not_applicable=None`` makes it
    applicable again).

    Exactly one of the three; the reason is required (the appraiser must be able to say why later);
    ``who`` defaults to the OS user. ``old`` is the figure in force before: the last appraisal of the
    same figure, else the unit's own. Only an indicator the framework allows to be "không áp dụng"
    can be marked so.

    ``expected_version`` is the indicator's version the caller showed (``versions.indicator_versions``):
    when someone changed the indicator since, ``AppraisalConflict`` says so and nothing is written.
    The figure in force before (``old``) is read inside the writing transaction, so it is the one the
    change replaces even when several people appraise at once.
    """
    info = get_period(ws, period)
    if not reason or not reason.strip():
        raise WorkspaceError("Cần ghi lý do thẩm định (lý do không được để trống).")
    state = require_open(ws, info.code, "thẩm định thêm")
    round_ = state.appraisal_round
    if round_ is None:
        raise WorkspaceError(f"Kỳ {info.code} đang chờ đơn vị giải trình: chưa thẩm định được. Khi hết hạn giải "
                             f"trình, hãy chuyển sang thẩm định vòng 2: dtidesk period advance {info.code}")  # fmt: skip
    framework = framework_of(ws, info.code)
    ind = next((i for i in framework.indicators if i.code == indicator), None)
    if ind is None:
        raise WorkspaceError(f"Bộ chỉ số {info.framework_id} không có chỉ số “{indicator}”.")
    sid = _active_submission(ws, info.code, unit_code)
    auto_backup(ws, "truoc-tham-dinh")
    changing_value = input is not None or value is not _UNSET
    changing_na = not_applicable is not _UNSET
    new: Any
    if changing_value + (score is not None) + changing_na != 1:
        raise WorkspaceError("Thẩm định đổi một giá trị (input và value), đặt điểm (score) hoặc đánh dấu "
                             "“không áp dụng” — đúng một trong các việc đó.")  # fmt: skip
    if changing_na:
        kind, input = "value", NA_INPUT
        if not_applicable is None:
            new = None
        else:
            if not ind.allow_na:
                raise WorkspaceError(f"Chỉ số {indicator} không được phép đánh dấu “không áp dụng” "
                                     f"theo bộ chỉ số {info.framework_id}.")  # fmt: skip
            new = str(not_applicable).strip()
            if not new:
                raise WorkspaceError(f"Cần ghi giải thích vì sao chỉ số {indicator} không áp dụng "
                                     "(giải thích không được để trống).")  # fmt: skip
    elif changing_value:
        if input is None or value is _UNSET:
            raise WorkspaceError("Đổi giá trị cần cả tên ô nhập (input) và giá trị mới (value).")
        if input not in {spec.name for spec in ind.inputs}:
            names = ", ".join(spec.name for spec in ind.inputs)
            raise WorkspaceError(f"Chỉ số {indicator} không có ô nhập “{input}” (các ô nhập: {names}).")
        kind, new = "value", value
    else:
        try:
            new = Decimal(str(score).strip().replace(",", "."))
        except InvalidOperation as exc:
            raise WorkspaceError(f"Điểm “{score}” không phải là số.") from exc
        if not 0 <= new <= Decimal(ind.max.numerator) / ind.max.denominator:
            raise WorkspaceError(f"Điểm {new} ngoài khoảng 0 – {float(ind.max):g} của chỉ số {indicator}.")
        kind, input = "score", None
    who = who or current_user()
    at = now_text()
    with ws.transaction() as conn:
        version = claim(conn, info.code, unit_code, indicator, expected_version)
        if kind == "score":
            old = _latest(ws, info.code, unit_code, indicator, None, kind)
            old = None if old is _UNSET else old
        else:
            assert input is not None
            old = _value_in_force(ws, info.code, unit_code, indicator, input, sid)
        if changing_na and new is None and old is None:
            raise WorkspaceError(f"Chỉ số {indicator} của đơn vị {unit_code} không đang ở tình trạng "
                                 "“không áp dụng”; không có gì để bỏ.")  # fmt: skip
        cur = conn.execute(
            "INSERT INTO appraisals(period, unit_code, indicator, input, kind, old_json, new_json, reason, who, at, "
            "round) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (info.code, unit_code, indicator, input, kind, dump_value(old), dump_value(new), reason.strip(), who, at,
             round_))  # fmt: skip
        aid = int(cur.fetchone()[0])
        sealed = conn.execute(f"SELECT {APPRAISAL_SEALED} FROM appraisals WHERE id = ?", (aid,)).fetchone()
        conn.execute("UPDATE appraisals SET seal = ? WHERE id = ?", (appraisal_seal(tuple(sealed)), aid))
        ws.audit("appraise", {"period": info.code, "unit": unit_code, "indicator": indicator, "input": input,
                              "kind": kind, "old": dump_value(old), "new": dump_value(new), "reason": reason.strip(),
                              "appraisal": aid, "round": round_, "version": version}, who)  # fmt: skip
    return AppraisalRow(aid, info.code, unit_code, indicator, input, kind, old, new, reason.strip(), who,
                        datetime.fromisoformat(at), round_, version=version)  # fmt: skip


def appraisals(ws: Workspace, period: str, unit_code: str | None = None) -> list[AppraisalRow]:
    """Every appraisal of a period (of one unit), oldest first — the history, not just what is in force."""
    sql = "SELECT * FROM appraisals WHERE period = ?" + (" AND unit_code = ?" if unit_code else "") + " ORDER BY id"
    args = (get_period(ws, period).code, *((unit_code,) if unit_code else ()))
    taken = _withdrawals(ws, args[0])
    return [AppraisalRow(r["id"], r["period"], r["unit_code"], r["indicator"], r["input"], r["kind"],
                         load_value(r["old_json"]), load_value(r["new_json"]), r["reason"], r["who"],
                         datetime.fromisoformat(r["at"]), int(r["round"]), taken.get(r["id"]))
            for r in ws.conn.execute(sql, args)]  # fmt: skip


def _withdrawal_sealed(row: sqlite3.Row) -> tuple[Any, ...]:
    return row["id"], row["appraisal_id"], row["reason"], row["who"], row["at"]


def _withdrawals(ws: Workspace, period: str) -> dict[int, Withdrawal]:
    """Appraisal id → its withdrawal, for the period (each checked against its seal)."""
    out: dict[int, Withdrawal] = {}
    for r in ws.conn.execute("SELECT w.* FROM appraisal_withdrawals w JOIN appraisals a ON a.id = w.appraisal_id "
                             "WHERE a.period = ?", (period,)):  # fmt: skip
        check_seal(ws, r["seal"], appraisal_seal(_withdrawal_sealed(r)), f"lần rút thẩm định số {r['appraisal_id']}")
        out[int(r["appraisal_id"])] = Withdrawal(int(r["appraisal_id"]), r["reason"], r["who"],
                                                 datetime.fromisoformat(r["at"]))  # fmt: skip
    return out


def withdraw(
    ws: Workspace, appraisal_id: int, *, reason: str, who: str | None = None, expected_version: int | None = None
) -> AppraisalRow:
    """Take an appraisal back (audited): the figure in force before it comes back.

    The sealed appraisal row is not edited; a withdrawal row is added beside it, and the layers the
    ranking is computed from leave the appraisal out. A published period is refused. A withdrawal
    raises the indicator's version like an appraisal (``expected_version``: see ``appraise``).
    """
    if not reason or not reason.strip():
        raise WorkspaceError("Cần ghi lý do rút lại thẩm định (lý do không được để trống).")
    row = ws.conn.execute("SELECT * FROM appraisals WHERE id = ?", (appraisal_id,)).fetchone()
    if row is None:
        raise WorkspaceError(f"Không có lần thẩm định số {appraisal_id}. Xem danh sách bằng: "
                             "dtidesk audit --period KỲ")  # fmt: skip
    _check_appraisal(ws, row)
    require_open(ws, row["period"], "rút lại thẩm định")
    if ws.conn.execute("SELECT 1 FROM appraisal_withdrawals WHERE appraisal_id = ?", (appraisal_id,)).fetchone():
        raise WorkspaceError(f"Lần thẩm định số {appraisal_id} đã được rút lại trước đó.")
    auto_backup(ws, "truoc-rut-tham-dinh")
    who = who or current_user()
    at = now_text()
    with ws.transaction() as conn:
        claim(conn, row["period"], row["unit_code"], row["indicator"], expected_version)
        if conn.execute("SELECT 1 FROM appraisal_withdrawals WHERE appraisal_id = ?", (appraisal_id,)).fetchone():
            raise WorkspaceError(f"Lần thẩm định số {appraisal_id} đã được rút lại trước đó.")
        cur = conn.execute("INSERT INTO appraisal_withdrawals(appraisal_id, reason, who, at) VALUES (?, ?, ?, ?) "
                           "RETURNING id", (appraisal_id, reason.strip(), who, at))  # fmt: skip
        wid = int(cur.fetchone()[0])
        conn.execute("UPDATE appraisal_withdrawals SET seal = ? WHERE id = ?",
                     (appraisal_seal((wid, appraisal_id, reason.strip(), who, at)), wid))  # fmt: skip
        ws.audit("withdraw-appraisal", {"period": row["period"], "unit": row["unit_code"], "indicator": row["indicator"],
                                        "input": row["input"], "kind": row["kind"], "appraisal": appraisal_id,
                                        "new": row["new_json"], "reason": reason.strip()}, who)  # fmt: skip
    return next(a for a in appraisals(ws, row["period"], row["unit_code"]) if a.id == appraisal_id)


def audit_log(ws: Workspace, period: str | None = None) -> list[AuditEntry]:
    """The audit trail, oldest first; with a period, only the actions about that period."""
    if period is None:
        rows = ws.conn.execute("SELECT * FROM audit ORDER BY id").fetchall()
    else:  # portable (no json_extract): a LIKE narrows, the parsed details decide
        code = get_period(ws, period).code
        rows = [r for r in ws.conn.execute("SELECT * FROM audit WHERE details_json LIKE ? ORDER BY id",
                                           (f"%{json.dumps(code, ensure_ascii=False)}%",)).fetchall()
                if json.loads(r["details_json"]).get("period") == code]  # fmt: skip
    return [AuditEntry(r["id"], datetime.fromisoformat(r["at"]), r["who"], r["action"], json.loads(r["details_json"]))
            for r in rows]  # fmt: skip


def _check_appraisal(ws: Workspace, row: sqlite3.Row) -> None:
    sealed = tuple(row[c.strip()] for c in APPRAISAL_SEALED.split(","))
    check_seal(ws, row["seal"], appraisal_seal(sealed), f"lần thẩm định số {row['id']} (đơn vị {row['unit_code']})")


def accepted_explanations(ws: Workspace, period: str) -> set[tuple[str, str]]:
    """(unit, indicator) whose explanation round 2 accepted (the latest decision counts)."""
    latest: dict[tuple[str, str], str] = {}
    for r in ws.conn.execute("SELECT * FROM explanation_decisions WHERE period = ? ORDER BY id", (period,)):
        check_seal(ws, r["seal"], appraisal_seal((r["id"], r["period"], r["unit_code"], r["indicator"], r["decision"],
                                                  r["reason"], r["who"], r["at"])),
                   f"quyết định giải trình số {r['id']}")  # fmt: skip
        latest[(r["unit_code"], r["indicator"])] = r["decision"]
    return {key for key, decision in latest.items() if decision == "accept"}


def appraisal_overrides(ws: Workspace, period: str, upto_round: int = 2) -> dict[str, Appraisal]:
    """Per unit, what the appraisals put in force for the engine (``scoring.appraisal.assess``): the latest
    value of each input, the latest "không áp dụng" of each indicator (explanation, or None to clear
    the unit's own) and the latest score of each indicator.

    Withdrawn appraisals never count. ``upto_round=1`` gives the figures of round 1; the default, the
    final figures: round 1's changes, except those of an indicator whose explanation round 2
    accepted, then round 2's."""
    code = get_period(ws, period).code
    taken = _withdrawals(ws, code)
    accepted = accepted_explanations(ws, code) if upto_round >= 2 else set()
    values: dict[str, dict[str, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
    na: dict[str, dict[str, str | None]] = defaultdict(dict)
    scores: dict[str, dict[str, Decimal | Fraction | int]] = defaultdict(dict)
    for r in ws.conn.execute("SELECT * FROM appraisals WHERE period = ? ORDER BY id", (code,)):
        _check_appraisal(ws, r)
        unit, indicator = r["unit_code"], r["indicator"]
        if r["id"] in taken or r["round"] > upto_round or (r["round"] == 1 and (unit, indicator) in accepted):
            continue
        if r["kind"] == "score":
            scores[unit][indicator] = load_value(r["new_json"])
        elif r["input"] == NA_INPUT:
            explanation = load_value(r["new_json"])
            na[unit][indicator] = None if explanation is None else str(explanation)
        else:
            values[unit][indicator][r["input"]] = load_value(r["new_json"])
    return {unit: Appraisal(values={k: dict(v) for k, v in values.get(unit, {}).items()},
                            not_applicable=dict(na.get(unit, {})), scores=dict(scores.get(unit, {})))
            for unit in sorted(set(values) | set(na) | set(scores))}  # fmt: skip


__all__ = [
    "AppraisalRow",
    "AuditEntry",
    "Withdrawal",
    "accepted_explanations",
    "appraisal_overrides",
    "appraisals",
    "appraise",
    "audit_log",
    "withdraw",
]
