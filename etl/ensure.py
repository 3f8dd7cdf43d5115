"""The database the app reads, built from the bundled workbooks on first run.

Lives on the ETL side: the read side only opens what the ETL wrote.  A start
also catches up with the submissions ledger when a writer stopped between
appending its line and swapping the database in, so the app never starts on
a database that disagrees with data/ and the ledger.
"""

from __future__ import annotations

import logging
from pathlib import Path

from etl.build import data_path, is_behind, rebuild, settle
from etl.lock import writer_lock
from wardplan.reads.db import database_path
from wardplan.rules.settings import load_settings

log = logging.getLogger(__name__)


def ensure_database(path: Path | None = None, data_dir: Path | None = None) -> Path:
    """Build the database from the bundled workbooks and the ledger if it does not exist
    yet or is behind the ledger."""
    path = path or database_path()
    data_dir = data_dir or data_path()
    if path.exists() and not is_behind(data_dir, path):
        return path
    settings = load_settings()
    # Two first sessions starting together must not both build.
    with writer_lock(path, notify=log.warning):
        settle(data_dir, path, settings, log.warning)
        if not path.exists():
            rebuild(data_dir, path, settings)
    return path
