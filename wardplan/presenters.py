"""Reshaping query results into what the pages show: pure pandas, no Streamlit.

Everything a page displays that is more than a column rename lives here, so
it can be tested with small given/expected tables: the status board, the
attention list, the monthly progress series, the year-end projection, the
comparison tables and the task/project views.  Text returned here is plain
text (never HTML or markdown); the pages show it with widgets that do not
interpret markup.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from wardplan.scenario import is_missing
from wardplan.status import AMBER, GREEN, GREY, RED, STATUS_LABELS_VI, verdict_claim
from wardplan.parsing import (format_number_vi, format_pct_vi, parse_period,
                              period_label, period_sort_key, periods_in_display_order)

YEAR = 2026
# Leaders read the worst news first.
STATUS_ORDER = (RED, AMBER, GREEN, GREY)


@dataclass(frozen=True)
class StatusStyle:
    symbol: str
    label: str
    colour: str  # Okabe-Ito, distinguishable with the common colour-vision deficiencies
    tint: str  # light background behind dark text

    @property
    def text(self) -> str:
        return f"{self.symbol} {self.label}"


STATUS_STYLES = {
    GREEN: StatusStyle("▲", STATUS_LABELS_VI[GREEN], "#0072B2", "#D5E8F6"),
    AMBER: StatusStyle("●", STATUS_LABELS_VI[AMBER], "#E69F00", "#FCE9C2"),
    RED: StatusStyle("▼", STATUS_LABELS_VI[RED], "#D55E00", "#F7D3BE"),
    GREY: StatusStyle("○", STATUS_LABELS_VI[GREY], "#8C8C8C", "#EDEDED"),
}

SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}
SEVERITY_ORDER = ("error", "warning", "info")

COMPARATOR_LABELS = {
    ">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "range": "khoảng",
    "top": "nhóm đầu", "relative": "so với mốc", "qualitative": "định tính",
}

ORIGIN_LABELS = {"official": "chính thức (phường lập)", "derived": "suy ra (phân bổ đều)"}

KIND_LABELS = {
    "flow": "cộng dồn theo tháng", "cumulative_pct": "tỷ lệ lũy kế", "level": "mức đạt",
    "milestone": "đánh giá khi hoàn thành", "rank": "xếp hạng", "qualitative": "định tính",
}


# --- small helpers ---------------------------------------------------------------

def text_or(value: object, default: str = "") -> str:
    return default if is_missing(value) else str(value)


def fold_vi(text: str) -> str:
    """Lower case without diacritics: a sort key that puts Đ next to D."""
    decomposed = unicodedata.normalize("NFD", str(text).lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("đ", "d")


def natural_key(text: object) -> tuple:
    """'1.10' after '1.9', numbers before words."""
    parts = re.split(r"(\d+)", text_or(text))
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def status_text(status: str | None) -> str:
    return STATUS_STYLES.get(status or GREY, STATUS_STYLES[GREY]).text


def detail_link(ward: str, indicator: str, as_of: str, base: str = "chi-tiet") -> str:
    """Relative URL of the indicator detail page, for link columns."""
    return f"{base}?{urlencode({'ward': ward, 'indicator': indicator, 'as_of': as_of})}"


# --- periods ---------------------------------------------------------------------

# `period_sort_key` and `period_label` come from wardplan.parsing and are
# re-exported here for the pages and exports.

def period_options(year: int = YEAR) -> list[str]:
    """Every period of the year, each quarter right after its last month."""
    return periods_in_display_order(year)


def valid_period(code: object, year: int = YEAR) -> bool:
    return isinstance(code, str) and code in period_options(year)


def default_as_of(periods_with_actuals: list[str], year: int = YEAR) -> str:
    """The latest period with any reported figure; the first month if none."""
    in_year = [p for p in periods_with_actuals if valid_period(p, year)]
    return max(in_year, key=period_sort_key) if in_year else f"{year}-01"


def end_month(code: str) -> int:
    return parse_period(code, expected_year=None).end_month


# --- numbers ---------------------------------------------------------------------

MONEY_UNIT = "triệu đồng"
# From a million million-VND (1.000 tỷ) on, tỷ đồng reads better on a slide.
_TY_FROM_MVND = 1_000_000


@dataclass(frozen=True)
class DisplayUnit:
    unit: str
    divisor: float = 1.0

    def scale(self, value: float | None) -> float | None:
        return None if is_missing(value) else float(value) / self.divisor


def display_unit(unit: str | None, values) -> DisplayUnit:
    """The unit to show figures of `unit` in: tỷ đồng for very large money amounts."""
    unit = unit or ""
    if unit != MONEY_UNIT:
        return DisplayUnit(unit)
    finite = [abs(float(v)) for v in values if not is_missing(v)]
    if finite and max(finite) >= _TY_FROM_MVND:
        return DisplayUnit("tỷ đồng", 1000.0)
    return DisplayUnit(unit)


def format_value(value: object, unit: str | None = None) -> str:
    """A figure with its unit, Vietnamese style: '105.879 triệu đồng', '95,1%'."""
    if is_missing(value):
        return "—"
    number = format_number_vi(float(value))
    unit = text_or(unit)
    if not unit:
        return number
    return f"{number}%" if unit == "%" else f"{number} {unit}"


def format_compact(value: object) -> str:
    """A bare figure for a metric card: no decimals from 1.000 up."""
    if is_missing(value):
        return "—"
    value = float(value)
    return format_number_vi(value, 0) if abs(value) >= 1000 else format_number_vi(value)


def format_money_mvnd(value: object) -> str:
    """Money given in million VND, in triệu đồng or, from 1.000 tỷ, tỷ đồng."""
    if is_missing(value):
        return "—"
    value = float(value)
    if abs(value) >= _TY_FROM_MVND:
        return f"{format_number_vi(value / 1000)} tỷ đồng"
    return f"{format_number_vi(value)} triệu đồng"


def format_ty(value_mvnd: object) -> str:
    """Million VND shown in tỷ đồng with two decimals: 69917.954 → '69,92 tỷ đồng'."""
    if is_missing(value_mvnd):
        return "—"
    return f"{format_number_vi(float(value_mvnd) / 1000, 2)} tỷ đồng"


def pct(value: object, decimals: int = 1) -> str:
    return "—" if is_missing(value) else format_pct_vi(float(value), decimals)


# --- verdicts ----------------------------------------------------------------------

# `verdict_claim` (the status a ward's own verdict claims) comes from wardplan.status.

def verdict_differs(status: object, verdict: object) -> bool:
    """True when the ward judged itself differently from the computed status."""
    claim = verdict_claim(verdict)
    return claim is not None and not is_missing(status) and status != GREY and claim != status


# --- overview --------------------------------------------------------------------------

def _cell_text(row) -> str:
    style = STATUS_STYLES.get(row.status, STATUS_STYLES[GREY])
    parts = [style.symbol]
    if not is_missing(row.actual_to_date):
        parts.append(format_number_vi(float(row.actual_to_date)))
    else:
        parts.append("—")
    if not is_missing(row.pct_of_scenario):
        parts.append(f"({pct(row.pct_of_scenario)} KB)")
    if verdict_differs(row.status, row.ward_verdict):
        parts.append("≠")
    return " ".join(parts)


@dataclass(frozen=True)
class Board:
    """The ward × indicator board: `text` to show and `status` to colour, same shape."""

    text: pd.DataFrame
    status: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.text.empty


def status_board(status: pd.DataFrame, ward_names: dict[str, str] | None = None) -> Board:
    """Rows: indicators (by group); columns: wards; cell: symbol, figure, % of scenario."""
    if status.empty:
        empty = pd.DataFrame()
        return Board(empty, empty)
    frame = status.copy()
    frame["cell"] = [_cell_text(r) for r in frame.itertuples(index=False)]
    frame["group_vi"] = frame["group_vi"].fillna("Khác")
    frame["unit"] = frame["unit"].fillna("")
    frame["indicator_name"] = frame["indicator_name"].fillna(frame["indicator_code"])
    names = ward_names or dict(zip(frame["ward_code"], frame["ward_name"]))
    ward_order = sorted(frame["ward_code"].unique(), key=lambda w: fold_vi(names.get(w, w)))
    index = ["group_vi", "indicator_name", "unit"]
    text = frame.pivot_table(index=index, columns="ward_code", values="cell", aggfunc="first")
    colour = frame.pivot_table(index=index, columns="ward_code", values="status", aggfunc="first")
    text = text.reindex(columns=ward_order).fillna("")
    colour = colour.reindex(columns=ward_order)
    order = sorted(text.index, key=lambda key: (fold_vi(key[0]), fold_vi(key[1])))
    text, colour = text.loc[order], colour.loc[order]
    labels = {w: names.get(w, w) for w in ward_order}
    text = text.rename(columns=labels).reset_index()
    colour = colour.rename(columns=labels).reset_index()
    header = {"group_vi": "Lĩnh vực", "indicator_name": "Chỉ tiêu", "unit": "Đơn vị"}
    text = text.rename(columns=header)
    colour = colour.rename(columns=header)
    text.columns.name = colour.columns.name = None
    return Board(text, colour)


def style_board(board: Board):
    """A pandas Styler colouring each cell by status (text carries the symbol too)."""
    def colours(_: pd.DataFrame) -> pd.DataFrame:
        # Dark text everywhere: pinned columns otherwise render in a faded grey.
        css = pd.DataFrame("color: #1A1A1A", index=board.text.index, columns=board.text.columns)
        for column in board.status.columns[3:]:
            css[column] = board.status[column].map(
                lambda s: "" if is_missing(s) else
                f"background-color: {STATUS_STYLES[s].tint}; color: #1A1A1A")
        return css
    return board.text.style.apply(colours, axis=None)


def ward_counts(status: pd.DataFrame) -> pd.DataFrame:
    """Per ward: how many indicators are red, amber, green, grey (worst first)."""
    columns = ["ward_code", "ward_name", "has_report", *STATUS_ORDER, "total"]
    if status.empty:
        return pd.DataFrame(columns=columns)
    counts = (status.groupby(["ward_code", "ward_name", "has_report"])["status"]
              .value_counts().unstack(fill_value=0)
              .reindex(columns=list(STATUS_ORDER), fill_value=0).reset_index())
    counts["total"] = counts[list(STATUS_ORDER)].sum(axis=1)
    counts = counts.sort_values(
        ["red", "amber", "ward_name"], ascending=[False, False, True],
        key=lambda s: s.map(fold_vi) if s.name == "ward_name" else s)
    counts.columns.name = None
    return counts[columns].reset_index(drop=True)


def ward_counts_view(counts: pd.DataFrame) -> pd.DataFrame:
    """`ward_counts` with Vietnamese headers that carry the status symbols."""
    view = pd.DataFrame({
        "Phường": counts["ward_name"],
        "Báo cáo": counts["has_report"].map(lambda r: "Đã có" if r else "Chưa gửi"),
    })
    for status in STATUS_ORDER:
        view[STATUS_STYLES[status].text] = counts[status].astype(int)
    view["Tổng số chỉ tiêu"] = counts["total"].astype(int)
    return view


def first_sentence(note: object) -> str:
    text = text_or(note).strip()
    match = re.search(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", text)
    return text[:match.start()] if match else text


def attention_items(status: pd.DataFrame) -> pd.DataFrame:
    """Red then amber items, worst first, with their reason and the ward's own verdict."""
    columns = ["ward_code", "ward_name", "indicator_code", "indicator_name", "unit", "status",
               "status_text", "figure", "pct_scenario", "pct_target", "headline", "note",
               "ward_verdict", "verdict_differs", "actual_period", "as_of"]
    if status.empty:
        return pd.DataFrame(columns=columns)
    items = status[status["status"].isin([RED, AMBER])].copy()
    if items.empty:
        return pd.DataFrame(columns=columns)
    items["rank"] = items["status"].map({RED: 0, AMBER: 1})
    items = items.sort_values(["rank", "pct_of_scenario", "ward_name", "indicator_name"],
                              na_position="last")
    items["status_text"] = items["status"].map(status_text)
    items["figure"] = [format_value(v, u) for v, u in zip(items["actual_to_date"], items["unit"])]
    items["pct_scenario"] = items["pct_of_scenario"].map(pct)
    items["pct_target"] = items["pct_of_target"].map(pct)
    items["headline"] = items["note"].map(first_sentence)
    items["note"] = items["note"].map(text_or)
    items["verdict_differs"] = [verdict_differs(s, v)
                                for s, v in zip(items["status"], items["ward_verdict"])]
    items["ward_verdict"] = items["ward_verdict"].map(text_or)
    return items[columns].reset_index(drop=True)


