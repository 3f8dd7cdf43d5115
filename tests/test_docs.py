"""Documentation that cannot drift: every public view column and every
template column must be described."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from wardplan.rules import template

ROOT = Path(__file__).resolve().parent.parent
VIEWS_SQL = ROOT / "wardplan" / "reads" / "sql" / "views.sql"


def _view_columns() -> dict[str, list[str]]:
    con = duckdb.connect(":memory:")
    con.execute((ROOT / "wardplan" / "reads" / "sql" / "schema.sql").read_text(encoding="utf-8"))
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
    views = [v for (v,) in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
    return {v: [c[0] for c in con.execute(f"DESCRIBE {v}").fetchall()] for v in views}


def test_every_view_column_is_documented():
    doc = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (v_\w+)\n(.*?)(?=^## |\Z)", doc, flags=re.S | re.M))
    for view, columns in _view_columns().items():
        assert view in sections, f"{view} has no section in docs/data-model.md"
        for column in columns:
            assert f"`{column}`" in sections[view], f"{view}.{column} is undocumented"


def test_every_template_column_is_documented():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for sheet in (*template.CATALOGUE_SHEETS, *template.WARD_SHEETS):
        assert f"`{sheet.name}`" in readme, sheet.name
        for column in sheet.columns:
            assert f"`{column.header}`" in readme, f"{sheet.name}: {column.header}"
