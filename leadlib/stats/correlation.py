"""Rank correlations between two tables of the same cases (sites), pair by pair and together.

The question a mixed-methods study asks of 20 sites: does a site's coding (its share of a process of leading) go
with its staff's ratings or its measures? :func:`rank_correlations` answers it for named pairs of columns with
Spearman's rho, a permutation p-value for each pair, and one for all the pairs together (the mean of their rhos),
which is the test to read when the pairs were named in advance: with 20 cases a moderate link in one pair is
often missed, and several named pairs together carry more of it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["rank_correlations"]


def _ranks(values: np.ndarray) -> np.ndarray:
    return pd.Series(values).rank(method="average").to_numpy()


def _pearson_columns(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson correlation of ``a`` with each row of ``b`` (``b``: permutations x cases)."""
    a = a - a.mean()
    b = b - b.mean(axis=-1, keepdims=True)
    return (b @ a) / np.sqrt((a @ a) * np.einsum("ij,ij->i", b, b))


def rank_correlations(
    x: pd.DataFrame,
    y: pd.DataFrame,
    pairs: Sequence[tuple[str, str]],
    *,
    n_resamples: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """Spearman's rho for each ``(x column, y column)`` pair across the cases both tables hold, and for all together.

    Parameters
    ----------
    x, y
        Tables indexed by case (e.g. ``site_id``): ``x`` one column per coding measure, ``y`` one per rating or
        measure. Only cases in both indexes with a value in every named column are used.
    pairs
        The pairs to correlate, named in advance (each a column of ``x`` and a column of ``y``).
    n_resamples
        Random permutations of the cases for the p-values.
    seed
        Seed of the permutations: the same call gives the same p-values.

    Returns
    -------
    DataFrame
        One row per pair (``x``, ``y``, ``n``, ``rho``, ``p``: two-sided permutation p-value), then a row
        ``x="all pairs"``, ``y="mean rho"`` whose ``rho`` is the mean of the pairs' rhos and ``p`` its one-sided
        permutation p-value (the ``y`` table's rows permuted together, so the pairs' own correlations are kept).

    Raises
    ------
    ValueError
        A named column is missing, or fewer than 3 cases hold every named value.

    Notes
    -----
    Spearman's rho is Pearson's correlation of the ranks (ties get their mean rank). The permutation p-value is
    ``(1 + #{permuted >= observed}) / (1 + n_resamples)``, so it is never 0.
    """
    missing = [c for c, _ in pairs if c not in x.columns] + [c for _, c in pairs if c not in y.columns]
    if missing:
        raise ValueError(f"rank_correlations: no column {missing[0]!r}; x has {list(x.columns)}, y {list(y.columns)}")
    if not pairs:
        raise ValueError("rank_correlations: name at least one (x column, y column) pair")
    xs = x[list(dict.fromkeys(c for c, _ in pairs))]
    ys = y[list(dict.fromkeys(c for _, c in pairs))]
    both = pd.concat({"x": xs, "y": ys}, axis=1, join="inner").dropna()
    if len(both) < 3:
        raise ValueError(f"rank_correlations: {len(both)} cases hold every named value; at least 3 are needed")
    xr = {c: _ranks(both[("x", c)].to_numpy(float)) for c, _ in pairs}
    yr = {c: _ranks(both[("y", c)].to_numpy(float)) for _, c in pairs}
    rng = np.random.default_rng(seed)
    order = np.array([rng.permutation(len(both)) for _ in range(n_resamples)])
    rows, permuted = [], []
    for cx, cy in pairs:
        rho = float(np.corrcoef(xr[cx], yr[cy])[0, 1])
        null = _pearson_columns(xr[cx], yr[cy][order])
        permuted.append(null)
        p = (1 + np.sum(np.abs(null) >= abs(rho) - 1e-12)) / (1 + n_resamples)
        rows.append({"x": cx, "y": cy, "n": len(both), "rho": rho, "p": float(p)})
    mean_rho = float(np.mean([r["rho"] for r in rows]))
    mean_null = np.mean(permuted, axis=0)
    p_all = (1 + np.sum(mean_null >= mean_rho - 1e-12)) / (1 + n_resamples)
    rows.append({"x": "all pairs", "y": "mean rho", "n": len(both), "rho": mean_rho, "p": float(p_all)})
    return pd.DataFrame(rows)
