"""Small shared widgets: status badges and legend, safe text, links, the sidebar footer."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from urllib.parse import quote

import pandas as pd
import streamlit as st

from ui import data, nav
from wardplan.display import board, overview
from wardplan.display.format import SourceLabels
from wardplan.display.styles import STATUS_ORDER, STATUS_STYLES, status_text
from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.periods import period_label
from wardplan.rules.scenario import DERIVED, ORIGIN_LABELS_VI, PROVISIONAL_VI

# The download types, said once.
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"

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
    return _escaped(text_or(text))


# Every rerun of every session escapes the same cells again (hundreds a page): each text
# is escaped once, the most recent some 30 000 kept.
@functools.lru_cache(maxsize=2**15)
def _escaped(text: str) -> str:
    plain = _AUTOLINK_STARTS.sub(lambda m: m.group(0) + WORD_JOINER, text)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", plain)


def badge_markdown(status: str | None, reason: object = None) -> str:
    """An inline badge for st.markdown; the label is ours, never data."""
    status = status if status in STATUS_STYLES else "grey"
    return f":{_BADGE_COLOURS[status]}-badge[{status_text(status, reason)}]"


def status_legend() -> None:
    badges = " ".join(badge_markdown(s) for s in STATUS_ORDER)
    st.markdown(f"Chú giải (so với kịch bản đến kỳ): {badges}")


def help_link(label: str = "Cách đọc trạng thái và nguồn số liệu") -> None:
    """A link to the help page, next to the words it explains."""
    st.page_link(nav.target(nav.HELP), label=label, icon=":material/help:")


# --- tables ----------------------------------------------------------------------------------

def _cell_markdown(value: object) -> object:
    if is_missing(value):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value  # numbers stay numbers (right-aligned, nothing to escape)
    return md_escape(value)


def counts_markdown(counts) -> str:
    """A `display.board.Counts` cell as status badges, '▼ 3 ▲ 18 ○ 8', with the
    provisional among them said; a zero is a plain 0, no status an empty cell.  Numbers
    and symbols of ours: nothing to escape."""
    badges = " ".join(f":{_BADGE_COLOURS[s]}-badge[{STATUS_STYLES[s].symbol} {n}]" if n else "0"
                      for s, n in counts.by_status.items())
    return badges + (f" ({counts.provisional} {PROVISIONAL_VI})" if counts.provisional else "")


def board_table(view, *, key: str | None = None, narrow: Sequence[str] | None = None) -> None:
    """A `display.board.TableView`: counts as badges, links on the named columns."""
    frame = view.text.copy()
    for column in view.counts:
        frame[column] = frame[column].map(counts_markdown)
    table(frame, numbered=False, linked=view.links, markup=view.counts, key=key, narrow=narrow)


def pager(total: int, size: int, key: str, noun: str) -> int:
    """The page chosen of `total` rows shown `size` at a time (a pager only when there is
    more than one page; kept for the session), under its caption ('Phát hiện 51–100 trong
    6.054'): a big table is sent a page at a time, never whole."""
    pages = board.page_count(total, size)
    page = st.pagination(pages, key=key, persist_state="session") if pages > 1 else 1
    st.caption(board.page_caption(total, page, size, noun))
    return page


def table(frame: pd.DataFrame, *, sources: Sequence[str] = (), css: pd.DataFrame | None = None,
          labels: SourceLabels | None = None, numbered: bool | None = None,
          links: dict[str, str] | None = None, linked: dict[str, str] | None = None,
          markup: Sequence[str] = (), narrow: Sequence[str] | None = None,
          key: str | None = None) -> None:
    """A static table that wraps long texts to the page's width (and prints whole).

    st.table reads cells as Markdown, so every cell is escaped.  Columns named in
    `sources` show the short form of each reference (document and place); the full
    reference of every row follows in an expander, by row number.  Columns in `links`
    hold URLs we built (`format.detail_link`) and show as links with the given text;
    columns in `linked` show their own text as a link to the URL in the named column
    (which is not shown); Streamlit's Markdown opens such links in a new tab.  Columns
    in `markup` are Markdown we built from our own words and numbers (status badges)
    and are not escaped.  With
    `narrow` (and a `key`), a phone gets only those columns; the rest stay one tap
    away on a wider screen or on paper.
    """
    cells, notes = _cells(frame, sources, labels, links or {}, linked or {}, markup)
    escaped = pd.DataFrame(cells, columns=list(cells),
                           index=pd.RangeIndex(1, len(frame) + 1)) if len(frame) else None
    numbered = any(notes.values()) if numbered is None else numbered
    if key is None:
        _draw(escaped, notes, css, numbered)
        return
    with st.container(key=f"table-{key}"):  # addressable (tests, styles) as .st-key-table-<key>
        _draw(escaped, notes, css, numbered)
        if narrow is not None and escaped is not None:
            _phone_columns(key, list(cells), narrow, numbered)


def _phone_columns(key: str, columns: list[str], kept: Sequence[str], numbered: bool) -> None:
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


def _cells(frame: pd.DataFrame, sources: Sequence[str], labels: SourceLabels | None,
           links: dict[str, str], linked: dict[str, str],
           markup: Sequence[str]) -> tuple[dict[str, list], dict[str, list[str]]]:
    """Each shown column's cells as Markdown, and each source column's full references,
    one Markdown line per row that has one.  Built column by column in plain lists: a
    table is redrawn on every rerun, and pandas' per-column assignment costs more than
    the cells."""
    hidden = set(linked.values())
    notes: dict[str, list[str]] = {}
    cells: dict[str, list] = {}
    for column in (c for c in frame.columns if c not in hidden):
        values = frame[column].tolist()
        if column in sources:
            labels = labels or data.source_labels()
            notes[column] = [f"{i + 1}\\. {md_escape(labels.full(ref))}  "
                             for i, ref in enumerate(values) if text_or(ref)]
            values = [labels.short(ref) if text_or(ref) else "" for ref in values]
        if column in links:
            cells[column] = [f"[{links[column]}]({_safe_url(url)})" if text_or(url) else ""
                             for url in values]
            continue
        if column not in markup:
            values = [_cell_markdown(v) for v in values]
        if column in linked:
            values = [f"[{cell}]({_safe_url(url)})" if text_or(url) and cell else cell
                      for cell, url in zip(values, frame[linked[column]].tolist(), strict=True)]
        cells[column] = values
    return cells, notes


def _draw(escaped: pd.DataFrame | None, notes: dict[str, list[str]], css: pd.DataFrame | None,
          numbered: bool) -> None:
    if escaped is None:
        return
    listed = [line for column in notes for line in notes[column]]
    if css is not None:
        shown_css = css[list(escaped.columns)].set_axis(escaped.index)
        styled = escaped.style.apply(lambda _: shown_css, axis=None)
    else:
        styled = escaped
    st.table(styled, hide_index=not numbered)
    if listed:
        with st.expander(f"Nguồn đầy đủ của từng dòng ({len(listed)})"):
            st.markdown("\n".join(listed))


def _safe_url(url: str) -> str:
    """A relative URL of ours; anything that could end the Markdown link is encoded."""
    return quote(str(url), safe="/?=&%-_.~")


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
