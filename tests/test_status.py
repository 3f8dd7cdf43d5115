"""Tests for wardplan.rules.status, built on Phù Liễn's 2026 reports.

The fixture is Phù Liễn as its documents give it: the January figures (revenue
partial, to 21/01), the March plan cells and the Q1 figures with the ward's
"vượt kịch bản X%" sentences.
"""

from __future__ import annotations

import datetime as dt
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
    Flags,
    _fmt_pct,
    achievement_pct,
    compute_status,
    status_label_vi,
)

NAN = math.nan
PL = "phu_lien"
SILENT = "kien_an"  # has a plan but has not reported yet
BANDS = StatusBands(green_min_pct=100.0, amber_min_pct=90.0)

REVENUE_Q1_IMPLIED = 105879.0 / 1.4527
NE_TARGET = 55.0

TARGET_COLUMNS = ["ward_code", "indicator_code", "year", "comparator", "target_value",
                  "target_value_high", "unit", "target_text", "source_ref"]
ACTUAL_COLUMNS = ["ward_code", "indicator_code", "period", "value", "value_text",
                  "ward_verdict", "ward_summary", "cutoff_date"]


def target(ward, indicator, comparator, value, text=""):
    return (ward, indicator, 2026, comparator, value, NAN, "", text, "KH 08")


def actual(ward, indicator, period, value, verdict=None, text=None, cutoff=None):
    return (ward, indicator, period, value, text if text is not None else str(value), verdict,
            None, cutoff)


TARGETS = pd.DataFrame([
    target(PL, "budget_revenue", ">=", 357450.0, "357.450"),
    target(PL, "new_enterprises", ">", NE_TARGET, "> 55"),
    target(PL, "health_insurance_coverage", ">=", 95.5, "95,5"),
    target(PL, "poor_households", "=", 0.0, "0"),
    target(PL, "public_investment_disbursement", ">=", 100.0, "100%"),
    target(PL, "standard_schools", ">=", 5.0, "5"),
    target(PL, "admin_reform_rank", "top", 30.0, "Thuộc топ 30"),
    target(PL, "innovation_promotion", "qualitative", NAN, "Thúc đẩy"),
    target(PL, "income_growth", "relative", 10.0, "tăng 10% so với năm 2025"),
    target(SILENT, "budget_revenue", ">=", 500000.0),
    target(SILENT, "health_insurance_coverage", ">=", 95.0),
], columns=TARGET_COLUMNS)

OFFICIAL = pd.DataFrame([
    (PL, "budget_revenue", "2026-03", 30262.0, "PL3 KH tháng 3"),
    (PL, "new_enterprises", "2026-03", 5.0, "PL3 KH tháng 3"),
    (PL, "health_insurance_coverage", "2026-03", 95.1, "PL3 KH tháng 3"),
    (PL, "public_investment_disbursement", "2026-03", 15.0, "PL3 KH tháng 3"),
], columns=["ward_code", "indicator_code", "period", "planned_value", "source_ref"])

STATEMENTS = pd.DataFrame([
    (PL, "actual", "budget_revenue", "2026-Q1", 105879.0, 45.27, "PL3 tóm tắt"),
    (PL, "actual", "public_investment_disbursement", "2026-Q1", 27.68, 2.68, "PL3 tóm tắt"),
], columns=["ward_code", "statement_kind", "indicator_code", "period", "value",
            "stated_over_scenario_pct", "source_ref"])

JAN_21 = dt.date(2026, 1, 21)
ACTUALS = pd.DataFrame([
    actual(PL, "budget_revenue", "2026-01", 20684.0, cutoff=JAN_21),
    actual(PL, "budget_revenue", "2026-03", 30262.0),
    actual(PL, "budget_revenue", "2026-Q1", 105879.0, "Vượt"),
    actual(PL, "new_enterprises", "2026-01", NAN, text="Đang thực hiện"),
    actual(PL, "new_enterprises", "2026-03", 5.0),
    actual(PL, "new_enterprises", "2026-Q1", 5.0, "Đạt"),
    actual(PL, "health_insurance_coverage", "2026-Q1", 95.1, "Đạt"),
    actual(PL, "poor_households", "2026-Q1", 0.0, "Đạt"),
    actual(PL, "public_investment_disbursement", "2026-Q1", 27.68, "Vượt"),
    actual(PL, "standard_schools", "2026-Q1", 3.0, "Đang thực hiện"),
    actual(PL, "innovation_promotion", "2026-Q1", NAN, "Đạt", text="Đã tổ chức 2 hội thảo"),
], columns=ACTUAL_COLUMNS)

