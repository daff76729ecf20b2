"""Tests of leadlib.stats.qca against R QCA's published output and QCA literature.

Lipset's interwar democracies (crisp, fuzzy, multi-value) with R QCA 3.23's
printed truth tables and solutions (fixtures copied from the project's shared
reference cases; see tests/fixtures/README.md), Ragin's (2008) direct
calibration example, and the Quine-McCluskey worked example with two minimal
solutions.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leadlib import LeadlibDataError
from leadlib.stats import calibrate, minimize, truth_table

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
    "Netherlands": (25200, 0.98), "Australia": (20060, 0.95), "Israel": (17090, 0.92),
    "Spain": (15320, 0.89), "New Zealand": (13680, 0.85), "Cyprus": (11720, 0.79),
    "Greece": (11290, 0.78), "Portugal": (10940, 0.77), "Korea, Rep.": (9800, 0.72),
    "Argentina": (7470, 0.62), "Hungary": (4670, 0.40), "Venezuela": (4100, 0.25),
    "Panama": (3740, 0.18), "Mauritius": (3690, 0.17), "Brazil": (3590, 0.16),
    "Turkey": (2980, 0.08), "Bolivia": (1000, 0.01),
}


# R QCA man/calibrate.Rd, example of the indirect method: Ragin's (2008) 24
# incomes, highest first.
R_QCA_INCOMES = [40110, 34400, 25200, 24920, 20060, 17090, 15320, 13680, 11720, 11290, 10940, 9800, 7470,
                 4670, 4100, 4070, 3740, 3690, 3590, 2980, 1000, 650, 450, 110]


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
    assert list(parsimonious.simplifying_assumptions["M1"].index) == \
        expected["parsimonious_SURV"]["simplifying_assumptions_rows"]
    for key, value in expected["parsimonious_SURV"]["model"].items():
        assert parsimonious.fit.loc[0, key] == pytest.approx(value, abs=5e-4)


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
        frozenset({"B*~C*~D", "A*~B", "A*C"}), frozenset({"B*~C*~D", "A*~D", "A*C"})}
    assert set(solution.terms["model"]) == {"M1", "M2"} and len(solution.fit) == 2
    assert str(solution).splitlines()[0].startswith("M1: ")


def test_six_conditions_twenty_cases_is_quick():
    # Guard against an accidental blow-up: 6 binary conditions, 20 sites.
    rng = np.random.default_rng(0)
    data = pd.DataFrame(rng.random((20, 7)), columns=list("ABCDEFY"),
                        index=[f"S{i:02d}" for i in range(1, 21)])
    data = data.where(data != 0.5, 0.51)
    tt = truth_table(data, outcome="Y", conditions=list("ABCDEF"), incl_cut=0.75)
    start = time.perf_counter()
    minimize(tt)
    minimize(tt, include="?")
    assert time.perf_counter() - start < 5


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
