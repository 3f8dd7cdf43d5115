"""Load: write a complete new DuckDB file, check it, then swap it in atomically.

The app may hold the live database open read-only, and DuckDB refuses a
writer while any reader holds the file, so the ETL never writes in place.
`prepare` builds `<db>.building`, checkpoints and fsyncs it, and checks it
(every public view exists and answers, every table holds the rows written);
a one-ward build starts from a copy of the live file and replaces only that
ward's rows (`OtherWards`);
`swap_in` keeps the database it replaces as `<db>.previous` — only if that
one passes the same check, so a bad file never overwrites the good previous
copy — and `os.replace`s the new file over the live one.  A crash at any
moment leaves the live file and the previous copy whole.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl import crashpoints
from etl.files import building_path, fsync_dir, partial_path, wal_of
from etl.problems import Refused
from wardplan.reads.tables import TABLES, VIEWS

SQL_DIR = Path(__file__).resolve().parent.parent / "wardplan" / "reads" / "sql"
# Only declared names (wardplan/reads/tables.py) are ever interpolated into SQL.
PUBLIC_VIEWS = tuple(VIEWS)

log = logging.getLogger(__name__)


class DatabaseUnusable(Refused):
    """The new database failed its check: it was not swapped in."""

    def report_vi(self) -> str:
        return ("Không nạp dữ liệu: cơ sở dữ liệu mới không qua được bước kiểm tra cuối nên "
                "không được dùng. Cơ sở dữ liệu hiện tại được giữ nguyên; chi tiết ghi trong "
                "nhật ký.")


@dataclass(frozen=True)
class OtherWards:
    """Every row of `tables` but those of `ward` and those of no ward, copied as it is from
    the live database at `live`: a one-ward build writes only that ward's rows itself."""

    live: Path
    ward: str
    tables: frozenset[str]


def previous_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.stem + ".previous" + db_path.suffix)


def write_database(tables: dict[str, pd.DataFrame], db_path: Path) -> None:
    swap_in(prepare(tables, db_path), db_path)


def prepare(tables: dict[str, pd.DataFrame], db_path: Path, others: OtherWards | None = None) -> Path:
    """The new database, complete and checked, at `building_path(db_path)`: `tables`, and
    with `others` the other wards' rows of the live database before them."""
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"unknown tables: {sorted(unknown)}")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    building = building_path(db_path)
    _remove(building)
    try:
        expected = _write_new_file(tables, building, others)
        crashpoints.reached("after_db_written")
        problems = check_database(building, expected)
        if problems:
            log.error("new database %s failed its check: %s", building.name, "; ".join(problems))
            raise DatabaseUnusable("; ".join(problems))
    except BaseException:
        _remove(building)
        raise
    return building


def _remove(db_file: Path) -> None:
    db_file.unlink(missing_ok=True)
    wal_of(db_file).unlink(missing_ok=True)


def _write_new_file(tables: dict[str, pd.DataFrame], path: Path,
                    others: OtherWards | None) -> dict[str, int]:
    """Write the file; how many rows each table holds."""
    if others is not None:
        return _write_over_live_copy(tables, path, others)
    with _views_made(path) as con:
        con.execute(_sql("schema.sql"))
        return _insert(con, tables)


# DuckDB keeps the blocks it writes in memory up to its limit (most of the machine's), on
# top of the frames being written: at 114 units the write added 95 MB to the build's peak,
# 100 MB at year end; under this limit 70 and 60 MB, in the same time.  What does not fit
# is written to the file sooner, not refused: six times the city's tables (339.000
# statuses, a 139 MB file) were written under it in 4,6 s.
WRITE_MEMORY = "64MB"


