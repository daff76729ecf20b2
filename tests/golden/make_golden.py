"""The tables behind the report, computed by public calls that every version keeps.

``tests/test_golden.py`` recomputes them and compares with the copies in this
folder, written once by the code of leadlib 0.1.0 (before the package was
rearranged into layers, issue 10), so that a move of code that changes a table
cannot pass unnoticed. Rewrite the copies (``python tests/golden/make_golden.py --out tests/golden/tables``)
only for an analytic change, named in CHANGELOG.md in the same commit.

Tidy tables are compared by a hash of their values (they are large and follow
from ``data/``); the analysis tables, as CSV with values rounded to 10 places.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
TIDY = ("sites", "informants", "interviews", "transcripts", "codebook", "segments", "survey", "measures", "audit")


def tidy_digests(study) -> dict[str, str]:
    """A digest of every tidy table's values, column names and order included."""
    out = {}
    for name in TIDY:
        table = getattr(study, name).reset_index(drop=True)
        values = pd.util.hash_pandas_object(table.astype(str), index=True).to_numpy()
        out[name] = (
            f"{len(table)}x{table.shape[1]}:{','.join(map(str, table.columns))}:{int(values.sum()) & (2**64 - 1):x}"
        )
    return out


def analysis_tables(study) -> dict[str, pd.DataFrame]:
    """The tables the study pages and the site reports are built from, min_n = 3 as the report sets."""
    from leadlib import compare, disclosure, report

    frame = study.frame()
    leading = frame[frame["process"].notna()]
    tables = {}
    for unit in ("segments", "interviews", "informants", "per_1000_words"):
        tables[f"site_matrix_process_{unit}"] = compare.site_matrix(frame, of="process", unit=unit, interviews=study)
        tables[f"site_matrix_codes_{unit}"] = compare.site_matrix(leading, of="code_id", unit=unit, interviews=study)
    for unit in ("segments", "interviews", "informants"):
        tables[f"process_profile_{unit}"] = compare.process_profile(frame, unit=unit)
    tables["process_profile_leader_type"] = compare.process_profile(frame, by="leader_type", unit="segments")
    tables["process_profile_leader_level"] = compare.process_profile(frame, by="leader_level", unit="segments")
    pattern = disclosure.site_pattern(frame, min_n=3)
    tables["site_pattern_min_n_3"] = pattern.astype(int)
    shares = compare.site_matrix(frame, of="process", unit="segments", normalize="row")
    tables["suppressed_process_shares"] = disclosure.suppress(shares, min_n=3, pattern=pattern)
    sub_codes = study.code_table().query("process.notna() and depth == 2")["code_id"].tolist()
    definitions = dict(zip(study.codebook["code_id"], study.codebook["definition"]))
    for site_id in study.sites["site_id"]:
        processes = report.peer_comparison(frame, site_id, of="process", min_n=3)
        behaviours = report.peer_comparison(frame, site_id, of="code_id", behaviours=sub_codes, min_n=3)
        tables[f"peers_process_{site_id}"] = processes
        tables[f"peers_behaviours_{site_id}"] = behaviours
        tables[f"statements_{site_id}"] = report.feedback_statements(behaviours, definitions=definitions)
    return tables


def as_csv(table: pd.DataFrame) -> str:
    table = table.copy()
    for column in table.columns:
        if pd.api.types.is_float_dtype(table[column]):
            table[column] = table[column].round(10)
    return table.to_csv(lineterminator="\n")


def main() -> None:
    import leadlib

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True, help="folder to write the copies into")
    args = parser.parse_args()
    study = leadlib.load_study(cache=False)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / "tidy.json").write_text(json.dumps(tidy_digests(study), indent=1) + "\n")
    for name, table in analysis_tables(study).items():
        (out / f"{name}.csv").write_text(as_csv(table))


if __name__ == "__main__":
    main()
