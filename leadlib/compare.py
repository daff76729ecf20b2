"""Cross-site comparison: how much of each leadership behaviour each site shows.

Every function takes the tidy analysis frame (:meth:`leadlib.Study.frame`:
one row per coding), returns a new frame and never changes its input, so the
functions chain with :meth:`pandas.DataFrame.pipe`. The result says in
``.attrs`` how it counted (``unit``, ``normalize``, ``by``, ``of``), so a
figure of :mod:`leadlib.plots` can label itself.

Counting units
--------------
A site's "amount" of a behaviour depends on what is counted, and the
conclusions of a comparison can change with it (design notes, "Counting"):

``"segments"``
    coded segments (rows of the frame): talkative informants and long
    interviews weigh more;
``"interviews"``
    interviews that mention the behaviour at least once;
``"informants"``
    distinct informants who mention it (differs from interviews when an
    informant was interviewed more than once);
``"per_1000_words"``
    coded segments per 1,000 words of the group's transcripts.

Denominators
------------
A rate needs every interview that *could* have mentioned a behaviour,
including those that never did. The frame only holds interviews with at
least one coding among the rows given, so once the frame is filtered (to the
leadership codes, say) it forgets the words and interviews with none of them.
Functions that need a denominator (``unit="per_1000_words"``,
``normalize="group"`` for interviews or informants) therefore take the scope
explicitly: ``interviews=study`` (every interview of the study, with its
informant's and site's attributes) or an interviews table filtered the same
way as the frame's informants and sites. They refuse to guess from the frame.

Quotes
------
Quotes are identified by the informant's role, never by a name. At a small
site a role held by one person names that person to colleagues, so a quote
whose role is held by fewer than ``min_role_informants`` (default 2)
informants at its site is shown without the role, and the words of the
text that name the role are redacted ("As [role] I ..."). Every quote shown
has its given names redacted ("[name] asked me", :mod:`leadlib.redact`).
``show_quotes=False`` removes verbatim text altogether (reports shared
outside the research team).
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from . import schema
from ._deprecation import renamed_keywords
from .deidentify import WITHHELD_ROLE, quote_roles
from .errors import LeadlibDataError
from .redact import redact_names, redact_quote

if TYPE_CHECKING:  # pragma: no cover
    from .study import Study

__all__ = [
    "between_levels_share",
    "UNITS",
    "NORMALIZATIONS",
    "Support",
    "Sizes",
    "BANDS",
    "unit_label",
    "interview_table",
    "site_matrix",
    "across_units",
    "process_profile",
    "Quote",
    "MetaCell",
    "meta_matrix",
    "meta_matrix_html",
    "quotes",
    "cooccurrence",
    "site_vs_peers",
    "rating_distribution",
    "site_summary",
    "with_labels",
]

Unit = Literal["segments", "interviews", "informants", "per_1000_words"]
Normalize = Literal["row", "column", "all", "group"] | None

#: Counting units of a behaviour in a group (see the module docstring).
UNITS: tuple[str, ...] = ("segments", "interviews", "informants", "per_1000_words")

#: Normalisations of :func:`site_matrix` (``None`` keeps the counts).
NORMALIZATIONS: tuple[str | None, ...] = (None, "row", "column", "all", "group")

#: Where a site's value falls among its peers (:func:`site_vs_peers`).
BANDS: tuple[str, ...] = (
    "below the peers' 25th percentile",
    "middle half of the peers",
    "above the peers' 75th percentile",
)

_UNIT_TEXT = {
    "segments": "coded segments",
    "interviews": "interviews mentioning it",
    "informants": "informants mentioning it",
    "per_1000_words": "coded segments per 1,000 words",
}

_UNIT_COLUMN = {"interviews": "interview_id", "informants": "informant_id"}

#: What a quote shows in place of a role that could identify its speaker: the one
#: label, :data:`leadlib.deidentify.WITHHELD_ROLE`, under the name compare has used.
ROLE_WITHHELD = WITHHELD_ROLE

#: What a hidden count shows in :func:`meta_matrix_html`.
SUPPRESSED = "suppressed"


# ---------------------------------------------------------------------------
# Tables kept in attrs


class _WholeEquality:
    """Equality with another table of the same kind is one bool (``DataFrame.equals``).

    pandas compares the ``attrs`` of the pieces it puts together (``concat``,
    ``merge``, ``melt``, ``astype`` to an extension dtype...) with ``==`` and
    asks for the truth of the result, which a plain DataFrame refuses; so a
    table carrying a plain DataFrame in its ``attrs`` breaks those everyday
    operations. Tables kept in ``attrs`` compare as a whole with each other
    and element by element with anything else (``support < 3`` is a boolean
    table as usual).
    """

    def __eq__(self, other):
        if isinstance(other, _WholeEquality):
            return type(self) is type(other) and self.shape == other.shape and bool(self.equals(other))
        return super().__eq__(other)

    def __ne__(self, other):
        if isinstance(other, _WholeEquality):
            return not self.__eq__(other)
        return super().__ne__(other)

    __hash__ = None


class Support(_WholeEquality, pd.DataFrame):
    """``attrs["support"]``: the distinct informants behind each cell of a table.

    A DataFrame with the table's labels (what :func:`leadlib.disclosure.suppress`
    reads); it differs from a plain one only in that ``support_a ==
    support_b`` between two of them is a single bool (use ``.eq`` for the
    element-wise comparison), so that pandas can compare ``attrs``.
    """

    @property
    def _constructor(self):
        return Support

    @property
    def _constructor_sliced(self):
        return Sizes


class Sizes(_WholeEquality, pd.Series):
    """``attrs["n"]``: each group's size in the counting unit (a Series; see :class:`Support`)."""

    @property
    def _constructor(self):
        return Sizes

    @property
    def _constructor_expanddim(self):
        return Support


# ---------------------------------------------------------------------------
# Argument checks (programmer errors: ValueError)


def _check_choice(name: str, value: Any, choices: Iterable[Any]) -> None:
    choices = tuple(choices)
    if value not in choices:
        shown = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {value!r}: use one of {shown}")


def _require(frame: Any, columns: Iterable[str], *, function: str, argument: str = "frame") -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(
            f"{function}: {argument} must be a pandas DataFrame (e.g. study.frame()), not {type(frame).__name__}"
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{function}: {argument} has no column {missing[0]!r}; columns present: "
            + ", ".join(map(str, frame.columns[:25]))
            + (" ..." if len(frame.columns) > 25 else "")
        )


def _group_noun(by: str) -> str:
    if by == "site_id":
        return "site"
    if by in ("interview_id", "informant_id"):
        return by[:-3]
    return schema.label(by).lower()


