"""Tests of leadlib.compare on small hand-built frames whose answers are worked out by hand.

The hand-built study (``tiny``): four sites, six interviews, five informants.

=========  =========  ===========  ========  =====================================
interview  informant  site (set.)  words     codings (code: process)
=========  =========  ===========  ========  =====================================
A-1        a1 (NM)    A inpatient  1000      X x3, Y x1
A-2        a2 (RN)    A            500       X x1
A-3        a3 (RN)    A            500       Z x2
B-1        b1 (MD)    B primary    2000      Y x2
B-2        b1 (MD)    B            1000      Y x1, X x1   (b1 interviewed twice)
C-1        c1 (RN)    C hospice    400       Z x1
D-1        d1 (RN)    D hospice    600       (no coding at all)
=========  =========  ===========  ========  =====================================

X is a building-knowledge code, Y a taking-action code, Z a success
characteristic (no process). Settings are the schema's ordered categorical,
whose order (primary care, ..., inpatient unit, ..., hospice) is not
alphabetical, so a sorted result would be caught.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadlib import LeadlibDataError, compare, schema

SETTING = pd.CategoricalDtype(schema.SETTINGS, ordered=True)
ROLE = pd.CategoricalDtype(schema.ROLES, ordered=True)
PROCESS = pd.CategoricalDtype(schema.PROCESSES, ordered=True)

INTERVIEWS = pd.DataFrame(
    {
        "interview_id": ["A-1", "A-2", "A-3", "B-1", "B-2", "C-1", "D-1"],
        "informant_id": ["a1", "a2", "a3", "b1", "b1", "c1", "d1"],
        "site_id": ["A", "A", "A", "B", "B", "C", "D"],
        "n_words": pd.array([1000, 500, 500, 2000, 1000, 400, 600], dtype="Int64"),
        "setting": pd.Categorical(["inpatient_unit"] * 3 + ["primary_care"] * 2 + ["hospice"] * 2, dtype=SETTING),
    }
)
INFORMANT = {
    "a1": "nurse_manager",
    "a2": "nurse",
    "a3": "nurse",
    "b1": "medical_director",
    "c1": "nurse",
    "d1": "nurse",
}
CODES = {
    "X": ("building_knowledge", "Knowing the patients"),
    "Y": ("taking_action", "Hiring & <orienting>"),
    "Z": (None, "Culture"),
}
CODINGS = [("A-1", "X")] * 3 + [
    ("A-1", "Y"),
    ("A-2", "X"),
    ("A-3", "Z"),
    ("A-3", "Z"),
    ("B-1", "Y"),
    ("B-1", "Y"),
    ("B-2", "Y"),
    ("B-2", "X"),
    ("C-1", "Z"),
]


def tiny_frame() -> pd.DataFrame:
    rows = []
    for k, (interview, code) in enumerate(CODINGS):
        info = INTERVIEWS.set_index("interview_id").loc[interview]
        rows.append(
            {
                "segment_id": f"SG{k:02d}",
                "interview_id": interview,
                "informant_id": info["informant_id"],
                "site_id": info["site_id"],
                "setting": info["setting"],
                "role": INFORMANT[info["informant_id"]],
                "code_id": code,
                "code_label": CODES[code][1],
                "process": CODES[code][0],
                "coder": "c1",
                "start": 10 * k,
                "end": 10 * k + 8,
                "text": f"quote {k} <b>&</b>",
                "n_words": int(info["n_words"]),
            }
        )
    frame = pd.DataFrame(rows)
    frame["setting"] = frame["setting"].astype(SETTING)
    frame["role"] = frame["role"].astype(ROLE)
    frame["process"] = frame["process"].astype(PROCESS)
    return frame


@pytest.fixture
def frame():
    return tiny_frame()


# ---------------------------------------------------------------------------
# site_matrix: every unit


def test_segments_count_every_row(frame):
    m = compare.site_matrix(frame)
    expected = pd.DataFrame([[4, 1, 2], [1, 3, 0], [0, 0, 1]], index=["A", "B", "C"], columns=["X", "Y", "Z"])
    np.testing.assert_array_equal(m.to_numpy(), expected.to_numpy())
    assert list(m.index) == ["A", "B", "C"] and list(m.columns) == ["X", "Y", "Z"]
    assert m.attrs["unit"] == "segments" and m.attrs["normalize"] is None
    assert m.attrs["by"] == "site_id" and m.attrs["of"] == "code_id"
    assert m.attrs["labels"] == {"X": "Knowing the patients", "Y": "Hiring & <orienting>", "Z": "Culture"}
    assert m.attrs["n"].to_dict() == {"A": 7, "B": 4, "C": 1}


def test_interviews_count_interviews_mentioning_at_least_once(frame):
    m = compare.site_matrix(frame, unit="interviews")
    # A: X in, Y in A-1, Z in A-3; B: X in B-2, Y in B-1 and B-2.
    np.testing.assert_array_equal(m.to_numpy(), [[2, 1, 1], [1, 2, 0], [0, 0, 1]])


def test_informants_count_people_not_interviews(frame):
    m = compare.site_matrix(frame, unit="informants")
    # b1 was interviewed twice: Y counts one informant at B, not two interviews.
    np.testing.assert_array_equal(m.to_numpy(), [[2, 1, 1], [1, 1, 0], [0, 0, 1]])


def test_per_1000_words_uses_all_interviews_of_the_scope(frame):
    m = compare.site_matrix(frame, unit="per_1000_words", interviews=INTERVIEWS)
    # Words: A 2000, B 3000, C 400, D 600 (D has no coding: a row of zeros).
    assert list(m.index) == ["A", "B", "C", "D"]
    np.testing.assert_allclose(m.to_numpy(), [[2.0, 0.5, 1.0], [1 / 3, 1.0, 0.0], [0, 0, 2.5], [0, 0, 0]])
    assert m.attrs["n"].to_dict() == {"A": 2000.0, "B": 3000.0, "C": 400.0, "D": 600.0}


def test_per_1000_words_counts_words_of_interviews_without_that_code(frame):
    # Filtered to X and Y, the frame no longer holds A-3 (Z only) or C-1: the
    # denominator must still be every word of A's interviews (2000, not 1500).
    leading = frame[frame["code_id"].isin(["X", "Y"])]
    m = compare.site_matrix(leading, unit="per_1000_words", interviews=INTERVIEWS)
    assert m.loc["A", "X"] == pytest.approx(4 / 2000 * 1000)
    assert m.loc["C"].tolist() == [0.0, 0.0]  # C is in scope, with zero


def test_per_1000_words_with_a_study_as_scope(small_study):
    frame = small_study.frame()
    m = compare.site_matrix(frame, unit="per_1000_words", interviews=small_study)
    counts = compare.site_matrix(frame)
    words = small_study.interviews.groupby("site_id")["n_words"].sum().astype(float)
    np.testing.assert_allclose(m.to_numpy(), counts.to_numpy() / words.loc[m.index].to_numpy()[:, None] * 1000)


def test_per_1000_words_refuses_to_guess_the_denominator(frame):
    with pytest.raises(ValueError, match="interviews=study"):
        compare.site_matrix(frame, unit="per_1000_words")


def test_interviews_without_a_word_count_are_left_out_of_numerator_and_denominator(frame):
    # A-2 (500 words, one X coding) has no word count, as an interview without a transcript. Counting its
    # coding over the other interviews' words would inflate A's rate of X to 4 / 1500 words; left out of both,
    # A is: X 3, Y 1, Z 2 codings in 1500 words.
    scope = INTERVIEWS.copy()
    scope.loc[1, "n_words"] = pd.NA
    with pytest.warns(UserWarning, match=r"1 interview\(s\) have no word count.*A-2"):
        m = compare.site_matrix(frame, unit="per_1000_words", interviews=scope)
    np.testing.assert_allclose(m.loc["A"].to_numpy(), [3 / 1.5, 1 / 1.5, 2 / 1.5])
    np.testing.assert_allclose(m.loc["B"].to_numpy(), [1 / 3, 1.0, 0.0])  # other sites as before
    assert m.attrs["without_words"] == ["A-2"]
    assert m.attrs["n"]["A"] == 1500.0
    assert m.attrs["support"].loc["A", "X"] == 1  # a2's coding is gone from the support too
    # the same table as leaving A-2 out by hand
    by_hand = compare.site_matrix(
        frame[frame["interview_id"] != "A-2"],
        unit="per_1000_words",
        interviews=INTERVIEWS[INTERVIEWS["interview_id"] != "A-2"],
    )
    pd.testing.assert_frame_equal(m, by_hand, check_like=False)
    assert by_hand.attrs["without_words"] == []
    # other units do not need words and count A-2 as usual
    assert compare.site_matrix(frame, unit="interviews", interviews=scope).loc["A", "X"] == 2


def test_a_site_with_no_word_count_at_all_is_a_data_error(frame):
    scope = INTERVIEWS.copy()
    scope.loc[scope["site_id"] == "C", "n_words"] = pd.NA
    with pytest.warns(UserWarning, match="C-1"), pytest.raises(LeadlibDataError, match="'C' has no words") as info:
        compare.site_matrix(frame, unit="per_1000_words", interviews=scope)
    assert info.value.column == "n_words" and "What to do" in str(info.value)


def test_a_group_without_words_is_a_data_error(frame):
    scope = INTERVIEWS.copy()
    scope.loc[scope["site_id"] == "D", "n_words"] = 0
    with pytest.raises(LeadlibDataError, match="'D' has no words"):
        compare.site_matrix(frame, unit="per_1000_words", interviews=scope)


def test_scope_must_contain_the_frames_interviews(frame):
    with pytest.raises(ValueError, match="'B-2'"):
        compare.site_matrix(frame, unit="per_1000_words", interviews=INTERVIEWS[INTERVIEWS.interview_id != "B-2"])


# ---------------------------------------------------------------------------
# site_matrix: every normalisation


def test_normalize_row_column_all(frame):
    row = compare.site_matrix(frame, normalize="row")
    np.testing.assert_allclose(row.loc["A"], [4 / 7, 1 / 7, 2 / 7])
    column = compare.site_matrix(frame, normalize="column")
    np.testing.assert_allclose(column["X"], [4 / 5, 1 / 5, 0])
    np.testing.assert_allclose(column["Z"], [2 / 3, 0, 1 / 3])
    whole = compare.site_matrix(frame, normalize="all")
    assert whole.to_numpy().sum() == pytest.approx(1.0)
    assert whole.loc["A", "X"] == pytest.approx(4 / 12)  # 12 codings in all
    assert (
        row.attrs["normalize"] == "row"
        and row.attrs["unit_label"] == "coded segments (share of the site's total across the columns)"
    )


def test_normalize_row_differs_from_group_when_some_rows_count_for_no_column(frame):
    # of="process": Z codings have no process. Row = share of the site's
    # process codings; group = share of all the site's codings.
    row = compare.site_matrix(frame, of="process", normalize="row")
    group = compare.site_matrix(frame, of="process", normalize="group")
    np.testing.assert_allclose(row.loc["A"], [4 / 5, 1 / 5, 0])
    np.testing.assert_allclose(group.loc["A"], [4 / 7, 1 / 7, 0])
    # C has codings but none on a process: a row of zeros, not NaN.
    assert row.loc["C"].tolist() == [0.0, 0.0, 0.0]


def test_normalize_group_interviews_is_share_of_the_groups_interviews(frame):
    m = compare.site_matrix(frame, unit="interviews", normalize="group", interviews=INTERVIEWS)
    # A has 3 interviews, B 2, C 1, D 1 (none mentions anything: zeros).
    np.testing.assert_allclose(m.loc["A"], [2 / 3, 1 / 3, 1 / 3])
    np.testing.assert_allclose(m.loc["B"], [1 / 2, 2 / 2, 0])
    np.testing.assert_allclose(m.loc["D"], [0, 0, 0])
    assert m.attrs["unit_label"] == "interviews mentioning it (share of the site's interviews)"
    with pytest.raises(ValueError, match="interviews=study"):
        compare.site_matrix(frame, unit="interviews", normalize="group")


def test_normalize_group_informants(frame):
    m = compare.site_matrix(frame, unit="informants", normalize="group", interviews=INTERVIEWS)
    np.testing.assert_allclose(m.loc["B"], [1.0, 1.0, 0.0])  # B has one informant, b1


# ---------------------------------------------------------------------------
# site_matrix: groups, order, support


def test_categorical_by_keeps_category_order_and_zero_groups(frame):
    m = compare.site_matrix(frame, by="setting")
    assert list(m.index) == ["primary_care", "inpatient_unit", "hospice"]
    np.testing.assert_array_equal(m.loc["hospice"], [0, 0, 1])


def test_categorical_of_shows_every_category(frame):
    m = compare.site_matrix(frame, of="process")
    assert list(m.columns) == list(schema.PROCESSES)
    assert m["reviewing_reflecting"].tolist() == [0, 0, 0]
    assert m.attrs["labels"]["reviewing_reflecting"] == "Reviewing and reflecting"


def test_by_with_missing_values_leaves_those_rows_out():
    frame = tiny_frame()
    frame["leader_level"] = pd.Categorical(["micro"] * 4 + [None] * 8, categories=schema.LEADER_LEVELS, ordered=True)
    m = compare.site_matrix(frame, by="leader_level")
    assert list(m.index) == ["micro"]
    assert m.loc["micro"].tolist() == [3, 1, 0]


def test_support_counts_distinct_informants_behind_each_cell(frame):
    m = compare.site_matrix(frame, unit="segments")
    support = m.attrs["support"]
    assert support.shape == m.shape
    assert list(support.index) == list(m.index) and list(support.columns) == list(m.columns)
    # A-X: 4 codings by a1 (3) and a2 (1); B-Y: 3 codings, all b1.
    assert support.loc["A", "X"] == 2 and support.loc["B", "Y"] == 1 and support.loc["C", "X"] == 0


def test_groups_and_columns_can_be_chosen(frame):
    m = compare.site_matrix(frame, groups=["C", "A", "E"], columns=["Z", "X"])
    assert m.to_numpy().tolist() == [[1, 0], [2, 4], [0, 0]]


def test_does_not_mutate_the_frame(frame):
    before = frame.copy()
    compare.site_matrix(frame, unit="per_1000_words", normalize="row", interviews=INTERVIEWS)
    compare.process_profile(frame, unit="interviews")
    compare.meta_matrix(frame)
    compare.cooccurrence(frame)
    compare.site_vs_peers(frame, "A")
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"unit": "words"}, "unknown unit 'words'"),
        ({"normalize": "rows"}, "unknown normalize 'rows'"),
        ({"of": "behaviour"}, "no column 'behaviour'"),
        ({"by": "ward"}, "no column 'ward'"),
        ({"unit": "per_1000_words", "normalize": "group", "interviews": INTERVIEWS}, "already a rate"),
    ],
)
def test_bad_arguments_raise_clear_value_errors(frame, kwargs, message):
    with pytest.raises(ValueError, match=message):
        compare.site_matrix(frame, **kwargs)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("PQR"), st.sampled_from(["i1", "i2", "i3", "i4"]), st.sampled_from("uvw")),
        min_size=1,
        max_size=40,
    )
)
def test_counts_agree_with_crosstab(rows):
    # pandas.crosstab, an independent implementation, is the oracle.
    frame = pd.DataFrame(rows, columns=["site_id", "interview_id", "code_id"])
    frame["informant_id"] = frame["interview_id"]
    seg = compare.site_matrix(frame)
    expected = pd.crosstab(frame["site_id"], frame["code_id"])
    np.testing.assert_array_equal(seg.to_numpy(), expected.to_numpy())
    ivw = compare.site_matrix(frame, unit="interviews")
    distinct = frame.drop_duplicates(["site_id", "code_id", "interview_id"])
    np.testing.assert_array_equal(ivw.to_numpy(), pd.crosstab(distinct["site_id"], distinct["code_id"]).to_numpy())


# ---------------------------------------------------------------------------
# process_profile


def test_process_profile_segments(frame):
    p = compare.process_profile(frame)
    assert list(p.columns) == list(schema.PROCESSES)
    np.testing.assert_allclose(p.loc["A"], [0.8, 0.2, 0.0])
    np.testing.assert_allclose(p.loc["B"], [0.25, 0.75, 0.0])
    assert p.loc["C"].isna().all()  # no process coding: no profile
    assert p.attrs["n"].to_dict() == {"A": 5, "B": 4, "C": 0}
    np.testing.assert_allclose(p.dropna().sum(axis=1), 1.0)


def test_process_profile_interviews_and_informants(frame):
    p = compare.process_profile(frame, unit="interviews")
    np.testing.assert_allclose(p.loc["A"], [2 / 3, 1 / 3, 0])
    np.testing.assert_allclose(p.loc["B"], [1 / 3, 2 / 3, 0])
    assert p.attrs["n"].to_dict() == {"A": 2, "B": 2, "C": 0}
    q = compare.process_profile(frame, unit="informants")
    np.testing.assert_allclose(q.loc["B"], [0.5, 0.5, 0])
    assert q.attrs["n"]["B"] == 1 and q.attrs["unit"] == "informants"


def test_process_profile_by_leader_type(small_study):
    frame = small_study.frame()
    p = compare.process_profile(frame, by="leader_type")
    assert list(p.index) == ["formal", "informal", "none"]
    leading = frame[frame["process"].notna()]
    formal = leading[leading["leader_type"] == "formal"]["process"].value_counts(normalize=True)
    np.testing.assert_allclose(p.loc["formal"], formal.reindex(list(schema.PROCESSES)).to_numpy())
    assert p.attrs["n"]["formal"] == len(leading[leading["leader_type"] == "formal"])


def test_process_profile_rejects_words(frame):
    with pytest.raises(ValueError, match="unknown unit 'per_1000_words'"):
        compare.process_profile(frame, unit="per_1000_words")


# ---------------------------------------------------------------------------
# meta_matrix and quotes


def test_meta_matrix_counts_and_quotes(frame):
    m = compare.meta_matrix(frame, by="site_id", of="code_id", quotes_per_cell=2, seed=3)
    assert m.loc["A", "X"].count == 4 and m.loc["C", "X"].count == 0
    assert m.loc["C", "X"].quotes == ()
    cell = m.loc["A", "X"]
    assert len(cell.quotes) == 2
    # Two quotes from a cell with two informants come from both.
    assert {q.informant_id for q in cell.quotes} == {"a1", "a2"}
    texts = set(frame.loc[(frame.site_id == "A") & (frame.code_id == "X"), "text"])
    assert {q.text for q in cell.quotes} <= texts
    assert len(m.loc["B", "X"].quotes) == 1  # only one coding there


@pytest.mark.parametrize("seed", range(8))
def test_meta_matrix_prefers_different_informants_for_any_seed(frame, seed):
    m = compare.meta_matrix(frame, of="code_id", quotes_per_cell=2, seed=seed)
    assert {q.informant_id for q in m.loc["A", "X"].quotes} == {"a1", "a2"}


def test_meta_matrix_is_repeatable_with_a_seed(small_study):
    frame = small_study.frame()
    first = compare.meta_matrix(frame, seed=5)
    again = compare.meta_matrix(frame, seed=5)
    other = compare.meta_matrix(frame, seed=6)
    ids = lambda m: [q.segment_id for cell in m.to_numpy().ravel() for q in cell.quotes]  # noqa: E731
    assert ids(first) == ids(again)
    assert ids(first) != ids(other)


def test_role_withheld_when_fewer_than_two_informants_have_it(frame):
    m = compare.meta_matrix(frame, of="code_id", quotes_per_cell=2, seed=0)
    roles = {q.informant_id: q.role for q in m.loc["A", "X"].quotes}
    assert roles["a1"] is None  # the only nurse manager at A
    assert roles["a2"] == "Nurse"  # two nurses at A (a2, a3)
    html = compare.meta_matrix_html(m)
    assert compare.ROLE_WITHHELD in html and "Nurse manager" not in html
    shown = compare.meta_matrix(frame, of="code_id", min_role_informants=None)
    assert "Nurse manager" in compare.meta_matrix_html(shown)


def test_role_rule_can_count_informants_of_the_whole_study(frame):
    # A second nurse manager at A who never spoke about X makes the role safe to show.
    people = pd.DataFrame(
        {
            "informant_id": ["a1", "a2", "a3", "a4"],
            "site_id": ["A"] * 4,
            "role": ["nurse_manager", "nurse", "nurse", "nurse_manager"],
        }
    )
    m = compare.meta_matrix(frame, of="code_id", informants=people)
    assert {q.role for q in m.loc["A", "X"].quotes} == {"Nurse manager", "Nurse"}


def test_no_quotes_leaves_no_text(frame):
    m = compare.meta_matrix(frame, of="code_id", show_quotes=False)
    assert all(cell.quotes == () for cell in m.to_numpy().ravel())
    html = compare.meta_matrix_html(m)
    assert not any(text in html or "quote " in html for text in frame["text"])
    assert m.loc["A", "X"].count == 4


def test_meta_matrix_html_escapes_text(frame):
    m = compare.meta_matrix(frame, of="code_id", min_role_informants=None)
    html = compare.meta_matrix_html(m)
    assert "<b>" not in html and "&lt;b&gt;&amp;&lt;/b&gt;" in html
    assert "Hiring &amp; &lt;orienting&gt;" in html  # column labels escaped too
    assert html.count("<blockquote") == sum(len(c.quotes) for c in m.to_numpy().ravel())


def test_quotes_browse_with_roles(frame):
    q = compare.quotes(frame, where={"site_id": "A", "code_id": ["X", "Y"]}, n=None)
    assert len(q) == 5 and set(q["code_id"]) == {"X", "Y"}
    assert set(q.loc[q["text"] == "quote 0 <b>&</b>", "role"]) == {compare.ROLE_WITHHELD}
    assert "informant_id" not in q.columns
    assert len(compare.quotes(frame, n=2, seed=1)) == 2


def test_quotes_redact_the_words_that_name_a_withheld_role(frame):
    """A withheld role is not given back by the quote's own words; a shown role's quote is left as it is."""
    frame = frame.copy()
    manager = frame["informant_id"] == "a1"  # the one nurse manager of site A: her role is withheld
    nurse = frame["informant_id"] == "a2"  # two nurses at A: the role is shown
    frame.loc[manager, "text"] = "As nurse manager I pushed for it, and the nurse manager before me did too."
    frame.loc[nurse, "text"] = "As a nurse I saw the change."
    q = compare.quotes(frame, where={"site_id": "A"}, n=None, show_ids=True).set_index("segment_id")
    withheld = q.loc[frame.loc[manager, "segment_id"]]
    assert set(withheld["role"]) == {compare.ROLE_WITHHELD}
    assert set(withheld["text"]) == {"As [role] I pushed for it, and the [role] before me did too."}
    assert set(q.loc[frame.loc[nurse, "segment_id"], "text"]) == {"As a nurse I saw the change."}
    cells = compare.meta_matrix(frame[frame["site_id"] == "A"], by="site_id", of="process", quotes_per_cell=5)
    texts = {quote.text for cell in cells.to_numpy().ravel() if hasattr(cell, "quotes") for quote in cell.quotes}
    assert "As [role] I pushed for it, and the [role] before me did too." in texts
    assert not any("nurse manager" in text for text in texts)


def test_quotes_redact_given_names_whatever_the_role():
    """A colleague's first name is not shown, in a quote whose role is shown or withheld."""
    from leadlib.simulate.interview import FIRST_NAMES

    frame = tiny_frame()
    manager = frame["informant_id"] == "a1"  # role withheld
    nurse = frame["informant_id"] == "a2"  # role shown
    first, second = FIRST_NAMES[0], FIRST_NAMES[-1]
    frame.loc[manager, "text"] = f"As nurse manager I asked {first} and {second}."
    frame.loc[nurse, "text"] = f"{first} said {second}'s list was the best."
    q = compare.quotes(frame, where={"site_id": "A"}, n=None, show_ids=True).set_index("segment_id")
    assert set(q.loc[frame.loc[manager, "segment_id"], "text"]) == {"As [role] I asked [name] and [name]."}
    shown = q.loc[frame.loc[nurse, "segment_id"]]
    assert compare.ROLE_WITHHELD not in set(shown["role"])
    assert set(shown["text"]) == {"[name] said [name]'s list was the best."}
    cells = compare.meta_matrix(frame[frame["site_id"] == "A"], by="site_id", of="process", quotes_per_cell=5)
    texts = {quote.text for cell in cells.to_numpy().ravel() if hasattr(cell, "quotes") for quote in cell.quotes}
    assert any("[name]" in text for text in texts)
    assert not any(name in text for text in texts for name in FIRST_NAMES)


