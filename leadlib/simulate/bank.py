"""The bank of fictional interview excerpts that synthetic transcripts are made of.

:mod:`leadlib.simulate` writes its transcripts as question-and-answer
interviews. The answers are hand-written, fictional excerpts kept in
``excerpts.toml`` beside this module, one or more for every leaf code of
:data:`~leadlib.simulate.design.CODEBOOK`; the questions and the uncoded
answers to the opening questions are kept in ``questions.toml``. None of the
text comes from a real interview or from the 2003 study.

Texts carry placeholders (``{unit}``, ``{patients}``, ...) that the generator
fills per site with :func:`fill`. :func:`validate_bank` checks every rule the
generator relies on (one paragraph, sentence ends it can split on, word
counts, enough excerpts per code and per voice, no stray braces, nothing that
looks like a name) and returns the problems as sentences, so a writer adding
excerpts sees all of them at once.

Examples
--------
>>> from leadlib.simulate.bank import load_bank, validate_bank, fill
>>> bank = load_bank()
>>> validate_bank(bank)
[]
>>> fill("We looked at {measure} {period}.", {"measure": "falls", "period": "every week"})
'We looked at falls every week.'
"""

from __future__ import annotations

import re
import string
import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path

from ..errors import LeadlibDataError
from .design import CODEBOOK

__all__ = [
    "Bank",
    "Excerpt",
    "OpeningAnswer",
    "Question",
    "EXCERPT_PLACEHOLDERS",
    "OPENING_PLACEHOLDERS",
    "VOICES",
    "LEVELS",
    "load_bank",
    "read_bank",
    "validate_bank",
    "fill",
    "placeholders_of",
]

#: Placeholders an excerpt may use (questions use none). The generator fills them
#: per site and setting: ``unit``, ``patients``, ``org``, ``colleague`` and
#: ``leader`` with lower-case noun phrases that carry their article,
#: ``measure`` with a measure's name, ``number`` with a number word,
#: ``period`` with a phrase such as "every week", ``day`` with a weekday.
EXCERPT_PLACEHOLDERS = frozenset(
    {"unit", "patients", "measure", "org", "colleague", "leader", "number", "period", "day"}
)
#: Answers to the opening questions may also say who the informant is.
OPENING_PLACEHOLDERS = EXCERPT_PLACEHOLDERS | {"role", "years"}
#: Fillers of these start with a lower-case letter, so a sentence must not
#: start with them (``{day}`` is a capitalised weekday and may).
_LOWER_CASE_PLACEHOLDERS = frozenset(OPENING_PLACEHOLDERS - {"day"})

#: Who could say an excerpt: someone holding a leadership post speaking as
#: such, someone who leads without a post, a staff member describing leaders
#: or the team, or anyone.
VOICES = ("formal", "informal", "staff", "any")
#: The level a formal voice leads at, or "any".
LEVELS = ("micro", "meso", "macro", "any")
#: Interview-guide topics besides the codes.
_QUESTION_TOPICS_FIXED = ("opening", "BK", "TA", "RR")

# The numbers the generator is written against (the brief of the bank).
_MIN_PER_CODE = 12
_MIN_VOICES_PROCESS = {"any": 3, "staff": 2, "formal": 2, "informal": 2}
_WORDS = (35, 100)
_SENTENCES = (2, 5)
_OPENING_SENTENCES = (1, 3)
_MIN_PLACEHOLDER_SHARE = 0.70
_MIN_QUESTIONS_PER_TOPIC = 4
_MIN_OPENING_ANSWERS = 12
_FIRST_WORDS = 6

# The generator splits a passage into sentences at ., ? or ! followed by
# white space; the checks below use the same rule so that what passes here
# splits the way the writer meant.
_SENTENCE_SPLIT = re.compile(r"(?<=[.?!])\s+")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# A full stop that does not end a sentence would split one in two.
_ABBREVIATIONS = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|St|Jr|Sr|vs|etc|approx|dept)\.(?=\s)")

