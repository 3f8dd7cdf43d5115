"""Every read the dashboard makes, as named functions over the public views.

Each function takes a `wardplan.reads.db.Database` and returns a DataFrame.  Values
are always bound parameters; no SQL here is assembled from user input.  The
functions know nothing about Streamlit, so tests and the exports call them
directly; the app caches them on the database generation (see `ui/data.py`).
"""

from __future__ import annotations

import pandas as pd

from wardplan.reads.db import Database

# --- catalogue -----------------------------------------------------------------

WARDS_SQL = """
SELECT ward_code, name_vi, unit_type_vi, has_workbook, has_report
FROM v_wards
ORDER BY ward_code
"""

INDICATORS_SQL = """
SELECT indicator_code, name_vi, unit, direction, kind, group_vi, parent_code
FROM v_indicators
ORDER BY indicator_code
"""

ACTUAL_PERIODS_SQL = """
SELECT DISTINCT period
FROM v_actuals
WHERE value IS NOT NULL
"""

LOAD_FILES_SQL = """
SELECT file, sha256, size_bytes, rows_loaded, loaded_at
FROM v_load_files
ORDER BY file
"""

SOURCES_SQL = """
SELECT ward_code, source_code, title_vi, doc_number, doc_date, original_file, number_convention
FROM v_sources
WHERE ward_code = $ward
ORDER BY source_code
"""


BUILD_SQL = """
SELECT green_min_pct, amber_min_pct, scenario_rule
FROM v_build
"""


def build_info(db: Database) -> pd.DataFrame:
    """The status bands and scenario rule the database was built with (one row)."""
    return db.query(BUILD_SQL)


def wards(db: Database) -> pd.DataFrame:
    return db.query(WARDS_SQL)


def indicators(db: Database) -> pd.DataFrame:
    return db.query(INDICATORS_SQL)


def actual_periods(db: Database) -> list[str]:
    """Periods for which any ward reported at least one figure."""
    return db.query(ACTUAL_PERIODS_SQL)["period"].tolist()


def load_files(db: Database) -> pd.DataFrame:
    return db.query(LOAD_FILES_SQL)


def sources(db: Database, ward: str) -> pd.DataFrame:
    return db.query(SOURCES_SQL, {"ward": ward})


# --- status --------------------------------------------------------------------

_STATUS_COLUMNS = """
    s.ward_code, w.name_vi AS ward_name, w.has_report,
    s.indicator_code, i.name_vi AS indicator_name, i.unit, i.kind, i.direction,
    i.group_vi, i.parent_code,
    s.as_of, s.actual_to_date, s.scenario_to_date, s.target_value,
    s.pct_of_scenario, s.pct_of_target, s.status, s.ward_verdict, s.note,
    s.actual_period, s.scenario_origin
"""

STATUS_AT_SQL = f"""
SELECT {_STATUS_COLUMNS}
FROM v_status s
JOIN v_wards w USING (ward_code)
LEFT JOIN v_indicators i USING (indicator_code)
WHERE s.as_of = $as_of
ORDER BY s.ward_code, s.indicator_code
"""

STATUS_HISTORY_SQL = f"""
SELECT {_STATUS_COLUMNS}
FROM v_status s
JOIN v_wards w USING (ward_code)
LEFT JOIN v_indicators i USING (indicator_code)
WHERE s.ward_code = $ward AND s.indicator_code = $indicator
ORDER BY s.as_of
"""


def status_at(db: Database, as_of: str) -> pd.DataFrame:
    """Status of every ward x indicator at one period, with names and units."""
    return db.query(STATUS_AT_SQL, {"as_of": as_of})


def status_history(db: Database, ward: str, indicator: str) -> pd.DataFrame:
    """Status of one ward x indicator at each of the year's 17 periods."""
    return db.query(STATUS_HISTORY_SQL, {"ward": ward, "indicator": indicator})


# --- figures for one ward (x indicator) --------------------------------------------

TARGETS_SQL = """
SELECT t.ward_code, t.indicator_code, i.name_vi AS indicator_name, t.year, t.comparator,
       t.target_value, t.target_value_high, t.unit, t.target_text, t.name_text, t.item_no,
       t.base_text, t.responsible_vi, t.source_ref
FROM v_targets t
LEFT JOIN v_indicators i USING (indicator_code)
WHERE t.ward_code = $ward
ORDER BY i.group_vi, t.indicator_code
"""

INDICATOR_TARGETS_SQL = """
SELECT t.ward_code, w.name_vi AS ward_name, t.indicator_code, t.year, t.comparator,
       t.target_value, t.target_value_high, t.unit, t.target_text, t.name_text, t.item_no,
       t.base_text, t.responsible_vi, t.source_ref
FROM v_targets t
JOIN v_wards w USING (ward_code)
WHERE t.indicator_code = $indicator
ORDER BY t.ward_code
"""

