"""The meeting deck: a 16:9 PowerPoint a leader can put on the table unchanged.

Slides, in order: title; summary by ward; the status of every chosen
indicator in every chosen ward (native tables, colour *and* label, paged);
for each ward without a report, what it planned (paged); per reporting ward,
its indicators as % of the annual target (native bar chart, paged); then one
slide per indicator and ward with a native line chart (actual to date vs
scenario vs annual target, month by month, missing months as gaps) and the
key figures (`Report.chart_pairs` says which).

Above `CITY_LAYOUT_ABOVE` units (`Report.city`) the deck is the city's instead
(`exports.city`): title; the city summary (units per status on each key
indicator); who has not reported; the red and amber items, worst first; then
the units asked for in full, each as above (status, plan, bars, charts).

Charts are native PowerPoint charts so staff can restyle them, and need no
browser, so a deck builds in about a second.  Every shape is placed here on
the Blank layout: the default template's placeholders stay 4:3 when the
slide size changes.  Figures in text and data labels are formatted
Vietnamese style by us; value axes use a number format that pins the
Vietnamese grouping (`VI_INTEGER_FORMAT`).  Sources: a footer line on each
slide and the full reference of every figure in the slide notes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from contextlib import contextmanager
from functools import cached_property

import pandas as pd
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt
from xlsxwriter import Workbook

from exports import city
from exports.report import NO_REPORT, Report
from wardplan.display import charts as wc
from wardplan.display import format as fmt
from wardplan.display import overview, progress, styles
from wardplan.rules import kinds
from wardplan.rules import status as status_rules
from wardplan.rules.frames import records
from wardplan.rules.missing import is_missing, is_true, text_or
from wardplan.rules.periods import end_month, period_label
from wardplan.rules.scenario import (
    DERIVED,
    IMPLIED,
    OFFICIAL,
    ORIGIN_LABELS_VI,
    PROVISIONAL_VI,
    WARD_ORIGINS,
)
from wardplan.rules.text import fold

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in, 16:9
MARGIN = Inches(0.5)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
CONTENT_TOP = Inches(1.55)
FOOTER_TOP = Inches(6.88)
CONTENT_BOTTOM = Inches(6.8)

FONT = "Arial"  # has every Vietnamese letter; LibreOffice maps it to Liberation Sans
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x55, 0x55, 0x55)
HEADER_FILL = RGBColor(0xF2, 0xF2, 0xF2)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
ACCENT = RGBColor.from_string(wc.SCENARIO_COLOUR.lstrip("#"))

# Points of the scenario that are the ward's own (official or implied from its sentences).
WARDS_SCENARIO_NAME = (f"Kịch bản của phường ({ORIGIN_LABELS_VI[OFFICIAL]} / "
                       f"{ORIGIN_LABELS_VI[IMPLIED]})")
MATRIX_ROWS = 9  # indicators per status slide
MATRIX_WARDS = 4  # ward columns per status slide
BAR_ROWS = 10  # indicators per bar-chart slide
PLAN_ROWS = 9  # targets per "no report" slide
SUMMARY_WARDS = 9  # wards per summary slide
CITY_ROWS = 8  # key indicators per city summary slide
CITY_ROW_HEIGHT = Inches(0.47)
LIST_ROWS = 10  # units per column of the "not reported" slide (two columns)
LIST_ROW_HEIGHT = Inches(0.42)
NO_REPORT_DETAIL_MAX = 4  # beyond this many wards without a report, list them instead
BAR_AXIS_MAX = 200  # % of the annual target
FOOTER_CHARS = 155  # one 9 pt line across the footer box


class _TextSafeWorkbookWriter(CategoryWorkbookWriter):
    """The workbook behind a native chart ("Edit Data" in PowerPoint), text kept as text.

    python-pptx writes it with xlsxwriter, which by default stores a string
    starting with '=' as a formula and a URL as a link; a catalogue name or a
    ward's text must never run in the reader's Excel.
    """

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class TextSafeChartData(CategoryChartData):
    """CategoryChartData whose embedded workbook cannot turn data into formulas."""

    @cached_property
    def _workbook_writer(self):
        return _TextSafeWorkbookWriter(self)


class _PartNames:
    """Names for new parts (charts, their workbooks, notes slides) from one scan.

    python-pptx names each new part by walking every relationship of the package
    (`OpcPackage.next_partname`), so building a deck grows with the square of its
    slides: 433 slides spent 14 of their 37 s there.  A deck being built never loses a
    part, so the names taken at the start and a counter per template give the same
    names (the first free number) without the walk.
    """

    def __init__(self, package):
        self._taken = {str(part.partname) for part in package.iter_parts()}
        self._next: dict[str, int] = {}

    def __call__(self, template: str) -> PackURI:
        n = self._next.get(template, 1)
        while template % n in self._taken:
            n += 1
        name = template % n
        self._taken.add(name)
        self._next[template] = n + 1
        return PackURI(name)


def new_presentation() -> Presentation:
    """An empty 16:9 presentation that names its parts without rescanning them."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    package = prs.part.package
    package.next_partname = _PartNames(package)  # this package only; python-pptx unchanged
    return prs


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def status_fill(status: str | None) -> RGBColor:
    """Cell background for a status: the dashboard's light tint (dark text stays readable)."""
    return rgb(styles.STATUS_STYLES[status].tint) if status in styles.STATUS_STYLES else WHITE


# --- building blocks -----------------------------------------------------------------------

def _style_run(run, size: float, bold: bool = False, colour: RGBColor = INK) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour


def _write(frame, lines: Sequence[str | tuple], size: float, *, bold: bool = False,
           colour: RGBColor = INK, align=PP_ALIGN.LEFT, spacing: float = 0) -> None:
    """Replace a text frame's text; a line may be (text, size, bold, colour)."""
    frame.clear()
    for i, line in enumerate(lines):
        text, line_size, line_bold, line_colour = (
            line if isinstance(line, tuple) else (line, size, bold, colour))
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        if spacing and i:
            paragraph.space_before = Pt(spacing)
        run = paragraph.add_run()
        run.text = text
        _style_run(run, line_size, line_bold, line_colour)


def _text(slide, x, y, w, h, lines, size: float, *, bold: bool = False, colour: RGBColor = INK,
          align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, spacing: float = 0):
    box = slide.shapes.add_textbox(x, y, w, h)
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.04)
    frame.margin_top = frame.margin_bottom = Inches(0.02)
    _write(frame, [lines] if isinstance(lines, str) else lines, size, bold=bold,
           colour=colour, align=align, spacing=spacing)
    return box


def _header(slide, title: str, subtitle: str = "") -> None:
    _text(slide, MARGIN, Inches(0.32), CONTENT_WIDTH, Inches(0.62), title, 24, bold=True,
          anchor=MSO_ANCHOR.BOTTOM)
    if subtitle:
        _text(slide, MARGIN, Inches(0.95), CONTENT_WIDTH, Inches(0.4), subtitle, 14,
              colour=MUTED)
    rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Inches(1.38), CONTENT_WIDTH,
                                  Emu(Inches(0.03)))
    rule.fill.solid()
    rule.fill.fore_color.rgb = ACCENT
    rule.line.fill.background()


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:") + "…"


