"""Readers: one per source format. Each returns raw frames with provenance
(spreadsheets, text) or a whole :class:`~leadlib.study.Study` (exports of
qualitative-analysis software).

>>> from leadlib.io import read_refi, read_taguette, read_qualcoder
"""

from __future__ import annotations

__all__ = ["read_refi", "read_taguette", "read_qualcoder", "write_refi"]

_WHERE = {
    "read_refi": "refi",
    "write_refi": "refi",
    "read_taguette": "taguette",
    "read_qualcoder": "qualcoder",
}


def __getattr__(name):  # import a reader's module only when it is used
    if name in _WHERE:
        import importlib

        module = importlib.import_module(f"{__name__}.{_WHERE[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
