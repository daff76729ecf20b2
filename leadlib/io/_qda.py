"""Shared machinery of the QDA readers: from sources, codes and codings to a Study.

Each reader (REFI-QDA, Taguette, QualCoder) turns its file into a
:class:`RawProject`: text sources with their plain text, codes with their
parents, codings with offsets already converted to characters of the
normalised transcript, cases, sets and variables. :func:`build_study` then
makes the tidy tables the same way for all of them, so that a study read
from any tool follows the same rules:

- **sites** come from ``site_from``: ``"case"``, ``"set"`` (or
  ``"set:<regex>"`` to consider only the sets whose name matches),
  ``"variable:<name>"`` or ``"pattern:<regex>"`` on the source name (the
  first group, or the whole match). A source that no rule places in a site is
  **kept**, under the site ``"(none)"``, with an audit entry, never dropped.
- **informants**: one per source (``informant_id`` = ``interview_id``) unless
  the source carries an ``informant_id`` variable; ``role``, ``leader_type``
  and ``leader_level`` come from source variables of those names when their
  values are in the vocabularies, else they are empty (audited).
- **codebook**: ``code_id`` is the path of code names joined with ``/``
  (stable across exports, unlike GUIDs); ``group`` is inferred from the
  names (a code named, or under a code named, "Building knowledge", "Taking
  action" or "Reviewing and reflecting" belongs to that process; one named,
  or under one named, like a success characteristic to
  ``success_characteristic``; else ``other``), audited once per family of
  codes (a top-level code and its descendants). Where the names do not say
  it, the study decides: ``code_groups={code_id: group}`` (each audited).
- **segments**: one row per coding; ``primary`` marks, in each interview,
  the codings of the coder who made most codings there (ties: the first user
  in the project's list of users), audited per interview with several coders.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..audit import Accounting, AuditLog
from ..errors import LeadlibDataError
from ..study import Study
from .text import count_words as text_words

__all__ = [
    "RawSource",
    "RawCode",
    "RawCoding",
    "CodingColumns",
    "RawCase",
    "RawProject",
    "SiteRule",
    "parse_site_from",
    "check_code_groups",
    "build_study",
    "normalise_text",
    "OffsetMap",
    "decode_text",
    "count_words",
    "NO_SITE",
]

#: Site of the sources that no ``site_from`` rule places anywhere.
NO_SITE = "(none)"

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


# --------------------------------------------------------------------------
# Text: decoding, line endings, offset conventions


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a source text: UTF-8 (BOM removed) or, failing that, cp1252.

    Returns ``(text, encoding)``; REFI-QDA requires UTF-8, the fallback is
    for hand-made files and is reported by the caller.
    """
    for enc in ("utf-8", "cp1252"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if text.startswith("\ufeff"):
            return text[1:], "utf-8-sig"
        return text, enc
    return data.decode("latin-1"), "latin-1"


def normalise_text(raw: str) -> str:
    """The transcript as leadlib keeps it: a leading BOM removed, line endings ``\\n``."""
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return raw


def count_words(text: str) -> int:
    """Words of one transcript: runs of characters other than Unicode whitespace.

    The rule of :func:`leadlib.io.text.count_words`, which counts many texts at once.
    """
    return int(text_words([text])[0])


class OffsetMap:
    """Converts a tool's offsets into characters of the normalised transcript.

    QDA tools count positions differently: REFI-QDA says 0-based Unicode
    characters, but NVivo (a .NET program) counts UTF-16 code units, so every
    emoji or other character outside the Basic Multilingual Plane counts
    twice, and counts a Windows line ending as two characters; other tools
    count the file after converting line endings. Each convention is a way of
    counting the *raw* text (BOM removed); this class maps a position in any
    of them onto the transcript leadlib keeps (line endings ``\\n``).

    Conventions: ``"chars"`` (code points of the raw text, CRLF = 2),
    ``"utf16"`` (UTF-16 code units of the raw text, CRLF = 2),
    ``"chars-lf"`` (code points after CRLF -> LF), ``"utf16-lf"``.
    """

    CONVENTIONS = ("chars", "utf16", "chars-lf", "utf16-lf")

    def __init__(self, raw: str) -> None:
        if raw.startswith("\ufeff"):
            raw = raw[1:]
        self.raw = raw
        self.text = normalise_text(raw)
        self._has_cr = "\r" in raw
        # characters outside the BMP take two UTF-16 units
        self._has_astral = not raw.isascii() and any(ord(c) > 0xFFFF for c in raw)
        self._tables: dict[str, np.ndarray | None] = {}

    @property
    def trivial(self) -> bool:
        """True when every convention gives the same positions."""
        return not self._has_cr and not self._has_astral

    def _raw_to_norm(self) -> np.ndarray | None:
        # position i of the raw text -> position in the normalised text:
        # each "\r" that is followed by "\n" disappears
        if not self._has_cr:
            return None
        key = "raw_to_norm"
        if key not in self._tables:
            codes = np.frombuffer(self.raw.encode("utf-32-le"), dtype=np.uint32)
            drop = np.zeros(len(codes) + 1, dtype=np.int64)
            if len(codes) > 1:
                drop[1:-1] = (codes[:-1] == 13) & (codes[1:] == 10)
            self._tables[key] = np.arange(len(codes) + 1, dtype=np.int64) - np.cumsum(drop)
        return self._tables[key]

    def _unit_starts(self, text: str) -> np.ndarray:
        # UTF-16 unit offset at which each character of `text` starts, plus the end
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        units = np.where(codes > 0xFFFF, 2, 1).astype(np.int64)
        out = np.zeros(len(codes) + 1, dtype=np.int64)
        np.cumsum(units, out=out[1:])
        return out

    def convert(self, positions: np.ndarray, convention: str) -> np.ndarray:
        """Positions in ``convention`` -> positions in :attr:`text`; -1 where impossible.

        A position beyond the end of the text, or inside a surrogate pair,
        becomes -1.
        """
        positions = np.asarray(positions, dtype=np.int64)
        base = self.raw if convention in ("chars", "utf16") else self.text
        if convention.startswith("utf16") and self._has_astral:
            key = "units:" + convention
            if key not in self._tables:
                self._tables[key] = self._unit_starts(base)
            starts = self._tables[key]
            idx = np.searchsorted(starts, positions, side="left")
            idx_clip = np.minimum(idx, len(starts) - 1)
            exact = (idx < len(starts)) & (starts[idx_clip] == positions)
            chars = np.where(exact, idx_clip, -1)
        else:
            chars = np.where((positions >= 0) & (positions <= len(base)), positions, -1)
        if convention in ("chars", "utf16"):
            table = self._raw_to_norm()
            if table is not None:
                ok = chars >= 0
                chars = np.where(ok, table[np.where(ok, chars, 0)], -1)
        return chars

    def choose(
        self, starts: np.ndarray, ends: np.ndarray, labels: Sequence[str | None], default: str
    ) -> tuple[str, int, int]:
        """Pick the convention under which most selections' labels match the text.

        ``labels`` are the texts the tool wrote with each selection (ATLAS.ti
        and MAXQDA write the quotation, sometimes cut short with "…"; NVivo
        writes nothing). Returns ``(convention, matches, comparable)``; with
        no comparable label, or a tie, ``default`` wins.
        """
        if self.trivial:
            comparable = sum(1 for lab in labels if _comparable(lab))
            return default, _count_matches(self.text, starts, ends, labels), comparable
        best = (default, -1)
        scores = {}
        for conv in self.CONVENTIONS:
            s = self.convert(starts, conv)
            e = self.convert(ends, conv)
            scores[conv] = _count_matches(self.text, s, e, labels)
        comparable = sum(1 for lab in labels if _comparable(lab))
        top = max(scores.values()) if scores else 0
        if comparable == 0 or scores.get(default, -1) == top:
            return default, scores.get(default, 0), comparable
        for conv in self.CONVENTIONS:
            if scores[conv] == top:
                best = (conv, top)
                break
        return best[0], best[1], comparable


def _comparable(label: str | None) -> bool:
    return bool(label) and not re.fullmatch(r"(Quotation|Zitat|Cita|Citation)\s+\d+:\d+.*", label or "")


def _label_matches(slice_: str, label: str) -> bool:
    label = normalise_text(label)
    if label.endswith("…"):  # ATLAS.ti cuts long quotations
        return slice_.startswith(label[:-1].rstrip())
    if slice_ == label:
        return True
    # tools also fold whitespace in the label
    return " ".join(slice_.split()) == " ".join(label.split())


def _count_matches(text: str, starts, ends, labels) -> int:
    n = 0
    for s, e, lab in zip(starts, ends, labels):
        if not _comparable(lab) or s < 0 or e < 0 or e < s:
            continue
        if _label_matches(text[int(s) : int(e)], lab):
            n += 1
    return n


# --------------------------------------------------------------------------
# The raw project


@dataclass
class RawSource:
    """A text source (document, interview transcript)."""

    key: str  # the tool's ID (GUID, row id)
    name: str
    text: str | None  # normalised transcript; None if the tool's file is missing
    created: str | None = None  # ISO date or date-time
    variables: dict[str, object] = field(default_factory=dict)
    where: str = ""  # for audit entries: where the source is in the file
    order: int = 0
    #: the text is a stand-in made of the coded passages (exports without
    #: the documents): kept as the transcript, but n_words is left empty
    stand_in: bool = False


@dataclass
class RawCode:
    key: str
    name: str
    parent: str | None
    description: str | None = None
    where: str = ""


@dataclass(slots=True)
class RawCoding:
    """One coding. Slots and lazy fields keep 500,000 of them small."""

    key: str  # becomes segment_id
    source: str
    code: str
    user: str  # coder label (user name, or GUID when unnamed)
    start: int
    end: int
    text: str | None = None  # None: the transcript's [start:end], sliced when the table is built
    where: str = ""  # where in the file, for audit entries; "" -> "Coding <key>"

    @property
    def location(self) -> str:
        return self.where or f"Coding {self.key}"


class CodingColumns:
    """Many codings, stored column by column.

    A large project has hundreds of thousands of codings; one Python object
    each would cost more than the tidy table they become. Here the IDs go
    into Arrow string chunks as they arrive (the same memory the
    ``segment_id`` column will use), offsets into machine integers, and the
    other columns into lists of shared strings; ``text`` and ``where`` exist
    only once some coding needs them. A 64-bit hash of each ID makes the
    uniqueness check cheap. ``codings[i]`` gives a :class:`RawCoding`, for
    the rare paths (audit entries of dropped codings).
    """

    _CHUNK = 16_384

    def __init__(self) -> None:
        from array import array

        self._key_chunks: list = []  # pyarrow large_string arrays
        self._key_pending: list[str] = []
        self._key_hash = array("q")
        self.source: list[str] = []
        self.code: list[str] = []
        self.user: list[str] = []
        self.start = array("q")
        self.end = array("q")
        self._text: list[str | None] | None = None  # None: every text is the transcript slice
        self._where: list[str] | None = None  # None: every location is "Coding <key>"

    # -- filling ---------------------------------------------------------------
    def append(self, coding: RawCoding) -> None:
        self.add(
            coding.key, coding.source, coding.code, coding.user, coding.start, coding.end, coding.text, coding.where
        )

    def add(self, key, source, code, user, start, end, text=None, where="") -> None:
        n = len(self.source)
        self._key_pending.append(key)
        self._key_hash.append(hash(key))
        if len(self._key_pending) >= self._CHUNK:
            self._flush()
        self.source.append(source)
        self.code.append(code)
        self.user.append(user)
        self.start.append(start)
        self.end.append(end)
        if text is not None and self._text is None:
            self._text = [None] * n
        if self._text is not None:
            self._text.append(text)
        if where and self._where is None:
            self._where = [""] * n
        if self._where is not None:
            self._where.append(where)

    def _flush(self) -> None:
        if self._key_pending:
            import pyarrow as pa

            self._key_chunks.append(pa.array(self._key_pending, type=pa.large_string()))
            self._key_pending = []

    # -- reading ---------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.source)

    @property
    def text(self) -> Sequence[str | None]:
        return self._text if self._text is not None else _Repeat(None, len(self))

    def key_column(self):
        """The IDs as one Arrow chunked array."""
        import pyarrow as pa

        self._flush()
        return pa.chunked_array(self._key_chunks, type=pa.large_string())

    def keys(self) -> list[str]:
        """The IDs as a Python list (for the rare repairs)."""
        return self.key_column().to_pylist()

    def set_keys(self, keys: list[str]) -> None:
        from array import array

        self._key_chunks, self._key_pending = [], list(keys)
        self._key_hash = array("q", (hash(k) for k in keys))
        self._flush()

    def keys_unique(self) -> bool:
        """True if no two codings share an ID (hashes first, exact check only on a hash clash)."""
        hashes = (
            np.sort(np.frombuffer(self._key_hash, dtype=np.int64)) if len(self._key_hash) else np.zeros(0, np.int64)
        )
        # sorted and compared with the next (numpy 2's np.unique builds a hash table several times the array's size)
        if not (hashes[1:] == hashes[:-1]).any():
            return True
        keys = self.keys()
        return len(set(keys)) == len(keys)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, i: int) -> RawCoding:
        key = self.key_column()[i].as_py()
        return RawCoding(
            key,
            self.source[i],
            self.code[i],
            self.user[i],
            self.start[i],
            self.end[i],
            None if self._text is None else self._text[i],
            "" if self._where is None else self._where[i],
        )

    def keep(self, mask: Sequence[bool]) -> None:
        """Keep only the codings where ``mask`` is true."""
        from array import array
        from itertools import compress

        import pyarrow as pa
        import pyarrow.compute as pc

        selector = pa.array(list(mask), type=pa.bool_())
        self._key_chunks = [pc.filter(self.key_column(), selector).combine_chunks()]
        self._key_hash = array("q", compress(self._key_hash, mask))
        for name in ("source", "code", "user"):
            setattr(self, name, list(compress(getattr(self, name), mask)))
        self.start = array("q", compress(self.start, mask))
        self.end = array("q", compress(self.end, mask))
        if self._text is not None:
            self._text = list(compress(self._text, mask))
        if self._where is not None:
            self._where = list(compress(self._where, mask))


