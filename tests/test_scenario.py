"""Tests for wardplan.scenario, built on Phù Liễn's real 2026 figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from frames import INDICATOR_COLUMNS, INDICATORS
from wardplan.rules.scenario import (
    SCENARIO_COLUMNS,
    build_scenario,
    scenario_to_date,
)

NAN = math.nan
WARD = "phu_lien"

BUDGET_TARGET = 357450.0
BUDGET_MARCH = 30262.0
BUDGET_OTHER_MONTH = (BUDGET_TARGET - BUDGET_MARCH) / 11


def indicators_frame(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=INDICATOR_COLUMNS)


def targets_frame(*rows: tuple) -> pd.DataFrame:
    """rows: (ward, indicator, comparator, value[, year])."""
    full = [(w, i, r[0] if len(r) else 2026, c, v, NAN, "", "")
            for w, i, c, v, *r in rows]
    return pd.DataFrame(full, columns=["ward_code", "indicator_code", "year", "comparator",
                                       "target_value", "target_value_high", "unit", "target_text"])


def official_frame(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["ward_code", "indicator_code", "period", "planned_value"])


def scenario_for(targets: pd.DataFrame, official: pd.DataFrame | None = None) -> pd.DataFrame:
    official = official if official is not None else official_frame()
    return build_scenario(INDICATORS, targets, official, 2026)


def values(scenario: pd.DataFrame, indicator: str) -> dict[str, tuple[float, str]]:
    rows = scenario[scenario["indicator_code"] == indicator]
    return {r.period: (r.planned_value, r.origin) for r in rows.itertuples()}


def months_of(scenario: pd.DataFrame, indicator: str) -> list[float]:
    by_period = values(scenario, indicator)
    return [by_period[f"2026-{m:02d}"][0] for m in range(1, 13)]


@pytest.fixture
def budget():
    return scenario_for(targets_frame((WARD, "budget_revenue", ">=", BUDGET_TARGET)),
                        official_frame((WARD, "budget_revenue", "2026-03", BUDGET_MARCH)))


# --- flows -----------------------------------------------------------------

def test_output_columns(budget):
    assert list(budget.columns) == SCENARIO_COLUMNS
    assert len(budget) == 17


def test_flow_months_sum_to_annual_target_around_official_march(budget):
    assert sum(months_of(budget, "budget_revenue")) == pytest.approx(BUDGET_TARGET)


def test_flow_official_month_is_kept_and_others_share_the_remainder(budget):
    by_period = values(budget, "budget_revenue")
    assert by_period["2026-03"] == (BUDGET_MARCH, "official")
    assert by_period["2026-01"][0] == pytest.approx(BUDGET_OTHER_MONTH)
    assert by_period["2026-01"][1] == "derived"
    assert by_period["2026-12"][0] == pytest.approx(BUDGET_OTHER_MONTH)


def test_flow_quarter_is_the_sum_of_its_months_and_derived_when_any_month_is(budget):
    value, origin = values(budget, "budget_revenue")["2026-Q1"]
    assert value == pytest.approx(2 * (BUDGET_TARGET - BUDGET_MARCH) / 11 + BUDGET_MARCH)
    assert origin == "derived"


def test_flow_year_equals_target(budget):
    value, origin = values(budget, "budget_revenue")["2026"]
    assert value == pytest.approx(BUDGET_TARGET)
    assert origin == "derived"


def test_flow_without_official_values_is_linear():
    scenario = scenario_for(targets_frame((WARD, "new_enterprises", ">", 60.0)))
    assert months_of(scenario, "new_enterprises") == pytest.approx([5.0] * 12)
    assert values(scenario, "new_enterprises")["2026-Q2"] == (pytest.approx(15.0), "derived")


def test_flow_quarter_is_official_when_all_its_months_are():
    official = official_frame(*[(WARD, "new_enterprises", f"2026-0{m}", 4.0) for m in (1, 2, 3)])
    scenario = scenario_for(targets_frame((WARD, "new_enterprises", ">", 60.0)), official)
    assert values(scenario, "new_enterprises")["2026-Q1"] == (pytest.approx(12.0), "official")
    assert months_of(scenario, "new_enterprises")[3] == pytest.approx(48.0 / 9)


def test_flow_official_quarter_constrains_its_other_months():
    official = official_frame((WARD, "new_enterprises", "2026-Q1", 30.0),
                              (WARD, "new_enterprises", "2026-03", 10.0))
    scenario = scenario_for(targets_frame((WARD, "new_enterprises", ">", 120.0)), official)
    months = months_of(scenario, "new_enterprises")
    assert months[:3] == pytest.approx([10.0, 10.0, 10.0])
    assert months[3:] == pytest.approx([10.0] * 9)
    assert values(scenario, "new_enterprises")["2026-Q1"] == (30.0, "official")
    assert values(scenario, "new_enterprises")["2026-01"][1] == "derived"


def test_flow_official_months_above_target_leave_zero_not_negative():
    official = official_frame((WARD, "new_enterprises", "2026-01", 70.0))
    scenario = scenario_for(targets_frame((WARD, "new_enterprises", ">", 60.0)), official)
    assert months_of(scenario, "new_enterprises")[1:] == [0.0] * 11


def test_range_target_uses_lower_bound():
    scenario = scenario_for(targets_frame((WARD, "new_enterprises", "range", 24.0)))
    assert months_of(scenario, "new_enterprises") == pytest.approx([2.0] * 12)


# --- levels and cumulative percentages -------------------------------------

def test_level_holds_the_target_except_official_months():
    official = official_frame((WARD, "health_insurance_coverage", "2026-03", 95.1))
    scenario = scenario_for(targets_frame((WARD, "health_insurance_coverage", ">=", 95.5)), official)
    by_period = values(scenario, "health_insurance_coverage")
    assert by_period["2026-01"] == (95.5, "derived")
    assert by_period["2026-03"] == (95.1, "official")
    assert by_period["2026-Q1"] == (95.1, "official")
    assert by_period["2026-Q2"] == (95.5, "derived")
    assert by_period["2026"] == (95.5, "derived")


def test_level_official_quarter_sets_its_last_month():
    official = official_frame((WARD, "health_insurance_coverage", "2026-Q2", 96.0))
    scenario = scenario_for(targets_frame((WARD, "health_insurance_coverage", ">=", 95.5)), official)
    by_period = values(scenario, "health_insurance_coverage")
    assert by_period["2026-06"] == (96.0, "official")
    assert by_period["2026-05"] == (95.5, "derived")


def test_lower_direction_zero_target_plans_zero_everywhere():
    scenario = scenario_for(targets_frame((WARD, "poor_households", "<=", 0.0)))
    assert set(values(scenario, "poor_households").values()) == {(0.0, "derived")}


def test_cumulative_pct_without_official_is_target_times_month_over_12():
    scenario = scenario_for(targets_frame((WARD, "public_investment_disbursement", ">=", 100.0)))
    expected = [100.0 * m / 12 for m in range(1, 13)]
    assert months_of(scenario, "public_investment_disbursement") == pytest.approx(expected)


def test_cumulative_pct_passes_through_official_march():
    official = official_frame((WARD, "public_investment_disbursement", "2026-03", 15.0))
    scenario = scenario_for(targets_frame((WARD, "public_investment_disbursement", ">=", 100.0)), official)
    by_period = values(scenario, "public_investment_disbursement")
    months = months_of(scenario, "public_investment_disbursement")
    assert months[:4] == pytest.approx([5.0, 10.0, 15.0, 15.0 + 85.0 / 9])
    assert months[11] == pytest.approx(100.0)
    assert by_period["2026-Q1"] == (15.0, "official")
    assert by_period["2026"] == (pytest.approx(100.0), "derived")


# --- what gets no scenario -------------------------------------------------

@pytest.mark.parametrize("indicator, comparator, value", [
    ("standard_schools", ">=", 5.0),
    ("admin_reform_rank", "top", 30.0),
    ("innovation_promotion", "qualitative", NAN),
    ("income_growth", "relative", 10.0),
    ("health_insurance_coverage", ">=", NAN),
])
def test_targets_without_a_phasable_number_get_no_rows(indicator, comparator, value):
    assert scenario_for(targets_frame((WARD, indicator, comparator, value))).empty


def test_other_years_targets_are_ignored():
    assert scenario_for(targets_frame((WARD, "budget_revenue", ">=", 1.0, 2025))).empty


def test_first_usable_duplicate_target_wins():
    targets = targets_frame((WARD, "new_enterprises", "qualitative", NAN),
                            (WARD, "new_enterprises", ">", 60.0),
                            (WARD, "new_enterprises", ">", 120.0))
    assert values(scenario_for(targets), "new_enterprises")["2026"][0] == pytest.approx(60.0)


# --- scenario to date ------------------------------------------------------

def test_flow_scenario_to_date_sums_months_and_is_derived_when_partly_derived(budget):
    value, origin = scenario_to_date(budget, WARD, "budget_revenue", "flow", 3)
    assert value == pytest.approx(2 * BUDGET_OTHER_MONTH + BUDGET_MARCH)
    assert origin == "derived"
    assert scenario_to_date(budget, WARD, "budget_revenue", "flow", 12)[0] == pytest.approx(BUDGET_TARGET)


def test_level_scenario_to_date_is_the_months_value():
    official = official_frame((WARD, "health_insurance_coverage", "2026-03", 95.1))
    scenario = scenario_for(targets_frame((WARD, "health_insurance_coverage", ">=", 95.5)), official)
    assert scenario_to_date(scenario, WARD, "health_insurance_coverage", "level", 3) == (95.1, "official")
    assert scenario_to_date(scenario, WARD, "health_insurance_coverage", "level", 4) == (95.5, "derived")


def test_flow_scenario_to_date_is_official_when_every_month_is():
    official = official_frame(*[(WARD, "new_enterprises", f"2026-0{m}", 4.0) for m in (1, 2)])
    scenario = scenario_for(targets_frame((WARD, "new_enterprises", ">", 60.0)), official)
    assert scenario_to_date(scenario, WARD, "new_enterprises", "flow", 2) == (8.0, "official")


def test_scenario_to_date_without_rows_is_nan(budget):
    value, origin = scenario_to_date(budget, "other_ward", "budget_revenue", "flow", 3)
    assert math.isnan(value) and origin is None
