"""Disclosure control for tables and quotes that leave the research team.

Three rules, each a tested function, so that a report cannot show what its
settings promise to hide:

- :func:`suppress`: a count or share resting on fewer than ``min_n``
  informants is hidden, with complementary suppression so that no hidden cell
  can be worked out from the row and column totals (or, for shares, from the
  fact that a row or column adds up to 1);
- :func:`quote_roles`: a quote is attributed to a role, never to a person,
  and a role that fewer than 2 informants hold at a site is withheld, since
  colleagues would know who said it;
- :func:`prepare_quotes` applies the role rule and ``show_quotes=False``
  (every verbatim quote removed); :func:`leaked_quotes` finds verbatim quote
  text in a rendered page, the check behind ``leadlib report --no-quotes``.

Small-number suppression follows the practice of health-statistics offices
(as in OpenSAFELY's ``redact_small_numbers``): a cell is hidden when the
number of distinct people behind it is above zero and below the threshold;
zeros are shown, because "nobody at this site mentioned it" discloses no
person's words.
"""

from __future__ import annotations

import html
import re
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "suppress",
    "quote_roles",
    "prepare_quotes",
    "leaked_quotes",
    "quote_ngrams",
    "WITHHELD_ROLE",
]

#: What a quote shows in place of a role that could identify its speaker.
WITHHELD_ROLE = "staff member (role withheld)"  # leadlib.compare.ROLE_WITHHELD uses the same words


# ---------------------------------------------------------------------------
# Small numbers


def suppress(
    table: pd.DataFrame | pd.Series,
    *,
    min_n: int | None,
    support: pd.DataFrame | pd.Series | None = None,
    marker: str | None = None,
) -> pd.DataFrame | pd.Series:
    """Hide cells resting on fewer than ``min_n`` informants, and enough others that they stay hidden.

    Parameters
    ----------
    table
        Counts or shares, one row per group (e.g. site) and one column per
        behaviour, *without* margins (totals are assumed to be public).
    min_n
        Smallest number of distinct informants a shown cell may rest on.
        ``None`` returns ``table`` unchanged (the analyst's own view).
    support
        Distinct informants behind each cell, same labels as ``table``.
        Default: ``table.attrs["support"]``, which :func:`leadlib.compare.site_matrix`
        records.
    marker
        ``None`` (default): hidden cells become missing (``NaN``, or ``<NA>``
        in integer columns), so the result still plots and computes.
        A string (e.g. ``"x"``): hidden cells show it, for display only.

    Returns
    -------
    DataFrame or Series
        A new table (the input is not changed). ``attrs["suppressed"]`` is a
        boolean table of the hidden cells, ``attrs["primary"]`` of those
        hidden for their own small support, ``attrs["min_n"]`` the threshold.

    Notes
    -----
    Primary suppression hides every cell with ``0 < support < min_n``.
    Complementary suppression then hides further cells until no hidden cell
    can be recovered exactly from the shown cells and the row and column
    totals. Seen as a graph whose vertices are rows and columns and whose
    edges are hidden cells, a hidden cell's value is determined by the totals
    exactly when its edge is a bridge (it lies on no cycle); so cells are
    added, cheapest first, until no hidden cell is a bridge: first one more
    cell in every row or column with a single hidden cell, then a cell
    joining the two sides of any remaining bridge. "Cheapest" means the
    fewest informants (non-zero cells before zeros, which would protect
    nothing), so the pattern depends only on ``support``: a table of counts
    and the table of shares made from it hide the same cells and cannot be
    combined to recover one. The protection is against exact recovery; the
    totals still bound a hidden value.

    Raises
    ------
    ValueError
        If there is no support, or its labels do not cover the table's.
    """
    if min_n is None:
        return table
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise ValueError(f"min_n must be a positive whole number or None, not {min_n!r}")
    if isinstance(table, pd.Series):
        if support is None:
            support = table.attrs.get("support")
        if isinstance(support, pd.Series):
            support = support.to_frame(table.name if table.name is not None else 0)
        frame = table.to_frame(table.name if table.name is not None else 0)
        frame.attrs = dict(table.attrs)
        result = suppress(frame, min_n=min_n, support=support, marker=marker)
        out = result.iloc[:, 0]
        out.name = table.name
        out.attrs = {k: (v.iloc[:, 0] if isinstance(v, pd.DataFrame) else v) for k, v in result.attrs.items()}
        return out
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"suppress needs a DataFrame or Series, not {type(table).__name__}")

    if support is None:
        support = table.attrs.get("support")
    if support is None:
        raise ValueError(
            "suppress needs the number of informants behind each cell: pass support=, or a table "
            "with attrs['support'] (leadlib.compare.site_matrix records it)")
    if isinstance(support, pd.Series):
        support = support.to_frame(table.columns[0] if len(table.columns) == 1 else 0)
    missing_rows = table.index.difference(support.index)
    missing_cols = table.columns.difference(support.columns)
    if len(missing_rows) or len(missing_cols):
        what = (f"rows {list(missing_rows)[:5]}" if len(missing_rows) else f"columns {list(missing_cols)[:5]}")
        raise ValueError(f"support has no values for the table's {what}: pass a support table with the same labels")
    counts = support.reindex(index=table.index, columns=table.columns).to_numpy(dtype=float)
    if np.isnan(counts).any():
        raise ValueError("support has missing values: every cell needs its number of informants (0 if none)")

    primary = (counts > 0) & (counts < min_n)
    hidden = _complementary(primary, counts)

    out = table.copy()
    for j, column in enumerate(out.columns):
        mask = hidden[:, j]
        if not mask.any():
            continue
        col = out[column]
        if marker is not None:
            col = col.astype(object)
            col[mask] = marker
        else:
            if pd.api.types.is_integer_dtype(col.dtype) or pd.api.types.is_bool_dtype(col.dtype):
                col = col.astype("Int64")
            col = col.mask(pd.Series(mask, index=col.index))
        out[column] = col
    out.attrs = dict(table.attrs)
    out.attrs["suppressed"] = pd.DataFrame(hidden, index=table.index, columns=table.columns)
    out.attrs["primary"] = pd.DataFrame(primary, index=table.index, columns=table.columns)
    out.attrs["min_n"] = int(min_n)
    return out


