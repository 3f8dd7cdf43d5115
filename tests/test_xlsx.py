"""exports.xlsx, the streaming writer behind the workbook: what it writes reads back the
same in openpyxl and in LibreOffice, and text never becomes a formula."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from exports.xlsx import StreamingWorkbook, column_name


def test_column_names():
    assert [column_name(i) for i in (0, 25, 26, 51, 701, 702)] == \
        ["A", "Z", "AA", "AZ", "ZZ", "AAA"]


def written(build) -> bytes:
    buffer = io.BytesIO()
    book = StreamingWorkbook(buffer)
    build(book)
    book.close()
    return buffer.getvalue()


def test_cells_styles_and_print_setup_read_back_in_openpyxl():
    def build(book):
        bold = book.style(bold=True, fill="#F2F2F2", border="#BFBFBF", horizontal="center",
                          vertical="top", wrap=True)
        amount = book.style(number_format="#,##0", border="#BFBFBF", vertical="top")
        share = book.style(number_format="0.0%")
        sheet = book.sheet("Bà Rịa's", widths=[16, 46, 12], freeze=(2, 1))
        sheet.row([("Tiêu đề", book.style(bold=True, size=14))])
        sheet.row([("Chỉ tiêu", bold), ("Số", bold), ("Tỷ lệ", bold)], height=30)
        sheet.row([("  Thu ngân sách\nnăm 2026 ", 0), (357450, amount), (0.955, share)])
        sheet.row([('=HYPERLINK("http://x")', 0), (None, amount), (float("nan"), share)])
        sheet.row([("a\x07b <&> \"c\"", 0), (1.5e-7, 0), (True, 0)])
        sheet.finish(header_row=2, print_columns=2, repeat_columns=1, fit_width=False,
                     footer="Tổng hợp & chú giải")
        other = book.sheet("Nguồn", widths=[10])
        other.row([("x", 0)])
        other.finish(header_row=1)

    book = openpyxl.load_workbook(io.BytesIO(written(build)))
    assert book.sheetnames == ["Bà Rịa's", "Nguồn"]
    ws = book["Bà Rịa's"]
    assert ws["A1"].font.b and ws["A1"].font.sz == 14
    assert ws["A2"].fill.fgColor.rgb == "FFF2F2F2" and ws["A2"].alignment.wrap_text
    assert ws["A2"].border.left.style == "thin" and ws["A2"].alignment.horizontal == "center"
    assert ws["A3"].value == "  Thu ngân sách\nnăm 2026 "  # spaces and line breaks kept
    assert (ws["B3"].value, ws["B3"].number_format) == (357450, "#,##0")
    assert (ws["C3"].value, ws["C3"].number_format) == (0.955, "0.0%")
    assert ws["A4"].value == '=HYPERLINK("http://x")' and ws["A4"].data_type == "s"
    assert ws["B4"].value is None and ws["B4"].number_format == "#,##0"  # blank, styled
    assert ws["C4"].value is None  # NaN is no value
    assert ws["A5"].value == 'ab <&> "c"' and ws["B5"].value == 1.5e-7 and ws["C5"].value is True
    assert ws.row_dimensions[2].height == 30
    assert [ws.column_dimensions[c].width for c in "ABC"] == [16, 46, 12]
    assert ws.freeze_panes == "B3"
    assert ws.auto_filter.ref == "A2:C5"
    assert ws.print_title_rows == "$2:$2" and ws.print_title_cols == "$A:$A"
    assert ws.print_area.endswith("$A$1:$B$5")
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (0, 0)
    assert ws.oddFooter.left.text == "Tổng hợp && chú giải" and ws.oddFooter.left.size == 8
    assert ws.oddFooter.right.text == "Trang &P/&N"
    assert (book["Nguồn"].page_setup.fitToWidth, book["Nguồn"].page_setup.fitToHeight) == (1, 0)


def test_no_formula_is_ever_written():
    def build(book):
        sheet = book.sheet("A", widths=[10, 10])
        for text in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", '=cmd|"/c calc"!A1'):
            sheet.row([(text, 0), (1, 0)])
        sheet.finish()

    with zipfile.ZipFile(io.BytesIO(written(build))) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert xml.count('t="inlineStr"') == 5


def test_a_sheet_must_be_finished_before_the_next():
    book = StreamingWorkbook(io.BytesIO())
    sheet = book.sheet("A", widths=[10])
    with pytest.raises(RuntimeError):
        book.sheet("B", widths=[10])
    with pytest.raises(RuntimeError):
        book.close()
    sheet.finish()
    book.close()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("localc") is None or shutil.which("pdftotext") is None,
                    reason="needs libreoffice-calc and poppler-utils")
def test_the_meeting_workbook_opens_in_libreoffice(db, tmp_path):
    from exports.report import ALL, load_report
    from exports.workbook import write_workbook

    path = tmp_path / "bao-cao.xlsx"
    write_workbook(load_report(db, "2026-Q1", ["phu_lien"], default=ALL), path)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(path)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "bao-cao.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert "Tổng hợp trạng thái các chỉ tiêu — Quý I/2026" in text
    assert "357.450" in text or "357,450" in text  # the grouping follows LibreOffice's locale
    assert "Trang 1/" in text