# Capitalised words that may stand inside a sentence. Any other capitalised
# word there is reported as a possible name: quotes are shown in reports and
# must name no one (and no institution, vendor or product).
_ALLOWED_CAPITALISED = frozenset(
    ["I", "I'm", "I'd", "I've", "I'll", "OK"]
    + ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    + ["January", "February", "March", "April", "May", "June"]
    + ["July", "August", "September", "October", "November", "December"]
    + ["Christmas", "Thanksgiving", "New", "Year's", "Year"]
    + ["Spanish", "English", "Vietnamese", "Russian", "Portuguese", "Somali", "Cambodian", "Haitian", "Creole"]
    + ["RN", "RNs", "LPN", "LPNs", "CNA", "CNAs", "MA", "MAs", "MD", "MDs", "NP", "NPs", "PA", "PAs"]
    + ["ICU", "ED", "ER", "OR", "QI", "CQI", "CEO", "CFO", "VP", "VPs", "HR", "IT"]
    + ["IV", "IVs", "CPR", "EKG", "TV", "PDSA", "FTE", "FTEs", "ID"]
)


@dataclass(frozen=True)
class Excerpt:
    """One fictional interview passage and the code it exemplifies.

    Attributes
    ----------
    code : str
        The leaf code of the codebook the passage is an example of.
    also : tuple of str
        For a process code, the one or two success characteristics the
        passage also fits; empty for a success-characteristic code.
    voice : str
        Who could say it, one of :data:`VOICES`.
    level : str
        For a formal voice, the level the speaker leads at; one of
        :data:`LEVELS`.
    text : str
        The passage, one paragraph, with placeholders.
    placeholders : tuple of str
        The placeholders the text uses, in order of first use.
    source_line : int or None
        Line of ``[[excerpt]]`` in the file it was read from (for messages;
        not part of equality).
    """

    code: str
    also: tuple[str, ...]
    voice: str
    level: str
    text: str
    placeholders: tuple[str, ...] = ()
    source_line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Question:
    """A question of the interview guide.

    Attributes
    ----------
    topic : str
        ``"opening"``, ``"BK"``, ``"TA"``, ``"RR"`` or a success-characteristic
        code such as ``"SC.culture"``.
    text : str
        The question as the interviewer asks it.
    """

    topic: str
    text: str
    source_line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class OpeningAnswer:
    """An uncoded answer to an opening question (who the informant is)."""

    text: str
    source_line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Bank:
    """Everything the generator writes transcripts from.

    Attributes
    ----------
    excerpts, questions, opening_answers : tuple
        The records, in file order.
    excerpts_path, questions_path : str
        Where they were read from (for messages).
    """

    excerpts: tuple[Excerpt, ...]
    questions: tuple[Question, ...]
    opening_answers: tuple[OpeningAnswer, ...]
    excerpts_path: str = "excerpts.toml"
    questions_path: str = "questions.toml"

    def by_code(self, code: str) -> tuple[Excerpt, ...]:
        """The excerpts of one code, in file order."""
        return tuple(e for e in self.excerpts if e.code == code)


# --------------------------------------------------------------------------
# Reading


def placeholders_of(text: str) -> tuple[str, ...]:
    """Names of the ``{placeholders}`` in ``text``, in order of first use.

    Parameters
    ----------
    text
        A passage, question or answer of the bank.
    """
    seen: dict[str, None] = {}
    for name in _PLACEHOLDER.findall(text):
        seen.setdefault(name, None)
    return tuple(seen)


def _header_lines(source: str, header: str) -> list[int]:
    """1-based line numbers of each ``[[header]]`` table in a TOML text."""
    pattern = re.compile(r"^\s*\[\[\s*" + re.escape(header) + r"\s*\]\]")
    return [n for n, line in enumerate(source.splitlines(), start=1) if pattern.match(line)]


