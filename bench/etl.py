"""`python -m bench etl`: the build, one ward's submission, and publishing to readers.

Each build and import runs as `python -m etl …` in its own process, so its
wall time includes the interpreter and its peak RSS is its own (os.wait4).
The same submission is also timed as the browser makes it, in a process that
has already imported everything (a running server): the preview
(`intake.submit.check`), then the publish (`intake.submit.publish`).
Then where a rebuild's time goes: each step of `etl.build.rebuild` timed apart
with its CPU seconds (the build's own and its forked workers'), as the command
line builds (forked workers) and as a server builds (in one process): what the
two cores share, and so what any target for the whole build has to fit in.
Then the same city at year end: a report a month from every unit in the ledger
(SYNTHETIC, `synthetic.write_reports`), rebuilt whole, and a report submitted
in a running server beside the same submission with no ledger.
Then K reader processes run the overview's query in a loop through the app's
read-only door while a rebuild is swapped in: how many queries they answer,
whether any fails, and how long after the swap each first answers from the
new file ("swap latency").
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.measure import ROOT, Figure, Table, Target, python, repeat, run_child
from bench.pages import YEAR_END_CASES
from bench.workspace import SCALES, Workspace

MB = 1e6
KB = 1e3


def _revised(original: Path, target: Path, revenue_q1: int) -> None:
    """Phù Liễn's workbook with its Q1 revenue changed, as a ward would resend it."""
    from openpyxl import load_workbook

    book = load_workbook(original)
    ws = book["Thực hiện"]
    header = [c.value for c in ws[1]]
    code, period = header.index("Mã chỉ tiêu"), header.index("Kỳ")
    for row in ws.iter_rows(min_row=2):
        if row[code].value == "budget_revenue" and row[period].value == "2026-Q1":
            row[header.index("Giá trị")].value = revenue_q1
            row[header.index("Nguyên văn")].value = f"{revenue_q1:,}"
    book.save(target)


def run(ws: Workspace, runs: int, budget: float, readers: int = 4) -> list[Table]:
    build = Table("ETL: full rebuild (python -m etl build)")
    seconds, peaks, trees, sizes = {}, {}, {}, {}
    for scale in SCALES:
        db = ws.root / f"{scale}.duckdb"
        results = repeat(lambda scale=scale, db=db: ws.build(scale, db), runs, budget,
                         cost=lambda r: r.seconds)
        seconds[scale] = Figure([r.seconds for r in results])
        peaks[scale] = Figure([r.peak_rss for r in results], "bytes")
        trees[scale] = Figure([ws.build(scale, db, sample_tree=True).peak_tree_pss], "bytes")
        sizes[scale] = Figure([db.stat().st_size], "bytes")
    build.add("full rebuild, wall", seconds["bundled"], seconds["synthetic"], Target(3),
              "issue: 2,0 s / 35,9 s")
    build.add("full rebuild, peak RSS", peaks["bundled"], peaks["synthetic"], Target(300 * MB, "bytes"),
              "issue: — / 1,05 GiB")
    build.add("full rebuild, peak PSS with its reading workers", trees["bundled"],
              trees["synthetic"], Target(300 * MB, "bytes"),
              "sampled every 50 ms in one run apart from those timed; the workers share the "
              "build's pages (PSS counts them once)")
    build.add("database file size", sizes["bundled"], sizes["synthetic"])

    imports = {}
    for scale in SCALES:
        data = ws.data_copy(scale, "import")
        db = ws.root / f"{scale}-import.duckdb"
        workbook = ws.root / f"{scale}-submission.xlsx"
        built = run_child(python("-m", "etl", "build", "--data", str(data), "--db", str(db)))
        if built.returncode != 0:
            raise SystemExit(f"etl build failed:\n{built.output}")
        counter = iter(range(1, 1000))

        def submit(data=data, db=db, workbook=workbook, counter=counter):
            # A new figure each time: the same file twice is refused as nothing new.
            _revised(data / "wards" / "2026" / "phu_lien.xlsx", workbook, 105879 + next(counter))
            result = run_child(python("-m", "etl", "import", str(workbook), "--data", str(data),
                                      "--db", str(db)))
            if result.returncode != 0:
                raise SystemExit(f"etl import failed:\n{result.output}")
            return result
        imports[scale] = repeat(submit, runs, budget, cost=lambda r: r.seconds)
    build.add("one ward's submission published (etl import), wall",
              Figure([r.seconds for r in imports["bundled"]]),
              Figure([r.seconds for r in imports["synthetic"]]), Target(1),
              "checks the catalogue and the ward, re-derives the ward, merges it into the live tables")
    build.add("one ward's submission, peak RSS",
              Figure([r.peak_rss for r in imports["bundled"]], "bytes"),
              Figure([r.peak_rss for r in imports["synthetic"]], "bytes"), Target(300 * MB, "bytes"))
    served = {scale: _in_server(ws, scale, runs) for scale in SCALES}
    for step, note in (("check", "the preview: the file checked, the ward re-derived, the change"),
                       ("publish", "ledger, ward re-derived, live tables merged and swapped in"),
                       ("total", "upload → published, as a ward's editor waits for it")):
        build.add(f"same submission in a running server: {step}, wall",
                  Figure(served["bundled"][step]), Figure(served["synthetic"][step]),
                  Target(1) if step == "total" else None, note)

    steps = _steps(ws, runs, budget)
    year = _year_end(ws, runs, budget, seconds["synthetic"], peaks["synthetic"])

    publish = Table(f"Publishing: {readers} reader processes on the same file while a rebuild is "
                    "swapped in")
    figures = {scale: _readers(ws, scale, readers) for scale in SCALES}
    for label, key, kind, target in (
            ("reader query (status at 2026-Q1), latency", "latency", "time", None),
            (f"queries answered per second, {readers} readers together", "qps", "count", None),
            ("failed queries", "errors", "count", None),
            ("swap latency: swap → reader answers from the new file", "lag", "time", None)):
        publish.add(label, Figure(figures["bundled"][key], kind),
                    Figure(figures["synthetic"][key], kind), target)
    return [build, steps, year, publish]


