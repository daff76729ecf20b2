"""Disclosure control for tables and quotes that leave the research team.

Three rules, each a tested function, so that a report cannot show what its
settings promise to hide:

- :func:`suppress`: a count or share resting on fewer than ``min_n``
  informants is hidden, with complementary suppression so that no hidden cell
  can be worked out from the row and column totals (or, for shares, from the
  fact that a row or column adds up to 1);
- :func:`linked_suppress` does the same for cells tied by any sums (a
  process's share is the sum of its behaviours' shares, shown in another
  table), with protection intervals as tau-ARGUS and sdcTable use them: the
  range a reader can derive for a small cell must reach a set distance above
  and below it (:func:`protection_levels`), not only hold two values; and
  :func:`site_pattern` applies it to the sites x (processes and their
  behaviours) of a study, once, so that every page showing those cells hides
  the same ones. :func:`recoverable` is the exact-recovery attack, and
  :func:`audit_protection` computes, by linear programming, the interval a
  reader can derive for every hidden cell;
- :func:`styled` shows a suppressed table with a marker and a footnote
  (:func:`hidden_note`); :func:`hidden_sites`, :func:`hidden_meta_cells`,
  :func:`hide_group_values` and :func:`left_out_note` carry the same
  decisions to figures, meta-matrices, summaries of groups of sites and
  displays left out altogether;
- :func:`quote_roles`: a quote is attributed to a role, never to a person,
  and a role that fewer than 2 informants hold at a site is withheld, since
  colleagues would know who said it;
- :func:`prepare_quotes` applies the role rule and ``show_quotes=False``
  (every verbatim quote removed), :func:`shown_quotes` the latter to a
  sample of quotes; :func:`leaked_quotes` finds verbatim quote
  text in a rendered page, the check behind ``leadlib report --no-quotes``.

Small-number suppression follows the practice of health-statistics offices
(as in OpenSAFELY's ``redact_small_numbers``): a cell is hidden when the
number of distinct people behind it is above zero and below the threshold;
zeros are shown, because "nobody at this site mentioned it" discloses no
person's words.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._deprecation import renamed_keywords
from .compare import quotes, site_matrix, with_labels
from .deidentify import WITHHELD_ROLE, quote_roles

# scipy (sparse graphs, null spaces, linear programs) is imported inside the few functions that need it: it would
# double the time of `import leadlib.disclosure`, which every page of a report pays.

__all__ = [
    "suppress",
    "linked_suppress",
    "recoverable",
    "audit_protection",
    "protection_levels",
    "PROTECTION_SHARE",
    "site_pattern",
    "styled",
    "hidden_note",
    "hidden_sites",
    "hidden_meta_cells",
    "hide_group_values",
    "left_out_note",
    "HIDDEN_MARK",
    "quote_roles",
    "prepare_quotes",
    "shown_quotes",
    "QUOTES_LEFT_OUT",
    "leaked_quotes",
    "quote_ngrams",
    "WITHHELD_ROLE",
]

#: What a table shows in place of a hidden value (see :func:`styled`).
HIDDEN_MARK = "\u2013"

# WITHHELD_ROLE and quote_roles live in leadlib.deidentify (below leadlib.compare, which applies them too) and are
# re-exported here: leadlib.disclosure.quote_roles is where the reports and users find them.


# ---------------------------------------------------------------------------
# Small numbers


def suppress(
    table: pd.DataFrame | pd.Series,
    *,
    min_n: int | None,
    support: pd.DataFrame | pd.Series | None = None,
    marker: str | None = None,
    pattern: pd.DataFrame | None = None,
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
        To display a table with a marker and a footnote, see :func:`styled`.
    pattern
        Cells to hide whatever their support, matched by label (rows by the
        index; columns by name, or by the last level of a column
        MultiIndex): the study-wide :func:`site_pattern`, so that a page
        hides the cells every other page hides. Complementary suppression
        then starts from them.

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

    Zeros are shown, so a reader knows every hidden cell is at least 1: two
    hidden counts in a row that add up to 2 are both 1. After the bridges,
    cells are therefore added until no hidden cell is the only whole number
    the totals and that bound allow (checked by :func:`recoverable` on the
    support, which is the table itself for counts of people, and a stand-in
    for it otherwise).

    Raises
    ------
    ValueError
        If there is no support, or its labels do not cover the table's.
    """
    if min_n is None:
        return table
    _check_min_n(min_n)
    if isinstance(table, pd.Series):
        return _suppress_series(table, min_n=min_n, support=support, marker=marker, pattern=pattern)
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"suppress needs a DataFrame or Series, not {type(table).__name__}")

    counts = _support_counts(table, support)
    primary = (counts > 0) & (counts < min_n)
    forced = primary | _pattern_cells(pattern, table)
    hidden = _complementary(forced, counts)
    hidden = _whole_numbers(hidden, counts)

    out = _hide(table, hidden, marker)
    out.attrs = dict(table.attrs)
    out.attrs["suppressed"] = pd.DataFrame(hidden, index=table.index, columns=table.columns)
    out.attrs["primary"] = pd.DataFrame(primary, index=table.index, columns=table.columns)
    out.attrs["min_n"] = int(min_n)
    return out


def _check_min_n(min_n: Any) -> None:
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise ValueError(f"min_n must be a positive whole number or None, not {min_n!r}")


def _suppress_series(
    table: pd.Series, *, min_n: int, support: Any, marker: str | None, pattern: pd.DataFrame | None
) -> pd.Series:
    """:func:`suppress` of a Series: as a one-column table."""
    if support is None:
        support = table.attrs.get("support")
    if isinstance(support, pd.Series):
        support = support.to_frame(table.name if table.name is not None else 0)
    frame = table.to_frame(table.name if table.name is not None else 0)
    frame.attrs = dict(table.attrs)
    result = suppress(frame, min_n=min_n, support=support, marker=marker, pattern=pattern)
    out = result.iloc[:, 0]
    out.name = table.name
    out.attrs = {k: (v.iloc[:, 0] if isinstance(v, pd.DataFrame) else v) for k, v in result.attrs.items()}
    return out


def _support_counts(table: pd.DataFrame, support: pd.DataFrame | pd.Series | None) -> np.ndarray:
    """The informants behind each cell of ``table``, as an array of its shape (``support`` or its attrs)."""
    if support is None:
        support = table.attrs.get("support")
    if support is None:
        raise ValueError(
            "suppress needs the number of informants behind each cell: pass support=, or a table "
            "with attrs['support'] (leadlib.compare.site_matrix records it)"
        )
    if isinstance(support, pd.Series):
        support = support.to_frame(table.columns[0] if len(table.columns) == 1 else 0)
    missing_rows = table.index.difference(support.index)
    missing_cols = table.columns.difference(support.columns)
    if len(missing_rows) or len(missing_cols):
        what = f"rows {list(missing_rows)[:5]}" if len(missing_rows) else f"columns {list(missing_cols)[:5]}"
        raise ValueError(f"support has no values for the table's {what}: pass a support table with the same labels")
    counts = support.reindex(index=table.index, columns=table.columns).to_numpy(dtype=float)
    if np.isnan(counts).any():
        raise ValueError("support has missing values: every cell needs its number of informants (0 if none)")
    return counts


