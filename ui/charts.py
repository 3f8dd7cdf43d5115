"""The one way a page shows a chart: `show_chart(fig, key=…, filename=…)`.

The exports helper adds PNG/SVG download buttons under each chart here, so
every chart on every page gets them without the pages changing.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from exports import images

_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


@st.cache_resource(show_spinner=False)
def chart_renderer() -> images.ChartRenderer:
    """The kaleido server and its lock, one per app process, shared by all sessions.

    The server is not thread-safe and each Streamlit session is a thread, so
    every image goes through this one renderer's lock.  Chromium starts on
    the first download, not when the app starts.
    """
    return images.default_renderer()


def _image(fig: go.Figure, fmt: str) -> Callable[[], bytes]:
    renderer = chart_renderer()

    def produce() -> bytes:
        # Runs only when the button is clicked, on its own thread: page reruns
        # never wait for Chromium.
        return images.render_export(fig, fmt, renderer=renderer)

    return produce


def show_chart(fig: go.Figure, *, key: str, filename: str) -> None:
    config = dict(_CONFIG, toImageButtonOptions={"filename": filename, "format": "png",
                                                 "width": 1600, "height": 900, "scale": 1})
    st.plotly_chart(fig, key=key, config=config, width="stretch", theme=None)
    with st.container(horizontal=True, gap="small"):
        for fmt, label in (("png", "Tải ảnh PNG"), ("svg", "Tải ảnh SVG")):
            st.download_button(
                label, data=_image(fig, fmt), file_name=f"{filename}.{fmt}",
                mime=images.FORMATS[fmt], key=f"{key}_{fmt}", on_click="ignore",
                icon=":material/download:", type="tertiary",
                help="Ảnh 16:9 để đưa vào trình chiếu: có tiêu đề, chú giải, nguồn và "
                     "ngày xuất.")
