"""leadlib.explorer: what the explorer shows for given choices, and its widget callbacks, without a browser.

The values are checked against counts made here by hand from the tidy tables; the callbacks are run by setting
the controls' values, as a click in JupyterLab does.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from leadlib import LeadlibDataError, compare, explorer, schema


@pytest.fixture(scope="module")
def frame(small_study):
    return small_study.frame()


def _interview_share_by_hand(study, code: str, sites) -> pd.Series:
    seg = study.segments[study.segments["primary"]]
    mentioned = seg.loc[seg["code_id"] == code, "interview_id"].unique()
    interviews = study.interviews[study.interviews["site_id"].isin(sites)]
    return interviews.assign(m=interviews["interview_id"].isin(mentioned)).groupby("site_id")["m"].mean()


def test_matrix_counts_the_chosen_sites_in_the_chosen_unit(small_study):
    sites = ["S02", "S04", "S05"]
    view = explorer.explore(small_study, sites=sites, site_id="S04", behaviour="BK.measures", unit="interviews")
    expected = _interview_share_by_hand(small_study, "BK.measures", sites)
    pd.testing.assert_series_equal(
        view.matrix["BK.measures"].astype(float), expected.astype(float), check_names=False, check_index_type=False
    )
    assert list(view.matrix.index) == sites
    # the behaviour's siblings: the applied codes of its process, in codebook order
    book = small_study.codebook
    siblings = [c for c in book.loc[book["parent"] == "BK", "code_id"] if c in set(small_study.segments["code_id"])]
    assert list(view.columns) == siblings == list(view.matrix.columns)
    assert view.process == "building_knowledge" and view.of == "code_id"


def test_per_1000_words_is_codings_over_all_the_sites_words(small_study):
    view = explorer.explore(small_study, sites=["S01", "S03"], behaviour="TA.hiring", unit="per_1000_words")
    seg = small_study.segments[small_study.segments["primary"]].merge(
        small_study.interviews[["interview_id", "site_id"]], on="interview_id"
    )
    for site in ("S01", "S03"):
        codings = ((seg["site_id"] == site) & (seg["code_id"] == "TA.hiring")).sum()
        words = small_study.interviews.loc[small_study.interviews["site_id"] == site, "n_words"].sum()
        assert view.matrix.loc[site, "TA.hiring"] == pytest.approx(1000 * codings / words)


def test_a_process_shows_the_three_processes(small_study):
    view = explorer.explore(small_study, behaviour="reviewing_reflecting", unit="segments")
    assert view.of == "process" and list(view.columns) == list(schema.PROCESSES)
    # segments as a share of the site's coded segments (all codes, success characteristics included)
    seg = small_study.segments[small_study.segments["primary"]].merge(
        small_study.interviews[["interview_id", "site_id"]], on="interview_id"
    )
    s01 = seg[seg["site_id"] == "S01"]
    assert view.matrix.loc["S01", "reviewing_reflecting"] == pytest.approx(s01["code_id"].str.startswith("RR.").mean())
    assert len(view.quotes) > 0 and (view.quotes["process"] == "Reviewing and reflecting").all()


def test_the_focus_site_beside_its_peers(small_study):
    sites = ["S01", "S02", "S03", "S06"]
    view = explorer.explore(small_study, sites=sites, site_id="S03", behaviour="BK.patients", unit="interviews")
    row = view.peers.set_index("code_id").loc["BK.patients"]
    by_hand = _interview_share_by_hand(small_study, "BK.patients", sites)
    assert row["site_value"] == pytest.approx(by_hand["S03"])
    assert row["peer_median"] == pytest.approx(by_hand.drop("S03").median())
    assert row["n_peers"] == 3
    table = view.matrix_table()
    assert table.index[0].startswith("S03 · ")
    assert "Knowing the patients *" in table.columns
    assert "S03" in view.summary() and "peers' median" in view.summary()


def test_quotes_come_from_the_focus_site_and_the_behaviour(small_study):
    view = explorer.explore(small_study, site_id="S02", behaviour="TA.resources", unit="segments", n_quotes=4, seed=3)
    assert len(view.quotes) <= 4
    assert set(view.quotes["site_id"]) <= {"S02"} and set(view.quotes["code_id"]) <= {"TA.resources"}
    texts = set(small_study.segments.loc[small_study.segments["code_id"] == "TA.resources", "text"])
    shown = view.quotes["role"] != compare.ROLE_WITHHELD  # a withheld role's quote may have words redacted
    assert set(view.quotes.loc[shown, "text"]) <= texts
    again = explorer.explore(small_study, site_id="S02", behaviour="TA.resources", unit="segments", n_quotes=4, seed=3)
    pd.testing.assert_frame_equal(view.quotes, again.quotes)  # seeded


def test_one_site_has_no_peers_and_says_so(small_study):
    view = explorer.explore(small_study, sites=["S05"], behaviour="BK.staff")
    assert view.peers is None
    assert "at least two sites" in view.summary()
    fig = view.figure()
    assert "at least two sites" in fig.axes[0].texts[0].get_text()


def test_figure_marks_the_behaviour_and_labels_the_unit(small_study):
    view = explorer.explore(small_study, site_id="S01", behaviour="RR.debrief", unit="informants")
    ax = view.figure().axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "Debriefing events *" in ticks and len(ticks) == len(view.columns)
    assert ax.get_xlabel() == compare.unit_label("informants", "group")


@pytest.mark.parametrize(
    "kwargs, problem",
    [
        (dict(sites=["S01", "S99"]), "site 'S99' is not in the study"),
        (dict(sites=["S01", "S02"], site_id="S03"), "focus site 'S03' is not among the sites chosen"),
        (dict(unit="words"), "unknown counting unit 'words'"),
        (dict(behaviour="SC.culture"), "is not a process of leading or a code applied on one"),
    ],
)
def test_bad_choices_say_what_to_choose(small_study, kwargs, problem):
    with pytest.raises(LeadlibDataError) as info:
        explorer.explore(small_study, **kwargs)
    assert problem in str(info.value) and "What to do" in str(info.value)


def test_every_option_offered_can_be_explored(small_study, frame):
    behaviours = explorer.behaviour_options(small_study, frame=frame)
    assert [v for _, v in behaviours if v in schema.PROCESSES] == list(schema.PROCESSES)
    for _, value in behaviours:
        explorer.explore(small_study, behaviour=value, frame=frame, n_quotes=1)
    for label, unit in explorer.unit_options():
        view = explorer.explore(small_study, unit=unit, frame=frame, n_quotes=1)
        assert view.unit_label == label
    assert [v for _, v in explorer.site_options(small_study)] == list(small_study.sites["site_id"])


# ---------------------------------------------------------------------------
# The widget callbacks


@pytest.fixture
def app(small_study):
    return explorer.Explorer(small_study, site_id="S02", behaviour="BK.measures", unit="interviews")


def test_changing_the_unit_recomputes_the_view(app, small_study):
    before = app.view.matrix.copy()
    app.controls["unit"].value = "segments"
    assert app.view.unit == "segments"
    expected = explorer.explore(small_study, site_id="S02", behaviour="BK.measures", unit="segments").matrix
    pd.testing.assert_frame_equal(app.view.matrix, expected)
    assert not np.allclose(before.to_numpy(float), app.view.matrix.to_numpy(float))


def test_changing_the_behaviour_and_the_focus_site(app):
    app.controls["behaviour"].value = "taking_action"
    assert app.view.of == "process" and app.view.behaviour == "taking_action"
    app.controls["site"].value = "S05"
    assert app.view.site == "S05" and app.view.matrix_table().index[0].startswith("S05")


def test_choosing_sites_keeps_or_moves_the_focus_and_recomputes_once(app, monkeypatch):
    calls = []
    real = explorer.explore
    monkeypatch.setattr(explorer, "explore", lambda *a, **k: calls.append(k["sites"]) or real(*a, **k))
    app.controls["sites"].value = ("S01", "S02", "S03")
    assert app.view.site == "S02" and app.view.sites == ("S01", "S02", "S03")
    app.controls["sites"].value = ("S04", "S06")  # the focus site is no longer chosen: the first one is
    assert app.view.site == "S04"
    assert [v for _, v in app.controls["site"].options] == ["S04", "S06"]
    assert calls == [["S01", "S02", "S03"], ["S04", "S06"]], "one recomputation per change of sites"
    assert app.view.peers["n_peers"].iloc[0] == 1


def test_no_site_chosen_keeps_the_last_view(app):
    shown = app.view
    app.controls["sites"].value = ()
    assert app.view is shown
    assert app.on_sites_change() is None


def test_the_widget_holds_the_controls_and_the_outputs(app):
    import ipywidgets

    assert isinstance(app.widget, ipywidgets.VBox)
    children = app.widget.children
    tabs = children[1]
    assert [tabs.get_title(i) for i in range(3)] == ["Matrix", "Site vs peers", "Quotes"]
    assert list(tabs.children) == [app.outputs["matrix"], app.outputs["peers"], app.outputs["quotes"]]


def test_old_keyword_site_still_works_with_a_warning(small_study):
    """site= was renamed site_id= (docs/api.md): the old keyword gives the same view and says so."""
    with pytest.warns(DeprecationWarning, match="site_id="):
        old = explorer.explore(small_study, site="S02", behaviour="TA.resources", unit="segments")
    new = explorer.explore(small_study, site_id="S02", behaviour="TA.resources", unit="segments")
    assert old.site == new.site == "S02"
    assert old.matrix.equals(new.matrix)


# ---------------------------------------------------------------------------
# What a researcher reads: numbers said one way, wording that fits the peers, quotes whole and de-identified


def test_the_matrix_shows_percentages_as_the_summary_does(small_study):
    view = explorer.explore(small_study, site_id="S02", behaviour="BK.measures", unit="interviews")
    table = view.matrix_table()
    value = view.matrix.loc["S02", "BK.measures"]
    shown = table.iloc[0]["Watching measures *"]
    assert shown == f"{value:.0%}" and shown.endswith("%")
    assert f"S02: {shown} (" in view.summary()
    # a rate is not a share: two decimals, no percent sign
    rate = explorer.explore(small_study, site_id="S02", behaviour="BK.measures", unit="per_1000_words")
    assert rate.matrix_table().iloc[0, 0] == f"{rate.matrix.loc['S02', rate.columns[0]]:.2f}"
    assert "<table" in view.matrix_html() and "S02 · " in view.matrix_html()


@pytest.mark.parametrize(
    "sites, expected",
    [
        (["S01", "S02"], "its one peer, S02"),
        (["S01", "S02", "S03"], "2 peers"),
        (["S01", "S02", "S03", "S04"], "3 peers"),
    ],
)
def test_with_few_peers_the_summary_places_the_site_against_their_values(small_study, sites, expected):
    view = explorer.explore(small_study, sites=sites, site_id="S01", behaviour="BK.measures", unit="segments")
    summary = view.summary()
    assert expected in summary
    assert "percentile" not in summary  # quartiles of one to three peers mean little
    row = view.peers.set_index("code_id").loc["BK.measures"]
    value, low, high = row["site_value"], row["peer_min"], row["peer_max"]
    word = "above" if value > high else "below" if value < low else ("equal to" if len(sites) == 2 else "within")
    assert word in view.standing()


def test_with_four_peers_or_more_the_summary_gives_the_band(small_study):
    view = explorer.explore(small_study, site_id="S01", behaviour="BK.measures", unit="segments")
    band = str(view.peers.set_index("code_id").loc["BK.measures", "band"])
    assert view.standing() == band and band in view.summary()
    assert view.figure().axes[0].get_title(loc="left") == "S01 beside its 5 peers"


def test_quotes_are_shown_whole_and_escaped(small_study):
    view = explorer.explore(small_study, site_id="S02", behaviour="TA.resources", n_quotes=5, seed=1)
    page = view.quotes_html()
    import html

    for text in view.quotes["text"]:
        assert html.escape(text) in page  # the whole text, never cut to a column width
    assert page.count("<blockquote") == len(view.quotes)


def test_a_withheld_roles_own_words_are_redacted(small_study):
    frame = small_study.frame()
    view = explorer.explore(small_study, site_id="S02", behaviour="TA.resources", n_quotes=20, frame=frame)
    withheld = view.quotes[view.quotes["role"] == compare.ROLE_WITHHELD]
    shown = view.quotes[view.quotes["role"] != compare.ROLE_WITHHELD]
    assert len(withheld) and len(shown), "the test needs quotes of both kinds at S02"
    # put a self-description into every quote of the site's codings, then draw the same quotes again
    marked = frame.assign(text="As charge nurse of the unit I " + frame["text"].astype(str))
    again = explorer.explore(small_study, site_id="S02", behaviour="TA.resources", n_quotes=20, frame=marked)
    hidden = again.quotes["role"] == compare.ROLE_WITHHELD
    assert again.quotes.loc[hidden, "text"].str.startswith("As [role] I ").all()
    assert again.quotes.loc[~hidden, "text"].str.startswith("As charge nurse of the unit I ").all()


# ---------------------------------------------------------------------------
# Figures without global state; the quotes' controls; what shows before the cell runs


def test_figures_are_not_tracked_by_pyplot(app):
    import matplotlib.pyplot as plt

    plt.close("all")
    fig = app.view.figure()
    png = app.view.png()
    app.controls["unit"].value = "segments"
    app.controls["behaviour"].value = "taking_action"
    assert plt.get_fignums() == [], "a figure pyplot tracks would be re-shown by the inline backend"
    assert fig.canvas.figure is fig and png.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_figure_changes_with_the_choices_and_not_with_the_quotes(app):
    first = app.outputs["peers"].value
    assert first == app.view.png() and len(first) > 1000
    app.controls["unit"].value = "segments"
    second = app.outputs["peers"].value
    assert second != first
    app.controls["draw"].click()
    assert app.outputs["peers"].value is second


def test_the_number_of_quotes_and_draw_others(app):
    site_quotes = explorer.explore(app.study, site_id="S02", behaviour="BK.measures", n_quotes=None).quotes
    assert len(site_quotes) >= 4, "the test needs a site with several quotes"
    app.controls["n_quotes"].value = 4
    assert len(app.view.quotes) == 4 and app.outputs["quotes"].value.count("<blockquote") == 4
    first = list(app.view.quotes["text"])
    app.controls["draw"].click()
    assert app.seed == 1 and list(app.view.quotes["text"]) != first
    # seeded: the same seed shows the same quotes
    same = explorer.explore(app.study, site_id="S02", behaviour="BK.measures", n_quotes=4, seed=1)
    assert list(same.quotes["text"]) == list(app.view.quotes["text"])


def test_before_the_cell_runs_the_widget_reads_as_a_sentence(app):
    bundle = app.widget._repr_mimebundle_()
    text = bundle["text/plain"]  # what a notebook saved without widget state shows
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert not text.startswith("VBox(") and text.startswith("Explorer of 6 sites") and text.endswith("use it.")
    assert len(text) <= 110  # ipywidgets cuts longer ones


def test_every_control_has_room_for_its_label(app):
    for name, control in app.controls.items():
        if name != "draw":
            assert control.style.description_width == explorer.LABEL_WIDTH, name
    assert app.controls["sites"].layout.width == explorer.CONTROL_WIDTH
    assert app.outputs["summary"].layout.width == explorer.SUMMARY_WIDTH
