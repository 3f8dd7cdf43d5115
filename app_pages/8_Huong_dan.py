"""Hướng dẫn sử dụng: statuses, scenario origins, kinds, charts, sources, submission, exports."""

import streamlit as st

from ui import components as ui
from ui import data
from wardplan.display import help as help_content

st.title("Hướng dẫn sử dụng")
st.caption("Cách đọc trạng thái, kịch bản và biểu đồ; mỗi con số lấy từ đâu; phường gửi số "
           "liệu thế nào; in và xuất báo cáo.")

bands = data.bands()
for section in help_content.sections(bands["green_min_pct"], bands["amber_min_pct"]):
    st.subheader(section.title, anchor=section.anchor)
    for paragraph in section.paragraphs:
        st.markdown(ui.md_escape(paragraph))
    if section.table is not None:
        ui.table(section.table)
    for paragraph in section.after:
        st.markdown(ui.md_escape(paragraph))
