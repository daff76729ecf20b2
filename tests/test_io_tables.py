"""leadlib.io.tables: CSV, XLSX and text readers keep values as read and know each record's row."""

from __future__ import annotations

import datetime as dt

import pytest

from leadlib import LeadlibDataError
from leadlib.io.tables import decode_bytes, read_csv, read_text_files, read_xlsx


def test_csv_rows_are_spreadsheet_rows_even_with_title_lines_multiline_cells_and_blank_lines(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text('# title\nA,B\n1,"two\nlines"\n\n3, x \n', encoding="utf-8")
    raw = read_csv(f, ["A", "B"], skip_rows=1)
    assert raw.frame["A"].tolist() == ["1", "3"]
    assert raw.frame["B"].tolist() == ["two\nlines", " x "]  # nothing stripped at reading
    assert raw.rows.tolist() == [3, 5]  # a multi-line cell is one spreadsheet row
    assert raw.blank_rows == [4]


def test_csv_header_names_match_after_stripping(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text(" A , B\n1,2\n", encoding="utf-8")
    raw = read_csv(f, ["B"])
    assert raw.frame.columns.tolist() == ["B"] and raw.frame["B"].tolist() == ["2"]


def test_csv_missing_column_error_lists_the_header(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("A,B\n1,2\n", encoding="utf-8")
    with pytest.raises(LeadlibDataError) as err:
        read_csv(f, ["A", "C"])
    assert err.value.column == "C" and err.value.row == 1 and "'A', 'B'" in str(err.value)


def test_csv_with_bom_and_cp1252_are_decoded_and_reported(tmp_path):
    f = tmp_path / "bom.csv"
    f.write_bytes("\ufeffA\nx\n".encode("utf-8"))
    raw = read_csv(f, ["A"])
    assert raw.encoding == "utf-8-sig" and raw.frame["A"].tolist() == ["x"]
    g = tmp_path / "win.csv"
    g.write_bytes("A\ncaf\u00e9 \u2019\n".encode("cp1252"))
    raw = read_csv(g, ["A"])
    assert raw.encoding == "cp1252" and raw.frame["A"].tolist() == ["caf\u00e9 \u2019"]


def test_undecodable_bytes_are_an_error_naming_the_file():
    with pytest.raises(LeadlibDataError, match="cannot be decoded"):
        decode_bytes(b"\x81\x8d\x8f\x90\x9d", path=__import__("pathlib").Path("x.txt"))
    with pytest.raises(LeadlibDataError, match="row 2"):
        decode_bytes(b"ok\n\xff", path=__import__("pathlib").Path("x.txt"), encoding="utf-8")


def test_ragged_csv_is_an_error_not_a_traceback(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("A,B\n1,2,3\n", encoding="utf-8")
    with pytest.raises(LeadlibDataError, match="cannot be read as CSV"):
        read_csv(f, ["A"])


def test_xlsx_keeps_dates_numbers_and_text_apart(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Register"
    ws.append(["note above the header"])
    ws.append(["ID", "When", "N"])
    ws.append(["a", dt.datetime(2001, 3, 14), 12])
    ws.append([None, None, None])
    ws.append(["b", 36965, "N/A"])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    raw = read_xlsx(path, ["ID", "When", "N"], sheet="Register", skip_rows=1)
    assert raw.frame["When"].tolist() == [dt.datetime(2001, 3, 14), 36965]
    assert raw.frame["N"].tolist() == [12, "N/A"]
    assert raw.rows.tolist() == [3, 5] and raw.blank_rows == [4]
    with pytest.raises(LeadlibDataError, match="no sheet 'Nope'"):
        read_xlsx(path, ["ID"], sheet="Nope")


def test_damaged_xlsx_is_an_error(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(LeadlibDataError, match="Excel workbook"):
        read_xlsx(path, ["A"])


def test_text_files_keep_line_endings_and_report_encodings(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"line one\r\nline two")
    (tmp_path / "b.txt").write_bytes("it\u2019s".encode("cp1252"))
    frame, decoded = read_text_files(sorted(tmp_path.glob("*.txt")))
    assert frame["text"].tolist() == ["line one\r\nline two", "it\u2019s"]
    assert [(p.name, e) for p, e in decoded] == [("b.txt", "cp1252")]


# --------------------------------------------------------------------------
# Issue 11: workbooks over their used range, values, encodings


pytestmark = pytest.mark.usefixtures("time_limit")  # tests/conftest.py: fail after 60 s instead of hanging


def workbook(path, rows, edit=None):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Register"
    for row in rows:
        ws.append(row)
    if edit:
        edit(ws)
    wb.save(path)
    return path


def test_a_stray_space_in_the_last_cell_pads_nothing(tmp_path):
    from leadlib.io.workbook import read_sheet

    def stray(ws):
        ws["XFD1048576"] = " "

    path = workbook(tmp_path / "r.xlsx", [["ID", "N"], ["a", 1], ["b", 2]], stray)
    sheet = read_sheet(path)
    assert sorted(sheet.cells) == [1, 2, 3, 1048576]  # the cells the file holds, nothing padded
    raw = read_xlsx(path, ["ID", "N"])
    assert raw.rows.tolist() == [2, 3] and raw.blank_rows == []  # the table stops at its last value


def test_a_value_far_below_the_table_is_named(tmp_path):
    def stray(ws):
        ws["A900000"] = "x"

    path = workbook(tmp_path / "r.xlsx", [["ID", "N"], ["a", 1]], stray)
    with pytest.raises(LeadlibDataError, match="empty rows below") as err:
        read_xlsx(path, ["ID", "N"])
    assert err.value.row == 900000


def test_a_huge_compressed_comment_in_a_workbook_is_refused(tmp_path):
    import zipfile

    path = workbook(tmp_path / "r.xlsx", [["ID"], ["a"]])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/comments/comment1.xml", b"<comments>" + b" " * (30 * 1024 * 1024) + b"</comments>")
    with pytest.raises(LeadlibDataError, match="compression ratio") as err:
        read_xlsx(path, ["ID"])
    assert err.value.path == path


def test_an_encrypted_workbook_is_called_encrypted(tmp_path):
    from leadlib.io.workbook import OLE2_MAGIC

    path = tmp_path / "r.xlsx"
    path.write_bytes(OLE2_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(1000))
    with pytest.raises(LeadlibDataError, match="encrypted") as err:
        read_xlsx(path, ["ID"])
    assert "zip" not in err.value.problem and "password" in err.value.hint
    old = tmp_path / "old.xlsx"
    old.write_bytes(OLE2_MAGIC + bytes(2000))
    with pytest.raises(LeadlibDataError, match=r"old-format Excel file \(\.xls"):
        read_xlsx(old, ["ID"])


def test_a_formula_without_a_saved_value_is_refused_naming_the_cell(tmp_path):
    path = workbook(tmp_path / "r.xlsx", [["ID", "N", "Twice"], ["a", 1, "=B2*2"]])
    with pytest.raises(LeadlibDataError, match="cell C2 holds a formula") as err:
        read_xlsx(path, ["ID", "Twice"])
    assert (err.value.row, err.value.column) == (2, "Twice")
    assert "open the workbook in Excel and save it" in err.value.hint
    assert read_xlsx(path, ["ID", "N"]).frame["N"].tolist() == [1]  # a column not read is no matter


def test_merged_cells_are_filled_down_with_an_audit_entry(tmp_path):
    def merge(ws):
        ws.merge_cells("B2:B4")

    path = workbook(tmp_path / "r.xlsx", [["ID", "Setting"], ["a", "ICU"], ["b", None], ["c", None]], merge)
    raw = read_xlsx(path, ["ID", "Setting"])
    assert raw.frame["Setting"].tolist() == ["ICU", "ICU", "ICU"]
    (entry,) = raw.audit
    assert entry["action"] == "infer" and entry["rows"] == [3, 4] and entry["column"] == "Setting"
    assert "B2:B4" in entry["reason"]


def test_hidden_rows_are_kept_with_a_note_dropped_or_refused(tmp_path):
    def hide(ws):
        ws.row_dimensions[3].hidden = True

    path = workbook(tmp_path / "r.xlsx", [["ID"], ["a"], ["TEST"], ["c"]], hide)
    kept = read_xlsx(path, ["ID"])
    assert kept.frame["ID"].tolist() == ["a", "TEST", "c"]
    assert kept.audit[0]["action"] == "note" and kept.audit[0]["rows"] == [3]
    dropped = read_xlsx(path, ["ID"], hidden_rows="drop")
    assert dropped.frame["ID"].tolist() == ["a", "c"] and [r for r, _ in dropped.dropped] == [3]
    with pytest.raises(LeadlibDataError, match="hidden") as err:
        read_xlsx(path, ["ID"], hidden_rows="error")
    assert err.value.row == 3


def test_duplicate_column_names_are_refused_naming_both(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("ID,Name, ID\n1,x,2\n", encoding="utf-8")
    with pytest.raises(LeadlibDataError, match="columns A and C") as err:
        read_csv(f, ["ID", "Name"])
    assert (err.value.row, err.value.column) == (1, "ID")
    path = workbook(tmp_path / "r.xlsx", [["ID", "N", "N"], ["a", 1, 2]])
    with pytest.raises(LeadlibDataError, match="columns B and C"):
        read_xlsx(path, ["ID", "N"])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-be"])
def test_utf16_and_utf32_with_a_bom_are_decoded_and_reported(tmp_path, encoding):
    import codecs

    f = tmp_path / "t.csv"
    bom = codecs.BOM_UTF16_BE if encoding == "utf-16-be" else b""
    f.write_bytes(bom + "A,B\ncaf\u00e9,2\n".encode(encoding))
    raw = read_csv(f, ["A", "B"])
    assert raw.frame["A"].tolist() == ["caf\u00e9"] and raw.encoding == encoding[:6]
    text = tmp_path / "I1.txt"
    text.write_bytes(bom + "it\u2019s here".encode(encoding))
    frame, decoded = read_text_files([text])
    assert frame["text"].tolist() == ["it\u2019s here"] and decoded == [(text, encoding[:6])]


def test_utf16_without_a_bom_is_named_as_such(tmp_path):
    f = tmp_path / "t.csv"
    f.write_bytes("A,B\nx,2\n".encode("utf-16-le"))
    with pytest.raises(LeadlibDataError, match="likely UTF-16") as err:
        read_csv(f, ["A"])
    assert err.value.column is None and "utf-16-le" in err.value.hint
    with pytest.raises(LeadlibDataError, match="likely UTF-16"):
        read_text_files([f])


def test_bare_cr_line_endings_are_read(tmp_path):
    f = tmp_path / "t.csv"
    f.write_bytes(b"# title\rA,B\r1,2\r3,4\r")
    raw = read_csv(f, ["A", "B"], skip_rows=1)
    assert raw.frame["A"].tolist() == ["1", "3"] and raw.rows.tolist() == [3, 4]


def edit_csv(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "new", "column"), [("interview_log.csv", v, "Minutes") for v in ("1e999", "inf", "NaN")]
)
def test_infinite_and_nan_numbers_are_refused_naming_the_cell(study_copy, file, new, column):
    from leadlib import load_study

    # the first data row (row 3, under the title line and the header) gets the value in its last column, Minutes
    path = study_copy / "raw" / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[1].rstrip("\r\n").split(",")[-1] == column
    lines[2] = lines[2].rstrip("\r\n").rsplit(",", 1)[0] + f",{new}\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(LeadlibDataError) as err:
        load_study(study_copy, cache=False)
    assert err.value.path.name == file and err.value.column == column and err.value.row == 3


def test_whole_numbers_beyond_64_bits_are_refused_naming_the_cell(study_copy):
    import openpyxl

    from leadlib import load_study

    path = study_copy / "raw" / "site_register.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["Register"]
    header = [c.value for c in ws[3]]
    ws.cell(row=4, column=header.index("Patients per year") + 1, value=10**20)
    wb.save(path)
    with pytest.raises(LeadlibDataError, match="64 bits") as err:
        load_study(study_copy, cache=False)
    assert (err.value.path.name, err.value.row, err.value.column) == ("site_register.xlsx", 4, "Patients per year")


def test_an_invisible_character_in_an_id_is_removed_with_an_audit_entry(study_copy):
    from leadlib import load_study

    before = load_study(study_copy, cache=False)
    edit_csv(study_copy / "raw" / "interview_log.csv", "\nS01-I01,", "\nS01-I\u200b01,")
    after = load_study(study_copy, cache=False)
    assert len(after.segments) == len(before.segments)  # the interview keeps its codings and transcript
    assert after.interviews["n_words"].tolist() == before.interviews["n_words"].tolist()
    audit = after.audit
    hit = audit[audit["reason"].str.contains("U+200B", regex=False)]
    assert len(hit) >= 1 and set(hit["column"]) == {"interview_id"}
    assert hit["source"].str.contains("interview_log.csv:row 3").any()


def test_ids_are_compared_after_nfc_normalisation_audited(study_copy):
    from leadlib import load_study

    before = load_study(study_copy, cache=False)
    raw = study_copy / "raw"
    composed, decomposed = "S01-I\u00e901", "S01-Ie\u030101"
    # the log and the transcript's file name spell the ID composed, the coder's export decomposed (as macOS may)
    edit_csv(raw / "interview_log.csv", "\nS01-I01,", f"\n{composed},")
    (raw / "transcripts" / "S01-I01.txt").rename(raw / "transcripts" / f"{decomposed}.txt")
    for name in ("coded_segments_coder1.csv", "coded_segments_coder2.csv"):
        text = (raw / name).read_text(encoding="utf-8")
        (raw / name).write_text(text.replace(",S01-I01,", f",{decomposed},"), encoding="utf-8")
    after = load_study(study_copy, cache=False)
    assert len(after.segments) == len(before.segments)
    assert composed in set(after.interviews["interview_id"]) and composed in set(after.segments["interview_id"])
    nfc = after.audit[after.audit["reason"].str.contains("NFC")]
    assert {"transcripts", "segments"} <= set(nfc["table"])


def test_a_hidden_test_row_in_the_register_is_audited(study_copy):
    import openpyxl

    from leadlib import load_study

    path = study_copy / "raw" / "site_register.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["Register"].row_dimensions[5].hidden = True
    wb.save(path)
    study = load_study(study_copy, cache=False)
    notes = study.audit[(study.audit["action"] == "note") & study.audit["reason"].str.contains("hidden")]
    assert len(notes) == 1 and notes["source"].iloc[0] == "raw/site_register.xlsx:row 5"


def test_a_utf16_interview_log_is_decoded_and_audited(study_copy):
    from leadlib import load_study

    before = load_study(study_copy, cache=False)
    log = study_copy / "raw" / "interview_log.csv"
    log.write_bytes(log.read_text(encoding="utf-8").encode("utf-16"))
    after = load_study(study_copy, cache=False)
    assert after.interviews.equals(before.interviews)
    decode = after.audit[after.audit["action"] == "decode"]
    assert (decode["after"] == "utf-16").any()
