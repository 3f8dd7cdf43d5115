"""Chỉ tiêu 2026: entry point — page config, navigation, shared sidebar.

Run with `streamlit run app.py` (or scripts/run).  The first run builds the
database from the bundled workbooks if it does not exist yet.
"""

import streamlit as st

from ui import components, data, layout, nav

# The icon is a file of the app's own: a ":material/…:" page icon is fetched from a
# font CDN that an intranet cannot reach.
st.set_page_config(page_title="Chỉ tiêu 2026", page_icon=str(layout.ICON), layout="wide")

pages = [st.Page(page.path, title=page.title, url_path=page.url_path, icon=page.icon,
                 default=page is nav.OVERVIEW)
         for page in nav.available_pages()]
# Navigation before anything that draws (even a spinner).  The pages live in
# app_pages/, not pages/: Streamlit would treat pages/ as legacy multipage pages
# and answer a fresh server's first deep link with a spurious "Page not found".
current = st.navigation(pages)
layout.stylesheet()
data.database()  # ensure_database() once, before any page reads

st.sidebar.markdown("### Chỉ tiêu 2026")
st.sidebar.caption("Theo dõi chỉ tiêu kinh tế - xã hội năm 2026 của các phường, Hải Phòng")
current.run()
components.sidebar_footer()
