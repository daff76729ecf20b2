"""REFI-QDA projects (QDA-XML 1.0): read any vendor's ``.qdpx``/``.qde``, write leadlib's.

:func:`read_refi` turns a project exported by NVivo, MAXQDA, ATLAS.ti,
QualCoder (or leadlib) into a :class:`~leadlib.study.Study`;
:func:`write_refi` writes a Study as a ``.qdpx`` those tools can import.

How the project's parts become tidy tables (see also :mod:`leadlib.io._qda`):

- ``Users`` are the coders; a coding's coder is the name of the user who
  created its ``PlainTextSelection`` (NVivo writes the *code's* creator on
  every ``Coding``); the ``Coding``'s ``creatingUser`` only where the
  selection names none (audited), and the GUID when the user has no name.
  A ``Coding`` of a whole source is credited to its own ``creatingUser``.
- each ``TextSource`` is an interview and its plain text the transcript
  (``PlainTextContent``, or the file named by ``plainTextPath``:
  ``internal://`` inside the archive's ``sources/`` folder of any case,
  ``relative://`` and a bare name, as qc writes it, are looked up there
  too). A source without ``name`` is named after that file (else its GUID),
  audited. A missing file is an audit entry:
  the interview is kept without a transcript and its codings keep the
  tool's label of each selection as their text.
- ``PlainTextSelection`` x ``Coding`` -> one segment. Offsets are converted
  to characters of the transcript with its line endings normalised to
  ``\\n``: NVivo counts UTF-16 code units (an emoji counts 2) over the text
  with Windows line endings; for other tools the convention under which the
  selections' labels match the text is used (audited when it is not plain
  characters). A selection whose offsets run past its source is refused
  (``on_bad_selection="error"``, default) or dropped with an audit entry.
- selections that carry only a ``Description`` (MAXQDA comments) are not
  codings: one audit note per source. Codings of pictures, PDFs, audio and
  video are dropped, each with an audit entry, and counted in the
  accounting.
- NVivo case nodes exported as codes (a ``Code`` with the GUID of a ``Case``,
  or under a top-level code named "Cases" in an NVivo project) are not
  codes: they become cases (if no ``Case`` has that name) and their
  codings are dropped, audited.
- ``Cases`` (with ``VariableValue`` and ``SourceRef``), ``Sets`` and
  ``Variables`` feed the sites (``site_from``); every variable on a site's
  case becomes a site attribute column under its own name.

Safety: the archive is read in memory (no extraction), the XML's prolog is
vetted by defusedxml (no DTD, so no entities) and the body streamed; see
:mod:`leadlib.io._safe`.
"""

from __future__ import annotations

import functools
import json
import re
import uuid
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from ..errors import LeadlibDataError
from ..study import Study
from . import _safe
from ._qda import (
    CodingColumns,
    OffsetMap,
    RawCase,
    RawCode,
    RawCoding,
    RawProject,
    RawSource,
    build_study,
    check_reader_arguments,
    decode_text,
    normalise_text,
    shared_docs,
)

__all__ = ["read_refi", "write_refi", "QDA_NAMESPACE"]

QDA_NAMESPACE = "urn:QDA-XML:project:1.0"
_NS = "{" + QDA_NAMESPACE + "}"
_META_NOTE = "leadlib-metadata"
_LEADLIB_ORIGIN = "leadlib"
#: Namespace of the GUIDs leadlib writes (uuid5), so that a study written
#: twice gets the same GUIDs.
_GUID_NAMESPACE = uuid.UUID("6f1c2a9e-3d4b-5c6d-8e7f-0a1b2c3d4e5f")

#: Source variables leadlib writes for interviews and informants.
_INTERVIEW_VARIABLES = ("informant_id", "role", "leader_type", "leader_level", "interviewer", "duration_min", "n_words")

_MEDIA_SELECTIONS = {"PictureSelection", "PDFSelection", "AudioSelection", "VideoSelection", "TranscriptSelection"}
_MEDIA_SOURCES = {"PictureSource", "PDFSource", "AudioSource", "VideoSource"}


_CODING = _NS + "Coding"
_CODEREF = _NS + "CodeRef"
_DESCRIPTION = _NS + "Description"


def _local(tag: str) -> str:
    return tag[len(_NS) :] if tag.startswith(_NS) else tag.rsplit("}", 1)[-1]


# --------------------------------------------------------------------------
# Reading


@shared_docs
def read_refi(
    path: str | Path,
    *,
    site_from: str = "case",
    on_bad_selection: str = "error",
    on_no_site: str = "keep",
    code_groups: Mapping[str, str] | None = None,
    limits: _safe.Limits = _safe.DEFAULT_LIMITS,
) -> Study:
    """Read a REFI-QDA project (``.qdpx`` archive or bare ``.qde``) into a Study.

    Parameters
    ----------
    path
        The ``.qdpx`` (a zip holding a ``.qde`` of any name and a
        ``sources/`` folder) or a ``.qde`` (its sources, if any, in a
        ``sources/`` folder beside it).
    site_from
        Where a source's site comes from: ``"case"`` (the case it belongs
        to), ``"set"`` or ``"set:<regex>"`` (the set, among those whose name
        matches), ``"variable:<name>"`` (a variable of the source, or of its
        case), or ``"pattern:<regex>"`` (matched against the source name; the
        first group, or the whole match). Sources with no site are kept under
        ``"(none)"`` (see ``on_no_site``), with an audit entry.
    {on_bad_selection}
    {on_no_site}
    {code_groups}
    limits
        Caps on sizes and ratios for untrusted archives.

    Returns
    -------
    Study
        With ``audit`` and ``accounting_table`` filled; ``synthetic`` is True
        only for projects leadlib wrote from a synthetic study.
    """
    path = Path(path)
    check_reader_arguments(
        path, site_from=site_from, code_groups=code_groups, on_bad_selection=on_bad_selection, what=".qdpx or .qde file"
    )
    if zipfile.is_zipfile(path):
        with _safe.open_zip(path, limits=limits) as archive:
            qde = _find_qde(archive)
            sources = _ArchiveSources(archive)
            project = _Reader(path, qde, sources, on_bad_selection).read(lambda: archive.open(qde))
    else:
        if path.suffix.lower() == ".qdpx":
            raise LeadlibDataError(
                "is not a readable zip archive; a .qdpx file is a zip archive (it may be truncated)",
                path=path,
                hint="check that the download or copy finished, or export the project again",
            )
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise LeadlibDataError(
                f"the file is {size:,} bytes, more than the cap of {limits.max_file_bytes:,}",
                path=path,
                hint="raise Limits.max_file_bytes if the file is genuine",
            )
        sources = _FolderSources(path.parent, limits)
        project = _Reader(path, None, sources, on_bad_selection).read(functools.partial(open, path, "rb"))
    return build_study(project, site_from=site_from, on_no_site=on_no_site, code_groups=code_groups)


