"""Redacting the words of a quote that would undo a withheld role: "As director of the department I ...".

:mod:`leadlib.deidentify` decides which role a quote may be shown with; when
the role is withheld, the quote's own words may still name it ("As charge
nurse I ask ...", "I'm the unit secretary"). :func:`redact_quote` replaces
such words with ``[role]`` (and given names with ``[name]``), so that what the
role rule hides, the text does not give back.

What is replaced:

- a speaker describing their own post: ``as``, ``I'm``, ``I am``, ``I was``,
  ``I've been``, ``my job as``, ``my role as`` followed by a title
  (``director``, ``charge nurse``, ``medical director``, ``manager``,
  ``vice-president``, ``unit secretary``, ...), with its article and
  ``of the department``-like tail: "As director of the department I pushed"
  becomes "As [role] I pushed";
- with ``role=`` (the speaker's role in :data:`leadlib.schema.ROLES`), every
  mention of that role's titles, wherever it is ("the other nurse
  practitioner and I");
- every name of ``names=``, whole words, any case.

It errs on the side of hiding: a title after "as" is replaced even when it
describes someone else. Text that gives the role away without a title ("I'm
the one who answers the phones") is not caught: the research team still reads
the quotes before they leave it.

>>> redact_quote("As director of the department I pushed for it.")
'As [role] I pushed for it.'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["REDACTED_ROLE", "REDACTED_NAME", "ROLE_TITLES", "redact_quote"]

#: What replaces words naming the speaker's role, and a name.
REDACTED_ROLE = "[role]"
REDACTED_NAME = "[name]"

# Words that qualify a title: "charge nurse", "unit secretary", "senior clerk", "medical director".
_QUALIFIERS = (
    r"(?:(?:new|former|acting|interim|deputy|assistant|associate|senior|junior|lead|head|chief|charge|"
    r"unit|ward|clinic|medical|nursing|nurse|clinical|program|programme|practice|staff|attending|"
    r"physician|executive|operations|department|site|quality|floor|day|night)[ -])*"
)

#: Titles naming a post, grouped by the role of :data:`leadlib.schema.ROLES` they name (for ``role=``).
ROLE_TITLES: dict[str, tuple[str, ...]] = {
    "medical_director": ("medical director", "director", "chief medical officer", "chair", "chief"),
    "physician": ("physician", "doctor", "attending", "resident", "fellow", "hospitalist", "pediatrician", "surgeon"),
    "nurse_manager": ("nurse manager", "manager", "charge nurse", "head nurse", "supervisor", "nurse mgr"),
    "nurse_practitioner": ("nurse practitioner", "practitioner", "NP", "APRN"),
    "nurse": ("nurse", "RN", "LPN"),
    "allied_health": ("therapist", "technician", "tech", "dietitian", "educator", "technologist"),
    "pharmacist": ("pharmacist",),
    "social_worker": ("social worker", "case manager", "caseworker"),
    "clerical": ("secretary", "clerk", "receptionist", "scheduler", "coordinator", "assistant"),
    "administrator": ("administrator", "vice-president", "vice president", "VP", "president", "CEO", "executive"),
}


def _title_pattern(titles: Iterable[str]) -> str:
    words = sorted({t for t in titles}, key=len, reverse=True)  # longest first: "nurse manager" before "nurse"
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"[ -]") for w in words) + r")(?:e?s)?"


_ALL_TITLES = _title_pattern(t for titles in ROLE_TITLES.values() for t in titles)
# "of the department", "for the unit", "of our clinic", "here": the post's tail, part of what names it.
_TAIL = r"(?:\s+(?:of|for|on|in)\s+(?:the|this|our|my)\s+(?:department|unit|clinic|practice|service|ward|floor|team))?"
_ARTICLE = r"(?:(?:the|a|an|our|this|their|its|the\s+unit's|the\s+department's)\s+)?"
_SELF = re.compile(
    r"\b(?P<lead>as|I'm|I\s+am|I\s+was|I've\s+been|I\s+have\s+been|I\s+used\s+to\s+be|I\s+became|"
    r"my\s+(?:job|role|work|post|position)\s+as)"
    r"(?P<neg>\s+not)?\s+" + _ARTICLE + r"(?P<title>" + _QUALIFIERS + _ALL_TITLES + _TAIL + r")\b",
    re.IGNORECASE,
)
# Abbreviations count only in capitals ("RN", not "rn"). Titles that are also ordinary words ("the broken chair",
# "the residents" of a nursing home) count only after a self-description ("as chair"), not with ``role=`` alone.
_SHORT = {"NP", "RN", "LPN", "VP", "CEO", "APRN"}
_AMBIGUOUS = {"chair", "chief", "resident", "fellow", "tech", "assistant", "executive", "coordinator", "practitioner"}


def _role_pattern(role: str) -> re.Pattern | None:
    titles = [t for t in ROLE_TITLES.get(role, ()) if t not in _AMBIGUOUS]
    if not titles:
        return None
    long_titles = [t for t in titles if t not in _SHORT]
    parts = []
    if long_titles:
        parts.append(r"(?i:" + _QUALIFIERS + _title_pattern(long_titles) + _TAIL + ")")
    short = [t for t in titles if t in _SHORT]
    if short:
        parts.append(_title_pattern(short))
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


def redact_quote(text: str, *, role: str | None = None, names: Iterable[str] = ()) -> str:
    """The quote with the words that name its speaker's role or name replaced.

    Parameters
    ----------
    text
        The quote.
    role
        The speaker's role, a value of :data:`leadlib.schema.ROLES`
        (``"nurse_manager"``): every title of that role is replaced wherever
        it stands. ``None``: only a speaker's description of their own post
        ("As charge nurse", "I'm the unit secretary") is replaced.
    names
        Names to replace with ``[name]`` (whole words, any case): the
        speaker's, colleagues', the unit's nickname.

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
    """
    if not isinstance(text, str):
        return text
    out = _SELF.sub(lambda m: m.group(0)[: m.start("title") - m.start(0)] + REDACTED_ROLE, text)
    if role is not None:
        pattern = _role_pattern(str(role))
        if pattern is not None:
            out = pattern.sub(REDACTED_ROLE, out)
    for name in sorted({str(n).strip() for n in names if isinstance(n, str) and n.strip()}, key=len, reverse=True):
        out = re.sub(r"(?<!\w)" + re.escape(name) + r"(?!\w)", REDACTED_NAME, out, flags=re.IGNORECASE)
    return out
