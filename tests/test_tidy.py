"""leadlib.tidy on a small hand-built study whose right answer is known, and each bad-input case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import leadlib
from leadlib import LeadlibDataError
from leadlib.tidy import excel_serial_to_date, normalise_label

T1 = "Q: How do you know?\n\nA: We look at falls every week. Then we talk."
T2 = "Q: What happened?\n\nA: The manager got us a new scale."

FILES = {
    "sites.csv": (
        "Site ID,Name,Setting,Visit\n"
        "S01,  Maple  Ridge Clinic ,Primary care,2001-03-14\n"
        "S02,Harbor ICU,ICU / NICU,36965\n"
    ),
    "log.csv": (
        "Interview,Informant,Unit,Role,Leader,Level,Date\n"
        "S01-I01,S01-P01,maple ridge clinic,RN,Informal,Micro,2001-03-14\n"
        "S01-I02,S01-P02,S01,Nurse Manager,formal,N/A,2001-03-15\n"
        "S02-I01,S02-P01,Harbor Intensive Care,Physician,No,-,\n"
    ),
    "codes.csv": (
        "ID,Label,Group,Parent\n"
        "BK,Building knowledge,Building knowledge,\n"
        "BK.m,Watching measures,Building knowledge,BK\n"
        "TA,Taking action,taking_action,\n"
        "TA.r,Securing resources,taking_action,TA\n"
    ),
    "segments.csv": (
        "Doc,Code,Begin,End,Text,Coder\n"
        f"S01-I01,Building knowledge\\Watching the numbers,25,56,{T1[25:56]},MH\n"
        f"S01-I01,Building knowledge\\Watching the numbers,25,56,{T1[25:56]},MH\n"
        f" S02-I01 ,TA.r,22,53,{T2[22:53]},MH\n"
    ),
}

MANIFEST = """
[study]
name = "hand-built"
[tables.sites]
path = "sites.csv"
columns = { site_id = "Site ID", name = "Name", setting = "Setting", visit_date = "Visit" }
[tables.informants]
path = "log.csv"
columns = { informant_id = "Informant", site_id = "Unit", role = "Role", leader_type = "Leader", leader_level = "Level" }
[tables.interviews]
path = "log.csv"
columns = { interview_id = "Interview", informant_id = "Informant", site_id = "Unit", date = "Date" }
[tables.transcripts]
path = "t/*.txt"
[tables.codebook]
path = "codes.csv"
columns = { code_id = "ID", label = "Label", group = "Group", parent = "Parent" }
[tables.segments]
path = "segments.csv"
code_path_separator = "\\\\"
columns = { interview_id = "Doc", code_id = "Code", start = "Begin", end = "End", text = "Text", coder = "Coder" }
[aliases.sites]
"Harbor Intensive Care" = "S02"
[aliases.roles]
RN = "nurse"
[aliases.leader_types]
No = "none"
[aliases.codes]
"Building knowledge\\\\Watching the numbers" = "BK.m"
"""  # noqa: E501 (an inline TOML table must stay on one line)


def build(folder: Path, *, files=None, manifest=MANIFEST, transcripts=None) -> Path:
    files = {**FILES, **(files or {})}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "t").mkdir(exist_ok=True)
    for name, text in (
        transcripts or {"S01-I01.txt": T1, "S01-I02.txt": "Q: Hi?\n\nA: Hello.", "S02-I01.txt": T2}
    ).items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (folder / "t" / name).write_bytes(data)
    (folder / "study.toml").write_text(manifest, encoding="utf-8")
    return folder


def load(folder):
    return leadlib.load_study(folder, cache=False)


def test_excel_serials_follow_the_1900_date_system():
    # Known values of Excel's 1900 system (serial 1 = 1900-01-01; 60 is Excel's phantom 29 Feb 1900).
    assert excel_serial_to_date(1) == dt.datetime(1900, 1, 1)
    assert excel_serial_to_date(59) == dt.datetime(1900, 2, 28)
    assert excel_serial_to_date(61) == dt.datetime(1900, 3, 1)
    assert excel_serial_to_date(36526) == dt.datetime(2000, 1, 1)
    assert excel_serial_to_date(36965) == dt.datetime(2001, 3, 15)


def test_normalise_label():
    assert normalise_label(" ICU / NICU ") == "icu_nicu"
    assert normalise_label("Long-term care") == "long_term_care"


def test_hand_built_study_tidies_to_the_known_tables(tmp_path):
    s = load(build(tmp_path))
    assert s.sites["name"].tolist() == ["Maple Ridge Clinic", "Harbor ICU"]
    assert s.sites["setting"].astype(str).tolist() == ["primary_care", "icu_nicu"]
    assert s.sites["visit_date"].tolist() == [pd.Timestamp("2001-03-14"), pd.Timestamp("2001-03-15")]
    inf = s.informants.set_index("informant_id")
    assert inf["site_id"].tolist() == ["S01", "S01", "S02"]
    assert inf["role"].astype(str).tolist() == ["nurse", "nurse_manager", "physician"]
    assert inf["leader_type"].astype(str).tolist() == ["informal", "formal", "none"]
    assert inf["leader_level"].isna().tolist() == [False, True, True]
    assert s.interviews["date"].isna().tolist() == [False, False, True]
    assert s.interviews.set_index("interview_id").loc["S01-I01", "n_words"] == len(T1.split())
    seg = s.segments
    assert seg["code_id"].tolist() == ["BK.m", "TA.r"]
    assert seg["interview_id"].tolist() == ["S01-I01", "S02-I01"]
    assert seg["segment_id"].tolist() == ["S01-I01.MH.0001", "S02-I01.MH.0001"]
    assert seg["primary"].all()
    book = s.code_table().set_index("code_id")
    assert book.loc["BK.m", "process"] == "building_knowledge" and book.loc["TA.r", "depth"] == 1


def test_every_decision_is_in_the_audit(tmp_path):
    s = load(build(tmp_path))
    a = s.audit

    def has(table, action, column, before=None, after=None):
        rows = a[(a["table"] == table) & (a["action"] == action) & (a["column"].fillna("") == column)]
        if before is not None:
            rows = rows[rows["before"] == before]
        if after is not None:
            rows = rows[rows["after"] == after]
        return len(rows) > 0

    assert has("sites", "strip", "name")
    assert has("sites", "recode", "setting", "ICU / NICU", "icu_nicu")
    assert has("sites", "date", "visit_date", "36965", "2001-03-15")
    assert has("informants", "recode", "site_id", "maple ridge clinic", "S01")  # name -> ID, case-insensitive
    assert has("informants", "recode", "site_id", "Harbor Intensive Care", "S02")  # alias
    assert has("informants", "recode", "role", "RN", "nurse")
    assert has("informants", "missing", "leader_level", "N/A")
    assert has("segments", "recode", "code_id", "Building knowledge\\Watching the numbers", "BK.m")
    assert has("segments", "strip", "interview_id")
    drops = a[a["action"] == "drop"]
    assert drops["source"].tolist() == ["segments.csv:row 3"]
    assert "exact duplicate of row 2" in drops["reason"].iloc[0]


def test_accounting_balances_and_each_drop_is_audited(tmp_path):
    s = load(build(tmp_path))
    acc = s.accounting()
    assert (acc["rows_read"] == acc["rows_kept"] + acc["rows_dropped"]).all()
    seg = acc[acc["source"] == "segments.csv"].iloc[0]
    assert (seg["rows_read"], seg["rows_kept"], seg["rows_dropped"]) == (3, 2, 1)
    drops = s.audit[s.audit["action"] == "drop"]
    for row in acc.itertuples():
        mine = drops[(drops["table"] == row.table) & drops["source"].str.startswith(row.source.split("*")[0])]
        assert int(mine["n"].sum()) == row.rows_dropped


def test_load_writes_nothing_outside_the_study_folder(tmp_path):
    folder = build(tmp_path / "study" if (tmp_path / "study").mkdir() is None else tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    leadlib.load_study(folder)  # with the cache
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not (folder / ".leadlib-cache").exists()  # the cache lives in the user's cache directory


# ---------------------------------------------------------------- bad input


def expect(tmp_path, message, *, row=None, column=None, value=None, file=None, **changes):
    folder = build(tmp_path, **changes)
    with pytest.raises(LeadlibDataError) as err:
        load(folder)
    e = err.value
    assert message in str(e), str(e)
    assert "What to do:" in str(e)
    if row is not None:
        assert e.row == row, str(e)
    if column is not None:
        assert e.column == column, str(e)
    if value is not None:
        assert e.value == value, str(e)
    if file is not None:
        assert e.path.name == file, str(e)
    return e


def test_missing_file(tmp_path):
    folder = build(tmp_path)
    (folder / "codes.csv").unlink()
    with pytest.raises(LeadlibDataError, match="file not found") as err:
        load(folder)
    assert err.value.path.name == "codes.csv"


def test_missing_required_column(tmp_path):
    manifest = MANIFEST.replace(
        'columns = { interview_id = "Interview", informant_id = "Informant", site_id = "Unit", date = "Date" }',
        'columns = { interview_id = "Interview", site_id = "Unit", date = "Date" }',
    )
    expect(tmp_path, "no column 'informant_id'", manifest=manifest, file="log.csv")


def test_column_named_in_manifest_but_absent_from_file(tmp_path):
    expect(
        tmp_path,
        "column 'Visit' is not in the file",
        files={"sites.csv": "Site ID,Name,Setting\nS01,A,Hospice\n"},
        row=1,
        column="Visit",
        file="sites.csv",
    )


def test_duplicate_ids_that_disagree(tmp_path):
    sites = FILES["sites.csv"] + "S02,Harbor ICU,Hospice,2001-03-15\n"
    e = expect(
        tmp_path,
        "appears at rows 3 and 4 with different setting",
        files={"sites.csv": sites},
        row=4,
        column="Setting",
        file="sites.csv",
    )
    assert e.value == "hospice"


def test_segment_pointing_at_unknown_interview(tmp_path):
    segs = FILES["segments.csv"] + f"S09-I09,TA.r,22,53,{T2[22:53]},MH\n"
    expect(
        tmp_path,
        "points at interview 'S09-I09'",
        files={"segments.csv": segs},
        row=5,
        column="Doc",
        value="S09-I09",
        file="segments.csv",
    )


def test_unknown_interview_dropped_when_the_manifest_says_so(tmp_path):
    segs = FILES["segments.csv"] + f"S09-I09,TA.r,22,53,{T2[22:53]},MH\n"
    manifest = MANIFEST.replace(
        'code_path_separator = "\\\\"', 'code_path_separator = "\\\\"\non_unknown_interview = "drop"'
    )
    s = load(build(tmp_path, files={"segments.csv": segs}, manifest=manifest))
    drops = s.audit[s.audit["action"] == "drop"]
    assert "segments.csv:row 5" in drops["source"].tolist()
    assert "S09-I09" not in set(s.segments["interview_id"])


def test_segment_with_unknown_code(tmp_path):
    segs = FILES["segments.csv"] + f"S02-I01,Taking action\\Firing people,22,53,{T2[22:53]},MH\n"
    expect(
        tmp_path,
        "is not in the codebook",
        files={"segments.csv": segs},
        row=5,
        column="Code",
        value="Taking action\\Firing people",
    )


def test_undecodable_file(tmp_path):
    expect(
        tmp_path,
        "cannot be decoded",
        transcripts={"S01-I01.txt": b"\x81\x8d\x8f\x90\x9d", "S01-I02.txt": "x", "S02-I01.txt": T2},
        file="S01-I01.txt",
    )


def test_bad_date(tmp_path):
    log = FILES["log.csv"].replace("2001-03-15\n", "15 March 2001\n")
    expect(tmp_path, "not a date", files={"log.csv": log}, row=3, column="Date", value="15 March 2001")


def test_offsets_outside_the_transcript(tmp_path):
    segs = FILES["segments.csv"].replace(" S02-I01 ,TA.r,22,53", " S02-I01 ,TA.r,22,530")
    expect(tmp_path, "outside the transcript", files={"segments.csv": segs}, row=4, column="End", value=530)


def test_segment_text_that_is_not_the_transcript_slice(tmp_path):
    segs = FILES["segments.csv"].replace(" S02-I01 ,TA.r,22,53", " S02-I01 ,TA.r,21,52")
    expect(tmp_path, "not the transcript's text", files={"segments.csv": segs}, row=4, column="Text")


def test_unknown_vocabulary_value(tmp_path):
    log = FILES["log.csv"].replace("Nurse Manager", "Wizard")
    expect(tmp_path, "'Wizard' is not a known role", files={"log.csv": log}, row=3, column="Role", value="Wizard")


def test_site_not_in_register(tmp_path):
    log = FILES["log.csv"].replace("maple ridge clinic", "Oak Clinic")
    expect(tmp_path, "site 'Oak Clinic' is not in the site register", files={"log.csv": log}, row=2, column="Unit")


def test_number_that_is_not_a_number(tmp_path):
    manifest = MANIFEST.replace('visit_date = "Visit" }', 'visit_date = "Visit", staff_fte = "FTE" }')
    sites = "Site ID,Name,Setting,Visit,FTE\nS01,A,Hospice,2001-03-14,twelve\nS02,Harbor ICU,ICU / NICU,36965,3\n"
    expect(
        tmp_path, "must be a number", files={"sites.csv": sites}, manifest=manifest, row=2, column="FTE", value="twelve"
    )


def test_malformed_manifest(tmp_path):
    expect(tmp_path, "not valid TOML", manifest="[study\n")


def test_two_primary_codings_of_one_interview_are_refused(tmp_path):
    manifest = (
        MANIFEST
        + """
