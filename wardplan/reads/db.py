"""Read-only access to the built database, the one door every read goes through.

The ETL replaces the database file atomically while the app runs.  Reopening
a path that is still open in this process returns the old data (measured in
shared/STACK.md), so each generation of the file is attached to a fresh
in-memory connection, keyed by the file's inode and mtime; queries run on a
cursor of the current generation, one cursor per call, so threads never share
one.  Values are always bound parameters.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = ROOT / "build" / "chitieu2026.duckdb"
# Old generations stay open this long (in swaps) so in-flight cursors finish.
KEEP_GENERATIONS = 3


def database_path() -> Path:
    return Path(os.environ.get("CHITIEU_DB", DEFAULT_DB))


class Database:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._generation: tuple[int, int] | None = None
        self._connections: list[duckdb.DuckDBPyConnection] = []

    def _connection(self) -> duckdb.DuckDBPyConnection:
        stat = self.path.stat()
        generation = (stat.st_ino, stat.st_mtime_ns)
        with self._lock:
            if generation != self._generation:
                con = duckdb.connect(":memory:")
                escaped = str(self.path).replace("'", "''")
                con.execute(f"ATTACH '{escaped}' AS live (READ_ONLY)")
                self._connections.append(con)
                self._generation = generation
                while len(self._connections) > KEEP_GENERATIONS:
                    self._connections.pop(0).close()
            return self._connections[-1]

    def query(self, sql: str, params: dict | list | None = None) -> pd.DataFrame:
        cursor = self._connection().cursor()
        try:
            cursor.execute("USE live")
            table = cursor.sql(sql, params=params or None).to_arrow_table()
        finally:
            cursor.close()
        return as_frame(table)

    @property
    def generation(self) -> tuple[int, int] | None:
        """Changes whenever the ETL swaps in a new file: use it as a cache key."""
        self._connection()
        return self._generation

    def close(self) -> None:
        """Close every generation's connection (a one-shot process done reading: an export
        writes its file with DuckDB's 40 MB given back).  A later query opens it again."""
        with self._lock:
            while self._connections:
                self._connections.pop().close()
            self._generation = None


def as_frame(table: pa.Table) -> pd.DataFrame:
    """A query's Arrow result as the frame DuckDB's `.df()` gives, at a fifth of its cost.

    `.df()` hands pandas every text value as a Python object and pandas copies each into
    an Arrow string again (a unit's first view spent two thirds of its reads there).
    Arrow's own conversion keeps the strings' buffers; the columns are then given the
    types `.df()` gives, which every page and export was written against: whole numbers
    and booleans nullable only where a NULL is, decimals and huge integers as floats,
    dates as datetime64[us], text with no value at all as object.
    """
    columns = [_as_series(column) for column in table.columns]
    frame = pd.concat(columns, axis=1, ignore_index=True) if columns else pd.DataFrame()
    frame.columns = table.column_names
    return frame


_NULLABLE = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(),
             pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype(), pa.bool_(): pd.BooleanDtype()}


def _as_series(column: pa.ChunkedArray) -> pd.Series:
    kind = column.type
    if column.null_count and kind in _NULLABLE:
        return column.to_pandas(types_mapper=_NULLABLE.get)
    if pa.types.is_decimal(kind):
        return column.to_pandas().astype("float64")
    if pa.types.is_date(kind):
        return column.to_pandas(date_as_object=False).astype("datetime64[us]")
    if pa.types.is_string(kind) and column.null_count == len(column):
        return pd.Series([None] * len(column), dtype=object)
    return column.to_pandas()
