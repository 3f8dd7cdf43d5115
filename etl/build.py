"""The whole build: read → validate → normalise → derive → load.

`build()` takes the writer lock, settles whatever an interrupted writer left
(`settle`), and either replaces the database with a complete new one or
raises `BuildFailed` listing every problem in every input file; it never
loads part of the input.  `rebuild()` is the same without the lock, for code
that already holds it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl import files, journal
from etl.load import check_database, loaded_sha256, previous_path, write_database
from etl.lock import WAIT_SECONDS, writer_lock
from etl.normalise import Catalogue, WardData, catalogue_from, ward_from
from etl.problems import BuildFailed, Problem
from etl.read import FileRejected, RawWorkbook, read_workbook
from etl.validate import Checker, info_cell
from wardplan.reads.db import DEFAULT_DB
from wardplan.rules import quality, scenario, status, template
from wardplan.rules.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
CATALOGUE_FILE = "catalogue.xlsx"
WARDS_DIR = "wards"
WORKBOOK_SUFFIX = ".xlsx"
# Spreadsheets in another format: a ward's data in one of these would be silently missing.
OTHER_SPREADSHEETS = {".xls", ".xlsm", ".xlsb", ".ods", ".csv"}
# What Excel leaves beside an open workbook.
OFFICE_LOCK_PREFIX = "~$"

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    db_path: Path
    seconds: float
    counts: pd.DataFrame
    issues: int


@dataclass(frozen=True)
class WorkbookFile:
    """A workbook to load: its name in messages and provenance, and where its bytes are."""

    name: str  # data/wards/2026/phu_lien.xlsx
    path: Path


@dataclass
class CheckedInput:
    catalogue: Catalogue
    wards: list[WardData]
    files: list[tuple[str, RawWorkbook]]  # every workbook read, by name


def display_name(path: Path, data_dir: Path) -> str:
    """A file's name in messages: relative to the data folder's parent, never a server path."""
    try:
        return path.relative_to(data_dir.parent).as_posix()
    except ValueError:
        return path.name


def _ignored(name: str) -> bool:
    """Office lock files and hidden files or folders (the writers' staged copies among them)."""
    return name.startswith((OFFICE_LOCK_PREFIX, "."))


def ward_files(data_dir: Path) -> tuple[list[WorkbookFile], list[Problem]]:
    """One workbook per ward and plan year: `wards/<plan year>/<ward_code>.xlsx`.

    The extension's case does not matter; a spreadsheet anywhere else under
    wards/, or in another format, is a problem rather than silently missing.
    """
    found, problems = [], []
    wards = data_dir / WARDS_DIR
    for path in sorted(wards.rglob("*")) if wards.exists() else []:
        parts = path.relative_to(wards).parts
        if not path.is_file() or any(_ignored(part) for part in parts):
            continue
        suffix, depth = path.suffix.lower(), len(parts)
        name = display_name(path, data_dir)
        if suffix == WORKBOOK_SUFFIX and depth == 2:
            found.append(WorkbookFile(name, path))
        elif suffix == WORKBOOK_SUFFIX:
            problems.append(Problem(name, "", "", f"Tệp đặt sai chỗ: mỗi sổ tính của đơn vị phải "
                                    f"nằm tại {WARDS_DIR}/<năm kế hoạch>/<mã đơn vị>.xlsx."))
        elif suffix in OTHER_SPREADSHEETS:
            problems.append(Problem(name, "", "", "Tệp không phải định dạng .xlsx nên không được "
                                    "đọc; hãy lưu lại dưới dạng Excel Workbook (.xlsx)."))
    return found, problems


def read_file(file: WorkbookFile, problems: list[Problem]) -> RawWorkbook | None:
    try:
        return read_workbook(file.path)
    except FileRejected as exc:
        problems.append(Problem(file.name, exc.sheet, exc.cell, exc.reason_vi))
        return None


def read_and_check(data_dir: Path, incoming: WorkbookFile | None = None) -> CheckedInput:
    """Every workbook read and checked; `incoming` replaces (or adds) the one of that name."""
    catalogue_path = data_dir / CATALOGUE_FILE
    catalogue_name = display_name(catalogue_path, data_dir)
    if not catalogue_path.is_file():
        raise BuildFailed([Problem(catalogue_name, "", "", "Không tìm thấy danh mục chỉ tiêu.")])
    workbooks, problems = ward_files(data_dir)
    if incoming:
        workbooks = sorted({**{w.name: w for w in workbooks}, incoming.name: incoming}.values(),
                           key=lambda w: w.name)
    raw_catalogue = read_file(WorkbookFile(catalogue_name, catalogue_path), problems)
    if raw_catalogue is None:
        raise BuildFailed(problems)
    check = Checker(catalogue_name)
    check.sheets(raw_catalogue, template.CATALOGUE_SHEETS)
    catalogue = catalogue_from(raw_catalogue, check)
    problems += check.problems
    wards, read, owner = [], [(catalogue_name, raw_catalogue)], {}
    for file in workbooks:
        raw = read_file(file, problems)
        if raw is None:
            continue
        check = Checker(file.name)
        check.sheets(raw, template.WARD_SHEETS)
        ward = ward_from(raw, file.name, check, catalogue)
        problems += check.problems
        if ward is None:
            continue
        code_cell = info_cell(raw, "Mã đơn vị")
        misplaced = _misplaced(Path(file.name), ward)
        if misplaced:
            problems.append(Problem(file.name, template.WARD_INFO.name, code_cell, misplaced))
            continue
        key = (ward.ward_code, ward.plan_year)
        if key in owner:
            problems.append(Problem(file.name, template.WARD_INFO.name, code_cell,
                                    f"Đơn vị '{ward.ward_code}' đã có kế hoạch năm {ward.plan_year} "
                                    f"trong tệp {owner[key]}; mỗi đơn vị một tệp cho mỗi năm."))
            continue
        owner[key] = file.name
        wards.append(ward)
        read.append((file.name, raw))
    if problems:
        raise BuildFailed(problems)
    return CheckedInput(catalogue, wards, read)


def _misplaced(path: Path, ward: WardData) -> str | None:
    """Why a workbook's path disagrees with the ward and year it declares, if it does.

    The path is how staff find a ward's file; a file named for one ward but
    declaring another would silently replace that other ward's data.
    """
    expected = f"{ward.plan_year}/{ward.ward_code}.xlsx"
    actual = f"{path.parent.name}/{path.stem}.xlsx"
    if actual == expected:
        return None
    return (f"Tệp khai báo đơn vị '{ward.ward_code}', năm kế hoạch {ward.plan_year} ở trang "
            f"'Thông tin' nên phải đặt tại {WARDS_DIR}/{expected}.")


def _concat(wards: list[WardData], attribute: str) -> pd.DataFrame:
    frames = [getattr(w, attribute) for w in wards]
    non_empty = [f for f in frames if not f.empty]
    if not non_empty:
        return frames[0] if frames else pd.DataFrame()
    return pd.concat(non_empty, ignore_index=True)


def derive_tables(checked: CheckedInput, settings: Settings) -> dict[str, pd.DataFrame]:
    catalogue, wards = checked.catalogue, checked.wards
    tables = {name: _concat(wards, name) for name in
              ("sources", "targets", "actuals", "statements", "baselines", "tasks", "projects")}
    tables["scenario_official"] = _concat(wards, "scenario")
    tables["wards"] = catalogue.wards
    tables["ward_plans"] = pd.DataFrame(
        [(w.ward_code, w.plan_year, w.file) for w in wards],
        columns=["ward_code", "plan_year", "source_file"])
    tables["indicators"] = catalogue.indicators
    official = tables["scenario_official"].rename(columns={"value": "planned_value"})
    years = sorted({w.plan_year for w in wards})
    phased = {year: scenario.build_scenario(
        catalogue.indicators, tables["targets"], official, year, statements=tables["statements"],
        actuals=tables["actuals"], baselines=tables["baselines"], rule=settings.scenario_rule)
        for year in years}
    tables["scenario"] = _stack(p.frame for p in phased.values())
    checks = quality.run_checks(catalogue.indicators, tables["targets"], tables["actuals"],
                                tables["statements"], tables["baselines"], tables["projects"])
    readings = quality.findings_frame([r for p in phased.values() for r in p.readings])
    tables["data_issues"] = _stack([checks, readings, _concat(wards, "notes")])
    flags = status.Flags.from_findings(tables["data_issues"])
    tables["status"] = _stack(status.compute_status(
        catalogue.indicators, tables["targets"], tables["actuals"], tables["scenario"],
        catalogue.wards, settings.bands, year, flags) for year in years)
    tables["load_files"] = _load_files(checked)
    tables["build_info"] = pd.DataFrame([{
        "green_min_pct": settings.bands.green_min_pct,
        "amber_min_pct": settings.bands.amber_min_pct,
        "scenario_rule": settings.scenario_rule,
    }])
    return tables


def _stack(frames) -> pd.DataFrame:
    """Frames stacked, skipping empty ones (the rules work one plan year at a time)."""
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _load_files(checked: CheckedInput) -> pd.DataFrame:
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    catalogue_name = checked.files[0][0]
    rows_by_file = {catalogue_name: len(checked.catalogue.indicators) + len(checked.catalogue.wards)}
    for ward in checked.wards:
        rows_by_file[ward.file] = sum(len(getattr(ward, a)) for a in (
            "sources", "targets", "scenario", "actuals", "statements", "baselines", "tasks",
            "projects", "notes"))
    return pd.DataFrame([{"file": name, "sha256": raw.sha256, "size_bytes": raw.size_bytes,
                          "rows_loaded": rows_by_file.get(name, 0), "loaded_at": loaded_at}
                         for name, raw in checked.files])


def report_of(tables: dict[str, pd.DataFrame], db_path: Path, started: float) -> BuildReport:
    counts = pd.DataFrame([{"table": name, "rows": len(frame)} for name, frame in tables.items()])
    return BuildReport(db_path, time.perf_counter() - started, counts, len(tables["data_issues"]))


def rebuild(data_dir: Path, db_path: Path, settings: Settings) -> BuildReport:
    """Read, check, derive and swap in a new database; the caller holds the writer lock."""
    started = time.perf_counter()
    tables = derive_tables(read_and_check(data_dir), settings)
    write_database(tables, db_path)
    return report_of(tables, db_path, started)


def build(data_dir: Path = DATA_DIR, db_path: Path = DEFAULT_DB,
          settings: Settings | None = None, *, wait_seconds: float = WAIT_SECONDS,
          notify: Callable[[str], None] = log.info) -> BuildReport:
    settings = settings or load_settings()
    with writer_lock(db_path, wait_seconds, notify):
        settle(data_dir, db_path, settings, notify)
        return rebuild(data_dir, db_path, settings)


# --- after a crash ----------------------------------------------------------------

def settle(data_dir: Path, db_path: Path, settings: Settings,
           notify: Callable[[str], None]) -> None:
    """Finish (or undo) an import that was interrupted, then remove what a crashed
    writer left behind.  The caller holds the writer lock."""
    pending = journal.read(db_path)
    if pending:
        _settle_import(pending, db_path, settings, notify)
    beside_db = [files.building_path(db_path), files.wal_of(files.building_path(db_path)),
                 files.partial_path(previous_path(db_path)),
                 files.partial_path(journal.journal_path(db_path))]
    left = files.leftovers(data_dir, beside_db)
    for path in left:
        path.unlink()
    if left:
        log.warning("removed leftovers of an interrupted writer: %s", [p.name for p in left])
        notify(f"Đã xóa {len(left)} tệp tạm do một lần chạy bị dừng giữa chừng để lại: "
               + ", ".join(display_name(p, data_dir) if p.is_relative_to(data_dir) else p.name
                           for p in left) + ".")
    if db_path.exists() and check_database(db_path):
        notify("Cơ sở dữ liệu hiện tại không đọc được đầy đủ; lần nạp này sẽ thay nó bằng bản mới "
               "(bản trước đó vẫn được giữ nguyên).")


def _settle_import(pending: journal.PendingImport, db_path: Path, settings: Settings,
                   notify: Callable[[str], None]) -> None:
    data_dir = Path(pending.data_dir)
    target_name = display_name(pending.path(pending.target), data_dir)
    journal.finish_files(pending)
    if loaded_sha256(db_path, target_name) != pending.incoming_sha256:
        try:
            rebuild(data_dir, db_path, settings)
        except BuildFailed as failure:
            journal.roll_back_files(pending)
            journal.clear(db_path)
            notify(f"Lần nhập tệp '{pending.source_name}' trước đây bị dừng giữa chừng và không "
                   f"hoàn tất được ({len(failure.problems)} lỗi khi dựng lại cơ sở dữ liệu); đã "
                   f"khôi phục {target_name} như trước lần nhập đó.")
            return
    journal.clear(db_path)
    notify(f"Đã hoàn tất lần nhập tệp '{pending.source_name}' bị dừng giữa chừng trước đây: "
           f"{target_name} và cơ sở dữ liệu đã khớp nhau.")
