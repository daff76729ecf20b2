"""leadlib.redact: the words of a quote that would give a withheld role back."""

from __future__ import annotations

import pytest

from leadlib import schema
from leadlib.redact import GIVEN_NAMES, REDACTED_NAME, REDACTED_ROLE, ROLE_TITLES, redact_names, redact_quote


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the examples, from the bundled study's quotes whose role is withheld
        ("As director of the department I pushed for it.", "As [role] I pushed for it."),
        ("I'm the unit secretary, so I see every chart.", "I'm the [role], so I see every chart."),
        ("As charge nurse I can see the whole board.", "As [role] I can see the whole board."),
        ("Last year, as medical director, I asked.", "Last year, as [role], I asked."),
        ("As a vice-president, I look at the numbers.", "As a [role], I look at the numbers."),
        ("When I became nurse manager I asked for the raw data.", "When I became [role] I asked for the raw data."),
        ("my job as manager was to protect the test", "my job as [role] was to protect the test"),
        ("I'm not the manager, I've just been here long.", "I'm not the [role], I've just been here long."),
        ("I AM THE SENIOR CLERK here.", "I AM THE [role] here."),
    ],
)
def test_self_descriptions_are_redacted(text, expected):
    assert redact_quote(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We tried it as a test for four months.",
        "We fix it as it comes in.",
        "We met as a team once and wrote out what a good day looks like.",
        "my job as translating both ways",
        "I'm the one who answers the phones.",  # gives the role away without a title: not caught (documented)
    ],
)
def test_ordinary_uses_of_as_are_kept(text):
    assert redact_quote(text) == text


def test_role_redacts_every_title_of_the_speakers_role_and_only_those():
    text = "The other nurse practitioner and I split it; the pharmacist checks."
    assert redact_quote(text, role="nurse_practitioner") == "The other [role] and I split it; the pharmacist checks."
    # without role= the mention is not a self-description: kept
    assert redact_quote(text) == text


def test_role_keeps_ordinary_words_that_are_also_titles():
    text = "You get the small stuff, the broken chair, the printer; the residents like it."
    assert redact_quote(text, role="medical_director") == text
    assert redact_quote(text, role="physician") == text


def test_abbreviations_count_only_in_capitals():
    assert redact_quote("the RN on nights, the turn", role="nurse") == "the [role] on nights, the turn"


def test_names_are_redacted_as_whole_words_any_case():
    out = redact_quote("Ask Dr. Okafor, or okafor's deputy; not Okaforson.", names=["Okafor", ""])
    assert out == f"Ask Dr. {REDACTED_NAME}, or {REDACTED_NAME}'s deputy; not Okaforson."


def test_every_role_of_the_vocabulary_has_titles():
    assert set(ROLE_TITLES) == set(schema.ROLES)
    for role in ROLE_TITLES:
        assert REDACTED_ROLE in redact_quote(f"I'm the {ROLE_TITLES[role][0]} here.")


def test_not_a_string_is_returned_as_is():
    assert redact_quote(None) is None


# ---------------------------------------------------------------------------------------------------------------
# the titles the bundled study's generator writes (leadlib.simulate.interview)


def _generator_titles() -> list[tuple[str, str]]:
    from leadlib.simulate import interview
    from leadlib.simulate.design import SETTING_MIX

    titles = set()
    for setting in SETTING_MIX:
        for kind in {*interview.KIND_OF_NAME.values(), None}:
            titles |= {(role, title) for role, title, _ in interview.staff_mix(setting, kind)}
        for role in ("medical_director", "nurse_manager", "administrator"):
            for level in ("micro", "meso", "macro"):
                titles.add((role, interview.leader_title(setting, role, level)))
    return sorted(titles)


_SELF_FORMS = ("I'm the {t} here.", "As {t} I asked.", "My title is {t}.", "I work here as a {t}.")
_FRAME_WORDS = {"here", "asked", "title", "work"}


def _leaks(out: str, title: str) -> list[str]:
    """The title, or its longer words, still in ``out`` (the words of the frame sentences aside)."""
    return [w for w in [title, *title.split()] if len(w) > 3 and w not in _FRAME_WORDS and w in out]


