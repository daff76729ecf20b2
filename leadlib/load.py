"""``load_study``: a study folder (or the bundled study) to a :class:`Study`.

A second load of unchanged files comes from a cache of the tidy tables. The
cache cannot serve tables the files do not hold:

- **Where.** In the user's cache directory (:func:`leadlib.paths.cache_dir`:
  ``$LEADLIB_CACHE_DIR``, else ``platformdirs.user_cache_dir("leadlib")``),
  one folder per study folder (named after the SHA-256 of its resolved path),
  never in the study folder: loading writes nothing there, a read-only study
  folder is cached as any other, and a ``.leadlib-cache`` folder that arrives
  inside a study folder (written by older versions, or by someone else) is
  never read.
- **Key.** The SHA-256 of the *content* of the manifest and of every file it
  names, with leadlib's version, the cache's layout and a fingerprint of the
  tidying code. A file's digest is computed again unless a memo kept beside
  the cache (``digests.json``) holds it for the file as it stands: the same
  size, modification time, change time, inode and device, all settled (more
  than :data:`SETTLED_SECONDS` before the digest was taken, so that a write
  within the same tick of the file system's clock cannot go unseen). The memo
  decides only *when* to hash again: a change time moves with every write
  and cannot be set back by a program (restoring a modification time with
  ``os.utime`` moves it), so an edit that keeps size and modification time is
  hashed again and seen. What the memo trusts is the file system's change
  time: on a drive that does not keep one (FAT, exFAT, some network shares)
  an edit that keeps size and restores the modification time would go
  unseen; :func:`clear_cache` (or ``cache=False``) reads every file again.
  Hashing everything costs about what reading the bytes does (1-1.5 s for
  the million codings of ``benchmarks/bench_load.py``, 24,000 files,
  560 MB); with the memo, a warm load makes one ``stat`` per file. On a cold
  load with no cache entry to look up, the files are hashed in a second
  thread while the study is tidied; a file that changed while it was read
  (its size or times moved) leaves the study uncached.
- **Checks.** Every cached table is an Arrow IPC (Feather v2) file,
  uncompressed, read back memory-mapped (for a million codings about twenty
  times faster than Parquet); its SHA-256 is kept in the entry's
  ``meta.json`` and verified at every read. An entry for other inputs,
  another version of leadlib or its code, or with a bad checksum is ignored
  and rebuilt, and the rebuilt study's audit trail says why (an entry with
  ``table == "cache"``, ``action == "note"``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pyarrow import feather

from . import io, schema, tidy
from ._version import __version__
from .audit import AuditLog
from .manifest import read_manifest
from .paths import bundled_study_dir, cache_dir
from .study import TABLE_NAMES, Study

__all__ = ["load_study", "keep_loaded", "CACHE_DIR", "clear_cache", "cache_folder"]

#: Name of the cache folder that leadlib up to 0.x wrote inside study folders;
#: such a folder is never read (the cache now lives in :func:`leadlib.paths.cache_dir`).
CACHE_DIR = ".leadlib-cache"
_CACHE_FORMAT = 3  # bump when the cached layout changes
_STUDY_MARK = "study.json"  # in each study's cache folder: which study folder it caches
_MEMO = "digests.json"  # in each study's cache folder: digests of the inputs, by their stat signature
#: A file's digest is kept in the memo only if its modification and change times are at least this
#: much older than the moment its signature was taken (coarse clocks: FAT keeps 2-second times).
SETTLED_SECONDS = 2.0
#: Studies kept in memory by keep_loaded(), by (resolved folder, cache); None: not keeping any.
_kept: dict[tuple[str | None, bool | str], Study] | None = None


def load_study(path: str | os.PathLike | None = None, *, cache: bool | str | os.PathLike = True) -> Study:
    """Load a study: read, tidy and validate every source its manifest names.

    Parameters
    ----------
    path
        A study folder (holding ``study.toml``) or the manifest itself.
        ``None`` loads the bundled synthetic study.
    cache
        ``True``: reuse (and write) the cache of tidy tables in the user's
        cache directory (``$LEADLIB_CACHE_DIR`` if set, else
        ``platformdirs.user_cache_dir("leadlib")``); a folder: keep the
        cache there instead; ``False``: read every file again and write no
        cache. The cache is keyed on the content of every file, so it never
        serves tables the files do not hold; nothing is ever written into
        the study folder, and if the cache folder cannot be written the
        study is loaded without caching.

    Returns
    -------
    Study
        The tidy tables, the audit trail (``study.audit``) and the row
        accounting (``study.accounting()``). If a cache entry was found but
        not used (files changed, another version of leadlib, a damaged
        file), the audit trail says so in an entry of table ``"cache"``.

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
    clear_cache : remove a study's cache.
    """
    if _kept is None:
        return _load_study(path, cache=cache)
    where = str(Path(cache).resolve()) if isinstance(cache, (str, os.PathLike)) else bool(cache)
    key = (str(Path(path).resolve()) if path is not None else None, where)
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


def _load_study(path: str | os.PathLike | None, *, cache: bool | str | os.PathLike) -> Study:
    folder = Path(path) if path is not None else bundled_study_dir()
    manifest = read_manifest(folder)
    if manifest.format:
        return _load_qda(manifest)
    if not isinstance(cache, (str, os.PathLike)) and not cache:
        return tidy.tidy_study(manifest)

    where = cache_folder(manifest.folder, cache=cache if isinstance(cache, (str, os.PathLike)) else None)
    try:
        files = _input_files(manifest)
        taken = time.time_ns()
        signatures = _signatures(files)
    except OSError:
        return tidy.tidy_study(manifest)  # it names the file it cannot read
    inputs = _remembered(where, signatures)
    hashing = None
    if len(inputs) < len(files):
        if _has_entries(where):  # an entry may match: the key is needed before anything else
            try:
                inputs.update(_hash_files({rel: path for rel, path in files.items() if rel not in inputs}))
            except OSError:
                return tidy.tidy_study(manifest)
        else:  # nothing to look up: hash while the study is tidied
            hashing = _Hashing({rel: path for rel, path in files.items() if rel not in inputs})
    why = ""
    if hashing is None:
        inputs = {rel: inputs[rel] for rel in files}  # in the manifest's order
        study, why = _read_cache(where, _cache_key(inputs), inputs, manifest.folder)
        if study is not None:
            return study
    try:
        study = tidy.tidy_study(manifest)
    finally:
        if hashing is not None:
            inputs.update(hashing.result())
    if hashing is not None and hashing.failed:
        return study  # a file could not be hashed (tidying read it all the same): no cache
    inputs = {rel: inputs[rel] for rel in files}
    try:
        unchanged = _signatures(files) == signatures
    except OSError:
        unchanged = False
    if unchanged:  # a file that changed while the study was read could mix two versions: not cached
        key = _cache_key(inputs)
        _write_cache(where, key, inputs, study, manifest.folder)
        _write_memo(where, signatures, inputs, taken)
    if why:
        log = AuditLog()
        log.add("cache", "leadlib cache", "note", f"cached tables not used, the study was read again: {why}")
        study.audit = pd.concat([study.audit, log.frame()], ignore_index=True)
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


def cache_folder(path: str | os.PathLike | None = None, *, cache: str | os.PathLike | None = None) -> Path:
    """The folder that holds a study's cache of tidy tables (it may not exist).

    Parameters
    ----------
    path
        A study folder or its manifest; ``None``: the bundled study.
    cache
        The cache's root folder; ``None``: :func:`leadlib.paths.cache_dir`.

    Returns
    -------
    Path
        ``<root>/<study folder name>-<SHA-256 of its resolved path, 16 hex digits>``.
    """
    folder = Path(path) if path is not None else bundled_study_dir()
    if folder.is_file():
        folder = folder.parent
    resolved = folder.resolve()
    root = Path(cache).expanduser().resolve() if cache is not None else cache_dir()
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", resolved.name)[:40].strip("._") or "study"
    return root / f"{name}-{digest}"


def _hash_file(path: str) -> str:
    if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or device would block or never end
        raise OSError(f"not a regular file: {path}")
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _input_files(manifest) -> dict[str, str]:
    """``{file as the study names it: its path}`` for the manifest and every file it names, in that order."""
    prefix = str(manifest.folder) + os.sep
    out: dict[str, str] = {}
    paths = [os.fspath(manifest.path)]
    for spec in manifest.sources:
        names = getattr(spec.files, "strings", None)  # a PathList: no Path made per file
        paths.extend(names if names is not None else map(os.fspath, spec.files))
    if manifest.format:
        paths.append(os.fspath(manifest.folder / manifest.qda["source"]))
    for p in paths:
        out.setdefault(p[len(prefix) :] if p.startswith(prefix) else p, p)
    return out


def _hash_files(files: dict[str, str]) -> dict[str, str]:
    return {rel: _hash_file(path) for rel, path in files.items()}


def _hash_inputs(manifest) -> dict[str, str]:
    """``{file as the study names it: SHA-256 of its content}`` for the manifest and every file it names.

    Every file is read and hashed (no memo): what a load with no memo does.
    """
    return _hash_files(_input_files(manifest))


def _signatures(files: dict[str, str]) -> dict[str, tuple[int, int, int, int, int]]:
    """``{file: (size, modification time, change time, inode, device)}`` (times in nanoseconds).

    OSError for a file that is not a regular file (a FIFO would block the hashing).
    """
    out = {}
    for rel, path in files.items():
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"not a regular file: {path}")
        out[rel] = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
    return out


def _signature_text(signature: tuple) -> str:
    return ":".join(map(str, signature))


def _remembered(where: Path, signatures: dict[str, tuple]) -> dict[str, str]:
    """The digests the memo holds for files whose signature has not changed since they were hashed."""
    try:
        memo = json.loads((where / _MEMO).read_text(encoding="utf-8"))
        if memo.get("format") != _CACHE_FORMAT:
            return {}
        known, digests = memo["signature"], memo["digest"]
        out = {}
        for rel, signature in signatures.items():
            if known.get(rel) == _signature_text(signature) and isinstance(digests.get(rel), str):
                out[rel] = digests[rel]
        return out
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # no memo, or not one leadlib wrote: every file is hashed


def _write_memo(where: Path, signatures: dict[str, tuple], inputs: dict[str, str], taken: int) -> None:
    """Keep the digests of the files whose times had settled when their signatures were taken."""
    settled = taken - int(SETTLED_SECONDS * 1e9)
    kept = [rel for rel, (_, mtime, ctime, _, _) in signatures.items() if mtime < settled and ctime < settled]
    memo = {
        "format": _CACHE_FORMAT,
        "signature": {rel: _signature_text(signatures[rel]) for rel in kept},
        "digest": {rel: inputs[rel] for rel in kept},
    }
    try:
        tmp = where / f".tmp-{_MEMO}-{os.getpid()}-{threading.get_ident()}"
        tmp.write_text(json.dumps(memo), encoding="utf-8")
        os.replace(tmp, where / _MEMO)
    except OSError:
        return


def _has_entries(where: Path) -> bool:
    """Whether the study's cache folder holds an entry (one that might serve this load)."""
    try:
        return any((entry / "meta.json").is_file() for entry in where.iterdir() if not entry.name.startswith("."))
    except OSError:
        return False


