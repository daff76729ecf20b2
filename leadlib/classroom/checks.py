"""The self-checks of the exercise notebooks: :func:`check` and the table of exercises it knows."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import compare, schema
from ..stats import coder_agreement, coder_confusion
from .coding import coding_agreement, normalise_codes

if TYPE_CHECKING:  # pragma: no cover
    from ..study import Study

__all__ = ["CheckResult", "EXERCISES", "check", "exercises"]

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
    checks: Callable[..., Iterable[_Outcome]]
    #: Keyword arguments of :func:`check` this exercise's checks need besides the answer and the study.
    context: tuple[str, ...] = ()


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
    gap = (table["percent_agreement"] - table["kappa"]).dropna()
    expected = {str(c) for c in gap.index[gap >= gap.max() - 1e-3]} if len(gap) else set()
    value = _vocabulary_value(answer, _code_labels(study))
    yield _Outcome(value is not None, "a code of the codebook", "give a code ID such as 'SC.culture'")
    hint = (
        "subtract kappa from percent_agreement in the interview-level agreement table and take the code with "
        "the largest difference (a code with no kappa at all, NaN, does not count)"
    )
    if value in gap.index and gap[value] <= gap.min() + 1e-3 and value not in expected:
        hint = "that is the code with the smallest gap; the question asks for the largest"
    elif value in table.index and table["kappa"].idxmin() == value and value not in expected:
        hint = (
            "that is the code with the lowest kappa; the question asks for the largest gap between agreement and kappa"
        )
    yield _Outcome(value in expected, "the code whose kappa falls furthest below its percent agreement", hint)


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


# --- 5 · applying the codes ----------------------------------------------------------------


def _passages(sample: Any) -> list[int]:
    return [int(p) for p in sample["passage"]]


def _check_own_codes(answer: Any, study: Study, *, sample: Any) -> Iterable[_Outcome]:
    ok = isinstance(answer, Mapping)
    yield _Outcome(ok, "a dict: passage number -> code", "keep the dict of the exercise cell: {1: 'BK.staff', ...}")
    wanted = _passages(sample)
    given = {int(k) for k in answer if isinstance(k, (int, np.integer)) or str(k).strip().isdigit()}
    missing = sorted(set(wanted) - given)
    yield _Outcome(
        not missing,
        f"a code for each of the {len(wanted)} passages",
        f"passage(s) {', '.join(map(str, missing))} have no code yet: give every passage one sub-code",
    )
    codes = normalise_codes({k: v for k, v in answer.items() if str(k).strip().isdigit()}, study)
    unknown = sorted(p for p in wanted if codes.get(p) is None)
    yield _Outcome(
        not unknown,
        "every code a sub-code of one of the three processes (its ID or its label)",
        f"passage(s) {', '.join(map(str, unknown))}: give a code ID from the codebook table, e.g. 'TA.hiring', "
        "or its label, e.g. 'Hiring and orienting' (one code per passage, the one that fits best)",
    )


def _check_own_agreement(answer: Any, study: Study, *, sample: Any, codes: Any) -> Iterable[_Outcome]:
    ok = isinstance(answer, Mapping) and {"percent_agreement", "kappa"} <= set(answer)
    yield _Outcome(ok, "a dict with 'percent_agreement' and 'kappa'", "fill in both keys of the dict")
    expected = coding_agreement(sample, codes, study)
    pa = _as_number(answer.get("percent_agreement")) if ok else None
    kappa = _as_number(answer.get("kappa")) if ok else None
    hint = "the share of passages where your code is the primary coder's (stats.percent_agreement(mine, primary))"
    if pa is not None and pa > 1:
        hint = "give a share between 0 and 1, not a percentage"
    elif pa is not None and _close(pa, 0.0, tol=1e-9):
        hint = "no passage agrees: are your codes written as the primary column is (code IDs such as 'TA.hiring')?"
    yield _Outcome(
        _close(pa, expected["percent_agreement"], tol=0.001), "your percent agreement with the primary coder", hint
    )
    second = coding_agreement(sample, codes, study, against="second")
    hint = "stats.cohen_kappa(mine, primary), with both in the order of the passages"
    if _close(kappa, second["kappa"], tol=0.001) and not _close(kappa, expected["kappa"], tol=0.001):
        hint = "that is your kappa with the second coder; the question is about the primary coder"
    yield _Outcome(_close(kappa, expected["kappa"], tol=0.001), "your Cohen's kappa with the primary coder", hint)


def _check_own_differences(answer: Any, study: Study, *, sample: Any, codes: Any) -> Iterable[_Outcome]:
    ok_type = isinstance(answer, (set, frozenset, list, tuple, pd.Series, pd.Index, np.ndarray))
    yield _Outcome(ok_type, "a collection of passage numbers", "give a set of numbers, e.g. {2, 7}")
    given = {int(v) for v in answer} if ok_type else set()
    expected = set(coding_agreement(sample, codes, study)["differ"])
    missing, extra = expected - given, given - expected
    if extra and not missing:
        hint = f"passage(s) {', '.join(map(str, sorted(extra)))}: your code is the primary coder's there"
    elif missing:
        hint = (
            f"{len(missing)} passage(s) missing: compare your code with the primary column passage by passage "
            "(a label and its code ID count as the same code)"
        )
    else:
        hint = ""
    yield _Outcome(not missing and not extra, "the passages where your code differs from the primary coder's", hint)


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
    "4.2": _Exercise("high agreement, lower kappa", _check_paradox),
    "4.3": _Exercise("what the disagreements are", _check_confusion),
    "5.1": _Exercise("your codes", _check_own_codes, ("sample",)),
    "5.2": _Exercise("your agreement with the primary coder", _check_own_agreement, ("sample", "codes")),
    "5.3": _Exercise("where you differ", _check_own_differences, ("sample", "codes")),
}


def _unanswered(answer: Any) -> bool:
    """The stub's placeholder: ``...``, or a dict whose every value is still ``...``."""
    if answer is Ellipsis:
        return True
    return isinstance(answer, Mapping) and len(answer) > 0 and all(v is Ellipsis for v in answer.values())


