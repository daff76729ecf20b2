"""The instructor's guide states numbers of the bundled study: each is recomputed here and must stand in the text.

`docs/teaching.md` tells an instructor what the bundled (synthetic) study shows. If the data, the simulation or the
functions change, these tests fail until the guide says what the code gives, so the guide cannot drift from the
data. Each test recomputes a number with the library, formats it as the guide writes it, and asserts that the
guide's text (whitespace normalised, as line wrapping moves it) contains that sentence fragment.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

import leadlib
from leadlib import compare, schema, stats
from leadlib.simulate import power

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "teaching.md"
PROCESSES = list(schema.PROCESSES)


@pytest.fixture(scope="module")
def guide() -> str:
    return re.sub(r"\s+", " ", GUIDE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def study():
    return leadlib.load_study()


@pytest.fixture(scope="module")
def frame(study):
    return study.frame()


@pytest.fixture(scope="module")
def per_1000_words(study, frame):
    """Each site's codings of each process per 1,000 words of its transcripts (notebooks 06 and 08)."""
    return compare.site_matrix(frame, of="process", unit="per_1000_words", interviews=study)


@pytest.fixture(scope="module")
def cmat(study):
    """Each site's mean CMAT rating of each characteristic (notebook 06)."""
    return compare.rating_distribution(study.survey, by=["site_id", "characteristic"])["mean"].unstack()


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _p(x: float) -> str:
    """A p-value as the guide writes it: two significant digits, at least three decimals below 0.1."""
    return f"{x:.3f}" if x < 0.1 else f"{x:.2f}"


def test_coder_confusion_counts_of_reviewing_and_reflecting(study, guide):
    # §6: the disagreements about reviewing and reflecting, split by what they are about
    table = stats.coder_confusion(study, process=PROCESSES)
    rr = [c for c in table.index if c.startswith("RR.")]
    other = [c for c in table.index if c != "(none)" and c not in rr]
    inner = table.loc[rr, rr].to_numpy()
    within = int(inner.sum() - np.trace(inner))
    misses = int(table.loc[rr, "(none)"].sum() + table.loc["(none)", rr].sum())
    swaps = int(table.loc[rr, other].to_numpy().sum() + table.loc[other, rr].to_numpy().sum())
    assert f"Of the {misses + within + swaps} text spans on which the coders disagree" in guide
    assert f"only {misses} are about *whether* someone is leading" in guide
    assert f"{within} are about *which* reviewing-and-reflecting sub-code, and {swaps} about *which process*" in guide
    # the table of reviewing and reflecting alone lumps the misses and the swaps into its (none) row and column
    alone = stats.coder_confusion(study, process="reviewing_reflecting")
    codes = [c for c in alone.index if c != "(none)"]
    assert int(alone.loc[codes, "(none)"].sum() + alone.loc["(none)", codes].sum()) == misses + swaps
    assert f"mix the {misses} true misses with the {swaps} swaps" in guide


def test_performance_patterns_agreement_and_kappa(study, guide):
    # §6, 09: high percent agreement with a kappa near zero, at the level of interviews
    row = stats.coder_agreement(study, unit="interview").set_index("code_id").loc["SC.performance_patterns"]
    assert abs(row["kappa"]) < 0.1
    assert f"Two coders agree on {_pct(row['percent_agreement'])} of interviews about *performance patterns*" in guide


def test_reviewing_and_reflecting_against_the_measures(per_1000_words, cmat, study, guide):
    # §7.4: notebook 06's strong/other split at the median, its permutation tests and Spearman's rho
    strength = per_1000_words["reviewing_reflecting"]
    strong = np.where(strength >= strength.quantile(0.5), "strong", "other")
    group = pd.Series(pd.Categorical(strong, categories=["strong", "other"]), index=strength.index)  # as 06
    measures = study.measures.pivot(index="site_id", columns="measure", values="value")
    variables = measures.join(cmat)
    tested = stats.compare_variables(variables, group=group, n_resamples=9999, seed=2003)
    said = {
        "clinical_goal_pct": "clinical goal attainment",
        "patient_experience": "patient experience",
        "staff_turnover_pct": "staff turnover",
        "process_improvement": "process improvement",
        "performance_results": "performance results",
    }
    for name, words in said.items():
        rho = variables[name].corr(strength, method="spearman")
        fragment = f"{words} rho {rho:.2f} (p {_p(tested.loc[name, 'p'])}"
        if name in cmat.columns:
            fragment = f"{words} (rho {rho:.2f}, p {_p(tested.loc[name, 'p'])}"
        assert fragment in guide, fragment
    # the planted link to turnover does not show: the guide must not promise it
    assert tested.loc["staff_turnover_pct", "p"] > 0.1
    assert "lower staff turnover, better clinical goals" not in guide