class _Repeat(Sequence):
    """``value`` repeated ``n`` times, without a list."""

    def __init__(self, value, n: int) -> None:
        self.value, self.n = value, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.value] * len(range(*i.indices(self.n)))
        if not -self.n <= i < self.n:
            raise IndexError(i)
        return self.value


@dataclass
class RawCase:
    key: str
    name: str
    variables: dict[str, object] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    where: str = ""


@dataclass
class RawProject:
    """Everything a reader extracted, before the tidy rules are applied."""

    path: Path
    label: str  # the file as audit entries name it
    name: str
    synthetic: bool = False
    sources: list[RawSource] = field(default_factory=list)
    codes: list[RawCode] = field(default_factory=list)
    codings: list[RawCoding] | CodingColumns = field(default_factory=list)
    cases: list[RawCase] = field(default_factory=list)
    sets: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, source keys)
    users: list[str] = field(default_factory=list)  # coder labels in the project's order
    variable_types: dict[str, str] = field(default_factory=dict)
    #: variables that are site attributes even where no case has a value
    site_variables: list[str] = field(default_factory=list)
    log: AuditLog = field(default_factory=AuditLog)
    #: rows the reader read and dropped itself: table -> (read, dropped)
    counts: dict[str, list[int]] = field(default_factory=dict)
    #: leadlib's own metadata, when the file was written by leadlib
    meta: dict = field(default_factory=dict)
    supports: tuple[str, ...] = ("case", "set", "variable", "pattern")

    def count(self, table: str, read: int = 0, dropped: int = 0) -> None:
        entry = self.counts.setdefault(table, [0, 0])
        entry[0] += read
        entry[1] += dropped


