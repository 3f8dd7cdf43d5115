"""Exports in a real browser: the deferred downloads really produce the files.

AppTest shows a download button's label but never runs its data callable;
here Chromium clicks the buttons against a live server and opens the files
(the export page's files come from the worker process, `exports.jobs`).
"""

from __future__ import annotations

import struct
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation

pytestmark = pytest.mark.browser

IDLE = ('[data-testid="stApp"][data-test-script-state="notRunning"]'
        '[data-test-connection-state="CONNECTED"]')


@pytest.fixture(scope="module")
def page(server, browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def settle(page, text: str) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=30_000)
    page.wait_for_selector(IDLE, timeout=30_000)


def download(page, label: str, tmp_path: Path, key: str | None = None) -> Path:
    """The file the button `label` gives (the one of widget `key`, where a page has several)."""
    where = page.locator(f".st-key-{key}") if key else page
    with page.expect_download(timeout=60_000) as info:
        where.get_by_role("button", name=label).first.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_chart_png_button_downloads_a_slide_sized_image(page, server, tmp_path):
    page.goto(f"{server}/tien-do?ward=phu_lien&indicator=budget_revenue&as_of=2026-Q1")
    settle(page, "Tiến độ theo phường — Phù Liễn")
    # The progress chart's own button: the page's summary chart has one too, and once (in
    # a full run, under load) the summary's was the first drawn when the click came.
    path = download(page, "Tải ảnh PNG", tmp_path, key="progress_chart_png")
    assert path.name == "tien-do_phu_lien_budget_revenue_2026-Q1.png"
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (2560, 1440)


def test_export_page_makes_the_deck_and_workbook_in_the_worker(page, server, tmp_path,
                                                               screenshots):
    page.goto(f"{server}/xuat-bao-cao?as_of=2026-Q1")
    settle(page, "Xuất báo cáo")
    page.get_by_role("button", name="Tạo trình chiếu (.pptx)").click()
    # The panel shows how far the worker got (AppTest checks that: here a small deck may
    # be ready before a progress bar is drawn), then offers the file.
    page.get_by_role("button", name="Tải trình chiếu (.pptx)").wait_for(timeout=120_000)
    page.wait_for_selector(IDLE, timeout=30_000)
    deck = download(page, "Tải trình chiếu (.pptx)", tmp_path)
    assert deck.name == "chi-tieu_2026-Q1.pptx"
    slides = Presentation(deck).slides
    assert len(slides) == 25
    page.get_by_role("button", name="Tạo sổ Excel (.xlsx)").click()
    page.get_by_role("button", name="Tải sổ Excel (.xlsx)").wait_for(timeout=120_000)
    page.wait_for_selector(IDLE, timeout=30_000)
    book = download(page, "Tải sổ Excel (.xlsx)", tmp_path)
    assert openpyxl.load_workbook(book).sheetnames[0] == "Tổng hợp"
    page.screenshot(path=screenshots / "xuat-bao-cao_1366.png")


def test_a_second_file_asked_for_while_the_first_is_made_is_made_after_it(page, server,
                                                                           tmp_path):
    """The buttons are not redrawn by the progress timer, so a click made while a file is
    being made is never lost: the second file waits its turn, then both are offered."""
    page.goto(f"{server}/xuat-bao-cao?as_of=2026-Q1")
    settle(page, "Xuất báo cáo")
    page.get_by_role("button", name="Tạo trình chiếu (.pptx)").click()
    page.get_by_text("Đang tạo trình chiếu", exact=False).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # a tick or two of the progress timer
    page.get_by_role("button", name="Tạo sổ Excel (.xlsx)").click()
    page.get_by_role("button", name="Tải trình chiếu (.pptx)").wait_for(timeout=120_000)
    page.get_by_role("button", name="Tải sổ Excel (.xlsx)").wait_for(timeout=120_000)
    page.wait_for_selector(IDLE, timeout=30_000)
    book = download(page, "Tải sổ Excel (.xlsx)", tmp_path)
    assert openpyxl.load_workbook(book).sheetnames[0] == "Tổng hợp"
    assert download(page, "Tải trình chiếu (.pptx)", tmp_path).name == "chi-tieu_2026-Q1.pptx"


def test_two_files_asked_for_at_once_are_both_made(page, server, tmp_path):
    """The second click interrupts the rerun the first started: the buttons' callbacks ask
    for the job before any of the page runs, so neither is lost."""
    page.goto(f"{server}/xuat-bao-cao?as_of=2026-Q1")
    settle(page, "Xuất báo cáo")
    page.get_by_role("button", name="Tạo báo cáo PDF").click()
    page.get_by_role("button", name="Tạo bảng trạng thái (.csv)").click()
    page.get_by_role("button", name="Tải bảng trạng thái (.csv)").wait_for(timeout=120_000)
    page.get_by_role("button", name="Tải báo cáo PDF").wait_for(timeout=120_000)
