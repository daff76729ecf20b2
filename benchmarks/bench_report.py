"""Benchmark: the whole HTML report, against the floor of executing one notebook, and as the sites grow.

Run: ``.venv/bin/python benchmarks/bench_report.py [--study data] [--jobs 2] [--sites 20 100] [--seed 2003]``
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
- **report**: the report of the study (``--study``, default the bundled
  one: every study notebook present, the checklist page, one feedback
  report per site), into a temporary folder.
- **scale** (issue 12): for each ``--sites`` size, a study simulated with
  ``leadlib simulate --sites N --seed S`` into ``benchmarks/_work/``
  (kept between runs; not timed) and its report.

Each report runs :func:`leadlib.report.render_report` (what ``leadlib
report --jobs J`` calls) in a subprocess that also times, from outside the
library, each notebook's execution and the writing of its page (export,
sanitising), so that the pages stay as they are. Prints the wall and CPU
times, the ratios (report / floor: target, issue 3, <= 5x; largest /
smallest size: target, issue 12, within 6x for 100 / 20 sites), and where
the time goes per notebook. No absolute time is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "_work"

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

# The report as `leadlib report` makes it, with each page's notebook run and page
# writing timed by wrapping two methods from outside (nothing reaches the pages).
REPORT = r"""
import json, sys, time
import leadlib.report.build as build
import leadlib.report.executor as executor
from leadlib.report import render_report

study, out, jobs, record = sys.argv[1] or None, sys.argv[2], int(sys.argv[3]), sys.argv[4]
run_s, write_s = {}, {}
run_notebook = executor.Kernel.run_notebook
write_page = build._Context.write_notebook_page

async def timed_run(self, path, parameters, *, target, cwd):
    t = time.perf_counter()
    try:
        return await run_notebook(self, path, parameters, target=target, cwd=cwd)
    finally:
        run_s[target] = time.perf_counter() - t

def timed_write(self, page, nb, exporter):
    t = time.perf_counter()
    try:
        return write_page(self, page, nb, exporter)
    finally:
        write_s[page.target] = time.perf_counter() - t

executor.Kernel.run_notebook = timed_run
build._Context.write_notebook_page = timed_write
t0 = time.perf_counter()
written = render_report(study, out, jobs=jobs, progress=lambda line: None)
total = time.perf_counter() - t0
pages = [{"target": t, "run": s, "write": write_s.get(t, 0.0)} for t, s in run_s.items()]
json.dump({"total": total, "files": len(written), "pages": pages}, open(record, "w"))
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


def report(study: Path | None, jobs: int) -> dict:
    """One report in a subprocess: wall and CPU time, pages written, each notebook page's times."""
    with tempfile.TemporaryDirectory(prefix="leadlib-bench-report-") as tmp:
        record = Path(tmp) / "times.json"
        cmd = [sys.executable, "-c", REPORT, str(study or ""), str(Path(tmp) / "reports"), str(jobs), str(record)]
        wall, cpu = timed(cmd)
        result = json.loads(record.read_text())
    result.update(wall=wall, cpu=cpu)
    return result


def simulated(sites: int, seed: int) -> Path:
    """A study of ``sites`` sites written by ``leadlib simulate`` into benchmarks/_work/ (kept between runs)."""
    import leadlib

    folder = WORK / f"report-{sites}-{seed}"
    stamp = folder / "bench.json"
    want = {"sites": sites, "seed": seed, "leadlib": leadlib.__version__}
    if stamp.exists() and json.loads(stamp.read_text()) == want:
        return folder
    cmd = [sys.executable, "-m", "leadlib", "simulate", "--out", str(folder), "--sites", str(sites)]
    subprocess.run([*cmd, "--seed", str(seed), "--overwrite"], cwd=REPO, check=True, capture_output=True)
    stamp.write_text(json.dumps(want))
    return folder


def split(result: dict) -> tuple[dict[str, float], list[float]]:
    """Seconds per study page (notebook run + page writing) and the list of seconds per site page."""
    study, site = {}, []
    for page in result["pages"]:
        seconds = page["run"] + page["write"]
        if page["target"].startswith("sites/"):
            site.append(seconds)
        else:
            study[page["target"].removesuffix(".html")] = seconds
    return study, site


