"""leadlib.feedback: the site feedback report's analysis, on small frames whose answers are worked out by hand."""

from __future__ import annotations

import html
import inspect
import re
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from leadlib import compare, feedback, report, schema
from leadlib.disclosure import HIDDEN_MARK
from leadlib.errors import LeadlibDataError

# Five sites, two behaviours of two processes; each passage by its own informant.
#   S1: BK.a 3, TA.b 1 -> shares 0.75, 0.25
#   S2, S3, S5: 2, 2   -> 0.50, 0.50
#   S4: BK.a 1, TA.b 3 -> 0.25, 0.75
# Peers of S1, BK.a: [0.5, 0.5, 0.25, 0.5]: q1 0.4375, median 0.5, q3 0.5 -> S1 (0.75) above;
# TA.b: [0.5, 0.5, 0.75, 0.5]: q1 0.5 -> S1 (0.25) below.
COUNTS = {"S1": (3, 1), "S2": (2, 2), "S3": (2, 2), "S4": (1, 3), "S5": (2, 2)}
PROCESS = {"BK.a": "building_knowledge", "TA.b": "taking_action"}
LABEL = {"BK.a": "Learning the unit", "TA.b": "Redesigning the work"}


def hand_frame() -> pd.DataFrame:
    rows = []
    for site, (bk, ta) in COUNTS.items():
        for code, n in (("BK.a", bk), ("TA.b", ta)):
            for i in range(n):
                rows.append(
                    {
                        "site_id": site,
                        "code_id": code,
                        "code_label": LABEL[code],
                        "process": PROCESS[code],
                        "informant_id": f"{site}-{code}-{i}",
                        "segment_id": f"{site}-{code}-{i}",
                    }
                )
    return pd.DataFrame(rows)


@pytest.fixture
def frame() -> pd.DataFrame:
    return hand_frame()


# ---------------------------------------------------------------------------
# Bands in words


def test_band_phrase_of_each_band_and_of_a_hidden_value():
    assert [feedback.band_phrase(b) for b in compare.BANDS] == [
        "below the other sites' 25th percentile",
        "in the middle half of the other sites",
        "above the other sites' 75th percentile",
    ]
    assert feedback.band_phrase(None) == "" and feedback.band_phrase(float("nan")) == ""
    assert feedback.band_phrase("Above the peers") == "above the other sites' 75th percentile"  # by its first word
    assert feedback.band_phrase("sideways") == "sideways"  # no phrase: the band itself


# ---------------------------------------------------------------------------
# The site against its peers


def test_peer_comparison_values_bands_and_labels(frame):
    table = feedback.peer_comparison(frame, "S1", of="code_id", min_n=None)
    assert table["code_id"].tolist() == ["BK.a", "TA.b"]
    assert table["label"].tolist() == ["Learning the unit", "Redesigning the work"]
    assert table["site_value"].tolist() == pytest.approx([0.75, 0.25])
    assert table["peer_median"].tolist() == pytest.approx([0.5, 0.5])
    assert table["peer_q1"].tolist() == pytest.approx([0.4375, 0.5])
    assert table["peer_q3"].tolist() == pytest.approx([0.5, 0.5625])
    assert table["band"].astype(str).tolist() == [compare.BANDS[2], compare.BANDS[0]]
    assert not table["hidden"].any()
    assert table.attrs["min_n"] is None and table.attrs["linked"] is True
    # the processes: shares of the same passages, so each is its one behaviour's share
    processes = feedback.peer_comparison(frame, "S1", of="process", min_n=None).set_index("process")
    assert processes.loc["building_knowledge", "site_value"] == pytest.approx(0.75)
    assert processes.attrs["linked"] is True


def test_peer_comparison_hides_a_value_resting_on_too_few_informants(frame):
    # S1's TA.b rests on one informant; its BK.a share is 1 - TA.b's, so it is hidden too
    table = feedback.peer_comparison(frame, "S1", of="code_id", min_n=2).set_index("code_id")
    assert table.loc["TA.b", "hidden"] and np.isnan(table.loc["TA.b", "site_value"])
    assert pd.isna(table.loc["TA.b", "band"])
    assert table["hidden"].sum() != 1
    # the peers' summaries stay: they describe other, unnamed sites
    assert table.loc["TA.b", "peer_median"] == pytest.approx(0.5)
    # one study-wide pattern: the study's total of TA.b (shown on the study pages) must not give S1's away,
    # so TA.b is hidden at another site too
    hidden_ta = [
        bool(feedback.peer_comparison(frame, s, of="code_id", min_n=2).set_index("code_id").loc["TA.b", "hidden"])
        for s in COUNTS
    ]
    assert hidden_ta[0] and sum(hidden_ta) >= 2
    # every value rests on at least one informant: nothing hidden at min_n = 1
    assert not any(feedback.peer_comparison(frame, s, of="code_id", min_n=1)["hidden"].any() for s in COUNTS)


