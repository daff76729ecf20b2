"""The result family of leadlib.stats: new attributes, and the old access (float, tuple, dict) still working.

The numbers are those of the worked examples in test_stats_reliability.py and
test_stats_association.py (sources cited there); here they check that the
result objects carry the same values under both the old and the new access.
"""

from __future__ import annotations

import copy
import json
import math
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

from leadlib.stats import (
    AgreementResult,
    AlphaResult,
    ChiSquareResult,
    CorrespondenceAnalysis,
    FisherResult,
    FloatResult,
    KappaResult,
    KruskalResult,
    LeadlibStatsWarning,
    MappingResult,
    PermutationResult,
    SiteClusters,
    StatResult,
    association,
    cluster_sites,
    cohen_kappa,
    cohen_kappa_table,
    compare_groups,
    correspondence_analysis,
    fisher_exact,
    fleiss_kappa,
    krippendorff_alpha,
    kruskal,
    percent_agreement,
    permutation_test,
)

A = ["x", "y", "y", "x"]
B = ["x", "y", "x", "x"]  # kappa 0.5 (the docstring example): agreement 3/4, chance 1/2
# SAS PROC FREQ's kappa for a 3 x 3 table, as in statsmodels' tests (see test_stats_reliability.py):
# kappa 0.4842, 95% CI 0.2137 to 0.7547, over 19 units
TABLE10 = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
TEA = [[3, 1], [1, 3]]  # Fisher's tea tasting: p = 0.4857, conditional MLE odds ratio 6.408309 (R)


# ---------------------------------------------------------------------------
# Float results


def test_percent_agreement_is_a_float_with_its_count():
    r = percent_agreement(A, B)
    assert isinstance(r, AgreementResult) and isinstance(r, StatResult) and isinstance(r, float)
    assert float(r) == 0.75 and r == 0.75 and r.percent_agreement == 0.75
    assert r.n_units == 4 and r.p_value is None and r.ci is None and "percent agreement" in r.method
    # a missing pair is not a unit
    assert percent_agreement(A + [None], B + ["x"]).n_units == 4


def test_kappa_is_a_float_old_access():
    r = cohen_kappa(A, B)
    assert isinstance(r, KappaResult) and isinstance(r, FloatResult)
    # every use of the float it was
    assert float(r) == 0.5 and r == 0.5 and r == pytest.approx(0.5) and r != 0.4
    assert r + 1 == 1.5 and 2 * r == 1.0 and 1 - r == 0.5 and r / 2 == 0.25 and -r == -0.5
    assert r < 0.6 and r >= 0.5 and max(r, 0.2) == 0.5
    assert round(r, 3) == 0.5 and type(round(r, 3)) is float
    assert f"{r:.2f}" == "0.50" and f"{r}" == "0.5" and str(r) == "0.5"
    assert hash(r) == hash(0.5) and {r: 1}[0.5] == 1
    assert json.dumps({"kappa": r}) == '{"kappa": 0.5}'
    assert not np.isnan(r) and not math.isnan(r)
    assert pd.Series([r, r]).dtype == np.float64
    with pytest.raises(TypeError):
        len(r)  # a plain float: it was no tuple without ci=True
    with pytest.raises(TypeError):
        iter(r)


def test_kappa_new_attributes():
    r = cohen_kappa(A, B)
    assert r.kappa == 0.5 and r.n_units == 4 and r.weights is None
    assert r.ci is None and r.se is None and r.confidence_level is None and r.p_value is None
    assert r.method == "Cohen's kappa"
    assert "linear" in cohen_kappa([1, 2, 3], [1, 2, 2], weights="linear").method
    assert repr(r).startswith("KappaResult(kappa=0.5, n_units=4")


def test_kappa_with_ci_unpacks_as_the_tuple_it_was():
    r = cohen_kappa_table(TABLE10, ci=True)
    kappa, low, high = r  # the old (kappa, low, high)
    assert (kappa, low, high) == pytest.approx((0.4842, 0.2137, 0.7547), abs=5e-5)
    assert r == pytest.approx((0.4842, 0.2137, 0.7547), abs=5e-5)
    assert len(r) == 3 and r[0] == kappa and r[1] == low and r[-1] == high and tuple(r) == (kappa, low, high)
    assert r == (kappa, low, high)
    # ... and is also the float kappa, with the interval as attributes
    assert float(r) == kappa and r.kappa == kappa and r.ci == (low, high)
    assert r.confidence_level == 0.95 and r.n_units == 19
    assert r.se == pytest.approx((high - kappa) / 1.959964, rel=1e-6)
    assert repr(r).startswith("KappaResult(")  # the private tuple-access subclass does not show
    # the same through cohen_kappa on labels
    k, lo, hi = cohen_kappa(A, B, ci=True)
    assert k == 0.5 and lo < 0.5 < hi