def _complementary(primary: np.ndarray, support: np.ndarray) -> np.ndarray:
    """Grow a set of hidden cells until none is determined by row and column totals."""
    hidden = primary.copy()
    n_rows, n_cols = hidden.shape
    # Cheapest first: fewest informants, zeros last (hiding a known-zero-ish
    # cell protects nothing), then position, so the choice is deterministic.
    cost = np.where(support > 0, support, np.inf)

    def cheapest(cells: Iterable[tuple[int, int]], axis: int | None = None) -> tuple[int, int] | None:
        # Along a row (axis 0) prefer a column that already has exactly one
        # hidden cell (the new cell protects both lines), then one with more,
        # and last an untouched column (which the new cell would expose).
        best, best_key = None, None
        for i, j in cells:
            if hidden[i, j]:
                continue
            if axis is None:
                closing = 0
            else:
                k = hidden[:, j].sum() if axis == 0 else hidden[i, :].sum()
                closing = 0 if k == 1 else (1 if k > 1 else 2)
            key = (closing, cost[i, j], support[i, j], i, j)
            if best_key is None or key < best_key:
                best, best_key = (i, j), key
        return best

    def lone_line() -> tuple[int, int, int] | None:
        """A row (axis 0) or column (axis 1) with a single hidden cell that can get another."""
        for i in range(n_rows):
            if hidden[i].sum() == 1 and (~hidden[i]).any():
                return 0, i, 0
        for j in range(n_cols):
            if hidden[:, j].sum() == 1 and (~hidden[:, j]).any():
                return 1, j, 0
        return None

    changed = True
    while changed:
        changed = False
        # A row or column with one hidden cell gives it away through its total.
        line = lone_line()
        if line is not None:
            axis, k, _ = line
            cells = [(k, j) for j in range(n_cols)] if axis == 0 else [(i, k) for i in range(n_rows)]
            cell = cheapest(cells, axis=axis)
            hidden[cell] = True
            changed = True
            continue
        # Two or more per line can still leave a cell determined (a bridge
        # between two blocks of hidden cells): join the blocks another way.
        for (i, j), side_a, side_b in _bridges(hidden):
            rows_a = [v for v in side_a if v < n_rows]
            cols_a = [v - n_rows for v in side_a if v >= n_rows]
            rows_b = [v for v in side_b if v < n_rows]
            cols_b = [v - n_rows for v in side_b if v >= n_rows]
            cell = cheapest([(r, c) for r in rows_a for c in cols_b] + [(r, c) for r in rows_b for c in cols_a])
            if cell is not None:
                hidden[cell] = True
                changed = True
                break  # the graph changed: look for bridges again
    return hidden