def _hide(table: pd.DataFrame, hidden: np.ndarray, marker: str | None) -> pd.DataFrame:
    """A copy of ``table`` with the ``hidden`` cells missing (integers become ``Int64``) or showing ``marker``."""
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
    return out


def _pattern_cells(pattern: pd.DataFrame | None, table: pd.DataFrame) -> np.ndarray:
    """Cells of ``table`` that ``pattern`` hides (rows by label, columns by name or last level)."""
    out = np.zeros(table.shape, dtype=bool)
    if pattern is None:
        return out
    if not isinstance(pattern, pd.DataFrame):
        raise ValueError("pattern must be a boolean DataFrame (e.g. leadlib.disclosure.site_pattern(...))")
    rows = [pattern.index.get_loc(r) if r in pattern.index else None for r in table.index]
    for j, column in enumerate(table.columns):
        key = (
            column
            if column in pattern.columns
            else (column[-1] if isinstance(column, tuple) and column[-1] in pattern.columns else None)
        )
        if key is None:
            continue
        values = pattern[key].to_numpy(dtype=bool)
        out[:, j] = [r is not None and bool(values[r]) for r in rows]
    return out


def _whole_numbers(hidden: np.ndarray, support: np.ndarray) -> np.ndarray:
    """Add cells until no hidden count is pinned by the totals and by being at least 1."""
    if not hidden.any() or not _pinned_in_table(hidden, support).any():
        return hidden
    n_rows, n_cols = hidden.shape
    keys = [(i, j) for i in range(n_rows) for j in range(n_cols)]
    # a line of one cell has no total to speak of (its "total" is the cell): as for the bridges, only
    # lines of two or more cells are sums a reader knows
    relations = [(None, [(i, j) for j in range(n_cols)]) for i in range(n_rows)] if n_cols > 1 else []
    relations += [(None, [(i, j) for i in range(n_rows)]) for j in range(n_cols)] if n_rows > 1 else []
    system = _System(keys, support.ravel(), relations)
    out = _protect(
        system,
        hidden.ravel(),
        cost=np.where(support.ravel() > 0, support.ravel(), np.inf),
        tier=np.zeros(len(keys), dtype=int),
    )
    return out.reshape(hidden.shape)


