"""Cached reads for the pages.

The database only changes when the ETL swaps in a new file, so every cache is
keyed on `Database.generation`: a rebuilt file is picked up on the next rerun
and nothing older is ever served for it.
"""

from __future__ import annotations

import atexit
import datetime as dt
import gc
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from etl.ensure import ensure_database
from intake import template as intake_template
from ui import cells
from wardplan.display import board, bundle, charts, compare, overview, progress
from wardplan.display import detail as detail_view
from wardplan.display import format as fmt
from wardplan.display import intake as intake_view
from wardplan.display import periods as display_periods
from wardplan.display import tasks as task_view
from wardplan.display.bundle import IndicatorBundle
from wardplan.display.styles import STATUS_ORDER
from wardplan.reads import queries
from wardplan.reads.db import Database
from wardplan.rules.missing import text_or
from wardplan.rules.periods import parse_period
from wardplan.rules.settings import load_settings
from wardplan.rules.status import AMBER, RED
from wardplan.rules.text import fold


@st.cache_resource(show_spinner="Đang chuẩn bị cơ sở dữ liệu…")
def database() -> Database:
    """The one Database of the process; the first run builds the file if missing."""
    db = Database(ensure_database())
    # What is loaded by now (Streamlit, pandas, Plotly, pyarrow, the app) lives as long as
    # the process: kept out of the collector's full passes, which otherwise walk all of it
    # every few reruns (some 50 ms a pass, 5 ms a rerun on average at 114 units).
    gc.freeze()
    # Handed back at exit, so that it is collected: DuckDB's bindings report whatever is
    # still alive then as leaked.
    atexit.register(gc.unfreeze)
    return db


def generation() -> Any:
    return database().generation


@st.cache_data(show_spinner=False, max_entries=1024)
def _query(name: str, generation: Any, args: tuple, kwargs: tuple) -> Any:
    return getattr(queries, name)(database(), *args, **dict(kwargs))


def _frozen(filters: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in filters.items()))


def load(query: Callable, *args, **filters) -> Any:
    """`query(database, *args, **filters)` from `wardplan.reads.queries`, cached per DB
    generation."""
    return _query(query.__name__, generation(), args, _frozen(filters))


@dataclass(frozen=True)
class EveryUnit:
    """One read's rows for every unit, unit after unit, and where each unit's rows are.

    Kept unit by unit so that a unit's rows are a slice: taking them by position cost a
    unit's first view a millisecond a read (Arrow takes every text column anew), a slice
    a tenth of that.  Copy-on-write keeps the shared read safe from whoever changes it."""

    rows: pd.DataFrame
    ranges: dict[str, tuple[int, int]]

    @classmethod
    def of_read(cls, rows: pd.DataFrame) -> EveryUnit:
        positions = rows.groupby("ward_code", sort=False).indices
        ranges, start = {}, 0
        for ward, taken in positions.items():
            ranges[ward] = (start, start + len(taken))
            start += len(taken)
        in_units = np.concatenate([_NO_ROWS, *positions.values()])
        if len(in_units) == len(rows) and np.array_equal(in_units, np.arange(len(rows))):
            return cls(rows, ranges)  # the reads are ordered by unit: no copy to make
        return cls(rows.take(in_units).reset_index(drop=True), ranges)

    def of(self, *wards: str) -> pd.DataFrame:
        """The units' rows, unit after unit, each in the read's order."""
        if len(wards) == 1:
            start, stop = self.ranges.get(wards[0], (0, 0))
            return self.rows.iloc[start:stop].reset_index(drop=True)
        taken = [np.arange(*self.ranges.get(ward, (0, 0))) for ward in wards]
        return self.rows.take(np.concatenate([_NO_ROWS, *taken])).reset_index(drop=True)


_NO_ROWS = np.array([], dtype=np.intp)


