"""Accept a ward's new workbook: validate it with everything else, keep the one
it replaces, then rebuild.

The new file is first checked in a staged copy of the data folder, exactly as
the next build would see it; if anything is wrong nothing under data/ or the
database changes.  A replaced workbook is moved to data/replaced/ with a
timestamp, never deleted.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from etl.build import WARDS_DIR, BuildReport, build, read_and_check
from etl.problems import BuildFailed, Problem
from etl.read import FileRejected, read_workbook
from etl.validate import Checker
from wardplan.rules import template

REPLACED_DIR = "replaced"


@dataclass
class ImportResult:
    ward_code: str
    installed: Path
    replaced: Path | None
    report: BuildReport


def plan_of(path: Path) -> tuple[str, str]:
    """The ward and plan year a workbook declares in its 'Thông tin' sheet."""
    try:
        raw = read_workbook(path)
    except FileRejected as exc:
        raise BuildFailed([Problem(path.name, "", "", exc.reason_vi)]) from exc
    check = Checker(path.name)
    rows = check.rows(raw.sheets.get(template.WARD_INFO.name), template.WARD_INFO)
    info = {r.text("key"): r.text("value") for r in rows}
    missing = [label for label in ("Mã đơn vị", "Năm kế hoạch") if not info.get(label)]
    if missing or check.problems:
        raise BuildFailed(check.problems or [Problem(path.name, template.WARD_INFO.name, "",
                                                     f"Thiếu mục '{label}'.") for label in missing])
    return info["Mã đơn vị"], info["Năm kế hoạch"]


def import_workbook(path: Path, data_dir: Path, db_path: Path) -> ImportResult:
    ward_code, plan_year = plan_of(path)
    target = data_dir / WARDS_DIR / plan_year / f"{ward_code}.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / data_dir.name
        shutil.copytree(data_dir, staged, ignore=shutil.ignore_patterns(REPLACED_DIR))
        (staged / WARDS_DIR / plan_year).mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, staged / WARDS_DIR / plan_year / target.name)
        try:
            read_and_check(staged)
        except BuildFailed as failure:
            # Name the user's own file, not the staged copy it was checked as.
            staged_name = f"{data_dir.name}/{WARDS_DIR}/{plan_year}/{target.name}"
            raise BuildFailed([Problem(path.name, p.sheet, p.cell, p.reason_vi)
                               if p.file == staged_name else p
                               for p in failure.problems]) from None
    replaced = None
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        replaced = data_dir / REPLACED_DIR / f"{ward_code}.{stamp}.xlsx"
        replaced.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, replaced)
    shutil.copy2(path, target)
    try:
        report = build(data_dir, db_path)
    except Exception:
        if replaced:
            shutil.copy2(replaced, target)
        else:
            target.unlink(missing_ok=True)
        raise
    return ImportResult(ward_code, target, replaced, report)
