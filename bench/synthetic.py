"""A SYNTHETIC city of 114 units for the benchmarks ("dữ liệu thử nghiệm").

Nothing here is real data. The three bundled wards are kept as they are; every
other unit is a copy of one of them under the code `synthetic_NNN`, the name
"Thử nghiệm NNN (dữ liệu thử nghiệm)", and sources titled "[DỮ LIỆU THỬ
NGHIỆM]". So that a city board has something to sort and filter, the copies
differ in the ways real units do:

- unit types in Hải Phòng's proportions (45 phường, 67 xã, 2 đặc khu at 114);
- about a fifth have not reported (copies of a targets-only workbook), a sixth
  reported January only, the rest every period, with their reported figures
  scaled by a per-unit factor between 0,7 and 1,25 (so statuses vary), the
  verbatim text rewritten in the source's own number convention so the ETL
  accepts it.

The layout is the bundled one: `catalogue.xlsx` and
`wards/<plan year>/<ward_code>.xlsx`, the path agreeing with the 'Thông tin'
sheet. Generation is seeded: the same arguments give the same workbooks.

    python -m bench synthetic OUT_DIR [--units 114]
"""

from __future__ import annotations

import math
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from wardplan.rules.numbers import ParseError, parse_number

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data"
LABEL = "dữ liệu thử nghiệm"
SOURCE_LABEL = "[DỮ LIỆU THỬ NGHIỆM] "
SEED = 2026
# Hải Phòng after the 2025 reorganisation: 45 phường, 67 xã, 2 đặc khu = 114.
CITY_MIX = (("Phường", 45), ("Xã", 67), ("Đặc khu", 2))
REPORTED_TEMPLATE = "phu_lien"
UNREPORTED_TEMPLATES = ("thuy_nguyen", "kien_an")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str  # Phường, Xã, Đặc khu
    template: str  # the bundled ward copied
    reporting: str  # "full", "january" or "none"
    factor: float  # applied to reported figures


def plan(units: int, real: list[tuple[str, str]], seed: int = SEED) -> list[Unit]:
    """The synthetic units to add to the `real` (code, type) ones, `units` in all."""
    count = units - len(real)
    if count <= 0:
        return []
    wanted = _type_counts(units)
    for _, kind in real:
        wanted[kind] = max(0, wanted.get(kind, 0) - 1)
    kinds = [kind for kind, n in wanted.items() for _ in range(n)]
    kinds = (kinds + ["Xã"] * count)[:count]
    rng = random.Random(seed)
    rng.shuffle(kinds)
    result = []
    for n, kind in enumerate(kinds, start=1):
        roll = rng.random()
        reporting = "none" if roll < 0.2 else "january" if roll < 0.35 else "full"
        template = (UNREPORTED_TEMPLATES[n % len(UNREPORTED_TEMPLATES)] if reporting == "none"
                    else REPORTED_TEMPLATE)
        result.append(Unit(code=f"synthetic_{n:03d}", name=f"Thử nghiệm {n:03d} ({LABEL})",
                           kind=kind, template=template, reporting=reporting,
                           factor=round(rng.uniform(0.7, 1.25), 3)))
    return result


def _type_counts(units: int) -> dict[str, int]:
    total = sum(n for _, n in CITY_MIX)
    counts = {kind: math.floor(units * n / total) for kind, n in CITY_MIX}
    if units >= 10:
        counts["Đặc khu"] = max(counts["Đặc khu"], 1)
    counts["Xã"] += units - sum(counts.values())
    return counts


