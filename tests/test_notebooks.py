"""The book of notebooks: table of contents, conventions, clean saved state.

The notebooks themselves run under nbval in `make test` (pytest collects notebooks/); these tests check what
nbval does not: that 00-overview lists exactly the notebooks present, and that each notebook opens with its
question and audience, keeps its decisions in a `parameters` cell, ends with "Next", and was saved from one clean
top-to-bottom run with no errors, warnings or machine paths in its outputs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from leadlib import report
from leadlib._notebooks import problems

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "notebooks"
NUMBERED = sorted(BOOK.glob("[0-9][0-9]-*.ipynb"))
ALL = NUMBERED + sorted(BOOK.glob("site-report.ipynb")) + sorted((BOOK / "exercises").glob("*.ipynb"))
MACHINE_PATH = re.compile(r"(/tmp/|/root/|/home/\w+|/work/|C:\\\\Users)")


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    return "".join(cell["source"])


def test_overview_lists_exactly_the_notebooks_present():
    overview = BOOK / "00-overview.ipynb"
    text = "\n".join(_source(c) for c in _cells(overview) if c["cell_type"] == "markdown")
    linked = set(re.findall(r"\]\(((?:exercises/)?[\w.-]+\.ipynb)\)", text))
    present = {p.relative_to(BOOK).as_posix() for p in ALL if p.name != "00-overview.ipynb"}
    assert linked == present, (
        f"missing from 00: {sorted(present - linked)}; linked but absent: {sorted(linked - present)}"
    )


def _intro(cells):
    """The markdown cells before the first code cell: the notebook's opening."""
    out = []
    for cell in cells:
        if cell["cell_type"] != "markdown":
            break
        out.append(cell)
    return out


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", NUMBERED + sorted(BOOK.glob("site-report.ipynb")), ids=lambda p: p.name)
def test_notebook_opens_with_question_and_audience_and_ends_with_next(path):
    cells = _cells(path)
    first = _source(cells[0])
    assert cells[0]["cell_type"] == "markdown" and first.lstrip().startswith("# ")
    if path.name != "site-report.ipynb":
        assert "**Question:**" in first and "**Audience:**" in first
        assert cells[-1]["cell_type"] == "markdown" and "## Next" in _source(cells[-1])
    # the notebook as saved (the bundled study) opens with the synthetic notice, for JupyterLab readers
    assert "synthetic" in "\n".join(_source(c) for c in _intro(cells)).lower()


#: Notebooks ``leadlib report`` renders, for the bundled study or for a study of one's own.
REPORTED = [p for p in NUMBERED if p.name[:2] in report.STUDY_NOTEBOOKS] + sorted(BOOK.glob("site-report.ipynb"))


@pytest.mark.parametrize("path", REPORTED, ids=lambda p: p.name)
def test_words_true_of_the_bundled_study_only_are_tagged(path):
    # A report of another study leaves out the cells tagged bundled-study: the synthetic notice of the intro must
    # be one of them, and so must every other word about the bundled (synthetic) study.
    cells = _cells(path)
    notices = [c for c in _intro(cells) if "synthetic" in _source(c).lower()]
    assert notices and all(report.BUNDLED_TAG in _tags(c) for c in notices)
    for cell in cells:
        if cell["cell_type"] == "markdown" and re.search(r"synthetic|bundled|planted", _source(cell), re.IGNORECASE):
            assert report.BUNDLED_TAG in _tags(cell) or "report-remove" in _tags(cell), _source(cell)[:200]


@pytest.mark.parametrize(
    "path", [p for p in ALL if p.name != "00-overview.ipynb"], ids=lambda p: p.relative_to(BOOK).as_posix()
)
def test_synthetic_notice_printed_from_the_data(path):
    # setup(study) prints the notice for a synthetic study: the saved run of the bundled study shows it
    outputs = "".join(
        "".join(o.get("text", ""))
        for c in _cells(path)
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )
    assert "SYNTHETIC DATA" in outputs


@pytest.mark.parametrize("path", NUMBERED + sorted(BOOK.glob("site-report.ipynb")), ids=lambda p: p.name)
def test_decisions_sit_in_a_parameters_cell_near_the_top(path):
    cells = _cells(path)
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code, "a notebook of the book runs code"
    assert "parameters" in code[0].get("metadata", {}).get("tags", []), "the first code cell is tagged parameters"
    assert "study_path" in _source(code[0])


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.relative_to(BOOK).as_posix())
def test_saved_from_one_clean_run(path):
    assert problems(path) == []
    assert not MACHINE_PATH.search(path.read_text(encoding="utf-8")), "a path of this machine is saved in the notebook"
