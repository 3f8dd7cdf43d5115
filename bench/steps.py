"""`python -m bench.steps DATA DB OUT forked|one`: a rebuild step by step, each timed.

The child process of `python -m bench etl`'s "where a full rebuild's time goes":
etl.build.rebuild's steps (without the writer lock and the catching up that
etl.build.build adds around them), each with its wall time and the CPU seconds
of this process and of the workers it forked and waited for, written to OUT as
JSON. Only the standard library is imported before the clock starts, so the
first step is the ETL's own imports.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

_STARTED = time.perf_counter()


class _Clock:
    def __init__(self):
        self.steps: dict[str, dict[str, float]] = {}
        self._wall, self._cpu = _STARTED, 0.0

    def mark(self, step: str) -> None:
        times = os.times()
        wall, cpu = time.perf_counter(), sum(times[:4])  # user, system, and the children's
        self.steps[step] = {"wall": wall - self._wall, "cpu": cpu - self._cpu}
        self._wall, self._cpu = wall, cpu


def main(data: Path, db: Path, out: Path, one_process: bool) -> None:
    clock = _Clock()
    from etl.build import derive_tables, inputs
    from etl.ledger import read_all, submissions_dir
    from etl.load import write_database
    from wardplan.rules.settings import load_settings
    clock.mark("imports")
    if one_process:
        # etl.parallel forks nothing while another thread runs, as in a server.
        threading.Thread(target=threading.Event().wait, daemon=True).start()
    settings = load_settings()
    entries = read_all(submissions_dir(data))
    found = inputs(data, entries)
    clock.mark("read")
    tables = derive_tables(found, settings, entries)
    del found  # rebuild holds no inputs while it writes
    clock.mark("rules")
    write_database(tables, db)
    clock.mark("write")
    out.write_text(json.dumps(clock.steps))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] == "one")
