"""Tests of leadlib.stats.association against published worked examples.

Each test names its source and tolerance.
"""

from __future__ import annotations

import itertools
import warnings
from math import lgamma
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from leadlib import LeadlibDataError
from leadlib.stats import (
    LeadlibStatsWarning,
    association,
    benjamini_hochberg,
    compare_groups,
    compare_variables,
    fisher_exact,
    kruskal,
    permutation_test,
)

FIXTURES = Path(__file__).parent / "fixtures" / "stats"

# Agresti (2007), An Introduction to Categorical Data Analysis, 2nd ed.,
# Table 2.5 (p. 38): gender x party identification, n = 2757.
PARTY = pd.DataFrame(
    [[762, 327, 468], [484, 239, 477]], index=["female", "male"], columns=["democrat", "independent", "republican"]
)
# Fisher's tea-tasting experiment as in Agresti (2002, p. 91) and R's
# ?fisher.test: rows = guess (milk, tea), columns = truth (milk, tea).
TEA = [[3, 1], [1, 3]]
# Fisher (1962, 1970) criminal convictions of like-sex twins, R's ?fisher.test:
# rows dizygotic / monozygotic, columns convicted / not convicted.
CONVICTIONS = [[2, 15], [10, 3]]
# Agresti (2002, p. 57) job satisfaction by income, R's ?fisher.test.
JOB = [[1, 3, 10, 6], [2, 3, 10, 7], [1, 6, 14, 12], [0, 1, 9, 11]]


def test_pearson_chi_square_party_identification():
    # Agresti (2007) p. 38-39: X^2 = 30.1, df = 2, P < 0.001 (tolerance 0.05).
    result = association(PARTY)
    assert result["chi2"] == pytest.approx(30.1, abs=0.05)
    assert result["dof"] == 2 and result["p_value"] < 0.001
    assert result["n"] == 2757
    # Cramer (1946) V = sqrt(X^2 / (n (min(r, c) - 1))) with the published X^2
    assert result["cramers_v"] == pytest.approx(np.sqrt(30.1 / 2757), abs=5e-4)
    assert not result["small_expected"]
    assert list(result["expected"].index) == ["female", "male"]
    # expected count = row total x column total / n (Agresti 2007 eq. 2.4 ff.)
    assert result["expected"].loc["female", "democrat"] == pytest.approx(1557 * 1246 / 2757)


def test_bias_corrected_cramers_v_tea_tasting():
    # Bergsma (2013) correction as in R effectsize::cramers_v(adjust = TRUE),
    # printed by R package report for the TeaTasting table: "Adjusted Cramer's
    # v = 0.35" (tolerance 0.005). Uncorrected V of a 2 x 2 table is |phi| =
    # |ad - bc| / sqrt(row and column totals) = 8 / 16 = 0.5.
    with pytest.warns(LeadlibStatsWarning, match="below 5"):
        result = association(TEA)
    assert result["cramers_v_corrected"] == pytest.approx(0.35, abs=0.005)
    assert result["cramers_v"] == pytest.approx(0.5)
    assert result["small_expected"]


def test_empty_rows_are_left_out_with_a_warning():
    with pytest.warns(LeadlibStatsWarning, match="empty row"):
        result = association([[762, 327, 468], [0, 0, 0], [484, 239, 477]])
    assert result["chi2"] == pytest.approx(30.1, abs=0.05)


def test_fisher_tea_tasting_conditional_mle_and_exact_ci():
    # R fisher.test(TeaTasting): p-value = 0.4857, odds ratio 6.408309,
    # 95 percent CI 0.2117329 621.9337505; alternative = "greater": p =
    # 0.2429, CI 0.3135693 Inf.  R finds the odds ratio and the CI ends by
    # uniroot with a loose tolerance: the estimate agrees to 2e-6 relative and
    # the lower end to 2e-5, but R's upper end 621.93 is not the exact root
    # (626.24 solves the defining equation), hence rel 0.01 there.
    result = fisher_exact(TEA)
    assert result["p_value"] == pytest.approx(0.4857, abs=5e-5)
    assert result["odds_ratio"] == pytest.approx(6.408309, rel=2e-6)
    assert result["odds_ratio"] != pytest.approx(result["sample_odds_ratio"])  # 9: not what R reports
    low, high = result["ci"]
    assert low == pytest.approx(0.2117329, rel=2e-5)
    assert high == pytest.approx(621.9337505, rel=0.01)
    greater = fisher_exact(TEA, alternative="greater")
    assert greater["p_value"] == pytest.approx(0.2429, abs=5e-5)
    assert greater["ci"][0] == pytest.approx(0.3135693, rel=2e-5)
    assert greater["ci"][1] == np.inf