WARDS = pd.DataFrame([(PL, "Phù Liễn"), (SILENT, "Kiến An")], columns=["ward_code", "name_vi"])


def run(actuals=ACTUALS, targets=TARGETS, official=OFFICIAL, bands=BANDS, scenario=None,
        flags=None, statements=STATEMENTS):
    if scenario is None:
        scenario = build_scenario(INDICATORS, targets, official, 2026, statements=statements,
                                  actuals=actuals).frame
    return compute_status(INDICATORS, targets, actuals, scenario, WARDS, bands, 2026, flags)


@pytest.fixture(scope="module")
def status() -> pd.DataFrame:
    return run()


def row(frame: pd.DataFrame, indicator: str, as_of: str, ward: str = PL):
    match = frame[(frame["ward_code"] == ward) & (frame["indicator_code"] == indicator)
                  & (frame["as_of"] == as_of)]
    assert len(match) == 1
    return match.iloc[0]


def scenario_rows(*rows: tuple) -> pd.DataFrame:
    """A hand-made scenario: (indicator, period, value, origin)."""
    shares = {"official": (100, 0, 0), "implied": (0, 100, 0), "derived": (0, 0, 100)}
    return pd.DataFrame([(PL, i, p, v, o, *shares[o], "") for i, p, v, o in rows],
                        columns=["ward_code", "indicator_code", "period", "planned_value", "origin",
                                 "share_official", "share_implied", "share_derived", "source_ref"])


# --- shape -----------------------------------------------------------------

def test_one_row_per_ward_indicator_period_with_the_agreed_columns(status):
    assert list(status.columns) == STATUS_COLUMNS
    assert len(status) == 11 * 17


def test_rows_are_sorted_by_ward_indicator_and_period(status):
    first = status[(status["ward_code"] == PL) & (status["indicator_code"] == "budget_revenue")]
    assert list(first["as_of"])[:5] == ["2026-01", "2026-02", "2026-03", "2026-Q1", "2026-04"]
    assert list(first["as_of"])[-1] == "2026"
    assert status["ward_code"].iloc[0] == SILENT


def test_rows_framed_a_few_at_a_time_are_the_table_framed_at_once(status, monkeypatch):
    """compute_status frames its rows a few thousand at a time: the stacked pieces, ending
    exactly at a ward or not, are the same table with the same column types."""
    from wardplan.rules import status as rules

    monkeypatch.setattr(rules, "_ROWS_PER_FRAME", 17 * 11)  # exactly one ward per frame
    pd.testing.assert_frame_equal(run(), status, check_exact=True)
    monkeypatch.setattr(rules, "_ROWS_PER_FRAME", 5)
    pd.testing.assert_frame_equal(run(), status, check_exact=True)


# --- the ward's own scenario first -------------------------------------------

def test_q1_revenue_is_judged_on_the_scenario_the_ward_implied(status):
    q1 = row(status, "budget_revenue", "2026-Q1")
    assert q1.actual_to_date == 105879.0 and q1.actual_period == "2026-Q1"
    assert q1.scenario_to_date == pytest.approx(REVENUE_Q1_IMPLIED)
    assert q1.pct_of_scenario == pytest.approx(145.27)
    assert (q1.status, q1.scenario_origin, q1.provisional) == ("green", "implied", False)
    assert (q1.basis_official_pct, q1.basis_implied_pct, q1.basis_derived_pct) == (0, 100, 0)
    assert "suy từ báo cáo của phường" in q1.note and "khớp kết quả tính" in q1.note


def test_q1_disbursement_uses_the_implied_25_not_the_march_cell(status):
    q1 = row(status, "public_investment_disbursement", "2026-Q1")
    assert q1.scenario_to_date == pytest.approx(25.0)
    assert q1.pct_of_scenario == pytest.approx(110.72)
    assert q1.status == "green" and q1.scenario_origin == "implied"


def test_new_enterprises_march_plan_is_the_quarters_and_agrees_with_the_ward(status):
    q1 = row(status, "new_enterprises", "2026-Q1")
    assert q1.scenario_to_date == pytest.approx(5.0)
    assert (q1.status, q1.scenario_origin, q1.ward_verdict) == ("green", "official", "Đạt")


