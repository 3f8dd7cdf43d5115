"""One reader process for `python -m bench etl`: the overview's query in a loop.

    python -m bench.reader DB_PATH STOP_FILE

Runs until STOP_FILE exists (or ten minutes have passed).

Reads through the app's own door (wardplan.reads.db.Database), so it notices a
swapped-in file exactly as a Streamlit process does. Prints one JSON line: the
query latencies and, for each build it saw (`max(loaded_at)`), the wall-clock
time it first answered from it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from wardplan.reads import queries
from wardplan.reads.db import Database

STAMP_SQL = "SELECT CAST(max(loaded_at) AS VARCHAR) AS stamp FROM v_load_files"


def main(path: str, stop_file: str) -> None:
    db = Database(Path(path))
    stop = Path(stop_file)
    started_at = time.monotonic()
    latencies, first_seen, errors = [], {}, 0
    while not stop.exists() and time.monotonic() - started_at < 600:
        started = time.perf_counter()
        try:
            stamp = db.query(STAMP_SQL)["stamp"].iloc[0]
            queries.status(db, as_of="2026-Q1")
        except Exception:  # counted and reported; the loop goes on
            errors += 1
            continue
        latencies.append(time.perf_counter() - started)
        first_seen.setdefault(stamp, time.time())
    print(json.dumps({"latencies": latencies, "first_seen": first_seen, "errors": errors,
                      "seconds": time.monotonic() - started_at}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