# Held, not pickled: st.cache_data would unpickle the whole read on every access.  Bounded
# by entries, not generations (a key names its generation, so nothing older is served):
# the whole tables and about twenty indicators' status and scenario, some 50 MB at 114
# units, where every indicator's would be 100 MB.
@st.cache_resource(show_spinner=False, max_entries=48)
def _every_unit(name: str, generation: Any, filters: tuple) -> EveryUnit:
    return EveryUnit.of_read(getattr(queries, name)(database(), **dict(filters)))


def unit_rows(query: Callable, ward: str, **filters) -> pd.DataFrame:
    """`query(database, ward=ward, **filters)`, taken out of one read of every unit.

    Each leader opens their own unit, so most first views are of a unit no one has
    looked at since the build: a query of its own is 3 to 9 ms at 114 units, taking its
    rows out of the read every unit shares well under one."""
    return every_unit(query, **filters).of(ward)


def every_unit(query: Callable, **filters) -> EveryUnit:
    """`query(database, **filters)` for every unit, read once per generation."""
    return _every_unit(query.__name__, generation(), _frozen(filters))


def issues_listed(ward: str | None, severities: list[str]) -> pd.DataFrame:
    """The findings of `ward` (None: every unit) of the chosen severities, in the order
    they are listed (`detail.issues_in_order`): sorted once per generation, since a city
    has thousands of them and the page shows fifty at a time."""
    return _issues_listed(generation(), ward, tuple(sorted(severities)))


@st.cache_data(show_spinner=False, max_entries=64)
def _issues_listed(generation: Any, ward: str | None, severities: tuple[str, ...]) -> pd.DataFrame:
    issues = load(queries.data_issues) if ward is None else unit_rows(queries.data_issues, ward)
    return detail_view.issues_in_order(detail_view.filter_issues(issues, None, list(severities)))


@st.cache_data(show_spinner=False, max_entries=256)
def findings_page(generation: Any, ward: str | None, severities: tuple[str, ...], page: int,
                  size: int, as_of: str) -> cells.Prepared:
    """One page of the findings as the data-quality page shows them (`issues_listed`'s
    order; the unit's column only when every unit's are listed)."""
    shown = _issues_listed(generation, ward, severities)
    view = detail_view.issues_view(board.page_of(shown, page, size), as_of)
    return sourced(view.drop(columns=["Mã kiểm tra"] + ([] if ward is None else ["Phường"])),
                   links={"Chi tiết": "Mở"})


@st.cache_data(show_spinner=False, max_entries=256)
def submission_findings_page(generation: Any, ward: str | None, page: int, size: int) -> dict:
    """How many submissions have findings (`ward`'s; None: every unit's), and one page of
    them, newest first, as shown: each one's number, label and table."""
    found = load(queries.submission_findings)
    if ward is not None:
        found = found[found["ward_code"] == ward]
    numbers = found["submission_id"].drop_duplicates()  # newest first
    on_page = found[found["submission_id"].isin(board.page_of(numbers, page, size))]
    names, indicators = ward_names(), indicator_names()
    shown = []
    for number, rows in on_page.groupby("submission_id", sort=False):
        first = rows.iloc[0]
        shown.append((int(number),
                      f"Lần nộp #{int(number)} · {names.get(first['ward_code'], first['ward_code'])}"
                      f" · {first['file_name']} · {first['submitted_by']} · {len(rows)} phát hiện",
                      cells.prepare(intake_view.findings_view(rows, indicators))))
    return {"total": len(numbers), "shown": shown}


def indicator_codes(query: Callable, ward: str, year: int) -> list[str]:
    """The unit's indicators `query` lists for a plan year (`queries.ward_indicators`,
    `queries.ward_indicators_with_actuals`), out of its read of every unit."""
    return unit_rows(query, ward, year=year)["indicator_code"].tolist()


