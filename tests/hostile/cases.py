"""The cases of the hostile corpus: each a copy of the bundled study with one thing broken.

A case is built at test time, in the worker subprocess that loads it (see
``runner.py``): the bundled study (``data/`` of the repository, without its
``.leadlib-cache`` and ``exports`` folders, which the manifest does not read)
is copied, then :attr:`Case.build` breaks one thing in the copy. The test
(``test_hostile.py``) then checks the outcome against :attr:`Case.expect`:

- ``"load"``: a correct load, with an audit entry for the broken thing
  (:attr:`Case.audit`), the value kept exactly (:attr:`Case.probe` and
  :attr:`Case.value`), or a further check (:attr:`Case.check`);
- ``"refuse"``: a :class:`leadlib.errors.LeadlibDataError` whose ``path``
  is the broken file (:attr:`Case.file`) and, for a case about a cell,
  whose ``row`` and ``column`` name it (:attr:`Case.row`,
  :attr:`Case.column`);
- ``"either"``: where both are acceptable (an ID holding ``/`` or ``..``
  may be kept as data, pages are named after a safe slug; or refused).

Anything else (another exception, a timeout, a crash) fails the case.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data"

MANIFEST = "study.toml"
REGISTER = "raw/site_register.xlsx"
LOG = "raw/interview_log.csv"
CODEBOOK = "raw/codebook_v2.csv"
SEGMENTS = "raw/coded_segments_coder1.csv"
SEGMENTS2 = "raw/coded_segments_coder2.csv"
SURVEY = "raw/cmat_survey.csv"
MEASURES = "raw/site_measures.csv"
TRANSCRIPTS = "raw/transcripts"
SHEET_XML = "xl/worksheets/sheet1.xml"


@functools.cache
def baseline() -> dict[str, int]:
    """Row counts of the bundled study's tidy tables, for cases whose load must lose nothing (read once, from data/)."""
    import leadlib

    study = leadlib.load_study(BUNDLED)
    return {name: len(getattr(study, name)) for name in ("sites", "interviews", "transcripts", "codebook")}


#: A marker in every markup value, so the worker can pick the values out of a table.
MARK = "hostile-mark"


@dataclass(frozen=True)
class Case:
    """One broken copy of the bundled study, and what loading it must give."""

    name: str
    category: str
    build: Callable[[Path], None]
    expect: str  # "load", "refuse" or "either"
    file: str | None = None  # the refused file, as the end of LeadlibDataError.path
    row: int | bool | None = None  # the spreadsheet row the error names (True: any row)
    column: str | bool | None = None  # the column the error names (True: any column)
    problem: str | None = None  # words the error's message must hold (lower case)
    audit: dict | None = None  # an audit entry holding these items (a "reason" value: a substring of the reason)
    probe: tuple[str, str] | None = None  # (table, column) whose values holding MARK are returned
    value: str | None = None  # the value the probe must find, exactly
    check: Callable[[dict], None] | None = None  # further checks on the worker's result
    cache: bool = False  # load once with the cache on, then `between`, then load again
    between: Callable[[Path, Path], None] | None = None  # (study folder, cache folder), between the two loads
    seconds: float = 20.0  # the case's time limit in the worker
    notes: str = ""
    extra: dict = field(default_factory=dict)


CASES: list[Case] = []


def case(name: str, category: str, expect: str, **kw) -> Callable:
    """Register the decorated function as the build step of a case."""

    def register(build: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES.append(Case(name, category, build, expect, **kw))
        return build

    return register


def copy_study(target: Path) -> Path:
    """A private copy of the bundled study."""
    shutil.copytree(BUNDLED, target, ignore=shutil.ignore_patterns(".leadlib-cache", "exports"), symlinks=True)
    return target


# ------------------------------------------------------------------ helpers


def read(folder: Path, rel: str) -> str:
    with open(folder / rel, encoding="utf-8", newline="") as fh:
        return fh.read()


def write(folder: Path, rel: str, text: str, encoding: str = "utf-8") -> None:
    target = folder / rel
    if target.is_symlink():
        target.unlink()
    with open(target, "w", encoding=encoding, newline="") as fh:
        fh.write(text)


def replace(folder: Path, rel: str, old: str, new: str) -> None:
    text = read(folder, rel)
    assert old in text, f"{old!r} not in {rel}"
    write(folder, rel, text.replace(old, new, 1))


def manifest(folder: Path, old: str, new: str) -> None:
    replace(folder, MANIFEST, old, new)


def rows_of(folder: Path, rel: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(read(folder, rel), newline="")))


