"""The instructor's guide's numbers come from code: each is computed twice and must stand in the text.

`docs/teaching.md` marks every figure of the bundled study (``<!-- n:name -->47%<!-- /n -->``);
``leadlib.classroom.guide_numbers`` computes them all (one table of names, ``GUIDE_NUMBERS``) and
``leadlib classroom guide --write`` fills them in. The first tests say that the guide is its own filled version
(nothing stale) and that the table and the marks match. The others recompute each figure here, with pandas (or,
for notebook 06's permutation tests, the calls notebook 06 makes), independently of ``guide_numbers``, and
assert both agree: a wrong formula in either is caught.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

import leadlib
from leadlib import classroom, compare, schema, stats
from leadlib.classroom import guide as guide_module
from leadlib.cli import main

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "teaching.md"
PROCESSES = list(schema.PROCESSES)


@pytest.fixture(scope="module")
def text() -> str:
    return GUIDE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def study():
    return leadlib.load_study()


@pytest.fixture(scope="module")
def numbers(study):
    return classroom.guide_numbers(study)


@pytest.fixture(scope="module")
def frame(study):
    return study.frame()


@pytest.fixture(scope="module")
def leading(frame):
    """Primary codings on a sub-code of a process of leading (BK., TA., RR.)."""
    return frame[frame["code_id"].astype(str).str.match(r"(BK|TA|RR)\.")]


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _p(x: float) -> str:
    """A p-value as the guide writes it: three decimals below 0.1, two above."""
    return f"{x:.3f}" if x < 0.1 else f"{x:.2f}"


def _kappa(a: pd.Series, b: pd.Series) -> float:
    """Cohen's kappa by its definition: (observed - chance agreement) / (1 - chance agreement)."""
    a, b = pd.Series(list(a)), pd.Series(list(b))
    observed = float((a == b).mean())
    chance = sum(float((a == c).mean()) * float((b == c).mean()) for c in set(a) | set(b))
    return (observed - chance) / (1 - chance)


def _marked(text: str, name: str) -> list[str]:
    return [value for mark, value in guide_module.marked_numbers(text) if mark == name]


# ---------------------------------------------------------------------------
# The guide is what the code gives


def test_the_guide_is_its_filled_version(text, numbers):
    stale = guide_module.stale_numbers(text, numbers)
    assert not stale, "run: leadlib classroom guide --write docs/teaching.md\n" + "\n".join(map(str, stale))
    assert classroom.fill_guide(text, numbers) == text


def test_one_table_of_numbers_every_one_in_the_guide(text, numbers):
    names = [name for name, _ in guide_module.marked_numbers(text)]
    assert list(numbers) == list(classroom.GUIDE_NUMBERS)
    assert set(names) == set(classroom.GUIDE_NUMBERS), set(names) ^ set(classroom.GUIDE_NUMBERS)
    # every mark is well formed: an opening mark the pattern does not read would hide a stale number
    assert text.count("<!-- n:") == len(names) and text.count("<!-- /n -->") == len(names)
    # no figure outside the marks in the sections that discuss the study's results (section 6's prompts)
    section_6 = text.split("## 6.")[1].split("## 7.")[0]
    unmarked = re.sub(r"<!-- n:[a-z0-9_]+ -->[^<\n]*<!-- /n -->", "", section_6)
    percentages = re.findall(r"\d+%", unmarked)
    assert not percentages, percentages


def test_fill_guide_changes_only_the_marked_text():
    before = "A <!-- n:a -->1<!-- /n --> and <!-- n:b -->x<!-- /n -->, 3% unmarked <!-- n:a -->9<!-- /n -->.\n"
    after = classroom.fill_guide(before, {"a": "42%", "b": "S01 and S02"})
    expected = "A <!-- n:a -->42%<!-- /n --> and <!-- n:b -->S01 and S02<!-- /n -->, 3% unmarked "
    assert after == expected + "<!-- n:a -->42%<!-- /n -->.\n"
    assert classroom.stale_numbers(before, {"a": "1", "b": "y"}) == [("b", "x", "y"), ("a", "9", "1")]
    with pytest.raises(ValueError, match="not computed: b"):
        classroom.fill_guide(before, {"a": "1"})
    with pytest.raises(ValueError, match="cannot stand between marks"):
        classroom.fill_guide(before, {"a": "<b>1</b>", "b": "2"})


