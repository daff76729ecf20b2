"""The study manifest, ``study.toml``: what each source file is and how to tidy it.

A manifest is data, not code: a researcher adapts leadlib to their own
exports by editing it. Its format is documented in README.md ("Bringing your
own study"); this module parses and checks it, and every problem with it is a
:class:`~leadlib.errors.LeadlibDataError` naming the manifest and the key.
"""

from __future__ import annotations

import glob
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schema
from .errors import LeadlibDataError

__all__ = ["Manifest", "SourceSpec", "read_manifest", "DEFAULT_MISSING", "ALIAS_KINDS", "QDA_FORMATS"]

MANIFEST_NAME = "study.toml"

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
_SOURCE_KEYS = {
    "path",
    "format",
    "sheet",
    "encoding",
    "skip_rows",
    "columns",
    "missing",
    "values",
    "delimiter",
    "primary",
    "on_unknown_interview",
    "code_path_separator",
    "layout",
    "wide",
    "date_format",
    "coder",
    "description",
}


@dataclass
class SourceSpec:
    """One ``[tables.<key>]`` entry: a source file feeding one tidy table."""

    key: str  # e.g. "segments_coder2"
    table: str  # tidy table it feeds, e.g. "segments"
    path: str  # as written (may be a glob for txt)
    files: list[Path]
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
    """
    path = _manifest_file(path)
    raw = _load_toml(path)
    folder = path.parent.resolve()
    study = _study_section(path, raw)
    name = str(study.get("name", folder.name))
    synthetic = study.get("synthetic", False)
    if not isinstance(synthetic, bool):
        _fail(path, "study.synthetic", "must be true or false", synthetic)
    missing = study.get("missing", list(DEFAULT_MISSING))
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        _fail(path, "study.missing", "must be a list of strings", missing)
    aliases = _aliases(path, raw.get("aliases", {}))
    fmt = study.get("format")
    qda = _qda_settings(path, folder, study) if fmt is not None else {}
    sources = _sources(path, folder, raw, fmt, tuple(missing))
    return Manifest(
        path=path.resolve(),
        folder=folder,
        name=name,
        synthetic=synthetic,
        description=str(study.get("description", "")),
        missing=tuple(missing),
        sources=sources,
        aliases=aliases,
        format=fmt,
        qda=qda,
        raw=raw,
    )


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
    return path


def _load_toml(path: Path) -> dict[str, Any]:
    """The manifest's TOML as a dict; an error naming the line when it is not UTF-8 or not valid TOML."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise LeadlibDataError("the manifest is not UTF-8 text", path=path, hint="save it as UTF-8") from None
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


def _study_section(path: Path, raw: dict[str, Any]) -> dict[str, Any]:
    """The ``[study]`` table, after checking it is a table and that no unknown section sits beside it."""
    study = raw.get("study", {})
    if not isinstance(study, dict):
        _fail(path, "study", "must be a table ([study])")
    unknown_top = set(raw) - {"study", "tables", "aliases"}
    if unknown_top:
        _fail(
            path,
            sorted(unknown_top)[0],
            "is not a manifest section",
            hint="the sections are [study], [tables.<name>] and [aliases.<kind>]",
        )
    return study


