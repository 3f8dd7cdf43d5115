"""Chi tiết chỉ tiêu: every figure of one ward × indicator with its source, and the verdicts."""

import streamlit as st

from ui import components as ui
from ui import data, state, views
from ui.charts import show_chart
from wardplan.display import detail as detail_view
from wardplan.display import format as fmt
from wardplan.display import styles
from wardplan.reads import queries
from wardplan.rules import kinds
from wardplan.rules import status as status_rules
from wardplan.rules.missing import text_or
from wardplan.rules.periods import parse_period, period_label

ward = state.select_ward()
as_of = state.select_as_of()
period = period_label(as_of)
year = parse_period(as_of).year
options = data.indicator_codes(queries.ward_indicators, ward, year)
indicator = state.select_indicator(options, default="budget_revenue")
generation = data.generation()
ward_name = data.ward_names().get(ward, ward)

if indicator is None:
    st.title(f"Chi tiết chỉ tiêu — {ui.md_escape(ward_name)}")
    st.info("Phường chưa có chỉ tiêu nào trong cơ sở dữ liệu.")
    st.stop()

info = data.indicator_info()
meta = info.loc[indicator] if indicator in info.index else None
name = meta["name_vi"] if meta is not None else indicator
unit = text_or(meta["unit"]) if meta is not None else ""
kind = text_or(meta["kind"]) if meta is not None else ""
detail = data.indicator_bundle(generation, ward, indicator, year)
row = detail.status_at(as_of)
target = detail.targets.iloc[0] if not detail.targets.empty else None

st.title(f"{ui.md_escape(name)} — {ui.md_escape(ward_name)}")
direction = "cao hơn là tốt" if meta is None or meta["direction"] != "lower" else "thấp hơn là tốt"
st.caption(ui.md_escape(
    f"{text_or(meta['group_vi']) if meta is not None else ''} · đơn vị: {unit or 'không có'} · "
    f"loại: {kinds.label_vi(kind)} · {direction} · "
    f"kỳ đang xem: {period}"))

st.subheader("Trạng thái")
ui.help_link()
if row is None:
    st.info(f"Không có trạng thái cho chỉ tiêu này tại kỳ {period} (phường không đặt chỉ tiêu "
            "năm cho chỉ tiêu này, nên không so được với kịch bản).")
else:
    ward_verdict = text_or(row["ward_verdict"])
    if not ward_verdict:
        verdict = "Phường chưa tự đánh giá chỉ tiêu này."
    elif status_rules.verdict_differs(row["status"], ward_verdict):
        verdict = (f"≠ Phường tự đánh giá “{ward_verdict}” — khác kết quả tính "
                   f"({styles.status_text(row['status'], row['status_reason'])}).")
    else:
        verdict = f"Phường tự đánh giá “{ward_verdict}” — khớp kết quả tính."
    st.markdown(f"Kết quả tính: {ui.badge_markdown(row['status'], row['status_reason'])} · "
                f"{ui.md_escape(verdict)}")
    qualifiers = styles.qualifiers(row)
    if qualifiers:
        st.caption(ui.md_escape("Cơ sở của trạng thái: " + " · ".join(qualifiers)
                                + (f" ({fmt.scenario_basis(row)})" if fmt.scenario_basis(row) else "")))
    metrics = st.container(key="metrics-detail").columns(5)
    metrics[0].metric("Thực hiện đến kỳ", fmt.format_amount(row["actual_to_date"]))
    metrics[1].metric("Kịch bản đến kỳ", fmt.format_amount(row["scenario_to_date"]))
    metrics[2].metric("Chỉ tiêu năm", detail_view.target_headline(target, unit))
    metrics[3].metric("% kịch bản", fmt.pct(row["pct_of_scenario"]))
    metrics[4].metric("% chỉ tiêu năm", fmt.pct(row["pct_of_target"]))
    caption = f"Đơn vị: {unit}." if unit else ""
    if isinstance(row["actual_period"], str) and row["actual_period"] != as_of:
        caption += f" Số thực hiện lấy từ kỳ {period_label(row['actual_period'])}."
    if caption:
        st.caption(ui.md_escape(caption.strip()))
    st.text(text_or(row["note"], "Không có ghi chú."))

st.subheader("Dự báo cuối năm")
st.text(detail_view.outlook_section(row, kind))
st.caption("Dự báo là phép ngoại suy của hệ thống từ số liệu đã báo cáo, không phải số của phường.")

if not detail.series[["actual", "scenario"]].isna().all().all():
    wide, narrow = data.progress_figures(generation, ward, indicator, as_of)
    show_chart(wide, key="detail_chart", filename=f"chi-tiet_{ward}_{indicator}_{as_of}",
               narrow=narrow)
views.detail_downloads(ward, indicator, as_of)

tables = data.detail_tables(generation, ward, indicator, year)
st.subheader("Chỉ tiêu kế hoạch")
if tables["plan"] is None:
    st.info("Phường không đặt chỉ tiêu năm cho chỉ tiêu này.")
else:
    ui.draw_table(tables["plan"])

st.subheader("Số liệu thực hiện")
if tables["actuals"] is None:
    st.info(f"Phường chưa gửi báo cáo thực hiện năm {year}."
            if not data.has_report(ward, year)
            else "Chưa có số liệu thực hiện cho chỉ tiêu này.")
else:
    ui.draw_table(tables["actuals"], key="actuals",
                  narrow=["Kỳ", "Số liệu", "Phường đánh giá", "Nguồn"])

if tables["revisions"] is not None:
    st.subheader("Lịch sử số liệu")
    st.caption("Mọi giá trị từng có hiệu lực của chỉ tiêu này, cũ trước mới sau: số trong sổ "
               "tính gốc, rồi từng lần phường nộp qua hệ thống; số mới nhất của mỗi kỳ là số "
               "đang dùng ở trên.")
    ui.draw_table(tables["revisions"], key="revisions",
                  narrow=["Kỳ", "Giá trị", "Lần nộp", "Thời điểm (giờ VN)"])

st.subheader("Kịch bản tăng trưởng")
if tables["scenario"] is None:
    st.info("Không có kịch bản cho chỉ tiêu này (chỉ tiêu định tính, xếp hạng, đánh giá khi "
            "hoàn thành, hoặc chưa có chỉ tiêu năm dạng số).")
else:
    st.caption(detail_view.SCENARIO_ORIGINS_CAPTION)
    ui.help_link("Nguồn gốc kịch bản")
    ui.draw_table(tables["scenario"], key="scenario",
                  narrow=["Kỳ", "Kịch bản", "Nguồn gốc"])

if tables["baselines"] is not None:
    st.subheader("Số liệu năm trước")
    ui.draw_table(tables["baselines"], key="baselines",
                  narrow=["Kỳ", "Số liệu", "Nguyên văn"])

if tables["statements"] is not None:
    st.subheader("Lời văn trong văn bản")
    ui.draw_table(tables["statements"], key="statements",
                  narrow=["Kỳ", "Lời văn (nguyên văn)", "Số nêu"])

st.subheader("Phát hiện về chất lượng dữ liệu")
if tables["findings"] is None:
    st.caption("Không có phát hiện nào cho chỉ tiêu này.")
else:
    ui.draw_table(tables["findings"], key="findings",
                  narrow=["Mức độ", "Kỳ", "Phát hiện"])
