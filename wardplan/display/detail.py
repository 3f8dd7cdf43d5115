"""One ward × indicator in full: figures, scenario, statements, findings, outlook."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wardplan.display.format import (
    COMPARATOR_LABELS,
    detail_link,
    format_value,
    pct,
    target_value_text,
)
from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.periods import (
    end_month,
    parse_period,
    period_label,
    period_sort_key,
)
from wardplan.rules.quality import SEVERITY_LABELS_VI, SEVERITY_ORDER
from wardplan.rules.scenario import ORIGIN_LABELS_VI


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
            for p, a in zip(rows["actual_period"], rows["as_of"], strict=True)]
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
    year = parse_period(period).year
    text = f"Nếu giữ nhịp độ hiện tại, cuối năm {year} ước đạt {format_value(value, unit)}"
    if share is not None:
        text += f", bằng {pct(share)} chỉ tiêu năm ({format_value(target_value, unit)})"
    return Projection(True, value, share, period, method, text + ".")


def actuals_view(actuals: pd.DataFrame) -> pd.DataFrame:
    frame = actuals.sort_values("period", key=lambda s: s.map(period_sort_key))
    return pd.DataFrame({
        "Kỳ": frame["period"].map(period_label),
        "Số liệu": [format_value(v, u) for v, u in zip(frame["value"], frame["unit"], strict=True)],
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
        "Nguồn gốc": frame["origin"].map(lambda o: ORIGIN_LABELS_VI.get(o, text_or(o))),
        "Nguồn": frame["source_ref"].map(text_or),
    })


def detail_targets_view(targets: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Năm": targets["year"].map(text_or),
        "Chỉ tiêu (nguyên văn)": targets["target_text"].map(text_or),
        "Tên chỉ tiêu trong văn bản": targets["name_text"].map(text_or),
        "So sánh": targets["comparator"].map(lambda c: COMPARATOR_LABELS.get(c, text_or(c))),
        "Giá trị": [target_value_text(r) for r in targets.itertuples(index=False)],
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
        "Số liệu": [format_value(v, u) for v, u in zip(baselines["value"], baselines["unit"], strict=True)],
        "Nguyên văn": baselines["value_text"].map(text_or),
        "Nguồn": baselines["source_ref"].map(text_or),
    })


def statements_view(statements: pd.DataFrame) -> pd.DataFrame:
    statement_kinds = {"target": "Chỉ tiêu", "actual": "Thực hiện"}
    return pd.DataFrame({
        "Loại": statements["statement_kind"].map(lambda k: statement_kinds.get(k, text_or(k))),
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
        "Mức độ": frame["severity"].map(lambda s: SEVERITY_LABELS_VI.get(s, text_or(s))),
        "Chỉ tiêu": (frame["indicator_name"].fillna(frame["indicator_code"]).map(text_or)
                     if "indicator_name" in frame else frame["indicator_code"].map(text_or)),
        "Kỳ": frame["period"].map(lambda p: period_label(p) if isinstance(p, str) else ""),
    })
    if with_links:
        view["Chi tiết"] = [
            detail_link(w, i, as_of) if not is_missing(i) else None
            for w, i in zip(frame["ward_code"], frame["indicator_code"], strict=True)]
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
