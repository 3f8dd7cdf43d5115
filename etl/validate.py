"""Validate raw sheets against the template: columns, types, codes, periods, duplicates.

Every check appends a `Problem` (file, sheet, cell, Vietnamese reason) rather
than stopping at the first one, so a user fixes a workbook in one pass.
The output is a list of `Row`s whose cells are typed but not yet converted.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from etl.problems import Problem
from etl.read import RawCell, RawSheet
from wardplan.rules.numbers import ParseError, format_number_vi, parse_number
from wardplan.rules.periods import Period, parse_period
from wardplan.rules.template import Sheet
from wardplan.rules.text import normalise_text


@dataclass
class Row:
    file: str
    sheet: str
    row_number: int
    cells: dict[str, RawCell]

    def raw(self, field: str) -> object:
        cell = self.cells.get(field)
        return None if cell is None else cell.value

    def text(self, field: str) -> str:
        value = self.raw(field)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return normalise_text(str(value))

    def verbatim(self, field: str) -> str:
        """The cell's text as the source wrote it: only Unicode-normalised (NFC) and
        trimmed, so Cyrillic look-alikes ("топ") and every other character survive."""
        value = self.raw(field)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return unicodedata.normalize("NFC", str(value)).strip()

    def where(self, field: str) -> str:
        cell = self.cells.get(field)
        return cell.coordinate if cell else f"dòng {self.row_number}"


class Checker:
    """Collects problems for one file."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, sheet: str, cell: str, reason_vi: str) -> None:
        self.problems.append(Problem(self.file, sheet, cell, reason_vi))

    def at(self, row: Row, field: str, reason_vi: str) -> None:
        self.add(row.sheet, row.where(field), reason_vi)

    # --- structure -------------------------------------------------------

    def rows(self, raw: RawSheet | None, spec: Sheet, *, optional: bool = False) -> list[Row]:
        if raw is None:
            if not optional:
                self.add(spec.name, "", f"Thiếu trang '{spec.name}'.")
            return []
        positions = self._header_positions(raw, spec)
        if positions is None:
            return []
        result = []
        for row_number, cells in raw.rows:
            mapped = {field: cells[i] for field, i in positions.items() if i < len(cells)}
            result.append(Row(self.file, spec.name, row_number, mapped))
        return result

    def _header_positions(self, raw: RawSheet, spec: Sheet) -> dict[str, int] | None:
        found = {}
        for index, cell in enumerate(raw.headers):
            if isinstance(cell.value, str):
                found.setdefault(normalise_text(cell.value), index)
        positions = {}
        missing = []
        for column in spec.columns:
            index = found.get(column.header)
            if index is None:
                if column.required:
                    missing.append(column.header)
            else:
                positions[column.field] = index
        for header in missing:
            self.add(spec.name, "dòng 1", f"Thiếu cột bắt buộc '{header}'.")
        return None if missing else positions

    # --- cells -----------------------------------------------------------

    def required_text(self, row: Row, field: str, header: str) -> str:
        text = row.text(field)
        if not text:
            self.at(row, field, f"Cột '{header}' không được để trống.")
        return text

    def required_verbatim(self, row: Row, field: str, header: str) -> str:
        text = row.verbatim(field)
        if not text:
            self.at(row, field, f"Cột '{header}' không được để trống.")
        return text

    def number(self, row: Row, field: str, header: str, convention: str | None) -> float | None:
        """A numeric cell: a real number, or empty.  Text is refused, with a hint."""
        value = row.raw(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
            self.at(row, field, f"Cột '{header}' phải là số, nhưng ô chứa '{value}'.")
            return None
        if isinstance(value, (int, float)):
            return float(value)
        hint = ""
        if convention:
            try:
                guess = parse_number(str(value), convention)
                hint = (f" Nếu ý là {format_number_vi(guess)} thì hãy nhập dạng số "
                        "(không gõ dấu chấm/phẩy như chữ).")
            except ParseError:
                pass
        self.at(row, field, f"Cột '{header}' phải là số, nhưng ô chứa chữ '{value}'.{hint}")
        return None

    def period(self, row: Row, field: str, expected_year: int | None) -> Period | None:
        value = row.raw(field)
        if value is None or value == "":
            self.at(row, field, "Thiếu kỳ báo cáo.")
            return None
        try:
            return parse_period(value, expected_year=expected_year)
        except ParseError as exc:
            self.at(row, field, exc.message_vi)
            return None

    def date(self, row: Row, field: str, header: str) -> dt.date | None:
        """An optional date cell: an Excel date, or text written dd/mm/yyyy."""
        value = row.raw(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
        except ValueError:
            self.at(row, field, f"Cột '{header}' phải là ngày dạng dd/mm/yyyy, nhưng ô chứa "
                                f"'{value}'.")
            return None

    def code(self, row: Row, field: str, allowed: Iterable[str], what_vi: str) -> str | None:
        code = row.text(field)
        if not code:
            self.at(row, field, f"Thiếu {what_vi}.")
            return None
        if code not in allowed:
            self.at(row, field, f"{what_vi.capitalize()} '{code}' không có trong danh mục.")
            return None
        return code

    def no_duplicates(self, rows: list[tuple[tuple, Row]], field: str, what_vi: str) -> None:
        first_seen: dict[tuple, Row] = {}
        for key, row in rows:
            if key in first_seen:
                earlier = first_seen[key]
                self.at(row, field,
                        f"Trùng dòng: {what_vi} {' / '.join(map(str, key))} đã có ở dòng "
                        f"{earlier.row_number}; giữ một dòng hoặc sửa kỳ/mã.")
            else:
                first_seen[key] = row
