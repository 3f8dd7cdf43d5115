"""One ward × indicator in full: figures, scenario, statements, findings, outlook."""

from __future__ import annotations

import pandas as pd

from wardplan.display.format import (
    COMPARATOR_LABELS,
    detail_link,
    format_value,
    outlook_text,
    pct,
    target_short,
    target_value_text,
)
from wardplan.rules import kinds
from wardplan.rules.frames import records
from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.numbers import format_number_vi
from wardplan.rules.parsing import money_factor_to_million
from wardplan.rules.periods import period_label, period_sort_key
from wardplan.rules.quality import SEVERITY_LABELS_VI, SEVERITY_ORDER
from wardplan.rules.scenario import (
    DERIVED,
    IMPLIED,
    NON_NUMERIC_COMPARATORS,
    OFFICIAL,
    ORIGIN_LABELS_VI,
    ORIGIN_SHORT_VI,
    ORIGINS,
)

MONEY_UNIT = "triệu đồng"
SCENARIO_ORIGINS_CAPTION = (
    f"“{ORIGIN_LABELS_VI[OFFICIAL]}”: số phường ghi cho kỳ đó; “{ORIGIN_LABELS_VI[IMPLIED]}”: "
    "tính ngược từ câu “vượt kịch bản X%” của phường; “" + ORIGIN_LABELS_VI[DERIVED] + "”: phần "
    "hệ thống tự phân bổ (phần còn lại của quý hoặc của năm), không phải số của phường.")


# Why an indicator has no year-end outlook, by kind.
_NO_OUTLOOK_VI = {
    kinds.MILESTONE: "chỉ tiêu đánh giá khi hoàn thành, không ngoại suy theo nhịp độ",
    kinds.RANK: "chỉ tiêu xếp hạng do cấp trên công bố",
    kinds.QUALITATIVE: "chỉ tiêu định tính",
}


def outlook_section(row, kind: object) -> str:
    """The outlook sentence for a status row, or why there is none."""
    if row is not None:
        text = outlook_text(row)
        if text:
            return text
    if kind in _NO_OUTLOOK_VI:
        return f"Không tính dự báo cuối năm: {_NO_OUTLOOK_VI[kind]}."
    return "Chưa có số liệu thực hiện để tính dự báo cuối năm."


def target_headline(target, unit: str) -> str:
    """The annual target for a metric card: its relation for relative, rank and
    qualitative targets ('+10% so với dự toán thành phố giao'), never a bare number
    with a money unit."""
    if target is None:
        return "—"
    if target.comparator in NON_NUMERIC_COMPARATORS:
        if target.comparator == "qualitative":
            return text_or(target.target_text, "định tính")
        return target_short(target.comparator, target.target_value, target.target_value_high,
                            target.unit, target.base_text)
    return format_value(target.target_value, unit)


def actuals_view(actuals: pd.DataFrame) -> pd.DataFrame:
    frame = actuals.sort_values("period", key=lambda s: s.map(period_sort_key))
    return pd.DataFrame({
        "Kỳ": frame["period"].map(period_label),
        "Số liệu": [format_value(v, u) for v, u in zip(frame["value"], frame["unit"], strict=True)],
        "Nguyên văn": frame["value_text"].map(text_or),
        "Tỷ lệ phường nêu": frame["stated_pct_text"].map(text_or),
        "Phường đánh giá": frame["ward_verdict"].map(text_or),
        "Tóm tắt của phường": frame["ward_summary"].map(text_or),
        "Số liệu đến ngày": frame["cutoff_date"].map(
            lambda d: "" if is_missing(d) else f"{d:%d/%m/%Y}"),
        "Nguồn": frame["source_ref"].map(text_or),
    })