def unit_label(unit: str, normalize: str | None = None, *, by: str = "site_id") -> str:
    """How a table's values were counted, in words, for titles and axis labels.

    Parameters
    ----------
    unit
        One of :data:`UNITS`.
    normalize
        One of :data:`NORMALIZATIONS`.
    by
        Column the rows group by (names the group in the text).

    Examples
    --------
    >>> unit_label("interviews", "group")
    "interviews mentioning it (share of the site's interviews)"
    """
    _check_choice("unit", unit, UNITS)
    _check_choice("normalize", normalize, NORMALIZATIONS)
    base = _UNIT_TEXT[unit]
    noun = _group_noun(by)
    if normalize is None:
        return base
    if normalize == "row":
        return f"{base} (share of the {noun}'s total across the columns)"
    if normalize == "column":
        return f"{base} (share of the column total)"
    if normalize == "all":
        return f"{base} (share of the grand total)"
    whole = {"segments": "coded segments", "interviews": "interviews", "informants": "informants"}[unit]
    return f"{base} (share of the {noun}'s {whole})"


# ---------------------------------------------------------------------------
# Scope: the interviews a count could come from


def interview_table(study: Study) -> pd.DataFrame:
    """Every interview of a study with its informant's and site's attributes.

    One row per interview: the interviews table joined to the informant
    (``role``, ``leader_type``, ``leader_level``) and the site (``site_name``,
    ``setting`` and further site attributes), with the same column names as
    :meth:`Study.frame`, so it can serve as the ``interviews=`` scope of any
    grouping the frame allows.
    """
    informants = study.informants[["informant_id", "role", "leader_type", "leader_level"]]
    site_cols = [
        c
        for c in study.sites.columns
        if c not in ("staff_fte", "annual_patients", "visit_date", "organization", "region")
    ]
    sites = study.sites[site_cols].rename(columns={"name": "site_name"})
    out = study.interviews.merge(informants, on="informant_id", how="left", validate="many_to_one")
    out = out.merge(sites, on="site_id", how="left", validate="many_to_one")
    return out


def _scope(interviews: Any, *, by: str, frame: pd.DataFrame, function: str) -> pd.DataFrame | None:
    """The interviews table given as scope, checked against the frame; None when not given."""
    if interviews is None:
        return None
    if hasattr(interviews, "interviews") and hasattr(interviews, "informants"):
        table = interview_table(interviews)
    elif isinstance(interviews, pd.DataFrame):
        table = interviews
    else:
        raise ValueError(
            f"{function}: interviews= must be a Study or an interviews table, not {type(interviews).__name__}"
        )
    if "interview_id" not in table.columns:
        raise ValueError(f"{function}: the interviews table has no 'interview_id' column")
    if by not in table.columns:
        raise ValueError(
            f"{function}: the interviews table has no {by!r} column to group by; pass the Study "
            f"(interviews=study), which joins informant and site attributes to every interview"
        )
    if "interview_id" in frame.columns:
        unknown = pd.Index(frame["interview_id"].dropna().unique()).difference(
            pd.Index(table["interview_id"].dropna().unique())
        )
        if len(unknown):
            raise ValueError(
                f"{function}: interview {unknown[0]!r} of the frame is not in the interviews table given as "
                f"scope ({len(unknown)} such interview(s)); pass the interviews the frame was drawn from"
            )
    return table


# ---------------------------------------------------------------------------
# Groups and columns, in a stable order


def _order(values: pd.Series, extra: pd.Series | None = None) -> list:
    """Distinct non-missing values: category order for categoricals, sorted otherwise."""
    present = pd.unique(values.dropna().astype(object))
    if extra is not None:
        present = pd.unique(np.concatenate([present, extra.dropna().astype(object).to_numpy()]))
    if isinstance(values.dtype, pd.CategoricalDtype):
        seen = set(present)
        return [c for c in values.cat.categories if c in seen]
    try:
        return sorted(present)
    except TypeError:  # mixed types: sort by their text
        return sorted(present, key=str)


def _columns(values: pd.Series, columns: Sequence | None) -> list:
    if columns is not None:
        return list(columns)
    if isinstance(values.dtype, pd.CategoricalDtype):
        # A vocabulary (e.g. the three processes) is always shown whole: a
        # process nobody mentioned is a finding, not a missing column.
        return list(values.cat.categories)
    return _order(values)


def _labels(frame: pd.DataFrame, of: str, values: Sequence) -> dict:
    """Display label of each column value."""
    known: dict = {}
    if of == "code_id" and "code_label" in frame.columns:
        pairs = frame[["code_id", "code_label"]].dropna().drop_duplicates("code_id")
        known = dict(zip(pairs["code_id"], pairs["code_label"]))
    out = {}
    for v in values:
        if v in known:
            out[v] = str(known[v])
        elif isinstance(v, str) and any(v in vocab for vocab in schema.VOCABULARIES.values()):
            out[v] = schema.label(v)
        else:
            out[v] = str(v)
    return out


def _count(rows: pd.DataFrame, by: str, of: str, unit: str, groups: list, values: list) -> pd.DataFrame:
    keys = [rows[by].astype(object), rows[of].astype(object)]
    if unit in ("segments", "per_1000_words"):
        counts = rows.groupby(keys, sort=False).size()
    else:
        counts = rows.groupby(keys, sort=False)[_UNIT_COLUMN[unit]].nunique()
    return _grid(counts, groups, values)


def _grid(counts: pd.Series, groups: list, values: list) -> pd.DataFrame:
    table = counts.unstack(fill_value=0) if len(counts) else pd.DataFrame()
    table = table.reindex(index=groups, columns=values, fill_value=0).fillna(0)
    return table.astype("int64")


def _named(table: pd.DataFrame, by: str, of: str) -> pd.DataFrame:
    table.index = pd.Index(list(table.index), name=by, dtype=object)
    table.columns = pd.Index(list(table.columns), name=of, dtype=object)
    return table


# ---------------------------------------------------------------------------
# The site matrix


