"""Plotly figure builders: complete figures, ready for the screen and for a slide.

Every figure has a title naming ward, indicator, unit and period, a
"Nguồn: …" line, Vietnamese separators (`separators=",."`) and fonts large
enough for a 16:9 slide.  The builders take frames shaped by
`wardplan.presenters` and never touch the database or Streamlit.
"""

from __future__ import annotations

import itertools
import textwrap
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from wardplan.display.format import format_value, pct
from wardplan.display.styles import (
    MILESTONE_TEXT,
    PROVISIONAL_MARK,
    STATUS_ORDER,
    STATUS_STYLES,
    style_of,
)
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
# A phone has room for five month ticks: January and each quarter's end.
NARROW_MONTHS = [1, 3, 6, 9, 12]
_SOURCE_ITEM_MAX = 120


@dataclass(frozen=True)
class Frame:
    """Type sizes and text widths of a figure for one class of screen.

    Plotly never wraps text, so titles and the source line are wrapped here at
    a number of characters that fits the narrowest screen of the class: WIDE
    from a 700 px wide chart (a tablet) to a slide, NARROW a 360 px phone.
    """

    narrow: bool
    title_size: int
    subtitle_size: int
    font_size: int
    tick_size: int
    legend_size: int
    source_size: int
    title_chars: int
    subtitle_chars: int
    source_chars: int
    right: int
    legend_row_px: int
    source_line_px: int


WIDE = Frame(narrow=False, title_size=22, subtitle_size=15, font_size=15, tick_size=15,
             legend_size=14, source_size=12, title_chars=62, subtitle_chars=88,
             source_chars=100, right=40, legend_row_px=26, source_line_px=17)
NARROW = Frame(narrow=True, title_size=16, subtitle_size=12, font_size=12, tick_size=12,
               legend_size=12, source_size=11, title_chars=36, subtitle_chars=52,
               source_chars=50, right=14, legend_row_px=21, source_line_px=15)


def frame_for(narrow: bool) -> Frame:
    return NARROW if narrow else WIDE


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


def _wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width) or [""]


def _lines(text: str, width: int) -> str:
    return "<br>".join(_escape(line) for line in _wrapped(text, width))


# Vertical space below the plot area, in pixels: tick labels and axis title,
# then the legend rows, then the source lines.  Positions are computed in
# pixels so nothing overlaps whatever the figure's height.
_AXIS_PX = 64


def _legend_entries(fig: go.Figure) -> int:
    return sum(1 for t in fig.data if t.showlegend is not False and t.name)


