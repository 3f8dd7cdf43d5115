"""Traffic-light status of every ward × indicator at every period of a plan year.

A status is a claim to a leader.  It compares what the ward achieved up to
the last period it reported with the growth scenario up to that same period
(not with the annual target, and never a later scenario with an older
figure).  Each row says how sure it is: how much of the scenario to date is
the ward's own (official or implied) and how much our phasing, whether the
figure is partial, whether it is carried from an earlier report; a figure
with an error-level data-quality finding is not judged at all.  A one-line
note in Vietnamese gives the figures behind the colour and, where the ward's
own verdict differs, the basis of both.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from wardplan.rules import kinds, projection
from wardplan.rules.frames import records
from wardplan.rules.missing import as_float, as_str, is_missing
from wardplan.rules.numbers import format_number_vi, format_quantity_vi
from wardplan.rules.periods import (
    Period,
    month_runs,
    period_from_code,
    period_label,
    periods_in_display_order,
)
from wardplan.rules.scenario import (
    DERIVED,
    IMPLIED,
    NO_SCENARIO,
    OFFICIAL,
    ORIGIN_LABELS_VI,
    PROVISIONAL_VI,
    Point,
    ScenarioToDate,
    Target,
    pick_targets,
    scenario_lookups,
    scenario_to_date,
)
from wardplan.rules.settings import StatusBands

GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"

# Why a status is grey (NULL for a colour): said once, shown everywhere.
NO_REPORT = "no_report"  # the ward has sent no report for the plan year
NO_TARGET = "no_target"
NO_FIGURE = "no_figure"  # nothing reported yet, or only "in progress"
DATA_ERROR = "data_error"  # an error-level finding on the figure or the target
NOT_DUE = "not_due"  # a milestone judged at year end
NO_BASE = "no_base"  # a relative target with no base to convert it
NO_VERDICT = "no_verdict"  # a rank or qualitative target the ward has not assessed
NO_SCENARIO_REASON = "no_scenario"

STATUS_COLUMNS = [
    "ward_code", "indicator_code", "as_of", "actual_to_date", "scenario_to_date",
    "target_value", "pct_of_scenario", "pct_of_target", "status", "status_reason",
    "ward_verdict", "note", "actual_period", "cutoff_date", "carried", "scenario_origin",
    "basis_official_pct", "basis_implied_pct", "basis_derived_pct", "provisional",
    "outlook_value", "outlook_low", "outlook_high", "outlook_pct_of_target", "outlook_method",
    "on_course",
]

# Rows are framed a few thousand at a time: 56.000 rows at 114 units held as Python values
# were the build's peak memory, and a frame per ward (26 columns each) a quarter of the
# time; framed strings are Arrow buffers, which the concatenation does not copy.
_ROWS_PER_FRAME = 4096

_OPTIONAL_TEXT = frozenset({"ward_verdict", "actual_period", "scenario_origin", "status_reason",
                            "outlook_method", "cutoff_date"})

# The ward's verdict words and the status they claim.  'Đang thực hiện'
# (in progress) claims nothing.
_VERDICT_STATUS = {"vượt": GREEN, "đạt": GREEN, "hoàn thành": GREEN, "không đạt": RED}

# The words the app, the deck and the workbook show next to each status colour.
STATUS_LABELS_VI = {GREEN: "Đạt/Vượt", AMBER: "Cần chú ý", RED: "Chậm", GREY: "Chưa có số liệu"}
# Leaders read the worst news first.
STATUS_ORDER = (RED, AMBER, GREEN, GREY)
# Each status's place in STATUS_ORDER, for sorting worst first.
STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}
# What a grey status says instead of "no figure", by reason.
REASON_LABELS_VI = {
    NO_REPORT: "Chưa có báo cáo",
    NO_TARGET: "Không đặt chỉ tiêu",
    NO_FIGURE: "Chưa có số liệu",
    DATA_ERROR: "Lỗi dữ liệu",
    NOT_DUE: "Đánh giá cuối năm",
    NO_BASE: "Chưa quy đổi được",
    NO_VERDICT: "Chưa có đánh giá",
    NO_SCENARIO_REASON: "Chưa có kịch bản",
}
CARRIED_VI = "chưa có báo cáo kỳ này"


# --- public API ------------------------------------------------------------

@dataclass(frozen=True)
class Flags:
    """Figures an error-level data-quality finding forbids judging, with the finding."""

    targets: dict[tuple[str, str], str] = field(default_factory=dict)  # (ward, indicator)
    actuals: dict[tuple[str, str, str], str] = field(default_factory=dict)  # + period

    @classmethod
    def from_findings(cls, findings: pd.DataFrame) -> Flags:
        targets, actuals = {}, {}
        if findings is None or findings.empty:
            return cls()
        for row in records(findings):
            if row.severity != "error" or is_missing(row.indicator_code):
                continue
            figure = as_str(getattr(row, "flagged_figure", None))
            period = as_str(row.period)
            parsed = period_from_code(period)
            if figure == "target" or (figure is None and (parsed is None or parsed.kind == "year")):
                targets.setdefault((row.ward_code, row.indicator_code), row.message)
            elif parsed is not None:
                actuals.setdefault((row.ward_code, row.indicator_code, period), row.message)
        return cls(targets, actuals)


def compute_status(indicators: pd.DataFrame, targets: pd.DataFrame, actuals: pd.DataFrame,
                   scenario: pd.DataFrame, wards: pd.DataFrame, bands: StatusBands, year: int,
                   flags: Flags | None = None) -> pd.DataFrame:
    """One row per ward × targeted indicator × period (17 periods), STATUS_COLUMNS."""
    flags = flags or Flags()
    catalogue = _catalogue(indicators)
    picked = pick_targets(targets, year)
    actual_index = _index_actuals(actuals, year)
    scenario_index = _index_scenario(scenario, year)
    actual_errors = _errors_by_pair(flags)
    reported = {ward for ward, _ in actual_index}
    by_ward = _targets_by_ward(picked)
    # A ward without a plan still has to appear on the dashboard; it gets the
    # indicators other wards plan for, flagged as having no target.
    unplanned = [(indicator, None) for indicator in sorted({i for _, i in picked})]
    periods = _periods_and_months(year)
    frames = []
    columns: dict[str, list] = {column: [] for column in STATUS_COLUMNS}
    appends = [(column, columns[column].append) for column in STATUS_COLUMNS]
    for ward in sorted(as_str(w) for w in wards["ward_code"]):
        for indicator, target in by_ward.get(ward) or unplanned:
            entry = catalogue.get(indicator, _Indicator(None, "higher", ""))
            ctx = _Context(
                ward=ward, indicator=indicator, kind=entry.kind, direction=entry.direction,
                unit=entry.unit or (target.unit if target else ""),
                target=target or _NO_TARGET, has_target=target is not None,
                actuals=actual_index.get((ward, indicator), []),
                scenario=scenario_index.get((ward, indicator), {}),
                has_report=ward in reported, bands=bands, year=year,
                target_error=flags.targets.get((ward, indicator)),
                actual_errors=actual_errors.get((ward, indicator), {}),
            )
            for row in _statuses(ctx, periods):
                for column, append in appends:
                    append(row[column])
        if len(columns["ward_code"]) >= _ROWS_PER_FRAME:
            frames.append(_frame(columns))
    if columns["ward_code"] or not frames:
        # Not an empty frame after full ones: its columns, typed from no values, would
        # turn the concatenation's into objects.
        frames.append(_frame(columns))
    # Made in order (wards, their indicators, the periods in display order): no sort, which
    # would copy the biggest table of the build twice.
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def achievement_pct(actual: float, reference: float, direction: str) -> float:
    """Achievement in % of `reference`; >= 100 means on or better than plan.

    'lower' indicators (poor households) invert the ratio.  A zero reference
    has no ratio: for 'lower', 0 achieved against 0 planned is 100 and any
    excess is 0; for 'higher' the result is NaN.  A 'lower' actual of 0
    against a positive reference is also NaN (infinitely better); the status
    then comes from a plain comparison.
    """
    if is_missing(actual) or is_missing(reference):
        return math.nan
    if direction == "lower":
        if reference == 0:
            return 100.0 if actual <= 0 else 0.0
        return math.nan if actual == 0 else _denoise(reference / actual * 100)
    return math.nan if reference == 0 else _denoise(actual / reference * 100)


def verdict_differs(status: object, verdict: object) -> bool:
    """True when the ward judged itself differently from the computed status."""
    claim = verdict_claim(verdict)
    return claim is not None and not is_missing(status) and status != GREY and claim != status


def verdict_claim(verdict: object) -> str | None:
    """The status a ward's own verdict claims ('Đạt' → green), None if it claims none."""
    if not isinstance(verdict, str):
        return None
    words = unicodedata.normalize("NFC", verdict).casefold().split()
    return _VERDICT_STATUS.get(" ".join(words))


