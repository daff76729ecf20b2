"""The tidy tables of a study: columns, dtypes, ID formats and vocabularies.

This module is the one place that defines the shape of leadlib's data. The
validation in :mod:`leadlib.tidy`, the empty tables the readers return for a
source that lacks a table, and the data dictionary in ``data/README.md``
(:func:`data_dictionary`) all come from it.

Vocabularies are ordered categoricals so that every notebook sorts settings,
roles and processes the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import LeadlibDataError

__all__ = [
    "Column",
    "Table",
    "TABLES",
    "VOCABULARIES",
    "SETTINGS",
    "ROLES",
    "LEADER_TYPES",
    "LEADER_LEVELS",
    "BETWEEN_LEVELS",
    "CODE_GROUPS",
    "PROCESSES",
    "PROCESS_LABELS",
    "CMAT_CHARACTERISTICS",
    "SUCCESS_CHARACTERISTICS",
    "AUDIT_ACTIONS",
    "empty",
    "label",
    "conform",
    "sort",
    "sort_order",
    "validate",
    "data_dictionary",
]

# --------------------------------------------------------------------------
# Vocabularies (ordered; the order is the order of display)

#: Kinds of clinical microsystem, in the order the reports show them.
SETTINGS = (
    "primary_care",
    "specialty_clinic",
    "inpatient_unit",
    "icu_nicu",
    "emergency_department",
    "home_health",
    "hospice",
    "long_term_care",
    "behavioral_health",
)

#: Informant roles. Synonyms and abbreviations ("RN", "Registered Nurse")
#: are mapped onto these by the manifest's ``[aliases.roles]``.
ROLES = (
    "medical_director",
    "physician",
    "nurse_manager",
    "nurse_practitioner",
    "nurse",
    "allied_health",
    "pharmacist",
    "social_worker",
    "clerical",
    "administrator",
    "other",
)

LEADER_TYPES = ("formal", "informal", "none")

#: Where a leader leads: within the microsystem (micro), between it and the
#: department or service line (meso), at the level of the organisation (macro).
LEADER_LEVELS = ("micro", "meso", "macro")

#: leadlib's code for leading *between* levels (Part 5: leaders lead at and between levels), applied on a passage
#: beside its process sub-code.
BETWEEN_LEVELS = "LV.between"

#: The three core processes of leading (Microsystems in Health Care, Part 5).
PROCESSES = ("building_knowledge", "taking_action", "reviewing_reflecting")

PROCESS_LABELS = {
    "building_knowledge": "Building knowledge",
    "taking_action": "Taking action",
    "reviewing_reflecting": "Reviewing and reflecting",
}

#: What a code of the codebook belongs to.
CODE_GROUPS = PROCESSES + ("success_characteristic", "other")

#: The nine success characteristics of Part 1 of the series.
SUCCESS_CHARACTERISTICS = (
    "leadership",
    "culture",
    "organizational_support",
    "patient_focus",
    "staff_focus",
    "interdependence",
    "information_technology",
    "process_improvement",
    "performance_patterns",
)

#: The ten characteristics the Clinical Microsystem Assessment Tool asks
#: staff to rate.
CMAT_CHARACTERISTICS = (
    "leadership",
    "organizational_support",
    "staff_focus",
    "education_training",
    "interdependence",
    "patient_focus",
    "community_market_focus",
    "performance_results",
    "process_improvement",
    "information_technology",
)

#: What a tidying step did to a row or a value.
AUDIT_ACTIONS = (
    "read",
    "decode",
    "rename",
    "strip",
    "missing",
    "recode",
    "merge",
    "date",
    "reshape",
    "infer",
    "drop",
    "note",
)

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "setting": SETTINGS,
    "role": ROLES,
    "leader_type": LEADER_TYPES,
    "leader_level": LEADER_LEVELS,
    "group": CODE_GROUPS,
    "process": PROCESSES,
    "characteristic": CMAT_CHARACTERISTICS,
    "action": AUDIT_ACTIONS,
}

#: Display labels of vocabulary values (the default is the value with spaces
#: and a capital). Tidying also accepts a label in place of its value.
_LABEL_OVERRIDES = {
    "reviewing_reflecting": "Reviewing and reflecting",
    "icu_nicu": "ICU / NICU",
    "community_market_focus": "Community and market focus",
    "information_technology": "Information and information technology",
    "education_training": "Education and training",
    "success_characteristic": "Success characteristic",
    "long_term_care": "Long-term care",
}


def label(value: str) -> str:
    """Display label of a vocabulary value: ``reviewing_reflecting`` -> "Reviewing and reflecting"."""
    if value in _LABEL_OVERRIDES:
        return _LABEL_OVERRIDES[value]
    return str(value).replace("_", " ").capitalize()


# An ID is a label a person can type: no surrounding whitespace, no control
# characters. Site IDs also have no commas (lists of sites are
# comma-separated on the command line) and are at most 64 characters. The
# bundled study uses S01, S01-I03 (informant; the interview has the same ID),
# BK.patients (code), SG000001 (segment).
ID_PATTERN = r"[^\s\x00-\x1f](?:[^\x00-\x1f]{0,510}[^\s\x00-\x1f])?"
SITE_ID_PATTERN = r"[^\s,\x00-\x1f](?:[^,\x00-\x1f]{0,62}[^\s,\x00-\x1f])?"


# --------------------------------------------------------------------------
# Table definitions


@dataclass(frozen=True)
class Column:
    """One column of a tidy table.

    ``kind`` is one of ``"id"``, ``"str"``, ``"category"``, ``"int"``,
    ``"float"``, ``"bool"``, ``"date"``. ``vocabulary`` names an entry of
    :data:`VOCABULARIES` for categories. ``references`` names ``table.column``
    that the values must appear in.
    """

    name: str
    kind: str
    description: str
    required: bool = True
    nullable: bool = False
    vocabulary: str | None = None
    references: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None  # for kind "id": regex the whole value must match

    @property
    def id_pattern(self) -> str:
        return self.pattern or ID_PATTERN

    @property
    def dtype(self):
        if self.kind in ("id", "str"):
            return pd.StringDtype(na_value=np.nan)
        if self.kind == "category":
            return pd.CategoricalDtype(VOCABULARIES[self.vocabulary], ordered=True)
        if self.kind == "int":
            return pd.Int64Dtype()
        if self.kind == "float":
            return np.dtype("float64")
        if self.kind == "bool":
            return np.dtype("bool")
        if self.kind == "date":
            return np.dtype("datetime64[s]")
        raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def dtype_label(self) -> str:
        if self.kind == "category":
            return "ordered category"
        return {
            "id": "ID (string)",
            "str": "string",
            "int": "integer",
            "float": "number",
            "bool": "true/false",
            "date": "date",
        }[self.kind]


@dataclass(frozen=True)
class Table:
    """A tidy table: what one row is, its columns, its key."""

    name: str
    one_row_per: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    extra_columns: bool = False  # may carry further columns (site attributes)
    optional: bool = False  # a study may leave it empty
    notes: str = ""
    order: tuple[str, ...] = ()  # how the tidy table is sorted (default: by its key)
    descending: tuple[str, ...] = ()  # columns of `order` sorted high to low

    @property
    def sort_by(self) -> tuple[str, ...]:
        return self.order or self.key

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


C = Column

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "sites",
            "microsystem (clinical unit) visited",
            (
                C(
                    "site_id",
                    "id",
                    "Stable site ID, e.g. S01 (no commas, at most 64 characters).",
                    pattern=SITE_ID_PATTERN,
                ),
                C("name", "str", "Name of the microsystem as the register spells it."),
                C("setting", "category", "Kind of microsystem.", nullable=True, vocabulary="setting"),
                C("organization", "str", "Organisation the microsystem belongs to.", required=False, nullable=True),
                C("region", "str", "Region of the country.", required=False, nullable=True),
                C("staff_fte", "float", "Staff, full-time equivalents.", required=False, nullable=True, minimum=0),
                C("annual_patients", "int", "Patients seen per year.", required=False, nullable=True, minimum=0),
                C("visit_date", "date", "First day of the site visit.", required=False, nullable=True),
            ),
            key=("site_id",),
            extra_columns=True,
            notes="Further columns (site attributes from a QDA project's Variables) are kept under their own names.",
        ),
        Table(
            "informants",
            "person interviewed",
            (
                C("informant_id", "id", "Stable informant ID, e.g. S01-I03."),
                C("site_id", "id", "Site the informant works in.", references="sites.site_id"),
                C("role", "category", "Job role, harmonised.", nullable=True, vocabulary="role"),
                C(
                    "leader_type",
                    "category",
                    "Formal leader (holds a leadership post), informal leader (leads without one), or none.",
                    nullable=True,
                    vocabulary="leader_type",
                ),
                C(
                    "leader_level",
                    "category",
                    "Where the informant leads: micro (in the unit), meso (between the unit and its department), "
                    "macro (organisation); empty for non-leaders.",
                    nullable=True,
                    vocabulary="leader_level",
                ),
            ),
            key=("informant_id",),
        ),
        Table(
            "interviews",
            "interview",
            (
                C("interview_id", "id", "Stable interview ID."),
                C("informant_id", "id", "Person interviewed.", references="informants.informant_id"),
                C("site_id", "id", "Site of the interview.", references="sites.site_id"),
                C("date", "date", "Date of the interview.", required=False, nullable=True),
                C("interviewer", "str", "Interviewer's initials or ID.", required=False, nullable=True),
                C(
                    "duration_min",
                    "float",
                    "Length of the interview in minutes.",
                    required=False,
                    nullable=True,
                    minimum=0,
                ),
                C(
                    "n_words",
                    "int",
                    "Words in the transcript (computed from the transcript when there is one).",
                    required=False,
                    nullable=True,
                    minimum=0,
                ),
            ),
            key=("interview_id",),
        ),
        Table(
            "transcripts",
            "interview transcript",
            (
                C("interview_id", "id", "Interview the text belongs to.", references="interviews.interview_id"),
                C("text", "str", "Full text; segment offsets count characters of this text."),
            ),
            key=("interview_id",),
            optional=True,
        ),
        Table(
            "codebook",
            "code",
            (
                C("code_id", "id", "Stable code ID, e.g. BK.patients."),
                C("label", "str", "Code name as the coders saw it."),
                C(
                    "group",
                    "category",
                    "Leadership process the code belongs to, success characteristic, or other.",
                    vocabulary="group",
                ),
                C(
                    "parent",
                    "id",
                    "code_id of the parent code; empty for a top-level code.",
                    nullable=True,
                    references="codebook.code_id",
                ),
                C("definition", "str", "When to apply the code.", required=False, nullable=True),
            ),
            key=("code_id",),
        ),
        Table(
            "segments",
            "coding: one code applied by one coder to one span of an interview",
            (
                C("segment_id", "id", "Stable ID of the coding."),
                C("interview_id", "id", "Interview coded.", references="interviews.interview_id"),
                C("code_id", "id", "Code applied.", references="codebook.code_id"),
                C("coder", "str", "Who applied the code."),
                C(
                    "primary",
                    "bool",
                    "True for the interview's primary coding, False for a second coder's (reliability) coding.",
                ),
                C(
                    "start",
                    "int",
                    "Start of the span, characters from the start of the transcript (0-based).",
                    minimum=0,
                ),
                C("end", "int", "End of the span, exclusive: transcript[start:end] == text.", minimum=0),
                C("text", "str", "The coded text."),
            ),
            key=("segment_id",),
            order=("primary", "interview_id", "coder", "start", "end", "code_id"),
            descending=("primary",),
            notes="Sorted with the primary coding first, then by interview, coder and position in the transcript "
            "(the order of the segment IDs).",
        ),
        Table(
            "survey",
            "rating of one characteristic by one staff member (CMAT)",
            (
                C("respondent_id", "id", "Anonymous respondent ID."),
                C("site_id", "id", "Site of the respondent.", references="sites.site_id"),
                C("characteristic", "category", "CMAT characteristic rated.", vocabulary="characteristic"),
                C(
                    "rating",
                    "int",
                    '1 (low), 2 (middle) or 3 (high) anchored description; empty for "can\'t rate".',
                    nullable=True,
                    minimum=1,
                    maximum=3,
                ),
            ),
            key=("respondent_id", "characteristic"),
            optional=True,
        ),
        Table(
            "measures",
            "site measure",
            (
                C("site_id", "id", "Site measured.", references="sites.site_id"),
                C("measure", "str", "Name of the measure, e.g. patient_experience."),
                C("value", "float", "Value of the measure.", nullable=True),
                C("higher_is_better", "bool", "Direction of the measure."),
            ),
            key=("site_id", "measure"),
            optional=True,
        ),
        Table(
            "audit",
            "tidying decision",
            (
                C("table", "str", "Tidy table the decision applies to."),
                C("source", "str", "Where: file and row(s) as a spreadsheet shows them."),
                C("column", "str", "Column (tidy name) the decision applies to; empty for a whole row.", nullable=True),
                C("action", "category", "What was done.", vocabulary="action"),
                C("before", "str", "Value before.", nullable=True),
                C("after", "str", "Value after.", nullable=True),
                C("n", "int", "How many values or rows the decision covers.", minimum=0),
                C("reason", "str", "Why."),
            ),
            optional=True,
        ),
    ]
}


# --------------------------------------------------------------------------
# Empty tables, dtype conformance, validation


def empty(name: str) -> pd.DataFrame:
    """An empty tidy table with every column and its dtype."""
    table = TABLES[name]
    return pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in table.columns})


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Order columns as the schema does and give each its schema dtype.

    Missing optional columns are added empty. Extra columns are kept (after
    the schema's) only where the table allows them. Values outside a
    vocabulary would become NaN in a categorical, so :func:`validate` must be
    called first on data from users; this function is for frames already
    checked or built by leadlib itself.
    """
    table = TABLES[name]
    out = {}
    for col in table.columns:
        if col.name in frame.columns:
            out[col.name] = _as_dtype(frame[col.name], col)
        elif col.kind == "bool":
            raise ValueError(f"{name}.{col.name} is missing and has no default")
        else:  # an optional column the source lacks: all missing
            out[col.name] = pd.Series(index=frame.index, dtype=col.dtype)
    if table.extra_columns:
        for extra in frame.columns:
            if extra not in out:
                out[extra] = frame[extra]
    result = pd.DataFrame(out, index=frame.index).reset_index(drop=True)
    return result