def test_planted_effect_6_taking_action_and_cmat_leadership(per_1000_words, cmat, guide):
    # §7.5: data/README.md's planted effect 6, by Spearman's rank correlation across the sites
    for process, characteristic, fragment in [
        ("taking_action", "leadership", "mean CMAT leadership rating is {rho} (p {p}, Spearman's test)"),
        ("building_knowledge", "staff_focus", "building knowledge with staff focus, is hard to see: rho {rho} (p {p})"),
    ]:
        both = pd.concat([per_1000_words[process], cmat[characteristic]], axis=1, join="inner")
        rho, p = spearmanr(both.iloc[:, 0], both.iloc[:, 1])
        assert fragment.format(rho=f"{rho:.2f}", p=_p(p)) in guide
    assert "planted effect 6" in guide


def test_formal_and_informal_leaders(frame, guide):
    # §7.1: process profiles by leader type (coded segments), and the sub-codes the design tilts
    profile = compare.process_profile(frame, by="leader_type", unit="segments")
    ta_formal, ta_informal = profile.loc["formal", "taking_action"], profile.loc["informal", "taking_action"]
    bk_informal, bk_formal = profile.loc["informal", "building_knowledge"], profile.loc["formal", "building_knowledge"]
    assert ta_formal > ta_informal and bk_informal > bk_formal
    assert (
        f"taking action is about {_pct(ta_formal)} of formal leaders' talk of leading against {_pct(ta_informal)} "
        f"for informal leaders; building knowledge about {_pct(bk_informal)} for informal leaders against "
        f"{_pct(bk_formal)} for formal leaders" in guide
    )
    leading = frame[frame["process"].notna()]
    share = compare.site_matrix(leading, by="leader_type", of="code_id", normalize="row")
    for code, words in [
        ("TA.hiring", "Only hiring shows clearly ("),
        ("TA.communicating", "communicating ("),
        ("RR.debrief", "debriefing ("),
    ]:
        fragment = f"{words}{_pct(share.loc['formal', code])} "
        assert fragment in guide and _pct(share.loc["informal", code]) in guide, fragment
    # the processes the guide files each sub-code under are the codebook's
    process_of = leadlib.load_study().code_table().set_index("code_id")["process"]
    assert process_of["TA.communicating"] == "taking_action"
    assert process_of["RR.results"] == process_of["RR.debrief"] == "reviewing_reflecting"
    assert "communicating and aligning (taking action)" in guide
    assert "reviewing results (a reviewing-and-reflecting sub-code)" in guide
    assert "debriefing events (reviewing and reflecting)" in guide


def test_levels_securing_resources(frame, guide):
    # §7.2: macro-level leaders' share of securing resources against micro-level leaders'
    leading = frame[frame["process"].notna()]
    share = compare.site_matrix(leading, by="leader_level", of="code_id", normalize="row")
    ratio = share.loc["macro", "TA.resources"] / share.loc["micro", "TA.resources"]
    assert round(ratio) == 3
    assert "about three times as much (as a share) of securing resources" in guide
    assert share.loc["macro", "BK.outside"] > share.loc["micro", "BK.outside"]
    for code in ("BK.patients", "BK.staff"):
        assert share.loc["micro", code] > share.loc["macro", code]


def test_settings_watching_measures(study, guide):
    # §7.3: median share of a site's interviews mentioning watching measures, acute against other (notebook 11)
    values = power.site_values(study, behaviour="BK.measures", unit="interviews")
    medians = values.groupby("acute")["value"].median()
    assert (
        f"{_pct(medians[True])} of an acute site's interviews mention it against {_pct(medians[False])} elsewhere"
        in guide
    )
