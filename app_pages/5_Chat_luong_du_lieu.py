"""Chất lượng dữ liệu: findings of the ETL checks, by ward and severity, linked to the detail."""

import streamlit as st

from ui import components as ui
from ui import data, state
from wardplan.display import detail as detail_view
from wardplan.display import intake as intake_view
from wardplan.reads import queries
from wardplan.rules import quality

ward = state.select_ward()
as_of = state.select_as_of()
names = data.ward_names()

st.title("Chất lượng dữ liệu")
st.caption("Các điểm chưa khớp phát hiện khi nạp số liệu: số trong bảng khác lời văn, tỷ lệ "
           "phường nêu khác tỷ lệ tính lại, chỉ tiêu viết khác nhau… Số liệu vẫn được hiển thị "
           "nguyên văn; các phát hiện này cần phường xác nhận.")

left, right = st.columns([1, 2])
all_wards = left.toggle("Xem tất cả các phường", key="dq_all_wards")
severities = right.multiselect(
    "Mức độ", list(quality.SEVERITY_ORDER), default=list(quality.SEVERITY_ORDER), key="dq_severity",
    format_func=lambda s: quality.SEVERITY_LABELS_VI.get(s, s), placeholder="Chọn mức độ")
issues = data.load(queries.data_issues) if all_wards else data.unit_rows(queries.data_issues, ward)
shown = detail_view.filter_issues(issues, None, severities)

scope = "tất cả các phường" if all_wards else f"phường {names.get(ward, ward)}"
counts = shown["severity"].value_counts()
st.subheader(f"{len(shown)} phát hiện — {ui.md_escape(scope)}")
for column, severity in zip(st.columns(3), quality.SEVERITY_ORDER, strict=True):
    column.metric(quality.SEVERITY_LABELS_VI[severity], int(counts.get(severity, 0)), border=True)

if shown.empty:
    st.info("Không có phát hiện nào với bộ lọc này.")
else:
    findings = detail_view.issues_view(shown, as_of).drop(columns=["Mã kiểm tra"])
    if not all_wards:
        findings = findings.drop(columns=["Phường"])
    ui.table(findings, sources=["Nguồn"], links={"Chi tiết": "Mở"}, key="findings",
             narrow=["Mức độ", "Chỉ tiêu", "Kỳ", "Phát hiện"])
    st.caption("Cột “Chi tiết” mở trang chi tiết của chỉ tiêu (phường, chỉ tiêu và kỳ nằm trong "
               "đường dẫn). Phát hiện về nhóm dự án không gắn với chỉ tiêu nào: xem trang "
               "Nhiệm vụ & dự án.")

by_submission = data.load(queries.submission_findings)
if not all_wards:
    by_submission = by_submission[by_submission["ward_code"] == ward]
st.subheader("Theo lần nộp báo cáo")
if by_submission.empty:
    st.caption("Chưa có phát hiện nào trên số liệu phường nộp qua hệ thống"
               + ("" if all_wards else f" của {ui.md_escape(names.get(ward, ward))}") + ".")
else:
    indicator_names = data.indicator_names()
    for number, found in by_submission.groupby("submission_id", sort=False):
        first = found.iloc[0]
        label = (f"Lần nộp #{int(number)} · {names.get(first['ward_code'], first['ward_code'])} · "
                 f"{first['file_name']} · {first['submitted_by']} · {len(found)} phát hiện")
        with st.expander(ui.md_escape(label)):
            ui.table(intake_view.findings_view(found, indicator_names), key=f"sub-{number}")
