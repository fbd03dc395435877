"""How an audit entry reads in Vietnamese: one label per action and one line of details.

The audit rows keep stable codes (``reject``, ``not-a-workbook`` …) for machines (``--json``);
the CLI's ``audit`` command and the desktop's "Nhật ký" tab both show what this module writes,
so the two never word the same action differently.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath
from typing import Any

#: action code → what a person reads
ACTION_LABELS: dict[str, str] = {
    "init": "Tạo thư mục làm việc",
    "import-roster": "Nhập danh sách đơn vị",
    "add-period": "Thêm kỳ báo cáo",
    "set-deadline": "Đổi hạn nộp",
    "generate-templates": "Tạo biểu mẫu",
    "ingest": "Tiếp nhận tệp",
    "reject": "Tệp không đọc được",
    "mail": "Tiếp nhận thư",
    "mail-settings": "Cài đặt thư gửi đơn vị",
    "mail-drafts": "Soạn thư gửi đơn vị",
    "set-received": "Sửa ngày nhận",
    "appraise": "Thẩm định",
    "feedback": "Ghi tệp phản hồi",
    "report": "Xuất báo cáo",
    "department-workbook": "Lập bảng tự đánh giá của Sở",
    "department-override": "Sửa số liệu suy ra của Sở",
    "department-receive": "Nhận bảng tự đánh giá của Sở",
    "apply-contact": "Cập nhật đầu mối theo báo cáo",
    "period-state": "Chuyển bước của kỳ",
    "reopen-period": "Mở lại kỳ đã công bố",
    "explain-deadline": "Đổi hạn giải trình",
    "withdraw-appraisal": "Rút lại thẩm định",
    "appraisal-notice": "Ghi thông báo thẩm định",
    "explanations": "Nhận giải trình",
    "explanation-decision": "Xét giải trình",
    "copy-workspace": "Chép không gian làm việc",
    "add-unit": "Thêm đơn vị",
    "edit-unit": "Sửa thông tin đơn vị",
    "deactivate-unit": "Cho đơn vị thôi (giải thể, sáp nhập)",
    "reactivate-unit": "Cho đơn vị hoạt động lại",
    "assign-submission": "Gán bản nộp cho đơn vị",
    "assign-rejected": "Gán tệp không đọc được cho đơn vị",
    "withdraw-submission": "Rút bản nộp",
    "restore-submission": "Khôi phục bản nộp đã rút",
}

#: detail keys of actions not worded below → Vietnamese
_KEY_LABELS = {"unit": "đơn vị", "file": "tệp", "units": "số đơn vị", "deadline": "hạn nộp", "old": "cũ",
               "new": "mới", "framework_id": "bộ chỉ số", "added": "thêm", "updated": "cập nhật",
               "folder": "thư mục", "period": "kỳ", "target": "ô", "reason": "lý do",
               "field": "trường", "derived": "ô suy ra", "office": "ô Văn phòng điền", "errors": "lỗi",
               "total_cents": "tổng điểm (phần trăm điểm)", "from": "từ", "to": "sang", "originals": "tệp gốc",
               "rows": "số dòng"}  # fmt: skip


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def _value(raw: Any) -> str:
    from .store import load_value

    try:
        value = load_value(raw) if isinstance(raw, str) else raw
    except (ValueError, TypeError, KeyError):
        value = raw
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


def _deadline(iso: Any) -> str:
    """``2023-04-20`` → ``trước 00g00 ngày 20/04/2023`` (``app.period.deadline_vi``)."""
    from datetime import date

    from app.period import deadline_vi

    try:
        return deadline_vi(date.fromisoformat(str(iso)))
    except ValueError:
        return str(iso or "(trống)")


def reject_reason(d: dict[str, Any]) -> str:
    """The Vietnamese reason of a ``reject`` entry (older entries kept only the code)."""
    from app.workbook.package import MESSAGES, Unusable

    if d.get("message"):
        return str(d["message"])
    code = str(d.get("code", ""))
    return (
        Unusable(code, str(d.get("file", ""))).message if code in MESSAGES else f"Không đọc được tệp {d.get('file')}."
    )


def audit_summary(action: str, d: dict[str, Any], *, with_period: bool = True) -> str:
    """One line in Vietnamese; ``with_period`` starts it with the period (the desktop shows one period)."""
    text = _summary(action, d)
    if with_period and d.get("period"):
        return f"Kỳ {d['period']}: {text}"
    return text


def _summary(action: str, d: dict[str, Any]) -> str:
    from .ingest import NA_INPUT

    file = PurePath(str(d.get("file", ""))).name
    if action == "import-roster":
        return f"Tệp {file}: {d.get('units')} đơn vị, thêm {d.get('added')}, cập nhật {d.get('updated')}"
    if action == "add-period":
        return f"Bộ chỉ số {d.get('framework_id')}, hạn nộp {_deadline(d.get('deadline'))}"
    if action == "set-deadline":
        return f"Hạn nộp {_deadline(d.get('old'))} → {_deadline(d.get('new'))}"
    if action == "generate-templates":
        return f"{len(d.get('units') or [])} biểu mẫu trong {d.get('folder')}"
    if action == "ingest":
        via = f" (từ thư {d['mail']} của {d.get('sender') or 'người gửi không rõ'})" if d.get("mail") else ""
        return (f"{file}{via} → đơn vị {d.get('unit') or 'chưa nhận diện'}, bản nộp số {d.get('submission')}, "
                f"{d.get('issues')} vấn đề")  # fmt: skip
    if action == "mail":
        sent = f", gửi lúc {datetime.fromisoformat(d['sent']):%H:%M ngày %d/%m/%Y}" if d.get("sent") else ""
        return (f"Thư {file} từ {d.get('sender') or 'người gửi không rõ'}{sent}, tiêu đề “{d.get('subject', '')}”: "
                f"{len(d.get('workbooks') or [])} biểu mẫu, {len(d.get('others') or [])} tệp khác")  # fmt: skip
    if action == "mail-drafts":
        return f"{d.get('kind')}: {len(d.get('units') or [])} thư trong {d.get('folder')}"
    if action == "reject":
        unit = f" (tệp của đơn vị {d['unit']})" if d.get("unit") else ""
        return f"{reject_reason(d)}{unit}"
    if action == "set-received":
        return f"Bản nộp số {d.get('submission')} ({file}): {d.get('old')} → {d.get('new')}"
    if action == "appraise":
        what = f"Đơn vị {d.get('unit', '')}, chỉ số {d.get('indicator', '')}: "
        if d.get("kind") == "score":
            what += f"điểm {_value(d.get('old'))} → {_value(d.get('new'))}"
        elif d.get("input") == NA_INPUT:
            new = _value(d.get("new"))
            what += "bỏ “không áp dụng”" if new == "(trống)" else f"đánh dấu “không áp dụng” ({new})"
        else:
            what += f"số liệu {d.get('input', '')}: {_value(d.get('old'))} → {_value(d.get('new'))}"
        return f"{what}. Lý do: {d.get('reason', '')}"
    if action == "period-state":
        from .period_state import STATE_LABELS

        text = (
            f"{STATE_LABELS.get(str(d.get('old')), d.get('old'))} → {STATE_LABELS.get(str(d.get('new')), d.get('new'))}"
        )
        return text + (f", hạn giải trình {_deadline(d['deadline'])}" if d.get("deadline") else "")
    if action == "reopen-period":
        return f"Công bố lúc {d.get('published_at')}. Lý do mở lại: {d.get('reason', '')}"
    if action == "explain-deadline":
        return f"Hạn giải trình {_deadline(d.get('old'))} → {_deadline(d.get('new'))}"
    if action == "withdraw-appraisal":
        return (f"Lần thẩm định số {d.get('appraisal')} (đơn vị {d.get('unit', '')}, chỉ số {d.get('indicator', '')}, "
                f"giá trị {_value(d.get('new'))}). Lý do: {d.get('reason', '')}")  # fmt: skip
    if action == "appraisal-notice":
        return f"Đơn vị {d.get('unit')}: {file} ({d.get('changes')} chỉ số thay đổi)"
    if action == "explanations":
        return f"Đơn vị {d.get('unit')}: {file}, giải trình {d.get('indicators')} chỉ số"
    if action == "explanation-decision":
        verdict = "chấp nhận" if d.get("decision") == "accept" else "không chấp nhận"
        return (
            f"Đơn vị {d.get('unit')}, chỉ số {d.get('indicator')}: {verdict} giải trình. Lý do: {d.get('reason', '')}"
        )
    if action == "feedback":
        return f"Đơn vị {d.get('unit')}: {file}"
    if action == "report":
        return file + (f" (kèm {', '.join(d['exports'])})" if d.get("exports") else "")
    if action in _ROSTER_AND_CORRECTIONS:
        return _roster_or_correction(action, d, file)
    if action == "init":
        return str(d.get("folder", ""))
    parts = []
    for key, value in d.items():
        if key in ("period", "sha256", "submission", "code"):
            continue
        parts.append(f"{_KEY_LABELS.get(key, key)}: {len(value) if isinstance(value, list) else value}")
    return "; ".join(parts)


_ROSTER_AND_CORRECTIONS = frozenset({"add-unit", "edit-unit", "deactivate-unit", "reactivate-unit",
                                     "assign-submission", "assign-rejected", "withdraw-submission",
                                     "restore-submission"})  # fmt: skip


def _roster_or_correction(action: str, d: dict[str, Any], file: str) -> str:
    """The roster's hand edits and intake's corrections (``roster_edit``, ``corrections``), in one line."""
    why = f". Lý do: {d['reason']}" if d.get("reason") else ""
    unit = d.get("unit", "")
    if action == "add-unit":
        return f"Đơn vị {unit} – {d.get('name', '')}"
    if action == "edit-unit":
        from .roster_edit import FieldChange

        return f"Đơn vị {unit}: " + "; ".join(FieldChange(*c).sentence() for c in d.get("changes") or [])
    if action == "deactivate-unit":
        merged = f", sáp nhập vào {d['merged_into']}" if d.get("merged_into") else ""
        return f"Đơn vị {unit} thôi từ ngày {_day(d.get('left_on'))}{merged}{why}"
    if action == "reactivate-unit":
        return f"Đơn vị {unit} (đã thôi từ ngày {_day(d.get('left_on'))}){why}"
    if action in ("assign-submission", "assign-rejected"):
        what = f"Bản nộp số {d.get('submission')} ({file})" if action == "assign-submission" else f"Tệp {file}"
        return f"{what}: đơn vị {d.get('old') or 'chưa nhận diện'} → {unit}{why}"
    verb = "rút" if action == "withdraw-submission" else "khôi phục"
    return f"Bản nộp số {d.get('submission')} ({file}, đơn vị {unit or 'chưa nhận diện'}) được {verb}{why}"


def _day(iso: Any) -> str:
    from datetime import date

    try:
        return f"{date.fromisoformat(str(iso)):%d/%m/%Y}"
    except ValueError:
        return str(iso or "(trống)")


__all__ = ["ACTION_LABELS", "action_label", "audit_summary", "reject_reason"]
