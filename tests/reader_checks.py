"""What every study a QDA reader returns must satisfy (shared by the reader tests)."""

from __future__ import annotations

from leadlib import schema


def assert_reader_study(study, tables, *, require_transcripts: bool = True) -> None:
    """The tables follow the schema, every segment is its transcript's slice, and the accounting balances.

    ``require_transcripts=False`` lets segments of an interview without a transcript pass (a REFI-QDA
    project whose source file is missing keeps the interview).
    """
    all_tables = dict(study.tables())
    for name in tables:
        schema.validate(name, all_tables[name], tables=all_tables)
    texts = dict(zip(study.transcripts["interview_id"], study.transcripts["text"]))
    for iid, start, end, text in zip(
        study.segments["interview_id"], study.segments["start"], study.segments["end"], study.segments["text"]
    ):
        if require_transcripts or iid in texts:
            assert texts[iid][start:end] == text
    acc = study.accounting()
    assert (acc["rows_read"] == acc["rows_kept"] + acc["rows_dropped"]).all()


#: The tables the Taguette and QualCoder tests validate.
READ_TABLES = ("sites", "informants", "interviews", "transcripts", "codebook", "segments")