def sort_order(name: str, frame: pd.DataFrame) -> np.ndarray:
    """Positions that put a table's rows in its schema order (``Table.order``, else its key).

    A stable sort on the columns' codes (strings compared as Python compares
    them), so a caller can reorder a column it has not built yet (a reader
    building a million segment texts builds them in this order directly).
    """
    table = TABLES[name]
    by = [c for c in table.sort_by if c in frame.columns]
    if not by or frame.empty:
        return np.arange(len(frame))
    keys = []
    for c in reversed(by):  # np.lexsort: the last key is the primary one
        values = frame[c]
        if values.dtype.kind in "biuf" or str(values.dtype) in ("Int64", "boolean"):
            key = values.to_numpy(dtype=float, na_value=np.inf)
        else:
            key = pd.factorize(values, sort=True, use_na_sentinel=True)[0].astype(float)
            key[key < 0] = np.inf
        keys.append(-key if c in table.descending else key)
    return np.lexsort(keys)


def sort(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A tidy table in its schema order (``Table.order``, else its key), index reset."""
    order = sort_order(name, frame)
    if np.array_equal(order, np.arange(len(frame))):
        return frame.reset_index(drop=True)
    return frame.take(order).reset_index(drop=True)


def _as_dtype(series: pd.Series, col: Column) -> pd.Series:
    dtype = col.dtype
    if col.kind == "date":
        if isinstance(series.dtype, np.dtype) and series.dtype.kind == "M":
            return series.astype(dtype)
        return pd.to_datetime(series, errors="raise").astype(dtype)
    if col.kind == "bool":
        return series.astype(bool)
    if col.kind == "int":
        if series.dtype == object:
            series = pd.to_numeric(series)
        return series.astype(dtype)
    if col.kind == "category":
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        return series.astype(dtype)
    if col.kind in ("id", "str"):
        if isinstance(series.dtype, pd.StringDtype):
            return series.astype(dtype)
        return series.astype(object).where(series.notna(), None).astype(dtype)
    return series.astype(dtype)


@dataclass(frozen=True)
class _Origin:
    """Where the rows of a table being validated came from, to point an error message at the file, row and column.

    Parameters are those of :func:`validate` of the same names.
    """

    source: str | None
    rows: pd.Series | None
    raw_names: dict[str, str]
    sources: pd.Series | None
    raw_names_by_source: dict[str, dict[str, str]] | None

    def fail(self, problem: str, *, index=None, column=None, value=None, hint: str = "") -> None:
        """Raise :class:`LeadlibDataError` for the record at ``index`` (if any), naming the column as the file does."""
        row = None
        path, names = self.source, self.raw_names
        if index is not None and self.rows is not None:
            row = int(self.rows.loc[index])
        if index is not None and self.sources is not None:
            path = self.sources.loc[index]
            names = (self.raw_names_by_source or {}).get(path, self.raw_names)
        raise LeadlibDataError(
            problem,
            path=path,
            row=row,
            column=names.get(column, column) if column else None,
            value=value,
            hint=hint,
        )

    def fail_first(self, bad: pd.Series, col: Column, present: pd.Series, problem: str, hint: str) -> None:
        """Fail on the first record where ``bad`` is true, showing its value in ``present``; nothing if none is."""
        if bad.any():
            index = bad[bad].index[0]
            self.fail(problem, index=index, column=col.name, value=present.loc[index], hint=hint)


def validate(
    name: str,
    frame: pd.DataFrame,
    *,
    source: str | None = None,
    rows: pd.Series | None = None,
    raw_names: dict[str, str] | None = None,
    tables: dict[str, pd.DataFrame] | None = None,
    sources: pd.Series | None = None,
    raw_names_by_source: dict[str, dict[str, str]] | None = None,
    key_unique: bool = False,
) -> None:
    """Check a tidy table against the schema; raise :class:`LeadlibDataError`.

    Parameters
    ----------
    name
        Table name in :data:`TABLES`.
    frame
        The table, tidy column names.
    source
        File the rows came from, for the error message.
    rows
        Spreadsheet row of each record (same index as ``frame``), for the
        error message.
    raw_names
        Tidy column name -> column name in the file, for the message.
    tables
        Other tidy tables, to check ``references``.
    sources, raw_names_by_source
        For a table gathered from several files: the file of each record
        (same index as ``frame``), and each file's column names.
    key_unique
        The caller has proved that no two rows share the table's key (tidying
        builds segment IDs that are unique by construction, and says so only
        when they are): the duplicate-key check is skipped.
    """
    table = TABLES[name]
    origin = _Origin(source, rows, raw_names or {}, sources, raw_names_by_source)
    missing = [c for c in table.required if c not in frame.columns]
    if missing:
        origin.fail(
            f"the {name} table has no column {missing[0]!r}",
            hint="add the column to the file, or map it in the manifest: "
            f'[tables.{name}] columns = {{ {missing[0]} = "<column in your file>" }}',
        )
    for col in table.columns:
        if col.name in frame.columns:
            _check_column(table, col, frame[col.name], origin)
    if not key_unique:
        _check_key(table, frame, origin)
    if tables:
        _check_references(name, table, frame, tables, origin)


def _check_column(table: Table, col: Column, series: pd.Series, origin: _Origin) -> None:
    """Check one column: filled where it must be, and its values usable IDs, vocabulary values or numbers in range."""
    null = series.isna()
    any_null = bool(null.any())
    if not col.nullable and any_null:
        index = null[null].index[0]
        origin.fail(
            f"{col.name} is empty, and every {table.one_row_per} needs one",
            index=index,
            column=col.name,
            value="",
            hint="fill in the value, or drop the row from the source file if it should not be there",
        )
    present = series[~null] if any_null else series
    if not len(present):
        return
    if col.kind == "id":
        rule = "1-64 characters, no commas" if col.id_pattern == SITE_ID_PATTERN else "1-512 characters"
        origin.fail_first(
            ~_fullmatch(present, col.id_pattern),
            col,
            present,
            f"{col.name} is not a usable ID ({rule}, no line breaks, no surrounding spaces)",
            "rename the ID in the source file, or map it with an alias in the manifest",
        )
    if col.kind == "category":
        _check_vocabulary(col, present, origin)
    if col.kind in ("int", "float"):
        _check_numbers(col, present, origin)


def _check_vocabulary(col: Column, present: pd.Series, origin: _Origin) -> None:
    """Every (non-missing) value of a category column must be in its vocabulary."""
    values = present.astype(str)
    bad = ~values.isin(set(VOCABULARIES[col.vocabulary]))
    if bad.any():
        index = bad[bad].index[0]
        origin.fail(
            f"{values.loc[index]!r} is not a known {col.name}",
            index=index,
            column=col.name,
            value=present.loc[index],
            hint=f"known values: {', '.join(VOCABULARIES[col.vocabulary])}; "
            f"map synonyms with [aliases.{_alias_table(col.name)}] in the manifest",
        )


def _check_numbers(col: Column, present: pd.Series, origin: _Origin) -> None:
    """Every (non-missing) value of a numeric column must be a number, whole for an int, within its bounds."""
    numbers = pd.to_numeric(present, errors="coerce")
    origin.fail_first(
        numbers.isna(),
        col,
        present,
        f"{col.name} is not a number",
        "correct the value, or mark it missing (leave the cell blank)",
    )
    if col.kind == "int":
        origin.fail_first((numbers % 1) != 0, col, present, f"{col.name} must be a whole number", "correct the value")
    if col.minimum is not None:
        origin.fail_first(
            numbers < col.minimum, col, present, f"{col.name} is below {col.minimum:g}", "correct the value"
        )
    if col.maximum is not None:
        origin.fail_first(
            numbers > col.maximum, col, present, f"{col.name} is above {col.maximum:g}", "correct the value"
        )


def _check_key(table: Table, frame: pd.DataFrame, origin: _Origin) -> None:
    """No two rows may share a key."""
    if not table.key or not all(k in frame.columns for k in table.key):
        return
    dup = frame.duplicated(list(table.key), keep="first")
    if dup.any():
        index = dup[dup].index[0]
        key_value = tuple(frame.loc[index, k] for k in table.key)
        origin.fail(
            f"{'/'.join(table.key)} {key_value if len(key_value) > 1 else key_value[0]!r} "
            "appears twice with different contents",
            index=index,
            column=table.key[0],
            value=key_value[0] if len(key_value) == 1 else key_value,
            hint="keep one of the rows in the source file, or give the second its own ID",
        )


def _check_references(
    name: str, table: Table, frame: pd.DataFrame, tables: dict[str, pd.DataFrame], origin: _Origin
) -> None:
    """Every value of a column that references another table's column must appear there."""
    for col in table.columns:
        if not col.references or col.name not in frame.columns:
            continue
        ref_table, ref_col = col.references.split(".")
        other = frame if ref_table == name else tables.get(ref_table)
        if other is None or ref_col not in other.columns:
            continue
        values = frame[col.name]
        present = values.notna()
        bad = present & ~isin(values, other[ref_col].dropna())
        if bad.any():
            index = bad[bad].index[0]
            origin.fail(
                f"{col.name} {values.loc[index]!r} is not in the {ref_table} table",
                index=index,
                column=col.name,
                value=values.loc[index],
                hint=f"add it to the {ref_table} source, or map the spelling used here to an existing {ref_col} "
                "with an alias in the manifest",
            )