# ---------------------------------------------------------------------------
# cooccurrence


def overlap_frame() -> pd.DataFrame:
    # (segment, interview, coder, code, start, end)
    rows = [
        ("s1", "I1", "c", "X", 0, 10),
        ("s2", "I1", "c", "Z", 0, 10),
        ("s3", "I1", "c", "Y", 5, 15),  # overlaps s1 and s2 on [5, 10)
        ("s4", "I1", "c", "X", 20, 30),
        ("s5", "I1", "c", "Z", 30, 40),  # touches s4 at 30: half-open spans do not overlap
        ("s6", "I1", "d", "Y", 0, 10),  # another coder: no pair with c's codings
        ("s7", "I2", "c", "X", 0, 10),
        ("s8", "I2", "c", "Y", 10, 20),
    ]
    return pd.DataFrame(rows, columns=["segment_id", "interview_id", "coder", "code_id", "start", "end"])


def test_cooccurrence_segment_level():
    c = compare.cooccurrence(overlap_frame(), level="segment")
    expected = [
        [3, 1, 1],  # X: s1, s4, s7; with Y (s1-s3), with Z (s1-s2)
        [1, 3, 1],  # Y: s3, s6, s8; with Z (s3-s2)
        [1, 1, 2],
    ]  # Z: s2, s5
    np.testing.assert_array_equal(c.to_numpy(), expected)
    assert list(c.index) == ["X", "Y", "Z"]
    np.testing.assert_array_equal(c.to_numpy(), c.to_numpy().T)


