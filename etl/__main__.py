"""Command line:

    python -m etl build [--data DIR] [--db PATH] [--wait SECONDS]
    python -m etl import FILE.xlsx [--data DIR] [--db PATH] [--wait SECONDS]

`import` takes a ward's whole workbook or a period's report (the "mẫu báo
cáo") by the same path as the browser's "Nộp báo cáo" (intake.submit),
recorded in the ledger as submitted by the shell user.  Exit code 0 when the
database was replaced, 1 when it was not (an input had problems, another
writer kept the lock, or an unexpected error: the database, data/ and the
ledger are left as they were, or the next run finishes the step), 2 on
usage errors.  Everything printed is Vietnamese and names no server path; the
English detail goes to `etl.log` beside the database.
"""

from __future__ import annotations

import argparse
import gc
import logging
import logging.handlers
import secrets
import sys
from pathlib import Path

from accounts.store import shell_user
from etl.build import DATA_DIR, DEFAULT_DB, build
from etl.lock import WAIT_SECONDS
from etl.problems import Refused
from intake import submit
from wardplan.rules.frames import records, release_freed_memory

LOG_FILE = "etl.log"
USAGE_VI = ("Cách dùng: python -m etl build [--data THƯ_MỤC] [--db TỆP] [--wait GIÂY]\n"
            "           python -m etl import TỆP.xlsx [--data THƯ_MỤC] [--db TỆP] [--wait GIÂY]")

log = logging.getLogger("etl")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is said in Vietnamese (argparse's English goes to the log)."""

    def error(self, message: str):
        log.info("usage error: %s", message)
        self.exit(2, f"Lệnh không hợp lệ.\n{USAGE_VI}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m etl", usage=USAGE_VI)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    build_cmd = commands.add_parser("build", help="kiểm tra các sổ tính và dựng lại cơ sở dữ liệu")
    import_cmd = commands.add_parser(
        "import", help="kiểm tra sổ tính mới của một đơn vị, giữ tệp cũ, rồi dựng lại")
    import_cmd.add_argument("workbook", type=Path)
    for command in (build_cmd, import_cmd):
        command.add_argument("--data", type=Path, default=DATA_DIR,
                             help="thư mục có catalogue.xlsx và wards/")
        command.add_argument("--db", type=Path, default=DEFAULT_DB, help="tệp DuckDB cần dựng")
        command.add_argument("--wait", type=float, default=WAIT_SECONDS,
                             help="số giây tối đa chờ khi đang có một lần nạp khác")
    return parser


def _log_to_file(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    path = (db_path.parent / LOG_FILE).resolve()
    root = logging.getLogger()
    if any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        return  # main() called again in one process (the tests do)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1 << 20, backupCount=3,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: "
                                           "%(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _run(args: argparse.Namespace) -> list[str]:
    """Do the command; what to print about it."""
    lines = []
    if args.command == "import":
        published = submit.publish(submit.upload_from_path(args.workbook), shell_user(),
                                   args.data, args.db, wait_seconds=args.wait, notify=_say)
        entry, preview = published.entry, published.preview
        lines.append(f"Đã nhận lần nộp số {entry.id} của '{entry.ward_code}' "
                     f"({args.workbook.name}) trong {published.seconds:.2f} giây: "
                     + submit.summary_vi(preview) + ".")
        lines.append("Tệp được lưu nguyên vẹn trong sổ các lần nộp; số liệu cũ vẫn còn trong "
                     "lịch sử (v_revisions).")
        return lines
    report = build(args.data, args.db, wait_seconds=args.wait, notify=_say)
    lines.append(f"Đã nạp dữ liệu vào {report.db_path.name} trong {report.seconds:.2f} giây.")
    lines += [f"  {row.table:<18} {row.rows:>6} dòng" for row in records(report.counts)]
    lines.append(f"  Phát hiện {report.issues} vấn đề chất lượng dữ liệu (xem v_data_issues).")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    release_freed_memory()
    try:
        _log_to_file(args.db)
        lines = _run(args)
    except Refused as refusal:
        _say(refusal.report_vi())
        log.info("%s refused: %s", args.command, refusal)
        return 1
    except Exception:
        error_id = secrets.token_hex(4)
        log.exception("unexpected error %s in %s", error_id, args.command)
        _say(f"Lỗi không mong đợi (mã lỗi {error_id}): không nạp dữ liệu. Dữ liệu đang dùng không "
             "bị ghi dở: lần chạy sau tự hoàn tất hoặc hoàn tác phần còn dang dở. Hãy báo quản trị "
             f"viên mã lỗi này (chi tiết trong {LOG_FILE}).")
        return 1
    try:
        print("\n".join(lines), flush=True)
    except BrokenPipeError:
        pass  # the reader went away (`| head`); the work itself is done
    return 0


def _collect_less() -> None:
    """For this one command's process: the collector's passes over a city's build (hundreds
    of thousands of cells and frames that live until its end) were a seventh of its time.
    Reference counting frees everything else as before; the peak memory did not change.
    (Not `gc.freeze()`: DuckDB's bindings then report what it kept as leaked, at exit.)"""
    gc.set_threshold(50_000, 20, 100)


if __name__ == "__main__":
    _collect_less()
    sys.exit(main())
