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

from wardplan import charts, presenters, queries
from wardplan.db import Database, ensure_database


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
    """`query(database, *args)` from `wardplan.queries`, cached per DB generation."""
    return _query(query.__name__, generation(), args)


# --- shared lookups ------------------------------------------------------------

def wards() -> pd.DataFrame:
    return load(queries.wards)


def ward_names() -> dict[str, str]:
    frame = wards()
    return dict(zip(frame["ward_code"], frame["name_vi"]))


def ward_codes() -> list[str]:
    names = ward_names()
    return sorted(names, key=lambda code: presenters.fold_vi(names[code]))


def indicator_info() -> pd.DataFrame:
    return load(queries.indicators).set_index("indicator_code")


def indicator_names() -> dict[str, str]:
    return indicator_info()["name_vi"].to_dict()


def default_as_of() -> str:
    return presenters.default_as_of(load(queries.actual_periods))


def loaded_at() -> str | None:
    files = load(queries.load_files)
    if files.empty:
        return None
    return pd.Timestamp(files["loaded_at"].max()).strftime("%d/%m/%Y %H:%M")


# --- page data ---------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=256)
def overview(generation: Any, as_of: str) -> dict:
    status = queries.status_at(database(), as_of)
    return {
        "status": status,
        "board": presenters.status_board(status),
        "counts": presenters.ward_counts(status),
        "attention": presenters.attention_items(status),
        "has_actuals": presenters.period_has_actuals(status, as_of),
        "latest": presenters.latest_data_period(status),
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
        "series": presenters.progress_series(history, scenario),
        "sources": {
            "actual": presenters.document_titles(actuals.dropna(subset=["value"])["source_ref"]),
            "target": presenters.document_titles(targets["source_ref"]),
        },
    }


@st.cache_data(show_spinner=False, max_entries=512)
def progress_figure(generation: Any, ward: str, indicator: str, as_of: str):
    data = indicator_history(generation, ward, indicator)
    info = indicator_info()
    row = info.loc[indicator] if indicator in info.index else None
    return charts.progress_chart(
        presenters.actuals_up_to(data["series"], as_of), ward_name=ward_names().get(ward, ward),
        indicator_name=row["name_vi"] if row is not None else indicator,
        unit=presenters.text_or(row["unit"]) if row is not None else "",
        kind=row["kind"] if row is not None else None, as_of=as_of, sources=data["sources"])


@st.cache_data(show_spinner=False, max_entries=512)
def bullet_figure(generation: Any, ward: str, as_of: str):
    rows = presenters.bullet_rows(ward_status(generation, ward, as_of))
    shown = rows["indicator_code"]
    targets = load(queries.ward_targets, ward)
    actuals = load(queries.ward_actual_sources, ward)
    refs = [*actuals[actuals["indicator_code"].isin(shown)]["source_ref"],
            *targets[targets["indicator_code"].isin(shown)]["source_ref"]]
    return rows, charts.bullet_chart(rows, ward_name=ward_names().get(ward, ward), as_of=as_of,
                                     sources=presenters.document_titles(refs))


@st.cache_data(show_spinner=False, max_entries=512)
def compare(generation: Any, indicator: str, as_of: str) -> dict:
    targets = load(queries.indicator_targets, indicator)
    status = load(queries.status_at, as_of)
    status = status[status["indicator_code"] == indicator]
    rows = presenters.compare_rows(targets, status)
    info = indicator_info()
    name = info.loc[indicator, "name_vi"] if indicator in info.index else indicator
    unit = presenters.text_or(info.loc[indicator, "unit"]) if indicator in info.index else ""
    figure = charts.compare_chart(rows, indicator_name=name, unit=unit, as_of=as_of,
                                  sources=presenters.document_titles(targets["source_ref"]))
    return {"rows": rows, "figure": figure, "name": name, "unit": unit}


@st.cache_data(show_spinner=False, max_entries=64)
def shared(generation: Any, as_of: str) -> dict:
    shared_targets = load(queries.shared_targets)
    status = load(queries.status_at, as_of)
    return {
        "targets": shared_targets,
        "options": presenters.shared_indicator_options(shared_targets),
        "matrix": presenters.shared_matrix(shared_targets, status),
    }
