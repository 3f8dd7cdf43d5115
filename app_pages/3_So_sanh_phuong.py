"""So sánh phường: every unit that plans one indicator, ranked, and how they spread."""

import streamlit as st

from ui import components as ui
from ui import data, state, views
from ui.charts import show_chart
from wardplan.display import board, compare
from wardplan.rules.periods import period_label

RANKING_PAGE = 25  # rows of the ranking table at a time

as_of = state.select_as_of()
ward = state.select_ward()
generation = data.generation()
indicator = state.select_indicator(
    data.shared(generation, as_of)["options"], default="budget_revenue",
    label="Chỉ tiêu chung của nhiều đơn vị")
period = period_label(as_of)

st.title("So sánh phường")
if indicator is None:
    st.info("Chưa có chỉ tiêu nào được từ hai đơn vị trở lên đặt ra.")
    st.stop()


@st.fragment
def ranking() -> None:
    by = st.segmented_control("Xếp hạng theo", list(compare.MEASURE_LABELS_VI),
                              format_func=compare.MEASURE_LABELS_VI.get, default=compare.BY_SCENARIO,
                              required=True, key="compare_by", persist_state="session")
    view = data.compare_view(generation, indicator, as_of, by, ward)
    ranked = view["ranked"]
    st.subheader(f"{ui.md_escape(view['name'])} — {period}")
    st.caption("Các đơn vị khác nhau về quy mô, nên tiến độ được so bằng tỷ lệ: số thực hiện "
               "bằng bao nhiêu % kịch bản đến kỳ của chính đơn vị đó, và bao nhiêu % chỉ tiêu "
               "năm của đơn vị đó. Đơn vị đang chọn ở thanh bên được tô viền và đánh dấu ◀.")
    st.markdown(f"**{ui.md_escape(view['sentence'])}**")
    if not ranked["has_report"].any():
        st.info("Chưa đơn vị nào trong số này gửi báo cáo thực hiện: chỉ so sánh được chỉ tiêu.")
    wide, narrow = (data.figure(f) for f in view["ranking"])
    show_chart(wide, key="ranking_chart", narrow=narrow,
               filename=f"xep-hang_{indicator}_{by}_{as_of}")
    wide, narrow = (data.figure(f) for f in view["distribution"])
    show_chart(wide, key="distribution_chart", narrow=narrow,
               filename=f"phan-bo_{indicator}_{as_of}")
    st.subheader("Bảng xếp hạng")
    pages = board.page_count(len(ranked), RANKING_PAGE)
    page = 1
    if pages > 1:
        page = st.pagination(pages, default=compare.page_with(ranked, ward, RANKING_PAGE),
                             key=f"ranking_page_{indicator}_{ward}_{by}")
    st.caption(board.page_caption(len(ranked), page, RANKING_PAGE))
    ui.draw_table(data.ranking_page(generation, indicator, as_of, by, ward, page, RANKING_PAGE),
                  key="compare",
                  narrow=["Hạng", "Đơn vị", "Trạng thái", "% kịch bản", "% chỉ tiêu năm"])
    views.compare_downloads(indicator, ranked["ward_code"].tolist(), as_of)


ranking()

st.subheader(f"Tất cả chỉ tiêu chung — {period}")
names = data.ward_names()
default = data.matrix_default(generation, indicator, as_of, ward)
chosen = st.multiselect("Đơn vị đặt cạnh nhau (tối đa 5)", data.ward_codes(), default=default,
                        format_func=lambda code: names.get(code, code), max_selections=5,
                        key=f"matrix_units_{ward}", help="Mặc định: đơn vị đang chọn và các đơn "
                        "vị dẫn đầu xếp hạng theo % kịch bản đến kỳ.")
st.caption("Mỗi ô: chỉ tiêu của đơn vị (phép so sánh, giá trị, đơn vị), sau dấu | là trạng thái "
           "và số thực hiện bằng bao nhiêu % chỉ tiêu năm (CT). Ô trống: đơn vị không đặt chỉ "
           "tiêu này.")
ui.draw_table(data.shared_matrix(generation, as_of, tuple(chosen)))
