"""The one way a page shows a chart: `show_chart(fig, key=…, filename=…, narrow=…)`.

Each chart comes in a wide form and, optionally, a form laid out for a phone
(`ui.layout`); the PNG/SVG buttons under it always give the wide, slide-sized form.
The Plotly toolbar keeps only zoom and reset (plus Streamlit's full-screen button)
and speaks Vietnamese: plotly.js reads a per-chart `locales` dictionary from the
config, so nothing is fetched and no script of ours runs in the page.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from exports import images
from ui import layout

# plotly.js's own English strings (its locale files use the same keys).
PLOTLY_VI = {
    "Autoscale": "Tự co giãn trục",
    "Box Select": "Chọn vùng chữ nhật",
    "Compare data on hover": "So sánh số liệu khi rê chuột",
    "Double-click on legend to isolate one trace": "Nhấp đúp vào chú giải để chỉ xem một đường",
    "Double-click to zoom back out": "Nhấp đúp để thu nhỏ lại",
    "Download plot": "Tải biểu đồ",
    "Download plot as a png": "Tải biểu đồ dạng PNG",
    "Lasso Select": "Chọn vùng tự do",
    "Pan": "Kéo",
    "Produced with Plotly.js": "Vẽ bằng Plotly.js",
    "Reset": "Đặt lại",
    "Reset axes": "Đặt lại trục",
    "Reset view": "Đặt lại khung nhìn",
    "Reset views": "Đặt lại khung nhìn",
    "Show closest data on hover": "Hiện số liệu gần nhất khi rê chuột",
    "Snapshot succeeded": "Đã chụp ảnh",
    "Sorry, there was a problem downloading your snapshot!": "Không tải được ảnh.",
    "Taking snapshot - this may take a few seconds": "Đang chụp ảnh, xin chờ vài giây",
    "Toggle Spike Lines": "Bật/tắt đường gióng",
    "Toggle show closest data on hover": "Bật/tắt hiện số liệu gần nhất",
    "Zoom": "Phóng to vùng chọn",
    "Zoom in": "Phóng to",
    "Zoom out": "Thu nhỏ",
    "trace": "đường",
    "new text": "chữ mới",
}
PLOTLY_VI_FORMAT = {
    "decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " đ"],
    "date": "%d/%m/%Y",
    "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
    "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
    "months": [f"Tháng {m}" for m in range(1, 13)],
    "shortMonths": [f"Th{m}" for m in range(1, 13)],
}
# Only what we can say in Vietnamese and what helps: zoom, unzoom, reset.  Images
# come from the labelled buttons under the chart (16:9, dated, with sources).
_REMOVED = ["toImage", "zoom2d", "pan2d", "select2d", "lasso2d", "autoScale2d",
            "hoverClosestCartesian", "hoverCompareCartesian", "toggleSpikelines"]
CONFIG = {
    "displaylogo": False,
    "scrollZoom": False,
    "modeBarButtonsToRemove": _REMOVED,
    "locale": "vi",
    "locales": {"vi": {"dictionary": PLOTLY_VI, "format": PLOTLY_VI_FORMAT}},
}


@st.cache_resource(show_spinner=False)
def chart_renderer() -> images.ChartRenderer:
    """The kaleido server and its lock, one per app process, shared by all sessions.

    The server is not thread-safe and each Streamlit session is a thread, so
    every image goes through this one renderer's lock.  Chromium starts on
    the first download, not when the app starts.
    """
    return images.default_renderer()


def image_producer(fig: go.Figure, fmt: str) -> Callable[[], bytes]:
    renderer = chart_renderer()

    def produce() -> bytes:
        # Runs only when the button is clicked, on its own thread: page reruns
        # never wait for Chromium.
        return images.render_export(fig, fmt, renderer=renderer)

    return produce


def show_chart(fig: go.Figure, *, key: str, filename: str, narrow: go.Figure | None = None,
               downloads: bool = True) -> None:
    if narrow is None:
        st.plotly_chart(fig, key=key, config=CONFIG, width="stretch", theme=None)
    else:
        with layout.wide(key):
            st.plotly_chart(fig, key=key, config=CONFIG, width="stretch", theme=None)
        with layout.narrow(key):
            st.plotly_chart(narrow, key=f"{key}_narrow", config=CONFIG, width="stretch",
                            theme=None)
    if not downloads:
        return
    with st.container(horizontal=True, gap="small"):
        for fmt, label in (("png", "Tải ảnh PNG"), ("svg", "Tải ảnh SVG")):
            st.download_button(
                label, data=image_producer(fig, fmt), file_name=f"{filename}.{fmt}",
                mime=images.FORMATS[fmt], key=f"{key}_{fmt}", on_click="ignore",
                icon=":material/download:", type="tertiary",
                help="Ảnh 16:9 để đưa vào trình chiếu: có tiêu đề, chú giải, nguồn và "
                     "ngày xuất.")
