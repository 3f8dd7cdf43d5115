"""Plotly figure builders: complete figures, ready for the screen and for a slide.

Every figure has a title naming ward, indicator, unit and period, a
"Nguồn: …" line, Vietnamese separators (`separators=",."`) and fonts large
enough for a 16:9 slide.  The builders take frames shaped by
`wardplan.presenters` and never touch the database or Streamlit.
"""

from __future__ import annotations

import itertools
import textwrap

import pandas as pd
import plotly.graph_objects as go

from wardplan.display.format import format_value, pct
from wardplan.display.styles import PROVISIONAL_MARK, STATUS_ORDER, STATUS_STYLES, style_of
from wardplan.rules import kinds
from wardplan.rules.missing import is_missing, is_true, text_or
from wardplan.rules.periods import end_month, parse_period, period_label
from wardplan.rules.scenario import (
    DERIVED,
    IMPLIED,
    OFFICIAL,
    ORIGIN_LABELS_VI,
    PROVISIONAL_VI,
)
from wardplan.rules.status import GREY
from wardplan.rules.text import shorten

FONT_FAMILY = "'Source Sans Pro', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
INK = "#1A1A1A"
ACTUAL_COLOUR = INK
SCENARIO_COLOUR = "#0072B2"
TARGET_COLOUR = "#6B6B6B"
SOURCE_COLOUR = "#555555"

# One legend entry per scenario origin; a cumulative point takes the origin of
# the whole scenario to date (derived when more than half is our phasing).
SCENARIO_NAMES = {
    OFFICIAL: f"Kịch bản {ORIGIN_LABELS_VI[OFFICIAL]}",
    IMPLIED: f"Kịch bản {ORIGIN_LABELS_VI[IMPLIED]}",
    DERIVED: f"Kịch bản {ORIGIN_LABELS_VI[DERIVED]} ({PROVISIONAL_VI})",
}
SCENARIO_SYMBOLS = {OFFICIAL: "circle", IMPLIED: "diamond-open", DERIVED: "circle-open"}
OFFICIAL_NAME, IMPLIED_NAME, DERIVED_NAME = (SCENARIO_NAMES[o] for o in (OFFICIAL, IMPLIED, DERIVED))
ACTUAL_NAME = "Thực hiện lũy kế"
PROGRESS_CAPTION = (
    "Đường liền: số thực hiện lũy kế phường báo cáo. Đường nét đứt: kịch bản lũy kế; chấm đặc "
    f"là {ORIGIN_LABELS_VI[OFFICIAL]}, hình thoi rỗng là kịch bản {ORIGIN_LABELS_VI[IMPLIED]} "
    "(tính ngược từ câu “vượt kịch bản X%”), chấm rỗng là phần "
    f"{ORIGIN_LABELS_VI[DERIVED]} ({PROVISIONAL_VI}). Đường chấm ngang: chỉ tiêu năm.")
MONTH_TICKS = [f"T{m}" for m in range(1, 13)]
_SOURCE_WIDTH = 125  # characters per source line: fits a laptop-width chart
_SOURCE_ITEM_MAX = 120


# --- shared styling -----------------------------------------------------------------

def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in titles, annotations, hover and tick labels;
    data must stay literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def source_line(parts: list[tuple[str, list[str]]]) -> str:
    """'Nguồn: Thực hiện: a; b. Chỉ tiêu: c.' from labelled source references."""
    items = []
    for label, refs in parts:
        unique = list(dict.fromkeys(shorten(r, _SOURCE_ITEM_MAX) for r in refs if r))
        if unique:
            items.append(f"{label}: {'; '.join(unique)}.")
    return "Nguồn: " + (" ".join(items) if items else "cơ sở dữ liệu chỉ tiêu 2026.")


def _wrapped(text: str, width: int = _SOURCE_WIDTH) -> list[str]:
    return textwrap.wrap(text, width=width) or [""]


# Vertical space below the plot area, in pixels: tick labels and axis title,
# then the legend rows, then the source lines.  Positions are computed in
# pixels so nothing overlaps whatever the figure's height.
_AXIS_PX = 64
_LEGEND_ROW_PX = 26
_SOURCE_LINE_PX = 17