def _find_qde(archive: _safe.SafeZip) -> str:
    candidates = [n for n in archive.names if n.lower().endswith(".qde") and "/" not in n.strip("/")]
    if not candidates:
        candidates = [n for n in archive.names if n.lower().endswith(".qde")]
    if not candidates:
        raise LeadlibDataError(
            "the archive holds no .qde project file, so it is not a REFI-QDA project",
            path=archive.path,
            hint="export the project again as REFI-QDA (.qdpx)",
        )
    for preferred in ("project.qde",):
        for name in candidates:
            if name.lower() == preferred:
                return name
    return sorted(candidates)[0]


class _ArchiveSources:
    """Source files inside the .qdpx, under ``sources/`` of any case."""

    def __init__(self, archive: _safe.SafeZip) -> None:
        self.archive = archive

    def label(self, name: str) -> str:
        return f"{self.archive.path.name}:sources/{name}"

    def get(self, name: str) -> bytes | None:
        for folder in ("sources/", ""):
            found = self.archive.find(folder + name)
            if found:
                return self.archive.read(found)
        return None


class _FolderSources:
    """Source files in a ``sources/`` folder beside a bare .qde."""

    def __init__(self, folder: Path, limits: _safe.Limits) -> None:
        self.folder = folder
        self.limits = limits
        self.dirs = (
            [d for d in folder.iterdir() if d.is_dir() and d.name.lower() == "sources"] if folder.exists() else []
        )

    def label(self, name: str) -> str:
        return f"sources/{name}"

    def get(self, name: str) -> bytes | None:
        for d in self.dirs:
            for candidate in d.iterdir():
                if candidate.name.lower() == name.lower() and candidate.is_file():
                    return _safe.read_file_bytes(candidate, limits=self.limits)
        return None


def _source_file_name(path_attr: str | None) -> str | None:
    """The file name a ``plainTextPath`` points to inside the project; None if unusable.

    ``internal://name`` and ``relative://name`` as the standard writes them,
    and a bare ``name`` (or ``sources/name``) as qc writes it: each is looked
    up in the ``sources/`` folder (of any case). Any other scheme
    (``absolute://``, ``file://``) and any path with other folders or ``..``
    is not looked up.
    """
    if not path_attr:
        return None
    value = path_attr.strip()
    match = re.match(r"^(internal|relative)://+(.*)$", value)
    if match:
        rest = match.group(2)
    elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
        return None  # another scheme, or a drive letter: not inside the project
    else:
        rest = value
    parts = PurePosixPath(rest.replace("\\", "/")).parts
    if not match and len(parts) == 2 and parts[0].lower() == "sources":
        parts = parts[1:]  # a bare "sources/name"
    # only a plain name: anything with folders or '..' is not looked up
    if len(parts) != 1 or parts[0] in ("", ".", "..", "/"):
        return None
    return parts[0]