def status_label_vi(status: object, reason: object = None) -> str:
    """The words for a status: its colour's label, or for grey the reason's."""
    if status == GREY and isinstance(reason, str) and reason in REASON_LABELS_VI:
        return REASON_LABELS_VI[reason]
    return STATUS_LABELS_VI.get(status, STATUS_LABELS_VI[GREY])


# --- inputs ----------------------------------------------------------------

@dataclass(frozen=True)
class _Indicator:
    kind: str | None
    direction: str
    unit: str


@dataclass(frozen=True)
class _Actual:
    period: str
    parsed: Period
    value: float
    value_text: str | None
    verdict: str | None
    cutoff: dt.date | None

    @property
    def known(self) -> bool:
        return not is_missing(self.value)

    @property
    def recency(self) -> tuple[int, int]:
        # At equal end month the coarser figure (quarter, year) is the one
        # the ward reports as its result, so it ranks later.
        return self.parsed.sort_key[1:]


_NO_TARGET = Target(math.nan, "", "", "")


@dataclass(frozen=True)
class _Context:
    ward: str
    indicator: str
    kind: str | None
    direction: str
    unit: str
    target: Target
    has_target: bool
    actuals: list[_Actual]
    scenario: dict[str, Point]
    has_report: bool
    bands: StatusBands
    year: int
    target_error: str | None = None
    actual_errors: dict[str, str] = field(default_factory=dict)
    known: dict = field(init=False, compare=False, repr=False)
    # What months share, worked out once: the flow to date ending at a month, and the
    # judgement of each figure reported (carried months judge the same figure again).
    flows: dict = field(init=False, compare=False, repr=False)
    judged: dict = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", _known_by_key(self.actuals))
        object.__setattr__(self, "flows", {})
        object.__setattr__(self, "judged", {})