# --------------------------------------------------------------------------
# site_from


@dataclass(frozen=True)
class SiteRule:
    kind: str  # case, set, variable, pattern
    argument: str | None = None
    regex: re.Pattern | None = None

    def __str__(self) -> str:
        return self.kind + (f":{self.argument}" if self.argument is not None else "")


def parse_site_from(site_from: str, path: Path | None = None) -> SiteRule:
    """Check a ``site_from`` value: ``case``, ``set[:<regex>]``, ``variable:<name>``, ``pattern:<regex>``."""
    hint = (
        'use site_from="case", "set", "set:<regex>", "variable:<name>" or "pattern:<regex>" '
        "(the pattern is matched against each source name; its first group is the site)"
    )
    if not isinstance(site_from, str):
        raise LeadlibDataError("site_from must be a string", path=path, value=site_from, hint=hint)
    kind, sep, arg = site_from.partition(":")
    kind = kind.strip().lower()
    if kind == "case" and not sep:
        return SiteRule("case")
    if kind == "set":
        if not sep:
            return SiteRule("set")
        return SiteRule("set", arg, _compile(arg, path, hint))
    if kind == "variable" and arg.strip():
        return SiteRule("variable", arg.strip())
    if kind == "pattern" and arg:
        return SiteRule("pattern", arg, _compile(arg, path, hint))
    raise LeadlibDataError("site_from is not a rule leadlib knows", path=path, value=site_from, hint=hint)


def _compile(pattern: str, path, hint) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise LeadlibDataError(
            f"site_from has an invalid regular expression: {exc}", path=path, value=pattern, hint=hint
        ) from None


# --------------------------------------------------------------------------
# IDs


def clean_label(value: object) -> str:
    """A name as an ID: control characters (line breaks, tabs) to spaces, trimmed.

    Nothing else changes (no Unicode normalisation): IDs stay as the tool
    wrote them, so that a study leadlib wrote reads back with the same IDs.
    """
    return _CONTROL.sub(" ", str(value)).strip()


class _IdMaker:
    """Makes valid, unique IDs from names, auditing every change."""

    def __init__(self, table: str, column: str, *, site: bool, log: AuditLog, label: str) -> None:
        self.table, self.column, self.site, self.log, self.label = table, column, site, log, label
        self.pattern = re.compile(schema.SITE_ID_PATTERN if site else schema.ID_PATTERN)
        self.limit = 64 if site else 512
        self.used: dict[str, str] = {}  # id -> raw name it came from

    def make(self, raw: str, *, where: str, fallback: str, unique: bool = True) -> str:
        value = clean_label(raw)
        if self.site:
            value = value.replace(",", ";")
        value = value[: self.limit].strip()
        if not value:
            value = clean_label(fallback)[: self.limit].strip() or "unnamed"
        if unique and value in self.used and self.used[value] != raw:
            base, n = value, 2
            while True:
                suffix = f" ({n})"
                candidate = base[: self.limit - len(suffix)].rstrip() + suffix
                if candidate not in self.used:
                    value = candidate
                    break
                n += 1
            self.log.add(
                self.table,
                f"{self.label}:{where}",
                "recode",
                f"another {self.column} already has this name; a number was added to keep IDs unique",
                column=self.column,
                before=raw,
                after=value,
            )
        elif value != raw:
            rule = "no commas, at most 64 characters" if self.site else "at most 512 characters"
            self.log.add(
                self.table,
                f"{self.label}:{where}",
                "recode",
                f"the name is not a usable ID ({rule}, no line breaks, no surrounding spaces); it was cleaned",
                column=self.column,
                before=raw,
                after=value,
            )
        if not self.pattern.fullmatch(value):  # pragma: no cover - defensive
            raise LeadlibDataError(
                f"cannot make a valid {self.column} from this name",
                path=None,
                value=raw,
                hint="rename it in the QDA software",
            )
        self.used.setdefault(value, raw)
        return value


# --------------------------------------------------------------------------
# Code groups


def _norm_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", str(name)).lower()
    text = re.sub(r"^[\s\d.)\]:#-]+", "", text)  # "1. Building knowledge", "2) ..."
    text = re.sub(r"[_\-./&]+", " ", text)
    return " ".join(text.split())


_PROCESS_NAMES = {_norm_name(label): key for key, label in schema.PROCESS_LABELS.items()}
_PROCESS_NAMES.update({_norm_name(key): key for key in schema.PROCESSES})
_PROCESS_NAMES[_norm_name("Reviewing & reflecting")] = "reviewing_reflecting"

_SUCCESS_NAMES = {_norm_name(key): key for key in schema.SUCCESS_CHARACTERISTICS}
_SUCCESS_NAMES.update(
    {
        _norm_name(alias): key
        for alias, key in [
            ("organisational support", "organizational_support"),
            ("macro-organizational support", "organizational_support"),
            ("macro-organisational support", "organizational_support"),
            ("organizational culture", "culture"),
            ("organisational culture", "culture"),
            ("interdependence of the care team", "interdependence"),
            ("interdependence of care team", "interdependence"),
            ("information and information technology", "information_technology"),
            ("information and IT", "information_technology"),
            ("information technology", "information_technology"),
            ("patient-focus", "patient_focus"),
            ("staff-focus", "staff_focus"),
        ]
    }
)


def infer_group(name: str) -> str | None:
    """The group a code name alone implies, or None."""
    norm = _norm_name(name)
    if norm in _PROCESS_NAMES:
        return _PROCESS_NAMES[norm]
    if norm in _SUCCESS_NAMES:
        return "success_characteristic"
    return None


#: Parameter text shared by the readers' docstrings (written once, as seaborn does).
READER_PARAMETERS = {
    "on_bad_selection": """on_bad_selection
        ``"error"`` (default): a coding whose offsets run past its document
        (or end before they start) refuses the file; ``"drop"``: such codings
        are dropped, each with an audit entry.""",
    "on_no_site": """on_no_site
        ``"keep"`` (default: under the site ``"(none)"``, audited), ``"drop"``
        or ``"error"``: what to do with a document that has no site under
        ``site_from``; see :func:`leadlib.io._qda.build_study`.""",
    "code_groups": """code_groups
        The study's own decision on a code's group where its name does not
        say it, by ``code_id``: ``{"Processes/Reviewing":
        "reviewing_reflecting"}``; sub-codes follow, each change audited.""",
}


def shared_docs(func):
    """Fill a reader's docstring placeholders (``{on_no_site}``...) from :data:`READER_PARAMETERS`."""
    func.__doc__ = func.__doc__.format(**READER_PARAMETERS)
    return func


def check_reader_arguments(
    path: Path, *, site_from: str, code_groups: Mapping[str, str] | None, on_bad_selection: str, what: str
) -> None:
    """The checks every reader makes before reading: they fail fast, before a long read.

    ``what`` names the file the reader expects, for the hint when it is missing.
    """
    parse_site_from(site_from, path)
    check_code_groups(code_groups, path)
    if on_bad_selection not in ("error", "drop"):
        raise LeadlibDataError("on_bad_selection must be 'error' or 'drop'", value=on_bad_selection)
    if not path.exists():
        raise LeadlibDataError("file not found", path=path, hint=f"check the path to the {what}")


def check_code_groups(code_groups: Mapping[str, str] | None, path: Path | None = None) -> dict[str, str]:
    """Check a ``code_groups`` mapping (code_id -> group) before a file is read.

    Its values must be groups of :data:`leadlib.schema.CODE_GROUPS`; whether
    its keys are codes of the file is known only once the file is read
    (:func:`build_study` checks that).
    """
    if code_groups is None:
        return {}
    hint = "map code_ids (as in study.codebook, e.g. 'Processes/Reviewing') to one of " + ", ".join(schema.CODE_GROUPS)
    if not isinstance(code_groups, Mapping):
        raise LeadlibDataError(
            "code_groups must map code IDs to groups", path=path, value=type(code_groups).__name__, hint=hint
        )
    out = {}
    for code_id, group in code_groups.items():
        if group not in schema.CODE_GROUPS:
            raise LeadlibDataError(
                f"code_groups gives code {code_id!r} a group leadlib does not know",
                path=path,
                column="group",
                value=group,
                hint=hint,
            )
        out[str(code_id)] = str(group)
    return out


