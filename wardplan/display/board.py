"""The city board: every unit as a row, the indicator groups as columns, worst first.

From 3 wards to the city's 114 units (and more), a leader reads one row per
unit: how many of its indicators are red, amber, green and grey in each group
(group_vi), whether it reported for the period, and which indicators are behind.
Filters (unit type, status, group, a name search that ignores diacritics), the
order and the page are applied here, in pandas, on frames computed once per
database generation and period (`city_board`); a page only ever formats the
rows it shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from wardplan.display.format import format_value, pct, progress_link
from wardplan.display.overview import OTHER_GROUP, PhoneItem
from wardplan.display.search import matching
from wardplan.display.styles import (
    PROVISIONAL_MARK,
    STATUS_ORDER,
    STATUS_RANK,
    STATUS_STYLES,
    qualifiers,
    status_marks,
    status_text,
)
from wardplan.rules.frames import records
from wardplan.rules.missing import is_missing, is_true, text_or
from wardplan.rules.numbers import format_number_vi
from wardplan.rules.periods import end_month, latest_part, period_label, period_sort_key
from wardplan.rules.reporting import LABELS_VI as REPORTING_LABELS_VI
from wardplan.rules.reporting import REPORTED
from wardplan.rules.status import AMBER, DATA_ERROR, GREY, RED
from wardplan.rules.text import fold

PAGE_SIZE = 25  # units per page of the board
NAMED_ITEMS = 3  # red and amber indicators named per unit; the rest are counted
KEY_ROWS = 10  # key indicators in the city summary before "show all"

SORT_RED, SORT_AMBER, SORT_UNREPORTED, SORT_NAME = "red", "amber", "unreported", "name"
SORT_LABELS_VI = {
    SORT_RED: f"Nhiều {STATUS_STYLES[RED].text} nhất",
    SORT_AMBER: f"Nhiều {STATUS_STYLES[AMBER].text} nhất",
    SORT_UNREPORTED: "Chưa báo cáo trước",
    SORT_NAME: "Tên đơn vị (A–Z)",
}
# A table cell is Markdown: two spaces and a newline break the line (escaping keeps them).
LINE_BREAK = "  \n"
_COUNTS = list(STATUS_ORDER)


# --- what the board is computed from, once per generation and period ------------------

@dataclass(frozen=True)
class CityBoard:
    """Every unit, its counts per group and status, and the indicators it is behind on."""

    units: pd.DataFrame  # ward_code, ward_name, unit_type_vi, has_report, latest_period
    cells: pd.DataFrame  # ward_code, group_vi, red, amber, green, grey (counts)
    items: pd.DataFrame  # red, amber and data-error rows, worst first, with their text
    groups: list[str] = field(default_factory=list)  # in the board's column order
    types: list[str] = field(default_factory=list)  # unit types present (Phường, Xã, …)

    @property
    def empty(self) -> bool:
        return self.units.empty


def _status_of(status: pd.Series) -> pd.Series:
    return status.where(status.isin(list(STATUS_STYLES)), GREY)


def city_board(status: pd.DataFrame, units: pd.DataFrame, as_of: str) -> CityBoard:
    """`status` is `queries.status(as_of=…)`, `units` is `queries.wards` (v_wards): every
    unit is on the board, also one with no status rows at all."""
    unit_frame = pd.DataFrame({
        "ward_code": units["ward_code"], "ward_name": units["name_vi"].fillna(units["ward_code"]),
        "unit_type_vi": units["unit_type_vi"].fillna(""),
        "has_report": units["has_report"].fillna(False).astype(bool)})
    if status.empty:
        empty_cells = pd.DataFrame(columns=["ward_code", "group_vi", *_COUNTS])
        return CityBoard(_with_latest(unit_frame, status, as_of), empty_cells, _empty_items(),
                         [], _types(unit_frame))
    frame = status.assign(status=_status_of(status["status"]),
                          group_vi=status["group_vi"].fillna(OTHER_GROUP))
    cells = (frame.groupby(["ward_code", "group_vi"])["status"].value_counts()
             .unstack(fill_value=0).reindex(columns=_COUNTS, fill_value=0).reset_index())
    cells.columns.name = None
    groups = sorted(frame["group_vi"].unique(), key=fold)
    return CityBoard(_with_latest(unit_frame, frame, as_of), cells, _items(frame), groups,
                     _types(unit_frame))


def _types(units: pd.DataFrame) -> list[str]:
    present = [t for t in units["unit_type_vi"].unique() if t]
    order = {"Phường": 0, "Xã": 1, "Đặc khu": 2}
    return sorted(present, key=lambda t: (order.get(t, 9), fold(t)))


def _with_latest(units: pd.DataFrame, status: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Each unit's latest reported period among the figures shown, and whether that is
    before `as_of` (its statuses are carried from an earlier report: the ↩ mark)."""
    latest: dict[str, str] = {}
    if not status.empty:
        pairs = status[["ward_code", "actual_period"]].dropna().drop_duplicates()
        last = {p: latest_part(p) for p in pairs["actual_period"].unique()}
        for ward, period in zip(pairs["ward_code"], pairs["actual_period"], strict=True):
            mine = last[period]
            if ward not in latest or period_sort_key(mine) > period_sort_key(latest[ward]):
                latest[ward] = mine
    due = end_month(as_of)
    carried = {ward for ward, period in latest.items() if end_month(period) < due}
    return units.assign(latest_period=units["ward_code"].map(latest),
                        carried=units["ward_code"].isin(carried))


