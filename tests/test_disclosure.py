"""Disclosure control: small-number suppression with complementary suppression, the quote rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadlib.compare import MetaCell
from leadlib.disclosure import (
    HIDDEN_MARK,
    QUOTES_LEFT_OUT,
    WITHHELD_ROLE,
    audit_protection,
    hidden_meta_cells,
    hidden_note,
    hidden_sites,
    hide_group_values,
    leaked_quotes,
    left_out_note,
    linked_suppress,
    prepare_quotes,
    protection_levels,
    quote_ngrams,
    quote_roles,
    recoverable,
    shown_quotes,
    site_pattern,
    styled,
    suppress,
)


def determined_cells(hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden cells whose value follows from the shown cells and the row and column totals.

    Independent of the bridge argument the implementation uses: a hidden cell
    x_k is determined by the linear system "row sums and column sums of the
    hidden cells are known" exactly when the unit vector e_k lies in the row
    space of that system's matrix (rank does not grow when e_k is added).
    """
    cells = list(zip(*np.nonzero(hidden)))
    if not cells:
        return []
    n_rows, n_cols = hidden.shape
    a = np.zeros((n_rows + n_cols, len(cells)))
    for k, (i, j) in enumerate(cells):
        a[i, k] = 1
        a[n_rows + j, k] = 1
    rank = np.linalg.matrix_rank(a)
    found = []
    for k, cell in enumerate(cells):
        e = np.zeros((1, len(cells)))
        e[0, k] = 1
        if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
            found.append(cell)
    return found


def test_none_returns_the_table_unchanged():
    table = pd.DataFrame({"a": [1, 2]}, index=["S1", "S2"])
    table.attrs["support"] = pd.DataFrame({"a": [1, 2]}, index=["S1", "S2"])
    assert suppress(table, min_n=None) is table


def test_hand_worked_table():
    # Support (informants) of a 3 x 3 table; min_n = 2 makes (S2, a) the only
    # primary cell. Row S2 needs a second hidden cell: it should be c (the
    # cheaper, support 2, vs 6); column a then needs one: S1 (5) is cheaper
    # than S3 (7); column c has S2 and needs one more: S1 closes the cycle
    # (its row already has a hidden cell), so exactly the 4 cells
    # (S1, a), (S1, c), (S2, a), (S2, c) are hidden, a 4-cycle.
    support = pd.DataFrame({"a": [5, 1, 7], "b": [4, 6, 8], "c": [9, 2, 3]}, index=["S1", "S2", "S3"])
    counts = support * 10
    out = suppress(counts, min_n=2, support=support)
    hidden = out.attrs["suppressed"]
    expected = pd.DataFrame(
        {"a": [True, True, False], "b": [False] * 3, "c": [True, True, False]}, index=["S1", "S2", "S3"]
    )
    pd.testing.assert_frame_equal(hidden, expected)
    assert out.attrs["primary"].to_numpy().sum() == 1
    assert out["a"].isna().tolist() == [True, True, False]
    assert out.loc["S3", "c"] == 30 and out.loc["S1", "b"] == 40
    assert determined_cells(hidden.to_numpy()) == []


def test_threshold_is_used():
    # The OpenSAFELY helper that ignored its threshold: here the same cell
    # is hidden or shown depending on min_n alone.
    support = pd.DataFrame({"a": [4, 9], "b": [9, 9]}, index=["S1", "S2"])
    assert not suppress(support, min_n=4, support=support).attrs["suppressed"].to_numpy().any()
    assert suppress(support, min_n=5, support=support).attrs["suppressed"].loc["S1", "a"]


def test_zeros_are_shown_and_not_used_while_others_exist():
    support = pd.DataFrame({"a": [0, 1, 5], "b": [6, 6, 0], "c": [4, 4, 4]}, index=["S1", "S2", "S3"])
    out = suppress(support, min_n=3, support=support)
    hidden = out.attrs["suppressed"]
    assert not hidden.loc["S1", "a"]  # a zero is not primary
    assert hidden.loc["S2", "a"]
    assert determined_cells(hidden.to_numpy()) == []
    # complements are taken from non-zero cells when there are any
    assert not hidden.loc["S3", "b"]


def test_reads_support_from_attrs_and_does_not_mutate():
    table = pd.DataFrame({"a": [1, 5, 5], "b": [5, 5, 5]}, index=["S1", "S2", "S3"])
    table.attrs["support"] = table.copy()
    before = table.copy()
    out = suppress(table, min_n=3)
    pd.testing.assert_frame_equal(table, before)
    assert out["a"].dtype == "Int64"  # counts stay whole numbers, hidden ones are <NA>
    assert out.attrs["min_n"] == 3 and out.attrs["support"] is not None
    assert int(out.attrs["suppressed"].to_numpy().sum()) >= 2


