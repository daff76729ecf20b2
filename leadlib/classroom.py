"""The classroom: self-checks for the exercise notebooks, and their student and instructor versions.

>>> leadlib classroom --out classroom        # make classroom

writes, only inside ``--out``:

- ``student/``: each exercise notebook of ``notebooks/exercises/`` with its
  solution cells removed and every output cleared; the exercise stubs and
  the self-check cells stay;
- ``instructor/``: the same notebooks with solutions and outputs, as
  the masters hold them;

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
  answer) needs no tag but ``exercise``.
- a self-check cell calls :func:`check` with the exercise's ID, the answer
  and the study: ``check("2.1", reviewing_share, study=study)``. It never
  raises: it says whether the answer is right and, if not, gives a hint. The
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
"""

from __future__ import annotations

import argparse
import html
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import compare, schema
from .errors import LeadlibDataError
from .paths import NOTEBOOKS_DIR
from .stats import coder_agreement, coder_confusion

if TYPE_CHECKING:  # pragma: no cover
    from .study import Study

__all__ = [
    "SOLUTION_TAG",
    "EXERCISE_TAG",
    "MASTER_SKIP_TAGS",
    "EXERCISES",
    "CheckResult",
    "check",
    "exercises",
    "student_version",
    "instructor_version",
    "validate_master",
    "build",
    "add_arguments",
    "run",
]

SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercise"
#: Tags a code stub carries in the master so that nbclient (``skip-execution``) and nbval (``nbval-skip``)
#: skip it there; the student version drops them.
MASTER_SKIP_TAGS = ("skip-execution", "nbval-skip")

# The line an earlier edition's stub ended with; the student version leaves it out, so "Run All" does not stop.
_STUB_RAISE_LINE = re.compile(r"^[ \t]*raise\s+NotImplementedError\(\s*[\"']Exercise\s[^\n]*\n?", re.MULTILINE)
_PLACEHOLDER = re.compile(r"(?<![.\w])\.\.\.(?![.\w])")


# ---------------------------------------------------------------------------
# Self-checks


@dataclass(frozen=True)
class _Outcome:
    passed: bool
    what: str  # what the check looks at, said as a fact when it passes
    hint: str = ""  # what to try when it fails


@dataclass(frozen=True)
class CheckResult:
    """What a self-check found; shows itself as a short message in a notebook.

    Attributes
    ----------
    exercise : str
        The exercise's ID, e.g. ``"2.1"``.
    title : str
        What the exercise asks, in a few words.
    passed : bool
        True when every check passed.
    answered : bool
        False while the answer is still the stub's ``...``.
    outcomes : tuple
        The checks run, in order, up to and including the first that failed.
    """

    exercise: str
    title: str
    passed: bool
    answered: bool
    outcomes: tuple = field(default=())

    @property
    def hint(self) -> str:
        """The hint of the check that failed ("" when all passed)."""
        failed = [o for o in self.outcomes if not o.passed]
        return failed[0].hint if failed else ""

    def _lines(self) -> list[tuple[str, str]]:
        """(kind, text) lines: kind is head, pass, fail or hint."""
        head = f"Exercise {self.exercise} ({self.title})"
        if not self.answered:
            return [
                ("head", f"{head}: not answered yet."),
                (
                    "hint",
                    "Replace the ... in the exercise cell above with your answer, run that cell, "
                    "then run this cell again.",
                ),
            ]
        lines = [("head", f"{head}: these checks passed." if self.passed else f"{head}: not yet.")]
        for outcome in self.outcomes:
            lines.append(("pass" if outcome.passed else "fail", outcome.what))
            if not outcome.passed and outcome.hint:
                lines.append(("hint", outcome.hint))
        return lines

    def __repr__(self) -> str:
        marks = {"head": "", "pass": "  [ok] ", "fail": "  [not yet] ", "hint": "    Hint: "}
        return "\n".join(marks[kind] + text for kind, text in self._lines())

    def _repr_html_(self) -> str:
        colour = "#0072B2" if self.passed else ("#555555" if not self.answered else "#D55E00")
        marks = {"pass": "&#10003; ", "fail": "&#10007; ", "hint": "<em>Hint:</em> "}
        items = []
        head = ""
        for kind, text in self._lines():
            if kind == "head":
                head = f"<strong>{html.escape(text)}</strong>"
            else:
                items.append(f"<li class='{kind}'>{marks[kind]}{html.escape(text)}</li>")
        body = f"<ul style='margin:0.3em 0 0 0'>{''.join(items)}</ul>" if items else ""
        return (
            f"<div class='leadlib-check' style='border-left:4px solid {colour};padding:0.3em 0.8em'>{head}{body}</div>"
        )