# What a unit's items are told from (item_text, qualifiers, the phone's figure): formatted
# for the page of units shown, not for every red and amber row of the city.
_ITEM_COLUMNS = ["ward_code", "group_vi", "indicator_code", "indicator_name", "status",
                 "status_reason", "pct_of_scenario", "provisional", "ward_verdict", "carried",
                 "actual_period", "cutoff_date", "actual_to_date", "unit"]


def _empty_items() -> pd.DataFrame:
    return pd.DataFrame(columns=_ITEM_COLUMNS)


def _items(frame: pd.DataFrame) -> pd.DataFrame:
    named = frame[frame["status"].isin([RED, AMBER])
                  | ((frame["status"] == GREY) & (frame["status_reason"] == DATA_ERROR))].copy()
    if named.empty:
        return _empty_items()
    named["indicator_name"] = named["indicator_name"].fillna(named["indicator_code"])
    named["_rank"] = named["status"].map(STATUS_RANK)
    named = named.sort_values(["_rank", "pct_of_scenario", "indicator_name"], na_position="last")
    return named[_ITEM_COLUMNS].reset_index(drop=True)


def item_text(row) -> str:
    """'▼ Tổng chi ngân sách (87,6% KB)* ≠', '▼ Thu tiền thuê đất (0,7% KB)* ↩' (a tight
    cell: the period a carried figure is from is in the full list and on the unit's
    progress page), or '○ Lỗi dữ liệu: Phí, lệ phí'."""
    name = text_or(row.indicator_name, row.indicator_code)
    if row.status == GREY:
        return f"{status_text(GREY, row.status_reason)}: {name}"
    parts = [STATUS_STYLES[row.status].symbol, name]
    if not is_missing(row.pct_of_scenario):
        mark = PROVISIONAL_MARK if is_true(row.provisional) else ""
        parts.append(f"({pct(row.pct_of_scenario)} KB){mark}")
    return " ".join([*parts, *(m.split(" ")[0] for m in status_marks(row))])


# --- choosing the rows ------------------------------------------------------------------

@dataclass(frozen=True)
class BoardFilter:
    """What the reader chose; every empty choice means "all"."""

    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    query: str = ""
    sort: str = SORT_RED


