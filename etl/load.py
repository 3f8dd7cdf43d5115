"""Load: write a complete new DuckDB file, then swap it in atomically.

The app may hold the live database open read-only, and DuckDB refuses a
writer while any reader holds the file, so the ETL never writes in place.
It builds `<db>.building`, checkpoints and fsyncs it, keeps a copy of the
database it replaces as `<db>.previous`, and `os.replace`s the new file over
the live one.  A failure before the swap leaves the live file untouched.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from wardplan.reads.tables import TABLES

SQL_DIR = Path(__file__).resolve().parent.parent / "wardplan" / "reads" / "sql"


def write_database(tables: dict[str, pd.DataFrame], db_path: Path) -> None:
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"unknown tables: {sorted(unknown)}")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    building = db_path.with_name(db_path.name + ".building")
    building.unlink(missing_ok=True)
    try:
        _write_new_file(tables, building)
        _swap_in(building, db_path)
    finally:
        building.unlink(missing_ok=True)
        building.with_name(building.name + ".wal").unlink(missing_ok=True)


def _write_new_file(tables: dict[str, pd.DataFrame], path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
        for name in TABLES:
            frame = tables.get(name)
            if frame is None or frame.empty:
                continue
            con.register("incoming", frame)
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM incoming")
            con.unregister("incoming")
        con.execute((SQL_DIR / "views.sql").read_text(encoding="utf-8"))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def _swap_in(new_file: Path, db_path: Path) -> None:
    if db_path.exists():
        previous = db_path.with_name(db_path.stem + ".previous" + db_path.suffix)
        staging = previous.with_name(previous.name + ".tmp")
        shutil.copy2(db_path, staging)
        os.replace(staging, previous)
    os.replace(new_file, db_path)
    directory = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
