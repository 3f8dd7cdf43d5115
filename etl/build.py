"""The whole build: read → validate → normalise → derive → load.

The database is a function of the bundled workbooks (data/) and the
submissions ledger (etl.ledger): a ward's accepted whole workbook takes the
place of its bundled one, and accepted reports lie over both
(etl.submissions).  `build()` takes the writer lock, settles whatever an
interrupted writer left (`settle`), and either replaces the database with a
complete new one or raises `BuildFailed` listing every problem in every
input file; it never loads part of the input.  `rebuild()` is the same
without the lock, for code that already holds it.  `derive_ward` and
`tables_after` rebuild one ward only, for a submission (intake.submit).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import crashpoints, files, ledger, submissions
from etl.load import (
    OtherWards,
    check_database,
    ledger_entries,
    previous_path,
    reading,
    same_schema,
    write_database,
)
from etl.lock import WAIT_SECONDS, writer_lock
from etl.memo import Kept
from etl.normalise import (
    ACTUALS_SHEETS,
    Catalogue,
    Rows,
    WardData,
    catalogue_from,
    stacked,
    ward_actuals,
    ward_from,
)
from etl.parallel import forked_map, forked_shares
from etl.problems import BuildFailed, Problem
from etl.read import FileRejected, RawWorkbook, read_workbook, sha256_of, sheet_key
from etl.reports import ParsedReport, parse_report
from etl.validate import Checker, info_cell
from wardplan.reads.db import DEFAULT_DB
from wardplan.reads.tables import TABLES
from wardplan.rules import quality, scenario, status, template
from wardplan.rules.missing import as_str
from wardplan.rules.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"


def data_path() -> Path:
    """The data folder the app and the intake use: data/, or CHITIEU_DATA (the tests' copy)."""
    return Path(os.environ.get("CHITIEU_DATA", DATA_DIR))
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

    name: str  # data/wards/2026/phu_lien.xlsx, or "nộp #12 (ten_tep.xlsx)"
    path: Path
    # The ward and plan year a submitted workbook was accepted for; a bundled
    # workbook's come from its path (wards/<year>/<ward>.xlsx).
    slot: tuple[str, int] | None = None

    @property
    def ward_slot(self) -> tuple[str, int] | None:
        if self.slot:
            return self.slot
        year = Path(self.name).parent.name
        return (Path(self.name).stem, int(year)) if year.isdigit() else None


@dataclass(frozen=True)
class FileRead:
    """What the build keeps of a workbook once it is checked: the parsed cells can go."""

    name: str
    sha256: str
    size_bytes: int

    @classmethod
    def of(cls, name: str, raw: RawWorkbook) -> FileRead:
        return cls(name, raw.sha256, raw.size_bytes)


@dataclass
class CheckedInput:
    catalogue: Catalogue
    wards: list[WardData]
    files: list[FileRead]  # every workbook read


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


def read_file(file: WorkbookFile, problems: list[Problem],
              specs: Iterable[template.Sheet]) -> RawWorkbook | None:
    """The workbook's sheets the template knows (`specs`): `Checker.sheets` refuses any
    other by its name alone, and the column guide in every workbook is never read (a
    tenth of a ward workbook's reading)."""
    try:
        return read_workbook(file.path, frozenset(sheet_key(s.name) for s in specs))
    except FileRejected as exc:
        problems.append(Problem(file.name, exc.sheet, exc.cell, exc.reason_vi))
        return None


def read_catalogue(data_dir: Path) -> Catalogue:
    """The catalogue alone, checked (BuildFailed otherwise)."""
    catalogue, problems, _ = _catalogue(data_dir)
    if problems:
        raise BuildFailed(problems)
    return catalogue


def _catalogue(data_dir: Path) -> tuple[Catalogue | None, list[Problem], FileRead]:
    catalogue_path = data_dir / CATALOGUE_FILE
    catalogue_name = display_name(catalogue_path, data_dir)
    if not catalogue_path.is_file():
        raise BuildFailed([Problem(catalogue_name, "", "", "Không tìm thấy danh mục chỉ tiêu.")])
    problems: list[Problem] = []
    raw_catalogue = read_file(WorkbookFile(catalogue_name, catalogue_path), problems,
                              template.CATALOGUE_SHEETS)
    if raw_catalogue is None:
        raise BuildFailed(problems)
    check = Checker(catalogue_name)
    check.sheets(raw_catalogue, template.CATALOGUE_SHEETS)
    catalogue = catalogue_from(raw_catalogue, check)
    return catalogue, check.problems, FileRead.of(catalogue_name, raw_catalogue)


def read_and_check(data_dir: Path, submitted: list[WorkbookFile] = (),
                   ward: str | None = None) -> CheckedInput:
    """Every workbook read and checked (of `ward` only, if given).  A `submitted` workbook
    takes the place of the bundled one of its ward and plan year, or adds one."""
    catalogue, problems, catalogue_file = _catalogue(data_dir)
    workbooks, misplaced = ward_files(data_dir)
    problems += misplaced
    replaced = {w.slot for w in submitted}
    workbooks = [w for w in workbooks if w.ward_slot not in replaced] + list(submitted)
    if ward is not None:
        workbooks = [w for w in workbooks if w.ward_slot and w.ward_slot[0] == ward]
    wards, read, owner = [], [catalogue_file], {}
    for file, one in zip(workbooks, _checked_workbooks(workbooks, catalogue), strict=True):
        problems += one.problems
        ward_data = one.ward
        if ward_data is None:
            continue
        misplaced_why = _misplaced(file, ward_data)
        if misplaced_why:
            problems.append(Problem(file.name, template.WARD_INFO.name, one.code_cell,
                                    misplaced_why))
            continue
        key = (ward_data.ward_code, ward_data.plan_year)
        if key in owner:
            problems.append(Problem(file.name, template.WARD_INFO.name, one.code_cell,
                                    f"Đơn vị '{ward_data.ward_code}' đã có kế hoạch năm "
                                    f"{ward_data.plan_year} trong tệp {owner[key]}; mỗi đơn vị "
                                    "một tệp cho mỗi năm."))
            continue
        owner[key] = file.name
        wards.append(ward_data)
        read.append(one.file)
    if problems:
        raise BuildFailed(problems)
    return CheckedInput(catalogue, wards, read)


@dataclass(frozen=True)
class _CheckedWorkbook:
    """One workbook read and checked on its own: its ward's data if it has no problem."""

    ward: WardData | None
    problems: list[Problem]
    file: FileRead | None
    code_cell: str = ""


def _check_workbook(file: WorkbookFile, catalogue: Catalogue) -> _CheckedWorkbook:
    crashpoints.reached("while_reading_workbooks")
    problems: list[Problem] = []
    raw = read_file(file, problems, template.WARD_SHEETS)
    if raw is None:
        return _CheckedWorkbook(None, problems, None)
    check = Checker(file.name)
    check.sheets(raw, template.WARD_SHEETS)
    ward_data = ward_from(raw, file.name, check, catalogue)
    return _CheckedWorkbook(ward_data, check.problems, FileRead.of(file.name, raw),
                            info_cell(raw, "Mã đơn vị"))


def _checked_workbooks(files: list[WorkbookFile], catalogue: Catalogue) -> list[_CheckedWorkbook]:
    """Each workbook read and checked, in order (with many, each core takes a share)."""
    return forked_map(functools.partial(_check_workbook, catalogue=catalogue), files)


def _misplaced(file: WorkbookFile, ward: WardData) -> str | None:
    """Why a workbook's path (or the slot it was submitted for) disagrees with the ward
    and year it declares, if it does.

    The path is how staff find a ward's file; a file named for one ward but
    declaring another would silently replace that other ward's data.
    """
    if file.slot:
        if file.slot == (ward.ward_code, ward.plan_year):
            return None
        return (f"Tệp khai báo đơn vị '{ward.ward_code}', năm kế hoạch {ward.plan_year}, nhưng "
                f"được nộp cho '{file.slot[0]}', năm {file.slot[1]}.")
    path = Path(file.name)
    expected = f"{ward.plan_year}/{ward.ward_code}.xlsx"
    actual = f"{path.parent.name}/{path.stem}.xlsx"
    if actual == expected:
        return None
    return (f"Tệp khai báo đơn vị '{ward.ward_code}', năm kế hoạch {ward.plan_year} ở trang "
            f"'Thông tin' nên phải đặt tại {WARDS_DIR}/{expected}.")


def _concat(wards: list[WardData], attribute: str) -> pd.DataFrame:
    return stacked([getattr(w, attribute) for w in wards]) if wards else pd.DataFrame()


def derive_tables(found: Inputs, settings: Settings, entries: list[ledger.Entry] = (),
                  only_ward: str | None = None) -> dict[str, pd.DataFrame]:
    """Every table, from the checked workbooks and the reports in force over them, with
    what they superseded for the history (and the steps of it that no longer read).
    `only_ward`: statuses of that ward alone (a one-ward build, whose other wards would
    all look planless)."""
    checked, reports = found.checked, found.reports
    catalogue, wards = checked.catalogue, checked.wards
    tables = {name: _concat(wards, name) for name in
              ("sources", "targets", "actuals", "statements", "baselines", "tasks", "projects")}
    tables["scenario_official"] = _concat(wards, "scenario")
    tables["wards"] = catalogue.wards
    tables["ward_plans"] = pd.DataFrame(
        [(w.ward_code, w.plan_year, w.file) for w in wards],
        columns=["ward_code", "plan_year", "source_file"])
    submissions.apply(tables, list(reports), list(entries), list(found.earlier))
    tables["indicators"] = catalogue.indicators
    years = sorted({w.plan_year for w in wards})
    notes = _concat(wards, "notes")
    gaps = quality.findings_frame(found.gaps)
    status_wards = catalogue.wards if only_ward is None else \
        catalogue.wards[catalogue.wards["ward_code"] == only_ward]
    codes = sorted(as_str(code) for code in status_wards["ward_code"])
    shares = forked_shares(functools.partial(
        _ward_rules, tables=tables, ward_count=len(codes), years=years, notes=notes, gaps=gaps,
        settings=settings), codes)
    # Stacked as one process makes them: plan year by plan year, the wards in order within
    # each; the findings framed once, so that no share's column types decide the table's.
    tables["scenario"] = _stack(share.scenario[y] for y in range(len(years)) for share in shares)
    checks = quality.findings_frame([f for share in shares for f in share.checks])
    readings = quality.findings_frame([f for share in shares for f in share.readings])
    tables["data_issues"] = _stack([checks, readings, notes, gaps])
    tables["status"] = _stack(share.status[y] for y in range(len(years)) for share in shares)
    tables["load_files"] = _load_files(checked, reports)
    tables["build_info"] = pd.DataFrame([{
        "green_min_pct": settings.bands.green_min_pct,
        "amber_min_pct": settings.bands.amber_min_pct,
        "scenario_rule": settings.scenario_rule,
        "ledger_entries": ledger.accepted_count(entries),
    }])
    return tables


@dataclass(frozen=True)
class _WardRules:
    """What the rules make of some wards' rows, each plan year's apart.  A ward's scenario,
    findings and statuses depend on its own rows alone, but for the indicators a ward
    without a plan is listed with, which come from every ward's targets (tables_after
    relies on the same)."""

    scenario: list[pd.DataFrame]  # a frame per plan year
    readings: list[quality.Finding]  # the scenario's, while reading the plan cells
    checks: list[quality.Finding]  # the data-quality checks'
    status: list[pd.DataFrame]  # a frame per plan year


def _ward_rules(codes: list[str], tables: dict[str, pd.DataFrame], ward_count: int,
                years: list[int], notes: pd.DataFrame, gaps: pd.DataFrame,
                settings: Settings) -> _WardRules:
    """The scenario, findings and statuses of the wards `codes`, each sorted by ward first,
    so that shares of the wards in order stack into the city's.  A city's share is most of
    its build's work after reading: each core takes a few."""
    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        if len(codes) == ward_count or frame.empty:  # all of them: the frames whole
            return frame
        return frame[frame["ward_code"].isin(codes)]
    indicators = tables["indicators"]
    targets, actuals, statements, baselines = (
        mine(tables[name]) for name in ("targets", "actuals", "statements", "baselines"))
    official = mine(tables["scenario_official"]).rename(columns={"value": "planned_value"})
    phased = [scenario.build_scenario(
        indicators, targets, official, year, statements=statements, actuals=actuals,
        baselines=baselines, rule=settings.scenario_rule) for year in years]
    readings = [r for p in phased for r in p.readings]
    checks = quality.run_checks(indicators, targets, actuals, statements, baselines,
                                mine(tables["projects"]))
    flags = status.Flags.from_findings(_stack(
        [quality.findings_frame(checks), quality.findings_frame(readings), mine(notes),
         mine(gaps)]))
    wards = tables["wards"][tables["wards"]["ward_code"].isin(codes)]
    planned = _stack(p.frame for p in phased)
    # Every ward's targets: a ward without a plan lists the indicators the others plan.
    statuses = [status.compute_status(indicators, tables["targets"], actuals, planned, wards,
                                      settings.bands, year, flags) for year in years]
    return _WardRules([p.frame for p in phased], readings, checks, statuses)


def _stack(frames) -> pd.DataFrame:
    """Frames stacked, skipping empty ones (the rules work one plan year at a time)."""
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _load_files(checked: CheckedInput,
                reports: list[tuple[ledger.Entry, ParsedReport]]) -> pd.DataFrame:
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    catalogue_name = checked.files[0].name
    rows = {catalogue_name: len(checked.catalogue.indicators) + len(checked.catalogue.wards)}
    ward_of = {catalogue_name: None}
    for ward in checked.wards:
        ward_of[ward.file] = ward.ward_code
        rows[ward.file] = sum(len(getattr(ward, a)) for a in (
            "sources", "targets", "scenario", "actuals", "statements", "baselines", "tasks",
            "projects", "notes"))
    records = [{"file": f.name, "ward_code": ward_of.get(f.name), "sha256": f.sha256,
                "size_bytes": f.size_bytes, "rows_loaded": rows.get(f.name, 0),
                "loaded_at": loaded_at} for f in checked.files]
    records += [{"file": submissions.file_name(entry), "ward_code": entry.ward_code,
                 "sha256": entry.sha256, "size_bytes": report.size_bytes,
                 "rows_loaded": len(report.actuals), "loaded_at": loaded_at}
                for entry, report in reports]
    return pd.DataFrame(records, columns=list(TABLES["load_files"]))


def report_of(tables: dict[str, pd.DataFrame], db_path: Path, started: float) -> BuildReport:
    counts = pd.DataFrame([{"table": name, "rows": len(frame)} for name, frame in tables.items()])
    return BuildReport(db_path, time.perf_counter() - started, counts, len(tables["data_issues"]))


@dataclass
class Inputs:
    checked: CheckedInput
    reports: list[tuple[ledger.Entry, ParsedReport]]  # in force, oldest first
    earlier: list[submissions.Layer]  # superseded, for the history
    # Submissions no longer in force whose files no longer read: steps the history lacks.
    gaps: list[quality.Finding] = field(default_factory=list)


def inputs(data_dir: Path, entries: list[ledger.Entry], ward: str | None = None,
           staged: dict[int, Path] | None = None) -> Inputs:
    """The checked workbooks, the reports in force and what they superseded (of `ward`
    only, if given).  `staged`: where the files of entries not stored yet are (a
    submission being checked)."""
    folder = ledger.submissions_dir(data_dir)
    staged = staged or {}

    def locate(entry: ledger.Entry) -> Path:
        return staged.get(entry.id) or ledger.stored_file(entry.sha256, folder)

    mine = [e for e in ledger.accepted(entries) if ward is None or e.ward_code == ward]
    in_force = {e.id for e in ledger.in_force(entries)}
    current = {(e.ward_code, e.plan_year): e for e in mine
               if e.kind == ledger.WORKBOOK and e.id in in_force}
    submitted = [WorkbookFile(submissions.file_name(e), locate(e), slot)
                 for slot, e in current.items()]
    checked = read_and_check(data_dir, submitted, ward)
    reports = submissions.reports(entries, checked.catalogue, locate, ward)
    bundled = {w.ward_slot: w for w in ward_files(data_dir)[0]}
    catalogue = checked.catalogue, checked.files[0].sha256
    earlier = [submissions.Layer(None, slot, _actuals_of(bundled[slot], catalogue))
               for slot in current if slot in bundled]

    def no_longer_in_force(e: ledger.Entry) -> submissions.Layer:
        if e.kind == ledger.WORKBOOK:
            file = WorkbookFile(submissions.file_name(e), locate(e), (e.ward_code, e.plan_year))
            return submissions.Layer(e, file.slot, _actuals_of(file, catalogue, e.sha256))
        return submissions.Layer(e, None, _superseded(
            (submissions.file_name(e), e.sha256, catalogue[1], submissions.source_code(e)),
            lambda: parse_report(locate(e), submissions.file_name(e), checked.catalogue,
                                 submissions.source_code(e)).actuals))

    gaps: list[quality.Finding] = []
    superseded = [e for e in mine if e.id not in in_force]
    reverted = [e for e in ledger.reverted(entries) if ward is None or e.ward_code == ward]
    earlier += [layer for e in superseded + reverted
                for layer in _history_layer(e, no_longer_in_force, gaps)]
    # A revert is a step of the history too: each figure it brought back, or took away.
    earlier += [submissions.Layer(e, None, submissions.NO_ACTUALS, undoes=e.reverts)
                for e in ledger.reverts(entries) if ward is None or e.ward_code == ward]
    return Inputs(checked, reports, earlier, gaps)


HISTORY_GAP = "history_unreadable"  # the check code of a step the history lacks


def _history_layer(entry: ledger.Entry, layer: Callable[[ledger.Entry], submissions.Layer],
                   gaps: list[quality.Finding]) -> list[submissions.Layer]:
    """A submission's figures once it is no longer in force (superseded or reverted), for
    the history only.  Its file was checked when it was accepted; one that no longer reads
    (the catalogue has changed since, the stored file is gone) must not stop every later
    build and submission, since no one can correct an old submission.  The history then
    lacks that step, and a finding on the unit's data-quality page says so."""
    try:
        return [layer(entry)]
    except (BuildFailed, FileRejected, OSError) as exc:
        if _passing(exc):
            raise  # the disk, not the file: the next try may read it, and the history whole
        log.warning("submission #%s left out of the history: %r", entry.id, exc)
        gaps.append(quality.Finding(
            ward_code=entry.ward_code, indicator_code=None, period=entry.period,
            severity="warning", check_code=HISTORY_GAP, source_ref=entry.file_name,
            message=(f"Lần nộp #{entry.id} (tệp {entry.file_name}) không còn đọc được nên "
                     f"lịch sử số liệu thiếu bước này: {_why_unreadable(exc)}")))
        return []


def _passing(exc: BaseException | None) -> bool:
    """Whether reading failed for a reason of the moment (permissions, too many open files,
    an I/O error) rather than the file itself, gone or no longer readable."""
    while exc is not None:
        if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError):
            return True
        exc = exc.__cause__
    return False


