"""Exports built in a worker process, so the server's other sessions never wait for one.

A Streamlit server is one Python process whose sessions are threads sharing one GIL: a
deck built in a session's thread stops every other session for as long as it takes
(the whole city's deck took 127 s).  `Exporter.submit` runs `python -m exports KIND …
--progress FILE` instead, in a child process of its own at low priority (`nice`), at
most `workers` at a time (one on a two-core machine: the server keeps the other core),
the others queued in order, at most `max_pending` in all (then `Busy`: "try again").
A page asks `Exporter.job(id, owner)` how far it got (`Job.progress`, read from the
child's progress file) and takes the file when it is `DONE`.  A server killed outright
(SIGKILL, the OOM killer) cannot stop its children: each child ends itself, and its
process group, once its server is gone (`stop_when_orphaned`), and the next server removes
the dead one's folder.

Nothing here imports Streamlit.  Failures never reach a reader as a traceback: the job
says "Không tạo được tệp (mã lỗi: …)" with an id, and the child's whole output goes to
the log (logger "chitieu.exports") under that id.  Finished files are kept
`keep_seconds` for their download, then removed with their folder.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("chitieu.exports")

# What each export is called on the page, and the file it makes.
KINDS = {
    "deck": ("trình chiếu PowerPoint", ".pptx"),
    "pdf": ("báo cáo PDF", ".pdf"),
    "workbook": ("sổ Excel", ".xlsx"),
    "csv": ("bảng trạng thái", ".csv"),
}
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
TIMEOUT_SECONDS = 600  # a city's PDF with every unit in full draws hundreds of charts
KEEP_SECONDS = 1800
NICE = 10  # below the server's sessions
MAX_PENDING = 8  # queued or running, all sessions together: then "try again later"
# The server a child works for (its pid): a server killed outright cannot stop its
# children, so each one watches for it (`stop_when_orphaned`).
PARENT_ENV = "CHITIEU_EXPORT_SERVER"
WORKDIR_PREFIX = "chitieu-exports-"
OWNER_FILE = "server.pid"
ORPHAN_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Request:
    """One export: what `python -m exports` is asked to make."""

    kind: str
    as_of: str
    db: Path
    wards: tuple[str, ...] = ()
    indicators: tuple[str, ...] | None = None  # None: the export's default
    full: tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown export {self.kind!r}")

    def argv(self, out: Path, progress: Path) -> list[str]:
        args = [self.kind, "--as-of", self.as_of, "--db", str(self.db), "--out", str(out),
                "--progress", str(progress)]
        if self.wards:
            args += ["--wards", ",".join(self.wards)]
        if self.indicators:
            args += ["--indicators", ",".join(self.indicators)]
        if self.full and self.kind in ("deck", "pdf"):
            args += ["--full", ",".join(self.full)]
        return args


@dataclass
class Job:
    id: str
    request: Request
    folder: Path
    submitted: float = field(default_factory=time.monotonic)
    state: str = QUEUED
    finished: float | None = None
    error_id: str | None = None
    message_vi: str = ""  # a failure, in words a reader can act on (no traceback, no path)
    owner: str = ""  # who may see it: the session that asked for it
    cancelled: bool = False

    @property
    def out(self) -> Path:
        return self.folder / f"export{KINDS[self.request.kind][1]}"

    @property
    def progress_file(self) -> Path:
        return self.folder / "progress.jsonl"

    @property
    def active(self) -> bool:
        return self.state in (QUEUED, RUNNING)

    def progress(self) -> tuple[float, str]:
        """(share done, what is being made) from the child's last complete line."""
        if self.state == DONE:
            return 1.0, "Đã xong"
        try:
            lines = self.progress_file.read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        for line in reversed(lines):
            try:
                step = json.loads(line)
                return float(step["done"]), str(step["text"])
            except (ValueError, KeyError, TypeError):
                continue  # a line being written
        return 0.0, ""

    def read(self) -> bytes:
        if self.state != DONE:
            raise RuntimeError(f"job {self.id} is {self.state}")
        return self.out.read_bytes()