def write(target: Path, units: int = 114, source: Path = BUNDLED, seed: int = SEED) -> list[Unit]:
    """Write the bundled data plus synthetic units into `target` (created); return them."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("README.md", "replaced"))
    catalogue = load_workbook(target / "catalogue.xlsx")
    sheet = catalogue["Đơn vị hành chính"]
    real = [(row[0], row[2]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    added = plan(units, real, seed)
    templates = {code: _Template(path) for code, path in _bundled_wards(source).items()}
    for unit in added:
        sheet.append([unit.code, unit.name, unit.kind])
        templates[unit.template].write(unit, target)
    catalogue.save(target / "catalogue.xlsx")
    return added


def _bundled_wards(source: Path) -> dict[str, Path]:
    return {path.stem: path for path in sorted((source / "wards").glob("*/*.xlsx"))}


class _Template:
    """One bundled ward workbook, loaded once and re-saved under each unit's name."""

    def __init__(self, path: Path):
        self.book = load_workbook(path)
        self.year = path.parent.name
        info = self.book["Thông tin"]
        self.info_cells = {row[0].value: row[1] for row in info.iter_rows(min_row=2)}
        sources = self.book["Nguồn"]
        header = _header(sources)
        self.source_titles = [(row[header["Tên văn bản"]], row[header["Tên văn bản"]].value)
                              for row in sources.iter_rows(min_row=2) if row[0].value]
        self.conventions = {row[header["Mã nguồn"]].value: row[header["Quy ước số"]].value
                            for row in sources.iter_rows(min_row=2) if row[0].value}
        self.actual_header, self.actual_rows = {}, []
        if "Thực hiện" in self.book.sheetnames:  # a ward that has not reported has none
            actuals = self.book["Thực hiện"]
            self.actual_header = _header(actuals)
            self.actual_rows = [[cell.value for cell in row] for row in actuals.iter_rows(min_row=2)
                                if any(cell.value is not None for cell in row)]

    def write(self, unit: Unit, data_dir: Path) -> None:
        self.info_cells["Mã đơn vị"].value = unit.code
        self.info_cells["Tên đơn vị"].value = unit.name
        for cell, title in self.source_titles:
            cell.value = SOURCE_LABEL + title
        self._write_actuals(unit)
        folder = data_dir / "wards" / self.year
        folder.mkdir(parents=True, exist_ok=True)
        self.book.save(folder / f"{unit.code}.xlsx")

    def _write_actuals(self, unit: Unit) -> None:
        if not self.actual_header:
            return
        sheet = self.book["Thực hiện"]
        h = self.actual_header
        rows = self.actual_rows
        if unit.reporting == "january":
            rows = [r for r in rows if str(r[h["Kỳ"]]) == f"{self.year}-01"]
        written = 0
        for row in rows:
            row = self._scaled(row, unit.factor) if unit.reporting != "none" else row
            written += 1
            for column, value in enumerate(row, start=1):
                sheet.cell(row=written + 1, column=column, value=value)
        if sheet.max_row > written + 1:
            sheet.delete_rows(written + 2, sheet.max_row - written - 1)

    def _scaled(self, row: list, factor: float) -> list:
        h = self.actual_header
        value, text = row[h["Giá trị"]], row[h["Nguyên văn"]]
        convention = self.conventions.get(row[h["Mã nguồn"]])
        if not isinstance(value, (int, float)) or not isinstance(text, str) or not convention:
            return row
        try:
            if not math.isclose(parse_number(text, convention), value, rel_tol=1e-9):
                return row
        except ParseError:
            return row
        decimals = _decimals(text, convention)
        new = round(value * factor, decimals)
        if text.strip().endswith("%") and value <= 100:
            new = min(new, 100)
        new = int(new) if decimals == 0 else new
        row = list(row)
        row[h["Giá trị"]] = new
        row[h["Nguyên văn"]] = _format(new, decimals, convention) + ("%" if "%" in text else "")
        # The ward's own % of plan and verdict were about the real figure.
        for column in ("Tỷ lệ so với KH năm (nguyên văn)", "Đánh giá của phường"):
            if column in h:
                row[h[column]] = None
        return row


def _header(sheet) -> dict[str, int]:
    return {cell.value: i for i, cell in enumerate(next(sheet.iter_rows(max_row=1)))
            if cell.value}


def _decimals(text: str, convention: str) -> int:
    separator = "," if convention == "vi" else "."
    match = re.search(re.escape(separator) + r"(\d+)", text)
    return len(match.group(1)) if match else 0


def _format(x: float, decimals: int, convention: str) -> str:
    text = f"{x:,.{decimals}f}"  # English convention
    return text if convention == "en" else text.translate(str.maketrans(",.", ".,"))


# --- a year of reports -------------------------------------------------------------

YEAR_MONTHS = tuple(f"2026-{month:02d}" for month in range(1, 12))  # January to November


def write_reports(data: Path, db: Path, months: tuple[str, ...] = YEAR_MONTHS,
                  seed: int = SEED) -> int:
    """A year of reports, SYNTHETIC: every unit with a plan sends the report template the
    submission page offers, filled in, for each of `months`, straight into the ledger
    beside `data` (entries as publishing records them, without a database made for each).
    `db` is the database built from `data`, for the templates.  How many were written."""
    import io

    from etl import ledger
    from intake.template import TemplateError, report_template
    from wardplan.reads.db import Database

    database, rng = Database(db), random.Random(seed)
    folder = ledger.submissions_dir(data)
    entries = ledger.read_all(folder)
    before = len(entries)
    for ward in database.query("SELECT ward_code FROM v_wards ORDER BY 1")["ward_code"]:
        try:
            # The template's rows are the unit's plan; only the period changes by month.
            template = load_workbook(io.BytesIO(report_template(database, ward, months[0])))
        except TemplateError:
            continue  # a unit with no plan has no template
        for month in months:
            content = filled_report(template, month, rng)
            entry = ledger.next_entry(
                entries, kind=ledger.REPORT, ward_code=ward, plan_year=int(month[:4]),
                period=month, submitted_by="synthetic", outcome=ledger.ACCEPTED,
                sha256=ledger.store(content, folder), file_name=f"bao_cao_{month}.xlsx",
                message=f"{SOURCE_LABEL}Nộp báo cáo {month}")
            ledger.append(entry, folder)
            entries.append(entry)
    return len(entries) - before


def filled_report(book, month: str, rng: random.Random) -> bytes:
    """The template filled in: a figure for every indicator, the period, a document."""
    import io

    sheet = book["Báo cáo"]
    header = _header(sheet)
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, header["Mã chỉ tiêu"] + 1).value:
            sheet.cell(row, header["Giá trị"] + 1).value = rng.randint(10, 1000)
    for row in book["Thông tin"].iter_rows(min_row=2):
        label = row[0].value
        if label == "Kỳ báo cáo":
            row[1].value = month
        elif label == "Số hiệu văn bản":
            row[1].value = f"{SOURCE_LABEL}{int(month[5:])}/BC"
        elif label == "Ngày văn bản":
            row[1].value = f"05/{int(month[5:]) % 12 + 1:02d}/{month[:4]}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