def test_the_generator_writes_many_titles_of_every_role():
    titles = _generator_titles()
    assert len(titles) > 100
    assert {role for role, _ in titles} == set(schema.ROLES)


@pytest.mark.parametrize("form", _SELF_FORMS)
def test_every_title_the_generator_writes_is_redacted_in_a_self_description(form):
    leaks = []
    for role, title in _generator_titles():
        text = form.format(t=title)
        for given in (None, role):
            out = redact_quote(text, role=given)
            if _leaks(out, title) or out.count(REDACTED_ROLE) != 1:
                leaks.append((role, given, out))
    assert leaks == []


def test_self_descriptions_keep_the_words_around_the_title():
    assert redact_quote("I'm the branch manager here.") == "I'm the [role] here."
    assert redact_quote("My title is respiratory therapist.") == "My title is [role]."
    assert redact_quote("I'm the director of nursing for the service, so.") == "I'm the [role], so."
    assert redact_quote("As chair of emergency medicine, I pushed.") == "As [role], I pushed."
    assert redact_quote("I'm a nurse working nights.") == "I'm a [role] working nights."
    assert redact_quote("As director of nursing and I think everyone agreed") == "As [role] and I think everyone agreed"
    # a "for" tail of counts or times is not part of the title
    assert redact_quote("I've been a nurse for twenty years.") == "I've been a [role] for twenty years."
    assert redact_quote("As medical director of the practice half of what I do") == "As [role] half of what I do"


@pytest.mark.parametrize(
    "text",
    [
        "I'm always telling nurses to call.",  # a verb before the title: not a self-description
        "I'm worried doctors will leave.",
        "As usual the manager said no.",
        "I am not sure the nurse manager knew.",
        "I'm on nights with the charge nurse.",
        "I'm a big believer in huddles.",
        "I also chair the quality council.",
        "I'm glad the residents like it.",
    ],
)
def test_words_before_a_title_that_are_no_self_description_are_kept(text):
    assert redact_quote(text) == text


def test_role_redacts_titles_with_their_qualifiers_anywhere():
    assert redact_quote("the other respiratory therapist on nights and I", role="allied_health") == (
        "the other [role] on nights and I"
    )
    assert redact_quote("The visiting nurse and the breast care nurse both came.", role="nurse") == (
        "The [role] and the [role] both came."
    )
    assert redact_quote("The home health aide told me.", role="other") == "The [role] told me."
    assert redact_quote("the director of critical care nursing said", role="nurse_manager") == "the [role] said"
    # another role's title is kept; "or" before a title is no qualifier
    assert redact_quote("the ICU nurse, a doctor or nurse", role="nurse") == "the [role], a doctor or [role]"
    assert redact_quote("The home health aide told me.", role="nurse") == "The home health aide told me."


# ---------------------------------------------------------------------------------------------------------------
# given names


def test_given_names_are_redacted_when_capitalised_as_whole_words():
    text = "Ask Carol or Frank; Carol's idea. carol singers, O'Neil, Carolyn, Frankly."
    out = redact_quote(text, given_names=True)
    assert out == "Ask [name] or [name]; [name]'s idea. carol singers, O'Neil, [name], Frankly."
    assert redact_quote(text) == text  # off by default
    assert redact_names(text, given_names=False) == text


def test_given_names_leave_words_that_are_also_names_at_a_sentence_start():
    text = "Will it work? May I ask? Grace period. Hope so. Joy. Faith in it. Art class. Bill the insurer."
    assert redact_quote(text, given_names=True) == text
    assert not {"Will", "May", "June", "Grace", "Hope", "Joy", "Faith", "Art", "Bill", "Mark", "Dean"} & GIVEN_NAMES


def test_given_names_hold_every_name_the_generator_writes():
    from leadlib.simulate.interview import FIRST_NAMES

    assert set(FIRST_NAMES) <= GIVEN_NAMES
    assert 250 <= len(GIVEN_NAMES) <= 600
    assert all(name[:1].isupper() and name.isalpha() for name in GIVEN_NAMES)
    for name in FIRST_NAMES:
        assert redact_quote(f"{name} asked me, and {name}'s team too.", given_names=True) == (
            "[name] asked me, and [name]'s team too."
        )
