"""The department's own self-assessment in the workspace (CV 1690 mục 5.2(b), issue 19).

A period holds the units' framework (``periods.framework_id``) and, beside it, the department's
(``period_frameworks``, role ``department``; by default the target of the shipped derivation rules,
``svhtt-1690`` → ``hcm-dti-so-2023``). Here: the derived draft from the units' appraised figures,
the office's overrides of a derived figure (reason required, audited), the department workbook
written pre-filled, and that workbook read back as the department's own submission, scored by
the same engine.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.atomic import write_atomic
from app.department.derive import Draft, Override, derive, show_value
from app.department.workbook import render_department
from app.framework import FrameworkError, get_builtin
from app.framework.derivation import builtin_derivation, derivation_target, resolve_ref
from app.signoff import sign_off
from app.workbook.filenames import safe_component
from app.workbook.intake import receive_file
from app.workbook.issues import Severity
from app.workbook.package import Unusable
from app.workbook.roster import RosterUnit
from app.workbook.values import EXPECTED, parse_value
from scoring.engine import score_unit
from scoring.model import Framework

from .backup import auto_backup
from .blobs import put_blob
from .periods import PeriodInfo, get_period
from .ranking import score_period
from .status import RECEIVED, status
from .store import Workspace, WorkspaceError, dump_value, load_value, now_text

DEPARTMENT_CODE = "SO-VHTT"
DEPARTMENT_NAME = "Sở Văn hóa và Thể thao"
ROLE = "department"


@dataclass(frozen=True, slots=True)
class DepartmentScore:
    """The department's own submission as scored by the engine."""

    framework: Framework
    file_name: str
    received_at: str
    total_cents: int
    group_cents: dict[str, int]
    errors: int


def department_framework(ws: Workspace, period: str) -> Framework:
    """The framework the department answers in ``period`` (``WorkspaceError`` when there is none)."""
    info = get_period(ws, period)
    row = ws.conn.execute("SELECT framework_id FROM period_frameworks WHERE period = ? AND role = ?",
                          (info.code, ROLE)).fetchone()  # fmt: skip
    fid = row["framework_id"] if row else derivation_target(info.framework_id)
    if fid is None:
        raise WorkspaceError(f"Bộ chỉ số {info.framework_id} của kỳ {info.code} không có quy tắc tổng hợp lên cấp Sở "
                             "(workbook_templates/derivations/).")  # fmt: skip
    try:
        return get_builtin(fid)
    except (KeyError, FrameworkError) as exc:
        raise WorkspaceError(f"Không nạp được bộ chỉ số “{fid}” của Sở.") from exc


