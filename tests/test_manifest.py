"""leadlib.manifest: study.toml is checked, and each mistake is a clear error."""

from __future__ import annotations

import pytest

import leadlib
from leadlib import LeadlibDataError
from leadlib.manifest import read_manifest
from leadlib.paths import DATA_DIR as DATA


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


# ------------------------------------------------- the declared schema (issue 11, item 5)
def _refused(tmp_path, text):
    with pytest.raises(LeadlibDataError) as err:
        read_manifest(_write(tmp_path, text))
    assert err.value.path.name == "study.toml", str(err.value)  # the message names the manifest
    return str(err.value)


@pytest.mark.parametrize(
    "change, key, expected",
    [
        # a string where a boolean is expected: "false" would be read as true
        (("primary = false", 'primary = "false"'), "[tables.segments_coder2] primary", "true or false"),
        (
            ('path = "a.csv"\ncolumns = { code_id', 'path = "a.csv"\nencoding = 8\ncolumns = { code_id'),
            "[tables.codebook] encoding",
            "a string",
        ),
        (
            ('path = "a.csv"\ncolumns = { code_id', 'path = "a.csv"\nencoding = "utf-9"\ncolumns = { code_id'),
            "[tables.codebook] encoding",
            "text encoding",
        ),
        (
            ('path = "a.csv"\ncolumns = { code_id', 'path = "a.csv"\ndelimiter = ";;"\ncolumns = { code_id'),
            "[tables.codebook] delimiter",
            "a single character",
        ),
        (
            ('path = "a.csv"\ncolumns = { code_id', 'path = "a.csv"\ndate_format = 1\ncolumns = { code_id'),
            "[tables.codebook] date_format",
            "a string",
        ),
        (
            ('columns = { code_id = "x" }\n[tables.segments]', 'columns = "x"\n[tables.segments]'),
            "[tables.codebook] columns",
            "a table",
        ),
        (('[study]\nname = "t"', '[study]\nname = "t"\nmissing = [1, 2]'), "[study] missing", "a list of strings"),
        (('[study]\nname = "t"', '[study]\nname = "t"\nmissing = "NA"'), "[study] missing", "a list"),
        (("primary = false", "primary = false\nskip_rows = -1"), "[tables.segments_coder2] skip_rows", "0 to"),
        (("primary = false", "primary = false\nskip_rows = true"), "[tables.segments_coder2] skip_rows", "whole"),
        (("primary = false", 'primary = false\nlayout = "tall"'), "[tables.segments_coder2] layout", "'long' or"),
        (
            ("primary = false", 'primary = false\ncode_path_separator = ""'),
            "[tables.segments_coder2] code_path_separator",
            "not empty",
        ),
    ],
)
def test_a_value_of_the_wrong_type_names_key_and_type(tmp_path, change, key, expected):
    message = _refused(tmp_path, MINIMAL.replace(*change, 1))
    assert f"manifest key {key} must be" in message, message
    assert expected in message, message


@pytest.mark.parametrize(
    "change, key, suggestion",
    [
        # a typo in [study] used to drop the SYNTHETIC label silently
        (('[study]\nname = "t"', '[study]\nname = "t"\nsynthtic = true'), "[study] synthtic", "synthetic"),
        (("primary = false", "primry = false"), "[tables.segments_coder2] primry", "primary"),
        (("[study]", "[studdy]"), "studdy", "study"),
        (("[study]", '[aliases.role]\nRN = "nurse"\n[study]'), "[aliases] role", "roles"),
        (
            ('columns = { site_id = "x", name = "x" }', 'columns = { site = "x", name = "x" }'),
            "[tables.sites.columns] site",
            "site_id",
        ),
        (("[tables.informants]", "[tables.informant]"), "tables.informant", "tables.informants"),
    ],
)
def test_an_unknown_key_is_named_with_the_nearest_known_one(tmp_path, change, key, suggestion):
    message = _refused(tmp_path, MINIMAL.replace(*change, 1))
    assert f"manifest key {key} " in message, message
    assert f"did you mean {suggestion}?" in message, message


def test_a_string_where_a_section_is_expected(tmp_path):
    message = _refused(tmp_path, MINIMAL.replace('[study]\nname = "t"', 'study = "x"', 1))
    assert "manifest key study must be a table" in message, message