# --------------------------------------------------------------------------
# Variables on sources


def _variable(values: dict[str, object], name: str):
    for key, value in values.items():
        if key == name:
            return value
    lowered = name.lower()
    for key, value in values.items():
        if key.lower() == lowered:
            return value
    return None


def _is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


# --------------------------------------------------------------------------
# Building the Study


_SITE_COLUMNS = {"name", "setting", "organization", "region", "staff_fte", "annual_patients", "visit_date"}


def _shared_attributes(site: str, cases: list[RawCase], rule: SiteRule, log: AuditLog, label: str) -> dict[str, object]:
    """Attributes of a site made from a variable of its cases: those all its cases agree on.

    With ``site_from="variable:organization"`` a site groups every case of
    one organisation; a case's staff, setting or name describe that case, not
    the group, so only the values every case of the group shares are kept
    (audited when some were left out). ``name`` is never taken from a case:
    the site is the variable's value, and is named by it.
    """
    first = cases[0].variables
    shared = {
        k: v
        for k, v in first.items()
        if k != "name" and all(k in c.variables and _same_value(c.variables[k], v) for c in cases[1:])
    }
    differ = [k for k in dict.fromkeys(k for c in cases for k in c.variables) if k != "name" and k not in shared]
    if differ:
        log.add(
            "sites",
            f"{label}:site {site!r}",
            "note",
            f"the site groups {len(cases)} cases by their variable {rule.argument!r}; attributes on which they "
            f"differ describe the cases, not the site, and were left empty: {', '.join(differ)}",
            n=len(cases),
        )
    return shared


def _same_value(a, b) -> bool:
    if _is_blank(a) and _is_blank(b):
        return True
    return type(a) is type(b) and a == b


def build_study(
    project: RawProject, *, site_from: str, on_no_site: str = "keep", code_groups: Mapping[str, str] | None = None
) -> Study:
    """Apply leadlib's rules to a :class:`RawProject` and return a validated Study.

    Parameters
    ----------
    project
        What the reader extracted.
    site_from
        Where sites come from; see :func:`parse_site_from`.
    on_no_site
        ``"keep"`` (default): a source that no rule places in a site is kept
        under the site ``"(none)"``; ``"drop"``: it is dropped with its
        codings, each with an audit entry; ``"error"``: refuse the file.
    code_groups
        The study's own decision on a code's group, by ``code_id``
        (``{"Processes/Reviewing": "reviewing_reflecting"}``), where the names
        do not say it: it replaces the group inferred from the names (and a
        group written in a leadlib project), and sub-codes inherit it as they
        would a name. Each is audited (``recode``); a key that is no code of
        the file is refused.
    """
    rule = parse_site_from(site_from, project.path)
    code_groups = check_code_groups(code_groups, project.path)
    if on_no_site not in ("keep", "drop", "error"):
        raise LeadlibDataError("on_no_site must be 'keep', 'drop' or 'error'", value=on_no_site)
    label = project.label
    accounting = Accounting()
    # the builders run in this order, which is the order of the audit entries
    placement = _place_sources(project, rule)
    dropped = _place_sourceless(project, rule, placement, on_no_site)
    sites, site_id_of = _build_sites(project, placement)
    people = _build_people(project, rule, placement, site_id_of, dropped)
    transcripts = _build_transcripts(people)
    _account_sources(project, accounting, dropped, len(people.kept), len(transcripts))
    codebook, code_id_of = _build_codebook(project, code_groups)
    accounting.add(label, "codebook", *_read_kept(project, "codebook", len(codebook)))
    segments, read, dropped_codings = _build_segments(project, dropped, people.interview_of, code_id_of)
    accounting.add(label, "segments", read, len(segments), dropped_codings)
    study = Study(
        sites=sites,
        informants=people.informants,
        interviews=people.interviews,
        transcripts=transcripts,
        codebook=codebook,
        segments=segments,
        name=project.name,
        synthetic=project.synthetic,
        path=None,
    )
    accounting.add(label, "sites", *_read_kept(project, "sites", len(sites)))
    study.accounting_table = accounting.frame()
    study.audit = project.log.frame()
    study.metadata["source"] = label
    study.metadata["site_from"] = str(rule)
    _validate(study, project)
    return study


def _table(name: str, rows: list[dict]) -> pd.DataFrame:
    """A tidy table from its rows (dicts), or the empty table with its columns when there are none."""
    if not rows:
        return schema.empty(name)
    return conform(name, pd.DataFrame(rows, columns=schema.TABLES[name].names))


# ---- sites -------------------------------------------------------------------


@dataclass
class _Placement:
    """The site of each source, by the raw name ``site_from`` gives it, before IDs are made.

    ``site_of`` maps a source's key to its raw site name (None: no site);
    ``attributes`` maps each raw site name, in the order the sites were met,
    to the variables that describe it.
    """

    site_of: dict[str, str | None] = field(default_factory=dict)
    attributes: dict[str, dict[str, object]] = field(default_factory=dict)

    def add(self, raw: str, attributes: Mapping[str, object] | None = None) -> None:
        """Register a site (once; the first attributes given stay)."""
        if raw not in self.attributes:
            self.attributes[raw] = dict(attributes or {})


def _place_sources(project: RawProject, rule: SiteRule) -> _Placement:
    """The site of every source under ``rule``: by its case, set, variable or name pattern.

    Audits a rule the kind of file cannot follow (no cases or no sets) and
    sources that the rule places in several sites (the first is taken).
    """
    if rule.kind in ("case", "set") and rule.kind not in project.supports and project.sources:
        kind = "cases" if rule.kind == "case" else "sets"
        project.log.add(
            "sites",
            project.label,
            "note",
            f"this kind of file has no {kind}: every source is under the site {NO_SITE!r}; "
            "choose site_from='pattern:<regex>' (on the document names) or 'variable:<name>'",
            n=len(project.sources),
        )
    placement = _Placement()
    _PLACERS[rule.kind](project, rule, placement)
    return placement


def _place_by_case(project: RawProject, rule: SiteRule, placement: _Placement) -> None:
    """``site_from="case"``: every case is a site (with its variables); a source's site is its first case."""
    member_of: dict[str, list[str]] = {}
    for case in project.cases:
        placement.add(case.name, case.variables)
        for key in case.sources:
            member_of.setdefault(key, []).append(case.name)
    _first_membership(project, placement, member_of, "cases", "")


def _place_by_set(project: RawProject, rule: SiteRule, placement: _Placement) -> None:
    """``site_from="set[:<regex>]"``: a source's site is the first (matching) set it is a member of."""
    member_of: dict[str, list[str]] = {}
    for set_name, keys in project.sets:
        if rule.regex is not None and not rule.regex.search(set_name):
            continue
        for key in keys:
            member_of.setdefault(key, []).append(set_name)
    _first_membership(project, placement, member_of, "sets", " (narrow the sets with site_from='set:<regex>')")
    for src in project.sources:
        if placement.site_of[src.key] is not None:
            placement.add(placement.site_of[src.key])


def _first_membership(
    project: RawProject, placement: _Placement, member_of: dict[str, list[str]], noun: str, advice: str
) -> None:
    """Each source's site is the first group (case or set) it is a member of; several are audited."""
    for src in project.sources:
        names = member_of.get(src.key, [])
        placement.site_of[src.key] = names[0] if names else None
        if len(set(names)) > 1:
            project.log.add(
                "interviews",
                f"{project.label}:{src.where}",
                "note",
                f"the source belongs to {len(set(names))} {noun}; the first in the file was taken as its site" + advice,
                column="site_id",
                before="; ".join(dict.fromkeys(names)),
                after=names[0],
            )


