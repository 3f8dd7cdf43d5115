"""The Excel workbook: the same selection as the deck, as data staff can work with.

Sheets: "Tổng hợp" (ward x indicator status, fill and label), one sheet per
ward (targets, scenario, actuals, % columns, verdicts, sources), "Số liệu
theo kỳ" (every reported and planned figure by period, with its source) and
"Nguồn tài liệu" (the documents).

Numbers are stored as numbers with Excel's built-in formats, which Excel
shows with the reader's separators (357.450 and 95,5% in Vietnamese Excel);
percentages are stored as fractions under '0.0%'.  Text from the ward
documents is never allowed to become a formula: every text cell is written
with data type 's', so '=HYPERLINK(…)' in a target stays text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from exports.report import NO_REPORT, Report, status_table
from wardplan.display import styles
from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.periods import period_label, period_sort_key
from wardplan.rules.scenario import DERIVED, ORIGIN_LABELS_VI, PROVISIONAL_VI

SUMMARY_SHEET = "Tổng hợp"
PERIODS_SHEET = "Số liệu theo kỳ"
SOURCES_SHEET = "Nguồn tài liệu"

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0##"
PERCENT_FORMAT = "0.0%"

HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
MUTED = Font(color="555555", italic=True)
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def status_fill(status: str | None) -> PatternFill | None:
    if status not in styles.STATUS_STYLES:
        return None
    return PatternFill("solid", fgColor=styles.STATUS_STYLES[status].tint.lstrip("#").upper())


# --- cells --------------------------------------------------------------------------------

def write_text(ws, row: int, column: int, value: object):
    """A text cell that stays text: no formula, no illegal XML characters."""
    text = "" if is_missing(value) else str(value)
    cell = ws.cell(row=row, column=column)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    # openpyxl turns any string starting with '=' into a formula; data from
    # ward documents must never run in the reader's Excel.
    cell.data_type = "s"
    return cell


def write_number(ws, row: int, column: int, value: object, number_format: str | None = None):
    cell = ws.cell(row=row, column=column)
    if is_missing(value):
        return cell
    number = float(value)
    cell.value = int(number) if number.is_integer() and abs(number) < 2**53 else number
    # Large amounts are shown whole (the documents report whole triệu đồng);
    # the cell keeps every decimal.
    cell.number_format = number_format or (
        INTEGER_FORMAT if number.is_integer() or abs(number) >= 1000 else DECIMAL_FORMAT)
    return cell


def write_percent(ws, row: int, column: int, value_0_100: object):
    """A 0-100 percentage stored as a fraction so Excel's '%' format shows it."""
    if is_missing(value_0_100):
        return ws.cell(row=row, column=column)
    return write_number(ws, row, column, float(value_0_100) / 100, PERCENT_FORMAT)