def test_fisher_ci_ends_solve_the_conditional_equations():
    # The exact conditional interval (Cornfield 1956; R's fisher.test): at the
    # lower end psi_L, P(X >= x) = alpha/2 and at the upper end P(X <= x) =
    # alpha/2 under Fisher's noncentral hypergeometric with odds ratio psi.
    a, b, c, d = 2, 15, 10, 3
    low, high = fisher_exact(CONVICTIONS)["ci"]
    total, rows1, cols1 = a + b + c + d, a + b, a + c
    assert sps.nchypergeom_fisher.sf(a - 1, total, cols1, rows1, low) == pytest.approx(0.025, abs=1e-6)
    assert sps.nchypergeom_fisher.cdf(a, total, cols1, rows1, high) == pytest.approx(0.025, abs=1e-6)


def test_fisher_convictions_matches_r():
    # R ?fisher.test, Convictions: two-sided p-value = 0.0005367, odds ratio
    # 0.04693661, 95% CI 0.003325764 0.363182271; 99% CI 0.001386333
    # 0.578851645; alternative = "less": p-value = 0.0004652, CI 0 0.2849601.
    # R's CI ends are uniroot approximations (see the tea-tasting test):
    # tolerance rel 0.015 on them, 5e-8 absolute on p-values.
    result = fisher_exact(CONVICTIONS)
    assert result["p_value"] == pytest.approx(0.0005367, abs=5e-8)
    assert result["odds_ratio"] == pytest.approx(0.04693661, rel=2e-6)
    assert result["ci"] == pytest.approx((0.003325764, 0.363182271), rel=0.015)
    assert fisher_exact(CONVICTIONS, level=0.99)["ci"] == pytest.approx((0.001386333, 0.578851645), rel=0.015)
    less = fisher_exact(CONVICTIONS, alternative="less")
    assert less["p_value"] == pytest.approx(0.0004652, abs=5e-8)
    assert less["ci"][0] == 0 and less["ci"][1] == pytest.approx(0.2849601, rel=1e-4)


def _fixture_table(text: str) -> np.ndarray:
    return np.array([[int(v) for v in row.split()] for row in text.split(";")])


@pytest.fixture(scope="module")
def fisher_r():
    """R's printed p-values of ?fisher.test's examples (sources in the file's ``source`` column)."""
    frame = pd.read_csv(FIXTURES / "fisher_rxc_r.csv")
    return {row.name: (_fixture_table(row.table), row.r_p_value) for row in frame.itertuples(index=False)}


@pytest.mark.parametrize("name", ["job_satisfaction", "mehta_patel_6"])
def test_fisher_r_by_c_exact_matches_r(fisher_r, name):
    # R ?fisher.test: fisher.test(Job) # 0.7827 (R 4.0.2: 0.7826849), and the 6th example of Mehta & Patel
    # (1983, JASA 78:427-434), fisher.test(MP6): 0.03928964 (R 4.0.2, recorded in tidystats' tests; see
    # tests/fixtures/stats/fisher_rxc_r.csv). Exact: tolerance 1e-6 relative (R's 7 printed digits).
    table, expected = fisher_r[name]
    result = fisher_exact(table)
    assert result["p_value"] == pytest.approx(expected, rel=1e-6)
    assert "exact (enumeration)" in result.method and result.n_draws is None and result.se is None
    assert 0 < result.n_tables <= 3_000_000
    assert list(result) == ["p_value", "method"]
    # the p-value does not depend on the order or orientation of rows and columns
    shuffled = table[::-1][:, np.r_[1 : table.shape[1], 0]].T
    assert fisher_exact(shuffled)["p_value"] == pytest.approx(result["p_value"], rel=1e-9)


@pytest.mark.parametrize("name", ["tea_tasting", "convictions", "job_satisfaction"])
def test_fisher_network_algorithm_on_r_examples(fisher_r, name):
    # The r x c engine itself on R's 2 x 2 examples (tea tasting 0.4857 = 34/70; Convictions 0.0005367241),
    # which the public function hands to scipy: the same R answers, 1e-6 relative.
    from leadlib.stats.association import _Network

    table, expected = fisher_r[name]
    assert _Network(table, 3_000_000).p_value() == pytest.approx(expected, rel=1e-6)
    if table.shape == (2, 2):
        assert fisher_exact(table)["p_value"] == pytest.approx(expected, rel=1e-6)


