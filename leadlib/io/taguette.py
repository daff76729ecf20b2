"""Taguette exports: the whole project (SQLite), highlights (CSV/XLSX) and codebooks (CSV/XLSX/QDC).

:func:`read_taguette` reads any of Taguette's exports into a
:class:`~leadlib.study.Study`:

- the **project export** (``.sqlite3``; tables ``documents``, ``tags``,
  ``highlights``, ``highlight_tags``, ``commands``) gives everything:
  documents are HTML, and Taguette counts a highlight's ``start_offset`` /
  ``end_offset`` in UTF-8 **bytes** of the document's text nodes, HTML tags
  not counted (``taguette.extract``). leadlib keeps the plain text, with a
  line break between paragraphs, and converts the offsets to characters of
  it, so that ``transcript[start:end] == text``. The coder of a highlight is
  the user who created it (``commands``, ``highlight_add``).
- a **highlights export** (``id, document, tag, content``; one row per
  highlight x tag) has no document text and no offsets: each document's
  stand-in transcript is its highlights joined by blank lines, in the
  order of their IDs; the offsets point into that stand-in, ``n_words`` is
  empty, and an audit entry says so. Read the project export for the full
  text. There is no coder either: pass ``coder=``.
- a **codebook** (CSV/XLSX ``tag, description, ...`` or REFI ``.qdc``) gives
  the codebook alone, or adds descriptions to the codes of a highlights
  export (``codebook=``).

Tag paths are dotted (``leadership.shared``): each dot is a level of the
code hierarchy, so the ``code_id`` is ``leadership/shared`` and
``leadership`` is added as a parent code if the project does not have it
(audited).

Taguette has no cases, sets or variables. ``site_from="pattern:<regex>"``
works on the document names; ``"variable:<name>"`` reads ``name=value``
lines (or ``;``-separated pairs) of the document descriptions, e.g. a
description ``site=Unit A``; with ``"case"`` or ``"set"`` every document is
under the site ``"(none)"`` (audited).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path

import numpy as np

from ..errors import LeadlibDataError
from ..study import Study
from . import _safe
from ._qda import (
    RawCode,
    RawCoding,
    RawProject,
    RawSource,
    build_study,
    check_reader_arguments,
    normalise_text,
    shared_docs,
)

__all__ = ["read_taguette", "html_to_text"]

_SQLITE_TABLES = {
    "documents": {"id", "name", "description", "contents"},
    "tags": {"id", "path", "description"},
    "highlights": {"id", "document_id", "start_offset", "end_offset"},
    "highlight_tags": {"highlight_id", "tag_id"},
}
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "dt",
    "dd",
}


@shared_docs
def read_taguette(
    path: str | Path,
    *,
    site_from: str = "case",
    coder: str | None = None,
    codebook: str | Path | None = None,
    on_bad_selection: str = "error",
    on_no_site: str = "keep",
    code_groups: Mapping[str, str] | None = None,
    limits: _safe.Limits = _safe.DEFAULT_LIMITS,
) -> Study:
    """Read a Taguette export into a Study.

    Parameters
    ----------
    path
        A project export (``.sqlite3``), a highlights export (``.csv`` or
        ``.xlsx`` with columns ``id, document, tag, content``) or a codebook
        (``.csv``/``.xlsx`` with ``tag, description``, or ``.qdc``).
    site_from
        ``"pattern:<regex>"`` on document names, ``"variable:<name>"`` on
        ``name=value`` lines of document descriptions (project export), or
        ``"case"``/``"set"`` (Taguette has neither: every document under the
        site ``"(none)"``).
    coder
        Coder of every highlight. Taguette's exports do not keep who
        highlighted: a highlights export has no user at all, and the project
        export credits every change to the user who exported it (``admin``).
        Without ``coder``, the project export's recorded user is used (an
        audit note says what that means) and a highlights export gets
        ``"unknown"``.
    codebook
        A codebook export whose descriptions complete a highlights export.
    {on_bad_selection}
    {on_no_site}
    {code_groups}
    limits
        Caps on file sizes and query time.
    """
    path = Path(path)
    check_reader_arguments(
        path, site_from=site_from, code_groups=code_groups, on_bad_selection=on_bad_selection, what="Taguette export"
    )
    with open(path, "rb") as fh:
        head = fh.read(16)
    suffix = path.suffix.lower()
    if head.startswith(b"SQLite format 3") or suffix in (".sqlite3", ".sqlite", ".db"):
        project = _read_sqlite(path, coder, on_bad_selection, limits)
    elif suffix == ".qdc":
        project = RawProject(path=path, label=path.name, name=path.stem, supports=("variable", "pattern"))
        _codebook_qdc(path, project, limits)
    elif suffix in (".csv", ".xlsx"):
        header, rows = _read_table(path, limits)
        lowered = [h.strip().lower() for h in header]
        if {"id", "document", "tag", "content"} <= set(lowered):
            project = _from_highlights(path, header, rows, coder)
        elif "tag" in lowered or "path" in lowered or "name" in lowered:
            project = RawProject(path=path, label=path.name, name=path.stem, supports=("variable", "pattern"))
            _codebook_table(path, header, rows, project)
        else:
            raise LeadlibDataError(
                f"is not a Taguette export: its columns are {', '.join(header)}",
                path=path,
                row=1,
                hint="export highlights (id, document, tag, content) or the codebook (tag, description) from Taguette",
            )
    else:
        raise LeadlibDataError(
            f"is not a Taguette export leadlib reads ({suffix or 'no extension'})",
            path=path,
            hint="use the project export (.sqlite3), a highlights export (.csv, .xlsx) or a "
            "codebook (.csv, .xlsx, .qdc)",
        )
    if codebook is not None:
        _add_codebook(Path(codebook), project, limits)
    _dotted_hierarchy(project)
    return build_study(project, site_from=site_from, on_no_site=on_no_site, code_groups=code_groups)


# --------------------------------------------------------------------------
# HTML -> text with Taguette's offsets


class _TextExtractor(HTMLParser):
    """Plain text of Taguette HTML, with where each text node starts.

    Taguette counts offsets over the UTF-8 bytes of the text nodes, tags not
    counted and nothing added between paragraphs; leadlib's text has a line
    break between blocks. ``nodes`` holds, for each text node,
    ``(taguette byte offset, leadlib character offset, text)``.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.bytes = 0
        self.nodes: list[tuple[int, int, str]] = []
        self._skip = 0

    def _break(self) -> None:
        if self.length and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")
            self.length += 1

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag in _BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag in _BLOCK_TAGS:
            self._break()

    def handle_data(self, data) -> None:
        if self._skip or not data:
            return
        self.nodes.append((self.bytes, self.length, data))
        self.parts.append(data)
        self.length += len(data)
        self.bytes += len(data.encode("utf-8"))

    @property
    def text(self) -> str:
        return "".join(self.parts).rstrip("\n")


