"""Tidying: from raw files as delivered to the validated tidy tables.

Two kinds of harmonisation happen here, and both are written to the audit:

* what needs no mapping: surrounding and doubled whitespace, missing-value
  markers ("N/A", "-", blank), Excel date serials, text encodings, letter case
  and spacing of vocabulary values ("Nurse Manager" -> ``nurse_manager``),
  site names used in place of site IDs, code paths used in place of code IDs,
  exact duplicate rows;
* what the manifest maps: column names, aliases of sites, roles, codes and
  other vocabularies, value tables, and what to do with rows that point at an
  interview the log does not have.

Anything else that does not fit the schema stops the load with a
:class:`~leadlib.errors.LeadlibDataError` naming the file, the row as a
spreadsheet shows it, the column, the value and what to do.

Work is done on the distinct values of a column wherever possible, so a
million coded segments with a few dozen distinct codes cost a few dozen
look-ups.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import schema
from .audit import Accounting, AuditLog, source_label
from .errors import LeadlibDataError
from .io._safe import DEFAULT_LIMITS, Limits
from .io.tables import clean_id, read_csv, read_text_files, read_xlsx
from .manifest import Manifest, SourceSpec
from .study import Study

__all__ = ["tidy_study", "normalise_label", "excel_serial_to_date", "segment_ids"]

ROW = "__row__"  # spreadsheet row of each record, carried through tidying
TEXT_COLUMNS = {"text", "definition"}  # kept verbatim (segment text must equal the transcript slice)
_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)  # serial 1 = 1900-01-01 on Excel's 1900 date system
_SERIAL_RANGE = (1, 2958465)  # Excel's valid serials: 1900-01-01 .. 9999-12-31
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}


def normalise_label(value: str) -> str:
    """Lower case, runs of non-alphanumerics to one underscore: "ICU / NICU" -> "icu_nicu"."""
    return re.sub(r"[^0-9a-z]+", "_", str(value).casefold()).strip("_")


def excel_serial_to_date(serial: float) -> _dt.datetime:
    """Excel 1900-system serial -> date (serials after 60 skip Excel's phantom 1900-02-29)."""
    serial = float(serial)
    if serial < 61:
        serial += 1  # before the phantom leap day Excel counts from 1899-12-31
    return _EXCEL_EPOCH + _dt.timedelta(days=int(serial))


@dataclass
class _Source:
    """A source being tidied: its spec, its frame (tidy names) and bookkeeping."""

    spec: SourceSpec
    label: str  # file name as the audit shows it
    frame: pd.DataFrame
    rows_read: int
    raw_names: dict[str, str]
    dropped: int = 0

    def rows(self, mask) -> list[int]:
        return self.frame.loc[mask, ROW].tolist()


@dataclass
class _Tidier:
    manifest: Manifest
    log: AuditLog = field(default_factory=AuditLog)
    accounting: Accounting = field(default_factory=Accounting)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    row_of: dict[str, pd.Series] = field(default_factory=dict)  # table -> spreadsheet rows
    source_of: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------------ reading
    def read(self, spec: SourceSpec) -> _Source:
        label = source_label(spec.file, self.manifest.folder)
        raw_names = dict(spec.columns)
        wanted = list(dict.fromkeys(raw_names.values()))
        if spec.layout == "wide":
            wanted += [c for c in spec.wide["columns"].values() if c not in wanted]
        if spec.format == "csv":
            raw = read_csv(
                spec.file,
                wanted,
                skip_rows=spec.skip_rows,
                delimiter=spec.delimiter,
                encoding=spec.encoding,
                root=self.manifest.folder,
                limits=_limits(self.manifest),
            )
        elif spec.format == "xlsx":
            raw = read_xlsx(
                spec.file,
                wanted,
                sheet=spec.sheet,
                skip_rows=spec.skip_rows,
                root=self.manifest.folder,
                limits=_limits(self.manifest),
                hidden_rows=getattr(spec, "hidden_rows", None) or "keep",
            )
        else:  # pragma: no cover - txt handled by transcripts()
            raise AssertionError(spec.format)
        if raw.encoding and raw.encoding != (spec.encoding or "utf-8"):
            self.log.add(
                spec.table,
                label,
                "decode",
                f"the file is not plain UTF-8; decoded as {raw.encoding}",
                before="utf-8",
                after=raw.encoding,
                n=1,
            )
        frame = pd.DataFrame({tidy: raw.frame[name] for tidy, name in raw_names.items()})
        if spec.layout == "wide":
            for tidy_value, name in spec.wide["columns"].items():
                frame[f"__wide__{tidy_value}"] = raw.frame[name]
        frame[ROW] = raw.rows
        table = schema.TABLES[spec.table]
        absent = [c for c in table.required if c not in raw_names and c not in _INFERRED.get(spec.table, ())]
        if absent:
            raise LeadlibDataError(
                f"the {spec.table} table has no column {absent[0]!r}",
                path=spec.file,
                hint=(
                    f'map it in the manifest: [tables.{spec.key}] columns = {{ {absent[0]} = "<column in your file>" }}'
                ),
            )
        if frame.empty and spec.table in _REQUIRED_TABLES:
            _refuse_empty(spec, blank=len(raw.blank_rows))
        renamed = [f"{name!r} -> {tidy}" for tidy, name in raw_names.items() if tidy != name]
        if renamed:
            self.log.add(
                spec.table,
                label,
                "rename",
                "column names mapped by the manifest",
                before=", ".join(name for tidy, name in raw_names.items() if tidy != name),
                after=", ".join(tidy for tidy, name in raw_names.items() if tidy != name),
                n=len(renamed),
            )
        rows_read = len(frame) + len(raw.blank_rows) + len(raw.dropped)
        source = _Source(spec=spec, label=label, frame=frame, rows_read=rows_read, raw_names=raw_names)
        if raw.blank_rows:
            self.log.drop(spec.table, label, raw.blank_rows, "blank row: every cell is empty")
            source.dropped += len(raw.blank_rows)
        for entry in raw.audit:  # what the reader decided (merged cells filled, hidden rows kept)
            self.log.add(spec.table, label, **entry)
        if raw.dropped:
            self.log.drop(spec.table, label, [r for r, _ in raw.dropped], [why for _, why in raw.dropped])
            source.dropped += len(raw.dropped)
        return source

    def fail(self, src: _Source, problem: str, *, index=None, column=None, value=None, hint="") -> None:
        row = int(src.frame.loc[index, ROW]) if index is not None else None
        raise LeadlibDataError(
            problem,
            path=src.spec.file,
            row=row,
            column=src.raw_names.get(column, column) if column else None,
            value=value,
            hint=hint,
        )

    def drop(
        self,
        src: _Source,
        mask: pd.Series,
        reasons: str | list[str],
        *,
        column: str | None = None,
        before: list | None = None,
    ) -> None:
        mask = mask.to_numpy() if isinstance(mask, pd.Series) else np.asarray(mask)
        if not mask.any():
            return
        rows = src.frame.loc[mask, ROW].tolist()
        self.log.drop(src.spec.table, src.label, rows, reasons, column=column, before=before)
        src.frame = src.frame.loc[~mask].reset_index(drop=True)
        src.dropped += len(rows)

    # ------------------------------------------------------------ cleaning values
    def clean(self, src: _Source) -> None:
        """Whitespace, missing markers, value tables; then each column by its kind."""
        table = schema.TABLES[src.spec.table]
        for name in list(src.frame.columns):
            if name == ROW or name.startswith("__wide__"):
                continue
            col = table.column(name)
            self.clean_column(src, col)

    def _strip_and_missing(self, src: _Source, name: str, *, table_name: str) -> pd.Series:
        """Strip whitespace, map missing markers and manifest values; audit each."""
        series = src.frame[name]
        if isinstance(series.dtype, pd.StringDtype):  # CSV: every value is text
            is_text = pd.Series(True, index=series.index)
            text = series
        else:  # XLSX: keep numbers and dates as they are, clean the text cells
            series = series.astype(object)
            is_text = series.map(lambda v: isinstance(v, str))
            text = series[is_text]
        codes, uniques = pd.factorize(text, use_na_sentinel=True)
        uniques = pd.Index(uniques).astype(object)
        cleaned = list(uniques)
        for i in _untidy_whitespace(cleaned):
            cleaned[i] = re.sub(r"\s+", " ", cleaned[i]).strip()
        changed = [i for i, (u, c) in enumerate(zip(uniques, cleaned)) if u != c]
        positions = np.flatnonzero(is_text.to_numpy())
        if changed:
            mask = np.isin(codes, changed)
            rows = src.frame[ROW].to_numpy()[positions[mask]]
            self.log.add(
                table_name,
                src.label,
                "strip",
                "surrounding or repeated whitespace removed",
                column=name,
                n=int(mask.sum()),
                rows=rows[:8].tolist() if len(rows) > 8 else rows.tolist(),
                before=repr(uniques[changed[0]]),
                after=repr(cleaned[changed[0]]),
            )
        missing = set(src.spec.missing)
        values_map = {str(k).strip(): v for k, v in src.spec.values.get(name, {}).items()}
        final: list[Any] = []
        for value in cleaned:
            if value in values_map:
                final.append(values_map[value])
            elif value in missing:
                final.append(None)
            else:
                final.append(value)
        for i, (value, out) in enumerate(zip(cleaned, final)):
            if value == out or (value in values_map and values_map[value] == value):
                continue
            mask = codes == i
            rows = src.frame[ROW].to_numpy()[positions[mask]]
            if value in values_map:
                self.log.add(
                    table_name,
                    src.label,
                    "recode",
                    f"value table [tables.{src.spec.key}.values.{name}] in the manifest",
                    column=name,
                    before=value,
                    after="" if out is None else out,
                    n=int(mask.sum()),
                    rows=rows.tolist(),
                )
            else:
                self.log.add(
                    table_name,
                    src.label,
                    "missing",
                    f"{value!r} marks a missing value",
                    column=name,
                    before=value,
                    after="",
                    n=int(mask.sum()),
                    rows=rows.tolist(),
                )
        if isinstance(series.dtype, pd.StringDtype) and all(v is None or isinstance(v, str) for v in final):
            if series.dtype == _STR and all(u == v for u, v in zip(uniques, final)):
                return series  # nothing changed: the column as it is (no copy of a million values)
            return _take(final, codes, series.index)
        result = np.empty(len(series), dtype=object)
        result[:] = None
        result[~is_text.to_numpy()] = series[~is_text].to_numpy()
        lookup = np.array(final + [None], dtype=object)
        result[positions] = lookup[codes]  # -1 sentinel -> None
        return pd.Series(result, index=series.index, dtype=object)

    def clean_column(self, src: _Source, col: schema.Column) -> None:
        name = col.name
        table_name = src.spec.table
        if name in TEXT_COLUMNS:
            series = src.frame[name]
            if series.dtype == object:
                series = series.map(lambda v: "" if v is None else str(v))
            if name == "definition":
                series = series.where(series.str.strip() != "", None)
            src.frame[name] = series
            return
        if col.kind in ("int", "float") and src.frame[name].dtype != object:
            src.frame[name] = self._numbers(src, col, src.frame[name])
            return
        values = self._strip_and_missing(src, name, table_name=table_name)
        if col.kind == "id":
            values = self._clean_ids(src, name, values)
        if col.kind in ("int", "float"):
            src.frame[name] = self._numbers(src, col, values)
        elif col.kind == "date":
            src.frame[name] = self._dates(src, col, values)
        elif col.kind == "bool":
            src.frame[name] = self._bools(src, col, values)
        elif col.kind == "category":
            src.frame[name] = self._vocabulary(src, col, values)
        elif not isinstance(values.dtype, pd.StringDtype):
            src.frame[name] = values.map(lambda v: v if v is None or isinstance(v, str) else _number_text(v))
        else:
            src.frame[name] = values

    def _numbers(self, src: _Source, col: schema.Column, values: pd.Series) -> pd.Series:
        if values.dtype.kind in "iuf":  # XLSX numbers
            numbers, bad = values.astype("float64"), pd.Series(False, index=values.index)
        elif isinstance(values.dtype, pd.StringDtype):  # CSV strings at scale: in pyarrow
            import pyarrow as pa
            import pyarrow.compute as pc

            arrow = pc.utf8_trim_whitespace(pa.array(values))
            missing_arrow = pc.is_in(arrow, value_set=pa.array(list(src.spec.missing), type=arrow.type))
            present = pc.if_else(missing_arrow, pa.scalar(None, type=arrow.type), arrow)
            try:
                numbers = pd.Series(
                    pc.cast(present, pa.int64() if col.kind == "int" else pa.float64()).to_numpy(zero_copy_only=False),
                    index=values.index,
                )
                # pyarrow reads "NaN" and "nan" as a float: text, not a number a spreadsheet holds
                bad = numbers.isna() & pd.Series(
                    pc.is_valid(present).to_numpy(zero_copy_only=False), index=values.index
                )
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                numbers = pd.to_numeric(pd.Series(present.to_pandas(), index=values.index), errors="coerce")
                bad = numbers.isna() & pd.Series(
                    pc.is_valid(present).to_numpy(zero_copy_only=False), index=values.index
                )
            missing = pd.Series(missing_arrow.to_numpy(zero_copy_only=False), index=values.index)
            text = pd.Series(arrow.to_pandas(), index=values.index) if missing.any() else None
            if missing.any():
                for marker, n in text[missing].value_counts(sort=False).items():
                    where = missing & (text == marker)
                    self.log.add(
                        src.spec.table,
                        src.label,
                        "missing",
                        f"{marker!r} marks a missing value",
                        column=col.name,
                        before=marker,
                        after="",
                        n=int(n),
                        rows=src.rows(where),
                    )
        else:
            numbers = pd.to_numeric(
                values.map(
                    lambda v: (
                        v
                        if not isinstance(v, str)
                        else v.replace(",", "")
                        if re.fullmatch(r"-?[\d,]+(\.\d+)?", v)
                        else v
                    )
                ),
                errors="coerce",
            )
            bad = numbers.isna() & values.notna()
        if bad.any():
            index = bad[bad].index[0]
            self.fail(
                src,
                f"{col.name} must be a number",
                index=index,
                column=col.name,
                value=src.frame.loc[index, col.name],
                hint=(
                    "correct the value in the file, or add the marker to `missing` in the manifest "
                    "if it means 'not known'"
                ),
            )
        self._refuse_unbounded(src, col, numbers)
        if col.kind == "int":
            frac = numbers.notna() & (numbers % 1 != 0)
            if frac.any():
                index = frac[frac].index[0]
                self.fail(
                    src,
                    f"{col.name} must be a whole number",
                    index=index,
                    column=col.name,
                    value=src.frame.loc[index, col.name],
                    hint="correct the value in the file",
                )
            return numbers.astype("Int64")
        return numbers.astype("float64")

    def _clean_ids(self, src: _Source, name: str, values: pd.Series) -> pd.Series:
        """IDs as compared: invisible characters removed, Unicode NFC (:func:`~leadlib.io.tables.clean_id`); audited."""
        mapping = _id_changes(values)
        for before, (after, why) in mapping.items():
            where = (values == before).fillna(False).to_numpy(dtype=bool)
            self.log.add(
                src.spec.table,
                src.label,
                "strip",
                why,
                column=name,
                before=repr(before),
                after=repr(after),
                n=int(where.sum()),
                rows=src.rows(where),
            )
        return values.replace({k: v for k, (v, _) in mapping.items()}) if mapping else values

    def _refuse_unbounded(self, src: _Source, col: schema.Column, numbers: pd.Series) -> None:
        """Infinity (``inf``, ``1e999``) and whole numbers beyond 64 bits: an error naming the cell."""
        as_float = numbers.astype("float64")
        problems = [(np.isinf(as_float), "is infinite, or beyond the largest number a spreadsheet holds")]
        if col.kind == "int":
            problems.append((as_float.abs() >= 2.0**63, "is beyond the whole numbers leadlib keeps (64 bits)"))
        for mask, problem in problems:
            if mask.any():
                index = mask[mask].index[0]
                self.fail(
                    src,
                    f"{col.name} {problem}",
                    index=index,
                    column=col.name,
                    value=src.frame.loc[index, col.name],
                    hint="correct the value in the file, or add the marker to `missing` in the manifest "
                    "if it means 'not known'",
                )

    def _dates(self, src: _Source, col: schema.Column, values: pd.Series) -> pd.Series:
        fmt = src.spec.date_format
        codes, uniques = pd.factorize(
            values.map(lambda v: ("dt", v) if isinstance(v, (_dt.date, _dt.datetime)) else v), use_na_sentinel=True
        )
        parsed, serial = [], []
        for i, value in enumerate(uniques):
            value = value[1] if isinstance(value, tuple) else value
            when, was_serial = self._parse_date(value, fmt)
            if when is None:
                index = values.index[int(np.flatnonzero(codes == i)[0])]
                self.fail(
                    src,
                    f"{col.name} is not a date leadlib can read",
                    index=index,
                    column=col.name,
                    value=value,
                    hint="write dates as YYYY-MM-DD (or set `date_format` for this table in the manifest, "
                    'e.g. "%d/%m/%Y")',
                )
            parsed.append(when)
            serial.append(was_serial)
        lookup = pd.DatetimeIndex(parsed + [pd.NaT]).as_unit("s").to_numpy()
        out = pd.Series(lookup[codes], index=values.index)
        serial_codes = [i for i, was in enumerate(serial) if was]
        if serial_codes:
            mask = np.isin(codes, serial_codes)
            first = int(np.flatnonzero(mask)[0])
            value = uniques[codes[first]]
            self.log.add(
                src.spec.table,
                src.label,
                "date",
                "Excel date serial number converted to a date (1900 date system)",
                column=col.name,
                n=int(mask.sum()),
                rows=src.frame[ROW].to_numpy()[mask].tolist(),
                before=_number_text(value),
                after=parsed[codes[first]].strftime("%Y-%m-%d"),
            )
        return out

    @staticmethod
    def _parse_date(value, fmt):
        if isinstance(value, _dt.datetime):
            return pd.Timestamp(value).floor("D"), False
        if isinstance(value, _dt.date):
            return pd.Timestamp(value), False
        if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
            if _SERIAL_RANGE[0] <= float(value) <= _SERIAL_RANGE[1] and float(value) == int(value):
                return pd.Timestamp(excel_serial_to_date(value)), True
            return None, False
        text = str(value)
        if re.fullmatch(r"\d{5}(\.0+)?", text):
            return pd.Timestamp(excel_serial_to_date(float(text))), True
        try:
            if fmt:
                return pd.Timestamp(_dt.datetime.strptime(text, fmt)), False
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?", text):
                return pd.Timestamp(text).floor("D"), False
        except ValueError:
            return None, False
        return None, False

    def _bools(self, src: _Source, col: schema.Column, values: pd.Series) -> pd.Series:
        def parse(v):
            if isinstance(v, (bool, np.bool_)):
                return bool(v)
            if v is None:
                return None
            t = str(v).casefold()
            if t in _TRUE:
                return True
            if t in _FALSE:
                return False
            return "bad"

        parsed = values.map(parse)
        bad = parsed.map(lambda v: v == "bad" if isinstance(v, str) else False)
        if bad.any():
            index = bad[bad].index[0]
            self.fail(
                src,
                f"{col.name} must be true or false",
                index=index,
                column=col.name,
                value=values.loc[index],
                hint=f"map the file's values in the manifest: [tables.{src.spec.key}.values.{col.name}] "
                f'"{values.loc[index]}" = true',
            )
        if parsed.isna().any() and not col.nullable:
            index = parsed[parsed.isna()].index[0]
            self.fail(
                src,
                f"{col.name} is empty",
                index=index,
                column=col.name,
                value="",
                hint="fill it in, or map the file's values in the manifest",
            )
        return parsed

    def _map_values(self, src: _Source, column: str, values: pd.Series, resolve) -> pd.Series:
        """Map each distinct value through ``resolve(value, first_index)``; audit every change.

        ``resolve`` returns ``(target, reason)`` or ``None`` (keep the value);
        ``first_index()`` gives the index of the value's first row, for errors.
        """
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        uniques = list(pd.Index(uniques).astype(object))
        targets = list(uniques)
        changes: dict[int, str] = {}
        for i, value in enumerate(uniques):
            result = resolve(value, lambda i=i: values.index[int(np.flatnonzero(codes == i)[0])])
            if result is not None and result[0] != value:
                targets[i], changes[i] = result
        if not changes:
            return values
        order = np.argsort(codes, kind="stable")
        sorted_codes = codes[order]
        rows_all = src.frame[ROW].to_numpy()
        for i, reason in changes.items():
            lo, hi = np.searchsorted(sorted_codes, [i, i + 1])
            self.log.add(
                src.spec.table,
                src.label,
                "recode",
                reason,
                column=column,
                before=uniques[i],
                after=targets[i],
                n=int(hi - lo),
                rows=rows_all[order[lo:hi]].tolist(),
            )
        if all(t is None or isinstance(t, str) for t in targets):
            return _take(targets, codes, values.index)
        mapped = np.array(targets + [None], dtype=object)[codes]
        return pd.Series(mapped, index=values.index, dtype=object)

    def _vocabulary(self, src: _Source, col: schema.Column, values: pd.Series) -> pd.Series:
        vocab = schema.VOCABULARIES[col.vocabulary]
        kind = next((k for k, c in _ALIAS_COLUMNS.items() if c == col.name), None)
        aliases = {normalise_label(k): v for k, v in self.manifest.aliases.get(kind, {}).items()} if kind else {}
        by_norm = {normalise_label(schema.label(v)): v for v in vocab}
        by_norm.update({normalise_label(v): v for v in vocab})

        def resolve(value, first_index):
            if value in vocab:
                return None
            norm = normalise_label(value)
            if norm in aliases:
                target = aliases[norm]
                if target not in vocab:
                    raise LeadlibDataError(
                        f"alias {value!r} = {target!r} maps to an unknown {col.name}",
                        path=self.manifest.path,
                        value=target,
                        hint=f"known values: {', '.join(vocab)}",
                    )
                return target, f"alias in the manifest ([aliases.{kind}])"
            if norm in by_norm:
                return by_norm[norm], "matches a known value or its label, ignoring case, spaces and punctuation"
            self.fail(
                src,
                f"{value!r} is not a known {col.name}",
                index=first_index(),
                column=col.name,
                value=value,
                hint=f"known values: {', '.join(vocab)}; map this spelling in the manifest: "
                f'[aliases.{kind or col.name}] "{value}" = "<one of them>"',
            )

        return self._map_values(src, col.name, values, resolve)

    # ------------------------------------------------------------ references
    def resolve_sites(self, src: _Source, column: str = "site_id") -> None:
        """Site IDs, or site names in their place, to the register's site IDs."""
        sites = self.tables["sites"]
        ids = set(sites["site_id"])
        by_id_fold = {s.casefold(): s for s in ids}
        by_name: dict[str, list[str]] = {}
        for sid, name in zip(sites["site_id"], sites["name"]):
            by_name.setdefault(re.sub(r"\s+", " ", str(name)).strip().casefold(), []).append(sid)
        aliases = {
            re.sub(r"\s+", " ", k).strip().casefold(): v for k, v in self.manifest.aliases.get("sites", {}).items()
        }

        def resolve(value, first_index):
            if value in ids:
                return None
            fold = value.casefold()
            if fold in aliases:
                target = aliases[fold]
                if target not in ids:
                    raise LeadlibDataError(
                        f"site alias {value!r} = {target!r} names a site_id the site register does not have",
                        path=self.manifest.path,
                        value=target,
                        hint="use a site_id of the register on the right-hand side",
                    )
                return target, "alias in the manifest ([aliases.sites])"
            if fold in by_id_fold:
                return by_id_fold[fold], "matches a site ID, ignoring case"
            if fold in by_name and len(by_name[fold]) == 1:
                return by_name[fold][0], "site name (as in the site register) replaced by its site ID"
            hint = (
                "add it to the site register, or map this spelling to a site ID in the manifest: "
                f'[aliases.sites] "{value}" = "S.."'
            )
            if fold in by_name:
                hint = f"two sites of the register have this name ({', '.join(by_name[fold])}); use the site ID"
            self.fail(
                src,
                f"site {value!r} is not in the site register",
                index=first_index(),
                column=column,
                value=value,
                hint=hint,
            )

        src.frame[column] = self._map_values(src, column, src.frame[column], resolve)

    def resolve_codes(self, src: _Source) -> None:
        """Code IDs, or code labels / label paths in their place, to code IDs."""
        book = self.tables["codebook"]
        ids = set(book["code_id"])
        label = dict(zip(book["code_id"], book["label"]))
        parent = dict(zip(book["code_id"], book["parent"]))

        def path(code):
            parts, seen = [], set()
            while isinstance(code, str) and code not in seen:
                seen.add(code)
                parts.append(label[code])
                code = parent.get(code)
            return parts[::-1]

        def norm_parts(parts):
            return tuple(re.sub(r"\s+", " ", p).strip().casefold() for p in parts)

        by_path = {norm_parts(path(c)): c for c in ids}
        leaf: dict[str, list[str]] = {}
        for c in ids:
            leaf.setdefault(re.sub(r"\s+", " ", label[c]).strip().casefold(), []).append(c)
        sep = src.spec.code_path_separator
        aliases = {
            re.sub(r"\s+", " ", k).strip().casefold(): v for k, v in self.manifest.aliases.get("codes", {}).items()
        }

        def resolve(value, first_index):
            if value in ids:
                return None
            fold = value.casefold()
            parts = norm_parts(value.split(sep)) if sep else (fold,)
            if fold in aliases or (sep and sep.join(parts) in aliases):
                target = aliases.get(fold) or aliases[sep.join(parts)]
                if target not in ids:
                    raise LeadlibDataError(
                        f"code alias {value!r} = {target!r} names a code_id the codebook does not have",
                        path=self.manifest.path,
                        value=target,
                        hint="use a code_id of the codebook on the right-hand side",
                    )
                return target, (
                    "alias in the manifest ([aliases.codes]): a code renamed between codebook "
                    "versions, or an export's spelling"
                )
            if parts in by_path:
                return by_path[parts], "code path of the export matched to the codebook's labels"
            if len(leaf.get(parts[-1], [])) == 1 and (not sep or len(parts) == 1):
                return leaf[parts[-1]][0], "code label matched to the codebook"
            self.fail(
                src,
                f"code {value!r} is not in the codebook",
                index=first_index(),
                column="code_id",
                value=value,
                hint="add the code to the codebook, or map the export's name to a code_id in the manifest: "
                f'[aliases.codes] "{value}" = "<code_id>"',
            )

        src.frame["code_id"] = self._map_values(src, "code_id", src.frame["code_id"], resolve)

    def unknown_interviews(self, src: _Source, what: str, known: set | None = None, *, drop: bool = True) -> pd.Series:
        """Rows pointing at an interview the log does not have: an error, or (if the manifest says so) dropped.

        With ``drop=False`` the rows are returned for the caller to drop.
        """
        known = self.tables["interviews"]["interview_id"] if known is None else known
        values = src.frame["interview_id"]
        unknown = ~schema.isin(values, known)
        if not unknown.any():
            return unknown
        if src.spec.on_unknown_interview != "drop":
            index = unknown[unknown].index[0]
            self.fail(
                src,
                f"{what} points at interview {values.loc[index]!r}, which is not in the interview log",
                index=index,
                column="interview_id",
                value=values.loc[index],
                hint="add the interview to the log, correct the name, or set "
                f'on_unknown_interview = "drop" under [tables.{src.spec.key}] to leave such rows out '
                "(each is audited)",
            )
        if drop:
            reasons = [
                f"interview {v!r} is not in the interview log; the manifest says "
                f'on_unknown_interview = "drop" for [tables.{src.spec.key}]'
                for v in values[unknown]
            ]
            self.drop(src, unknown, reasons, column="interview_id", before=values[unknown].tolist())
        return unknown

    # ------------------------------------------------------------ duplicates
    def exact_duplicates(self, src: _Source, columns: list[str]) -> None:
        frame = src.frame
        dup = frame.duplicated(columns, keep="first")
        if not dup.any():
            return
        firsts = frame.groupby(columns, sort=False, dropna=False)[ROW].transform("first")
        reasons = [f"exact duplicate of row {int(r)}" for r in firsts[dup]]
        self.drop(src, dup, reasons)

    def conflicting_keys(self, src: _Source, key: list[str], what: str) -> None:
        frame = src.frame
        dup = frame.duplicated(key, keep=False)
        if not dup.any():
            return
        sub = frame.loc[dup]
        for _, group in sub.groupby(key, sort=False):
            first = group.iloc[0]
            for _, other in group.iloc[1:].iterrows():
                for col in frame.columns:
                    if col == ROW or col in key:
                        continue
                    a, b = first[col], other[col]
                    if not (_same(a, b)):
                        raise LeadlibDataError(
                            f"{what} {', '.join(str(first[k]) for k in key)!r} appears at rows {int(first[ROW])} and "
                            f"{int(other[ROW])} with different {col} ({a!r} and {b!r})",
                            path=src.spec.file,
                            row=int(other[ROW]),
                            column=src.raw_names.get(col, col),
                            value=b,
                            hint="correct one of the rows so they agree, or give them different IDs",
                        )

    def merge_same(self, src: _Source, key: list[str], what: str) -> None:
        """Rows describing the same thing twice (e.g. an informant with two interviews) merge into one."""
        self.conflicting_keys(src, key, what)
        dup = src.frame.duplicated(key, keep="first")
        if dup.any():
            firsts = src.frame.groupby(key, sort=False)[ROW].transform("first")
            reasons = [f"same {what} as row {int(r)}; merged into it" for r in firsts[dup]]
            self.drop(src, dup, reasons)

    # ------------------------------------------------------------ finishing
    def finish(self, src: _Source, name: str | None = None) -> pd.DataFrame:
        name = name or src.spec.table
        frame = src.frame
        rows = frame[ROW]
        schema.validate(
            name,
            frame.drop(columns=[ROW]),
            source=str(src.spec.file),
            rows=rows,
            raw_names=src.raw_names,
            tables=self.tables,
        )
        self.accounting.add(src.label, name, src.rows_read, len(frame), src.dropped)
        return frame


#: Columns tidying fills itself when the file does not have them.
_INFERRED = {
    "interviews": ("site_id",),
    "segments": ("coder", "primary", "segment_id"),
    "survey": ("characteristic", "rating"),
}

#: Tables every study needs: a file feeding one of them must hold at least one row.
_REQUIRED_TABLES = ("sites", "informants", "interviews", "codebook", "segments")


def _refuse_empty(spec: SourceSpec, *, blank: int) -> None:
    """A file of a required table with a header and no rows (or only blank ones) is an error naming it."""
    what = "codes" if spec.table == "codebook" else "rows"
    raise LeadlibDataError(
        f"the {spec.table} file has a header but no {what}"
        + (f" ({blank} blank row{'s' if blank != 1 else ''} under it)" if blank else ""),
        path=spec.file,
        row=spec.skip_rows + 1,
        hint=f"export the file again with its {what}, or point [tables.{spec.key}] path at the file that holds them",
    )


def _parent_cycle(parent: dict[str, str]) -> list[str] | None:
    """The first cycle of a code -> parent mapping, as ``[A, B, A]``; None when the parents form a tree."""
    done: set[str] = set()
    for start in parent:
        path: list[str] = []
        position: dict[str, int] = {}
        code = start
        while code in parent and code not in done and code not in position:
            position[code] = len(path)
            path.append(code)
            code = parent[code]
        if code in position:
            return path[position[code] :] + [code]
        done.update(path)
    return None


def _refuse_parent_cycle(t: _Tidier, src: _Source) -> None:
    """A codebook whose parents loop back (A's parent is B, B's is A) is an error naming the codes of the loop."""
    if "parent" not in src.frame.columns:
        return
    parent = {c: p for c, p in zip(src.frame["code_id"], src.frame["parent"]) if isinstance(p, str)}
    cycle = _parent_cycle(parent)
    if cycle:
        t.fail(
            src,
            f"parent cycle: {' -> '.join(cycle)} (the codebook's parents loop back instead of reaching a top code)",
            index=src.frame.index[src.frame["code_id"] == cycle[0]][0],
            column="parent",
            value=parent[cycle[0]],
            hint="a code's parent is a broader code: give the top code of this chain an empty parent",
        )


_ALIAS_COLUMNS = {
    "roles": "role",
    "settings": "setting",
    "leader_types": "leader_type",
    "leader_levels": "leader_level",
    "characteristics": "characteristic",
    "groups": "group",
}


_STR = pd.StringDtype(na_value=np.nan)


def _id_changes(values: pd.Series) -> dict[str, tuple[str, str]]:
    """``{value: (cleaned, why)}`` for the distinct text values that :func:`clean_id` changes.

    Printable ASCII (most IDs) has no invisible character and is its own NFC:
    only the other values go through :func:`clean_id`.
    """
    out = {}
    if isinstance(values.dtype, pd.StringDtype) and hasattr(values.array, "__arrow_array__"):
        import pyarrow.compute as pc

        # Arrow finds the values with a character outside printable ASCII (a pass in C++, no hashing)
        beyond = pc.match_substring_regex(values.array.__arrow_array__(), "[^\\x20-\\x7e]")
        beyond = beyond.fill_null(False).to_numpy(zero_copy_only=False)
        if not beyond.any():
            return out
        values = values[beyond]
    for value in pd.unique(values.dropna()):
        if isinstance(value, str) and not (value.isascii() and value.isprintable()):
            cleaned, why = clean_id(value)
            if why:
                out[value] = (cleaned, why)
    return out


#: Every character Python's ``\s`` matches in a text (``str.isspace``), and those other than the space.
_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_UNTIDY = re.compile(f"^[{_SPACES}]|[{_SPACES}]$|[{_SPACES}][{_SPACES}]|[{_SPACES.replace(' ', '')}]")


def _untidy_whitespace(values: list) -> list[int]:
    """Positions of the texts that ``re.sub(r"\\s+", " ", v).strip()`` would change: whitespace at either end,
    two in a row, or any whitespace but the space (found in C++ by Arrow's RE2 for many values)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(values) < 256:
        return [i for i, v in enumerate(values) if _UNTIDY.search(v)]
    pattern = "^[{0}]|[{0}]$|[{0}][{0}]|[{1}]".format(
        *("".join(f"\\x{{{ord(c):04x}}}" for c in chars) for chars in (_SPACES, _SPACES.replace(" ", "")))
    )
    try:
        found = pc.match_substring_regex(pa.array(values, type=pa.large_string()), pattern)
    except (pa.ArrowException, UnicodeError):  # a text Arrow cannot hold (a lone surrogate): Python decides
        return [i for i, v in enumerate(values) if _UNTIDY.search(v)]
    return np.flatnonzero(found.to_numpy(zero_copy_only=False)).tolist()


def _limits(manifest: Manifest) -> Limits:
    """The caps on the study's files: the manifest's, when it declares them, else the defaults."""
    return getattr(manifest, "limits", None) or DEFAULT_LIMITS


def _take(values: list, codes: np.ndarray, index) -> pd.Series:
    """A string column from distinct values and codes (-1 = missing), built in pyarrow."""
    import pyarrow as pa

    lookup = pa.array(list(values) + [None], type=pa.large_string())
    positions = np.where(codes < 0, len(values), codes)
    return pd.Series(lookup.take(pa.array(positions)), dtype=_STR, index=index)


def _same(a, b) -> bool:
    if a is None or (isinstance(a, float) and np.isnan(a)) or a is pd.NaT or a is pd.NA:
        return b is None or (isinstance(b, float) and np.isnan(b)) or b is pd.NaT or b is pd.NA
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _number_text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.isoformat()
    return str(v)


# ---------------------------------------------------------------------- tables


def tidy_study(manifest: Manifest) -> Study:
    """Read every source of a manifest and return the validated :class:`Study`."""
    t = _Tidier(manifest)
    _sites(t)
    _codebook(t)
    _informants(t)
    _interviews(t)
    _transcripts(t)
    _segments(t)
    _survey(t)
    _measures(t)
    study = Study(
        sites=_final("sites", t.tables["sites"]),
        informants=_final("informants", t.tables["informants"]),
        interviews=_final("interviews", t.tables["interviews"]),
        transcripts=_final("transcripts", t.tables.get("transcripts")),
        codebook=_final("codebook", t.tables["codebook"]),
        segments=_final("segments", t.tables["segments"], sort=False),  # already in order
        survey=_final("survey", t.tables.get("survey")),
        measures=_final("measures", t.tables.get("measures")),
        audit=t.log.frame(),
        name=manifest.name,
        synthetic=manifest.synthetic,
        path=manifest.folder,
        accounting_table=t.accounting.frame(),
        metadata={"description": manifest.description, "manifest": str(manifest.path)},
    )
    return study


def _final(name: str, frame: pd.DataFrame | None, *, sort: bool = True) -> pd.DataFrame:
    if frame is None:
        return schema.empty(name)
    frame = frame.drop(columns=[c for c in frame.columns if c == ROW or c.startswith("__")], errors="ignore")
    out = schema.conform(name, frame)
    return schema.sort(name, out) if sort else out


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if p is not None]
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)


def _sites(t: _Tidier) -> None:
    parts = []
    for spec in t.manifest.sources_for("sites"):
        src = t.read(spec)
        t.clean(src)
        t.exact_duplicates(src, [c for c in src.frame.columns if c != ROW])
        t.conflicting_keys(src, ["site_id"], "site_id")
        parts.append(t.finish(src))
    t.tables["sites"] = _concat(parts)
    names = t.tables["sites"]["name"]
    if names.duplicated().any():
        dup = names[names.duplicated()].iloc[0]
        t.log.add(
            "sites",
            "sites",
            "note",
            "two sites share a name; refer to them by site ID in other files",
            before=dup,
            n=int((names == dup).sum()),
        )


def _codebook(t: _Tidier) -> None:
    parts = []
    for spec in t.manifest.sources_for("codebook"):
        src = t.read(spec)
        t.clean(src)
        if "group" in src.frame.columns:
            empty = src.frame["group"].isna()
            if empty.any():
                t.log.add(
                    "codebook",
                    src.label,
                    "infer",
                    "a code with no group is filed under 'other'",
                    column="group",
                    before="",
                    after="other",
                    n=int(empty.sum()),
                    rows=src.rows(empty),
                )
                src.frame["group"] = src.frame["group"].where(~empty, "other")
        t.exact_duplicates(src, [c for c in src.frame.columns if c != ROW])
        t.conflicting_keys(src, ["code_id"], "code_id")
        _refuse_parent_cycle(t, src)
        t.tables["codebook"] = src.frame  # parents may refer to codes of this file
        parts.append(t.finish(src))
    t.tables["codebook"] = _concat(parts)


def _informants(t: _Tidier) -> None:
    parts = []
    for spec in t.manifest.sources_for("informants"):
        src = t.read(spec)
        t.clean(src)
        t.resolve_sites(src)
        t.merge_same(src, ["informant_id"], "informant")
        parts.append(t.finish(src))
    t.tables["informants"] = _concat(parts)


def _interviews(t: _Tidier) -> None:
    parts = []
    informant_site = dict(zip(t.tables["informants"]["informant_id"], t.tables["informants"]["site_id"]))
    for spec in t.manifest.sources_for("interviews"):
        src = t.read(spec)
        t.clean(src)
        if "site_id" in src.frame.columns:
            t.resolve_sites(src)
        else:
            src.frame["site_id"] = src.frame["informant_id"].map(informant_site)
            t.log.add(
                "interviews",
                src.label,
                "infer",
                "site of each interview taken from its informant",
                column="site_id",
                n=len(src.frame),
            )
        t.exact_duplicates(src, [c for c in src.frame.columns if c != ROW])
        t.conflicting_keys(src, ["interview_id"], "interview_id")
        # An interview's site must be its informant's site.
        expected = src.frame["informant_id"].map(informant_site)
        clash = expected.notna() & (expected != src.frame["site_id"])
        if clash.any():
            index = clash[clash].index[0]
            t.fail(
                src,
                f"the interview's site {src.frame.loc[index, 'site_id']!r} is not its informant's site "
                f"{expected.loc[index]!r}",
                index=index,
                column="site_id",
                value=src.frame.loc[index, "site_id"],
                hint="correct the site or the informant of this interview",
            )
        src.frame["n_words"] = pd.array([pd.NA] * len(src.frame), dtype="Int64")
        parts.append(t.finish(src))
    t.tables["interviews"] = _concat(parts)


def _transcripts(t: _Tidier) -> None:
    specs = t.manifest.sources_for("transcripts")
    if not specs:
        return
    parts = []
    for spec in specs:
        folder_label = source_label(spec.path, None)
        frame, decoded = read_text_files(
            spec.files, encoding=spec.encoding, root=t.manifest.folder, limits=_limits(t.manifest)
        )
        for path, enc in decoded:
            t.log.add(
                "transcripts",
                source_label(path, t.manifest.folder),
                "decode",
                f"not UTF-8; decoded as {enc}" if enc != "utf-8-sig" else "UTF-8 with a byte-order mark; mark removed",
                before=spec.encoding or "utf-8",
                after=enc,
            )
        stems = frame["stem"].str.strip()
        for before, (after, why) in _id_changes(stems).items():  # file names as IDs are compared
            t.log.add(
                "transcripts", folder_label, "strip", why, column="interview_id", before=repr(before), after=repr(after)
            )
            stems = stems.replace({before: after})
        if (stems != frame["stem"]).any():
            bad = frame.loc[stems != frame["stem"], "file"].tolist()
            t.log.add(
                "transcripts",
                folder_label,
                "strip",
                "surrounding whitespace in file names removed",
                column="interview_id",
                n=len(bad),
                before=bad[0],
            )
        src = _Source(
            spec=spec,
            label=folder_label,
            frame=pd.DataFrame(
                {
                    "interview_id": stems,
                    "text": frame["text"],
                    "n_words": frame["n_words"],
                    ROW: np.arange(1, len(frame) + 1),
                    "__file__": frame["file"],
                }
            ),
            rows_read=len(frame),
            raw_names={"interview_id": "file name", "text": "file contents"},
        )
        unknown = ~schema.isin(src.frame["interview_id"], t.tables["interviews"]["interview_id"]).to_numpy()
        if unknown.any():
            left_out = src.frame.loc[unknown, ["interview_id", "__file__"]]  # not the text: no copy of it
            if spec.on_unknown_interview == "drop":
                for interview, file in zip(left_out["interview_id"], left_out["__file__"]):
                    t.log.add(
                        "transcripts",
                        source_label(spec.files[0].parent / file, t.manifest.folder),
                        "drop",
                        f"interview {interview!r} is not in the interview log; the manifest says "
                        f'on_unknown_interview = "drop" for [tables.{spec.key}]',
                        column="interview_id",
                        before=interview,
                    )
                src.frame = _filter_rows(src.frame, ~unknown)
                src.dropped += int(unknown.sum())
            else:
                r = left_out.iloc[0]
                raise LeadlibDataError(
                    f"transcript of interview {r['interview_id']!r}, which is not in the interview log",
                    path=spec.files[0].parent / r["__file__"],
                    hint="add the interview to the log, rename the file to its interview ID, or set "
                    f'on_unknown_interview = "drop" under [tables.{spec.key}]',
                )
        src.frame = src.frame.drop(columns="__file__")
        t.accounting.add(folder_label, "transcripts", src.rows_read, len(src.frame), src.dropped)
        parts.append(src.frame)
    transcripts = _concat(parts)
    dup = transcripts["interview_id"].duplicated()
    if dup.any():
        raise LeadlibDataError(
            f"two transcripts for interview {transcripts.loc[dup, 'interview_id'].iloc[0]!r}",
            path=t.manifest.path,
            hint="keep one transcript file per interview",
        )
    # Words per interview, counted from its transcript.
    n_words = dict(zip(transcripts["interview_id"], transcripts["n_words"]))
    t.tables["transcripts"] = transcripts.drop(columns="n_words")
    interviews = t.tables["interviews"]
    interviews["n_words"] = pd.array(interviews["interview_id"].map(n_words), dtype="Int64")
    t.log.add(
        "interviews",
        folder_label,
        "infer",
        "n_words counted from the transcript (runs of characters other than spaces and line breaks)",
        column="n_words",
        n=int(interviews["n_words"].notna().sum()),
    )
    without = interviews.loc[interviews["n_words"].isna(), "interview_id"].tolist()
    if without:
        t.log.add(
            "interviews",
            folder_label,
            "note",
            "interview has no transcript; segment offsets are not checked",
            column="interview_id",
            before=", ".join(without[:8]),
            n=len(without),
        )


def _segments(t: _Tidier) -> None:
    """Coded segments from every export, in one table.

    A million codings are worth care: rows to leave out are only marked while
    each export is checked, and the one copy of the table (its text column is
    most of its size) is made at the end, in the table's order, leaving those
    rows out.
    """
    parts: list[tuple[_Source, np.ndarray]] = []
    transcripts = t.tables.get("transcripts")
    texts = _Transcripts(transcripts) if transcripts is not None else None
    known = t.tables["interviews"]["interview_id"]
    for number, spec in enumerate(t.manifest.sources_for("segments")):
        src = t.read(spec)
        if "coder" not in src.frame.columns:
            if not spec.coder:
                raise LeadlibDataError(
                    f"[tables.{spec.key}] names no coder column and no `coder`",
                    path=t.manifest.path,
                    hint='add columns.coder, or coder = "<initials>"',
                )
            src.frame["coder"] = spec.coder
        for name in ("interview_id", "code_id", "coder", "start", "end", "text"):
            t.clean_column(src, schema.TABLES["segments"].column(name))
            empty = src.frame[name].isna()
            if empty.any():
                index = empty[empty].index[0]
                t.fail(
                    src,
                    f"{name} is empty, and every coding needs one",
                    index=index,
                    column=name,
                    value="",
                    hint="fill in the cell, or remove the row from the export if it is not a coding",
                )
        t.resolve_codes(src)
        unknown = t.unknown_interviews(src, "this segment", known, drop=False).to_numpy()
        duplicate, first_row = _exact_duplicate_segments(src.frame)
        leave_out = unknown | duplicate.to_numpy()
        if leave_out.any():
            ids = src.frame["interview_id"].to_numpy(dtype=object)
            reasons = [
                f"interview {ids[i]!r} is not in the interview log; the manifest says "
                f'on_unknown_interview = "drop" for [tables.{spec.key}]'
                if unknown[i]
                else f"exact duplicate of row {int(first_row[i])}"
                for i in np.flatnonzero(leave_out)
            ]
            t.log.drop("segments", src.label, src.frame[ROW].to_numpy()[leave_out].tolist(), reasons)
            src.dropped += int(leave_out.sum())
        _check_offsets(t, src, texts, ~leave_out)
        src.frame["primary"] = spec.primary
        src.frame["__part__"] = np.int8(number)
        parts.append((src, ~leave_out))
    _check_primary(t, parts)
    frame = pd.concat([src.frame for src, _ in parts], ignore_index=True)  # chunks side by side, no copy
    keep = np.concatenate([k for _, k in parts])
    kept = np.flatnonzero(keep)
    small = frame[["interview_id", "coder", "code_id", "start", "end", "primary"]]
    if len(kept) < len(frame):
        small = small.take(kept)
    ids, order, unique = _segment_ids_and_order(small.reset_index(drop=True))
    positions = kept[order]
    # Exports usually come in reading order already: then this keeps rows in place (fast); a real
    # reordering of a million rows of text costs a second.
    if len(positions) == len(frame) and np.array_equal(positions, np.arange(len(frame))):
        table = frame.copy(deep=False)
    elif np.all(np.diff(positions) > 0):  # in order, some rows left out: a filter, not a take
        # in place: the exports' text is held by nothing else, and frame and parts are not read again
        table = _filter_rows(frame, keep, in_place=("text",))
    else:
        table = frame.take(positions).reset_index(drop=True)
    table["segment_id"] = ids
    files = [str(src.spec.file) for src, _ in parts]
    schema.validate(
        "segments",
        table.drop(columns=[ROW, "__part__"]),
        rows=table[ROW],
        # object dtype: pandas would otherwise build a string column of a million file names (0.6 s)
        sources=pd.Series(np.array(files, dtype=object)[table["__part__"].to_numpy()], dtype=object),
        raw_names_by_source={str(src.spec.file): src.raw_names for src, _ in parts},
        tables=t.tables,
        key_unique=unique,  # segment IDs built unique (see _segment_ids_and_order): no hashing of a million
    )
    for src, k in parts:
        t.accounting.add(src.label, "segments", src.rows_read, int(k.sum()), src.dropped)
    t.tables["segments"] = table.drop(columns=[ROW, "__part__"])
    coders = table.groupby("primary")["coder"].unique()
    t.log.add(
        "segments",
        "segments",
        "note",
        "primary coding: "
        + ", ".join(sorted(map(str, coders.get(True, []))))
        + "; second coding (reliability): "
        + (", ".join(sorted(map(str, coders.get(False, [])))) or "none"),
        column="primary",
        n=len(table),
    )


def _check_primary(t: _Tidier, parts: list) -> None:
    """Each coded interview has its primary coding from exactly one source.

    Two sources marked ``primary = true`` for the same interview would count
    it twice in every comparison; none would leave the analysis frame empty.
    """
    primary = [(src, keep) for src, keep in parts if src.spec.primary]
    if not primary:
        raise LeadlibDataError(
            "no source of coded segments is marked as the primary coding",
            path=t.manifest.path,
            hint="set primary = true under the [tables.segments...] section of the main coding "
            "(primary = false marks a second coder's file, for reliability)",
        )
    owner: dict[str, _Source] = {}
    for src, keep in primary:
        for interview in pd.unique(src.frame.loc[keep, "interview_id"]):
            first = owner.setdefault(interview, src)
            if first is not src:
                raise LeadlibDataError(
                    f"interview {interview!r} has a primary coding in two files ([tables.{first.spec.key}] "
                    f"{first.label} and [tables.{src.spec.key}] {src.label}): it would be counted twice",
                    path=t.manifest.path,
                    value=interview,
                    hint=f"mark the second coder's file primary = false in the manifest ([tables.{src.spec.key}])",
                )


def _filter_rows(frame: pd.DataFrame, keep: np.ndarray, *, in_place: tuple[str, ...] = ()) -> pd.DataFrame:
    """``frame[keep]`` with a fresh index; Arrow string columns filtered by :func:`_filter_strings`.

    ``in_place``: string columns whose text the caller's ``frame`` alone holds,
    and that the caller will not read again: they are compacted in their own
    buffers (see :func:`_filter_string_chunk`), unless another column shares
    a buffer with them.
    """
    arrays = {
        name: frame[name].array.__arrow_array__()
        for name in frame.columns
        if isinstance(frame[name].dtype, pd.StringDtype) and hasattr(frame[name].array, "__arrow_array__")
    }
    columns = {}
    for name in frame.columns:
        values = frame[name]
        if name in arrays:
            mine = name in in_place and not (
                _data_buffers(arrays[name]) & _data_buffers(*(a for other, a in arrays.items() if other != name))
            )
            columns[name] = pd.Series(_filter_strings(arrays[name], keep, in_place=mine), dtype=values.dtype)
        else:
            columns[name] = pd.Series(values.array[keep])
    return pd.DataFrame(columns)


def _data_buffers(*arrays) -> set[int]:
    """Addresses of the data buffers of chunked string arrays."""
    return {buffer.address for array in arrays for chunk in array.chunks if (buffer := chunk.buffers()[-1]) is not None}


def _filter_strings(array, keep: np.ndarray, *, in_place: bool = False):
    """The strings of a chunked Arrow array where ``keep`` is true, chunk by chunk.

    Arrow's filter copies string by string: 0.6 s for the 300 MB of text of
    a million codings. Here a chunk none of whose rows is left out is kept as
    it is (no copy), and the others copy their bytes one run of kept rows at
    a time (a few rows left out of many make few runs). (Slices of the runs,
    with no copy at all, would make thousands of chunks, which many Arrow and
    pandas operations pay for later.)
    """
    import pyarrow as pa

    out, lo = [], 0
    for chunk in array.chunks:
        k = keep[lo : lo + len(chunk)]
        lo += len(chunk)
        if k.all():
            out.append(chunk)
        elif k.any():
            out.append(_filter_string_chunk(chunk, k, in_place=in_place))
    return pa.chunked_array(out, type=array.type)


def _filter_string_chunk(chunk, keep: np.ndarray, *, in_place: bool = False):
    """One chunk's kept strings, their bytes copied a run of kept rows at a time.

    With ``in_place`` (and a buffer Arrow says may be written), the runs are
    moved down within the chunk's own data buffer, each to where the kept
    bytes before it end: no new memory. On this machine a fresh allocation
    for the 300 MB of a million codings' text costs up to half a second in
    page faults, many times the copying itself. The chunk itself must then
    not be read again (its offsets no longer match its bytes).
    """
    import pyarrow as pa

    edges = np.flatnonzero(np.diff(keep, prepend=False, append=False))
    starts, ends = edges[::2], edges[1::2]
    buffers = chunk.buffers()
    if (
        chunk.null_count
        or not pa.types.is_large_string(chunk.type)
        or buffers[2] is None
        or len(starts) > 64 + len(keep) // 16
    ):
        return chunk.filter(pa.array(keep))
    offsets = np.frombuffer(buffers[1], dtype=np.int64)[chunk.offset : chunk.offset + len(chunk) + 1]
    lengths = np.diff(offsets)[keep]
    new_offsets = np.empty(len(lengths) + 1, dtype=np.int64)
    if in_place and buffers[2].is_mutable:
        data = np.frombuffer(buffers[2], dtype=np.uint8)  # writable: Arrow allocated it mutable
        at = int(offsets[0])
        for a, b in zip(starts, ends):
            lo, hi = int(offsets[a]), int(offsets[b])
            if lo != at:
                data[at : at + hi - lo] = data[lo:hi]  # moved down (numpy copies overlapping ranges safely)
            at += hi - lo
        new_offsets[0] = offsets[0]
        np.cumsum(lengths, out=new_offsets[1:])
        new_offsets[1:] += offsets[0]
        return pa.LargeStringArray.from_buffers(len(lengths), pa.py_buffer(new_offsets), buffers[2])
    data = np.frombuffer(buffers[2], dtype=np.uint8)
    body = np.concatenate([data[offsets[a] : offsets[b]] for a, b in zip(starts, ends)])
    new_offsets[0] = 0
    np.cumsum(lengths, out=new_offsets[1:])
    return pa.LargeStringArray.from_buffers(len(lengths), pa.py_buffer(new_offsets), pa.py_buffer(body))


def _take_rows(values: pd.Series, positions: np.ndarray) -> pd.Series:
    """``values.iloc[positions]`` (a fresh index), taking an Arrow string column chunk by chunk: Arrow's take
    on a chunked array joins its chunks first, a copy of the whole column (the text of a million codings)."""
    import pyarrow as pa

    if not (isinstance(values.dtype, pd.StringDtype) and hasattr(values.array, "__arrow_array__")):
        return values.iloc[positions].reset_index(drop=True)
    array = values.array.__arrow_array__()
    bounds = np.cumsum([0] + [len(c) for c in array.chunks])
    chunk = np.searchsorted(bounds, positions, side="right") - 1
    parts = [
        array.chunks[k].take(pa.array(positions[chunk == k] - bounds[k]))
        for k in range(len(array.chunks))
        if (chunk == k).any()
    ]
    order = np.argsort(chunk, kind="stable")  # parts are in chunk order; put them back in the order asked
    taken = pa.chunked_array(parts, type=array.type).combine_chunks() if parts else pa.array([], type=array.type)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return pd.Series(taken.take(pa.array(inverse)), dtype=values.dtype)


def _exact_duplicate_segments(frame: pd.DataFrame) -> tuple[pd.Series, np.ndarray]:
    """Rows that repeat an earlier row exactly, and the spreadsheet row each repeats."""
    keys = pd.DataFrame(
        {
            c: pd.factorize(frame[c])[0] if c in ("interview_id", "code_id", "coder") else frame[c]
            for c in ("interview_id", "code_id", "coder", "start", "end")
        }
    )
    candidate = keys.duplicated(keep=False).to_numpy()
    duplicate = np.zeros(len(frame), dtype=bool)
    first_row = np.zeros(len(frame), dtype=np.int64)
    if candidate.any():
        positions = np.flatnonzero(candidate)
        sub = pd.DataFrame(
            {
                c: _take_rows(frame[c], positions)
                for c in ["interview_id", "code_id", "coder", "start", "end", "text", ROW]
            }
        )
        cols = ["interview_id", "code_id", "coder", "start", "end", "text"]
        dup = sub.duplicated(cols, keep="first")
        firsts = sub.groupby(cols, sort=False, dropna=False)[ROW].transform("first")
        duplicate[positions[dup.to_numpy()]] = True
        first_row[positions] = firsts.to_numpy()
    return pd.Series(duplicate, index=frame.index), first_row


def segment_ids(frame: pd.DataFrame) -> pd.Series:
    """Stable segment IDs: ``<interview_id>.<coder>.<n>``.

    ``n`` (4 digits) is the coding's place among that coder's codings of the
    interview, ordered by start, end and code: the ID survives reordering of
    the export and changes only if that interview's coding changes.
    """
    import pyarrow as pa

    ids, order, _ = _segment_ids_and_order(frame)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return pd.Series(pa.array(ids, type=pa.large_string()).take(pa.array(inverse)), dtype=_STR, index=frame.index)


def _segment_ids_and_order(frame: pd.DataFrame) -> tuple[pd.Series, np.ndarray, bool]:
    """The table's order of the rows (primary coding first, then interview, coder, start, end, code),
    each row's segment ID *in that order*, and whether the IDs are certainly unique.

    Exports usually come in that order already: consecutive rows are compared
    (Arrow compares strings as Python does, by code point), and only rows out
    of order cost a sort (three columns of text factorised, then a lexsort).
    The IDs are certainly unique when no two of the (interview, coder) groups
    make the same ``interview.coder`` prefix: an ID's digits after its last
    dot are its place in its group, so equal IDs would need equal prefixes.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if frame.empty:
        return pd.Series([], dtype=_STR), np.arange(0), True
    interview = _arrow_strings(frame["interview_id"])
    coder = _arrow_strings(frame["coder"])
    start = frame["start"].to_numpy(dtype=np.int64)
    end = frame["end"].to_numpy(dtype=np.int64)
    primary = frame["primary"].to_numpy(dtype=bool) if "primary" in frame.columns else None
    nulls = interview.null_count or coder.null_count
    order, new_group = (None, None) if nulls else _already_ordered(frame, interview, coder, start, end, primary)
    if order is None:
        codes = [pd.factorize(frame[c], sort=True)[0] for c in ("interview_id", "coder", "code_id")]
        keys = [codes[2], end, start, codes[1], codes[0]]
        if primary is not None:
            keys.append(~primary)
        order = np.lexsort(keys)
        new_group = np.concatenate([[True], (np.diff(codes[0][order]) != 0) | (np.diff(codes[1][order]) != 0)])
        take = pa.array(order)
        interview, coder = interview.take(take), coder.take(take)
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(len(order)), 0))
    seq = np.arange(len(order)) - group_start + 1
    seq_text = pc.utf8_lpad(pc.cast(pa.array(seq), pa.large_string()), 4, "0")
    dot = pa.scalar(".", pa.large_string())
    ids = pc.binary_join_element_wise(interview, coder, seq_text, dot)
    firsts = pa.array(np.flatnonzero(new_group))
    prefixes = pc.binary_join_element_wise(interview.take(firsts), coder.take(firsts), dot)
    unique = not nulls and pc.count_distinct(prefixes, mode="all").as_py() == len(prefixes)
    return pd.Series(ids, dtype=_STR), order, unique


