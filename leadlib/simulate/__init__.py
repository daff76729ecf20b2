"""Synthetic studies built on the published design of the microsystem studies.

>>> from leadlib.simulate import simulate_study, write_study
>>> study = simulate_study(n_sites=20, seed=2003)      # tidy tables, in memory
>>> write_study(study, "my-study", seed=2003)          # raw files + manifest, as a team receives them

Everything generated here is fictional and labelled SYNTHETIC; it is not the
data or the results of the 2003 study.
"""

from .model import SYNTHETIC_NOTE, Effects, simulate_study
from .raw import write_study

__all__ = ["simulate_study", "write_study", "Effects", "SYNTHETIC_NOTE"]
