"""Read a workbook safely into plain rows, keeping each cell's address.

Workbooks come from ward staff, so a file may be anything: not a workbook,
encrypted, a zip bomb, corrupt, or full of formulas, hidden rows and merged
cells.  Everything here either returns rows or raises `FileRejected` with a
Vietnamese reason (the English detail goes to the log); nothing is loaded yet.

Two passes per sheet.  A streaming look at the sheet XML (expat, with the
entity declarations defusedxml forbids refused the same way) finds what the
values alone do not show: hidden rows and columns, merged cells, formulas
without a computed value, Excel error cells, cells out of order, and the
real extent of the data, which never depends on the `<dimension>` the file
declares.  Then python-calamine reads the values within that extent,
decoding shared strings, dates and rich text as Excel does, about fifteen
times faster than openpyxl (shared/STACK.md); `_as_read` gives each value
the type openpyxl gave it, which the messages and the checks were written
against.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import logging
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from xml.parsers import expat

from defusedxml import EntitiesForbidden
from defusedxml.ElementTree import parse as parse_xml
from python_calamine import CalamineWorkbook

from etl.memo import Kept
from wardplan.rules.text import normalise_text

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ROWS_PER_SHEET = 20_000
MAX_COLUMNS = 60
# Encrypted OOXML and legacy .xls files are OLE compound documents.
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_TRUE = ("1", "true")

UNREADABLE_VI = ("Không đọc được sổ tính: tệp bị hỏng hoặc không đúng định dạng Excel (.xlsx). "
                 "Hãy mở tệp bằng Excel, lưu lại dưới dạng .xlsx rồi nạp lại.")

log = logging.getLogger(__name__)


class FileRejected(Exception):
    def __init__(self, reason_vi: str, sheet: str = "", cell: str = ""):
        self.reason_vi = reason_vi
        self.sheet = sheet
        self.cell = cell
        super().__init__(reason_vi)


class RawCell(NamedTuple):
    # A tuple: a city's build makes half a million of them.
    value: object
    coordinate: str


@dataclass(frozen=True)
class SheetLayout:
    """What a sheet's values alone do not show."""

    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: tuple[tuple[int, int], ...] = ()  # (first, last) column numbers
    merged: tuple[str, ...] = ()
    uncalculated: tuple[str, ...] = ()  # formula cells with no computed value
    errors: tuple[str, ...] = ()  # cells holding an Excel error (#DIV/0!, #N/A, …)
    last_row: int = 0  # of the cells holding a value
    last_column: int = 0

    def column_hidden(self, column: int) -> bool:
        return any(first <= column <= last for first, last in self.hidden_columns)


@dataclass
class RawSheet:
    name: str
    headers: list[RawCell]
    rows: list[tuple[int, list[RawCell]]] = field(default_factory=list)
    layout: SheetLayout = SheetLayout()


@dataclass
class RawWorkbook:
    path: Path
    sha256: str
    size_bytes: int
    sheets: dict[str, RawSheet]  # worksheets, keyed by their normalised name
    sheet_names: list[str] = field(default_factory=list)  # every sheet, charts included


def column_letter(number: int) -> str:
    """1 → 'A', 27 → 'AA': a column's name, as openpyxl's get_column_letter gives it (the
    ETL does not import openpyxl: it is a sixth of a submission's start-up)."""
    if not 1 <= number <= _LAST_COLUMN:
        raise ValueError(f"invalid column index {number}")
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


_LAST_COLUMN = 18278  # ZZZ


@functools.lru_cache(maxsize=1 << 16)
def _row_and_column(reference: str) -> tuple[int, int]:
    """A cell reference ('B12') as (row, column), read as openpyxl's coordinate_to_tuple
    reads it, so a file refused (or not) before still is."""
    # 760.000 references in a city's year of reports, nearly all of the same few thousand
    # (every ward's sheets start at A1): kept, and the common form takes a shortcut.
    plain = _PLAIN_REFERENCE.fullmatch(reference)
    if plain:
        letters, digits = plain.groups()
        column = _COLUMNS.get(letters)
        if column is None:
            column = _COLUMNS[letters] = _column_index(letters)
        return int(digits), column
    index = 0
    for index, char in enumerate(reference):  # noqa: B007 (the first digit's index is wanted)
        if char in "0123456789":
            break
    return int(reference[index:]), _column_index(reference[:index])


