"""Benchmark: ``leadlib.stats.fisher_exact`` on r x c tables, exact against Monte Carlo.

Run: ``.venv/bin/python benchmarks/bench_fisher.py``.

For R's two r x c examples (job satisfaction 4 x 4, Mehta & Patel's 5 x 7) and sparse site tables (20 sites),
prints which way the p-value was found, the work (tables built or draws), the time as a ratio to a floor
measured in the same run (the default Monte Carlo p-value of the same table, 100 000 draws), and the peak
memory traced while it ran. No absolute times are asserted anywhere: machines here are noisy.
"""

from __future__ import annotations

import time
import tracemalloc
import warnings

import numpy as np

from leadlib.stats import LeadlibStatsWarning, fisher_exact

JOB = [[1, 3, 10, 6], [2, 3, 10, 7], [1, 6, 14, 12], [0, 1, 9, 11]]
MP6 = [
    [1, 2, 2, 1, 1, 0, 1],
    [2, 0, 0, 2, 3, 0, 0],
    [0, 1, 1, 1, 2, 7, 3],
    [1, 1, 2, 0, 0, 0, 1],
    [0, 1, 1, 1, 1, 0, 0],
]


def _sparse(n_cols: int, n_counts: int, seed: int = 1) -> np.ndarray:
    cells = np.random.default_rng(seed).integers(0, 20 * n_cols, n_counts)
    return np.bincount(cells, minlength=20 * n_cols).reshape(20, n_cols)


def _timed(table, **keywords):
    tracemalloc.start()
    start = time.perf_counter()
    result = fisher_exact(table, **keywords)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, elapsed, peak


def main() -> None:
    warnings.simplefilter("ignore", LeadlibStatsWarning)
    cases = {
        "job 4x4 n=104": JOB,
        "MP6 5x7 n=40": MP6,
        "20x3 n=25": _sparse(3, 25),
        "20x3 n=60": _sparse(3, 60),
        "20x4 n=80": _sparse(4, 80),
        "20x5 n=100": _sparse(5, 100),
    }
    print(f"{'table':<16} {'how':<12} {'work':>10} {'time / floor':>13} {'peak MB':>8} {'p':>10}")
    for name, table in cases.items():
        _, floor, _ = _timed(table, method="monte-carlo")
        result, elapsed, peak = _timed(table)
        how = "exact" if result.n_tables is not None else "monte-carlo"
        work = result.n_tables if result.n_tables is not None else result.n_draws
        print(f"{name:<16} {how:<12} {work:>10} {elapsed / floor:>13.2f} {peak / 2**20:>8.1f} {result.p_value:>10.6f}")


if __name__ == "__main__":
    main()
