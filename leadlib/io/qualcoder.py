"""QualCoder projects (``.qda`` folders) and QualCoder coding reports (CSV).

:func:`read_qualcoder` reads:

- a **project**: the ``.qda`` folder (or its ``data.qda`` SQLite database).
  Text sources (``source`` rows with a ``fulltext``) are interviews; code
  categories (``code_cat``, nested by ``supercatid``) and codes
  (``code_name``, under a category by ``catid`` or under another code by
  ``supercid``) make the codebook, categories included as parent codes;
  ``code_text`` rows are the codings, by their ``owner``; ``cases`` and
  ``case_text`` say which files belong to which case; ``attribute`` rows are
  variables of cases (``attr_type = 'case'``) and of files (``'file'``).
  Codings of pictures, PDFs and audio/video (``code_image``, ``code_av``) are
  dropped, each with an audit entry. QualCoder stores each coding's text
  (``seltext``); the positions are checked against it.
- a **coding report** exported as CSV from Reports > Coding reports, of
  any version: before QualCoder 3.6 the columns are ``File/case, Coder,
  Coded, Id, Codename, Coded_Memo, Category...`` (the first read as the
  file); since 3.6 the first is ``File`` (a report by file) or ``Case,
  Filename`` (a report by case: each case groups its files, so
  ``site_from="case"`` gives sites), optionally followed by
  ``FileVar_<name>`` (variables of the file, as of a source) and
  ``CaseVar_<name>`` (of the case: site attributes; numeric when every
  value is a number) columns. A report has the coded text but not the
  documents: each file's stand-in transcript is its codings joined by blank
  lines (audited, ``n_words`` empty); the ``Category`` columns (nearest
  first) give the code hierarchy. Rows for images and audio/video, and a
  coding listed again (a report by case lists a coding under every case of
  its file), are dropped (audited).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import LeadlibDataError
from ..study import Study
from . import _safe
from ._qda import (
    OffsetMap,
    RawCase,
    RawCode,
    RawCoding,
    RawProject,
    RawSource,
    build_study,
    check_reader_arguments,
    normalise_text,
    shared_docs,
)

__all__ = ["read_qualcoder"]

_REQUIRED = {
    "source": {"id", "name", "fulltext"},
    "code_name": {"cid", "name", "catid"},
    "code_text": {"ctid", "cid", "fid", "seltext", "pos0", "pos1", "owner"},
}
#: The columns after the file (and case) in a coding report, in every version.
_REPORT_COLUMNS = ["Coder", "Coded", "Id", "Codename"]
#: First header cell of a coding report: before QualCoder 3.6, and since.
_REPORT_FIRST = ("File/case", "File", "Case")


@shared_docs
def read_qualcoder(
    path: str | Path,
    *,
    site_from: str = "case",
    on_bad_selection: str = "error",
    on_no_site: str = "keep",
    code_groups: Mapping[str, str] | None = None,
    limits: _safe.Limits = _safe.DEFAULT_LIMITS,
) -> Study:
    """Read a QualCoder project (``.qda`` folder) or coding report (CSV) into a Study.

    Parameters
    ----------
    path
        The project folder (``name.qda``), its ``data.qda`` database, or a
        coding report ``.csv``.
    site_from
        ``"case"`` (default: the QualCoder case a file belongs to),
        ``"variable:<name>"`` (a file attribute, else an attribute of its
        case), ``"pattern:<regex>"`` on file names. A coding report by file
        has the file names (and ``FileVar_`` variables) only, so
        ``"pattern:<regex>"`` or ``"variable:<name>"`` is the rule for it; a
        report by case (QualCoder 3.6 and later) has the cases.
    {on_bad_selection}
    {on_no_site}
    {code_groups}
    limits
        Caps on file sizes and query time.
    """
    path = Path(path)
    check_reader_arguments(
        path,
        site_from=site_from,
        code_groups=code_groups,
        on_bad_selection=on_bad_selection,
        what="QualCoder project (.qda folder)",
    )
    if path.is_dir():
        database = path / "data.qda"
        if not database.exists():
            raise LeadlibDataError(
                "is not a QualCoder project: the folder has no data.qda database",
                path=path,
                hint="point to the project folder whose name ends in .qda",
            )
        project = _read_database(database, path, on_bad_selection, limits)
    elif path.suffix.lower() == ".csv":
        project = _read_report(path, limits)
    else:
        project = _read_database(path, path.parent if path.name == "data.qda" else path, on_bad_selection, limits)
    return build_study(project, site_from=site_from, on_no_site=on_no_site, code_groups=code_groups)


def _read_database(database: Path, folder: Path, on_bad: str, limits: _safe.Limits) -> RawProject:
    """A QualCoder project database as a :class:`RawProject`; see :class:`_DatabaseReader`."""
    conn = _safe.connect_sqlite(database, limits=limits, what="a QualCoder project database")
    label = folder.name if folder.is_dir() else database.name
    try:
        return _DatabaseReader(conn, database, folder, label, on_bad).read()
    except LeadlibDataError:
        raise
    except Exception as exc:  # sqlite3.Error and friends from a damaged or hostile file
        raise LeadlibDataError(
            f"cannot be read as a QualCoder project: {exc}",
            path=database,
            hint="open the project in QualCoder and save it again",
        ) from None
    finally:
        conn.close()


class _DatabaseReader:
    """Reads the tables of a QualCoder database, one part of the project at a time (see :meth:`read`)."""

    def __init__(self, conn, database: Path, folder: Path, label: str, on_bad: str) -> None:
        self.conn, self.database, self.folder, self.label, self.on_bad = conn, database, folder, label, on_bad
        self.tables: dict[str, list[str]] = {}
        self.project: RawProject | None = None
        self.case_vars: dict[int, dict[str, object]] = {}
        self.texts: dict[int, tuple[str, str]] = {}  # fid -> (raw text, key)
        self.media: dict[int, str] = {}  # fid -> name of a file that is not text
        self.read_rows = 0  # codings read
        self.dropped = 0  # codings dropped

    def read(self) -> RawProject:
        """Check the tables, then read variables, sources, codes, coders, codings and cases, in that order."""
        self.tables = self._check_tables()
        name = self.folder.stem if self.folder.suffix.lower() == ".qda" else self.folder.name
        project = RawProject(path=self.database, label=self.label, name=name, supports=("case", "variable", "pattern"))
        self.project = project
        if "project" in self.tables:
            row = self.conn.execute("SELECT databaseversion, about FROM project LIMIT 1").fetchone()
            if row:
                project.log.add(
                    "interviews", self.label, "read", f"QualCoder project, database {row[0]}, written by {row[1]}"
                )
        file_vars = self._variables()
        self._sources(file_vars)
        self._codes()
        # coders, in the order QualCoder lists them where it does
        if "coder_names" in self.tables and "name" in self.tables["coder_names"]:
            project.users = [str(r[0]) for r in self.conn.execute("SELECT name FROM coder_names")]
        for fid, items in self._text_codings().items():
            self._codings_of_file(fid, items)
        self._media_codings()
        project.count("segments", self.read_rows, self.dropped)
        self._cases()
        project.site_variables = sorted({k for v in self.case_vars.values() for k in v})
        return project

    def _check_tables(self) -> dict[str, list[str]]:
        """The database's tables and columns, once the tables QualCoder always has are there."""
        try:
            tables = _safe.sqlite_tables(self.conn)
        except Exception as exc:
            raise LeadlibDataError(
                f"is not a readable SQLite database: {exc}",
                path=self.database,
                hint="open the project in QualCoder and save it again",
            ) from None
        missing = [t for t, cols in _REQUIRED.items() if t not in tables or not cols <= set(tables[t])]
        if missing:
            raise LeadlibDataError(
                f"is not a QualCoder project: table(s) {', '.join(missing)} missing or incomplete",
                path=self.database,
                hint="point to a QualCoder project folder (.qda)",
            )
        return tables

    def _variables(self) -> dict[int, dict[str, object]]:
        """The variables' types, and the attributes of files (returned) and of cases (kept for :meth:`_cases`)."""
        variable_types = {}
        if "attribute_type" in self.tables:
            for n, valuetype in self.conn.execute("SELECT name, valuetype FROM attribute_type"):
                variable_types[str(n)] = "Float" if str(valuetype).lower() == "numeric" else "Text"
        self.project.variable_types = variable_types
        file_vars: dict[int, dict[str, object]] = {}
        if "attribute" in self.tables:
            for n, kind, value, id_ in self.conn.execute(
                "SELECT name, attr_type, value, id FROM attribute ORDER BY attrid"
            ):
                target = file_vars if kind == "file" else self.case_vars if kind == "case" else None
                if target is None or value is None or str(value) == "":
                    continue
                target.setdefault(id_, {})[str(n)] = _typed(value, variable_types.get(str(n), "Text"))
        return file_vars

    def _sources(self, file_vars: dict[int, dict[str, object]]) -> None:
        """The text sources (interviews); the others (pictures, PDFs, audio, video) are remembered by name."""
        query = (
            "SELECT id, name, fulltext"
            + (", date" if "date" in self.tables["source"] else "")
            + " FROM source ORDER BY id"
        )
        for fid, fname, fulltext, *rest in self.conn.execute(query):
            if fulltext is None:
                self.media[fid] = str(fname)
                continue
            key = str(fid)
            self.texts[fid] = (str(fulltext), key)
            self.project.sources.append(
                RawSource(
                    key=key,
                    name=str(fname),
                    text=normalise_text(str(fulltext)),
                    created=rest[0] if rest else None,
                    variables=file_vars.get(fid, {}),
                    where=f"source id {fid}",
                    order=len(self.project.sources),
                )
            )

    def _codes(self) -> None:
        """The codebook: categories (keys ``cat:<catid>``) and codes (``code:<cid>``), the latter under either."""
        if "code_cat" in self.tables:
            cat_cols = set(self.tables["code_cat"])
            for catid, cname, memo, super_ in self.conn.execute(
                "SELECT catid, name, "
                + ("memo" if "memo" in cat_cols else "NULL")
                + ", "
                + ("supercatid" if "supercatid" in cat_cols else "NULL")
                + " FROM code_cat ORDER BY catid"
            ):
                self.project.codes.append(
                    RawCode(
                        key=f"cat:{catid}",
                        name=str(cname),
                        parent=f"cat:{super_}" if super_ else None,
                        description=memo or None,
                        where=f"code_cat catid {catid}",
                    )
                )
        code_cols = set(self.tables["code_name"])
        for cid, cname, memo, catid, supercid in self.conn.execute(
            "SELECT cid, name, "
            + ("memo" if "memo" in code_cols else "NULL")
            + ", catid, "
            + ("supercid" if "supercid" in code_cols else "NULL")
            + " FROM code_name ORDER BY cid"
        ):
            parent = f"code:{supercid}" if supercid else (f"cat:{catid}" if catid else None)
            self.project.codes.append(
                RawCode(
                    key=f"code:{cid}",
                    name=str(cname),
                    parent=parent,
                    description=memo or None,
                    where=f"code_name cid {cid}",
                )
            )

    def _text_codings(self) -> dict[int, list[tuple]]:
        """The ``code_text`` rows by text file; those of other files or unknown codes are dropped (audited)."""
        log, label = self.project.log, self.label
        known_codes = {c.key for c in self.project.codes}
        rows = self.conn.execute(
            "SELECT ctid, cid, fid, seltext, pos0, pos1, owner FROM code_text ORDER BY fid, ctid"
        ).fetchall()
        by_file: dict[int, list[tuple]] = {}
        for row in rows:
            self.read_rows += 1
            ctid, cid, fid = row[0], row[1], row[2]
            where = f"code_text ctid {ctid}"
            if fid not in self.texts:
                self.dropped += 1
                reason = (
                    "a text coding of a file that is not a text source"
                    if fid in self.media
                    else "the coded file is not in the project"
                )
                log.add("segments", f"{label}:{where}", "drop", reason, before=row[3])
                continue
            if f"code:{cid}" not in known_codes:
                self.dropped += 1
                log.add("segments", f"{label}:{where}", "drop", "the coding's code is not in the codebook", before=cid)
                continue
            by_file.setdefault(fid, []).append(row)
        return by_file

    def _codings_of_file(self, fid: int, items: list[tuple]) -> None:
        """The codings of one text file, their positions converted to characters of its transcript.

        The convention under which the stored texts (``seltext``) match the
        file is used (audited when it is not plain characters); a coding
        outside the file refuses it or is dropped (``on_bad_selection``).
        """
        log, label = self.project.log, self.label
        raw, key = self.texts[fid]
        omap = OffsetMap(raw)
        starts = np.array([r[4] if r[4] is not None else -1 for r in items], dtype=np.int64)
        ends = np.array([r[5] if r[5] is not None else -1 for r in items], dtype=np.int64)
        labels = [r[3] for r in items]
        convention, matches, comparable = omap.choose(starts, ends, labels, "chars")
        if convention != "chars" and not omap.trivial:
            log.add(
                "segments",
                f"{label}:source id {fid}",
                "recode",
                f"positions counted as {convention!r} were converted to characters of the transcript",
                column="start",
                before=convention,
                after="chars",
                n=len(items),
            )
        if comparable and matches < comparable:
            log.add(
                "segments",
                f"{label}:source id {fid}",
                "note",
                f"the stored text (seltext) of {comparable - matches} of {comparable} codings differs from "
                "the file at their positions; the file's text is kept",
                column="text",
                n=comparable - matches,
            )
        s_all = omap.convert(starts, convention)
        e_all = omap.convert(ends, convention)
        for row, s, e in zip(items, s_all, e_all):
            if s < 0 or e < 0 or e < s:
                self._bad_coding(row, len(raw))
                continue
            self._add_coding(row, key, int(s), int(e), omap.text)

    def _bad_coding(self, row: tuple, length: int) -> None:
        """A coding whose positions run past its file or backwards: refused, or dropped (audited)."""
        ctid, _cid, _fid, seltext, pos0, pos1, _owner = row
        problem = (
            f"coding {ctid} runs from {pos0} to {pos1}, past the end of its file ({length} characters) or backwards"
        )
        if self.on_bad == "error":
            raise LeadlibDataError(
                problem,
                path=self.database,
                column="pos0/pos1",
                value=(pos0, pos1),
                hint="read with on_bad_selection='drop' to drop such codings (audited)",
            )
        self.dropped += 1
        self.project.log.add("segments", f"{self.label}:code_text ctid {ctid}", "drop", problem, before=seltext)

    def _add_coding(self, row: tuple, key: str, start: int, end: int, text: str) -> None:
        """One coding of a text file, by its ``owner`` (added to the coders if QualCoder did not list them)."""
        ctid, cid, _fid, _seltext, _pos0, _pos1, owner = row
        project = self.project
        coder = str(owner) if owner else "unknown"
        if coder not in project.users:
            project.users.append(coder)
        project.codings.append(
            RawCoding(
                key=f"ctid:{ctid}",
                source=key,
                code=f"code:{cid}",
                user=coder,
                start=start,
                end=end,
                text=text[start:end],
                where=f"code_text ctid {ctid}",
            )
        )

    def _media_codings(self) -> None:
        """Codings of pictures, PDFs, audio and video (``code_image``, ``code_av``): dropped, each audited."""
        for table, id_col in (("code_image", "imid"), ("code_av", "avid")):
            if table not in self.tables:
                continue
            kind = "picture or PDF area" if table == "code_image" else "audio/video segment"
            for rid, fid, _cid in self.conn.execute(f"SELECT {id_col}, id, cid FROM {table} ORDER BY {id_col}"):
                self.read_rows += 1
                self.dropped += 1
                self.project.log.add(
                    "segments",
                    f"{self.label}:{table} {id_col} {rid}",
                    "drop",
                    f"a coding of a {kind} is not a text segment (leadlib reads text sources only)",
                    before=self.media.get(fid, fid),
                )

    def _cases(self) -> None:
        """The cases, with their attributes and the text files that belong to them (``case_text``)."""
        if "cases" not in self.tables:
            return
        members: dict[int, list[str]] = {}
        if "case_text" in self.tables:
            for caseid, fid in self.conn.execute("SELECT caseid, fid FROM case_text ORDER BY id"):
                if fid in self.texts:
                    members.setdefault(caseid, [])
                    if str(fid) not in members[caseid]:
                        members[caseid].append(str(fid))
        for caseid, cname in self.conn.execute("SELECT caseid, name FROM cases ORDER BY caseid"):
            self.project.cases.append(
                RawCase(
                    key=str(caseid),
                    name=str(cname),
                    variables=self.case_vars.get(caseid, {}),
                    sources=members.get(caseid, []),
                    where=f"cases caseid {caseid}",
                )
            )


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _typed(value, kind: str):
    if kind == "Float":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        return int(number) if number.is_integer() else number
    return str(value)