def site_matrix(
    frame: pd.DataFrame,
    *,
    by: str = "site_id",
    of: str = "code_id",
    unit: Unit = "segments",
    normalize: Normalize = None,
    interviews: Study | pd.DataFrame | None = None,
    groups: Sequence | None = None,
    columns: Sequence | None = None,
) -> pd.DataFrame:
    """How much of each behaviour each group shows: groups x behaviours.

    Every row of ``frame`` is counted: filter coders, sites or informants
    before (the frame of :meth:`Study.frame` holds the primary coding only).

    Parameters
    ----------
    frame
        Tidy analysis frame, one row per coding (:meth:`Study.frame`). Needs
        the ``by`` and ``of`` columns and ``informant_id`` (the support of
        each cell); ``interview_id`` for interviews and words.
    by
        Column whose values are the rows: ``"site_id"``, ``"setting"``,
        ``"role"``, ``"leader_type"``, ``"leader_level"``... Rows whose
        ``by`` is missing (e.g. ``leader_level`` of non-leaders) are left
        out. Every group of the frame is a row (also one with no coding of
        any column, which gets 0); with ``interviews`` given, every group of
        that scope too. Categorical columns keep their category order, other
        values are sorted.
    of
        Column whose values are the columns: ``"code_id"`` (codes and
        sub-codes as coded), ``"code_parent"`` (sub-codes rolled up to their
        parent), ``"process"`` (the three processes of leading). Rows whose
        ``of`` is missing (success-characteristic codings when
        ``of="process"``) count for no column but still define groups and
        denominators, so prefer counting on the whole frame and selecting
        columns afterwards. A categorical ``of`` shows every category.
    unit
        ``"segments"`` (codings), ``"interviews"`` (interviews mentioning
        it at least once), ``"informants"`` (distinct informants mentioning
        it) or ``"per_1000_words"`` (codings per 1,000 words of all the
        group's interviews in ``interviews``; an interview without a word
        count is left out of both, with a warning).
    normalize
        ``None`` (the values), ``"row"`` (each row divided by its total),
        ``"column"`` (each column by its total), ``"all"`` (by the grand
        total), or ``"group"`` (by the group's own number of units: share of
        the group's codings, of its interviews, of its informants; the last
        two need ``interviews``). A zero total gives 0, not NaN.
    interviews
        The scope of the counts: a :class:`~leadlib.Study` (every interview,
        with informant and site attributes) or an interviews table with
        ``interview_id``, ``n_words`` and the ``by`` column, filtered like the
        frame's informants and sites. Required by ``"per_1000_words"`` and by
        ``normalize="group"`` with interviews or informants: the frame alone
        does not know the interviews without a coding among its rows.
    groups, columns
        Rows and columns to show, in this order (default: as above).

    Returns
    -------
    DataFrame
        Groups x behaviours, integers for counts, floats for rates and
        shares. ``attrs``: ``unit``, ``normalize``, ``by``, ``of``,
        ``unit_label`` (text for a figure), ``labels`` (display label of
        each column), ``n`` (Series: each group's size in the unit: codings,
        interviews, informants, or words for ``per_1000_words``) and
        ``support`` (DataFrame of the same shape: distinct informants behind
        each cell, what disclosure control reads). For ``per_1000_words``
        also ``without_words``: the interviews of the scope left out for
        want of a word count.

    Warns
    -----
    UserWarning
        ``per_1000_words`` with interviews that have no word count (no
        transcript): they are left out of the numerator and the
        denominator alike, and counted in the warning.

    Raises
    ------
    ValueError
        Unknown ``unit`` / ``normalize``, a missing column, a missing
        ``interviews`` scope where one is needed.
    LeadlibDataError
        A group with no words in any of its interviews, for
        ``per_1000_words``.

    Notes
    -----
    ``support`` and ``n`` are a :class:`Support` DataFrame and a
    :class:`Sizes` Series, which pandas can compare when it combines tables
    (``concat``, ``merge``, ``melt``...): a plain DataFrame in ``attrs``
    would make those operations fail.
    """
    _check_choice("unit", unit, UNITS)
    _check_choice("normalize", normalize, NORMALIZATIONS)
    needed = [by, of, "informant_id"]
    if unit in ("interviews", "per_1000_words") or interviews is not None:
        needed.append("interview_id")
    _require(frame, dict.fromkeys(needed), function="site_matrix")
    if unit == "per_1000_words" and normalize == "group":
        raise ValueError(
            "site_matrix: per_1000_words is already a rate; normalize='group' does not apply "
            "(use None, 'row', 'column' or 'all')"
        )
    scope = _scope(interviews, by=by, frame=frame, function="site_matrix")
    if scope is None and (unit == "per_1000_words" or (normalize == "group" and unit != "segments")):
        what = "words" if unit == "per_1000_words" else unit
        raise ValueError(
            f"site_matrix: counting {what} of each group needs every interview in scope, including those "
            f"with no coding in the frame; pass interviews=study (or an interviews table)"
        )

    if groups is None:
        groups = _order(frame[by], scope[by] if scope is not None else None)
    else:
        groups = list(groups)
    values = _columns(frame[of], columns)
    without_words: list = []
    if unit == "per_1000_words":
        # An interview without a word count (no transcript) cannot add its words to the denominator, so its
        # codings must not enter the numerator either: both leave it out, or the rate is inflated.
        scope, without_words = _with_words(scope)
        frame = frame[~frame["interview_id"].isin(without_words)]
    rows = frame[frame[by].notna() & frame[of].notna()]

    counts = _count(rows, by, of, unit, groups, values)
    support = _named(_count(rows, by, of, "informants", groups, values), by, of)

    # Size of each group in the unit (the "group" denominator and attrs["n"]).
    in_group = frame[frame[by].notna()]
    group_key = in_group[by].astype(object)
    if unit == "segments":
        size = in_group.groupby(group_key).size()
    elif scope is not None:
        scope_key = scope[by].astype(object)
        if unit == "per_1000_words":
            size = _words(scope, scope_key)
        else:
            size = scope.groupby(scope_key)[_UNIT_COLUMN[unit]].nunique()
    else:
        size = in_group.groupby(group_key)[_UNIT_COLUMN[unit]].nunique()
    size = size.reindex(groups, fill_value=0)
    size.index = pd.Index(list(size.index), name=by, dtype=object)

    table = counts.astype(float) if unit == "per_1000_words" else counts
    if unit == "per_1000_words":
        empty = size[size <= 0]
        if len(empty):
            raise LeadlibDataError(
                f"{_group_noun(by)} {empty.index[0]!r} has no words in its interviews, so segments per "
                f"1,000 words cannot be computed",
                column="n_words",
                value=empty.index[0],
                hint="fill interviews.n_words (computed from the transcripts when there are any), leave the "
                "group out, or count in another unit",
            )
        table = table.div(size.to_numpy(dtype=float), axis=0) * 1000.0

    table = _normalized(table, normalize, size)
    table = _named(table, by, of)
    table.attrs = {
        "unit": unit,
        "normalize": normalize,
        "by": by,
        "of": of,
        "unit_label": unit_label(unit, normalize, by=by),
        "labels": _labels(frame, of, values),
        "n": Sizes(size.astype(float if unit == "per_1000_words" else "int64")),
        "support": Support(support),
    }
    if unit == "per_1000_words":
        table.attrs["without_words"] = list(without_words)
    return table


def _with_words(scope: pd.DataFrame) -> tuple[pd.DataFrame, list]:
    """The interviews of the scope that have a word count, and the IDs of those left out (with a warning)."""
    if "n_words" not in scope.columns:
        raise ValueError("site_matrix: the interviews table has no 'n_words' column for per_1000_words")
    missing = pd.to_numeric(scope["n_words"], errors="coerce").isna()
    if not missing.any():
        return scope, []
    left_out = list(pd.unique(scope.loc[missing, "interview_id"].astype(object)))
    shown = ", ".join(map(str, left_out[:5])) + (" ..." if len(left_out) > 5 else "")
    warnings.warn(
        f"site_matrix: {len(left_out)} interview(s) have no word count (no transcript) and are left out of "
        f"segments per 1,000 words, their codings as well as their words: {shown}. They are listed in "
        f"attrs['without_words']; fill interviews.n_words to count them",
        UserWarning,
        stacklevel=3,
    )
    return scope[~missing], left_out


def _words(scope: pd.DataFrame, key: pd.Series) -> pd.Series:
    # _with_words has left out the interviews without a word count
    return pd.to_numeric(scope["n_words"], errors="coerce").astype(float).groupby(key).sum()


