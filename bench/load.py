"""`python -m bench load`: N concurrent sessions against a real `streamlit run` server.

For each data set and each session count N, a fresh server is started on
127.0.0.1 (`--processes K` > 1: K servers behind nginx, deploy.cluster),
each process warmed with one overview of its own (imports and the database
attach are not an interaction's cost; through nginx the warm-up would reach one
process of K, and the others' first overview, a second and more, would be
measured as an interaction), and then N sessions start together, each doing
`--interactions` reruns back to back (no think time: the worst case). Each
session looks at its own unit, as different leaders would.

Clients (`--client`):
- `protocol` (default): bench.client, Streamlit's websocket protocol with the
  browser's message cache, no drawing. Light enough that N clients do not
  take the server's cores.
- `browser`: N Chromium pages (Debian's /usr/bin/chromium through Playwright);
  an interaction is a navigation (page.goto), waited on until the expected
  text shows and the app is idle. It includes what a browser does and so
  competes with the server for the same two cores.

Reported per N: p50/p95 of all interactions and of each kind, failures, the
server's CPU seconds per interaction (utime+stime from /proc/<pid>/stat of
every server process, before and after), and bytes received per interaction
(websocket payload, uncompressed: a browser negotiates permessage-deflate,
so its wire carries less).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.measure import ROOT, Figure, Table, Target, tree_cpu
from bench.workspace import SCALES, Workspace
from deploy.cluster import Cluster, free_port, wait_healthy

INTERACTIONS = [  # (kind, url path, query with {ward}, text the page must show)
    ("tong-quan", "", "", "Tổng quan"),
    ("tien-do", "tien-do", "ward={ward}&indicator=budget_revenue", "Tiến độ"),
    ("so-sanh", "so-sanh", "indicator=budget_revenue", "So sánh"),
    ("chi-tiet", "chi-tiet", "ward={ward}&indicator=budget_revenue", "Thu ngân sách"),
    ("tong-quan", "", "as_of=2026-03", "Tổng quan"),
    ("chat-luong", "chat-luong", "ward={ward}", "Chất lượng"),
    ("nhiem-vu", "nhiem-vu", "ward={ward}", "Nhiệm vụ"),
    ("chi-tiet", "chi-tiet", "ward={ward}&indicator=budget_revenue&as_of=2026-03", "Thu ngân sách"),
    ("tong-quan", "", "", "Tổng quan"),
    ("tien-do", "tien-do", "ward={ward}", "Tiến độ"),
]
ISSUE = {1: "issue (browser, 114): p50 0,87 s, p95 2,3 s",
         10: "issue (browser, 114): p50 10,5 s, p95 26,8 s",
         20: "issue (browser, 114): p95 52,5 s, 6 failed"}


def run(ws: Workspace, sessions: list[int], interactions: int, client: str,
        processes: int = 1) -> list[Table]:
    tables = []
    for n in sessions:
        summary = Table(f"Load: {n} concurrent session(s) × {interactions} interactions, "
                        f"{client} client, {processes} server process(es)")
        kinds = Table(f"Load: {n} session(s), per interaction kind (p50 / p95)")
        results = {scale: _measure(ws, scale, n, interactions, client, processes)
                   for scale in SCALES}
        b, s = results["bundled"], results["synthetic"]
        count = n * interactions
        summary.add("interaction latency, p50", Figure([b["p50"]], n=count),
                    Figure([s["p50"]], n=count), None, ISSUE.get(n, ""))
        summary.add("interaction latency, p95", Figure([b["p95"]], n=count),
                    Figure([s["p95"]], n=count), Target(1.0) if n >= 10 else None)
        summary.add("failed interactions", Figure([b["failed"]], "count"),
                    Figure([s["failed"]], "count"), None, s["problem"] or b["problem"])
        summary.add("server CPU per interaction", Figure([b["cpu"]], n=count),
                    Figure([s["cpu"]], n=count),
                    Target(0.050), "issue: about 0,5 s at 114")
        summary.add("client CPU per interaction (all clients)", Figure([b["client_cpu"]], n=count),
                    Figure([s["client_cpu"]], n=count), None,
                    "the clients share the server's two cores")
        summary.add("bytes received per interaction", Figure(b["bytes"], "bytes"),
                    Figure(s["bytes"], "bytes"), None, "websocket payload, median [range]")
        summary.add("bytes received, largest interaction", Figure([max(b["bytes"])], "bytes", n=count),
                    Figure([max(s["bytes"])], "bytes", n=count), Target(300e3, "bytes"))
        for kind in dict.fromkeys(k for k, *_ in INTERACTIONS[:interactions]):
            kinds.add(kind, _quantiles(b["by_kind"].get(kind, [])),
                      _quantiles(s["by_kind"].get(kind, [])))
        tables += [summary, kinds]
    return tables


class _Quantiles(Figure):
    def show(self) -> str:
        if not self.values:
            return "—"
        p50, p95 = _pct(self.values, 50), _pct(self.values, 95)
        return f"{Figure([p50]).show().split(' (')[0]} / {Figure([p95]).show().split(' (')[0]} " \
               f"(n={len(self.values)})"


def _quantiles(values: list[float]) -> _Quantiles:
    return _Quantiles(values)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1]


def _measure(ws: Workspace, scale: str, n: int, interactions: int, client: str,
             processes: int) -> dict:
    db = ws.db(scale)
    wards = _wards(scale, n)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp, \
            _Servers(Path(tmp), db, processes) as servers:
        for backend in servers.backends:
            asyncio.run(_warm_up(backend))
        before = servers.cpu_seconds()
        plan = [[(kind, page, query.format(ward=wards[i]), text)
                 for kind, page, query, text in INTERACTIONS[:interactions]] for i in range(n)]
        runner = _browser_sessions if client == "browser" else _protocol_sessions
        client_cpu: list[float] = []
        own = tree_cpu(os.getpid(), set(servers.pids))
        answers = asyncio.run(runner(servers.url, plan, lambda: client_cpu.append(
            tree_cpu(os.getpid(), set(servers.pids)) - own)))
        cpu = servers.cpu_seconds() - before
    flat = [a for session in answers for a in session]
    seconds = [a[1].seconds for a in flat]
    by_kind: dict[str, list[float]] = {}
    for kind, answer in flat:
        by_kind.setdefault(kind, []).append(answer.seconds)
    problems = [a[1].problem for a in flat if not a[1].ok]
    return {"p50": _pct(seconds, 50), "p95": _pct(seconds, 95), "failed": len(problems),
            "problem": problems[0] if problems else "", "cpu": cpu / max(1, len(flat)),
            "client_cpu": client_cpu[0] / max(1, len(flat)),
            "bytes": [a[1].bytes_received for a in flat], "by_kind": by_kind}


def _wards(scale: str, n: int) -> list[str]:
    if scale == "bundled":
        real = ["phu_lien", "thuy_nguyen", "kien_an"]
        return [real[i % 3] for i in range(n)]
    return [f"synthetic_{i + 1:03d}" for i in range(n)]


async def _warm_up(url: str) -> None:
    from bench.client import ProtocolSession

    async with ProtocolSession(url) as session:
        await session.rerun("", "", None)


async def _protocol_sessions(url: str, plan, measure_client):
    from bench.client import ProtocolSession

    async def one(steps):
        out = []
        async with ProtocolSession(url) as session:
            for kind, page, query, text in steps:
                out.append((kind, await session.rerun(page, query, text)))
        return out
    answers = await asyncio.gather(*(one(steps) for steps in plan))
    measure_client()
    return answers


async def _browser_sessions(url: str, plan, measure_client):
    import time

    from playwright.async_api import async_playwright

    from bench.client import Answer

    idle = ('[data-testid="stApp"][data-test-script-state="notRunning"]'
            '[data-test-connection-state="CONNECTED"]')
    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             "--disable-dev-shm-usage"]

    async def one(browser, steps):
        context = await browser.new_context()
        page = await context.new_page()
        received = [0]
        page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda payload: received.__setitem__(
                0, received[0] + len(payload if isinstance(payload, bytes) else payload.encode()))))
        out = []
        for kind, path, query, text in steps:
            received[0] = 0
            started = time.perf_counter()
            try:
                await page.goto(f"{url}/{path}" + (f"?{query}" if query else ""))
                await page.get_by_text(text).first.wait_for(timeout=120_000)
                await page.wait_for_selector(idle, timeout=120_000)
                answer = Answer(time.perf_counter() - started, received[0], 0, True)
            except Exception as error:  # a timeout is a failed interaction, not a crash
                answer = Answer(time.perf_counter() - started, received[0], 0, False,
                                str(error).splitlines()[0][:200])
            out.append((kind, answer))
        await context.close()
        return out

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        try:
            answers = await asyncio.gather(*(one(browser, steps) for steps in plan))
            measure_client()  # Chromium's processes are still there to be counted
            return answers
        finally:
            await browser.close()


class _Servers:
    """One `streamlit run` on 127.0.0.1, or K behind nginx (deploy.cluster)."""

    def __init__(self, run_dir: Path, db: Path, processes: int):
        self.run_dir, self.db, self.processes = run_dir, db, processes
        self._process: subprocess.Popen | None = None
        self._cluster: Cluster | None = None

    def __enter__(self) -> _Servers:
        if self.processes > 1:
            self._cluster = Cluster(self.run_dir, self.processes, db=self.db).start()
            self.url = self._cluster.url
            self.backends = self._cluster.backend_urls
            self.pids = list(self._cluster.pids.values())
            return self
        port = free_port()
        self._log = open(self.run_dir / "streamlit.log", "wb")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.headless", "true", "--server.address", "127.0.0.1",
             "--server.port", str(port)],
            cwd=ROOT, env={**os.environ, "CHITIEU_DB": str(self.db)}, stdout=self._log,
            stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{port}"
        self.backends = [self.url]
        self.pids = [self._process.pid]
        try:
            wait_healthy(self.url, self._process)
        except BaseException:
            self.__exit__()
            raise
        return self

    def cpu_seconds(self) -> float:
        return sum(tree_cpu(pid) for pid in self.pids)  # nginx: its workers too

    def __exit__(self, *exc) -> None:
        if self._cluster:
            self._cluster.stop()
        if self._process:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._log.close()