def test_marker_for_display():
    table = pd.DataFrame({"a": [1, 5], "b": [5, 5]}, index=["S1", "S2"])
    out = suppress(table, min_n=3, support=table, marker="x")
    assert out.loc["S1", "a"] == "x"
    assert (out == "x").to_numpy().sum() == out.attrs["suppressed"].to_numpy().sum() == 4


def test_missing_support_is_a_clear_error():
    table = pd.DataFrame({"a": [1, 5]})
    with pytest.raises(ValueError, match="support"):
        suppress(table, min_n=3)
    with pytest.raises(ValueError, match="columns"):
        suppress(table, min_n=3, support=pd.DataFrame({"z": [1, 1]}))
    with pytest.raises(ValueError, match="min_n"):
        suppress(table, min_n=0, support=table)


def test_series_one_column_of_shares():
    # Shares of a site over behaviours add up to 1: one hidden share would be
    # 1 minus the others, so a second one is hidden.
    shares = pd.Series([0.5, 0.1, 0.4], index=["x", "y", "z"], name="site")
    support = pd.Series([6, 1, 4], index=["x", "y", "z"], name="site")
    out = suppress(shares, min_n=2, support=support)
    assert out.isna().tolist() == [False, True, True]


@st.composite
def support_tables(draw):
    n_rows = draw(st.integers(2, 6))
    n_cols = draw(st.integers(2, 6))
    values = draw(st.lists(st.integers(0, 7), min_size=n_rows * n_cols, max_size=n_rows * n_cols))
    return pd.DataFrame(np.array(values).reshape(n_rows, n_cols))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(support=support_tables(), min_n=st.integers(1, 5))
def test_no_hidden_cell_can_be_recovered(support, min_n):
    out = suppress(support.astype(float), min_n=min_n, support=support)
    hidden = out.attrs["suppressed"].to_numpy()
    primary = (support.to_numpy() > 0) & (support.to_numpy() < min_n)
    assert (hidden | ~primary).all()  # every small cell is hidden
    assert np.isnan(out.to_numpy()[hidden]).all() and not np.isnan(out.to_numpy()[~hidden]).any()
    assert determined_cells(hidden) == []
    # counts and the shares made from them hide the same cells
    shares = support.div(support.sum(axis=1).replace(0, 1), axis=0)
    assert (suppress(shares, min_n=min_n, support=support).attrs["suppressed"].to_numpy() == hidden).all()


def test_with_site_matrix(small_study):
    from leadlib import compare

    table = compare.site_matrix(small_study.frame(), of="process", unit="segments")
    out = suppress(table, min_n=3)
    support = table.attrs["support"]
    hidden = out.attrs["suppressed"]
    small = (support > 0) & (support < 3)
    assert (hidden | ~small).to_numpy().all()
    assert determined_cells(hidden.to_numpy()) == []


# ---------------------------------------------------------------------------
# Linked tables and whole numbers: the reader's attack, written independently of the implementation