@dataclass(frozen=True)
class _Exercise:
    title: str
    checks: Callable[[Any, Study], Iterable[_Outcome]]


def _frame(study: Study) -> pd.DataFrame:
    return study.frame()


# --- answers of different shapes -------------------------------------------------------------


def _as_series(answer: Any) -> pd.Series | None:
    if isinstance(answer, pd.Series):
        return answer
    if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
        return answer.iloc[:, 0]
    if isinstance(answer, Mapping):
        return pd.Series(dict(answer))
    return None


def _as_number(answer: Any) -> float | None:
    if isinstance(answer, (bool, np.bool_)):
        return None
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray)) and np.size(answer) == 1:
        answer = np.asarray(answer).ravel()[0]
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _close(a: float | None, b: float, *, tol: float = 0.0005) -> bool:
    return a is not None and abs(a - b) <= tol


def _same_values(answer: pd.Series, expected: pd.Series, *, tol: float = 1e-6) -> bool:
    try:
        values = pd.to_numeric(answer.reindex(expected.index), errors="coerce").to_numpy(dtype=float)
    except (TypeError, ValueError):
        return False
    return bool(np.allclose(values, expected.to_numpy(dtype=float), atol=tol, rtol=0, equal_nan=False))


def _vocabulary_value(answer: Any, known: Mapping[str, str]) -> str | None:
    """The ID an answer names: an ID or its label, any case and spacing."""
    if not isinstance(answer, str):
        return None
    wanted = re.sub(r"[\s_]+", " ", answer.strip().lower())
    for value, text in known.items():
        if wanted in (re.sub(r"[\s_]+", " ", value.lower()), re.sub(r"[\s_]+", " ", str(text).lower())):
            return value
    return None


def _code_labels(study: Study) -> dict[str, str]:
    return dict(zip(study.codebook["code_id"].astype(str), study.codebook["label"].astype(str)))


def _process_labels() -> dict[str, str]:
    return dict(schema.PROCESS_LABELS)


def _site_ids(answer: Any) -> str | None:
    return answer.strip() if isinstance(answer, str) else None


# --- 1 · tidying ---------------------------------------------------------------------------


def _drops(study: Study) -> pd.DataFrame:
    audit = study.audit
    return audit[audit["action"].astype(str) == "drop"]


def _check_duplicates(answer: Any, study: Study) -> Iterable[_Outcome]:
    drops = _drops(study)
    source = drops["source"].astype(str)
    duplicates = drops[
        (drops["table"] == "segments")
        & source.str.contains("coder1", regex=False)
        & drops["reason"].astype(str).str.startswith("exact duplicate")
    ]
    expected = int(duplicates["n"].sum())
    value = _as_number(answer)
    yield _Outcome(
        value is not None and float(value).is_integer(),
        "a whole number",
        "count rows: e.g. raw_segments.duplicated().sum() gives a whole number",
    )
    all_drops = int(drops.loc[(drops["table"] == "segments") & source.str.contains("coder1", regex=False), "n"].sum())
    if value == 2 * expected:
        hint = (
            "you counted both copies of each duplicated row; keep='first' (the default of "
            "DataFrame.duplicated) marks only the repeats"
        )
    elif value == all_drops:
        hint = (
            "that is every dropped row of the export, including the codings of an interview missing from "
            "the log; count only the exact duplicates"
        )
    else:
        hint = (
            "read the file as text (dtype=str, keep_default_na=False) so that 'N/A' and '' stay "
            "different, and count the rows equal to an earlier row"
        )
    yield _Outcome(value == expected, "the number of exact duplicate rows in the first coder's export", hint)


