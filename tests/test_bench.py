"""The benchmarks' synthetic city stays a data set the ETL accepts (benchmarks are not
run in CI; this keeps them from rotting, as the old bench_etl.py did when workbooks
moved to wards/<plan year>/)."""

from __future__ import annotations

from collections import Counter

import duckdb

from bench import synthetic
from bench.measure import Figure, Target
from etl.build import build


def test_synthetic_city_builds_and_is_labelled(tmp_path):
    units = synthetic.write(tmp_path / "data", units=12)
    assert len(units) == 9  # plus the three bundled wards
    assert {u.kind for u in units} == {"Phường", "Xã", "Đặc khu"}
    assert {u.reporting for u in synthetic.plan(114, [("a", "Phường")])} == {"full", "january", "none"}
    for unit in units:
        assert (tmp_path / "data" / "wards" / "2026" / f"{unit.code}.xlsx").exists()
    db = tmp_path / "city.duckdb"
    build(tmp_path / "data", db)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT ward_code, name_vi, unit_type_vi FROM v_wards").fetchall()
    assert len(rows) == 12
    for code, name, _ in rows:
        assert code.startswith("synthetic_") == (synthetic.LABEL in name)
    kinds = Counter(kind for _, _, kind in rows)
    assert kinds["Đặc khu"] >= 1 and kinds["Xã"] >= 1
    titles = con.execute("SELECT DISTINCT title_vi FROM v_sources WHERE ward_code LIKE 'synthetic_%'"
                         ).fetchall()
    assert titles and all(t.startswith(synthetic.SOURCE_LABEL) for (t,) in titles)


def test_synthetic_full_reporters_differ_from_their_template(tmp_path):
    units = synthetic.write(tmp_path / "data", units=20)
    db = tmp_path / "city.duckdb"
    build(tmp_path / "data", db)
    con = duckdb.connect(str(db), read_only=True)
    full = [u.code for u in units if u.reporting == "full" and u.factor != 1]
    values = dict(con.execute(
        "SELECT ward_code, value FROM v_actuals WHERE indicator_code = 'budget_revenue' "
        "AND period = '2026-01'").fetchall())
    assert full and all(values[code] != values["phu_lien"] for code in full)


def test_figures_print_median_range_and_verdict():
    figure = Figure([0.2, 0.04, 0.05])
    assert figure.show() == "50 ms [40–200 ms] (n=3)"
    assert Target(0.050).verdict(figure) == "ok"
    assert Target(0.030).verdict(figure) == "MISS"


def test_every_benchmarked_page_exists():
    from bench import pages
    from bench.measure import ROOT

    for label, page, _ in pages.CASES:
        assert (ROOT / page).is_file(), label


def test_a_synthetic_year_of_reports_builds_and_is_labelled(tmp_path):
    """The year-end benchmark's ledger: a report a month from every unit with a plan, each
    one the ETL accepts and each labelled as synthetic."""
    synthetic.write(tmp_path / "data", units=6)
    db = tmp_path / "city.duckdb"
    build(tmp_path / "data", db)
    count = synthetic.write_reports(tmp_path / "data", db, months=("2026-02", "2026-03"))
    build(tmp_path / "data", db)
    con = duckdb.connect(str(db), read_only=True)
    planned = con.execute("SELECT count(DISTINCT ward_code) FROM v_targets").fetchone()[0]
    assert count == 2 * planned
    assert con.execute("SELECT count(*), count(DISTINCT period) FROM v_submissions "
                       "WHERE outcome = 'accepted'").fetchone() == (count, 2)
    titles = con.execute("SELECT DISTINCT title_vi FROM v_sources WHERE source_code LIKE 'NOP-%'"
                         ).fetchall()
    assert titles and all(synthetic.SOURCE_LABEL in t for (t,) in titles)
    reported = con.execute("SELECT count(DISTINCT ward_code) FROM v_actuals "
                           "WHERE source_ref LIKE '%nộp #%' AND period = '2026-03'").fetchone()[0]
    assert reported == planned


def test_the_year_end_pages_are_benchmarked_pages():
    from bench import pages

    assert set(pages.YEAR_END_CASES) <= {label for label, _, _ in pages.CASES}


def test_the_rebuild_steps_are_timed_in_order_and_build_what_etl_build_builds(tmp_path):
    """bench.steps runs etl.build.rebuild's steps, with forked workers and without (20
    units: enough files to fork), times each as bench.etl's table names them, and makes
    the database `etl build` makes: the steps it times are still the build's."""
    import json
    import subprocess
    import sys

    from bench.etl import STEPS
    from bench.measure import ROOT
    from dbcompare import differences

    synthetic.write(tmp_path / "data", units=20)
    built = tmp_path / "built.duckdb"
    build(tmp_path / "data", built)
    for mode in ("forked", "one"):
        db, out = tmp_path / f"{mode}.duckdb", tmp_path / f"{mode}.json"
        subprocess.run([sys.executable, "-m", "bench.steps", str(tmp_path / "data"), str(db),
                        str(out), mode], cwd=ROOT, check=True, capture_output=True)
        steps = json.loads(out.read_text())
        assert list(steps) == [name for name, _ in STEPS]
        assert all(s["wall"] > 0 and s["cpu"] >= 0 for s in steps.values())
        assert steps["read"]["cpu"] > 0  # twenty workbooks read, here or in the workers
        assert differences(built, db) == []
