"""Submissions: roles on the server, the ledger's rules, supersede, revert, history, and a
one-ward publish that equals a whole rebuild.

Real workbooks throughout: the bundled data copied per test, the report template the
page offers, filled in with openpyxl as a ward's staff would.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from unittest.mock import ANY

import duckdb
import pandas as pd
import pytest

from accounts.store import ADMIN, EDITOR, VIEWER, PermissionDenied, User
from etl import build as etl_build
from etl import ledger
from etl import read as etl_read
from etl.build import build
from etl.load import same_schema
from etl.problems import BuildFailed
from intake import submit
from intake.template import report_template
from wardplan.reads.db import Database
from workbooks import PHU_LIEN, column_of, digest, edit_workbook, filled_report, find_row, query

EDITOR_PL = User("pl_editor", EDITOR, ("phu_lien",))
EDITOR_KA = User("ka_editor", EDITOR, ("kien_an",))
VIEWER_1 = User("viewer1", VIEWER)
ADMIN_1 = User("admin1", ADMIN)


@pytest.fixture
def live(data_dir: Path, tmp_path: Path) -> Path:
    db = tmp_path / "live.duckdb"
    build(data_dir, db)
    return db


def april_report(db: Path, revenue: float, **kwargs) -> submit.Upload:
    template = report_template(Database(db), "phu_lien", "2026-04")
    return submit.Upload("bao_cao_t4.xlsx", filled_report(template, {"budget_revenue": revenue},
                                                          **kwargs))


def april_revenue(db: Path) -> list:
    return query(db, "SELECT value FROM v_actuals WHERE ward_code = 'phu_lien' AND "
                     "indicator_code = 'budget_revenue' AND period = '2026-04'")


def folder(data_dir: Path) -> Path:
    return ledger.submissions_dir(data_dir)


# --- roles -------------------------------------------------------------------------

def test_roles_decide_who_submits_for_which_ward():
    assert EDITOR_PL.can_submit("phu_lien") and not EDITOR_PL.can_submit("kien_an")
    assert ADMIN_1.can_submit("kien_an") and ADMIN_1.can_write
    assert not VIEWER_1.can_submit("phu_lien") and not VIEWER_1.can_write
    assert not User("x", EDITOR, ()).can_write  # an editor bound to no ward writes nothing


@pytest.mark.parametrize("user", [None, VIEWER_1, EDITOR_KA], ids=["nobody", "viewer", "other"])
def test_the_server_refuses_a_writer_without_the_role(user, data_dir: Path, live: Path):
    before = digest(live)
    upload = april_report(live, 30000)
    with pytest.raises(PermissionDenied):
        submit.check(upload, user, data_dir, live)
    with pytest.raises(PermissionDenied):
        submit.publish(upload, user, data_dir, live)
    assert digest(live) == before and ledger.read(folder(data_dir)) == []
    refused = ledger.read(folder(data_dir), ledger.REFUSED_FILE)
    assert [e.outcome for e in refused] == [ledger.REFUSED] * 2  # kept for the audit
    assert refused[0].submitted_by == (user.username if user else "(chưa đăng nhập)")


def test_only_an_admin_reverts(data_dir: Path, live: Path):
    submit.publish(april_report(live, 30000), EDITOR_PL, data_dir, live)
    with pytest.raises(PermissionDenied):
        submit.revert(1, EDITOR_PL, "nhầm", data_dir, live)
    assert april_revenue(live) == [(30000,)]


# --- the ledger's rules (pure) -------------------------------------------------------

def entry(id_: int, kind: str = ledger.REPORT, ward: str = "phu_lien", reverts=None):
    return ledger.Entry(id_, kind, ward, 2026, None, "u", "2026-05-01T00:00:00+00:00",
                        ledger.ACCEPTED, None if kind == ledger.REVERT else f"{id_:064d}",
                        "f.xlsx", "", reverts)


def test_in_force_drops_reverted_and_reports_older_than_a_later_workbook():
    entries = [entry(1), entry(2, ledger.WORKBOOK), entry(3), entry(4), entry(5, ledger.REVERT,
               reverts=4), entry(6, ward="kien_an")]
    assert [e.id for e in ledger.in_force(entries)] == [2, 3, 6]
    assert [e.id for e in ledger.accepted(entries)] == [1, 2, 3, 6]


def test_reverting_a_revert_or_twice_is_refused():
    entries = [entry(1), entry(2, ledger.REVERT, reverts=1)]
    with pytest.raises(ledger.LedgerError):
        ledger.revertible(entries, 1)
    with pytest.raises(ledger.LedgerError):
        ledger.revertible(entries, 2)
    with pytest.raises(ledger.LedgerError):
        ledger.revertible(entries, 9)


def test_numbers_follow_the_ledger_not_the_refusals(tmp_path: Path):
    ledger.append(entry(1), tmp_path)
    ledger.note_refusal(entry(0), tmp_path)
    assert ledger.next_entry(ledger.read_all(tmp_path), kind=ledger.REPORT, ward_code="x",
                             plan_year=2026, period=None, submitted_by="u",
                             outcome=ledger.ACCEPTED, sha256=None, file_name="f",
                             message="").id == 2


# --- supersede, revert, history ------------------------------------------------------

def test_a_later_report_supersedes_and_the_earlier_stays_in_the_history(data_dir: Path,
                                                                         live: Path):
    first = submit.publish(april_report(live, 30000), EDITOR_PL, data_dir, live)
    assert first.preview.changes[["change", "indicator_code", "period", "new_value"]].values.tolist() \
        == [["added", "budget_revenue", "2026-04", 30000.0]]
    second_preview = submit.check(april_report(live, 31500), EDITOR_PL, data_dir, live)
    [change] = second_preview.changes.to_dict("records")
    assert (change["change"], change["old_value"], change["new_value"]) == ("changed", 30000, 31500)
    assert change["diff_pct"] == pytest.approx(5.0)
    submit.publish(second_preview.upload, EDITOR_PL, data_dir, live)
    assert april_revenue(live) == [(31500,)]
    assert query(live, "SELECT value, previous_value, submission_id, submitted_by FROM v_revisions "
                       "WHERE ward_code = 'phu_lien' AND indicator_code = 'budget_revenue' AND "
                       "period = '2026-04' ORDER BY submission_id") == [
        (30000, None, 1, "pl_editor"), (31500, 30000, 2, "pl_editor")]
    ref = query(live, "SELECT source_ref FROM v_actuals WHERE ward_code = 'phu_lien' AND "
                      "indicator_code = 'budget_revenue' AND period = '2026-04'")[0][0]
    assert "số 150/BC-UBND ngày 08/05/2026" in ref and "nộp #2 (bao_cao_t4.xlsx) › Báo cáo!" in ref
    assert query(live, "SELECT submission_id, outcome, submitted_by, sha256 FROM v_submissions "
                       "ORDER BY submission_id") == [
        (1, "accepted", "pl_editor", first.entry.sha256),
        (2, "accepted", "pl_editor", second_preview.upload.sha256)]
    # Each accepted file is kept, unchanged, under its hash.
    for upload_sha in (first.entry.sha256, second_preview.upload.sha256):
        assert digest(ledger.stored_file(upload_sha, folder(data_dir))) == upload_sha


def test_a_revert_brings_back_the_figure_before_and_is_recorded(data_dir: Path, live: Path):
    submit.publish(april_report(live, 30000), EDITOR_PL, data_dir, live)
    submit.publish(april_report(live, 31500), EDITOR_PL, data_dir, live)
    done = submit.revert(2, ADMIN_1, "Phường báo nhầm số", data_dir, live)
    assert done.entry.kind == ledger.REVERT and done.entry.reverts == 2
    assert april_revenue(live) == [(30000,)]
    assert query(live, "SELECT submission_id, kind, outcome, reverts, reverted_by, message FROM "
                       "v_submissions ORDER BY submission_id") == [
        (1, "report", "accepted", None, None, "Nộp báo cáo Tháng 4/2026"),
        (2, "report", "reverted", None, 3, "Nộp báo cáo Tháng 4/2026"),
        (3, "revert", "accepted", 2, None, "Phường báo nhầm số")]
    # The figure's history keeps the value that was reverted, and the revert itself.
    assert query(live, "SELECT value, previous_value, submission_id, submitted_by, source_ref "
                       "FROM v_revisions WHERE ward_code = 'phu_lien' AND indicator_code = "
                       "'budget_revenue' AND period = '2026-04' ORDER BY submission_id") == [
        (30000, None, 1, "pl_editor", ANY), (31500, 30000, 2, "pl_editor", ANY),
        (30000, 31500, 3, "admin1", "Hủy lần nộp #2: Phường báo nhầm số")]
    with pytest.raises(ledger.LedgerError):
        submit.revert(2, ADMIN_1, "lần nữa", data_dir, live)


def test_reverting_the_only_report_of_a_figure_leaves_it_empty_in_the_history(
        data_dir: Path, live: Path):
    submit.publish(april_report(live, 30000), EDITOR_PL, data_dir, live)
    submit.revert(1, ADMIN_1, "Nộp nhầm kỳ", data_dir, live)
    assert april_revenue(live) == []
    history = query(live, "SELECT value, previous_value, submission_id FROM v_revisions WHERE "
                          "ward_code = 'phu_lien' AND indicator_code = 'budget_revenue' AND "
                          "period = '2026-04' ORDER BY submission_id")
    assert history[0] == (30000, None, 1)
    assert history[1][1:] == (30000, 2) and history[1][0] is None
    # As a whole rebuild makes it.
    rebuilt = data_dir.parent / "rebuilt.duckdb"
    build(data_dir, rebuilt)
    assert sorted(query(rebuilt, "SELECT * FROM v_revisions"), key=repr) == \
        sorted(query(live, "SELECT * FROM v_revisions"), key=repr)


def test_the_same_file_twice_is_nothing_new(data_dir: Path, live: Path):
    upload = april_report(live, 30000)
    submit.publish(upload, EDITOR_PL, data_dir, live)
    with pytest.raises(BuildFailed, match="1 problem"):
        submit.publish(upload, EDITOR_PL, data_dir, live)
    assert len(ledger.read(folder(data_dir))) == 1


def test_a_broken_report_names_every_cell_and_changes_nothing(data_dir: Path, live: Path):
    template = report_template(Database(live), "phu_lien", "2026-04")
    broken = filled_report(template, {"budget_revenue": 30000, "budget_expenditure": "21 tỷ"},
                           texts={"budget_revenue": "35.000"})
    upload = submit.Upload("bao_cao_loi.xlsx", broken)
    before = digest(live)
    with pytest.raises(BuildFailed) as refused:
        submit.check(upload, EDITOR_PL, data_dir, live)
    problems = {(p.file, p.sheet, p.cell): p.reason_vi for p in refused.value.problems}
    # Every problem, each at its cell: the figure against its text, a word in a number cell.
    assert "không khớp với nguyên văn '35.000'" in problems[("bao_cao_loi.xlsx", "Báo cáo", "F2")]
    [(_, _, other)] = [key for key in problems if key[2] != "F2"]
    assert other.startswith("F") and "phải là số, nhưng ô chứa chữ '21 tỷ'" in problems[
        ("bao_cao_loi.xlsx", "Báo cáo", other)]
    with pytest.raises(BuildFailed):
        submit.publish(upload, EDITOR_PL, data_dir, live)
    assert digest(live) == before and ledger.read(folder(data_dir)) == []
    assert not list(folder(data_dir).glob("*.xlsx")), "a refused file is not stored"


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "Tệp rỗng"), (b"not a zip at all", "không phải là sổ tính Excel"),
    (b"PK\x03\x04" + b"\0" * (submit.MAX_BYTES + 1), "vượt giới hạn")])
def test_size_and_type_are_checked_on_the_server(content: bytes, reason: str, data_dir: Path,
                                                 live: Path):
    with pytest.raises(BuildFailed) as refused:
        submit.check(submit.Upload("x.xlsx", content), EDITOR_PL, data_dir, live)
    assert reason in refused.value.problems[0].reason_vi


def test_a_whole_workbook_submitted_replaces_the_bundled_one_in_force(data_dir: Path, live: Path,
                                                                      tmp_path: Path):
    new = tmp_path / "phu_lien_moi.xlsx"
    new.write_bytes((data_dir / PHU_LIEN).read_bytes())

    def revise(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-Q1"})
        ws.cell(row, column_of(ws, "Giá trị")).value = 106000
        ws.cell(row, column_of(ws, "Nguyên văn")).value = "106,000"
    edit_workbook(new, "Thực hiện", revise)
    published = submit.publish(submit.upload_from_path(new), EDITOR_PL, data_dir, live)
    assert published.entry.kind == ledger.WORKBOOK and published.entry.period is None
    assert query(live, "SELECT file FROM v_load_files WHERE ward_code = 'phu_lien'") == [
        ("nộp #1 (phu_lien_moi.xlsx)",)]


def revised_workbook(data_dir: Path, folder: Path, revenue_q1: int) -> submit.Upload:
    new = folder / f"phu_lien_{revenue_q1}.xlsx"
    new.write_bytes((data_dir / PHU_LIEN).read_bytes())

    def revise(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-Q1"})
        ws.cell(row, column_of(ws, "Giá trị")).value = revenue_q1
        ws.cell(row, column_of(ws, "Nguyên văn")).value = f"{revenue_q1:,}"
    edit_workbook(new, "Thực hiện", revise)
    return submit.upload_from_path(new)


def test_a_superseded_workbook_is_read_once_per_process(data_dir: Path, live: Path,
                                                        tmp_path: Path, monkeypatch):
    """Its figures stay in the history, but a ward resubmitting every month must not make
    each check and publish re-read every earlier file."""
    for revenue in (106000, 107000):
        submit.publish(revised_workbook(data_dir, tmp_path, revenue), EDITOR_PL, data_dir, live)
    build_module = sys.modules["etl.build"]
    read, reads = build_module.read_workbook, []
    monkeypatch.setattr(build_module, "read_workbook",
                        lambda path, *sheets: reads.append(path.name) or read(path, *sheets))
    latest = revised_workbook(data_dir, tmp_path, 108000)
    submit.check(latest, EDITOR_PL, data_dir, live)
    submit.publish(latest, EDITOR_PL, data_dir, live)
    superseded = [name for name in reads if name not in ("catalogue.xlsx", "upload.xlsx")]
    assert len(superseded) == len(set(superseded)), reads
    history = query(live, "SELECT count(*) FROM v_revisions WHERE ward_code = 'phu_lien' AND "
                          "indicator_code = 'budget_revenue' AND period = '2026-Q1'")
    assert history == [(4,)]  # the bundled figure and three submissions


def test_a_report_in_force_is_read_once_per_process_and_again_for_a_new_catalogue(
        data_dir: Path, live: Path, monkeypatch):
    """By December a ward's check and publish each stood on a dozen reports in force: each
    is read once per process, and again when the catalogue it is read against changes."""
    for revenue in (30000, 31000):
        submit.publish(april_report(live, revenue), EDITOR_PL, data_dir, live)
    reports_module = sys.modules["etl.submissions"]
    parse, parsed = reports_module.parse_report, []
    monkeypatch.setattr(reports_module, "parse_report",
                        lambda path, name, *rest: parsed.append(name) or parse(path, name, *rest))
    latest = april_report(live, 32000)
    submit.check(latest, EDITOR_PL, data_dir, live)
    submit.publish(latest, EDITOR_PL, data_dir, live)
    assert sorted(parsed) == ["nộp #3 (bao_cao_t4.xlsx)"]  # the new one, once; #1 and #2 kept
    assert april_revenue(live) == [(32000,)]
    def annotate(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue"})
        ws.cell(row, column_of(ws, "Ghi chú")).value = "Ghi chú mới"
    edit_workbook(data_dir / "catalogue.xlsx", "Chỉ tiêu", annotate)
    parsed.clear()
    build(data_dir, live)
    assert sorted(parsed) == [f"nộp #{n} (bao_cao_t4.xlsx)" for n in (1, 2, 3)]


def test_the_same_report_previewed_under_one_name_and_sent_under_another_is_traced_to_the_second(
        data_dir: Path, live: Path):
    """What a report reads as is kept for the publish after its preview: but its name is
    part of every figure's provenance, and the one sent is the one that counts."""
    previewed = april_report(live, 30000)
    submit.check(previewed, EDITOR_PL, data_dir, live)
    sent = submit.Upload("ten_khac.xlsx", previewed.content)
    submit.publish(sent, EDITOR_PL, data_dir, live)
    refs = query(live, "SELECT DISTINCT source_file FROM actuals WHERE ward_code = 'phu_lien' "
                       "AND period = '2026-04'")
    assert refs == [("nộp #1 (ten_khac.xlsx)",)]
    rebuilt = data_dir.parent / "rebuilt.duckdb"
    build(data_dir, rebuilt)
    assert query(rebuilt, "SELECT DISTINCT source_file FROM actuals WHERE ward_code = "
                          "'phu_lien' AND period = '2026-04'") == refs


