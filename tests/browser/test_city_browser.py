"""The city board and the ranking in a real browser, on a SYNTHETIC city of 30 units
("dữ liệu thử nghiệm", bench/synthetic.py): more units than a page holds, three unit
types.  Nothing is cut at phone, tablet or desktop width; the phone gets the list; the
board pages; the ranking draws every unit.  Screenshots: test-artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_pages_browser import FITS, LAYOUT_SIZES, settle

from bench import synthetic
from etl.build import build
from shots import full_length_screenshot
from wardplan.display import board

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def city_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("city")
    synthetic.write(folder / "data", units=30)
    db = folder / "city.duckdb"
    build(folder / "data", db)
    return db


def test_the_city_board_and_ranking_fit_every_width(city_db, server_on, browser, screenshots):
    with server_on(city_db) as url:
        for width, height in LAYOUT_SIZES:
            context = browser.new_context(viewport={"width": width, "height": height},
                                          is_mobile=width < 800, has_touch=width < 800)
            page = context.new_page()
            page.goto(url + "/?as_of=2026-Q1")
            settle(page, "Bảng các đơn vị")
            form = "narrow" if width < 700 else "wide"
            shown = page.locator(f'[class*="st-key-{form}-board"]')
            expect(shown).to_be_visible()
            if form == "wide":
                rows = shown.locator("tbody tr")
                expect(rows).to_have_count(board.PAGE_SIZE)
            else:  # one card per unit, each a link to its progress page
                expect(shown.locator('[data-testid="stPageLink"]')).to_have_count(
                    board.PAGE_SIZE)
            expect(page.get_by_text("Đơn vị 1–25 trong 30")).to_be_visible()
            fits = page.evaluate(FITS)
            assert fits["block"][0] <= fits["block"][1] + 1, (width, fits)
            assert not fits["tooWide"], (width, fits["tooWide"])
            full_length_screenshot(page, screenshots / f"tong-quan_city30_{width}_full.png")

            # A unit with one of the longest names chosen: its name, in bold with ◀, whole.
            page.goto(url + "/so-sanh?as_of=2026-Q1&indicator=budget_revenue&ward=synthetic_007")
            settle(page, "Bảng xếp hạng", charts=True)
            chart = page.locator(f'[class*="st-key-{form}-ranking_chart"] .js-plotly-plot')
            expect(chart).to_be_visible()
            ticks = chart.locator(".ytick").count()
            assert ticks == 30, ticks  # every unit planning the indicator
            chosen = chart.locator(".ytick text", has_text="◀")
            expect(chosen).to_have_count(1)
            assert chosen.bounding_box()["x"] >= chart.bounding_box()["x"], width
            fits = page.evaluate(FITS)
            assert fits["block"][0] <= fits["block"][1] + 1, (width, fits)
            assert not fits["tooWide"], (width, fits["tooWide"])
            full_length_screenshot(page, screenshots / f"so-sanh_city30_{width}_full.png")
            context.close()
