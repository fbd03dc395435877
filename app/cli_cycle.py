"""The quarterly cycle on a workspace, from the command line (SPEC §2, §8).

``dtidesk init DIR``, ``units import|list``, ``period add|list|deadline``, ``ingest``, ``received``,
``status``, ``appraise``, ``rank``, ``audit`` and ``demo``. Each finds the workspace from
``--workspace`` or the current folder (or a parent), calls one core function of ``app.workspace``
and prints a table or ``--json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.cli_parser import typed
from app.errors import UsageError
from app.numbers import format_decimal_vi

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _json(data: Any) -> None:
    def default(o: Any) -> Any:
        if isinstance(o, Decimal):
            return float(o)
        if isinstance(o, date | datetime):
            return o.isoformat()
        if isinstance(o, Path):
            return str(o)
        raise TypeError(type(o).__name__)

    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=default)
    sys.stdout.write("\n")


def find_workspace_folder(args: argparse.Namespace) -> Path:
    """The folder named by ``--workspace``, else the workspace holding the current folder."""
    from app.workspace import find

    folder = Path(args.workspace) if args.workspace else find(Path.cwd())
    if folder is None:
        raise UsageError("Không tìm thấy không gian làm việc: chạy lệnh trong thư mục đó, dùng --workspace DIR, "
                         "hoặc tạo mới bằng: dtidesk init DIR")  # fmt: skip
    return folder


def _workspace(args: argparse.Namespace) -> Any:
    from app.workspace import Workspace

    return Workspace.open(find_workspace_folder(args))


def _period(ws: Any, text: str) -> str:
    from app.period import parse_period

    code = parse_period(text).code
    from app.workspace import get_period

    get_period(ws, code)  # raises WorkspaceError with a message when the period is not set up
    return code


def _parse_when(text: str) -> datetime:
    """``20/04/2023``, ``20/04/2023 09:15`` (seconds optional), or ISO ``2023-04-20 09:15``; a date alone is 00:00."""
    text = " ".join(text.split())
    for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y",
                    "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):  # fmt: skip
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise UsageError(f"Thời điểm không hợp lệ: “{text}” — ví dụ đúng: 20/04/2023 hoặc \"20/04/2023 09:15\".")


def _guard(func: Any) -> Any:
    """Marks a command whose failures are ``UserError``s: ``app.cli.main`` prints one Vietnamese
    message and exits with the error's code (2 for a wrong request: ``UsageError``, the workspace's
    ``WorkspaceError``; 1 for a file that cannot be written). Nothing else is caught here: a
    ``KeyError`` or ``ValueError`` from a bug is an internal error (logged, exit 70), never
    disguised as wrong usage."""
    return func


@_guard
def cmd_init(args: argparse.Namespace) -> int:
    from app.workspace import Workspace

    ws = Workspace.create(Path(args.dir))
    ws.close()
    if args.json:
        _json({"ok": True, "workspace": str(ws.folder)})
    else:
        print(f"Đã tạo không gian làm việc: {ws.folder}")
    return EXIT_OK


_COLUMN_LABELS = {"kind": "loại", "email": "thư điện tử", "contact": "người liên hệ", "phone": "điện thoại"}


@_guard
def cmd_units_import(args: argparse.Namespace) -> int:
    from app.workbook.roster import RosterError, read_roster_file
    from app.workspace.units import import_roster_file

    path = Path(args.file)
    try:  # read first, so every problem of the file is listed with its cell (exit 1)
        read_roster_file(path)
    except RosterError as exc:
        if args.json:
            _json({"ok": False, "problems": [{"code": p.code, "file": p.file, "cell": p.cell, "message": p.message}
                                             for p in exc.problems]})  # fmt: skip
        else:
            for p in exc.problems:
                print(p.message, file=sys.stderr)
        return EXIT_ERRORS
    with _workspace(args) as ws:
        result = import_roster_file(ws, path)
    if args.json:
        _json({"added": result.added, "updated": result.updated, "units": result.units,
               "columns": list(result.columns), **({"converted": list(result.converted)} if result.converted else {})})  # fmt: skip
    else:
        read = ", ".join(["mã", "tên", *(_COLUMN_LABELS[c] for c in result.columns)])
        kept = [_COLUMN_LABELS[c] for c in _COLUMN_LABELS if c not in result.columns]
        print(f"Đã đọc {result.units} đơn vị từ {path.name} (các cột: {read}).")
        print(f"Đã thêm {result.added} đơn vị, cập nhật {result.updated} đơn vị.")
        for line in result.converted:
            print(line)
        if kept:
            print(f"Tệp không có cột {', '.join(kept)}: giữ nguyên thông tin đã lưu.")
    return EXIT_OK


@_guard
def cmd_units_list(args: argparse.Namespace) -> int:
    from app.workspace import list_units

    with _workspace(args) as ws:
        units = list_units(ws, active_only=False)
    if args.json:
        _json([{"code": u.code, "name": u.name, "kind": u.kind, "email": u.email, "contact": u.contact,
                "phone": u.phone, "active": u.active} for u in units])  # fmt: skip
        return EXIT_OK
    if not units:
        print("Chưa có đơn vị nào; hãy nhập danh sách bằng: dtidesk units import TỆP")
        return EXIT_OK
    print(f"{'Mã':<8} {'Loại':<18} {'Thư điện tử':<32} {'Người liên hệ':<24} {'Điện thoại':<14} Tên đơn vị")
    for u in units:
        name = u.name + ("" if u.active else " (không còn trong danh sách)")
        print(f"{u.code:<8} {u.kind or '-':<18} {u.email or '-':<32} {u.contact or '-':<24} {u.phone or '-':<14} "
              f"{name}")  # fmt: skip
    print(f"{len(units)} đơn vị.")
    return EXIT_OK


@_guard
def cmd_period_add(args: argparse.Namespace) -> int:
    from app.cli import _parse_date
    from app.period import deadline_vi, parse_period
    from app.workspace import add_period

    deadline = _parse_date(args.deadline) if args.deadline else None
    with _workspace(args) as ws:
        info = add_period(ws, parse_period(args.period).code, args.framework, deadline)
    if args.json:
        _json({"period": info.code, "framework": info.framework_id, "deadline": info.deadline})
    else:
        print(f"Kỳ {info.code} ({info.framework_id}), hạn nộp {deadline_vi(info.deadline)}.")
    return EXIT_OK


@_guard
def cmd_period_list(args: argparse.Namespace) -> int:
    from app.period import deadline_vi
    from app.workspace import list_periods

    with _workspace(args) as ws:
        periods = list_periods(ws)
    if args.json:
        _json([{"period": p.code, "framework": p.framework_id, "deadline": p.deadline, "label": p.label}
               for p in periods])  # fmt: skip
        return EXIT_OK
    if not periods:
        print("Chưa có kỳ báo cáo nào; hãy thêm bằng: dtidesk period add KỲ --framework ID")
    for p in periods:
        print(f"{p.code:<10} {p.label:<22} {p.framework_id:<16} hạn nộp {deadline_vi(p.deadline)}")
    return EXIT_OK


@_guard
def cmd_period_deadline(args: argparse.Namespace) -> int:
    from app.cli import _parse_date
    from app.period import deadline_vi
    from app.workspace import get_period, set_deadline

    try:
        deadline = _parse_date(args.deadline)
    except ValueError:
        print(f"Hạn gửi không hợp lệ: “{args.deadline}” — ví dụ đúng: 20/04/2023 hoặc 2023-04-20.", file=sys.stderr)
        return EXIT_USAGE
    with _workspace(args) as ws:
        old = get_period(ws, _period(ws, args.period))
        info = set_deadline(ws, old.code, deadline)
    if args.json:
        _json({"period": info.code, "old": old.deadline, "deadline": info.deadline})
    else:
        print(f"Kỳ {info.code}: hạn nộp đổi từ {deadline_vi(old.deadline)} sang {deadline_vi(info.deadline)}.")
    return EXIT_OK


@_guard
def cmd_ingest(args: argparse.Namespace) -> int:
    from app.workspace import ingest

    paths = [Path(p) for p in args.paths]
    absent = [str(p) for p in paths if not p.exists()]
    if absent:
        print(f"Không tìm thấy: {', '.join(absent)}", file=sys.stderr)
        return EXIT_USAGE
    with _workspace(args) as ws:
        result = ingest(ws, _period(ws, args.period), paths)
    if args.json:
        _json({"added": result.added, "skipped": result.skipped,
               "rejected": [{"file": r.file, "code": r.code, "message": r.message, "unit_code": r.unit_code,
                             "again": r.again} for r in result.rejected],
               **({"documents": [{"file": f, "unit_code": u} for f, u in result.documents],
                   "unmatched_documents": result.unmatched_documents} if result.documents or result.unmatched_documents
                  else {})})  # fmt: skip
    else:
        print(f"Đã nhận {len(result.added)} tệp, {len(result.rejected)} tệp không đọc được, "
              f"{len(result.skipped)} tệp đã có từ trước.")  # fmt: skip
        for r in result.rejected:
            unit = f" [đơn vị {r.unit_code}]" if r.unit_code else ""
            again = " (đã gửi trước đây, vẫn không đọc được)" if r.again else ""
            print(f"Không đọc được: {r.file}{unit}{again} — {r.message}")
        from app.workspace.evidence import unmatched_message

        if result.documents:
            units = sorted({u for _, u in result.documents})
            print(f"Đã lưu {len(result.documents)} tài liệu kiểm chứng gửi kèm ({len(units)} đơn vị: {', '.join(units)}); "
                  "xem: dtidesk evidence list")  # fmt: skip
        for name in result.unmatched_documents:
            print(unmatched_message(name))
        for name, why in result.refused_documents:
            print(f"Không đọc được tài liệu “{name}”: {why}")
    return EXIT_ERRORS if result.rejected else EXIT_OK


@_guard
def cmd_status(args: argparse.Namespace) -> int:
    from app.workspace import get_period, status

    with _workspace(args) as ws:
        info = get_period(ws, _period(ws, args.period))
        rows = status(ws, info.code)
    if args.json:
        _json([{"unit_code": r.unit_code, "unit_name": r.unit_name, "state": r.state, "label": r.label_vi,
                "on_time": r.on_time, "received_at": r.received_at, "errors": r.errors, "warnings": r.warnings,
                "file": r.file, "files": r.files, "code": r.code, "message": r.message, "named_unit": r.named_unit,
                "submission_id": r.submission_id} for r in rows])  # fmt: skip
        return EXIT_OK  # a read-only query that ran: what is wrong is in its output
    from app.period import deadline_vi
    from app.workspace.status import count_statuses

    print(f"Kỳ {info.code} — hạn nộp {deadline_vi(info.deadline)}")
    print(f"{'Mã':<8} {'Tình trạng':<38} {'Nhận lúc':<16}  Đơn vị / tệp")
    for r in rows:
        when = f"{r.received_at:%d/%m/%Y %H:%M}" if r.received_at else "-"
        who = r.unit_name or r.file
        if r.unit_name and r.file and r.state != "received":
            who += f" — tệp {r.file}"
        if r.named_unit and not r.unit_code:
            who += f" (tệp của đơn vị {r.named_unit})"
        print(f"{r.unit_code or '-':<8} {r.label_vi:<38} {when:<16}  {who}")
        if r.message:
            print(f"{'':<8} {r.message}")
    counts = count_statuses(rows).labelled()
    print("; ".join(f"{label}: {n}" for label, n in counts.items()))
    return EXIT_OK  # a read-only query that ran: what is wrong is in its output


def _unit_submission(ws: Any, period: str, unit: str) -> int:
    """The id of the unit's counted submission in the period; a Vietnamese error lists the others."""
    rows = ws.conn.execute("SELECT id, file_name, status FROM submissions WHERE period = ? AND unit_code = ? "
                           "ORDER BY id", (period, unit)).fetchall()  # fmt: skip
    active = [r["id"] for r in rows if r["status"] == "active"]
    if active:
        return int(active[0])
    if not rows:
        raise UsageError(f"Đơn vị {unit} chưa có bản nộp nào trong kỳ {period}.")
    listed = "; ".join(f"số {r['id']}: {r['file_name']} ({r['status']})" for r in rows)
    raise UsageError(f"Đơn vị {unit} không có bản nộp được tính trong kỳ {period}; hãy chỉ rõ số bản nộp "
                     f"(dtidesk received SỐ \"NGÀY GIỜ\"). Các bản nộp: {listed}.")  # fmt: skip


