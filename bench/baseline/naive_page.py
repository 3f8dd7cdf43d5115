"""BASELINE: re-reads every workbook with pandas on every rerun (not part of the app)."""

import streamlit as st

from bench.baseline.naive_common import data_dir, read_all, render

render(st, read_all(str(data_dir())))
