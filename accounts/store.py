"""Accounts: a file of users with bcrypt-hashed passwords, roles and wards.

The file lives outside what the repository tracks (`[accounts] file` in
settings.toml, default `instance/accounts.json`, git-ignored; `CHITIEU_ACCOUNTS`
overrides it), is replaced atomically on every change, and holds no plain
password.  Roles:

* viewer — reads everything;
* editor — also submits figures, for the wards bound to the account only;
* admin  — the finance department: submits for any ward, manages accounts,
  reverts submissions.

Every write path calls `require_submit` / `require_admin` with the user the
server knows for the session, so hiding a page is never the only guard.
Failed logins are recorded (`auth_log.jsonl` beside the accounts file) and a
username is locked for a while after repeated failures.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

import bcrypt

from wardplan.rules.settings import ROOT, load_settings

VIEWER, EDITOR, ADMIN = "viewer", "editor", "admin"
ROLES = (VIEWER, EDITOR, ADMIN)
ROLE_LABELS_VI = {VIEWER: "Xem", EDITOR: "Nhập số liệu", ADMIN: "Quản trị"}
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 8
# After this many failed logins within the window, the username waits out the window.
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)

_lock = threading.Lock()


class AccountError(ValueError):
    """A refused account operation; `message_vi` is for users."""

    def __init__(self, message_vi: str):
        super().__init__(message_vi)
        self.message_vi = message_vi


class PermissionDenied(AccountError):
    """The session's user may not do this (checked on the server)."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    wards: tuple[str, ...] = ()
    display_name: str = ""

    def can_submit(self, ward: str) -> bool:
        return self.role == ADMIN or (self.role == EDITOR and ward in self.wards)

    @property
    def can_write(self) -> bool:
        """May submit for at least one ward."""
        return self.role == ADMIN or (self.role == EDITOR and bool(self.wards))

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def label(self) -> str:
        return self.display_name or self.username


# The author of shell commands (python -m etl import): recorded, never logged in.
def shell_user() -> User:
    name = os.environ.get("USER") or os.environ.get("LOGNAME") or "shell"
    return User(f"shell:{name}", ADMIN, (), f"Dòng lệnh ({name})")


def require_submit(user: User | None, ward: str) -> User:
    if user is None:
        raise PermissionDenied("Cần đăng nhập bằng tài khoản nhập số liệu để nộp báo cáo.")
    if not user.can_submit(ward):
        raise PermissionDenied(f"Tài khoản '{user.username}' không được nộp báo cáo cho đơn vị "
                               f"'{ward}'.")
    return user


def require_admin(user: User | None) -> User:
    if user is None or not user.is_admin:
        raise PermissionDenied("Chỉ tài khoản quản trị mới làm được việc này.")
    return user


# --- the file -----------------------------------------------------------------

@dataclass
class _Record:
    role: str
    password_hash: str
    wards: list[str] = field(default_factory=list)
    display_name: str = ""


def accounts_path() -> Path:
    override = os.environ.get("CHITIEU_ACCOUNTS")
    if override:
        return Path(override)
    configured = Path(load_settings().accounts_file)
    return configured if configured.is_absolute() else ROOT / configured


def _read(path: Path) -> dict[str, _Record]:
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {name: _Record(**record) for name, record in raw.get("users", {}).items()}