@_guard
def cmd_received(args: argparse.Namespace) -> int:
    from app.workspace import set_received, status

    words = list(args.values)
    if args.unit:
        if not args.period:
            print("Khi chỉ đơn vị bằng --unit, cần cả --period KỲ.", file=sys.stderr)
            return EXIT_USAGE
        sid_text = None
    else:
        if len(words) < 2:
            print("Cần số bản nộp và thời điểm nhận, ví dụ: dtidesk received 12 \"20/04/2023 09:15\" "
                  "(hoặc --period KỲ --unit MÃ \"20/04/2023 09:15\").", file=sys.stderr)  # fmt: skip
            return EXIT_USAGE
        sid_text = words.pop(0)
    if not sid_text and not words:
        print("Thiếu thời điểm nhận, ví dụ: \"20/04/2023 09:15\".", file=sys.stderr)
        return EXIT_USAGE
    when = _parse_when(" ".join(words))
    with _workspace(args) as ws:
        if sid_text is None:
            period = _period(ws, args.period)
            sid = _unit_submission(ws, period, args.unit)
        else:
            if not sid_text.isdigit():
                print(f"Số bản nộp không hợp lệ: “{sid_text}” (xem cột submission_id của "
                      "dtidesk status --json).", file=sys.stderr)  # fmt: skip
                return EXIT_USAGE
            sid = int(sid_text)
        old = ws.conn.execute("SELECT period, received_at FROM submissions WHERE id = ?", (sid,)).fetchone()
        if old is not None and args.period and old["period"] != _period(ws, args.period):
            raise UsageError(f"Bản nộp số {sid} thuộc kỳ {old['period']}, không phải kỳ {args.period}.")
        set_received(ws, sid, when)
        row = ws.conn.execute("SELECT period, unit_code, file_name, received_at, status FROM submissions WHERE id = ?",
                              (sid,)).fetchone()  # fmt: skip
        unit_status = next((u for u in status(ws, row["period"]) if row["unit_code"] and
                            u.unit_code == row["unit_code"]), None)  # fmt: skip
    result = {"submission": sid, "period": row["period"], "unit": row["unit_code"], "file": row["file_name"],
              "old": old["received_at"] if old else None, "received_at": row["received_at"],
              "status": row["status"], "unit_state": unit_status.label_vi if unit_status else None,
              "on_time": unit_status.on_time if unit_status else None}  # fmt: skip
    if args.json:
        _json(result)
    else:
        print(f"Bản nộp số {sid} ({row['file_name']}, đơn vị {row['unit_code'] or '-'}): ngày nhận đổi từ "
              f"{result['old']} thành {row['received_at']}.")  # fmt: skip
        if unit_status is not None:
            print(f"Tình trạng đơn vị {row['unit_code']} trong kỳ {row['period']}: {unit_status.label_vi}.")
    return EXIT_OK


