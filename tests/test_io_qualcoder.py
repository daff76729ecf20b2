"""Tests of leadlib.io.qualcoder on a project built from QualCoder's own schema.

The fixture (tests/fixtures/qualcoder/, made by make_fixture.py there) uses
the CREATE TABLE statements of QualCoder's create_project verbatim and a
coding report in the layout of QualCoder's report export; the right answers
below come from the fixture script's own inputs (quotes, cases, attributes).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from reader_checks import READ_TABLES, assert_reader_study

from leadlib import LeadlibDataError
from leadlib.io import read_qualcoder

FIX = Path(__file__).parent / "fixtures" / "qualcoder"
PROJECT = FIX / "leadership-demo.qda"
REPORT = FIX / "leadership-demo_coding_report.csv"


def check(study):
    assert_reader_study(study, READ_TABLES)
    acc = study.accounting().set_index("table")
    assert (study.audit["action"] == "drop").sum() == acc.loc["segments", "rows_dropped"]


def quotes_in_db() -> list[str]:
    con = sqlite3.connect(f"file:{PROJECT / 'data.qda'}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute("SELECT seltext FROM code_text ORDER BY ctid")]
    finally:
        con.close()


def test_project_cases_codes_and_codings():
    study = read_qualcoder(PROJECT)
    check(study)
    # every coding's text is what QualCoder stored (seltext), also across the
    # emoji and the Windows line endings of the staff nurse's interview
    assert (
        study.segments.sort_values("segment_id", key=lambda s: s.str[5:].astype(int))["text"].tolist() == quotes_in_db()
    )
    assert "\r" not in "".join(study.transcripts["text"])
    # cases are sites, with their attributes; file attributes reach the informant
    sites = study.sites.set_index("site_id")
    assert sorted(sites.index) == ["North unit", "South unit"]
    assert sites.loc["North unit", "setting"] == "inpatient_unit"
    assert sites.loc["North unit", "beds"] == 28
    assert (
        sites.loc["South unit", "setting"] != sites.loc["South unit", "setting"]
    )  # "Surgical ward" is not a setting: empty
    assert study.audit["before"].eq("Surgical ward").any()
    roles = dict(zip(study.informants["informant_id"], study.informants["role"].astype(str)))
    assert roles["South - physician.txt"] == "physician"
    # categories and sub-codes make one hierarchy
    book = study.codebook.set_index("code_id")
    assert book.loc["Leading/Taking action/Test of change", "parent"] == "Leading/Taking action"
    assert book.loc["Leading/Building knowledge/Measures", "group"] == "building_knowledge"
    assert book.loc["Huddle", "group"] == "other"
    # two coders on one interview: anna made 3 codings there, ben 1
    north = study.segments[study.segments["interview_id"] == "North - nurse manager.txt"]
    assert north.groupby("coder")["primary"].all().to_dict() == {"anna": True, "ben": False}
    # the picture coding is dropped and accounted for
    acc = study.accounting().set_index("table")
    assert acc.loc["segments", "rows_read"] == 9 and acc.loc["segments", "rows_dropped"] == 1


def test_database_path_and_folder_give_the_same_study():
    a = read_qualcoder(PROJECT)
    b = read_qualcoder(PROJECT / "data.qda")
    assert a.segments.equals(b.segments)


def test_site_from_variable_and_pattern():
    by_var = read_qualcoder(PROJECT, site_from="variable:setting")
    assert sorted(by_var.sites["site_id"]) == ["Surgical ward", "inpatient_unit"]
    by_pattern = read_qualcoder(PROJECT, site_from=r"pattern:^(\w+) -")
    assert sorted(by_pattern.sites["site_id"]) == ["North", "South"]


def test_coding_report_csv():
    study = read_qualcoder(REPORT, site_from=r"pattern:^(\w+) -")
    check(study)
    assert len(study.segments) == 8
    assert sorted(study.segments["text"]) == sorted(quotes_in_db())
    assert study.interviews["n_words"].isna().all()  # stand-in transcripts
    # the Category columns (nearest first) give the hierarchy
    book = study.codebook.set_index("code_id")
    assert book.loc["Leading/Building knowledge/Measures", "parent"] == "Leading/Building knowledge"
    acc = study.accounting().set_index("table")
    assert acc.loc["segments", "rows_dropped"] == 1  # the image row


def test_not_a_qualcoder_project(tmp_path):
    empty = tmp_path / "empty.qda"
    empty.mkdir()
    with pytest.raises(LeadlibDataError, match="no data.qda"):
        read_qualcoder(empty)
    other = tmp_path / "other.qda"
    other.mkdir()
    sqlite3.connect(other / "data.qda").execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(LeadlibDataError, match="not a QualCoder project"):
        read_qualcoder(other)
    csv = tmp_path / "report.csv"
    csv.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(LeadlibDataError, match="not a QualCoder coding report") as info:
        read_qualcoder(csv)
    assert info.value.row == 1


def test_coding_past_the_end_of_its_file(tmp_path):
    folder = tmp_path / "broken.qda"
    folder.mkdir()
    (folder / "data.qda").write_bytes((PROJECT / "data.qda").read_bytes())
    con = sqlite3.connect(folder / "data.qda")
    con.execute("UPDATE code_text SET pos1 = 9999 WHERE ctid = 8")
    con.commit()
    con.close()
    with pytest.raises(LeadlibDataError, match="past the end"):
        read_qualcoder(folder)
    study = read_qualcoder(folder, on_bad_selection="drop")
    check(study)
    assert "ctid:8" not in set(study.segments["segment_id"])
