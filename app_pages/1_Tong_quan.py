"""Tổng quan: which indicators are red or amber in which ward, as of which period, and why."""

import streamlit as st

from ui import components as ui
from ui import data, layout, state, views
from wardplan.display import format as fmt
from wardplan.display import intake as intake_view
from wardplan.display import overview, styles
from wardplan.reads import queries
from wardplan.rules.periods import parse_period, period_label

MAX_ITEMS = 20

as_of = state.select_as_of()
period = period_label(as_of)
year = parse_period(as_of).year
view = data.overview_view(data.generation(), as_of)

bands = data.bands()

st.title(f"Tổng quan · {period}")
st.caption("Trạng thái so sánh số thực hiện lũy kế với kịch bản tăng trưởng đến kỳ báo cáo "
           "gần nhất (không so với cả năm). "
           + styles.legend_sentence(bands["green_min_pct"], bands["amber_min_pct"]))
ui.help_link()

if not view["has_actuals"]:
    st.info(ui.no_data_message(as_of, view["latest"]), icon=":material/info:")

counts = view["counts"]
totals = {s: int(counts[s].sum()) if not counts.empty else 0 for s in styles.STATUS_ORDER}
with st.container(key="metrics-status"):
    for column, status in zip(st.columns(len(styles.STATUS_ORDER)), styles.STATUS_ORDER,
                              strict=True):
        column.metric(ui.badge_markdown(status), totals[status], border=True)

st.subheader("Cần chú ý trước")
attention = view["attention"]
if attention.empty:
    st.success(f"Không có chỉ tiêu nào ở mức {styles.status_text(styles.RED)} hoặc "
               f"{styles.status_text(styles.AMBER)} tại kỳ {period}.",
               icon=":material/check_circle:")
for item in attention.head(MAX_ITEMS).itertuples(index=False):
    with st.container(border=True):
        left, right = st.columns([6, 1.2], vertical_alignment="center")
        with left:
            st.markdown(f"{ui.badge_markdown(item.status)} "
                        f"**{ui.md_escape(item.ward_name)} · {ui.md_escape(item.indicator_name)}**"
                        f" — {ui.md_escape(item.figure)}, {ui.md_escape(item.pct_scenario)} "
                        "kịch bản đến kỳ")
            if item.qualifiers:
                st.caption(f"Cơ sở: {item.qualifiers}")  # our words, no data
            st.text(item.headline)
            if item.outlook:
                st.text(item.outlook)
            if item.verdict_differs:
                st.text(f"≠ Phường tự đánh giá: “{item.ward_verdict}” — khác kết quả tính "
                        f"({styles.STATUS_STYLES[item.status].text}).")
        ui.detail_link(item.ward_code, item.indicator_code, as_of, container=right)
if len(attention) > MAX_ITEMS:
    st.caption(f"Còn {len(attention) - MAX_ITEMS} chỉ tiêu khác: xem bảng danh sách bên dưới.")

reporting = intake_view.reporting_view(data.load(queries.reporting, as_of), as_of,
                                       data.report_due_days(), fmt.today_in_vietnam())
st.markdown(ui.md_escape(intake_view.reporting_sentence(reporting, as_of,
                                                        data.report_due_days())))
with st.expander("Tình hình nộp báo cáo của từng đơn vị"):
    ui.table(reporting.drop(columns=["ward_code", "state"]), key="reporting")

st.subheader("Số chỉ tiêu theo trạng thái của từng phường")
ui.table(overview.ward_counts_view(counts))
if not counts.empty and not counts["has_report"].all():
    missing = ", ".join(counts.loc[~counts["has_report"], "ward_name"])
    st.caption(f"Chưa gửi báo cáo thực hiện năm {year}: {ui.md_escape(missing)} — mọi chỉ tiêu "
               f"của các phường này hiện là {styles.status_text(styles.GREY)}.")

st.subheader(f"Bảng trạng thái phường × chỉ tiêu — {period}")
board = view["board"]
board_tab, list_tab = st.tabs(["Bảng phường × chỉ tiêu", "Danh sách đầy đủ"])
with board_tab:
    if board.empty:
        st.info("Chưa có chỉ tiêu nào trong cơ sở dữ liệu.")
    else:
        ui.status_legend()
        with layout.wide("board"):
            st.caption(f"Mỗi ô: ký hiệu trạng thái, số thực hiện lũy kế (theo đơn vị ở cột Đơn "
                       f"vị), trong ngoặc là % so với kịch bản (KB) đến kỳ; {styles.PROVISIONAL_MARK}"
                       " là tạm tính (kịch bản chủ yếu do hệ thống phân bổ); ↩ là chưa có báo cáo "
                       "kỳ này, theo số liệu kỳ ghi sau; ≠ là phường tự đánh giá khác kết quả tính. "
                       "Ô trống: phường không đặt chỉ tiêu này.")
            ui.status_board_wide(board)
        with layout.narrow("board"):
            st.caption("Từng phường, các chỉ tiêu chậm và cần chú ý trước: trạng thái, số "
                       "thực hiện lũy kế, % so với kịch bản (KB) đến kỳ và cơ sở của trạng thái.")
            ui.status_board_narrow(view["phone"])
        views.board_downloads(as_of)
with list_tab:
    with layout.wide("status-list"):
        ui.table(overview.status_list_view(view["status"], as_of), links={"Chi tiết": "Mở"})
    with layout.narrow("status-list"):
        st.caption("Trên điện thoại, thẻ “Bảng phường × chỉ tiêu” đã liệt kê mọi chỉ tiêu của "
                   "từng phường; mở chi tiết từ mục “Cần chú ý trước”.")
