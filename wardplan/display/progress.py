"""A ward's progress: the monthly series behind the core chart, the bullet rows,
the targets as written."""

from __future__ import annotations

import math

import pandas as pd

from wardplan.display.format import COMPARATOR_LABELS, target_value_text
from wardplan.display.styles import STATUS_ORDER, STATUS_RANK
from wardplan.rules import kinds
from wardplan.rules.frames import records
from wardplan.rules.missing import is_missing, is_true, text_or
from wardplan.rules.periods import end_month
from wardplan.rules.scenario import (
    DERIVED,
    IMPLIED,
    NO_SCENARIO,
    OFFICIAL,
    ScenarioToDate,
    scenario_lookup,
    scenario_to_date,
)


def actuals_up_to(series: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """`progress_series` without the actuals reported after `as_of`: a view "as of
    January" must not show March figures even when they exist."""
    frame = series.copy()
    late = frame["month"] > end_month(as_of)
    frame.loc[late, "actual"] = math.nan
    frame.loc[late, "actual_period"] = None
    return frame


def progress_series(history: pd.DataFrame, scenario: pd.DataFrame, year: int,
                    kind: str | None) -> pd.DataFrame:
    """One row per month: the actual to date where the ward reported that month, the
    scenario to date with the origin it mostly rests on, the month's own planned
    value, and the annual target.

    The actual is placed only at months the ward reported: a status carried from
    an earlier report is not a data point.  The scenario's origin at a month is
    that of the whole scenario to date (official, implied, or derived when more
    than half is our phasing), not of that month's piece alone.
    """
    months = list(range(1, 13))
    frame = pd.DataFrame({"month": months})
    codes = {m: f"{year}-{m:02d}" for m in months}
    rows = history.set_index("as_of") if not history.empty else pd.DataFrame()

    def reported(month: int, column: str):
        code = codes[month]
        if rows.empty or code not in rows.index or is_true(rows.at[code, "carried"]):
            return None
        value = rows.at[code, column]
        return None if is_missing(value) else value

    actual, periods = [], []
    for month in months:
        value = reported(month, "actual_to_date")
        actual.append(math.nan if value is None else float(value))
        periods.append(None if value is None else reported(month, "actual_period"))
    frame["actual"] = actual
    frame["actual_period"] = periods
    lookup = scenario_lookup(scenario) if not scenario.empty else {}
    to_date = [scenario_to_date(lookup, kind, year, m) if lookup and kind in kinds.PHASED
               else NO_SCENARIO for m in months]
    frame["scenario"] = [s.value for s in to_date]
    frame["origin"] = [_marker_origin(s) for s in to_date]
    frame["scenario_month"] = [lookup[codes[m]].value if codes[m] in lookup else math.nan
                               for m in months]
    target = history["target_value"].dropna() if not history.empty else pd.Series(dtype=float)
    frame["target"] = float(target.iloc[0]) if not target.empty else math.nan
    return frame


def _marker_origin(to_date: ScenarioToDate) -> str | None:
    if to_date.origin is None:
        return None
    if to_date.provisional:
        return DERIVED
    official, implied, _ = to_date.shares
    return OFFICIAL if official >= implied else IMPLIED


_BULLET_COLUMNS = ["indicator_code", "indicator_name", "unit", "kind", "status", "status_reason",
                   "pct_of_target", "scenario_pct_of_target", "actual_period", "provisional",
                   "carried"]


def bullet_rows(ward_status: pd.DataFrame) -> pd.DataFrame:
    """Per indicator with a figure and a target: actual and scenario-to-date as % of
    target, slowest first (by status, then % of target).  Chosen and ordered in Python
    and taken once: a ward's thirty rows cost pandas' dropna, copy and sort 3 ms, on
    every unit's first view of its progress page."""
    if ward_status.empty:
        return pd.DataFrame(columns=_BULLET_COLUMNS)
    pct, status = ward_status["pct_of_target"].tolist(), ward_status["status"].tolist()
    last = len(STATUS_ORDER)
    kept = sorted((i for i, v in enumerate(pct) if not is_missing(v)),
                  key=lambda i: (STATUS_RANK.get(status[i], last), pct[i]))
    if not kept:
        return pd.DataFrame(columns=_BULLET_COLUMNS)
    chosen = ward_status.take(kept)
    chosen["indicator_name"] = chosen["indicator_name"].fillna(chosen["indicator_code"])
    chosen["scenario_pct_of_target"] = [
        _scenario_share(*values) for values in zip(
            chosen["scenario_to_date"].tolist(), chosen["target_value"].tolist(),
            chosen["direction"].tolist(), strict=True)]
    return chosen[_BULLET_COLUMNS].reset_index(drop=True)


def _scenario_share(scenario_to_date, target_value, direction) -> float:
    """The scenario to date as % of the annual target (inverted where lower is better)."""
    if is_missing(scenario_to_date) or is_missing(target_value) or target_value == 0:
        return math.nan
    if direction == "lower":
        return math.nan if scenario_to_date == 0 else target_value / scenario_to_date * 100
    return scenario_to_date / target_value * 100


def summary_rows(ward_status: pd.DataFrame) -> pd.DataFrame:
    """`bullet_rows` plus each indicator's `kind`: charts show milestones, which are
    judged at year end, as "đánh giá cuối năm" instead of a bar at 0 %."""
    rows = bullet_rows(ward_status)
    kind = (dict(zip(ward_status["indicator_code"], ward_status["kind"], strict=True))
            if "kind" in ward_status else {})
    return rows.assign(kind=rows["indicator_code"].map(kind))


def targets_view(targets: pd.DataFrame) -> pd.DataFrame:
    """A ward's targets as the plan wrote them, for wards without a report too."""
    return pd.DataFrame({
        "Chỉ tiêu": targets["indicator_name"].fillna(targets["indicator_code"]),
        "Chỉ tiêu kế hoạch (nguyên văn)": targets["target_text"].map(text_or),
        "So sánh": targets["comparator"].map(lambda c: COMPARATOR_LABELS.get(c, text_or(c))),
        "Giá trị": [target_value_text(r) for r in records(targets)],
        "Đơn vị": targets["unit"].map(text_or),
        "Nguồn": targets["source_ref"].map(text_or),
    })
