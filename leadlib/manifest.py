"""The study manifest, ``study.toml``: what each source file is and how to tidy it.

A manifest is data, not code: a researcher adapts leadlib to their own
exports by editing it. Its format is documented in README.md ("Bringing your
own study"); this module parses and checks it, and every problem with it is a
:class:`~leadlib.errors.LeadlibDataError` naming the manifest and the key.

The manifest's schema is declared once, as the pydantic models below
(``_ManifestSchema`` and the sections it holds): every key of every section
and the type of every value. :func:`read_manifest` checks the parsed TOML
against it in strict mode (no coercion: ``primary = "false"`` is a string,
not a boolean) and turns the first problem into a message that names the
manifest, the key path (``[tables.segments] primary``), the expected type
and, for an unknown key, the nearest known one. Checks that need more than
the schema (files, table names, the columns of each tidy table) follow it.
"""

from __future__ import annotations

import codecs
import difflib
import glob
import os
import re
import tomllib
import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from . import schema
from .errors import LeadlibDataError
from .io._safe import DEFAULT_LIMITS, Limits

__all__ = [
    "Manifest",
    "SourceSpec",
    "read_manifest",
    "DEFAULT_MISSING",
    "ALIAS_KINDS",
    "QDA_FORMATS",
    "MAX_MANIFEST_BYTES",
    "MAX_MANIFEST_DEPTH",
]

MANIFEST_NAME = "study.toml"

#: Largest manifest read, in bytes: a manifest is a few kilobytes of settings.
MAX_MANIFEST_BYTES = 1 << 20

#: Deepest nesting of tables and lists a manifest may hold (the bundled one needs 5).
MAX_MANIFEST_DEPTH = 10

#: Values read as "missing" in every table unless the manifest says otherwise.
DEFAULT_MISSING = ("", "NA", "N/A", "n/a", "na", "-", "--", ".", "NULL", "null", "None", "#N/A")

#: Alias tables the manifest may hold, and the tidy columns they apply to.
ALIAS_KINDS = {
    "sites": "site_id",
    "roles": "role",
    "codes": "code_id",
    "settings": "setting",
    "leader_types": "leader_type",
    "leader_levels": "leader_level",
    "characteristics": "characteristic",
    "groups": "group",
}

#: Whole-study formats read by a QDA-export reader instead of per-table files.
QDA_FORMATS = ("refi-qda", "taguette", "qualcoder")

_FILE_FORMATS = ("csv", "xlsx", "txt")


# ---------------------------------------------------------------- the schema
def _one_character(value: str) -> str:
    if len(value) != 1 or value in '"\r\n':
        raise PydanticCustomError("one_character", 'a single character other than a quote or a line break, e.g. ";"')
    return value


def _known_encoding(value: str) -> str:
    try:
        codecs.lookup(value)
    except LookupError:
        raise PydanticCustomError("encoding", 'the name of a text encoding, e.g. "utf-8" or "cp1252"') from None
    return value


def _scalar(value: Any) -> Any:
    if not isinstance(value, (str, int, float, bool)):
        raise PydanticCustomError("scalar", "a string, a number or true/false")
    return value


def _strftime_format(value: str) -> str:
    if "%" not in value:
        raise PydanticCustomError("date_format", 'a strftime format with % codes, e.g. "%d/%m/%Y"')
    return value


_OneCharacter = Annotated[str, AfterValidator(_one_character)]
_Encoding = Annotated[str, AfterValidator(_known_encoding)]
_Scalar = Annotated[Any, AfterValidator(_scalar)]
_NonEmpty = Annotated[str, Field(min_length=1)]
_Mapping = dict[str, str]


class _Section(BaseModel):
    """A manifest section: no key but those declared, no value coerced to another type."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)  # built on first use, not at import


class _LimitsSchema(_Section):
    """``[study.limits]``: caps on the study's files, in megabytes (unset: :data:`leadlib.io._safe.DEFAULT_LIMITS`)."""

    max_table_mb: Annotated[float, Field(gt=0)] | None = None
    max_transcript_mb: Annotated[float, Field(gt=0)] | None = None
    max_field_mb: Annotated[float, Field(gt=0)] | None = None