def _finish(fig: go.Figure, title: str, subtitle: str, source: str, height: int,
            legend_rows: int = 2, left: int = 80, axis_px: int = _AXIS_PX) -> go.Figure:
    source_lines = _wrapped(source)
    legend_px = _LEGEND_ROW_PX * legend_rows if fig.layout.showlegend is not False else 0
    bottom = axis_px + legend_px + 10 + _SOURCE_LINE_PX * len(source_lines) + 12
    fig.update_layout(
        title=dict(text=_escape(title), x=0.01, xanchor="left", xref="container",
                   y=0.985, yanchor="top", yref="container",
                   font=dict(size=22, color=INK),
                   subtitle=dict(text=_escape(subtitle), font=dict(size=15, color="#333333"))),
        separators=",.",
        font=dict(family=FONT_FAMILY, size=15, color=INK),
        template="plotly_white",
        height=height,
        margin=dict(l=left, r=40, t=104, b=bottom),
        hoverlabel=dict(font=dict(size=15, family=FONT_FAMILY)),
        legend=dict(orientation="h", xref="container", x=0.01, xanchor="left",
                    yref="container", y=(bottom - axis_px) / height, yanchor="top",
                    font=dict(size=14)),
    )
    fig.add_annotation(
        text="<br>".join(_escape(line) for line in source_lines),
        xref="paper", yref="paper", x=0, xanchor="left", xshift=-left + 12,
        y=0, yanchor="top", yshift=-(axis_px + legend_px + 10), showarrow=False,
        align="left", font=dict(size=12, color=SOURCE_COLOUR), name="source")
    return fig


def _number_format(values) -> str:
    finite = [abs(v) for v in values if not is_missing(v)]
    return ",.0f" if finite and max(finite) >= 1000 else ",.2~f"


def _unit_suffix(unit: str) -> str:
    if not unit:
        return ""
    return "%" if unit == "%" else f" {unit}"


# --- ward progress: the core chart --------------------------------------------------

