"""Tests of leadlib.stats.reliability against published worked examples.

Each test names its source (author, year, table/page) and the tolerance,
which is half a unit in the last digit the source prints unless stated.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import leadlib
from leadlib import LeadlibDataError, schema
from leadlib.stats import (
    LeadlibStatsWarning,
    coder_agreement,
    coder_confusion,
    cohen_kappa,
    cohen_kappa_table,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)

FIXTURES = Path(__file__).parent / "fixtures" / "stats"

# SAS/STAT User's Guide, PROC FREQ, Getting Started "Agreement Study"
# (Table 3.2, SkinCondition: two dermatologists, terrible/poor/marginal/clear).
SKIN = [[10, 4, 1, 0], [5, 10, 12, 2], [2, 4, 12, 5], [0, 2, 6, 13]]

# A 3 x 3 table and SAS PROC FREQ's printed kappa statistics for it, as
# recorded in statsmodels' test suite (statsmodels/stats/tests/
# test_inter_rater.py, TestUnweightedCohens / TestWeightedCohens).
TABLE10 = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]


def test_simple_kappa_and_asymptotic_ci_match_sas_skin_condition():
    # SAS PROC FREQ Agreement Study: kappa 0.3449, 95% CI (0.2030, 0.4868);
    # 4 decimals printed -> tolerance 5e-5.
    kappa, low, high = cohen_kappa_table(SKIN, ci=True)
    assert kappa == pytest.approx(0.3449, abs=5e-5)
    assert low == pytest.approx(0.2030, abs=5e-5)
    assert high == pytest.approx(0.4868, abs=5e-5)


def test_simple_and_weighted_kappa_ci_match_sas_printout():
    # SAS printout (statsmodels TestUnweightedCohens): 0.4842, ASE 0.1380,
    # CI 0.2137-0.7547; weighted (Cicchetti-Allison = linear) 0.4701, ASE
    # 0.1457, CI 0.1845-0.7558. Tolerance 5e-5.
    assert cohen_kappa_table(TABLE10, ci=True) == pytest.approx((0.4842, 0.2137, 0.7547), abs=5e-5)
    assert cohen_kappa_table(TABLE10, weights="linear", ci=True) == pytest.approx((0.4701, 0.1845, 0.7558), abs=5e-5)


def test_ci_level_changes_width_as_normal_quantiles_do():
    # The interval is kappa +/- z * ASE: the 99% half-width / 95% half-width
    # equals z(0.995) / z(0.975) (Fleiss, Cohen & Everitt 1969 asymptotics).
    k, l95, h95 = cohen_kappa_table(SKIN, ci=True)
    _, l99, h99 = cohen_kappa_table(SKIN, ci=True, level=0.99)
    assert (h99 - k) / (h95 - k) == pytest.approx(2.5758293 / 1.9599640, rel=1e-6)


def test_ci_is_clipped_to_kappas_range_where_statsmodels_passes_it():
    # 9 + 10 agreements and 1 disagreement of 20: kappa = 0.9 (Cohen 1960, by hand: p_o = 0.95, p_e = 0.5).
    # statsmodels (KappaResults.kappa_upp = kappa + z * ASE, no bound) puts the upper end past 1; kappa cannot
    # exceed 1, so the end is clipped there and the lower end, inside the range, is statsmodels' own.
    from statsmodels.stats.inter_rater import cohens_kappa as sm_kappa

    table = [[9, 1], [0, 10]]
    unbounded = sm_kappa(table)
    assert unbounded.kappa_upp > 1  # the case under test
    kappa, low, high = cohen_kappa_table(table, ci=True)
    assert kappa == pytest.approx(0.9)
    assert high == 1.0 and low == pytest.approx(unbounded.kappa_low)
    # and the lower end at -1: complete disagreement of 4 units, kappa = -1 (p_o = 0, p_e = 0.5)
    assert cohen_kappa_table([[0, 2], [2, 0]], ci=True)[1] >= -1.0


def test_coder_agreement_intervals_stay_within_minus_one_and_one(bundled):
    # The reviewer's rows: codes applied to few of the 49 double-coded interviews had upper ends up to 1.19.
    out = coder_agreement(bundled)
    defined = out.dropna(subset=["kappa"])
    assert (defined["kappa_high"] <= 1).all() and (defined["kappa_low"] >= -1).all()
    assert (defined["kappa_low"] <= defined["kappa"]).all() and (defined["kappa"] <= defined["kappa_high"]).all()
    assert (defined["kappa_high"] == 1.0).any()  # some rows reached the bound (they passed it before)


@pytest.fixture(scope="module")
def anxiety():
    # R package irr, data set `anxiety` (20 subjects, 3 raters, scale 1-6).
    return pd.read_csv(FIXTURES / "irr_anxiety.csv", index_col="subject")


def test_weighted_kappa_over_observed_levels_matches_r_irr(anxiety):
    # R irr::kappa2(anxiety[, 2:3], weight) printed: unweighted -0.006289308,
    # "equal" 0.1459075, "squared" 0.2520325 (values recorded in statsmodels'
    # test_cohens_kappa_irr). Raters 2 and 3 never use level 5 of the 1-6
    # scale; irr spaces the weights over the levels actually used. Tolerance 5e-8.
    a, b = anxiety["rater2"], anxiety["rater3"]
    assert 5 not in set(a) | set(b)
    assert cohen_kappa(a, b) == pytest.approx(-0.006289308, abs=5e-9)
    assert cohen_kappa(a, b, weights="linear") == pytest.approx(0.1459075, abs=5e-8)
    assert cohen_kappa(a, b, weights="quadratic") == pytest.approx(0.2520325, abs=5e-8)


def test_unused_scale_point_in_a_table_does_not_stretch_the_weights(anxiety):
    # Same irr value from a 6 x 6 table whose row and column for level 5 are
    # empty: the unused level is dropped before weighting (irr: 0.1459075).
    a, b = anxiety["rater2"], anxiety["rater3"]
    table = pd.crosstab(a, b).reindex(index=range(1, 7), columns=range(1, 7), fill_value=0)
    assert table.loc[5].sum() == 0 and table[5].sum() == 0
    assert cohen_kappa_table(table, weights="linear") == pytest.approx(0.1459075, abs=5e-8)


def test_weighted_kappa_follows_ordered_categorical_order_not_alphabet(anxiety):
    # Relabel irr's 1-6 scale with words whose alphabetical order differs
    # from the scale; with an ordered Categorical the irr value must stay.
    words = {1: "none", 2: "slight", 3: "mild", 4: "moderate", 5: "marked", 6: "severe"}
    dtype = pd.CategoricalDtype(list(words.values()), ordered=True)
    a = anxiety["rater2"].map(words).astype(dtype)
    b = anxiety["rater3"].map(words).astype(dtype)
    assert cohen_kappa(a, b, weights="linear") == pytest.approx(0.1459075, abs=5e-8)


def test_missing_pairs_are_dropped(anxiety):
    # Adding units with a missing rating must not change irr's value.
    a = list(anxiety["rater2"]) + [None, 3.0]
    b = list(anxiety["rater3"]) + [2.0, np.nan]
    assert cohen_kappa(a, b) == pytest.approx(-0.006289308, abs=5e-9)


def test_fleiss_kappa_psychiatric_diagnoses():
    # Fleiss (1971), Psychological Bulletin 76:378-382: 30 patients, 6
    # psychiatrists, 5 diagnoses; kappa = .430 (tolerance 5e-4). R's
    # irr::kappam.fleiss(diagnoses) prints 0.43 (0.4302445 to 7 digits).
    ratings = pd.read_csv(FIXTURES / "fleiss1971_diagnoses.csv", index_col="patient")
    counts = ratings.apply(lambda row: row.value_counts(), axis=1).fillna(0)
    assert counts.sum(axis=1).eq(6).all()
    assert fleiss_kappa(counts) == pytest.approx(0.430, abs=5e-4)
    assert fleiss_kappa(counts) == pytest.approx(0.4302445, abs=5e-8)


def test_fleiss_kappa_unequal_raters_is_a_data_error():
    with pytest.raises(LeadlibDataError, match="same number of raters") as err:
        fleiss_kappa([[2, 1], [1, 1]])
    assert err.value.row == 3  # second subject, as a spreadsheet numbers it


# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
# Annenberg School for Communication, University of Pennsylvania.
# A: binary data, two observers; C: nominal, two observers; D/E: four
# observers, 12 units, missing data (unit 12 has a single value).
KRIPP_D = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
    [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
]


def test_krippendorff_binary_two_observers():
    # Krippendorff (2011), section A: alpha = 0.095 (tolerance 5e-4).
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha([a, b]) == pytest.approx(0.095, abs=5e-4)


def test_krippendorff_nominal_two_observers_text_labels():
    # Krippendorff (2011), section C: alpha = 0.692 (tolerance 5e-4).
    a = ["a", "a", "b", "b", "d", "c", "c", "c", "e", "d", "d", "a"]
    b = ["b", "a", "b", "b", "b", "c", "c", "c", "e", "d", "d", "d"]
    assert krippendorff_alpha([a, b], level="nominal") == pytest.approx(0.692, abs=5e-4)


@pytest.mark.parametrize(
    "level,expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_krippendorff_missing_data_all_levels(level, expected):
    # Krippendorff (2011), sections D-E: nominal .743, ordinal .815,
    # interval .849, ratio .797 (tolerance 5e-4).
    assert krippendorff_alpha(KRIPP_D, level=level) == pytest.approx(expected, abs=5e-4)


def test_unit_with_one_rating_is_left_out():
    # Unit 12 of Krippendorff's example has one value (observer B's 3): it is
    # not pairable, so alpha with or without it is the same.
    without = [row[:11] for row in KRIPP_D]
    assert krippendorff_alpha(KRIPP_D, level="interval") == pytest.approx(
        krippendorff_alpha(without, level="interval"), abs=1e-12
    )


def test_ordinal_alpha_on_text_labels_uses_given_order():
    # Same data as Krippendorff (2011) D, written as words: ordinal .815
    # requires the order low -> high.
    words = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    data = [[words.get(v) if not np.isnan(v) else None for v in row] for row in KRIPP_D]
    assert krippendorff_alpha(data, level="ordinal", order=list(words.values())) == pytest.approx(0.815, abs=5e-4)
    with pytest.raises(LeadlibDataError, match="order"):
        krippendorff_alpha(data, level="ordinal")


def test_degenerate_inputs_give_nan_with_a_warning():
    with pytest.warns(LeadlibStatsWarning, match="same single category"):
        assert np.isnan(cohen_kappa(["x"] * 5, ["x"] * 5))
    with pytest.warns(LeadlibStatsWarning, match="no unit"):
        assert np.isnan(cohen_kappa([None, 1], [2, None]))
    with pytest.warns(LeadlibStatsWarning, match="same value"):
        assert np.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, np.nan]]))
    with pytest.warns(LeadlibStatsWarning, match="no unit was coded by two"):
        assert np.isnan(krippendorff_alpha([[1, np.nan], [np.nan, 2]]))
    with pytest.warns(LeadlibStatsWarning, match="same category"):
        assert np.isnan(fleiss_kappa([[3, 0], [3, 0]]))
    # one rater constant, the other not: kappa is defined and 0 (no agreement beyond chance)
    assert cohen_kappa([1, 1, 1, 1], [1, 2, 1, 2]) == pytest.approx(0.0)


def test_bad_inputs_raise_leadlib_data_errors():
    with pytest.raises(LeadlibDataError, match="different numbers of units"):
        cohen_kappa([1, 2, 3], [1, 2])
    with pytest.raises(LeadlibDataError, match="square"):
        cohen_kappa_table([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(LeadlibDataError, match="negative") as err:
        cohen_kappa_table([[1, -2], [0, 3]])
    assert err.value.row == 2 and err.value.value == -2
    with pytest.raises(LeadlibDataError, match="cannot be sorted"):
        cohen_kappa([1, "a", 1], ["a", 1, 1], weights="linear")
    with pytest.raises(LeadlibDataError, match="numeric"):
        krippendorff_alpha([["a", "b"], ["a", "a"]], level="interval")


def test_percent_agreement():
    # 3 of 4 pairs agree (Krippendorff 2011 section C data: 9 of 12 agree).
    a = ["a", "a", "b", "b", "d", "c", "c", "c", "e", "d", "d", "a"]
    b = ["b", "a", "b", "b", "b", "c", "c", "c", "e", "d", "d", "d"]
    assert percent_agreement(a, b) == pytest.approx(9 / 12)


# ---------------------------------------------------------------------------
# coder_agreement on a hand-built Study


def _study(segments: list[tuple], codebook: list[tuple] | None = None) -> leadlib.Study:
    seg = pd.DataFrame(segments, columns=["segment_id", "interview_id", "code_id", "coder", "primary", "start", "end"])
    seg["text"] = "x"
    codes = codebook or [
        ("X", "X", "building_knowledge", None),
        ("Y", "Y", "taking_action", None),
        ("Z", "Z", "reviewing_reflecting", None),
    ]
    book = pd.DataFrame(codes, columns=["code_id", "label", "group", "parent"])
    book["definition"] = None
    return leadlib.Study(segments=schema.conform("segments", seg), codebook=schema.conform("codebook", book))


def _interview_study():
    # Four interviews coded by AA (primary) and BB (reliability), one by AA only.
    # Code X per interview: AA 1,1,0,0 ; BB 1,0,0,0. Code Y: AA 1,1,1,1 ; BB 1,1,1,1.
    rows = []
    sid = iter(range(1, 1000))
    for i, (x_aa, x_bb) in enumerate([(1, 1), (1, 0), (0, 0), (0, 0)], start=1):
        interview = f"I{i}"
        for coder, primary, has_x in (("AA", True, x_aa), ("BB", False, x_bb)):
            rows.append((f"SG{next(sid)}", interview, "Y", coder, primary, 0, 5))
            if has_x:
                rows.append((f"SG{next(sid)}", interview, "X", coder, primary, 10, 20))
    rows.append((f"SG{next(sid)}", "I5", "X", "AA", True, 0, 5))  # single-coded: not a unit
    return _study(rows)


def test_coder_agreement_per_interview_matches_hand_calculation():
    out = coder_agreement(_interview_study(), unit="interview").set_index("code_id")
    x = out.loc["X"]
    assert (x.n_units, x.n_first, x.n_second, x.n_both) == (4, 2, 1, 1)
    assert x.percent_agreement == pytest.approx(0.75)
    # Cohen (1960) by hand: p_o = 3/4, p_e = (2/4)(1/4) + (2/4)(3/4) = 1/2 -> 0.5
    assert x.kappa == pytest.approx(0.5)
    # Krippendorff (2011) coincidences by hand: o11 = 2, o10 = o01 = 1, o00 = 4;
    # n = 8, n0 = 5, n1 = 3: alpha = 1 - (2/8) / (2*5*3/(8*7)) = 1 - 7/15
    assert x.alpha == pytest.approx(8 / 15)
    y = out.loc["Y"]
    assert np.isnan(y.kappa) and "every unit" in y.note
    # Z is in the codebook but nobody applied it anywhere: left out, listed
    assert "Z" not in out.index and out.attrs["unused"] == ["Z"]
    overall = out.loc["(all)"]
    assert overall.n_units == 8  # 2 codes x 4 interviews
    assert out.attrs["unit"] == "interview" and len(out.attrs["pairs"]) == 4


def test_coder_agreement_unused_codes_only_on_request():
    # A code nobody applied adds only "both absent" units: kept on request,
    # it shows as undefined and inflates the pooled agreement.
    everything = coder_agreement(_interview_study(), unit="interview", include_unused=True).set_index("code_id")
    z = everything.loc["Z"]
    assert z.n_units == 4 and np.isnan(z.kappa) and "neither coder" in z.note
    assert everything.loc["(all)", "n_units"] == 12  # 3 codes x 4 interviews
    used_only = coder_agreement(_interview_study(), unit="interview").set_index("code_id")
    # pooled by hand: X agrees on 3 of 4, Y on 4 of 4 -> 7/8; with Z's 4 trivial agreements 11/12
    assert used_only.loc["(all)", "percent_agreement"] == pytest.approx(7 / 8)
    assert everything.loc["(all)", "percent_agreement"] == pytest.approx(11 / 12)


def test_coder_agreement_kappa_interval_is_that_of_the_code_table():
    # The interval columns are the asymptotic 95% interval of the code's
    # 2 x 2 presence table (first coder x second coder), whose computation is
    # checked against SAS above. X: both 1, first only 1, second only 0, neither 2.
    x = coder_agreement(_interview_study(), unit="interview").set_index("code_id").loc["X"]
    both, first_only = x.n_both, x.n_first - x.n_both
    second_only = x.n_second - x.n_both
    neither = x.n_units - both - first_only - second_only
    assert (both, first_only, second_only, neither) == (1, 1, 0, 2)
    expected = cohen_kappa_table([[both, first_only], [second_only, neither]], ci=True)
    assert (x.kappa, x.kappa_low, x.kappa_high) == pytest.approx(expected)
    assert x.kappa_low < x.kappa < x.kappa_high


def test_coder_agreement_per_segment_merges_overlapping_spans():
    # One interview. AA: X [0,10), Y [20,30). BB: X [5,12), Y [40,50).
    # Units (merged spans): [0,12), [20,30), [40,50).
    rows = [
        ("SG1", "I1", "X", "AA", True, 0, 10),
        ("SG2", "I1", "Y", "AA", True, 20, 30),
        ("SG3", "I1", "X", "BB", False, 5, 12),
        ("SG4", "I1", "Y", "BB", False, 40, 50),
    ]
    out = coder_agreement(_study(rows), unit="segment").set_index("code_id")
    x, y = out.loc["X"], out.loc["Y"]
    assert x.n_units == 3 and (x.n_first, x.n_second, x.n_both) == (1, 1, 1)
    assert x.kappa == pytest.approx(1.0)
    # Y: AA 0,1,0 ; BB 0,0,1 -> p_o = 1/3, p_e = (2/3)^2 + (1/3)^2 = 5/9,
    # kappa = (1/3 - 5/9) / (1 - 5/9) = -1/2 (Cohen 1960, by hand)
    assert y.kappa == pytest.approx(-0.5)
    assert y.percent_agreement == pytest.approx(1 / 3)


def test_coder_agreement_third_coder_and_chosen_pair():
    rows = [
        ("SG1", "I1", "X", "AA", True, 0, 10),
        ("SG2", "I1", "X", "BB", False, 0, 10),
        ("SG3", "I1", "X", "CC", False, 0, 10),
        ("SG4", "I2", "X", "AA", True, 0, 10),
        ("SG5", "I2", "Y", "CC", False, 0, 10),
    ]
    study = _study(rows)
    out = coder_agreement(study)
    pairs = out.attrs["pairs"].set_index("interview_id")
    assert pairs.loc["I1", ["first", "second", "left_out"]].tolist() == ["AA", "BB", "CC"]
    assert pairs.loc["I2", ["first", "second"]].tolist() == ["AA", "CC"]
    chosen = coder_agreement(study, coders=("AA", "CC")).set_index("code_id")
    # AA vs CC: I1 both X; I2 AA X, CC Y.
    assert chosen.loc["X", ["n_units", "n_first", "n_second"]].tolist() == [2, 2, 1]


def test_coder_agreement_by_process_pools_codes():
    rows = [("SG1", "I1", "X1", "AA", True, 0, 10), ("SG2", "I1", "X2", "BB", False, 0, 10)]
    book = [("X", "X", "building_knowledge", None), ("X1", "X1", "other", "X"), ("X2", "X2", "other", "X")]
    by_code = coder_agreement(_study(rows, book)).set_index("code_id")
    assert by_code.loc["X1", "n_second"] == 0  # different sub-codes: disagree per code
    by_process = coder_agreement(_study(rows, book), by="process").set_index("process")
    bk = by_process.loc["building_knowledge"]
    assert (bk.n_first, bk.n_second, bk.n_both) == (1, 1, 1)  # same process: agree


def test_coder_agreement_errors():
    single = _study([("SG1", "I1", "X", "AA", True, 0, 5)])
    with pytest.raises(LeadlibDataError, match="no interview was coded by two coders"):
        coder_agreement(single)
    with pytest.raises(LeadlibDataError, match="unknown unit"):
        coder_agreement(single, unit="paragraph")
    with pytest.raises(LeadlibDataError, match="group codes by"):
        coder_agreement(_interview_study(), by="colour")


# ---------------------------------------------------------------------------
# coder_confusion: which code each coder gave the same span


def _confusion_study():
    # One interview; AA primary, BB reliability. P1, P2 belong to building
    # knowledge, S is a success characteristic on every unit.
    #   [0,10)    AA P1        | BB P1 (shorter span)   -> (P1, P1)
    #   [20,30)   AA P2        | BB P1                  -> (P2, P1)
    #   [40,50)   AA -         | BB P2                  -> (none, P2)
    #   [60,70)   AA -         | BB -                   -> (none, none)
    #   [80,100)  AA P1 5 ch + P2 15 ch | BB P2         -> (P2, P2), AA has two codes
    #   [110,120) AA P1 5 ch + P2 5 ch  | BB -          -> (P1, none), a tie: P1 comes first
    rows = [
        ("AA", "P1", 0, 10),
        ("BB", "P1", 0, 8),
        ("AA", "P2", 20, 30),
        ("BB", "P1", 20, 30),
        ("BB", "P2", 40, 50),
        ("AA", "P1", 80, 85),
        ("AA", "P2", 85, 100),
        ("BB", "P2", 80, 100),
        ("AA", "P1", 110, 115),
        ("AA", "P2", 115, 120),
    ]
    for start, end in ((0, 10), (20, 30), (40, 50), (60, 70), (80, 100), (110, 120)):
        rows += [("AA", "S", start, end), ("BB", "S", start, end)]
    segments = [
        (f"SG{i}", "I1", code, coder, coder == "AA", start, end)
        for i, (coder, code, start, end) in enumerate(rows, start=1)
    ]
    book = [
        ("BK", "BK", "building_knowledge", None),
        ("P1", "P1", "other", "BK"),
        ("P2", "P2", "other", "BK"),
        ("S", "S", "success_characteristic", None),
    ]
    return _study(segments, book)


def test_coder_confusion_counts_units_by_hand():
    table = coder_confusion(_confusion_study(), process="building_knowledge")
    # BK itself was never applied, so the competing codes are P1 and P2
    assert list(table.index) == ["P1", "P2", "(none)"] and list(table.columns) == ["P1", "P2", "(none)"]
    assert table.to_numpy().tolist() == [[1, 0, 1], [1, 1, 0], [0, 1, 1]]
    assert table.to_numpy().sum() == 6  # the six merged spans
    assert table.attrs["n_multiple"] == 2 and table.attrs["unit"] == "segment"
    # kappa of the whole decision, Cohen (1960) by hand: p_o = 3/6, every
    # margin 2/6 -> p_e = 1/3, kappa = (1/2 - 1/3) / (2/3) = 1/4
    assert cohen_kappa_table(table) == pytest.approx(0.25)
    same = coder_confusion(_confusion_study(), codes=["P1", "P2"])
    assert same.equals(table)
    assert coder_confusion(_confusion_study(), process=["building_knowledge"]).equals(table)
    units = table.attrs["units"]
    assert (
        pd.crosstab(units["first"], units["second"])
        .reindex(index=table.index, columns=table.columns, fill_value=0)
        .equals(table.rename_axis(index="first", columns="second"))
    )
    assert units.loc[units["start"] == 80, ["end", "first", "second"]].values.tolist() == [[100, "P2", "P2"]]
    assert units["text"].isna().all()  # the study has no transcripts


def test_coder_confusion_units_carry_their_transcript_text():
    study = _confusion_study()
    study.transcripts = schema.conform(
        "transcripts", pd.DataFrame({"interview_id": ["I1"], "text": ["".join(chr(65 + i % 26) for i in range(130))]})
    )
    units = coder_confusion(study, process="building_knowledge").attrs["units"].set_index("start")
    assert units.loc[20, "text"] == "UVWXYZABCD"  # characters 20-29 of the transcript
    assert units.loc[110, "text"] == "GHIJKLMNOP"


def test_coder_confusion_margins_match_coder_agreement(small_study):
    # Where no coder gives one span two of the codes, the confusion table's
    # row sums, column sums and diagonal are coder_agreement's per-code
    # n_first, n_second and n_both over the same units.
    per_code = coder_agreement(small_study, unit="segment").set_index("code_id")
    for process in ("building_knowledge", "taking_action", "reviewing_reflecting"):
        table = coder_confusion(small_study, process=process)
        assert table.attrs["n_multiple"] == 0
        codes = table.attrs["codes"]
        assert codes and set(codes) <= set(per_code.index)
        assert int(table.to_numpy().sum()) == int(per_code.loc[codes[0], "n_units"])
        for code in codes:
            assert table.loc[code].sum() == per_code.loc[code, "n_first"]
            assert table[code].sum() == per_code.loc[code, "n_second"]
            assert table.loc[code, code] == per_code.loc[code, "n_both"]


def test_coder_confusion_errors():
    study = _confusion_study()
    with pytest.raises(LeadlibDataError, match="never applied") as err:
        coder_confusion(study, codes=["P1", "BK"])
    assert err.value.column == "codes" and err.value.row == 3 and err.value.value == "BK"
    with pytest.raises(LeadlibDataError, match="no code belongs to process"):
        coder_confusion(study, process="taking_action")
    with pytest.raises(LeadlibDataError, match="not both"):
        coder_confusion(study, codes=["P1"], process="building_knowledge")
    with pytest.raises(LeadlibDataError, match="also a code"):
        coder_confusion(study, codes=["P1", "P2"], none_label="P2")
