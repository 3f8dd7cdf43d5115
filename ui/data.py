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
from wardplan.display import charts, compare, overview, progress
from wardplan.display import format as fmt
from wardplan.display import periods as display_periods
from wardplan.reads import queries
from wardplan.reads.db import Database
from wardplan.rules.missing import text_or
from wardplan.rules.periods import parse_period
from wardplan.rules.text import fold


@st.cache_resource(show_spinner="Đang chuẩn bị cơ sở dữ liệu…")
def database() -> Database:
    """The one Database of the process; the first run builds the file if missing."""
    return Database(ensure_database())


def generation() -> Any:
    return database().generation


@st.cache_data(show_spinner=False, max_entries=1024)
def _query(name: str, generation: Any, args: tuple) -> Any:
    return getattr(queries, name)(database(), *args)


def load(query: Callable, *args) -> Any:
    """`query(database, *args)` from `wardplan.reads.queries`, cached per DB generation."""
    return _query(query.__name__, generation(), args)


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


def plan_years() -> list[int]:
    return load(queries.plan_years)


def default_as_of() -> str | None:
    return display_periods.default_as_of(load(queries.actual_periods), plan_years())


def bands() -> tuple[float, float]:
    """(green_min_pct, amber_min_pct) the database was built with."""
    info = load(queries.build_info)
    if info.empty:
        return 100.0, 90.0
    return float(info["green_min_pct"].iloc[0]), float(info["amber_min_pct"].iloc[0])


def source_labels() -> fmt.SourceLabels:
    """Short and full wording of source references, documents named by number and date."""
    return _source_labels(generation())


@st.cache_data(show_spinner=False, max_entries=4)
def _source_labels(generation: Any) -> fmt.SourceLabels:
    return fmt.SourceLabels(load(queries.export_sources, tuple(ward_codes())))


def loaded_at() -> str | None:
    files = load(queries.load_files)
    if files.empty:
        return None
    return fmt.local_time_text(pd.Timestamp(files["loaded_at"].max()).to_pydatetime())


# --- page data ---------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=256)
def overview_view(generation: Any, as_of: str) -> dict:
    status = queries.status_at(database(), as_of)
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
    status = load(queries.status_at, as_of)
    return status[status["ward_code"] == ward].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=512)
def indicator_history(generation: Any, ward: str, indicator: str) -> dict:
    db = database()
    history = queries.status_history(db, ward, indicator)
    scenario = queries.scenario(db, ward, indicator)
    actuals = queries.actuals(db, ward, indicator)
    targets = queries.ward_targets(db, ward)
    targets = targets[targets["indicator_code"] == indicator]
    return {
        "history": history,
        "scenario": scenario,
        "actuals": actuals,
        "targets": targets,
        "series": progress.progress_series(history, scenario, _year_of(history)),
        "sources": {
            "actual": fmt.document_titles(actuals.dropna(subset=["value"])["source_ref"]),
            "target": fmt.document_titles(targets["source_ref"]),
        },
    }


@st.cache_data(show_spinner=False, max_entries=512)
def progress_figure(generation: Any, ward: str, indicator: str, as_of: str, narrow: bool = False):
    data = indicator_history(generation, ward, indicator)
    info = indicator_info()
    row = info.loc[indicator] if indicator in info.index else None
    return charts.progress_chart(
        progress.actuals_up_to(data["series"], as_of), ward_name=ward_names().get(ward, ward),
        indicator_name=row["name_vi"] if row is not None else indicator,
        unit=text_or(row["unit"]) if row is not None else "",
        kind=row["kind"] if row is not None else None, as_of=as_of, sources=data["sources"],
        narrow=narrow)


@st.cache_data(show_spinner=False, max_entries=512)
def bullet_figure(generation: Any, ward: str, as_of: str, narrow: bool = False):
    rows = progress.summary_rows(ward_status(generation, ward, as_of))
    shown = rows["indicator_code"]
    targets = load(queries.ward_targets, ward)
    actuals = load(queries.ward_actual_sources, ward)
    refs = [*actuals[actuals["indicator_code"].isin(shown)]["source_ref"],
            *targets[targets["indicator_code"].isin(shown)]["source_ref"]]
    return rows, charts.bullet_chart(rows, ward_name=ward_names().get(ward, ward), as_of=as_of,
                                     sources=fmt.document_titles(refs), narrow=narrow)


@st.cache_data(show_spinner=False, max_entries=512)
def compare_view(generation: Any, indicator: str, as_of: str) -> dict:
    targets = load(queries.indicator_targets, indicator)
    status = load(queries.status_at, as_of)
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
    shared_targets = load(queries.shared_targets)
    status = load(queries.status_at, as_of)
    return {
        "targets": shared_targets,
        "options": compare.shared_indicator_options(shared_targets),
        "matrix": compare.shared_matrix(shared_targets, status),
    }


def _year_of(history: pd.DataFrame) -> int | None:
    return parse_period(history["as_of"].iloc[0]).year if not history.empty else None