[tables.segments_coder2]
path = "segments.csv"
primary = true
code_path_separator = "\\\\"
columns = { interview_id = "Doc", code_id = "Code", start = "Begin", end = "End", text = "Text", coder = "Coder" }
"""
    )
    e = expect(tmp_path, "has a primary coding in two files", manifest=manifest)
    assert e.path.name == "study.toml"


def test_no_primary_coding_is_refused(tmp_path):
    manifest = MANIFEST.replace('code_path_separator = "\\\\"', 'code_path_separator = "\\\\"\nprimary = false', 1)
    expect(tmp_path, "no source of coded segments is marked as the primary coding", manifest=manifest)


def test_an_empty_coder_is_named_as_the_coder_column(tmp_path):
    segs = FILES["segments.csv"].replace(f"{T2[22:53]},MH", f"{T2[22:53]},")
    expect(tmp_path, "coder is empty", files={"segments.csv": segs}, row=4, column="Coder")


def test_a_missing_offset_is_named_as_such(tmp_path):
    segs = FILES["segments.csv"].replace(" S02-I01 ,TA.r,22,53", " S02-I01 ,TA.r,N/A,53")
    expect(tmp_path, "start is empty", files={"segments.csv": segs}, row=4, column="Begin")


def test_a_ragged_row_is_named(tmp_path):
    segs = FILES["segments.csv"] + "S02-I01,TA.r,22,53,x,MH,extra\n"
    expect(tmp_path, "cannot be read as CSV", files={"segments.csv": segs}, row=5)


def test_a_folder_where_a_file_should_be(tmp_path):
    folder = build(tmp_path)
    (folder / "codes.csv").unlink()
    (folder / "codes.csv").mkdir()
    with pytest.raises(LeadlibDataError, match="folder, not a file"):
        load(folder)


def test_a_wide_survey_names_the_rating_column_of_a_bad_value(tmp_path):
    manifest = (
        MANIFEST
        + """