def _finish(fig: go.Figure, title: str, subtitle: str, source: str, height: int,
            legend_rows: int = 2, left: int = 80, axis_px: int = _AXIS_PX,
            frame: Frame = WIDE, plot_px: int | None = None) -> go.Figure:
    """Title, subtitle, legend and source line placed in pixels around the plot.

    The figure is `height` tall (more if the title wraps), or, with `plot_px`, the
    plot area is that tall and the margins come on top.  A narrow frame stacks the
    legend one entry per row, so its height is known.
    """
    source_lines = _wrapped(source, frame.source_chars)
    title_lines = _wrapped(title, frame.title_chars)
    subtitle_lines = _wrapped(subtitle, frame.subtitle_chars)
    if fig.layout.showlegend is False:
        legend_px = 0
    elif frame.narrow:
        legend_px = frame.legend_row_px * _legend_entries(fig)
    else:
        legend_px = frame.legend_row_px * legend_rows
    bottom = axis_px + legend_px + 10 + frame.source_line_px * len(source_lines) + 12
    # On a phone Plotly's toolbar stays on screen above the chart: the title starts below it.
    toolbar = 30 if frame.narrow else 0
    top = int(22 + toolbar + len(title_lines) * frame.title_size * 1.3
              + len(subtitle_lines) * frame.subtitle_size * 1.4 + 30)
    total = top + bottom + plot_px if plot_px is not None else height + max(0, top - 104)
    fig.update_layout(
        title=dict(text="<br>".join(_escape(t) for t in title_lines), x=0.01, xanchor="left",
                   xref="container", y=1 - (12 + toolbar) / total, yanchor="top",
                   yref="container",
                   font=dict(size=frame.title_size, color=INK),
                   subtitle=dict(text="<br>".join(_escape(t) for t in subtitle_lines),
                                 font=dict(size=frame.subtitle_size, color="#333333"))),
        separators=",.",
        font=dict(family=FONT_FAMILY, size=frame.font_size, color=INK),
        template="plotly_white",
        height=total,
        margin=dict(l=left, r=frame.right, t=top, b=bottom),
        hoverlabel=dict(font=dict(size=frame.font_size, family=FONT_FAMILY)),
        # Horizontal in both forms: a vertical legend would push the plot aside.  On a
        # phone each entry takes the full width, so entries stack one a row.
        legend=dict(orientation="h", xref="container", x=0.01, xanchor="left",
                    yref="container", y=(bottom - axis_px) / total, yanchor="top",
                    font=dict(size=frame.legend_size),
                    **({"entrywidth": 1, "entrywidthmode": "fraction"} if frame.narrow else {})),
        # Dragging zooms by default, which on a phone swallows the thumb that
        # scrolls the page; the zoom buttons remain.
        dragmode=False,
    )
    fig.add_annotation(
        text="<br>".join(_escape(line) for line in source_lines),
        xref="paper", yref="paper", x=0, xanchor="left", xshift=-left + 12,
        y=0, yanchor="top", yshift=-(axis_px + legend_px + 10), showarrow=False,
        align="left", font=dict(size=frame.source_size, color=SOURCE_COLOUR), name="source")
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
                   sources: dict[str, list[str]] | None = None,
                   narrow: bool = False) -> go.Figure:
    """Actual to date vs the scenario path vs the annual target, month by month.

    `series` is `presenters.progress_series`: month, actual, scenario, origin, target.
    `narrow`: laid out for a phone (fewer month ticks, legend stacked below).
    """
    frame = frame_for(narrow)
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
            textfont=dict(size=frame.font_size, color=ACTUAL_COLOUR), cliponaxis=False,
            customdata=gapped([p[2] for p in points]),
            hovertemplate=(f"<b>{actual_label}</b><br>%{{customdata}}: %{{y:{fmt}}}{suffix}"
                           "<extra></extra>")))
    target = scaled("target")[0] if len(series) else None
    if target is not None:
        target_name = (f"Chỉ tiêu năm: {format_value(target, unit)}" if narrow else
                       f"Chỉ tiêu năm {year}: {format_value(target, unit)}")
        fig.add_trace(go.Scatter(
            x=[0.6, 12.4], y=[target, target], mode="lines", name=target_name,
            line=dict(color=TARGET_COLOUR, width=2.5, dash="dot"),
            hovertemplate=f"<b>Chỉ tiêu năm {year}</b>: %{{y:{fmt}}}{suffix}<extra></extra>"))
    cut = end_month(as_of)
    if cut is not None:
        fig.add_vline(x=cut, line=dict(color="#999999", width=1.5, dash="dot"))
        fig.add_annotation(x=cut, xref="x", y=1, yref="paper", yanchor="bottom",
                           text=_escape(f"Kỳ đang xem: {period_label(as_of)}"),
                           xanchor="right" if narrow and cut > 8 else "center",
                           showarrow=False, font=dict(size=frame.tick_size - 1, color="#444444"))
    if not fig.data:
        fig.add_annotation(text="Chưa có số liệu để vẽ", xref="paper", yref="paper",
                           x=0.5, y=0.5, showarrow=False, font=dict(size=18, color="#666666"))
    ticks = NARROW_MONTHS if narrow else months
    fig.update_xaxes(tickmode="array", tickvals=ticks, ticktext=[MONTH_TICKS[m - 1] for m in ticks],
                     range=[0.5, 12.5], title=dict(text=f"Tháng (năm {year})"),
                     showgrid=False, tickfont=dict(size=frame.tick_size))
    fig.update_yaxes(title=dict(text=unit or "giá trị"), tickformat=fmt,
                     rangemode="tozero", tickfont=dict(size=frame.tick_size), gridcolor="#E5E5E5",
                     nticks=6 if narrow else None)
    what = "lũy kế thực hiện" if cumulative else "mức đạt"
    title = f"{ward_name} — {indicator_name}"
    subtitle = (f"{what.capitalize()} so với kịch bản và chỉ tiêu năm · đơn vị: "
                f"{unit or 'không có'} · đến {period_label(as_of)}")
    sources = sources or {}
    source = source_line([("Thực hiện", sources.get("actual", [])),
                          ("Chỉ tiêu", sources.get("target", [])),
                          ("Kịch bản", sources.get("scenario", []))])
    if narrow:
        return _finish(fig, title, subtitle, source, height=0, left=64, axis_px=56,
                       frame=frame, plot_px=300)
    return _finish(fig, title, subtitle, source, height=620)


# --- ward progress: bullet summary ---------------------------------------------------

_BULLET_LEFT_PX = 330  # room for two lines of 40 characters at 14 px