def test_fisher_exact_r_by_c_is_the_sum_over_every_table_with_the_margins():
    # Freeman-Halton (1951) by definition: enumerate every 3 x 3 table with the observed margins, its
    # multivariate hypergeometric probability prod(r_i!) prod(c_j!) / (n! prod(n_ij!)), and sum those at most
    # the observed one's times 1 + 1e-7 (R's relErr). Independent brute force, tolerance 1e-10 relative.
    table = np.array([[0, 3, 2], [5, 1, 4], [2, 2, 6]])
    rows, cols, n = table.sum(1), table.sum(0), table.sum()

    def prob(t):
        return np.exp(
            sum(lgamma(v + 1) for v in rows)
            + sum(lgamma(v + 1) for v in cols)
            - lgamma(n + 1)
            - sum(lgamma(v + 1) for v in t.ravel())
        )

    tables = []
    first, second = range(rows[0] + 1), range(rows[1] + 1)
    for a, b, d, e in itertools.product(first, first, second, second):
        c, f = rows[0] - a - b, rows[1] - d - e
        g, h, i = cols[0] - a - d, cols[1] - b - e, cols[2] - c - f
        t = np.array([[a, b, c], [d, e, f], [g, h, i]])
        if (t >= 0).all() and t[2].sum() == rows[2]:
            tables.append(t)
    probs = np.array([prob(t) for t in tables])
    assert probs.sum() == pytest.approx(1.0, abs=1e-12)
    expected = probs[probs <= prob(table) * (1 + 1e-7)].sum()
    assert fisher_exact(table)["p_value"] == pytest.approx(expected, rel=1e-10)


def test_fisher_r_by_c_monte_carlo_within_four_standard_errors(fisher_r):
    # R ?fisher.test: fisher.test(Job, simulate.p.value = TRUE, B = 1e5) # also close to 0.78 (R 4.0.2 with
    # set.seed(2015): 0.7833222). Ours must lie within 4 standard errors of R's exact 0.7826849, and its se is
    # sqrt(p (1 - p) / B) with R's p = (1 + #{T as or less probable}) / (B + 1).
    table, exact = fisher_r["job_satisfaction"]
    result = fisher_exact(table, method="monte-carlo", n_resamples=20_000, seed=3)
    assert result.n_draws == 20_000 and result.seed == 3 and result.n_tables is None
    p = result["p_value"]
    assert result.se == pytest.approx(np.sqrt(p * (1 - p) / 20_000))
    assert abs(p - exact) <= 4 * result.se
    assert abs(p - 0.7833222) <= 4 * result.se
    assert (p * 20_001 - 1) == pytest.approx(round(p * 20_001 - 1))  # (1 + hits) / (B + 1)
    assert result.method.startswith("Fisher's exact test (r x c), Monte Carlo, 20000 draws, seed 3")
    again = fisher_exact(table, method="monte-carlo", n_resamples=20_000, seed=3)
    assert again["p_value"] == p  # seeded: repeatable
    assert fisher_exact(table, method="monte-carlo", n_resamples=20_000, seed=4)["p_value"] != p
    assert list(result.to_frame().columns) == [
        "odds_ratio",
        "sample_odds_ratio",
        "alternative",
        "n_draws",
        "seed",
        "se",
        "p_value",
        "method",
    ]


def _sparse_site_table(n_sites: int, n_cols: int, n_counts: int, seed: int) -> np.ndarray:
    """Counts spread at random over a sites x categories table (most cells empty, as at 20 sites)."""
    cells = np.random.default_rng(seed).integers(0, n_sites * n_cols, n_counts)
    return np.bincount(cells, minlength=n_sites * n_cols).reshape(n_sites, n_cols)


def test_fisher_sparse_site_tables_answer_exactly_or_by_monte_carlo():
    # Issue 11: 20 x 3 with 25 counts (more cells than counts) made scipy's Monte Carlo path raise
    # TypeError. It is small enough to enumerate: exact, and the same as with a smaller bound that forces
    # Monte Carlo (within 4 standard errors).
    table = _sparse_site_table(20, 3, 25, seed=1)
    with pytest.warns(LeadlibStatsWarning, match="empty row"):
        exact = fisher_exact(table)
    assert "exact (enumeration)" in exact.method and exact.n_tables < 10_000
    with pytest.warns(LeadlibStatsWarning, match="empty row"):
        simulated = fisher_exact(table, max_tables=100, n_resamples=20_000)
    assert "Monte Carlo, 20000 draws, seed 0" in simulated.method and simulated.n_tables is None
    assert abs(simulated["p_value"] - exact["p_value"]) <= 4 * simulated.se
    with pytest.warns(LeadlibStatsWarning), pytest.raises(LeadlibDataError, match="too large") as err:
        fisher_exact(table, method="exact", max_tables=100)
    assert err.value.column == "max_tables"


def test_fisher_table_too_large_to_enumerate_falls_back_to_monte_carlo():
    # 20 x 4 with 80 counts: beyond the default bound, so the p-value is simulated, with its draws, seed and se
    table = _sparse_site_table(20, 4, 80, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeadlibStatsWarning)
        result = fisher_exact(table, max_tables=200_000, n_resamples=2_000, seed=5)
    assert result.n_draws == 2_000 and result.seed == 5 and 0 < result.se < 0.02
    assert 0 < result["p_value"] <= 1 and "Monte Carlo, 2000 draws, seed 5" in result.method