def _bridges(hidden: np.ndarray) -> list[tuple[tuple[int, int], set[int], set[int]]]:
    """Hidden cells whose removal disconnects their row from their column, with the two sides."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n_rows, n_cols = hidden.shape
    cells = list(zip(*np.nonzero(hidden)))
    found = []
    for k, (i, j) in enumerate(cells):
        others = [c for m, c in enumerate(cells) if m != k]
        size = n_rows + n_cols
        if others:
            r = np.array([c[0] for c in others])
            c = np.array([c[1] for c in others]) + n_rows
            graph = coo_matrix((np.ones(len(others)), (r, c)), shape=(size, size))
        else:
            graph = coo_matrix((size, size))
        _, labels = connected_components(graph, directed=False)
        if labels[i] != labels[n_rows + j]:
            side_a = set(np.flatnonzero(labels == labels[i]).tolist())
            side_b = set(np.flatnonzero(labels == labels[n_rows + j]).tolist())
            found.append(((int(i), int(j)), side_a, side_b))
    return found


# ---------------------------------------------------------------------------
# Quotes


def quote_roles(
    frame: pd.DataFrame,
    *,
    informants: pd.DataFrame | None = None,
    min_informants: int = 2,
    withheld: str | None = WITHHELD_ROLE,
) -> pd.Series:
    """The role each quote may be shown with: its speaker's role, or withheld.

    Parameters
    ----------
    frame
        Quotes: rows with ``informant_id``, ``site_id`` and ``role`` (rows of
        :meth:`leadlib.Study.frame`).
    informants
        The study's informants table: a role is counted over everyone
        interviewed at the site, quoted or not. If not given, only the
        informants present in ``frame`` are counted (fewer, so more roles are
        withheld: the safe side).
    min_informants
        A role held by fewer informants than this at the quote's site is
        withheld (2: a role only one person holds names that person).
    withheld
        What to show in place of a withheld role (``None`` for missing).

    Returns
    -------
    Series
        Same index as ``frame``: the role's display label, or ``withheld``.
        A person's name is never used: only the role vocabulary.
    """
    from .schema import label

    for col in ("informant_id", "site_id", "role"):
        if col not in frame.columns:
            raise ValueError(f"quote_roles needs a column {col!r} (rows of Study.frame())")
    people = informants if informants is not None else frame
    people = people[["informant_id", "site_id", "role"]].drop_duplicates("informant_id")
    held = people.groupby(["site_id", "role"], observed=True)["informant_id"].nunique()
    keys = pd.MultiIndex.from_arrays([frame["site_id"].astype(object), frame["role"].astype(object)])
    n = pd.Series(held.reindex(keys).to_numpy(), index=frame.index).fillna(0)
    shown = frame["role"].astype(object).map(lambda r: label(r) if isinstance(r, str) else None)
    safe = (n >= min_informants) & shown.notna()
    return shown.where(safe, withheld).astype(object)


def prepare_quotes(
    frame: pd.DataFrame,
    *,
    informants: pd.DataFrame | None = None,
    show_quotes: bool = True,
    min_informants: int = 2,
) -> pd.DataFrame:
    """Quotes ready to show: text, the role it may carry, and a reference that names no one.

    Parameters
    ----------
    frame
        Rows of :meth:`leadlib.Study.frame` to quote.
    informants
        The study's informants table (see :func:`quote_roles`).
    show_quotes
        ``False`` returns no rows: every verbatim quote is removed (reports
        shared outside the research team).
    min_informants
        See :func:`quote_roles`.

    Returns
    -------
    DataFrame
        Columns ``segment_id``, ``site_id``, ``code_id``, ``process``,
        ``role_shown`` and ``text``, in the order of ``frame``. Informant
        and interview IDs are left out: they would let a reader link the
        quotes of one person, and so undo a withheld role.
    """
    columns = ["segment_id", "site_id", "code_id", "process", "role_shown", "text"]
    if not show_quotes:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    out = frame.assign(role_shown=quote_roles(frame, informants=informants, min_informants=min_informants))
    return out[[c for c in columns if c in out.columns]].reset_index(drop=True)


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _words(text: str) -> list[str]:
    return _WORD.findall(html.unescape(str(text)).lower().replace("\u2019", "'"))


def quote_ngrams(texts: Iterable[str], *, n: int = 8) -> dict[int, int]:
    """Hashes of every run of ``n`` words in the quotes, mapped to the quote's position.

    Build once per study and pass to :func:`leaked_quotes` for many pages.
    Quotes shorter than ``n`` words are left out: a run that short ("Yes, we
    do.") cannot be told from ordinary prose.
    """
    grams: dict[int, int] = {}
    for k, text in enumerate(texts):
        words = _words(text)
        for start in range(len(words) - n + 1):
            grams.setdefault(hash(tuple(words[start:start + n])), k)
    return grams


def leaked_quotes(page_text: str, texts: Sequence[str] | None = None, *, n: int = 8,
                  grams: dict[int, int] | None = None) -> list[int]:
    """Positions of the quotes of which a page shows ``n`` or more consecutive words.

    A quote cut short by a table's column width, or shown from the middle,
    is still a verbatim quote; so the check looks for any run of ``n`` words
    (case and punctuation ignored) that a quote contains.

    Parameters
    ----------
    page_text
        The text a reader sees (HTML tags already stripped; entities are
        unescaped here).
    texts
        Every quotable text of the study (``study.segments["text"]``).
    n
        Length of the runs compared (8 words: long enough that ordinary
        phrases of a report do not match, short enough to catch a clipped
        quote).
    grams
        :func:`quote_ngrams` of ``texts``, to reuse across pages (then
        ``texts`` may be omitted).

    Returns
    -------
    list of int
        Sorted positions in ``texts`` of the quotes found.
    """
    if grams is None:
        if texts is None:
            raise ValueError("leaked_quotes needs texts= or grams=")
        grams = quote_ngrams(texts, n=n)
    words = _words(page_text)
    found = set()
    for start in range(len(words) - n + 1):
        k = grams.get(hash(tuple(words[start:start + n])))
        if k is not None:
            found.add(k)
    return sorted(found)
