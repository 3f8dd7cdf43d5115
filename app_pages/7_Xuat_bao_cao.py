"""Xuất báo cáo: the meeting deck, the PDF, the Excel workbook and a CSV for one selection.

Each file is made by the export worker, in a process of its own (`exports.jobs`,
`ui/export_jobs.py`): the page shows its progress, and other sessions never wait.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from exports.jobs import Request
from exports.report import CITY_LAYOUT_ABOVE, indicator_choices
from ui import components as ui
from ui import data, export_jobs, state
from wardplan.rules.periods import period_label


@st.cache_data(show_spinner=False, max_entries=64)
def _choices(generation: Any, as_of: str, wards: tuple[str, ...]) -> tuple[list, list]:
    return indicator_choices(data.database(), as_of, list(wards))


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
full: list[str] = []
if len(wards) > CITY_LAYOUT_ABOVE:
    full = st.multiselect(
        "Đơn vị trình bày đầy đủ trong trình chiếu và PDF", wards, default=[],
        format_func=lambda code: names.get(code, code), key="export_full",
        placeholder="Không có (chỉ phần tổng hợp toàn thành phố)",
        help=f"Khi chọn quá {CITY_LAYOUT_ABOVE} đơn vị, trình chiếu và báo cáo PDF gồm: tổng "
             "hợp toàn thành phố, đơn vị chưa báo cáo, các chỉ tiêu chậm và cần chú ý; các "
             "đơn vị chọn ở đây có thêm tiến độ và biểu đồ từng chỉ tiêu. Sổ Excel luôn có "
             "đủ mọi đơn vị.")

has_report = data.wards().set_index("ward_code")["has_report"]
missing = [names.get(w, w) for w in wards if not has_report.get(w, False)]
if missing:
    shown = ", ".join(missing[:8]) + (f" và {len(missing) - 8} đơn vị khác"
                                      if len(missing) > 8 else "")
    st.info(f"Chưa có báo cáo thực hiện: {ui.md_escape(shown)}. Các đơn vị này vẫn có trong "
            "báo cáo, ghi rõ “Chưa có báo cáo” kèm chỉ tiêu kế hoạch.", icon=":material/info:")

if not wards:
    st.warning("Chọn ít nhất một phường để xuất báo cáo.")
    st.stop()

# The preselected list behaves like no choice at all (the deck's own default
# then decides which level indicators deserve a chart); an edited list is the
# user's explicit choice, and an empty one means every indicator.
chosen = None if set(indicators) == set(default) else (indicators or options)


def request(kind: str) -> Request:
    return Request(kind, as_of, data.database().path, wards=tuple(wards),
                   indicators=tuple(chosen) if chosen is not None else None,
                   full=tuple(full))


stem = f"chi-tieu_{as_of}"
buttons = [
    export_jobs.Button(
        "deck", "Tạo trình chiếu (.pptx)", "Tải trình chiếu (.pptx)", f"{stem}.pptx",
        ui.PPTX_MIME, ":material/slideshow:",
        "Trình chiếu 16:9: trang bìa, tổng hợp trạng thái, phường chưa có báo cáo, tiến độ "
        "từng phường và biểu đồ từng chỉ tiêu (biểu đồ PowerPoint sửa được); khi chọn nhiều "
        "đơn vị: tổng hợp toàn thành phố và các chỉ tiêu chậm, cần chú ý."),
    export_jobs.Button(
        "pdf", "Tạo báo cáo PDF", "Tải báo cáo PDF", f"{stem}.pdf", ui.PDF_MIME,
        ":material/picture_as_pdf:",
        "Cùng nội dung và thứ tự với trình chiếu, khổ A4 ngang để in; nguồn đầy đủ của "
        "từng số liệu ở cuối báo cáo."),
    export_jobs.Button(
        "workbook", "Tạo sổ Excel (.xlsx)", "Tải sổ Excel (.xlsx)", f"{stem}.xlsx",
        ui.XLSX_MIME, ":material/table_view:",
        "Trang tổng hợp, một trang cho mỗi phường (chỉ tiêu, kịch bản, thực hiện, %, đánh "
        "giá, nguồn), số liệu theo kỳ và danh sách văn bản nguồn; đặt sẵn để in (A4 ngang, "
        "vừa chiều ngang trang, lặp dòng tiêu đề)."),
    export_jobs.Button(
        "csv", "Tạo bảng trạng thái (.csv)", "Tải bảng trạng thái (.csv)",
        f"{stem}_trang-thai.csv", "text/csv", ":material/download:",
        "Cho máy tính đọc (phần mềm phân tích, Power BI, pandas): UTF-8, dấu phẩy phân cách, "
        "số dạng 357450 và 29.62, kèm mã phường, chỉ tiêu, kỳ và trạng thái. Để mở và in "
        "bằng Excel, dùng tệp Excel (.xlsx)."),
]
export_jobs.panel(buttons, {b.kind: request(b.kind) for b in buttons})

st.caption("Mỗi tệp được tạo riêng, không làm chậm người dùng khác; tệp đã tạo được giữ 30 "
           "phút để tải. Trình chiếu dùng biểu đồ gốc của PowerPoint: có thể đổi màu, cỡ chữ, "
           "dữ liệu ngay trong PowerPoint. Trục số theo kiểu Việt Nam (357.450); nguồn đầy đủ "
           "của từng số liệu nằm trong phần ghi chú của mỗi trang.")