def _fields(ws: Workspace, period: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = defaultdict(dict)
    for r in ws.conn.execute(
            "SELECT s.unit_code, v.input, v.value_json FROM submission_values v JOIN submissions s "
            "ON s.id = v.submission_id WHERE s.period = ? AND s.status = 'active' AND v.indicator = ''", (period,)):  # fmt: skip
        out[r["unit_code"]][r["input"]] = load_value(r["value_json"])
    return dict(out)


def overrides(ws: Workspace, period: str) -> dict[str, Override]:
    return {r["target"]: Override(load_value(r["value_json"]), r["reason"], r["who"], r["at"])
            for r in ws.conn.execute("SELECT * FROM department_overrides WHERE period = ?", (period,))}  # fmt: skip


def department_draft(ws: Workspace, period: str) -> Draft:
    """The department's form derived from the period's counted returns (appraised figures applied)."""
    scores = score_period(ws, period)
    info = scores.info
    target = department_framework(ws, info.code)
    try:
        rules = builtin_derivation(info.framework_id, target.id)
    except (KeyError, FrameworkError) as exc:
        raise WorkspaceError(f"Không có quy tắc tổng hợp hợp lệ từ {info.framework_id} lên {target.id}.") from exc
    states = [s for s in status(ws, info.code) if s.unit_code]
    late = frozenset(s.unit_code for s in states if s.state == RECEIVED and not s.on_time)
    appraised: dict[str, set[str]] = defaultdict(set)
    for r in ws.conn.execute("SELECT unit_code, indicator FROM appraisals WHERE period = ?", (info.code,)):
        appraised[r["unit_code"]].add(r["indicator"])
    names = {s.unit_code: s.unit_name for s in states}
    return derive(rules, target, list(scores.effective_inputs.values()), _fields(ws, info.code),
                  [s.unit_code for s in states], late=late, appraised=appraised,
                  overrides=overrides(ws, info.code), names=names)  # fmt: skip


def department_filename(period: str) -> str:
    return f"tu-danh-gia-cua-so-{safe_component(period)}.xlsx"


def write_department_workbook(ws: Workspace, period: str, out: Path | None = None, now: datetime | None = None,
                              *, prepared_by: str | None = None, approved_by: str | None = None) -> tuple[Path, Draft]:  # fmt: skip
    """Write the department's pre-filled workbook (default ``reports/<period>/tu-danh-gia-cua-so-<period>.xlsx``); audited.

    ``prepared_by`` and ``approved_by`` sign it off (two different people, ``app.signoff``)."""
    signed = sign_off(prepared_by, approved_by)  # refused before anything is written
    info = get_period(ws, period)
    draft = department_draft(ws, info.code)
    data = render_department(draft, DEPARTMENT_CODE, DEPARTMENT_NAME, info.code, info.label, now=now, signoff=signed)
    target = out if out is not None else ws.reports / info.code / department_filename(info.code)
    written = write_atomic(target, data)
    if not ws.read_only:
        with ws.transaction() as conn:
            conn.execute("INSERT INTO period_frameworks(period, framework_id, role) VALUES (?, ?, ?) "
                         "ON CONFLICT (period, framework_id) DO NOTHING", (info.code, draft.framework.id, ROLE))  # fmt: skip
            ws.audit("department-workbook", {"period": info.code, "file": written.name,
                                             "derived": len(draft.derived), "office": len(draft.office),
                                             **({"prepared_by": signed.prepared_by, "approved_by": signed.approved_by}
                                                if signed else {})})  # fmt: skip
    return written, draft


def override_department(ws: Workspace, period: str, target: str, value: str, reason: str) -> Override:
    """Replace a derived figure of the department's form with the office's, with a reason (audited).

    An empty ``value`` removes the override (the derived figure applies again)."""
    info = get_period(ws, period)
    if not reason.strip():
        raise WorkspaceError("Hãy ghi lý do sửa số liệu của Sở (--reason); lý do được lưu trong nhật ký.")
    fw = department_framework(ws, info.code)
    found = resolve_ref(fw, target)
    if found is None:
        raise WorkspaceError(f"Bộ chỉ số {fw.id} không có ô số liệu “{target}” (ví dụ: 4.1.c, info_1_6).")
    ref, kind = found
    draft = department_draft(ws, info.code)
    cell = next(c for c in draft.cells if c.ref == ref)
    options: tuple[str, ...] = ()
    if ref.indicator:
        options = tuple(o.label for o in fw.indicator(ref.indicator).input(ref.name).options)
    parsed = parse_value(kind, value.strip() or None, options)
    if parsed.error:
        raise WorkspaceError(
            f"Giá trị “{value}” cho ô {ref.text} không hợp lệ: cần {parsed.expected or EXPECTED[kind]}."
        )
    auto_backup(ws, "truoc-sua-so-lieu-so")
    with ws.transaction() as conn:
        if parsed.value is None:
            conn.execute("DELETE FROM department_overrides WHERE period = ? AND target = ?", (info.code, ref.text))
        else:
            conn.execute("INSERT INTO department_overrides(period, target, value_json, derived_json, "
                         "reason, who, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (period, target) DO UPDATE SET "
                         "value_json = excluded.value_json, derived_json = excluded.derived_json, "
                         "reason = excluded.reason, who = excluded.who, at = excluded.at",
                         (info.code, ref.text, dump_value(parsed.value), json.dumps(show_value(cell.derived, kind)),
                          reason.strip(), _who(), now_text()))  # fmt: skip
        ws.audit("department-override", {"period": info.code, "target": ref.text,
                                         "old": show_value(cell.derived, kind),
                                         "new": show_value(parsed.value, kind), "reason": reason.strip()})  # fmt: skip
    return Override(parsed.value, reason.strip())


def _who() -> str:
    from .store import current_user

    return current_user()


def receive_department(ws: Workspace, period: str, path: Path) -> DepartmentScore:
    """Read the department's filled workbook back as its own submission and score it; audited.

    A later file replaces the earlier one (kept, marked superseded). ``WorkspaceError`` with what
    to do when the file is not the department's workbook of this period.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WorkspaceError(f"Không đọc được tệp {path}: {exc.strerror or exc}.", path=path) from exc
    return receive_department_data(ws, period, path, data)


def received_as_department(ws: Workspace, period: str, name: str, data: bytes) -> DepartmentScore | None:
    """The file received as the department's own workbook when it is one (made by ``dtidesk department``,
    for this period); None when it is not, so ingest treats it as any other file."""
    info = get_period(ws, period)
    try:
        fw = department_framework(ws, info.code)
    except WorkspaceError:
        return None
    try:
        sub = receive_file(data, fw, info.code, [RosterUnit(DEPARTMENT_CODE, DEPARTMENT_NAME)], file=name)
    except Unusable:
        return None
    if sub.unit_code != DEPARTMENT_CODE or any(i.code in ("wrong-framework", "wrong-period") for i in sub.issues):
        return None
    return receive_department_data(ws, period, Path(name), data)


def receive_department_data(ws: Workspace, period: str, path: Path, data: bytes) -> DepartmentScore:
    """``receive_department`` for a file's bytes (from a dropped folder or an e-mail); ``path`` names it."""
    info = get_period(ws, period)
    fw = department_framework(ws, info.code)
    try:
        sub = receive_file(data, fw, info.code, [RosterUnit(DEPARTMENT_CODE, DEPARTMENT_NAME)], file=path.name)
    except Unusable as exc:
        raise WorkspaceError(f"Không đọc được tệp {path}: {str(exc).rstrip('.')}. Hãy gửi lại tệp do “dtidesk department” lập.",
                             path=path) from exc  # fmt: skip
    wrong = [i for i in sub.issues if i.code in ("wrong-framework", "wrong-period")]
    if wrong or sub.unit_code != DEPARTMENT_CODE:
        why = wrong[0].message if wrong else "tệp không phải bảng tự đánh giá của Sở"
        raise WorkspaceError(f"Tệp {path.name} không được nhận là bản tự đánh giá của Sở kỳ {info.code}: {why}.",
                             path=path)  # fmt: skip
    scored = score_unit(fw, sub.inputs)
    errors = sum(1 for i in sub.issues if i.severity is Severity.ERROR)
    sha = hashlib.sha256(data).hexdigest()
    stored = Path("received") / info.code / "so" / f"{sha[:16]}{path.suffix.lower()}"
    write_atomic(ws.folder / stored, data)
    put_blob(ws, sha, data)  # a shared workspace keeps the original in the database (blobs.py)
    values = {code: {k: dump_value(v) for k, v in vals.items()} for code, vals in sub.inputs.values.items()}
    groups = scored.group_cents(fw)
    with ws.transaction() as conn:
        conn.execute("UPDATE department_submissions SET status = 'superseded' WHERE period = ? AND status = 'active'",
                     (info.code,))  # fmt: skip
        conn.execute("INSERT INTO department_submissions(period, framework_id, file_name, file_sha256, stored_path, "
                     "received_at, values_json, total_cents, groups_json, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (info.code, fw.id, path.name, sha, str(stored), now_text(), json.dumps(values, ensure_ascii=False),
                      scored.total_cents, json.dumps(groups), errors))  # fmt: skip
        conn.execute("INSERT INTO period_frameworks(period, framework_id, role) VALUES (?, ?, ?) "
                     "ON CONFLICT (period, framework_id) DO NOTHING", (info.code, fw.id, ROLE))  # fmt: skip
        ws.audit("department-receive", {"period": info.code, "file": path.name, "total_cents": scored.total_cents,
                                        "errors": errors})  # fmt: skip
    return DepartmentScore(fw, path.name, now_text(), scored.total_cents, groups, errors)


def department_score(ws: Workspace, info: PeriodInfo) -> DepartmentScore | None:
    """The department's counted submission of the period, scored; None before one is received."""
    row = ws.conn.execute("SELECT * FROM department_submissions WHERE period = ? AND status = 'active'",
                          (info.code,)).fetchone()  # fmt: skip
    if row is None:
        return None
    try:
        fw = get_builtin(row["framework_id"])
    except (KeyError, FrameworkError):
        return None
    return DepartmentScore(fw, row["file_name"], row["received_at"], int(row["total_cents"]),
                           {k: int(v) for k, v in json.loads(row["groups_json"]).items()}, int(row["errors"]))  # fmt: skip