def progress_chart(series: pd.DataFrame, *, ward_name: str, indicator_name: str, unit: str,
                   kind: str | None, as_of: str,
                   sources: dict[str, list[str]] | None = None) -> go.Figure:
    """Actual to date vs the scenario path vs the annual target, month by month.

    `series` is `presenters.progress_series`: month, actual, scenario, origin, target.
    """
    year = parse_period(as_of).year
    values = list(series["actual"]) + list(series["scenario"]) + list(series["target"])
    cumulative = kind in kinds.CUMULATIVE
    fmt = _number_format(values)
    suffix = _unit_suffix(unit)
    months = series["month"].tolist()
    month_names = [f"Tháng {m}/{year}" for m in months]

    def scaled(column: str) -> list:
        # One scale per view: the chart, its table and its note all use the indicator's unit.
        return [None if is_missing(v) else float(v) for v in series[column]]

    fig = go.Figure()
    scenario_y = scaled("scenario")
    if any(v is not None for v in scenario_y):
        fig.add_trace(go.Scatter(
            x=months, y=scenario_y, mode="lines", name="Kịch bản", showlegend=False,
            line=dict(color=SCENARIO_COLOUR, width=2.5, dash="dash"), hoverinfo="skip"))
        own = scaled("scenario_month") if "scenario_month" in series else [None] * len(months)
        for origin, name in SCENARIO_NAMES.items():
            symbol = SCENARIO_SYMBOLS[origin]
            mask = [o == origin for o in series["origin"]]
            y = [v if keep else None for v, keep in zip(scenario_y, mask, strict=True)]
            if not any(v is not None for v in y):
                continue
            # For a flow the point is a running total; the hover also gives the
            # month's own planned value, the figure the origin refers to.
            month_text = [f"{n} — kế hoạch trong tháng: {format_value(o, None)}{suffix}"
                          if cumulative and o is not None else n
                          for n, o in zip(month_names, own, strict=True)]
            fig.add_trace(go.Scatter(
                x=months, y=y, mode="lines+markers", name=name, connectgaps=False,
                line=dict(color=SCENARIO_COLOUR, width=2.5, dash="dash"),
                marker=dict(symbol=symbol, size=11, color=SCENARIO_COLOUR,
                            line=dict(width=2, color=SCENARIO_COLOUR)),
                customdata=[_escape(t) for t in month_text],
                hovertemplate=(f"<b>{name}</b><br>%{{customdata}}<br>"
                               f"Lũy kế: %{{y:{fmt}}}{suffix}<extra></extra>"
                               if cumulative else
                               f"<b>{name}</b><br>%{{customdata}}: %{{y:{fmt}}}{suffix}"
                               "<extra></extra>")))
    actual_y = scaled("actual")
    points = [(m, v, n) for m, v, n in zip(months, actual_y, month_names, strict=True) if v is not None]
    if points:
        actual_label = ACTUAL_NAME if cumulative else "Thực hiện (mức đạt)"
        breaks = {i for i in range(1, len(points)) if points[i][0] - points[i - 1][0] > 1}

        def gapped(values: list) -> list:
            """A None between non-consecutive months, so the solid line breaks there."""
            out = []
            for i, value in enumerate(values):
                if i in breaks:
                    out.append(None)
                out.append(value)
            return out

        for (m1, v1, _), (m2, v2, _) in itertools.pairwise(points):
            if m2 - m1 > 1:
                # No figure for the months between: a faint dotted bridge, not the solid
                # line that would suggest the ward reported them.
                fig.add_trace(go.Scatter(
                    x=[m1, m2], y=[v1, v2], mode="lines", showlegend=False, hoverinfo="skip",
                    name="Không có số liệu các tháng giữa",
                    line=dict(color=ACTUAL_COLOUR, width=1.5, dash="dot")))
        fig.add_trace(go.Scatter(
            x=gapped([p[0] for p in points]), y=gapped([p[1] for p in points]),
            mode="lines+markers+text",
            name=actual_label, line=dict(color=ACTUAL_COLOUR, width=3.5),
            # Consecutive reported months only: the line breaks where a month is missing.
            connectgaps=False,
            marker=dict(symbol="diamond", size=13, color=ACTUAL_COLOUR),
            text=gapped([format_value(p[1], None) for p in points]), textposition="top center",
            textfont=dict(size=15, color=ACTUAL_COLOUR), cliponaxis=False,
            customdata=gapped([p[2] for p in points]),
            hovertemplate=(f"<b>{actual_label}</b><br>%{{customdata}}: %{{y:{fmt}}}{suffix}"
                           "<extra></extra>")))
    target = scaled("target")[0] if len(series) else None
    if target is not None:
        target_name = f"Chỉ tiêu năm {year}: {format_value(target, unit)}"
        fig.add_trace(go.Scatter(
            x=[0.6, 12.4], y=[target, target], mode="lines", name=target_name,
            line=dict(color=TARGET_COLOUR, width=2.5, dash="dot"),
            hovertemplate=f"<b>Chỉ tiêu năm {year}</b>: %{{y:{fmt}}}{suffix}<extra></extra>"))
    cut = end_month(as_of)
    if cut is not None:
        fig.add_vline(x=cut, line=dict(color="#999999", width=1.5, dash="dot"))
        fig.add_annotation(x=cut, xref="x", y=1, yref="paper", yanchor="bottom",
                           text=_escape(f"Kỳ đang xem: {period_label(as_of)}"),
                           showarrow=False, font=dict(size=13, color="#444444"))
    if not fig.data:
        fig.add_annotation(text="Chưa có số liệu để vẽ", xref="paper", yref="paper",
                           x=0.5, y=0.5, showarrow=False, font=dict(size=18, color="#666666"))
    fig.update_xaxes(tickmode="array", tickvals=months, ticktext=MONTH_TICKS,
                     range=[0.5, 12.5], title=dict(text=f"Tháng (năm {year})"),
                     showgrid=False, tickfont=dict(size=15))
    fig.update_yaxes(title=dict(text=unit or "giá trị"), tickformat=fmt,
                     rangemode="tozero", tickfont=dict(size=15), gridcolor="#E5E5E5")
    what = "lũy kế thực hiện" if cumulative else "mức đạt"
    title = f"{ward_name} — {indicator_name}"
    subtitle = (f"{what.capitalize()} so với kịch bản và chỉ tiêu năm · đơn vị: "
                f"{unit or 'không có'} · đến {period_label(as_of)}")
    sources = sources or {}
    source = source_line([("Thực hiện", sources.get("actual", [])),
                          ("Chỉ tiêu", sources.get("target", [])),
                          ("Kịch bản", sources.get("scenario", []))])
    return _finish(fig, title, subtitle, source, height=620)


