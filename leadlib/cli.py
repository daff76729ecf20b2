"""The ``leadlib`` command line.

Each verb lives in its own module, which provides ``add_arguments(parser)``
and ``run(args) -> int``; this module only dispatches, and turns a
:class:`~leadlib.errors.LeadlibDataError` into a clear message and exit 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ._version import __version__
from .errors import LeadlibDataError

__all__ = ["main"]

#: verb -> (module, one-line help)
COMMANDS = {
    "simulate": ("leadlib.simulate.cli", "write a synthetic study folder (manifest + raw files)"),
    "check": ("leadlib.check", "validate a study folder; print its row accounting and audit summary"),
    "report": ("leadlib.report", "render the study report and one feedback report per site as HTML"),
    "classroom": ("leadlib.classroom", "write student and instructor versions of the exercise notebooks"),
    "suggest": ("leadlib.assist", "suggest codes learnt from the study's coding; write them as a REFI-QDA project"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadlib",
        description="Multi-site qualitative studies of leadership in clinical microsystems.",
    )

    parser.add_argument("--version", action="version", version=f"leadlib {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for verb, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # verb not built yet
        cmd = sub.add_parser(verb, help=help_text, description=help_text)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except LeadlibDataError as exc:
        print(f"leadlib {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