def write_rows(folder: Path, rel: str, rows: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    write(folder, rel, out.getvalue())


def set_cell(folder: Path, rel: str, row: int, column: str, value: str, *, header_row: int = 2) -> None:
    """Set the cell at spreadsheet ``row`` (1-based) and ``column`` (a header name) of a CSV file."""
    rows = rows_of(folder, rel)
    rows[row - 1][rows[header_row - 1].index(column)] = value
    write_rows(folder, rel, rows)


def cell(folder: Path, rel: str, row: int, column: str, *, header_row: int = 2) -> str:
    rows = rows_of(folder, rel)
    return rows[row - 1][rows[header_row - 1].index(column)]


def sheet(folder: Path, change: Callable) -> None:
    """Change the register's sheet with openpyxl (``change(worksheet)``), and save it."""
    import openpyxl

    path = folder / REGISTER
    book = openpyxl.load_workbook(path)
    change(book["Register"])
    book.save(path)


def rezip(folder: Path, rel: str, change: Callable[[dict[str, bytes]], None], extra: Callable | None = None) -> None:
    """Rewrite a zip file member by member: ``change`` edits the members' bytes, ``extra(zipfile)`` adds more."""
    path = folder / rel
    with zipfile.ZipFile(path) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    change(members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if extra is not None:
            extra(zf)


def sheet_xml(folder: Path, old: bytes, new: bytes) -> None:
    def change(members):
        assert old in members[SHEET_XML], old
        members[SHEET_XML] = members[SHEET_XML].replace(old, new, 1)

    rezip(folder, REGISTER, change)


def zero_member(name: str, size: int) -> Callable:
    """A member of ``size`` zero bytes, written in chunks (it compresses about 1,000 times)."""

    def add(zf: zipfile.ZipFile) -> None:
        chunk = b"\0" * (1 << 20)
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            left = size
            while left > 0:
                fh.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)

    return add


def outside(folder: Path) -> Path:
    """A folder next to the study folder (outside it), created on demand."""
    out = folder.parent / "outside"
    out.mkdir(exist_ok=True)
    return out


def alias_old_name(folder: Path) -> None:
    manifest(folder, "[aliases.sites]\n", '[aliases.sites]\n"Cold Spring Family Medicine Center" = "S01"\n')


def first_transcript(folder: Path) -> Path:
    return folder / TRANSCRIPTS / "S01-I01.txt"


# ----------------------------------------------------------- checks on results


def same_counts(*tables: str) -> Callable[[dict], None]:
    """The load kept every row of these tables (the bundled study's counts)."""

    def check(result: dict) -> None:
        expected = baseline()
        for table in tables or expected:
            assert result["counts"][table] == expected[table], (table, result["counts"][table])

    return check


def site_value(site: str, column: str, expected) -> Callable[[dict], None]:
    def check(result: dict) -> None:
        assert result["sites"][site][column] == expected, result["sites"].get(site)

    return check


def interview_value(interview: str, column: str, expected) -> Callable[[dict], None]:
    def check(result: dict) -> None:
        assert result["interviews"][interview][column] == expected, result["interviews"].get(interview)

    return check


def all_of(*checks: Callable[[dict], None]) -> Callable[[dict], None]:
    def check(result: dict) -> None:
        for one in checks:
            one(result)

    return check


def cache_note(result: dict) -> None:
    """The second load read the files again, and its audit says why."""
    notes = [e for e in result["audit"] if e["table"] == "cache" and e["action"] == "note"]
    assert notes, "no audit entry of table 'cache'"


# =================================================================== markup in data
_SCRIPT = f"<script>alert('{MARK}')</script>"
_MARKUP = {
    "site_script": (f"Cold Spring {_SCRIPT}", "sites", "name"),
    "site_img_onerror": (f'<img src=x onerror="alert(1)">{MARK}', "sites", "name"),
    "site_markdown_js_link": (f"[{MARK}](javascript:alert(1)) <https://evil.example>", "sites", "name"),
    "organization_attribute_breakout": (f'"><script>alert(1)</script>{MARK}', "sites", "organization"),
    "region_iframe": (f"<iframe src='javascript:alert(1)'></iframe>{MARK}", "sites", "region"),
    "site_entities": (f"&lt;script&gt;alert(1)&lt;/script&gt; {MARK}", "sites", "name"),
}


def _register_markup(value: str, column: str) -> Callable[[Path], None]:
    letters = {"name": "B", "organization": "D", "region": "E"}

    def build(folder: Path) -> None:
        def change(ws):
            ws[f"{letters[column]}4"] = value

        sheet(folder, change)
        if column == "name":  # the log and the measures name the site by its old name: an alias keeps them
            alias_old_name(folder)

    return build


for _name, (_value, _table, _column) in _MARKUP.items():
    case(
        f"markup_{_name}",
        "markup",
        "load",
        probe=(_table, _column),
        value=_value,
        check=same_counts("sites", "interviews"),
    )(_register_markup(_value, _column))


@case(
    "markup_study_name",
    "markup",
    "load",
    probe=("study", "name"),
    value=f"<script>alert(1)</script><b onmouseover=alert(1)>{MARK}</b>",
)
def _(folder):
    manifest(
        folder,
        'name = "Synthetic microsystem leadership study (leadlib.simulate, 20 sites, seed 2003)"',
        f'name = "<script>alert(1)</script><b onmouseover=alert(1)>{MARK}</b>"',
    )


@case(
    "markup_study_description",
    "markup",
    "load",
    probe=("study", "description"),
    value=f"[{MARK}](javascript:alert(1)) <svg/onload=alert(1)>",
)
def _(folder):
    text = read(folder, MANIFEST)
    start = text.index('description = "SYNTHETIC')
    end = text.index("\n", start)
    write(
        folder,
        MANIFEST,
        text[:start] + f'description = "[{MARK}](javascript:alert(1)) <svg/onload=alert(1)>"' + text[end:],
    )


_CODE_LABEL = f"<script>alert(1)</script>{MARK}"
_CODE_DEFINITION = f'<a href="javascript:alert(1)">{MARK}</a><img src=x onerror=alert(1)>'


@case("markup_code_label", "markup", "load", probe=("codebook", "label"), value=_CODE_LABEL)
def _(folder):
    replace(folder, CODEBOOK, "TA.resources,", f'TA.zz,"{_CODE_LABEL}",Taking action,TA,x\nTA.resources,')


@case("markup_code_definition", "markup", "load", probe=("codebook", "definition"), value=_CODE_DEFINITION)
def _(folder):
    replace(
        folder,
        CODEBOOK,
        "TA.resources,",
        f'TA.zz,Markup,Taking action,TA,"{_CODE_DEFINITION.replace(chr(34), 2 * chr(34))}"\nTA.resources,',
    )


_INTERVIEWER = f"</td></tr></table><svg onload=alert(1)>{MARK}"


@case(
    "markup_interviewer",
    "markup",
    "load",
    probe=("interviews", "interviewer"),
    value=_INTERVIEWER,
    check=same_counts("interviews"),
)
def _(folder):
    set_cell(folder, LOG, 3, "Interviewer", _INTERVIEWER)


_QUOTE = f' <iframe srcdoc="<script>alert(1)</script>"></iframe> [{MARK}](javascript:alert(1)) '


@case("markup_quote", "markup", "load", probe=("segments", "text"), value=_QUOTE)
def _(folder):
    # a new coded segment: markup appended to a transcript, coded at its new offsets
    path = first_transcript(folder)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + _QUOTE, encoding="utf-8")
    rows = rows_of(folder, SEGMENTS)
    header = rows[1]
    row = list(rows[2])
    row[header.index("Begin")] = str(len(text))
    row[header.index("End")] = str(len(text) + len(_QUOTE))
    row[header.index("Segment")] = _QUOTE
    rows.insert(3, row)
    write_rows(folder, SEGMENTS, rows)


