"""Cached reads for the pages.

The database only changes when the ETL swaps in a new file, so every cache is
keyed on `Database.generation`: a rebuilt file is picked up on the next rerun
and nothing older is ever served for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from etl.ensure import ensure_database
from wardplan.display import bundle, charts, compare, overview, progress
from wardplan.display import format as fmt
from wardplan.display import periods as display_periods
from wardplan.display.bundle import IndicatorBundle
from wardplan.reads import queries
from wardplan.reads.db import Database
from wardplan.rules.missing import text_or
from wardplan.rules.periods import parse_period
from wardplan.rules.settings import load_settings
from wardplan.rules.text import fold


@st.cache_resource(show_spinner="Đang chuẩn bị cơ sở dữ liệu…")
def database() -> Database:
    """The one Database of the process; the first run builds the file if missing."""
    return Database(ensure_database())


def generation() -> Any:
    return database().generation


@st.cache_data(show_spinner=False, max_entries=1024)
def _query(name: str, generation: Any, args: tuple, kwargs: tuple) -> Any:
    return getattr(queries, name)(database(), *args, **dict(kwargs))


def load(query: Callable, *args, **filters) -> Any:
    """`query(database, *args, **filters)` from `wardplan.reads.queries`, cached per DB
    generation."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in filters.items()))
    return _query(query.__name__, generation(), args, frozen)


# --- shared lookups ------------------------------------------------------------

def wards() -> pd.DataFrame:
    return load(queries.wards)


def ward_names() -> dict[str, str]:
    frame = wards()
    return dict(zip(frame["ward_code"], frame["name_vi"], strict=True))


def ward_codes() -> list[str]:
    names = ward_names()
    return sorted(names, key=lambda code: fold(names[code]))


def indicator_info() -> pd.DataFrame:
    return load(queries.indicators).set_index("indicator_code")


def indicator_names() -> dict[str, str]:
    return indicator_info()["name_vi"].to_dict()


def indicator_units() -> dict[str, str]:
    return indicator_info()["unit"].map(text_or).to_dict()


def plan_years() -> list[int]:
    return load(queries.plan_years)


def default_as_of() -> str | None:
    return display_periods.default_as_of(load(queries.actual_periods), plan_years())


@st.cache_data(show_spinner=False, ttl=60)
def report_due_days() -> int:
    """Today's reporting rule (settings.toml), not the build's: lateness is about today."""
    return load_settings().report_due_days


def default_submit_period() -> str | None:
    return display_periods.next_to_report(load(queries.actual_periods), plan_years())


def source_labels() -> fmt.SourceLabels:
    """Short and full wording of source references, documents named by number and date."""
    return _source_labels(generation())


@st.cache_data(show_spinner=False, max_entries=4)
def _source_labels(generation: Any) -> fmt.SourceLabels:
    return fmt.SourceLabels(load(queries.sources))


def loaded_at() -> str | None:
    files = load(queries.load_files)
    if files.empty:
        return None
    return fmt.local_time_text(pd.Timestamp(files["loaded_at"].max()).to_pydatetime())


def bands() -> dict:
    """The bands the statuses on screen were computed with (not today's settings.toml)."""
    return load(queries.build_settings)


def has_report(ward: str, year: int) -> bool:
    plans = load(queries.plans)
    mine = plans[(plans["ward_code"] == ward) & (plans["plan_year"] == year)]
    return bool(not mine.empty and mine["has_report"].iloc[0])


# --- page data ---------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=256)
def overview_view(generation: Any, as_of: str) -> dict:
    status = queries.status(database(), as_of=as_of)
    return {
        "status": status,
        "board": overview.status_board(status),
        "counts": overview.ward_counts(status),
        "attention": overview.attention_items(status),
        "phone": overview.phone_board(status, as_of),
        "has_actuals": overview.period_has_actuals(status, as_of),
        "latest": overview.latest_data_period(status),
    }


@st.cache_data(show_spinner=False, max_entries=512)
def ward_status(generation: Any, ward: str, as_of: str) -> pd.DataFrame:
    status = load(queries.status, as_of=as_of)
    return status[status["ward_code"] == ward].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=512)
def indicator_bundle(generation: Any, ward: str, indicator: str, year: int) -> IndicatorBundle:
    db = database()
    history = queries.status(db, ward=ward, indicator=indicator)
    history = history[history["as_of"].map(lambda p: parse_period(p).year == year)]
    info = indicator_info()
    kind = info.loc[indicator, "kind"] if indicator in info.index else None
    return bundle.indicator_bundle(
        history.reset_index(drop=True), queries.scenario(db, ward=ward, indicator=indicator),
        queries.actuals(db, ward=ward, indicator=indicator),
        queries.targets(db, ward=ward, indicator=indicator, year=year), kind, year)


@st.cache_data(show_spinner=False, max_entries=512)
def progress_figure(generation: Any, ward: str, indicator: str, as_of: str, narrow: bool = False):
    data = indicator_bundle(generation, ward, indicator, parse_period(as_of).year)
    info = indicator_info()
    row = info.loc[indicator] if indicator in info.index else None
    return charts.progress_chart(
        data.series_as_of(as_of), ward_name=ward_names().get(ward, ward),
        indicator_name=row["name_vi"] if row is not None else indicator,
        unit=text_or(row["unit"]) if row is not None else "",
        kind=row["kind"] if row is not None else None, as_of=as_of,
        sources=data.chart_sources(as_of), narrow=narrow)


@st.cache_data(show_spinner=False, max_entries=512)
def bullet_figure(generation: Any, ward: str, as_of: str, narrow: bool = False):
    rows = progress.summary_rows(ward_status(generation, ward, as_of))
    shown = rows["indicator_code"]
    year = parse_period(as_of).year
    targets = load(queries.targets, ward=ward, year=year)
    actuals = load(queries.actuals, ward=ward)
    refs = [*actuals[actuals["indicator_code"].isin(shown) & actuals["value"].notna()]["source_ref"],
            *targets[targets["indicator_code"].isin(shown)]["source_ref"]]
    return rows, charts.bullet_chart(rows, ward_name=ward_names().get(ward, ward), as_of=as_of,
                                     sources=fmt.document_titles(refs), narrow=narrow)


@st.cache_data(show_spinner=False, max_entries=512)
def compare_view(generation: Any, indicator: str, as_of: str) -> dict:
    targets = load(queries.targets, indicator=indicator, year=parse_period(as_of).year)
    status = load(queries.status, as_of=as_of)
    status = status[status["indicator_code"] == indicator]
    rows = compare.compare_rows(targets, status)
    info = indicator_info()
    name = info.loc[indicator, "name_vi"] if indicator in info.index else indicator
    unit = text_or(info.loc[indicator, "unit"]) if indicator in info.index else ""
    figures = [charts.compare_chart(rows, indicator_name=name, unit=unit, as_of=as_of,
                                    sources=fmt.document_titles(targets["source_ref"]),
                                    narrow=narrow) for narrow in (False, True)]
    return {"rows": rows, "figure": figures[0], "narrow_figure": figures[1], "name": name,
            "unit": unit}


@st.cache_data(show_spinner=False, max_entries=64)
def shared(generation: Any, as_of: str) -> dict:
    shared_targets = load(queries.shared_targets, parse_period(as_of).year)
    status = load(queries.status, as_of=as_of)
    return {
        "targets": shared_targets,
        "options": compare.shared_indicator_options(shared_targets),
        "matrix": compare.shared_matrix(shared_targets, status),
    }
