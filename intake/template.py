"""The report template for one ward and one period ("Tải mẫu báo cáo").

A small workbook a ward's staff fill in and upload: one row per indicator of
the ward's plan, with what they need to see beside the cell they fill (the
indicator, its unit, the annual target as written, the scenario the system
uses for the period, the last figure reported) and Excel's own checks on the
cells they type in (numbers only where a number goes, a list for the
verdict, dates for the cut-off).  Everything except the cells to fill is
locked, so a row cannot lose its indicator code by accident.
"""

from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from wardplan.display.format import format_value
from wardplan.reads import queries
from wardplan.reads.db import Database
from wardplan.rules import kinds, template
from wardplan.rules.frames import records
from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.periods import parse_period, period_label, period_sort_key

INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
WIDTHS = {"indicator_code": 26, "name_vi": 44, "target_text": 26, "scenario_text": 20,
          "last_text": 22, "value": 14, "value_text": 18, "unit_text": 14, "ward_verdict": 16,
          "ward_summary": 44, "cutoff_date": 14, "source_location": 28}
# Units a figure may be typed in, beside the indicator's own (money converts to triệu đồng).
_MONEY_UNITS = ("triệu đồng", "tỷ đồng", "đồng")


class TemplateError(ValueError):
    def __init__(self, message_vi: str):
        super().__init__(message_vi)
        self.message_vi = message_vi