# ============================================================================ paths
def _site_id(new: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        def change(ws):
            ws["A4"] = new

        sheet(folder, change)
        # the survey names sites by ID (in any case, with stray spaces): follow the register
        text = re.sub(r",\s*[sS]01\s*,", f",{new},", read(folder, SURVEY))
        write(folder, SURVEY, text)

    return build


for _name, _id in {"dotdot": "../../x", "slash": "a/b", "dots_only": "..", "absolute": "/etc/cron.d/x"}.items():
    case(f"path_site_id_{_name}", "paths", "either", file=REGISTER, extra={"site_id": _id})(_site_id(_id))


def _link_table_outside(rel: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        target = outside(folder) / Path(rel).name
        shutil.copy(folder / rel, target)
        (folder / rel).unlink()
        (folder / rel).symlink_to(target)

    return build


for _rel, _key in ((CODEBOOK, "codebook"), (LOG, "log"), (REGISTER, "register")):
    case(f"path_symlink_{_key}_outside", "paths", "refuse", file=_rel, problem="outside")(_link_table_outside(_rel))


@case("path_symlink_transcripts_folder_outside", "paths", "refuse", file="S01-I01.txt", problem="outside")
def _(folder):
    target = outside(folder) / "transcripts"
    shutil.move(str(folder / TRANSCRIPTS), target)
    (folder / TRANSCRIPTS).symlink_to(target, target_is_directory=True)


@case("path_symlink_raw_folder_outside", "paths", "refuse", problem="outside")
def _(folder):
    target = outside(folder) / "raw"
    shutil.move(str(folder / "raw"), target)
    (folder / "raw").symlink_to(target, target_is_directory=True)


def _no_passwd(result: dict) -> None:
    assert "root:" not in result["error"]["message"], "the message quotes the refused file"


@case("path_transcript_link_etc_passwd", "paths", "refuse", file="S01-I01.txt", problem="outside", check=_no_passwd)
def _(folder):
    first_transcript(folder).unlink()
    first_transcript(folder).symlink_to("/etc/passwd")


@case("path_codebook_link_etc_passwd", "paths", "refuse", file=CODEBOOK, problem="outside", check=_no_passwd)
def _(folder):
    (folder / CODEBOOK).unlink()
    (folder / CODEBOOK).symlink_to("/etc/passwd")


@case("path_manifest_dotdot", "paths", "refuse", file="study.toml")
def _(folder):
    shutil.copy(folder / CODEBOOK, outside(folder) / "codebook.csv")
    manifest(folder, 'path = "raw/codebook_v2.csv"', 'path = "../outside/codebook.csv"')


@case("path_manifest_absolute", "paths", "refuse", file="study.toml")
def _(folder):
    manifest(folder, 'path = "raw/codebook_v2.csv"', 'path = "/etc/passwd"')


@case("path_symlink_inside_study", "paths", "load", check=same_counts("codebook"), notes="a link that stays inside")
def _(folder):
    shutil.copy(folder / CODEBOOK, folder / "raw" / "codebook_copy.csv")
    (folder / CODEBOOK).unlink()
    (folder / CODEBOOK).symlink_to("codebook_copy.csv")


@case("path_fifo_extra_transcript", "paths", "refuse", file="S99-I99.txt", problem="fifo")
def _(folder):
    os.mkfifo(folder / TRANSCRIPTS / "S99-I99.txt")


@case("path_fifo_replaces_transcript", "paths", "refuse", file="S01-I01.txt", problem="fifo")
def _(folder):
    first_transcript(folder).unlink()
    os.mkfifo(first_transcript(folder))


@case("path_fifo_replaces_log", "paths", "refuse", file=LOG, problem="fifo")
def _(folder):
    (folder / LOG).unlink()
    os.mkfifo(folder / LOG)


@case("path_dev_zero_transcript", "paths", "refuse", file="S01-I01.txt", problem="outside")
def _(folder):
    first_transcript(folder).unlink()
    first_transcript(folder).symlink_to("/dev/zero")


@case("path_dev_zero_register", "paths", "refuse", file=REGISTER)
def _(folder):
    (folder / REGISTER).unlink()
    (folder / REGISTER).symlink_to("/dev/zero")


@case("path_dev_urandom_segments", "paths", "refuse", file=SEGMENTS)
def _(folder):
    (folder / SEGMENTS).unlink()
    (folder / SEGMENTS).symlink_to("/dev/urandom")


@case("path_folder_matching_pattern", "paths", "refuse", file="S99-I99.txt", problem="folder")
def _(folder):
    (folder / TRANSCRIPTS / "S99-I99.txt").mkdir()


@case("path_dangling_link_matching_pattern", "paths", "refuse", file="S99-I99.txt", problem="dangling")
def _(folder):
    (folder / TRANSCRIPTS / "S99-I99.txt").symlink_to(folder / "nowhere.txt")


@case("path_link_loop_matching_pattern", "paths", "refuse", file="S99-I99.txt")
def _(folder):
    (folder / TRANSCRIPTS / "S99-I99.txt").symlink_to("S99-I99.txt")


@case("path_manifest_path_is_folder", "paths", "refuse", file="raw/transcripts")
def _(folder):
    manifest(folder, 'path = "raw/codebook_v2.csv"', 'path = "raw/transcripts"\nformat = "csv"')


# ============================================================ tiny inputs that blow up
@case("blowup_xlsx_stray_space_XFD1048576", "blowup", "load", check=same_counts("sites"))
def _(folder):
    sheet_xml(
        folder,
        b"</sheetData>",
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t> </t></is></c></row></sheetData>',
    )


@case("blowup_xlsx_dimension_whole_sheet", "blowup", "load", check=same_counts("sites"))
def _(folder):
    sheet_xml(folder, b'<dimension ref="A1:H23"/>', b'<dimension ref="A1:XFD1048576"/>')


@case("blowup_xlsx_stray_space_openpyxl", "blowup", "load", check=same_counts("sites"))
def _(folder):
    def change(ws):
        ws["XFD1048576"] = " "

    sheet(folder, change)


def _comment(zf: zipfile.ZipFile) -> None:
    body = b"<comments><commentList><comment ref='A1'><text><t>" + b"A" * (100 << 20) + b"</t></text></comment>"
    zf.writestr("xl/comments1.xml", body + b"</commentList></comments>")


@case("blowup_xlsx_huge_compressed_comment", "blowup", "refuse", file=REGISTER)
def _(folder):
    rezip(folder, REGISTER, lambda m: None, _comment)


@case("blowup_xlsx_zip_bomb_member", "blowup", "refuse", file=REGISTER)
def _(folder):
    rezip(folder, REGISTER, lambda m: None, zero_member("xl/media/bomb.bin", 200 << 20))


@case("blowup_xlsx_huge_sheet_member", "blowup", "refuse", file=REGISTER)
def _(folder):
    def change(members):
        members[SHEET_XML] = members[SHEET_XML].replace(b"</sheetData>", b" " * (100 << 20) + b"</sheetData>")

    rezip(folder, REGISTER, change)


@case("blowup_xlsx_lying_sizes", "blowup", "refuse", file=REGISTER)
def _(folder):
    # the central directory says the sheet is 100 bytes; it inflates to 9,590
    path = folder / REGISTER
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(SHEET_XML)
    name = SHEET_XML.encode()
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        if data[at + 46 : at + 46 + len(name)] == name:
            break
        at += 4
    assert int.from_bytes(data[at + 24 : at + 28], "little") == info.file_size
    data[at + 24 : at + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))


@case("blowup_xlsx_not_a_zip", "blowup", "refuse", file=REGISTER)
def _(folder):
    (folder / REGISTER).write_text("Site ID,Microsystem\nS01,x\n")


@case("blowup_xlsx_truncated", "blowup", "refuse", file=REGISTER)
def _(folder):
    data = (folder / REGISTER).read_bytes()
    (folder / REGISTER).write_bytes(data[: len(data) // 2])


@case("blowup_xlsx_empty_file", "blowup", "refuse", file=REGISTER)
def _(folder):
    (folder / REGISTER).write_bytes(b"")


@case("blowup_xlsx_billion_laughs", "blowup", "refuse", file=REGISTER)
def _(folder):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'.encode()
            for i in range(1, 10)
        )
        + b"]>"
    )

    def change(members):
        members[SHEET_XML] = laughs + members[SHEET_XML].replace(b"<t>S01</t>", b"<t>&lol9;</t>")

    rezip(folder, REGISTER, change)


@case("blowup_csv_field_over_cap", "blowup", "refuse", file=LOG, row=3, column=True, seconds=30)
def _(folder):
    set_cell(folder, LOG, 3, "Interviewer", "x" * (33 << 20))


@case("blowup_csv_field_over_manifest_cap", "blowup", "refuse", file=LOG, row=3, column=True)
def _(folder):
    manifest(folder, "[tables.sites]", "[study.limits]\nmax_field_mb = 1\n\n[tables.sites]")
    set_cell(folder, LOG, 3, "Interviewer", "x" * (2 << 20))


@case("blowup_csv_giant_line", "blowup", "refuse", file=LOG, seconds=30)
def _(folder):
    with open(folder / LOG, "a") as fh:
        fh.write("S99-I99," + "y" * (40 << 20))


@case("blowup_csv_giant_unterminated_quote", "blowup", "refuse", file=LOG, seconds=30)
def _(folder):
    with open(folder / LOG, "a") as fh:
        fh.write('S99-I99,"' + "z\n" * (20 << 20))


@case("blowup_transcript_over_cap", "blowup", "refuse", file="S01-I01.txt", seconds=30)
def _(folder):
    with open(first_transcript(folder), "a") as fh:
        fh.write("w" * (21 << 20))


@case("blowup_table_over_manifest_cap", "blowup", "refuse", file=SEGMENTS)
def _(folder):
    manifest(folder, "[tables.sites]", "[study.limits]\nmax_table_mb = 1\n\n[tables.sites]")


@case("blowup_ten_mb_study", "blowup", "load", check=same_counts(), seconds=30, notes="the issue's 10 MB folder")
def _(folder):
    # pad the bundled study (about 5.9 MB of files) to about 10 MB: words appended to one transcript
    # (segment offsets still hold)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    words = "and then we talked about the unit again, " * (((10 << 20) - size) // 42 + 1)
    with open(first_transcript(folder), "a") as fh:
        fh.write(words)


# ========================================================================== cache
def _same_size_same_mtime(folder: Path, cache_root: Path) -> None:
    path = folder / LOG
    info = path.stat()
    before = cell(folder, LOG, 3, "Minutes")
    assert len(before) == 2 and before != "24"  # the edit keeps the file's size
    set_cell(folder, LOG, 3, "Minutes", "24")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size


@case(
    "cache_same_size_same_mtime_edit",
    "cache",
    "load",
    cache=True,
    between=_same_size_same_mtime,
    check=all_of(interview_value("S01-I01", "duration_min", 24), cache_note),
)
def _(folder):
    pass


def _foreign_cache(folder: Path, cache_root: Path) -> None:
    # someone else's cache arrives inside the study folder, and the files change
    shutil.copytree(cache_root, folder / ".leadlib-cache")
    set_cell(folder, LOG, 3, "Minutes", "99")


@case(
    "cache_foreign_cache_folder_in_study",
    "cache",
    "load",
    cache=True,
    between=_foreign_cache,
    check=interview_value("S01-I01", "duration_min", 99),
)
def _(folder):
    pass


@case(
    "cache_repo_cache_folder_in_study",
    "cache",
    "load",
    cache=True,
    check=all_of(interview_value("S01-I01", "duration_min", 77), same_counts()),
)
def _(folder):
    # the repository's own old-style cache folder (if there is one), and a memo that lies
    if (BUNDLED / ".leadlib-cache").is_dir():
        shutil.copytree(BUNDLED / ".leadlib-cache", folder / ".leadlib-cache")
    else:
        (folder / ".leadlib-cache").mkdir()
    (folder / ".leadlib-cache" / "hashes.json").write_text('{"raw/interview_log.csv": [1, 2, "x"]}')
    set_cell(folder, LOG, 3, "Minutes", "77")


def _any_table(cache_root: Path) -> list[Path]:
    return [p for p in cache_root.rglob("*") if p.is_file() and not p.name.endswith(".json")]


def _corrupt_tables(folder: Path, cache_root: Path) -> None:
    tables = _any_table(cache_root)
    assert tables, "no cached table"
    for path in tables:
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))


