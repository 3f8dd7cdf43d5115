"""The growth scenario: given → expected, on Phù Liễn's real 2026 figures.

Each test states what the ward gave (plan cells, "vượt kịch bản X%"
sentences, reported figures, last year's figures) and the scenario that must
come out, with each value's origin: official, implied or derived.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from frames import INDICATORS
from wardplan.rules.scenario import (
    SCENARIO_COLUMNS,
    build_scenario,
    implied_value,
    scenario_lookup,
    scenario_to_date,
)

NAN = math.nan
WARD = "phu_lien"

REVENUE_TARGET = 357450.0
REVENUE_MARCH = 30262.0
REVENUE_Q1 = 105879.0
REVENUE_Q1_IMPLIED = REVENUE_Q1 / 1.4527  # "vượt kịch bản 45,27%"


def targets_frame(*rows: tuple) -> pd.DataFrame:
    """rows: (ward, indicator, comparator, value[, year])."""
    full = [(w, i, r[0] if len(r) else 2026, c, v, NAN, "", "", "KH 08 — mục I.3")
            for w, i, c, v, *r in rows]
    return pd.DataFrame(full, columns=["ward_code", "indicator_code", "year", "comparator",
                                       "target_value", "target_value_high", "unit", "target_text",
                                       "source_ref"])


def official_frame(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([(*r, f"PL3 — {r[2]}") for r in rows],
                        columns=["ward_code", "indicator_code", "period", "planned_value", "source_ref"])


def statements_frame(*rows: tuple) -> pd.DataFrame:
    """rows: (indicator, period, value, stated_over_scenario_pct)."""
    return pd.DataFrame([(WARD, "actual", i, p, v, x, "PL3 — tóm tắt") for i, p, v, x in rows],
                        columns=["ward_code", "statement_kind", "indicator_code", "period", "value",
                                 "stated_over_scenario_pct", "source_ref"])


def actuals_frame(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([(WARD, i, p, v) for i, p, v in rows],
                        columns=["ward_code", "indicator_code", "period", "value"])


def baselines_frame(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([(WARD, i, p, v) for i, p, v in rows],
                        columns=["ward_code", "indicator_code", "period", "value"])


def phase(targets, official=None, statements=None, actuals=None, baselines=None, rule="pattern"):
    return build_scenario(INDICATORS, targets, official if official is not None else official_frame(),
                          2026, statements=statements, actuals=actuals, baselines=baselines, rule=rule)


def values(frame: pd.DataFrame, indicator: str) -> dict[str, tuple[float, str]]:
    rows = frame[frame["indicator_code"] == indicator]
    return {r.period: (r.planned_value, r.origin) for r in rows.itertuples()}


def months_of(frame: pd.DataFrame, indicator: str) -> list[float]:
    by_period = values(frame, indicator)
    return [by_period[f"2026-{m:02d}"][0] for m in range(1, 13)]


@pytest.fixture
def revenue():
    """Phù Liễn's revenue: the March plan cell and the Q1 sentence."""
    return phase(targets_frame((WARD, "budget_revenue", ">=", REVENUE_TARGET)),
                 official_frame((WARD, "budget_revenue", "2026-03", REVENUE_MARCH)),
                 statements_frame(("budget_revenue", "2026-Q1", REVENUE_Q1, 45.27)))


# --- implied values --------------------------------------------------------------

@pytest.mark.parametrize("unit, actual, over, expected", [
    ("triệu đồng", 105879, 45.27, 72884.28),  # revenue Q1
    ("triệu đồng", 702855.52, 4.33, 673684.97),  # industry Q1, the sentence's own figure
    ("triệu đồng", 38210, 0.2, 38133.73),  # agriculture Q1
    ("%", 27.68, 2.68, 25.0),  # disbursement: percentage points
    ("%", 90.0, -5.0, 95.0),  # below the scenario
])
def test_implied_value_from_the_wards_own_comparison(unit, actual, over, expected):
    assert implied_value("flow" if unit != "%" else "cumulative_pct", unit, actual, over) == \
        pytest.approx(expected, abs=0.01)


