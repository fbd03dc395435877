"""Is a SQLite workspace on a network drive? (issue 22, point 4) — detection only, no I/O beyond reading the mount table.

Why: an office that outgrows one PC first puts "the DTI folder" on a shared drive, so that two
or three people open it at once. SQLite's locking is not reliable over SMB or NFS (the file
system may grant two writers the lock, or lose the WAL's shared memory), and the damage shows
weeks later as a corrupt database. We cannot make that safe; we can say so every time such a
workspace is opened and point to the way that is: a shared PostgreSQL workspace (DESIGN §14).

Three kinds are recognised:

- a UNC path (``\\\\server\\share\\…``, ``//server/share/…``, ``\\\\?\\UNC\\server\\share``);
- on Windows, a drive letter mapped to a share (``GetDriveTypeW`` says ``DRIVE_REMOTE``);
- on Linux, macOS and the like, a folder under a mount whose file system is a network one
  (cifs, smb3, smbfs, nfs, nfs4, afs, fuse.sshfs, 9p, davfs): the longest mount point containing
  the folder decides, read from ``/proc/self/mountinfo`` (Linux) or ``mount``'s output (macOS).

Every source of facts is a parameter (``platform``, ``mounts``, ``drive_type``) so the tests
describe a share without having one.
"""

from __future__ import annotations

import ntpath
import posixpath
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

#: file system types that are a network share (Linux names; macOS says smbfs, nfs, afpfs, webdav)
NETWORK_FILESYSTEMS = frozenset({"cifs", "smb3", "smbfs", "smb2", "nfs", "nfs4", "afs", "afpfs", "fuse.sshfs",
                                 "sshfs", "9p", "davfs", "fuse.davfs2", "webdav", "ncpfs"})  # fmt: skip
#: ``GetDriveTypeW``'s answer for a drive mapped to a network share
DRIVE_REMOTE = 4


@dataclass(frozen=True, slots=True)
class Mount:
    """One line of the mount table: where, which file system, from where (``//server/share``, ``host:/export``)."""

    point: str
    fstype: str
    source: str


@dataclass(frozen=True, slots=True)
class NetworkLocation:
    """Why a folder is on the network: ``kind`` (unc | mapped-drive | mount) and what to name to the user."""

    kind: str
    detail: str  # the share (\\server\share), the drive (Z:) or the mount (/mnt/dti, cifs từ //server/share)


def _unescape(field: str) -> str:
    """``/proc/self/mountinfo`` writes space, tab, newline and backslash as octal escapes (``\\040``)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def parse_mountinfo(text: str) -> list[Mount]:
    """The mounts of a ``/proc/self/mountinfo`` text (fields: id parent dev root point opts … - type source)."""
    out: list[Mount] = []
    for line in text.splitlines():
        fields = line.split(" ")
        if "-" not in fields or len(fields) < 5:
            continue
        dash = fields.index("-")
        if dash + 1 >= len(fields):
            continue
        source = fields[dash + 2] if dash + 2 < len(fields) else ""
        out.append(Mount(_unescape(fields[4]), fields[dash + 1], _unescape(source)))
    return out


def parse_mount_output(text: str) -> list[Mount]:
    """The mounts of macOS/BSD ``mount`` output: ``//lan@server/share on /Volumes/share (smbfs, nodev, …)``."""
    out: list[Mount] = []
    for line in text.splitlines():
        m = re.match(r"^(?P<source>.+?) on (?P<point>/.*?) \((?P<type>[^,)]+)", line)
        if m:
            out.append(Mount(m["point"], m["type"].strip(), m["source"]))
    return out