def _of_indicator(rows: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The rows of `indicator`, in order.  The reads are ordered by unit, then indicator,
    so they are one run: a slice, where a filter took every column anew (half a
    millisecond a read, six reads a unit's detail page)."""
    found = np.flatnonzero(rows["indicator_code"].to_numpy(dtype=object, na_value=None)
                           == indicator)
    if len(found) and found[-1] - found[0] + 1 == len(found):
        return rows.iloc[found[0]:found[-1] + 1].reset_index(drop=True)
    return rows.take(found).reset_index(drop=True)


# --- shared lookups ------------------------------------------------------------

def wards() -> pd.DataFrame:
    return load(queries.wards)


@dataclass(frozen=True)
class Lookups:
    """What every page asks for on every rerun, the same for a whole generation: names and
    units, the periods, the sources' wording, the bands.  Shared by every session
    (st.cache_resource): the mappings are read-only views, and the frame and the labels
    are never to be modified."""

    ward_names: Mapping[str, str]
    ward_codes: tuple[str, ...]  # by name, diacritics folded, as the unit picker lists them
    indicator_info: pd.DataFrame  # indexed by indicator_code
    indicator_names: Mapping[str, str]
    indicator_units: Mapping[str, str]
    reported: frozenset[tuple[str, int]]  # (ward, plan year) with a report of figures
    plan_years: tuple[int, ...]
    period_options: tuple[str, ...]
    periods_with_actuals: frozenset[str]
    default_as_of: str | None
    default_submit_period: str | None
    source_labels: fmt.SourceLabels
    loaded_at: str | None
    bands: Mapping[str, Any]


# Held, not pickled: each of these read through st.cache_data was a frame or a dict
# unpickled and reshaped on every call, several calls a rerun.
@st.cache_resource(show_spinner=False, max_entries=2)
def _lookups_of(generation: Any) -> Lookups:
    frame = wards()
    names = dict(zip(frame["ward_code"], frame["name_vi"], strict=True))
    info = load(queries.indicators).set_index("indicator_code")
    plans = load(queries.plans)
    years = load(queries.plan_years)
    with_actuals = load(queries.actual_periods)
    files = load(queries.load_files)
    return Lookups(
        ward_names=MappingProxyType(names),
        ward_codes=tuple(sorted(names, key=lambda code: fold(names[code]))),
        indicator_info=info,
        indicator_names=MappingProxyType(info["name_vi"].to_dict()),
        indicator_units=MappingProxyType(info["unit"].map(text_or).to_dict()),
        reported=frozenset((ward, int(year)) for ward, year, has in zip(
            plans["ward_code"], plans["plan_year"], plans["has_report"], strict=True) if has),
        plan_years=tuple(years),
        period_options=tuple(display_periods.period_options(years)),
        periods_with_actuals=frozenset(with_actuals),
        default_as_of=display_periods.default_as_of(with_actuals, years),
        default_submit_period=display_periods.next_to_report(with_actuals, years),
        source_labels=fmt.SourceLabels(load(queries.sources)),
        loaded_at=None if files.empty else fmt.local_time_text(
            pd.Timestamp(files["loaded_at"].max()).to_pydatetime()),
        bands=MappingProxyType(load(queries.build_settings)))


def _lookups() -> Lookups:
    return _lookups_of(generation())


def ward_names() -> Mapping[str, str]:
    return _lookups().ward_names


def ward_codes() -> tuple[str, ...]:
    return _lookups().ward_codes


def indicator_info() -> pd.DataFrame:
    """Shared: read it, never modify it."""
    return _lookups().indicator_info


def indicator_names() -> Mapping[str, str]:
    return _lookups().indicator_names


def indicator_units() -> Mapping[str, str]:
    return _lookups().indicator_units


def plan_years() -> tuple[int, ...]:
    return _lookups().plan_years


def period_options() -> tuple[str, ...]:
    """Every period of every plan year the database holds, as the period picker lists them."""
    return _lookups().period_options


def periods_with_actuals() -> frozenset[str]:
    return _lookups().periods_with_actuals


def default_as_of() -> str | None:
    return _lookups().default_as_of


@st.cache_data(show_spinner=False, ttl=60)
def report_due_days() -> int:
    """Today's reporting rule (settings.toml), not the build's: lateness is about today."""
    return load_settings().report_due_days


def default_submit_period() -> str | None:
    return _lookups().default_submit_period


def source_labels() -> fmt.SourceLabels:
    """Short and full wording of source references, documents named by number and date."""
    return _lookups().source_labels


def sourced(view: pd.DataFrame, sources: tuple[str, ...] = ("Nguồn",),
            **options: Any) -> cells.Prepared:
    """`view` prepared to draw, its `sources` columns showing each reference's short form
    (its full form listed by row number): how every sourced table of ours is shown."""
    return cells.prepare(view, sources=list(sources), labels=source_labels(), **options)


def loaded_at() -> str | None:
    return _lookups().loaded_at


def bands() -> Mapping[str, Any]:
    """The bands the statuses on screen were computed with (not today's settings.toml)."""
    return _lookups().bands


def has_report(ward: str, year: int) -> bool:
    return (ward, year) in _lookups().reported


# --- page data ---------------------------------------------------------------------

# Held, not pickled: pickling it took a cold overview 8 ms at 114 units, and each filter
# of the board 3 ms to unpickle it again.
@st.cache_resource(show_spinner=False, max_entries=64)
def overview_status(generation: Any, as_of: str) -> pd.DataFrame:
    """Every unit × indicator status at a period, worst first; only the views below, which
    filter it, read it.  Shared: read it, never modify it."""
    return overview.worst_first(queries.status(database(), as_of=as_of)).reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=64)
def overview_view(generation: Any, as_of: str) -> dict:
    """What the overview shows at a period, once per database generation: the city
    board's frames, the key indicators, the totals.  The page reads it through the
    cached views below, which format only what they show."""
    status = overview_status(generation, as_of)
    return {
        "board": board.city_board(status, wards(), as_of),
        "key": board.key_indicators(status),
        "totals": {s: int((status["status"] == s).sum()) for s in STATUS_ORDER},
        "has_actuals": overview.period_has_actuals(status, as_of),
        "latest": overview.latest_data_period(status),
    }


@st.cache_data(show_spinner=False, max_entries=64)
def overview_head(generation: Any, as_of: str) -> dict:
    """The overview's first lines: the totals and whether the period has figures."""
    view = overview_view(generation, as_of)
    return {k: view[k] for k in ("totals", "has_actuals", "latest")} | {
        "units": len(view["board"].units), "types": view["board"].types,
        "groups": view["board"].groups, "empty": view["board"].empty}


@st.cache_data(show_spinner=False, max_entries=64)
def reporting_view(generation: Any, as_of: str, due: Due) -> dict:
    """Who reported for the period, the sentence that says so, who has not, and each
    unit's reporting state (`rules.reporting`)."""
    view = intake_view.reporting_view(load(queries.reporting, as_of), as_of, due.days, due.today)
    return {"sentence": intake_view.reporting_sentence(view, as_of, due.days),
            "unreported": cells.prepare(intake_view.unreported(view)),
            "states": intake_view.reporting_states(view)}


@dataclass(frozen=True)
class Due:
    """Today's reporting rule and today's date: what lateness depends on, not the data."""

    days: int
    today: dt.date


def due() -> Due:
    return Due(report_due_days(), fmt.today_in_vietnam())


@st.cache_data(show_spinner=False, max_entries=64)
def key_indicators_view(generation: Any, as_of: str, everything: bool) -> dict:
    summary = overview_view(generation, as_of)["key"]
    shown = summary if everything else summary.head(board.KEY_ROWS)
    return {"count": len(summary), "view": cells.prepare_board(board.key_indicators_view(shown))}


@st.cache_data(show_spinner=False, max_entries=256)
def board_selection(generation: Any, as_of: str, chosen: board.BoardFilter,
                    due: Due) -> pd.DataFrame:
    """The units a filter keeps, in its order, with their counts (`board.select_units`)."""
    states = reporting_view(generation, as_of, due)["states"]
    return board.select_units(overview_view(generation, as_of)["board"], chosen, states)


def _kept_status(generation: Any, as_of: str, chosen: board.BoardFilter,
                 due: Due) -> pd.DataFrame:
    rows = board_selection(generation, as_of, chosen, due)
    return overview.filter_status(overview_status(generation, as_of),
                                  wards=list(rows["ward_code"]), groups=chosen.groups,
                                  statuses=chosen.statuses)


@st.cache_data(show_spinner=False, max_entries=256)
def board_page(generation: Any, as_of: str, chosen: board.BoardFilter, due: Due,
               page: int, base: str) -> dict:
    """One page of the units board, in its wide form and as a phone's list."""
    city = overview_view(generation, as_of)["board"]
    shown = board.page_of(board_selection(generation, as_of, chosen, due), page)
    groups = list(chosen.groups) or city.groups
    year = parse_period(as_of).year
    return {"table": cells.prepare_board(board.units_view(shown, city, groups, as_of, year, base)),
            "phone": board.phone_units(shown, city, groups, year)}


@st.cache_data(show_spinner=False, max_entries=256)
def board_attention(generation: Any, as_of: str, chosen: board.BoardFilter, due: Due,
                    limit: int) -> dict:
    """The first `limit` red and amber items the filter keeps, formatted, and how many
    there are in all."""
    status = _kept_status(generation, as_of, chosen, due)
    return {"items": overview.attention_items(status, limit=limit),
            "behind": int(status["status"].isin([RED, AMBER]).sum())}


@st.cache_data(show_spinner=False, max_entries=256)
def status_list_page(generation: Any, as_of: str, chosen: board.BoardFilter, due: Due,
                     page: int, size: int) -> dict:
    """One page of the full list (every unit × indicator the filter keeps), worst first."""
    status = _kept_status(generation, as_of, chosen, due)
    return {"total": len(status),
            "view": cells.prepare(overview.status_list_view(board.page_of(status, page, size), as_of),
                                  links={"Chi tiết": "Mở"})}


@st.cache_data(show_spinner=False, max_entries=64)
def board_grid(generation: Any, as_of: str, chosen: board.BoardFilter, due: Due,
               units: int) -> dict:
    """The first `units` units the filter keeps, indicator by indicator: the grid and,
    for a phone, the list per unit."""
    wards = list(board_selection(generation, as_of, chosen, due)["ward_code"].head(units))
    status = overview.filter_status(overview_status(generation, as_of), wards=wards,
                                    groups=chosen.groups)
    if chosen.statuses:  # the indicators with a chosen status, with all their cells
        keep = set(overview.filter_status(status, statuses=chosen.statuses)["indicator_code"])
        status = status[status["indicator_code"].isin(keep)]
    return {"units": len(wards), "grid": overview.status_board(status),
            "phone": overview.phone_board(status, as_of)}


def ward_status(generation: Any, ward: str, as_of: str) -> pd.DataFrame:
    return unit_rows(queries.status, ward, as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=512)
def indicator_bundle(generation: Any, ward: str, indicator: str, year: int) -> IndicatorBundle:
    # The status and scenario read per indicator (every unit's whole status is 40 MB and a
    # second to read); everyone opens on the same indicator, so most units share one read.
    history = unit_rows(queries.status, ward, indicator=indicator)
    history = history[history["as_of"].map(lambda p: parse_period(p).year == year)]
    info = indicator_info()
    kind = info.loc[indicator, "kind"] if indicator in info.index else None
    return bundle.indicator_bundle(
        history.reset_index(drop=True), unit_rows(queries.scenario, ward, indicator=indicator),
        _of_indicator(unit_rows(queries.actuals, ward), indicator),
        _of_indicator(unit_rows(queries.targets, ward, year=year), indicator), kind, year)


class DrawnFigure(go.Figure):
    """A figure that is only the dict a cache keeps: st.plotly_chart and the image buttons
    ask a figure for its dict (or JSON, made from it), and go.Figure makes one anew (a deep
    copy and a walk of every array), and deep-copies it again to be made at all: a
    millisecond a chart, four charts a page, on every rerun.  So it is never made a
    go.Figure: anything else asked of it fails rather than answering from another figure."""

    def __init__(self, spec: dict):  # no super().__init__: see above
        self.__dict__["_spec"] = spec

    def to_dict(self) -> dict:
        return self._spec


def figure(spec: dict) -> go.Figure:
    """A figure back from the dict a cache keeps.  Figures are cached as plain dicts: a
    pickled go.Figure re-validates every property when it is unpickled (10 ms and more a
    figure, on every rerun); this one was validated when it was built."""
    return DrawnFigure(spec)


def progress_figures(generation: Any, ward: str, indicator: str,
                     as_of: str) -> tuple[go.Figure, go.Figure]:
    """The progress chart, wide and for a phone (`ui.charts.show_chart` shows both)."""
    return tuple(figure(spec) for spec in _progress_specs(generation, ward, indicator, as_of))


@st.cache_data(show_spinner=False, max_entries=512)
def _progress_specs(generation: Any, ward: str, indicator: str, as_of: str) -> tuple[dict, dict]:
    data = indicator_bundle(generation, ward, indicator, parse_period(as_of).year)
    info = indicator_info()
    row = info.loc[indicator] if indicator in info.index else None
    common = dict(ward_name=ward_names().get(ward, ward),
                  indicator_name=row["name_vi"] if row is not None else indicator,
                  unit=text_or(row["unit"]) if row is not None else "",
                  kind=row["kind"] if row is not None else None, as_of=as_of,
                  sources=data.chart_sources(as_of))
    series = data.series_as_of(as_of)
    return tuple(charts.progress_spec(series, narrow=n, **common) for n in (False, True))


def summary_figures(generation: Any, ward: str,
                    as_of: str) -> tuple[pd.DataFrame, go.Figure | None, go.Figure | None]:
    """The ward's indicators with a figure, and their bullet chart wide and for a phone
    (None when no indicator has one)."""
    rows, specs = _summary_specs(generation, ward, as_of)
    return rows, *(figure(spec) if spec else None for spec in specs)


@st.cache_data(show_spinner=False, max_entries=512)
def _summary_specs(generation: Any, ward: str, as_of: str) -> tuple:
    rows = progress.summary_rows(ward_status(generation, ward, as_of))
    if rows.empty:
        return rows, (None, None)
    shown = rows["indicator_code"]
    year = parse_period(as_of).year
    targets = unit_rows(queries.targets, ward, year=year)
    actuals = unit_rows(queries.actuals, ward)
    refs = [*actuals[actuals["indicator_code"].isin(shown) & actuals["value"].notna()]["source_ref"],
            *targets[targets["indicator_code"].isin(shown)]["source_ref"]]
    common = dict(ward_name=ward_names().get(ward, ward), as_of=as_of,
                  sources=fmt.document_titles(refs))
    return rows, tuple(charts.bullet_spec(rows, narrow=n, **common)
                       for n in (False, True))


# Held, not pickled, and shared by every unit highlighted on it: the ranking of every unit
# and its charts (114 units: about 0,1 s to build, a unit's first view of the page rebuilt
# it for itself).  Read-only.
@st.cache_resource(show_spinner=False, max_entries=32)
def _compare_base(generation: Any, indicator: str, as_of: str, by: str) -> dict:
    year = parse_period(as_of).year
    # Out of the reads of every unit the page's matrix shares (shared_matrix): a query of
    # the one indicator was two more, 17 ms at 114 units.
    targets = _of_indicator(every_unit(queries.targets, year=year).rows, indicator)
    status = _of_indicator(every_unit(queries.status, as_of=as_of).rows, indicator)
    rows = compare.compare_rows(targets, status)
    ranked = compare.ranking(rows, by, wards())
    info = indicator_info()
    name = info.loc[indicator, "name_vi"] if indicator in info.index else indicator
    unit = text_or(info.loc[indicator, "unit"]) if indicator in info.index else ""
    actuals = load(queries.actuals, indicator=indicator)
    titles = fmt.document_titles([*targets["source_ref"],
                                  *actuals.loc[actuals["value"].notna(), "source_ref"]])
    common = dict(indicator_name=name, as_of=as_of, bands=bands(),
                  source=charts.compare_sources(titles, len(ranked)))
    # Figures as plain dicts (`figure` draws them).
    return {
        "ranked": ranked, "name": name, "unit": unit,
        "ranking": [charts.ranking_spec(ranked, unit=unit, by=by, narrow=n, **common)
                    for n in (False, True)],
        "distribution": [charts.distribution_spec(ranked, narrow=n, **common)
                         for n in (False, True)],
    }


def _of_indicator(rows: pd.DataFrame, indicator: str) -> pd.DataFrame:
    return rows[rows["indicator_code"] == indicator].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=512)