ACTUALS_SQL = """
SELECT ward_code, indicator_code, period, value, value_text, unit, qualifier, placeholder,
       stated_pct_text, ward_verdict, ward_summary, source_ref
FROM v_actuals
WHERE ward_code = $ward AND indicator_code = $indicator
"""

SCENARIO_SQL = """
SELECT ward_code, indicator_code, period, planned_value, origin, source_ref
FROM v_scenario
WHERE ward_code = $ward AND indicator_code = $indicator
"""

BASELINES_SQL = """
SELECT ward_code, indicator_code, period, value, value_text, unit, source_ref
FROM v_baselines
WHERE ward_code = $ward AND indicator_code = $indicator
ORDER BY period
"""

STATEMENTS_SQL = """
SELECT ward_code, statement_kind, indicator_code, period, value, unit_text, numerator,
       denominator, stated_pct, stated_over_scenario_pct, text, source_ref
FROM v_statements
WHERE ward_code = $ward AND indicator_code = $indicator
ORDER BY statement_kind DESC, period
"""


WARD_INDICATORS_WITH_ACTUALS_SQL = """
SELECT DISTINCT indicator_code
FROM v_actuals
WHERE ward_code = $ward AND value IS NOT NULL
ORDER BY indicator_code
"""

WARD_INDICATORS_SQL = """
SELECT indicator_code FROM v_targets WHERE ward_code = $ward
UNION
SELECT indicator_code FROM v_actuals WHERE ward_code = $ward
ORDER BY indicator_code
"""


def ward_indicators_with_actuals(db: Database, ward: str) -> list[str]:
    """Indicators for which the ward reported at least one figure."""
    return db.query(WARD_INDICATORS_WITH_ACTUALS_SQL, {"ward": ward})["indicator_code"].tolist()


def ward_indicators(db: Database, ward: str) -> list[str]:
    """Indicators the ward planned for or reported on."""
    return db.query(WARD_INDICATORS_SQL, {"ward": ward})["indicator_code"].tolist()


def ward_targets(db: Database, ward: str) -> pd.DataFrame:
    return db.query(TARGETS_SQL, {"ward": ward})


WARD_ACTUAL_SOURCES_SQL = """
SELECT DISTINCT indicator_code, source_ref
FROM v_actuals
WHERE ward_code = $ward AND value IS NOT NULL
"""


def ward_actual_sources(db: Database, ward: str) -> pd.DataFrame:
    """Where each of a ward's reported figures comes from."""
    return db.query(WARD_ACTUAL_SOURCES_SQL, {"ward": ward})


def indicator_targets(db: Database, indicator: str) -> pd.DataFrame:
    """The targets every ward set for one indicator."""
    return db.query(INDICATOR_TARGETS_SQL, {"indicator": indicator})


def actuals(db: Database, ward: str, indicator: str) -> pd.DataFrame:
    return db.query(ACTUALS_SQL, {"ward": ward, "indicator": indicator})


def scenario(db: Database, ward: str, indicator: str) -> pd.DataFrame:
    return db.query(SCENARIO_SQL, {"ward": ward, "indicator": indicator})


def baselines(db: Database, ward: str, indicator: str) -> pd.DataFrame:
    return db.query(BASELINES_SQL, {"ward": ward, "indicator": indicator})


def statements(db: Database, ward: str, indicator: str) -> pd.DataFrame:
    return db.query(STATEMENTS_SQL, {"ward": ward, "indicator": indicator})


# --- comparison ------------------------------------------------------------------

SHARED_TARGETS_SQL = """
WITH shared AS (
    SELECT indicator_code
    FROM v_targets
    GROUP BY indicator_code
    HAVING count(DISTINCT ward_code) >= $min_wards
)
SELECT t.ward_code, w.name_vi AS ward_name, t.indicator_code, i.name_vi AS indicator_name,
       i.unit AS indicator_unit, i.group_vi, t.comparator, t.target_value, t.target_value_high,
       t.unit, t.target_text, t.source_ref
FROM v_targets t
JOIN shared USING (indicator_code)
JOIN v_wards w USING (ward_code)
LEFT JOIN v_indicators i USING (indicator_code)
ORDER BY i.group_vi, t.indicator_code, t.ward_code
"""


def shared_targets(db: Database, min_wards: int = 2) -> pd.DataFrame:
    """Targets of the indicators that at least `min_wards` wards plan for."""
    return db.query(SHARED_TARGETS_SQL, {"min_wards": min_wards})


# --- data quality ------------------------------------------------------------------

DATA_ISSUES_SQL = """
SELECT d.ward_code, w.name_vi AS ward_name, d.indicator_code, i.name_vi AS indicator_name,
       d.period, d.severity, d.message, d.source_ref, d.check_code
FROM v_data_issues d
JOIN v_wards w USING (ward_code)
LEFT JOIN v_indicators i USING (indicator_code)
ORDER BY d.ward_code, d.indicator_code, d.period
"""