def html_to_text(html: str) -> tuple[str, _TextExtractor]:
    """Plain text of an HTML document (line breaks between blocks) and its node map."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return normalise_text(parser.text), parser


def _byte_to_char(text: str, offset: int) -> int:
    if text.isascii():
        return min(offset, len(text))
    sizes = np.cumsum([len(c.encode("utf-8")) for c in text])
    return int(np.searchsorted(sizes, offset, side="right"))


def _convert(parser: _TextExtractor, offset: int, *, is_end: bool, text_len: int) -> int:
    nodes = parser.nodes
    if not nodes:
        return 0 if offset == 0 else -1
    starts = [n[0] for n in nodes]
    if offset < 0 or offset > parser.bytes:
        return -1
    # the node the offset falls in; at a boundary a start belongs to the
    # following node and an end to the preceding one
    import bisect

    k = bisect.bisect_right(starts, offset) - 1
    if is_end and k > 0 and offset == starts[k]:
        k -= 1
    k = max(k, 0)
    b0, c0, data = nodes[k]
    return min(c0 + _byte_to_char(data, offset - b0), text_len)


# --------------------------------------------------------------------------
# The project export


def _read_sqlite(path: Path, coder: str | None, on_bad: str, limits: _safe.Limits) -> RawProject:
    """A Taguette project export as a :class:`RawProject`; see :class:`_SqliteReader`."""
    conn = _safe.connect_sqlite(path, limits=limits, what="a Taguette project export")
    try:
        return _SqliteReader(conn, path, coder, on_bad).read()
    except LeadlibDataError:
        raise
    except Exception as exc:  # sqlite3.Error from a damaged or hostile file
        raise LeadlibDataError(
            f"cannot be read as a Taguette project export: {exc}",
            path=path,
            hint="export the project from Taguette again",
        ) from None
    finally:
        conn.close()


class _SqliteReader:
    """Reads the tables of a Taguette project export, one part at a time (see :meth:`read`)."""

    def __init__(self, conn, path: Path, coder: str | None, on_bad: str) -> None:
        self.conn, self.path, self.coder, self.on_bad = conn, path, coder, on_bad
        self.tables: dict[str, list[str]] = {}
        self.project: RawProject | None = None
        self.creators: dict[int, str] = {}  # highlight id -> user who created it
        self.fallback = coder or "unknown"
        self.docs: dict[int, tuple[str, str, _TextExtractor]] = {}  # document id -> (key, text, node map)
        self.read_rows = 0  # codings (highlight x tag) read
        self.dropped = 0
        self.unknown_coder = 0

    def read(self) -> RawProject:
        """Check the tables, then read the users, documents, tags and highlights, in that order."""
        self.tables = self._check_tables()
        self.project = RawProject(
            path=self.path, label=self.path.name, name=self._name(), supports=("variable", "pattern")
        )
        self._creators()
        self._note_coder()
        self._documents()
        self._tags()
        tags_of = self._tags_of()
        for hid, doc_id, start, end in self.conn.execute(
            "SELECT id, document_id, start_offset, end_offset FROM highlights ORDER BY document_id, start_offset, id"
        ):
            self._highlight(hid, doc_id, start, end, tags_of.get(hid, []))
        if self.unknown_coder:
            self.project.log.add(
                "segments",
                self.path.name,
                "missing",
                f"who created {self.unknown_coder} highlight(s) is not recorded; coder set to {self.fallback!r}",
                column="coder",
                after=self.fallback,
                n=self.unknown_coder,
            )
        self.project.count("segments", self.read_rows, self.dropped)
        return self.project

    def _check_tables(self) -> dict[str, list[str]]:
        """The export's tables and columns, once the tables every Taguette export has are there."""
        try:
            tables = _safe.sqlite_tables(self.conn)
        except Exception as exc:  # sqlite3.DatabaseError on a damaged file
            raise LeadlibDataError(
                f"is not a readable SQLite database: {exc}",
                path=self.path,
                hint="export the project from Taguette again",
            ) from None
        missing = [t for t, cols in _SQLITE_TABLES.items() if t not in tables or not cols <= set(tables[t])]
        if missing:
            raise LeadlibDataError(
                f"is not a Taguette project export: table(s) {', '.join(missing)} missing or incomplete",
                path=self.path,
                hint="in Taguette, use Export project (SQLite) and read that file",
            )
        return tables

    def _name(self) -> str:
        """The project's name (else the file's); a file of several projects is refused."""
        name = self.path.stem
        if "projects" in self.tables:
            rows = self.conn.execute("SELECT name FROM projects ORDER BY id").fetchall()
            if len(rows) > 1:
                raise LeadlibDataError(
                    f"holds {len(rows)} Taguette projects; leadlib reads one project at a time",
                    path=self.path,
                    hint="in Taguette, open the project and use Export project to get its own file",
                )
            if rows and rows[0][0]:
                name = str(rows[0][0])
        return name

    def _creators(self) -> None:
        """Who created each highlight, from the ``highlight_add`` commands; they are the project's users."""
        if "commands" not in self.tables or not {"user_login", "payload"} <= set(self.tables["commands"]):
            return
        for user, payload in self.conn.execute("SELECT user_login, payload FROM commands ORDER BY id"):
            try:
                data = json.loads(payload)
            except (TypeError, ValueError):
                continue
            if isinstance(data, dict) and data.get("type") == "highlight_add" and "highlight_id" in data:
                self.creators[int(data["highlight_id"])] = str(user)
                if str(user) not in self.project.users:
                    self.project.users.append(str(user))

    def _note_coder(self) -> None:
        """Audit where the coder comes from: ``coder=``, or the one user Taguette recorded for everything."""
        log, coder = self.project.log, self.coder
        if coder is not None:
            log.add(
                "segments",
                self.path.name,
                "recode",
                f"coder of every highlight set to {coder!r} (coder= was given)",
                column="coder",
                after=coder,
            )
        elif self.creators and len(set(self.creators.values())) == 1:
            only = next(iter(self.creators.values()))
            log.add(
                "segments",
                self.path.name,
                "note",
                f"every highlight is recorded as made by {only!r}: Taguette's project export credits all changes "
                "to the user who exported the project, so who highlighted what is lost; pass coder= to name the "
                "coder",
                column="coder",
                before=only,
            )

    def _documents(self) -> None:
        """The documents: plain text of their HTML, and variables from ``name=value`` lines of the description."""
        for doc_id, doc_name, desc, contents, *rest in self.conn.execute(
            "SELECT id, name, description, contents"
            + (", created" if "created" in self.tables["documents"] else "")
            + " FROM documents ORDER BY id"
        ):
            text, parser = html_to_text(contents or "")
            variables = _description_variables(desc)
            key = str(doc_id)
            self.docs[doc_id] = (key, text, parser)
            self.project.sources.append(
                RawSource(
                    key=key,
                    name=str(doc_name),
                    text=text,
                    created=rest[0] if rest else None,
                    variables=variables,
                    where=f"documents id {doc_id}",
                    order=len(self.project.sources),
                )
            )

    def _tags(self) -> None:
        """The tags, as codes keyed by their path (the dotted hierarchy is made later)."""
        for tag_id, tag_path, desc in self.conn.execute("SELECT id, path, description FROM tags ORDER BY id"):
            self.project.codes.append(
                RawCode(
                    key=str(tag_path),
                    name=str(tag_path),
                    parent=None,
                    description=desc or None,
                    where=f"tags id {tag_id}",
                )
            )

    def _tags_of(self) -> dict[int, list[str | None]]:
        """The tag paths of each highlight (None for a tag the tags table lacks)."""
        tag_path_of = {tid: str(p) for tid, p in self.conn.execute("SELECT id, path FROM tags")}
        tags_of: dict[int, list[str | None]] = {}
        for hid, tid in self.conn.execute(
            "SELECT highlight_id, tag_id FROM highlight_tags ORDER BY highlight_id, tag_id"
        ):
            tags_of.setdefault(hid, []).append(tag_path_of.get(tid))
        return tags_of

    def _drop(self, where: str, reason: str, tags: list[str | None]) -> None:
        """Drop every coding (one per tag) of a highlight, each audited."""
        self.dropped += len(tags)
        for t in tags:
            self.project.log.add("segments", f"{self.path.name}:{where}", "drop", reason, before=t)

    def _highlight(self, hid: int, doc_id: int, start: int, end: int, tags: list[str | None]) -> None:
        """One coding per tag of a highlight, its byte offsets converted to characters of the plain text.

        A highlight with no tag, of a missing document or outside its
        document (``on_bad_selection="drop"``) is dropped, audited.
        """
        log, name = self.project.log, self.path.name
        where = f"highlights id {hid}"
        if not tags:
            self.read_rows += 1
            self.dropped += 1
            log.add("segments", f"{name}:{where}", "drop", "a highlight with no tag is not a coding")
            return
        self.read_rows += len(tags)
        if doc_id not in self.docs:
            self._drop(where, "the highlight's document is not in the export", tags)
            return
        key, text, parser = self.docs[doc_id]
        s = _convert(parser, int(start), is_end=False, text_len=len(text))
        e = _convert(parser, int(end), is_end=True, text_len=len(text))
        if s < 0 or e < 0 or e < s:
            problem = (
                f"highlight {hid} runs from byte {start} to {end}, past the end of its document "
                f"({parser.bytes} bytes of text) or backwards"
            )
            if self.on_bad == "error":
                raise LeadlibDataError(
                    problem,
                    path=self.path,
                    column="start_offset/end_offset",
                    value=(start, end),
                    hint="read with on_bad_selection='drop' to drop such highlights (audited)",
                )
            self._drop(where, problem, tags)
            return
        user = self.coder if self.coder is not None else self.creators.get(int(hid))
        if user is None:
            self.unknown_coder += len(tags)
            user = self.fallback
        for t in tags:
            if t is None:
                self.dropped += 1
                log.add("segments", f"{name}:{where}", "drop", "the highlight's tag is not in the tags table")
                continue
            self.project.codings.append(
                RawCoding(key=f"{hid}:{t}", source=key, code=t, user=user, start=s, end=e, text=text[s:e], where=where)
            )


