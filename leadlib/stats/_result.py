"""The one family of result objects of :mod:`leadlib.stats`.

Every statistic returns a frozen dataclass derived from :class:`StatResult`:
the statistic under its usual name (``kappa``, ``alpha``, ``chi2``, ``H``,
``odds_ratio``, ``statistic``...), ``p_value``, ``ci`` as ``(low, high)``
(``None`` where there is none), ``method`` (what was computed, in words) and
:meth:`StatResult.to_frame` (a one-row, or tidy, DataFrame).

As scipy's result objects do, the access of the value the function used to
return keeps working, so notebooks and code written against it do not break:

- :class:`FloatResult` (functions that returned a float) *is* a float:
  ``float(r)``, arithmetic, comparison, ``round(r, 3)``, ``f"{r:.2f}"``,
  ``np.isnan(r)`` and ``pytest.approx`` act on the statistic. With
  ``ci=True`` (functions that then returned ``(estimate, low, high)``) it
  also unpacks and indexes as that tuple: ``k, low, high = cohen_kappa(a,
  b, ci=True)``.
- :class:`MappingResult` (functions that returned a dict) is a read-only
  :class:`~collections.abc.Mapping` over the old keys with the same values:
  ``r["p_value"]``, ``r.keys()``, ``dict(r)``, ``"ci" in r``. It cannot be
  changed in place (``dict(r)`` is a mutable copy).

Results that are tables of many statistics (:func:`~leadlib.stats.compare_groups`,
:func:`~leadlib.stats.coder_agreement`, :func:`~leadlib.stats.truth_table`...)
stay DataFrames: a table of many results is a table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

__all__ = ["StatResult", "FloatResult", "MappingResult", "result_class"]

#: The decorator of every result class: frozen, keyword construction for the base's fields, the base's
#: ``repr`` (main statistic first) and the equality of what the result stands for (float, dict).
result_class = dataclass(frozen=True, kw_only=True, eq=False, repr=False)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, bool, int, float, np.generic))


@result_class
class StatResult:
    """Base of every result of :mod:`leadlib.stats`.

    Attributes
    ----------
    p_value : float or None
        The p-value of the test, ``None`` for a statistic that is not a test.
    ci : (float, float) or None
        Confidence interval ``(low, high)``, ``None`` where none is computed.
    method : str
        What was computed, in words (the name of the method and its choices).

    Notes
    -----
    Each subclass names the attribute holding its main statistic in the
    class attribute ``_statistic`` (e.g. ``"kappa"``); it is the float of a
    :class:`FloatResult` and comes first in :meth:`to_frame`.
    """

    #: Attribute holding the main statistic.
    _statistic: ClassVar[str] = "statistic"

    p_value: float | None = None
    ci: tuple[float, float] | None = None
    method: str = ""

    def _ordered(self) -> list[str]:
        """Field names: the main statistic, the subclass's own, then ``p_value``, ``ci``, ``method``."""
        names = [f.name for f in dataclasses.fields(self) if f.repr]
        first = [self._statistic] if self._statistic in names else []
        last = ["p_value", "ci", "method"]
        return first + [n for n in names if n not in first and n not in last] + last

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._ordered())
        # the public class: a ci=True result is a private subclass adding tuple access
        name = next(c.__name__ for c in type(self).__mro__ if not c.__name__.startswith("_"))
        return f"{name}({shown})"

    def _columns(self) -> dict[str, Any]:
        """Scalar attributes, the main statistic first, ``ci`` as ``ci_low`` / ``ci_high``, ``method`` last."""
        row: dict[str, Any] = {}
        for name in self._ordered():
            value = getattr(self, name)
            if name == "ci":
                if value is not None:
                    row["ci_low"], row["ci_high"] = value
            elif _is_scalar(value):
                row[name] = value
        return row

    def to_frame(self) -> pd.DataFrame:
        """The result as a one-row DataFrame.

        Returns
        -------
        DataFrame
            One column per scalar attribute (the main statistic first,
            ``ci`` split into ``ci_low`` and ``ci_high``, ``method`` last);
            tables and dicts held by the result (e.g. ``expected``) are left
            out. Results of several calls stack with :func:`pandas.concat`.
        """
        return pd.DataFrame([self._columns()])


class _FloatBase(float):
    """A float whose value is the dataclass field named by ``_statistic``."""

    _statistic: ClassVar[str]

    def __new__(cls, *args: Any, **kwargs: Any):
        # positional: pickle and copy rebuild a float subclass from its value (float.__getnewargs__)
        value = args[0] if args else kwargs[cls._statistic]
        return float.__new__(cls, value)

    def __str__(self) -> str:
        return float.__repr__(self)

    def __format__(self, spec: str) -> str:
        return format(float(self), spec)


@result_class
class FloatResult(_FloatBase, StatResult):
    """A result that is also the float its function used to return.

    Equality, hashing, arithmetic and formatting are the float's (of the
    statistic); ``repr`` shows every attribute, ``str`` the number.
    """

    __repr__ = StatResult.__repr__


class _TupleAccess:
    """Unpacking and indexing as ``(statistic, low, high)``, the tuple a ``ci=True`` call used to return."""

    def _as_tuple(self) -> tuple[float, float, float]:
        low, high = self.ci  # type: ignore[attr-defined]
        return (float(self), low, high)

    def __iter__(self) -> Iterator[float]:
        return iter(self._as_tuple())

    def __len__(self) -> int:
        return 3

    def __getitem__(self, index):
        return self._as_tuple()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, tuple):
            return self._as_tuple() == other
        return float.__eq__(self, other)  # type: ignore[arg-type]

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = float.__hash__


@result_class
class MappingResult(StatResult, Mapping):
    """A result that is also the read-only dict its function used to return.

    ``keys()`` are the keys the dict had (only those present in that case,
    e.g. no ``odds_ratio`` for a table larger than 2 x 2), each mapped to
    the attribute of the same name.
    """

    _keys: tuple[str, ...] = field(default=(), repr=False)

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    __hash__ = None  # type: ignore[assignment]  # as the dict it replaces
