"""leadlib.assist: suggestions learnt from the human coding, kept apart from it, measured like a second coder."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leadlib import assist, compare, schema
from leadlib.cli import main
from leadlib.errors import LeadlibDataError
from leadlib.io import read_refi, write_refi
from leadlib.simulate import simulate_study, write_study
from leadlib.stats import cohen_kappa
from leadlib.study import Study


@pytest.fixture(scope="module")
def tiny():
    """Four small sites: enough units for most codes, fast to fit."""
    return simulate_study(n_sites=4, seed=7, informants=(5, 6))


@pytest.fixture(scope="module")
def fitted(tiny):
    return assist.fit(tiny, seed=0)


@pytest.fixture(scope="module")
def predictions(tiny):
    return assist.out_of_fold(tiny, folds=4, seed=0)


def hand_study(text: str, segments: list[tuple[str, int, int, str]]) -> Study:
    """One site, one interview with ``text``, ``segments`` as (code, start, end, coder), the first coder primary."""
    study = simulate_study(n_sites=1, seed=1, informants=(1, 1))
    iid = str(study.interviews["interview_id"].iat[0])
    study.transcripts = schema.conform("transcripts", pd.DataFrame({"interview_id": [iid], "text": [text]}))
    first = segments[0][3] if segments else None
    study.segments = schema.conform(
        "segments",
        pd.DataFrame(
            {
                "segment_id": [f"seg{i}" for i in range(len(segments))],
                "interview_id": iid,
                "code_id": [s[0] for s in segments],
                "coder": [s[3] for s in segments],
                "primary": [s[3] == first for s in segments],
                "start": [s[1] for s in segments],
                "end": [s[2] for s in segments],
                "text": [text[s[1] : s[2]] for s in segments],
            }
        ),
    )
    return study


# ---------------------------------------------------------------------------
# Units and labels


def test_units_are_paragraphs_or_sentences_without_speaker_labels_at_offsets_into_the_transcript():
    text = "Q: How do you start?\n\nA: We meet at seven. Then we look at the board! Is it full? Yes.\nA closing line"
    study = hand_study(text, [])
    paragraphs = assist.units(study)
    assert list(paragraphs.columns) == assist.UNIT_COLUMNS
    assert list(paragraphs["text"]) == [
        "How do you start?",
        "We meet at seven. Then we look at the board! Is it full? Yes.",
        "A closing line",
    ]
    sentences = assist.units(study, unit="sentence")
    assert list(sentences["text"]) == [
        "How do you start?",
        "We meet at seven.",
        "Then we look at the board!",
        "Is it full?",
        "Yes.",
        "A closing line",
    ]
    for got in (paragraphs, sentences):
        for s, e, t in zip(got["start"], got["end"], got["text"]):
            assert text[s:e] == t
    with pytest.raises(ValueError, match="unit must be one of"):
        assist.units(study, unit="word")


def test_a_unit_carries_a_code_when_a_segment_covers_half_of_it_or_half_of_the_segment_lies_in_it():
    text = "A: " + "A" * 9 + ". " + "B" * 9 + ". " + "C" * 9 + ". " + "D" * 9 + "."
    study = hand_study(text, [])
    u = assist.units(study, unit="sentence")
    assert list(u["end"] - u["start"]) == [10, 10, 10, 10]
    s0, s1, s2, s3 = (int(x) for x in u["start"])
    segs = pd.DataFrame(
        {
            "interview_id": u["interview_id"].iat[0],
            # X: the whole first unit. Y: the second half of the second. Z: a phrase of four characters inside the
            # third (all of the segment lies in it). W: from two characters before the end of the third unit to the
            # end of the fourth: 2 of the third's 10 characters and 2 of the segment's 12 (no), all of the fourth (yes).
            "start": [s0, s1 + 5, s2 + 3, s2 + 8],
            "end": [s0 + 10, s1 + 10, s2 + 7, s3 + 10],
            "code_id": ["X", "Y", "Z", "W"],
        }
    )
    labels = assist._labels(u, segs, ["X", "Y", "Z", "W"])
    assert labels.tolist() == [
        [True, False, False, False],
        [False, True, False, False],
        [False, False, True, False],
        [False, False, False, True],
    ]


def test_an_answer_paragraph_carries_each_of_its_passages_codes_and_a_probe_answer_none():
    # The interview format: an answer opens and closes with uncoded sentences around two coded passages, each under
    # half of the paragraph; a probe's short answer is uncoded. A rule of "covers half the unit" would lose both codes.
    lead, tail = "It depends on the day, honestly, and on who is in.", "That is how it is here, most weeks anyway."
    first, second = "We huddle every morning at eight. " * 3, "I hired two nurses. " * 3
    answer = f"{lead} {first}{second}{tail}"
    text = f"Q: Tell me about the team.\n\nA: {answer}\n\nQ: Who runs it?\n\nA: Anyone. It's open."
    a = text.index(first)
    b = text.index(second)
    segs = [("SC.interdependence", a, a + len(first) - 1, "PC"), ("TA.hiring", b, b + len(second) - 1, "PC")]
    study = hand_study(text, segs)
    u = assist.units(study)
    assert list(u["text"]) == ["Tell me about the team.", answer, "Who runs it?", "Anyone. It's open."]
    assert all(len(passage) < len(answer) / 2 for passage in (first, second))
    labels = assist._labels(u, study.segments, ["SC.interdependence", "TA.hiring"])
    assert labels.tolist() == [[False, False], [True, True], [False, False], [False, False]]


def test_every_passage_of_the_simulated_interviews_labels_the_answer_paragraph_it_sits_in(tiny):
    u = assist.units(tiny)
    seg = tiny.segments[tiny.segments["primary"]].reset_index(drop=True)
    labels = assist._labels(u, seg, sorted(set(seg["code_id"])))
    position = {c: j for j, c in enumerate(sorted(set(seg["code_id"])))}
    by_interview = {i: part for i, part in u.groupby("interview_id")}
    for r in seg.itertuples():
        part = by_interview[r.interview_id]
        holding = part[(part["start"] <= r.start) & (part["end"] >= r.end)]
        assert len(holding) == 1  # a coded passage never crosses a paragraph
        assert labels[holding.index[0], position[r.code_id]]


# ---------------------------------------------------------------------------
# fit and suggest: the contract


def test_suggestions_follow_the_contract(tiny, fitted):
    sug = fitted.suggest(tiny)
    assert list(sug.columns) == ["interview_id", "start", "end", "code_id", "score"]
    assert len(sug) > 0
    assert sug["start"].dtype == "int64" and sug["end"].dtype == "int64"
    assert sug["score"].dtype == "float64"
    assert sug["score"].between(0, 1).all()
    assert set(sug["code_id"]) <= set(fitted.codes) <= set(tiny.codebook["code_id"])
    assert sug.attrs["coder"] == assist.ASSIST_CODER
    texts = dict(zip(tiny.transcripts["interview_id"], tiny.transcripts["text"]))
    assert all(0 <= s < e <= len(texts[i]) for i, s, e in zip(sug["interview_id"], sug["start"], sug["end"]))
    # one row per code per unit, each at least its code's threshold
    assert not sug.duplicated(["interview_id", "start", "code_id"]).any()
    cut = fitted.thresholds.set_index("code_id")["threshold"]
    assert (sug["score"] >= sug["code_id"].map(cut).round(6) - 1e-6).all()


def test_suggestions_recover_most_of_the_human_coding_they_were_learnt_from(tiny, fitted):
    # On its own training units the model must mostly agree with the coder; a model that ignored the
    # text (or misaligned offsets) would not.
    sug = fitted.suggest(tiny)
    u = assist.units(tiny)
    human = assist._labels(u, tiny.segments[tiny.segments["primary"]], fitted.codes)
    keyed = {(i, s, c) for i, s, c in zip(sug["interview_id"], sug["start"], sug["code_id"])}
    pred = np.array([[(i, s, c) in keyed for c in fitted.codes] for i, s in zip(u["interview_id"], u["start"])])
    assert cohen_kappa(human.ravel(), pred.ravel()) > 0.7


def test_the_same_study_and_seed_give_byte_identical_suggestions(tiny, fitted):
    again = assist.fit(tiny, seed=0)
    assert fitted.suggest(tiny).to_csv(index=False) == again.suggest(tiny).to_csv(index=False)
    assert fitted.thresholds.to_csv(index=False) == again.thresholds.to_csv(index=False)


def test_sentences_can_be_the_units_instead(tiny, fitted):
    model = assist.fit(tiny, seed=0, unit="sentence")
    assert model.unit == "sentence" and fitted.unit == "paragraph"
    assert model.n_units > fitted.n_units  # an answer holds several sentences
    sug = model.suggest(tiny)
    sentences = assist.units(tiny, unit="sentence")
    keys = set(zip(sentences["interview_id"], sentences["start"], sentences["end"]))
    assert set(zip(sug["interview_id"], sug["start"], sug["end"])) <= keys
    assert sug.to_csv(index=False) == assist.fit(tiny, seed=0, unit="sentence").suggest(tiny).to_csv(index=False)
    with pytest.raises(ValueError, match="unit must be one of"):
        assist.fit(tiny, unit="page")


def test_threshold_zero_suggests_every_code_for_every_unit_and_a_bad_threshold_is_refused(tiny, fitted):
    every = fitted.suggest(tiny, threshold=0.0)
    assert len(every) == len(assist.units(tiny)) * len(fitted.codes)
    one = fitted.codes[0]
    only = fitted.suggest(tiny, threshold={c: 1.0 for c in fitted.codes if c != one} | {one: 0.0})
    assert set(only["code_id"]) <= {one} | set(fitted.suggest(tiny, threshold=1.0)["code_id"])
    with pytest.raises(LeadlibDataError, match="outside"):
        fitted.suggest(tiny, threshold=1.5)


def test_scores_behave_like_probabilities_out_of_fold(predictions):
    # calibrated: among units scored about p, about p carry the code (pooled over codes, wide bins)
    seen = predictions.dropna(subset=["score"])
    bins = pd.cut(seen["score"], [0, 0.2, 0.8, 1.0], include_lowest=True)
    table = seen.groupby(bins, observed=True).agg(mean_score=("score", "mean"), rate=("human", "mean"))
    assert (abs(table["mean_score"] - table["rate"]) < 0.15).all()


def test_platt_scaling_matches_scikit_learns_sigmoid_calibration():
    # Platt (1999) with smoothed targets; scikit-learn's sigmoid calibration fits P = 1 / (1 + exp(a f + b)).
    calibration = pytest.importorskip("sklearn.calibration")
    sigmoid = getattr(calibration, "_SigmoidCalibration", None)
    if sigmoid is None:
        pytest.skip("scikit-learn no longer has _SigmoidCalibration")
    rng = np.random.default_rng(0)
    f = rng.normal(size=3000)
    y = (rng.random(3000) < 1 / (1 + np.exp(-(1.5 * f - 0.5)))).astype(int)
    ref = sigmoid().fit(f, y)
    a, b = assist._platt(f, y)
    assert a == pytest.approx(-ref.a_, abs=1e-6) and b == pytest.approx(-ref.b_, abs=1e-6)
    assert a == pytest.approx(1.5, abs=0.2) and b == pytest.approx(-0.5, abs=0.2)


# ---------------------------------------------------------------------------
# What cannot be learnt


def test_codes_with_too_few_examples_are_left_out_with_a_note(tiny):
    study = tiny.copy()
    seg = study.segments
    rare = seg[seg["primary"] & (seg["code_id"] == "RR.success")]
    drop = rare.index[1:]  # keep one coding: a few sentences
    study.segments = seg.drop(index=drop).reset_index(drop=True)
    model = assist.fit(study, seed=0)
    assert "RR.success" not in model.codes
    row = model.left_out.set_index("code_id").loc["RR.success"]
    assert 0 < row["n_positive"] < assist.MIN_POSITIVE
    assert "too few positive units" in row["reason"]
    assert "RR.success" not in set(model.suggest(study, threshold=0.0)["code_id"])
    # codes nobody applied (the parents) are listed too, never suggested
    assert model.left_out.set_index("code_id").loc["LP", "reason"] == "never applied in the coded units"


def test_a_study_with_no_coding_is_a_clear_error(tiny):
    study = tiny.copy()
    study.segments = schema.empty("segments")
    with pytest.raises(LeadlibDataError, match="no primary coding to learn from"):
        assist.fit(study)
    with pytest.raises(LeadlibDataError, match="no coder 'ZZ'"):
        assist.fit(tiny, coder="ZZ")


def test_a_named_coder_is_learnt_from_their_segments_only(tiny):
    second = str(tiny.segments.loc[~tiny.segments["primary"], "coder"].iat[0])
    model = assist.fit(tiny, coder=second, min_positive=3)
    assert model.coder == f"coder {second}"
    assert model.n_interviews == tiny.segments.loc[tiny.segments["coder"] == second, "interview_id"].nunique()


# ---------------------------------------------------------------------------
# Evaluation


def test_folds_are_whole_sites_never_shared_between_training_and_test(tiny, predictions):
    site = dict(zip(tiny.interviews["interview_id"], tiny.interviews["site_id"]))
    assert (predictions["group"] == predictions["interview_id"].map(site)).all()
    assert predictions.groupby("group")["fold"].nunique().eq(1).all()  # each site is tested in one fold only,
    # so it is in no training part of that fold
    assert predictions["fold"].nunique() == 4
    by_interview = assist.out_of_fold(tiny, by="interview", folds=3, seed=0)
    assert by_interview.groupby("group")["fold"].nunique().eq(1).all()
    assert by_interview.groupby("interview_id")["fold"].nunique().eq(1).all()
    assert by_interview.groupby(by_interview["interview_id"].map(site))["fold"].nunique().max() > 1


def test_evaluate_reports_agreement_per_code_as_for_a_second_coder(tiny, predictions):
    table = assist.evaluate(tiny, folds=4, seed=0, predictions=predictions)
    assert {"code_id", "support", "precision", "recall", "f1", "kappa", "human_kappa"} <= set(table.columns)
    assert table["code_id"].is_unique and (table["support"] > 0).all()
    for column in ("precision", "recall", "f1"):
        assert table[column].dropna().between(0, 1).all()
    # kappa is leadlib's Cohen's kappa of the out-of-fold suggestions against the human, per code
    code = str(table.loc[table["note"] == "", "code_id"].iat[0])
    part = predictions[predictions["code_id"] == code]
    expected = cohen_kappa(part["human"].tolist(), part["suggested"].tolist())
    assert table.set_index("code_id").loc[code, "kappa"] == pytest.approx(float(expected))
    # the simulated second coder agrees with the first most of the time
    assert table["human_kappa"].notna().sum() >= len(table) // 2
    assert table["human_kappa"].median() > 0.5
    assert table.attrs["by"] == "site"


def test_human_kappa_is_the_two_coders_kappa_on_the_same_units():
    text = "A: " + " ".join(f"Sentence number {w} is here." for w in "abcdefgh")
    study = hand_study(text, [])
    u = assist.units(study, unit="sentence")
    # primary coder PC: units 0-3 as X; second coder SC: units 0-1 and 4 as X -> 2 agree X, 3 agree not, 3 differ
    segs = [("TA.hiring", int(u["start"][i]), int(u["end"][i]), "PC") for i in range(4)]
    segs += [("TA.hiring", int(u["start"][i]), int(u["end"][i]), "SC") for i in (0, 1, 4)]
    study = hand_study(text, segs)
    second = assist._second_coding(study, None, {str(u["interview_id"].iat[0])})
    assert set(second["coder"]) == {"SC"}
    a = assist._labels(u, study.segments[study.segments["primary"]], ["TA.hiring"])[:, 0]
    b = assist._labels(u, second, ["TA.hiring"])[:, 0]
    # 8 units: 2 both, 2 PC only, 1 SC only, 3 neither: po = 5/8, pe = (4*3 + 4*5)/64 = 0.5, kappa = 0.25
    assert assist._kappa(a, b) == pytest.approx(0.25)


# ---------------------------------------------------------------------------
# Active learning


def test_next_to_code_ranks_uncoded_passages_by_uncertainty(tiny):
    study = tiny.copy()
    site = dict(zip(study.interviews["interview_id"], study.interviews["site_id"]))
    held = study.segments["interview_id"].map(site) == "S04"
    study.segments = study.segments[~held].reset_index(drop=True)
    model = assist.fit(study, seed=0)
    nxt = assist.next_to_code(model, study, n=15)
    assert list(nxt.columns[:5]) == ["interview_id", "start", "end", "text", "uncertainty"]
    assert len(nxt) == 15
    assert nxt["uncertainty"].between(0, 1).all() and nxt["uncertainty"].is_monotonic_decreasing
    assert nxt["text"].is_unique  # a recurring sentence is proposed once
    texts = dict(zip(study.transcripts["interview_id"], study.transcripts["text"]))
    assert all(texts[i][s:e] == t for i, s, e, t in zip(nxt["interview_id"], nxt["start"], nxt["end"], nxt["text"]))
    # none of them is covered by the coder's segments
    covered = assist._labels(nxt, study.segments[study.segments["primary"]], sorted(set(study.segments["code_id"])))
    assert not covered.any()
    # the most uncertain passage scores nearer its code's threshold than the median unit does
    scores = model.scores(study)
    cut = model.thresholds.set_index("code_id")["threshold"]
    top = nxt.iloc[0]
    assert abs(top["score"] - cut[top["code_id"]]) <= (scores[top["code_id"]] - cut[top["code_id"]]).abs().median()
    # restricted to the interviews nobody has coded: only site S04's
    fresh = assist.next_to_code(model, study, n=15, uncoded_interviews_only=True)
    assert len(fresh) == 15 and not fresh["interview_coded"].any()
    assert set(fresh["interview_id"].map(site)) == {"S04"}


# ---------------------------------------------------------------------------
# Kept apart, exported, reviewed


def test_suggestions_are_never_counted_unless_accepted(tiny, fitted):
    before = tiny.frame()
    matrix = compare.site_matrix(before, unit="segments")
    sug = fitted.suggest(tiny)
    exported = assist.to_study(tiny, sug)
    pd.testing.assert_frame_equal(tiny.frame(), before)
    pd.testing.assert_frame_equal(compare.site_matrix(tiny.frame(), unit="segments"), matrix)
    assert assist.ASSIST_CODER not in set(tiny.segments["coder"])
    # the export's suggestions are not primary: its default frame counts none of them
    assert len(exported.frame()) == 0
    assert len(exported.frame(coder=assist.ASSIST_CODER)) == len(sug)


def test_suggestions_round_trip_through_refi_qda_and_accepted_ones_become_a_coders_segments(tiny, fitted, tmp_path):
    sug = fitted.suggest(tiny)
    sug = sug[sug["interview_id"].isin(sorted(set(sug["interview_id"]))[:3])]
    path = write_refi(assist.to_study(tiny, sug), tmp_path / "suggestions.qdpx")
    back = read_refi(path)
    got = back.segments
    assert set(got["coder"]) == {assist.ASSIST_CODER}
    assert not got["primary"].any()
    key = ["interview_id", "start", "end", "code_id"]
    assert sorted(map(tuple, got[key].astype(str).to_numpy())) == sorted(map(tuple, sug[key].astype(str).to_numpy()))
    # a reviewer deletes every other suggestion; the rest are accepted as coder RV's segments
    reviewed = back.copy()
    reviewed.segments = got.iloc[::2].reset_index(drop=True)
    merged = assist.accept(tiny, reviewed, coder="RV")
    mine = merged.segments[merged.segments["coder"] == "RV"]
    assert len(mine) == len(reviewed.segments)
    assert not mine["primary"].any()  # those interviews already had a primary coding
    assert len(merged.frame()) == len(tiny.frame())
    assert len(tiny.segments[tiny.segments["coder"] == "RV"]) == 0  # the original is unchanged


def test_the_suggest_verb_writes_a_project_of_suggestions(tiny, tmp_path):
    folder = write_study(tiny, tmp_path / "study", mess=False)
    out = tmp_path / "out" / "suggestions.qdpx"
    assert main(["suggest", "--study", str(folder), "--out", str(out), "--seed", "0"]) == 0
    back = read_refi(out)
    assert set(back.segments["coder"]) == {assist.ASSIST_CODER}
    assert len(back.segments) > 0
    assert main(["suggest", "--study", str(folder), "--out", str(out), "--coder", "nobody"]) == 1


def test_one_coded_interview_gives_uncalibrated_scores_said_so(tiny):
    # no second interview to make folds with: the logistic's own probabilities, threshold 0.5, and the table says so
    study = tiny.copy()
    first = str(study.segments["interview_id"].iat[0])
    study.segments = study.segments[study.segments["interview_id"] == first].reset_index(drop=True)
    model = assist.fit(study, min_positive=2)
    assert model.n_interviews == 1 and len(model.codes) > 0
    assert set(model.thresholds["calibration"]) == {"own"}
    assert (model.thresholds["threshold"] == 0.5).all()
    with pytest.raises(LeadlibDataError, match="only 1 value"):
        assist.out_of_fold(study, min_positive=2)


def test_folds_by_an_unknown_column_are_refused(tiny):
    with pytest.raises(LeadlibDataError, match="cannot group folds by 'ward'"):
        assist.out_of_fold(tiny, by="ward")


def test_uncertainty_is_measured_in_log_odds():
    from leadlib.assist import _uncertainty

    t = np.array([0.036, 0.5])
    # on the threshold: 1; a low threshold does not make a much lower score look uncertain
    assert _uncertainty(np.array([0.036, 0.5]), t) == pytest.approx([1.0, 1.0])
    low = _uncertainty(np.array([0.001, 0.5]), t)[0]
    assert low < 0.25  # logit(0.001) - logit(0.036) = -3.6: far, though only 0.035 apart in probability
    # equal steps in log-odds on either side of a threshold are equally uncertain
    up = _uncertainty(np.array([0.5, 1 / (1 + np.exp(-1))]), t)[1]
    down = _uncertainty(np.array([0.5, 1 / (1 + np.exp(1))]), t)[1]
    assert up == pytest.approx(down) == pytest.approx(0.5)
