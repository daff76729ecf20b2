"""leadlib.simulate: reproducible, offsets exact, calibrated, planted structure present, round trip through files."""

from __future__ import annotations

import filecmp
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import leadlib
from leadlib import schema
from leadlib.simulate import Effects, _mess, raw, simulate_study, write_study
from leadlib.simulate.design import PROCESS_CODES, PUBLISHED_SHARES, SC_CODES, SC_TARGET_SHARES, SETTING_MIX
from leadlib.simulate.readme import study_readme

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def many_sites():
    """300 sites: enough for averages over sites to settle."""
    return simulate_study(n_sites=300, seed=5)


def test_same_seed_same_study_other_seed_other_study():
    a = simulate_study(n_sites=4, seed=1)
    b = simulate_study(n_sites=4, seed=1)
    c = simulate_study(n_sites=4, seed=2)
    for name, table in a.tables():
        pd.testing.assert_frame_equal(table, getattr(b, name))
    assert not a.segments["text"].equals(c.segments["text"])


def test_tables_follow_the_schema(small_study):
    for name, table in small_study.tables():
        if name == "audit":
            continue
        schema.validate(name, table, tables=dict(small_study.tables()))
        assert list(table.columns)[: len(schema.TABLES[name].names)] == schema.TABLES[name].names
    assert small_study.synthetic


def test_offsets_are_exact(small_study):
    text = dict(zip(small_study.transcripts["interview_id"], small_study.transcripts["text"]))
    seg = small_study.segments
    assert len(seg) > 0
    for r in seg.itertuples():
        assert text[r.interview_id][r.start : r.end] == r.text


def test_transcripts_are_question_and_answer_and_labelled_synthetic(small_study):
    for text in small_study.transcripts["text"]:
        assert text.startswith("[SYNTHETIC DATA")
        assert text.count("\nQ: ") >= 3 and text.count("\n\nA: ") >= 3
        assert "{" not in text and "}" not in text  # every placeholder filled


def test_informants_per_site_roles_and_leaders(many_sites):
    per_site = many_sites.informants.groupby("site_id").size()
    assert per_site.min() >= 8 and per_site.max() <= 16
    inf = many_sites.informants
    assert set(inf["leader_type"].astype(str)) == {"formal", "informal", "none"}
    assert inf.loc[inf["leader_type"] == "none", "leader_level"].isna().all()
    assert inf.loc[inf["leader_type"] != "none", "leader_level"].notna().all()
    assert (inf["role"] == "medical_director").groupby(inf["site_id"]).sum().eq(1).all()
    # one interview per informant
    assert many_sites.interviews["informant_id"].is_unique
    assert len(many_sites.interviews) == len(inf)


def test_settings_follow_the_mix():
    s = simulate_study(n_sites=20, seed=3)
    counts = s.sites["setting"].astype(str).value_counts()
    for setting, share in SETTING_MIX.items():
        assert abs(counts.get(setting, 0) - share * 20) < 1, setting


def test_success_characteristic_shares_are_calibrated_to_the_published_averages(many_sites):
    """Part 1 (and Quality by Design) report the share of all coded text units per characteristic:
    process improvement 13.5%, staff focus 9.4%, leadership 7.7%, organisational support 3.2%.
    Across 300 sites the mean site share must be within 0.6 percentage points of each target."""
    seg = many_sites.segments[many_sites.segments["primary"]]
    units = seg[seg["code_id"].isin(SC_CODES)]
    site = units["interview_id"].str.split("-").str[0]
    shares = pd.crosstab(site, units["code_id"], normalize="index")
    for code in PUBLISHED_SHARES:
        assert abs(shares[code].mean() - SC_TARGET_SHARES[code]) < 0.006, (code, shares[code].mean())
    # the five assumed shares absorb what the leading and critical passages' own characteristics leave over
    for code in SC_CODES:
        assert abs(shares[code].mean() - SC_TARGET_SHARES[code]) < 0.015, code
    # ... and vary between sites
    assert shares["SC.leadership"].std() > 0.015


