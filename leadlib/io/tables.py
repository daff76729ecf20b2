"""Readers for spreadsheet-like sources: CSV, XLSX, and folders of .txt transcripts.

Each reader returns a :class:`RawTable`: the columns the manifest asks for,
as read (strings for CSV and text; Python values for XLSX cells, so that Excel
dates and date serials can be told apart), the spreadsheet row of every
record, and notes on how the file was decoded. No value is changed here: all
harmonisation happens in :mod:`leadlib.tidy`, where it is audited.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import LeadlibDataError
from ._safe import DEFAULT_LIMITS, Limits, check_file_size, check_input_file, regular_file_in_checked_folder
from .text import count_words as text_words
from .workbook import Sheet, column_letter, read_sheet

__all__ = [
    "RawTable",
    "read_csv",
    "read_xlsx",
    "read_text_files",
    "decode_bytes",
    "count_words",
    "ENCODINGS",
    "HIDDEN_ROWS",
    "clean_id",
]

#: Encodings tried, in order, when the manifest does not name one.
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")


@dataclass
class RawTable:
    """Columns as read, with the spreadsheet row of each record."""

    path: Path
    frame: pd.DataFrame  # raw column names
    rows: np.ndarray  # spreadsheet row of each record
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)  # spreadsheet rows that were empty
    #: decisions taken while reading, as keyword arguments of :meth:`leadlib.audit.AuditLog.add`
    #: (``action``, ``reason``, ``column``, ``before``, ``after``, ``n``, ``rows``)
    audit: list[dict] = field(default_factory=list)
    dropped: list[tuple[int, str]] = field(default_factory=list)  # (spreadsheet row, reason) of rows left out


#: Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def sniff_bom(head: bytes) -> str | None:
    """The encoding a file's byte-order mark announces (``utf-8-sig``, ``utf-16``, ``utf-32``), or None."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


def _wide_without_bom(head: bytes) -> str | None:
    """``"UTF-16"`` or ``"UTF-32"`` when NUL bytes fill every other (or 3 of 4) bytes: wide text with no BOM."""
    sample = head[:4096]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    quarters = [sample[i::4].count(0) / max(len(sample[i::4]), 1) for i in range(4)]
    if sum(q > 0.9 for q in quarters) >= 3:
        return "UTF-32"
    halves = [sample[i::2].count(0) / max(len(sample[i::2]), 1) for i in range(2)]
    return "UTF-16" if max(halves) > 0.4 else None


def _refuse_wide(data: bytes, path: Path) -> None:
    wide = _wide_without_bom(data)
    if wide:
        order = "le" if data[1:2] == b"\x00" else "be"
        raise LeadlibDataError(
            f"the encoding is likely {wide} without a byte-order mark (NUL bytes between the characters)",
            path=path,
            hint=f'save the file as UTF-8 (in Excel: "CSV UTF-8"), or set encoding = "{wide.lower()}-{order}" '
            "for it in the manifest",
        )


