"""The database the app reads, built from the bundled workbooks on first run.

Lives on the ETL side: the read side only opens what the ETL wrote.  A first
run also settles an import a crash interrupted, so the app never starts on a
database that disagrees with data/.
"""

from __future__ import annotations

import logging
from pathlib import Path

from etl import journal
from etl.build import DATA_DIR, rebuild, settle
from etl.lock import writer_lock
from wardplan.reads.db import database_path
from wardplan.rules.settings import load_settings

log = logging.getLogger(__name__)


def ensure_database(path: Path | None = None) -> Path:
    """Build the database from the bundled workbooks if it does not exist yet."""
    path = path or database_path()
    if path.exists() and journal.read(path) is None:
        return path
    settings = load_settings()
    # Two first sessions starting together must not both build.
    with writer_lock(path, notify=log.warning):
        settle(DATA_DIR, path, settings, log.warning)
        if not path.exists():
            rebuild(DATA_DIR, path, settings)
    return path
