"""Built databases compared table by table: rows in stored order, columns and types.

For the tests that hold the build to what it wrote before it was made fast
(`test_build_equality.py`), and by hand:

    python tests/dbcompare.py A.duckdb B.duckdb     # every difference, or "identical"
    python tests/dbcompare.py --digest A.duckdb [--generated]   # the digests the test stores

The load time is the only column allowed to differ.  A generated data set
(bench/synthetic.py) writes the same cells but new zip timestamps each time,
so its files' hashes and sizes are left out of its digests (`generated`).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd

from wardplan.reads.tables import TABLES

# When each file was loaded: a property of the build's moment, not of its input.
MOMENT_COLUMNS = {"load_files": ("loaded_at",)}
# The bytes of a generated workbook, not its cells.
GENERATED_COLUMNS = {"load_files": ("sha256", "size_bytes")}


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


def digests(db: Path, generated: bool = False) -> dict[str, str]:
    """{table: SHA-256 of its column types and rows in stored order}; floats by repr, exact."""
    found = {}
    for name in TABLES:
        frame = table(db, name)
        if generated:
            frame = frame.drop(columns=list(GENERATED_COLUMNS.get(name, ())))
        digest = hashlib.sha256(repr([t for t in frame.attrs["types"] if t[0] in frame]).encode())
        for row in frame.itertuples(index=False):
            digest.update(repr(tuple(row)).encode())
        found[name] = digest.hexdigest()
    return found


if __name__ == "__main__":
    if sys.argv[1] == "--digest":
        print(json.dumps(digests(Path(sys.argv[2]), "--generated" in sys.argv), indent=2))
        sys.exit(0)
    problems = differences(Path(sys.argv[1]), Path(sys.argv[2]))
    print("\n".join(problems) or "identical")
    sys.exit(1 if problems else 0)
