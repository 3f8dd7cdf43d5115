"""The ETL on the real bundled workbooks, and on broken copies of them.

Every bad-input case checks three things: the build fails, the message names
the file, sheet and cell with a Vietnamese reason, and the live database is
byte-for-byte what it was before.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import threading
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import load_workbook

from accounts.store import shell_user
from etl import build as build_module
from etl import ledger, load, parallel, read, submissions
from etl.__main__ import main as etl_main
from etl.build import build
from etl.normalise import Rows, stacked
from etl.problems import BuildFailed
from intake.template import report_template
from wardplan.reads.db import Database
from wardplan.reads.tables import TABLES
from wardplan.rules.settings import load_settings
from workbooks import (
    PHU_LIEN,
    column_of,
    digest,
    edit_workbook,
    filled_report,
    find_row,
    query,
)


def expect_failure(data_dir: Path, db: Path, *fragments: str) -> BuildFailed:
    before = digest(db)
    with pytest.raises(BuildFailed) as failure:
        build(data_dir, db)
    report = failure.value.report_vi()
    for fragment in fragments:
        assert fragment in report, report
    assert digest(db) == before, "a failed build must leave the live database unchanged"
    return failure.value


# --- the real workbooks ------------------------------------------------------

def test_bundled_workbooks_load_with_key_figures_from_the_documents(live_db: Path):
    targets = dict(query(live_db, "SELECT ward_code || ':' || indicator_code, target_value "
                                  "FROM v_targets"))
    assert targets["phu_lien:budget_revenue"] == 357450          # 000 Phụ lục I, dòng 1
    assert targets["phu_lien:health_insurance_coverage"] == 95.5
    assert targets["thuy_nguyen:budget_revenue"] == 578625       # '578,625 tỷ đồng'
    assert targets["phu_lien:budget_revenue_fees_charges"] == pytest.approx(0.002)  # '2.000 đồng'
    actuals = dict(query(live_db, "SELECT indicator_code || '@' || period, value FROM v_actuals "
                                  "WHERE ward_code = 'phu_lien'"))
    assert actuals["budget_revenue@2026-01"] == 20684
    assert actuals["budget_revenue@2026-Q1"] == 105879
    assert actuals["output_services@2026-01"] == 198920           # the copying slip, kept
    assert actuals["public_investment_disbursement@2026-Q1"] == 27.68
    assert query(live_db, "SELECT planned_value, origin FROM v_scenario WHERE ward_code='phu_lien' "
                          "AND indicator_code='budget_revenue' AND period='2026-03'") == [(30262, "official")]
    assert query(live_db, "SELECT value FROM v_baselines WHERE ward_code='phu_lien' "
                          "AND indicator_code='budget_revenue'") == [(26405,)]
    verdicts = dict(query(live_db, "SELECT indicator_code, ward_verdict FROM v_actuals "
                                   "WHERE ward_code='phu_lien' AND period='2026-Q1'"))
    assert verdicts["budget_revenue"] == "Vượt" and verdicts["health_insurance_coverage"] == "Đạt"


def test_counts_per_ward(live_db: Path):
    counts = {row[0]: row[1:] for row in query(live_db, """
        SELECT w.ward_code,
               (SELECT count(*) FROM v_targets t WHERE t.ward_code = w.ward_code),
               (SELECT count(*) FROM v_actuals a WHERE a.ward_code = w.ward_code),
               (SELECT count(*) FROM v_tasks k WHERE k.ward_code = w.ward_code),
               (SELECT count(*) FROM v_projects p WHERE p.ward_code = w.ward_code)
        FROM v_wards w""")}
    assert counts["phu_lien"] == (29, 77, 89, 41)
    assert counts["thuy_nguyen"][0] == 24 and counts["thuy_nguyen"][1:] == (0, 0, 0)
    assert counts["kien_an"][0] == 34 and counts["kien_an"][1:] == (0, 0, 0)


def test_every_row_is_traceable_to_its_source(live_db: Path):
    for view in ("v_targets", "v_actuals", "v_baselines", "v_statements", "v_tasks", "v_projects"):
        missing = query(live_db, f"SELECT count(*) FROM {view} WHERE source_ref IS NULL "
                                 "OR source_ref NOT LIKE '%[data/wards/%.xlsx › %!%]'")
        assert missing == [(0,)], view
    ref = query(live_db, "SELECT source_ref FROM v_actuals WHERE ward_code='phu_lien' "
                         "AND indicator_code='budget_revenue' AND period='2026-Q1'")[0][0]
    assert "103/BC-UBND" in ref and "Phụ lục 3" in ref


def test_load_records_each_file_hash(live_db: Path, data_dir: Path):
    files = dict(query(live_db, "SELECT file, sha256 FROM v_load_files"))
    assert files["data/wards/2026/phu_lien.xlsx"] == digest(data_dir / PHU_LIEN)
    assert set(files) == {"data/catalogue.xlsx", "data/wards/2026/phu_lien.xlsx",
                          "data/wards/2026/thuy_nguyen.xlsx", "data/wards/2026/kien_an.xlsx"}


def test_data_quality_findings_from_the_documents(live_db: Path):
    issues = query(live_db, "SELECT indicator_code, period, check_code, severity, message "
                            "FROM v_data_issues WHERE ward_code = 'phu_lien'")
    by_check = {(i[0], i[1], i[2]): i for i in issues}
    assert ("output_services", "2026-01", "same_figure") in by_check
    assert ("budget_revenue_other", "2026-01", "stated_pct_mismatch") in by_check
    assert "204%" in by_check[("budget_revenue_other", "2026-01", "stated_pct_mismatch")][4]
    assert by_check[("budget_revenue_fees_charges", "2026-01", "unit_slip")][3] == "error"
    assert "99,975%" in by_check[("admin_on_time", "2026-Q1", "stated_pct_mismatch")][4]
    assert ("social_insurance_coverage", "2026-Q1", "table_vs_text") in by_check
    assert ("budget_revenue", "2025", "implausible_baseline") in by_check
    assert by_check[("output_industry_construction", "2026-Q1", "table_vs_text_rounded")][3] == "info"


def test_building_twice_gives_the_same_content(data_dir: Path, tmp_path: Path):
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    build(data_dir, first)
    build(data_dir, second)
    tables = [t for (t,) in query(first, "SELECT table_name FROM information_schema.tables "
                                         "WHERE table_type = 'BASE TABLE'")]
    for table in tables:
        columns = "* EXCLUDE (loaded_at)" if table == "load_files" else "*"
        sql = f"SELECT {columns} FROM {table} ORDER BY ALL"
        assert query(first, sql) == query(second, sql), table


def test_rebuild_keeps_the_replaced_database(live_db: Path, data_dir: Path):
    before = digest(live_db)
    build(data_dir, live_db)
    previous = live_db.with_name("live.previous.duckdb")
    assert previous.exists() and digest(previous) == before



def test_a_sound_live_file_is_checked_once_and_a_damaged_one_again(live_db: Path,
                                                                     monkeypatch):
    """A file that passed its check is never written again, so a writer's second look at
    it skips the views; a file changed since (here damaged in place) is checked anew."""
    runs = []
    checked = load._problems
    monkeypatch.setattr(load, "_problems", lambda *a: runs.append(a[0]) or checked(*a))
    assert load.check_database(live_db) == [] and load.check_database(live_db) == []
    assert runs == [live_db]
    with live_db.open("r+b") as fh:
        fh.seek(5000)
        fh.write(b"\xff" * 20000)
    assert load.check_database(live_db) != []
    assert runs == [live_db, live_db]

# --- bad input -----------------------------------------------------------------

def test_corrupt_file(data_dir: Path, live_db: Path):
    (data_dir / PHU_LIEN).write_bytes(b"PK\x03\x04 this is not really a workbook")
    expect_failure(data_dir, live_db, "data/wards/2026/phu_lien.xlsx", "hỏng")


def test_not_an_xlsx(data_dir: Path, live_db: Path):
    (data_dir / PHU_LIEN).write_text("Mã chỉ tiêu,Giá trị\nbudget_revenue,357.450\n", encoding="utf-8")
    expect_failure(data_dir, live_db, "data/wards/2026/phu_lien.xlsx", "không phải là sổ tính Excel")


def test_encrypted_workbook(data_dir: Path, live_db: Path):
    path = data_dir / PHU_LIEN
    encrypted = io.BytesIO()
    with path.open("rb") as plain:
        OOXMLFile(plain).encrypt("mat-khau", encrypted)
    path.write_bytes(encrypted.getvalue())
    expect_failure(data_dir, live_db, "phu_lien.xlsx", "mật khẩu")


def test_missing_sheet(data_dir: Path, live_db: Path):
    wb = load_workbook(data_dir / PHU_LIEN)
    del wb["Chỉ tiêu"]
    wb.save(data_dir / PHU_LIEN)
    expect_failure(data_dir, live_db, "phu_lien.xlsx › Chỉ tiêu", "Thiếu trang 'Chỉ tiêu'")


def test_missing_column(data_dir: Path, live_db: Path):
    def drop_unit(ws):
        ws.cell(1, column_of(ws, "Đơn vị")).value = "Đơn vị tính (ghi chú)"
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", drop_unit)
    expect_failure(data_dir, live_db, "Thực hiện › dòng 1", "Thiếu cột bắt buộc 'Đơn vị'")


def test_unknown_ward(data_dir: Path, live_db: Path):
    def rename(ws):
        ws.cell(find_row(ws, **{"Mục": "Mã đơn vị"}), 2).value = "phu_lien_cu"
    edit_workbook(data_dir / PHU_LIEN, "Thông tin", rename)
    expect_failure(data_dir, live_db, "phu_lien.xlsx › Thông tin", "'phu_lien_cu' không có trong danh mục")


def test_unknown_indicator(data_dir: Path, live_db: Path):
    def rename(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-Q1"})
        ws.cell(row, column_of(ws, "Mã chỉ tiêu")).value = "budget_revenu"
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", rename)
    failure = expect_failure(data_dir, live_db, "Mã chỉ tiêu 'budget_revenu' không có trong danh mục")
    assert failure.problems[0].cell.startswith("A")


def test_text_in_a_number_cell(data_dir: Path, live_db: Path):
    def as_text(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue"})
        ws.cell(row, column_of(ws, "Giá trị")).value = "357.450"
    edit_workbook(data_dir / PHU_LIEN, "Chỉ tiêu", as_text)
    expect_failure(data_dir, live_db, "phu_lien.xlsx › Chỉ tiêu › F2",
                   "phải là số, nhưng ô chứa chữ '357.450'", "Nếu ý là 357.450")


def test_number_in_the_wrong_convention_changes_magnitude(data_dir: Path, live_db: Path):
    def shrink(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue"})
        ws.cell(row, column_of(ws, "Giá trị")).value = 357.45
    edit_workbook(data_dir / PHU_LIEN, "Chỉ tiêu", shrink)
    expect_failure(data_dir, live_db, "Chỉ tiêu › F2", "không khớp với nguyên văn '357.450'",
                   "= 357.450 theo quy ước số 'vi'")


def test_wrong_unit(data_dir: Path, live_db: Path):
    def percent(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-01"})
        ws.cell(row, column_of(ws, "Đơn vị")).value = "%"
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", percent)
    expect_failure(data_dir, live_db, "Thực hiện", "Đơn vị '%' không phù hợp")


def test_duplicate_row(data_dir: Path, live_db: Path):
    def duplicate(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-Q1"})
        ws.append([c.value for c in ws[row]])
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", duplicate)
    expect_failure(data_dir, live_db, "Trùng dòng", "budget_revenue / 2026-Q1")


def test_period_outside_2026(data_dir: Path, live_db: Path):
    def last_year(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-03"})
        ws.cell(row, column_of(ws, "Kỳ")).value = "2025-03"
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", last_year)
    expect_failure(data_dir, live_db, "nằm ngoài năm kế hoạch 2026")


def test_formula_without_cached_value(data_dir: Path, live_db: Path):
    def formula(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-Q1"})
        ws.cell(row, column_of(ws, "Giá trị")).value = "=20684+54933+30262"
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", formula)
    expect_failure(data_dir, live_db, "phu_lien.xlsx", "công thức chưa có giá trị tính sẵn")


def test_oversized_file(data_dir: Path, live_db: Path):
    with zipfile.ZipFile(data_dir / PHU_LIEN, "a", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/photo.bin", os.urandom(read.MAX_FILE_BYTES + 1))
    expect_failure(data_dir, live_db, "phu_lien.xlsx", "Tệp quá lớn")


def test_zip_bomb(data_dir: Path, live_db: Path):
    path = data_dir / PHU_LIEN
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (150 * 1024 * 1024))
    expect_failure(data_dir, live_db, "phu_lien.xlsx", "nghi là tệp nén độc hại")


def test_every_problem_is_reported_in_one_pass(data_dir: Path, live_db: Path):
    def two_mistakes(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-01"})
        ws.cell(row, column_of(ws, "Giá trị")).value = "hai mươi nghìn"
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_expenditure", "Kỳ": "2026-01"})
        ws.cell(row, column_of(ws, "Kỳ")).value = "2027-01"
    edit_workbook(data_dir / PHU_LIEN, "Thực hiện", two_mistakes)
    failure = expect_failure(data_dir, live_db, "hai mươi nghìn", "2027-01")
    assert len(failure.problems) == 2


def test_command_line_exit_codes(data_dir: Path, live_db: Path, capsys):
    assert etl_main(["build", "--data", str(data_dir), "--db", str(live_db)]) == 0
    (data_dir / PHU_LIEN).write_bytes(b"garbage")
    before = digest(live_db)
    assert etl_main(["build", "--data", str(data_dir), "--db", str(live_db)]) == 1
    err = capsys.readouterr().err
    assert "Không nạp dữ liệu" in err and "Cơ sở dữ liệu hiện tại được giữ nguyên" in err
    assert digest(live_db) == before


# --- a ward's new workbook ------------------------------------------------------

def test_import_keeps_both_workbooks_and_every_value(data_dir: Path, live_db: Path,
                                                     tmp_path: Path):
    new = tmp_path / "bao_cao_moi.xlsx"
    shutil.copy2(data_dir / PHU_LIEN, new)
    def revise(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-Q1"})
        ws.cell(row, column_of(ws, "Giá trị")).value = 105880
        ws.cell(row, column_of(ws, "Nguyên văn")).value = "105,880"
    edit_workbook(new, "Thực hiện", revise)
    original = digest(data_dir / PHU_LIEN)
    assert etl_main(["import", str(new), "--data", str(data_dir), "--db", str(live_db)]) == 0
    assert digest(data_dir / PHU_LIEN) == original, "the bundled workbook is never rewritten"
    folder = ledger.submissions_dir(data_dir)
    [entry] = ledger.read(folder)
    assert (entry.kind, entry.ward_code, entry.submitted_by) == (
        ledger.WORKBOOK, "phu_lien", shell_user().username)
    assert digest(ledger.stored_file(entry.sha256, folder)) == digest(new)
    assert query(live_db, "SELECT value FROM v_actuals WHERE ward_code='phu_lien' AND "
                          "indicator_code='budget_revenue' AND period='2026-Q1'") == [(105880,)]
    # Both values stay: the bundled workbook's (no submission) and the new one's.
    assert query(live_db, "SELECT value, previous_value, submission_id FROM v_revisions WHERE "
                          "ward_code='phu_lien' AND indicator_code='budget_revenue' AND "
                          "period='2026-Q1' ORDER BY submission_id NULLS FIRST") == [
        (105879, None, None), (105880, 105879, 1)]


def test_import_of_a_bad_workbook_changes_nothing(data_dir: Path, live_db: Path, tmp_path: Path,
                                                  capsys):
    new = tmp_path / "bao_cao_loi.xlsx"
    shutil.copy2(data_dir / PHU_LIEN, new)
    def break_it(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-Q1"})
        ws.cell(row, column_of(ws, "Giá trị")).value = "105.879 triệu"
    edit_workbook(new, "Thực hiện", break_it)
    before_data, before_db = digest(data_dir / PHU_LIEN), digest(live_db)
    assert etl_main(["import", str(new), "--data", str(data_dir), "--db", str(live_db)]) == 1
    assert "bao_cao_loi.xlsx › Thực hiện" in capsys.readouterr().err
    assert digest(data_dir / PHU_LIEN) == before_data and digest(live_db) == before_db
    assert ledger.read(ledger.submissions_dir(data_dir)) == []


def forked(monkeypatch) -> list:
    """The command line's conditions for the forked pools (one thread, two cores), and the
    pools made, for a test to see that one was used."""
    pools = []

    class Pool(parallel.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1})
    return pools


def test_workbooks_rows_stack_into_one_frame_with_one_type_a_column():
    """Each workbook's rows are columns until the city's are stacked: a figure one ward
    left empty and another gave is one float column, text one str column, a column no
    row has is empty, and the rows keep their order."""
    first = Rows.of("statements", [{"ward_code": "a", "value": None, "text": "x"}])
    second = Rows.of("statements", [{"ward_code": "b", "value": 2.5, "text": None},
                                    {"ward_code": "b", "value": 3, "text": "z"}])
    frame = stacked([first, Rows.of("statements", []), second])

    assert (len(first), len(second)) == (1, 2)
    assert list(frame.columns) == list(TABLES["statements"])
    assert frame["ward_code"].tolist() == ["a", "b", "b"]
    assert frame["value"].dtype == "float64" and frame["value"].isna().tolist() == [True, False, False]
    assert pd.api.types.is_string_dtype(frame["text"]) and frame["text"].iloc[2] == "z"
    assert frame["numerator"].isna().all()


def test_many_workbooks_read_in_several_processes_give_what_one_process_gives(
        tmp_path, monkeypatch):
    """A city's workbooks are read by a pool of forked processes from the command line:
    the same wards, files and problems, in the same order, as read one by one."""
    from bench import synthetic

    data = tmp_path / "data"
    synthetic.write(data, units=20)
    broken = sorted((data / "wards" / "2026").glob("*.xlsx"))[5]
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    catalogue = build_module.read_catalogue(data)
    files, _ = build_module.ward_files(data)
    one_by_one = [build_module._check_workbook(f, catalogue) for f in files]
    pools = forked(monkeypatch)
    pooled = build_module._checked_workbooks(files, catalogue)

    assert pools, "the pool was not used"
    assert [o.problems for o in pooled] == [o.problems for o in one_by_one]
    assert any(o.problems for o in pooled) and pooled[5].ward is None
    assert [o.file for o in pooled] == [o.file for o in one_by_one]
    for mine, theirs in zip(pooled, one_by_one, strict=True):
        if theirs.ward is None:
            continue
        for table in ("targets", "actuals", "statements", "scenario", "tasks", "projects"):
            pd.testing.assert_frame_equal(stacked([getattr(mine.ward, table)]),
                                          stacked([getattr(theirs.ward, table)]))


def test_a_citys_rules_run_in_shares_of_its_wards_give_what_one_process_gives(
        tmp_path, monkeypatch):
    """After reading, the scenario, checks and statuses of a city are worked out by forked
    processes, a share of the wards each: every table comes out as one process makes it,
    row for row, in the same order and with the same column types, over two plan years."""
    from test_plan_years import synthetic_2027

    from bench import synthetic

    data = tmp_path / "data"
    synthetic.write(data, units=20)
    plans = sorted((data / "wards" / "2026").glob("*.xlsx"))
    for plan in (plans[1], plans[-2]):  # two units in different shares
        synthetic_2027(plan, data / "wards" / "2027" / plan.name)
    found = build_module.inputs(data, [])
    assert {w.plan_year for w in found.checked.wards} == {2026, 2027}
    settings = load_settings()
    with monkeypatch.context() as serial:
        serial.setattr(parallel, "PARALLEL_FROM", 10_000)
        one_process = build_module.derive_tables(found, settings)
    shares = []
    rules = build_module._ward_rules
    monkeypatch.setattr(build_module, "_ward_rules",
                        lambda codes, **kw: shares.append(codes) or rules(codes, **kw))
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    pools = forked(monkeypatch)
    in_shares = build_module.derive_tables(found, settings)

    assert pools, "the pool was not used"
    assert not shares, "the shares were worked out here, not in the forked processes"
    assert not one_process["data_issues"].empty and len(one_process["status"]) > 1000
    assert in_shares.keys() == one_process.keys()
    for name, frame in one_process.items():
        if name not in ("load_files",):  # its loaded_at is the moment of each
            pd.testing.assert_frame_equal(in_shares[name], frame, check_exact=True, obj=name)


def test_shares_are_consecutive_and_in_order(monkeypatch):
    items = list(range(37))
    few = items[:parallel.PARALLEL_FROM - 1]
    assert parallel.forked_shares(list, few) == [few]  # here, all at once
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    forked(monkeypatch)
    shares = parallel.forked_shares(list, items)
    assert len(shares) == 4 and [i for share in shares for i in share] == items


def test_many_reports_read_in_several_processes_give_what_one_process_gives(
        data_dir: Path, live_db: Path, monkeypatch):
    """A city's year of reports (more than a thousand files) is read by the same pool: the
    same reports in the same order, and every problem of every report that does not read."""
    folder = ledger.submissions_dir(data_dir)
    entries: list[ledger.Entry] = []
    for period in [f"2026-{month:02d}" for month in range(1, 7)]:
        for ward in ("phu_lien", "thuy_nguyen", "kien_an"):
            figures = {"budget_revenue": 1000 + len(entries)}
            content = filled_report(report_template(Database(live_db), ward, period), figures)
            entries.append(ledger.next_entry(
                entries, kind=ledger.REPORT, ward_code=ward, plan_year=2026, period=period,
                submitted_by="test", outcome=ledger.ACCEPTED,
                sha256=ledger.store(content, folder), file_name=f"bc_{ward}_{period}.xlsx",
                message=""))
    catalogue = build_module.read_catalogue(data_dir)

    def locate(entry: ledger.Entry) -> Path:
        return ledger.stored_file(entry.sha256, folder)
    with monkeypatch.context() as serial:
        serial.setattr(parallel, "PARALLEL_FROM", len(entries) + 1)
        one_by_one = submissions.reports(entries, catalogue, locate)
    pools = forked(monkeypatch)
    pooled = submissions.reports(entries, catalogue, locate)

    assert pools, "the pool was not used"
    assert [e for e, _ in pooled] == [e for e, _ in one_by_one] == entries
    for (_, mine), (_, theirs) in zip(pooled, one_by_one, strict=True):
        assert (mine.ward_code, mine.period, mine.source) == \
            (theirs.ward_code, theirs.period, theirs.source)
        pd.testing.assert_frame_equal(stacked([mine.actuals]), stacked([theirs.actuals]))
    for broken in (entries[3], entries[11]):
        locate(broken).write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(BuildFailed) as failed:
        submissions.reports(entries, catalogue, locate)
    assert [p.file for p in failed.value.problems] == [
        submissions.file_name(entries[3]), submissions.file_name(entries[11])]


def test_workbooks_are_read_in_this_process_when_it_has_other_threads(data_dir, monkeypatch):
    """A server has other threads, and a forked child only the one that forked."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 3)
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", None)  # would fail if used
    catalogue = build_module.read_catalogue(data_dir)
    files, _ = build_module.ward_files(data_dir)
    assert all(o.ward is not None for o in build_module._checked_workbooks(files, catalogue))


