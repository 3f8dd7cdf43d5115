"""Text from the data stays text in a real browser: no Markdown autolink, no link in a
Plotly chart, no unescaped CSV download from a table.

A small Streamlit script renders a hostile ward name the way the pages do
(`md_escape` in Markdown and captions, the compare chart, a table), on a
server started here with the project's .streamlit/config.toml.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ('<a href="http://evil.example">Phù Liễn</a> www.evil.example '
           'http://evil.example/x ke.toan@phuong.gov.vn')
SCRIPT = textwrap.dedent(f"""
    import pandas as pd
    import streamlit as st

    from ui.components import md_escape
    from wardplan.display import charts

    NAME = {HOSTILE!r}
    st.markdown(md_escape(NAME))
    st.caption("Nguồn: " + md_escape(NAME))
    rows = pd.DataFrame({{"ward_code": ["x", "kien_an"], "ward_name": [NAME, "Kiến An"],
                          "pct_of_target": [29.6, None], "pct_of_scenario": [101.2, None],
                          "has_report": [True, False], "status": ["green", "grey"],
                          "provisional": [False, False], "carried": [False, False],
                          "actual_period": ["2026-Q1", None]}})
    st.plotly_chart(charts.ranking_chart(
        rows, indicator_name=NAME, unit="triệu đồng", as_of="2026-Q1", by="pct_of_scenario",
        ward="x", bands={{"green_min_pct": 100.0, "amber_min_pct": 90.0}}, source=NAME))
    st.dataframe(pd.DataFrame({{"Phường": ['=HYPERLINK("http://evil.example","x")', NAME]}}))
    st.write("DONE")
""")


@pytest.fixture(scope="module")
def safe_text_url(tmp_path_factory):
    script = tmp_path_factory.mktemp("safe_text") / "safe_text.py"
    script.write_text(SCRIPT, encoding="utf-8")
    with __import__("socket").socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
         "--server.port", str(port)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"  # the config's own address: no --server.address given
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("Streamlit did not start") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_hostile_text_stays_text(page: Page, safe_text_url: str, screenshots: Path):
    page.set_viewport_size({"width": 1440, "height": 1100})
    page.goto(safe_text_url)
    page.get_by_text("DONE").wait_for(timeout=30_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    page.wait_for_timeout(500)
    markdown = page.locator('[data-testid="stMarkdownContainer"]')
    assert markdown.locator("a").count() == 0, "Markdown made a link out of data"
    shown = markdown.first.inner_text().replace("\u2060", "")
    assert shown == HOSTILE
    chart = page.locator(".js-plotly-plot")
    assert chart.locator("a").count() == 0, "Plotly made a link out of data"
    assert any("<a href=" in tick for tick in chart.locator(".ytick").all_text_contents())
    table = page.locator('[data-testid="stDataFrame"]')
    table.hover()
    page.wait_for_timeout(300)
    labels = [b.get_attribute("aria-label") or "" for b in
              page.locator('[data-testid="stElementToolbarButton"] button').all()]
    assert not any("Download" in label or "Tải" in label for label in labels), labels
    page.screenshot(path=str(screenshots / "safe_text_1440.png"), full_page=True)