def _why_unreadable(exc: Exception) -> str:
    if isinstance(exc, BuildFailed):
        first = exc.problems[0]
        more = f" (và {len(exc.problems) - 1} lỗi khác)" if len(exc.problems) > 1 else ""
        return f"{first.reason_vi}{more}"
    if isinstance(exc, FileRejected):
        return exc.reason_vi
    return "không mở được tệp đã lưu của lần nộp này."


def _actuals_of(file: WorkbookFile, catalogue: tuple[Catalogue, str],
                sha256: str | None = None) -> Rows:
    """The actuals of a workbook no longer in force (they were checked when it was)."""
    def read() -> Rows:
        check = Checker(file.name)
        actuals = ward_actuals(read_workbook(file.path, ACTUALS_SHEETS), file.name, check,
                               catalogue[0])
        if actuals is None or check.problems:
            raise BuildFailed(check.problems)
        return actuals
    return _superseded((file.name, sha256 or sha256_of(file.path), catalogue[1]), read)


# Superseded files are read for the history on every build of their ward, and a ward
# resubmits month after month: each one is read once per process (a submission is
# checked, then published, by the same server).  Keyed by content and the catalogue's.
# Checks run in the server's session threads, several at once.
_SUPERSEDED: Kept[Rows] = Kept(512)