def test_every_text_unit_has_one_success_characteristic(small_study):
    seg = small_study.segments[small_study.segments["primary"]]
    sc = seg[seg["code_id"].isin(SC_CODES)]
    assert not sc.duplicated(["interview_id", "start", "end"]).any()
    process = seg[~seg["code_id"].isin(SC_CODES)]
    spans = set(zip(sc["interview_id"], sc["start"], sc["end"]))
    assert all(key in spans for key in zip(process["interview_id"], process["start"], process["end"]))


def test_second_coder_on_about_a_fifth_of_interviews_at_every_site(many_sites):
    seg = many_sites.segments
    second = seg.loc[~seg["primary"], "interview_id"].unique()
    share = len(second) / len(many_sites.interviews)
    assert 0.17 < share < 0.25
    sites = pd.Series(second).str.split("-").str[0].unique()
    assert len(sites) == len(many_sites.sites)


def _disagreement(study) -> pd.Series:
    """Per double-coded passage: whether the coders' success characteristic differs, and whether the passage was
    written to fit two readings (borderline or critical)."""
    seg = study.segments
    sc = seg[seg["code_id"].isin(SC_CODES)]
    first = sc[sc["primary"]].set_index(["interview_id", "start"])["code_id"]
    second = sc[~sc["primary"]].set_index(["interview_id", "start"])["code_id"]
    joined = pd.concat([first.rename("first"), second.rename("second")], axis=1, join="inner")
    planted = study.metadata["passages"]
    planted = planted[planted["critical_of"].notna() | planted["also"].notna()]
    marked = joined.index.isin(pd.MultiIndex.from_frame(planted[["interview_id", "start"]]))
    return pd.DataFrame({"differ": (joined["first"] != joined["second"]).to_numpy(), "planted": marked})


def test_second_coder_agreement_is_set_by_the_agreement_parameter():
    """On clear passages the second coder slips at (1 - agreement) / 10; on borderline ones takes the other reading
    far more often, so disagreements gather there."""
    high = _disagreement(simulate_study(n_sites=30, seed=4, agreement=0.95))
    low = _disagreement(simulate_study(n_sites=30, seed=4, agreement=0.6))
    clear_high = high.loc[~high["planted"], "differ"].mean()
    clear_low = low.loc[~low["planted"], "differ"].mean()
    assert clear_high < 0.015 and 0.02 < clear_low < 0.07 and clear_low > 4 * clear_high
    usual = _disagreement(simulate_study(n_sites=30, seed=4))
    assert usual.loc[usual["planted"], "differ"].mean() > 5 * usual.loc[~usual["planted"], "differ"].mean()


def test_cmat_survey_sizes_and_ratings(many_sites):
    sv = many_sites.survey
    respondents = sv.groupby("site_id")["respondent_id"].nunique()
    assert respondents.min() >= 15 and respondents.max() <= 40
    assert set(sv["rating"].dropna().astype(int)) == {1, 2, 3}
    assert 0.02 < sv["rating"].isna().mean() < 0.1
    assert sv.groupby("respondent_id").size().eq(10).all()


def _process_share(study, process):
    f = study.frame()
    f = f[f["process"].notna()]
    return (f["process"] == process).groupby(f["site_id"]).mean()


def test_planted_reviewing_and_reflecting_goes_with_measures(many_sites):
    traits = many_sites.metadata["site_traits"].set_index("site_id")
    rr_share = _process_share(many_sites, "reviewing_reflecting")
    assert np.corrcoef(traits.loc[rr_share.index, "reviewing_reflecting"], rr_share)[0, 1] > 0.5
    m = many_sites.measures.pivot(index="site_id", columns="measure", values="value")
    r = traits["reviewing_reflecting"]
    # planted at 0.5 (Effects.reviewing_on_outcomes): moderate, as real studies see; 300 sites pin it to about 0.05
    assert 0.38 < np.corrcoef(r, m["patient_experience"])[0, 1] < 0.62
    assert -0.62 < np.corrcoef(r, m["staff_turnover_pct"])[0, 1] < -0.38
    assert abs(np.corrcoef(r[m["cost_index"].notna()], m["cost_index"].dropna())[0, 1]) < 0.2  # nothing planted


