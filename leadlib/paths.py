"""Where things are: the one module that resolves leadlib's paths."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

__all__ = [
    "PACKAGE_DIR",
    "REPO_DIR",
    "IN_CHECKOUT",
    "INSTALLED_DATA_DIR",
    "INSTALLED_NOTEBOOKS_DIR",
    "DATA_DIR",
    "NOTEBOOKS_DIR",
    "EXERCISES_DIR",
    "EXPORTS_DIR",
    "BUNDLED_QDPX",
    "bundled_study_dir",
    "CACHE_ENV",
    "cache_dir",
]

PACKAGE_DIR = Path(__file__).resolve().parent
#: The folder holding the ``leadlib`` package: the source checkout when leadlib runs from one (an editable
#: install, ``pip install -e .``, or the repository on ``sys.path``); ``site-packages`` in a wheel install.
REPO_DIR = PACKAGE_DIR.parent


def _is_checkout(folder: Path) -> bool:
    """True if ``folder`` is leadlib's source checkout: it holds leadlib's ``pyproject.toml``."""
    try:
        text = (folder / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:  # missing, or not readable: an installed copy
        return False
    return 'name = "leadlib"' in text


def _installed_dir(name: str) -> Path:
    """Folder ``name`` installed inside the leadlib package (a wheel's copy of ``data/`` or ``notebooks/``)."""
    root = resources.files(__package__)
    # pip installs a wheel as files, so the package is a folder; a zipped leadlib could not hand out paths at all
    return (root if isinstance(root, Path) else PACKAGE_DIR) / name


#: Whether leadlib runs from its source checkout. Then the study and the notebooks are the checkout's
#: ``data/`` and ``notebooks/`` (``make data`` regenerates them in place); else the copies a wheel installs.
IN_CHECKOUT = _is_checkout(REPO_DIR)
#: Where a wheel (or a pip install from a git URL) puts ``data/``: the package ``leadlib._bundled_data``.
INSTALLED_DATA_DIR = _installed_dir("_bundled_data")
#: Where a wheel puts the exercise masters, ``exercises/`` of the package ``leadlib._bundled_notebooks``
#: (the other notebooks, the book, are not installed).
INSTALLED_NOTEBOOKS_DIR = _installed_dir("_bundled_notebooks")
#: The bundled synthetic study: ``data/`` of the checkout, else its installed copy.
DATA_DIR = REPO_DIR / "data" if IN_CHECKOUT else INSTALLED_DATA_DIR
#: The notebooks: ``notebooks/`` of the checkout, else the installed copy (which holds ``exercises/`` only).
NOTEBOOKS_DIR = REPO_DIR / "notebooks" if IN_CHECKOUT else INSTALLED_NOTEBOOKS_DIR
#: The master exercise notebooks, from which ``leadlib classroom build`` writes the student and instructor ones.
EXERCISES_DIR = NOTEBOOKS_DIR / "exercises"
#: Folder of the bundled study's exports, made by ``python -m leadlib.simulate.exports``.
EXPORTS_DIR = DATA_DIR / "exports"
#: The bundled study as a REFI-QDA project.
BUNDLED_QDPX = EXPORTS_DIR / "bundled-study.qdpx"


def bundled_study_dir() -> Path:
    """Folder of the bundled synthetic study (its ``study.toml``).

    Returns
    -------
    Path
        ``data/`` of the source checkout when leadlib runs from one, else the
        copy installed with leadlib (``leadlib/_bundled_data``).
    """
    return DATA_DIR


#: Environment variable that chooses where leadlib keeps its caches.
CACHE_ENV = "LEADLIB_CACHE_DIR"


def cache_dir() -> Path:
    """Folder of leadlib's caches: ``$LEADLIB_CACHE_DIR``, else the user's cache directory.

    The user's cache directory is the platform's (``~/.cache/leadlib`` on
    Linux, ``~/Library/Caches/leadlib`` on macOS, ``%LOCALAPPDATA%\\leadlib\\Cache``
    on Windows), as :func:`platformdirs.user_cache_dir` gives it. The folder
    is not created here.

    Returns
    -------
    Path
        An absolute path.
    """
    chosen = os.environ.get(CACHE_ENV, "").strip()
    if chosen:
        return Path(chosen).expanduser().resolve()
    return Path(platformdirs.user_cache_dir("leadlib", appauthor=False)).resolve()