def compare_view(generation: Any, indicator: str, as_of: str, by: str,
                 ward: str | None) -> dict:
    """Every unit planning `indicator` ranked on `by`, `ward` highlighted: the ranking and
    the distribution (wide and phone forms), the sentence that places the ward."""
    base = _compare_base(generation, indicator, as_of, by)
    ranked = base["ranked"].copy()  # returned as it is on a first call: not the shared one
    return {
        "ranked": ranked, "name": base["name"], "unit": base["unit"],
        "ranking": [charts.highlight_ranking(spec, ward) for spec in base["ranking"]],
        "distribution": [charts.highlight_distribution(spec, ranked, ward, narrow=n)
                         for spec, n in zip(base["distribution"], (False, True), strict=True)],
        "sentence": compare.rank_sentence(ranked, ward, by, ward_names().get(ward, ward or "")),
    }


@st.cache_data(show_spinner=False, max_entries=256)
def detail_tables(generation: Any, ward: str, indicator: str, year: int) -> dict:
    """The detail page's tables prepared to draw (None where there is nothing to show):
    built and escaped once per generation, unit, indicator and plan year (none depends on
    the period viewed: a leader going from Q1 to March does not wait for them again), so
    a rerun only draws them."""
    detail = indicator_bundle(generation, ward, indicator, year)
    info = indicator_info()
    unit = text_or(info.loc[indicator, "unit"]) if indicator in info.index else ""
    plan = None
    if not detail.targets.empty:
        plan = detail_view.detail_targets_view(detail.targets)
        plan["Nguồn"] = plan["Nguồn"].map(source_labels().full)
        plan = cells.prepare(detail_view.transpose_view(plan))
    # Every unit's rows of this indicator, as indicator_bundle reads them: the first view
    # after a build read every unit's rows of every indicator, four whole tables.
    revisions, baselines, statements, issues = (
        unit_rows(query, ward, indicator=indicator)
        for query in (queries.revisions, queries.baselines, queries.statements,
                      queries.data_issues))
    return {
        "plan": plan,
        "actuals": None if detail.actuals.empty else
        sourced(detail_view.actuals_view(detail.actuals)),
        "revisions": None if revisions["submission_id"].notna().sum() == 0 else
        sourced(intake_view.revisions_view(revisions, unit)),
        "scenario": None if detail.scenario.empty else
        sourced(detail_view.scenario_view(detail.scenario, unit)),
        "baselines": None if baselines.empty else sourced(detail_view.baselines_view(baselines)),
        "statements": None if statements.empty else
        sourced(detail_view.statements_view(statements)),
        "findings": None if issues.empty else sourced(detail_view.issues_view(
            issues, None).drop(columns=["Phường", "Chỉ tiêu", "Mã kiểm tra"])),
    }


