"""Giải trình: round 1's findings sent to each unit, the unit's explanations stored, round 2's verdicts.

KH 305 / KH 95: after round 1 the office tells each unit what it changed and why; the unit explains
or brings new evidence by a deadline; round 2 accepts or rejects each explanation, with a reason.
An accepted explanation takes round 1's changes of that indicator out of the final figures
(``appraise.appraisal_overrides``); a rejected one leaves them. Round 2 can still appraise anew.

- ``notice_rows`` / ``notice_file``: per unit with round-1 changes, the notice workbook
  (``app.workbook.notice``) in ``feedback/<period>/thong-bao-tham-dinh/``. ``notice_file`` is the
  one call the e-mail drafting needs to attach each unit's notice.
- ``store_reply``: a returned notice (recognised by its metadata when ingested) becomes one
  explanation row per answered indicator; the latest explanation of an indicator counts.
- ``decide``: round 2's accept or reject, sealed and audited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.numbers import format_decimal_vi
from app.workbook.notice import NoticeRow, Reply, notice_filename, write_notice

from .appraise import AppraisalRow, appraisals
from .ingest import NA_INPUT
from .period_state import ROUND_2, period_state, require_open
from .periods import framework_of, get_period
from .ranking import score_period
from .store import Workspace, WorkspaceError, appraisal_seal, current_user, now_text
from .units import list_units
from .versions import claim

NOTICES = "thong-bao-tham-dinh"


@dataclass(frozen=True, slots=True)
class Explanation:
    """A unit's latest explanation of one indicator, and round 2's latest verdict on it."""

    unit_code: str
    indicator: str
    explanation: str
    evidence: str
    file_name: str
    at: datetime
    decision: str | None  # "accept" | "reject" | None (not yet decided)
    decision_reason: str
    decided_by: str

    @property
    def decision_label(self) -> str:
        return {"accept": "Chấp nhận", "reject": "Không chấp nhận"}.get(self.decision or "", "Chưa xét")


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int):
        return format_decimal_vi(value, 0)
    if isinstance(value, float | Decimal):
        return format_decimal_vi(value)
    return str(value)


def _side(row: AppraisalRow, own: Any, self_cents: int) -> tuple[str, str]:
    """(the unit's figure, round 1's figure) of one appraisal, as people read them."""
    if row.kind == "score":
        return f"{format_decimal_vi(self_cents / 100)} điểm", f"{format_decimal_vi(row.new)} điểm"
    if row.input == NA_INPUT:
        unit = f"Không áp dụng ({own})" if own else "Áp dụng"
        return unit, (f"Không áp dụng ({row.new})" if row.new is not None else "Áp dụng")
    return f"{row.input} = {_shown(own)}", f"{row.input} = {_shown(row.new)}"


@dataclass(frozen=True, slots=True)
class AppraisalLine:
    """One appraisal of a unit as the desktop's list shows it: round, change, reason, whether it is in
    force, and the unit's explanation beside it with round 2's verdict (all worded here, once)."""

    id: int
    round_label: str
    indicator: str
    change: str
    reason: str
    who: str
    at: datetime
    state: str  # "Đang áp dụng" | "Đã rút lại: …"
    explanation: str  # "" when the unit has not explained this indicator
    withdrawable: bool
    explained: bool  # the unit explained this indicator (round 2 can accept or reject it)


def change_text(row: AppraisalRow) -> str:
    """What an appraisal changed, in one line: ``điểm 10,00 → 0,00``, ``a: 30 → 10``, ``không áp dụng``."""
    if row.kind == "score":
        return f"điểm {_shown(row.old) if row.old is not None else 'tự chấm'} → {_shown(row.new)}"
    if row.input == NA_INPUT:
        return f"đánh dấu “không áp dụng” ({row.new})" if row.new is not None else "bỏ “không áp dụng”"
    return f"{row.input}: {_shown(row.old)} → {_shown(row.new)}"


def appraisal_lines(ws: Workspace, period: str, unit_code: str) -> list[AppraisalLine]:
    """The unit's appraisals, oldest first, each with the explanation of its indicator beside it."""
    from .period_state import ROUND_LABELS

    code = get_period(ws, period).code
    published = period_state(ws, code).published
    said = {e.indicator: e for e in explanations(ws, code, unit_code)}
    out: list[AppraisalLine] = []
    for row in appraisals(ws, code, unit_code):
        taken = row.withdrawn
        e = said.get(row.indicator) if row.round == 1 else None
        state = f"Đã rút lại: {taken.reason} ({taken.who})" if taken else "Đang áp dụng"
        if not taken and e is not None and e.decision == "accept":
            state = "Áp dụng ở vòng 1; chung cuộc không tính (giải trình được chấp nhận)"
        text = ""
        if e is not None:
            text = f"Giải trình: {e.explanation}" + (f" Tài liệu mới: {e.evidence}." if e.evidence else "")
            text += f" — {e.decision_label}" + (f" ({e.decision_reason})" if e.decision_reason else "")
        out.append(AppraisalLine(row.id, ROUND_LABELS[row.round], row.indicator, change_text(row), row.reason,
                                 row.who, row.at, state, text, taken is None and not published, e is not None))  # fmt: skip
    return out


