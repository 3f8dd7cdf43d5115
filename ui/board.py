"""The overview's city board in Streamlit: the key indicators, the filters, the units board
in its wide and phone forms, a few units indicator by indicator, the full list, and what
needs attention first.

Each section is an `st.fragment`: choosing a filter, a tab or a page reruns that section
only, and only the chosen tab is built (`st.tabs(on_change="rerun")`).  What they show
comes formatted from `ui.data` (cached on the database generation, the period and the
choice), one page at a time: `display.board.PAGE_SIZE` units, `LIST_PAGE` status rows.
The choices keep for the session (`persist_state="session"`), so they are still there
after a look at a unit's progress page.
"""

from __future__ import annotations

import streamlit as st

from ui import components as ui
from ui import data, layout, nav
from wardplan.display import board, overview, styles
from wardplan.display.styles import STATUS_ORDER, STATUS_STYLES
from wardplan.rules.frames import records
from wardplan.rules.periods import period_label
from wardplan.rules.status import AMBER, GREY, RED
from wardplan.rules.text import shorten

GRID_UNITS = 5  # units side by side in "Theo chỉ tiêu": more columns stop being readable
LIST_PAGE = 50  # status rows per page of the full list
ATTENTION_ITEMS = 12

TAB_UNITS, TAB_GRID, TAB_LIST = "Theo đơn vị", "Theo chỉ tiêu", "Danh sách đầy đủ"
_PAGES = ("board_page", "board_list_page")


@st.fragment
def key_indicators(as_of: str, units: int) -> None:
    """How many units are red, amber, green, grey on each of the city's key indicators."""
    st.markdown(f"**Chỉ tiêu chủ yếu: số đơn vị theo trạng thái** — các chỉ tiêu (không kể chỉ "
                f"tiêu thành phần) do ít nhất một nửa trong {units} đơn vị đặt ra; nhiều đơn vị "
                f"{STATUS_STYLES[RED].text} nhất trước.")
    everything = bool(st.session_state.get("key_all"))
    shown = data.key_indicators_view(data.generation(), as_of, everything)
    if not shown["count"]:
        st.caption("Chưa có chỉ tiêu nào đủ nhiều đơn vị cùng đặt ra.")
        return
    if shown["count"] > board.KEY_ROWS:
        st.toggle(f"Xem cả {shown['count']} chỉ tiêu chủ yếu", key="key_all",
                  persist_state="session")
    ui.draw_table(shown["view"], key="key-indicators",
                  narrow=["Chỉ tiêu", STATUS_STYLES[RED].text, STATUS_STYLES[AMBER].text,
                          STATUS_STYLES[GREY].text])
    st.caption("Trong ngoặc: trong số đó, bao nhiêu đơn vị có trạng thái tạm tính (kịch bản "
               "đến kỳ phần lớn do hệ thống phân bổ, không phải số của đơn vị).")


def _first_pages() -> None:
    """A new filter or order starts again at page 1."""
    for key in _PAGES:
        if key in st.session_state:
            st.session_state[key] = 1


def _filters(types: list[str], groups: list[str]) -> board.BoardFilter:
    top = st.columns([3, 2], vertical_alignment="bottom")
    query = top[0].text_input(
        "Tìm đơn vị", key="board_search", on_change=_first_pages, persist_state="session",
        placeholder="Gõ có dấu hoặc không dấu, ví dụ: thuy nguyen",
        help="Lọc theo tên phường, xã, đặc khu; không phân biệt dấu và chữ hoa.")
    sort = top[1].selectbox("Sắp xếp", list(board.SORT_LABELS_VI),
                            format_func=board.SORT_LABELS_VI.get, key="board_sort",
                            on_change=_first_pages, persist_state="session")
    middle = st.columns([2, 3]) if len(types) > 1 else [None, st.container()]
    chosen_types: list[str] = []
    if len(types) > 1:  # one type only (the bundled wards): nothing to filter
        chosen_types = middle[0].pills("Loại đơn vị", types, selection_mode="multi",
                                       key="board_types", on_change=_first_pages,
                                       persist_state="session", width="stretch")
    statuses = middle[1].pills(
        "Có chỉ tiêu ở trạng thái", list(STATUS_ORDER), selection_mode="multi",
        format_func=lambda s: STATUS_STYLES[s].text, key="board_statuses",
        on_change=_first_pages, persist_state="session", width="stretch",
        help="Chỉ giữ các đơn vị có ít nhất một chỉ tiêu ở trạng thái đã chọn "
             "(trong các lĩnh vực đã chọn).")
    chosen_groups = st.pills("Lĩnh vực", groups, selection_mode="multi", key="board_groups",
                             on_change=_first_pages, persist_state="session", width="stretch",
                             help="Chỉ tính các chỉ tiêu thuộc lĩnh vực đã chọn.")
    return board.BoardFilter(types=tuple(chosen_types or ()), statuses=tuple(statuses or ()),
                             groups=tuple(chosen_groups or ()), query=query or "", sort=sort)


