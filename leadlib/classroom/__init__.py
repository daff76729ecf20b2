"""The classroom: self-checks for the exercise notebooks, their student and instructor versions, the HTML book.

>>> leadlib classroom --out classroom        # make classroom (= leadlib classroom build --out classroom)
>>> leadlib classroom book --out book        # the student edition as static HTML (:mod:`.book`)
>>> leadlib classroom guide --check docs/teaching.md   # the guide's numbers (:mod:`.guide`)

``build`` writes, only inside ``--out``:

- ``student/``: each exercise notebook of ``notebooks/exercises/`` with its
  solution cells removed and every output cleared; the exercise stubs and
  the self-check cells stay;
- ``instructor/``: the same notebooks with solutions, rubrics and outputs,
  as the masters hold them;

with the same file names on both sides. The folders do not depend on where
the repository is: links between exercises stay links, and a master's link
to the book (``../03-behaviours-across-sites.ipynb``) becomes plain text
naming the notebook, since the folder is handed out without the book.

How a master is written (``docs/teaching.md`` for instructors):

- a cell tagged ``solution`` holds the worked answer; the next cell that is
  not a solution is its stub, tagged ``exercise``. A code stub sets the answer
  to ``...`` (the placeholder), and nothing in it raises: a student's "Run
  All" runs the notebook top to bottom, every self-check of an exercise not
  done yet saying "not answered yet", and the cells after it (which a later
  written question may rely on) still run. A stub carries the tags
  ``skip-execution`` (nbclient) and ``nbval-skip`` (nbval) so the master,
  whose solution already ran, skips it; the student version drops those two
  tags. A master of an earlier edition whose stub ends with
  ``raise NotImplementedError("Exercise 2.1: ...")`` is still accepted: the
  student version leaves that line out. A markdown stub (for a written
  answer) needs no tag but ``exercise``; after it, a markdown cell tagged
  ``rubric`` (the marking rubric) is for the instructor only.
- a self-check cell calls :func:`check` with the exercise's ID, the answer
  and the study: ``check("2.1", reviewing_share, study=study)`` (Exercise
  5's checks also take the passages and the student's codes:
  ``check("5.2", agreement, study=study, sample=sample, codes=my_codes)``).
  It never raises: it says whether the answer is right and, if not, gives a hint. The
  expected values are computed here, from the study's data, with the same
  library functions the solutions use, never pasted into the notebook.

Why tags and not otter-grader (measured here, otter-grader 7.0.0; details in
``docs/teaching.md``): its ``otter assign`` works headless, but adds about 90
packages (550 MB, Docker client included) for one feature we need (removing
solutions), writes a time-stamped autograder zip on every run, keeps tests as
doctests whose failure shows a traceback, and reports "All test cases
passed!" when hidden tests remain. Tags need nothing beyond nbformat, run
under nbval and jupytext unchanged, and keep checks' logic in this tested
module.

The package: :mod:`.checks` (the self-checks), :mod:`.versions` (student
and instructor versions), :mod:`.coding` (Exercise 5's passages and
agreement), :mod:`.guide` (the guide's numbers), :mod:`.book` (the HTML
book), :mod:`.cli` (the command).
"""

from __future__ import annotations

from .book import render_book
from .checks import EXERCISES, CheckResult, check, exercises
from .cli import add_arguments, run
from .coding import CODING_SEED, coding_agreement, coding_sample, normalise_codes, process_codes, show_passages
from .guide import GUIDE_NUMBERS, PLANTED_FACETS, fill_guide, guide_numbers, planted_recovered, stale_numbers
from .versions import (
    EXERCISE_TAG,
    MASTER_SKIP_TAGS,
    RUBRIC_TAG,
    SOLUTION_TAG,
    build,
    instructor_version,
    read_masters,
    student_notebooks,
    student_version,
    validate_master,
)

__all__ = [
    "SOLUTION_TAG",
    "EXERCISE_TAG",
    "RUBRIC_TAG",
    "MASTER_SKIP_TAGS",
    "EXERCISES",
    "CheckResult",
    "check",
    "exercises",
    "student_version",
    "instructor_version",
    "validate_master",
    "read_masters",
    "student_notebooks",
    "build",
    "render_book",
    "CODING_SEED",
    "coding_sample",
    "coding_agreement",
    "normalise_codes",
    "process_codes",
    "show_passages",
    "GUIDE_NUMBERS",
    "PLANTED_FACETS",
    "guide_numbers",
    "planted_recovered",
    "fill_guide",
    "stale_numbers",
    "add_arguments",
    "run",
]