def notice_rows(ws: Workspace, period: str) -> dict[str, list[NoticeRow]]:
    """Per unit, the indicators round 1 changed (withdrawn appraisals left out), in framework order."""
    info = get_period(ws, period)
    framework = framework_of(ws, info.code)
    latest: dict[str, dict[tuple[str, str | None, str], AppraisalRow]] = defaultdict(dict)
    for row in appraisals(ws, info.code):
        if row.round == 1 and row.withdrawn is None:
            latest[row.unit_code][(row.indicator, row.input, row.kind)] = row
    if not latest:
        return {}
    scores = score_period(ws, info.code)
    own_scores = {a.unit_code: a for a in scores.assessments}
    order = {ind.code: n for n, ind in enumerate(framework.indicators)}
    out: dict[str, list[NoticeRow]] = {}
    for unit, rows in sorted(latest.items()):
        inputs = scores.self_inputs.get(unit)
        by_indicator: dict[str, list[AppraisalRow]] = defaultdict(list)
        for row in rows.values():
            by_indicator[row.indicator].append(row)
        lines: list[NoticeRow] = []
        for code in sorted(by_indicator, key=lambda c: order.get(c, len(order))):
            unit_side, appraised_side, reasons = [], [], []
            for row in sorted(by_indicator[code], key=lambda r: r.id):
                if row.input == NA_INPUT:
                    own = inputs.not_applicable.get(code) if inputs else None
                else:
                    own = inputs.values.get(code, {}).get(row.input or "") if inputs else None
                self_cents = own_scores[unit].indicator(code)[0].cents if unit in own_scores else 0
                a, b = _side(row, own, self_cents)
                unit_side.append(a)
                appraised_side.append(b)
                if row.reason not in reasons:
                    reasons.append(row.reason)
            title = framework.indicator(code).title if code in order else ""
            lines.append(NoticeRow(code, title, "\n".join(unit_side), "\n".join(appraised_side), "\n".join(reasons)))
        out[unit] = lines
    return out


def notice_file(ws: Workspace, period: str, unit_code: str, *, explain_by: date | None = None) -> Path:
    """Write (again) the appraisal notice of one unit and return its path; audited.

    The function the e-mail drafting calls to attach each unit's notice. ``explain_by`` defaults
    to the period's explanation deadline (set when it moved to "awaiting explanations")."""
    info = get_period(ws, period)
    rows = notice_rows(ws, info.code).get(unit_code)
    if not rows:
        raise WorkspaceError(f"Đơn vị {unit_code} không có chỉ số nào được điều chỉnh ở thẩm định vòng 1 của kỳ "
                             f"{info.code}; không cần thông báo.")  # fmt: skip
    names = {u.code: u.name for u in list_units(ws, active_only=False)}
    name = names.get(unit_code, unit_code)
    due = explain_by or period_state(ws, info.code).explain_deadline
    target = ws.feedback / info.code / NOTICES / notice_filename(info.code, unit_code, name)
    written = write_notice(rows, target=target, unit_code=unit_code, unit_name=name, period_code=info.code,
                           period_label=info.label, framework_id=framework_of(ws, info.code).id, explain_by=due)  # fmt: skip
    with ws.transaction():
        ws.audit("appraisal-notice", {"period": info.code, "unit": unit_code, "file": written.name,
                                      "changes": len(rows)})  # fmt: skip
    return written


def write_notices(ws: Workspace, period: str, *, explain_by: date | None = None) -> dict[str, Path]:
    """The notice of every unit with round-1 changes: unit code → file."""
    return {unit: notice_file(ws, period, unit, explain_by=explain_by) for unit in notice_rows(ws, period)}


