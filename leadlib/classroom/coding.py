"""Exercise 5, applying the codes: a seeded sample of coded passages, and a student's agreement with the study's coder.

:func:`coding_sample` draws a handful of text spans that the primary coder
coded with a sub-code of one of the three processes of leading, from the
double-coded interviews: some on which the second coder gave the same code
(clear passages) and some on which the second coder gave another process
sub-code (disputed passages). Each comes with the interviewer's question it
answers, when the study has transcripts. :func:`coding_agreement` compares
a student's codes with the primary coder's.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import schema
from ..stats import coder_confusion, cohen_kappa, percent_agreement

if TYPE_CHECKING:  # pragma: no cover
    from ..study import Study

__all__ = [
    "CODING_SEED",
    "coding_sample",
    "process_codes",
    "normalise_codes",
    "coding_agreement",
    "show_passages",
]

#: The seed of the bundled exercise's sample.
CODING_SEED = 2003
_NONE = "(none)"
# A question of the interviewer: a paragraph that starts with "Q:" (or "Interviewer:").
_QUESTION = re.compile(r"(?m)^(?:Q|Interviewer)\s*:\s*(?P<q>.+?)\s*$")


def process_codes(study: Study) -> pd.DataFrame:
    """The sub-codes of the three processes of leading, in codebook order: the choices of Exercise 5.

    Returns
    -------
    DataFrame
        ``code_id``, ``label``, ``process`` (its label, e.g. "Taking action")
        and ``definition``.
    """
    codebook = study.codebook
    groups = codebook["group"].astype(str)
    parents = codebook["parent"].astype("string").fillna("")
    process_ids = set(codebook.loc[groups.isin(schema.PROCESSES) & (parents == "LP"), "code_id"].astype(str))
    rows = codebook[groups.isin(schema.PROCESSES) & ~codebook["code_id"].astype(str).isin(process_ids)]
    labels = dict(schema.PROCESS_LABELS)
    out = pd.DataFrame(
        {
            "code_id": rows["code_id"].astype(str).to_numpy(),
            "label": rows["label"].astype(str).to_numpy(),
            "process": [str(labels.get(g, g)) for g in rows["group"].astype(str)],
            "definition": rows["definition"].astype("string").fillna("").to_numpy(),
        }
    )
    return out.reset_index(drop=True)


def _question_before(text: str, start: int) -> str:
    """The last interviewer's question in ``text`` before character ``start`` ("" if none)."""
    found = ""
    for match in _QUESTION.finditer(text, 0, max(int(start), 0)):
        found = match.group("q")
    return found


def coding_sample(study: Study, *, n: int = 10, disputed: int = 4, seed: int = CODING_SEED) -> pd.DataFrame:
    """A seeded handful of passages to code, clear ones and ones the study's two coders disagreed on.

    Parameters
    ----------
    study : leadlib.Study
        A study with a second coder (``segments.primary`` False for some
        codings) and, for the questions, transcripts.
    n
        How many passages (at least 2).
    disputed
        How many of them the second coder gave another process sub-code than
        the primary coder did (at most ``n - 1``); the others are passages on
        which both gave the same sub-code. Fewer are drawn when the study has
        fewer; the clear ones make up the rest.
    seed
        Seed of the draw: the same study, ``n``, ``disputed`` and seed give
        the same passages in the same order.

    Returns
    -------
    DataFrame
        One row per passage, in a shuffled order: ``passage`` (1, 2, ...),
        ``interview_id``, ``start`` and ``end`` (the span's characters in the
        transcript), ``question`` (the interviewer's question the
        passage answers, "" when unknown), ``text``, ``primary`` (the primary
        coder's code), ``second`` (the second coder's) and ``disputed``
        (True where the two differ). Show students ``passage``,
        ``question`` and ``text`` only (:func:`show_passages`).

    Raises
    ------
    ValueError
        ``n`` below 2, ``disputed`` negative or not below ``n``, or a study
        with no double-coded passage on a process sub-code.
    """
    if n < 2:
        raise ValueError(f"n must be at least 2, not {n}")
    if not 0 <= disputed < n:
        raise ValueError(f"disputed must be between 0 and n - 1 = {n - 1}, not {disputed}")
    codes = list(process_codes(study)["code_id"])
    with warnings.catch_warnings():  # small-sample cautions of the agreement functions are for notebook 09
        warnings.simplefilter("ignore")
        units = coder_confusion(study, codes=codes, none_label=_NONE).attrs["units"]
    units = units[(units["first"] != _NONE) & (units["second"] != _NONE)].reset_index(drop=True)
    if units.empty:
        raise ValueError("the study has no passage that both coders coded with a process sub-code")
    rng = np.random.default_rng(seed)
    differ = units.index[units["first"] != units["second"]].to_numpy()
    agree = units.index[units["first"] == units["second"]].to_numpy()
    k = min(disputed, len(differ))
    chosen = list(rng.choice(differ, size=k, replace=False)) if k else []
    chosen += list(rng.choice(agree, size=min(n - k, len(agree)), replace=False))
    picked = units.loc[rng.permutation(np.array(chosen, dtype=int))].reset_index(drop=True)
    texts = {}
    if getattr(study, "transcripts", None) is not None and len(study.transcripts):
        texts = dict(zip(study.transcripts["interview_id"].astype(str), study.transcripts["text"].astype(str)))
    questions = [
        _question_before(texts.get(str(row.interview_id), ""), row.start) for row in picked.itertuples(index=False)
    ]
    return pd.DataFrame(
        {
            "passage": np.arange(1, len(picked) + 1),
            "interview_id": picked["interview_id"].astype(str).to_numpy(),
            "start": picked["start"].astype(int).to_numpy(),
            "end": picked["end"].astype(int).to_numpy(),
            "question": questions,
            "text": picked["text"].astype("string").fillna("").str.strip().to_numpy(),
            "primary": picked["first"].astype(str).to_numpy(),
            "second": picked["second"].astype(str).to_numpy(),
            "disputed": (picked["first"] != picked["second"]).to_numpy(),
        }
    )