def _check_role_spellings(answer: Any, study: Study) -> Iterable[_Outcome]:
    audit = study.audit
    recodes = audit[
        (audit["table"] == "informants")
        & (audit["column"] == "role")
        & (audit["action"].astype(str) == "recode")
        & (audit["after"] == "nurse")
    ]
    expected = {str(v).strip() for v in recodes["before"].dropna()}
    ok_type = isinstance(answer, (set, frozenset, list, tuple, pd.Series, pd.Index, np.ndarray))
    yield _Outcome(ok_type, "a collection of spellings", "give a set of strings, e.g. {'RN', 'Nurse'}")
    given = {str(v).strip() for v in answer} if ok_type else set()
    missing, extra = expected - given, given - expected
    if "nurse" in given and "nurse" not in expected:
        hint = "'nurse' is the tidy value, not a raw spelling; list what the raw Role column said"
    elif missing and not extra:
        hint = (
            f"{len(missing)} spelling(s) missing: compare the raw Role column (after stripping spaces) "
            "with the tidy role of the same informant, or read the audit's recodes of the role column"
        )
    elif extra:
        hint = (
            f"{len(extra)} spelling(s) listed that did not become 'nurse' (watch 'Nurse Practitioner' "
            "and 'Nurse Mgr', which are other roles)"
        )
    else:
        hint = ""
    yield _Outcome(not missing and not extra, "the raw spellings that tidying turned into 'nurse'", hint)


def _check_dropped_interview(answer: Any, study: Study) -> Iterable[_Outcome]:
    drops = _drops(study)
    reasons = drops["reason"].astype(str)
    transcripts = drops[(drops["table"] == "transcripts") & reasons.str.contains("not in the interview log")]
    expected = sorted({m for r in transcripts["reason"].astype(str) for m in re.findall(r"'([^']+)'", r)[:1]})
    value = _site_ids(answer)
    yield _Outcome(value is not None, "an interview ID as text", "give the ID as a string, e.g. 'S01-I01'")
    yield _Outcome(
        value in expected,
        "the interview whose transcript and codings were left out",
        "look for action == 'drop' in study.audit, in the transcripts table, and read the reason",
    )


# --- 2 · counting units --------------------------------------------------------------------


_COUNTINGS = {
    "segments": dict(unit="segments"),
    "segments_share": dict(unit="segments", normalize="group"),
    "interviews": dict(unit="interviews"),
    "interviews_share": dict(unit="interviews", normalize="group", interviews=True),
    "per_1000_words": dict(unit="per_1000_words", interviews=True),
}


def _process_by_site(study: Study, counting: str, process: str = "reviewing_reflecting") -> pd.Series:
    options = dict(_COUNTINGS[counting])
    if options.pop("interviews", False):
        options["interviews"] = study
    return compare.site_matrix(_frame(study), of="process", **options)[process]


def _check_reviewing_share(answer: Any, study: Study) -> Iterable[_Outcome]:
    expected = _process_by_site(study, "interviews_share")
    series = _as_series(answer)
    yield _Outcome(
        series is not None,
        "a Series (one value per site)",
        "take one column of a site matrix: compare.site_matrix(...)['reviewing_reflecting']",
    )
    sites = set(map(str, series.index)) if series is not None else set()
    yield _Outcome(
        sites == set(map(str, expected.index)),
        f"one value for each of the {len(expected)} sites",
        "index the values by site_id, every site once (count on the whole frame, not a filtered one)",
    )
    series = series.copy()
    series.index = series.index.map(str)
    right = _same_values(series, expected)
    hint = "count interviews that mention the process, as a share of each site's interviews"
    for counting, text in (
        ("segments", "these are counts of coded segments"),
        (
            "interviews",
            "these are counts of interviews; divide by each site's interviews (normalize='group', interviews=study)",
        ),
        ("segments_share", "these are shares of the site's coded segments; count interviews (unit='interviews')"),
        ("per_1000_words", "these are segments per 1,000 words; count interviews"),
    ):
        if not right and _same_values(series, _process_by_site(study, counting)):
            hint = text
            break
    yield _Outcome(right, "each site's share of interviews mentioning reviewing and reflecting", hint)


