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
