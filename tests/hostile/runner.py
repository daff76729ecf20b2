"""Worker of the hostile corpus: builds and loads cases, one JSON line of outcome per case.

Run as ``python runner.py WORKDIR MAX_BYTES``. It caps its own address space
(``RLIMIT_AS``) before importing leadlib, then reads case names from stdin,
one per line, and for each: copies the bundled study into ``WORKDIR``,
breaks it (:attr:`hostile.cases.Case.build`), calls
``leadlib.load_study(folder, cache=...)`` under ``signal.alarm`` (the case's
time limit) and prints one JSON line: ``outcome`` is ``"load"``,
``"refused"`` (a :class:`~leadlib.errors.LeadlibDataError`, with its
attributes), ``"exception"`` (any other exception: a raw traceback, with its
type and last lines) or ``"timeout"``. The parent (``test_hostile.py``)
kills a worker that stops answering and counts a worker that dies as a crash.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for `hostile`

_TEXT_CAP = 400  # characters of a value kept in the outcome


class CaseTimeout(BaseException):
    """The case ran past its time limit (a BaseException: no ``except Exception`` of leadlib swallows it)."""


def _alarm(signum, frame):
    raise CaseTimeout()


def _short(value) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= _TEXT_CAP else text[:_TEXT_CAP] + "..."


def _plain(value):
    """A JSON-able copy of a cell's value."""
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if hasattr(value, "item"):
        return _plain(value.item())
    return str(value)


def _rows(frame, key: str, keep=None) -> dict:
    out = {}
    for record in frame.to_dict("records"):
        k = str(record[key])
        if keep is None or keep(k):
            out[k] = {c: _plain(v) for c, v in record.items()}
    return out


def describe_load(study, probe) -> dict:
    from hostile.cases import MARK

    result = {
        "outcome": "load",
        "counts": {name: len(frame) for name, frame in study.tables()},
        "audit": [
            {k: _short(v) if isinstance(v, str) else _plain(v) for k, v in entry.items()}
            for entry in study.audit.to_dict("records")
        ],
        "name": study.name,
        "synthetic": bool(study.synthetic),
        "description": study.metadata.get("description"),
        "sites": _rows(study.sites, "site_id"),
        "interviews": _rows(study.interviews, "interview_id", lambda k: k.startswith("S01")),
        "site_ids": [str(s) for s in study.sites["site_id"]],
    }
    if probe is not None:
        table, column = probe
        if table == "study":
            values = [study.name if column == "name" else study.metadata.get(column)]
        else:
            series = getattr(study, table)[column].dropna().astype(str)
            values = sorted(set(series[series.str.contains(MARK, regex=False)]))
        result["probe"] = values
    return result


def describe_error(exc) -> dict:
    return {
        "outcome": "refused",
        "error": {
            "type": type(exc).__name__,
            "message": _short(str(exc)) if len(str(exc)) < 4000 else str(exc)[:4000],
            "path": str(exc.path) if exc.path is not None else None,
            "row": exc.row,
            "column": exc.column,
            "problem": _short(exc.problem),
        },
    }


def run_case(name: str, workdir: Path) -> dict:
    import leadlib
    from hostile.cases import CASES_BY_NAME, copy_study
    from leadlib.errors import LeadlibDataError

    spec = CASES_BY_NAME[name]
    here = workdir / name
    shutil.rmtree(here, ignore_errors=True)
    here.mkdir(parents=True)
    folder = copy_study(here / "study")
    cache_root = here / "cache"
    os.environ["LEADLIB_CACHE_DIR"] = str(cache_root)
    started = time.perf_counter()
    signal.alarm(int(spec.seconds))
    try:
        spec.build(folder)
        built = time.perf_counter()
        if spec.cache:
            leadlib.load_study(folder, cache=True)
            if spec.between is not None:
                spec.between(folder, cache_root)
        loading = time.perf_counter()
        study = leadlib.load_study(folder, cache=spec.cache)
        seconds = time.perf_counter() - loading
        result = describe_load(study, spec.probe)
    except LeadlibDataError as exc:
        seconds = time.perf_counter() - loading if "loading" in locals() else None
        result = describe_error(exc)
    except CaseTimeout:
        seconds = time.perf_counter() - started
        result = {"outcome": "timeout"}
    except BaseException as exc:  # noqa: BLE001 - a raw traceback is what the corpus looks for
        seconds = None
        result = {
            "outcome": "exception",
            "error": {"type": type(exc).__name__, "message": _short(str(exc))},
            "traceback": traceback.format_exc()[-3000:],
        }
    finally:
        signal.alarm(0)
    result["name"] = name
    result["seconds"] = seconds
    result["build_seconds"] = (built - started) if "built" in locals() else None
    if not os.environ.get("HOSTILE_KEEP"):
        shutil.rmtree(here, ignore_errors=True)
    return result


def main() -> None:
    workdir = Path(sys.argv[1])
    max_bytes = int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGALRM, _alarm)
    import leadlib  # noqa: F401 - imported once, before the first case's clock starts

    for line in sys.stdin:
        name = line.strip()
        if not name:
            continue
        result = run_case(name, workdir)
        sys.stdout.write(json.dumps(result, default=str) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
