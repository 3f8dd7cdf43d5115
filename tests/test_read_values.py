"""The workbook reader gives exactly the values openpyxl gave, with openpyxl's types.

etl/read.py reads values with python-calamine (fifteen times faster); the
messages and checks downstream were written against openpyxl's values (an
int for a whole number, a datetime for a date, None for an empty cell).  The
reference here is openpyxl's read-only reader over the bounds the scan
found, as the product read them before: every cell of the bundled
workbooks, of a small synthetic city and of a workbook of every cell type
must come out the same value of the same type at the same address.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from bench import synthetic
from etl import read
from etl.build import build
from etl.normalise import ACTUALS_SHEETS
from etl.problems import BuildFailed
from workbooks import PHU_LIEN, ROOT, rewrite_part, sheet_part


def openpyxl_cells(path: Path) -> dict[str, list[tuple[object, str]]]:
    """Every sheet's cells within the scanned bounds, as openpyxl reads them."""
    raw = read.read_workbook(path)
    book = load_workbook(path, read_only=True, data_only=True)
    cells = {}
    try:
        for ws in book.worksheets:
            layout = raw.sheets[read.sheet_key(ws.title)].layout
            if layout.last_row == 0:
                cells[ws.title] = []
                continue
            rows = ws.iter_rows(min_row=1, max_row=layout.last_row, min_col=1,
                                max_col=layout.last_column, values_only=True)
            cells[ws.title] = [(value, f"{read.column_letter(i)}{r}")
                               for r, values in enumerate(rows, start=1)
                               for i, value in enumerate(values, start=1)
                               if r == 1 or any(not read._blank(v) for v in values)]
    finally:
        book.close()
    return cells


def product_cells(path: Path) -> dict[str, list[tuple[object, str]]]:
    raw = read.read_workbook(path)
    return {sheet.name: [(c.value, c.coordinate) for c in sheet.headers]
            + [(c.value, c.coordinate) for _, row in sheet.rows for c in row]
            for sheet in raw.sheets.values()}


def assert_same_cells(path: Path) -> None:
    expected, found = openpyxl_cells(path), product_cells(path)
    assert list(found) == list(expected)
    for sheet, cells in expected.items():
        typed = [(type(v), v, where) for v, where in cells]
        assert [(type(v), v, where) for v, where in found[sheet]] == typed, f"{path.name} › {sheet}"


