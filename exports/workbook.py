"""The Excel workbook: the same selection as the deck, as data staff can work with.

Sheets: "Tổng hợp" (ward x indicator status, fill and label), one sheet per
ward (targets, scenario, actuals, % columns, verdicts, sources), "Số liệu
theo kỳ" (every reported and planned figure by period, with its source) and
"Nguồn tài liệu" (the documents).

Numbers are stored as numbers with Excel's built-in formats, which Excel
shows with the reader's separators (357.450 and 95,5% in Vietnamese Excel);
percentages are stored as fractions under '0.0%'.  Text from the ward
documents is never allowed to become a formula: `exports.xlsx` writes text
only as inline strings and never writes a formula, so '=HYPERLINK(…)' in a
target stays text.

Written row by row into the zip stream by `exports.xlsx` (why not openpyxl or
the XlsxWriter package: see there): a city's workbook is about 650.000 cells.
Rows are therefore sized before they are written (`_Table.row`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import pandas as pd

from exports.city import Progress
from exports.report import NO_REPORT, Report, status_records
from exports.xlsx import StreamingWorkbook
from wardplan.display import styles
from wardplan.rules.frames import records
from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.periods import period_label, period_sort_key
from wardplan.rules.scenario import DERIVED, ORIGIN_LABELS_VI, PROVISIONAL_VI

SUMMARY_SHEET = "Tổng hợp"
PERIODS_SHEET = "Số liệu theo kỳ"
SOURCES_SHEET = "Nguồn tài liệu"

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0##"
PERCENT_FORMAT = "0.0%"

GRID_COLOUR = "#BFBFBF"
HEADER_COLOUR = "#F2F2F2"
MUTED_COLOUR = "#555555"

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub(" ", name).strip().strip("'")[:31] or "Phường"
    title, n = base, 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


# --- cells ---------------------------------------------------------------------------------

class _Formats:
    """Every cell format of the workbook, by what it is for."""

    def __init__(self, book: StreamingWorkbook):
        grid = {"border": GRID_COLOUR, "vertical": "top"}
        self.book = book
        self.title = book.style(bold=True, size=14)
        self.muted = book.style(italic=True, colour=MUTED_COLOUR)
        self.header = book.style(**grid, bold=True, fill=HEADER_COLOUR, horizontal="center",
                                 wrap=True)
        self.wrap = book.style(**grid, wrap=True)
        self.top = book.style(**grid)
        self.numbers = {f: book.style(**grid, number_format=f)
                        for f in (INTEGER_FORMAT, DECIMAL_FORMAT, PERCENT_FORMAT)}
        self._grid = grid

    def status(self, status: str | None, centred: bool) -> int:
        """A status cell: its tint behind dark text (centred and wrapped on the summary)."""
        fill = styles.STATUS_STYLES[status].tint if status in styles.STATUS_STYLES else None
        if centred:
            return self.book.style(**self._grid, fill=fill, horizontal="center", wrap=True)
        return self.book.style(**self._grid, fill=fill)


def number_cell(value: object) -> tuple[float | int | None, str]:
    """(value to store, number format): large amounts shown whole (the documents report
    whole triệu đồng), the cell keeping every decimal."""
    if is_missing(value):
        return None, INTEGER_FORMAT
    number = float(value)
    stored = int(number) if number.is_integer() and abs(number) < 2**53 else number
    return stored, INTEGER_FORMAT if number.is_integer() or abs(number) >= 1000 else DECIMAL_FORMAT


def percent_cell(value_0_100: object) -> float | None:
    """A 0-100 percentage stored as a fraction so Excel's '%' format shows it."""
    return None if is_missing(value_0_100) else float(value_0_100) / 100


TEXT, WRAP, NUMBER, PERCENT = "text", "wrap", "number", "percent"


