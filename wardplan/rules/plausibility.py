"""Plausibility: figures that cannot be right as written, as error-level findings.

Nothing here changes a figure: it is loaded as the ward wrote it, shown, and
flagged, so the status rules can leave it out.  What is impossible depends
on what an indicator measures, which the catalogue says through its unit,
kind and Vietnamese name (`limits`):

- a **change** — the name starts with "Tăng"/"Giảm" or speaks of a "tốc độ"
  (income growth, near-poor reduction), or the target is relative ("tăng 10%
  so với …"): may be negative and may exceed 100 %, so no limit;
- a **percentage of a plan or quota** — a % indicator whose name mentions
  "chỉ tiêu", "kế hoạch" or "dự toán" ("Hoàn thành chỉ tiêu giao quân"): at
  least 0; above 100 % is over-fulfilment ("đạt 105% kế hoạch"), allowed;
- a **share** — any other % indicator (coverage rates, on-time procedures,
  disbursement of the allocated capital): between 0 and 100 %;
- an **amount or count** — any other unit (triệu đồng, doanh nghiệp, hộ, …):
  at least 0;
- a **rank**: at least 1.

Besides these limits: for a flow, one month (or quarter) above the whole
year's target (a warning instead when the ward's own "% of the plan" says so);
a target range whose lower bound is above its upper bound; a project planning
to disburse more in Q1 than its total capital.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from wardplan.rules import kinds, quality

# A module import, not `from … import Finding`: quality.run_checks calls this module.
from wardplan.rules.frames import records
from wardplan.rules.numbers import format_number_vi
from wardplan.rules.periods import period_label
from wardplan.rules.text import fold

# Targets that are no level of the indicator itself.
_NOT_A_LEVEL = {"relative", "top", "qualitative"}
# Targets a single period's figure can be compared with (a cap, "<=", may be passed early).
_AT_LEAST = {">=", ">", "=", "range"}
_CHANGE_WORDS = ("tang ", "giam ")
_PLAN_WORDS = ("chi tieu", "ke hoach", "du toan")


@dataclass(frozen=True)
class Limits:
    low: float | None = None
    high: float | None = None
    what_vi: str = ""  # why, for the message

    def broken_by(self, value: float) -> bool:
        return ((self.low is not None and value < self.low)
                or (self.high is not None and value > self.high))


def limits(name_vi: str, unit: str | None, kind: str | None) -> Limits:
    """The values an indicator's figures can take (see the module docstring)."""
    words = fold(name_vi or "")
    if kind == kinds.RANK:
        return Limits(1, None, "thứ hạng nhỏ nhất là 1")
    if kind not in kinds.NUMERIC:
        return Limits()
    if words.startswith(_CHANGE_WORDS) or "toc do" in words:
        return Limits()
    if unit == "%" and any(w in words for w in _PLAN_WORDS):
        return Limits(0, None, "tỷ lệ so với chỉ tiêu không thể âm")
    if unit == "%":
        return Limits(0, 100, "tỷ lệ trên tổng số phải từ 0% đến 100%")
    return Limits(0, None, f"số {unit or 'lượng'} không thể âm")


def _indicator_limits(indicators: pd.DataFrame) -> dict[str, tuple[str, Limits]]:
    return {row.indicator_code: (row.name_vi, limits(row.name_vi, row.unit, row.kind))
            for row in records(indicators)}


def _number(value: object) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _broken(value: float, qualifier: object, bounds: Limits) -> bool:
    """'>100' for a share is as impossible as 105; '>0' for an amount is fine."""
    at_high = bounds.high is not None and value == bounds.high and qualifier in (">", ">=")
    return bounds.broken_by(value) or at_high


def figures_out_of_limits(figures: pd.DataFrame, indicators: pd.DataFrame,
                          what_vi: str) -> list[quality.Finding]:
    """Actuals or baselines outside their indicator's limits."""
    known = _indicator_limits(indicators)
    findings = []
    for row in records(figures):
        value = _number(row.value)
        name, bounds = known.get(row.indicator_code, ("", Limits()))
        if value is None or not _broken(value, getattr(row, "qualifier", None), bounds):
            continue
        findings.append(quality.Finding(
            row.ward_code, row.indicator_code, row.period, "error", _limit_code(value, bounds),
            f"{what_vi} {period_label(row.period)} của '{name}' ghi '{row.value_text}': "
            f"{bounds.what_vi}.", row.source_ref))
    return findings


def _limit_code(value: float, bounds: Limits) -> str:
    if bounds.low is not None and value < bounds.low:
        return "rank_below_one" if bounds.low == 1 else "negative_value"
    return "share_above_100"