def _already_ordered(frame, interview, coder, start, end, primary):
    """``(arange, where each interview-coder group begins)`` when the rows are in the table's order, else
    ``(None, None)``: consecutive rows compared key by key (primary coding first, then interview, coder, start,
    end, code); rows equal on every key are in order (the sort is stable)."""
    import pyarrow.compute as pc

    n = len(frame)
    if n < 2:
        return np.arange(n), np.ones(n, dtype=bool)

    def text(array):
        a, b = array.slice(0, n - 1), array.slice(1)
        return (pc.less(a, b).to_numpy(zero_copy_only=False), pc.equal(a, b).to_numpy(zero_copy_only=False))

    code = _arrow_strings(frame["code_id"])
    if code.null_count:
        return None, None
    keys = [] if primary is None else [(primary[:-1] > primary[1:], primary[:-1] == primary[1:])]
    keys += [text(interview), text(coder)]
    keys += [(x[:-1] < x[1:], x[:-1] == x[1:]) for x in (start, end)]
    keys.append(text(code))
    ok = np.ones(n - 1, dtype=bool)
    for less, equal in reversed(keys):
        ok = less | (equal & ok)
    if not ok.all():
        return None, None
    same_group = keys[-5][1] & keys[-4][1]  # same interview and coder as the row before
    return np.arange(n), np.concatenate([[True], ~same_group])