def _truncate_tables(folder: Path, cache_root: Path) -> None:
    for path in _any_table(cache_root):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])


def _garbage_meta(folder: Path, cache_root: Path) -> None:
    for path in cache_root.rglob("meta.json"):
        path.write_text("{ not json")


def _other_version(folder: Path, cache_root: Path) -> None:
    import json

    metas = list(cache_root.rglob("meta.json"))
    assert metas
    for path in metas:
        meta = json.loads(path.read_text())
        assert "leadlib" in meta, meta.keys()
        meta["leadlib"] = "0.0.1"
        path.write_text(json.dumps(meta))


for _name, _between in {
    "corrupted_table_bytes": _corrupt_tables,
    "truncated_tables": _truncate_tables,
    "garbage_meta_json": _garbage_meta,
    "meta_json_other_version": _other_version,
}.items():
    case(f"cache_{_name}", "cache", "load", cache=True, between=_between, check=all_of(same_counts(), cache_note))(
        lambda folder: None
    )


def _cache_root_is_a_file(folder: Path, cache_root: Path) -> None:
    shutil.rmtree(cache_root)
    cache_root.write_text("not a folder")


@case("cache_root_is_a_file", "cache", "load", cache=True, between=_cache_root_is_a_file, check=same_counts())
def _(folder):
    pass


