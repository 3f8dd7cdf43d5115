"""Wards side by side on one indicator, and the shared indicators × wards matrix."""

from __future__ import annotations

import pandas as pd

from wardplan.display.format import (
    COMPARATOR_LABELS,
    format_value,
    pct,
    target_short,
    target_value_text,
)
from wardplan.display.styles import MILESTONE_TEXT, STATUS_STYLES, status_caption
from wardplan.rules import kinds
from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.status import GREY
from wardplan.rules.text import fold


def shared_indicator_options(shared: pd.DataFrame) -> list[str]:
    if shared.empty:
        return []
    names = shared.drop_duplicates("indicator_code").set_index("indicator_code")["indicator_name"]
    return sorted(names.index, key=lambda c: fold(text_or(names[c], c)))


def compare_rows(targets: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """One row per ward planning the indicator: its target and its progress at as_of."""
    columns = ["ward_code", "ward_name", "comparator", "comparator_code", "target",
               "target_value", "target_value_high", "unit", "target_text",
               "source_ref", "base_text", "has_report", "status", "status_reason",
               "actual_to_date", "pct_of_target", "pct_of_scenario", "actual_period",
               "provisional", "carried", "cutoff_date"]
    if targets.empty:
        return pd.DataFrame(columns=columns)
    wanted = ["ward_code", "has_report", "status", "status_reason", "actual_to_date",
              "pct_of_target", "pct_of_scenario", "actual_period", "provisional", "carried",
              "cutoff_date"]
    progress = status[wanted] if not status.empty else pd.DataFrame(columns=wanted)
    frame = targets.merge(progress, on="ward_code", how="left")
    frame["comparator_code"] = frame["comparator"]
    frame["comparator"] = frame["comparator"].map(lambda c: COMPARATOR_LABELS.get(c, text_or(c)))
    frame["target"] = [target_value_text(r) for r in frame.itertuples(index=False)]
    frame["has_report"] = frame["has_report"].fillna(False).astype(bool)
    frame["status"] = frame["status"].fillna(GREY)
    frame = frame.sort_values("ward_name", key=lambda s: s.map(fold))
    return frame[columns].reset_index(drop=True)


def compare_view(rows: pd.DataFrame) -> pd.DataFrame:
    """Progress first (what leaders compare), then the target as written."""
    return pd.DataFrame({
        "Phường": rows["ward_name"],
        "Trạng thái": [status_caption(r) for r in rows.itertuples(index=False)],
        "% chỉ tiêu năm": rows["pct_of_target"].map(pct),
        "% kịch bản": rows["pct_of_scenario"].map(pct),
        "Thực hiện": [format_value(v, u) for v, u in zip(rows["actual_to_date"], rows["unit"], strict=True)],
        "Chỉ tiêu": [target_short(r.comparator_code, r.target_value, r.target_value_high, r.unit,
                                  r.base_text) for r in rows.itertuples(index=False)],
        "Chỉ tiêu (nguyên văn)": rows["target_text"].map(text_or),
        "Báo cáo": rows["has_report"].map(lambda r: "Đã có" if r else "Chưa gửi"),
        "Nguồn chỉ tiêu": rows["source_ref"].map(text_or),
    })


def shared_matrix(shared: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Shared indicators × wards; each cell: the target, then status and % of target."""
    if shared.empty:
        return pd.DataFrame()
    wanted = ["ward_code", "indicator_code", "status", "pct_of_target", "kind"]
    progress = status[[c for c in wanted if c in status]] \
        if not status.empty else pd.DataFrame(columns=wanted)
    frame = shared.merge(progress, on=["ward_code", "indicator_code"], how="left")
    if "kind" not in frame:
        frame["kind"] = None

    def cell(row) -> str:
        head = target_short(row.comparator, row.target_value, row.target_value_high, row.unit)
        style = STATUS_STYLES.get(row.status if not is_missing(row.status) else GREY)
        if row.kind == kinds.MILESTONE:
            return f"{head} | {style.symbol} {MILESTONE_TEXT}"
        tail = style.symbol + (f" {pct(row.pct_of_target)} CT" if not is_missing(row.pct_of_target) else "")
        return f"{head} | {tail}"

    frame["cell"] = [cell(r) for r in frame.itertuples(index=False)]
    wide = frame.pivot_table(index=["indicator_name"], columns="ward_name", values="cell",
                             aggfunc="first").fillna("")
    wide = wide.loc[sorted(wide.index, key=fold)]
    wide = wide[sorted(wide.columns, key=fold)]
    wide.columns.name = None
    return wide.reset_index().rename(columns={"indicator_name": "Chỉ tiêu"})
