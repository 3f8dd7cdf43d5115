"""Chất lượng dữ liệu: findings of the ETL checks, by ward and severity, linked to the detail."""

import streamlit as st

from ui import components as ui
from ui import data, state
from wardplan.rules import quality
from wardplan.rules.numbers import format_number_vi

# A city has thousands of findings, and a year of its reports more than a thousand
# submissions: they are shown a page at a time.
FINDINGS_PAGE = 50
SUBMISSIONS_PAGE = 10

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
generation = data.generation()
unit = None if all_wards else ward  # None: every unit
shown = data.issues_listed(unit, severities)

scope = "tất cả các phường" if all_wards else f"phường {names.get(ward, ward)}"
# Another unit or severity starts again at page 1: each choice keeps its own page.
unit_key = "all" if all_wards else ward
scope_key = f"{unit_key}_{'-'.join(sorted(severities))}"
counts = shown["severity"].value_counts()
st.subheader(f"{format_number_vi(len(shown))} phát hiện — {ui.md_escape(scope)}")
for column, severity in zip(st.columns(3), quality.SEVERITY_ORDER, strict=True):
    column.metric(quality.SEVERITY_LABELS_VI[severity], format_number_vi(int(counts.get(severity, 0))),
                  border=True)

if shown.empty:
    st.info("Không có phát hiện nào với bộ lọc này.")
else:
    page = ui.pager(len(shown), FINDINGS_PAGE, f"dq_page_{scope_key}", "phát hiện")
    findings = data.findings_page(generation, unit, tuple(sorted(severities)), page,
                                  FINDINGS_PAGE, as_of)
    ui.draw_table(findings, key="findings",
                  narrow=["Mức độ", "Chỉ tiêu", "Kỳ", "Phát hiện"])
    st.caption("Cột “Chi tiết” mở trang chi tiết của chỉ tiêu (phường, chỉ tiêu và kỳ nằm trong "
               "đường dẫn). Phát hiện về nhóm dự án không gắn với chỉ tiêu nào: xem trang "
               "Nhiệm vụ & dự án.")

total = data.submission_findings_page(generation, unit, 1, SUBMISSIONS_PAGE)["total"]
st.subheader("Theo lần nộp báo cáo")
if not total:
    st.caption("Chưa có phát hiện nào trên số liệu phường nộp qua hệ thống"
               + ("" if all_wards else f" của {ui.md_escape(names.get(ward, ward))}") + ".")
else:
    page = ui.pager(total, SUBMISSIONS_PAGE, f"dq_submission_page_{unit_key}", "lần nộp")
    shown_page = data.submission_findings_page(generation, unit, page, SUBMISSIONS_PAGE)
    for number, label, view in shown_page["shown"]:
        # Drawn only once opened (a rerun): ten closed tables were sent on every rerun.
        submission = st.expander(ui.md_escape(label), key=f"dq-submission-{number}",
                                 on_change="rerun")
        if submission.open:
            with submission:
                ui.draw_table(view, key=f"sub-{number}")
