"""Benchmark: loading a large study, against the floor of reading the same files raw.

Run: ``.venv/bin/python benchmarks/bench_load.py [--sites 2000]`` (``make bench`` runs every benchmark).

1. Simulates a study of about 1,000,000 codings (2,000 sites) into
   ``benchmarks/_work/`` (kept between runs; regenerated when the parameters
   or leadlib's version change).
2. In one run, each in a fresh subprocess (so each has its own peak memory):
   - **floor**: the raw read of the same files: every CSV with
     ``pyarrow.csv.read_csv`` (all columns as strings), the Excel register with
     openpyxl, every transcript's bytes decoded;
   - **cold**: ``load_study`` with no cache (it reads, tidies, validates, and
     writes the cache);
   - **warm**: ``load_study`` again, from the cache;
   - **hash**: read and hash (SHA-256) the manifest and every file it
     names, the key of the cache: what a load does when the memo of digests
     beside the cache cannot vouch for a file (a cold load after
     ``clear_cache`` does it in a second thread while it tidies; a warm load
     of unchanged files makes one ``stat`` per file instead).
3. Prints times as ratios to the floor (and the hashing's share of a cold load),
   and each phase's peak memory (peak RSS less the RSS after imports) as a ratio to the tidy tables' in-memory size.

Targets (issues 2 and 12): cold <= 2x floor, warm <= 0.5x floor, peak <= 3x tables.
No absolute times are asserted anywhere: machines here are noisy.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
LIMITS = "[study.limits]\nmax_table_mb = 2000\n"

PHASE = r"""
import json, sys, time
from pathlib import Path
import pandas as pd, pyarrow, pyarrow.csv, pyarrow.feather, openpyxl
import leadlib
import leadlib.tidy  # imports are not part of a load
from leadlib.load import load_study

def rss_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

folder, phase = Path(sys.argv[1]), sys.argv[2]
base = rss_mb()
t0 = time.perf_counter()
if phase == "floor":
    n = 0
    for f in sorted(folder.glob("raw/*.csv")):
        table = pyarrow.csv.read_csv(f, read_options=pyarrow.csv.ReadOptions(skip_rows=1),
                                     parse_options=pyarrow.csv.ParseOptions(newlines_in_values=True))
        n += table.num_rows
    wb = openpyxl.load_workbook(folder / "raw" / "site_register.xlsx", read_only=True, data_only=True)
    n += sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    files = sorted((folder / "raw" / "transcripts").glob("*.txt"))
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in files]
    n += len(texts)
    size = 0.0
elif phase == "hash":  # the content key of the cache, with no memo
    from leadlib.load import _hash_inputs
    from leadlib.manifest import read_manifest
    n = len(_hash_inputs(read_manifest(folder)))
    size = 0.0
elif phase in ("cold", "warm"):
    study = load_study(folder, cache=True)
    n = len(study.segments)
    size = sum(t.memory_usage(deep=True).sum() for _, t in study.tables()) / 2**20
elapsed = time.perf_counter() - t0
# VmHWM, not getrusage: ru_maxrss survives exec, so a child would report its parent's peak.
with open("/proc/self/status") as fh:
    peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024
print(json.dumps({"phase": phase, "seconds": elapsed, "peak_mb": peak - base, "tables_mb": size, "rows": n}))
"""


def prepare(sites: int, seed: int) -> Path:
    import leadlib
    from leadlib.simulate import simulate_study, write_study

    folder = WORK / f"study-{sites}-{seed}"
    stamp = folder / "bench.json"
    want = {"sites": sites, "seed": seed, "leadlib": leadlib.__version__}
    if not (stamp.exists() and json.loads(stamp.read_text()) == want):
        shutil.rmtree(folder, ignore_errors=True)
        t0 = time.perf_counter()
        study = simulate_study(n_sites=sites, seed=seed)
        write_study(study, folder, seed=seed)
        stamp.write_text(json.dumps(want))
        print(
            f"simulated {sites} sites, {len(study.segments):,} codings, {len(study.transcripts):,} transcripts "
            f"in {time.perf_counter() - t0:.0f} s (setup, not measured)"
        )
    # A million codings make a coding table of about 300 MB, above the default cap on a
    # table's size: the study declares its larger files, as a real study of that size would.
    manifest = folder / "study.toml"
    text = manifest.read_text(encoding="utf-8")
    if "[study.limits]" not in text:
        text = text.replace("\n[tables.", f"\n{LIMITS}\n[tables.", 1)
        manifest.write_text(text, encoding="utf-8")
    return folder


def phase(folder: Path, name: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PHASE, str(folder), name], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each phase; the fastest counts")
    args = parser.parse_args(argv)
    folder = prepare(args.sites, args.seed)
    from leadlib.load import clear_cache

    results = {"floor": [], "hash": [], "cold": [], "warm": []}
    for _ in range(args.repeat):
        results["floor"].append(phase(folder, "floor"))
        results["hash"].append(phase(folder, "hash"))
        clear_cache(folder)
        results["cold"].append(phase(folder, "cold"))
        results["warm"].append(phase(folder, "warm"))
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in results.items()}
    peak = {k: max(r["peak_mb"] for r in v) for k, v in results.items()}
    floor = best["floor"]["seconds"]
    tables = best["cold"]["tables_mb"]
    print(
        f"\nload benchmark: {args.sites} sites, {best['cold']['rows']:,} codings, tidy tables {tables:.0f} MB "
        f"(best of {args.repeat})"
    )
    print(f"  floor (raw read of the same files)  {floor:6.2f} s   peak {peak['floor']:6.0f} MB")
    hashed = best["hash"]["seconds"]
    print(
        f"  hashing the {best['hash']['rows']:,} input files (SHA-256, no memo: a cold load, in a second thread) "
        f"{hashed:6.2f} s = {hashed / floor:4.2f} x floor, {hashed / best['cold']['seconds']:.0%} of a cold load"
    )
    for k, target in (("cold", 2.0), ("warm", 0.5)):
        r = best[k]["seconds"] / floor
        print(
            f"  {k:<5} load_study                     {best[k]['seconds']:6.2f} s = {r:4.2f} x floor "
            f"(target <= {target}) {'ok' if r <= target else 'OVER'}   peak {peak[k]:6.0f} MB = "
            f"{peak[k] / tables:4.2f} x tables (target <= 3) {'ok' if peak[k] <= 3 * tables else 'OVER'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
