"""The meeting briefing as a PDF ("Báo cáo PDF"): the deck's content, in the deck's order.

Built from the same `Report` as `exports.deck`: cover; summary by ward; the status of
every chosen indicator in every chosen ward (paged, four wards a table); for each ward
without a report, what it planned; per reporting ward, its indicators as % of the annual
target; then one page per indicator and ward with the month-by-month chart and the key
figures.  Above `CITY_LAYOUT_ABOVE` units, the deck's city layout (`exports.city`): the
city summary, who has not reported, the red and amber items, then the units asked for in
full.  A4 landscape, so a page holds what a slide holds and prints unchanged.

reportlab (its platypus layout engine) typesets it: wrapped table cells, headers repeated
on every page of a table, and a TrueType font embedded (subset) so Vietnamese letters and
the status symbols print anywhere.  Charts are the dashboard's own Plotly figures
(`exports.figures`), drawn to PNG by the kaleido renderer, so the PDF shows what the
screen shows.  Sources: a line under each page's content and, at the end, every
figure's full reference page by page (what the deck keeps in its slide notes).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import plotly.graph_objects as go
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from exports import city, figures
from exports.deck import MATRIX_WARDS, NO_REPORT_DETAIL_MAX, _names, bar_pages
from exports.report import NO_REPORT, Report
from wardplan.display import charts as wc
from wardplan.display import format as fmt
from wardplan.display import overview, styles
from wardplan.rules import kinds
from wardplan.rules import status as status_rules
from wardplan.rules.frames import records
from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.periods import end_month, period_label
from wardplan.rules.text import fold

PAGE = landscape(A4)
MARGIN = 14 * mm
FOOTER_H = 9 * mm
CONTENT_W = PAGE[0] - 2 * MARGIN
CONTENT_H = PAGE[1] - 2 * MARGIN - FOOTER_H
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
# Debian's fonts-dejavu-core (scripts/install installs it); CHITIEU_PDF_FONT_DIR overrides.
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
             "/usr/local/share/fonts/dejavu", "/Library/Fonts", "C:/Windows/Fonts")
INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#0072B2")
GRID = colors.HexColor("#BFBFBF")
HEADER_FILL = colors.HexColor("#F2F2F2")

Renderer = Callable[[object], bytes]  # a Plotly figure -> PNG bytes


class FontMissing(RuntimeError):
    """No TrueType font with Vietnamese letters was found; `message_vi` says what to do."""

    message_vi = ("Không tìm thấy phông chữ DejaVu Sans để tạo PDF có dấu tiếng Việt. "
                  "Cài gói fonts-dejavu-core (scripts/install) hoặc đặt CHITIEU_PDF_FONT_DIR.")


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    dirs = [os.environ["CHITIEU_PDF_FONT_DIR"]] if os.environ.get("CHITIEU_PDF_FONT_DIR") else []
    for folder in [*dirs, *FONT_DIRS]:
        regular, bold = Path(folder) / "DejaVuSans.ttf", Path(folder) / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont(FONT, str(regular)))
            pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
            pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD)
            return
    raise FontMissing("DejaVuSans.ttf not found; install fonts-dejavu-core")


def _style(size: float, *, bold: bool = False, colour=INK, align=0, leading: float | None = None,
           space_after: float = 0) -> ParagraphStyle:
    return ParagraphStyle(f"s{size}{bold}{align}", fontName=BOLD if bold else FONT,
                          fontSize=size, leading=leading or size * 1.25, textColor=colour,
                          alignment=align, spaceAfter=space_after)


TITLE = _style(18, bold=True, space_after=1 * mm)
SUBTITLE = _style(10.5, colour=MUTED, space_after=2 * mm)
BODY = _style(10)
SMALL = _style(8.5, colour=MUTED)
CELL = _style(8.5)
CELL_BOLD = _style(8.5, bold=True)
CELL_CENTER = _style(8.5, align=TA_CENTER)
CELL_RIGHT = _style(8.5, align=TA_RIGHT)
CELL_BOLD_CENTER = _style(8.5, bold=True, align=TA_CENTER)
CELL_BOLD_RIGHT = _style(8.5, bold=True, align=TA_RIGHT)


def _p(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text: data never acts as reportlab markup."""
    return Paragraph(escape(text_or(text)).replace("\n", "<br/>"), style)


def _fill(status: str | None):
    return colors.HexColor(styles.STATUS_STYLES[status].tint) if status in styles.STATUS_STYLES \
        else colors.white