def _arrow_strings(series: pd.Series):
    import pyarrow as pa

    if isinstance(series.dtype, pd.StringDtype):
        return pa.array(series, type=pa.large_string())
    return pa.array(series.astype(str).to_numpy(dtype=object), type=pa.large_string())


def _check_offsets(t: _Tidier, src: _Source, texts: _Transcripts | None, keep: np.ndarray | None = None) -> None:
    """Every span lies inside its transcript, and its text is the transcript's text there.

    Rows not in ``keep`` (already left out, with an audit entry) are not checked.
    """
    if texts is None or not texts.n:
        return
    frame = src.frame
    row = texts.rows(frame["interview_id"])
    starts = frame["start"].to_numpy(dtype=np.int64, na_value=-1)
    ends = frame["end"].to_numpy(dtype=np.int64, na_value=-1)
    length = np.append(texts.chars, -1)[row]  # row -1 (no transcript): length -1
    has_text = row >= 0
    if keep is not None:
        has_text &= keep
    bad = has_text & ((starts < 0) | (ends <= starts) | (ends > length))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        column = "start" if starts[i] < 0 or starts[i] >= max(length[i], 0) else "end"
        t.fail(
            src,
            f"offsets {starts[i]}-{ends[i]} are outside the transcript of {frame['interview_id'].iloc[i]} "
            f"({length[i]} characters) or empty",
            index=frame.index[i],
            column=column,
            value=int(starts[i] if column == "start" else ends[i]),
            hint="check that the export counts characters of the same transcript file "
            "(0-based, end exclusive), and that the transcript is the version that was coded",
        )
    k = texts.first_mismatch(frame["text"], row, starts, ends, has_text)
    if k is not None:
        got = texts.text(int(row[k]))[starts[k] : ends[k]]
        t.fail(
            src,
            f"the segment's text is not the transcript's text at {starts[k]}-{ends[k]} (transcript has {got[:60]!r})",
            index=frame.index[k],
            column="text",
            value=frame["text"].iloc[k][:60],
            hint="the transcript file may differ from the one that was coded (line endings, edits), "
            "or the offsets may count something else (bytes, paragraphs)",
        )


