"""The workbook template: sheet names and column headers, in one place.

A ward's staff fill in one workbook per ward (`data/wards/<plan year>/<ward_code>.xlsx`);
the catalogue of indicators and administrative units is `data/catalogue.xlsx`.
The transcription tool writes these sheets, the ETL reads them, and
`data/README.md` describes them; all three take the headers from here.

Each column maps a Vietnamese header (what staff see) to an English field
name (what code uses).  A required column must be present in the sheet and
filled on every row (`only_with_figure`: on every row that states a number);
an optional one may be missing or empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from wardplan.rules import kinds


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = True
    numeric: bool = False
    help_vi: str = ""
    # Required only on rows that state a figure: a qualitative target has no unit.
    only_with_figure: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    help_vi: str = ""

    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


SOURCE_REF = (
    Column("source_code", "Mã nguồn", help_vi="Mã văn bản nguồn, khai báo ở trang 'Nguồn'"),
    Column("source_location", "Vị trí trong nguồn",
           help_vi="Mục, bảng, dòng, cột trong văn bản nguồn"),
)

# --- catalogue.xlsx -------------------------------------------------------

INDICATORS = Sheet(
    "Chỉ tiêu",
    (
        Column("indicator_code", "Mã chỉ tiêu"),
        Column("name_vi", "Tên chỉ tiêu"),
        Column("group_vi", "Nhóm"),
        Column("unit", "Đơn vị chuẩn", required=False,
               help_vi="Đơn vị lưu trong cơ sở dữ liệu; tiền luôn là 'triệu đồng'"),
        Column("direction", "Chiều",
               help_vi="'Càng cao càng tốt' hoặc 'Càng thấp càng tốt'"),
        Column("kind", "Kiểu",
               help_vi=", ".join(f"'{label}'" for label in kinds.WORKBOOK_LABELS)),
        Column("parent_code", "Chỉ tiêu cha", required=False),
        Column("note_vi", "Ghi chú", required=False),
    ),
    "Danh mục chỉ tiêu dùng chung cho mọi phường, xã, đặc khu.",
)

UNITS = Sheet(
    "Đơn vị hành chính",
    (
        Column("ward_code", "Mã đơn vị"),
        Column("name_vi", "Tên đơn vị"),
        Column("unit_type_vi", "Loại", help_vi="Phường, Xã hoặc Đặc khu"),
    ),
    "Các đơn vị hành chính cấp xã có dữ liệu trong hệ thống.",
)

# --- ward workbook ---------------------------------------------------------

WARD_INFO = Sheet(
    "Thông tin",
    (
        Column("key", "Mục"),
        Column("value", "Giá trị"),
    ),
    "Mã đơn vị, tên đơn vị, năm kế hoạch.",
)

SOURCES = Sheet(
    "Nguồn",
    (
        Column("source_code", "Mã nguồn"),
        Column("title_vi", "Tên văn bản"),
        Column("doc_number", "Số hiệu", required=False),
        Column("doc_date", "Ngày ban hành", required=False),
        Column("original_file", "Tệp gốc", required=False),
        Column("number_convention", "Quy ước số",
               help_vi="'vi' nếu văn bản viết 357.450 và 95,5; 'en' nếu viết 357,450 và 95.5"),
    ),
    "Các văn bản nguồn và quy ước viết số của từng văn bản.",
)

TARGETS = Sheet(
    "Chỉ tiêu",
    (
        Column("indicator_code", "Mã chỉ tiêu"),
        Column("item_no", "STT", required=False, help_vi="Số thứ tự như trong văn bản"),
        Column("name_text", "Tên chỉ tiêu (nguyên văn)"),
        Column("period", "Kỳ", help_vi="Năm kế hoạch, ví dụ 2026"),
        Column("target_text", "Chỉ tiêu (nguyên văn)",
               help_vi="Phần nêu mức chỉ tiêu, chép đúng văn bản: 'từ 100% trở lên', '> 55', 'Thuộc top 30'"),
        Column("value", "Giá trị", required=False, numeric=True),
        Column("value_high", "Giá trị cận trên", required=False, numeric=True),
        Column("unit_text", "Đơn vị", only_with_figure=True,
               help_vi="Bắt buộc khi chỉ tiêu nêu con số: 'triệu đồng', 'tỷ đồng', '%', 'doanh nghiệp'…"),
        Column("responsible_vi", "Đơn vị chịu trách nhiệm", required=False),
        *SOURCE_REF,
    ),
    "Chỉ tiêu năm: một dòng cho mỗi chỉ tiêu (hoặc chỉ tiêu con).",
)

SCENARIO = Sheet(
    "Kịch bản",
    (
        Column("indicator_code", "Mã chỉ tiêu"),
        Column("period", "Kỳ", help_vi="2026-03 cho tháng 3, 2026-Q1 cho quý I"),
        Column("value", "Giá trị", numeric=True, required=False),
        Column("value_text", "Nguyên văn"),
        Column("unit_text", "Đơn vị"),
        *SOURCE_REF,
    ),
    "Kịch bản tăng trưởng do phường lập: giá trị kế hoạch của từng tháng/quý.",
)

ACTUALS = Sheet(
    "Thực hiện",
    (
        Column("indicator_code", "Mã chỉ tiêu"),
        Column("period", "Kỳ", help_vi="2026-01 … 2026-12, 2026-Q1 … 2026-Q4, 2026"),
        Column("value", "Giá trị", numeric=True, required=False,
               help_vi="Số của riêng kỳ đó (tháng: số của tháng; quý: số của quý; tỷ lệ: mức tại kỳ)"),
        Column("value_text", "Nguyên văn",
               help_vi="Chép đúng văn bản: '20.684', 'Đang thực hiện', '>90', '-'"),
        Column("unit_text", "Đơn vị"),
        Column("stated_pct_text", "Tỷ lệ so với KH năm (nguyên văn)", required=False),
        Column("ward_verdict", "Đánh giá của phường", required=False,
               help_vi="Vượt, Đạt, Không đạt, Đang thực hiện"),
        Column("ward_summary", "Tóm tắt của phường (nguyên văn)", required=False),
        Column("cutoff_date", "Số liệu đến ngày", required=False,
               help_vi="Khi số liệu chưa đủ cả kỳ (văn bản ghi 'số liệu đến ngày …'): ngày "
                       "chốt số, dạng dd/mm/yyyy; để trống nếu số liệu đủ kỳ"),
        *SOURCE_REF,
    ),
    "Số ước thực hiện/thực hiện: một dòng cho mỗi chỉ tiêu × kỳ.",
)

STATEMENTS = Sheet(
    "Số liệu trong lời văn",
    (
        Column("statement_kind", "Loại", help_vi="'thực hiện' hoặc 'chỉ tiêu'"),
        Column("indicator_code", "Mã chỉ tiêu"),
        Column("period", "Kỳ"),
        Column("value", "Giá trị", numeric=True, required=False),
        Column("unit_text", "Đơn vị", required=False),
        Column("numerator", "Tử số", numeric=True, required=False),
        Column("denominator", "Mẫu số", numeric=True, required=False),
        Column("stated_pct", "Tỷ lệ nêu (%)", numeric=True, required=False),
        Column("stated_over_scenario_pct", "Vượt kịch bản nêu (%)", numeric=True, required=False),
        Column("text", "Nguyên văn"),
        *SOURCE_REF,
    ),
    "Số liệu nêu lại trong lời văn, chú thích: để đối chiếu với bảng, không thay bảng.",
)

BASELINES = Sheet(
    "Ước thực hiện 2025",
    (
        Column("indicator_code", "Mã chỉ tiêu"),
        Column("period", "Kỳ", help_vi="2025"),
        Column("value", "Giá trị", numeric=True, required=False),
        Column("value_text", "Nguyên văn"),
        Column("unit_text", "Đơn vị"),
        *SOURCE_REF,
    ),
    "Ước thực hiện năm trước, làm mốc so sánh.",
)

TASKS = Sheet(
    "Nhiệm vụ",
    (
        Column("task_no", "STT"),
        Column("office_vi", "Đơn vị chủ trì"),
        Column("task_text", "Nhiệm vụ (nguyên văn)"),
        Column("output_vi", "Kết quả/sản phẩm", required=False),
        Column("partners_vi", "Đơn vị phối hợp", required=False),
        Column("deadline_text", "Thời hạn (nguyên văn)", required=False),
        Column("authority_vi", "Thẩm quyền / lãnh đạo chỉ đạo", required=False),
        Column("report_period", "Kỳ báo cáo", required=False,
               help_vi="Để trống cho nhiệm vụ giao đầu năm; 2026-03 cho kết quả đến tháng 3"),
        Column("progress_text", "Kết quả thực hiện (nguyên văn)", required=False),
        Column("forecast_text", "Dự báo hoàn thành (nguyên văn)", required=False),
        Column("proposal_text", "Kiến nghị, đề xuất", required=False),
        *SOURCE_REF,
    ),
    "Nhiệm vụ trọng tâm và tiến độ thực hiện.",
)

PROJECTS = Sheet(
    "Dự án",
    (
        Column("group_code", "Nhóm", required=False),
        Column("project_no", "STT", required=False),
        Column("project_name", "Tên dự án / hạng mục"),
        Column("row_kind", "Loại dòng", help_vi="'nhóm', 'dự án' hoặc 'hạng mục'"),
        Column("total_capital", "Tổng vốn đầu tư", numeric=True, required=False),
        Column("total_capital_text", "Tổng vốn đầu tư (nguyên văn)", required=False),
        Column("planned_q1", "Dự kiến giải ngân hết quý I", numeric=True, required=False),
        Column("planned_q1_text", "Dự kiến giải ngân hết quý I (nguyên văn)", required=False),
        Column("unit_text", "Đơn vị tiền", help_vi="Đơn vị thực của các số tiền trên dòng"),
        Column("disbursed_march_text", "Giải ngân hết tháng 3 (nguyên văn)", required=False),
        Column("location_vi", "Địa điểm", required=False),
        Column("progress_text", "Kết quả thực hiện, khó khăn (nguyên văn)", required=False),
        Column("forecast_text", "Dự báo hoàn thành (nguyên văn)", required=False),
        Column("proposal_text", "Kiến nghị, đề xuất", required=False),
        *SOURCE_REF,
    ),
    "Dự án trọng điểm: vốn, kế hoạch giải ngân, tiến độ.",
)

NOTES = Sheet(
    "Ghi chú nguồn",
    (
        Column("severity", "Mức độ", help_vi="'lỗi', 'cảnh báo' hoặc 'thông tin'"),
        Column("indicator_code", "Mã chỉ tiêu", required=False),
        Column("period", "Kỳ", required=False),
        Column("message", "Nội dung"),
        *SOURCE_REF,
    ),
    "Những điểm bất thường trong văn bản nguồn mà người chép số liệu ghi nhận "
    "(không tự sửa số liệu).",
)

# The column guide python -m tools.build_workbooks adds to every workbook; never read.
GUIDE_SHEET = "Hướng dẫn"

CATALOGUE_SHEETS = (INDICATORS, UNITS)
WARD_SHEETS = (WARD_INFO, SOURCES, TARGETS, SCENARIO, ACTUALS, STATEMENTS, BASELINES, TASKS, PROJECTS,
               NOTES)
# Sheets a ward workbook may leave out (a ward that has no report yet).
OPTIONAL_WARD_SHEETS = frozenset({SCENARIO.name, ACTUALS.name, STATEMENTS.name,
                                  BASELINES.name, TASKS.name, PROJECTS.name,
                                  NOTES.name})

DIRECTIONS = {"Càng cao càng tốt": "higher", "Càng thấp càng tốt": "lower"}
NUMBER_CONVENTIONS = {"vi", "en"}
SEVERITIES = {"lỗi": "error", "cảnh báo": "warning", "thông tin": "info"}
WARD_INFO_KEYS = {"Mã đơn vị": "ward_code", "Tên đơn vị": "ward_name", "Năm kế hoạch": "plan_year"}

# --- the report template (one ward, one period: "Tải mẫu báo cáo") ------------------

# Columns the template fills in for the reader; the upload ignores them.
REPORT_INFO_FIELDS = frozenset({"name_vi", "target_text", "scenario_text", "last_text"})

REPORT = Sheet(
    "Báo cáo",
    (
        Column("indicator_code", "Mã chỉ tiêu"),
        Column("name_vi", "Tên chỉ tiêu", required=False, help_vi="Để tham khảo, không sửa"),
        Column("target_text", "Chỉ tiêu năm", required=False, help_vi="Để tham khảo, không sửa"),
        Column("scenario_text", "Kịch bản kỳ này", required=False,
               help_vi="Để tham khảo: kịch bản hệ thống đang dùng cho kỳ báo cáo"),
        Column("last_text", "Số liệu kỳ trước", required=False, help_vi="Để tham khảo"),
        Column("value", "Giá trị", numeric=True, required=False,
               help_vi="Số của riêng kỳ báo cáo (tháng: số của tháng; quý: số của quý; tỷ lệ: "
                       "mức tại kỳ); để trống dòng không báo cáo"),
        Column("value_text", "Nguyên văn", required=False,
               help_vi="Chép đúng văn bản báo cáo: '20.684', 'Đang thực hiện', '>90'"),
        Column("unit_text", "Đơn vị", required=False),
        Column("ward_verdict", "Đánh giá của phường", required=False,
               help_vi="Vượt, Đạt, Không đạt, Đang thực hiện"),
        Column("ward_summary", "Tóm tắt của phường (nguyên văn)", required=False),
        Column("cutoff_date", "Số liệu đến ngày", required=False,
               help_vi="Khi số liệu chưa đủ cả kỳ: ngày chốt số, dạng dd/mm/yyyy"),
        Column("source_location", "Vị trí trong văn bản", required=False,
               help_vi="Mục, bảng, dòng trong văn bản báo cáo"),
    ),
    "Số liệu của một kỳ báo cáo: mỗi dòng một chỉ tiêu; chỉ điền các cột Giá trị … Vị trí.",
)
REPORT_INFO = Sheet(
    "Thông tin",
    (Column("key", "Mục"), Column("value", "Giá trị", required=False)),
    "Đơn vị, năm kế hoạch, kỳ báo cáo và văn bản báo cáo.",
)
# The rows of a report template's 'Thông tin' sheet.
REPORT_INFO_KEYS = {
    "Mã đơn vị": "ward_code", "Tên đơn vị": "ward_name", "Năm kế hoạch": "plan_year",
    "Kỳ báo cáo": "period", "Số hiệu văn bản": "doc_number", "Ngày văn bản": "doc_date",
    "Tên văn bản": "doc_title", "Quy ước số": "number_convention",
}
VERDICTS = ("Vượt", "Đạt", "Không đạt", "Đang thực hiện")
