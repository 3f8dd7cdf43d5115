"""The export worker: files are made in child processes, one at a time, with progress, and
a failure reaches the reader as a short Vietnamese message with an error id."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from pptx import Presentation

from apppages import open_page
from decks import slide_title
from exports import jobs
from exports.jobs import Exporter, Request
from ui import nav

ROOT = Path(__file__).resolve().parent.parent


def wait(job: jobs.Job, seconds: float = 180) -> jobs.Job:
    deadline = time.monotonic() + seconds
    while job.active and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not job.active, f"{job.request.kind} still {job.state}"
    return job


def test_a_deck_is_made_in_a_child_process_with_its_progress(built_db, tmp_path):
    exporter = Exporter(tmp_path)
    job = exporter.submit(Request("deck", "2026-Q1", built_db))
    seen = set()
    while job.active:
        seen.add(job.progress())
        time.sleep(0.05)
    assert job.state == jobs.DONE, job.message_vi
    deck = Presentation(io.BytesIO(job.read()))
    assert len(deck.slides) == 25
    assert slide_title(deck.slides[0]) == "Tình hình thực hiện các chỉ tiêu kinh tế - xã hội năm 2026"
    assert job.progress() == (1.0, "Đã xong")
    lines = job.progress_file.read_text(encoding="utf-8").splitlines()
    steps = [json.loads(line) for line in lines]
    assert [s["done"] for s in steps] == sorted(s["done"] for s in steps)
    assert steps[0]["text"] == "Đang đọc số liệu" and steps[-1] == {"done": 1.0, "text": "Đã xong"}
    assert any(s["text"].startswith("Biểu đồ 13/13: Phù Liễn — ") for s in steps)
    assert seen  # the page could show something while it ran


@pytest.mark.parametrize("kind, suffix, start", [
    ("workbook", ".xlsx", b"PK"), ("csv", ".csv", b"ward_code,"),
])
def test_the_workbook_and_the_csv_are_made_there_too(built_db, tmp_path, kind, suffix, start):
    job = wait(Exporter(tmp_path).submit(Request(kind, "2026-Q1", built_db, wards=("phu_lien",))))
    assert job.state == jobs.DONE and job.out.suffix == suffix
    assert job.read().startswith(start)


def test_a_refused_export_says_why_with_an_error_id(built_db, tmp_path, caplog):
    caplog.set_level(logging.ERROR, logger="chitieu.exports")
    job = wait(Exporter(tmp_path).submit(Request("deck", "2026-Q1", built_db,
                                                 wards=("atlantis",))))
    assert job.state == jobs.FAILED
    assert job.message_vi.startswith(f"Không tạo được tệp (mã lỗi: {job.error_id}). ")
    assert "Không có phường: atlantis" in job.message_vi
    [record] = [r for r in caplog.records if job.error_id in r.getMessage()]
    assert "atlantis" in record.getMessage()


def test_a_crashed_export_keeps_its_traceback_in_the_log(tmp_path, caplog):
    caplog.set_level(logging.ERROR, logger="chitieu.exports")
    missing = tmp_path / "no-such.duckdb"
    job = wait(Exporter(tmp_path / "work").submit(Request("workbook", "2026-Q1", missing)))
    assert job.state == jobs.FAILED and len(job.error_id) == 8
    assert "Traceback" not in job.message_vi and str(tmp_path) not in job.message_vi
    assert "mã lỗi" in job.message_vi
    logged = "\n".join(r.getMessage() for r in caplog.records if job.error_id in r.getMessage())
    assert "Traceback" in logged


FAKE = '''
import json, sys, time
args = sys.argv[1:]
out, progress = args[args.index("--out") + 1], args[args.index("--progress") + 1]
seconds = float(args[args.index("--as-of") + 1])
with open(progress, "a") as f:
    f.write(json.dumps({"done": 0.5, "text": "nửa chừng"}) + "\\n")
started = time.time()
sys.path.insert(0, ROOT)
from exports.jobs import stop_when_orphaned  # as exports.__main__ does
stop_when_orphaned(poll_seconds=0.1)
time.sleep(max(0.0, seconds - (time.time() - started)))
open(out, "w").write(f"{started} {time.time()}")
'''


@pytest.fixture
def fake_export(tmp_path) -> list[str]:
    """A stand-in for `python -m exports` that takes --as-of seconds."""
    script = tmp_path / "fake_export.py"
    script.write_text(FAKE.replace("ROOT", repr(str(ROOT)), 1))
    return [sys.executable, str(script)]


def test_exports_wait_their_turn(tmp_path, fake_export):
    exporter = Exporter(tmp_path / "work", workers=1, command=fake_export)
    first = exporter.submit(Request("csv", "1.0", tmp_path))
    second = exporter.submit(Request("csv", "0.1", tmp_path))
    deadline = time.monotonic() + 10
    while first.state != jobs.RUNNING and time.monotonic() < deadline:
        time.sleep(0.02)
    assert first.state == jobs.RUNNING and second.state == jobs.QUEUED
    assert exporter.ahead_of(second) == 1
    time.sleep(0.5)
    assert first.progress() == (0.5, "nửa chừng")
    wait(first), wait(second)
    (_, first_end), (second_start, _) = (map(float, j.read().split()) for j in (first, second))
    assert second_start >= first_end  # one at a time


def test_a_hung_export_is_stopped(tmp_path, fake_export):
    job = wait(Exporter(tmp_path / "work", command=fake_export, timeout=0.5)
               .submit(Request("csv", "30", tmp_path)), seconds=10)
    assert job.state == jobs.FAILED and "Quá thời gian cho phép" in job.message_vi


def test_finished_files_are_removed_after_a_while(tmp_path, fake_export):
    exporter = Exporter(tmp_path / "work", command=fake_export, keep_seconds=0)
    job = wait(exporter.submit(Request("csv", "0", tmp_path)))
    assert job.folder.exists()
    exporter.prune()
    assert not job.folder.exists() and exporter.job(job.id) is None


def test_a_job_is_only_found_by_the_session_that_asked_for_it(tmp_path, fake_export):
    exporter = Exporter(tmp_path / "work", command=fake_export)
    job = wait(exporter.submit(Request("csv", "0", tmp_path), owner="alice"))
    assert exporter.job(job.id, "alice") is job
    assert exporter.job(job.id, "bob") is None and exporter.job(job.id) is None
    exporter.discard(job.id, "bob")  # not bob's to drop
    assert exporter.job(job.id, "alice") is job and job.folder.exists()


def test_the_queue_is_bounded(tmp_path, fake_export):
    exporter = Exporter(tmp_path / "work", command=fake_export, max_pending=2)
    exporter.submit(Request("csv", "30", tmp_path))
    exporter.submit(Request("csv", "30", tmp_path))
    with pytest.raises(jobs.Busy) as refused:
        exporter.submit(Request("csv", "0", tmp_path))
    assert refused.value.message_vi.startswith("Đang có nhiều tệp chờ tạo")
    exporter.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_discarded_or_closed_job_leaves_no_process_and_no_file(tmp_path, fake_export):
    exporter = Exporter(tmp_path / "work", command=fake_export)
    running = exporter.submit(Request("csv", "30", tmp_path), owner="s")
    queued = exporter.submit(Request("csv", "30", tmp_path), owner="s")
    deadline = time.monotonic() + 10
    while not exporter._children and time.monotonic() < deadline:
        time.sleep(0.02)
    [child] = exporter._children.values()
    exporter.discard(running.id, "s")  # the selection changed while it ran
    exporter.discard(queued.id, "s")
    deadline = time.monotonic() + 10
    while (running.folder.exists() or queued.folder.exists()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.poll() is not None and not _alive(child.pid)
    assert not running.folder.exists() and not queued.folder.exists()
    assert not exporter._children  # the queued one never started
    again = exporter.submit(Request("csv", "30", tmp_path))
    while not exporter._children and time.monotonic() < deadline:
        time.sleep(0.02)
    [child] = exporter._children.values()
    exporter.close()  # as at the server's exit
    assert not _alive(child.pid) and not exporter.workdir.exists() and again.folder.parent


SERVER = '''
import sys, time
from pathlib import Path
from exports.jobs import Exporter, Request
exporter = Exporter(command=sys.argv[1:])
exporter.submit(Request("csv", "60", Path(".")))
while not exporter._children:
    time.sleep(0.02)
[child] = exporter._children.values()
print(child.pid, exporter.workdir, flush=True)
time.sleep(120)
'''


def test_a_server_killed_outright_leaves_no_export_running_and_no_folder(
        tmp_path, fake_export, monkeypatch):
    """SIGKILL gives a server no chance to stop its children: each child watches for its
    server and ends itself, and the next server removes the dead one's work folder."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-c", SERVER, *fake_export], env=env,
                              stdout=subprocess.PIPE, text=True)
    pid, workdir = server.stdout.readline().split()
    server.kill()
    server.wait()
    deadline = time.monotonic() + 10
    while _alive(int(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(int(pid)), "the export went on after its server was killed"
    assert Path(workdir).exists()
    mine = temp / "chitieu-exports-alive"
    mine.mkdir()
    (mine / jobs.OWNER_FILE).write_text(str(os.getpid()))  # a server still running
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    exporter = Exporter()
    try:
        assert not Path(workdir).exists() and mine.exists()
    finally:
        exporter.close()


def test_the_default_work_folder_is_private(tmp_path):
    exporter = Exporter()
    try:
        assert exporter.workdir.stat().st_mode & 0o777 == 0o700
    finally:
        exporter.close()
    assert not exporter.workdir.exists()


def test_the_export_page_makes_files_with_the_worker(built_db):
    at = open_page(nav.EXPORT, as_of="2026-Q1")
    assert [b.label for b in at.button] == ["Tạo trình chiếu (.pptx)", "Tạo báo cáo PDF",
                                            "Tạo sổ Excel (.xlsx)", "Tạo bảng trạng thái (.csv)"]
    assert not at.get("download_button")
    at.button(key="export_workbook").click().run()
    [bar] = at.get("progress")
    assert bar.proto.text.startswith("Đang tạo sổ Excel")
    assert at.button(key="export_workbook").disabled
    deadline = time.monotonic() + 120
    while not at.get("download_button") and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
    assert [b.proto.label for b in at.get("download_button")] == ["Tải sổ Excel (.xlsx)"]
    assert not at.get("progress") and not at.exception
    # Another selection is another file: the finished one is not offered for it.
    wards, _ = at.multiselect
    wards.set_value(["phu_lien"]).run()
    assert not at.get("download_button")


def test_the_export_page_says_how_many_exports_are_ahead(built_db, tmp_path, monkeypatch):
    """A worker that never starts (none at all): the page's job stays queued.  With nothing
    ahead of it, it shows as starting; behind another session's export, it says so."""
    from ui import export_jobs
    idle = Exporter(tmp_path / "work", workers=0)
    monkeypatch.setattr(export_jobs, "exporter", lambda: idle)
    try:
        at = open_page(nav.EXPORT, as_of="2026-Q1")
        at.button(key="export_workbook").click().run()
        [bar] = at.get("progress")
        assert bar.proto.text == "Đang tạo sổ Excel (0%)"
        idle.submit(Request("csv", "2026-Q1", built_db), owner="another session")
        at.button(key="export_csv").click().run()
        texts = [b.proto.text for b in at.get("progress")]
        assert texts[0] == "Đang tạo sổ Excel (0%)"
        assert texts[1].startswith("Đang chờ tạo bảng trạng thái: 2 tệp khác đang được tạo trước")
    finally:
        idle.close()