[tables.survey]
path = "survey.csv"
layout = "wide"
missing = ["can't rate"]
[tables.survey.columns]
respondent_id = "R"
site_id = "Unit"
[tables.survey.wide]
names_to = "characteristic"
values_to = "rating"
[tables.survey.wide.columns]
leadership = "Q1 Leadership"
staff_focus = "Q3 Staff focus"
"""
    )
    survey = "R,Unit,Q1 Leadership,Q3 Staff focus\nr1,S01,2,can't rate\nr2,S02,3,7\n"
    expect(
        tmp_path,
        "a rating must be 1 to 3",
        files={"survey.csv": survey},
        manifest=manifest,
        row=3,
        column="Q3 Staff focus",
        value=7,
    )
    good = build(
        tmp_path / "good" if (tmp_path / "good").mkdir() is None else tmp_path,
        files={"survey.csv": survey.replace(",7", ",1")},
        manifest=manifest,
    )
    s = load(good)
    ratings = s.survey.set_index(["respondent_id", "characteristic"])["rating"]
    assert pd.isna(ratings[("r1", "staff_focus")])
    assert ratings.drop(("r1", "staff_focus")).to_dict() == {
        ("r1", "leadership"): 2,
        ("r2", "leadership"): 3,
        ("r2", "staff_focus"): 1,
    }


def test_frame_refuses_an_unknown_coder(tmp_path):
    s = load(build(tmp_path))
    with pytest.raises(ValueError, match="no coder 'XX' in this study; coders: MH"):
        s.frame(coder="XX")


# ------------------------------------------- broken structure named for what it is (issue 11, item 8)
@pytest.mark.parametrize(
    "name, table",
    [("sites.csv", "sites"), ("log.csv", "informants"), ("codes.csv", "codebook"), ("segments.csv", "segments")],
)
def test_a_required_table_with_a_header_and_no_rows_names_its_file(tmp_path, name, table):
    header = FILES[name].split("\n")[0] + "\n"
    what = "codes" if table == "codebook" else "rows"
    expect(tmp_path, f"the {table} file has a header but no {what}", files={name: header}, file=name, row=1)


def test_an_empty_codebook_is_its_own_error_not_an_unknown_code(tmp_path):
    # before: "code 'Building knowledge\\Watching the numbers' is not in the codebook", on the segments file
    e = expect(tmp_path, "the codebook file has a header but no codes", files={"codes.csv": "ID,Label,Group,Parent\n"})
    assert "not in the codebook" not in str(e)
    assert e.path.name == "codes.csv"


def test_a_codebook_of_blank_rows_is_empty(tmp_path):
    expect(
        tmp_path,
        "has a header but no codes (2 blank rows under it)",
        files={"codes.csv": "ID,Label,Group,Parent\n,,,\n,,,\n"},
        file="codes.csv",
    )


def test_a_codebook_parent_cycle_is_named_with_its_members(tmp_path):
    codes = FILES["codes.csv"].replace(
        "BK,Building knowledge,Building knowledge,\n", "BK,Building knowledge,Building knowledge,BK.m\n"
    )
    e = expect(
        tmp_path,
        "parent cycle: BK -> BK.m -> BK",
        files={"codes.csv": codes},
        file="codes.csv",
        row=2,
        column="Parent",
        value="BK.m",
    )
    assert "not in the codebook" not in str(e)


def test_a_code_that_is_its_own_parent_is_a_cycle(tmp_path):
    codes = FILES["codes.csv"].replace("TA,Taking action,taking_action,\n", "TA,Taking action,taking_action,TA\n")
    expect(tmp_path, "parent cycle: TA -> TA", files={"codes.csv": codes}, file="codes.csv", row=4, column="Parent")


def test_an_empty_code_path_separator_is_a_manifest_error(tmp_path):
    manifest = MANIFEST.replace('code_path_separator = "\\\\"', 'code_path_separator = ""')
    expect(
        tmp_path,
        "manifest key [tables.segments] code_path_separator must be a string that is not empty",
        manifest=manifest,
        file="study.toml",
    )
