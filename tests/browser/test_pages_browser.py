"""The dashboard in a real browser: every page, widget changes, links, and screenshots.

Screenshots land in test-artifacts/screenshots/ (printed at the start of the run):
one per page at 1366×768 and 1920×1080 (what fits on screen) and one full-length.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from shots import full_length_screenshot

pytestmark = pytest.mark.browser

IDLE = ('[data-testid="stApp"][data-test-script-state="notRunning"]'
        '[data-test-connection-state="CONNECTED"]')
PAGES = [  # (url path, a text the page must show, whether it draws charts)
    ("/", "Tổng quan · Quý I/2026", False),
    ("/tien-do", "Tiến độ theo phường — Phù Liễn", True),
    ("/so-sanh", "So sánh phường", True),
    ("/chi-tiet", "Thu ngân sách nhà nước trên địa bàn — Phù Liễn", True),
    ("/chat-luong", "Chất lượng dữ liệu", False),
    ("/nhiem-vu", "Nhiệm vụ & dự án — Phù Liễn", False),
]


def settle(page: Page, text: str | None = None, charts: bool = False) -> None:
    """Wait for the expected content first, then for the run to finish (old elements linger)."""
    if text:
        expect(page.get_by_text(text, exact=False).first).to_be_visible(timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    if charts:
        page.wait_for_selector(".js-plotly-plot .main-svg >> visible=true", timeout=30_000)
    page.wait_for_timeout(400)  # fonts and Plotly transitions


def params(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def choose(page: Page, key: str, option: str) -> None:
    """Pick `option` in the selectbox whose widget key is `key` (a combobox)."""
    page.locator(f".st-key-{key} [role=combobox]").click()
    page.get_by_role("option", name=option, exact=True).click()


@pytest.fixture(scope="module")
def warm(server: str) -> str:
    return server


def test_first_deep_link_to_a_fresh_server_opens_the_page(fresh_server, browser):
    """Streamlit once resolved a fresh server's first URL against a legacy pages/ folder."""
    with fresh_server() as url:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(url + "/chi-tiet?ward=phu_lien&indicator=budget_expenditure&as_of=2026-Q1")
        settle(page, "Tổng chi ngân sách — Phù Liễn", charts=True)
        page.wait_for_timeout(1000)
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_text("You have requested page").count() == 0
        context.close()


LAYOUT_SIZES = [(390, 844), (768, 1024), (1440, 900)]
LAYOUT_PAGES = PAGES + [("/huong-dan", "Hướng dẫn sử dụng", False),
                        ("/xuat-bao-cao", "Xuất báo cáo", False)]

FITS = """() => {
    const visible = e => e.offsetParent !== null && e.getClientRects().length > 0;
    const main = document.querySelector('[data-testid="stMain"]');
    const block = document.querySelector('[data-testid="stMainBlockContainer"]');
    const tooWide = [...document.querySelectorAll(
            '[data-testid="stTable"], [data-testid="stPlotlyChart"], [data-testid="stMarkdown"], ' +
            '[data-testid="stMetricValue"], [data-testid="stMetricValue"] *')]
        .filter(visible)
        .filter(e => e.scrollWidth > e.clientWidth + 2 || e.getBoundingClientRect().right >
                     block.getBoundingClientRect().right + 2)
        .map(e => (e.getAttribute('data-testid') + ': ' + e.innerText.slice(0, 60)));
    return {main: [main.scrollWidth, main.clientWidth], block: [block.scrollWidth, block.clientWidth],
            tooWide};
}"""

TICKS_OVERLAP = """() => {
    const out = [];
    for (const plot of document.querySelectorAll('.js-plotly-plot')) {
        if (plot.offsetParent === null) continue;
        const boxes = [...plot.querySelectorAll('.xtick text')].map(t => t.getBoundingClientRect())
            .filter(b => b.width > 0).sort((a, b) => a.left - b.left);
        for (let i = 1; i < boxes.length; i++)
            if (boxes[i].left < boxes[i - 1].right - 1)
                out.push(plot.closest('[class*="st-key"]')?.className);
    }
    return out;
}"""