def test_health_insurance_green_on_its_scenario_but_below_the_annual_target(status):
    q1 = row(status, "health_insurance_coverage", "2026-Q1")
    assert (q1.status, q1.pct_of_scenario, q1.scenario_origin) == ("green", 100.0, "official")
    assert q1.pct_of_target == pytest.approx(95.1 / 95.5 * 100)
    assert "'Đạt'" in q1.note and "chỉ tiêu năm 95,5%" in q1.note


# --- how sure a status is ------------------------------------------------------

def test_january_revenue_is_partial_prorated_and_provisional(status):
    jan = row(status, "budget_revenue", "2026-01")
    month = (REVENUE_Q1_IMPLIED - 30262.0) / 2  # our split of the ward's implied Q1
    assert jan.scenario_to_date == pytest.approx(month * 21 / 31)
    assert jan.cutoff_date == JAN_21
    assert (jan.provisional, jan.scenario_origin, jan.basis_derived_pct) == (True, "derived", 100)
    assert "21/01/2026" in jan.note and "tạm tính" in jan.note


def test_a_verdict_that_differs_states_the_basis_of_both_from_the_figures():
    """Expenditure-like: only March is the ward's; ward says 'Đạt', ours is red."""
    targets = pd.DataFrame([target(PL, "budget_revenue", ">=", 351147.0)], columns=TARGET_COLUMNS)
    official = OFFICIAL[OFFICIAL["indicator_code"] == "budget_revenue"].assign(planned_value=42537.0)
    actuals = pd.DataFrame([actual(PL, "budget_revenue", "2026-03", 42537.0),
                            actual(PL, "budget_revenue", "2026-Q1", 86450.0, "Đạt")],
                           columns=ACTUAL_COLUMNS)
    q1 = row(run(actuals=actuals, targets=targets, official=official,
                 statements=STATEMENTS.iloc[0:0]), "budget_revenue", "2026-Q1")
    assert q1.status == "red" and q1.provisional
    assert ("thực hiện Tháng 3/2026 42.537 triệu đồng bằng 100% kịch bản Tháng 3/2026 của phường"
            in q1.note)
    assert "do hệ thống phân bổ" in q1.note
    assert "nhiều khả năng" not in q1.note


# --- no judgement without a report -------------------------------------------

@pytest.mark.parametrize("as_of", ["2026-04", "2026-06", "2026-Q3", "2026-11"])
def test_after_the_last_report_the_last_status_is_carried_with_its_period(status, as_of):
    for indicator in ("budget_revenue", "public_investment_disbursement",
                      "health_insurance_coverage", "new_enterprises"):
        q1, later = row(status, indicator, "2026-Q1"), row(status, indicator, as_of)
        assert later.status == q1.status, indicator
        assert later.pct_of_scenario == pytest.approx(q1.pct_of_scenario)
        assert later.carried and later.actual_period == "2026-Q1"
        assert later.note.startswith("Chưa có báo cáo kỳ ")


def test_february_without_a_report_carries_january(status):
    feb = row(status, "budget_revenue", "2026-02")
    assert feb.carried and feb.actual_period == "2026-01"
    assert feb.status == row(status, "budget_revenue", "2026-01").status


def test_nothing_turns_red_only_because_time_passes(status):
    for (ward, indicator), group in status.groupby(["ward_code", "indicator_code"]):
        reported = group[~group["carried"].astype(bool)]
        for later in group[group["carried"].astype(bool)].itertuples():
            if later.status in ("red", "amber"):
                basis = reported[reported["actual_period"] == later.actual_period]
                assert set(basis["status"]) == {later.status}, (ward, indicator, later.as_of)


def test_placeholder_values_are_not_figures(status):
    jan = row(status, "new_enterprises", "2026-01")
    assert jan.status == "grey" and jan.status_reason == "no_figure"
    assert "Thiếu số liệu tháng 01" in jan.note


def test_ward_saying_not_met_while_on_track_is_explained():
    actuals = pd.DataFrame([actual(PL, "budget_revenue", "2026-Q1", 105879.0, "Không đạt")],
                           columns=ACTUAL_COLUMNS)
    q1 = row(run(actuals=actuals), "budget_revenue", "2026-Q1")
    assert q1.status == "green"
    assert "'Không đạt'" in q1.note and "chỉ tiêu năm" in q1.note


