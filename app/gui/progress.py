"""The progress strip shown under a page while its job runs: bar, current file, and Huỷ."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from .worker import Job


class ProgressPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setFormat("%v / %m")
        self.label = QLabel()
        self.label.setMinimumWidth(320)
        self.cancel_button = QPushButton("Huỷ")
        self.cancel_button.setToolTip("Dừng sau tệp đang xử lý; các tệp đã xong vẫn được giữ.")
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.bar, 2)
        layout.addWidget(self.label, 3)
        layout.addWidget(self.cancel_button)
        self.job: Job | None = None
        self.setVisible(False)

    def attach(self, job: Job, verb: str) -> None:
        self.job = job
        self._verb = verb
        self.bar.setRange(0, 0)  # busy until the first report says how many
        self.label.setText(f"Đang {verb}…")
        self.cancel_button.setEnabled(True)
        self.setVisible(True)
        job.progress.connect(self._progress)
        job.done.connect(self._done)

    def _progress(self, done: int, total: int, name: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if name:
            self.label.setText(f"Đang {self._verb}: {name}")

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText("Đang dừng sau tệp hiện tại…")

    def _done(self) -> None:
        self.job = None
        self.setVisible(False)