# The steps of etl.build.rebuild, in order, as bench.steps times them.
STEPS = (("imports", "imports (pandas, DuckDB, the rules)"),
         ("read", "read and check the workbooks and reports"),
         ("rules", "rules: scenario, checks, statuses"),
         ("write", "write, check and swap in the file"))


def _steps(ws: Workspace, runs: int, budget: float) -> Table:
    """Each step's wall and CPU seconds, with forked workers and in one process; and the
    whole build's CPU in one process: the work itself, which a rebuild on these cores can
    at best divide by their measured speed-up (the last row)."""
    table = Table("ETL: where a full rebuild's time goes (each step of etl.build.rebuild)")
    timed = {}
    for scale in SCALES:
        for mode in ("forked", "one"):
            out = ws.root / f"steps-{scale}-{mode}.json"
            argv = python("-m", "bench.steps", str(ws.data(scale)),
                          str(ws.root / f"steps-{scale}.duckdb"), str(out), mode)

            def once(argv=argv, out=out):
                child = run_child(argv)
                if child.returncode != 0:
                    raise SystemExit(f"bench.steps failed:\n{child.output[-4000:]}")
                return json.loads(out.read_text())
            timed[scale, mode] = repeat(once, runs, budget,
                                        cost=lambda steps: sum(s["wall"] for s in steps.values()))

    def figure(scale: str, mode: str, what: str, step: str | None = None) -> Figure:
        """`what` (wall or cpu) of `step`, or of the whole build, over the runs."""
        return Figure([sum(s[what] for name, s in run.items() if step in (None, name))
                       for run in timed[scale, mode]])

    for step, label in STEPS:
        table.add(f"{label}: wall", figure("bundled", "forked", "wall", step),
                  figure("synthetic", "forked", "wall", step))
        table.add(f"{label}: CPU, build and workers", figure("bundled", "forked", "cpu", step),
                  figure("synthetic", "forked", "cpu", step))
        table.add(f"{label}: CPU in one process", figure("bundled", "one", "cpu", step),
                  figure("synthetic", "one", "cpu", step), None,
                  "as a server builds: no forked workers")
    table.add("whole build: wall, forked workers", figure("bundled", "forked", "wall"),
              figure("synthetic", "forked", "wall"), None,
              "without the interpreter's start, the writer lock and the catching up")
    table.add("whole build: CPU in one process", figure("bundled", "one", "cpu"),
              figure("synthetic", "one", "cpu"), None,
              "the work itself, however it is shared out")
    speed_up = {scale: Figure([one / forked for one, forked in zip(
        figure(scale, "one", "wall").values, figure(scale, "forked", "wall").values,
        strict=False)], "ratio") for scale in SCALES}
    table.add("speed-up of the forked workers (one-process wall / forked wall)",
              speed_up["bundled"], speed_up["synthetic"], None,
              "fewer than 16 files are not forked; two busy cores each run slower than one")
    return table


