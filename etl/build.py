"""The whole build: read → validate → normalise → derive → load.

`build()` either replaces the database with a complete new one or raises
`BuildFailed` listing every problem in every input file; it never loads part
of the input.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.load import write_database
from etl.normalise import Catalogue, WardData, catalogue_from, ward_from
from etl.problems import BuildFailed, Problem
from etl.read import FileRejected, RawWorkbook, read_workbook
from etl.validate import Checker
from wardplan.reads.db import DEFAULT_DB
from wardplan.rules import quality, scenario, status
from wardplan.rules.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
CATALOGUE_FILE = "catalogue.xlsx"
WARDS_DIR = "wards"


@dataclass
class BuildReport:
    db_path: Path
    seconds: float
    counts: pd.DataFrame
    issues: int


def ward_files(data_dir: Path) -> list[Path]:
    """One workbook per ward and plan year: `wards/<plan year>/<ward_code>.xlsx`."""
    return sorted((data_dir / WARDS_DIR).glob("*/*.xlsx"))


def read_file(path: Path, data_dir: Path, problems: list[Problem]) -> RawWorkbook | None:
    try:
        return read_workbook(path)
    except FileRejected as exc:
        problems.append(Problem(_display(path, data_dir), "", "", exc.reason_vi))
        return None


def _display(path: Path, data_dir: Path) -> str:
    try:
        return str(path.relative_to(data_dir.parent))
    except ValueError:
        return path.name


def read_and_check(data_dir: Path) -> tuple[Catalogue, list[WardData], list[RawWorkbook]]:
    problems: list[Problem] = []
    catalogue_path = data_dir / CATALOGUE_FILE
    if not catalogue_path.exists():
        raise BuildFailed([Problem(_display(catalogue_path, data_dir), "", "",
                                   "Không tìm thấy danh mục chỉ tiêu.")])
    raw_catalogue = read_file(catalogue_path, data_dir, problems)
    if raw_catalogue is None:
        raise BuildFailed(problems)
    check = Checker(_display(catalogue_path, data_dir))
    catalogue = catalogue_from(raw_catalogue, check)
    problems += check.problems
    wards, raws, owner = [], [raw_catalogue], {}
    for path in ward_files(data_dir):
        raw = read_file(path, data_dir, problems)
        if raw is None:
            continue
        name = _display(path, data_dir)
        check = Checker(name)
        ward = ward_from(raw, name, check, catalogue)
        problems += check.problems
        if ward is None:
            continue
        misplaced = _misplaced(path, ward)
        if misplaced:
            problems.append(Problem(name, "Thông tin", "", misplaced))
            continue
        key = (ward.ward_code, ward.plan_year)
        if key in owner:
            problems.append(Problem(name, "Thông tin", "", f"Đơn vị '{ward.ward_code}' đã có kế "
                                    f"hoạch năm {ward.plan_year} trong tệp {owner[key]}; mỗi "
                                    "đơn vị một tệp cho mỗi năm."))
            continue
        owner[key] = name
        wards.append(ward)
        raws.append(raw)
    if problems:
        raise BuildFailed(problems)
    return catalogue, wards, raws


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


def derive_tables(catalogue: Catalogue, wards: list[WardData], raws: list[RawWorkbook],
                  settings: Settings, data_dir: Path) -> dict[str, pd.DataFrame]:
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
    tables["load_files"] = _load_files(raws, wards, catalogue, data_dir)
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


def _load_files(raws: list[RawWorkbook], wards: list[WardData], catalogue: Catalogue,
                data_dir: Path) -> pd.DataFrame:
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows_by_file = {_display(raws[0].path, data_dir): len(catalogue.indicators) + len(catalogue.wards)}
    for ward in wards:
        rows_by_file[ward.file] = sum(len(getattr(ward, a)) for a in (
            "sources", "targets", "scenario", "actuals", "statements", "baselines", "tasks",
            "projects", "notes"))
    return pd.DataFrame([{"file": _display(raw.path, data_dir), "sha256": raw.sha256,
                          "size_bytes": raw.size_bytes,
                          "rows_loaded": rows_by_file.get(_display(raw.path, data_dir), 0),
                          "loaded_at": loaded_at} for raw in raws])


def build(data_dir: Path = DATA_DIR, db_path: Path = DEFAULT_DB,
          settings: Settings | None = None) -> BuildReport:
    started = time.perf_counter()
    settings = settings or load_settings()
    catalogue, wards, raws = read_and_check(data_dir)
    tables = derive_tables(catalogue, wards, raws, settings, data_dir)
    write_database(tables, db_path)
    counts = pd.DataFrame(
        [{"table": name, "rows": len(frame)} for name, frame in tables.items()])
    return BuildReport(db_path, time.perf_counter() - started, counts,
                       len(tables["data_issues"]))
