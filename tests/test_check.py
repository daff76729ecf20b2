"""``leadlib check``: a study with no interviews or no codings is not valid; warnings when it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import leadlib
from leadlib import paths
from leadlib.check import check_findings, check_report
from leadlib.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def cache_root(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "user-cache"
    monkeypatch.setenv(paths.CACHE_ENV, str(root))
    return root


def _header_only(path: Path, header_line: int) -> None:
    """Keep a CSV's lines up to its header (1-based line number): no data rows."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:header_line]), encoding="utf-8")


def test_the_bundled_study_is_valid_without_warnings(capsys):
    assert main(["check", str(ROOT / "data")]) == 0
    captured = capsys.readouterr()
    assert "The study is valid: every table passed the schema checks." in captured.out
    assert "Warnings" not in captured.out and "error" not in captured.err


def test_an_interview_log_with_only_its_header_fails_the_check(study_copy, capsys):
    _header_only(study_copy / "raw" / "interview_log.csv", 2)  # a title line, then the header
    assert main(["check", str(study_copy)]) == 1
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert "interview_log.csv" in said
    assert "The study is valid" not in captured.out


def test_a_coding_file_with_only_its_header_fails_the_check(study_copy, capsys):
    # the second coder's file stays: codings exist, but none is primary
    _header_only(study_copy / "raw" / "coded_segments_coder1.csv", 2)
    assert main(["check", str(study_copy)]) == 1
    captured = capsys.readouterr()
    assert "coded_segments_coder1.csv" in captured.out + captured.err or "primary" in captured.err
    assert "The study is valid" not in captured.out


def test_more_than_a_tenth_of_a_file_dropped_is_a_warning(study_copy, capsys):
    transcripts = study_copy / "raw" / "transcripts"
    n = len(list(transcripts.glob("*.txt")))
    extra = n // 10 + 2  # unknown interviews: dropped, as the manifest says (on_unknown_interview = "drop")
    for i in range(extra):
        (transcripts / f"Z{i:02d}-I01.txt").write_text("An interview that is not in the log.\n", encoding="utf-8")
    assert main(["check", str(study_copy)]) == 0
    out = capsys.readouterr().out
    assert "Warnings (1):" in out
    warning = next(line for line in out.splitlines() if "more than 10%" in line)
    assert "raw/transcripts/*.txt (transcripts)" in warning
    assert re.search(r"(\d+) of (\d+) rows", warning).groups() == (str(extra + 1), str(n + extra))
    assert "The study is valid (every table passed the schema checks), with 1 warning(s)." in out


def test_an_empty_optional_table_is_a_warning(study_copy, capsys):
    manifest = study_copy / "study.toml"
    text = manifest.read_text(encoding="utf-8")
    # leave the site measures out of the manifest: the optional table `measures` is empty
    without = re.sub(r"(?ms)^\[tables\.measures[^\n]*\n.*?(?=^\[(?!tables\.measures))", "", text)
    assert "[tables.measures" not in without
    manifest.write_text(without, encoding="utf-8")
    assert main(["check", str(study_copy)]) == 0
    out = capsys.readouterr().out
    assert "the optional table measures has no rows" in out


def test_findings_name_what_is_wrong(study_copy):
    study = leadlib.load_study(study_copy, cache=False)
    assert check_findings(study) == ([], [])
    study.segments["primary"] = False
    errors, _ = check_findings(study)
    assert any("no coding is primary" in e for e in errors)
    study = leadlib.load_study(study_copy, cache=False)
    study.accounting_table.loc[0, "rows_kept"] += 1
    errors, _ = check_findings(study)
    assert any("does not balance" in e for e in errors)
    assert "The study is NOT usable: 1 error(s) above." in check_report(study)
    study = leadlib.load_study(study_copy, cache=False)
    dropped = study.interviews["interview_id"].iloc[0]
    study.segments = study.segments[study.segments["interview_id"] != dropped]
    _, warnings = check_findings(study)
    assert warnings == [f"1 interview(s) have no primary coding: {dropped}"]


def test_a_study_without_interviews_or_codings_is_an_error(study_copy):
    # what a load gives when every row of a file is dropped (a header-only file is refused earlier)
    study = leadlib.load_study(study_copy, cache=False)
    study.interviews = study.interviews.iloc[0:0]
    study.segments = study.segments.iloc[0:0]
    errors, _ = check_findings(study)
    assert [e.split(":")[0] for e in errors] == [
        "the table interviews has no rows (read from raw/interview_log.csv)",
        "the table segments has no rows (read from raw/coded_segments_coder1.csv, raw/coded_segments_coder2.csv)",
    ]
    assert "The study is valid" not in check_report(study)
