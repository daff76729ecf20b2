"""Renamed keywords keep working for a while, with a :class:`DeprecationWarning` naming the new one.

The vocabulary of the API (``docs/api.md``) gives one keyword to one idea
everywhere (``by``, ``of``, ``group``...). Where a function used another
word, the old keyword is still accepted::

    @renamed_keywords(rows="by", cols="of")
    def meta_matrix(frame, *, by="site_id", of="process", ...): ...

    meta_matrix(frame, rows="setting")  # works, warns: use by= instead of rows=

This module imports nothing from leadlib, so any layer can use it.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["renamed_keywords"]

F = TypeVar("F", bound=Callable[..., Any])


def renamed_keywords(**renamed: str) -> Callable[[F], F]:
    """Decorator: accept each old keyword (``old="new"``) as the new one, with a DeprecationWarning.

    Parameters
    ----------
    **renamed
        Old keyword -> new keyword.

    Returns
    -------
    callable
        The decorator. Passing both the old and the new keyword is a
        :class:`TypeError`, as passing one keyword twice is.
    """

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renamed.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise TypeError(
                        f"{function.__name__}() got both {old}= and {new}=: {old}= is the old name of {new}=, "
                        f"give {new}= only"
                    )
                warnings.warn(
                    f"{function.__name__}(): the keyword {old}= is renamed {new}=; use {new}= "
                    f"({old}= will be removed in a future version)",
                    DeprecationWarning,
                    stacklevel=2,
                )
                kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)

        wrapper.__renamed_keywords__ = dict(renamed)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