def select_units(board: CityBoard, chosen: BoardFilter,
                 reporting: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The units that match `chosen`, in its order, with their counts over the chosen
    groups (red, amber, green, grey, total) and their reporting state for the period.

    A status filter keeps the units with at least one indicator of a chosen status
    in the chosen groups.  `reporting` maps ward_code to `rules.reporting` states.
    """
    units = board.units
    if chosen.types:
        units = units[units["unit_type_vi"].isin(chosen.types)]
    if chosen.query.strip():
        names = dict(zip(units["ward_code"], units["ward_name"], strict=True))
        units = units[units["ward_code"].isin(matching(list(names), names, chosen.query))]
    cells = board.cells
    if chosen.groups:
        cells = cells[cells["group_vi"].isin(chosen.groups)]
    totals = cells.groupby("ward_code")[_COUNTS].sum()
    rows = units.join(totals, on="ward_code")
    rows[_COUNTS] = rows[_COUNTS].fillna(0).astype(int)
    rows["total"] = rows[_COUNTS].sum(axis=1)
    if chosen.statuses:
        rows = rows[(rows[list(chosen.statuses)] > 0).any(axis=1)]
    states = reporting or {}
    rows = rows.assign(reporting=rows["ward_code"].map(lambda w: states.get(w, "")),
                       _name=rows["ward_name"].map(fold))
    rows["_unreported"] = (rows["reporting"] != REPORTED).astype(int)
    order = {
        SORT_RED: (["red", "amber", "_name"], [False, False, True]),
        SORT_AMBER: (["amber", "red", "_name"], [False, False, True]),
        SORT_UNREPORTED: (["_unreported", "red", "amber", "_name"], [False, False, False, True]),
        SORT_NAME: (["_name"], [True]),
    }[chosen.sort if chosen.sort in SORT_LABELS_VI else SORT_RED]
    rows = rows.sort_values(order[0], ascending=order[1], kind="stable")
    return rows.drop(columns=["_name", "_unreported"]).reset_index(drop=True)


def page_count(rows: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-rows // size))


def page_bounds(total: int, page: int, size: int = PAGE_SIZE) -> tuple[int, int]:
    """Where page `page` (1-based; a page past the end is the last one) starts and stops."""
    page = min(max(1, page), page_count(total, size))
    return (page - 1) * size, min(page * size, total)


def page_of(rows, page: int, size: int = PAGE_SIZE):
    """The rows (a frame, or a list) on page `page`."""
    first, last = page_bounds(len(rows), page, size)
    return rows.iloc[first:last] if isinstance(rows, pd.DataFrame | pd.Series) else rows[first:last]


def page_caption(total: int, page: int, size: int = PAGE_SIZE, noun: str = "đơn vị") -> str:
    """'Đơn vị 26–50 trong 114', 'Phát hiện 51–100 trong 6.054', 'Đơn vị thứ 26 trong 26'
    (or 'Cả 3 đơn vị')."""
    if total <= size:
        return f"Cả {format_number_vi(total)} {noun}" if total != 1 else f"1 {noun}"
    first, last = page_bounds(total, page, size)
    shown = f"thứ {format_number_vi(last)}" if first + 1 == last else \
        f"{format_number_vi(first + 1)}–{format_number_vi(last)}"
    return f"{noun.capitalize()} {shown} trong {format_number_vi(total)}"


# --- the rows as shown -------------------------------------------------------------------

def reporting_text(state: str, has_report: bool, latest: object, carried: bool,
                   year: int) -> str:
    """'Đã báo cáo', 'Quá hạn, chưa báo cáo · ↩ số liệu Tháng 1/2026', or
    'Chưa gửi báo cáo năm 2026' for a unit with no report at all."""
    if not has_report:
        return f"Chưa gửi báo cáo năm {year}"
    text = REPORTING_LABELS_VI.get(state, "")
    if carried and isinstance(latest, str):
        text = " · ".join(t for t in (text, f"↩ số liệu {period_label(latest)}") if t)
    return text


def _named(items: pd.DataFrame, limit: int) -> dict[str, tuple[list, int, int]]:
    """Per unit: its first `limit` red/amber rows (worst first), how many more, and how
    many of its figures have a data error.  One pass in plain Python: pandas per-group
    selections cost more than the rows."""
    behind: dict[str, list] = {}
    errors: dict[str, int] = {}
    for row in records(items):
        if row.status == GREY:
            errors[row.ward_code] = errors.get(row.ward_code, 0) + 1
        else:
            behind.setdefault(row.ward_code, []).append(row)
    return {ward: (behind.get(ward, [])[:limit], max(0, len(behind.get(ward, [])) - limit),
                   errors.get(ward, 0))
            for ward in {*behind, *errors}}


@dataclass(frozen=True)
class Counts:
    """A cell of status counts: {status: n} for the statuses present, worst first, and
    how many of its red and amber are provisional ("tạm tính")."""

    by_status: dict[str, int]
    provisional: int = 0


@dataclass(frozen=True)
class TableView:
    """A table as shown.  `text` holds the cells; the columns named in `counts` hold
    `Counts` (what a page draws as status badges), and `links` maps a shown column to
    the column of `text` holding each row's URL."""

    text: pd.DataFrame
    counts: tuple[str, ...] = ()
    links: dict[str, str] = field(default_factory=dict)


def units_view(rows: pd.DataFrame, board: CityBoard, groups: Sequence[str], as_of: str,
               year: int, base: str = "tien-do") -> TableView:
    """One row per unit of `rows` (a page of `select_units`): name (a link to its progress
    page), type, reporting, its counts per status in all and per group, and the
    indicators it is behind on."""
    groups = list(groups) or board.groups
    reporting_column = f"Báo cáo kỳ {period_label(as_of)}"
    header = ["Đơn vị", "Loại", reporting_column, "Tổng", *groups, "Chậm và cần chú ý", "_url"]
    counted = ("Tổng", *groups)
    if rows.empty:
        return TableView(pd.DataFrame(columns=header), counted, {"Đơn vị": "_url"})
    wards = list(rows["ward_code"])
    cells = board.cells[board.cells["ward_code"].isin(wards)
                        & board.cells["group_vi"].isin(groups)]
    per_group = {(ward, group): dict(zip(_COUNTS, counts, strict=True))
                 for ward, group, *counts in records(cells[["ward_code", "group_vi", *_COUNTS]])}
    items = board.items[board.items["ward_code"].isin(wards)
                        & board.items["group_vi"].isin(groups)]
    named = _named(items, NAMED_ITEMS)
    out = []
    for r in records(rows):
        behind, more, errors = named.get(r.ward_code, ([], 0, 0))
        lines = [item_text(i) for i in behind]
        if more:
            lines.append(f"… và {more} chỉ tiêu khác")
        if errors:
            lines.append(f"{status_text(GREY, DATA_ERROR)}: {errors} chỉ tiêu")
        if not lines:
            lines.append("Chưa có báo cáo thực hiện" if not r.has_report else
                         f"Không có chỉ tiêu {STATUS_STYLES[RED].text} hoặc "
                         f"{STATUS_STYLES[AMBER].text}")
        out.append({
            "Đơn vị": r.ward_name, "Loại": r.unit_type_vi,
            reporting_column: reporting_text(r.reporting, r.has_report, r.latest_period,
                                             r.carried, year),
            "Tổng": _present({s: getattr(r, s) for s in _COUNTS}),
            **{g: _present(per_group.get((r.ward_code, g), {})) for g in groups},
            "Chậm và cần chú ý": LINE_BREAK.join(lines),
            "_url": progress_link(r.ward_code, as_of, base)})
    return TableView(pd.DataFrame(out, columns=header), counted, {"Đơn vị": "_url"})


def _present(counts: Mapping[str, int]) -> Counts:
    """The statuses a cell has, worst first (a unit with no indicator there: empty)."""
    return Counts({s: int(counts[s]) for s in STATUS_ORDER if counts.get(s, 0)})


def counts_text(counts: Mapping[str, int]) -> str:
    """'▼ 3 · ▲ 18 · ○ 8': each status present, with its symbol."""
    return " · ".join(f"{STATUS_STYLES[s].symbol} {int(counts[s])}" for s in STATUS_ORDER
                      if counts.get(s, 0))


# --- the board on a phone -------------------------------------------------------------

@dataclass(frozen=True)
class PhoneUnit:
    ward_code: str
    ward_name: str
    unit_type_vi: str
    reporting: str  # as in the wide board's reporting column
    counts: str  # "▼ 3 · ▲ 18 · ○ 8"
    first: list[PhoneItem]  # red and amber, worst first (at most NAMED_ITEMS)
    more: int  # red and amber not listed
    data_errors: int
    has_report: bool


def _phone_item(row) -> PhoneItem:
    return PhoneItem(status=row.status, indicator_name=str(row.indicator_name),
                     figure=format_value(row.actual_to_date, row.unit),
                     pct_scenario="" if is_missing(row.pct_of_scenario) else
                     f"{pct(row.pct_of_scenario)} KB",
                     reason=text_or(row.status_reason) or None, qualifiers=list(qualifiers(row)))


def phone_units(rows: pd.DataFrame, board: CityBoard, groups: Sequence[str],
                year: int) -> list[PhoneUnit]:
    """The same page of units as a list a thumb can scroll: per unit its counts, its
    reporting and the indicators it is behind on."""
    groups = list(groups) or board.groups
    items = board.items[board.items["ward_code"].isin(list(rows["ward_code"]))
                        & board.items["group_vi"].isin(groups)]
    named = _named(items, NAMED_ITEMS)
    out = []
    for r in records(rows):
        behind, more, errors = named.get(r.ward_code, ([], 0, 0))
        out.append(PhoneUnit(
            ward_code=r.ward_code, ward_name=r.ward_name, unit_type_vi=r.unit_type_vi,
            reporting=reporting_text(r.reporting, r.has_report, r.latest_period, r.carried, year),
            counts=counts_text({s: getattr(r, s) for s in _COUNTS}),
            first=[_phone_item(i) for i in behind], more=more, data_errors=errors,
            has_report=bool(r.has_report)))
    return out


# --- the city's key indicators --------------------------------------------------------------

def key_indicators(status: pd.DataFrame, min_share: float = 0.5) -> pd.DataFrame:
    """Per key indicator, how many units are red, amber, green and grey on it.

    Key: not a component of another indicator (revenue by source), and planned by at
    least `min_share` of the units that plan anything (and by two at least).  Most
    units red first, then amber.  `red_provisional` and `amber_provisional` count the
    provisional among them; `red_units` names the red units, worst first.
    """
    columns = ["indicator_code", "indicator_name", "group_vi", "units", *_COUNTS,
               "red_provisional", "amber_provisional", "red_units"]
    if status.empty:
        return pd.DataFrame(columns=columns)
    frame = status[status["parent_code"].isna()].assign(status=_status_of(status["status"]))
    if frame.empty:
        return pd.DataFrame(columns=columns)
    planning = status["ward_code"].nunique()
    counts = (frame.groupby("indicator_code")["status"].value_counts().unstack(fill_value=0)
              .reindex(columns=_COUNTS, fill_value=0))
    counts["units"] = frame.groupby("indicator_code")["ward_code"].nunique()
    provisional = frame[frame["provisional"].map(is_true)]
    for status_code in (RED, AMBER):
        counts[f"{status_code}_provisional"] = (
            provisional[provisional["status"] == status_code].groupby("indicator_code").size()
            .reindex(counts.index, fill_value=0))
    red = frame[frame["status"] == RED].sort_values(["pct_of_scenario", "ward_name"])
    counts["red_units"] = red.groupby("indicator_code")["ward_name"].agg(list) \
        .reindex(counts.index)
    counts["red_units"] = counts["red_units"].map(lambda v: v if isinstance(v, list) else [])
    meta = frame.drop_duplicates("indicator_code").set_index("indicator_code")
    counts["indicator_name"] = meta["indicator_name"].fillna(pd.Series(meta.index, meta.index))
    counts["group_vi"] = meta["group_vi"].fillna(OTHER_GROUP)
    counts = counts[counts["units"] >= max(2, min_share * planning)].reset_index()
    counts["_name"] = counts["indicator_name"].map(fold)
    counts = counts.sort_values(["red", "amber", "units", "_name"],
                                ascending=[False, False, False, True])
    counts.columns.name = None
    return counts[columns].reset_index(drop=True)


def key_indicators_view(summary: pd.DataFrame, names_shown: int = 3) -> TableView:
    """The key indicators as a table: per status the number of units (the provisional
    among the red and amber said), the red units named."""
    red, amber, green, grey = (STATUS_STYLES[s].text for s in STATUS_ORDER)
    header = ["Chỉ tiêu", "Lĩnh vực", "Số đơn vị có chỉ tiêu", red, amber, green, grey,
              f"Đơn vị {STATUS_STYLES[RED].label.lower()}"]
    out = []
    for r in records(summary):
        names = list(r.red_units)
        shown = ", ".join(names[:names_shown]) + (f" và {len(names) - names_shown} đơn vị khác"
                                                  if len(names) > names_shown else "")
        out.append({"Chỉ tiêu": r.indicator_name, "Lĩnh vực": r.group_vi,
                    "Số đơn vị có chỉ tiêu": int(r.units),
                    red: Counts({RED: int(r.red)}, int(r.red_provisional)),
                    amber: Counts({AMBER: int(r.amber)}, int(r.amber_provisional)),
                    green: int(r.green), grey: int(r.grey), header[-1]: shown})
    return TableView(pd.DataFrame(out, columns=header), (red, amber))
