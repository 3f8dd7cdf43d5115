"""Helpers for AppTest page tests: open a page through app.py, read what it shows."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from ui import nav

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def app_on(monkeypatch, **env: Path) -> Iterator[None]:
    """The app pointed at other files (`CHITIEU_DB=…`, `CHITIEU_DATA=…`), with Streamlit's
    caches emptied before and after, so no test sees another's reads."""
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        yield
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


def open_page(page: nav.PageSpec, **params: str) -> AppTest:
    """Run app.py with `params` in the URL, then switch to `page` (navigation is app.py's)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page is not nav.OVERVIEW:
        at.switch_page(page.path)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Everything shown as text on the page, for 'is it said' checks, as the reader sees it
    (`plain`: Markdown's escapes of the data taken out)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info",
                 "warning", "success", "error"):
        parts += [plain(str(e.value)) for e in getattr(at, kind)]
    return "\n".join(parts)


def plain(value):
    """Table cells are Markdown with data escaped: the text as the reader sees it."""
    if isinstance(value, str):
        return re.sub(r"\\(.)", r"\1", value)
    return value


def tables(at: AppTest) -> list:
    """Every st.table of the page as a DataFrame of the shown text (phone forms included)."""
    frames = []
    for element in at.get("table"):
        frame = element.value.map(plain)
        frame.columns = [plain(c) for c in frame.columns]
        frames.append(frame.reset_index(drop=True))
    return frames
