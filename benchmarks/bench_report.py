"""Benchmark: the whole HTML report, against the floor of executing one notebook.

Run: ``.venv/bin/python benchmarks/bench_report.py [--study data] [--jobs 2]``
(``make bench`` runs every benchmark).

In one run, each in a fresh subprocess:

- **floor**: execute one notebook whose only cell imports what the report
  notebooks import (numpy, pandas, matplotlib, seaborn, mpltern, IPython's
  display, leadlib and its notebook, compare, plots, stats, disclosure and
  report modules), in a new kernel with nbclient: the
  price of one kernel start and the imports, which the naive way (one
  ``jupyter nbconvert --execute`` per page) pays for every page. Measured
  twice (before and after the report) and the smaller kept, since the
  machine is shared and noisy.
- **report**: ``leadlib report`` on the study (every study notebook present,
  the checklist page, one feedback report per site), into a temporary
  folder.

Prints both wall times and their ratio. Target (issue 3): report <= 5x floor.
No absolute time is asserted anywhere.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

FLOOR = r"""
import nbformat
from nbclient import NotebookClient
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    "import numpy, pandas, matplotlib.pyplot, seaborn, mpltern\n"
    "from IPython.display import HTML, Markdown, display\n"
    "import leadlib, leadlib.notebook, leadlib.compare, leadlib.plots, leadlib.stats, leadlib.disclosure, "
    "leadlib.report")])
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
NotebookClient(nb, kernel_name="python3", timeout=600).execute()
"""


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall time, and CPU time of the command and everything it started (its kernels too)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", default=None, help="study folder (default: the bundled study)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)

    python = sys.executable
    floor_1 = timed([python, "-c", FLOOR])
    with tempfile.TemporaryDirectory(prefix="leadlib-bench-report-") as tmp:
        cmd = [python, "-m", "leadlib", "report", "--out", str(Path(tmp) / "reports"), "--jobs", str(args.jobs)]
        if args.study:
            cmd += ["--study", args.study]
        full = timed(cmd)
        pages = sorted(p.relative_to(Path(tmp) / "reports").as_posix() for p in (Path(tmp) / "reports").rglob("*.html"))
    floor_2 = timed([python, "-c", FLOOR])
    floor = min(floor_1, floor_2)
    floor_cpu = min(floor_1[1], floor_2[1])
    n_sites = sum(p.startswith("sites/") for p in pages)
    load = os.getloadavg()[0]
    print(
        f"floor (one notebook: kernel start + imports): {floor[0]:6.2f} s wall, {floor_cpu:6.2f} s CPU "
        f"(wall of the two runs: {floor_1[0]:.2f}, {floor_2[0]:.2f})"
    )
    print(
        f"leadlib report --jobs {args.jobs} ({len(pages)} pages: {len(pages) - n_sites} study pages incl. "
        f"index and checklist, {n_sites} site reports): {full[0]:6.2f} s wall, {full[1]:6.2f} s CPU"
    )
    print(
        f"ratio report / floor: {full[0] / floor[0]:.2f}x wall (target <= 5x); {full[1] / floor_cpu:.2f}x CPU "
        f"(the wall ratio with {args.jobs} free cores would be about {full[1] / floor_cpu / args.jobs:.2f}x)"
    )
    print(f"load average at the end: {load:.2f} on {os.cpu_count()} cores (other processes slow both runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
