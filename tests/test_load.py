"""load_study on the bundled study, the cache of tidy tables, and the `leadlib check` / `leadlib simulate` commands."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import platformdirs
import pytest

import leadlib
from leadlib import load, paths, tidy
from leadlib.cli import main
from leadlib.load import CACHE_DIR
from leadlib.manifest import read_manifest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def cache_root(tmp_path, monkeypatch) -> Path:
    """Every load of these tests keeps its cache in a private folder (``$LEADLIB_CACHE_DIR``)."""
    root = tmp_path / "user-cache"
    monkeypatch.setenv(paths.CACHE_ENV, str(root))
    return root


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


def _entries(folder: Path) -> list[Path]:
    where = load.cache_folder(folder)
    return [p for p in where.iterdir() if p.is_dir() and not p.name.startswith(".")] if where.is_dir() else []


def _cache_notes(study) -> pd.DataFrame:
    a = study.audit
    return a[a["table"] == "cache"]


def test_warm_load_comes_from_the_cache_and_equals_the_cold_one(study_copy, cache_root):
    cold = leadlib.load_study(study_copy)
    entries = _entries(study_copy)
    assert len(entries) == 1 and entries[0].is_relative_to(cache_root)
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
    assert _cache_notes(cold).empty and _cache_notes(warm).empty  # a first build is no rebuild


def _swap_interviewer(log: Path) -> None:
    text = log.read_text(encoding="utf-8")
    # same length, new content: change an interviewer
    changed = text.replace("INT-A", "INT-Z", 1) if "INT-A" in text else text.replace("INT-B", "INT-Z", 1)
    assert changed != text
    log.write_text(changed, encoding="utf-8")


def test_cache_is_invalidated_when_a_file_changes(study_copy):
    leadlib.load_study(study_copy)
    _swap_interviewer(study_copy / "raw" / "interview_log.csv")
    reloaded = leadlib.load_study(study_copy)
    assert "INT-Z" in set(reloaded.interviews["interviewer"].dropna())
    assert len(_entries(study_copy)) == 1  # the stale entry was removed
    notes = _cache_notes(reloaded)
    assert len(notes) == 1 and notes["action"].iloc[0] == "note"
    assert "changed: raw/interview_log.csv" in notes["reason"].iloc[0]


def test_an_edit_that_keeps_size_and_modification_time_is_seen(study_copy):
    leadlib.load_study(study_copy)
    log = study_copy / "raw" / "interview_log.csv"
    before = log.stat()
    _swap_interviewer(log)
    os.utime(log, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = log.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    reloaded = leadlib.load_study(study_copy)
    assert "INT-Z" in set(reloaded.interviews["interviewer"].dropna())


def _plant_legacy_cache(folder: Path, study) -> None:
    """A ``.leadlib-cache`` as leadlib <= 0.x wrote it, claiming the folder's files hold ``study``.

    Its memo maps each file's current size and modification time to a digest, and an entry
    under the key those digests give holds ``study``'s tables: the old loader served them.
    """
    from pyarrow import feather

    manifest = read_manifest(folder)
    root = folder / ".leadlib-cache"
    root.mkdir()
    memo, h = {}, hashlib.sha256(f"leadlib {leadlib.__version__} cache 2 code {load._code_fingerprint()}\n".encode())
    for f in manifest.files():
        rel = f.relative_to(manifest.folder).as_posix() if f.is_relative_to(manifest.folder) else str(f)
        st = f.stat()
        memo[rel] = [st.st_size, st.st_mtime_ns, "0" * 64]
        h.update(f"{rel}\0{'0' * 64}\n".encode())
    (root / "hashes.json").write_text(json.dumps(memo))
    entry = root / h.hexdigest()[:32]
    entry.mkdir()
    for name, frame in study.tables():
        feather.write_feather(frame.reset_index(drop=True), entry / f"{name}.arrow", compression="uncompressed")
    feather.write_feather(study.accounting_table, entry / "accounting.arrow", compression="uncompressed")
    (entry / "meta.json").write_text(json.dumps({"name": study.name, "synthetic": study.synthetic, "metadata": {}}))


def test_a_cache_folder_that_arrives_inside_the_study_folder_is_not_read(study_copy):
    foreign = leadlib.load_study(study_copy, cache=False)
    foreign.interviews["interviewer"] = "INT-FOREIGN"
    _plant_legacy_cache(study_copy, foreign)
    planted = sorted((p.relative_to(study_copy), p.stat().st_mtime_ns) for p in study_copy.rglob("*"))
    study = leadlib.load_study(study_copy)
    assert "INT-FOREIGN" not in set(study.interviews["interviewer"].dropna())
    assert sorted((p.relative_to(study_copy), p.stat().st_mtime_ns) for p in study_copy.rglob("*")) == planted


def _flip(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert len(old) == len(new) and old in data
    path.write_bytes(data.replace(old, new, 1))


def test_a_damaged_cached_table_is_detected_rebuilt_and_audited(study_copy):
    cold = leadlib.load_study(study_copy)
    entry = _entries(study_copy)[0]
    # Flip bytes inside a value: the file is still a valid Arrow file, with a wrong value in it.
    first = cold.interviews["interviewer"].dropna().iloc[0]
    _flip(entry / "interviews.arrow", first.encode(), b"X" * len(first.encode()))
    again = leadlib.load_study(study_copy)
    pd.testing.assert_frame_equal(again.interviews, cold.interviews)
    notes = _cache_notes(again)
    assert len(notes) == 1 and "interviews.arrow is damaged" in notes["reason"].iloc[0]
    # rebuilt: the next load is a clean cache hit
    assert _cache_notes(leadlib.load_study(study_copy)).empty


def test_an_unreadable_cached_table_is_rebuilt_and_audited(study_copy):
    leadlib.load_study(study_copy)
    entry = _entries(study_copy)[0]
    (entry / "segments.arrow").write_bytes(b"not an arrow file")
    again = leadlib.load_study(study_copy)
    assert len(again.segments) > 0
    assert "segments.arrow is damaged" in _cache_notes(again)["reason"].iloc[0]


def test_a_cache_of_another_version_is_ignored(study_copy, monkeypatch):
    leadlib.load_study(study_copy)
    meta_path = _entries(study_copy)[0] / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["leadlib"] = "0.0.1"  # same key, tables from another version
    meta_path.write_text(json.dumps(meta))
    calls = []
    original = tidy.tidy_study
    monkeypatch.setattr(tidy, "tidy_study", lambda manifest: calls.append(1) or original(manifest))
    study = leadlib.load_study(study_copy)
    assert calls == [1]
    assert "written by leadlib 0.0.1" in _cache_notes(study)["reason"].iloc[0]
    # and an entry from another version under another key (after an upgrade)
    monkeypatch.setattr(load, "__version__", "99.0")
    study = leadlib.load_study(study_copy)
    assert calls == [1, 1]
    assert f"written by leadlib {leadlib.__version__}, this is leadlib 99.0" in _cache_notes(study)["reason"].iloc[0]


def _snapshot(folder: Path) -> list:
    return sorted((p.relative_to(folder).as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*"))


def test_nothing_is_written_into_the_study_folder(study_copy, cache_root):
    before = _snapshot(study_copy)
    leadlib.load_study(study_copy)  # cold: writes the cache
    leadlib.load_study(study_copy)  # warm
    assert _snapshot(study_copy) == before
    assert len(_entries(study_copy)) == 1
    assert not (study_copy / CACHE_DIR).exists()


def test_a_read_only_study_folder_is_cached(study_copy, cache_root):
    paths = [study_copy, *study_copy.rglob("*")]
    for p in paths:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        cold = leadlib.load_study(study_copy)
        warm = leadlib.load_study(study_copy)
    finally:
        for p in paths:
            p.chmod(0o755 if p.is_dir() else 0o644)
    assert len(_entries(study_copy)) == 1
    pd.testing.assert_frame_equal(warm.segments, cold.segments)


def test_without_cache_nothing_is_written(study_copy, cache_root):
    before = _snapshot(study_copy)
    leadlib.load_study(study_copy, cache=False)
    assert _snapshot(study_copy) == before
    assert not cache_root.exists() or not any(cache_root.iterdir())


def test_the_cache_goes_where_it_is_told(study_copy, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    leadlib.load_study(study_copy, cache=elsewhere)
    assert load.cache_folder(study_copy, cache=elsewhere).parent == elsewhere.resolve()
    assert len([p for p in load.cache_folder(study_copy, cache=elsewhere).iterdir() if p.is_dir()]) == 1
    monkeypatch.delenv(paths.CACHE_ENV)
    assert paths.cache_dir() == Path(platformdirs.user_cache_dir("leadlib", appauthor=False)).resolve()
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path / "env"))
    assert paths.cache_dir() == (tmp_path / "env").resolve()
    load.clear_cache(study_copy, cache=elsewhere)
    assert not load.cache_folder(study_copy, cache=elsewhere).exists()


def test_the_caches_of_vanished_study_folders_are_pruned(study_copy, tmp_path):
    gone = tmp_path / "gone"
    shutil.copytree(study_copy, gone)
    leadlib.load_study(gone)
    assert load.cache_folder(gone).is_dir()
    shutil.rmtree(gone)
    unrelated = load.cache_folder(gone).parent / "not-ours"
    unrelated.mkdir()
    leadlib.load_study(study_copy)  # a write prunes
    assert not load.cache_folder(gone).exists()
    assert unrelated.is_dir() and load.cache_folder(study_copy).is_dir()


def test_keep_loaded_still_hands_out_copies(study_copy):
    load.keep_loaded()
    try:
        first = leadlib.load_study(study_copy)
        shutil.rmtree(study_copy)
        second = leadlib.load_study(study_copy)
    finally:
        load.keep_loaded(False)
    assert second is not first and len(second.segments) == len(first.segments)


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


def test_a_fifo_among_the_inputs_is_not_hashed(study_copy):
    # hashing must not block on a FIFO: the load goes on without the cache, and tidying decides
    transcripts = study_copy / "raw" / "transcripts"
    first = sorted(transcripts.glob("*.txt"))[0]
    manifest = read_manifest(study_copy)
    first.unlink()
    os.mkfifo(first)
    with pytest.raises(OSError, match="not a regular file"):
        load._hash_inputs(manifest)


def _hashed_inputs(monkeypatch, folder: Path) -> list[str]:
    """Record the study's own files that loads hash from now on (the cache's tables are hashed too, and left out)."""
    hashed: list[str] = []
    original = load._hash_file

    def spy(path):
        if Path(path).is_relative_to(folder):
            hashed.append(Path(path).relative_to(folder).as_posix())
        return original(path)

    monkeypatch.setattr(load, "_hash_file", spy)
    return hashed


def test_the_digest_memo_spares_hashing_and_an_edit_keeping_size_and_mtime_is_hashed_again(study_copy, monkeypatch):
    # The memo keeps only files whose times have settled; a freshly copied study has none, so for this
    # test any file counts as settled.
    monkeypatch.setattr(load, "SETTLED_SECONDS", -60.0)
    hashed = _hashed_inputs(monkeypatch, study_copy)
    leadlib.load_study(study_copy)
    n_inputs = len(load._input_files(read_manifest(study_copy)))
    assert len(hashed) == n_inputs  # cold, no memo: every input hashed
    hashed.clear()
    leadlib.load_study(study_copy)
    assert hashed == []  # warm, nothing changed: one stat per file, no hashing
    log = study_copy / "raw" / "interview_log.csv"
    before = log.stat()
    _swap_interviewer(log)
    os.utime(log, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = log.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert after.st_ctime_ns != before.st_ctime_ns  # what the memo trusts: a write moves the change time
    reloaded = leadlib.load_study(study_copy)
    assert hashed == ["raw/interview_log.csv"]  # that file alone was hashed again
    assert "INT-Z" in set(reloaded.interviews["interviewer"].dropna())
    assert "changed: raw/interview_log.csv" in _cache_notes(reloaded)["reason"].iloc[0]


def test_a_memo_that_ignored_change_times_would_serve_the_old_tables(study_copy, monkeypatch):
    """The residual risk, shown: on a file system without change times, an edit that keeps the size and
    restores the modification time is not seen until the cache is cleared."""
    monkeypatch.setattr(load, "SETTLED_SECONDS", -60.0)
    stat_of = load._signatures
    monkeypatch.setattr(load, "_signatures", lambda files: {r: (*s[:2], 0, *s[3:]) for r, s in stat_of(files).items()})
    leadlib.load_study(study_copy)
    log = study_copy / "raw" / "interview_log.csv"
    before = log.stat()
    _swap_interviewer(log)
    os.utime(log, ns=(before.st_atime_ns, before.st_mtime_ns))
    stale = leadlib.load_study(study_copy)
    assert "INT-Z" not in set(stale.interviews["interviewer"].dropna())
    load.clear_cache(study_copy)
    assert "INT-Z" in set(leadlib.load_study(study_copy).interviews["interviewer"].dropna())


def test_files_changed_within_the_settling_time_are_not_memoised(study_copy, monkeypatch):
    hashed = _hashed_inputs(monkeypatch, study_copy)
    leadlib.load_study(study_copy)  # the files were just copied: their times have not settled
    memo = json.loads((load.cache_folder(study_copy) / "digests.json").read_text())
    assert memo["digest"] == {}
    hashed.clear()
    leadlib.load_study(study_copy)
    assert len(hashed) == len(load._input_files(read_manifest(study_copy)))  # hashed again, then served


def test_a_study_that_changes_while_it_is_read_is_not_cached(study_copy, monkeypatch):
    original = tidy.tidy_study

    def tidy_and_edit(manifest):
        study = original(manifest)
        _swap_interviewer(study_copy / "raw" / "interview_log.csv")
        return study

    monkeypatch.setattr(tidy, "tidy_study", tidy_and_edit)
    leadlib.load_study(study_copy)
    assert _entries(study_copy) == []


def test_segment_texts_are_checked_against_transcripts_by_character_in_any_script():
    """The vectorised check (:class:`leadlib.tidy._Transcripts`) against Python's own slicing, which counts
    characters as the exports' offsets do: ASCII, accented, CJK and 4-byte characters, spans at both ends."""
    import numpy as np

    texts = ["plain ASCII text here", "café — naïve “quotes” déjà", "北京的会议很长也很好", "emoji 😀 then 🎉 end", ""]
    transcripts = pd.DataFrame(
        {"interview_id": pd.Series(["A", "B", "C", "D", "E"], dtype="str"), "text": pd.Series(texts, dtype="str")}
    )
    checker = tidy._Transcripts(transcripts)
    spans = [(i, a, b) for i, t in enumerate(texts) for a in range(len(t)) for b in range(a + 1, len(t) + 1)]
    ids = ["ABCDE"[i] for i, _, _ in spans]
    right = [texts[i][a:b] for i, a, b in spans]
    row = checker.rows(pd.Series(ids, dtype="str"))
    starts = np.array([a for _, a, _ in spans])
    ends = np.array([b for _, _, b in spans])
    check = np.ones(len(spans), dtype=bool)
    assert checker.first_mismatch(pd.Series(right, dtype="str"), row, starts, ends, check) is None
    for k in (0, len(spans) // 2, len(spans) - 1):  # one wrong text, anywhere: found, and only it
        wrong = list(right)
        wrong[k] = wrong[k][:-1] + ("x" if wrong[k][-1] != "x" else "y")
        assert checker.first_mismatch(pd.Series(wrong, dtype="str"), row, starts, ends, check) == k
        skip = check.copy()
        skip[k] = False  # a row left out is not checked
        assert checker.first_mismatch(pd.Series(wrong, dtype="str"), row, starts, ends, skip) is None
    # a segment of an interview without a transcript has no row, and is not checked
    assert list(checker.rows(pd.Series(["Z", "A"], dtype="str"))) == [-1, 0]


def test_transcripts_in_several_encodings_read_in_order(tmp_path):
    from leadlib.io.tables import read_text_files

    contents = {
        "a.txt": b"plain",
        "b.txt": "caf\u00e9 \u2019quoted\u2019".encode(),
        "c.txt": "Windows \u2019quote\u2019".encode("cp1252"),
        "d.txt": b"\xef\xbb\xbf" + "bom caf\u00e9".encode(),
        "e.txt": "wide".encode("utf-16"),
        "f.txt": "more caf\u00e9".encode(),
    }
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)
    frame, decoded = read_text_files(sorted(tmp_path.glob("*.txt")), root=tmp_path)
    assert frame["text"].tolist() == [
        "plain",
        "caf\u00e9 \u2019quoted\u2019",
        "Windows \u2019quote\u2019",
        "bom caf\u00e9",
        "wide",
        "more caf\u00e9",
    ]
    assert [(p.name, enc) for p, enc in decoded] == [("c.txt", "cp1252"), ("d.txt", "utf-8-sig"), ("e.txt", "utf-16")]
    assert frame["n_words"].tolist() == [len(t.split()) for t in frame["text"]]