def _parse(source: str, path: str) -> dict:
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts "(at line N, column M)" in its message; lift the line out
        # so the error says where to look the way every leadlib error does.
        match = re.search(r"at line (\d+)", str(exc))
        raise LeadlibDataError(
            f"not valid TOML: {exc}",
            path=path,
            row=int(match.group(1)) if match else None,
            hint="fix the syntax at that line (texts are '''...''' strings on one line)",
        ) from None


def _field(entry: Mapping, key: str, kind: type, *, path: str, line: int | None, table: str):
    if key not in entry:
        raise LeadlibDataError(
            f"[[{table}]] has no {key!r}",
            path=path,
            row=line,
            column=key,
            hint=f"give every [[{table}]] a {key} = ... line",
        )
    value = entry[key]
    if not isinstance(value, kind) or (kind is list and not all(isinstance(v, str) for v in value)):
        raise LeadlibDataError(
            f"{key!r} must be a {'list of strings' if kind is list else kind.__name__}",
            path=path,
            row=line,
            column=key,
            value=value,
            hint="see the header comment of the file for the shape of an entry",
        )
    return value


def _entries(data: dict, table: str, source: str, path: str) -> list[tuple[dict, int | None]]:
    entries = data.get(table, [])
    if not isinstance(entries, list):
        raise LeadlibDataError(
            f"{table!r} must be an array of tables ([[{table}]])",
            path=path,
            column=table,
            hint=f"write each entry under its own [[{table}]] header",
        )
    lines = _header_lines(source, table)
    # Line numbers are a help for messages only: if the text was written in
    # another TOML style (inline arrays) they may not line up, so drop them.
    if len(lines) != len(entries):
        lines = [None] * len(entries)
    return list(zip(entries, lines))


def _read_text(path: str | PathLike[str] | resources.abc.Traversable) -> str:
    try:
        return path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    except AttributeError:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LeadlibDataError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            path=str(path),
            hint="save the file as UTF-8 (the bank itself is plain ASCII)",
        ) from None


def read_bank(
    excerpts: str | PathLike[str] | resources.abc.Traversable,
    questions: str | PathLike[str] | resources.abc.Traversable,
) -> Bank:
    """Read a bank from an excerpts file and a questions file.

    Parameters
    ----------
    excerpts
        TOML file of ``[[excerpt]]`` tables (``code``, ``also``, ``voice``,
        ``level``, ``text``).
    questions
        TOML file of ``[[question]]`` tables (``topic``, ``text``) and
        ``[[opening_answer]]`` tables (``text``).

    Returns
    -------
    Bank
        The records as read. Reading checks only their shape; call
        :func:`validate_bank` for the rules of their content.

    Raises
    ------
    LeadlibDataError
        If a file is not valid TOML or an entry lacks a field or has one of
        the wrong type; the error names the file and the line of the entry.
    """
    ex_path, q_path = str(excerpts), str(questions)
    ex_source, q_source = _read_text(excerpts), _read_text(questions)
    ex_data, q_data = _parse(ex_source, ex_path), _parse(q_source, q_path)

    records: list[Excerpt] = []
    for entry, line in _entries(ex_data, "excerpt", ex_source, ex_path):
        where = dict(path=ex_path, line=line, table="excerpt")
        text = _field(entry, "text", str, **where)
        records.append(
            Excerpt(
                code=_field(entry, "code", str, **where),
                also=tuple(_field(entry, "also", list, **where)),
                voice=_field(entry, "voice", str, **where),
                level=_field(entry, "level", str, **where),
                text=text,
                placeholders=placeholders_of(text),
                source_line=line,
            )
        )
    questions_read = [
        Question(
            topic=_field(entry, "topic", str, path=q_path, line=line, table="question"),
            text=_field(entry, "text", str, path=q_path, line=line, table="question"),
            source_line=line,
        )
        for entry, line in _entries(q_data, "question", q_source, q_path)
    ]
    answers = [
        OpeningAnswer(
            text=_field(entry, "text", str, path=q_path, line=line, table="opening_answer"),
            source_line=line,
        )
        for entry, line in _entries(q_data, "opening_answer", q_source, q_path)
    ]
    return Bank(
        excerpts=tuple(records),
        questions=tuple(questions_read),
        opening_answers=tuple(answers),
        excerpts_path=ex_path,
        questions_path=q_path,
    )