def exercises() -> pd.DataFrame:
    """The exercises :func:`check` knows: ID, title, and what else its check needs (``context``)."""
    return pd.DataFrame(
        {
            "exercise": list(EXERCISES),
            "title": [e.title for e in EXERCISES.values()],
            "context": [", ".join(e.context) for e in EXERCISES.values()],
        }
    )


def check(exercise: str, answer: Any, *, study: Study, **context: Any) -> CheckResult:
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
    **context
        What an exercise's check needs besides the answer (the ``context``
        column of :func:`exercises`): Exercise 5's ``sample`` (the passages,
        from :func:`~leadlib.classroom.coding_sample`) and ``codes`` (the
        student's codes of them).

    Returns
    -------
    CheckResult
        Shows itself in a notebook: "these checks passed", or what is not
        right yet with a hint. ``passed`` is True when every check passed.

    Raises
    ------
    KeyError
        Unknown exercise ID (a mistake in the notebook, not in the answer).
    TypeError
        A keyword in ``context`` that no exercise uses.
    """
    if exercise not in EXERCISES:
        raise KeyError(f"no exercise {exercise!r}; known: {', '.join(EXERCISES)}")
    known = {name for spec in EXERCISES.values() for name in spec.context}
    if set(context) - known:
        raise TypeError(f"check() got unknown keyword(s) {sorted(set(context) - known)}; known: {sorted(known)}")
    spec = EXERCISES[exercise]
    if _unanswered(answer):
        return CheckResult(exercise, spec.title, passed=False, answered=False)
    missing = [name for name in spec.context if name not in context]
    if missing:
        outcome = _Outcome(
            False,
            f"the check of Exercise {exercise} needs {' and '.join(missing)}",
            "call it as the notebook does: check("
            + ", ".join([repr(exercise), "answer", "study=study", *(f"{m}={m}" for m in missing)])
            + ")",
        )
        return CheckResult(exercise, spec.title, passed=False, answered=True, outcomes=(outcome,))
    outcomes: list[_Outcome] = []
    try:
        for outcome in spec.checks(answer, study, **{name: context[name] for name in spec.context}):
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