def _superseded(key: tuple, read: Callable[[], Rows]) -> Rows:
    actuals = _SUPERSEDED.get(key)
    if actuals is None:
        actuals = read()  # not under a lock: two threads may read the same file once each
        _SUPERSEDED.put(key, actuals)
    return actuals  # nothing changes rows once read


def rebuild(data_dir: Path, db_path: Path, settings: Settings) -> BuildReport:
    """Read, check, derive and swap in a new database; the caller holds the writer lock."""
    started = time.perf_counter()
    entries = ledger.read_all(ledger.submissions_dir(data_dir))
    tables = derive_tables(inputs(data_dir, entries), settings, entries)
    write_database(tables, db_path)
    return report_of(tables, db_path, started)


def build(data_dir: Path = DATA_DIR, db_path: Path = DEFAULT_DB,
          settings: Settings | None = None, *, wait_seconds: float = WAIT_SECONDS,
          notify: Callable[[str], None] = log.info) -> BuildReport:
    settings = settings or load_settings()
    with writer_lock(db_path, wait_seconds, notify):
        settle(data_dir, db_path, settings, notify)
        return rebuild(data_dir, db_path, settings)


def derive_ward(data_dir: Path, settings: Settings, entries: list[ledger.Entry], ward: str,
                staged: dict[int, Path] | None = None) -> dict[str, pd.DataFrame]:
    """One ward's tables (every plan year), as a whole build would derive them."""
    found = inputs(data_dir, entries, ward, staged)
    return derive_tables(found, settings, entries, only_ward=ward)


