"""Command line:

    python -m etl build [--data DIR] [--db PATH]
    python -m etl import WORKBOOK.xlsx [--data DIR] [--db PATH]

Exit code 0 when the database was replaced, 1 when any input had problems
(the previous database is left exactly as it was), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from etl.build import DATA_DIR, DEFAULT_DB, build
from etl.import_workbook import import_workbook
from etl.problems import BuildFailed

log = logging.getLogger("etl")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="validate the workbooks and rebuild the database")
    import_cmd = commands.add_parser(
        "import", help="check a ward's new workbook, keep the one it replaces, rebuild")
    import_cmd.add_argument("workbook", type=Path)
    for command in (build_cmd, import_cmd):
        command.add_argument("--data", type=Path, default=DATA_DIR,
                             help="folder with catalogue.xlsx and wards/")
        command.add_argument("--db", type=Path, default=DEFAULT_DB, help="DuckDB file to (re)build")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        if args.command == "import":
            result = import_workbook(args.workbook, args.data, args.db)
            print(f"Đã thay dữ liệu của '{result.ward_code}' bằng {args.workbook.name}.")
            if result.replaced:
                print(f"Tệp cũ được giữ tại {result.replaced}.")
            report = result.report
        else:
            report = build(args.data, args.db)
    except BuildFailed as failure:
        print(failure.report_vi(), file=sys.stderr)
        log.error("build failed with %d problem(s); data and database unchanged",
                  len(failure.problems))
        return 1
    print(f"Đã nạp dữ liệu vào {report.db_path} trong {report.seconds:.2f} giây.")
    for row in report.counts.itertuples():
        print(f"  {row.table:<18} {row.rows:>6} dòng")
    print(f"  Phát hiện {report.issues} vấn đề chất lượng dữ liệu (xem v_data_issues).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