def _catalogue(indicators: pd.DataFrame) -> dict[str, _Indicator]:
    return {
        row.indicator_code: _Indicator(
            kind=as_str(row.kind),
            direction="lower" if as_str(row.direction) == "lower" else "higher",
            unit=as_str(getattr(row, "unit", None)) or "",
        )
        for row in records(indicators)
    }


def _targets_by_ward(picked: dict[tuple[str, str], Target]) -> dict[str, list[tuple[str, Target]]]:
    """Each ward's (indicator, target) pairs, sorted by indicator."""
    by_ward: dict[str, list[tuple[str, Target]]] = {}
    for (ward, indicator), target in picked.items():
        by_ward.setdefault(ward, []).append((indicator, target))
    return {ward: sorted(pairs) for ward, pairs in by_ward.items()}


def _errors_by_pair(flags: Flags) -> dict[tuple[str, str], dict[str, str]]:
    """{(ward, indicator): {period: finding}} of the flagged actuals."""
    by_pair: dict[tuple[str, str], dict[str, str]] = {}
    for (ward, indicator, period), message in flags.actuals.items():
        by_pair.setdefault((ward, indicator), {})[period] = message
    return by_pair


def _periods_and_months(year: int) -> list[tuple[str, int]]:
    """The 17 periods in display order, each with the month it is judged at (its last)."""
    return [(code, period_from_code(code).end_month) for code in periods_in_display_order(year)]


def _index_actuals(actuals: pd.DataFrame, year: int) -> dict[tuple[str, str], list[_Actual]]:
    index: dict[tuple[str, str], list[_Actual]] = {}
    columns = [_column(actuals, name) for name in (
        "ward_code", "indicator_code", "period", "value", "value_text", "ward_verdict",
        "cutoff_date")]
    for ward, indicator, period, value, text, verdict, cutoff in zip(*columns, strict=True):
        parsed = period_from_code(period)
        if parsed is None or parsed.year != year:
            continue
        index.setdefault((ward, indicator), []).append(_Actual(
            period=str(period).strip(), parsed=parsed, value=as_float(value),
            value_text=as_str(text), verdict=as_str(verdict), cutoff=_date(cutoff)))
    return index


def _column(frame: pd.DataFrame, name: str) -> list:
    """A column's values as a list (None throughout if the frame has no such column)."""
    return frame[name].tolist() if name in frame else [None] * len(frame)


def _date(value: object) -> dt.date | None:
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def _index_scenario(scenario: pd.DataFrame, year: int) -> dict[tuple[str, str], dict]:
    if scenario.empty:
        return {}
    periods = scenario["period"]
    year_of = {code: getattr(period_from_code(code), "year", None) for code in periods.unique()}
    in_year = scenario[periods.map(year_of) == year]
    return scenario_lookups(in_year)


def _known_by_key(actuals: list[_Actual]) -> dict[tuple[str, int], _Actual]:
    """First known figure per (Period.kind, Period.index); placeholders do not count."""
    known: dict[tuple[str, int], _Actual] = {}
    for actual in actuals:
        if actual.known:
            known.setdefault((actual.parsed.kind, actual.parsed.index), actual)
    return known


# --- actual to date --------------------------------------------------------

@dataclass(frozen=True)
class _ToDate:
    value: float
    used: tuple[_Actual, ...] = ()
    missing_months: tuple[int, ...] = ()
    month: int = 0  # the last month the figure covers

    @property
    def known(self) -> bool:
        return not is_missing(self.value)

    @property
    def period_text(self) -> str | None:
        return "+".join(a.period for a in self.used) if self.used and self.known else None

    @property
    def cutoff(self) -> dt.date | None:
        """The cut-off date of a partial last figure (data 'đến ngày …')."""
        last = self.used[-1] if self.used else None
        return last.cutoff if last is not None else None

    def covered(self, year: int) -> float:
        """The share of the last month's days the figure covers (1 unless partial)."""
        cutoff = self.cutoff
        if cutoff is None or (cutoff.year, cutoff.month) != (year, self.month):
            return 1.0
        return min(cutoff.day / calendar.monthrange(year, self.month)[1], 1.0)


