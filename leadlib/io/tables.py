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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import LeadlibDataError
from .text import count_words as text_words

__all__ = ["RawTable", "read_csv", "read_xlsx", "read_text_files", "decode_bytes", "count_words", "ENCODINGS"]

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


def decode_bytes(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Decode a file's bytes: the given encoding, else UTF-8, UTF-8 with BOM, cp1252.

    Returns ``(text, encoding_used)``. A UTF-8 byte-order mark is always
    removed (and reported as ``utf-8-sig``).
    """
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
    reader = csv.reader(io.StringIO(head), delimiter=delimiter)
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
) -> RawTable:
    """Read the named columns of a CSV file as strings.

    Parameters
    ----------
    path
        The file.
    columns
        Raw column names to read (all must exist; header cells are matched
        after stripping surrounding spaces).
    skip_rows
        Lines above the header (a title, a note such as "SYNTHETIC DATA").
    delimiter
        Field separator.
    encoding
        Encoding; by default UTF-8, then UTF-8 with BOM, then cp1252.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    path = Path(path)
    if not path.exists():
        raise LeadlibDataError("file not found", path=path, hint="check the path in the manifest")
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if not head.strip() and path.stat().st_size <= len(head):
        raise LeadlibDataError("the file is empty", path=path, hint="export the table again")
    # The usual UTF-8 file is parsed straight from disk, and validated by
    # pyarrow while it parses; only a file that is not plain UTF-8 is read
    # whole and decoded here (a BOM, a named encoding, cp1252).
    if encoding:
        text, used = decode_bytes(path.read_bytes(), path, encoding)
        body = text.encode("utf-8")
    elif head.startswith(codecs.BOM_UTF8):
        used, body = "utf-8-sig", path.read_bytes()[3:]
    else:
        used, body = "utf-8", None
    header = _header(
        (body[: 1 << 16] if body is not None else head).decode("utf-8", errors="replace"), skip_rows, delimiter
    )
    stripped = [h.strip() for h in header]
    missing = [c for c in columns if c not in stripped]
    if missing:
        raise LeadlibDataError(
            f"column {missing[0]!r} is not in the file",
            path=path,
            row=skip_rows + 1,
            column=missing[0],
            hint=f"the header row has: {', '.join(repr(h) for h in stripped[:20])}; "
            "fix the column name in the manifest's `columns`, or check `skip_rows`",
        )
    wanted = {header[stripped.index(name)]: name for name in columns}

    def parse(buffer: bytes | None):
        return pacsv.read_csv(
            pa.py_buffer(buffer) if buffer is not None else pa.OSFile(str(path)),
            read_options=pacsv.ReadOptions(skip_rows=skip_rows, use_threads=True, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(wanted),
                column_types={c: pa.string() for c in wanted},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    try:
        try:
            table = parse(body)
        except pa.ArrowInvalid as exc:
            if used != "utf-8" or encoding or "UTF8" not in str(exc):
                raise
            text, used = decode_bytes(path.read_bytes(), path)  # not UTF-8: cp1252, or a clear error
            table = parse(text.encode("utf-8"))
    except (pa.ArrowInvalid, pa.ArrowKeyError) as exc:
        message = str(exc)
        row = _ragged_row(path, skip_rows, delimiter, used)
        raise LeadlibDataError(
            f"cannot be read as CSV: {message.splitlines()[0]}",
            path=path,
            row=row,
            hint="check that every row has as many fields as the header and that quotes are closed",
        ) from None
    rows = np.arange(table.num_rows, dtype=np.int64) + skip_rows + 2
    # A blank line is a row a spreadsheet shows empty: report it, don't shift rows.
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
    frame = table.to_pandas()
    frame.columns = [wanted[c] for c in frame.columns]
    notes = [] if used == "utf-8" else [f"decoded as {used}"]
    return RawTable(path=path, frame=frame, rows=rows, encoding=used, notes=notes, blank_rows=blank_rows)


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


def read_xlsx(path: Path, columns: Sequence[str], *, sheet: str | None = None, skip_rows: int = 0) -> RawTable:
    """Read the named columns of an Excel sheet, keeping cell values' types.

    Dates formatted as dates arrive as :class:`datetime.datetime`; a date
    typed as a number (an Excel serial) arrives as a number, for
    :mod:`leadlib.tidy` to recognise and audit.
    """
    import openpyxl

    path = Path(path)
    if not path.exists():
        raise LeadlibDataError("file not found", path=path, hint="check the path in the manifest")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML, key and value errors for damaged files
        raise LeadlibDataError(
            f"cannot be opened as an Excel workbook ({exc.__class__.__name__}: {exc})",
            path=path,
            hint="save it again from Excel as .xlsx",
        ) from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise LeadlibDataError(
                f"there is no sheet {sheet!r}",
                path=path,
                value=sheet,
                hint=f"sheets: {', '.join(book.sheetnames)}; fix `sheet` in the manifest",
            )
        all_rows = list(ws.iter_rows(values_only=True))
    finally:
        book.close()
    if len(all_rows) <= skip_rows:
        raise LeadlibDataError(
            "the sheet has no header row", path=path, row=skip_rows + 1, hint="check `skip_rows` in the manifest"
        )
    header = [("" if h is None else str(h)).strip() for h in all_rows[skip_rows]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise LeadlibDataError(
            f"column {missing[0]!r} is not in the sheet",
            path=path,
            row=skip_rows + 1,
            column=missing[0],
            hint=f"the header row has: {', '.join(repr(h) for h in header if h)}; fix the manifest's `columns`",
        )
    index = [header.index(c) for c in columns]
    records, rows, blank_rows = [], [], []
    for offset, values in enumerate(all_rows[skip_rows + 1 :]):
        row_number = skip_rows + 2 + offset
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            blank_rows.append(row_number)
            continue
        records.append([values[i] if i < len(values) else None for i in index])
        rows.append(row_number)
    # Trailing blank rows are formatting, not data a person typed.
    while blank_rows and blank_rows[-1] > (rows[-1] if rows else 0):
        blank_rows.pop()
    frame = pd.DataFrame(records, columns=list(columns), dtype=object)
    for col in frame.columns:
        frame[col] = frame[col].map(lambda v: "" if v is None else v)
    return RawTable(path=path, frame=frame, rows=np.asarray(rows, dtype=np.int64), encoding=None, blank_rows=blank_rows)


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
    files: Sequence[Path], *, encoding: str | None = None
) -> tuple[pd.DataFrame, list[tuple[Path, str]]]:
    """Read one text file per interview.

    Returns a frame with ``file``, ``stem``, ``text`` and ``n_words``
    columns, and the files that needed an encoding other than UTF-8
    (``(path, encoding)``). The text is kept exactly as decoded (line endings
    included), because segment offsets count its characters. Files are read a
    few hundred at a time, so that only one block is held twice (as bytes and
    as text) at any moment.
    """
    import pyarrow as pa

    names, chunks, words, decoded = [], [], [], []
    block = 400
    for lo in range(0, len(files), block):
        texts = []
        for f in files[lo : lo + block]:
            with open(f, "rb") as fh:
                data = fh.read()
            try:
                if encoding and encoding != "utf-8":
                    raise UnicodeDecodeError("utf-8", b"", 0, 1, "encoding given")
                text, used = data.decode("utf-8"), "utf-8"
                if text.startswith("\ufeff"):
                    text, used = text[1:], "utf-8-sig"
            except UnicodeDecodeError:
                text, used = decode_bytes(data, Path(f), encoding)
            if used != (encoding or "utf-8"):
                decoded.append((Path(f), used))
            names.append(os.path.basename(f))
            texts.append(text)
        chunks.append(pa.array(texts, type=pa.large_string()))
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