# Tables a ward's rebuild takes whole: the catalogue's, and those about every ward.
_WHOLE_TABLES = {"wards", "indicators", "build_info", "submissions"}


def tables_after(db_path: Path, data_dir: Path, settings: Settings, entries: list[ledger.Entry],
                 ward: str, staged: dict[int, Path] | None = None,
                 ward_tables: dict[str, pd.DataFrame] | None = None,
                 ) -> tuple[dict[str, pd.DataFrame], OtherWards | None]:
    """Every table once `entries` apply, for `load.prepare`: `ward` rebuilt and the other
    wards' rows kept from the live database, or a whole rebuild (and None) when the change
    reaches other wards (tests/test_intake.py holds the two equal)."""
    ward_tables = ward_tables or derive_ward(data_dir, settings, entries, ward, staged)
    with reading(db_path) as con:
        live = con.execute("SELECT ward_code, year, indicator_code FROM targets").df()
    others = live[live["ward_code"].notna() & (live["ward_code"] != ward)]
    if _planned(others, ward_tables["targets"]) != _planned(live) or not same_schema(db_path):
        # A ward without a plan lists the indicators the others plan (rules.status):
        # a new or dropped indicator changes those wards too.  A database whose tables
        # earlier code declared cannot keep their rows as they are.
        found = inputs(data_dir, entries, staged=staged)
        return derive_tables(found, settings, entries), None
    tables = {}
    for name in TABLES:
        fresh = ward_tables[name]
        # Rows of no ward (the catalogue's findings and file) come fresh with the ward;
        # a one-ward build lists the other wards as planless: their rows stay live.
        tables[name] = fresh if name in _WHOLE_TABLES else \
            fresh[fresh["ward_code"].isna() | (fresh["ward_code"] == ward)]
    return tables, OtherWards(db_path, ward, frozenset(TABLES) - _WHOLE_TABLES)


