"""Read a workbook safely into plain rows, keeping each cell's address.

Workbooks come from ward staff, so a file may be anything: not a workbook,
encrypted, a zip bomb, corrupt, or full of formulas, hidden rows and merged
cells.  Everything here either returns rows or raises `FileRejected` with a
Vietnamese reason (the English detail goes to the log); nothing is loaded yet.

Two passes per sheet.  A streaming look at the sheet XML (defusedxml) finds
what the values alone do not show: hidden rows and columns, merged cells,
formulas without a computed value, and the real extent of the data, which
never depends on the `<dimension>` the file declares (openpyxl's read-only
mode trusts it, so values are read within the bounds the scan found).  Then
openpyxl reads the values, decoding shared strings, dates and rich text as
Excel does.
"""

from __future__ import annotations

import hashlib
import logging
import posixpath
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml.ElementTree import iterparse
from defusedxml.ElementTree import parse as parse_xml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple

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


@dataclass(frozen=True)
class RawCell:
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


def read_workbook(path: Path) -> RawWorkbook:
    try:
        return _read_workbook(path)
    except FileRejected:
        raise
    except OSError as exc:
        log.warning("%s: cannot read: %r", path.name, exc)
        raise FileRejected("Không đọc được tệp (không có quyền đọc, hoặc tệp đang bị chương "
                           "trình khác khóa).") from exc
    except Exception as exc:
        # A hostile file can make the zip, XML and workbook readers raise
        # almost anything; each one becomes the same plain refusal.
        log.warning("%s: unreadable workbook: %r", path.name, exc, exc_info=True)
        raise FileRejected(UNREADABLE_VI) from exc


def _read_workbook(path: Path) -> RawWorkbook:
    check_container(path)
    with zipfile.ZipFile(path) as archive:
        parts = _sheet_parts(archive)
        layouts = {name: _layout(archive, name, part, hidden)
                   for name, (part, hidden) in parts.items() if part}
    sheets: dict[str, RawSheet] = {}
    # A file object: openpyxl refuses a path whose extension is not its own (a staged '.partial').
    with path.open("rb") as stream:
        workbook = _open(stream, path.name)
        try:
            for ws in workbook.worksheets:
                key = sheet_key(ws.title)
                if key in sheets:
                    raise FileRejected(f"Có hai trang cùng tên '{key}' (chỉ khác dấu cách hoặc "
                                       "cách mã hóa chữ); hãy đổi tên hoặc xóa một trang.", ws.title)
                sheets[key] = _read_sheet(ws, layouts.get(ws.title, SheetLayout()))
        finally:
            workbook.close()
    return RawWorkbook(path=path, sha256=sha256_of(path), size_bytes=path.stat().st_size,
                       sheets=sheets, sheet_names=list(parts))


def _open(stream, name: str):
    try:
        with warnings.catch_warnings():
            # openpyxl warns about data validation and other features it ignores.
            warnings.simplefilter("ignore")
            return load_workbook(stream, read_only=True, data_only=True)
    except ValueError as exc:
        # defusedxml turns entity bombs and external entities into ValueError.
        log.warning("%s: unsafe or broken XML: %r", name, exc)
        raise FileRejected("Sổ tính chứa cấu trúc XML không an toàn hoặc hỏng; không đọc.") from exc


# --- the look at the sheet XML ------------------------------------------------------

def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, tuple[str | None, bool]]:
    """Every sheet's name → (its worksheet XML part, or None for a chart sheet; hidden?)."""
    targets = {}
    for rel in parse_xml(archive.open("xl/_rels/workbook.xml.rels")).getroot():
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        if rel.get("Type", "").endswith("/worksheet"):
            targets[rel.get("Id")] = part
    parts = {}
    for element in parse_xml(archive.open("xl/workbook.xml")).getroot().iter():
        if _local(element.tag) == "sheet":
            hidden = element.get("state", "visible") != "visible"
            parts[element.get("name", "")] = (targets.get(element.get(_RELATIONSHIP_ID)), hidden)
    return parts


