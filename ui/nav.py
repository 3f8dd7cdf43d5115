"""The app's pages: one list used by `app.py` for navigation and by links."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to app.py, as st.Page and st.page_link expect
    title: str
    url_path: str
    icon: str


OVERVIEW = PageSpec("app_pages/1_Tong_quan.py", "Tổng quan", "tong-quan", ":material/dashboard:")
PROGRESS = PageSpec("app_pages/2_Tien_do_phuong.py", "Tiến độ theo phường", "tien-do",
                    ":material/show_chart:")
COMPARE = PageSpec("app_pages/3_So_sanh_phuong.py", "So sánh phường", "so-sanh",
                   ":material/compare_arrows:")
DETAIL = PageSpec("app_pages/4_Chi_tiet_chi_tieu.py", "Chi tiết chỉ tiêu", "chi-tiet",
                  ":material/search:")
QUALITY = PageSpec("app_pages/5_Chat_luong_du_lieu.py", "Chất lượng dữ liệu", "chat-luong",
                   ":material/rule:")
TASKS = PageSpec("app_pages/6_Nhiem_vu_du_an.py", "Nhiệm vụ & dự án", "nhiem-vu",
                 ":material/task_alt:")
# Owned by the exports helper; listed only once its file exists.
EXPORT = PageSpec("app_pages/7_Xuat_bao_cao.py", "Xuất báo cáo", "xuat-bao-cao",
                  ":material/download:")

HELP = PageSpec("app_pages/8_Huong_dan.py", "Hướng dẫn sử dụng", "huong-dan", ":material/help:")
SUBMIT = PageSpec("app_pages/9_Nop_bao_cao.py", "Nộp báo cáo", "nop-bao-cao",
                  ":material/upload_file:")
ACCOUNT = PageSpec("app_pages/10_Tai_khoan.py", "Đăng nhập", "dang-nhap", ":material/login:")

READING = (OVERVIEW, PROGRESS, COMPARE, DETAIL, QUALITY, TASKS, EXPORT, HELP)
PAGES = (*READING, SUBMIT, ACCOUNT)


@dataclass(frozen=True)
class NavItem:
    page: PageSpec
    title: str
    visible: bool


def navigation(can_submit: bool, logged_in: bool, may_read: bool) -> list[NavItem]:
    """The pages of this session.  The submit page is always routed, so a direct link
    lands on its own refusal, but listed only for those who may submit; reading pages
    are left out entirely when reading needs a login and there is none."""
    account = NavItem(ACCOUNT, "Tài khoản" if logged_in else ACCOUNT.title, True)
    if not may_read:
        return [account]
    return [*(NavItem(p, p.title, True) for p in READING),
            NavItem(SUBMIT, SUBMIT.title, can_submit), account]


_PAGES_OF_RUN = "nav_pages_of_run"


def register(pages: dict[PageSpec, StreamlitPage]) -> None:
    """The pages this run gave st.navigation, for `target` (a fragment's rerun, which does
    not run app.py, links through the last full run's)."""
    st.session_state[_PAGES_OF_RUN] = {spec.url_path: page for spec, page in pages.items()}


def target(spec: PageSpec) -> StreamlitPage | str:
    """What st.page_link is given for `spec`: the page registered this run, or its path if
    none is.  Given a path, st.page_link resolves it on disk at every call (a unit list on
    the overview links every unit it shows), where a page it only looks up."""
    return st.session_state.get(_PAGES_OF_RUN, {}).get(spec.url_path, spec.path)