_PLAIN_REFERENCE = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_COLUMNS: dict[str, int] = {}


def _column_index(letters: str) -> int:
    if len(letters) > 3:
        raise ValueError(f"invalid column name {letters!r}")
    number = 0
    for letter, power in zip(reversed(letters.upper()), (1, 26, 676), strict=False):
        if not ("A" <= letter <= "Z" and len(letter) == 1):
            raise ValueError(f"invalid column name {letters!r}")
        number += (ord(letter) - ord("A") + 1) * power
    if not 0 < number <= _LAST_COLUMN:
        raise ValueError(f"invalid column name {letters!r}")
    return number


def sheet_key(name: str) -> str:
    """How a sheet is looked up: 'Thực hiện ' and an NFD-encoded 'Thực hiện' are the same sheet."""
    return normalise_text(name)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_container(path: Path) -> None:
    """Reject files that are not a plain, reasonably sized .xlsx before parsing."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRejected(f"Tệp quá lớn ({size / 1024 / 1024:.1f} MB, tối đa "
                           f"{MAX_FILE_BYTES / 1024 / 1024:.0f} MB).")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        raise FileRejected("Tệp được đặt mật khẩu (mã hóa) hoặc là định dạng .xls cũ; "
                           "hãy bỏ mật khẩu và lưu lại dưới dạng .xlsx.")
    if not zipfile.is_zipfile(path):
        raise FileRejected("Tệp không phải là sổ tính Excel .xlsx hợp lệ (hỏng hoặc sai định dạng).")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
    except zipfile.BadZipFile as exc:
        log.warning("%s: bad zip: %s", path.name, exc)
        raise FileRejected("Tệp .xlsx bị hỏng (cấu trúc nén không đọc được).") from exc
    if "xl/workbook.xml" not in names:
        raise FileRejected("Tệp nén không chứa sổ tính Excel (thiếu xl/workbook.xml).")
    uncompressed = sum(i.file_size for i in infos)
    compressed = max(1, sum(i.compress_size for i in infos))
    if uncompressed > MAX_UNCOMPRESSED_BYTES or uncompressed / compressed > MAX_COMPRESSION_RATIO:
        raise FileRejected(
            f"Tệp giải nén ra {uncompressed // 1024 // 1024} MB (tỷ lệ nén "
            f"{uncompressed / compressed:.0f}:1): nghi là tệp nén độc hại, không đọc.")


def read_workbook(path: Path, sheets: frozenset[str] | None = None) -> RawWorkbook:
    """The workbook's worksheets, or only those whose keys (`sheet_key`) are in `sheets`."""
    try:
        return _read_workbook(path, sheets)
    except FileRejected:
        raise
    except FileNotFoundError as exc:
        raise FileRejected("Không tìm thấy tệp (đã bị xóa hoặc chuyển đi).") from exc
    except OSError as exc:
        log.warning("%s: cannot read: %r", path.name, exc)
        raise FileRejected("Không đọc được tệp (không có quyền đọc, hoặc tệp đang bị chương "
                           "trình khác khóa).") from exc
    except Exception as exc:
        # A hostile file can make the zip, XML and workbook readers raise
        # almost anything; each one becomes the same plain refusal.
        log.warning("%s: unreadable workbook: %r", path.name, exc, exc_info=True)
        raise FileRejected(UNREADABLE_VI) from exc


def _read_workbook(path: Path, sheets: frozenset[str] | None) -> RawWorkbook:
    check_container(path)
    sha256 = sha256_of(path)
    for held in ((sha256, sheets), (sha256, None)):  # a whole read holds every part one
        kept = _READ.get(held)
        if kept is not None:
            return dataclasses.replace(kept, path=path, sheets={
                k: sheet for k, sheet in kept.sheets.items() if sheets is None or k in sheets})
    raw = _parsed(path, sha256, sheets)
    if sha256_of(path) != sha256:
        raise FileRejected("Tệp đã thay đổi trong khi đang được đọc (có người đang sửa hoặc "
                           "chép đè lên tệp); hãy đợi sửa xong rồi nạp lại.")
    if _cells(raw) <= _READ_MOST_CELLS:
        _READ.put((sha256, sheets), raw)
    return raw