def _pinned_in_table(hidden: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Hidden cells of a table with public row and column totals that the totals leave a single whole number.

    What :meth:`_System.pinned` finds with two linear programs per cell, found on a graph (the table's
    sums form a network, so a cell can take another whole value exactly when a cycle of hidden cells lets it
    move): rows and columns are nodes, each hidden cell an edge that can carry +1 (column to row) always
    and -1 (row to column) when it is above what a reader knows of it (1, or 0 for a zero). A cell can rise
    when its row reaches its column without it, and fall when it can fall and its column reaches its row
    without it. A line of one cell is no sum (as in :func:`_whole_numbers`): its nodes merge into one free
    node, where a cycle may end.
    """
    n_rows, n_cols = hidden.shape
    node_of_row = [0 if n_cols == 1 else 1 + i for i in range(n_rows)]  # node 0: the free node
    node_of_col = [0 if n_rows == 1 else 1 + n_rows + j for j in range(n_cols)]
    cells = [(int(i), int(j)) for i, j in zip(*np.nonzero(hidden))]
    can_fall = {(i, j): values[i, j] - min(values[i, j], 1.0) >= 1 for i, j in cells}
    edges: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for i, j in cells:
        edges.setdefault(node_of_col[j], []).append((node_of_row[i], (i, j)))  # +1
        if can_fall[i, j]:
            edges.setdefault(node_of_row[i], []).append((node_of_col[j], (i, j)))  # -1

    def reaches(start: int, goal: int, without: tuple[int, int]) -> bool:
        seen, todo = {start}, [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            for nxt, cell in edges.get(node, ()):
                if cell != without and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    out = np.zeros(hidden.shape, dtype=bool)
    for i, j in cells:
        row, col = node_of_row[i], node_of_col[j]
        rises = reaches(row, col, (i, j))
        out[i, j] = not rises and not (can_fall[i, j] and reaches(col, row, (i, j)))
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
        for (_i, _j), side_a, side_b in _bridges(hidden):
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
# Linked tables: cells tied by sums, within a table and across tables

#: One sum a reader knows: ``(total, members)``, where ``total`` is the key of
#: a cell that is the sum of the ``members`` cells, or ``None`` when the sum
#: itself is public (a total printed on the page, or shares adding up to 1).
Relation = tuple[Hashable | None, Sequence[Hashable]]


class _System:
    """The sums a reader knows, as a matrix over the cells (one row per relation)."""

    def __init__(self, keys: Sequence[Hashable], values: Iterable[float], relations: Iterable[Relation]) -> None:
        self.keys = list(keys)
        self.position = {k: i for i, k in enumerate(self.keys)}
        if len(self.position) != len(self.keys):
            raise ValueError("linked_suppress: cell keys must be unique")
        self.values = np.asarray(list(values), dtype=float)
        rows, self.neighbours = [], [set() for _ in self.keys]
        for total, members in relations:
            row = np.zeros(len(self.keys))
            cells = [self._at(m) for m in members]
            for i in cells:
                row[i] -= 1.0
            if total is not None:
                cells.append(self._at(total))
                row[cells[-1]] += 1.0
            rows.append(row)
            for i in cells:
                self.neighbours[i].update(c for c in cells if c != i)
        self.matrix = np.array(rows) if rows else np.zeros((0, len(self.keys)))

    def _at(self, key: Hashable) -> int:
        try:
            return self.position[key]
        except KeyError:
            raise ValueError(f"linked_suppress: a relation names the cell {key!r}, which has no value") from None

    def _restricted(self, hidden: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cells = np.flatnonzero(hidden)
        a = self.matrix[:, cells]
        return cells, a[np.any(a != 0, axis=1)]

    def determined(self, hidden: np.ndarray) -> np.ndarray:
        """Hidden cells whose value follows from the shown cells and the sums (exact linear recovery).

        A hidden cell is determined when its unit vector lies in the row
        space of the sums restricted to the hidden cells, i.e. when every
        solution of the homogeneous system is 0 there (the null space has a
        zero row for it).
        """
        from scipy.linalg import null_space

        cells, a = self._restricted(hidden)
        if not len(cells) or not len(a):
            return np.array([], dtype=int)
        basis = null_space(a)
        if basis.shape[1] == 0:
            return cells
        return cells[np.all(np.abs(basis) < 1e-9, axis=1)]

    def pinned(self, hidden: np.ndarray, lower: np.ndarray, *, first: bool = False) -> np.ndarray:
        """Hidden cells left with a single whole-number value by the sums and the lower bounds.

        Two linear programs per cell (its least and its greatest value); with
        ``first``, stop at the first cell found (all the greedy loop needs).
        """
        from scipy.optimize import linprog

        cells, a = self._restricted(hidden)
        if not len(cells) or not len(a):
            return np.array([], dtype=int)
        b = a @ self.values[cells]
        bounds = [(float(lower[c]), None) for c in cells]
        found = []
        for k, cell in enumerate(cells):
            objective = np.zeros(len(cells))
            objective[k] = 1.0
            low = linprog(objective, A_eq=a, b_eq=b, bounds=bounds, method="highs")
            high = linprog(-objective, A_eq=a, b_eq=b, bounds=bounds, method="highs")
            if low.status != 0 or high.status != 0:  # unbounded: not pinned
                continue
            if np.floor(-high.fun + 1e-7) - np.ceil(low.fun - 1e-7) < 1:
                found.append(cell)
                if first:
                    break
        return np.array(found, dtype=int)


def _protect(system: _System, start: np.ndarray, *, cost: np.ndarray, tier: np.ndarray) -> np.ndarray:
    """Grow a set of hidden cells until none can be recovered (linearly, or as the only whole number left).

    Greedy: for the first recoverable cell, try each cell sharing a sum with
    it and keep the one after which the fewest cells are determined, in
    ``tier`` order first (0 before 1: e.g. behaviours before the totals shown
    elsewhere), then cheapest (``cost``: informants; zeros cost ``inf`` and
    come last), then the first in order. A cell pinned only by the whole-number
    bound needs slack: a cell of at least 2 is preferred then.
    """
    hidden = start.copy()
    values = system.values
    for _ in range(len(hidden) + 1):
        stuck = system.determined(hidden)
        whole = False
        if not len(stuck):
            stuck = system.pinned(hidden, lower=np.minimum(values, 1.0), first=True)
            whole = True
            if not len(stuck):
                return hidden
        target = int(stuck[0])
        candidates = [c for c in sorted(system.neighbours[target]) if not hidden[c]]
        if not candidates:
            # every cell tied to it is hidden already: widen to the cells tied to any hidden cell
            candidates = sorted({c for h in np.flatnonzero(hidden) for c in system.neighbours[h] if not hidden[c]})
        if not candidates:
            return hidden  # nothing left to hide
        best, best_key = None, None
        for c in candidates:
            trial = hidden.copy()
            trial[c] = True
            key = (
                int(tier[c]),
                len(system.determined(trial)),
                (0 if values[c] >= 2 else 1) if whole else 0,
                float(cost[c]),
                c,
            )
            if best_key is None or key < best_key:
                best, best_key = c, key
        hidden[best] = True
    return hidden


#: Default protection rule (see :func:`linked_suppress`): a primary cell's interval must reach this share of its
#: value above it and below it ...
PROTECTION_SHARE = 0.25
# ... and at least this many units (None: min_n), whichever is more; below, never further than 1 (see the notes).


def protection_levels(
    values: Iterable[float],
    primary: Iterable[bool],
    *,
    min_n: int,
    share: float = PROTECTION_SHARE,
    units: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """How far above and below its value the interval of each primary cell must reach (0 for the others).

    Parameters
    ----------
    values
        True counts of the cells.
    primary
        Boolean, the cells hidden for their own small support.
    min_n
        The threshold in informants; the default of ``units``.
    share
        Share of the value the interval must reach on each side (default
        :data:`PROTECTION_SHARE`, 25%).
    units
        Least distance on each side, in the count's units (default
        ``min_n``).

    Returns
    -------
    (upper, lower)
        Arrays of the required distances. ``upper = max(units, ceil(share
        * value))``; ``lower`` the same, but at most ``value - 1``: zeros
        are shown, so a reader knows a hidden count is at least 1 and no
        pattern can make its interval reach below 1.
    """
    x = np.asarray(list(values), dtype=float)
    is_primary = np.asarray(list(primary), dtype=bool)
    least = float(min_n if units is None else units)
    if least < 0 or share < 0:
        raise ValueError("protection units and share must not be negative")
    level = np.maximum(least, np.ceil(share * x - 1e-9))
    upper = np.where(is_primary, level, 0.0)
    lower = np.where(is_primary, np.minimum(level, np.maximum(x - 1.0, 0.0)), 0.0)
    return upper, lower


def _floor_of(values: np.ndarray) -> np.ndarray:
    """What a reader knows of a hidden count: at least 1 if it is not 0 (zeros are shown), else at least 0."""
    return np.minimum(values, 1.0)


class _Protector:
    """Secondary suppression by protection intervals, one primary cell at a time, over all relations at once.

    For a primary cell and a direction (up or down), a linear program finds the cheapest *deviation*: a change of
    the cells that keeps every relation true, moves the primary cell by its protection level, keeps every cell at
    or above what a reader knows of it (1, or 0 for a zero), and costs, per unit moved, the weight of each cell
    still shown (hidden cells move for free). Hiding the cells it moves makes ``values + deviation`` a table the
    reader cannot rule out, so the reader's interval of the primary cell reaches that far, whatever else is hidden
    later (hiding more only adds tables the reader cannot rule out). This is the heuristic of Fischetti and
    Salazar-González (2000), as tau-ARGUS and sdcTable use it on each (sub)table, here on the linked tables at once.

    With ``blocks`` (e.g. the site of each cell), the program is first restricted to the primary cell's block and
    a few partner blocks (those that share a sum with it, hidden cells first, then the largest); a deviation found
    there is a deviation of the whole system (cells outside do not move), and the whole system is tried when the
    restricted one has none. The constraint matrix of sites x hierarchical columns is a network's, so the
    deviations are whole numbers; a program whose answer is not is solved again with integer variables.
    """

    def __init__(self, system: _System, *, weight: np.ndarray, blocks: np.ndarray | None, partners: int = 3) -> None:
        from scipy.sparse import csc_matrix

        self.system = system
        self.values = system.values
        self.slack = system.values - _floor_of(system.values)
        self.weight = weight
        self.matrix = csc_matrix(system.matrix)
        self.blocks = blocks
        self.partners = partners
        self.tied = [np.array(sorted(n), dtype=int) for n in system.neighbours]
        if blocks is not None:
            self.members = pd.Series(np.arange(len(blocks))).groupby(blocks).indices

    def scope(self, target: int, hidden: np.ndarray) -> np.ndarray | None:
        """The cells the program may move first: the target's block and a few partner blocks."""
        if self.blocks is None:
            return None
        own = self.blocks[target]
        tied = self.tied[target]
        tied = tied[self.blocks[tied] != own]
        if not len(tied):
            return None
        # partner blocks: those with a hidden cell tied to the target, then those whose tied cell has most slack
        order = np.lexsort((-self.slack[tied], ~hidden[tied]))
        chosen: list = []
        for block in self.blocks[tied[order]]:
            if block not in chosen:
                chosen.append(block)
            if len(chosen) == self.partners:
                break
        return np.sort(np.concatenate([self.members[b] for b in [own, *chosen]]))

    def deviation(self, target: int, sign: int, level: float, hidden: np.ndarray, cells: np.ndarray | None):
        """The cheapest deviation moving ``target`` by ``sign * level`` among ``cells`` (all if None), or None."""
        from scipy.optimize import linprog

        cells = np.arange(len(self.values)) if cells is None else cells
        sub = self.matrix[:, cells]
        sub = sub[np.diff(sub.tocsr().indptr) > 0]
        n = len(cells)
        cost = np.where(hidden[cells], 1e-3, self.weight[cells])
        k = int(np.searchsorted(cells, target))
        up = [(0.0, None)] * n
        down = [(0.0, float(s)) for s in self.slack[cells]]
        up[k], down[k] = ((level, level), (0.0, 0.0)) if sign > 0 else ((0.0, 0.0), (level, level))
        from scipy.sparse import hstack

        a_eq = hstack([sub, -sub]).tocsc()
        kw = dict(A_eq=a_eq, b_eq=np.zeros(a_eq.shape[0]), bounds=up + down)
        found = linprog(np.concatenate([cost, cost]), method="highs", **kw)
        if found.status != 0:
            return None
        move = found.x[:n] - found.x[n:]
        if np.abs(move - np.round(move)).max() > 1e-6:
            move = self._whole(cost, kw)
            if move is None:
                return None
        out = np.zeros(len(self.values))
        out[cells] = np.round(move)
        return out

    @staticmethod
    def _whole(cost: np.ndarray, kw: dict) -> np.ndarray | None:
        from scipy.optimize import Bounds, LinearConstraint, milp

        lower = np.array([b[0] for b in kw["bounds"]], dtype=float)
        upper = np.array([np.inf if b[1] is None else b[1] for b in kw["bounds"]], dtype=float)
        found = milp(
            np.concatenate([cost, cost]),
            constraints=LinearConstraint(kw["A_eq"], kw["b_eq"], kw["b_eq"]),
            integrality=np.ones(len(lower)),
            bounds=Bounds(lower, upper),
        )
        if found.status != 0:
            return None
        n = len(cost)
        return found.x[:n] - found.x[n:]

    def reach(self, target: int, sign: int) -> float:
        """The furthest a deviation of the whole system can move ``target`` (``sign`` +1 up, -1 down)."""
        from scipy.optimize import linprog
        from scipy.sparse import hstack

        n = len(self.values)
        a_eq = hstack([self.matrix, -self.matrix]).tocsc()
        objective = np.zeros(2 * n)
        objective[target if sign > 0 else n + target] = -1.0
        bounds = [(0.0, None)] * n + [(0.0, float(s)) for s in self.slack]
        bounds[n + target if sign > 0 else target] = (0.0, 0.0)  # the target moves one way only
        found = linprog(objective, A_eq=a_eq, b_eq=np.zeros(a_eq.shape[0]), bounds=bounds, method="highs")
        if found.status == 3:  # unbounded
            return np.inf
        return float(-found.fun) if found.status == 0 else 0.0

    def linked(self, target: int) -> np.ndarray:
        """Every cell tied to ``target`` through a chain of sums."""
        seen, todo = {target}, [target]
        while todo:
            for cell in self.tied[todo.pop()]:
                if int(cell) not in seen:
                    seen.add(int(cell))
                    todo.append(int(cell))
        return np.array(sorted(seen), dtype=int)

    def protect(self, hidden: np.ndarray, target: int, sign: int, level: float) -> float:
        """Hide what moving ``target`` by ``level`` needs; the level reached (lower when the sums allow no more)."""
        if level <= 0:
            return level
        move = self.deviation(target, sign, level, hidden, self.scope(target, hidden))
        if move is None:
            move = self.deviation(target, sign, level, hidden, None)
        if move is None:
            # the sums allow no more, whatever is hidden: the rule asks for what hiding everything would give
            level = np.floor(min(self.reach(target, sign), level) + 1e-9)
            move = self.deviation(target, sign, level, hidden, None) if level >= 1 else None
        if move is None:
            return 0.0
        hidden[np.abs(move) > 0.5] = True
        return level


