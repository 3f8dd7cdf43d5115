"""Small shared widgets: status badges and legend, tables, links, the sidebar footer.  The
Markdown of cells and safe text live in `ui.cells`; pages reach `md_escape` and
`badge_markdown` through here."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ui import data, nav
from ui.cells import Prepared, badge_markdown, md_escape, prepare
from wardplan.display import board, overview
from wardplan.display.styles import STATUS_ORDER, STATUS_STYLES
from wardplan.rules.periods import period_label
from wardplan.rules.scenario import DERIVED, ORIGIN_LABELS_VI, PROVISIONAL_VI

# The download types, said once.
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"


def status_legend() -> None:
    badges = " ".join(badge_markdown(s) for s in STATUS_ORDER)
    st.markdown(f"Chú giải (so với kịch bản đến kỳ): {badges}")


def help_link(label: str = "Cách đọc trạng thái và nguồn số liệu") -> None:
    """A link to the help page, next to the words it explains."""
    st.page_link(nav.target(nav.HELP), label=label, icon=":material/help:")


# --- tables ----------------------------------------------------------------------------------

def pager(total: int, size: int, key: str, noun: str) -> int:
    """The page chosen of `total` rows shown `size` at a time (a pager only when there is
    more than one page; kept for the session), under its caption ('Phát hiện 51–100 trong
    6.054'): a big table is sent a page at a time, never whole."""
    pages = board.page_count(total, size)
    page = st.pagination(pages, key=key, persist_state="session") if pages > 1 else 1
    st.caption(board.page_caption(total, page, size, noun))
    return page


def table(frame: pd.DataFrame, *, sources: Sequence[str] = (),
          css: pd.DataFrame | None = None, numbered: bool | None = None,
          links: dict[str, str] | None = None, linked: dict[str, str] | None = None,
          markup: Sequence[str] = (), narrow: Sequence[str] | None = None,
          key: str | None = None) -> None:
    """`frame` as a static table that wraps long texts to the page's width (and prints
    whole): prepared here (`cells.prepare`: `sources`, `numbered`, `links`, `linked`,
    `markup`), then drawn (`draw_table`: `css`, `narrow`, `key`)."""
    prepared = prepare(frame, sources=sources, labels=data.source_labels() if sources else None,
                       numbered=numbered, links=links, linked=linked, markup=markup)
    draw_table(prepared, css=css, narrow=narrow, key=key)


def draw_table(prepared: Prepared, *, css: pd.DataFrame | None = None,
               narrow: Sequence[str] | None = None, key: str | None = None) -> None:
    """A table a cached view prepared (`cells.prepare`), its full sources under it.  `css`
    tints its cells.  With `narrow` (and a `key`), a phone gets only those columns; the
    rest stay one tap away on a wider screen or on paper."""
    if key is None:
        _draw(prepared, css)
        return
    with st.container(key=f"table-{key}"):  # addressable (tests, styles) as .st-key-table-<key>
        _draw(prepared, css)
        if narrow is not None and prepared.cells is not None:
            _phone_columns(key, prepared.columns, narrow, prepared.numbered)


def _phone_columns(key: str, columns: Sequence[str], kept: Sequence[str], numbered: bool) -> None:
    """On a phone's screen only the `kept` columns of the table keyed `key` show.  One
    table is sent and the others are hidden by a rule of its own, where a second table of
    the kept columns doubled what each rerun converts and sends; paper shows every column."""
    first = 2 if numbered else 1  # the row number is the first cell of each row
    hidden = [n for n, column in enumerate(columns, start=first) if column not in kept]
    if not hidden:
        return
    # The class Streamlit's frontend gives the keyed container (st-key-…, other characters '-').
    container = "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", f"table-{key}".strip())
    cells = ", ".join(f".{container} [data-testid='stTable'] :is(th, td):nth-child({n})"
                      for n in hidden)
    rule = f"{cells} {{ display: none; }}"
    st.html(f"<style>@media screen {{ @container main (max-width: 640px) {{ {rule} }} "
            f"@supports not (container-type: inline-size) {{ @media (max-width: 700px) "
            f"{{ {rule} }} }} }}</style>")


