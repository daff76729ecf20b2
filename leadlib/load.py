"""``load_study``: a study folder (or the bundled study) to a :class:`Study`.

A second load of unchanged files comes from a cache in the study folder
(``.leadlib-cache/``), keyed on the SHA-256 of the manifest and of every
source file, and on leadlib's version and tidying code. The cache holds the
tidy tables as Arrow IPC (Feather v2) files, uncompressed, read back
memory-mapped: for a million codings that is about twenty times faster than
Parquet, which is a format for storage and exchange rather than for a local
cache. Hashes are remembered with each
file's size and modification time, so that an unchanged file is not read
again just to be hashed (as build tools and DVC do); a changed file has a new
modification time and is hashed afresh.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pyarrow import feather

from . import io, schema, tidy
from ._version import __version__
from .manifest import read_manifest
from .paths import bundled_study_dir
from .study import TABLE_NAMES, Study

__all__ = ["load_study", "keep_loaded", "CACHE_DIR", "clear_cache"]

CACHE_DIR = ".leadlib-cache"
_CACHE_FORMAT = 2  # bump when the cached layout changes
#: Studies kept in memory by keep_loaded(), by (resolved folder, cache); None: not keeping any.
_kept: dict[tuple[str | None, bool], Study] | None = None


def load_study(path: str | os.PathLike | None = None, *, cache: bool = True) -> Study:
    """Load a study: read, tidy and validate every source its manifest names.

    Parameters
    ----------
    path
        A study folder (holding ``study.toml``) or the manifest itself.
        ``None`` loads the bundled synthetic study.
    cache
        Reuse (and write) the cache in ``<folder>/.leadlib-cache``.
        Nothing is written outside the study folder; if the folder is not
        writable the study is loaded without caching.

    Returns
    -------
    Study
        The tidy tables, the audit trail (``study.audit``) and the row
        accounting (``study.accounting()``).

    Raises
    ------
    LeadlibDataError
        For a missing file or column, a malformed manifest, values that do
        not fit the schema, duplicate IDs that disagree, segments pointing at
        unknown interviews or codes, offsets outside the transcript, bad
        dates, undecodable files: the message names the file, the row as a
        spreadsheet shows it, the column, the value and what to do.

    See Also
    --------
    keep_loaded : load each study once per process, hand out copies.
    """
    if _kept is None:
        return _load_study(path, cache=cache)
    key = (str(Path(path).resolve()) if path is not None else None, bool(cache))
    if key not in _kept:
        _kept[key] = _load_study(path, cache=cache)
    return _kept[key].copy()


def keep_loaded(keep: bool = True) -> None:
    """Keep the studies this process loads in memory, and hand out copies of them.

    After ``keep_loaded()``, :func:`load_study` loads a study as usual the
    first time, then returns a copy of that study for every later call with
    the same folder and ``cache``, without looking at the files again (even
    if they changed since). A copy, so that code that changes its study
    changes no other's. For long-lived processes that run many notebooks on
    one study: each kernel of ``leadlib report`` calls it at start-up.

    Parameters
    ----------
    keep
        ``False`` forgets the studies kept and makes :func:`load_study`
        read the files again at every call (the default behaviour).
    """
    global _kept
    _kept = {} if keep else None


def _load_study(path: str | os.PathLike | None, *, cache: bool) -> Study:
    folder = Path(path) if path is not None else bundled_study_dir()
    manifest = read_manifest(folder)
    if manifest.format:
        return _load_qda(manifest)

    key = None
    if cache:
        try:
            key = _cache_key(manifest)
        except OSError:
            key = None
        if key is not None:
            study = _read_cache(manifest.folder, key)
            if study is not None:
                return study

    study = tidy.tidy_study(manifest)
    if cache and key is not None:
        _write_cache(manifest.folder, key, study)
    return study


def _load_qda(manifest) -> Study:
    reader = {"refi-qda": "read_refi", "taguette": "read_taguette", "qualcoder": "read_qualcoder"}[manifest.format]
    study = getattr(io, reader)(
        manifest.folder / manifest.qda["source"],
        site_from=manifest.qda["site_from"],
        on_no_site=manifest.qda["on_no_site"],
        code_groups=manifest.qda["code_groups"],
    )
    study.name = manifest.name or study.name
    study.synthetic = manifest.synthetic or study.synthetic
    study.path = manifest.folder
    return study


# ---------------------------------------------------------------------- cache


def _hash_file(path: str, key: str, memo: dict) -> tuple[str, bool]:
    """SHA-256 of a file, reusing the remembered one while size and mtime are unchanged."""
    st = os.stat(path)
    entry = memo.get(key)
    if entry and entry[0] == st.st_size and entry[1] == st.st_mtime_ns:
        return entry[2], False
    with open(path, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    memo[key] = [st.st_size, st.st_mtime_ns, digest]
    return digest, True


#: Modules whose code decides what a load produces: a change to any of them
#: invalidates every cache, even within one version of leadlib.
_TIDYING_CODE = ("tidy.py", "schema.py", "manifest.py", "audit.py", "load.py", "study.py", "io/tables.py", "io/text.py")


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _TIDYING_CODE:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def _cache_key(manifest) -> str:
    cache_dir = manifest.folder / CACHE_DIR
    memo_path = cache_dir / "hashes.json"
    memo = {}
    if memo_path.exists():
        try:
            memo = json.loads(memo_path.read_text())
        except (OSError, ValueError):
            memo = {}
    h = hashlib.sha256()
    h.update(f"leadlib {__version__} cache {_CACHE_FORMAT} code {_code_fingerprint()}\n".encode())
    prefix = str(manifest.folder) + os.sep
    changed = False
    for f in manifest.files():
        path = os.fspath(f)
        rel = path[len(prefix) :] if path.startswith(prefix) else path
        digest, fresh = _hash_file(path, rel, memo)
        changed |= fresh
        h.update(f"{rel}\0{digest}\n".encode())
    if changed:
        try:
            cache_dir.mkdir(exist_ok=True)
            _atomic_write(memo_path, json.dumps(memo).encode())
        except OSError:
            pass
    return h.hexdigest()[:32]


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_cache(folder: Path, key: str) -> Study | None:
    where = folder / CACHE_DIR / key
    meta_path = where / "meta.json"
    if not meta_path.exists():
        return None
    try:
        meta = json.loads(meta_path.read_text())
        tables = {}
        for name in TABLE_NAMES:
            frame = _read_arrow(where / f"{name}.arrow")
            tables[name] = _restore(name, frame)
        accounting = _read_arrow(where / "accounting.arrow")
    except (OSError, ValueError, KeyError, ImportError, pa.ArrowException):
        return None
    return Study(
        **tables,
        name=meta["name"],
        synthetic=meta["synthetic"],
        path=folder,
        accounting_table=accounting,
        metadata=meta.get("metadata", {}),
    )


def _read_arrow(path: Path) -> pd.DataFrame:
    return feather.read_table(path, memory_map=True).to_pandas()


def _restore(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    # The file keeps the values; the schema gives back exact dtypes (ordered categoricals).
    table = schema.TABLES[name]
    for col in table.columns:
        if col.name in frame.columns and frame[col.name].dtype != col.dtype:
            frame[col.name] = schema._as_dtype(frame[col.name], col)
    return frame


def _write_cache(folder: Path, key: str, study: Study) -> None:
    root = folder / CACHE_DIR
    try:
        root.mkdir(exist_ok=True)
        (root / ".gitignore").write_text("*\n")
        tmp = Path(tempfile.mkdtemp(dir=root, prefix=".tmp-"))
        for name, frame in study.tables():
            feather.write_feather(frame.reset_index(drop=True), tmp / f"{name}.arrow", compression="uncompressed")
        feather.write_feather(
            study.accounting_table.reset_index(drop=True), tmp / "accounting.arrow", compression="uncompressed"
        )
        meta = {
            "name": study.name,
            "synthetic": study.synthetic,
            "leadlib": __version__,
            "metadata": {k: v for k, v in study.metadata.items() if isinstance(v, (str, int, float, bool))},
        }
        (tmp / "meta.json").write_text(json.dumps(meta))
        target = root / key
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
        # Keep only the newest entry: older keys belong to files that changed.
        for old in root.iterdir():
            if old.is_dir() and old.name != key:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        return


def clear_cache(path: str | os.PathLike | None = None) -> None:
    """Remove a study folder's cache."""
    folder = Path(path) if path is not None else bundled_study_dir()
    if folder.is_file():
        folder = folder.parent
    shutil.rmtree(folder / CACHE_DIR, ignore_errors=True)
