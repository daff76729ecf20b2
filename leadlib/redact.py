"""Redacting the words of a quote that would undo a withheld role: "As director of the department I ...".

:mod:`leadlib.deidentify` decides which role a quote may be shown with; when
the role is withheld, the quote's own words may still name it ("As charge
nurse I ask ...", "I'm the unit secretary"). :func:`redact_quote` replaces
such words with ``[role]`` (and given names with ``[name]``), so that what the
role rule hides, the text does not give back.

What is replaced:

- a speaker describing their own post: ``as``, ``I'm``, ``I am``, ``I was``,
  ``I've been``, ``I became``, ``my title is``, ``my job as``, ``my role as``,
  ``my position as`` (any case) followed by a noun phrase that ends in a
  title (``director``, ``charge nurse``, ``branch manager``, ``respiratory
  therapist``, ``home health aide``, ``cardiologist``, ...), with its
  qualifier words, whatever they are, and its ``of``/``for`` tail ("director
  of critical care nursing", "vice president for operations"): the phrase
  runs up to the next punctuation or boundary word (``here``, ``at``,
  ``in``, ``and``, ``so``, ``who``, ``I``, ``was``, ...). "As director of the
  department I pushed" becomes "As [role] I pushed";
- with ``role=`` (the speaker's role in :data:`leadlib.schema.ROLES`), every
  mention of that role's titles (:data:`ROLE_TITLES`), wherever it is, with
  the qualifier words a title takes ("the other respiratory therapist and
  I", "the visiting nurse");
- every name of ``names=``, whole words, any case;
- with ``given_names=True``, every name of :data:`GIVEN_NAMES` written with
  a capital ("Carol", "Carol's"; not "carol"), whole words.

It errs on the side of hiding: a title after "as" is replaced even when it
describes someone else ("as the nurse said"), and a name that is also a word
("Frank", "Ray") is replaced at the start of a sentence. Text that gives the
role away without a title ("I'm the one who answers the phones") is not
caught, nor a given name that is also a common word ("Will", "May", "Grace":
not in :data:`GIVEN_NAMES`; pass such names with ``names=``): the research
team still reads the quotes before they leave it.

>>> redact_quote("As director of the department I pushed for it.")
'As [role] I pushed for it.'
>>> redact_quote("I'm the director of critical care nursing here.")
"I'm the [role] here."
>>> redact_quote("Carol asked me.", given_names=True)
'[name] asked me.'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

__all__ = ["GIVEN_NAMES", "REDACTED_ROLE", "REDACTED_NAME", "ROLE_TITLES", "redact_names", "redact_quote"]

#: What replaces words naming the speaker's role, and a name.
REDACTED_ROLE = "[role]"
REDACTED_NAME = "[name]"

#: Titles naming a post, grouped by the role of :data:`leadlib.schema.ROLES` they name (for ``role=``). A title
#: with ``of`` ("director of nursing") also matches with up to three words before its last one ("director of
#: critical care nursing"); qualifier words before a title ("respiratory", "visiting") go with it.
ROLE_TITLES: dict[str, tuple[str, ...]] = {
    "medical_director": (
        "medical director",
        "director",
        "chief medical officer",
        "chair of medicine",
        "chief of medicine",
        "chief of staff",
        "chief of the department",
        "department chair",
        "chair",
        "chief",
    ),
    "physician": (
        "physician",
        "doctor",
        "attending",
        "resident",
        "fellow",
        "hospitalist",
        "intensivist",
        "pediatrician",
        "surgeon",
        "cardiologist",
        "neonatologist",
        "nephrologist",
        "pulmonologist",
        "oncologist",
        "psychiatrist",
    ),
    "nurse_manager": (
        "nurse manager",
        "manager",
        "charge nurse",
        "head nurse",
        "supervisor",
        "nurse mgr",
        "director of nursing",
        "nursing director",
        "director of patient services",
        "director of clinical services",
        "chief nursing officer",
    ),
    "nurse_practitioner": ("nurse practitioner", "practitioner", "NP", "APRN"),
    "nurse": ("nurse", "nurse case manager", "RN", "LPN"),
    "allied_health": (
        "therapist",
        "technician",
        "tech",
        "dietitian",
        "dietician",
        "educator",
        "technologist",
        "psychologist",
    ),
    "pharmacist": ("pharmacist",),
    "social_worker": ("social worker", "case manager", "caseworker"),
    "clerical": (
        "secretary",
        "clerk",
        "receptionist",
        "scheduler",
        "coordinator",
        "assistant",
        "intake coordinator",
        "office coordinator",
        "referral coordinator",
        "unit coordinator",
    ),
    "administrator": (
        "administrator",
        "vice-president",
        "vice president",
        "VP",
        "president",
        "CEO",
        "COO",
        "executive",
        "executive director",
        "director of operations",
        "director of services",
        "clinical director",
        "practice manager",
        "clinic manager",
        "branch manager",
        "program manager",
    ),
    "other": (
        "aide",
        "nursing assistant",
        "medical assistant",
        "activities director",
        "chaplain",
        "counselor",
        "counsellor",
        "volunteer coordinator",
        "bereavement coordinator",
        "family therapist",
        "dialysis technician",
        "ED technician",
        "interpreter",
        "transporter",
    ),
}

# Head words of a post's title besides those of ROLE_TITLES (self-descriptions only): "team leader", "department
# head", "chief nursing officer", and the specialists ("cardiologist", "psychiatrist", "technician").
_EXTRA_HEADS = ("officer", "head", "leader", "dean", "specialist", "worker", "coordinator")
_SPECIALIST = r"[a-z]+(?:ologist|iatrist|ician)"

# Words that qualify a title with ``role=``: "charge nurse", "respiratory therapist", "home health aide" (any case;
# the abbreviations in capitals only).
_QUALIFIERS_TEXT = """
    new former acting interim deputy assistant associate senior junior lead head chief charge unit ward clinic
    medical nursing nurse clinical program programme practice staff attending physician executive operations
    department site quality floor day night regional branch service line respiratory occupational physical speech
    diabetes wound echo mammography radiology lab dialysis visiting breast care critical triage office
    psychiatric medication neonatal addiction child family pediatric paediatric emergency hospice home health
    restorative registration referral intake volunteer bereavement activities case social patient float pool
    infection palliative certified registered licensed practical advanced community school public behavioral
    mental surgical cardiac oncology ambulatory primary urgent general travel agency