def test_peer_comparison_not_linked_is_protected_on_its_own(frame):
    # counted in informants, the values are not shares of one total: suppress() protects the table alone
    table = feedback.peer_comparison(frame, "S1", of="code_id", unit="informants", normalize=None, min_n=2)
    assert table.attrs["linked"] is False
    assert table.set_index("code_id").loc["TA.b", "hidden"]


def test_peer_comparison_defaults_are_site_vs_peers_defaults():
    ours = inspect.signature(inspect.unwrap(feedback.peer_comparison)).parameters
    theirs = inspect.signature(inspect.unwrap(compare.site_vs_peers)).parameters
    for name in ("by", "of", "unit", "normalize", "interviews", "behaviours"):
        assert ours[name].kind is inspect.Parameter.KEYWORD_ONLY
        assert ours[name].default == theirs[name].default, name
    assert ours["min_n"].default is inspect.Parameter.empty  # the threshold is always said


def test_peer_comparison_old_site_keyword_still_works(frame):
    with pytest.warns(DeprecationWarning, match="by="):
        old = feedback.peer_comparison(frame, "S1", site="site_id", min_n=None)
    pd.testing.assert_frame_equal(old, feedback.peer_comparison(frame, "S1", by="site_id", min_n=None))


def test_peer_table_for_reading(frame):
    shown = feedback.peer_table(feedback.peer_comparison(frame, "S1", of="code_id", min_n=None)).data
    assert shown.index.tolist() == ["Learning the unit", "Redesigning the work"]
    assert shown.loc["Learning the unit"].tolist() == [
        "75%",
        "above the other sites' 75th percentile",
        "50%",
        "44% to 50%",
        "25% to 50%",
    ]
    styler = feedback.peer_table(feedback.peer_comparison(frame, "S1", of="code_id", min_n=2))
    assert styler.data.loc["Redesigning the work", "Your site"] == HIDDEN_MARK
    assert styler.data.loc["Redesigning the work", "Where it falls"] == HIDDEN_MARK
    assert "fewer than 2 informants" in styler.caption


# ---------------------------------------------------------------------------
# Statements


def test_feedback_statements_strengths_first_with_what_it_looks_like(frame):
    comparison = feedback.peer_comparison(frame, "S1", of="code_id", min_n=None)
    statements = feedback.feedback_statements(comparison, definitions={"BK.a": "Walking the floor."})
    assert statements.columns.tolist() == ["kind", "behaviour", "label", "statement"]
    assert statements["kind"].tolist() == ["strength", "opportunity"]
    assert statements["behaviour"].tolist() == ["BK.a", "TA.b"]
    assert statements["statement"].iloc[0] == (
        "Learning the unit: a larger part of the leading your informants described than at three quarters of the "
        "other sites. What it looks like: Walking the floor. Keep it going, and write down how you do it so that "
        "new leaders can learn it."
    )
    assert (
        statements["statement"]
        .iloc[1]
        .startswith(
            "Redesigning the work: a smaller part of the leading your informants described than at three quarters "
            "of the other sites. One thing to try:"
        )
    )


def test_feedback_statements_leave_out_the_middle_and_hidden_values():
    comparison = pd.DataFrame(
        {
            "code_id": ["a", "b", "c", "d"],
            "label": ["A", "B", "C", "D"],
            "band": [compare.BANDS[1], None, compare.BANDS[0], compare.BANDS[2]],
        }
    )
    comparison.attrs["of"] = "code_id"
    statements = feedback.feedback_statements(comparison)
    assert statements["behaviour"].tolist() == ["d", "c"]  # strengths first, then opportunities
    assert feedback.feedback_statements(comparison.iloc[:2])["kind"].tolist() == []


def test_statements_markdown():
    statements = pd.DataFrame({"kind": ["strength", "opportunity"], "statement": ["X: more.", "Y: less."]})
    assert feedback.statements_markdown(statements) == "- **Strength.** X: more.\n- **Opportunity.** Y: less."
    assert feedback.statements_markdown(statements.iloc[:0]) == (
        "No behaviour falls outside the middle half of the other sites."
    )


# ---------------------------------------------------------------------------
# The site and the report's own words