#: Characters that show nothing (or nothing a reader would notice) and have no place in an identifier:
#: C0 controls (NUL...), DEL, the soft hyphen, zero-width spaces and joiners, word joiner,
#: bidirectional controls, the byte-order mark U+FEFF inside a value.
INVISIBLE = re.compile("[\x00-\x1f\x7f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def clean_id(value: str) -> tuple[str, str | None]:
    """An identifier as it is compared: invisible characters removed, then Unicode NFC.

    Returns ``(cleaned, why)``: ``why`` says in words what changed (for the
    audit), None when nothing did. Two IDs that look the same (one typed with
    a zero-width space, or with "e" and a combining accent where the other
    has "\u00e9") are the same ID after this.

    >>> clean_id("S0\u200b1")
    ('S01', 'invisible characters removed: U+200B')
    >>> clean_id("Jose\u0301")[0] == "Jos\u00e9"
    True
    """
    found = sorted({f"U+{ord(ch):04X}" for ch in INVISIBLE.findall(value)})
    cleaned = INVISIBLE.sub("", value) if found else value
    normal = unicodedata.normalize("NFC", cleaned)
    why = []
    if found:
        why.append(f"invisible characters removed: {', '.join(found)}")
    if normal != cleaned:
        why.append("Unicode NFC normalisation (accents composed with their letters)")
    return normal, "; ".join(why) or None


def decode_bytes(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Decode a file's bytes: the given encoding, else UTF-8, UTF-8 with BOM, cp1252.

    Returns ``(text, encoding_used)``. A UTF-8 byte-order mark is always
    removed (and reported as ``utf-8-sig``). Without a named encoding, a
    UTF-16 or UTF-32 byte-order mark decides the encoding (reported as
    ``utf-16`` / ``utf-32``), and UTF-16 or UTF-32 without one is refused
    with a message that says so.
    """
    if not encoding:
        bom = sniff_bom(data[:4])
        if bom in ("utf-16", "utf-32"):
            try:
                return data.decode(bom), bom
            except UnicodeDecodeError as exc:
                raise LeadlibDataError(
                    f"starts with a {bom.upper()} byte-order mark but cannot be decoded as {bom.upper()} "
                    f"(position {exc.start})",
                    path=path,
                    hint="save the file again as UTF-8",
                ) from None
        _refuse_wide(data, path)
    tries = (encoding,) if encoding else ENCODINGS
    for enc in tries:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if text.startswith("\ufeff"):
            text = text[1:]
            enc = "utf-8-sig"
        return text, enc
    if encoding:
        try:
            data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise LeadlibDataError(
                f"cannot be decoded as {encoding}: byte {data[exc.start]:#04x} at position {exc.start}",
                path=path,
                row=line,
                hint="save the file as UTF-8, or set the right `encoding` for it in the manifest",
            ) from None
        except LookupError:
            raise LeadlibDataError(
                f"unknown encoding {encoding!r}",
                path=path,
                hint="use an encoding Python knows, e.g. utf-8, cp1252, latin-1",
            ) from None
    raise LeadlibDataError(
        "cannot be decoded as UTF-8 or Windows-1252 (cp1252)",
        path=path,
        hint="save the file as UTF-8, or set its `encoding` in the manifest",
    )


def _header(head: str, skip_rows: int, delimiter: str) -> list[str]:
    """Header cells exactly as they stand in the file."""
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)  # any line ending, bare CR too
    for i, row in enumerate(reader):
        if i == skip_rows:
            return row
    return []


def read_csv(
    path: Path,
    columns: Sequence[str],
    *,
    skip_rows: int = 0,
    delimiter: str = ",",
    encoding: str | None = None,
    root: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> RawTable:
    """Read the named columns of a CSV file as strings.

    Parameters
    ----------
    path
        The file.
    columns
        Raw column names to read (all must exist, once; header cells are
        matched after stripping surrounding spaces).
    skip_rows
        Lines above the header (a title, a note such as "SYNTHETIC DATA").
    delimiter
        Field separator.
    encoding
        Encoding; by default the one a byte-order mark announces (UTF-8,
        UTF-16, UTF-32), else UTF-8, then cp1252.
    root
        The study folder the file must stay inside (links are followed).
    limits
        Caps: the file's size (``max_table_bytes``) and one field's
        (``max_field_bytes``).
    """
    import pyarrow as pa

    path = Path(path)
    resolved = check_input_file(path, root=root)
    size = resolved.stat().st_size
    check_file_size(path, size, limits.max_table_bytes, what="table", setting="max_table_bytes")
    with open(resolved, "rb") as fh:
        head = fh.read(1 << 16)
    if not head.strip() and size <= len(head):
        raise LeadlibDataError("the file is empty", path=path, hint="export the table again")
    # The usual UTF-8 file is parsed straight from disk, and validated by
    # pyarrow while it parses; only a file that is not plain UTF-8 is read
    # whole and decoded here (a BOM, a named encoding, cp1252).
    bom = sniff_bom(head[:4])
    if encoding or bom in ("utf-16", "utf-32"):
        text, used = decode_bytes(resolved.read_bytes(), path, encoding)
        body = text.encode("utf-8")
    elif bom == "utf-8-sig":
        used, body = "utf-8-sig", resolved.read_bytes()[3:]
    else:
        _refuse_wide(head, path)
        used, body = "utf-8", None
    header = _header(
        (body[: 1 << 16] if body is not None else head).decode("utf-8", errors="replace"), skip_rows, delimiter
    )
    wanted_at = _header_columns(path, dict(enumerate((h.strip() for h in header), 1)), columns, skip_rows + 1, "file")
    wanted = {header[wanted_at[name] - 1]: name for name in columns}

    def parse(buffer: bytes | None, block: int = 1 << 24):
        return _parse_csv(
            pa.py_buffer(buffer) if buffer is not None else pa.OSFile(str(resolved)),
            wanted,
            skip_rows,
            delimiter,
            block,
        )

    try:
        try:
            table = _parse_long_rows(parse, body, path, resolved, skip_rows, delimiter, used, limits)
        except pa.ArrowInvalid as exc:
            if used != "utf-8" or encoding or "UTF8" not in str(exc):
                raise
            text, used = decode_bytes(resolved.read_bytes(), path)  # not UTF-8: cp1252, or a clear error
            body = text.encode("utf-8")
            table = _parse_long_rows(parse, body, path, resolved, skip_rows, delimiter, used, limits)
    except (pa.ArrowInvalid, pa.ArrowKeyError) as exc:
        message = str(exc)
        row = _ragged_row(resolved, skip_rows, delimiter, used)
        raise LeadlibDataError(
            f"cannot be read as CSV: {message.splitlines()[0]}",
            path=path,
            row=row,
            hint="check that every row has as many fields as the header and that quotes are closed",
        ) from None
    rows = np.arange(table.num_rows, dtype=np.int64) + skip_rows + 2
    _refuse_long_fields(table, rows, path, limits)
    table, rows, blank_rows = _drop_blank(table, rows)
    frame = table.to_pandas()
    frame.columns = [wanted[c] for c in frame.columns]
    notes = [] if used == "utf-8" else [f"decoded as {used}"]
    return RawTable(path=path, frame=frame, rows=rows, encoding=used, notes=notes, blank_rows=blank_rows)


def _parse_csv(source, wanted: dict[str, str], skip_rows: int, delimiter: str, block: int):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return pacsv.read_csv(
        source,
        read_options=pacsv.ReadOptions(skip_rows=skip_rows, use_threads=True, block_size=block),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            include_columns=list(wanted),
            column_types={c: pa.string() for c in wanted},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _parse_long_rows(parse, body, path, resolved, skip_rows, delimiter, encoding, limits):
    """Parse; a row longer than pyarrow's block is measured, refused past the field cap, else parsed in one block."""
    import pyarrow as pa

    try:
        return parse(body)
    except pa.ArrowInvalid as exc:
        if "straddling" not in str(exc) and "block" not in str(exc):
            raise
    row, column, longest = _longest_field(body, resolved, skip_rows, delimiter, encoding)
    if longest > limits.max_field_bytes:
        raise LeadlibDataError(
            f"a field holds {longest:,} bytes, more than the cap of {limits.max_field_bytes:,} bytes for one field",
            path=path,
            row=row,
            column=column,
            hint="check the quotes of the rows above (an unclosed quote runs on to the end of the file); "
            "raise Limits.max_field_bytes if the value is genuine",
        )
    size = len(body) if body is not None else resolved.stat().st_size
    return parse(body, min(size + 1, 1 << 31))


def _longest_field(body: bytes | None, resolved: Path, skip_rows: int, delimiter: str, encoding: str):
    """``(row, column, bytes)`` of the longest field of a CSV file (read with the csv module, no field cap)."""
    old = csv.field_size_limit((1 << 31) - 1)
    best: tuple[int | None, str | None, int] = (None, None, 0)
    source = (
        io.StringIO(body.decode("utf-8"), newline="")
        if body is not None
        else open(resolved, newline="", encoding=encoding, errors="replace")  # noqa: SIM115 - closed below
    )
    try:
        with source as fh:
            header: list[str] = []
            for number, record in enumerate(csv.reader(fh, delimiter=delimiter), start=1):
                if number == skip_rows + 1:
                    header = record
                for i, value in enumerate(record):
                    n = len(value.encode("utf-8")) if len(value) * 4 > best[2] else 0
                    if n > best[2]:
                        best = (number, header[i].strip() if i < len(header) else column_letter(i + 1), n)
    except csv.Error:
        pass
    finally:
        csv.field_size_limit(old)
    return best


def _refuse_long_fields(table, rows: np.ndarray, path: Path, limits: Limits) -> None:
    """Refuse a field over ``limits.max_field_bytes`` (a table parsed in one block may hold one)."""
    import pyarrow.compute as pc

    for name in table.column_names:
        lengths = pc.binary_length(table.column(name))
        top = pc.max(lengths).as_py()
        if top is not None and top > limits.max_field_bytes:
            at = int(np.argmax(lengths.to_numpy(zero_copy_only=False)))
            raise LeadlibDataError(
                f"a field holds {top:,} bytes, more than the cap of {limits.max_field_bytes:,} bytes for one field",
                path=path,
                row=int(rows[at]),
                column=name.strip(),
                hint="check the quotes of the rows above; raise Limits.max_field_bytes if the value is genuine",
            )


def _drop_blank(table, rows: np.ndarray):
    """Leave out the rows whose every cell is empty: a spreadsheet shows them empty; report them, don't shift rows."""
    import pyarrow.compute as pc

    blank_rows: list[int] = []
    if table.num_rows and table.num_columns:
        blank = pc.equal(table.column(0), "")
        for i in range(1, table.num_columns):
            blank = pc.and_(blank, pc.equal(table.column(i), ""))
        blank_np = blank.to_numpy(zero_copy_only=False)
        if blank_np.any():
            blank_rows = rows[blank_np].tolist()
            table = table.filter(pc.invert(blank))
            rows = rows[~blank_np]
    return table, rows, blank_rows


def _ragged_row(path: Path, skip_rows: int, delimiter: str, encoding: str) -> int | None:
    """The spreadsheet row of the first record whose number of fields differs from the header's.

    Only called when pyarrow has refused the file (its message has no row).
    """
    try:
        with open(path, newline="", encoding=encoding if encoding != "utf-8" else "utf-8", errors="replace") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            width = None
            for number, record in enumerate(reader, start=1):
                if number <= skip_rows:
                    continue
                if width is None:
                    width = len(record)
                elif record and len(record) != width:
                    return number
    except (OSError, csv.Error):
        return None
    return None


#: Policies for hidden rows of a workbook (``hidden_rows`` of a table in the manifest).
HIDDEN_ROWS = ("keep", "drop", "error")

#: Most consecutive empty rows accepted between two rows of a sheet's table.
MAX_BLANK_RUN = 10_000


def read_xlsx(
    path: Path,
    columns: Sequence[str],
    *,
    sheet: str | None = None,
    skip_rows: int = 0,
    root: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    hidden_rows: str = "keep",
) -> RawTable:
    """Read the named columns of an Excel sheet, keeping cell values' types.

    Dates formatted as dates arrive as :class:`datetime.datetime`; a date
    typed as a number (an Excel serial) arrives as a number, for
    :mod:`leadlib.tidy` to recognise and audit.

    The sheet is read over its used range only (see
    :mod:`leadlib.io.workbook`): the table ends at the last row with a value
    in one of ``columns``. Merged ranges are filled with their first cell's
    value, and hidden rows kept, dropped or refused (``hidden_rows``); each
    is written to :attr:`RawTable.audit` (or :attr:`RawTable.dropped`). A
    formula with no value saved by Excel is refused.

    Parameters
    ----------
    path
        The workbook.
    columns
        Header names to read (matched after stripping surrounding spaces).
    sheet
        The sheet; the first by default.
    skip_rows
        Rows above the header.
    root
        The study folder the file must stay inside.
    limits
        Caps on the file's size and on its zip members.
    hidden_rows
        ``"keep"`` (read them, with an audit note), ``"drop"`` (leave them
        out, audited) or ``"error"``.
    """
    if hidden_rows not in HIDDEN_ROWS:
        raise ValueError(f"hidden_rows must be one of {HIDDEN_ROWS}, not {hidden_rows!r}")
    path = Path(path)
    data = read_sheet(path, sheet=sheet, root=root, limits=limits)
    header_row = skip_rows + 1
    if not any(r >= header_row for r in data.cells):
        raise LeadlibDataError(
            "the sheet has no header row", path=path, row=header_row, hint="check `skip_rows` in the manifest"
        )
    header = {c: ("" if v is None else str(v)).strip() for c, v in sorted(data.cells.get(header_row, {}).items())}
    wanted = _header_columns(path, header, columns, header_row, "sheet")
    audit: list[dict] = []
    cells = {r: row for r, row in data.cells.items() if r > header_row}
    _fill_merged(data, cells, wanted, header_row, audit)
    _refuse_uncached(path, data, wanted, header, header_row)
    filled = [r for r, row in cells.items() if any(not _blank(row.get(c)) for c in wanted.values())]
    last = max(filled, default=header_row)
    records, rows, blank_rows, dropped = [], [], [], []
    hidden = set(data.hidden)
    previous = header_row
    for row_number in sorted(filled):
        if row_number - previous - 1 > MAX_BLANK_RUN:
            raise LeadlibDataError(
                f"a value stands {row_number - previous - 1:,} empty rows below the rest of the table",
                path=path,
                row=row_number,
                hint="delete the stray cells far below the table (or the empty rows above them) and save again",
            )
        blank_rows.extend(range(previous + 1, row_number))
        previous = row_number
        if row_number in hidden and hidden_rows != "keep":
            if hidden_rows == "error":
                raise LeadlibDataError(
                    'the row is hidden in the workbook, and the manifest says hidden_rows = "error"',
                    path=path,
                    row=row_number,
                    hint='unhide it and decide: delete it, or keep it as data; or set hidden_rows = "keep"',
                )
            dropped.append((row_number, 'hidden row in the workbook (the manifest says hidden_rows = "drop")'))
            continue
        row = cells[row_number]
        records.append([row.get(wanted[c]) for c in columns])
        rows.append(row_number)
    kept_hidden = sorted(r for r in hidden if header_row < r <= last and r in cells) if hidden_rows == "keep" else []
    if kept_hidden:
        audit.append(
            {
                "action": "note",
                "reason": "hidden rows in the workbook, read like the others: check they are data "
                '(set hidden_rows = "drop" or "error" for this table in the manifest to change that)',
                "n": len(kept_hidden),
                "rows": kept_hidden,
            }
        )
    frame = pd.DataFrame(records, columns=list(columns), dtype=object)
    for col in frame.columns:
        frame[col] = frame[col].map(lambda v: "" if v is None else v)
    return RawTable(
        path=path,
        frame=frame,
        rows=np.asarray(rows, dtype=np.int64),
        encoding=None,
        blank_rows=blank_rows,
        audit=audit,
        dropped=dropped,
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_columns(
    path: Path, header: dict[int, str], columns: Sequence[str], header_row: int, where: str
) -> dict[str, int]:
    """The 1-based column of each wanted name in a header ``{column: name}``; missing or doubled names refused."""
    found: dict[str, list[int]] = {}
    for c, name in header.items():
        found.setdefault(name, []).append(c)
    for name in columns:
        if name not in found:
            raise LeadlibDataError(
                f"column {name!r} is not in the {where}",
                path=path,
                row=header_row,
                column=name,
                hint=f"the header row has: {', '.join(repr(h) for h in header.values() if h)}; "
                "fix the manifest's `columns`" + (", or check `skip_rows`" if where == "file" else ""),
            )
        if len(found[name]) > 1:
            first, second = (column_letter(c) for c in found[name][:2])
            raise LeadlibDataError(
                f"two columns are named {name!r}: columns {first} and {second}",
                path=path,
                row=header_row,
                column=name,
                hint="rename one of them in the file (leadlib will not guess which one is meant)",
            )
    return {name: found[name][0] for name in columns}


def _fill_merged(data: Sheet, cells: dict, wanted: dict[str, int], header_row: int, audit: list[dict]) -> None:
    """Fill each merged range's empty cells (in the wanted columns, below the header) with its first cell's value."""
    columns = {c: name for name, c in wanted.items()}
    last = max((r for r, row in cells.items() if any(not _blank(row.get(c)) for c in columns)), default=header_row)
    for ref, min_col, min_row, max_col, max_row in data.merged:
        value = data.cells.get(min_row, {}).get(min_col)
        if value is None or min_row > last:
            continue
        for c in sorted(set(range(min_col, max_col + 1)) & set(columns)):
            rows = [
                r
                for r in range(max(min_row, header_row + 1), min(max_row, last) + 1)
                if (r, c) != (min_row, min_col) and cells.get(r, {}).get(c) is None
            ]
            for r in rows:
                cells.setdefault(r, {})[c] = value
            if rows:
                audit.append(
                    {
                        "action": "infer",
                        "reason": f"merged cells {ref}: the value of {column_letter(min_col)}{min_row} "
                        "filled into the other cells of the range",
                        "column": columns[c],
                        "before": "",
                        "after": value,
                        "n": len(rows),
                        "rows": rows,
                    }
                )


def _refuse_uncached(path: Path, data: Sheet, wanted: dict[str, int], header: dict[int, str], header_row: int):
    """A formula without a saved value, in the header or a wanted column, is refused."""
    columns = set(wanted.values())
    for r, c in data.uncached:
        if r == header_row or (r > header_row and c in columns):
            raise LeadlibDataError(
                f"cell {column_letter(c)}{r} holds a formula with no value saved with it, so its value is unknown",
                path=path,
                row=r,
                column=header.get(c) or column_letter(c),
                hint="open the workbook in Excel and save it (Excel saves each formula's value, which is what "
                "leadlib reads; files written by scripts often have none)",
            )


def count_words(text: str | bytes) -> int:
    """Words in one text: runs of characters other than Unicode whitespace, as ``len(text.split())``.

    The rule of :func:`leadlib.io.text.count_words` (which counts many texts
    at once). Bytes are decoded first, as UTF-8 (a byte-order mark removed),
    else as cp1252, so that a word is the same whatever the file's encoding.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = text.decode("cp1252", errors="replace")
    return int(text_words([text])[0])


def read_text_files(
    files: Sequence[Path],
    *,
    encoding: str | None = None,
    root: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[pd.DataFrame, list[tuple[Path, str]]]:
    """Read one text file per interview.

    Returns a frame with ``file``, ``stem``, ``text`` and ``n_words``
    columns, and the files that needed an encoding other than UTF-8
    (``(path, encoding)``). The text is kept exactly as decoded (line endings
    included, bare CR too), because segment offsets count its characters.
    Files are read a few hundred at a time, so that only one block is held
    twice (as bytes read and as text) at any moment. A UTF-8 file (the usual
    case) goes from its bytes to the Arrow text column without becoming a
    Python string: Arrow checks that its bytes are UTF-8, and only a file
    that is not (or that has a wide byte-order mark, NUL bytes near its
    start, or an encoding named in the manifest) is decoded by Python, as
    :func:`decode_bytes` does.

    Every file is checked before it is opened: it must be a regular file
    (not a folder, a FIFO, a device or a dangling link), inside ``root``
    when given, and no larger than ``limits.max_transcript_bytes``.
    """
    import pyarrow as pa

    strings = getattr(files, "strings", None)  # a leadlib.manifest.PathList: the paths as strings
    files = strings if strings is not None else files
    names: list[str] = []
    chunks, words, decoded = [], [], []
    block = 400
    folders: dict = {}  # folders resolved and found inside root, for this call only
    for lo in range(0, len(files), block):
        texts = _TextBlock(encoding)
        for f in files[lo : lo + block]:
            texts.add(f, _read_transcript(f, root, folders, limits))
            names.append(os.path.basename(f))
        chunks.append(texts.array())
        decoded.extend(texts.decoded())
        words.append(text_words(chunks[-1]))
    stems = [os.path.splitext(n)[0] for n in names]
    text_column = pa.chunked_array(chunks, type=pa.large_string())
    frame = pd.DataFrame(
        {
            "file": names,
            "stem": stems,
            "text": pd.Series(text_column, dtype=pd.StringDtype(na_value=np.nan)),
            "n_words": np.concatenate(words) if words else np.zeros(0, dtype=np.int64),
        }
    )
    return frame, decoded


def _read_transcript(f: Path, root: Path | None, folders: dict, limits: Limits) -> bytes:
    """A transcript's bytes, after the checks of :func:`check_input_file` and the size cap."""
    cap = limits.max_transcript_bytes
    quick = regular_file_in_checked_folder(f, root, folders) if root is not None else None
    if quick is None:
        resolved = check_input_file(f, root=root, folders=folders)
        quick = (resolved, os.stat(resolved).st_size)
    resolved, size = quick
    check_file_size(f, size, cap, what="transcript", setting="max_transcript_bytes")
    with open(resolved, "rb") as fh:
        # as many bytes as the file says it holds, and one more: a buffer of the cap for every
        # file would cost more than reading it; a file that holds more is read on, up to the cap
        data = fh.read(min(size, cap) + 1)
        if len(data) > size:
            data += fh.read(cap + 1 - len(data))
    check_file_size(f, len(data), cap, what="transcript", setting="max_transcript_bytes")
    return data


class _TextBlock:
    """A block of transcripts as UTF-8 bytes, made into one Arrow ``large_string`` array.

    A file with no byte beyond ASCII is UTF-8 as it is; the others read as
    UTF-8 are checked by Arrow all at once (:meth:`array`), and only if that
    fails is each decoded by Python to find the ones that are not UTF-8,
    which :func:`decode_bytes` then decodes (cp1252, or an error naming the
    file). Files with a wide byte-order mark, NUL bytes near the start, or an
    encoding named in the manifest go to :func:`decode_bytes` at once.
    """

    def __init__(self, encoding: str | None):
        self.encoding = encoding
        self.bodies: list[bytes] = []  # each file's text, as UTF-8
        self.used: list[str] = []  # the encoding each was read with
        self.paths: list = []  # each file as given
        self.unchecked: list[tuple[int, bytes, Path]] = []  # (place, bytes read, file): UTF-8 beyond ASCII

    def add(self, f, data: bytes) -> None:
        encoding = self.encoding
        if (
            (encoding and encoding != "utf-8")
            or b"\x00" in data[:4096]
            or sniff_bom(data[:4]) not in (None, "utf-8-sig")
        ):
            text, used = decode_bytes(data, Path(f), encoding)
            body = text.encode("utf-8")
        else:
            body, used = (data[3:], "utf-8-sig") if data.startswith(codecs.BOM_UTF8) else (data, "utf-8")
            if not body.isascii():
                self.unchecked.append((len(self.bodies), data, Path(f)))
        self.bodies.append(body)
        self.used.append(used)
        self.paths.append(f)

    def _build(self):
        import pyarrow as pa

        offsets = np.zeros(len(self.bodies) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, self.bodies), dtype=np.int64, count=len(self.bodies)), out=offsets[1:])
        data = pa.py_buffer(b"".join(self.bodies))
        return pa.LargeStringArray.from_buffers(len(self.bodies), pa.py_buffer(offsets), data)

    def array(self):
        import pyarrow as pa

        array = self._build()
        if not self.unchecked:
            return array
        try:
            array.validate(full=True)  # the UTF-8 of every file, checked by Arrow
            return array
        except pa.ArrowInvalid:
            pass
        for place, data, path in self.unchecked:
            try:
                self.bodies[place].decode("utf-8")
            except UnicodeDecodeError:
                text, self.used[place] = decode_bytes(data, path, self.encoding)
                self.bodies[place] = text.encode("utf-8")
        return self._build()

    def decoded(self) -> list[tuple[Path, str]]:
        """``(file, encoding)`` of the files read with another encoding than the one expected, in order."""
        expected = self.encoding or "utf-8"
        return [(Path(path), used) for path, used in zip(self.paths, self.used) if used != expected]
