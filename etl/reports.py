"""Read a ward's report for one period (the filled-in "mẫu báo cáo") into actual rows.

The report is checked as strictly as a ward workbook: known sheets only,
every problem named by file, sheet and cell in Vietnamese, nothing half
read.  Each figure keeps its provenance: the ward's report document (number
and date from the 'Thông tin' sheet), the line in it, and the submitted
file's cell, so a figure on any page traces back to who sent it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from etl.normalise import Catalogue, Rows, report_actuals
from etl.problems import BuildFailed, Problem
from etl.read import FileRejected, RawCell, RawWorkbook, read_workbook, sheet_key
from etl.validate import Checker, Row, info_cell
from wardplan.rules import template
from wardplan.rules.numbers import ParseError, format_number_vi
from wardplan.rules.periods import Period, parse_period

# Sheets that make a file a whole ward workbook rather than a period's report.
WORKBOOK_MARKERS = {sheet_key(template.TARGETS.name)}


@dataclass(frozen=True)
class ParsedReport:
    ward_code: str
    plan_year: int
    period: Period
    source: dict  # the report document, as a 'Nguồn' row
    actuals: Rows  # of TABLES["actuals"]
    size_bytes: int = 0


def is_workbook(raw: RawWorkbook) -> bool:
    """True when the file is a whole ward workbook (it has a 'Chỉ tiêu' sheet)."""
    return bool(WORKBOOK_MARKERS & set(raw.sheets))


def plan_of(raw: RawWorkbook, name: str) -> tuple[str, int]:
    """The ward and plan year a whole workbook declares in its 'Thông tin' sheet (checked in
    full with the rest of the workbook later; here only what routes it)."""
    check = Checker(name)
    rows = check.rows(raw.sheets.get(sheet_key(template.WARD_INFO.name)), template.WARD_INFO)
    info = {r.text("key"): r.text("value") for r in rows}
    missing = [label for label in ("Mã đơn vị", "Năm kế hoạch") if not info.get(label)]
    if missing or check.problems:
        raise BuildFailed(check.problems or [Problem(name, template.WARD_INFO.name, "",
                                                     f"Thiếu mục '{label}'.") for label in missing])
    ward_code, plan_year = info["Mã đơn vị"], info["Năm kế hoạch"]
    if not plan_year.isdigit():
        raise BuildFailed([Problem(name, template.WARD_INFO.name, info_cell(raw, "Năm kế hoạch"),
                                   f"Năm kế hoạch '{plan_year}' không hợp lệ (ghi bốn chữ số, "
                                   "ví dụ 2026).")])
    return ward_code, int(plan_year)


def parse_report(path: Path, name: str, catalogue: Catalogue, source_code: str) -> ParsedReport:
    """The report's figures, or BuildFailed listing every problem (file › sheet › cell)."""
    try:
        raw = read_workbook(path)
    except FileRejected as exc:
        raise BuildFailed([Problem(name, exc.sheet, exc.cell, exc.reason_vi)]) from exc
    check = Checker(name)
    check.sheets(raw, (template.REPORT_INFO, template.REPORT))
    info_rows = check.rows(raw.sheets.get(sheet_key(template.REPORT_INFO.name)), template.REPORT_INFO)
    info = {template.REPORT_INFO_KEYS[r.text("key")]: r for r in info_rows
            if r.text("key") in template.REPORT_INFO_KEYS}
    ward_code = _ward(info, check, catalogue)
    plan_year, period = _period(info, check)
    source = _source(info, name, source_code)
    lines = check.rows(raw.sheets.get(sheet_key(template.REPORT.name)), template.REPORT)
    rows = [_as_actual_row(line, info.get("period"), source_code) for line in lines
            if line.text("value") or line.text("value_text")]
    if not rows and not check.problems:
        check.add(template.REPORT.name, "", "Báo cáo chưa có số liệu nào: hãy điền cột 'Giá trị' "
                  "hoặc 'Nguyên văn' cho các chỉ tiêu có số liệu kỳ này.")
    actuals = Rows.of("actuals", [])
    if ward_code and period:
        actuals = report_actuals(rows, ward_code, plan_year, name, check, catalogue, source)
    if check.problems:
        raise BuildFailed(check.problems)
    return ParsedReport(ward_code, plan_year, period, source, actuals, raw.size_bytes)


def _ward(info: dict[str, Row], check: Checker, catalogue: Catalogue) -> str | None:
    row = info.get("ward_code")
    code = row.text("value") if row else ""
    if not code:
        check.add(template.REPORT_INFO.name, "", "Thiếu mục 'Mã đơn vị'.")
        return None
    if code not in set(catalogue.wards["ward_code"]):
        check.at(row, "value", f"Mã đơn vị '{code}' không có trong danh mục đơn vị hành chính.")
        return None
    return code


def _period(info: dict[str, Row], check: Checker) -> tuple[int | None, Period | None]:
    year_row, period_row = info.get("plan_year"), info.get("period")
    if year_row is None or not year_row.text("value").isdigit():
        check.add(template.REPORT_INFO.name, year_row.where("value") if year_row else "",
                  "Thiếu hoặc sai mục 'Năm kế hoạch' (ghi bốn chữ số, ví dụ 2026).")
        return None, None
    year = int(year_row.text("value"))
    if period_row is None or not period_row.text("value"):
        check.add(template.REPORT_INFO.name, "", "Thiếu mục 'Kỳ báo cáo' (ví dụ 2026-04 hoặc 2026-Q2).")
        return year, None
    try:
        period = parse_period(period_row.raw("value"), expected_year=year)
    except ParseError as exc:
        check.at(period_row, "value", exc.message_vi)
        return year, None
    if period.kind == "year":
        check.at(period_row, "value", "Mẫu báo cáo dành cho một tháng hoặc một quý, không phải "
                                      "cả năm.")
        return year, None
    return year, period


def _source(info: dict[str, Row], name: str, source_code: str) -> dict:
    def text(key: str) -> str:
        row = info.get(key)
        if row is None:
            return ""
        value = row.raw("value")
        return f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else row.verbatim("value")

    number, date = text("doc_number"), text("doc_date")
    title = text("doc_title") or "Báo cáo của đơn vị"
    described = " ".join(part for part in (title, f"số {number}" if number else "",
                                           f"ngày {date}" if date else "") if part)
    return {"source_code": source_code, "title_vi": f"{described} (nộp qua hệ thống)",
            "doc_number": number or None, "doc_date": date or None, "original_file": name,
            "number_convention": text("number_convention") or "vi"}


def _as_actual_row(line: Row, period_row: Row | None, source_code: str) -> Row:
    """A report line as a 'Thực hiện' row: the period and the source are the report's."""
    cells = dict(line.cells)
    cells["period"] = RawCell(period_row.raw("value") if period_row else None,
                              period_row.where("value") if period_row else "")
    cells["source_code"] = RawCell(source_code, "")
    value = line.raw("value")
    if not line.text("value_text") and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        # A figure typed only as a number: its verbatim text is the number as typed.  (Text
        # in the number cell is already refused, at that cell, by the column check.)
        cells["value_text"] = RawCell(format_number_vi(value, max_decimals=6), line.where("value"))
    if not line.text("source_location"):
        cells["source_location"] = RawCell(f"dòng {line.row_number}", line.where("source_location"))
    return Row(line.file, line.sheet, line.row_number, cells)
