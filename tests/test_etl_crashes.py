"""Nothing lost, nothing half-done: `kill -9` at every moment of a build and an
import (a submission), and two writers at once.

A real `python -m etl` process is stopped at a named moment
(`etl.crashpoints`, `CHITIEU_ETL_PAUSE_AT`) or at a random time during a
slower build over SYNTHETIC data, and killed with SIGKILL.  Right after the
kill the live database and its previous copy must each be whole, the
bundled workbooks untouched and the submission either in the ledger or not;
after the next run everything must agree: no leftovers, and a database built
from exactly the bundled workbooks and the submissions in force.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from etl import ledger, submissions
from etl.build import build
from etl.crashpoints import PAUSE_ENV
from etl.ensure import ensure_database
from etl.files import PARTIAL_SUFFIX, building_path
from etl.load import check_database, previous_path
from etl.lock import WriterBusy, writer_lock
from etl.read import sha256_of
from wardplan.reads.db import Database
from workbooks import PHU_LIEN, column_of, copy_data, digest, edit_workbook, find_row, query

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC_UNITS = 8


def start(args: list[str], log: Path, pause_at: str | None = None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != PAUSE_ENV}
    if pause_at:
        env[PAUSE_ENV] = pause_at
    with log.open("w") as err:
        return subprocess.Popen([sys.executable, "-m", "etl", *args], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=err)


def wait_for(log: Path, text: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text(encoding="utf-8", errors="replace"):
        if process.poll() is not None:
            raise AssertionError(f"process ended before '{text}': {log.read_text()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"'{text}' not reached: {log.read_text()}")
        time.sleep(0.05)


def kill_at(args: list[str], point: str, tmp_path: Path) -> None:
    log = tmp_path / f"{point}.log"
    process = start(args, log, pause_at=point)
    wait_for(log, f"PAUSED {point}", process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def assert_whole(db: Path, workbook: Path, allowed: set[str]) -> None:
    """Right after a kill: every file the app or the next build reads is whole."""
    assert db.exists() and check_database(db) == [], "the live database must stay sound"
    previous = previous_path(db)
    assert not previous.exists() or check_database(previous) == [], "the previous copy too"
    assert sha256_of(workbook) in allowed, "the bundled workbook is never rewritten"


def assert_settled(data_dir: Path, db: Path) -> None:
    """After the next run: no leftovers, and the database is built from exactly the
    bundled workbooks and the submissions in force."""
    assert not list(data_dir.rglob(f"*{PARTIAL_SUFFIX}")), "staged copies left behind"
    assert not building_path(db).exists()
    assert check_database(db) == [] and check_database(previous_path(db)) == []
    loaded = dict(query(db, "SELECT file, sha256 FROM v_load_files"))
    in_force = ledger.in_force(ledger.read(ledger.submissions_dir(data_dir)))
    replaced = {f"data/wards/{e.plan_year}/{e.ward_code}.xlsx" for e in in_force
                if e.kind == ledger.WORKBOOK}
    expected = {f"data/{p.relative_to(data_dir).as_posix()}": sha256_of(p)
                for p in [data_dir / "catalogue.xlsx", *sorted((data_dir / "wards").glob("*/*.xlsx"))]}
    expected = {name: sha for name, sha in expected.items() if name not in replaced}
    expected |= {submissions.file_name(e): e.sha256 for e in in_force}
    assert loaded == expected
    assert query(db, "SELECT ledger_entries FROM v_build")[0][0] == len(
        ledger.read(ledger.submissions_dir(data_dir)))


def q1_revenue(db: Path) -> int:
    return query(db, "SELECT value FROM v_actuals WHERE ward_code='phu_lien' AND "
                     "indicator_code='budget_revenue' AND period='2026-Q1'")[0][0]


@pytest.fixture
def revised(data_dir: Path, tmp_path: Path) -> Path:
    """Phù Liễn's workbook with one revised figure, as a ward would send it."""
    new = tmp_path / "bao_cao_moi.xlsx"
    shutil.copy2(data_dir / PHU_LIEN, new)

    def revise(ws):
        row = find_row(ws, **{"Mã chỉ tiêu": "budget_revenue", "Kỳ": "2026-Q1"})
        ws.cell(row, column_of(ws, "Giá trị")).value = 105880
        ws.cell(row, column_of(ws, "Nguyên văn")).value = "105,880"
    edit_workbook(new, "Thực hiện", revise)
    return new


@pytest.fixture
def rebuilt_db(data_dir: Path, live_db: Path) -> Path:
    """A live database with a previous copy beside it, as after any second build."""
    build(data_dir, live_db)
    return live_db


# --- kill -9 at named moments -----------------------------------------------------------

BUILD_POINTS = ["while_writing_actuals", "after_db_written", "before_previous_replaced",
                "before_db_swap"]