def attack(values: pd.Series, hidden: pd.Series, relations) -> set:
    """Hidden cells a reader recovers from the shown cells, the sums and "a hidden count is at least 1".

    Linear: a hidden cell is determined when its unit vector lies in the row space of the sums restricted to
    the hidden cells (numpy's matrix rank). Whole numbers: the least and the greatest value the sums allow
    each hidden cell, as integers at least 1 (0 for a hidden zero), by mixed-integer programming
    (scipy.optimize.milp); equal means recovered.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    keys = list(values.index)
    at = {k: i for i, k in enumerate(keys)}
    rows = []
    for total, members in relations:
        row = np.zeros(len(keys))
        for m in members:
            row[at[m]] -= 1
        if total is not None:
            row[at[total]] += 1
        rows.append(row)
    a = np.array(rows)
    x = values.to_numpy(dtype=float)
    mask = hidden.reindex(values.index).fillna(False).to_numpy(dtype=bool)
    cells = np.flatnonzero(mask)
    if not len(cells):
        return set()
    a_h = a[:, cells]
    rhs = a_h @ x[cells]  # what the shown cells and the public totals leave for the hidden ones
    found = set()
    rank = np.linalg.matrix_rank(a_h)
    for k, cell in enumerate(cells):
        e = np.zeros((1, len(cells)))
        e[0, k] = 1
        if np.linalg.matrix_rank(np.vstack([a_h, e])) == rank:
            found.add(keys[cell])
    lower = np.where(x[cells] > 0, 1.0, 0.0)
    for k, cell in enumerate(cells):
        c = np.zeros(len(cells))
        c[k] = 1
        kw = dict(
            constraints=LinearConstraint(a_h, rhs, rhs),
            integrality=np.ones(len(cells)),
            bounds=Bounds(lower, np.full(len(cells), np.inf)),
        )
        low, high = milp(c, **kw), milp(-c, **kw)
        if low.status == 0 and high.status == 0 and round(low.fun) == round(-high.fun):
            found.add(keys[cell])
    return found


def hierarchy(groups: dict[str, dict[str, tuple[int, int]]]):
    """Values, support and the sums of one page: processes (groups) of behaviours, and their public total.

    ``groups``: process -> behaviour -> (count, informants). A process's count is the sum of its behaviours';
    the processes add up to the page's printed number of passages.
    """
    values, support, relations = {}, {}, []
    for process, codes in groups.items():
        values[process] = sum(v for v, _ in codes.values())
        support[process] = sum(n for _, n in codes.values())  # at least as many as any of its behaviours
        for code, (v, n) in codes.items():
            values[code], support[code] = v, n
        relations.append((process, list(codes)))
    relations.append((None, list(groups)))
    return pd.Series(values, dtype=float), pd.Series(support, dtype=float), relations


def test_linked_hand_worked_table():
    # The reviewer's attack in miniature, min_n = 3. Process P1 = a (1 informant) + b; P2 = c + d; the page
    # prints 23 passages. One table on its own hides a and its cheapest complement, c (4 informants against
    # b's 5): then P1 - b gives a away. Together, the complement must be b (the same process): a + b = 9
    # with each at least 1 leaves a anywhere from 1 to 8.
    values, support, relations = hierarchy({"P1": {"a": (1, 1), "b": (8, 5)}, "P2": {"c": (5, 4), "d": (9, 6)}})
    table_alone = pd.Series({"a": True, "c": True}).reindex(values.index, fill_value=False)
    assert attack(values, table_alone, relations) == {"a", "c"}
    assert set(recoverable(values, table_alone, relations)) == {"a", "c"}
    hidden = linked_suppress(values, support=support, relations=relations, min_n=3)
    assert set(hidden.index[hidden]) == {"a", "b"}
    assert hidden.attrs["primary"].tolist() == [False, True, False, False, False, False]  # P1 a b P2 c d
    assert attack(values, hidden, relations) == set() and recoverable(values, hidden, relations) == []


def test_linked_whole_numbers():
    # a and b rest on one informant each; hiding both leaves a + b = P1 - c = 2, and as a hidden count is
    # at least 1 (zeros are shown), both are 1: a third cell of the process must go.
    values, support, relations = hierarchy(
        {"P1": {"a": (1, 1), "b": (1, 1), "c": (9, 7)}, "P2": {"d": (6, 5), "e": (4, 4)}}
    )
    both = pd.Series({"a": True, "b": True}).reindex(values.index, fill_value=False)
    assert recoverable(values, both, relations, whole=False) == []  # linearly, a and b are protected
    assert set(recoverable(values, both, relations)) == {"a", "b"} == attack(values, both, relations)
    hidden = linked_suppress(values, support=support, relations=relations, min_n=3)
    assert hidden["a"] and hidden["b"] and hidden.sum() >= 3
    assert attack(values, hidden, relations) == set()
    assert not hidden["P1"] and not hidden["P2"]  # process totals are hidden only when nothing else protects


def test_linked_threshold_and_none():
    values, support, relations = hierarchy({"P1": {"a": (3, 2), "b": (8, 5)}, "P2": {"c": (5, 4), "d": (9, 6)}})
    assert not linked_suppress(values, support=support, relations=relations, min_n=2).any()
    assert linked_suppress(values, support=support, relations=relations, min_n=3)["a"]
    assert not linked_suppress(values, support=support, relations=relations, min_n=None).any()
    with pytest.raises(ValueError, match="min_n"):
        linked_suppress(values, support=support, relations=relations, min_n=0)
    with pytest.raises(ValueError, match="no value"):
        linked_suppress(values, support=support, relations=[("P1", ["a", "zz"])], min_n=3)


@st.composite
def pages(draw):
    groups = {}
    for g in range(draw(st.integers(2, 3))):
        codes = {}
        for c in range(draw(st.integers(2, 4))):
            count = draw(st.integers(0, 6))
            informants = draw(st.integers(1, count)) if count else 0
            codes[f"{g}.{c}"] = (count, informants)
        groups[f"P{g}"] = codes
    return groups


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups=pages(), min_n=st.integers(2, 4))
def test_linked_no_hidden_cell_can_be_recovered(groups, min_n):
    values, support, relations = hierarchy(groups)
    hidden = linked_suppress(values, support=support, relations=relations, min_n=min_n)
    primary = (support > 0) & (support < min_n)
    assert hidden[primary].all()  # every small cell is hidden
    assert hidden.attrs["primary"].equals(primary)
    found = attack(values, hidden, relations)
    # either nothing can be worked out, or nothing more could be hidden to prevent it (e.g. a process with
    # one behaviour: its share is the behaviour's), which the function would then have hidden everywhere
    tied = {m for total, members in relations for m in [*members, total] if m is not None and found & {*members, total}}
    assert not found or hidden[list(tied)].all()


def test_suppress_protects_whole_numbers():
    # Counts of people (the table is its own support). Rows S1 and S2 have two people in two small roles
    # each: the 4-cycle of primary cells has no bridge, but each row's hidden cells add up to 2, so all four
    # are 1. More cells must go, and then none can be worked out.
    people = pd.DataFrame({"a": [1, 1, 6], "b": [1, 1, 7], "c": [5, 6, 8]}, index=["S1", "S2", "S3"])
    rows = [(None, [(r, c) for c in people.columns]) for r in people.index]
    cols = [(None, [(r, c) for r in people.index]) for c in people.columns]
    values = people.stack()
    primary_only = ((people > 0) & (people < 3)).stack()
    assert attack(values, primary_only, rows + cols) == set(primary_only.index[primary_only])
    out = suppress(people, min_n=3, support=people)
    hidden = out.attrs["suppressed"].stack()
    assert hidden[primary_only].all() and hidden.sum() > primary_only.sum()
    assert attack(values, hidden, rows + cols) == set()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(support=support_tables(), data=st.data())
def test_whole_number_check_of_suppress_matches_the_attack(support, data):
    # suppress finds the hidden cells that the totals leave a single whole number on a graph (a cycle of
    # hidden cells lets a cell move); the milp attack of this file must find exactly the same cells
    from leadlib.disclosure import _pinned_in_table

    mask = np.array(data.draw(st.lists(st.booleans(), min_size=support.size, max_size=support.size)))
    hidden = mask.reshape(support.shape)
    n_rows, n_cols = support.shape
    rows = [(None, [(r, c) for c in range(n_cols)]) for r in range(n_rows)]
    cols = [(None, [(r, c) for r in range(n_rows)]) for c in range(n_cols)]
    values = support.stack().astype(float)
    found = attack(values, pd.Series(hidden.ravel(), index=values.index), rows + cols)
    pinned = _pinned_in_table(hidden, support.to_numpy(dtype=float))
    assert {(int(r), int(c)) for r, c in zip(*np.nonzero(pinned))} == {(int(r), int(c)) for r, c in found}


def test_site_pattern_on_a_study(small_study):
    from leadlib import compare

    frame = small_study.frame()
    pattern = site_pattern(frame, min_n=3)
    assert site_pattern(frame, min_n=None) is None
    leading = frame[frame["process"].notna()]
    by_code = compare.site_matrix(leading, of="code_id", columns=[c for c in pattern.columns if "." in c])
    small = (by_code.attrs["support"] > 0) & (by_code.attrs["support"] < 3)
    assert pattern[by_code.columns][small].fillna(True).to_numpy().all()
    # the reader's attack on every sum the pattern defends against: processes of each site, the site's
    # passages, the study's totals per process and per behaviour
    counts = pattern.attrs["counts"]
    values = counts.stack()
    hidden = pattern.stack()
    assert attack(values, hidden, pattern.attrs["relations"]) == set()
    # a page showing the sites x behaviours per 1,000 words (notebook 03) hides at least these cells
    rates = compare.site_matrix(leading, of="code_id", unit="per_1000_words", interviews=small_study)
    shown = suppress(rates, min_n=3, pattern=pattern)
    common = [c for c in rates.columns if c in pattern.columns]
    assert (shown.attrs["suppressed"][common] | ~pattern[common]).to_numpy().all()


# ---------------------------------------------------------------------------
# Protection intervals: the reader's interval of a hidden cell, not only "not exactly recoverable"


def test_protection_levels_hand_worked():
    # min_n = 3, share 25%: a primary count of 1 must reach 3 above (max(3, ceil(0.25))) and 0 below (a hidden
    # count is at least 1); 2 -> 3 above, 1 below; 20 -> 5 (ceil(5.0)) both sides; 13 -> 4 (ceil(3.25)) both
    # sides; cells that are not primary need nothing.
    upper, lower = protection_levels([1, 2, 20, 13, 7], [True, True, True, True, False], min_n=3)
    assert upper.tolist() == [3, 3, 5, 4, 0] and lower.tolist() == [0, 1, 5, 4, 0]
    upper, lower = protection_levels([1, 2, 20], [True] * 3, min_n=3, share=0.5, units=1)
    assert upper.tolist() == [1, 1, 10] and lower.tolist() == [0, 1, 10]
    with pytest.raises(ValueError, match="negative"):
        protection_levels([1], [True], min_n=3, share=-0.1)


def test_audit_hand_worked_intervals():
    # P1 = a + b = 9 and P2 = c + d = 14 are shown; a (1 informant) is primary. Hiding a and b leaves a + b = 9
    # with each at least 1: a anywhere in [1, 8], 7 above its value (the rule asks 3), none below (it is 1):
    # protected. Hiding a and c instead: a = P1 - b = 1 exactly, c = P2 - d = 5 exactly: neither is protected.
    values, support, relations = hierarchy({"P1": {"a": (1, 1), "b": (8, 5)}, "P2": {"c": (5, 4), "d": (9, 6)}})
    primary = (support > 0) & (support < 3)
    good = pd.Series({"a": True, "b": True}).reindex(values.index, fill_value=False)
    audit = audit_protection(values, good, relations, primary=primary, min_n=3)
    assert audit.loc[["a", "b"], ["low", "high"]].to_numpy().tolist() == [[1, 8], [1, 8]]
    assert audit.loc["a", "need_above"] == 3 and audit.loc["a", "need_below"] == 0
    assert audit["protected"].all() and audit["primary"].tolist() == [True, False]
    bad = pd.Series({"a": True, "c": True}).reindex(values.index, fill_value=False)
    audit = audit_protection(values, bad, relations, primary=primary, min_n=3)
    assert audit[["low", "high"]].to_numpy().tolist() == [[1, 1], [5, 5]] and not audit["protected"].any()


def test_not_recoverable_is_not_enough():
    # P1 = a + b = 3, a = 1 (primary), b = 2. Hiding a and b: a is 1 or 2, so it cannot be worked out exactly
    # (recoverable finds nothing, nor does the milp attack), but the reader knows it is at most 2: the interval
    # reaches 1 above, where the rule asks 3. linked_suppress hides more (the other process's cells, through
    # the public total), and the audit then finds a's interval reaching at least 3 above.
    values, support, relations = hierarchy({"P1": {"a": (1, 1), "b": (2, 3)}, "P2": {"c": (6, 4), "d": (9, 6)}})
    primary = (support > 0) & (support < 3)
    narrow = pd.Series({"a": True, "b": True}).reindex(values.index, fill_value=False)
    assert recoverable(values, narrow, relations) == [] and attack(values, narrow, relations) == set()
    audit = audit_protection(values, narrow, relations, primary=primary, min_n=3)
    assert audit.loc["a", ["low", "high"]].tolist() == [1, 2] and not audit.loc["a", "protected"]
    hidden = linked_suppress(values, support=support, relations=relations, min_n=3)
    assert hidden.sum() > 2 and hidden.attrs["short"] == {}
    audit = audit_protection(values, hidden, relations, primary=primary, min_n=3)
    assert audit["protected"].all() and audit.loc["a", "high"] >= 4
    assert attack(values, hidden, relations) == set()


def test_rule_capped_by_what_hiding_everything_gives():
    # a and b are 1 each (one informant each), so their process P1 = 2 rests on 2 informants: all three are
    # primary. A reader who sees neither knows each is at least 1, so P1 is at least 2 whatever is hidden: its
    # interval cannot reach below its value, and the rule asks only what hiding everything would give. The
    # pattern lists P1 as short of the full rule below and the audit finds every hidden cell protected.
    values, support, relations = hierarchy(
        {"P1": {"a": (1, 1), "b": (1, 1)}, "P2": {"c": (9, 7), "d": (6, 5)}, "P3": {"e": (8, 6), "f": (7, 5)}}
    )
    primary = (support > 0) & (support < 3)
    assert primary[["a", "b", "P1"]].all() and primary.sum() == 3
    hidden = linked_suppress(values, support=support, relations=relations, min_n=3)
    assert list(hidden.attrs["short"]) == ["P1"] and hidden.attrs["short"]["P1"][1] == 0
    audit = audit_protection(values, hidden, relations, primary=primary, min_n=3)
    assert audit.loc["P1", "need_below"] == 0 and audit.loc["P1", "need_above"] == 3
    assert audit["protected"].all() and attack(values, hidden, relations) == set()


def check_pattern(pattern) -> pd.DataFrame:
    """The audit of a study's pattern, and the milp attack of this file on it; both must find nothing."""
    audit = audit_protection(pattern)
    assert len(audit) == int(pattern.to_numpy().sum())
    assert audit["primary"].sum() == int(pattern.attrs["primary"].to_numpy().sum())
    assert audit["protected"].all(), audit[~audit["protected"]]
    # every primary cell reaches as far as the rule asks, on both sides
    primary = audit[audit["primary"]]
    assert (primary["high"] >= primary["value"] + primary["need_above"] - 1e-7).all()
    assert (primary["low"] <= primary["value"] - primary["need_below"] + 1e-7).all()
    assert (primary["need_above"] >= 3).all()  # the site totals never bind at these sizes: min_n units above
    assert attack(pattern.attrs["counts"].stack(), pattern.stack(), pattern.attrs["relations"]) == set()
    return audit