def targets_out_of_limits(targets: pd.DataFrame, indicators: pd.DataFrame) -> list[quality.Finding]:
    """Negative levels and ranks below 1 (a share's target above 100 % is `impossible_target`)."""
    known = _indicator_limits(indicators)
    findings = []
    for row in records(targets[~targets["comparator"].isin(_NOT_A_LEVEL - {"top"})]):
        name, bounds = known.get(row.indicator_code, ("", Limits()))
        below = Limits(bounds.low, None, bounds.what_vi)
        values = [v for v in (_number(row.target_value), _number(row.target_value_high))
                  if v is not None]
        if any(below.broken_by(v) for v in values):
            findings.append(quality.Finding(
                row.ward_code, row.indicator_code, str(row.year), "error",
                _limit_code(min(values), below),
                f"Chỉ tiêu '{row.target_text}' của '{name}': {bounds.what_vi}.", row.source_ref))
    return findings


def inverted_ranges(targets: pd.DataFrame) -> list[quality.Finding]:
    findings = []
    for row in records(targets[targets["comparator"] == "range"]):
        low, high = _number(row.target_value), _number(row.target_value_high)
        if low is not None and high is not None and low > high:
            findings.append(quality.Finding(
                row.ward_code, row.indicator_code, str(row.year), "error", "inverted_range",
                f"Chỉ tiêu '{row.target_text}': cận dưới {_amount(low)} lớn hơn cận "
                f"trên {_amount(high)}.", row.source_ref))
    return findings


def periods_over_year_target(actuals: pd.DataFrame, targets: pd.DataFrame,
                             indicators: pd.DataFrame) -> list[quality.Finding]:
    """A flow's single month or quarter above its whole year's target: almost always a
    unit or digit slip.  Unless the ward says so itself: Phù Liễn's January 'thu khác'
    (102 against a plan of 50) is written as '203%' of the plan, so it is a warning
    to confirm, not an error."""
    flows = indicators.loc[indicators["kind"] == kinds.FLOW].set_index("indicator_code")
    levels = targets[targets["comparator"].isin(_AT_LEAST)
                     & targets["indicator_code"].isin(flows.index)]
    annual = {(t.ward_code, t.indicator_code, int(t.year)): t for t in records(levels)}
    findings = []
    for row in records(actuals[actuals["period_kind"].isin(["month", "quarter"])]):
        value = _number(row.value)
        target = annual.get((row.ward_code, row.indicator_code, int(str(row.period)[:4])))
        if value is None or target is None:
            continue
        year_value = _number(target.target_value_high) or _number(target.target_value)
        if year_value is None or year_value <= 0 or value <= year_value:
            continue
        unit = flows.loc[row.indicator_code, "unit"]
        which = "một tháng" if row.period_kind == "month" else "một quý"
        said = quality._pct_text(row.stated_pct_text or "")  # the ward's own '% of the plan'
        confirmed = said is not None and said[0] >= 100
        verdict = (f"chính phường ghi '{row.stated_pct_text}' so với kế hoạch năm, cần xác nhận"
                   if confirmed else
                   f"số của {which} không thể vượt cả năm — kiểm tra đơn vị hoặc chữ số")
        findings.append(quality.Finding(
            row.ward_code, row.indicator_code, row.period, "warning" if confirmed else "error",
            "period_over_year_target",
            f"{period_label(row.period)}: '{row.value_text}' ({_amount(value)} {unit}) lớn hơn cả "
            f"chỉ tiêu năm '{target.target_text}' ({_amount(year_value)} {unit}); {verdict}.",
            f"{row.source_ref} | {target.source_ref}"))
    return findings


def _amount(x: float) -> str:
    """Every significant decimal: a 2.000 đồng target is 0,002 triệu đồng, not 0."""
    return format_number_vi(x, max_decimals=6)


def projects_out_of_limits(projects: pd.DataFrame) -> list[quality.Finding]:
    findings = []
    for row in records(projects):
        capital, planned = _number(row.total_capital_mvnd), _number(row.planned_q1_mvnd)
        if any(v is not None and v < 0 for v in (capital, planned)):
            findings.append(quality.Finding(row.ward_code, None, None, "error", "negative_value",
                                    f"Dự án '{row.project_name}': số vốn không thể âm.",
                                    row.source_ref))
        elif capital is not None and planned is not None and planned > capital:
            findings.append(quality.Finding(
                row.ward_code, None, None, "error", "planned_over_capital",
                f"Dự án '{row.project_name}': dự kiến giải ngân hết quý I "
                f"({_amount(planned)} triệu đồng) lớn hơn tổng vốn đầu tư "
                f"({_amount(capital)} triệu đồng).", row.source_ref))
    return findings


def run_checks(indicators: pd.DataFrame, targets: pd.DataFrame, actuals: pd.DataFrame,
               baselines: pd.DataFrame, projects: pd.DataFrame) -> list[quality.Finding]:
    return [
        *figures_out_of_limits(actuals, indicators, "Số thực hiện"),
        *figures_out_of_limits(baselines, indicators, "Số ước thực hiện"),
        *targets_out_of_limits(targets, indicators),
        *inverted_ranges(targets),
        *periods_over_year_target(actuals, targets, indicators),
        *projects_out_of_limits(projects),
    ]
