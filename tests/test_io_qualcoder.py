"""Tests of leadlib.io.qualcoder on a project built from QualCoder's own schema.

The fixture (tests/fixtures/qualcoder/, made by make_fixture.py there) uses
the CREATE TABLE statements of QualCoder's create_project verbatim and a
coding report in the layout of QualCoder's report export; the right answers
below come from the fixture script's own inputs (quotes, cases, attributes).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from reader_checks import READ_TABLES, assert_reader_study

from leadlib import LeadlibDataError
from leadlib.io import read_qualcoder

FIX = Path(__file__).parent / "fixtures" / "qualcoder"
PROJECT = FIX / "leadership-demo.qda"
REPORT = FIX / "leadership-demo_coding_report.csv"
REPORT_FILE_36 = FIX / "leadership-demo_coding_report_file_qc36.csv"
REPORT_CASE_36 = FIX / "leadership-demo_coding_report_case_qc36.csv"


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


def test_reports_of_qualcoder_36_have_bom_crlf_and_every_cell_quoted():
    # what the reader must cope with, as QualCoder 3.6's export_csv_file writes it
    for path, first in ((REPORT_FILE_36, '"File",'), (REPORT_CASE_36, '"Case","Filename",')):
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf" + first.encode())
        assert data.count(b"\r\n") == data.count(b"\n")


def test_file_report_of_qualcoder_36_reads_like_the_older_one():
    old = read_qualcoder(REPORT, site_from=r"pattern:^(\w+) -")
    new = read_qualcoder(REPORT_FILE_36, site_from=r"pattern:^(\w+) -")
    check(new)
    columns = ["segment_id", "interview_id", "code_id", "coder", "text", "primary"]
    assert new.segments[columns].equals(old.segments[columns])
    assert new.codebook["code_id"].tolist() == old.codebook["code_id"].tolist()
    # its FileVar_role column gives the informants their roles, as the project's file attributes do
    roles = dict(zip(new.informants["informant_id"], new.informants["role"].astype(str)))
    assert roles == {
        "North - nurse manager.txt": "nurse_manager",
        "North - staff nurse.txt": "nurse",
        "South - physician.txt": "physician",
    }
    assert new.accounting().set_index("table").loc["segments", "rows_dropped"] == 1  # the image row


def test_case_report_of_qualcoder_36_gives_the_sites_of_the_project():
    project = read_qualcoder(PROJECT)
    report = read_qualcoder(REPORT_CASE_36)
    check(report)
    # cases are sites, with their CaseVar_ attributes, as in the project itself
    sites = report.sites.set_index("site_id")
    assert sorted(sites.index) == sorted(project.sites["site_id"]) == ["North unit", "South unit"]
    assert sites.loc["North unit", "setting"] == "inpatient_unit"
    assert sites["beds"].tolist() == [28, 32]
    site_of = dict(zip(report.interviews["interview_id"], report.interviews["site_id"]))
    assert site_of == dict(zip(project.interviews["interview_id"], project.interviews["site_id"]))
    # the same codings, by the same coders, with the same primary flags
    key = ["segment_id", "interview_id", "code_id", "coder", "text", "primary"]
    a = report.segments[key].sort_values("segment_id").reset_index(drop=True)
    b = project.segments[key].sort_values("segment_id").reset_index(drop=True)
    b["code_id"] = b["code_id"].str.replace("Leading/Taking action/Test of change", "Test of change")
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_case_report_lists_a_coding_under_each_case_of_its_file(tmp_path):
    # a file in two cases: QualCoder's report by case repeats its codings under the second case
    rows = REPORT_CASE_36.read_text(encoding="utf-8-sig").splitlines()
    repeated = [r.replace('"North unit"', '"Night shift"', 1) for r in rows[5:7]]
    path = tmp_path / "by_case.csv"
    path.write_text("\r\n".join(rows + repeated) + "\r\n", encoding="utf-8-sig")
    study = read_qualcoder(path)
    check(study)
    assert len(study.segments) == 8
    acc = study.accounting().set_index("table")
    assert (acc.loc["segments", "rows_read"], acc.loc["segments", "rows_dropped"]) == (10, 2)
    drops = study.audit[study.audit["action"] == "drop"]
    assert drops["reason"].str.contains("listed already").all()
    # the file is in both cases: the first is its site, audited
    assert study.interviews.set_index("interview_id").loc["North - staff nurse.txt", "site_id"] == "North unit"
    assert study.audit["reason"].str.contains("belongs to 2 cases").any()


def test_case_report_without_filename_makes_one_document_per_case(tmp_path):
    rows = [r.split('","', 2) for r in REPORT_CASE_36.read_text(encoding="utf-8-sig").splitlines()]
    path = tmp_path / "by_case.csv"
    path.write_text("\r\n".join(r[0] + '","' + r[2] for r in rows) + "\r\n", encoding="utf-8-sig")
    study = read_qualcoder(path)
    check(study)
    assert study.interviews.set_index("interview_id")["site_id"].to_dict() == {
        "North unit": "North unit",
        "South unit": "South unit",
    }
    assert len(study.segments) == 8


@pytest.mark.parametrize("first", ["Files", "file/case", "Cases"])
def test_report_with_an_unknown_first_column_is_refused(tmp_path, first):
    path = tmp_path / "report.csv"
    path.write_text(f'"{first}","Coder","Coded","Id","Codename"\r\n"a","b","c","ctid:1","d"\r\n')
    with pytest.raises(LeadlibDataError, match="not a QualCoder coding report") as info:
        read_qualcoder(path)
    assert info.value.row == 1