# ================================================================== silently wrong
@case("silent_study_key_typo_synthetic", "silent", "refuse", file=MANIFEST, problem="synthetic")
def _(folder):
    manifest(folder, "synthetic = true", "synthetc = true")


@case("silent_source_key_typo", "silent", "refuse", file=MANIFEST, problem="skip_rows")
def _(folder):
    manifest(folder, "skip_rows = 2", "skip_row = 2")


@case("silent_log_header_only", "silent", "refuse", file=LOG)
def _(folder):
    write(folder, LOG, "".join(read(folder, LOG).splitlines(keepends=True)[:2]))


@case("silent_segments_header_only", "silent", "refuse", file=SEGMENTS)
def _(folder):
    write(folder, SEGMENTS, "".join(read(folder, SEGMENTS).splitlines(keepends=True)[:2]))


@case("silent_register_header_only", "silent", "refuse", file=REGISTER)
def _(folder):
    def change(ws):
        ws.delete_rows(4, ws.max_row)

    sheet(folder, change)


def _zwsp_interview(folder: Path, value: str) -> None:
    set_cell(folder, LOG, 3, "Interview", value)


for _name, _value in {"zero_width_space": "S01-\u200bI01", "nul": "S01-I01\x00", "inner_bom": "S01\ufeff-I01"}.items():
    case(
        f"silent_{_name}_in_interview_id",
        "silent",
        "load",
        audit={"table": "interviews", "column": "interview_id"},
        check=same_counts("interviews", "transcripts"),
    )(lambda folder, _v=_value: _zwsp_interview(folder, _v))


@case(
    "silent_zero_width_space_in_site_id",
    "silent",
    "load",
    audit={"table": "sites", "column": "site_id"},
    check=same_counts("sites", "interviews"),
)
def _(folder):
    def change(ws):
        ws["A4"] = "S0\u200b1"

    sheet(folder, change)


@case(
    "silent_nfd_accent_in_site_name_alias",
    "silent",
    "load",
    check=same_counts("sites", "interviews"),
    notes="an alias typed with a combining accent matches the register's composed one",
)
def _(folder):
    def change(ws):
        ws["B4"] = "Caf\u00e9 Clinic"

    sheet(folder, change)
    alias_old_name(folder)  # for the measures
    text = read(folder, LOG).replace(",Cold Spring Family Medicine Center,", ",Cafe\u0301 Clinic,")
    write(folder, LOG, text)


_NUMBER_CELLS = {
    "1e999": ("1e999", LOG, "Minutes", "interviews"),
    "inf": ("inf", LOG, "Minutes", "interviews"),
    "minus_inf": ("-inf", MEASURES, "Value", "measures"),
    "nan_text": ("NaN", LOG, "Minutes", "interviews"),
    "beyond_64_bits": ("123456789012345678901234567890", SURVEY, "Q1 Leadership", "survey"),
    "beyond_64_bits_negative": ("-99999999999999999999", SURVEY, "Q2 Organizational support", "survey"),
    "infinity_word": ("Infinity", MEASURES, "Value", "measures"),
}

for _name, (_value, _rel, _column, _table) in _NUMBER_CELLS.items():
    case(
        f"silent_number_{_name}",
        "silent",
        "either",
        file=_rel,
        row=3,
        column=_column,
        audit={"table": _table, "action": "missing"},
        extra={"refused value": _value},
    )(lambda folder, _v=_value, _r=_rel, _c=_column: set_cell(folder, _r, 3, _c, _v))


