"""Keep the book's notebooks saved from one clean top-to-bottom run.

``python -m leadlib._notebooks execute notebooks/02-*.ipynb`` runs each
notebook in a fresh kernel, in the notebook's own folder, and saves it with
its outputs (what nbval compares against), with leadlib's cache in a
temporary folder of its own (a stale cache elsewhere would add its "rebuilt"
note to the audit a notebook shows). ``check`` reports notebooks whose
saved outputs hold an error or a warning, or whose execution counts show they
were not run top to bottom in one go.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from .paths import CACHE_ENV

__all__ = ["execute_notebook", "problems"]


def execute_notebook(path: Path, *, timeout: int = 600) -> None:
    """Run a notebook top to bottom in a fresh ``python3`` kernel and save it in place."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    # Widget state holds random model ids: never saved (the explorer rebuilds its widgets when run).
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:  # timings and widget ids change on every run: keep diffs to what changed
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def problems(path: Path) -> list[str]:
    """What is wrong with a notebook's saved state (empty when it is clean)."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    found, counts = [], []
    for cell in doc.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"saved output is an error ({out.get('ename')})")
            if out.get("name") == "stderr" and "Warning" in "".join(out.get("text", [])):
                found.append("saved output shows a warning")
        if cell.get("execution_count") is not None:
            counts.append(cell["execution_count"])
    if counts and counts != list(range(1, len(counts) + 1)):
        found.append("not saved from one clean top-to-bottom run")
    if doc.get("metadata", {}).get("kernelspec", {}).get("name") != "python3":
        found.append("kernelspec is not python3")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m leadlib._notebooks")
    parser.add_argument("action", choices=["execute", "check"])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="leadlib-notebooks-cache-") as cache:
        os.environ.setdefault(CACHE_ENV, cache)  # the kernels inherit it
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    status = 0
    for nb in args.notebooks:
        if args.action == "execute":
            print(f"running {nb} ...", flush=True)
            execute_notebook(nb)
        found = problems(nb)
        for p in found:
            print(f"{nb}: {p}", file=sys.stderr)
        status |= bool(found)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