def test_no_page_is_cut_at_phone_tablet_or_desktop_width(warm: str, browser, screenshots):
    """Nothing wider than the main column or cut short ("357.450 tri…" in a metric), no
    overlapping month ticks, no outside request."""
    outside: list[str] = []
    for width, height in LAYOUT_SIZES:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      is_mobile=width < 800, has_touch=width < 800, locale="vi-VN")
        page = context.new_page()
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
        for path, text, charts in LAYOUT_PAGES:
            page.goto(warm + path)
            settle(page, text, charts)
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
            fits = page.evaluate(FITS)
            assert fits["main"][0] <= fits["main"][1] + 1, (path, width, fits)
            assert fits["block"][0] <= fits["block"][1] + 1, (path, width, fits)
            assert not fits["tooWide"], (path, width, fits["tooWide"])
            assert not page.evaluate(TICKS_OVERLAP), (path, width)
            name = path.strip("/") or "tong-quan"
            page.screenshot(path=screenshots / f"{name}_{width}x{height}.png")
            full_length_screenshot(page, screenshots / f"{name}_{width}_full.png")
        context.close()
    assert not outside, outside  # an intranet reaches nothing else (page icon included)


@pytest.mark.parametrize("size", LAYOUT_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_red_and_amber_item_is_visible_on_the_overview(warm: str, browser, db, size):
    from wardplan.display import overview
    from wardplan.reads import queries

    status = queries.status(db, as_of="2026-Q1")
    items = overview.attention_items(status)
    context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                  is_mobile=size[0] < 800, has_touch=size[0] < 800)
    page = context.new_page()
    page.goto(warm + "/")
    settle(page, "Bảng các đơn vị")
    # The board names each unit's red and amber indicators (the bundled wards have
    # fewer than display.board.NAMED_ITEMS each; the full list has every one).
    board = page.locator('[class*="st-key-narrow-board"]' if size[0] < 700
                         else '[class*="st-key-wide-board"]')
    expect(board).to_be_visible()
    first = items.iloc[0]["indicator_name"]
    expect(board.get_by_text(first, exact=False).first).to_be_visible(timeout=30_000)
    text = board.inner_text()
    for item in items.itertuples(index=False):
        assert item.indicator_name in text, item.indicator_name
    ward_names = set(status["ward_name"])
    for name in ward_names:  # every unit is a row (a card on a phone), its name a link
        expect(board.get_by_role("link", name=name).first).to_be_visible()
    if size[0] >= 700:
        # Every group's column is on screen whole: no cell is cut off to the right.
        cut = page.evaluate("""() => {
            const table = document.querySelector('[class*="st-key-wide-board"] table');
            const right = table.closest('[data-testid="stMainBlockContainer"]')
                               .getBoundingClientRect().right;
            return [...table.querySelectorAll('td, th')]
                .filter(c => c.getBoundingClientRect().right > right + 1).length;
        }""")
        assert cut == 0
    context.close()


def test_chart_toolbar_speaks_vietnamese(warm: str, browser):
    from ui.charts import PLOTLY_VI

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(warm + "/tien-do?ward=phu_lien&indicator=budget_revenue&as_of=2026-Q1")
    settle(page, "Tiến độ theo phường — Phù Liễn", charts=True)
    chart = page.locator('[class*="st-key-wide-progress_chart"] .js-plotly-plot').first
    chart.hover()
    titles = page.evaluate("""() => [...document.querySelectorAll(
        '[class*="st-key-wide-progress_chart"] .modebar-btn')].map(b => b.getAttribute('data-title'))""")
    assert titles, "the chart has a toolbar"
    vietnamese = set(PLOTLY_VI.values())
    assert all(t in vietnamese or t == "Fullscreen" for t in titles), titles
    tooltip = page.evaluate("""() => {
        const b = document.querySelector(
            '[class*="st-key-wide-progress_chart"] .modebar-btn[data-title="Fullscreen"]');
        return b ? getComputedStyle(b, '::after').content : 'none';
    }""")
    assert "Toàn màn hình" in tooltip
    context.close()