def test_kappa_undefined_keeps_its_nan_shapes():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeadlibStatsWarning)
        plain = cohen_kappa(["x"] * 3, ["x"] * 3)
        with_ci = cohen_kappa([None], [None], ci=True)
    assert np.isnan(plain) and np.isnan(plain.kappa) and plain.n_units == 3
    assert len(with_ci) == 3 and all(np.isnan(v) for v in with_ci) and with_ci.n_units == 0


def test_fleiss_and_alpha_are_floats_with_attributes():
    # 4 subjects, 3 raters, 2 categories: P-bar = (1 + 1/3 + 1/3 + 1) / 4 = 2/3, P-e = 1/2, kappa = 1/3
    k = fleiss_kappa([[3, 0], [2, 1], [1, 2], [0, 3]])
    assert isinstance(k, KappaResult) and k == pytest.approx(1 / 3) and float(k) == k.kappa
    assert k.n_units == 4 and k.method == "Fleiss' kappa (3 raters per subject)"
    # Krippendorff (2011) nominal example without missing values: a = 0.095 (see test_stats_reliability.py)
    alpha = krippendorff_alpha([[1, 1, 2, 3], [1, 2, 2, 3]], level="nominal")
    assert isinstance(alpha, AlphaResult) and float(alpha) == alpha.alpha
    assert alpha.level == "nominal" and alpha.n_units == 4 and alpha.n_coders == 2
    # a unit coded once cannot be paired: not counted
    assert krippendorff_alpha([[1, 1, 2, np.nan], [1, 2, 2, 3]]).n_units == 3


def test_float_results_pickle_copy_and_stay_frozen():
    r = cohen_kappa_table(TABLE10, ci=True)
    for again in (pickle.loads(pickle.dumps(r)), copy.deepcopy(r), copy.copy(r)):
        assert type(again) is type(r) and tuple(again) == tuple(r) and again.ci == r.ci and again.n_units == 19
    with pytest.raises(AttributeError):
        r.kappa = 1.0


def test_float_result_to_frame():
    frame = cohen_kappa_table(TABLE10, ci=True).to_frame()
    assert len(frame) == 1
    assert list(frame.columns) == [
        "kappa",
        "n_units",
        "weights",
        "se",
        "confidence_level",
        "p_value",
        "ci_low",
        "ci_high",
        "method",
    ]
    assert frame.loc[0, "ci_low"] == pytest.approx(0.2137, abs=5e-5)
    # no interval: no ci columns
    assert "ci_low" not in cohen_kappa(A, B).to_frame().columns


# ---------------------------------------------------------------------------
# Mapping results


def test_association_is_the_dict_it_was():
    with pytest.warns(LeadlibStatsWarning, match="expected counts are below 5"):
        r = association(TEA)
    assert isinstance(r, ChiSquareResult) and isinstance(r, MappingResult)
    keys = ["n", "dof", "chi2", "p_value", "cramers_v", "cramers_v_corrected", "expected", "small_expected", "warning"]
    assert list(r) == keys and list(r.keys()) == keys and len(r) == 9
    assert r["chi2"] == r.chi2 == pytest.approx(2.0) and r["dof"] == r.dof == 1 and r["n"] == 8
    assert dict(r)["cramers_v"] == r.cramers_v == pytest.approx(0.5)
    assert "chi2" in r and "odds_ratio" not in r and r.get("odds_ratio") is None
    assert {**r}.keys() == dict(r).keys()
    assert r.p_value == r["p_value"] and r.ci is None and "chi-square" in r.method
    with pytest.raises(KeyError):
        r["method"]  # not a key of the old dict: only an attribute
    with pytest.raises(TypeError):
        r["chi2"] = 1.0  # read-only: dict(r) is a mutable copy
    frame = r.to_frame()
    assert list(frame.columns)[0] == "chi2" and "expected" not in frame.columns and len(frame) == 1


def test_fisher_exact_keys_depend_on_the_table_as_before():
    r = fisher_exact(TEA)
    assert isinstance(r, FisherResult)
    assert list(r) == ["p_value", "sample_odds_ratio", "method", "odds_ratio", "ci"]
    assert r["p_value"] == r.p_value == pytest.approx(0.4857, abs=5e-5)
    assert r["odds_ratio"] == r.odds_ratio == pytest.approx(6.408309, rel=2e-6)
    low, high = r["ci"]
    assert r.ci == (low, high) and low < r.odds_ratio < high
    assert r.sample_odds_ratio == 9.0 and r.alternative == "two-sided"
    assert fisher_exact(TEA, alternative="greater").alternative == "greater"
    larger = fisher_exact([[3, 1, 2], [1, 3, 2]], n_resamples=999, method="monte-carlo")
    assert list(larger) == ["p_value", "method"] and "odds_ratio" not in larger
    assert larger.odds_ratio is None and larger.ci is None and "999 random tables" in larger.method
    assert list(r.to_frame().columns) == [
        "odds_ratio",
        "sample_odds_ratio",
        "alternative",
        "p_value",
        "ci_low",
        "ci_high",
        "method",
    ]


