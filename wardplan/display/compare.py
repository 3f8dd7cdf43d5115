"""Units side by side on one indicator — every unit ranked, the distribution — and the
shared indicators × units matrix for a few units."""

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
from wardplan.rules.frames import records
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
    frame["target"] = [target_value_text(r) for r in records(frame)]
    frame["has_report"] = frame["has_report"].fillna(False).astype(bool)
    frame["status"] = frame["status"].fillna(GREY)
    frame = frame.sort_values("ward_name", key=lambda s: s.map(fold))
    return frame[columns].reset_index(drop=True)


# --- the ranking of every unit planning the indicator ------------------------------------

BY_SCENARIO, BY_TARGET = "pct_of_scenario", "pct_of_target"
MEASURE_LABELS_VI = {BY_SCENARIO: "% kịch bản đến kỳ", BY_TARGET: "% chỉ tiêu năm"}


def ranking(rows: pd.DataFrame, by: str = BY_SCENARIO,
            units: pd.DataFrame | None = None) -> pd.DataFrame:
    """`compare_rows` best first on `by` (both percentages already read "higher is
    better", whatever the indicator's direction), ranked 1, 2, … (ties share a rank);
    units without the figure follow by name, unranked.  With `units` (v_wards), each
    row also gets its unit type."""
    frame = rows.copy()
    if units is not None and not units.empty:
        frame["unit_type_vi"] = frame["ward_code"].map(
            dict(zip(units["ward_code"], units["unit_type_vi"], strict=True))).fillna("")
    elif "unit_type_vi" not in frame:
        frame["unit_type_vi"] = ""
    frame[by] = pd.to_numeric(frame[by], errors="coerce")
    frame["_name"] = frame["ward_name"].map(lambda n: fold(text_or(n)))
    frame = frame.sort_values([by, "_name"], ascending=[False, True], na_position="last")
    frame["rank"] = frame[by].rank(method="min", ascending=False)
    return frame.drop(columns="_name").reset_index(drop=True)


def ranked_count(ranked: pd.DataFrame) -> int:
    return int(ranked["rank"].notna().sum())


def rank_sentence(ranked: pd.DataFrame, ward: str | None, by: str, ward_name: str) -> str:
    """'Phù Liễn: hạng 1/1 đơn vị có số liệu theo % kịch bản đến kỳ (145,3%); trung vị
    145,3%.' — or why the ward is not ranked."""
    measure = MEASURE_LABELS_VI[by]
    ranked_units = ranked_count(ranked)
    values = ranked.loc[ranked["rank"].notna(), by]
    median = f"; trung vị của {ranked_units} đơn vị: {pct(values.median())}" if ranked_units else ""
    mine = ranked[ranked["ward_code"] == ward] if ward else ranked.iloc[0:0]
    if mine.empty:
        return f"{ward_name} không đặt chỉ tiêu này{median}."
    row = mine.iloc[0]
    if is_missing(row["rank"]):
        why = "chưa có báo cáo" if not row["has_report"] else "chưa có số liệu so được"
        return f"{ward_name}: {why} theo {measure}{median}."
    return (f"{ward_name}: hạng {int(row['rank'])}/{ranked_units} đơn vị có số liệu theo "
            f"{measure} ({pct(row[by])}){median}.")


def page_with(ranked: pd.DataFrame, ward: str | None, size: int) -> int:
    """The page (1-based) of the ranking that holds `ward` (1 if it is not there)."""
    where = ranked.index[ranked["ward_code"] == ward] if ward else []
    return int(where[0]) // size + 1 if len(where) else 1


def ranking_view(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranking as a table: rank, unit, progress on both measures, then the target as
    written and its source."""
    view = compare_view(ranked).rename(columns={"Phường": "Đơn vị"})
    view.insert(0, "Hạng", ranked["rank"].map(lambda r: "—" if is_missing(r) else str(int(r))))
    view.insert(2, "Loại", ranked["unit_type_vi"].map(text_or))
    return view


def compare_view(rows: pd.DataFrame) -> pd.DataFrame:
    """Progress first (what leaders compare), then the target as written."""
    return pd.DataFrame({
        "Phường": rows["ward_name"],
        "Trạng thái": [status_caption(r) for r in records(rows)],
        "% chỉ tiêu năm": rows["pct_of_target"].map(pct),
        "% kịch bản": rows["pct_of_scenario"].map(pct),
        "Thực hiện": [format_value(v, u) for v, u in zip(rows["actual_to_date"], rows["unit"], strict=True)],
        "Chỉ tiêu": [target_short(r.comparator_code, r.target_value, r.target_value_high, r.unit,
                                  r.base_text) for r in records(rows)],
        "Chỉ tiêu (nguyên văn)": rows["target_text"].map(text_or),
        "Báo cáo": rows["has_report"].map(lambda r: "Đã có" if r else "Chưa gửi"),
        "Nguồn chỉ tiêu": rows["source_ref"].map(text_or),
    })


def shared_matrix(shared: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Shared indicators × wards; each cell: the target, then status and % of target (the
    first row of a unit and indicator that has two).  Built in plain dicts: a merge and a
    pivot of a hundred cells were most of the compare page's first view of a unit."""
    if shared.empty:
        return pd.DataFrame()
    progress: dict[tuple, object] = {}
    if not status.empty:
        for row in records(status[[c for c in ("ward_code", "indicator_code", "status",
                                                "pct_of_target", "kind") if c in status]]):
            progress.setdefault((row.ward_code, row.indicator_code), row)

    def cell(row) -> str:
        shown = progress.get((row.ward_code, row.indicator_code))
        status, pct_of_target = (shown.status, shown.pct_of_target) if shown else (None, None)
        head = target_short(row.comparator, row.target_value, row.target_value_high, row.unit)
        style = STATUS_STYLES.get(status if not is_missing(status) else GREY)
        if getattr(shown, "kind", None) == kinds.MILESTONE:
            return f"{head} | {style.symbol} {MILESTONE_TEXT}"
        tail = style.symbol + (f" {pct(pct_of_target)} CT" if not is_missing(pct_of_target) else "")
        return f"{head} | {tail}"

    cells: dict[tuple[str, str], str] = {}
    for row in records(shared):
        if not (is_missing(row.indicator_name) or is_missing(row.ward_name)):
            cells.setdefault((row.indicator_name, row.ward_name), cell(row))
    names = sorted({name for name, _ in cells}, key=fold)
    wards = sorted({ward for _, ward in cells}, key=fold)
    return pd.DataFrame({"Chỉ tiêu": names,
                         **{ward: [cells.get((name, ward), "") for name in names]
                            for ward in wards}})