def _write(path: Path, records: dict[str, _Record]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({"users": {n: asdict(r) for n, r in sorted(records.items())}},
                         ensure_ascii=False, indent=2)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _user(name: str, record: _Record) -> User:
    return User(name, record.role, tuple(record.wards), record.display_name)


def list_users(path: Path | None = None) -> list[User]:
    return [_user(n, r) for n, r in sorted(_read(path or accounts_path()).items())]


def get_user(username: str, path: Path | None = None) -> User | None:
    record = _read(path or accounts_path()).get(username)
    return _user(username, record) if record else None


def add_user(username: str, role: str, password: str, wards: list[str] | None = None,
             display_name: str = "", path: Path | None = None) -> User:
    path = path or accounts_path()
    _check_username(username)
    _check_role(role, wards or [])
    _check_password(password)
    with _lock:
        records = _read(path)
        if username in records:
            raise AccountError(f"Tài khoản '{username}' đã có.")
        records[username] = _Record(role, _hash(password), sorted(set(wards or [])), display_name)
        _write(path, records)
    return _user(username, records[username])


def remove_user(username: str, path: Path | None = None) -> None:
    path = path or accounts_path()
    with _lock:
        records = _read(path)
        if records.pop(username, None) is None:
            raise AccountError(f"Không có tài khoản '{username}'.")
        _write(path, records)


def set_password(username: str, password: str, path: Path | None = None) -> None:
    path = path or accounts_path()
    _check_password(password)
    with _lock:
        records = _read(path)
        if username not in records:
            raise AccountError(f"Không có tài khoản '{username}'.")
        records[username].password_hash = _hash(password)
        _write(path, records)


def authenticate(username: str, password: str, path: Path | None = None,
                 now: dt.datetime | None = None) -> User:
    """The user, if the password is right and the username is not locked; every attempt
    is recorded.  Raises AccountError with a message that never says which part was wrong."""
    path = path or accounts_path()
    now = now or dt.datetime.now(dt.UTC)
    username = username.strip().lower()
    if _recent_failures(path, username, now) >= MAX_FAILURES:
        _record(path, username, "locked", now)
        minutes = int(FAILURE_WINDOW.total_seconds() // 60)
        raise AccountError(f"Đăng nhập sai quá {MAX_FAILURES} lần: tài khoản tạm khóa, hãy thử "
                           f"lại sau {minutes} phút.")
    record = _read(path).get(username)
    # An unknown name costs a hash check too, so the time taken does not tell who exists.
    stored = record.password_hash if record else _dummy_hash()
    ok = bcrypt.checkpw(password.encode("utf-8"), stored.encode("ascii")) and record is not None
    _record(path, username, "ok" if ok else "failed", now)
    if not ok:
        raise AccountError("Tên đăng nhập hoặc mật khẩu không đúng.")
    return _user(username, record)


# --- the login log --------------------------------------------------------------

def log_path(path: Path | None = None) -> Path:
    return (path or accounts_path()).with_name("auth_log.jsonl")


def _record(path: Path, username: str, outcome: str, now: dt.datetime) -> None:
    line = json.dumps({"at": now.isoformat(timespec="seconds"), "username": username,
                       "outcome": outcome}, ensure_ascii=False)
    target = log_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _lock, target.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _recent_failures(path: Path, username: str, now: dt.datetime) -> int:
    """Failures since the last success, within the window."""
    target = log_path(path)
    if not target.exists():
        return 0
    failures = 0
    for line in target.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if entry.get("username") != username:
            continue
        if entry.get("outcome") == "ok":
            failures = 0
        elif entry.get("outcome") == "failed" and \
                now - dt.datetime.fromisoformat(entry["at"]) < FAILURE_WINDOW:
            failures += 1
    return failures


# --- checks -------------------------------------------------------------------------

def _hash(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


@functools.cache
def _dummy_hash() -> str:
    # Made when first needed, not on import: a bcrypt hash costs a fifth of a second, and
    # every `python -m etl` process imports this module.
    return _hash("not-a-password-of-anyone")


def _check_username(username: str) -> None:
    if not USERNAME.match(username):
        raise AccountError("Tên đăng nhập chỉ gồm chữ thường không dấu, số, '.', '_' hoặc '-' "
                           "(2–40 ký tự).")


def _check_role(role: str, wards: list[str]) -> None:
    if role not in ROLES:
        raise AccountError(f"Vai trò '{role}' không hợp lệ; dùng {', '.join(ROLES)}.")
    if role == EDITOR and not wards:
        raise AccountError("Tài khoản nhập số liệu phải gắn với ít nhất một đơn vị (--ward).")
    if role != EDITOR and wards:
        raise AccountError("Chỉ tài khoản nhập số liệu (editor) mới gắn với đơn vị.")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