def _flow_to_date(known: dict, month: int) -> _ToDate:
    """Sum from January, using a quarter's (or the year's) figure where it covers whole months."""
    if month == 12 and ("year", 0) in known:
        return _ToDate(known[("year", 0)].value, (known[("year", 0)],), month=12)
    used: list[_Actual] = []
    missing: list[int] = []
    current = 1
    while current <= month:
        quarter = (current + 2) // 3
        if current % 3 == 1 and 3 * quarter <= month and ("quarter", quarter) in known:
            used.append(known[("quarter", quarter)])
            current += 3
            continue
        if ("month", current) in known:
            used.append(known[("month", current)])
        else:
            missing.append(current)
        current += 1
    value = math.nan if missing else sum(a.value for a in used)
    return _ToDate(value, tuple(used), tuple(missing), month)


def _latest_to_date(actuals: list[_Actual], month: int) -> _ToDate:
    """The most recent known figure at or before `month`."""
    candidates = [a for a in actuals if a.known and a.parsed.end_month <= month]
    if not candidates:
        return _ToDate(math.nan)
    latest = max(candidates, key=lambda a: a.recency)
    return _ToDate(latest.value, (latest,), month=latest.parsed.end_month)


def _reported_to_date(ctx: _Context, month: int) -> _ToDate:
    """The figure to judge at `month`: the last one the ward reported up to then.

    A flow counts only when every month from January is covered; a later
    month without a report does not make an earlier figure old news, and it
    is never held against a later scenario.
    """
    if ctx.kind != kinds.FLOW:
        return _latest_to_date(ctx.actuals, month)
    first_missing = None
    for last in range(month, 0, -1):
        if last not in ctx.flows:
            ctx.flows[last] = _flow_to_date(ctx.known, last)
        todate = ctx.flows[last]
        if todate.known:
            return todate
        first_missing = first_missing or todate
    return first_missing or _ToDate(math.nan)


def _earlier_level(ctx: _Context, todate: _ToDate) -> tuple[float, float] | None:
    """The level reported before the one judged: (value, its month), for the trend."""
    before = [a for a in ctx.actuals if a.known and a.parsed.end_month < todate.month]
    if not before:
        return None
    latest = max(before, key=lambda a: a.recency)
    return latest.value, float(latest.parsed.end_month)


def _latest_verdict(actuals: list[_Actual], month: int) -> _Actual | None:
    candidates = [a for a in actuals if a.verdict and a.parsed.end_month <= month]
    return max(candidates, key=lambda a: a.recency) if candidates else None


# --- evaluation ------------------------------------------------------------

# The sentence a note opens with that names the period viewed: (as_of) -> str.
Lead = Callable[[str], str]
# The judgement's key for it, taken out before the row is made.
_LEAD = "lead"
_BLANK_ROW = dict.fromkeys(STATUS_COLUMNS, math.nan)


def _statuses(ctx: _Context, periods: list[tuple[str, int]]) -> list[dict]:
    """The 17 rows of one ward × indicator.  Each month is judged once: a quarter and the
    year are judged at their last month, and differ from it only in the period their
    note names."""
    judged: dict[int, tuple[dict, Lead | None]] = {}
    rows = []
    for as_of, month in periods:
        if month not in judged:
            judged[month] = _judge_month(ctx, month)
        row, lead = judged[month]
        rows.append({**row, "as_of": as_of,
                     "note": _join(lead(as_of), row["note"]) if lead else row["note"]})
    return rows


def _judge_month(ctx: _Context, month: int) -> tuple[dict, Lead | None]:
    """The row at `month` but for its period code, and the lead sentence its note needs."""
    row = {**_BLANK_ROW,
           "ward_code": ctx.ward, "indicator_code": ctx.indicator,
           "target_value": ctx.target.value, "status": GREY, "status_reason": None,
           "ward_verdict": None, "note": "", "actual_period": None, "cutoff_date": None,
           "carried": False, "scenario_origin": None, "provisional": False,
           "outlook_method": None, "on_course": False}
    judged = _judge(ctx, month)
    lead = judged.pop(_LEAD, None)
    row.update(judged)
    if isinstance(row["actual_period"], str):
        # Any figure from before the period viewed is the last report, not this period's.
        last = period_from_code(row["actual_period"].split("+")[-1])
        row["carried"] = last.end_month < month
    return row, lead