# --- flows -----------------------------------------------------------------

def test_output_columns(revenue):
    assert list(revenue.frame.columns) == SCENARIO_COLUMNS
    assert len(revenue.frame) == 17


def test_an_implied_quarter_keeps_its_total_and_its_other_months_share_the_rest(revenue):
    by_period = values(revenue.frame, "budget_revenue")
    assert by_period["2026-Q1"] == (pytest.approx(REVENUE_Q1_IMPLIED), "implied")
    assert by_period["2026-03"] == (REVENUE_MARCH, "official")
    rest = (REVENUE_Q1_IMPLIED - REVENUE_MARCH) / 2
    assert by_period["2026-01"] == (pytest.approx(rest), "derived")
    assert by_period["2026-02"] == (pytest.approx(rest), "derived")


def test_months_outside_given_quarters_share_what_the_target_leaves(revenue):
    months = months_of(revenue.frame, "budget_revenue")
    assert months[3:] == pytest.approx([(REVENUE_TARGET - REVENUE_Q1_IMPLIED) / 9] * 9)
    assert sum(months) == pytest.approx(REVENUE_TARGET)
    assert values(revenue.frame, "budget_revenue")["2026"][1] == "derived"


def test_quarter_shares_are_by_value(revenue):
    row = revenue.frame[(revenue.frame["period"] == "2026-Q1")].iloc[0]
    assert (row.share_official, row.share_implied, row.share_derived) == (0, 100, 0)
    q2 = revenue.frame[(revenue.frame["period"] == "2026-Q2")].iloc[0]
    assert q2.share_derived == pytest.approx(100)


def test_without_a_quarter_total_the_annual_remainder_is_spread_over_eleven_months():
    frame = phase(targets_frame((WARD, "budget_revenue", ">=", REVENUE_TARGET)),
                  official_frame((WARD, "budget_revenue", "2026-03", REVENUE_MARCH))).frame
    by_period = values(frame, "budget_revenue")
    assert by_period["2026-01"][0] == pytest.approx((REVENUE_TARGET - REVENUE_MARCH) / 11)
    q1 = frame[frame["period"] == "2026-Q1"].iloc[0]
    assert q1.origin == "derived"
    assert q1.share_official == pytest.approx(100 * REVENUE_MARCH / q1.planned_value)


def test_previous_year_monthly_pattern_shapes_the_derived_months():
    pattern = [1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 12]  # SYNTHETIC: a December-heavy year
    baselines = baselines_frame(*[("new_enterprises", f"2025-{m:02d}", v)
                                  for m, v in enumerate(pattern, start=1)])
    frame = phase(targets_frame((WARD, "new_enterprises", ">", 96.0)), baselines=baselines).frame
    assert months_of(frame, "new_enterprises") == pytest.approx([v * 4 for v in pattern])
    linear = phase(targets_frame((WARD, "new_enterprises", ">", 96.0)), baselines=baselines,
                   rule="linear").frame
    assert months_of(linear, "new_enterprises") == pytest.approx([8.0] * 12)


def test_previous_year_quarters_shape_the_derived_months_when_months_are_missing():
    baselines = baselines_frame(*[("new_enterprises", f"2025-Q{q}", v)
                                  for q, v in enumerate([3, 3, 3, 9], start=1)])
    frame = phase(targets_frame((WARD, "new_enterprises", ">", 72.0)), baselines=baselines).frame
    assert months_of(frame, "new_enterprises") == pytest.approx([4.0] * 9 + [12.0] * 3)