def _codings(rows):
    """A segments frame as tidying holds it (Arrow strings), from (primary, interview, coder, start, end, code)."""
    columns = ["primary", "interview_id", "coder", "start", "end", "code_id"]
    frame = pd.DataFrame(rows, columns=columns)
    for c in ("interview_id", "coder", "code_id"):
        frame[c] = frame[c].astype(tidy._STR)
    return frame


def test_segment_ids_and_order_are_the_same_whether_the_export_is_in_order_or_not():
    """Rows already in the table's order skip the sort (consecutive rows compared); shuffled, the same rows
    sort to the same order and IDs: the fast path and the sort agree."""
    import numpy as np

    rows = [
        (True, "A", "kk", 0, 5, "c2"),
        (True, "A", "kk", 0, 5, "c3"),
        (True, "A", "kk", 0, 7, "c1"),
        (True, "A", "kk", 3, 4, "c1"),
        (True, "A", "zz", 1, 2, "c1"),
        (True, "B", "kk", 0, 1, "c1"),
        (True, "B", "kk", 10, 11, "c1"),
        (True, "\u00e9", "kk", 0, 1, "c1"),  # after "B" and "Z" (code point order, as Python sorts)
        (False, "A", "mm", 0, 5, "c1"),
        (False, "B", "mm", 2, 3, "c1"),
    ]
    ids, order, unique = tidy._segment_ids_and_order(_codings(rows))
    assert list(order) == list(range(len(rows)))  # in order: kept as it is
    assert unique
    assert ids.tolist() == [
        "A.kk.0001",
        "A.kk.0002",
        "A.kk.0003",
        "A.kk.0004",
        "A.zz.0001",
        "B.kk.0001",
        "B.kk.0002",
        "\u00e9.kk.0001",
        "A.mm.0001",
        "B.mm.0001",
    ]
    shuffle = np.random.default_rng(7).permutation(len(rows))
    shuffled = _codings([rows[i] for i in shuffle])
    ids2, order2, unique2 = tidy._segment_ids_and_order(shuffled)
    assert [rows[shuffle[i]] for i in order2] == rows  # the sort puts them back in the table's order
    assert ids2.tolist() == ids.tolist() and unique2
    # segment_ids gives each row its ID where the row stands
    assert tidy.segment_ids(shuffled).tolist() == [ids.tolist()[i] for i in shuffle]