def _judge(ctx: _Context, month: int) -> dict:
    if not ctx.has_report:
        # Nothing to judge, but what the ward planned for the period is still worth showing.
        scen = _scenario_at(ctx, month, 1.0) if ctx.target.usable else NO_SCENARIO
        return {"status_reason": NO_REPORT, "note": "Chưa có báo cáo.",
                "scenario_to_date": scen.value, "scenario_origin": scen.origin}
    if not ctx.has_target:
        return {"status_reason": NO_TARGET,
                "note": f"Phường chưa đặt chỉ tiêu năm {ctx.year} cho chỉ tiêu này."}
    verdict_row = _latest_verdict(ctx.actuals, month)
    if ctx.target_error:
        # The figure itself is shown as reported; only the comparison is withheld.
        todate = _reported_to_date(ctx, month) if ctx.kind in kinds.NUMERIC else _ToDate(math.nan)
        return {**_data_error(ctx.target_error, "chỉ tiêu năm"),
                "actual_to_date": todate.value, "actual_period": todate.period_text}
    if ctx.kind in kinds.BY_VERDICT:
        return _by_verdict(verdict_row)
    if ctx.target.comparator == "relative":
        return _relative(ctx, month, verdict_row)
    if not ctx.target.usable:
        return _by_verdict(verdict_row, lead="Chỉ tiêu không có mức số cụ thể.")
    todate = _reported_to_date(ctx, month)
    flagged = [ctx.actual_errors[a.period] for a in todate.used if a.period in ctx.actual_errors]
    if flagged:
        result = _data_error(flagged[0], f"số liệu {period_label(todate.period_text)}")
        return {**result, "actual_to_date": todate.value, "actual_period": todate.period_text}
    if ctx.kind == kinds.MILESTONE:
        return _milestone(ctx, month, todate, verdict_row)
    return _numeric(ctx, month, todate, verdict_row)


def _data_error(message: str, what: str) -> dict:
    return {"status_reason": DATA_ERROR,
            "note": f"Lỗi dữ liệu ở {what}, nên không đánh giá: {message}"}


def _by_verdict(verdict_row: _Actual | None, lead: str = "") -> dict:
    """Rank and qualitative targets: the ward's own assessment is all there is."""
    if verdict_row is None:
        note = "Trạng thái theo tự đánh giá của phường, nhưng phường chưa có đánh giá."
        return {"status_reason": NO_VERDICT, "note": _join(lead, note)}
    note = (f"Trạng thái theo tự đánh giá của phường: '{verdict_row.verdict}' "
            f"({period_label(verdict_row.period)}).")
    if verdict_row.value_text and verdict_row.value_text != verdict_row.verdict:
        note += f" Phường báo cáo: {verdict_row.value_text}."
    status = verdict_claim(verdict_row.verdict) or GREY
    return {
        "status": status, "status_reason": NO_VERDICT if status == GREY else None,
        "note": _join(lead, note), "ward_verdict": verdict_row.verdict,
        "actual_period": verdict_row.period,
    }


def _relative(ctx: _Context, month: int, verdict_row: _Actual | None) -> dict:
    todate = _reported_to_date(ctx, month)
    text = ctx.target.text or "so với kỳ gốc"
    parts = [f"Chỉ tiêu tương đối ({text}), chưa có số gốc để quy đổi."]
    if todate.known:
        parts.append(f"Số liệu {period_label(todate.period_text)}: {_qty(todate.value, ctx.unit)}.")
    if verdict_row is not None:
        parts.append(f"Phường đánh giá: '{verdict_row.verdict}' ({period_label(verdict_row.period)}).")
    return {"status_reason": NO_BASE, "actual_to_date": todate.value,
            "actual_period": todate.period_text, "note": _join(*parts)}


def _milestone(ctx: _Context, month: int, todate: _ToDate, verdict_row: _Actual | None) -> dict:
    """Completion targets (e.g. schools reaching national standard) count only once reached."""
    target_text = _qty(ctx.target.value, ctx.unit)
    value = todate.value
    pct_target = achievement_pct(value, ctx.target.value, ctx.direction)
    base = {"actual_to_date": value, "pct_of_target": pct_target,
            "actual_period": todate.period_text}
    if todate.known and _meets(value, ctx.target.value, ctx.direction):
        return {**base, "status": GREEN,
                "note": f"Đã hoàn thành: {_qty(value, ctx.unit)} (chỉ tiêu {target_text})."}
    if month < 12:
        progress = (f"Hiện đạt {format_number_vi(value)}/{target_text} "
                    f"({period_label(todate.period_text)})." if todate.known else "Chưa có số liệu.")
        return {**base, "status_reason": NOT_DUE,
                "note": _join("Chỉ tiêu đánh giá khi hoàn thành (cuối năm).", progress)}
    if not todate.known or todate.month < 12:
        # Not reached by the last report is not "missed": only a year-end figure can say so.
        latest = f" Số liệu mới nhất ({period_label(todate.period_text)}): " \
                 f"{_qty(value, ctx.unit)}." if todate.known else ""
        return {**base, "status_reason": NO_FIGURE,
                "note": f"Chưa có số liệu cuối năm để đánh giá chỉ tiêu {target_text}.{latest}"}
    return {**base, "status": RED,
            "note": f"Đến cuối năm mới đạt {_qty(value, ctx.unit)}, chưa đạt chỉ tiêu {target_text}."}