def test_a_month_plan_equal_to_the_quarter_figure_is_read_as_the_quarter_to_date():
    """New enterprises: plan for March 5, UTH tháng 3 = UTH quý I = 5."""
    built = phase(targets_frame((WARD, "new_enterprises", ">", 55.0)),
                  official_frame((WARD, "new_enterprises", "2026-03", 5.0)),
                  actuals=actuals_frame(("new_enterprises", "2026-03", 5.0),
                                        ("new_enterprises", "2026-Q1", 5.0)))
    by_period = values(built.frame, "new_enterprises")
    assert by_period["2026-Q1"] == (5.0, "official")
    assert by_period["2026-03"][1] == "derived"
    assert sum(months_of(built.frame, "new_enterprises")[:3]) == pytest.approx(5.0)
    (finding,) = built.readings
    assert finding.check_code == "plan_column_to_date" and finding.period == "2026-Q1"
    assert "lũy kế từ đầu quý" in finding.message


def test_a_month_figure_different_from_the_quarter_keeps_the_plan_a_month_plan():
    built = phase(targets_frame((WARD, "budget_revenue", ">=", REVENUE_TARGET)),
                  official_frame((WARD, "budget_revenue", "2026-03", REVENUE_MARCH)),
                  actuals=actuals_frame(("budget_revenue", "2026-03", REVENUE_MARCH),
                                        ("budget_revenue", "2026-Q1", REVENUE_Q1)))
    assert values(built.frame, "budget_revenue")["2026-03"] == (REVENUE_MARCH, "official")
    assert built.readings == []


def test_given_months_above_the_target_leave_zero_not_negative():
    frame = phase(targets_frame((WARD, "new_enterprises", ">", 60.0)),
                  official_frame((WARD, "new_enterprises", "2026-01", 70.0))).frame
    assert months_of(frame, "new_enterprises")[1:] == [0.0] * 11


def test_an_official_quarter_beats_an_implied_one_and_the_disagreement_is_recorded():
    built = phase(targets_frame((WARD, "budget_revenue", ">=", REVENUE_TARGET)),
                  official_frame((WARD, "budget_revenue", "2026-Q1", 80000.0)),
                  statements_frame(("budget_revenue", "2026-Q1", REVENUE_Q1, 45.27)))
    assert values(built.frame, "budget_revenue")["2026-Q1"] == (80000.0, "official")
    assert [r.check_code for r in built.readings] == ["scenario_sources_disagree"]


# --- levels and cumulative percentages -------------------------------------

def test_a_level_ramps_from_last_year_through_the_official_point_to_the_target():
    """Social insurance: 51 in 2025, 55,3 planned for March, 56,8 for the year: no saw-tooth."""
    frame = phase(targets_frame((WARD, "health_insurance_coverage", ">=", 56.8)),
                  official_frame((WARD, "health_insurance_coverage", "2026-03", 55.3)),
                  baselines=baselines_frame(("health_insurance_coverage", "2025", 51.0))).frame
    months = months_of(frame, "health_insurance_coverage")
    assert months[:3] == pytest.approx([51 + 4.3 / 3, 51 + 8.6 / 3, 55.3])
    assert months[3:] == pytest.approx([55.3 + 1.5 * k / 9 for k in range(1, 10)])
    assert all(b >= a for a, b in zip(months, months[1:], strict=False))
    by_period = values(frame, "health_insurance_coverage")
    assert by_period["2026-03"][1] == "official" and by_period["2026-04"][1] == "derived"
    assert by_period["2026-Q1"] == (55.3, "official")


def test_a_level_without_last_year_holds_its_first_point_before_it():
    frame = phase(targets_frame((WARD, "health_insurance_coverage", ">=", 95.5)),
                  official_frame((WARD, "health_insurance_coverage", "2026-03", 95.1))).frame
    assert months_of(frame, "health_insurance_coverage")[:3] == pytest.approx([95.1] * 3)
    assert months_of(frame, "health_insurance_coverage")[11] == pytest.approx(95.5)


def test_a_level_with_nothing_given_holds_the_target():
    frame = phase(targets_frame((WARD, "health_insurance_coverage", ">=", 95.5))).frame
    assert months_of(frame, "health_insurance_coverage") == pytest.approx([95.5] * 12)


