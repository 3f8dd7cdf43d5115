"""Traffic-light status of every ward x indicator at every period of the year.

The status compares what the ward achieved up to a period with the growth
scenario up to that period (not with the annual target: a quarter's revenue
is normally a quarter of the year's).  Each row carries a one-line note in
Vietnamese for the ward's staff, with the numbers behind the colour and, when
the ward's own verdict ('Đạt', 'Không đạt', ...) disagrees, the likely reason.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from wardplan.rules import kinds
from wardplan.rules.missing import as_float, as_str, is_missing
from wardplan.rules.numbers import format_number_vi
from wardplan.rules.periods import (
    Period,
    month_runs,
    parse_period,
    period_from_code,
    period_label,
    periods_in_display_order,
)
from wardplan.rules.scenario import (
    NO_SCENARIO,
    OFFICIAL,
    ScenarioToDate,
    Target,
    pick_targets,
    scenario_detail,
    scenario_lookup,
    sort_by_period,
)
from wardplan.rules.settings import StatusBands

GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"

STATUS_COLUMNS = [
    "ward_code", "indicator_code", "as_of", "actual_to_date", "scenario_to_date",
    "target_value", "pct_of_scenario", "pct_of_target", "status", "ward_verdict",
    "note", "actual_period", "scenario_origin",
]

_OPTIONAL_TEXT = frozenset({"ward_verdict", "actual_period", "scenario_origin"})

# The ward's verdict words and the status they claim.  'Đang thực hiện'
# (in progress) claims nothing.
_VERDICT_STATUS = {"vượt": GREEN, "đạt": GREEN, "hoàn thành": GREEN, "không đạt": RED}

# The words the app, the deck and the workbook show next to each status colour.
STATUS_LABELS_VI = {GREEN: "Đạt/Vượt", AMBER: "Cần chú ý", RED: "Chậm", GREY: "Chưa có số liệu"}
# Leaders read the worst news first.
STATUS_ORDER = (RED, AMBER, GREEN, GREY)


# --- public API ------------------------------------------------------------

def compute_status(
    indicators: pd.DataFrame,
    targets: pd.DataFrame,
    actuals: pd.DataFrame,
    scenario: pd.DataFrame,
    wards: pd.DataFrame,
    bands: StatusBands,
    year: int,
) -> pd.DataFrame:
    """One row per ward x targeted indicator x period (17 periods), STATUS_COLUMNS."""
    catalogue = _catalogue(indicators)
    picked = pick_targets(targets, year)
    actual_index = _index_actuals(actuals, year)
    scenario_index = _index_scenario(scenario, year)
    reported = {ward for ward, _ in actual_index}
    rows: list[dict] = []
    for ward in sorted(as_str(w) for w in wards["ward_code"]):
        for indicator, target in _ward_targets(ward, picked):
            entry = catalogue.get(indicator, _Indicator(None, "higher", ""))
            ctx = _Context(
                ward=ward, indicator=indicator, kind=entry.kind, direction=entry.direction,
                unit=entry.unit or (target.unit if target else ""),
                target=target or _NO_TARGET, has_target=target is not None,
                actuals=actual_index.get((ward, indicator), []),
                scenario=scenario_index.get((ward, indicator), {}),
                has_report=ward in reported, bands=bands, year=year,
            )
            rows.extend(_evaluate(ctx, as_of) for as_of in periods_in_display_order(year))
    return sort_by_period(_frame(rows), "as_of")


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
    scenario: dict
    has_report: bool
    bands: StatusBands
    year: int
    known: dict = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", _known_by_key(self.actuals))


def _catalogue(indicators: pd.DataFrame) -> dict[str, _Indicator]:
    return {
        row.indicator_code: _Indicator(
            kind=as_str(row.kind),
            direction="lower" if as_str(row.direction) == "lower" else "higher",
            unit=as_str(getattr(row, "unit", None)) or "",
        )
        for row in indicators.itertuples(index=False)
    }


def _ward_targets(ward: str, picked: dict[tuple[str, str], Target]) -> list[tuple[str, Target | None]]:
    own = sorted((ind, t) for (w, ind), t in picked.items() if w == ward)
    if own:
        return own
    # A ward without a plan still has to appear on the dashboard; it gets the
    # indicators other wards plan for, flagged as having no target.
    return [(ind, None) for ind in sorted({ind for _, ind in picked})]


def _index_actuals(actuals: pd.DataFrame, year: int) -> dict[tuple[str, str], list[_Actual]]:
    index: dict[tuple[str, str], list[_Actual]] = {}
    for row in actuals.itertuples(index=False):
        parsed = period_from_code(row.period)
        if parsed is None or parsed.year != year:
            continue
        index.setdefault((row.ward_code, row.indicator_code), []).append(_Actual(
            period=str(row.period).strip(), parsed=parsed, value=as_float(row.value),
            value_text=as_str(getattr(row, "value_text", None)),
            verdict=as_str(getattr(row, "ward_verdict", None)),
        ))
    return index


def _index_scenario(scenario: pd.DataFrame, year: int) -> dict[tuple[str, str], dict]:
    in_year = scenario[scenario["period"].map(lambda p: getattr(period_from_code(p), "year", None) == year)]
    return {key: scenario_lookup(group) for key, group in in_year.groupby(["ward_code", "indicator_code"])}


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
    periods: tuple[str, ...] = ()
    missing_months: tuple[int, ...] = ()
    stale_period: str | None = None

    @property
    def period_text(self) -> str | None:
        return "+".join(self.periods) if self.periods and not is_missing(self.value) else None


def _flow_to_date(known: dict, month: int) -> _ToDate:
    """Sum from January, using a quarter's (or the year's) figure where it covers whole months."""
    if month == 12 and ("year", 0) in known:
        return _ToDate(known[("year", 0)].value, (known[("year", 0)].period,))
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
    return _ToDate(value, tuple(a.period for a in used), tuple(missing))


def _latest_to_date(actuals: list[_Actual], month: int) -> _ToDate:
    """The most recent known level at or before `month`."""
    candidates = [a for a in actuals if a.known and a.parsed.end_month <= month]
    if not candidates:
        return _ToDate(math.nan)
    latest = max(candidates, key=lambda a: a.recency)
    stale = latest.period if latest.parsed.end_month < month else None
    return _ToDate(latest.value, (latest.period,), stale_period=stale)


def _latest_verdict(actuals: list[_Actual], month: int) -> _Actual | None:
    candidates = [a for a in actuals if a.verdict and a.parsed.end_month <= month]
    return max(candidates, key=lambda a: a.recency) if candidates else None


# --- evaluation ------------------------------------------------------------

def _evaluate(ctx: _Context, as_of: str) -> dict:
    month = parse_period(as_of, expected_year=None).end_month
    scen = scenario_detail(ctx.scenario, ctx.kind, month) if ctx.kind in kinds.PHASED else NO_SCENARIO
    verdict_row = _latest_verdict(ctx.actuals, month)
    row = {
        "ward_code": ctx.ward, "indicator_code": ctx.indicator, "as_of": as_of,
        "actual_to_date": math.nan, "scenario_to_date": scen.value,
        "target_value": ctx.target.value, "pct_of_scenario": math.nan, "pct_of_target": math.nan,
        "status": GREY, "ward_verdict": verdict_row.verdict if verdict_row else None,
        "note": "", "actual_period": None, "scenario_origin": scen.origin,
    }
    row.update(_judge(ctx, as_of, month, scen, verdict_row))
    if ctx.kind in kinds.NUMERIC and is_missing(row["actual_to_date"]):
        # The ward's verdict judged a figure; with no figure for this period there
        # is nothing for it to agree or disagree with (the note still cites it).
        row["ward_verdict"] = None
    return row


def _judge(ctx: _Context, as_of: str, month: int, scen: ScenarioToDate,
           verdict_row: _Actual | None) -> dict:
    if not ctx.has_report:
        return {"note": "Chưa có báo cáo."}
    if not ctx.has_target:
        return {"note": f"Phường chưa đặt chỉ tiêu năm {ctx.year} cho chỉ tiêu này."}
    if ctx.kind not in kinds.NUMERIC:
        return _by_verdict(verdict_row)
    if ctx.target.comparator == "relative":
        return _relative(ctx, month, verdict_row)
    if not ctx.target.usable:
        return _by_verdict(verdict_row, lead="Chỉ tiêu không có mức số cụ thể.")
    if ctx.kind == kinds.MILESTONE:
        return _milestone(ctx, month, verdict_row)
    return _numeric(ctx, as_of, month, scen, verdict_row)


def _actual_to_date(ctx: _Context, month: int) -> _ToDate:
    if ctx.kind == kinds.FLOW:
        return _flow_to_date(ctx.known, month)
    return _latest_to_date(ctx.actuals, month)


def _by_verdict(verdict_row: _Actual | None, lead: str = "") -> dict:
    """Rank and qualitative targets: the ward's own assessment is all there is."""
    if verdict_row is None:
        note = "Trạng thái theo tự đánh giá của phường, nhưng phường chưa có đánh giá."
        return {"status": GREY, "note": _join(lead, note)}
    note = f"Trạng thái theo tự đánh giá của phường: '{verdict_row.verdict}' ({verdict_row.period})."
    if verdict_row.value_text and verdict_row.value_text != verdict_row.verdict:
        note += f" Phường báo cáo: {verdict_row.value_text}."
    return {
        "status": verdict_claim(verdict_row.verdict) or GREY,
        "note": _join(lead, note),
        "actual_period": verdict_row.period,
    }


