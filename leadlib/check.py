"""``leadlib check PATH``: validate a study folder; print its row accounting and an audit summary.

The study must load (a :class:`~leadlib.errors.LeadlibDataError` is printed
and exits 1), and it must be usable: every required table has rows, some
codings are primary, the row accounting balances; otherwise ``leadlib
check`` prints why and exits 1. A study that passes may still earn warnings
(more than :data:`MAX_DROPPED` of a file's rows dropped, an optional table
empty, interviews without codings), printed before the verdict.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from . import schema
from .load import load_study

__all__ = ["check_report", "check_findings", "MAX_DROPPED"]

#: Share of a file's rows that may be dropped without a warning.
MAX_DROPPED = 0.10


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        type=Path,
        nargs="?",
        default=None,
        help="study folder (holding study.toml) or the manifest; default: the bundled study",
    )
    parser.add_argument("--drops", type=int, default=20, help="how many dropped rows to list (default 20)")
    parser.add_argument("--no-cache", action="store_true", help="read every file again, ignoring the cache")


def run(args: argparse.Namespace) -> int:
    study = load_study(args.path, cache=not args.no_cache)
    print(check_report(study, drops=args.drops))
    errors, _ = check_findings(study)
    for error in errors:
        print(f"leadlib check: error: {error}", file=sys.stderr)
    return 1 if errors else 0


def check_findings(study, *, max_dropped: float = MAX_DROPPED) -> tuple[list[str], list[str]]:
    """What makes a loaded study unusable (errors), and what deserves a look (warnings).

    Parameters
    ----------
    study
        A loaded :class:`~leadlib.study.Study`.
    max_dropped
        Share of a source file's rows that may be dropped without a warning.

    Returns
    -------
    errors : list of str
        A required table with no rows (no sites, informants, interviews,
        codebook or codings), no primary coding, or a row accounting that
        does not balance. ``leadlib check`` exits 1 if there is any.
    warnings : list of str
        More than ``max_dropped`` of a file's rows dropped, an optional table
        with no rows, interviews without a primary coding.
    """
    acc = study.accounting()
    errors, warnings = [], []
    for name, table in study.tables():
        if name == "audit" or len(table):
            continue
        sources = sorted(set(acc.loc[acc["table"] == name, "source"]))
        where = f" (read from {', '.join(sources)})" if sources else " (no file in the manifest)"
        if schema.TABLES[name].optional:
            warnings.append(f"the optional table {name} has no rows{where}: analyses that need it are left out")
        else:
            errors.append(
                f"the table {name} has no rows{where}: a study needs {name}; check the file and its rows, "
                "and the dropped rows listed above"
            )
    segments = study.segments
    if len(segments) and not segments["primary"].any():
        errors.append("no coding is primary: mark one coder's file 'primary = true' in study.toml")
    if not (acc["rows_read"] == acc["rows_kept"] + acc["rows_dropped"]).all():
        errors.append("the row accounting does not balance (rows read != rows kept + rows dropped)")
    for row in acc.itertuples(index=False):
        if row.rows_read and row.rows_dropped > max_dropped * row.rows_read:
            warnings.append(
                f"{row.rows_dropped} of {row.rows_read} rows of {row.source} ({row.table}) were dropped "
                f"({row.rows_dropped / row.rows_read:.0%}, more than {max_dropped:.0%}): see the dropped rows "
                "above and study.audit"
            )
    if len(study.interviews) and len(segments):
        coded = set(segments.loc[segments["primary"], "interview_id"].astype(str))
        uncoded = sorted(set(study.interviews["interview_id"].astype(str)) - coded)
        if uncoded:
            shown = ", ".join(uncoded[:5]) + (f" and {len(uncoded) - 5} more" if len(uncoded) > 5 else "")
            warnings.append(f"{len(uncoded)} interview(s) have no primary coding: {shown}")
    return errors, warnings


def check_report(study, *, drops: int = 20) -> str:
    """The text ``leadlib check`` prints: tables, accounting, audit summary, dropped rows, findings, verdict."""
    lines = [f"{study.name}" + ("  [SYNTHETIC DATA]" if study.synthetic else ""), ""]
    with pd.option_context("display.width", 120, "display.max_columns", 20, "display.max_colwidth", 70):
        lines.append("Tidy tables (rows):")
        lines.append(study.summary().to_string())
        lines.append("")
        acc = study.accounting()
        lines.append("Row accounting (rows_read = rows_kept + rows_dropped):")
        lines.append(acc.to_string(index=False))
        balanced = bool((acc["rows_read"] == acc["rows_kept"] + acc["rows_dropped"]).all())
        lines.append("balanced: " + ("yes" if balanced else "NO"))
        lines.append("")
        audit = study.audit
        if len(audit):
            summary = (
                audit.groupby(["table", "action"], observed=True)
                .agg(entries=("n", "size"), values=("n", "sum"))
                .reset_index()
            )
            lines.append("Audit summary (entries, and the values or rows they cover):")
            lines.append(summary.to_string(index=False))
            dropped = audit[audit["action"] == "drop"]
            if len(dropped):
                lines.append("")
                lines.append(f"Dropped rows ({len(dropped)}; first {min(drops, len(dropped))}):")
                lines.append(dropped[["source", "reason"]].head(drops).to_string(index=False))
        else:
            lines.append("Audit: no tidying decisions were needed.")
    errors, warnings = check_findings(study)
    for title, items in (("Warnings", warnings), ("Errors", errors)):
        if items:
            lines.append("")
            lines.append(f"{title} ({len(items)}):")
            lines.extend(f"- {item}" for item in items)
    lines.append("")
    if errors:
        lines.append(f"The study is NOT usable: {len(errors)} error(s) above.")
    elif warnings:
        lines.append(f"The study is valid (every table passed the schema checks), with {len(warnings)} warning(s).")
    else:
        lines.append("The study is valid: every table passed the schema checks.")
    return "\n".join(lines)