def _place_by_variable(project: RawProject, rule: SiteRule, placement: _Placement) -> None:
    """``site_from="variable:<name>"``: the source's variable, else its case's; a site keeps what its cases share."""
    case_of: dict[str, RawCase] = {}
    for case in project.cases:
        for key in case.sources:
            case_of.setdefault(key, case)
    grouped: dict[str, dict[str, RawCase]] = {}  # site -> the cases whose variable put sources there
    for src in project.sources:
        value = _variable(src.variables, rule.argument)
        case = None
        if _is_blank(value) and src.key in case_of:
            case = case_of[src.key]
            value = _variable(case.variables, rule.argument)
        raw = None if _is_blank(value) else str(value)
        placement.site_of[src.key] = raw
        if raw is not None:
            placement.add(raw)
            if case is not None:
                grouped.setdefault(raw, {})[case.key] = case
    for raw, cases in grouped.items():
        placement.attributes[raw] = _shared_attributes(raw, list(cases.values()), rule, project.log, project.label)


def _place_by_pattern(project: RawProject, rule: SiteRule, placement: _Placement) -> None:
    """``site_from="pattern:<regex>"``: the first group (else the whole match) of the regex on the source name."""
    for src in project.sources:
        match = rule.regex.search(src.name)
        value = None
        if match:
            value = match.group(1) if rule.regex.groups else match.group(0)
        placement.site_of[src.key] = value if value else None
        if value:
            placement.add(value)


_PLACERS = {
    "case": _place_by_case,
    "set": _place_by_set,
    "variable": _place_by_variable,
    "pattern": _place_by_pattern,
}


def _place_sourceless(project: RawProject, rule: SiteRule, placement: _Placement, on_no_site: str) -> set[str]:
    """Apply ``on_no_site`` to the sources no rule placed; returns the keys of the sources to drop.

    ``"keep"`` puts them under the site :data:`NO_SITE` (one audit entry),
    ``"drop"`` returns them (their entries are made as the tables are
    built), ``"error"`` refuses the file.
    """
    no_site = [s for s in project.sources if placement.site_of.get(s.key) is None]
    if not no_site:
        return set()
    where = ", ".join(s.name for s in no_site[:8]) + (f", ... (+{len(no_site) - 8} more)" if len(no_site) > 8 else "")
    if on_no_site == "error":
        raise LeadlibDataError(
            f"{len(no_site)} source(s) have no site under site_from={str(rule)!r}: {where}",
            path=project.path,
            hint="choose another site_from, or pass on_no_site='keep' or 'drop'",
        )
    if on_no_site == "drop":
        return {s.key for s in no_site}
    placement.add(NO_SITE)
    for s in no_site:
        placement.site_of[s.key] = NO_SITE
    project.log.add(
        "sites",
        project.label,
        "missing",
        f"no site under site_from={str(rule)!r} for these sources; they are kept under the site {NO_SITE!r}: {where}",
        column="site_id",
        after=NO_SITE,
        n=len(no_site),
    )
    return set()


def _build_sites(project: RawProject, placement: _Placement) -> tuple[pd.DataFrame, dict[str, str]]:
    """The ``sites`` table, and the ``site_id`` made of each raw site name.

    Every variable of a site (its case's, or what its cases share) becomes a
    column: a schema column by its own name, any other as an extra site
    attribute, typed as the project declares it (:func:`_site_frame`).
    """
    log, label = project.log, project.label
    site_ids = _IdMaker("sites", "site_id", site=True, log=log, label=label)
    site_id_of = {raw: site_ids.make(raw, where=f"site {raw!r}", fallback="site") for raw in placement.attributes}
    rows = []
    extra_columns: list[str] = [v for v in project.site_variables if v not in _SITE_COLUMNS]
    for raw, attributes in placement.attributes.items():
        row: dict[str, object] = {"site_id": site_id_of[raw], "name": clean_label(raw) or raw}
        for key, value in attributes.items():
            # schema columns by their own name; any other variable is kept
            # as an extra site attribute under its own name
            if key not in _SITE_COLUMNS and key not in extra_columns:
                extra_columns.append(key)
            row[key] = value
        rows.append(row)
    return _site_frame(rows, extra_columns, project.variable_types, log, label), site_id_of


# ---- interviews, informants, transcripts ----------------------------------------


@dataclass
class _People:
    """The ``interviews`` and ``informants`` tables, and the IDs the other tables need.

    ``kept`` pairs each kept source with its ``interview_id``, in the file's
    order; ``interview_of`` maps a source's key to its ``interview_id``.
    """

    interviews: pd.DataFrame
    informants: pd.DataFrame
    kept: list[tuple[RawSource, str]]
    interview_of: dict[str, str]


def _build_people(
    project: RawProject, rule: SiteRule, placement: _Placement, site_id_of: dict[str, str], dropped: set[str]
) -> _People:
    """The ``interviews`` and ``informants`` tables: one interview per kept source, and its informant.

    Both are built in one pass over the sources, so that each source's
    audit entries (its IDs, its informant's values) stay together. A
    dropped source gets one ``drop`` entry per table it would have fed.
    """
    log, label = project.log, project.label
    for src in (s for s in project.sources if s.key in dropped):
        # one entry per table the source would have fed, as the accounting counts it
        tables = ("interviews", "informants") + (("transcripts",) if src.text is not None else ())
        for table in tables:
            log.add(
                table,
                f"{label}:{src.where}",
                "drop",
                f"no site under site_from={str(rule)!r} and on_no_site='drop'",
                before=src.name,
            )
    kept = [s for s in project.sources if s.key not in dropped]
    interview_ids = _IdMaker("interviews", "interview_id", site=False, log=log, label=label)
    informant_ids = _IdMaker("informants", "informant_id", site=False, log=log, label=label)
    interview_of: dict[str, str] = {}
    interviews, informants, kept_ids = [], {}, []
    for src, n_words in zip(kept, _n_words(kept)):
        iid = interview_ids.make(src.name, where=src.where, fallback=src.key)
        interview_of[src.key] = iid
        kept_ids.append((src, iid))
        site_id = site_id_of[placement.site_of[src.key]]
        inf_raw = _variable(src.variables, "informant_id")
        inf_id = (
            iid if _is_blank(inf_raw) else informant_ids.make(str(inf_raw), where=src.where, fallback=iid, unique=False)
        )
        person = informants.setdefault(
            inf_id,
            {"informant_id": inf_id, "site_id": site_id, "role": None, "leader_type": None, "leader_level": None},
        )
        _informant_values(person, src, log, label)
        interviews.append(_interview_row(src, iid, inf_id, site_id, n_words))
    return _People(
        _table("interviews", interviews), _table("informants", list(informants.values())), kept_ids, interview_of
    )


def _informant_values(person: dict[str, object], src: RawSource, log: AuditLog, label: str) -> None:
    """Fill an informant's ``role``, ``leader_type`` and ``leader_level`` from a source's variables.

    A value outside the column's vocabulary is left empty (audited).
    """
    for column in ("role", "leader_type", "leader_level"):
        value = _variable(src.variables, column)
        if _is_blank(value):
            continue
        value = str(value).strip()
        if value in schema.VOCABULARIES[column]:
            person[column] = value
        else:
            log.add(
                "informants",
                f"{label}:{src.where}",
                "missing",
                f"{value!r} is not a known {column}; left empty",
                column=column,
                before=value,
            )


def _interview_row(src: RawSource, iid: str, inf_id: str, site_id: str, n_words: int | None) -> dict[str, object]:
    """One row of ``interviews``: the source's date and its ``interviewer`` and ``duration_min`` variables."""
    interviewer = _variable(src.variables, "interviewer")
    duration = _variable(src.variables, "duration_min")
    return {
        "interview_id": iid,
        "informant_id": inf_id,
        "site_id": site_id,
        "date": _date(src.created),
        "interviewer": None if _is_blank(interviewer) else str(interviewer),
        "duration_min": None if _is_blank(duration) else float(duration),
        "n_words": n_words,
    }


