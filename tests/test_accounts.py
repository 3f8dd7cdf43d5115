"""Accounts: the command that manages them, hashed passwords, the rate limit and its log."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from accounts import store

ROOT = Path(__file__).resolve().parent.parent


def accounts(args: list[str], path: Path, password: str | None = None):
    return subprocess.run([sys.executable, "-m", "accounts", *args], cwd=ROOT, text=True,
                          input=(password + "\n") if password is not None else "",
                          capture_output=True, env={"CHITIEU_ACCOUNTS": str(path),
                                                    "PATH": "/usr/bin:/bin"})


def test_the_command_adds_lists_resets_and_removes(tmp_path: Path):
    path = tmp_path / "accounts.json"
    added = accounts(["add", "pl_editor", "--role", "editor", "--ward", "phu_lien"], path,
                     "mat-khau-dai-1")
    assert added.returncode == 0, added.stderr
    assert "Đã thêm tài khoản 'pl_editor'" in added.stdout
    stored = path.read_text(encoding="utf-8")
    assert "mat-khau-dai-1" not in stored and "$2b$" in stored  # bcrypt, never the password
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert "pl_editor" in accounts(["list"], path).stdout
    assert store.authenticate("pl_editor", "mat-khau-dai-1", path).wards == ("phu_lien",)
    assert accounts(["set-password", "pl_editor"], path, "mat-khau-moi-2").returncode == 0
    with pytest.raises(store.AccountError):
        store.authenticate("pl_editor", "mat-khau-dai-1", path)
    assert store.authenticate("pl_editor", "mat-khau-moi-2", path).role == store.EDITOR
    assert accounts(["remove", "pl_editor"], path).returncode == 0
    assert store.get_user("pl_editor", path) is None


@pytest.mark.parametrize(("args", "password", "reason"), [
    (["add", "x", "--role", "viewer"], "mat-khau-dai-1", "Tên đăng nhập"),
    (["add", "bien_tap", "--role", "editor"], "mat-khau-dai-1", "ít nhất một đơn vị"),
    (["add", "xem", "--role", "viewer", "--ward", "phu_lien"], "mat-khau-dai-1", "Chỉ tài khoản"),
    (["add", "xem", "--role", "viewer"], "ngan", "ít nhất 8 ký tự"),
    (["remove", "khong_co"], None, "Không có tài khoản")])
def test_the_command_refuses_in_vietnamese(args, password, reason, tmp_path: Path):
    done = accounts(args, tmp_path / "accounts.json", password)
    assert done.returncode == 1 and reason in done.stderr and "Traceback" not in done.stderr


def test_failed_logins_are_recorded_and_lock_the_name_for_a_while(tmp_path: Path):
    path = tmp_path / "accounts.json"
    store.add_user("admin1", store.ADMIN, "mat-khau-dai-1", path=path)
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    for minute in range(store.MAX_FAILURES):
        with pytest.raises(store.AccountError, match="không đúng"):
            store.authenticate("admin1", "sai", path, now + dt.timedelta(minutes=minute))
    with pytest.raises(store.AccountError, match="tạm khóa"):  # even the right password
        store.authenticate("admin1", "mat-khau-dai-1", path, now + dt.timedelta(minutes=6))
    later = now + store.FAILURE_WINDOW + dt.timedelta(minutes=5)
    assert store.authenticate("admin1", "mat-khau-dai-1", path, later).is_admin
    outcomes = [json.loads(line)["outcome"] for line in
                store.log_path(path).read_text(encoding="utf-8").splitlines()]
    assert outcomes == ["failed"] * store.MAX_FAILURES + ["locked", "ok"]
    # An unknown name is refused with the same words as a wrong password.
    with pytest.raises(store.AccountError, match="Tên đăng nhập hoặc mật khẩu không đúng"):
        store.authenticate("khong_ai", "mat-khau-dai-1", path, later)


def test_the_accounts_file_is_outside_the_repository_and_ignored():
    ignored = subprocess.run(["git", "check-ignore", "instance/accounts.json"], cwd=ROOT,
                             capture_output=True, text=True)
    assert ignored.returncode == 0
