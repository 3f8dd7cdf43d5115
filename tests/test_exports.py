"""Exports: the meeting deck, the workbook, chart images, CSV escaping and the CLI.

Expected figures come from the bundled Phù Liễn documents: cumulative budget
revenue at March (Q1 report) = 105.879 triệu đồng (million VND, the unit the
deck's chart shows for this indicator), annual target 357.450 triệu đồng.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
import subprocess
import threading
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE, XL_MARKER_STYLE
from streamlit.testing.v1 import AppTest

from apppages import open_page
from decks import (
    NEEDS_POPPLER,
    assert_pdf_follows_deck,
    cell_fill,
    chart_series,
    find_slide,
    pdf_pages,
    png_size,
    slide_title,
    tables,
    tiny_png,
)
from exports import csv as csv_export
from exports.__main__ import main as cli
from exports.deck import (
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    VI_INTEGER_FORMAT,
    WARDS_SCENARIO_NAME,
    build_deck,
)
from exports.report import ALL, CITY_LAYOUT_ABOVE, SelectionError, load_report
from exports.workbook import write_workbook
from ui import nav
from wardplan.display import styles

ROOT = Path(__file__).resolve().parent.parent
PRODUCED = date(2026, 4, 2)
TINT = {s: style.tint.lstrip("#").upper() for s, style in styles.STATUS_STYLES.items()}
NEEDS_CHROMIUM = pytest.mark.skipif(shutil.which("chromium") is None,
                                    reason="kaleido needs Debian's chromium")


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report(db):
    return load_report(db, "2026-Q1", produced_on=PRODUCED)


@pytest.fixture(scope="module")
def deck(report, tmp_path_factory):
    path = tmp_path_factory.mktemp("deck") / "deck.pptx"
    build_deck(report).save(path)
    return Presentation(path)


@pytest.fixture(scope="module")
def workbook(db, tmp_path_factory):
    path = tmp_path_factory.mktemp("workbook") / "book.xlsx"
    write_workbook(load_report(db, "2026-Q1", produced_on=PRODUCED, default=ALL), path)
    return openpyxl.load_workbook(path)


# --- deck -------------------------------------------------------------------------------------

def test_deck_is_16_9_widescreen(deck):
    assert (deck.slide_width, deck.slide_height) == (SLIDE_WIDTH, SLIDE_HEIGHT)
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)  # 13.333 x 7.5 in


def test_deck_slides_in_order(deck):
    titles = [slide_title(s) for s in deck.slides]
    assert titles[0] == "Tình hình thực hiện các chỉ tiêu kinh tế - xã hội năm 2026"
    assert titles[1] == "Tổng hợp theo phường — Quý I/2026"
    assert titles[2:5] == [f"Trạng thái các chỉ tiêu — Quý I/2026 ({i}/3)" for i in (1, 2, 3)]
    assert titles[5:9] == ["Kiến An — Chưa có báo cáo thực hiện (1/2)",
                           "Kiến An — Chưa có báo cáo thực hiện (2/2)",
                           "Thủy Nguyên — Chưa có báo cáo thực hiện (1/2)",
                           "Thủy Nguyên — Chưa có báo cáo thực hiện (2/2)"]
    assert titles[9:12] == [f"Phù Liễn — Thực hiện so với chỉ tiêu năm ({i}/3)" for i in (1, 2, 3)]
    charts = titles[12:]
    assert charts[:2] == ["Phù Liễn — Tổng chi ngân sách",
                          "Phù Liễn — Thu ngân sách nhà nước trên địa bàn"]
    assert {"Phù Liễn — Doanh nghiệp thành lập mới", "Phù Liễn — Tỷ lệ giải ngân vốn đầu tư công",
            "Phù Liễn — Giá trị sản phẩm ngành công nghiệp - xây dựng",
            "Phù Liễn — Thu phí, lệ phí"} <= set(charts)


def test_title_slide_names_period_wards_and_date(deck):
    text = "\n".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "Quý I/2026" in text
    assert "Phường: Kiến An, Phù Liễn, Thủy Nguyên" in text
    assert "Chưa có báo cáo thực hiện: Kiến An, Thủy Nguyên" in text
    assert "Xuất ngày 02/04/2026" in text


def test_ward_summary_table_has_labels_and_status_fills(deck):
    (table,) = tables(deck.slides[1])
    header = [table.cell(0, j).text for j in range(7)]
    assert header == ["Phường", "Báo cáo", "▼ Chậm", "● Cần chú ý", "▲ Đạt/Vượt",
                      "○ Chưa có số liệu", "Tổng"]
    assert [cell_fill(table.cell(0, j)) for j in range(2, 6)] == [
        TINT["red"], TINT["amber"], TINT["green"], TINT["grey"]]
    rows = {table.cell(i, 0).text: [table.cell(i, j) for j in range(7)] for i in range(1, 4)}
    phu_lien = rows["Phù Liễn"]
    # Red: expenditure (provisional) and two January-only revenue sources; nothing amber
    # once each figure is judged on the ward's own scenario.
    assert [c.text for c in phu_lien[1:]] == ["Đã có", "3", "0", "18", "4", "25"]
    assert cell_fill(phu_lien[2]) == TINT["red"]
    assert cell_fill(phu_lien[4]) == TINT["green"]
    kien_an = rows["Kiến An"]
    assert kien_an[1].text == "○ Chưa có báo cáo"
    assert cell_fill(kien_an[1]) == TINT["grey"]
    assert [c.text for c in kien_an[2:5]] == ["—", "—", "—"]


def test_status_matrix_cells_carry_label_percentage_and_fill(deck):
    (table,) = tables(deck.slides[2])
    wards = [table.cell(0, j).text.split("\n")[0] for j in range(1, 4)]
    assert wards == ["Kiến An", "Phù Liễn", "Thủy Nguyên"]
    rows = {table.cell(i, 0).text: i for i in range(1, len(table.rows))}
    revenue = rows["Thu ngân sách nhà nước trên địa bàn (triệu đồng)"]
    cell = table.cell(revenue, 2)
    assert cell.text == "▲ Đạt/Vượt\n145,3% KB"
    assert cell_fill(cell) == TINT["green"]
    no_report = table.cell(revenue, 3)
    assert no_report.text == "○ Chưa có báo cáo"
    assert cell_fill(no_report) == TINT["grey"]
    expenditure = rows["Tổng chi ngân sách (triệu đồng)"]
    assert table.cell(expenditure, 2).text == "▼ Chậm\n87,6% KB"
    assert cell_fill(table.cell(expenditure, 2)) == TINT["red"]
    assert table.cell(expenditure, 1).text == "—"  # Kiến An set no such target
    assert cell_fill(table.cell(expenditure, 1)) == "FFFFFF"


def test_revenue_slide_has_native_line_chart_with_gaps(deck):
    slide = find_slide(deck, "Phù Liễn — Thu ngân sách nhà nước trên địa bàn")
    (chart,) = [s.chart for s in slide.shapes if s.has_chart]
    # Created as LINE_MARKERS; python-pptx reads it back as LINE because the
    # target line deliberately has no markers.
    assert chart.chart_type in (XL_CHART_TYPE.LINE_MARKERS, XL_CHART_TYPE.LINE)
    assert chart.plots[0].series[-1].marker.style == XL_MARKER_STYLE.DIAMOND
    assert list(chart.plots[0].categories) == [f"T{m}" for m in range(1, 13)]
    series = chart_series(chart)
    # Million VND (triệu đồng), as the axis title says; February was not reported: a gap.
    assert series["Thực hiện lũy kế"] == (20684.0, None, 105879.0) + (None,) * 9
    scenario = series["Kịch bản lũy kế"]
    assert scenario[2] == pytest.approx(105879 / 1.4527, abs=0.01)  # the ward's implied Q1
    assert scenario[11] == pytest.approx(357450)
    wards = series[WARDS_SCENARIO_NAME]
    assert [i + 1 for i, v in enumerate(wards) if v is not None] == [3, 4, 5]
    assert series["Chỉ tiêu năm 2026: 357.450 triệu đồng"] == (357450.0,) * 12
    assert chart.value_axis.axis_title.text_frame.text == "triệu đồng"
    assert chart.value_axis.tick_labels.number_format == VI_INTEGER_FORMAT
    actual = chart.plots[0].series[-1]  # drawn last, on top of the scenario
    assert actual.name == "Thực hiện lũy kế"
    assert actual.points[2].data_label.text_frame.text == "105.879"
    assert 'dispBlanksAs val="gap"' in chart._chartSpace.xml


def test_revenue_slide_key_figures_in_vietnamese_format(deck):
    slide = find_slide(deck, "Phù Liễn — Thu ngân sách nhà nước trên địa bàn")
    (table,) = tables(slide)
    figures = {table.cell(i, 0).text: table.cell(i, 1).text for i in range(len(table.rows))}
    assert figures["Thực hiện đến kỳ"] == "105.879 triệu đồng"
    assert figures["Chỉ tiêu năm"] == "357.450 triệu đồng"
    assert figures["% chỉ tiêu năm"] == "29,6%"
    assert figures["Phường tự đánh giá"] == "Vượt"


def test_scenario_to_date_on_a_slide_is_rounded_as_its_note_says_it(deck):
    # Our phasing gives 38.133,73; the slide's note and the detail page say 38.134.
    slide = find_slide(deck, "Phù Liễn — Giá trị sản phẩm ngành nông, lâm nghiệp và thủy sản")
    (table,) = tables(slide)
    figures = {table.cell(i, 0).text: table.cell(i, 1).text for i in range(len(table.rows))}
    assert figures["Kịch bản đến kỳ"] == "38.134 triệu đồng"
    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    assert any("kịch bản lũy kế (38.134 triệu đồng)" in t for t in texts)


def test_every_slide_has_sources_in_notes_and_footer(deck):
    for slide in deck.slides:
        assert "Nguồn" in slide.notes_slide.notes_text_frame.text
        footer = [s.text_frame.text for s in slide.shapes if s.has_text_frame
                  and s.text_frame.text.startswith("Nguồn")]
        assert footer, slide_title(slide)
    notes = find_slide(deck, "Phù Liễn — Thu ngân sách nhà nước trên địa bàn") \
        .notes_slide.notes_text_frame.text
    assert "Phụ lục 3 kèm theo Báo cáo số 103/BC-UBND" in notes
    assert "Kịch bản đến kỳ: suy từ báo cáo 100%." in notes


def test_every_shape_stays_on_the_slide(deck):
    for slide in deck.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, slide_title(slide)
            assert shape.left + shape.width <= deck.slide_width, slide_title(slide)
            assert shape.top + shape.height <= deck.slide_height, slide_title(slide)


def copies_of_thuy_nguyen(report, count: int):
    """`report` with `count` more wards like Thủy Nguyên (no report), named 'Phường thử i'."""
    import pandas as pd

    def copies(frame: pd.DataFrame) -> pd.DataFrame:
        source = frame[frame["ward_code"] == "thuy_nguyen"]
        return pd.concat([frame] + [source.assign(ward_code=f"w{i:02d}") for i in range(count)],
                         ignore_index=True)

    wards = copies(report.wards)
    wards.loc[wards["ward_code"].str.startswith("w"), "name_vi"] = \
        [f"Phường thử {i}" for i in range(count)]
    return dataclasses.replace(report, wards=wards, status=copies(report.status),
                               targets=copies(report.targets))


def test_up_to_the_city_threshold_every_ward_is_in_full_and_paged(report):
    """CITY_LAYOUT_ABOVE wards still get the deck of a few wards: tables page instead of
    overflowing."""
    big = copies_of_thuy_nguyen(report, CITY_LAYOUT_ABOVE - 3)
    assert not big.city
    deck = build_deck(big)
    titles = [slide_title(s) for s in deck.slides]
    assert "Tổng hợp theo phường — Quý I/2026" in titles  # 8 wards, 9 a slide
    assert "Trạng thái các chỉ tiêu — Quý I/2026 (6/6)" in titles  # 2 x 3 pages
    # 7 wards without a report: listed, not one plan slide each.
    assert "7 phường chưa có báo cáo thực hiện" in titles
    assert not any(t.startswith("Phường thử 3 — Chưa có báo cáo") for t in titles)
    assert "Phù Liễn — Thu ngân sách nhà nước trên địa bàn" in titles
    for slide in deck.slides:
        for shape in slide.shapes:
            assert shape.top + shape.height <= deck.slide_height, slide_title(slide)


def test_deck_names_its_parts_without_rescanning_the_package(report, monkeypatch):
    """python-pptx walks every part to name each new one (quadratic in slides); the deck
    scans once and gives the names python-pptx would have given."""
    import zipfile

    from pptx import Presentation as plain_presentation
    from pptx.opc.package import OpcPackage

    from exports import deck as deck_module

    def part_names(prs) -> list[str]:
        buffer = io.BytesIO()
        prs.save(buffer)
        return sorted(zipfile.ZipFile(buffer).namelist())

    walks = 0
    walk = OpcPackage.iter_parts

    def counted(self):
        nonlocal walks
        walks += 1
        return walk(self)

    monkeypatch.setattr(OpcPackage, "iter_parts", counted)
    ours = build_deck(report)
    assert walks == 1  # one scan, for 16 charts, their workbooks and 25 notes slides
    assert len([s for s in ours.slides for shape in s.shapes if shape.has_chart]) > 10

    def python_pptx_naming():
        prs = plain_presentation()
        prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
        return prs

    monkeypatch.setattr(deck_module, "new_presentation", python_pptx_naming)
    assert part_names(ours) == part_names(build_deck(report))


def test_deck_as_of_january_hides_later_figures(db):
    deck = build_deck(load_report(db, "2026-01", ["phu_lien"], ["budget_revenue"],
                                  produced_on=PRODUCED))
    slide = find_slide(deck, "Phù Liễn — Thu ngân sách nhà nước trên địa bàn")
    (chart,) = [s.chart for s in slide.shapes if s.has_chart]
    assert chart_series(chart)["Thực hiện lũy kế"] == (20684.0,) + (None,) * 11


def test_data_errors_are_flagged_and_do_not_flatten_the_bars(db):
    # The plan's "2.000" for fees was read as 0,002 triệu đồng: 1.350.000% of target.
    deck = build_deck(load_report(db, "2026-01", ["phu_lien"], produced_on=PRODUCED))
    slide = find_slide(deck, "Phù Liễn — Thu phí, lệ phí")
    text = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "Lỗi dữ liệu: Tháng 1/2026" in text
    assert "○ Lỗi dữ liệu" in text
    assert "Lỗi dữ liệu" in slide.notes_slide.notes_text_frame.text
    bars = [s.chart for slide in deck.slides for s in slide.shapes
            if s.has_chart and s.chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED]
    assert bars and all(c.value_axis.maximum_scale <= 200 for c in bars)
    labels = [pt.data_label.text_frame.text for c in bars for pt in c.plots[0].series[1].points
              if pt.data_label.has_text_frame]
    # A ratio built on a figure with a known error is not drawn at all, let alone green.
    assert labels and not any("1.350.000" in label for label in labels)


def test_deck_for_a_ward_without_report_says_so(db):
    deck = build_deck(load_report(db, "2026-Q1", ["thuy_nguyen"], produced_on=PRODUCED))
    titles = [slide_title(s) for s in deck.slides]
    assert any(t.startswith("Thủy Nguyên — Chưa có báo cáo thực hiện") for t in titles)
    assert not any(s.has_chart for slide in deck.slides for s in slide.shapes)


def test_unknown_selection_is_refused(db):
    with pytest.raises(SelectionError) as error:
        load_report(db, "2026-Q1", ["phu_lien", "atlantis"])
    assert "atlantis" in error.value.message_vi
    with pytest.raises(SelectionError):
        load_report(db, "2026-Q5")


# --- workbook ---------------------------------------------------------------------------------

def test_workbook_sheets(workbook):
    assert workbook.sheetnames == ["Tổng hợp", "Kiến An", "Phù Liễn", "Thủy Nguyên",
                                   "Số liệu theo kỳ", "Nguồn tài liệu"]


def test_summary_sheet_has_labels_fills_filter_and_frozen_header(workbook):
    ws = workbook["Tổng hợp"]
    header = [c.value for c in ws[6]]
    assert header == ["Lĩnh vực", "Chỉ tiêu", "Đơn vị", "Kiến An", "Phù Liễn", "Thủy Nguyên"]
    assert ws.freeze_panes == "D7"
    assert ws.auto_filter.ref.startswith("A6:F")
    rows = {ws.cell(r, 2).value: r for r in range(7, ws.max_row + 1)}
    revenue = rows["Thu ngân sách nhà nước trên địa bàn"]
    assert ws.cell(revenue, 5).value == "▲ Đạt/Vượt"
    assert ws.cell(revenue, 5).fill.fgColor.rgb.endswith(TINT["green"])
    assert ws.cell(revenue, 6).value == "○ Chưa có báo cáo"
    assert ws.cell(revenue, 6).fill.fgColor.rgb.endswith(TINT["grey"])


def test_ward_sheet_numbers_percentages_and_sources(workbook):
    ws = workbook["Phù Liễn"]
    header = [c.value for c in ws[6]]
    # What a reader needs first (and printed), then codes and full references.
    assert header[:4] == ["Lĩnh vực", "Chỉ tiêu", "Đơn vị", "Chỉ tiêu năm"]
    assert header[-3:] == ["Cách dự báo", "Nguồn chỉ tiêu", "Nguồn số liệu thực hiện"]
    assert ws.freeze_panes == "C7"
    assert ws.auto_filter.ref.startswith("A6:X")
    column = {name: i for i, name in enumerate(header, start=1)}
    rows = {ws.cell(r, column["Mã chỉ tiêu"]).value: r for r in range(7, ws.max_row + 1)}
    revenue = rows["budget_revenue"]
    target = ws.cell(revenue, column["Chỉ tiêu năm"])
    assert (target.value, target.number_format) == (357450, "#,##0")  # 357.450 in vi Excel
    actual = ws.cell(revenue, column["Thực hiện đến kỳ"])
    assert (actual.value, actual.number_format) == (105879, "#,##0")
    share = ws.cell(revenue, column["% kịch bản"])
    assert share.number_format == "0.0%" and share.value == pytest.approx(1.4527, abs=1e-4)
    health = ws.cell(rows["health_insurance_coverage"], column["% chỉ tiêu năm"])
    assert health.value == pytest.approx(0.99581, abs=1e-5)  # 99,6% in vi Excel
    status = ws.cell(revenue, column["Trạng thái"])
    assert status.value == "▲ Đạt/Vượt"
    assert status.fill.fgColor.rgb.endswith(TINT["green"])
    assert "103/BC-UBND" in ws.cell(revenue, column["Nguồn số liệu thực hiện"]).value
    assert "08/KH-UBND" not in ws.cell(revenue, column["Nguồn số liệu thực hiện"]).value
    assert "Phù Liễn" in ws.cell(revenue, column["Nguồn chỉ tiêu"]).value
    printed = ws.cell(revenue, column["Nguồn (văn bản)"]).value
    assert printed == ("Chỉ tiêu: Kế hoạch số 08/KH-UBND ngày 10/01/2026. Thực hiện: Báo cáo "
                       "tình hình thực hiện nhiệm vụ kinh tế - xã hội, quốc phòng - an ninh "
                       "tháng 01; Phụ lục 3 kèm Báo cáo số 103/BC-UBND ngày 12/03/2026.")


def test_ward_without_report_sheet_says_so(workbook):
    ws = workbook["Kiến An"]
    assert ws["A2"].value.startswith("Chưa có báo cáo")
    column = [c.value for c in ws[6]].index("Trạng thái") + 1
    statuses = {ws.cell(r, column).value for r in range(7, ws.max_row + 1)}
    assert statuses == {"○ Chưa có báo cáo"}


def test_every_sheet_is_set_up_to_print(workbook):
    """Landscape A4, one page wide, the header row on each page, long texts wrapped."""
    for ws in workbook:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        header_row = int(ws.print_title_rows.split(":")[0].strip("$"))
        assert ws.print_title_rows == f"${header_row}:${header_row}", ws.title
        assert "Trang &P/&N" in ws.oddFooter.right.text
        header = [c.value for c in ws[header_row]]
        printed = ws.print_area.split(":")[-1].split("!")[-1].replace("$", "").rstrip("0123456789")
        printed_width = sum(ws.column_dimensions[get_column_letter(i)].width
                            for i in range(1, column_index_from_string(printed) + 1))
        # About 190 width units print at three quarters of full size on A4 landscape.
        assert printed_width <= 200, (ws.title, printed_width)
        for i, name in enumerate(header, start=1):
            if name in ("Chỉ tiêu", "Loại chỉ tiêu", "Nhận xét", "Nguồn (văn bản)", "Tên văn bản"):
                cells = [ws.cell(r, i) for r in range(ws.max_row - 3, ws.max_row + 1)]
                assert all(c.alignment.wrap_text for c in cells if c.value), (ws.title, name)


def test_workbook_has_no_formulas(workbook):
    for ws in workbook:
        for row in ws.iter_rows():
            assert all(cell.data_type != "f" for cell in row), ws.title


def test_text_starting_with_equals_stays_text(db, tmp_path):
    import zipfile

    report = load_report(db, "2026-Q1", ["phu_lien"], ["budget_revenue"], default=ALL)
    hostile = report.targets.assign(target_text='=HYPERLINK("http://evil.example","bấm")',
                                    source_ref="+SUM(1,2)\x07")
    path = tmp_path / "hostile.xlsx"
    write_workbook(dataclasses.replace(report, targets=hostile), path)
    with zipfile.ZipFile(path) as package:
        sheets = [package.read(n).decode() for n in package.namelist()
                  if n.startswith("xl/worksheets/")]
    # Text is written as inline strings; no cell carries a formula element.
    assert sheets and not any("<f>" in xml or "<f " in xml for xml in sheets)
    assert any('t="inlineStr"><is><t>=HYPERLINK(&quot;' in xml or
               't="inlineStr"><is><t>=HYPERLINK("' in xml for xml in sheets)
    book = openpyxl.load_workbook(path)
    values = [c.value for ws in book for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for ws in book for row in ws.iter_rows() for c in row)
    assert '=HYPERLINK("http://evil.example","bấm")' in values
    assert "+SUM(1,2)" in values  # the control character is dropped, the text kept


# --- CSV ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"),
    ("\t=x", "'\t=x"), ("Phù Liễn", "Phù Liễn"), ("95,5%", "95,5%"), ("", ""),
    (-5.0, -5.0), (357450, 357450), (None, None),
])
def test_escape_cell(value, expected):
    assert csv_export.escape_cell(value) == expected


def test_frame_to_csv_escapes_text_and_keeps_numbers():
    import pandas as pd

    frame = pd.DataFrame({"Chỉ tiêu": ["=HYPERLINK(\"x\")", "Thu ngân sách"],
                          "Giá trị": [-1.5, 357450.0], "Ghi chú": [None, "@a"]})
    data = csv_export.frame_to_csv(frame)
    assert not data.startswith("\ufeff".encode())  # for machines: plain UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows == [["Chỉ tiêu", "Giá trị", "Ghi chú"],
                    ["'=HYPERLINK(\"x\")", "-1.5", ""],
                    ["Thu ngân sách", "357450", "'@a"]]


def test_status_csv_of_a_report_is_for_machines(report):
    import pandas as pd

    data = csv_export.status_csv(report)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0][:6] == ["ward_code", "indicator_code", "as_of", "actual_period", "status",
                           "Phường"]
    frame = pd.read_csv(io.BytesIO(data))  # pandas' defaults read it as it is
    revenue = frame.set_index(["ward_code", "indicator_code"]).loc[("phu_lien", "budget_revenue")]
    assert revenue["Thực hiện đến kỳ"] == 105879
    assert revenue["% chỉ tiêu năm"] == pytest.approx(29.62, abs=0.01)
    assert (revenue["as_of"], revenue["actual_period"], revenue["status"]) == \
        ("2026-Q1", "2026-Q1", "green")


# --- images -------------------------------------------------------------------------------------

@NEEDS_CHROMIUM
def test_chart_png_and_svg(report):
    from exports.figures import progress_figure
    from exports.images import render_export

    figure = progress_figure(report, "phu_lien", "budget_revenue")
    png = render_export(figure, "png", PRODUCED)
    assert png_size(png) == (2560, 1440)
    assert len(png) > 20_000
    svg = render_export(figure, "svg", PRODUCED).decode()
    assert 'width="1280" height="720"' in svg
    assert "Phù Liễn — Thu ngân sách nhà nước trên địa bàn" in svg
    assert "Xuất ngày 02/04/2026" in svg
    assert "Nguồn:" in svg


@NEEDS_CHROMIUM
def test_a_title_of_two_lines_is_drawn_whole_like_one_of_one(report):
    """Plotly ignores yanchor for a title of several lines and drew its first line above
    the image's top edge (plotly.js#6472): in the image, a two-line title must start where
    a one-line title does, clear of the edge."""
    import io

    from PIL import Image

    from exports.images import render_export
    from wardplan.display import charts

    def first_ink_row(ward_name: str) -> int:
        series = report.series("phu_lien", "budget_revenue")
        figure = charts.progress_chart(series, ward_name=ward_name, indicator_name="Thu ngân sách "
                                       "nhà nước trên địa bàn", unit="triệu đồng", kind="flow",
                                       as_of=report.as_of, sources={})
        assert figure.layout.title.text.count("<br>") == (len(ward_name) > 20)
        image = Image.open(io.BytesIO(render_export(figure, "png", PRODUCED))).convert("L")
        top = image.crop((0, 0, image.width // 2, 120))
        return next(y for y in range(top.height)
                    if min(top.getpixel((x, y)) for x in range(top.width)) < 128)

    one = first_ink_row("Phù Liễn")
    two = first_ink_row("Phường Thủy Nguyên mở rộng (tên dài)")
    assert one >= 12 and abs(two - one) <= 4, (one, two)


@NEEDS_CHROMIUM
def test_concurrent_renders_each_get_their_own_image(report):
    """The kaleido server mixes up concurrent calls; the renderer's lock must not."""
    from exports.figures import progress_figure
    from exports.images import render_export

    codes = ["budget_revenue", "budget_expenditure", "new_enterprises", "output_services"]
    names = {c: report.indicator(c)["name_vi"] for c in codes}
    results: dict[str, str] = {}

    def work(code: str) -> None:
        figure = progress_figure(report, "phu_lien", code)
        # A different date per thread defeats the cache so every call reaches Chromium.
        results[code] = render_export(figure, "svg", date(2026, 4, 3 + codes.index(code))).decode()

    threads = [threading.Thread(target=work, args=(c,)) for c in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for code in codes:
        assert f"Phù Liễn — {names[code]}" in results[code]


# --- command line --------------------------------------------------------------------------------

def test_cli_deck_and_workbook(built_db, tmp_path, capsys):
    deck = tmp_path / "out" / "hop.pptx"
    assert cli(["deck", "--as-of", "2026-Q1", "--wards", "phu_lien,thuy_nguyen",
                "--indicators", "budget_revenue,new_enterprises", "--db", str(built_db),
                "--out", str(deck)]) == 0
    titles = [slide_title(s) for s in Presentation(deck).slides]
    assert "Phù Liễn — Thu ngân sách nhà nước trên địa bàn" in titles
    assert "Thủy Nguyên — Chưa có báo cáo thực hiện" in titles
    book = tmp_path / "hop.xlsx"
    assert cli(["workbook", "--as-of", "2026-Q1", "--db", str(built_db), "--out", str(book)]) == 0
    assert openpyxl.load_workbook(book).sheetnames[0] == "Tổng hợp"
    assert cli(["deck", "--as-of", "2026-13", "--db", str(built_db), "--out", str(deck)]) == 2
    assert "không hợp lệ" in capsys.readouterr().err


@NEEDS_CHROMIUM
def test_cli_charts(built_db, tmp_path):
    out = tmp_path / "charts"
    assert cli(["charts", "--as-of", "2026-Q1", "--ward", "phu_lien", "--indicators",
                "budget_revenue", "--format", "svg", "--db", str(built_db),
                "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "tien-do_phu_lien_budget_revenue_2026-Q1.svg", "tom-tat_phu_lien_2026-Q1.svg"]


# --- the app --------------------------------------------------------------------------------------

def test_export_page_offers_the_exports(built_db):
    at = open_page(nav.EXPORT, as_of="2026-Q1")
    # Each is made by the worker on request (tests/test_export_jobs.py), then downloaded.
    assert [b.label for b in at.button] == ["Tạo trình chiếu (.pptx)", "Tạo báo cáo PDF",
                                            "Tạo sổ Excel (.xlsx)", "Tạo bảng trạng thái (.csv)"]
    wards, indicators = at.multiselect  # three wards: no choice of units to show in full
    assert wards.value == ["kien_an", "phu_lien", "thuy_nguyen"]
    assert "budget_revenue" in indicators.value
    wards.set_value([]).run()
    assert not at.button


def test_export_page_for_a_city_asks_which_units_to_show_in_full(city_db_path, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("CHITIEU_DB", str(city_db_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = open_page(nav.EXPORT, as_of="2026-Q1")
        full = at.multiselect(key="export_full")
        assert full.label == "Đơn vị trình bày đầy đủ trong trình chiếu và PDF"
        assert full.value == [] and len(full.options) == 20
        info = "\n".join(i.value for i in at.info)
        assert info.startswith("Chưa có báo cáo thực hiện: Kiến An, Thử nghiệm 002")
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


def test_every_chart_has_png_and_svg_buttons(built_db):
    # Through app.py: the page links to others, which only its navigation knows.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["ward"] = "phu_lien"
    at.query_params["as_of"] = "2026-Q1"
    at.run()
    at.switch_page(nav.PROGRESS.path)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    charts = [c for c in at.get("plotly_chart") if not c.key.endswith("_narrow")]
    # One pair per chart: the phone form of a chart shares its buttons (16:9 images).
    assert labels.count("Tải ảnh PNG") == len(charts) == labels.count("Tải ảnh SVG") == 2
    assert "Trình chiếu phần này (.pptx)" in labels


# --- rendering with LibreOffice -------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(shutil.which("loimpress") is None or shutil.which("pdftoppm") is None,
                    reason="needs libreoffice-impress and poppler-utils")
def test_deck_renders_with_libreoffice(report, tmp_path):
    deck = tmp_path / "deck.pptx"
    build_deck(report).save(deck)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(deck)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "deck.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(Presentation(deck).slides)
    assert all(png_size(p.read_bytes()) == (667, 375) for p in pages)


# --- the PDF briefing -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def briefing(report, tmp_path_factory):
    from exports.pdf import build_pdf

    path = tmp_path_factory.mktemp("pdf") / "bao-cao.pdf"
    path.write_bytes(build_pdf(report, render=tiny_png))
    return path


@NEEDS_POPPLER
def test_pdf_has_the_decks_content_in_the_decks_order(briefing, deck):
    pages = pdf_pages(briefing)
    assert len(pages) == 29
    assert_pdf_follows_deck(pages, deck)
    assert all("Xuất ngày 02/04/2026" in page for page in pages)


@NEEDS_POPPLER
def test_pdf_text_is_vietnamese_with_embedded_fonts(briefing):
    text = "\n".join(pdf_pages(briefing))
    for phrase in ("Tình hình thực hiện các chỉ tiêu kinh tế - xã hội năm 2026",
                   "Phù Liễn — Thu ngân sách nhà nước trên địa bàn", "105.879 triệu đồng",
                   "▲ Đạt/Vượt", "▼ Chậm", "● Cần chú ý", "○ Chưa có báo cáo",
                   "đánh giá cuối năm", "Kế hoạch số 08/KH-UBND ngày 10/01/2026"):
        assert phrase in " ".join(text.split()), phrase
    # Full references in words: no workbook paths in what the reader gets.
    assert ".xlsx" not in text and "settings.toml" not in text
    fonts = subprocess.run(["pdffonts", str(briefing)], check=True, capture_output=True,
                           text=True).stdout
    assert "DejaVuSans" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]
               if "DejaVu" in line), fonts  # embedded


def test_pdf_tables_page_evenly_without_a_lone_row():
    from exports import pdf

    pdf._register_fonts()
    rows = [[pdf._p(f"Chỉ tiêu {i}", pdf.CELL), pdf._p("▲ Đạt/Vượt", pdf.CELL)] for i in range(19)]
    header = [pdf._p("Chỉ tiêu", pdf.CELL_BOLD), pdf._p("Phù Liễn", pdf.CELL_BOLD)]
    one_row = pdf.Table([rows[0]], colWidths=[300, 200]).wrap(500, 1000)[1]
    # Room for the header and 9 rows: 19 rows are three pages of about 6, not 9 + 9 + 1.
    tables = pdf.paged_tables(header, rows, [300, 200], room=one_row * 10.5)
    sizes = [len(t._cellvalues) - 1 for t in tables]
    assert sum(sizes) == 19 and len(sizes) == 3 and min(sizes) >= 6, sizes
    # Room for 10: two pages.
    tables = pdf.paged_tables(header, rows, [300, 200], room=one_row * 11.5)
    assert sorted(len(t._cellvalues) - 1 for t in tables) == [9, 10]


@NEEDS_CHROMIUM
@NEEDS_POPPLER
def test_cli_pdf_with_real_charts(built_db, tmp_path):
    out = tmp_path / "bao-cao.pdf"
    assert cli(["pdf", "--as-of", "2026-Q1", "--wards", "phu_lien", "--indicators",
                "budget_revenue", "--db", str(built_db), "--out", str(out)]) == 0
    pages = pdf_pages(out)
    assert any("Phù Liễn — Thu ngân sách nhà nước trên địa bàn" in p for p in pages)
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True)
    assert images.returncode != 0 or len(images.stdout.splitlines()) > 2  # a chart is drawn