def test_cooccurrence_interview_level():
    c = compare.cooccurrence(overlap_frame(), level="interview")
    # I1 has X, Y, Z; I2 has X, Y.
    np.testing.assert_array_equal(c.to_numpy(), [[2, 2, 1], [2, 2, 1], [1, 1, 1]])
    assert c.attrs["level"] == "interview"


def test_cooccurrence_codes_argument_keeps_codes_without_pairs():
    c = compare.cooccurrence(overlap_frame(), codes=["Z", "X", "Q"])
    assert list(c.index) == ["Z", "X", "Q"]
    assert c.loc["Q"].tolist() == [0, 0, 0] and c.loc["Z", "X"] == 1
    with pytest.raises(ValueError, match="unknown level"):
        compare.cooccurrence(overlap_frame(), level="site")


def test_cooccurrence_of_the_simulated_study_pairs_each_process_code_with_a_characteristic(small_study):
    # By construction every process sub-code is applied on the span of exactly one success characteristic (and
    # some also on that of leading between levels, which is not a characteristic).
    frame = small_study.frame()
    c = compare.cooccurrence(frame)
    process_codes = sorted(frame.loc[frame["process"].notna(), "code_id"].unique())
    sc_codes = sorted(frame.loc[frame["group"] == "success_characteristic", "code_id"].unique())
    np.testing.assert_array_equal(
        c.loc[process_codes, sc_codes].sum(axis=1), np.diag(c.loc[process_codes, process_codes])
    )


