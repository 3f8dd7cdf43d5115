"""The one test of "no value" for figures that come out of frames and the database."""

from __future__ import annotations

import math

import pandas as pd


def is_missing(value: object) -> bool:
    """None, pandas NA/NaT or NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    kind = type(value)
    if kind is float:
        return value != value  # NaN only; the common case, without pandas' dispatch
    if kind is str:
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def as_float(value: object) -> float:
    if is_missing(value):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def as_int(value: object) -> int | None:
    number = as_float(value)
    return None if math.isnan(number) else int(number)


def as_str(value: object) -> str | None:
    if is_missing(value):
        return None
    text = str(value).strip()
    return text or None


def text_or(value: object, default: str = "") -> str:
    return default if is_missing(value) else str(value)


def is_true(value: object) -> bool:
    """A flag from a frame: True only when present and true (NULL and NaN are not)."""
    return not is_missing(value) and bool(value)
