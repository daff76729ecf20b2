"""The bundled study as other tools' files: ``data/exports/``, made by leadlib's writers.

The bundled synthetic study is shipped as a REFI-QDA project too
(``data/exports/bundled-study.qdpx``), so that a team can open it in NVivo,
MAXQDA, ATLAS.ti or QualCoder, and so that notebook 07 can show a study read
from a QDA export. The file is made, never edited by hand: regenerate it
after the study changes with ::

    python -m leadlib.simulate.exports

(``make data`` runs it). Until 0.2.0 this module was ``leadlib.io.exports``: it
moved here because it loads a study, which the io layer below the core must
not. :func:`leadlib.io.write_refi` writes the same bytes for the same study,
and ``tests/test_exports.py`` fails when the shipped file is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..io.refi import write_refi
from ..load import load_study
from ..paths import BUNDLED_QDPX, EXPORTS_DIR, REPO_DIR, bundled_study_dir

__all__ = ["EXPORTS_DIR", "BUNDLED_QDPX", "REGENERATE", "write_bundled_exports", "main"]
#: The command that regenerates the exports, from the repository's root.
REGENERATE = "python -m leadlib.simulate.exports"


def write_bundled_exports(folder: str | Path | None = None) -> list[Path]:
    """Write the bundled study's exports into ``folder``.

    The study is loaded from its raw files (no cache), so that the exports
    follow the files and not an older cached reading of them.

    Parameters
    ----------
    folder
        Where to write; ``None`` is ``data/exports/`` of the checkout.

    Returns
    -------
    list of Path
        The files written (today: ``bundled-study.qdpx``).
    """
    folder = EXPORTS_DIR if folder is None else Path(folder)
    study = load_study(bundled_study_dir(), cache=False)
    return [write_refi(study, folder / BUNDLED_QDPX.name)]


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m leadlib.simulate.exports [--out FOLDER]``."""
    parser = argparse.ArgumentParser(
        prog="python -m leadlib.simulate.exports",
        description="Write the bundled synthetic study as a REFI-QDA project (data/exports/bundled-study.qdpx).",
    )
    parser.add_argument("--out", type=Path, default=None, help="folder to write into (default: data/exports/)")
    args = parser.parse_args(argv)
    for path in write_bundled_exports(args.out):
        shown = path.resolve()
        # print paths relative to the checkout when they are in it
        if shown.is_relative_to(REPO_DIR):
            shown = shown.relative_to(REPO_DIR)
        print(f"wrote {shown} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":  # pragma: no cover - the command line
    sys.exit(main())