@contextlib.contextmanager
def _views_made(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to write the tables of `path`; then the views from views.sql, the file
    checkpointed, closed and on disk."""
    con = duckdb.connect(str(path), config={"threads": 1, "memory_limit": WRITE_MEMORY})
    try:
        yield con
        con.execute(_sql("views.sql"))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    _fsync(path)


def _write_over_live_copy(tables: dict[str, pd.DataFrame], path: Path,
                          others: OtherWards) -> dict[str, int]:
    """A copy of the live file with the ward's rows, the rows of no ward and the tables taken
    whole replaced by `tables`: the other wards' rows are never decoded, re-encoded and
    compressed again (0,7 s of a one-ward build at 114 units, against 0,1 s).  The views are
    made anew from views.sql; the tables' own schema is the live file's, which
    `same_schema` checked is schema.sql's."""
    shutil.copyfile(others.live, path)
    with _views_made(path) as con:
        for name in TABLES:
            if name in others.tables:
                con.execute(f"DELETE FROM {name} WHERE ward_code IS NULL OR ward_code = $ward",
                            {"ward": others.ward}).fetchall()
            else:
                con.execute(f"DELETE FROM {name}").fetchall()
        kept = {name: con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
                for name in others.tables}
        fresh = _insert(con, tables)
        written = {name: kept.get(name, 0) + fresh.get(name, 0) for name in {*kept, *fresh}}
        for (view,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal "
                                   "AND database_name = current_database()").fetchall():
            con.execute(f'DROP VIEW "{view}"')
        return written


def _insert(con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    written = {name: 0 for name in tables}
    for name in TABLES:
        frame = tables.get(name)
        if frame is None or frame.empty:
            continue
        con.register("incoming", frame)
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM incoming")
        con.unregister("incoming")
        written[name] = len(frame)
        crashpoints.reached(f"while_writing_{name}")
    return written


def _sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def _fsync(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def same_schema(db_path: Path) -> bool:
    """Whether the tables of the database at `db_path` are declared as schema.sql declares
    them now (a database built by earlier code may not be)."""
    try:
        with reading(db_path) as con:
            return _declared(con) == _declared_now()
    except duckdb.Error:
        return False


def _declared(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The tables of the database in use, as DuckDB declares them."""
    return con.execute("SELECT table_name, sql FROM duckdb_tables() "
                       "WHERE database_name = current_database() ORDER BY 1").fetchall()


@functools.cache
def _declared_now() -> list[tuple[str, str]]:
    """schema.sql's tables as DuckDB declares them, made once per process."""
    with _scratch() as con:
        alias = _alias("declared")
        con.execute(f"ATTACH ':memory:' AS {alias}")
        try:
            con.execute(f"USE {alias}")
            con.execute(_sql("schema.sql"))
            return _declared(con)
        finally:
            _detach(con, alias)


def check_database(path: Path, expected_rows: dict[str, int] | None = None) -> list[str]:
    """Why the database at `path` is not fit to serve (English, for the log); [] if it is.

    Every public view must exist and answer; with `expected_rows`, every table
    must hold exactly that many rows.  Opened through a fresh in-memory
    connection: a plain reconnect could return a cached older file
    (shared/STACK.md).
    """
    identity = _identity(path)
    if expected_rows is None and identity in _PASSED:
        return []
    problems = _problems(path, expected_rows)
    if not problems and identity is not None and identity == _identity(path):
        with _PASSED_LOCK:
            _PASSED[identity] = None
            while len(_PASSED) > _PASSED_KEPT:
                del _PASSED[next(iter(_PASSED))]
    return problems


# Files that passed the check, by identity.  No one writes a database file once it is
# checked (a writer builds a new file and swaps it in whole, which keeps its identity), so
# a writer's look at the live file before it writes (`build.settle`) need not run every
# view again; keeping it as the previous copy still does (`_keep_as_previous`).
_PASSED: dict[tuple[int, int, int, int], None] = {}
_PASSED_KEPT = 16
_PASSED_LOCK = threading.Lock()


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


def _problems(path: Path, expected_rows: dict[str, int] | None) -> list[str]:
    try:
        with reading(path) as con:
            views = {name for (name,) in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE database_name = current_database() "
                "AND NOT internal").fetchall()}
            problems = [f"view {v} is missing" for v in PUBLIC_VIEWS if v not in views]
            for view in PUBLIC_VIEWS:
                if view in views:
                    con.execute(f"SELECT count(*) FROM {view}").fetchone()
            for table, rows in (expected_rows or {}).items():
                (found,) = con.execute(f"SELECT count(*) FROM {table}").fetchone()
                if found != rows:
                    problems.append(f"table {table} holds {found} rows, {rows} were written")
            return problems
    except duckdb.Error as exc:
        return [f"cannot be read: {exc}"]


@contextlib.contextmanager
def reading(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh read-only look at the database file at `db_path` as it is now, closed
    afterwards: attached under a name of its own to this process's scratch in-memory
    database, and detached.  `duckdb.connect(path, read_only=True)` while another
    connection to the path is open in this process would see that one's old data
    (STACK.md), and the app process has one.  One scratch database for every look, each
    from its own cursor: making a DuckDB database costs 10 ms, and a publish took nine."""
    alias = _alias("live")
    escaped = str(db_path).replace("'", "''")
    with _scratch() as con:
        con.execute(f"ATTACH '{escaped}' AS {alias} (READ_ONLY)")
        try:
            con.execute(f"USE {alias}")
            yield con
        finally:
            _detach(con, alias)


def _detach(con: duckdb.DuckDBPyConnection, alias: str) -> None:
    """Whatever the look left (a transaction open or aborted, its cursor closed): its
    cursor closed first, which ends its transaction, then the file detached from another,
    so no look keeps a replaced file open.  A failure here is logged, never raised over
    what the look itself raised."""
    with contextlib.suppress(duckdb.Error):
        con.close()
    try:
        with _scratch() as other:
            other.execute(f"DETACH {alias}")
    except duckdb.Error as exc:
        log.warning("could not detach %s from the scratch database: %r", alias, exc)


@contextlib.contextmanager
def _scratch() -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of the scratch database (one thread each; STACK.md)."""
    global _SCRATCH
    with _SCRATCH_LOCK:
        if _SCRATCH is None:
            _SCRATCH = duckdb.connect(":memory:")
        cursor = _SCRATCH.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


def _alias(what: str) -> str:
    return f"{what}_{next(_LOOKS)}"


_SCRATCH: duckdb.DuckDBPyConnection | None = None
_SCRATCH_LOCK = threading.Lock()
_LOOKS = itertools.count(1)


def ledger_entries(db_path: Path) -> int | None:
    """How many ledger lines the database was built with (None if it does not say)."""
    try:
        with reading(db_path) as con:
            row = con.execute("SELECT ledger_entries FROM build_info").fetchone()
    except duckdb.Error:
        return None
    return None if row is None else row[0]


def swap_in(building: Path, db_path: Path) -> None:
    """Make the checked new database live, keeping the one it replaces if it was sound."""
    if db_path.exists():
        _keep_as_previous(db_path)
    crashpoints.reached("before_db_swap")
    os.replace(building, db_path)
    fsync_dir(db_path.parent)


def _keep_as_previous(db_path: Path) -> None:
    # Checked again, not taken from an earlier pass: this check is what keeps a live file
    # damaged in place (by the disk, a copy over it) from replacing the good previous one.
    problems = _problems(db_path, None)
    if problems:
        # A broken live file must never replace the last good copy.
        log.warning("live database failed its check (%s); %s left as it was",
                    "; ".join(problems), previous_path(db_path).name)
        return
    previous = previous_path(db_path)
    staged = partial_path(previous)
    staged.unlink(missing_ok=True)
    try:
        # A hard link is instant and atomic; nothing ever writes the live file in place.
        os.link(db_path, staged)
    except OSError:
        shutil.copy2(db_path, staged)  # a filesystem without hard links
        with staged.open("rb") as fh:
            os.fsync(fh.fileno())
    crashpoints.reached("before_previous_replaced")
    os.replace(staged, previous)
    fsync_dir(previous.parent)
