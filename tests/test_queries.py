"""wardplan.queries against the database built from the bundled workbooks.

Expected values are the documents' own figures (Phù Liễn report 103/BC-UBND,
Phụ lục 3; the wards' 2026 plans).
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from wardplan.reads import queries
from wardplan.reads.db import as_frame


def test_wards_and_who_has_reported(db):
    wards = queries.wards(db).set_index("ward_code")
    assert set(wards.index) == {"phu_lien", "thuy_nguyen", "kien_an"}
    assert wards.loc["phu_lien", "name_vi"] == "Phù Liễn"
    assert wards.loc["phu_lien", "has_report"]
    assert not wards.loc["thuy_nguyen", "has_report"]
    assert not wards.loc["kien_an", "has_report"]


def test_periods_with_actuals(db):
    assert set(queries.actual_periods(db)) == {"2026-01", "2026-03", "2026-Q1"}


def test_status_at_q1_has_names_units_and_the_revenue_figure(db):
    status = queries.status(db, as_of="2026-Q1")
    row = status.set_index(["ward_code", "indicator_code"]).loc[("phu_lien", "budget_revenue")]
    assert row["ward_name"] == "Phù Liễn"
    assert row["indicator_name"] == "Thu ngân sách nhà nước trên địa bàn"
    assert row["unit"] == "triệu đồng"
    assert row["actual_to_date"] == 105879
    assert row["target_value"] == 357450
    assert row["status"] == "green"
    assert row["ward_verdict"] == "Vượt"
    assert (status["as_of"] == "2026-Q1").all()


def test_status_at_a_period_nobody_reported_is_still_one_row_per_target(db):
    november = queries.status(db, as_of="2026-11")
    q1 = queries.status(db, as_of="2026-Q1")
    assert len(november) == len(q1)
    # Nothing was reported after Q1: November carries each last report, labelled so.
    reported = november.dropna(subset=["actual_period"])
    assert reported["carried"].all()
    assert set(reported["actual_period"]) <= {"2026-01", "2026-Q1"}


def test_status_history_has_the_seventeen_periods(db):
    history = queries.status(db, ward="phu_lien", indicator="budget_revenue")
    assert len(history) == 17
    assert history["as_of"].tolist()[:5] == ["2026-01", "2026-02", "2026-03", "2026-Q1", "2026-04"]
    march = history.set_index("as_of").loc["2026-03"]
    assert march["actual_to_date"] == 105879
    assert march["actual_period"] == "2026-Q1"


def test_actuals_keep_the_verbatim_text_and_source(db):
    actuals = queries.actuals(db, ward="phu_lien", indicator="budget_revenue").set_index("period")
    assert actuals.loc["2026-Q1", "value"] == 105879
    assert actuals.loc["2026-Q1", "value_text"] == "105,879"
    assert actuals.loc["2026-01", "value"] == 20684
    assert "103/BC-UBND" in actuals.loc["2026-Q1", "source_ref"]
    assert str(actuals.loc["2026-01", "cutoff_date"])[:10] == "2026-01-21"


def test_scenario_march_is_the_wards_official_figure(db):
    scenario = queries.scenario(db, ward="phu_lien", indicator="budget_revenue").set_index("period")
    assert scenario.loc["2026-03", "planned_value"] == 30262
    assert scenario.loc["2026-03", "origin"] == "official"
    assert scenario.loc["2026-Q1", "origin"] == "implied"
    assert scenario.loc["2026-Q1", "planned_value"] == pytest.approx(105879 / 1.4527)
    assert "vượt kịch bản 45,27" in scenario.loc["2026-Q1", "source_ref"]
    assert scenario.loc["2026-01", "origin"] == "derived"


def test_wards_without_a_report_still_have_their_targets(db):
    targets = queries.targets(db, ward="thuy_nguyen", year=2026).set_index("indicator_code")
    assert targets.loc["budget_revenue", "target_value"] == 578625
    assert targets.loc["budget_revenue", "target_text"] == "đạt 578,625 tỷ đồng"
    assert (targets.loc["poor_households", "comparator"],
            targets.loc["poor_households", "target_value"]) == ("=", 0)  # "không còn hộ nghèo"
    assert queries.ward_indicators_with_actuals(db, year=2026, ward="thuy_nguyen").empty
    assert "budget_revenue" in set(queries.ward_indicators(db, year=2026, ward="kien_an")
                                   ["indicator_code"])
    every = queries.ward_indicators(db, year=2026)  # every unit's, as the app reads them
    assert set(every["ward_code"]) == {"phu_lien", "thuy_nguyen", "kien_an"}
    assert every[every["ward_code"] == "kien_an"].reset_index(drop=True).equals(
        queries.ward_indicators(db, year=2026, ward="kien_an"))
    assert queries.targets(db, ward="thuy_nguyen", year=2027).empty


def test_shared_targets_cover_the_indicators_several_wards_plan(db):
    shared = queries.shared_targets(db, 2026)
    revenue = shared[shared["indicator_code"] == "budget_revenue"]
    assert set(revenue["ward_code"]) == {"phu_lien", "thuy_nguyen", "kien_an"}
    assert shared.groupby("indicator_code")["ward_code"].nunique().min() >= 2
    # the picker's list: the same indicators, one row each, with how many wards plan them
    picker = queries.shared_indicators(db, 2026).set_index("indicator_code")
    assert set(picker.index) == set(shared["indicator_code"])
    assert picker.loc["budget_revenue", "wards"] == 3
    assert picker.loc["budget_revenue", "indicator_name"] == "Thu ngân sách nhà nước trên địa bàn"


def test_data_issues_have_names_and_the_impossible_target(db):
    issues = queries.data_issues(db)
    impossible = issues[issues["check_code"] == "impossible_target"]
    assert set(impossible["indicator_code"]) >= {"serious_crime_clearance"}
    assert (impossible["severity"] == "error").all()
    assert issues["ward_name"].notna().all()
    assert not queries.data_issues(db, ward="phu_lien", indicator="serious_crime_clearance").empty
    assert set(issues.loc[issues["check_code"] == "impossible_target", "flagged_figure"]) == {"target"}


def test_tasks_and_projects_of_phu_lien(db):
    tasks = queries.tasks(db, ward="phu_lien", year=2026)
    assert tasks["report_period"].isna().any() and tasks["report_period"].notna().any()
    projects = queries.projects(db, ward="phu_lien", year=2026)
    group_a = projects[(projects["group_code"] == "A") & (projects["row_kind"] == "group")]
    assert group_a["total_capital_mvnd"].iloc[0] == pytest.approx(69917.954)
    assert queries.tasks(db, ward="kien_an", year=2026).empty


def test_values_are_bound_not_interpolated(db):
    # A quote in a parameter is data, not SQL.
    assert queries.status(db, as_of="2026-Q1' OR '1'='1").empty
    assert queries.status(db, wards=["phu_lien' OR '1'='1"]).empty


def test_one_status_query_serves_a_page_a_history_and_an_export(db):
    everything = queries.status(db)
    one_ward = queries.status(db, wards=["phu_lien"])
    assert set(one_ward["ward_code"]) == {"phu_lien"}
    assert len(everything) > len(one_ward) > 0
    assert len(queries.status(db, ward="phu_lien", as_of="2026-Q1")) == \
        len(one_ward[one_ward["as_of"] == "2026-Q1"])


# --- the frames every read gives --------------------------------------------------------

def _as_df_gives(path, sql: str):
    con = duckdb.connect(str(path), read_only=True)
    try:
        expected = con.execute(sql).df()
        got = as_frame(con.sql(sql).to_arrow_table())
    finally:
        con.close()
    pd.testing.assert_frame_equal(got, expected)


def test_every_table_and_view_reads_as_duckdb_frames_it(built_db, city_db_path):
    """`Database.query` converts Arrow itself (five times faster than `.df()`); the pages
    and exports were written against `.df()`'s types, which must not change under them."""
    for path in (built_db, city_db_path):
        con = duckdb.connect(str(path), read_only=True)
        names = [n for (n,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal "
            "AND database_name = current_database()").fetchall()]
        con.close()
        assert len(names) > 20
        for name in names:
            _as_df_gives(path, f"SELECT * FROM {name}")
            _as_df_gives(path, f"SELECT * FROM {name} WHERE false")