def _build_transcripts(people: _People) -> pd.DataFrame:
    """The ``transcripts`` table: the text of every kept source that has one."""
    rows = [{"interview_id": iid, "text": src.text} for src, iid in people.kept if src.text is not None]
    if not rows:
        return schema.empty("transcripts")
    return conform("transcripts", pd.DataFrame(rows, columns=["interview_id", "text"]))


def _account_sources(
    project: RawProject, accounting: Accounting, dropped: set[str], n_kept: int, n_transcripts: int
) -> None:
    """The accounting of the tables made from the sources: interviews, transcripts, informants."""
    label, n_src = project.label, len(project.sources)
    with_text = [s for s in project.sources if s.text is not None]
    accounting.add(label, "interviews", n_src, n_kept, len(dropped))
    accounting.add(label, "transcripts", len(with_text), n_transcripts, sum(1 for s in with_text if s.key in dropped))
    accounting.add(label, "informants", n_src, n_kept, len(dropped))


# ---- codebook ----------------------------------------------------------------------


def _build_codebook(project: RawProject, code_groups: dict[str, str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """The ``codebook`` table, and the ``code_id`` made of each code's key; see :class:`_CodebookBuilder`."""
    builder = _CodebookBuilder(project, code_groups)
    builder.walk_all()
    builder.check_code_groups()
    builder.log_families()
    return _table("codebook", builder.rows), builder.code_id_of


class _CodebookBuilder:
    """Walks the code tree from the top, parents before children, making one codebook row per code.

    ``code_id`` is the path of names (or the ID leadlib wrote, when the file
    is leadlib's); ``group`` is the process or success characteristic named
    on the code or an ancestor, else ``other``, unless ``code_groups`` or
    leadlib's metadata decide. Inferred groups are audited once per family
    (a top-level code and its descendants).
    """

    def __init__(self, project: RawProject, code_groups: dict[str, str]) -> None:
        self.project, self.log, self.label = project, project.log, project.label
        self.code_groups = code_groups
        meta = project.meta or {}
        self.meta_codes = meta.get("codes", {})
        self.meta_guids = meta.get("code_guids", {})
        self.code_ids = _IdMaker("codebook", "code_id", site=False, log=self.log, label=self.label)
        known = {c.key for c in project.codes}
        self.children: dict[str | None, list[RawCode]] = {}
        for code in project.codes:
            self.children.setdefault(code.parent if code.parent in known else None, []).append(code)
        self.code_id_of: dict[str, str] = {}
        self.rows: list[dict] = []
        self.family_notes: dict[str, dict[str, int]] = {}
        self.visited: set[str] = set()

    def walk_all(self) -> None:
        """Walk from every top-level code, then from the codes whose parents form a cycle (made top-level)."""
        for top in self.children.get(None, []):
            self.walk(top, None, None, False, clean_label(top.name) or "(unnamed)", "")
        for code in self.project.codes:
            if code.key not in self.visited:
                self.log.add(
                    "codebook",
                    f"{self.label}:{code.where}",
                    "recode",
                    "the code's parents form a cycle; it was made a top-level code",
                    column="parent",
                    before=code.parent,
                )
                self.walk(code, None, None, False, clean_label(code.name) or "(unnamed)", "")

    def walk(
        self, code: RawCode, parent_id: str | None, process: str | None, success: bool, family: str, name_path: str
    ) -> None:
        """Add the row of ``code``, then of its descendants (``process`` and ``success`` are inherited)."""
        if code.key in self.visited:  # a cycle of parents in a damaged database
            return
        self.visited.add(code.key)
        name = self._clean_name(code)
        raw_path = f"{name_path}/{name}" if name_path else name
        meta = self.meta_guids.get(code.key) or self.meta_codes.get(raw_path)
        if meta and meta.get("code_id"):
            cid = self.code_ids.make(meta["code_id"], where=code.where, fallback=raw_path)
        else:
            cid = self.code_ids.make(raw_path, where=code.where, fallback=code.key)
        self.code_id_of[code.key] = cid
        own = infer_group(code.name)
        # a leadership process named on the code or any ancestor wins; then a
        # success characteristic named on the code or an ancestor
        if own in schema.PROCESSES:
            process = own
        success = success or own == "success_characteristic"
        group, process, success = self._group(code, cid, meta, family, process, success)
        self.rows.append(
            {
                "code_id": cid,
                "label": name,
                "group": group,
                "parent": parent_id,
                "definition": None if _is_blank(code.description) else code.description,
            }
        )
        for child in self.children.get(code.key, []):
            self.walk(child, cid, process, success, family, raw_path)

    def _clean_name(self, code: RawCode) -> str:
        """The code's label: its name without line breaks, tabs or surrounding spaces (audited)."""
        name = clean_label(code.name) or "(unnamed)"
        if code.name != name:
            self.log.add(
                "codebook",
                f"{self.label}:{code.where}",
                "recode",
                "the code name has line breaks, tabs or surrounding spaces; they were cleaned",
                column="label",
                before=code.name,
                after=name,
            )
        return name

    def _group(
        self, code: RawCode, cid: str, meta: dict | None, family: str, process: str | None, success: bool
    ) -> tuple[str, str | None, bool]:
        """The code's group, and the ``process`` and ``success`` its sub-codes inherit.

        ``code_groups`` wins (audited when it changes the group), then the
        group leadlib wrote, then the names (counted for the family's note).
        """
        group = process or ("success_characteristic" if success else "other")
        meta_group = meta.get("group") if meta else None
        chosen = self.code_groups.get(cid)
        if chosen is not None:
            before = meta_group if meta_group in schema.CODE_GROUPS else group
            if chosen != before:
                self.log.add(
                    "codebook",
                    f"{self.label}:{code.where}",
                    "recode",
                    "group set by code_groups (the study's decision)",
                    column="group",
                    before=before,
                    after=chosen,
                )
            # the sub-codes follow the decision, as they would a name
            return chosen, (chosen if chosen in schema.PROCESSES else None), chosen == "success_characteristic"
        if meta_group in schema.CODE_GROUPS:
            return meta_group, process, success
        counts = self.family_notes.setdefault(family, {})
        counts[group] = counts.get(group, 0) + 1
        return group, process, success

    def check_code_groups(self) -> None:
        """Refuse ``code_groups`` keys that are no code of the file."""
        made = set(self.code_id_of.values())
        unknown = [c for c in self.code_groups if c not in made]
        if not unknown:
            return
        known = sorted(self.code_id_of.values())
        raise LeadlibDataError(
            f"code_groups names {len(unknown)} code(s) the file does not have: {', '.join(map(repr, unknown[:5]))}",
            path=self.project.path,
            column="code_id",
            value=unknown[0],
            hint="use the code_ids leadlib makes (code names joined by '/'), e.g. "
            + (", ".join(map(repr, known[:4])) if known else "(the file has no codes)"),
        )

    def log_families(self) -> None:
        """One audit entry per family of codes whose groups were inferred from the names."""
        for family, groups in self.family_notes.items():
            parts = ", ".join(f"{g}: {n}" for g, n in groups.items())
            self.log.add(
                "codebook",
                f"{self.label}:code family {family!r}",
                "infer",
                "group inferred from the code names (a code named, or under a code named, like a leadership "
                "process or a success characteristic takes that group; any other code is 'other')",
                column="group",
                after=parts,
                n=sum(groups.values()),
            )


# ---- segments ----------------------------------------------------------------------


def _build_segments(
    project: RawProject, dropped: set[str], interview_of: dict[str, str], code_id_of: dict[str, str]
) -> tuple[pd.DataFrame, int, int]:
    """The ``segments`` table, with the codings read and dropped for the accounting.

    The codings of dropped sources are dropped (audited one by one);
    repeated IDs are made unique (:func:`_unique_keys`) and each interview's
    primary coder chosen (:func:`_primary`).
    """
    log, label = project.log, project.label
    if not isinstance(project.codings, CodingColumns):
        columns = CodingColumns()
        for coding in project.codings:
            columns.append(coding)
        project.codings = columns
    n_codings = len(project.codings)
    dropped_codings = 0
    if dropped:
        mask = [src not in dropped for src in project.codings.source]
        for i in (i for i, keep in enumerate(mask) if not keep):
            coding = project.codings[i]
            dropped_codings += 1
            log.add(
                "segments",
                f"{label}:{coding.location}",
                "drop",
                "the coded source was dropped (no site)",
                before=(coding.text or "")[:80],
            )
        project.codings.keep(mask)
    _unique_keys(project.codings, log, label)
    seg = _segment_frame(
        project, interview_of, code_id_of, primary=lambda *codes: _primary(*codes, project, log, label)
    )
    segments = conform("segments", seg) if len(seg) else schema.empty("segments")
    read, pre_dropped = project.counts.get("segments", [n_codings, 0])
    return segments, read, pre_dropped + dropped_codings


_STR = pd.StringDtype(na_value=np.nan)


def _factorize(values: Sequence) -> tuple[np.ndarray, list]:
    """Integer codes of ``values`` and the distinct values, in order of first appearance (dict equality)."""
    index: dict = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64, count=len(values))
    return codes, list(index)


def _relabel(codes: np.ndarray, keys: list, label_of: Mapping) -> tuple[np.ndarray, list]:
    """Codes of the labels ``label_of[key]`` from codes of the keys (two keys may share a label)."""
    by_key, labels = _factorize([label_of[k] for k in keys])
    return (by_key[codes] if len(codes) else codes), labels


def _ranks(labels: list) -> np.ndarray:
    """Each label's place when the labels are sorted as Python sorts strings."""
    ranks = np.empty(len(labels), dtype=np.int64)
    ranks[sorted(range(len(labels)), key=labels.__getitem__)] = np.arange(len(labels))
    return ranks


def _segment_frame(project: RawProject, interview_of: dict, path_of: dict, *, primary) -> pd.DataFrame:
    """The segments as columns, each built once into Arrow, already in the table's order.

    The repeated columns (interview, code, coder) are first reduced to
    integer codes; each coding's primary flag (``primary(interview,
    interviews, coder, coders)``: codes and the labels they stand for) and
    the table's order (``schema.TABLES["segments"].sort_by``, strings
    compared as Python compares them, as :func:`leadlib.schema.sort_order`
    does) are worked out on those codes. Each column is then built in that
    order: labels taken by code, the IDs taken from the codings' Arrow chunks
    (released at once), the segment texts sliced from their transcripts one
    chunk of Python strings at a time. The table is never copied to be
    sorted, and the codings' lists are released as the codes replace them.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    codings = project.codings
    n = len(codings)
    given = codings.text
    start = np.frombuffer(codings.start, dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    end = np.frombuffer(codings.end, dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    source, sources = _factorize(codings.source)
    interview, interviews = _relabel(source, sources, interview_of)
    code, codes = _relabel(*_factorize(codings.code), path_of)
    coder, coders = _factorize(codings.user)
    codings.source, codings.code, codings.user = [], [], []  # the codes stand for them now
    is_primary = np.asarray(primary(interview, interviews, coder, coders), dtype=bool)
    keys = {
        "primary": is_primary.astype(np.int64),
        "interview_id": _ranks(interviews)[interview],
        "coder": _ranks(coders)[coder],
        "start": start,
        "end": end,
        "code_id": _ranks(codes)[code],
    }
    table = schema.TABLES["segments"]
    # np.lexsort is stable and takes its primary key last
    order = np.lexsort([-keys[c] if c in table.descending else keys[c] for c in reversed(table.sort_by)])
    del keys
    # large_string is what pandas keeps its "str" columns in: building that
    # type directly avoids a cast that would copy every column once more
    string = pa.large_string()

    def labelled(labels: list, codes_: np.ndarray) -> pd.arrays.ArrowStringArray:
        return pd.array(pc.take(pa.array(labels, type=string), pa.array(codes_[order])), dtype=_STR)

    frame = pd.DataFrame({"segment_id": pd.array(pc.take(codings.key_column(), pa.array(order)), dtype=_STR)})
    codings.set_keys([])  # the column is the IDs' only copy now
    frame["interview_id"] = labelled(interviews, interview)
    frame["code_id"] = labelled(codes, code)
    frame["coder"] = labelled(coders, coder)
    frame["start"] = start[order]
    frame["end"] = end[order]
    frame["primary"] = is_primary[order]
    text_of = {s.key: s.text for s in project.sources}
    texts = [text_of[s] for s in sources]

    def segment_texts():
        for first in range(0, n, 16_384):  # row numbers as Python ints, a block at a time
            rows = order[first : first + 16_384]
            for i, s, a, b in zip(rows.tolist(), source[rows].tolist(), start[rows].tolist(), end[rows].tolist()):
                value = given[i]
                yield value if value is not None else texts[s][a:b]

    frame["text"] = _string_column(segment_texts(), string)
    project.codings = CodingColumns()  # the frame holds everything now
    return frame


def _string_column(values, string) -> pd.arrays.ArrowStringArray:
    """Strings into one Arrow column in chunks, so that at most one chunk of them is alive as Python strings."""
    import pyarrow as pa

    chunks, batch = [], []
    for value in values:
        batch.append(value)
        if len(batch) == 16384:
            chunks.append(pa.array(batch, type=string))
            batch = []
    if batch or not chunks:
        chunks.append(pa.array(batch, type=string))
    return pd.array(pa.chunked_array(chunks, type=string), dtype=_STR)


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`schema.conform`, with absent columns filled first (NaN for numbers, None otherwise)."""
    frame = frame.copy()
    for col in schema.TABLES[name].columns:
        if col.name not in frame.columns:
            frame[col.name] = np.nan if col.kind == "float" else None
        elif col.kind == "float":
            frame[col.name] = pd.to_numeric(frame[col.name].astype(object).where(frame[col.name].notna(), np.nan))
    return schema.conform(name, frame)


def _n_words(sources: Sequence[RawSource]) -> list[int | None]:
    """Words of each source (:func:`leadlib.io.text.count_words`, all texts at once).

    A stand-in transcript (made of the coded passages) has no count; a
    source without text takes its ``n_words`` variable (leadlib writes one)
    when that is a number.
    """
    counts = iter(text_words([s.text for s in sources if s.text is not None and not s.stand_in]).tolist())
    out: list[int | None] = []
    for src in sources:
        if src.text is not None:
            out.append(None if src.stand_in else next(counts))
            continue
        value = _variable(src.variables, "n_words")
        try:
            out.append(None if _is_blank(value) else int(value))
        except (TypeError, ValueError):
            out.append(None)
    return out


def _read_kept(project: RawProject, table: str, kept: int) -> tuple[int, int, int]:
    read, dropped = project.counts.get(table, [kept, 0])
    if read != kept + dropped:
        read = kept + dropped
    return read, kept, dropped


def _date(value: str | None):
    if _is_blank(value):
        return None
    try:
        stamp = pd.Timestamp(str(value))
    except (ValueError, TypeError):
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp.normalize()


_TYPED = {"staff_fte": "float", "annual_patients": "int", "visit_date": "date"}


def _site_frame(
    rows: list[dict], extra_columns: list[str], types: dict[str, str], log: AuditLog, label: str
) -> pd.DataFrame:
    """The ``sites`` table from its rows: extra attributes typed as declared, the schema's columns checked.

    A ``setting`` outside the vocabulary and a ``staff_fte``,
    ``annual_patients`` or ``visit_date`` that is not one are left empty
    (audited); a site without a name is named by its ``site_id``.
    """
    if not rows:
        return schema.empty("sites")
    frame = pd.DataFrame(rows)
    for column in extra_columns:
        # extra attributes keep the type their variable declares
        values = frame[column] if column in frame else pd.Series([None] * len(frame), index=frame.index)
        frame[column] = _declared_type(values.astype(object).where(values.notna(), None), types.get(column, "Text"))
    if "setting" in frame:
        _check_setting(frame, log, label)
    for column, kind in _TYPED.items():
        if column in frame:
            frame[column] = _typed_site_column(frame, column, kind, log, label)
    for column in ("name", "organization", "region"):
        if column in frame:
            frame[column] = (
                frame[column]
                .astype(object)
                .where(frame[column].notna(), None)
                .map(lambda v: v if v is None else str(v))
            )
    frame["name"] = frame["name"].where(frame["name"].notna(), frame["site_id"])
    return conform("sites", frame)


def _declared_type(values: pd.Series, kind: str):
    """An extra site attribute in the type its variable declares, when every value has it; else as it is.

    ``values`` holds Python values with None for missing ones.
    """
    if kind == "Integer":
        if values.map(lambda v: v is None or isinstance(v, int)).all():
            return pd.array(values.tolist(), dtype="Int64")
        return values
    if kind == "Float":
        if values.map(lambda v: v is None or isinstance(v, (int, float))).all():
            return pd.to_numeric(values, errors="coerce")
        return values
    if kind == "Boolean":
        if values.map(lambda v: v is None or isinstance(v, bool)).all():
            return pd.array(values.tolist(), dtype="boolean")
        return values
    return values.map(lambda v: v if v is None else str(v)).astype(pd.StringDtype(na_value=np.nan))


def _check_setting(frame: pd.DataFrame, log: AuditLog, label: str) -> None:
    """Empty (in place, audited) every ``setting`` that is not one of :data:`leadlib.schema.SETTINGS`."""
    column = "setting"
    bad = frame[column].notna() & ~frame[column].astype(object).isin(schema.SETTINGS + (None,))
    for i in np.flatnonzero(bad.to_numpy()):
        log.add(
            "sites",
            f"{label}:site {frame.at[i, 'site_id']!r}",
            "missing",
            f"{frame.at[i, column]!r} is not a known setting; left empty (the value is kept in the audit)",
            column=column,
            before=frame.at[i, column],
        )
    frame.loc[bad, column] = None


def _typed_site_column(frame: pd.DataFrame, column: str, kind: str, log: AuditLog, label: str) -> pd.Series:
    """A site column of :data:`_TYPED` converted to its kind; a value that is not one is left empty (audited)."""
    values = frame[column]
    if kind == "date":
        conv = pd.to_datetime(values.astype(object).where(values.notna(), None), errors="coerce", format="ISO8601")
    else:
        conv = pd.to_numeric(values.astype(object).where(values.notna(), None), errors="coerce")
    bad = values.notna() & conv.isna()
    if kind == "int":
        bad = bad | (conv.notna() & ((conv % 1) != 0))
    for i in np.flatnonzero(bad.to_numpy()):
        log.add(
            "sites",
            f"{label}:site {frame.at[i, 'site_id']!r}",
            "missing",
            f"{values.iloc[i]!r} is not a valid {column}; left empty",
            column=column,
            before=values.iloc[i],
        )
    return conv.where(~bad)


def _unique_keys(codings: CodingColumns, log: AuditLog, label: str) -> None:
    """Make segment IDs unique (a number appended to repeats), audited.

    Checked on the IDs' hashes before the Arrow columns are built: a
    duplicate check on an Arrow string column builds a hash table several
    times the column's size.
    """
    if codings.keys_unique():
        return
    keys = codings.keys()
    seen: set[str] = set()
    taken = set(keys)
    n_changed = 0
    for i, key in enumerate(keys):
        if key not in seen:
            seen.add(key)
            continue
        n = 2
        while f"{key}-{n}" in taken:
            n += 1
        keys[i] = f"{key}-{n}"
        taken.add(keys[i])
        seen.add(keys[i])
        n_changed += 1
    codings.set_keys(keys)
    log.add(
        "segments",
        label,
        "recode",
        "several codings share one ID; a number was appended to the later ones",
        column="segment_id",
        n=n_changed,
    )


def _primary(
    interview: np.ndarray,
    interviews: list,
    coder: np.ndarray,
    coders: list,
    project: RawProject,
    log: AuditLog,
    label: str,
) -> np.ndarray:
    """Each coding's ``primary`` flag, from the codings' interview and coder codes and the labels they stand for.

    In a study leadlib wrote, its own primary coder per interview; else the
    coder with most codings in the interview (ties: the first in the
    project's list of users), audited per interview coded by several coders.
    """
    if not len(interview):
        return np.zeros(0, dtype=bool)
    coder_code = {c: j for j, c in enumerate(coders)}
    meta_primary = (project.meta or {}).get("primary")
    if meta_primary is not None:
        # a study leadlib wrote: its own primary coder per interview (an
        # interview missing here had no primary coding)
        chosen = [meta_primary.get(iid) for iid in interviews]
    else:
        chosen = _most_codings(interview, interviews, coder, coders, project, log, label)
    chosen_code = np.array([coder_code.get(c, -1) if isinstance(c, str) else -1 for c in chosen], dtype=np.int64)
    return coder == chosen_code[interview]


def _most_codings(
    interview: np.ndarray,
    interviews: list,
    coder: np.ndarray,
    coders: list,
    project: RawProject,
    log: AuditLog,
    label: str,
) -> list[str]:
    """Each interview's primary coder: the one with most codings there (ties: first in the users' list), audited."""
    # the (interview, coder) pairs and their codings, by sorting (np.unique would build a hash table)
    pair = np.sort(interview * len(coders) + coder)
    first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    pairs, n = pair[first], np.diff(np.r_[first, len(pair)])
    counts = pd.DataFrame(
        {
            "interview_id": np.array(interviews, dtype=object)[pairs // len(coders)],
            "coder": np.array(coders, dtype=object)[pairs % len(coders)],
            "n": n.astype(np.int64),
        }
    )
    order = {u: i for i, u in enumerate(project.users)}
    counts["rank"] = counts["coder"].map(lambda c: order.get(c, len(order)))
    counts = counts.sort_values(["interview_id", "n", "rank", "coder"], ascending=[True, False, True, True])
    primary = counts.drop_duplicates("interview_id").set_index("interview_id")["coder"]
    single = 0
    for iid, group in counts.groupby("interview_id", sort=False):
        if len(group) == 1:
            single += 1
            continue
        others = "; ".join(f"{c} ({n})" for c, n in zip(group["coder"].iloc[1:], group["n"].iloc[1:]))
        log.add(
            "segments",
            f"{label}:interview {iid!r}",
            "infer",
            "several coders coded this interview: the one with most codings there is primary "
            "(ties: the first in the project's list of users); the others' codings have primary=False",
            column="primary",
            before=others,
            after=f"{group['coder'].iloc[0]} ({group['n'].iloc[0]})",
            n=int(group["n"].sum()),
        )
    if single:
        log.add(
            "segments",
            label,
            "infer",
            "interviews coded by one coder only: all their codings are primary",
            column="primary",
            n=single,
        )
    return [primary.get(iid) for iid in interviews]


def _validate(study: Study, project: RawProject, *, chunk: int = 16_384) -> None:
    tables = dict(study.tables())
    for name in ("sites", "informants", "interviews", "transcripts", "codebook"):
        schema.validate(name, tables[name], source=str(project.path), tables=tables)
    # Segments are checked in slices of rows: the duplicate-key check hashes
    # the key column, and Arrow's hash table for it is several times the
    # column's size; on a slice it stays small. Slices of Arrow columns are
    # views. Keys cannot repeat across slices: _unique_keys made them unique.
    segments = tables["segments"]
    for first in range(0, max(len(segments), 1), chunk):
        schema.validate("segments", segments.iloc[first : first + chunk], source=str(project.path), tables=tables)