def status_list_view(status: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Every ward × indicator as one row, worst first, with a link to its detail page."""
    if status.empty:
        return pd.DataFrame(columns=["Trạng thái", "Phường", "Chỉ tiêu", "Thực hiện",
                                     "% kịch bản", "% chỉ tiêu năm", "Kỳ số liệu", "Lý do",
                                     "Phường tự đánh giá", "Chi tiết"])
    frame = status.copy()
    frame["rank"] = frame["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    frame = frame.sort_values(["rank", "pct_of_scenario", "ward_name", "indicator_name"],
                              na_position="last")
    return pd.DataFrame({
        "Trạng thái": frame["status"].map(status_text),
        "Phường": frame["ward_name"],
        "Chỉ tiêu": frame["indicator_name"].fillna(frame["indicator_code"]),
        "Thực hiện": [format_value(v, u) for v, u in zip(frame["actual_to_date"], frame["unit"])],
        "% kịch bản": frame["pct_of_scenario"].map(pct),
        "% chỉ tiêu năm": frame["pct_of_target"].map(pct),
        "Kỳ số liệu": frame["actual_period"].map(
            lambda code: period_label(code) if isinstance(code, str) else "—"),
        "Lý do": frame["note"].map(text_or),
        "Phường tự đánh giá": frame["ward_verdict"].map(text_or),
        "Chi tiết": [detail_link(w, i, as_of)
                     for w, i in zip(frame["ward_code"], frame["indicator_code"])],
    }).reset_index(drop=True)


def period_has_actuals(status: pd.DataFrame, as_of: str) -> bool:
    """Whether any figure shown at `as_of` was reported for that very period's end."""
    if status.empty:
        return False
    reported = status["actual_period"].dropna()
    if reported.empty:
        return False
    target_end = end_month(as_of)
    return any(end_month(p) == target_end for p in reported)


def latest_data_period(status: pd.DataFrame) -> str | None:
    reported = status["actual_period"].dropna().unique().tolist() if not status.empty else []
    return max(reported, key=period_sort_key) if reported else None


# --- ward progress ------------------------------------------------------------------------

def indicators_with_data(ward_status: pd.DataFrame) -> list[str]:
    """Indicators of a ward with a reported figure at some period, in catalogue order."""
    if ward_status.empty:
        return []
    has = ward_status.dropna(subset=["actual_to_date"])
    return sorted(has["indicator_code"].unique().tolist())


def actuals_up_to(series: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """`progress_series` without the actuals reported after `as_of`: a view "as of
    January" must not show March figures even when they exist."""
    frame = series.copy()
    late = frame["month"] > end_month(as_of)
    frame.loc[late, "actual"] = math.nan
    frame.loc[late, "actual_period"] = None
    return frame


def progress_series(history: pd.DataFrame, scenario: pd.DataFrame, year: int = YEAR) -> pd.DataFrame:
    """One row per month: actual to date, scenario to date, the month's own planned
    value and its origin (official/derived), and the annual target.

    The actual is only placed at a month when the figure was reported for a
    period ending that month; the status carries levels forward between
    reports, and drawing that would invent data points.
    """
    months = list(range(1, 13))
    frame = pd.DataFrame({"month": months})
    codes = {m: f"{year}-{m:02d}" for m in months}
    by_as_of = history.set_index("as_of") if not history.empty else pd.DataFrame()

    def at(month: int, column: str):
        code = codes[month]
        if by_as_of.empty or code not in by_as_of.index:
            return math.nan
        value = by_as_of.at[code, column]
        return math.nan if is_missing(value) else value

    actual = []
    actual_period = []
    for month in months:
        period = at(month, "actual_period")
        if isinstance(period, str) and end_month(period) == month:
            actual.append(float(at(month, "actual_to_date")))
            actual_period.append(period)
        else:
            actual.append(math.nan)
            actual_period.append(None)
    frame["actual"] = actual
    frame["actual_period"] = actual_period
    frame["scenario"] = [float(at(m, "scenario_to_date")) for m in months]
    origin, planned = {}, {}
    if not scenario.empty:
        monthly = scenario[scenario["period"].isin(codes.values())]
        origin = dict(zip(monthly["period"], monthly["origin"]))
        planned = dict(zip(monthly["period"], monthly["planned_value"]))
    frame["origin"] = [origin.get(codes[m]) for m in months]
    frame["scenario_month"] = [float(planned.get(codes[m], math.nan)) for m in months]
    target = history["target_value"].dropna() if not history.empty else pd.Series(dtype=float)
    frame["target"] = float(target.iloc[0]) if not target.empty else math.nan
    return frame


def bullet_rows(ward_status: pd.DataFrame) -> pd.DataFrame:
    """Per indicator with a figure and a target: actual and scenario-to-date as % of target."""
    columns = ["indicator_code", "indicator_name", "unit", "status", "pct_of_target",
               "scenario_pct_of_target", "actual_period"]
    if ward_status.empty:
        return pd.DataFrame(columns=columns)
    rows = ward_status.dropna(subset=["pct_of_target"]).copy()
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows["indicator_name"] = rows["indicator_name"].fillna(rows["indicator_code"])

    def scenario_share(row) -> float:
        if is_missing(row.scenario_to_date) or is_missing(row.target_value) or row.target_value == 0:
            return math.nan
        if row.direction == "lower":
            return math.nan if row.scenario_to_date == 0 else row.target_value / row.scenario_to_date * 100
        return row.scenario_to_date / row.target_value * 100

    rows["scenario_pct_of_target"] = [scenario_share(r) for r in rows.itertuples(index=False)]
    rows["rank"] = rows["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    rows = rows.sort_values(["rank", "pct_of_target"])
    return rows[columns].reset_index(drop=True)


def targets_view(targets: pd.DataFrame) -> pd.DataFrame:
    """A ward's targets as the plan wrote them, for wards without a report too."""
    return pd.DataFrame({
        "Chỉ tiêu": targets["indicator_name"].fillna(targets["indicator_code"]),
        "Chỉ tiêu kế hoạch (nguyên văn)": targets["target_text"].map(text_or),
        "So sánh": targets["comparator"].map(lambda c: COMPARATOR_LABELS.get(c, text_or(c))),
        "Giá trị": [_target_value_text(r) for r in targets.itertuples(index=False)],
        "Đơn vị": targets["unit"].map(text_or),
        "Nguồn": targets["source_ref"].map(text_or),
    })


def _target_value_text(row) -> str:
    if is_missing(row.target_value):
        return "—"
    low = format_number_vi(float(row.target_value))
    if not is_missing(getattr(row, "target_value_high", None)):
        return f"{low}–{format_number_vi(float(row.target_value_high))}"
    return low


def target_short(comparator: object, value: object, value_high: object, unit: object) -> str:
    """A target in a few characters: '≥ 96%', '= 357.450 triệu đồng', 'top 30', '+10% so với mốc'."""
    comparator, unit = text_or(comparator), text_or(unit)
    number = "" if is_missing(value) else format_number_vi(float(value))
    if not is_missing(value_high) and number:
        number = f"{number}–{format_number_vi(float(value_high))}"
    with_unit = f"{number}%" if unit == "%" else (f"{number} {unit}" if unit else number)
    if comparator == "qualitative":
        return "định tính"
    if comparator == "top":
        return f"top {number}" if number else "nhóm đầu"
    if comparator == "relative":
        return f"{'+' if number and not number.startswith('-') else ''}{with_unit} so với mốc" \
            if number else "so với mốc"
    if comparator == "range":
        return f"khoảng {with_unit}"
    if not number:
        return COMPARATOR_LABELS.get(comparator, comparator) or "—"
    return f"{COMPARATOR_LABELS.get(comparator, comparator)} {with_unit}"


# --- indicator detail --------------------------------------------------------------------

@dataclass(frozen=True)
class Projection:
    computable: bool
    value: float | None
    pct_of_target: float | None
    basis_period: str | None
    method_vi: str
    text_vi: str


def latest_actual(history: pd.DataFrame, as_of: str) -> pd.Series | None:
    """The status row, at or before `as_of`, whose figure is the most recent one.

    At '2026-11' a flow has no status figure (months are missing) but the Q1
    figure still tells the pace, so earlier periods are searched too.
    """
    if history.empty:
        return None
    limit = period_sort_key(as_of)
    rows = history.dropna(subset=["actual_to_date", "actual_period"])
    rows = rows[rows["as_of"].map(lambda p: period_sort_key(p) <= limit)]
    if rows.empty:
        return None
    keys = [(period_sort_key(p), period_sort_key(a))
            for p, a in zip(rows["actual_period"], rows["as_of"])]
    return rows.iloc[max(range(len(keys)), key=keys.__getitem__)]


def project_year_end(kind: object, actual_to_date: object, actual_period: object,
                     target_value: object, unit: str | None = None) -> Projection:
    """Year-end value if the current pace holds, with the method in words."""
    unit = unit or ""
    if is_missing(actual_to_date) or is_missing(actual_period):
        return Projection(False, None, None, None, "",
                          "Chưa có số liệu thực hiện nên không tính được dự báo cuối năm.")
    actual, period = float(actual_to_date), str(actual_period)
    months = end_month(period)
    if kind in ("flow", "cumulative_pct"):
        value = actual / months * 12
        method = (f"Nhịp độ bình quân tháng: {format_value(actual, unit)} sau {months} tháng "
                  f"(đến hết {period_label(period)}) ÷ {months} × 12 tháng.")
        if kind == "cumulative_pct" and value > 100:
            value = 100.0
            method += " Tỷ lệ không thể vượt 100% nên lấy 100%."
    elif kind == "level":
        value = actual
        method = (f"Chỉ tiêu mức đạt: lấy mức mới nhất ({format_value(actual, unit)}, "
                  f"{period_label(period)}) làm mức cuối năm.")
    else:
        reason = {
            "milestone": "chỉ tiêu đánh giá khi hoàn thành, không ngoại suy theo nhịp độ",
            "rank": "chỉ tiêu xếp hạng do cấp trên công bố",
            "qualitative": "chỉ tiêu định tính",
        }.get(text_or(kind), "loại chỉ tiêu này không có cách ngoại suy")
        return Projection(False, None, None, period, "",
                          f"Không tính được dự báo cuối năm: {reason}.")
    share = None
    if not is_missing(target_value) and float(target_value) != 0:
        share = value / float(target_value) * 100
    text = f"Nếu giữ nhịp độ hiện tại, cuối năm {YEAR} ước đạt {format_value(value, unit)}"
    if share is not None:
        text += f", bằng {pct(share)} chỉ tiêu năm ({format_value(target_value, unit)})"
    return Projection(True, value, share, period, method, text + ".")


def actuals_view(actuals: pd.DataFrame) -> pd.DataFrame:
    frame = actuals.sort_values("period", key=lambda s: s.map(period_sort_key))
    return pd.DataFrame({
        "Kỳ": frame["period"].map(period_label),
        "Số liệu": [format_value(v, u) for v, u in zip(frame["value"], frame["unit"])],
        "Nguyên văn": frame["value_text"].map(text_or),
        "Tỷ lệ phường nêu": frame["stated_pct_text"].map(text_or),
        "Phường đánh giá": frame["ward_verdict"].map(text_or),
        "Tóm tắt của phường": frame["ward_summary"].map(text_or),
        "Nguồn": frame["source_ref"].map(text_or),
    })


def scenario_view(scenario: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    frame = scenario.sort_values("period", key=lambda s: s.map(period_sort_key))
    return pd.DataFrame({
        "Kỳ": frame["period"].map(period_label),
        "Kịch bản": frame["planned_value"].map(lambda v: format_value(v, unit)),
        "Nguồn gốc": frame["origin"].map(lambda o: ORIGIN_LABELS.get(o, text_or(o))),
        "Nguồn": frame["source_ref"].map(text_or),
    })


def detail_targets_view(targets: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Năm": targets["year"].map(text_or),
        "Chỉ tiêu (nguyên văn)": targets["target_text"].map(text_or),
        "Tên chỉ tiêu trong văn bản": targets["name_text"].map(text_or),
        "So sánh": targets["comparator"].map(lambda c: COMPARATOR_LABELS.get(c, text_or(c))),
        "Giá trị": [_target_value_text(r) for r in targets.itertuples(index=False)],
        "Đơn vị": targets["unit"].map(text_or),
        "Mốc so sánh": targets["base_text"].map(text_or),
        "Đơn vị chủ trì": targets["responsible_vi"].map(text_or),
        "Nguồn": targets["source_ref"].map(text_or),
    })


def transpose_view(view: pd.DataFrame) -> pd.DataFrame:
    """A few wide rows as 'Mục' | value columns: long texts read better down the page."""
    out = view.T.reset_index()
    out.columns = ["Mục"] + (["Nội dung"] if len(view) == 1 else
                             [f"Dòng {i + 1}" for i in range(len(view))])
    return out


def baselines_view(baselines: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Kỳ": baselines["period"].map(text_or),
        "Số liệu": [format_value(v, u) for v, u in zip(baselines["value"], baselines["unit"])],
        "Nguyên văn": baselines["value_text"].map(text_or),
        "Nguồn": baselines["source_ref"].map(text_or),
    })


def statements_view(statements: pd.DataFrame) -> pd.DataFrame:
    kinds = {"target": "Chỉ tiêu", "actual": "Thực hiện"}
    return pd.DataFrame({
        "Loại": statements["statement_kind"].map(lambda k: kinds.get(k, text_or(k))),
        "Kỳ": statements["period"].map(lambda p: period_label(p) if isinstance(p, str) else ""),
        "Lời văn (nguyên văn)": statements["text"].map(text_or),
        "Số nêu": [format_value(v, None) for v in statements["value"]],
        "Đơn vị nêu": statements["unit_text"].map(text_or),
        "Tỷ lệ nêu": statements["stated_pct"].map(pct),
        "Nguồn": statements["source_ref"].map(text_or),
    })


def issues_view(issues: pd.DataFrame, as_of: str, with_links: bool = True) -> pd.DataFrame:
    """Data-quality findings, most severe first, each with a link to its indicator."""
    frame = issues.copy()
    frame["rank"] = frame["severity"].map({s: i for i, s in enumerate(SEVERITY_ORDER)})
    frame = frame.sort_values(["rank", "ward_code", "indicator_code", "period"], na_position="last")
    view = pd.DataFrame({
        "Mức độ": frame["severity"].map(lambda s: SEVERITY_LABELS.get(s, text_or(s))),
        "Chỉ tiêu": (frame["indicator_name"].fillna(frame["indicator_code"]).map(text_or)
                     if "indicator_name" in frame else frame["indicator_code"].map(text_or)),
        "Kỳ": frame["period"].map(lambda p: period_label(p) if isinstance(p, str) else ""),
    })
    if with_links:
        view["Chi tiết"] = [
            detail_link(w, i, as_of) if not is_missing(i) else None
            for w, i in zip(frame["ward_code"], frame["indicator_code"])]
    view["Phát hiện"] = frame["message"].map(text_or).values
    view["Phường"] = (frame["ward_name"].map(text_or) if "ward_name" in frame
                      else frame["ward_code"]).values
    view["Nguồn"] = frame["source_ref"].map(text_or).values
    view["Mã kiểm tra"] = frame["check_code"].map(text_or).values
    return view.reset_index(drop=True)


def filter_issues(issues: pd.DataFrame, wards: list[str] | None,
                  severities: list[str] | None) -> pd.DataFrame:
    frame = issues
    if wards is not None:
        frame = frame[frame["ward_code"].isin(wards)]
    if severities is not None:
        frame = frame[frame["severity"].isin(severities)]
    return frame


# --- comparison ------------------------------------------------------------------------------

def shared_indicator_options(shared: pd.DataFrame) -> list[str]:
    if shared.empty:
        return []
    names = shared.drop_duplicates("indicator_code").set_index("indicator_code")["indicator_name"]
    return sorted(names.index, key=lambda c: fold_vi(text_or(names[c], c)))


def compare_rows(targets: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """One row per ward planning the indicator: its target and its progress at as_of."""
    columns = ["ward_code", "ward_name", "comparator", "comparator_code", "target",
               "target_value", "target_value_high", "unit", "target_text",
               "source_ref", "has_report", "status", "actual_to_date", "pct_of_target",
               "pct_of_scenario", "actual_period"]
    if targets.empty:
        return pd.DataFrame(columns=columns)
    progress = status[["ward_code", "has_report", "status", "actual_to_date", "pct_of_target",
                       "pct_of_scenario", "actual_period"]] if not status.empty else \
        pd.DataFrame(columns=["ward_code", "has_report", "status", "actual_to_date",
                              "pct_of_target", "pct_of_scenario", "actual_period"])
    frame = targets.merge(progress, on="ward_code", how="left")
    frame["comparator_code"] = frame["comparator"]
    frame["comparator"] = frame["comparator"].map(lambda c: COMPARATOR_LABELS.get(c, text_or(c)))
    frame["target"] = [_target_value_text(r) for r in frame.itertuples(index=False)]
    frame["has_report"] = frame["has_report"].fillna(False).astype(bool)
    frame["status"] = frame["status"].fillna(GREY)
    frame = frame.sort_values("ward_name", key=lambda s: s.map(fold_vi))
    return frame[columns].reset_index(drop=True)


def compare_view(rows: pd.DataFrame) -> pd.DataFrame:
    """Progress first (what leaders compare), then the target as written."""
    return pd.DataFrame({
        "Phường": rows["ward_name"],
        "Trạng thái": rows["status"].map(status_text),
        "% chỉ tiêu năm": rows["pct_of_target"].map(pct),
        "% kịch bản": rows["pct_of_scenario"].map(pct),
        "Thực hiện": [format_value(v, u) for v, u in zip(rows["actual_to_date"], rows["unit"])],
        "Chỉ tiêu": [target_short(r.comparator_code, r.target_value, r.target_value_high, r.unit)
                     for r in rows.itertuples(index=False)],
        "Chỉ tiêu (nguyên văn)": rows["target_text"].map(text_or),
        "Báo cáo": rows["has_report"].map(lambda r: "Đã có" if r else "Chưa gửi"),
        "Nguồn chỉ tiêu": rows["source_ref"].map(text_or),
    })


def shared_matrix(shared: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Shared indicators × wards; each cell: the target, then status and % of target."""
    if shared.empty:
        return pd.DataFrame()
    progress = status[["ward_code", "indicator_code", "status", "pct_of_target"]] \
        if not status.empty else pd.DataFrame(
            columns=["ward_code", "indicator_code", "status", "pct_of_target"])
    frame = shared.merge(progress, on=["ward_code", "indicator_code"], how="left")

    def cell(row) -> str:
        head = target_short(row.comparator, row.target_value, row.target_value_high, row.unit)
        style = STATUS_STYLES.get(row.status if not is_missing(row.status) else GREY)
        tail = style.symbol + (f" {pct(row.pct_of_target)} CT" if not is_missing(row.pct_of_target) else "")
        return f"{head} | {tail}"

    frame["cell"] = [cell(r) for r in frame.itertuples(index=False)]
    wide = frame.pivot_table(index=["indicator_name"], columns="ward_name", values="cell",
                             aggfunc="first").fillna("")
    wide = wide.loc[sorted(wide.index, key=fold_vi)]
    wide = wide[sorted(wide.columns, key=fold_vi)]
    wide.columns.name = None
    return wide.reset_index().rename(columns={"indicator_name": "Chỉ tiêu"})


# --- tasks and projects ------------------------------------------------------------------------

PLAN, REPORT = "plan", "report"
TASK_SOURCES = {PLAN: "Kế hoạch năm (nhiệm vụ được giao)", REPORT: "Báo cáo quý I (tiến độ)"}


def task_offices(tasks: pd.DataFrame) -> list[str]:
    return sorted(tasks["office_vi"].dropna().unique().tolist(), key=fold_vi)


def tasks_view(tasks: pd.DataFrame, source: str = PLAN, offices: list[str] | None = None) -> pd.DataFrame:
    frame = tasks[tasks["report_period"].isna()] if source == PLAN else tasks[tasks["report_period"].notna()]
    if offices:
        frame = frame[frame["office_vi"].isin(offices)]
    frame = frame.sort_values("task_no", key=lambda s: s.map(natural_key))
    view = pd.DataFrame({
        "STT": frame["task_no"].map(text_or),
        "Đơn vị chủ trì": frame["office_vi"].map(text_or),
        "Nhiệm vụ": frame["task_text"].map(text_or),
        "Sản phẩm": frame["output_vi"].map(text_or),
        "Thời hạn": frame["deadline_text"].map(text_or),
    })
    if source == REPORT:
        view["Tiến độ / kết quả"] = frame["progress_text"].map(text_or).values
        view["Dự kiến"] = frame["forecast_text"].map(text_or).values
        view["Đề xuất"] = frame["proposal_text"].map(text_or).values
    else:
        view["Phối hợp"] = frame["partners_vi"].map(text_or).values
        view["Cấp trình"] = frame["authority_vi"].map(text_or).values
    view["Nguồn"] = frame["source_ref"].map(text_or).values
    return view.reset_index(drop=True)


_ROW_KIND_LABELS = {"group": "Nhóm", "project": "Dự án", "component": "Hạng mục"}


def projects_view(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects in document order; components indented under their project."""
    def name(row) -> str:
        text = text_or(row.project_name)
        if row.row_kind == "component":
            return f"    ↳ {text}"
        if row.row_kind == "project":
            return f"{text_or(row.project_no)}. {text}"
        return text

    return pd.DataFrame({
        "Nhóm": projects["group_code"].map(lambda g: text_or(g, "—")),
        "Loại dòng": projects["row_kind"].map(lambda k: _ROW_KIND_LABELS.get(k, text_or(k))),
        "Dự án / hạng mục": [name(r) for r in projects.itertuples(index=False)],
        "Tổng vốn (triệu đồng)": projects["total_capital_mvnd"].map(
            lambda v: "—" if is_missing(v) else format_number_vi(float(v), 3)),
        "KH giải ngân quý I (triệu đồng)": projects["planned_q1_mvnd"].map(
            lambda v: "—" if is_missing(v) else format_number_vi(float(v), 3)),
        "Giải ngân đến tháng 3": projects["disbursed_march_text"].map(text_or),
        "Tiến độ": projects["progress_text"].map(text_or),
        "Dự kiến": projects["forecast_text"].map(text_or),
        "Đề xuất": projects["proposal_text"].map(text_or),
        "Nguồn": projects["source_ref"].map(text_or),
    })


def project_summary(projects: pd.DataFrame) -> pd.DataFrame:
    """Per group: projects counted, capital and Q1 plan summed over project rows (tỷ đồng)."""
    rows = projects[projects["row_kind"] == "project"].copy()
    if rows.empty:
        return pd.DataFrame(columns=["Nhóm", "Số dự án", "Tổng vốn", "KH giải ngân quý I"])
    rows["group"] = rows["group_code"].map(lambda g: text_or(g, "Khác (không có dòng nhóm)"))
    titles = projects[projects["row_kind"] == "group"].set_index("group_code")["project_name"]
    summary = rows.groupby("group", sort=False).agg(
        n=("project_name", "size"), capital=("total_capital_mvnd", "sum"),
        planned=("planned_q1_mvnd", lambda s: s.sum(min_count=1))).reset_index()
    return pd.DataFrame({
        "Nhóm": [f"{g} — {titles[g]}" if g in titles.index else g for g in summary["group"]],
        "Số dự án": summary["n"].astype(int),
        "Tổng vốn": summary["capital"].map(format_ty),
        "KH giải ngân quý I": summary["planned"].map(format_ty),
    })


def document_titles(refs) -> list[str]:
    """Source references cut to the document (before ' — ' or ' ['), deduplicated:
    the short form a chart's source line has room for."""
    titles: list[str] = []
    for ref in refs:
        text = text_or(ref)
        for cut in (" — ", " ["):
            text = text.split(cut)[0]
        if text and text not in titles:
            titles.append(text)
    return titles