def _footer(slide, report: Report, source: str, number: int, total: int) -> None:
    # A shortened document name already ends in '…'; no full stop after it.
    source = _shorten(source.replace("….", "…"), 2 * FOOTER_CHARS - 5)
    _text(slide, MARGIN, FOOTER_TOP, Inches(10.0), Inches(0.5), source, 9, colour=MUTED)
    _text(slide, MARGIN + Inches(10.1), FOOTER_TOP, CONTENT_WIDTH - Inches(10.1), Inches(0.5),
          [f"Xuất ngày {report.produced_text}", f"Trang {number}/{total}"], 9, colour=MUTED,
          align=PP_ALIGN.RIGHT)


def _notes(slide, lines: Sequence[str]) -> None:
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def _cell(cell, lines, size: float, *, bold: bool = False, fill: RGBColor | None = WHITE,
          colour: RGBColor = INK, align=PP_ALIGN.LEFT) -> None:
    frame = cell.text_frame
    frame.word_wrap = True
    _write(frame, [lines] if isinstance(lines, str) else lines, size, bold=bold,
           colour=colour, align=align)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.margin_left = cell.margin_right = Inches(0.06)
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    if fill is not None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
    _borders(cell)


def _borders(cell, colour: str = "BFBFBF", width_emu: int = 9525) -> None:
    """Thin grey borders on all sides (python-pptx has no API for cell borders)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for tag in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
        for old in tc_pr.findall(qn(tag)):
            tc_pr.remove(old)
        line = etree.SubElement(tc_pr, qn(tag), w=str(width_emu), cap="flat", cmpd="sng",
                                algn="ctr")
        fill = etree.SubElement(line, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=colour)
        etree.SubElement(line, qn("a:prstDash"), val="solid")
    # Borders must precede the cell fill in the schema's element order.
    for fill_tag in ("a:solidFill", "a:noFill"):
        for fill in tc_pr.findall(qn(fill_tag)):
            tc_pr.remove(fill)
            tc_pr.append(fill)


def _table(slide, rows: int, cols: int, x, y, w, h, widths: Sequence[float]):
    shape = slide.shapes.add_table(rows, cols, x, y, w, h)
    table = shape.table
    table.first_row = True
    table.horz_banding = False
    total = sum(widths)
    for i, share in enumerate(widths):
        table.columns[i].width = Emu(int(w * share / total))
    for row in table.rows:
        row.height = Emu(int(h / rows))
    return table


def _pages(items: list, size: int) -> list[list]:
    """At most `size` items a slide, spread evenly: 19 rows at 9 a slide are 7, 6 and 6,
    never 9, 9 and a single row left alone on a slide."""
    if not items:
        return [[]]
    count = math.ceil(len(items) / size)
    base, extra = divmod(len(items), count)
    pages, start = [], 0
    for index in range(count):
        end = start + base + (1 if index < extra else 0)
        pages.append(items[start:end])
        start = end
    return pages


def text_lines(text: str, width, size: float) -> int:
    """Lines a text takes in a box `width` (EMU) wide at `size` pt: an estimate on the safe
    side (Arial averages about half an em a character; Vietnamese marks sit above it)."""
    per_line = max(int(Emu(width).inches * 72 / (size * 0.55)), 1)
    return sum(max(math.ceil(len(part) / per_line), 1) for part in str(text).split("\n"))


ATTENTION_HEADERS = ["Đơn vị", "Chỉ tiêu (đơn vị)", "Trạng thái", "Thực hiện đến kỳ", "% KB",
                     "Lý do", "Cơ sở kịch bản"]
ATTENTION_WIDTHS = [1.65, 2.2, 1.7, 1.45, 0.8, 3.3, 1.23]
ATTENTION_SIZE = 11
ATTENTION_HEADER = Inches(0.45)


def _attention_cells(rows: pd.DataFrame) -> tuple[list, list]:
    """The red and amber items' cells, and the height each row takes on a slide."""
    size = ATTENTION_SIZE
    cells = [[row.ward_name, _shorten(row.label, 80),
              [(row.status_cell[0], size, True, INK), *row.status_cell[1:]], row.figure or "—",
              row.pct_scenario or "—", _shorten(row.reason, 200), row.basis]
             for row in records(rows)]
    total = sum(ATTENTION_WIDTHS)
    inner = [Emu(int(CONTENT_WIDTH * w / total) - Inches(0.12)) for w in ATTENTION_WIDTHS]
    heights = [Emu(max(Inches(0.34), Inches(0.1) + Pt(size * 1.2) * max(
        text_lines(_plain(c), inner[j], size) for j, c in enumerate(line)))) for line in cells]
    return cells, heights


def bar_pages(report: Report, wards: list[str] | None = None):
    """(ward, its indicators on one page, page index, pages) for each reporting ward's
    bar chart: ten bars a page at most, spread evenly (the deck and the PDF alike)."""
    for ward in report.ward_codes if wards is None else wards:
        if not report.has_report(ward):
            continue
        rows = progress.summary_rows(report.status_now[report.status_now["ward_code"] == ward])
        if rows.empty:
            continue
        pages = _pages(list(range(len(rows))), BAR_ROWS)
        for index, positions in enumerate(pages):
            yield ward, rows.iloc[positions], index, len(pages)


def _pages_by_height(heights: list, budget) -> list[list[int]]:
    """Rows in order, as many on a page as fit in `budget` (at least one a page)."""
    pages, page, used = [], [], 0
    for position, height in enumerate(heights):
        if page and used + height > budget:
            pages.append(page)
            page, used = [], 0
        page.append(position)
        used += height
    return [*pages, page] if page or not pages else pages


def _page_suffix(index: int, count: int) -> str:
    return f" ({index + 1}/{count})" if count > 1 else ""


def _indicator_label(report: Report, code: str) -> str:
    row = report.indicator(code)
    unit = text_or(row["unit"])
    return f"{row['name_vi']} ({unit})" if unit else str(row["name_vi"])


# --- slides --------------------------------------------------------------------------------

