"""Hostile and broken files: each is refused with a LeadlibDataError naming the file and the reason.

The files are built here, in the test, from small templates: XXE, billion
laughs, zip slip, zip bombs (an honest one and one that lies about its size),
nested archives, truncated archives, XML that is not QDA-XML, a selection
past the end of its source, fake SQLite files. Peak memory is measured with
tracemalloc; no test asserts a time.
"""

from __future__ import annotations

import sqlite3
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from leadlib import LeadlibDataError
from leadlib.io import _safe, read_refi
from leadlib.io.refi import QDA_NAMESPACE

FIX = Path(__file__).parent / "fixtures"
MiB = 1024 * 1024

MINIMAL = (
    f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{QDA_NAMESPACE}" name="p" origin="t">'
    '<Sources><TextSource guid="00000000-0000-0000-0000-000000000001" name="I1">'
    "<PlainTextContent>short text</PlainTextContent>"
    '<PlainTextSelection guid="00000000-0000-0000-0000-000000000002" startPosition="{start}" endPosition="{end}">'
    '<Coding guid="00000000-0000-0000-0000-000000000003"><CodeRef targetGUID="00000000-0000-0000-0000-000000000004"/>'
    "</Coding></PlainTextSelection></TextSource></Sources></Project>"
)
CODEBOOK = (
    '<CodeBook><Codes><Code guid="00000000-0000-0000-0000-000000000004" name="Taking action" isCodable="true"/>'
    "</Codes></CodeBook>"
)


def minimal(start: int = 0, end: int = 5) -> str:
    return MINIMAL.format(start=start, end=end).replace("<Sources>", CODEBOOK + "<Sources>")


