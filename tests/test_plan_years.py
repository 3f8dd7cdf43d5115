"""Nothing assumes 2026: a SYNTHETIC 2027 plan for Phù Liễn loads beside the real 2026 one.

The 2027 workbook is Phù Liễn's 2026 workbook with every period moved one year
on and its sources labelled as test data; it exists only in a temporary folder.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from etl.build import build
from wardplan.display import periods as display_periods
from wardplan.reads import queries
from wardplan.reads.db import Database

ROOT = Path(__file__).resolve().parents[1]
PERIOD_HEADERS = {"Kỳ", "Kỳ báo cáo"}
CODE = re.compile(r"^(\d{4})(-\d{2}|-Q[1-4])?$")


def next_year(value):
    """'2026-03' → '2027-03', 2026 → 2027; anything else unchanged."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 2000 < value < 2100:
        return int(value) + 1
    match = CODE.match(str(value)) if isinstance(value, str) else None
    return f"{int(match.group(1)) + 1}{match.group(2) or ''}" if match else value


def synthetic_2027(source: Path, target: Path) -> None:
    book = load_workbook(source)
    for ws in book.worksheets:
        header = [c.value for c in ws[1]]
        columns = [i for i, h in enumerate(header) if h in PERIOD_HEADERS]
        for row in ws.iter_rows(min_row=2):
            for i in columns:
                row[i].value = next_year(row[i].value)
            if ws.title == "Thông tin" and row[0].value == "Năm kế hoạch":
                row[1].value = next_year(row[1].value)
            if ws.title == "Nguồn":
                row[1].value = f"DỮ LIỆU THỬ NGHIỆM (SYNTHETIC) — {row[1].value}"
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("two_years") / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("README.md", "replaced"))
    synthetic_2027(data / "wards" / "2026" / "phu_lien.xlsx", data / "wards" / "2027" / "phu_lien.xlsx")
    db = data.parent / "two_years.duckdb"
    build(data, db)
    return db


def test_both_plan_years_are_held_and_listed(two_years: Path):
    db = Database(two_years)
    assert queries.plan_years(db) == [2026, 2027]
    plans = queries.plans(db)
    assert set(plans.loc[plans["ward_code"] == "phu_lien", "plan_year"]) == {2026, 2027}
    options = display_periods.period_options(queries.plan_years(db))
    assert options[:4] == ["2026-01", "2026-02", "2026-03", "2026-Q1"]
    assert options[17:21] == ["2027-01", "2027-02", "2027-03", "2027-Q1"] and len(options) == 34


def test_each_year_is_judged_against_its_own_plan(two_years: Path):
    con = duckdb.connect(str(two_years), read_only=True)
    try:
        rows = dict(con.execute(
            "SELECT as_of, pct_of_scenario FROM v_status WHERE ward_code = 'phu_lien' "
            "AND indicator_code = 'budget_revenue' AND as_of IN ('2026-Q1', '2027-Q1')").fetchall())
        assert rows["2027-Q1"] == pytest.approx(rows["2026-Q1"]) == pytest.approx(145.27, abs=0.01)
        # The 2027 scenario is implied from the 2027 sentence, and sourced to the test data.
        (ref,) = con.execute("SELECT source_ref FROM v_scenario WHERE ward_code = 'phu_lien' AND "
                             "indicator_code = 'budget_revenue' AND period = '2027-Q1'").fetchone()
        assert "SYNTHETIC" in ref
        # 2026 is untouched by the 2027 plan.
        (count,) = con.execute("SELECT count(*) FROM v_status WHERE as_of LIKE '2026%' "
                               "AND ward_code = 'phu_lien'").fetchone()
        assert count == 29 * 17
    finally:
        con.close()


@pytest.fixture
def fresh_caches():
    """The app's caches are per process: another database must not be served from them."""
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def test_the_app_offers_2027_and_shows_it(two_years: Path, monkeypatch, fresh_caches):
    monkeypatch.setenv("CHITIEU_DB", str(two_years))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["as_of"] = "2027-Q1"
    at.run()
    assert not at.exception
    assert "Quý I/2027" in at.title[0].value
    picker = at.selectbox(key="as_of")
    assert "Quý I/2026 · có báo cáo" in picker.options and "Quý I/2027 · có báo cáo" in picker.options