def _relative(ctx: _Context, month: int, verdict_row: _Actual | None) -> dict:
    todate = _actual_to_date(ctx, month)
    text = ctx.target.text or "so với kỳ gốc"
    parts = [f"Chỉ tiêu tương đối ({text}), chưa có số gốc để quy đổi."]
    if not is_missing(todate.value):
        parts.append(f"Số liệu {period_label(todate.period_text)}: {_qty(todate.value, ctx.unit)}.")
    parts.append(_generic_verdict(verdict_row, GREY, month))
    return {"status": GREY, "actual_to_date": todate.value, "actual_period": todate.period_text,
            "note": _join(*parts)}


def _milestone(ctx: _Context, month: int, verdict_row: _Actual | None) -> dict:
    """Completion targets (e.g. schools reaching national standard) count only once reached."""
    todate = _latest_to_date(ctx.actuals, month)
    target = ctx.target.value
    pct_target = achievement_pct(todate.value, target, ctx.direction)
    status, lead = _milestone_status(ctx, month, todate.value)
    note = _join(lead, _stale_note(todate), _generic_verdict(verdict_row, status, month))
    return {"status": status, "actual_to_date": todate.value, "pct_of_target": pct_target,
            "actual_period": todate.period_text, "note": note}


def _milestone_status(ctx: _Context, month: int, value: float) -> tuple[str, str]:
    target_text = _qty(ctx.target.value, ctx.unit)
    if not is_missing(value) and _meets(value, ctx.target.value, ctx.direction):
        return GREEN, f"Đã hoàn thành: {_qty(value, ctx.unit)} (chỉ tiêu {target_text})."
    if month < 12:
        progress = (f"Hiện đạt {format_number_vi(value)}/{target_text}." if not is_missing(value)
                    else "Chưa có số liệu.")
        return GREY, _join("Chỉ tiêu đánh giá khi hoàn thành (cuối năm).", progress)
    if is_missing(value):
        return GREY, f"Chưa có số liệu cuối năm để đánh giá chỉ tiêu {target_text}."
    return RED, f"Đến cuối năm mới đạt {_qty(value, ctx.unit)}, chưa đạt chỉ tiêu {target_text}."