# ---------------------------------------------------------------------------
# site_vs_peers


def peers_frame(counts: dict[str, int]) -> pd.DataFrame:
    rows = [
        {"site_id": s, "informant_id": f"{s}-p", "interview_id": f"{s}-i", "code_id": "X"}
        for s, k in counts.items()
        for _ in range(k)
    ]
    return pd.DataFrame(rows)


def test_site_vs_peers_quartiles_and_band():
    frame = peers_frame({"S0": 5, "S1": 1, "S2": 2, "S3": 3, "S4": 4})
    out = compare.site_vs_peers(frame, "S0", unit="segments", normalize=None)
    row = out.iloc[0]
    # Peers 1, 2, 3, 4; linear interpolation (Hyndman & Fan type 7): position (n-1)p:
    # q1 at 0.75 -> 1.75, median 2.5, q3 at 2.25 -> 3.25.
    assert (row.peer_min, row.peer_q1, row.peer_median, row.peer_q3, row.peer_max) == (1, 1.75, 2.5, 3.25, 4)
    assert row.site_value == 5 and row.n_peers == 4 and row.site_support == 1
    assert row.band == "above the peers' 75th percentile"
    low = compare.site_vs_peers(frame, "S1", normalize=None).iloc[0]
    assert low.band == "below the peers' 25th percentile"  # 1 < q1 of 2, 3, 4, 5 (2.75)
    assert "rank" not in " ".join(out.columns)