_TOP_UNITS = {
    "segments": ("segments", "coded segments"),
    "per_1000_words": ("per_1000_words", "coded segments per 1,000 words"),
    "interviews": ("interviews_share", "share of the site's interviews"),
}


def _check_top_sites(answer: Any, study: Study) -> Iterable[_Outcome]:
    units = {key: counting for key, (counting, _) in _TOP_UNITS.items()}
    ok = isinstance(answer, Mapping) and set(answer) == set(units)
    yield _Outcome(
        ok,
        "a dict with the keys 'segments', 'per_1000_words' and 'interviews'",
        "fill in the dict of the exercise cell: one site ID per counting unit",
    )
    for key, counting in units.items():
        values = _process_by_site(study, counting)
        top = set(values.index[values == values.max()].map(str))
        given = _site_ids(answer.get(key)) if isinstance(answer, Mapping) else None
        others = {
            k: set(_process_by_site(study, c).pipe(lambda v: v.index[v == v.max()]).map(str))
            for k, c in units.items()
            if k != key
        }
        words = _TOP_UNITS[key][1]
        if given is not None and any(given in t for t in others.values()):
            hint = f"that is the top site under another counting unit; count by {words}"
        else:
            hint = "take the column of reviewing and reflecting and find its largest value (Series.idxmax)"
        yield _Outcome(given in top, f"the site with the most reviewing and reflecting by {words}", hint)


# --- 3 · processes by leader type ----------------------------------------------------------


def _profile(study: Study, unit: str = "segments") -> pd.DataFrame:
    return compare.process_profile(_frame(study), by="leader_type", unit=unit)


def _check_formal_taking_action(answer: Any, study: Study) -> Iterable[_Outcome]:
    expected = float(_profile(study).loc["formal", "taking_action"])
    value = _as_number(answer)
    yield _Outcome(value is not None, "a number", "give one number, a share between 0 and 1")
    if value is not None and value > 1:
        hint = "give a share between 0 and 1, not a percentage or a count"
    elif value is not None and _close(value, float(_profile(study, "interviews").loc["formal", "taking_action"])):
        hint = "that share counts interviews; count coded segments (the process_profile default)"
    else:
        hint = (
            "among formal leaders' codings on a process of leading (not the success characteristics), "
            "the share that are taking action"
        )
    yield _Outcome(_close(value, expected), "the share of formal leaders' process codings that are taking action", hint)


def _check_informal_more(answer: Any, study: Study) -> Iterable[_Outcome]:
    profile = _profile(study)
    difference = profile.loc["informal"] - profile.loc["formal"]
    expected = str(difference.idxmax())
    value = _vocabulary_value(answer, _process_labels())
    yield _Outcome(
        value is not None,
        "one of the three processes",
        "give a process: 'building_knowledge', 'taking_action' or 'reviewing_reflecting'",
    )
    hint = (
        "compare shares, not counts: informal leaders have fewer codings in all; subtract the formal row of "
        "the profile from the informal row"
    )
    if value == str(profile.loc["informal"].idxmax()) and value != expected:
        hint = "that is the process informal leaders talk of most; the question asks where they differ most"
    yield _Outcome(value == expected, "the process informal leaders talk of more than formal leaders do", hint)


def _check_macro_code(answer: Any, study: Study) -> Iterable[_Outcome]:
    frame = _frame(study)
    leading = frame[frame["process"].notna()]
    shares = compare.site_matrix(leading, by="leader_level", of="code_id", normalize="row")
    ratio = shares.loc["macro"] / shares.loc["micro"].where(shares.loc["micro"] > 0)
    expected = str(ratio.idxmax())
    value = _vocabulary_value(answer, _code_labels(study))
    yield _Outcome(value is not None, "a code of the codebook", "give a code ID such as 'BK.patients'")
    hint = "divide the macro row of the shares by the micro row and take the largest ratio"
    if value == str(shares.loc["macro"].idxmax()) and value != expected:
        hint = "that is the sub-code macro leaders use most; the question asks the largest ratio to micro leaders"
    yield _Outcome(value == expected, "the sub-code most over-represented among macro leaders", hint)