def test_kruskal_and_permutation_are_the_dicts_they_were():
    frame = pd.DataFrame({"v": [1, 2, 3, 4, 5, 6.0], "g": list("aaabbb")})
    k = kruskal(frame, value="v", group="g")
    assert isinstance(k, KruskalResult)
    assert list(k) == ["n", "groups", "dof", "left_out", "H", "p_value", "epsilon_squared"]
    assert k["H"] == k.H == pytest.approx(3.857143, abs=5e-7)  # 12/(6*7) * (36 + 225)/3 - 21
    assert k["groups"] == k.groups == {"a": 3, "b": 3} and k.left_out == {} and k.n == 6
    p = permutation_test(frame, value="v", group="g")
    assert isinstance(p, PermutationResult)
    assert list(p) == ["groups", "n_resamples", "left_out", "statistic", "statistic_name", "p_value", "exact"]
    # a = {1,2,3} below b = {4,5,6}: 2 of the 20 splits of six values into two triples are as extreme
    assert p["statistic"] == p.statistic == -3.0 and p["p_value"] == p.p_value == pytest.approx(2 / 20)
    assert p.exact and "all 20 regroupings" in p.method and p.statistic_name == "mean_difference"
    assert dict(p) == {key: getattr(p, key) for key in p}


# ---------------------------------------------------------------------------
# Objects that were results already


def test_correspondence_analysis_and_clusters_are_stat_results():
    table = pd.DataFrame([[10, 2, 3], [2, 9, 4], [3, 3, 8]], index=["S1", "S2", "S3"], columns=["BK", "TA", "RR"])
    ca = correspondence_analysis(table)
    assert isinstance(ca, (StatResult, CorrespondenceAnalysis)) and ca.p_value is None and ca.ci is None
    assert "correspondence analysis" in ca.method
    dims = ca.to_frame()
    assert list(dims.index) == ["Dim1", "Dim2"]
    assert dims["principal_inertia"].sum() == pytest.approx(ca.total_inertia)
    assert dims["explained"].sum() == pytest.approx(1.0)
    clusters = cluster_sites(table, k=2)
    assert isinstance(clusters, (StatResult, SiteClusters)) and clusters.method == "average"
    sites = clusters.to_frame()
    assert list(sites.index) == clusters.order and list(sites["leaf"]) == [0, 1, 2]
    assert sites["cluster"].to_dict() == clusters.labels.to_dict()
    assert "cluster" not in cluster_sites(table).to_frame().columns


# ---------------------------------------------------------------------------
# compare_groups: by= (formerly site=)


def _codings() -> pd.DataFrame:
    rows = []
    for site, setting, n_bk in [("S1", "A", 3), ("S2", "A", 4), ("S3", "B", 1), ("S4", "B", 0)]:
        for i in range(n_bk):
            rows.append((site, setting, "BK", f"{site}-{i}"))
        rows.append((site, setting, "TA", f"{site}-ta"))
    return pd.DataFrame(rows, columns=["site_id", "setting", "code_id", "informant_id"])


def test_compare_groups_site_keyword_is_renamed_by():
    frame = _codings()
    new = compare_groups(frame, behaviours=["BK"], group="setting", unit="segments", by="site_id")
    with pytest.warns(DeprecationWarning, match=r"compare_groups\(\): the keyword site= is renamed by="):
        old = compare_groups(frame, behaviours=["BK"], group="setting", unit="segments", site="site_id")
    pd.testing.assert_frame_equal(old, new)
    # shares of each site's codings: A = 3/4, 4/5; B = 1/2, 0/1
    assert new.loc[0, "median_A"] == pytest.approx((3 / 4 + 4 / 5) / 2)
    with pytest.raises(TypeError, match="both site= and by="):
        compare_groups(frame, behaviours=["BK"], group="setting", site="site_id", by="site_id")


def test_compare_groups_warnings_point_at_the_caller():
    # the renaming wrapper adds a frame: the warnings must still name this file, not leadlib's
    frame = _codings()
    frame.loc[frame["site_id"] == "S4", "setting"] = None
    with pytest.warns(LeadlibStatsWarning) as caught:
        compare_groups(frame, behaviours=["BK"], group="setting", unit="segments")
    assert caught and all(w.filename == __file__ for w in caught)
