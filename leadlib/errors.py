"""The one error leadlib raises for bad input data.

Every problem with a user's files ends as a :class:`LeadlibDataError` that
names the file, the row as a spreadsheet shows it, the column, the offending
value, and what to do about it. Code that reads user data catches pandas,
pyarrow, XML and zip exceptions and re-raises them as this error, so no bare
library traceback reaches the user.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

__all__ = ["LeadlibDataError", "spreadsheet_row"]


def spreadsheet_row(index: int, *, header_rows: int = 1, skip_rows: int = 0) -> int:
    """Row number a spreadsheet program shows for the ``index``-th data record.

    Parameters
    ----------
    index
        0-based position of the record among the data records.
    header_rows
        Number of header rows (1 for a usual CSV).
    skip_rows
        Rows above the header (title lines, notes).
    """
    return int(index) + skip_rows + header_rows + 1


class LeadlibDataError(ValueError):
    """Bad input data, with where it is and what to do.

    Attributes
    ----------
    path : Path or None
        The file the problem is in.
    row : int or None
        The row as a spreadsheet shows it (1 = first line of the file,
        the header of a usual CSV), or the line of a text/XML file.
    column : str or None
        The column as it is named in the file.
    value : object
        The offending value, as read.
    problem : str
        What is wrong.
    hint : str
        What to do about it.
    """

    def __init__(
        self,
        problem: str,
        *,
        path: str | PathLike[str] | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        hint: str = "",
    ) -> None:
        self.problem = problem
        self.path = Path(path) if path is not None else None
        self.row = int(row) if row is not None else None
        self.column = column
        self.value = value
        self.hint = hint
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.path is not None:
            where.append(f"file {self.path}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        parts = []
        if where:
            parts.append(", ".join(where) + ": ")
        parts.append(self.problem)
        if self.value is not None:
            shown = repr(self.value)
            if len(shown) > 120:
                shown = shown[:117] + "..."
            parts.append(f" (value: {shown})")
        message = "".join(parts)
        if self.hint:
            message += f"\n  What to do: {self.hint}"
        return message

    def __reduce__(self):  # keep attributes when pickled (papermill, multiprocessing)
        return (
            _rebuild,
            (self.problem, self.path, self.row, self.column, self.value, self.hint),
        )


def _rebuild(problem, path, row, column, value, hint):
    return LeadlibDataError(problem, path=path, row=row, column=column, value=value, hint=hint)
