"""leadlib.stats.rank_correlations against a published worked example."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leadlib.stats import rank_correlations

# Worked example of Spearman's rank correlation (Wikipedia, "Spearman's rank correlation coefficient", section
# "Example"): IQ and hours of television per week of ten people; sum of squared rank differences 194, so
# rho = 1 - 6 * 194 / (10 * (10**2 - 1)) = -29/165 = -0.175757...
IQ = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110]
TV = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17]


def test_rho_of_the_worked_example():
    x = pd.DataFrame({"iq": IQ}, index=list("abcdefghij"))
    y = pd.DataFrame({"tv": TV}, index=list("abcdefghij"))
    out = rank_correlations(x, y, [("iq", "tv")], n_resamples=999, seed=1)
    assert out.loc[0, "rho"] == pytest.approx(-29 / 165, abs=1e-12)
    assert out.loc[0, "n"] == 10
    # the example's own conclusion: far from significant
    assert out.loc[0, "p"] > 0.5


def test_cases_are_matched_by_index_and_missing_values_left_out():
    x = pd.DataFrame({"iq": IQ + [150.0]}, index=list("abcdefghijk"))
    # y in another row order, with a case x lacks and a case with no value: matched by index, those left out
    y = pd.DataFrame({"tv": TV + [np.nan, 3.0]}, index=list("abcdefghijk") + ["z"]).iloc[::-1]
    out = rank_correlations(x, y, [("iq", "tv")], n_resamples=99)
    assert out.loc[0, "n"] == 10
    assert out.loc[0, "rho"] == pytest.approx(-29 / 165)


def test_pairs_together_find_what_each_misses_and_p_is_exact_in_form():
    rng = np.random.default_rng(0)
    latent = rng.standard_normal((20, 3))
    x = pd.DataFrame(latent + rng.standard_normal((20, 3)), columns=["a", "b", "c"])
    y = pd.DataFrame(latent + rng.standard_normal((20, 3)), columns=["A", "B", "C"])
    out = rank_correlations(x, y, [("a", "A"), ("b", "B"), ("c", "C")], n_resamples=1999, seed=3)
    together = out.iloc[-1]
    assert together["x"] == "all pairs"
    assert together["rho"] == pytest.approx(out["rho"].iloc[:3].mean())
    assert together["p"] <= out["p"].iloc[:3].min()
    # permutation p-values are (1 + k) / (1 + n): never 0, multiples of 1 / 2000
    assert ((out["p"] * 2000).round(6) % 1 == 0).all() and (out["p"] > 0).all()
    # unrelated columns: the mean rho is not significant
    noise = pd.DataFrame(rng.standard_normal((20, 3)), columns=["A", "B", "C"])
    assert rank_correlations(x, noise, [("a", "A"), ("b", "B"), ("c", "C")], n_resamples=999).iloc[-1]["p"] > 0.05


def test_bad_arguments_say_what_is_wrong():
    x = pd.DataFrame({"a": [1, 2, 3]})
    with pytest.raises(ValueError, match="no column 'z'"):
        rank_correlations(x, x, [("a", "z")])
    with pytest.raises(ValueError, match="at least 3"):
        rank_correlations(x.iloc[:2], x.iloc[:2], [("a", "a")])
