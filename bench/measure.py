"""Figures, child processes and the "measured vs target" table every benchmark prints.

Times are wall-clock seconds, sizes bytes; both are printed in decimal units
(ms, s, KB, MB) because the targets in issue 11 are written that way. Every
figure is the median of its runs with the range (min–max) beside it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Figure:
    values: list[float]
    kind: str = "time"  # "time" (seconds), "bytes", "count" or "ratio"
    n: int | None = None  # what the figure summarises, if not its values (e.g. a p95 of n)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def show(self) -> str:
        if not self.values:
            return "—"
        med = _fmt(self.median, self.kind)
        n = self.n if self.n is not None else len(self.values)
        if len(self.values) == 1 or min(self.values) == max(self.values):
            return f"{med} (n={n})"
        return (f"{med} [{_fmt(min(self.values), self.kind, unit=False)}–"
                f"{_fmt(max(self.values), self.kind)}] (n={n})")


def _fmt(x: float, kind: str, unit: bool = True) -> str:
    if kind == "time":
        text, suffix = (f"{x * 1000:.0f}", " ms") if x < 1 else (f"{x:.2f}", " s")
    elif kind == "bytes":
        text, suffix = (f"{x / 1e3:.0f}", " KB") if x < 1e6 else (f"{x / 1e6:.1f}", " MB")
    elif kind == "ratio":
        text, suffix = f"{x:.2f}", "×"
    else:
        text, suffix = f"{x:.0f}", ""
    return text + (suffix if unit else "")


@dataclass(frozen=True)
class Target:
    """An upper limit from issue 11's "Targets" (they are all at 114 synthetic units)."""

    limit: float
    kind: str = "time"

    def show(self) -> str:
        return "≤ " + _fmt(self.limit, self.kind)

    def verdict(self, figure: Figure | None) -> str:
        if figure is None or not figure.values:
            return ""
        return "ok" if figure.median <= self.limit else "MISS"


@dataclass
class Row:
    label: str
    bundled: Figure | None = None
    synthetic: Figure | None = None
    target: Target | None = None
    note: str = ""  # e.g. today's figure quoted in the issue, or the baseline ratio


@dataclass
class Table:
    title: str
    rows: list[Row] = field(default_factory=list)
    columns: tuple[str, str] = ("bundled (3 wards)", "SYNTHETIC (114 units)")
    ratio: str = "×bundled"  # the second column's figure over the first's

    def add(self, *args, **kwargs) -> Row:
        row = Row(*args, **kwargs)
        self.rows.append(row)
        return row

    def print(self, out=sys.stdout) -> None:
        header = ["what", *self.columns, self.ratio, "target", "", "note"]
        lines = [header]
        for row in self.rows:
            ratio = ""
            if row.bundled and row.synthetic and row.bundled.values and row.synthetic.values \
                    and row.bundled.median > 0 and row.bundled.kind != "count":
                ratio = f"{row.synthetic.median / row.bundled.median:.1f}×"
            lines.append([row.label, row.bundled.show() if row.bundled else "—",
                          row.synthetic.show() if row.synthetic else "—", ratio,
                          row.target.show() if row.target else "",
                          row.target.verdict(row.synthetic) if row.target else "", row.note])
        widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
        print(f"\n== {self.title}", file=out)
        for line in lines:
            cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
            print("  ".join([*cells, line[-1]]).rstrip(), file=out)
        out.flush()


@dataclass
class ChildRun:
    seconds: float
    peak_rss: int  # bytes: the largest resident set of the child or a descendant it waited for
    cpu_seconds: float
    returncode: int
    output: str
    peak_tree_pss: int = 0  # bytes: the child and all its descendants together (PSS), sampled
    timed_out: bool = False  # killed after `timeout` seconds


def tree_pss(root: int) -> int:
    """Proportional set size of `root` and every descendant together, in bytes.

    PSS, not RSS: the processes of one Chromium (kaleido) share most of their
    pages, and a sum of their RSS would count those pages once per process.
    """
    total = 0
    for pid in _tree(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
        except OSError:
            continue
    return total


def _tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return found


def tree_cpu(root: int, exclude: set[int] = frozenset()) -> float:
    """CPU seconds (user + system) so far of `root` and its descendants, minus `exclude`'s trees."""
    parents, cpu = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        if pid in exclude:
            continue
        total += cpu.get(pid, 0.0)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return total


def _sample_tree(pid: int, peak: list[int], done: threading.Event) -> None:
    while not done.wait(0.05):
        peak[0] = max(peak[0], tree_pss(pid))


def run_child(argv: list[str], env: dict | None = None, timeout: float = 900,
              sample_tree: bool = False) -> ChildRun:
    """Run `argv` in a new process and return its wall time and its own peak RSS.

    os.wait4 gives the rusage of that one child, so each run's peak memory is
    its own (getrusage(RUSAGE_CHILDREN) would give the maximum over all
    children); it is the largest single process, though, so with
    `sample_tree` the PSS of the child and all its descendants together is
    also sampled every 50 ms.  Not in a run whose time counts: the sampling
    takes a share of the cores from what it watches (a 114-unit build ran
    0,1-0,5 s slower sampled).
    """
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **(env or {})},
                                   stdout=log, stderr=subprocess.STDOUT)
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            process.kill()
        killer = threading.Timer(timeout, kill)
        killer.start()
        peak, done = [0], threading.Event()
        sampler = threading.Thread(target=_sample_tree, args=(process.pid, peak, done), daemon=True)
        if sample_tree:
            sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
            done.set()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode(errors="replace")
    return ChildRun(seconds, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime,
                    process.returncode, output, peak[0], expired.is_set())


def repeat(fn: Callable[[], T], runs: int, budget: float,
           cost: Callable[[T], float] | None = None) -> list[T]:
    """`fn()` up to `runs` times, stopping early once the runs so far took `budget` seconds.

    At least one run always happens; the figure then says n=1. This keeps
    `python -m bench all` to a few minutes while today's slow steps are slow,
    and gives full medians once they are fast.
    """
    results, spent = [], 0.0
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        result = fn()
        spent += cost(result) if cost else time.perf_counter() - started
        results.append(result)
        if spent >= budget:
            break
    return results


def python(*args: str) -> list[str]:
    return [sys.executable, *args]