class _Deck:
    def __init__(self, report: Report):
        self.report = report
        self.prs = new_presentation()
        self.blank = self.prs.slide_layouts[6]
        self.footers: list[tuple] = []  # (slide, source text), numbered once all exist

    def slide(self, source: str, notes: Sequence[str]):
        slide = self.prs.slides.add_slide(self.blank)
        self.footers.append((slide, source))
        _notes(slide, notes)
        return slide

    def finish(self) -> Presentation:
        total = len(self.footers)
        for number, (slide, source) in enumerate(self.footers, start=1):
            _footer(slide, self.report, source, number, total)
        return self.prs

    # --- title ---------------------------------------------------------------------------

    def title(self) -> None:
        r = self.report
        names = [r.ward_name(w) for w in r.ward_codes]
        missing = [r.ward_name(w) for w in r.ward_codes if not r.has_report(w)]
        if r.city:
            info = city.reporting(r)
            documents = [f"{len(r.sources)} văn bản kế hoạch và báo cáo của {info.units} đơn vị "
                         "(danh sách đầy đủ: sổ Excel, trang “Nguồn tài liệu”)."]
        else:
            documents = [f"- {row.title_vi} ({text_or(row.doc_number, 'không số')})"
                         for row in records(r.sources)]
        slide = self.slide(
            "Nguồn: kế hoạch và báo cáo của các đơn vị (số văn bản trong ghi chú, danh sách "
            "trong sổ Excel)." if r.city else
            "Nguồn: kế hoạch và báo cáo của các phường (danh sách đầy đủ trong ghi chú).",
            ["Nguồn số liệu: cơ sở dữ liệu Chỉ tiêu 2026, nạp từ các văn bản của phường:",
             *documents,
             "Trạng thái so sánh thực hiện đến kỳ báo cáo gần nhất với kịch bản tăng trưởng "
             f"đến cùng kỳ. Kịch bản “{ORIGIN_LABELS_VI[OFFICIAL]}” là số phường ghi; "
             f"“{ORIGIN_LABELS_VI[IMPLIED]}” tính ngược từ câu “vượt kịch bản X%” của phường; "
             f"“{ORIGIN_LABELS_VI[DERIVED]}” là phần hệ thống tự phân bổ, không phải số của "
             f"phường — trạng thái dựa chủ yếu vào phần này ghi “{PROVISIONAL_VI}”."])
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(0.28), SLIDE_HEIGHT)
        band.fill.solid()
        band.fill.fore_color.rgb = ACCENT
        band.line.fill.background()
        _text(slide, Inches(0.9), Inches(1.5), Inches(11.6), Inches(1.6),
              f"Tình hình thực hiện các chỉ tiêu kinh tế - xã hội năm {r.year}", 34, bold=True,
              anchor=MSO_ANCHOR.BOTTOM)
        lines = [(f"Kỳ báo cáo: {r.period_label} (số liệu đến hết tháng "
                  f"{end_month(r.as_of)}/{r.year})", 20, True, INK)]
        if r.city:
            lines += [(f"Đơn vị: {city.units_text(info)}", 18, False, INK),
                      (f"{NO_REPORT} thực hiện: {info.missing} đơn vị"
                       + (f"; chưa có số liệu kỳ này: {info.stale} đơn vị" if info.stale else ""),
                       18, False, INK)]
            full = [r.ward_name(w) for w in r.full_codes]
            if full:
                lines.append((f"Trình bày đầy đủ: {_names(full)}", 18, False, INK))
            lines.append((f"{len(city.key_indicators(r))} chỉ tiêu chủ yếu trong "
                          f"{len(r.indicator_codes)} chỉ tiêu được chọn · Xuất ngày "
                          f"{r.produced_text} từ hệ thống Chỉ tiêu {r.year}", 16, False, MUTED))
        else:
            lines.append((f"Phường: {_names(names)}", 18, False, INK))
            if missing:
                lines.append((f"{NO_REPORT} thực hiện: {_names(missing)}", 18, False, INK))
            lines.append((f"{len(r.indicator_codes)} chỉ tiêu được chọn · Xuất ngày "
                          f"{r.produced_text} từ hệ thống Chỉ tiêu {r.year}", 16, False, MUTED))
        _text(slide, Inches(0.9), Inches(3.35), Inches(11.6), Inches(2.6), lines, 18,
              spacing=10)

    # --- the city: summary, who has not reported, red and amber items -------------------

    def city_summary(self) -> None:
        r = self.report
        counts = city.indicator_counts(r)
        info = city.reporting(r)
        pages = _pages(list(range(len(counts))), CITY_ROWS)
        for index, positions in enumerate(pages):
            self._city_summary_slide(counts.iloc[positions], info, index, len(pages))

    def _city_summary_slide(self, counts: pd.DataFrame, info, index: int, count: int) -> None:
        r = self.report
        slide = self.slide(
            f"Nguồn: trạng thái tính từ kế hoạch và báo cáo của {info.units} đơn vị (danh sách "
            "văn bản: sổ Excel, trang “Nguồn tài liệu”; từng số liệu: trang của từng đơn vị).",
            [f"Nguồn: kế hoạch năm và báo cáo thực hiện của {info.units} đơn vị, {len(r.sources)}"
             " văn bản; tham chiếu đầy đủ của từng số liệu trong sổ Excel (cột Nguồn chỉ tiêu, "
             "Nguồn số liệu thực hiện).",
             f"Mỗi ô: số đơn vị có trạng thái đó trên chỉ tiêu, tại {r.period_label}. Chỉ tiêu "
             "chủ yếu: các chỉ tiêu không phải khoản con của chỉ tiêu khác.",
             *[f"- {row.label}: " + ", ".join(
                 f"{styles.STATUS_STYLES[s].label.lower()} {int(getattr(row, s))}"
                 for s in styles.STATUS_ORDER) + f"; {int(row.units)} đơn vị đặt chỉ tiêu"
               for row in records(counts)],
             *_status_legend(r.bands)])
        _header(slide, f"Toàn thành phố — {r.period_label}{_page_suffix(index, count)}",
                f"{city.units_text(info)}: {info.reported} đã có báo cáo, {info.missing} chưa có"
                " · số đơn vị theo trạng thái trên từng chỉ tiêu chủ yếu")
        headers = ["Chỉ tiêu chủ yếu (đơn vị)",
                   *[styles.STATUS_STYLES[s].text for s in styles.STATUS_ORDER],
                   "Đơn vị đặt chỉ tiêu"]
        height = min(CITY_ROW_HEIGHT * (len(counts) + 1), CONTENT_BOTTOM - CONTENT_TOP)
        table = _table(slide, len(counts) + 1, len(headers), MARGIN, CONTENT_TOP, CONTENT_WIDTH,
                       height, [5.0, 1.45, 1.65, 1.65, 1.95, 1.55])
        for j, text in enumerate(headers):
            status = styles.STATUS_ORDER[j - 1] if 1 <= j <= len(styles.STATUS_ORDER) else None
            _cell(table.cell(0, j), text, 13, bold=True,
                  fill=status_fill(status) if status else HEADER_FILL,
                  align=PP_ALIGN.LEFT if j == 0 else PP_ALIGN.CENTER)
        for i, row in enumerate(records(counts), start=1):
            _cell(table.cell(i, 0), _shorten(row.label, 80), 13)
            for j, status in enumerate(styles.STATUS_ORDER, start=1):
                n = int(getattr(row, status))
                _cell(table.cell(i, j), fmt.format_value(n), 14,
                      bold=n > 0 and status != status_rules.GREY,
                      fill=status_fill(status) if n else WHITE, align=PP_ALIGN.CENTER)
            _cell(table.cell(i, len(headers) - 1), fmt.format_value(int(row.units)), 14,
                  align=PP_ALIGN.CENTER)
        top = CONTENT_TOP + height + Inches(0.2)
        if top + Inches(0.45) <= CONTENT_BOTTOM:
            _text(slide, MARGIN, top, CONTENT_WIDTH, CONTENT_BOTTOM - top,
                  _short_legend(r.bands), 11, colour=MUTED)

    def not_reported(self) -> None:
        r = self.report
        late = city.not_reported(r)
        if late.empty:
            return
        info = city.reporting(r)
        pages = _pages(list(range(len(late))), 2 * LIST_ROWS)
        for index, positions in enumerate(pages):
            self._not_reported_slide(late.iloc[positions], info, index, len(pages))

    def _not_reported_slide(self, rows: pd.DataFrame, info, index: int, count: int) -> None:
        r = self.report
        refs = {w: r.target_rows(w)["source_ref"].dropna().tolist() for w in rows["ward_code"]}
        slide = self.slide(
            "Nguồn: kế hoạch năm và báo cáo thực hiện đã nạp của từng đơn vị (văn bản kế hoạch "
            "trong ghi chú trang; chỉ tiêu kế hoạch trong sổ Excel).",
            [f"Đơn vị chưa báo cáo tại {r.period_label}: {info.missing} đơn vị chưa có báo cáo "
             f"thực hiện năm {r.year}; {info.stale} đơn vị có báo cáo nhưng chưa có số liệu kỳ "
             "này (trạng thái của các đơn vị này theo số liệu kỳ trước, ghi ↩).",
             "Nguồn chỉ tiêu kế hoạch của từng đơn vị:",
             *[f"- {r.ward_name(w)}: {'; '.join(r.short_sources(refs[w])) or 'chưa có'}"
               for w in rows["ward_code"]]])
        _header(slide, f"Đơn vị chưa báo cáo — {r.period_label}{_page_suffix(index, count)}",
                f"{info.missing} đơn vị chưa có báo cáo thực hiện năm {r.year}"
                + (f"; {info.stale} đơn vị chưa có số liệu kỳ này (trạng thái theo kỳ trước)"
                   if info.stale else ""))
        half = math.ceil(len(rows) / 2)
        groups = [rows.iloc[:half], rows.iloc[half:]] if len(rows) > 1 else [rows]
        group_width = Emu(int((CONTENT_WIDTH - Inches(0.3)) / 2))
        for g, group in enumerate(groups):
            if group.empty:
                continue
            left = MARGIN + g * (group_width + Inches(0.3))
            height = min(LIST_ROW_HEIGHT * (len(group) + 1), CONTENT_BOTTOM - CONTENT_TOP)
            table = _table(slide, len(group) + 1, 3, left, CONTENT_TOP, group_width, height,
                           [2.75, 0.95, 2.3])
            for j, text in enumerate(["Đơn vị", "Loại", "Tình hình báo cáo"]):
                _cell(table.cell(0, j), text, 12, bold=True, fill=HEADER_FILL)
            for i, row in enumerate(records(group), start=1):
                _cell(table.cell(i, 0), row.name, 12)
                _cell(table.cell(i, 1), text_or(row.type, "—"), 12)
                _cell(table.cell(i, 2), city.not_reported_text(row), 12,
                      fill=status_fill(status_rules.GREY) if row.state == city.NONE else WHITE)

    def attention(self) -> None:
        r = self.report
        items = city.attention_rows(r)
        shown = items.head(city.ATTENTION_MAX)
        cells, heights = _attention_cells(shown)
        # As many rows as fit: a reason runs to four lines, a unit's name to three.
        pages = _pages_by_height(heights, CONTENT_BOTTOM - CONTENT_TOP - ATTENTION_HEADER)
        for index, positions in enumerate(pages):
            self._attention_slide(items, shown.iloc[positions], [cells[p] for p in positions],
                                  [heights[p] for p in positions], index, len(pages))

    def _attention_slide(self, items: pd.DataFrame, rows: pd.DataFrame, cells: list,
                         heights: list, index: int, count: int) -> None:
        r = self.report
        notes = [f"Các chỉ tiêu chủ yếu ở mức {styles.STATUS_STYLES[status_rules.RED].text} và "
                 f"{styles.STATUS_STYLES[status_rules.AMBER].text} tại {r.period_label}, xếp từ "
                 "thấp nhất so với kịch bản đến kỳ. Nguồn từng số liệu, và nhận xét đầy đủ:"]
        refs = []
        for row in records(rows):
            notes.append(f"- {row.ward_name} · {row.label}: {row.note}")
            for what, ref in r.source_refs(row.ward_code, row.indicator_code):
                notes.append(f"  {what}: {ref}")
                refs.append(ref)
        documents = r.short_sources(refs)
        slide = self.slide("Nguồn: " + ("; ".join(documents) or "báo cáo của các đơn vị")
                           + ". Nguồn từng số liệu: xem ghi chú trang.", notes)
        subtitle = city.attention_subtitle(items)
        _header(slide, f"Chậm và cần chú ý — {r.period_label}{_page_suffix(index, count)}",
                subtitle)
        if rows.empty:
            _text(slide, MARGIN, CONTENT_TOP, CONTENT_WIDTH, Inches(1),
                  f"Không có chỉ tiêu chủ yếu nào ở mức "
                  f"{styles.STATUS_STYLES[status_rules.RED].text} hoặc "
                  f"{styles.STATUS_STYLES[status_rules.AMBER].text} tại {r.period_label}.", 16)
            return
        height = Emu(ATTENTION_HEADER + sum(heights))
        table = _table(slide, len(cells) + 1, len(ATTENTION_HEADERS), MARGIN, CONTENT_TOP,
                       CONTENT_WIDTH, height, ATTENTION_WIDTHS)
        table.rows[0].height = ATTENTION_HEADER
        for j, text in enumerate(ATTENTION_HEADERS):
            _cell(table.cell(0, j), text, 11, bold=True, fill=HEADER_FILL,
                  align=PP_ALIGN.RIGHT if j in (3, 4) else PP_ALIGN.LEFT)
        for i, (line, row) in enumerate(zip(cells, records(rows), strict=True),
                                        start=1):
            table.rows[i].height = heights[i - 1]
            for j, value in enumerate(line):
                _cell(table.cell(i, j), value, ATTENTION_SIZE,
                      fill=status_fill(row.status) if j == 2 else WHITE,
                      align=PP_ALIGN.RIGHT if j in (3, 4) else PP_ALIGN.LEFT)
        rest = len(items) - city.ATTENTION_MAX
        top = CONTENT_TOP + height + Inches(0.15)
        if index == count - 1 and rest > 0 and top + Inches(0.3) <= CONTENT_BOTTOM:
            _text(slide, MARGIN, top, CONTENT_WIDTH, CONTENT_BOTTOM - top,
                  f"Còn {fmt.format_value(rest)} mục chậm hoặc cần chú ý khác: đầy đủ trong sổ "
                  "Excel (trang của từng đơn vị, cột Trạng thái) và trang Tổng quan của hệ thống.",
                  11, colour=MUTED)

    # --- summary by ward -------------------------------------------------------------------

    def ward_summary(self) -> None:
        r = self.report
        now = r.status_now

        def worst_first(ward: str) -> tuple:
            rows = now[now["ward_code"] == ward]["status"]
            return (not r.has_report(ward), -(rows == status_rules.RED).sum(),
                    -(rows == status_rules.AMBER).sum(), fold(r.ward_name(ward)))

        pages = _pages(sorted(r.ward_codes, key=worst_first), SUMMARY_WARDS)
        for index, wards in enumerate(pages):
            self._ward_summary_slide(wards, index, len(pages))

    def _ward_summary_slide(self, wards: list[str], index: int, count: int) -> None:
        r = self.report
        counts = overview.ward_counts(r.status_now).set_index("ward_code") \
            if not r.status_now.empty else pd.DataFrame()
        slide = self.slide(
            "Nguồn: trạng thái tính từ số liệu thực hiện, kịch bản và chỉ tiêu năm trong văn "
            "bản của từng phường (chi tiết ở các trang sau và trong ghi chú).",
            ["Nguồn: " + "; ".join(r.short_sources(
                ref for w in wards for c in r.indicator_codes
                for _, ref in r.source_refs(w, c))) + ".",
             "Đếm số chỉ tiêu đã chọn theo trạng thái tại kỳ " + r.period_label + ".",
             "Trạng thái: so sánh thực hiện đến kỳ với kịch bản tăng trưởng đến kỳ của phường.",
             *[f"{styles.STATUS_STYLES[s].text}: màu {styles.STATUS_STYLES[s].colour}"
               for s in styles.STATUS_ORDER]])
        _header(slide, f"Tổng hợp theo phường — {r.period_label}{_page_suffix(index, count)}",
                "Số chỉ tiêu đã chọn theo trạng thái (so với kịch bản tăng trưởng đến kỳ)")
        headers = ["Phường", "Báo cáo", *[styles.STATUS_STYLES[s].text for s in styles.STATUS_ORDER],
                   "Tổng"]
        height = min(Inches(0.5) * (len(wards) + 1), CONTENT_BOTTOM - CONTENT_TOP)
        table = _table(slide, len(wards) + 1, len(headers), MARGIN, CONTENT_TOP,
                       CONTENT_WIDTH, height, [2.6, 2.2, 1.5, 1.5, 1.5, 1.9, 1.0])
        for j, text in enumerate(headers):
            status = styles.STATUS_ORDER[j - 2] if 2 <= j < 2 + len(styles.STATUS_ORDER) else None
            _cell(table.cell(0, j), text, 13, bold=True,
                  fill=status_fill(status) if status else HEADER_FILL,
                  align=PP_ALIGN.LEFT if j < 2 else PP_ALIGN.CENTER)
        for i, ward in enumerate(wards, start=1):
            reported = r.has_report(ward)
            _cell(table.cell(i, 0), r.ward_name(ward), 13, bold=True)
            _cell(table.cell(i, 1), "Đã có" if reported else f"○ {NO_REPORT}", 13,
                  fill=WHITE if reported else status_fill(status_rules.GREY))
            row = counts.loc[ward] if ward in counts.index else None
            for j, status in enumerate(styles.STATUS_ORDER, start=2):
                n = int(row[status]) if row is not None else 0
                show_dash = not reported and status != status_rules.GREY
                _cell(table.cell(i, j), "—" if show_dash else str(n), 14,
                      bold=n > 0 and status != status_rules.GREY,
                      fill=status_fill(status) if n and not show_dash else WHITE,
                      align=PP_ALIGN.CENTER)
            total = int(row["total"]) if row is not None else 0
            _cell(table.cell(i, len(headers) - 1), str(total), 14, align=PP_ALIGN.CENTER)
        top = CONTENT_TOP + height + Inches(0.35)
        if top < CONTENT_BOTTOM - Inches(1.2):
            _text(slide, MARGIN, top, CONTENT_WIDTH, Inches(1.5), _status_legend(r.bands), 13,
                  colour=MUTED, spacing=3)

    # --- status matrix ---------------------------------------------------------------------

    def status_matrix(self, wards: list[str] | None = None) -> None:
        r = self.report
        ward_pages = _pages(r.ward_codes if wards is None else wards, MATRIX_WARDS)
        row_pages = _pages(r.indicator_codes, MATRIX_ROWS)
        count = len(ward_pages) * len(row_pages)
        index = 0
        for wards in ward_pages:
            for indicators in row_pages:
                self._matrix_slide(wards, indicators, index, count)
                index += 1

    def _matrix_slide(self, wards: list[str], indicators: list[str], index: int,
                      count: int) -> None:
        r = self.report
        notes = [f"Trạng thái tại {r.period_label}; mỗi ô ghi nhãn trạng thái và % kịch bản "
                 "đến kỳ. Nguồn từng số liệu:"]
        for ward in wards:
            for code in indicators:
                for what, ref in r.source_refs(ward, code):
                    notes.append(f"- {r.ward_name(ward)} · {_indicator_label(r, code)} · "
                                 f"{what}: {ref}")
        documents = r.short_sources(
            ref for w in wards for c in indicators for _, ref in r.source_refs(w, c))
        slide = self.slide("Nguồn: " + ("; ".join(documents) if documents else
                                        "kế hoạch năm của các phường")
                           + ". Nguồn từng ô: xem ghi chú trang.", notes)
        _header(slide, f"Trạng thái các chỉ tiêu — {r.period_label}{_page_suffix(index, count)}",
                "Mỗi ô: trạng thái so với kịch bản đến kỳ và tỷ lệ thực hiện/kịch bản "
                "(KB); “—”: phường không đặt chỉ tiêu này")
        rows = len(indicators) + 1
        available = CONTENT_BOTTOM - CONTENT_TOP
        height = min(available, Inches(0.49) * rows)
        widths = [4.2] + [2.2] * len(wards)
        table = _table(slide, rows, len(wards) + 1, MARGIN, CONTENT_TOP, CONTENT_WIDTH,
                       height, widths)
        _cell(table.cell(0, 0), "Chỉ tiêu (đơn vị)", 12, bold=True, fill=HEADER_FILL)
        for j, ward in enumerate(wards, start=1):
            label = r.ward_name(ward) + ("" if r.has_report(ward) else f"\n({NO_REPORT})")
            _cell(table.cell(0, j), label.split("\n"), 12, bold=True, fill=HEADER_FILL,
                  align=PP_ALIGN.CENTER)
        for i, code in enumerate(indicators, start=1):
            _cell(table.cell(i, 0), _shorten(_indicator_label(r, code), 90), 11)
            for j, ward in enumerate(wards, start=1):
                text, status = r.status_label(ward, code)
                row = r.status_row(ward, code)
                lines = [text] if status is not None else ["—"]
                if row is not None and not is_missing(row["pct_of_scenario"]):
                    lines.append(f"{fmt.pct(row['pct_of_scenario'])} KB")
                _cell(table.cell(i, j), lines, 11, fill=status_fill(status),
                      colour=INK if status is not None else MUTED, align=PP_ALIGN.CENTER)

    # --- wards without a report -------------------------------------------------------------

    def no_report(self, wards: list[str] | None = None) -> None:
        r = self.report
        missing = [w for w in (r.ward_codes if wards is None else wards) if not r.has_report(w)]
        if len(missing) > NO_REPORT_DETAIL_MAX:
            # Dozens of wards' plans would bury the meeting: list the wards instead
            # (their targets are in the workbook).
            pages = _pages(missing, SUMMARY_WARDS)
            for index, wards in enumerate(pages):
                self._no_report_list_slide(wards, len(missing), index, len(pages))
            return
        for ward in missing:
            targets = r.target_rows(ward)
            targets = targets[targets["indicator_code"].isin(r.indicator_codes)]
            order = {c: i for i, c in enumerate(r.indicator_codes)}
            targets = targets.sort_values("indicator_code", key=lambda s: s.map(order))
            pages = _pages(list(records(targets)), PLAN_ROWS)
            for index, rows in enumerate(pages):
                self._no_report_slide(ward, rows, index, len(pages))

    def _no_report_list_slide(self, wards: list[str], total: int, index: int,
                              count: int) -> None:
        r = self.report
        refs = {w: r.target_rows(w)["source_ref"].dropna().tolist() for w in wards}
        slide = self.slide(
            "Nguồn: kế hoạch năm của từng phường (văn bản ghi trong bảng; chi tiết trong "
            "ghi chú trang và trong sổ Excel).",
            [f"{total} phường chưa có báo cáo thực hiện năm {r.year}. Nguồn chỉ tiêu kế hoạch:",
             *[f"- {r.ward_name(w)}: {'; '.join(r.short_sources(refs[w])) or 'chưa có'}"
               for w in wards]])
        _header(slide, f"{total} phường {NO_REPORT.lower()} thực hiện"
                       f"{_page_suffix(index, count)}",
                f"Chưa đánh giá được đến {r.period_label}; chỉ tiêu kế hoạch của từng phường "
                "có trong sổ Excel.")
        height = min(Inches(0.5) * (len(wards) + 1), CONTENT_BOTTOM - CONTENT_TOP)
        table = _table(slide, len(wards) + 1, 3, MARGIN, CONTENT_TOP, CONTENT_WIDTH, height,
                       [3.0, 2.2, 7.1])
        for j, text in enumerate(["Phường", "Số chỉ tiêu đã chọn", "Văn bản kế hoạch"]):
            _cell(table.cell(0, j), text, 12, bold=True, fill=HEADER_FILL)
        for i, ward in enumerate(wards, start=1):
            planned = r.target_rows(ward)["indicator_code"].isin(r.indicator_codes).sum()
            _cell(table.cell(i, 0), f"○ {r.ward_name(ward)}", 12, fill=status_fill(status_rules.GREY))
            _cell(table.cell(i, 1), str(int(planned)), 12, align=PP_ALIGN.CENTER)
            _cell(table.cell(i, 2), _shorten("; ".join(r.short_sources(refs[ward])) or "—",
                                             150), 11)

    def _no_report_slide(self, ward: str, rows: list, index: int, count: int) -> None:
        r = self.report
        name = r.ward_name(ward)
        notes = [f"{name}: chưa có báo cáo thực hiện năm {r.year} trong cơ sở dữ liệu; "
                 "trang này liệt kê chỉ tiêu kế hoạch của phường.",
                 "Nguồn từng chỉ tiêu:",
                 *[f"- {_indicator_label(r, row.indicator_code)}: {row.source_ref}"
                   for row in rows]]
        documents = r.short_sources(row.source_ref for row in rows)
        slide = self.slide("Nguồn chỉ tiêu: " + ("; ".join(documents) or "kế hoạch năm của "
                                                 "phường") + ". Chi tiết: xem ghi chú trang.",
                           notes)
        _header(slide, f"{name} — {NO_REPORT} thực hiện{_page_suffix(index, count)}",
                f"Phường chưa gửi số liệu thực hiện đến {r.period_label}. Dưới đây là chỉ "
                "tiêu kế hoạch năm của phường (chưa đánh giá được).")
        if not rows:
            _text(slide, MARGIN, CONTENT_TOP, CONTENT_WIDTH, Inches(1),
                  "Phường không đặt chỉ tiêu nào trong số các chỉ tiêu đã chọn.", 16)
            return
        height = min(CONTENT_BOTTOM - CONTENT_TOP, Inches(0.5) * (len(rows) + 1))
        table = _table(slide, len(rows) + 1, 3, MARGIN, CONTENT_TOP, CONTENT_WIDTH, height,
                       [4.6, 5.0, 2.7])
        for j, text in enumerate(["Chỉ tiêu (đơn vị)", f"Chỉ tiêu năm {r.year} (nguyên văn)",
                                  f"Kịch bản đến {r.period_label}"]):
            _cell(table.cell(0, j), text, 12, bold=True, fill=HEADER_FILL)
        for i, row in enumerate(rows, start=1):
            status = r.status_row(ward, row.indicator_code)
            scenario = "—"
            if status is not None and not is_missing(status["scenario_to_date"]):
                scenario = fmt.format_status_figure(
                    status["scenario_to_date"], text_or(r.indicator(row.indicator_code)["unit"]))
                if status["scenario_origin"] == DERIVED:
                    scenario += f" ({ORIGIN_LABELS_VI[DERIVED]})"
            _cell(table.cell(i, 0), _shorten(_indicator_label(r, row.indicator_code), 80), 11)
            _cell(table.cell(i, 1), _shorten(text_or(row.target_text, "—"), 120), 11)
            _cell(table.cell(i, 2), scenario, 11)

    # --- progress bars per ward ---------------------------------------------------------------

    def ward_bars(self, wards: list[str] | None = None) -> None:
        for ward, rows, index, count in bar_pages(self.report, wards):
            self._bar_slide(ward, rows, index, count)

    def _bar_slide(self, ward: str, rows: pd.DataFrame, index: int, count: int) -> None:
        r = self.report
        name = r.ward_name(ward)
        codes = rows["indicator_code"].tolist()
        refs = [(c, what, ref) for c in codes for what, ref in r.source_refs(ward, c)]
        slide = self.slide(
            "Nguồn: " + "; ".join(r.short_sources(ref for _, _, ref in refs))
            + ". Nguồn từng số liệu: xem ghi chú trang.",
            [f"{name}: thực hiện đến {r.period_label} tính theo % chỉ tiêu năm; thanh thứ hai "
             "là kịch bản đến kỳ theo % chỉ tiêu năm. Màu và nhãn theo trạng thái.",
             "Nguồn từng số liệu:",
             *[f"- {_indicator_label(r, c)} · {what}: {ref}" for c, what, ref in refs]])
        _header(slide, f"{name} — Thực hiện so với chỉ tiêu năm{_page_suffix(index, count)}",
                f"% chỉ tiêu năm đã đạt đến {r.period_label}, so với % mà kịch bản đặt ra "
                "đến kỳ · nhãn: trạng thái so với kịch bản")
        data = TextSafeChartData(number_format='#,##0.0"%"')
        # Bar charts draw categories bottom-up: reverse so the worst comes first on top.
        ordered = rows.iloc[::-1]
        data.categories = [_shorten(_indicator_label(r, c), 72) for c in ordered["indicator_code"]]
        # Within a group the first series is drawn lowest: the scenario goes first so
        # the ward's own bar sits on top, next to its label.
        data.add_series(f"Kịch bản đến {r.period_label} (% chỉ tiêu năm)",
                        [_finite(v) for v in ordered["scenario_pct_of_target"]])
        milestone = [k == kinds.MILESTONE for k in ordered["kind"]]
        data.add_series("Thực hiện (% chỉ tiêu năm)",
                        # 0 keeps the point, so its label can say why there is no bar.
                        [0.0 if m else _finite(v)
                         for v, m in zip(ordered["pct_of_target"], milestone, strict=True)])
        frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, MARGIN, CONTENT_TOP,
                                       CONTENT_WIDTH, CONTENT_BOTTOM - CONTENT_TOP, data)
        chart = frame.chart
        _chart_text(chart, 11)
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        plot = chart.plots[0]
        plot.gap_width = 40
        plot.overlap = -10
        scenario, actual = plot.series
        actual.format.fill.solid()
        actual.format.fill.fore_color.rgb = rgb(styles.STATUS_STYLES[status_rules.GREEN].colour)
        scenario.format.fill.solid()
        scenario.format.fill.fore_color.rgb = rgb("#BDBDBD")
        for i, (value, status) in enumerate(zip(ordered["pct_of_target"], ordered["status"], strict=True)):
            style = styles.STATUS_STYLES.get(status, styles.STATUS_STYLES[status_rules.GREY])
            point = actual.points[i]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb(style.colour)
            label = point.data_label
            label.position = XL_LABEL_POSITION.OUTSIDE_END
            # A milestone is judged at year end: no bar, and no "0 %" that reads as no progress.
            text = wc.MILESTONE_TEXT if milestone[i] else fmt.pct(value)
            _write(label.text_frame, [f"{style.symbol} {text}"], 11)
        axis = chart.value_axis
        axis.minimum_scale = 0
        top = max([110.0] + [float(v) * 1.15 for v in
                             list(rows["pct_of_target"]) + list(rows["scenario_pct_of_target"])
                             if not is_missing(v)])
        # One absurd ratio (a unit written wrong in the source) must not flatten every
        # other bar: the axis stops at BAR_AXIS_MAX and the label still tells the value.
        axis.maximum_scale = min(math.ceil(top / 10) * 10, BAR_AXIS_MAX)
        axis.has_major_gridlines = True
        axis.major_gridlines.format.line.color.rgb = rgb("#E5E5E5")
        axis.tick_labels.number_format = axis_format("%")
        axis.tick_labels.number_format_is_linked = False
        chart.category_axis.tick_labels.font.size = Pt(11)

    # --- one indicator, one ward ---------------------------------------------------------------

    def indicator_charts(self) -> None:
        for indicator, ward in self.report.chart_pairs():
            self.chart(ward, indicator)

    def chart(self, ward: str, indicator: str) -> None:
        """One ward × indicator: its month-by-month chart and key figures."""
        r = self.report
        meta = r.indicator(indicator)
        unit = text_or(meta["unit"])
        kind = text_or(meta["kind"])
        series = r.series(ward, indicator)
        status = r.status_row(ward, indicator)
        shown = unit  # one scale per view: the slide's chart, panel and notes use the unit
        cumulative = kind in kinds.CUMULATIVE
        refs = r.source_refs(ward, indicator)
        name = r.ward_name(ward)
        notes = [f"{name} — {meta['name_vi']} ({unit or 'không đơn vị'}), đến {r.period_label}.",
                 f"Đơn vị trên biểu đồ: {shown or 'không có'}.",
                 r.scenario_note(ward, indicator),
                 "Nguồn từng số liệu:", *[f"- {what}: {ref}" for what, ref in refs]]
        if status is not None and text_or(status["note"]):
            notes += ["Nhận xét tự động:", text_or(status["note"])]
        errors = r.data_errors(ward, indicator)
        if errors:
            notes += ["Lỗi dữ liệu phát hiện khi nạp (xem trang Chất lượng dữ liệu):",
                      *[f"- {m}" for m in errors]]
        targets = r.short_sources(ref for what, ref in refs if what == "Chỉ tiêu năm")
        actuals = r.short_sources(ref for what, ref in refs if what != "Chỉ tiêu năm")
        source = (f"Nguồn — chỉ tiêu năm: {'; '.join(targets) or 'không có'}. Thực hiện: "
                  f"{'; '.join(actuals) or 'chưa có'}. Chi tiết từng số liệu: "
                  "xem ghi chú trang.")
        slide = self.slide(source, notes)
        what = "Lũy kế thực hiện" if cumulative else "Mức đạt"
        _header(slide, _shorten(f"{name} — {meta['name_vi']}", 80),
                f"{what} so với kịch bản và chỉ tiêu năm · đơn vị: {shown or 'không có'}"
                f" · đến {r.period_label}")
        chart_width = Inches(8.55)
        self._line_chart(slide, series, shown, cumulative, MARGIN, CONTENT_TOP, chart_width,
                         CONTENT_BOTTOM - CONTENT_TOP)
        self._key_figures(slide, status, shown, r.scenario_note(ward, indicator), errors,
                          MARGIN + chart_width + Inches(0.2),
                          CONTENT_TOP, CONTENT_WIDTH - chart_width - Inches(0.2))

    def _line_chart(self, slide, series: pd.DataFrame, shown: str, cumulative: bool,
                    x, y, w, h) -> None:
        data = TextSafeChartData()
        data.categories = wc.MONTH_TICKS
        actual = [_finite(v) for v in series["actual"]]
        scenario = [_finite(v) for v in series["scenario"]]
        # The ward's own points (official or implied), marked apart from our phasing.
        wards = [v if o in WARD_ORIGINS else None
                 for v, o in zip(scenario, series["origin"], strict=True)]
        target = _finite(series["target"].iloc[0])
        roles = []
        if any(v is not None for v in scenario):
            data.add_series("Kịch bản lũy kế" if cumulative else "Kịch bản (mức cần đạt)",
                            scenario)
            roles.append("scenario")
        if any(v is not None for v in wards):
            data.add_series(WARDS_SCENARIO_NAME, wards)
            roles.append("wards")
        if target is not None:
            data.add_series(f"Chỉ tiêu năm {self.report.year}: {fmt.format_value(target, shown)}",
                            [target] * 12)
            roles.append("target")
        # Last, so it is drawn on top: an actual close to the scenario stays visible.
        data.add_series(wc.ACTUAL_NAME if cumulative else "Thực hiện (mức đạt)", actual)
        roles.append("actual")
        frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, x, y, w, h, data)
        chart = frame.chart
        _chart_text(chart, 12)
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(12)
        for role, line in zip(roles, chart.plots[0].series, strict=True):
            line.smooth = False
            if role == "actual":
                _line(line, wc.ACTUAL_COLOUR, 3.0)
                _marker(line, XL_MARKER_STYLE.DIAMOND, 11, wc.ACTUAL_COLOUR)
                top = max([v for v in actual + scenario + [target] if v is not None], default=0)
                for i, value in enumerate(actual):
                    if value is not None:
                        label = line.points[i].data_label
                        label.position = _label_position(value, scenario[i], top)
                        _write(label.text_frame, [_label_text(value, shown)], 13, bold=True)
            elif role == "scenario":
                _line(line, wc.SCENARIO_COLOUR, 2.0, MSO_LINE_DASH_STYLE.DASH)
                _marker(line, XL_MARKER_STYLE.CIRCLE, 5, wc.SCENARIO_COLOUR)
            elif role == "wards":
                # Shape, not fill, tells the ward's from ours: viewers differ on marker fills.
                line.format.line.fill.background()
                _marker(line, XL_MARKER_STYLE.SQUARE, 10, wc.SCENARIO_COLOUR)
            else:
                _line(line, wc.TARGET_COLOUR, 2.25, MSO_LINE_DASH_STYLE.ROUND_DOT)
                line.marker.style = XL_MARKER_STYLE.NONE
        plotted = [v for v in actual + scenario + [target] if v is not None]
        axis = chart.value_axis
        axis.minimum_scale = 0
        top = max(plotted, default=0)
        if 0 < top <= 6 and shown != "%":
            axis.major_unit = 1  # counts (schools, classrooms): whole ticks, no 0,2 steps
            axis.maximum_scale = math.ceil(top) + 1
        axis.has_major_gridlines = True
        axis.major_gridlines.format.line.color.rgb = rgb("#E5E5E5")
        axis.tick_labels.number_format = axis_format(shown)
        axis.tick_labels.number_format_is_linked = False
        axis.has_title = True
        _write(axis.axis_title.text_frame, [shown or "giá trị"], 12, colour=MUTED)
        category = chart.category_axis
        category.has_title = True
        _write(category.axis_title.text_frame, [f"Tháng (năm {self.report.year})"], 12, colour=MUTED)

    def _key_figures(self, slide, status: pd.Series | None, shown: str,
                     scenario_note: str, errors: list[str], x, y, w) -> None:
        if status is None:
            return
        code = status["status"] if status["status"] in styles.STATUS_STYLES else status_rules.GREY
        style = styles.STATUS_STYLES[code]
        badge = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, x, y, w, Inches(0.55))
        badge.fill.solid()
        badge.fill.fore_color.rgb = rgb(style.tint)
        badge.line.color.rgb = rgb(style.colour)
        badge.line.width = Pt(2)
        frame = badge.text_frame
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        badge_text = styles.status_text(code, status["status_reason"])
        if is_true(status["provisional"]):
            badge_text += f" · {PROVISIONAL_VI}"
        _write(frame, [badge_text], 16, bold=True, align=PP_ALIGN.CENTER)

        # The chart's unit, so panel and axis agree.
        figures = [
            ("Thực hiện đến kỳ", fmt.format_status_figure(_finite(status["actual_to_date"]), shown)),
            ("Kịch bản đến kỳ", fmt.format_status_figure(_finite(status["scenario_to_date"]), shown)),
            ("Chỉ tiêu năm", fmt.format_value(_finite(status["target_value"]), shown)),
            ("% kịch bản", fmt.pct(status["pct_of_scenario"])),
            ("% chỉ tiêu năm", fmt.pct(status["pct_of_target"])),
            ("Dự báo cuối năm", fmt.outlook_short(status).removeprefix("≈ ") or "—"),
            ("Phường tự đánh giá", text_or(status["ward_verdict"], "—")),
        ]
        if is_true(status["carried"]) and isinstance(status["actual_period"], str):
            figures.append(("Kỳ của số liệu", period_label(status["actual_period"])))
        top = y + Inches(0.7)
        label_width, value_width = Emu(int(w * 1.55 / 3.55)), Emu(int(w * 2.0 / 3.55))
        # Rows grow with their text when rendered; place what follows below the grown table.
        heights = [Emu(max(Inches(0.33), Inches(0.08) + Pt(15) * max(
            text_lines(label, label_width - Inches(0.12), 11),
            text_lines(value, value_width - Inches(0.12), 12)))) for label, value in figures]
        height = Emu(sum(heights))
        table = _table(slide, len(figures), 2, x, top, w, height, [1.55, 2.0])
        for i, (label, value) in enumerate(figures):
            table.rows[i].height = heights[i]
            _cell(table.cell(i, 0), label, 11, fill=HEADER_FILL)
            _cell(table.cell(i, 1), value, 12, bold=True, align=PP_ALIGN.RIGHT)
        note = fmt.first_sentence(status["note"])
        if status_rules.verdict_differs(status["status"], status["ward_verdict"]):
            note = text_or(status["note"])
        note_top = top + height + Inches(0.2)
        room = CONTENT_BOTTOM - note_top
        if room < Inches(0.5):
            return
        # Whole lines only, each paragraph cut to what is left: the box never runs
        # into the footer.
        line = Pt(10 * 1.2) + Pt(4) / 3
        budget = int(room / line) - 1
        lines = []
        for text, size, bold, colour in (
                [(f"Lỗi dữ liệu: {errors[0]}", 10, True,
                  rgb(styles.STATUS_STYLES[status_rules.RED].colour))] if errors else []) + \
                [(note, 10, False, MUTED), (scenario_note, 10, False, MUTED)]:
            if not text or budget <= 0:
                continue
            per_line = max(int(Emu(w - Inches(0.08)).inches * 72 / (size * 0.55)), 1)
            fitted = _shorten(text, per_line * budget)
            budget -= text_lines(fitted, w - Inches(0.08), size)
            lines.append((fitted, size, bold, colour))
        if lines:
            _text(slide, x, note_top, w, room, lines, 10, colour=MUTED, spacing=4)


