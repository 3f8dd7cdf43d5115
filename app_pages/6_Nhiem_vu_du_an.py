"""Nhiệm vụ & dự án: the ward's key tasks by office and its projects with capital and disbursement."""

import streamlit as st

from ui import components as ui
from ui import data, state
from wardplan.display import tasks as task_view

ward = state.select_ward()
year = state.plan_year()
ward_name = data.ward_names().get(ward, ward)

st.title(f"Nhiệm vụ & dự án — {ui.md_escape(ward_name)}")

st.subheader("Nhiệm vụ trọng tâm")
generation = data.generation()
offices_led = data.task_offices(generation, ward, year)
if offices_led is None:
    st.info("Phường chưa có danh sách nhiệm vụ trọng tâm trong cơ sở dữ liệu.")
else:
    source = st.segmented_control(
        "Nguồn", [task_view.PLAN, task_view.REPORT], default=task_view.PLAN, key="task_source", required=True,
        format_func=lambda s: task_view.TASK_SOURCES[s])
    offices = st.multiselect("Đơn vị chủ trì", offices_led, key="task_offices",
                                placeholder="Tất cả các đơn vị")
    view = data.tasks_table(generation, ward, year, source or task_view.PLAN, tuple(offices))
    st.caption(f"{view.rows} nhiệm vụ. Nội dung, thời hạn và tiến độ ghi nguyên văn theo văn bản.")
    if not view.rows:
        st.info("Không có nhiệm vụ nào với bộ lọc này.")
    else:
        ui.draw_table(view, key="tasks",
                      narrow=["STT", "Đơn vị chủ trì", "Nhiệm vụ", "Thời hạn", "Tiến độ / kết quả"])

st.subheader("Dự án đầu tư")
projects = data.projects_tables(generation, ward, year)
if projects is None:
    st.info("Phường chưa có danh mục dự án trong cơ sở dữ liệu.")
else:
    st.caption("Tổng hợp theo nhóm, cộng từ các dòng dự án (không tính dòng hạng mục):")
    ui.draw_table(projects["summary"])
    for message in projects["group_issues"]:
        st.warning(f"Số liệu dòng nhóm chưa khớp: {ui.md_escape(message)}", icon=":material/warning:")
    ui.draw_table(projects["projects"], key="projects",
                  narrow=["Dự án / hạng mục", "Tổng vốn (triệu đồng)", "Tiến độ"])
    st.caption("Số tiền đổi từ đồng (như văn bản ghi) sang triệu đồng. Dòng “Nhóm” là dòng tổng "
               "của văn bản; dòng “Hạng mục” (↳) là chi tiết của dự án ngay trên.")