def _year_end(ws: Workspace, runs: int, budget: float, rebuild: Figure, peak: Figure) -> Table:
    """The same city in December: every unit has sent a report a month (SYNTHETIC), and
    each is read, laid over the workbooks and replayed in the history on every build."""
    folder = ws.year()
    count = int((folder / "done").read_text())
    table = Table("ETL at year end: the SYNTHETIC city with a report a month from every unit",
                  columns=("no reports in the ledger", f"a year of reports ({count} in the ledger)"),
                  ratio="×none")
    db = ws.root / "year.duckdb"
    builds = repeat(lambda: run_child(python("-m", "etl", "build", "--data", str(folder / "data"),
                                             "--db", str(db))),
                    runs, budget, cost=lambda r: r.seconds)
    if any(r.returncode for r in builds):
        raise SystemExit(f"etl build failed at year end:\n{builds[-1].output[-4000:]}")
    table.add("full rebuild, wall", rebuild, Figure([r.seconds for r in builds]), Target(3),
              "issue's main: 62,9 s at year end (1.254 reports), measured on 19a5ed3")
    table.add("full rebuild, peak RSS", peak, Figure([r.peak_rss for r in builds], "bytes"),
              Target(300 * MB, "bytes"))
    served = {name: _in_server(ws, name, runs, data, "report") for name, data in (
        ("synthetic", ws.data_copy("synthetic", "served-report")),
        ("year", ws.year_copy("served")))}
    for step, note in (("check", f"a report for {REPORTING_UNIT}, {REPORTED_MONTH}: the preview"),
                       ("publish", "its ward's reports in force read again, laid and replayed"),
                       ("total", "upload → published")):
        table.add(f"a report in a running server: {step}, wall", Figure(served["synthetic"][step]),
                  Figure(served["year"][step]), Target(1) if step == "total" else None, note)
    pages = {name: _pages(ws, name, db_path, data, runs, budget) for name, db_path, data in (
        ("synthetic", ws.db("synthetic"), ws.data("synthetic")), ("year", db, folder / "data"))}
    for case in YEAR_END_CASES:
        none, year_end = pages["synthetic"][case], pages["year"][case]
        table.add(f"page {case}: warm rerun (AppTest)", Figure(none["warm"]),
                  Figure(year_end["warm"]), Target(0.050))
        table.add(f"page {case}: bytes sent", Figure([none["bytes"]], "bytes"),
                  Figure([year_end["bytes"]], "bytes"), Target(300 * KB, "bytes"))
    return table


def _pages(ws: Workspace, name: str, db: Path, data: Path, runs: int, budget: float) -> dict:
    """The pages a ledger makes bigger (bench.pages.YEAR_END_CASES) on `db`."""
    out = ws.root / f"pages-year-{name}.json"
    child = run_child(python("-m", "bench.pages", str(db), str(data), str(runs), str(budget),
                             str(out), *YEAR_END_CASES), timeout=3600)
    if child.returncode != 0:
        raise SystemExit(f"pages at year end failed on {name}:\n{child.output[-4000:]}")
    return json.loads(out.read_text())["pages"]


REPORTING_UNIT, REPORTED_MONTH = "phu_lien", "2026-11"