def test_planted_formal_leaders_take_more_action(many_sites):
    f = many_sites.frame()
    f = f[f["process"].notna()]
    share = (f["process"] == "taking_action").groupby(f["leader_type"], observed=True).mean()
    assert share["formal"] > share["informal"] + 0.05
    bk = (f["process"] == "building_knowledge").groupby(f["leader_type"], observed=True).mean()
    assert bk["informal"] > bk["formal"] + 0.05


def test_planted_acute_settings_watch_measures_and_effect_can_be_switched_off():
    def gap(study):
        f = study.frame()
        f = f[f["process"].notna()]
        watch = (f["code_id"] == "BK.measures").groupby(f["site_id"]).mean()
        acute = (
            study.sites.set_index("site_id")["setting"]
            .astype(str)
            .isin(["inpatient_unit", "icu_nicu", "emergency_department"])
        )
        return watch[acute[watch.index]].mean() - watch[~acute[watch.index]].mean()

    assert gap(simulate_study(n_sites=120, seed=8)) > 0.03
    assert abs(gap(simulate_study(n_sites=120, seed=8, effects=Effects(acute_watching_measures=0.0)))) < 0.02


def test_written_folder_loads_back_to_the_same_tables(small_study, small_study_dir):
    """Everything the writer roughened, tidying restores; only the interview missing from the log is lost."""
    loaded = leadlib.load_study(small_study_dir, cache=False)
    missing = set(small_study.interviews["interview_id"]) - set(loaded.interviews["interview_id"])
    assert len(missing) == 1
    informant = small_study.interviews.set_index("interview_id").loc[list(missing), "informant_id"]
    for name, expected in small_study.tables():
        if name == "audit":
            continue
        if "interview_id" in expected.columns:
            expected = expected[~expected["interview_id"].isin(missing)]
        if name == "informants":
            expected = expected[~expected["informant_id"].isin(informant)]
        pd.testing.assert_frame_equal(getattr(loaded, name), expected.reset_index(drop=True), obj=name)
    drops = loaded.audit[loaded.audit["action"] == "drop"]
    assert drops["reason"].str.contains(next(iter(missing))).sum() >= 2  # its transcript and its codings


def test_clean_writing_needs_no_aliases(small_study, tmp_path):
    write_study(small_study, tmp_path, seed=1, mess=False)
    loaded = leadlib.load_study(tmp_path, cache=False)
    assert len(loaded.interviews) == len(small_study.interviews)
    assert (loaded.audit["action"] != "drop").all()


def test_writer_refuses_to_overwrite_without_being_asked(small_study, tmp_path):
    write_study(small_study, tmp_path, seed=1)
    with pytest.raises(leadlib.LeadlibDataError, match="already holds files"):
        write_study(small_study, tmp_path, seed=1)
    write_study(small_study, tmp_path, seed=1, overwrite=True)  # asked: replaced


def test_writer_never_deletes_or_overwrites_files_it_did_not_write(small_study, tmp_path):
    (tmp_path / "raw" / "transcripts").mkdir(parents=True)
    mine = tmp_path / "raw" / "transcripts" / "interview-A.txt"
    mine.write_text("a transcript of mine")
    with pytest.raises(leadlib.LeadlibDataError, match="already holds files"):
        write_study(small_study, tmp_path, seed=1)
    with pytest.raises(leadlib.LeadlibDataError, match="did not write"):
        write_study(small_study, tmp_path, seed=1, overwrite=True)
    assert mine.read_text() == "a transcript of mine"
    other = tmp_path / "elsewhere"
    (other / "raw").mkdir(parents=True)
    (other / "raw" / "interview_log.csv").write_text("my log")
    with pytest.raises(leadlib.LeadlibDataError, match="already holds files"):
        write_study(small_study, other, seed=1)
    assert (other / "raw" / "interview_log.csv").read_text() == "my log"


