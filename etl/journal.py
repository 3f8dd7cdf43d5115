"""The import journal: installing a workbook and rebuilding happen as one recoverable step.

Before `etl import` touches `data/`, it writes `<db>.import.json` saying which
staged file replaces which workbook and where the old one is archived.  The
journal is only removed once the database is built from the new workbook, so
whatever kills an import, the next writer finds the journal and finishes the
step (`finish_files`, then a rebuild) or, if the rebuild is refused, undoes it
(`roll_back_files`).  Every step here is idempotent: a crash during recovery
is recovered the same way.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from etl import crashpoints, files
from etl.read import sha256_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingImport:
    data_dir: str  # absolute: the folder the import writes to
    target: str  # the workbook being replaced, relative to data_dir
    staged: str  # its validated replacement, relative to data_dir
    archive: str | None  # where the replaced workbook is kept; None for a new ward
    incoming_sha256: str
    replaced_sha256: str | None
    source_name: str  # the file the user gave, for messages

    def path(self, relative: str) -> Path:
        return Path(self.data_dir) / relative


def journal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".import.json")


def write(db_path: Path, pending: PendingImport) -> None:
    files.write_text_atomically(journal_path(db_path), json.dumps(asdict(pending), ensure_ascii=False))


def read(db_path: Path) -> PendingImport | None:
    path = journal_path(db_path)
    if not path.exists():
        return None
    return PendingImport(**json.loads(path.read_text(encoding="utf-8")))


def clear(db_path: Path) -> None:
    path = journal_path(db_path)
    path.unlink(missing_ok=True)
    files.fsync_dir(path.parent)


def finish_files(pending: PendingImport) -> None:
    """Archive the replaced workbook, then install the staged one (each step once)."""
    target, staged = pending.path(pending.target), pending.path(pending.staged)
    if not staged.exists():
        return  # installed already
    if pending.archive and not pending.path(pending.archive).exists():
        archive = pending.path(pending.archive)
        archive.parent.mkdir(parents=True, exist_ok=True)
        files.copy_atomically(target, archive)
    crashpoints.reached("after_archive")
    files.install(staged, target)
    crashpoints.reached("after_workbook_installed")


def roll_back_files(pending: PendingImport) -> None:
    """Put back the workbook the import replaced (or remove a new ward's workbook)."""
    target, staged = pending.path(pending.target), pending.path(pending.staged)
    staged.unlink(missing_ok=True)
    if pending.archive is None:
        target.unlink(missing_ok=True)
        files.fsync_dir(target.parent)
    elif not target.exists() or sha256_of(target) != pending.replaced_sha256:
        files.copy_atomically(pending.path(pending.archive), target)
    log.warning("import of %s rolled back", pending.source_name)