def _numeric(ctx: _Context, as_of: str, month: int, scen: ScenarioToDate,
             verdict_row: _Actual | None) -> dict:
    todate = _actual_to_date(ctx, month)
    pct_scenario = achievement_pct(todate.value, scen.value, ctx.direction)
    pct_target = achievement_pct(todate.value, ctx.target.value, ctx.direction)
    status = _numeric_status(todate.value, scen.value, pct_scenario, ctx)
    facts = _Facts(ctx, as_of, month, scen, todate, pct_scenario, pct_target, status)
    note = _join(
        _result_sentence(facts),
        _scenario_sentence(facts),
        _stale_note(todate),
        _numeric_verdict(facts, verdict_row),
    )
    return {"status": status, "actual_to_date": todate.value, "pct_of_scenario": pct_scenario,
            "pct_of_target": pct_target, "actual_period": todate.period_text, "note": note}


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
    as_of: str
    month: int
    scen: ScenarioToDate
    todate: _ToDate
    pct_scenario: float
    pct_target: float
    status: str

    def qty(self, value: float) -> str:
        return _qty(value, self.ctx.unit)

    def pct(self, value: float) -> str:
        bands = self.ctx.bands
        return _fmt_pct(value, (100.0, bands.green_min_pct, bands.amber_min_pct))