class _StudySchema(_Section):
    """``[study]``."""

    name: str | None = None
    synthetic: bool = False
    description: str = ""
    missing: list[str] = list(DEFAULT_MISSING)
    format: Literal["refi-qda", "taguette", "qualcoder"] | None = None
    source: _NonEmpty | None = None
    site_from: _NonEmpty = "case"
    on_no_site: Literal["keep", "drop", "error"] = "keep"
    code_groups: _Mapping = {}
    limits: _LimitsSchema = _LimitsSchema()


class _WideSchema(_Section):
    """``[tables.<name>.wide]``: how a wide table (one column per value) is made long."""

    names_to: _NonEmpty
    values_to: _NonEmpty
    columns: _Mapping


class _SourceSchema(_Section):
    """``[tables.<name>]``: one source file (or a pattern of text files)."""

    path: _NonEmpty
    format: Literal["csv", "xlsx", "txt"] | None = None
    sheet: str | None = None
    encoding: _Encoding | None = None
    skip_rows: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    columns: _Mapping = {}
    missing: list[str] = []
    values: dict[str, dict[str, _Scalar]] = {}
    delimiter: _OneCharacter = ","
    primary: bool = True
    on_unknown_interview: Literal["error", "drop"] = "error"
    code_path_separator: _NonEmpty | None = None
    layout: Literal["long", "wide"] = "long"
    wide: _WideSchema | None = None
    date_format: Annotated[str, AfterValidator(_strftime_format)] | None = None
    coder: _NonEmpty | None = None
    description: str | None = None
    hidden_rows: Literal["keep", "drop", "error"] = "keep"  # rows hidden in a workbook


class _AliasesSchema(_Section):
    """``[aliases.<kind>]``: spellings in the files -> IDs and vocabulary values."""

    sites: _Mapping = {}
    roles: _Mapping = {}
    codes: _Mapping = {}
    settings: _Mapping = {}
    leader_types: _Mapping = {}
    leader_levels: _Mapping = {}
    characteristics: _Mapping = {}
    groups: _Mapping = {}


class _ManifestSchema(_Section):
    """A whole ``study.toml``."""

    study: _StudySchema = _StudySchema()
    tables: dict[str, _SourceSchema] = {}
    aliases: _AliasesSchema = _AliasesSchema()


#: What an unknown key is not, by the kind of section it sits in.
_UNKNOWN_KEY = {
    _ManifestSchema: ("is not a manifest section", "the sections are [study], [tables.<name>] and [aliases.<kind>]"),
    _StudySchema: ("is not a study setting", "settings of [study]: {known}"),
    _SourceSchema: ("is not a source setting", "settings: {known}"),
    _WideSchema: ("is not a setting of a wide layout", "settings of [tables.<name>.wide]: {known}"),
    _LimitsSchema: ("is not a limit", "limits of [study.limits]: {known}"),
    _AliasesSchema: ("is not a kind of alias", "alias kinds: {known}"),
}

#: The expected type, in words, for pydantic's error types.
_EXPECTED = {
    "bool_type": "true or false (a boolean, without quotes)",
    "string_type": "a string (in quotes)",
    "int_type": "a whole number",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "list_type": "a list",
}


