"""What every study a QDA reader returns must satisfy (shared by the reader tests)."""

from __future__ import annotations

from pathlib import Path

from leadlib import schema

#: Real files written by other software (some GPL/AGPL, so not copied into the project); CI has this
#: folder beside the repository, a fresh clone does not (tests that need it skip).
REAL_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "real-corpus"


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


def assert_drops_audited(study) -> None:
    """Every row the accounting counts as dropped has its own ``drop`` entry in the audit, table by table."""
    acc = study.accounting()
    for table, dropped in zip(acc["table"], acc["rows_dropped"]):
        drops = study.audit[(study.audit["action"] == "drop") & (study.audit["table"] == table)]
        assert len(drops) == dropped, table
    kept = acc.set_index("table")["rows_kept"]
    assert kept["segments"] == len(study.segments)
    assert kept["interviews"] == len(study.interviews)


def at_word_boundaries(study) -> float:
    """Share of segments that start and end at a word boundary of their transcript.

    A coder selects words, sentences or paragraphs: with offsets read in the tool's convention nearly every
    selection begins after a non-letter and ends before one (or right after a line break or punctuation);
    read in the wrong convention (characters for UTF-16 units, say) most of them cut words.
    """
    texts = dict(zip(study.transcripts["interview_id"], study.transcripts["text"]))
    hits = [
        (s == 0 or not texts[i][s - 1].isalnum())
        and (e >= len(texts[i]) or not texts[i][e].isalnum() or not texts[i][e - 1].isalnum())
        for i, s, e in zip(study.segments["interview_id"], study.segments["start"], study.segments["end"])
    ]
    return sum(hits) / len(hits) if hits else 1.0


#: The tables the Taguette and QualCoder tests validate.
READ_TABLES = ("sites", "informants", "interviews", "transcripts", "codebook", "segments")