def _numeric(ctx: _Context, month: int, todate: _ToDate, verdict_row: _Actual | None) -> dict:
    if not todate.known:
        return {"status_reason": NO_FIGURE, _LEAD: partial(_missing_sentence, todate)}
    # The same figure and verdict judge the same at every month they are the latest.
    key = (tuple(id(a) for a in todate.used), todate.month, id(verdict_row))
    if key not in ctx.judged:
        ctx.judged[key] = _numeric_judgement(ctx, todate, verdict_row)
    if todate.month < month:
        return {**ctx.judged[key], _LEAD: partial(_carried_sentence, todate)}
    return dict(ctx.judged[key])


def _numeric_judgement(ctx: _Context, todate: _ToDate, verdict_row: _Actual | None) -> dict:
    covered = todate.covered(ctx.year)
    scen = _scenario_at(ctx, todate.month, covered)
    pct_scenario = achievement_pct(todate.value, scen.value, ctx.direction)
    pct_target = achievement_pct(todate.value, ctx.target.value, ctx.direction)
    status = _numeric_status(todate.value, scen.value, pct_scenario, ctx)
    outlook = projection.project(
        ctx.kind, ctx.direction, ctx.unit, actual=todate.value,
        months=todate.month - 1 + covered, scenario=scen.value, target=ctx.target.value,
        scenario_is_wards=scen.origin in (OFFICIAL, IMPLIED),
        earlier=_earlier_level(ctx, todate) if ctx.kind == kinds.LEVEL else None)
    facts = _Facts(ctx, scen, todate, pct_scenario, pct_target, status, covered)
    verdict = verdict_row if verdict_row and verdict_row.parsed.end_month == todate.month else None
    note = _join(
        _result_sentence(facts),
        _scenario_sentence(facts),
        _partial_sentence(facts),
        _verdict_sentence(facts, verdict) if verdict else _earlier_verdict(verdict_row, todate),
        _outlook_sentence(facts, outlook),
    )
    return {
        "status": status, "status_reason": NO_SCENARIO_REASON if status == GREY else None,
        "actual_to_date": todate.value, "scenario_to_date": scen.value,
        "pct_of_scenario": pct_scenario, "pct_of_target": pct_target,
        "actual_period": todate.period_text, "cutoff_date": todate.cutoff if covered < 1 else None,
        "ward_verdict": verdict.verdict if verdict else None,
        "scenario_origin": scen.origin,
        "basis_official_pct": 100 * scen.shares[0], "basis_implied_pct": 100 * scen.shares[1],
        "basis_derived_pct": 100 * scen.shares[2], "provisional": scen.provisional,
        "outlook_value": outlook.value, "outlook_low": outlook.low, "outlook_high": outlook.high,
        "outlook_pct_of_target": outlook.pct_of_target, "outlook_method": outlook.method or None,
        "on_course": outlook.on_course, "note": note,
    }


def _scenario_at(ctx: _Context, month: int, covered: float) -> ScenarioToDate:
    if ctx.kind not in kinds.PHASED or not ctx.scenario:
        return NO_SCENARIO
    full = scenario_to_date(ctx.scenario, ctx.kind, ctx.year, month)
    if covered >= 1 or ctx.kind != kinds.FLOW:
        return full
    before = scenario_to_date(ctx.scenario, ctx.kind, ctx.year, month - 1) if month > 1 else None
    start = before.value if before is not None and before.origin else 0.0
    value = start + (full.value - start) * covered
    return ScenarioToDate(value, full.origin, full.shares, full.parts)


def _numeric_status(actual: float, scenario: float, pct: float, ctx: _Context) -> str:
    if is_missing(actual) or is_missing(scenario):
        return GREY
    if is_missing(pct):
        # Zero on one side leaves no ratio, but "at least as good" is still decidable.
        return GREEN if _meets(actual, scenario, ctx.direction) else RED
    if pct >= ctx.bands.green_min_pct:
        return GREEN
    if pct >= ctx.bands.amber_min_pct:
        return AMBER
    return RED


# --- notes -----------------------------------------------------------------