def test_two_submissions_at_once_are_both_kept(data_dir: Path, live: Path):
    """Serialised by the writer lock: no lost update, whichever lands first."""
    template = report_template(Database(live), "phu_lien", "2026-04")
    uploads = [submit.Upload("a.xlsx", filled_report(template, {"budget_revenue": 30000})),
               submit.Upload("b.xlsx", filled_report(template, {"budget_expenditure": 25000}))]
    errors = []

    def send(upload):
        try:
            submit.publish(upload, EDITOR_PL, data_dir, live)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
    threads = [threading.Thread(target=send, args=(u,)) for u in uploads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(e.id for e in ledger.read(folder(data_dir))) == [1, 2]
    assert query(live, "SELECT indicator_code, value FROM v_actuals WHERE ward_code = 'phu_lien' "
                       "AND period = '2026-04' ORDER BY indicator_code") == [
        ("budget_expenditure", 25000), ("budget_revenue", 30000)]


# --- one ward's publish is a whole rebuild ------------------------------------------------

def tables_of(db: Path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(db), read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        frames = {n: con.execute(f"SELECT * FROM {n}").df() for n in names}
    frames = {n: f.drop(columns=[c for c in ("loaded_at",) if c in f]) for n, f in frames.items()}
    return {n: f.astype(str).sort_values(list(f.columns)).reset_index(drop=True)
            for n, f in frames.items()}


def test_publishing_one_ward_gives_what_a_whole_rebuild_gives(data_dir: Path, live: Path,
                                                              tmp_path: Path):
    submit.publish(april_report(live, 30000), EDITOR_PL, data_dir, live)
    submit.publish(april_report(live, 31500), EDITOR_PL, data_dir, live)
    submit.revert(2, ADMIN_1, "nhầm", data_dir, live)
    whole = tmp_path / "whole.duckdb"
    build(data_dir, whole)
    incremental, rebuilt = tables_of(live), tables_of(whole)
    assert incremental.keys() == rebuilt.keys()
    for name in rebuilt:
        pd.testing.assert_frame_equal(incremental[name], rebuilt[name], obj=name)


def test_a_database_whose_tables_schema_sql_no_longer_declares_is_rebuilt_whole(
        data_dir: Path, live: Path, tmp_path: Path):
    """A one-ward publish keeps the other wards' rows as the live file holds them: only
    when its tables are declared as schema.sql declares them now."""
    with duckdb.connect(str(live)) as con:
        con.execute("ALTER TABLE wards ADD COLUMN from_older_code VARCHAR")
    assert not same_schema(live)
    submit.publish(april_report(live, 30000), EDITOR_PL, data_dir, live)
    assert same_schema(live)
    whole = tmp_path / "whole.duckdb"
    build(data_dir, whole)
    incremental, rebuilt = tables_of(live), tables_of(whole)
    for name in rebuilt:
        pd.testing.assert_frame_equal(incremental[name], rebuilt[name], obj=name)


def test_a_reverted_submission_whose_file_no_longer_reads_does_not_stop_the_builds(
        data_dir: Path, live: Path, caplog):
    """Reverting is how an admin undoes a bad submission: its file, kept for the history
    only, gone or unreadable must not stop every later build and submission."""
    submit.publish(april_report(live, 30000), EDITOR_PL, data_dir, live)
    first = ledger.read(folder(data_dir))[0]
    submit.revert(1, ADMIN_1, "Nộp nhầm", data_dir, live)
    ledger.stored_file(first.sha256, folder(data_dir)).unlink()
    etl_build._SUPERSEDED.clear()  # as in a new process: it was read once, in this one
    build(data_dir, live)  # a whole rebuild
    submit.publish(april_report(live, 31000), EDITOR_PL, data_dir, live)  # one ward
    assert april_revenue(live) == [(31000,)]
    assert "submission #1 left out of the history" in caplog.text
    assert history_gaps(live) == [("phu_lien", "2026-04", "warning")]


def history_gaps(db: Path) -> list[tuple]:
    return query(db, "SELECT ward_code, period, severity FROM v_data_issues "
                     f"WHERE check_code = '{etl_build.HISTORY_GAP}' ORDER BY ALL")


def test_a_superseded_submission_whose_file_no_longer_reads_is_a_finding_not_a_stop(
        data_dir: Path, live: Path, tmp_path: Path):
    """A whole workbook supersedes an earlier report; if the report's file no longer reads
    (gone, or the catalogue changed since), builds and submissions go on: the history
    lacks that step and the unit's data-quality page says so, whole build or one ward."""
    submit.publish(april_report(live, 30000), EDITOR_PL, data_dir, live)
    first = ledger.read(folder(data_dir))[0]
    submit.publish(revised_workbook(data_dir, tmp_path, 205879), EDITOR_PL, data_dir, live)
    ledger.stored_file(first.sha256, folder(data_dir)).unlink()
    etl_build._SUPERSEDED.clear()  # as in a new process: it was read once, in this one
    build(data_dir, live)
    (message,) = query(live, "SELECT message FROM v_data_issues "
                             f"WHERE check_code = '{etl_build.HISTORY_GAP}'")[0]
    assert "Lần nộp #1" in message and "Không tìm thấy tệp" in message, message
    assert history_gaps(live) == [("phu_lien", "2026-04", "warning")]
    assert not query(live, "SELECT * FROM v_revisions WHERE submission_id = 1")
    submit.publish(revised_workbook(data_dir, tmp_path, 205880), EDITOR_PL, data_dir, live)
    whole = tmp_path / "whole.duckdb"
    build(data_dir, whole)
    assert history_gaps(live) == history_gaps(whole) == [("phu_lien", "2026-04", "warning")]


def test_a_superseded_file_that_cannot_be_read_for_now_stops_the_build(
        data_dir: Path, live: Path, tmp_path: Path, monkeypatch):
    """Permissions, too many open files, an I/O error: the disk, not the file.  The build
    stops, as before, rather than leave a step out of the history for good."""
    submit.publish(april_report(live, 30000), EDITOR_PL, data_dir, live)
    first = ledger.read(folder(data_dir))[0]
    submit.publish(revised_workbook(data_dir, tmp_path, 205879), EDITOR_PL, data_dir, live)
    stored = ledger.stored_file(first.sha256, folder(data_dir))
    etl_build._SUPERSEDED.clear()
    read = etl_read._read_workbook

    def denied(path, sheets):
        if path == stored:
            raise PermissionError(13, "Permission denied", str(path))
        return read(path, sheets)
    monkeypatch.setattr(etl_read, "_read_workbook", denied)
    before = digest(live)
    with pytest.raises(BuildFailed):
        build(data_dir, live)
    assert digest(live) == before and not history_gaps(live)



def test_a_mixed_history_gives_each_figure_its_trail_and_what_a_whole_rebuild_gives(
        data_dir: Path, live: Path, tmp_path: Path):
    """Reports over reports, whole workbooks over them, reverts of either, in two wards:
    each figure's trail, step by step, and one publish at a time equal to a whole build."""
    def report(ward: str, period: str, figures: dict) -> submit.Upload:
        template = report_template(Database(live), ward, period)
        return submit.Upload(f"bao_cao_{ward}_{period}.xlsx", filled_report(template, figures))

    submit.publish(report("phu_lien", "2026-04", {"budget_revenue": 30000}), ADMIN_1, data_dir,
                   live)  # 1
    submit.publish(report("phu_lien", "2026-04", {"budget_revenue": 31000}), ADMIN_1, data_dir,
                   live)  # 2
    submit.publish(report("kien_an", "2026-05", {"budget_revenue": 1234}), ADMIN_1, data_dir,
                   live)  # 3
    submit.publish(revised_workbook(data_dir, tmp_path, 106000), ADMIN_1, data_dir, live)  # 4
    submit.publish(report("phu_lien", "2026-04", {"budget_revenue": 32000}), ADMIN_1, data_dir,
                   live)  # 5
    submit.revert(4, ADMIN_1, "nhầm sổ", data_dir, live)  # 6
    submit.revert(5, ADMIN_1, "nhầm số", data_dir, live)  # 7

    def trail(indicator: str, period: str, ward: str = "phu_lien") -> list[tuple]:
        return query(live, "SELECT submission_id, value, previous_value FROM v_revisions "
                           f"WHERE ward_code = '{ward}' AND indicator_code = '{indicator}' "
                           f"AND period = '{period}' ORDER BY submission_id NULLS FIRST")

    # The workbook (4) has no April figure: it took the reports' away, so the next report's
    # came with none before it; undoing the workbook changed nothing in April (5 is later);
    # undoing 5 brought back 2's.
    assert trail("budget_revenue", "2026-04") == [
        (1, 30000, None), (2, 31000, 30000), (5, 32000, None), (7, 31000, 32000)]
    assert trail("budget_revenue", "2026-Q1") == [(None, 105879, None), (4, 106000, 105879),
                                                  (6, 105879, 106000)]
    assert trail("budget_revenue", "2026-05", "kien_an") == [(3, 1234, None)]
    whole = tmp_path / "whole.duckdb"
    build(data_dir, whole)
    incremental, rebuilt = tables_of(live), tables_of(whole)
    for name in rebuilt:
        pd.testing.assert_frame_equal(incremental[name], rebuilt[name], obj=name)