class _Reader:
    def __init__(self, path: Path, member: str | None, sources, on_bad_selection: str) -> None:
        self.path = path
        self.member = member
        self.files = sources
        self.on_bad = on_bad_selection
        self.label = path.name
        self.users: dict[str, str] = {}  # guid -> coder label
        self.user_order: list[str] = []
        self.codes_xml = None
        self.variables: dict[str, tuple[str, str]] = {}  # guid -> (name, type)
        self.cases: list[RawCase] = []
        self.case_guids: set[str] = set()
        self.sets: list[tuple[str, list[str]]] = []
        self.pending: list[tuple] = []  # selections waiting for their container
        self.pending_content: str | None = None
        self.project: RawProject | None = None
        self.origin = ""
        self.leadlib_origin = False
        self.selection_source: dict[str, str] = {}
        self.media_drops = 0
        self.codings_read = 0
        self.code_codings = CodingColumns()  # checked against the codebook (case nodes) at the end
        self._codes_seen: dict[str | None, str | None] = {}
        self._need_selections = False  # whether some case refers to selections
        #: codings of the current source credited to the Coding's user (no selection user), and those whose
        #: Coding names another user than the selection
        self.credit = [0, 0]

    # -- helpers -----------------------------------------------------------
    def where(self, kind: str, guid: str | None) -> str:
        return f"{kind} {guid}" if guid else kind

    def coder(self, guid: str | None, fallback: str | None) -> str:
        for g in (guid, fallback):
            if g:
                if g not in self.users:
                    self.users[g] = g
                    self.user_order.append(g)
                return self.users[g]
        return "unknown"

    def drop(self, where: str, reason: str, before: object = None) -> None:
        self.project.log.add(
            "segments", f"{self.label}:{where}", "drop", reason, before=None if before is None else str(before)[:200]
        )
        self.project.count("segments", 0, 1)

    # -- main loop ---------------------------------------------------------
    def read(self, opener) -> RawProject:
        root = self._check_root(opener)
        self.origin = root.get("origin", "") or ""
        self.leadlib_origin = self.origin.lower().startswith(_LEADLIB_ORIGIN)
        name = root.get("name") or self.path.stem
        self.project = RawProject(path=self.path, label=self.label, name=name)
        self.project.log.add(
            "interviews", self.label, "read", f"REFI-QDA project written by {self.origin or 'an unnamed tool'}", n=1
        )
        handlers = {
            "Users": self._users,
            "CodeBook": self._codebook,
            "Variables": self._variables,
            "Cases": self._cases,
            "PlainTextContent": self._content,
            "PlainTextSelection": self._selection,
            "TextSource": self._text_source,
            "Representation": self._representation,
            "Note": self._note,
            "Sets": self._sets,
        }
        for tag in _MEDIA_SELECTIONS:
            handlers[tag] = self._media_selection
        for tag in _MEDIA_SOURCES:
            handlers[tag] = self._media_source
        # dispatch on the full tag: one dict lookup per element keeps the
        # streaming loop close to the speed of parsing alone
        by_tag = {_NS + local: handler for local, handler in handlers.items()}
        with opener() as stream:
            for _event, elem in _safe.iterparse(stream, self.path, member=self.member):
                handler = by_tag.get(elem.tag)
                if handler is not None:
                    handler(elem)
        self._finish()
        return self.project

    def _check_root(self, opener):
        with opener() as stream:
            for _event, elem in _safe.iterparse(stream, self.path, events=("start",), member=self.member):
                if elem.tag != _NS + "Project":
                    raise LeadlibDataError(
                        f"is not a QDA-XML project: its root element is <{_local(elem.tag)}> "
                        f"(namespace {elem.tag[1:].split('}')[0] if elem.tag.startswith('{') else 'none'}), "
                        f"not <Project> in {QDA_NAMESPACE}",
                        path=self.path,
                        hint="export the project from the QDA software as a REFI-QDA project",
                    )
                return elem
        raise LeadlibDataError("the XML is empty", path=self.path, hint="export the project again")

    # -- elements ----------------------------------------------------------
    def _users(self, elem) -> None:
        for user in elem.findall(_NS + "User"):
            guid = user.get("guid")
            label = (user.get("name") or "").strip() or guid
            if guid:
                self.users[guid] = label
                self.user_order.append(guid)
        elem.clear()

    def _codebook(self, elem) -> None:
        self.codes_xml = []

        def walk(node, parent: str | None) -> None:
            for code in node.findall(_NS + "Code"):
                guid = code.get("guid") or f"code-{len(self.codes_xml)}"
                desc = code.find(_NS + "Description")
                self.codes_xml.append(
                    RawCode(
                        key=guid,
                        name=code.get("name") or "",
                        parent=parent,
                        description=None if desc is None else desc.text,
                        where=f"Code {guid}",
                    )
                )
                walk(code, guid)

        codes = elem.find(_NS + "Codes")
        if codes is not None:
            walk(codes, None)
        elem.clear()

    def _variables(self, elem) -> None:
        for var in elem.findall(_NS + "Variable"):
            self.variables[var.get("guid")] = (var.get("name") or var.get("guid"), var.get("typeOfVariable") or "Text")
        elem.clear()

    def _values(self, elem) -> dict[str, object]:
        out = {}
        for vv in elem.findall(_NS + "VariableValue"):
            ref = vv.find(_NS + "VariableRef")
            if ref is None:
                continue
            name, _type = self.variables.get(ref.get("targetGUID"), (ref.get("targetGUID"), "Text"))
            for child in vv:
                kind = _local(child.tag)
                if kind.endswith("Value"):
                    out[name] = _typed_value(kind, child.text)
        return out

    def _cases(self, elem) -> None:
        for case in elem.findall(_NS + "Case"):
            guid = case.get("guid")
            raw = RawCase(key=guid, name=case.get("name") or guid, variables=self._values(case), where=f"Case {guid}")
            raw.sources = [r.get("targetGUID") for r in case.findall(_NS + "SourceRef")]
            raw._selections = [r.get("targetGUID") for r in case.findall(_NS + "SelectionRef")]  # type: ignore[attr-defined]
            self._need_selections = self._need_selections or bool(raw._selections)
            self.cases.append(raw)
            self.case_guids.add(guid)
        elem.clear()

    def _content(self, elem) -> None:
        self.pending_content = elem.text or ""

    def _selection(self, elem) -> None:
        codings = []
        has_desc = False
        for child in elem:  # one pass over the children: this runs once per selection
            tag = child.tag
            if tag == _CODING:
                ref = child.find(_CODEREF)
                code = None if ref is None else ref.get("targetGUID")
                # one string object per code GUID, shared by all its codings
                code = self._codes_seen.setdefault(code, code)
                codings.append((child.get("guid"), code, child.get("creatingUser")))
            elif tag == _DESCRIPTION:
                has_desc = bool((child.text or "").strip())
        try:
            start, end = int(elem.get("startPosition")), int(elem.get("endPosition"))
        except (TypeError, ValueError):
            start, end = -1, -1
        self.pending.append(
            (elem.get("guid"), start, end, elem.get("name"), elem.get("creatingUser"), has_desc, codings)
        )
        elem.clear()

    def _claim(self) -> tuple[list[tuple], str | None]:
        pending, content = self.pending, self.pending_content
        self.pending, self.pending_content = [], None
        return pending, content

    def _media_selection(self, elem) -> None:
        kind = _local(elem.tag)
        guid = elem.get("guid")
        for coding in elem.findall(_NS + "Coding"):
            self.codings_read += 1
            self.media_drops += 1
            self.drop(
                self.where(kind, guid) + f" / Coding {coding.get('guid')}",
                f"a coding of a {kind.replace('Selection', '').lower()} region is not a text segment "
                "(leadlib reads text sources only)",
                before=elem.get("name"),
            )
        # a transcript's or PDF's text selections inside it are handled by their container
        elem.clear()

    def _media_source(self, elem) -> None:
        kind = _local(elem.tag)
        for coding in elem.findall(_NS + "Coding"):
            self.codings_read += 1
            self.drop(
                f"{kind} {elem.get('guid')} / Coding {coding.get('guid')}",
                f"a coding of a whole {kind.replace('Source', '').lower()} is not a text segment",
                before=elem.get("name"),
            )
        pending, _ = self._claim()
        self._drop_pending(
            pending,
            f"{kind} {elem.get('guid')}",
            f"a text selection inside a {kind.replace('Source', '')} source (its text representation "
            "or transcript); leadlib reads text sources only",
        )
        elem.clear()

    def _representation(self, elem) -> None:
        pending, _ = self._claim()
        self._drop_pending(
            pending,
            f"Representation {elem.get('guid')}",
            "a text selection on the text representation of a PDF; leadlib reads text sources only "
            "(import the transcript as a text document to code it)",
        )
        elem.clear()

    def _note(self, elem) -> None:
        pending, content = self._claim()
        self._drop_pending(pending, f"Note {elem.get('guid')}", "a coding inside a note (memo), not an interview")
        if elem.get("name") == _META_NOTE and self.leadlib_origin and content:
            try:
                self.project.meta = json.loads(content)
            except ValueError:
                self.project.log.add(
                    "segments",
                    self.label,
                    "note",
                    "the leadlib metadata note is not valid JSON; IDs are derived from names",
                )
        elem.clear()

    def _drop_pending(self, pending, where: str, reason: str) -> None:
        for guid, _s, _e, name, _u, _d, codings in pending:
            for coding_guid, _code, _user in codings:
                self.codings_read += 1
                self.drop(f"{where} / PlainTextSelection {guid} / Coding {coding_guid}", reason, before=name)

    def _sets(self, elem) -> None:
        for set_ in elem.findall(_NS + "Set"):
            members = [m.get("targetGUID") for m in set_.findall(_NS + "MemberSource")]
            if members:
                self.sets.append((set_.get("name") or set_.get("guid"), members))
        elem.clear()

    # -- text sources --------------------------------------------------------
    def _text_source(self, elem) -> None:
        pending, content = self._claim()
        guid = elem.get("guid")
        where = f"TextSource {guid}"
        log = self.project.log
        path_attr = elem.get("plainTextPath")
        file_name = _source_file_name(path_attr)
        name = self._source_name(elem, file_name, where)
        raw_text: str | None = None
        if content is not None:
            raw_text = content
        else:
            data = self.files.get(file_name) if file_name else None
            if data is None:
                log.add(
                    "transcripts",
                    f"{self.label}:{where}",
                    "missing",
                    f"the source's plain text ({path_attr or 'no plainTextPath'}) is not in the project; the "
                    "interview is kept without a transcript, n_words is empty, and its codings keep the tool's "
                    f"label of each selection as their text (offsets unchecked; {sum(len(p[6]) for p in pending)} "
                    "codings)",
                    before=path_attr,
                    n=1,
                )
            else:
                raw_text, encoding = decode_text(data)
                if encoding not in ("utf-8", "utf-8-sig"):
                    log.add(
                        "transcripts",
                        self.files.label(file_name),
                        "decode",
                        f"the text is not UTF-8; it was read as {encoding}",
                        before=encoding,
                    )
                if encoding == "utf-8-sig":
                    log.add(
                        "transcripts",
                        self.files.label(file_name),
                        "strip",
                        "a byte-order mark (BOM) at the start of the text was removed",
                        n=1,
                    )
        src = RawSource(
            key=guid,
            name=name,
            text=None if raw_text is None else normalise_text(raw_text),
            created=elem.get("creationDateTime"),
            variables=self._values(elem),
            where=where,
            order=len(self.project.sources),
        )
        if raw_text is not None and "\r" in raw_text:
            log.add(
                "transcripts",
                f"{self.label}:{where}",
                "strip",
                "Windows line endings (CRLF) were converted to \\n; offsets were converted to match",
                n=raw_text.count("\r"),
            )
        self.project.sources.append(src)
        self._codings_of(src, raw_text, pending, elem)
        elem.clear()

    def _source_name(self, elem, file_name: str | None, where: str) -> str:
        """The source's ``name``; a nameless source (as qc writes them) is named after its file, else its GUID.

        A file named after the source's GUID (``internal://<guid>.txt``) names it no better than the
        GUID does. Audited when the name is missing.
        """
        name = (elem.get("name") or "").strip()
        if name:
            return elem.get("name")
        guid = elem.get("guid") or ""
        if file_name and PurePosixPath(file_name).stem.lower() != guid.lower():
            name, what = file_name, f"its file {file_name!r}"
        else:
            name, what = guid, "its GUID"
        self.project.log.add(
            "interviews",
            f"{self.label}:{where}",
            "missing",
            f"the source has no name; it was named after {what}",
            column="interview_id",
            after=name,
        )
        return name

    def _codings_of(self, src: RawSource, raw_text: str | None, pending: list[tuple], elem) -> None:
        """The codings of one text source: of its selections (offsets converted), then of the whole source."""
        self._note_comments(src, pending)
        coded = [p for p in pending if p[6]]
        # codings of the whole source (TextSource/Coding)
        whole = []
        for coding in elem.findall(_NS + "Coding"):
            ref = coding.find(_NS + "CodeRef")
            whole.append(
                (coding.get("guid"), None if ref is None else ref.get("targetGUID"), coding.get("creatingUser"))
            )
        if not coded and not whole:
            return
        starts, ends = self._offsets(src, raw_text, coded)
        self.credit = [0, 0]
        for selection, start, end in zip(coded, starts, ends):
            self._selection_codings(src, selection, int(start), int(end))
        self._audit_credit(src)
        text = src.text
        for coding_guid, code_guid, user in whole:
            self.codings_read += 1
            self.code_codings.append(
                RawCoding(
                    key=coding_guid,
                    source=src.key,
                    code=code_guid,
                    user=self.coder(user, elem.get("creatingUser")),
                    start=0,
                    end=len(text) if text is not None else 0,
                    text=None if text is not None else "",
                    where=f"{src.where} / Coding {coding_guid}",
                )
            )

    def _audit_credit(self, src: RawSource) -> None:
        """Audit, per source, codings credited otherwise than to their selection's ``creatingUser``.

        ``self.credit`` holds the codings whose selection names no user (the
        ``Coding``'s ``creatingUser`` was credited) and those whose ``Coding``
        names another user than the selection (the selection's was credited).
        """
        fallback, differ = self.credit
        where = f"{self.label}:{src.where}"
        if fallback:
            self.project.log.add(
                "segments",
                where,
                "infer",
                "the selections name no creatingUser: each coding is credited to the creatingUser of its Coding",
                column="coder",
                n=fallback,
            )
        if differ:
            self.project.log.add(
                "segments",
                where,
                "note",
                "the Coding names another user than its selection (NVivo writes the code's creator on each "
                "Coding): each coding is credited to the selection's creatingUser, the person who coded",
                column="coder",
                n=differ,
            )

    def _note_comments(self, src: RawSource, pending: list[tuple]) -> None:
        """One audit note for the selections that carry only a Description (MAXQDA's comments)."""
        comments = [p[0] for p in pending if not p[6] and p[5]]
        if not comments:
            return
        shown = ", ".join(comments[:8]) + (f", ... (+{len(comments) - 8} more)" if len(comments) > 8 else "")
        self.project.log.add(
            "segments",
            f"{self.label}:{src.where}",
            "note",
            "selections that carry only a Description are comments (as MAXQDA writes them), not codings; not read: "
            + shown,
            n=len(comments),
        )

    def _offsets(self, src: RawSource, raw_text: str | None, coded: list[tuple]) -> tuple[np.ndarray, np.ndarray]:
        """The selections' start and end as characters of the transcript.

        The tool's convention (UTF-16 units for NVivo, else the one under
        which the labels match the text; characters for leadlib's own
        files) is converted, audited when it is not plain characters.
        Without a transcript the offsets stay as written.
        """
        starts = np.array([p[1] for p in coded], dtype=np.int64)
        ends = np.array([p[2] for p in coded], dtype=np.int64)
        if raw_text is None or not len(coded):
            return starts, ends
        log = self.project.log
        omap = OffsetMap(raw_text)
        default = "utf16" if self.origin.lower().startswith("nvivo") else "chars"
        if self.leadlib_origin:
            convention, matches, comparable = "chars", 0, 0
        else:
            convention, matches, comparable = omap.choose(starts, ends, [p[3] for p in coded], default)
        if convention != "chars" and not omap.trivial:
            log.add(
                "segments",
                f"{self.label}:{src.where}",
                "recode",
                f"offsets counted as {convention!r} by {self.origin or 'the tool'} were converted to "
                "characters of the transcript (line endings \\n)",
                column="start",
                before=convention,
                after="chars",
                n=len(coded),
            )
        if comparable and matches < comparable:
            log.add(
                "segments",
                f"{self.label}:{src.where}",
                "note",
                f"the tool's label of {comparable - matches} of {comparable} selections differs from the "
                "transcript at their offsets; the transcript's text is kept",
                column="text",
                n=comparable - matches,
            )
        return omap.convert(starts, convention), omap.convert(ends, convention)

    def _selection_codings(self, src: RawSource, selection: tuple, start: int, end: int) -> None:
        """The codings of one selection, at ``start``-``end`` of the transcript (converted).

        A selection outside its transcript (or backwards) refuses the file or
        is dropped (``on_bad_selection``); without a transcript, the tool's
        label of the selection is the codings' text.
        """
        guid, s0, e0, name, sel_user, _d, codings = selection
        text = src.text
        if text is not None and (start < 0 or end < 0 or end < start):
            where = f"{src.where} / PlainTextSelection {guid}"
            problem = (
                f"selection {guid} runs from {s0} to {e0}, past the end of its source "
                f"{src.name!r} ({len(text)} characters) or backwards"
            )
            if self.on_bad == "error":
                raise LeadlibDataError(
                    problem,
                    path=self.path,
                    column="startPosition/endPosition",
                    value=(s0, e0),
                    hint="fix the selection in the QDA software and export again, or read "
                    "with on_bad_selection='drop' to drop such selections (audited)",
                )
            for coding_guid, _code, _user in codings:
                self.codings_read += 1
                self.drop(f"{where} / Coding {coding_guid}", problem, before=name)
            return
        if text is None:
            start, end = max(s0, 0), max(e0, max(s0, 0))
            seg_text = name or ""
        else:
            seg_text = None  # sliced from the transcript when the table is built
        for coding_guid, code_guid, user in codings:
            self.codings_read += 1
            key = (name if self.leadlib_origin and name else coding_guid) or f"{guid}-{code_guid}"
            # the person who coded made the selection; NVivo writes the code's creator on each Coding
            if not sel_user and user:
                self.credit[0] += 1
            elif sel_user and user and user != sel_user:
                self.credit[1] += 1
            self.code_codings.add(key, src.key, code_guid, self.coder(sel_user, user), start, end, seg_text)
        if self._need_selections:
            self.selection_source[guid] = src.key

    # -- after the whole file ----------------------------------------------------
    def _finish(self) -> None:
        """Settle what needs the whole file: case nodes, codings of unknown codes, cases, users, variables."""
        project = self.project
        case_node = self._drop_case_nodes()
        node_sources = self._keep_known_codings(case_node)
        self._cases_from_nodes(node_sources)
        # cases may name selections rather than sources
        for case in self.cases:
            for sel in getattr(case, "_selections", []):
                key = self.selection_source.get(sel)
                if key and key not in case.sources:
                    case.sources.append(key)
        project.cases = self.cases
        project.sets = self.sets
        project.users = [self.users[g] for g in self.user_order]
        project.variable_types = {n: t for n, t in self.variables.values()}
        # site attributes: variables with a value on some case, and declared
        # variables no source uses (leadlib writes every site attribute as a
        # variable, even one that is empty for every site)
        on_cases = {k for case in self.cases for k in case.variables}
        on_sources = {k for src in project.sources for k in src.variables} | set(_INTERVIEW_VARIABLES)
        project.site_variables = [n for n, _t in self.variables.values() if n in on_cases or n not in on_sources]
        project.counts.setdefault("segments", [0, 0])[0] = self.codings_read
        if project.meta.get("synthetic") is True and self.leadlib_origin:
            project.synthetic = True

    def _drop_case_nodes(self) -> dict[str, str]:
        """Keep the codes that are codes; returns the NVivo case nodes exported as codes (guid -> case name).

        A case node is a code with the GUID of a case or, in an NVivo
        project, a top-level code named "Cases" (or "Case nodes") and all
        its descendants. Each is dropped from the codebook, audited.
        """
        codes = self.codes_xml or []
        case_node: dict[str, str] = {c.key: c.name for c in codes if c.key in self.case_guids}
        if self.origin.lower().startswith("nvivo"):
            tops = [c for c in codes if c.parent is None and c.name.strip().lower() in ("cases", "case nodes")]
            for top in tops:
                stack = [top.key]
                case_node[top.key] = top.name
                while stack:
                    key = stack.pop()
                    for c in codes:
                        if c.parent == key:
                            case_node[c.key] = c.name
                            stack.append(c.key)
        self.project.codes = [c for c in codes if c.key not in case_node]
        for key, name in case_node.items():
            self.project.log.add(
                "codebook",
                f"{self.label}:Code {key}",
                "drop",
                "an NVivo case node exported as a code: it is a case, not a code",
                before=name,
            )
        self.project.count("codebook", len(codes), len(case_node))
        return case_node

    def _keep_known_codings(self, case_node: dict[str, str]) -> dict[str, list[str]]:
        """Hand the codings of known codes to the project; drop the others, audited.

        Returns the sources coded at each case node (case name -> source
        keys): such a coding puts its source in the case.
        """
        known = {c.key for c in self.project.codes}
        node_sources: dict[str, list[str]] = {}
        codings = self.code_codings
        mask = [code in known for code in codings.code]
        if not all(mask):
            for i in (i for i, ok in enumerate(mask) if not ok):
                coding = codings[i]
                if coding.code in case_node:
                    node_sources.setdefault(case_node[coding.code], []).append(coding.source)
                    self.drop(
                        coding.location,
                        "a coding at an NVivo case node assigns the text to a case; it is not a coding",
                        before=case_node[coding.code],
                    )
                else:
                    self.drop(
                        coding.location, "the coding refers to a code that is not in the codebook", before=coding.code
                    )
            codings.keep(mask)
        self.project.codings = codings
        self.code_codings = CodingColumns()
        return node_sources

    def _cases_from_nodes(self, node_sources: dict[str, list[str]]) -> None:
        """A case for each case node no ``Case`` has the name of (the folder "Cases" itself is none), audited."""
        case_by_name = {c.name: c for c in self.cases}
        for name, keys in node_sources.items():
            if name in case_by_name or name.strip().lower() in ("cases", "case nodes"):
                continue
            case = RawCase(
                key=f"case-node:{name}", name=name, sources=list(dict.fromkeys(keys)), where=f"case node {name!r}"
            )
            self.cases.append(case)
            self.project.log.add(
                "sites",
                f"{self.label}:case node {name!r}",
                "note",
                "a case known only as an NVivo case node (coded sources are its members)",
                n=len(case.sources),
            )


