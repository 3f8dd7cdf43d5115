"""Static PNG/SVG images of the dashboard's Plotly figures, via kaleido.

kaleido drives Debian's Chromium.  Starting a browser per image costs ~1.8 s,
so one persistent kaleido server runs per process (~1.6 s once, then ~0.13 s
per image).  That server is not thread-safe: concurrent calls receive each
other's images (measured in shared/STACK.md).  Every render therefore goes
through the one process-wide `ChartRenderer`, whose lock serialises calls;
Streamlit sessions are threads of one process, so they all share it.
"""

from __future__ import annotations

import copy
import functools
import math
import threading
import warnings
from datetime import date

import plotly.graph_objects as go
import plotly.io as pio

# Plotly's own fig.to_image (e.g. elsewhere in this process) passes its
# defaults as `kopts`, which the running server ignores with a warning on every
# call; the server was started with the options we want.
warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)

# 16:9, the size of a full slide's picture.  Layout pixels are at least
# 1280x720 and PNGs are always 2560x1440: fonts sized for the screen then stay
# readable on a projector, and the same layout gives the SVG.  A figure taller
# than 720 (a long list of bars) gets a larger 16:9 layout instead of being
# squeezed, and a smaller PNG scale.
WIDTH, HEIGHT = 1280, 720
PNG_WIDTH, PNG_HEIGHT = 2560, 1440
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
PRODUCED_PREFIX = "Xuất ngày"


def produced_label(produced_on: date | None = None) -> str:
    """'Xuất ngày 21/11/2026': the date an export was made, Vietnamese style."""
    return f"{PRODUCED_PREFIX} {(produced_on or date.today()):%d/%m/%Y}"


def for_export(fig: go.Figure, produced_on: date | None = None) -> go.Figure:
    """A copy of `fig` sized 16:9 and stamped with its production date.

    The figure builders already put title, legend and the source line on the
    figure; an image leaves the app, so it also has to say when it was made.
    """
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    units = math.ceil(max(HEIGHT, int(out.layout.height or 0)) / 9)  # exact 16:9
    out.update_layout(width=16 * units, height=9 * units, autosize=False)
    out.add_annotation(
        text=produced_label(produced_on), xref="paper", yref="paper", x=1, y=0,
        xanchor="right", yanchor="top", yshift=-_bottom_shift(out), showarrow=False,
        align="right", font={"size": 12, "color": "#555555"},
    )
    return out


def dated(fig: go.Figure, produced_on: date | None = None) -> go.Figure:
    """A copy of `fig` at its own size, stamped with its production date (a long table
    is not squeezed into 16:9)."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    out.update_layout(autosize=False)
    out.add_annotation(
        text=produced_label(produced_on), xref="paper", yref="paper", x=1, y=0,
        xanchor="right", yanchor="top", yshift=-_bottom_shift(out), showarrow=False,
        align="right", font={"size": 12, "color": "#555555"},
    )
    return out


def _bottom_shift(fig: go.Figure) -> int:
    """Pixels below the plot area where the date line sits (inside the bottom margin)."""
    bottom = fig.layout.margin.b if fig.layout.margin.b is not None else 80
    return max(int(bottom) - 22, 4)


class ChartRenderer:
    """The process's access to the kaleido server: one render at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = False

    def _start(self) -> None:
        import kaleido

        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        self._started = True

    def render(self, fig: go.Figure, fmt: str = "png") -> bytes:
        """Image bytes of `fig` at its layout size (call `for_export` first for a download).

        PNGs are scaled to PNG_WIDTH pixels wide whatever the layout width.
        """
        if fmt not in FORMATS:
            raise ValueError(f"Unsupported image format {fmt!r}; use one of {sorted(FORMATS)}")
        width = int(fig.layout.width or WIDTH)
        height = int(fig.layout.height or HEIGHT)
        # At most 2560 px wide, and at most 2x: a tall table stays sharp and small.
        scale = min(PNG_WIDTH / width, 2.0) if fmt == "png" else 1
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        with self._lock:
            if not self._started:
                self._start()
            try:
                return self._draw(fig, opts)
            except Exception:
                # A crashed Chromium leaves a dead server behind: restart it once.
                self._restart()
                return self._draw(fig, opts)

    @staticmethod
    def _draw(fig: go.Figure, opts: dict) -> bytes:
        import kaleido

        # kaleido directly rather than fig.to_image: plotly passes `kopts`, which a
        # running server ignores with a warning on every call.
        return kaleido.calc_fig_sync(fig.to_dict(), opts=opts)

    def _restart(self) -> None:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        self._start()


_renderer: ChartRenderer | None = None
_renderer_lock = threading.Lock()


def default_renderer() -> ChartRenderer:
    """The process-wide renderer (the kaleido server is a process singleton)."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = ChartRenderer()
        return _renderer


def render_export(fig: go.Figure, fmt: str = "png", produced_on: date | None = None,
                  renderer: ChartRenderer | None = None) -> bytes:
    """The downloadable image of a dashboard figure: 16:9, dated, PNG or SVG.

    The same figure asked for twice on one day (two users, or one clicking
    twice) is drawn once: results are kept per figure JSON, format and date.
    """
    day = (produced_on or date.today()).isoformat()
    return _render_cached(fig.to_json(), fmt, day, renderer or default_renderer())


@functools.lru_cache(maxsize=64)
def _render_cached(fig_json: str, fmt: str, day: str, renderer: ChartRenderer) -> bytes:
    fig = go.Figure(pio.from_json(fig_json))
    return renderer.render(for_export(fig, date.fromisoformat(day)), fmt)