@dataclass
class _ReportLayout:
    """Where the columns of one coding report are (0-based), by QualCoder version.

    ``kind`` is the first header cell: ``File/case`` (before 3.6), ``File``
    or ``Case`` (3.6 and later). In a ``Case`` report the first column holds
    the case's name and ``Filename`` (the second column) the file's.
    """

    kind: str
    file: int
    case: int | None
    coder: int
    categories: list[int]
    file_vars: dict[str, int]
    case_vars: dict[str, int]


def _report_layout(path: Path, rows: list[list[str]]) -> _ReportLayout:
    """The layout of a coding report's header; refuses a file whose header is none QualCoder writes."""
    header = [h.strip() for h in rows[0]] if rows else []
    first = header[0] if header else ""
    with_filename = first == "Case" and len(header) > 1 and header[1] == "Filename"
    rest = 2 if with_filename else 1
    if first not in _REPORT_FIRST or header[rest : rest + len(_REPORT_COLUMNS)] != _REPORT_COLUMNS:
        raise LeadlibDataError(
            "is not a QualCoder coding report: the first columns must be File/case (before QualCoder 3.6), "
            "File, or Case and Filename (3.6 and later), then " + ", ".join(_REPORT_COLUMNS),
            path=path,
            row=1,
            value=rows[0][:7] if rows else None,
            hint="in QualCoder, run Reports > Coding reports and export as CSV",
        )
    return _ReportLayout(
        kind=first,
        file=1 if with_filename else 0,
        case=0 if first == "Case" else None,
        coder=rest,
        categories=[i for i, h in enumerate(header) if h == "Category"],
        file_vars={h[len("FileVar_") :]: i for i, h in enumerate(header) if h.startswith("FileVar_")},
        case_vars={h[len("CaseVar_") :]: i for i, h in enumerate(header) if h.startswith("CaseVar_")},
    )


