"""BASELINE pages for `python -m bench pages`: deliberately naive, never part of the app.

`naive_page.py` re-reads every workbook with pandas on every rerun;
`naive_cached_page.py` is the same page with `st.cache_data`. They show the
same kind of answer as the overview (each unit's indicators against their
yearly target), so the benchmark can say what our pages cost relative to the
simplest page one could write.
"""