def isin(values: pd.Series, allowed) -> pd.Series:
    """``values.isin(allowed)`` for strings, in pyarrow (pandas' isin with a set of a million strings is slow)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(x):
        if isinstance(x, pd.Series) and isinstance(x.dtype, pd.StringDtype):
            return pa.array(x, type=pa.large_string())
        return pa.array(
            [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in x], type=pa.large_string()
        )

    found = pc.is_in(
        arrow(values),
        value_set=arrow(pd.Series(list(allowed), dtype=object) if not isinstance(allowed, pd.Series) else allowed),
    )
    return pd.Series(found.fill_null(False).to_numpy(zero_copy_only=False), index=values.index)


def _fullmatch(values: pd.Series, pattern: str) -> pd.Series:
    """Whole-value regex match, in C++ (pyarrow's RE2) for a million IDs."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = (
        pa.array(values.astype(str).to_numpy(dtype=object), type=pa.large_string())
        if not isinstance(values.dtype, pd.StringDtype)
        else pa.array(values, type=pa.large_string())
    )
    matched = pc.match_substring_regex(array, f"^(?:{pattern})$")
    return pd.Series(matched.to_numpy(zero_copy_only=False), index=values.index)


def _alias_table(column: str) -> str:
    return {
        "role": "roles",
        "setting": "settings",
        "group": "groups",
        "leader_type": "leader_types",
        "leader_level": "leader_levels",
        "characteristic": "characteristics",
    }.get(column, column + "s")


