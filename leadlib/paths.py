"""Where things are: the one module that resolves leadlib's paths."""

from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE_DIR", "REPO_DIR", "DATA_DIR", "NOTEBOOKS_DIR", "EXPORTS_DIR", "BUNDLED_QDPX", "bundled_study_dir"]

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
