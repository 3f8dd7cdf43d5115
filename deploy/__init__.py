"""Serving the dashboard with several Streamlit processes behind nginx (docs/deployment.md)."""
