"""Which sites resemble each other: correspondence analysis and clustering.

Correspondence analysis (CA) follows Greenacre (2007, *Correspondence
Analysis in Practice*, 2nd ed.): the singular value decomposition of the
standardized residuals of a sites x behaviours table. The signs of CA axes
are arbitrary (any SVD may flip them between runs, versions or machines), so
this module fixes them by a documented convention; see
:func:`correspondence_analysis`.

Clustering is scipy's hierarchical clustering (the reference implementation)
with its cophenetic correlation (Sokal & Rohlf 1962), which says how well
the tree keeps the original distances between sites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import LeadlibDataError, spreadsheet_row
from ._common import as_count_table, warn
from ._result import StatResult

__all__ = ["CorrespondenceAnalysis", "correspondence_analysis", "SiteClusters", "cluster_sites"]


@dataclass(frozen=True)
class CorrespondenceAnalysis(StatResult):
    """Result of :func:`correspondence_analysis`, a :class:`~leadlib.stats.StatResult`.

    Its main statistic is ``total_inertia``; ``p_value`` and ``ci`` are
    ``None`` (a description, not a test); :meth:`to_frame` is the table of
    dimensions (principal inertia, share explained, singular value).

    Attributes
    ----------
    total_inertia : float
        Pearson chi-square / n.
    principal_inertias : ndarray
        Eigenvalues, descending, one per dimension (min(rows, cols) - 1).
    explained : ndarray
        Share of the total inertia per dimension.
    row_standard, col_standard : DataFrame
        Standard coordinates (weighted variance 1 per dimension).
    row_principal, col_principal : DataFrame
        Principal coordinates (standard x singular value).
    row_mass, col_mass : Series
        Row and column masses (margins / n).
    row_inertia, col_inertia : Series
        Each point's inertia (mass x squared chi-square distance to the centroid).
    row_contributions, col_contributions : DataFrame
        Contribution of each point to each dimension (columns sum to 1).
    row_cos2, col_cos2 : DataFrame
        Squared correlations: share of the point's inertia on each dimension.
    method : str
        What was computed.
    """

    _statistic = "total_inertia"

    total_inertia: float
    principal_inertias: np.ndarray
    explained: np.ndarray
    row_standard: pd.DataFrame
    col_standard: pd.DataFrame
    row_principal: pd.DataFrame
    col_principal: pd.DataFrame
    row_mass: pd.Series
    col_mass: pd.Series
    row_inertia: pd.Series
    col_inertia: pd.Series
    row_contributions: pd.DataFrame
    col_contributions: pd.DataFrame
    row_cos2: pd.DataFrame
    col_cos2: pd.DataFrame
    sign_convention: str = field(default="", repr=False)

    @property
    def singular_values(self) -> np.ndarray:
        return np.sqrt(self.principal_inertias)

    def to_frame(self) -> pd.DataFrame:
        """One row per dimension: ``principal_inertia``, ``explained``, ``singular_value``.

        Returns
        -------
        DataFrame
            Indexed by dimension (``Dim1``, ``Dim2``...), as the coordinate tables' columns.
        """
        dims = pd.Index([f"Dim{j + 1}" for j in range(len(self.principal_inertias))], name="dimension")
        return pd.DataFrame(
            {
                "principal_inertia": self.principal_inertias,
                "explained": self.explained,
                "singular_value": self.singular_values,
            },
            index=dims,
        )


def correspondence_analysis(table: Any) -> CorrespondenceAnalysis:
    """Simple correspondence analysis of a two-way table of counts.

    Parameters
    ----------
    table
        Counts, e.g. sites x behaviours (DataFrame; its index and columns
        label the points). All-zero rows and columns are left out with a
        warning (they have no profile).

    Returns
    -------
    CorrespondenceAnalysis

    Notes
    -----
    Sign convention: on every dimension, the row point with the largest
    absolute standard coordinate has a positive coordinate (if several tie,
    the first of them in table order); the column coordinates flip with the
    rows, so the biplot is unchanged. Published solutions (e.g. R's ``ca``)
    may show an axis mirrored; compare them up to the sign of each axis.
    """
    counts = as_count_table(table, name="table")
    keep_rows = counts.sum(axis=1) > 0
    keep_cols = counts.sum(axis=0) > 0
    if not keep_rows.all() or not keep_cols.all():
        warn(
            "left out empty rows/columns: "
            + ", ".join([repr(r) for r in counts.index[~keep_rows]] + [repr(c) for c in counts.columns[~keep_cols]])
        )
        counts = counts.loc[keep_rows, keep_cols]
    if counts.shape[0] < 2 or counts.shape[1] < 2:
        raise LeadlibDataError(
            f"correspondence analysis needs at least two non-empty rows and columns, got {counts.shape}",
            column="table",
            value=counts.shape,
            hint="add sites or behaviours with counts",
        )
    n = counts.to_numpy().sum()
    p = counts.to_numpy() / n
    r = p.sum(axis=1)
    c = p.sum(axis=0)
    residuals = (p - np.outer(r, c)) / np.sqrt(np.outer(r, c))
    u, s, vt = np.linalg.svd(residuals, full_matrices=False)
    k = min(counts.shape) - 1
    u, s, v = u[:, :k], s[:k], vt[:k].T
    rank = int((s > 1e-12 * max(s[0], 1e-300)).sum()) if k else 0
    if rank < k:
        warn(f"the table has only {rank} non-trivial dimensions of {k}; the others have zero inertia")
    row_std = u / np.sqrt(r)[:, None]
    col_std = v / np.sqrt(c)[:, None]
    # Fix the arbitrary SVD signs: largest |row standard coordinate| positive.
    for j in range(k):
        i = int(np.argmax(np.abs(row_std[:, j]).round(12)))
        if row_std[i, j] < 0:
            row_std[:, j] *= -1
            col_std[:, j] *= -1
    dims = [f"Dim{j + 1}" for j in range(k)]
    rows, cols = counts.index, counts.columns
    inertias = s**2
    total = float((residuals**2).sum())
    row_pc = row_std * s
    col_pc = col_std * s
    row_inertia = (residuals**2).sum(axis=1)
    col_inertia = (residuals**2).sum(axis=0)

    def frame(values, index):
        return pd.DataFrame(values, index=index, columns=dims)

    with np.errstate(invalid="ignore", divide="ignore"):
        row_cos2 = (row_pc**2) * r[:, None] / row_inertia[:, None]
        col_cos2 = (col_pc**2) * c[:, None] / col_inertia[:, None]
    return CorrespondenceAnalysis(
        total_inertia=total,
        principal_inertias=inertias,
        explained=inertias / total if total > 0 else np.full(k, np.nan),
        row_standard=frame(row_std, rows),
        col_standard=frame(col_std, cols),
        row_principal=frame(row_pc, rows),
        col_principal=frame(col_pc, cols),
        row_mass=pd.Series(r, index=rows, name="mass"),
        col_mass=pd.Series(c, index=cols, name="mass"),
        row_inertia=pd.Series(row_inertia, index=rows, name="inertia"),
        col_inertia=pd.Series(col_inertia, index=cols, name="inertia"),
        row_contributions=frame(r[:, None] * row_std**2, rows),
        col_contributions=frame(c[:, None] * col_std**2, cols),
        row_cos2=frame(row_cos2, rows),
        col_cos2=frame(col_cos2, cols),
        sign_convention="largest |row standard coordinate| positive on each dimension",
        method="simple correspondence analysis (Greenacre 2007): SVD of the standardized residuals",
    )


# ---------------------------------------------------------------------------
# Clustering


@dataclass(frozen=True)
class SiteClusters(StatResult):
    """Result of :func:`cluster_sites`, a :class:`~leadlib.stats.StatResult`.

    Its main statistic is ``cophenetic_correlation``; ``p_value`` and ``ci``
    are ``None``; :meth:`to_frame` is one row per site (its place in the
    dendrogram and its cluster). Build it by keyword: ``method`` is the
    keyword field of :class:`~leadlib.stats.StatResult`.

    Attributes
    ----------
    linkage : ndarray
        scipy linkage matrix (usable with ``scipy.cluster.hierarchy.dendrogram``
        and seaborn's ``clustermap(row_linkage=...)``).
    labels : Series or None
        Cluster (1..k) of each site when ``k`` was given.
    cophenetic_correlation : float
        Pearson correlation between the original and the cophenetic
        distances (how faithfully the tree keeps the distances).
    distances : DataFrame
        Site x site distances used.
    cophenetic : DataFrame
        Site x site cophenetic distances (height at which two sites join).
    order : list
        Sites in dendrogram leaf order.
    method, metric : str
        Linkage method (``"average"``...) and distance.
    """

    _statistic = "cophenetic_correlation"

    linkage: np.ndarray
    labels: pd.Series | None
    cophenetic_correlation: float
    distances: pd.DataFrame
    cophenetic: pd.DataFrame
    order: list
    metric: str

    def to_frame(self) -> pd.DataFrame:
        """One row per site, in dendrogram leaf order: ``leaf`` (0, 1...) and ``cluster`` (when ``k`` was given).

        Returns
        -------
        DataFrame
            Indexed by site.
        """
        out = pd.DataFrame({"leaf": range(len(self.order))}, index=pd.Index(self.order, name=self.distances.index.name))
        if self.labels is not None:
            out["cluster"] = self.labels.reindex(out.index).to_numpy()
        return out


_EUCLIDEAN_ONLY = ("ward", "centroid", "median")


def cluster_sites(
    matrix: pd.DataFrame,
    *,
    method: str = "average",
    metric: str = "euclidean",
    k: int | None = None,
) -> SiteClusters:
    """Hierarchical clustering of sites and its cophenetic correlation.

    Parameters
    ----------
    matrix
        Sites x features (e.g. a site matrix of behaviour shares), or with
        ``metric="precomputed"`` a square, symmetric site x site distance
        matrix.
    method
        Linkage method of :func:`scipy.cluster.hierarchy.linkage`:
        ``"average"`` (UPGMA, default), ``"complete"``, ``"single"``,
        ``"weighted"``, ``"ward"``, ``"centroid"``, ``"median"``.
    metric
        Distance of :func:`scipy.spatial.distance.pdist` (``"euclidean"``,
        ``"cityblock"``, ``"braycurtis"``, ``"cosine"``...) or
        ``"precomputed"``. Ward, centroid and median need Euclidean distances.
    k
        Number of clusters to cut the tree into (``fcluster`` ``maxclust``).

    Returns
    -------
    SiteClusters
    """
    from scipy.cluster import hierarchy
    from scipy.spatial import distance

    frame = matrix if isinstance(matrix, pd.DataFrame) else pd.DataFrame(np.asarray(matrix, dtype=float))
    if frame.shape[0] < 2:
        raise LeadlibDataError(
            f"clustering needs at least two sites, got {frame.shape[0]}",
            column="matrix",
            value=frame.shape,
            hint="pass one row per site",
        )
    values = frame.apply(pd.to_numeric, errors="coerce")
    bad = values.isna().to_numpy() | ~np.isfinite(values.to_numpy(dtype=float))
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        raise LeadlibDataError(
            f"site {frame.index[i]!r} has a missing or non-numeric value",
            row=spreadsheet_row(i),
            column=str(frame.columns[j]),
            value=frame.iloc[i, j],
            hint="fill the value (0 for a behaviour never seen), or drop the site",
        )
    x = values.to_numpy(dtype=float)
    if method in _EUCLIDEAN_ONLY and metric != "euclidean":
        raise LeadlibDataError(
            f"{method} linkage needs Euclidean distances, not {metric!r}",
            column="metric",
            value=metric,
            hint=f'use metric="euclidean" with method="{method}", or another method',
        )
    if metric == "precomputed":
        if x.shape[0] != x.shape[1] or not np.allclose(x, x.T) or not np.allclose(np.diag(x), 0):
            raise LeadlibDataError(
                "a precomputed distance matrix must be square, symmetric, with a zero diagonal",
                column="matrix",
                value=x.shape,
                hint="pass site x site distances",
            )
        condensed = distance.squareform(x, checks=False)
    else:
        condensed = distance.pdist(x, metric=metric)
    if not np.isfinite(condensed).all():
        raise LeadlibDataError(
            f"the {metric} distance is undefined between some sites (e.g. an all-zero row)",
            column="metric",
            value=metric,
            hint='use metric="euclidean", or drop empty sites',
        )
    z = hierarchy.linkage(condensed, method=method)
    index = frame.index
    if np.ptp(condensed) == 0:
        warn("all sites are equally far apart: the cophenetic correlation is undefined")
        coph_r, coph = float("nan"), hierarchy.cophenet(z)
    else:
        coph_r, coph = hierarchy.cophenet(z, condensed)
    labels = None
    if k is not None:
        if not 1 <= int(k) <= len(index):
            raise LeadlibDataError(
                f"k must be between 1 and the number of sites ({len(index)})",
                column="k",
                value=k,
                hint="choose how many clusters to cut the tree into",
            )
        labels = pd.Series(hierarchy.fcluster(z, int(k), criterion="maxclust"), index=index, name="cluster")
    order = [index[i] for i in hierarchy.leaves_list(z)]
    return SiteClusters(
        linkage=z,
        labels=labels,
        cophenetic_correlation=float(coph_r),
        distances=pd.DataFrame(distance.squareform(condensed), index=index, columns=index),
        cophenetic=pd.DataFrame(distance.squareform(coph), index=index, columns=index),
        order=order,
        method=method,
        metric=metric,
    )