@st.cache_data(show_spinner=False, max_entries=512)
def ranking_page(generation: Any, indicator: str, as_of: str, by: str, ward: str | None,
                 page: int, size: int) -> cells.Prepared:
    """One page of the ranking as a table, the highlighted ward marked as on the chart."""
    ranked = compare_view(generation, indicator, as_of, by, ward)["ranked"]
    shown = board.page_of(ranked, page, size)
    shown = shown.assign(ward_name=[f"{n} ◀" if c == ward else n for n, c in
                                    zip(shown["ward_name"], shown["ward_code"], strict=True)])
    return sourced(compare.ranking_view(shown), ("Nguồn chỉ tiêu",))


@st.cache_data(show_spinner=False, max_entries=256)
def matrix_default(generation: Any, indicator: str, as_of: str, ward: str | None,
                   units: int = 5) -> list[str]:
    """The units the shared-indicators matrix opens with: the chosen one and the leaders of
    the ranking on the scenario."""
    ranked = _compare_base(generation, indicator, as_of, compare.BY_SCENARIO)["ranked"]
    leaders = ranked["ward_code"].tolist()
    return list(dict.fromkeys([w for w in (ward, *leaders) if w]))[:units]


@st.cache_data(show_spinner=False, max_entries=64)
def shared(generation: Any, as_of: str) -> dict:
    """The indicators at least two units plan for in the period's year."""
    shared = load(queries.shared_indicators, parse_period(as_of).year)
    return {"options": compare.shared_indicator_options(shared)}


