"""Every read the dashboard and the exports make, as named functions over the public views.

Each function takes a `wardplan.reads.db.Database` and returns a DataFrame (or a
list).  Filters are keyword arguments, each optional: one query serves a page
(one ward, one period), an indicator's history (one ward and indicator) and a
meeting export (a list of wards).  Values are always bound parameters; the
column lists come from `wardplan.reads.tables`.  Nothing here knows about
Streamlit, so tests and the exports call these directly; the app caches them
on the database generation (`ui/data.py`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from wardplan.reads.db import Database
from wardplan.reads.tables import select_list
from wardplan.rules.scenario import sort_by_period

# A filter that is NULL matches everything; typed, so DuckDB can bind a NULL list.
_WARD = "($ward::VARCHAR IS NULL OR {alias}ward_code = $ward)"
_WARDS = "($wards::VARCHAR[] IS NULL OR list_contains($wards, {alias}ward_code))"
_INDICATOR = "($indicator::VARCHAR IS NULL OR {alias}indicator_code = $indicator)"


def _where(alias: str, *clauses: str) -> str:
    prefix = f"{alias}." if alias else ""
    return " AND ".join(c.format(alias=prefix) for c in clauses)


def _filters(ward: str | None, wards: Sequence[str] | None, indicator: str | None = None) -> dict:
    return {"ward": ward, "wards": list(wards) if wards is not None else None,
            "indicator": indicator}


# --- catalogue and plans ---------------------------------------------------------

def wards(db: Database) -> pd.DataFrame:
    return db.query(f"SELECT {select_list('v_wards')} FROM v_wards ORDER BY ward_code")


def plans(db: Database) -> pd.DataFrame:
    """One row per ward × plan year loaded."""
    return db.query(f"SELECT {select_list('v_plans')} FROM v_plans ORDER BY plan_year, ward_code")


def plan_years(db: Database) -> list[int]:
    """The plan years the database holds (each ward's workbook declares its own)."""
    frame = db.query("SELECT DISTINCT plan_year FROM v_plans ORDER BY plan_year")
    return [int(y) for y in frame["plan_year"]]


def indicators(db: Database) -> pd.DataFrame:
    return db.query(f"SELECT {select_list('v_indicators')} FROM v_indicators ORDER BY indicator_code")


def actual_periods(db: Database) -> list[str]:
    """Periods for which any ward reported at least one figure."""
    frame = db.query("SELECT DISTINCT period FROM v_actuals WHERE value IS NOT NULL")
    return frame["period"].tolist()


def load_files(db: Database) -> pd.DataFrame:
    return db.query(f"SELECT {select_list('v_load_files')} FROM v_load_files ORDER BY file")


def build_settings(db: Database) -> dict:
    """The bands and scenario rule the statuses in this database were computed with."""
    frame = db.query(f"SELECT {select_list('v_build')} FROM v_build")
    return frame.iloc[0].to_dict()


# --- status --------------------------------------------------------------------

STATUS_SQL = f"""
SELECT {select_list('v_status', 's')}, w.name_vi AS ward_name, w.has_report,
       i.name_vi AS indicator_name, i.unit, i.kind, i.direction, i.group_vi, i.parent_code
FROM v_status s
JOIN v_wards w USING (ward_code)
LEFT JOIN v_indicators i USING (indicator_code)
WHERE ($as_of::VARCHAR IS NULL OR s.as_of = $as_of)
  AND {_where('s', _WARD, _WARDS, _INDICATOR)}
ORDER BY s.ward_code, s.indicator_code, s.as_of
"""


def status(db: Database, *, as_of: str | None = None, ward: str | None = None,
           wards: Sequence[str] | None = None, indicator: str | None = None) -> pd.DataFrame:
    """Status rows with ward and indicator names; every filter optional.

    `status(db, as_of=…)` is the board; `status(db, ward=…, indicator=…)` one
    indicator's year; `status(db, wards=[…])` an export's selection.
    """
    params = {"as_of": as_of, **_filters(ward, wards, indicator)}
    frame = db.query(STATUS_SQL, params)
    # Period codes do not sort as text ("2026" before "2026-01", "2026-Q1" after "2026-12").
    return frame if as_of is not None else sort_by_period(frame, "as_of")


# --- figures -------------------------------------------------------------------------

TARGETS_SQL = f"""
SELECT {select_list('v_targets', 't')}, i.name_vi AS indicator_name, w.name_vi AS ward_name
FROM v_targets t
JOIN v_wards w USING (ward_code)
LEFT JOIN v_indicators i USING (indicator_code)
WHERE ($year::INTEGER IS NULL OR t.year = $year) AND {_where('t', _WARD, _WARDS, _INDICATOR)}
ORDER BY t.ward_code, i.group_vi, t.indicator_code, t.year
"""


def targets(db: Database, *, year: int | None = None, ward: str | None = None,
            wards: Sequence[str] | None = None, indicator: str | None = None) -> pd.DataFrame:
    return db.query(TARGETS_SQL, {"year": year, **_filters(ward, wards, indicator)})


def _by_ward_indicator(view: str, order: str):
    sql = (f"SELECT {select_list(view)} FROM {view} WHERE {_where('', _WARD, _WARDS, _INDICATOR)} "
           f"ORDER BY {order}")

    def read(db: Database, *, ward: str | None = None, wards: Sequence[str] | None = None,
             indicator: str | None = None) -> pd.DataFrame:
        return db.query(sql, _filters(ward, wards, indicator))

    read.__name__ = view.removeprefix("v_")
    read.__doc__ = f"Rows of {view}; every filter optional."
    return read


actuals = _by_ward_indicator("v_actuals", "ward_code, indicator_code, period")
scenario = _by_ward_indicator("v_scenario", "ward_code, indicator_code, period")
baselines = _by_ward_indicator("v_baselines", "ward_code, indicator_code, period")
statements = _by_ward_indicator("v_statements",
                                "ward_code, indicator_code, statement_kind DESC, period")

PLANNED_SQL = f"""
SELECT ward_code, indicator_code, period, planned_value, origin
FROM v_scenario
WHERE {_where('', _WARD, _WARDS, _INDICATOR)}
ORDER BY ward_code, indicator_code, period
"""


def planned(db: Database, *, ward: str | None = None, wards: Sequence[str] | None = None,
            indicator: str | None = None) -> pd.DataFrame:
    """`scenario` without its shares and references: the planned value and origin of each
    period, for a table of a whole city (the references are most of what a read holds)."""
    return db.query(PLANNED_SQL, _filters(ward, wards, indicator))


SOURCES_SQL = f"""
SELECT {select_list('v_sources')}
FROM v_sources
WHERE {_where('', _WARD, _WARDS)}
ORDER BY ward_code, plan_year, source_code
"""


def sources(db: Database, *, ward: str | None = None,
            wards: Sequence[str] | None = None) -> pd.DataFrame:
    return db.query(SOURCES_SQL, {"ward": ward, "wards": list(wards) if wards is not None else None})


WARD_INDICATORS_SQL = f"""
SELECT ward_code, indicator_code FROM v_targets WHERE year = $year AND {_where('', _WARD)}
UNION
SELECT ward_code, indicator_code FROM v_actuals
WHERE period LIKE $year::VARCHAR || '%' AND {_where('', _WARD)}
ORDER BY ward_code, indicator_code
"""

WARD_INDICATORS_WITH_ACTUALS_SQL = f"""
SELECT DISTINCT ward_code, indicator_code
FROM v_actuals
WHERE value IS NOT NULL AND period LIKE $year::VARCHAR || '%' AND {_where('', _WARD)}
ORDER BY ward_code, indicator_code
"""


def ward_indicators(db: Database, *, year: int, ward: str | None = None) -> pd.DataFrame:
    """(ward_code, indicator_code): the indicators each ward planned for or reported on in
    a plan year; `ward` optional."""
    return db.query(WARD_INDICATORS_SQL, {"ward": ward, "year": year})


def ward_indicators_with_actuals(db: Database, *, year: int,
                                 ward: str | None = None) -> pd.DataFrame:
    """(ward_code, indicator_code): the indicators for which each ward reported at least
    one figure in a plan year; `ward` optional."""
    return db.query(WARD_INDICATORS_WITH_ACTUALS_SQL, {"ward": ward, "year": year})


# --- comparison ------------------------------------------------------------------

SHARED_TARGETS_SQL = f"""
WITH shared AS (
    SELECT indicator_code
    FROM v_targets
    WHERE year = $year
    GROUP BY indicator_code
    HAVING count(DISTINCT ward_code) >= $min_wards
)
SELECT {select_list('v_targets', 't')}, w.name_vi AS ward_name, i.name_vi AS indicator_name,
       i.unit AS indicator_unit, i.group_vi
FROM v_targets t
JOIN shared USING (indicator_code)
JOIN v_wards w USING (ward_code)
LEFT JOIN v_indicators i USING (indicator_code)
WHERE t.year = $year
ORDER BY i.group_vi, t.indicator_code, t.ward_code
"""


def shared_targets(db: Database, year: int, min_wards: int = 2) -> pd.DataFrame:
    """Targets of the indicators that at least `min_wards` wards plan for in a year."""
    return db.query(SHARED_TARGETS_SQL, {"year": year, "min_wards": min_wards})


SHARED_INDICATORS_SQL = """
SELECT t.indicator_code, any_value(i.name_vi) AS indicator_name,
       count(DISTINCT t.ward_code) AS wards
FROM v_targets t
LEFT JOIN v_indicators i USING (indicator_code)
WHERE t.year = $year
GROUP BY t.indicator_code
HAVING count(DISTINCT t.ward_code) >= $min_wards
ORDER BY t.indicator_code
"""


def shared_indicators(db: Database, year: int, min_wards: int = 2) -> pd.DataFrame:
    """The indicators at least `min_wards` wards plan for in a year, with how many do
    (one row each: what a picker needs, not every ward's target)."""
    return db.query(SHARED_INDICATORS_SQL, {"year": year, "min_wards": min_wards})


# --- data quality ------------------------------------------------------------------

DATA_ISSUES_SQL = f"""
SELECT {select_list('v_data_issues', 'd')}, w.name_vi AS ward_name, i.name_vi AS indicator_name
FROM v_data_issues d
JOIN v_wards w USING (ward_code)
LEFT JOIN v_indicators i USING (indicator_code)
WHERE {_where('d', _WARD, _WARDS, _INDICATOR)}
ORDER BY d.ward_code, d.indicator_code, d.period
"""


def data_issues(db: Database, *, ward: str | None = None, wards: Sequence[str] | None = None,
                indicator: str | None = None) -> pd.DataFrame:
    """Data-quality findings with ward and indicator names; every filter optional."""
    return db.query(DATA_ISSUES_SQL, _filters(ward, wards, indicator))


# --- tasks and projects ---------------------------------------------------------------

TASKS_SQL = f"""
SELECT {select_list('v_tasks')} FROM v_tasks
WHERE ($year::INTEGER IS NULL OR plan_year = $year) AND {_where('', _WARD, _WARDS)}
"""

PROJECTS_SQL = f"""
SELECT {select_list('v_projects')} FROM v_projects
WHERE ($year::INTEGER IS NULL OR plan_year = $year) AND {_where('', _WARD, _WARDS)}
"""


def tasks(db: Database, *, year: int | None = None, ward: str | None = None,
          wards: Sequence[str] | None = None) -> pd.DataFrame:
    """Task rows in the workbook's order; every filter optional."""
    return db.query(TASKS_SQL, {"year": year, "ward": ward,
                                 "wards": list(wards) if wards is not None else None})


def projects(db: Database, *, year: int | None = None, ward: str | None = None,
             wards: Sequence[str] | None = None) -> pd.DataFrame:
    """Project rows in the workbook's order (group, project, its components); every filter
    optional."""
    return db.query(PROJECTS_SQL, {"year": year, "ward": ward,
                                    "wards": list(wards) if wards is not None else None})


# --- submissions and history ---------------------------------------------------------

revisions = _by_ward_indicator("v_revisions",
                               "ward_code, indicator_code, period, submitted_at NULLS FIRST")

SUBMISSIONS_SQL = f"""
SELECT {select_list('v_submissions', 's')}, w.name_vi AS ward_name
FROM v_submissions s LEFT JOIN v_wards w USING (ward_code)
WHERE {_where('s', _WARD, _WARDS)}
ORDER BY s.submitted_at DESC, s.submission_id DESC NULLS LAST
"""


def submissions(db: Database, *, ward: str | None = None,
                wards: Sequence[str] | None = None) -> pd.DataFrame:
    """Ledger events and refused uploads, newest first, with ward names."""
    return db.query(SUBMISSIONS_SQL, {"ward": ward,
                                      "wards": list(wards) if wards is not None else None})


REPORTING_SQL = """
SELECT w.ward_code, w.name_vi AS ward_name, w.unit_type_vi,
       EXISTS (SELECT 1 FROM v_actuals a WHERE a.ward_code = w.ward_code
               AND a.period = $period) AS reported,
       (SELECT max(s.submitted_at) FROM v_submissions s WHERE s.ward_code = w.ward_code
               AND s.outcome = 'accepted' AND s.kind <> 'revert') AS last_submitted_at,
       (SELECT arg_max(s.submitted_by, s.submitted_at) FROM v_submissions s
               WHERE s.ward_code = w.ward_code AND s.outcome = 'accepted'
               AND s.kind <> 'revert') AS last_submitted_by
FROM v_wards w
ORDER BY w.ward_code
"""


def reporting(db: Database, period: str) -> pd.DataFrame:
    """Per ward: whether it reported any figure for `period`, and its last submission."""
    return db.query(REPORTING_SQL, {"period": period})


SUBMISSION_FINDINGS_SQL = """
SELECT s.submission_id, s.ward_code, s.period AS submitted_period, s.file_name,
       s.submitted_by, s.submitted_at, s.outcome,
       d.indicator_code, d.period, d.severity, d.message, d.source_ref
FROM v_submissions s
JOIN v_data_issues d
  ON d.ward_code = s.ward_code AND strpos(d.source_ref, '[nộp #' || s.submission_id || ' (') > 0
WHERE s.submission_id IS NOT NULL
ORDER BY s.submission_id DESC, d.severity, d.indicator_code, d.period
"""


def submission_findings(db: Database) -> pd.DataFrame:
    """Data-quality findings on figures that came from a submitted file, by submission."""
    return db.query(SUBMISSION_FINDINGS_SQL)
