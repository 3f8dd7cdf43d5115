"""`python -m bench exports`: the meeting deck, the workbook and chart images.

Each export runs as `python -m exports …` in its own process, as cron or a
worker would run it, so its peak RSS (os.wait4) is its own. Printed: the
process's wall time, the export step alone (the CLI's own "Đã xuất … trong X
giây": database read, selection and writing), peak memory (the largest single
process from os.wait4, which for an export that renders chart images is
kaleido's Chromium; and the PSS of the whole process tree, sampled every
50 ms), and what came out.
"""

from __future__ import annotations

import re

from bench.measure import Figure, Table, Target, python, repeat, run_child
from bench.workspace import SCALES, Workspace

MB = 1e6
AS_OF = "2026-Q1"
STEP = re.compile(r"trong ([\d.]+) giây")
EXPORTS = [  # (label, command, extra arguments, targets: wall, memory; the figures)
    ("meeting deck (python -m exports deck)", "deck", ["--out", "{out}/deck.pptx"],
     Target(10), Target(300 * MB, "bytes"), "issue: 1,4 s / 78 s, 1.113 slides, 1,06 GiB"),
    ("workbook (python -m exports workbook)", "workbook", ["--out", "{out}/book.xlsx"],
     Target(5), Target(300 * MB, "bytes"), "issue: 1,4 s / 34 s, 0,96 GiB"),
    ("chart images, one ward (python -m exports charts)", "charts",
     ["--ward", "phu_lien", "--out", "{out}/charts"], None, None, ""),
]


def run(ws: Workspace, runs: int, budget: float, timeout: float = 180) -> list[Table]:
    table = Table(f"Exports at {AS_OF} (each in its own process; killed after {timeout:.0f} s)")
    for label, command, extra, wall_target, memory_target, note in EXPORTS:
        walls, steps, peaks, trees, outputs = {}, {}, {}, {}, {}
        for scale in SCALES:
            out = ws.root / f"exports-{scale}"
            out.mkdir(exist_ok=True)
            argv = python("-m", "exports", command, "--as-of", AS_OF, "--db", str(ws.db(scale)),
                          *[a.format(out=out) for a in extra])

            def once(argv=argv, scale=scale, sample_tree=False):
                result = run_child(argv, timeout=timeout, sample_tree=sample_tree)
                if result.timed_out:
                    return result  # its time is the timeout: printed as a MISS, marked below
                if result.returncode != 0:
                    raise SystemExit(f"{' '.join(argv)} failed on {scale}:\n{result.output[-3000:]}")
                return result
            results = repeat(once, runs, budget, cost=lambda r: r.seconds)
            walls[scale] = Figure([r.seconds for r in results])
            steps[scale] = Figure([float(m.group(1)) for r in results
                                   if (m := STEP.search(r.output))])
            peaks[scale] = Figure([r.peak_rss for r in results], "bytes")
            trees[scale] = Figure([once(sample_tree=True).peak_tree_pss], "bytes")
            outputs[scale] = (f"killed after {timeout:.0f} s" if results[-1].timed_out
                              else _describe(command, out))
        table.add(f"{label}, process wall", walls["bundled"], walls["synthetic"], wall_target, note)
        table.add("  export step (read + build + write)", steps["bundled"], steps["synthetic"],
                  wall_target)
        table.add("  peak RSS, largest process", peaks["bundled"], peaks["synthetic"], memory_target)
        table.add("  peak memory, process tree (PSS, sampled in a run apart)", trees["bundled"],
                  trees["synthetic"], memory_target,
                  "python + any Chromium it starts, shared pages counted once")
        table.add("  output", None, None, None, f"{outputs['bundled']} / {outputs['synthetic']}")
    return [table]


def _describe(command: str, out) -> str:
    if command == "deck":
        from pptx import Presentation

        path = out / "deck.pptx"
        return f"{len(Presentation(str(path)).slides)} slides, {path.stat().st_size / MB:.1f} MB"
    if command == "workbook":
        path = out / "book.xlsx"
        return f"{path.stat().st_size / MB:.1f} MB"
    return f"{len(list((out / 'charts').glob('*.png')))} PNG"
