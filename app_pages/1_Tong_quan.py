"""Tổng quan: which indicators are red or amber in which ward, as of which period, and why."""

import streamlit as st

from ui import components as ui
from ui import data, state
from wardplan.display import overview, styles
from wardplan.rules.periods import parse_period, period_label

MAX_ITEMS = 20

as_of = state.select_as_of()
period = period_label(as_of)
year = parse_period(as_of).year
view = data.overview_view(data.generation(), as_of)

st.title(f"Tổng quan · {period}")
st.caption("Trạng thái so sánh số thực hiện lũy kế với kịch bản tăng trưởng đến hết kỳ "
           "(không so với cả năm): ▲ từ 100% kịch bản, ● từ 90% đến dưới 100%, ▼ dưới 90%, "
           "○ chưa có số liệu để so.")

if not view["has_actuals"]:
    st.info(ui.no_data_message(as_of, view["latest"]), icon=":material/info:")

counts = view["counts"]
totals = {s: int(counts[s].sum()) if not counts.empty else 0 for s in styles.STATUS_ORDER}
for column, status in zip(st.columns(len(styles.STATUS_ORDER)), styles.STATUS_ORDER, strict=True):
    column.metric(ui.badge_markdown(status), totals[status], border=True)

st.subheader("Cần chú ý trước")
attention = view["attention"]
if attention.empty:
    st.success(f"Không có chỉ tiêu nào ở mức ▼ Chậm hoặc ● Cần chú ý tại kỳ {period}.",
               icon=":material/check_circle:")
for item in attention.head(MAX_ITEMS).itertuples(index=False):
    with st.container(border=True):
        left, right = st.columns([6, 1.2], vertical_alignment="center")
        with left:
            st.markdown(f"{ui.badge_markdown(item.status)} "
                        f"**{ui.md_escape(item.ward_name)} · {ui.md_escape(item.indicator_name)}**"
                        f" — {ui.md_escape(item.figure)}, {ui.md_escape(item.pct_scenario)} "
                        "kịch bản đến kỳ")
            st.text(item.headline)
            if item.verdict_differs:
                st.text(f"≠ Phường tự đánh giá: “{item.ward_verdict}” — khác kết quả tính "
                        f"({styles.STATUS_STYLES[item.status].text}).")
        ui.detail_link(item.ward_code, item.indicator_code, as_of, container=right)
if len(attention) > MAX_ITEMS:
    st.caption(f"Còn {len(attention) - MAX_ITEMS} chỉ tiêu khác: xem bảng danh sách bên dưới.")

st.subheader("Số chỉ tiêu theo trạng thái của từng phường")
st.dataframe(overview.ward_counts_view(counts), hide_index=True, width="stretch")
if not counts.empty and not counts["has_report"].all():
    missing = ", ".join(counts.loc[~counts["has_report"], "ward_name"])
    st.caption(f"Chưa gửi báo cáo thực hiện năm {year}: {ui.md_escape(missing)} — mọi chỉ tiêu "
               "của các phường này hiện là ○ Chưa có số liệu.")

st.subheader(f"Bảng trạng thái phường × chỉ tiêu — {period}")
board_tab, list_tab = st.tabs(["Bảng phường × chỉ tiêu", "Danh sách có liên kết"])
board = view["board"]
with board_tab:
    if board.empty:
        st.info("Chưa có chỉ tiêu nào trong cơ sở dữ liệu.")
    else:
        ui.status_legend()
        st.caption("Mỗi ô: ký hiệu trạng thái, số thực hiện lũy kế (theo đơn vị ở cột Đơn vị), "
                   "trong ngoặc là % so với kịch bản (KB) đến kỳ; ≠ là phường tự đánh giá khác "
                   "kết quả tính. Ô trống: phường không đặt chỉ tiêu này.")
        st.dataframe(overview.style_board(board), hide_index=True, width="stretch",
                     height=min(36 * (len(board.text) + 1) + 4, 1400),
                     column_config=ui.board_columns(board.text.columns))
with list_tab:
    st.dataframe(overview.status_list_view(view["status"], as_of), hide_index=True, width="stretch",
                 column_config={"Chi tiết": st.column_config.LinkColumn(
                     "Chi tiết", display_text="Mở chi tiết")})