# --------------------------------------------------------------------------
# Data dictionary (written into data/README.md; a test checks it is current)

DICTIONARY_BEGIN = "<!-- data-dictionary:begin (generated by leadlib.schema.data_dictionary; do not edit by hand) -->"
DICTIONARY_END = "<!-- data-dictionary:end -->"


def data_dictionary() -> str:
    """The data dictionary as Markdown, generated from :data:`TABLES`."""
    lines: list[str] = [DICTIONARY_BEGIN, ""]
    for table in TABLES.values():
        lines.append(f"### `{table.name}`: one row per {table.one_row_per}")
        lines.append("")
        if table.key:
            lines.append(
                f"Key: {', '.join(f'`{k}`' for k in table.key)}." + (" May be empty." if table.optional else "")
            )
            lines.append("")
        lines.append("| column | type | required | may be empty | description |")
        lines.append("|---|---|---|---|---|")
        for col in table.columns:
            desc = col.description
            if col.vocabulary:
                desc += " Values: " + ", ".join(f"`{v}`" for v in VOCABULARIES[col.vocabulary]) + "."
            if col.references:
                desc += f" Must appear in `{col.references}`."
            lines.append(
                f"| `{col.name}` | {col.dtype_label} | {'yes' if col.required else 'no'} | "
                f"{'yes' if col.nullable else 'no'} | {desc} |"
            )
        if table.notes:
            lines.append("")
            lines.append(table.notes)
        lines.append("")
    lines.append(DICTIONARY_END)
    return "\n".join(lines)


def iter_vocab(name: str) -> Iterable[str]:
    return iter(VOCABULARIES[name])