class _Transcripts:
    """The transcripts' texts as Arrow holds them, to check a million coded segments against without a Python string.

    Offsets count characters; the texts are UTF-8. A segment's span becomes
    a range of bytes of its transcript (the same numbers in a transcript
    that is all ASCII; through the positions of its characters' first bytes
    otherwise), and the spans become an Arrow ``string_view`` array pointing
    into the transcripts' own buffers: no text is copied to build it, and
    Arrow compares it with the segments' texts (:meth:`first_mismatch`).
    """

    #: Segments compared per block (the spans' bytes are gathered a block at a time).
    BLOCK = 1 << 17
    #: A transcript's bytes must be addressable by a view (32-bit sizes and offsets).
    MAX_BYTES = (1 << 31) - 1
    #: Chunks of transcripts up to this size have their characters located in one pass.
    MAX_PASS = 1 << 28

    def __init__(self, transcripts: pd.DataFrame):
        import pyarrow as pa
        import pyarrow.compute as pc

        self.frame = transcripts
        self.ids = pd.Index(transcripts["interview_id"])
        self.n = len(transcripts)
        text = _arrow_chunks(transcripts["text"])
        self.chunks = [c.cast(pa.large_string()) if not pa.types.is_large_string(c.type) else c for c in text.chunks]
        self.chars = np.concatenate(
            [pc.utf8_length(c).to_numpy(zero_copy_only=False).astype(np.int64) for c in self.chunks] or [[]]
        ).astype(np.int64)
        self.ascii = np.concatenate(
            [pc.string_is_ascii(c).to_numpy(zero_copy_only=False) for c in self.chunks] or [[]]
        ).astype(bool)
        chunk, start, size, self.data, self.buffers = [], [], [], [], []
        for number, c in enumerate(self.chunks):
            _, offsets_buf, data_buf = c.buffers()
            offsets = np.frombuffer(offsets_buf, dtype=np.int64)[c.offset : c.offset + len(c) + 1]
            chunk.append(np.full(len(c), number, dtype=np.int64))
            start.append(offsets[:-1])
            size.append(np.diff(offsets))
            data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
            self.data.append(data[: offsets[-1]] if len(offsets) else data[:0])
            empty = pa.py_buffer(b"")
            self.buffers.extend(
                data_buf.slice(int(a), int(b - a)) if data_buf is not None else empty
                for a, b in zip(offsets[:-1], offsets[1:])
            )
        self.chunk = np.concatenate(chunk or [np.zeros(0, np.int64)])
        self.start = np.concatenate(start or [np.zeros(0, np.int64)])
        self.size = np.concatenate(size or [np.zeros(0, np.int64)])

    def rows(self, interview_ids: pd.Series) -> np.ndarray:
        """Each segment's transcript (its row here), -1 where its interview has none."""
        codes, uniques = pd.factorize(interview_ids)
        return np.append(self.ids.get_indexer(pd.Index(uniques)), -1).astype(np.int64)[codes]

    def text(self, row: int) -> str:
        return str(self.frame["text"].iloc[row])

    def byte_offsets(self, row: np.ndarray, chars: np.ndarray) -> np.ndarray:
        """The byte, from the start of its transcript, at which character ``chars[i]`` of transcript ``row[i]`` begins.

        ``chars[i]`` may be the transcript's length (its end).
        """
        out = chars.astype(np.int64, copy=True)
        wide = np.flatnonzero(~self.ascii[row])
        if not len(wide):
            return out
        by_chunk = wide[np.argsort(self.chunk[row[wide]], kind="stable")]
        bounds = np.searchsorted(self.chunk[row[by_chunk]], np.arange(len(self.chunks) + 1))
        for number in range(len(self.chunks)):
            which = by_chunk[bounds[number] : bounds[number + 1]]
            if not len(which):
                continue
            if len(self.data[number]) <= self.MAX_PASS:
                out[which] = self._locate(self.data[number], self.start[row[which]], chars[which])
            else:  # a huge chunk: one transcript at a time
                for r in np.unique(row[which]):
                    mine = which[row[which] == r]
                    data = self.data[number][self.start[r] : self.start[r] + self.size[r]]
                    out[mine] = self._locate(data, np.zeros(len(mine), np.int64), chars[mine])
        return out

    @staticmethod
    def _locate(data: np.ndarray, starts: np.ndarray, chars: np.ndarray) -> np.ndarray:
        """Byte offsets, from its transcript's start (``starts``, in ``data``), of characters of ``data``."""
        firsts = np.flatnonzero((data & 0xC0) != 0x80)  # the first byte of every character (the text is UTF-8)
        firsts = np.append(firsts, len(data))
        first_char = np.searchsorted(firsts, starts)  # each transcript's first character, counted in data
        return firsts[first_char + chars] - starts

    def first_mismatch(self, text: pd.Series, row, starts, ends, check) -> int | None:
        """The first segment (position) whose text differs from its span of its transcript; None if none does."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not check.any():
            return None
        if (self.size[row[check]] > self.MAX_BYTES).any():
            return self._first_mismatch_python(text, row, starts, ends, check)
        where = np.flatnonzero(check)
        first_byte = np.zeros(len(row), dtype=np.int64)
        last_byte = np.zeros(len(row), dtype=np.int64)
        first_byte[where] = self.byte_offsets(row[where], starts[where])
        last_byte[where] = self.byte_offsets(row[where], ends[where])
        segments = _arrow_chunks(text)
        if not pa.types.is_large_string(segments.type):
            segments = segments.cast(pa.large_string())
        for lo in range(0, len(row), self.BLOCK):
            hi = min(lo + self.BLOCK, len(row))
            here = check[lo:hi]
            if not here.any():
                continue
            views = self._views(row[lo:hi], first_byte[lo:hi], last_byte[lo:hi], here)
            spans = pa.Array.from_buffers(pa.string_view(), hi - lo, [None, pa.py_buffer(views), *self.buffers])
            same = pc.equal(spans.cast(pa.large_string()), segments.slice(lo, hi - lo))
            differ = here & ~same.to_numpy(zero_copy_only=False)
            if differ.any():
                return lo + int(np.flatnonzero(differ)[0])
        return None

    def _views(self, row, first_byte, last_byte, here) -> np.ndarray:
        """Arrow's 16-byte views of the spans (empty where ``here`` is false): length, then the bytes
        themselves (up to 12) or the first 4 bytes, the buffer (the transcript) and the offset in it."""
        n = len(row)
        size = np.where(here, last_byte - first_byte, 0)
        views = np.zeros((n, 4), dtype="<i4")
        views[:, 0] = size
        absolute = self.start[row] + first_byte  # in the chunk's data
        raw = views.view(np.uint8).reshape(n, 16)
        chunk = self.chunk[row]
        for number in np.unique(chunk[here]):
            data = self.data[number]
            mine = here & (chunk == number)
            long = np.flatnonzero(mine & (size > 12))
            if len(long):
                # the first 4 bytes of each long span (inside the data: the span is longer)
                raw[long, 4:8] = data[absolute[long, None] + np.arange(4)]
                views[long, 2] = row[long]
                views[long, 3] = first_byte[long]
            short = np.flatnonzero(mine & (size <= 12))
            if len(short):
                at = np.minimum(absolute[short, None] + np.arange(12), max(len(data) - 1, 0))
                inline = np.where(np.arange(12) < size[short, None], data[at] if len(data) else 0, 0)
                raw[short, 4:16] = inline
        return views

    def _first_mismatch_python(self, text, row, starts, ends, check) -> int | None:
        """:meth:`first_mismatch` by Python slicing, for transcripts too large for Arrow's views (2 GB and more)."""
        values = text.tolist()
        cache: dict[int, str] = {}
        for i in np.flatnonzero(check):
            r = int(row[i])
            if r not in cache:
                cache.clear()
                cache[r] = self.text(r)
            if cache[r][starts[i] : ends[i]] != values[i]:
                return int(i)
        return None


