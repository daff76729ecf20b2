"""leadlib.manifest: study.toml is checked, and each mistake is a clear error."""

from __future__ import annotations

import pytest

from leadlib import LeadlibDataError
from leadlib.manifest import read_manifest


def _write(folder, text, files=("a.csv",)):
    for f in files:
        (folder / f).write_text("x\n1\n")
    (folder / "study.toml").write_text(text)
    return folder


MINIMAL = """
[study]
name = "t"
[tables.sites]
path = "a.csv"
columns = { site_id = "x", name = "x" }
[tables.informants]
path = "a.csv"
columns = { informant_id = "x" }
[tables.interviews]
path = "a.csv"
columns = { interview_id = "x" }
[tables.codebook]
path = "a.csv"
columns = { code_id = "x" }
[tables.segments]
path = "a.csv"
columns = { code_id = "x" }
[tables.segments_coder2]
path = "a.csv"
primary = false
columns = { code_id = "x" }
"""


def test_minimal_manifest_reads(tmp_path):
    m = read_manifest(_write(tmp_path, MINIMAL))
    assert m.name == "t" and not m.synthetic
    assert [s.table for s in m.sources_for("segments")] == ["segments", "segments"]
    assert [s.primary for s in m.sources_for("segments")] == [True, False]


def test_missing_manifest(tmp_path):
    with pytest.raises(LeadlibDataError, match="no study manifest"):
        read_manifest(tmp_path)


def test_invalid_toml_names_the_line(tmp_path):
    with pytest.raises(LeadlibDataError, match="not valid TOML") as err:
        read_manifest(_write(tmp_path, "[study]\nname = t\n"))
    assert err.value.row == 2


@pytest.mark.parametrize(
    "change, message",
    [
        (("[tables.sites]", "[tables.places]"), "does not name a tidy table"),
        (('path = "a.csv"\ncolumns = { site_id', 'path = "../a.csv"\ncolumns = { site_id'), "inside the study folder"),
        (('columns = { site_id = "x", name = "x" }', 'columns = { site = "x" }'), "is not a column of the sites table"),
        (("[tables.codebook]\npath", "[tables.notes]\npath"), "does not name a tidy table"),
        (('[study]\nname = "t"', '[study]\nname = "t"\nsynthetic = "yes"'), "true or false"),
        (("[study]", '[aliases.colours]\n"x" = "y"\n[study]'), "not a kind of alias"),
    ],
)
def test_manifest_mistakes_are_named(tmp_path, change, message):
    with pytest.raises(LeadlibDataError, match=message):
        read_manifest(_write(tmp_path, MINIMAL.replace(*change, 1)))


def test_missing_required_table(tmp_path):
    text = MINIMAL.split("[tables.codebook]")[0] + '[tables.segments]\npath = "a.csv"\ncolumns = { code_id = "x" }\n'
    with pytest.raises(LeadlibDataError, match="tables.codebook is missing"):
        read_manifest(_write(tmp_path, text))


def test_file_not_found_names_the_file(tmp_path):
    with pytest.raises(LeadlibDataError, match="file not found") as err:
        read_manifest(_write(tmp_path, MINIMAL.replace('path = "a.csv"', 'path = "gone.csv"', 1)))
    assert err.value.path.name == "gone.csv"


def test_a_qda_source_outside_the_study_folder_is_refused(tmp_path):
    (tmp_path / "study.toml").write_text('[study]\nformat = "refi-qda"\nsource = "../elsewhere/project.qdpx"\n')
    with pytest.raises(LeadlibDataError, match="inside the study folder"):
        read_manifest(tmp_path)


def test_a_manifest_that_is_a_folder(tmp_path):
    (tmp_path / "study.toml").mkdir()
    with pytest.raises(LeadlibDataError, match="folder, not a file"):
        read_manifest(tmp_path)