"""
_QUALIFIERS = frozenset(_QUALIFIERS_TEXT.split())
_QUALIFIER_ABBREVIATIONS = frozenset({"ED", "ER", "ICU", "NICU", "PICU", "OR", "ICU's"})
_WORD_BEFORE = re.compile(r"([A-Za-z']+)[ -]\Z")


def _qualified_start(text: str, start: int) -> int:
    """Where a title that starts at ``start`` starts with the qualifier words before it ("the [visiting nurse]")."""
    while True:
        m = _WORD_BEFORE.search(text, max(0, start - 40), start)
        if m is None or not (m.group(1).lower() in _QUALIFIERS or m.group(1) in _QUALIFIER_ABBREVIATIONS):
            return start
        start = m.start()


# Boundary words: a self-description's noun phrase ends before them ("I'm the unit clerk here", "As manager I").
_STOP_TEXT = """
    here there now then today for at in on and so but since because which who whom whose that when where while
    with without from to into by about than as like of or nor if i me my mine we us our you your he him his she
    her they them their it its this these those the a an is was were are am be been being has have had do does
    did can could will would shall should may might must not no never just really also still only even always
    usually mostly often sometimes probably actually basically pretty very quite too sure glad happy sorry
    afraid said say says told tell think thought know knew get got see saw make made want wanted went go goes
    one who's what how why all any some every each both either neither other another same such own
"""
_STOP = frozenset(_STOP_TEXT.split())
# In an "of"/"for" tail, also counts and times: "a nurse for twenty years", "nurse of the year".
_TAIL_STOP_TEXT = """
    two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty few several many most
    half part much lot bit year years month months week weeks day days night nights shift shifts while long ages
    decade decades
