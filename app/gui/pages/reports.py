"""Bước 7 — Báo cáo: the period in figures, and the consolidated report written in the background.

``make_report`` (which imports XlsxWriter) is imported inside the job only; ``export(path)`` is
what the button calls after asking for the path, so tests drive it without a dialog.
"""

from __future__ import annotations

from functools import partial
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton

from app import jobs
from app.period import deadline_vi

from .. import errors
from ..progress import ProgressPanel
from .base import Page, hint, tab_order
from .check import cents_text

if TYPE_CHECKING:
    from ..loader import LoadContext
    from ..mainwindow import MainWindow
    from ..worker import Job


def report_name(period: str) -> str:
    """``app.report.xlsx.report_filename`` without importing XlsxWriter at start-up."""
    return f"bao-cao-tong-hop-{period}.xlsx"


class ReportsPage(Page):
    key = "reports"
    title = "Báo cáo"
    explanation = ("Báo cáo tổng hợp của kỳ là một tệp Excel in được trên khổ A4 ngang: tóm tắt, xếp hạng, điểm "
                   "từng chỉ số (tự chấm và thẩm định), so sánh với kỳ trước, tổng hợp toàn ngành, các lỗi còn lại, "
                   "đầu mối liên hệ và biểu đồ. Kèm theo là các tệp CSV/JSON để gửi lên cấp trên.")  # fmt: skip

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        # at 150 % the period's figures were squeezed out of sight: the page scrolls instead (a Tab stop of
        # its own after the buttons, so the arrows can read what is below them)
        area = self.scroll_below_title(focusable=True)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("reportSummary")
        self.body.addWidget(self.summary)
        signers = QHBoxLayout()  # issue 20: who prepared the report and who approved it, two different people
        signers.addWidget(QLabel("Người lập:"))
        self.prepared_edit = QLineEdit()
        self.prepared_edit.setPlaceholderText("họ tên người lập báo cáo")
        signers.addWidget(self.prepared_edit, 1)
        signers.addWidget(QLabel("Người phê duyệt:"))
        self.approved_edit = QLineEdit()
        self.approved_edit.setPlaceholderText("họ tên người phê duyệt (khác người lập)")
        signers.addWidget(self.approved_edit, 1)
        self.body.addLayout(signers)
        row = QHBoxLayout()
        self.export_button = QPushButton("Xuất báo cáo…")
        self.export_button.clicked.connect(self.ask_export)
        self.open_file_button = QPushButton("Mở báo cáo")
        self.open_file_button.setToolTip("Mở báo cáo tổng hợp vừa xuất bằng chương trình bảng tính của máy (Excel).")
        self.open_file_button.clicked.connect(self.open_report)
        self.open_folder_button = QPushButton("Mở thư mục")
        self.open_folder_button.clicked.connect(self.open_report_folder)
        self.open_docx_button = QPushButton("Mở báo cáo Word")
        self.open_docx_button.clicked.connect(self.open_docx)
        for b in (self.export_button, self.open_file_button, self.open_docx_button, self.open_folder_button):
            row.addWidget(b)
        row.addStretch(1)
        self.body.addLayout(row)
        self.docx_check = QCheckBox("Kèm báo cáo bằng văn bản (Word, thể thức Nghị định 30/2020) để trình ký")
        self.docx_check.setChecked(True)
        self.body.addWidget(self.docx_check)
        department_row = QHBoxLayout()
        self.department_button = QPushButton("Lập bảng tự đánh giá của Sở…")
        self.department_button.setToolTip("Bảng QĐ 79 Phụ lục I của Sở, điền sẵn các số liệu suy ra từ báo cáo của "
                                          "các đơn vị; ô Văn phòng Sở cần tự điền được tô đỏ.")  # fmt: skip
        self.department_button.clicked.connect(self.write_department)
        department_row.addWidget(self.department_button)
        self.override_button = QPushButton("Sửa số liệu suy ra của Sở…")
        self.override_button.setToolTip("Thay một số liệu Sở suy ra từ báo cáo của các đơn vị bằng số của Văn phòng "
                                        "(bắt buộc ghi lý do, lưu nhật ký); để trống giá trị để dùng lại số suy ra.")  # fmt: skip
        self.override_button.clicked.connect(self.ask_override)
        department_row.addWidget(self.override_button)
        department_row.addStretch(1)
        self.body.addLayout(department_row)
        self.progress = ProgressPanel()
        self.body.addWidget(self.progress)
        self.result_label = QLabel()
        self.result_label.setObjectName("summary")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(self.result_label)
        self.note = hint("")
        self.body.addWidget(self.note)
        self.body.addStretch(1)
        self.last_report: Path | None = None
        self.last_docx: Path | None = None
        self.last_exports: list[Path] = []
        self.job: Job | None = None
        self._set_result(None)
        tab_order(self.prepared_edit, self.approved_edit, self.export_button, self.open_file_button,
                  self.open_docx_button, self.open_folder_button, self.docx_check, self.department_button,
                  self.override_button, self.progress.cancel_button, area)  # fmt: skip

    def _set_result(self, path: Path | None, docx: Path | None = None) -> None:
        self.last_report = path
        self.last_docx = docx
        self.open_file_button.setVisible(path is not None)
        self.open_folder_button.setVisible(path is not None)
        self.open_docx_button.setVisible(docx is not None)

    def default_path(self) -> Path | None:
        w = self.window_
        if w.ws is None or w.period is None:
            return None
        return w.ws.folder / "reports" / w.period / report_name(w.period)

    def load(self, ctx: LoadContext) -> Any:
        from app.framework import framework_title
        from app.workspace import get_period, status
        from app.workspace.rounds import rounds_summary
        from app.workspace.status import count_statuses

        if ctx.period is None:
            return None
        info = get_period(ctx.ws, ctx.period)
        c = count_statuses(status(ctx.ws, ctx.period))
        scores = ctx.scores() if c.received else None
        return info, framework_title(info.framework_id), c, scores, rounds_summary(ctx.ws, ctx.period).note()

    def present(self, data: Any) -> None:
        w = self.window_
        ready = w.ws is not None and w.period is not None
        self.export_button.setEnabled(ready and not w.busy())
        self.department_button.setEnabled(ready and not w.busy())
        self.override_button.setEnabled(ready and not w.busy())
        if data is None or w.ws is None or w.period is None:
            self.summary.setText("Hãy mở thư mục làm việc và chọn kỳ báo cáo trước." if w.ws is None
                                 else "Hãy thêm kỳ báo cáo (bước 2) trước.")  # fmt: skip
            self.note.setText("")
            return
        info, title, c, scores, rounds_note = data
        ranked = scores.ranked if scores is not None else []
        appraised = sum(1 for u in ranked if u.appraised)
        lines = [
            f"<span style='font-size:13pt; font-weight:600; color:#1f3864'>{escape(info.label)} — "
            f"{escape(title)}</span>",
            f"Hạn nộp: {deadline_vi(info.deadline)}",
            "<table cellspacing='0' cellpadding='4' style='margin-top:6px'>"
            + "".join(f"<tr><td>{label}</td><td align='right'><b>{value}</b></td></tr>" for label, value in (
                ("Đơn vị phải nộp", c.expected), ("Đã nhận", c.received), ("Đúng hạn", c.on_time),
                ("Nộp muộn", c.late), ("Chưa nộp", c.missing), ("Có lỗi chưa sửa", c.with_errors),
                ("Đơn vị đã được thẩm định", appraised)))
            + "</table>",
        ]  # fmt: skip
        if ranked:
            average = sum(u.appraised_cents for u in ranked) // len(ranked)
            top = ranked[0]
            lines.append(f"Điểm trung bình sau thẩm định: <b>{cents_text(average)}</b>; dẫn đầu: "
                         f"<b>{escape(top.unit_code)} — {escape(top.unit_name)}</b> ({cents_text(top.appraised_cents)} "
                         "điểm).")  # fmt: skip
        if c.unusable:
            lines.append(f"Ngoài ra có {c.unusable} tệp không đọc được hoặc không xác định được đơn vị.")
        lines.append(escape(rounds_note))
        self.summary.setText("<br>".join(lines))
        target = self.default_path()
        self.note.setText(f"Tệp sẽ được lưu mặc định vào {target}." if target else "")

    def ask_export(self) -> None:
        start = self.default_path()
        if start is None:
            return
        chosen, _ = QFileDialog.getSaveFileName(self, "Lưu báo cáo tổng hợp", str(start), "Bảng tính Excel (*.xlsx)")
        if chosen:
            path = Path(chosen)
            self.export(path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx"))

    def export(self, target: Path) -> Job | None:
        """Write the period's report to ``target`` (and its CSV/JSON exports beside it) in the background."""
        w = self.window_
        if w.ws is None or w.period is None:
            errors.show_error(self, "Chưa thể xuất báo cáo", "Chưa chọn thư mục làm việc hoặc kỳ báo cáo.",
                              "Hãy mở thư mục làm việc và chọn kỳ báo cáo ở thanh công cụ.")  # fmt: skip
            return None
        folder, period = w.ws.folder, w.period
        from app.signoff import SignOffError, sign_off

        try:  # said at once, before the job starts: the same person twice, or only one of the two
            signed = sign_off(self.prepared_edit.text(), self.approved_edit.text())
        except SignOffError as exc:
            errors.report_exception(self, exc, "Chưa thể xuất báo cáo")
            return None
        job = partial(jobs.export_report, folder, period, target, docx=self.docx_check.isChecked(),
                      prepared_by=signed.prepared_by if signed else None,
                      approved_by=signed.approved_by if signed else None)  # fmt: skip
        started = w.run_job(job, "xuất báo cáo", on_success=self._exported, on_failure=self._failed, process=True)
        if started is not None:
            self.job = started
            self._set_result(None)
            self.result_label.setText("")
            self.progress.attach(started, "xuất báo cáo")
            self.export_button.setEnabled(False)
        return started

    def _exported(self, result: Any) -> None:
        self.last_exports = list(result.exports)
        self._set_result(result.workbook, result.docx)
        extra = f" và {len(self.last_exports)} tệp CSV/JSON kèm theo" if self.last_exports else ""
        word = f"\nBáo cáo bằng văn bản (Word): {result.docx}" if result.docx else ""
        self.result_label.setText(f"Đã xuất báo cáo: {result.workbook}{extra}.{word}")

    def write_department(self) -> Job | None:
        """Write the department's own self-assessment workbook in the background, then open it."""
        w = self.window_
        if w.ws is None or w.period is None:
            return None

        def done(path: Path) -> None:
            self.result_label.setText(f"Đã lập bảng tự đánh giá của Sở: {path}\nĐiền các ô tô đỏ, rồi nhận lại bằng "
                                      f"lệnh: dtidesk department --period {w.period} --receive <tệp>.")  # fmt: skip
            self.open_path(path)

        return w.run_job(partial(jobs.write_department, w.ws.folder, w.period), "lập bảng tự đánh giá của Sở",
                         on_success=done, on_failure=lambda exc: errors.report_exception(
                             self, exc, "Không lập được bảng tự đánh giá của Sở"), process=True)  # fmt: skip

    def _failed(self, exc: BaseException) -> None:
        from app.atomic import TargetLocked

        self.result_label.setText("Chưa xuất được báo cáo.")
        if isinstance(exc, TargetLocked):
            errors.show_error(self, "Tệp báo cáo đang được mở", str(exc),
                              f"Hãy đóng tệp {exc.target.name} trong Excel (hoặc chương trình đang mở nó) rồi bấm "
                              "“Xuất báo cáo…” lại.")  # fmt: skip
        else:
            errors.report_exception(self, exc, "Không xuất được báo cáo")

    def open_report(self) -> None:
        if self.last_report is not None:
            self.open_path(self.last_report)

    def open_docx(self) -> None:
        if self.last_docx is not None:
            self.open_path(self.last_docx)

    def open_report_folder(self) -> None:
        if self.last_report is not None:
            self.open_path(self.last_report.parent)

    def open_path(self, path: Path) -> None:
        """Open a file or a folder in the system's own program (tests replace this)."""
        self.window_.open_in_system(path)

    def ask_override(self) -> None:
        """A small form: which derived cell, its new value (empty: derived again), and the reason."""
        from PySide6.QtWidgets import QComboBox, QDialog

        w = self.window_
        if w.ws is None or w.period is None:
            return
        from app.department.derive import show_value
        from app.workspace.department import department_draft

        try:
            draft = department_draft(w.ws, w.period)
        except Exception as exc:
            errors.report_exception(self, exc, "Chưa lập được số liệu của Sở")
            return
        from ..dialogs.base import TaskDialog

        dialog = TaskDialog(self, "Sửa số liệu suy ra của Sở", "Lưu số liệu",
                            "Số của Văn phòng thay cho số Sở suy ra từ báo cáo của các đơn vị; có ghi nhật ký.")  # fmt: skip
        cells = QComboBox()
        for c in draft.derived:
            cells.addItem(f"{c.ref.text} — {c.label} (đang là {show_value(c.value, c.type)})", c.ref.text)
        value, reason = QLineEdit(), QLineEdit()
        value.setPlaceholderText("để trống: dùng lại số suy ra")
        dialog.form.addRow("Ô số liệu:", cells)
        dialog.form.addRow("Giá trị mới:", value)
        dialog.form.addRow("Lý do (bắt buộc):", reason)
        dialog.require(reason)  # the core refuses an override without a reason: OK waits for one
        self.override_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.override_department(str(cells.currentData()), value.text(), reason.text())

    def override_department(self, target: str, value: str, reason: str) -> bool:
        """Replace one derived figure of the department's form (``app.workspace.department``); audited."""
        from app.workspace.department import override_department

        w = self.window_
        if w.ws is None or w.period is None:
            return False
        try:
            done = override_department(w.ws, w.period, target, value, reason)
        except Exception as exc:
            errors.report_exception(self, exc, "Chưa sửa được số liệu của Sở")
            return False
        shown = "dùng lại số suy ra" if done.value is None else f"giá trị mới {done.value}"
        self.result_label.setText(f"Đã sửa ô {target} của Sở ({shown}; lý do: {done.reason}); đã ghi nhật ký. "
                                  "Lập lại bảng tự đánh giá của Sở để có số mới.")  # fmt: skip
        return True
