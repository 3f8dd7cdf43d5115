"""The overview: the indicator × ward grid (a few wards at a time), counts per ward, the
attention list, the full list.  The city board, units as rows, is `display.board`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from wardplan.display.format import (
    detail_link,
    first_sentence,
    format_amount,
    format_value,
    outlook_short,
    outlook_text,
    pct,
    scenario_basis,
)
from wardplan.display.styles import (
    PROVISIONAL_MARK,
    STATUS_ORDER,
    STATUS_RANK,
    STATUS_STYLES,
    qualifiers,
    status_caption,
    status_marks,
    status_text,
    style_of,
)
from wardplan.rules.frames import records
from wardplan.rules.missing import is_missing, is_true, text_or
from wardplan.rules.periods import end_month, latest_part, period_label, period_sort_key
from wardplan.rules.status import AMBER, GREY, RED, verdict_differs
from wardplan.rules.text import fold

OTHER_GROUP = "Khác"  # an indicator the catalogue gives no group


def _cell_text(row) -> str:
    """'▼ 86.450 (87,6% KB)*', '○ Lỗi dữ liệu', '▲ 27,68 (110,7% KB) ↩ Quý I/2026'."""
    style = style_of(row.status)
    if row.status == GREY:
        parts = [status_text(row.status, row.status_reason)]
    else:
        parts = [style.symbol, format_amount(row.actual_to_date)]
    if not is_missing(row.pct_of_scenario) and row.status != GREY:
        mark = PROVISIONAL_MARK if is_true(row.provisional) else ""
        parts.append(f"({pct(row.pct_of_scenario)} KB){mark}")
    return " ".join([*parts, *status_marks(row)])


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
    frame["cell"] = [_cell_text(r) for r in records(frame)]
    frame["group_vi"] = frame["group_vi"].fillna(OTHER_GROUP)
    frame["unit"] = frame["unit"].fillna("")
    frame["indicator_name"] = frame["indicator_name"].fillna(frame["indicator_code"])
    names = ward_names or dict(zip(frame["ward_code"], frame["ward_name"], strict=True))
    ward_order = sorted(frame["ward_code"].unique(), key=lambda w: fold(names.get(w, w)))
    index = ["group_vi", "indicator_name", "unit"]
    text = frame.pivot_table(index=index, columns="ward_code", values="cell", aggfunc="first")
    colour = frame.pivot_table(index=index, columns="ward_code", values="status", aggfunc="first")
    text = text.reindex(columns=ward_order).fillna("")
    colour = colour.reindex(columns=ward_order)
    order = sorted(text.index, key=lambda key: (fold(key[0]), fold(key[1])))
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
        key=lambda s: s.map(fold) if s.name == "ward_name" else s)
    counts.columns.name = None
    return counts[columns].reset_index(drop=True)


def filter_status(status: pd.DataFrame, *, wards: Sequence[str] | None = None,
                  groups: Sequence[str] = (), statuses: Sequence[str] = ()) -> pd.DataFrame:
    """Status rows of these wards (None: all), in these groups and statuses (empty: all)."""
    keep = pd.Series(True, index=status.index)
    if wards is not None:
        keep &= status["ward_code"].isin(list(wards))
    if groups:
        keep &= status["group_vi"].fillna(OTHER_GROUP).isin(list(groups))
    if statuses:
        keep &= status["status"].isin(list(statuses))
    return status[keep]


def attention_items(status: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """Red then amber items, worst first, with their reason and the ward's own verdict;
    the first `limit` of them (all with None), formatted."""
    columns = ["ward_code", "ward_name", "indicator_code", "indicator_name", "unit", "status",
               "status_text", "qualifiers", "figure", "pct_scenario", "pct_target", "headline",
               "note", "ward_verdict", "verdict_differs", "actual_period", "as_of", "outlook",
               "provisional"]
    if status.empty:
        return pd.DataFrame(columns=columns)
    items = status[status["status"].isin([RED, AMBER])]
    if items.empty:
        return pd.DataFrame(columns=columns)
    items = items.assign(rank=items["status"].map({RED: 0, AMBER: 1}))
    items = items.sort_values(["rank", "pct_of_scenario", "ward_name", "indicator_name"],
                              na_position="last")
    if limit is not None:
        items = items.head(limit)
    items = items.copy()
    items["status_text"] = items["status"].map(status_text)
    items["qualifiers"] = [" · ".join(qualifiers(r)) for r in records(items)]
    items["outlook"] = [outlook_text(r) for r in records(items)]
    items["provisional"] = items["provisional"].map(is_true)
    items["figure"] = [format_value(v, u)
                       for v, u in zip(items["actual_to_date"], items["unit"], strict=True)]
    items["pct_scenario"] = items["pct_of_scenario"].map(pct)
    items["pct_target"] = items["pct_of_target"].map(pct)
    items["headline"] = items["note"].map(first_sentence)
    items["note"] = items["note"].map(text_or)
    items["verdict_differs"] = [verdict_differs(s, v)
                                for s, v in zip(items["status"], items["ward_verdict"], strict=True)]
    items["ward_verdict"] = items["ward_verdict"].map(text_or)
    return items[columns].reset_index(drop=True)


def worst_first(status: pd.DataFrame) -> pd.DataFrame:
    """Status rows red, amber, green, grey; within each the furthest behind first."""
    rank = status["status"].map(STATUS_RANK)
    return status.assign(_rank=rank).sort_values(
        ["_rank", "pct_of_scenario", "ward_name", "indicator_name"],
        na_position="last").drop(columns="_rank")


def status_list_view(status: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Every ward × indicator as one row, worst first, with a link to its detail page.

    Formats every row it gets: a page passes one page of `worst_first(status)`."""
    if status.empty:
        return pd.DataFrame(columns=["Trạng thái", "Đơn vị", "Chỉ tiêu", "Thực hiện",
                                     "% kịch bản", "% chỉ tiêu năm", "Kỳ số liệu",
                                     "Cơ sở kịch bản", "Dự báo cuối năm", "Lý do",
                                     "Đơn vị tự đánh giá", "Chi tiết"])
    frame = worst_first(status)
    return pd.DataFrame({
        "Trạng thái": [status_caption(r) for r in records(frame)],
        "Đơn vị": frame["ward_name"],
        "Chỉ tiêu": frame["indicator_name"].fillna(frame["indicator_code"]),
        "Thực hiện": [format_value(v, u)
                      for v, u in zip(frame["actual_to_date"], frame["unit"], strict=True)],
        "% kịch bản": frame["pct_of_scenario"].map(pct),
        "% chỉ tiêu năm": frame["pct_of_target"].map(pct),
        "Kỳ số liệu": frame["actual_period"].map(
            lambda code: period_label(code) if isinstance(code, str) else "—"),
        "Cơ sở kịch bản": [scenario_basis(r) for r in records(frame)],
        "Dự báo cuối năm": [outlook_short(r) for r in records(frame)],
        "Lý do": frame["note"].map(text_or),
        "Đơn vị tự đánh giá": frame["ward_verdict"].map(text_or),
        "Chi tiết": [detail_link(w, i, as_of)
                     for w, i in zip(frame["ward_code"], frame["indicator_code"], strict=True)],
    }).reset_index(drop=True)


