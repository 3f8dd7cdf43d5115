"""Two Streamlit processes behind nginx see a newly published database together.

Starts its own cluster (deploy.cluster: two processes on 127.0.0.1 and an nginx
with a generated config, sticky by cookie) on a database built from a private
copy of the bundled workbooks; one browser per process, both through nginx;
then a changed workbook is rebuilt into the watched path and both browsers
must show the new figure after a reload.
"""

from __future__ import annotations

import re
import shutil
import time
import urllib.request
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from deploy.cluster import Cluster, nginx_binary
from deploy.nginx import STICKY_COOKIE
from etl.build import DATA_DIR, build

pytestmark = pytest.mark.browser

IDLE = ('[data-testid="stApp"][data-test-script-state="notRunning"]'
        '[data-test-connection-state="CONNECTED"]')
DETAIL = "/chi-tiet?ward=phu_lien&indicator=budget_revenue"
TITLE = "Thu ngân sách nhà nước trên địa bàn — Phù Liễn"
OLD, NEW = (20684, "20.684"), (20999, "20.999")  # Phù Liễn's budget revenue, January


@pytest.fixture
def cluster(tmp_path: Path):
    try:
        nginx_binary()
    except RuntimeError as missing:
        pytest.skip(str(missing))
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("replaced"))
    db = tmp_path / "chitieu2026.duckdb"
    build(data, db)
    with Cluster(tmp_path / "run", processes=2, db=db, expose_upstream=True) as running:
        running.data_dir, running.db_path = data, db
        yield running


def _pin_cookies(cluster: Cluster) -> dict[str, str]:
    """A sticky-cookie value for each process, found by asking nginx."""
    pinned: dict[str, str] = {}
    for n in range(200):
        request = urllib.request.Request(f"{cluster.url}/_stcore/health",
                                         headers={"Cookie": f"{STICKY_COOKIE}=probe{n}"})
        with urllib.request.urlopen(request, timeout=5) as reply:
            pinned.setdefault(reply.headers["X-Chitieu-Upstream"], f"probe{n}")
        if len(pinned) == len(cluster.backend_urls):
            break
    return pinned


def _set_january_revenue(data: Path, value: int, text: str) -> None:
    path = data / "wards" / "2026" / "phu_lien.xlsx"
    book = load_workbook(path)
    sheet = book["Thực hiện"]
    header = {cell.value: i for i, cell in enumerate(sheet[1])}
    for row in sheet.iter_rows(min_row=2):
        if (row[header["Mã chỉ tiêu"]].value, row[header["Kỳ"]].value) == ("budget_revenue", "2026-01"):
            assert row[header["Giá trị"]].value == OLD[0]
            row[header["Giá trị"]].value = value
            row[header["Nguyên văn"]].value = text
            break
    else:
        raise AssertionError("Phù Liễn's January budget revenue is not in its workbook")
    book.save(path)


def _actuals_show(page: Page, figure: str) -> None:
    """The actuals table (drawn once scrolled into view) shows `figure`."""
    page.get_by_text("Số liệu thực hiện", exact=True).scroll_into_view_if_needed()
    table = page.locator('[class*="st-key-table-actuals"] table', has_text=figure)
    expect(table.first).to_be_attached(timeout=30_000)


def _open_detail(page: Page, url: str) -> str:
    """Load the detail page; return the process (host:port) nginx sent the page to."""
    response = page.goto(url + DETAIL)
    expect(page.get_by_text(TITLE).first).to_be_visible(timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    return response.headers["x-chitieu-upstream"]


def test_two_processes_behind_nginx_see_a_new_build_together(cluster: Cluster, browser: Browser):
    pinned = _pin_cookies(cluster)
    backends = {u.removeprefix("http://") for u in cluster.backend_urls}
    assert set(pinned) == backends, f"nginx never sent a request to {backends - set(pinned)}"

    contexts, pages = [], {}
    try:
        for backend, cookie in pinned.items():
            context = browser.new_context()
            context.add_cookies([{"name": STICKY_COOKIE, "value": cookie, "url": cluster.url}])
            contexts.append(context)
            page = context.new_page()
            assert _open_detail(page, cluster.url) == backend  # the page came from that process
            _actuals_show(page, OLD[1])
            pages[backend] = page

        _set_january_revenue(cluster.data_dir, *NEW)
        inode = cluster.db_path.stat().st_ino
        build(cluster.data_dir, cluster.db_path)  # build-then-swap into the watched path
        assert cluster.db_path.stat().st_ino != inode

        for page in pages.values():
            page.reload()
            expect(page.get_by_text(TITLE).first).to_be_visible(timeout=60_000)
            page.wait_for_selector(IDLE, timeout=60_000)
            _actuals_show(page, NEW[1])  # fails here if this process still shows the old build
    finally:
        for context in contexts:
            context.close()

    # Each browser's websocket (logged by nginx when it closes) went to its own process.
    log = cluster.run_dir / "logs" / "nginx-access.log"
    deadline = time.monotonic() + 10
    while True:
        streams = set(re.findall(r'"GET /_stcore/stream[^"]*" 101 \d+ upstream=(\S+)',
                                 log.read_text(encoding="utf-8")))
        if streams >= backends or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert streams >= backends, f"websockets reached only {streams}"