def _huge_float_kept(result: dict) -> None:
    assert result["interviews"]["S01-I01"]["duration_min"] == float("123456789012345678901234567890")


@case(
    "silent_number_huge_float",
    "silent",
    "either",
    file=LOG,
    row=3,
    column="Minutes",
    check=_huge_float_kept,
    notes="a float column: 1.23e29 minutes is kept as the nearest float, without an audit entry",
)
def _(folder):
    set_cell(folder, LOG, 3, "Minutes", "123456789012345678901234567890")


@case(
    "silent_xlsx_inf_text_cell",
    "silent",
    "either",
    file=REGISTER,
    row=4,
    column="Staff (FTE)",
    audit={"table": "sites", "action": "missing"},
)
def _(folder):
    def change(ws):
        ws["F4"] = "inf"

    sheet(folder, change)


@case(
    "silent_xlsx_huge_integer_cell",
    "silent",
    "either",
    file=REGISTER,
    row=4,
    column="Patients per year",
    audit={"table": "sites", "action": "missing"},
)
def _(folder):
    sheet_xml(folder, b'<c r="G4" t="n"><v>11130</v></c>', b'<c r="G4" t="n"><v>123456789012345678901234567890</v></c>')


@case(
    "silent_xlsx_formula_without_value",
    "silent",
    "refuse",
    file=REGISTER,
    row=4,
    column="Staff (FTE)",
    problem="formula",
)
def _(folder):
    sheet_xml(folder, b'<c r="F4" t="n"><v>22.4</v></c>', b'<c r="F4"><f>SUM(F5:F6)</f></c>')


@case(
    "silent_xlsx_merged_cells",
    "silent",
    "load",
    audit={"table": "sites", "reason": "merged cells C4:C5"},
    check=site_value("S02", "setting", "primary_care"),
)
def _(folder):
    def change(ws):
        ws["C5"] = None
        ws.merge_cells("C4:C5")

    sheet(folder, change)


def _hidden(folder: Path) -> None:
    # a test row at the end of the register, hidden
    def change(ws):
        ws.append(["S99", "Test row, delete me", "Primary care", "Valley Care Network", "Northeast", 1, 1, None])
        ws.row_dimensions[ws.max_row].hidden = True

    sheet(folder, change)


@case(
    "silent_xlsx_hidden_row",
    "silent",
    "load",
    audit={"table": "sites", "source": "raw/site_register.xlsx:row 24", "reason": "hidden"},
)
def _(folder):
    _hidden(folder)


@case("silent_xlsx_hidden_row_refused", "silent", "refuse", file=REGISTER, row=24, problem="hidden")
def _(folder):
    manifest(folder, 'sheet = "Register"', 'sheet = "Register"\nhidden_rows = "error"')
    _hidden(folder)


@case(
    "silent_xlsx_hidden_row_dropped",
    "silent",
    "load",
    audit={"table": "sites", "action": "drop", "source": "raw/site_register.xlsx:row 24"},
    check=same_counts("sites"),
)
def _(folder):
    manifest(folder, 'sheet = "Register"', 'sheet = "Register"\nhidden_rows = "drop"')
    _hidden(folder)


@case("silent_duplicate_column_csv", "silent", "refuse", file=LOG, column="Minutes", problem="minutes")
def _(folder):
    rows = rows_of(folder, LOG)
    for row in rows[1:]:
        row.append("Minutes" if row is rows[1] else "77")
    write_rows(folder, LOG, rows)


@case("silent_duplicate_column_xlsx", "silent", "refuse", file=REGISTER, column="Microsystem")
def _(folder):
    def change(ws):
        ws["D3"] = "Microsystem"

    sheet(folder, change)


@case("silent_duplicate_column_unused", "silent", "either", file=LOG, audit={"table": "interviews"})
def _(folder):
    replace(folder, LOG, "Leader?,Level", "Leader?,Leader?")
    manifest(folder, 'leader_level = "Level"\n', "")


# =================================================================== raw tracebacks
_MANIFEST_VALUES = {
    "encoding_int": ('format = "txt"', 'format = "txt"\nencoding = 8', "encoding"),
    "encoding_unknown": ('format = "txt"', 'format = "txt"\nencoding = "utf-99"', "encoding"),
    "delimiter_two_chars": ("[tables.codebook]\n", '[tables.codebook]\ndelimiter = ";;"\n', "delimiter"),
    "delimiter_empty": ("[tables.codebook]\n", '[tables.codebook]\ndelimiter = ""\n', "delimiter"),
    "delimiter_newline": ("[tables.codebook]\n", '[tables.codebook]\ndelimiter = "\\n"\n', "delimiter"),
    "date_format_int": ("[tables.interviews]\n", "[tables.interviews]\ndate_format = 1\n", "date_format"),
    "date_format_no_percent": ("[tables.interviews]\n", '[tables.interviews]\ndate_format = "YYYY"\n', "date_format"),
    "string_for_values_table": ("[tables.codebook]\n", '[tables.codebook]\nvalues = "x"\n', "values"),
    "string_for_columns_table": ("[tables.transcripts]\n", '[tables.transcripts]\ncolumns = "x"\n', "columns"),
    "missing_numbers": ('missing = ["", "N/A", "n/a", "NA", "-"]', "missing = [1, 2]", "missing"),
    "missing_string": ('missing = ["", "N/A", "n/a", "NA", "-"]', 'missing = "NA"', "missing"),
    "primary_string_false": ("primary = false", 'primary = "false"', "primary"),
    "synthetic_string": ("synthetic = true", 'synthetic = "yes"', "synthetic"),
    "skip_rows_negative": ("skip_rows = 2", "skip_rows = -1", "skip_rows"),
    "skip_rows_float": ("skip_rows = 2", "skip_rows = 2.0", "skip_rows"),
    "skip_rows_huge_int": ("skip_rows = 2", "skip_rows = 9223372036854775807", "skip_rows"),
    "empty_code_path_separator": (
        'code_path_separator = "\\\\"  # codes',
        'code_path_separator = ""  # codes',
        "code_path_separator",
    ),
    "unknown_format": ('format = "txt"', 'format = "pdf"', "format"),
    "unknown_table": ("[tables.measures", "[tables.measurez", "measurez"),
    "unknown_section": ("[aliases.sites]", "[aliasez.sites]", "aliasez"),
    "on_unknown_interview_typo": (
        'on_unknown_interview = "drop"  # a transcript',
        'on_unknown_interview = "dropp"  # a transcript',
        "on_unknown_interview",
    ),
    "column_to_unknown_tidy_name": ('site_id = "Site ID"', 'site_idd = "Site ID"', "site_idd"),
}