@cache
def load_bank() -> Bank:
    """The bank shipped with leadlib (read once, then cached).

    Returns
    -------
    Bank
        Excerpts from ``leadlib/simulate/excerpts.toml``, questions and
        opening answers from ``leadlib/simulate/questions.toml``.
    """
    folder = resources.files("leadlib.simulate")
    return read_bank(folder / "excerpts.toml", folder / "questions.toml")


# --------------------------------------------------------------------------
# Filling


class _Strict(dict):
    def __missing__(self, key: str) -> str:
        raise LeadlibDataError(
            f"placeholder {{{key}}} has no value",
            value=key,
            hint=f"pass a value for {key!r} (given: {', '.join(sorted(self)) or 'none'})",
        )


def fill(text: str, values: Mapping[str, str]) -> str:
    """Put values in the placeholders of a bank text.

    Same as ``text.format_map(values)`` (``{{`` and ``}}`` stand for single
    braces, values not used are ignored), except that a placeholder without a
    value, or one written with an index, attribute, conversion or format
    spec, is an error that names it.

    Parameters
    ----------
    text
        A passage, question or answer with ``{name}`` placeholders.
    values
        A value for each placeholder the text uses.

    Returns
    -------
    str

    Raises
    ------
    LeadlibDataError
        If a placeholder has no value or is not a plain ``{name}``.
    """
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise LeadlibDataError(
                f"placeholder {{{name}{'!' + conversion if conversion else ''}"
                f"{':' + spec if spec else ''}}} is not a plain {{name}}",
                value=text,
                hint="write placeholders as {name}, e.g. {unit}",
            )
    return text.format_map(_Strict(values))


# --------------------------------------------------------------------------
# Validating


def _leaf_codes(codebook: Sequence[tuple]) -> tuple[list[str], list[str]]:
    parents = {row[3] for row in codebook if row[3] is not None}
    leaves = [row for row in codebook if row[0] not in parents and row[3] is not None]
    process = [row[0] for row in leaves if row[2] != "success_characteristic"]
    characteristic = [row[0] for row in leaves if row[2] == "success_characteristic"]
    return process, characteristic


def _sentences(text: str) -> list[str]:
    return _SENTENCE_SPLIT.split(text)


def _text_problems(text: str, allowed: frozenset[str], sentences: tuple[int, int]) -> list[str]:
    """What is wrong with one text, as phrases to follow 'where: '."""
    problems = []
    if "\n" in text or "\r" in text or "\t" in text:
        problems.append("has a line break or tab: write one paragraph on one line")
    if not text.isascii():
        odd = sorted({ch for ch in text if not ch.isascii()})
        problems.append(f"has non-ASCII characters {''.join(odd)!r}: use straight quotes, '--' for a dash")
    if text != text.strip() or "  " in text:
        problems.append("has leading, trailing or double spaces")
    names = _PLACEHOLDER.findall(text)
    unknown = sorted({n for n in names if n not in allowed})
    if unknown:
        problems.append(
            f"unknown placeholder(s) {', '.join('{' + n + '}' for n in unknown)}: "
            f"use only {', '.join('{' + n + '}' for n in sorted(allowed))}"
        )
    if "{" in _PLACEHOLDER.sub("", text) or "}" in _PLACEHOLDER.sub("", text):
        problems.append("has a brace that is not part of a {placeholder}")
    if not re.search(r"[.?!]$", text):
        problems.append("does not end with '.', '?' or '!'")
    inner = re.findall(r"[.?!](?=\S)", text)
    if inner:
        problems.append(
            "has '.', '?' or '!' not followed by a space (abbreviation, decimal, "
            "ellipsis or closing quote): the generator could not split there"
        )
    abbreviation = _ABBREVIATIONS.search(text)
    if abbreviation:
        problems.append(
            f"has the abbreviation {abbreviation.group(0)!r}: the generator would "
            "split a sentence there; write the word out"
        )
    parts = _sentences(text)
    if not sentences[0] <= len(parts) <= sentences[1]:
        problems.append(f"has {len(parts)} sentences, must have {sentences[0]}-{sentences[1]}")
    for part in parts:
        opening = part.lstrip('"')
        first = _PLACEHOLDER.match(opening)
        if first and first.group(1) in _LOWER_CASE_PLACEHOLDERS:
            problems.append(f"starts a sentence with {{{first.group(1)}}}, whose fillers are lower case: {part[:40]!r}")
        elif not first and not opening[:1].isupper():
            problems.append(f"has a sentence that does not start with a capital: {part[:40]!r}")
        problems.extend(_name_problems(part))
    return problems