def test_segment_ids_that_could_collide_are_left_to_the_duplicate_key_check():
    """An ID is ``interview.coder.n``: interview "a.b" by coder "c" and interview "a" by coder "b.c" make the
    same IDs, so they are not vouched for, and validation finds the duplicate; dots alone do not collide."""
    colliding = _codings([(True, "a", "b.c", 0, 1, "x"), (True, "a.b", "c", 0, 1, "x")])
    ids, _, unique = tidy._segment_ids_and_order(colliding)
    assert ids.tolist() == ["a.b.c.0001", "a.b.c.0001"] and not unique
    distinct = _codings([(True, "a.b", "c", 0, 1, "x"), (True, "a.b", "d", 0, 1, "x"), (True, "a", "c", 0, 1, "x")])
    assert tidy._segment_ids_and_order(distinct)[2]
    # the same coder in a primary and a second file of one interview, another interview between them in the
    # table's order: two groups with one prefix, and the same IDs
    twice = _codings([(True, "a", "c", 0, 1, "x"), (True, "b", "c", 0, 1, "x"), (False, "a", "c", 5, 6, "x")])
    ids, _, unique = tidy._segment_ids_and_order(twice)
    assert ids.tolist() == ["a.c.0001", "b.c.0001", "a.c.0001"] and not unique
    with pytest.raises(leadlib.LeadlibDataError, match="appears twice"):
        leadlib.schema.validate("segments", twice.assign(segment_id=ids, text="t"), key_unique=unique)


