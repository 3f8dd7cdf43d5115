"""Tổng quan: the city at a period — what is behind where, who has not reported, and why."""

import streamlit as st

from ui import board as city
from ui import components as ui
from ui import data, state, views
from wardplan.display import styles
from wardplan.rules.periods import period_label

as_of = state.select_as_of()
period = period_label(as_of)
generation = data.generation()
head = data.overview_head(generation, as_of)
bands = data.bands()

st.title(f"Tổng quan · {period}")
st.caption("Trạng thái so sánh số thực hiện lũy kế với kịch bản tăng trưởng đến kỳ báo cáo "
           "gần nhất (không so với cả năm). "
           + styles.legend_sentence(bands["green_min_pct"], bands["amber_min_pct"]))
ui.help_link()

if not head["has_actuals"]:
    st.info(ui.no_data_message(as_of, head["latest"]), icon=":material/info:")

with st.container(key="metrics-status"):
    for column, status in zip(st.columns(len(styles.STATUS_ORDER)), styles.STATUS_ORDER,
                              strict=True):
        column.metric(ui.badge_markdown(status), head["totals"][status], border=True,
                      help="Số chỉ tiêu của mọi đơn vị ở trạng thái này.")

st.subheader(f"Toàn thành phố — {period}")
due = data.due()
reporting = data.reporting_view(generation, as_of, due)
st.markdown(ui.md_escape(reporting["sentence"]))
if reporting["unreported"].rows:
    with st.expander(f"Đơn vị chưa báo cáo kỳ {period} ({reporting['unreported'].rows})"):
        ui.draw_table(reporting["unreported"], key="reporting")
city.key_indicators(as_of, head["units"])

st.subheader(f"Bảng các đơn vị — {period}")
city.city_board(as_of, due)
views.board_downloads(as_of)