def _aliases(path: Path, aliases_raw: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The ``[aliases.<kind>]`` tables, checked: known kinds, spellings mapped to strings."""
    aliases: dict[str, dict[str, str]] = {}
    for kind, table in aliases_raw.items():
        if kind not in ALIAS_KINDS:
            _fail(
                path, f"aliases.{kind}", "is not a kind of alias", kind, hint=f"alias kinds: {', '.join(ALIAS_KINDS)}"
            )
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            _fail(path, f"aliases.{kind}", 'must map spellings to values: "RN" = "nurse"')
        aliases[kind] = {str(k): v for k, v in table.items()}
    return aliases


def _qda_settings(path: Path, folder: Path, study: dict[str, Any]) -> dict[str, Any]:
    """The settings of a whole-study QDA export (``study.format``), checked; the export must exist."""
    fmt = study["format"]
    if fmt not in QDA_FORMATS:
        _fail(path, "study.format", f"must be one of {', '.join(QDA_FORMATS)}", fmt)
    if "source" not in study:
        _fail(path, "study.source", f"is required with format = {fmt!r}: the export file to read")
    code_groups = study.get("code_groups", {})
    if not isinstance(code_groups, dict) or not all(isinstance(v, str) for v in code_groups.values()):
        _fail(path, "study.code_groups", 'must map code IDs to groups: [study.code_groups] "a/b" = "taking_action"')
    qda = {
        "source": study["source"],
        "site_from": study.get("site_from", "case"),
        "on_no_site": study.get("on_no_site", "keep"),
        "code_groups": dict(code_groups) or None,
    }
    if Path(str(study["source"])).is_absolute() or ".." in Path(str(study["source"])).parts:
        _fail(path, "study.source", "must be inside the study folder (relative, no '..')", study["source"])
    src = (folder / study["source"]).resolve()
    if not src.exists():
        raise LeadlibDataError(
            "the export named in the manifest does not exist", path=src, hint=f"check study.source in {path}"
        )
    return qda


def _sources(
    path: Path, folder: Path, raw: dict[str, Any], fmt: str | None, missing: tuple[str, ...]
) -> list[SourceSpec]:
    """One :class:`SourceSpec` per ``[tables.<key>]``; without a QDA format, every required table must have one."""
    tables = raw.get("tables", {})
    if not isinstance(tables, dict):
        _fail(path, "tables", "must hold one [tables.<name>] section per source")
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


def _source(manifest: Path, folder: Path, key: str, spec: Any, missing: tuple[str, ...]) -> SourceSpec:
    """One ``[tables.<key>]`` entry, checked, with its files found."""
    where = f"tables.{key}"
    table = _source_table(manifest, where, key, spec)
    if "path" not in spec:
        _fail(manifest, f"{where}.path", "is required: the file to read, relative to the manifest")
    rel = str(spec["path"])
    if Path(rel).is_absolute() or ".." in Path(rel).parts:
        _fail(manifest, f"{where}.path", "must be inside the study folder (relative, no '..')", rel)
    fmt = spec.get("format") or Path(rel).suffix.lower().lstrip(".")
    if fmt not in _FILE_FORMATS:
        _fail(manifest, f"{where}.format", f"must be one of {', '.join(_FILE_FORMATS)}", fmt)
    files = _source_files(manifest, folder, where, rel)
    columns = spec.get("columns", {})
    if fmt != "txt":
        _check_columns(manifest, where, table, columns)
    extra_missing, values, on_unknown, layout, wide, skip = _source_options(manifest, where, spec)
    return SourceSpec(
        key=key,
        table=table,
        path=rel,
        files=files,
        format=fmt,
        columns=dict(columns),
        sheet=spec.get("sheet"),
        encoding=spec.get("encoding"),
        skip_rows=skip,
        delimiter=spec.get("delimiter", ","),
        missing=tuple(missing) + tuple(extra_missing),
        values={k: dict(v) for k, v in values.items()},
        primary=bool(spec.get("primary", True)),
        coder=spec.get("coder"),
        on_unknown_interview=on_unknown,
        code_path_separator=spec.get("code_path_separator"),
        layout=layout,
        wide=dict(wide),
        date_format=spec.get("date_format"),
    )


def _source_table(manifest: Path, where: str, key: str, spec: Any) -> str:
    """The tidy table a source feeds (named by its key), after checking the entry holds only known settings."""
    if not isinstance(spec, dict):
        _fail(manifest, where, "must be a table")
    table = next((t for t in schema.TABLES if key == t or key.startswith(t + "_")), None)
    if table is None or table == "audit":
        _fail(
            manifest,
            where,
            "does not name a tidy table",
            key,
            hint=f"name it after the table it feeds ({', '.join(t for t in schema.TABLES if t != 'audit')}), "
            "with a suffix for a second file: [tables.segments_coder2]",
        )
    unknown = set(spec) - _SOURCE_KEYS
    if unknown:
        _fail(
            manifest,
            f"{where}.{sorted(unknown)[0]}",
            "is not a source setting",
            hint=f"settings: {', '.join(sorted(_SOURCE_KEYS))}",
        )
    return table


def _source_files(manifest: Path, folder: Path, where: str, rel: str) -> list[Path]:
    """The files a source's path names: every match of a glob pattern, or the one file, which must exist."""
    if any(ch in rel for ch in "*?["):
        files = [Path(p) for p in sorted(glob.glob(str(folder / rel)))]
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
    return [file]


def _check_columns(manifest: Path, where: str, table: str, columns: Any) -> None:
    """A table file's ``columns`` must map at least one column, each a column of the tidy table."""
    if not isinstance(columns, dict) or not columns:
        _fail(manifest, f"{where}.columns", 'must list every column used: tidy name = "column in the file"')
    known = set(schema.TABLES[table].names)
    for tidy in columns:
        if tidy not in known:
            _fail(
                manifest,
                f"{where}.columns.{tidy}",
                f"is not a column of the {table} table",
                hint=f"columns of {table}: {', '.join(schema.TABLES[table].names)}",
            )


def _source_options(manifest: Path, where: str, spec: dict[str, Any]) -> tuple[Any, ...]:
    """A source's optional settings, checked and with their defaults.

    Returns
    -------
    tuple
        ``(missing, values, on_unknown_interview, layout, wide, skip_rows)``.
    """
    extra_missing = spec.get("missing", [])
    if not isinstance(extra_missing, list):
        _fail(manifest, f"{where}.missing", "must be a list of strings", extra_missing)
    values = spec.get("values", {})
    if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
        _fail(manifest, f"{where}.values", 'must map columns to value tables: [tables.x.values.column] "raw" = value')
    on_unknown = spec.get("on_unknown_interview", "error")
    if on_unknown not in ("error", "drop"):
        _fail(manifest, f"{where}.on_unknown_interview", 'must be "error" or "drop"', on_unknown)
    layout = spec.get("layout", "long")
    if layout not in ("long", "wide"):
        _fail(manifest, f"{where}.layout", 'must be "long" or "wide"', layout)
    wide = spec.get("wide", {})
    if layout == "wide" and (not isinstance(wide, dict) or not {"names_to", "values_to", "columns"} <= set(wide)):
        _fail(manifest, f"{where}.wide", 'needs names_to, values_to and columns (value = "column in the file")')
    skip = spec.get("skip_rows", 0)
    if not isinstance(skip, int) or skip < 0:
        _fail(manifest, f"{where}.skip_rows", "must be a whole number >= 0", skip)
    return extra_missing, values, on_unknown, layout, wide, skip
