"""Accept a ward's new workbook: check it with everything else, keep the one it
replaces, install it and rebuild, as one recoverable step.

Under the writer lock the new file is copied beside the workbook it replaces
(`.<name>.partial`), and that copy — exactly the bytes that will be installed
— is checked together with every other workbook.  If anything is wrong the
copy is removed and nothing under data/ or the database changes.  Otherwise
the new database is built and checked first, then the journal is written,
the replaced workbook archived to data/replaced/ (never deleted), the copy
renamed into place and the database swapped in; the journal goes last.  A
crash anywhere after the journal is finished (or undone) by the next writer
(`build.settle`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from etl import crashpoints, files, journal
from etl.build import (
    WARDS_DIR,
    WORKBOOK_SUFFIX,
    BuildReport,
    WorkbookFile,
    derive_tables,
    display_name,
    read_and_check,
    report_of,
    settle,
)
from etl.load import prepare, swap_in
from etl.lock import WAIT_SECONDS, writer_lock
from etl.problems import BuildFailed, Problem
from etl.read import FileRejected, read_workbook, sha256_of, sheet_key
from etl.validate import Checker, info_cell
from wardplan.rules import template
from wardplan.rules.settings import Settings, load_settings

REPLACED_DIR = "replaced"

log = logging.getLogger(__name__)


@dataclass
class ImportResult:
    ward_code: str
    installed: str  # names as shown to users: data/wards/2026/phu_lien.xlsx
    replaced: str | None
    report: BuildReport


def _refuse(path: Path, reason_vi: str) -> BuildFailed:
    return BuildFailed([Problem(path.name, "", "", reason_vi)])


def check_given_file(path: Path) -> None:
    """The file a user hands in must be a readable .xlsx file (checked before anything is read)."""
    if not path.exists():
        raise _refuse(path, "Không tìm thấy tệp này.")
    if path.is_dir():
        raise _refuse(path, "Đây là một thư mục, không phải tệp Excel; hãy chọn tệp .xlsx.")
    if not path.is_file():
        raise _refuse(path, "Đây không phải là một tệp thông thường; hãy chọn tệp .xlsx.")
    if path.suffix.lower() != WORKBOOK_SUFFIX:
        raise _refuse(path, "Tệp không phải định dạng .xlsx; hãy lưu lại dưới dạng Excel "
                            "Workbook (.xlsx).")


def plan_of(path: Path) -> tuple[str, str]:
    """The ward and plan year a workbook declares in its 'Thông tin' sheet."""
    try:
        raw = read_workbook(path)
    except FileRejected as exc:
        raise BuildFailed([Problem(path.name, exc.sheet, exc.cell, exc.reason_vi)]) from exc
    check = Checker(path.name)
    rows = check.rows(raw.sheets.get(sheet_key(template.WARD_INFO.name)), template.WARD_INFO)
    info = {r.text("key"): r.text("value") for r in rows}
    missing = [label for label in ("Mã đơn vị", "Năm kế hoạch") if not info.get(label)]
    if missing or check.problems:
        raise BuildFailed(check.problems or [Problem(path.name, template.WARD_INFO.name, "",
                                                     f"Thiếu mục '{label}'.") for label in missing])
    ward_code, plan_year = info["Mã đơn vị"], info["Năm kế hoạch"]
    if not (plan_year.isdigit() and ward_code == Path(ward_code).name and "." not in ward_code):
        # Both become a path under data/: they are checked in full by the build,
        # but must not name a folder outside it first.
        raise BuildFailed([Problem(path.name, template.WARD_INFO.name, info_cell(raw, "Mã đơn vị"),
                                   f"Mã đơn vị '{ward_code}' hoặc năm kế hoạch '{plan_year}' "
                                   "không hợp lệ.")])
    return ward_code, plan_year


def installed_workbook(data_dir: Path, ward_code: str, plan_year: str) -> Path:
    """Where the ward's workbook for that year is (or goes): an existing `.XLSX` counts."""
    folder = data_dir / WARDS_DIR / plan_year
    existing = [p for p in folder.iterdir() if p.stem == ward_code
                and p.suffix.lower() == WORKBOOK_SUFFIX] if folder.is_dir() else []
    return existing[0] if existing else folder / f"{ward_code}{WORKBOOK_SUFFIX}"


def import_workbook(path: Path, data_dir: Path, db_path: Path, settings: Settings | None = None,
                    *, wait_seconds: float = WAIT_SECONDS,
                    notify: Callable[[str], None] = log.info) -> ImportResult:
    check_given_file(path)
    ward_code, plan_year = plan_of(path)
    settings = settings or load_settings()
    with writer_lock(db_path, wait_seconds, notify):
        settle(data_dir, db_path, settings, notify)
        target = installed_workbook(data_dir, ward_code, plan_year)
        if target.exists() and target.samefile(path):
            raise _refuse(path, f"Đây chính là tệp đang dùng của đơn vị '{ward_code}' "
                                f"({display_name(target, data_dir)}); không có gì để nhập.")
        return _install(path, target, ward_code, data_dir, db_path, settings)


def _install(path: Path, target: Path, ward_code: str, data_dir: Path, db_path: Path,
             settings: Settings) -> ImportResult:
    started = time.perf_counter()
    name = display_name(target, data_dir)
    staged = files.partial_path(target)
    new_folder = not target.parent.exists()  # a new plan year
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        files.stage_copy(path, staged)
        crashpoints.reached("after_staging")
        tables = derive_tables(_checked_with(staged, name, path, data_dir), settings)
        building = prepare(tables, db_path)
        crashpoints.reached("after_new_db_built")
        archive = _archive_path(data_dir, ward_code) if target.exists() else None
        pending = journal.PendingImport(
            data_dir=str(data_dir.resolve()), target=target.relative_to(data_dir).as_posix(),
            staged=staged.relative_to(data_dir).as_posix(),
            archive=archive.relative_to(data_dir).as_posix() if archive else None,
            incoming_sha256=sha256_of(staged),
            replaced_sha256=sha256_of(target) if archive else None, source_name=path.name)
        journal.write(db_path, pending)
    except BaseException:
        staged.unlink(missing_ok=True)
        files.building_path(db_path).unlink(missing_ok=True)
        if new_folder:
            target.parent.rmdir()
        raise
    crashpoints.reached("after_journal")
    journal.finish_files(pending)
    swap_in(building, db_path)
    crashpoints.reached("after_db_swapped")
    journal.clear(db_path)
    return ImportResult(ward_code, name, display_name(archive, data_dir) if archive else None,
                        report_of(tables, db_path, started))


def _checked_with(staged: Path, name: str, given: Path, data_dir: Path):
    """Everything checked with the staged copy in place; problems name the user's file."""
    try:
        return read_and_check(data_dir, incoming=WorkbookFile(name, staged))
    except BuildFailed as failure:
        raise BuildFailed([Problem(given.name, p.sheet, p.cell, p.reason_vi) if p.file == name else p
                           for p in failure.problems]) from None


def _archive_path(data_dir: Path, ward_code: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = data_dir / REPLACED_DIR
    candidate, n = folder / f"{ward_code}.{stamp}.xlsx", 1
    while candidate.exists():
        candidate, n = folder / f"{ward_code}.{stamp}-{n}.xlsx", n + 1
    return candidate
