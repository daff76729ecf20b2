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
    # one header row: the labels' heading sits in its corner, no empty row of index names under it
    page = feedback.peer_table(
        feedback.peer_comparison(frame, "S1", of="code_id", min_n=None), heading="Process"
    ).to_html()
    head = re.search(r"<thead>(.*?)</thead>", page, flags=re.S).group(1)
    assert head.count("<tr>") == 1 and re.search(r"<th [^>]*>Process</th>", head)
    assert "Median of the 4 other sites" in head
    styler = feedback.peer_table(feedback.peer_comparison(frame, "S1", of="code_id", min_n=2))
    assert styler.data.loc["Redesigning the work", "Your site"] == HIDDEN_MARK
    assert styler.data.loc["Redesigning the work", "Where it falls"] == HIDDEN_MARK
    assert "fewer than 2 informants" in styler.caption


# ---------------------------------------------------------------------------
# Statements


def test_feedback_statements_larger_shares_first_with_peers_and_what_it_looks_like(frame):
    comparison = feedback.peer_comparison(frame, "S1", of="code_id", min_n=None)
    # S1's BK.a (0.75) is above all other sites' (0.5, 0.5, 0.25, 0.5); its TA.b (0.25) below all (0.5, 0.5, 0.75, 0.5)
    assert comparison["peers_lower"].tolist() == [4, 0] and comparison["peers_higher"].tolist() == [0, 4]
    statements = feedback.feedback_statements(comparison, definitions={"BK.a": "Walking the floor."})
    assert statements.columns.tolist() == ["kind", "behaviour", "label", "statement"]
    assert statements["kind"].tolist() == ["stands_out_above", "stands_out_below"]
    assert statements["behaviour"].tolist() == ["BK.a", "TA.b"]
    # peers' middle half of BK.a: 0.4375 to 0.5 -> 44% to 50%; of TA.b: 0.5 to 0.5625 -> 50% to 56%
    assert statements["statement"].tolist() == [
        "Learning the unit: a larger share of the leading your informants described than at all 4 other sites "
        "(other sites' middle half 44% to 50%; yours 75%). What it looks like: Walking the floor.",
        "Redesigning the work: a smaller share of the leading your informants described than at all 4 other sites "
        "(other sites' middle half 50% to 56%; yours 25%).",
    ]


def test_peer_counts_are_hidden_with_the_value(frame):
    table = feedback.peer_comparison(frame, "S1", of="code_id", min_n=2).set_index("code_id")
    assert table.loc["TA.b", "hidden"] and pd.isna(table.loc["TA.b", "peers_higher"])
    assert pd.isna(table.loc["TA.b", "peers_lower"])


def test_feedback_statements_leave_out_the_middle_and_hidden_values():
    comparison = pd.DataFrame(
        {
            "code_id": ["a", "b", "c", "d"],
            "label": ["A", "B", "C", "D"],
            "site_value": [0.5, np.nan, 0.1, 0.9],
            "n_peers": 7,
            "peer_q1": 0.3,
            "peer_q3": 0.6,
            "band": [compare.BANDS[1], None, compare.BANDS[0], compare.BANDS[2]],
        }
    )
    comparison.attrs["of"] = "code_id"
    statements = feedback.feedback_statements(comparison)
    assert statements["behaviour"].tolist() == ["d", "c"]  # larger shares first, then smaller
    # without the counts of peer_comparison, the band's own words
    assert (
        "than at three quarters or more of the 7 other sites (other sites' middle half 30% to 60%; yours 90%)"
        in (statements["statement"].iloc[0])
    )
    assert feedback.feedback_statements(comparison.iloc[:2])["kind"].tolist() == []


def test_statements_markdown():
    statements = pd.DataFrame({"kind": ["stands_out_above", "stands_out_below"], "statement": ["X: more.", "Y: less."]})
    assert feedback.statements_markdown(statements) == (
        "**Where your unit's share is larger than at most other sites:**\n\n- X: more.\n\n"
        "**Where your unit's share is smaller than at most other sites:**\n\n- Y: less."
    )
    assert feedback.statements_markdown(statements.iloc[1:]).startswith("**Where your unit's share is smaller")
    assert feedback.statements_markdown(statements.iloc[:0]) == (
        "No behaviour falls outside the middle half of the other sites."
    )


def test_format_value_is_a_whole_per_cent():
    assert feedback.format_value(0.631579) == "63%"
    assert feedback.format_value(0.005) == "0%" and feedback.format_value(1.0) == "100%"
    assert feedback.format_value(float("nan")) == HIDDEN_MARK and feedback.format_value(None) == HIDDEN_MARK
    assert feedback.format_value(2.5, share=False) == "2.50"