def test_site_pattern_of_the_bundled_study_is_protected(bundled):
    frame = bundled.frame()
    pattern = site_pattern(frame, min_n=3)
    check_pattern(pattern)
    assert pattern.attrs["protection"] == {"share": 0.25, "units": None}
    # a wider rule is kept with the pattern, and the audit judges the pattern by it
    wider = site_pattern(frame, min_n=3, protection_units=5)
    assert wider.attrs["protection"] == {"share": 0.25, "units": 5}
    assert not audit_protection(pattern, protection_units=5)["protected"].all()  # 3 units is not 5
    audit = audit_protection(wider)
    assert audit["protected"].all() and (audit.loc[audit["primary"], "need_above"] >= 5).all()


@pytest.mark.parametrize("n_sites", [20, 30, 40])
def test_site_pattern_of_simulated_studies_is_protected(n_sites):
    import leadlib

    frame = leadlib.simulate_study(n_sites=n_sites, seed=2003 + n_sites).frame()
    pattern = site_pattern(frame, min_n=3)
    check_pattern(pattern)
    # the old greedy pattern hid 41% of the cells at 40 sites; protection intervals cost far less
    assert pattern.to_numpy().mean() < 0.3


def test_styled_marks_hidden_cells_with_a_footnote():
    table = pd.DataFrame({"a": [1, 5, 6], "b": [5, 5, 7]}, index=["S1", "S2", "S3"])
    out = suppress(table, min_n=3, support=table)
    page = styled(out).to_html()
    hidden = int(out.attrs["suppressed"].to_numpy().sum())
    assert hidden >= 2 and page.count(f">{HIDDEN_MARK}<") == hidden  # every hidden cell, and only they
    assert "&lt;NA&gt;" not in page and ">nan<" not in page.lower()
    assert "fewer than 3 informants" in page and "caption" in page
    assert hidden_note(out).startswith(HIDDEN_MARK)
    # nothing hidden: no marker, no footnote
    plain = styled(suppress(table, min_n=1, support=table)).to_html()
    assert HIDDEN_MARK not in plain and "<caption" not in plain
    # a value missing for another reason stays blank, not marked
    missing = table.astype(float).assign(c=[np.nan, 1.0, 2.0])
    assert f">{HIDDEN_MARK}<" not in styled(missing).to_html()


