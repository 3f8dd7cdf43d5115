"""The growth scenario (kịch bản): the annual target phased over the year.

A status is a claim to a leader, so the scenario it compares with must be the
ward's own wherever the ward gave or implied one.  Every value therefore has
an origin, in this order of precedence:

* official: a plan value the ward gave for that period (Phù Liễn's March plan
  in Phụ lục 3 of report 103/BC-UBND);
* implied: worked out from the ward's own statement of how far an actual is
  above its scenario ("vượt kịch bản 45,27%"): amount / (1 + X/100) for
  amounts, actual − X for percentages (points);
* derived: ours, filling the periods the ward said nothing about.

Derived phasing (docs/status-rules.md has given → expected examples):

* flow: a quarter whose total the ward gave or implied keeps that total; its
  other months share what is left.  The months outside such quarters share
  what the annual target leaves, by the ward's previous-year monthly (or
  quarterly) pattern where the data has one (`[scenario] derive = "pattern"`),
  else evenly (`"linear"`, and the fallback).  A negative remainder is 0.
* level: from the previous-year figure (or, without one, the first given
  point) through every given point to the annual target in December, in
  straight lines: a rate moves gradually, it does not jump.
* cumulative_pct: from 0 before January through every given point to the
  annual target in December.

Two readings of the source documents are made here, each with a finding:

* a flow's month column that equals the quarter's figure is the quarter to
  date (new enterprises: UTH tháng 3 = UTH quý I = 5), so the plan in that
  column is the quarter's plan;
* a cumulative rate's month plan that is smaller than the level the ward's
  own comparison implies for that month is the month's increment
  (disbursement: plan for March 15, implied level at end of Q1 25, so the
  level at end of February is 10).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wardplan.rules import kinds
from wardplan.rules.frames import records
from wardplan.rules.missing import as_float, as_int, as_str, is_missing
from wardplan.rules.numbers import format_number_vi
from wardplan.rules.periods import Period, period_from_code, period_label, period_sort_key
from wardplan.rules.quality import Finding

OFFICIAL = "official"
IMPLIED = "implied"
DERIVED = "derived"
ORIGINS = (OFFICIAL, IMPLIED, DERIVED)
# The ward's own, in the order a conflict is settled.
WARD_ORIGINS = (OFFICIAL, IMPLIED)

# How every page, chart and export names the origins, and marks a status that
# rests mostly on our own phasing.
ORIGIN_LABELS_VI = {
    OFFICIAL: "chính thức (phường lập)",
    IMPLIED: "suy từ báo cáo của phường",
    DERIVED: "hệ thống phân bổ",
}
# The same, where a table cell has room for two words.
ORIGIN_SHORT_VI = {OFFICIAL: "chính thức", IMPLIED: "suy từ báo cáo", DERIVED: "hệ thống"}
PROVISIONAL_VI = "tạm tính"
# A status whose scenario to date is more than this share derived is provisional.
PROVISIONAL_DERIVED_SHARE = 0.5

# Rules for the derived months (`[scenario] derive` in settings.toml).
PATTERN, LINEAR = "pattern", "linear"
RULES = (PATTERN, LINEAR)
_RULE_WORDS = {PATTERN: "theo cơ cấu tháng năm trước", LINEAR: "chia đều"}

# Comparators whose target_value is not an absolute number to phase.
NON_NUMERIC_COMPARATORS = frozenset({"relative", "qualitative", "top"})

SCENARIO_COLUMNS = ["ward_code", "indicator_code", "period", "planned_value", "origin",
                    "share_official", "share_implied", "share_derived", "source_ref"]


# --- targets ---------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    value: float  # NaN when the target has no absolute number
    comparator: str
    text: str
    unit: str
    source_ref: str = ""

    @property
    def usable(self) -> bool:
        return is_usable_target(self.comparator, self.value)


def is_usable_target(comparator: object, value: object) -> bool:
    """True when the target is an absolute number a scenario can be built from."""
    return comparator not in NON_NUMERIC_COMPARATORS and not math.isnan(as_float(value))


def pick_targets(targets: pd.DataFrame, year: int) -> dict[tuple[str, str], Target]:
    """One target per (ward_code, indicator_code) for `year`.

    A plan can state the same indicator twice (e.g. in prose and in an
    appendix); the first row with a usable number wins, else the first row.
    """
    picked: dict[tuple[str, str], Target] = {}
    for row in records(targets):
        if as_int(row.year) != year:
            continue
        key = (row.ward_code, row.indicator_code)
        candidate = Target(
            value=as_float(row.target_value),
            comparator=as_str(row.comparator) or "",
            text=as_str(getattr(row, "target_text", None)) or "",
            unit=as_str(getattr(row, "unit", None)) or "",
            source_ref=as_str(getattr(row, "source_ref", None)) or "",
        )
        current = picked.get(key)
        if current is None or (candidate.usable and not current.usable):
            picked[key] = candidate
    return picked


# --- what the ward gave ------------------------------------------------------

@dataclass(frozen=True)
class Given:
    """A scenario value the ward stated (official) or implied for one period."""

    period: Period
    value: float
    origin: str
    source_ref: str


@dataclass
class _Series:
    """One ward × indicator: what is known before phasing."""

    ward: str
    indicator: str
    kind: str
    unit: str
    target: Target
    given: list[Given] = field(default_factory=list)
    actuals: dict[str, float] = field(default_factory=dict)  # period code -> reported value
    previous_year: dict[str, float] = field(default_factory=dict)  # period code -> value


def implied_value(kind: str, unit: str, actual: float, over_pct: float) -> float:
    """The scenario a ward's "vượt kịch bản X%" reveals for its actual.

    Percentages compare in points (27,68% "vượt kịch bản 2,68%" → 25%);
    amounts in relative terms (105.879 "vượt kịch bản 45,27%" → 72.884).
    """
    if unit == "%":
        return actual - over_pct
    return actual / (1 + over_pct / 100)


# --- building the scenario -------------------------------------------------

@dataclass(frozen=True)
class Point:
    value: float
    origin: str
    source_ref: str
    shares: tuple[float, float, float] = (0.0, 0.0, 0.0)  # official, implied, derived

    @classmethod
    def of(cls, value: float, origin: str, source_ref: str) -> Point:
        return cls(value, origin, source_ref, _share_of(origin))


def _share_of(origin: str) -> tuple[float, float, float]:
    return tuple(1.0 if o == origin else 0.0 for o in ORIGINS)


@dataclass(frozen=True)
class ScenarioBuild:
    frame: pd.DataFrame  # SCENARIO_COLUMNS
    readings: list[Finding]  # data-quality findings made while reading the plan cells


def build_scenario(indicators: pd.DataFrame, targets: pd.DataFrame, official: pd.DataFrame,
                   year: int, *, statements: pd.DataFrame | None = None,
                   actuals: pd.DataFrame | None = None, baselines: pd.DataFrame | None = None,
                   rule: str = PATTERN) -> ScenarioBuild:
    """Monthly, quarterly and yearly planned values for every phasable target of `year`.

    One row per ward × indicator × period (17 periods) for targets with an
    absolute number and a kind in `kinds.PHASED`.  `official` holds the
    ward's plan cells (`planned_value`); `statements` its "vượt kịch bản X%"
    sentences (`stated_over_scenario_pct`); `actuals` its reported figures
    (for reading plan columns); `baselines` the previous year's figures (the
    level's starting point and the monthly pattern).
    """
    if rule not in RULES:
        raise ValueError(f"unknown scenario rule {rule!r}; expected one of {RULES}")
    series = _collect(indicators, targets, official, statements, actuals, baselines, year)
    rows: list[tuple] = []
    readings: list[Finding] = []
    for one in series:
        readings += _read_plan_columns(one)
        for period, point in _phase(one, year, rule).items():
            rows.append((one.ward, one.indicator, period, point.value, point.origin,
                         *(100 * s for s in point.shares), point.source_ref))
    columns = zip(*rows, strict=True) if rows else ([] for _ in SCENARIO_COLUMNS)
    frame = pd.DataFrame({
        # A few thousand sources repeated over 46.000 rows at 114 units: kept as the shared
        # strings they are, not copied into pandas' Arrow strings once a row (80 MB of the
        # build's peak, and again when the status reads them back).
        name: pd.Series(list(values), dtype=object if name == "source_ref" else None)
        for name, values in zip(SCENARIO_COLUMNS, columns, strict=True)})
    return ScenarioBuild(sort_by_period(frame), readings)


def _collect(indicators, targets, official, statements, actuals, baselines,
             year: int) -> list[_Series]:
    catalogue = {r.indicator_code: r for r in records(indicators)}
    series: dict[tuple[str, str], _Series] = {}
    for (ward, indicator), target in pick_targets(targets, year).items():
        meta = catalogue.get(indicator)
        kind = as_str(getattr(meta, "kind", None))
        if kind in kinds.PHASED and target.usable:
            unit = as_str(getattr(meta, "unit", None)) or target.unit
            series[(ward, indicator)] = _Series(ward, indicator, kind, unit, target)
    for row in _rows(official):
        one, period = _locate(series, row, year)
        value = as_float(row.planned_value)
        if one and not math.isnan(value):
            one.given.append(Given(period, value, OFFICIAL, as_str(getattr(row, "source_ref", None)) or ""))
    for row in _rows(statements):
        one, period = _locate(series, row, year)
        over = as_float(getattr(row, "stated_over_scenario_pct", None))
        value = as_float(row.value)
        if one is None or math.isnan(over) or math.isnan(value) or row.statement_kind != "actual":
            continue
        implied = implied_value(one.kind, one.unit, value, over)
        words = "điểm %" if one.unit == "%" else "%"
        ref = (f"Suy từ câu của phường '{format_number_vi(value)} … vượt kịch bản "
               f"{format_number_vi(over)}{words}': {as_str(row.source_ref) or ''}")
        one.given.append(Given(period, implied, IMPLIED, ref))
    for row in _rows(actuals):
        one, period = _locate(series, row, year)
        if one and not math.isnan(as_float(row.value)):
            one.actuals[period.code] = as_float(row.value)
    for row in _rows(baselines):
        one, period = _locate(series, row, year - 1)
        if one and not math.isnan(as_float(row.value)):
            one.previous_year[period.code] = as_float(row.value)
    return list(series.values())


def _rows(frame: pd.DataFrame | None) -> Iterable:
    return () if frame is None else records(frame)


def _locate(series: dict, row, year: int) -> tuple[_Series | None, Period | None]:
    period = period_from_code(row.period)
    if period is None or period.year != year:
        return None, None
    return series.get((row.ward_code, row.indicator_code)), period


# --- reading the ward's plan columns -----------------------------------------

def _read_plan_columns(one: _Series) -> list[Finding]:
    """Re-read plan cells whose meaning the ward's own figures settle, and say so."""
    readings = _quarter_to_date_columns(one) if one.kind == kinds.FLOW else []
    return readings + _disagreements(one)