def test_a_wide_section_without_its_settings(tmp_path):
    text = MINIMAL + '[tables.survey]\npath = "a.csv"\nlayout = "wide"\ncolumns = { respondent_id = "x" }\n'
    assert "[tables.survey] wide needs names_to" in _refused(tmp_path, text)
    text += '[tables.survey.wide]\nname_to = "characteristic"\nvalues_to = "rating"\ncolumns = { a = "x" }\n'
    assert "[tables.survey.wide] name_to is not a setting of a wide layout: did you mean names_to?" in _refused(
        tmp_path, text
    )


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{ a = ", "}")])
def test_deep_nesting_is_refused_before_parsing(tmp_path, opening, closing):
    # 5,000 levels make Python's TOML parser raise RecursionError
    text = MINIMAL.replace("[study]\n", "[study]\ndescription = " + opening * 5000 + "1" + closing * 5000 + "\n")
    with pytest.raises(LeadlibDataError, match="nests tables or lists more than 10 deep") as err:
        read_manifest(_write(tmp_path, text))
    assert err.value.path.name == "study.toml" and err.value.row == 3  # the line of the opening brackets


def test_deep_dotted_keys_are_refused(tmp_path):
    text = MINIMAL + "[" + ".".join(["x"] * 50) + "]\ny = 1\n"  # no brackets nest, the tables do
    with pytest.raises(LeadlibDataError, match="more than 10 deep"):
        read_manifest(_write(tmp_path, text))


def test_a_huge_manifest_is_refused_unread(tmp_path):
    text = MINIMAL + "# " + "x" * (1 << 20) + "\n"
    with pytest.raises(LeadlibDataError, match="larger than 1 MB") as err:
        read_manifest(_write(tmp_path, text))
    assert err.value.path.name == "study.toml"


def test_primary_is_a_boolean_and_false_is_false(tmp_path):
    m = read_manifest(_write(tmp_path, MINIMAL))
    assert [s.primary for s in m.sources_for("segments")] == [True, False]
    with pytest.raises(LeadlibDataError, match=r"primary must be true or false") as err:
        read_manifest(_write(tmp_path, MINIMAL.replace("primary = false", 'primary = "false"')))
    assert err.value.value == "false"


def test_the_bundled_manifest_passes_the_schema(tmp_path):
    from leadlib.paths import DATA_DIR

    m = read_manifest(DATA_DIR)
    assert m.synthetic is True
    assert m.sources_for("survey")[0].wide["names_to"] == "characteristic"
    assert {s.key: s.code_path_separator for s in m.sources_for("segments")} == {
        "segments": "\\",
        "segments_coder2": "\\",
    }


def test_every_alias_kind_is_declared_in_the_schema():
    from leadlib.manifest import ALIAS_KINDS, _AliasesSchema

    assert set(_AliasesSchema.model_fields) == set(ALIAS_KINDS)


def test_study_limits_set_the_caps_on_the_files(tmp_path):
    """[study.limits] (megabytes) lowers or raises the caps; a typo is named with its nearest limit."""
    import shutil

    from leadlib.io._safe import DEFAULT_LIMITS

    folder = tmp_path / "study"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns(".leadlib-cache"))
    text = (folder / "study.toml").read_text()
    assert read_manifest(folder).limits == DEFAULT_LIMITS
    (folder / "study.toml").write_text(text.replace("[study]\n", "[study]\nlimits = { max_table_mb = 0.001 }\n", 1))
    assert read_manifest(folder).limits.max_table_bytes == int(0.001 * 2**20)
    with pytest.raises(LeadlibDataError, match=r"\[study.limits\] max_table_mb") as caught:
        leadlib.load_study(folder, cache=False)
    assert "site_register.xlsx" in str(caught.value)
    (folder / "study.toml").write_text(text.replace("[study]\n", "[study]\nlimits = { max_tabel_mb = 1 }\n", 1))
    with pytest.raises(LeadlibDataError, match="did you mean max_table_mb"):
        read_manifest(folder)


def test_a_pattern_of_many_files_is_listed_without_a_path_object_per_file(tmp_path):
    """Transcripts matched by a pattern come as a PathList: the paths as strings, a Path for a file asked for,
    and equal to the list of Paths it stands for."""
    from pathlib import Path

    from leadlib.manifest import PathList

    folder = _write(tmp_path, MINIMAL)
    (folder / "tx").mkdir()
    for name in ("b.txt", "a.txt", "c.txt"):
        (folder / "tx" / name).write_text("words")
    text = (folder / "study.toml").read_text() + '\n[tables.transcripts]\npath = "tx/*.txt"\nformat = "txt"\n'
    (folder / "study.toml").write_text(text)
    spec = read_manifest(folder).sources_for("transcripts")[0]
    assert isinstance(spec.files, PathList)
    expected = [folder / "tx" / n for n in ("a.txt", "b.txt", "c.txt")]  # sorted
    assert spec.files.strings == [str(p) for p in expected]
    assert spec.files == expected and list(spec.files) == expected
    assert spec.files[0] == expected[0] and isinstance(spec.files[0], Path) and spec.file == expected[0]
    assert spec.files[1:] == expected[1:] and len(spec.files) == 3
    assert spec.files != [expected[0]]
    assert read_manifest(folder).sources_for("sites")[0].files == [folder / "a.csv"]