"""
_TAIL_STOP = _STOP | frozenset(_TAIL_STOP_TEXT.split())
# Qualifier words keep these endings only as titles use them ("nursing assistant", "registered nurse"):
# "I'm always telling nurses", "I'm worried doctors" are not self-descriptions.
_TITLE_PARTICIPLES = (
    "nursing",
    "training",
    "visiting",
    "attending",
    "consulting",
    "managing",
    "admitting",
    "founding",
    "registered",
    "certified",
    "licensed",
    "advanced",
    "qualified",
    "retired",
)
_VERBISH = r"(?!" + "".join(rf"(?!{w}\b)" for w in _TITLE_PARTICIPLES) + r"[a-z]+(?:ing|ed)\b)"


def _not(words: Iterable[str]) -> str:
    return r"(?!(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b)"


_WORD = r"[a-z][a-z'’]*(?:-[a-z]+)*"
_MODIFIER = _not(_STOP) + _VERBISH + _WORD
_TAIL_WORD = _not(_TAIL_STOP) + r"[a-z][a-z'’]*(?:-[a-z]+)*"
# "of emergency and trauma nursing", "for the company's homes", "of the department".
_OPEN_TAIL = (
    r"(?:\s+(?:of|for)\s+(?:(?:the|this|our|my|a|an|its|their)\s+)?"
    + _TAIL_WORD
    + r"(?:\s+(?:and\s+)?"
    + _TAIL_WORD
    + r"){0,3}){0,2}"
)
# Heads whose title takes a "for" tail too ("vice president for operations"); other titles take "of" tails only.
_LEADER_HEADS = ("director", "president", "officer", "administrator", "chief", "chair", "head", "dean", "manager")
# The tail of any other title: "of the department", "for the unit", "on our floor", "of emergency medicine".
_FIXED_TAIL = r"\s+(?:of|for|on|in)\s+(?:the|this|our|my)\s+(?:department|unit|clinic|practice|service|ward|floor|team)"
_OF_TAIL = (
    r"(?:"
    + _FIXED_TAIL
    + r"|\s+of\s+(?:(?:the|this|our|my|a|an|its|their)\s+)?"
    + _TAIL_WORD
    + r"(?:\s+(?:and\s+)?"
    + _TAIL_WORD
    + r"){0,3})?"
)


def _title_pattern(titles: Iterable[str]) -> str:
    alternatives = []
    for title in sorted(set(titles), key=len, reverse=True):  # longest first: "nurse manager" before "nurse"
        if " of " in title:  # "director of nursing" also as "director of critical care nursing"
            head, _, rest = title.partition(" of ")
            *_, last = rest.split()
            first = re.escape(head).replace(r"\ ", r"[ -]")
            alternatives.append(
                first
                + r"\s+of\s+(?:"
                + re.escape(rest).replace(r"\ ", r"\s+")
                + r"|(?:\w+\s+){0,3}?"
                + re.escape(last)
                + ")"
            )
        else:
            alternatives.append(re.escape(title).replace(r"\ ", r"[ -]"))
    return "(?:" + "|".join(alternatives) + r")(?:e?s)?"


def _is_leader(title: str) -> bool:
    """Whether a title's head word takes a "for" tail: "director of nursing (for the practices)"."""
    return title.partition(" of ")[0].split()[-1].lower() in _LEADER_HEADS


_ALL_TITLES = [t for titles in ROLE_TITLES.values() for t in titles]
_HEAD = r"(?:" + _title_pattern([*_ALL_TITLES, *_EXTRA_HEADS]) + r"|" + _SPECIALIST + r"s?)"
_LEADER_HEAD = _title_pattern([t for t in [*_ALL_TITLES, *_EXTRA_HEADS] if _is_leader(t)])
_ARTICLE = r"(?:(?:the|a|an|our|this|their|its|the\s+unit's|the\s+department's|the\s+practice's)\s+)?"
_LEAD = (
    r"\b(?P<lead>as|I['’]m|I\s+am|I\s+was|I['’]ve\s+been|I\s+have\s+been|I\s+used\s+to\s+be|I\s+became|"
    r"my\s+(?:job|role|work|post|position|title)\s+(?:as|is)|my\s+title['’]s)"
    r"(?P<neg>(?:\s+(?:not|now|still|also|currently|actually|just|officially))*)\s+"
)
_SELF = re.compile(
    _LEAD
    + _ARTICLE
    + r"(?P<title>(?:"
    + _MODIFIER
    + r"[ -]){0,3}(?:"
    + _LEADER_HEAD
    + _OPEN_TAIL
    + r"|"
    + _HEAD
    + _OF_TAIL
    + r"))\b",
    re.IGNORECASE,
)
# Abbreviations count only in capitals ("RN", not "rn"). Titles that are also ordinary words ("the broken chair",
# "the residents" of a nursing home) count only after a self-description ("as chair"), not with ``role=`` alone.
_SHORT = {"NP", "RN", "LPN", "VP", "CEO", "COO", "APRN"}
_AMBIGUOUS = {"chair", "chief", "resident", "fellow", "tech", "assistant", "executive", "coordinator", "practitioner"}