def test_an_official_quarter_sets_a_levels_last_month():
    frame = phase(targets_frame((WARD, "health_insurance_coverage", ">=", 95.5)),
                  official_frame((WARD, "health_insurance_coverage", "2026-Q2", 96.0))).frame
    by_period = values(frame, "health_insurance_coverage")
    assert by_period["2026-06"] == (96.0, "official")
    assert by_period["2026-05"] == (96.0, "derived")  # flat before the first point


def test_lower_direction_zero_target_plans_zero_everywhere():
    frame = phase(targets_frame((WARD, "poor_households", "=", 0.0))).frame
    assert set(values(frame, "poor_households").values()) == {(0.0, "derived")}


def test_cumulative_pct_without_given_points_is_target_times_month_over_12():
    frame = phase(targets_frame((WARD, "public_investment_disbursement", ">=", 100.0))).frame
    expected = [100.0 * m / 12 for m in range(1, 13)]
    assert months_of(frame, "public_investment_disbursement") == pytest.approx(expected)


def test_a_cumulative_plan_below_the_implied_level_is_the_months_increment():
    """Disbursement: plan for March 15, "27,68% … vượt kịch bản 2,68%" → 25% at end of Q1."""
    built = phase(targets_frame((WARD, "public_investment_disbursement", ">=", 100.0)),
                  official_frame((WARD, "public_investment_disbursement", "2026-03", 15.0)),
                  statements_frame(("public_investment_disbursement", "2026-Q1", 27.68, 2.68)))
    by_period = values(built.frame, "public_investment_disbursement")
    assert by_period["2026-02"] == (pytest.approx(10.0), "implied")
    assert by_period["2026-03"] == (pytest.approx(25.0), "implied")
    assert by_period["2026-Q1"] == (pytest.approx(25.0), "implied")
    assert by_period["2026-01"] == (pytest.approx(5.0), "derived")
    assert by_period["2026-12"] == (pytest.approx(100.0), "derived")
    (finding,) = built.readings
    assert finding.severity == "warning" and finding.check_code == "scenario_sources_disagree"
    assert "phần tăng thêm trong tháng" in finding.message and "10%" in finding.message


def test_a_cumulative_plan_above_the_implied_level_stays_official_with_a_warning():
    built = phase(targets_frame((WARD, "public_investment_disbursement", ">=", 100.0)),
                  official_frame((WARD, "public_investment_disbursement", "2026-03", 30.0)),
                  statements_frame(("public_investment_disbursement", "2026-Q1", 27.68, 2.68)))
    assert values(built.frame, "public_investment_disbursement")["2026-03"] == (30.0, "official")
    assert "hai số không thể cùng đúng" in built.readings[0].message


# --- what gets no scenario -------------------------------------------------

@pytest.mark.parametrize("indicator, comparator, value", [
    ("standard_schools", ">=", 5.0),
    ("admin_reform_rank", "top", 30.0),
    ("innovation_promotion", "qualitative", NAN),
    ("income_growth", "relative", 10.0),
    ("health_insurance_coverage", ">=", NAN),
])
def test_targets_without_a_phasable_number_get_no_rows(indicator, comparator, value):
    assert phase(targets_frame((WARD, indicator, comparator, value))).frame.empty


def test_other_years_targets_are_ignored():
    assert phase(targets_frame((WARD, "budget_revenue", ">=", 1.0, 2025))).frame.empty


def test_first_usable_duplicate_target_wins():
    targets = targets_frame((WARD, "new_enterprises", "qualitative", NAN),
                            (WARD, "new_enterprises", ">", 60.0),
                            (WARD, "new_enterprises", ">", 120.0))
    assert values(phase(targets).frame, "new_enterprises")["2026"][0] == pytest.approx(60.0)