def _arrow_chunks(series: pd.Series):
    """A string column as a chunked Arrow array (its own chunks when Arrow already holds it)."""
    import pyarrow as pa

    if isinstance(series.dtype, pd.StringDtype) and hasattr(series.array, "__arrow_array__"):
        array = series.array.__arrow_array__()
        return array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])
    values = series.astype(object).where(series.notna(), None).tolist()
    return pa.chunked_array([pa.array(values, type=pa.large_string())])


def _survey(t: _Tidier) -> None:
    parts = []
    for spec in t.manifest.sources_for("survey"):
        src = t.read(spec)
        for name in ("respondent_id", "site_id"):
            t.clean_column(src, schema.TABLES["survey"].column(name))
        t.resolve_sites(src)
        if spec.layout == "wide":
            wide_cols = [c for c in src.frame.columns if c.startswith("__wide__")]
            k = len(wide_cols)
            # Clean each rating column under its own name, so a bad value is reported in its column.
            rating = schema.TABLES["survey"].column("rating")
            raw_of = dict(zip((f"__wide__{c}" for c in spec.wide["columns"]), spec.wide["columns"].values()))
            for col in wide_cols:
                src.frame["rating"] = src.frame.pop(col)
                src.raw_names["rating"] = raw_of[col]
                t.clean_column(src, rating)
                values = src.frame["rating"]
                outside = values.notna() & ((values < rating.minimum) | (values > rating.maximum))
                if outside.any():
                    index = outside[outside].index[0]
                    t.fail(
                        src,
                        f"a rating must be {rating.minimum:g} to {rating.maximum:g}",
                        index=index,
                        column="rating",
                        value=int(values.loc[index]),
                        hint="correct the value, or add the marker it stands for to `missing` in the manifest",
                    )
                src.frame[col] = src.frame.pop("rating")
            n_records = len(src.frame)
            id_cols = [c for c in src.frame.columns if not c.startswith("__wide__")]
            long = src.frame.melt(
                id_vars=id_cols, value_vars=wide_cols, var_name=spec.wide["names_to"], value_name=spec.wide["values_to"]
            )
            long[spec.wide["names_to"]] = long[spec.wide["names_to"]].str.removeprefix("__wide__")
            long = long.sort_values([ROW, spec.wide["names_to"]], kind="stable").reset_index(drop=True)
            t.log.add(
                "survey",
                src.label,
                "reshape",
                f"one row per respondent and {k} rating columns -> one row per rating "
                f"({n_records} respondents x {k} = {n_records * k} ratings)",
                n=n_records * k,
            )
            # Accounting counts ratings: each blank respondent row dropped k ratings.
            src.rows_read = n_records * k + src.dropped * k
            src.dropped *= k
            for e in t.log.entries:
                if (
                    e["action"] == "drop"
                    and e["table"] == "survey"
                    and e["source"].startswith(src.label + ":")
                    and e["n"] == 1
                ):
                    e["n"] = k
            src.raw_names = dict(src.raw_names)
            src.raw_names["rating"] = "rating columns (" + ", ".join(spec.wide["columns"].values()) + ")"
            src.frame = long
            t.clean_column(src, schema.TABLES["survey"].column("characteristic"))
        else:
            t.clean_column(src, schema.TABLES["survey"].column("characteristic"))
            t.clean_column(src, schema.TABLES["survey"].column("rating"))
        t.exact_duplicates(src, ["respondent_id", "site_id", "characteristic", "rating"])
        t.conflicting_keys(src, ["respondent_id", "characteristic"], "respondent and characteristic")
        parts.append(t.finish(src))
    if parts:
        t.tables["survey"] = _concat(parts)


def _measures(t: _Tidier) -> None:
    parts = []
    for spec in t.manifest.sources_for("measures"):
        src = t.read(spec)
        t.clean(src)
        t.resolve_sites(src)
        t.exact_duplicates(src, [c for c in src.frame.columns if c != ROW])
        t.conflicting_keys(src, ["site_id", "measure"], "site and measure")
        parts.append(t.finish(src))
    if parts:
        t.tables["measures"] = _concat(parts)
