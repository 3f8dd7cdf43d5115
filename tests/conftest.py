"""Shared fixtures: one database built from the bundled workbooks per test session.

`built_db` is also used by the exports tests; it points CHITIEU_DB at the
built file, CHITIEU_DATA at the copy of data/ it was built from (its ledger
of submissions beside it) and CHITIEU_ACCOUNTS at a test accounts file, so
AppTest runs of the app read and write those instead of build/, data/ and
instance/.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from etl.build import build
from wardplan.reads.db import Database
from workbooks import copy_data


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    session = tmp_path_factory.mktemp("session")
    data = copy_data(session / "data")
    path = session / "chitieu2026.duckdb"
    build(data, path)
    patch = pytest.MonkeyPatch()
    patch.setenv("CHITIEU_DB", str(path))
    patch.setenv("CHITIEU_DATA", str(data))
    patch.setenv("CHITIEU_ACCOUNTS", str(session / "accounts.json"))
    patch.delenv("CHITIEU_SUBMISSIONS", raising=False)
    yield path
    patch.undo()


@pytest.fixture(autouse=True)
def _log_files_closed():
    """`python -m etl` run in-process logs to etl.log beside the test's database; the
    handler goes with the test, before pytest removes the folder under it."""
    root = logging.getLogger()
    before = list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture(scope="session")
def db(built_db: Path) -> Database:
    return Database(built_db)


@pytest.fixture(scope="session")
def city_db_path(tmp_path_factory) -> Path:
    """A SYNTHETIC city of 20 units ('dữ liệu thử nghiệm', bench/synthetic.py): the bundled
    wards and labelled copies, some without a report, some with January only; more units
    than a deck shows one by one (exports.report.CITY_LAYOUT_ABOVE)."""
    from bench import synthetic

    folder = tmp_path_factory.mktemp("city")
    synthetic.write(folder / "data", units=20)
    build(folder / "data", folder / "city.duckdb")
    return folder / "city.duckdb"


@pytest.fixture(scope="session")
def city_db(city_db_path: Path) -> Database:
    return Database(city_db_path)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of data/ a test may break."""
    return copy_data(tmp_path / "data")


@pytest.fixture
def live_db(built_db: Path, tmp_path: Path) -> Path:
    """A live database as the bundled workbooks build it: built once per session
    (`built_db`), copied for each test so a test may replace it."""
    db = tmp_path / "live.duckdb"
    shutil.copy2(built_db, db)
    return db


# Hypothesis: the same examples on every CI run (no flaky discovery in CI) and no
# example database (.hypothesis/ then holds only a cache it git-ignores itself);
# HYPOTHESIS_PROFILE=explore searches more.
settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                          max_examples=150)
settings.register_profile("explore", database=None, deadline=None, max_examples=3000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
