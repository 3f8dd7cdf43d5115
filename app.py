"""Chỉ tiêu 2026: entry point — page config, navigation, shared sidebar.

Run with `streamlit run app.py` (or scripts/run).  The first run builds the
database from the bundled workbooks if it does not exist yet.  An unexpected
error shows a short Vietnamese message with an error id; the traceback goes
to the server log under that id (.streamlit/config.toml hides Streamlit's own
error details).
"""

import logging
import secrets

import streamlit as st

from ui import auth, components, data, layout, nav

log = logging.getLogger("chitieu.app")

# The icon is a file of the app's own: a ":material/…:" page icon is fetched from a
# font CDN that an intranet cannot reach.
st.set_page_config(page_title="Chỉ tiêu 2026", page_icon=str(layout.ICON), layout="wide")

user = auth.current_user()
items = nav.navigation(can_submit=bool(user and user.can_write), logged_in=user is not None,
                       may_read=user is not None or not auth.login_to_read())
pages = {item.page: st.Page(item.page.path, title=item.title, url_path=item.page.url_path,
                           icon=item.page.icon, default=item is items[0],
                           visibility="visible" if item.visible else "hidden")
         for item in items}
nav.register(pages)
# Navigation before anything that draws (even a spinner).  The pages live in
# app_pages/, not pages/: Streamlit would treat pages/ as legacy multipage pages
# and answer a fresh server's first deep link with a spurious "Page not found".
current = st.navigation(list(pages.values()))
layout.stylesheet()
try:
    data.database()  # ensure_database() once, before any page reads

    st.sidebar.markdown("### Chỉ tiêu 2026")
    st.sidebar.caption("Theo dõi chỉ tiêu kinh tế - xã hội năm 2026 của các phường, Hải Phòng")
    current.run()
    auth.sidebar_account()
    components.sidebar_footer()
except Exception:  # st.rerun/st.stop are BaseExceptions and pass through
    error_id = secrets.token_hex(4)
    log.exception("unexpected error %s on page %s", error_id, current.title)
    st.error(f"Đã xảy ra lỗi không mong đợi (mã lỗi: {error_id}). Vui lòng tải lại trang; nếu "
             "lỗi vẫn còn, hãy báo quản trị viên kèm mã lỗi này.")