def _result_sentence(f: _Facts) -> str:
    if is_missing(f.todate.value):
        return _missing_sentence(f)
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
        return f"Lũy kế đến {period_label(f.as_of)}: {f.qty(f.todate.value)}"
    label = "Lũy kế" if f.ctx.kind == kinds.CUMULATIVE_PCT else "Mức"
    return f"{label} {period_label(f.todate.period_text)}: {f.qty(f.todate.value)}"


def _versus(f: _Facts, pct: float, reference: float, what: str, verb: str = "đạt") -> str:
    if is_missing(pct):
        meets = _meets(f.todate.value, reference, f.ctx.direction)
        return f"{'đạt' if meets else 'chưa đạt'} {what} ({f.qty(reference)}; không tính được tỷ lệ %)"
    return f"{verb} {f.pct(pct)} {what} ({f.qty(reference)})"


def _missing_sentence(f: _Facts) -> str:
    if f.todate.missing_months:
        return f"Thiếu số liệu tháng {_month_list(f.todate.missing_months)}."
    return f"Chưa có số liệu thực hiện đến {period_label(f.as_of)}."


def _scenario_sentence(f: _Facts) -> str:
    """Where the scenario came from, so derived values are never taken for the ward's."""
    scen = f.scen
    if scen.origin is None:
        return ""
    if f.ctx.kind != kinds.FLOW:
        month_label = f"tháng {f.month:02d}"
        if scen.origin == OFFICIAL:
            return f"Kịch bản {month_label} là số chính thức của phường."
        return f"Kịch bản {month_label} suy ra từ chỉ tiêu năm (không phải số của phường)."
    if scen.derived_months == 0:
        return "Kịch bản là số chính thức của phường."
    if scen.official_months == 0:
        return "Kịch bản suy ra từ chỉ tiêu năm (phường chưa có kịch bản chính thức cho giai đoạn này)."
    return (f"Kịch bản gồm {scen.official_months} tháng chính thức, "
            f"{scen.derived_months} tháng suy ra từ chỉ tiêu năm.")


def _stale_note(todate: _ToDate) -> str:
    return f"Số liệu mới nhất: {period_label(todate.stale_period)}." if todate.stale_period else ""


def _numeric_verdict(f: _Facts, verdict_row: _Actual | None) -> str:
    if verdict_row is None:
        return ""
    if verdict_row.parsed.end_month < f.month:
        return _earlier_verdict(verdict_row)
    verdict = verdict_row.verdict
    expected = verdict_claim(verdict)
    if expected is None:
        return f"Phường đánh giá: '{verdict}'."
    if f.status == GREY:
        return f"Phường đánh giá '{verdict}' nhưng chưa đủ số liệu để đối chiếu."
    if expected == GREEN and f.status != GREEN:
        return _claims_met_but_behind(f, verdict)
    if expected == RED and f.status == GREEN:
        return _claims_missed_but_on_track(f, verdict)
    if expected == GREEN and f.ctx.kind == kinds.LEVEL and f.pct_target < 100:
        # A rate can match the month's scenario yet still be short of the
        # year's target; the ward's 'Đạt' only covers the former.
        return (f"Phường đánh giá '{verdict}' (khớp kịch bản {f.qty(f.scen.value)}), "
                f"nhưng mức {f.qty(f.todate.value)} vẫn thấp hơn chỉ tiêu năm "
                f"{f.qty(f.ctx.target.value)}.")
    return f"Phường đánh giá '{verdict}', khớp kết quả tính."