def _name_problems(sentence: str) -> list[str]:
    tokens = sentence.split()
    found = []
    for previous, token in zip(tokens, tokens[1:]):
        if token.startswith("{") or previous.endswith(('"', ":")) or token.startswith('"'):
            continue  # a placeholder, or the first word of quoted speech
        word = token.strip('.,;:?!"()')
        if word and word[0].isupper() and word not in _ALLOWED_CAPITALISED:
            found.append(
                f"has the capitalised word {word!r} inside a sentence: if it names a person, "
                "place, institution or product, rewrite it; if not, add it to "
                "_ALLOWED_CAPITALISED in bank.py"
            )
    return found


def _first_words(text: str) -> str:
    words = re.sub(r"[^a-z0-9{} ']", " ", text.lower()).split()
    return " ".join(words[:_FIRST_WORDS])


def validate_bank(bank: Bank, codebook: Sequence[tuple] = CODEBOOK) -> list[str]:
    """Every way the bank breaks the rules the generator relies on.

    Parameters
    ----------
    bank
        A bank, e.g. :func:`load_bank` ``()``.
    codebook
        Rows ``(code_id, label, group, parent, definition)``; its leaf codes
        (codes with a parent and no children) are the codes excerpts may
        carry. Leaves of group ``"success_characteristic"`` are the success
        characteristics; the others are process codes.

    Returns
    -------
    list of str
        One sentence per problem, naming the file, the line of the entry and
        what to do; empty when the bank is fine.

    Notes
    -----
    The rules: at least 12 excerpts per leaf code; per process code at least
    3 voiced "any", 2 "staff", 2 "formal" and 2 "informal"; success
    characteristics voiced "any" or "staff" with ``also = []``; process
    excerpts with one or two success characteristics in ``also``, every
    characteristic used somewhere; texts of 35-100 words in 2-5 sentences, one
    paragraph of ASCII, each sentence ending in '.', '?' or '!' and a space
    (or the end), no sentence starting with a lower-case placeholder, no
    braces but known placeholders, no capitalised word inside a sentence that
    is not on a short list (so no names), no duplicate texts, no two excerpts
    starting with the same six words, and at least 70% of excerpts using a
    placeholder. Questions: a known topic, no placeholders, ending in '?', at
    least 4 per topic. Opening answers: at least 12, 1-3 sentences, and they may also use
    ``{role}`` and ``{years}``.
    """
    process_codes, sc_codes = _leaf_codes(codebook)
    return [
        *_excerpts_problems(bank, process_codes, sc_codes),
        *_excerpt_count_problems(bank, process_codes, sc_codes),
        *_questions_problems(bank, list(_QUESTION_TOPICS_FIXED) + sc_codes),
        *_opening_answers_problems(bank),
    ]


def _where(path: str, index: int, kind: str, line: int | None, label: str = "") -> str:
    """How a problem names a bank entry: file, line, kind and number of the entry, and its code or topic."""
    at = f"{Path(path).name} line {line}" if line is not None else Path(path).name
    return f"{at} ({kind} {index + 1}{', ' + label if label else ''})"