# --- 4 · reliability -----------------------------------------------------------------------


def _agreement(study: Study, unit: str) -> pd.DataFrame:
    import warnings

    with warnings.catch_warnings():  # small-sample cautions belong in notebook 09, not in a student's check
        warnings.simplefilter("ignore")
        return coder_agreement(study, unit=unit).set_index("code_id")


def _check_success_kappa(answer: Any, study: Study) -> Iterable[_Outcome]:
    row = _agreement(study, "interview").loc["RR.success"]
    ok = isinstance(answer, Mapping) and {"percent_agreement", "kappa"} <= set(answer)
    yield _Outcome(ok, "a dict with 'percent_agreement' and 'kappa'", "fill in both keys of the dict")
    pa = _as_number(answer.get("percent_agreement")) if ok else None
    kappa = _as_number(answer.get("kappa")) if ok else None
    yield _Outcome(
        _close(pa, float(row["percent_agreement"]), tol=0.001),
        "percent agreement over the double-coded interviews",
        "one value per double-coded interview and coder: True if the coder applied RR.success "
        "anywhere in it; agreement is the share of interviews where the two values match",
    )
    segment = _agreement(study, "segment").loc["RR.success"]
    hint = "use stats.cohen_kappa(first, second) on the same two columns of True/False"
    if _close(kappa, float(segment["kappa"]), tol=0.001):
        hint = "that is the kappa over text segments; the question is about interviews"
    yield _Outcome(_close(kappa, float(row["kappa"]), tol=0.001), "Cohen's kappa over the same interviews", hint)


def _check_paradox(answer: Any, study: Study) -> Iterable[_Outcome]:
    table = _agreement(study, "interview").drop(index="(all)", errors="ignore")
    hits = table[(table["percent_agreement"] > 0.9) & (table["kappa"] < 0.1)]
    expected = set(map(str, hits.index))
    value = _vocabulary_value(answer, _code_labels(study))
    yield _Outcome(value is not None, "a code of the codebook", "give a code ID such as 'SC.culture'")
    hint = (
        "filter the interview-level agreement table: percent_agreement > 0.9 and kappa < 0.1 "
        "(a code with no kappa at all, NaN, does not count)"
    )
    yield _Outcome(value in expected, "a code with high agreement but a kappa near zero", hint)


def _check_confusion(answer: Any, study: Study) -> Iterable[_Outcome]:

    table = coder_confusion(study, process="reviewing_reflecting")
    none = "(none)"
    codes = [c for c in table.index if c != none]
    inner = table.loc[codes, codes].to_numpy()
    different = int(inner.sum() - np.trace(inner))
    one_only = int(table.loc[none, codes].sum() + table.loc[codes, none].sum())
    ok = isinstance(answer, Mapping) and {"different_code", "one_coder_only"} <= set(answer)
    yield _Outcome(ok, "a dict with 'different_code' and 'one_coder_only'", "fill in both keys of the dict")
    given_different = _as_number(answer.get("different_code")) if ok else None
    given_one = _as_number(answer.get("one_coder_only")) if ok else None
    hint = "add the cells off the diagonal among the four RR codes (leave the (none) row and column out)"
    if given_different == different + int(np.trace(inner)):
        hint = "the diagonal is agreement; leave it out"
    yield _Outcome(given_different == different, "units the coders gave two different RR codes", hint)
    hint = "add the (none) row and the (none) column, leaving out their shared corner cell"
    yield _Outcome(given_one == one_only, "units only one coder coded with an RR code", hint)