def _normalized(table: pd.DataFrame, normalize: str | None, size: pd.Series) -> pd.DataFrame:
    if normalize is None:
        return table
    values = table.to_numpy(dtype=float)
    if normalize == "row":
        denominator = values.sum(axis=1, keepdims=True)
    elif normalize == "column":
        denominator = values.sum(axis=0, keepdims=True)
    elif normalize == "all":
        denominator = np.array([[values.sum()]])
    else:
        denominator = size.to_numpy(dtype=float)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(denominator > 0, values / np.where(denominator > 0, denominator, 1.0), 0.0)
    return pd.DataFrame(shares, index=table.index, columns=table.columns)


def across_units(
    frame: pd.DataFrame,
    *,
    by: str = "site_id",
    of: str = "process",
    units: Sequence[str] = UNITS,
    normalize: Normalize = None,
    interviews: Study | pd.DataFrame | None = None,
    columns: Sequence | None = None,
) -> pd.DataFrame:
    """The same site matrix under several counting units, side by side.

    Parameters
    ----------
    frame, by, of, normalize, interviews, columns
        As :func:`site_matrix` (``interviews`` is needed for
        ``per_1000_words`` and for ``normalize="group"``).
    units
        Counting units to put side by side, in this order.

    Returns
    -------
    DataFrame
        Groups x (unit, behaviour): a two-level column index whose first
        level is the unit. ``attrs``: ``units``, ``by``, ``of``,
        ``normalize``, ``labels``, ``unit_label`` per unit (dict) and
        ``support`` (same shape: distinct informants behind each cell).
    """
    for unit in units:
        _check_choice("unit", unit, UNITS)
    if not units:
        raise ValueError("across_units: give at least one unit")
    tables = {}
    for unit in units:
        norm = None if (normalize == "group" and unit == "per_1000_words") else normalize
        tables[unit] = site_matrix(
            frame, by=by, of=of, unit=unit, normalize=norm, interviews=interviews, columns=columns
        )
    first = tables[units[0]]
    index = first.index
    labels = first.attrs["labels"]
    blocks, supports = {}, {}
    unit_labels = {u: t.attrs["unit_label"] for u, t in tables.items()}
    for unit, table in tables.items():
        # Build from plain copies: concatenating frames whose attrs hold
        # DataFrames makes pandas compare those attrs and fail.
        support = table.attrs["support"]
        table = table.copy()
        table.attrs = {}
        blocks[unit] = table
        supports[unit] = pd.DataFrame(support.to_numpy(), index=index, columns=support.columns)
    out = pd.concat(blocks, axis=1, names=["unit", of])
    support = pd.concat(supports, axis=1, names=["unit", of])
    out.attrs = {
        "units": list(units),
        "by": by,
        "of": of,
        "normalize": normalize,
        "labels": labels,
        "unit_label": unit_labels,
        "support": Support(support),
    }
    return out


# ---------------------------------------------------------------------------
# Process profile


def process_profile(
    frame: pd.DataFrame,
    *,
    by: str = "site_id",
    unit: Literal["segments", "interviews", "informants"] = "segments",
) -> pd.DataFrame:
    """Each group's shares of the three processes of leading.

    Parameters
    ----------
    frame
        Tidy analysis frame with a ``process`` column (:meth:`Study.frame`).
        Codings of no process (success characteristics) are not counted.
    by
        Grouping column: ``"site_id"``, ``"leader_type"`` (formal / informal
        / none), ``"leader_level"`` (micro / meso / macro), ``"setting"``...
    unit
        ``"segments"``, ``"interviews"`` or ``"informants"`` (see
        :func:`site_matrix`). Segments per 1,000 words give the same shares as
        segments (one denominator per group), so that unit is not offered.

    Returns
    -------
    DataFrame
        One row per group, exactly three columns in the order of
        :data:`leadlib.schema.PROCESSES`, each row summing to 1. A group with
        no process coding has NaN shares (no profile). ``attrs``: ``unit``,
        ``normalize="row"``, ``by``, ``of="process"``, ``unit_label``,
        ``labels``, ``n`` (Series: the group's process codings for segments;
        its distinct interviews / informants with any process coding
        otherwise) and ``support`` (distinct informants behind each cell).
    """
    _check_choice("unit", unit, ("segments", "interviews", "informants"))
    _require(frame, dict.fromkeys([by, "process", "informant_id"]), function="process_profile")
    counts = site_matrix(frame, by=by, of="process", unit=unit, columns=list(schema.PROCESSES))
    support = counts.attrs["support"]
    leading = frame[frame[by].notna() & frame["process"].notna()]
    if unit == "segments":
        n = counts.sum(axis=1)
    else:
        n = leading.groupby(leading[by].astype(object))[_UNIT_COLUMN[unit]].nunique()
        n = n.reindex(counts.index, fill_value=0)
    totals = counts.sum(axis=1).astype(float)
    shares = counts.astype(float).div(totals.where(totals > 0), axis=0)
    shares.index.name, shares.columns.name = by, "process"
    n = n.astype("int64")
    n.index = pd.Index(list(counts.index), name=by, dtype=object)
    shares.attrs = {
        "unit": unit,
        "normalize": "row",
        "by": by,
        "of": "process",
        "unit_label": (
            f"share of the {_group_noun(by)}'s coded segments on the processes of leading"
            if unit == "segments"
            else f"{_UNIT_TEXT[unit]} (share of the {_group_noun(by)}'s total over the three processes)"
        ),
        "labels": {p: schema.label(p) for p in schema.PROCESSES},
        "n": Sizes(n),
        "support": Support(support),
    }
    return shares


# ---------------------------------------------------------------------------
# Quotes


@dataclass(frozen=True)
class Quote:
    """One verbatim excerpt, identified by role only.

    Attributes
    ----------
    text : str
        The coded text, given names redacted, and the words naming the role
        too where the role is withheld (:func:`leadlib.redact.redact_quote`).
    role : str or None
        Display label of the informant's role; None when withheld (too few
        informants with that role at the site to stay unrecognised).
    segment_id, informant_id, site_id : str
        Where it comes from (pseudonymous IDs, for the research team's audit
        trail; reports show the role).
    """

    text: str
    role: str | None
    segment_id: str
    informant_id: str
    site_id: str

    @property
    def attribution(self) -> str:
        return self.role if self.role is not None else ROLE_WITHHELD


@dataclass(frozen=True)
class MetaCell:
    """A cell of a meta-matrix: how much, and what it sounds like."""

    count: float
    quotes: tuple[Quote, ...] = ()
    support: int = 0

    def __str__(self) -> str:
        count = f"{self.count:g}"
        return count if not self.quotes else f"{count} ({len(self.quotes)} quote{'s' * (len(self.quotes) > 1)})"

    __repr__ = __str__


def _attribute(
    rows: pd.DataFrame, frame: pd.DataFrame, informants: Any, min_role_informants: int | None
) -> list[str | None]:
    """Role label of each quote, or None where the role is withheld.

    The rule is :func:`leadlib.disclosure.quote_roles` (the one the reports
    apply), counting informants per role at the quote's site in the study's
    informants table when given, else among the informants seen in ``frame``
    (fewer, so more roles are withheld: the safe side).
    """
    if informants is not None and hasattr(informants, "informants"):
        informants = informants.informants
    people = informants if informants is not None else frame
    _require(people, ("informant_id", "site_id", "role"), function="quotes", argument="informants")
    if rows.empty:
        return []
    roles = quote_roles(
        rows,
        informants=people[["informant_id", "site_id", "role"]],
        min_informants=int(min_role_informants or 0),
        withheld=None,
    )
    return [r if isinstance(r, str) else None for r in roles]


