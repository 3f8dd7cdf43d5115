"""Year-end outlook: where an indicator ends the year if the pace so far holds.

Shown beside every status, because "behind its scenario" and "will miss the
target" are different claims: a ward can be behind a front-loaded scenario
and still on course for the year.  Two methods, each named wherever the
outlook appears:

* run rate (`run_rate`): the monthly average so far, times twelve (a
  cumulative rate never above 100%);
* scenario pace (`scenario_pace`): the year's target times the share of the
  scenario achieved so far, i.e. the rest of the year follows the scenario's
  shape (the ward's own phasing, or the previous year's pattern where the
  scenario was derived from it).

The point is the scenario pace when the scenario to date is the ward's own,
else the run rate; the range spans both.  A level (a rate to hold) projects
its latest figure, with the trend between its last two reports as the range.
Milestones, ranks, qualitative and relative targets have no outlook.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from wardplan.rules import kinds
from wardplan.rules.numbers import format_pct_vi, format_quantity_vi

RUN_RATE, SCENARIO_PACE, HOLD, TREND = "run_rate", "scenario_pace", "hold", "trend"
METHOD_LABELS_VI = {
    RUN_RATE: "nhịp độ bình quân tháng",
    SCENARIO_PACE: "giữ tỷ lệ so với kịch bản",
    HOLD: "giữ mức mới nhất",
    TREND: "xu hướng giữa hai kỳ báo cáo gần nhất",
}


# The other end of an outlook's range, by the point's method.
_OTHER = {RUN_RATE: SCENARIO_PACE, SCENARIO_PACE: RUN_RATE, HOLD: TREND, TREND: HOLD}


@dataclass(frozen=True)
class Outlook:
    value: float
    low: float
    high: float
    pct_of_target: float
    method: str  # the point's method; "" when there is no outlook
    on_course: bool


NO_OUTLOOK = Outlook(math.nan, math.nan, math.nan, math.nan, "", False)


def project(kind: str | None, direction: str, unit: str, *, actual: float, months: float,
            scenario: float, target: float, scenario_is_wards: bool,
            earlier: tuple[float, float] | None = None) -> Outlook:
    """The outlook from `actual` covering `months` months of the year (fractional for a
    partial month); `earlier` is (value, months) of the report before, for levels."""
    if kind not in kinds.PHASED or math.isnan(actual) or math.isnan(target) or months <= 0:
        return NO_OUTLOOK
    if kind == kinds.LEVEL:
        estimates = {HOLD: actual}
        if earlier is not None and earlier[1] < months:
            slope = (actual - earlier[0]) / (months - earlier[1])
            estimates[TREND] = _bounded(actual + slope * (12 - months), unit)
        point = HOLD
    else:
        estimates = {RUN_RATE: actual / months * 12}
        if not math.isnan(scenario) and scenario > 0:
            estimates[SCENARIO_PACE] = actual / scenario * target
        if kind == kinds.CUMULATIVE_PCT:
            estimates = {k: min(v, 100.0) for k, v in estimates.items()}
        point = SCENARIO_PACE if scenario_is_wards and SCENARIO_PACE in estimates else RUN_RATE
    value = estimates[point]
    low, high = min(estimates.values()), max(estimates.values())
    share = _pct_of(value, target, direction)
    on_course = not math.isnan(share) and share >= 100
    return Outlook(value, low, high, share, point, on_course)


def _bounded(value: float, unit: str) -> float:
    return min(max(value, 0.0), 100.0) if unit == "%" else max(value, 0.0)


def _pct_of(value: float, target: float, direction: str) -> float:
    if direction == "lower":
        if target == 0:
            return 100.0 if value <= 0 else 0.0
        return math.nan if value == 0 else target / value * 100
    return math.nan if target == 0 else value / target * 100


def _qty(value: float, unit: str) -> str:
    return format_quantity_vi(value, unit)


def describe(outlook: Outlook, unit: str) -> str:
    """The outlook in one Vietnamese sentence, naming its method and range ("" if none).

    Works from the stored columns too (`Outlook(**row)`), so the note, the page
    and the exports say the same thing.
    """
    if not outlook.method or math.isnan(outlook.value):
        return ""
    text = f"Dự báo cuối năm: {_qty(outlook.value, unit)}"
    if not math.isnan(outlook.pct_of_target):
        text += f" ({format_pct_vi(outlook.pct_of_target)} chỉ tiêu năm)"
    text += f", theo {METHOD_LABELS_VI[outlook.method]}"
    if not math.isclose(outlook.low, outlook.high, rel_tol=1e-9):
        text += (f"; khoảng {_qty(outlook.low, unit)} – {_qty(outlook.high, unit)} "
                 f"(cả {METHOD_LABELS_VI[_OTHER[outlook.method]]})")
    return text + "."
