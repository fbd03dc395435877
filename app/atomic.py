"""Write a file all at once or not at all, and say plainly why a file could not be written.

Why: a crash (or a full disk) halfway through must never leave a half-written workbook that looks
ready to send, so every output is written to a temporary file in the target's folder and renamed
over the target in one step; on any failure the temporary file is removed. On Windows, Excel keeps
the workbooks it has open locked: the rename fails with ``PermissionError`` and Excel leaves an
owner file ``~$<name>`` beside it. Both cases become one ``TargetLocked`` with a Vietnamese
message saying to close the file. A target that is a folder, a folder that cannot be written to
(read-only share, no permission, a file where a folder should be) and a full disk each become an
``OutputError`` naming the path and what to do — a ``UserError``, never a traceback.

The finished file gets ordinary permissions (``0o666`` less the umask: ``0644`` under the usual
``022``), not the ``0600`` of a temporary file.
"""

from __future__ import annotations

import errno
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from app.errors import UserError


class TargetLocked(UserError):
    """The target is open in another program; ``str()`` is the message for the user."""

    def __init__(self, target: Path) -> None:
        super().__init__(
            f"Không ghi được “{target}”: tệp đang được mở (có thể trong Excel). Hãy đóng tệp rồi thực hiện lại.",
            path=target,
        )
        self.target = target

    def __reduce__(self) -> tuple[type[TargetLocked], tuple[Path]]:  # crosses from the worker process intact
        return (TargetLocked, (self.target,))


class OutputError(UserError):
    """An output file could not be written (folder, permission, full disk); nothing was left behind."""


def lock_files(target: Path) -> tuple[Path, ...]:
    """The owner files other programs leave beside the target while it is open: Excel's ``~$`` +
    the name (for long names with its first two characters dropped) and LibreOffice's
    ``.~lock.<name>#``."""
    name = target.name
    return (target.with_name("~$" + name), target.with_name("~$" + name[2:]), target.with_name(f".~lock.{name}#"))


_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process's umask, read without leaving it changed (``os.umask`` can only set it)."""
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _os_error(exc: BaseException) -> OSError | None:
    """The ``OSError`` behind ``exc``: itself, its first argument (XlsxWriter's ``FileCreateError``
    wraps one) or its cause/context."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, OSError):
            return e
        if e.args and isinstance(e.args[0], OSError):
            return e.args[0]
        todo += [e.__cause__, e.__context__]
    return None


_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NO_WRITE = {errno.EACCES, errno.EPERM, errno.EROFS}
_ABOUT_TARGET = _NO_SPACE | _NO_WRITE | {errno.ENOTDIR, errno.EISDIR, errno.EFBIG}


def _explain(target: Path, exc: OSError) -> OutputError:
    folder = target.parent
    if exc.errno in _NO_SPACE:
        return OutputError(f"Không ghi được “{target}”: ổ đĩa chứa thư mục {folder} đã đầy.", path=target,
                           hint="Hãy xoá bớt tệp không cần hoặc chọn nơi lưu ở ổ đĩa khác, rồi thực hiện lại.")  # fmt: skip
    if isinstance(exc, PermissionError) or exc.errno in _NO_WRITE:
        return OutputError(f"Không ghi được “{target}”: không có quyền ghi vào thư mục {folder} "
                           "(thư mục chỉ đọc, thư mục dùng chung hoặc thư mục đồng bộ không cho ghi).", path=target,
                           hint="Hãy chọn thư mục khác (ví dụ trong Tài liệu của bạn) hoặc xin quyền ghi, "
                                "rồi thực hiện lại.")  # fmt: skip
    if isinstance(exc, NotADirectoryError | FileExistsError) or exc.errno == errno.ENOTDIR:
        return OutputError(f"Không ghi được “{target}”: một phần của đường dẫn {folder} là tệp, không phải "
                           "thư mục.", path=target, hint="Hãy chọn đường dẫn khác để lưu, rồi thực hiện lại.")  # fmt: skip
    if isinstance(exc, IsADirectoryError):
        return _is_folder(target)
    return OutputError(f"Không ghi được “{target}”: {exc.strerror or exc}.", path=target,
                       hint="Hãy kiểm tra ổ đĩa và thư mục lưu (còn chỗ trống, có quyền ghi), rồi thực hiện lại.")  # fmt: skip


def _is_folder(target: Path) -> OutputError:
    return OutputError(f"Không ghi được “{target}”: đây là một thư mục, không phải tệp.", path=target,
                       hint=f"Hãy ghi tên tệp, ví dụ {target / ('bao-cao' + (target.suffix or '.xlsx'))}, "
                            "hoặc chọn tệp khác.")  # fmt: skip


def write_atomic(
    target: Path, data: bytes | Callable[[Path], None], *, mode: int | None = None, temp: Path | None = None
) -> Path:
    """Write ``data`` (bytes, or a function that writes the file at the path it is given) to
    ``target`` through a temporary file in the same folder, then rename it into place.

    The file is flushed to the disk before the rename and the folder after it, so that a power cut
    leaves either the old file or the whole new one. ``mode`` sets the final permissions (default:
    ``0o666`` less the umask, as any program's output); ``temp`` names the temporary file (the
    workspace's originals name theirs after the process, so that a killed copy can be told from a
    running one). Raises ``TargetLocked`` or ``OutputError`` (both ``UserError``) for what the user
    can put right; the temporary file never stays behind."""
    target = Path(target)
    if target.is_dir():
        raise _is_folder(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _explain(target, exc) from exc
    if target.exists() and any(p.exists() for p in lock_files(target)):
        raise TargetLocked(target)
    try:
        if temp is None:
            fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
            tmp = Path(tmp_name)
        else:
            tmp = temp
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        raise _explain(target, exc) from exc
    try:
        if callable(data):
            os.close(fd)
            data(tmp)
            flush_file(tmp)
        else:
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(tmp, (0o666 & ~current_umask()) if mode is None else mode)
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise TargetLocked(target) from exc
        flush_folder(target.parent)
    except BaseException as exc:
        _remove(tmp)
        cause = None if isinstance(exc, UserError) else _os_error(exc)
        if cause is not None and cause.errno in _ABOUT_TARGET:  # not an input file the writer read
            raise _explain(target, cause) from exc
        raise
    return target


def _remove(path: Path) -> None:
    """Remove a temporary file, read-only ones too (Windows refuses to delete those)."""
    try:
        os.chmod(path, 0o600)
        path.unlink()
    except OSError:
        pass


def flush_file(path: Path) -> None:
    """Make the file's content durable (for files a library wrote and closed itself).

    Opened for writing: Windows flushes only a handle that may write (a read-only one fails with
    EBADF, which the packaged program's smoke test under Wine showed as "no permission to write").
    A file system that cannot flush at all (EINVAL) is left as it is."""
    with open(path, "r+b") as stream:
        try:
            os.fsync(stream.fileno())
        except OSError as exc:
            if exc.errno != errno.EINVAL:
                raise


def flush_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable; a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