# --- ward progress: bullet summary ---------------------------------------------------

_BULLET_LEFT_PX = 330  # room for two lines of 40 characters at 14 px


def _wrap_label(text: str, width: int = 40) -> str:
    lines = textwrap.wrap(text, width=width) or [text]
    if len(lines) > 2:
        lines = [lines[0], shorten(" ".join(lines[1:]), width)]
    return "<br>".join(_escape(line) for line in lines)


def bullet_chart(rows: pd.DataFrame, *, ward_name: str, as_of: str,
                 sources: list[str] | None = None) -> go.Figure:
    """A bar per indicator: actual as % of the annual target, tick at the scenario to date.

    `rows` is `presenters.bullet_rows`.
    """
    fig = go.Figure()
    labels = [_wrap_label(f"{n} ({u})" if u else n) for n, u in
              zip(rows["indicator_name"], rows["unit"].map(text_or), strict=True)]
    for status in STATUS_ORDER:
        mask = (rows["status"].fillna(GREY) == status).tolist()
        if not any(mask):
            continue
        style = STATUS_STYLES[status]
        x = [v for v, keep in zip(rows["pct_of_target"], mask, strict=True) if keep]
        fig.add_trace(go.Bar(
            x=x, y=[label for label, keep in zip(labels, mask, strict=True) if keep], orientation="h",
            name=style.text, marker=dict(color=style.colour, line=dict(width=0)),
            text=[f"{style.symbol} {pct(v)}" for v in x], textposition="none",
            hovertemplate="%{y}<br>Thực hiện: %{x:,.1f}% chỉ tiêu năm<extra>"
                          + _escape(style.text) + "</extra>"))
    marks = rows["scenario_pct_of_target"].tolist()
    finite = [v for v in list(rows["pct_of_target"]) + marks if not is_missing(v)]
    top = max([120.0] + [v * 1.18 for v in finite])

    def label_at(value: float, mark: float) -> float:
        # Right of the bar, or of the scenario tick when the tick sits just past
        # the bar's end and would cover the figure.
        near = not is_missing(mark) and value <= mark <= value + 0.08 * top
        return float(mark) if near else float(value)

    label_x = [label_at(v, m) for v, m in zip(rows["pct_of_target"], marks, strict=True)]
    fig.add_trace(go.Scatter(
        x=label_x, y=labels, mode="text", showlegend=False, hoverinfo="skip",
        text=[f"  {style_of(s).symbol} {pct(v)}{PROVISIONAL_MARK if is_true(p) else ''}"
              for s, v, p in zip(rows["status"], rows["pct_of_target"],
                                 rows.get("provisional", [False] * len(rows)), strict=True)],
        textposition="middle right", textfont=dict(size=14, color=INK), cliponaxis=False))
    if any(not is_missing(v) for v in marks):
        fig.add_trace(go.Scatter(
            x=[None if is_missing(v) else v for v in marks], y=labels, mode="markers",
            name="Kịch bản đến kỳ",
            marker=dict(symbol="line-ns", size=30, line=dict(width=4, color=INK), color=INK),
            hovertemplate="%{y}<br>Kịch bản đến kỳ: %{x:,.1f}% chỉ tiêu năm<extra></extra>"))
    fig.add_vline(x=100, line=dict(color=TARGET_COLOUR, width=2, dash="dot"))
    fig.add_annotation(x=100, xref="x", y=1, yref="paper", yanchor="bottom", showarrow=False,
                       text="100% chỉ tiêu năm", font=dict(size=13, color="#444444"))
    if not len(rows):
        fig.add_annotation(text="Chưa có chỉ tiêu nào có số liệu thực hiện", xref="paper",
                           yref="paper", x=0.5, y=0.5, showarrow=False,
                           font=dict(size=18, color="#666666"))
    fig.update_layout(barmode="overlay", bargap=0.35)
    fig.update_xaxes(range=[0, top], title=dict(text="% chỉ tiêu năm"), ticksuffix="%",
                     gridcolor="#E5E5E5", tickfont=dict(size=14))
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)),
                     tickfont=dict(size=14), automargin=False)
    source = source_line([("Thực hiện và chỉ tiêu", sources or [])])
    height = max(440, 320 + 42 * len(rows))
    return _finish(fig, f"{ward_name} — Tiến độ các chỉ tiêu có số liệu",
                   f"Thực hiện so với chỉ tiêu năm (%), vạch đen: kịch bản đến kỳ · "
                   f"đến {period_label(as_of)}", source, height=height, left=_BULLET_LEFT_PX)


