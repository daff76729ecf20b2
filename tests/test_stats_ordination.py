"""Tests of leadlib.stats.ordination against published worked examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leadlib import LeadlibDataError
from leadlib.stats import LeadlibStatsWarning, cluster_sites, correspondence_analysis

# Greenacre's smoking data (Greenacre 1984, p. 55; Correspondence Analysis in
# Practice, 2007): staff groups x smoking categories of a fictional firm.
SMOKE = pd.DataFrame(
    [[4, 2, 3, 2], [4, 3, 7, 4], [25, 10, 12, 4], [18, 24, 33, 13], [10, 6, 7, 2]],
    index=["SM", "JM", "SE", "JE", "SC"],
    columns=["none", "light", "medium", "heavy"],
)

# Printed output of R's ca package, ca(smoke) (Nenadic & Greenacre 2007, J Stat
# Softw 20(3); the same numbers as Greenacre 2007): principal inertias,
# masses, chi-square distances, inertias, standard coordinates (6 decimals).
CA_INERTIAS = [0.074759, 0.010017, 0.000414]
CA_PERCENT = [87.76, 11.76, 0.49]
CA_ROWS = pd.DataFrame(
    {
        "mass": [0.056995, 0.093264, 0.264249, 0.455959, 0.129534],
        "chidist": [0.216559, 0.356921, 0.380779, 0.240025, 0.216169],
        "inertia": [0.002673, 0.011881, 0.038314, 0.026269, 0.006053],
        "dim1": [-0.240539, 0.947105, -1.391973, 0.851989, -0.735456],
        "dim2": [-1.935708, -2.430958, -0.106508, 0.576944, 0.788435],
    },
    index=SMOKE.index,
)
CA_COLS = pd.DataFrame(
    {
        "mass": [0.316062, 0.233161, 0.321244, 0.129534],
        "chidist": [0.394490, 0.173996, 0.198127, 0.355109],
        "inertia": [0.049186, 0.007059, 0.012610, 0.016335],
        "dim1": [-1.438471, 0.363746, 0.718017, 1.074445],
        "dim2": [-0.304659, 1.409433, 0.073528, -1.975960],
    },
    index=SMOKE.columns,
)
TOL6 = 5e-6  # half a unit in the 6th decimal (plus rounding of the last digit)


def _same_up_to_sign(ours: pd.Series, published: pd.Series) -> bool:
    largest = int(np.argmax(np.abs(published.to_numpy())))
    sign = np.sign(ours.iloc[largest] * published.iloc[largest])
    return np.allclose(ours.to_numpy() * sign, published.to_numpy(), atol=TOL6)


def test_ca_smoke_inertias_and_masses_match_r_ca():
    ca = correspondence_analysis(SMOKE)
    assert ca.principal_inertias == pytest.approx(CA_INERTIAS, abs=5e-7)
    assert 100 * ca.explained == pytest.approx(CA_PERCENT, abs=5e-3)
    # total inertia = chi-square / n; Greenacre: chi-square 16.44 with n = 193
    assert ca.total_inertia * 193 == pytest.approx(16.44, abs=5e-3)
    assert ca.row_mass.to_numpy() == pytest.approx(CA_ROWS["mass"].to_numpy(), abs=TOL6)
    assert ca.col_mass.to_numpy() == pytest.approx(CA_COLS["mass"].to_numpy(), abs=TOL6)
    assert ca.row_inertia.to_numpy() == pytest.approx(CA_ROWS["inertia"].to_numpy(), abs=TOL6)
    assert ca.col_inertia.to_numpy() == pytest.approx(CA_COLS["inertia"].to_numpy(), abs=TOL6)
    # chi-square distance to the centroid = sqrt(inertia / mass)
    assert np.sqrt(ca.row_inertia / ca.row_mass).to_numpy() == pytest.approx(CA_ROWS["chidist"].to_numpy(), abs=TOL6)


def test_ca_smoke_standard_coordinates_match_r_ca_up_to_axis_sign():
    ca = correspondence_analysis(SMOKE)
    assert list(ca.row_standard.index) == list(SMOKE.index)
    for j, dim in enumerate(["dim1", "dim2"]):
        assert _same_up_to_sign(ca.row_standard.iloc[:, j], CA_ROWS[dim])
        assert _same_up_to_sign(ca.col_standard.iloc[:, j], CA_COLS[dim])
    # principal = standard x singular value (Greenacre 2007, ch. 8)
    assert ca.row_principal.iloc[:, 0].to_numpy() == pytest.approx(
        ca.row_standard.iloc[:, 0].to_numpy() * np.sqrt(CA_INERTIAS[0]), abs=1e-5
    )


def test_ca_sign_convention_is_documented_and_stable():
    ca = correspondence_analysis(SMOKE)
    for dim in ca.row_standard.columns:
        coords = ca.row_standard[dim]
        assert coords.iloc[np.argmax(np.abs(coords.to_numpy()))] > 0
    # R's ca has SE at -1.391973 on dimension 1; our convention makes it positive,
    # and every column flips with the rows (none: -1.438471 -> +1.438471).
    assert ca.row_standard.loc["SE", "Dim1"] == pytest.approx(1.391973, abs=TOL6)
    assert ca.col_standard.loc["none", "Dim1"] == pytest.approx(1.438471, abs=TOL6)
    # Reordering the rows of the table does not change any point's coordinates.
    shuffled = correspondence_analysis(SMOKE.iloc[[3, 0, 4, 1, 2]])
    pd.testing.assert_frame_equal(shuffled.row_standard.loc[SMOKE.index], ca.row_standard, atol=1e-10)
    pd.testing.assert_frame_equal(shuffled.col_standard, ca.col_standard, atol=1e-10)


def test_ca_contributions_and_cos2():
    ca = correspondence_analysis(SMOKE)
    # contributions = mass x standard coordinate^2 (Greenacre 2007, ch. 11): sum to 1 per axis
    assert ca.row_contributions.sum().to_numpy() == pytest.approx(1.0)
    assert ca.col_contributions.sum().to_numpy() == pytest.approx(1.0)
    # with all dimensions kept, each point's squared correlations sum to 1
    assert ca.row_cos2.sum(axis=1).to_numpy() == pytest.approx(1.0)


def test_ca_empty_row_dropped_and_degenerate_table_rejected():
    with_empty = pd.concat([SMOKE, pd.DataFrame([[0, 0, 0, 0]], index=["XX"], columns=SMOKE.columns)])
    with pytest.warns(LeadlibStatsWarning, match="empty"):
        ca = correspondence_analysis(with_empty)
    assert "XX" not in ca.row_standard.index
    assert ca.principal_inertias == pytest.approx(CA_INERTIAS, abs=5e-7)
    with pytest.raises(LeadlibDataError, match="at least two"):
        correspondence_analysis([[1, 2, 3]])


# UPGMA worked example (Sokal & Michener 1958 method; the 5S ribosomal RNA
# distances of five bacteria in Wikipedia's "UPGMA" article, "Working
# example"): a and b join at 17, (a,b) and e at 22, c and d at 28, the two
# clusters at 33 (the article's branch lengths are half these heights:
# 8.5, 11, 14, 16.5).
UPGMA = pd.DataFrame(
    [[0, 17, 21, 31, 23], [17, 0, 30, 34, 21], [21, 30, 0, 28, 39], [31, 34, 28, 0, 43], [23, 21, 39, 43, 0]],
    index=list("abcde"),
    columns=list("abcde"),
    dtype=float,
)
UPGMA_HEIGHTS = pd.DataFrame(
    [[0, 17, 33, 33, 22], [17, 0, 33, 33, 22], [33, 33, 0, 28, 33], [33, 33, 28, 0, 33], [22, 22, 33, 33, 0]],
    index=list("abcde"),
    columns=list("abcde"),
    dtype=float,
)


def test_upgma_worked_example_heights_clusters_and_cophenetic_correlation():
    result = cluster_sites(UPGMA, method="average", metric="precomputed", k=2)
    pd.testing.assert_frame_equal(result.cophenetic, UPGMA_HEIGHTS)
    assert result.labels["a"] == result.labels["b"] == result.labels["e"] != result.labels["c"] == result.labels["d"]
    # Sokal & Rohlf (1962): Pearson correlation of original and cophenetic
    # distances, here from the published tree.
    upper = np.triu_indices(5, 1)
    expected = np.corrcoef(UPGMA.to_numpy()[upper], UPGMA_HEIGHTS.to_numpy()[upper])[0, 1]
    assert result.cophenetic_correlation == pytest.approx(expected, abs=1e-12)
    assert sorted(result.order) == list("abcde")


def test_cluster_sites_on_features_uses_the_metric():
    # Two points on a line and one far away: Euclidean distances 1, 10, 9.
    matrix = pd.DataFrame({"x": [0.0, 1.0, 10.0]}, index=["S1", "S2", "S3"])
    result = cluster_sites(matrix, method="single", k=2)
    assert result.distances.loc["S1", "S3"] == pytest.approx(10.0)
    assert result.labels["S1"] == result.labels["S2"] != result.labels["S3"]


def test_cluster_sites_errors():
    with pytest.raises(LeadlibDataError, match="missing or non-numeric") as err:
        cluster_sites(pd.DataFrame({"x": [1.0, np.nan]}, index=["S1", "S2"]))
    assert err.value.row == 3 and err.value.column == "x"
    with pytest.raises(LeadlibDataError, match="Euclidean"):
        cluster_sites(pd.DataFrame({"x": [1.0, 2.0, 4.0]}), method="ward", metric="cityblock")
    with pytest.raises(LeadlibDataError, match="at least two sites"):
        cluster_sites(pd.DataFrame({"x": [1.0]}))
