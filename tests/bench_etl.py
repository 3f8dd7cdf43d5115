"""Benchmark: the ETL at city scale (114 units), on SYNTHETIC data.

Not a test (no assertions, not collected by pytest): it prints figures.
Every synthetic unit is a copy of Phù Liễn's workbook under the code
`synthetic_NNN` and the name "Đơn vị giả lập NNN (dữ liệu thử nghiệm)", written
to a temporary folder; nothing here touches data/ or the real database.

    python tests/bench_etl.py [--units 114]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.build import build  # noqa: E402


def synthetic_data(target: Path, units: int) -> None:
    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("README.md", "replaced"))
    catalogue = load_workbook(target / "catalogue.xlsx")
    sheet = catalogue["Đơn vị hành chính"]
    template = target / "wards" / "phu_lien.xlsx"
    for n in range(1, units - 2):  # plus the three real wards
        code = f"synthetic_{n:03d}"
        sheet.append([code, f"Đơn vị giả lập {n:03d} (dữ liệu thử nghiệm)", "Phường"])
        book = load_workbook(template)
        info = book["Thông tin"]
        for row in info.iter_rows(min_row=2):
            if row[0].value == "Mã đơn vị":
                row[1].value = code
            elif row[0].value == "Tên đơn vị":
                row[1].value = f"Đơn vị giả lập {n:03d}"
        book.save(target / "wards" / f"{code}.xlsx")
    catalogue.save(target / "catalogue.xlsx")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=114)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        started = time.perf_counter()
        synthetic_data(data, args.units)
        print(f"SYNTHETIC data for {args.units} units written in "
              f"{time.perf_counter() - started:.1f} s")
        db = Path(tmp) / "bench.duckdb"
        report = build(data, db)
        rows = dict(zip(report.counts["table"], report.counts["rows"], strict=True))
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"build: {report.seconds:.1f} s, database {db.stat().st_size / 1024 / 1024:.1f} MiB, "
              f"peak RSS {peak_mib:.0f} MiB")
        print(f"rows: targets {rows['targets']}, actuals {rows['actuals']}, "
              f"scenario {rows['scenario']}, status {rows['status']}, "
              f"data_issues {rows['data_issues']}")


if __name__ == "__main__":
    main()
