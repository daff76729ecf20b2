"""Assisted coding: suggestions learnt from a study's human coding, measured like a second coder.

Everything runs on this machine (scikit-learn; nothing is downloaded or sent
anywhere) and the same study and seed give the same suggestions, byte for
byte.

- **Units** (:func:`units`) are, by default, the paragraphs of the
  transcripts: each line of a transcript is one paragraph (a question, an
  answer), a speaker label at its start (``"A: "``, ``"Interviewer: "``) left
  out. Coders code passages of an answer, and an answer paragraph is the
  span a reviewer reads them in: it may open and close with uncoded
  sentences ("It depends on the day.") around one or two coded passages.
  ``unit="sentence"`` cuts each paragraph after ``.``, ``!`` or ``?``
  followed by a space and a capital letter, digit or opening quote instead
  (for transcripts whose paragraphs are long monologues). A unit's
  ``start`` and ``end`` are character offsets into the text as
  ``study.transcripts`` holds it (``text[start:end]`` is the unit).
- **Labels**: a unit carries a code when one of the coder's segments of that
  code covers at least half of the unit's characters, or when at least half
  of the segment lies in the unit (:data:`OVERLAP` of the shorter of the
  two): a passage that fills most of an answer, and each of two passages
  that share one, make it a positive; a segment that only touches a unit
  does not. The units of an interview the coder coded and no segment covers
  are negatives; the units of an interview the coder has not coded are not
  used to learn.
- **Model**: TF-IDF of words (sublinear term frequency, words seen in at
  least two units; word pairs were tried on sentences of an earlier bundled
  study and made fitting ten times slower for no gain), then one logistic regression per code
  (one-vs-rest; liblinear, balanced class weights, ``random_state=seed``).
  A code with fewer than :data:`MIN_POSITIVE` positive (or negative) units is
  left out, with its reason in :attr:`Suggester.left_out`, never guessed.
- **Calibration**: out-of-fold decision values (folds of whole interviews,
  :data:`INNER_FOLDS`) are mapped to probabilities by Platt scaling (a
  logistic regression of the label on the decision value, with Platt's
  smoothed targets: the sigmoid method of
  :class:`sklearn.calibration.CalibratedClassifierCV` with ``ensemble=False``,
  done here so that one set of folds serves both the calibration and the
  choice of threshold). Where no such folds can be made
  (fewer than two coded interviews, or a code present in one interview only)
  the logistic regression's own probabilities are used, with class weights
  off; the code's ``calibration`` says which.
- **Threshold**: each code's own, the score that maximises F1 on those
  out-of-fold probabilities (``Suggester.thresholds``).
- **Evaluation** (:func:`evaluate`): folds of whole sites (no site is in
  both the training and the test part of a fold), the model refitted on each
  training part, per-code precision, recall, F1 and Cohen's kappa against the
  human coder on the same units; the second coder's kappa beside it where
  interviews were coded twice.

Suggestions are their own table (coder :data:`ASSIST_CODER`), never added
to ``study.segments``: no count, matrix or statistic sees them unless a
coder accepts them (:func:`to_study` and ``leadlib suggest`` write them as a
REFI-QDA project to review in a QDA tool; :func:`accept` reads the reviewed
codings back as a coder's segments).
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve
from sklearn.model_selection import GroupKFold

from . import schema
from .errors import LeadlibDataError
from .io.refi import write_refi
from .load import load_study
from .stats import cohen_kappa_table
from .study import Study

__all__ = [
    "ASSIST_CODER",
    "MIN_POSITIVE",
    "OVERLAP",
    "SUGGESTION_COLUMNS",
    "UNITS",
    "Suggester",
    "accept",
    "evaluate",
    "fit",
    "next_to_code",
    "out_of_fold",
    "to_study",
    "units",
]

#: The coder name of every suggestion: never a human's.
ASSIST_CODER = "leadlib-assist"
#: Fewest positive (and negative) units a code needs to be learnt.
MIN_POSITIVE = 8
#: Share of the shorter of a unit and a segment the two must share for the unit to carry the segment's code.
OVERLAP = 0.5
#: The kinds of unit suggestions are made for; the first is the default.
UNITS = ("paragraph", "sentence")
#: Folds of whole interviews used inside :func:`fit` for calibration and thresholds.
INNER_FOLDS = 3
#: Columns of :meth:`Suggester.suggest`.
SUGGESTION_COLUMNS = ["interview_id", "start", "end", "code_id", "score"]
UNIT_COLUMNS = ["interview_id", "start", "end", "text"]

_SPEAKER = re.compile(r"[ \t]*[A-Za-z][\w'.-]*(?: [A-Za-z][\w'.-]*){0,2}:[ \t]+")
_SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")
_LINE = re.compile(r"[^\n]+")


# --------------------------------------------------------------------------
# Units and labels


def _sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of each paragraph of ``text`` (:func:`_paragraphs`), whitespace trimmed."""
    spans = []
    for begin, stop in _paragraphs(text):
        cuts = [m.end() for m in _SENTENCE_END.finditer(text, begin, stop)] + [stop]
        for end in cuts:
            piece = text[begin:end]
            s = begin + (len(piece) - len(piece.lstrip()))
            e = begin + len(piece.rstrip())
            if e > s:
                spans.append((s, e))
            begin = end
    return spans


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line of ``text``, speaker label left out, whitespace trimmed."""
    spans = []
    for line in _LINE.finditer(text):
        begin, stop = line.start(), line.end()
        speaker = _SPEAKER.match(text, begin, stop)
        if speaker:
            begin = speaker.end()
        piece = text[begin:stop]
        s = begin + (len(piece) - len(piece.lstrip()))
        e = begin + len(piece.rstrip())
        if e > s:
            spans.append((s, e))
    return spans


def _check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(map(repr, UNITS))}, not {unit!r}")
    return unit


def units(study: Study, *, unit: str = UNITS[0]) -> pd.DataFrame:
    """The units suggestions are made for: the paragraphs (or sentences) of every transcript.

    Parameters
    ----------
    study
        A study with transcripts.
    unit
        ``"paragraph"`` (default: each line of a transcript, its speaker
        label left out) or ``"sentence"`` (each paragraph cut into
        sentences).

    Returns
    -------
    DataFrame
        One row per unit, in transcript order: ``interview_id``,
        ``start``, ``end`` (character offsets into ``study.transcripts``'
        text, end exclusive) and ``text`` (``transcript[start:end]``).
    """
    cut = _paragraphs if _check_unit(unit) == "paragraph" else _sentences
    ids, starts, ends, texts = [], [], [], []
    for iid, body in zip(study.transcripts["interview_id"].astype(str), study.transcripts["text"].astype(str)):
        for s, e in cut(body):
            ids.append(iid)
            starts.append(s)
            ends.append(e)
            texts.append(body[s:e])
    out = pd.DataFrame(
        {
            "interview_id": pd.Series(ids, dtype="str"),
            "start": pd.Series(starts, dtype="int64"),
            "end": pd.Series(ends, dtype="int64"),
            "text": pd.Series(texts, dtype="str"),
        }
    )
    return out.sort_values(["interview_id", "start"], kind="stable").reset_index(drop=True)


def _coding(study: Study, coder: str | None) -> tuple[pd.DataFrame, str]:
    """The segments learnt from (``coder=None``: each interview's primary coding) and their description."""
    seg = study.segments
    if coder is None:
        return seg[seg["primary"].astype(bool)], "primary coding"
    if coder not in set(seg["coder"].astype(str)):
        known = ", ".join(sorted(map(str, pd.unique(seg["coder"].dropna())))) or "none"
        raise LeadlibDataError(
            f"no coder {coder!r} in this study (coders: {known})",
            column="coder",
            value=coder,
            hint="pass one of the study's coders, or coder=None for each interview's primary coding",
        )
    return seg[seg["coder"].astype(str) == coder], f"coder {coder}"


def _labels(unit_frame: pd.DataFrame, seg: pd.DataFrame, codes: list[str]) -> np.ndarray:
    """Boolean matrix units x codes: a segment of the code shares >= OVERLAP of the shorter of it and the unit."""
    out = np.zeros((len(unit_frame), len(codes)), dtype=bool)
    if not len(seg) or not len(unit_frame):
        return out
    left = unit_frame[["interview_id", "start", "end"]].astype({"interview_id": "str"})
    left = left.assign(_u=np.arange(len(left)))
    right = pd.DataFrame(
        {
            "interview_id": seg["interview_id"].astype(str).to_numpy(),
            "s_start": seg["start"].astype("int64").to_numpy(),
            "s_end": seg["end"].astype("int64").to_numpy(),
            "code_id": seg["code_id"].astype(str).to_numpy(),
        }
    )
    pairs = left.merge(right, on="interview_id")
    covered = np.minimum(pairs["end"], pairs["s_end"]) - np.maximum(pairs["start"], pairs["s_start"])
    shorter = np.minimum(pairs["end"] - pairs["start"], pairs["s_end"] - pairs["s_start"])
    pairs = pairs[(covered > 0) & (covered >= OVERLAP * shorter)]
    position = {c: j for j, c in enumerate(codes)}
    pairs = pairs[pairs["code_id"].isin(position)]
    out[pairs["_u"].to_numpy(dtype="int64"), pairs["code_id"].map(position).to_numpy(dtype="int64")] = True
    return out


@dataclass
class _Training:
    """What is learnt from: the units of coded interviews and their labels."""

    units: pd.DataFrame
    labels: np.ndarray
    codes: list[str]
    coded: set[str]
    coder: str
    unit: str


def _training(study: Study, coder: str | None, unit: str = UNITS[0]) -> _Training:
    seg, described = _coding(study, coder)
    if not len(seg):
        raise LeadlibDataError(
            f"the study has no {described} to learn from: suggestions are learnt from a human coder's segments",
            column="coder",
            value=coder,
            hint="code some interviews first (or name a coder who has), then fit again",
        )
    if not len(study.transcripts):
        raise LeadlibDataError(
            "the study has no transcripts: suggestions are made for passages of transcript text",
            hint="load a study whose manifest names its transcripts, or a QDA project with its text sources",
        )
    coded = set(seg["interview_id"].astype(str))
    every = units(study, unit=unit)
    mine = every[every["interview_id"].isin(coded)].reset_index(drop=True)
    if not len(mine):
        raise LeadlibDataError(
            f"none of the interviews of the study's {described} has a transcript with text",
            hint="check that the transcripts and the segments use the same interview IDs",
        )
    codes = [c for c in study.codebook["code_id"].astype(str)]
    codes += sorted(set(seg["code_id"].astype(str)) - set(codes))
    return _Training(mine, _labels(mine, seg, codes), codes, coded, described, unit)


# --------------------------------------------------------------------------
# The model


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 1), min_df=2, sublinear_tf=True, dtype=np.float64)