EXERCISES: dict[str, _Exercise] = {
    "1.1": _Exercise("duplicate rows", _check_duplicates),
    "1.2": _Exercise("spellings of 'nurse'", _check_role_spellings),
    "1.3": _Exercise("the interview left out", _check_dropped_interview),
    "2.1": _Exercise("reviewing and reflecting by interviews", _check_reviewing_share),
    "2.2": _Exercise("the top site under three counting units", _check_top_sites),
    "3.1": _Exercise("formal leaders taking action", _check_formal_taking_action),
    "3.2": _Exercise("what informal leaders do more", _check_informal_more),
    "3.3": _Exercise("macro leaders", _check_macro_code),
    "4.1": _Exercise("agreement on 'Defining success'", _check_success_kappa),
    "4.2": _Exercise("high agreement, low kappa", _check_paradox),
    "4.3": _Exercise("what the disagreements are", _check_confusion),
}


def _unanswered(answer: Any) -> bool:
    """The stub's placeholder: ``...``, or a dict whose every value is still ``...``."""
    if answer is Ellipsis:
        return True
    return isinstance(answer, Mapping) and len(answer) > 0 and all(v is Ellipsis for v in answer.values())


def exercises() -> pd.DataFrame:
    """The exercises :func:`check` knows: ID and title."""
    return pd.DataFrame({"exercise": list(EXERCISES), "title": [e.title for e in EXERCISES.values()]})


def check(exercise: str, answer: Any, *, study: Study) -> CheckResult:
    """Check a student's answer to an exercise; never raises on a wrong answer.

    Parameters
    ----------
    exercise
        The exercise's ID (``"2.1"``; :func:`exercises` lists them).
    answer
        The student's answer. ``...`` (the stub's placeholder) means "not
        answered yet".
    study
        The study the notebook works on; the expected answer is computed
        from it, with the library functions the solution uses.

    Returns
    -------
    CheckResult
        Shows itself in a notebook: "these checks passed", or what is not
        right yet with a hint. ``passed`` is True when every check passed.

    Raises
    ------
    KeyError
        Unknown exercise ID (a mistake in the notebook, not in the answer).
    """
    if exercise not in EXERCISES:
        raise KeyError(f"no exercise {exercise!r}; known: {', '.join(EXERCISES)}")
    spec = EXERCISES[exercise]
    if _unanswered(answer):
        return CheckResult(exercise, spec.title, passed=False, answered=False)
    outcomes: list[_Outcome] = []
    try:
        for outcome in spec.checks(answer, study):
            outcomes.append(outcome)
            if not outcome.passed:
                break
    except Exception as exc:  # an answer of an unexpected shape must give a hint, not a traceback
        outcomes.append(
            _Outcome(
                False,
                "an answer of the shape the exercise asks for",
                f"the check could not read this answer ({type(exc).__name__}: {exc}); "
                "look again at what the exercise asks you to store",
            )
        )
    passed = bool(outcomes) and all(o.passed for o in outcomes)
    return CheckResult(exercise, spec.title, passed=passed, answered=True, outcomes=tuple(outcomes))