def test_the_command_checks_and_refreshes_a_stale_guide(tmp_path, text, capsys):
    copy = tmp_path / "teaching.md"
    wrong = re.sub(r"(<!-- n:n_sites -->)[^<\n]*(<!-- /n -->)", r"\g<1>999\g<2>", text, count=1)
    assert wrong != text
    copy.write_text(wrong, encoding="utf-8")
    assert main(["classroom", "guide", "--check", str(copy)]) == 1
    said = capsys.readouterr().out
    assert "n_sites says '999'" in said and "--write" in said
    assert main(["classroom", "guide", "--write", str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == text
    assert main(["classroom", "guide", "--check", str(copy)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["teaching.md"]  # no temporary file left


# ---------------------------------------------------------------------------
# Each figure, computed here a second way


def test_sizes_of_the_study(study, numbers):
    segments = study.segments
    assert numbers["n_sites"] == str(len(study.sites))
    assert numbers["n_interviews"] == str(len(study.interviews))
    assert numbers["n_double_coded"] == str(segments.loc[~segments["primary"], "interview_id"].nunique())
    people = study.interviews.merge(study.informants, on="informant_id")
    for kind in ("formal", "informal", "none"):
        median = people.loc[people["leader_type"] == kind, "n_words"].median()
        assert numbers[f"words_{kind}"] == f"{median:,.0f}"


def test_top_sites_under_three_counting_units(study, frame, numbers):
    rr = frame[frame["process"] == "reviewing_reflecting"]
    sites = study.interviews.groupby("site_id")
    segments = rr.groupby("site_id").size().reindex(sites.size().index, fill_value=0)
    dense = segments / sites["n_words"].sum() * 1000
    mentioning = study.interviews["interview_id"].isin(rr["interview_id"]).groupby(study.interviews["site_id"])
    share = mentioning.mean()

    def top(values):
        ids = sorted(values.index[np.isclose(values, values.max())])
        return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]

    assert numbers["top_rr_segments"] == top(segments)
    assert numbers["top_rr_per_1000_words"] == top(dense)
    assert numbers["top_rr_interviews"] == top(share)
    assert numbers["sites_rr_every_interview"] == str(int((share == 1).sum()))


def test_formal_and_informal_leaders_and_levels(study, leading, numbers):
    process = leading["code_id"].str[:2]
    for kind in ("formal", "informal"):
        mine = process[leading["leader_type"] == kind]
        assert numbers[f"ta_{kind}"] == _pct((mine == "TA").mean())
        assert numbers[f"bk_{kind}"] == _pct((mine == "BK").mean())
    per_interview = process.groupby(leading["interview_id"]).nunique()
    all_three = per_interview.reindex(study.interviews["interview_id"], fill_value=0).eq(3).mean()
    assert numbers["all_three_interviews"] == _pct(all_three)
    level = leading["leader_level"].astype(str)
    resources = leading["code_id"] == "TA.resources"
    ratio = resources[level == "macro"].mean() / resources[level == "micro"].mean()
    assert numbers["resources_macro_micro"] == f"{ratio:.1f}"


def test_reviewing_and_reflecting_against_the_measures(study, frame, numbers):
    # notebook 06's strong/other split at the median, its permutation tests and Spearman's rho
    per_1000_words = compare.site_matrix(frame, of="process", unit="per_1000_words", interviews=study)
    cmat = compare.rating_distribution(study.survey, by=["site_id", "characteristic"])["mean"].unstack()
    strength = per_1000_words["reviewing_reflecting"]
    strong = np.where(strength >= strength.quantile(0.5), "strong", "other")
    group = pd.Series(pd.Categorical(strong, categories=["strong", "other"]), index=strength.index)
    variables = study.measures.pivot(index="site_id", columns="measure", values="value").join(cmat)
    tested = stats.compare_variables(variables, group=group, n_resamples=9999, seed=2003)
    for key, column in [
        ("clinical_goal", "clinical_goal_pct"),
        ("patient_experience", "patient_experience"),
        ("staff_turnover", "staff_turnover_pct"),
        ("cmat_process_improvement", "process_improvement"),
        ("cmat_performance_results", "performance_results"),
    ]:
        rho, _ = spearmanr(variables[column], strength.reindex(variables.index))
        assert numbers[f"rho_{key}"] == f"{rho:.2f}", key
        assert numbers[f"p_{key}"] == _p(tested.loc[column, "p"]), key
    # the CMAT links of the two other processes, by Spearman's test across the sites
    for key, process, characteristic in [
        ("ta_cmat_leadership", "taking_action", "leadership"),
        ("bk_cmat_staff_focus", "building_knowledge", "staff_focus"),
    ]:
        both = pd.concat([per_1000_words[process], cmat[characteristic]], axis=1, join="inner")
        rho, p = spearmanr(both.iloc[:, 0], both.iloc[:, 1])
        assert (numbers[f"rho_{key}"], numbers[f"p_{key}"]) == (f"{rho:.2f}", _p(p))


def test_high_agreement_lower_kappa_computed_from_the_codings(study, numbers):
    # interview level: did each coder apply the code anywhere in each double-coded interview?
    segments = study.segments
    double = segments.loc[~segments["primary"], "interview_id"].unique()
    both = segments[segments["interview_id"].isin(double)]
    rows = {}
    for code in sorted(segments["code_id"].astype(str).unique()):
        applied = both.assign(hit=both["code_id"] == code).groupby(["interview_id", "primary"])["hit"].any().unstack()
        first, second = applied[True], applied[False]
        agreement = float((first == second).mean())
        kappa = _kappa(first, second) if first.nunique() + second.nunique() > 2 else np.nan
        rows[code] = (agreement, kappa, float(first.mean()), int((first != second).sum()))
    table = pd.DataFrame(rows, index=["agreement", "kappa", "prevalence", "differ"]).T.dropna(subset=["kappa"])
    gap = table["agreement"] - table["kappa"]
    code = gap.idxmax()
    agreement, kappa, prevalence, differ = table.loc[code]
    label = study.codebook.set_index("code_id").loc[code, "label"].lower()
    assert (numbers["paradox_code"], numbers["paradox_agreement"]) == (label, _pct(agreement))
    assert numbers["paradox_kappa"] == f"{kappa:.2f}"
    assert numbers["paradox_prevalence"] == _pct(prevalence)
    assert numbers["paradox_differ"] == str(int(differ))
    # kappa = (p_o - p_e) / (1 - p_e), so the chance agreement is p_e = (p_o - kappa) / (1 - kappa)
    assert numbers["paradox_chance"] == _pct((agreement - kappa) / (1 - kappa))
    assert numbers["median_kappa"] == f"{table['kappa'].drop(index=code).median():.2f}"
    # the guide's prompt says "high agreement, a much lower kappa than the other codes": the data must show it
    assert agreement > 0.9 and kappa < table["kappa"].drop(index=code).median() - 0.2


def test_disagreements_about_reviewing_and_reflecting_counted_span_by_span(study, numbers):
    units = stats.coder_confusion(study, process=PROCESSES).attrs["units"]
    first, second = units["first"].astype(str), units["second"].astype(str)
    rr_first, rr_second = first.str.startswith("RR."), second.str.startswith("RR.")
    differ = (first != second) & (rr_first | rr_second)
    misses = differ & ((first == "(none)") | (second == "(none)"))
    within = differ & rr_first & rr_second
    swaps = differ & ~misses & ~within
    assert numbers["rr_disagreements"] == str(int(differ.sum()))
    assert (numbers["rr_misses"], numbers["rr_within"], numbers["rr_swaps"]) == tuple(
        str(int(x.sum())) for x in (misses, within, swaps)
    )
    # the table of reviewing and reflecting alone lumps the misses and the swaps into its (none) row and column
    alone = stats.coder_confusion(study, process="reviewing_reflecting")
    codes = [c for c in alone.index if c != "(none)"]
    lumped = int(alone.loc[codes, "(none)"].sum() + alone.loc["(none)", codes].sum())
    assert lumped == int(misses.sum() + swaps.sum())


def test_watching_measures_in_acute_and_other_settings(study, frame, numbers):
    # notebook 11's statistic: share of a site's interviews with a BK.measures coding; medians by setting class
    acute_settings = {"inpatient_unit", "icu_nicu", "emergency_department"}  # notebook 11: inpatient, ICU/NICU, ED
    assert set(guide_module.ACUTE_SETTINGS) == acute_settings
    with_code = frame.loc[frame["code_id"] == "BK.measures", "interview_id"].unique()
    share = study.interviews["interview_id"].isin(with_code).groupby(study.interviews["site_id"]).mean()
    acute = study.sites.set_index("site_id")["setting"].astype(str).isin(acute_settings).reindex(share.index)
    assert numbers["measures_acute"] == _pct(share[acute].median())
    assert numbers["measures_other"] == _pct(share[~acute].median())


def test_the_coding_exercise_passages(study, numbers):
    sample = classroom.coding_sample(study)  # Exercise 5's defaults
    assert numbers["sample_second_agreement"] == _pct((sample["primary"] == sample["second"]).mean())
    assert numbers["sample_second_kappa"] == f"{_kappa(sample['primary'], sample['second']):.2f}"


@pytest.fixture(scope="module")
def planted_toml():
    return tomllib.loads((ROOT / "data" / "planted.toml").read_text(encoding="utf-8"))


def _toml_facet(table: dict, effect: str, facet: str) -> dict:
    found = [f for e in table["effect"] if e["id"] == effect for f in e.get("facet", []) if f["facet"] == facet]
    assert len(found) == 1, (effect, facet)
    return found[0]


def test_every_planted_facet_has_its_mark_and_says_seen_as_planted_toml_does(numbers, planted_toml):
    facets = {(e["id"], f["facet"]) for e in planted_toml["effect"] for f in e.get("facet", [])}
    named = {(effect, facet) for effect, facet, _ in classroom.PLANTED_FACETS.values()}
    # every facet of planted.toml has a mark, except the coders' baseline (it stands in coders_planted_share)
    assert facets - named == {("coders", "share of double-coded passages that are borderline or critical")}
    assert named <= facets
    for name, (effect, facet, _) in classroom.PLANTED_FACETS.items():
        visible = _toml_facet(planted_toml, effect, facet)["visible"]
        assert numbers[name].endswith(": seen" if visible else ": not seen"), (name, numbers[name])
    unseen = [
        what
        for effect, facet, what in classroom.PLANTED_FACETS.values()
        if not _toml_facet(planted_toml, effect, facet)["visible"] and "nothing planted" not in facet
    ]
    assert all(what in numbers["planted_not_seen"] for what in unseen)
    kinds = [p["kind"] for p in planted_toml["passage"]]
    assert numbers["planted_n_borderline"] == f"{kinds.count('borderline'):,}"
    assert numbers["planted_n_critical"] == f"{kinds.count('critical'):,}"


def test_planted_figures_recomputed_from_the_files(study, leading, numbers, planted_toml):
    # formal leaders' taking action minus staff's, as shares of their codings on a process sub-code
    process = leading["code_id"].str[:2]
    formal = (process[leading["leader_type"] == "formal"] == "TA").mean()
    staff = (process[leading["leader_type"] == "none"] == "TA").mean()
    assert numbers["planted_formal_ta"].startswith(f"{(formal - staff) * 100:+.1f} points")
    # median words of formal leaders' interviews over staff's
    people = study.interviews.merge(study.informants, on="informant_id")
    words = people.groupby(people["leader_type"].astype(str))["n_words"].median()
    assert numbers["planted_formal_longer"].startswith(f"{words['formal'] / words['none']:.2f} times")
    # the coders: passages (interview, start) the two coders code differently (codes other than the 'other'
    # group, as a set), and which of them planted.toml lists as borderline or critical
    groups = study.codebook.set_index("code_id")["group"].astype(str)
    seg = study.segments.assign(group=study.segments["code_id"].astype(str).map(groups))
    seg = seg[seg["group"] != "other"]
    sets = seg.groupby(["primary", "interview_id", "start"])["code_id"].agg(lambda c: frozenset(map(str, c)))
    second = sets.loc[False]
    first = sets.loc[True].reindex(second.index)
    pairs = pd.DataFrame({"first": first, "second": second}).dropna()
    marked = pairs.index.isin([(p["interview_id"], p["start"]) for p in planted_toml["passage"]])
    differ = (pairs["first"] != pairs["second"]).to_numpy()
    assert numbers["coders_disagree_planted"] == _pct(marked[differ].mean())
    assert numbers["coders_planted_share"] == _pct(marked.mean())
    # and the same figures stand in planted.toml
    coders = _toml_facet(planted_toml, "coders", "share of disagreements on borderline or critical passages")
    assert numbers["coders_disagree_planted"] == _pct(coders["estimate"])


def test_the_guide_reveals_each_planted_effect_in_section_7(text, planted_toml):
    section_7 = text.split("## 7.")[1].split("## 8.")[0]
    assert "data/planted.toml" in section_7 and "data/README.md" in section_7
    assert "[[passage]]" in section_7 and "simulate_study(" in section_7 and ".metadata" in section_7
    marks = {name for name, _ in guide_module.marked_numbers(section_7)}
    assert set(classroom.PLANTED_FACETS) <= marks
    for effect in planted_toml["effect"]:
        assert f"`{effect['id']}`" in section_7, effect["id"]
    # no verdict outside the marks: "seen" and "not seen" come from planted.toml's visible, never typed by hand
    unmarked = re.sub(r"<!-- n:[a-z0-9_]+ -->[^<\n]*<!-- /n -->", "", section_7)
    assert set(re.findall(r"\d+(?:\.\d+)?%", unmarked)) <= {"95%"}  # the interval's level, not a finding
    assert not re.search(r"\bp \d|rho -?\d", unmarked)