def _draw(prepared: Prepared, css: pd.DataFrame | None) -> None:
    if prepared.cells is None:
        return
    shown = prepared.cells
    if css is not None:
        escaped = shown.to_pandas()
        shown_css = css[list(escaped.columns)].set_axis(escaped.index)
        shown = escaped.style.apply(lambda _: shown_css, axis=None)
    st.table(shown, hide_index=not prepared.numbered)
    if prepared.notes:
        with st.expander(f"Nguồn đầy đủ của từng dòng ({len(prepared.notes)})"):
            st.markdown("\n".join(prepared.notes))


# --- the status board ---------------------------------------------------------------------------

def status_board_wide(board: overview.Board) -> None:
    """Ward × indicator as a tinted static table: every ward's column fits the page."""
    table(board.text, css=overview.board_css(board), numbered=False)


def status_board_narrow(wards: list[overview.PhoneWard]) -> None:
    """Per ward, red and amber first, then the rest behind one tap."""
    for ward in wards:
        counts = " · ".join(f"{STATUS_STYLES[s].symbol} {ward.counts[s]}" for s in STATUS_ORDER
                            if ward.counts[s])
        st.markdown(f"#### {md_escape(ward.ward_name)}")
        if not ward.has_report:
            st.caption(f"Chưa gửi báo cáo thực hiện: {counts} chỉ tiêu chưa đánh giá được.")
        else:
            st.caption(counts)
        if ward.first:
            st.markdown("\n\n".join(_phone_item(item) for item in ward.first))
        elif ward.has_report:
            st.caption("Không có chỉ tiêu nào ▼ Chậm hoặc ● Cần chú ý.")
        if ward.rest and ward.has_report:
            with st.expander(f"Các chỉ tiêu khác ({len(ward.rest)})"):
                st.markdown("\n\n".join(_phone_item(item) for item in ward.rest))


def _phone_item(item: overview.PhoneItem) -> str:
    figures = " · ".join(md_escape(t) for t in (item.figure, item.pct_scenario, *item.qualifiers)
                         if t and t != "—")
    line = f"{badge_markdown(item.status, item.reason)} **{md_escape(item.indicator_name)}**"
    return f"{line}  \n{figures}" if figures else line


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


def detail_link(ward: str, indicator: str, as_of: str, label: str = "Xem chi tiết") -> None:
    st.page_link(
        nav.target(nav.DETAIL), label=label, icon=":material/arrow_forward:",
        query_params={"ward": ward, "indicator": indicator, "as_of": as_of})


def sidebar_footer() -> None:
    loaded = data.loaded_at()
    st.sidebar.divider()
    if loaded:
        st.sidebar.caption(f"Dữ liệu nạp lúc {loaded} (giờ Việt Nam) từ các sổ Excel của phường.")
    st.sidebar.caption(f"Số liệu tiền tệ: triệu đồng (số lớn: tỷ đồng). Kịch bản "
                       f"“{ORIGIN_LABELS_VI[DERIVED]}” là phần hệ thống tự phân bổ, không phải số "
                       f"của phường; trạng thái dựa chủ yếu vào phần đó được ghi “{PROVISIONAL_VI}”.")


def no_data_message(as_of: str, latest: str | None) -> str:
    text = f"Chưa có số liệu thực hiện nào cho kỳ {period_label(as_of)}."
    if latest:
        text += (f" Trạng thái dưới đây là của kỳ báo cáo gần nhất ({period_label(latest)}), "
                 "ghi rõ kỳ bên cạnh (↩); không chỉ tiêu nào bị đánh giá chậm chỉ vì chưa "
                 "đến kỳ báo cáo.")
    return text