# ---------------------------------------------------------------------------
# Student and instructor versions


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def validate_master(nb, *, path: Path | str | None = None) -> None:
    """Check that a master notebook can be split into student and instructor versions.

    Raises
    ------
    LeadlibDataError
        Naming the notebook, the cell (counted from 1, as it appears from the
        top in JupyterLab) and what to change.
    """
    cells = nb.cells
    n_exercises = 0
    for i, cell in enumerate(cells):
        tags = _tags(cell)
        where = f"cell {i + 1} ({cell.cell_type})"
        if SOLUTION_TAG in tags and EXERCISE_TAG in tags:
            raise LeadlibDataError(
                f"{where} is tagged both {SOLUTION_TAG!r} and {EXERCISE_TAG!r}",
                path=path,
                column="tags",
                value=tags,
                hint="a solution and its stub are two cells: the solution first, then the stub",
            )
        if SOLUTION_TAG in tags:
            j = i + 1
            while j < len(cells) and SOLUTION_TAG in _tags(cells[j]):
                j += 1
            if j >= len(cells) or EXERCISE_TAG not in _tags(cells[j]):
                raise LeadlibDataError(
                    f"{where} is tagged {SOLUTION_TAG!r} but the next cell after the solution is not tagged "
                    f"{EXERCISE_TAG!r}",
                    path=path,
                    column="tags",
                    value=tags,
                    hint="add a stub cell tagged 'exercise' right after the solution: students see the stub "
                    "in place of the solution",
                )
        if EXERCISE_TAG in tags:
            n_exercises += 1
            if cell.cell_type == "code":
                missing = [t for t in MASTER_SKIP_TAGS if t not in tags]
                if missing:
                    raise LeadlibDataError(
                        f"{where}, an exercise stub, lacks the tag(s) {', '.join(missing)}",
                        path=path,
                        column="tags",
                        value=tags,
                        hint="tag every code stub 'skip-execution' and 'nbval-skip' as well, so that the master "
                        "(whose solution already ran) skips it; the student version drops those tags",
                    )
                if not _PLACEHOLDER.search(_STUB_RAISE_LINE.sub("", cell.source)):
                    raise LeadlibDataError(
                        f"{where}, an exercise stub, has no placeholder ... for the answer",
                        path=path,
                        column="source",
                        value=cell.source[:80],
                        hint="set the answer to ... in the stub (answer = ..., or a dict of ...), so that its "
                        "self-check says 'not answered yet' until the student replaces it",
                    )
    if n_exercises == 0:
        raise LeadlibDataError(
            "the notebook has no cell tagged 'exercise'",
            path=path,
            column="tags",
            hint="an exercise notebook has stub cells tagged 'exercise' (after their solutions, tagged 'solution')",
        )


def student_version(nb):
    """The student's notebook: solutions removed, outputs and execution counts cleared, checks kept.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A master (see :func:`validate_master`).

    Returns
    -------
    nbformat.NotebookNode
        A new notebook; ``nb`` is not changed. Cell metadata keeps only the
        tags (without the master's skip tags), so no trace of a solution
        run (outputs, timings, widget state) remains. A stub's
        ``raise NotImplementedError("Exercise ...")`` line (earlier
        editions' masters) is left out, so the notebook runs top to bottom.
    """
    import nbformat

    out = nbformat.v4.new_notebook()
    out.metadata = nbformat.from_dict({k: nb.metadata[k] for k in ("kernelspec", "language_info") if k in nb.metadata})
    for cell in nb.cells:
        tags = _tags(cell)
        if SOLUTION_TAG in tags:
            continue
        kept = [t for t in tags if not (EXERCISE_TAG in tags and t in MASTER_SKIP_TAGS)]
        if cell.cell_type == "code":
            source = _STUB_RAISE_LINE.sub("", cell.source).rstrip("\n") if EXERCISE_TAG in tags else cell.source
            new = nbformat.v4.new_code_cell(source)
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(cell.source)
        else:
            new = nbformat.v4.new_raw_cell(cell.source)
        if "id" in cell:
            new["id"] = cell["id"]
        if kept:
            new.metadata["tags"] = kept
        out.cells.append(new)
    return out


def instructor_version(nb):
    """The instructor's notebook: the master with its solutions and outputs, widget state dropped."""
    import copy

    out = copy.deepcopy(nb)
    out.metadata.pop("widgets", None)
    return out


def _masters_dir() -> Path:

    return NOTEBOOKS_DIR / "exercises"