# --- tables that page evenly -----------------------------------------------------------------

def _table_style(fills: Sequence[tuple[int, int, object]] = ()) -> TableStyle:
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    commands += [("BACKGROUND", (col, row), (col, row), colour) for col, row, colour in fills]
    return TableStyle(commands)


def paged_tables(header: list, rows: list[list], widths: Sequence[float],
                 fills: Sequence[tuple[int, int, object]] = (),
                 room: float = CONTENT_H) -> list[Table]:
    """`rows` as one table per page, header on each, spread evenly: never a single row
    alone on a page.  `fills` are (column, index into `rows`, colour).  Heights are measured by
    reportlab itself, so wrapped cells count."""
    def height(cells: list) -> float:
        return Table([cells], colWidths=list(widths)).wrap(CONTENT_W, PAGE[1])[1]

    head = height(header)
    heights = [height(r) for r in rows]
    pages: list[list[int]] = [[]]
    used = head
    for i, h in enumerate(heights):
        if pages[-1] and used + h > room:
            pages.append([])
            used = head
        pages[-1].append(i)
        used += h
    if len(pages) > 1:
        # Same number of pages, rows spread by height: the last page is not a remnant.
        total = sum(heights)
        target = total / len(pages)
        spread: list[list[int]] = [[]]
        acc = 0.0
        for i, h in enumerate(heights):
            remaining_pages = len(pages) - len(spread)
            if spread[-1] and acc + h / 2 > target * len(spread) and remaining_pages > 0:
                spread.append([])
            spread[-1].append(i)
            acc += h
        fits = all(head + sum(heights[i] for i in page) <= room for page in spread)
        if fits and all(len(page) > 1 for page in spread):
            pages = spread
    tables = []
    for page in pages:
        index = {row: n for n, row in enumerate(page, start=1)}  # data row -> table row
        page_fills = [(c, index[r], colour) for c, r, colour in fills if r in index]
        table = Table([header] + [rows[i] for i in page], colWidths=list(widths), repeatRows=1)
        table.setStyle(_table_style(page_fills))
        tables.append(table)
    return tables


# --- the document --------------------------------------------------------------------------

