"""Tests of leadlib.simulate.interview: interviews that read like interviews.

A driver draws a study the size of the bundled one (20 sites x 12 informants, about 28 units each, with
setting-typical staff, formal leaders at every level, informal leaders, critical, borderline and between-levels
units) and the tests check the transcripts' format, spans, protocol, consistency with the speaker and the setting,
variety (the limits of leadlib issue 13) and determinism.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from leadlib import schema
from leadlib.simulate import interview as iv
from leadlib.simulate._interview_words import KIND_STAFF, LEADER_TITLES, STAFF
from leadlib.simulate.design import PROCESS_CODES, SC_CODES, SC_TARGET_SHARES, SETTING_MIX, SETTING_NAMES

_WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
NUMBER_WORDS = {w: i for i, w in enumerate([*_WORDS.split(" "), "seventeen", "eighteen", "nineteen", "twenty"])}


def _units(rng: np.random.Generator, leader_type: str, n: int) -> list[iv.Unit]:
    p_lead = {"formal": 0.45, "informal": 0.4, "none": 0.25}[leader_type]
    sc_p = np.array([SC_TARGET_SHARES[c] for c in SC_CODES])
    sc_p /= sc_p.sum()
    units = []
    for _ in range(n):
        r = rng.random()
        if rng.random() < p_lead:
            code = PROCESS_CODES[rng.integers(len(PROCESS_CODES))]
            fits = iv.SC_OF_SUBCODE[code]
            also = None
            pairs = [p for p in iv.BORDERLINE_PAIRS if code in p]
            if r < 0.06 and pairs:
                pair = pairs[rng.integers(len(pairs))]
                also = pair[1] if pair[0] == code else pair[0]
            between = bool(rng.random() < 0.1)
            units.append(iv.Unit(code, fits[rng.integers(len(fits))], True, also=also, between_levels=between))
        else:
            sc = SC_CODES[rng.choice(len(SC_CODES), p=sc_p)]
            if r < 0.08:
                units.append(iv.Unit(sc, sc, False, critical_of=PROCESS_CODES[rng.integers(len(PROCESS_CODES))]))
                continue
            pairs = [p for p in iv.BORDERLINE_PAIRS if sc in p and all(c.startswith("SC.") for c in p)]
            also = None
            if r > 0.95 and pairs:
                pair = pairs[rng.integers(len(pairs))]
                also = pair[1] if pair[0] == sc else pair[0]
            units.append(iv.Unit(sc, sc, False, also=also))
    return units


def _people(rng: np.random.Generator, setting: str, kind: str, n: int) -> list[iv.Speaker]:
    levels = ("micro", "meso", "macro")
    people = [
        ("medical_director", "formal", levels[rng.integers(2)]),
        ("nurse_manager", "formal", levels[rng.integers(2)]),
        ("administrator", "formal", levels[rng.integers(1, 3)]),
    ]
    out = [iv.Speaker(r, iv.leader_title(setting, r, lv), t, lv, int(rng.integers(1, 26))) for r, t, lv in people]
    mix = iv.staff_mix(setting, kind)
    w = np.array([m[2] for m in mix])
    while len(out) < n:
        role, title, _ = mix[rng.choice(len(mix), p=w / w.sum())]
        informal = rng.random() < 0.3
        level = ("meso" if rng.random() < 0.3 else "micro") if informal else None
        out.append(iv.Speaker(role, title, "informal" if informal else "none", level, int(rng.integers(1, 26))))
    return out


def _study(seed: int, n_sites: int = 20, per_site: int = 12):
    rng = np.random.default_rng(seed)
    settings = list(SETTING_MIX)
    rows = []
    for s in range(n_sites):
        setting = settings[s % len(settings)]
        kinds = SETTING_NAMES[setting]["kind"]
        site = iv.draw_site_facts(rng, setting, f"Place {s} {kinds[(s // len(settings) + 3) % len(kinds)]}")
        for k, speaker in enumerate(_people(rng, setting, site.kind, per_site)):
            units = _units(rng, speaker.leader_type, int(rng.integers(20, 37)))
            head = f"[SYNTHETIC]\nInterview S{s:02d}-I{k:02d}\n\n"
            curly = s == 2 and k == 4
            text, spans = iv.write_interview(rng, head=head, site=site, speaker=speaker, units=units, curly=curly)
            rows.append({"site": site, "speaker": speaker, "units": units, "head": head, "text": text, "spans": spans})
    return rows


@pytest.fixture(scope="module")
def study():
    return _study(2001)


def _paragraphs(text: str, head: str) -> list[str]:
    body = text[len(head) :]
    assert body.endswith("\n\n[End of interview]\n")
    return body[: -len("[End of interview]\n")].rstrip("\n").split("\n\n")


def _answers(row) -> str:
    return "\n".join(p[3:] for p in _paragraphs(row["text"], row["head"]) if p.startswith("A: "))


# ---------------------------------------------------------------------------------------------------------------
# Format and spans


def test_format_head_paragraphs_and_end(study):
    for row in study:
        text = row["text"]
        assert text.startswith(row["head"])
        paras = _paragraphs(text, row["head"])
        assert all(p.startswith(("Q: ", "A: ")) for p in paras), "every paragraph is a question or an answer"
        assert all(p.strip() and "\n" not in p for p in paras), "one blank line between paragraphs, none inside"
        kinds = [p[:2] for p in paras]
        assert kinds[0] == "Q:" and kinds[-1] == "A:"
        assert all(a != b for a, b in zip(kinds, kinds[1:])), "questions and answers alternate"


def test_spans_are_whole_sentences_inside_one_answer_in_the_order_of_units(study):
    for row in study:
        text, spans, units = row["text"], row["spans"], row["units"]
        assert len(spans) == len(units)
        for start, end in spans:
            para_start = text.rfind("\n\n", 0, start) + 2
            assert text.startswith("A: ", para_start), "a coded span lies in an answer"
            assert start >= para_start + 3, "never the 'A: ' prefix"
            assert "\n" not in text[start:end]
            assert start == para_start + 3 or (text[start - 1] == " " and text[start - 2] in ".?!]")
            assert text[end - 1] in ".?!" and text[end] in " \n"
            assert text[start].isupper() or text[start] in "[\"'"
        ordered = sorted(spans)
        assert all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:])), "spans do not overlap"


def test_coded_passages_are_60_to_160_words_and_interviews_120_to_180_words_per_unit(study):
    lengths = [len(r["text"][a:b].split()) for r in study for a, b in r["spans"]]
    assert np.mean(lengths) > 80
    assert np.mean([45 <= n <= 160 for n in lengths]) > 0.97
    per_unit = sum(len(r["text"].split()) for r in study) / sum(len(r["units"]) for r in study)
    assert 120 <= per_unit <= 180


# ---------------------------------------------------------------------------------------------------------------
# Protocol


def test_no_question_is_asked_twice_in_an_interview(study):
    for row in study:
        questions = [p for p in _paragraphs(row["text"], row["head"]) if p.startswith("Q: ")]
        assert len(questions) == len(set(questions)), row["head"]


def test_opening_closing_and_probes(study):
    probes = 0
    for row in study:
        paras = _paragraphs(row["text"], row["head"])
        assert paras[-2].startswith("Q: ") and any(w in paras[-2] for w in ("anything", "Anything"))
        probes += sum(p.startswith("Q: You mentioned ") for p in paras)
        for p in paras:
            if p.startswith("Q: ") and re.search(r"\b[Oo]ur\b", p):
                raise AssertionError(f"the interviewer says 'our': {p}")
    assert probes > len(study), "probes pick up what was just said, more than once per interview on average"


def test_probes_pick_up_something_the_previous_answer_said(study):
    for row in study:
        paras = _paragraphs(row["text"], row["head"])
        for k, p in enumerate(paras):
            m = re.match(r"Q: You mentioned (.+?)\. ", p)
            if m:
                said = re.sub(r"\byour\b", "our", m.group(1)).lower()
                assert said in paras[k - 1].lower(), (m.group(1), paras[k - 1])


# ---------------------------------------------------------------------------------------------------------------
# Consistency with the speaker


def _all_titles() -> set[str]:
    titles = {t for table in (*STAFF.values(), *KIND_STAFF.values()) for _, t, _, _ in table}
    titles |= {t for table in LEADER_TITLES.values() for t in table.values()}
    return titles


def test_self_description_names_the_speakers_title_and_no_other(study):
    titles = _all_titles()
    for row in study:
        sp = row["speaker"]
        opening = [p for p in _paragraphs(row["text"], row["head"]) if p.startswith("A: ")][0]
        assert sp.title in opening
        rest = opening.replace(sp.title, "")
        others = [t for t in titles if t not in sp.title and re.search(rf"\b{re.escape(t)}\b", rest)]
        assert not others, (sp, others, opening)
        for t in titles - {sp.title}:
            assert f"As {t}," not in row["text"] and f"as {t}," not in row["text"], (sp, t)


def test_every_mention_of_tenure_agrees_with_years(study):
    for row in study:
        years = row["speaker"].years
        found = 0
        for word, _ in re.findall(r"\b([a-z]+|\d+) (years?)\b", _answers(row).replace("\u2019", "'")):
            if word == "a" and _ == "year":
                assert years == 1
                found += 1
            elif word.isdigit() or word in NUMBER_WORDS:
                assert (int(word) if word.isdigit() else NUMBER_WORDS[word]) == years
                found += 1
        assert found >= 1, "the opening says how long"


def test_formal_leaders_speak_from_their_post_and_staff_describe_their_leaders(study):
    formal = " ".join(_answers(r) for r in study if r["speaker"].leader_type == "formal")
    informal = " ".join(_answers(r) for r in study if r["speaker"].leader_type == "informal")
    staff = " ".join(_answers(r) for r in study if r["speaker"].leader_type == "none")
    assert "Nobody asked me to" in informal and "Nobody asked me to" not in formal + staff
    assert "report up to me" in formal and "report up to me" not in informal + staff


# ---------------------------------------------------------------------------------------------------------------
# Consistency with the setting

#: word -> the settings it may appear in (decided here; the material is written to keep to it)
SETTING_WORDS = {
    "ventilator": {"icu_nicu"},
    "chaplain": {"hospice"},
    "resident": {"long_term_care"},
    "dialysis": {"specialty_clinic"},
    "IDT": {"hospice"},
    "babies": {"icu_nicu"},
    "triage": {"emergency_department", "primary_care"},
    "home health aide": {"home_health"},
}


@pytest.mark.parametrize("word", sorted(SETTING_WORDS))
def test_setting_specific_words_appear_only_in_their_settings(study, word):
    seen = set()
    for row in study:
        if re.search(rf"\b{re.escape(word)}", row["text"]):
            seen.add(row["site"].setting)
    assert seen <= SETTING_WORDS[word], (word, seen)


def test_setting_specific_words_are_used(study):
    used = [w for w in SETTING_WORDS if any(re.search(rf"\b{re.escape(w)}", r["text"]) for r in study)]
    assert len(used) >= len(SETTING_WORDS) - 2, used


def test_every_interview_at_a_site_uses_the_sites_facts(study):
    by_site: dict[str, list] = {}
    for row in study:
        by_site.setdefault(row["site"].site_name, []).append(row)
    shared = 0
    for rows in by_site.values():
        site = rows[0]["site"]
        assert all(r["site"] is site for r in rows)
        shared += sum(site.huddle in r["text"] for r in rows) >= 2
        for r in rows:
            for other in by_site.values():
                o = other[0]["site"]
                if o.setting != site.setting and o.huddle not in (site.huddle,) and len(o.huddle) > 12:
                    assert o.project not in r["text"] or o.project == site.project
    assert shared >= len(by_site) * 0.8, "several staff of a site mention the same huddle"


def test_staff_mix_is_typical_of_the_setting():
    roles = set(schema.ROLES)
    for setting in SETTING_MIX:
        mix = iv.staff_mix(setting)
        assert mix and all(r in roles and w > 0 for r, _, w in mix)
    addiction = [t for _, t, _ in iv.staff_mix("behavioral_health", "addiction")]
    assert "physical therapist" not in addiction and "addiction counselor" in addiction
    assert "physical therapist" not in [t for _, t, _ in iv.staff_mix("behavioral_health")]
    assert ("other", "chaplain") in {(r, t) for r, t, _ in iv.staff_mix("hospice")}
    assert ("other", "home health aide") in {(r, t) for r, t, _ in iv.staff_mix("home_health")}
    assert ("other", "dialysis technician") in {(r, t) for r, t, _ in iv.staff_mix("specialty_clinic", "dialysis")}
    assert ("allied_health", "respiratory therapist") in {(r, t) for r, t, _ in iv.staff_mix("icu_nicu")}
    with pytest.raises(ValueError, match="setting"):
        iv.staff_mix("moon_base")


def test_leader_titles():
    assert iv.leader_title("long_term_care", "nurse_manager", "meso") == "director of nursing"
    assert iv.leader_title("inpatient_unit", "nurse_manager", "micro") == "nurse manager"
    assert iv.leader_title("home_health", "administrator", "macro") == "executive director"
    for setting in SETTING_MIX:
        for role in schema.ROLES:
            for level in ("micro", "meso", "macro"):
                assert iv.leader_title(setting, role, level)
    with pytest.raises(ValueError, match="level"):
        iv.leader_title("hospice", "nurse", "mega")


def test_site_kind_is_read_from_the_name():
    rng = np.random.default_rng(1)
    nicu = iv.draw_site_facts(rng, "icu_nicu", "Fox River Neonatal Intensive Care")
    assert nicu.kind == "nicu" and nicu.pediatric and nicu.patient == "a baby"
    dialysis = iv.draw_site_facts(rng, "specialty_clinic", "Ashford Dialysis Unit")
    assert dialysis.kind == "dialysis"
    assert 2 <= len(dialysis.measures) <= 4
    for m in dialysis.measures:
        assert m.before != m.after
    with pytest.raises(ValueError, match="setting"):
        iv.draw_site_facts(rng, "moon_base", "X")


# ---------------------------------------------------------------------------------------------------------------
# Critical, borderline, between levels


def test_critical_passages_say_what_leaders_do_not_do(study):
    negation = re.compile(
        r"\b(nobody|never|no one|don't|doesn't|isn't|won't|couldn't|can't|not|nothing|without)\b", re.I
    )
    n = 0
    for row in study:
        for u, (a, b) in zip(row["units"], row["spans"]):
            if u.critical_of is not None:
                n += 1
                assert negation.search(row["text"][a:b]), row["text"][a:b]
    assert n > 100


def test_between_levels_passages_name_a_level_or_unit_beyond_their_own(study):
    n = 0
    for row in study:
        site = row["site"]
        beyond = (site.meso, site.macro, *site.neighbours)
        for u, (a, b) in zip(row["units"], row["spans"]):
            if u.between_levels:
                n += 1
                passage = row["text"][a:b].replace("\u2019", "'")
                assert any(x in passage for x in beyond), passage
    assert n > 50


def test_borderline_pairs_are_written_for():
    rng = np.random.default_rng(5)
    site = iv.draw_site_facts(rng, "inpatient_unit", "Elm Grove Medical Unit")
    speaker = iv.Speaker("nurse", "staff nurse", "informal", "micro", 4)
    for a, b in iv.BORDERLINE_PAIRS:
        leading = not a.startswith("SC.")
        sc = iv.SC_OF_SUBCODE[a][0] if leading else a
        unit = iv.Unit(a, sc, leading, also=b)
        text, [(s, e)] = iv.write_interview(rng, head="H\n\n", site=site, speaker=speaker, units=[unit])
        assert len(text[s:e].split()) >= 40
    with pytest.raises(ValueError, match="BORDERLINE_PAIRS"):
        iv.write_interview(
            rng,
            head="",
            site=site,
            speaker=speaker,
            units=[iv.Unit("TA.hiring", "SC.staff_focus", True, also="RR.next")],
        )


# ---------------------------------------------------------------------------------------------------------------
# Variety, determinism, typography


def test_long_sentences_seldom_recur(study):
    reuse = iv.sentence_reuse([r["text"] for r in study])
    assert reuse["long_sentences"] > 3000
    assert reuse["share_in_more_than_one"] < 0.02
    assert reuse["max_interviews"] <= 2, reuse["worst"]


def test_no_sentence_of_six_words_or_more_is_said_twice_in_an_interview(study):
    # Every answer sentence counts, the short uncoded ones (leads, asides, probe answers) included: the writer
    # re-draws or leaves out a sentence it has already said, so no exception is needed.
    for row in study:
        sentences = [s for s in iv._answer_sentences(row["text"]) if len(s.split()) >= 6]
        repeated = sorted({s for s in sentences if sentences.count(s) > 1})
        assert not repeated, (row["head"], repeated)


HEDGES = re.compile(
    r"as far as I can tell|for what it's worth|in my experience|\banyway\b|at least from where I sit", re.I
)


def test_at_most_one_hedge_per_answer_and_well_under_half_of_answers_have_one(study):
    answers = [p for row in study for p in _paragraphs(row["text"], row["head"]) if p.startswith("A: ")]
    counts = [len(HEDGES.findall(a.replace("\u2019", "'"))) for a in answers]
    assert max(counts) == 1, [a for a, c in zip(answers, counts) if c > 1][:3]
    share = sum(c > 0 for c in counts) / len(answers)
    assert 0.05 < share < 0.35, share


def test_repeats_are_redrawn_or_left_out():
    # A talker with every sentence of a symbol already said: an optional sentence is left out, a required one is
    # still said (the fewest repeats), and what it says is remembered.
    site = iv.draw_site_facts(np.random.default_rng(3), "primary_care", "Place 0")
    speaker = iv.Speaker("nurse", "nurse", "none", None, 4)
    talk = iv._Talk(np.random.default_rng(4), site, speaker)
    first = talk.say("SC.culture.c")
    assert set(iv._said_forms(first)) <= talk.said
    talk.said |= {f for _ in range(200) for f in iv._said_forms(talk._draw(talk.options("SC.culture.c"), spoken=True))}
    assert talk.say("SC.culture.c", optional=True) == ""
    assert talk.say("SC.culture.c") != ""
    assert iv._said_forms("And so, well. I mean, We laugh a lot!") == ["well", "we laugh a lot"]


def test_sentence_reuse_on_a_hand_made_example():
    long_a = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen."
    long_b = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi."
    short = "Just a short one."
    texts = [
        f"H\n\nQ: {long_b}\n\nA: {long_a} {short}\n\n[End of interview]\n",
        f"H\n\nQ: x?\n\nA: {short} {long_a.replace('five', 'five')}\n\n[End of interview]\n",
        f"H\n\nQ: x?\n\nA: {long_a}\n\nA: {long_b}\n\n[End of interview]\n",
    ]
    r = iv.sentence_reuse(texts)
    # long_a stands in all three interviews; long_b in one answer (the question does not count); short is short
    assert r["long_sentences"] == 2
    assert r["share_in_more_than_one"] == 0.5
    assert r["max_interviews"] == 3 and r["worst"] == long_a
    curly = [t.replace("fifteen.", "fifteen's.") for t in texts[:2]]
    curly[1] = curly[1].replace("'", "\u2019")
    assert iv.sentence_reuse(curly)["max_interviews"] == 2, "typographic apostrophes read as straight ones"
    assert iv.sentence_reuse([])["long_sentences"] == 0
    assert iv.sentence_reuse(texts, min_words=100)["long_sentences"] == 0


def test_same_inputs_same_text():
    a = _study(7, n_sites=3, per_site=3)
    b = _study(7, n_sites=3, per_site=3)
    c = _study(8, n_sites=3, per_site=3)
    assert [(r["text"], r["spans"]) for r in a] == [(r["text"], r["spans"]) for r in b]
    assert [r["text"] for r in a] != [r["text"] for r in c]


def test_curly_apostrophes_in_answers_only(study):
    rows = [r for r in study if "\u2019" in r["text"]]
    assert len(rows) == 1
    row = rows[0]
    answers = _answers(row)
    assert "'" not in answers and "\u2019" in answers
    questions = [p for p in _paragraphs(row["text"], row["head"]) if p.startswith("Q: ")]
    assert all("\u2019" not in q for q in questions)
    assert any("\u2019" in row["text"][a:b] for a, b in row["spans"])


def test_names_are_given_names_from_the_list(study):
    for row in study:
        site = row["site"]
        assert {site.manager_name, site.director_name, *site.colleagues} <= set(iv.FIRST_NAMES)
        assert not re.search(r"\b(Dr|Mr|Mrs|Ms)\.? [A-Z]", row["text"]), "no surnames or honorifics"


def test_bad_arguments():
    rng = np.random.default_rng(0)
    site = iv.draw_site_facts(rng, "hospice", "Bayview Hospice Program")
    ok = iv.Speaker("nurse", "hospice nurse", "none", None, 3)
    unit = iv.Unit("SC.culture", "SC.culture", False)
    with pytest.raises(ValueError, match="level"):
        iv.write_interview(rng, head="", site=site, speaker=iv.Speaker("nurse", "x", "none", "micro", 3), units=[unit])
    with pytest.raises(ValueError, match="years"):
        iv.write_interview(rng, head="", site=site, speaker=iv.Speaker("nurse", "x", "none", None, 0), units=[unit])
    with pytest.raises(ValueError, match="process sub-code"):
        iv.write_interview(rng, head="", site=site, speaker=ok, units=[iv.Unit("SC.culture", "SC.culture", True)])
    with pytest.raises(ValueError, match="leaf code"):
        iv.write_interview(rng, head="", site=site, speaker=ok, units=[iv.Unit("XX", "SC.culture", False)])