def _protect_intervals(
    system: _System,
    primary: np.ndarray,
    *,
    upper: np.ndarray,
    lower: np.ndarray,
    weight: np.ndarray,
    blocks: np.ndarray | None = None,
) -> tuple[np.ndarray, dict[int, tuple[float, float]]]:
    """Hidden cells protecting every primary cell's interval, and the primaries whose rule the sums do not allow.

    Primary cells are taken from the largest value down (as tau-ARGUS does: the deviations protecting a large
    cell often protect the small ones too); each needs one program per direction. Where the sums themselves stop
    a cell short of its rule whatever is hidden (a process whose hidden behaviours are each at least 1 is at
    least their number), the rule asks for what hiding everything would give, and the cell is listed in
    ``short`` with the distances reached.
    """
    hidden = primary.copy()
    protector = _Protector(system, weight=weight, blocks=blocks)
    short: dict[int, tuple[float, float]] = {}
    values = system.values
    for target in sorted(np.flatnonzero(primary), key=lambda i: (-values[i], i)):
        reached_up = protector.protect(hidden, int(target), +1, float(upper[target]))
        reached_down = protector.protect(hidden, int(target), -1, float(lower[target]))
        if reached_up < upper[target] or reached_down < lower[target]:
            short[int(target)] = (reached_up, reached_down)
        if reached_up < 1 and reached_down < 1:
            # no table the reader could not rule out gives it another value: nothing protects it, so hide every
            # cell tied to it through any chain of sums (as the greedy method did), to show nothing more of it
            hidden[protector.linked(int(target))] = True
    return hidden, short


