"""The dashboard's Plotly figures for one export selection, for the chart images.

Built with `wardplan.display.charts`, exactly as the pages build them, so an image
from the command line looks like the one downloaded under the chart.
"""

from __future__ import annotations

import plotly.graph_objects as go

from exports.report import Report
from wardplan.display import charts as wc
from wardplan.display import progress
from wardplan.rules.missing import text_or


def progress_figure(report: Report, ward: str, indicator: str) -> go.Figure:
    meta = report.indicator(indicator)
    return wc.progress_chart(
        report.series(ward, indicator), ward_name=report.ward_name(ward),
        indicator_name=text_or(meta["name_vi"], indicator), unit=text_or(meta["unit"]),
        kind=text_or(meta["kind"]) or None, as_of=report.as_of,
        sources=report.chart_sources(ward, indicator))


def summary_figure(report: Report, ward: str) -> go.Figure:
    now = report.status_now[report.status_now["ward_code"] == ward]
    rows = progress.summary_rows(now)
    refs = [ref for code in rows["indicator_code"] for _, ref in report.source_refs(ward, code)]
    return wc.bullet_chart(rows, ward_name=report.ward_name(ward), as_of=report.as_of,
                           sources=report.document_titles(refs))


def ward_figures(report: Report, ward: str) -> list[tuple[str, go.Figure]]:
    """(file stem, figure) for a ward: its summary, then each indicator it reported on.

    File stems match the dashboard's download names.
    """
    figures: list[tuple[str, go.Figure]] = []
    now = report.status_now[report.status_now["ward_code"] == ward]
    if not progress.bullet_rows(now).empty:
        figures.append((f"tom-tat_{ward}_{report.as_of}", summary_figure(report, ward)))
    for indicator in report.indicator_codes:
        if report.has_chart(ward, indicator):
            figures.append((f"tien-do_{ward}_{indicator}_{report.as_of}",
                            progress_figure(report, ward, indicator)))
    return figures
