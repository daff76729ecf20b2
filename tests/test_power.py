"""leadlib.simulate.power: the simulation lab's light path is the full generative model, and its test is the book's.

The light path draws, for many studies at once, only what a comparison of acute and other sites counts. It is
checked against :func:`leadlib.simulate.simulate_study` two ways: the probabilities of the 14 process sub-codes
against the codes the full model actually drew (a goodness-of-fit test, which a deliberately wrong effect size
fails), and each site's value against the full path's values in distribution. Its p-values are checked against
a published exact example and against leadlib.stats.permutation_test.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from leadlib.simulate import Effects, power, simulate_study
from leadlib.simulate.design import PROCESS_CODES
from leadlib.simulate.model import ACUTE_SETTINGS


@pytest.fixture(scope="module")
def full_study():
    """120 fully simulated sites: enough codings to test 14 sub-code probabilities."""
    return simulate_study(n_sites=120, seed=41, informants=(6, 10))


def _observed_and_expected(study, effects: Effects):
    """Observed sub-code counts of primary leading codings, and their expectation under the light model."""
    frame = study.frame()
    leading = frame[frame["process"].notna()]
    traits = study.metadata["site_traits"].set_index("site_id")
    settings = study.sites.set_index("site_id")["setting"].astype(object)
    expected = pd.Series(0.0, index=list(PROCESS_CODES))
    groups = leading.groupby(["site_id", "leader_type", "leader_level"], observed=True, dropna=False).size()
    for (site, leader_type, level), n in groups.items():
        p = power.sub_code_probabilities(
            traits.loc[site].to_numpy(),
            settings[site],
            str(leader_type),
            None if pd.isna(level) else str(level),
            effects=effects,
        )
        expected += n * p
    observed = leading["code_id"].astype(str).value_counts().reindex(expected.index, fill_value=0)
    return observed, expected, leading


def test_sub_code_probabilities_are_those_simulate_study_draws_from(full_study):
    observed, expected, _ = _observed_and_expected(full_study, Effects())
    assert observed.sum() > 5000
    # 13 degrees of freedom; p > 0.001 leaves a correct model a 1-in-1000 chance of failing this seed
    assert sps.chisquare(observed, expected).pvalue > 0.001


def test_a_wrong_effect_size_fails_the_same_check(full_study):
    # the check has power: the light model with the acute effect removed no longer fits the full model's codes
    observed, expected, _ = _observed_and_expected(full_study, replace(Effects(), acute_watching_measures=0.0))
    assert sps.chisquare(observed, expected).pvalue < 1e-6


def test_watching_measures_by_setting_matches_the_full_model(full_study):
    _, _, leading = _observed_and_expected(full_study, Effects())
    traits = full_study.metadata["site_traits"].set_index("site_id")
    settings = full_study.sites.set_index("site_id")["setting"].astype(object)
    leading = leading.assign(
        acute=leading["site_id"].map(settings).isin(ACUTE_SETTINGS), measures=leading["code_id"] == "BK.measures"
    )
    for acute in (True, False):
        rows = leading[leading["acute"] == acute]
        expected = variance = 0.0
        groups = rows.groupby(["site_id", "leader_type", "leader_level"], observed=True, dropna=False).size()
        for (site, leader_type, level), n in groups.items():
            q = power.sub_code_probabilities(
                traits.loc[site].to_numpy(), settings[site], str(leader_type), None if pd.isna(level) else str(level)
            )["BK.measures"]
            expected, variance = expected + n * q, variance + n * q * (1 - q)  # binomial per speaker class
        observed = int(rows["measures"].sum())
        assert abs(observed - expected) < 4 * np.sqrt(variance), (acute, observed, expected)


def _full_interviews(study) -> pd.DataFrame:
    """Per primary-coded interview of a full study: leader type, text units and leading units."""
    frame = study.frame()
    per = frame.groupby("interview_id").agg(
        site_id=("site_id", "first"),
        leader_type=("leader_type", "first"),
        n_units=("group", lambda g: int((g == "success_characteristic").sum())),  # one per text unit
        n_leading=("process", lambda p: int(p.notna().sum())),
    )
    return per.assign(leader_type=per["leader_type"].astype(str))


def test_text_units_and_leading_units_per_interview_match_the_full_model(full_study):
    full = _full_interviews(full_study)
    light = power.simulate_interviews(120, (6, 10), replicates=20, seed=8)
    for leader_type in ("formal", "informal", "none"):
        a, b = full[full["leader_type"] == leader_type], light[light["leader_type"] == leader_type]
        for column in ("n_units", "n_leading"):
            se = a[column].std(ddof=1) / np.sqrt(len(a))
            assert abs(a[column].mean() - b[column].mean()) < 4 * se, (leader_type, column)
    # between-site spread of how much staff lead (the site's leading propensity, SD 0.3 on the log-odds):
    # the SD of 120 sites' shares is known to about 6.5% (1 / sqrt(2 x 119)); allow 4 times that
    staff_full = full[full["leader_type"] == "none"].groupby("site_id")[["n_leading", "n_units"]].sum()
    staff_light = light[light["leader_type"] == "none"].groupby(["replicate", "site"])[["n_leading", "n_units"]].sum()
    sd_full = (staff_full["n_leading"] / staff_full["n_units"]).std(ddof=1)
    sd_light = (staff_light["n_leading"] / staff_light["n_units"]).std(ddof=1)
    assert abs(np.log(sd_full / sd_light)) < 4 / np.sqrt(2 * (len(staff_full) - 1)), (sd_full, sd_light)


@pytest.mark.slow
@pytest.mark.parametrize("unit", ["interviews", "segments"])
def test_site_values_of_light_and_full_path_agree_in_distribution(unit):
    full = power.site_values(simulate_study(n_sites=160, seed=7, informants=(6, 10)), unit=unit)
    light = power.simulate_site_values(160, (6, 10), replicates=25, seed=3, unit=unit)
    for acute in (True, False):
        a = full.loc[full["acute"] == acute, "value"].to_numpy()
        b = light.values[:, light.acute == acute].ravel()
        assert len(a) >= 40 and len(b) >= 25 * len(a) // 2
        # same distribution: two-sample Kolmogorov-Smirnov at 1 in 1000, and means within 4 standard errors
        assert sps.ks_2samp(a, b).pvalue > 0.001, (unit, acute)
        assert abs(a.mean() - b.mean()) < 4 * a.std(ddof=1) / np.sqrt(len(a)), (unit, acute)


def test_light_path_counts_what_site_values_counts(small_study):
    # site_values is the full path's statistic; check it against a count made by hand from the segments
    values = power.site_values(small_study, unit="interviews").set_index("site_id")["value"]
    seg = small_study.segments[small_study.segments["primary"]]
    mentioned = seg.loc[seg["code_id"] == "BK.measures", "interview_id"].unique()
    interviews = small_study.interviews.assign(mentions=lambda t: t["interview_id"].isin(mentioned))
    by_hand = interviews.groupby("site_id")["mentions"].mean()
    pd.testing.assert_series_equal(values.sort_index(), by_hand.sort_index(), check_names=False)


def test_same_seed_same_values_and_seed_matters():
    a = power.simulate_site_values(12, (4, 8), replicates=5, seed=1)
    b = power.simulate_site_values(12, (4, 8), replicates=5, seed=1)
    c = power.simulate_site_values(12, (4, 8), replicates=5, seed=2)
    np.testing.assert_array_equal(a.values, b.values)
    assert not np.array_equal(a.values, c.values)
    assert a.values.shape == (5, 12) and ((a.values >= 0) & (a.values <= 1)).all()
    assert ((a.interviews >= 4) & (a.interviews <= 8)).all()


def test_acute_sites_follow_the_full_model_allocation():
    for n in (6, 10, 20, 40):
        sim = power.simulate_site_values(n, (3, 3), replicates=1, seed=0)
        study = simulate_study(n_sites=n, seed=5, informants=(1, 1), units_per_interview=9)
        assert sim.acute.sum() == study.sites["setting"].isin(ACUTE_SETTINGS).sum()


def test_planted_effect_separates_groups_and_zero_effect_does_not():
    on = power.simulate_site_values(20, (12, 12), replicates=300, seed=4)
    off = power.simulate_site_values(
        20, (12, 12), replicates=300, seed=4, effects=replace(Effects(), acute_watching_measures=0.0)
    )
    gap_on = on.values[:, on.acute].mean() - on.values[:, ~on.acute].mean()
    gap_off = off.values[:, off.acute].mean() - off.values[:, ~off.acute].mean()
    assert gap_on > 0.15
    assert abs(gap_off) < 0.02


def test_group_p_values_match_the_exact_wilcoxon_test_of_hollander_and_wolfe():
    # Hollander & Wolfe (1973), Nonparametric Statistical Methods, p. 69 (the two-sample example of R's
    # ?wilcox.test): permeability constants, term (x) and 12-26 weeks (y). R: wilcox.test(x, y, alternative =
    # "greater") gives W = 35, p = 0.1272; with no ties the exact null is symmetric, so the two-sided p is
    # 2 x 0.1272 = 0.2544. All C(15, 5) = 3003 regroupings are enumerated, so the match is exact (tolerance 1e-4,
    # the printed precision).
    x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    y = [1.15, 0.88, 0.90, 0.74, 1.21]
    p = power.group_p_values(np.array([x + y]), np.array([True] * 10 + [False] * 5), n_resamples=9999)
    assert p[0] == pytest.approx(0.2544, abs=1e-4)


def test_group_p_values_equal_the_books_permutation_test_with_ties():
    from leadlib import stats

    rng = np.random.default_rng(3)
    values = rng.integers(0, 4, size=(6, 9)).astype(float) / 4  # shares with many ties, like small sites
    acute = np.array([True] * 3 + [False] * 6)  # 84 regroupings: both tests enumerate them all
    p = power.group_p_values(values, acute, n_resamples=999)
    for row, p_row in zip(values, p):
        if np.all(row == row[0]):
            assert np.isnan(p_row)
            continue
        frame = pd.DataFrame({"value": row, "group": np.where(acute, "acute", "other")})
        expected = stats.permutation_test(frame, value="value", group="group", statistic="H", n_resamples=999)
        assert expected["exact"]
        assert p_row == pytest.approx(expected["p_value"], abs=1e-12)


def test_false_alarms_stay_near_alpha_and_power_grows_with_sites():
    alpha, replicates = 0.05, 400
    null = power.detection_rate(20, 8, effect=0.0, replicates=replicates, alpha=alpha, seed=9)
    se = np.sqrt(alpha * (1 - alpha) / replicates)
    assert null["detected"] <= alpha + 3 * se  # a valid test rejects a true null at most alpha of the time
    assert null["ci_low"] <= null["detected"] <= null["ci_high"]
    small = power.detection_rate(10, 12, effect=0.9, replicates=replicates, seed=9)
    large = power.detection_rate(40, 12, effect=0.9, replicates=replicates, seed=9)
    assert large["detected"] > small["detected"] + 0.3
    assert (small["n_acute"], large["n_acute"]) == (3, 12)


def test_power_curve_grid_and_its_figure():
    import matplotlib

    matplotlib.use("Agg")
    curve = power.power_curve(sites=(10, 20), interviews_per_site=(4, 8), effects=(0.9, 0.0), replicates=50, seed=1)
    assert len(curve) == 8 and set(curve["effect"]) == {0.9, 0.0}
    assert curve.attrs["alpha"] == 0.05 and curve.attrs["unit"] == "interviews"
    # each cell has its own seed: a cell's rate does not depend on the rest of the grid
    alone = power.power_curve(sites=(20,), interviews_per_site=(8,), effects=(0.9,), replicates=50, seed=1)
    row = curve[(curve["n_sites"] == 20) & (curve["interviews_per_site"] == 8) & (curve["effect"] == 0.9)]
    assert row["detected"].iloc[0] == alone["detected"].iloc[0]
    ax = power.plot_power_curve(curve)
    assert "interviews" in ax.get_xlabel() and "50 simulated" in ax.get_ylabel()
    assert len(ax.get_lines()) == 4 + 1  # 2 site counts x 2 effects, and the alpha line


def test_bad_arguments_say_what_to_use():
    with pytest.raises(ValueError, match="process sub-code"):
        power.simulate_site_values(10, (4, 4), replicates=2, seed=0, behaviour="SC.culture")
    with pytest.raises(ValueError, match="interviews, segments"):
        power.simulate_site_values(10, (4, 4), replicates=2, seed=0, unit="per_1000_words")
    with pytest.raises(ValueError, match="both groups"):
        power.group_p_values(np.ones((2, 3)), np.array([True, True, True]))


def test_a_group_of_one_site_is_refused_with_a_clear_message():
    # scipy's permutation test refuses a one-site sample with its own words; compare_groups leaves such a
    # group out, which here would leave nothing to compare
    with pytest.raises(ValueError, match=r"at least 2 sites \(acute: 1, other: 3\)"):
        power.group_p_values(np.array([[0.1, 0.2, 0.3, 0.4]]), np.array([True, False, False, False]))


def test_the_labs_test_is_the_test_compare_groups_runs_by_default(small_study):
    # Notebook 11 says its comparison is "as leadlib.stats.compare_groups does": each site's share of
    # interviews mentioning the behaviour, permutation test of Kruskal-Wallis H. With 2 acute sites of 6 both
    # enumerate all 15 regroupings, so the p-values are equal, not only close.
    from leadlib import stats

    values = power.site_values(small_study, behaviour="BK.measures", unit="interviews")
    assert values["acute"].sum() >= 2 and (~values["acute"]).sum() >= 2
    lab = power.group_p_values(values[["value"]].T.to_numpy(), values["acute"].to_numpy(), n_resamples=999)[0]
    kind = dict(zip(values["site_id"], np.where(values["acute"], "acute", "other")))
    book = stats.compare_groups(
        small_study.frame(), behaviours=["BK.measures"], group=kind, interviews=small_study, n_resamples=999
    )
    assert book.attrs["normalize"] == "group" and book.loc[0, "test"] == "permutation (exact)"
    assert book.loc[0, "p_value"] == pytest.approx(lab, abs=1e-12)
    medians = values.groupby("acute")["value"].median()
    assert book.loc[0, "median_acute"] == pytest.approx(medians[True])
    assert book.loc[0, "median_other"] == pytest.approx(medians[False])
