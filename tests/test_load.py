"""load_study on the bundled study, the Parquet cache, and the `leadlib check` / `leadlib simulate` commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import leadlib
from leadlib.cli import main
from leadlib.load import CACHE_DIR

ROOT = Path(__file__).resolve().parents[1]


def test_bundled_study_has_20_sites_and_every_table_filled(bundled):
    assert len(bundled.sites) == 20
    for name, table in bundled.tables():
        assert len(table) > 0, name
    assert bundled.synthetic
    assert "SYNTHETIC" in (ROOT / "data" / "README.md").read_text(encoding="utf-8").upper()


def test_bundled_accounting_balances_and_every_drop_has_its_entry(bundled):
    acc = bundled.accounting()
    assert list(acc.columns) == ["source", "table", "rows_read", "rows_kept", "rows_dropped"]
    assert (acc["rows_read"] == acc["rows_kept"] + acc["rows_dropped"]).all()
    drops = bundled.audit[bundled.audit["action"] == "drop"]
    assert acc["rows_dropped"].sum() == drops["n"].sum()
    # rows kept are what reached the tidy tables
    kept = acc.groupby("table")["rows_kept"].sum()
    for table in ("sites", "codebook", "transcripts", "segments", "survey", "measures"):
        assert kept[table] == len(getattr(bundled, table)), table
    assert kept["informants"] == len(bundled.informants)
    assert kept["interviews"] == len(bundled.interviews)


def test_bundled_mess_was_tidied_and_audited(bundled):
    a = bundled.audit
    actions = set(a["action"].astype(str))
    assert {"strip", "missing", "recode", "date", "decode", "drop", "reshape", "infer"} <= actions
    reasons = " ".join(a["reason"])
    assert "duplicate" in reasons and "not in the interview log" in reasons
    renamed = a[(a["column"] == "code_id") & a["before"].str.contains("Watching the numbers", na=False)]
    assert len(renamed) == 1 and renamed["after"].iloc[0] == "BK.measures" and renamed["n"].iloc[0] > 0


def test_frame_joins_segments_to_their_context(bundled):
    f = bundled.frame()
    assert len(f) == int(bundled.segments["primary"].sum())
    assert f["primary"].all()
    assert f[["site_id", "role", "leader_type", "code_label", "group"]].notna().all().all()
    assert set(f["process"].dropna().astype(str)) == {"building_knowledge", "taking_action", "reviewing_reflecting"}
    everything = bundled.frame(coder=None)
    assert len(everything) == len(bundled.segments)
    eg = bundled.frame(coder="EG")
    assert len(eg) == int((~bundled.segments["primary"]).sum())
    assert f.attrs["synthetic"] is True


def test_warm_load_comes_from_the_cache_and_equals_the_cold_one(study_copy):
    cold = leadlib.load_study(study_copy)
    entries = [p for p in (study_copy / CACHE_DIR).iterdir() if p.is_dir()]
    assert len(entries) == 1
    # A cache hit does not tidy again: make tidying impossible and load again.
    import leadlib.tidy as tidy

    original = tidy.tidy_study
    tidy.tidy_study = lambda manifest: pytest.fail("tidied again although nothing changed")
    try:
        warm = leadlib.load_study(study_copy)
    finally:
        tidy.tidy_study = original
    for name, table in cold.tables():
        pd.testing.assert_frame_equal(getattr(warm, name), table, obj=name)
    pd.testing.assert_frame_equal(warm.accounting(), cold.accounting())
    assert warm.synthetic == cold.synthetic and warm.name == cold.name


def test_cache_is_invalidated_when_a_file_changes(study_copy):
    leadlib.load_study(study_copy)
    log = study_copy / "raw" / "interview_log.csv"
    text = log.read_text(encoding="utf-8")
    # same length, new content: change an interviewer
    changed = text.replace("INT-A", "INT-Z", 1) if "INT-A" in text else text.replace("INT-B", "INT-Z", 1)
    log.write_text(changed, encoding="utf-8")
    reloaded = leadlib.load_study(study_copy)
    assert "INT-Z" in set(reloaded.interviews["interviewer"].dropna())
    entries = [p for p in (study_copy / CACHE_DIR).iterdir() if p.is_dir()]
    assert len(entries) == 1  # the stale entry was removed


def test_damaged_cache_is_ignored(study_copy):
    leadlib.load_study(study_copy)
    entry = next(p for p in (study_copy / CACHE_DIR).iterdir() if p.is_dir())
    (entry / "segments.arrow").write_bytes(b"not an arrow file")
    again = leadlib.load_study(study_copy)
    assert len(again.segments) > 0


def test_without_cache_nothing_is_written(study_copy):
    leadlib.load_study(study_copy, cache=False)
    assert not (study_copy / CACHE_DIR).exists()


def test_check_command_prints_accounting(capsys):
    assert main(["check", str(ROOT / "data")]) == 0
    out = capsys.readouterr().out
    assert "Row accounting" in out and "balanced: yes" in out and "SYNTHETIC" in out


def test_check_command_exits_1_with_the_error_on_bad_input(study_copy, capsys):
    (study_copy / "raw" / "codebook_v2.csv").unlink()
    assert main(["check", str(study_copy)]) == 1
    err = capsys.readouterr().err
    assert "codebook_v2.csv" in err and "file not found" in err and "Traceback" not in err


def test_leadlib_command_runs_as_a_program(tmp_path):
    out = tmp_path / "sim"
    done = subprocess.run(
        [sys.executable, "-m", "leadlib", "simulate", "--out", str(out), "--sites", "3", "--seed", "1"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "SYNTHETIC" in done.stdout
    assert (out / "study.toml").exists() and len(list((out / "raw" / "transcripts").glob("*.txt"))) >= 24
    study = leadlib.load_study(out, cache=False)
    assert len(study.sites) == 3


def test_cache_is_invalidated_when_the_tidying_code_changes(study_copy, monkeypatch):
    import leadlib.load as load
    import leadlib.tidy as tidy

    leadlib.load_study(study_copy)
    calls = []
    original = tidy.tidy_study
    monkeypatch.setattr(tidy, "tidy_study", lambda manifest: calls.append(1) or original(manifest))
    leadlib.load_study(study_copy)
    assert calls == []  # same code, same files: from the cache
    monkeypatch.setattr(load, "_code_fingerprint", lambda: "another version of the code")
    leadlib.load_study(study_copy)
    assert calls == [1]


def test_cached_and_fresh_loads_are_identical_audit_included(study_copy):
    fresh = leadlib.load_study(study_copy, cache=False)
    leadlib.load_study(study_copy)
    cached = leadlib.load_study(study_copy)
    pd.testing.assert_frame_equal(cached.audit, fresh.audit)
