"""The README's Python examples run as written (issue 10: "the README's Python code blocks executed by a test").

Each ```python block of README.md is executed top to bottom in a fresh namespace, in a temporary folder that
holds files of the names the examples use (copies of the bundled study's REFI-QDA export and of the Taguette
and QualCoder fixtures), so that an example that no longer matches the API fails here.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import leadlib
from leadlib.paths import BUNDLED_QDPX

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: file name used in a README example -> the file it stands for here
EXAMPLE_FILES = {
    "project.qdpx": BUNDLED_QDPX,
    "project.sqlite3": FIXTURES / "taguette" / "project_export.sqlite3",
    "project.qda": FIXTURES / "qualcoder" / "leadership-demo.qda",
}


def readme_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_python_examples():
    assert len(readme_blocks()) >= 2


@pytest.mark.parametrize("index", range(len(readme_blocks())))
def test_readme_python_block_runs(index, tmp_path, monkeypatch):
    for name, source in EXAMPLE_FILES.items():
        if source.is_dir():  # a QualCoder project is a folder
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(readme_blocks()[index], f"README.md python block {index + 1}", "exec"), namespace)
    studies = [value for value in namespace.values() if isinstance(value, leadlib.Study)]
    assert studies, "each example ends with a study in hand"
    for study in studies:
        assert len(study.sites) > 0 and len(study.segments) > 0
    for name in re.findall(r'"(\w+\.qdpx)"', readme_blocks()[index]):
        if name not in EXAMPLE_FILES:  # a file the example writes
            assert (tmp_path / name).stat().st_size > 0