@_guard
def cmd_audit(args: argparse.Namespace) -> int:
    from app.workspace import audit_log
    from app.workspace.audit import action_label, audit_summary

    if args.limit is not None and args.limit < 1:
        print("--limit phải là số nguyên dương.", file=sys.stderr)
        return EXIT_USAGE
    with _workspace(args) as ws:
        entries = audit_log(ws, _period(ws, args.period) if args.period else None)
    if args.limit is not None:
        entries = entries[-args.limit:]
    if args.json:
        _json([{"id": e.id, "at": e.at, "who": e.who, "action": e.action,
                "label": action_label(e.action), "summary": audit_summary(e.action, e.details),
                "details": e.details} for e in entries])  # fmt: skip
        return EXIT_OK
    print(f"{'Thời điểm':<19}  {'Người thực hiện':<16} {'Việc':<22} Chi tiết")
    for e in entries:
        print(f"{e.at:%d/%m/%Y %H:%M:%S}  {e.who:<16} {action_label(e.action):<22} "
              f"{audit_summary(e.action, e.details)}")  # fmt: skip
    return EXIT_OK


@_guard
def cmd_appraise(args: argparse.Namespace) -> int:
    from app.workspace import appraise

    unit = _one_of(args.unit_pos, args.unit, "mã đơn vị", "--unit")
    indicator = _one_of(args.indicator_pos, args.indicator, "chỉ số", "--indicator")
    chosen = [args.score is not None, args.input is not None, args.not_applicable is not None, args.applicable]
    if sum(chosen) != 1:
        print("Chọn đúng một trong: --score ĐIỂM; --input BIẾN --value GIÁ_TRỊ; --not-applicable \"GIẢI THÍCH\"; "
              "--applicable.", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    if (args.input is None) != (args.value is None):
        print("Đổi số liệu cần cả --input BIẾN và --value GIÁ_TRỊ.", file=sys.stderr)
        return EXIT_USAGE
    with _workspace(args) as ws:
        period = _period(ws, args.period)
        if args.score is not None:
            try:
                score = Decimal(args.score.replace(",", "."))
            except ArithmeticError:
                print(f"Điểm “{args.score}” không phải là số.", file=sys.stderr)
                return EXIT_USAGE
            row = appraise(ws, period, unit, indicator, score=score, reason=args.reason)
        elif args.input is not None:
            row = appraise(ws, period, unit, indicator, input=args.input, value=args.value, reason=args.reason)
        else:
            row = appraise(ws, period, unit, indicator, not_applicable=None if args.applicable else args.not_applicable,
                           reason=args.reason)  # fmt: skip
    if args.json:
        _json({"unit": row.unit_code, "indicator": row.indicator, "kind": row.kind, "who": row.who,
               "not_applicable": row.is_not_applicable, "input": None if row.is_not_applicable else row.input,
               "old": str(row.old) if row.old is not None else None,
               "new": str(row.new) if row.new is not None else None, "appraisal": row.id})  # fmt: skip
    elif row.is_not_applicable:
        state = "không áp dụng" if row.new is not None else "áp dụng trở lại"
        print(f"Đã ghi thẩm định {row.unit_code} chỉ số {row.indicator}: {state} ({row.who}).")
    else:
        print(f"Đã ghi thẩm định {row.unit_code} chỉ số {row.indicator} ({row.who}).")
    return EXIT_OK


def _one_of(positional: str | None, option: str | None, what: str, flag: str) -> str:
    if positional and option and positional != option:
        raise UsageError(f"Hai {what} khác nhau: “{positional}” và {flag} “{option}”; hãy chỉ ghi một.")
    value = positional or option
    if not value:
        raise UsageError(f"Thiếu {what} (ghi sau lệnh hoặc bằng {flag}).")
    return value


@_guard
def cmd_rank(args: argparse.Namespace) -> int:
    from app.workspace import rank

    with _workspace(args) as ws:
        rows = rank(ws, _period(ws, args.period))
    if args.json:
        _json([{"rank": r.rank, "unit_code": r.unit_code, "unit_name": r.unit_name, "self_total": r.self_total,
                "appraised_total": r.appraised_total, "self_rank": r.self_rank,
                "pillars": {k: Decimal(v).scaleb(-2) for k, v in r.group_cents.items()}} for r in rows])  # fmt: skip
    elif not rows:
        print(f"Kỳ {args.period}: chưa có đơn vị nào có bản nộp được tính, nên chưa có xếp hạng. "
              "Xem tình trạng nộp bằng: dtidesk status --period KỲ")  # fmt: skip
    else:
        print(f"{'Hạng':>4}  {'Mã':<8} {'Tự chấm':>8} {'Thẩm định':>9}  Đơn vị")
        for r in rows:
            print(f"{r.rank:>4}  {r.unit_code:<8} {format_decimal_vi(r.self_total):>8} "
                  f"{format_decimal_vi(r.appraised_total):>9}  {r.unit_name}")
    return EXIT_OK


@_guard
def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo.run import run_demo
    from app.report.export import FOR_READING

    r = run_demo(Path(args.out).resolve(), resend_by=args.resend_by)
    if args.json:
        _json({"folder": r.folder, "workspace": r.workspace, "roster": r.roster, "templates": r.templates,
               "inbox": r.inbox, "feedback": r.feedback, "ranking_csv": r.ranking_csv, "report": r.report,
               "exports": r.exports, "status": r.status,
               "received": r.received, "rejected": r.rejected, "appraisal": r.appraisal,
               "documents": r.documents, "caught": r.caught,
               "ranking": [{"rank": t[0], "unit_code": t[1], "unit_name": t[2], "self_total": t[3],
                            "appraised_total": t[4]} for t in r.top]})  # fmt: skip
        return EXIT_OK
    from app.period import deadline_vi, parse_period

    due = deadline_vi(parse_period("2023-Q1").default_deadline)
    print(f"Chu trình một quý trên dữ liệu mẫu (25 đơn vị, kỳ 2023-Q1, hạn nộp {due}):")
    print(f"  1. Danh sách đơn vị:        {r.roster}")
    print(f"  2. Không gian làm việc:     {r.workspace}")
    print(f"  3. Biểu mẫu đã tạo:         {r.templates}")
    print(f"  4. Tệp đơn vị gửi về:       {r.inbox}")
    print(f"     Đã nhận {r.received} tệp; tình trạng: "
          + "; ".join(f"{label}: {n}" for label, n in r.status.items()))  # fmt: skip
    print(f"     Tài liệu kiểm chứng gửi kèm: {r.documents} tệp, lưu cùng bản nộp")
    for line in r.caught:
        print(f"     Phát hiện — {line}")
    print(f"  5. Tệp phản hồi:            {r.feedback[0].parent if r.feedback else '-'} ({len(r.feedback)} tệp)")
    print(f"  6. Thẩm định:               {r.appraisal}")
    print("  7. Xếp hạng:")
    for rank_, code, name, self_total, appraised in r.top[:5]:
        print(f"     {rank_:>2}. {code} {name}: {format_decimal_vi(appraised)} điểm "
              f"(tự chấm {format_decimal_vi(self_total)})")
    print(f"  8. Báo cáo tổng hợp:        {r.report}")
    print(f"     Phụ lục giải thích điểm (in khi cần): {r.appendix.name if r.appendix else '-'}")
    reading = [p.name for p in r.exports if p.stem.endswith(FOR_READING)]
    print(f"     Kèm CSV để đọc bằng Excel: {', '.join(reading)}")
    print(f"     Kèm CSV/JSON để gửi lên: {', '.join(p.name for p in r.exports if p.name not in reading)}")
    print(f"Xem tiếp: dtidesk status --workspace {r.workspace} --period 2023-Q1")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add the cycle's commands to the ``dtidesk`` parser."""
    from app.cli import add_resend_by

    def ws_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--workspace", metavar="THƯ_MỤC", help="không gian làm việc (mặc định: thư mục hiện tại)")
        p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho chương trình khác đọc)")

    p = sub.add_parser("init", help="tạo không gian làm việc mới")
    p.add_argument("dir", metavar="THƯ_MỤC", help="thư mục sẽ làm không gian làm việc (tạo mới nếu chưa có)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho chương trình khác đọc)")
    p.set_defaults(func=cmd_init)

    units = sub.add_parser("units", help="đơn vị: nhập danh sách, xem danh sách")
    units_sub = units.add_subparsers(dest="units_command", metavar="LỆNH", title="Lệnh")
    p = units_sub.add_parser("import", help="nhập danh sách đơn vị (.xlsx hoặc .csv): mã, tên, loại, thư điện tử, "
                                            "người liên hệ, điện thoại")
    p.add_argument("file", metavar="TỆP", help="tệp danh sách đơn vị (.xlsx hoặc .csv)")
    ws_arg(p)
    p.set_defaults(func=cmd_units_import)
    p = units_sub.add_parser("list", help="xem danh sách đơn vị của không gian làm việc")
    ws_arg(p)
    p.set_defaults(func=cmd_units_list)

    period = sub.add_parser("period", help="kỳ báo cáo: thêm, xem, đổi hạn gửi")
    period_sub = period.add_subparsers(dest="period_command", metavar="LỆNH", title="Lệnh")
    p = period_sub.add_parser("add", help="thêm kỳ báo cáo")
    p.add_argument("period", metavar="KỲ", help="ví dụ 2023-Q1 hoặc \"Quý I/2023\"")
    p.add_argument("--framework", required=True, metavar="MÃ", help="mã bộ chỉ số của kỳ, ví dụ svhtt-1690")
    p.add_argument("--deadline", metavar="NGÀY", help="mặc định ngày 16 tháng cuối quý (Quý I/2023: 20/4/2023)")
    ws_arg(p)
    p.set_defaults(func=cmd_period_add)
    p = period_sub.add_parser("list", help="xem các kỳ báo cáo")
    ws_arg(p)
    p.set_defaults(func=cmd_period_list)
    p = period_sub.add_parser("deadline", help="đổi hạn gửi của một kỳ (ghi nhật ký)")
    p.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("deadline", metavar="NGÀY", help="hạn mới: tệp đúng hạn khi nhận trước 00g00 ngày này, "
                                                    "ví dụ 20/04/2023")
    ws_arg(p)
    p.set_defaults(func=cmd_period_deadline)

    p = sub.add_parser("ingest", help="tiếp nhận các tệp đơn vị gửi về vào không gian làm việc")
    p.add_argument("paths", nargs="+", metavar="TỆP_HOẶC_THƯ_MỤC", help="tệp đơn vị gửi về, hoặc thư mục chứa các tệp đó")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    ws_arg(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("status", help="tình trạng nộp của từng đơn vị trong kỳ")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    ws_arg(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("received", help="sửa thời điểm nhận một bản nộp (quyết định nộp muộn và bản nào được tính)")
    p.add_argument("values", nargs="+", metavar="[SỐ_BẢN_NỘP] THỜI_ĐIỂM",
                   help="số bản nộp (cột submission_id của dtidesk status --json) rồi thời điểm, ví dụ "
                        "12 \"20/04/2023 09:15\"; với --unit chỉ ghi thời điểm")  # fmt: skip
    p.add_argument("--period", metavar="KỲ", help="kỳ báo cáo (cùng --unit)")
    p.add_argument("--unit", metavar="MÃ_ĐƠN_VỊ", help="sửa bản nộp đang được tính của đơn vị này")
    ws_arg(p)
    p.set_defaults(func=cmd_received)

    p = sub.add_parser("audit", help="nhật ký: ai đã làm gì, khi nào")
    p.add_argument("--period", metavar="KỲ", help="chỉ các việc của kỳ này")
    p.add_argument("--limit", type=typed(int, "một số nguyên"), metavar="N", help="chỉ N việc gần nhất")
    ws_arg(p)
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("appraise", help="thẩm định: sửa số liệu, điểm hoặc “không áp dụng” của một chỉ số, có lý do")
    p.add_argument("unit_pos", nargs="?", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị, ví dụ DV05 (hoặc dùng --unit)")
    p.add_argument("indicator_pos", nargs="?", metavar="CHỈ_SỐ", help="chỉ số, ví dụ 5.2 (hoặc dùng --indicator)")
    p.add_argument("--unit", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị (thay cho đối số thứ nhất)")
    p.add_argument("--indicator", metavar="CHỈ_SỐ", help="chỉ số, ví dụ 5.2 (thay cho đối số thứ hai)")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    p.add_argument("--score", metavar="ĐIỂM", help="điểm thẩm định mới của chỉ số, ví dụ 7,5")
    p.add_argument("--input", metavar="BIẾN", help="biến số liệu, ví dụ a")
    p.add_argument("--value", metavar="GIÁ_TRỊ", help="giá trị mới của biến ghi ở --input")
    p.add_argument("--not-applicable", metavar="GIẢI_THÍCH",
                   help="đánh dấu chỉ số “không áp dụng” (chỉ khi bộ chỉ số cho phép), kèm giải thích")
    p.add_argument("--applicable", action="store_true", help="bỏ đánh dấu “không áp dụng”")
    p.add_argument("--reason", required=True, metavar="LÝ_DO", help="lý do thẩm định (ghi vào nhật ký)")
    ws_arg(p)
    p.set_defaults(func=cmd_appraise)

    p = sub.add_parser("rank", help="xếp hạng các đơn vị trong kỳ (tự chấm và thẩm định)")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2023-Q1")
    ws_arg(p)
    p.set_defaults(func=cmd_rank)

    p = sub.add_parser("demo", help="chạy cả chu trình một quý trên dữ liệu mẫu")
    p.add_argument("--out", default="dtidesk-demo", metavar="THƯ_MỤC", help="thư mục ra (mặc định: dtidesk-demo)")
    add_resend_by(p)
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho chương trình khác đọc)")
    p.set_defaults(func=cmd_demo)


__all__ = ["register"]
