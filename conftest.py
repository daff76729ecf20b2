"""Root pytest configuration.

nbval resolves its sanitize file against the current directory, so the path
is made absolute here. MPLBACKEND is deliberately not set: notebook kernels
inherit the environment, and under Agg their figures would vanish from the
saved outputs (plain-Python tests pick Agg by themselves, having no display).
"""

from __future__ import annotations

import os
import shutil
import tempfile

_OWN_CACHE: list[str] = []


def pytest_configure(config):
    # The tests (and the notebook kernels nbval starts, which inherit the environment) keep leadlib's cache of
    # tidy tables in a folder of their own, removed at the end, not in the user's cache directory.
    if "LEADLIB_CACHE_DIR" not in os.environ:
        _OWN_CACHE.append(tempfile.mkdtemp(prefix="leadlib-test-cache-"))
        os.environ["LEADLIB_CACHE_DIR"] = _OWN_CACHE[0]
    sanitize = config.rootpath / "notebooks" / "nbval-sanitize.cfg"
    if getattr(config.option, "nbval_sanitize_with", "absent") is None and sanitize.exists():
        config.option.nbval_sanitize_with = str(sanitize)
    config.addinivalue_line("markers", "slow: a test that takes more than a few seconds")


def pytest_unconfigure(config):
    for folder in _OWN_CACHE:
        shutil.rmtree(folder, ignore_errors=True)