def test_site_vs_peers_value_on_a_quartile_is_in_the_middle_half():
    frame = peers_frame({"S0": 2, "S1": 2, "S2": 2, "S3": 2, "S4": 2})
    assert compare.site_vs_peers(frame, "S0", normalize=None).iloc[0].band == "middle half of the peers"


def test_site_vs_peers_default_is_share_of_the_sites_codings(frame):
    out = compare.site_vs_peers(frame, "A").set_index("code_id")
    assert out.loc["X", "site_value"] == pytest.approx(4 / 7)
    assert out.attrs["unit"] == "segments" and out.attrs["normalize"] == "row" and out.attrs["n_peers"] == 2
    assert out["band"].cat.categories.tolist() == list(compare.BANDS)


def test_site_vs_peers_unknown_site(frame):
    with pytest.raises(LeadlibDataError, match="'Q' is not in the data"):
        compare.site_vs_peers(frame, "Q")


# ---------------------------------------------------------------------------
# rating_distribution


def test_rating_distribution_by_hand():
    survey = pd.DataFrame(
        {
            "respondent_id": list("abcde") + list("abcde"),
            "site_id": ["S1"] * 10,
            "characteristic": pd.Categorical(
                ["information_technology"] * 5 + ["staff_focus"] * 5,
                categories=schema.CMAT_CHARACTERISTICS,
                ordered=True,
            ),
            "rating": pd.array([3, 3, 3, None, None, 1, 2, 2, 3, None], dtype="Int64"),
        }
    )
    d = compare.rating_distribution(survey)
    assert list(d.index) == ["staff_focus", "information_technology"]  # the CMAT's order, not alphabetical
    s = d.loc["staff_focus"]
    assert (s.n, s.n_rated, s.n_cant_rate) == (5, 4, 1)
    assert (s.low, s.middle, s.high, s.cant_rate, s["mean"]) == (0.25, 0.5, 0.25, 0.2, 2.0)
    it = d.loc["information_technology"]
    assert (it.high, it.low, it.cant_rate) == (1.0, 0.0, 0.4)