@st.cache_data(show_spinner=False, max_entries=256)
def shared_matrix(generation: Any, as_of: str, wards: tuple[str, ...]) -> cells.Prepared:
    """The shared indicators × these units: each unit's target, status and % of target."""
    year = parse_period(as_of).year
    shared = set(load(queries.shared_indicators, year)["indicator_code"])
    # Out of the reads every unit shares: a query of these units was two more of 16 ms.
    targets = every_unit(queries.targets, year=year).of(*wards)
    return cells.prepare(compare.shared_matrix(targets[targets["indicator_code"].isin(shared)],
                                               every_unit(queries.status, as_of=as_of).of(*wards)))


@st.cache_data(show_spinner=False, max_entries=256)
def report_template(generation: Any, ward: str, period: str) -> tuple[bytes | None, str | None]:
    """The unit's report template for a period and None, or None and why there is none.
    Made once per generation: the submit page reruns at every step of an upload, and a
    template is some 60 ms of reads and openpyxl."""
    try:
        return intake_template.report_template(database(), ward, period), None
    except intake_template.TemplateError as refused:
        return None, refused.message_vi


@st.cache_data(show_spinner=False, max_entries=256)
def task_offices(generation: Any, ward: str, year: int | None) -> list[str] | None:
    """The offices leading the ward's key tasks (the filter's options), None when it has
    no list of tasks."""
    tasks = unit_rows(queries.tasks, ward, year=year)
    return None if tasks.empty else task_view.task_offices(tasks)