@st.fragment
def city_board(as_of: str, due: data.Due) -> None:
    """The board section of the overview (`due`: what lateness is counted against)."""
    generation = data.generation()
    head = data.overview_head(generation, as_of)
    if head["empty"]:
        st.info("Chưa có đơn vị nào trong cơ sở dữ liệu.")
        return
    chosen = _filters(head["types"], head["groups"])
    rows = data.board_selection(generation, as_of, chosen, due)
    if rows.empty:
        st.info("Không có đơn vị nào khớp bộ lọc. Bỏ bớt điều kiện lọc để xem lại.",
                icon=":material/filter_alt_off:")
    else:
        units_tab, grid_tab, list_tab = st.tabs([TAB_UNITS, TAB_GRID, TAB_LIST],
                                                key="board_view", on_change="rerun")
        if units_tab.open:
            with units_tab:
                _units(generation, as_of, chosen, due, len(rows))
        if grid_tab.open:
            with grid_tab:
                _grid(generation, as_of, chosen, due, len(rows))
        if list_tab.open:
            with list_tab:
                _list(generation, as_of, chosen, due)
    _attention(data.board_attention(generation, as_of, chosen, due, ATTENTION_ITEMS),
               as_of)


def _units(generation, as_of: str, chosen: board.BoardFilter, due: data.Due,
           total: int) -> None:
    page = ui.pager(total, board.PAGE_SIZE, "board_page", "đơn vị")
    shown = data.board_page(generation, as_of, chosen, due, page, nav.PROGRESS.url_path)
    with layout.wide("board"):
        st.caption(f"Mỗi dòng một đơn vị; mỗi ô lĩnh vực: số chỉ tiêu theo từng trạng thái. "
                   f"Cột cuối nêu tối đa {board.NAMED_ITEMS} chỉ tiêu chậm nhất với % so với kịch "
                   f"bản (KB) đến kỳ; {styles.PROVISIONAL_MARK} là tạm tính, ≠ là đơn vị tự đánh "
                   "giá khác kết quả tính, ↩ là chưa có báo cáo kỳ này (theo số liệu kỳ trước; "
                   f"kỳ nào: xem thẻ “{TAB_LIST}”). Bấm tên đơn vị để mở trang tiến độ của đơn "
                   "vị (thẻ mới).")
        ui.draw_table(shown["table"])
    with layout.narrow("board"):
        st.caption("Từng đơn vị, chậm nhất trước: số chỉ tiêu theo trạng thái, tình hình báo "
                   "cáo và các chỉ tiêu chậm, cần chú ý.")
        _phone(shown["phone"], as_of)


def _phone(units: list[board.PhoneUnit], as_of: str) -> None:
    for unit in units:
        with st.container(border=True):
            st.page_link(nav.target(nav.PROGRESS), label=f"**{ui.md_escape(unit.ward_name)}**",
                         icon=":material/show_chart:",
                         query_params={"ward": unit.ward_code, "as_of": as_of})
            # The caption and the items in one element (see _attention).
            caption = " · ".join(t for t in (unit.unit_type_vi, unit.reporting, unit.counts) if t)
            lines = [_small(caption)] if caption else []
            lines += [_phone_item(item) for item in unit.first]
            if unit.more:
                lines.append(f"… và {unit.more} chỉ tiêu chậm, cần chú ý khác")
            if unit.data_errors:
                lines.append(f"{ui.badge_markdown(GREY, 'data_error')} {unit.data_errors} "
                             "chỉ tiêu")
            if lines:
                st.markdown("\n\n".join(lines))


def _phone_item(item: overview.PhoneItem) -> str:
    figures = " · ".join(ui.md_escape(t) for t in (item.figure, item.pct_scenario,
                                                   *item.qualifiers) if t and t != "—")
    line = f"{ui.badge_markdown(item.status, item.reason)} **{ui.md_escape(item.indicator_name)}**"
    return f"{line}  \n{figures}" if figures else line


