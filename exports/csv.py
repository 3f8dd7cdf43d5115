"""CSV downloads that cannot smuggle formulas into a spreadsheet.

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


def rows_to_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV bytes (UTF-8 with BOM, so Excel shows Vietnamese letters) from plain rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_cell(str(h)) for h in header])
    for row in rows:
        writer.writerow([escape_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes of a DataFrame, escaped; the index is not written.

    Missing values become empty cells.  Use this for every CSV the app offers.
    """
    values = frame.astype(object).where(frame.notna(), None)
    return rows_to_csv(list(frame.columns), values.itertuples(index=False, name=None))


def status_csv(report) -> bytes:
    """The status table of an export selection (`exports.report.status_table`) as CSV."""
    from exports.report import status_table

    table = status_table(report)
    return frame_to_csv(table.drop(columns=["status"], errors="ignore"))
