"""Ward, indicator and period live in the URL (`?ward=…&indicator=…&as_of=…`).

A link pasted into a chat must open the same view, so every run writes the
current choice back to `st.query_params`, defaults included.  A URL value
that differs from what this session last wrote came from outside (a pasted
link, `st.page_link(query_params=…)`, the browser's back button) and wins
over the widget's state.  Choices also survive pages that do not show the
widget, because Streamlit drops the state of widgets a page does not render.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from ui import data
from ui.components import md_escape
from wardplan.display import search
from wardplan.rules.periods import parse_period, period_label
from wardplan.rules.text import fold, shorten

WARD, INDICATOR, AS_OF = "ward", "indicator", "as_of"
DEFAULT_WARD = "phu_lien"


def _seen(param: str) -> str:
    return f"_url_seen_{param}"


def _kept(param: str) -> str:
    return f"_kept_{param}"


# How a warning about a link names each parameter.
_NOUNS = {WARD: "phường", INDICATOR: "chỉ tiêu", AS_OF: "kỳ báo cáo"}


def bound_selectbox(param: str, options: Sequence[str], *, label: str, default: str | None,
                    format_func: Callable[[str], str] = str, container=None,
                    help: str | None = None) -> str | None:
    """A selectbox whose value is mirrored in the URL query parameter `param`.

    A value from outside (a pasted link) that is not among the options is not
    silently replaced: the page says which value was wrong and what opened instead.
    """
    options = list(options)
    container = container if container is not None else st.sidebar
    if not options:
        container.selectbox(label, ["—"], disabled=True, key=f"_empty_{param}")
        return None
    state = st.session_state
    url_value = st.query_params.get(param)
    from_outside = url_value is not None and url_value != state.get(_seen(param))
    if from_outside and url_value in options:
        chosen = url_value
    elif state.get(param) in options:
        chosen = state[param]
    elif state.get(_kept(param)) in options:
        chosen = state[_kept(param)]
    else:
        chosen = default if default in options else options[0]
    # Assigned even when unchanged: a page switch can give the widget a new
    # identity, and only a value set through session_state carries over to it.
    state[param] = chosen
    value = container.selectbox(label, options, key=param, format_func=format_func, help=help,
                                placeholder="Chọn một mục")
    if from_outside and url_value not in options:
        _warn_bad_link(param, url_value, format_func(value))
    state[_kept(param)] = value
    state[_seen(param)] = value
    if st.query_params.get(param) != value:
        st.query_params[param] = value
    return value


def _warn_bad_link(param: str, given: str, opened: str) -> None:
    noun = _NOUNS.get(param, param)
    st.warning(f"Đường dẫn có {noun} không hợp lệ: “{md_escape(shorten(given, 40))}” không có "
               f"trong dữ liệu, nên trang đang mở {noun} {md_escape(opened)}. Kiểm tra lại "
               "đường dẫn đã nhận, hoặc chọn ở thanh bên.", icon=":material/link_off:")


def kept(param: str) -> str | None:
    """The last choice for `param` in this session, even if not shown on this page."""
    return st.session_state.get(_kept(param)) or st.query_params.get(param)


def select_ward(container=None) -> str:
    names = data.ward_names()
    return bound_selectbox(WARD, data.ward_codes(), label="Phường", default=DEFAULT_WARD,
                           format_func=lambda code: names.get(code, code), container=container)


def select_as_of(container=None) -> str:
    with_data = data.periods_with_actuals()

    def label(code: str) -> str:
        text = period_label(code)
        return f"{text} · có báo cáo" if code in with_data else text

    return bound_selectbox(AS_OF, data.period_options(), label="Kỳ báo cáo (tính đến)",
                           default=data.default_as_of(), format_func=label, container=container,
                           help="Số liệu lũy kế tính đến hết kỳ này.")


def select_indicator(options: Sequence[str], default: str | None = None, container=None,
                     label: str = "Chỉ tiêu") -> str | None:
    """The indicator, with a search box that ignores diacritics ("ngan sach" finds
    "Thu ngân sách…"): the selectbox's own filter matches letters exactly."""
    names = data.indicator_names()
    options = sorted(options, key=lambda code: fold(names.get(code, code)))
    where = container if container is not None else st.sidebar
    query = where.text_input("Tìm chỉ tiêu", key="indicator_search",
                             placeholder="Gõ có dấu hoặc không dấu, ví dụ: ngan sach",
                             help="Lọc danh sách chỉ tiêu bên dưới theo từ khóa, không phân "
                                  "biệt dấu và chữ hoa.")
    found = search.matching(options, names, query)
    url = st.query_params.get(INDICATOR)
    if url in options and url not in found and url != st.session_state.get(_seen(INDICATOR)):
        found = options  # a link names an indicator the search would hide: the link wins
    if query.strip() and not found:
        where.caption(f"Không tìm thấy chỉ tiêu nào khớp “{md_escape(shorten(query, 40))}”; "
                      "danh sách dưới đây là tất cả các chỉ tiêu.")
    elif query.strip():
        where.caption(f"{len(found)}/{len(options)} chỉ tiêu khớp “{md_escape(shorten(query, 40))}”.")
    return bound_selectbox(INDICATOR, found or options, label=label, default=default,
                           format_func=lambda code: names.get(code, code), container=container)


def plan_year() -> int | None:
    """The plan year of the period last chosen (for pages that show no period picker)."""
    chosen = kept(AS_OF)
    if chosen in data.period_options():
        return parse_period(chosen).year
    default = data.default_as_of()
    return parse_period(default).year if default else None
