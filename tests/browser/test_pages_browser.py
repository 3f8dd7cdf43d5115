"""The dashboard in a real browser: every page, widget changes, links, and screenshots.

Screenshots land in test-artifacts/screenshots/ (printed at the start of the run):
one per page at 1366×768 and 1920×1080 (what fits on screen) and one full-length.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

IDLE = ('[data-testid="stApp"][data-test-script-state="notRunning"]'
        '[data-test-connection-state="CONNECTED"]')
SIZES = [(1366, 768), (1920, 1080)]
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
        expect(page.get_by_text(text, exact=False).first).to_be_visible(timeout=30_000)
    page.wait_for_selector(IDLE, timeout=30_000)
    if charts:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    page.wait_for_timeout(400)  # fonts and Plotly transitions


def params(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def choose(page: Page, key: str, option: str) -> None:
    """Pick `option` in the selectbox whose widget key is `key` (a combobox)."""
    page.locator(f".st-key-{key} [role=combobox]").click()
    page.get_by_role("option", name=option, exact=True).click()


def full_length_screenshot(page: Page, path) -> None:
    """Streamlit scrolls inside its main block, so grow the viewport to the content."""
    height = page.evaluate("""() => Math.max(...[...document.querySelectorAll('*')]
        .filter(e => e.scrollHeight > e.clientHeight + 5 && getComputedStyle(e).overflowY !== 'visible')
        .map(e => e.scrollHeight), document.body.scrollHeight)""")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 7000)})
    page.wait_for_timeout(600)
    page.screenshot(path=path)
    page.set_viewport_size(size)


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


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_page_renders_and_is_captured(warm: str, browser, screenshots, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path, text, charts in PAGES:
        page.goto(warm + path)
        settle(page, text, charts)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        name = path.strip("/") or "tong-quan"
        page.screenshot(path=screenshots / f"{name}_{size[0]}x{size[1]}.png")
        if size == SIZES[0]:
            full_length_screenshot(page, screenshots / f"{name}_full.png")
    context.close()
    assert not errors


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
    page.get_by_role("link", name=re.compile("Xem chi tiết")).first.click()
    settle(page, "Doanh nghiệp thành lập mới — Phù Liễn", charts=True)
    assert urlparse(page.url).path.endswith("/chi-tiet")
    assert params(page) == {"ward": "phu_lien", "indicator": "new_enterprises",
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