def _logistic(seed: int, *, balanced: bool = True) -> LogisticRegression:
    return LogisticRegression(
        solver="liblinear", C=1.0, class_weight="balanced" if balanced else None, random_state=seed, max_iter=1000
    )


def _platt(decision: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope and intercept of Platt scaling: P(y) = 1 / (1 + exp(-(a * decision + b))).

    Platt's (1999) targets, ``(n+ + 1) / (n+ + 2)`` for positives and
    ``1 / (n- + 2)`` for negatives (as scikit-learn's sigmoid calibration),
    fitted by Newton's method with step halving (Lin, Lin & Weng 2007): a
    deterministic fit of two numbers.
    """
    f = np.asarray(decision, dtype=float)
    n_pos = float(np.sum(y))
    n_neg = float(len(y) - n_pos)
    t = np.where(np.asarray(y) > 0, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    design = np.column_stack([f, np.ones_like(f)])

    def loss(theta):
        z = design @ theta
        return float(np.sum(np.logaddexp(0, z) - t * z))

    theta = np.array([1.0, 0.0])
    current = loss(theta)
    for _ in range(100):
        p = 1 / (1 + np.exp(-(design @ theta)))
        grad = design.T @ (p - t)
        hess = (design * (p * (1 - p))[:, None]).T @ design + 1e-12 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        size = 1.0
        while size > 1e-10 and loss(theta - size * step) > current:
            size /= 2
        theta = theta - size * step
        new = loss(theta)
        if abs(current - new) <= 1e-12 * max(1.0, abs(current)):
            current = new
            break
        current = new
    return float(theta[0]), float(theta[1])


def _best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """The score that maximises F1 of ``p >= threshold`` against ``y``, and that F1."""
    precision, recall, thresholds = precision_recall_curve(y, p)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)[:-1]
    if not len(thresholds):
        return 0.5, float("nan")
    i = int(np.argmax(f1))
    return float(thresholds[i]), float(f1[i])


@dataclass
class _Fitted:
    """One fitted model: vectoriser, weights, calibration and thresholds of the kept codes."""

    vectorizer: TfidfVectorizer
    codes: list[str]
    weights: np.ndarray  # features x codes
    intercepts: np.ndarray  # codes
    platt: np.ndarray  # codes x 2 (slope, intercept); NaN: own probabilities
    thresholds: pd.DataFrame
    left_out: pd.DataFrame

    def proba(self, texts: pd.Series) -> np.ndarray:
        """Calibrated scores, units x kept codes."""
        if not self.codes:
            return np.zeros((len(texts), 0))
        x = self.vectorizer.transform(texts)
        decision = np.asarray(x @ self.weights) + self.intercepts
        slope, intercept = self.platt[:, 0], self.platt[:, 1]
        own = np.isnan(slope)
        z = np.where(own, decision, decision * np.where(own, 1.0, slope) + np.where(own, 0.0, intercept))
        return 1.0 / (1.0 + np.exp(-z))


def _code_model(x, y: np.ndarray, splits: list, seed: int) -> tuple[np.ndarray, float, np.ndarray, str, float, float]:
    """Fit one code: weights, intercept, Platt parameters, calibration used, threshold and out-of-fold F1."""
    oof = np.full(len(y), np.nan)
    for train, test in splits:
        if 0 < y[train].sum() < len(train):
            oof[test] = _logistic(seed).fit(x[train], y[train]).decision_function(x[test])
    seen = ~np.isnan(oof)
    if seen.sum() and 0 < y[seen].sum() < seen.sum():
        model = _logistic(seed).fit(x, y)
        a, b = _platt(oof[seen], y[seen])
        threshold, f1 = _best_threshold(y[seen], 1.0 / (1.0 + np.exp(-(a * oof[seen] + b))))
        return model.coef_[0], float(model.intercept_[0]), np.array([a, b]), "platt", threshold, f1
    model = _logistic(seed, balanced=False).fit(x, y)
    return model.coef_[0], float(model.intercept_[0]), np.array([np.nan, np.nan]), "own", 0.5, float("nan")


def _fit_core(
    texts: pd.Series, labels: np.ndarray, groups: np.ndarray, codes: list[str], *, seed: int, min_positive: int
) -> _Fitted:
    vectorizer = _vectorizer().fit(texts)
    x = sparse.csr_matrix(vectorizer.transform(texts))
    n_groups = len(np.unique(groups))
    splits = []
    if n_groups >= 2:
        folds = GroupKFold(n_splits=min(INNER_FOLDS, n_groups), shuffle=True, random_state=seed)
        splits = list(folds.split(x, groups=groups))
    kept, weights, intercepts, platt, rows, left = [], [], [], [], [], []
    for j, code in enumerate(codes):
        y = labels[:, j].astype(int)
        n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
        if n_pos < min_positive or n_neg < min_positive:
            if n_pos == 0:
                reason = "never applied in the coded units"
            elif n_pos < min_positive:
                reason = f"too few positive units to learn ({n_pos} < {min_positive})"
            else:
                reason = f"too few negative units to learn ({n_neg} < {min_positive})"
            left.append((code, n_pos, reason))
            continue
        w, b, p, calibration, threshold, f1 = _code_model(x, y, splits, seed)
        kept.append(code)
        weights.append(w)
        intercepts.append(b)
        platt.append(p)
        rows.append((code, threshold, n_pos, len(y), calibration, f1))
    thresholds = pd.DataFrame(rows, columns=["code_id", "threshold", "n_positive", "n_units", "calibration", "oof_f1"])
    left_out = pd.DataFrame(left, columns=["code_id", "n_positive", "reason"])
    n_features = len(vectorizer.vocabulary_)
    return _Fitted(
        vectorizer,
        kept,
        np.column_stack(weights) if weights else np.zeros((n_features, 0)),
        np.array(intercepts, dtype=float),
        np.vstack(platt) if platt else np.zeros((0, 2)),
        thresholds.astype({"n_positive": "int64", "n_units": "int64"}),
        left_out.astype({"n_positive": "int64"}),
    )


@dataclass
class Suggester:
    """A model of one coder's coding, fitted by :func:`fit`.

    Attributes
    ----------
    coder : str
        Whose coding it learnt (``"primary coding"`` or ``"coder XY"``).
    seed : int
        The seed it was fitted with.
    codes : list of str
        The codes it suggests.
    thresholds : DataFrame
        One row per code it suggests: ``threshold`` (the score from which it
        is suggested, chosen to maximise F1 on out-of-fold scores),
        ``n_positive`` and ``n_units`` (units learnt from), ``calibration``
        (``"platt"``: Platt scaling of out-of-fold scores; ``"own"``: the
        logistic regression's own probabilities, too few interviews for
        folds) and ``oof_f1`` (F1 on those out-of-fold scores; optimistic,
        use :func:`evaluate` for agreement).
    left_out : DataFrame
        The codes it does not suggest: ``code_id``, ``n_positive`` and the
        ``reason`` (never applied, too few positive or negative units).
    n_units, n_interviews : int
        Units and coded interviews learnt from.
    unit : str
        What a unit is (``"paragraph"`` or ``"sentence"``, :func:`units`).
    """

    coder: str
    seed: int
    n_units: int
    n_interviews: int
    unit: str
    _model: _Fitted = field(repr=False)

    @property
    def codes(self) -> list[str]:
        return list(self._model.codes)

    @property
    def thresholds(self) -> pd.DataFrame:
        return self._model.thresholds.copy()

    @property
    def left_out(self) -> pd.DataFrame:
        return self._model.left_out.copy()

    def scores(self, study: Study) -> pd.DataFrame:
        """Every unit of ``study`` with its score for each code (one column per code, in ``codes`` order).

        Parameters
        ----------
        study
            A study with transcripts (the one fitted on, or another on the
            same codebook).

        Returns
        -------
        DataFrame
            The columns of :func:`units`, then one column of scores in [0, 1]
            per code.
        """
        frame = units(study, unit=self.unit)
        p = self._model.proba(frame["text"])
        return pd.concat([frame, pd.DataFrame(p, columns=self.codes, index=frame.index)], axis=1)

    def suggest(self, study: Study, *, threshold: float | dict | pd.Series | None = None) -> pd.DataFrame:
        """Suggested codes for the units (paragraphs or sentences, as fitted) of ``study``'s transcripts.

        Parameters
        ----------
        study
            A study with transcripts.
        threshold
            ``None`` (default): each code's own threshold
            (:attr:`thresholds`); a number in [0, 1] for every code; or a
            mapping code -> threshold (codes missing keep their own).

        Returns
        -------
        DataFrame
            One row per suggested code per unit, sorted by interview, start
            and code: ``interview_id``, ``start``, ``end`` (offsets into
            ``study.transcripts``' text), ``code_id`` and ``score`` (the
            calibrated probability that the coder would apply the code to the
            unit, rounded to 6 decimals). ``attrs["coder"]`` is
            :data:`ASSIST_CODER`. The study is not changed.
        """
        scored = self.scores(study)
        cut = self._cuts(threshold)
        p = scored[self.codes].to_numpy() if self.codes else np.zeros((len(scored), 0))
        hit_unit, hit_code = np.nonzero(p >= cut)
        out = pd.DataFrame(
            {
                "interview_id": scored["interview_id"].to_numpy()[hit_unit],
                "start": scored["start"].to_numpy()[hit_unit],
                "end": scored["end"].to_numpy()[hit_unit],
                "code_id": np.array(self.codes, dtype=object)[hit_code] if len(hit_code) else [],
                "score": np.round(p[hit_unit, hit_code], 6),
            }
        ).astype({"interview_id": "str", "start": "int64", "end": "int64", "code_id": "str", "score": "float64"})
        out = out.sort_values(["interview_id", "start", "code_id"], kind="stable").reset_index(drop=True)
        out.attrs.update(coder=ASSIST_CODER, learnt_from=self.coder, seed=self.seed)
        return out[SUGGESTION_COLUMNS]

    def _cuts(self, threshold) -> np.ndarray:
        own = self._model.thresholds.set_index("code_id")["threshold"].reindex(self.codes).to_numpy(dtype=float)
        if threshold is None:
            return own
        if isinstance(threshold, (dict, pd.Series)):
            given = pd.Series(threshold, dtype=float).reindex(self.codes)
            cuts = np.where(given.isna(), own, given.to_numpy())
        else:
            cuts = np.full(len(self.codes), float(threshold))
        if np.any((cuts < 0) | (cuts > 1)):
            raise LeadlibDataError(
                "a threshold is outside [0, 1]",
                column="threshold",
                value=threshold,
                hint="scores are probabilities: pass a number between 0 and 1, or None for each code's own",
            )
        return cuts


def fit(
    study: Study,
    *,
    coder: str | None = None,
    seed: int = 0,
    min_positive: int = MIN_POSITIVE,
    unit: str = UNITS[0],
) -> Suggester:
    """Learn a coder's coding of a study, to suggest codes for its paragraphs (or sentences).

    Parameters
    ----------
    study
        A study with transcripts and segments.
    coder
        Whose coding to learn: ``None`` (default) each interview's primary
        coding, or a coder's name.
    seed
        Seed of the folds and of the solver: the same study and seed give the
        same suggestions, byte for byte.
    min_positive
        Fewest positive (and negative) units a code needs to be learnt; codes
        with fewer are left out (:attr:`Suggester.left_out`).
    unit
        ``"paragraph"`` (default) or ``"sentence"``: what is learnt from and
        suggested for (:func:`units`).

    Returns
    -------
    Suggester

    Raises
    ------
    LeadlibDataError
        If the study has no coding (by that coder), or no transcripts.

    Notes
    -----
    The units, labels, model, calibration and thresholds are described in the
    module's docstring (:mod:`leadlib.assist`).
    """
    data = _training(study, coder, _check_unit(unit))
    model = _fit_core(
        data.units["text"],
        data.labels,
        data.units["interview_id"].to_numpy(),
        data.codes,
        seed=seed,
        min_positive=min_positive,
    )
    return Suggester(data.coder, int(seed), len(data.units), len(data.coded), unit, model)


# --------------------------------------------------------------------------
# Evaluation


def _unit_groups(study: Study, unit_frame: pd.DataFrame, by: str) -> np.ndarray:
    """The fold group of each unit: its site (``by="site"``), interview or another column of the interview."""
    column = {"site": "site_id", "interview": "interview_id"}.get(by, by)
    if column == "interview_id":
        return unit_frame["interview_id"].to_numpy()
    context = study.interviews[["interview_id", "informant_id", "site_id"]].astype(str)
    informants = study.informants.drop(columns=["site_id"], errors="ignore")
    context = context.merge(informants.astype({"informant_id": "str"}), on="informant_id", how="left")
    context = context.merge(study.sites.astype({"site_id": "str"}), on="site_id", how="left")
    if column not in context.columns:
        raise LeadlibDataError(
            f"cannot group folds by {by!r}: no such column of the interviews, informants or sites",
            column="by",
            value=by,
            hint='use by="site" (default), "interview", or a column such as "setting"',
        )
    group = dict(zip(context["interview_id"], context[column].astype(str)))
    return unit_frame["interview_id"].map(group).fillna("(none)").to_numpy()


def out_of_fold(
    study: Study,
    *,
    by: str = "site",
    folds: int = 5,
    seed: int = 0,
    coder: str | None = None,
    min_positive: int = MIN_POSITIVE,
    unit: str = UNITS[0],
) -> pd.DataFrame:
    """Out-of-fold scores of every coded unit, folds grouped by site: what :func:`evaluate` summarises.

    Parameters
    ----------
    study
        A study with transcripts and segments.
    by
        What the folds are made of: ``"site"`` (default: no site is in both
        the training and the test part of a fold), ``"interview"``, or a
        column of the interviews, informants or sites (e.g. ``"setting"``).
    folds
        Number of folds (at most the number of groups).
    seed
        Seed of the folds and of every model.
    coder, min_positive, unit
        As for :func:`fit`.

    Returns
    -------
    DataFrame
        One row per unit and code: ``interview_id``, ``start``, ``end``,
        ``group`` (the unit's value of ``by``), ``fold`` (the fold the unit
        was tested in), ``code_id``, ``human`` (the coder applied it),
        ``score`` (the model fitted without the unit's fold; NaN where the
        code was left out of that fold's model), ``threshold`` (that model's)
        and ``suggested`` (score >= threshold).
    """
    data = _training(study, coder, _check_unit(unit))
    groups = _unit_groups(study, data.units, by)
    n_groups = len(np.unique(groups))
    if n_groups < 2:
        raise LeadlibDataError(
            f"cannot make folds by {by!r}: the coded interviews have only {n_groups} value of it",
            column="by",
            value=by,
            hint='code interviews of more sites, or use by="interview"',
        )
    splitter = GroupKFold(n_splits=min(int(folds), n_groups), shuffle=True, random_state=seed)
    n, k = data.labels.shape
    score = np.full((n, k), np.nan)
    cut = np.full((n, k), np.nan)
    fold_of = np.zeros(n, dtype="int64")
    interviews = data.units["interview_id"].to_numpy()
    for f, (train, test) in enumerate(splitter.split(data.units, groups=groups)):
        model = _fit_core(
            data.units["text"].iloc[train],
            data.labels[train],
            interviews[train],
            data.codes,
            seed=seed,
            min_positive=min_positive,
        )
        fold_of[test] = f
        columns = [data.codes.index(c) for c in model.codes]
        score[np.ix_(test, columns)] = model.proba(data.units["text"].iloc[test])
        cut[np.ix_(test, columns)] = model.thresholds["threshold"].to_numpy()
    out = pd.DataFrame(
        {
            "interview_id": np.repeat(interviews, k),
            "start": np.repeat(data.units["start"].to_numpy(), k),
            "end": np.repeat(data.units["end"].to_numpy(), k),
            "group": np.repeat(groups, k),
            "fold": np.repeat(fold_of, k),
            "code_id": np.tile(np.array(data.codes, dtype=object), n),
            "human": data.labels.reshape(-1),
            "score": score.reshape(-1),
            "threshold": cut.reshape(-1),
        }
    ).astype({"interview_id": "str", "group": "str", "code_id": "str"})
    out["suggested"] = (out["score"] >= out["threshold"]).to_numpy()
    out.attrs.update(by=by, folds=int(folds), seed=int(seed), coder=data.coder, unit=unit)
    return out


def _kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa of two binary labellings of the same units; NaN where undefined."""
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    if not len(a) or (a.all() and b.all()) or (not a.any() and not b.any()):
        return float("nan")
    table = np.array([[np.sum(a & b), np.sum(a & ~b)], [np.sum(~a & b), np.sum(~a & ~b)]], dtype=float)
    return float(cohen_kappa_table(table))


def _second_coding(study: Study, coder: str | None, coded: set[str]) -> pd.DataFrame:
    """Another coder's segments of the interviews the reference coding covers (the first other coder of each)."""
    seg = study.segments
    reference, _ = _coding(study, coder)
    other = seg.drop(index=reference.index)
    other = other[other["interview_id"].astype(str).isin(coded)]
    if not len(other):
        return other
    first = other.groupby(other["interview_id"].astype(str))["coder"].agg(lambda c: sorted(map(str, c))[0])
    return other[other["coder"].astype(str) == other["interview_id"].astype(str).map(first)]


def evaluate(
    study: Study,
    *,
    by: str = "site",
    folds: int = 5,
    seed: int = 0,
    coder: str | None = None,
    min_positive: int = MIN_POSITIVE,
    unit: str = UNITS[0],
    predictions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Agreement of the model with the human coder, per code, on units of sites it was not fitted on.

    Parameters
    ----------
    study
        A study with transcripts and segments.
    by, folds, seed, coder, min_positive, unit
        As for :func:`out_of_fold`.
    predictions
        The result of :func:`out_of_fold` for the same study and arguments,
        to summarise it without fitting again.

    Returns
    -------
    DataFrame
        One row per code of the coding: ``code_id``, ``support`` (units the
        human coded with it), ``n_units``, ``precision``, ``recall``, ``f1``
        and ``kappa`` (Cohen's, model against human, every coded unit),
        ``n_units_double`` (units of interviews a second coder also coded),
        ``kappa_double`` (model against the primary coder on those units)
        and ``human_kappa`` (the two humans on the same units; NaN without a
        second coder), and ``note`` (why a code has no figures, or was left
        out of some folds).
    """
    oof = (
        predictions
        if predictions is not None
        else out_of_fold(study, by=by, folds=folds, seed=seed, coder=coder, min_positive=min_positive, unit=unit)
    )
    unit = oof.attrs.get("unit", unit)
    data = _training(study, coder, _check_unit(unit))
    second = _second_coding(study, coder, data.coded)
    double = data.units["interview_id"].isin(set(second["interview_id"].astype(str))).to_numpy()
    double_units = data.units[double].reset_index(drop=True)
    human_b = _labels(double_units, second, data.codes)
    rows = []
    n_folds = oof["fold"].nunique()
    for code, part in oof.groupby("code_id", sort=False):
        part = part.reset_index(drop=True)
        human, pred = part["human"].to_numpy(bool), part["suggested"].to_numpy(bool)
        missing = part["score"].isna()
        tp, fp, fn = np.sum(human & pred), np.sum(~human & pred), np.sum(human & ~pred)
        note = ""
        if missing.all():
            note = "left out: too few units to learn in every fold"
        elif missing.any():
            note = f"left out of {part.loc[missing, 'fold'].nunique()} of {n_folds} folds (never suggested there)"
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
        jj = data.codes.index(code)
        rows.append(
            {
                "code_id": code,
                "support": int(human.sum()),
                "n_units": len(part),
                "precision": float(precision),
                "recall": float(recall),
                "f1": float(f1),
                "kappa": float("nan") if missing.all() else _kappa(human, pred),
                "n_units_double": int(double.sum()),
                "kappa_double": float("nan") if missing.all() else _kappa(human[double], pred[double]),
                "human_kappa": _kappa(data.labels[double, jj], human_b[:, jj]) if double.any() else float("nan"),
                "note": note,
            }
        )
    out = pd.DataFrame(rows)
    out = out[out["support"] > 0].reset_index(drop=True)
    out.attrs.update(
        by=oof.attrs.get("by", by),
        folds=n_folds,
        seed=oof.attrs.get("seed", seed),
        coder=data.coder,
        unit=unit,
        method=f"out-of-fold suggestions (folds of whole groups) against the human coder, per code, on {unit}s",
    )
    return out


# --------------------------------------------------------------------------
# Active learning


def _uncertainty(score: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """1 where a score sits on its threshold, falling towards 0 with the distance between them in log-odds."""
    eps = 1e-6
    s = np.clip(score, eps, 1 - eps)
    t = np.clip(threshold, eps, 1 - eps)
    return 1.0 / (1.0 + np.abs(np.log(s / (1 - s)) - np.log(t / (1 - t))))


def next_to_code(
    suggester: Suggester, study: Study, *, n: int = 20, uncoded_interviews_only: bool = False
) -> pd.DataFrame:
    """The uncoded passages whose human coding would teach the model most (uncertainty sampling).

    Parameters
    ----------
    suggester
        A model from :func:`fit`.
    study
        The study (or a study on the same codebook) whose uncoded passages to
        rank.
    n
        How many passages to return.
    uncoded_interviews_only
        Rank only the units of interviews the coder has not coded yet
        (default False: also the units of coded interviews that no segment
        covers, which the coder may have passed over).

    Returns
    -------
    DataFrame
        At most ``n`` units, most uncertain first: ``interview_id``,
        ``start``, ``end``, ``text``, ``uncertainty`` (1 when a code's score
        sits on its threshold, towards 0 as it moves away, measured in log-odds so
        that a code with a low threshold does not make every low score look
        uncertain: ``1 / (1 + |logit(score) - logit(threshold)|)``, for the code
        where it is largest), ``code_id`` and
        ``score`` (that code and its score) and ``interview_coded`` (False:
        the interview is not coded yet; True: a coded interview's unit no
        segment covers). Candidates are the units of interviews the
        coder has not coded, and the units of coded interviews that no
        segment of the coder covers; a unit whose text recurs
        elsewhere is proposed once (where it is most uncertain).
    """
    scored = suggester.scores(study)
    seg, _ = _coding(study, _coder_name(suggester))
    coded = set(seg["interview_id"].astype(str))
    covered = _labels(scored, seg, sorted(set(seg["code_id"].astype(str)))).any(axis=1)
    in_coded = scored["interview_id"].isin(coded).to_numpy()
    candidate = ~covered & ~in_coded if uncoded_interviews_only else ~covered
    pool = scored[candidate].copy()
    codes = suggester.codes
    if not codes or not len(pool):
        empty = pool[UNIT_COLUMNS].assign(uncertainty=pd.Series(dtype=float), code_id="", score=np.nan)
        return empty.assign(interview_coded=pd.Series(dtype=bool)).head(0)
    p = pool[codes].to_numpy()
    t = suggester.thresholds.set_index("code_id")["threshold"].reindex(codes).to_numpy()
    u = _uncertainty(p, t)
    best = np.argmax(u, axis=1)
    out = pool[UNIT_COLUMNS].copy()
    out["uncertainty"] = np.round(u[np.arange(len(pool)), best], 6)
    out["code_id"] = np.array(codes, dtype=object)[best]
    out["score"] = np.round(p[np.arange(len(pool)), best], 6)
    out["interview_coded"] = in_coded[candidate]
    out = out.astype({"code_id": "str"})
    out = out.sort_values(["uncertainty", "interview_id", "start"], ascending=[False, True, True], kind="stable")
    out = out.drop_duplicates("text", keep="first")
    return out.head(int(n)).reset_index(drop=True)


def _coder_name(suggester: Suggester) -> str | None:
    return suggester.coder[len("coder ") :] if suggester.coder.startswith("coder ") else None


# --------------------------------------------------------------------------
# Export and review


def to_study(study: Study, suggestions: pd.DataFrame, *, coder: str = ASSIST_CODER) -> Study:
    """A copy of ``study`` whose segments are the suggestions, by ``coder``, for :func:`leadlib.io.write_refi`.

    Parameters
    ----------
    study
        The study the suggestions were made for (it is not changed).
    suggestions
        The result of :meth:`Suggester.suggest` (or a subset of its rows).
    coder
        The coder the suggestions are filed under (default
        :data:`ASSIST_CODER`).

    Returns
    -------
    Study
        Every table of ``study``, with ``segments`` replaced by one segment
        per suggestion (``primary`` False: no count of the copy includes
        them by default), ``segment_id`` ``<interview_id>.assist.<n>``.
    """
    missing = [c for c in SUGGESTION_COLUMNS if c not in suggestions.columns]
    if missing:
        raise LeadlibDataError(
            f"the suggestions lack column(s) {', '.join(missing)}",
            hint="pass the table Suggester.suggest returns",
        )
    texts = dict(zip(study.transcripts["interview_id"].astype(str), study.transcripts["text"].astype(str)))
    sug = suggestions.reset_index(drop=True)
    ids = sug["interview_id"].astype(str)
    unknown = sorted(set(ids) - set(texts))
    if unknown:
        raise LeadlibDataError(
            f"suggestions for interview(s) without a transcript in this study: {', '.join(unknown[:5])}",
            column="interview_id",
            hint="export the suggestions with the study they were made for",
        )
    number = sug.groupby(ids).cumcount() + 1
    seg = pd.DataFrame(
        {
            "segment_id": [f"{i}.assist.{k:05d}" for i, k in zip(ids, number)],
            "interview_id": ids,
            "code_id": sug["code_id"].astype(str),
            "coder": coder,
            "primary": False,
            "start": sug["start"].astype("int64"),
            "end": sug["end"].astype("int64"),
            "text": [texts[i][int(s) : int(e)] for i, s, e in zip(ids, sug["start"], sug["end"])],
        }
    )
    out = study.copy()
    out.segments = schema.conform("segments", seg)
    return out


def accept(study: Study, reviewed: Study, *, coder: str, reviewed_coder: str = ASSIST_CODER) -> Study:
    """Add the suggestions a coder kept in a reviewed project to a copy of ``study``, as that coder's segments.

    Parameters
    ----------
    study
        The study the suggestions were made for (it is not changed).
    reviewed
        The reviewed project read back (:func:`leadlib.io.read_refi`): the
        suggestions the coder deleted are gone, those kept are accepted.
    coder
        The human coder who accepted them: their segments are filed under
        this name, ``primary`` only in interviews with no primary coding yet.
    reviewed_coder
        The coder the suggestions were exported under.

    Returns
    -------
    Study
        A copy of ``study`` with the accepted codings added to ``segments``.
    """
    kept = reviewed.segments[reviewed.segments["coder"].astype(str) == reviewed_coder]
    has_primary = set(study.segments.loc[study.segments["primary"].astype(bool), "interview_id"].astype(str))
    ids = kept["interview_id"].astype(str)
    new = pd.DataFrame(
        {
            "segment_id": [f"{i}.{coder}.accepted.{k:05d}" for i, k in zip(ids, kept.groupby(ids).cumcount() + 1)],
            "interview_id": ids.to_numpy(),
            "code_id": kept["code_id"].astype(str).to_numpy(),
            "coder": coder,
            "primary": ~ids.isin(has_primary).to_numpy(),
            "start": kept["start"].astype("int64").to_numpy(),
            "end": kept["end"].astype("int64").to_numpy(),
            "text": kept["text"].astype(str).to_numpy(),
        }
    )
    out = study.copy()
    both = pd.concat([study.segments, schema.conform("segments", new)], ignore_index=True)
    out.segments = schema.conform("segments", both)
    return out


# --------------------------------------------------------------------------
# The ``leadlib suggest`` verb


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``leadlib suggest``."""
    parser.add_argument("--study", default=None, help="study folder (default: the bundled synthetic study)")
    parser.add_argument("--out", required=True, type=Path, help="the REFI-QDA project to write (.qdpx)")
    parser.add_argument("--coder", default=None, help="whose coding to learn (default: each interview's primary)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the folds and the solver (default 0)")
    parser.add_argument(
        "--threshold", type=float, default=None, help="one threshold for every code (default: each code's own)"
    )
    parser.add_argument(
        "--unit", choices=UNITS, default=UNITS[0], help="suggest for each paragraph (default) or each sentence"
    )
    parser.add_argument(
        "--uncoded-only", action="store_true", help="suggest only for interviews the coder has not coded yet"
    )


def run(args: argparse.Namespace) -> int:
    """Fit on the study's coding, suggest, write the suggestions as a REFI-QDA project."""
    study = load_study(args.study)
    suggester = fit(study, coder=args.coder, seed=args.seed, unit=getattr(args, "unit", UNITS[0]))
    suggestions = suggester.suggest(study, threshold=args.threshold)
    if args.uncoded_only:
        coded, _ = _coding(study, args.coder)
        suggestions = suggestions[~suggestions["interview_id"].isin(set(coded["interview_id"].astype(str)))]
    path = write_refi(to_study(study, suggestions), args.out)
    print(
        f"{len(suggestions)} suggestions of {len(suggester.codes)} codes for "
        f"{suggestions['interview_id'].nunique()} interviews, coder {ASSIST_CODER!r}: {path}"
    )
    if len(suggester.left_out):
        left = suggester.left_out
        print("not suggested: " + "; ".join(f"{c} ({r})" for c, r in zip(left["code_id"], left["reason"])))
    return 0