def _grid(generation, as_of: str, chosen: board.BoardFilter, due: data.Due,
          total: int) -> None:
    shown = data.board_grid(generation, as_of, chosen, due, GRID_UNITS)
    more = total - shown["units"]
    st.caption(f"Từng chỉ tiêu của {shown['units']} đơn vị đầu tiên theo bộ lọc và thứ tự đang "
               "chọn" + (f" (còn {more} đơn vị: dùng ô tìm kiếm hoặc bộ lọc để chọn đơn vị "
                         "khác)." if more > 0 else "."))
    if shown["grid"].empty:
        st.info("Không có chỉ tiêu nào khớp bộ lọc.")
        return
    with layout.wide("grid"):
        ui.status_legend()
        st.caption(f"Mỗi ô: ký hiệu trạng thái, số thực hiện lũy kế (theo đơn vị ở cột Đơn vị), "
                   f"trong ngoặc là % so với kịch bản (KB) đến kỳ; {styles.PROVISIONAL_MARK} là "
                   "tạm tính (kịch bản chủ yếu do hệ thống phân bổ); ↩ là chưa có báo cáo kỳ "
                   "này, theo số liệu kỳ ghi sau; ≠ là đơn vị tự đánh giá khác kết quả tính. Ô "
                   "trống: đơn vị không đặt chỉ tiêu này.")
        ui.status_board_wide(shown["grid"])
    with layout.narrow("grid"):
        ui.status_board_narrow(shown["phone"])


def _list(generation, as_of: str, chosen: board.BoardFilter, due: data.Due) -> None:
    total = data.status_list_page(generation, as_of, chosen, due, 1, LIST_PAGE)["total"]
    page = ui.pager(total, LIST_PAGE, "board_list_page", "dòng")
    shown = data.status_list_page(generation, as_of, chosen, due, page, LIST_PAGE)
    ui.draw_table(shown["view"], key="status-list",
                  narrow=["Trạng thái", "Đơn vị", "Chỉ tiêu", "Thực hiện", "% kịch bản", "Chi tiết"])


def _attention(attention: dict, as_of: str) -> None:
    st.subheader("Cần chú ý trước")
    items = attention["items"]
    if items.empty:
        st.success(f"Không có chỉ tiêu nào ở mức {styles.status_text(RED)} hoặc "
                   f"{styles.status_text(AMBER)} tại kỳ {period_label(as_of)} trong các đơn vị "
                   "và lĩnh vực đang chọn.", icon=":material/check_circle:")
        return
    for item in records(items):
        # Three elements an item, where columns and an element a line were eight: each
        # element costs every rerun of every session (twelve items, a tenth of the
        # overview's server time).  The container wraps the link under the text on a phone.
        with st.container(border=True, horizontal=True, vertical_alignment="center"):
            st.markdown(_attention_markdown(item))
            ui.detail_link(item.ward_code, item.indicator_code, as_of)
    if attention["behind"] > len(items):
        st.caption(f"Còn {attention['behind'] - len(items)} chỉ tiêu chậm hoặc cần chú ý khác: "
                   f"xem thẻ “{TAB_LIST}” ở trên.")


def _attention_markdown(item) -> str:
    """An item: which unit and indicator, how far along; on what basis; why, and what
    follows; the unit's own verdict where it differs."""
    verdict = (f"≠ Đơn vị tự đánh giá: “{shorten(item.ward_verdict, 80)}” — khác kết quả "
               f"tính ({STATUS_STYLES[item.status].text})." if item.verdict_differs else "")
    lines = [f"{ui.badge_markdown(item.status)} **{ui.md_escape(item.ward_name)} · "
             f"{ui.md_escape(item.indicator_name)}** — {ui.md_escape(item.figure)}, "
             f"{ui.md_escape(item.pct_scenario)} kịch bản đến kỳ"]
    if item.qualifiers:
        lines.append(_small(f"Cơ sở: {item.qualifiers}"))
    lines += [ui.md_escape(line) for line in (item.headline, item.outlook, verdict) if line]
    return "  \n".join(lines)


def _small(text: str) -> str:
    """`text` as a caption reads, inside a Markdown element of its own."""
    return f":small[:gray[{ui.md_escape(text)}]]"
