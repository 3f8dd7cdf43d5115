"""Exports built in a worker process, so the server's other sessions never wait for one.

A Streamlit server is one Python process whose sessions are threads sharing one GIL: a
deck built in a session's thread stops every other session for as long as it takes
(the whole city's deck took 127 s).  `Exporter.submit` runs `python -m exports KIND …
--progress FILE` instead, in a child process of its own at low priority (`nice`), at
most `workers` at a time (one on a two-core machine: the server keeps the other core),
the others queued in order.  A page asks `Exporter.job(id)` how far it got (`Job.progress`,
read from the child's progress file) and takes the file when it is `DONE`.

Nothing here imports Streamlit.  Failures never reach a reader as a traceback: the job
says "Không tạo được tệp (mã lỗi: …)" with an id, and the child's whole output goes to
the log (logger "chitieu.exports") under that id.  Finished files are kept
`keep_seconds` for their download, then removed with their folder.
"""

from __future__ import annotations

import json
import logging
import os
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


class Exporter:
    """Runs exports in child processes, `workers` at a time, and keeps their files a while."""

    def __init__(self, workdir: Path | None = None, workers: int = 1,
                 command: Sequence[str] | None = None, timeout: float = TIMEOUT_SECONDS,
                 keep_seconds: float = KEEP_SECONDS, nice: int = NICE):
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="chitieu-exports-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.command = list(command or [sys.executable, "-m", "exports"])
        if nice and shutil.which("nice"):
            self.command = ["nice", "-n", str(nice), *self.command]
        self.timeout = timeout
        self.keep_seconds = keep_seconds
        self._slots = threading.Semaphore(workers)
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}

    def submit(self, request: Request) -> Job:
        self.prune()
        job_id = secrets.token_hex(8)
        folder = self.workdir / job_id
        folder.mkdir()
        job = Job(job_id, request, folder)
        with self._lock:
            self._jobs[job_id] = job
        threading.Thread(target=self._run, args=(job,), name=f"export-{job_id}",
                         daemon=True).start()
        return job

    def job(self, job_id: str | None) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id) if job_id else None

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
                   if not j.active and j.finished is not None and now - j.finished > self.keep_seconds]
            for job in old:
                del self._jobs[job.id]
        for job in old:
            shutil.rmtree(job.folder, ignore_errors=True)

    def discard(self, job_id: str | None) -> None:
        """A finished job the page no longer offers (its selection changed)."""
        job = self.job(job_id)
        if job is None or job.active:
            return
        with self._lock:
            self._jobs.pop(job.id, None)
        shutil.rmtree(job.folder, ignore_errors=True)

    # --- the worker ---------------------------------------------------------------------

    def _run(self, job: Job) -> None:
        try:
            with self._slots:
                job.state = RUNNING
                returncode, output = self._child(job)
            if returncode == 0 and job.out.exists():
                job.state = DONE
            else:
                self._failed(job, returncode, output)
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
            # A session of its own, so a timeout stops the child and anything it started
            # (the PDF's Chromium) together.
            child = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
            try:
                returncode = child.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
                returncode = None
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


def _failure_vi(error_id: str, reason: str = "") -> str:
    return (f"Không tạo được tệp (mã lỗi: {error_id}). " + (f"{reason} " if reason else "")
            + "Vui lòng thử lại; nếu lỗi vẫn còn, hãy báo quản trị viên kèm mã lỗi này.")