def _quarter_to_date_columns(one: _Series) -> list[Finding]:
    readings = []
    for given in [g for g in one.given if g.origin == OFFICIAL and g.period.kind == "month"]:
        month = given.period
        if month.end_month % 3:
            continue
        quarter = Period.of(month.year, "quarter", month.end_month // 3)
        in_month, in_quarter = one.actuals.get(month.code), one.actuals.get(quarter.code)
        others = [m for m in quarter.months if m != month.index
                  and Period.of(month.year, "month", m).code in one.actuals]
        if not in_month or in_month != in_quarter or others:
            continue
        one.given.remove(given)
        one.given.append(Given(quarter, given.value, OFFICIAL, given.source_ref))
        readings.append(_reading(
            one, quarter.code, "info", "plan_column_to_date",
            f"Số thực hiện {period_label(month.code)} ({format_number_vi(in_month)}) bằng số "
            f"{period_label(quarter.code)}: cột tháng là lũy kế từ đầu quý, nên kế hoạch "
            f"{period_label(month.code)} ({format_number_vi(given.value)}) được đọc là kịch bản "
            f"cả {period_label(quarter.code)}.", given.source_ref))
    return readings


def _disagreements(one: _Series) -> list[Finding]:
    """An official and an implied value for the same point that differ.

    Official wins, except for a cumulative rate whose month plan is smaller
    than the implied level: that plan is the month's increment.
    """
    readings = []
    implied = {_point_key(one.kind, g.period): g for g in one.given if g.origin == IMPLIED}
    for given in [g for g in one.given if g.origin == OFFICIAL]:
        level = implied.get(_point_key(one.kind, given.period))
        if level is None or math.isclose(level.value, given.value):
            continue
        what, now = period_label(given.period.code), _amount(one, given.value)
        said = _amount(one, level.value)
        if (one.kind == kinds.CUMULATIVE_PCT and given.period.kind == "month"
                and given.value < level.value and given.period.index > 1):
            before = Period.of(given.period.year, "month", given.period.index - 1)
            one.given.remove(given)
            one.given.remove(level)
            one.given += [Given(given.period, level.value, IMPLIED, level.source_ref),
                          Given(before, level.value - given.value, IMPLIED,
                                f"{level.source_ref} | {given.source_ref}")]
            message = (f"Kế hoạch {what} ghi {now}, nhưng câu tóm tắt của phường cho thấy kịch "
                       f"bản lũy kế đến hết {what} là {said}: {now} chỉ khớp nếu là phần tăng "
                       f"thêm trong tháng, nên hệ thống dùng {said} cho {what} và "
                       f"{_amount(one, level.value - given.value)} cho "
                       f"{period_label(before.code)}.")
        else:
            message = (f"Kế hoạch {what} ghi {now} nhưng câu tóm tắt của phường cho thấy kịch bản "
                       f"là {said}; hai số không thể cùng đúng, hệ thống dùng số chính thức {now}.")
        readings.append(_reading(one, given.period.code, "warning", "scenario_sources_disagree",
                                 message, f"{given.source_ref} | {level.source_ref}"))
    return readings


def _point_key(kind: str, period: Period) -> tuple:
    """What a given value pins down: a level at a month's end, or a flow's period total."""
    return (period.end_month,) if kind != kinds.FLOW else (period.kind, period.index)


def _amount(one: _Series, value: float) -> str:
    unit = "%" if one.unit == "%" else f" {one.unit}"
    return f"{format_number_vi(value)}{unit}".rstrip()


def _reading(one: _Series, period: str, severity: str, code: str, message: str,
             source_ref: str) -> Finding:
    """A data-quality finding made while reading the ward's scenario."""
    return Finding(one.ward, one.indicator, period, severity, code, message, source_ref)


# --- phasing -----------------------------------------------------------------

def _phase(one: _Series, year: int, rule: str) -> dict[str, Point]:
    """All 17 points for one ward × indicator, keyed by period code."""
    given = _settle(one.given)
    if one.kind == kinds.FLOW:
        months = _flow_months(one, given, year, rule)
    else:
        months = _level_months(one, given, year)
    points = {Period.of(year, "month", m).code: p for m, p in months.items()}
    for quarter in range(1, 5):
        period = Period.of(year, "quarter", quarter)
        points[period.code] = given.get(period.code) or _aggregate(
            one.kind, [months[m] for m in period.months])
    points[str(year)] = _aggregate(one.kind, [months[m] for m in range(1, 13)])
    return dict(sorted(points.items(), key=lambda item: period_sort_key(item[0])))


def _settle(given: list[Given]) -> dict[str, Point]:
    """One ward-given value per period: official before implied."""
    settled: dict[str, Point] = {}
    for origin in WARD_ORIGINS:
        for g in given:
            if g.origin == origin and g.period.kind != "year":
                settled.setdefault(g.period.code, Point.of(g.value, g.origin, g.source_ref))
    return settled


def _flow_months(one: _Series, given: dict[str, Point], year: int, rule: str) -> dict[int, Point]:
    months: dict[int, Point] = {}
    for m in range(1, 13):
        point = given.get(Period.of(year, "month", m).code)
        if point:
            months[m] = point
    weights = _monthly_weights(one.previous_year, year - 1) if rule == PATTERN else None
    for quarter in range(1, 5):
        period = Period.of(year, "quarter", quarter)
        total = given.get(period.code)
        free = [m for m in period.months if m not in months]
        if total is None or not free:
            continue
        left = total.value - sum(months[m].value for m in period.months if m in months)
        note = (f"Phần còn lại của kịch bản {period_label(period.code)} "
                f"({ORIGIN_LABELS_VI[total.origin]}: {total.source_ref})")
        months.update(_spread(left, free, weights, note))
    free = [m for m in range(1, 13) if m not in months]
    if free:
        left = one.target.value - sum(p.value for p in months.values())
        how = _RULE_WORDS[PATTERN if weights else LINEAR]
        note = f"Hệ thống phân bổ phần còn lại của chỉ tiêu năm ({how}): {one.target.source_ref}"
        months.update(_spread(left, free, weights, note))
    return months


def _monthly_weights(previous: dict[str, float], year: int) -> dict[int, float] | None:
    """The previous year's shape by month, from its months or, failing that, its quarters."""
    by_month = [previous.get(Period.of(year, "month", m).code) for m in range(1, 13)]
    if all(v is not None and v >= 0 for v in by_month) and sum(by_month) > 0:
        return dict(enumerate(by_month, start=1))
    by_quarter = [previous.get(Period.of(year, "quarter", q).code) for q in range(1, 5)]
    if all(v is not None and v >= 0 for v in by_quarter) and sum(by_quarter) > 0:
        return {m: by_quarter[(m - 1) // 3] / 3 for m in range(1, 13)}
    return None


def _spread(amount: float, months: list[int], weights: dict[int, float] | None,
            source_ref: str) -> dict[int, Point]:
    # Given months already above the total leave nothing to plan: a negative
    # monthly plan would read as "expected to lose revenue".
    amount = max(amount, 0.0)
    shares = [weights[m] for m in months] if weights else [1.0] * len(months)
    total = sum(shares)
    if total <= 0:
        shares, total = [1.0] * len(months), float(len(months))
    return {m: Point.of(amount * s / total, DERIVED, source_ref)
            for m, s in zip(months, shares, strict=True)}


def _level_months(one: _Series, given: dict[str, Point], year: int) -> dict[int, Point]:
    anchors: dict[int, Point] = {}
    for code, point in given.items():
        anchors.setdefault(period_from_code(code).end_month, point)
    end = anchors.get(12) or Point.of(one.target.value, DERIVED,
                                      f"Chỉ tiêu năm: {one.target.source_ref}")
    start = _level_start(one, anchors, year)
    path = {0: start, **anchors, 12: end} if start else {**anchors, 12: end}
    # One note for every month it makes: a copy a month was 15.000 copies more than the
    # scenario's sources at 114 units, 10 MB of the build.
    interpolated = f"Hệ thống nội suy giữa các mốc kịch bản và chỉ tiêu năm: {one.target.source_ref}"
    return {m: path[m] if m in path else _between(path, m, interpolated) for m in range(1, 13)}


def _level_start(one: _Series, anchors: dict[int, Point], year: int) -> Point | None:
    """Where the path starts before January: 0 for a cumulative rate, else last year's level."""
    if one.kind == kinds.CUMULATIVE_PCT:
        return Point.of(0.0, DERIVED, "")
    last_year = one.previous_year.get(str(year - 1))
    if last_year is not None:
        return Point.of(last_year, DERIVED, f"Ước thực hiện năm {year - 1}")
    return None


def _between(path: dict[int, Point], month: int, source_ref: str) -> Point:
    """The straight line through the path's points; flat before its first point."""
    low = max((k for k in path if k <= month), default=None)
    high = min(k for k in path if k >= month)
    if low is None:
        value = path[high].value
    else:
        span = high - low
        value = path[low].value + (path[high].value - path[low].value) * (month - low) / span
    return Point.of(value, DERIVED, source_ref)


def _aggregate(kind: str, months: list[Point]) -> Point:
    if kind != kinds.FLOW:
        return months[-1]
    value = sum(p.value for p in months)
    shares = tuple(sum(p.value * p.shares[i] for p in months) / value if value else
                   sum(p.shares[i] for p in months) / len(months) for i in range(3))
    origins = {p.origin for p in months}
    origin = origins.pop() if len(origins) == 1 else _mixed_origin(origins)
    refs = " | ".join(dict.fromkeys(p.source_ref for p in months if p.source_ref))
    return Point(value, origin, refs, shares)


def _mixed_origin(origins: set[str]) -> str:
    return DERIVED if DERIVED in origins else IMPLIED


# --- scenario to date ------------------------------------------------------

@dataclass(frozen=True)
class ScenarioToDate:
    """The scenario from January to a month, and how much of it is the ward's own."""

    value: float
    origin: str | None  # OFFICIAL, IMPLIED, DERIVED, or None when there is no scenario
    shares: tuple[float, float, float]  # official, implied, derived (0-1, by value)
    parts: tuple[tuple[str, float, str], ...]  # (period, value, origin) of the pieces used

    @property
    def derived_share(self) -> float:
        return self.shares[2]

    @property
    def provisional(self) -> bool:
        """Rests mostly on our own phasing rather than on the ward's scenario."""
        return self.origin is not None and self.derived_share > PROVISIONAL_DERIVED_SHARE


NO_SCENARIO = ScenarioToDate(math.nan, None, (0.0, 0.0, 0.0), ())


def scenario_lookup(rows: pd.DataFrame) -> dict[str, Point]:
    """{period code: Point} for one ward × indicator's scenario rows."""
    return dict(_points(rows, "period"))


def scenario_lookups(rows: pd.DataFrame) -> dict[tuple[str, str], dict[str, Point]]:
    """{(ward, indicator): {period code: Point}} for every ward × indicator's rows at once
    (rows without a ward or an indicator are no one's)."""
    lookups: dict[tuple[str, str], dict[str, Point]] = {}
    for ward, indicator, period, point in _points(rows, "ward_code", "indicator_code", "period"):
        if not (is_missing(ward) or is_missing(indicator)):
            lookups.setdefault((ward, indicator), {})[period] = point
    return lookups


_SHARE_COLUMNS = ("share_official", "share_implied", "share_derived")


def _points(rows: pd.DataFrame, *keys: str):
    """Each row's `keys` and its Point, made from whole columns, the shares as fractions:
    iterating a frame row by row, or converting value by value, costs ten times as much."""
    def figures(column: str, scale: float = 1.0) -> list[float]:
        return (pd.to_numeric(rows[column], errors="coerce").astype(float) / scale).tolist()

    shares = zip(*(figures(share, 100.0) for share in _SHARE_COLUMNS), strict=True)
    points = map(Point, figures("planned_value"), rows["origin"].tolist(),
                 [as_str(ref) or "" for ref in rows["source_ref"].tolist()], shares)
    return zip(*(rows[key].tolist() for key in keys), points, strict=True)


def scenario_to_date(lookup: dict[str, Point], kind: str, year: int, month: int,
                     covered: float = 1.0) -> ScenarioToDate:
    """The scenario up to the end of `month`; a flow's last piece scaled by `covered`
    (the share of its days a partial figure covers)."""
    if kind == kinds.FLOW:
        parts = _flow_parts(lookup, year, month)
    else:
        code = Period.of(year, "month", month).code
        parts = [(code, lookup[code]) if code in lookup else None]
    if not parts or any(p is None or math.isnan(p[1].value) for p in parts):
        return NO_SCENARIO
    if kind == kinds.FLOW and covered < 1:
        code, point = parts[-1]
        parts[-1] = (code, Point(point.value * covered, point.origin, point.source_ref, point.shares))
    value = sum(p.value for _, p in parts)
    if value:
        shares = tuple(sum(p.value * p.shares[i] for _, p in parts) / value for i in range(3))
    else:
        shares = tuple(sum(p.shares[i] for _, p in parts) / len(parts) for i in range(3))
    return ScenarioToDate(value, _origin_of(shares), shares,
                          tuple((code, p.value, p.origin) for code, p in parts))


def _flow_parts(lookup: dict[str, Point], year: int, month: int) -> list:
    # A quarter the ward gave or implied is used whole: its months are only
    # our split of it, the quarter is what the ward stands behind.
    parts: list = []
    current = 1
    while current <= month:
        quarter = Period.of(year, "quarter", (current + 2) // 3)
        point = lookup.get(quarter.code)
        if (current % 3 == 1 and quarter.end_month <= month and point is not None
                and point.origin in WARD_ORIGINS and point.shares[2] == 0):
            parts.append((quarter.code, point))
            current += 3
            continue
        code = Period.of(year, "month", current).code
        parts.append((code, lookup[code]) if code in lookup else None)
        current += 1
    return parts


def _origin_of(shares: tuple[float, float, float]) -> str:
    official, implied, derived = shares
    if derived > 1e-9:
        return DERIVED
    return IMPLIED if implied > 1e-9 else OFFICIAL


# --- small helpers ---------------------------------------------------------

def sort_by_period(frame: pd.DataFrame, column: str = "period") -> pd.DataFrame:
    """Rows by ward, indicator, then chronologically by `column` (a period code)."""
    # Each distinct code's place in time as a whole number: sorting on the key tuples
    # compared them in Python, row by row (most of a unit's first detail view's read of
    # an indicator at 114 units).
    codes, distinct = pd.factorize(frame[column])
    keys = [period_sort_key(code) for code in distinct] + [period_sort_key(None)]  # -1: none
    place = {key: rank for rank, key in enumerate(sorted(set(keys)))}
    order = np.array([place[key] for key in keys])[codes]
    return (frame.assign(_order=order)
            .sort_values(["ward_code", "indicator_code", "_order"], kind="stable")
            .drop(columns="_order")
            .reset_index(drop=True))