@pytest.mark.parametrize("point", BUILD_POINTS)
def test_killed_build_leaves_the_old_database(point: str, data_dir: Path, rebuilt_db: Path,
                                              tmp_path: Path):
    before, previous = digest(rebuilt_db), digest(previous_path(rebuilt_db))
    kill_at(["build", "--data", str(data_dir), "--db", str(rebuilt_db)], point, tmp_path)
    assert digest(rebuilt_db) == before
    if point != "before_db_swap":
        assert digest(previous_path(rebuilt_db)) == previous
    assert_whole(rebuilt_db, data_dir / PHU_LIEN, {sha256_of(data_dir / PHU_LIEN)})
    build(data_dir, rebuilt_db)
    assert_settled(data_dir, rebuilt_db)


# Before the ledger line: the next run finds the old state.  From the line on: the new one.
IMPORT_POINTS_OUT = ["after_stored", "while_writing_actuals", "after_db_written",
                     "after_new_db_built"]
IMPORT_POINTS_IN = ["after_ledger_appended", "before_previous_replaced", "before_db_swap",
                    "after_db_swapped"]


def ledger_lines(data_dir: Path) -> list[ledger.Entry]:
    return ledger.read(ledger.submissions_dir(data_dir))


@pytest.mark.parametrize("point", IMPORT_POINTS_OUT + IMPORT_POINTS_IN)
def test_killed_import_is_finished_or_never_happened(point: str, data_dir: Path, rebuilt_db: Path,
                                                     revised: Path, tmp_path: Path):
    target = data_dir / PHU_LIEN
    old = sha256_of(target)
    kill_at(["import", str(revised), "--data", str(data_dir), "--db", str(rebuilt_db)], point,
            tmp_path)
    assert_whole(rebuilt_db, target, {old})
    lines = ledger_lines(data_dir)
    assert len(lines) == (point in IMPORT_POINTS_IN), "the submission is in or out, whole"
    build(data_dir, rebuilt_db)  # the next writer settles the interrupted import
    assert_settled(data_dir, rebuilt_db)
    assert sha256_of(target) == old
    if point in IMPORT_POINTS_OUT:
        assert q1_revenue(rebuilt_db) == 105879
    else:
        assert q1_revenue(rebuilt_db) == 105880
        stored = ledger.stored_file(lines[0].sha256, ledger.submissions_dir(data_dir))
        assert sha256_of(stored) == sha256_of(revised), "the submitted file is kept whole"


def test_crash_during_recovery_is_recovered_the_same_way(data_dir: Path, rebuilt_db: Path,
                                                         revised: Path, tmp_path: Path):
    kill_at(["import", str(revised), "--data", str(data_dir), "--db", str(rebuilt_db)],
            "after_ledger_appended", tmp_path)
    kill_at(["build", "--data", str(data_dir), "--db", str(rebuilt_db)], "after_db_written",
            tmp_path)
    assert q1_revenue(rebuilt_db) == 105879, "not yet: the recovery was killed too"
    build(data_dir, rebuilt_db)
    assert_settled(data_dir, rebuilt_db)
    assert q1_revenue(rebuilt_db) == 105880


def test_the_app_starting_after_a_killed_import_catches_up(data_dir: Path, rebuilt_db: Path,
                                                           revised: Path, tmp_path: Path):
    kill_at(["import", str(revised), "--data", str(data_dir), "--db", str(rebuilt_db)],
            "before_db_swap", tmp_path)
    assert q1_revenue(rebuilt_db) == 105879
    ensure_database(rebuilt_db, data_dir)  # what the app's first session runs
    assert_settled(data_dir, rebuilt_db)
    assert q1_revenue(rebuilt_db) == 105880


def test_a_line_cut_short_by_a_crash_never_counts(data_dir: Path, rebuilt_db: Path,
                                                  revised: Path):
    """kill -9 inside the ledger's own write: the half line is ignored, then dropped."""
    folder = ledger.submissions_dir(data_dir)
    folder.mkdir(parents=True)
    ledger.ledger_path(folder).write_text('{"id": 1, "kind": "rep', encoding="utf-8")
    assert ledger.read(folder) == []
    assert subprocess.run([sys.executable, "-m", "etl", "import", str(revised), "--data",
                           str(data_dir), "--db", str(rebuilt_db)], cwd=ROOT,
                          capture_output=True).returncode == 0
    assert [e.id for e in ledger.read(folder)] == [1]
    assert ledger.ledger_path(folder).read_text(encoding="utf-8").count("\n") == 1
    assert q1_revenue(rebuilt_db) == 105880


# --- kill -9 at random moments of a slower build over SYNTHETIC data ----------------------