def _excerpts_problems(bank: Bank, process_codes: list[str], sc_codes: list[str]) -> list[str]:
    """The problems of each excerpt on its own, and of excerpts repeating another's text or opening words."""
    problems: list[str] = []
    seen_text: dict[str, str] = {}
    seen_start: dict[str, str] = {}
    for i, ex in enumerate(bank.excerpts):
        at = _where(bank.excerpts_path, i, "excerpt", ex.source_line, ex.code)
        problems.extend(f"{at}: {p}" for p in _excerpt_problems(ex, process_codes, sc_codes))
        if ex.text in seen_text:
            problems.append(f"{at}: same text as {seen_text[ex.text]}")
        else:
            seen_text[ex.text] = at
            start = _first_words(ex.text)
            if start in seen_start:
                problems.append(
                    f"{at}: starts with the same {_FIRST_WORDS} words as {seen_start[start]} "
                    f"({start!r}); vary the opening"
                )
            seen_start.setdefault(start, at)
    return problems


def _excerpt_problems(ex: Excerpt, process_codes: list[str], sc_codes: list[str]) -> list[str]:
    """The problems of one excerpt: code, voice and level, ``also``, placeholders, length and text."""
    problems: list[str] = []
    if ex.code not in process_codes and ex.code not in sc_codes:
        problems.append(
            f"unknown code {ex.code!r}; use a leaf code of the codebook ({', '.join(process_codes + sc_codes)})"
        )
    is_sc = ex.code in sc_codes
    problems.extend(_voice_level_problems(ex, is_sc))
    bad_also = [a for a in ex.also if a not in sc_codes]
    if bad_also:
        problems.append(f"'also' may hold only success characteristics, not {', '.join(bad_also)}")
    if len(set(ex.also)) != len(ex.also):
        problems.append("'also' repeats a code")
    if is_sc and ex.also:
        problems.append("a success-characteristic excerpt has also = []")
    if ex.code in process_codes and not 1 <= len(ex.also) <= 2:
        problems.append(
            f"a process excerpt names the 1-2 success characteristics it also fits in 'also' (has {len(ex.also)})"
        )
    if ex.placeholders != placeholders_of(ex.text):
        problems.append("'placeholders' does not match the placeholders of the text")
    n_words = len(ex.text.split())
    if not _WORDS[0] <= n_words <= _WORDS[1]:
        problems.append(f"has {n_words} words, must have {_WORDS[0]}-{_WORDS[1]}")
    problems.extend(_text_problems(ex.text, EXCERPT_PLACEHOLDERS, _SENTENCES))
    return problems


def _voice_level_problems(ex: Excerpt, is_sc: bool) -> list[str]:
    """Whether an excerpt's voice and level are known, and fit its code and each other."""
    problems: list[str] = []
    if ex.voice not in VOICES:
        problems.append(f"unknown voice {ex.voice!r}; use one of {', '.join(VOICES)}")
    elif is_sc and ex.voice not in ("any", "staff"):
        problems.append(
            "a success-characteristic excerpt is not about someone leading, "
            f"so its voice must be 'any' or 'staff', not {ex.voice!r}"
        )
    if ex.level not in LEVELS:
        problems.append(f"unknown level {ex.level!r}; use one of {', '.join(LEVELS)}")
    elif ex.voice in ("staff", "any") and ex.level != "any":
        problems.append(
            f"level {ex.level!r} is for formal (or informal, micro) voices; a {ex.voice!r} voice has level 'any'"
        )
    elif ex.voice == "informal" and ex.level not in ("micro", "any"):
        problems.append(f"an informal leader leads within the unit: level 'micro' or 'any', not {ex.level!r}")
    return problems


