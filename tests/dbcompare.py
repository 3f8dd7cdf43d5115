"""Two built databases compared table by table: rows in stored order, columns and types.

For the tests that hold a faster build path to what the previous one wrote
(`test_build_equality.py`), and by hand: `python tests/dbcompare.py A.duckdb B.duckdb`.
The load time is the only column allowed to differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pandas as pd

from wardplan.reads.tables import TABLES

# When each file was loaded: a property of the build's moment, not of its input.
MOMENT_COLUMNS = {"load_files": ("loaded_at",)}


def table(db: Path, name: str) -> pd.DataFrame:
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{db}' AS built (READ_ONLY)")
        frame = con.execute(f"SELECT * FROM built.{name}").df()
        types = con.execute(f"SELECT column_name, data_type FROM duckdb_columns() "
                            f"WHERE database_name = 'built' AND table_name = '{name}'").fetchall()
    finally:
        con.close()
    frame.attrs["types"] = types
    return frame.drop(columns=list(MOMENT_COLUMNS.get(name, ())))


def differences(a: Path, b: Path) -> list[str]:
    """What differs between the databases at `a` and `b`, one line per table; [] if nothing."""
    found = []
    for name in TABLES:
        left, right = table(a, name), table(b, name)
        if left.attrs["types"] != right.attrs["types"]:
            found.append(f"{name}: columns {left.attrs['types']} != {right.attrs['types']}")
            continue
        try:
            pd.testing.assert_frame_equal(left, right, check_exact=True)
        except AssertionError as exc:
            found.append(f"{name}: {str(exc)[:2000]}")
    return found


if __name__ == "__main__":
    problems = differences(Path(sys.argv[1]), Path(sys.argv[2]))
    print("\n".join(problems) or "identical")
    sys.exit(1 if problems else 0)