# The last workbooks read, by content: a submission's file is read to learn whose it is,
# then with its ward's, once when it is checked and again when it is published, and the
# catalogue each time (a fifth of a submission's wall time at 114 units).  Shared by the
# server's session threads: what is read is never modified.  A few, not a city's build,
# and none bigger than a ward's workbook many times over: an upload of 20.000 rows × 60
# columns, refused later, would otherwise stay held (about 600 MB).
_READ: Kept[RawWorkbook] = Kept(8)  # by (sha256, sheets)
_READ_MOST_CELLS = 50_000  # a ward's workbook at 114 units: about 5.000


def _cells(raw: RawWorkbook) -> int:
    return sum(len(sheet.headers) + sum(len(cells) for _, cells in sheet.rows)
               for sheet in raw.sheets.values())


def _parsed(path: Path, sha256: str, sheets: frozenset[str] | None) -> RawWorkbook:
    with zipfile.ZipFile(path) as archive:
        parts, others = _sheet_parts(archive)
        layouts = {name: _layout(archive, name, part, hidden)
                   for name, (part, hidden) in parts.items()
                   if part and (sheets is None or sheet_key(name) in sheets)}
        for part in others:
            _refuse_entities(archive, part)
    sheets: dict[str, RawSheet] = {}
    # A file object: calamine picks the format from a path's extension (a staged '.partial').
    with path.open("rb") as stream, CalamineWorkbook.from_filelike(stream) as workbook:
        for name, layout in layouts.items():
            key = sheet_key(name)
            if key in sheets:
                raise FileRejected(f"Có hai trang cùng tên '{key}' (chỉ khác dấu cách hoặc "
                                   "cách mã hóa chữ); hãy đổi tên hoặc xóa một trang.", name)
            sheets[key] = _read_sheet(workbook, name, layout)
    return RawWorkbook(path=path, sha256=sha256, size_bytes=path.stat().st_size,
                       sheets=sheets, sheet_names=list(parts))


# --- the look at the sheet XML ------------------------------------------------------

def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_parts(archive: zipfile.ZipFile) -> tuple[dict[str, tuple[str | None, bool]], list[str]]:
    """Every sheet's name → (its worksheet XML part, or None for a chart sheet; hidden?),
    and the workbook's other XML parts calamine reads (shared strings, styles)."""
    targets, others = {}, []
    for rel in parse_xml(archive.open("xl/_rels/workbook.xml.rels")).getroot():
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        if kind == "worksheet":
            targets[rel.get("Id")] = part
        elif kind in _OTHER_PARTS and part in archive.NameToInfo:
            others.append(part)
    parts = {}
    for element in parse_xml(archive.open("xl/workbook.xml")).getroot().iter():
        if _local(element.tag) == "sheet":
            hidden = element.get("state", "visible") != "visible"
            parts[element.get("name", "")] = (targets.get(element.get(_RELATIONSHIP_ID)), hidden)
    return parts, others


# Read by calamine, which expands no entities; openpyxl (through defusedxml) refused an
# entity declared in them, and so does `_refuse_entities`.
_OTHER_PARTS = ("sharedStrings", "styles")


def _safe_parser():
    """An expat parser that refuses what defusedxml refuses: entity declarations, external
    entities (billion laughs, XXE)."""
    parser = expat.ParserCreate(namespace_separator="}")

    def forbid(name, *_):
        raise EntitiesForbidden(name, None, None, None, None, None)
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    return parser


def _refuse_entities(archive: zipfile.ZipFile, part: str) -> None:
    parser = _safe_parser()
    try:
        with archive.open(part) as stream:
            parser.ParseFile(stream)
    except EntitiesForbidden as exc:
        log.warning("%s: entity declared: %r", part, exc)
        raise FileRejected("Sổ tính chứa cấu trúc XML không an toàn hoặc hỏng; không đọc.") from exc
    except expat.ExpatError:
        pass  # broken XML is calamine's to refuse, as it was openpyxl's


