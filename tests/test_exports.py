"""Tests of the shipped exports of the bundled study (data/exports/, leadlib.simulate.exports).

The bundled study is shipped as a REFI-QDA project made by leadlib's writer.
These tests check that the file is current (a fresh export gives the same
bytes), that it reads back into the bundled study's tables, and that the
writer's output depends on the study alone (not on the clock or on Python's
hash seed), which is what makes the first check possible.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import leadlib
from leadlib import schema
from leadlib.io import read_refi, write_refi
from leadlib.simulate.exports import BUNDLED_QDPX, REGENERATE, main, write_bundled_exports

XSD = Path(__file__).parent / "fixtures" / "refi-qda" / "schema" / "Project-mrt2019.xsd"
TABLES = ("sites", "informants", "interviews", "transcripts", "codebook", "segments")


@pytest.fixture(scope="module")
def bundled():
    return leadlib.load_study(cache=False)


@pytest.fixture(scope="module")
def shipped():
    return read_refi(BUNDLED_QDPX)


def _members(path: Path) -> list[tuple[str, tuple, int, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, i.date_time, i.external_attr, zf.read(i)) for i in zf.infolist()]


def test_shipped_qdpx_is_current(tmp_path, capsys):
    assert BUNDLED_QDPX.exists(), f"data/exports/bundled-study.qdpx is missing; make it with: {REGENERATE}"
    assert main(["--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "bundled-study.qdpx" in printed and "bytes" in printed
    fresh = tmp_path / BUNDLED_QDPX.name
    if fresh.read_bytes() == BUNDLED_QDPX.read_bytes():
        return
    stale = f"data/exports/bundled-study.qdpx is stale (the study or the writer changed); regenerate it: {REGENERATE}"
    old, new = _members(BUNDLED_QDPX), _members(fresh)
    assert [m[0] for m in old] == [m[0] for m in new], stale
    for (name, *a), (_, *b) in zip(old, new):
        assert a == b, f"{stale} (first difference in {name})"
    # every member is identical: only the compressed bytes differ, i.e. this
    # Python's zlib is another build (zlib-ng, say) than the one that made
    # the file; the content is current.
    pytest.skip("the shipped export's members equal a fresh export's, but this zlib compresses them differently")


def test_writer_does_not_depend_on_the_clock(tmp_path, monkeypatch, bundled):
    first = write_refi(bundled, tmp_path / "a.qdpx").read_bytes()
    # the time zipfile would stamp a member with, two hours later
    later = time.time() + 7200
    monkeypatch.setattr(time, "time", lambda: later)
    second = write_refi(bundled, tmp_path / "b.qdpx").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a.qdpx") as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_writer_does_not_depend_on_the_hash_seed(tmp_path):
    # Set and dict orders of strings change with PYTHONHASHSEED; GUIDs and
    # element order must not.
    script = (
        "import sys; from leadlib.simulate import simulate_study; from leadlib.io import write_refi; "
        "write_refi(simulate_study(n_sites=2, seed=5), sys.argv[1])"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.qdpx"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env, timeout=120)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_shipped_qdpx_reads_back_to_the_bundled_study(bundled, shipped):
    # The documented round-trip exceptions: REFI-QDA has no place for the
    # CMAT survey or the site measures (empty tables, with their columns), the
    # tidying audit of the raw files is not carried (the reader writes its
    # own), and the codebook comes back in the order of the code tree (each
    # code after its parent); everything else is equal, row order included.
    for name in TABLES:
        ours, theirs = getattr(bundled, name), getattr(shipped, name)
        if name == "codebook":
            ours = ours.sort_values("code_id").reset_index(drop=True)
            theirs = theirs.sort_values("code_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(ours.reset_index(drop=True), theirs.reset_index(drop=True), obj=name)
    for name in ("survey", "measures"):
        table = getattr(shipped, name)
        assert table.empty and list(table.columns) == schema.TABLES[name].names
    assert len(bundled.survey) > 0 and len(bundled.measures) > 0  # so the exception is real
    assert shipped.synthetic is True
    assert shipped.name == bundled.name
    acc = shipped.accounting().set_index("table")
    assert (acc["rows_dropped"] == 0).all()
    assert acc.loc["segments", "rows_kept"] == len(bundled.segments)


def test_shipped_qdpx_says_it_is_synthetic_and_is_valid_qda_xml(bundled):
    from lxml import etree  # a declared test dependency: its absence is a failure, not a skip

    with zipfile.ZipFile(BUNDLED_QDPX) as zf:
        qde = zf.read("project.qde")
        n_sources = sum(n.startswith("sources/") for n in zf.namelist())
    assert b"SYNTHETIC" in qde  # the project's Description, seen by anyone who opens it in a QDA tool
    xsd = etree.XMLSchema(etree.parse(str(XSD)))
    assert xsd.validate(etree.fromstring(qde)), xsd.error_log
    assert n_sources == len(bundled.transcripts)  # one text source per transcript of the bundled study


def test_study_toml_with_refi_format_loads_the_shipped_file(tmp_path, shipped):
    import shutil

    shutil.copy(BUNDLED_QDPX, tmp_path / "bundled-study.qdpx")  # a manifest reads only inside its folder
    (tmp_path / "study.toml").write_text(
        "[study]\n"
        'name = "The bundled study, from its REFI-QDA export"\n'
        "synthetic = true\n"
        'format = "refi-qda"\n'
        'source = "bundled-study.qdpx"\n'
        'site_from = "variable:organization"\n',
        encoding="utf-8",
    )
    study = leadlib.load_study(tmp_path)
    # site_from in the manifest is honoured: sites are now organisations
    organisations = set(shipped.sites["organization"].dropna())
    assert set(study.sites["site_id"]) == organisations
    assert study.name == "The bundled study, from its REFI-QDA export"
    assert len(study.segments) == len(shipped.segments)


def test_write_bundled_exports_writes_into_the_folder_given(tmp_path):
    written = write_bundled_exports(tmp_path / "out")
    assert [p.name for p in written] == ["bundled-study.qdpx"]
    assert all(p.parent == tmp_path / "out" for p in written)


def test_study_toml_passes_code_groups_and_on_no_site_to_the_reader(tmp_path):
    import shutil

    shutil.copy(BUNDLED_QDPX, tmp_path / "bundled-study.qdpx")
    (tmp_path / "study.toml").write_text(
        '[study]\nformat = "refi-qda"\nsource = "bundled-study.qdpx"\nsite_from = "pattern:^(S0[1-5])-"\n'
        'on_no_site = "drop"\n',
        encoding="utf-8",
    )
    study = leadlib.load_study(tmp_path)
    assert set(study.sites["site_id"]) == {"S01", "S02", "S03", "S04", "S05"}  # the others' documents dropped
    (tmp_path / "study.toml").write_text(
        '[study]\nformat = "refi-qda"\nsource = "bundled-study.qdpx"\nsite_from = "pattern:^(S0[1-5])-"\n'
        'on_no_site = "error"\n',
        encoding="utf-8",
    )
    with pytest.raises(leadlib.LeadlibDataError):
        leadlib.load_study(tmp_path)