def test_fisher_2x2_stays_scipy_exact_with_the_conditional_odds_ratio():
    # A 2 x 2 table keeps scipy's exact p-value and the conditional MLE whatever the r x c keywords say.
    result = fisher_exact(CONVICTIONS, method="monte-carlo", max_tables=1)
    assert result["p_value"] == sps.fisher_exact(CONVICTIONS).pvalue
    assert result["odds_ratio"] == pytest.approx(0.04693661, rel=2e-6)  # R ?fisher.test, Convictions
    assert result.n_draws is None and result.n_tables is None


@pytest.mark.parametrize(
    ("keyword", "value"), [("method", "simulate"), ("n_resamples", 0), ("max_tables", 2.5), ("alternative", "both")]
)
def test_fisher_bad_keywords_are_named(keyword, value):
    with pytest.raises(LeadlibDataError) as err:
        fisher_exact(JOB, **{keyword: value})
    assert err.value.column == keyword


@pytest.fixture(scope="module")
def airquality():
    return pd.read_csv(FIXTURES / "airquality_ozone.csv")


def test_kruskal_wallis_with_ties_airquality(airquality):
    # R: kruskal.test(Ozone ~ Month, data = airquality): Kruskal-Wallis
    # chi-squared = 29.267, df = 4, p-value = 6.901e-06 (tie-corrected; 116
    # complete cases). Tolerance 5e-4 on H, 5e-10 on p.
    result = kruskal(airquality, value="Ozone", group="Month")
    assert result["n"] == 116 and result["dof"] == 4
    assert result["H"] == pytest.approx(29.267, abs=5e-4)
    assert result["p_value"] == pytest.approx(6.901e-06, abs=5e-10)
    # Tomczak & Tomczak (2014), Trends Sport Sci 1(21):19-25: epsilon^2 =
    # H / ((n^2 - 1) / (n + 1)) with the published H.
    assert result["epsilon_squared"] == pytest.approx(29.267 / ((116**2 - 1) / 117), abs=5e-6)
    # The tie correction matters here: uncorrected H differs from R's value.
    data = airquality.dropna()
    ranks = sps.rankdata(data["Ozone"])
    n = len(data)
    h_raw = 12 / (n * (n + 1)) * sum(
        ranks[data["Month"] == m].sum() ** 2 / (data["Month"] == m).sum() for m in data["Month"].unique()
    ) - 3 * (n + 1)
    assert abs(h_raw - 29.267) > 0.01


def test_permutation_test_tea_tasting_equals_fisher():
    # Two groups of 0/1 outcomes: the exact permutation distribution of the
    # difference in means is hypergeometric, so the permutation p-value is
    # Fisher's: 0.4857 two-sided, 0.2429 one-sided (R ?fisher.test).
    frame = pd.DataFrame({"guessed_milk": [1, 1, 1, 0, 1, 0, 0, 0], "truth": ["milk"] * 4 + ["tea"] * 4})
    result = permutation_test(frame, value="guessed_milk", group="truth")
    assert result["exact"] and result["statistic_name"] == "mean_difference"
    assert result["statistic"] == pytest.approx(0.5)
    assert result["p_value"] == pytest.approx(0.4857, abs=5e-5)


def test_permutation_test_h_matches_brute_force_enumeration():
    # Three groups of two: enumerate all 90 regroupings by hand and count
    # those with H >= observed (the definition of the exact p-value).
    values = np.array([1.0, 2.0, 2.5, 4.0, 7.0, 9.0])
    groups = ["a", "a", "b", "b", "c", "c"]
    frame = pd.DataFrame({"v": values, "g": groups})
    observed = sps.kruskal(values[:2], values[2:4], values[4:]).statistic
    count = total = 0
    for first in itertools.combinations(range(6), 2):
        rest = [i for i in range(6) if i not in first]
        for second in itertools.combinations(rest, 2):
            third = [i for i in rest if i not in second]
            h = sps.kruskal(values[list(first)], values[list(second)], values[third]).statistic
            count += h >= observed - 1e-12
            total += 1
    assert total == 90
    result = permutation_test(frame, value="v", group="g")
    assert result["exact"] and result["statistic_name"] == "H"
    assert result["p_value"] == pytest.approx(count / total)


def test_benjamini_hochberg_published_example():
    # Benjamini & Hochberg (1995), JRSS B 57:289-300, section 3.2: of these 15
    # p-values the procedure at q = 0.05 rejects the four smallest.
    p = [
        0.0001,
        0.0004,
        0.0019,
        0.0095,
        0.0201,
        0.0278,
        0.0298,
        0.0344,
        0.0459,
        0.3240,
        0.4262,
        0.5719,
        0.6528,
        0.7590,
        1.0000,
    ]
    q = benjamini_hochberg(p)
    assert (q <= 0.05).sum() == 4 and (q[:4] <= 0.05).all()
    assert q[3] == pytest.approx(0.0095 * 15 / 4)  # p_(i) m / i at the largest rejected i
    assert np.isnan(benjamini_hochberg([0.01, np.nan])[1])
    with pytest.raises(LeadlibDataError):
        benjamini_hochberg([0.5, 3.0])