# ---------------------------------------------------------------------------
# Quotes


@pytest.fixture
def quotes_frame():
    informants = pd.DataFrame(
        {
            "informant_id": ["A1", "A2", "A3", "B1", "B2"],
            "site_id": ["A", "A", "A", "B", "B"],
            "role": ["nurse", "nurse", "medical_director", "nurse", "clerical"],
        }
    )
    frame = pd.DataFrame(
        {
            "segment_id": ["s1", "s2", "s3", "s4"],
            "informant_id": ["A1", "A3", "B1", "A2"],
            "site_id": ["A", "A", "B", "A"],
            "role": ["nurse", "medical_director", "nurse", "nurse"],
            "code_id": ["BK.x"] * 4,
            "process": ["building_knowledge"] * 4,
            "text": ["We talk every morning.", "I set the budget.", "We look at the board.", "We ask patients."],
        }
    )
    return frame, informants


def test_role_withheld_when_fewer_than_two_hold_it(quotes_frame):
    frame, informants = quotes_frame
    roles = quote_roles(frame, informants=informants)
    # site A has two nurses and one medical director; site B one nurse
    assert roles.tolist() == ["Nurse", WITHHELD_ROLE, WITHHELD_ROLE, "Nurse"]


def test_roles_counted_over_all_informants_not_only_quoted(quotes_frame):
    frame, informants = quotes_frame
    more = pd.concat([informants, pd.DataFrame({"informant_id": ["B3"], "site_id": ["B"], "role": ["nurse"]})])
    assert quote_roles(frame, informants=more).iloc[2] == "Nurse"
    # without the informants table only quoted people count: site B's nurse stays withheld
    assert quote_roles(frame).iloc[2] == WITHHELD_ROLE


