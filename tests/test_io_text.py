"""leadlib.io.text: one word counter, the same n_words from every reader.

A word is a run of characters other than Unicode whitespace as ``str.isspace`` (and so ``str.split()``) defines it;
before, CSV study folders counted ASCII whitespace only and QDA readers used ``str.split()``, so a transcript with a
no-break space got two different ``n_words``.
"""

from __future__ import annotations

import html
import shutil
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import leadlib
from leadlib import schema
from leadlib.io import read_qualcoder, read_refi, read_taguette, write_refi
from leadlib.io.tables import count_words as count_one_in_tables
from leadlib.io.tables import read_text_files
from leadlib.io.text import WHITESPACE, count_words

FIX = Path(__file__).parent / "fixtures"

#: ASCII spaces, tabs, newlines, U+00A0, U+2003, U+3000 (all whitespace) and U+200B (not whitespace: "daily<ZWSP>at"
#: is one word).
TEXT = (
    "\u3000Nurse:\u00a0the unit\tleads\u2003itself.\nWe meet\u3000daily\u200bat eight;"
    "\u00a0\u00a0the  board\n\nshows progress\u2003"
)
WORDS = 13


def test_the_transcript_is_a_real_test_of_the_rule():
    assert len(TEXT.split()) == WORDS
    # the old rule of CSV study folders (ASCII whitespace, on bytes) gave another count
    assert len(TEXT.encode("utf-8").split()) != WORDS
    assert count_words([TEXT]).tolist() == [WORDS]