def _description_variables(description: str | None) -> dict[str, object]:
    out: dict[str, object] = {}
    for part in re.split(r"[\n;]", description or ""):
        key, sep, value = part.partition("=")
        if sep and key.strip():
            out[key.strip()] = value.strip()
    return out


# --------------------------------------------------------------------------
# Highlights and codebook tables


def _read_table(path: Path, limits: _safe.Limits) -> tuple[list[str], list[list[str]]]:
    if path.suffix.lower() == ".xlsx":
        # the workbook is a zip: check it like any archive before openpyxl sees it
        with _safe.open_zip(path, limits=limits, what="an Excel workbook (.xlsx)"):
            pass
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            raise LeadlibDataError(
                f"cannot be read as an Excel workbook: {exc}",
                path=path,
                hint="open it in a spreadsheet program and save it again as .xlsx",
            ) from None
        try:
            sheet = wb.worksheets[0]
            rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            wb.close()
    else:
        data = _safe.read_file_bytes(path, limits=limits)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        rows = list(csv.reader(io.StringIO(text, newline="")))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise LeadlibDataError("is empty", path=path, hint="export again from Taguette")
    return [h.strip() for h in rows[0]], rows[1:]


def _from_highlights(path: Path, header: list[str], rows: list[list[str]], coder: str | None) -> RawProject:
    col = {h.strip().lower(): i for i, h in enumerate(header)}
    project = RawProject(path=path, label=path.name, name=path.stem, supports=("pattern",))
    log = project.log
    user = coder or "unknown"
    if coder is None:
        log.add(
            "segments",
            path.name,
            "missing",
            "a highlights export does not say who highlighted; coder set to 'unknown' (pass coder=)",
            column="coder",
            after=user,
            n=len(rows),
        )
    by_doc: dict[str, list[tuple[int, str, str, str]]] = {}
    read = dropped = 0
    tags_seen: list[str] = []
    for i, row in enumerate(rows):
        line = i + 2  # spreadsheet row: the header is row 1
        row = row + [""] * (len(header) - len(row))
        hid, doc, tag, content = (
            row[col["id"]].strip(),
            row[col["document"]],
            row[col["tag"]].strip(),
            row[col["content"]],
        )
        read += 1
        if not tag:
            dropped += 1
            log.add(
                "segments",
                f"{path.name}:row {line}",
                "drop",
                "a highlight with no tag is not a coding",
                before=content[:80],
            )
            continue
        if tag not in tags_seen:
            tags_seen.append(tag)
        by_doc.setdefault(doc, []).append((line, hid, tag, normalise_text(content)))
    for tag in tags_seen:
        project.codes.append(RawCode(key=tag, name=tag, parent=None, where=f"tag {tag!r}"))
    for doc, items in by_doc.items():
        # the stand-in transcript: each highlight once (a highlight with two
        # tags has two rows), joined by blank lines
        pieces, offsets = [], {}
        pos = 0
        for _line, hid, _tag, content in items:
            if hid in offsets:
                continue
            if pieces:
                pieces.append("\n\n")
                pos += 2
            offsets[hid] = (pos, pos + len(content))
            pieces.append(content)
            pos += len(content)
        text = "".join(pieces)
        project.sources.append(
            RawSource(
                key=doc, name=doc, text=text, where=f"document {doc!r}", order=len(project.sources), stand_in=True
            )
        )
        project.log.add(
            "transcripts",
            f"{path.name}:document {doc!r}",
            "reshape",
            "a highlights export holds the highlighted passages only: the transcript is a stand-in made "
            "of this document's highlights joined by blank lines; offsets count it and n_words is left "
            "empty (read Taguette's project export for the full text)",
            n=len(offsets),
        )
        for line, hid, tag, _content in items:
            s, e = offsets[hid]
            project.codings.append(
                RawCoding(
                    key=f"{hid}:{tag}",
                    source=doc,
                    code=tag,
                    user=user,
                    start=s,
                    end=e,
                    text=text[s:e],
                    where=f"row {line}",
                )
            )
    project.count("segments", read, dropped)
    project.users = [user]
    return project


