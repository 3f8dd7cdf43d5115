"""Command line: the meeting exports without a browser (e.g. from cron).

    python -m exports deck --as-of 2026-Q1 [--wards phu_lien,thuy_nguyen]
                           [--indicators budget_revenue,...] [--full phu_lien,...]
                           --out bao-cao.pptx
    python -m exports workbook --as-of 2026-Q1 [--wards ...] [--indicators ...] --out bao-cao.xlsx
    python -m exports pdf --as-of 2026-Q1 [--wards ...] [--indicators ...] --out bao-cao.pdf
    python -m exports csv --as-of 2026-Q1 [--wards ...] [--indicators ...] --out trang-thai.csv
    python -m exports charts --as-of 2026-Q1 --ward phu_lien --out thu-muc/ [--format png|svg]

`--db PATH` reads another database file (default: CHITIEU_DB or
build/chitieu2026.duckdb, built from the bundled workbooks if missing).  Above
exports.report.CITY_LAYOUT_ABOVE units the deck and the PDF summarise the city;
`--full` names the units they still show in full.  `--progress FILE` appends
how far the export got as JSON lines ({"done": 0.42, "text": "…"}): the app's
worker (`exports.jobs`) shows them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from exports.jobs import stop_when_orphaned
from exports.report import ALL, CITY_LAYOUT_ABOVE, REPORTED, SelectionError, load_report
from wardplan.rules.frames import release_freed_memory


def _codes(text: str | None) -> list[str] | None:
    codes = [c.strip() for c in (text or "").split(",") if c.strip()]
    return codes or None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m exports",
        description="Xuất báo cáo chỉ tiêu 2026: trình chiếu PowerPoint, báo cáo PDF, sổ Excel, "
                    "ảnh biểu đồ.")
    commands = parser.add_subparsers(dest="command", required=True)

    def common(command: argparse.ArgumentParser) -> None:
        command.add_argument("--as-of", required=True,
                             help="kỳ báo cáo: 2026-03, 2026-Q1 hoặc 2026")
        command.add_argument("--db", type=Path, help="tệp cơ sở dữ liệu DuckDB (mặc định: "
                             "CHITIEU_DB hoặc build/chitieu2026.duckdb)")
        command.add_argument("--indicators", help="mã chỉ tiêu, cách nhau bởi dấu phẩy")
        command.add_argument("--out", type=Path, required=True, help="tệp hoặc thư mục ghi ra")
        command.add_argument("--progress", type=Path, help="tệp ghi tiến độ (dòng JSON)")

    full_help = (f"khi chọn quá {CITY_LAYOUT_ABOVE} đơn vị: mã các đơn vị vẫn trình bày đầy đủ "
                 "(tiến độ, biểu đồ từng chỉ tiêu), cách nhau bởi dấu phẩy")
    deck = commands.add_parser("deck", help="trình chiếu PowerPoint 16:9 (.pptx)")
    common(deck)
    deck.add_argument("--wards", help="mã phường, cách nhau bởi dấu phẩy (mặc định: tất cả)")
    deck.add_argument("--full", help=full_help)
    pdf = commands.add_parser("pdf", help="báo cáo PDF, cùng nội dung và thứ tự với trình chiếu")
    common(pdf)
    pdf.add_argument("--wards", help="mã phường, cách nhau bởi dấu phẩy (mặc định: tất cả)")
    pdf.add_argument("--full", help=full_help)
    workbook = commands.add_parser("workbook", help="sổ Excel (.xlsx)")
    common(workbook)
    workbook.add_argument("--wards", help="mã phường, cách nhau bởi dấu phẩy (mặc định: tất cả)")
    table = commands.add_parser("csv", help="bảng trạng thái cho máy đọc (.csv)")
    common(table)
    table.add_argument("--wards", help="mã phường, cách nhau bởi dấu phẩy (mặc định: tất cả)")
    charts = commands.add_parser("charts", help="ảnh biểu đồ PNG/SVG của một phường")
    common(charts)
    charts.add_argument("--ward", required=True, help="mã phường, ví dụ phu_lien")
    charts.add_argument("--format", choices=("png", "svg"), default="png")
    return parser


class _ProgressFile:
    """How far the export got, as JSON lines appended to a file (`--progress`)."""

    def __init__(self, path: Path | None):
        self.path = path

    def __call__(self, done: float, text: str) -> None:
        if self.path is None:
            return
        line = json.dumps({"done": round(min(max(done, 0.0), 1.0), 3), "text": text},
                          ensure_ascii=False)
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(line + "\n")

    def part(self, start: float, end: float):
        """A builder's own 0-1 progress, as this share of the whole."""
        return lambda done, text: self(start + (end - start) * done, text)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    stop_when_orphaned()
    release_freed_memory()
    from wardplan.reads.db import Database, database_path

    started = time.perf_counter()
    say = _ProgressFile(args.progress)
    say(0.0, "Đang đọc số liệu")
    # --db reads that file as it is (the app's worker passes the database it serves);
    # the default one is built from data/ first if it is missing or behind the ledger.
    if args.db is None:
        from etl.ensure import ensure_database

        args.db = ensure_database(database_path())
    db = Database(args.db)
    wards = [args.ward] if args.command == "charts" else _codes(args.wards)
    try:
        report = load_report(db, args.as_of, wards, _codes(args.indicators),
                             default=ALL if args.command in ("workbook", "csv") else REPORTED,
                             full=_codes(getattr(args, "full", None)))
    except SelectionError as error:
        print(f"Lỗi: {error.message_vi}", file=sys.stderr)
        return 2
    db.close()  # everything is in the report now
    build = say.part(0.1, 0.98)

    if args.command == "deck":
        from exports.deck import write_deck

        args.out.parent.mkdir(parents=True, exist_ok=True)
        write_deck(report, args.out, build)
        written = [args.out]
    elif args.command == "pdf":
        from exports.pdf import FontMissing, write_pdf

        args.out.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_pdf(report, args.out, build)
        except FontMissing as error:
            print(f"Lỗi: {error.message_vi}", file=sys.stderr)
            return 2
        written = [args.out]
    elif args.command == "workbook":
        from exports.workbook import write_workbook

        args.out.parent.mkdir(parents=True, exist_ok=True)
        write_workbook(report, args.out, build)
        written = [args.out]
    elif args.command == "csv":
        from exports.csv import write_status_csv

        args.out.parent.mkdir(parents=True, exist_ok=True)
        write_status_csv(report, args.out)
        written = [args.out]
    else:
        from exports.figures import ward_figures
        from exports.images import render_export

        args.out.mkdir(parents=True, exist_ok=True)
        written = []
        for stem, figure in ward_figures(report, args.ward):
            path = args.out / f"{stem}.{args.format}"
            path.write_bytes(render_export(figure, args.format, report.produced_on))
            written.append(path)
        if not written:
            print(f"Phường {report.ward_name(args.ward)} chưa có số liệu để vẽ biểu đồ "
                  f"đến {report.period_label}.", file=sys.stderr)
    say(1.0, "Đã xong")
    for path in written:
        print(path)
    print(f"Đã xuất {len(written)} tệp trong {time.perf_counter() - started:.1f} giây.",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
