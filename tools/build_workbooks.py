"""Write the bundled Excel workbooks under data/ from the transcription CSVs.

The CSVs in tools/transcription/ are the reviewable, diffable transcription of
the source documents; the workbooks are what the ETL loads and what a ward's
staff would fill in themselves.  Run after changing a CSV:

    python -m tools.build_workbooks
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from wardplan.rules import template
from wardplan.rules.template import Sheet

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPTION = ROOT / "tools" / "transcription"
DATA = ROOT / "data"

CSV_NAMES = {
    template.WARD_INFO: "info.csv",
    template.SOURCES: "sources.csv",
    template.TARGETS: "targets.csv",
    template.SCENARIO: "scenario.csv",
    template.ACTUALS: "actuals.csv",
    template.STATEMENTS: "statements.csv",
    template.BASELINES: "baselines.csv",
    template.TASKS: "tasks.csv",
    template.PROJECTS: "projects.csv",
    template.NOTES: "notes.csv",
}
CATALOGUE_CSV = {
    template.INDICATORS: "catalogue_indicators.csv",
    template.UNITS: "catalogue_units.csv",
}
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
WIDE_FIELDS = {"name_text", "task_text", "project_name", "progress_text", "ward_summary",
               "text", "title_vi", "name_vi", "forecast_text", "proposal_text", "output_vi",
               "partners_vi", "responsible_vi", "note_vi", "help"}


def read_csv_rows(path: Path, sheet: Sheet) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        expected = sheet.headers()
        if reader.fieldnames != expected:
            raise SystemExit(f"{path}: headers {reader.fieldnames} != template {expected}")
        return list(reader)


def cell_value(column, text: str):
    if text == "":
        return None
    if column.numeric:
        number = float(text)
        return int(number) if number.is_integer() else number
    return text


def write_sheet(ws: Worksheet, sheet: Sheet, rows: list[dict[str, str]]) -> None:
    ws.append(sheet.headers())
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([cell_value(c, row[c.header]) for c in sheet.columns])
        for cell, column in zip(ws[ws.max_row], sheet.columns, strict=True):
            if isinstance(cell.value, str):
                # openpyxl would store text starting with '=' as a formula.
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=column.field in WIDE_FIELDS, vertical="top")
            elif column.numeric and cell.value is not None:
                cell.number_format = "#,##0.###"
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = 48 if column.field in WIDE_FIELDS else 18
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def write_guide(wb: Workbook, sheets: tuple[Sheet, ...]) -> None:
    ws = wb.create_sheet("Hướng dẫn")
    ws.append(["Trang", "Cột", "Bắt buộc", "Kiểu", "Hướng dẫn"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for sheet in sheets:
        ws.append([sheet.name, "", "", "", sheet.help_vi])
        for c in sheet.columns:
            ws.append([sheet.name, c.header, "có" if c.required else "không",
                       "số" if c.numeric else "chữ", c.help_vi])
    for letter, width in zip("ABCDE", (22, 36, 10, 8, 80), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def build_workbook(csv_dir: Path, sheets: dict[Sheet, str], out: Path) -> int:
    wb = Workbook()
    wb.remove(wb.active)
    written = 0
    for sheet, name in sheets.items():
        path = csv_dir / name
        if not path.exists():
            continue
        rows = read_csv_rows(path, sheet)
        write_sheet(wb.create_sheet(sheet.name), sheet, rows)
        written += len(rows)
    write_guide(wb, tuple(sheets))
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return written


def plan_year_of(ward_dir: Path) -> str:
    """The 'Năm kế hoạch' a transcription declares: its workbook goes in that year's folder."""
    with (ward_dir / "info.csv").open(encoding="utf-8") as handle:
        info = {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}
    return info["Năm kế hoạch"]


def main() -> int:
    count = build_workbook(TRANSCRIPTION, CATALOGUE_CSV, DATA / "catalogue.xlsx")
    print(f"data/catalogue.xlsx: {count} rows")
    for ward_dir in sorted(p for p in TRANSCRIPTION.iterdir() if p.is_dir()):
        if not (ward_dir / "info.csv").exists():
            continue
        out = DATA / "wards" / plan_year_of(ward_dir) / f"{ward_dir.name}.xlsx"
        count = build_workbook(ward_dir, CSV_NAMES, out)
        print(f"{out.relative_to(ROOT)}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
