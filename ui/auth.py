"""The one seam between the app and who is logged in: `current_user()`.

Today the session holds the user after a bcrypt check of the accounts file
(accounts.store, with its failed-login log and lockout); the city's single
sign-on (`st.login`, OIDC) can replace `login_form` and `current_user` here
without any page changing.  Every write still checks the user on the server
(accounts.store.require_submit), whatever the navigation shows.
"""

from __future__ import annotations

import streamlit as st

from accounts import store
from accounts.store import User
from ui import nav
from wardplan.rules.settings import load_settings

_SESSION_KEY = "_chitieu_user"


def current_user() -> User | None:
    """The user logged in to this browser session, re-read from the accounts file so a
    removed account or a changed role takes effect on the next rerun."""
    username = st.session_state.get(_SESSION_KEY)
    if not username:
        return None
    user = store.get_user(username)
    if user is None:
        st.session_state.pop(_SESSION_KEY, None)
    return user


def login_form() -> User | None:
    """The Vietnamese login form; returns the user once logged in."""
    with st.form("login", clear_on_submit=False):
        username = st.text_input("Tên đăng nhập", key="login_username")
        password = st.text_input("Mật khẩu", type="password", key="login_password")
        submitted = st.form_submit_button("Đăng nhập", type="primary")
    if not submitted:
        return None
    try:
        user = store.authenticate(username, password)
    except store.AccountError as refused:
        st.error(refused.message_vi, icon=":material/lock:")
        return None
    st.session_state[_SESSION_KEY] = user.username
    return user


def logout() -> None:
    st.session_state.pop(_SESSION_KEY, None)


@st.cache_data(show_spinner=False, ttl=60)
def login_to_read() -> bool:
    """Whether reading needs a login (settings.toml `[accounts] login_to_read`)."""
    return load_settings().login_to_read


def sidebar_account() -> None:
    """Who is logged in (and a way out), or a link to log in."""
    user = current_user()
    if user is None:
        st.sidebar.page_link(nav.target(nav.ACCOUNT), label="Đăng nhập để nộp báo cáo",
                             icon=":material/login:")
        return
    st.sidebar.caption(f"Đăng nhập: {user.label} · {store.ROLE_LABELS_VI[user.role]}"
                       + (f" ({', '.join(user.wards)})" if user.wards else ""))
    if st.sidebar.button("Đăng xuất", key="logout", icon=":material/logout:"):
        logout()
        st.rerun()
