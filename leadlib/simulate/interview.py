"""Interviews that read like interviews: a semi-structured protocol, answers composed for the setting and the speaker.

A site's facts (:func:`draw_site_facts`) are drawn once: what its staff call the unit and its patients, the measures
they watch, the huddle, the team meeting, the tools of about 2000, the improvement project under way, a recent event,
the names of the manager and the medical director. Every interview at the site uses the same facts.

:func:`write_interview` writes one interview: an opening (who the informant is, how long they have been here), the
main questions by topic (the three processes of leading and the success characteristics), probes that pick up what
was just said, short uncoded answers, and a closing. Each coded passage (:class:`Unit`) is composed from sentence
frames of its code for the speaker's voice (a formal leader speaks as the post holder, an informal leader leads
without a post, staff describe what their leaders do), with slots filled from the site's facts and from choices
that know the setting and the speaker's work (``_interview_talk``, ``_interview_words``).

Everything is drawn from the generator passed in: the same inputs give the same text. The material is FICTIONAL,
written for leadlib: no real person, institution, vendor or product, and no patient.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._interview_talk import ACTIVITY, GRAMMAR, PROBES, TOPIC_ORDER
from ._interview_words import (
    KIND_OF_NAME,
    KIND_STAFF,
    KIND_WORDS,
    KINDS,
    LEADER_PERSONA,
    LEADER_TITLES,
    NAME_PRONOUN,
    PEDIATRIC_KINDS,
    SETTINGS,
    STAFF,
)
from .design import PROCESS_CODES, SC_CODES, SETTING_MIX

__all__ = [
    "BORDERLINE_PAIRS",
    "FIRST_NAMES",
    "SC_OF_SUBCODE",
    "Measure",
    "SiteFacts",
    "Speaker",
    "Unit",
    "draw_site_facts",
    "leader_title",
    "sentence_reuse",
    "staff_mix",
    "write_interview",
]

#: Per process sub-code, the success characteristics its passages fit (the first is the one its frames show
#: without help; the others get a sentence that ties the passage to them).
SC_OF_SUBCODE: dict[str, tuple[str, ...]] = {
    "BK.patients": ("SC.patient_focus", "SC.performance_patterns", "SC.information_technology"),
    "BK.staff": ("SC.staff_focus", "SC.culture", "SC.leadership"),
    "BK.processes": ("SC.process_improvement", "SC.interdependence", "SC.performance_patterns"),
    "BK.measures": ("SC.performance_patterns", "SC.information_technology", "SC.process_improvement"),
    "BK.outside": ("SC.process_improvement", "SC.organizational_support", "SC.culture"),
    "TA.hiring": ("SC.staff_focus", "SC.culture", "SC.leadership"),
    "TA.developing": ("SC.staff_focus", "SC.culture", "SC.interdependence"),
    "TA.redesign": ("SC.process_improvement", "SC.patient_focus", "SC.interdependence"),
    "TA.resources": ("SC.organizational_support", "SC.leadership", "SC.information_technology"),
    "TA.communicating": ("SC.leadership", "SC.interdependence", "SC.information_technology", "SC.culture"),
    "RR.results": ("SC.performance_patterns", "SC.process_improvement", "SC.culture"),
    "RR.debrief": ("SC.culture", "SC.interdependence", "SC.process_improvement"),
    "RR.success": ("SC.patient_focus", "SC.leadership", "SC.performance_patterns"),
    "RR.next": ("SC.process_improvement", "SC.leadership", "SC.organizational_support"),
}

#: Pairs of codes the material writes borderline passages for (a passage that genuinely fits both).
BORDERLINE_PAIRS: tuple[tuple[str, str], ...] = (
    ("BK.measures", "RR.results"),
    ("BK.processes", "TA.redesign"),
    ("RR.success", "RR.next"),
    ("TA.communicating", "TA.developing"),
    ("BK.staff", "TA.developing"),
    ("RR.debrief", "RR.results"),
    ("SC.culture", "SC.interdependence"),
    ("SC.process_improvement", "SC.performance_patterns"),
    ("SC.patient_focus", "SC.interdependence"),
)

#: Every given name a transcript may hold (so that quotes can be redacted).
FIRST_NAMES: tuple[str, ...] = tuple(NAME_PRONOUN)

_LEADER_TYPES = ("formal", "informal", "none")
_LEVELS = ("micro", "meso", "macro")
_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
_SOLO_TITLES = (
    "activities director",
    "volunteer coordinator",
    "bereavement coordinator",
    "referral coordinator",
    "intake coordinator",
    "office coordinator",
    "unit pharmacist",
    "critical care pharmacist",
    "diabetes educator",
)
_SLOT = re.compile(r"\{([a-z_0-9.]+)\}")
_ALTERNATIVES = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
_MENTIONABLE = ("huddle", "meeting", "tool", "project", "event", "m", "board", "nbr")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
#: Hedges an answer paragraph may hold at most one of.
_HEDGE = re.compile(
    r"as far as I can tell|for what it's worth|in my experience|\banyway\b|at least from where I sit", re.I
)
#: How many times :meth:`_Talk.say` draws a symbol again when what it drew repeats a sentence of the interview.
_REDRAWS = 12
_CLAUSE = re.compile(r", (and|but|so|which|because|then|not|with|like|even|including|since)(?= )|([;:])(?= )")
_CONJUNCTIONS = ("And ", "But ", "So ", "Then ", "Which ", "Because ", "Or ")
#: Slots drawn afresh for each passage with many values: a sentence holding one is seldom said twice at a site.
_PARTICULAR = {"when", "while", "freq", "few", "name", "ldr", "money", "patients_say", "bad_day", "m_before", "m_after"}
#: Slots drawn per passage from a few values: two of them make a sentence particular.
_SOMEWHAT = {"m", "tool", "nbr", "where", "handoff", "care", "staffers", "peers"}
_OPENERS = (
    "Honestly,",
    "I'd say",
    "From what I see,",
    "In my experience,",
    "For the most part,",
    "As far as I can tell,",
    "If you ask me,",
    "To be honest,",
    "Generally,",
    "I think",
    "Really,",
    "Mostly,",
    "From where I sit,",
    "I guess",
    "On the whole,",
    "Most days,",
    "I'd have to say",
    "Oh,",
    "Well,",
    "Truthfully,",
    "In general,",
    "The way I see it,",
    "As {name} would tell you,",
    "Like {name} says,",
    "Ask {name}:",
    "{name} would say the same:",
    "Ask anybody here:",
    "Basically,",
    "Look,",
    "Put simply,",
    "Day to day,",
    "These days,",
    "Around here,",
    "You'd hear this from anyone:",
)
_TAILS = (
    ", I think",
    ", for what it's worth",
    ", most of the time",
    ", at least from where I sit",
    ", as far as I can tell",
    ", in my experience",
    ", you know",
    ", really",
    ", anyway",
    ", mostly",
    ", on a good day",
    ", if that makes sense",
    ", I'd say",
    ", more or less",
    ", basically",
    ", if I'm honest",
    ", these days",
)


@dataclass(frozen=True)
class Measure:
    """A measure a unit watches, with where it stood and where it stands now (the same in every interview)."""

    name: str
    before: str
    after: str
    better: str  # "down" or "up"


@dataclass(frozen=True)
class SiteFacts:
    """Everything a site's interviews share, drawn once per site by :func:`draw_site_facts`."""

    setting: str
    site_name: str
    kind: str
    pediatric: bool
    unit: str
    org: str
    patients: str
    patient: str
    family: str
    measures: tuple[Measure, ...]
    huddle: str
    meeting: str
    tools: tuple[str, ...]
    board: str
    project: str
    project_aim: str
    event: str
    event_when: str
    meso: str
    macro: str
    neighbours: tuple[str, ...]
    busy: str
    places: tuple[str, ...]
    manager_title: str
    manager_name: str
    director_title: str
    director_name: str
    colleagues: tuple[str, ...]