def test_prepare_quotes(quotes_frame):
    frame, informants = quotes_frame
    shown = prepare_quotes(frame, informants=informants)
    assert "informant_id" not in shown.columns and "role" not in shown.columns
    assert shown["role_shown"].tolist()[1] == WITHHELD_ROLE
    none = prepare_quotes(frame, informants=informants, show_quotes=False)
    assert len(none) == 0


def test_withheld_label_matches_compare():
    from leadlib import compare

    assert compare.ROLE_WITHHELD == WITHHELD_ROLE


def test_leaked_quotes_finds_clipped_and_escaped_text():
    texts = [
        "We sit down every Friday and go over the falls chart with the whole team, then decide.",
        "Our manager hires for attitude first and trains for skill later on in the year.",
    ]
    grams = quote_ngrams(texts)
    clipped = "<td>We sit down every Friday and go over the falls …</td>"
    assert leaked_quotes(clipped, grams=grams) == [0]
    escaped = "<p>&quot;Our manager hires for attitude first and trains for skill later&quot;</p>"
    assert leaked_quotes(escaped, grams=grams) == [1]
    assert leaked_quotes("A report about hiring, attitude and Friday meetings of the team.", grams=grams) == []
    # seven words in a row are not enough to call it a quote
    assert leaked_quotes("we sit down every friday and go", texts) == []


