"""Tests of leadlib.stats.qca against R QCA's published output and QCA literature.

Lipset's interwar democracies (crisp, fuzzy, multi-value) with R QCA 3.23's
printed truth tables and solutions (fixtures copied from the project's shared
reference cases; see tests/fixtures/README.md), Ragin's (2008) direct
calibration example, and the Quine-McCluskey worked example with two minimal
solutions.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leadlib import LeadlibDataError
from leadlib.stats import (
    calibrate,
    calibrate_sites,
    calibration_sensitivity,
    minimize,
    necessity,
    site_conditions,
    truth_table,
)

FIXTURES = Path(__file__).parent / "fixtures" / "stats"
CONDITIONS = ["DEV", "URB", "LIT", "IND", "STB"]


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / name, index_col="case")


def _expected(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())["expected"]


def _terms(expression: str) -> set[str]:
    return {t.strip() for t in expression.split("+")}


def _case_set(text: str) -> set[str]:
    return {c for chunk in text.split(";") for c in chunk.strip().split(",") if c}


# ---------------------------------------------------------------------------
# Calibration


def test_crisp_calibration_reproduces_lipset_lc_and_lm():
    # R QCA ?Lipset: DEV 0 below 550 USD else 1 (multi-value: 550 and 850);
    # URB 50%, LIT 75%, IND 30%; STB 1 for fewer than 10 cabinets; SURV 1
    # if the raw value is positive. Exact.
    raw, lc, lm = _read("LR_raw.csv"), _read("LC.csv"), _read("LM.csv")
    assert (calibrate(raw["DEV"], thresholds=550) == lc["DEV"]).all()
    assert (calibrate(raw["URB"], thresholds=50) == lc["URB"]).all()
    assert (calibrate(raw["LIT"], thresholds=75) == lc["LIT"]).all()
    assert (calibrate(raw["IND"], thresholds=30) == lc["IND"]).all()
    assert (calibrate(raw["STB"], thresholds=10, increasing=False) == lc["STB"]).all()
    assert not (raw["SURV"] == 0).any()
    assert (calibrate(raw["SURV"], thresholds=0) == lc["SURV"]).all()
    assert (calibrate(raw["DEV"], thresholds=[550, 850]) == lm["DEV"]).all()
    assert list(calibrate(raw["DEV"], thresholds=550).index) == list(raw.index)


# Ragin (2008), Redesigning Social Inquiry, Table 5.2 (also Ragin 2008,
# "Fuzzy sets: calibration versus measurement", Table 4): national income
# per capita (USD), direct method with full non-membership 2,500, crossover
# 5,000, full membership 20,000, log odds +/-3 at the anchors. Memberships as
# printed (2 decimals; tolerance 0.005).
# Provenance: the incomes are checked against R package QCA, man/calibrate.Rd
# ("per capita income data from Ragin (2008)", 24 countries in the table's
# order; github cran/QCA @0f41b4f350c2bd21553606337f7115bc49094429). The
# memberships were transcribed from the book and could not be checked
# against a second source here; Ragin's procedure itself (log odds 3 at
# full membership) is checked exactly by the anchors below.
RAGIN_INCOME = {
    "Netherlands": (25200, 0.98),
    "Australia": (20060, 0.95),
    "Israel": (17090, 0.92),
    "Spain": (15320, 0.89),
    "New Zealand": (13680, 0.85),
    "Cyprus": (11720, 0.79),
    "Greece": (11290, 0.78),
    "Portugal": (10940, 0.77),
    "Korea, Rep.": (9800, 0.72),
    "Argentina": (7470, 0.62),
    "Hungary": (4670, 0.40),
    "Venezuela": (4100, 0.25),
    "Panama": (3740, 0.18),
    "Mauritius": (3690, 0.17),
    "Brazil": (3590, 0.16),
    "Turkey": (2980, 0.08),
    "Bolivia": (1000, 0.01),
}


# R QCA man/calibrate.Rd, example of the indirect method: Ragin's (2008) 24
# incomes, highest first.
R_QCA_INCOMES = [
    40110,
    34400,
    25200,
    24920,
    20060,
    17090,
    15320,
    13680,
    11720,
    11290,
    10940,
    9800,
    7470,
    4670,
    4100,
    4070,
    3740,
    3690,
    3590,
    2980,
    1000,
    650,
    450,
    110,
]


def test_ragin_incomes_agree_with_r_qca_copy():
    ours = [v for v, _ in RAGIN_INCOME.values()]
    positions = [R_QCA_INCOMES.index(v) for v in ours]  # ValueError if one is not there
    assert positions == sorted(positions)  # same order as the table


def test_fuzzy_direct_calibration_matches_ragin_income_example():
    income = np.array([v for v, _ in RAGIN_INCOME.values()], dtype=float)
    printed = np.array([m for _, m in RAGIN_INCOME.values()])
    ours = calibrate(income, full_out=2500, crossover=5000, full_in=20000)
    assert ours == pytest.approx(printed, abs=0.005)
    # the anchors: log odds -3, 0, +3 (Ragin 2008, ch. 5)
    anchors = calibrate([2500, 5000, 20000], full_out=2500, crossover=5000, full_in=20000)
    assert anchors == pytest.approx([1 / (1 + np.exp(3)), 0.5, 1 / (1 + np.exp(-3))])


def test_fuzzy_calibration_decreasing_set_mirrors_increasing():
    x = np.array([100, 300, 500, 700, 900])
    up = calibrate(x, full_out=200, crossover=500, full_in=800)
    down = calibrate(x, full_out=800, crossover=500, full_in=200)
    assert down == pytest.approx(1 - up)


def test_calibration_errors():
    with pytest.raises(LeadlibDataError, match="strictly between"):
        calibrate([1, 2], full_out=5, crossover=1, full_in=10)
    with pytest.raises(LeadlibDataError, match="numeric") as err:
        calibrate(pd.Series([1, "two", 3], name="DEV"), thresholds=2)
    assert err.value.row == 3 and err.value.column == "DEV"
    with pytest.raises(LeadlibDataError, match="either thresholds"):
        calibrate([1, 2], thresholds=1, crossover=1)


# ---------------------------------------------------------------------------
# Crisp sets


def test_crisp_truth_table_matches_r_qca():
    expected = _expected("lipset_crisp_expected.json")["truth_table_SURV"]
    tt = truth_table(_read("LC.csv"), outcome="SURV", conditions=CONDITIONS)
    columns = expected["columns"]
    rows = {r[0]: dict(zip(columns, r)) for r in expected["rows"]}
    assert list(tt.index) == sorted(rows)
    for number, row in rows.items():
        ours = tt.loc[number]
        assert [int(ours[c]) for c in CONDITIONS] == [row[c] for c in CONDITIONS]
        assert ours["OUT"] == str(row["OUT"]) and ours["n"] == row["n"]
        assert ours["incl"] == pytest.approx(row["incl"]) and ours["PRI"] == pytest.approx(row["PRI"])
        assert _case_set(ours["cases"]) == _case_set(row["cases"])


def test_crisp_conservative_and_parsimonious_solutions():
    # Rihoux & De Meur (2009) p. 57; R QCA 3.23 ?minimize output.
    expected = _expected("lipset_crisp_expected.json")
    tt = truth_table(_read("LC.csv"), outcome="SURV", conditions=CONDITIONS)
    conservative = minimize(tt)
    assert len(conservative.solutions) == 1
    assert set(conservative.solution) == _terms(expected["conservative_SURV"]["solution"])
    terms = conservative.terms.set_index("term")
    for term, fit in expected["conservative_SURV"]["terms"].items():
        for key, value in fit.items():
            assert terms.loc[term, key] == pytest.approx(value, abs=5e-4)
    for key, value in expected["conservative_SURV"]["model"].items():
        assert conservative.fit.loc[0, key] == pytest.approx(value, abs=5e-4)
    # R prints the cases per term row by row: "FI,IE; FR,SE" and "FR,SE; BE,CZ,NL,UK"
    assert _case_set(terms.loc["DEV*~URB*LIT*STB", "cases"]) == {"FI", "IE", "FR", "SE"}

    parsimonious = minimize(tt, include="?")
    assert parsimonious.solution == ["DEV*STB"]
    assert (
        list(parsimonious.simplifying_assumptions["M1"].index)
        == expected["parsimonious_SURV"]["simplifying_assumptions_rows"]
    )
    for key, value in expected["parsimonious_SURV"]["model"].items():
        assert parsimonious.fit.loc[0, key] == pytest.approx(value, abs=5e-4)


def test_minimize_returns_the_solution_as_a_list_of_terms_with_its_fit():
    # Issue 5's contract: "the conservative or parsimonious solution as a list of terms like "DEV*~URB*LIT", with
    # inclS, PRI, covS, covU per term and for the solution". Lipset's parsimonious solution for SURV is DEV*STB
    # (Rihoux & De Meur 2009 p. 57; R QCA 3.23 ?minimize), inclS, PRI and covS 1.000 (R QCA's printout,
    # tolerance 5e-4).
    expected = _expected("lipset_crisp_expected.json")
    tt = truth_table(_read("LC.csv"), outcome="SURV", conditions=CONDITIONS)
    parsimonious = minimize(tt, include="?")
    assert parsimonious == ["DEV*STB"] and parsimonious == ["DEV*STB"] and parsimonious == ("DEV*STB",)
    assert parsimonious != ["DEV*STB", "URB"] and parsimonious != ["STB*DEV"]
    assert list(parsimonious) == ["DEV*STB"] and len(parsimonious) == 1 and parsimonious[0] == "DEV*STB"
    assert "DEV*STB" in parsimonious and parsimonious[-1:] == ["DEV*STB"]
    assert " + ".join(parsimonious) == "DEV*STB"
    for key, value in expected["parsimonious_SURV"]["model"].items():  # for the solution
        assert parsimonious.fit.loc[0, key] == pytest.approx(value, abs=5e-4)
    conservative = minimize(tt)
    assert set(conservative) == _terms(expected["conservative_SURV"]["solution"])
    assert sorted(conservative) == sorted(conservative.solution) and len(conservative) == 2
    terms = conservative.terms.set_index("term")
    assert list(terms.index) == list(conservative)  # one fit row per term of the list
    assert {"inclS", "PRI", "covS", "covU"} <= set(terms.columns)  # per term
    # an older caller's attributes still work, and two results compare as results
    assert conservative.solution == list(conservative) and conservative.expression == " + ".join(conservative)
    assert minimize(tt) == conservative and conservative != parsimonious
    assert "DEV*STB" in repr(parsimonious) and str(parsimonious) == "M1: DEV*STB -> SURV"
    never = _read("LC.csv").assign(SURV=0)
    with pytest.warns(UserWarning):
        empty = minimize(truth_table(never, outcome="SURV", conditions=CONDITIONS))
    assert empty == [] and len(empty) == 0 and not empty


def test_crisp_negated_outcome():
    expected = _expected("lipset_crisp_expected.json")
    tt = truth_table(_read("LC.csv"), outcome="~SURV", conditions=CONDITIONS)
    assert set(minimize(tt).solution) == _terms(expected["conservative_notSURV"]["solution"])
    parsimonious = minimize(tt, include="?")
    assert set(parsimonious.solution) == _terms(expected["parsimonious_notSURV"]["solution"])
    terms = parsimonious.terms.set_index("term")
    for term, fit in expected["parsimonious_notSURV"]["terms"].items():
        for key, value in fit.items():
            assert terms.loc[term, key] == pytest.approx(value, abs=5e-4)
    assert parsimonious.outcome == "~SURV"


# ---------------------------------------------------------------------------
# Fuzzy sets


@pytest.fixture(scope="module")
def fuzzy_tt():
    return truth_table(_read("LF.csv"), outcome="SURV", conditions=CONDITIONS, incl_cut=0.8)


def _check_fit(solution, expected, tol):
    assert set(solution.solution) == set(expected["terms"])
    terms = solution.terms.set_index("term")
    for term, fit in expected["terms"].items():
        for key, value in fit.items():
            if key == "cases":
                assert _case_set(terms.loc[term, "cases"]) == _case_set(value)
            else:
                assert terms.loc[term, key] == pytest.approx(value, abs=tol), (term, key)
    for key, value in expected["model"].items():
        assert solution.fit.loc[0, key] == pytest.approx(value, abs=tol), key


def test_fuzzy_truth_table_assigns_cases_above_half(fuzzy_tt):
    # R QCA: "n OUT = 1/0/C: 6/12/0" (cases in positive / negative /
    # contradictory rows). FR and SE (DEV*~URB*LIT*IND*STB) have inclusion
    # below 0.8: OUT = 0.
    n_out = [int(fuzzy_tt.loc[fuzzy_tt["OUT"] == o, "n"].sum()) for o in ("1", "0", "C")]
    assert n_out == _expected("lipset_fuzzy_expected.json")["n_OUT_1_0_C"]
    assert fuzzy_tt.loc[24, "cases"] == "FR,SE" and fuzzy_tt.loc[24, "OUT"] == "0"
    # The row inclusion is over all cases (Ragin 2008): recompute row 32 by hand.
    lf = _read("LF.csv")
    x = lf[CONDITIONS].min(axis=1)
    assert fuzzy_tt.loc[32, "incl"] == pytest.approx(np.minimum(x, lf["SURV"]).sum() / x.sum())


def test_fuzzy_conservative_parsimonious_intermediate(fuzzy_tt):
    # Ragin (2009) p. 112; R QCA 3.23 ?minimize output; tolerance 5e-4
    # (R prints 3 decimals).
    expected = _expected("lipset_fuzzy_expected.json")
    _check_fit(minimize(fuzzy_tt), expected["conservative"], 5e-4)
    _check_fit(minimize(fuzzy_tt, include="?"), expected["parsimonious"], 5e-4)
    intermediate = minimize(fuzzy_tt, include="?", dir_exp="DEV, URB, LIT, IND, STB")
    assert intermediate.kind == "intermediate"
    _check_fit(intermediate, expected["intermediate_dir_exp_all_present"], 5e-4)
    # the easy counterfactual used: DEV*URB*LIT*~IND*STB (row 30)
    assert list(intermediate.easy_counterfactuals.index) == [30]
    # the same expectations as a mapping
    again = minimize(fuzzy_tt, include="?", dir_exp={c: 1 for c in CONDITIONS})
    assert set(again.solution) == set(intermediate.solution)


def test_fuzzy_membership_of_exactly_half_is_an_error():
    lf = _read("LF.csv")
    lf.loc["FI", "DEV"] = 0.5
    with pytest.raises(LeadlibDataError, match="exactly 0.5") as err:
        truth_table(lf, outcome="SURV", conditions=CONDITIONS)
    assert err.value.column == "DEV" and err.value.row == list(lf.index).index("FI") + 2


# ---------------------------------------------------------------------------
# Multi-value sets


def test_multivalue_solutions_match_r_qca():
    # Cronqvist & Berg-Schlosser (2009) p. 80; R QCA 3.23 ?minimize output.
    # Without STB, CZ (survived) and DE (collapsed) share a row with
    # inclusion 0.5 < 1: OUT = 0, not a contradiction, and CZ stays uncovered.
    expected = _expected("lipset_multivalue_expected.json")
    lm = _read("LM.csv")
    tt = truth_table(lm, outcome="SURV", conditions="DEV, URB, LIT, IND", incl_cut=1)
    shared = tt[tt["cases"].str.contains("CZ")]
    assert len(shared) == 1 and shared.iloc[0]["OUT"] == "0" and shared.iloc[0]["incl"] == pytest.approx(0.5)
    for include, key in ((None, "conservative_SURV"), ("?", "parsimonious_SURV")):
        solution = minimize(tt, include=include)
        assert set(solution.solution) == _terms(expected[key]["solution"])
        for fit_key, value in expected[key]["model"].items():
            assert solution.fit.loc[0, fit_key] == pytest.approx(value, abs=5e-4)
    terms = minimize(tt).terms.set_index("term")
    for term, fit in expected["conservative_SURV"]["terms"].items():
        for fit_key, value in fit.items():
            assert terms.loc[term, fit_key] == pytest.approx(value, abs=5e-4)
    ttn = truth_table(lm, outcome="~SURV", conditions="DEV, URB, LIT, IND", incl_cut=1)
    for include, key in ((None, "conservative_notSURV"), ("?", "parsimonious_notSURV")):
        solution = minimize(ttn, include=include)
        assert set(solution.solution) == _terms(expected[key]["solution"])
        assert solution.fit.loc[0, "covS"] == pytest.approx(expected[key]["model"]["covS"], abs=5e-4)


def test_multivalue_brace_notation():
    tt = truth_table(_read("LM.csv"), outcome="SURV", conditions="DEV, URB, LIT, IND")
    assert set(minimize(tt, include="?", notation="{}").solution) == {"DEV{2}", "DEV{1}*IND{0}"}


# ---------------------------------------------------------------------------
# Several minimal solutions


def test_quine_mccluskey_worked_example_returns_both_minimal_solutions():
    # Quine-McCluskey worked example (McCluskey 1956; Wikipedia
    # "Quine-McCluskey algorithm"): f(A,B,C,D) = sum m(4,8,10,11,12,15) +
    # d(9,14). Prime implicants BC'D', AB', AD', AC; essential BC'D' and AC;
    # two minimal solutions: BC'D' + AB' + AC and BC'D' + AD' + AC.
    rows = []
    for m in range(16):
        if m in (9, 14):
            continue  # don't-cares: logical remainders
        bits = [(m >> s) & 1 for s in (3, 2, 1, 0)]
        rows.append({**dict(zip("ABCD", bits)), "F": int(m in (4, 8, 10, 11, 12, 15)), "case": f"m{m}"})
    data = pd.DataFrame(rows).set_index("case")
    tt = truth_table(data, outcome="F", conditions="A, B, C, D")
    solution = minimize(tt, include="?")
    assert set(solution.prime_implicants) == {"B*~C*~D", "A*~B", "A*~D", "A*C"}
    assert set(solution.essential) == {"B*~C*~D", "A*C"}
    assert {frozenset(s) for s in solution.solutions} == {
        frozenset({"B*~C*~D", "A*~B", "A*C"}),
        frozenset({"B*~C*~D", "A*~D", "A*C"}),
    }
    assert set(solution.terms["model"]) == {"M1", "M2"} and len(solution.fit) == 2
    assert str(solution).splitlines()[0].startswith("M1: ")


def test_six_conditions_twenty_cases_solutions_cover_exactly_what_they_should():
    # 6 binary conditions and 20 sites, the size of a microsystem study: by definition of a sufficient
    # solution, every positive row is covered by some term and no negative row by any (conservative and
    # parsimonious alike; remainders may be covered only by the parsimonious one).
    rng = np.random.default_rng(0)
    data = pd.DataFrame(rng.random((20, 7)), columns=list("ABCDEFY"), index=[f"S{i:02d}" for i in range(1, 21)])
    data = data.where(data != 0.5, 0.51)
    tt = truth_table(data, outcome="Y", conditions=list("ABCDEF"), incl_cut=0.75)
    out = tt["OUT"].astype(str)
    positive = tt.loc[out == "1", list("ABCDEF")].astype(int).to_numpy()
    negative = tt.loc[out == "0", list("ABCDEF")].astype(int).to_numpy()
    assert len(positive) and len(negative)

    def covers(term, row):
        for literal in term.split("*"):
            name = literal.lstrip("~")
            if row["ABCDEF".index(name)] != (0 if literal.startswith("~") else 1):
                return False
        return True

    for solution in (minimize(tt), minimize(tt, include="?")):
        terms = list(solution)
        assert terms
        assert all(any(covers(t, row) for t in terms) for row in positive)
        assert not any(covers(t, row) for t in terms for row in negative)


def test_qca_errors_and_no_positive_rows():
    lc = _read("LC.csv")
    with pytest.raises(LeadlibDataError, match="no condition column 'GDP'"):
        truth_table(lc, outcome="SURV", conditions=["GDP"])
    with pytest.raises(LeadlibDataError, match="made by leadlib.stats.truth_table"):
        minimize(lc)
    tt = truth_table(lc, outcome="SURV", conditions=CONDITIONS)
    with pytest.raises(LeadlibDataError, match="include='\\?'"):
        minimize(tt, dir_exp="DEV")
    with pytest.raises(LeadlibDataError, match="unknown condition"):
        minimize(tt, include="?", dir_exp="GDP")
    broken = lc.copy()
    broken.loc["AU", "URB"] = np.nan
    with pytest.raises(LeadlibDataError, match="missing") as err:
        truth_table(broken, outcome="SURV", conditions=CONDITIONS)
    assert err.value.row == 2 and err.value.column == "URB"
    never = lc.assign(SURV=0)
    with pytest.warns(UserWarning, match="no truth-table row is positive"):
        assert minimize(truth_table(never, outcome="SURV", conditions=CONDITIONS)).solutions == []


# ---------------------------------------------------------------------------
# Necessity


def test_necessity_matches_r_qca_supersubset_on_lipset_multivalue():
    # R package QCA, superSubset(LM, "SURV"), printed example output
    # (inst/staticdocs/subsetsAndSupersets.html, github cran/QCA
    # @00df4c35111514c060b5854bf4d2551bdf469884); 3 decimals -> tolerance 5e-4.
    printed = {
        "LIT[1]": (1.000, 0.500, 0.615),
        "STB[1]": (1.000, 0.700, 0.727),
        "LIT[1]*STB[1]": (1.000, 0.900, 0.889),
        "DEV[1] + IND[1]": (1.000, 0.800, 0.800),
        "URB[0] + IND[1]": (1.000, 0.000, 0.444),
        "DEV[2] + URB[1] + IND[0]": (1.000, 0.100, 0.471),
    }
    out = necessity(_read("LM.csv"), outcome="SURV", conditions=list(printed))
    assert list(out.index) == list(printed)
    for expression, (incl, ron, cov) in printed.items():
        assert out.loc[expression].tolist() == pytest.approx([incl, ron, cov], abs=5e-4), expression


def test_necessity_fuzzy_by_hand_and_negations():
    # Three cases. X = (0.9, 0.6, 0.2), Y = (0.8, 0.7, 0.1):
    # min(X, Y) = (0.8, 0.6, 0.1): inclN = 1.5 / 1.6, covN = 1.5 / 1.7,
    # RoN = sum(1 - X) / sum(1 - min) = 1.3 / 1.5 (Schneider & Wagemann 2012).
    data = pd.DataFrame({"X": [0.9, 0.6, 0.2], "Y": [0.8, 0.7, 0.1]}, index=["a", "b", "c"])
    out = necessity(data, outcome="Y", conditions="X", negations=True)
    assert out.loc["X"].tolist() == pytest.approx([1.5 / 1.6, 1.3 / 1.5, 1.5 / 1.7])
    # ~X = (0.1, 0.4, 0.8): min with Y = (0.1, 0.4, 0.1) -> inclN 0.6 / 1.6
    assert out.loc["~X", "inclN"] == pytest.approx(0.6 / 1.6)
    # necessity for ~Y: 1 - Y = (0.2, 0.3, 0.9), min with X = (0.2, 0.3, 0.2)
    assert necessity(data, outcome="~Y", conditions="X").loc["X", "inclN"] == pytest.approx(0.7 / 1.4)
    with pytest.raises(LeadlibDataError, match="multi-value"):
        necessity(_read("LM.csv"), outcome="SURV", conditions="DEV")
    with pytest.raises(LeadlibDataError, match="no column 'GDP'"):
        necessity(data, outcome="Y", conditions="GDP")


# ---------------------------------------------------------------------------
# Calibrating several columns, and the sensitivity of a solution to it


LIPSET_ANCHORS = {
    "DEV": 550,
    "URB": 50,
    "LIT": 75,
    "IND": 30,
    "STB": {"thresholds": 10, "increasing": False},
    "SURV": 0,
}


def test_calibrate_sites_reproduces_lipset_crisp_and_multivalue():
    # R QCA ?Lipset: the thresholds that made LC (and DEV of LM) from LR.
    raw, lc, lm = _read("LR_raw.csv"), _read("LC.csv"), _read("LM.csv")
    calibrated = calibrate_sites(raw, anchors=LIPSET_ANCHORS)
    assert (calibrated[list(lc.columns)] == lc.astype(float)).all().all()
    assert list(calibrated.index) == list(raw.index)
    multi = calibrate_sites(raw, anchors={"DEV": {"thresholds": [550, 850]}})
    assert (multi["DEV"] == lm["DEV"]).all()
    anchors = calibrated.attrs["anchors"]
    assert anchors.loc["DEV", "kind"] == "crisp" and anchors.loc["DEV", "thresholds"] == 550


def test_calibrate_sites_quantile_anchors_by_hand():
    # Values 1..6: quantiles by linear interpolation (Hyndman & Fan 1996,
    # definition 7: position 1 + (n - 1) p): p = 0.2 -> 2, 0.5 -> 3.5, 0.8 -> 5.
    raw = pd.DataFrame({"X": [1.0, 2, 3, 4, 5, 6], "Z": [6.0, 5, 4, 3, 2, 1]}, index=list("abcdef"))
    raw.attrs["support"] = pd.DataFrame({"X": [3] * 6, "Z": [4] * 6}, index=raw.index)
    out = calibrate_sites(raw, anchors={"X": (0.2, 0.5, 0.8), "Z": (0.8, 0.5, 0.2)}, by="quantile")
    anchors = out.attrs["anchors"]
    assert anchors.loc["X", ["full_out", "crossover", "full_in"]].tolist() == pytest.approx([2, 3.5, 5])
    # Ragin's direct method puts log odds -3 / +3 at the anchors
    assert out.loc["b", "X"] == pytest.approx(1 / (1 + np.exp(3)))
    assert out.loc["e", "X"] == pytest.approx(1 / (1 + np.exp(-3)))
    # Z runs opposite to X and its set is decreasing (full_out at the 80th
    # percentile): low Z is "in", so every case has the same membership as in X
    assert out["Z"].tolist() == pytest.approx(out["X"].tolist())
    assert out.attrs["anchors"].loc["Z", ["full_out", "full_in"]].tolist() == pytest.approx([5, 2])
    assert out.attrs["support"].equals(raw.attrs["support"])
    mixed = calibrate_sites(raw, anchors={"X": (0.2, 0.5, 0.8), "Z": 3.5}, by={"X": "quantile"})
    assert mixed["Z"].tolist() == [1, 1, 1, 0, 0, 0]  # Z >= 3.5, raw units


def test_calibrate_sites_errors():
    raw = pd.DataFrame({"X": [1.0, 2, 3, 4, 5], "T": [1.0, 1, 1, 1, 2]}, index=list("abcde"))
    with pytest.raises(LeadlibDataError, match="exactly at the crossover") as err:
        calibrate_sites(raw, anchors={"X": (1, 3, 5)})  # c has the crossover's value
    assert err.value.row == 4 and err.value.column == "X"
    with pytest.raises(LeadlibDataError, match="strictly"):
        calibrate_sites(raw, anchors={"T": (0.2, 0.5, 0.9)}, by="quantile")  # ties: 0.2 and 0.5 both give 1
    with pytest.raises(LeadlibDataError, match="outside 0 to 1"):
        calibrate_sites(raw, anchors={"X": (0.2, 0.5, 80)}, by="quantile")
    with pytest.raises(LeadlibDataError, match="no column 'Y'"):
        calibrate_sites(raw, anchors={"Y": 1})
    with pytest.raises(LeadlibDataError, match="cannot read the anchors"):
        calibrate_sites(raw, anchors={"X": (1, 5)})


def test_calibration_sensitivity_on_lipset():
    raw = _read("LR_raw.csv")
    out = calibration_sensitivity(
        raw, anchors=LIPSET_ANCHORS, outcome="SURV", conditions=CONDITIONS, shifts={"DEV": (10, 50)}, incl_cuts=(0.5,)
    )
    base = out.iloc[0]
    # the baseline is the published conservative solution (Rihoux & De Meur 2009 p. 57; R QCA)
    expected = _expected("lipset_crisp_expected.json")["conservative_SURV"]["solution"]
    assert _terms(base["solution"]) == _terms(expected)
    # what both of its terms share: DEV*~URB*LIT*STB and DEV*LIT*IND*STB
    assert set(base["in_every_term"].split("*")) == {"DEV", "LIT", "STB"}
    # 550 -> 560 USD: no country lies in between (IT 517, CZ 586), nothing changes
    moved = out.set_index("setting")
    assert moved.loc["thresholds 550 -> 560", "same_as_baseline"]
    assert moved.loc["thresholds 550 -> 560", "anchor"] == 560
    # 550 -> 600 USD: CZ (586) and FI (590) leave the developed set; the row
    # is what calibrating at 600 and minimizing directly gives
    direct = minimize(
        truth_table(calibrate_sites(raw, anchors={**LIPSET_ANCHORS, "DEV": 600}), outcome="SURV", conditions=CONDITIONS)
    )
    assert not moved.loc["thresholds 550 -> 600", "same_as_baseline"]
    assert _terms(moved.loc["thresholds 550 -> 600", "solution"]) == set(direct.solution)
    # a lower inclusion cut is a variant of its own
    assert moved.loc["incl_cut 0.8 -> 0.5", "varied"] == "incl_cut"
    assert list(out["varied"]) == ["(baseline)", "DEV", "DEV", "incl_cut"]


def test_calibration_sensitivity_skips_a_crossover_past_an_anchor():
    raw = pd.DataFrame({"X": [1.0, 2, 3, 4, 5, 6], "Y": [0.1, 0.2, 0.3, 0.7, 0.8, 0.9]}, index=list("abcdef"))
    out = calibration_sensitivity(raw, anchors={"X": (1.5, 3.5, 5.5)}, outcome="Y", conditions="X", shifts=(-1.0, 2.5))
    assert out.loc[1, "note"] == "" and out.loc[1, "solution"] == "X"
    assert out.loc[2, "note"].startswith("skipped") and not out.loc[2, "same_as_baseline"]


# ---------------------------------------------------------------------------
# Sites as cases: site_conditions on a hand-built study


def _site_study(measures: list[tuple] | None = None):
    """Three sites, eight informants (one interview each), codings by hand.

    =====  ==========================  ======  ==========================================
    site   informant (leader)          words   primary codings
    =====  ==========================  ======  ==========================================
    A      a1 formal meso              1000    BK.x x2, TA.y, SC.c x3 (+ a reliability BK.x)
    A      a2 informal micro           1000    BK.x, RR.z
    A      a3 none                     2000    (none at all)
    B      b1 formal meso              500     TA.y x2, RR.z
    B      b2 formal meso              500     TA.y
    B      b3 formal macro             1000    SC.c
    C      c1 formal micro             1000    BK.x, SC.c x2
    C      c2 none                     1000    RR.z x2
    =====  ==========================  ======  ==========================================
    """
    import leadlib
    from leadlib import schema

    people = [
        ("a1", "A", "formal", "meso", 1000),
        ("a2", "A", "informal", "micro", 1000),
        ("a3", "A", "none", None, 2000),
        ("b1", "B", "formal", "meso", 500),
        ("b2", "B", "formal", "meso", 500),
        ("b3", "B", "formal", "macro", 1000),
        ("c1", "C", "formal", "micro", 1000),
        ("c2", "C", "none", None, 1000),
    ]
    sites = pd.DataFrame(
        {
            "site_id": ["A", "B", "C"],
            "name": ["Site A", "Site B", "Site C"],
            "setting": ["primary_care", "icu_nicu", "hospice"],
        }
    )
    informants = pd.DataFrame(
        [(i, s, "nurse", t, lv) for i, s, t, lv, _ in people],
        columns=["informant_id", "site_id", "role", "leader_type", "leader_level"],
    )
    interviews = pd.DataFrame(
        [(f"{i}-1", i, s, w) for i, s, _, _, w in people],
        columns=["interview_id", "informant_id", "site_id", "n_words"],
    )
    book = pd.DataFrame(
        [
            ("BK", "BK", "building_knowledge", None),
            ("BK.x", "x", "building_knowledge", "BK"),
            ("TA", "TA", "taking_action", None),
            ("TA.y", "y", "taking_action", "TA"),
            ("RR", "RR", "reviewing_reflecting", None),
            ("RR.z", "z", "reviewing_reflecting", "RR"),
            ("SC", "SC", "other", None),
            ("SC.c", "c", "success_characteristic", "SC"),
        ],
        columns=["code_id", "label", "group", "parent"],
    )
    plan = {
        "a1": ["BK.x"] * 2 + ["TA.y"] + ["SC.c"] * 3,
        "a2": ["BK.x", "RR.z"],
        "b1": ["TA.y"] * 2 + ["RR.z"],
        "b2": ["TA.y"],
        "b3": ["SC.c"],
        "c1": ["BK.x"] + ["SC.c"] * 2,
        "c2": ["RR.z"] * 2,
    }
    rows = [
        (f"{who}-{k}", f"{who}-1", code, "P", True, 10 * k, 10 * k + 5, "text")
        for who, codes in plan.items()
        for k, code in enumerate(codes)
    ]
    rows.append(("a1-r", "a1-1", "BK.x", "Q", False, 0, 5, "text"))  # a reliability coding: not counted
    segments = pd.DataFrame(
        rows, columns=["segment_id", "interview_id", "code_id", "coder", "primary", "start", "end", "text"]
    )
    if measures is None:
        measures = [
            ("A", "m_up", 10, True),
            ("B", "m_up", 20, True),
            ("C", "m_up", 30, True),
            ("A", "m_down", 5, False),
            ("B", "m_down", 5, False),
            ("C", "m_down", 8, False),
        ]
    measure_table = pd.DataFrame(measures, columns=["site_id", "measure", "value", "higher_is_better"])
    return leadlib.Study(
        sites=schema.conform("sites", sites),
        informants=schema.conform("informants", informants),
        interviews=schema.conform("interviews", interviews),
        codebook=schema.conform("codebook", book),
        segments=schema.conform("segments", segments),
        measures=schema.conform("measures", measure_table),
    )


def test_site_conditions_by_hand():
    out = site_conditions(_site_study())
    assert list(out.index) == ["A", "B", "C"] and list(out.columns) == ["BK", "TA", "RR", "MESO", "PERF"]
    # per 1,000 words of ALL the site's interviews (A: 4000 words, a3's included)
    assert out.loc["A", ["BK", "TA", "RR"]].tolist() == pytest.approx([0.75, 0.25, 0.25])
    assert out.loc["B", ["BK", "TA", "RR"]].tolist() == pytest.approx([0.0, 1.5, 0.5])
    assert out.loc["C", ["BK", "TA", "RR"]].tolist() == pytest.approx([0.5, 0.0, 1.0])
    assert out["MESO"].tolist() == [1, 2, 0]
    # m_up z = (-1, 0, 1); m_down (lower is better): mean 6, sd sqrt(3), z = -(x - 6) / sqrt(3)
    r3 = np.sqrt(3)
    assert out["PERF"].tolist() == pytest.approx([(-1 + 1 / r3) / 2, (0 + 1 / r3) / 2, (1 - 2 / r3) / 2])
    support = out.attrs["support"]
    assert support.loc["A"].tolist() == [2, 1, 1, 3, 3]  # BK: a1, a2; TA: a1; RR: a2; 3 informants
    assert support.loc["C"].tolist() == [1, 0, 1, 2, 2]
    assert out.attrs["n_measures"].tolist() == [2, 2, 2] and out.attrs["measures"] == ["m_up", "m_down"]
    assert "per 1,000 words" in out.attrs["unit_label"]
    share = site_conditions(_site_study(), unit="share")
    assert "share" in share.attrs["unit_label"]
    assert share.loc["A", ["BK", "TA", "RR"]].tolist() == pytest.approx([0.6, 0.2, 0.2])
    assert share.loc["C", ["BK", "TA", "RR"]].tolist() == pytest.approx([1 / 3, 0, 2 / 3])
    only_b_c = site_conditions(_site_study(), sites=["B", "C"], measures=["m_up"])
    # z-scores over the cases used: m_up 20, 30 -> -1/sqrt(2), +1/sqrt(2)
    assert only_b_c["PERF"].tolist() == pytest.approx([-1 / np.sqrt(2), 1 / np.sqrt(2)])


def test_site_conditions_missing_measure_and_errors():
    measures = [
        ("A", "m_up", 10, True),
        ("B", "m_up", 20, True),
        ("C", "m_up", 30, True),
        ("A", "m_down", 5, False),
        ("B", "m_down", 7, False),
    ]
    out = site_conditions(_site_study(measures))
    # C has no m_down: its score is its m_up z alone
    assert out.loc["C", "PERF"] == pytest.approx(1.0)
    assert out.attrs["n_measures"].tolist() == [2, 2, 1]
    with pytest.raises(LeadlibDataError, match="measure 'm_side' is not in the study") as err:
        site_conditions(_site_study(), measures=["m_up", "m_side"])
    assert err.value.row == 3
    flat = [("A", "m_flat", 1, True), ("B", "m_flat", 1, True), ("C", "m_flat", 1, True)]
    with pytest.raises(LeadlibDataError, match="does not vary"):
        site_conditions(_site_study(flat))
    unmeasured = [("A", "m_up", 10, True), ("B", "m_up", 20, True)]
    with pytest.raises(LeadlibDataError, match="site 'C' has no value for any of the measures"):
        site_conditions(_site_study(unmeasured))
    with pytest.raises(LeadlibDataError, match="site 'D' is not in the study"):
        site_conditions(_site_study(), sites=["A", "D"])
    with pytest.raises(LeadlibDataError, match="unknown unit"):
        site_conditions(_site_study(), unit="segments")