def linked_suppress(
    values: pd.Series,
    *,
    support: pd.Series,
    relations: Sequence[Relation],
    min_n: int | None,
    avoid: Iterable[Hashable] = (),
    protection_share: float = PROTECTION_SHARE,
    protection_units: float | None = None,
    blocks: pd.Series | None = None,
) -> pd.Series:
    """Hide cells resting on fewer than ``min_n`` informants in tables tied by sums, and enough others.

    :func:`suppress` protects one table against its row and column totals.
    Cells shown in several tables are tied by more sums: a process's share of
    a site's passages about leading is the sum of its behaviours' shares, so
    a page showing both lets a reader subtract. Here every cell of every
    linked table is one entry of ``values`` and every sum a reader knows is
    one relation; other cells are hidden until the interval a reader can
    derive for each primary cell is as wide as the protection rule asks
    (:func:`audit_protection` computes those intervals).

    Parameters
    ----------
    values
        Counts, one per cell, indexed by any unique keys (e.g. ``(site,
        behaviour)`` tuples). Use counts, not shares: with the denominators
        public (a page printing "74 passages about leading") shares are
        counts, and counts are whole numbers.
    support
        Distinct informants behind each cell (same index).
    relations
        The sums a reader knows: ``(total, members)`` with ``total`` the key
        of the cell equal to the sum of the ``members``, or ``None`` when the
        sum is public (see :data:`Relation`). List every sum a page prints or
        implies; a sum left out is a sum not defended against.
    min_n
        Smallest number of distinct informants a shown cell may rest on;
        ``None`` hides nothing.
    avoid
        Keys of cells to hide only when nothing else protects (e.g. a process
        total that other pages show anyway).
    protection_share, protection_units
        The protection rule (:func:`protection_levels`): a primary cell's
        interval must reach ``max(protection_units, protection_share *
        value)`` above its value and as far below (but never below 1).
        Default: 25% and ``min_n`` units.
    blocks
        Optional, same index: a label per cell (e.g. its site) such that the
        cells of one block are tied to other blocks by few sums (the
        study's totals). Only a speed-up: protection is first sought within
        the block of each primary cell and a few partner blocks.

    Returns
    -------
    Series
        Boolean, same index: the hidden cells. ``attrs["primary"]`` marks
        those hidden for their own support, ``attrs["min_n"]`` the threshold,
        ``attrs["protection"]`` the rule (``share`` and ``units``), and
        ``attrs["short"]`` the primary cells whose rule the sums cannot meet
        (key -> distances reached up and down; empty in practice).

    Notes
    -----
    Primary cells have ``0 < support < min_n``. The rule: a reader who
    knows every shown cell, every relation and that a hidden count is at
    least 1 (zeros are shown) must be unable to narrow a primary cell below
    ``[value - lower, value + upper]``, with ``upper = max(units,
    ceil(share * value))`` and ``lower`` the same but at most ``value - 1``,
    and neither beyond the interval the reader would have with every cell
    hidden (a process whose two hidden behaviours are each at least 1 is at
    least 2, whatever is hidden).
    With counts of passages from one or two informants, ``min_n`` units on
    each side means a reader cannot tell the cell from one with ``min_n``
    more passages (a further informant's worth), nor, for a larger cell,
    within a quarter of its value. The cells are chosen by the linear
    programs of :class:`_Protector` (Fischetti and Salazar-González's
    heuristic, over every relation at once): for each primary cell and
    direction, the cheapest change of the cells that keeps every sum, the
    cost per unit of a shown cell being 1 plus a little more the more
    informants it rests on (fewest cells first, then those resting on
    fewest people), hidden cells being free, zeros and ``avoid`` cells dear.
    Every secondary cell moves by a whole number in such a change, so it is
    not recoverable either (:func:`recoverable`).
    """
    if not isinstance(values, pd.Series) or not isinstance(support, pd.Series):
        raise ValueError("linked_suppress needs values and support as Series with the same index")
    if not support.index.equals(values.index):
        support = support.reindex(values.index)
    if support.isna().any():
        raise ValueError("support has no value for some cells: every cell needs its number of informants (0 if none)")
    counts = support.to_numpy(dtype=float)
    if min_n is None:
        out = pd.Series(False, index=values.index)
        out.attrs = {"primary": out.copy(), "min_n": None}
        return out
    _check_min_n(min_n)
    system = _System(values.index, values.to_numpy(dtype=float), relations)
    primary = (counts > 0) & (counts < min_n)
    upper, lower = protection_levels(
        system.values, primary, min_n=min_n, share=protection_share, units=protection_units
    )
    avoided = set(avoid)
    weight = 1.0 + counts / (1.0 + counts.max(initial=0.0))
    weight = np.where(system.values <= 0, 1e4, weight)
    weight = weight * np.array([1e3 if key in avoided else 1.0 for key in values.index])
    if blocks is not None:
        blocks = pd.Series(blocks).reindex(values.index)
        if blocks.isna().any():
            raise ValueError("linked_suppress: blocks has no label for some cells")
        block_codes = pd.factorize(blocks)[0]
    else:
        block_codes = None
    hidden, short = _protect_intervals(system, primary, upper=upper, lower=lower, weight=weight, blocks=block_codes)
    out = pd.Series(hidden, index=values.index)
    out.attrs = {
        "primary": pd.Series(primary, index=values.index),
        "min_n": int(min_n),
        "protection": {"share": float(protection_share), "units": protection_units},
        "short": {values.index[k]: reached for k, reached in short.items()},
    }
    return out


def recoverable(values: pd.Series, hidden: pd.Series, relations: Sequence[Relation], *, whole: bool = True) -> list:
    """Hidden cells a reader can work out from the shown cells and the sums: the attack to defend against.

    Parameters
    ----------
    values
        The true counts of every cell.
    hidden
        Boolean, same index: the cells not shown.
    relations
        The sums the reader knows (see :func:`linked_suppress`).
    whole
        Also count a cell as recovered when the sums leave it a single whole
        number, given that a hidden cell is at least 1 (or 0 if it is 0: a
        hidden zero gives the reader no such bound).

    Returns
    -------
    list
        Keys of the recoverable hidden cells, in the order of ``values``.
    """
    system = _System(values.index, values.to_numpy(dtype=float), relations)
    mask = hidden.reindex(values.index).fillna(False).to_numpy(dtype=bool)
    found = set(system.determined(mask).tolist())
    if whole:
        found |= set(system.pinned(mask, lower=np.minimum(system.values, 1.0)).tolist())
    return [values.index[i] for i in sorted(found)]