def hand_study(frame: pd.DataFrame) -> SimpleNamespace:
    sites = pd.DataFrame({"site_id": list(COUNTS), "name": [f"Unit {s}" for s in COUNTS], "setting": "icu_nicu"})
    sites.loc[1, "setting"] = None
    informants = pd.DataFrame(
        {
            "informant_id": ["p1", "p2", "p3", "p4"],
            "site_id": ["S1", "S1", "S1", "S2"],
            "leader_type": ["formal", "staff", "informal", "formal"],
        }
    )
    interviews = pd.DataFrame({"interview_id": ["v1", "v2", "v3"], "site_id": ["S1", "S1", "S2"]})
    codebook = pd.DataFrame({"code_id": ["BK", "BK.a", "TA.b"], "definition": ["Knowing.", "Walking the floor.", None]})
    code_table = codebook.assign(process=["building_knowledge", "building_knowledge", "taking_action"], depth=[1, 2, 2])
    return SimpleNamespace(
        sites=sites,
        informants=informants,
        interviews=interviews,
        codebook=codebook,
        code_table=lambda: code_table,
        frame=lambda: frame,
        synthetic=True,
        name="Hand-made study",
    )


def test_site_overview_counts_the_site(frame):
    study = hand_study(frame)
    site = feedback.site_overview(study, "S1")
    assert site == {
        "site_id": "S1",
        "name": "Unit S1",
        "setting": schema.label("icu_nicu"),
        "informants": 3,
        "leaders": 2,
        "interviews": 2,
        "segments": 4,
        "leading_segments": 4,
        "peers": 4,
        "synthetic": True,
    }
    assert site["setting"] != "icu_nicu"  # the setting's label, not its code
    assert feedback.site_overview(study, "S2")["setting"] == "not recorded"
    with pytest.raises(LeadlibDataError, match="no site 'S9'"):
        feedback.site_overview(study, "S9")


def test_behaviour_codes_and_definitions(frame):
    study = hand_study(frame)
    assert feedback.behaviour_codes(study) == ["BK.a", "TA.b"]  # depth 2 under a process
    assert feedback.code_definitions(study)["BK.a"] == "Walking the floor."


def test_site_summary_and_report_settings(frame):
    site = feedback.site_overview(hand_study(frame), "S1")
    assert feedback.site_summary(site) == (
        f"**Unit S1** (S1, {site['setting']}): 3 people interviewed, 2 of them formal or informal leaders; "
        "4 passages about leading coded in 2 interviews. Compared with the other 4 sites of the study."
    )
    assert feedback.report_settings(site, min_n=3, show_quotes=False, study_name="Hand-made study") == (
        "This report: site S1; threshold 3 informants; quotes left out; 4 other sites; "
        "data: SYNTHETIC, Hand-made study."
    )
    assert "threshold none informants; quotes shown" in feedback.report_settings(
        {**site, "synthetic": False}, min_n=None, show_quotes=True, study_name="x"
    )


def test_report_keeps_the_old_names():
    for name in ("band_phrase", "peer_comparison", "peer_table", "feedback_statements", "site_overview"):
        assert getattr(report, name) is getattr(feedback, name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from leadlib.report import quotes_html  # noqa: F401


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![t](http://evil.example/track.png)",
    "http://evil.example/track.png and www.evil.example and evil@evil.example",
    '"><svg onload=alert(1)>',
    "# heading\n- list\n1. one\n> quote",
    "*em* _em_ `code` ~~del~~ | a | b | $x^2$ &lt; &amp; \\",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_markdown_renders_as_the_text_and_nothing_else(text):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    page = markdown2html_mistune(f"Before {feedback.escape_markdown(text)} after")
    # one paragraph of text: no element but <p>, and the text as typed (line breaks as spaces)
    assert re.findall(r"<(\w+)", page) == ["p"]
    assert html.unescape(re.sub(r"</?p>", "", page)).strip() == "Before " + re.sub(r"\n", " ", text) + " after"


def test_escape_markdown_leaves_plain_text_alone():
    assert feedback.escape_markdown("Watching measures: what it looks like, 1,000 passages (a site's).") == (
        "Watching measures: what it looks like, 1,000 passages (a site's)."
    )


def test_site_texts_escape_names_from_data(frame):
    site = {**feedback.site_overview(hand_study(frame), "S1"), "name": "<b>Unit</b> [x](javascript:alert(1))"}
    summary = feedback.site_summary(site)
    assert summary.startswith("**\\<b\\>Unit\\</b\\> \\[x\\](javascript:alert(1))** (S1, ")
    closing = feedback.report_settings(site, min_n=3, show_quotes=True, study_name="<i>S</i>")
    assert closing.endswith("data: SYNTHETIC, \\<i\\>S\\</i\\>.")
    statements = pd.DataFrame({"kind": ["strength"], "statement": ["<img src=x onerror=alert(1)>: more."]})
    assert feedback.statements_markdown(statements) == "- **Strength.** \\<img src=x onerror=alert(1)\\>: more."


def test_peer_table_escapes_labels_and_values(frame):
    comparison = feedback.peer_comparison(frame, "S1", of="code_id", min_n=2)
    comparison["label"] = "<script>alert(1)</script>"
    page = feedback.peer_table(comparison).to_html()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