class _Hashing:
    """The digests of some files, computed in a thread while the study is tidied.

    SHA-256 and file reads release the GIL, so on two cores the hashing costs
    a cold load little. :meth:`result` waits for the digests; ``failed`` says
    that a file could not be hashed (tidying reports it, or reads it all the same).
    """

    def __init__(self, files: dict[str, str]):
        self.files = files
        self.digests: dict[str, str] = {}
        self.failed = False
        self.thread = threading.Thread(target=self._run, name="leadlib-hash-inputs", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.digests = _hash_files(self.files)
        except OSError:
            self.failed = True

    def result(self) -> dict[str, str]:
        self.thread.join()
        return self.digests


#: Modules whose code decides what a load produces: a change to any of them
#: invalidates every cache, even within one version of leadlib.
_TIDYING_CODE = (
    "tidy.py",
    "schema.py",
    "manifest.py",
    "audit.py",
    "load.py",
    "study.py",
    "io/tables.py",
    "io/text.py",
    "io/workbook.py",
    "io/_safe.py",
)


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _TIDYING_CODE:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def _stamp() -> dict:
    """What, besides the inputs, a cache entry must match."""
    return {"leadlib": __version__, "format": _CACHE_FORMAT, "code": _code_fingerprint()}


def _cache_key(inputs: dict[str, str]) -> str:
    h = hashlib.sha256(json.dumps(_stamp(), sort_keys=True).encode())
    for rel, digest in inputs.items():
        h.update(f"{rel}\0{digest}\n".encode())
    return h.hexdigest()[:32]


class _Unusable(Exception):
    """A cache entry that must not be used; the message says why."""


def _read_cache(where: Path, key: str, inputs: dict[str, str], folder: Path) -> tuple[Study | None, str]:
    """The cached study, or ``None`` and why no entry was used (``""``: there was none)."""
    entry = where / key
    try:
        if not (entry / "meta.json").is_file():
            return None, _why_other(where, key, inputs)
        return _read_entry(entry, key, inputs, folder), ""
    except _Unusable as exc:
        return None, str(exc)
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
        return None, f"the cache entry could not be read ({type(exc).__name__})"


def _read_entry(entry: Path, key: str, inputs: dict[str, str], folder: Path) -> Study:
    meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
    _check_meta(meta, key, inputs)
    tables = {name: _restore(name, _read_arrow(entry, f"{name}.arrow", meta)) for name in TABLE_NAMES}
    accounting = _read_arrow(entry, "accounting.arrow", meta)
    return Study(
        **tables,
        name=meta["name"],
        synthetic=meta["synthetic"],
        path=folder,
        accounting_table=accounting,
        metadata=meta.get("metadata", {}),
    )


def _check_meta(meta: dict, key: str, inputs: dict[str, str]) -> None:
    stamp = _stamp()
    if meta.get("leadlib") != stamp["leadlib"]:
        raise _Unusable(f"it was written by leadlib {meta.get('leadlib')}, this is leadlib {stamp['leadlib']}")
    if meta.get("format") != stamp["format"] or meta.get("code") != stamp["code"]:
        raise _Unusable("it was written by another version of leadlib's tidying code")
    if meta.get("key") != key or meta.get("inputs") != inputs:
        raise _Unusable(_changed(meta.get("inputs") or {}, inputs))


def _why_other(where: Path, key: str, inputs: dict[str, str]) -> str:
    """Why the study's other cache entries (if any) cannot serve this load."""
    if not where.is_dir():
        return ""
    for other in sorted(where.iterdir()):
        if other.name == key or not (other / "meta.json").is_file():
            continue
        try:
            _check_meta(json.loads((other / "meta.json").read_text(encoding="utf-8")), key, inputs)
        except _Unusable as exc:
            return str(exc)
        except (OSError, ValueError, AttributeError):
            return "the cache entry could not be read"
    return ""


def _changed(before: dict[str, str], now: dict[str, str]) -> str:
    changed = [f for f in now if f in before and before[f] != now[f]]
    added = [f for f in now if f not in before]
    removed = [f for f in before if f not in now]
    parts = []
    for label, files in (("changed", changed), ("new", added), ("no longer read", removed)):
        if files:
            shown = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
            parts.append(f"{label}: {shown}")
    return "the files differ from those it was made from (" + ("; ".join(parts) or "other inputs") + ")"


def _read_arrow(entry: Path, name: str, meta: dict) -> pd.DataFrame:
    """A cached table, after checking its SHA-256 against the entry's ``meta.json``."""
    # Hashed through read(), not through the mapping: pages read stay in the page cache instead
    # of counting in the process's memory. Entries are never changed in place (a new entry
    # replaces an old one by a rename), so the file mapped is the file checked.
    path = entry / name
    if _hash_file(os.fspath(path)) != meta["checksums"][name]:
        raise _Unusable(f"the cached table {name} is damaged (its SHA-256 does not match the one written with it)")
    return feather.read_table(path, memory_map=True).to_pandas()


def _restore(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    # The file keeps the values; the schema gives back exact dtypes (ordered categoricals).
    table = schema.TABLES[name]
    for col in table.columns:
        if col.name in frame.columns and frame[col.name].dtype != col.dtype:
            frame[col.name] = schema._as_dtype(frame[col.name], col)
    return frame


def _write_arrow(frame: pd.DataFrame, path: Path) -> str:
    feather.write_feather(frame.reset_index(drop=True), path, compression="uncompressed")
    return _hash_file(os.fspath(path))


def _write_cache(where: Path, key: str, inputs: dict[str, str], study: Study, folder: Path) -> None:
    try:
        where.mkdir(parents=True, exist_ok=True)
        (where / _STUDY_MARK).write_text(json.dumps({"leadlib_cache_of": str(folder.resolve())}), encoding="utf-8")
        tmp = Path(tempfile.mkdtemp(dir=where, prefix=".tmp-"))
        try:
            checksums = {f"{name}.arrow": _write_arrow(frame, tmp / f"{name}.arrow") for name, frame in study.tables()}
            checksums["accounting.arrow"] = _write_arrow(study.accounting_table, tmp / "accounting.arrow")
            meta = {
                **_stamp(),
                "key": key,
                "name": study.name,
                "synthetic": study.synthetic,
                "metadata": {k: v for k, v in study.metadata.items() if isinstance(v, (str, int, float, bool))},
                "inputs": inputs,
                "checksums": checksums,
            }
            (tmp / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
            _replace_dir(tmp, where / key)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        # Keep only the newest entry: older keys belong to files or code that changed.
        for old in where.iterdir():
            if old.is_dir() and old.name != key and not old.name.startswith(".tmp-"):
                shutil.rmtree(old, ignore_errors=True)
        _prune(where.parent)
    except OSError:
        return


def _replace_dir(new: Path, target: Path) -> None:
    """Move ``new`` to ``target``, replacing a (damaged or stale) entry there."""
    if target.exists():
        trash = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-old-"))
        os.replace(target, trash / "entry")  # readers with the files mapped keep them
        shutil.rmtree(trash, ignore_errors=True)
    os.replace(new, target)


def _prune(root: Path) -> None:
    """Remove the caches of study folders that no longer exist (temporary copies, mostly)."""
    for where in root.iterdir():
        mark = where / _STUDY_MARK
        try:
            study = json.loads(mark.read_text(encoding="utf-8"))["leadlib_cache_of"]
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not a study's cache folder, or not written by leadlib: left alone
        if not Path(study).exists():
            shutil.rmtree(where, ignore_errors=True)


def clear_cache(path: str | os.PathLike | None = None, *, cache: str | os.PathLike | None = None) -> None:
    """Remove a study folder's cache of tidy tables.

    Parameters
    ----------
    path
        A study folder or its manifest; ``None``: the bundled study.
    cache
        The cache's root folder, as given to :func:`load_study`; ``None``:
        the default (:func:`leadlib.paths.cache_dir`).
    """
    shutil.rmtree(cache_folder(path, cache=cache), ignore_errors=True)