def scenario_view(scenario: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    frame = scenario.sort_values("period", key=lambda s: s.map(period_sort_key))
    return pd.DataFrame({
        "Kỳ": frame["period"].map(period_label),
        "Kịch bản": frame["planned_value"].map(lambda v: format_value(v, unit)),
        "Nguồn gốc": frame["origin"].map(lambda o: ORIGIN_LABELS_VI.get(o, text_or(o))),
        "Tỷ trọng theo nguồn": [_shares(r) for r in records(frame)],
        "Nguồn": frame["source_ref"].map(text_or),
    })


def detail_targets_view(targets: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Năm": targets["year"].map(text_or),
        "Chỉ tiêu (nguyên văn)": targets["target_text"].map(text_or),
        "Tên chỉ tiêu trong văn bản": targets["name_text"].map(text_or),
        "So sánh": targets["comparator"].map(lambda c: COMPARATOR_LABELS.get(c, text_or(c))),
        "Giá trị": [target_value_text(r) for r in records(targets)],
        "Đơn vị": targets["unit"].map(text_or),
        "Chỉ tiêu (quan hệ)": [target_short(r.comparator, r.target_value, r.target_value_high,
                                            r.unit, r.base_text)
                               for r in records(targets)],
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
        "Số nêu (như văn bản)": [_as_written(v, u) for v, u in zip(
            statements["value_as_written"], statements["unit_text"], strict=True)],
        "Quy đổi": [_canonical(r) for r in records(statements)],
        "Tỷ lệ nêu": statements["stated_pct"].map(pct),
        "Nguồn": statements["source_ref"].map(text_or),
    })


def _as_written(value: object, unit: object) -> str:
    """A stated figure with every decimal it was written with: '20,684 tỷ đồng'."""
    if is_missing(value):
        return "—"
    number = format_number_vi(float(value), max_decimals=6)
    unit = text_or(unit)
    return f"{number}%" if unit == "%" else f"{number} {unit}".rstrip()


def _canonical(statement) -> str:
    """A money statement in million VND ('20.684 triệu đồng'); '' when already so."""
    if is_missing(statement.value) or is_missing(statement.value_as_written):
        return ""
    if money_factor_to_million(text_or(statement.unit_text)) in (None, 1.0):
        return ""
    return format_value(statement.value, MONEY_UNIT)


def _shares(row) -> str:
    """'chính thức 42% · hệ thống 58%' for a period mixing origins; '' when it has one."""
    parts = [(o, getattr(row, f"share_{o}", None)) for o in ORIGINS]
    present = [(o, v) for o, v in parts if not is_missing(v) and v >= 0.5]
    if len(present) < 2:
        return ""
    return " · ".join(f"{ORIGIN_SHORT_VI[o]} {format_number_vi(v, max_decimals=0)}%"
                      for o, v in present)


_ISSUE_ORDER = ("ward_code", "indicator_code", "period", "check_code", "message")
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITY_ORDER)}


def issues_in_order(issues: pd.DataFrame) -> pd.DataFrame:
    """Findings as they are listed: most severe first, then by unit, indicator and period,
    and to the end (check, message), so a page boundary falls in the same place each time;
    what is missing last in each.  Sorted in Python, as pandas would (its six-key sort
    costs a unit's handful of findings two milliseconds); the keys are text or missing."""
    last = len(SEVERITY_ORDER)
    columns = [[_SEVERITY_RANK.get(s, last) for s in issues["severity"].tolist()],
               *([_LAST if v is None or v is pd.NA or v != v else v for v in issues[c].tolist()]
                 for c in _ISSUE_ORDER)]
    keys = list(zip(*columns, strict=True))
    return issues.take(sorted(range(len(issues)), key=keys.__getitem__))


# After every text, as pandas puts what is missing last: the last code point, a
# noncharacter no workbook's text should hold (one that did would sort with the missing).
_LAST = "\U0010ffff"


def issues_view(issues: pd.DataFrame, as_of: str | None) -> pd.DataFrame:
    """Data-quality findings, most severe first, each with a link to its indicator at
    `as_of` (no links without one: the detail page lists its own indicator's)."""
    frame = issues_in_order(issues)
    view = pd.DataFrame({
        "Mức độ": frame["severity"].map(lambda s: SEVERITY_LABELS_VI.get(s, text_or(s))),
        "Chỉ tiêu": (frame["indicator_name"].fillna(frame["indicator_code"]).map(text_or)
                     if "indicator_name" in frame else frame["indicator_code"].map(text_or)),
        "Kỳ": frame["period"].map(lambda p: period_label(p) if isinstance(p, str) else ""),
    })
    if as_of is not None:
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
