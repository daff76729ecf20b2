"""Figures of the cross-site comparison.

Each function draws what a :mod:`leadlib.compare` function computed and
returns the matplotlib Axes (or the Figure / seaborn grid for multi-panel
figures), seaborn style: the table first, then keyword-only options, and an
``ax=`` to draw into where a single Axes makes sense. Every figure labels its
counting unit (read from the table's ``attrs``), uses the colour-blind-safe
colours of :mod:`leadlib.notebook` (Okabe and Ito 2008; viridis for
sequential scales) and writes vocabulary values with their display labels.
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import compare, schema
from ._deprecation import renamed_keywords
from .palette import PALETTE, PROCESS_COLORS

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from seaborn.matrix import ClusterGrid

__all__ = [
    "heatmap",
    "clustered_heatmap",
    "ternary",
    "stacked_bars",
    "small_multiples",
    "site_vs_peers",
    "cmat_bars",
    "BAND_COLORS",
    "RATING_COLORS",
]

#: Colour of a site's dot by its band among the peers (Okabe-Ito vermillion,
#: black, blue: distinguishable with every common colour-vision deficiency).
BAND_COLORS = dict(zip(compare.BANDS, ["#D55E00", "#000000", "#0072B2"]))

#: CMAT answers: low (vermillion), middle (grey), high (blue).
RATING_COLORS = {"low": "#D55E00", "middle": "#BBBBBB", "high": "#0072B2"}

SEQUENTIAL_CMAP = "viridis"

#: Marker shapes paired with the palette for categorical groups.
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h"]


# ---------------------------------------------------------------------------
# Labels


def _display(value: Any, labels: Mapping | None = None) -> str:
    if labels and value in labels:
        return str(labels[value])
    if isinstance(value, str) and any(value in vocab for vocab in schema.VOCABULARIES.values()):
        return schema.label(value)
    return str(value)


def _noun(column: str | None) -> str:
    if column is None:
        return "group"
    return {
        "site_id": "site",
        "code_id": "code",
        "code_parent": "code",
        "process": "process of leading",
        "informant_id": "informant",
        "interview_id": "interview",
    }.get(column, schema.label(column).lower())


def _unit_label(table: pd.DataFrame) -> str:
    label = table.attrs.get("unit_label")
    if label:
        return str(label)
    unit = table.attrs.get("unit")
    if unit in compare.UNITS:
        return compare.unit_label(unit, table.attrs.get("normalize"), by=table.attrs.get("by", "site_id"))
    return "value (counting unit not recorded)"


def _require_frame(table: Any, function: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"{function}: pass a DataFrame from leadlib.compare, not {type(table).__name__}")
    if table.empty:
        raise ValueError(f"{function}: the table is empty; nothing to draw")
    return table


def _new_axes(ax, figsize):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _is_share(table: pd.DataFrame) -> bool:
    return table.attrs.get("normalize") is not None


def _fmt(table: pd.DataFrame) -> str:
    if _is_share(table):
        return ".0%"
    if all(pd.api.types.is_integer_dtype(t) for t in table.dtypes):
        return "d"
    return ".1f"


# ---------------------------------------------------------------------------
# Heatmaps


def heatmap(
    matrix: pd.DataFrame,
    *,
    ax: Axes | None = None,
    annot: bool | None = None,
    fmt: str | None = None,
    cmap: str = SEQUENTIAL_CMAP,
    labels: Mapping | None = None,
    row_labels: Mapping | None = None,
    title: str | None = None,
    cbar: bool = True,
    cbar_label: str | None = None,
) -> Axes:
    """Heatmap of a groups x behaviours table (e.g. :func:`leadlib.compare.site_matrix`).

    Parameters
    ----------
    matrix
        Rows x columns of numbers; its ``attrs`` (``unit_label``, ``labels``,
        ``by``, ``of``) label the figure.
    ax
        Axes to draw into; a new figure otherwise.
    annot
        Write the value in each cell (default: when there are at most 400 cells).
    fmt
        Format of the annotations (default: ``d`` for counts, ``.0%`` for
        shares, ``.1f`` for rates).
    cmap
        Sequential colour map (viridis: perceptually uniform, colour-blind safe).
    labels, row_labels
        Display labels of the columns and rows (default ``attrs["labels"]``
        for both, so a transposed table keeps its code labels).
    title
        Title; default names the counting unit.
    cbar
        Draw the colour bar (labelled with the counting unit).
    cbar_label
        Label of the colour bar in place of the counting unit's description
        (e.g. for a transposed table, where "row" and "column" swap).

    Returns
    -------
    Axes
    """
    import seaborn as sns

    matrix = _require_frame(matrix, "heatmap")
    labels = {**matrix.attrs.get("labels", {}), **dict(labels or {})}
    row_labels = {**matrix.attrs.get("labels", {}), **dict(row_labels or {})}
    unit = cbar_label or _unit_label(matrix)
    ax = _new_axes(ax, (max(6.0, 0.45 * matrix.shape[1] + 3), max(3.5, 0.32 * matrix.shape[0] + 1.8)))
    if annot is None:
        annot = matrix.size <= 400
    data = matrix.astype(float)
    fmt = fmt or _fmt(matrix)
    if fmt == "d" and matrix.isna().to_numpy().any():
        fmt = ".0f"  # suppressed cells (NA) cannot be integers; they are left blank anyway
    if annot is True:
        # seaborn formats the float copy it draws; give it the values as they
        # are so integer counts print as integers.
        annot = matrix.to_numpy(dtype="int64" if fmt == "d" else float)
    sns.heatmap(
        data,
        ax=ax,
        annot=annot,
        fmt=fmt,
        cmap=cmap,
        cbar=cbar,
        cbar_kws={"label": textwrap.fill(unit, 48)} if cbar else None,
        linewidths=0.5,
        linecolor="white",
        annot_kws={"fontsize": 7},
        xticklabels=[_display(c, labels) for c in matrix.columns],
        yticklabels=[_display(r, row_labels) for r in matrix.index],
    )
    if cbar and _is_share(matrix):
        ax.collections[0].colorbar.ax.yaxis.set_major_formatter(_percent(0))
    ax.set_xlabel(_noun(matrix.columns.name or matrix.attrs.get("of")).capitalize())
    ax.set_ylabel(_noun(matrix.index.name or matrix.attrs.get("by")).capitalize())
    ax.set_title(title if title is not None else f"Counting unit: {unit}", loc="left")
    ax.tick_params(axis="x", labelrotation=90)
    ax.tick_params(axis="y", labelrotation=0)
    return ax


def clustered_heatmap(
    matrix: pd.DataFrame,
    *,
    method: str = "average",
    metric: str = "euclidean",
    cluster_columns: bool = True,
    standard_scale: int | None = None,
    cmap: str = SEQUENTIAL_CMAP,
    labels: Mapping | None = None,
    row_labels: Mapping | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> ClusterGrid:
    """Heatmap with rows (and columns) ordered by hierarchical clustering.

    The row tree is :func:`leadlib.stats.cluster_sites` (the one the
    notebooks report, with its cophenetic correlation), so the figure and
    the statistics agree.

    Parameters
    ----------
    matrix
        Sites x behaviours (e.g. ``site_matrix(..., normalize="row")``).
    method, metric
        Linkage and distance, as :func:`leadlib.stats.cluster_sites`.
    cluster_columns
        Also order the columns by clustering them (same method and metric).
    standard_scale
        0 (rows) or 1 (columns): scale each to 0-1 before drawing (seaborn's
        ``standard_scale``); the clustering always uses the values given.
    cmap, labels, row_labels, title, figsize
        As :func:`heatmap`.

    Returns
    -------
    seaborn.matrix.ClusterGrid
        ``.figure`` is the figure; ``.dendrogram_row.reordered_ind`` the row order.
    """
    import seaborn as sns

    from .stats import LeadlibStatsWarning, cluster_sites

    matrix = _require_frame(matrix, "clustered_heatmap")
    labels = {**matrix.attrs.get("labels", {}), **dict(labels or {})}
    unit = _unit_label(matrix)
    rows = cluster_sites(matrix, method=method, metric=metric)
    col_linkage = None
    if cluster_columns and matrix.shape[1] > 1:
        # Only the row tree's cophenetic correlation is reported; a warning
        # that the column tree's is undefined (two columns) is noise here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LeadlibStatsWarning)
            col_linkage = cluster_sites(matrix.T, method=method, metric=metric).linkage
    data = matrix.astype(float).copy()
    data.attrs = {}
    data.index = [_display(r, row_labels) for r in matrix.index]
    data.columns = [_display(c, labels) for c in matrix.columns]
    size = figsize or (max(7.0, 0.4 * matrix.shape[1] + 4), max(5.0, 0.3 * matrix.shape[0] + 3))
    grid = sns.clustermap(
        data,
        row_linkage=rows.linkage,
        col_linkage=col_linkage,
        col_cluster=col_linkage is not None,
        standard_scale=standard_scale,
        cmap=cmap,
        figsize=size,
        linewidths=0.5,
        linecolor="white",
        xticklabels=True,
        yticklabels=True,
        cbar_pos=(0.03, 0.93, 0.15, 0.02),
        cbar_kws={"orientation": "horizontal"},
    )
    # A horizontal colour bar in the empty top-left corner, its label wrapped
    # beneath it, keeps clear of both dendrograms.
    cbar_label = unit + (" (scaled 0-1)" if standard_scale is not None else "")
    grid.ax_cbar.set_xlabel(textwrap.fill(cbar_label, 28), fontsize="small")
    grid.ax_cbar.tick_params(labelsize="small")
    grid.ax_heatmap.set_xlabel(_noun(matrix.attrs.get("of", matrix.columns.name)).capitalize())
    grid.ax_heatmap.set_ylabel(_noun(matrix.attrs.get("by", matrix.index.name)).capitalize())
    grid.figure.suptitle(
        title
        if title is not None
        else f"Sites ordered by similarity ({method} linkage, {metric} distance; cophenetic "
        f"correlation {rows.cophenetic_correlation:.2f})\nCounting unit: {unit}",
        x=0.02,
        ha="left",
        fontsize="medium",
        y=1.04,
    )
    return grid


# ---------------------------------------------------------------------------
# Ternary plot


def ternary(
    profile: pd.DataFrame,
    *,
    hue: pd.Series | Mapping | None = None,
    ax: Any = None,
    annotate: bool = True,
    palette: Sequence[str] | None = None,
    title: str | None = None,
    hue_title: str | None = None,
    s: float = 50,
) -> Any:
    """Each group's profile on the three processes as a point in a triangle.

    The corners are "all building knowledge" (top), "all taking action"
    (left) and "all reviewing and reflecting" (right); a point's distance
    from a side is its share of the opposite corner's process (mpltern's
    barycentric projection: in axes coordinates a profile ``(t, l, r)`` sits
    at ``x = r + t / 2``, ``y = t``).

    Parameters
    ----------
    profile
        :func:`leadlib.compare.process_profile` (three share columns in the
        order of :data:`leadlib.schema.PROCESSES`); rows without a profile
        (NaN) are left out.
    hue
        Group of each row (Series or mapping index -> group, e.g. the setting
        of each site) to colour the points; categories keep their order.
    ax
        A ternary Axes (``fig.add_subplot(projection="ternary")``); a new
        figure otherwise.
    annotate
        Write each row's label (e.g. site ID) beside its point.
    palette
        Colours of the hue groups (default :data:`leadlib.notebook.PALETTE`).
    title, hue_title
        Title (default names the counting unit) and legend title.
    s
        Marker size.

    Returns
    -------
    mpltern TernaryAxes
    """
    import matplotlib.pyplot as plt
    import mpltern  # noqa: F401  (registers the "ternary" projection)

    profile = _require_frame(profile, "ternary")
    missing = [p for p in schema.PROCESSES if p not in profile.columns]
    if missing:
        raise ValueError(f"ternary: the profile has no column {missing[0]!r}; pass process_profile(...)")
    if ax is None:
        fig = plt.figure(figsize=(6.5, 6.0))
        ax = fig.add_subplot(projection="ternary")
    elif getattr(ax, "name", "") != "ternary":
        raise ValueError('ternary: ax must be a ternary Axes: fig.add_subplot(projection="ternary")')
    data = profile[list(schema.PROCESSES)].dropna()
    t, left, r = (data[p].to_numpy(dtype=float) for p in schema.PROCESSES)
    palette = list(palette or PALETTE)
    if hue is None:
        ax.scatter(t, left, r, s=s, color=palette[0], edgecolor="white", linewidth=0.5, zorder=3)
    else:
        groups = pd.Series(hue) if not isinstance(hue, pd.Series) else hue
        groups = groups.reindex(data.index)
        if isinstance(groups.dtype, pd.CategoricalDtype):
            order = [c for c in groups.cat.categories if (groups == c).any()]
        else:
            order = sorted(groups.dropna().unique(), key=str)
        # Shape as well as colour tells the groups apart: readable in grey
        # print and with any colour-vision deficiency, and past 8 groups.
        for i, g in enumerate(order):
            keep = (groups == g).to_numpy()
            ax.scatter(
                t[keep],
                left[keep],
                r[keep],
                s=s,
                color=palette[i % len(palette)],
                marker=MARKERS[i % len(MARKERS)],
                edgecolor="#333333",
                linewidth=0.3,
                label=_display(g),
                zorder=3,
            )
        ax.legend(
            title=hue_title,
            loc="upper left",
            bbox_to_anchor=(0.82, 1.0),
            fontsize="small",
            title_fontsize="small",
            frameon=False,
        )
    if annotate:
        for (ti, li, ri), names in _label_groups(data.index, t, left, r):
            ax.text(ti, li, ri, " " + ", ".join(map(str, names)), fontsize=7, ha="left", va="center")
    ax.set_tlabel(schema.label(schema.PROCESSES[0]))
    ax.set_llabel(schema.label(schema.PROCESSES[1]))
    ax.set_rlabel(schema.label(schema.PROCESSES[2]))
    for axis, process in zip((ax.taxis, ax.laxis, ax.raxis), schema.PROCESSES):
        axis.label.set_color(PROCESS_COLORS[process])
    ax.grid(True, linewidth=0.4, alpha=0.6)
    noun = _noun(profile.attrs.get("by", profile.index.name))
    ax.set_title(
        title if title is not None else f"Each point a {noun}: {_unit_label(profile)}", fontsize="medium", pad=28
    )
    return ax


def _label_groups(names, t, left, r, *, near: float = 0.04) -> list[tuple[tuple[float, float, float], list]]:
    """Points of a ternary plot grouped for labelling: a point within ``near`` (in shares) of a group's first point
    joins its label ("S09, S19"), so labels of near-coincident points do not print over each other."""
    groups: list[tuple[tuple[float, float, float], list]] = []
    for name, ti, li, ri in zip(names, t, left, r):
        for anchor, members in groups:
            if max(abs(ti - anchor[0]), abs(li - anchor[1]), abs(ri - anchor[2])) < near:
                members.append(name)
                break
        else:
            groups.append(((float(ti), float(li), float(ri)), [name]))
    return groups


# ---------------------------------------------------------------------------
# Stacked bars and small multiples


def _colors(columns: Sequence, colors: Mapping | Sequence | None) -> list[str]:
    if isinstance(colors, Mapping):
        return [colors[c] for c in columns]
    if colors is not None:
        return list(colors)
    if all(c in PROCESS_COLORS for c in columns):
        return [PROCESS_COLORS[c] for c in columns]
    if len(columns) > len(PALETTE):
        raise ValueError(f"{len(columns)} columns but {len(PALETTE)} colours in the palette; pass colors=")
    return PALETTE[: len(columns)]


def stacked_bars(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    colors: Mapping | Sequence | None = None,
    labels: Mapping | None = None,
    row_labels: Mapping | None = None,
    legend: bool = True,
    title: str | None = None,
) -> Axes:
    """One horizontal bar per row, stacked from the columns (e.g. a process profile).

    Parameters
    ----------
    table
        Rows x columns of non-negative values (shares of
        :func:`leadlib.compare.process_profile`, or counts).
    ax
        Axes to draw into.
    colors
        Colour per column (mapping or list); default the process colours for
        the three processes, else the palette.
    labels, row_labels
        Display labels of the columns (legend) and rows.
    legend
        Draw a legend.
    title
        Title; default the counting unit.

    Returns
    -------
    Axes
        First row at the top. Its x label names the counting unit.
    """
    table = _require_frame(table, "stacked_bars")
    labels = {**table.attrs.get("labels", {}), **dict(labels or {})}
    ax = _new_axes(ax, (7.5, max(2.0, 0.3 * len(table) + 1.2)))
    values = table.fillna(0).to_numpy(dtype=float)
    y = np.arange(len(table))
    left = np.zeros(len(table))
    for j, (column, colour) in enumerate(zip(table.columns, _colors(list(table.columns), colors))):
        ax.barh(
            y,
            values[:, j],
            left=left,
            color=colour,
            label=_display(column, labels),
            height=0.75,
            edgecolor="white",
            linewidth=0.5,
        )
        left += values[:, j]
    ax.set_yticks(y, [_display(r, row_labels) for r in table.index])
    _top_down(ax, len(table))
    ax.set_xlabel(_unit_label(table))
    if table.attrs.get("normalize") is not None:
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(_percent())
    ax.grid(axis="y", visible=False)
    if legend:
        ax.legend(
            loc="lower left", bbox_to_anchor=(0, 1.0), ncol=min(4, table.shape[1]), frameon=False, fontsize="small"
        )
    if title is not None:
        ax.set_title(title, loc="left", pad=24 if legend else 6)
    return ax


def _top_down(ax, n_rows: int) -> None:
    """First row at the top. Setting the limits (not inverting them) is idempotent, so Axes that share
    their y axis (``sharey=True``) are not flipped back by the second plot."""
    ax.set_ylim(n_rows - 0.5, -0.5)


def _percent(decimals: int | None = 0):
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1, decimals=decimals)


@renamed_keywords(groups="group")
def small_multiples(
    table: pd.DataFrame,
    *,
    group: pd.Series | Mapping,
    col_wrap: int = 3,
    colors: Mapping | Sequence | None = None,
    labels: Mapping | None = None,
    title: str | None = None,
    group_title: str = "Setting",
) -> Figure:
    """One panel per group (e.g. per setting), each with its rows as stacked bars.

    Parameters
    ----------
    table
        Rows x columns, e.g. sites x processes of
        :func:`leadlib.compare.process_profile`.
    group
        Group of each row (Series or mapping index -> group), e.g. the
        setting of each site, as ``group=`` of
        :func:`leadlib.stats.compare_groups`. Categories keep their order; a
        row without a group is left out. Formerly ``groups=``, still accepted
        with a :class:`DeprecationWarning`.
    col_wrap
        Panels per line.
    colors, labels
        As :func:`stacked_bars`.
    title
        Figure title; default names the groups and the counting unit.
    group_title
        What the groups are, for the default title.

    Returns
    -------
    Figure
        One visible Axes per group that has rows (panels in group order).
    """
    import matplotlib.pyplot as plt

    table = _require_frame(table, "small_multiples")
    groups = pd.Series(group) if not isinstance(group, pd.Series) else group
    groups = groups.reindex(table.index)
    if isinstance(groups.dtype, pd.CategoricalDtype):
        order = [c for c in groups.cat.categories if (groups == c).any()]
    else:
        order = sorted(groups.dropna().unique(), key=str)
    if not order:
        raise ValueError("small_multiples: no row of the table has a group")
    n_cols = max(1, min(col_wrap, len(order)))
    n_rows = int(np.ceil(len(order) / n_cols))
    tallest = max(int((groups == g).sum()) for g in order)
    fig, axes = plt.subplots(
        n_rows, n_cols, figsize=(3.4 * n_cols, (0.28 * tallest + 1.0) * n_rows), squeeze=False, sharex=True
    )
    for ax, g in zip(axes.ravel(), order):
        part = table.loc[(groups == g).to_numpy()]
        stacked_bars(part, ax=ax, colors=colors, labels=labels, legend=False)
        ax.set_title(f"{_display(g)} (n = {len(part)})", fontsize="small", loc="left")
        ax.set_xlabel("")
    for ax in axes.ravel()[len(order) :]:
        ax.set_visible(False)
    handles, names = axes.ravel()[0].get_legend_handles_labels()
    fig.legend(
        handles,
        names,
        loc="lower center",
        ncol=min(4, len(names)),
        frameon=False,
        fontsize="small",
        bbox_to_anchor=(0.5, -0.02),
    )
    fig.supxlabel(_unit_label(table), fontsize="small", y=0.04)
    fig.suptitle(
        title if title is not None else f"By {group_title.lower()}: {_unit_label(table)}",
        fontsize="medium",
        x=0.02,
        ha="left",
    )
    fig.tight_layout(rect=(0, 0.07, 1, 0.96))
    return fig


# ---------------------------------------------------------------------------
# A site among its peers


def site_vs_peers(
    comparison: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    labels: Mapping | None = None,
) -> Axes:
    """The site's value of each behaviour over its peers' range, quartiles and median.

    Parameters
    ----------
    comparison
        :func:`leadlib.compare.site_vs_peers`.
    ax
        Axes to draw into.
    title
        Title; default names the site, the number of peers and the unit.
    labels
        Display labels of the behaviours (default the ``label`` column).

    Returns
    -------
    Axes
        One row per behaviour (first at the top): a thin line for the peers'
        range, a thick bar for their middle half, a tick for their median, and
        the site's dot coloured by its band. No ranks.
    """
    from matplotlib.lines import Line2D

    comparison = _require_frame(comparison, "site_vs_peers")
    need = ["site_value", "peer_min", "peer_q1", "peer_median", "peer_q3", "peer_max", "band"]
    missing = [c for c in need if c not in comparison.columns]
    if missing:
        raise ValueError(f"site_vs_peers: the table has no column {missing[0]!r}; pass compare.site_vs_peers(...)")
    ax = _new_axes(ax, (7.5, max(2.5, 0.32 * len(comparison) + 1.5)))
    of = comparison.attrs.get("of", comparison.columns[0])
    keys = comparison[of] if of in comparison.columns else comparison.index
    names = [
        str(labels[k]) if labels and k in labels else str(lab) for k, lab in zip(keys, comparison.get("label", keys))
    ]
    y = np.arange(len(comparison))
    ax.hlines(y, comparison["peer_min"], comparison["peer_max"], color="#999999", linewidth=1, zorder=1)
    ax.hlines(y, comparison["peer_q1"], comparison["peer_q3"], color="#CCCCCC", linewidth=7, zorder=2)
    ax.scatter(comparison["peer_median"], y, marker="|", s=120, color="#555555", zorder=3)
    colours = [BAND_COLORS.get(b, "#000000") for b in comparison["band"].astype(object)]
    ax.scatter(comparison["site_value"], y, s=36, color=colours, edgecolor="white", linewidth=0.6, zorder=4)
    ax.set_yticks(y, names)
    _top_down(ax, len(comparison))
    unit = _unit_label(comparison)
    ax.set_xlabel(unit)
    if comparison.attrs.get("normalize") not in (None,) and comparison["peer_max"].max() <= 1:
        ax.xaxis.set_major_formatter(_percent(None))
    ax.grid(axis="y", visible=False)
    site = comparison.attrs.get("site_id", "the site")
    n_peers = comparison.attrs.get("n_peers", int(comparison["n_peers"].iloc[0]) if "n_peers" in comparison else "")
    handles = [
        Line2D([], [], color="#999999", linewidth=1, label=f"peers' range (n = {n_peers})"),
        Line2D([], [], color="#CCCCCC", linewidth=7, label="peers' middle half"),
        Line2D([], [], color="#555555", marker="|", linestyle="", markersize=10, label="peers' median"),
    ]
    handles += [
        Line2D([], [], color=c, marker="o", linestyle="", label=f"{site}: {band}") for band, c in BAND_COLORS.items()
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize="small")
    ax.set_title(title if title is not None else f"{site} beside its {n_peers} peers", loc="left")
    return ax


# ---------------------------------------------------------------------------
# CMAT ratings


def cmat_bars(
    survey: pd.DataFrame,
    *,
    site_id: str | Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """CMAT ratings as diverging stacked bars: low to the left, high to the right.

    The middle answer is centred on zero (half on each side), so a bar's
    lean shows the balance of high over low answers. Shares are of the staff
    who rated the characteristic; "can't rate" is left out of the bar and
    noted at its right, as a share of all answers.

    Parameters
    ----------
    survey
        The tidy ``survey`` table.
    site_id
        One site (or several) to show; default every site.
    ax
        Axes to draw into.
    title
        Title; default names the sites and the number of respondents.

    Returns
    -------
    Axes
        Three bars (low, middle, high) per characteristic, characteristics
        in the CMAT's order from the top.
    """
    if site_id is not None:
        wanted = [site_id] if isinstance(site_id, str) else list(site_id)
        survey = survey[survey["site_id"].isin(wanted)]
    if survey.empty:
        raise ValueError(f"cmat_bars: no survey answers for site(s) {site_id!r}")
    dist = compare.rating_distribution(survey, by="characteristic")
    ax = _new_axes(ax, (7.5, 0.38 * len(dist) + 1.6))
    y = np.arange(len(dist))
    low, middle, high = (dist[k].fillna(0).to_numpy(float) for k in ("low", "middle", "high"))
    ax.barh(y, low, left=-middle / 2 - low, color=RATING_COLORS["low"], label="low", height=0.7)
    ax.barh(y, middle, left=-middle / 2, color=RATING_COLORS["middle"], label="middle", height=0.7)
    ax.barh(y, high, left=middle / 2, color=RATING_COLORS["high"], label="high", height=0.7)
    ax.axvline(0, color="#333333", linewidth=0.8)
    for yi, share in zip(y, dist["cant_rate"].to_numpy(float)):
        ax.text(
            1.02,
            yi,
            f"can't rate {share:.0%}",
            va="center",
            fontsize=7,
            color="#555555",
            transform=ax.get_yaxis_transform(),
        )
    ax.set_yticks(y, [schema.label(c) for c in dist.index])
    _top_down(ax, len(dist))
    ax.set_xlim(-1, 1)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["100%", "50%", "0", "50%", "100%"])
    ax.set_xlabel(
        "share of staff who rated it: low answers to the left, high to the right (counting unit: staff ratings)"
    )
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, frameon=False, fontsize="small")
    respondents = survey["respondent_id"].nunique() if "respondent_id" in survey.columns else int(dist["n"].max())
    where = "all sites" if site_id is None else (site_id if isinstance(site_id, str) else ", ".join(site_id))
    ax.set_title(title if title is not None else f"CMAT ratings, {where} ({respondents} staff)", loc="left", pad=24)
    return ax
