"""Read a workbook safely into plain rows, keeping each cell's address.

Workbooks come from ward staff, so a file may be anything: not a workbook,
encrypted, a zip bomb, or full of formulas.  Everything here either returns
rows or raises `FileRejected` with a Vietnamese reason; nothing is loaded yet.
"""

from __future__ import annotations

import hashlib
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ROWS_PER_SHEET = 20_000
MAX_COLUMNS = 60
# Encrypted OOXML and legacy .xls files are OLE compound documents.
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


class FileRejected(Exception):
    def __init__(self, reason_vi: str):
        self.reason_vi = reason_vi
        super().__init__(reason_vi)


@dataclass(frozen=True)
class RawCell:
    value: object
    coordinate: str


@dataclass
class RawSheet:
    name: str
    headers: list[RawCell]
    rows: list[tuple[int, list[RawCell]]] = field(default_factory=list)


@dataclass
class RawWorkbook:
    path: Path
    sha256: str
    size_bytes: int
    sheets: dict[str, RawSheet]


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
        raise FileRejected(f"Tệp .xlsx bị hỏng: {exc}.") from exc
    if "xl/workbook.xml" not in names:
        raise FileRejected("Tệp nén không chứa sổ tính Excel (thiếu xl/workbook.xml).")
    uncompressed = sum(i.file_size for i in infos)
    compressed = max(1, sum(i.compress_size for i in infos))
    if uncompressed > MAX_UNCOMPRESSED_BYTES or uncompressed / compressed > MAX_COMPRESSION_RATIO:
        raise FileRejected(
            f"Tệp giải nén ra {uncompressed // 1024 // 1024} MB (tỷ lệ nén "
            f"{uncompressed / compressed:.0f}:1): nghi là tệp nén độc hại, không đọc.")


def _open(path: Path, data_only: bool):
    try:
        with warnings.catch_warnings():
            # openpyxl warns about data validation and other features it ignores.
            warnings.simplefilter("ignore")
            return load_workbook(path, read_only=True, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise FileRejected(f"Không mở được sổ tính: {exc}.") from exc
    except ValueError as exc:
        # defusedxml turns entity bombs and external entities into ValueError.
        raise FileRejected(f"Sổ tính chứa cấu trúc XML không an toàn hoặc hỏng: {exc}.") from exc


def _has_formulas(path: Path) -> bool:
    """A cheap look at the sheet XML, so the second, formula-reading parse only
    runs for the rare workbook that has formulas at all."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as sheet:
                    for chunk in iter(lambda: sheet.read(1 << 20), b""):
                        if b"<f>" in chunk or b"<f " in chunk or b":f>" in chunk:
                            return True
    return False


def _formula_cells(path: Path) -> set[tuple[str, str]]:
    if not _has_formulas(path):
        return set()
    workbook = _open(path, data_only=False)
    try:
        found = set()
        for ws in workbook.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        found.add((ws.title, cell.coordinate))
        return found
    finally:
        workbook.close()


def read_workbook(path: Path) -> RawWorkbook:
    check_container(path)
    formulas = _formula_cells(path)
    workbook = _open(path, data_only=True)
    sheets: dict[str, RawSheet] = {}
    try:
        for ws in workbook.worksheets:
            sheets[ws.title] = _read_sheet(ws, formulas)
    finally:
        workbook.close()
    return RawWorkbook(path=path, sha256=sha256_of(path), size_bytes=path.stat().st_size,
                       sheets=sheets)


def _read_sheet(ws, formulas: set[tuple[str, str]]) -> RawSheet:
    sheet: RawSheet | None = None
    rows = ws.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
    for row_number, values in enumerate(rows, start=1):
        if row_number > MAX_ROWS_PER_SHEET:
            raise FileRejected(f"Trang '{ws.title}' có quá {MAX_ROWS_PER_SHEET} dòng.")
        cells = [RawCell(v, f"{get_column_letter(i)}{row_number}")
                 for i, v in enumerate(values, start=1)]
        for cell in cells:
            if cell.value is None and (ws.title, cell.coordinate) in formulas:
                raise FileRejected(
                    f"Trang '{ws.title}', ô {cell.coordinate}: công thức chưa có giá trị tính sẵn; "
                    "hãy mở tệp bằng Excel để tính rồi lưu lại, hoặc nhập số trực tiếp.")
        if sheet is None:
            sheet = RawSheet(ws.title, cells)
        elif any(not _blank(c.value) for c in cells):
            sheet.rows.append((row_number, cells))
    return sheet or RawSheet(ws.title, [])


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