def test_dropped_rows_squeezed_out_of_the_text_buffer_in_place_leave_the_same_table():
    """Compacting the exports' text in its own buffer gives what copying gives; a column that shares its
    buffer with the text (two tidy columns read from one column of the file) is copied, never compacted twice."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(3)
    texts = ["".join(rng.choice(list("abc\u00e9 "), size=int(n))) for n in rng.integers(0, 40, size=5000)]
    keep = rng.random(5000) > 0.01
    keep[:3] = [True, False, True]

    def frame():
        chunks = [pa.array(texts[i : i + 1000], type=pa.large_string()) for i in range(0, 5000, 1000)]
        text = pd.Series(pa.chunked_array(chunks), dtype=tidy._STR)
        return pd.DataFrame({"text": text, "same": text, "n": np.arange(5000)})

    expected = [t for t, k in zip(texts, keep) if k]
    copied = tidy._filter_rows(frame(), keep)
    assert copied["text"].tolist() == expected
    shared = tidy._filter_rows(frame(), keep, in_place=("text",))
    assert shared["text"].tolist() == expected and shared["same"].tolist() == expected
    alone = frame().drop(columns="same")
    squeezed = tidy._filter_rows(alone, keep, in_place=("text",))
    assert squeezed["text"].tolist() == expected
    assert squeezed["n"].tolist() == list(np.flatnonzero(keep))
    before = {c.buffers()[2].address for c in alone["text"].array.__arrow_array__().chunks}
    after = {c.buffers()[2].address for c in squeezed["text"].array.__arrow_array__().chunks}
    assert after <= before  # no new buffer: the kept bytes were moved down where they were


def test_id_clean_up_finds_the_same_values_with_arrow_as_with_python():
    """IDs with a character beyond printable ASCII are found by Arrow in an Arrow column; they are the ones
    Python's own test finds in an object column, in the same (first-seen) order."""
    values = ["S01", "S0\u200b2", "Jose\u0301", "S01", "tab\there", "S0\u200b2", None, "caf\u00e9", "x\x7f"]
    arrow = tidy._id_changes(pd.Series(values, dtype=tidy._STR))
    python = tidy._id_changes(pd.Series(values, dtype=object))
    assert arrow == python
    from leadlib.io.tables import clean_id

    assert list(arrow) == [v for v in dict.fromkeys(values) if v is not None and clean_id(v)[1]]
    assert "S01" not in arrow and "caf\u00e9" not in arrow  # printable ASCII, and NFC already: unchanged
    assert arrow["S0\u200b2"][0] == "S02" and arrow["Jose\u0301"][0] == "Jos\u00e9"