def _read_report(path: Path, limits: _safe.Limits) -> RawProject:
    """A coding report as a :class:`RawProject`; see :class:`_ReportReader`."""
    data = _safe.read_file_bytes(path, limits=limits)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LeadlibDataError(
            "is not UTF-8 text", path=path, hint="QualCoder writes reports as UTF-8; export the report again"
        ) from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    layout = _report_layout(path, rows)
    return _ReportReader(path, layout).read(rows)


class _ReportReader:
    """Reads the rows of a coding report: codes from the Category columns, codings by file, cases, variables."""

    def __init__(self, path: Path, layout: _ReportLayout) -> None:
        self.path, self.layout = path, layout
        supports = ("case", "variable", "pattern") if layout.case is not None else ("variable", "pattern")
        self.project = RawProject(path=path, label=path.name, name=path.stem, supports=supports)
        self.codes: dict[str, RawCode] = {}
        self.by_file: dict[str, list[tuple]] = {}
        self.file_vars: dict[str, dict[str, object]] = {}
        self.cases: dict[str, RawCase] = {}
        self.seen: dict[str, int] = {}  # coding Id -> row it was first read from
        self.read_rows = self.dropped = 0

    def read(self, rows: list[list[str]]) -> RawProject:
        project, layout = self.project, self.layout
        if layout.kind == "File/case":
            project.log.add(
                "interviews",
                self.path.name,
                "read",
                "QualCoder coding report from before 3.6 (first column 'File/case'): the column is read as the "
                "file name (a report run by case, in those versions, holds case names there instead)",
            )
        if layout.kind == "Case" and layout.file == layout.case:
            project.log.add(
                "interviews",
                self.path.name,
                "note",
                "a report by case without a Filename column: each case's codings make one document named "
                "after the case",
            )
        width = len(rows[0])
        for i, row in enumerate(rows[1:]):
            if any(c.strip() for c in row):
                self._row(i + 2, row + [""] * (width - len(row)))
        project.codes = list(self.codes.values())
        for fname, items in self.by_file.items():
            self._source(fname, items)
        project.cases = list(self.cases.values())
        project.site_variables = list(layout.case_vars)
        self._type_case_variables()
        project.count("segments", self.read_rows, self.dropped)
        return project

    def _type_case_variables(self) -> None:
        """A case variable whose every value is a number is numeric (QualCoder's ``numeric`` type); else text.

        A report carries values only, not the variables' types.
        """
        for var in self.layout.case_vars:
            values = [c.variables[var] for c in self.cases.values() if var in c.variables]
            if values and all(_is_number(v) for v in values):
                self.project.variable_types[var] = "Float"
                for case in self.cases.values():
                    if var in case.variables:
                        case.variables[var] = _typed(case.variables[var], "Float")

    def _drop(self, line: int, reason: str, before: str) -> None:
        self.dropped += 1
        self.project.log.add("segments", f"{self.path.name}:row {line}", "drop", reason, before=before)

    def _row(self, line: int, row: list[str]) -> None:
        layout = self.layout
        fname = row[layout.file]
        coder, coded, cid, codename = row[layout.coder : layout.coder + 4]
        self.read_rows += 1
        self._variables(fname, row)
        if not cid.startswith("ctid:"):
            self._drop(line, "a coding of an image or audio/video is not a text segment", f"{fname}: {coded}")
            return
        if cid in self.seen:
            # a Case report lists a coding once under every case its file belongs to
            self._drop(line, f"the coding {cid} was listed already (row {self.seen[cid]})", f"{fname}: {coded}")
            return
        self.seen[cid] = line
        code_key = self._code(line, row, codename)
        if coder not in self.project.users:
            self.project.users.append(coder)
        self.by_file.setdefault(fname, []).append((line, cid, coder, code_key, normalise_text(coded)))

    def _variables(self, fname: str, row: list[str]) -> None:
        """The file's variables (``FileVar_``) and, in a Case report, its case and the case's (``CaseVar_``)."""
        layout = self.layout
        values = self.file_vars.setdefault(fname, {})
        for name, i in layout.file_vars.items():
            if row[i].strip() and name not in values:
                values[name] = row[i]
        if layout.case is None or not row[layout.case].strip():
            return
        name = row[layout.case]
        case = self.cases.setdefault(name, RawCase(key=f"case:{name}", name=name, where=f"case {name!r}"))
        if fname not in case.sources:
            case.sources.append(fname)
        for var, i in layout.case_vars.items():
            if row[i].strip() and var not in case.variables:
                case.variables[var] = row[i]

    def _code(self, line: int, row: list[str], codename: str) -> str:
        """The key of the row's code, added (with its categories, nearest first) if new."""
        cats = [row[c] for c in self.layout.categories if row[c].strip()]
        parent = None
        for depth, cat in enumerate(reversed(cats)):
            key = "cat:" + "/".join(list(reversed(cats))[: depth + 1])
            if key not in self.codes:
                self.codes[key] = RawCode(key=key, name=cat, parent=parent, where=f"row {line} Category")
            parent = key
        code_key = f"code:{codename}"
        if code_key not in self.codes:
            self.codes[code_key] = RawCode(key=code_key, name=codename, parent=parent, where=f"row {line}")
        return code_key

    def _source(self, fname: str, items: list[tuple]) -> None:
        """One file: its stand-in transcript (its codings joined by blank lines) and its codings."""
        project = self.project
        pieces, pos, offsets = [], 0, []
        for _line, _cid, _coder, _code, coded in items:
            if pieces:
                pieces.append("\n\n")
                pos += 2
            offsets.append((pos, pos + len(coded)))
            pieces.append(coded)
            pos += len(coded)
        stand_in = "".join(pieces)
        project.sources.append(
            RawSource(
                key=fname,
                name=fname,
                text=stand_in,
                variables=self.file_vars.get(fname, {}),
                where=f"file {fname!r}",
                order=len(project.sources),
                stand_in=True,
            )
        )
        project.log.add(
            "transcripts",
            f"{self.path.name}:file {fname!r}",
            "reshape",
            "a coding report holds the coded passages only: the transcript is a stand-in made of this file's "
            "codings joined by blank lines; offsets count it and n_words is left empty (read the QualCoder "
            "project for the full text)",
            n=len(items),
        )
        for (line, cid, coder, code_key, _coded), (s, e) in zip(items, offsets):
            project.codings.append(
                RawCoding(
                    key=cid,
                    source=fname,
                    code=code_key,
                    user=coder or "unknown",
                    start=s,
                    end=e,
                    text=stand_in[s:e],
                    where=f"row {line}",
                )
            )
