"""A live Streamlit server on the session's built database, and Debian's Chromium.

pytest-playwright drives /usr/bin/chromium (no browser download); the server is
started on 127.0.0.1 on a free port and stopped at the end of the session.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@contextlib.contextmanager
def streamlit_server(db: Path, env: dict[str, str] | None = None):
    """A Streamlit server on a free port of 127.0.0.1, stopped on exit; yields its URL."""
    port = _free_port()
    env = {**os.environ, "CHITIEU_DB": str(db), **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise RuntimeError(f"Streamlit did not start:\n{output}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def fresh_server(built_db: Path):
    """`with fresh_server() as url:` a server of its own, whose first request is the test's."""
    return lambda: streamlit_server(built_db)


@pytest.fixture
def server_on():
    """`with server_on(db, env) as url:` a server on a database (and data) of the test's own."""
    return streamlit_server


@pytest.fixture(scope="session")
def server(built_db: Path):
    with streamlit_server(built_db) as url:
        yield url


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\nẢnh chụp màn hình: {SCREENSHOTS}")
    return SCREENSHOTS
