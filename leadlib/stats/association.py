"""Comparisons across sites and groups of sites.

With 20 sites, differences between kinds of site are judged by exact or
permutation tests and reported with an effect size, and a screen over many
behaviours controls the false discovery rate (Benjamini and Hochberg 1995).
scipy does the arithmetic; this module owns the choices peers get wrong:

- the odds ratio of Fisher's test is the *conditional* maximum-likelihood
  estimate with its exact interval, as R's ``fisher.test`` reports it (not the
  sample cross-product ratio that ``scipy.stats.fisher_exact`` returns);
- Pearson's chi-square is reported without continuity correction, with
  Cramer's V uncorrected and bias-corrected (Bergsma 2013), and a flag when
  expected counts are too small for the chi-square approximation;
- Kruskal-Wallis H is tie-corrected and comes with epsilon-squared.

Site-level values for :func:`compare_groups` come from
:func:`leadlib.compare.site_matrix`, so a group comparison counts exactly as
the comparison tables and figures do (issue 3's counting units); by default
each site's value is a share of its own units (its interviews, informants or
codings), since sites interviewed 8 or 16 times would otherwise differ by
how much they were interviewed.

Groups too small to compare (fewer than :data:`MIN_GROUP_SIZE` sites, such as
a setting with one site) are left out by every function that takes groups,
with a :class:`LeadlibStatsWarning` naming them, never a scipy traceback.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats as _sps
from scipy.special import gammaln

from .. import compare as _compare
from .._deprecation import renamed_keywords
from ..errors import LeadlibDataError
from ._common import as_count_table, require_columns, warn
from ._result import MappingResult, result_class

__all__ = [
    "ChiSquareResult",
    "FisherResult",
    "KruskalResult",
    "PermutationResult",
    "association",
    "fisher_exact",
    "kruskal",
    "permutation_test",
    "benjamini_hochberg",
    "compare_groups",
    "compare_variables",
    "UNITS",
    "MIN_GROUP_SIZE",
]

#: Counting units of a behaviour at a site (issue 3), those of :func:`leadlib.compare.site_matrix`.
UNITS = _compare.UNITS

#: Fewest values (sites) a group needs to take part in a comparison. A group of one site cannot tell a kind of
#: site from that one site, and scipy's permutation test refuses it; every function here that takes groups
#: (:func:`kruskal`, :func:`permutation_test`, :func:`compare_groups`) leaves smaller groups out, with a
#: :class:`LeadlibStatsWarning` naming them, and reports them under ``left_out``.
MIN_GROUP_SIZE = 2


# ---------------------------------------------------------------------------
# Results: each is also the read-only dict these functions returned (same keys, same values)


@result_class
class ChiSquareResult(MappingResult):
    """Result of :func:`association`; also the dict it returned (``r["chi2"]``, ``dict(r)``).

    Attributes
    ----------
    chi2 : float
        Pearson's chi-square, no continuity correction.
    dof : int
    n : float
        Total count.
    cramers_v, cramers_v_corrected : float
        Cramer's V, uncorrected and bias-corrected (Bergsma 2013).
    expected : DataFrame
        Expected counts under independence.
    small_expected : bool
        Cochran's rule failed: use :func:`fisher_exact`.
    warning : str
    p_value : float
        Chi-square approximation.
    ci : None
    method : str
    """

    _statistic = "chi2"

    chi2: float
    dof: int
    n: float
    cramers_v: float
    cramers_v_corrected: float
    expected: pd.DataFrame
    small_expected: bool
    warning: str


@result_class
class FisherResult(MappingResult):
    """Result of :func:`fisher_exact`; also the dict it returned (``r["p_value"]``, ``r["ci"]``).

    Attributes
    ----------
    odds_ratio : float or None
        Conditional maximum-likelihood odds ratio (2 x 2 tables; ``None``
        for larger tables, where the dict had no such key).
    sample_odds_ratio : float or None
        a*d / (b*c) (2 x 2 tables).
    alternative : str
    n_tables : int or None
        Larger tables, exact p-value: the tables the enumeration built
        (partial and complete, those of equal probability merged), the work
        bounded by ``max_tables``. ``None`` otherwise.
    n_draws : int or None
        Larger tables, Monte Carlo p-value: the number of random tables drawn.
    seed : int or None
        The seed of those draws.
    se : float or None
        Monte Carlo standard error of the p-value, ``sqrt(p (1 - p) / n_draws)``.
    p_value : float
    ci : (float, float) or None
        Exact conditional interval of the odds ratio (2 x 2 tables).
    method : str
        ``"... exact (enumeration) ..."`` or ``"... Monte Carlo, B draws, seed s ..."``
        for larger tables.
    """

    _statistic = "odds_ratio"

    odds_ratio: float | None = None
    sample_odds_ratio: float | None = None
    alternative: str = "two-sided"
    n_tables: int | None = None
    n_draws: int | None = None
    seed: int | None = None
    se: float | None = None

    def _columns(self) -> dict[str, Any]:
        # the r x c attributes are columns only where they apply (a 2 x 2 result keeps its columns)
        row = super()._columns()
        return {k: v for k, v in row.items() if not (k in _RXC_FIELDS and v is None)}


_RXC_FIELDS = ("n_tables", "n_draws", "seed", "se")


@result_class
class KruskalResult(MappingResult):
    """Result of :func:`kruskal`; also the dict it returned (``r["H"]``, ``r["p_value"]``).

    Attributes
    ----------
    H : float
        Kruskal-Wallis H, corrected for ties.
    dof : int
    n : int
    epsilon_squared : float
    groups : dict
        Label -> n of the groups compared.
    left_out : dict
        Label -> n of the groups too small to compare.
    p_value : float
        Chi-square approximation.
    ci : None
    method : str
    """

    _statistic = "H"

    H: float
    dof: int
    n: int
    epsilon_squared: float
    groups: dict
    left_out: dict


@result_class
class PermutationResult(MappingResult):
    """Result of :func:`permutation_test`; also the dict it returned (``r["statistic"]``, ``r["exact"]``).

    Attributes
    ----------
    statistic : float
        Observed statistic.
    statistic_name : str
        ``"mean_difference"`` or ``"H"``.
    exact : bool
        Every regrouping was enumerated.
    n_resamples : int
    groups, left_out : dict
        Label -> n of the groups compared, and of those too small to compare.
    p_value : float
    ci : None
    method : str
    """

    _statistic = "statistic"

    statistic: float
    statistic_name: str
    exact: bool
    n_resamples: int
    groups: dict
    left_out: dict


_CHI2_KEYS = (
    "n",
    "dof",
    "chi2",
    "p_value",
    "cramers_v",
    "cramers_v_corrected",
    "expected",
    "small_expected",
    "warning",
)
_KRUSKAL_KEYS = ("n", "groups", "dof", "left_out", "H", "p_value", "epsilon_squared")
_PERMUTATION_KEYS = ("groups", "n_resamples", "left_out", "statistic", "statistic_name", "p_value", "exact")


# ---------------------------------------------------------------------------
# Contingency tables


def _drop_empty(table: pd.DataFrame) -> pd.DataFrame:
    rows = table.sum(axis=1) > 0
    cols = table.sum(axis=0) > 0
    if not rows.all() or not cols.all():
        dropped = [f"row {r!r}" for r in table.index[~rows]] + [f"column {c!r}" for c in table.columns[~cols]]
        warn("left out empty " + ", ".join(dropped) + " of the table (no counts: they carry no information)")
    return table.loc[rows, cols]


def association(table: Any) -> ChiSquareResult:
    """Pearson's chi-square test of independence and Cramer's V for an r x c table.

    Parameters
    ----------
    table
        Counts, rows x columns (DataFrame, e.g. from :func:`pandas.crosstab`,
        or 2-D array). All-zero rows and columns are left out with a warning.

    Returns
    -------
    ChiSquareResult
        Also a read-only dict with the keys of its attributes:
        ``chi2`` (Pearson, no continuity correction), ``dof``, ``p_value``
        (chi-square approximation), ``n``, ``cramers_v`` (uncorrected),
        ``cramers_v_corrected`` (Bergsma 2013 bias correction), ``expected``
        (DataFrame of expected counts), ``small_expected`` (True when any
        expected count is below 1 or more than 20% are below 5, Cochran's
        rule: use :func:`fisher_exact` then) and ``warning`` (text, or "").
        Statistics are NaN (with a warning) when fewer than two non-empty
        rows or columns remain.
    """
    counts = _drop_empty(as_count_table(table, name="table"))
    n = float(counts.to_numpy().sum())
    r, c = counts.shape
    result: dict[str, Any] = {
        "n": n,
        "dof": max((r - 1) * (c - 1), 0),
        "method": "Pearson's chi-square test of independence (no continuity correction), Cramer's V",
        "_keys": _CHI2_KEYS,
    }
    if r < 2 or c < 2:
        warn("chi-square undefined: the table needs at least two non-empty rows and two non-empty columns")
        return ChiSquareResult(
            **result,
            chi2=np.nan,
            p_value=np.nan,
            cramers_v=np.nan,
            cramers_v_corrected=np.nan,
            expected=counts.copy(),
            small_expected=True,
            warning="fewer than two non-empty rows or columns",
        )
    test = _sps.chi2_contingency(counts.to_numpy(), correction=False)
    chi2 = float(test.statistic)
    expected = pd.DataFrame(test.expected_freq, index=counts.index, columns=counts.columns)
    phi2 = chi2 / n
    v = float(np.sqrt(phi2 / min(r - 1, c - 1)))
    # Bergsma (2013): subtract the expected bias of phi^2 under independence
    # and shrink the table dimensions the same way.
    phi2_corr = max(0.0, phi2 - (r - 1) * (c - 1) / (n - 1))
    r_corr = r - (r - 1) ** 2 / (n - 1)
    c_corr = c - (c - 1) ** 2 / (n - 1)
    denom = min(r_corr - 1, c_corr - 1)
    v_corr = float(np.sqrt(phi2_corr / denom)) if denom > 0 else np.nan
    e = expected.to_numpy()
    small = bool((e < 1).any() or (e < 5).mean() > 0.2)
    message = ""
    if small:
        message = (
            f"{(e < 5).sum()} of {e.size} expected counts are below 5 (smallest {e.min():.2f}): "
            "the chi-square p-value is unreliable; use fisher_exact()"
        )
        warn(message)
    return ChiSquareResult(
        **result,
        chi2=chi2,
        p_value=float(test.pvalue),
        cramers_v=v,
        cramers_v_corrected=v_corr,
        expected=expected,
        small_expected=small,
        warning=message,
    )


#: R's relative tolerance in Fisher's test: a table counts as "no more probable" than the observed one when its
#: probability is at most the observed one's times 1 + 1e-7 (``relErr`` of R's ``fisher.test``).
_FISHER_REL_TOL = 1e-7
#: Past log-weights of the network algorithm are merged when equal at this resolution (1e-10 in log: far below
#: the 1e-7 tolerance even summed over many columns).
_LOG_SCALE = 1e10
#: Monte Carlo draws are made in batches of this many tables (memory: batch x r x c integers).
_MC_BATCH = 10_000
_FISHER_METHODS = ("auto", "exact", "monte-carlo")


class _TooLarge(Exception):
    """The exact enumeration would exceed its bound (``max_tables``)."""


def _lfact(values: Any) -> Any:
    return gammaln(np.asarray(values, dtype=float) + 1)


def _compositions(total: int, caps: Sequence[int]) -> np.ndarray:
    """Every vector of non-negative integers summing to ``total`` with ``x[i] <= caps[i]`` (one per row)."""
    parts = np.zeros((1, 0), dtype=np.int64)
    left = np.array([total], dtype=np.int64)
    rest = [*np.cumsum(list(caps)[::-1])[::-1].tolist(), 0]
    for i, cap in enumerate(caps):
        low = np.maximum(0, left - rest[i + 1])
        n = np.minimum(cap, left) - low + 1
        ok = n > 0
        parts, left, low, n = parts[ok], left[ok], low[ok], n[ok]
        idx = np.repeat(np.arange(len(n)), n)
        values = low[idx] + np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
        parts = np.column_stack([parts[idx], values])
        left = left[idx] - values
    return parts


def _spread(total: int, caps: Sequence[int]) -> float:
    """Largest -sum(log x_i!) over sum(x) = total, 0 <= x_i <= caps_i: spread as evenly as the caps allow."""
    caps = sorted(caps)
    value, left, m = 0.0, total, len(caps)
    for i, cap in enumerate(caps):
        if cap * (m - i) <= left:
            value -= math.lgamma(cap + 1)
            left -= cap
        else:
            base, extra = divmod(left, m - i)
            return value - (m - i - extra) * math.lgamma(base + 1) - extra * math.lgamma(base + 2)
    return value


def _concentrate(total: int, caps: Sequence[int]) -> float:
    """Smallest -sum(log x_i!) over the same set: fill the largest caps first (the majorising vector)."""
    value, left = 0.0, total
    for cap in sorted(caps, reverse=True):
        take = min(cap, left)
        value -= math.lgamma(take + 1)
        left -= take
    return value


def _node_bounds(key: list[int], remaining: list[int]) -> tuple[float, float]:
    """Bounds (low, high) on the log-weight -sum(log n_ij!) of every completion of a node.

    The completions fill the remaining columns with the remaining row sums ``key``; relaxing either the row or
    the column constraints gives each bound in closed form, and the tighter of the two is kept.
    """
    high = min(sum(_spread(c, key) for c in remaining), sum(_spread(r, remaining) for r in key))
    low = max(sum(_concentrate(c, key) for c in remaining), sum(_concentrate(r, remaining) for r in key))
    return low, high


class _Network:
    """The network algorithm (Mehta & Patel 1983) for the exact p-value of an r x c table.

    Tables with the observed margins are built column by column; a node is the multiset of row sums still to
    fill (rows are exchangeable for what remains), a path's "past" the log-weight -sum(log n_ij!) of the
    columns filled so far. Paths reaching a node with the same past are merged (their count kept). At each
    node, a path whose every completion is no more probable than the observed table adds the total
    probability of its completions at once (closed form), one whose every completion is more probable is
    dropped, and only the others are extended (bounds from :func:`_node_bounds`).
    """

    def __init__(self, table: np.ndarray, max_tables: int) -> None:
        if table.shape[0] > table.shape[1]:
            table = table.T  # nodes index the shorter side
        self.rows = sorted(int(v) for v in table.sum(axis=1))
        self.cols = sorted((int(v) for v in table.sum(axis=0)), reverse=True)
        self.max_tables = max_tables
        n = sum(self.rows)
        self.log_const = float(_lfact(self.rows).sum() + _lfact(self.cols).sum() - _lfact(n))
        self.threshold = -float(_lfact(table).sum()) + math.log1p(_FISHER_REL_TOL)
        radix = np.cumprod([1] + [r + 1 for r in self.rows[:-1]], dtype=float)
        if radix[-1] * (self.rows[-1] + 1) >= 2.0**62:
            raise _TooLarge("margins too large to index the nodes")
        self.radix = radix.astype(np.int64)
        self.work = 0
        self.edges: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for c in set(self.cols):
            if math.comb(c + len(self.rows) - 1, len(self.rows) - 1) > max_tables:
                raise _TooLarge(f"a column of {c} counts has too many fillings")
            x = _compositions(c, self.rows)  # node keys are sorted: the i-th smallest never exceeds rows[i]
            self.edges[c] = (x.astype(np.int32), -_lfact(x).sum(axis=1))  # int32: half the memory

    def p_value(self) -> float:
        keys = np.array([self.rows], dtype=np.int32)
        past, count, codes = np.zeros(1), np.ones(1), np.zeros(1, dtype=np.int64)
        p = 0.0
        for k in range(len(self.cols) + 1):
            starts = np.r_[0, np.flatnonzero(codes[1:] != codes[:-1]) + 1]
            ends = np.r_[starts[1:], len(codes)]
            gained, keep = self._settle(k, keys, past, count, starts, ends)
            p += gained
            if k == len(self.cols) or not keep.any():
                break
            keys, past, count, codes = self._extend(k, keys, past, count, keep, starts, ends)
        return min(p, 1.0)

    def _settle(self, k, keys, past, count, starts, ends) -> tuple[float, np.ndarray]:
        """Add the paths whose completions all count; return that mass and the paths still undecided."""
        remaining = self.cols[k:]
        low, high, log_mass = np.empty(len(past)), np.empty(len(past)), np.empty(len(past))
        log_rest = math.lgamma(sum(remaining) + 1) - float(_lfact(remaining).sum())
        for s, e in zip(starts, ends):
            key = keys[s].tolist()
            low[s:e], high[s:e] = _node_bounds(key, remaining)
            # total weight of all completions of the node: (N')! / (prod r'_i! prod c'_j!)
            log_mass[s:e] = log_rest - float(_lfact(key).sum())
        done = past + high <= self.threshold
        gained = float(np.sum(count[done] * np.exp(self.log_const + past[done] + log_mass[done])))
        return gained, ~done & (past + low <= self.threshold)

    def _extend(self, k, keys, past, count, keep, starts, ends):
        """Fill column k on every undecided path, then merge paths that meet with equal past."""
        fillings, weights = self.edges[self.cols[k]]
        out_keys, out_past, out_count = [], [], []
        for s, e in zip(starts, ends):
            sel = keep[s:e]
            if not sel.any():
                continue
            fit = (fillings <= keys[s]).all(axis=1)
            children, w = np.sort(keys[s] - fillings[fit], axis=1), weights[fit]
            paths = int(sel.sum())
            self.work += paths * len(w)
            if self.work > self.max_tables:
                raise _TooLarge("the enumeration needs more than max_tables tables")
            out_keys.append(np.repeat(children, paths, axis=0))
            out_past.append((w[:, None] + past[s:e][sel][None, :]).ravel())
            out_count.append(np.tile(count[s:e][sel], len(w)))
        new_keys = np.concatenate(out_keys)
        scaled = np.rint(np.concatenate(out_past) * _LOG_SCALE).astype(np.int64)
        codes = new_keys.astype(np.int64) @ self.radix
        order = np.lexsort((scaled, codes))
        codes, scaled = codes[order], scaled[order]
        first = np.flatnonzero(np.r_[True, (codes[1:] != codes[:-1]) | (scaled[1:] != scaled[:-1])])
        merged = np.add.reduceat(np.concatenate(out_count)[order], first)
        return new_keys[order[first]], scaled[first] / _LOG_SCALE, merged, codes[first]


def _monte_carlo_rxc(table: np.ndarray, n_resamples: int, seed: int) -> tuple[float, float]:
    """p-value from random tables with the observed margins (Patefield 1981, scipy's ``random_table``).

    As R's ``fisher.test(simulate.p.value = TRUE)``: p = (1 + #{T: P(T) <= P(observed)}) / (B + 1), the
    same relative tolerance as the exact test. Returns ``(p, se)``, se = sqrt(p (1 - p) / B).
    """
    rng = np.random.default_rng(seed)
    draws = _sps.random_table(table.sum(axis=1), table.sum(axis=0), seed=rng)
    threshold = -float(_lfact(table).sum()) + math.log1p(_FISHER_REL_TOL)
    hits, left = 0, n_resamples
    while left > 0:
        batch = draws.rvs(size=min(left, _MC_BATCH))
        hits += int(np.count_nonzero(-_lfact(batch).sum(axis=(1, 2)) <= threshold))
        left -= len(batch)
    p = (1 + hits) / (n_resamples + 1)
    return p, math.sqrt(p * (1 - p) / n_resamples)


def _check_fisher_args(alternative: str, method: str, n_resamples: int, max_tables: int) -> None:
    checks = [
        ("alternative", alternative, ("two-sided", "less", "greater"), 'use "two-sided", "less" or "greater"'),
        ("method", method, _FISHER_METHODS, 'use "auto", "exact" or "monte-carlo"'),
    ]
    for name, value, allowed, hint in checks:
        if value not in allowed:
            raise LeadlibDataError(f"unknown {name} {value!r}", column=name, value=value, hint=hint)
    for name, value in (("n_resamples", n_resamples), ("max_tables", max_tables)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise LeadlibDataError(
                f"{name} must be a positive whole number", column=name, value=value, hint="pass e.g. 100000"
            )


def _whole_counts(counts: pd.DataFrame) -> np.ndarray:
    values = counts.to_numpy()
    if not np.allclose(values, np.round(values)):
        raise LeadlibDataError(
            "Fisher's exact test needs whole-number counts",
            column="table",
            value=values[~np.isclose(values, np.round(values))][0],
            hint="pass counts of cases, not shares or rates",
        )
    return np.round(values).astype(np.int64)


def _fisher_2x2(values: np.ndarray, alternative: str, level: float) -> FisherResult:
    from scipy.stats.contingency import odds_ratio as _odds_ratio

    test = _sps.fisher_exact(values, alternative=alternative)
    out = {
        "p_value": float(test.pvalue),
        "sample_odds_ratio": float(test.statistic),
        "method": "Fisher's exact test (2 x 2), conditional MLE odds ratio",
        "alternative": alternative,
        "_keys": ("p_value", "sample_odds_ratio", "method", "odds_ratio", "ci"),
    }
    if (values.sum(axis=0) == 0).any() or (values.sum(axis=1) == 0).any():
        warn("odds ratio undefined: a row or column of the 2 x 2 table is empty", depth=1)
        return FisherResult(**out, odds_ratio=np.nan, ci=(np.nan, np.nan))
    res = _odds_ratio(values, kind="conditional")
    interval = res.confidence_interval(confidence_level=level, alternative=alternative)
    return FisherResult(**out, odds_ratio=float(res.statistic), ci=(float(interval.low), float(interval.high)))


def _fisher_rxc(values: np.ndarray, *, method: str, n_resamples: int, seed: int, max_tables: int) -> dict:
    """The p-value of an r x c table and how it was found (keywords of :class:`FisherResult`)."""
    if method != "monte-carlo":
        network = None
        try:
            network = _Network(values, max_tables)
            p = network.p_value()
        except _TooLarge as too_large:
            if method == "exact":
                raise LeadlibDataError(
                    f"the exact test of this {values.shape[0]} x {values.shape[1]} table (n = {values.sum()}) "
                    f"is too large to enumerate: {too_large}",
                    column="max_tables",
                    value=max_tables,
                    hint='raise max_tables (time and memory grow with it), or use method="monte-carlo"',
                ) from None
        else:
            return {
                "p_value": p,
                "n_tables": network.work,
                "method": f"Fisher's exact test (r x c), exact (enumeration): network algorithm over the "
                f"tables with the observed margins ({network.work} tables built)",
            }
    p, se = _monte_carlo_rxc(values, n_resamples, seed)
    return {
        "p_value": p,
        "n_draws": n_resamples,
        "seed": seed,
        "se": se,
        "method": f"Fisher's exact test (r x c), Monte Carlo, {n_resamples} draws, seed {seed}: p-value from "
        f"{n_resamples} random tables with the observed margins",
    }


def fisher_exact(
    table: Any,
    *,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    level: float = 0.95,
    n_resamples: int = 100_000,
    seed: int = 0,
    method: Literal["auto", "exact", "monte-carlo"] = "auto",
    max_tables: int = 3_000_000,
) -> FisherResult:
    """Fisher's exact test for any r x c table, with the conditional MLE odds ratio for 2 x 2 tables.

    Parameters
    ----------
    table
        Counts. For 2 x 2: rows are the two groups, columns the two outcomes;
        the odds ratio is (row 1: col 1 / col 2) / (row 2: col 1 / col 2).
        Larger tables: all-zero rows and columns are left out with a warning.
    alternative
        ``"two-sided"``, ``"less"`` or ``"greater"`` (2 x 2 only).
    level
        Confidence level of the odds-ratio interval.
    n_resamples, seed
        Larger tables, Monte Carlo: the p-value is estimated from this many
        random tables with the observed margins (as R's ``fisher.test(
        simulate.p.value = TRUE, B = n_resamples)``); the seed makes it
        repeatable.
    method
        Larger tables: ``"auto"`` (default) computes the exact p-value when
        the enumeration stays within ``max_tables``, and a Monte Carlo one
        otherwise; ``"exact"`` raises :class:`~leadlib.errors.LeadlibDataError`
        instead of falling back; ``"monte-carlo"`` always simulates. 2 x 2
        tables always get the exact test.
    max_tables
        The bound of "small enough to enumerate": the most tables (partial
        and complete, after merging those of equal probability) the exact
        enumeration may build. The default, 3 000 000, takes about a second
        here and covers R's examples (the 4 x 4 job satisfaction table builds
        1.3 million, Mehta and Patel's 5 x 7 table 2.1 million); a sparse
        20 x 3 site table with 25 counts builds about 1 500.

    Returns
    -------
    FisherResult
        Also a read-only dict with the keys
        ``p_value``; for 2 x 2 tables also ``odds_ratio`` (conditional
        maximum-likelihood estimate, as R's ``fisher.test``; the sample
        odds ratio a*d/(b*c) is ``sample_odds_ratio``) and ``ci``
        (exact conditional interval, ``(low, high)``); ``method``. For
        larger tables ``method`` says which way the p-value was found
        (``"exact (enumeration)"`` or ``"Monte Carlo, B draws, seed s"``)
        and the attributes ``n_tables`` (exact) or ``n_draws``, ``seed``
        and ``se`` (Monte Carlo) say how.

    Notes
    -----
    The two-sided p-value sums the probabilities of all tables with the
    observed margins no more probable than the observed one, with R's
    relative tolerance (a table counts when its probability is at most the
    observed one's times 1 + 1e-7). For tables larger than 2 x 2 (the
    Freeman-Halton extension) scipy has no exact test: the exact p-value
    comes from the network algorithm of Mehta and Patel (1983), the one R
    uses, in log space. Measured against R's printed results (tests in
    ``tests/test_stats_association.py``, references in
    ``tests/fixtures/stats/fisher_rxc_r.csv``): the job satisfaction 4 x 4
    table (R 0.7826849) and Mehta and Patel's 5 x 7 table (R 0.03928964)
    agree to better than 1e-7 relative, the 2 x 2 examples to R's printed
    digits. The Monte Carlo p-value is R's ``(1 + #{T as or less probable})
    / (B + 1)`` with standard error ``sqrt(p (1 - p) / B)``; on the job
    satisfaction table it lies within 4 standard errors of R's exact value.

    R finds the odds-ratio interval ends by root-finding with a loose
    tolerance, so its printed ends can differ from the exact roots in the
    third significant digit; the values here are the exact roots (scipy's
    ``odds_ratio``).
    """
    _check_fisher_args(alternative, method, n_resamples, max_tables)
    counts = as_count_table(table, name="table")
    values = _whole_counts(counts)
    if values.shape == (2, 2):
        return _fisher_2x2(values, alternative, level)
    kept = _drop_empty(counts)
    if kept.shape[0] < 2 or kept.shape[1] < 2:
        warn("Fisher's test undefined: fewer than two non-empty rows or columns")
        return FisherResult(
            p_value=np.nan, method="Fisher's exact test (r x c)", alternative=alternative, _keys=("p_value", "method")
        )
    found = _fisher_rxc(_whole_counts(kept), method=method, n_resamples=n_resamples, seed=seed, max_tables=max_tables)
    return FisherResult(**found, alternative=alternative, _keys=("p_value", "method"))


# ---------------------------------------------------------------------------
# Groups of values


def _grouped(frame: pd.DataFrame, value: str, group: str) -> tuple[list[np.ndarray], list]:
    require_columns(frame, {value: "value", group: "group"})
    numbers = pd.to_numeric(frame[value], errors="coerce")
    bad = numbers.isna() & frame[value].notna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise LeadlibDataError(
            f"{value} must be numeric",
            row=i + 2,
            column=value,
            value=frame[value].iloc[i],
            hint="convert the column to numbers first",
        )
    data = pd.DataFrame({"v": numbers, "g": frame[group]}).dropna()
    if isinstance(frame[group].dtype, pd.CategoricalDtype):
        labels = [c for c in frame[group].cat.categories if (data["g"] == c).any()]
    else:
        labels = sorted(data["g"].unique(), key=str)
    samples = [data.loc[data["g"] == g, "v"].to_numpy(float) for g in labels]
    return samples, labels


def _left_out_small(
    samples: list[np.ndarray], labels: list, *, noun: str = "value"
) -> tuple[list[np.ndarray], list, dict]:
    """Leave out groups with fewer than :data:`MIN_GROUP_SIZE` values, with a warning naming them.

    Returns the groups kept (samples, labels) and ``{label: n}`` of those left out.
    """
    small = {g: len(s) for g, s in zip(labels, samples) if len(s) < MIN_GROUP_SIZE}
    if small:
        named = ", ".join(f"{g!r} ({n} {noun}{'s' if n != 1 else ''})" for g, n in small.items())
        warn(
            f"left out group(s) with fewer than {MIN_GROUP_SIZE} {noun}s: {named}. A comparison needs at least "
            f"{MIN_GROUP_SIZE} in each group (one site cannot stand for a kind of site); the other groups are "
            f"compared. To keep them, merge small groups (pass a mapping site -> group)",
            depth=1,
        )
    kept = [(s, g) for s, g in zip(samples, labels) if g not in small]
    return [s for s, _ in kept], [g for _, g in kept], small


def kruskal(frame: pd.DataFrame, *, value: str, group: str) -> KruskalResult:
    """Kruskal-Wallis test of a value across groups, tie-corrected, with epsilon-squared.

    Parameters
    ----------
    frame
        One row per unit (e.g. per site) with columns ``value`` and ``group``;
        rows with a missing value or group are left out.
    value
        Numeric column compared.
    group
        Column naming each row's group.

    Returns
    -------
    KruskalResult
        Also a read-only dict with the keys
        ``H`` (corrected for ties), ``dof``, ``p_value`` (chi-square
        approximation: with few units per group prefer
        :func:`permutation_test`), ``epsilon_squared`` = H / (n - 1)
        (Tomczak & Tomczak 2014), ``n`` and ``groups`` (label -> n) of the
        groups compared, and ``left_out`` (label -> n) of the groups with
        fewer than :data:`MIN_GROUP_SIZE` values, which are left out with a
        warning (as :func:`permutation_test` and :func:`compare_groups` do).
        NaN with a warning when fewer than two groups remain or every value
        is tied.
    """
    samples, labels = _grouped(frame, value, group)
    samples, labels, left_out = _left_out_small(samples, labels)
    n = int(sum(len(s) for s in samples))
    out = {
        "n": n,
        "groups": {g: len(s) for g, s in zip(labels, samples)},
        "dof": max(len(samples) - 1, 0),
        "left_out": left_out,
        "method": "Kruskal-Wallis H (tie-corrected), chi-square approximation; epsilon-squared",
        "_keys": _KRUSKAL_KEYS,
    }
    if len(samples) < 2:
        warn(f"Kruskal-Wallis undefined: fewer than two groups with at least {MIN_GROUP_SIZE} values")
        return KruskalResult(**out, H=np.nan, p_value=np.nan, epsilon_squared=np.nan)
    pooled = np.concatenate(samples)
    if np.all(pooled == pooled[0]):
        warn("Kruskal-Wallis undefined: every value is the same")
        return KruskalResult(**out, H=np.nan, p_value=np.nan, epsilon_squared=np.nan)
    test = _sps.kruskal(*samples)
    h = float(test.statistic)
    return KruskalResult(**out, H=h, p_value=float(test.pvalue), epsilon_squared=h / (n - 1))


def _mean_difference(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def _h_statistic(*samples, axis=-1):
    """Tie-corrected Kruskal-Wallis H along ``axis``, for a batch of regroupings at once.

    The same statistic as ``scipy.stats.kruskal``, written to work on whole
    batches (scipy's permutation test then needs no Python loop): the tie
    correction depends only on the pooled values, which every regrouping
    shares.
    """
    samples = [np.moveaxis(np.asarray(x, dtype=float), axis, -1) for x in samples]
    pooled = np.concatenate(samples, axis=-1)
    n = pooled.shape[-1]
    ranks = _sps.rankdata(pooled, axis=-1)
    between, start = 0.0, 0
    for x in samples:
        k = x.shape[-1]
        between = between + ranks[..., start : start + k].sum(axis=-1) ** 2 / k
        start += k
    h = 12.0 / (n * (n + 1)) * between - 3 * (n + 1)
    _, ties = np.unique(pooled.reshape(-1, n)[0], return_counts=True)
    correction = 1.0 - float((ties**3 - ties).sum()) / (n**3 - n)
    return h / correction


def permutation_test(
    frame: pd.DataFrame,
    *,
    value: str,
    group: str,
    n_resamples: int = 9999,
    seed: int = 0,
    statistic: Literal["auto", "mean_difference", "H"] = "auto",
) -> PermutationResult:
    """Permutation test of a difference between groups of sites.

    With 20 sites the exact permutation distribution is often small enough to
    enumerate: when ``n_resamples`` is at least the number of distinct
    regroupings, the test is exact (scipy enumerates them all).

    Parameters
    ----------
    frame
        One row per unit (site) with columns ``value`` and ``group``.
    value, group
        Columns compared and grouping.
    n_resamples
        Random regroupings when the exact distribution is larger.
    seed
        Seed of the random regroupings.
    statistic
        ``"mean_difference"`` (two groups: mean of the first group in sort or
        category order minus the second, two-sided), ``"H"`` (Kruskal-Wallis
        H, any number of groups, large values extreme) or ``"auto"``
        (``mean_difference`` for two groups, ``H`` otherwise).

    Returns
    -------
    PermutationResult
        Also a read-only dict with the keys
        ``statistic`` (observed), ``statistic_name``, ``p_value``,
        ``exact`` (True if every regrouping was enumerated), ``n_resamples``,
        ``groups`` (label -> n) of the groups compared and ``left_out``
        (label -> n) of those with fewer than :data:`MIN_GROUP_SIZE` values,
        left out with a warning (a permutation test needs at least two
        values per group). NaN with a warning when fewer than two groups
        remain or every value is tied.
    """
    samples, labels = _grouped(frame, value, group)
    if statistic not in ("auto", "mean_difference", "H"):
        raise LeadlibDataError(
            f"unknown statistic {statistic!r}",
            column="statistic",
            value=statistic,
            hint='use "auto", "mean_difference" or "H"',
        )
    samples, labels, left_out = _left_out_small(samples, labels)
    out: dict[str, Any] = {
        "groups": {g: len(s) for g, s in zip(labels, samples)},
        "n_resamples": n_resamples,
        "left_out": left_out,
        "_keys": _PERMUTATION_KEYS,
    }
    if len(samples) < 2:
        warn(f"permutation test undefined: fewer than two groups with at least {MIN_GROUP_SIZE} values")
        return PermutationResult(
            **out, statistic=np.nan, statistic_name=statistic, p_value=np.nan, exact=False, method="permutation test"
        )
    name = statistic if statistic != "auto" else ("mean_difference" if len(samples) == 2 else "H")
    if name == "mean_difference" and len(samples) != 2:
        raise LeadlibDataError(
            f"mean_difference compares two groups, and {group} has {len(samples)}",
            column="statistic",
            value=name,
            hint='use statistic="H" for three or more groups',
        )
    pooled = np.concatenate(samples)
    if np.all(pooled == pooled[0]):
        warn("permutation test undefined: every value is the same")
        return PermutationResult(
            **out,
            statistic=np.nan,
            statistic_name=name,
            p_value=np.nan,
            exact=False,
            method=f"permutation test of {name}",
        )
    sizes = [len(s) for s in samples]
    # Number of distinct regroupings: multinomial coefficient n! / prod(n_i!).
    from math import factorial, prod

    distinct = factorial(sum(sizes)) // prod(factorial(k) for k in sizes)
    func: Callable = _mean_difference if name == "mean_difference" else _h_statistic
    res = _sps.permutation_test(
        samples,
        func,
        permutation_type="independent",
        vectorized=True,
        n_resamples=n_resamples,
        alternative="two-sided" if name == "mean_difference" else "greater",
        rng=np.random.default_rng(seed),
    )
    exact = bool(n_resamples >= distinct)
    sides = "two-sided" if name == "mean_difference" else "large values extreme"
    how = f"all {distinct} regroupings" if exact else f"{n_resamples} random regroupings (seed {seed})"
    return PermutationResult(
        **out,
        statistic=float(res.statistic),
        statistic_name=name,
        p_value=float(res.pvalue),
        exact=exact,
        method=f"permutation test of {name} ({sides}), {how}",
    )


def benjamini_hochberg(p_values: Sequence[float]) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN stays NaN.

    A hypothesis is rejected at false discovery rate q when its adjusted
    value is <= q (Benjamini & Hochberg 1995).
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        if ((p[ok] < 0) | (p[ok] > 1)).any():
            bad = p[ok][(p[ok] < 0) | (p[ok] > 1)][0]
            raise LeadlibDataError(
                "a p-value is outside [0, 1]",
                column="p_values",
                value=float(bad),
                hint="pass p-values, not test statistics",
            )
        out[ok] = _sps.false_discovery_control(p[ok], method="bh")
    return out


# ---------------------------------------------------------------------------
# Behaviours across groups of sites


def _site_groups(
    frame: pd.DataFrame, group: str | Mapping | pd.Series, site: str, scope: pd.DataFrame | None = None
) -> pd.Series:
    if isinstance(group, str):
        require_columns(frame, {group: "group"})
        pairs = frame[[site, group]]
        if scope is not None and group in scope.columns and site in scope.columns:
            # sites of the scope with no coding in the frame still have a group
            pairs = pd.concat([pairs, scope[[site, group]]], ignore_index=True)
        pairs = pairs.dropna().drop_duplicates()
        twice = pairs[site].duplicated(keep=False)
        if twice.any():
            bad = pairs.loc[twice, site].iloc[0]
            values = pairs.loc[pairs[site] == bad, group].tolist()
            raise LeadlibDataError(
                f"{group} is not a site attribute: site {bad!r} has several values",
                column=group,
                value=values[:4],
                hint="group sites by a column with one value per site (e.g. setting), or pass a mapping site -> group",
            )
        return pairs.set_index(site)[group]
    return pd.Series(dict(group) if not isinstance(group, pd.Series) else group)


def _check_compare_args(
    frame: pd.DataFrame, by: str, of: str, *, unit: str, normalize: str | None, test: str, interviews: Any
) -> str | None:
    """Validate compare_groups' arguments; the normalisation actually used (None for a rate per word)."""
    if unit not in UNITS:
        raise LeadlibDataError(
            f"unknown counting unit {unit!r}", column="unit", value=unit, hint=f"use one of: {', '.join(UNITS)}"
        )
    if normalize not in ("group", None):
        raise LeadlibDataError(
            f"unknown normalize {normalize!r}",
            column="normalize",
            value=normalize,
            hint='use "group" (share of the site\'s units) or None (raw counts)',
        )
    if test not in ("permutation", "kruskal"):
        raise LeadlibDataError(
            f"unknown test {test!r}", column="test", value=test, hint='use "permutation" or "kruskal"'
        )
    require_columns(frame, {by: "by", of: "of"})
    if unit == "per_1000_words":
        normalize = None  # already a rate per word
    if interviews is None and (unit == "per_1000_words" or (normalize == "group" and unit != "segments")):
        what = "segments per 1,000 words need" if unit == "per_1000_words" else f"shares of each site's {unit} need"
        raise LeadlibDataError(
            f"{what} every interview of each site, including those with no coding in the frame",
            column="interviews",
            value=None,
            hint="pass interviews=study (the Study the frame came from), or normalize=None for raw counts",
        )
    return normalize


def _group_order(labels: pd.Series) -> list:
    if isinstance(labels.dtype, pd.CategoricalDtype):
        return [c for c in labels.cat.categories if (labels == c).any()]
    return sorted(pd.unique(labels.dropna()), key=str)


def _without_small_groups(
    matrix: pd.DataFrame, labels: pd.Series, group_name: str
) -> tuple[pd.DataFrame, pd.Series, list, dict]:
    """Leave out groups with fewer than MIN_GROUP_SIZE sites, once for every behaviour alike, with a warning."""
    order = _group_order(labels)
    sizes = {g: int((labels == g).sum()) for g in order}
    left_out = {g: [str(s) for s in labels.index[labels == g]] for g, n in sizes.items() if n < MIN_GROUP_SIZE}
    if left_out:
        named = "; ".join(f"{g!r} ({', '.join(sites)})" for g, sites in left_out.items())
        warn(
            f"left out {group_name} group(s) with fewer than {MIN_GROUP_SIZE} sites: {named}. A comparison needs "
            f"at least {MIN_GROUP_SIZE} sites in each group (one site cannot stand for a kind of site); the other "
            f"groups are compared. To keep them, merge small groups (pass a mapping site -> group)",
            depth=2,  # this helper, and the keyword-renaming wrapper of compare_groups
        )
        keep = ~labels.isin(list(left_out))
        matrix, labels = matrix.loc[keep.to_numpy()], labels[keep.to_numpy()]
        order = [g for g in order if g not in left_out]
    return matrix, labels, order, left_out


def _test_behaviour(data: pd.DataFrame, n_groups: int, *, test: str, n_resamples: int, seed: int) -> dict:
    """H, epsilon-squared, p-value and the test's label for one behaviour's site values."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kw = kruskal(data, value="value", group="group")
        if test == "permutation" and not np.isnan(kw["H"]):
            perm = permutation_test(
                data, value="value", group="group", n_resamples=n_resamples, seed=seed, statistic="H"
            )
            p = perm["p_value"]
            label = "permutation (exact)" if perm["exact"] else f"permutation ({n_resamples} resamples)"
        else:
            p = kw["p_value"]
            label = "Kruskal-Wallis (chi-square approximation)"
    if n_groups < 2:
        label = f"undefined: fewer than two groups of {MIN_GROUP_SIZE} or more sites"
    elif np.isnan(kw["H"]):
        label = "undefined: no variation"
    return {"H": kw["H"], "epsilon_squared": kw["epsilon_squared"], "p_value": p, "test": label}


@renamed_keywords(site="by")
def compare_groups(
    frame: pd.DataFrame,
    *,
    behaviours: Sequence[Any] | None,
    group: str | Mapping | pd.Series,
    unit: Literal["segments", "interviews", "informants", "per_1000_words"] = "interviews",
    normalize: Literal["group"] | None = "group",
    of: str = "code_id",
    by: str = "site_id",
    interviews: Any = None,
    test: Literal["permutation", "kruskal"] = "permutation",
    n_resamples: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """Do groups of sites differ in how much of each behaviour they show?

    Each behaviour is counted per site (``unit``), by default as a share of
    the site's own units, the sites are split by ``group``, and the groups
    are compared with Kruskal-Wallis H: its p-value from a permutation test
    (default; exact where the regroupings can be enumerated) or from the
    chi-square approximation. The effect size is epsilon-squared; q-values
    control the false discovery rate across the behaviours compared
    (Benjamini-Hochberg).

    Parameters
    ----------
    frame
        Tidy analysis frame, one row per coding (like :meth:`Study.frame`),
        already filtered to the coders and sites wanted.
    behaviours
        Values of ``of`` to compare (e.g. code IDs); ``None`` for all that
        occur in ``frame``.
    group
        Column of ``frame`` holding a site attribute (e.g. ``"setting"``),
        or a mapping / Series site -> group. Groups with fewer than
        :data:`MIN_GROUP_SIZE` sites are left out with a
        :class:`LeadlibStatsWarning` naming them (``attrs["left_out"]``).
    unit
        ``"segments"``, ``"interviews"`` (interviews mentioning it),
        ``"informants"`` or ``"per_1000_words"``, counted by
        :func:`leadlib.compare.site_matrix`.
    normalize
        ``"group"`` (default): each site's count divided by the site's own
        number of units, as ``site_matrix(..., normalize="group")``: the
        share of the site's interviews that mention the behaviour, of its
        informants, or of its codings in ``frame``. Sites were interviewed
        8 to 16 times, so raw counts compare how much each site was
        interviewed as much as what it does. ``None`` compares the raw
        counts. Ignored for ``"per_1000_words"``, already a rate.
    of
        Column holding the behaviour (``"code_id"``, ``"process"``...).
    by
        Column identifying the site (the units compared, the rows of
        :func:`leadlib.compare.site_matrix`), ``"site_id"`` by default;
        ``"informant_id"`` compares informants. Formerly ``site=``, still
        accepted with a :class:`DeprecationWarning`.
    interviews
        The scope of the counts, as in :func:`leadlib.compare.site_matrix`:
        the :class:`~leadlib.Study` (or its interviews table with ``site``,
        ``interview_id`` and ``n_words``). Required for ``"per_1000_words"``
        and for shares of interviews or informants: a site's words and
        interviews are *all* of its interviews, including those with no
        coding in ``frame``, which the frame alone cannot know. Sites of the
        scope with no coding in ``frame`` are compared with 0.
    test
        ``"permutation"`` or ``"kruskal"`` (asymptotic p-value).
    n_resamples, seed
        For the permutation p-values; each behaviour uses the same seed.

    Returns
    -------
    DataFrame
        One row per behaviour: ``of`` value, ``unit``, ``n_sites``, one
        ``median_<group>`` column per group compared, ``H``,
        ``epsilon_squared``, ``p_value``, ``q_value``, ``test``. ``attrs``
        records ``unit``, ``normalize`` (``"group"`` or ``None``: whether
        the values are shares or raw counts), ``unit_label`` (the same in
        words), ``group``, the number of sites per group compared
        (``attrs["n"]``) and the groups left out with their sites
        (``attrs["left_out"]``); for ``per_1000_words`` also the interviews
        left out for want of a word count (``attrs["without_words"]``, see
        :func:`leadlib.compare.site_matrix`).
    """
    normalize = _check_compare_args(frame, by, of, unit=unit, normalize=normalize, test=test, interviews=interviews)
    scope = _compare.interview_table(interviews) if hasattr(interviews, "interviews") else interviews
    matrix = _compare.site_matrix(frame, by=by, of=of, unit=unit, normalize=normalize, interviews=scope).astype(float)
    unit_label = matrix.attrs["unit_label"]
    without_words = matrix.attrs.get("without_words")
    matrix.attrs = {}
    groups = _site_groups(frame, group, by, scope if isinstance(scope, pd.DataFrame) else None)
    group_name = group if isinstance(group, str) else "group"
    missing_group = [s for s in matrix.index if s not in groups.index or pd.isna(groups.get(s))]
    if missing_group:
        warn(
            f"{len(missing_group)} site(s) have no {group_name} and are left out: "
            + ", ".join(map(str, missing_group[:5])),
            depth=1,  # compare_groups is wrapped (renamed keywords): point past the wrapper at the caller
        )
        matrix = matrix.drop(index=missing_group)
    if behaviours is None:
        behaviours = list(matrix.columns)
    matrix, labels, order, left_out = _without_small_groups(matrix, groups.reindex(matrix.index), group_name)
    if len(order) < 2:
        warn(f"no comparison: fewer than two {group_name} groups with at least {MIN_GROUP_SIZE} sites", depth=1)
    rows = []
    for behaviour in behaviours:
        values = matrix[behaviour] if behaviour in matrix.columns else pd.Series(0.0, index=matrix.index)
        data = pd.DataFrame({"value": values.to_numpy(), "group": labels.to_numpy()})
        row: dict[str, Any] = {of: behaviour, "unit": unit, "n_sites": int(len(data))}
        for g in order:
            row[f"median_{g}"] = float(data.loc[data["group"] == g, "value"].median())
        row.update(_test_behaviour(data, len(order), test=test, n_resamples=n_resamples, seed=seed))
        rows.append(row)
    out = pd.DataFrame(rows)
    out["q_value"] = benjamini_hochberg(out["p_value"].to_numpy()) if len(out) else []
    first = [of, "unit", "n_sites"] + [f"median_{g}" for g in order]
    out = out[first + ["H", "epsilon_squared", "p_value", "q_value", "test"]]
    out.attrs["unit"] = unit
    out.attrs["normalize"] = normalize
    out.attrs["unit_label"] = unit_label
    out.attrs["group"] = group_name
    out.attrs["n"] = {str(g): int((labels == g).sum()) for g in order}
    out.attrs["left_out"] = {str(g): sites for g, sites in left_out.items()}
    if without_words is not None:
        out.attrs["without_words"] = without_words
    return out


def compare_variables(
    table: pd.DataFrame,
    *,
    group: pd.Series | Mapping,
    n_resamples: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare groups of sites on many site-level variables at once (survey means, site measures).

    The companion of :func:`compare_groups` for variables that are not
    counts of coding: each column of ``table`` is tested with
    :func:`permutation_test` and :func:`kruskal`, and the p-values are
    adjusted across columns with :func:`benjamini_hochberg`.

    Parameters
    ----------
    table
        One row per site (index: site IDs), one column per variable; missing
        values are left out of that variable's test.
    group
        Each site's group (a Series indexed like ``table``, or a mapping).
    n_resamples, seed
        As in :func:`permutation_test`.

    Returns
    -------
    DataFrame
        One row per variable: ``mean, <group>`` for each group, ``statistic``
        (the permutation statistic: difference of means for two groups,
        Kruskal-Wallis H otherwise), ``epsilon_squared``, ``n`` (sites with a
        value), ``p`` and ``q`` (Benjamini-Hochberg across the variables).
    """
    groups = pd.Series(group) if isinstance(group, Mapping) else group
    groups = groups.reindex(table.index)
    if groups.isna().all():
        raise ValueError("group has no value for any site of the table (check that both are indexed by site)")
    rows = []
    for name in table.columns:
        data = pd.DataFrame({"value": pd.to_numeric(table[name], errors="coerce"), "group": groups}).dropna()
        test = permutation_test(data, value="value", group="group", n_resamples=n_resamples, seed=seed)
        effect = kruskal(data, value="value", group="group")
        means = data.groupby("group", observed=True)["value"].mean()
        row = {"variable": name}
        row.update({f"mean, {g}": m for g, m in means.items()})
        row.update(
            {
                "statistic": test["statistic"],
                "epsilon_squared": effect["epsilon_squared"],
                "n": len(data),
                "p": test["p_value"],
            }
        )
        rows.append(row)
    out = pd.DataFrame(rows).set_index("variable")
    out["q"] = benjamini_hochberg(out["p"])
    out.attrs.update({"n_resamples": n_resamples, "seed": seed, "statistic": "permutation test; BH across variables"})
    return out
