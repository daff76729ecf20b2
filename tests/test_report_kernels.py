"""How ``leadlib report`` hands the study to its kernels: :func:`leadlib.load.keep_loaded`, no patched function.

The report's process loads the study (writing the loader's cache); each
kernel calls ``leadlib.load.keep_loaded()`` at start-up, so its first
``leadlib.load_study(study_path)`` reads that cache and every later one is a
copy from memory.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import nbformat
import pyarrow as pa
import pytest
from pyarrow import feather

import leadlib
from leadlib import load, report


@pytest.fixture(scope="module")
def study_dir(tmp_path_factory) -> Path:
    from leadlib.simulate import simulate_study, write_study

    folder = tmp_path_factory.mktemp("study4")
    write_study(simulate_study(n_sites=4, seed=5), folder, seed=5, overwrite=True)
    leadlib.load_study(folder)  # the loader's cache
    return folder


@pytest.fixture
def keeping():
    load.keep_loaded()
    yield
    load.keep_loaded(False)


def test_keep_loaded_hands_out_copies_without_reading_the_files_again(study_dir, tmp_path, keeping):
    folder = tmp_path / "study"
    shutil.copytree(study_dir, folder)
    first = leadlib.load_study(folder)
    n_segments = len(first.segments)
    first.sites["name"] = "changed"  # a notebook that changes its study
    shutil.rmtree(folder)  # nothing left to read
    second = leadlib.load_study(folder)
    assert len(second.segments) == n_segments and "changed" not in set(second.sites["name"])  # not the changed copy
    assert second is not leadlib.load_study(folder)
    load.keep_loaded(False)
    with pytest.raises(leadlib.LeadlibDataError):
        leadlib.load_study(folder)  # back to reading the files: they are gone


def write_notebook(path: Path, sources: list[str]) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(f"# {path.stem}"))
    nb.cells.append(nbformat.v4.new_code_cell("study_path = None", metadata={"tags": ["parameters"]}))
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, path)


def test_kernels_read_the_parents_study_once_and_never_the_raw_files(study_dir, tmp_path):
    folder = tmp_path / "study"
    shutil.copytree(study_dir, folder)
    expected = leadlib.load_study(folder)  # writes the loader's cache of this folder
    # Mark the cached sites (with the checksum the loader checks): a kernel's study that came from
    # the cache has the mark, one that tidied the raw files again has not.
    entry = next(p for p in load.cache_folder(folder).iterdir() if p.is_dir() and not p.name.startswith("."))
    sites = feather.read_table(entry / "sites.arrow")
    column = sites.schema.get_field_index("name")
    marked = pa.array(["from the cache"] * sites.num_rows, type=sites.schema.field(column).type)
    feather.write_feather(sites.set_column(column, "name", marked), entry / "sites.arrow", compression="uncompressed")
    meta = json.loads((entry / "meta.json").read_text())
    meta["checksums"]["sites.arrow"] = hashlib.sha256((entry / "sites.arrow").read_bytes()).hexdigest()
    (entry / "meta.json").write_text(json.dumps(meta))
    notebooks = tmp_path / "nbs"
    notebooks.mkdir()
    check = (
        f"assert len(study.segments) == {len(expected.segments)} and study.name == {expected.name!r}\n"
        "assert set(study.sites['name']) == {'from the cache'}"
    )
    write_notebook(
        notebooks / "02-first.ipynb",
        [
            "import leadlib, leadlib.load\nstudy = leadlib.load_study(study_path)",
            check,
            "study.sites['name'] = 'changed'  # changes this notebook's copy only",
        ],
    )
    write_notebook(notebooks / "03-second.ipynb", ["import leadlib\nstudy = leadlib.load_study(study_path)", check])

    def progress(line: str) -> None:
        # Runs after a page is written and before the kernel (one: jobs=1) takes the next notebook.
        if line.endswith("02-first.html"):
            shutil.rmtree(folder)  # the second notebook can only have its study from the kernel's memory

    written = report.render_report(
        folder, tmp_path / "out", sites=[], jobs=1, notebooks_dir=notebooks, progress=progress
    )
    assert {p.name for p in written} >= {"02-first.html", "03-second.html"}
    assert not folder.exists()


def test_no_library_function_is_replaced_in_the_kernels():
    setup = report.executor._KERNEL_SETUP
    assert "leadlib.load.keep_loaded()" in setup
    assert not re.search(r"^\s*(leadlib|_?load)\.\w+\s*=", setup, flags=re.M)  # no assignment to a module's name
    assert "setattr" not in setup