def _header_row(ws, row: int, headers: Sequence[str], widths: Sequence[float]) -> None:
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = write_text(ws, row, column, header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = GRID
        cell.alignment = CENTER
        ws.column_dimensions[get_column_letter(column)].width = width


def _finish_table(ws, header_row: int, last_row: int, columns: int, freeze_column: int,
                  print_columns: int | None = None, title: str = "") -> None:
    last = max(last_row, header_row)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{last}"
    ws.freeze_panes = f"{get_column_letter(freeze_column)}{header_row + 1}"
    for row in ws.iter_rows(min_row=header_row + 1, max_row=last, max_col=columns):
        for cell in row:
            cell.border = GRID
    _fit_rows(ws, header_row, last, columns)
    setup_print(ws, header_row, last, print_columns or columns, title)


def setup_print(ws, header_row: int, last_row: int, columns: int, title: str = "",
                repeat_columns: str | None = None, fit_width: bool = True) -> None:
    """Printed for a meeting: landscape A4, one page wide, the header row on every page,
    the sheet's title and 'Trang x/y' on every page.

    `columns` is how many columns from A are printed: a sheet keeps its columns for
    machines (codes, full references) to the right of what a reader needs, outside the
    print area, so the printed page stays readable.  A table too wide for one page
    (many wards) prints across pages with `repeat_columns` on each instead.
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_title_rows = f"{header_row}:{header_row}"
    if repeat_columns:
        ws.print_title_cols = repeat_columns
    ws.print_area = f"A1:{get_column_letter(columns)}{max(last_row, header_row)}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1 if fit_width else 0
    ws.page_setup.fitToHeight = 0
    ws.oddFooter.left.text = title.replace("&", "&&")
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "Trang &P/&N"
    ws.oddFooter.right.size = 8


def _fit_rows(ws, first: int, last: int, columns: int) -> None:
    """Row heights for wrapped text: not every spreadsheet sizes them on opening."""
    widths = [ws.column_dimensions[get_column_letter(c)].width or 10
              for c in range(1, columns + 1)]
    for row in ws.iter_rows(min_row=first, max_row=last, max_col=columns):
        lines = 1
        for cell, width in zip(row, widths, strict=True):
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                # ~1.3 characters per unit of column width at the default font (measured
                # by rendering with LibreOffice: 1.1 left rows twice too tall).
                per_line = max(int(width * 1.3), 1)
                wrapped = sum(-(-max(len(part), 1) // per_line)
                              for part in cell.value.split("\n"))
                lines = max(lines, wrapped)
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 15 * min(lines, 26)


def _title(ws, title: str, lines: Sequence[str]) -> int:
    """Title and explanation rows; returns the next free row."""
    write_text(ws, 1, 1, title).font = TITLE
    for i, line in enumerate(lines, start=2):
        write_text(ws, i, 1, line).font = MUTED
    return len(lines) + 3


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub(" ", name).strip().strip("'")[:31] or "Phường"
    title, n = base, 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


# --- sheets -----------------------------------------------------------------------------------

def _summary(ws, report: Report) -> None:
    r = report
    start = _title(ws, f"Tổng hợp trạng thái các chỉ tiêu — {r.period_label}", [
        f"Xuất ngày {r.produced_text} từ hệ thống Chỉ tiêu {r.year}. Trạng thái so sánh thực "
        "hiện đến kỳ với kịch bản tăng trưởng đến kỳ của từng phường.",
        "Chú giải: " + "; ".join(styles.legend_lines(r.bands["green_min_pct"], r.bands["amber_min_pct"]))
        + f"; {NO_REPORT}: phường chưa gửi số liệu; —: phường không đặt chỉ tiêu này.",
        "Số liệu, kịch bản và nguồn của từng ô: xem trang của từng phường.",
    ])
    wards = r.ward_codes
    headers = ["Lĩnh vực", "Chỉ tiêu", "Đơn vị", *[r.ward_name(w) for w in wards]]
    _header_row(ws, start, headers, [16, 46, 12, *[19] * len(wards)])
    row = start
    for code in r.indicator_codes:
        meta = r.indicator(code)
        row += 1
        write_text(ws, row, 1, meta["group_vi"]).alignment = WRAP
        write_text(ws, row, 2, meta["name_vi"]).alignment = WRAP
        write_text(ws, row, 3, text_or(meta["unit"])).alignment = WRAP
        for column, ward in enumerate(wards, start=4):
            label, status = r.status_label(ward, code)
            marks = " · ".join(styles.qualifiers(r.status_row(ward, code))) if status else ""
            text = (f"{label} ({marks})" if marks else label) if status is not None else "—"
            cell = write_text(ws, row, column, text)
            cell.alignment = CENTER
            fill = status_fill(status)
            if fill is not None:
                cell.fill = fill
    _finish_table(ws, start, row, len(headers), freeze_column=4,
                  title=f"Tổng hợp trạng thái — {r.period_label}")
    if len(wards) > SUMMARY_WARDS_PER_PAGE:
        # A city of wards does not fit one page wide: pages across, names on each.
        setup_print(ws, start, row, len(headers), ws["A1"].value, repeat_columns="A:C",
                    fit_width=False)


# Reader's columns first (they are printed), then the machine's: codes, kinds and the
# full references, kept in the sheet but outside the print area.
WARD_COLUMNS = [
    # header, width, kind
    ("Lĩnh vực", 12, "wrap"),
    ("Chỉ tiêu", 28, "wrap"),
    ("Đơn vị", 9, "wrap"),
    ("Chỉ tiêu năm", 12, "number"),
    ("Kịch bản đến kỳ", 12, "number"),
    ("Thực hiện đến kỳ", 12, "number"),
    ("Kỳ số liệu", 10, "wrap"),
    ("% kịch bản", 9, "percent"),
    ("% chỉ tiêu năm", 9, "percent"),
    ("Trạng thái", 13, "status"),
    ("Cơ sở trạng thái", 12, "wrap"),
    ("Phường tự đánh giá", 10, "wrap"),
    ("Nhận xét", 28, "wrap"),
    ("Nguồn (văn bản)", 24, "wrap"),
    ("Mã chỉ tiêu", 24, "text"),
    ("Loại chỉ tiêu", 16, "wrap"),
    ("Chỉ tiêu (nguyên văn)", 36, "wrap"),
    ("Nguồn gốc kịch bản", 22, "wrap"),
    ("Cơ sở kịch bản", 26, "wrap"),
    ("Dự báo cuối năm", 16, "number"),
    ("Dự báo (% chỉ tiêu năm)", 14, "percent"),
    ("Cách dự báo", 50, "wrap"),
    # Unwrapped: they are for lookup and machines, and must not make printed rows tall.
    ("Nguồn chỉ tiêu", 60, "text"),
    ("Nguồn số liệu thực hiện", 60, "text"),
]
WARD_PRINTED = [c[0] for c in WARD_COLUMNS].index("Nguồn (văn bản)") + 1
_FIELD = {"Mã chỉ tiêu": "indicator_code"}
SUMMARY_WARDS_PER_PAGE = 6


def _short_sources(report: Report, record: dict) -> str:
    """'Chỉ tiêu: Kế hoạch số 08/KH-UBND …. Thực hiện: Báo cáo số 103/BC-UBND …' for print."""
    parts = []
    for label, column in (("Chỉ tiêu", "Nguồn chỉ tiêu"), ("Thực hiện", "Nguồn số liệu thực hiện")):
        documents = report.short_sources(text_or(record.get(column)).split("\n"))
        if documents:
            parts.append(f"{label}: {'; '.join(documents)}.")
    return " ".join(parts)


def _ward_sheet(ws, report: Report, ward: str, table: pd.DataFrame) -> None:
    r = report
    name = r.ward_name(ward)
    lines = [f"{NO_REPORT}: phường chưa gửi số liệu thực hiện năm {r.year}; các cột thực "
             "hiện để trống, chỉ có chỉ tiêu và kịch bản." if not r.has_report(ward)
             else f"Đã có báo cáo thực hiện của phường; số liệu đến {r.period_label}.",
             f"Xuất ngày {r.produced_text}. Tiền tệ: triệu đồng; tỷ lệ (đơn vị %) ghi theo "
             "điểm phần trăm; cột % kịch bản = thực hiện / kịch bản đến kỳ."]
    lines.append(f"Kịch bản “{ORIGIN_LABELS_VI[DERIVED]}” là phần hệ thống tự phân bổ, không "
                 f"phải số của phường; trạng thái dựa chủ yếu vào phần đó ghi “{PROVISIONAL_VI}”.")
    start = _title(ws, f"{name} — chỉ tiêu, kịch bản và thực hiện đến {r.period_label}", lines)
    _header_row(ws, start, [c[0] for c in WARD_COLUMNS], [c[1] for c in WARD_COLUMNS])
    rows = table[table["ward_code"] == ward]
    row = start
    for record in rows.to_dict("records"):
        row += 1
        for column, (header, _, kind) in enumerate(WARD_COLUMNS, start=1):
            value = _short_sources(r, record) if header == "Nguồn (văn bản)" else \
                record[_FIELD.get(header, header)]
            if kind == "number":
                write_number(ws, row, column, value).alignment = TOP
            elif kind == "percent":
                write_percent(ws, row, column, value).alignment = TOP
            else:
                cell = write_text(ws, row, column, value)
                cell.alignment = WRAP if kind == "wrap" else TOP
                if kind == "status":
                    fill = status_fill(record["status"])
                    if fill is not None:
                        cell.fill = fill
    _finish_table(ws, start, row, len(WARD_COLUMNS), freeze_column=3,
                  print_columns=WARD_PRINTED, title=f"{name} — {r.period_label}")


PERIOD_COLUMNS = [
    ("Phường", 13), ("Chỉ tiêu", 34), ("Đơn vị", 10), ("Kỳ", 12), ("Kịch bản của kỳ", 14),
    ("Nguồn gốc kịch bản", 15), ("Thực hiện", 14), ("Nguyên văn trong báo cáo", 14),
    ("Phường đánh giá", 11), ("Nguồn số liệu thực hiện", 46),
    ("Mã chỉ tiêu", 24), ("Mã kỳ", 10),
]
PERIOD_PRINTED = 10


def _periods_sheet(ws, report: Report) -> None:
    r = report
    start = _title(ws, f"Số liệu theo kỳ — kịch bản cả năm, thực hiện đến {r.period_label}", [
        "Kịch bản của từng kỳ (tháng, quý, năm) và số thực hiện phường báo cáo cho kỳ đó, "
        "kèm nguồn. Thực hiện của quý/năm là lũy kế theo báo cáo của phường.",
    ])
    _header_row(ws, start, [c[0] for c in PERIOD_COLUMNS], [c[1] for c in PERIOD_COLUMNS])
    scenario = r.scenario[r.scenario["ward_code"].isin(r.ward_codes)
                          & r.scenario["indicator_code"].isin(r.indicator_codes)]
    actuals = pd.concat([r.actual_rows(w, i) for w in r.ward_codes for i in r.indicator_codes
                         if not r.actuals.empty], ignore_index=True) \
        if not r.actuals.empty else r.actuals
    keys = ["ward_code", "indicator_code", "period"]
    scenario = scenario[[*keys, "planned_value", "origin"]]
    merged = scenario.merge(actuals, on=keys, how="outer") if not actuals.empty else \
        scenario.assign(value=None, value_text=None, ward_verdict=None, source_ref=None)
    ward_order = {w: i for i, w in enumerate(r.ward_codes)}
    indicator_order = {c: i for i, c in enumerate(r.indicator_codes)}
    merged = merged.assign(
        _w=merged["ward_code"].map(ward_order), _i=merged["indicator_code"].map(indicator_order),
        _p=merged["period"].map(lambda c: period_sort_key(str(c))))
    merged = merged.sort_values(["_w", "_i", "_p"])
    row = start
    for record in merged.to_dict("records"):
        meta = r.indicator(record["indicator_code"])
        row += 1
        write_text(ws, row, 1, r.ward_name(record["ward_code"])).alignment = WRAP
        write_text(ws, row, 2, meta["name_vi"]).alignment = WRAP
        write_text(ws, row, 3, text_or(meta["unit"])).alignment = WRAP
        write_text(ws, row, 4, period_label(str(record["period"]))).alignment = WRAP
        write_number(ws, row, 5, record.get("planned_value")).alignment = TOP
        write_text(ws, row, 6, ORIGIN_LABELS_VI.get(record.get("origin"), "")).alignment = WRAP
        write_number(ws, row, 7, record.get("value")).alignment = TOP
        write_text(ws, row, 8, record.get("value_text")).alignment = WRAP
        write_text(ws, row, 9, record.get("ward_verdict")).alignment = WRAP
        write_text(ws, row, 10, record.get("source_ref")).alignment = WRAP
        write_text(ws, row, 11, record["indicator_code"]).alignment = TOP
        write_text(ws, row, 12, record["period"]).alignment = TOP
    _finish_table(ws, start, row, len(PERIOD_COLUMNS), freeze_column=3,
                  print_columns=PERIOD_PRINTED, title=f"Số liệu theo kỳ — {r.period_label}")


SOURCE_COLUMNS = [("Phường", 14), ("Tên văn bản", 90), ("Số hiệu", 16), ("Ngày", 12),
                  ("Mã nguồn", 20), ("Tệp gốc", 28)]
SOURCES_PRINTED = 4


def _sources_sheet(ws, report: Report) -> None:
    r = report
    start = _title(ws, "Nguồn tài liệu", ["Các văn bản của phường đã nạp vào hệ thống."])
    _header_row(ws, start, [c[0] for c in SOURCE_COLUMNS], [c[1] for c in SOURCE_COLUMNS])
    row = start
    for source in r.sources.itertuples(index=False):
        row += 1
        write_text(ws, row, 1, r.ward_name(source.ward_code)).alignment = WRAP
        write_text(ws, row, 2, source.title_vi).alignment = WRAP
        write_text(ws, row, 3, source.doc_number).alignment = TOP
        write_text(ws, row, 4, source.doc_date).alignment = TOP
        write_text(ws, row, 5, source.source_code).alignment = TOP
        write_text(ws, row, 6, source.original_file).alignment = TOP
    _finish_table(ws, start, row, len(SOURCE_COLUMNS), freeze_column=1,
                  print_columns=SOURCES_PRINTED, title="Nguồn tài liệu")


# --- public API -------------------------------------------------------------------------------

def build_workbook(report: Report) -> Workbook:
    wb = Workbook()
    summary = wb.active
    summary.title = SUMMARY_SHEET
    _summary(summary, report)
    taken = {SUMMARY_SHEET, PERIODS_SHEET, SOURCES_SHEET}
    table = status_table(report)
    for ward in report.ward_codes:
        ws = wb.create_sheet(sheet_title(report.ward_name(ward), taken))
        _ward_sheet(ws, report, ward, table if not table.empty else
                    pd.DataFrame(columns=["ward_code"]))
    _periods_sheet(wb.create_sheet(PERIODS_SHEET), report)
    _sources_sheet(wb.create_sheet(SOURCES_SHEET), report)
    return wb


def workbook_bytes(report: Report) -> bytes:
    buffer = io.BytesIO()
    build_workbook(report).save(buffer)
    return buffer.getvalue()


def write_workbook(report: Report, path) -> None:
    build_workbook(report).save(str(path))