@pytest.fixture(scope="session")
def synthetic_data(tmp_path_factory) -> Path:
    """SYNTHETIC: the bundled data plus copies of Phù Liễn under the codes
    synthetic_NNN ("Đơn vị giả lập NNN (dữ liệu thử nghiệm)"), for a build slow
    enough to be killed anywhere.  Never written to data/."""
    data = copy_data(tmp_path_factory.mktemp("synthetic") / "data")
    catalogue = load_workbook(data / "catalogue.xlsx")
    units = catalogue["Đơn vị hành chính"]
    for n in range(1, SYNTHETIC_UNITS + 1):
        code = f"synthetic_{n:03d}"
        units.append([code, f"Đơn vị giả lập {n:03d} (dữ liệu thử nghiệm)", "Phường"])
        book = load_workbook(data / PHU_LIEN)
        for row in book["Thông tin"].iter_rows(min_row=2):
            if row[0].value == "Mã đơn vị":
                row[1].value = code
            elif row[0].value == "Tên đơn vị":
                row[1].value = f"Đơn vị giả lập {n:03d}"
        book.save(data / "wards" / "2026" / f"{code}.xlsx")
    catalogue.save(data / "catalogue.xlsx")
    return data


def test_builds_killed_at_random_moments(synthetic_data: Path, tmp_path: Path):
    data = shutil.copytree(synthetic_data, tmp_path / "data")
    db = tmp_path / "synthetic.duckdb"
    build(data, db)
    started = time.monotonic()
    log = tmp_path / "timed.log"
    start(["build", "--data", str(data), "--db", str(db)], log).wait()
    duration = time.monotonic() - started
    chance = random.Random(20260105)
    for attempt in range(3):
        process = start(["build", "--data", str(data), "--db", str(db)], log)
        time.sleep(chance.uniform(0.3, duration))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert check_database(db) == [] and check_database(previous_path(db)) == [], attempt
    build(data, db)
    assert_settled(data, db)


# --- two writers at once -------------------------------------------------------------------

def test_two_concurrent_builds_take_turns_while_the_app_reads(synthetic_data: Path, tmp_path: Path):
    data = shutil.copytree(synthetic_data, tmp_path / "data")
    db = tmp_path / "synthetic.duckdb"
    build(data, db)
    reader, errors, stop = Database(db), [], threading.Event()

    def read_while_building():
        while not stop.is_set():
            try:
                reader.query("SELECT count(*) FROM v_status")
            except Exception as exc:  # noqa: BLE001 - any failure a reader would see
                errors.append(exc)
            time.sleep(0.02)  # a reader, not a load generator: leave the cores to the builds

    thread = threading.Thread(target=read_while_building)
    thread.start()
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    processes = [start(["build", "--data", str(data), "--db", str(db)], log) for log in logs]
    codes = [p.wait(timeout=300) for p in processes]
    stop.set()
    thread.join()
    assert codes == [0, 0], [log.read_text() for log in logs]
    said = "".join(log.read_text() for log in logs)
    assert "Traceback" not in said
    assert "Đang chờ: một lần nạp dữ liệu khác (tiến trình" in said, said
    assert not errors, errors[:3]
    assert_settled(data, db)


def test_a_writer_that_waits_too_long_refuses_and_changes_nothing(data_dir: Path, live_db: Path,
                                                                   capsys):
    before = digest(live_db)
    with writer_lock(live_db):
        notes: list[str] = []
        with pytest.raises(WriterBusy) as busy:
            build(data_dir, live_db, wait_seconds=0.5, notify=notes.append)
    assert notes and notes[0].startswith("Đang chờ: một lần nạp dữ liệu khác")
    assert "vẫn đang chạy sau 0,5 giây chờ" in busy.value.report_vi()
    assert digest(live_db) == before


def test_a_second_command_line_writer_says_it_waits(data_dir: Path, live_db: Path, tmp_path: Path):
    first_log = tmp_path / "first.log"
    first = start(["build", "--data", str(data_dir), "--db", str(live_db)], first_log,
                  pause_at="after_db_written")
    wait_for(first_log, "PAUSED after_db_written", first)
    second_log = tmp_path / "second.log"
    second = start(["build", "--data", str(data_dir), "--db", str(live_db), "--wait", "1"],
                   second_log)
    assert second.wait(timeout=120) == 1
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    said = second_log.read_text(encoding="utf-8")
    assert "Đang chờ" in said and "vẫn đang chạy sau 1 giây chờ" in said, said
    assert f"tiến trình {first.pid}" in said


def _children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_build_killed_while_its_workers_read_leaves_no_worker_and_no_lock(tmp_path: Path):
    """A city's workbooks are read by forked workers (etl.build): kill -9 of the build
    while they read must take them with it, or they wait forever holding the writer lock,
    whose open file they share, and no build or submission could run again."""
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: a build forks no workers")
    from bench import synthetic

    data = tmp_path / "data"
    synthetic.write(data, units=20)
    db = tmp_path / "city.duckdb"
    log = tmp_path / "build.log"
    process = start(["build", "--data", str(data), "--db", str(db)], log,
                    pause_at="while_reading_workbooks")
    wait_for(log, "PAUSED while_reading_workbooks", process)
    workers = _children_of(process.pid)
    assert len(workers) >= 2, workers
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(_running(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_running(w) for w in workers), "a reading worker outlived its build"
    build(data, db, wait_seconds=5)  # the lock is free at once
    assert check_database(db) == []
