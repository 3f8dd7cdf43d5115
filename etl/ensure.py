"""The database the app reads, built from the bundled workbooks on first run.

Lives on the ETL side: the read side only opens what the ETL wrote.
"""

from __future__ import annotations

import fcntl
from pathlib import Path

from etl.build import build
from wardplan.reads.db import database_path


def ensure_database(path: Path | None = None) -> Path:
    """Build the database from the bundled workbooks if it does not exist yet."""
    path = path or database_path()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        # Two first sessions starting together must not both build.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            build(db_path=path)
    return path