def _claims_met_but_behind(f: _Facts, verdict: str) -> str:
    head = f"Phường đánh giá '{verdict}' nhưng kết quả tính là '{STATUS_LABELS_VI[f.status]}'"
    hint = _official_only_hint(f)
    if hint and f.scen.derived_months:
        return (f"{head}: {hint}, còn kịch bản lũy kế gồm cả {f.scen.derived_months} "
                f"tháng suy ra từ chỉ tiêu năm nên cao hơn ({f.qty(f.scen.value)}).")
    if f.scen.origin != OFFICIAL:
        return f"{head}; kịch bản này có phần suy ra từ chỉ tiêu năm, không phải số của phường."
    return f"{head}; theo chính kịch bản của phường, kết quả vẫn thấp hơn."


def _official_only_hint(f: _Facts) -> str:
    """Why a ward may say 'Đạt': it met the official piece of the scenario it published."""
    if not f.scen.official_parts:
        return ""
    period, planned = f.scen.official_parts[-1]
    parsed = period_from_code(period)
    own = f.ctx.known.get((parsed.kind, parsed.index)) if parsed else None
    if own is not None and _meets(own.value, planned, f.ctx.direction):
        return (f"nhiều khả năng phường chỉ so với kịch bản chính thức {period_label(period)} "
                f"({f.qty(planned)}; thực hiện {f.qty(own.value)})")
    official_total = sum(value for _, value in f.scen.official_parts)
    if f.ctx.kind == kinds.FLOW and _meets(f.todate.value, official_total, f.ctx.direction):
        return f"nhiều khả năng phường chỉ so với phần kịch bản chính thức ({f.qty(official_total)})"
    return ""


def _claims_missed_but_on_track(f: _Facts, verdict: str) -> str:
    sentence = f"Phường đánh giá '{verdict}' dù số liệu đạt {f.pct(f.pct_scenario)} kịch bản"
    if not is_missing(f.pct_target) and f.pct_target < 100:
        return (f"{sentence}; có thể phường so với chỉ tiêu năm "
                f"(mới bằng {f.pct(f.pct_target)} của {f.qty(f.ctx.target.value)}).")
    return f"{sentence}."


def _generic_verdict(verdict_row: _Actual | None, status: str, month: int) -> str:
    if verdict_row is None:
        return ""
    if verdict_row.parsed.end_month < month:
        return _earlier_verdict(verdict_row)
    expected = verdict_claim(verdict_row.verdict)
    if expected is None or status == GREY:
        return f"Phường đánh giá: '{verdict_row.verdict}'."
    if expected == status:
        return f"Phường đánh giá '{verdict_row.verdict}', khớp kết quả tính."
    return f"Phường đánh giá '{verdict_row.verdict}', khác kết quả tính theo số liệu."


def _earlier_verdict(verdict_row: _Actual) -> str:
    # A verdict about an earlier period says nothing about this one, so it is
    # shown for context but not argued with.
    return (f"Đánh giá gần nhất của phường ({period_label(verdict_row.period)}): "
            f"'{verdict_row.verdict}'.")


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


# --- formatting ------------------------------------------------------------

def _fmt_pct(value: float, edges: tuple[float, ...]) -> str:
    # Rounding must not push a value across a band edge ("90%" shown for a
    # red 89,99%), so such values keep two decimals, truncated.
    shown = round(value, 1)
    if any(value < edge <= shown for edge in edges):
        return f"{format_number_vi(math.floor(value * 100) / 100)}%"
    return f"{format_number_vi(shown, max_decimals=1)}%"


def _qty(value: float, unit: str) -> str:
    if unit == "%":
        return f"{format_number_vi(value)}%"
    return f"{format_number_vi(value)} {unit}".strip()


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


def _frame(rows: list[dict]) -> pd.DataFrame:
    # pandas' string dtype would turn None into NaN; callers test `is None`.
    return pd.DataFrame({
        column: pd.Series([r[column] for r in rows],
                          dtype=object if column in _OPTIONAL_TEXT else None)
        for column in STATUS_COLUMNS
    }, columns=STATUS_COLUMNS)