def audit_protection(
    values: pd.Series | pd.DataFrame,
    hidden: pd.Series | None = None,
    relations: Sequence[Relation] | None = None,
    *,
    primary: pd.Series | None = None,
    min_n: int | None = None,
    protection_share: float | None = None,
    protection_units: float | None = None,
) -> pd.DataFrame:
    """The interval a reader can derive for every hidden cell, by linear programming, and whether it is wide enough.

    Parameters
    ----------
    values
        The true counts of every cell (as for :func:`linked_suppress`); or
        a pattern of :func:`site_pattern`, whose ``attrs`` give the counts,
        the sums, the primary cells, the threshold and the rule (the other
        arguments then default to those).
    hidden
        Boolean, same index: the cells not shown.
    relations
        The sums the reader knows (see :func:`linked_suppress`).
    primary
        Boolean, same index: the cells hidden for their own support, which
        must meet the protection rule; default: none.
    min_n, protection_share, protection_units
        The rule of :func:`protection_levels` (``min_n`` is its default
        ``units``; share default :data:`PROTECTION_SHARE`).

    Returns
    -------
    DataFrame
        One row per hidden cell (index: its key): ``value``, ``primary``,
        ``low`` and ``high`` (the least and the greatest value the reader
        can derive), ``need_below`` and ``need_above`` (how far the rule
        asks the interval to reach from ``value``: the levels of
        :func:`protection_levels`, but no further than the reader's interval
        with every cell hidden, which no pattern can widen; 0 for secondary
        cells),
        and ``protected``: for every hidden cell, the interval holds at
        least two whole numbers (it cannot be recovered), and for a primary
        cell, ``low <= value - need_below`` and ``high >= value +
        need_above``.

    Notes
    -----
    The reader's knowledge: every shown cell, every relation, and that a
    hidden count is not negative, and at least 1 unless it is 0 (zeros are
    shown, so a hidden cell is known to be at least 1; for a hidden zero,
    only 0 is claimed). The least and the greatest value of each hidden
    cell under those constraints are two linear programs (HiGHS, through
    :func:`scipy.optimize.linprog`), with integrality relaxed: the interval
    is the widest the reader can claim, and a cell that the relaxation
    cannot pin is not pinned by integer reasoning either when the interval
    holds two whole numbers.
    """
    from scipy.sparse import csc_matrix

    if isinstance(values, pd.DataFrame):
        pattern = values
        if "relations" not in pattern.attrs or "counts" not in pattern.attrs:
            raise ValueError("audit_protection needs values, hidden and relations, or a pattern of site_pattern")
        rule = pattern.attrs.get("protection") or {}
        values = pattern.attrs["counts"].stack()
        hidden = pattern.stack() if hidden is None else hidden
        relations = pattern.attrs["relations"] if relations is None else relations
        primary = pattern.attrs["primary"].stack() if primary is None else primary
        min_n = pattern.attrs.get("min_n") if min_n is None else min_n
        protection_share = rule.get("share") if protection_share is None else protection_share
        protection_units = rule.get("units") if protection_units is None else protection_units
    if hidden is None or relations is None:
        raise ValueError("audit_protection needs hidden= and relations= (or a pattern of site_pattern)")
    system = _System(values.index, values.to_numpy(dtype=float), relations)
    mask = hidden.reindex(values.index).fillna(False).to_numpy(dtype=bool)
    is_primary = (
        np.zeros(len(mask), dtype=bool)
        if primary is None
        else primary.reindex(values.index).fillna(False).to_numpy(dtype=bool)
    )
    share = PROTECTION_SHARE if protection_share is None else protection_share
    if is_primary.any() and min_n is None and protection_units is None:
        raise ValueError("audit_protection needs min_n= (or protection_units=) to judge the primary cells")
    upper, lower = protection_levels(system.values, is_primary, min_n=min_n or 0, share=share, units=protection_units)
    cells = np.flatnonzero(mask)
    x = system.values
    a = system.matrix[:, cells]
    a = csc_matrix(a[np.any(a != 0, axis=1)])
    b = a @ x[cells]
    floor = _floor_of(x[cells])
    low, high = np.full(len(cells), -np.inf), np.full(len(cells), np.inf)
    for k in range(len(cells)):
        low[k], high[k] = _extremes(a, b, floor, k)
    value = x[cells]
    need_above, need_below = upper[cells], lower[cells]
    # the rule asks no more than hiding every cell would give (the sums and the floors bound some cells anyway)
    whole = csc_matrix(system.matrix)
    for k in np.flatnonzero(is_primary[cells]):
        least, most = _extremes(whole, whole @ x, _floor_of(x), int(cells[k]))
        need_above[k] = min(need_above[k], max(most - value[k], 0.0))
        need_below[k] = min(need_below[k], max(value[k] - least, 0.0))
    protected = np.floor(high + 1e-7) - np.ceil(low - 1e-7) >= 1
    protected &= (high >= value + need_above - 1e-7) & (low <= value - need_below + 1e-7)
    return pd.DataFrame(
        {
            "value": value,
            "primary": is_primary[cells],
            "low": low,
            "high": high,
            "need_below": need_below,
            "need_above": need_above,
            "protected": protected,
        },
        index=values.index[cells],
    )


def _extremes(a: Any, b: np.ndarray, floor: np.ndarray, k: int) -> tuple[float, float]:
    """The least and the greatest value of variable ``k`` subject to ``a @ y == b`` and ``y >= floor``."""
    from scipy.optimize import linprog

    objective = np.zeros(len(floor))
    objective[k] = 1.0
    bounds = [(float(v), None) for v in floor]
    out = []
    for sign in (1.0, -1.0):
        kw = {"A_eq": a, "b_eq": b} if a.shape[0] else {}
        found = linprog(sign * objective, bounds=bounds, method="highs", **kw)
        out.append(sign * found.fun if found.status == 0 else -sign * np.inf)
    return out[0], out[1]


_PATTERNS: dict[str, pd.DataFrame] = {}