def test_rating_distribution_rejects_out_of_range():
    survey = pd.DataFrame({"characteristic": ["leadership"] * 3, "rating": [1, 4, 2]})
    with pytest.raises(LeadlibDataError) as info:
        compare.rating_distribution(survey)
    assert info.value.row == 3 and info.value.column == "rating" and info.value.value == 4


def test_unit_label_texts():
    assert compare.unit_label("per_1000_words") == "coded segments per 1,000 words"
    assert (
        compare.unit_label("informants", "group", by="setting")
        == "informants mentioning it (share of the setting's informants)"
    )


# ---------------------------------------------------------------------------
# site_summary


def test_site_summary_counts(small_study):
    summary = compare.site_summary(small_study)
    assert list(summary.index) == sorted(small_study.sites["site_id"])
    first = summary.index[0]
    people = small_study.informants[small_study.informants["site_id"] == first]
    assert summary.loc[first, "informants"] == len(people)
    assert summary.loc[first, "formal_leaders"] == (people["leader_type"] == "formal").sum()
    primary = small_study.segments[small_study.segments["primary"]]
    assert summary["coded_segments"].sum() == len(primary)
    assert summary["words"].sum() == small_study.interviews["n_words"].sum()
    assert summary["cmat_respondents"].sum() == small_study.survey["respondent_id"].nunique()
    assert (summary["leading_segments"] < summary["coded_segments"]).all()
    support = summary.attrs["support"]
    assert support.loc[first, "coded_segments"] == len(people)
    assert support.loc[first, "formal_leaders"] == summary.loc[first, "formal_leaders"]