@dataclass(frozen=True)
class _Facts:
    ctx: _Context
    scen: ScenarioToDate
    todate: _ToDate
    pct_scenario: float
    pct_target: float
    status: str
    covered: float

    def qty(self, value: float) -> str:
        return _qty(value, self.ctx.unit)

    def pct(self, value: float) -> str:
        bands = self.ctx.bands
        return _fmt_pct(value, (100.0, bands.green_min_pct, bands.amber_min_pct))

    @property
    def judged_period(self) -> str:
        return Period.of(self.ctx.year, "month", self.todate.month).code


def _carried_sentence(todate: _ToDate, as_of: str) -> str:
    return (f"Chưa có báo cáo kỳ {period_label(as_of)}; trạng thái theo số liệu "
            f"{period_label(todate.period_text)}.")


def _result_sentence(f: _Facts) -> str:
    if is_missing(f.scen.value):
        return f"{_measure_phrase(f)}; chưa có kịch bản cho kỳ này."
    versus_scenario = _versus(f, f.pct_scenario, f.scen.value,
                              "kịch bản lũy kế" if f.ctx.kind == kinds.FLOW else "kịch bản")
    target_word = "kế hoạch năm" if f.ctx.kind == kinds.FLOW else "chỉ tiêu năm"
    if f.ctx.kind == kinds.CUMULATIVE_PCT:
        versus_target = f"{target_word} {f.qty(f.ctx.target.value)}"
    else:
        versus_target = _versus(f, f.pct_target, f.ctx.target.value, target_word, verb="bằng")
    return f"{_measure_phrase(f)}, {versus_scenario}; {versus_target}."


def _measure_phrase(f: _Facts) -> str:
    if f.ctx.kind == kinds.FLOW:
        return f"Lũy kế đến hết {period_label(f.judged_period)}: {f.qty(f.todate.value)}"
    label = "Lũy kế" if f.ctx.kind == kinds.CUMULATIVE_PCT else "Mức"
    return f"{label} {period_label(f.todate.period_text)}: {f.qty(f.todate.value)}"


def _versus(f: _Facts, pct: float, reference: float, what: str, verb: str = "đạt") -> str:
    if is_missing(pct):
        meets = _meets(f.todate.value, reference, f.ctx.direction)
        return f"{'đạt' if meets else 'chưa đạt'} {what} ({f.qty(reference)}; không tính được tỷ lệ %)"
    return f"{verb} {f.pct(pct)} {what} ({f.qty(reference)})"


def _missing_sentence(todate: _ToDate, as_of: str) -> str:
    if todate.missing_months:
        return f"Thiếu số liệu tháng {_month_list(todate.missing_months)}."
    return f"Chưa có số liệu thực hiện đến {period_label(as_of)}."


def _scenario_sentence(f: _Facts) -> str:
    """Where each piece of the scenario to date comes from; derived is never the ward's."""
    if f.scen.origin is None:
        return ""
    pieces = _pieces(f)
    tail = f" — {PROVISIONAL_VI} (phần lớn kịch bản do hệ thống phân bổ)." if f.scen.provisional else "."
    return f"Kịch bản: {pieces}{tail}"


def _pieces(f: _Facts) -> str:
    """'Quý I/2026 suy từ báo cáo của phường (72.884 triệu đồng)', merged by origin."""
    groups: list[tuple[str, list[str], float]] = []
    for period, value, origin in f.scen.parts:
        if groups and groups[-1][0] == origin:
            groups[-1][1].append(period)
            groups[-1] = (origin, groups[-1][1], groups[-1][2] + value)
        else:
            groups.append((origin, [period], value))
    words = []
    for origin, periods, value in groups:
        span = period_label(periods[0]) if len(periods) == 1 else \
            f"{period_label(periods[0])} – {period_label(periods[-1])}"
        words.append(f"{span} {ORIGIN_LABELS_VI[origin]} ({f.qty(value)})")
    return "; ".join(words)


def _partial_sentence(f: _Facts) -> str:
    cutoff = f.todate.cutoff
    if cutoff is None:
        return ""
    if f.covered < 1:
        days = calendar.monthrange(f.ctx.year, f.todate.month)[1]
        return (f"Số liệu đến ngày {cutoff:%d/%m/%Y} ({cutoff.day}/{days} ngày của tháng): "
                "kịch bản tháng tính theo tỷ lệ số ngày.")
    return f"Số liệu tính đến ngày {cutoff:%d/%m/%Y}."


