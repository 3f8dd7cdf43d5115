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
import plotly.io as pio

from wardplan.display.format import format_value, pct
from wardplan.display.styles import (
    MILESTONE_TEXT,
    PROVISIONAL_MARK,
    STATUS_ORDER,
    STATUS_STYLES,
    style_of,
)
from wardplan.rules import kinds
from wardplan.rules.frames import records
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


# Measured in Chromium (both frames): 14 px at 22 px type, 10 px at 16 px.
_MULTILINE_TITLE_DROP = 0.64


def _frame(title: str, subtitle: str, source: str, height: int, *, legend_rows: int = 2,
           left: int = 80, axis_px: int = _AXIS_PX, frame: Frame = WIDE,
           plot_px: int | None = None, top_axis_px: int = 0, legend_entries: int = 0,
           show_legend: bool = True) -> tuple[dict, dict]:
    """The layout around the plot — title, subtitle, legend, fonts, margins, height — and
    the source line's annotation, placed in pixels (see `_finish`)."""
    source_lines = _wrapped(source, frame.source_chars)
    title_lines = _wrapped(title, frame.title_chars)
    subtitle_lines = _wrapped(subtitle, frame.subtitle_chars)
    if not show_legend:
        legend_px = 0
    elif frame.narrow:
        legend_px = frame.legend_row_px * legend_entries
    else:
        legend_px = frame.legend_row_px * legend_rows
    bottom = axis_px + legend_px + 10 + frame.source_line_px * len(source_lines) + 12
    # On a phone Plotly's toolbar stays on screen above the chart: the title starts below it.
    toolbar = 30 if frame.narrow else 0
    top = int(22 + toolbar + len(title_lines) * frame.title_size * 1.3
              + len(subtitle_lines) * frame.subtitle_size * 1.4 + 30 + top_axis_px)
    total = top + bottom + plot_px if plot_px is not None else height + max(0, top - 104)
    # Plotly ignores yanchor for a title of several lines (plotly.js#6472, plotly.py#4309):
    # it draws the first line some two thirds of its size higher than a single line's,
    # which cut off the top of a two-line title on screen and in every exported image.
    drop = round(_MULTILINE_TITLE_DROP * frame.title_size) if len(title_lines) > 1 else 0
    layout = dict(
        title=dict(text="<br>".join(_escape(t) for t in title_lines), x=0.01, xanchor="left",
                   xref="container", y=1 - (12 + toolbar + drop) / total, yanchor="top",
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
    note = dict(
        text="<br>".join(_escape(line) for line in source_lines),
        xref="paper", yref="paper", x=0, xanchor="left", xshift=-left + 12,
        y=0, yanchor="top", yshift=-(axis_px + legend_px + 10), showarrow=False,
        align="left", font=dict(size=frame.source_size, color=SOURCE_COLOUR), name="source")
    return layout, note


def _finish(fig: go.Figure, title: str, subtitle: str, source: str, height: int,
            legend_rows: int = 2, left: int = 80, axis_px: int = _AXIS_PX,
            frame: Frame = WIDE, plot_px: int | None = None) -> go.Figure:
    """Title, subtitle, legend and source line placed in pixels around the plot.

    The figure is `height` tall (more if the title wraps), or, with `plot_px`, the
    plot area is that tall and the margins come on top.  A narrow frame stacks the
    legend one entry per row, so its height is known.
    """
    layout, note = _frame(title, subtitle, source, height, legend_rows=legend_rows, left=left,
                          axis_px=axis_px, frame=frame, plot_px=plot_px,
                          legend_entries=_legend_entries(fig),
                          show_legend=fig.layout.showlegend is not False)
    fig.update_layout(**layout)
    fig.add_annotation(**note)
    return fig


# The template as plain data, for figures built without Plotly's validation (which is
# what turns the name into the template elsewhere).
_WHITE = pio.templates["plotly_white"].to_plotly_json()


def _figure(spec: dict) -> go.Figure:
    """A figure from `_spec`'s dict in one step, not validated property by property: a
    ranking of 114 units has thousands of values, and Plotly's validation and relayout
    were most of the compare page's cold time.  tests/test_charts.py validates what the
    builders that use this make."""
    return go.Figure(spec, _validate=False)


def _spec(traces: list[dict], layout: dict, note: dict, shapes: list[dict],
          notes: list[dict]) -> dict:
    """A figure as plain data.  Pages cache and send this dict as it is (`*_spec`): made
    into a go.Figure, it is deep-copied, template and all, once to be made and once more to
    be sent."""
    layout = {**layout, "template": _WHITE, "shapes": shapes, "annotations": [*notes, note]}
    return {"data": traces, "layout": layout}


def _scatter(**properties) -> dict:
    return {"type": "scatter", **properties}


def _vline(x: float, *, color: str, width: float) -> dict:
    """A dotted vertical line over the whole plot, as Plotly's add_vline draws it."""
    return dict(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="y domain",
                line=dict(color=color, width=width, dash="dot"))


def _legend_count(traces: list[dict]) -> int:
    return sum(1 for t in traces if t.get("showlegend", True) is not False and t.get("name"))


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
    return _figure(progress_spec(series, ward_name=ward_name, indicator_name=indicator_name,
                                 unit=unit, kind=kind, as_of=as_of, sources=sources,
                                 narrow=narrow))


def progress_spec(series: pd.DataFrame, *, ward_name: str, indicator_name: str, unit: str,
                  kind: str | None, as_of: str,
                  sources: dict[str, list[str]] | None = None,
                  narrow: bool = False) -> dict:
    """`progress_chart`'s figure as the dict a page caches."""
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

    traces, shapes, notes = [], [], []
    scenario_y = scaled("scenario")
    if any(v is not None for v in scenario_y):
        traces.append(_scatter(
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
            traces.append(_scatter(
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
                traces.append(_scatter(
                    x=[m1, m2], y=[v1, v2], mode="lines", showlegend=False, hoverinfo="skip",
                    name="Không có số liệu các tháng giữa",
                    line=dict(color=ACTUAL_COLOUR, width=1.5, dash="dot")))
        traces.append(_scatter(
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
        traces.append(_scatter(
            x=[0.6, 12.4], y=[target, target], mode="lines", name=target_name,
            line=dict(color=TARGET_COLOUR, width=2.5, dash="dot"),
            hovertemplate=f"<b>Chỉ tiêu năm {year}</b>: %{{y:{fmt}}}{suffix}<extra></extra>"))
    cut = end_month(as_of)
    if cut is not None:
        shapes.append(_vline(cut, color="#999999", width=1.5))
        notes.append(dict(x=cut, xref="x", y=1, yref="paper", yanchor="bottom",
                          text=_escape(f"Kỳ đang xem: {period_label(as_of)}"),
                          xanchor="right" if narrow and cut > 8 else "center",
                          showarrow=False, font=dict(size=frame.tick_size - 1, color="#444444")))
    if not traces:
        notes.append(dict(text="Chưa có số liệu để vẽ", xref="paper", yref="paper",
                          x=0.5, y=0.5, showarrow=False, font=dict(size=18, color="#666666")))
    ticks = NARROW_MONTHS if narrow else months
    axes = dict(
        xaxis=dict(tickmode="array", tickvals=ticks, ticktext=[MONTH_TICKS[m - 1] for m in ticks],
                   range=[0.5, 12.5], title=dict(text=f"Tháng (năm {year})"),
                   showgrid=False, tickfont=dict(size=frame.tick_size)),
        yaxis=dict(title=dict(text=unit or "giá trị"), tickformat=fmt,
                   rangemode="tozero", tickfont=dict(size=frame.tick_size), gridcolor="#E5E5E5",
                   **({"nticks": 6} if narrow else {})))
    what = "lũy kế thực hiện" if cumulative else "mức đạt"
    title = f"{ward_name} — {indicator_name}"
    subtitle = (f"{what.capitalize()} so với kịch bản và chỉ tiêu năm · đơn vị: "
                f"{unit or 'không có'} · đến {period_label(as_of)}")
    sources = sources or {}
    source = source_line([("Thực hiện", sources.get("actual", [])),
                          ("Chỉ tiêu", sources.get("target", [])),
                          ("Kịch bản", sources.get("scenario", []))])
    placed = dict(height=0, left=64, axis_px=56, plot_px=300) if narrow else dict(height=620)
    layout, note = _frame(title, subtitle, source, frame=frame,
                          legend_entries=_legend_count(traces), **placed)
    return _spec(traces, {**layout, **axes}, note, shapes, notes)


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
    return _figure(bullet_spec(rows, ward_name=ward_name, as_of=as_of, sources=sources,
                               narrow=narrow))


def bullet_spec(rows: pd.DataFrame, *, ward_name: str, as_of: str,
                sources: list[str] | None = None, narrow: bool = False) -> dict:
    """`bullet_chart`'s figure as the dict a page caches."""
    frame = frame_for(narrow)
    traces = []
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
        traces.append(dict(
            type="bar", x=x, y=[label for label, keep in zip(labels, mask, strict=True) if keep],
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

    traces.append(_scatter(
        x=[label_at(v, m) for v, m in zip(values, marks, strict=True)], y=labels, mode="text",
        showlegend=False, hoverinfo="skip",
        text=[value_text(s, v, m, p) for s, v, m, p in zip(
            rows["status"], rows["pct_of_target"], milestone,
            rows.get("provisional", [False] * len(rows)), strict=True)],
        textposition="middle right", textfont=dict(size=frame.legend_size, color=INK),
        cliponaxis=False))
    if any(v is not None for v in marks):
        traces.append(_scatter(
            x=marks, y=labels, mode="markers", name="Kịch bản đến kỳ",
            marker=dict(symbol="line-ns", size=24 if narrow else 30, line=dict(width=4, color=INK),
                        color=INK),
            customdata=[_escape(n) for n in names],
            hovertemplate="%{customdata}<br>Kịch bản đến kỳ: %{x:,.1f}% chỉ tiêu năm"
                          "<extra></extra>"))
    shapes = [_vline(100, color=TARGET_COLOUR, width=2)]
    notes = [dict(x=100, xref="x", y=1, yref="paper", yanchor="bottom", showarrow=False,
                  text="100% chỉ tiêu năm", font=dict(size=frame.tick_size - 1, color="#444444"))]
    if not len(rows):
        notes.append(dict(text="Chưa có chỉ tiêu nào có số liệu thực hiện", xref="paper",
                          yref="paper", x=0.5, y=0.5, showarrow=False,
                          font=dict(size=18, color="#666666")))
    axes = dict(
        xaxis=dict(range=[0, top], title=dict(text="% chỉ tiêu năm"), ticksuffix="%",
                   gridcolor="#E5E5E5", tickfont=dict(size=frame.tick_size),
                   **({"nticks": 5} if narrow else {})),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(labels)),
                   tickfont=dict(size=14), automargin=False, showticklabels=not narrow))
    source = source_line([("Thực hiện và chỉ tiêu", sources or [])])
    title = f"{ward_name} — Tiến độ các chỉ tiêu có số liệu"
    subtitle = (f"Thực hiện so với chỉ tiêu năm (%), vạch đen: kịch bản đến kỳ · "
                f"đến {period_label(as_of)}")
    if not narrow:
        placed = dict(height=max(440, 320 + 42 * len(rows)), left=_BULLET_LEFT_PX)
        bars = dict(barmode="overlay", bargap=0.35)
    else:
        # One row per indicator, 76 px: two label lines above a bar of about 26 px.
        placed = dict(height=0, left=16, axis_px=52, plot_px=76 * max(len(rows), 2) + 20)
        bars = dict(barmode="overlay", bargap=0.62)
        notes += [dict(x=0, xref="x", xanchor="left", y=label, yref="y", yanchor="bottom",
                       yshift=14, text=_wrap_label(name, 46), showarrow=False, align="left",
                       font=dict(size=frame.font_size, color=INK))
                  for label, name in zip(labels, names, strict=True)]
    layout, note = _frame(title, subtitle, source, frame=frame,
                          legend_entries=_legend_count(traces), **placed)
    return _spec(traces, {**layout, **axes, **bars}, note, shapes, notes)


# --- compare units: the ranking and the distribution ----------------------------------

MEASURE_NAMES = {"pct_of_scenario": "% kịch bản đến kỳ", "pct_of_target": "% chỉ tiêu năm"}
OTHER_MEASURE = {"pct_of_scenario": "pct_of_target", "pct_of_target": "pct_of_scenario"}
PROVISIONAL_PATTERN = "/"  # hatching on a bar whose status is provisional
HIGHLIGHT = INK  # the chosen unit: outlined, named, bold on its axis


def compare_sources(titles: list[str], units: int, limit: int = 6) -> str:
    """The source line of a chart about many units: the documents when they are few, else
    what they are and where each is given (every unit's own reference is in the table)."""
    if len(titles) <= limit:
        return source_line([("Chỉ tiêu và thực hiện", titles)])
    return (f"Nguồn: chỉ tiêu và thực hiện theo văn bản kế hoạch, báo cáo của {units} đơn vị "
            f"({len(titles)} văn bản; nguồn của từng đơn vị ở bảng xếp hạng).")


def _unit_labels(ranked: pd.DataFrame, width: int) -> tuple[list, list]:
    """Unique category keys (codes) and the names shown for them."""
    keys = [str(c) for c in ranked["ward_code"]]
    names = [_escape(shorten(text_or(name, code), width))
             for code, name in zip(keys, ranked["ward_name"], strict=True)]
    return keys, names


def _band_lines(by: str, bands: dict, frame: Frame, span: tuple[float, float] | None = None,
                below: bool = False) -> tuple[list, list]:
    """Where the colours change: the bands on the scenario, 100 % of the target; over
    the whole plot, or the `span` of y (data) of one row; labelled above (or `below`).
    Shapes and annotations as dicts, for one `update_layout` (Plotly re-validates every
    earlier one on each add)."""
    if by == "pct_of_scenario":
        lines = [(float(bands["amber_min_pct"]), STATUS_STYLES["amber"].colour,
                  f"{pct(bands['amber_min_pct'])} {STATUS_STYLES['amber'].symbol}"),
                 (float(bands["green_min_pct"]), STATUS_STYLES["green"].colour,
                  f"{pct(bands['green_min_pct'])} {STATUS_STYLES['green'].symbol}")]
    else:
        lines = [(100.0, TARGET_COLOUR, "100% chỉ tiêu năm")]
    shapes, notes = [], []
    for i, (value, colour, label) in enumerate(lines):
        y = dict(y0=0, y1=1, yref="paper") if span is None else \
            dict(y0=span[0], y1=span[1], yref="y")
        shapes.append(dict(type="line", x0=value, x1=value, xref="x",
                           line=dict(color=colour, width=2, dash="dot"), **y))
        # Two lines close together (90 % and 100 %): one label left of its line, one right.
        side = "center" if len(lines) == 1 else ("right" if i == 0 else "left")
        at = y["y0"] if below else y["y1"]
        notes.append(dict(x=value, xref="x", y=at, yref=y["yref"], xanchor=side,
                          yanchor="top" if below else "bottom", showarrow=False,
                          text=_escape(label), font=dict(size=frame.tick_size - 2,
                                                         color="#444444")))
    return shapes, notes


def _hover(row) -> str:
    parts = [f"<b>{_escape(text_or(row.ward_name))}</b>",
             _escape(STATUS_STYLES.get(row.status, STATUS_STYLES[GREY]).text)]
    for column, name in MEASURE_NAMES.items():
        value = getattr(row, column)
        parts.append(f"{name}: {pct(value)}")
    rests = [PROVISIONAL_VI] if is_true(row.provisional) else []
    if is_true(row.carried) and isinstance(row.actual_period, str):
        rests.append(f"số liệu {period_label(row.actual_period)}")
    if rests:
        parts.append(_escape(" · ".join(rests)))
    return "<br>".join(parts)


def ranking_chart(ranked: pd.DataFrame, *, indicator_name: str, unit: str, as_of: str,
                  by: str, ward: str | None, bands: dict, source: str,
                  narrow: bool = False) -> go.Figure:
    """Every unit planning the indicator, best first: a bar per unit on `by` coloured by
    its status (hatched when provisional), a black tick at the other measure, the chosen
    unit outlined and in bold, the band lines; units without the figure at the bottom.

    `ranked` is `compare.ranking(…, by)`.  Ratios make units of any size comparable.
    """
    spec = ranking_spec(ranked, indicator_name=indicator_name, unit=unit, as_of=as_of, by=by,
                        bands=bands, source=source, narrow=narrow)
    return _figure(highlight_ranking(spec, ward))


def ranking_spec(ranked: pd.DataFrame, *, indicator_name: str, unit: str, as_of: str, by: str,
                 bands: dict, source: str, narrow: bool = False) -> dict:
    """`ranking_chart`'s figure as a dict, no unit chosen: the same for every unit, so built
    once, and `highlight_ranking` marks one (a page's first view of each unit was four
    charts of 114 units built again)."""
    frame = frame_for(narrow)
    n = len(ranked)
    row_px = 30 if n <= 12 else 22 if n <= 40 else 17
    label_size = frame.tick_size if n <= 12 else max(11, frame.tick_size - 3)
    keys, names = _unit_labels(ranked, 18 if narrow else 34)
    statuses = ranked["status"].where(ranked["status"].isin(list(STATUS_STYLES)), GREY)
    measure, other = MEASURE_NAMES[by], MEASURE_NAMES[OTHER_MEASURE[by]]
    traces: list[dict] = []
    for status in STATUS_ORDER:
        mask = (statuses == status) & ranked[by].notna()
        if not mask.any():
            continue
        rows = ranked[mask]
        style = STATUS_STYLES[status]
        hover = [_hover(r) for r in records(rows)] if not narrow else \
            [f"{_escape(text_or(r.ward_name))}: {pct(getattr(r, by))}"
             for r in records(rows)]
        traces.append(dict(
            type="bar", x=[float(v) for v in rows[by]],
            y=[k for k, m in zip(keys, mask, strict=True) if m], orientation="h", name=style.text,
            marker=dict(color=style.colour,
                        pattern=dict(shape=[PROVISIONAL_PATTERN if is_true(p) else ""
                                            for p in rows["provisional"]],
                                     fgcolor="#FFFFFF", size=6, solidity=0.3,
                                     fillmode="overlay"),
                        line=dict(color=HIGHLIGHT, width=[0] * len(rows))),
            text=[pct(v) for v in rows[by]], textposition="outside", cliponaxis=False,
            textfont=dict(size=label_size - 1), customdata=hover,
            hovertemplate="%{customdata}<extra></extra>"))
    if ranked["provisional"].map(is_true).any():
        traces.append(dict(type="bar", x=[None], y=[keys[0]], orientation="h",
                           name=f"Sọc chéo: {PROVISIONAL_VI}", hoverinfo="skip",
                           marker=dict(color="#FFFFFF", line=dict(color=INK, width=1),
                                       pattern=dict(shape=PROVISIONAL_PATTERN, fgcolor=INK,
                                                    fillmode="overlay"))))
    others = ranked[OTHER_MEASURE[by]]
    if others.notna().any():
        traces.append(dict(
            type="scatter", x=[None if is_missing(v) else float(v) for v in others], y=keys,
            mode="markers", name=f"Vạch đen: {other}",
            marker=dict(symbol="line-ns", size=row_px - 4, line=dict(width=3, color=INK),
                        color=INK),
            hovertemplate=f"%{{x:,.1f}}% {other}<extra></extra>"))
    missing = ranked[by].isna()
    if missing.any():  # one text trace, not an annotation per unit
        traces.append(dict(
            type="scatter", x=[0] * int(missing.sum()),
            y=[k for k, m in zip(keys, missing, strict=True) if m], mode="text",
            showlegend=False, hoverinfo="skip", textposition="middle right",
            text=[f"{STATUS_STYLES[GREY].symbol} " + ("chưa có báo cáo" if not r else
                                                      "chưa có số liệu so được")
                  for r in ranked.loc[missing, "has_report"]],
            textfont=dict(size=label_size - 1, color="#555555")))
    finite = [float(v) for v in ranked[by].tolist() + others.tolist() if not is_missing(v)]
    top = max([110.0] + [v * (1.25 if narrow else 1.15) for v in finite])
    long = n > 40  # a long list: the axis on top, where the reading starts
    ranked_units = int(ranked[by].notna().sum())
    title = f"Xếp hạng các đơn vị — {indicator_name}"
    subtitle = (f"{ranked_units}/{n} đơn vị có số liệu, xếp theo {measure}; màu theo trạng "
                f"thái · đơn vị gốc: {unit or 'không có'} · đến {period_label(as_of)}")
    longest = max([len(shorten(text_or(v), 18 if narrow else 34)) for v in ranked["ward_name"]]
                  + [8])
    # Room for any unit's name as `highlight_ranking` shows it: in bold (a tenth wider),
    # followed by " ◀"; the chosen unit's name was the one cut at the left edge.
    left = int(min(170 if narrow else 330, 30 + (longest * 1.1 + 2) * label_size * 0.56))
    layout, note = _frame(title, subtitle, source, 0, left=left, axis_px=30 if long else 52,
                          frame=frame, top_axis_px=28 if long else 0,
                          plot_px=max(120, row_px * n), legend_rows=1,
                          legend_entries=_legend_count(traces))
    layout["legend"]["itemsizing"] = "constant"
    layout.update(
        barmode="overlay", bargap=0.25,
        xaxis=dict(range=[0, top], ticksuffix="%", title=dict(text=measure if not long else ""),
                   gridcolor="#E5E5E5", tickfont=dict(size=frame.tick_size),
                   nticks=5 if narrow else None, side="top" if long else "bottom"),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(keys)), tickmode="array",
                   tickvals=keys, ticktext=names, range=[-0.6, n - 0.4],
                   tickfont=dict(size=label_size), automargin=False, ticklabelstandoff=6))
    return _spec(traces, layout, note, *_band_lines(by, bands, frame, below=long))


def highlight_ranking(spec: dict, ward: str | None) -> dict:
    """A ranking's `spec` with `ward` outlined and its name in bold with ◀: a copy, sharing
    what it does not change with `spec` (which stays as it was)."""
    layout = spec["layout"]
    keys = layout["yaxis"]["tickvals"]
    if ward not in keys:
        return spec
    data = []
    for trace in spec["data"]:
        widths = trace.get("marker", {}).get("line", {}).get("width")
        if trace["type"] == "bar" and isinstance(widths, list) and ward in trace["y"]:
            widths = list(widths)
            widths[trace["y"].index(ward)] = 3
            marker = trace["marker"]
            trace = {**trace, "marker": {**marker, "line": {**marker["line"], "width": widths}}}
        data.append(trace)
    names = list(layout["yaxis"]["ticktext"])
    at = keys.index(ward)
    names[at] = f"<b>{names[at]} ◀</b>"
    return {**spec, "data": data, "layout": {**layout, "yaxis": {**layout["yaxis"],
                                                                  "ticktext": names}}}


def distribution_chart(ranked: pd.DataFrame, *, indicator_name: str, as_of: str,
                       ward: str | None, bands: dict, source: str,
                       narrow: bool = False) -> go.Figure:
    """How the units spread on both measures: a dot per unit on each row (colour by
    status), the median of each row, the chosen unit as a large outlined diamond."""
    spec = distribution_spec(ranked, indicator_name=indicator_name, as_of=as_of, bands=bands,
                             source=source, narrow=narrow)
    return _figure(highlight_distribution(spec, ranked, ward, narrow=narrow))


_DISTRIBUTION_ROWS = {"pct_of_scenario": 1.0, "pct_of_target": 0.0}  # measure: its row's y


def distribution_spec(ranked: pd.DataFrame, *, indicator_name: str, as_of: str, bands: dict,
                      source: str, narrow: bool = False) -> dict:
    """`distribution_chart`'s figure as a dict, no unit chosen (`highlight_distribution`
    adds one)."""
    frame = frame_for(narrow)
    rows = _DISTRIBUTION_ROWS
    statuses = ranked["status"].where(ranked["status"].isin(list(STATUS_STYLES)), GREY)
    jitter = [((i * 7) % 11 - 5) / 14 for i in range(len(ranked))]  # fixed, no overlap
    hover = [_hover(r) for r in records(ranked)] if not narrow else \
        [_escape(text_or(n)) for n in ranked["ward_name"]]
    traces: list[dict] = []
    shapes: list[dict] = []
    notes: list[dict] = []
    shown_legend = set()
    for column, level in rows.items():
        measured = ranked[column].tolist()
        for status in STATUS_ORDER:
            mask = (statuses == status) & ranked[column].notna()
            if not mask.any():
                continue
            style = STATUS_STYLES[status]
            picked = [i for i, m in enumerate(mask) if m]
            traces.append(dict(
                type="scatter", x=[float(measured[i]) for i in picked],
                y=[level + jitter[i] * 0.5 for i in picked], mode="markers", name=style.text,
                legendgroup=status, showlegend=status not in shown_legend,
                marker=dict(color=style.colour, size=8 if narrow else 10, opacity=0.85,
                            line=dict(width=0.5, color="#FFFFFF")),
                customdata=[hover[i] for i in picked],
                hovertemplate="%{customdata}<extra></extra>" if not narrow else
                "%{customdata}: %{x:,.1f}%<extra></extra>"))
            shown_legend.add(status)
        values = ranked[column].dropna()
        if len(values):
            median = float(values.median())
            shapes.append(dict(type="line", x0=median, x1=median, y0=level - 0.38,
                               y1=level + 0.38, line=dict(color=INK, width=3)))
            notes.append(dict(x=median, y=level - 0.38, yanchor="top", showarrow=False,
                              text=_escape(f"trung vị {pct(median)}"),
                              font=dict(size=frame.tick_size - 2, color=INK)))
    finite = [float(v) for c in rows for v in ranked[c] if not is_missing(v)]
    top = max([110.0] + [v * 1.08 for v in finite])
    for by, span in (("pct_of_scenario", (0.55, 1.45)), ("pct_of_target", (-0.45, 0.45))):
        band_shapes, band_notes = _band_lines(by, bands, frame, span=span,
                                              below=by == "pct_of_target")
        shapes += band_shapes
        notes += band_notes
    counted = int(ranked["pct_of_scenario"].notna().sum())
    title = f"Phân bố các đơn vị — {indicator_name}"
    subtitle = (f"Mỗi chấm một đơn vị ({counted}/{len(ranked)} có số liệu); vạch đen: trung vị "
                f"· đến {period_label(as_of)}")
    layout, note = _frame(title, subtitle, source, 0, left=92 if narrow else 150, frame=frame,
                          plot_px=260 if narrow else 300, legend_rows=1,
                          legend_entries=_legend_count(traces))
    layout["legend"]["itemsizing"] = "constant"  # even rows
    layout.update(
        xaxis=dict(range=[0, top], ticksuffix="%", title=dict(text="Tỷ lệ (%)"),
                   gridcolor="#E5E5E5", tickfont=dict(size=frame.tick_size),
                   nticks=5 if narrow else None),
        yaxis=dict(tickmode="array", tickvals=list(rows.values()),
                   ticktext=[MEASURE_NAMES[c] for c in rows] if not narrow else
                   ["% KB đến kỳ", "% CT năm"], range=[-0.75, 1.75], showgrid=False,
                   zeroline=False, tickfont=dict(size=frame.tick_size)))
    return _spec(traces, layout, note, shapes, notes)


def highlight_distribution(spec: dict, ranked: pd.DataFrame, ward: str | None, *,
                           narrow: bool = False) -> dict:
    """A distribution's `spec` with `ward` as a large outlined diamond on each row, named
    on the chart: a copy, sharing what it does not change with `spec`."""
    mine = ranked[ranked["ward_code"] == ward] if ward else ranked.iloc[0:0]
    if mine.empty:
        return spec
    row = mine.iloc[0]
    frame = frame_for(narrow)
    top = spec["layout"]["xaxis"]["range"][1]
    name = _escape(shorten(text_or(row["ward_name"]), 30))
    traces, notes = [], []
    for column, level in _DISTRIBUTION_ROWS.items():
        if is_missing(row[column]):
            continue
        traces.append(dict(  # named on the chart itself: no legend entry
            type="scatter", x=[float(row[column])], y=[level], mode="markers", name=name,
            showlegend=False,
            marker=dict(symbol="diamond", size=16 if narrow else 18,
                        color=STATUS_STYLES.get(row["status"], STATUS_STYLES[GREY]).colour,
                        line=dict(width=3, color=HIGHLIGHT)),
            hovertemplate=f"<b>{name}</b>: %{{x:,.1f}}%<extra></extra>"))
        near_end = float(row[column]) > 0.7 * top  # keep the label inside the plot
        notes.append(dict(x=float(row[column]), y=level, yshift=14, yanchor="bottom",
                          xanchor="right" if near_end else "center", xshift=8 if near_end
                          else 0, showarrow=False,
                          text=f"<b>{name}: {pct(row[column])}</b>",
                          bgcolor="rgba(255,255,255,0.85)",
                          font=dict(size=frame.tick_size - 1, color=INK)))
    layout = spec["layout"]
    *shown, source_note = layout["annotations"]
    # On top of the band labels; the source note stays last.
    return {**spec, "data": [*spec["data"], *traces],
            "layout": {**layout, "annotations": [*shown, *notes, source_note]}}


def figure_values(fig: go.Figure, name: str) -> list:
    """The y values of the trace called `name`, without the None that break its line
    (tests and exports read figures this way)."""
    for trace in fig.data:
        if trace.name == name:
            return [v for v in trace.y if v is not None]
    raise KeyError(name)