def test_meta_matrix_html_hides_suppressed_counts(frame):
    m = compare.meta_matrix(frame, of="code_id", show_quotes=False)
    hidden = pd.DataFrame(False, index=m.index, columns=m.columns)
    hidden.loc["A", "X"] = True
    html = compare.meta_matrix_html(m, hidden=hidden)
    assert html.count(compare.SUPPRESSED) == 1
    assert ">4<" not in html  # A, X's count (4) is not shown


def test_quotes_leave_out_ids_unless_asked(frame):
    assert "segment_id" not in compare.quotes(frame).columns
    assert compare.quotes(frame, show_ids=True, n=None)["segment_id"].tolist()[:1] == ["SG00"]


def test_across_units_puts_each_units_matrix_side_by_side(frame):
    wide = compare.across_units(frame, of="code_id", interviews=INTERVIEWS)
    assert list(wide.columns.get_level_values(0).unique()) == list(compare.UNITS)
    for unit in compare.UNITS:
        alone = compare.site_matrix(frame, of="code_id", unit=unit, interviews=INTERVIEWS)
        np.testing.assert_allclose(wide[unit].to_numpy(), alone.to_numpy())
        np.testing.assert_array_equal(wide.attrs["support"][unit].to_numpy(), alone.attrs["support"].to_numpy())
    assert wide.attrs["unit_label"]["per_1000_words"] == "coded segments per 1,000 words"
    assert wide.loc["D", ("per_1000_words", "X")] == 0  # in scope, never coded


def test_tables_with_support_survive_everyday_pandas_operations(frame):
    # pandas compares attrs when it combines tables; a plain DataFrame there makes these raise.
    m = compare.site_matrix(frame)
    other = compare.site_matrix(frame, unit="interviews")
    assert m.astype("Int64").loc["A", "X"] == 4
    assert len(m.melt()) == m.size
    assert pd.concat([m, other]).shape == (6, 3)
    assert m.join(other, suffixes=("", "_i")).shape == (3, 6)
    assert m.merge(other, left_index=True, right_index=True).shape == (3, 6)
    profile = compare.process_profile(frame)
    assert profile.astype("Float64").shape == (3, 3) and len(profile.reset_index().melt(id_vars="site_id")) == 9
    # ... while the support stays an ordinary table element by element.
    support = m.attrs["support"]
    assert isinstance(support, pd.DataFrame)
    assert (support < 2).loc["A"].tolist() == [False, True, True]
    assert support.eq(support).all().all() and (support == support) is True


