"""Benchmark: the study-wide suppression pattern (``disclosure.site_pattern``) as the sites grow.

Run: ``.venv/bin/python benchmarks/bench_suppression.py [--sites 20,40,60,100] [--min-n 3] [--seed 2003]``
(``make bench`` runs every benchmark).

For each size, in this process: a study simulated with
``leadlib.simulate_study(n_sites=N, seed=S)`` and its analysis frame (not
timed), then

- **floor**: building the two site matrices the pattern is computed from
  (sites x processes and sites x behaviours, with their informants), the
  least any pattern costs;
- **pattern**: ``site_pattern(frame, min_n=...)`` from scratch (its
  in-memory cache cleared), and, when ``--audit`` is given, the time of
  ``audit_protection`` on it (two linear programs per hidden cell).

Prints per size the pattern's time, its ratio to the 20-site (first size's)
time and to the floor, the share of cells hidden (and of primary cells),
and whether every hidden cell is protected. scipy is imported before the
first measurement (its one-off import is the process's, not the pattern's). Targets (issue 12): the
100-site pattern in under 10 s on the project machine; cost growing about
linearly with the sites (ratio to the first size close to N / 20). No
absolute time is asserted anywhere.
"""

from __future__ import annotations

import argparse
import time

import leadlib
from leadlib import compare, disclosure


def floor_time(frame) -> float:
    """Seconds to build the site matrices the pattern starts from."""
    started = time.perf_counter()
    leading = frame[frame["process"].notna()]
    compare.site_matrix(leading, of="process")
    compare.site_matrix(leading, of="code_id")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", default="20,40,60,100", help="comma-separated numbers of sites")
    parser.add_argument("--min-n", type=int, default=3, help="threshold in informants (the report's default: 3)")
    parser.add_argument("--seed", type=int, default=2003)
    parser.add_argument("--audit", action="store_true", help="also audit every pattern (slower)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sites.split(",")]

    started = time.perf_counter()
    import scipy.optimize  # noqa: F401  (the one-off import, paid once per process, is not the pattern's)
    import scipy.sparse  # noqa: F401

    print(
        f"site_pattern, min_n = {args.min_n}, seed = {args.seed}",
        f"(scipy imported in {time.perf_counter() - started:.1f} s, before the measurements)",
    )
    header = f"{'sites':>5} {'floor s':>8} {'pattern s':>9} {'x first':>8} {'x floor':>8} {'hidden':>7} {'primary':>7}"
    if args.audit:
        header += f" {'audit s':>8} {'protected':>9}"
    print(header)
    first = None
    for n in sizes:
        frame = leadlib.simulate_study(n_sites=n, seed=args.seed).frame()
        floor = min(floor_time(frame) for _ in range(3))
        disclosure._PATTERNS.clear()
        started = time.perf_counter()
        pattern = disclosure.site_pattern(frame, min_n=args.min_n)
        elapsed = time.perf_counter() - started
        first = first or elapsed
        cells = pattern.size
        line = (
            f"{n:>5} {floor:>8.3f} {elapsed:>9.2f} {elapsed / first:>8.2f} {elapsed / floor:>8.0f} "
            f"{pattern.to_numpy().sum() / cells:>7.1%} {pattern.attrs['primary'].to_numpy().sum() / cells:>7.1%}"
        )
        if args.audit and hasattr(disclosure, "audit_protection"):
            started = time.perf_counter()
            report = disclosure.audit_protection(pattern)
            line += f" {time.perf_counter() - started:>8.2f} {str(bool(report['protected'].all())):>9}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
