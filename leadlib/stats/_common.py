"""Private helpers shared by the statistics modules: input checks and warnings.

Every check raises :class:`leadlib.LeadlibDataError` naming the argument
(the "column" of the message), the position (as a spreadsheet would number
the rows of a one-column table: header on row 1, first value on row 2), the
offending value and what to do, so no bare numpy or pandas traceback reaches
a user who passed the wrong thing.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..errors import LeadlibDataError, spreadsheet_row

__all__ = [
    "LeadlibStatsWarning",
    "warn",
    "as_count_table",
    "require_columns",
    "is_missing",
]


class LeadlibStatsWarning(UserWarning):
    """A statistic is undefined or unreliable for the data given (e.g. NaN kappa)."""


def warn(message: str, *, depth: int = 0) -> None:
    """Warn with :class:`LeadlibStatsWarning`, pointing at the caller's caller.

    ``depth`` adds frames for a private helper that warns on behalf of a
    public function, so the warning points at the user's line.
    """
    warnings.warn(message, LeadlibStatsWarning, stacklevel=3 + depth)


def is_missing(value: Any) -> bool:
    """True for None, NaN, pd.NA and NaT (scalars only)."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def as_count_table(table: Any, *, name: str = "table", square: bool = False) -> pd.DataFrame:
    """A contingency table as a float DataFrame of non-negative finite counts.

    Parameters
    ----------
    table
        2-D array-like or DataFrame of counts.
    name
        Argument name, for error messages.
    square
        Require as many rows as columns (an agreement table).
    """
    if isinstance(table, pd.DataFrame):
        frame = table.copy()
    else:
        try:
            array = np.asarray(table, dtype=object)
        except Exception as exc:  # pragma: no cover - numpy rarely fails here
            raise LeadlibDataError(
                f"{name} could not be read as a table of counts",
                column=name,
                hint="pass a 2-D list, array or DataFrame of counts",
            ) from exc
        if array.ndim != 2:
            raise LeadlibDataError(
                f"{name} must be a two-way table (2 dimensions), not {array.ndim}",
                column=name,
                value=getattr(array, "shape", None),
                hint="pass rows x columns of counts, e.g. pd.crosstab(frame[a], frame[b])",
            )
        frame = pd.DataFrame(array)
    if frame.ndim != 2 or frame.shape[0] == 0 or frame.shape[1] == 0:
        raise LeadlibDataError(
            f"{name} is empty", column=name, value=frame.shape, hint="pass at least one row and one column of counts"
        )
    numbers = frame.apply(pd.to_numeric, errors="coerce")
    for j, col in enumerate(frame.columns):
        bad = numbers[col].isna() | ~np.isfinite(numbers[col].astype(float))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise LeadlibDataError(
                f"{name} has a cell that is not a finite count (row {frame.index[i]!r}, column {col!r})",
                row=spreadsheet_row(i),
                column=str(col),
                value=frame.iloc[i, j],
                hint="fill empty cells with 0; a contingency table holds counts only",
            )
        neg = numbers[col] < 0
        if neg.any():
            i = int(np.flatnonzero(neg.to_numpy())[0])
            raise LeadlibDataError(
                f"{name} has a negative count (row {frame.index[i]!r}, column {col!r})",
                row=spreadsheet_row(i),
                column=str(col),
                value=frame.iloc[i, j],
                hint="counts cannot be negative; check how the table was built",
            )
    numbers = numbers.astype(float)
    if square and numbers.shape[0] != numbers.shape[1]:
        raise LeadlibDataError(
            f"{name} must be square (same categories for both raters), not {numbers.shape[0]} x {numbers.shape[1]}",
            column=name,
            value=numbers.shape,
            hint="build it with cohen_kappa(a, b), which aligns both raters' categories, "
            "or add the missing categories as rows/columns of zeros",
        )
    return numbers


def require_columns(frame: pd.DataFrame, columns: dict[str, str], *, what: str = "frame") -> None:
    """Raise if ``frame`` lacks a column; ``columns`` maps column -> argument that named it."""
    if not isinstance(frame, pd.DataFrame):
        raise LeadlibDataError(
            f"{what} must be a pandas DataFrame, not {type(frame).__name__}",
            column=what,
            hint="pass a tidy frame such as Study.frame()",
        )
    for col, argument in columns.items():
        if col not in frame.columns:
            raise LeadlibDataError(
                f"{what} has no column {col!r} (named by {argument}=)",
                column=col,
                value=col,
                hint=f"columns present: {', '.join(map(str, frame.columns[:20]))}"
                + (" ..." if len(frame.columns) > 20 else ""),
            )
