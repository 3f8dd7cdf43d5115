"""Broken copies of the bundled workbooks, and the state checks the ETL tests share.

Workbooks are edited the way a ward's staff would break them (with openpyxl)
or the way a damaged or hostile file is broken (by rewriting the zip's XML or
its compressed bytes).
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
from openpyxl import load_workbook

from etl import read

ROOT = Path(__file__).resolve().parent.parent
PHU_LIEN = "wards/2026/phu_lien.xlsx"


def copy_data(target: Path) -> Path:
    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("README.md"))
    return target


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden ones too) with its hash: equal means byte-identical."""
    return {p.relative_to(folder).as_posix(): digest(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def query(db: Path, sql: str, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def edit_workbook(path: Path, sheet: str, edit: Callable) -> None:
    wb = load_workbook(path)
    edit(wb[sheet])
    wb.save(path)


def edit_book(path: Path, edit: Callable) -> None:
    wb = load_workbook(path)
    edit(wb)
    wb.save(path)


def column_of(ws, header: str) -> int:
    for cell in ws[1]:
        if cell.value == header:
            return cell.column
    raise KeyError(header)


def find_row(ws, **match) -> int:
    columns = {header: column_of(ws, header) for header in match}
    for row in range(2, ws.max_row + 1):
        if all(str(ws.cell(row, columns[h]).value) == str(v) for h, v in match.items()):
            return row
    raise LookupError(match)


def sheet_part(path: Path, sheet: str) -> str:
    """The zip member holding `sheet`'s XML."""
    with zipfile.ZipFile(path) as archive:
        return read._sheet_parts(archive)[0][sheet][0]


def rewrite_part(path: Path, part: str, edit: Callable[[bytes], bytes]) -> None:
    """Rewrite one zip member's bytes, keeping every other member as it was."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, edit(data) if info.filename == part else data)


def corrupt_compressed_bytes(path: Path, part: str) -> None:
    """Damage the deflate stream of one member in place; the zip directory stays valid."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    raw = bytearray(path.read_bytes())
    name_length = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little")
    extra_length = int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    middle = start + info.compress_size // 2
    raw[middle:middle + 16] = bytes(b ^ 0xA5 for b in raw[middle:middle + 16])
    path.write_bytes(bytes(raw))


def filled_report(template: bytes, figures: dict[str, object], *, doc_number: str = "150/BC-UBND",
                  doc_date: str = "08/05/2026", texts: dict[str, str] | None = None,
                  verdicts: dict[str, str] | None = None) -> bytes:
    """A downloaded report template filled in as a ward's staff would: a figure per
    indicator code (typed as a number), optional verbatim texts and verdicts, and the
    report document's number and date."""
    import io

    book = load_workbook(io.BytesIO(template))
    ws = book["Báo cáo"]
    code = column_of(ws, "Mã chỉ tiêu")
    for row in range(2, ws.max_row + 1):
        indicator = ws.cell(row, code).value
        if indicator in figures:
            ws.cell(row, column_of(ws, "Giá trị")).value = figures[indicator]
        if texts and indicator in texts:
            ws.cell(row, column_of(ws, "Nguyên văn")).value = texts[indicator]
        if verdicts and indicator in verdicts:
            ws.cell(row, column_of(ws, "Đánh giá của phường")).value = verdicts[indicator]
    info = book["Thông tin"]
    for row in info.iter_rows(min_row=2):
        if row[0].value == "Số hiệu văn bản":
            row[1].value = doc_number
        elif row[0].value == "Ngày văn bản":
            row[1].value = doc_date
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