# ---------------------------------------------------------------------------
# Questions for the team and the action page


def test_discussion_questions_by_code_then_process_then_general():
    statements = pd.DataFrame(
        {"behaviour": ["RR.results", "BK.new", "X.other"], "label": ["Reviewing results", "New", "Other"]}
    )
    questions = feedback.discussion_questions(statements, processes={"BK.new": "building_knowledge"})
    by = questions.groupby("behaviour", sort=False)["question"].apply(list)
    assert by["RR.results"] == ["Who sees the unit's results, and when?", "What happened the last time a number moved?"]
    assert by["BK.new"] == list(feedback.DISCUSSION_QUESTIONS["building_knowledge"])
    assert len(by["X.other"]) == 1 and by.index.tolist() == ["RR.results", "BK.new", "X.other"]
    page = feedback.questions_markdown(questions)
    assert page.splitlines()[0] == (
        "- **Reviewing results.** Who sees the unit's results, and when? What happened the last time a number moved?"
    )


def test_candidate_measure_follows_the_behaviour_and_formats_the_baseline():
    measures = pd.DataFrame(
        {
            "site_id": ["S1", "S1", "S1", "S2"],
            "measure": ["staff_turnover_pct", "patient_experience", "cost_index", "clinical_goal_pct"],
            "value": [18.6, 79.3, 0.96, 70.0],
        }
    )
    hiring = feedback.candidate_measure(measures, "S1", behaviours=["TA.hiring"])
    assert hiring == {"measure": "staff_turnover_pct", "label": "staff turnover", "baseline": "19%"}
    # RR's measure (clinical goal) is not recorded at S1: the next behaviour's process picks one
    picked = feedback.candidate_measure(
        measures,
        "S1",
        behaviours=["RR.x", "BK.y"],
        processes={"RR.x": "reviewing_reflecting", "BK.y": "building_knowledge"},
    )
    assert picked["measure"] == "patient_experience" and picked["baseline"] == "79.3"
    assert feedback.candidate_measure(measures, "S9") is None


def _cells(table: str) -> list[list[str]]:
    """The rows of a Markdown table as rendered: the text of each cell."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    page = markdown2html_mistune(table)
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, flags=re.S)
        ]
        for r in rows
    ]


def test_action_plan_has_the_aim_and_one_pdsa_cycle_prefilled():
    statements = pd.DataFrame({"label": ["Debriefing events", "Reviewing results"]})
    measure = {"measure": "clinical_goal_pct", "label": "patients meeting the clinical goal", "baseline": "58%"}
    rows = _cells(feedback.action_plan(statements, measure=measure))
    assert [r[0] for r in rows] == ["Step", "Aim", "Plan", "Do", "Study", "Act"]
    assert all(len(r) == 3 for r in rows)
    aim = rows[1]
    assert aim[1] == feedback.AIM_PATTERN + "."
    assert aim[2] == (
        "By <date>, we will <change> in <process: Debriefing events or Reviewing results>, measured by patients "
        "meeting the clinical goal, from 58% to <target>."
    )
    assert rows[2][1] == feedback.PDSA_PROMPTS["Plan"] and rows[2][2] == ""
    # no behaviour and no measure: the blanks stay blanks
    empty = _cells(feedback.action_plan(statements.iloc[:0]))[1][2]
    assert "measured by <measure>, from <baseline> to <target>" in empty


def test_action_plan_escapes_data():
    hostile = "<script>alert(1)</script> | [x](javascript:alert(1))"
    statements = pd.DataFrame({"label": [hostile]})
    table = feedback.action_plan(statements, measure={"label": "<b>m</b>|", "baseline": "*5*"})
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    page = markdown2html_mistune(table)
    assert "<script>" not in page and "<b>" not in page and "<a " not in page and "<em>" not in page
    rows = _cells(table)
    assert all(len(r) == 3 for r in rows)  # the | in the data does not make a column
    assert hostile in rows[1][2] and "measured by <b>m</b>|, from *5* to <target>" in rows[1][2]


# ---------------------------------------------------------------------------
# No grades, whole per cents, the peers' number: every site of the bundled study

GRADE_WORDS = re.compile(
    r"(?i)\b(strengths?|opportunit\w*|weakness\w*|good|poor\w*|best|worst|better|worse|excellent|rank\w*|top|"
    r"bottom|highest|lowest|keep it going|\d+(?:st|nd|rd|th)\b(?!(?: to \d+th)? percentile))\b"
)  # an ordinal is a rank, except a percentile's


@pytest.fixture(scope="module")
def bundled_pages():
    """Every site's statements, questions and action page, made with the library as the site report makes them."""
    import leadlib

    study = leadlib.load_study()
    frame = study.frame()
    codes, definitions, processes = (
        feedback.behaviour_codes(study),
        feedback.code_definitions(study),
        feedback.code_processes(study),
    )
    pages = {}
    for site_id in study.sites["site_id"].astype(str):
        site = feedback.site_overview(study, site_id, frame=frame)
        comparison = feedback.peer_comparison(frame, site_id, of="code_id", behaviours=codes, min_n=3)
        statements = feedback.feedback_statements(comparison, definitions=definitions)
        questions = feedback.discussion_questions(statements, processes=processes)
        measure = feedback.candidate_measure(
            study.measures, site_id, behaviours=list(statements["behaviour"]), processes=processes
        )
        pages[site_id] = SimpleNamespace(
            comparison=comparison,
            statements=statements,
            questions=questions,
            text="\n".join(
                [
                    feedback.site_summary(site),
                    feedback.data_notice(site),
                    feedback.statements_markdown(statements),
                    feedback.questions_markdown(questions),
                    feedback.action_plan(statements, measure=measure),
                    feedback.report_settings(site, min_n=3, show_quotes=True, study_name=study.name),
                    re.sub(r"(?s)<style.*?</style>", "", feedback.peer_table(comparison).to_html()),  # as read
                ]
            ),
        )
    return pages


