"""The two data sets every benchmark runs on, made once per `python -m bench` run.

- "bundled": the three real wards in data/ (never written to; builds go to the
  workspace).
- "synthetic": 114 units, SYNTHETIC ("dữ liệu thử nghiệm"), see bench/synthetic.py,
  generated into the workspace (a temporary folder unless --workdir is given,
  in which case it is reused by later runs).
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from bench import synthetic
from bench.measure import python, run_child

SCALES = ("bundled", "synthetic")


class Workspace:
    def __init__(self, root: Path, units: int = 114, reuse_db: bool = False):
        self.root = Path(root)
        self.units = units
        self.reuse_db = reuse_db  # developing the benchmarks: keep databases in --workdir
        self._dbs: dict[str, Path] = {}
        self.last_build_seconds: dict[str, float] = {}

    def label(self, scale: str) -> str:
        return "bundled (3 wards)" if scale == "bundled" else f"SYNTHETIC ({self.units} units)"

    def data(self, scale: str) -> Path:
        if scale == "bundled":
            return synthetic.BUNDLED
        folder = self.root / f"synthetic-{self.units}" / "data"
        if not (folder / "catalogue.xlsx").exists():
            shutil.rmtree(folder.parent, ignore_errors=True)
            started = time.perf_counter()
            print(f"… writing the SYNTHETIC data set ({self.units} units, "
                  f"'{synthetic.LABEL}') into {folder}", file=sys.stderr, flush=True)
            synthetic.write(folder, self.units)
            print(f"  written in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        return folder

    def year(self) -> Path:
        """The synthetic city's data with a year of reports in its ledger (SYNTHETIC: every
        unit with a plan, January to November), made once per workdir: `data/` and
        `instance/submissions/` under the folder returned."""
        folder = self.root / f"synthetic-{self.units}-year"
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            started = time.perf_counter()
            print(f"… writing a SYNTHETIC year of reports into {folder}", file=sys.stderr,
                  flush=True)
            shutil.copytree(self.data("synthetic"), folder / "data",
                            ignore=shutil.ignore_patterns("README.md"))
            count = synthetic.write_reports(folder / "data", self.db("synthetic"))
            (folder / "done").write_text(str(count))
            print(f"  {count} reports written in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr, flush=True)
        return folder

    def year_copy(self, name: str) -> Path:
        """A private copy of `year()`, for commands that write into it; its data folder."""
        target = self.root / f"year-{name}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(self.year(), target)
        return target / "data"

    def data_copy(self, scale: str, name: str) -> Path:
        """A private copy of a data set, for commands that write into data/ (etl import)."""
        target = self.root / f"{scale}-{name}" / "data"
        shutil.rmtree(target.parent, ignore_errors=True)
        shutil.copytree(self.data(scale), target, ignore=shutil.ignore_patterns("README.md"))
        return target

    def db(self, scale: str) -> Path:
        """The database built from `scale`, once per run (in a child process)."""
        path = self.root / f"{scale}.duckdb"
        if scale not in self._dbs and self.reuse_db and path.exists():
            self._dbs[scale] = path
        if scale not in self._dbs:
            self.build(scale, path)
        return self._dbs[scale]

    def build(self, scale: str, path: Path, sample_tree: bool = False):
        """`etl build` in a process of its own; with `sample_tree`, the PSS of it and of the
        workers it forks sampled too (a run apart from those timed: see run_child)."""
        run = run_child(python("-m", "etl", "build", "--data", str(self.data(scale)),
                               "--db", str(path)), sample_tree=sample_tree)
        if run.returncode != 0:
            raise SystemExit(f"etl build failed on the {scale} data:\n{run.output}")
        self._dbs[scale] = path
        self.last_build_seconds[scale] = run.seconds
        return run
