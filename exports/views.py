"""Exports of what one page shows, cut from the meeting deck's building blocks.

The overview's board, a ward's progress, one indicator's detail and one comparison
each become a short deck (title slide, then the slides of that view) with the page's
filters; the board also becomes an image.  Charts and tables are the deck's own, so a
slide taken from a page and one from the meeting deck look alike.
"""

from __future__ import annotations

import io

import pandas as pd
import plotly.graph_objects as go
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from exports.deck import (
    CONTENT_BOTTOM,
    CONTENT_TOP,
    CONTENT_WIDTH,
    HEADER_FILL,
    MARGIN,
    WHITE,
    _cell,
    _chart_text,
    _Deck,
    _header,
    _shorten,
    _table,
    _write,
    axis_format,
    rgb,
    status_fill,
)
from exports.report import Report
from wardplan.display import charts as wc
from wardplan.display import compare, styles
from wardplan.display import format as fmt
from wardplan.rules.frames import records
from wardplan.rules.missing import is_missing, text_or


def _save(deck: _Deck) -> bytes:
    buffer = io.BytesIO()
    deck.finish().save(buffer)
    return buffer.getvalue()


def board_deck(report: Report) -> bytes:
    """The overview: the summary by ward and the ward × indicator status table; for a
    city (`Report.city`), the city summary, who has not reported and the red and amber
    items, as the meeting deck has them (a 114 × 50 table is 200 slides)."""
    deck = _Deck(report)
    deck.title()
    if report.city:
        deck.city_summary()
        deck.not_reported()
        deck.attention()
    else:
        deck.ward_summary()
        deck.status_matrix()
    return _save(deck)


def ward_deck(report: Report, ward: str, indicator: str | None) -> bytes:
    """A ward's progress page: its bars against the annual target, then the chosen
    indicator's month-by-month chart."""
    deck = _Deck(report)
    deck.title()
    deck.ward_bars()
    if indicator and report.has_chart(ward, indicator):
        deck.chart(ward, indicator)
    return _save(deck)


def detail_deck(report: Report, ward: str, indicator: str) -> bytes:
    """One ward × indicator: its chart and key figures, or its status row when the
    indicator has no monthly path (a milestone, a rank, a statement)."""
    deck = _Deck(report)
    deck.title()
    if report.has_chart(ward, indicator):
        deck.chart(ward, indicator)
    else:
        deck.status_matrix()
    return _save(deck)


def compare_rows(report: Report, indicator: str) -> pd.DataFrame:
    targets = report.targets[report.targets["indicator_code"] == indicator].copy()
    targets["ward_name"] = targets["ward_code"].map(report.ward_name)
    return compare.compare_rows(targets, report.status_now[
        report.status_now["indicator_code"] == indicator])


