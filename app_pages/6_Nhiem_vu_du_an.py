"""Nhiệm vụ & dự án: the ward's key tasks by office and its projects with capital and disbursement."""

import streamlit as st

from ui import components as ui
from ui import data, state
from wardplan.display import tasks as task_view
from wardplan.reads import queries

ward = state.select_ward()
year = state.plan_year()
ward_name = data.ward_names().get(ward, ward)

st.title(f"Nhiệm vụ & dự án — {ui.md_escape(ward_name)}")

st.subheader("Nhiệm vụ trọng tâm")
tasks = data.unit_rows(queries.tasks, ward, year=year)
if tasks.empty:
    st.info("Phường chưa có danh sách nhiệm vụ trọng tâm trong cơ sở dữ liệu.")
else:
    source = st.segmented_control(
        "Nguồn", [task_view.PLAN, task_view.REPORT], default=task_view.PLAN, key="task_source", required=True,
        format_func=lambda s: task_view.TASK_SOURCES[s])
    offices = st.multiselect("Đơn vị chủ trì", task_view.task_offices(tasks), key="task_offices",
                                placeholder="Tất cả các đơn vị")
    view = task_view.tasks_view(tasks, source or task_view.PLAN, offices)
    st.caption(f"{len(view)} nhiệm vụ. Nội dung, thời hạn và tiến độ ghi nguyên văn theo văn bản.")
    if view.empty:
        st.info("Không có nhiệm vụ nào với bộ lọc này.")
    else:
        ui.table(view, sources=["Nguồn"], key="tasks",
                 narrow=["STT", "Đơn vị chủ trì", "Nhiệm vụ", "Thời hạn", "Tiến độ / kết quả"])

st.subheader("Dự án đầu tư")
projects = data.unit_rows(queries.projects, ward, year=year)
if projects.empty:
    st.info("Phường chưa có danh mục dự án trong cơ sở dữ liệu.")
else:
    st.caption("Tổng hợp theo nhóm, cộng từ các dòng dự án (không tính dòng hạng mục):")
    ui.table(task_view.project_summary(projects))
    issues = data.unit_rows(queries.data_issues, ward)
    group_issues = issues[(issues["ward_code"] == ward) & issues["indicator_code"].isna()
                          & (issues["check_code"] == "project_group_total")]
    for message in group_issues["message"]:
        st.warning(f"Số liệu dòng nhóm chưa khớp: {ui.md_escape(message)}", icon=":material/warning:")
    ui.table(task_view.projects_view(projects), sources=["Nguồn"], key="projects",
             narrow=["Dự án / hạng mục", "Tổng vốn (triệu đồng)", "Tiến độ"])
    st.caption("Số tiền đổi từ đồng (như văn bản ghi) sang triệu đồng. Dòng “Nhóm” là dòng tổng "
               "của văn bản; dòng “Hạng mục” (↳) là chi tiết của dự án ngay trên.")
