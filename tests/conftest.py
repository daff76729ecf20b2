"""Shared fixtures: small simulated studies, written and loaded once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def small_study():
    """A 6-site simulated study (tidy tables, in memory)."""
    from leadlib.simulate import simulate_study

    return simulate_study(n_sites=6, seed=11)


@pytest.fixture(scope="session")
def small_study_dir(tmp_path_factory, small_study):
    """The 6-site study written as raw files with mess, with its manifest."""
    from leadlib.simulate import write_study

    folder = tmp_path_factory.mktemp("small-study")
    write_study(small_study, folder, seed=11, overwrite=True)
    return folder


@pytest.fixture
def study_copy(small_study_dir, tmp_path):
    """A private copy of the small study folder, for tests that damage it."""
    target = tmp_path / "study"
    shutil.copytree(small_study_dir, target, ignore=shutil.ignore_patterns(".leadlib-cache"))
    return target


@pytest.fixture(scope="session")
def bundled():
    """The bundled study, loaded once."""
    import leadlib

    return leadlib.load_study()


@pytest.fixture
def time_limit():
    """The test fails after 60 s instead of hanging (a FIFO opened for reading blocks for ever; a padded sheet
    once took ten minutes). Use with ``pytestmark = pytest.mark.usefixtures("time_limit")``."""
    import signal

    def expire(*_):
        raise TimeoutError("the test ran past its time limit: a reader hangs")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
