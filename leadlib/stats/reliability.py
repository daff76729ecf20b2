"""Inter-coder reliability: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

The coefficients themselves come from well-kept libraries (statsmodels for
kappa and its standard error, ``krippendorff`` for alpha); this module owns
what peers get wrong around them:

- weighted kappa is computed over the ordered categories the two raters
  actually used, equally spaced (as R's ``irr::kappa2`` and scikit-learn do),
  so an unused scale point does not stretch the weights;
- the confidence interval of kappa uses the large-sample standard error of
  Fleiss, Cohen and Everitt (1969), as SAS PROC FREQ and statsmodels report
  it, with its ends clipped to kappa's range [-1, 1] (statsmodels does not
  bound them);
- in Krippendorff's alpha a unit coded by only one coder cannot be paired and
  is left out before computing (Krippendorff 2011, "Computing Krippendorff's
  Alpha-Reliability", step on pairable values);
- degenerate inputs (every unit in one category, no pairable unit) give NaN
  with a :class:`LeadlibStatsWarning` saying why, never a crash or a silent 0.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats as _sps

from ..errors import LeadlibDataError, spreadsheet_row
from ._common import LeadlibStatsWarning, as_count_table, is_missing, warn
from ._result import FloatResult, _TupleAccess, result_class

__all__ = [
    "AgreementResult",
    "KappaResult",
    "AlphaResult",
    "percent_agreement",
    "cohen_kappa",
    "cohen_kappa_table",
    "fleiss_kappa",
    "krippendorff_alpha",
    "coder_agreement",
    "coder_confusion",
    "agreement_with_labels",
    "code_exchanges",
]

Weights = Literal["linear", "quadratic"] | None

_OVERALL = "(all)"


# ---------------------------------------------------------------------------
# Results


@result_class
class AgreementResult(FloatResult):
    """Result of :func:`percent_agreement`: a float (the share), with how it was counted.

    Attributes
    ----------
    percent_agreement : float
        Share of units on which the two raters agree, in [0, 1].
    n_units : int
        Units rated by both raters (pairs with a missing label dropped).
    p_value, ci : None
        Not computed.
    method : str
    """

    _statistic = "percent_agreement"

    percent_agreement: float
    n_units: int


@result_class
class KappaResult(FloatResult):
    """Result of :func:`cohen_kappa`, :func:`cohen_kappa_table` and :func:`fleiss_kappa`.

    It is the float kappa (as those functions returned); with ``ci=True``
    it also unpacks and indexes as the tuple ``(kappa, low, high)`` they
    returned then: ``k, low, high = cohen_kappa(a, b, ci=True)``.

    Attributes
    ----------
    kappa : float
    n_units : int
        Units (subjects) rated.
    weights : str or None
        ``None``, ``"linear"`` or ``"quadratic"`` (Cohen's kappa).
    se : float or None
        Large-sample standard error of kappa (Fleiss, Cohen & Everitt 1969)
        when the interval was asked for, else ``None``.
    confidence_level : float or None
        Level of ``ci``.
    ci : (float, float) or None
        The interval clipped to [-1, 1] (``ci=True``), else ``None``.
    p_value : None
        Not computed.
    method : str
    """

    _statistic = "kappa"

    kappa: float
    n_units: int
    weights: str | None = None
    se: float | None = None
    confidence_level: float | None = None


class _KappaWithCI(_TupleAccess, KappaResult):
    """A :class:`KappaResult` of a ``ci=True`` call: also the tuple ``(kappa, low, high)``."""


@result_class
class AlphaResult(FloatResult):
    """Result of :func:`krippendorff_alpha`: the float alpha, with what it was computed over.

    Attributes
    ----------
    alpha : float
    level : str
        Level of measurement (``"nominal"``, ``"ordinal"``, ``"interval"``, ``"ratio"``).
    n_units : int
        Pairable units (coded by two or more coders).
    n_coders : int
    p_value, ci : None
        Not computed.
    method : str
    """

    _statistic = "alpha"

    alpha: float
    level: str
    n_units: int
    n_coders: int


def _kappa(
    kappa: float,
    n_units: int,
    *,
    method: str,
    weights: Weights = None,
    ci: bool = False,
    se: float = float("nan"),
    level: float = 0.95,
) -> KappaResult:
    """A kappa result; with ``ci`` the interval kappa +/- z * se clipped to [-1, 1] (NaN se: NaN ends)."""
    if not ci:
        return KappaResult(kappa=kappa, n_units=n_units, weights=weights, method=method)
    z = float(_sps.norm.ppf(0.5 + level / 2))
    if np.isnan(kappa) or np.isnan(se):
        low = high = float("nan")
    else:
        # The normal approximation knows nothing of kappa's range; an end past +/-1
        # (e.g. 1.19 for a code applied to few units) is a value kappa cannot take.
        low, high = max(kappa - z * se, -1.0), min(kappa + z * se, 1.0)
    return _KappaWithCI(
        kappa=kappa,
        n_units=n_units,
        weights=weights,
        se=se,
        confidence_level=level,
        ci=(low, high),
        method=method,
    )


def _cohen_method(weights: Weights) -> str:
    return "Cohen's kappa" if weights is None else f"Cohen's weighted kappa ({weights} weights, equally spaced)"


# ---------------------------------------------------------------------------
# Pairs of ratings


def _as_list(values: Any, name: str) -> list:
    if isinstance(values, pd.DataFrame):
        raise LeadlibDataError(
            f"{name} must be one column of labels, not a table", column=name, hint=f"pass frame['<column>'] as {name}"
        )
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise LeadlibDataError(
            f"{name} must be a sequence of labels (one per unit)",
            column=name,
            value=values,
            hint="pass a list, array or pandas Series",
        )
    if isinstance(values, pd.Series):
        return values.tolist()
    return list(np.asarray(values, dtype=object).ravel()) if not isinstance(values, list) else list(values)


def _pairs(a: Any, b: Any) -> tuple[list, list]:
    """The two raters' labels with every pair that has a missing value dropped."""
    left, right = _as_list(a, "a"), _as_list(b, "b")
    if len(left) != len(right):
        raise LeadlibDataError(
            f"the two raters rated different numbers of units: a has {len(left)}, b has {len(right)}",
            column="b",
            value=len(right),
            hint="a[i] and b[i] must be the two ratings of the same unit i; align them first "
            "(e.g. by merging on the unit ID)",
        )
    keep = [not (is_missing(x) or is_missing(y)) for x, y in zip(left, right)]
    return [x for x, k in zip(left, keep) if k], [y for y, k in zip(right, keep) if k]


def _ordered_levels(a: Any, b: Any, left: list, right: list, *, need_order: bool) -> list:
    """Distinct labels the raters used, in scale order where there is one.

    An ordered pandas Categorical gives the order; otherwise labels are
    sorted. Only labels actually used are kept: that is the "observed levels"
    rule of R's irr and scikit-learn for weighted kappa.
    """
    used = set(left) | set(right)
    for series in (a, b):
        dtype = getattr(series, "dtype", None)
        if isinstance(dtype, pd.CategoricalDtype) and dtype.ordered:
            return [c for c in dtype.categories if c in used]
    try:
        return sorted(used)
    except TypeError:
        if need_order:
            raise LeadlibDataError(
                "weighted kappa needs ordered categories, and these labels cannot be sorted "
                "(they mix kinds, e.g. numbers and text)",
                column="a",
                value=sorted(map(repr, used))[:6],
                hint="recode the labels to one ordered scale (numbers, or an ordered pandas Categorical)",
            ) from None
        seen: dict[Hashable, None] = {}
        for value in left + right:
            seen.setdefault(value, None)
        return list(seen)


def percent_agreement(a: Sequence[Any], b: Sequence[Any]) -> AgreementResult:
    """Share of units on which two raters gave the same label.

    Parameters
    ----------
    a, b
        The two raters' labels, one per unit, in the same unit order. Pairs
        where either label is missing are dropped.

    Returns
    -------
    AgreementResult
        The agreement in [0, 1], a float (``n_units`` says over how many
        units); NaN (with a warning) when no pair is left.
    """
    left, right = _pairs(a, b)
    method = "percent agreement (pairs with a missing label dropped)"
    if not left:
        warn("percent agreement undefined: no unit was rated by both raters")
        return AgreementResult(percent_agreement=float("nan"), n_units=0, method=method)
    value = float(np.mean([x == y for x, y in zip(left, right)]))
    return AgreementResult(percent_agreement=value, n_units=len(left), method=method)


# ---------------------------------------------------------------------------
# Cohen's kappa


def _weight_matrix(k: int, weights: Weights) -> np.ndarray:
    """Disagreement weights over k equally spaced ordered categories (0 on the diagonal)."""
    idx = np.arange(k, dtype=float)
    if k < 2:
        return np.zeros((k, k))
    diff = np.abs(idx[:, None] - idx[None, :]) / (k - 1)
    if weights == "linear":
        return diff
    if weights == "quadratic":
        return diff**2
    return (diff > 0).astype(float)


def cohen_kappa_table(
    table: Any,
    *,
    weights: Weights = None,
    ci: bool = False,
    level: float = 0.95,
) -> KappaResult:
    """Cohen's kappa (simple or weighted) from a square agreement table.

    Parameters
    ----------
    table
        Square table of counts: rows are rater A's categories, columns rater
        B's, in the same (scale) order. A category that neither rater used
        (its row and its column are all zero) is dropped before weighting, so
        weights are spaced over the categories actually used.
    weights
        ``None`` (simple kappa), ``"linear"`` (Cicchetti-Allison) or
        ``"quadratic"`` (Fleiss-Cohen) disagreement weights, equally spaced.
    ci
        Also return a confidence interval.
    level
        Confidence level of the interval.

    Returns
    -------
    KappaResult
        Kappa, a float; with ``ci=True`` also the tuple ``(kappa, low,
        high)`` (``k, low, high = cohen_kappa_table(t, ci=True)``) and the
        attributes ``ci`` and ``se``. NaN (with a warning) when kappa is
        undefined: no units, or chance agreement is already perfect (both
        raters used one and the same category for every unit). The interval
        is clipped to [-1, 1].

    Notes
    -----
    The interval is kappa +/- z * ASE, with ASE the large-sample standard
    error of Fleiss, Cohen & Everitt (1969) under the alternative (not under
    kappa = 0), computed by :func:`statsmodels.stats.inter_rater.cohens_kappa`;
    SAS PROC FREQ (``AGREE``) reports the same.

    That interval is not bounded: near kappa = 1, or with few units, its upper
    end can pass 1 (statsmodels' ``KappaResults.kappa_upp`` is kappa + z * ASE
    with no bound, statsmodels 0.15 ``stats/inter_rater.py``; so is R psych's
    ``cohen.kappa`` ``confid``). Kappa cannot exceed 1 (perfect agreement,
    Cohen 1960) nor fall below -1, so the ends are clipped to [-1, 1]: an
    upper end of exactly 1 means the interval reached the bound. A clipped
    interval is still the asymptotic one, which is poor precisely where it
    gets clipped (few units, kappa near 1); read such rows with their
    ``n_units``.
    """
    from statsmodels.stats.inter_rater import cohens_kappa as _sm_kappa

    if weights not in (None, "linear", "quadratic"):
        raise LeadlibDataError(
            f"unknown weights {weights!r}", column="weights", value=weights, hint='use None, "linear" or "quadratic"'
        )
    if not 0 < level < 1:
        raise LeadlibDataError(
            "level must be between 0 and 1", column="level", value=level, hint="e.g. level=0.95 for a 95% interval"
        )
    counts = as_count_table(table, name="table", square=True).to_numpy()
    used = (counts.sum(axis=0) + counts.sum(axis=1)) > 0
    counts = counts[np.ix_(used, used)]
    n = counts.sum()
    nan = float("nan")
    options = {"method": _cohen_method(weights), "weights": weights, "ci": ci, "level": level}
    if n == 0:
        warn("kappa undefined: the agreement table is empty (no unit rated by both raters)")
        return _kappa(nan, 0, **options)
    n_units = int(round(n))
    expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / n**2
    w = _weight_matrix(counts.shape[0], weights)
    if (w * expected).sum() <= 1e-15:
        warn(
            "kappa undefined: both raters put every unit in the same single category, "
            "so chance agreement is already perfect (report percent agreement instead)"
        )
        return _kappa(nan, n_units, **options)
    # statsmodels also computes a z-test of kappa = 0, whose standard error is
    # 0 when one rater used a single category; that division is not ours to report.
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        result = _sm_kappa(counts) if weights is None else _sm_kappa(counts, wt=weights)
    kappa = float(result.kappa)
    if not ci:
        return _kappa(kappa, n_units, **options)
    var = float(result.var_kappa)
    se = float(np.sqrt(var)) if var > 0 else 0.0
    return _kappa(kappa, n_units, se=se, **options)


def cohen_kappa(
    a: Sequence[Any],
    b: Sequence[Any],
    *,
    weights: Weights = None,
    ci: bool = False,
    level: float = 0.95,
) -> KappaResult:
    """Cohen's kappa for two raters' labels of the same units.

    Parameters
    ----------
    a, b
        The two raters' labels, one per unit, in the same unit order: any
        hashable values (codes, strings, numbers). Pairs where either label is
        missing (None/NaN) are dropped.
    weights
        ``None`` for simple kappa; ``"linear"`` or ``"quadratic"`` for
        weighted kappa over the *ordered distinct values actually used* by
        either rater, equally spaced (as R's ``irr::kappa2`` and
        scikit-learn's ``cohen_kappa_score``). The order is that of an ordered
        pandas Categorical if ``a`` or ``b`` is one, else sorted order.
    ci, level
        Also return the ``level`` confidence interval (see
        :func:`cohen_kappa_table`).

    Returns
    -------
    KappaResult
        Kappa, a float; with ``ci=True`` also the tuple ``(kappa, low,
        high)`` (see :func:`cohen_kappa_table`).

    Examples
    --------
    >>> print(cohen_kappa(["x", "y", "y", "x"], ["x", "y", "x", "x"]))
    0.5
    >>> k, low, high = cohen_kappa(["x", "y", "y", "x"], ["x", "y", "x", "x"], ci=True)
    """
    left, right = _pairs(a, b)
    levels = _ordered_levels(a, b, left, right, need_order=weights is not None)
    position = {level_: i for i, level_ in enumerate(levels)}
    table = np.zeros((len(levels), len(levels)))
    for x, y in zip(left, right):
        table[position[x], position[y]] += 1
    if not left:
        warn("kappa undefined: no unit was rated by both raters")
        return _kappa(float("nan"), 0, method=_cohen_method(weights), weights=weights, ci=ci, level=level)
    return cohen_kappa_table(table, weights=weights, ci=ci, level=level)


# ---------------------------------------------------------------------------
# Fleiss' kappa


def fleiss_kappa(counts: Any) -> KappaResult:
    """Fleiss' kappa for many raters: subjects x categories table of counts.

    Parameters
    ----------
    counts
        One row per subject, one column per category; cell = how many raters
        put that subject in that category. Every subject must have the same
        number of raters (Fleiss 1971).

    Returns
    -------
    KappaResult
        Kappa, a float (``n_units``: the subjects); NaN (with a warning)
        when every rating is in one category.
    """
    from statsmodels.stats.inter_rater import fleiss_kappa as _sm_fleiss

    table = as_count_table(counts, name="counts")
    raters = table.sum(axis=1).to_numpy()
    if not np.allclose(raters, raters[0]):
        i = int(np.flatnonzero(~np.isclose(raters, raters[0]))[0])
        raise LeadlibDataError(
            f"Fleiss' kappa needs the same number of raters for every subject: the first subject "
            f"has {raters[0]:g}, subject {table.index[i]!r} has {raters[i]:g}",
            row=spreadsheet_row(i),
            column="counts",
            value=raters[i],
            hint="drop subjects with missing ratings, or use krippendorff_alpha(), which allows them",
        )
    if raters[0] < 2:
        raise LeadlibDataError(
            "Fleiss' kappa needs at least two ratings per subject",
            column="counts",
            value=raters[0],
            hint="each row must sum to the number of raters (>= 2)",
        )
    p = table.to_numpy().sum(axis=0) / table.to_numpy().sum()
    method = f"Fleiss' kappa ({raters[0]:g} raters per subject)"
    if np.isclose((p**2).sum(), 1.0):
        warn("Fleiss' kappa undefined: every rating is in the same category")
        return KappaResult(kappa=float("nan"), n_units=len(table), method=method)
    return KappaResult(kappa=float(_sm_fleiss(table.to_numpy(), method="fleiss")), n_units=len(table), method=method)


# ---------------------------------------------------------------------------
# Krippendorff's alpha


def _reliability_values(data: Any) -> tuple[np.ndarray, list | None]:
    """Coders x units values as an object array, and the categories of an ordered Categorical column."""
    categories = None
    if isinstance(data, pd.DataFrame):
        for col in data.columns:
            dtype = data[col].dtype
            if isinstance(dtype, pd.CategoricalDtype) and dtype.ordered:
                categories = list(dtype.categories)
                break
        values = data.astype(object).to_numpy()
    else:
        values = np.asarray(data, dtype=object)
    if values.ndim != 2:
        raise LeadlibDataError(
            f"reliability data must be coders x units (2 dimensions), not {values.ndim}",
            column="data",
            value=getattr(values, "shape", None),
            hint="one row per coder, one column per unit, NaN where a coder did not code the unit",
        )
    return values, categories


def _alpha_codes(present: np.ndarray, level: str, categories: list | None) -> dict | None:
    """Label -> number for the ratings present, or None when they are numbers used as they are."""
    numeric = all(
        isinstance(v, (int, float, np.integer, np.floating))
        and not isinstance(v, bool)
        or isinstance(v, (bool, np.bool_))
        for v in present
    )
    if level == "nominal":
        labels = list(dict.fromkeys(present.tolist()))
        return {lab: i for i, lab in enumerate(labels)}
    if numeric and categories is None:
        return None
    if level != "ordinal":
        raise LeadlibDataError(
            f"{level} alpha needs numeric ratings",
            column="data",
            value=next(v for v in present if not isinstance(v, (int, float, np.integer, np.floating))),
            hint="recode the labels to numbers, or use level='nominal' / 'ordinal'",
        )
    if categories is None:
        raise LeadlibDataError(
            "ordinal alpha on text labels needs their order",
            column="order",
            value=sorted(set(map(str, present)))[:6],
            hint='pass order=["low", "middle", "high"] (low to high), or use numbers',
        )
    unknown = [v for v in present if v not in categories]
    if unknown:
        raise LeadlibDataError(
            "a rating is not one of the labels in order=",
            column="order",
            value=unknown[0],
            hint="add the label to order=, or recode it",
        )
    return {lab: i for i, lab in enumerate(categories)}


def krippendorff_alpha(
    data: Any,
    *,
    level: Literal["nominal", "ordinal", "interval", "ratio"] = "nominal",
    order: Sequence[Any] | None = None,
) -> AlphaResult:
    """Krippendorff's alpha for coders x units reliability data with missing values.

    Parameters
    ----------
    data
        Coders in rows, units in columns (array or DataFrame); a missing
        rating is NaN/None. Units with fewer than two ratings cannot be
        paired and are left out (Krippendorff 2011).
    level
        Level of measurement: ``"nominal"``, ``"ordinal"``, ``"interval"`` or
        ``"ratio"``.
    order
        For ordinal text labels: the labels from low to high. Not needed for
        numbers, or when the DataFrame columns are ordered Categoricals.

    Returns
    -------
    AlphaResult
        Alpha, a float (``n_units``: the pairable units). NaN (with a
        warning) if no unit has two ratings or all pairable values are
        identical (alpha is 0/0).
    """
    import krippendorff

    if level not in ("nominal", "ordinal", "interval", "ratio"):
        raise LeadlibDataError(
            f"unknown level of measurement {level!r}",
            column="level",
            value=level,
            hint='use "nominal", "ordinal", "interval" or "ratio"',
        )
    values, categories = _reliability_values(data)
    missing = np.vectorize(is_missing, otypes=[bool])(values) if values.size else np.zeros(values.shape, bool)
    pairable = (~missing).sum(axis=0) >= 2
    values, missing = values[:, pairable], missing[:, pairable]

    def result(alpha: float) -> AlphaResult:
        return AlphaResult(
            alpha=alpha,
            level=level,
            n_units=int(values.shape[1]),
            n_coders=int(values.shape[0]),
            method=f"Krippendorff's alpha ({level}), units coded by fewer than two coders left out",
        )

    if values.shape[1] == 0:
        warn("Krippendorff's alpha undefined: no unit was coded by two or more coders")
        return result(float("nan"))
    present = values[~missing]
    code = _alpha_codes(present, level, list(order) if order is not None else categories)
    if code is None:
        matrix = np.where(missing, np.nan, values).astype(float)
    else:
        matrix = np.full(values.shape, np.nan)
        matrix[~missing] = [code[v] for v in present]
    observed = np.unique(matrix[~np.isnan(matrix)])
    if observed.size < 2:
        warn(
            "Krippendorff's alpha undefined: every pairable rating has the same value, "
            "so there is no variation to agree on (report percent agreement instead)"
        )
        return result(float("nan"))
    if level == "ordinal" and code is not None:
        domain = np.arange(len(code), dtype=float)
    else:
        domain = observed
    return result(float(krippendorff.alpha(reliability_data=matrix, value_domain=domain, level_of_measurement=level)))


# ---------------------------------------------------------------------------
# Agreement per code on a Study


def _code_groups(study, by: str) -> tuple[pd.Series, list]:
    """code_id -> value of ``by`` for that code, and the values in display order."""
    segments = study.segments
    if by == "code_id":
        if len(study.codebook):
            codes = list(dict.fromkeys(study.codebook["code_id"].astype(str)))
        else:
            codes = []
        for code in segments["code_id"].astype(str):
            if code not in codes:
                codes.append(code)
        return pd.Series(codes, index=codes), codes
    table = study.code_table()
    if by not in table.columns:
        raise LeadlibDataError(
            f"the code table has no column {by!r} to group codes by",
            column="by",
            value=by,
            hint=f"use one of: code_id, {', '.join(c for c in table.columns if c != 'code_id')}",
        )
    mapping = pd.Series(table[by].astype(object).to_numpy(), index=table["code_id"].astype(str))
    mapping = mapping[mapping.notna()]
    if isinstance(table[by].dtype, pd.CategoricalDtype):
        order = [c for c in table[by].cat.categories if c in set(mapping)]
    else:
        order = list(dict.fromkeys(mapping))
    return mapping, order


def _pair_coders(segments: pd.DataFrame, coders: tuple[str, str] | None) -> pd.DataFrame:
    """One (first, second) coder pair per double-coded interview."""
    rows = []
    for interview, group in segments.groupby("interview_id", sort=True):
        present = sorted(set(group["coder"].astype(str)))
        if coders is not None:
            if coders[0] in present and coders[1] in present:
                rows.append((interview, coders[0], coders[1], ""))
            continue
        if len(present) < 2:
            continue
        primary_rows = group[group["primary"].astype(bool)]
        if len(primary_rows):
            first = primary_rows["coder"].astype(str).value_counts().sort_index().idxmax()
        else:
            first = present[0]
        others = [c for c in present if c != first]
        secondary = group[~group["primary"].astype(bool) & group["coder"].astype(str).isin(others)]
        preferred = sorted(set(secondary["coder"].astype(str))) or others
        second = preferred[0]
        left_out = [c for c in others if c != second]
        rows.append((interview, first, second, ", ".join(left_out)))
    return pd.DataFrame(rows, columns=["interview_id", "first", "second", "left_out"])


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of overlapping character spans (end exclusive; empty spans get width 1)."""
    merged: list[list[int]] = []
    for start, end in sorted((int(s), max(int(e), int(s) + 1)) for s, e in spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _overlaps(rows: pd.DataFrame, units: list[tuple[int, int]]) -> np.ndarray:
    """Characters each coding (row) shares with each unit: array codings x units.

    An empty span (start == end) counts as one character, as in
    :func:`_merge_spans`, so a zero-width coding still touches its unit.
    """
    if not len(rows) or not units:
        return np.zeros((len(rows), len(units)))
    s = rows["start"].astype(int).to_numpy()[:, None]
    e = np.maximum(rows["end"].astype(int).to_numpy(), rows["start"].astype(int).to_numpy() + 1)[:, None]
    us = np.array([u[0] for u in units])[None, :]
    ue = np.array([u[1] for u in units])[None, :]
    return np.clip(np.minimum(e, ue) - np.maximum(s, us), 0, None).astype(float)


def _double_coded(
    study, coders: tuple[str, str] | None, needed: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[str, str] | None]:
    """Validated segments, the coder pairs, and the normalised ``coders``."""
    segments = getattr(study, "segments", None)
    if not isinstance(segments, pd.DataFrame):
        raise LeadlibDataError(
            "a reliability table needs a leadlib.Study",
            column="study",
            value=type(study).__name__,
            hint="pass the Study, e.g. leadlib.load_study()",
        )
    for col in needed:
        if col not in segments.columns:
            raise LeadlibDataError(
                f"the segments table has no column {col!r}",
                column=col,
                hint="build segments with leadlib.schema.conform('segments', frame)",
            )
    if coders is not None:
        if len(coders) != 2 or coders[0] == coders[1]:
            raise LeadlibDataError(
                "coders must name two different coders", column="coders", value=coders, hint='e.g. coders=("AB", "CD")'
            )
        coders = (str(coders[0]), str(coders[1]))
    pairs = _pair_coders(segments, coders)
    if pairs.empty:
        raise LeadlibDataError(
            "no interview was coded by two coders" + (f" ({coders[0]} and {coders[1]})" if coders else ""),
            column="coder",
            hint="a reliability check needs interviews that a second coder coded "
            "independently (their segments with primary = False)",
        )
    return segments, pairs, coders


def _agreement_row(first: np.ndarray, second: np.ndarray) -> dict:
    n = len(first)
    row = {
        "n_units": n,
        "n_first": int(first.sum()),
        "n_second": int(second.sum()),
        "n_both": int((first & second).sum()),
    }
    if n == 0:
        row.update(
            percent_agreement=np.nan,
            kappa=np.nan,
            kappa_low=np.nan,
            kappa_high=np.nan,
            alpha=np.nan,
            note="no units: no double-coded interview",
        )
        return row
    row["percent_agreement"] = float((first == second).mean())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeadlibStatsWarning)
        row["kappa"], row["kappa_low"], row["kappa_high"] = cohen_kappa(first.astype(int), second.astype(int), ci=True)
        row["alpha"] = float(krippendorff_alpha(np.vstack([first, second]).astype(float), level="nominal"))
    note = ""
    if np.isnan(row["kappa"]):
        if first.sum() == 0 and second.sum() == 0:
            note = "kappa undefined: neither coder applied the code to any unit"
        elif first.all() and second.all():
            note = "kappa undefined: both coders applied the code to every unit"
        else:  # pragma: no cover - the two cases above are the only ones for 0/1 data
            note = "kappa undefined"
    elif n < 10:
        note = f"only {n} units: kappa is imprecise"
    row["note"] = note
    return row


def coder_agreement(
    study,
    *,
    unit: Literal["interview", "segment"] = "interview",
    by: str = "code_id",
    coders: tuple[str, str] | None = None,
    include_unused: bool = False,
) -> pd.DataFrame:
    """Agreement of two coders per code, from a study's double-coded interviews.

    Parameters
    ----------
    study : leadlib.Study
        Its ``segments`` table holds every coder's codings (``primary`` tells
        the interview's primary coding from a reliability coding).
    unit
        What a rated unit is:

        ``"interview"``
            each double-coded interview; a coder "applied" a code to it if
            they coded at least one segment of it with the code.
        ``"segment"``
            each text span: within an interview, the spans coded by either
            coder (with any code) are merged where they overlap, and each
            merged span is a unit; a coder applied a code to it if one of
            their segments with that code overlaps it. Spans coded by neither
            coder are not units.
    by
        ``"code_id"`` (default) for one row per code, or a column of
        :meth:`Study.code_table` (e.g. ``"process"``, ``"group"``,
        ``"parent"``) to pool the codes sharing a value: a coder applied
        "building_knowledge" if they applied any of its codes.
    coders
        The two coders to compare, e.g. ``("AB", "CD")``: only interviews
        coded by both are used. If not given, each double-coded interview
        (coded by two or more coders) compares its **primary** coder (the
        coder of its ``primary`` codings) with its reliability coder (the
        alphabetically first other coder with non-primary codings); further
        coders of the same interview are left out and listed in
        ``result.attrs["pairs"]``.
    include_unused
        Keep codes (or ``by`` values) that no coder applied anywhere in the
        study, such as grouping codes of the codebook tree ("Leadership
        processes"). They are left out by default: every one of their units
        is a trivial "both absent" agreement, which would inflate the pooled
        row. The codes left out are listed in ``attrs["unused"]``.

    Returns
    -------
    DataFrame
        One row per code (or ``by`` value) and a last row ``"(all)"`` pooling
        every code x unit decision, with columns ``n_units``, ``n_first`` and
        ``n_second`` (units each coder applied the code to), ``n_both``,
        ``percent_agreement``, ``kappa`` (Cohen, presence/absence) with its
        95% interval ``kappa_low`` / ``kappa_high`` (asymptotic standard
        error of Fleiss, Cohen & Everitt 1969, clipped to [-1, 1] since the
        normal approximation can pass kappa's bounds; see
        :func:`cohen_kappa_table`),
        ``alpha`` (Krippendorff, nominal) and ``note`` (why kappa is
        undefined, or a small-sample caution). ``attrs`` records ``unit``,
        ``by``, ``pairs`` (the interviews used and who was compared) and
        ``unused``.
    """
    if unit not in ("interview", "segment"):
        raise LeadlibDataError(
            f"unknown unit {unit!r}", column="unit", value=unit, hint='use unit="interview" or unit="segment"'
        )
    needed = ["interview_id", "code_id", "coder", "primary"] + (["start", "end"] if unit == "segment" else [])
    segments, pairs, coders = _double_coded(study, coders, needed)
    mapping, groups = _code_groups(study, by)
    used = set(segments["code_id"].astype(str).map(mapping).dropna())
    unused = [g for g in groups if g not in used]
    if not include_unused:
        groups = [g for g in groups if g in used]

    seg = segments.assign(
        _coder=segments["coder"].astype(str),
        _group=segments["code_id"].astype(str).map(mapping),
    )
    first_units: dict[Any, list[bool]] = {g: [] for g in groups}
    second_units: dict[Any, list[bool]] = {g: [] for g in groups}
    for interview, first, second, _ in pairs.itertuples(index=False):
        here = seg[seg["interview_id"] == interview]
        mine = here[here["_coder"] == first]
        theirs = here[here["_coder"] == second]
        if unit == "interview":
            got1, got2 = set(mine["_group"].dropna()), set(theirs["_group"].dropna())
            for g in groups:
                first_units[g].append(g in got1)
                second_units[g].append(g in got2)
            continue
        spans = _merge_spans(list(zip(pd.concat([mine, theirs])["start"], pd.concat([mine, theirs])["end"])))
        for coder_rows, store in ((mine, first_units), (theirs, second_units)):
            touches = _overlaps(coder_rows, spans) > 0
            labels = coder_rows["_group"].to_numpy()
            for g in groups:
                hit = touches[labels == g].any(axis=0) if len(labels) else np.zeros(len(spans), bool)
                store[g].extend(bool(h) for h in hit)

    rows = []
    for g in groups:
        row = {by: g}
        row.update(_agreement_row(np.array(first_units[g], bool), np.array(second_units[g], bool)))
        rows.append(row)
    pooled1 = np.concatenate([np.array(first_units[g], bool) for g in groups]) if groups else np.array([], bool)
    pooled2 = np.concatenate([np.array(second_units[g], bool) for g in groups]) if groups else np.array([], bool)
    overall = {by: _OVERALL}
    overall.update(_agreement_row(pooled1, pooled2))
    overall["note"] = f"pooled over {len(groups)} codes x units" + ("; " + overall["note"] if overall["note"] else "")
    rows.append(overall)
    out = pd.DataFrame(
        rows,
        columns=[
            by,
            "n_units",
            "n_first",
            "n_second",
            "n_both",
            "percent_agreement",
            "kappa",
            "kappa_low",
            "kappa_high",
            "alpha",
            "note",
        ],
    )
    out.attrs["unit"] = unit
    out.attrs["by"] = by
    out.attrs["pairs"] = pairs
    out.attrs["unused"] = unused
    return out


def coder_confusion(
    study,
    *,
    codes: Sequence[str] | None = None,
    process: str | Sequence[str] | None = None,
    coders: tuple[str, str] | None = None,
    none_label: str = "(none)",
) -> pd.DataFrame:
    """Which code each of two coders gave the same text span: a confusion table.

    The units are those of ``coder_agreement(study, unit="segment")``: in each
    double-coded interview, the spans coded by either coder (with any code),
    merged where they overlap. Each coder's label for a unit is the code of
    ``codes`` their codings overlap it with, or ``none_label`` if none does;
    when a coder applied several of the codes to one unit, the code covering
    most of its characters wins (ties: the order of ``codes``), and the unit
    is counted in ``attrs["n_multiple"]``.

    Parameters
    ----------
    study : leadlib.Study
    codes
        The competing codes, in display order (e.g. the sub-codes of one
        process). Default: the codes of ``process``, or every code applied
        in the study.
    process
        A leadership process (``"reviewing_reflecting"``...), or several:
        their codes that were applied in the study, in codebook order. A
        unit gets at most one process sub-code from a coder, so all three
        processes together show confusions *between* processes too.
    coders
        As in :func:`coder_agreement`.
    none_label
        Label of "none of these codes".

    Returns
    -------
    DataFrame
        Counts of units: rows are the first (primary) coder's label, columns
        the second coder's, both in the order of ``codes`` then
        ``none_label``. The diagonal is agreement; a large off-diagonal cell
        between two codes marks codes the coders cannot tell apart, and the
        ``none_label`` row/column codings one coder missed or added.
        ``attrs``: ``unit`` ("segment"), ``codes``, ``pairs``, ``n_multiple``
        and ``units``: one row per unit (``interview_id``, ``start``,
        ``end``, the two labels ``first`` and ``second``, and ``text``, the
        span of the transcript when the study has one), to read the
        disagreements themselves.

    Notes
    -----
    ``cohen_kappa_table(result)`` is the kappa of the whole decision
    (which of these codes, if any), over the same units.
    """
    segments, pairs, coders = _double_coded(
        study, coders, ["interview_id", "code_id", "coder", "primary", "start", "end"]
    )
    applied = list(dict.fromkeys(segments["code_id"].astype(str)))
    if codes is not None and process is not None:
        raise LeadlibDataError(
            "give codes= or process=, not both",
            column="process",
            value=process,
            hint="process= picks that process's codes; codes= lists them yourself",
        )
    if process is not None:
        table = study.code_table()
        known = [str(p) for p in table["process"].dropna().unique()]
        wanted = [process] if isinstance(process, str) else [str(p) for p in process]
        for name in wanted:
            if name not in known:
                raise LeadlibDataError(
                    f"no code belongs to process {name!r}",
                    column="process",
                    value=name,
                    hint=f"processes in the codebook: {', '.join(sorted(known))}",
                )
        mine = table.loc[table["process"].astype(object).isin(wanted), "code_id"].astype(str)
        codes = [c for c in mine if c in set(applied)]
    elif codes is None:
        book = list(study.codebook["code_id"].astype(str)) if len(study.codebook) else []
        codes = [c for c in book if c in set(applied)] + [c for c in applied if c not in set(book)]
    else:
        codes = [str(c) for c in codes]
        for i, code in enumerate(codes):
            if code not in set(applied):
                raise LeadlibDataError(
                    f"code {code!r} was never applied in the study",
                    column="codes",
                    row=spreadsheet_row(i),
                    value=code,
                    hint=f"codes applied: {', '.join(applied[:12])}" + (" ..." if len(applied) > 12 else ""),
                )
    if none_label in codes:
        raise LeadlibDataError(
            f"none_label {none_label!r} is also a code",
            column="none_label",
            value=none_label,
            hint='pick another label, e.g. none_label="(no code)"',
        )
    order = {code: i for i, code in enumerate(codes)}
    labels = codes + [none_label]
    counts = pd.DataFrame(0, index=pd.Index(labels, name="first coder"), columns=pd.Index(labels, name="second coder"))
    n_multiple = 0
    seg = segments.assign(_coder=segments["coder"].astype(str), _code=segments["code_id"].astype(str))
    transcripts = getattr(study, "transcripts", None)
    texts = (
        dict(zip(transcripts["interview_id"].astype(str), transcripts["text"]))
        if isinstance(transcripts, pd.DataFrame) and len(transcripts)
        else {}
    )
    units = []
    for interview, first, second, _ in pairs.itertuples(index=False):
        here = seg[seg["interview_id"] == interview]
        mine, theirs = here[here["_coder"] == first], here[here["_coder"] == second]
        both = pd.concat([mine, theirs])
        spans = _merge_spans(list(zip(both["start"], both["end"])))
        chosen = []
        for coder_rows in (mine, theirs):
            relevant = coder_rows[coder_rows["_code"].isin(order)]
            overlap = _overlaps(relevant, spans)
            per_code = np.zeros((len(codes), len(spans)))
            for code, row in zip(relevant["_code"], overlap):
                per_code[order[code]] += row
            n_multiple += int(((per_code > 0).sum(axis=0) > 1).sum())
            # argmax takes the first maximum: ties go to the earlier code
            best = (
                np.where(per_code.max(axis=0) > 0, per_code.argmax(axis=0), len(codes))
                if len(codes)
                else np.full(len(spans), 0)
            )
            chosen.append(best)
        text = texts.get(str(interview))
        for (start, end), a, b in zip(spans, *chosen):
            counts.iat[int(a), int(b)] += 1
            units.append(
                (
                    interview,
                    start,
                    end,
                    labels[int(a)],
                    labels[int(b)],
                    text[start:end] if isinstance(text, str) else None,
                )
            )
    counts.attrs["unit"] = "segment"
    counts.attrs["codes"] = list(codes)
    counts.attrs["pairs"] = pairs
    counts.attrs["n_multiple"] = n_multiple
    counts.attrs["units"] = pd.DataFrame(units, columns=["interview_id", "start", "end", "first", "second", "text"])
    return counts


# ---------------------------------------------------------------------------
# Reading agreement: which codes, exchanged with which


def agreement_with_labels(
    table: pd.DataFrame, *, labels: dict[str, str] | pd.Series, pooled: str = "(all codes pooled)"
) -> pd.DataFrame:
    """A :func:`coder_agreement` table for reading: indexed by code, with the code's label first.

    Parameters
    ----------
    table
        A result of :func:`coder_agreement` (a ``code_id`` column, its last
        row ``"(all)"`` pooling every code).
    labels
        Code ID -> label (the codebook's ``code_id`` and ``label``), a dict
        or a Series.
    pooled
        Label of the pooled row, and of any code ``labels`` lacks.

    Returns
    -------
    DataFrame
        Indexed by ``code_id``; a column ``code`` (the label) before the
        statistics. A new table: ``table`` is not changed.
    """
    if "code_id" not in table.columns:
        raise LeadlibDataError(
            "agreement_with_labels needs a code_id column",
            column="code_id",
            hint="pass a result of coder_agreement(study) with by='code_id'",
        )
    out = table.copy()
    out.insert(1, "code", out["code_id"].map(labels).fillna(pooled))
    return out.set_index("code_id")


def code_exchanges(
    confusion: pd.DataFrame,
    *,
    top: int | None = 8,
    labels: dict[str, str] | pd.Series | None = None,
    none_label: str = "(none)",
) -> pd.DataFrame:
    """Pairs of different codes the two coders gave the same unit, in either direction, most often first.

    A low kappa says that coders disagree on a code; the pairs say with
    which other code. "Missed or added" (``none_label``) is not a code: a
    coding one coder gave and the other did not is a miss, not an exchange.

    Parameters
    ----------
    confusion
        A result of :func:`coder_confusion` (rows: the first coder's code,
        columns: the second's).
    top
        At most this many pairs (``None``: every pair exchanged at least once).
    labels
        Code ID -> label: show ``code_a`` and ``code_b`` as labels. Default:
        code IDs.
    none_label
        The row and column of "none of these codes" (used when
        ``confusion.attrs["codes"]`` does not list the codes).

    Returns
    -------
    DataFrame
        One row per pair of codes ``code_a``, ``code_b`` (``a`` before ``b``
        in the table's order): ``primary a, second b`` and ``primary b,
        second a`` (units each way) and ``exchanged`` (their sum, > 0),
        sorted by ``exchanged``, descending (ties: the table's order).
    """
    codes = list(confusion.attrs.get("codes") or [c for c in confusion.index if c != none_label])
    rows = [
        (a, b, int(confusion.loc[a, b]), int(confusion.loc[b, a])) for i, a in enumerate(codes) for b in codes[i + 1 :]
    ]
    out = pd.DataFrame(rows, columns=["code_a", "code_b", "primary a, second b", "primary b, second a"])
    out["exchanged"] = out["primary a, second b"] + out["primary b, second a"]
    out = out[out["exchanged"] > 0].sort_values("exchanged", ascending=False, kind="stable")
    if top is not None:
        out = out.head(top)
    out = out.reset_index(drop=True)
    if labels is not None:
        out = out.assign(code_a=out["code_a"].map(labels), code_b=out["code_b"].map(labels))
    return out
