"""The ``leadlib report`` verb: its options and the glue from parsed arguments to :func:`render_report`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import LeadlibDataError
from .build import render_report
from .pages import ReportError

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leadlib report``."""
    parser.add_argument(
        "--study",
        type=Path,
        default=None,
        metavar="PATH",
        help="study folder (with study.toml); default: the bundled synthetic study",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("reports"),
        metavar="DIR",
        help="folder to write the reports into (default: reports/)",
    )
    parser.add_argument(
        "--sites",
        default=None,
        metavar="S01,S05",
        help="comma-separated site IDs to write site reports for (default: every site)",
    )
    parser.add_argument(
        "--no-quotes", action="store_true", help="remove every verbatim quote (for sharing outside the research team)"
    )
    parser.add_argument(
        "--min-n",
        type=int,
        default=3,
        metavar="N",
        help="hide counts and shares resting on fewer than N informants, with complementary "
        "suppression (default: 3; 0 shows everything, for the research team only)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="notebooks executed at the same time, one kernel each (default: number of CPUs, at most 4)",
    )
    parser.add_argument(
        "--notebooks",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder holding the study notebooks and site-report.ipynb (default: the book's notebooks/)",
    )


def _sites(value) -> list[str] | None:
    if value is None:
        return None
    sites = [s.strip() for s in str(value).split(",") if s.strip()]
    if not sites:
        raise LeadlibDataError(
            "--sites names no site",
            column="--sites",
            value=value,
            hint="give site IDs separated by commas, e.g. --sites S01,S05",
        )
    return sites


def run(args: argparse.Namespace) -> int:
    """Run ``leadlib report`` with parsed arguments; return the exit status."""
    sites = _sites(args.sites)
    if args.min_n is not None and args.min_n < 0:
        raise LeadlibDataError(
            "--min-n must be 0 or more",
            column="--min-n",
            value=args.min_n,
            hint="use --min-n 3 (the default) to hide counts resting on fewer than 3 informants",
        )
    jobs = args.jobs if args.jobs is not None else min(os.cpu_count() or 1, 4)
    if jobs < 1:
        raise LeadlibDataError(
            "--jobs must be at least 1",
            column="--jobs",
            value=args.jobs,
            hint="use --jobs 2 on a machine with two cores",
        )
    try:
        render_report(
            args.study,
            args.out,
            sites=sites,
            show_quotes=not args.no_quotes,
            min_n=args.min_n or None,
            jobs=jobs,
            notebooks_dir=getattr(args, "notebooks", None),
        )
    except ReportError as exc:
        print(f"leadlib report: error: {exc}", file=sys.stderr)
        return 1
    return 0
