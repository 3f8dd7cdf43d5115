"""CSV downloads for machines, which cannot smuggle formulas into a spreadsheet.

The CSV is the machine-readable form (pandas, R, DuckDB, Power BI): UTF-8 without a
byte-order mark, comma-separated (RFC 4180), numbers with a '.' decimal point, no
thousands separator and full precision (357450, 29.620646), period and status codes
next to their Vietnamese labels.  People who open a table in Excel get the .xlsx,
which is formatted Vietnamese-style and set up to print.

Excel and LibreOffice run a cell that starts with `=`, `+`, `-` or `@` as a
formula, and ward documents are free text written by many hands, so every
text cell that starts like that is prefixed with a single quote (the OWASP
advice for CSV injection).  Tab and carriage return are included because
some spreadsheets strip them before deciding.  Numbers stay numbers: a
negative figure is data, not a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import pandas as pd

from wardplan.rules.frames import records

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> object:
    """A text value safe to put in a CSV cell; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell (and header) escaped."""
    out = frame.copy()
    out.columns = [escape_cell(str(c)) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(escape_cell)
    return out


def machine_value(value: object) -> object:
    """A number as machines read it: 357450 rather than 357450.0; other values unchanged."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def rows_to_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV bytes (UTF-8, no byte-order mark, comma, CRLF as RFC 4180 says) from plain rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_cell(str(h)) for h in header])
    for row in rows:
        writer.writerow([escape_cell(machine_value(v)) for v in row])
    return buffer.getvalue().encode("utf-8")


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes of a DataFrame, escaped; the index is not written.

    Missing values become empty cells.  Use this for every CSV the app offers.
    """
    values = frame.astype(object).where(frame.notna(), None)
    return rows_to_csv(list(frame.columns), records(values))


def status_csv(report) -> bytes:
    """The status table of an export selection (`exports.report.status_table`) as CSV,
    with the period (`as_of`, `actual_period`) and status codes beside the labels."""
    from exports.report import status_table

    table = status_table(report)
    if table.empty:
        return frame_to_csv(table)
    codes = [report.status_row(w, i) for w, i in zip(table["ward_code"], table["indicator_code"],
                                                     strict=True)]
    table.insert(2, "as_of", report.as_of)
    table.insert(3, "actual_period", [row["actual_period"] if row is not None else None
                                      for row in codes])
    return frame_to_csv(table)


def write_status_csv(report, path) -> None:
    from pathlib import Path

    Path(path).write_bytes(status_csv(report))
