"""Every effect planted in the bundled SYNTHETIC study is recovered from its files (data/planted.toml).

For each effect of :data:`leadlib.simulate.planted.EFFECTS` there is one test here, named in ``planted.toml`` and in
``data/README.md``: it recomputes the effect's statistics from ``data/`` with the study's truth (site strengths,
borderline and critical passages, from ``planted.toml``), checks they are the figures the README and
``planted.toml`` print, and that the facets the effect is judged by are visible and point the planted way.
A few effects are also switched off in a fresh simulation, to show the statistic then loses what it found.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import leadlib
from leadlib.simulate import Effects, simulate_study
from leadlib.simulate import planted as pl

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def table() -> dict:
    return tomllib.loads((DATA / "planted.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def recovered(table) -> pd.DataFrame:
    study = leadlib.load_study(DATA)
    return pl.recover(study, truth=pl.read_truth(table), passages=pl.read_passages(table))


def _facets(table: dict, effect: str) -> pd.DataFrame:
    entry = next(e for e in table["effect"] if e["id"] == effect)
    return pd.DataFrame(entry.get("facet", []))


def _check(effect: str, table: dict, recovered: pd.DataFrame, *, sign: int = 1) -> pd.DataFrame:
    """The effect's facets: recomputed equal to planted.toml's, and the claimed ones visible, the planted way."""
    mine = recovered[recovered["effect"] == effect].reset_index(drop=True)
    theirs = _facets(table, effect)
    assert len(mine), f"{effect}: no statistics recovered"
    assert list(mine["facet"]) == list(theirs["facet"])
    np.testing.assert_allclose(mine["estimate"], theirs["estimate"], rtol=1e-3, atol=1e-4)
    assert list(mine["visible"]) == list(theirs["visible"])
    claimed = mine[mine["claimed"]]
    assert len(claimed), f"{effect}: no facet claimed"
    assert claimed["visible"].all(), claimed
    assert (np.sign(claimed["estimate"]) == sign).all(), claimed
    return mine


def test_the_table_lists_every_effect_once_with_its_test(table):
    ids = [e["id"] for e in table["effect"]]
    assert ids == [e.id for e in pl.EFFECTS]
    assert len(set(ids)) == len(ids)
    names = {n for n in globals() if n.startswith("test_")}
    for e in table["effect"]:
        assert e["test"].split("::")[1] in names, e["test"]


def test_the_readme_prints_the_recovered_figures(table):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for e in table["effect"]:
        assert e["title"] in readme
        assert e["test"] in readme
    assert readme.count("**visible**") == sum(f["visible"] for e in table["effect"] for f in e.get("facet", []))


def test_site_strengths(table, recovered):
    mine = _check("site_strengths", table, recovered)
    assert (mine["estimate"] > 0.4).all()  # every process's share follows its strength


def test_formal_taking_action(table, recovered):
    _check("formal_taking_action", table, recovered)


def test_informal_building_knowledge(table, recovered):
    _check("informal_building_knowledge", table, recovered)


def test_formal_hiring(table, recovered):
    _check("formal_hiring", table, recovered)


def test_levels(table, recovered):
    _check("levels", table, recovered)


def test_between_levels(table, recovered):
    _check("between_levels", table, recovered)


def test_leader_level_is_not_leader_type():
    study = leadlib.load_study(DATA)
    leaders = study.informants[study.informants["leader_type"] != "none"]
    table = pd.crosstab(leaders["leader_type"], leaders["leader_level"])
    # formal leaders at the unit and informal leaders beyond it both exist, in numbers a class can compare
    assert table.loc["formal", "micro"] >= 10
    assert table.loc["informal", "meso"] >= 10
    assert table.loc["informal", "micro"] >= 10


def test_acute_measures(table, recovered):
    _check("acute_measures", table, recovered)


def test_community_patients(table, recovered):
    _check("community_patients", table, recovered)


def test_outcomes(table, recovered):
    _check("outcomes", table, recovered)


def test_cmat(table, recovered):
    mine = _check("cmat", table, recovered)
    links = mine[~mine["claimed"]]
    # moderate, as real studies see: no single link near the r of 0.9 a three-point rating would need to beat
    assert links["estimate"].between(-0.2, 0.8).all(), links


def test_coders(table, recovered):
    mine = _check("coders", table, recovered)
    on_planted, base = mine["estimate"]
    assert on_planted > 0.5 > base  # most disagreements fall on the few passages written to fit two readings


def test_formal_longer(table, recovered):
    mine = _check("formal_longer", table, recovered)
    assert mine["estimate"].iloc[0] > 1


@pytest.mark.slow
@pytest.mark.parametrize(
    ("switch", "effect", "facet"),
    [
        ({"formal_taking_action": 0.0}, "formal_taking_action", "formal - staff"),
        ({"acute_watching_measures": 0.0}, "acute_measures", "acute - other"),
    ],
)
def test_an_effect_switched_off_is_not_recovered(switch, effect, facet):
    """The statistic finds the effect because it is planted: the same study without it shows much less."""
    on = simulate_study(n_sites=20, seed=2003)
    off = simulate_study(n_sites=20, seed=2003, effects=replace(Effects(), **switch))

    def estimate(study):
        rows = pl.recover(study)
        return rows.loc[(rows["effect"] == effect) & (rows["facet"] == facet), "estimate"].iloc[0]

    assert abs(estimate(off)) < 0.5 * estimate(on)


def test_a_small_study_recovers_without_warnings_and_nan_where_a_group_is_empty():
    import warnings

    study = simulate_study(n_sites=2, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rows = pl.recover(study, truth=study.metadata["site_traits"], passages=study.metadata["passages"])
    assert set(rows["effect"]) == {e.id for e in pl.EFFECTS}
    # a difference whose group holds no codings is not a number, and not visible
    empty = rows[rows["estimate"].isna()]
    assert not empty["visible"].any()