def _codebook_table(path: Path, header: list[str], rows: list[list[str]], project: RawProject) -> None:
    col = {h.strip().lower(): i for i, h in enumerate(header)}
    key_col = next(col[k] for k in ("tag", "path", "name") if k in col)
    desc_col = col.get("description")
    for i, row in enumerate(rows):
        tag = row[key_col].strip() if key_col < len(row) else ""
        if not tag:
            continue
        desc = row[desc_col] if desc_col is not None and desc_col < len(row) else None
        project.codes.append(RawCode(key=tag, name=tag, parent=None, description=desc or None, where=f"row {i + 2}"))


def _codebook_qdc(path: Path, project: RawProject, limits: _safe.Limits) -> None:
    root = _safe.parse_xml_bytes(_safe.read_file_bytes(path, limits=limits), path)
    ns = "{urn:QDA-XML:codebook:1.0}"
    if root.tag != ns + "CodeBook":
        raise LeadlibDataError(
            "is not a REFI-QDA codebook (.qdc): its root element is not <CodeBook> in urn:QDA-XML:codebook:1.0",
            path=path,
            hint="export the codebook again",
        )

    def walk(node, parent):
        for code in node.findall(ns + "Code"):
            name = code.get("name") or ""
            desc = code.find(ns + "Description")
            project.codes.append(
                RawCode(
                    key=name if parent is None else f"{parent}/{name}",
                    name=name,
                    parent=parent,
                    description=None if desc is None else desc.text,
                    where=f"Code {code.get('guid')}",
                )
            )
            walk(code, project.codes[-1].key)

    codes = root.find(ns + "Codes")
    if codes is not None:
        walk(codes, None)


