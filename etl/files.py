"""Files that are replaced whole or not at all.

A file is written beside its target as `.<name>.partial`, flushed to disk,
then renamed over the target with `os.replace` (atomic on one filesystem) and
the folder entry flushed too.  A crash leaves the old file, or the new one,
plus at worst a `.partial` file that the next writer removes (`leftovers`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from etl import crashpoints

PARTIAL_SUFFIX = ".partial"
_CHUNK = 1 << 20


def partial_path(target: Path) -> Path:
    """Where `target`'s next content is written before it replaces `target`."""
    return target.with_name(f".{target.name}{PARTIAL_SUFFIX}")


def fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` survive a power cut."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stage_copy(source: Path, staged: Path) -> None:
    """Copy `source` to `staged` and flush it to disk; `install` puts it in place."""
    with source.open("rb") as src, staged.open("wb") as dst:
        first = True
        for chunk in iter(lambda: src.read(_CHUNK), b""):
            dst.write(chunk)
            if first:
                dst.flush()
                crashpoints.reached("while_staging")
                first = False
        dst.flush()
        os.fsync(dst.fileno())
    shutil.copystat(source, staged)


def install(staged: Path, target: Path) -> None:
    """Put a staged file in place of `target`, atomically and durably."""
    os.replace(staged, target)
    fsync_dir(target.parent)


def copy_atomically(source: Path, target: Path) -> None:
    staged = partial_path(target)
    try:
        stage_copy(source, staged)
        install(staged, target)
    finally:
        staged.unlink(missing_ok=True)


def write_text_atomically(target: Path, text: str) -> None:
    staged = partial_path(target)
    try:
        with staged.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        install(staged, target)
    finally:
        staged.unlink(missing_ok=True)


def leftovers(data_dir: Path, beside_db: list[Path]) -> list[Path]:
    """What an interrupted writer left behind: staged copies under `data_dir`
    and those of `beside_db` (the files a writer keeps next to the database)
    that exist.

    Only call this while holding the writer lock: then no other writer is
    using them.
    """
    found = sorted(data_dir.rglob(f".*{PARTIAL_SUFFIX}")) if data_dir.exists() else []
    return found + [p for p in beside_db if p.exists()]


def building_path(db_path: Path) -> Path:
    """The new database while it is written and checked, before it is swapped in."""
    return db_path.with_name(db_path.name + ".building")


def wal_of(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + ".wal")
