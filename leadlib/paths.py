"""Where things are: the one module that resolves leadlib's paths."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = [
    "PACKAGE_DIR",
    "REPO_DIR",
    "DATA_DIR",
    "NOTEBOOKS_DIR",
    "EXPORTS_DIR",
    "BUNDLED_QDPX",
    "bundled_study_dir",
    "CACHE_ENV",
    "cache_dir",
]

PACKAGE_DIR = Path(__file__).resolve().parent
#: The source checkout (leadlib is installed editable, `pip install -e .`).
REPO_DIR = PACKAGE_DIR.parent
DATA_DIR = REPO_DIR / "data"
NOTEBOOKS_DIR = REPO_DIR / "notebooks"
#: Folder of the bundled study's exports, made by ``python -m leadlib.simulate.exports``.
EXPORTS_DIR = DATA_DIR / "exports"
#: The bundled study as a REFI-QDA project.
BUNDLED_QDPX = EXPORTS_DIR / "bundled-study.qdpx"


def bundled_study_dir() -> Path:
    """Folder of the bundled synthetic study (its ``study.toml``)."""
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