@functools.cache
def _role_pattern(role: str) -> tuple[re.Pattern, re.Pattern] | None:
    """A quick test that a text may hold a title of ``role`` (its first words), and the pattern of its titles."""
    titles = [t for t in ROLE_TITLES.get(role, ()) if t not in _AMBIGUOUS]
    if not titles:
        return None
    long_titles = [t for t in titles if t not in _SHORT]
    parts = []
    leaders = [t for t in long_titles if _is_leader(t)]
    if leaders:
        parts.append(r"(?i:" + _title_pattern(leaders) + _OPEN_TAIL + ")")
    if long_titles:
        parts.append(r"(?i:" + _title_pattern(long_titles) + r"(?:" + _FIXED_TAIL + r")?)")
    short = [t for t in titles if t in _SHORT]
    if short:
        parts.append(_title_pattern(short))
    firsts = [re.escape(t.split()[0].split("-")[0]) for t in long_titles]
    quick = "|".join(([r"(?i:" + "|".join(firsts) + ")"] if firsts else []) + [re.escape(t) for t in short])
    return re.compile(quick), re.compile(r"\b(?:" + "|".join(parts) + r")\b")


def _redact_role(text: str, role: str) -> str:
    patterns = _role_pattern(role)
    if patterns is None or not patterns[0].search(text):
        return text
    pieces, end = [], 0
    for m in patterns[1].finditer(text):
        start = max(_qualified_start(text, m.start()), end)
        pieces += [text[end:start], REDACTED_ROLE]
        end = m.end()
    return "".join(pieces) + text[end:]


# Common US given names of staff born about 1940-1980, with their usual short forms. Left out: names that are
# also common words written with a capital at the start of a sentence ("Will", "May", "Grace", "Mark", "Bill"),
# a title ("Dean"), or a day ("Christmas Eve"): pass those with ``names=``.
_GIVEN_NAMES_TEXT = """
Aaron Abby Adam Adrienne Agnes Al Alan Albert Alberto Alex Alexander Alfred Alice Alicia Allen Allison Alma Amanda
Amy Ana Andrea Andrew Andy Angela Angie Anita Ann Anna Anne Annette Annie Anthony Antonio Arlene Arthur Audrey
Barb Barbara Barry Becky Ben Benjamin Bernadette Bernard Beth Betty Beverly Bev Bob Bobby Bonnie Brad Bradley
Brenda Brian Bruce Bryan Carl Carla Carlos Carmen Carol Carole Caroline Carolyn Carrie Casey Catherine Cathy
Cecilia Charlene Charles Charlie Charlotte Cheryl Chris Christina Christine Christopher Chuck Cindy Claire Clara
Claudia Colleen Connie Craig Curt Curtis Cynthia Dan Dana Daniel Danny Darlene Darrell Dave David Debbie Deborah
Debra Deb Denise Dennis Derek Diana Diane Dolores Dominic Donald Donna Doris Dorothy Doug Douglas Duane Earl
Edith Edna Edward Eileen Elaine Eleanor Elena Elizabeth Ellen Elsa Emily Eric Erica Erin Ernest Esther Eugene
Evelyn Felicia Fernando Florence Frances Francis Frank Fred Gabriel Gail Gary Gayle Geoffrey George Georgia
Gerald Geraldine Gina Glen Glenn Gloria Gordon Greg Gregory Gwen Hank Harold Harriet Harry Hector Helen Henry
Howard Irene Isabel Jack Jackie Jacqueline James Jamie Jan Jane Janet Janice Jason Jean Jeanne Jeff Jeffrey
Jennifer Jenny Jeremy Jerry Jessica Jill Jim Jimmy Joan Joanne Joe Joel John Johnny Jon Jorge Jose Joseph
Josephine Joyce Juan Judith Judy Julia Julie Karen Kate Kathleen Kathryn Kathy Katie Kay Keith Kelly Ken Kenneth
Kevin Kim Kimberly Kristen Kurt Larry Laura Lauren Laurie Lawrence Lee Leon Leonard Leslie Lillian Linda Lisa
Lois Loretta Lori Lorraine Louis Louise Lucy Luis Lynn Lynne Manuel Marcia Marcy Margaret Maria Marian Marie
Marilyn Marion Marjorie Marlene Marsha Martha Martin Marty Mary Maureen Megan Melanie Melissa Michael Michele
Michelle Mike Mildred Miriam Mitch Monica Nancy Nathan Neil Nicholas Nick Nicole Nora Norma Norman Pam Pamela
Patricia Patrick Patti Patty Paul Paula Pauline Peggy Peter Phil Philip Phyllis Rachel Ralph Ramon Randy Ray
Raymond Rebecca Regina Renee Rhonda Ricardo Richard Rick Rita Rob Robert Roberta Roberto Robin Roger Ron Ronald
Rosa Rosemary Roy Russell Ruth Sally Sam Samuel Sandra Sandy Sara Sarah Scott Sean Sharon Sheila Shelley Sherry
Shirley Stacy Stan Stanley Stephanie Stephen Steve Steven Susan Suzanne Sylvia Tammy Ted Teresa Terri Terry
Theresa Thomas Tim Timothy Tina Todd Tom Tommy Tony Tracy Valerie Vanessa Vera Veronica Vicki Victor Victoria
Vincent Virginia Walt Walter Wanda Wayne Wendy Willie William Yolanda Yvonne
"""
#: Given names replaced by ``given_names=True`` when written with a capital, whole words.
GIVEN_NAMES: frozenset[str] = frozenset(_GIVEN_NAMES_TEXT.split())
_GIVEN = re.compile(r"(?<![\w'’])(?:" + "|".join(sorted(GIVEN_NAMES, key=len, reverse=True)) + r")(?!\w)")