def period_has_actuals(status: pd.DataFrame, as_of: str) -> bool:
    """Whether any figure shown at `as_of` was reported for that very period's end."""
    if status.empty:
        return False
    # The city's rows at a period name a few dozen periods between them: each read once.
    reported = status["actual_period"].dropna().unique().tolist()
    target_end = end_month(as_of)
    return any(end_month(latest_part(p)) == target_end for p in reported)


def latest_data_period(status: pd.DataFrame) -> str | None:
    reported = status["actual_period"].dropna().unique().tolist() if not status.empty else []
    return max((latest_part(p) for p in reported), key=period_sort_key) if reported else None


def board_css(board: Board) -> pd.DataFrame:
    """Per cell of `board.text`: the CSS that tints it by status (dark text everywhere)."""
    css = pd.DataFrame("color: #1A1A1A", index=board.text.index, columns=board.text.columns)
    for column in board.status.columns[3:]:
        css[column] = board.status[column].map(
            lambda s: "color: #1A1A1A" if is_missing(s) else
            f"background-color: {STATUS_STYLES[s].tint}; color: #1A1A1A")
    return css


# --- the board on a phone -----------------------------------------------------------------

@dataclass(frozen=True)
class PhoneItem:
    status: str
    indicator_name: str
    figure: str  # "86.450 triệu đồng" or "—"
    pct_scenario: str  # "87,6% KB" or ""
    reason: str | None  # why a grey status is grey
    qualifiers: list[str]  # what the status rests on: tạm tính, số liệu Tháng 1/2026, …


@dataclass(frozen=True)
class PhoneWard:
    ward_code: str
    ward_name: str
    has_report: bool
    counts: dict[str, int]
    first: list[PhoneItem]  # red and amber, worst first: what a leader reads
    rest: list[PhoneItem]  # green, then grey


def phone_board(status: pd.DataFrame, as_of: str) -> list[PhoneWard]:
    """The board as a list a thumb can scroll: per ward (worst first) its indicators with
    status, name, figure and % of the scenario to date."""
    if status.empty:
        return []
    counts = ward_counts(status)
    wards = []
    for ward in records(counts):
        rows = status[status["ward_code"] == ward.ward_code].copy()
        rows["status"] = rows["status"].where(rows["status"].isin(list(STATUS_STYLES)), GREY)
        rows["indicator_name"] = rows["indicator_name"].fillna(rows["indicator_code"])
        rows["_rank"] = rows["status"].map(STATUS_RANK)
        rows["_name"] = rows["indicator_name"].map(fold)
        rows = rows.sort_values(["_rank", "pct_of_scenario", "_name"], na_position="last")
        items = [PhoneItem(
            status=r.status, indicator_name=str(r.indicator_name),
            figure=format_value(r.actual_to_date, r.unit),
            pct_scenario="" if is_missing(r.pct_of_scenario) else f"{pct(r.pct_of_scenario)} KB",
            reason=text_or(r.status_reason) or None, qualifiers=qualifiers(r))
            for r in records(rows)]
        wards.append(PhoneWard(
            ward_code=ward.ward_code, ward_name=ward.ward_name, has_report=bool(ward.has_report),
            counts={s: int(getattr(ward, s)) for s in STATUS_ORDER},
            first=[i for i in items if i.status in (RED, AMBER)],
            rest=[i for i in items if i.status not in (RED, AMBER)]))
    return wards
