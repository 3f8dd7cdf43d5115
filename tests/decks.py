"""What the export tests read back: slide titles, tables and fills, PDF pages."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

NEEDS_POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfinfo")
                                   is None, reason="needs poppler-utils")


def tiny_png(_figure) -> bytes:
    """A stand-in for kaleido: the PDF's layout does not depend on what a chart shows."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1280, 720), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def slide_title(slide) -> str:
    """The first text box holds the title on every slide (the cover: its big title)."""
    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text]
    return texts[0]


def tables(slide):
    return [s.table for s in slide.shapes if s.has_table]


def cell_fill(cell) -> str | None:
    fill = cell.fill
    return str(fill.fore_color.rgb) if fill.type is not None else None


def find_slide(deck, title: str):
    return next(s for s in deck.slides if slide_title(s) == title)


def chart_series(chart) -> dict[str, tuple]:
    return {series.name: tuple(series.values) for series in chart.plots[0].series}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def assert_pdf_follows_deck(pages: list[str], deck) -> None:
    """Every slide title of the deck heads a page of the PDF, in the same order (tables may
    page differently: a PDF page holds more rows than a slide), the full references after
    the content, and every page numbered."""
    assert all(f"Trang {i}/{len(pages)}" in page for i, page in enumerate(pages, start=1))
    first_page = {}
    for title in (slide_title(s) for s in deck.slides):
        base = title.split(" (")[0] if title.endswith(")") else title
        first_page.setdefault(base, next(i for i, page in enumerate(pages)
                                         if " ".join(base.split()) in " ".join(page.split())))
    order = list(first_page.values())
    assert order == sorted(order)
    appendix = [i for i, page in enumerate(pages) if page.lstrip().startswith("Nguồn số liệu")]
    assert appendix and appendix[0] > order[-1]  # every full reference, after the content
