"""Issue 10's guard: rearranging the code must not change a table.

The tables behind the study pages and the site reports, and the tidy tables of
the bundled study, are recomputed and compared with saved copies
(``tests/golden/tables``, made by ``tests/golden/make_golden.py``; first written by
the code of leadlib 0.1.0, before the package was rearranged). A table that
differs fails here with its name. An intended analytic change rewrites the
copies (``python tests/golden/make_golden.py --out tests/golden/tables``) in the
same commit and names the change in CHANGELOG.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import leadlib

GOLDEN = Path(__file__).resolve().parent / "golden"
sys.path.insert(0, str(GOLDEN))
import make_golden  # noqa: E402

SAVED = GOLDEN / "tables"


@pytest.fixture(scope="module")
def study():
    return leadlib.load_study(cache=False)


def test_tidy_tables_unchanged(study):
    saved = json.loads((SAVED / "tidy.json").read_text())
    assert make_golden.tidy_digests(study) == saved


def test_report_tables_unchanged(study):
    tables = make_golden.analysis_tables(study)
    saved = sorted(p.stem for p in SAVED.glob("*.csv"))
    assert sorted(tables) == saved
    changed = [
        name for name, table in tables.items() if make_golden.as_csv(table) != (SAVED / f"{name}.csv").read_text()
    ]
    assert changed == []


def test_guard_can_fail(study):
    """A table with one value moved by 1e-6 is told apart from the saved copy."""
    table = make_golden.analysis_tables(study)["process_profile_segments"].copy()
    table.iloc[0, 0] += 1e-6
    assert make_golden.as_csv(table) != (SAVED / "process_profile_segments.csv").read_text()