def _typed_value(kind: str, text: str | None):
    if text is None:
        return None
    text = text.strip() if kind != "TextValue" else text
    try:
        if kind == "BooleanValue":
            return text.lower() in ("true", "1")
        if kind == "IntegerValue":
            return int(text)
        if kind == "FloatValue":
            return float(text)
    except ValueError:
        return text
    return text


# --------------------------------------------------------------------------
# Writing


def _guid(*parts: object) -> str:
    return str(uuid.uuid5(_GUID_NAMESPACE, "\x1f".join(str(p) for p in parts))).upper()


def _variable_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "Boolean"
    if pd.api.types.is_integer_dtype(series):
        return "Integer"
    if pd.api.types.is_float_dtype(series):
        return "Float"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "Date"
    return "Text"


def _format_value(kind: str, value) -> str:
    if kind == "Boolean":
        return "true" if bool(value) else "false"
    if kind == "Integer":
        return str(int(value))
    if kind == "Float":
        return repr(float(value))
    if kind == "Date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return str(value)


def write_refi(study: Study, path: str | Path) -> Path:
    """Write a Study as a REFI-QDA project (``.qdpx``).

    The archive holds ``project.qde`` (valid against the QDA-XML 1.0 schema)
    and ``sources/<GUID>.txt`` (UTF-8, one per transcript). Mapping:

    - coders -> ``Users``; codebook -> nested ``Codes`` (``Description`` =
      definition);
    - each interview -> a ``TextSource`` named by its ``interview_id``,
      ``creationDateTime`` = interview date, and source variables
      ``informant_id``, ``role``, ``leader_type``, ``leader_level``,
      ``interviewer``, ``duration_min`` (read back by :func:`read_refi`),
      and ``n_words`` for an interview without a transcript (with one, the
      words are counted from it);
    - each segment -> a ``PlainTextSelection`` (named by its ``segment_id``)
      with one ``Coding`` by its coder;
    - each site -> a ``Case`` named by its ``site_id`` with ``SourceRef`` to
      its interviews and every site attribute (``name``, ``setting``,
      ``organization``, ... and extra columns) as a ``Variable``;
    - leadlib's own IDs that names alone cannot carry (``code_id``,
      ``group``, each interview's primary coder, ``synthetic``) go into a
      note named ``leadlib-metadata`` (JSON); the project ``Description``
      says in words whether the study is synthetic.

    Interviews that have segments must have a transcript (offsets point
    into it).

    The file depends on the study alone, so that a shipped export can be
    checked against a fresh one: GUIDs are derived from leadlib's IDs
    (UUID version 5), elements follow the tables' row order, and every zip
    member has the same fixed timestamp and permissions. Writing one study
    twice gives the same bytes (with the same zlib: another build of zlib
    may compress differently, the members stay identical).

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    if path.suffix.lower() != ".qdpx":
        path = path.with_suffix(".qdpx")
    writer = _ProjectWriter(study, _writable_texts(study))
    qde = writer.project_xml()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        _write_member(zf, "project.qde", qde)
        for name, data in writer.files.items():
            _write_member(zf, name, data)
    tmp.replace(path)
    return path


#: The source variables leadlib writes for interviews and informants, with their types.
_SOURCE_VARIABLES = {
    "informant_id": "Text",
    "role": "Text",
    "leader_type": "Text",
    "leader_level": "Text",
    "interviewer": "Text",
    "duration_min": "Float",
    "n_words": "Integer",
}


def _writable_texts(study: Study) -> dict[str, str]:
    """The transcripts by ``interview_id``, once every segment is checked to be its transcript's slice.

    Raises
    ------
    LeadlibDataError
        If an interview has segments but no transcript, or a segment's text
        is not ``transcript[start:end]``.
    """
    texts = dict(zip(study.transcripts["interview_id"].astype(str), study.transcripts["text"].astype(str)))
    seg = study.segments
    missing = sorted(set(seg["interview_id"].astype(str)) - set(texts))
    if missing:
        raise LeadlibDataError(
            f"{len(missing)} interview(s) have segments but no transcript, so their offsets cannot be written: "
            + ", ".join(missing[:5]),
            hint="add the transcripts to the study before writing REFI-QDA",
        )
    for iid, start, end, text in zip(seg["interview_id"].astype(str), seg["start"], seg["end"], seg["text"]):
        body = texts[iid]
        if int(end) > len(body) or body[int(start) : int(end)] != text:
            raise LeadlibDataError(
                f"segment text does not match transcript {iid!r} at {int(start)}-{int(end)}",
                value=text,
                hint="fix the segment offsets (transcript[start:end] must equal text)",
            )
    return texts


class _ProjectWriter:
    """Writes a study's ``project.qde``, part by part, in the order of the QDA-XML schema.

    :meth:`project_xml` gives the XML; :attr:`files` then holds the
    transcripts to store under ``sources/``. The GUIDs of users, codes,
    variables and sources are made once, here, and shared by the parts
    that refer to them.
    """

    def __init__(self, study: Study, texts: dict[str, str]) -> None:
        self.study = study
        self.texts = texts
        self.parts: list[str] = []
        self.files: dict[str, bytes] = {}
        self.coders = list(dict.fromkeys(study.segments["coder"].astype(str)))
        self.user_guid = {c: _guid("user", c) for c in self.coders}
        self.code_guid = {cid: _guid("code", cid) for cid in study.codebook["code_id"].astype(str)}
        #: leadlib's own metadata of each code, by path of names (survives
        #: tools that regenerate GUIDs) and by GUID (tells apart codes whose
        #: paths of names coincide)
        self.meta_codes: dict[str, dict] = {}
        self.meta_guids: dict[str, dict] = {}
        self.site_vars = [c for c in study.sites.columns if c != "site_id"]
        self.var_types = {c: _variable_type(study.sites[c]) for c in self.site_vars}
        self.var_guid = {v: _guid("variable", v) for v in {**self.var_types, **_SOURCE_VARIABLES}}
        self.source_guid = {iid: _guid("source", iid) for iid in study.interviews["interview_id"].astype(str)}

    def project_xml(self) -> bytes:
        """The whole ``project.qde``, UTF-8."""
        study = self.study
        root = _E(
            "Project",
            {
                "name": str(study.name),
                "origin": f"{_LEADLIB_ORIGIN} (leadlib.io.refi.write_refi)",
                "xmlns": QDA_NAMESPACE,
            },
        )
        self.parts = ['<?xml version="1.0" encoding="utf-8"?>\n', root.open()]
        self._users()
        self._codebook()
        self._variables()
        self._cases()
        self._sources()
        self._notes()
        description = "Study written by leadlib. " + (
            "synthetic=true: SYNTHETIC data generated by leadlib.simulate; not the findings of any real study."
            if study.synthetic
            else "synthetic=false"
        )
        self.parts.append(f"<Description>{_text(description)}</Description>")
        self.parts.append("</Project>")
        return "".join(self.parts).encode("utf-8")

    def _users(self) -> None:
        """``Users``: the coders."""
        if self.coders:
            self.parts.append("<Users>")
            self.parts.extend(_E("User", {"guid": self.user_guid[c], "name": c}).empty() for c in self.coders)
            self.parts.append("</Users>")

    def _codebook(self) -> None:
        """``CodeBook``: the codes, nested under their parents, each with its definition as ``Description``."""
        book = self.study.codebook
        if not len(book):
            return
        kids: dict[str | None, list[int]] = {}
        parents = book["parent"].astype(object).where(book["parent"].notna(), None)
        for i, parent in enumerate(parents):
            kids.setdefault(parent if parent in self.code_guid else None, []).append(i)
        self.parts.append("<CodeBook><Codes>")
        for i in kids.get(None, []):
            self._code(i, "", kids)
        self.parts.append("</Codes></CodeBook>")

    def _code(self, i: int, path_names: str, kids: dict[str | None, list[int]]) -> None:
        """One ``Code`` (row ``i`` of the codebook) and, inside it, its sub-codes."""
        book = self.study.codebook
        code_id = str(book["code_id"].iat[i])
        label = str(book["label"].iat[i])
        name_path = f"{path_names}/{label}" if path_names else label
        entry = {"code_id": code_id, "group": str(book["group"].iat[i])}
        self.meta_codes[name_path] = entry
        self.meta_guids[self.code_guid[code_id]] = entry
        definition = book["definition"].iat[i]
        attrs = {"guid": self.code_guid[code_id], "name": label, "isCodable": "true"}
        children = kids.get(code_id, [])
        if pd.isna(definition) and not children:
            self.parts.append(_E("Code", attrs).empty())
            return
        self.parts.append(_E("Code", attrs).open())
        if not pd.isna(definition):
            self.parts.append(f"<Description>{_text(str(definition))}</Description>")
        for child in children:
            self._code(child, name_path, kids)
        self.parts.append("</Code>")

    def _variables(self) -> None:
        """``Variables``: site attributes (values on cases) and interview and informant facts (on sources)."""
        clash = set(self.site_vars) & set(_SOURCE_VARIABLES)
        if clash:
            raise LeadlibDataError(
                f"site attribute columns {sorted(clash)} clash with the interview variables leadlib writes",
                hint="rename those site columns before writing",
            )
        self.parts.append("<Variables>")
        for v, kind in {**self.var_types, **_SOURCE_VARIABLES}.items():
            self.parts.append(_E("Variable", {"guid": self.var_guid[v], "name": v, "typeOfVariable": kind}).empty())
        self.parts.append("</Variables>")

    def _cases(self) -> None:
        """``Cases``: one per site, with its attributes and a ``SourceRef`` to each of its interviews."""
        sites, interviews = self.study.sites, self.study.interviews
        if not len(sites):
            return
        self.parts.append("<Cases>")
        by_site = interviews.groupby(interviews["site_id"].astype(str), sort=False)["interview_id"].agg(list).to_dict()
        for i in range(len(sites)):
            sid = str(sites["site_id"].iat[i])
            self.parts.append(_E("Case", {"guid": _guid("case", sid), "name": sid}).open())
            for v in self.site_vars:
                value = sites[v].iat[i]
                if _missing(value):
                    continue
                self.parts.append(_variable_value(self.var_guid[v], self.var_types[v], value))
            for iid in by_site.get(sid, []):
                self.parts.append(_E("SourceRef", {"targetGUID": self.source_guid[str(iid)]}).empty())
            self.parts.append("</Case>")
        self.parts.append("</Cases>")

    def _sources(self) -> None:
        """``Sources``: one ``TextSource`` per interview, with its selections and variables."""
        study = self.study
        interviews, seg = study.interviews, study.segments
        informants = study.informants.set_index(study.informants["informant_id"].astype(str))
        seg_by_interview = {k: g for k, g in seg.groupby(seg["interview_id"].astype(str), sort=False)}
        if not len(interviews):
            return
        self.parts.append("<Sources>")
        for i in range(len(interviews)):
            iid = str(interviews["interview_id"].iat[i])
            guid = self.source_guid[iid]
            attrs = {"guid": guid, "name": iid}
            if iid in self.texts:
                attrs["plainTextPath"] = f"internal://{guid}.txt"
                self.files[f"sources/{guid}.txt"] = self.texts[iid].encode("utf-8")
            date = interviews["date"].iat[i]
            if not _missing(date):
                attrs["creationDateTime"] = pd.Timestamp(date).strftime("%Y-%m-%dT%H:%M:%SZ")
            self.parts.append(_E("TextSource", attrs).open())
            group = seg_by_interview.get(iid)
            if group is not None:
                self._selections(group)
            self._source_values(i, iid, informants)
            self.parts.append("</TextSource>")
        self.parts.append("</Sources>")

    def _selections(self, group: pd.DataFrame) -> None:
        """A ``PlainTextSelection`` (named by its ``segment_id``) with one ``Coding`` for each segment."""
        for sid, code_id, coder, start, end in zip(
            group["segment_id"].astype(str),
            group["code_id"].astype(str),
            group["coder"].astype(str),
            group["start"],
            group["end"],
        ):
            sel = _guid("selection", sid)
            user = self.user_guid[coder]
            self.parts.append(
                f'<PlainTextSelection guid="{sel}" name="{_attr(sid)}" startPosition="{int(start)}" '
                f'endPosition="{int(end)}" creatingUser="{user}">'
                f'<Coding guid="{_guid("coding", sid)}" creatingUser="{user}">'
                f'<CodeRef targetGUID="{self.code_guid[code_id]}"/></Coding></PlainTextSelection>'
            )

    def _source_values(self, i: int, iid: str, informants: pd.DataFrame) -> None:
        """The ``VariableValue`` elements of interview ``i``: its own facts and its informant's."""
        interviews = self.study.interviews
        values = {"interviewer": interviews["interviewer"].iat[i], "informant_id": interviews["informant_id"].iat[i]}
        if iid not in self.texts:  # no transcript to count words in: keep the study's count
            values["n_words"] = interviews["n_words"].iat[i]
        if "duration_min" in interviews.columns:
            values["duration_min"] = interviews["duration_min"].iat[i]
        inf = str(interviews["informant_id"].iat[i])
        if inf in informants.index:
            row = informants.loc[inf]
            for column in ("role", "leader_type", "leader_level"):
                values[column] = row[column]
        for v in _INTERVIEW_VARIABLES:
            value = values.get(v)
            if not _missing(value):
                self.parts.append(_variable_value(self.var_guid[v], _SOURCE_VARIABLES[v], value))

    def _notes(self) -> None:
        """``Notes``: the ``leadlib-metadata`` note (JSON) with what names cannot carry."""
        seg = self.study.segments
        primary = {}
        if len(seg):
            prim = seg[seg["primary"]]
            primary = dict(zip(prim["interview_id"].astype(str), prim["coder"].astype(str)))
        meta = {
            "leadlib": 1,
            "synthetic": bool(self.study.synthetic),
            "codes": self.meta_codes,
            "code_guids": self.meta_guids,
            "primary": primary,
        }
        self.parts.append("<Notes>")
        self.parts.append(_E("Note", {"guid": _guid("note", _META_NOTE), "name": _META_NOTE}).open())
        self.parts.append(
            "<Description>leadlib's IDs and decisions that REFI-QDA names cannot carry (read by "
            "leadlib.io.read_refi)</Description>"
        )
        self.parts.append(
            f"<PlainTextContent>{_text(json.dumps(meta, ensure_ascii=False, sort_keys=True))}</PlainTextContent>"
        )
        self.parts.append("</Note></Notes>")


#: Timestamp of every member leadlib writes (the earliest a zip can hold):
#: the clock would make two writes of one study differ, and a shipped export
#: could not be checked against a fresh one.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _write_member(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    """Add one member whose bytes depend on ``name`` and ``data`` alone.

    ``writestr`` with a bare name stamps the current time and the operating
    system that wrote it; here both are fixed, as are the permissions and the
    compression level.
    """
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whichever system writes
    info.external_attr = 0o644 << 16
    zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _variable_value(guid: str, kind: str, value) -> str:
    return (
        f'<VariableValue><VariableRef targetGUID="{guid}"/>'
        f"<{kind}Value>{_text(_format_value(kind, value))}</{kind}Value></VariableValue>"
    )


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    value = _XML_BAD.sub("\ufffd", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


class _E:
    """A start tag with escaped attributes."""

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = "".join(f' {k}="{_attr(str(v))}"' for k, v in attrs.items())

    def open(self) -> str:
        return f"<{self.tag}{self.attrs}>"

    def empty(self) -> str:
        return f"<{self.tag}{self.attrs}/>"
