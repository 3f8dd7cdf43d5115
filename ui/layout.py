"""Screen-size-aware layout: the stylesheet, and a wide and a narrow form of one view.

Streamlit has no server-side viewport width, so a view that needs another shape on a
phone (the status board, each chart) is rendered twice, in containers keyed
`wide-<name>` and `narrow-<name>`; `assets/app.css` shows the one that fits the main
column (a CSS container query) and always the wide one on paper.  Both forms come from
the same data; tests read either.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.nav import ROOT

STYLESHEET = ROOT / "assets" / "app.css"
ICON = ROOT / "assets" / "icon.png"


def stylesheet() -> None:
    """Inject the app's stylesheet (a file of ours, no data) into the page."""
    st.html(Path(STYLESHEET))


def wide(name: str):
    """The container shown on a tablet, a desktop and paper."""
    return st.container(key=f"wide-{name}")


def narrow(name: str):
    """The container shown when the main column is a phone's width."""
    return st.container(key=f"narrow-{name}")