def _pick(rows: pd.DataFrame, k: int, rng: np.random.Generator) -> pd.DataFrame:
    """Up to k rows at random, with different texts, from as many different informants as possible."""
    if k <= 0 or rows.empty:
        return rows.iloc[:0]
    shuffled = rows.iloc[rng.permutation(len(rows))]
    # The same words twice (a phrase several people use, or a duplicate
    # coding) add nothing as exemplars.
    shuffled = shuffled[~shuffled["text"].duplicated()]
    first = ~shuffled["informant_id"].duplicated()
    ordered = pd.concat([shuffled[first], shuffled[~first]])
    return ordered.iloc[:k]


def _shown_texts(rows: pd.DataFrame, attributions: list[str | None]) -> list[str]:
    """The quotes' texts, redacted (:func:`leadlib.redact.redact_quote`): given names always, a withheld role's words.

    A colleague's first name has no place in a report: every shown quote has
    the given names of :data:`leadlib.redact.GIVEN_NAMES` replaced with
    ``[name]``. Where the role rule withholds a quote's role, its own words
    must not give the role back either ("As director of the department I
    ..."): they become ``[role]``; a shown role needs no such redaction.
    """
    roles = rows["role"].astype(object) if "role" in rows else [None] * len(rows)
    return [
        redact_names(str(text))
        if shown is not None
        else redact_quote(str(text), role=role if isinstance(role, str) else None, given_names=True)
        for text, shown, role in zip(rows["text"], attributions, roles)
    ]


def _quote_objects(rows: pd.DataFrame, attributions: list[str | None]) -> tuple[Quote, ...]:
    return tuple(
        Quote(text=t, role=a, segment_id=str(s), informant_id=str(i), site_id=str(site))
        for t, a, s, i, site in zip(
            _shown_texts(rows, attributions), attributions, rows["segment_id"], rows["informant_id"], rows["site_id"]
        )
    )