def test_with_labels_replaces_codes_and_vocabulary_only(frame):
    p = compare.process_profile(frame, by="setting")
    p.insert(0, "n", p.attrs["n"])
    shown = compare.with_labels(p)
    assert list(shown.index) == ["Primary care", "Inpatient unit", "Hospice"]
    assert list(shown.columns) == ["n", "Building knowledge", "Taking action", "Reviewing and reflecting"]
    assert shown.loc["Inpatient unit", "n"] == 5 and shown.attrs == {}
    m = compare.with_labels(compare.site_matrix(frame))
    assert list(m.columns) == ["Knowing the patients", "Hiring & <orienting>", "Culture"] and list(m.index) == [
        "A",
        "B",
        "C",
    ]


def test_exemplars_do_not_repeat_a_text(frame):
    same = frame.copy()
    same.loc[same["code_id"] == "Y", "text"] = "we said the same"
    same.loc[same["code_id"] == "Y", "informant_id"] = ["a1", "b1", "b2", "b3"]
    chosen = compare.quotes(same, where={"code_id": "Y"}, n=3)
    assert chosen["text"].tolist() == ["we said the same"]
    m = compare.meta_matrix(same, by="code_id", of="code_id", quotes_per_cell=3)
    assert len(m.loc["Y", "Y"].quotes) == 1 and len(m.loc["X", "X"].quotes) == 3


# ---------------------------------------------------------------------------
# One vocabulary: by= and of= everywhere (old keywords still work, with a DeprecationWarning)


def test_meta_matrix_rows_cols_are_renamed_by_of(frame):
    new = compare.meta_matrix(frame, by="site_id", of="code_id", seed=3)
    with (
        pytest.warns(DeprecationWarning, match=r"meta_matrix\(\): the keyword rows= is renamed by="),
        pytest.warns(DeprecationWarning, match="cols= is renamed of="),
    ):
        old = compare.meta_matrix(frame, rows="site_id", cols="code_id", seed=3)
    pd.testing.assert_frame_equal(old, new)
    assert new.attrs["by"] == "site_id" and new.attrs["of"] == "code_id" and list(new.columns)[:2] == ["X", "Y"]
    with pytest.raises(TypeError, match="both cols= and of="):
        compare.meta_matrix(frame, cols="code_id", of="code_id")


def test_site_vs_peers_site_column_is_by():
    frame = peers_frame({"S0": 5, "S1": 1, "S2": 2, "S3": 3, "S4": 4}).rename(columns={"site_id": "ward"})
    out = compare.site_vs_peers(frame, "S0", by="ward", unit="segments", normalize=None)
    assert out.iloc[0].site_value == 5 and out.iloc[0].peer_median == 2.5 and out.attrs["site_id"] == "S0"
    with pytest.warns(DeprecationWarning, match=r"site_vs_peers\(\): the keyword site= is renamed by="):
        old = compare.site_vs_peers(frame, "S0", site="ward", unit="segments", normalize=None)
    pd.testing.assert_frame_equal(old, out)
    with pytest.raises(LeadlibDataError, match="'Q' is not in the data") as info:
        compare.site_vs_peers(frame, "Q", by="ward")
    assert info.value.column == "ward"


def test_between_levels_share_counts_leadership_codings_sharing_a_span_with_the_code():
    rows = [
        # interview, informant, level, code, process, start, end
        ("I1", "P1", "meso", "TA.resources", "taking_action", 0, 10),
        ("I1", "P1", "meso", "LV.between", None, 0, 10),  # same span: between levels
        ("I1", "P1", "meso", "BK.outside", "building_knowledge", 20, 30),
        ("I1", "P1", "meso", "LV.between", None, 21, 30),  # another span: does not count
        ("I2", "P2", "micro", "BK.patients", "building_knowledge", 0, 10),
        ("I3", "P3", None, "RR.debrief", "reviewing_reflecting", 0, 10),
        ("I3", "P3", None, "LV.between", None, 0, 10),
        ("I3", "P3", None, "SC.culture", None, 0, 10),  # not a leadership coding
    ]
    frame = pd.DataFrame(
        rows, columns=["interview_id", "informant_id", "leader_level", "code_id", "process", "start", "end"]
    )
    out = compare.between_levels_share(frame, by="leader_level")
    assert list(out.index) == ["(none)", "meso", "micro"]
    assert out.loc["meso", "leadership codings"] == 2 and out.loc["meso", "between levels"] == 1
    assert out.loc["meso", "share"] == 0.5
    assert out.loc["micro", "share"] == 0 and out.loc["(none)", "share"] == 1
    with pytest.raises(ValueError, match="no column 'leader_type'"):
        compare.between_levels_share(frame, by="leader_type")