def _plain(lines) -> str:
    """A cell's text, whichever form `_write` was given it in."""
    if isinstance(lines, str):
        return lines
    return "\n".join(line[0] if isinstance(line, tuple) else line for line in lines)


def _short_legend(bands: dict) -> str:
    """The legend in two lines: each status and the band it stands for."""
    legend = styles.band_legend(bands["green_min_pct"], bands["amber_min_pct"])
    parts = [f"{styles.STATUS_STYLES[s].text}: {legend[s]}" for s in styles.STATUS_ORDER
             if s != status_rules.GREY]
    return (" · ".join(parts) + f" · {styles.STATUS_STYLES[status_rules.GREY].text}: chưa báo "
            "cáo, lỗi dữ liệu, chỉ tiêu đánh giá cuối năm hoặc không so được với kịch bản.")


def _status_legend(bands: dict) -> list[str]:
    """What each status means, with the thresholds the database was built with."""
    return styles.legend_lines(bands["green_min_pct"], bands["amber_min_pct"])


def _names(names: list[str], limit: int = 8) -> str:
    """'Kiến An, Phù Liễn' or, for a long selection, '12 phường: A, B, … và 4 phường khác'."""
    if len(names) <= limit:
        return ", ".join(names)
    return (f"{len(names)} phường: {', '.join(names[:limit])} và {len(names) - limit} "
            "phường khác")


