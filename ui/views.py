"""Downloads of what a page shows ("Xuất phần đang xem"), with the page's filters.

Each button builds its file only when clicked, on its own thread (like the export
page), from `exports.views`; the chart images come from the buttons under each chart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from exports import images
from exports import views as view_exports
from exports.report import ALL, REPORTED, Report, load_report
from ui import components, data
from ui.charts import chart_renderer

PPTX = components.PPTX_MIME
_DECK_HELP = ("Trình chiếu 16:9 chỉ gồm phần đang xem trên trang này, cùng kỳ và bộ lọc: "
              "bảng và biểu đồ là đối tượng PowerPoint sửa được, nguồn ở chân trang và ghi chú.")


def _report(as_of: str, wards: list[str] | None, indicators: list[str] | None,
            default: str) -> Callable[[], Report]:
    db = data.database()
    return lambda: load_report(db, as_of, wards, indicators, produced_on=date.today(),
                               default=default)


def _buttons(key: str, stem: str, deck: Callable[[], bytes],
             image: Callable[[], bytes] | None = None) -> None:
    with st.container(key=f"view-exports-{key}", horizontal=True, gap="small"):
        st.download_button("Trình chiếu phần này (.pptx)", data=deck, file_name=f"{stem}.pptx",
                           mime=PPTX, key=f"view_pptx_{key}", on_click="ignore",
                           icon=":material/slideshow:", help=_DECK_HELP)
        if image is not None:
            st.download_button("Ảnh phần này (.png)", data=image, file_name=f"{stem}.png",
                               mime=images.FORMATS["png"], key=f"view_png_{key}",
                               on_click="ignore", icon=":material/image:",
                               help="Ảnh PNG của bảng, có tiêu đề, nguồn và ngày xuất.")


def board_downloads(as_of: str) -> None:
    """The overview's board: every ward and indicator at the period."""
    report = _report(as_of, None, None, ALL)
    renderer = chart_renderer()

    def image() -> bytes:
        figure = images.dated(view_exports.board_figure(report()))
        return renderer.render(figure, "png")

    _buttons("board", f"bang-trang-thai_{as_of}", lambda: view_exports.board_deck(report()),
             image)


def progress_downloads(ward: str, indicator: str | None, as_of: str) -> None:
    report = _report(as_of, [ward], None, REPORTED)
    _buttons("progress", f"tien-do_{ward}_{as_of}",
             lambda: view_exports.ward_deck(report(), ward, indicator))


def detail_downloads(ward: str, indicator: str, as_of: str) -> None:
    report = _report(as_of, [ward], [indicator], ALL)
    _buttons("detail", f"chi-tiet_{ward}_{indicator}_{as_of}",
             lambda: view_exports.detail_deck(report(), ward, indicator))


def compare_downloads(indicator: str, wards: list[str], as_of: str) -> None:
    report = _report(as_of, wards, [indicator], ALL)
    _buttons("compare", f"so-sanh_{indicator}_{as_of}",
             lambda: view_exports.compare_deck(report(), indicator))
