"""A ward's submission in a real Chromium: log in as an editor, download the template,
fill a figure, upload, read the preview, confirm, and find the figure with its history on
the detail page; a broken file shows its cells and changes nothing; a viewer finds no way
to write.  The server runs on its own copy of data/, database and accounts file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts import store
from etl import ledger
from etl.build import build
from intake.template import report_template
from shots import full_length_screenshot
from wardplan.reads.db import Database
from workbooks import copy_data, digest, filled_report, query

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-nghiem"
IDLE = ('[data-testid="stApp"][data-test-script-state="notRunning"]'
        '[data-test-connection-state="CONNECTED"]')


@pytest.fixture
def site(tmp_path: Path, server_on):
    data = copy_data(tmp_path / "data")
    db = tmp_path / "live.duckdb"
    build(data, db)
    accounts = tmp_path / "accounts.json"
    store.add_user("pl_editor", store.EDITOR, PASSWORD, ["phu_lien"], "Cán bộ Phù Liễn",
                   path=accounts)
    store.add_user("viewer1", store.VIEWER, PASSWORD, path=accounts)
    env = {"CHITIEU_DATA": str(data), "CHITIEU_ACCOUNTS": str(accounts)}
    with server_on(db, env) as url:
        yield {"url": url, "data": data, "db": db}


def settle(page, text: str) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)


def log_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/dang-nhap")
    settle(page, "Tên đăng nhập")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    settle(page, "Tài khoản")


def open_submit_page(page) -> None:
    # Through the app's own link: a new page load would be a new session, logged out.
    page.locator('[data-testid="stMain"]').get_by_role("link", name="Nộp báo cáo").click()
    settle(page, "Tải mẫu báo cáo")


def test_an_editor_submits_april_and_finds_it_with_its_history(site, browser, tmp_path,
                                                                screenshots):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    log_in(page, site["url"], "pl_editor")
    open_submit_page(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải mẫu báo cáo").click()
    template = tmp_path / info.value.suggested_filename
    info.value.save_as(template)
    assert template.name == "mau-bao-cao_phu_lien_2026-04.xlsx"  # the next month to report
    assert load_workbook(template).sheetnames == ["Thông tin", "Báo cáo"]
    filled = tmp_path / "bao_cao_thang_4.xlsx"
    filled.write_bytes(filled_report(template.read_bytes(), {"budget_revenue": 30000}))

    # The uploader's English words are drawn over in Vietnamese (assets/app.css).
    dropzone = page.locator('[data-testid="stFileUploaderDropzone"]')
    assert dropzone.evaluate(
        "zone => [zone.querySelector('button p'), zone.querySelector("
        "'[data-testid=stFileUploaderDropzoneInstructions] span')].map(e => [getComputedStyle(e)"
        ".fontSize, getComputedStyle(e, '::after').content])") == [
        ["0px", '"Chọn tệp"'], ["0px", '"hoặc kéo thả tệp vào đây"']]
    page.locator('input[type="file"]').set_input_files(str(filled))
    settle(page, "Xem trước thay đổi")
    changes = page.locator('[class*="table-changes"]')
    expect(changes).to_contain_text("Số liệu mới")
    expect(changes).to_contain_text("30.000 triệu đồng")
    full_length_screenshot(page, screenshots / "nop-bao-cao_xem-truoc_1440.png")
    assert query(site["db"], "SELECT count(*) FROM v_submissions")[0][0] == 0, "not before confirm"

    page.get_by_role("button", name="Xác nhận nộp").click()
    settle(page, "Đã nhận lần nộp số 1")
    full_length_screenshot(page, screenshots / "nop-bao-cao_da-nhan_1440.png")
    page.get_by_role("link", name="Xem Thu ngân sách nhà nước trên địa bàn").first.click()
    settle(page, "Lịch sử số liệu")
    history = page.locator('[class*="st-key-table-revisions"]')
    expect(history).to_contain_text("30.000 triệu đồng")
    expect(history).to_contain_text("pl_editor")
    expect(page.locator('[class*="st-key-table-actuals"]')).to_contain_text("30.000")
    full_length_screenshot(page, screenshots / "chi-tiet_lich-su_1440.png")
    assert query(site["db"], "SELECT value, submitted_by FROM v_revisions WHERE ward_code = "
                             "'phu_lien' AND period = '2026-04'") == [(30000, "pl_editor")]
    context.close()


def test_a_broken_file_is_refused_cell_by_cell_and_nothing_changes(site, browser, tmp_path,
                                                                   screenshots):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    log_in(page, site["url"], "pl_editor")
    # On a phone the menu is folded: the account page's own link leads on.
    page.locator('[data-testid="stMain"]').get_by_role("link", name="Nộp báo cáo").click()
    settle(page, "Tải mẫu báo cáo")
    template = report_template(Database(site["db"]), "phu_lien", "2026-04")
    broken = tmp_path / "bao_cao_loi.xlsx"
    broken.write_bytes(filled_report(template, {"budget_revenue": "ba mươi nghìn"}))
    before = digest(site["db"])
    page.locator('input[type="file"]').set_input_files(str(broken))
    settle(page, "Tệp không được nhận")
    problems = page.locator('[class*="table-problems"]')
    expect(problems).to_contain_text("bao_cao_loi.xlsx")
    expect(problems).to_contain_text("F2")
    expect(problems).to_contain_text("ba mươi nghìn")
    expect(page.get_by_role("button", name="Xác nhận nộp")).to_have_count(0)
    full_length_screenshot(page, screenshots / "nop-bao-cao_loi_390.png")
    assert digest(site["db"]) == before
    assert ledger.read(ledger.submissions_dir(site["data"])) == []
    context.close()


def test_a_viewer_finds_no_page_no_widget_and_a_refusal_by_address(site, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    log_in(page, site["url"], "viewer1")
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav).to_contain_text("Tổng quan")
    expect(nav).not_to_contain_text("Nộp báo cáo")
    page.goto(f"{site['url']}/nop-bao-cao")  # a new session: not even logged in now
    settle(page, "Cần đăng nhập")
    expect(page.locator('input[type="file"]')).to_have_count(0)
    expect(page.get_by_role("button", name="Tải mẫu báo cáo")).to_have_count(0)
    context.close()
