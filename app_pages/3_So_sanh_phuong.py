"""So sánh phường: one indicator across the wards that plan for it."""

import streamlit as st

from ui import components as ui
from ui import data, state, views
from ui.charts import show_chart
from wardplan.display import compare
from wardplan.rules.periods import period_label

as_of = state.select_as_of()
generation = data.generation()
shared = data.shared(generation, as_of)
indicator = state.select_indicator(
    shared["options"], default="budget_revenue", label="Chỉ tiêu chung của nhiều phường")
period = period_label(as_of)

st.title("So sánh phường")
if indicator is None:
    st.info("Chưa có chỉ tiêu nào được từ hai phường trở lên đặt ra.")
    st.stop()

view = data.compare_view(generation, indicator, as_of)
rows = view["rows"]
st.subheader(f"{ui.md_escape(view['name'])} — {period}")
st.caption("Các phường khác nhau về quy mô, nên tiến độ được so bằng tỷ lệ: số thực hiện bằng "
           "bao nhiêu % chỉ tiêu năm của chính phường đó, và bao nhiêu % kịch bản đến kỳ của "
           "phường đó. Chỉ tiêu của mỗi phường được ghi nguyên văn.")
ui.table(compare.compare_view(rows), sources=["Nguồn chỉ tiêu"], key="compare",
         narrow=["Phường", "Trạng thái", "% chỉ tiêu năm", "% kịch bản", "Thực hiện"])
if not rows["has_report"].any():
    st.info("Chưa phường nào trong số này gửi báo cáo thực hiện: chỉ so sánh được chỉ tiêu.")
show_chart(view["figure"], key="compare_chart", filename=f"so-sanh_{indicator}_{as_of}",
           narrow=view["narrow_figure"])
views.compare_downloads(indicator, rows["ward_code"].tolist(), as_of)

st.subheader(f"Tất cả chỉ tiêu chung × phường — {period}")
st.caption("Mỗi ô: chỉ tiêu của phường (phép so sánh, giá trị, đơn vị), sau dấu | là trạng thái "
           "và số thực hiện bằng bao nhiêu % chỉ tiêu năm (CT). Ô trống: phường không đặt chỉ "
           "tiêu này.")
ui.table(shared["matrix"])