def _planned(*targets: pd.DataFrame) -> set[tuple[int, str]]:
    return {(int(y), c) for frame in targets
            for y, c in zip(frame["year"], frame["indicator_code"], strict=True)}


# --- after a crash ----------------------------------------------------------------

def settle(data_dir: Path, db_path: Path, settings: Settings,
           notify: Callable[[str], None]) -> None:
    """Remove what a crashed writer left behind, and rebuild if the database is behind the
    ledger (a writer stopped between appending its line and swapping the database in).
    The caller holds the writer lock."""
    beside_db = [files.building_path(db_path), files.wal_of(files.building_path(db_path)),
                 files.partial_path(previous_path(db_path))]
    left = files.leftovers(data_dir, beside_db)
    for path in left:
        path.unlink()
    if left:
        log.warning("removed leftovers of an interrupted writer: %s", [p.name for p in left])
        notify(f"Đã xóa {len(left)} tệp tạm do một lần chạy bị dừng giữa chừng để lại: "
               + ", ".join(display_name(p, data_dir) if p.is_relative_to(data_dir) else p.name
                           for p in left) + ".")
    if not db_path.exists():
        return
    if check_database(db_path):
        notify("Cơ sở dữ liệu hiện tại không đọc được đầy đủ; lần nạp này sẽ thay nó bằng bản mới "
               "(bản trước đó vẫn được giữ nguyên).")
        return
    if is_behind(data_dir, db_path):
        rebuild(data_dir, db_path, settings)
        notify("Cơ sở dữ liệu chưa có lần nộp cuối cùng (lần ghi trước bị dừng giữa chừng); đã "
               "dựng lại cho khớp với sổ các lần nộp.")


def is_behind(data_dir: Path, db_path: Path) -> bool:
    """True when the ledger has lines the database was not built with."""
    return ledger_entries(db_path) != len(ledger.read(ledger.submissions_dir(data_dir)))
