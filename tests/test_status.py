"""Tests for wardplan.status, built on Phù Liễn's Q1 2026 report (appendix 3)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from frames import INDICATORS
from wardplan.rules.numbers import format_number_vi
from wardplan.rules.scenario import build_scenario
from wardplan.rules.settings import SettingsError, StatusBands, load_settings
from wardplan.rules.status import (
    STATUS_COLUMNS,
    _fmt_pct,
    achievement_pct,
    compute_status,
)

NAN = math.nan
PL = "phu_lien"
SILENT = "kien_an"  # has a plan but has not reported yet
BANDS = StatusBands(green_min_pct=100.0, amber_min_pct=90.0)

BUDGET_Q1_SCENARIO = 2 * (357450.0 - 30262.0) / 11 + 30262.0
NE_Q1_SCENARIO = 2 * (55.0 - 5.0) / 11 + 5.0

TARGET_COLUMNS = ["ward_code", "indicator_code", "year", "comparator", "target_value",
                  "target_value_high", "unit", "target_text"]
ACTUAL_COLUMNS = ["ward_code", "indicator_code", "period", "value", "value_text",
                  "ward_verdict", "ward_summary"]


def target(ward, indicator, comparator, value, text=""):
    return (ward, indicator, 2026, comparator, value, NAN, "", text)


def actual(ward, indicator, period, value, verdict=None, text=None):
    return (ward, indicator, period, value, text if text is not None else str(value), verdict, None)


TARGETS = pd.DataFrame([
    target(PL, "budget_revenue", ">=", 357450.0, "357.450"),
    target(PL, "new_enterprises", ">", 55.0, "> 55"),
    target(PL, "health_insurance_coverage", ">=", 95.5, "95,5"),
    target(PL, "poor_households", "<=", 0.0, "0"),
    target(PL, "public_investment_disbursement", ">=", 100.0, "100%"),
    target(PL, "standard_schools", ">=", 5.0, "5"),
    target(PL, "admin_reform_rank", "top", 30.0, "Thuộc топ 30"),
    target(PL, "innovation_promotion", "qualitative", NAN, "Thúc đẩy"),
    target(PL, "income_growth", "relative", 10.0, "tăng 10% so với năm 2025"),
    target(SILENT, "budget_revenue", ">=", 500000.0),
    target(SILENT, "health_insurance_coverage", ">=", 95.0),
], columns=TARGET_COLUMNS)

OFFICIAL = pd.DataFrame([
    (PL, "budget_revenue", "2026-03", 30262.0),
    (PL, "new_enterprises", "2026-03", 5.0),
    (PL, "health_insurance_coverage", "2026-03", 95.1),
    (PL, "public_investment_disbursement", "2026-03", 15.0),
], columns=["ward_code", "indicator_code", "period", "planned_value"])

ACTUALS = pd.DataFrame([
    actual(PL, "budget_revenue", "2026-01", 20684.0),
    actual(PL, "budget_revenue", "2026-03", 30262.0),
    actual(PL, "budget_revenue", "2026-Q1", 105879.0, "Vượt"),
    actual(PL, "new_enterprises", "2026-01", NAN, text="-"),
    actual(PL, "new_enterprises", "2026-03", 5.0),
    actual(PL, "new_enterprises", "2026-Q1", 5.0, "Đạt"),
    actual(PL, "health_insurance_coverage", "2026-Q1", 95.1, "Đạt"),
    actual(PL, "poor_households", "2026-Q1", 0.0, "Đạt"),
    actual(PL, "public_investment_disbursement", "2026-Q1", 27.68, "Vượt"),
    actual(PL, "standard_schools", "2026-Q1", 3.0, "Đang thực hiện"),
    actual(PL, "innovation_promotion", "2026-Q1", NAN, "Đạt", text="Đã tổ chức 2 hội thảo"),
], columns=ACTUAL_COLUMNS)

WARDS = pd.DataFrame([(PL, "Phù Liễn"), (SILENT, "Kiến An")], columns=["ward_code", "name_vi"])


def run(actuals=ACTUALS, targets=TARGETS, official=OFFICIAL, bands=BANDS, scenario=None):
    if scenario is None:
        scenario = build_scenario(INDICATORS, targets, official, 2026)
    return compute_status(INDICATORS, targets, actuals, scenario, WARDS, bands, 2026)


@pytest.fixture(scope="module")
def status() -> pd.DataFrame:
    return run()


def row(frame: pd.DataFrame, indicator: str, as_of: str, ward: str = PL):
    match = frame[(frame["ward_code"] == ward) & (frame["indicator_code"] == indicator)
                  & (frame["as_of"] == as_of)]
    assert len(match) == 1
    return match.iloc[0]


# --- shape -----------------------------------------------------------------

def test_one_row_per_ward_indicator_period_with_the_agreed_columns(status):
    assert list(status.columns) == STATUS_COLUMNS
    assert len(status) == 11 * 17


def test_rows_are_sorted_by_ward_indicator_and_period(status):
    first = status[(status["ward_code"] == PL) & (status["indicator_code"] == "budget_revenue")]
    assert list(first["as_of"])[:5] == ["2026-01", "2026-02", "2026-03", "2026-Q1", "2026-04"]
    assert list(first["as_of"])[-1] == "2026"
    assert status["ward_code"].iloc[0] == SILENT
    assert list(status["indicator_code"].drop_duplicates())[:2] == ["budget_revenue",
                                                                     "health_insurance_coverage"]


# --- flows: budget revenue -------------------------------------------------

def test_budget_january_uses_the_month_figure(status):
    jan = row(status, "budget_revenue", "2026-01")
    assert jan.actual_to_date == 20684.0
    assert jan.actual_period == "2026-01"
    assert jan.ward_verdict is None
    assert jan.pct_of_scenario == pytest.approx(20684.0 / ((357450.0 - 30262.0) / 11) * 100)
    assert jan.status == "red"


def test_budget_february_is_grey_for_the_missing_month(status):
    feb = row(status, "budget_revenue", "2026-02")
    assert math.isnan(feb.actual_to_date)
    assert feb.status == "grey"
    assert "Thiếu số liệu tháng 02" in feb.note


def test_a_verdict_is_not_shown_for_a_period_without_a_figure(status):
    # Q1 was 'Vượt'; by June nothing new is reported, so there is nothing to agree with.
    assert row(status, "budget_revenue", "2026-Q1").ward_verdict == "Vượt"
    june = row(status, "budget_revenue", "2026-06")
    assert june.status == "grey" and june.ward_verdict is None


@pytest.mark.parametrize("as_of", ["2026-03", "2026-Q1"])
def test_budget_q1_uses_the_quarter_figure_against_the_phased_scenario(status, as_of):
    q1 = row(status, "budget_revenue", as_of)
    assert q1.actual_to_date == 105879.0
    assert q1.actual_period == "2026-Q1"
    assert q1.scenario_to_date == pytest.approx(BUDGET_Q1_SCENARIO)
    assert q1.pct_of_scenario == pytest.approx(105879.0 / BUDGET_Q1_SCENARIO * 100)
    assert q1.pct_of_target == pytest.approx(105879.0 / 357450.0 * 100)
    assert q1.status == "green"
    assert q1.scenario_origin == "derived"
    assert "1 tháng chính thức, 2 tháng suy ra" in q1.note
    assert "105.879" in q1.note and "29,6%" in q1.note


def test_budget_april_is_grey_without_april(status):
    apr = row(status, "budget_revenue", "2026-04")
    assert math.isnan(apr.actual_to_date)
    assert apr.status == "grey"
    assert "tháng 04" in apr.note


# --- the ward's verdict disagrees ------------------------------------------

def test_health_insurance_green_on_scenario_but_below_annual_target(status):
    q1 = row(status, "health_insurance_coverage", "2026-Q1")
    assert q1.status == "green"
    assert q1.pct_of_scenario == pytest.approx(100.0)
    assert q1.pct_of_target == pytest.approx(95.1 / 95.5 * 100)
    assert q1.ward_verdict == "Đạt"
    assert q1.scenario_origin == "official"
    assert "'Đạt'" in q1.note
    assert "95,1%" in q1.note and "chỉ tiêu năm 95,5%" in q1.note


def test_level_older_than_as_of_is_kept_and_flagged(status):
    jun = row(status, "health_insurance_coverage", "2026-06")
    assert jun.actual_to_date == 95.1
    assert jun.actual_period == "2026-Q1"
    assert "Số liệu mới nhất: Quý I/2026" in jun.note
    assert jun.status == "amber"  # 95,1 against the derived 95,5


def test_new_enterprises_red_although_the_ward_says_met(status):
    q1 = row(status, "new_enterprises", "2026-Q1")
    assert q1.actual_to_date == 5.0
    assert q1.scenario_to_date == pytest.approx(NE_Q1_SCENARIO)
    assert q1.pct_of_scenario == pytest.approx(5.0 / NE_Q1_SCENARIO * 100)
    assert q1.status == "red"
    assert q1.ward_verdict == "Đạt"
    assert "kịch bản chính thức Tháng 3/2026" in q1.note
    assert "1 tháng chính thức, 2 tháng suy ra" in q1.note
    assert "14,09" in q1.note


def test_placeholder_values_are_not_known(status):
    jan = row(status, "new_enterprises", "2026-01")
    assert jan.status == "grey"
    assert "Thiếu số liệu tháng 01" in jan.note


def test_ward_saying_not_met_while_on_track_is_explained():
    actuals = pd.DataFrame([actual(PL, "budget_revenue", "2026-Q1", 105879.0, "Không đạt")],
                           columns=ACTUAL_COLUMNS)
    q1 = row(run(actuals=actuals), "budget_revenue", "2026-Q1")
    assert q1.status == "green"
    assert "'Không đạt'" in q1.note and "chỉ tiêu năm" in q1.note


# --- other numeric kinds ---------------------------------------------------

def test_poor_households_lower_direction_zero_is_full_achievement(status):
    q1 = row(status, "poor_households", "2026-Q1")
    assert q1.actual_to_date == 0.0
    assert q1.pct_of_scenario == 100.0
    assert q1.pct_of_target == 100.0
    assert q1.status == "green"


def test_disbursement_cumulative_pct_against_official_march(status):
    q1 = row(status, "public_investment_disbursement", "2026-Q1")
    assert q1.actual_to_date == 27.68
    assert q1.scenario_to_date == 15.0
    assert q1.pct_of_scenario == pytest.approx(27.68 / 15.0 * 100)
    assert q1.status == "green"
    assert "27,68%" in q1.note


def test_milestone_waits_for_year_end_then_turns_red(status):
    q1 = row(status, "standard_schools", "2026-Q1")
    assert q1.status == "grey"
    assert "Chỉ tiêu đánh giá khi hoàn thành (cuối năm)" in q1.note
    assert q1.pct_of_target == pytest.approx(60.0)
    assert row(status, "standard_schools", "2026-12").status == "red"
    assert row(status, "standard_schools", "2026").status == "red"


def test_milestone_is_green_once_reached():
    actuals = pd.concat([ACTUALS, pd.DataFrame([actual(PL, "standard_schools", "2026-06", 5.0)],
                                               columns=ACTUAL_COLUMNS)])
    result = run(actuals=actuals)
    assert row(result, "standard_schools", "2026-06").status == "green"
    assert row(result, "standard_schools", "2026-05").status == "grey"


# --- verdict-only and relative targets -------------------------------------

def test_qualitative_follows_the_wards_verdict(status):
    q1 = row(status, "innovation_promotion", "2026-Q1")
    assert q1.status == "green"
    assert q1.ward_verdict == "Đạt"
    assert "tự đánh giá của phường" in q1.note
    assert row(status, "innovation_promotion", "2026-02").status == "grey"


def test_qualitative_not_met_is_red():
    actuals = pd.DataFrame([actual(PL, "innovation_promotion", "2026-Q1", NAN, "Không đạt")],
                           columns=ACTUAL_COLUMNS)
    assert row(run(actuals=actuals), "innovation_promotion", "2026-Q1").status == "red"


def test_rank_without_data_is_grey(status):
    q1 = row(status, "admin_reform_rank", "2026-Q1")
    assert q1.status == "grey"
    assert q1.ward_verdict is None
    assert math.isnan(q1.actual_to_date)


def test_relative_target_is_grey_with_explanation(status):
    q1 = row(status, "income_growth", "2026-Q1")
    assert q1.status == "grey"
    assert "Chỉ tiêu tương đối (tăng 10% so với năm 2025)" in q1.note
    assert "chưa có số gốc để quy đổi" in q1.note


def test_ward_without_report_is_grey_everywhere(status):
    silent = status[status["ward_code"] == SILENT]
    assert len(silent) == 2 * 17
    assert set(silent["status"]) == {"grey"}
    assert set(silent["note"]) == {"Chưa có báo cáo."}
    assert row(status, "budget_revenue", "2026", SILENT).scenario_to_date == pytest.approx(500000.0)


# --- bands -----------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (100.0, "green"), (120.0, "green"), (90.0, "amber"), (99.99, "amber"), (89.99, "red"),
])
def test_band_edges(value, expected):
    scenario = pd.DataFrame([(PL, "health_insurance_coverage", "2026-03", 100.0, "official")],
                            columns=["ward_code", "indicator_code", "period", "planned_value", "origin"])
    actuals = pd.DataFrame([actual(PL, "health_insurance_coverage", "2026-03", value)],
                           columns=ACTUAL_COLUMNS)
    result = run(actuals=actuals, scenario=scenario)
    assert row(result, "health_insurance_coverage", "2026-03").status == expected


def test_float_noise_does_not_push_an_exact_match_below_green():
    # Sums of derived months carry float noise: 0.1 + 0.2 != 0.3.
    scenario = pd.DataFrame([(PL, "health_insurance_coverage", "2026-03", 0.1 + 0.2, "official")],
                            columns=["ward_code", "indicator_code", "period", "planned_value", "origin"])
    actuals = pd.DataFrame([actual(PL, "health_insurance_coverage", "2026-03", 0.3)],
                           columns=ACTUAL_COLUMNS)
    result = row(run(actuals=actuals, scenario=scenario), "health_insurance_coverage", "2026-03")
    assert result.status == "green"


def test_band_edge_is_not_hidden_by_rounding_in_the_note():
    scenario = pd.DataFrame([(PL, "health_insurance_coverage", "2026-03", 100.0, "official")],
                            columns=["ward_code", "indicator_code", "period", "planned_value", "origin"])
    actuals = pd.DataFrame([actual(PL, "health_insurance_coverage", "2026-03", 89.99)],
                           columns=ACTUAL_COLUMNS)
    note = row(run(actuals=actuals, scenario=scenario), "health_insurance_coverage", "2026-03").note
    assert "89,99%" in note


def test_custom_bands_from_a_settings_file(tmp_path: Path):
    path = tmp_path / "settings.toml"
    path.write_text('[status]\ngreen_min_pct = 120.0\namber_min_pct = 110\n'
                    '[scenario]\nderive = "linear"\n', encoding="utf-8")
    bands = load_settings(path).bands
    assert bands == StatusBands(120.0, 110.0)
    q1 = row(run(bands=bands), "budget_revenue", "2026-Q1")  # 117,97% of scenario
    assert q1.status == "amber"


# --- achievement and formatting --------------------------------------------

@pytest.mark.parametrize("actual_value, reference, direction, expected", [
    (50.0, 40.0, "higher", 125.0),
    (40.0, 50.0, "lower", 125.0),
    (0.0, 0.0, "lower", 100.0),
    (3.0, 0.0, "lower", 0.0),
])
def test_achievement_pct(actual_value, reference, direction, expected):
    assert achievement_pct(actual_value, reference, direction) == pytest.approx(expected)


@pytest.mark.parametrize("actual_value, reference, direction", [
    (5.0, 0.0, "higher"), (0.0, 4.0, "lower"), (NAN, 4.0, "higher"),
])
def test_achievement_pct_without_a_ratio_is_nan(actual_value, reference, direction):
    assert math.isnan(achievement_pct(actual_value, reference, direction))


def test_lower_direction_zero_against_a_positive_scenario_is_green():
    scenario = pd.DataFrame([(PL, "poor_households", "2026-03", 12.0, "official")],
                            columns=["ward_code", "indicator_code", "period", "planned_value", "origin"])
    actuals = pd.DataFrame([actual(PL, "poor_households", "2026-03", 0.0)], columns=ACTUAL_COLUMNS)
    assert row(run(actuals=actuals, scenario=scenario), "poor_households", "2026-03").status == "green"


@pytest.mark.parametrize("value, expected", [
    (357450, "357.450"), (95.5, "95,5"), (27.68, "27,68"), (0, "0"),
    (1234567.891, "1.234.567,89"), (-20684, "-20.684"), (NAN, "—"),
])
def test_fmt_writes_vietnamese_numbers(value, expected):
    assert format_number_vi(value) == expected


def test_fmt_pct_rounds_to_one_decimal_unless_it_would_cross_an_edge():
    assert _fmt_pct(99.5811, (100.0, 90.0)) == "99,6%"
    assert _fmt_pct(89.99, (100.0, 90.0)) == "89,99%"
    assert _fmt_pct(99.996, (100.0, 90.0)) == "99,99%"


# --- settings --------------------------------------------------------------

def test_default_settings_file_loads():
    settings = load_settings()
    assert settings.bands == StatusBands(100.0, 90.0)
    assert settings.scenario_rule == "linear"


@pytest.mark.parametrize("text", [
    '[status]\ngreen_min_pct = 90.0\namber_min_pct = 100.0\n[scenario]\nderive = "linear"\n',
    '[status]\ngreen_min_pct = 100.0\namber_min_pct = 0\n[scenario]\nderive = "linear"\n',
    '[status]\ngreen_min_pct = 100.0\n[scenario]\nderive = "linear"\n',
    '[status]\ngreen_min_pct = "100"\namber_min_pct = 90\n[scenario]\nderive = "linear"\n',
    '[status]\ngreen_min_pct = 100.0\namber_min_pct = 90.0\n[scenario]\nderive = "seasonal"\n',
    '[scenario]\nderive = "linear"\n',
    'not toml at all [',
])
def test_invalid_settings_are_rejected(tmp_path: Path, text: str):
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError):
        load_settings(path)


def test_bands_built_in_code_are_validated_too():
    with pytest.raises(ValueError):
        StatusBands(green_min_pct=80.0, amber_min_pct=90.0)
