"""Exports in a real browser: the deferred downloads really produce the files.

AppTest shows a download button's label but never runs its data callable;
here Chromium clicks the buttons against a live server and opens the files.
"""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-dev-shm-usage"]
IDLE = ('[data-testid="stApp"][data-test-script-state="notRunning"]'
        '[data-test-connection-state="CONNECTED"]')


@pytest.fixture(scope="module")
def app_url(built_db: Path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "CHITIEU_DB": str(built_db)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
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
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # pytest-playwright owns the browser (one sync Playwright per session); point it
    # at Debian's Chromium as tests/browser/conftest.py does.
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="module")
def page(app_url, browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    # A fresh server's first session shows a spurious "Page not found" on deep
    # links (it resolves them against the legacy pages/ folder).
    page.goto(app_url)
    settle(page, "Tổng quan")
    yield page
    context.close()


def settle(page, text: str) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=30_000)
    page.wait_for_selector(IDLE, timeout=30_000)


def download(page, label: str, tmp_path: Path) -> Path:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label).first.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_chart_png_button_downloads_a_slide_sized_image(page, app_url, tmp_path):
    page.goto(f"{app_url}/tien-do?ward=phu_lien&indicator=budget_revenue&as_of=2026-Q1")
    settle(page, "Tiến độ theo phường — Phù Liễn")
    path = download(page, "Tải ảnh PNG", tmp_path)
    assert path.name == "tien-do_phu_lien_budget_revenue_2026-Q1.png"
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (2560, 1440)


def test_export_page_downloads_deck_and_workbook(page, app_url, tmp_path):
    page.goto(f"{app_url}/xuat-bao-cao?as_of=2026-Q1")
    settle(page, "Xuất báo cáo")
    deck = download(page, "PowerPoint (.pptx)", tmp_path)
    assert deck.name == "chi-tieu-2026_2026-Q1.pptx"
    slides = Presentation(deck).slides
    assert len(slides) == 18
    book = download(page, "Excel (.xlsx)", tmp_path)
    assert openpyxl.load_workbook(book).sheetnames[0] == "Tổng hợp"
    artifacts = ROOT / "test-artifacts" / "screenshots"
    artifacts.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=artifacts / "xuat-bao-cao_1366.png")
