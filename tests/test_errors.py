"""LeadlibDataError: the message names file, row, column, value and what to do."""

from __future__ import annotations

import pickle
from pathlib import Path

from leadlib import LeadlibDataError
from leadlib.errors import spreadsheet_row


def test_message_names_everything():
    e = LeadlibDataError(
        "date is not a date",
        path="raw/log.csv",
        row=7,
        column="Date",
        value="31/02/2001",
        hint="write dates as YYYY-MM-DD",
    )
    text = str(e)
    for part in ("raw/log.csv", "row 7", "'Date'", "'31/02/2001'", "What to do: write dates as YYYY-MM-DD"):
        assert part in text
    assert e.path == Path("raw/log.csv") and e.row == 7 and e.column == "Date" and e.value == "31/02/2001"


def test_long_values_are_shortened_in_the_message_but_kept_whole():
    value = "x" * 500
    e = LeadlibDataError("too long", value=value)
    assert len(str(e)) < 200
    assert e.value == value


def test_error_survives_pickling_with_its_attributes():
    e = LeadlibDataError("bad", path="a.csv", row=3, column="c", value=1, hint="fix")
    back = pickle.loads(pickle.dumps(e))
    assert (back.path, back.row, back.column, back.value, back.hint) == (Path("a.csv"), 3, "c", 1, "fix")


def test_spreadsheet_row_counts_header_and_lines_above_it():
    assert spreadsheet_row(0) == 2  # first record under a header on line 1
    assert spreadsheet_row(0, skip_rows=2) == 4
    assert spreadsheet_row(9, header_rows=1, skip_rows=1) == 12