for _name, (_old, _new, _word) in _MANIFEST_VALUES.items():
    case(f"manifest_{_name}", "tracebacks", "refuse", file=MANIFEST, problem=_word)(
        lambda folder, _o=_old, _n=_new, _all=_name == "unknown_table": (
            write(folder, MANIFEST, read(folder, MANIFEST).replace(_o, _n)) if _all else manifest(folder, _o, _n)
        )
    )


@case("manifest_string_for_limits", "tracebacks", "refuse", file=MANIFEST, problem="limits")
def _(folder):
    manifest(folder, "synthetic = true\n", 'synthetic = true\nlimits = "big"\n')


@case("manifest_deep_array", "tracebacks", "refuse", file=MANIFEST)
def _(folder):
    write(folder, MANIFEST, read(folder, MANIFEST) + "\n[extra]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n")


@case("manifest_deep_inline_tables", "tracebacks", "refuse", file=MANIFEST)
def _(folder):
    write(folder, MANIFEST, read(folder, MANIFEST) + "\n[extra]\nx = " + "{a = " * 50_000 + "1" + "}" * 50_000 + "\n")


@case("manifest_deep_dotted_table", "tracebacks", "refuse", file=MANIFEST)
def _(folder):
    write(folder, MANIFEST, read(folder, MANIFEST) + "\n[" + ".".join(["a"] * 5000) + "]\nx = 1\n")


@case("manifest_huge", "tracebacks", "refuse", file=MANIFEST)
def _(folder):
    write(folder, MANIFEST, read(folder, MANIFEST) + ("# padding\n" * 300_000))


@case("manifest_syntax_error", "tracebacks", "refuse", file=MANIFEST, row=True)
def _(folder):
    manifest(folder, "synthetic = true", "synthetic = tru e")


@case("manifest_not_utf8", "tracebacks", "refuse", file=MANIFEST)
def _(folder):
    (folder / MANIFEST).write_bytes(read(folder, MANIFEST).replace("Synthetic", "Synth\u00e9tic").encode("latin-1"))


@case("manifest_utf16", "tracebacks", "either", file=MANIFEST, check=lambda r: None)
def _(folder):
    (folder / MANIFEST).write_bytes(read(folder, MANIFEST).encode("utf-16"))


@case("manifest_missing_sheet", "tracebacks", "refuse", file=REGISTER, problem="nope")
def _(folder):
    manifest(folder, 'sheet = "Register"', 'sheet = "Nope"')


@case("manifest_missing_file", "tracebacks", "refuse", file="raw/nope.csv")
def _(folder):
    manifest(folder, 'path = "raw/codebook_v2.csv"', 'path = "raw/nope.csv"')


@case("manifest_missing_column", "tracebacks", "refuse", file=CODEBOOK, column="Definitionz")
def _(folder):
    manifest(folder, 'definition = "Definition"', 'definition = "Definitionz"')


def _bare_cr(rel: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        write(folder, rel, read(folder, rel).replace("\r\n", "\n").replace("\n", "\r"))

    return build


case("encoding_bare_cr_log", "tracebacks", "load", check=same_counts("interviews"))(_bare_cr(LOG))
case("encoding_bare_cr_codebook", "tracebacks", "load", check=same_counts("codebook"))(_bare_cr(CODEBOOK))
case("encoding_crlf_log", "tracebacks", "load", check=same_counts("interviews"))(
    lambda folder: write(folder, LOG, read(folder, LOG).replace("\n", "\r\n"))
)


def _encode(rel: str, encoding: str, bom: bytes = b"") -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / rel).write_bytes(bom + read(folder, rel).encode(encoding))

    return build


for _name, (_rel, _enc, _bom, _expect, _table) in {
    "utf16_bom_log": (LOG, "utf-16-le", codecs.BOM_UTF16_LE, "load", "interviews"),
    "utf16_be_bom_codebook": (CODEBOOK, "utf-16-be", codecs.BOM_UTF16_BE, "load", "codebook"),
    "utf32_bom_codebook": (CODEBOOK, "utf-32-le", codecs.BOM_UTF32_LE, "load", "codebook"),
    "utf16_no_bom_log": (LOG, "utf-16-le", b"", "refuse", None),
    "utf16_be_no_bom_codebook": (CODEBOOK, "utf-16-be", b"", "refuse", None),
    "utf32_no_bom_codebook": (CODEBOOK, "utf-32-le", b"", "refuse", None),
    "utf16_bom_transcript": ("raw/transcripts/S01-I01.txt", "utf-16-le", codecs.BOM_UTF16_LE, "load", "transcripts"),
}.items():
    case(
        f"encoding_{_name}",
        "encodings",
        _expect,
        file=_rel,
        problem="utf-" if _expect == "refuse" else None,
        audit={"table": _table, "action": "decode"} if _table else None,
        check=same_counts(_table) if _table else None,
    )(_encode(_rel, _enc, _bom))


@case(
    "encoding_cp1252_log",
    "encodings",
    "load",
    audit={"table": "interviews", "action": "decode"},
    check=same_counts("interviews"),
)
def _(folder):
    set_cell(folder, LOG, 3, "Interviewer", "Ren\u00e9e")
    (folder / LOG).write_bytes(read(folder, LOG).encode("cp1252"))