@renamed_keywords(site="by")
def site_pattern(
    frame: pd.DataFrame,
    *,
    min_n: int | None,
    by: str = "site_id",
    protection_share: float = PROTECTION_SHARE,
    protection_units: float | None = None,
) -> pd.DataFrame | None:
    """Which site values of the processes of leading and their behaviours every page must hide.

    A site's coded passages about leading are shown in many places: its
    share of each process and of each behaviour in its feedback report, its
    counts or rates per site on the study pages, beside the passages it
    counts in all and the words of its interviews. Each display tied to the
    others by sums: a process's count is the sum of its behaviours', a site's
    processes add up to its passages about leading, a column adds up to the
    study's total. Hiding cells table by table, with different complements
    in each, lets a reader combine two pages; so the cells are chosen once,
    for all of these sums together (:func:`linked_suppress`), and every page
    hides at least these.

    Parameters
    ----------
    frame
        The study's analysis frame (:meth:`leadlib.Study.frame`): every
        site, primary coding.
    min_n
        Threshold in informants; ``None`` hides nothing (returns ``None``).
    by
        Column identifying the site (``site=`` is its old name).
    protection_share, protection_units
        The protection rule of :func:`linked_suppress` (default: a reader's
        interval of a primary cell reaches 25% of its value, and at least
        ``min_n`` passages, above it and as far below as 1).

    Returns
    -------
    DataFrame or None
        Boolean, one row per site, one column per process (the
        ``process`` values) then per coded behaviour of a process
        (``code_id``): ``True`` where hidden. ``attrs["primary"]`` marks the
        cells hidden for their own support, ``attrs["counts"]`` and
        ``attrs["support"]`` hold the counts and informants it was computed
        from, ``attrs["relations"]`` the sums defended against,
        ``attrs["protection"]`` the rule and ``attrs["short"]`` the primary
        cells whose rule the sums cannot meet (see :func:`audit_protection`).

    Notes
    -----
    The sums: for each site and process, the process's count is the sum of
    its behaviours' counts; for each site, its processes add up to its
    passages about leading (public); for each process and each behaviour,
    the sites add up to the study's total (public). Process totals are
    hidden only when nothing else protects, since every page shows them.
    Each site's cells are tied to other sites' only through the study's
    totals, so each primary cell's protection is sought first among its
    site and three partner sites (:func:`linked_suppress`, ``blocks``): the
    cost grows about linearly with the sites. Computed once per frame,
    threshold and rule, and kept in memory.
    """
    if min_n is None:
        return None
    for column in (by, "process", "code_id", "informant_id"):
        if column not in frame.columns:
            raise ValueError(f"site_pattern needs a column {column!r} (rows of Study.frame())")
    leading = frame[frame["process"].notna()]
    process_of = (
        leading[["code_id", "process"]].astype(object).drop_duplicates("code_id").set_index("code_id")["process"]
    )
    if isinstance(frame["code_id"].dtype, pd.CategoricalDtype):  # the codebook's order, as every table shows it
        process_of = process_of.reindex([c for c in frame["code_id"].cat.categories if c in process_of.index])
    else:
        process_of = process_of.sort_index()
    by_process = site_matrix(leading, by=by, of="process")
    by_code = site_matrix(leading, by=by, of="code_id", columns=list(process_of.index))
    processes = [p for p in by_process.columns]
    codes = list(by_code.columns)
    sites = list(by_process.index)
    counts = pd.concat([by_process, by_code], axis=1)
    support = pd.concat([by_process.attrs["support"], by_code.attrs["support"]], axis=1)
    digest = _digest(counts, support, min_n, protection_share, protection_units)
    if digest in _PATTERNS:
        return _PATTERNS[digest].copy()

    values = pd.Series(
        counts.to_numpy(dtype=float).ravel(), index=pd.MultiIndex.from_product([sites, processes + codes])
    )
    informants = pd.Series(support.to_numpy(dtype=float).ravel(), index=values.index)
    relations: list[Relation] = []
    for s in sites:
        for p in processes:
            relations.append(((s, p), [(s, c) for c in codes if process_of[c] == p]))
        relations.append((None, [(s, p) for p in processes]))
    for column in processes + codes:
        relations.append((None, [(s, column) for s in sites]))
    hidden = linked_suppress(
        values,
        support=informants,
        relations=relations,
        min_n=min_n,
        avoid=[(s, p) for s in sites for p in processes],
        protection_share=protection_share,
        protection_units=protection_units,
        blocks=pd.Series(values.index.get_level_values(0), index=values.index),
    )
    shape = (len(sites), len(processes) + len(codes))
    pattern = pd.DataFrame(hidden.to_numpy().reshape(shape), index=pd.Index(sites, name=by), columns=processes + codes)
    pattern.attrs = {
        "primary": pd.DataFrame(
            hidden.attrs["primary"].to_numpy().reshape(shape), index=pattern.index, columns=pattern.columns
        ),
        "counts": counts,
        "support": support,
        "relations": relations,
        "min_n": int(min_n),
        "protection": hidden.attrs["protection"],
        "short": hidden.attrs["short"],
    }
    _PATTERNS.clear()  # one study at a time is enough; a report's kernels reuse it page after page
    _PATTERNS[digest] = pattern
    return pattern.copy()


def _digest(counts: pd.DataFrame, support: pd.DataFrame, min_n: int, *rule: Any) -> str:
    h = hashlib.sha256()
    for table in (counts, support):
        h.update(repr(list(table.index)).encode())
        h.update(repr(list(table.columns)).encode())
        h.update(np.ascontiguousarray(table.to_numpy(dtype=float)).tobytes())
    h.update(repr((min_n, *rule)).encode())
    return h.hexdigest()


# ---------------------------------------------------------------------------
# Showing what is hidden


def hidden_note(
    table: pd.DataFrame | pd.Series | None = None,
    *,
    min_n: int | None = None,
    marker: str = HIDDEN_MARK,
    blank: bool = False,
    suppressed: pd.DataFrame | pd.Series | None = None,
) -> str:
    """The footnote of a table with hidden values ("" when nothing is hidden).

    Parameters
    ----------
    table
        A result of :func:`suppress` (its ``attrs["suppressed"]`` and
        ``attrs["min_n"]`` are read); or ``None`` with ``min_n`` given.
    min_n
        The threshold, when ``table`` does not record it.
    marker
        What hidden cells show.
    blank
        The hidden values show as blank cells (a heatmap of a suppressed
        table): the note begins "Blank cells are hidden" in place of the
        marker.
    suppressed
        Boolean table of the hidden cells, when there is no ``table`` to
        read them from (e.g. :func:`hidden_meta_cells`); ``None`` with no
        ``table`` means hidden cells are assumed, as before.
    """
    if table is not None:
        mask = table.attrs.get("suppressed")
        if mask is None or not np.asarray(mask).any():
            return ""
        min_n = table.attrs.get("min_n", min_n)
    elif suppressed is not None and not np.asarray(suppressed).any():
        return ""
    if min_n is None:
        return ""
    hidden = "Blank cells are hidden" if blank else f"{marker} hidden"
    return (
        f"{hidden}: resting on fewer than {min_n} informants, or hidden with such a value so that it "
        "cannot be worked out from the others and the totals."
    )


def hidden_sites(table: pd.DataFrame | pd.Series) -> list:
    """The rows (sites) of a suppressed table with at least one hidden value.

    A figure that draws one mark per site from several of its values (a
    point in a ternary plot, a point in a scatter plot) would show what the
    table hides: these sites are left out of it.

    Parameters
    ----------
    table
        A result of :func:`suppress` (its ``attrs["suppressed"]`` is read).
        A table that records no hidden cells (``suppress(..., min_n=None)``
        returns its input) hides no site.

    Returns
    -------
    list
        Row labels, in the table's order.
    """
    mask = table.attrs.get("suppressed")
    if mask is None:
        return []
    hidden = np.asarray(mask, dtype=bool)
    if hidden.ndim == 2:
        hidden = hidden.any(axis=1)
    return list(pd.Index(mask.index)[hidden])


def hidden_meta_cells(
    matrix: pd.DataFrame, *, min_n: int | None, pattern: pd.DataFrame | None = None
) -> pd.DataFrame | None:
    """Which cells of a meta-matrix hide their count (and, with it, their quotes).

    Parameters
    ----------
    matrix
        A result of :func:`leadlib.compare.meta_matrix`: cells with a
        ``count``, and ``attrs["support"]``.
    min_n
        Threshold in informants; ``None`` hides nothing (returns ``None``).
    pattern
        The study's :func:`site_pattern`, so that the matrix hides what every
        other page hides (see :func:`suppress`).

    Returns
    -------
    DataFrame or None
        Boolean, the matrix's labels: ``True`` where hidden; what
        :func:`leadlib.compare.meta_matrix_html` takes as ``hidden``.
    """
    if min_n is None:
        return None
    counts = matrix.map(lambda cell: cell.count)
    counts.attrs = dict(matrix.attrs)
    return suppress(counts, min_n=min_n, pattern=pattern).attrs["suppressed"]


