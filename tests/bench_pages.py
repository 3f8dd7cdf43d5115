"""Server time of each page's script run, measured with AppTest (not a test: a report).

    python tests/bench_pages.py [--runs 10] [--db PATH]

Builds the database from the bundled workbooks into a temporary folder unless
--db is given, then for each page prints the first (cold-cache) run and the
median of the warm reruns, in seconds.  AppTest runs the script in-process, so
this is the script's own time plus AppTest's bookkeeping: an upper bound of
what the server spends per rerun.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ui import nav  # noqa: E402

CASES = [  # (page, URL parameters)
    (nav.OVERVIEW, {}),
    (nav.PROGRESS, {"ward": "phu_lien", "indicator": "budget_revenue"}),
    (nav.PROGRESS, {"ward": "thuy_nguyen"}),
    (nav.COMPARE, {"indicator": "budget_revenue"}),
    (nav.DETAIL, {"ward": "phu_lien", "indicator": "budget_revenue"}),
    (nav.QUALITY, {"ward": "phu_lien"}),
    (nav.TASKS, {"ward": "phu_lien"}),
    (nav.OVERVIEW, {"as_of": "2026-11"}),
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    if args.db:
        os.environ["CHITIEU_DB"] = str(args.db)
    else:
        from etl.build import build

        path = Path(tempfile.mkdtemp()) / "chitieu2026.duckdb"
        build(db_path=path)
        os.environ["CHITIEU_DB"] = str(path)

    from streamlit.testing.v1 import AppTest

    print(f"{'trang':<22} {'tham số':<42} {'lần đầu':>9} {'trung vị':>9} {'max':>7}")
    for page, params in CASES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(page.path)
        started = time.perf_counter()
        at.run()
        first = time.perf_counter() - started
        warm = []
        for _ in range(args.runs):
            started = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - started)
        if at.exception:
            print(f"{page.url_path}: {at.exception[0].message}", file=sys.stderr)
            return 1
        shown = "&".join(f"{k}={v}" for k, v in params.items()) or "(mặc định)"
        print(f"{page.url_path:<22} {shown:<42} {first:>8.3f}s {statistics.median(warm):>8.3f}s "
              f"{max(warm):>6.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