def test_compare_quotes_follow_the_same_role_rule(small_study):
    # leadlib.compare applies the role rule in its own code; both must give every quote the same label.
    from leadlib import compare

    frame = small_study.frame()
    one_site = frame[frame["site_id"] == frame["site_id"].iloc[0]]
    theirs = compare.quotes(one_site, n=None, informants=small_study)["role"].tolist()
    ours = quote_roles(one_site, informants=small_study.informants).tolist()
    assert theirs == ours
    assert WITHHELD_ROLE in ours and any(r != WITHHELD_ROLE for r in ours)


# ---------------------------------------------------------------------------
# The same decisions, carried to notes, figures, meta-matrices and groups of sites


def hand_worked():
    """The table of test_hand_worked_table: with min_n=2, (S1, a), (S1, c), (S2, a), (S2, c) are hidden."""
    support = pd.DataFrame({"a": [5, 1, 7], "b": [4, 6, 8], "c": [9, 2, 3]}, index=["S1", "S2", "S3"])
    return support * 10, support


def test_hidden_note_blank_and_from_a_mask():
    counts, support = hand_worked()
    out = suppress(counts, min_n=2, support=support)
    note = hidden_note(out)
    assert note.startswith(f"{HIDDEN_MARK} hidden: resting on fewer than 2 informants")
    # blank=True: the words the notebooks printed under a heatmap, by replacing the marker
    assert hidden_note(out, blank=True) == note.replace(f"{HIDDEN_MARK} hidden", "Blank cells are hidden")
    assert hidden_note(out, blank=True).startswith("Blank cells are hidden: resting on fewer than 2 informants")
    # nothing hidden: no note, blank or not
    assert hidden_note(suppress(counts, min_n=1, support=support), blank=True) == ""
    # from a mask of hidden cells (no table): a note only when one is hidden and a threshold is known
    mask = out.attrs["suppressed"]
    assert hidden_note(suppressed=mask, min_n=2, marker="suppressed").startswith("suppressed hidden: ")
    assert hidden_note(suppressed=mask & False, min_n=2) == ""
    assert hidden_note(suppressed=None, min_n=None) == ""
    assert hidden_note(min_n=2) == note  # unchanged: no table, no mask, a threshold