# --- no figure with a known error judged --------------------------------------

def test_an_error_on_the_target_makes_every_period_grey():
    findings = pd.DataFrame([(PL, "budget_revenue", "2026-01", "error", "unit_slip",
                              "plan written in đồng", "ref", "target")],
                            columns=["ward_code", "indicator_code", "period", "severity",
                                     "check_code", "message", "source_ref", "flagged_figure"])
    result = run(flags=Flags.from_findings(findings))
    rows = result[(result["ward_code"] == PL) & (result["indicator_code"] == "budget_revenue")]
    assert set(rows["status"]) == {"grey"} and set(rows["status_reason"]) == {"data_error"}
    assert rows["pct_of_scenario"].isna().all()
    assert "plan written in đồng" in rows.iloc[0]["note"]


def test_an_error_on_one_figure_greys_the_periods_that_use_it():
    findings = pd.DataFrame([(PL, "budget_revenue", "2026-01", "error", "negative_amount",
                              "âm", "ref", "actual")],
                            columns=["ward_code", "indicator_code", "period", "severity",
                                     "check_code", "message", "source_ref", "flagged_figure"])
    result = run(flags=Flags.from_findings(findings))
    assert row(result, "budget_revenue", "2026-01").status_reason == "data_error"
    assert row(result, "budget_revenue", "2026-Q1").status == "green"  # the Q1 figure is fine


def test_warnings_do_not_stop_a_status():
    findings = pd.DataFrame([(PL, "budget_revenue", "2026-Q1", "warning", "table_vs_text",
                              "x", "ref", None)],
                            columns=["ward_code", "indicator_code", "period", "severity",
                                     "check_code", "message", "source_ref", "flagged_figure"])
    assert row(run(flags=Flags.from_findings(findings)), "budget_revenue", "2026-Q1").status == "green"


# --- year-end outlook ------------------------------------------------------------

def test_outlook_of_q1_revenue_on_the_wards_scenario(status):
    q1 = row(status, "budget_revenue", "2026-Q1")
    assert q1.outlook_method == "scenario_pace"
    assert q1.outlook_value == pytest.approx(1.4527 * 357450, rel=1e-3)
    assert q1.outlook_low == pytest.approx(105879 / 3 * 12)
    assert q1.on_course
    assert "Dự báo cuối năm" in q1.note


def test_outlook_of_a_provisional_status_uses_the_run_rate():
    targets = pd.DataFrame([target(PL, "budget_revenue", ">=", 351147.0)], columns=TARGET_COLUMNS)
    official = OFFICIAL[OFFICIAL["indicator_code"] == "budget_revenue"].assign(planned_value=42537.0)
    actuals = pd.DataFrame([actual(PL, "budget_revenue", "2026-Q1", 86450.0)], columns=ACTUAL_COLUMNS)
    q1 = row(run(actuals=actuals, targets=targets, official=official,
                 statements=STATEMENTS.iloc[0:0]), "budget_revenue", "2026-Q1")
    assert q1.outlook_method == "run_rate"
    assert q1.outlook_value == pytest.approx(86450 / 3 * 12)


def test_behind_the_scenario_but_on_course_says_so():
    # A front-loaded derived scenario: behind it in January, yet the run rate beats the target.
    scenario = scenario_rows(("budget_revenue", "2026-01", 60000.0, "derived"))
    actuals = pd.DataFrame([actual(PL, "budget_revenue", "2026-01", 50000.0)], columns=ACTUAL_COLUMNS)
    jan = row(run(actuals=actuals, scenario=scenario), "budget_revenue", "2026-01")
    assert jan.status == "red" and jan.on_course and jan.outlook_method == "run_rate"
    assert "vẫn đạt chỉ tiêu năm" in jan.note


# --- other numeric kinds ---------------------------------------------------

def test_poor_households_lower_direction_zero_is_full_achievement(status):
    q1 = row(status, "poor_households", "2026-Q1")
    assert (q1.actual_to_date, q1.pct_of_scenario, q1.pct_of_target) == (0.0, 100.0, 100.0)
    assert q1.status == "green"


