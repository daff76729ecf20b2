"""The readers on files that real software wrote for real projects (``../shared/fixtures/real-corpus/``).

Those files are GPL/AGPL or large, so they stay outside the project: CI has the folder beside the
repository, a fresh clone does not, and then these tests skip. The quirks each shows are reproduced in small
fixtures the reader tests build (tests/test_io_refi.py, test_io_qualcoder.py), which always run. The right
answers below were read off the files themselves (the real-corpus README says what each holds: who made the
selections, how many codings, where the source files sit).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter

import pytest
from reader_checks import READ_TABLES, REAL_CORPUS, assert_drops_audited, assert_reader_study, at_word_boundaries

from leadlib.io import read_refi, read_taguette

pytestmark = pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason=f"the real corpus is not at {REAL_CORPUS}")


def check(study) -> None:
    assert_reader_study(study, READ_TABLES)
    assert_drops_audited(study)


def test_nvivo_windows_credits_the_user_who_made_the_selections():
    study = read_refi(REAL_CORPUS / "nvivo_win_oltas_early" / "oltas.qdpx")
    check(study)
    # all 97 selections were made by Gergo; every Coding carries floriansipos, the codes' creator
    assert Counter(study.segments["coder"]) == {"Gergo": 97}
    notes = study.audit[study.audit["reason"].str.contains("another user than its selection")]
    assert notes["n"].sum() == 97
    # "Sources/" capitalised, text with BOM and CRLF: found, cleaned, offsets in UTF-16 units over CRLF
    assert len(study.transcripts) == 1
    text = study.transcripts["text"].iloc[0]
    assert not text.startswith("\ufeff") and "\r" not in text
    assert at_word_boundaries(study) == 1.0


def test_nvivo_mac_emoji_offsets_and_its_coder():
    study = read_refi(REAL_CORPUS / "nvivo_mac_oltas" / "OltasSzkepticizmus_17June.qdpx")
    check(study)
    assert len(study.segments) == 297 and len(study.transcripts) == 2
    assert set(study.segments["coder"]) == {"floriansipos"}
    # ~890 emoji per text: read as characters, only 14% of the selections would sit at word boundaries
    assert at_word_boundaries(study) > 0.98


def test_qc_bare_paths_nameless_sources_and_no_selection_user():
    path = REAL_CORPUS / "qc_demo" / "demo.qdpx"
    study = read_refi(path)
    check(study)
    # both transcripts found under sources/, the interviews named after their files
    assert sorted(study.transcripts["interview_id"]) == ["admin-1.txt", "board_2017.txt"]
    assert study.interviews["n_words"].notna().all()
    assert len(study.segments) == 205 and set(study.segments["coder"]) == {"cp"}
    # qc names each selection after the (0-based) line it starts: every segment starts there
    xml = zipfile.ZipFile(path).read("project.qde").decode("utf-8")
    lines_of = {int(start): int(line) for line, start in re.findall(r'name="line:(\d+)" startPosition="(\d+)"', xml)}
    text = study.transcripts.set_index("interview_id").loc["board_2017.txt", "text"]
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    starts = study.segments["start"].astype(int)
    assert len(lines_of) == 158 and set(starts) == set(lines_of)
    assert all(line_starts[lines_of[s]] == s for s in starts)
    credited = study.audit[study.audit["reason"].str.contains("selections name no creatingUser")]
    assert credited["n"].sum() == 205


def test_taguette_2022_project_export_and_its_highlights_csv_agree():
    folder = REAL_CORPUS / "taguette_serdif"
    project = read_taguette(folder / "SERDIF_P2_ThematicAnalysis.sqlite3")
    highlights = read_taguette(folder / "all_tags_20220303.csv")
    codebook = read_taguette(folder / "codebook_20220303_8.csv")
    for study in (project, highlights, codebook):
        check(study)
    # 1,931 highlight-tag rows read from the export: one highlight has no tag (dropped), 1,930 kept,
    # as many as the highlights CSV has rows
    acc = project.accounting().set_index("table")
    assert (acc.loc["segments", "rows_read"], acc.loc["segments", "rows_kept"]) == (1931, 1930)
    assert len(highlights.segments) == 1930 and len(project.transcripts) == 17

    def key(study):
        words = study.segments["text"].str.split().str.join(" ")
        return Counter(zip(study.segments["interview_id"], study.segments["code_id"], words))

    assert key(project) == key(highlights)
    assert sorted(codebook.codebook["code_id"]) == sorted(project.codebook["code_id"])
    assert codebook.codebook["definition"].notna().sum() == 22
