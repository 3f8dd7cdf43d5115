"""Streamlit glue for the dashboard: cached data, URL state, shared widgets.

Pages import from here and from `wardplan`; nothing here imports a page.
"""