@pytest.fixture(scope="module")
def small_city(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("city") / "data"
    synthetic.write(data, units=6)
    return data


def test_bundled_workbooks_read_as_openpyxl_read_them():
    for path in sorted((ROOT / "data").rglob("*.xlsx")):
        assert_same_cells(path)


def test_a_synthetic_city_reads_as_openpyxl_read_it(small_city: Path):
    paths = sorted(small_city.rglob("*.xlsx"))
    assert len(paths) > 6
    for path in paths:
        assert_same_cells(path)


def test_every_cell_type_reads_as_openpyxl_read_it(tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.title = "Kiểu"
    values = [dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 12, 30), dt.time(10, 5),
              dt.timedelta(hours=30), True, False, 5, 5.0, 5.5, -0.0, 0, 1e20, 12345678901234,
              "", " ", "chữ", "=1+2", "  hai  dấu cách ", "dòng\nmới",
              CellRichText([TextBlock(InlineFont(b=True), "đậm"), " thường"])]
    for column, value in enumerate(values, start=1):
        ws.cell(1, column, "cột")
        ws.cell(2, column, value)
    ws.cell(4, 3, "xa")  # a blank row between
    path = tmp_path / "types.xlsx"
    book.save(path)
    # A calculated formula: openpyxl writes none, so give "=1+2" its cached value.
    part = sheet_part(path, "Kiểu")
    rewrite_part(path, part, lambda xml: xml.replace(b"<f>1+2</f><v></v>", b"<f>1+2</f><v>3</v>"))
    assert_same_cells(path)


DOCTYPE = (b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
           b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')


@pytest.mark.parametrize("part", ["sheet", "xl/styles.xml"])
def test_an_entity_declaration_is_refused_wherever_it_is(part: str, data_dir: Path, live_db: Path):
    """Billion laughs: refused by the scan in a sheet, and before calamine elsewhere."""
    path = data_dir / PHU_LIEN
    member = sheet_part(path, "Thực hiện") if part == "sheet" else part
    with zipfile.ZipFile(path) as archive:
        assert member in archive.namelist()

    def declare(xml: bytes) -> bytes:
        head, _, body = xml.partition(b"?>") if xml.startswith(b"<?xml") else (b"", b"", xml)
        return head + (b"?>" if head else b"") + DOCTYPE + body
    rewrite_part(path, member, declare)
    with pytest.raises(BuildFailed) as failure:
        build(data_dir, live_db)
    report = failure.value.report_vi()
    assert "phu_lien.xlsx" in report and ("không an toàn" in report or "Không đọc được" in report), \
        report


def test_cell_references_read_as_openpyxl_reads_them():
    """etl.read names and reads cell references itself (the ETL does not import openpyxl)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import coordinate_to_tuple

    assert [read.column_letter(i) for i in range(1, 18279)] == \
        [get_column_letter(i) for i in range(1, 18279)]

    def reading(read_reference, reference):
        try:
            return read_reference(reference)
        except Exception:
            return "refused"
    for reference in ["A1", "b12", "$B$12", "ZZZ9", "XFD1048576", "AB0", "A", "1", "ABCD1", "A1B",
                      "ß1", "A 1", "A1_0", "A١", "ZZZZ1", " A1", "A-1", "ǅ1", "A01", "AAA12345678",
                      "A1\n"]:
        assert reading(read._row_and_column, reference) == reading(coordinate_to_tuple, reference), \
            reference


def test_a_file_read_again_is_its_content_read_once(tmp_path: Path, monkeypatch):
    """A submission is read several times (whose is it, checked, published): the same
    content is parsed once and carries the path it was read from; other content, or the
    same path rewritten, is parsed anew."""
    parsed = []
    parse = read._parsed
    monkeypatch.setattr(read, "_parsed", lambda path, *rest: parsed.append(path) or parse(path, *rest))
    monkeypatch.setattr(read, "_READ", read.Kept(read._READ.most))
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    first.write_bytes((ROOT / "data" / PHU_LIEN).read_bytes())
    second.write_bytes(first.read_bytes())
    a, b = read.read_workbook(first), read.read_workbook(second)
    assert parsed == [first] and (a.path, b.path) == (first, second)
    assert a.sheets == b.sheets and a.sha256 == b.sha256
    wb = load_workbook(first)
    wb["Thông tin"]["B2"] = "đổi"
    wb.save(first)
    changed = read.read_workbook(first)
    assert parsed == [first, first] and changed.sha256 != a.sha256


def test_a_workbook_read_for_its_actuals_reads_those_sheets_as_a_whole_read_does():
    """A workbook no longer in force is read for the history's sheets only."""
    path = ROOT / "data" / PHU_LIEN
    whole, some = read.read_workbook(path), read.read_workbook(path, ACTUALS_SHEETS)
    assert set(some.sheets) == ACTUALS_SHEETS < set(whole.sheets)
    assert all(some.sheets[key] == whole.sheets[key] for key in ACTUALS_SHEETS)
    assert some.sheet_names == whole.sheet_names and some.sha256 == whole.sha256


def test_a_big_workbook_is_not_kept_and_one_changed_while_read_is_refused(tmp_path: Path,
                                                                          monkeypatch):
    """What is kept is bounded: a workbook of many cells (an upload refused later, say) is
    read again next time rather than held.  A file that changes while it is read gives
    neither the old content's nor the new's, but a refusal."""
    parsed = []
    parse = read._parsed
    monkeypatch.setattr(read, "_parsed", lambda path, *rest: parsed.append(path) or parse(path, *rest))
    monkeypatch.setattr(read, "_READ", read.Kept(read._READ.most))
    monkeypatch.setattr(read, "_READ_MOST_CELLS", 10)
    path = tmp_path / "a.xlsx"
    path.write_bytes((ROOT / "data" / PHU_LIEN).read_bytes())
    read.read_workbook(path)
    read.read_workbook(path)
    assert parsed == [path, path] and not read._READ

    def changed_meanwhile(path, *rest):
        raw = parse(path, *rest)
        wb = load_workbook(path)
        wb["Thông tin"]["B2"] = "đổi"
        wb.save(path)
        return raw
    monkeypatch.setattr(read, "_parsed", changed_meanwhile)
    with pytest.raises(read.FileRejected, match="thay đổi trong khi đang được đọc"):
        read.read_workbook(path)