class PathList(Sequence[Path]):
    """The files of a source, as a sequence of paths kept as strings.

    A pattern such as ``transcripts/*.txt`` may match tens of thousands of
    files; a :class:`~pathlib.Path` is made only for a file asked for (24,000
    of them cost 0.1-0.4 s, on every load, warm ones too). Readers that take
    many files at once read :attr:`strings`.
    """

    __slots__ = ("strings",)

    def __init__(self, paths=()):
        self.strings: list[str] = [os.fspath(p) for p in paths]

    def __len__(self) -> int:
        return len(self.strings)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return PathList(self.strings[index])
        return Path(self.strings[index])

    def __iter__(self) -> Iterator[Path]:
        return map(Path, self.strings)

    def __eq__(self, other) -> bool:
        if isinstance(other, PathList):
            return self.strings == other.strings
        if isinstance(other, (list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, as the list it stands for

    def __repr__(self) -> str:
        return f"PathList({self.strings!r})"


@dataclass
class SourceSpec:
    """One ``[tables.<key>]`` entry: a source file feeding one tidy table."""

    key: str  # e.g. "segments_coder2"
    table: str  # tidy table it feeds, e.g. "segments"
    path: str  # as written (may be a glob for txt)
    files: Sequence[Path]  # a PathList
    format: str
    columns: dict[str, str]  # tidy name -> raw column name
    sheet: str | None = None
    encoding: str | None = None
    skip_rows: int = 0
    delimiter: str = ","
    missing: tuple[str, ...] = ()
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    primary: bool = True
    coder: str | None = None
    on_unknown_interview: str = "error"
    code_path_separator: str | None = None
    layout: str = "long"
    wide: dict[str, Any] = field(default_factory=dict)
    date_format: str | None = None
    hidden_rows: str = "keep"  # "keep" (audited), "drop" (audited) or "error"

    @property
    def file(self) -> Path:
        return self.files[0]


@dataclass
class Manifest:
    """A parsed ``study.toml``."""

    path: Path
    folder: Path
    name: str
    synthetic: bool
    description: str
    missing: tuple[str, ...]
    sources: list[SourceSpec]
    aliases: dict[str, dict[str, str]]
    format: str | None = None  # a QDA format for whole-study exports
    qda: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    limits: Limits = DEFAULT_LIMITS  # caps on the study's files ([study.limits])

    def sources_for(self, table: str) -> list[SourceSpec]:
        return [s for s in self.sources if s.table == table]

    def files(self) -> list[Path]:
        """Every file the study reads, manifest first."""
        out = [self.path]
        seen = {self.path}
        for spec in self.sources:
            for f in spec.files:
                if f not in seen:
                    seen.add(f)
                    out.append(f)
        if self.format:
            src = self.folder / self.qda["source"]
            if src not in seen:
                out.append(src)
        return out


def _fail(manifest: Path, key: str, problem: str, value: Any = None, hint: str = "") -> None:
    raise LeadlibDataError(
        f"manifest key {key} {problem}",
        path=manifest,
        value=value,
        hint=hint or "see 'Bringing your own study' in README.md for the manifest format",
    )


def read_manifest(path: str | Path) -> Manifest:
    """Read and check a study manifest.

    Parameters
    ----------
    path
        The ``study.toml`` file, or the folder that holds it.

    Returns
    -------
    Manifest
        The manifest, every key and value checked against the declared schema.

    Raises
    ------
    LeadlibDataError
        Naming the manifest, the key path and what the value must be, for an
        unknown key, a value of the wrong type, a file too large or nested too
        deeply, or a source file that is not there.
    """
    path = _manifest_file(path)
    raw = _load_toml(path)
    folder = path.parent.resolve()
    checked = _check_schema(path, raw)
    study = checked.study
    qda = _qda_settings(path, folder, study) if study.format is not None else {}
    missing = tuple(study.missing)
    return Manifest(
        path=path.resolve(),
        folder=folder,
        name=study.name if study.name is not None else folder.name,
        synthetic=study.synthetic,
        description=study.description,
        missing=missing,
        sources=_sources(path, folder, checked.tables, study.format, missing),
        aliases={kind: dict(table) for kind, table in checked.aliases if table},
        format=study.format,
        qda=qda,
        raw=raw,
        limits=_limits(study.limits),
    )


def _limits(declared: _LimitsSchema) -> Limits:
    """The caps of ``[study.limits]`` (megabytes) over leadlib's defaults."""
    caps = {
        "max_table_bytes": declared.max_table_mb,
        "max_transcript_bytes": declared.max_transcript_mb,
        "max_field_bytes": declared.max_field_mb,
    }
    return replace(DEFAULT_LIMITS, **{key: int(mb * 2**20) for key, mb in caps.items() if mb is not None})


def _manifest_file(path: str | Path) -> Path:
    """The manifest file named by ``path`` (a file, or a folder holding it); an error if there is none."""
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST_NAME
    if path.is_dir():
        raise LeadlibDataError(
            f"{MANIFEST_NAME} is a folder, not a file", path=path, hint="the manifest must be a TOML file"
        )
    if not path.exists():
        raise LeadlibDataError(
            "no study manifest here",
            path=path,
            hint=f"point leadlib at a study folder with a {MANIFEST_NAME} (see 'Bringing your own study' in README.md)",
        )
    if not path.is_file():
        raise LeadlibDataError(
            "the manifest is not a regular file (a pipe or a device?)",
            path=path,
            hint="the manifest must be a TOML file",
        )
    return path


def _load_toml(path: Path) -> dict[str, Any]:
    """The manifest's TOML as a dict; an error naming the line when it is not UTF-8, not valid TOML, too large
    or nested too deeply (checked before parsing, which recurses)."""
    with path.open("rb") as fh:
        data = fh.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise LeadlibDataError(
            f"the manifest is larger than {MAX_MANIFEST_BYTES // (1 << 20)} MB: a manifest holds a few kilobytes "
            "of settings, not data",
            path=path,
            hint="check that this is the study's manifest; aliases for thousands of spellings belong in a file",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LeadlibDataError("the manifest is not UTF-8 text", path=path, hint="save it as UTF-8") from None
    _check_nesting(path, text)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"at line (\d+)", message)
        line = int(found.group(1)) if found else None
        raise LeadlibDataError(
            f"the manifest is not valid TOML: {message}",
            path=path,
            row=line,
            hint="fix the TOML syntax (quotes around strings, one [section] per table)",
        ) from None
    _check_depth(path, raw)
    return raw


#: TOML tokens that matter for nesting: strings and comments (skipped whole), brackets and braces.
_NESTING_TOKEN = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]')


def _nesting_error(path: Path, line: int | None) -> None:
    raise LeadlibDataError(
        f"the manifest nests tables or lists more than {MAX_MANIFEST_DEPTH} deep",
        path=path,
        row=line,
        hint="a manifest needs at most [tables.<name>.wide.columns]: check for brackets or braces left unclosed",
    )


def _check_nesting(path: Path, text: str) -> None:
    """Refuse, before parsing, brackets and braces nested deeper than :data:`MAX_MANIFEST_DEPTH`."""
    depth = 0
    for token in _NESTING_TOKEN.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_MANIFEST_DEPTH:
                _nesting_error(path, text.count("\n", 0, token.start()) + 1)
        elif char in "]}":
            depth = max(depth - 1, 0)


def _check_depth(path: Path, raw: dict[str, Any]) -> None:
    """Refuse parsed tables nested deeper than :data:`MAX_MANIFEST_DEPTH` (dotted keys nest without brackets)."""
    stack: list[tuple[Any, int]] = [(raw, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_MANIFEST_DEPTH:
            _nesting_error(path, None)
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


# ------------------------------------------------------ checking the schema
def _check_schema(path: Path, raw: dict[str, Any]) -> _ManifestSchema:
    """The manifest checked against the declared schema; the first problem as a :class:`LeadlibDataError`."""
    try:
        return _ManifestSchema.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")  # a misspelt key first: it explains a missing one
    first = errors[0]
    loc = tuple(first["loc"])
    more = f" ({len(errors) - 1} more problem(s) in the manifest after this one)" if len(errors) > 1 else ""
    if first["type"] == "extra_forbidden":
        problem, hint = _unknown_key(loc)
        raise LeadlibDataError(f"manifest key {_key_path(loc)} {problem}{more}", path=path, hint=hint)
    index = next((i for i, part in enumerate(loc) if isinstance(part, int)), None)
    if first["type"] == "missing":
        problem = "is required"
    elif index is not None:  # an item of a list: name the list, then the item
        expected = "strings (in quotes)" if first["type"] == "string_type" else f"items that are {_expected(first)}"
        problem = f"must be a list of {expected}: item {loc[index] + 1} is {_kind(first['input'])}"
        loc = loc[:index]
    else:
        problem = f"must be {_expected(first)}, not {_kind(first['input'])}"
    raise LeadlibDataError(
        f"manifest key {_key_path(loc)} {problem}{more}",
        path=path,
        value=first["input"] if first["type"] != "missing" and _is_scalar(first["input"]) else None,
        hint="see 'Bringing your own study' in README.md for the manifest format",
    )


def _key_path(loc: tuple) -> str:
    """A key path as the manifest writes it: ``[tables.segments] primary``; a top-level key alone."""
    parts = [str(p) for p in loc]
    if len(parts) == 1:
        return parts[0]
    return f"[{'.'.join(parts[:-1])}] {parts[-1]}"


def _expected(error: dict[str, Any]) -> str:
    """What a value must be, in words, from a pydantic error."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind == "literal_error":
        return f"one of {ctx['expected']}"
    if kind == "string_too_short":
        return "a string that is not empty"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"a whole number from 0 to {1_000_000:,}"
    return str(error["msg"])  # our own validators' messages say what is expected


def _kind(value: Any) -> str:
    """A value's TOML type in words, for 'must be X, not Y' (the value itself is shown beside the message)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"  # TOML dates and times


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _unknown_key(loc: tuple) -> tuple[str, str]:
    """What an unknown key is not, with the nearest known key ("did you mean") and the known ones."""
    model = _model_at(loc[:-1])
    known = list(model.model_fields)
    problem, hint = _UNKNOWN_KEY[model]
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    if close:
        problem += f": did you mean {close[0]}?"
    return problem, hint.format(known=", ".join(known))


def _model_at(loc: tuple) -> type[_Section]:
    """The schema section a key path leads to (the keys of ``dict`` sections are skipped)."""
    node: Any = _ManifestSchema
    for part in loc:
        if isinstance(node, type) and issubclass(node, BaseModel):
            node = node.model_fields[part].annotation
        else:  # a dict section: the part is its key
            node = typing.get_args(node)[-1]
        if typing.get_origin(node) in (typing.Union, types.UnionType):
            node = next(arg for arg in typing.get_args(node) if arg is not type(None))
    return node


# ------------------------------------------------ checks beyond the schema
def _qda_settings(path: Path, folder: Path, study: _StudySchema) -> dict[str, Any]:
    """The settings of a whole-study QDA export (``study.format``); the export must exist in the study folder."""
    if study.source is None:
        _fail(path, "[study] source", f"is required with format = {study.format!r}: the export file to read")
    source = study.source
    if Path(source).is_absolute() or ".." in Path(source).parts:
        _fail(path, "[study] source", "must be inside the study folder (relative, no '..')", source)
    src = (folder / source).resolve()
    if not src.exists():
        raise LeadlibDataError(
            "the export named in the manifest does not exist", path=src, hint=f"check study.source in {path}"
        )
    return {
        "source": source,
        "site_from": study.site_from,
        "on_no_site": study.on_no_site,
        "code_groups": dict(study.code_groups) or None,
    }


def _sources(
    path: Path, folder: Path, tables: dict[str, _SourceSchema], fmt: str | None, missing: tuple[str, ...]
) -> list[SourceSpec]:
    """One :class:`SourceSpec` per ``[tables.<key>]``; without a QDA format, every required table must have one."""
    if fmt is None and not tables:
        _fail(path, "tables", "lists no source files", hint="add a [tables.sites] section, etc.")
    sources = [_source(path, folder, key, spec, missing) for key, spec in tables.items()]
    for required in ("sites", "informants", "interviews", "codebook", "segments"):
        if fmt is None and not any(s.table == required for s in sources):
            _fail(
                path,
                f"tables.{required}",
                "is missing: every study needs this table",
                hint=f"add a [tables.{required}] section naming its file and columns",
            )
    return sources


def _source(manifest: Path, folder: Path, key: str, spec: _SourceSchema, missing: tuple[str, ...]) -> SourceSpec:
    """One ``[tables.<key>]`` entry, checked, with its files found."""
    where = f"tables.{key}"
    table = _source_table(manifest, where, key)
    rel = spec.path
    if Path(rel).is_absolute() or ".." in Path(rel).parts:
        _fail(manifest, f"[{where}] path", "must be inside the study folder (relative, no '..')", rel)
    fmt = spec.format or Path(rel).suffix.lower().lstrip(".")
    if fmt not in _FILE_FORMATS:
        _fail(
            manifest,
            f"[{where}] format",
            f"must be one of {', '.join(_FILE_FORMATS)} (set it when the file name does not say)",
            fmt,
        )
    files = _source_files(manifest, folder, where, rel)
    if fmt != "txt":
        _check_columns(manifest, where, table, spec.columns)
    if spec.layout == "wide" and spec.wide is None:
        _fail(manifest, f"[{where}] wide", 'needs names_to, values_to and columns (value = "column in the file")')
    return SourceSpec(
        key=key,
        table=table,
        path=rel,
        files=files,
        format=fmt,
        columns=dict(spec.columns),
        sheet=spec.sheet,
        encoding=spec.encoding,
        skip_rows=spec.skip_rows,
        delimiter=spec.delimiter,
        missing=tuple(missing) + tuple(spec.missing),
        values={k: dict(v) for k, v in spec.values.items()},
        primary=spec.primary,
        coder=spec.coder,
        on_unknown_interview=spec.on_unknown_interview,
        code_path_separator=spec.code_path_separator,
        layout=spec.layout,
        wide=spec.wide.model_dump() if spec.wide is not None else {},
        date_format=spec.date_format,
        hidden_rows=spec.hidden_rows,
    )


def _source_table(manifest: Path, where: str, key: str) -> str:
    """The tidy table a source feeds, named by its key: ``segments`` or ``segments_<suffix>``."""
    table = next((t for t in schema.TABLES if key == t or key.startswith(t + "_")), None)
    if table is None or table == "audit":
        names = [t for t in schema.TABLES if t != "audit"]
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
        _fail(
            manifest,
            where,
            "does not name a tidy table" + (f": did you mean tables.{close[0]}?" if close else ""),
            key,
            hint=f"name it after the table it feeds ({', '.join(names)}), "
            "with a suffix for a second file: [tables.segments_coder2]",
        )
    return table


def _source_files(manifest: Path, folder: Path, where: str, rel: str) -> PathList:
    """The files a source's path names: every match of a glob pattern, or the one file, which must exist."""
    if any(ch in rel for ch in "*?["):
        files = PathList(sorted(glob.glob(str(folder / rel))))
        if not files:
            raise LeadlibDataError(
                "no file matches this pattern", path=folder / rel, hint=f"check {where}.path in the manifest"
            )
        return files
    file = folder / rel
    if file.is_dir():
        raise LeadlibDataError(
            "this is a folder, not a file",
            path=file,
            hint=f"point {where}.path at the file itself (or at *.txt files for transcripts)",
        )
    if not file.exists():
        raise LeadlibDataError(
            "file not found",
            path=file,
            hint=f"check {where}.path in {manifest.name}, or put the file there",
        )
    return PathList([file])


def _check_columns(manifest: Path, where: str, table: str, columns: dict[str, str]) -> None:
    """A table file's ``columns`` must map at least one column, each a column of the tidy table."""
    if not columns:
        _fail(manifest, f"[{where}] columns", 'must list every column used: tidy name = "column in the file"')
    known = list(schema.TABLES[table].names)
    for tidy in columns:
        if tidy not in known:
            close = difflib.get_close_matches(tidy, known, n=1, cutoff=0.6)
            _fail(
                manifest,
                f"[{where}.columns] {tidy}",
                f"is not a column of the {table} table" + (f": did you mean {close[0]}?" if close else ""),
                hint=f"columns of {table}: {', '.join(known)}",
            )