@case("encoding_binary_garbage_codebook", "encodings", "refuse", file=CODEBOOK)
def _(folder):
    (folder / CODEBOOK).write_bytes(bytes(range(256)) * 64)


_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


@case("encoding_encrypted_workbook", "encodings", "refuse", file=REGISTER, problem="encrypt")
def _(folder):
    name = "EncryptedPackage".encode("utf-16-le")
    (folder / REGISTER).write_bytes(_OLE2 + b"\0" * 504 + name + b"\0" * 4096)


@case("encoding_ole2_signature_only", "encodings", "refuse", file=REGISTER)
def _(folder):
    (folder / REGISTER).write_bytes(_OLE2 + b"\0" * 4096)


# ============================================================== broken structure
@case("structure_codebook_header_only", "structure", "refuse", file=CODEBOOK)
def _(folder):
    write(folder, CODEBOOK, "".join(read(folder, CODEBOOK).splitlines(keepends=True)[:2]))


@case("structure_codebook_empty_file", "structure", "refuse", file=CODEBOOK)
def _(folder):
    write(folder, CODEBOOK, "")


@case("structure_codebook_parent_cycle", "structure", "refuse", file=CODEBOOK, problem="cycle")
def _(folder):
    replace(folder, CODEBOOK, "LP,Leadership processes,,", "LP,Leadership processes,,BK")


@case("structure_codebook_self_parent", "structure", "refuse", file=CODEBOOK)
def _(folder):
    replace(folder, CODEBOOK, "SC,Success characteristics,,", "SC,Success characteristics,,SC")


@case("structure_ragged_row", "structure", "refuse", file=LOG, row=5)
def _(folder):
    rows = rows_of(folder, LOG)
    rows[4].append("extra")
    write_rows(folder, LOG, rows)


@case("structure_unterminated_quote", "structure", "refuse", file=CODEBOOK, row=True)
def _(folder):
    replace(folder, CODEBOOK, "BK.outside,Learning from outside", 'BK.outside,"Learning from outside')


@case("structure_unknown_code", "structure", "refuse", file=SEGMENTS, row=3, column="Code")
def _(folder):
    set_cell(folder, SEGMENTS, 3, "Code", "Success characteristics\\Nothing like it")


@case("structure_offsets_outside", "structure", "refuse", file=SEGMENTS, row=3, column=True)
def _(folder):
    set_cell(folder, SEGMENTS, 3, "End", "99999999")


@case("structure_offsets_reversed", "structure", "refuse", file=SEGMENTS, row=3, column=True)
def _(folder):
    set_cell(folder, SEGMENTS, 3, "Begin", "718")
    set_cell(folder, SEGMENTS, 3, "End", "496")


@case("structure_offset_not_a_number", "structure", "refuse", file=SEGMENTS, row=3, column="Begin")
def _(folder):
    set_cell(folder, SEGMENTS, 3, "Begin", "four hundred")


@case("structure_segment_text_mismatch", "structure", "refuse", file=SEGMENTS, row=3, column="Segment")
def _(folder):
    set_cell(folder, SEGMENTS, 3, "Segment", "Not what the transcript says at all." + "x" * 186)


@case("structure_segment_unknown_interview_dropped", "structure", "load", audit={"table": "segments", "action": "drop"})
def _(folder):
    set_cell(folder, SEGMENTS, 3, "Document name", "S99-I99")


@case("structure_duplicate_interview_disagreeing", "structure", "refuse", file=LOG, row=True)
def _(folder):
    rows = rows_of(folder, LOG)
    copy = list(rows[2])
    copy[rows[1].index("Minutes")] = "99"
    rows.append(copy)
    write_rows(folder, LOG, rows)


@case("structure_bad_date", "structure", "refuse", file=LOG, row=3, column="Date")
def _(folder):
    set_cell(folder, LOG, 3, "Date", "2000-13-45")


@case("structure_unknown_site_name", "structure", "refuse", file=LOG, row=3, column="Unit")
def _(folder):
    set_cell(folder, LOG, 3, "Unit", "Nowhere Clinic")


@case("structure_unknown_role", "structure", "refuse", file=LOG, row=3, column="Role")
def _(folder):
    set_cell(folder, LOG, 3, "Role", "Wizard")


@case("structure_measure_direction_unknown", "structure", "refuse", file=MEASURES, row=3, column="Better when")
def _(folder):
    set_cell(folder, MEASURES, 3, "Better when", "sideways")


@case("structure_transcript_unknown_interview", "structure", "load", audit={"table": "transcripts", "action": "drop"})
def _(folder):
    (folder / TRANSCRIPTS / "S99-I99.txt").write_text("A transcript nobody logged.")


@case("structure_no_transcripts_match", "structure", "refuse", file="raw/transcripts/*.txt")
def _(folder):
    for path in (folder / TRANSCRIPTS).glob("*.txt"):
        path.rename(path.with_suffix(".text"))


@case("structure_register_wrong_skip_rows", "structure", "refuse", file=REGISTER, column=True)
def _(folder):
    manifest(folder, "skip_rows = 2  # a title line", "skip_rows = 0  # a title line")


@case("structure_skip_rows_past_end", "structure", "refuse", file=CODEBOOK)
def _(folder):
    text = read(folder, MANIFEST)
    at = text.index("[tables.codebook]")
    write(folder, MANIFEST, text[:at] + text[at:].replace("skip_rows = 1", "skip_rows = 5000", 1))


@case(
    "structure_nul_in_informant_id",
    "structure",
    "either",
    file=LOG,
    row=3,
    column="Informant",
    audit={"table": "informants", "column": "informant_id"},
    check=same_counts("interviews"),
)
def _(folder):
    set_cell(folder, LOG, 3, "Informant", "S01-P01\x00")


CASES_BY_NAME = {c.name: c for c in CASES}
assert len(CASES_BY_NAME) == len(CASES), "two cases share a name"
