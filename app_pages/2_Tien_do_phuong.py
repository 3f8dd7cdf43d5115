"""Tiến độ theo phường: cumulative actual vs the scenario path vs the annual target."""

import streamlit as st

from ui import components as ui
from ui import data, state, views
from ui.charts import show_chart
from wardplan.display import charts, overview, styles
from wardplan.display import format as fmt
from wardplan.reads import queries
from wardplan.rules.periods import parse_period, period_label

ward = state.select_ward()
as_of = state.select_as_of()
generation = data.generation()
ward_name = data.ward_names().get(ward, ward)
period = period_label(as_of)
year = parse_period(as_of).year

st.title(f"Tiến độ theo phường — {ui.md_escape(ward_name)}")

if not data.has_report(ward, year):
    st.warning(f"Phường chưa gửi báo cáo thực hiện năm {year}. Dưới đây là các chỉ tiêu kế hoạch "
               f"năm {year} của phường, đúng như văn bản kế hoạch.", icon=":material/schedule:")
    targets = data.unit_rows(queries.targets, ward, year=year)
    if targets.empty:
        st.info("Phường chưa có chỉ tiêu kế hoạch trong cơ sở dữ liệu.")
    else:
        st.subheader(f"Chỉ tiêu kế hoạch năm {year} ({len(targets)} chỉ tiêu)")
        ui.draw_table(data.targets_table(generation, ward, year), key="targets",
                      narrow=["Chỉ tiêu", "Chỉ tiêu kế hoạch (nguyên văn)"])
    st.stop()

with_data = data.indicator_codes(queries.ward_indicators_with_actuals, ward, year)
default = "budget_revenue" if "budget_revenue" in with_data else (with_data[0] if with_data else None)
indicator = state.select_indicator(with_data, default=default,
                                   label="Chỉ tiêu (có số liệu thực hiện)")

status = data.ward_status(generation, ward, as_of)
if not overview.period_has_actuals(status, as_of):
    st.info(ui.no_data_message(as_of, overview.latest_data_period(status)), icon=":material/info:")

if indicator is None:
    st.info("Phường chưa có chỉ tiêu nào có số liệu thực hiện.")
else:
    current = status[status["indicator_code"] == indicator]
    if not current.empty:
        row = current.iloc[0]
        qualifiers = " · ".join(styles.qualifiers(row))
        st.markdown(f"{ui.badge_markdown(row['status'], row['status_reason'])} "
                    + (f"*{ui.md_escape(qualifiers)}* — " if qualifiers else "")
                    + ui.md_escape(fmt.first_sentence(row["note"])))
        if fmt.outlook_text(row):
            st.caption(ui.md_escape(fmt.outlook_text(row)))
    wide, narrow = data.progress_figures(generation, ward, indicator, as_of)
    show_chart(wide, key="progress_chart", filename=f"tien-do_{ward}_{indicator}_{as_of}",
               narrow=narrow)
    st.caption(charts.PROGRESS_CAPTION)
    ui.detail_link(ward, indicator, as_of, label="Xem chi tiết, nguồn số liệu và dự báo cuối năm")
    ui.help_link("Cách đọc biểu đồ tiến độ")

st.subheader(f"Tóm tắt các chỉ tiêu có số liệu — {period}")
rows, bullet, bullet_narrow = data.summary_figures(generation, ward, as_of)
if rows.empty:
    st.info(f"Không có chỉ tiêu nào có số liệu thực hiện tính đến {period}.")
else:
    show_chart(bullet, key="bullet_chart", filename=f"tom-tat_{ward}_{as_of}",
               narrow=bullet_narrow)
    st.caption("Thanh: số thực hiện bằng bao nhiêu % chỉ tiêu năm (màu và ký hiệu theo trạng "
               "thái). Vạch đen: kịch bản đến kỳ tính bằng % chỉ tiêu năm — thanh vượt vạch là "
               "đang đi trước kịch bản. Chỉ tiêu đánh giá khi hoàn thành không có thanh: "
               "được đánh giá cuối năm.")
views.progress_downloads(ward, indicator, as_of)

# Drawn only once opened (a rerun): the unit's whole plan was made and sent on every view.
every_target = st.expander(f"Toàn bộ chỉ tiêu kế hoạch năm {year} của phường",
                           key="all_targets", on_change="rerun")
if every_target.open:
    with every_target:
        ui.draw_table(data.targets_table(generation, ward, year), key="all-targets",
                      narrow=["Chỉ tiêu", "Chỉ tiêu kế hoạch (nguyên văn)"])