def make_zip(path: Path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return path


def refused(path: Path, match: str, reader=read_refi, **kwargs) -> LeadlibDataError:
    tracemalloc.start()
    try:
        with pytest.raises(LeadlibDataError, match=match) as info:
            reader(path, **kwargs)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    error = info.value
    # the error names the file (or, for a project folder, the file in it)
    assert error.path is not None
    assert Path(error.path).name == path.name or path in Path(error.path).parents
    assert error.hint  # and says what to do
    assert peak < 64 * MiB, f"peak memory {peak / MiB:.1f} MiB"
    return error


def test_xxe_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xml = (
        f'<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        f'<Project xmlns="{QDA_NAMESPACE}" name="&xxe;"/>'
    )
    path = tmp_path / "xxe.qde"
    path.write_text(xml)
    error = refused(path, "DTD")
    assert "TOP SECRET" not in str(error)


def test_dtd_behind_a_long_prolog_is_refused(tmp_path):
    # the DTD is looked for in everything before the root element, however
    # many comments stand before it
    prolog = "<!-- padding -->\n" * 10_000  # about 170 KB of comments
    xml = (
        f'<?xml version="1.0"?>\n{prolog}<!DOCTYPE Project [<!ENTITY a "b">]>\n'
        f'<Project xmlns="{QDA_NAMESPACE}" name="&a;"/>'
    )
    path = tmp_path / "late_dtd.qde"
    path.write_text(xml)
    refused(path, "DTD")


def test_billion_laughs_is_refused(tmp_path):
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    xml = (
        f'<?xml version="1.0"?>\n<!DOCTYPE Project [{"".join(entities)}]>\n'
        f'<Project xmlns="{QDA_NAMESPACE}" name="&lol9;"/>'
    )
    path = make_zip(tmp_path / "laughs.qdpx", {"project.qde": xml.encode()})
    refused(path, "DTD")


@pytest.mark.parametrize("member", ["../evil.txt", "/etc/evil.txt", "sources/../../evil.txt", "C:/evil.txt"])
def test_zip_slip_is_refused(tmp_path, member):
    path = make_zip(tmp_path / "slip.qdpx", {"project.qde": minimal().encode(), member: b"x"})
    refused(path, "zip slip|absolute path")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_by_ratio_is_refused(tmp_path):
    # 64 MiB of zeros compress to about 64 KiB: a ratio near 1000:1
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", minimal())
        with zf.open("sources/bomb.txt", "w") as member:
            chunk = b"\0" * MiB
            for _ in range(64):
                member.write(chunk)
    refused(path, "compression ratio")


def _lie_about_size(path: Path, member: str, size: int) -> None:
    """Patch the archive so that ``member`` declares ``size`` bytes uncompressed."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    # local file header: uncompressed size at offset 22
    struct.pack_into("<I", data, info.header_offset + 22, size)
    # central directory entry: uncompressed size at offset 24
    name = member.encode()
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == name:
            struct.pack_into("<I", data, pos + 24, size)
        pos += 4
    path.write_bytes(bytes(data))


def test_zip_bomb_that_lies_about_its_size_is_stopped_while_decompressing(tmp_path):
    # the project XML claims 1,000 bytes but inflates to 40 MiB: the declared
    # sizes pass the checks; reading stops at the declared size (zipfile then
    # finds the CRC wrong), so the 40 MiB are never inflated (peak memory)
    big = minimal().replace("</Project>", "<!--" + "x" * (40 * MiB) + "--></Project>")
    path = make_zip(tmp_path / "liar.qdpx", {"project.qde": big.encode()})
    _lie_about_size(path, "project.qde", 1000)
    refused(path, "decompresses to more|damaged")


def test_nested_archive_is_refused(tmp_path):
    inner = make_zip(tmp_path / "inner.zip", {"a.txt": b"hello"}).read_bytes()
    by_name = make_zip(tmp_path / "nested1.qdpx", {"project.qde": minimal().encode(), "sources/inner.zip": inner})
    refused(by_name, "nested archives")
    # an archive hiding behind a text extension is found by its first bytes
    by_magic = make_zip(tmp_path / "nested2.qdpx", {"project.qde": minimal().encode(), "sources/x.txt": inner})
    refused(by_magic, "nested archives")


def test_office_documents_inside_are_allowed_but_never_opened(tmp_path):
    docx = make_zip(tmp_path / "a.docx", {"word/document.xml": b"<w/>"}).read_bytes()
    path = make_zip(tmp_path / "ok.qdpx", {"project.qde": minimal().encode(), "sources/a.docx": docx})
    study = read_refi(path)
    assert study.segments["text"].tolist() == ["short"]


def test_truncated_zip_is_refused(tmp_path):
    data = (FIX / "refi-qda" / "nvivo12win_oltas0517.qdpx").read_bytes()
    path = tmp_path / "truncated.qdpx"
    path.write_bytes(data[: len(data) // 2])
    refused(path, "zip archive")


def test_damaged_member_is_refused(tmp_path):
    # central directory intact, compressed data of the XML overwritten
    path = make_zip(tmp_path / "damaged.qdpx", {"project.qde": (minimal() * 1).encode() + b" " * 5000})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("project.qde")
    start = info.header_offset + 30 + len("project.qde")
    data[start + 10 : start + 40] = b"\xff" * 30
    path.write_bytes(bytes(data))
    refused(path, "damaged|not well-formed|CRC|Bad")


def test_xml_that_is_not_qda_xml_is_refused(tmp_path):
    html = tmp_path / "page.qde"
    html.write_text("<html><body>not a project</body></html>")
    refused(html, "not a QDA-XML project")
    other_ns = tmp_path / "codebook.qde"
    other_ns.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')
    refused(other_ns, "not a QDA-XML project")
    garbage = tmp_path / "garbage.qde"
    garbage.write_bytes(b"\x00\x01 this is not xml")
    refused(garbage, "not well-formed")
    no_qde = make_zip(tmp_path / "noqde.qdpx", {"sources/a.txt": b"hello"})
    refused(no_qde, "no .qde")


def test_selection_past_the_end_of_its_source(tmp_path):
    path = make_zip(tmp_path / "past.qdpx", {"project.qde": minimal(3, 500).encode()})
    error = refused(path, "past the end of its source")
    assert "500" in str(error)
    study = read_refi(path, on_bad_selection="drop")
    assert study.segments.empty
    acc = study.accounting().set_index("table")
    assert acc.loc["segments", "rows_dropped"] == 1
    drops = study.audit[study.audit["action"] == "drop"]
    assert len(drops) == 1 and "00000000-0000-0000-0000-000000000002" in drops["source"].iloc[0]


def test_nothing_is_extracted_to_disk(tmp_path, monkeypatch):
    src = FIX / "refi-qda" / "nvivo12win_oltas0517.qdpx"
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = {p for p in tmp_path.rglob("*")}
    read_refi(src)
    assert {p for p in tmp_path.rglob("*")} == before


def test_limits_can_be_tightened(tmp_path):
    path = make_zip(tmp_path / "small.qdpx", {"project.qde": minimal().encode()})
    tight = _safe.Limits(max_member_bytes=100, max_total_bytes=100)
    refused(path, "cap", limits=tight)


def test_fake_sqlite_files_are_refused(tmp_path):
    from leadlib.io import read_qualcoder, read_taguette

    fake = tmp_path / "project_export.sqlite3"
    fake.write_bytes(b"PK\x03\x04 not a database at all")
    refused(fake, "not", reader=read_taguette, site_from="pattern:(.*)")
    folder = tmp_path / "study.qda"
    folder.mkdir()
    (folder / "data.qda").write_text("hello, I am text")
    refused(folder, "not", reader=read_qualcoder)


def test_sqlite_views_cannot_stand_in_for_tables(tmp_path):
    from leadlib.io import read_taguette

    # a database whose "documents" is a view, not a table: refused, not queried
    path = tmp_path / "views.sqlite3"
    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE t (x); CREATE VIEW documents AS SELECT x FROM t;"
        "CREATE VIEW tags AS SELECT x FROM t; CREATE VIEW highlights AS SELECT x FROM t;"
        "CREATE VIEW highlight_tags AS SELECT x FROM t;"
    )
    con.close()
    refused(path, "not a Taguette", reader=read_taguette, site_from="pattern:(.*)")


# --------------------------------------------------------------------------
# A study folder's own files (issue 11): inside the folder, regular files, bounded


pytestmark = pytest.mark.usefixtures("time_limit")  # tests/conftest.py: fail after 60 s instead of hanging


def load_refused(folder: Path, match: str) -> LeadlibDataError:
    from leadlib import load_study

    with pytest.raises(LeadlibDataError, match=match) as info:
        load_study(folder, cache=False)
    return info.value


def test_a_table_linked_from_outside_the_study_folder_is_refused_without_quoting_it(study_copy, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("SECRET-LINE,of,another,file\n1,2,3,4\n", encoding="utf-8")
    log = study_copy / "raw" / "interview_log.csv"
    log.unlink()
    log.symlink_to(outside)
    error = load_refused(study_copy, "outside the study folder")
    assert error.path.name == "interview_log.csv"
    assert "SECRET-LINE" not in str(error)  # the old message printed the outside file's header


def test_a_linked_folder_leading_outside_is_refused(study_copy, tmp_path):
    import shutil

    shutil.move(study_copy / "raw" / "transcripts", tmp_path / "moved")
    (study_copy / "raw" / "transcripts").symlink_to(tmp_path / "moved", target_is_directory=True)
    error = load_refused(study_copy, "outside the study folder")
    assert error.path.suffix == ".txt"


def test_a_link_inside_the_study_folder_is_followed(study_copy):
    from leadlib import load_study

    log = study_copy / "raw" / "interview_log.csv"
    log.rename(study_copy / "log-copy.csv")
    log.symlink_to(study_copy / "log-copy.csv")
    assert len(load_study(study_copy, cache=False).interviews) > 0


@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling", "device"])
def test_a_transcript_that_is_not_a_regular_file_is_refused_naming_it(study_copy, kind):
    import os

    target = study_copy / "raw" / "transcripts" / "S99-I01.txt"
    if kind == "fifo":
        os.mkfifo(target)
        match = "FIFO"
    elif kind == "folder":
        target.mkdir()
        match = "a folder"
    elif kind == "dangling":
        target.symlink_to(study_copy / "nothing-here.txt")
        match = "dangling link"
    else:
        target.symlink_to("/dev/zero")
        # /dev is outside the study folder: refused for that before its kind is looked at
        match = "outside the study folder"
    error = load_refused(study_copy, match)
    assert error.path == target


def test_a_device_is_refused_by_its_kind():
    with pytest.raises(LeadlibDataError, match="a device"):
        _safe.check_input_file("/dev/zero")


def test_size_caps_name_the_setting(tmp_path):
    from leadlib.io.tables import read_csv, read_text_files

    table = tmp_path / "t.csv"
    table.write_text("A\n" + "x\n" * 100, encoding="utf-8")
    with pytest.raises(LeadlibDataError, match="max_table_bytes") as info:
        read_csv(table, ["A"], limits=_safe.Limits(max_table_bytes=100))
    assert info.value.path == table
    text = tmp_path / "I1.txt"
    text.write_text("word " * 100, encoding="utf-8")
    with pytest.raises(LeadlibDataError, match="max_transcript_bytes"):
        read_text_files([text], limits=_safe.Limits(max_transcript_bytes=100))
    assert _safe.DEFAULT_LIMITS.max_table_bytes == 200 * MiB
    assert _safe.DEFAULT_LIMITS.max_transcript_bytes == 20 * MiB


def test_a_csv_field_over_the_cap_is_named_by_row_and_column(tmp_path):
    from leadlib.io.tables import read_csv

    f = tmp_path / "t.csv"
    f.write_text("ID,Text\na,short\nb," + "y" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(LeadlibDataError, match="5,000 bytes") as info:
        read_csv(f, ["ID", "Text"], limits=_safe.Limits(max_field_bytes=1000))
    assert (info.value.row, info.value.column) == (3, "Text")


def test_a_field_longer_than_a_parsing_block_is_read_or_named(tmp_path):
    from leadlib.io.tables import read_csv

    f = tmp_path / "t.csv"
    with open(f, "w", encoding="utf-8") as fh:
        fh.write('ID,Text\na,short\nb,"' + "y" * (20 * MiB) + '"\n')
    raw = read_csv(f, ["ID", "Text"])  # 20 MB: under the 32 MB cap, over pyarrow's 16 MB block
    assert raw.frame["ID"].tolist() == ["a", "b"] and len(raw.frame["Text"][1]) == 20 * MiB
    with pytest.raises(LeadlibDataError, match="more than the cap") as info:
        read_csv(f, ["ID", "Text"], limits=_safe.Limits(max_field_bytes=8 * MiB))
    assert (info.value.row, info.value.column) == (3, "Text")
