"""Small shared widgets: status badges and legend, safe text, links, the sidebar footer."""

from __future__ import annotations

import re

import streamlit as st

from ui import data, nav
from wardplan.display.styles import STATUS_ORDER, STATUS_STYLES, status_text
from wardplan.rules.missing import text_or
from wardplan.rules.periods import period_label
from wardplan.rules.scenario import DERIVED, ORIGIN_LABELS_VI, PROVISIONAL_VI

# Streamlit's own badge palette, re-coloured to Okabe-Ito in .streamlit/config.toml.
_BADGE_COLOURS = {"green": "blue", "amber": "orange", "red": "red", "grey": "gray"}
# Markdown (and Streamlit's :color[…] / :icon: directives, $ for LaTeX) must
# not act on text that came from a workbook.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=$:^&])")
# GitHub-flavoured Markdown turns 'http://…', 'www.…' and 'a@b.c' into links even
# when escaped (it looks for them in the text after escapes are read).  An
# invisible word joiner after the scheme, the 'www' or the '@' keeps them plain.
_AUTOLINK_STARTS = re.compile(r"(?i)(?<![^\W_])(?:https?(?=:)|www(?=\.))|@(?=[-\w])")
WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """Text from the data, safe to embed in st.markdown / st.caption: no formatting, no links."""
    plain = _AUTOLINK_STARTS.sub(lambda m: m.group(0) + WORD_JOINER, text_or(text))
    return _MARKDOWN_SPECIALS.sub(r"\\\1", plain)


def badge_markdown(status: str | None, reason: object = None) -> str:
    """An inline badge for st.markdown; the label is ours, never data."""
    status = status if status in STATUS_STYLES else "grey"
    return f":{_BADGE_COLOURS[status]}-badge[{status_text(status, reason)}]"


def status_legend() -> None:
    badges = " ".join(badge_markdown(s) for s in STATUS_ORDER)
    st.markdown(f"Chú giải (so với kịch bản đến kỳ): {badges}")


TARGET_COLUMNS = {
    "Chỉ tiêu": st.column_config.TextColumn(width=280),
    "Chỉ tiêu kế hoạch (nguyên văn)": st.column_config.TextColumn(width=330),
    "So sánh": st.column_config.TextColumn(width=85),
    "Giá trị": st.column_config.TextColumn(width=90),
    "Đơn vị": st.column_config.TextColumn(width=110),
    "Nguồn": st.column_config.TextColumn(width=420),
}


def dark_text(frame):
    """A Styler keeping all text dark: pinned columns otherwise render faded."""
    return frame.style.set_properties(**{"color": "#1A1A1A"})


def board_columns(columns) -> dict:
    """Column widths for the ward × indicator board; the indicator stays pinned."""
    config = {
        "Lĩnh vực": st.column_config.TextColumn(width=135, pinned=True),
        "Chỉ tiêu": st.column_config.TextColumn(width=300, pinned=True),
        "Đơn vị": st.column_config.TextColumn(width=95),
    }
    for column in columns:
        config.setdefault(column, st.column_config.TextColumn(width=215))
    return config


def detail_link(ward: str, indicator: str, as_of: str, label: str = "Xem chi tiết",
                container=None, key: str | None = None) -> None:
    (container or st).page_link(
        nav.DETAIL.path, label=label, icon=":material/arrow_forward:",
        query_params={"ward": ward, "indicator": indicator, "as_of": as_of})


def sidebar_footer() -> None:
    loaded = data.loaded_at()
    st.sidebar.divider()
    if loaded:
        st.sidebar.caption(f"Dữ liệu nạp lúc {loaded} (UTC) từ các tệp Excel của phường.")
    st.sidebar.caption(f"Số liệu tiền tệ: triệu đồng. Kịch bản “{ORIGIN_LABELS_VI[DERIVED]}” "
                       "là phần hệ thống tự phân bổ, không phải số của phường; trạng thái dựa "
                       f"chủ yếu vào phần đó được ghi “{PROVISIONAL_VI}”.")


def no_data_message(as_of: str, latest: str | None) -> str:
    text = f"Chưa có số liệu thực hiện nào cho kỳ {period_label(as_of)}."
    if latest:
        text += (f" Trạng thái dưới đây là của kỳ báo cáo gần nhất ({period_label(latest)}), "
                 "ghi rõ kỳ bên cạnh (↩); không chỉ tiêu nào bị đánh giá chậm chỉ vì chưa "
                 "đến kỳ báo cáo.")
    return text