# ---------------------------------------------------------------------------
# compare_groups on a hand-built analysis frame


def _frame() -> pd.DataFrame:
    """Codings at 6 sites; A-sites code BK often, B-sites rarely.

    site  setting  interviews (words)   BK codings per interview    TA codings
    S1    A        S1-1 (1000), S1-2 (1000)   3, 2                   1, 0
    S2    A        S2-1 (2000)               6                      1
    S3    A        S3-1 (500), S3-2 (500)     1, 1                   0, 1
    S4    B        S4-1 (1000)               1                      1
    S5    B        S5-1 (1000), S5-2 (1000)   0, 1                   1, 1
    S6    B        S6-1 (4000)               1                      0
    """
    plan = {
        "S1": ("A", [("S1-1", 1000, 3, 1), ("S1-2", 1000, 2, 0)]),
        "S2": ("A", [("S2-1", 2000, 6, 1)]),
        "S3": ("A", [("S3-1", 500, 1, 0), ("S3-2", 500, 1, 1)]),
        "S4": ("B", [("S4-1", 1000, 1, 1)]),
        "S5": ("B", [("S5-1", 1000, 0, 1), ("S5-2", 1000, 1, 1)]),
        "S6": ("B", [("S6-1", 4000, 1, 0)]),
    }
    rows = []
    for site, (setting, interviews) in plan.items():
        for interview, words, bk, ta in interviews:
            rows += [
                {
                    "site_id": site,
                    "setting": setting,
                    "interview_id": interview,
                    "informant_id": interview,
                    "n_words": words,
                    "code_id": "BK",
                }
            ] * bk
            rows += [
                {
                    "site_id": site,
                    "setting": setting,
                    "interview_id": interview,
                    "informant_id": interview,
                    "n_words": words,
                    "code_id": "TA",
                }
            ] * ta
    return pd.DataFrame(rows)


def test_compare_groups_segments_and_medians():
    out = compare_groups(
        _frame(), behaviours=["BK", "TA"], group="setting", unit="segments", normalize=None, test="kruskal"
    ).set_index("code_id")
    # BK segments per site: A = 5, 6, 2 ; B = 1, 1, 1
    assert out.loc["BK", "median_A"] == 5 and out.loc["BK", "median_B"] == 1
    expected = sps.kruskal([5, 6, 2], [1, 1, 1])
    assert out.loc["BK", "H"] == pytest.approx(expected.statistic)
    assert out.loc["BK", "p_value"] == pytest.approx(expected.pvalue)
    assert out.loc["BK", "epsilon_squared"] == pytest.approx(expected.statistic / 5)
    assert list(out["q_value"]) == pytest.approx(list(benjamini_hochberg(out["p_value"])))
    assert out.attrs["unit"] == "segments" and out.attrs["n"] == {"A": 3, "B": 3}
    assert out.attrs["normalize"] is None and out.attrs["unit_label"] == "coded segments"


def _interviews(extra: list[tuple] = ()) -> pd.DataFrame:
    """The interviews of _frame() (and any given without a coding), as a scope table."""
    columns = ["interview_id", "informant_id", "site_id", "setting", "n_words"]
    table = _frame()[columns].drop_duplicates("interview_id")
    more = pd.DataFrame([(i, i, *rest) for i, *rest in extra], columns=columns)
    return pd.concat([table, more], ignore_index=True)


def test_compare_groups_counting_units_change_the_values():
    frame = _frame()
    interviews = compare_groups(
        frame, behaviours=["BK"], group="setting", unit="interviews", normalize=None, test="kruskal"
    )
    # interviews mentioning BK: A = 2, 1, 2 ; B = 1, 1, 1
    assert interviews.loc[0, "median_A"] == 2 and interviews.loc[0, "median_B"] == 1
    per_words = compare_groups(
        frame, behaviours=["BK"], group="setting", unit="per_1000_words", interviews=_interviews(), test="kruskal"
    )
    # BK per 1000 words: S1 5/2000, S2 6/2000, S3 2/1000 -> 2.5, 3, 2 ; B: 1, 0.5, 0.25
    assert per_words.loc[0, "median_A"] == pytest.approx(2.5)
    assert per_words.loc[0, "median_B"] == pytest.approx(0.5)