def store_reply(ws: Workspace, period: str, reply: Reply, *, file_name: str, sha256: str) -> int:
    """Store a returned notice's explanations (call inside the ingest's transaction); returns how many."""
    info = get_period(ws, period)
    if reply.period != info.code:
        raise WorkspaceError(f"Tệp “{file_name}” là thông báo thẩm định của kỳ {reply.period}, không phải kỳ "
                             f"{info.code}; hãy tiếp nhận vào đúng kỳ.")  # fmt: skip
    require_open(ws, info.code, "nhận giải trình")
    at = now_text()
    for indicator, (text, evidence) in sorted(reply.explanations.items()):
        ws.conn.execute(
            "INSERT INTO explanations(period, unit_code, indicator, explanation, evidence, file_name, file_sha256, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (info.code, reply.unit_code, indicator, text, evidence, file_name, sha256, at))  # fmt: skip
    ws.audit("explanations", {"period": info.code, "unit": reply.unit_code, "file": file_name, "sha256": sha256,
                              "indicators": len(reply.explanations)})  # fmt: skip
    return len(reply.explanations)


def explanations(ws: Workspace, period: str, unit_code: str | None = None) -> list[Explanation]:
    """The latest explanation of each (unit, indicator), with round 2's latest verdict, by unit then id."""
    code = get_period(ws, period).code
    latest: dict[tuple[str, str], Any] = {}
    for r in ws.conn.execute("SELECT * FROM explanations WHERE period = ? ORDER BY id", (code,)):
        if unit_code is None or r["unit_code"] == unit_code:
            latest[(r["unit_code"], r["indicator"])] = r
    verdicts: dict[tuple[str, str], Any] = {}
    for r in ws.conn.execute("SELECT * FROM explanation_decisions WHERE period = ? ORDER BY id", (code,)):
        verdicts[(r["unit_code"], r["indicator"])] = r
    out = []
    for key, r in sorted(latest.items(), key=lambda kv: (kv[0][0], kv[1]["id"])):
        v = verdicts.get(key)
        out.append(Explanation(r["unit_code"], r["indicator"], r["explanation"], r["evidence"], r["file_name"],
                               datetime.fromisoformat(r["at"]), v["decision"] if v else None,
                               v["reason"] if v else "", v["who"] if v else ""))  # fmt: skip
    return out


def decide(ws: Workspace, period: str, unit_code: str, indicator: str, *, accept: bool, reason: str,
           who: str | None = None) -> Explanation:  # fmt: skip
    """Round 2's verdict on an explanation (a reason is required; sealed; audited)."""
    info = get_period(ws, period)
    if not reason or not reason.strip():
        raise WorkspaceError("Cần ghi lý do chấp nhận hoặc không chấp nhận giải trình (lý do không được để trống).")
    state = period_state(ws, info.code)
    if state.state != ROUND_2:
        raise WorkspaceError(f"Giải trình được xét ở thẩm định vòng 2; kỳ {info.code} đang ở bước “{state.label}”. "
                             f"Hãy chuyển bước: dtidesk period advance {info.code}")  # fmt: skip
    if not any(e.indicator == indicator for e in explanations(ws, info.code, unit_code)):
        raise WorkspaceError(f"Đơn vị {unit_code} chưa gửi giải trình cho chỉ số {indicator} của kỳ {info.code}.")
    who = who or current_user()
    at = now_text()
    decision = "accept" if accept else "reject"
    with ws.transaction() as conn:
        cur = conn.execute("INSERT INTO explanation_decisions(period, unit_code, indicator, decision, reason, who, at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", (info.code, unit_code, indicator, decision, reason.strip(),
                                                              who, at))  # fmt: skip
        did = int(cur.fetchone()[0])
        conn.execute("UPDATE explanation_decisions SET seal = ? WHERE id = ?",
                     (appraisal_seal((did, info.code, unit_code, indicator, decision, reason.strip(), who, at)), did))  # fmt: skip
        claim(conn, info.code, unit_code, indicator, None)  # the figures in force changed: the version moves
        ws.audit("explanation-decision", {"period": info.code, "unit": unit_code, "indicator": indicator,
                                          "decision": decision, "reason": reason.strip()}, who)  # fmt: skip
    return next(e for e in explanations(ws, info.code, unit_code) if e.indicator == indicator)


__all__ = ["NOTICES", "AppraisalLine", "Explanation", "appraisal_lines", "change_text", "decide", "explanations", "notice_file", "notice_rows", "store_reply",
           "write_notices"]  # fmt: skip