def redact_names(text: str, *, names: Iterable[str] = (), given_names: bool = True) -> str:
    """The quote with names replaced by ``[name]``, its titles left as they are.

    Parameters
    ----------
    text
        The quote.
    names
        Names to replace (whole words, any case): the speaker's, colleagues',
        the unit's nickname.
    given_names
        Also replace every name of :data:`GIVEN_NAMES` written with a capital
        ("Carol", "Carol's"; not "carol"), whole words.

    Returns
    -------
    str
        ``text`` with ``[name]`` for each name; the rest unchanged. Not a
        string (a missing quote): returned as is.

    Examples
    --------
    >>> redact_names("Ask Carol, she knows.")
    'Ask [name], she knows.'
    """
    if not isinstance(text, str):
        return text
    out = text
    for name in sorted({str(n).strip() for n in names if isinstance(n, str) and n.strip()}, key=len, reverse=True):
        out = re.sub(r"(?<!\w)" + re.escape(name) + r"(?!\w)", REDACTED_NAME, out, flags=re.IGNORECASE)
    if given_names:
        out = _GIVEN.sub(REDACTED_NAME, out)
    return out


def redact_quote(text: str, *, role: str | None = None, names: Iterable[str] = (), given_names: bool = False) -> str:
    """The quote with the words that name its speaker's role or name replaced.

    Parameters
    ----------
    text
        The quote.
    role
        The speaker's role, a value of :data:`leadlib.schema.ROLES`
        (``"nurse_manager"``): every title of that role is replaced wherever
        it stands. ``None``: only a speaker's description of their own post
        ("As charge nurse", "I'm the unit secretary", "My title is
        respiratory therapist") is replaced.
    names
        Names to replace with ``[name]`` (whole words, any case): the
        speaker's, colleagues', the unit's nickname.
    given_names
        Also replace with ``[name]`` every name of :data:`GIVEN_NAMES`
        written with a capital ("Carol", "Carol's"), whole words.

    Returns
    -------
    str
        ``text`` with ``[role]`` for each title that would name the speaker
        and ``[name]`` for each name; the rest, spacing and punctuation
        included, unchanged. Not a string (a missing quote): returned as is.

    Examples
    --------
    >>> redact_quote("I'm the unit secretary, so I see every chart.")
    "I'm the [role], so I see every chart."
    >>> redact_quote("The other nurse practitioner and I split it.", role="nurse_practitioner")
    'The other [role] and I split it.'
    >>> redact_quote("My title is respiratory therapist. Carol trained me.", given_names=True)
    'My title is [role]. [name] trained me.'
    """
    if not isinstance(text, str):
        return text
    out = _SELF.sub(lambda m: m.group(0)[: m.start("title") - m.start(0)] + REDACTED_ROLE, text)
    if role is not None:
        out = _redact_role(out, str(role))
    return redact_names(out, names=names, given_names=given_names)