def test_each_look_at_the_live_file_sees_it_as_it_is_now(tmp_path: Path):
    """The looks share one scratch database (making one costs 10 ms): each still reads the
    file as it is at that moment, an older look keeps its own, and threads look at once."""
    def database(path: Path, value: int) -> Path:
        with duckdb.connect(str(path)) as con:
            con.execute(f"CREATE TABLE t AS SELECT {value} AS x")
        return path

    live = database(tmp_path / "live.duckdb", 1)
    with load.reading(live) as older:
        os.replace(database(tmp_path / "new.duckdb", 2), live)
        with load.reading(live) as newer:
            assert newer.execute("SELECT x FROM t").fetchone() == (2,)
        assert older.execute("SELECT x FROM t").fetchone() == (1,)
    seen, errors = set(), []

    def look() -> None:
        try:
            for _ in range(40):
                with load.reading(live) as con:
                    seen.add(con.execute("SELECT x FROM t").fetchone()[0])
        except Exception as exc:  # noqa: BLE001 (any failure of any thread fails the test)
            errors.append(exc)
    threads = [threading.Thread(target=look) for _ in range(6)]
    for thread in threads:
        thread.start()
    for value in range(3, 8):
        os.replace(database(tmp_path / f"new{value}.duckdb", value), live)
    for thread in threads:
        thread.join()
    assert not errors
    with load.reading(live) as con:
        assert con.execute("SELECT x FROM t").fetchone() == (7,)
        # Every earlier look was detached: the scratch database and this one are left.
        assert con.execute("SELECT count(*) FROM duckdb_databases() "
                           "WHERE NOT internal").fetchone() == (2,)


@pytest.mark.parametrize("leaves", ["an error", "a transaction", "an aborted transaction",
                                    "its cursor closed"])
def test_a_look_is_detached_whatever_it_leaves_and_its_own_error_stands(tmp_path: Path, leaves):
    live = tmp_path / "live.duckdb"
    with duckdb.connect(str(live)) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS x")

    def attached() -> int:
        with load.reading(live) as con:  # itself one
            return con.execute("SELECT count(*) FROM duckdb_databases() "
                               "WHERE NOT internal").fetchone()[0] - 1

    before = attached()
    with pytest.raises(Exception) if leaves in ("an error", "an aborted transaction") \
            else contextlib.nullcontext() as raised:
        with load.reading(live) as con:
            if "transaction" in leaves:
                con.execute("BEGIN")
            if leaves == "an aborted transaction":
                con.execute("SELECT * FROM no_such_table")
            if leaves == "an error":
                raise ValueError("the look's own error")
            if leaves == "its cursor closed":
                con.close()
    assert attached() == before
    if leaves == "an error":
        assert raised.value.args == ("the look's own error",)
    if leaves == "an aborted transaction":
        assert "no_such_table" in str(raised.value)