class _Table:
    """One sheet: a title, explanation lines, a header row and data rows, written in order.

    Wrapped text makes a row taller; not every spreadsheet sizes rows on opening, so
    each row's height is set from its text as it is written: about 1,3 characters per
    unit of column width at the default font (measured by rendering with LibreOffice:
    1,1 left rows twice too tall), 15 points a line, 26 lines at most.
    """

    def __init__(self, book: StreamingWorkbook, formats: _Formats, name: str,
                 widths: Sequence[float], header_row: int, freeze_column: int):
        self.f = formats
        self.widths = list(widths)
        self.header_row = header_row  # 1-based, as Excel counts
        self.ws = book.sheet(name, self.widths, freeze=(header_row, freeze_column - 1))

    def title(self, title: str, lines: Sequence[str]) -> None:
        self.ws.row([(text_or(title), self.f.title)])
        for line in lines:
            self.ws.row([(text_or(line), self.f.muted)])
        while self.ws.rows < self.header_row - 1:  # a blank row before the table
            self.ws.row([])

    def header(self, headers: Sequence[str]) -> None:
        assert self.ws.rows == self.header_row - 1, (self.ws.rows, self.header_row)
        self.row([(WRAP, h, self.f.header) for h in headers])

    def row(self, cells: Sequence[tuple]) -> None:
        """Cells as (kind, value) or (kind, value, style): kinds TEXT, WRAP, NUMBER,
        PERCENT; a status or header cell passes its style."""
        f = self.f
        out = []
        lines = 1
        for column, cell in enumerate(cells):
            kind, value = cell[0], cell[1]
            if kind in (TEXT, WRAP):
                text = text_or(value)
                style = cell[2] if len(cell) > 2 else f.wrap if kind == WRAP else f.top
                if kind == WRAP and text:
                    per_line = max(int(self.widths[column] * 1.3), 1)
                    lines = max(lines, sum(-(-max(len(part), 1) // per_line)
                                           for part in text.split("\n")))
                out.append((text, style))
            elif kind == PERCENT:
                out.append((percent_cell(value), f.numbers[PERCENT_FORMAT]))
            else:
                stored, number_format = number_cell(value)
                out.append((stored, f.numbers[number_format]))
        self.ws.row(out, height=15 * min(lines, 26) if lines > 1 else None)

    def finish(self, print_columns: int | None = None, title: str = "",
               repeat_columns: int = 0) -> None:
        """Filter and frozen header; printed for a meeting: landscape A4, one page wide, the
        header row on every page, the sheet's title and 'Trang x/y' on every page.

        `print_columns` is how many columns from A are printed: a sheet keeps its columns
        for machines (codes, full references) to the right of what a reader needs, outside
        the print area, so the printed page stays readable.  A table too wide for one page
        (many wards) prints across pages with its first `repeat_columns` on each instead.
        """
        self.ws.finish(header_row=self.header_row, print_columns=print_columns,
                       repeat_columns=repeat_columns, fit_width=not repeat_columns,
                       footer=title)


# --- sheets -----------------------------------------------------------------------------------

def _summary(book: StreamingWorkbook, formats: _Formats, report: Report) -> None:
    r = report
    wide = len(r.ward_codes) > SUMMARY_WARDS_PER_PAGE
    table = _Table(book, formats, SUMMARY_SHEET, [16, 46, 12, *[19] * len(r.ward_codes)],
                   header_row=6, freeze_column=4)
    table.title(f"Tổng hợp trạng thái các chỉ tiêu — {r.period_label}", [
        f"Xuất ngày {r.produced_text} từ hệ thống Chỉ tiêu {r.year}. Trạng thái so sánh thực "
        "hiện đến kỳ với kịch bản tăng trưởng đến kỳ của từng phường.",
        "Chú giải: " + "; ".join(styles.legend_lines(r.bands["green_min_pct"], r.bands["amber_min_pct"]))
        + f"; {NO_REPORT}: phường chưa gửi số liệu; —: phường không đặt chỉ tiêu này.",
        "Số liệu, kịch bản và nguồn của từng ô: xem trang của từng phường.",
    ])
    wards = r.ward_codes
    table.header(["Lĩnh vực", "Chỉ tiêu", "Đơn vị", *[r.ward_name(w) for w in wards]])
    for code in r.indicator_codes:
        meta = r.indicator(code)
        cells = [(WRAP, meta["group_vi"]), (WRAP, meta["name_vi"]), (WRAP, text_or(meta["unit"]))]
        for ward in wards:
            label, status = r.status_label(ward, code)
            marks = " · ".join(styles.qualifiers(r.status_row(ward, code))) if status else ""
            text = (f"{label} ({marks})" if marks else label) if status is not None else "—"
            cells.append((WRAP, text, table.f.status(status, centred=True)))
        table.row(cells)
    # A city of wards does not fit one page wide: pages across, names on each.
    table.finish(title=f"Tổng hợp trạng thái — {r.period_label}"
                 if not wide else f"Tổng hợp trạng thái các chỉ tiêu — {r.period_label}",
                 repeat_columns=3 if wide else 0)


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


def _ward_sheet(table: _Table, report: Report, ward: str, statuses: list[dict]) -> None:
    r = report
    name = r.ward_name(ward)
    lines = [f"{NO_REPORT}: phường chưa gửi số liệu thực hiện năm {r.year}; các cột thực "
             "hiện để trống, chỉ có chỉ tiêu và kịch bản." if not r.has_report(ward)
             else f"Đã có báo cáo thực hiện của phường; số liệu đến {r.period_label}.",
             f"Xuất ngày {r.produced_text}. Tiền tệ: triệu đồng; tỷ lệ (đơn vị %) ghi theo "
             "điểm phần trăm; cột % kịch bản = thực hiện / kịch bản đến kỳ."]
    lines.append(f"Kịch bản “{ORIGIN_LABELS_VI[DERIVED]}” là phần hệ thống tự phân bổ, không "
                 f"phải số của phường; trạng thái dựa chủ yếu vào phần đó ghi “{PROVISIONAL_VI}”.")
    table.title(f"{name} — chỉ tiêu, kịch bản và thực hiện đến {r.period_label}", lines)
    table.header([c[0] for c in WARD_COLUMNS])
    for record in statuses:
        cells = []
        for header, _, kind in WARD_COLUMNS:
            value = _short_sources(r, record) if header == "Nguồn (văn bản)" else \
                record[_FIELD.get(header, header)]
            if kind == "status":
                cells.append((TEXT, value, table.f.status(record["status"], centred=False)))
            else:
                cells.append((kind, value))
        table.row(cells)
    table.finish(print_columns=WARD_PRINTED, title=f"{name} — {r.period_label}")


PERIOD_COLUMNS = [
    ("Phường", 13), ("Chỉ tiêu", 34), ("Đơn vị", 10), ("Kỳ", 12), ("Kịch bản của kỳ", 14),
    ("Nguồn gốc kịch bản", 15), ("Thực hiện", 14), ("Nguyên văn trong báo cáo", 14),
    ("Phường đánh giá", 11), ("Nguồn số liệu thực hiện", 46),
    ("Mã chỉ tiêu", 24), ("Mã kỳ", 10),
]
PERIOD_PRINTED = 10


def period_rows(report: Report) -> pd.DataFrame:
    """Every planned and reported figure of the chosen wards and indicators by period:
    the scenario of every period of the year, the actuals up to the chosen period;
    ward, indicator, then period order."""
    r = report
    keys = ["ward_code", "indicator_code", "period"]
    scenario = r.scenario[r.scenario["ward_code"].isin(r.ward_codes)
                          & r.scenario["indicator_code"].isin(r.indicator_codes)]
    scenario = scenario[[*keys, "planned_value", "origin"]]
    actuals = r.actuals_to_date
    actuals = actuals[actuals["ward_code"].isin(r.ward_codes)
                      & actuals["indicator_code"].isin(r.indicator_codes)]
    merged = scenario.merge(actuals, on=keys, how="outer") if not actuals.empty else \
        scenario.assign(value=None, value_text=None, ward_verdict=None, source_ref=None)
    ward_order = {w: i for i, w in enumerate(r.ward_codes)}
    indicator_order = {c: i for i, c in enumerate(r.indicator_codes)}
    period_order = {p: period_sort_key(str(p)) for p in merged["period"].unique()}
    merged = merged.assign(
        _w=merged["ward_code"].map(ward_order), _i=merged["indicator_code"].map(indicator_order),
        _p=merged["period"].map(period_order))
    return merged.sort_values(["_w", "_i", "_p"], kind="stable").drop(columns=["_w", "_i", "_p"])


def _periods_sheet(table: _Table, report: Report) -> None:
    r = report
    table.title(f"Số liệu theo kỳ — kịch bản cả năm, thực hiện đến {r.period_label}", [
        "Kịch bản của từng kỳ (tháng, quý, năm) và số thực hiện phường báo cáo cho kỳ đó, "
        "kèm nguồn. Thực hiện của quý/năm là lũy kế theo báo cáo của phường.",
    ])
    table.header([c[0] for c in PERIOD_COLUMNS])
    names = {w: r.ward_name(w) for w in r.ward_codes}
    meta = {row.indicator_code: (row.name_vi, text_or(row.unit))
            for row in records(r.indicators)}
    labels: dict[str, str] = {}
    rows = period_rows(r)
    columns = ["ward_code", "indicator_code", "period", "planned_value", "origin", "value",
               "value_text", "ward_verdict", "source_ref"]
    for ward, code, period, planned, origin, value, text, verdict, ref in zip(
            *(rows[c] if c in rows else [None] * len(rows) for c in columns), strict=True):
        period = str(period)
        if period not in labels:
            labels[period] = period_label(period)
        name, unit = meta[code]
        table.row([(WRAP, names[ward]), (WRAP, name), (WRAP, unit), (WRAP, labels[period]),
                   (NUMBER, planned), (WRAP, ORIGIN_LABELS_VI.get(origin, "")),
                   (NUMBER, value), (WRAP, text), (WRAP, verdict), (WRAP, ref),
                   (TEXT, code), (TEXT, period)])
    table.finish(print_columns=PERIOD_PRINTED, title=f"Số liệu theo kỳ — {r.period_label}")


SOURCE_COLUMNS = [("Phường", 14), ("Tên văn bản", 90), ("Số hiệu", 16), ("Ngày", 12),
                  ("Mã nguồn", 20), ("Tệp gốc", 28)]
SOURCES_PRINTED = 4


def _sources_sheet(table: _Table, report: Report) -> None:
    r = report
    table.title("Nguồn tài liệu", ["Các văn bản của phường đã nạp vào hệ thống."])
    table.header([c[0] for c in SOURCE_COLUMNS])
    for source in records(r.sources):
        table.row([(WRAP, r.ward_name(source.ward_code)), (WRAP, source.title_vi),
                   (TEXT, source.doc_number), (TEXT, source.doc_date),
                   (TEXT, source.source_code), (TEXT, source.original_file)])
    table.finish(print_columns=SOURCES_PRINTED, title="Nguồn tài liệu")


# --- public API -------------------------------------------------------------------------------

def build_workbook(report: Report, target, progress: Progress | None = None) -> None:
    """Write the workbook to `target`: a path or a binary file object."""
    book = StreamingWorkbook(target)
    formats = _Formats(book)
    sheets = len(report.ward_codes) + 3

    def say(done: int, name: str) -> None:
        if progress is not None:
            progress(done / sheets, f"Trang {done + 1}/{sheets} của sổ Excel: {name}")

    say(0, SUMMARY_SHEET)
    _summary(book, formats, report)
    taken = {SUMMARY_SHEET, PERIODS_SHEET, SOURCES_SHEET}
    by_ward: dict[str, list[dict]] = {}
    for record in status_records(report):
        by_ward.setdefault(record["ward_code"], []).append(record)
    ward_widths = [c[1] for c in WARD_COLUMNS]
    for i, ward in enumerate(report.ward_codes, start=1):
        name = sheet_title(report.ward_name(ward), taken)
        say(i, name)
        sheet = _Table(book, formats, name, ward_widths, header_row=6, freeze_column=3)
        _ward_sheet(sheet, report, ward, by_ward.get(ward, []))
    say(sheets - 2, PERIODS_SHEET)
    _periods_sheet(_Table(book, formats, PERIODS_SHEET, [c[1] for c in PERIOD_COLUMNS],
                          header_row=4, freeze_column=3), report)
    say(sheets - 1, SOURCES_SHEET)
    _sources_sheet(_Table(book, formats, SOURCES_SHEET, [c[1] for c in SOURCE_COLUMNS],
                          header_row=4, freeze_column=1), report)
    book.close()


def workbook_bytes(report: Report) -> bytes:
    buffer = io.BytesIO()
    build_workbook(report, buffer)
    return buffer.getvalue()


def write_workbook(report: Report, path, progress: Progress | None = None) -> None:
    build_workbook(report, str(path), progress)