def _finite(value) -> float | None:
    return None if is_missing(value) else float(value)


def _line(series, colour: str, width: float, dash=None) -> None:
    series.format.line.color.rgb = rgb(colour)
    series.format.line.width = Pt(width)
    if dash is not None:
        series.format.line.dash_style = dash


def _marker(series, style, size: int, colour: str) -> None:
    series.marker.style = style
    series.marker.size = size
    series.marker.format.fill.solid()
    series.marker.format.fill.fore_color.rgb = rgb(colour)
    series.marker.format.line.color.rgb = rgb(colour)


def _chart_text(chart, size: float) -> None:
    chart.font.name = FONT
    chart.font.size = Pt(size)
    chart.font.color.rgb = INK


# Office formats normally take grouping and decimal marks from the viewer's
# locale, so `#,##0` shows 357,450 on an English-language Windows while our
# labels say 357.450.  Escaped dots between digit placeholders are literal,
# which pins the Vietnamese grouping for whole numbers whatever the locale.
VI_INTEGER_FORMAT = r'[>=1000000]#\.000\.000;[>=1000]#\.000;0'


def axis_format(unit: str) -> str:
    """Axis tick format: whole numbers grouped Vietnamese style, '%' appended for rates."""
    return '0"%"' if unit == "%" else VI_INTEGER_FORMAT


def _label_position(value: float, scenario: float | None, top: float):
    """Put an actual's label on the side away from the scenario line it sits near."""
    if scenario is None or value >= scenario:
        return XL_LABEL_POSITION.ABOVE
    if top and value < 0.1 * top:
        return XL_LABEL_POSITION.RIGHT  # below would collide with the month labels
    return XL_LABEL_POSITION.BELOW


def _label_text(value: float, unit: str) -> str:
    return fmt.format_value(value, "%" if unit == "%" else None)


# --- public API ------------------------------------------------------------------------------

def build_deck(report: Report, progress: city.Progress | None = None) -> Presentation:
    deck = _Deck(report)
    city.build_in_order(deck, report, progress, span=(0.0, 0.9))
    return deck.finish()


def deck_bytes(report: Report) -> bytes:
    buffer = io.BytesIO()
    build_deck(report).save(buffer)
    return buffer.getvalue()


def write_deck(report: Report, path, progress: city.Progress | None = None) -> None:
    prs = build_deck(report, progress)
    if progress is not None:
        progress(0.9, "Đang ghi tệp PowerPoint")
    prs.save(str(path))
