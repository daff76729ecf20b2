"""Reading coder agreement: the agreement table with labels, and the pairs of codes two coders exchanged."""

from __future__ import annotations

import pandas as pd
import pytest

from leadlib.errors import LeadlibDataError
from leadlib.stats.reliability import agreement_with_labels, code_exchanges


def confusion() -> pd.DataFrame:
    # rows: the primary coder's code; columns: the second coder's
    labels = ["a", "b", "c", "d", "(none)"]
    table = pd.DataFrame(
        [
            [5, 2, 0, 1, 1],  # a given b twice, d once
            [3, 4, 1, 0, 0],  # b given a 3 times, c once
            [0, 0, 6, 0, 2],
            [0, 0, 0, 3, 0],
            [1, 0, 1, 0, 0],  # misses, not exchanges
        ],
        index=pd.Index(labels, name="first coder"),
        columns=pd.Index(labels, name="second coder"),
    )
    table.attrs["codes"] = ["a", "b", "c", "d"]
    return table


def test_code_exchanges_hand_worked():
    out = code_exchanges(confusion())
    # (a, b): 2 + 3; then the ties of 1 in the table's order: (a, d) before (b, c); (a, c), (b, d)... are 0
    assert out[["code_a", "code_b"]].to_numpy().tolist() == [["a", "b"], ["a", "d"], ["b", "c"]]
    assert out["primary a, second b"].tolist() == [2, 1, 1]
    assert out["primary b, second a"].tolist() == [3, 0, 0]
    assert out["exchanged"].tolist() == [5, 1, 1]
    assert list(out.index) == [0, 1, 2]
    assert "(none)" not in set(out["code_a"]) | set(out["code_b"])


def test_code_exchanges_top_labels_and_no_attrs():
    top = code_exchanges(confusion(), top=1)
    assert len(top) == 1 and (top.loc[0, "code_a"], top.loc[0, "code_b"]) == ("a", "b")
    named = code_exchanges(confusion(), top=2, labels={"a": "Alpha", "b": "Beta", "c": "Gamma", "d": "Delta"})
    assert named["code_a"].tolist() == ["Alpha", "Alpha"] and named["code_b"].tolist() == ["Beta", "Delta"]
    # without attrs["codes"], every label but none_label is a code
    bare = confusion()
    bare.attrs = {}
    pd.testing.assert_frame_equal(code_exchanges(bare), code_exchanges(confusion()))
    assert len(code_exchanges(confusion(), top=None)) == 3


def test_agreement_with_labels():
    table = pd.DataFrame({"code_id": ["x", "y", "(all)"], "n_units": [10, 10, 20], "kappa": [0.5, 0.7, 0.6]})
    out = agreement_with_labels(table, labels={"x": "Ex", "y": "Why"})
    assert list(out.columns) == ["code", "n_units", "kappa"]
    assert out.index.name == "code_id" and list(out.index) == ["x", "y", "(all)"]
    assert out["code"].tolist() == ["Ex", "Why", "(all codes pooled)"]
    assert out.loc["y", "kappa"] == 0.7
    assert "code" not in table.columns  # the input is not changed
    assert agreement_with_labels(table, labels=pd.Series({"x": "Ex"}), pooled="all")["code"].tolist() == [
        "Ex",
        "all",
        "all",
    ]
    with pytest.raises(LeadlibDataError):
        agreement_with_labels(table.drop(columns="code_id"), labels={})