def show_passages(sample: pd.DataFrame, *, width: int = 100) -> str:
    """The passages as a student reads them: number, question and text, no codes.

    Returns
    -------
    str
        Plain text, one block per passage (print it).
    """
    import textwrap

    blocks = []
    for row in sample.itertuples(index=False):
        lines = [f"Passage {row.passage}"]
        if row.question:
            lines += textwrap.wrap(f"Q: {row.question}", width=width, subsequent_indent="   ")
        lines += textwrap.wrap(f"A: {row.text}", width=width, subsequent_indent="   ")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def normalise_codes(codes: Mapping[Any, Any], study: Study) -> dict[int, str | None]:
    """A student's codes as code IDs: an ID or a label, any case and spacing; ``None`` where it is neither.

    Parameters
    ----------
    codes
        Passage number -> code (``"TA.hiring"`` or ``"Hiring and orienting"``).

    Returns
    -------
    dict
        Passage number (int) -> code ID, or None for a value that names no
        sub-code of the three processes (or is still ``...``).
    """
    table = process_codes(study)
    known = {}
    for code_id, label in zip(table["code_id"], table["label"]):
        for name in (code_id, label):
            known[_key(name)] = code_id
    out: dict[int, str | None] = {}
    for passage, value in codes.items():
        out[int(passage)] = known.get(_key(value)) if isinstance(value, str) else None
    return out


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", " ", str(text).strip().lower())


def coding_agreement(sample: pd.DataFrame, codes: Mapping[Any, Any], study: Study, *, against: str = "primary") -> dict:
    """Percent agreement and Cohen's kappa of a student's codes with a coder of the study, over the sample.

    Parameters
    ----------
    sample
        From :func:`coding_sample`.
    codes
        Passage number -> code ID or label (:func:`normalise_codes`).
    against
        ``"primary"`` (the study's primary coder) or ``"second"``.

    Returns
    -------
    dict
        ``percent_agreement`` and ``kappa`` (floats, over the passages the
        student coded with a known sub-code), ``n`` (those passages) and
        ``differ`` (the passage numbers where the codes differ, sorted).
    """
    if against not in ("primary", "second"):
        raise ValueError(f"against must be 'primary' or 'second', not {against!r}")
    mine = normalise_codes(codes, study)
    theirs = dict(zip(sample["passage"].astype(int), sample[against].astype(str)))
    passages = [p for p in theirs if mine.get(p) is not None]
    a = [mine[p] for p in passages]
    b = [theirs[p] for p in passages]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        agreement = float(percent_agreement(a, b)) if passages else float("nan")
        kappa = float(cohen_kappa(a, b)) if passages else float("nan")
    return {
        "percent_agreement": agreement,
        "kappa": kappa,
        "n": len(passages),
        "differ": sorted(p for p, x, y in zip(passages, a, b) if x != y),
    }