def _excerpt_count_problems(bank: Bank, process_codes: list[str], sc_codes: list[str]) -> list[str]:
    """Too few excerpts per code or per voice, a characteristic in no ``also``, too few using a placeholder."""
    problems: list[str] = []
    excerpts_file = Path(bank.excerpts_path).name
    per_code = Counter(ex.code for ex in bank.excerpts)
    for code in process_codes + sc_codes:
        if per_code[code] < _MIN_PER_CODE:
            problems.append(f"{excerpts_file}: {code} has {per_code[code]} excerpts, needs at least {_MIN_PER_CODE}")
    for code in process_codes:
        voices = Counter(ex.voice for ex in bank.excerpts if ex.code == code)
        for voice, least in _MIN_VOICES_PROCESS.items():
            if voices[voice] < least:
                problems.append(
                    f"{excerpts_file}: {code} has {voices[voice]} excerpts voiced {voice!r}, needs at least {least}"
                )
    used_also = {a for ex in bank.excerpts if ex.code in process_codes for a in ex.also}
    for code in sc_codes:
        if code not in used_also:
            problems.append(f"{excerpts_file}: no process excerpt lists {code} in 'also'; tag the ones it fits")
    if bank.excerpts:
        share = sum(bool(ex.placeholders) for ex in bank.excerpts) / len(bank.excerpts)
        if share < _MIN_PLACEHOLDER_SHARE:
            problems.append(
                f"{excerpts_file}: {share:.0%} of excerpts use a placeholder, needs at least "
                f"{_MIN_PLACEHOLDER_SHARE:.0%} so that sites read differently"
            )
    return problems


def _questions_problems(bank: Bank, topics: list[str]) -> list[str]:
    """The problems of each question, of questions asked twice, and of topics with too few questions."""
    problems: list[str] = []
    seen_questions: dict[str, str] = {}
    for i, q in enumerate(bank.questions):
        at = _where(bank.questions_path, i, "question", q.source_line, q.topic)
        if q.topic not in topics:
            problems.append(f"{at}: unknown topic {q.topic!r}; use one of {', '.join(topics)}")
        if placeholders_of(q.text):
            problems.append(
                f"{at}: questions are asked as written, without placeholders "
                f"({', '.join('{' + n + '}' for n in placeholders_of(q.text))}): say 'your "
                "patients', 'your unit'"
            )
        problems.extend(
            f"{at}: {p}"
            for p in _text_problems(q.text, EXCERPT_PLACEHOLDERS, (1, 3))
            if "does not end with" not in p and not p.startswith("unknown placeholder")
        )
        if not q.text.endswith("?"):
            problems.append(f"{at}: a question ends with '?'")
        if q.text in seen_questions:
            problems.append(f"{at}: same question as {seen_questions[q.text]}")
        seen_questions.setdefault(q.text, at)
    questions_file = Path(bank.questions_path).name
    per_topic = Counter(q.topic for q in bank.questions)
    for topic in topics:
        if per_topic[topic] < _MIN_QUESTIONS_PER_TOPIC:
            problems.append(
                f"{questions_file}: topic {topic} has {per_topic[topic]} questions, needs at "
                f"least {_MIN_QUESTIONS_PER_TOPIC}"
            )
    return problems


def _opening_answers_problems(bank: Bank) -> list[str]:
    """The problems of each answer to an opening question, of repeated answers, and of too few answers."""
    problems: list[str] = []
    seen_answers: dict[str, str] = {}
    for i, a in enumerate(bank.opening_answers):
        at = _where(bank.questions_path, i, "opening_answer", a.source_line)
        problems.extend(f"{at}: {p}" for p in _text_problems(a.text, OPENING_PLACEHOLDERS, _OPENING_SENTENCES))
        if a.text in seen_answers:
            problems.append(f"{at}: same text as {seen_answers[a.text]}")
        seen_answers.setdefault(a.text, at)
    if len(bank.opening_answers) < _MIN_OPENING_ANSWERS:
        questions_file = Path(bank.questions_path).name
        problems.append(
            f"{questions_file}: {len(bank.opening_answers)} opening answers, needs at least {_MIN_OPENING_ANSWERS}"
        )
    return problems