@renamed_keywords(rows="by", cols="of")
def meta_matrix(
    frame: pd.DataFrame,
    *,
    by: str = "site_id",
    of: str = "process",
    quotes_per_cell: int = 2,
    seed: int = 0,
    unit: Literal["segments", "interviews", "informants"] = "segments",
    show_quotes: bool = True,
    min_role_informants: int | None = 2,
    informants: Study | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A Miles and Huberman (1994) meta-matrix: counts with exemplar quotes.

    Parameters
    ----------
    frame
        Tidy analysis frame (:meth:`Study.frame`); needs ``by``, ``of``,
        ``informant_id``, ``site_id``, ``role``, ``segment_id`` and ``text``.
    by, of
        Columns whose values are the matrix's rows and columns (e.g.
        ``site_id`` x ``process``, ``setting`` x ``code_id``), as in
        :func:`site_matrix`. Formerly ``rows=`` and ``cols=``, still accepted
        with a :class:`DeprecationWarning`.
    quotes_per_cell
        Up to this many exemplar quotes per cell, drawn at random (seeded),
        with different texts, from different informants where the cell has
        several.
    seed
        Seed of the draw: the same seed gives the same quotes.
    unit
        What the count of a cell counts (see :func:`site_matrix`).
    show_quotes
        False: counts only, no verbatim text (reports shared outside the
        research team).
    min_role_informants
        A quote's role is withheld when fewer than this many informants with
        that role belong to its site (a single nurse manager is recognisable
        to colleagues). ``None`` or 0 always shows the role.
    informants
        The study (or its informants table) to count informants per role;
        default: informants seen in ``frame``, which can only count fewer and
        so errs on the side of withholding.

    Returns
    -------
    DataFrame
        ``by`` x ``of`` of :class:`MetaCell` (count, quotes, support).
        ``attrs`` as :func:`site_matrix` (``unit``, ``by``, ``of``,
        ``labels``, ``support``...) plus ``quotes_per_cell``, ``seed``,
        ``show_quotes``, ``min_role_informants``. Render it with
        :func:`meta_matrix_html`.
    """
    if not isinstance(quotes_per_cell, (int, np.integer)) or quotes_per_cell < 0:
        raise ValueError(f"meta_matrix: quotes_per_cell must be a whole number >= 0, not {quotes_per_cell!r}")
    needed = [by, of, "informant_id", "site_id", "role"]
    if show_quotes and quotes_per_cell:
        needed += ["segment_id", "text"]
    _require(frame, dict.fromkeys(needed), function="meta_matrix")
    counts = site_matrix(frame, by=by, of=of, unit=unit)
    support = counts.attrs["support"]
    rng = np.random.default_rng(seed)
    body = frame[frame[by].notna() & frame[of].notna()]
    cells = {(r, c): g for (r, c), g in body.groupby([body[by].astype(object), body[of].astype(object)], sort=False)}
    data = {}
    for c in counts.columns:
        column = []
        for r in counts.index:
            quotes_here: tuple[Quote, ...] = ()
            if show_quotes and quotes_per_cell and (r, c) in cells:
                chosen = _pick(cells[(r, c)], int(quotes_per_cell), rng)
                quotes_here = _quote_objects(chosen, _attribute(chosen, frame, informants, min_role_informants))
            column.append(MetaCell(count=counts.at[r, c].item(), quotes=quotes_here, support=int(support.at[r, c])))
        data[c] = column
    out = pd.DataFrame(data, index=counts.index, columns=counts.columns, dtype=object)
    out.attrs = dict(counts.attrs)
    out.attrs.update(
        quotes_per_cell=int(quotes_per_cell),
        seed=seed,
        show_quotes=bool(show_quotes),
        min_role_informants=min_role_informants,
    )
    return out


def meta_matrix_html(
    matrix: pd.DataFrame,
    *,
    max_chars: int | None = None,
    show_ids: bool = False,
    row_labels: Mapping | None = None,
    caption: str | None = None,
    hidden: pd.DataFrame | None = None,
) -> str:
    """Render a :func:`meta_matrix` as an HTML table; every text is escaped.

    Parameters
    ----------
    matrix
        The result of :func:`meta_matrix`.
    max_chars
        Shorten quotes longer than this (at a word boundary, with an ellipsis).
    show_ids
        Also print each quote's informant ID (for the research team only).
    row_labels
        Display labels of the rows (e.g. site names); default: the row values.
    caption
        Table caption; default: what the counts count.
    hidden
        Boolean table (same labels): cells whose count is not shown, e.g.
        ``leadlib.disclosure.suppress(counts, min_n=3).attrs["suppressed"]``
        (small-number disclosure control). Their quotes follow the role rule
        as everywhere.
    """
    if not isinstance(matrix, pd.DataFrame):
        raise ValueError("meta_matrix_html: pass the DataFrame returned by meta_matrix()")
    labels = matrix.attrs.get("labels", {})
    row_labels = dict(row_labels or {})
    unit = matrix.attrs.get("unit_label", "count")
    esc = html.escape
    if caption is None:
        caption = f"Counts: {unit}."
        if matrix.attrs.get("show_quotes", True) and matrix.attrs.get("quotes_per_cell", 0):
            k = matrix.attrs["quotes_per_cell"]
            caption += (
                f" Up to {k} exemplar quote{'s' if k > 1 else ''} per cell, drawn at random "
                f"(seed {matrix.attrs.get('seed', 0)}), each with its speaker's role."
            )
    parts = [
        '<table class="leadlib-meta-matrix" style="border-collapse:collapse;font-size:0.9em">',
        f'<caption style="caption-side:top;text-align:left">{esc(caption)}</caption>',
        "<thead><tr><th></th>",
    ]
    parts += [f'<th style="text-align:left;padding:4px">{esc(str(labels.get(c, c)))}</th>' for c in matrix.columns]
    parts.append("</tr></thead><tbody>")
    for r in matrix.index:
        parts.append(
            f'<tr><th style="text-align:left;vertical-align:top;padding:4px">{esc(str(row_labels.get(r, r)))}</th>'
        )
        for c in matrix.columns:
            cell = matrix.at[r, c]
            count = cell.count if isinstance(cell, MetaCell) else cell
            shown = SUPPRESSED if hidden is not None and bool(hidden.at[r, c]) else _fmt(count)
            inner = [f'<div class="count" style="font-weight:bold">{esc(shown)}</div>']
            for q in getattr(cell, "quotes", ()):
                text = _shorten(q.text, max_chars)
                who = q.attribution + (f", {q.informant_id}" if show_ids else "")
                inner.append(
                    f'<blockquote style="margin:4px 0 4px 8px">&ldquo;{esc(text)}&rdquo; '
                    f'<span class="role" style="color:#555">&mdash; {esc(who)}</span></blockquote>'
                )
            parts.append(
                '<td style="vertical-align:top;padding:4px;border-top:1px solid #ccc">' + "".join(inner) + "</td>"
            )
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _fmt(value: Any) -> str:
    if isinstance(value, (float, np.floating)) and not float(value).is_integer():
        return f"{value:.3g}"
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return f"{int(value)}" if isinstance(value, (int, float, np.integer, np.floating)) else str(value)


def _shorten(text: str, max_chars: int | None) -> str:
    if max_chars is None or len(text) <= max_chars:
        return text
    cut = text[:max_chars].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + " …"


def quotes(
    frame: pd.DataFrame,
    *,
    where: Mapping[str, Any] | None = None,
    n: int | None = 5,
    seed: int = 0,
    min_role_informants: int | None = 2,
    informants: Study | pd.DataFrame | None = None,
    show_ids: bool = False,
) -> pd.DataFrame:
    """Browse verbatim quotes: a seeded sample of the codings that match.

    Parameters
    ----------
    frame
        Tidy analysis frame (:meth:`Study.frame`).
    where
        Column -> value (or list of values) to keep, e.g.
        ``{"site_id": "S07", "code_id": "RR.debrief"}``.
    n
        At most this many quotes (drawn at random, seeded, each text once,
        from different informants first); ``None`` for all, in frame order.
    seed
        Seed of the draw.
    min_role_informants, informants
        The role rule of :func:`meta_matrix`.
    show_ids
        Add the ``segment_id`` (for the research team's audit trail). Off by
        default: a segment ID names its interview, so it would let a reader
        link the quotes of one person and undo a withheld role.

    Returns
    -------
    DataFrame
        ``site_id``, ``code_id``, ``code_label``, ``process``, ``role``
        (display label, or :data:`ROLE_WITHHELD`) and ``text`` (and
        ``segment_id`` first with ``show_ids``); never an informant's ID.
        Every text has its given names redacted ("[name] asked me",
        :data:`leadlib.redact.GIVEN_NAMES`); where the role is withheld, the
        words of the text that name it are redacted too
        (:func:`leadlib.redact.redact_quote`): "As [role] I ...".
    """
    _require(frame, ("segment_id", "site_id", "informant_id", "role", "text"), function="quotes")
    rows = frame
    for column, value in dict(where or {}).items():
        _require(frame, (column,), function="quotes", argument="where")
        wanted = list(value) if isinstance(value, (list, tuple, set, pd.Index, np.ndarray)) else [value]
        rows = rows[rows[column].isin(wanted)]
    if n is not None:
        rows = _pick(rows, int(n), np.random.default_rng(seed))
    who = _attribute(rows, frame, informants, min_role_informants)
    out = pd.DataFrame(
        {
            "site_id": rows["site_id"].to_numpy(),
            "code_id": rows["code_id"].to_numpy() if "code_id" in rows else None,
            "code_label": rows["code_label"].to_numpy() if "code_label" in rows else None,
            "process": [schema.label(p) if isinstance(p, str) else "" for p in rows["process"].astype(object)]
            if "process" in rows
            else "",
            "role": [w if w is not None else ROLE_WITHHELD for w in who],
            "text": _shown_texts(rows, who),
        }
    )
    if show_ids:
        out.insert(0, "segment_id", rows["segment_id"].to_numpy())
    return out


# ---------------------------------------------------------------------------
# Co-occurrence


def cooccurrence(
    frame: pd.DataFrame,
    *,
    level: Literal["segment", "interview"] = "segment",
    codes: Sequence | None = None,
) -> pd.DataFrame:
    """How often two codes occur together: a symmetric code x code table.

    Parameters
    ----------
    frame
        Tidy analysis frame (``code_id``, ``interview_id``; for the segment
        level also ``coder``, ``start``, ``end``, ``segment_id``).
    level
        ``"segment"``: cell [A, B] counts the pairs of one coding of A and
        one of B by the same coder in the same interview whose spans overlap
        (share at least one character); the diagonal counts the codings of
        A. ``"interview"``: cell [A, B] counts the interviews coded with
        both; the diagonal, the interviews coded with A.
    codes
        Codes to show, in this order (default: every code of the frame,
        sorted). Codes with no co-occurrence still appear.

    Returns
    -------
    DataFrame
        Integer counts, symmetric. ``attrs``: ``level``, ``unit``,
        ``unit_label``, ``labels``.
    """
    _check_choice("level", level, ("segment", "interview"))
    needed = ["code_id", "interview_id"] + (["coder", "start", "end", "segment_id"] if level == "segment" else [])
    _require(frame, needed, function="cooccurrence")
    rows = frame[frame["code_id"].notna()]
    order = list(codes) if codes is not None else _order(rows["code_id"])
    rows = rows[rows["code_id"].isin(order)]
    code = rows["code_id"].astype(object)
    if level == "interview":
        present = pd.crosstab(rows["interview_id"].astype(object), code).clip(upper=1)
        table = present.T @ present
        diagonal = np.diag(table.reindex(index=order, columns=order, fill_value=0).to_numpy()).copy()
        unit = "interviews"
    else:
        left = pd.DataFrame(
            {
                "interview": rows["interview_id"].astype(object).to_numpy(),
                "coder": rows["coder"].astype(object).to_numpy(),
                "segment": rows["segment_id"].astype(object).to_numpy(),
                "code": code.to_numpy(),
                "start": pd.to_numeric(rows["start"]).to_numpy(dtype=float),
                "end": pd.to_numeric(rows["end"]).to_numpy(dtype=float),
            }
        )
        pairs = left.merge(left, on=["interview", "coder"], suffixes=("_a", "_b"))
        # Half-open spans [start, end) overlap when each starts before the other ends.
        overlap = (
            (pairs["start_a"] < pairs["end_b"])
            & (pairs["start_b"] < pairs["end_a"])
            & (pairs["segment_a"] != pairs["segment_b"])
            & (pairs["code_a"] != pairs["code_b"])
        )
        pairs = pairs[overlap]
        table = pairs.groupby(["code_a", "code_b"]).size().unstack(fill_value=0)
        diagonal = left["code"].value_counts().reindex(order, fill_value=0).to_numpy()
        unit = "pairs of overlapping codings"
    table = table.reindex(index=order, columns=order, fill_value=0).fillna(0).astype("int64")
    values = table.to_numpy().copy()
    np.fill_diagonal(values, diagonal)
    out = pd.DataFrame(
        values,
        index=pd.Index(order, name="code_id", dtype=object),
        columns=pd.Index(order, name="code_id", dtype=object),
    )
    out.attrs = {
        "level": level,
        "unit": unit,
        "unit_label": (
            "interviews coded with both (diagonal: interviews with the code)"
            if level == "interview"
            else "overlapping codings by the same coder (diagonal: codings of the code)"
        ),
        "labels": _labels(frame, "code_id", order),
    }
    return out


# ---------------------------------------------------------------------------
# A site among its peers


@renamed_keywords(site="by")
def site_vs_peers(
    frame: pd.DataFrame,
    site_id: str,
    *,
    by: str = "site_id",
    of: str = "code_id",
    unit: Unit = "segments",
    normalize: Normalize = "row",
    interviews: Study | pd.DataFrame | None = None,
    behaviours: Sequence | None = None,
) -> pd.DataFrame:
    """A site's value of each behaviour beside the distribution of the other sites.

    No rank: a rank among 20 high-performing sites says little and invites
    league tables. The site is placed in a band of its peers' distribution
    (below their 25th percentile, the middle half, above their 75th), next to
    their median, quartiles and range.

    Parameters
    ----------
    frame
        Tidy analysis frame of every site to compare (:meth:`Study.frame`).
    site_id
        The site the report is for: a value of the ``by`` column.
    by
        Column identifying the site (the rows of :func:`site_matrix`),
        ``"site_id"`` by default. Formerly ``site=``, still accepted with a
        :class:`DeprecationWarning`.
    of, unit, normalize, interviews
        What is counted and how (see :func:`site_matrix`). The default, each
        behaviour's share of the site's codings (``unit="segments",
        normalize="row"``), is fair to sites of different sizes and needs
        nothing but the frame; ``unit="interviews", normalize="group"`` (share
        of the site's interviews mentioning it) and ``"per_1000_words"`` need
        ``interviews=study``.
    behaviours
        Values of ``of`` to show, in this order (default: all columns).

    Returns
    -------
    DataFrame
        One row per behaviour: ``of`` value, ``label``, ``site_value``,
        ``site_support`` (distinct informants of the site behind it),
        ``n_peers``, ``peer_min``, ``peer_q1``, ``peer_median``, ``peer_q3``,
        ``peer_max`` (quartiles by linear interpolation, pandas' default)
        and ``band`` (ordered categorical of :data:`BANDS`; a value equal to
        a quartile is in the middle half). ``attrs``: ``site_id``, ``unit``,
        ``normalize``, ``of``, ``unit_label``, ``n_peers``.
    """
    matrix = site_matrix(frame, by=by, of=of, unit=unit, normalize=normalize, interviews=interviews, columns=behaviours)
    if site_id not in matrix.index:
        known = ", ".join(map(str, matrix.index[:10])) + (" ..." if len(matrix.index) > 10 else "")
        raise LeadlibDataError(
            f"site {site_id!r} is not in the data",
            column=by,
            value=site_id,
            hint=f"use one of the study's sites: {known}",
        )
    mine = matrix.loc[site_id]
    peers = matrix.drop(index=site_id)
    stats = (
        pd.DataFrame(
            {
                "peer_min": peers.min(),
                "peer_q1": peers.quantile(0.25),
                "peer_median": peers.median(),
                "peer_q3": peers.quantile(0.75),
                "peer_max": peers.max(),
            }
        )
        if len(peers)
        else pd.DataFrame(
            np.nan, index=matrix.columns, columns=["peer_min", "peer_q1", "peer_median", "peer_q3", "peer_max"]
        )
    )
    band = np.where(mine < stats["peer_q1"], BANDS[0], np.where(mine > stats["peer_q3"], BANDS[2], BANDS[1]))
    if not len(peers):
        band = np.full(len(mine), None)
    labels = matrix.attrs["labels"]
    out = pd.DataFrame(
        {
            of: list(matrix.columns),
            "label": [labels.get(c, str(c)) for c in matrix.columns],
            "site_value": mine.to_numpy(dtype=float),
            "site_support": matrix.attrs["support"].loc[site_id].to_numpy(dtype="int64"),
            "n_peers": len(peers),
            **{k: stats[k].to_numpy(dtype=float) for k in stats.columns},
            "band": pd.Categorical(band, categories=list(BANDS), ordered=True),
        }
    )
    out.attrs = {
        "site_id": site_id,
        "unit": unit,
        "normalize": normalize,
        "of": of,
        "unit_label": matrix.attrs["unit_label"],
        "n_peers": len(peers),
    }
    return out


# ---------------------------------------------------------------------------
# CMAT ratings


def rating_distribution(survey: pd.DataFrame, *, by: str | Sequence[str] = "characteristic") -> pd.DataFrame:
    """How staff rated each characteristic on the CMAT: low / middle / high and "can't rate".

    Parameters
    ----------
    survey
        The tidy ``survey`` table (``respondent_id``, ``site_id``,
        ``characteristic``, ``rating`` 1 / 2 / 3 or empty for "can't rate").
    by
        Column(s) to group by, e.g. ``"characteristic"`` or
        ``["site_id", "characteristic"]``; categorical columns keep their
        order.

    Returns
    -------
    DataFrame
        One row per group: ``n`` (answers), ``n_rated``, ``n_cant_rate``,
        ``low``, ``middle``, ``high`` (shares of the answers that rated, sum
        1), ``cant_rate`` (share of all answers), ``mean`` (of the ratings
        given, 1-3). ``attrs["unit"] = "staff ratings"``.

    Raises
    ------
    LeadlibDataError
        A rating other than 1, 2, 3 or empty.
    """
    keys = [by] if isinstance(by, str) else list(by)
    _require(survey, keys + ["rating"], function="rating_distribution", argument="survey")
    rating = pd.to_numeric(survey["rating"], errors="coerce")
    bad = (rating.notna() & ~rating.isin([1, 2, 3])) | (rating.isna() & survey["rating"].notna())
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise LeadlibDataError(
            "a CMAT rating must be 1 (low), 2 (middle), 3 (high) or empty (can't rate)",
            row=i + 2,
            column="rating",
            value=survey["rating"].iloc[i],
            hint="recode the survey (the manifest's aliases map labels such as \"can't rate\" to empty)",
        )
    data = survey[keys].copy()
    data["rating"] = rating
    grouped = data.groupby(keys, observed=True, sort=True)["rating"]
    out = pd.DataFrame(
        {
            "n": grouped.size(),
            "n_rated": grouped.count(),
            "low": grouped.agg(lambda r: (r == 1).sum()),
            "middle": grouped.agg(lambda r: (r == 2).sum()),
            "high": grouped.agg(lambda r: (r == 3).sum()),
            "mean": grouped.mean(),
        }
    )
    out["n_cant_rate"] = out["n"] - out["n_rated"]
    rated = out["n_rated"].where(out["n_rated"] > 0)
    for level in ("low", "middle", "high"):
        out[level] = out[level] / rated
    out["cant_rate"] = out["n_cant_rate"] / out["n"]
    out = out[["n", "n_rated", "n_cant_rate", "low", "middle", "high", "cant_rate", "mean"]]
    out.attrs = {
        "unit": "staff ratings",
        "by": keys,
        "unit_label": "share of staff who rated it (can't rate: share of all answers)",
    }
    return out


# ---------------------------------------------------------------------------
# Who and what each site contributed


def site_summary(study: Study, *, coder: str | None = "primary") -> pd.DataFrame:
    """One row per site: its setting, the people interviewed, and what was coded.

    Parameters
    ----------
    study
        The study.
    coder
        Whose coding to count (as :meth:`Study.frame`): the primary coding by
        default.

    Returns
    -------
    DataFrame
        Indexed by ``site_id``: ``site_name``, ``setting``, ``informants``,
        ``formal_leaders``, ``informal_leaders``, ``interviews``, ``words``,
        ``coded_segments``, ``leading_segments`` (codings on one of the three
        processes) and ``cmat_respondents``. Sites without interviews or
        codings get 0. ``attrs["support"]`` covers the count columns: the
        distinct people behind each count (a count of people rests on those
        people; interview, word and coding counts on the site's informants),
        for disclosure control of ``summary[count columns]``.
    """
    sites = study.sites.set_index("site_id")
    index = pd.Index(list(sites.index), name="site_id", dtype=object)
    people = study.informants
    per_site = lambda frame, column=None: (  # noqa: E731
        (
            frame.groupby(frame["site_id"].astype(object)).size()
            if column is None
            else frame.groupby(frame["site_id"].astype(object))[column].nunique()
        )
        .reindex(index, fill_value=0)
        .astype("int64")
    )
    frame = study.frame(coder=coder)
    respondents = study.survey if len(study.survey) else pd.DataFrame({"site_id": [], "respondent_id": []})
    words = pd.to_numeric(study.interviews["n_words"], errors="coerce").fillna(0)
    out = pd.DataFrame(
        {
            "site_name": sites["name"].reindex(index).astype(object),
            "setting": sites["setting"]
            .reindex(index)
            .map(lambda v: schema.label(v) if isinstance(v, str) else v)
            .astype(object),
            "informants": per_site(people, "informant_id"),
            "formal_leaders": per_site(people[people["leader_type"] == "formal"], "informant_id"),
            "informal_leaders": per_site(people[people["leader_type"] == "informal"], "informant_id"),
            "interviews": per_site(study.interviews, "interview_id"),
            "words": words.groupby(study.interviews["site_id"].astype(object))
            .sum()
            .reindex(index, fill_value=0)
            .astype("int64"),
            "coded_segments": per_site(frame),
            "leading_segments": per_site(frame[frame["process"].notna()]),
            "cmat_respondents": per_site(respondents, "respondent_id"),
        },
        index=index,
    )
    counts = [c for c in out.columns if c not in ("site_name", "setting")]
    support = pd.DataFrame({c: out["informants"] for c in counts}, index=index)
    for column in ("formal_leaders", "informal_leaders", "cmat_respondents"):
        support[column] = out[column]
    out.attrs = {"support": Support(support), "unit": "sites", "by": "site_id"}
    return out


def with_labels(table: pd.DataFrame) -> pd.DataFrame:
    """The same table with display labels in place of codes and vocabulary values.

    Row and column labels found in ``table.attrs["labels"]`` (code labels
    recorded by :func:`site_matrix`) or in a vocabulary of
    :mod:`leadlib.schema` (``reviewing_reflecting`` -> "Reviewing and
    reflecting", ``formal`` -> "Formal") are replaced; others (site IDs,
    added columns) are kept. For display: ``attrs`` are dropped, since the
    support no longer matches the new labels.
    """
    labels = dict(table.attrs.get("labels", {}))
    vocabulary = set().union(*schema.VOCABULARIES.values())

    def show(value):
        if value in labels:
            return labels[value]
        if isinstance(value, str) and value in vocabulary:
            return schema.label(value)
        return value

    out = table.rename(index=show, columns=show)
    out.attrs = {}
    return out


def between_levels_share(
    frame: pd.DataFrame, *, by: str | Sequence[str] = "leader_level", code: str = schema.BETWEEN_LEVELS
) -> pd.DataFrame:
    """How much of each group's leading reaches between levels: the share of its leadership codings that carry
    ``code`` (leadlib's *Leading between levels*) on the same span.

    Parameters
    ----------
    frame
        Tidy analysis frame (:meth:`Study.frame`): the codings of one coder (by default the primary coder's).
    by
        Column(s) the rows group by, e.g. ``"leader_level"`` or ``["leader_type", "leader_level"]``; a missing
        value (staff have no level) is its own group, labelled ``"(none)"``.
    code
        The code that marks leading between levels.

    Returns
    -------
    DataFrame
        One row per group: ``informants``, ``leadership codings`` (codings of a process sub-code),
        ``between levels`` (those whose span is also coded ``code``) and ``share`` (their share, 0-1).

    Raises
    ------
    ValueError
        A column of ``by`` is not in ``frame``.
    """
    keys = [by] if isinstance(by, str) else list(by)
    missing = [k for k in [*keys, "process", "code_id", "interview_id", "start", "end"] if k not in frame.columns]
    if missing:
        raise ValueError(f"between_levels_share: the frame has no column {missing[0]!r}")
    span = ["interview_id", "start", "end"]
    lead = frame[frame["process"].notna()].copy()
    marked = pd.MultiIndex.from_frame(frame.loc[frame["code_id"] == code, span])
    lead["_between"] = pd.MultiIndex.from_frame(lead[span]).isin(marked)
    for k in keys:
        lead[k] = lead[k].astype(object).where(lead[k].notna(), "(none)")
    grouped = lead.groupby(keys, sort=True, observed=True)
    out = pd.DataFrame(
        {
            "informants": grouped["informant_id"].nunique(),
            "leadership codings": grouped.size(),
            "between levels": grouped["_between"].sum().astype(int),
        }
    )
    out["share"] = out["between levels"] / out["leadership codings"]
    return out
