"""The submissions ledger: every report and workbook accepted, immutable, in order.

Each accepted file is kept once, named by its SHA-256, in the submissions
folder of the data it amends (`<data>/../instance/submissions/`, git-ignored;
`CHITIEU_SUBMISSIONS` overrides it); the ledger (`ledger.jsonl`) records one
line per event — a submission accepted, a revert — with who, when, ward,
period and outcome; uploads refused on publishing go to `refused.jsonl`
beside it, for the audit.  Lines are only ever appended (and fsynced), so
nothing is overwritten: a later figure supersedes an earlier one when the
database is rebuilt, and the earlier one stays in the history.

The database is a function of the bundled workbooks and this ledger; each
build records how many ledger lines it applied, so a writer that finds the
two out of step (a crash between appending and swapping) rebuilds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

ACCEPTED, REFUSED = "accepted", "refused"
REPORT, WORKBOOK, REVERT = "report", "workbook", "revert"
LEDGER_FILE = "ledger.jsonl"
# Uploads refused on publishing: kept for the audit, never applied, not in the ledger.
REFUSED_FILE = "refused.jsonl"


@dataclass(frozen=True)
class Entry:
    id: int
    kind: str  # REPORT (a period's figures), WORKBOOK (a whole ward workbook) or REVERT
    ward_code: str
    plan_year: int
    period: str | None  # the reporting period; None for a whole workbook
    submitted_by: str
    submitted_at: str  # ISO 8601, UTC
    outcome: str  # ACCEPTED in the ledger; REFUSED in the refusals file
    sha256: str | None  # the stored file, None for a revert
    file_name: str  # as the user named it (shown, never used as a path)
    message: str  # Vietnamese: what happened
    reverts: int | None = None  # the entry a REVERT undoes


def submissions_dir(data_dir: Path) -> Path:
    """Where the submissions amending `data_dir` are kept."""
    override = os.environ.get("CHITIEU_SUBMISSIONS")
    return Path(override) if override else data_dir.parent / "instance" / "submissions"


def ledger_path(folder: Path) -> Path:
    return folder / LEDGER_FILE


def read(folder: Path, file: str = LEDGER_FILE) -> list[Entry]:
    """Every complete line of the ledger, in order.  A last line without its newline is
    an append a crash cut short: it never counted, and `append` drops it."""
    path = folder / file
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    complete = text[:text.rfind("\n") + 1]
    return [Entry(**json.loads(line)) for line in complete.splitlines() if line.strip()]


def read_all(folder: Path) -> list[Entry]:
    """The ledger, then the refused uploads (for the record only: they never apply)."""
    return read(folder) + read(folder, REFUSED_FILE)


def accepted_count(entries: list[Entry]) -> int:
    """How many ledger lines `entries` hold (what a database built from them records)."""
    return sum(1 for e in entries if e.outcome == ACCEPTED)


def stored_file(sha256: str, folder: Path) -> Path:
    return folder / f"{sha256}.xlsx"


def store(content: bytes, folder: Path) -> str:
    """Keep a submitted file under its SHA-256 (once); returns the hash."""
    digest = hashlib.sha256(content).hexdigest()
    target = stored_file(digest, folder)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{digest[:12]}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def next_entry(entries: list[Entry], **fields) -> Entry:
    """A new entry numbered after `entries`, stamped now (UTC)."""
    return Entry(id=max((e.id for e in entries), default=0) + 1, submitted_at=now_iso(),
                 **fields)


def append(entry: Entry, folder: Path, file: str = LEDGER_FILE) -> None:
    """Add one line to the ledger (or the refusals), durably, under the writer lock."""
    path = folder / file
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size:
            handle.seek(0)
            complete = handle.read().rfind(b"\n") + 1
            if complete != size:  # a line a crash cut short: it never counted
                handle.truncate(complete)
        handle.write((json.dumps(asdict(entry), ensure_ascii=False) + "\n").encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())


def note_refusal(entry: Entry, folder: Path) -> None:
    """Record a refused upload, for the audit.  One O_APPEND write of a whole line, so
    concurrent refusals need no lock and never interleave."""
    folder.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(asdict(entry), ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(folder / REFUSED_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def accepted(entries: list[Entry]) -> list[Entry]:
    """The accepted submissions not reverted, oldest first: every one was in force once."""
    undone = {e.reverts for e in reverts(entries)}
    return [e for e in entries if e.kind != REVERT and e.outcome == ACCEPTED
            and e.id not in undone]


def reverts(entries: list[Entry]) -> list[Entry]:
    """The accepted reverts, oldest first."""
    return [e for e in entries if e.kind == REVERT and e.outcome == ACCEPTED]


def reverted(entries: list[Entry]) -> list[Entry]:
    """The accepted submissions a revert undid, oldest first: in force until then."""
    undone = {e.reverts for e in reverts(entries)}
    return [e for e in entries if e.kind != REVERT and e.outcome == ACCEPTED and e.id in undone]


def in_force(entries: list[Entry]) -> list[Entry]:
    """The accepted submissions that apply, oldest first: reports and workbooks not
    reverted, and no report older than its ward's last accepted whole workbook for that
    year (which the ward built with everything it had reported)."""
    kept = accepted(entries)
    latest_workbook: dict[tuple[str, int], int] = {}
    for e in kept:
        if e.kind == WORKBOOK:
            latest_workbook[(e.ward_code, e.plan_year)] = e.id
    return [e for e in kept
            if (e.kind == WORKBOOK and latest_workbook[(e.ward_code, e.plan_year)] == e.id)
            or (e.kind == REPORT and e.id > latest_workbook.get((e.ward_code, e.plan_year), 0))]


def revertible(entries: list[Entry], entry_id: int) -> Entry:
    """The submission `entry_id`, if it may be reverted (accepted, in the ledger, not yet
    reverted, not itself a revert); ValueError with a Vietnamese message otherwise."""
    target = next((e for e in entries if e.id == entry_id), None)
    if target is None:
        raise LedgerError(f"Không có lần nộp số {entry_id}.")
    if target.kind == REVERT:
        raise LedgerError(f"Lần {entry_id} là một lần hủy, không hủy tiếp được; hãy nộp lại tệp.")
    if any(e.kind == REVERT and e.reverts == entry_id for e in entries):
        raise LedgerError(f"Lần nộp số {entry_id} đã được hủy trước đó.")
    return target


class LedgerError(ValueError):
    def __init__(self, message_vi: str):
        super().__init__(message_vi)
        self.message_vi = message_vi