def test_milestone_waits_for_year_end_then_turns_red(status):
    q1 = row(status, "standard_schools", "2026-Q1")
    assert q1.status == "grey" and q1.status_reason == "not_due"
    assert "Chỉ tiêu đánh giá khi hoàn thành (cuối năm)" in q1.note
    assert q1.pct_of_target == pytest.approx(60.0)
    # Not reached by the Q1 report is not "missed": without a year-end figure it stays grey.
    assert row(status, "standard_schools", "2026-12").status_reason == "no_figure"
    year_end = pd.concat([ACTUALS, pd.DataFrame([actual(PL, "standard_schools", "2026", 4.0)],
                                                columns=ACTUAL_COLUMNS)])
    assert row(run(actuals=year_end), "standard_schools", "2026").status == "red"


def test_milestone_is_green_once_reached():
    actuals = pd.concat([ACTUALS, pd.DataFrame([actual(PL, "standard_schools", "2026-06", 5.0)],
                                               columns=ACTUAL_COLUMNS)])
    result = run(actuals=actuals)
    assert row(result, "standard_schools", "2026-06").status == "green"
    assert row(result, "standard_schools", "2026-05").status == "grey"


# --- verdict-only and relative targets -------------------------------------

def test_qualitative_follows_the_wards_verdict(status):
    q1 = row(status, "innovation_promotion", "2026-Q1")
    assert (q1.status, q1.ward_verdict) == ("green", "Đạt")
    assert "tự đánh giá của phường" in q1.note
    assert row(status, "innovation_promotion", "2026-02").status_reason == "no_verdict"


def test_qualitative_not_met_is_red():
    actuals = pd.DataFrame([actual(PL, "innovation_promotion", "2026-Q1", NAN, "Không đạt")],
                           columns=ACTUAL_COLUMNS)
    assert row(run(actuals=actuals), "innovation_promotion", "2026-Q1").status == "red"


def test_rank_without_data_is_grey(status):
    q1 = row(status, "admin_reform_rank", "2026-Q1")
    assert q1.status == "grey" and q1.ward_verdict is None
    assert math.isnan(q1.actual_to_date)


def test_relative_target_is_grey_with_explanation(status):
    q1 = row(status, "income_growth", "2026-Q1")
    assert q1.status == "grey" and q1.status_reason == "no_base"
    assert "Chỉ tiêu tương đối (tăng 10% so với năm 2025)" in q1.note


def test_ward_without_report_is_grey_everywhere(status):
    silent = status[status["ward_code"] == SILENT]
    assert len(silent) == 2 * 17
    assert set(silent["status"]) == {"grey"} and set(silent["status_reason"]) == {"no_report"}
    assert status_label_vi("grey", "no_report") == "Chưa có báo cáo"


# --- bands -----------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (100.0, "green"), (120.0, "green"), (90.0, "amber"), (99.99, "amber"), (89.99, "red"),
])
def test_band_edges(value, expected):
    scenario = scenario_rows(("health_insurance_coverage", "2026-03", 100.0, "official"))
    actuals = pd.DataFrame([actual(PL, "health_insurance_coverage", "2026-03", value)],
                           columns=ACTUAL_COLUMNS)
    result = run(actuals=actuals, scenario=scenario)
    assert row(result, "health_insurance_coverage", "2026-03").status == expected


def test_float_noise_does_not_push_an_exact_match_below_green():
    # Sums of derived months carry float noise: 0.1 + 0.2 != 0.3.
    scenario = scenario_rows(("health_insurance_coverage", "2026-03", 0.1 + 0.2, "official"))
    actuals = pd.DataFrame([actual(PL, "health_insurance_coverage", "2026-03", 0.3)],
                           columns=ACTUAL_COLUMNS)
    result = row(run(actuals=actuals, scenario=scenario), "health_insurance_coverage", "2026-03")
    assert result.status == "green"


def test_band_edge_is_not_hidden_by_rounding_in_the_note():
    scenario = scenario_rows(("health_insurance_coverage", "2026-03", 100.0, "official"))
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
    scenario = scenario_rows(("health_insurance_coverage", "2026-03", 100.0, "official"))
    actuals = pd.DataFrame([actual(PL, "health_insurance_coverage", "2026-03", 115.0)],
                           columns=ACTUAL_COLUMNS)
    q1 = row(run(actuals=actuals, scenario=scenario, bands=bands), "health_insurance_coverage",
             "2026-03")
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
    scenario = scenario_rows(("poor_households", "2026-03", 12.0, "official"))
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
    assert settings.scenario_rule == "pattern"


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