def test_hidden_sites():
    counts, support = hand_worked()
    assert hidden_sites(suppress(counts, min_n=2, support=support)) == ["S1", "S2"]
    assert hidden_sites(suppress(counts, min_n=None, support=support)) == []  # nothing suppressed
    assert hidden_sites(suppress(counts, min_n=1, support=support)) == []
    # a Series (one column): the rows hidden in it
    one = pd.Series([1, 5, 6], index=["S1", "S2", "S3"], name="a")
    shown = suppress(one, min_n=2, support=pd.Series([1, 5, 6], index=one.index))
    assert hidden_sites(shown) == list(one.index[shown.attrs["suppressed"].to_numpy()])
    assert "S1" in hidden_sites(shown) and "S3" not in hidden_sites(shown)
    # a value missing for another reason does not make a site hidden
    gap = counts.astype(float)
    gap.loc["S3", "b"] = np.nan
    assert hidden_sites(suppress(gap, min_n=2, support=support)) == ["S1", "S2"]


def test_hidden_meta_cells():
    counts, support = hand_worked()
    matrix = counts.map(lambda n: MetaCell(count=float(n)))
    matrix.attrs = {"support": support}
    hidden = hidden_meta_cells(matrix, min_n=2)
    expected = pd.DataFrame(
        {"a": [True, True, False], "b": [False] * 3, "c": [True, True, False]}, index=["S1", "S2", "S3"]
    )
    pd.testing.assert_frame_equal(hidden, expected)
    assert hidden_meta_cells(matrix, min_n=None) is None
    # a study-wide pattern hides its cells too
    pattern = pd.DataFrame({"b": [False, False, True]}, index=["S1", "S2", "S3"])
    assert bool(hidden_meta_cells(matrix, min_n=2, pattern=pattern).loc["S3", "b"])
    assert matrix.attrs == {"support": support}  # the matrix is not changed


def test_hide_group_values():
    groups = pd.Series([1, 1, 2, 2], index=["S1", "S2", "S3", "S4"])
    summary = pd.DataFrame({"x": [0.1, 0.2], "y": [0.3, 0.4]}, index=[1, 2])
    # S2's x is hidden: group 1's x goes; S4's y too: group 2's y; "z" is not in the summary
    pattern = pd.DataFrame(
        {"x": [False, True, False, False], "y": [False, False, False, True], "z": [True] * 4},
        index=["S1", "S2", "S3", "S4"],
    )
    out = hide_group_values(summary, groups=groups, pattern=pattern)
    assert out.isna().to_numpy().tolist() == [[True, False], [False, True]]
    assert out.loc[2, "x"] == 0.2 and out.loc[1, "y"] == 0.3
    assert summary.notna().all().all()  # the input is not changed
    assert hide_group_values(summary, groups=groups, pattern=None) is summary
    # sites or columns the pattern does not know hide nothing
    partial = pattern.loc[["S1", "S3"], ["x"]]
    assert hide_group_values(summary, groups=groups, pattern=partial).notna().all().all()


def test_left_out_note():
    assert left_out_note("Roles at each site", min_n=None) == ""
    assert left_out_note("Roles at each site", min_n=3) == "Roles at each site: left out of this version (min_n = 3)."
    assert (
        left_out_note("Clustered heatmap", min_n=3, why="it would show cells the tables suppress")
        == "Clustered heatmap left out: with min_n = 3 it would show cells the tables suppress."
    )


def test_shown_quotes(small_study):
    from leadlib import compare

    frame = small_study.frame()
    where = {"site_id": frame["site_id"].iloc[0]}
    assert shown_quotes(frame, show_quotes=False, where=where, n=3, informants=small_study) is None
    chosen = shown_quotes(frame, show_quotes=True, where=where, n=3, seed=5, informants=small_study)
    pd.testing.assert_frame_equal(chosen, compare.quotes(frame, where=where, n=3, seed=5, informants=small_study))
    assert len(chosen) == 3 and set(chosen["site_id"]) == {where["site_id"]}
    assert "show_quotes = False" in QUOTES_LEFT_OUT


def test_site_pattern_takes_the_site_column_as_by(small_study):
    """site= was renamed by= (docs/api.md): a frame whose sites are in another column gives the same pattern."""
    frame = small_study.frame()
    pattern = site_pattern(frame, min_n=3)
    renamed = frame.rename(columns={"site_id": "unit"})
    assert site_pattern(renamed, min_n=3, by="unit").to_numpy().tolist() == pattern.to_numpy().tolist()
    with pytest.warns(DeprecationWarning, match="by="):
        old = site_pattern(renamed, min_n=3, site="unit")
    assert old.to_numpy().tolist() == pattern.to_numpy().tolist()