def test_no_grade_words_anywhere(bundled_pages):
    assert sum(len(p.statements) for p in bundled_pages.values()) > 20  # the study has sites that differ
    for site_id, page in bundled_pages.items():
        assert not GRADE_WORDS.search(page.text), (site_id, GRADE_WORDS.search(page.text))


def test_no_grade_or_developer_words_in_the_report_notebook():
    import json

    from leadlib.paths import NOTEBOOKS_DIR

    cells = json.loads((NOTEBOOKS_DIR / "site-report.ipynb").read_text(encoding="utf-8"))["cells"]
    shown = [
        "".join(c["source"])
        for c in cells
        if c["cell_type"] == "markdown" and "report-remove" not in c["metadata"].get("tags", [])
    ]
    text = "\n".join(shown)
    assert "Where your unit stands out" in text and "Questions for your team" in text
    assert not GRADE_WORDS.search(text), GRADE_WORDS.search(text)
    assert not re.search(r"(?i)`|leadlib|notebook|parameter|seeded|kernel", text)
    # the synthetic notice is said once in the rendered page: the library's data_notice, not a markdown cell
    assert not re.search(r"(?i)synthetic", text)


def test_every_percentage_is_whole_and_no_raw_proportion(bundled_pages):
    for site_id, page in bundled_pages.items():
        text = re.sub(r"<[^>]+>", " ", page.text)
        per_cents = re.findall(r"\d[\d.,]*%", text)
        assert per_cents and all(re.fullmatch(r"\d{1,3}%", p) for p in per_cents), site_id
        assert not re.search(r"\b0\.\d+", text), (site_id, re.search(r"\b0\.\d+.{0,40}", text))


def test_every_statement_says_from_how_many_of_how_many_peers(bundled_pages):
    for page in bundled_pages.values():
        n = int(page.comparison["n_peers"].iloc[0])
        rows = page.comparison.set_index("code_id")
        for _, s in page.statements.iterrows():
            count = rows.loc[s["behaviour"], "peers_lower" if s["kind"] == "stands_out_above" else "peers_higher"]
            said = f"all {n} other sites" if count == n else f"{count} of the {n} other sites"
            assert said in s["statement"] and count >= 0.75 * n - 1, s["statement"]


def test_questions_for_each_behaviour_that_differs(bundled_pages):
    for page in bundled_pages.values():
        asked = page.questions.groupby("behaviour")["question"].size()
        assert set(asked.index) == set(page.statements["behaviour"])
        assert asked.between(1, 2).all()
        # each from the table of its own code (every behaviour of the bundled study has questions of its own)
        for behaviour, question in zip(page.questions["behaviour"], page.questions["question"]):
            assert question in feedback.DISCUSSION_QUESTIONS[behaviour]


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
        "This report: site S1; threshold 3 informants; quotes left out; 4 other sites; data: Hand-made study."
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
    assert closing.endswith("data: \\<i\\>S\\</i\\>.")
    statements = pd.DataFrame({"kind": ["stands_out_above"], "statement": ["<img src=x onerror=alert(1)>: more."]})
    assert feedback.statements_markdown(statements).endswith("\n\n- \\<img src=x onerror=alert(1)\\>: more.")


def test_peer_table_escapes_labels_and_values(frame):
    comparison = feedback.peer_comparison(frame, "S1", of="code_id", min_n=2)
    comparison["label"] = "<script>alert(1)</script>"
    page = feedback.peer_table(comparison).to_html()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