def _in_server(ws: Workspace, scale: str, runs: int, data: Path | None = None,
               kind: str = "workbook") -> dict[str, list[float]]:
    """The submissions timed in a process that has imported everything, on a copy of
    `scale`'s data (or `data`): a revised whole workbook, or a report (`kind`)."""
    data = data or ws.data_copy(scale, "served")
    db = data.parent / "served.duckdb"
    out = data.parent / "served.json"
    child = run_child(python("-m", "bench.etl", str(data), str(db), str(runs), str(out), kind))
    if child.returncode != 0:
        raise SystemExit(f"in-server submission failed on {scale}:\n{child.output[-4000:]}")
    return json.loads(out.read_text())


def _readers(ws: Workspace, scale: str, count: int) -> dict:
    """K readers on `scale`'s database; a rebuild is swapped in while they read."""
    db = ws.db(scale)
    stop = ws.root / f"{scale}-readers.stop"
    stop.unlink(missing_ok=True)
    procs = [subprocess.Popen(python("-m", "bench.reader", str(db), str(stop)), cwd=ROOT,
                              stdout=subprocess.PIPE) for _ in range(count)]
    try:
        time.sleep(1.5)  # readers up and answering from the current file
        swap: dict = {}
        watcher = threading.Thread(target=_watch_swap, args=(db, swap, 900), daemon=True)
        watcher.start()
        ws.build(scale, db)
        watcher.join()
        time.sleep(1.5)  # every reader answers at least once more
    finally:
        stop.touch()
    results = [json.loads(p.communicate()[0].decode().strip().splitlines()[-1]) for p in procs]
    stop.unlink(missing_ok=True)
    lags = []
    for result in results:
        new = [t for t in result["first_seen"].values() if swap.get("at") and t >= swap["at"]]
        if new:
            lags.append(min(new) - swap["at"])
    latencies = [x for r in results for x in r["latencies"]]
    return {"latency": latencies,
            "qps": [sum(len(r["latencies"]) / r["seconds"] for r in results)],
            "errors": [sum(r["errors"] for r in results)], "lag": lags}


def _watch_swap(path: Path, found: dict, timeout: float) -> None:
    """Record the wall-clock time the file at `path` becomes another inode."""
    before = path.stat().st_ino
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if path.stat().st_ino != before:
                found["at"] = time.time()
                return
        except FileNotFoundError:
            pass
        time.sleep(0.001)


# --- the child process: submissions as a running server makes them -----------------

def served_child(data: Path, db: Path, runs: int, out: Path, kind: str) -> None:
    import io
    import random

    from openpyxl import load_workbook

    from accounts.store import ADMIN, User
    from bench.synthetic import filled_report
    from etl.build import build
    from intake import submit
    from intake.template import report_template
    from wardplan.reads.db import Database

    build(data, db)
    admin = User("bench", ADMIN)
    workbook = data.parent / "served-submission.xlsx"
    times: dict[str, list[float]] = {"check": [], "publish": [], "total": []}
    for run in range(runs):
        if kind == "report":
            template = report_template(Database(db), REPORTING_UNIT, REPORTED_MONTH)
            upload = submit.Upload("bao_cao.xlsx", filled_report(
                load_workbook(io.BytesIO(template)), REPORTED_MONTH, random.Random(run)))
        else:
            _revised(data / "wards" / "2026" / "phu_lien.xlsx", workbook, 205879 + run)
            upload = submit.Upload("phu_lien.xlsx", workbook.read_bytes())
        started = time.perf_counter()
        submit.check(upload, admin, data, db)
        checked = time.perf_counter()
        submit.publish(upload, admin, data, db)
        done = time.perf_counter()
        times["check"].append(checked - started)
        times["publish"].append(done - checked)
        times["total"].append(done - started)
    out.write_text(json.dumps(times))


if __name__ == "__main__":
    data_arg, db_arg, runs_arg, out_arg, kind_arg = sys.argv[1:6]
    served_child(Path(data_arg), Path(db_arg), int(runs_arg), Path(out_arg), kind_arg)
