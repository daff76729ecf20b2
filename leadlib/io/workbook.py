"""Reading one sheet of an Excel workbook (.xlsx) safely, over its used range only.

A workbook is a zip archive of XML parts, made by someone else: it goes
through the zip guards of :func:`leadlib.io._safe.open_zip` (members, declared
and actual sizes, compression ratios), its sheet's prolog is vetted for a DTD
by :func:`leadlib.io._safe.iterparse`, and the sheet is then streamed by
openpyxl's own sheet parser, so that cell values keep openpyxl's meaning
(numbers, dates by their number format, shared strings, booleans).

Unlike openpyxl's read-only worksheet, nothing is padded: the cells the XML
holds are kept, with their row and column, and nothing else. A stray space
typed in cell XFD1048576 costs one cell, not a million padded rows of 16,384
columns (openpyxl's ``iter_rows`` walks the sheet's declared dimension).

What openpyxl's read-only mode does not give, and tidying needs, is kept
too: hidden rows, merged ranges, and the cells holding a formula with no
value saved by Excel (files written by scripts), which ``data_only`` would
read as blanks.

python-calamine (``pd.read_excel(engine="calamine")``) was measured
(``benchmarks/bench_workbook.py``): it exposes merged ranges but neither
hidden rows nor whether a formula has a cached value, so this reader stays on
openpyxl's parser.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LeadlibDataError
from ._safe import DEFAULT_LIMITS, Limits, SafeZip, check_file_size, check_input_file, iterparse, open_zip

__all__ = ["Sheet", "read_sheet", "column_letter", "OLE2_MAGIC"]

#: First bytes of an OLE2 compound file: an encrypted workbook, or an old .xls.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")  # a stream of every encrypted Office file
_WHAT = "an Excel workbook (.xlsx)"
_CHUNK = 1 << 20


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 1-based column: 1 -> "A", 28 -> "AB"."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Sheet:
    """The cells one sheet's XML holds.

    ``cells`` maps a row to ``{column: value}`` for every cell with a value
    (rows and columns 1-based, as a spreadsheet numbers them). ``hidden`` are
    the hidden rows; ``merged`` the merged ranges as ``(ref, min_col,
    min_row, max_col, max_row)``; ``uncached`` the ``(row, column)`` of cells
    holding a formula without a saved value.
    """

    name: str
    cells: dict[int, dict[int, object]] = field(default_factory=dict)
    hidden: list[int] = field(default_factory=list)
    merged: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    uncached: list[tuple[int, int]] = field(default_factory=list)


def read_sheet(
    path: str | Path, *, sheet: str | None = None, root: str | Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> Sheet:
    """Read the cells of one sheet of an ``.xlsx`` workbook.

    Parameters
    ----------
    path
        The workbook.
    sheet
        The sheet's name; the first sheet by default.
    root
        The study folder the file must stay inside (see
        :func:`leadlib.io._safe.check_input_file`).
    limits
        Caps: the file's size (``max_table_bytes``) and the zip guards.

    Raises
    ------
    LeadlibDataError
        For a file outside ``root`` or not a regular file, a file over the
        cap, an encrypted workbook or an old ``.xls``, a damaged or hostile
        archive, a missing sheet, a cell that cannot be read.
    """
    path = Path(path)
    resolved = check_input_file(path, root=root)
    size = resolved.stat().st_size
    check_file_size(path, size, limits.max_table_bytes, what="workbook", setting="max_table_bytes")
    with open(resolved, "rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE2_MAGIC):
        raise _ole2_error(path, resolved)
    if size and not head.startswith(_ZIP_MAGIC):
        raise LeadlibDataError(
            "cannot be opened as an Excel workbook: it is not an .xlsx file (an .xlsx is a zip archive)",
            path=path,
            hint="open it in Excel and save it as an Excel Workbook (.xlsx)",
        )
    with open_zip(resolved, limits=limits, what=_WHAT) as archive:
        _check_actual_sizes(archive)
        return _read(path, resolved, archive, sheet)


def _ole2_error(path: Path, resolved: Path) -> LeadlibDataError:
    """An encrypted workbook, or an old .xls: both are OLE2 compound files, not zips."""
    with open(resolved, "rb") as fh:
        data = fh.read(16 * _CHUNK)
    if _ENCRYPTED_MARK in data:
        return LeadlibDataError(
            "the workbook is encrypted (protected by a password to open it); leadlib cannot read it",
            path=path,
            hint="open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password: "
            "clear it) and save it as .xlsx",
        )
    return LeadlibDataError(
        "is an old-format Excel file (.xls, an OLE2 compound file), not an .xlsx workbook",
        path=path,
        hint="open it in Excel and save it as an Excel Workbook (.xlsx)",
    )


def _check_actual_sizes(archive: SafeZip) -> None:
    """Decompress every member once, in capped streams: a member that lies about its size is stopped.

    openpyxl opens the archive with :mod:`zipfile` itself; the declared
    sizes were checked by :func:`open_zip`, and this pass checks that no
    member decompresses to more than it declares.
    """
    for name in archive.names:
        with archive.open(name) as stream:
            while stream.read(_CHUNK):
                pass


def _read(path: Path, resolved: Path, archive: SafeZip, sheet: str | None) -> Sheet:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(resolved, read_only=True, data_only=True)
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
        member = ws._worksheet_path
        with archive.open(member) as stream:  # a DTD can only stand in the prolog: vet it
            for _event in iterparse(stream, path, events=("start",), member=member):
                break
        with archive.open(member) as stream:
            return _parse(path, ws.title, stream, book, ws._shared_strings)
    finally:
        book.close()


def _parse(path: Path, title: str, stream, book, shared_strings) -> Sheet:
    from xml.etree.ElementTree import ParseError

    from openpyxl.utils.cell import range_boundaries

    parser = _parser_class()(
        stream,
        shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    parser.path = path
    out = Sheet(name=title)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for row, cells in parser.parse():
                kept = {c["column"]: c["value"] for c in cells if c["value"] is not None}
                if kept:
                    out.cells.setdefault(row, {}).update(kept)
    except LeadlibDataError:
        raise
    except (ParseError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise LeadlibDataError(
            f"the sheet {title!r} cannot be read ({exc.__class__.__name__}: {exc})",
            path=path,
            hint="the workbook is damaged; open it in Excel and save it again as .xlsx",
        ) from None
    out.hidden = sorted(
        int(r) for r, attrs in parser.row_dimensions.items() if str(attrs.get("hidden", "")).lower() in ("1", "true")
    )
    if parser.merged_cells is not None:
        for merged in parser.merged_cells.mergeCell:
            ref = str(merged.ref)
            out.merged.append((ref, *range_boundaries(ref)))
    out.uncached = parser.uncached
    return out


@functools.cache
def _parser_class():
    """openpyxl's sheet parser, told to note formulas without a saved value (made on first use)."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class _Parser(WorkSheetParser):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.uncached: list[tuple[int, int]] = []
            self.path: Path | None = None

        def parse_cell(self, element):
            try:
                cell = super().parse_cell(element)
            except (ValueError, IndexError, OverflowError) as exc:
                where = element.get("r") or f"column {self.col_counter + 1} of row {self.row_counter}"
                raise LeadlibDataError(
                    f"cell {where} cannot be read ({exc.__class__.__name__}: {exc})",
                    path=self.path,
                    row=self.row_counter or None,
                    value=element.findtext(VALUE_TAG),
                    hint="correct the cell in Excel and save the workbook again",
                ) from None
            # no <v>, or an empty one on a cell not typed as text (openpyxl writes <v></v>); an empty
            # <v> on a text cell (t="str") is a formula whose saved value is the empty string
            saved = element.findtext(VALUE_TAG)
            if (
                cell["value"] is None
                and element.find(FORMULA_TAG) is not None
                and (saved is None or (not saved and element.get("t") != "str"))
            ):
                self.uncached.append((cell["row"], cell["column"]))
            return cell

    return _Parser
