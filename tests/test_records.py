"""wardplan.rules.frames.records: the rows itertuples gives, read column by column."""

import datetime as dt
import math

import pandas as pd

from wardplan.rules.frames import records


def test_records_are_the_rows_itertuples_gives():
    frame = pd.DataFrame({
        "ward_code": ["phu_lien", None, "kien_an"],
        "value": [1.5, math.nan, 3.0],
        "year": [2026, 2026, 2025],
        "cutoff_date": pd.to_datetime(["2026-03-20", None, "2026-01-31"]),
        "note": pd.Series(["Đạt", None, "Vượt"], dtype=object),
        "2026": [True, False, True],  # not an identifier: renamed as itertuples does
    })
    expected = list(frame.itertuples(index=False))
    got = list(records(frame))
    assert [r._fields for r in got] == [r._fields for r in expected]
    for mine, theirs in zip(got, expected, strict=True):
        for a, b in zip(mine, theirs, strict=True):
            assert (pd.isna(a) and pd.isna(b)) or (a == b and type(a) is type(b)), (a, b)
    assert got[0].ward_code == "phu_lien" and got[2].cutoff_date == dt.datetime(2026, 1, 31)


def test_records_of_an_empty_frame():
    assert list(records(pd.DataFrame(columns=["a", "b"]))) == []
    assert list(records(pd.DataFrame())) == []
