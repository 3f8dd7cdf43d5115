"""Validate raw sheets against the template: sheets, columns, required cells,
types, codes, periods, duplicates, and what a sheet hides.

Every check appends a `Problem` (file, sheet, cell, Vietnamese reason) rather
than stopping at the first one, so a user fixes a workbook in one pass.
Nothing the template does not know is skipped silently: an unknown sheet or
column, a hidden row, a merged cell is refused, with the closest known name
as a hint where there is one.  The output is a list of `Row`s whose cells are
typed but not yet converted.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from etl.problems import Problem
from etl.read import RawCell, RawSheet, RawWorkbook, column_letter, sheet_key
from wardplan.rules.numbers import ParseError, format_number_vi, parse_number
from wardplan.rules.periods import Period, parse_period
from wardplan.rules.template import GUIDE_SHEET, WARD_INFO, Sheet
from wardplan.rules.text import fold, normalise_text


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


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name `name` was most likely meant to be (diacritics and case ignored)."""
    by_fold = {fold(k): k for k in known}
    match = difflib.get_close_matches(fold(name), list(by_fold), n=1, cutoff=0.6)
    return by_fold[match[0]] if match else None


def _hint(name: str, known: Iterable[str]) -> str:
    guess = closest(name, known)
    return f" Có phải là '{guess}'?" if guess else ""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Checker:
    """Collects problems for one file."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        # Cells already reported as empty: one message per empty cell.
        self._empty: set[tuple[str, str]] = set()

    def add(self, sheet: str, cell: str, reason_vi: str) -> None:
        if (sheet, cell) not in self._empty:
            self.problems.append(Problem(self.file, sheet, cell, reason_vi))

    def at(self, row: Row, field: str, reason_vi: str) -> None:
        self.add(row.sheet, row.where(field), reason_vi)

    # --- structure -------------------------------------------------------

    def sheets(self, raw: RawWorkbook, specs: Iterable[Sheet]) -> None:
        """Every sheet must be one the template knows, visible, and a worksheet."""
        known = {sheet_key(s.name): s.name for s in specs}
        for name in raw.sheet_names:
            key = sheet_key(name)
            if key == sheet_key(GUIDE_SHEET):
                continue
            if key not in known:
                self.add(name, "", f"Trang '{name}' không có trong mẫu nên không được đọc."
                         f"{_hint(name, known.values())} Hãy đổi tên cho đúng hoặc xóa trang.")
            elif key not in raw.sheets:
                self.add(name, "", "Trang này không phải là bảng tính (ví dụ trang biểu đồ); "
                         "hãy chép số liệu sang một trang bảng tính.")
            elif raw.sheets[key].layout.hidden:
                self.add(name, "", "Trang đang bị ẩn: hãy bỏ ẩn và kiểm tra lại, hoặc xóa hẳn "
                         "nếu không dùng nữa.")

    def rows(self, raw: RawSheet | None, spec: Sheet, *, optional: bool = False) -> list[Row]:
        if raw is None:
            if not optional:
                self.add(spec.name, "", f"Thiếu trang '{spec.name}'.")
            return []
        self._hidden_and_merged(raw, spec)
        positions = self._header_positions(raw, spec)
        if positions is None:
            return []
        result = []
        for row_number, cells in raw.rows:
            mapped = {field: cells[i] for field, i in positions.items() if i < len(cells)}
            row = Row(self.file, spec.name, row_number, mapped)
            self._required_cells(row, spec)
            result.append(row)
        return result

    def _hidden_and_merged(self, raw: RawSheet, spec: Sheet) -> None:
        """What staff hid, merged, left uncalculated or broken would be read wrong: refuse it."""
        layout = raw.layout
        every_row = [(1, raw.headers), *raw.rows]
        for row_number, cells in every_row:
            if row_number in layout.hidden_rows and any(not _blank(c.value) for c in cells):
                self.add(spec.name, f"dòng {row_number}", f"Dòng {row_number} đang bị ẩn: hãy bỏ "
                         "ẩn và kiểm tra (hoặc xóa hẳn dòng nếu không dùng nữa); bộ lọc cũng ẩn dòng.")
        filled = {i for _, cells in every_row for i, c in enumerate(cells, start=1)
                  if not _blank(c.value)}
        for column in sorted(filled):
            if layout.column_hidden(column):
                letter = column_letter(column)
                self.add(spec.name, f"cột {letter}", f"Cột {letter} đang bị ẩn: hãy bỏ ẩn và "
                         "kiểm tra, hoặc xóa hẳn cột nếu không dùng nữa.")
        for reference in layout.merged:
            self.add(spec.name, reference, f"Ô gộp {reference}: chỉ ô đầu có giá trị nên các "
                     "dòng khác sẽ bị đọc là trống; hãy bỏ gộp và điền giá trị vào từng ô.")
        for cell in layout.uncalculated:
            self.add(spec.name, cell, "Ô chứa công thức chưa có giá trị tính sẵn; hãy mở tệp bằng Excel "
                     "để tính rồi lưu lại, hoặc nhập số trực tiếp.")
        for cell in layout.errors:
            self.add(spec.name, cell, "Ô chứa lỗi của Excel (ví dụ #DIV/0!, #N/A); hãy sửa công "
                     "thức hoặc nhập giá trị trực tiếp.")

    def _header_positions(self, raw: RawSheet, spec: Sheet) -> dict[str, int] | None:
        known = {column.header for column in spec.columns}
        found: dict[str, int] = {}
        for index, cell in enumerate(raw.headers):
            if _blank(cell.value):
                continue
            header = normalise_text(str(cell.value))
            if header in found:
                self.add(spec.name, cell.coordinate, f"Cột '{header}' xuất hiện hai lần; "
                         "giữ một cột.")
            elif header not in known:
                self.add(spec.name, cell.coordinate, f"Cột '{header}' không có trong mẫu của trang "
                         f"'{spec.name}' nên không được đọc.{_hint(header, known)}")
            found.setdefault(header, index)
        self._data_without_header(raw, spec)
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

    def _data_without_header(self, raw: RawSheet, spec: Sheet) -> None:
        untitled = {i for i, cell in enumerate(raw.headers) if _blank(cell.value)}
        reported = set()
        for _, cells in raw.rows:
            for index, cell in enumerate(cells):
                if index in untitled and index not in reported and not _blank(cell.value):
                    reported.add(index)
                    self.add(spec.name, cell.coordinate, "Ô có dữ liệu nhưng cột không có tiêu "
                             "đề nên không được đọc; hãy thêm tiêu đề theo mẫu hoặc xóa dữ liệu.")

    def _required_cells(self, row: Row, spec: Sheet) -> None:
        for column in spec.columns:
            if column.required and not column.only_with_figure and not row.text(column.field):
                self.at(row, column.field, f"Cột '{column.header}' không được để trống.")
                self._empty.add((row.sheet, row.where(column.field)))

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
        if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime, dt.time)):
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
        if isinstance(value, (dt.date, dt.datetime, dt.time)):
            # Excel turns a typed '2026-03' into 1 March 2026; a guess would be silent.
            self.at(row, field, _date_as_period(value))
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

    def info_keys(self, rows: list[Row], known: Iterable[str]) -> None:
        """Each 'Thông tin' item once, and only items the template knows."""
        known = list(known)
        seen: dict[str, Row] = {}
        for row in rows:
            key = row.text("key")
            if key in seen:
                self.at(row, "key", f"Mục '{key}' đã có ở dòng {seen[key].row_number}; giữ một dòng.")
            elif key not in known:
                self.at(row, "key", f"Mục '{key}' không có trong mẫu.{_hint(key, known)}")
            seen.setdefault(key, row)

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


def _date_as_period(value: dt.date | dt.time) -> str:
    if isinstance(value, dt.time):
        return ("Kỳ báo cáo là một giờ, không phải mã kỳ; hãy định dạng ô là Văn bản (Text) "
                "rồi gõ mã kỳ, ví dụ '2026-03', '2026-Q1' hoặc '2026'.")
    return (f"Kỳ báo cáo là một ngày ({value:%d/%m/%Y}), không phải mã kỳ: Excel tự đổi chữ như "
            f"'{value.year}-{value.month:02d}' thành ngày. Hãy định dạng ô là Văn bản (Text) rồi "
            f"gõ lại mã kỳ, ví dụ '{value.year}-{value.month:02d}', '{value.year}-Q1' hoặc "
            f"'{value.year}'.")


def info_cell(raw: RawWorkbook, label: str) -> str:
    """The cell holding the value of item `label` in the 'Thông tin' sheet ('' if none)."""
    rows = Checker("").rows(raw.sheets.get(sheet_key(WARD_INFO.name)), WARD_INFO)
    return next((row.where("value") for row in rows if row.text("key") == label), "")
