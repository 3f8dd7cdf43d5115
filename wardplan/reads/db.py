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
            return cursor.execute(sql, params or []).df()
        finally:
            cursor.close()

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