def build(out: str | Path, *, masters: str | Path | None = None) -> dict[str, list[Path]]:
    """Write ``out/student/`` and ``out/instructor/`` from the master exercise notebooks.

    Parameters
    ----------
    out
        Folder to write into (created if missing). Only ``out/student/*.ipynb``
        and ``out/instructor/*.ipynb`` of the masters' names are written;
        nothing else is touched.
    masters
        Folder of the master notebooks (default ``notebooks/exercises``).

    Returns
    -------
    dict
        ``{"student": [paths], "instructor": [paths]}``, same file names on
        both sides.

    Raises
    ------
    LeadlibDataError
        No masters, a master that cannot be split (:func:`validate_master`),
        or ``out`` inside the masters' folder.
    """
    try:
        import nbformat
    except ImportError as exc:  # a runtime-only install has no notebook tools
        raise LeadlibDataError(
            "writing notebooks needs nbformat, which is not installed",
            hint='install the notebook tools: pip install "leadlib[notebooks]" (or run make setup)',
        ) from exc

    masters = Path(masters) if masters is not None else _masters_dir()
    out = Path(out)
    paths = sorted(masters.glob("*.ipynb"))
    if not paths:
        raise LeadlibDataError(
            "no exercise notebooks found",
            path=masters,
            hint="pass the folder holding the master notebooks (*.ipynb) with --masters",
        )
    resolved_out, resolved_masters = out.resolve(), masters.resolve()
    if resolved_out == resolved_masters or resolved_masters in resolved_out.parents:
        raise LeadlibDataError(
            "the output folder is inside the masters' folder",
            path=out,
            hint="write the classroom folders elsewhere, e.g. --out classroom",
        )
    notebooks = []
    for path in paths:
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as exc:  # nbformat raises several kinds; a user's master must give a clear message
            raise LeadlibDataError(
                f"not a readable notebook ({type(exc).__name__}: {exc})",
                path=path,
                hint="open it in JupyterLab and save it again, or remove it from the folder",
            ) from exc
        validate_master(nb, path=path)
        notebooks.append((path.name, nb))
    written: dict[str, list[Path]] = {"student": [], "instructor": []}
    for side, convert in (("student", student_version), ("instructor", instructor_version)):
        folder = out / side
        folder.mkdir(parents=True, exist_ok=True)
        for name, nb in notebooks:
            target = folder / name
            nbformat.write(_relink(convert(nb), masters), target)
            written[side].append(target)
    return written


# A markdown link or image: [text](target) / ![alt](target), the target without spaces.
_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\s]+)\)")
# Targets that do not point into the file system: web, mail, anchors within the notebook (a scheme has two
# letters or more, so a Windows drive such as C:/ is a file; file: URLs are files too).
_NOT_A_FILE = re.compile(r"^(?:(?!file:)[a-zA-Z][a-zA-Z0-9+.-]+:|#)", re.IGNORECASE)


def _relink(nb, masters: Path):
    """Make the written notebook independent of where the repository is.

    A written folder is handed out (copied, zipped, uploaded), so a link may only point at a file written next
    to it. Links between exercises (``e2-counting-units.ipynb``) stay, since both versions hold every exercise.
    A link out of the masters' folder, to the book (``../03-behaviours-across-sites.ipynb``), or by an absolute
    path, would break once the folder moves, and would show the machine's paths: it becomes plain text that names
    the notebook, e.g. "03 · Behaviours across sites (notebook ``03-behaviours-across-sites.ipynb`` of the
    leadlib book)".
    """
    written = {p.name for p in masters.glob("*.ipynb")}

    def fix(match: re.Match) -> str:
        bang, text, target = match.groups()
        if _NOT_A_FILE.match(target):
            return match.group(0)
        path_part = target.split("#", 1)[0]
        if "/" not in path_part and "\\" not in path_part and path_part in written:
            return match.group(0)  # another exercise: written next to this one
        name = Path(path_part.replace("\\", "/")).name
        book = (masters / path_part).resolve().parent == _masters_dir().resolve().parent
        where = f"notebook `{name}` of the leadlib book" if book and name.endswith(".ipynb") else f"`{name}`"
        if bang:  # an image cannot be shown from outside the folder: keep its description
            return f"[image: {text or name}]"
        return f"{text} ({where})" if text else where

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _LINK.sub(fix, cell.source)
    return nb


# ---------------------------------------------------------------------------
# Command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, required=True, help="folder to write student/ and instructor/ into (created if missing)"
    )
    parser.add_argument(
        "--masters",
        type=Path,
        default=None,
        help="folder of the master exercise notebooks (default: notebooks/exercises)",
    )


def run(args: argparse.Namespace) -> int:
    written = build(args.out, masters=args.masters)
    for side in ("student", "instructor"):
        print(f"{side}: {len(written[side])} notebooks in {args.out / side}")
    print(
        "Student notebooks: solutions removed, outputs cleared, self-checks kept. "
        "Instructor notebooks: solutions and outputs. See docs/teaching.md."
    )
    return 0
