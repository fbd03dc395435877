"""Bước 3 — Tạo biểu mẫu: one workbook per unit for the current period, ready to attach to e-mails."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton

from app import jobs
from app.period import deadline_vi

from .. import errors
from ..progress import ProgressPanel
from .base import Page, hint, on_enter, tab_order

if TYPE_CHECKING:
    from ..loader import LoadContext
    from ..mainwindow import MainWindow
    from ..worker import Job


class TemplatesPage(Page):
    key = "templates"
    title = "Tạo biểu mẫu"
    explanation = ("Tạo cho mỗi đơn vị một tệp Excel để tự đánh giá, đã điền sẵn tên đơn vị, kỳ báo cáo và hạn nộp. "
                   "Các tệp nằm trong một thư mục riêng của kỳ, đặt tên theo mã đơn vị, sẵn sàng đính kèm thư điện tử.")  # fmt: skip

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        row = QHBoxLayout()
        self.generate_button = QPushButton("Tạo biểu mẫu")
        self.generate_button.clicked.connect(self.generate)
        self.open_button = QPushButton("Mở thư mục biểu mẫu")
        self.open_button.clicked.connect(lambda: self.window_.open_in_system(self.folder()))
        self.mail_button = QPushButton("Soạn thư")
        self.mail_button.setToolTip("Mỗi đơn vị một thư nháp (.eml) kèm biểu mẫu của đơn vị, gửi đến địa chỉ đã "
                                    "đăng ký; mở bằng Outlook hoặc Thunderbird rồi bấm Gửi.")  # fmt: skip
        self.mail_button.clicked.connect(lambda: self.compose("templates"))
        row.addWidget(self.generate_button)
        row.addWidget(self.mail_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.progress = ProgressPanel()
        self.body.addWidget(self.progress)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.body.addWidget(self.result_label)
        self.body.addWidget(hint("Các tệp đã có trong thư mục của kỳ:"))
        self.files = QListWidget()
        self.files.itemDoubleClicked.connect(lambda _item: self.open_file())
        on_enter(self.files, self.open_file)  # Enter on a file: the workbook in the spreadsheet program
        self.body.addWidget(self.files, 1)
        tab_order(self.generate_button, self.mail_button, self.open_button, self.progress.cancel_button, self.files)
        self.job: Job | None = None

    def open_file(self) -> Path | None:
        """Open the chosen template in the spreadsheet program (not the "(chưa có tệp nào)" line)."""
        item, folder = self.files.currentItem(), self.folder()
        path = folder / item.text() if item is not None and folder is not None else None
        if path is None or not path.is_file():
            return None
        self.window_.open_in_system(path)
        return path

    def folder(self) -> Path | None:
        w = self.window_
        return w.ws.templates / w.period if w.ws is not None and w.period else None

    def load(self, ctx: LoadContext) -> Any:
        from app.workspace import get_period
        from app.workspace.period_frameworks import period_framework_title
        from app.workspace.roster_edit import units_in_period

        if ctx.period is None:
            return None
        info = get_period(ctx.ws, ctx.period)
        folder = ctx.ws.templates / ctx.period
        files = sorted(p.name for p in folder.glob("*.xlsx")) if folder.is_dir() else []
        # the units the period expects: one that left before its deadline gets no template (templates.py)
        return info, period_framework_title(ctx.ws, info.code), len(units_in_period(ctx.ws, info.code)), files

    def present(self, data: Any) -> None:
        w = self.window_
        folder = self.folder()
        ready = w.ws is not None and w.period is not None
        self.generate_button.setEnabled(ready and not w.busy())
        self.mail_button.setEnabled(ready and not w.busy())
        self.open_button.setEnabled(folder is not None and folder.exists())
        self.files.clear()
        if data is None or w.ws is None or w.period is None:
            self.summary.setText("Hãy mở thư mục làm việc và chọn kỳ báo cáo (bước 2) trước.")
            return
        info, title, units, files = data
        self.summary.setText(f"Kỳ: {info.label} — bộ chỉ số “{title}” — hạn nộp "
                             f"{deadline_vi(info.deadline)}.\nSẽ tạo {units} tệp, mỗi đơn vị một tệp, "
                             f"vào thư mục {folder}.")  # fmt: skip
        self.generate_button.setText(f"Tạo biểu mẫu cho {units} đơn vị")
        self.generate_button.setEnabled(units > 0 and not w.busy())
        self.files.addItems(files)
        if not self.files.count():
            self.files.addItem("(chưa có tệp nào)")

    def generate(self) -> Job | None:
        """Generate the current period's templates in the background; returns the job (None if refused)."""
        w = self.window_
        if w.ws is None or w.period is None:
            return None
        folder, period = w.ws.folder, w.period

        job = partial(jobs.generate_templates, folder, period)
        started = w.run_job(job, "tạo biểu mẫu", on_success=self._succeeded, on_failure=self._failed, process=True)
        if started is not None:
            self.job = started
            self.result_label.setText("")
            self.generate_button.setEnabled(False)
            self.progress.attach(started, "tạo biểu mẫu")
            started.done.connect(self._job_done)
        return started

    def compose(self, kind: str) -> Job | None:
        """Write the drafts in the worker, then show what was written and open their folder."""
        w = self.window_
        if w.ws is None or w.period is None:
            return None
        job = partial(jobs.write_mail_drafts, w.ws.folder, w.period, kind)
        return w.run_job(job, "soạn thư", on_success=self._composed, on_failure=self._failed, process=True)

    def _composed(self, result: Any) -> None:
        self.result_label.setText("\n".join(result.messages()))
        self.window_.open_in_system(result.folder)

    def _job_done(self) -> None:
        self.job = None

    def _succeeded(self, written: Any) -> None:
        count = len(written)
        cancelled = self.job is not None and self.job.is_cancelled()
        head = "Đã dừng theo yêu cầu sau khi tạo" if cancelled else "Đã tạo xong"
        self.result_label.setText(f"{head} {count} biểu mẫu trong thư mục {self.folder()}. "
                                  "Bấm “Mở thư mục biểu mẫu” để đính kèm các tệp vào thư điện tử.")  # fmt: skip

    def _failed(self, exc: BaseException) -> None:
        self.result_label.setText("Chưa tạo được biểu mẫu.")
        errors.report_exception(self, exc, "Không tạo được biểu mẫu")
