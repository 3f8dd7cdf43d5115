"""Benchmarks that print figures (not tests): `python -m bench etl|pages|exports|load|all`.

Every benchmark runs on the bundled data and on a 114-unit SYNTHETIC set
("dữ liệu thử nghiệm", bench/synthetic.py) and prints, per figure, the median
and range over its runs, the ratio to the bundled data and issue 11's target
(all targets are for 114 units on this two-core machine), with "ok" or "MISS".

    python -m bench etl      [--runs 3] [--budget 20]   # rebuild, one submission, readers + swap
    python -m bench pages    [--runs 10]                # warm/cold rerun and bytes sent, per page
    python -m bench exports  [--runs 3]                 # deck and workbook: time and peak RSS
    python -m bench load     [--sessions 1,10] [--interactions 10] [--processes 1]
                             [--client protocol|browser]  # concurrent sessions, real server
    python -m bench all                                 # all four, on one generated data set
    python -m bench synthetic OUT_DIR [--units 114]     # just write the synthetic data set

--workdir DIR keeps the generated data set (reused by later runs) instead of a
temporary folder. --budget caps the seconds spent repeating one slow figure
(at least one run is always made; each figure prints its n).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.workspace import Workspace

COMMANDS = ("etl", "pages", "exports", "load")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=(*COMMANDS, "all", "synthetic"))
    parser.add_argument("out", nargs="?", type=Path, help="synthetic: the folder to write")
    parser.add_argument("--units", type=int, default=114, help="units in the synthetic set")
    parser.add_argument("--workdir", type=Path, help="keep generated data here (default: a temp dir)")
    parser.add_argument("--runs", type=int, help="runs per figure (default: etl/exports 3, pages 10)")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="seconds after which a slow figure stops repeating (default 20)")
    parser.add_argument("--export-timeout", type=float, default=180,
                        help="exports: kill an export after this many seconds (default 180)")
    parser.add_argument("--readers", type=int, default=4, help="etl: concurrent reader processes")
    parser.add_argument("--sessions", default="1,10",
                        help="load: concurrent session counts, comma-separated (default 1,10)")
    parser.add_argument("--interactions", type=int, default=10,
                        help="load: interactions per session (default 10)")
    parser.add_argument("--processes", type=int, default=1,
                        help="load: Streamlit processes (more than 1: behind nginx, deploy/)")
    parser.add_argument("--reuse-db", action="store_true",
                        help="reuse databases already built in --workdir (developing benchmarks)")
    parser.add_argument("--client", choices=("protocol", "browser"), default="protocol",
                        help="load: Streamlit's websocket protocol (default) or Chromium")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "synthetic":
        from bench import synthetic

        if args.out is None:
            print("python -m bench synthetic OUT_DIR", file=sys.stderr)
            return 2
        units = synthetic.write(args.out, args.units)
        print(f"{args.out}: {len(units)} SYNTHETIC units ({synthetic.LABEL}) + the bundled wards")
        return 0
    commands = COMMANDS if args.command == "all" else (args.command,)
    _print_context()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workspace = Workspace(args.workdir or Path(tmp), args.units, args.reuse_db)
        workspace.root.mkdir(parents=True, exist_ok=True)
        for command in commands:
            started = time.perf_counter()
            for table in _run(command, workspace, args):
                table.print()
            print(f"({command}: {time.perf_counter() - started:.0f} s)", flush=True)
    return 0


def _print_context() -> None:
    """What the figures were measured on: they mean little without it."""
    import os
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=Path(__file__).resolve().parent.parent).stdout.strip()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"# {time.strftime('%Y-%m-%d %H:%M')}, commit {commit or '?'}, {os.cpu_count()} cores, "
          f"load average {load} (other work on the machine slows every figure)", flush=True)


def _run(command: str, ws: Workspace, args):
    if command == "etl":
        from bench import etl

        return etl.run(ws, args.runs or 3, args.budget, args.readers)
    if command == "pages":
        from bench import pages

        return pages.run(ws, args.runs or 10, args.budget)
    if command == "exports":
        from bench import exports

        return exports.run(ws, args.runs or 3, args.budget, args.export_timeout)
    from bench import load

    sessions = [int(n) for n in args.sessions.split(",") if n.strip()]
    return load.run(ws, sessions, args.interactions, args.client, args.processes)


if __name__ == "__main__":
    sys.exit(main())
