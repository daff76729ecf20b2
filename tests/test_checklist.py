"""Reporting checklists (COREQ, SRQR) filled from a study's tables."""

from __future__ import annotations

import re

import pytest

from leadlib.checklist import COREQ, FROM_DATA, SRQR, TO_BE_WRITTEN, checklist_html, fill_checklist, fill_checklists


def test_item_lists_have_the_published_lengths():
    # Tong, Sainsbury & Craig (2007): 32 items in 3 domains; O'Brien et al. (2014): 21 items.
    assert [i.number for i in COREQ] == [str(n) for n in range(1, 33)]
    assert [i.number for i in SRQR] == [f"S{n}" for n in range(1, 22)]
    assert len({i.section.split(":")[0] for i in COREQ}) == 3
    # landmarks of the published lists, in their places
    assert COREQ[11].topic == "Sample size" and COREQ[20].topic == "Duration"
    assert COREQ[23].topic == "Number of data coders" and COREQ[28].topic == "Quotations presented"
    assert SRQR[8].topic.startswith("Ethical issues") and SRQR[20].topic == "Funding"


@pytest.fixture(scope="module")
def filled(small_study):
    return fill_checklist(small_study, checklist="coreq"), fill_checklist(small_study, checklist="srqr")


def answer(table, number):
    return table.set_index("item").loc[number, "answer"]


def test_filled_from_the_data(small_study, filled):
    coreq, srqr = filled
    s = small_study
    text = answer(coreq, "12")
    assert f"{len(s.informants)} informants" in text and f"{s.sites['site_id'].nunique()} sites" in text
    assert f"{len(s.interviews)} interviews" in text
    d = s.interviews["duration_min"].dropna()
    assert f"median {d.median():g} minutes" in answer(coreq, "21")
    assert f"range {d.min():g} to {d.max():g}" in answer(coreq, "21")
    n_coders = s.segments["coder"].nunique()
    assert answer(coreq, "24").startswith(f"{n_coders} coders")
    n_double = s.segments.loc[~s.segments["primary"], "interview_id"].nunique()
    assert f"{n_double} interviews" in answer(coreq, "24")
    assert f"Codebook of {len(s.codebook)} codes" in answer(coreq, "25")
    interviewers = s.interviews["interviewer"].dropna().nunique()
    assert answer(coreq, "1").startswith(f"{interviewers} interviewer")
    for setting, n in s.sites["setting"].astype(object).value_counts().items():
        from leadlib.schema import label

        assert f"{label(setting)} {n}" in answer(coreq, "14")
    assert f"{len(s.interviews)} interviews" in answer(srqr, "S10")


def test_reflexivity_ethics_interpretation_left_to_the_authors(filled):
    coreq, srqr = filled
    statuses = coreq.set_index("item")["status"]
    for number in ["2", "3", "4", "5", "6", "7", "8", "22", "23", "28", "30", "31", "32"]:
        assert statuses[number] == TO_BE_WRITTEN
    for number in ["12", "14", "16", "21", "24", "25"]:
        assert statuses[number] == FROM_DATA
    s_status = srqr.set_index("item")["status"]
    for number in ["S6", "S9", "S16", "S18", "S19", "S20", "S21"]:
        assert s_status[number] == TO_BE_WRITTEN
    assert (coreq.loc[coreq["status"] == TO_BE_WRITTEN, "answer"].str.lower().str.contains(TO_BE_WRITTEN)).all()


def test_agreement_reported_when_double_coded(small_study, filled):
    from leadlib.stats import coder_agreement

    pooled = coder_agreement(small_study, by="process", unit="interview").iloc[-1]
    assert f"Cohen's kappa {pooled['kappa']:.2f}" in answer(filled[0], "24")


def test_without_second_coder(small_study):
    study = small_study.copy()
    study.segments = study.segments[study.segments["primary"]].reset_index(drop=True)
    text = answer(fill_checklist(study), "24")
    assert "No interview was double-coded" in text and "kappa" not in text


def test_no_quotes_version_says_so(small_study):
    both = fill_checklists(small_study, show_quotes=False)
    assert "omits every quotation" in answer(both["coreq"], "29")
    assert "omits every quotation" in answer(both["srqr"], "S17")


def test_html_is_escaped(small_study):
    study = small_study.copy()
    study.interviews = study.interviews.assign(interviewer="<script>alert(1)</script>")
    page = checklist_html(fill_checklist(study), title="COREQ <32>")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "COREQ &lt;32&gt;" in page
    assert len(re.findall(r'<tr class="(?:filled|to-write)">', page)) == 32


def test_unknown_checklist():
    with pytest.raises(ValueError, match="coreq"):
        fill_checklist(None, checklist="consort")
