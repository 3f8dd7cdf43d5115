"""BASELINE: the naive page with st.cache_data around the reading (not part of the app)."""

import streamlit as st

from bench.baseline.naive_common import data_dir, read_all, render

render(st, st.cache_data(read_all)(str(data_dir())))