def report_template(db: Database, ward: str, period: str) -> bytes:
    """The template workbook's bytes for `ward` and a month or quarter `period`."""
    parsed = parse_period(period)
    if parsed.kind == "year":
        raise TemplateError("Mẫu báo cáo dành cho một tháng hoặc một quý.")
    names = dict(zip(queries.wards(db)["ward_code"], queries.wards(db)["name_vi"], strict=True))
    if ward not in names:
        raise TemplateError(f"Không có đơn vị '{ward}'.")
    rows = _rows(db, ward, parsed.year, period)
    if rows.empty:
        raise TemplateError(f"Đơn vị chưa có chỉ tiêu kế hoạch năm {parsed.year}.")
    book = Workbook()
    _info_sheet(book.active, ward, names[ward], parsed.year, period)
    _report_sheet(book.create_sheet(template.REPORT.name), rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rows(db: Database, ward: str, year: int, period: str) -> pd.DataFrame:
    targets = queries.targets(db, ward=ward, year=year)
    catalogue = queries.indicators(db).set_index("indicator_code")
    scenario = queries.scenario(db, ward=ward)
    planned = dict(zip(scenario.loc[scenario["period"] == period, "indicator_code"],
                       scenario.loc[scenario["period"] == period, "planned_value"], strict=True))
    actuals = queries.actuals(db, ward=ward)
    earlier = actuals[actuals["value"].notna()
                      & (actuals["period"].map(period_sort_key) < period_sort_key(period))]
    rows = []
    # The plan's order; a component without its own number goes under its parent.
    item_of = dict(zip(targets["indicator_code"], targets["item_no"].map(text_or), strict=True))
    parent_of = catalogue["parent_code"].map(text_or).to_dict()

    def order(code: str) -> tuple:
        own = item_of.get(code, "")
        if own:
            return (*_item_key(own), 0)
        return (*_item_key(item_of.get(parent_of.get(code, ""), "") or "9999"), 1)

    in_plan_order = targets.iloc[sorted(range(len(targets)),
                                        key=lambda i: order(targets["indicator_code"].iloc[i]))]
    for target in records(in_plan_order.drop_duplicates("indicator_code")):
        meta = catalogue.loc[target.indicator_code]
        unit = text_or(meta["unit"])
        mine = earlier[earlier["indicator_code"] == target.indicator_code]
        last = ""
        if not mine.empty:
            latest = mine.loc[mine["period"].map(period_sort_key).idxmax()]
            last = f"{format_value(latest['value'], unit)} ({period_label(latest['period'])})"
        rows.append({
            "indicator_code": target.indicator_code, "name_vi": text_or(meta["name_vi"]),
            "target_text": text_or(target.target_text),
            "scenario_text": "" if is_missing(planned.get(target.indicator_code))
            else format_value(planned[target.indicator_code], unit),
            "last_text": last, "unit_text": unit, "kind": meta["kind"],
        })
    return pd.DataFrame(rows)


def _item_key(item_no: object) -> tuple:
    """'2', '10', '2a' in the order of the plan document."""
    parts = re.findall(r"\d+|\D+", text_or(item_no))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def _info_sheet(ws, ward: str, name: str, year: int, period: str) -> None:
    ws.title = template.REPORT_INFO.name
    ws.append([c.header for c in template.REPORT_INFO.columns])
    given = {"Mã đơn vị": ward, "Tên đơn vị": name, "Năm kế hoạch": str(year),
             "Kỳ báo cáo": period, "Quy ước số": "vi"}
    for label in template.REPORT_INFO_KEYS:
        ws.append([label, given.get(label, "")])
    for row in ws.iter_rows(min_row=2):
        if row[0].value not in given:
            row[1].fill = INPUT_FILL
            row[1].protection = Protection(locked=False)
    ws.append([])
    ws.append(["Hướng dẫn", f"Điền số liệu kỳ {period_label(period)} ở trang "
                            f"'{template.REPORT.name}' (các ô nền vàng), ghi số hiệu, ngày và tên "
                            "văn bản báo cáo ở trên, rồi nộp tệp tại trang 'Nộp báo cáo'."])
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 22, 70
    ws.protection.sheet = True


def _report_sheet(ws, rows: pd.DataFrame) -> None:
    columns = template.REPORT.columns
    ws.append([c.header for c in columns])
    for record in rows.to_dict("records"):
        ws.append([record.get(c.field, "") for c in columns])
    fields = [c.field for c in columns]
    last = ws.max_row
    inputs = [f for f in fields if f not in template.REPORT_INFO_FIELDS and f != "indicator_code"]
    for row in ws.iter_rows(min_row=2, max_row=last):
        for cell, field in zip(row, fields, strict=True):
            cell.alignment = WRAP
            if field in inputs:
                cell.fill = INPUT_FILL
                cell.protection = Protection(locked=False)
    for i, column in enumerate(columns, start=1):
        header = ws.cell(1, i)
        header.font, header.fill, header.alignment = BOLD, HEADER_FILL, WRAP
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(column.field, 16)
    _validations(ws, rows, fields, last)
    ws.freeze_panes = "C2"
    ws.protection.sheet = True
    # Locked cells still allow selecting and resizing; only their content is fixed.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _validations(ws, rows: pd.DataFrame, fields: list[str], last: int) -> None:
    def column(field: str) -> str:
        return get_column_letter(fields.index(field) + 1)

    number = DataValidation(type="decimal", operator="between", formula1="-1000000000000",
                            formula2="1000000000000", allow_blank=True, showErrorMessage=True,
                            errorTitle="Cần một số", error="Ô này chỉ nhận số (ví dụ 20684 hoặc "
                            "95,5); ghi chữ ở cột Nguyên văn.")
    number.add(f"{column('value')}2:{column('value')}{last}")
    verdict = DataValidation(type="list", formula1='"' + ",".join(template.VERDICTS) + '"',
                             allow_blank=True, showErrorMessage=True, errorTitle="Chọn trong danh sách",
                             error="Đánh giá là một trong: " + ", ".join(template.VERDICTS) + ".")
    verdict.add(f"{column('ward_verdict')}2:{column('ward_verdict')}{last}")
    date = DataValidation(type="date", operator="between", formula1="36526", formula2="73051",
                          allow_blank=True, showErrorMessage=True, errorTitle="Cần một ngày",
                          error="Ghi ngày dạng dd/mm/yyyy.")
    date.add(f"{column('cutoff_date')}2:{column('cutoff_date')}{last}")
    for dv in (number, verdict, date):
        ws.add_data_validation(dv)
    by_units: dict[tuple[str, ...], DataValidation] = {}
    for i, record in enumerate(rows.to_dict("records"), start=2):
        unit = record["unit_text"]
        if not unit or record["kind"] not in kinds.CONVERTIBLE:
            continue
        allowed = (unit, *[u for u in _MONEY_UNITS if u != unit]) if unit == "triệu đồng" else (unit,)
        if allowed not in by_units:
            by_units[allowed] = DataValidation(
                type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True,
                showErrorMessage=True, errorTitle="Đơn vị", error="Chọn đơn vị trong danh sách.")
            ws.add_data_validation(by_units[allowed])
        by_units[allowed].add(f"{column('unit_text')}{i}")
