"""Đăng nhập / Tài khoản: log in to submit (or to read, where reading needs a login)."""

import streamlit as st

from accounts.store import ROLE_LABELS_VI
from ui import auth, data, nav
from ui import components as ui

user = auth.current_user()
if user is None:
    st.title("Đăng nhập")
    st.caption("Cán bộ phường đăng nhập để nộp báo cáo; cán bộ Sở Tài chính để quản lý. "
               "Tài khoản do quản trị viên cấp; quên mật khẩu xin liên hệ quản trị viên.")
    if auth.login_form() is not None:
        st.rerun()
    st.stop()

st.title("Tài khoản")
st.markdown(f"Đăng nhập: **{ui.md_escape(user.label)}** ({ui.md_escape(user.username)}) · "
            f"quyền: {ROLE_LABELS_VI[user.role]}")
if user.wards:
    names = data.ward_names()
    st.markdown("Đơn vị được nộp báo cáo: " + ", ".join(
        ui.md_escape(names.get(w, w)) for w in user.wards))
if user.can_write:
    st.page_link(nav.target(nav.SUBMIT), label="Nộp báo cáo", icon=nav.SUBMIT.icon)
else:
    st.caption("Tài khoản này chỉ có quyền xem.")
if st.button("Đăng xuất", icon=":material/logout:", key="logout-page"):
    auth.logout()
    st.rerun()