class _Briefing:
    def __init__(self, report: Report, render: Renderer):
        self.r = report
        self.render = render
        self.story: list = []
        self.notes: list[tuple[str, list[str]]] = []  # (page heading, full references)

    # A "slide": heading, content, source line; each starts a page like the deck's slides.
    def page(self, title: str, subtitle: str, content: list, source: str,
             notes: Sequence[str] = ()) -> None:
        if self.story:
            self.story.append(PageBreak())
        self.story += [_p(title, TITLE), _p(subtitle, SUBTITLE), *content,
                       Spacer(1, 2 * mm), _p(source, SMALL)]
        if notes:
            self.notes.append((title, list(notes)))

    def title(self) -> None:
        """The cover page."""
        r = self.r
        names = [r.ward_name(w) for w in r.ward_codes]
        missing = [r.ward_name(w) for w in r.ward_codes if not r.has_report(w)]
        lines = [_p(f"Kỳ báo cáo: {r.period_label} (số liệu đến hết tháng "
                    f"{end_month(r.as_of)}/{r.year})", _style(15, bold=True, space_after=3 * mm))]
        line = _style(13, space_after=2 * mm)
        if r.city:
            info = city.reporting(r)
            lines += [_p(f"Đơn vị: {city.units_text(info)}", line),
                      _p(f"{NO_REPORT} thực hiện: {info.missing} đơn vị"
                         + (f"; chưa có số liệu kỳ này: {info.stale} đơn vị" if info.stale else ""),
                         line)]
            full = [r.ward_name(w) for w in r.full_codes]
            if full:
                lines.append(_p(f"Trình bày đầy đủ: {_names(full)}", line))
            lines.append(_p(f"{len(city.key_indicators(r))} chỉ tiêu chủ yếu trong "
                            f"{len(r.indicator_codes)} chỉ tiêu được chọn · Xuất ngày "
                            f"{r.produced_text} từ hệ thống Chỉ tiêu {r.year}",
                            _style(11, colour=MUTED)))
            documents = [f"{len(r.sources)} văn bản kế hoạch và báo cáo của {info.units} đơn vị "
                         "(danh sách đầy đủ: sổ Excel, trang “Nguồn tài liệu”)"]
        else:
            lines.append(_p(f"Phường: {_names(names)}", line))
            if missing:
                lines.append(_p(f"{NO_REPORT} thực hiện: {_names(missing)}", line))
            lines.append(_p(f"{len(r.indicator_codes)} chỉ tiêu được chọn · Xuất ngày "
                            f"{r.produced_text} từ hệ thống Chỉ tiêu {r.year}",
                            _style(11, colour=MUTED)))
            documents = [f"{row.title_vi} ({text_or(row.doc_number, 'không số')})"
                         for row in records(r.sources)]
        self.story += [Spacer(1, 30 * mm),
                       _p(f"Tình hình thực hiện các chỉ tiêu kinh tế - xã hội năm {r.year}",
                          _style(26, bold=True, leading=32, space_after=8 * mm)),
                       *lines, Spacer(1, 12 * mm),
                       _p("Trạng thái so sánh thực hiện đến kỳ với kịch bản tăng trưởng đến kỳ "
                          "của từng phường (không so với cả năm). Nguồn của từng số liệu: "
                          "mục “Nguồn số liệu” ở cuối báo cáo.", SMALL)]
        self.notes.append(("Trang bìa", ["Văn bản đã nạp: " + "; ".join(documents)]))

    # --- the city: summary, who has not reported, red and amber items (as the deck) ------

    def city_summary(self) -> None:
        r = self.r
        counts = city.indicator_counts(r)
        info = city.reporting(r)
        header = [_p("Chỉ tiêu chủ yếu (đơn vị)", CELL_BOLD),
                  *[_p(styles.STATUS_STYLES[s].text, CELL_BOLD) for s in styles.STATUS_ORDER],
                  _p("Đơn vị đặt chỉ tiêu", CELL_BOLD)]
        rows, fills = [], []
        for i, row in enumerate(records(counts)):
            cells = [_p(row.label, CELL)]
            for j, status in enumerate(styles.STATUS_ORDER, start=1):
                n = int(getattr(row, status))
                cells.append(_p(fmt.format_value(n), CELL_BOLD_CENTER if n and
                                status != status_rules.GREY else CELL_CENTER))
                if n:
                    fills.append((j, i, _fill(status)))
            cells.append(_p(fmt.format_value(int(row.units)), CELL_CENTER))
            rows.append(cells)
        widths = [0.38, 0.11, 0.12, 0.12, 0.14, 0.13]
        tables = paged_tables(header, rows, [w * CONTENT_W for w in widths], fills,
                              room=CONTENT_H - 40 * mm)
        legend = styles.band_legend(r.bands["green_min_pct"], r.bands["amber_min_pct"])
        for index, table in enumerate(tables):
            self.page(f"Toàn thành phố — {r.period_label}{_suffix(index, len(tables))}",
                      f"{city.units_text(info)}: {info.reported} đã có báo cáo, {info.missing} "
                      "chưa có · số đơn vị theo trạng thái trên từng chỉ tiêu chủ yếu",
                      [table, Spacer(1, 3 * mm),
                       *[_p(f"{styles.STATUS_STYLES[s].text}: {legend[s]}", SMALL)
                         for s in styles.STATUS_ORDER]],
                      f"Nguồn: trạng thái tính từ kế hoạch và báo cáo của {info.units} đơn vị "
                      "(danh sách văn bản: sổ Excel, trang “Nguồn tài liệu”).")

    def not_reported(self) -> None:
        r = self.r
        late = city.not_reported(r)
        if late.empty:
            return
        info = city.reporting(r)
        header = [_p(t, CELL_BOLD) for t in ("Đơn vị", "Loại", "Tình hình báo cáo",
                                             "Văn bản kế hoạch")]
        rows, fills = [], []
        for i, row in enumerate(records(late)):
            plans = r.short_sources(r.target_rows(row.ward_code)["source_ref"].dropna())
            rows.append([_p(row.name, CELL), _p(text_or(row.type, "—"), CELL),
                         _p(city.not_reported_text(row), CELL),
                         _p("; ".join(plans) or "—", CELL)])
            if row.state == city.NONE:
                fills.append((2, i, _fill(status_rules.GREY)))
        tables = paged_tables(header, rows, [w * CONTENT_W for w in (0.26, 0.1, 0.2, 0.44)],
                              fills, room=CONTENT_H - 24 * mm)
        for index, table in enumerate(tables):
            self.page(f"Đơn vị chưa báo cáo — {r.period_label}{_suffix(index, len(tables))}",
                      f"{info.missing} đơn vị chưa có báo cáo thực hiện năm {r.year}"
                      + (f"; {info.stale} đơn vị chưa có số liệu kỳ này (trạng thái theo kỳ "
                         "trước)" if info.stale else ""), [table],
                      "Nguồn: kế hoạch năm và báo cáo thực hiện đã nạp của từng đơn vị.")

    def attention(self) -> None:
        r = self.r
        items = city.attention_rows(r)
        shown = items.head(city.ATTENTION_MAX)
        subtitle = city.attention_subtitle(items)
        title = f"Chậm và cần chú ý — {r.period_label}"
        if shown.empty:
            self.page(title, subtitle, [_p(
                f"Không có chỉ tiêu chủ yếu nào ở mức {styles.STATUS_STYLES[status_rules.RED].text}"
                f" hoặc {styles.STATUS_STYLES[status_rules.AMBER].text} tại {r.period_label}.")],
                "Nguồn: trạng thái tính từ kế hoạch và báo cáo của các đơn vị.")
            return
        header = [_p(t, CELL_BOLD) for t in ("Đơn vị", "Chỉ tiêu (đơn vị)", "Trạng thái",
                                             "Thực hiện đến kỳ", "% KB", "Lý do",
                                             "Cơ sở kịch bản")]
        header[3] = _p("Thực hiện đến kỳ", CELL_BOLD_RIGHT)
        header[4] = _p("% KB", CELL_BOLD_RIGHT)
        rows, fills, refs = [], [], []
        for i, row in enumerate(records(shown)):
            rows.append([_p(row.ward_name, CELL), _p(row.label, CELL),
                         Paragraph(f"<b>{escape(row.status_cell[0])}</b>" + "".join(
                             f"<br/>{escape(t)}" for t in row.status_cell[1:]), CELL),
                         _p(row.figure or "—", CELL_RIGHT), _p(row.pct_scenario or "—", CELL_RIGHT),
                         _p(row.reason, CELL), _p(row.basis, CELL)])
            fills.append((2, i, _fill(row.status)))
            refs += [f"{row.ward_name} · {row.label} · {what}: {ref}"
                     for what, ref in r.source_refs(row.ward_code, row.indicator_code)]
        widths = [0.13, 0.17, 0.13, 0.12, 0.06, 0.29, 0.10]
        tables = paged_tables(header, rows, [w * CONTENT_W for w in widths], fills,
                              room=CONTENT_H - 34 * mm)
        rest = len(items) - city.ATTENTION_MAX
        for index, table in enumerate(tables):
            content = [table]
            if index == len(tables) - 1 and rest > 0:
                content += [Spacer(1, 2 * mm), _p(
                    f"Còn {fmt.format_value(rest)} mục chậm hoặc cần chú ý khác: đầy đủ trong sổ "
                    "Excel (trang của từng đơn vị, cột Trạng thái) và trang Tổng quan của hệ "
                    "thống.", SMALL)]
            documents = r.short_sources(ref.split(": ", 1)[-1] for ref in refs)
            self.page(f"{title}{_suffix(index, len(tables))}", subtitle, content,
                      "Nguồn: " + ("; ".join(documents) or "báo cáo của các đơn vị") + ".",
                      refs if index == 0 else ())

    def ward_summary(self) -> None:
        r = self.r
        now = r.status_now
        counts = overview.ward_counts(now).set_index("ward_code") if not now.empty else None

        def worst_first(ward: str) -> tuple:
            rows = now[now["ward_code"] == ward]["status"]
            return (not r.has_report(ward), -(rows == status_rules.RED).sum(),
                    -(rows == status_rules.AMBER).sum(), fold(r.ward_name(ward)))

        wards = sorted(r.ward_codes, key=worst_first)
        header = [_p("Phường", CELL_BOLD), _p("Báo cáo", CELL_BOLD),
                  *[_p(styles.STATUS_STYLES[s].text, CELL_BOLD) for s in styles.STATUS_ORDER],
                  _p("Tổng", CELL_BOLD)]
        rows, fills = [], []
        for i, ward in enumerate(wards):
            reported = r.has_report(ward)
            row = counts.loc[ward] if counts is not None and ward in counts.index else None
            cells = [_p(r.ward_name(ward), CELL_BOLD),
                     _p("Đã có" if reported else f"○ {NO_REPORT}", CELL)]
            if not reported:
                fills.append((1, i, _fill(status_rules.GREY)))
            for j, status in enumerate(styles.STATUS_ORDER, start=2):
                n = int(row[status]) if row is not None else 0
                dash = not reported and status != status_rules.GREY
                cells.append(_p("—" if dash else str(n), CELL_CENTER))
                if n and not dash:
                    fills.append((j, i, _fill(status)))
            cells.append(_p(str(int(row["total"]) if row is not None else 0), CELL_CENTER))
            rows.append(cells)
        widths = [0.2, 0.18, 0.12, 0.12, 0.12, 0.14, 0.12]
        tables = paged_tables(header, rows, [w * CONTENT_W for w in widths], fills,
                              room=CONTENT_H - 60 * mm)
        legend = styles.band_legend(r.bands["green_min_pct"], r.bands["amber_min_pct"])
        for index, table in enumerate(tables):
            self.page(f"Tổng hợp theo phường — {r.period_label}{_suffix(index, len(tables))}",
                      "Số chỉ tiêu đã chọn theo trạng thái (so với kịch bản tăng trưởng đến kỳ)",
                      [table, Spacer(1, 4 * mm),
                       *[_p(f"{styles.STATUS_STYLES[s].text}: {legend[s]}", SMALL)
                         for s in styles.STATUS_ORDER]],
                      "Nguồn: trạng thái tính từ số liệu thực hiện, kịch bản và chỉ tiêu năm "
                      "trong văn bản của từng phường.")

    def status_matrix(self, wards: list[str] | None = None) -> None:
        r = self.r
        wards = r.ward_codes if wards is None else wards
        ward_pages = [wards[i:i + MATRIX_WARDS]
                      for i in range(0, len(wards), MATRIX_WARDS)] or [[]]
        chunks = []
        for wards in ward_pages:
            header = [_p("Chỉ tiêu (đơn vị)", CELL_BOLD)] + [
                _p(r.ward_name(w) + ("" if r.has_report(w) else f"\n({NO_REPORT})"), CELL_BOLD)
                for w in wards]
            rows, fills, refs = [], [], []
            for i, code in enumerate(r.indicator_codes):
                cells = [_p(_indicator_label(r, code), CELL)]
                for j, ward in enumerate(wards, start=1):
                    text, status = r.status_label(ward, code)
                    row = r.status_row(ward, code)
                    lines = [text] if status is not None else ["—"]
                    if row is not None and _milestone(r, code):
                        lines.append(styles.MILESTONE_TEXT)
                    elif row is not None and not is_missing(row["pct_of_scenario"]):
                        lines.append(f"{fmt.pct(row['pct_of_scenario'])} KB")
                    cells.append(_p("\n".join(lines), CELL_CENTER))
                    if status is not None:
                        fills.append((j, i, _fill(status)))
                    refs += [f"{r.ward_name(ward)} · {_indicator_label(r, code)} · {what}: {ref}"
                             for what, ref in r.source_refs(ward, code)]
                rows.append(cells)
            share = 0.64 / max(len(wards), 1)
            widths = [0.36 * CONTENT_W] + [share * CONTENT_W] * len(wards)
            for table in paged_tables(header, rows, widths, fills, room=CONTENT_H - 24 * mm):
                chunks.append((table, refs))
        for index, (table, refs) in enumerate(chunks):
            documents = r.short_sources(ref.split(": ", 1)[-1] for ref in refs)
            self.page(f"Trạng thái các chỉ tiêu — {r.period_label}{_suffix(index, len(chunks))}",
                      "Mỗi ô: trạng thái so với kịch bản đến kỳ và tỷ lệ thực hiện/kịch bản "
                      "(KB); “—”: phường không đặt chỉ tiêu này", [table],
                      "Nguồn: " + ("; ".join(documents) or "kế hoạch năm của các phường") + ".",
                      refs if index == 0 or refs is not chunks[index - 1][1] else ())

    def no_report(self, wards: list[str] | None = None) -> None:
        r = self.r
        missing = [w for w in (r.ward_codes if wards is None else wards) if not r.has_report(w)]
        if not missing:
            return
        if len(missing) > NO_REPORT_DETAIL_MAX:
            header = [_p(t, CELL_BOLD) for t in ("Phường", "Số chỉ tiêu đã chọn", "Văn bản kế hoạch")]
            rows = [[_p(f"○ {r.ward_name(w)}", CELL),
                     _p(str(int(r.target_rows(w)["indicator_code"].isin(r.indicator_codes).sum())),
                        CELL_CENTER),
                     _p("; ".join(r.short_sources(r.target_rows(w)["source_ref"].dropna())) or "—",
                        CELL)] for w in missing]
            tables = paged_tables(header, rows, [0.25 * CONTENT_W, 0.15 * CONTENT_W,
                                                 0.6 * CONTENT_W],
                                  [(0, i, _fill(status_rules.GREY)) for i in range(len(rows))],
                                  room=CONTENT_H - 24 * mm)
            for index, table in enumerate(tables):
                self.page(f"{len(missing)} phường {NO_REPORT.lower()} thực hiện"
                          f"{_suffix(index, len(tables))}",
                          f"Chưa đánh giá được đến {r.period_label}; chỉ tiêu kế hoạch của từng "
                          "phường có trong sổ Excel.", [table],
                          "Nguồn: kế hoạch năm của từng phường.")
            return
        order = {c: i for i, c in enumerate(r.indicator_codes)}
        for ward in missing:
            targets = r.target_rows(ward)
            targets = targets[targets["indicator_code"].isin(r.indicator_codes)]
            targets = targets.sort_values("indicator_code", key=lambda s: s.map(order))
            header = [_p(t, CELL_BOLD) for t in ("Chỉ tiêu (đơn vị)",
                                                 f"Chỉ tiêu năm {r.year} (nguyên văn)",
                                                 f"Kịch bản đến {r.period_label}")]
            rows = []
            for row in records(targets):
                status = r.status_row(ward, row.indicator_code)
                scenario = "—"
                if status is not None and not is_missing(status["scenario_to_date"]):
                    scenario = fmt.format_status_figure(
                        status["scenario_to_date"], text_or(r.indicator(row.indicator_code)["unit"]))
                    if status["scenario_origin"] == "derived":
                        scenario += " (suy ra)"
                rows.append([_p(_indicator_label(r, row.indicator_code), CELL),
                             _p(text_or(row.target_text, "—"), CELL), _p(scenario, CELL)])
            name = r.ward_name(ward)
            refs = [f"{_indicator_label(r, row.indicator_code)}: {row.source_ref}"
                    for row in records(targets)]
            documents = "; ".join(r.short_sources(targets["source_ref"].dropna())) or \
                "kế hoạch năm của phường"
            if not rows:
                self.page(f"{name} — {NO_REPORT} thực hiện", "",
                          [_p("Phường không đặt chỉ tiêu nào trong số các chỉ tiêu đã chọn.")],
                          f"Nguồn chỉ tiêu: {documents}.")
                continue
            tables = paged_tables(header, rows, [0.38 * CONTENT_W, 0.40 * CONTENT_W,
                                                 0.22 * CONTENT_W], room=CONTENT_H - 24 * mm)
            for index, table in enumerate(tables):
                self.page(f"{name} — {NO_REPORT} thực hiện{_suffix(index, len(tables))}",
                          f"Phường chưa gửi số liệu thực hiện đến {r.period_label}. Dưới đây là "
                          "chỉ tiêu kế hoạch năm của phường (chưa đánh giá được).", [table],
                          f"Nguồn chỉ tiêu: {documents}.", refs if index == 0 else ())

    def _picture(self, figure, width: float, height: float, layout_width: int = 1280) -> Image:
        """The figure drawn at `layout_width` px (narrower: larger type on the page)."""
        figure = go.Figure(figure)
        figure.update_layout(width=layout_width, autosize=False)
        data = self.render(figure)
        image = Image(io.BytesIO(data))
        scale = min(width / image.imageWidth, height / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        return image

    def ward_bars(self, wards: list[str] | None = None) -> None:
        r = self.r
        for ward, part, index, count in bar_pages(r, wards):
            refs = [f"{_indicator_label(r, c)} · {what}: {ref}"
                    for c in part["indicator_code"] for what, ref in r.source_refs(ward, c)]
            sources = r.short_sources(ref.split(": ", 1)[-1] for ref in refs)
            figure = wc.bullet_chart(part.reset_index(drop=True), ward_name=r.ward_name(ward),
                                     as_of=r.as_of, sources=sources)
            picture = self._picture(figure, CONTENT_W, CONTENT_H - 26 * mm)
            self.page(f"{r.ward_name(ward)} — Thực hiện so với chỉ tiêu năm"
                      f"{_suffix(index, count)}",
                      f"% chỉ tiêu năm đã đạt đến {r.period_label}, so với % mà kịch bản đặt "
                      "ra đến kỳ · nhãn: trạng thái so với kịch bản", [picture],
                      "Nguồn: " + "; ".join(sources) + ".", refs)

    def indicator_charts(self) -> None:
        for indicator, ward in self.r.chart_pairs():
            self.chart(ward, indicator)

    def chart(self, ward: str, indicator: str) -> None:
        """One ward × indicator: the dashboard's chart and the key figures."""
        r = self.r
        meta = r.indicator(indicator)
        unit = text_or(meta["unit"])
        status = r.status_row(ward, indicator)
        refs = r.source_refs(ward, indicator)
        errors = r.data_errors(ward, indicator)
        chart_w = CONTENT_W * 0.66
        picture = self._picture(figures.progress_figure(r, ward, indicator), chart_w,
                                CONTENT_H - 26 * mm, layout_width=960)
        side = []
        if status is not None:
            code = status["status"] if status["status"] in styles.STATUS_STYLES else status_rules.GREY
            badge = Table([[_p(styles.STATUS_STYLES[code].text, _style(12, bold=True,
                                                                      align=TA_CENTER))]],
                          colWidths=[CONTENT_W - chart_w - 6 * mm])
            badge.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, -1), _fill(code)),
                ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor(styles.STATUS_STYLES[code].colour)),
                ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))

            figures_rows = [("Thực hiện đến kỳ", fmt.format_status_figure(status["actual_to_date"],
                                                                          unit)),
                            ("Kịch bản đến kỳ", fmt.format_status_figure(status["scenario_to_date"],
                                                                         unit)),
                            ("Chỉ tiêu năm", fmt.format_value(status["target_value"], unit)),
                            ("% kịch bản", fmt.pct(status["pct_of_scenario"])),
                            ("% chỉ tiêu năm", fmt.pct(status["pct_of_target"])),
                            ("Phường tự đánh giá", text_or(status["ward_verdict"], "—"))]
            if isinstance(status["actual_period"], str) and status["actual_period"] != r.as_of:
                figures_rows.append(("Kỳ của số liệu", period_label(status["actual_period"])))
            side_w = CONTENT_W - chart_w - 6 * mm
            key = Table([[_p(a, CELL), _p(b, _style(9, bold=True, align=TA_RIGHT))]
                         for a, b in figures_rows], colWidths=[side_w * 0.45, side_w * 0.55])
            key.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, GRID),
                                     ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
                                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
            note = fmt.first_sentence(status["note"])
            if status_rules.verdict_differs(status["status"], status["ward_verdict"]):
                note = text_or(status["note"])
            side = [badge, Spacer(1, 3 * mm), key, Spacer(1, 3 * mm)]
            if errors:
                side.append(_p(f"Lỗi dữ liệu: {errors[0]}",
                               _style(8.5, bold=True,
                                      colour=colors.HexColor(styles.STATUS_STYLES[status_rules.RED]
                                                             .colour))))
            side += [_p(note, SMALL), Spacer(1, 2 * mm), _p(r.scenario_note(ward, indicator), SMALL)]
        layout = Table([[picture, side]], colWidths=[chart_w, CONTENT_W - chart_w])
        layout.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("RIGHTPADDING", (0, 0), (0, 0), 6 * mm)]))
        targets = r.short_sources(ref for what, ref in refs if what == "Chỉ tiêu năm")
        actuals = r.short_sources(ref for what, ref in refs if what != "Chỉ tiêu năm")
        cumulative = meta["kind"] in kinds.CUMULATIVE
        name = r.ward_name(ward)
        self.page(f"{name} — {meta['name_vi']}",
                  f"{'Lũy kế thực hiện' if cumulative else 'Mức đạt'} so với kịch bản và chỉ tiêu "
                  f"năm · đơn vị: {unit or 'không có'} · đến {r.period_label}", [layout],
                  f"Nguồn — chỉ tiêu năm: {'; '.join(targets) or 'không có'}. Thực hiện: "
                  f"{'; '.join(actuals) or 'chưa có'}.",
                  [f"{what}: {ref}" for what, ref in refs])

    def sources(self) -> None:
        """Every figure's full reference once, under the first page that shows it."""
        if not self.notes:
            return
        labels = fmt.SourceLabels(self.r.sources)
        self.story += [PageBreak(), _p("Nguồn số liệu", TITLE),
                       _p("Tham chiếu đầy đủ của từng số liệu, theo thứ tự các trang của báo cáo: "
                          "văn bản, vị trí trong văn bản, và ô của sổ nhập liệu mà số được đọc "
                          "ra. Một tham chiếu đã ghi ở trang trước không nhắc lại.", SUBTITLE)]
        seen: set[str] = set()
        for title, refs in self.notes:
            lines = []
            for line in refs:
                what, _, ref = line.rpartition(": ") if ": " in line else ("", "", line)
                text = labels.full(ref) if "[" in ref else ref
                if text in seen:
                    continue
                seen.add(text)
                lines.append(f"– {what}: {text}" if what else f"– {text}")
            if not lines:
                continue
            block = [_p(title, _style(10, bold=True, space_after=1 * mm))]
            block += [_p(line, _style(8, colour=MUTED)) for line in lines]
            self.story += [CondPageBreak(20 * mm), KeepTogether(block[:3]), *block[3:],
                           Spacer(1, 2 * mm)]

    def build(self, pages: int | None = None) -> tuple[bytes, int]:
        """(PDF bytes, page count); `pages` is the count to print in "Trang x/y"."""
        r = self.r
        buffer = io.BytesIO()
        footer = f"Chỉ tiêu {r.year} · {r.period_label} · Xuất ngày {r.produced_text}"

        def decorate(canvas, doc) -> None:
            canvas.saveState()
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.8)
            top = PAGE[1] - MARGIN + 2 * mm
            canvas.line(MARGIN, top, PAGE[0] - MARGIN, top)
            canvas.setFont(FONT, 8)
            canvas.setFillColor(MUTED)
            canvas.drawString(MARGIN, MARGIN - 2 * mm, footer)
            canvas.drawRightString(PAGE[0] - MARGIN, MARGIN - 2 * mm,
                                   f"Trang {doc.page}/{pages or '…'}")
            canvas.restoreState()

        doc = BaseDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                              topMargin=MARGIN, bottomMargin=MARGIN + FOOTER_H,
                              title=f"Tình hình thực hiện các chỉ tiêu năm {r.year} — "
                                    f"{r.period_label}",
                              author=f"Hệ thống Chỉ tiêu {r.year}", subject="Báo cáo họp",
                              lang="vi", initialFontName=FONT, initialFontSize=10)
        frame = Frame(MARGIN, MARGIN + FOOTER_H, CONTENT_W, CONTENT_H, id="content",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
        doc.build(self.story)
        return buffer.getvalue(), doc.page


def _suffix(index: int, count: int) -> str:
    return f" ({index + 1}/{count})" if count > 1 else ""


def _indicator_label(report: Report, code: str) -> str:
    row = report.indicator(code)
    unit = text_or(row["unit"])
    return f"{row['name_vi']} ({unit})" if unit else str(row["name_vi"])


def _milestone(report: Report, code: str) -> bool:
    return report.indicator(code)["kind"] == kinds.MILESTONE


def default_renderer(produced_on=None) -> Renderer:
    """Figures to PNG at their layout size, dated like the report (kaleido, Chromium)."""
    from exports import images

    renderer = images.default_renderer()
    done: dict[str, bytes] = {}

    def render(figure) -> bytes:
        key = figure.to_json()  # both layout passes draw the same figures: once is enough
        if key not in done:
            done[key] = renderer.render(images.dated(figure, produced_on), "png")
        return done[key]

    return render


def build_pdf(report: Report, render: Renderer | None = None,
              progress: city.Progress | None = None) -> bytes:
    """The briefing as PDF bytes; `render` draws a Plotly figure to PNG (default: kaleido)."""
    _register_fonts()
    render = render or default_renderer(report.produced_on)

    def briefing(progress=None) -> _Briefing:
        # Flowables are consumed by a build, so each pass lays out a fresh story.
        b = _Briefing(report, render)
        city.build_in_order(b, report, progress, span=(0.0, 0.8))
        b.sources()
        return b

    first = briefing(progress)  # charts drawn here, once; the second pass reuses them
    if progress is not None:
        progress(0.8, "Đang dàn trang")
    _, pages = first.build()  # first pass: count the pages for "Trang x/y"
    if progress is not None:
        progress(0.9, f"Đang đánh số {pages} trang")
    data, _ = briefing().build(pages)
    return data


def pdf_bytes(report: Report) -> bytes:
    return build_pdf(report)


def write_pdf(report: Report, path, progress: city.Progress | None = None) -> None:
    Path(path).write_bytes(build_pdf(report, progress=progress))
