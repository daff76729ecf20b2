"""Role withholding (leadlib.deidentify), and the import order it lets the modules keep."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from leadlib import compare, deidentify, disclosure
from leadlib.deidentify import WITHHELD_ROLE, quote_roles


def people() -> pd.DataFrame:
    # site A: three nurses, one medical director; site B: one nurse, two clerks
    return pd.DataFrame(
        {
            "informant_id": ["A1", "A2", "A3", "A4", "B1", "B2", "B3"],
            "site_id": ["A", "A", "A", "A", "B", "B", "B"],
            "role": ["nurse", "nurse", "nurse", "medical_director", "nurse", "clerical", "clerical"],
        }
    )


def quotes_of(ids: list[str]) -> pd.DataFrame:
    informants = people().set_index("informant_id")
    return pd.DataFrame(
        {
            "informant_id": ids,
            "site_id": informants.loc[ids, "site_id"].to_numpy(),
            "role": informants.loc[ids, "role"].to_numpy(),
        },
        index=[f"q{k}" for k in range(len(ids))],
    )


def test_a_role_one_person_holds_at_the_site_is_withheld():
    roles = quote_roles(quotes_of(["A1", "A4", "B1", "B2"]), informants=people())
    # nurse at A: 3 hold it; medical director at A: 1; nurse at B: 1 (the nurses of A do not count); clerk at B: 2
    assert roles.tolist() == ["Nurse", WITHHELD_ROLE, WITHHELD_ROLE, "Clerical"]
    assert list(roles.index) == ["q0", "q1", "q2", "q3"]


def test_threshold_and_withheld_value():
    frame = quotes_of(["A1", "B2"])
    # 3 nurses at A, 2 clerks at B: a threshold of 3 keeps only the nurse
    assert quote_roles(frame, informants=people(), min_informants=3).tolist() == ["Nurse", WITHHELD_ROLE]
    withheld = quote_roles(frame, informants=people(), min_informants=3, withheld=None)
    assert withheld.iloc[0] == "Nurse" and pd.isna(withheld.iloc[1])  # missing, not a label
    # 0 withholds nothing
    assert quote_roles(frame, informants=people(), min_informants=0).tolist() == ["Nurse", "Clerical"]


def test_without_the_informants_table_only_quoted_people_count():
    frame = quotes_of(["A1", "A2", "B2"])
    # two quoted nurses at A; one quoted clerk at B (the other clerk is not quoted)
    assert quote_roles(frame).tolist() == ["Nurse", "Nurse", WITHHELD_ROLE]


def test_missing_role_is_withheld_and_missing_column_is_an_error():
    frame = quotes_of(["A1", "A2"])
    frame.loc["q1", "role"] = None
    assert quote_roles(frame, informants=people()).tolist() == ["Nurse", WITHHELD_ROLE]
    try:
        quote_roles(frame.drop(columns="role"))
    except ValueError as err:
        assert "'role'" in str(err)
    else:  # pragma: no cover
        raise AssertionError("quote_roles without a role column should fail")


def test_the_old_names_keep_working():
    assert disclosure.quote_roles is deidentify.quote_roles
    assert disclosure.WITHHELD_ROLE == WITHHELD_ROLE == compare.ROLE_WITHHELD
    assert "quote_roles" in disclosure.__all__ and "WITHHELD_ROLE" in disclosure.__all__


def test_deidentify_sits_below_compare_and_disclosure():
    # a fresh interpreter: importing deidentify loads neither module, importing compare does not load disclosure
    code = (
        "import sys\n"
        "import leadlib.deidentify\n"
        "assert 'leadlib.compare' not in sys.modules and 'leadlib.disclosure' not in sys.modules\n"
        "import leadlib.compare\n"
        "assert 'leadlib.disclosure' not in sys.modules\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