def _wrap_label(text: str, width: int = 40) -> str:
    lines = textwrap.wrap(text, width=width) or [text]
    if len(lines) > 2:
        lines = [lines[0], shorten(" ".join(lines[1:]), width)]
    return "<br>".join(_escape(line) for line in lines)


def _is_milestone(rows: pd.DataFrame) -> list[bool]:
    """Milestones are judged at year end: a bar at 0 % would read as no progress."""
    if "kind" not in rows:
        return [False] * len(rows)
    return [k == kinds.MILESTONE for k in rows["kind"]]


def bullet_chart(rows: pd.DataFrame, *, ward_name: str, as_of: str,
                 sources: list[str] | None = None, narrow: bool = False) -> go.Figure:
    """A bar per indicator: actual as % of the annual target, tick at the scenario to date.

    `rows` is `progress.bullet_rows` (with `kind` from `progress.summary_rows`, milestones
    read "đánh giá cuối năm" instead of a bar).  `narrow` puts each label above its
    bar instead of beside it, so the bars keep the width of a phone.
    """
    frame = frame_for(narrow)
    fig = go.Figure()
    names = [f"{n} ({u})" if u else n for n, u in
             zip(rows["indicator_name"], rows["unit"].map(text_or), strict=True)]
    # Category keys stay unique and short; a phone shows the label as an annotation.
    # (Not bare numbers: Plotly reads a numeric category as a position.)
    labels = [_wrap_label(n) for n in names] if not narrow else \
        [f"#{i + 1}" for i in range(len(names))]
    milestone = _is_milestone(rows)
    values = [None if m or is_missing(v) else float(v)
              for v, m in zip(rows["pct_of_target"], milestone, strict=True)]
    for status in STATUS_ORDER:
        mask = [(s if not is_missing(s) else GREY) == status and not m
                for s, m in zip(rows["status"], milestone, strict=True)]
        if not any(mask):
            continue
        style = STATUS_STYLES[status]
        x = [v for v, keep in zip(values, mask, strict=True) if keep]
        fig.add_trace(go.Bar(
            x=x, y=[label for label, keep in zip(labels, mask, strict=True) if keep],
            orientation="h", name=style.text, marker=dict(color=style.colour, line=dict(width=0)),
            text=[f"{style.symbol} {pct(v)}" for v in x], textposition="none",
            customdata=[_escape(n) for n, keep in zip(names, mask, strict=True) if keep],
            hovertemplate="%{customdata}<br>Thực hiện: %{x:,.1f}% chỉ tiêu năm<extra>"
                          + _escape(style.text) + "</extra>"))
    marks = [None if m or is_missing(v) else float(v)
             for v, m in zip(rows["scenario_pct_of_target"], milestone, strict=True)]
    finite = [v for v in values + marks if v is not None]
    top = max([125.0 if narrow else 120.0] + [v * (1.3 if narrow else 1.18) for v in finite])

    def label_at(value: float | None, mark: float | None) -> float:
        # Right of the bar, or of the scenario tick when the tick sits just past
        # the bar's end and would cover the figure.
        if value is None:
            return 0.0
        near = mark is not None and value <= mark <= value + 0.08 * top
        return float(mark) if near else float(value)

    def value_text(status, value, is_milestone, provisional) -> str:
        symbol = style_of(status).symbol
        if is_milestone:
            return f"  {symbol} {MILESTONE_TEXT}"
        return f"  {symbol} {pct(value)}{PROVISIONAL_MARK if is_true(provisional) else ''}"

    fig.add_trace(go.Scatter(
        x=[label_at(v, m) for v, m in zip(values, marks, strict=True)], y=labels, mode="text",
        showlegend=False, hoverinfo="skip",
        text=[value_text(s, v, m, p) for s, v, m, p in zip(
            rows["status"], rows["pct_of_target"], milestone,
            rows.get("provisional", [False] * len(rows)), strict=True)],
        textposition="middle right", textfont=dict(size=frame.legend_size, color=INK),
        cliponaxis=False))
    if any(v is not None for v in marks):
        fig.add_trace(go.Scatter(
            x=marks, y=labels, mode="markers", name="Kịch bản đến kỳ",
            marker=dict(symbol="line-ns", size=24 if narrow else 30, line=dict(width=4, color=INK),
                        color=INK),
            customdata=[_escape(n) for n in names],
            hovertemplate="%{customdata}<br>Kịch bản đến kỳ: %{x:,.1f}% chỉ tiêu năm"
                          "<extra></extra>"))
    fig.add_vline(x=100, line=dict(color=TARGET_COLOUR, width=2, dash="dot"))
    fig.add_annotation(x=100, xref="x", y=1, yref="paper", yanchor="bottom", showarrow=False,
                       text="100% chỉ tiêu năm", font=dict(size=frame.tick_size - 1, color="#444444"))
    if not len(rows):
        fig.add_annotation(text="Chưa có chỉ tiêu nào có số liệu thực hiện", xref="paper",
                           yref="paper", x=0.5, y=0.5, showarrow=False,
                           font=dict(size=18, color="#666666"))
    fig.update_xaxes(range=[0, top], title=dict(text="% chỉ tiêu năm"), ticksuffix="%",
                     gridcolor="#E5E5E5", tickfont=dict(size=frame.tick_size),
                     nticks=5 if narrow else None)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)),
                     tickfont=dict(size=14), automargin=False, showticklabels=not narrow)
    source = source_line([("Thực hiện và chỉ tiêu", sources or [])])
    title = f"{ward_name} — Tiến độ các chỉ tiêu có số liệu"
    subtitle = (f"Thực hiện so với chỉ tiêu năm (%), vạch đen: kịch bản đến kỳ · "
                f"đến {period_label(as_of)}")
    if not narrow:
        fig.update_layout(barmode="overlay", bargap=0.35)
        return _finish(fig, title, subtitle, source, height=max(440, 320 + 42 * len(rows)),
                       left=_BULLET_LEFT_PX, frame=frame)
    # One row per indicator, 76 px: two label lines above a bar of about 26 px.
    row_px = 76
    fig.update_layout(barmode="overlay", bargap=0.62)
    for label, name in zip(labels, names, strict=True):
        fig.add_annotation(x=0, xref="x", xanchor="left", y=label, yref="y", yanchor="bottom",
                           yshift=14, text=_wrap_label(name, 46), showarrow=False, align="left",
                           font=dict(size=frame.font_size, color=INK))
    return _finish(fig, title, subtitle, source, height=0, left=16, axis_px=52, frame=frame,
                   plot_px=row_px * max(len(rows), 2) + 20)