def test_whitespace_is_what_str_isspace_says_on_every_code_point():
    points = [c for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    assert tuple(c for c in points if chr(c).isspace()) == WHITESPACE
    assert 0x200B not in WHITESPACE
    assert set(WHITESPACE) >= {0x20, 0x09, 0x0A, 0xA0, 0x2003, 0x3000}
    # each character between two letters, alone, and doubled around a letter
    texts = [f"a{chr(c)}b" for c in points] + [chr(c) for c in points] + [f"{chr(c)}{chr(c)}x{chr(c)}" for c in points]
    expected = np.array([len(t.split()) for t in texts])
    assert np.array_equal(count_words(texts), expected)


def test_random_mixtures_count_as_str_split():
    rng = np.random.default_rng(7)
    pool = [" ", "\t", "\n", "\r", "\x0b", "\x1c", "\x85", "\u00a0", "\u1680", "\u2003", "\u2028", "\u202f"]
    pool += ["\u205f", "\u3000", "\u200b", "\ufeff", "a", "é", "字", "😀", "\x00", "\x1b", "…"]
    texts = ["".join(rng.choice(pool, size=rng.integers(0, 40))) for _ in range(5000)]
    assert np.array_equal(count_words(texts), [len(t.split()) for t in texts])


@pytest.mark.parametrize(
    "make",
    [
        list,
        tuple,
        lambda t: (x for x in t),
        lambda t: np.array(t, dtype=object),
        lambda t: pd.Series(t, dtype=object),
        lambda t: pd.Series(t, dtype="str"),
        lambda t: pd.Series(t, dtype="string[pyarrow]"),
        lambda t: pd.array(t, dtype="string[pyarrow]"),
        lambda t: pa.array(t),
        lambda t: pa.array(t, type=pa.large_string()),
        lambda t: pa.chunked_array([t[:3], t[3:]]),
        lambda t: pa.array(["skipped"] + t).slice(1),
    ],
)
def test_every_kind_of_column_of_strings_is_counted(make):
    texts = [TEXT, "", "  ", "one", "two words", "x\u200by"] * 400  # more than one block of Python strings
    got = count_words(make(texts))
    assert got.dtype == np.int64
    assert got.tolist() == [WORDS, 0, 0, 1, 2, 1] * 400


def test_missing_texts_and_non_strings_are_refused():
    assert count_words([]).tolist() == []
    for missing in ([TEXT, None], pd.Series([TEXT, np.nan], dtype=object), pa.array([TEXT, None])):
        with pytest.raises(ValueError, match="missing"):
            count_words(missing)
    for wrong in (TEXT, [1, 2], pa.array([1, 2])):
        with pytest.raises(TypeError):
            count_words(wrong)


def test_the_single_text_counters_follow_the_rule():
    from leadlib.io._qda import count_words as count_one_in_qda

    assert count_one_in_qda(TEXT) == WORDS
    assert count_one_in_tables(TEXT) == WORDS
    assert count_one_in_tables(TEXT.encode("utf-8")) == WORDS
    assert count_one_in_tables("\ufeffa\u00a0b".encode()) == 2  # the byte-order mark is no word
    assert count_one_in_tables("caf\u00e9\u00a0ol\u00e9".encode("cp1252")) == 2  # cp1252's no-break space


def test_text_files_are_counted_after_decoding(tmp_path):
    files = []
    for name, data in [
        ("utf8.txt", TEXT.encode("utf-8")),
        ("bom.txt", b"\xef\xbb\xbf \t" + TEXT.encode("utf-8")),  # a BOM, then spaces: no extra word
        ("cp1252.txt", "caf\u00e9\u00a0ol\u00e9 \x1c x".encode("cp1252")),  # no-break space and \x1c split
        ("empty.txt", b""),
    ]:
        (tmp_path / name).write_bytes(data)
        files.append(tmp_path / name)
    frame, _decoded = read_text_files(files)
    assert frame["n_words"].tolist() == [WORDS, WORDS, 3, 0]


# --------------------------------------------------------------------------
# The same transcript through every reader


def _study_folder(folder: Path) -> Path:
    """A one-interview study folder whose transcript is TEXT."""
    raw = folder / "raw"
    (raw / "transcripts").mkdir(parents=True)
    (folder / "study.toml").write_text(
        """[study]
name = "words"
synthetic = true

[tables.sites]
path = "raw/sites.csv"
[tables.sites.columns]
site_id = "site"
name = "name"
setting = "setting"

[tables.informants]
path = "raw/log.csv"
[tables.informants.columns]
informant_id = "informant"
site_id = "site"
role = "role"
leader_type = "leader_type"
leader_level = "leader_level"

[tables.interviews]
path = "raw/log.csv"
[tables.interviews.columns]
interview_id = "interview"
informant_id = "informant"
site_id = "site"

[tables.transcripts]
path = "raw/transcripts/*.txt"
format = "txt"

[tables.codebook]
path = "raw/codebook.csv"
[tables.codebook.columns]
code_id = "code"
label = "label"
group = "group"
parent = "parent"

[tables.segments]
path = "raw/segments.csv"
[tables.segments.columns]
interview_id = "interview"
code_id = "code"
coder = "coder"
start = "start"
end = "end"
text = "text"
""",
        encoding="utf-8",
    )
    (raw / "sites.csv").write_text(f"site,name,setting\nS1,Unit one,{schema.SETTINGS[0]}\n", encoding="utf-8")
    (raw / "log.csv").write_text(
        "interview,informant,site,role,leader_type,leader_level\nI1,P1,S1,nurse,formal,micro\n", encoding="utf-8"
    )
    (raw / "codebook.csv").write_text("code,label,group,parent\nC1,Code one,other,\n", encoding="utf-8")
    (raw / "segments.csv").write_text("interview,code,coder,start,end,text\nI1,C1,ann,1,7,Nurse:\n", encoding="utf-8")
    (raw / "transcripts" / "I1.txt").write_bytes(TEXT.encode("utf-8"))
    return folder


def _n_words(study, interview_id: str) -> int:
    row = study.interviews.set_index("interview_id").loc[interview_id]
    text = study.transcripts.set_index("interview_id").loc[interview_id, "text"]
    assert text.strip("\n") == TEXT.strip("\n")  # the same transcript reached every reader's study
    return int(row["n_words"])


def test_the_same_transcript_has_the_same_n_words_from_every_reader(tmp_path):
    got = {}
    # a CSV study folder
    study = leadlib.load_study(_study_folder(tmp_path / "study"), cache=False)
    got["study folder"] = _n_words(study, "I1")
    # leadlib's own REFI-QDA export of that study
    qdpx = write_refi(study, tmp_path / "words.qdpx")
    got["REFI-QDA"] = _n_words(read_refi(qdpx), "I1")
    # a QualCoder project with one more text file
    project = tmp_path / "words.qda"
    shutil.copytree(FIX / "qualcoder" / "leadership-demo.qda", project)
    con = sqlite3.connect(project / "data.qda")
    con.execute(
        "INSERT INTO source (id, name, fulltext, owner, date) VALUES (5, 'words', ?, 'ann', '2024-05-01')", (TEXT,)
    )
    con.commit()
    con.close()
    got["QualCoder"] = _n_words(read_qualcoder(project), "words")
    # a Taguette project export with one more document (HTML)
    export = tmp_path / "words.sqlite3"
    shutil.copyfile(FIX / "taguette" / "project_export.sqlite3", export)
    con = sqlite3.connect(export)
    con.execute(
        "INSERT INTO documents (name, description, filename, created, project_id, text_direction, contents) "
        "VALUES ('words', '', 'words.txt', '2024-05-01 00:00:00', 1, 'LEFT_TO_RIGHT', ?)",
        (f"<p>{html.escape(TEXT)}</p>",),
    )
    con.commit()
    con.close()
    got["Taguette"] = _n_words(read_taguette(export), "words")
    assert got == {reader: WORDS for reader in got}
    assert len(got) == 4