def test_an_unknown_rule_fails_loudly():
    with pytest.raises(ValueError, match="seasonal"):
        phase(targets_frame((WARD, "new_enterprises", ">", 60.0)), rule="seasonal")


# --- scenario to date ------------------------------------------------------

def lookup_of(built, indicator):
    return scenario_lookup(built.frame[built.frame["indicator_code"] == indicator])


def test_to_date_uses_a_given_quarter_whole(revenue):
    to_march = scenario_to_date(lookup_of(revenue, "budget_revenue"), "flow", 2026, 3)
    assert to_march.value == pytest.approx(REVENUE_Q1_IMPLIED)
    assert to_march.origin == "implied" and not to_march.provisional
    assert [p[0] for p in to_march.parts] == ["2026-Q1"]


def test_to_date_inside_a_given_quarter_is_our_split_and_provisional(revenue):
    to_january = scenario_to_date(lookup_of(revenue, "budget_revenue"), "flow", 2026, 1)
    assert to_january.value == pytest.approx((REVENUE_Q1_IMPLIED - REVENUE_MARCH) / 2)
    assert to_january.origin == "derived" and to_january.provisional


def test_to_date_after_a_given_quarter_adds_derived_months(revenue):
    to_april = scenario_to_date(lookup_of(revenue, "budget_revenue"), "flow", 2026, 4)
    april = (REVENUE_TARGET - REVENUE_Q1_IMPLIED) / 9
    assert to_april.value == pytest.approx(REVENUE_Q1_IMPLIED + april)
    assert to_april.shares[1] == pytest.approx(REVENUE_Q1_IMPLIED / to_april.value)
    assert not to_april.provisional


def test_to_date_mostly_derived_is_provisional():
    """Expenditure: only the March plan is the ward's; January and February are ours."""
    built = phase(targets_frame((WARD, "budget_revenue", ">=", 351147.0)),
                  official_frame((WARD, "budget_revenue", "2026-03", 42537.0)))
    to_march = scenario_to_date(lookup_of(built, "budget_revenue"), "flow", 2026, 3)
    assert to_march.value == pytest.approx(42537 + 2 * (351147 - 42537) / 11)
    assert to_march.shares[0] == pytest.approx(42537 / to_march.value)
    assert to_march.provisional and to_march.origin == "derived"


def test_partial_coverage_scales_the_last_piece(revenue):
    full = scenario_to_date(lookup_of(revenue, "budget_revenue"), "flow", 2026, 1)
    part = scenario_to_date(lookup_of(revenue, "budget_revenue"), "flow", 2026, 1, covered=21 / 31)
    assert part.value == pytest.approx(full.value * 21 / 31)


def test_level_to_date_is_the_months_value():
    built = phase(targets_frame((WARD, "health_insurance_coverage", ">=", 95.5)),
                  official_frame((WARD, "health_insurance_coverage", "2026-03", 95.1)))
    to_march = scenario_to_date(lookup_of(built, "health_insurance_coverage"), "level", 2026, 3)
    assert (to_march.value, to_march.origin) == (95.1, "official")


def test_sort_by_period_is_chronological_within_each_ward_and_indicator():
    from wardplan.rules.scenario import sort_by_period

    rows = [("b", "x", "2026"), ("a", "y", "2026-Q1"), ("a", "x", "2026-Q1"), ("a", "x", None),
            ("a", "x", "2026-12"), ("a", "x", "2026-03"), ("a", "x", "2026-01"), ("a", "x", "tt"),
            ("b", "x", "2026-02"), ("a", "x", "2026-01")]
    frame = pd.DataFrame(rows, columns=["ward_code", "indicator_code", "period"])
    frame["n"] = range(len(frame))  # which row is which, for the tie
    # Months, the quarter after its last month, the year last; no code and a non-code after
    # them, as they came (stable); then the next indicator, then the next ward.
    assert sort_by_period(frame)["n"].tolist() == [6, 9, 5, 2, 4, 3, 7, 1, 8, 0]
