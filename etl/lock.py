"""One writer at a time: every path that writes the database or `data/` holds this lock.

The lock is an advisory `flock` on `<db>.lock`, next to the database that the
data folder feeds (a data folder belongs to one database).  The kernel drops
it when its holder exits, even on `kill -9`, so it can never go stale.  A
second writer waits a bounded time, saying who it waits for, then refuses in
Vietnamese; nothing is written while it waits.

flock locks belong to one open file: taking the lock twice in one process
blocks, so the functions that run under it (`build.rebuild`, …) never take it
themselves.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from etl.problems import Refused
from wardplan.rules.numbers import format_number_vi

WAIT_SECONDS = 120.0
_POLL_SECONDS = 0.2
_UNKNOWN_HOLDER = "không rõ tiến trình"

log = logging.getLogger(__name__)


class WriterBusy(Refused):
    """Another writer still held the lock when the wait ended."""

    def __init__(self, waited: float, holder: str):
        self.waited = waited
        self.holder = holder
        super().__init__(f"writer lock still held after {waited:.0f} s by {holder}")

    def report_vi(self) -> str:
        waited = format_number_vi(self.waited, max_decimals=1)
        return (f"Không nạp dữ liệu: một lần nạp dữ liệu khác ({self.holder}) vẫn đang chạy sau "
                f"{waited} giây chờ. Cơ sở dữ liệu và thư mục dữ liệu được giữ nguyên; hãy thử "
                "lại sau ít phút.")


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def writer_lock(db_path: Path, wait_seconds: float = WAIT_SECONDS,
                notify: Callable[[str], None] = log.info) -> Iterator[None]:
    """Hold the one writer lock of `db_path` (and its data folder) for the `with` block.

    `notify` gets a Vietnamese line when the wait starts (the CLI prints it, the
    browser intake can show it).
    """
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, wait_seconds, notify)
        _write_holder(fd)
        try:
            yield
        finally:
            # Still held: the next writer's waiters must not name this one as its holder.
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the file releases the lock


def _acquire(fd: int, wait_seconds: float, notify: Callable[[str], None]) -> None:
    started = time.monotonic()
    announced = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        waited = time.monotonic() - started
        if waited >= wait_seconds:
            raise WriterBusy(wait_seconds, _holder(fd))
        # A writer that has just taken the lock may not have said who it is yet: the
        # message waits one poll for it.
        holder = None if announced else _holder(fd)
        if holder and (holder != _UNKNOWN_HOLDER or waited >= _POLL_SECONDS):
            notify(f"Đang chờ: một lần nạp dữ liệu khác ({holder}) đang chạy; "
                   f"chờ tối đa {format_number_vi(wait_seconds, max_decimals=1)} giây.")
            announced = True
        time.sleep(min(_POLL_SECONDS, max(0.0, wait_seconds - waited)))


def _write_holder(fd: int) -> None:
    """Say who holds the lock, for the message a waiting writer shows."""
    holder = {"pid": os.getpid(), "since": dt.datetime.now().strftime("%H:%M:%S %d/%m/%Y")}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder).encode(), 0)


def _holder(fd: int) -> str:
    try:
        holder = json.loads(os.pread(fd, 200, 0) or b"{}")
        return f"tiến trình {holder['pid']}, bắt đầu lúc {holder['since']}"
    except (ValueError, KeyError, TypeError):
        return _UNKNOWN_HOLDER