INDICATOR_ISSUES_SQL = """
SELECT ward_code, indicator_code, period, severity, message, source_ref, check_code
FROM v_data_issues
WHERE ward_code = $ward AND indicator_code = $indicator
ORDER BY period
"""


def data_issues(db: Database) -> pd.DataFrame:
    """Every data-quality finding of every ward, with ward and indicator names."""
    return db.query(DATA_ISSUES_SQL)


def indicator_issues(db: Database, ward: str, indicator: str) -> pd.DataFrame:
    return db.query(INDICATOR_ISSUES_SQL, {"ward": ward, "indicator": indicator})


# --- tasks and projects ---------------------------------------------------------------

TASKS_SQL = """
SELECT ward_code, task_no, office_vi, task_text, output_vi, partners_vi, deadline_text,
       authority_vi, report_period, progress_text, forecast_text, proposal_text, source_ref
FROM v_tasks
WHERE ward_code = $ward
"""

PROJECTS_SQL = """
SELECT ward_code, group_code, project_no, project_name, row_kind, total_capital_mvnd,
       planned_q1_mvnd, disbursed_march_text, progress_text, forecast_text, proposal_text,
       total_capital_text, planned_q1_text, unit_text, source_ref
FROM v_projects
WHERE ward_code = $ward
"""


def tasks(db: Database, ward: str) -> pd.DataFrame:
    return db.query(TASKS_SQL, {"ward": ward})


def projects(db: Database, ward: str) -> pd.DataFrame:
    """Project rows in the workbook's order (group, project, its components)."""
    return db.query(PROJECTS_SQL, {"ward": ward})


# --- exports
# Bulk reads for the meeting deck, workbook and CLI (exports/): one query per
# view for a whole selection of wards, instead of one per ward x indicator.

EXPORT_STATUS_SQL = f"""
SELECT {_STATUS_COLUMNS}
FROM v_status s
JOIN v_wards w USING (ward_code)
LEFT JOIN v_indicators i USING (indicator_code)
WHERE list_contains($wards, s.ward_code)
ORDER BY s.ward_code, s.indicator_code, s.as_of
"""

EXPORT_TARGETS_SQL = """
SELECT ward_code, indicator_code, year, comparator, target_value, target_value_high, unit,
       target_text, name_text, item_no, base_text, responsible_vi, source_ref
FROM v_targets
WHERE list_contains($wards, ward_code)
ORDER BY ward_code, indicator_code, year
"""

EXPORT_ACTUALS_SQL = """
SELECT ward_code, indicator_code, period, value, value_text, unit, qualifier, placeholder,
       stated_pct_text, ward_verdict, ward_summary, source_ref
FROM v_actuals
WHERE list_contains($wards, ward_code)
ORDER BY ward_code, indicator_code, period
"""

EXPORT_SCENARIO_SQL = """
SELECT ward_code, indicator_code, period, planned_value, origin, source_ref
FROM v_scenario
WHERE list_contains($wards, ward_code)
ORDER BY ward_code, indicator_code, period
"""

EXPORT_SOURCES_SQL = """
SELECT ward_code, source_code, title_vi, doc_number, doc_date, original_file, number_convention
FROM v_sources
WHERE list_contains($wards, ward_code)
ORDER BY ward_code, source_code
"""


def export_status(db: Database, wards: list[str]) -> pd.DataFrame:
    """Status of the wards' indicators at every period, with names and units."""
    return db.query(EXPORT_STATUS_SQL, {"wards": list(wards)})


def export_targets(db: Database, wards: list[str]) -> pd.DataFrame:
    return db.query(EXPORT_TARGETS_SQL, {"wards": list(wards)})


def export_actuals(db: Database, wards: list[str]) -> pd.DataFrame:
    return db.query(EXPORT_ACTUALS_SQL, {"wards": list(wards)})


def export_scenario(db: Database, wards: list[str]) -> pd.DataFrame:
    return db.query(EXPORT_SCENARIO_SQL, {"wards": list(wards)})


def export_sources(db: Database, wards: list[str]) -> pd.DataFrame:
    return db.query(EXPORT_SOURCES_SQL, {"wards": list(wards)})


EXPORT_DATA_ISSUES_SQL = """
SELECT ward_code, indicator_code, period, severity, message, source_ref, check_code
FROM v_data_issues
WHERE list_contains($wards, ward_code)
ORDER BY ward_code, indicator_code, period
"""


def export_data_issues(db: Database, wards: list[str]) -> pd.DataFrame:
    return db.query(EXPORT_DATA_ISSUES_SQL, {"wards": list(wards)})


PLAN_YEARS_SQL = """
SELECT DISTINCT plan_year
FROM v_plans
ORDER BY plan_year
"""


def plan_years(db: Database) -> list[int]:
    """The plan years the database holds (each ward's workbook declares its own)."""
    return [int(y) for y in db.query(PLAN_YEARS_SQL)["plan_year"]]
