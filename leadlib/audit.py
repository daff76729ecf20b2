"""Audit trail and row accounting, shared by every reader and by tidying.

Every decision that changes what a user's file said is written down here:
one entry per kind of change per column (with how many values it touched and
the rows where it happened), and one entry per dropped row. Nothing is
dropped without an entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import schema
from .study import ACCOUNTING_COLUMNS

__all__ = ["AuditLog", "Accounting", "format_rows", "source_label"]

_MAX_ROWS_SHOWN = 8


def source_label(path: str | Path, base: str | Path | None = None) -> str:
    """A file name as the audit shows it: relative to the study folder."""
    path = Path(path)
    if base is not None:
        try:
            return path.resolve().relative_to(Path(base).resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def format_rows(rows: Iterable[int]) -> str:
    """``"row 5"``, ``"rows 5, 9, 12"``, ``"rows 5, 9, ... (+120 more)"``."""
    rows = sorted({int(r) for r in rows})
    if not rows:
        return ""
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(str(r) for r in rows[:_MAX_ROWS_SHOWN])
    more = len(rows) - _MAX_ROWS_SHOWN
    return f"rows {shown}" + (f", ... (+{more} more)" if more > 0 else "")


@dataclass
class AuditLog:
    """Collects audit entries; :meth:`frame` gives the ``audit`` tidy table."""

    entries: list[dict] = field(default_factory=list)

    def add(
        self,
        table: str,
        source: str,
        action: str,
        reason: str,
        *,
        column: str | None = None,
        before: object = None,
        after: object = None,
        n: int = 1,
        rows: Iterable[int] | None = None,
    ) -> None:
        """Record one decision.

        ``source`` is the file (as :func:`source_label` gives it); ``rows``,
        if given, are the spreadsheet rows it touched and are appended to the
        source as ``file:rows ...``.
        """
        if action not in schema.AUDIT_ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        if rows is not None:
            rows = list(rows)
            if rows:
                source = f"{source}:{format_rows(rows)}"
        self.entries.append(
            {
                "table": table,
                "source": source,
                "column": column,
                "action": action,
                "before": None if before is None else str(before),
                "after": None if after is None else str(after),
                "n": int(n),
                "reason": reason,
            }
        )

    def drop(
        self,
        table: str,
        source: str,
        rows: Sequence[int],
        reason: str | Sequence[str],
        *,
        before: Sequence[object] | None = None,
        column: str | None = None,
    ) -> None:
        """Record dropped rows: one entry per row, each with its reason."""
        reasons = [reason] * len(rows) if isinstance(reason, str) else list(reason)
        befores = list(before) if before is not None else [None] * len(rows)
        for row, why, value in zip(rows, reasons, befores):
            self.entries.append(
                {
                    "table": table,
                    "source": f"{source}:row {int(row)}",
                    "column": column,
                    "action": "drop",
                    "before": None if value is None else str(value),
                    "after": None,
                    "n": 1,
                    "reason": why,
                }
            )

    def extend(self, other: AuditLog) -> None:
        self.entries.extend(other.entries)

    def frame(self) -> pd.DataFrame:
        if not self.entries:
            return schema.empty("audit")
        return schema.conform("audit", pd.DataFrame(self.entries))


@dataclass
class Accounting:
    """Rows read, kept and dropped per source file and table."""

    rows: list[dict] = field(default_factory=list)

    def add(self, source: str, table: str, rows_read: int, rows_kept: int, rows_dropped: int) -> None:
        if rows_read != rows_kept + rows_dropped:
            raise AssertionError(
                f"accounting does not balance for {source} -> {table}: "
                f"read {rows_read}, kept {rows_kept}, dropped {rows_dropped}"
            )
        self.rows.append(
            {
                "source": source,
                "table": table,
                "rows_read": int(rows_read),
                "rows_kept": int(rows_kept),
                "rows_dropped": int(rows_dropped),
            }
        )

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=ACCOUNTING_COLUMNS)
        for col in ("rows_read", "rows_kept", "rows_dropped"):
            frame[col] = frame[col].astype("int64")
        for col in ("source", "table"):
            frame[col] = frame[col].astype("str")
        return frame
