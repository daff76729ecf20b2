"""Tests of leadlib.simulate.bank: the shipped bank and the rules it is checked by.

The shipped bank must pass ``validate_bank``; and ``validate_bank`` must
catch each kind of problem, shown on a small bank (a two-code codebook) that
passes until one thing in it is broken. The counts of the shipped bank are
also re-counted here straight from the TOML, without bank.py, so a
``validate_bank`` that checked nothing could not make the bank look fine.
"""

from __future__ import annotations

import collections
import dataclasses
import re
import tomllib
from importlib import resources

import pytest

from leadlib import LeadlibDataError
from leadlib.simulate.bank import (
    EXCERPT_PLACEHOLDERS,
    OPENING_PLACEHOLDERS,
    Bank,
    Excerpt,
    OpeningAnswer,
    Question,
    fill,
    load_bank,
    placeholders_of,
    read_bank,
    validate_bank,
)
from leadlib.simulate.design import CODEBOOK, PROCESS_CODES, SC_CODES, SETTING_NAMES

# --------------------------------------------------------------------------
# Sample fillers, as the generator would pass them: every kind of filler the
# design allows (SETTING_NAMES) plus the kinds the brief of the bank names.

SAMPLE_FILLERS = {
    "unit": sorted({u for s in SETTING_NAMES.values() for u in s["unit"]}),
    "patients": sorted({p for s in SETTING_NAMES.values() for p in s["patients"]}),
    "measure": sorted({m for s in SETTING_NAMES.values() for m in s["measure"]}),
    "org": ["the hospital", "the health system", "the medical center", "the organization"],
    "colleague": ["one of our nurses", "the unit secretary", "a new graduate nurse"],
    "leader": ["our nurse manager", "the medical director", "the lead physician"],
    "number": ["two", "three", "four", "five", "six"],
    "period": ["every week", "once a month", "every other week", "each morning"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "role": ["a staff nurse", "the medical director", "one of the physicians"],
    "years": ["two", "seven", "twelve"],
}


def _values(i: int) -> dict[str, str]:
    """The i-th combination of fillers (cycling each list at its own pace)."""
    return {name: options[i % len(options)] for name, options in SAMPLE_FILLERS.items()}


# --------------------------------------------------------------------------
# The shipped bank


def test_shipped_bank_is_valid():
    assert validate_bank(load_bank()) == []


def test_load_bank_is_cached_and_typed():
    bank = load_bank()
    assert load_bank() is bank
    assert isinstance(bank, Bank)
    assert all(isinstance(e, Excerpt) for e in bank.excerpts)
    assert all(isinstance(q, Question) for q in bank.questions)
    assert all(isinstance(a, OpeningAnswer) for a in bank.opening_answers)
    assert all(isinstance(e.also, tuple) for e in bank.excerpts)
    # placeholders are what the text holds, in order of first use
    first = next(e for e in bank.excerpts if len(e.placeholders) >= 2)
    positions = [first.text.index("{" + p + "}") for p in first.placeholders]
    assert positions == sorted(positions)


def test_shipped_counts_recounted_from_the_toml():
    """Re-count the rules of the brief from the raw file, without bank.py."""
    folder = resources.files("leadlib.simulate")
    raw = tomllib.loads((folder / "excerpts.toml").read_text(encoding="utf-8"))["excerpt"]
    assert len(raw) >= 12 * 23
    per_code = collections.Counter(e["code"] for e in raw)
    assert set(per_code) == set(PROCESS_CODES) | set(SC_CODES)
    assert min(per_code.values()) >= 12
    for code in PROCESS_CODES:
        voices = collections.Counter(e["voice"] for e in raw if e["code"] == code)
        assert voices["any"] >= 3 and voices["staff"] >= 2, code
        assert voices["formal"] >= 2 and voices["informal"] >= 2, code
    for e in raw:
        words = len(e["text"].split())
        assert 35 <= words <= 100, e["text"]
        assert "\n" not in e["text"] and e["text"].isascii()
        if e["code"] in SC_CODES:
            assert e["also"] == [] and e["voice"] in ("any", "staff")
        else:
            assert 1 <= len(e["also"]) <= 2 and set(e["also"]) <= set(SC_CODES)
    with_placeholder = sum(bool(re.search(r"\{[a-z]+\}", e["text"])) for e in raw)
    assert with_placeholder / len(raw) >= 0.70
    # every success characteristic is the 'also' of some process excerpt
    assert {a for e in raw for a in e["also"]} == set(SC_CODES)
    questions = tomllib.loads((folder / "questions.toml").read_text(encoding="utf-8"))
    topics = collections.Counter(q["topic"] for q in questions["question"])
    assert set(topics) == {"opening", "BK", "TA", "RR", *SC_CODES}
    assert min(topics.values()) >= 4
    assert len(questions["opening_answer"]) >= 12


def test_shipped_bank_has_no_repeated_openings():
    starts = collections.Counter(
        " ".join(re.sub(r"[^a-z0-9{} ']", " ", e.text.lower()).split()[:6]) for e in load_bank().excerpts
    )
    assert max(starts.values()) == 1


def test_fill_fills_every_excerpt_and_answer():
    """With any allowed fillers, no brace is left and every sentence still
    starts with a capital (a lower-case filler never starts a sentence)."""
    bank = load_bank()
    texts = [e.text for e in bank.excerpts] + [a.text for a in bank.opening_answers]
    for i, text in enumerate(texts):
        # three different combinations of fillers for each text
        for k in range(3):
            filled = fill(text, _values(i + 7 * k))
            assert "{" not in filled and "}" not in filled, filled
            sentences = re.split(r"(?<=[.?!])\s+", filled)
            assert len(sentences) == len(re.split(r"(?<=[.?!])\s+", text))
            assert all(s.lstrip('"')[0].isupper() for s in sentences), filled


def test_questions_are_asked_as_written():
    for q in load_bank().questions:
        assert q.text.endswith("?")
        assert fill(q.text, {}) == q.text


# --------------------------------------------------------------------------
# fill


def test_fill_substitutes_like_format_map():
    values = {"unit": "the ICU", "measure": "falls", "unused": "x"}
    assert fill("On {unit}, {measure} went down.", values) == "On the ICU, falls went down."
    # doubled braces stand for braces, as in str.format_map
    assert fill("{{unit}} is written {unit}.", values) == "{unit} is written the ICU."


def test_fill_names_a_missing_placeholder():
    with pytest.raises(LeadlibDataError, match=r"\{leader\}") as info:
        fill("We told {leader} about {unit}.", {"unit": "the ICU"})
    assert info.value.value == "leader"
    assert "unit" in info.value.hint  # says which values were given


@pytest.mark.parametrize("text", ["{unit:>10}", "{unit!r}", "{unit.name}", "{0}", "{}"])
def test_fill_rejects_placeholders_that_are_not_plain_names(text):
    with pytest.raises(LeadlibDataError, match="plain"):
        fill(text, {"unit": "the ICU", "0": "x"})


# --------------------------------------------------------------------------
# validate_bank on a small bank with a two-code codebook

SMALL_CODEBOOK = [
    ("LP", "Leadership processes", "other", None, "parent"),
    ("BK", "Building knowledge", "building_knowledge", "LP", "parent"),
    ("BK.patients", "Knowing the patients", "building_knowledge", "BK", "leaf"),
    ("SC", "Success characteristics", "other", None, "parent"),
    ("SC.patient_focus", "Patient focus", "success_characteristic", "SC", "leaf"),
]

# Eight- to ten-word sentences, combined into distinct 35-50 word texts.
_NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_OPENERS = [
    "We asked {patients} what was hardest about coming to {unit}.",
    "Last spring a few of us sat in the waiting area for a morning.",
    "Every month the calls get sorted by what people were worried about.",
    "Honestly the surveys told us less than the comments written in the margins.",
    "At our meeting each person brings one thing a family said that week.",
    "Nobody had asked the evening families anything in years, so we did.",
    "The phone log turned out to be the best source we had.",
    "Two of us called people back a week later to ask how things went.",
    "It surprised me how many families had no idea who to call at night.",
    "A group of parents now reads our letters before they go out.",
    "The list of languages spoken at home changed how we staffed the desk.",
    "Sitting where families sit for an hour teaches you a great deal.",
    "Families told us the waiting was worse than anything else we did.",
    "Some of the residents have lived here longer than most of the staff.",
]
_MIDDLE = (
    "It took {number} weeks and a lot of paper, but we kept at it until the pattern was clear to everyone who looked. "
)
_CLOSER = "That changed what we did {period}."


def _text(i: int) -> str:
    return f"{_OPENERS[i]} {_MIDDLE}{_CLOSER}"


def _small_bank() -> Bank:
    voices = ["any"] * 4 + ["staff"] * 3 + ["formal"] * 3 + ["informal"] * 2
    process = [
        Excerpt(
            "BK.patients",
            ("SC.patient_focus",),
            voice,
            "micro" if voice == "formal" else "any",
            _text(i),
            placeholders_of(_text(i)),
        )
        for i, voice in enumerate(voices)
    ]
    sc = [
        Excerpt(
            "SC.patient_focus",
            (),
            "any" if i % 2 else "staff",
            "any",
            f"Families come first, point {n}. {_OPENERS[i]} {_MIDDLE.strip()}",
            placeholders_of(_OPENERS[i] + _MIDDLE),
        )
        for i, n in enumerate(_NUMBER_WORDS)
    ]
    topics = ["opening", "BK", "TA", "RR", "SC.patient_focus"]
    questions = [
        Question(topic, f"Question {n} on topic {t}, could you tell me more?")
        for t, topic in enumerate(topics)
        for n in ("one", "two", "three", "four")
    ]
    answers = [OpeningAnswer(f"I'm {{role}} and I've been here {{years}} years, answer {n}.") for n in _NUMBER_WORDS]
    return Bank(tuple(process + sc), tuple(questions), tuple(answers), "ex.toml", "q.toml")


def _with_excerpt(bank: Bank, index: int, **changes) -> Bank:
    excerpts = list(bank.excerpts)
    old = excerpts[index]
    new = dataclasses.replace(old, **changes)
    if "text" in changes and "placeholders" not in changes:
        new = dataclasses.replace(new, placeholders=placeholders_of(new.text))
    excerpts[index] = new
    return dataclasses.replace(bank, excerpts=tuple(excerpts))


def _problems(bank: Bank) -> list[str]:
    return validate_bank(bank, codebook=SMALL_CODEBOOK)


def _only(problems: list[str], pattern: str) -> None:
    """Exactly the expected problem is reported (and nothing else)."""
    assert len(problems) == 1, problems
    assert re.search(pattern, problems[0]), problems[0]


def test_small_bank_is_valid():
    assert _problems(_small_bank()) == []


def test_default_codebook_is_the_design_codebook():
    # Validated against the full codebook, the small bank lacks 21 codes.
    problems = validate_bank(_small_bank())
    assert sum("needs at least 12" in p and "excerpts" in p for p in problems) == 21


@pytest.mark.parametrize(
    ("changes", "pattern"),
    [
        (dict(voice="manager"), r"unknown voice 'manager'"),
        (dict(level="ward"), r"unknown level 'ward'"),
        (dict(level="macro"), r"level 'macro' is for formal"),  # index 0 is voiced "any"
        (dict(also=("BK.patients",)), r"only success characteristics, not BK\.patients"),
        (dict(also=()), r"1-2 success characteristics .* \(has 0\)"),
        (dict(also=("SC.patient_focus", "SC.patient_focus")), r"repeats a code"),
        (dict(placeholders=("unit",)), r"'placeholders' does not match"),
    ],
)
def test_validate_catches_bad_fields(changes, pattern):
    _only(_problems(_with_excerpt(_small_bank(), 0, **changes)), pattern)


def test_validate_catches_unknown_code():
    problems = _problems(_with_excerpt(_small_bank(), 0, code="BK.nonsense"))
    assert len(problems) == 2, problems
    assert "excerpt 1, BK.nonsense): unknown code 'BK.nonsense'" in problems[0]
    assert "BK.patients has 11 excerpts, needs at least 12" in problems[1]


def test_validate_catches_informal_voice_above_micro():
    bank = _small_bank()
    informal = next(i for i, e in enumerate(bank.excerpts) if e.voice == "informal")
    _only(_problems(_with_excerpt(bank, informal, level="meso")), r"informal leader .* not 'meso'")


def test_validate_catches_success_characteristic_rules():
    bank = _small_bank()
    sc = next(i for i, e in enumerate(bank.excerpts) if e.code == "SC.patient_focus")
    _only(_problems(_with_excerpt(bank, sc, voice="formal", level="micro")), r"'any' or 'staff'")
    _only(_problems(_with_excerpt(bank, sc, also=("SC.patient_focus",))), r"also = \[\]")


@pytest.mark.parametrize(
    ("words", "ok"),
    [(34, False), (35, True), (100, True), (101, False)],
)
def test_validate_word_count_bounds(words, ok):
    # Two sentences: a fixed 5-word one, then a filler one making up the rest.
    text = "We asked {patients} about it. " + " ".join(["more"] * (words - 6)) + " words."
    text = text.replace("about it. more", "about it. More", 1)
    assert len(text.split()) == words
    problems = _problems(_with_excerpt(_small_bank(), 0, text=text))
    if ok:
        assert problems == []
    else:
        _only(problems, rf"has {words} words, must have 35-100")


def test_validate_sentence_count_bounds():
    base = _small_bank()
    one = (
        "We asked {patients} what was hardest about coming to {unit}, and it took {number} "
        "weeks and a lot of paper, but we kept at it until the pattern was clear to everyone "
        "who looked, and that changed what we did {period}."
    )
    _only(_problems(_with_excerpt(base, 0, text=one)), r"has 1 sentences, must have 2-5")
    six = " ".join(["We asked {patients} what was hard for them."] * 6)
    _only(_problems(_with_excerpt(base, 0, text=six)), r"has 6 sentences, must have 2-5")
    five = " ".join(f"We asked {{patients}} question number {n} of them." for n in range(5))
    assert _problems(_with_excerpt(base, 0, text=five)) == []


@pytest.mark.parametrize(
    ("swap", "pattern"),
    [
        (("hardest about", "hardest\nabout"), r"line break"),
        (("We asked", "We asked\u2019"), r"non-ASCII"),
        (("{unit}", "{ward}"), r"unknown placeholder\(s\) \{ward\}"),
        (("{unit}", "{unit} }"), r"brace that is not part of"),
        (("{unit}", "{ unit}"), r"unknown placeholder"),
        (("coming to {unit}.", "coming to {unit}, e.g. the desk."), r"not followed by a space"),
        (("coming to {unit}.", "coming to {unit}..."), r"not followed by a space"),
        (("coming to {unit}.", 'coming to "{unit}."'), r"not followed by a space"),
        (("a lot of paper", "a lot of paper from Dr. Who"), r"abbreviation 'Dr\.'"),
        (("{period}.", "{period}"), r"does not end with"),
        (("That changed", "{leader} changed"), r"starts a sentence with \{leader\}"),
        (("That changed", "that changed"), r"does not start with a capital"),
        (("a lot of paper", "a lot of paper from Linda"), r"capitalised word 'Linda'"),
        (("a lot of paper", "a lot of  paper"), r"double spaces"),
    ],
)
def test_validate_catches_bad_text(swap, pattern):
    bank = _small_bank()
    old, new = swap
    assert old in bank.excerpts[0].text
    text = bank.excerpts[0].text.replace(old, new, 1)
    problems = _problems(_with_excerpt(bank, 0, text=text))
    assert any(re.search(pattern, p) for p in problems), problems


def test_validate_allows_day_at_sentence_start_and_allowed_capitals():
    bank = _small_bank()
    sentence = "{day} mornings in March the ICU RN changed"
    text = bank.excerpts[0].text.replace("That changed", sentence)
    assert _problems(_with_excerpt(bank, 0, text=text)) == []


def test_validate_catches_duplicates_and_repeated_openings():
    bank = _small_bank()
    _only(
        _problems(_with_excerpt(bank, 1, text=bank.excerpts[0].text)),
        r"excerpt 2, BK\.patients\): same text as .*excerpt 1",
    )
    # Same first six words (case and punctuation ignored), different rest.
    opening = "WE asked {patients}, what was hardest about something else entirely."
    text = bank.excerpts[1].text.replace(_OPENERS[1], opening)
    _only(
        _problems(_with_excerpt(bank, 1, text=text)),
        r"same 6 words as .*excerpt 1.*'we asked \{patients\} what was hardest'",
    )


def test_validate_catches_too_few_excerpts_and_voices():
    bank = _small_bank()
    fewer = dataclasses.replace(bank, excerpts=bank.excerpts[1:])  # drops an "any"
    problems = _problems(fewer)
    assert any("BK.patients has 11 excerpts, needs at least 12" in p for p in problems)
    assert not any("voiced 'any'" in p for p in problems)  # 3 "any" are left: enough
    informal = next(i for i, e in enumerate(bank.excerpts) if e.voice == "informal")
    _only(
        _problems(_with_excerpt(bank, informal, voice="staff")),
        r"BK\.patients has 1 excerpts voiced 'informal', needs at least 2",
    )


def test_validate_catches_unused_success_characteristic():
    codebook = SMALL_CODEBOOK + [("SC.culture", "Culture", "success_characteristic", "SC", "leaf")]
    bank = _small_bank()
    extra = [
        dataclasses.replace(e, code="SC.culture", text=e.text.replace("Families come", "Respect comes"))
        for e in bank.excerpts
        if e.code == "SC.patient_focus"
    ]
    questions = bank.questions + tuple(Question("SC.culture", f"What about culture, question {n}?") for n in range(4))
    bigger = dataclasses.replace(bank, excerpts=bank.excerpts + tuple(extra), questions=questions)
    bigger = dataclasses.replace(
        bigger,
        excerpts=tuple(dataclasses.replace(e, placeholders=placeholders_of(e.text)) for e in bigger.excerpts),
    )
    problems = validate_bank(bigger, codebook=codebook)
    assert any("no process excerpt lists SC.culture" in p for p in problems), problems
    # and the same bank with one process excerpt tagged SC.culture is fine
    fixed = _with_excerpt(bigger, 0, also=("SC.patient_focus", "SC.culture"))
    assert validate_bank(fixed, codebook=codebook) == []


def test_validate_catches_too_few_placeholders():
    bank = _small_bank()
    # 24 excerpts; strip placeholders from 8 -> 16/24 = 67% < 70%
    excerpts = list(bank.excerpts)
    for i in range(8):
        text = re.sub(r"\{[a-z]+\}", "people", excerpts[i].text)
        excerpts[i] = dataclasses.replace(excerpts[i], text=text, placeholders=())
    problems = _problems(dataclasses.replace(bank, excerpts=tuple(excerpts)))
    _only(problems, r"67% of excerpts use a placeholder, needs at least 70%")
    # 7 stripped -> 17/24 = 71%: fine
    excerpts[7] = bank.excerpts[7]
    assert _problems(dataclasses.replace(bank, excerpts=tuple(excerpts))) == []


def test_validate_catches_bad_questions():
    bank = _small_bank()

    def with_question(index: int, question: Question) -> Bank:
        questions = list(bank.questions)
        questions[index] = question
        return dataclasses.replace(bank, questions=tuple(questions))

    problems = _problems(with_question(0, Question("XX", "Anything else?")))
    assert any("unknown topic 'XX'" in p for p in problems)
    assert any("topic opening has 3 questions, needs at least 4" in p for p in problems)
    _only(
        _problems(with_question(0, Question("opening", "Tell me about yourself."))),
        r"ends with '\?'",
    )
    _only(
        _problems(with_question(0, Question("opening", "How long have you been on {unit}?"))),
        r"without placeholders \(\{unit\}\)",
    )
    _only(
        _problems(with_question(1, bank.questions[0])),
        r"question 2, opening\): same question as",
    )


def test_validate_catches_bad_opening_answers():
    bank = _small_bank()
    answers = list(bank.opening_answers)
    answers[0] = OpeningAnswer("I'm {role} on {ward}.")
    answers[1] = OpeningAnswer("I'm {role}. I came here. I stayed. I like it.")
    problems = _problems(dataclasses.replace(bank, opening_answers=tuple(answers)))
    assert len(problems) == 2, problems
    assert "unknown placeholder(s) {ward}" in problems[0]
    assert "has 4 sentences, must have 1-3" in problems[1]
    _only(
        _problems(dataclasses.replace(bank, opening_answers=bank.opening_answers[:11])),
        r"11 opening answers, needs at least 12",
    )
    # {role} and {years} belong to opening answers only
    assert {"role", "years"} <= OPENING_PLACEHOLDERS
    assert not {"role", "years"} & EXCERPT_PLACEHOLDERS
    text = bank.excerpts[0].text.replace("{unit}", "{role}")
    _only(_problems(_with_excerpt(bank, 0, text=text)), r"unknown placeholder\(s\) \{role\}")


# --------------------------------------------------------------------------
# read_bank: problems of shape are LeadlibDataErrors with file and line

_GOOD_QUESTIONS = '[[question]]\ntopic = "BK"\ntext = "How?"\n'


def test_read_bank_reports_toml_syntax_with_line(tmp_path):
    excerpts = tmp_path / "excerpts.toml"
    excerpts.write_text('[[excerpt]]\ncode = "BK.patients"\ntext = "unclosed\n')
    questions = tmp_path / "questions.toml"
    questions.write_text(_GOOD_QUESTIONS)
    with pytest.raises(LeadlibDataError, match="not valid TOML") as info:
        read_bank(excerpts, questions)
    assert info.value.path == excerpts
    assert info.value.row == 3


def test_read_bank_reports_missing_field_with_line(tmp_path):
    excerpts = tmp_path / "excerpts.toml"
    entry = 'code = "BK.patients"\nalso = []\nvoice = "any"\nlevel = "any"\ntext = "Hi."\n'
    second = entry.replace('voice = "any"\n', "")
    excerpts.write_text("# comment\n\n[[excerpt]]\n" + entry + "\n[[excerpt]]\n" + second)
    questions = tmp_path / "questions.toml"
    questions.write_text(_GOOD_QUESTIONS)
    with pytest.raises(LeadlibDataError, match=r"\[\[excerpt\]\] has no 'voice'") as info:
        read_bank(excerpts, questions)
    assert info.value.row == 10  # the line of the second [[excerpt]]
    assert info.value.column == "voice"
    assert "voice = " in info.value.hint


def test_read_bank_reports_wrong_type(tmp_path):
    excerpts = tmp_path / "excerpts.toml"
    excerpts.write_text(
        '[[excerpt]]\ncode = "BK.patients"\nalso = "SC.culture"\nvoice = "any"\nlevel = "any"\ntext = "Hi."\n'
    )
    questions = tmp_path / "questions.toml"
    questions.write_text(_GOOD_QUESTIONS)
    with pytest.raises(LeadlibDataError, match="list of strings") as info:
        read_bank(excerpts, questions)
    assert info.value.value == "SC.culture" and info.value.row == 1


def test_read_bank_reads_what_it_is_given(tmp_path):
    excerpts = tmp_path / "excerpts.toml"
    excerpts.write_text(
        '[[excerpt]]\ncode = "BK.patients"\nalso = ["SC.patient_focus"]\nvoice = "staff"\n'
        "level = \"any\"\ntext = '''We asked {patients} on {day}s, \"why?\" It's {unit}.'''\n"
    )
    questions = tmp_path / "questions.toml"
    questions.write_text(_GOOD_QUESTIONS + '[[opening_answer]]\ntext = "I am {role}."\n')
    bank = read_bank(excerpts, questions)
    (ex,) = bank.excerpts
    assert ex == Excerpt(
        "BK.patients",
        ("SC.patient_focus",),
        "staff",
        "any",
        'We asked {patients} on {day}s, "why?" It\'s {unit}.',
        ("patients", "day", "unit"),
    )
    assert ex.source_line == 1
    assert bank.questions == (Question("BK", "How?"),)
    assert bank.opening_answers == (OpeningAnswer("I am {role}."),)


def test_every_leaf_code_of_the_design_codebook_is_covered():
    leaves = {row[0] for row in CODEBOOK if row[3] in ("BK", "TA", "RR", "SC")}
    assert leaves == {e.code for e in load_bank().excerpts}
    assert len(leaves) == 23


def test_sample_fillers_cover_every_placeholder():
    # keeps test_fill_fills_every_excerpt_and_answer honest when a placeholder is added
    assert set(SAMPLE_FILLERS) == set(OPENING_PLACEHOLDERS)
