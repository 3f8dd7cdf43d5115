"""The fast build writes exactly the database the slow one wrote.

Issue 11 made the build fast (calamine for values, statuses judged once per
figure reported instead of once per row); nothing it writes may change.
`expected_build.json` holds each table's digest (column types and every row
in stored order, floats exactly; tests/dbcompare.py) of the database commit
3e1245f built, before any of that: from the bundled data, and from an
8-unit synthetic city.  A change meant to change what the build writes
updates them:

    python tests/dbcompare.py --digest build/chitieu2026.duckdb
    python tests/dbcompare.py --digest city.duckdb --generated

(the city from `python -m bench synthetic DIR --units 8`).  The statuses are
also held to a row-by-row evaluation, each of the 17 periods judged on its own
with nothing shared between them, as compute_status did before.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from bench import synthetic
from dbcompare import digests
from etl import ledger
from etl.build import build, derive_tables, inputs
from wardplan.rules import status
from wardplan.rules.settings import load_settings
from workbooks import ROOT

EXPECTED = json.loads((Path(__file__).parent / "expected_build.json").read_text())


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("city") / "data"
    synthetic.write(data, units=8)
    return data


def differing(found: dict[str, str], expected: dict[str, str]) -> list[str]:
    return [name for name in expected if found.get(name) != expected[name]]


def test_the_bundled_data_builds_the_database_it_built_before(built_db: Path):
    assert differing(digests(built_db), EXPECTED["bundled"]) == []


def test_a_synthetic_city_builds_the_database_it_built_before(city: Path, tmp_path: Path):
    db = tmp_path / "city.duckdb"
    build(city, db)
    assert differing(digests(db, generated=True), EXPECTED["synthetic_8"]) == []


def _row_by_row(ctx, periods):
    """Every period judged afresh: a new context each time, so no month, flow or figure
    judged for one period is reused for another."""
    rows = []
    for as_of, month in periods:
        row, lead = status._judge_month(dataclasses.replace(ctx), month)
        rows.append({**row, "as_of": as_of,
                     "note": status._join(lead(as_of) if lead else "", row["note"])})
    return rows


@pytest.mark.parametrize("data", ["bundled", "city"])
def test_statuses_judged_once_per_figure_equal_row_by_row(data: str, city: Path, monkeypatch):
    folder = ROOT / "data" if data == "bundled" else city
    entries = ledger.read_all(ledger.submissions_dir(folder))
    found = inputs(folder, entries)
    settings = load_settings()
    fast = derive_tables(found, settings, entries)["status"]
    monkeypatch.setattr(status, "_statuses", _row_by_row)
    slow = derive_tables(found, settings, entries)["status"]
    assert len(fast) > 1000
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
