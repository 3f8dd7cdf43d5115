"""Xuất báo cáo: the meeting deck, the Excel workbook and a CSV for one selection."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from exports import csv as csv_export
from exports.deck import deck_bytes
from exports.report import ALL, REPORTED, indicator_choices, load_report
from exports.workbook import workbook_bytes
from ui import data, state
from wardplan.rules.periods import period_label

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_data(show_spinner=False, max_entries=64)
def _choices(generation: Any, as_of: str, wards: tuple[str, ...]) -> tuple[list, list]:
    return indicator_choices(data.database(), as_of, list(wards))


def _producer(build: Callable, as_of: str, wards: list[str], indicators: list[str] | None,
              default: str) -> Callable[[], bytes]:
    db = data.database()

    def produce() -> bytes:
        # Runs on click, on its own thread: choosing wards never waits for a deck.
        report = load_report(db, as_of, wards, indicators, produced_on=date.today(),
                             default=default)
        return build(report)

    return produce


as_of = state.select_as_of()
generation = data.generation()
names = data.ward_names()
period = period_label(as_of)

st.title("Xuất báo cáo")
st.caption(f"Trình chiếu và sổ Excel cho cuộc họp, số liệu tính đến {period}. Mọi con số "
           "đều kèm nguồn (chân trang và ghi chú của trình chiếu; các cột nguồn trong Excel).")

wards = st.multiselect("Phường", data.ward_codes(), default=data.ward_codes(),
                       format_func=lambda code: names.get(code, code), key="export_wards")
options, default = _choices(generation, as_of, tuple(wards))
indicator_names = data.indicator_names()
indicators = st.multiselect(
    "Chỉ tiêu", options, default=default, key=f"export_indicators_{as_of}_{'-'.join(wards)}",
    format_func=lambda code: indicator_names.get(code, code),
    help="Mặc định: các chỉ tiêu đã có số liệu thực hiện đến kỳ này. Bỏ trống để lấy tất "
         "cả chỉ tiêu của các phường đã chọn.")

missing = [names.get(w, w) for w in wards if not data.wards().set_index("ward_code")
           .loc[w, "has_report"]]
if missing:
    st.info(f"Chưa có báo cáo thực hiện: {', '.join(missing)}. Các phường này vẫn có trong "
            "báo cáo, ghi rõ “Chưa có báo cáo” kèm chỉ tiêu kế hoạch.", icon=":material/info:")

if not wards:
    st.warning("Chọn ít nhất một phường để xuất báo cáo.")
    st.stop()

# The preselected list behaves like no choice at all (the deck's own default
# then decides which level indicators deserve a chart); an edited list is the
# user's explicit choice, and an empty one means every indicator.
chosen = None if set(indicators) == set(default) else (indicators or options)
stem = f"chi-tieu_{as_of}"
with st.container(horizontal=True, gap="small"):
    st.download_button(
        "PowerPoint (.pptx)", data=_producer(deck_bytes, as_of, wards, chosen, REPORTED),
        file_name=f"{stem}.pptx", mime=PPTX, key="export_pptx", on_click="ignore",
        icon=":material/slideshow:", type="primary",
        help="Trình chiếu 16:9: trang bìa, tổng hợp trạng thái, phường chưa có báo cáo, "
             "tiến độ từng phường và biểu đồ từng chỉ tiêu (biểu đồ PowerPoint sửa được).")
    st.download_button(
        "Excel (.xlsx)", data=_producer(workbook_bytes, as_of, wards, chosen, ALL),
        file_name=f"{stem}.xlsx", mime=XLSX, key="export_xlsx", on_click="ignore",
        icon=":material/table_view:",
        help="Trang tổng hợp, một trang cho mỗi phường (chỉ tiêu, kịch bản, thực hiện, %, "
             "đánh giá, nguồn), số liệu theo kỳ và danh sách văn bản nguồn.")
    st.download_button(
        "Bảng trạng thái (.csv)",
        data=_producer(csv_export.status_csv, as_of, wards, chosen, ALL),
        file_name=f"{stem}_trang-thai.csv", mime="text/csv", key="export_csv",
        on_click="ignore", icon=":material/download:",
        help="Dạng bảng phẳng cho phân tích; mở bằng Excel với mã hóa UTF-8.")

st.caption("Trình chiếu dùng biểu đồ gốc của PowerPoint: có thể đổi màu, cỡ chữ, dữ liệu ngay "
           "trong PowerPoint. Trục số theo kiểu Việt Nam (357.450); nguồn đầy đủ của từng số "
           "liệu nằm trong phần ghi chú của mỗi trang.")
