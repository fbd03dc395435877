"""The one error dialog: what happened, what to do — never a traceback.

Every failure the user can meet goes through ``show_error`` (call it as ``errors.show_error`` so
tests can replace it). ``report_exception`` turns an exception into that dialog: a
``UserError`` (``app.errors``: the workspace's errors, a file open in Excel, a folder that cannot be
written to, a full disk, the worker process ending) already carries a Vietnamese message and what
to do, and is shown as is — the same text the command line prints; anything else is a defect of
the program, logged with its traceback, and shown as an internal error that names the log file.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import UserError

from . import logs


def show_error(parent: QWidget | None, title: str, what_happened: str, what_to_do: str = "") -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(what_happened)
    if what_to_do:
        box.setInformativeText(what_to_do)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.button(QMessageBox.StandardButton.Ok).setText("Đóng")
    box.exec()


def tell(parent: QWidget | None, title: str, text: str) -> None:
    """A short piece of good news (a backup made, a check passed), closed with "Đóng" — not Qt's English "OK"."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.button(QMessageBox.StandardButton.Ok).setText("Đóng")
    box.exec()


def ask(parent: QWidget | None, title: str, question: str, yes_text: str, details: str = "") -> bool:
    """A yes/no question with the answers in Vietnamese (Qt's own "Yes"/"No" are English): Enter says
    ``yes_text``, Esc says "Huỷ"."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.NoButton, parent)
    if details:
        box.setInformativeText(details)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton("Huỷ", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def explain(exc: BaseException, what_to_do: str = "") -> tuple[str, str]:
    """(what happened, what to do) for an exception, logging it."""
    if isinstance(exc, UserError):
        logs.logger().info("user error: %s", exc)
        return str(exc), what_to_do or exc.hint or "Hãy sửa theo hướng dẫn ở trên rồi thử lại."
    if isinstance(exc, OSError):
        logs.logger().warning("file error", exc_info=exc)
        where = f" ({exc.filename})" if exc.filename else ""
        return (f"Không đọc hoặc ghi được tệp{where}: {exc.strerror or exc}.",
                what_to_do or "Hãy kiểm tra tệp có đang mở trong Excel, còn chỗ trống trên ổ đĩa "
                "và bạn có quyền ghi vào thư mục đó, rồi thử lại.")  # fmt: skip
    logs.logger().error("unexpected error", exc_info=exc)
    return ("Đã xảy ra lỗi ngoài dự kiến trong chương trình.",
            "Công việc đang làm chưa được lưu thay đổi nào dở dang. Hãy thử lại; nếu lỗi lặp lại, "
            f"hãy gửi tệp nhật ký cho bộ phận hỗ trợ — chi tiết đã ghi vào nhật ký {logs.log_file()}.")  # fmt: skip


def report_exception(parent: QWidget | None, exc: BaseException, title: str = "Không thực hiện được",
                     what_to_do: str = "") -> None:  # fmt: skip
    happened, to_do = explain(exc, what_to_do)
    show_error(parent, title, happened, to_do)
