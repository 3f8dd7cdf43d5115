"""Export timings on the bundled data: `python tests/bench_exports.py` (not a test).

Prints how long a deck, a workbook and chart images take, so a regression
that makes exports block other users shows up as a number, not a flaky assert.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.ensure import ensure_database  # noqa: E402
from exports.deck import deck_bytes  # noqa: E402
from exports.figures import ward_figures  # noqa: E402
from exports.images import default_renderer, for_export  # noqa: E402
from exports.report import ALL, load_report  # noqa: E402
from exports.workbook import workbook_bytes  # noqa: E402
from wardplan.reads.db import Database  # noqa: E402


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    db = Database(ensure_database())
    as_of = "2026-Q1"
    seconds, report = timed(lambda: load_report(db, as_of))
    print(f"read selection (3 wards, {len(report.indicator_codes)} indicators): {seconds:.3f} s")
    seconds, data = timed(lambda: deck_bytes(load_report(db, as_of)))
    print(f"deck, all wards, read + build ({len(data) // 1024} KiB): {seconds:.2f} s")
    seconds, data = timed(lambda: workbook_bytes(load_report(db, as_of, default=ALL)))
    print(f"workbook, all wards and targets, read + build ({len(data) // 1024} KiB): "
          f"{seconds:.2f} s")

    figures = [for_export(fig) for _, fig in ward_figures(report, "phu_lien")]
    renderer = default_renderer()
    start = time.perf_counter()
    renderer.render(figures[0], "png")
    print(f"kaleido server start + first PNG: {time.perf_counter() - start:.2f} s")
    for fmt in ("png", "svg"):
        times = []
        for fig in figures:
            start = time.perf_counter()
            renderer.render(fig, fmt)
            times.append(time.perf_counter() - start)
        print(f"{fmt.upper()} per chart ({len(figures)} charts): median "
              f"{statistics.median(times):.3f} s, max {max(times):.3f} s")


if __name__ == "__main__":
    main()