def test_a_bad_deep_link_warns_about_each_wrong_value(warm: str, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(warm + "/tien-do?ward=xyz&as_of=2026-13")
    settle(page, "Tiến độ theo phường — Phù Liễn", charts=True)
    expect(page.get_by_text("Đường dẫn có phường không hợp lệ").first).to_be_visible()
    expect(page.get_by_text("Đường dẫn có kỳ báo cáo không hợp lệ").first).to_be_visible()
    context.close()


def test_printing_a_page_gives_the_page_without_the_app_around_it(warm: str, browser, screenshots):
    """Print media: no sidebar or buttons, the desktop forms, charts whole on A4 landscape."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    for path, text, charts in [("/", "Bảng các đơn vị", False),
                               ("/tien-do?ward=phu_lien&indicator=budget_revenue&as_of=2026-Q1",
                                "Tiến độ theo phường — Phù Liễn", True)]:
        page.goto(warm + path)
        settle(page, text, charts)
        page.emulate_media(media="print")
        for selector in ('[data-testid="stSidebar"]', '[data-testid="stHeader"]',
                         '[data-testid="stDownloadButton"]', '[class*="st-key-narrow-"]'):
            for element in page.locator(selector).all():
                expect(element).to_be_hidden()
        expect(page.locator('[class*="st-key-wide-"]').first).to_be_visible()
        name = urlparse(path).path.strip("/") or "tong-quan"
        pdf = screenshots / f"in_{name}.pdf"
        page.pdf(path=str(pdf), landscape=True, format="A4", print_background=True)
        assert pdf.stat().st_size > 10_000
        page.emulate_media(media="screen")
    context.close()


def test_change_ward_and_period(warm: str, page: Page, screenshots):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(warm + "/tien-do")
    settle(page, "Tiến độ theo phường — Phù Liễn", charts=True)
    choose(page, "ward", "Thủy Nguyên")
    settle(page, "Phường chưa gửi báo cáo thực hiện năm 2026")
    assert params(page)["ward"] == "thuy_nguyen"
    page.screenshot(path=screenshots / "tien-do_thuy-nguyen_1366x768.png")

    page.goto(warm + "/")
    settle(page, "Tổng quan · Quý I/2026")
    choose(page, "as_of", "Tháng 11/2026")
    settle(page, "Chưa có số liệu thực hiện nào cho kỳ Tháng 11/2026")
    assert params(page)["as_of"] == "2026-11"
    page.screenshot(path=screenshots / "tong-quan_thang-11_1366x768.png")


def test_link_from_overview_opens_the_indicator_detail(warm: str, page: Page, screenshots):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(warm + "/")
    settle(page, "Cần chú ý trước")
    # The worst item first: land rent, 7 triệu in January against its (derived) scenario.
    # Waited for, not taken at once: on a busy machine a section could still be redrawn
    # after the run looked finished, and the first link of the moment was another item's.
    first = page.get_by_role("link", name=re.compile("Xem chi tiết")).first
    expect(first).to_have_attribute("href", re.compile("indicator=budget_revenue_land_rent"),
                                    timeout=30_000)
    first.click()
    settle(page, "Thu tiền thuê đất — Phù Liễn", charts=True)
    assert urlparse(page.url).path.endswith("/chi-tiet")
    assert params(page) == {"ward": "phu_lien", "indicator": "budget_revenue_land_rent",
                            "as_of": "2026-Q1"}
    page.screenshot(path=screenshots / "chi-tiet_tu-tong-quan_1366x768.png")


def test_a_pasted_link_opens_the_same_view(warm: str, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(warm + "/chi-tiet?ward=phu_lien&indicator=budget_expenditure&as_of=2026-01")
    settle(page, "Tổng chi ngân sách — Phù Liễn", charts=True)
    expect(page.get_by_text("kỳ đang xem: Tháng 1/2026").first).to_be_visible()
    assert params(page)["as_of"] == "2026-01"
    context.close()


def test_a_phone_sees_a_tables_chosen_columns_and_paper_sees_all(warm: str, browser):
    """One table is sent; on a phone's width a rule of its own hides all but the columns
    chosen for a phone (ui.table's `narrow`), and paper shows every column."""
    wide = ["Kỳ", "Số liệu", "Nguyên văn", "Tỷ lệ phường nêu", "Phường đánh giá",
            "Tóm tắt của phường", "Số liệu đến ngày", "Nguồn"]
    for width, shown in ((1440, wide), (390, ["Kỳ", "Số liệu", "Phường đánh giá", "Nguồn"])):
        context = browser.new_context(viewport={"width": width, "height": 900},
                                      is_mobile=width < 800)
        page = context.new_page()
        page.goto(warm + "/chi-tiet?ward=phu_lien&indicator=budget_revenue&as_of=2026-Q1")
        settle(page, "Thu ngân sách nhà nước trên địa bàn — Phù Liễn", charts=True)
        table = page.locator('[class*="st-key-table-actuals"] [data-testid="stTable"]')
        expect(table).to_have_count(1)
        headers = table.locator("thead th")
        visible = [h.inner_text().strip() for h in headers.all() if h.is_visible()]
        assert [h for h in visible if h] == shown, (width, visible)
        first_row = table.locator("tbody tr").first.locator("td")
        assert sum(c.is_visible() for c in first_row.all()) == len(shown), width
        page.emulate_media(media="print")
        assert [h.inner_text().strip() for h in headers.all() if h.is_visible()][1:] == wide
        context.close()
