"""``leadlib check PATH``: validate a study folder; print its row accounting and an audit summary."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from .load import load_study

__all__ = ["check_report"]


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
    return 0


def check_report(study, *, drops: int = 20) -> str:
    """The text ``leadlib check`` prints: tables, accounting, audit summary, dropped rows."""
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
    lines.append("")
    lines.append("The study is valid: every table passed the schema checks.")
    return "\n".join(lines)
