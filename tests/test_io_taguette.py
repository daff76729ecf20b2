"""Tests of leadlib.io.taguette on exports written by Taguette 1.5.2's own code.

Two sets of fixtures (provenance in tests/fixtures/README.md): the shared
three-unit toy project (tests/fixtures/taguette/*), and a project generated
with the real Taguette by tests/fixtures/taguette/make_fixtures.py
(tests/fixtures/taguette/generated/), whose expected.json records, for each
highlight, what Taguette itself made of it (its byte offsets and the plain
text Taguette's html_to_plaintext gives).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from reader_checks import READ_TABLES, assert_reader_study

from leadlib import LeadlibDataError
from leadlib.io import read_taguette
from leadlib.io.taguette import html_to_text

FIX = Path(__file__).parent / "fixtures" / "taguette"
GEN = FIX / "generated"


def check(study):
    assert_reader_study(study, READ_TABLES)
    seg = study.accounting().set_index("table").loc["segments"]
    assert (study.audit["action"] == "drop").sum() == seg["rows_dropped"]


def test_project_export_offsets_are_utf8_bytes_of_text_nodes():
    study = read_taguette(FIX / "project_export.sqlite3", site_from="variable:site")
    check(study)
    assert sorted(study.sites["site_id"]) == ["Unit A", "Unit B", "Unit C"]
    # the highlights export of the same project holds Taguette's own text of each highlight
    csv_rows = (FIX / "all_tags_highlights.csv").read_text(encoding="utf-8").splitlines()[1:]
    expected = {}
    for line in csv_rows:
        hid, _doc, tag, content = line.split(",", 3)
        expected[f"{hid}:{tag}"] = content
    got = dict(zip(study.segments["segment_id"], study.segments["text"]))
    assert got == expected
    # the em dash is 3 bytes: Taguette's end offset 160 is character 157 of the
    # text nodes, plus one line break leadlib puts between the paragraphs
    seg = study.segments.set_index("segment_id").loc["1:leadership.transformational"]
    assert (seg["start"], seg["end"]) == (74 + 1, 160 - 2 + 1)


def test_generated_project_matches_what_taguette_made_of_each_highlight():
    expected = json.loads((GEN / "expected.json").read_text(encoding="utf-8"))
    study = read_taguette(GEN / "project_export.sqlite3", site_from="variable:site")
    check(study)
    by_id = study.segments.set_index("segment_id")
    n = 0
    for item in expected:
        for tag in item["tags"]:
            row = by_id.loc[f"{item['highlight_id']}:{tag}"]
            # leadlib keeps the line break between paragraphs that Taguette's
            # text nodes do not have; Taguette's plain text joins them by a space
            assert row["text"] == item["quote"]
            assert " ".join(row["text"].split()) == item["plain_text"]
            assert row["interview_id"] == item["document"]
            assert row["code_id"] == tag.replace(".", "/")
            n += 1
    assert len(study.segments) == n == 7
    # the highlight without a tag is dropped, with its own audit entry
    drops = study.audit[study.audit["action"] == "drop"]
    untagged = [i["highlight_id"] for i in expected if not i["tags"]]
    assert len(drops) == 1 and drops["source"].iloc[0].endswith(f"highlights id {untagged[0]}")
    # dotted paths: a three-level hierarchy with parents added
    book = study.codebook.set_index("code_id")
    assert book.loc["process/building_knowledge/measures", "parent"] == "process/building_knowledge"
    assert book.loc["process/building_knowledge/measures", "group"] == "building_knowledge"
    assert book.loc["characteristic/staff_focus", "group"] == "success_characteristic"
    assert book.loc["process/building_knowledge/measures", "definition"] == "Learning from the unit's data"
    # the export credits every highlight to the exporting user, and says so
    assert set(study.segments["coder"]) == {"admin"}
    assert study.audit["reason"].str.contains("credits all changes").any()
    named = read_taguette(GEN / "project_export.sqlite3", site_from="variable:site", coder="team")
    assert set(named.segments["coder"]) == {"team"}
    # description lines are variables; role goes to the informant
    roles = dict(zip(study.informants["informant_id"], study.informants["role"].astype(object)))
    assert roles["Ward 7 - charge nurse"] == "nurse"


@pytest.mark.parametrize("name", ["all_tags_highlights.csv", "all_tags_highlights.xlsx"])
def test_highlights_export_gives_a_stand_in_transcript(name):
    study = read_taguette(FIX / name, site_from=r"pattern:^(Unit \w)", coder="rater1", codebook=FIX / "codebook.csv")
    check(study)
    assert len(study.segments) == 7  # one row per highlight x tag
    assert set(study.segments["coder"]) == {"rater1"}
    assert study.interviews["n_words"].isna().all()
    assert (study.audit["action"] == "reshape").sum() >= 3
    # the highlight with two tags is one passage in the stand-in text
    two = study.segments[study.segments["segment_id"].str.startswith("2:")]
    assert two["start"].nunique() == 1 and len(two) == 2
    assert (
        study.codebook.set_index("code_id").loc["leadership/shared", "definition"] == "Distributed / shared leadership"
    )
    assert sorted(study.sites["site_id"]) == ["Unit A", "Unit B", "Unit C"]


@pytest.mark.parametrize("name", ["codebook.csv", "codebook.xlsx", "codebook.qdc"])
def test_codebook_exports(name):
    study = read_taguette(FIX / name)
    assert sorted(study.codebook["code_id"]) == [
        "context",
        "context/staffing",
        "leadership",
        "leadership/shared",
        "leadership/transactional",
        "leadership/transformational",
    ]
    assert study.segments.empty and study.interviews.empty
    if name != "codebook.qdc":  # Taguette's .qdc drops descriptions
        assert study.codebook["definition"].notna().sum() == 4


def test_generated_highlights_csv_and_xlsx_agree():
    a = read_taguette(GEN / "highlights.csv", site_from=r"pattern:^(.*) - ")
    b = read_taguette(GEN / "highlights.xlsx", site_from=r"pattern:^(.*) - ")
    cols = ["segment_id", "interview_id", "code_id", "text"]
    assert (
        a.segments[cols].sort_values("segment_id").values.tolist()
        == b.segments[cols].sort_values("segment_id").values.tolist()
    )
    assert sorted(a.sites["site_id"]) == ["Clinic 3", "Ward 7"]


def test_no_cases_in_taguette_every_document_under_none():
    study = read_taguette(FIX / "project_export.sqlite3")  # site_from="case"
    assert study.sites["site_id"].tolist() == ["(none)"]
    assert study.audit["reason"].str.contains("has no cases").any()


def test_html_to_text_block_breaks_and_entities():
    text, parser = html_to_text("<p>a &amp; b</p><p>c<br>d</p>")
    assert text == "a & b\nc\nd"
    assert parser.bytes == len(b"a & bcd")


def test_highlight_past_the_end_is_refused_or_dropped(tmp_path):
    path = tmp_path / "broken.sqlite3"
    path.write_bytes((FIX / "project_export.sqlite3").read_bytes())
    con = sqlite3.connect(path)
    con.execute("UPDATE highlights SET end_offset = 100000 WHERE id = 3")
    con.commit()
    con.close()
    with pytest.raises(LeadlibDataError, match="past the end") as info:
        read_taguette(path, site_from="variable:site")
    assert info.value.path == path
    study = read_taguette(path, site_from="variable:site", on_bad_selection="drop")
    check(study)
    assert len(study.segments) == 6


def test_not_a_taguette_file(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(LeadlibDataError, match="not a Taguette export"):
        read_taguette(other)
    db = tmp_path / "other.sqlite3"
    sqlite3.connect(db).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(LeadlibDataError, match="not a Taguette project export"):
        read_taguette(db)