def _verdict_sentence(f: _Facts, verdict_row: _Actual) -> str:
    verdict = verdict_row.verdict
    claim = verdict_claim(verdict)
    if claim is None:
        return f"Phường đánh giá: '{verdict}'."
    if f.status == GREY:
        return f"Phường đánh giá '{verdict}' nhưng chưa đủ số liệu để đối chiếu."
    if claim == GREEN and f.status != GREEN:
        return _verdict_basis(f, verdict)
    if claim == RED and f.status == GREEN:
        return (f"Phường đánh giá '{verdict}' dù số liệu đạt {f.pct(f.pct_scenario)} kịch bản"
                + (f"; so với chỉ tiêu năm mới bằng {f.pct(f.pct_target)}."
                   if not is_missing(f.pct_target) and f.pct_target < 100 else "."))
    if claim == GREEN and f.ctx.kind == kinds.LEVEL and f.pct_target < 100:
        # A rate can match its scenario point yet still be short of the year's
        # target; the ward's 'Đạt' only covers the former.
        return (f"Phường đánh giá '{verdict}' (khớp kịch bản {f.qty(f.scen.value)}), "
                f"nhưng mức {f.qty(f.todate.value)} vẫn thấp hơn chỉ tiêu năm "
                f"{f.qty(f.ctx.target.value)}.")
    return f"Phường đánh giá '{verdict}', khớp kết quả tính."


def _verdict_basis(f: _Facts, verdict: str) -> str:
    """Why the ward's 'Đạt' and our colour differ, from the figures on both sides."""
    head = f"Phường đánh giá '{verdict}', hệ thống tính '{status_label_vi(f.status)}'"
    ward_pieces = [(p, v) for p, v, o in f.scen.parts if o in (OFFICIAL, IMPLIED)]
    if not ward_pieces:
        return (f"{head}: phường không nêu kịch bản cho giai đoạn này, kịch bản so sánh "
                "hoàn toàn do hệ thống phân bổ.")
    comparisons = []
    for period, planned in ward_pieces:
        parsed = period_from_code(period)
        own = f.ctx.known.get((parsed.kind, parsed.index))
        if own is not None:
            comparisons.append(
                f"thực hiện {period_label(period)} {f.qty(own.value)} bằng "
                f"{f.pct(achievement_pct(own.value, planned, f.ctx.direction))} kịch bản "
                f"{period_label(period)} của phường ({f.qty(planned)})")
    derived = [p for p, _, o in f.scen.parts if o == DERIVED]
    tail = ""
    if derived:
        share = format_number_vi(100 * f.scen.derived_share, max_decimals=0)
        tail = (f"; kịch bản lũy kế {f.qty(f.scen.value)} có {share}% do hệ thống phân bổ "
                f"({', '.join(period_label(p) for p in derived)})")
    middle = ": " + "; ".join(comparisons) if comparisons else ""
    return f"{head}{middle}{tail}."


def _earlier_verdict(verdict_row: _Actual | None, todate: _ToDate) -> str:
    # A verdict about an earlier period says nothing about this one, so it is
    # shown for context but not argued with.
    if verdict_row is None or verdict_row.parsed.end_month >= todate.month:
        return ""
    return (f"Đánh giá gần nhất của phường ({period_label(verdict_row.period)}): "
            f"'{verdict_row.verdict}'.")


def _outlook_sentence(f: _Facts, outlook: projection.Outlook) -> str:
    text = projection.describe(outlook, f.ctx.unit)
    if text and f.status in (RED, AMBER) and outlook.on_course:
        return text + " Chậm so với kịch bản nhưng theo dự báo vẫn đạt chỉ tiêu năm."
    return text


# --- formatting ------------------------------------------------------------

def _fmt_pct(value: float, edges: tuple[float, ...]) -> str:
    # Rounding must not push a value across a band edge ("90%" shown for a
    # red 89,99%), so such values keep two decimals, truncated.
    shown = round(value, 1)
    if any(value < edge <= shown for edge in edges):
        return f"{format_number_vi(math.floor(value * 100) / 100)}%"
    return f"{format_number_vi(shown, max_decimals=1)}%"


def _qty(value: float, unit: str) -> str:
    return format_quantity_vi(value, unit)


def _month_list(months: tuple[int, ...]) -> str:
    """(2,) -> '02'; (2, 4) -> '02, 04'; (4, ..., 12) -> '04–12'."""
    pieces = []
    for run in month_runs(months):
        if len(run) >= 3:
            pieces.append(f"{run[0]:02d}–{run[-1]:02d}")
        else:
            pieces.extend(f"{m:02d}" for m in run)
    return ", ".join(pieces)


def _join(*sentences: str) -> str:
    return " ".join(s for s in sentences if s)


# --- small helpers ---------------------------------------------------------

def _meets(actual: float, reference: float, direction: str) -> bool:
    return actual <= reference if direction == "lower" else actual >= reference


def _denoise(pct: float) -> float:
    # 30 / 30.000000000000004 must count as exactly 100 at the green edge.
    return round(pct, 9)


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    """The rows gathered so far, framed, and the lists emptied for the next ones."""
    # pandas' string dtype would turn None into NaN; callers test `is None`.
    frame = pd.DataFrame({
        column: pd.Series(columns[column], dtype=object if column in _OPTIONAL_TEXT else None)
        for column in STATUS_COLUMNS
    }, columns=STATUS_COLUMNS)
    for values in columns.values():
        values.clear()
    return frame
