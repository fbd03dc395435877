"""``dtidesk demo``: the whole quarterly cycle on the built-in sample, into a fresh folder.

Roster of 25 units → workspace → period 2023-Q1 (due before 00:00 on 20/04/2023) → one template per unit →
simulated returns (good, late, messy, missing, resubmitted, wrong period) saved like e-mail
attachments → ingest → appraisal round 1 (two findings) → appraisal notices to those units → the
units' explanations returned and ingested → round 2 accepts one, rejects the other → published →
feedback workbooks for the units with problems and the consolidated report with its CSV/JSON
exports. Every step is the same core function the CLI and the desktop call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.errors import UsageError
from app.framework.registry import get_builtin
from app.period import parse_period
from app.report import make_report
from app.workspace import Workspace, add_period, appraise, import_roster, ingest, rank, status
from app.workspace.department import write_department_workbook
from app.workspace.explain import decide, write_notices
from app.workspace.feedback import write_unit_feedback
from app.workspace.rounds import advance, publish
from app.workspace.status import count_statuses
from app.workspace.templates import generate_for_period

from .fill import answer_notice, simulate
from .roster import SAMPLE_UNITS, write_roster_csv

FRAMEWORK = "svhtt-1690"
EXPLANATION = "Đơn vị đã ban hành quyết định kiện toàn Ban chỉ đạo; gửi kèm bản chụp quyết định."
EVIDENCE = "quyet-dinh-kien-toan-ban-chi-dao.pdf"
PERIOD = "2023-Q1"


@dataclass(slots=True)
class DemoResult:
    folder: Path
    workspace: Path
    roster: Path
    templates: Path
    inbox: Path
    feedback: list[Path] = field(default_factory=list)
    ranking_csv: Path | None = None  # the ranking CSV to upload (comma, decimal dot)
    report: Path | None = None  # the consolidated report workbook
    appendix: Path | None = None  # the report's explanations workbook, printed on request
    department: Path | None = None  # the department's own QĐ 79 workbook, pre-filled from the units' returns
    docx: Path | None = None  # the written report (Word, NĐ 30/2020 layout)
    exports: list[Path] = field(default_factory=list)  # its CSV/JSON exports
    received: int = 0
    rejected: int = 0
    status: dict[str, int] = field(default_factory=dict)  # ``StatusCounts.labelled()``: label → number
    top: list[tuple[int, str, str, Decimal, Decimal]] = field(default_factory=list)
    appraisal: str = ""
    documents: int = 0  # evidence documents stored with the units' workbooks
    #: what the checks of issue 23 caught, as Vietnamese lines: text typed in an old font, documents cited not sent
    caught: list[str] = field(default_factory=list)
    notices: list[Path] = field(default_factory=list)  # appraisal notices (round 1) sent to units
    explanations: int = 0  # returned notices ingested
    state: str = ""  # the period's state at the end (published)


def run_demo(folder: Path, seed: int = 2023, resend_by: date | None = None,
             database: str | None = None) -> DemoResult:  # fmt: skip
    """Run the cycle into ``folder`` (created; must not exist or be empty: else ``UsageError``); the
    feedback workbooks ask for corrected files by ``resend_by`` (default: ``app.period.default_resend_by``
    of today). ``database``: a ``postgresql://`` URL of an empty database, to run it on a shared workspace."""
    if folder.exists() and any(folder.iterdir()):
        raise UsageError(f"Thư mục {folder} đã có dữ liệu; hãy chọn thư mục khác (--out).", path=folder)
    folder.mkdir(parents=True, exist_ok=True)
    fw = get_builtin(FRAMEWORK)
    period = parse_period(PERIOD)
    roster_path = write_roster_csv(folder / "danh-sach-don-vi.csv")
    ws = Workspace.create(folder / "khong-gian-lam-viec", database=database)
    try:
        import_roster(ws, roster_path)
        add_period(ws, PERIOD, FRAMEWORK)
        generated = generate_for_period(ws, PERIOD)
        inbox = folder / "thu-nhan-tu-email"
        simulate(fw, period, SAMPLE_UNITS, inbox, seed=seed)
        result = ingest(ws, PERIOD, [inbox])
        out = DemoResult(folder, ws.folder, roster_path, generated[0].path.parent, inbox,
                         received=len(result.added), rejected=len(result.rejected),
                         documents=len(result.documents), caught=caught(ws, PERIOD))  # fmt: skip
        states = status(ws, PERIOD)
        out.status = count_statuses(states).labelled()  # the same tally and words as the report and dashboard
        ranked = rank(ws, PERIOD)
        advance(ws, PERIOD)  # receiving → appraisal round 1
        if len(ranked) >= 2:  # round 1: the office checks the two leaders' evidence, with a reason each
            first, second = ranked[0], ranked[1]
            appraise(ws, PERIOD, first.unit_code, "1.1", score=0,
                     reason="Thẩm định: quyết định kiện toàn Ban chỉ đạo chuyển đổi số chưa kèm theo hồ sơ.")  # fmt: skip
            appraise(ws, PERIOD, second.unit_code, "1.1", score=0,
                     reason="Thẩm định: chưa có quyết định thành lập Ban chỉ đạo chuyển đổi số.")  # fmt: skip
            advance(ws, PERIOD)  # → awaiting explanations: each unit gets its notice
            out.notices = list(write_notices(ws, PERIOD).values())
            replies = [answer_notice(path, folder / "giai-trinh-tu-email" / path.name, EXPLANATION, EVIDENCE)
                       for path in out.notices]  # fmt: skip
            out.explanations = len(ingest(ws, PERIOD, replies).explanations)
            advance(ws, PERIOD)  # → round 2 (final): one explanation holds, the other does not
            decide(ws, PERIOD, first.unit_code, "1.1", accept=True,
                   reason="Quyết định kiện toàn gửi kèm giải trình hợp lệ.")  # fmt: skip
            decide(ws, PERIOD, second.unit_code, "1.1", accept=False,
                   reason="Văn bản gửi kèm là dự thảo, chưa ký ban hành.")  # fmt: skip
            out.appraisal = (f"vòng 1: {first.unit_code}, {second.unit_code} chỉ số 1.1 → 0 điểm; giải trình: "
                             f"{first.unit_code} được chấp nhận, {second.unit_code} không (có lý do, lưu nhật ký)")  # fmt: skip
        else:
            advance(ws, PERIOD)
            advance(ws, PERIOD)
        out.state = publish(ws, PERIOD).label
        ranked = rank(ws, PERIOD)
        out.top = [(r.rank, r.unit_code, r.unit_name, r.self_total, r.appraised_total) for r in ranked]
        out.feedback = [write_unit_feedback(ws, PERIOD, s.unit_code, resend_by) for s in states
                        if s.state == "received" and (s.errors or s.warnings)]  # fmt: skip
        out.department, _ = write_department_workbook(ws, PERIOD)
        report = make_report(ws, PERIOD, docx=True)
        out.docx = report.docx
        out.report = report.workbook
        out.appendix = report.appendix
        out.exports = report.exports
        out.ranking_csv = next(p for p in report.exports if p.name.startswith("xep-hang"))
    finally:
        ws.close()
    return out


#: the issue codes the demo's output counts per unit, and how it says them
CAUGHT = {"legacy-text-converted": "ô gõ bằng phông chữ cũ (TCVN3/VNI) đã chuyển sang Unicode",
          "evidence-not-sent": "tài liệu kiểm chứng đã ghi nhưng không gửi kèm"}  # fmt: skip


def caught(ws: Workspace, period: str) -> list[str]:
    """ "DV03: 9 ô gõ bằng phông chữ cũ …" for each unit and code of ``CAUGHT`` found in the counted files."""
    from collections import Counter

    from app.workspace.submissions import open_issues

    found = Counter((i.code, i.unit_code) for i in open_issues(ws, period) if i.code in CAUGHT)
    by_unit = sorted(found.items(), key=lambda kv: kv[0][1])
    ordered = sorted(by_unit, key=lambda kv: kv[0][0], reverse=True)  # the old fonts first, then evidence
    return [f"{unit}: {n} {CAUGHT[code]}" for (code, unit), n in ordered]


__all__ = ["CAUGHT", "DemoResult", "caught", "run_demo"]