# --- compare wards --------------------------------------------------------------------

def compare_chart(rows: pd.DataFrame, *, indicator_name: str, unit: str, as_of: str,
                  sources: list[str] | None = None, narrow: bool = False) -> go.Figure:
    """Per ward: progress as % of its own annual target and % of its scenario to date.

    `rows` is `compare.compare_rows`.  Ratios make wards of any size comparable.
    """
    frame = frame_for(narrow)
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
            text=text, textposition="outside", textfont=dict(size=frame.legend_size),
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,.1f}%<extra>" + _escape(name) + "</extra>"))
    for row, name in zip(rows.itertuples(index=False), names, strict=True):
        if is_missing(row.pct_of_target) and is_missing(row.pct_of_scenario):
            why = "chưa có báo cáo" if not row.has_report else "chưa có số liệu kỳ này"
            fig.add_annotation(x=0, y=name, xanchor="left", showarrow=False,
                               text=_escape(f"{STATUS_STYLES[GREY].symbol} {why}"),
                               font=dict(size=frame.legend_size, color="#555555"))
    finite = [v for v in list(rows["pct_of_target"]) + list(rows["pct_of_scenario"])
              if not is_missing(v)]
    top = max([110.0] + [float(v) * (1.3 if narrow else 1.2) for v in finite])
    fig.add_vline(x=100, line=dict(color=TARGET_COLOUR, width=2, dash="dot"))
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_xaxes(range=[0, top], ticksuffix="%", title=dict(text="% (chuẩn hóa)"),
                     gridcolor="#E5E5E5", tickfont=dict(size=frame.tick_size),
                     nticks=5 if narrow else None)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(names)),
                     tickfont=dict(size=frame.tick_size), automargin=False)
    source = source_line([("Chỉ tiêu và thực hiện", sources or [])])
    title = f"So sánh phường — {indicator_name}"
    subtitle = (f"Tiến độ theo % chỉ tiêu năm và % kịch bản của từng phường "
                f"(đơn vị gốc: {unit or 'không có'}) · {period_label(as_of)}")
    if narrow:
        return _finish(fig, title, subtitle, source, height=0, left=96, frame=frame,
                       axis_px=52, plot_px=max(160, 64 * len(rows)))
    return _finish(fig, title, subtitle, source, height=max(440, 300 + 80 * len(rows)),
                   left=150, legend_rows=1, frame=frame)


def figure_values(fig: go.Figure, name: str) -> list:
    """The y values of the trace called `name`, without the None that break its line
    (tests and exports read figures this way)."""
    for trace in fig.data:
        if trace.name == name:
            return [v for v in trace.y if v is not None]
    raise KeyError(name)
