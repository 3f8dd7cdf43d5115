"""`python -m bench pages`: server time and bytes per page, with AppTest.

For each page (and URL parameters), in a child process per data set (the
app's caches and its database door are per process):

- cold: the page's run right after a new generation of the database file (its
  time touched, as a publish swaps it in: the process and its database door are
  up, every read and view cached on the old generation, with st.cache_data or
  st.cache_resource, misses) and `st.cache_data.clear()` (the baseline pages'
  caches know no generation), repeated;
- warm: reruns of the same page with the same parameters (what a widget
  change that hits the cache costs);
- bytes: the serialized size (`ByteSize()`) of every ForwardMsg the run
  enqueues, summed: what the server writes to the websocket for a first view.
  A real browser's later reruns can receive unchanged large elements as short
  `ref_hash` references (Streamlit's message cache), so this is the upper
  bound; `python -m bench load` measures real websocket frames.

AppTest runs the script in-process, so times are the script's own plus
AppTest's bookkeeping. The BASELINE pages (bench/baseline/) are measured the
same way; the note column gives each page's warm rerun as a multiple of
theirs.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import ROOT, Figure, Table, Target, python, repeat, run_child
from bench.workspace import SCALES, Workspace
from ui import nav

KB = 1e3
# Page paths from ui.nav, the app's one list: they moved once (pages/ → app_pages/) and a
# copy here stopped the benchmark.
CASES = [  # (label, page path, URL parameters; "toggle:KEY" turns a toggle on, "login" logs in
    # as an admin of the benchmark's own, who sees every unit's submissions)
    ("tong-quan", nav.OVERVIEW.path, {}),
    ("tong-quan as_of=2026-11", nav.OVERVIEW.path, {"as_of": "2026-11"}),
    ("tien-do phu_lien", nav.PROGRESS.path, {"ward": "phu_lien", "indicator": "budget_revenue"}),
    ("tien-do thuy_nguyen", nav.PROGRESS.path, {"ward": "thuy_nguyen"}),
    ("so-sanh", nav.COMPARE.path, {"indicator": "budget_revenue"}),
    ("chi-tiet", nav.DETAIL.path, {"ward": "phu_lien", "indicator": "budget_revenue"}),
    ("chat-luong", nav.QUALITY.path, {"ward": "phu_lien"}),
    ("chat-luong every unit", nav.QUALITY.path, {"ward": "phu_lien", "toggle:dq_all_wards": True}),
    ("nhiem-vu", nav.TASKS.path, {"ward": "phu_lien"}),
    ("xuat-bao-cao", nav.EXPORT.path, {}),
    ("nop-bao-cao admin", nav.SUBMIT.path, {"login": True}),
]
# What a year of reports in the ledger changes (bench etl's year-end table measures these).
YEAR_END_CASES = ("chat-luong every unit", "nop-bao-cao admin")
BASELINES = [("BASELINE naive (pandas every rerun)", "bench/baseline/naive_page.py"),
             ("BASELINE naive + st.cache_data", "bench/baseline/naive_cached_page.py")]
ISSUE = {"tong-quan": "issue: 37 ms / 303 ms, 2,1 MB", "so-sanh": "issue: 34 ms / 145 ms",
         "xuat-bao-cao": "issue cold: 124 ms / 1,4 s"}


def run(ws: Workspace, runs: int, budget: float) -> list[Table]:
    results = {}
    for scale in SCALES:
        out = ws.root / f"pages-{scale}.json"
        child = run_child(python("-m", "bench.pages", str(ws.db(scale)), str(ws.data(scale)),
                                 str(runs), str(budget), str(out)), timeout=3600)
        if child.returncode != 0:
            raise SystemExit(f"pages benchmark failed on {scale}:\n{child.output[-4000:]}")
        results[scale] = json.loads(out.read_text())
    b, s = results["bundled"], results["synthetic"]
    first = Table("Pages: a fresh process's first run (imports, database attach, overview)")
    first.add("overview, first run in a new process", Figure([b["first_run"]]),
              Figure([s["first_run"]]))
    warm = Table("Pages: warm rerun (AppTest, same page and parameters)")
    cold = Table("Pages: cold run (right after a new generation of the file: a build published)")
    sent = Table("Pages: bytes sent per run (serialized ForwardMsgs; a first view)")
    naive = {label: s["pages"][label]["warm"] for label, _ in BASELINES}
    for label, _, _ in CASES + [(label, None, None) for label, _ in BASELINES]:
        bp, sp = b["pages"][label], s["pages"][label]
        note = ISSUE.get(label, "")
        if not label.startswith("BASELINE"):
            ratios = "vs BASELINE at 114: " + ", ".join(
                f"{name} {_ratio(sp['warm'], naive[n]):.2g}×"
                for n, name in zip(naive, ("naive", "cached"), strict=True))
            note = "; ".join(x for x in (ratios, note) if x)
        warm.add(label, Figure(bp["warm"]), Figure(sp["warm"]), Target(0.050), note)
        cold.add(label, Figure(bp["cold"]), Figure(sp["cold"]), Target(0.300),
                 ISSUE.get(label, "") if "cold" in ISSUE.get(label, "") else "")
        sent.add(label, Figure([bp["bytes"]], "bytes"), Figure([sp["bytes"]], "bytes"),
                 Target(300 * KB, "bytes"))
    return [first, warm, cold, sent]


def _ratio(ours: list[float], theirs: list[float]) -> float:
    return Figure(ours).median / Figure(theirs).median


# --- the child process ---------------------------------------------------------

def child(db: str, data: str, runs: int, budget: float, out: str,
          only: tuple[str, ...] = ()) -> None:
    """`only`: these cases (no baselines), on a database with a ledger, whose data folder
    the app must be pointed at (else it would build the bundled data's)."""
    os.environ["CHITIEU_DB"] = db
    os.environ["CHITIEU_BENCH_DATA"] = data
    if only:
        os.environ["CHITIEU_DATA"] = data
    # This run's own admin, in a folder of its own, gone at the end (its log of logins too).
    accounts = Path(tempfile.mkdtemp(prefix="bench-accounts-")) / "accounts.json"
    os.environ["CHITIEU_ACCOUNTS"] = str(accounts)
    sys.path.insert(0, str(ROOT))
    try:
        _measure_pages(db, runs, budget, out, only, accounts)
    finally:
        shutil.rmtree(accounts.parent, ignore_errors=True)


def _measure_pages(db: str, runs: int, budget: float, out: str, only: tuple[str, ...],
                   accounts: Path) -> None:
    import secrets

    from accounts import store
    password = secrets.token_urlsafe(16)
    store.add_user("bench_admin", store.ADMIN, password, path=accounts)
    import streamlit as st
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
    from streamlit.testing.v1 import AppTest

    sent = [0]
    ForwardMsgQueue.on_before_enqueue_msg(lambda msg: sent.__setitem__(0, sent[0] + msg.ByteSize()))

    def timed(at) -> float:
        sent[0] = 0
        started = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - started
        if at.exception:
            raise SystemExit(f"{at.exception[0].message}")
        return elapsed

    app = str(ROOT / "app.py")
    result: dict = {"pages": {}}
    at = AppTest.from_file(app, default_timeout=600)
    result["first_run"] = timed(at)
    cold_runs = max(1, min(3, runs))

    def measure(label: str, at) -> None:
        def cold_run():
            os.utime(db)  # a new generation, as a publish makes
            st.cache_data.clear()
            return timed(at)
        cold = repeat(cold_run, cold_runs, budget)
        warm = repeat(lambda: timed(at), runs, budget)
        result["pages"][label] = {"cold": cold, "warm": warm, "bytes": sent[0]}

    for label, page, params in CASES:
        if only and label not in only:
            continue
        at = AppTest.from_file(app, default_timeout=600)
        for key, value in params.items():
            if not key.startswith("toggle:") and key != "login":
                at.query_params[key] = value
        at.run()
        if params.get("login"):
            at.switch_page(nav.ACCOUNT.path)
            at.run()
            at.text_input(key="login_username").input("bench_admin")
            at.text_input(key="login_password").input(password)
            at.button[0].click()
            at.run()
            if at.title[0].value != "Tài khoản":  # else it would time the login page
                raise SystemExit(f"the benchmark's admin could not log in: "
                                 f"{[e.value for e in at.error]}")
        at.switch_page(page)
        toggles = [key.removeprefix("toggle:") for key in params if key.startswith("toggle:")]
        if toggles:
            at.run()
            for key in toggles:
                at.toggle(key=key).set_value(True)
        measure(label, at)
    for label, script in () if only else BASELINES:
        measure(label, AppTest.from_file(str(ROOT / script), default_timeout=600))
    Path(out).write_text(json.dumps(result))


if __name__ == "__main__":
    db, data, runs, budget, out = sys.argv[1:6]
    child(db, data, int(runs), float(budget), out, tuple(sys.argv[6:]))
