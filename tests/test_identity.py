"""Every change names its author as account@machine (issue 22): the audit and an appraisal's ``who``."""

from __future__ import annotations

import getpass

import pytest

from app.workspace import identity
from app.workspace.store import current_user


def test_who_is_account_at_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "lan")
    monkeypatch.setenv("COMPUTERNAME", "PC-VANPHONG")
    assert identity.current_user() == current_user() == "lan@PC-VANPHONG"


def test_machine_falls_back_to_the_short_host_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMPUTERNAME", raising=False)
    monkeypatch.setattr(identity.socket, "gethostname", lambda: "may-tinh-2.so-vhtt.local")
    assert identity.machine() == "may-tinh-2"


def test_no_login_name_still_records_someone(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> str:
        raise OSError("no login")

    monkeypatch.setattr(getpass, "getuser", fail)
    monkeypatch.delenv("USERNAME", raising=False)
    monkeypatch.setenv("USER", "")
    monkeypatch.setenv("COMPUTERNAME", "PC1")
    assert identity.current_user() == "không rõ@PC1"