@dataclass(frozen=True)
class Speaker:
    """Who is speaking: role (``leadlib.schema.ROLES``), job title, leader type and level, years at this unit."""

    role: str
    title: str
    leader_type: str
    level: str | None
    years: int


@dataclass(frozen=True)
class Unit:
    """One coded passage an interview must contain (see the module docstring and the field comments)."""

    code: str
    sc: str
    leading: bool
    critical_of: str | None = None
    also: str | None = None
    between_levels: bool = False


# ---------------------------------------------------------------------------------------------------------------
# Site facts, staff, titles


def _check_setting(setting: str) -> None:
    if setting not in SETTING_MIX:
        raise ValueError(f"setting {setting!r} is not one of {sorted(SETTING_MIX)}")


def _pick(rng: np.random.Generator, options: Sequence):
    return options[int(rng.integers(len(options)))]


def _number(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def _amount(n: int, counted: str) -> str:
    word = _number(n)
    return {
        "min": f"{n} minutes",
        "pct": f"{n} percent",
        "month": f"{word} a month",
        "quarter": f"{word} a quarter",
        "days": "a day" if n == 1 else f"{word} days",
        "weeks": "a week" if n == 1 else f"{word} weeks",
        "hours": "an hour" if n == 1 else f"{word} hours",
    }[counted]


def _measure(rng: np.random.Generator, spec: tuple[str, str, int, int, str]) -> Measure:
    name, counted, lo, hi, better = spec
    mid = (lo + hi) // 2
    if better == "down":
        before = int(rng.integers(mid, hi + 1))
        after = int(rng.integers(lo, max(lo + 1, int(before * 0.75))))
    else:
        before = int(rng.integers(lo, mid + 1))
        after = int(rng.integers(min(hi, int(before * 1.2) + 1), hi + 1))
    return Measure(name, _amount(before, counted), _amount(after, counted), better)


def _kind(rng: np.random.Generator, setting: str, site_name: str) -> str:
    for word, kind in KIND_OF_NAME.items():
        if word.lower() in site_name.lower():
            return kind
    options = KINDS.get(setting)
    return _pick(rng, options) if options else ""


def draw_site_facts(rng: np.random.Generator, setting: str, site_name: str) -> SiteFacts:
    """Draw the facts every interview at one site shares.

    Parameters
    ----------
    rng
        The study's generator.
    setting
        One of ``leadlib.simulate.design.SETTING_MIX``.
    site_name
        The site's name; a kind of unit it names ("Dialysis Unit", "Neonatal Intensive Care") refines the facts.

    Returns
    -------
    SiteFacts
    """
    _check_setting(setting)
    kind = _kind(rng, setting, site_name)
    words = {**SETTINGS[setting], **KIND_WORDS.get(kind, {})}
    n_measures = int(rng.integers(2, 5))
    specs = words["measures"]
    chosen = rng.permutation(len(specs))[: min(n_measures, len(specs))]
    measures = tuple(_measure(rng, specs[int(i)]) for i in chosen)
    huddle_name = _pick(rng, words["huddle"])
    huddle_time = _pick(rng, words["huddle_time"])
    huddle = f"{huddle_name} at {huddle_time}" if huddle_name == "IDT" else f"the {huddle_time} {huddle_name}"
    tools = tuple(words["tools"][int(i)] for i in rng.permutation(len(words["tools"]))[:3])
    project, aim = _pick(rng, words["project"])
    event, when = _pick(rng, words["event"])
    names = list(rng.permutation(FIRST_NAMES))
    nbrs = tuple(words["nbr"][int(i)] for i in rng.permutation(len(words["nbr"]))[:3])
    return SiteFacts(
        setting=setting,
        site_name=site_name,
        kind=kind,
        pediatric=kind in PEDIATRIC_KINDS,
        unit=_pick(rng, words["unit"]),
        org=_pick(rng, words["org"]),
        patients=_pick(rng, words["patients"]),
        patient=_pick(rng, words["patient"]),
        family=_pick(rng, words["family"]),
        measures=measures,
        huddle=huddle,
        meeting=_pick(rng, words["meeting"]),
        tools=tools,
        board=_pick(rng, words["board"]),
        project=project,
        project_aim=aim,
        event=event,
        event_when=when,
        meso=_pick(rng, words["meso"]),
        macro=_pick(rng, words["macro"]),
        neighbours=nbrs,
        busy=_pick(rng, words["busy"]),
        places=tuple(words["where"]),
        manager_title=leader_title(setting, "nurse_manager", "micro"),
        manager_name=str(names[0]),
        director_title=leader_title(setting, "medical_director", "micro"),
        director_name=str(names[1]),
        colleagues=tuple(str(n) for n in names[2:6]),
    )


def _staff_table(setting: str, kind: str | None) -> tuple[tuple[str, str, float, str], ...]:
    _check_setting(setting)
    if kind and kind in KIND_STAFF:
        return KIND_STAFF[kind]
    return STAFF[setting]


def staff_mix(setting: str, kind: str | None = None) -> list[tuple[str, str, float]]:
    """The non-leader informants typical of a setting: ``(role, job title, weight)``.

    Parameters
    ----------
    setting
        One of ``leadlib.simulate.design.SETTING_MIX``.
    kind
        The site's kind of unit (``SiteFacts.kind``), which refines the mix (dialysis technicians in a dialysis
        unit, addiction counselors in an addiction programme).

    Returns
    -------
    list of (role, title, weight)
    """
    return [(role, title, weight) for role, title, weight, _ in _staff_table(setting, kind)]


def leader_title(setting: str, role: str, level: str) -> str:
    """The title of a formal leader's post.

    Parameters
    ----------
    setting
        One of ``leadlib.simulate.design.SETTING_MIX``.
    role
        One of ``leadlib.schema.ROLES``.
    level
        ``"micro"``, ``"meso"`` or ``"macro"``.

    Returns
    -------
    str
        For example ``"nurse manager"``, ``"director of nursing"`` (long-term care, meso), ``"chief medical
        officer"``.
    """
    _check_setting(setting)
    if level not in _LEVELS:
        raise ValueError(f"level {level!r} is not one of {_LEVELS}")
    own = LEADER_TITLES.get(setting, {})
    default = LEADER_TITLES["default"]
    for key in ((role, level), (role, "meso" if level == "macro" else level)):
        if key in own:
            return own[key]
        if key in default:
            return default[key]
    if role in LEADER_PERSONA:
        return {"micro": "team leader", "meso": "department head", "macro": "vice president"}[level]
    raise ValueError(f"role {role!r} is not one of leadlib.schema.ROLES")


def _persona(site: SiteFacts, speaker: Speaker) -> str:
    if speaker.leader_type == "formal":
        return LEADER_PERSONA.get(speaker.role, "coordinator")
    for table in (KIND_STAFF.get(site.kind, ()), STAFF[site.setting]):
        for role, title, _, persona in table:
            if title == speaker.title and role == speaker.role:
                return persona
    return {
        "physician": "physician",
        "medical_director": "physician",
        "nurse": "nurse",
        "nurse_manager": "nurse",
        "nurse_practitioner": "np",
        "allied_health": "therapist",
        "pharmacist": "pharm",
        "social_worker": "sw",
        "clerical": "clerk",
        "administrator": "admin",
    }.get(speaker.role, "coordinator")


# ---------------------------------------------------------------------------------------------------------------
# The writer: slots, sentence frames, passages


def _tidy(text: str) -> str:
    """Spaces left by an empty alternative."""
    return re.sub(r" +([.,;:?!])", r"\1", re.sub(r"  +", " ", text))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class _Talk:
    """Fills sentence frames for one interview: the site's facts, the speaker, and choices per passage."""

    def __init__(self, rng: np.random.Generator, site: SiteFacts, speaker: Speaker) -> None:
        self.rng = rng
        self.site = site
        self.speaker = speaker
        self.persona = _persona(site, speaker)
        voice = {"formal": "formal", "informal": "informal"}.get(speaker.leader_type, "staff")
        up = speaker.level in ("meso", "macro") and voice != "staff"
        self.voices = ([f"|{voice}_up"] if up else []) + [f"|{voice}", ""]
        places = [site.kind, site.setting] if site.kind else [site.setting]
        p = self.persona
        self.suffixes = (
            [f"@{p}@{k}" for k in places]
            + [f"@{p}"]
            + [f"@{k}" for k in places]
            + [("@kids" if site.pediatric else "@adults"), ""]
        )
        yw = "a year" if speaker.years == 1 else f"{_number(speaker.years)} years"
        leader_post = speaker.leader_type == "formal"
        article = (
            "the" if leader_post or speaker.title in _SOLO_TITLES else ("an" if speaker.title[0] in "aeiou" else "a")
        )
        self.base: dict[str, str] = {
            "unit": site.unit,
            "org": site.org,
            "pts": site.patients,
            "pt": site.patient,
            "fam": site.family,
            "huddle": site.huddle,
            "meeting": site.meeting,
            "board": site.board,
            "project": site.project,
            "aim": site.project_aim,
            "event": site.event,
            "event_when": site.event_when,
            "meso": site.meso,
            "macro": site.macro,
            "busy": site.busy,
            "title": speaker.title,
            "a_title": f"{article} {speaker.title}",
            "tenure": yw,
            "mgr_title": site.manager_title,
            "dir_title": site.director_title,
        }
        self.passage: dict[str, str] = {}
        self.used: set[str] = set()
        self.mentions: list[tuple[str, str]] = []
        self.recording = False
        self.said: set[str] = set()
        self.hedged = False
        self.strict = True
        self.plain = False
        self.new_passage()

    def new_answer(self) -> None:
        """A new answer paragraph: it may hold one hedge again."""
        self.mentions = []
        self.hedged = False

    # -- lookup and expansion
    def options(self, name: str) -> list[str]:
        """The frames of symbol ``name`` for this speaker and site (most specific first; ``+`` merges on)."""
        found: list[str] = []
        for voice in self.voices:
            for suffix in self.suffixes:
                key = f"{name}{voice}{suffix}"
                if key in GRAMMAR:
                    items = GRAMMAR[key]
                    if items and items[0] == "+":
                        found.extend(items[1:])
                        continue
                    found.extend(items)
                    return found
        if not found:
            raise KeyError(f"no frames for {name!r} (voices {self.voices}, suffixes {self.suffixes})")
        return found

    def has(self, name: str) -> bool:
        """Whether symbol ``name`` has frames for this speaker and site."""
        try:
            self.options(name)
        except KeyError:
            return False
        return True

    def slot(self, name: str, depth: int) -> str:
        """The value of one slot."""
        if name in self.passage:
            value = self.passage[name]
        elif name in self.base:
            value = self.base[name]
        else:
            return self.expand(_pick(self.rng, self.options(name)), depth + 1)
        if self.recording and name in _MENTIONABLE:
            self.mentions.append((name, value))
        return value

    def expand(self, frame: str, depth: int = 0) -> str:
        """Fill the slots of ``frame``."""
        if depth > 8:
            raise RecursionError(f"frame nests too deep: {frame!r}")
        frame = _ALTERNATIVES.sub(lambda m: _pick(self.rng, m.group(1).split("|")), frame)
        return _SLOT.sub(lambda m: self.slot(m.group(1), depth), frame)

    def say(self, name: str, *, spoken: bool = True, optional: bool = False) -> str:
        """One sentence (or a few) of symbol ``name``, filled, capitalised (``spoken``: as people say them).

        A spoken draw that would repeat a sentence already said in the interview (or a second hedge in the answer)
        is drawn again, up to ``_REDRAWS`` times; the draw with the fewest repeats is kept, except in a coded
        passage (but for the sentence that ties it to another level) or for an ``optional`` sentence, which is
        left out (an empty string). A sentence that cannot be left out gets ``_REDRAWS`` more draws, said whole.
        """
        options = self.options(name)
        if not spoken:
            return self._draw(options, spoken=False)
        mark, hedged, plain = len(self.mentions), self.hedged, self.plain
        droppable = self.recording and self.strict and not name.startswith("btw.")
        best: tuple[int, str, list[tuple[str, str]], bool] | None = None
        # A sentence that cannot be left out gets more draws, the later ones said whole (unsplit and unhedged).
        for attempt in range(_REDRAWS if droppable or optional else 2 * _REDRAWS):
            del self.mentions[mark:]
            self.hedged = hedged
            self.plain = plain or attempt >= _REDRAWS
            text = self._draw(options, spoken=True)
            clashes = self._clashes(text, hedged)
            if best is None or clashes < best[0]:
                best = (clashes, text, self.mentions[mark:], self.hedged)
            if not clashes:
                break
        self.plain = plain
        assert best is not None
        if best[0] and (droppable or optional):
            # A coded passage can do without the sentence: say nothing rather than say it again.
            del self.mentions[mark:]
            self.hedged = hedged
            return ""
        _, text, mentions, self.hedged = best
        self.mentions[mark:] = mentions
        self.said.update(_said_forms(text))
        return text

    def _clashes(self, text: str, hedged: bool) -> int:
        forms = _said_forms(text)
        n = sum(1 for f in forms if f in self.said) + len(forms) - len(set(forms))
        return n + (max(0, len(_HEDGE.findall(text)) - (0 if hedged else 1)) if _HEDGE.search(text) else 0)

    def _draw(self, options: list[str], *, spoken: bool) -> str:
        fresh = [f for f in options if f not in self.used] or options
        frame = _pick(self.rng, fresh)
        self.used.add(frame)
        chosen = _ALTERNATIVES.sub(lambda m: _pick(self.rng, m.group(1).split("|")), frame)
        text = _tidy(_cap(self.expand(chosen).strip()))
        if not spoken:
            return text
        pieces = [_cap(p) for p in _SENTENCE_END.split(text) if p]
        frames = _SENTENCE_END.split(chosen)
        if len(frames) != len(pieces):
            frames = [chosen] * len(pieces)
        out = " ".join(self.spoken(f, p) for f, p in zip(frames, pieces))
        if _HEDGE.search(out):
            self.hedged = True
        return out

    def spoken(self, frame: str, sentence: str) -> str:
        """A long sentence as people say it: split where a clause starts, or hedged (neither when ``plain``).

        A long sentence whose frame names nothing particular to the site is always split (when it can be), so
        that the long sentences of a study are the ones that carry its sites' own facts.
        """
        rng = self.rng
        if self.plain or len(sentence.split()) < 15:
            return sentence
        cuts = []
        for m in _CLAUSE.finditer(sentence):
            before, after = sentence[: m.start()].split(), sentence[m.end() :].split()
            if len(before) >= 4 and len(after) >= 3:
                cuts.append((max(len(before), len(after) + 1), m))
        slots = set(_SLOT.findall(frame))
        generic = not (slots & _PARTICULAR) and len(slots & _SOMEWHAT) < 2
        short = [m for c, m in cuts if c < 15]
        if cuts and generic:
            best = min(c for c, _ in cuts)
            m = _pick(rng, [m for c, m in cuts if c == best])
        elif short and rng.random() < 0.4:
            m = _pick(rng, short)
        else:
            m = None
        if m is not None:
            word = (m.group(1) or m.group(2) or "").strip()
            rest = sentence[m.end() :].lstrip()
            first = sentence[: m.start()] + "."
            second = f"{word.capitalize()} {rest}" if word not in (";", ":", "") else _cap(rest)
            whole = word in (";", ":", "") or second.startswith(_CONJUNCTIONS)
            return f"{self.hedge(first, True)} {self.hedge(second, True, front=whole)}"
        return self.hedge(sentence, generic)

    def hedge(self, sentence: str, generic: bool, *, front: bool = True) -> str:
        """A long sentence, now and then (a generic one always) with a hedge in front or behind.

        ``front=False``: the second half of a split sentence that starts mid-thought ("Including ...") gets nothing
        in front (a generic one always gets something behind).
        """
        rng = self.rng
        if len(sentence.split()) < 15:
            return sentence
        if front and rng.random() < (1.0 if generic else 0.75) and not sentence.startswith(("I ", "I'")):
            conj = ""
            if sentence.startswith(_CONJUNCTIONS):
                conj, sentence = sentence.split(" ", 1)
            first = sentence.split(" ", 1)[0]
            keep = (len(first) > 1 and first.isupper()) or first.rstrip(",:") in NAME_PRONOUN or first in ("I", "I'm")
            body = sentence if keep else sentence[:1].lower() + sentence[1:]
            opener = self.expand(_pick(rng, self._unhedged(_OPENERS)))
            if conj:
                lead = (
                    opener if opener.split(" ", 1)[0].rstrip(",:") in NAME_PRONOUN else opener[:1].lower() + opener[1:]
                )
                sentence = f"{conj} {lead} {body}"
            else:
                sentence = f"{opener} {body}"
        if rng.random() < (0.7 if generic and front else 1.0 if generic else 0.6) and sentence.endswith("."):
            sentence = f"{sentence[:-1]}{_pick(rng, self._unhedged(_TAILS))}."
        if _HEDGE.search(sentence):
            self.hedged = True
        return sentence

    def _unhedged(self, words: Sequence[str]) -> Sequence[str]:
        """``words`` without the hedges once the answer has one."""
        if self.hedged:
            return [w for w in words if not _HEDGE.search(w)]
        return words

    # -- per passage
    def new_passage(self) -> None:
        """Draw what one passage is about: its measure, tool, neighbouring unit, leader, colleague."""
        site, rng = self.site, self.rng
        m = _pick(rng, site.measures)
        manager = rng.random() < 0.7 or self.speaker.role == "medical_director"
        if self.speaker.role == "nurse_manager" and self.speaker.leader_type == "formal":
            manager = False
        name = site.manager_name if manager else site.director_name
        title = site.manager_title if manager else site.director_title
        short = "our manager" if manager else "the medical director"
        formal_name = short if (" of " in title or " for " in title) else f"our {title}"
        ldr = name if rng.random() < 0.12 else (short if rng.random() < 0.6 else formal_name)
        she = NAME_PRONOUN[name]
        colleague = _pick(rng, site.colleagues)
        self.passage = {
            "m": m.name,
            "m_before": m.before,
            "m_after": m.after,
            "m_way": "down" if m.better == "down" else "up",
            "tool": _pick(rng, site.tools),
            "nbr": _pick(rng, site.neighbours),
            "where": _pick(rng, site.places),
            "ldr": ldr,
            "ldr_she": she,
            "ldr_her": "her" if she == "she" else "his",
            "ldr_him": "her" if she == "she" else "him",
            "name": colleague,
            "name_she": NAME_PRONOUN[colleague],
            "name_her": "her" if NAME_PRONOUN[colleague] == "she" else "his",
            "name_him": "her" if NAME_PRONOUN[colleague] == "she" else "him",
        }

    def passage_text(self, unit: Unit) -> str:
        """The coded passage of one unit: whole sentences, about 60-160 words, none said before if it can be helped."""
        best, best_used = "", self.used
        start_used, start_said, start_hedged = set(self.used), set(self.said), self.hedged
        best_said, best_hedged = self.said, self.hedged
        mark = len(self.mentions)
        best_mentions: list[tuple[str, str]] = []
        for attempt in range(8):
            if attempt == 5 and len(best.split()) >= 60:
                break
            self.used, self.said, self.hedged = set(start_used), set(start_said), start_hedged
            del self.mentions[mark:]
            self.new_passage()
            # Five tries leave out sentences already said; if none makes a passage, repeats are let in.
            self.strict = attempt < 5
            self.recording = True
            plan = self.plan(unit)
            sentences = [self.say(s) for s in plan]
            if self.strict:
                self.lengthen(unit, plan, sentences)
            self.recording = False
            sentences = self.speechlike(sentences)
            text = " ".join(s for s in sentences if s)
            n = len(text.split())
            if 96 <= n <= 158:
                return text
            if not best or abs(n - 118) < abs(len(best.split()) - 118):
                best, best_used, best_mentions = text, self.used, self.mentions[mark:]
                best_said, best_hedged = self.said, self.hedged
        self.used, self.said, self.hedged = best_used, best_said, best_hedged
        self.mentions[mark:] = best_mentions
        return best

    def lengthen(self, unit: Unit, plan: list[str], sentences: list[str]) -> None:
        """A passage left short by sentences it could not say again: more of its middle symbols, before its end.

        A borderline passage borrows from the middles of both its codes.
        """
        extra = [sym for sym in dict.fromkeys(plan[1:-1]) if not sym.startswith(("flav.", "btw."))]
        if unit.also is not None:
            for code in (unit.code, unit.also):
                extra += [f"{code}.mid", f"{code}.more"] if code in SC_OF_SUBCODE else [f"{code}.a", f"{code}.b"]
        extra = [sym for sym in extra if self.has(sym)]
        for _round in range(2):
            for sym in extra:
                if len(" ".join(sentences).split()) >= 96:
                    return
                sentences.insert(len(sentences) - 1, self.say(sym))

    def plan(self, unit: Unit) -> list[str]:
        """The sentence symbols of a unit's passage."""
        rng = self.rng
        if unit.critical_of is not None:
            flavour = [f"{unit.sc}.b"]
        else:
            flavour = [] if unit.sc == _natural_sc(unit) else [f"flav.{unit.sc}"]
        if unit.also is not None:
            key = "bl." + "+".join(sorted((unit.code, unit.also)))
            core = [f"{key}.a", f"{key}.a", f"{key}.b", f"{key}.c"]
        elif unit.leading:
            core = [f"{unit.code}.open", f"{unit.code}.mid", f"{unit.code}.mid", f"{unit.code}.more"]
            if rng.random() < 0.75:
                core.append(f"{unit.code}.more")
            core.append(f"{unit.code}.end")
        elif unit.critical_of is not None:
            crit = unit.critical_of
            first = "crit.self" if self.speaker.leader_type == "formal" else f"{crit}.crit"
            core = [first, f"{crit}.crit" if first == "crit.self" else "crit.gen", "crit.gen", "crit.gen"]
            if rng.random() < 0.7:
                core.append("crit.but")
            self.passage["act"] = self.expand(ACTIVITY[crit])
            self.passage["act_cap"] = _cap(self.passage["act"])
        else:
            sc = unit.sc
            core = [f"{sc}.a", f"{sc}.a", f"{sc}.b", f"{sc}.b", f"{sc}.c"]
            if rng.random() < 0.75:
                core.insert(4, f"{sc}.b")
        if unit.between_levels and unit.leading:
            core.insert(len(core) - 1, f"btw.{unit.code.split('.')[0]}")
        if flavour:
            core.insert(len(core) - 1 if len(core) > 2 else len(core), flavour[0])
        return core

    def speechlike(self, sentences: list[str]) -> list[str]:
        """Now and then a discourse marker in front of a sentence (never the first)."""
        if len(sentences) > 2 and self.rng.random() < 0.18:
            k = int(self.rng.integers(1, len(sentences)))
            s = sentences[k]
            if not s or len(s.split()) > 11 or len(_SENTENCE_END.split(s)) > 1:
                return sentences
            first = s.split(" ", 1)[0]
            if (
                first not in ("I", "I'm", "I've", "I'd")
                and not (len(first) > 1 and first.isupper())
                and first not in NAME_PRONOUN
                and "{" not in first
            ):
                s = s[:1].lower() + s[1:]
            marker = _pick(self.rng, ("I mean, ", "You know, ", "And ", "So ", "Honestly, "))
            sentences[k] = marker + s
        return sentences


_MARKERS = re.compile(r"^(?:(?:and|but|so|then|or|i mean|you know|honestly|well|oh),? )+")


def _said_forms(text: str) -> list[str]:
    """The sentences of ``text``, as compared for repeats (case, end and leading markers aside)."""
    out = []
    for s in _SENTENCE_END.split(text.replace("\u2019", "'")):
        s = _MARKERS.sub("", s.strip().lower()).rstrip(".!?")
        if s:
            out.append(s)
    return out


def _natural_sc(unit: Unit) -> str:
    if unit.leading and unit.code in SC_OF_SUBCODE:
        return SC_OF_SUBCODE[unit.code][0]
    return unit.sc if unit.critical_of is None else ""


def _topic(unit: Unit) -> str:
    if unit.leading and unit.code in SC_OF_SUBCODE:
        return unit.code.split(".")[0]
    if unit.critical_of is not None:
        return unit.critical_of.split(".")[0]
    return unit.sc


def _question_key(unit: Unit) -> str:
    if unit.leading:
        return unit.code
    return unit.critical_of or unit.sc


def _check_unit(unit: Unit) -> None:
    codes = set(PROCESS_CODES) | set(SC_CODES)
    if unit.code not in codes or unit.sc not in SC_CODES:
        raise ValueError(f"unit {unit}: code or sc is not a leaf code of the codebook")
    if unit.leading and unit.code not in SC_OF_SUBCODE:
        raise ValueError(f"unit {unit}: a leading unit's code must be a process sub-code")
    if not unit.leading and unit.code != unit.sc:
        raise ValueError(f"unit {unit}: a non-leading unit's code must equal its sc")
    if unit.critical_of is not None and (unit.leading or unit.critical_of not in SC_OF_SUBCODE):
        raise ValueError(f"unit {unit}: critical_of is a process sub-code, for non-leading units only")
    if unit.also is not None and frozenset((unit.code, unit.also)) not in {frozenset(p) for p in BORDERLINE_PAIRS}:
        raise ValueError(f"unit {unit}: ({unit.code}, {unit.also}) is not one of BORDERLINE_PAIRS")


def _check_speaker(speaker: Speaker) -> None:
    if speaker.leader_type not in _LEADER_TYPES:
        raise ValueError(f"leader_type {speaker.leader_type!r} is not one of {_LEADER_TYPES}")
    if speaker.leader_type == "none" and speaker.level is not None:
        raise ValueError("a speaker who is not a leader has no level (None)")
    if speaker.leader_type != "none" and speaker.level not in _LEVELS:
        raise ValueError(f"a leader's level must be one of {_LEVELS}, not {speaker.level!r}")
    if speaker.years < 1:
        raise ValueError(f"years must be at least 1, not {speaker.years}")


# ---------------------------------------------------------------------------------------------------------------
# The interview


class _Script:
    """The transcript being written, with the position of every coded span."""

    def __init__(self, head: str, curly: bool) -> None:
        self.parts = [head]
        self.pos = len(head)
        self.curly = curly
        self.asked: set[str] = set()

    def q(self, text: str) -> None:
        self.asked.add(text)
        self._add(f"Q: {text}\n\n")

    def a(self, pieces: list[tuple[str, int | None]], spans: dict[int, tuple[int, int]]) -> None:
        """An answer paragraph from ``(sentences, unit index or None)`` pieces."""
        self._add("A: ")
        for k, (text, idx) in enumerate(pieces):
            if k:
                self._add(" ")
            if self.curly:
                text = text.replace("'", "\u2019")
            if idx is not None:
                spans[idx] = (self.pos, self.pos + len(text))
            self._add(text)
        self._add("\n\n")

    def _add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def text(self) -> str:
        return "".join(self.parts)


def _paragraphs(rng: np.random.Generator, units: Sequence[Unit]) -> list[list[int]]:
    """Units grouped into answer paragraphs, topic by topic in the order of the interview guide."""
    by_topic: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        by_topic.setdefault(_topic(u), []).append(i)
    out: list[list[int]] = []
    for topic in TOPIC_ORDER:
        idxs = by_topic.get(topic, [])
        k = 0
        while k < len(idxs):
            take = 2 if k + 1 < len(idxs) and rng.random() < 0.12 else 1
            group = idxs[k : k + take]
            if take == 2 and _question_key(units[group[0]]) == _question_key(units[group[1]]):
                group = group[:1]
            out.append(group)
            k += len(group)
    return out


def _choose_question(talk: _Talk, script: _Script, key: str) -> str | None:
    for name in (f"q.{key}", "q.more"):
        asked = [_to_informant(talk.expand(f)) for f in talk.options(name)]
        fresh = [q for q in asked if q not in script.asked]
        if fresh:
            return _pick(talk.rng, fresh)
    return None


def _to_informant(question: str) -> str:
    """The interviewer's words: the informant's unit and patients are "your", not "our"."""
    return re.sub(r"\bour\b", "your", question)


def write_interview(
    rng: np.random.Generator,
    *,
    head: str,
    site: SiteFacts,
    speaker: Speaker,
    units: Sequence[Unit],
    curly: bool = False,
) -> tuple[str, list[tuple[int, int]]]:
    """Write one interview.

    Parameters
    ----------
    rng
        The study's generator; the only source of chance.
    head
        The transcript's first lines, written verbatim.
    site
        The site's facts (:func:`draw_site_facts`).
    speaker
        The informant.
    units
        The coded passages the interview must contain.
    curly
        Type the answers with typographic apostrophes (U+2019).

    Returns
    -------
    text, spans
        The transcript, and per unit in the order given its ``(start, end)``: ``text[start:end]`` is the passage.
    """
    _check_speaker(speaker)
    for u in units:
        _check_unit(u)
    talk = _Talk(rng, site, speaker)
    script = _Script(head, curly)
    spans: dict[int, tuple[int, int]] = {}

    _opening(talk, script, spans)
    groups = _paragraphs(rng, units)
    plan: list[tuple[str, list[int]]] = []
    topic = None
    for group in groups:
        question = _choose_question(talk, script, _question_key(units[group[0]]))
        if question is None and plan:
            plan[-1][1].extend(group)
            continue
        if question is None:
            question = talk.say("q.fallback", spoken=False)
        script.asked.add(question)
        if topic is not None and _topic(units[group[0]]) != topic and rng.random() < 0.35:
            question = f"{talk.say('q.switch', spoken=False)} {question}"
        topic = _topic(units[group[0]])
        script.asked.add(question)
        plan.append((question, group))
    probed: set[str] = set()
    for question, group in plan:
        script.q(question)
        talk.new_answer()
        pieces: list[tuple[str, int | None]] = []
        if rng.random() < 0.6:
            pieces.append((talk.say("lead", optional=True), None))
        for k, idx in enumerate(group):
            if k and rng.random() < 0.4:
                pieces.append((talk.say("bridge", optional=True), None))
            pieces.append((talk.passage_text(units[idx]), idx))
        if rng.random() < 0.55:
            pieces.append((talk.say("tail" if rng.random() < 0.35 else "aside", optional=True), None))
        script.a([p for p in pieces if p[0]], spans)
        _probe(talk, script, spans, probed)
    _closing(talk, script, spans)
    script._add("[End of interview]\n")
    return script.text(), [spans[i] for i in range(len(units))]


def _opening(talk: _Talk, script: _Script, spans: dict) -> None:
    script.q(talk.say("q.open", spoken=False))
    talk.plain = True  # who one is and how long one has been here are said plainly
    pieces = [talk.say("open.self"), talk.say("open.tenure")]
    talk.plain = False
    if talk.has("open.extra") and talk.rng.random() < 0.8:
        pieces.append(talk.say("open.extra"))
    if talk.rng.random() < 0.5:
        pieces.append(talk.say("open.before"))
    script.a([(" ".join(pieces), None)], spans)
    if talk.rng.random() < 0.9:
        script.q(talk.say("q.day", spoken=False))
        talk.hedged = False
        script.a([(f"{talk.say('day.a')} {talk.say('day.b')}", None)], spans)


def _probe(talk: _Talk, script: _Script, spans: dict, probed: set[str]) -> None:
    fresh = [(kind, value) for kind, value in talk.mentions if value not in probed]
    if not fresh or talk.rng.random() > 0.75:
        return
    kind, value = fresh[-1]
    probed.add(value)
    said = _to_informant(value)
    options = [k for k, q in enumerate(PROBES[kind]) if f"You mentioned {said}. {q}" not in script.asked]
    if not options:
        return
    talk.passage["it"] = value
    talk.hedged = False
    for k in talk.rng.permutation(options):
        # A question whose answers would all repeat what was said is not asked.
        answer = talk.say(f"probe.{kind}.{k}", optional=True)
        if answer:
            break
    else:
        return
    script.q(f"You mentioned {said}. {PROBES[kind][int(k)]}")
    if talk.rng.random() < 0.7:
        answer = f"{answer} {talk.say('aside', optional=True)}".rstrip()
    script.a([(answer, None)], spans)


def _closing(talk: _Talk, script: _Script, spans: dict) -> None:
    script.q(talk.say("q.close", spoken=False))
    talk.hedged = False
    script.a([(talk.say("close"), None)], spans)


# ---------------------------------------------------------------------------------------------------------------
# Measuring reuse


def _answer_sentences(text: str) -> list[str]:
    out = []
    for para in text.replace("\u2019", "'").split("\n\n"):
        if para.startswith("A: "):
            out.extend(s.strip() for s in _SENTENCE_END.split(para[3:]) if s.strip())
    return out


def sentence_reuse(texts: Sequence[str], *, min_words: int = 15) -> dict:
    """How often long answer sentences recur across interviews.

    Parameters
    ----------
    texts
        Transcripts (paragraphs separated by a blank line; answers start ``A: ``).
    min_words
        Sentences with fewer words are not counted.

    Returns
    -------
    dict
        ``long_sentences``: distinct answer sentences of at least ``min_words`` words (typographic apostrophes
        read as straight ones); ``share_in_more_than_one``: the share of them that stand in more than one
        interview; ``max_interviews``: the most interviews one of them stands in; ``worst``: that sentence ("" if
        none).
    """
    where: dict[str, set[int]] = {}
    for k, text in enumerate(texts):
        for s in _answer_sentences(text):
            if len(s.split()) >= min_words:
                where.setdefault(s, set()).add(k)
    if not where:
        return {"long_sentences": 0, "share_in_more_than_one": 0.0, "max_interviews": 0, "worst": ""}
    worst = max(where, key=lambda s: (len(where[s]), s))
    shared = sum(1 for ks in where.values() if len(ks) > 1)
    return {
        "long_sentences": len(where),
        "share_in_more_than_one": shared / len(where),
        "max_interviews": len(where[worst]),
        "worst": worst,
    }