def test_compare_groups_words_include_interviews_without_codings():
    # S5 also has an interview of 2000 words with no coding at all: its BK
    # rate is 1 / 4000 words = 0.25, not 1 / 2000 = 0.5, so B's median drops
    # from 0.5 to 0.25 (B = 1, 0.25, 0.25). The frame alone cannot know it.
    scope = _interviews([("S5-3", "S5", "B", 2000)])
    out = compare_groups(
        _frame(), behaviours=["BK"], group="setting", unit="per_1000_words", interviews=scope, test="kruskal"
    )
    assert out.loc[0, "median_B"] == pytest.approx(0.25)
    with pytest.raises(LeadlibDataError, match="every interview") as err:
        compare_groups(_frame(), behaviours=["BK"], group="setting", unit="per_1000_words")
    assert err.value.column == "interviews"


@pytest.mark.parametrize("normalize", ["group", None])
@pytest.mark.parametrize("unit", ["segments", "interviews", "informants", "per_1000_words"])
def test_compare_groups_counts_as_site_matrix_does(unit, normalize):
    # The comparison and the comparison tables must count the same way: the
    # group medians and H of compare_groups are those of the site values in
    # leadlib.compare.site_matrix, for every unit (here with an interview
    # without codings in scope, where a count from the frame alone differs).
    from leadlib.compare import site_matrix

    scope = _interviews([("S5-3", "S5", "B", 2000)])
    frame = _frame()
    out = compare_groups(
        frame,
        behaviours=["BK", "TA"],
        group="setting",
        unit=unit,
        normalize=normalize,
        interviews=scope,
        test="kruskal",
    ).set_index("code_id")
    rate = unit == "per_1000_words"  # already a rate: normalize does not apply
    values = site_matrix(frame, of="code_id", unit=unit, normalize=None if rate else normalize, interviews=scope)
    assert out.attrs["normalize"] == (None if rate else normalize)
    assert out.attrs["unit_label"] == values.attrs["unit_label"]
    setting = scope.drop_duplicates("site_id").set_index("site_id")["setting"].reindex(values.index)
    for code in ("BK", "TA"):
        a, b = values.loc[setting == "A", code], values.loc[setting == "B", code]
        assert out.loc[code, "median_A"] == pytest.approx(a.median())
        assert out.loc[code, "median_B"] == pytest.approx(b.median())
        assert out.loc[code, "H"] == pytest.approx(sps.kruskal(a, b).statistic)


def test_compare_groups_permutation_is_exact_for_six_sites():
    out = compare_groups(_frame(), behaviours=["BK"], group="setting", unit="segments", normalize=None)
    # 20 regroupings of 3 + 3 sites; A = {5, 6, 2} vs B = {1, 1, 1} is the most
    # extreme split in either direction: p = 2 / 20.
    assert out.loc[0, "test"] == "permutation (exact)"
    assert out.loc[0, "p_value"] == pytest.approx(2 / 20)


def test_compare_groups_errors():
    frame = _frame()
    with pytest.raises(LeadlibDataError, match="unknown counting unit"):
        compare_groups(frame, behaviours=["BK"], group="setting", unit="words")
    frame.loc[0, "setting"] = "B"  # S1 now has two settings
    with pytest.raises(LeadlibDataError, match="not a site attribute"):
        compare_groups(frame, behaviours=["BK"], group="setting", unit="segments")
    with pytest.raises(LeadlibDataError, match="no column 'region'"):
        compare_groups(_frame(), behaviours=["BK"], group="region", unit="segments")


def _share_frame() -> pd.DataFrame:
    """Six sites interviewed 8 (A) or 2-3 (B) times, each interview mentioning BK or not.

    site  setting  interviews  mentioning BK  share
    S1    A        8           4              4/8
    S2    A        8           5              5/8
    S3    A        8           3              3/8
    S4    B        2           1              1/2
    S5    B        2           1              1/2
    S6    B        3           2              2/3
    """
    plan = {
        "S1": ("A", 8, 4),
        "S2": ("A", 8, 5),
        "S3": ("A", 8, 3),
        "S4": ("B", 2, 1),
        "S5": ("B", 2, 1),
        "S6": ("B", 3, 2),
    }
    rows = []
    for site, (setting, n, mentions) in plan.items():
        for k in range(n):
            interview = f"{site}-{k + 1}"
            # every interview has one coding (of TA or BK), so every interview is in the frame's scope
            rows.append(
                {
                    "site_id": site,
                    "setting": setting,
                    "interview_id": interview,
                    "informant_id": interview,
                    "n_words": 1000,
                    "code_id": "BK" if k < mentions else "TA",
                }
            )
    return pd.DataFrame(rows)