_CORRUPT = (zlib.error, zipfile.BadZipFile, EOFError)


def _layout(archive: zipfile.ZipFile, name: str, part: str, hidden: bool) -> SheetLayout:
    try:
        with archive.open(part) as stream:
            return _scan_sheet(stream, name, hidden)
    except expat.ExpatError as exc:
        if _compressed_data_corrupt(archive, part):
            raise _corrupt(name, exc) from exc  # damaged bytes decompressed into garbage
        log.warning("sheet %r: broken XML: %s", name, exc)
        raise FileRejected("Nội dung trang bị hỏng (XML không đọc được, ví dụ ký tự sai mã); "
                           "hãy mở tệp bằng Excel, lưu lại rồi nạp lại.", name) from exc
    except _CORRUPT as exc:
        raise _corrupt(name, exc) from exc


def _compressed_data_corrupt(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a member fails its checksum: reading it whole checks the CRC."""
    try:
        with archive.open(part) as stream:
            while stream.read(1 << 20):
                pass
        return False
    except _CORRUPT:
        return True


def _corrupt(name: str, exc: Exception) -> FileRejected:
    log.warning("sheet %r: corrupt compressed data: %r", name, exc)
    return FileRejected("Tệp .xlsx bị hỏng: dữ liệu nén của trang này không giải nén được; "
                        "hãy mở tệp bằng Excel, lưu lại rồi nạp lại.", name)


class _SheetScan:
    """expat's callbacks over one sheet's XML: every row and cell start and end, in order.

    Callbacks instead of an element tree: a ward's workbook has a few thousand cells, a
    city's build half a million, and building elements was most of the reading time.
    """

    def __init__(self, name: str):
        self.name = name
        self.hidden_rows: set[int] = set()
        self.hidden_columns: list[tuple[int, int]] = []
        self.merged: list[str] = []
        self.uncalculated: list[str] = []
        self.errors: list[str] = []
        self.row = self.column = self.last_row = self.last_column = 0
        self.depth = 0
        self.cell_depth = 0  # the depth of the open cell, 0 outside one
        self.cell: tuple[str, int, int] | None = None  # (reference, row, column) of the open cell
        self.children: set[str] = set()  # the open cell's children: f, is
        self.value_text = False  # the open cell's last <v> has text before any child
        self.in_value = 0  # the depth of an open <v> child of the cell, 0 outside one
        self.roles: dict[str, str] = {}

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        # Called for every element of the sheet (a million at 114 units): locals, not
        # attribute lookups, on the common path.
        self.depth = depth = self.depth + 1
        role = self.roles.get(tag)
        if role is None:
            role = self.roles[tag] = _local(tag)
        in_value = self.in_value
        if in_value > 0 and depth > in_value:
            self.in_value = -in_value  # a child inside <v>: its text no longer counts
        cell_depth = self.cell_depth
        if cell_depth and depth == cell_depth + 1:
            self.children.add(role)
            if role == "v":
                self.value_text, self.in_value = False, depth
                return
        if role == "row":
            number = int(attributes.get("r") or self.row + 1)
            if number <= self.row:
                raise _out_of_order(self.name, f"dòng {number}")
            self.row, self.column = number, 0
            if _hidden_row(attributes):
                self.hidden_rows.add(number)
        elif role == "c":
            reference = attributes.get("r")
            self.cell = (reference, *(_row_and_column(reference) if reference
                                      else (self.row, self.column + 1)))
            self.cell_depth, self.children = self.depth, set()
            self.value_text, self.in_value = False, 0
            self.error = attributes.get("t") == "e"
        elif role == "col" and (attributes.get("hidden") in _TRUE
                                or attributes.get("width") in ("0", "0.0")):
            self.hidden_columns.append((int(attributes.get("min")), int(attributes.get("max"))))
        elif role == "mergeCell":
            self.merged.append(attributes.get("ref", ""))

    def text(self, data: str) -> None:
        if self.in_value > 0 and self.depth == self.in_value and data:
            self.value_text = True

    def end(self, tag: str) -> None:
        depth, in_value = self.depth, self.in_value
        if in_value and depth == abs(in_value):
            self.in_value = 0
        if depth == self.cell_depth:
            self.cell_ends()
        self.depth = depth - 1

    def cell_ends(self) -> None:
        reference, cell_row, cell_column = self.cell
        if cell_row != self.row or cell_column <= self.column:
            raise _out_of_order(self.name, reference or f"dòng {self.row}")
        self.column = cell_column
        has_value = "is" in self.children or self.value_text
        if ("f" in self.children and not has_value) or self.error:
            coordinate = f"{column_letter(cell_column)}{cell_row}"
            if "f" in self.children and not has_value:
                self.uncalculated.append(coordinate)
            if self.error:
                self.errors.append(coordinate)
        if has_value:
            self.last_row, self.last_column = max(self.last_row, cell_row), max(self.last_column, cell_column)
        self.cell_depth = 0


def _scan_sheet(stream, name: str, hidden: bool) -> SheetLayout:
    scan = _SheetScan(name)
    parser = _safe_parser()
    parser.buffer_text = True
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    parser.ParseFile(stream)
    return SheetLayout(hidden, frozenset(scan.hidden_rows), tuple(scan.hidden_columns),
                       tuple(scan.merged), tuple(scan.uncalculated), tuple(scan.errors),
                       scan.last_row, scan.last_column)


def _hidden_row(attributes: dict[str, str]) -> bool:
    zero_height = attributes.get("customHeight") in _TRUE and attributes.get("ht") in ("0", "0.0")
    return attributes.get("hidden") in _TRUE or zero_height


def _out_of_order(name: str, where: str) -> FileRejected:
    return FileRejected("Cấu trúc trang bị hỏng (dòng hoặc ô không theo thứ tự, có thể do "
                        "chương trình khác Excel tạo ra); hãy mở bằng Excel, lưu lại rồi nạp lại.",
                        name, where)


# --- the values ---------------------------------------------------------------------

def _read_sheet(workbook: CalamineWorkbook, name: str, layout: SheetLayout) -> RawSheet:
    if layout.last_row > MAX_ROWS_PER_SHEET:
        raise FileRejected(f"Trang có dữ liệu đến dòng {layout.last_row}, quá giới hạn "
                           f"{MAX_ROWS_PER_SHEET} dòng.", name)
    if layout.last_column > MAX_COLUMNS:
        raise FileRejected(f"Trang có dữ liệu ở cột {column_letter(layout.last_column)}, "
                           f"ngoài {MAX_COLUMNS} cột của mẫu.", name)
    sheet = RawSheet(name, [], layout=layout)
    if layout.last_row == 0:
        return sheet
    width = layout.last_column
    # Within the bounds the scan found: calamine's grid starts at A1 (skip_empty_area off)
    # and ends at its last cell, which may be short of them or, with empty cells, past them.
    grid = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=layout.last_row)
    letters = [column_letter(i) for i in range(1, width + 1)]
    for row_number in range(1, layout.last_row + 1):
        values = grid[row_number - 1] if row_number <= len(grid) else ()
        if row_number > 1 and all(v == "" for v in values[:width]):
            continue  # an empty row: no cells to make
        suffix = str(row_number)
        cells = [RawCell(_as_read(values[i]) if i < len(values) else None, letters[i] + suffix)
                 for i in range(width)]
        if row_number == 1:
            sheet.headers = cells
        elif any(not _blank(c.value) for c in cells):
            sheet.rows.append((row_number, cells))
    return sheet


_EXPONENT_FROM = 1e16


def _as_read(value: object) -> object:
    """A calamine value as openpyxl gave it: no value is None, a whole number an int (as
    openpyxl read a number written without a point or an exponent: Excel writes 1e16 and
    above with one), a date a datetime at midnight."""
    if value == "" and isinstance(value, str):
        return None
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() and abs(value) < _EXPONENT_FROM else value
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