@pytest.mark.slow
def test_bundled_study_regenerates_byte_for_byte(tmp_path):
    """data/ is what `leadlib simulate --sites 20 --seed 2003` writes: regenerate it with `make data` if this fails."""
    study = simulate_study(n_sites=20, seed=2003)
    write_study(study, tmp_path, seed=2003)
    ours = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    for rel in ours:
        assert filecmp.cmp(tmp_path / rel, ROOT / "data" / rel, shallow=False), rel
    bundled = sorted(
        p.relative_to(ROOT / "data")
        for p in (ROOT / "data").rglob("*")
        if p.is_file()
        and ".leadlib-cache" not in p.parts
        and p.parts[-2] != "exports"
        and "exports" not in p.relative_to(ROOT / "data").parts
    )
    assert bundled == ours


def test_simulate_scales_to_many_sites_in_reasonable_memory():
    s = simulate_study(n_sites=60, seed=9, informants=(8, 8))
    assert len(s.sites) == 60 and s.sites["site_id"].iloc[-1] == "S60"
    assert len(s.informants) == 480


def test_readme_lists_every_mess_and_only_when_messy():
    # MESS lives in simulate/_mess.py (so readme and raw need not import each other); raw re-exports it
    assert raw.MESS is _mess.MESS and len(_mess.MESS) == 11
    study = simulate_study(n_sites=2, seed=5, informants=(2, 2))
    messy = study_readme(study, mess=True, missing_interview="S01-I01")
    clean = study_readme(study, mess=False)
    assert all(f"- {m}\n" in messy for m in _mess.MESS)
    assert not any(m in clean for m in _mess.MESS) and "- none: written with `--clean`" in clean
    assert "The interview missing from the log is `S01-I01`" in messy
    assert (
        "--sites 2 --seed 5`" in messy
        and "| `raw/coded_segments_coder2.csv` | a second coder's coding of about 20%" in messy
    )


def test_cmat_follows_the_strengths_moderately(many_sites):
    """Planted at 0.6 between a site's latent CMAT level and its strength (Effects.strengths_on_cmat): a site's mean
    rating, which also carries a halo and sampling noise, then correlates about 0.5 with the strength: moderate, as
    real studies see, not the 0.9 a noise-free three-point rating would give."""
    traits = many_sites.metadata["site_traits"].set_index("site_id")
    means = many_sites.survey.groupby(["site_id", "characteristic"], observed=True)["rating"].mean().unstack()
    for process, characteristic in [("taking_action", "leadership"), ("building_knowledge", "staff_focus")]:
        r = np.corrcoef(traits[process], means.loc[traits.index, characteristic])[0, 1]
        assert 0.3 < r < 0.65, (process, characteristic, r)
    assert abs(np.corrcoef(traits["taking_action"], means.loc[traits.index, "patient_focus"])[0, 1]) < 0.2


def test_leader_level_and_type_are_not_confounded(many_sites):
    leaders = many_sites.informants[many_sites.informants["leader_type"] != "none"]
    informal = leaders[leaders["leader_type"] == "informal"]
    assert 0.25 < (informal["leader_level"] == "meso").mean() < 0.45  # P_INFORMAL_MESO = 0.35
    formal = leaders[leaders["leader_type"] == "formal"]
    assert set(formal["leader_level"]) == {"micro", "meso", "macro"}


def test_words_per_logged_minute_are_speech_rate(many_sites):
    rate = many_sites.interviews["n_words"] / many_sites.interviews["duration_min"]
    assert rate.between(120, 160).all(), rate.describe()


def test_critical_borderline_and_between_levels_passages(many_sites):
    passages = many_sites.metadata["passages"]
    primary = many_sites.segments[many_sites.segments["primary"]]
    units = primary[primary["code_id"].isin(SC_CODES)]
    assert 0.02 < passages["critical_of"].notna().sum() / len(units) < 0.08
    assert 0.01 < passages["also"].notna().sum() / len(units) < 0.06
    between = primary[primary["code_id"] == "LV.between"]
    # every between-levels coding sits on a leading passage of the same span
    lead = primary[primary["code_id"].isin(PROCESS_CODES)].set_index(["interview_id", "start", "end"]).index
    assert between.set_index(["interview_id", "start", "end"]).index.isin(lead).all()
    assert len(between) > 0.05 * len(lead)