def test_compare_groups_compares_each_sites_share_by_default():
    # Raw counts of interviews mentioning BK follow how often a site was interviewed (A: 4, 5, 3 of 8;
    # B: 1, 1, 2 of 2-3): as counts A and B are split as far apart as they can be (exact p = 2 of the 20
    # regroupings), as shares (A: 0.5, 0.625, 0.375; B: 0.5, 0.5, 0.667) they overlap.
    frame = _share_frame()
    scope = frame.drop_duplicates("interview_id")
    shares = compare_groups(frame, behaviours=["BK"], group="setting", interviews=scope, test="kruskal")
    a, b = [4 / 8, 5 / 8, 3 / 8], [1 / 2, 1 / 2, 2 / 3]
    assert shares.loc[0, "median_A"] == pytest.approx(0.5) and shares.loc[0, "median_B"] == pytest.approx(0.5)
    assert shares.loc[0, "H"] == pytest.approx(sps.kruskal(a, b).statistic)
    assert shares.loc[0, "p_value"] == pytest.approx(sps.kruskal(a, b).pvalue)
    assert shares.attrs["normalize"] == "group"
    assert shares.attrs["unit_label"] == "interviews mentioning it (share of the site's interviews)"

    counts = compare_groups(frame, behaviours=["BK"], group="setting", interviews=scope, normalize=None)
    assert counts.loc[0, "H"] == pytest.approx(sps.kruskal([4, 5, 3], [1, 1, 2]).statistic)
    assert counts.loc[0, "p_value"] == pytest.approx(2 / 20) and counts.loc[0, "test"] == "permutation (exact)"
    assert counts.attrs["normalize"] is None and counts.attrs["unit_label"] == "interviews mentioning it"
    permuted = compare_groups(frame, behaviours=["BK"], group="setting", interviews=scope)
    assert permuted.loc[0, "p_value"] > 0.5  # the shares do not separate the groups


def test_compare_groups_shares_of_interviews_need_the_scope():
    # a site's share of interviews needs its interviews without any coding in the frame
    with pytest.raises(LeadlibDataError, match="every interview") as err:
        compare_groups(_share_frame(), behaviours=["BK"], group="setting")
    assert err.value.column == "interviews" and "normalize=None" in str(err.value)
    with pytest.raises(LeadlibDataError, match="unknown normalize"):
        compare_groups(_share_frame(), behaviours=["BK"], group="setting", normalize="row")


# ---------------------------------------------------------------------------
# Groups too small to compare: left out the same way by every function


SINGLETON = pd.DataFrame({"v": [1, 2, 3, 4, 5.0], "g": list("aabbc")})


def test_permutation_test_leaves_out_a_group_of_one():
    # scipy refuses a sample of one; the group is left out with a warning naming it, and the rest is tested.
    # a = {1, 2} against b = {3, 4}: of the 6 ways to split {1, 2, 3, 4} into two pairs, 2 give a mean
    # difference as large as |-2| (by enumeration), so the exact p-value is 2 / 6.
    with pytest.warns(LeadlibStatsWarning, match=r"fewer than 2 values: 'c' \(1 value\)"):
        result = permutation_test(SINGLETON, value="v", group="g")
    assert result["left_out"] == {"c": 1} and result["groups"] == {"a": 2, "b": 2}
    assert result["statistic_name"] == "mean_difference" and result["statistic"] == pytest.approx(-2.0)
    assert result["exact"] and result["p_value"] == pytest.approx(2 / 6)
    with pytest.warns(LeadlibStatsWarning, match="'c'"):
        h = permutation_test(SINGLETON, value="v", group="g", statistic="H")
    assert h["statistic"] == pytest.approx(sps.kruskal([1, 2], [3, 4]).statistic)


def test_kruskal_leaves_out_a_group_of_one_as_the_permutation_test_does():
    with pytest.warns(LeadlibStatsWarning, match="'c'"):
        result = kruskal(SINGLETON, value="v", group="g")
    expected = sps.kruskal([1, 2], [3, 4])
    assert result["H"] == pytest.approx(expected.statistic) and result["p_value"] == pytest.approx(expected.pvalue)
    assert result["n"] == 4 and result["dof"] == 1 and result["left_out"] == {"c": 1}


def test_only_one_group_large_enough_is_undefined_not_an_error():
    frame = pd.DataFrame({"v": [1.0, 2.0, 3.0], "g": ["a", "a", "b"]})
    with pytest.warns(LeadlibStatsWarning) as record:
        result = permutation_test(frame, value="v", group="g")
    messages = " | ".join(str(w.message) for w in record)
    assert "'b' (1 value)" in messages and "fewer than two groups" in messages
    assert np.isnan(result["p_value"]) and result["left_out"] == {"b": 1}


