"""Bước 4 — Tiếp nhận: drop the files units sent back (or the whole attachments folder).

Each file is read in the background (``app.workspace.ingest``) in its own connection; the
status table below re-reads ``status()`` through the loader (off the UI thread, DESIGN §9.1) while
the job runs, at most a few times a second, so results appear as they come and the window never waits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton

from app import jobs

from .. import errors
from ..models import StatusModel, VietSortProxy, prepare
from ..progress import ProgressPanel
from .base import Page, fit_visible_rows, make_table, on_enter, tab_order

if TYPE_CHECKING:
    from app.workspace import IngestResult
    from app.workspace.status import UnitStatus

    from ..loader import LoadContext
    from ..mainwindow import MainWindow
    from ..worker import Job


def local_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class DropZone(QLabel):
    """A large target for files and folders dragged from Explorer or an e-mail program."""

    dropped = Signal(list)  # list[Path]
    IDLE = (
        "Kéo thả thư hoặc tệp vào đây\n(thư điện tử đã lưu .eml/.msg/mbox, tệp Excel hoặc .zip đơn vị gửi về, "
        "hay cả thư mục chứa chúng)"
    )

    def __init__(self) -> None:
        super().__init__(self.IDLE)
        self.setObjectName("dropZone")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setAcceptDrops(True)
        self.setMinimumHeight(120)
        self._set_hover(False)

    def _set_hover(self, on: bool) -> None:
        self.setProperty("hover", on)
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event):
            event.acceptProposedAction()
            self._set_hover(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_paths(event):
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: Any) -> None:
        self._set_hover(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_hover(False)
        paths = local_paths(event)
        if paths:
            event.acceptProposedAction()
            self.dropped.emit(paths)


class IntakePage(Page):
    key = "intake"
    title = "Tiếp nhận"
    explanation = ("Mỗi tệp được nhận diện đơn vị, sao chép nguyên vẹn vào thư mục làm việc, kiểm tra và lưu số liệu. "
                   "Thả lại cùng một tệp hay thư không sao: thứ đã nhận sẽ được bỏ qua. Với thư điện tử, ngày nhận là ngày "
                   "gửi thư (giờ Việt Nam); với tệp Excel thả riêng, là thời gian của tệp.")  # fmt: skip

    #: the job run in the worker process (tests put a slower picklable one here)
    ingest_job: Callable[..., Any] = staticmethod(jobs.ingest_files)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        # short windows (1366×768 at 150 %): the page scrolls under its title rather than pile the drop
        # zone, the buttons and the texts onto each other; the table keeps room for a few rows
        self.scroll_below_title()
        self.drop_zone = DropZone()
        self.drop_zone.dropped.connect(self.receive_paths)
        self.body.addWidget(self.drop_zone)
        row = QHBoxLayout()
        self.files_button = QPushButton("Chọn tệp…")
        self.files_button.clicked.connect(self.ask_files)
        self.folder_button = QPushButton("Chọn thư mục…")
        self.folder_button.clicked.connect(self.ask_folder)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm đơn vị, tình trạng hoặc tên tệp…")
        self.search.setClearButtonEnabled(True)
        row.addWidget(self.files_button)
        row.addWidget(self.folder_button)
        row.addSpacing(12)
        row.addWidget(self.search, 1)
        self.body.addLayout(row)  # "Mở tệp gốc" ends this row: the five in the next one were too wide at 150 %
        # issue 21: the office's corrections on the selected row (app.workspace.corrections), audited
        fixes = QHBoxLayout()
        self.received_button = QPushButton("Sửa giờ nhận…")
        self.received_button.clicked.connect(self.correct_received)
        self.assign_button = QPushButton("Gán cho đơn vị…")
        self.assign_button.clicked.connect(self.assign_selected)
        self.withdraw_button = QPushButton("Rút bản nộp…")
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.restore_button = QPushButton("Khôi phục bản đã rút…")
        self.restore_button.clicked.connect(self.restore_withdrawn)
        self.original_button = QPushButton("Mở tệp gốc")
        self.original_button.clicked.connect(self.open_original)
        row.addWidget(self.original_button)
        for b in (self.received_button, self.assign_button, self.withdraw_button, self.restore_button):
            fixes.addWidget(b)
        fixes.addStretch(1)
        self.body.addLayout(fixes)
        self.progress = ProgressPanel()
        self.body.addWidget(self.progress)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        self.model = StatusModel(self)
        self.proxy = VietSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self.proxy.set_search)
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.deadline.setWordWrap(True)
        self.body.addWidget(self.deadline)
        self.table = make_table()
        self.table.setModel(self.proxy)
        # everything readable without scrolling sideways (1366×768): the short columns fit their text, the
        # long ones share the rest and wrap (a file name wraps at its "-" and "_"; the whole text is its tooltip)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        for column in (0, 3, 4, 5):  # short columns always show their whole text
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column, width in ((1, 170), (2, 150), (6, 180)):  # unit name, status, file name: wrapped
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)  # the reason ("Ghi chú") takes the rest of the width
        fit_visible_rows(self.table)  # measure the rows on screen only
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # unreadable files first, then missing units
        self.table.setMinimumHeight(220)
        on_enter(self.table, self.show_in_check)
        self.body.addWidget(self.table, 1)
        self.job: Job | None = None
        self.last_result: IngestResult | None = None
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(150)
        self._pending.timeout.connect(self.refresh_status)
        tab_order(self.files_button, self.folder_button, self.search, self.original_button, self.received_button,
                  self.assign_button, self.withdraw_button, self.restore_button, self.progress.cancel_button,
                  self.table)  # fmt: skip

    def present(self, data: Any) -> None:
        w = self.window_
        ready = w.ws is not None and w.period is not None
        for b in (self.files_button, self.folder_button, self.received_button, self.assign_button,
                  self.withdraw_button, self.restore_button, self.original_button):  # fmt: skip
            b.setEnabled(ready)
        self.drop_zone.setEnabled(ready)
        if w.ws is None:
            self.drop_zone.setText("Hãy mở thư mục làm việc trước.")
        elif w.period is None:
            self.drop_zone.setText("Hãy thêm kỳ báo cáo (bước 2) trước khi nhận tệp.")
        else:
            self.drop_zone.setText(self.drop_zone.IDLE)
        rows, due = data if data is not None else ([], None)
        self.deadline.setText("")
        if due is not None:
            self.deadline.setText(f"Hạn nộp {due}: tệp nhận từ 00g00 ngày đó trở đi là nộp muộn (xem cột "
                                  "“Nhận lúc”). Tệp không đọc được đứng đầu bảng, kèm lý do ở cột “Ghi chú”.")  # fmt: skip
        self.model.set_items(rows)

    def load(self, ctx: LoadContext) -> Any:
        from app.period import deadline_vi
        from app.workspace import get_period, status

        if ctx.period is None:
            return None
        return prepare(self.model.columns, status(ctx.ws, ctx.period)), deadline_vi(
            get_period(ctx.ws, ctx.period).deadline
        )

    def refresh_status(self) -> None:
        """Re-read the status table while files come in (the page's own load, off the UI thread)."""
        if self.window_.ws is not None:
            self.reload()

    def ask_files(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(self, "Chọn các tệp đơn vị gửi về", str(Path.home()),
                                                 "Thư và bảng tính (*.eml *.msg *.mbox *.zip *.xlsx *.xlsm *.xls *.xlsb *.ods);;"
                                                 "Mọi tệp (*)")  # fmt: skip
        if chosen:
            self.receive_paths([Path(p) for p in chosen])

    def ask_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Chọn thư mục chứa các tệp đính kèm đã lưu", str(Path.home()))
        if chosen:
            self.receive_paths([Path(chosen)])

    def receive_paths(self, paths: Sequence[Path]) -> Job | None:
        """Ingest files and folders for the current period in the background; returns the job."""
        w = self.window_
        if w.ws is None or w.period is None:
            errors.show_error(self, "Chưa thể nhận tệp", "Chưa chọn thư mục làm việc hoặc kỳ báo cáo.",
                              "Hãy mở thư mục làm việc và chọn kỳ báo cáo ở thanh công cụ, rồi thả tệp lại.")  # fmt: skip
            return None
        folder, period, targets = w.ws.folder, w.period, [Path(p) for p in paths]

        job = partial(self.ingest_job, folder, period, targets)
        started = w.run_job(job, "tiếp nhận tệp", on_progress=self._progress, on_success=self._succeeded,
                            on_failure=self._failed, process=True)  # fmt: skip
        if started is not None:
            self.job = started
            self.summary.setText("")
            self.progress.attach(started, "đọc tệp")
            started.done.connect(self._job_done)
        return started

    def _progress(self, done: int, total: int, name: str) -> None:
        if done and not self._pending.isActive():
            self._pending.start()  # coalesce: at most one re-read per interval

    def _job_done(self) -> None:
        self.job = None

    def _succeeded(self, result: IngestResult) -> None:
        self.last_result = result
        head = "Đã dừng theo yêu cầu. " if result.cancelled else ""
        mails = f" từ {len(result.mails)} thư" if result.mails else ""
        ignored = "".join(f"\n{message}" for _, message in result.ignored)
        self.summary.setText(f"{head}Đã nhận {len(result.added)} tệp mới{mails}, {len(result.rejected)} tệp không đọc "
                             f"được, {len(result.skipped)} tệp đã có. {result.explanations_line()}".strip() + ignored)  # fmt: skip

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText("Việc tiếp nhận bị dừng giữa chừng; các tệp đã xử lý xong vẫn được giữ.")
        errors.report_exception(self, exc, "Không tiếp nhận được tệp")

    # --- corrections (issue 21) -----------------------------------------------------------------

    def selected_row(self) -> UnitStatus | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def select_row(self, unit_code: str = "", file: str = "") -> bool:
        """Select the row of a unit (or of a file no unit is known for), as a click would."""
        for row in range(self.proxy.rowCount()):
            item = self.model.item(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            if (unit_code and item.unit_code == unit_code) or (file and not unit_code and item.file == file):
                self.table.selectRow(row)
                return True
        return False

    def show_in_check(self) -> bool:
        """Enter on a row: the unit's issues on the Kiểm tra page (a unit whose file is counted)."""
        from .check import CheckPage

        row = self.selected_row()
        if row is None or not row.unit_code or row.state != "received":
            return False
        check = self.window_.go_to("check")
        assert isinstance(check, CheckPage)
        return check.open_unit(row.unit_code)

    def _selected_submission(self, doing: str) -> UnitStatus | None:
        row = self.selected_row()
        if row is None or row.submission_id is None:
            errors.show_error(self, "Chưa chọn bản nộp", f"Hãy chọn trong bảng một dòng có tệp đã nhận để {doing}.",
                              "Dòng “Chưa nộp” không có tệp; dòng “Tệp không đọc được” chỉ gán được cho đơn vị.")  # fmt: skip
            return None
        return row

    def _done(self, text: str) -> None:
        self.summary.setText(text)
        self.window_.data_changed.emit()

    def correct_received(self) -> bool:
        from app.workspace import set_received

        from ..dialogs.intake import ReceivedDialog

        w, row = self.window_, self._selected_submission("sửa giờ nhận")
        if w.ws is None or row is None or row.submission_id is None:
            return False
        dialog = ReceivedDialog(self, row.file, row.received_at or datetime.now())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            set_received(w.ws, row.submission_id, dialog.when())
        except Exception as exc:
            errors.report_exception(self, exc, "Không sửa được giờ nhận")
            return False
        self._done(f"Tệp {row.file}: giờ nhận sửa thành {dialog.when():%d/%m/%Y %H:%M}; đã ghi nhật ký.")
        return True

    def assign_selected(self) -> bool:
        """Give the selected file (a submission, or an unreadable file) to the unit the clerk picks."""
        from app.workspace.corrections import assign_rejected, assign_submission
        from app.workspace.roster_edit import units_in_period
        from app.workspace.status import REJECTED
        from app.workspace.units import list_units

        from ..dialogs.intake import AssignDialog

        w, row = self.window_, self.selected_row()
        if w.ws is None or w.period is None:
            return False
        if row is None or not row.file or (row.submission_id is None and row.state != REJECTED):
            errors.show_error(self, "Chưa chọn tệp", "Hãy chọn trong bảng dòng của tệp cần gán cho đơn vị.")
            return False
        expected = {u.code for u in units_in_period(w.ws, w.period)}
        units = [u for u in list_units(w.ws, active_only=False) if u.code in expected or u.active]
        current = row.unit_code or row.named_unit
        dialog = AssignDialog(self, row.file, current, units)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            if row.submission_id is not None:
                assign_submission(w.ws, row.submission_id, dialog.unit_code(), dialog.reason())
            else:
                assign_rejected(w.ws, w.period, row.file, dialog.unit_code(), dialog.reason())
        except Exception as exc:
            errors.report_exception(self, exc, "Không gán được tệp cho đơn vị")
            return False
        self._done(f"Tệp {row.file} đã gán cho đơn vị {dialog.unit_code()}; đã ghi nhật ký.")
        return True

    def withdraw_selected(self) -> bool:
        from app.workspace.corrections import withdraw_submission

        from ..dialogs.intake import ReasonDialog

        w, row = self.window_, self._selected_submission("rút bản nộp")
        if w.ws is None or row is None or row.submission_id is None:
            return False
        dialog = ReasonDialog(self, "Rút bản nộp", "Rút bản nộp",
                              f"Tệp {row.file} ({row.unit_code or 'chưa rõ đơn vị'}) sẽ không còn được tính; bản nộp "
                              "trước đó của đơn vị (nếu có) được tính lại. Có thể khôi phục sau.")  # fmt: skip
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            withdraw_submission(w.ws, row.submission_id, dialog.reason())
        except Exception as exc:
            errors.report_exception(self, exc, "Không rút được bản nộp")
            return False
        self._done(f"Đã rút bản nộp {row.file}; đã ghi nhật ký.")
        return True

    def restore_withdrawn(self) -> bool:
        from app.workspace.corrections import restore_submission, withdrawals

        from ..dialogs.intake import RestoreDialog

        w = self.window_
        if w.ws is None or w.period is None:
            return False
        dialog = RestoreDialog(self, withdrawals(w.ws, w.period))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            sub = restore_submission(w.ws, dialog.submission_id(), dialog.reason())
        except Exception as exc:
            errors.report_exception(self, exc, "Không khôi phục được bản nộp")
            return False
        self._done(f"Đã khôi phục bản nộp {sub.file_name}; đã ghi nhật ký.")
        return True

    def open_original(self) -> Path | None:
        """Copy the selected file's original to a temporary folder and open it in the spreadsheet program."""
        import tempfile

        from app.workspace.corrections import export_original

        w, row = self.window_, self._selected_submission("mở tệp gốc")
        if w.ws is None or row is None or row.submission_id is None:
            return None
        try:
            copy = export_original(w.ws, row.submission_id, Path(tempfile.mkdtemp(prefix="dtidesk-goc-")))
        except Exception as exc:
            errors.report_exception(self, exc, "Không mở được tệp gốc")
            return None
        w.open_in_system(copy)
        return copy
