"""``leadlib simulate``: write a synthetic study folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from .model import simulate_study
from .raw import write_study


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, type=Path, help="folder to write the study into")
    parser.add_argument("--sites", type=int, default=20, help="number of microsystems (default 20)")
    parser.add_argument("--seed", type=int, default=2003, help="random seed (default 2003, the bundled study)")
    parser.add_argument(
        "--clean", action="store_true", help="write tidy files (no misspellings, duplicates or odd encodings)"
    )
    parser.add_argument("--overwrite", action="store_true", help="replace a study already in --out")


def run(args: argparse.Namespace) -> int:
    study = simulate_study(n_sites=args.sites, seed=args.seed)
    out = write_study(study, args.out, seed=args.seed, mess=not args.clean, overwrite=args.overwrite)
    n_seg = len(study.segments)
    print(
        f"wrote a SYNTHETIC study to {out}: {len(study.sites)} sites, {len(study.interviews)} interviews, "
        f"{n_seg} codings ({int((~study.segments['primary']).sum())} by a second coder)"
    )
    print(f"load it with: leadlib.load_study({str(out)!r})   or check it with: leadlib check {out}")
    return 0
