"""Write a file all at once or not at all, and say plainly when the target is open in Excel.

Why: a crash (or a full disk) halfway through must never leave a half-written workbook that looks
ready to send, so every output is written to a temporary file in the target's folder and renamed
over the target in one step. On Windows, Excel keeps the workbooks it has open locked: the rename
fails with ``PermissionError`` and Excel leaves an owner file ``~$<name>`` beside it. Both cases
become one ``TargetLocked`` with a Vietnamese message saying to close the file, instead of a
traceback.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


class TargetLocked(Exception):
    """The target is open in another program; ``str()`` is the message for the user."""

    def __init__(self, target: Path) -> None:
        self.target = target
        super().__init__(
            f"Không ghi được “{target}”: tệp đang được mở (có thể trong Excel). "
            "Hãy đóng tệp rồi thực hiện lại."
        )

    def __reduce__(self) -> tuple[type[TargetLocked], tuple[Path]]:  # crosses from the worker process intact
        return (TargetLocked, (self.target,))


def lock_files(target: Path) -> tuple[Path, ...]:
    """The owner files other programs leave beside the target while it is open: Excel's ``~$`` +
    the name (for long names with its first two characters dropped) and LibreOffice's
    ``.~lock.<name>#``."""
    name = target.name
    return (target.with_name("~$" + name), target.with_name("~$" + name[2:]), target.with_name(f".~lock.{name}#"))


def write_atomic(target: Path, data: bytes | Callable[[Path], None]) -> Path:
    """Write ``data`` (bytes, or a function that writes the file at the path it is given) to
    ``target`` through a temporary file in the same folder, then rename it into place."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and any(p.exists() for p in lock_files(target)):
        raise TargetLocked(target)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
    tmp = Path(tmp_name)
    try:
        if callable(data):
            os.close(fd)
            data(tmp)
        else:
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise TargetLocked(target) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
