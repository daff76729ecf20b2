"""Root pytest configuration.

nbval resolves its sanitize file against the current directory, so the path
is made absolute here. MPLBACKEND is deliberately not set: notebook kernels
inherit the environment, and under Agg their figures would vanish from the
saved outputs (plain-Python tests pick Agg by themselves, having no display).
"""

from __future__ import annotations


def pytest_configure(config):
    sanitize = config.rootpath / "notebooks" / "nbval-sanitize.cfg"
    if getattr(config.option, "nbval_sanitize_with", "absent") is None and sanitize.exists():
        config.option.nbval_sanitize_with = str(sanitize)
    config.addinivalue_line("markers", "slow: a test that takes more than a few seconds")
