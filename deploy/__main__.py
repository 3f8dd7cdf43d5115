"""Serve the dashboard with several Streamlit processes behind nginx (see docs/deployment.md).

    python -m deploy serve  [--processes 2] [--port 8500] [--backend-port 8601]
                            [--run-dir build/serve] [--db PATH] [--sticky cookie|ip_hash]
    python -m deploy config [same options]   # print the nginx.conf it would use

`serve` runs in the foreground until Ctrl-C or SIGTERM, then stops nginx and
every process it started. Nothing needs root: all ports are on 127.0.0.1 above
1024 and everything nginx writes is under --run-dir.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from deploy import nginx
from deploy.cluster import ROOT, Cluster, ClusterError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m deploy")
    parser.add_argument("command", choices=("serve", "config"))
    parser.add_argument("--processes", type=int, default=2, help="Streamlit processes (default 2)")
    parser.add_argument("--port", type=int, default=8500, help="nginx's port on 127.0.0.1")
    parser.add_argument("--backend-port", type=int, default=8601,
                        help="first Streamlit port; the others follow (default 8601)")
    parser.add_argument("--run-dir", type=Path, default=ROOT / "build" / "serve")
    parser.add_argument("--db", type=Path, help="database file (default: CHITIEU_DB or build/)")
    parser.add_argument("--sticky", choices=nginx.STICKY_METHODS, default="cookie")
    parser.add_argument("--debug", action="store_true",
                        help="add an X-Chitieu-Upstream response header naming the process")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    ports = [args.backend_port + i for i in range(args.processes)]
    if args.command == "config":
        print(nginx.config(args.run_dir, f"127.0.0.1:{args.port}",
                           [f"127.0.0.1:{p}" for p in ports], args.sticky, args.debug))
        return 0
    cluster = Cluster(args.run_dir, args.processes, args.port, ports, args.db, args.sticky,
                      args.debug)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        cluster.start()
    except ClusterError as error:
        print(f"Không khởi động được: {error} (nhật ký: {args.run_dir / 'logs'})", file=sys.stderr)
        return 1
    print(f"Đang phục vụ tại {cluster.url} ({args.processes} tiến trình Streamlit: "
          f"{', '.join(cluster.backend_urls)}; nhật ký: {args.run_dir / 'logs'}). Ctrl-C để dừng.",
          flush=True)
    try:
        while not stopping:
            if not cluster.alive():
                print("Một tiến trình đã dừng; dừng tất cả.", file=sys.stderr)
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