def system_mounts(platform: str = sys.platform) -> list[Mount]:
    """This machine's mount table (empty when it cannot be read: then nothing is reported)."""
    if platform.startswith("linux"):
        try:
            return parse_mountinfo(Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return []
    if platform == "darwin" or "bsd" in platform:
        try:
            done = subprocess.run(["mount"], capture_output=True, text=True, timeout=5, check=False)
        except (OSError, subprocess.SubprocessError):
            return []
        return parse_mount_output(done.stdout)
    return []


def windows_drive_type(root: str) -> int:
    """``GetDriveTypeW`` of a drive root such as ``Z:\\`` (Windows only)."""
    import ctypes

    windll: Any = getattr(ctypes, "windll")  # noqa: B009 - only on Windows; mypy on Linux does not know it
    return int(windll.kernel32.GetDriveTypeW(root))


def unc_share(text: str) -> str | None:
    """``\\\\server\\share`` when ``text`` is a UNC path (either slash; ``\\\\?\\UNC\\…`` too), else None."""
    t = text.replace("/", "\\")
    if t.startswith("\\\\?\\UNC\\"):
        t = "\\\\" + t[len("\\\\?\\UNC\\") :]
    elif t.startswith(("\\\\?\\", "\\\\.\\")):  # a long local path (\\?\C:\…) or a device: not a share
        return None
    if not t.startswith("\\\\") or t.startswith("\\\\\\"):
        return None
    parts = [p for p in t[2:].split("\\") if p]
    if len(parts) < 2:
        return None
    return f"\\\\{parts[0]}\\{parts[1]}"


def _mount_of(path: str, mounts: Iterable[Mount]) -> Mount | None:
    """The mount holding ``path``: the longest mount point that is ``path`` or one of its parents."""
    best: Mount | None = None
    for m in mounts:
        point = m.point.rstrip("/") or "/"
        inside = path == point or point == "/" or path.startswith(point + "/")
        if inside and (best is None or len(point) > len(best.point.rstrip("/") or "/")):
            best = m
    return best


def network_location(folder: PurePath | str, *, platform: str = sys.platform, mounts: Iterable[Mount] | None = None,
                     drive_type: Callable[[str], int] | None = None) -> NetworkLocation | None:  # fmt: skip
    """Where on the network ``folder`` is, or None for a local disk (or when it cannot be told)."""
    text = str(folder)
    share = unc_share(text)
    if share is not None:
        return NetworkLocation("unc", share)
    if platform == "win32":
        drive = ntpath.splitdrive(text)[0]
        if len(drive) == 2 and drive[1] == ":":
            kind = (drive_type or windows_drive_type)(drive.upper() + "\\")
            if kind == DRIVE_REMOTE:
                return NetworkLocation("mapped-drive", drive.upper())
        return None
    path = posixpath.normpath(text)
    found = _mount_of(path, system_mounts(platform) if mounts is None else mounts)
    if found is not None and found.fstype.lower() in NETWORK_FILESYSTEMS:
        return NetworkLocation("mount", f"{found.point}, {found.fstype} từ {found.source}")
    return None


def network_warning(folder: Path, where: NetworkLocation) -> str:
    """The warning a user reads: where and why it is unsafe; then, on a line of its own, what to do instead
    (one person: copy it home; several: a shared PostgreSQL workspace, with the command that moves it)."""
    place = {"unc": f"thư mục dùng chung trên mạng {where.detail}",
             "mapped-drive": f"ổ mạng {where.detail}",
             "mount": f"ổ mạng ({where.detail})"}[where.kind]  # fmt: skip
    return (f"Cảnh báo: không gian làm việc {folder} nằm trên {place}. Cơ sở dữ liệu SQLite không được khóa an toàn "
            "qua ổ mạng: khi hai người cùng mở, dữ liệu có thể bị hỏng mà không báo ngay.\nNếu chỉ một người dùng, hãy "
            "chép thư mục về ổ đĩa của máy mình rồi mở bản chép. Nếu nhiều người cùng tiếp nhận và thẩm định, hãy "
            "chuyển sang không gian làm việc dùng chung trên máy chủ PostgreSQL: "
            f"dtidesk workspace copy \"{folder}\" postgresql://NGƯỜI_DÙNG@MÁY_CHỦ/TÊN_CSDL")  # fmt: skip


def workspace_warnings(ws: Any) -> list[str]:
    """What to warn about when ``ws`` is opened: a SQLite workspace on a network drive (else nothing).

    A shared (PostgreSQL) workspace is not concerned: its folder only caches, the server keeps the data."""
    folder = getattr(ws, "folder", None)
    if not isinstance(folder, Path) or getattr(ws, "dialect", "sqlite") != "sqlite":
        return []
    where = network_location(folder)
    return [] if where is None else [network_warning(folder, where)]


__all__ = ["Mount", "NetworkLocation", "network_location", "network_warning", "parse_mount_output",
           "parse_mountinfo", "system_mounts", "unc_share", "workspace_warnings"]  # fmt: skip
