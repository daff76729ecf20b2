"""``leadlib classroom``: the student and instructor notebooks, the HTML book, the guide's numbers.

>>> leadlib classroom --out classroom                  # = leadlib classroom build --out classroom
>>> leadlib classroom book --out book                  # the student edition as HTML pages
>>> leadlib classroom guide --write docs/teaching.md   # refresh the guide's numbers from the study
>>> leadlib classroom guide --check docs/teaching.md   # exit 1 while they are stale
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import LeadlibDataError
from ..report.safety import atomic_write
from .book import render_book
from .guide import GUIDE_NUMBERS, fill_guide, guide_numbers, stale_numbers
from .versions import build

__all__ = ["add_arguments", "run"]

_MASTERS_HELP = "folder of the master exercise notebooks (default: notebooks/exercises)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The verb's options; ``leadlib classroom --out DIR`` (no action) still builds, as before."""
    parser.add_argument(
        "--out", type=Path, default=None, help="folder to write student/ and instructor/ into (created if missing)"
    )
    parser.add_argument("--masters", type=Path, default=None, help=_MASTERS_HELP)
    actions = parser.add_subparsers(dest="classroom_action", metavar="ACTION")
    # Options of an action default to SUPPRESS, so that they never overwrite the same option given before it.
    build_parser = actions.add_parser(
        "build", help="write student/ and instructor/ versions of the exercise notebooks (the default)"
    )
    build_parser.add_argument("--out", type=Path, default=argparse.SUPPRESS, help="folder to write into")
    build_parser.add_argument("--masters", type=Path, default=argparse.SUPPRESS, help=_MASTERS_HELP)
    book = actions.add_parser("book", help="render the student edition as static HTML pages with an index")
    book.add_argument("--out", type=Path, default=argparse.SUPPRESS, help="folder to write the pages into")
    book.add_argument("--masters", type=Path, default=argparse.SUPPRESS, help=_MASTERS_HELP)
    book.add_argument(
        "--no-execute",
        dest="execute",
        action="store_false",
        help="do not run the notebooks first: the pages show code without outputs (faster)",
    )
    guide = actions.add_parser("guide", help="the numbers of the instructor's guide, computed from the study")
    guide.add_argument("--study", default=None, help="study folder (default: the bundled study)")
    which = guide.add_mutually_exclusive_group()
    which.add_argument("--write", type=Path, default=None, help="fill the guide's marked numbers in this file")
    which.add_argument("--check", type=Path, default=None, help="exit 1 if this file's marked numbers are stale")


def _need_out(args: argparse.Namespace) -> Path:
    if getattr(args, "out", None) is None:
        raise LeadlibDataError(
            "no output folder given", hint="give one with --out, e.g. leadlib classroom build --out classroom"
        )
    return Path(args.out)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LeadlibDataError(
            f"cannot read the guide ({exc.strerror})", path=path, hint="give the guide's path"
        ) from exc


def _guide(args: argparse.Namespace) -> int:
    import leadlib

    numbers = guide_numbers(leadlib.load_study(args.study))
    if args.write is None and args.check is None:
        width = max(map(len, numbers))
        for name, value in numbers.items():
            print(f"{name:<{width}}  {value:<12}  {GUIDE_NUMBERS[name]}")
        return 0
    path = args.write if args.write is not None else args.check
    text = _read(path)
    try:
        stale = stale_numbers(text, numbers)
        filled = fill_guide(text, numbers)
    except ValueError as exc:
        raise LeadlibDataError(
            str(exc), path=path, hint="name only the numbers `leadlib classroom guide` lists"
        ) from exc
    if args.check is not None:
        for name, shown, computed in stale:
            print(f"{path}: {name} says {shown!r}, the study gives {computed!r}")
        if stale:
            print(f"{len(stale)} number(s) stale: run leadlib classroom guide --write {path}")
            return 1
        print(f"{path}: every marked number is what the study gives")
        return 0
    if filled != text:
        atomic_write(path, filled)
    print(f"{path}: {len(stale)} number(s) updated")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the action (``build`` when none is given)."""
    action = getattr(args, "classroom_action", None) or "build"
    if action == "guide":
        return _guide(args)
    out = _need_out(args)
    if action == "book":
        written = render_book(out, masters=args.masters, execute=getattr(args, "execute", True))
        print(f"{len(written)} pages in {out}: open {out / 'index.html'}")
        return 0
    written = build(out, masters=args.masters)
    for side in ("student", "instructor"):
        print(f"{side}: {len(written[side])} notebooks in {out / side}")
    print(
        "Student notebooks: solutions and rubrics removed, outputs cleared, self-checks kept. "
        "Instructor notebooks: solutions, rubrics and outputs. See docs/teaching.md."
    )
    return 0
