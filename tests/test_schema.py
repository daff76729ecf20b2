"""leadlib.schema: the tidy tables, their dtypes, validation, the data dictionary."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from leadlib import LeadlibDataError, schema

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", list(schema.TABLES))
def test_empty_table_has_every_column_with_its_dtype(name):
    frame = schema.empty(name)
    table = schema.TABLES[name]
    assert list(frame.columns) == table.names
    assert len(frame) == 0
    for col in table.columns:
        assert frame[col.name].dtype == col.dtype, col.name


def test_vocabularies_are_ordered_categoricals_in_display_order():
    frame = schema.conform(
        "informants",
        pd.DataFrame(
            {
                "informant_id": ["b", "a", "c"],
                "site_id": ["S1"] * 3,
                "role": ["nurse", "medical_director", "clerical"],
                "leader_type": ["none", "formal", "informal"],
                "leader_level": [None, "macro", "micro"],
            }
        ),
    )
    assert frame["role"].cat.ordered
    assert list(frame.sort_values("role")["role"]) == ["medical_director", "nurse", "clerical"]
    assert list(frame.sort_values("leader_level")["leader_level"].dropna()) == ["micro", "macro"]
    assert frame["leader_level"].isna().sum() == 1


def _informants(**overrides):
    data = {
        "informant_id": ["S01-P01", "S01-P02"],
        "site_id": ["S01", "S01"],
        "role": ["nurse", "physician"],
        "leader_type": ["formal", "none"],
        "leader_level": ["micro", None],
    }
    data.update(overrides)
    return pd.DataFrame(data)


def test_validate_accepts_a_good_table_and_conform_keeps_its_values():
    assert schema.validate("informants", _informants()) is None  # no error raised
    tidy = schema.conform("informants", _informants())
    assert tidy["informant_id"].tolist() == ["S01-P01", "S01-P02"]
    assert tidy["role"].astype(str).tolist() == ["nurse", "physician"]
    assert tidy["leader_level"].isna().tolist() == [False, True]


def test_validate_names_a_missing_required_column():
    with pytest.raises(LeadlibDataError, match="no column 'role'") as err:
        schema.validate("informants", _informants().drop(columns="role"), source="log.csv")
    assert err.value.path == Path("log.csv")


def test_validate_reports_the_spreadsheet_row_and_raw_column_of_a_bad_vocabulary_value():
    frame = _informants(role=["nurse", "wizard"])
    rows = pd.Series([3, 4])
    with pytest.raises(LeadlibDataError) as err:
        schema.validate("informants", frame, source="log.csv", rows=rows, raw_names={"role": "Job"})
    e = err.value
    assert (e.row, e.column, e.value) == (4, "Job", "wizard")
    assert "known values" in str(e) and "[aliases.roles]" in str(e)


def test_validate_rejects_ids_with_surrounding_space_and_site_ids_with_commas():
    with pytest.raises(LeadlibDataError, match="not a usable ID"):
        schema.validate("informants", _informants(informant_id=["S01-P01 ", "x"]))
    sites = pd.DataFrame({"site_id": ["S1,S2"], "name": ["x"], "setting": [None]})
    with pytest.raises(LeadlibDataError, match="no commas"):
        schema.validate("sites", sites)


def test_validate_rejects_duplicate_keys():
    with pytest.raises(LeadlibDataError, match="appears twice"):
        schema.validate("informants", _informants(informant_id=["S01-P01", "S01-P01"]))


def test_validate_checks_references_to_other_tables():
    sites = pd.DataFrame({"site_id": ["S01"], "name": ["A"], "setting": ["hospice"]})
    with pytest.raises(LeadlibDataError, match="'S02' is not in the sites table"):
        schema.validate("informants", _informants(site_id=["S01", "S02"]), tables={"sites": sites})


def test_validate_checks_number_ranges():
    survey = pd.DataFrame(
        {"respondent_id": ["r1"], "site_id": ["S01"], "characteristic": ["leadership"], "rating": [4]}
    )
    with pytest.raises(LeadlibDataError, match="above 3"):
        schema.validate("survey", survey)


def test_labels_of_vocabulary_values():
    assert schema.label("reviewing_reflecting") == "Reviewing and reflecting"
    assert schema.label("nurse_manager") == "Nurse manager"


def test_data_dictionary_in_data_readme_is_current():
    """data/README.md embeds the dictionary generated from the schema: regenerate it (make data) when this fails."""
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    start = readme.index(schema.DICTIONARY_BEGIN)
    end = readme.index(schema.DICTIONARY_END) + len(schema.DICTIONARY_END)
    assert readme[start:end] == schema.data_dictionary()


def test_data_dictionary_lists_every_column():
    text = schema.data_dictionary()
    for table in schema.TABLES.values():
        assert f"### `{table.name}`" in text
        for col in table.columns:
            assert f"| `{col.name}` |" in text


def test_validate_skips_the_key_check_only_when_the_caller_vouches_for_the_key():
    """``key_unique=True`` is for keys built unique (tidying's segment IDs); without it a duplicate is found."""
    twice = _informants(informant_id=["S01-P01", "S01-P01"])
    with pytest.raises(LeadlibDataError, match="appears twice"):
        schema.validate("informants", twice)
    assert schema.validate("informants", twice, key_unique=True) is None
    # every other check still runs
    with pytest.raises(LeadlibDataError, match="not a known role"):
        schema.validate("informants", _informants(role=["nurse", "wizard"]), key_unique=True)