def test_compare_groups_leaves_out_a_setting_with_one_site():
    # S7, the only site of setting C, is left out (named, with its site); the others compare as without it
    frame = _frame()
    extra = pd.DataFrame(
        [
            {
                "site_id": "S7",
                "setting": "C",
                "interview_id": "S7-1",
                "informant_id": "S7-1",
                "n_words": 1000,
                "code_id": "BK",
            }
        ]
    )
    with pytest.warns(LeadlibStatsWarning, match=r"'C' \(S7\)"):
        out = compare_groups(
            pd.concat([frame, extra], ignore_index=True), behaviours=["BK"], group="setting", unit="segments"
        )
    alone = compare_groups(frame, behaviours=["BK"], group="setting", unit="segments")
    assert out.attrs["left_out"] == {"C": ["S7"]} and alone.attrs["left_out"] == {}
    pd.testing.assert_frame_equal(out, alone)


def test_compare_groups_by_setting_on_the_bundled_study(bundled):
    # The bundled study has settings with one site each (reviewer's case: scipy's "two or more observations")
    sites = bundled.sites.assign(setting=bundled.sites["setting"].astype(str))
    single = sites.groupby("setting")["site_id"].agg(list)
    single = {s: ids for s, ids in single.items() if len(ids) < 2}
    assert single  # the case under test exists
    with pytest.warns(LeadlibStatsWarning, match="fewer than 2 sites"):
        out = compare_groups(
            bundled.frame(), behaviours=["BK.measures"], group="setting", interviews=bundled, n_resamples=199
        )
    assert out.attrs["left_out"] == single
    assert out.loc[0, "n_sites"] == len(sites) - sum(len(v) for v in single.values())
    assert not any(f"median_{s}" in out.columns for s in single)
    assert 0 < out.loc[0, "p_value"] <= 1


def test_compare_groups_per_1000_words_leaves_out_interviews_without_words():
    # S1-2 (1000 words, 2 BK codings) has no word count: S1's rate is S1-1's alone, 3 per 1000 words, so A's
    # rates are 3, 3, 2 (median 3, was 2.5 with S1-2's words and codings)
    scope = _interviews()
    scope.loc[scope["interview_id"] == "S1-2", "n_words"] = np.nan
    with pytest.warns(UserWarning, match="S1-2"):
        out = compare_groups(
            _frame(), behaviours=["BK"], group="setting", unit="per_1000_words", interviews=scope, test="kruskal"
        )
    assert out.loc[0, "median_A"] == pytest.approx(3.0)
    assert out.attrs["without_words"] == ["S1-2"]


def test_compare_variables_is_the_permutation_test_and_kruskal_of_each_column_with_bh_across():
    """compare_variables composes tested functions: each column's p equals permutation_test's, its effect
    kruskal's, and q equals benjamini_hochberg over the columns (Benjamini & Hochberg 1995, tested above)."""
    rng = np.random.default_rng(7)
    sites = [f"S{i:02d}" for i in range(1, 13)]
    group = pd.Series(["strong"] * 6 + ["other"] * 6, index=sites)
    table = pd.DataFrame(
        {"a": rng.normal(size=12) + np.r_[np.ones(6), np.zeros(6)], "b": rng.normal(size=12), "c": rng.normal(size=12)},
        index=sites,
    )
    table.loc["S03", "c"] = np.nan  # left out of c only
    out = compare_variables(table, group=group, n_resamples=999, seed=3)
    for name in table.columns:
        data = pd.DataFrame({"value": table[name], "group": group}).dropna()
        test = permutation_test(data, value="value", group="group", n_resamples=999, seed=3)
        assert out.loc[name, "p"] == test["p_value"] and out.loc[name, "statistic"] == test["statistic"]
        assert out.loc[name, "epsilon_squared"] == kruskal(data, value="value", group="group")["epsilon_squared"]
        assert out.loc[name, "mean, strong"] == pytest.approx(data.loc[data["group"] == "strong", "value"].mean())
    assert out.loc["c", "n"] == 11 and out.loc["a", "n"] == 12
    np.testing.assert_allclose(out["q"], benjamini_hochberg(out["p"]))


def test_batched_h_statistic_equals_scipy_kruskal_with_ties():
    """The permutation test's batched H is scipy.stats.kruskal's tie-corrected H (the reference implementation),
    for one regrouping and for a batch of them."""
    from leadlib.stats.association import _h_statistic

    rng = np.random.default_rng(11)
    a, b, c = (
        rng.integers(0, 5, 9).astype(float),
        rng.integers(0, 5, 7).astype(float),
        rng.integers(0, 5, 6).astype(float),
    )
    assert _h_statistic(a, b, c) == pytest.approx(sps.kruskal(a, b, c).statistic, rel=1e-12)
    batch = np.stack([rng.permutation(np.r_[a, b, c]) for _ in range(4)])  # 4 regroupings
    parts = np.split(batch, [9, 16], axis=1)
    expected = [sps.kruskal(*(p[i] for p in parts)).statistic for i in range(4)]
    np.testing.assert_allclose(_h_statistic(*parts, axis=-1), expected, rtol=1e-12)
