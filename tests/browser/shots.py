"""Screenshots of whole Streamlit pages (their main block scrolls, not the window)."""

from __future__ import annotations

from playwright.sync_api import Page


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