def _add_codebook(path: Path, project: RawProject, limits: _safe.Limits) -> None:
    extra = RawProject(path=path, label=path.name, name=path.stem)
    if path.suffix.lower() == ".qdc":
        _codebook_qdc(path, extra, limits)
    else:
        header, rows = _read_table(path, limits)
        _codebook_table(path, header, rows, extra)
    known = {c.key: c for c in project.codes}
    for code in extra.codes:
        if code.key in known:
            if code.description and not known[code.key].description:
                known[code.key].description = code.description
        else:
            project.codes.append(code)
            known[code.key] = code


def _dotted_hierarchy(project: RawProject) -> None:
    """Dotted tag paths -> parent codes (added, and audited, when absent)."""
    known = {c.key: c for c in project.codes}
    added = []
    for code in list(project.codes):
        if code.parent is not None or "." not in code.key.strip("."):
            continue
        parts = [p for p in code.key.split(".")]
        if any(not p.strip() for p in parts):
            continue  # "a..b" or ".a": not a path; keep the name as it is
        code.name = parts[-1]
        parent_key = ".".join(parts[:-1])
        code.parent = parent_key
        # make sure every ancestor exists
        for depth in range(len(parts) - 1, 0, -1):
            key = ".".join(parts[:depth])
            if key not in known:
                anc = RawCode(
                    key=key,
                    name=parts[depth - 1],
                    parent=".".join(parts[: depth - 1]) or None,
                    where=f"tag path {key!r}",
                )
                known[key] = anc
                project.codes.append(anc)
                added.append(key)
            elif known[key].parent is None and "." in key:
                known[key].parent = ".".join(key.split(".")[:-1])
                known[key].name = key.split(".")[-1]
    if added:
        project.log.add(
            "codebook",
            project.label,
            "reshape",
            "dotted tag paths are a hierarchy; parent codes that were not tags themselves were added: "
            + ", ".join(added),
            column="code_id",
            n=len(added),
        )
    # parents before children, for a tidy codebook order
    order = {c.key: i for i, c in enumerate(project.codes)}
    project.codes.sort(key=lambda c: (c.key.count("."), order[c.key]))
