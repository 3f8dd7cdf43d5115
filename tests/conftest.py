"""Shared fixtures: one database built from the bundled workbooks per test session.

`built_db` is also used by the exports tests; it points CHITIEU_DB at the
built file so AppTest runs of the app read it instead of build/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.build import build
from wardplan.reads.db import Database


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "chitieu2026.duckdb"
    build(db_path=path)
    patch = pytest.MonkeyPatch()
    patch.setenv("CHITIEU_DB", str(path))
    yield path
    patch.undo()


@pytest.fixture(scope="session")
def db(built_db: Path) -> Database:
    return Database(built_db)
