"""Each table and public view is declared once (wardplan/reads/tables.py); the SQL that
creates them must agree with that declaration, column for column and in order."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from wardplan.reads.tables import TABLES, VIEWS

SQL = Path(__file__).resolve().parents[1] / "wardplan" / "reads" / "sql"


@pytest.fixture(scope="module")
def created() -> dict[str, tuple[str, ...]]:
    con = duckdb.connect()
    con.execute((SQL / "schema.sql").read_text(encoding="utf-8"))
    con.execute((SQL / "views.sql").read_text(encoding="utf-8"))
    names = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    names += [v for (v,) in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
    return {n: tuple(c[0] for c in con.execute(f"DESCRIBE {n}").fetchall()) for n in names}


def test_schema_creates_exactly_the_declared_tables(created):
    tables = {n: c for n, c in created.items() if not n.startswith("v_")}
    assert set(tables) == set(TABLES)
    for name, columns in TABLES.items():
        assert tables[name] == columns, name


def test_views_expose_exactly_the_declared_columns(created):
    views = {n: c for n, c in created.items() if n.startswith("v_")}
    assert set(views) == set(VIEWS)
    for name, columns in VIEWS.items():
        assert views[name] == columns, name


def test_a_built_database_has_the_declared_tables(built_db: Path):
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        for name, columns in TABLES.items():
            assert tuple(c[0] for c in con.execute(f"DESCRIBE {name}").fetchall()) == columns
    finally:
        con.close()