# --- compare wards --------------------------------------------------------------------

def compare_chart(rows: pd.DataFrame, *, indicator_name: str, unit: str, as_of: str,
                  sources: list[str] | None = None) -> go.Figure:
    """Per ward: progress as % of its own annual target and % of its scenario to date.

    `rows` is `presenters.compare_rows`.  Ratios make wards of any size comparable.
    """
    fig = go.Figure()
    # Category labels are rendered as Plotly's HTML subset too: '<a href=…>' in a ward
    # name would become a link on the axis and in the hover.
    names = [_escape(text_or(n)) for n in rows["ward_name"]]
    series = (("pct_of_target", "% chỉ tiêu năm của phường", "#0072B2"),
              ("pct_of_scenario", "% kịch bản đến kỳ của phường", "#56B4E9"))
    for column, name, colour in series:
        x = [None if is_missing(v) else float(v) for v in rows[column]]
        text = [pct(v) if v is not None else "" for v in x]
        fig.add_trace(go.Bar(
            x=x, y=names, orientation="h", name=name, marker=dict(color=colour),
            text=text, textposition="outside", textfont=dict(size=14), cliponaxis=False,
            hovertemplate="%{y}: %{x:,.1f}%<extra>" + _escape(name) + "</extra>"))
    for row, name in zip(rows.itertuples(index=False), names, strict=True):
        if is_missing(row.pct_of_target) and is_missing(row.pct_of_scenario):
            why = "chưa có báo cáo" if not row.has_report else "chưa có số liệu kỳ này"
            fig.add_annotation(x=0, y=name, xanchor="left", showarrow=False,
                               text=_escape(f"{STATUS_STYLES[GREY].symbol} {why}"),
                               font=dict(size=14, color="#555555"))
    finite = [v for v in list(rows["pct_of_target"]) + list(rows["pct_of_scenario"])
              if not is_missing(v)]
    top = max([110.0] + [float(v) * 1.2 for v in finite])
    fig.add_vline(x=100, line=dict(color=TARGET_COLOUR, width=2, dash="dot"))
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_xaxes(range=[0, top], ticksuffix="%", title=dict(text="% (chuẩn hóa)"),
                     gridcolor="#E5E5E5")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(names)),
                     tickfont=dict(size=15), automargin=False)
    source = source_line([("Chỉ tiêu và thực hiện", sources or [])])
    height = max(440, 300 + 80 * len(rows))
    return _finish(fig, f"So sánh phường — {indicator_name}",
                   f"Tiến độ theo % chỉ tiêu năm và % kịch bản của từng phường "
                   f"(đơn vị gốc: {unit or 'không có'}) · {period_label(as_of)}",
                   source, height=height, left=150, legend_rows=1)


def figure_values(fig: go.Figure, name: str) -> list:
    """The y values of the trace called `name`, without the None that break its line
    (tests and exports read figures this way)."""
    for trace in fig.data:
        if trace.name == name:
            return [v for v in trace.y if v is not None]
    raise KeyError(name)
