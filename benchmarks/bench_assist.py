"""Benchmark of leadlib.assist: fit and suggest on the bundled study.

In one run, on the study loaded once (the loading is not timed):

1. the floor: cutting the transcripts into units (answer paragraphs by
   default, ``--unit sentence`` for sentences) and fitting the TF-IDF
   vectoriser alone on the same units (what any model of this text must do);
2. ``assist.fit`` (units, labels, TF-IDF, per code three folds of whole
   interviews for calibration and thresholds plus the final logistic
   regression);
3. ``Suggester.suggest`` on every unit of the study;
4. with ``--evaluate``, ``assist.out_of_fold`` (five folds of whole sites,
   a fit per fold).

Each step runs ``--repeat`` times; the best time is kept. Target (issue 14):
fit + suggest under 30 s on this machine. The script prints the figures and
the ratio to the floor; it asserts nothing. It also checks that a second fit
gives byte-identical suggestions.

Usage::

    python benchmarks/bench_assist.py
    python benchmarks/bench_assist.py --repeat 3 --evaluate
    python benchmarks/bench_assist.py --unit sentence
"""

from __future__ import annotations

import argparse
import time

import leadlib
from leadlib import assist


def best_of(repeat: int, step):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each step; the best is kept (default 1)")
    parser.add_argument("--evaluate", action="store_true", help="also time out_of_fold (five folds of sites)")
    parser.add_argument("--unit", choices=assist.UNITS, default=assist.UNITS[0], help="units (default: paragraph)")
    args = parser.parse_args()

    study = leadlib.load_study()

    def floor():
        units = assist.units(study, unit=args.unit)
        return assist._vectorizer().fit(units["text"])

    t_floor, vectorizer = best_of(args.repeat, floor)
    t_fit, model = best_of(args.repeat, lambda: assist.fit(study, seed=0, unit=args.unit))
    t_suggest, suggestions = best_of(args.repeat, lambda: model.suggest(study))
    again = assist.fit(study, seed=0, unit=args.unit).suggest(study)
    identical = suggestions.to_csv(index=False) == again.to_csv(index=False)

    print(f"bundled study: {model.n_units:,} {args.unit}s of {model.n_interviews} coded interviews")
    print(f"  vocabulary: {len(vectorizer.vocabulary_):,} words; codes learnt: {len(model.codes)}")
    print(f"floor (units + TF-IDF fit):      {t_floor:8.2f} s")
    print(f"fit:                             {t_fit:8.2f} s  ({t_fit / t_floor:6.1f} x floor)")
    print(f"suggest:                         {t_suggest:8.2f} s  ({len(suggestions):,} suggestions)")
    total = t_fit + t_suggest
    print(f"fit + suggest:                   {total:8.2f} s  ({total / t_floor:6.1f} x floor; target < 30 s)")
    print(f"same suggestions, byte for byte, on a second fit: {identical}")
    if args.evaluate:
        t_oof, oof = best_of(args.repeat, lambda: assist.out_of_fold(study, folds=5, seed=0, unit=args.unit))
        print(f"out_of_fold (5 folds of sites):  {t_oof:8.2f} s  ({t_oof / t_floor:6.1f} x floor)")


if __name__ == "__main__":
    main()
