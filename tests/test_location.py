"""A SQLite workspace on a network drive is recognised (issue 22, point 4), for each kind of share.

The mount table and the drive type are given to the detector, so no test needs a real share.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from app.workspace import location
from app.workspace.location import Mount, network_location, parse_mount_output, parse_mountinfo, unc_share

MOUNTINFO = "\n".join([
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
    "30 22 0:40 / /mnt/dti rw,relatime shared:5 - cifs //fileserver/DTI rw,vers=3.1.1",
    "31 22 0:41 / /mnt/dti/local rw,relatime shared:6 - ext4 /dev/sdb1 rw",  # a local disk mounted inside the share
    "32 22 0:42 / /srv/nfs rw shared:7 - nfs4 nas:/export/vhtt rw",
    "33 22 0:43 / /home/lan/ổ\\040mạng rw shared:8 - fuse.sshfs lan@server:/data rw",
    "34 22 0:44 / /mnt/wsl rw - 9p drvfs rw",
    "35 22 0:45 / /tmp rw - tmpfs tmpfs rw",
])  # fmt: skip


@pytest.mark.parametrize("path, share", [
    (r"\\fileserver\DTI\2023", r"\\fileserver\DTI"),
    ("//fileserver/DTI/2023", r"\\fileserver\DTI"),
    (r"\\?\UNC\fileserver\DTI\2023", r"\\fileserver\DTI"),
    (r"\\?\C:\DTI", None),
    (r"C:\DTI", None),
    (r"\\server", None),
    ("/mnt/dti", None),
])  # fmt: skip
def test_unc_paths(path: str, share: str | None) -> None:
    assert unc_share(path) == share


def test_a_unc_path_is_a_share_on_every_system() -> None:
    for platform in ("win32", "linux", "darwin"):
        found = network_location(PureWindowsPath(r"\\fileserver\DTI\ws"), platform=platform, mounts=[],
                                 drive_type=lambda root: 3)  # fmt: skip
        assert found is not None and (found.kind, found.detail) == ("unc", r"\\fileserver\DTI")


def test_a_mapped_drive_on_windows() -> None:
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return {"Z:\\": location.DRIVE_REMOTE, "C:\\": 3}[root]

    found = network_location(PureWindowsPath(r"z:\DTI\ws"), platform="win32", drive_type=drive_type)
    assert found is not None and (found.kind, found.detail) == ("mapped-drive", "Z:")
    assert network_location(PureWindowsPath(r"C:\DTI\ws"), platform="win32", drive_type=drive_type) is None
    assert asked == ["Z:\\", "C:\\"]


@pytest.mark.parametrize("folder, fstype", [
    ("/mnt/dti", "cifs"),
    ("/mnt/dti/2023/ws", "cifs"),
    ("/srv/nfs/ws", "nfs4"),
    ("/home/lan/ổ mạng/ws", "fuse.sshfs"),
    ("/mnt/wsl/c/DTI", "9p"),
    ("/mnt/dti/local/ws", None),  # the longest mount point decides: a local disk inside the share
    ("/mnt/dtix", None),  # a sibling whose name only starts like the share
    ("/home/lan/ws", None),
    ("/tmp/ws", None),
])  # fmt: skip
def test_mounts_on_linux(folder: str, fstype: str | None) -> None:
    found = network_location(PurePosixPath(folder), platform="linux", mounts=parse_mountinfo(MOUNTINFO))
    if fstype is None:
        assert found is None
    else:
        assert found is not None and found.kind == "mount" and fstype in found.detail


def test_mounts_on_macos() -> None:
    mounts = parse_mount_output("/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
                                "//lan@fileserver/DTI on /Volumes/DTI (smbfs, nodev, nosuid, mounted by lan)\n")  # fmt: skip
    assert mounts[1] == Mount("/Volumes/DTI", "smbfs", "//lan@fileserver/DTI")
    found = network_location(PurePosixPath("/Volumes/DTI/ws"), platform="darwin", mounts=mounts)
    assert found is not None and "smbfs" in found.detail
    assert network_location(PurePosixPath("/Users/lan/ws"), platform="darwin", mounts=mounts) is None


def test_this_machines_own_temporary_folder_is_not_a_share(tmp_path: Path) -> None:
    assert location.workspace_warnings(type("W", (), {"folder": tmp_path})()) == []


def test_the_warning_says_where_why_and_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(location, "network_location", lambda folder: location.NetworkLocation("mount", "/mnt/dti, "
                                                                                              "cifs từ //fs/DTI"))  # fmt: skip
    (text,) = location.workspace_warnings(type("W", (), {"folder": tmp_path})())
    assert str(tmp_path) in text and "cifs từ //fs/DTI" in text and "SQLite" in text
    assert f'dtidesk workspace copy "{tmp_path}" postgresql://' in text
    assert location.workspace_warnings(object()) == []  # a workspace without a folder (PostgreSQL): nothing


def test_the_command_line_warns_on_stderr_and_in_a_json_object(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    import json

    from app.cli.main import main
    from app.workspace import Workspace

    Workspace.create(tmp_path / "ws").close()
    monkeypatch.setattr(location, "network_location",
                        lambda folder: location.NetworkLocation("unc", r"\\fileserver\DTI"))  # fmt: skip
    capsys.readouterr()
    assert main(["backup", "--workspace", str(tmp_path / "ws"), "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["warnings"] == [err.strip()] and r"\\fileserver\DTI" in err
    assert main(["units", "list", "--workspace", str(tmp_path / "ws"), "--json"]) == 0
    out, err = capsys.readouterr()
    assert isinstance(json.loads(out), list) and "Cảnh báo: không gian làm việc" in err  # a list stays a list
    monkeypatch.setattr(location, "network_location", lambda folder: None)
    assert main(["backup", "--workspace", str(tmp_path / "ws"), "--json"]) == 0
    out, err = capsys.readouterr()
    assert "warnings" not in json.loads(out) and err == ""