@pytest.mark.parametrize("column", [
    "NULL::INTEGER", "CASE WHEN x = 1 THEN NULL ELSE x END::INTEGER", "x::BIGINT",
    "x = 1", "CASE WHEN x = 1 THEN NULL ELSE x = 2 END", "x::DECIMAL(18, 3)", "sum(x) OVER ()",
    "NULL::VARCHAR", "CASE WHEN x = 1 THEN NULL ELSE 'a' END", "DATE '2026-03-31' + x",
    "NULL::DATE", "TIMESTAMP '2026-03-31 10:00' ", "NULL::DOUBLE", "x / 3", "NULL"])
def test_each_kind_of_column_has_duckdbs_type(built_db, column):
    _as_df_gives(built_db, f"SELECT {column} AS c FROM (VALUES (1), (2), (3)) v(x)")
    _as_df_gives(built_db, f"SELECT {column} AS c FROM (VALUES (1), (2), (3)) v(x) WHERE x > 5")


@pytest.mark.parametrize("read", [lambda db: queries.status(db, as_of="2026-Q1"),
                                  queries.actuals, queries.data_issues, queries.revisions,
                                  lambda db: queries.actuals(db).sample(frac=1, random_state=1)
                                  .reset_index(drop=True)],
                         ids=["status", "actuals", "data_issues", "revisions", "unordered"])
def test_a_units_rows_out_of_one_read_are_what_a_read_of_the_unit_gives(db, read):
    """ui.data.EveryUnit: each unit's rows in the read's order, several units one after
    another, none for a unit it does not hold; a change to what it gives stays out of it."""
    from ui.data import EveryUnit

    rows = read(db)
    every = EveryUnit.of_read(rows)

    def alone(ward):
        return rows[rows["ward_code"] == ward].reset_index(drop=True)

    for ward in ("phu_lien", "thuy_nguyen", "kien_an"):
        pd.testing.assert_frame_equal(every.of(ward), alone(ward))
    pd.testing.assert_frame_equal(
        every.of("kien_an", "phu_lien"),
        pd.concat([alone("kien_an"), alone("phu_lien")], ignore_index=True))
    nothing = every.of("no_such_unit")
    assert nothing.empty and list(nothing.columns) == list(rows.columns)
    given = every.of("phu_lien")
    if len(given):
        given.loc[0, given.columns[0]] = None
        given[given.columns[1]] = None
        pd.testing.assert_frame_equal(every.of("phu_lien"), alone("phu_lien"))