@st.cache_data(show_spinner=False, max_entries=512)
def tasks_table(generation: Any, ward: str, year: int | None, source: str,
                offices: tuple[str, ...]) -> cells.Prepared:
    """The ward's key tasks from `source` led by `offices` (all when none), as shown."""
    return sourced(task_view.tasks_view(unit_rows(queries.tasks, ward, year=year), source,
                                        list(offices)))


@st.cache_data(show_spinner=False, max_entries=256)
def targets_table(generation: Any, ward: str, year: int) -> cells.Prepared:
    """The unit's targets of a plan year as its progress page lists them."""
    return sourced(progress.targets_view(unit_rows(queries.targets, ward, year=year)))


@st.cache_data(show_spinner=False, max_entries=256)
def projects_tables(generation: Any, ward: str, year: int | None) -> dict | None:
    """The ward's projects as shown: the sums per group, the groups whose total row
    disagrees with their projects, and every row; None when it has no list of projects."""
    projects = unit_rows(queries.projects, ward, year=year)
    if projects.empty:
        return None
    issues = unit_rows(queries.data_issues, ward)
    group_issues = issues[issues["indicator_code"].isna()
                          & (issues["check_code"] == "project_group_total")]
    return {"summary": cells.prepare(task_view.project_summary(projects)),
            "group_issues": group_issues["message"].tolist(),
            "projects": sourced(task_view.projects_view(projects))}