def hide_group_values(summary: pd.DataFrame, *, groups: pd.Series, pattern: pd.DataFrame | None) -> pd.DataFrame:
    """Hide a group's summary of a column where one of its sites' values in that column is hidden.

    The median (or minimum, or maximum) of a group of sites can be one
    site's value, so it is hidden wherever :func:`site_pattern` hides the
    value of any site of the group.

    Parameters
    ----------
    summary
        One row per group (e.g. cluster), one column per behaviour or process.
    groups
        The group of each site (index: site).
    pattern
        The study's :func:`site_pattern`; ``None`` hides nothing.

    Returns
    -------
    DataFrame
        ``summary`` with the hidden values missing (``summary`` itself when
        ``pattern`` is ``None``).
    """
    if pattern is None:
        return summary
    # sites or columns the pattern does not cover hide nothing (eq(True): False for the missing ones)
    of_sites = pattern.reindex(index=groups.index, columns=summary.columns).eq(True)
    hidden = of_sites.groupby(groups.to_numpy()).any()
    hidden = hidden.reindex(index=summary.index, columns=summary.columns, fill_value=False)
    return summary.mask(hidden.to_numpy(dtype=bool))


def left_out_note(what: str, *, min_n: int | None, why: str | None = None) -> str:
    """The note shown in place of a display that a version with ``min_n`` leaves out ("" without ``min_n``).

    Some displays cannot be suppressed cell by cell: a table of people per
    role and site, where nearly every cell rests on one or two people, or a
    figure that shows every value. With ``min_n`` set they are left out.

    Parameters
    ----------
    what
        The display, e.g. ``"Roles at each site"``.
    min_n
        The threshold of the version; ``None`` (nothing hidden) returns ``""``:
        show the display.
    why
        Why it is left out (``"it would show cells the tables suppress"``).

    Returns
    -------
    str
        ``""`` when the display is shown, else the note.
    """
    if min_n is None:
        return ""
    if why is None:
        return f"{what}: left out of this version (min_n = {min_n})."
    return f"{what} left out: with min_n = {min_n} {why}."


def styled(
    table: pd.DataFrame,
    *,
    formatter: Any = None,
    marker: str = HIDDEN_MARK,
    labels: bool = False,
    suppressed: pd.DataFrame | None = None,
    min_n: int | None = None,
):
    """A suppressed table for display: hidden cells show ``marker``, with a footnote saying why.

    Parameters
    ----------
    table
        A result of :func:`suppress` (or any table, with ``suppressed``).
    formatter
        Format of the shown values, as :meth:`pandas.io.formats.style.Styler.format`
        takes it (a format string such as ``"{:.0%}"``, a callable, or a dict
        column -> either); default: pandas' own.
    marker
        What a hidden cell shows (default an en dash). Missing values that
        were not hidden (e.g. a measure a site did not report) stay blank.
    labels
        Show code labels and vocabulary labels in place of IDs
        (:func:`leadlib.compare.with_labels`).
    suppressed
        Boolean table of the hidden cells; default ``table.attrs["suppressed"]``.
        Matched by labels when they are the table's (it may cover only some
        rows or columns: a suppressed table joined to others), otherwise by
        position (the same table relabelled).
    min_n
        The threshold named in the footnote; default ``table.attrs["min_n"]``.

    Returns
    -------
    pandas.io.formats.style.Styler
        With the footnote as its caption when any cell is hidden.
    """
    mask = suppressed if suppressed is not None else table.attrs.get("suppressed")
    if mask is None:
        mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    if isinstance(mask, pd.Series):
        mask = mask.to_frame()
    if mask.index.isin(table.index).all() and mask.columns.isin(table.columns).all():
        # by label: a mask of some columns (a suppressed table joined to others) covers those
        hidden = mask.reindex(index=table.index, columns=table.columns).fillna(False).to_numpy(dtype=bool)
    else:
        hidden = np.asarray(mask, dtype=bool)  # by position: the same table relabelled
        if hidden.shape != table.shape:
            raise ValueError(f"styled: the hidden cells ({hidden.shape}) do not match the table ({table.shape})")
    threshold = min_n if min_n is not None else table.attrs.get("min_n")
    note = hidden_note(min_n=threshold, marker=marker) if hidden.any() else ""
    shown = table
    if labels:
        shown = with_labels(table)
    shown = shown.copy()
    shown.attrs = {}
    # Text from data (values, row and column labels, their names) is escaped: a Styler escapes nothing unless told.
    style = (
        shown.style.format(formatter, na_rep="", escape="html")
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
        .format_index_names(escape="html", axis=0)
        .format_index_names(escape="html", axis=1)
    )
    if hidden.any():
        frame = pd.DataFrame(hidden, index=shown.index, columns=shown.columns)
        shown_marker = html.escape(str(marker))
        for j, column in enumerate(shown.columns):
            rows = frame.index[frame.iloc[:, j].to_numpy()]
            if len(rows):
                style = style.format(lambda _v: shown_marker, subset=pd.IndexSlice[rows, [column]])
        style = style.set_caption(html.escape(note, quote=False)).set_table_styles(CAPTION_BELOW, overwrite=False)
    return style


#: Style of a table whose caption is a footnote: below the table.
CAPTION_BELOW = [{"selector": "caption", "props": "caption-side: bottom; text-align: left; font-size: 0.9em;"}]


# ---------------------------------------------------------------------------
# Quotes


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


#: What a version with ``show_quotes=False`` shows in place of quotes (see :func:`shown_quotes`).
QUOTES_LEFT_OUT = "Quotes are left out of this version (`show_quotes = False`)."


def shown_quotes(
    frame: pd.DataFrame,
    *,
    show_quotes: bool,
    where: Mapping[str, Any] | None = None,
    n: int | None = 5,
    seed: int = 0,
    min_role_informants: int | None = 2,
    informants: Any = None,
) -> pd.DataFrame | None:
    """A seeded sample of quotes to show (:func:`leadlib.compare.quotes`), or ``None`` when quotes are left out.

    Parameters
    ----------
    frame
        Tidy analysis frame (:meth:`leadlib.Study.frame`).
    show_quotes
        ``False``: no verbatim quote is shown (reports shared outside the
        research team); show :data:`QUOTES_LEFT_OUT` in their place.
    where, n, seed, min_role_informants, informants
        As in :func:`leadlib.compare.quotes` (the role rule of
        :func:`quote_roles`).

    Returns
    -------
    DataFrame or None
        What :func:`leadlib.compare.quotes` returns, or ``None`` with
        ``show_quotes=False``.
    """
    if not show_quotes:
        return None
    return quotes(frame, where=where, n=n, seed=seed, min_role_informants=min_role_informants, informants=informants)


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
            grams.setdefault(hash(tuple(words[start : start + n])), k)
    return grams


def leaked_quotes(
    page_text: str, texts: Sequence[str] | None = None, *, n: int = 8, grams: dict[int, int] | None = None
) -> list[int]:
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
        k = grams.get(hash(tuple(words[start : start + n])))
        if k is not None:
            found.add(k)
    return sorted(found)