def compare_deck(report: Report, indicator: str) -> bytes:
    """The comparison page: every ward planning the indicator, as % of its own target
    and of its own scenario to date, in a table and a bar chart."""
    deck = _Deck(report)
    deck.title()
    rows = compare_rows(report, indicator)
    meta = report.indicator(indicator)
    name = text_or(meta["name_vi"], indicator)
    refs = rows["source_ref"].dropna().tolist()
    slide = deck.slide("Nguồn chỉ tiêu: " + ("; ".join(report.short_sources(refs)) or "—")
                       + ". Chi tiết: xem ghi chú trang.",
                       [f"So sánh phường — {name}, {report.period_label}.",
                        "Nguồn chỉ tiêu của từng phường:",
                        *[f"- {w}: {r}" for w, r in zip(rows["ward_name"], rows["source_ref"],
                                                         strict=True) if text_or(r)]])
    _header(slide, _shorten(f"So sánh phường — {name}", 80),
            f"Tiến độ theo % chỉ tiêu năm và % kịch bản đến kỳ của từng phường · "
            f"{report.period_label}")
    view = compare.compare_view(rows)[["Phường", "Trạng thái", "% chỉ tiêu năm", "% kịch bản",
                                       "Thực hiện", "Chỉ tiêu"]]
    table_width = Inches(6.2)
    height = min(Inches(0.45) * (len(view) + 1), CONTENT_BOTTOM - CONTENT_TOP)
    table = _table(slide, len(view) + 1, len(view.columns), MARGIN, CONTENT_TOP, table_width,
                   height, [1.5, 1.5, 1.1, 1.1, 1.6, 1.6])
    for j, header in enumerate(view.columns):
        _cell(table.cell(0, j), header, 11, bold=True, fill=HEADER_FILL)
    for i, (record, status) in enumerate(zip(records(view), rows["status"],
                                             strict=True), start=1):
        for j, value in enumerate(record):
            _cell(table.cell(i, j), _shorten(text_or(value, "—"), 60), 10,
                  fill=status_fill(status) if j == 1 else WHITE,
                  align=PP_ALIGN.RIGHT if 2 <= j <= 4 else PP_ALIGN.LEFT)
    data = CategoryChartData(number_format='#,##0.0"%"')
    ordered = rows.iloc[::-1]
    data.categories = [name if reported else f"{name} (chưa có báo cáo)" for name, reported
                       in zip(ordered["ward_name"], ordered["has_report"], strict=True)]
    data.add_series("% kịch bản đến kỳ", [None if is_missing(v) else float(v)
                                           for v in ordered["pct_of_scenario"]])
    data.add_series("% chỉ tiêu năm", [None if is_missing(v) else float(v)
                                        for v in ordered["pct_of_target"]])
    left = MARGIN + table_width + Inches(0.25)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, left, CONTENT_TOP,
                                   MARGIN + CONTENT_WIDTH - left, CONTENT_BOTTOM - CONTENT_TOP,
                                   data)
    chart = frame.chart
    _chart_text(chart, 11)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    scenario, target = chart.plots[0].series
    scenario.format.fill.solid()
    scenario.format.fill.fore_color.rgb = rgb("#56B4E9")
    target.format.fill.solid()
    target.format.fill.fore_color.rgb = rgb("#0072B2")
    for series in (scenario, target):
        series.data_labels.show_value = True
        series.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
        series.data_labels.font.size = Pt(10)
        series.data_labels.number_format = '0.0"%"'
        series.data_labels.number_format_is_linked = False
    axis = chart.value_axis
    axis.minimum_scale = 0
    axis.tick_labels.number_format = axis_format("%")
    axis.tick_labels.number_format_is_linked = False
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = rgb("#E5E5E5")
    axis.has_title = True
    _write(axis.axis_title.text_frame, ["% (chuẩn hóa theo từng phường)"], 11)
    return _save(deck)


# --- the board as an image ------------------------------------------------------------------

BOARD_ROW_PX = 30


def board_figure(report: Report) -> go.Figure:
    """The ward × indicator status table as a figure (for a PNG): label and tint per cell."""
    wards = report.ward_codes
    names, cells, fills = [], [[] for _ in wards], [[] for _ in wards]
    for code in report.indicator_codes:
        meta = report.indicator(code)
        unit = text_or(meta["unit"])
        names.append(_shorten(f"{meta['name_vi']} ({unit})" if unit else str(meta["name_vi"]), 70))
        for j, ward in enumerate(wards):
            label, status = report.status_label(ward, code)
            row = report.status_row(ward, code)
            text = label if status is not None else "—"
            if row is not None and not is_missing(row["pct_of_scenario"]):
                text += f" · {fmt.pct(row['pct_of_scenario'])} KB"
            cells[j].append(text)
            fills[j].append(styles.STATUS_STYLES[status].tint if status in styles.STATUS_STYLES
                            else "#FFFFFF")
    escape = wc._escape
    fig = go.Figure(go.Table(
        columnwidth=[3.2] + [1.6] * len(wards),
        header=dict(values=[escape("Chỉ tiêu (đơn vị)")] + [escape(report.ward_name(w))
                                                            for w in wards],
                    fill_color="#F2F2F2", align="left", height=BOARD_ROW_PX,
                    font=dict(size=14, color=wc.INK, family=wc.FONT_FAMILY)),
        cells=dict(values=[[escape(n) for n in names]] + [[escape(t) for t in c] for c in cells],
                   fill_color=[["#FFFFFF"] * len(names)] + fills, align="left",
                   height=BOARD_ROW_PX, font=dict(size=13, color=wc.INK, family=wc.FONT_FAMILY),
                   line_color="#BFBFBF")))
    title = f"Trạng thái các chỉ tiêu — {report.period_label}"
    subtitle = ("Mỗi ô: trạng thái so với kịch bản đến kỳ và tỷ lệ thực hiện/kịch bản (KB); "
                "—: phường không đặt chỉ tiêu này")
    refs = [ref for w in wards for c in report.indicator_codes for _, ref in report.source_refs(w, c)]
    source = wc.source_line([("Chỉ tiêu và thực hiện", report.short_sources(refs))])
    fig.update_layout(width=max(1280, 420 + 230 * len(wards)), showlegend=False)
    return wc._finish(fig, title, subtitle, source, height=0, left=20, axis_px=10,
                      plot_px=BOARD_ROW_PX * (len(names) + 1) + 10)
