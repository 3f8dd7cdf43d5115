"""wardplan.queries against the database built from the bundled workbooks.

Expected values are the documents' own figures (Phù Liễn report 103/BC-UBND,
Phụ lục 3; the wards' 2026 plans).
"""

from __future__ import annotations

import pytest

from wardplan.reads import queries


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
    status = queries.status_at(db, "2026-Q1")
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
    november = queries.status_at(db, "2026-11")
    q1 = queries.status_at(db, "2026-Q1")
    assert len(november) == len(q1)
    # No flow has a figure for November: months 4-11 were never reported.
    flows = november[november["kind"] == "flow"]
    assert flows["actual_to_date"].isna().all()


def test_status_history_has_the_seventeen_periods(db):
    history = queries.status_history(db, "phu_lien", "budget_revenue")
    assert len(history) == 17
    march = history.set_index("as_of").loc["2026-03"]
    assert march["actual_to_date"] == 105879
    assert march["actual_period"] == "2026-Q1"


def test_actuals_keep_the_verbatim_text_and_source(db):
    actuals = queries.actuals(db, "phu_lien", "budget_revenue").set_index("period")
    assert actuals.loc["2026-Q1", "value"] == 105879
    assert actuals.loc["2026-Q1", "value_text"] == "105,879"
    assert actuals.loc["2026-01", "value"] == 20684
    assert "103/BC-UBND" in actuals.loc["2026-Q1", "source_ref"]


def test_scenario_march_is_the_wards_official_figure(db):
    scenario = queries.scenario(db, "phu_lien", "budget_revenue").set_index("period")
    assert scenario.loc["2026-03", "planned_value"] == 30262
    assert scenario.loc["2026-03", "origin"] == "official"
    assert scenario.loc["2026-01", "origin"] == "derived"


def test_wards_without_a_report_still_have_their_targets(db):
    targets = queries.ward_targets(db, "thuy_nguyen").set_index("indicator_code")
    assert targets.loc["budget_revenue", "target_value"] == 578625
    assert targets.loc["budget_revenue", "target_text"] == "đạt 578,625 tỷ đồng"
    assert queries.ward_indicators_with_actuals(db, "thuy_nguyen") == []
    assert "budget_revenue" in queries.ward_indicators(db, "kien_an")


def test_shared_targets_cover_the_indicators_several_wards_plan(db):
    shared = queries.shared_targets(db)
    revenue = shared[shared["indicator_code"] == "budget_revenue"]
    assert set(revenue["ward_code"]) == {"phu_lien", "thuy_nguyen", "kien_an"}
    assert shared.groupby("indicator_code")["ward_code"].nunique().min() >= 2


def test_data_issues_have_names_and_the_impossible_target(db):
    issues = queries.data_issues(db)
    impossible = issues[issues["check_code"] == "impossible_target"]
    assert set(impossible["indicator_code"]) >= {"serious_crime_clearance"}
    assert (impossible["severity"] == "error").all()
    assert issues["ward_name"].notna().all()
    assert not queries.indicator_issues(db, "phu_lien", "serious_crime_clearance").empty


def test_tasks_and_projects_of_phu_lien(db):
    tasks = queries.tasks(db, "phu_lien")
    assert tasks["report_period"].isna().any() and tasks["report_period"].notna().any()
    projects = queries.projects(db, "phu_lien")
    group_a = projects[(projects["group_code"] == "A") & (projects["row_kind"] == "group")]
    assert group_a["total_capital_mvnd"].iloc[0] == pytest.approx(69917.954)
    assert queries.tasks(db, "kien_an").empty


def test_values_are_bound_not_interpolated(db):
    # A quote in a parameter is data, not SQL.
    assert queries.status_at(db, "2026-Q1' OR '1'='1").empty
