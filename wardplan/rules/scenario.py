"""The monthly growth scenario (kịch bản): the annual target phased over the year.

Some wards publish official scenario values for a few months or quarters.  The
dashboard needs a value for every month, so the gaps are filled by a rule
(origin 'derived').  Derived values are never the ward's own figures; every
row says where it came from so notes can tell the two apart.

Phasing rules (linear, the only rule `settings.toml` accepts today):

* flow (amounts summed over time, e.g. budget revenue): the annual target is
  spread evenly over the months.  When some months are official, only the
  *remaining* annual amount (target minus the official months) is spread over
  the other months, so the twelve months still add up to the annual target.
  A ward's official quarter figure is honoured the same way: its months
  without an official value share what the quarter leaves after its official
  months.  A seasonal rule (e.g. more revenue in December) can replace
  `_spread` without touching anything else.
* cumulative_pct (a year-to-date share, e.g. % of the year's capital
  disbursed): linear from 0 at the start of the year to the target in
  December, passing through every official point (straight lines between
  them), so derived months never jump backwards past an official month.
* level (a rate to hold, e.g. insurance coverage): the annual target at every
  month, because a rate's target is a level to reach and keep, not to
  accumulate.

The same rules apply to direction 'lower' indicators.  For 'range' targets
the lower bound is used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from wardplan.rules import kinds
from wardplan.rules.missing import as_float, as_int, as_str
from wardplan.rules.periods import Period, period_from_code, period_sort_key

OFFICIAL = "official"
DERIVED = "derived"
# How every page, chart and export names the two origins.
ORIGIN_LABELS_VI = {OFFICIAL: "chính thức (phường lập)", DERIVED: "suy ra (phân bổ đều)"}

# Comparators whose target_value is not an absolute number to phase.
NON_NUMERIC_COMPARATORS = frozenset({"relative", "qualitative", "top"})

SCENARIO_COLUMNS = ["ward_code", "indicator_code", "period", "planned_value", "origin"]

# --- targets ---------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    value: float  # NaN when the target has no absolute number
    comparator: str
    text: str
    unit: str

    @property
    def usable(self) -> bool:
        return is_usable_target(self.comparator, self.value)


def is_usable_target(comparator: object, value: object) -> bool:
    """True when the target is an absolute number a scenario can be built from."""
    return comparator not in NON_NUMERIC_COMPARATORS and _is_number(value)


def pick_targets(targets: pd.DataFrame, year: int) -> dict[tuple[str, str], Target]:
    """One target per (ward_code, indicator_code) for `year`.

    A plan can state the same indicator twice (e.g. in prose and in an
    appendix); the first row with a usable number wins, else the first row.
    """
    picked: dict[tuple[str, str], Target] = {}
    for row in targets.itertuples(index=False):
        if as_int(row.year) != year:
            continue
        key = (row.ward_code, row.indicator_code)
        candidate = Target(
            value=as_float(row.target_value),
            comparator=as_str(row.comparator) or "",
            text=as_str(getattr(row, "target_text", None)) or "",
            unit=as_str(getattr(row, "unit", None)) or "",
        )
        current = picked.get(key)
        if current is None or (candidate.usable and not current.usable):
            picked[key] = candidate
    return picked


# --- building the scenario -------------------------------------------------

class Point(NamedTuple):
    value: float
    origin: str


def build_scenario(
    indicators: pd.DataFrame,
    targets: pd.DataFrame,
    scenario_official: pd.DataFrame,
    year: int,
) -> pd.DataFrame:
    """Monthly, quarterly and yearly planned values for every phasable target.

    Returns columns SCENARIO_COLUMNS, one row per ward x indicator x period
    (17 periods), for targets with an absolute number and an indicator kind
    in kinds.PHASED.  Official values for other indicators are ignored.
    """
    kind_of = dict(zip(indicators["indicator_code"], indicators["kind"], strict=True))
    official = _index_official(scenario_official, year)
    rows: list[tuple] = []
    for (ward, indicator), target in pick_targets(targets, year).items():
        kind = kind_of.get(indicator)
        if kind not in kinds.PHASED or not target.usable:
            continue
        points = _phase(kind, target.value, official.get((ward, indicator), {}))
        rows.extend(
            (ward, indicator, _period_text(year, key), point.value, point.origin)
            for key, point in points.items()
        )
    frame = pd.DataFrame(rows, columns=SCENARIO_COLUMNS)
    return sort_by_period(frame)


def _phase(kind: str, target: float, official: dict[tuple[str, int], float]) -> dict[tuple[str, int], Point]:
    """All 17 points for one ward x indicator, keyed by (Period.kind, Period.index)."""
    official_months = {n: v for (k, n), v in official.items() if k == "month"}
    official_quarters = {n: v for (k, n), v in official.items() if k == "quarter"}
    months = _derive_months(kind, target, official_months, official_quarters)
    points: dict[tuple[str, int], Point] = {}
    for quarter in range(1, 5):
        quarter_months = range(3 * quarter - 2, 3 * quarter + 1)
        points.update({("month", m): months[m] for m in quarter_months})
        points[("quarter", quarter)] = _aggregate(
            kind, [months[m] for m in quarter_months], official_quarters.get(quarter))
    points[("year", 0)] = _aggregate(kind, [months[m] for m in range(1, 13)], official.get(("year", 0)))
    return points


def _derive_months(kind: str, target: float, official_months: dict[int, float],
                   official_quarters: dict[int, float]) -> dict[int, Point]:
    if kind == kinds.FLOW:
        return _flow_months(target, official_months, official_quarters)
    anchors = _level_anchors(official_months, official_quarters)
    if kind == kinds.CUMULATIVE_PCT:
        return _cumulative_months(target, anchors)
    return {m: Point(anchors[m], OFFICIAL) if m in anchors else Point(target, DERIVED)
            for m in range(1, 13)}


def _flow_months(target: float, official_months: dict[int, float],
                 official_quarters: dict[int, float]) -> dict[int, Point]:
    months = {m: Point(v, OFFICIAL) for m, v in official_months.items()}
    for quarter, quarter_value in sorted(official_quarters.items()):
        in_quarter = range(3 * quarter - 2, 3 * quarter + 1)
        free = [m for m in in_quarter if m not in months]
        if free:
            left = quarter_value - sum(months[m].value for m in in_quarter if m in months)
            months.update(_spread(left, free))
    free = [m for m in range(1, 13) if m not in months]
    if free:
        months.update(_spread(target - sum(p.value for p in months.values()), free))
    return months


def _spread(amount: float, months: list[int]) -> dict[int, Point]:
    # Official months already above the target leave nothing to plan, and a
    # negative monthly plan would read as "expected to lose revenue".
    share = max(amount, 0.0) / len(months)
    return {m: Point(share, DERIVED) for m in months}


def _level_anchors(official_months: dict[int, float],
                   official_quarters: dict[int, float]) -> dict[int, float]:
    # A level reported for a quarter is the level at its last month.
    anchors = {3 * q: v for q, v in official_quarters.items()}
    anchors.update(official_months)
    return anchors


def _cumulative_months(target: float, official: dict[int, float]) -> dict[int, Point]:
    anchors = {0: 0.0, 12: target, **official}
    return {m: Point(official[m], OFFICIAL) if m in official
            else Point(_interpolate(anchors, m), DERIVED)
            for m in range(1, 13)}


def _interpolate(anchors: dict[int, float], month: int) -> float:
    low = max(k for k in anchors if k <= month)
    high = min(k for k in anchors if k >= month)
    if low == high:
        return anchors[low]
    return anchors[low] + (anchors[high] - anchors[low]) * (month - low) / (high - low)


def _aggregate(kind: str, months: list[Point], official_value: float | None) -> Point:
    if official_value is not None:
        return Point(official_value, OFFICIAL)
    used = months if kind == kinds.FLOW else months[-1:]
    value = sum(p.value for p in used)
    return Point(value, OFFICIAL if all(p.origin == OFFICIAL for p in used) else DERIVED)


def _index_official(frame: pd.DataFrame, year: int) -> dict[tuple[str, str], dict[tuple[str, int], float]]:
    """{(ward, indicator): {(kind, index): value}}; first known value per period wins."""
    index: dict[tuple[str, str], dict[tuple[str, int], float]] = {}
    for row in frame.itertuples(index=False):
        period = period_from_code(row.period)
        value = as_float(row.planned_value)
        if period is None or period.year != year or math.isnan(value):
            continue
        index.setdefault((row.ward_code, row.indicator_code), {}).setdefault(
            (period.kind, period.index), value)
    return index


# --- scenario to date ------------------------------------------------------

@dataclass(frozen=True)
class ScenarioToDate:
    """The scenario from January to a month, and how much of it is official."""

    value: float
    origin: str | None  # OFFICIAL, DERIVED, or None when there is no scenario
    official_months: int
    derived_months: int
    official_parts: tuple[tuple[str, float], ...]  # (period, value) of the official pieces used


NO_SCENARIO = ScenarioToDate(math.nan, None, 0, 0, ())


def scenario_to_date(scenario: pd.DataFrame, ward: str, indicator: str, kind: str,
                     as_of_month: int) -> tuple[float, str | None]:
    """(value, origin) of the scenario to `as_of_month` (1-12).

    flow: the sum of months 1..as_of_month; other kinds: the value at that
    month.  origin is 'official' only if every month used is official, else
    'derived'; (NaN, None) when the scenario has no such rows.
    """
    subset = scenario[(scenario["ward_code"] == ward) & (scenario["indicator_code"] == indicator)]
    detail = scenario_detail(scenario_lookup(subset), kind, as_of_month)
    return detail.value, detail.origin


def scenario_lookup(rows: pd.DataFrame) -> dict[tuple[str, int], tuple[str, Point]]:
    """{(Period.kind, Period.index): (period text, Point)} for one ward x indicator."""
    lookup: dict[tuple[str, int], tuple[str, Point]] = {}
    for row in rows.itertuples(index=False):
        period = period_from_code(row.period)
        if period is not None:
            lookup[(period.kind, period.index)] = (
                row.period, Point(as_float(row.planned_value), row.origin))
    return lookup


def scenario_detail(lookup: dict[tuple[str, int], tuple[str, Point]], kind: str,
                    as_of_month: int) -> ScenarioToDate:
    if kind == kinds.FLOW:
        parts = _flow_parts(lookup, as_of_month)
    else:
        parts = [_level_part(lookup, as_of_month)]
    if not parts or any(p is None for p in parts):
        return NO_SCENARIO
    return _combine(parts)


class _Part(NamedTuple):
    period: str
    point: Point
    months: int


def _flow_parts(lookup: dict, as_of_month: int) -> list[_Part | None]:
    # An official quarter (or year) can differ from the sum of its months
    # only when the ward published both; the coarser official figure is the
    # one the ward stands behind, so it is used when it fits the range.
    if as_of_month == 12 and _is_official(lookup.get(("year", 0))):
        return [_part(lookup, ("year", 0), 12)]
    parts: list[_Part | None] = []
    month = 1
    while month <= as_of_month:
        quarter = (month + 2) // 3
        if month % 3 == 1 and 3 * quarter <= as_of_month and _is_official(lookup.get(("quarter", quarter))):
            parts.append(_part(lookup, ("quarter", quarter), 3))
            month += 3
            continue
        parts.append(_part(lookup, ("month", month), 1))
        month += 1
    return parts


def _level_part(lookup: dict, as_of_month: int) -> _Part | None:
    return _part(lookup, ("month", as_of_month), 1)


def _part(lookup: dict, key: tuple[str, int], months: int) -> _Part | None:
    entry = lookup.get(key)
    if entry is None or math.isnan(entry[1].value):
        return None
    return _Part(entry[0], entry[1], months)


def _is_official(entry: tuple[str, Point] | None) -> bool:
    return entry is not None and entry[1].origin == OFFICIAL and not math.isnan(entry[1].value)


def _combine(parts: list[_Part]) -> ScenarioToDate:
    official = [p for p in parts if p.point.origin == OFFICIAL]
    official_months = sum(p.months for p in official)
    derived_months = sum(p.months for p in parts) - official_months
    return ScenarioToDate(
        value=sum(p.point.value for p in parts),
        origin=OFFICIAL if derived_months == 0 else DERIVED,
        official_months=official_months,
        derived_months=derived_months,
        official_parts=tuple((p.period, p.point.value) for p in official),
    )


# --- small helpers ---------------------------------------------------------

def _period_text(year: int, key: tuple[str, int]) -> str:
    return Period.of(year, *key).code


def sort_by_period(frame: pd.DataFrame, column: str = "period") -> pd.DataFrame:
    """Rows by ward, indicator, then chronologically by `column` (a period code)."""
    order = frame[column].map(period_sort_key)
    return (frame.assign(_order=order)
            .sort_values(["ward_code", "indicator_code", "_order"], kind="stable")
            .drop(columns="_order")
            .reset_index(drop=True))


def _is_number(value: object) -> bool:
    return not math.isnan(as_float(value))