_CORRUPT = (zlib.error, zipfile.BadZipFile, EOFError)


def _layout(archive: zipfile.ZipFile, name: str, part: str, hidden: bool) -> SheetLayout:
    try:
        with archive.open(part) as stream:
            return _scan_sheet(stream, name, hidden)
    except ParseError as exc:
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


def _scan_sheet(stream, name: str, hidden: bool) -> SheetLayout:
    hidden_rows: set[int] = set()
    hidden_columns, merged, uncalculated, errors = [], [], [], []
    row = column = last_row = last_column = 0
    for event, element in iterparse(stream, events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "row":
                number = int(element.get("r") or row + 1)
                if number <= row:
                    raise _out_of_order(name, f"dòng {number}")
                row, column = number, 0
                if _hidden_row(element):
                    hidden_rows.add(row)
            continue
        if tag == "c":
            reference = element.get("r")
            cell_row, cell_column = coordinate_to_tuple(reference) if reference else (row, column + 1)
            if cell_row != row or cell_column <= column:
                raise _out_of_order(name, reference or f"dòng {row}")
            column = cell_column
            children = {_local(child.tag): child for child in element}
            has_value = "is" in children or bool(getattr(children.get("v"), "text", None))
            coordinate = f"{get_column_letter(column)}{row}"
            if "f" in children and not has_value:
                uncalculated.append(coordinate)
            if element.get("t") == "e":
                errors.append(coordinate)
            if has_value:
                last_row, last_column = max(last_row, row), max(last_column, column)
            element.clear()
        elif tag == "row":
            element.clear()
        elif tag == "col" and (element.get("hidden") in _TRUE or element.get("width") in ("0", "0.0")):
            hidden_columns.append((int(element.get("min")), int(element.get("max"))))
        elif tag == "mergeCell":
            merged.append(element.get("ref", ""))
    return SheetLayout(hidden, frozenset(hidden_rows), tuple(hidden_columns), tuple(merged),
                       tuple(uncalculated), tuple(errors), last_row, last_column)


def _hidden_row(element) -> bool:
    zero_height = element.get("customHeight") in _TRUE and element.get("ht") in ("0", "0.0")
    return element.get("hidden") in _TRUE or zero_height


def _out_of_order(name: str, where: str) -> FileRejected:
    return FileRejected("Cấu trúc trang bị hỏng (dòng hoặc ô không theo thứ tự, có thể do "
                        "chương trình khác Excel tạo ra); hãy mở bằng Excel, lưu lại rồi nạp lại.",
                        name, where)


# --- the values ---------------------------------------------------------------------

def _read_sheet(ws, layout: SheetLayout) -> RawSheet:
    if layout.last_row > MAX_ROWS_PER_SHEET:
        raise FileRejected(f"Trang có dữ liệu đến dòng {layout.last_row}, quá giới hạn "
                           f"{MAX_ROWS_PER_SHEET} dòng.", ws.title)
    if layout.last_column > MAX_COLUMNS:
        raise FileRejected(f"Trang có dữ liệu ở cột {get_column_letter(layout.last_column)}, "
                           f"ngoài {MAX_COLUMNS} cột của mẫu.", ws.title)
    sheet = RawSheet(ws.title, [], layout=layout)
    if layout.last_row == 0:
        return sheet
    # Explicit bounds from the scan: read-only openpyxl would otherwise take
    # them from the <dimension> the file declares.
    rows = ws.iter_rows(min_row=1, max_row=layout.last_row, min_col=1,
                        max_col=layout.last_column, values_only=True)
    for row_number, values in enumerate(rows, start=1):
        cells = [RawCell(v, f"{get_column_letter(i)}{row_number}")
                 for i, v in enumerate(values, start=1)]
        if row_number == 1:
            sheet.headers = cells
        elif any(not _blank(c.value) for c in cells):
            sheet.rows.append((row_number, cells))
    return sheet


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
