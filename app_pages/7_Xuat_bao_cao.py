"""Xuất báo cáo: the meeting deck, the Excel workbook and a CSV for one selection."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from exports import csv as csv_export
from exports.deck import deck_bytes
from exports.pdf import pdf_bytes
from exports.report import ALL, REPORTED, indicator_choices, load_report
from exports.workbook import workbook_bytes
from ui import components as ui
from ui import data, state
from wardplan.rules.periods import period_label

PPTX, XLSX, PDF = ui.PPTX_MIME, ui.XLSX_MIME, ui.PDF_MIME


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
st.caption(f"Trình chiếu, báo cáo PDF và sổ Excel cho cuộc họp, số liệu tính đến {period}. "
           "Mọi con số đều kèm nguồn (chân trang và ghi chú của trình chiếu; mục Nguồn số liệu "
           "cuối báo cáo PDF; các cột nguồn trong Excel).")
ui.help_link("Các loại tệp xuất và cách in")

wards = st.multiselect("Phường", data.ward_codes(), default=data.ward_codes(),
                       format_func=lambda code: names.get(code, code), key="export_wards",
                       placeholder="Chọn phường")
options, default = _choices(generation, as_of, tuple(wards))
indicator_names = data.indicator_names()
indicators = st.multiselect(
    "Chỉ tiêu", options, default=default, key=f"export_indicators_{as_of}_{'-'.join(wards)}",
    format_func=lambda code: indicator_names.get(code, code),
    placeholder="Tất cả chỉ tiêu của các phường đã chọn",
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
        "Báo cáo PDF", data=_producer(pdf_bytes, as_of, wards, chosen, REPORTED),
        file_name=f"{stem}.pdf", mime=PDF, key="export_pdf", on_click="ignore",
        icon=":material/picture_as_pdf:",
        help="Cùng nội dung và thứ tự với trình chiếu, khổ A4 ngang để in; nguồn đầy đủ của "
             "từng số liệu ở cuối báo cáo.")
    st.download_button(
        "Excel (.xlsx)", data=_producer(workbook_bytes, as_of, wards, chosen, ALL),
        file_name=f"{stem}.xlsx", mime=XLSX, key="export_xlsx", on_click="ignore",
        icon=":material/table_view:",
        help="Trang tổng hợp, một trang cho mỗi phường (chỉ tiêu, kịch bản, thực hiện, %, "
             "đánh giá, nguồn), số liệu theo kỳ và danh sách văn bản nguồn; đặt sẵn để in "
             "(A4 ngang, vừa chiều ngang trang, lặp dòng tiêu đề).")
    st.download_button(
        "Bảng trạng thái (.csv)",
        data=_producer(csv_export.status_csv, as_of, wards, chosen, ALL),
        file_name=f"{stem}_trang-thai.csv", mime="text/csv", key="export_csv",
        on_click="ignore", icon=":material/download:",
        help="Cho máy tính đọc (phần mềm phân tích, Power BI, pandas): UTF-8, dấu phẩy phân "
             "cách, số dạng 357450 và 29.62, kèm mã phường, chỉ tiêu, kỳ và trạng thái. Để mở "
             "và in bằng Excel, dùng tệp Excel (.xlsx).")

st.caption("Trình chiếu dùng biểu đồ gốc của PowerPoint: có thể đổi màu, cỡ chữ, dữ liệu ngay "
           "trong PowerPoint. Trục số theo kiểu Việt Nam (357.450); nguồn đầy đủ của từng số "
           "liệu nằm trong phần ghi chú của mỗi trang.")