class Busy(RuntimeError):
    """The queue is full: the page says so and asks to try again in a few minutes."""

    message_vi = ("Đang có nhiều tệp chờ tạo. Vui lòng thử lại sau ít phút.")


class Exporter:
    """Runs exports in child processes, `workers` at a time in the order asked (at most
    `max_pending` queued or running), and keeps their files a while.

    Every file lives in `workdir` (a private 0700 folder of its own unless given), one
    folder per job; `close` (also at exit) stops any child still running and removes it.
    A job belongs to the `owner` that submitted it (the page passes its session's
    token): `job(id, owner)` finds nothing for anyone else.
    """

    def __init__(self, workdir: Path | None = None, workers: int = 1,
                 command: Sequence[str] | None = None, timeout: float = TIMEOUT_SECONDS,
                 keep_seconds: float = KEEP_SECONDS, nice: int = NICE,
                 max_pending: int = MAX_PENDING):
        if workdir is None:
            _remove_orphaned_workdirs(Path(tempfile.gettempdir()))
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix=WORKDIR_PREFIX))
        self.workdir.mkdir(mode=0o700, parents=True, exist_ok=True)
        (self.workdir / OWNER_FILE).write_text(str(os.getpid()))
        self.command = list(command or [sys.executable, "-m", "exports"])
        if nice and shutil.which("nice"):
            self.command = ["nice", "-n", str(nice), *self.command]
        self.timeout = timeout
        self.keep_seconds = keep_seconds
        self.max_pending = max_pending
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._children: dict[str, subprocess.Popen] = {}
        self._closed = False
        self._threads = [threading.Thread(target=self._work, name=f"export-worker-{i}",
                                          daemon=True) for i in range(workers)]
        for thread in self._threads:
            thread.start()
        atexit.register(self.close)

    def submit(self, request: Request, owner: str = "") -> Job:
        """Queue an export; raises `Busy` when `max_pending` are already waiting or running."""
        self.prune()
        with self._lock:
            if self._closed:
                raise RuntimeError("exporter closed")
            if sum(1 for j in self._jobs.values() if j.active) >= self.max_pending:
                raise Busy()
            job_id = secrets.token_hex(8)
            folder = self.workdir / job_id
            folder.mkdir(mode=0o700)
            job = Job(job_id, request, folder, owner=owner)
            self._jobs[job_id] = job
        self._queue.put(job)
        return job

    def job(self, job_id: str | None, owner: str = "") -> Job | None:
        """The job of that id if `owner` submitted it."""
        with self._lock:
            job = self._jobs.get(job_id) if job_id else None
        return job if job is not None and job.owner == owner else None

    def ahead_of(self, job: Job) -> int:
        """How many exports will run before a queued one starts (running ones included)."""
        with self._lock:
            return sum(1 for other in self._jobs.values() if other.active and
                       other is not job and other.submitted <= job.submitted)

    def prune(self) -> None:
        """Forget finished jobs older than `keep_seconds`, and their files."""
        now = time.monotonic()
        with self._lock:
            old = [j for j in self._jobs.values()
                   if not j.active and j.finished is not None
                   and now - j.finished > self.keep_seconds]
            for job in old:
                del self._jobs[job.id]
        for job in old:
            shutil.rmtree(job.folder, ignore_errors=True)

    def discard(self, job_id: str | None, owner: str = "") -> None:
        """A job the page no longer offers (its selection changed, or it is asked again):
        dropped from the queue, or its child stopped, and its files removed."""
        job = self.job(job_id, owner)
        if job is None:
            return
        with self._lock:
            self._jobs.pop(job.id, None)
            job.cancelled = True
            child = self._children.get(job.id)
        if child is not None:
            _stop(child)  # the worker thread removes the folder once the child is gone
        elif not job.active:
            shutil.rmtree(job.folder, ignore_errors=True)

    def close(self) -> None:
        """Stop every child, forget every job and remove the work folder."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            children = list(self._children.values())
            self._jobs.clear()
        for _ in self._threads:
            self._queue.put(None)
        for child in children:
            _stop(child)
        shutil.rmtree(self.workdir, ignore_errors=True)

    # --- the worker ---------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            if job.cancelled or self._closed:
                shutil.rmtree(job.folder, ignore_errors=True)
                continue
            self._run(job)
            if job.cancelled:
                shutil.rmtree(job.folder, ignore_errors=True)

    def _run(self, job: Job) -> None:
        try:
            job.state = RUNNING
            returncode, output = self._child(job)
            if returncode == 0 and job.out.exists():
                job.state = DONE
            elif not job.cancelled:
                self._failed(job, returncode, output)
            else:
                job.state = FAILED
        except Exception:  # the page must hear of it whatever went wrong here
            job.error_id = secrets.token_hex(4)
            log.exception("export %s (%s) failed in the worker thread", job.error_id,
                          job.request.kind)
            job.message_vi = _failure_vi(job.error_id)
            job.state = FAILED
        finally:
            job.finished = time.monotonic()

    def _child(self, job: Job) -> tuple[int | None, str]:
        argv = [*self.command, *job.request.argv(job.out, job.progress_file)]
        output_path = job.folder / "output.log"
        with open(output_path, "wb") as output:
            # A session of its own, so stopping it stops anything it started too (the
            # PDF's Chromium): after a timeout, a discard, or a child that left one behind.
            child = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1",
                                          PARENT_ENV: str(os.getpid())})
            with self._lock:
                self._children[job.id] = child
                stopped = job.cancelled or self._closed
            if stopped:
                _stop(child)
            try:
                returncode = child.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                returncode = None
            finally:
                _stop(child)
                with self._lock:
                    self._children.pop(job.id, None)
        return returncode, output_path.read_text(encoding="utf-8", errors="replace")

    def _failed(self, job: Job, returncode: int | None, output: str) -> None:
        job.error_id = secrets.token_hex(4)
        what = "timed out" if returncode is None else f"exited with {returncode}"
        log.error("export %s (%s, %s) %s; its output:\n%s", job.error_id, job.request.kind,
                  job.request.as_of, what, output[-20_000:])
        # The CLI's own refusals are Vietnamese sentences of ours ("Lỗi: …"); anything
        # else (a traceback) stays in the log.
        said = [line.removeprefix("Lỗi: ") for line in output.splitlines()
                if line.startswith("Lỗi: ")] if returncode == 2 else []
        job.message_vi = _failure_vi(job.error_id, said[-1] if said else
                                     "Quá thời gian cho phép." if returncode is None else "")
        job.state = FAILED


def _stop(child: subprocess.Popen) -> None:
    """Kill the child's whole process group (whatever is left of it) and reap the child."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    child.wait()


def stop_when_orphaned(poll_seconds: float = ORPHAN_POLL_SECONDS) -> None:
    """In an export child: end it as soon as the server that asked for it is gone, with
    its process group when it leads one (the session `Exporter` starts it in).  Nothing
    to watch when run by hand (no server named); what it starts is not told of the
    server, so nothing below it watches the wrong parent."""
    server = os.environ.pop(PARENT_ENV, None)
    if not server:
        return

    def watch() -> None:
        while os.getppid() == int(server):
            time.sleep(poll_seconds)
        if os.getpgid(0) == os.getpid():
            os.killpg(os.getpid(), signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


def _remove_orphaned_workdirs(temp: Path) -> None:
    """The work folders of servers that died without closing their exporter (a SIGKILL):
    their files were for sessions that are gone too."""
    for folder in temp.glob(f"{WORKDIR_PREFIX}*"):
        try:
            owner = int((folder / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # not ours to judge: no owner written
        if not _running(owner):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _failure_vi(error_id: str, reason: str = "") -> str:
    return (f"Không tạo được tệp (mã lỗi: {error_id}). " + (f"{reason} " if reason else "")
            + "Vui lòng thử lại; nếu lỗi vẫn còn, hãy báo quản trị viên kèm mã lỗi này.")