def print_scale(results: dict[int, dict], jobs: int) -> None:
    """Both reports' times, their ratio, and per notebook where the time goes."""
    sizes = sorted(results)
    for n in sizes:
        r = results[n]
        kernel = sum(p["run"] + p["write"] for p in r["pages"])
        print(
            f"report of {n:>4} sites ({r['files']} files): {r['wall']:7.1f} s wall, {r['cpu']:7.1f} s CPU; "
            f"notebook pages {kernel:7.1f} kernel-s (run + write), so {kernel / jobs:6.1f} s per kernel of {jobs}"
        )
    low, high = results[sizes[0]], results[sizes[-1]]
    ratio = high["wall"] / low["wall"]
    target = 6 * sizes[-1] / 100 * 20 / sizes[0] if sizes[0] != sizes[-1] else 1
    print(
        f"ratio {sizes[-1]} / {sizes[0]} sites: {ratio:.2f}x wall, {high['cpu'] / low['cpu']:.2f}x CPU "
        f"(sites grew {sizes[-1] / sizes[0]:.1f}x; target within {target:.0f}x) "
        f"{'ok' if ratio <= target else 'OVER'}"
    )
    print("where the time goes (seconds per page: notebook run + page writing, in its kernel):")
    per = {n: split(results[n]) for n in sizes}
    head = "".join(f"{n:>9} s" for n in sizes)
    print(f"  {'page':<34}{head}   ratio")
    for name in sorted(set().union(*(per[n][0] for n in sizes))):
        cells = [per[n][0].get(name) for n in sizes]
        row = "".join(f"{c:11.1f}" if c is not None else f"{'-':>11}" for c in cells)
        r = f"{cells[-1] / cells[0]:7.1f}x" if None not in (cells[0], cells[-1]) else ""
        print(f"  {name:<34}{row}{r}")
    for label, fn in (
        ("site pages, each (mean)", statistics.mean),
        ("site pages, each (max)", max),
        ("site pages, all (sum)", sum),
    ):
        cells = [fn(per[n][1]) if per[n][1] else 0.0 for n in sizes]
        r = f"{cells[-1] / cells[0]:7.1f}x" if cells[0] else ""
        print(f"  {label:<34}" + "".join(f"{c:11.1f}" for c in cells) + r)
    study_sum = [sum(per[n][0].values()) for n in sizes]
    print(
        f"  {'study pages, all (sum)':<34}"
        + "".join(f"{c:11.1f}" for c in study_sum)
        + f"{study_sum[-1] / study_sum[0]:7.1f}x"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", default=None, help="study folder (default: the bundled study)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--sites", type=int, nargs="*", default=[20, 100], help="simulated study sizes to compare (none: skip)"
    )
    parser.add_argument("--seed", type=int, default=2003, help="seed of the simulated studies")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor and the --study report")
    args = parser.parse_args(argv)

    python = sys.executable
    if not args.no_floor:
        floor_1 = timed([python, "-c", FLOOR])
        full = report(Path(args.study).resolve() if args.study else None, args.jobs)
        floor_2 = timed([python, "-c", FLOOR])
        floor = min(floor_1, floor_2)
        floor_cpu = min(floor_1[1], floor_2[1])
        n_sites = sum(p["target"].startswith("sites/") for p in full["pages"])
        print(
            f"floor (one notebook: kernel start + imports): {floor[0]:6.2f} s wall, {floor_cpu:6.2f} s CPU "
            f"(wall of the two runs: {floor_1[0]:.2f}, {floor_2[0]:.2f})"
        )
        print(
            f"leadlib report --jobs {args.jobs} ({full['files']} files: {n_sites} site reports): "
            f"{full['wall']:6.2f} s wall, {full['cpu']:6.2f} s CPU"
        )
        print(
            f"ratio report / floor: {full['wall'] / floor[0]:.2f}x wall (target <= 5x); "
            f"{full['cpu'] / floor_cpu:.2f}x CPU (the wall ratio with {args.jobs} free cores would be about "
            f"{full['cpu'] / floor_cpu / args.jobs:.2f}x)"
        )
    if len(args.sites) >= 2:
        results = {n: report(simulated(n, args.seed), args.jobs) for n in sorted(set(args.sites))}
        print_scale(results, args.jobs)
    print(
        f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (other processes slow all runs)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
