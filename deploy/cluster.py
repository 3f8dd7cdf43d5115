"""K Streamlit processes on 127.0.0.1 and one nginx in front, all in one run folder.

Every process reads the same database file through wardplan.reads.db, which
re-attaches whenever the file's (inode, mtime) changes: a build swapped in by
`python -m etl build` is seen by every process on its next rerun, with no
restart and no signal.

    with Cluster(run_dir, processes=2, port=8500) as cluster:
        cluster.url  # http://127.0.0.1:8500

The run folder holds nginx.conf, nginx's pid, logs and temp files, one log
per Streamlit process (logs/streamlit-<port>.log) and the cookie secret the
processes share (so a browser that fails over to another process keeps a
valid XSRF cookie).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from deploy import nginx

ROOT = Path(__file__).resolve().parent.parent
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")


class ClusterError(RuntimeError):
    pass


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in NGINX_CANDIDATES if Path(p).exists()), None)
    if not found:
        raise ClusterError("nginx is not installed (Debian: apt-get install nginx; "
                           "scripts/install --dev does it)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen | None = None, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise ClusterError(f"{url}: the process exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise ClusterError(f"{url}: not healthy after {timeout:.0f} s")
        time.sleep(0.2)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


@dataclass
class Cluster:
    run_dir: Path
    processes: int = 2
    port: int = 0  # nginx's port on 127.0.0.1; 0: a free one
    backend_ports: list[int] = field(default_factory=list)  # default: free ones
    db: Path | None = None  # CHITIEU_DB for every process; default: the app's default
    sticky: str = "cookie"
    expose_upstream: bool = False  # add an X-Chitieu-Upstream header (tests, --debug)
    streamlit_args: tuple[str, ...] = ()

    def __post_init__(self):
        self.run_dir = Path(self.run_dir).resolve()
        self._backends: list[subprocess.Popen] = []
        self._nginx: subprocess.Popen | None = None
        self._logs: list = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def backend_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.backend_ports]

    @property
    def pids(self) -> dict[str, int]:
        found = {url: p.pid for url, p in zip(self.backend_urls, self._backends, strict=False)}
        if self._nginx:
            found["nginx"] = self._nginx.pid
        return found

    def start(self) -> Cluster:
        binary = nginx_binary()
        for sub in ("logs", "temp"):
            (self.run_dir / sub).mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        if not self.backend_ports:
            self.backend_ports = [free_port() for _ in range(self.processes)]
        try:
            env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": self._cookie_secret()}
            if self.db:
                env["CHITIEU_DB"] = str(Path(self.db).resolve())
            for port in self.backend_ports:
                self._backends.append(self._start_streamlit(port, env))
            for url, process in zip(self.backend_urls, self._backends, strict=True):
                wait_healthy(url, process)
            conf = self.run_dir / "nginx.conf"
            conf.write_text(nginx.config(self.run_dir, f"127.0.0.1:{self.port}",
                                         [f"127.0.0.1:{p}" for p in self.backend_ports],
                                         self.sticky, self.expose_upstream), encoding="utf-8")
            log = open(self.run_dir / "logs" / "nginx-stderr.log", "ab")
            self._logs.append(log)
            self._nginx = subprocess.Popen(
                [binary, "-p", str(self.run_dir), "-c", str(conf),
                 "-e", str(self.run_dir / "logs" / "nginx-error.log")],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            wait_healthy(self.url, self._nginx, timeout=20)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_streamlit(self, port: int, env: dict) -> subprocess.Popen:
        log = open(self.run_dir / "logs" / f"streamlit-{port}.log", "ab")
        self._logs.append(log)
        return subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.headless", "true", "--server.address", "127.0.0.1",
             "--server.port", str(port), *self.streamlit_args],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def _cookie_secret(self) -> str:
        path = self.run_dir / "cookie-secret"
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        return path.read_text(encoding="utf-8").strip()

    def stop(self) -> None:
        """Stop nginx first (no new requests), then every Streamlit process; wait for all."""
        started = ([self._nginx] if self._nginx else []) + self._backends
        # Each was started in its own process group: the group also holds what it
        # started itself (nginx's workers, the Chromium kaleido runs for chart images).
        for process in started:
            _signal_group(process, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        self._nginx, self._backends = None, []
        for log in self._logs:
            log.close()
        self._logs = []

    def alive(self) -> bool:
        return bool(self._nginx) and all(p.poll() is None for p in [self._nginx, *self._backends])

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
