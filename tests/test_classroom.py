"""leadlib.classroom: student and instructor versions of the exercises, and the self-checks.

What the classroom promises, checked on the real masters of notebooks/exercises/: the same file names on both
sides, files written only inside --out, no solution text anywhere in a student notebook, instructor notebooks
that pass nbval, and student notebooks that, run top to bottom, fail only at the exercise stubs with the stubs'
own messages. The self-checks are checked against answers computed here by hand from the tidy tables.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from leadlib import LeadlibDataError, classroom
from leadlib.cli import main

ROOT = Path(__file__).resolve().parents[1]
MASTERS = ROOT / "notebooks" / "exercises"
SANITIZE = ROOT / "notebooks" / "nbval-sanitize.cfg"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("classroom")
    return out, classroom.build(out)


def _strings(node) -> list[str]:
    """Every string anywhere in a notebook's JSON: sources, outputs, metadata, keys."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in [k, *_strings(v)]]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _solution_lines(master: Path) -> set[str]:
    """Lines only the solutions hold: every line of 8+ characters of a solution cell that no other cell shows.

    (A solution may end by showing its variable, e.g. ``n_duplicates``, which the stub names too.) Every
    solution cell must hold at least one such line, so that each one is looked for.
    """
    nb = nbformat.read(master, as_version=4)
    public = "\n".join(c.source for c in nb.cells if classroom.SOLUTION_TAG not in c.metadata.get("tags", []))
    lines = set()
    for cell in nb.cells:
        if classroom.SOLUTION_TAG in cell.metadata.get("tags", []):
            own = {
                line.strip()
                for line in cell.source.splitlines()
                if len(line.strip()) >= 8 and line.strip() not in public
            }
            assert own, f"{master.name}: a solution cell with nothing of its own: {cell.source[:60]}"
            lines |= own
    return lines


# ---------------------------------------------------------------------------
# The folders


def test_same_file_names_on_both_sides_and_nothing_else_written(built):
    out, written = built
    masters = sorted(p.name for p in MASTERS.glob("*.ipynb"))
    assert len(masters) >= 5 and "e5-applying-codes.ipynb" in masters
    assert [p.name for p in written["student"]] == masters == [p.name for p in written["instructor"]]
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert on_disk == sorted([f"student/{m}" for m in masters] + [f"instructor/{m}" for m in masters])


def test_the_command_writes_only_inside_out(tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    out = tmp_path / "class"
    assert main(["classroom", "--out", str(out)]) == 0
    assert list(elsewhere.iterdir()) == []
    assert {p.parent.name for p in out.rglob("*.ipynb")} == {"student", "instructor"}
    assert "student: " in capsys.readouterr().out
    # a second run replaces the notebooks and keeps a student's other files
    (out / "student" / "my-notes.txt").write_text("mine")
    assert main(["classroom", "--out", str(out)]) == 0
    assert (out / "student" / "my-notes.txt").read_text() == "mine"


def test_no_solution_text_anywhere_in_a_student_notebook(built):
    out, _ = built
    for master in sorted(MASTERS.glob("*.ipynb")):
        lines = _solution_lines(master)
        assert lines, f"{master.name} has solution cells"
        student = json.loads((out / "student" / master.name).read_text(encoding="utf-8"))
        text = "\n".join(_strings(student))
        leaked = [line for line in lines if line in text]
        assert not leaked, f"{master.name}: solution text in the student version: {leaked[:3]}"
        # the same search finds them in the instructor version: the check above can see a leak
        instructor = "\n".join(_strings(json.loads((out / "instructor" / master.name).read_text(encoding="utf-8"))))
        assert all(line in instructor for line in lines)


def test_student_notebooks_have_no_outputs_and_keep_stubs_and_checks(built):
    out, _ = built
    for master_path in sorted(MASTERS.glob("*.ipynb")):
        master = nbformat.read(master_path, as_version=4)
        student = nbformat.read(out / "student" / master_path.name, as_version=4)
        assert set(student.metadata) <= {"kernelspec", "language_info"}
        for cell in student.cells:
            assert cell.metadata.keys() <= {"tags"}
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
            tags = cell.metadata.get("tags", [])
            assert classroom.SOLUTION_TAG not in tags
            if classroom.EXERCISE_TAG in tags:
                assert not set(classroom.MASTER_SKIP_TAGS) & set(tags), "students run their stubs"
        hidden = {classroom.SOLUTION_TAG, classroom.RUBRIC_TAG}
        kept = [c for c in master.cells if not hidden & set(c.metadata.get("tags", []))]
        assert [c.source for c in student.cells if c.cell_type == "code"] == [
            c.source for c in kept if c.cell_type == "code"
        ]
        assert len(student.cells) == len(kept)
        assert any("check(" in c.source for c in student.cells)


def _file_links(source: str) -> list[str]:
    """Targets of the markdown links and images of a cell that point at files (not web, mail or anchors)."""
    targets = re.findall(r"\]\(([^)\s]+)\)", source) + re.findall(r"""(?:href|src)=["']([^"']+)["']""", source)
    return [t for t in targets if not re.match(r"(?i)^(https?:|mailto:|#)", t)]


def test_written_notebooks_do_not_depend_on_where_the_repository_is(tmp_path):
    # The folder is handed out: no absolute path (the machine's, e.g. /work/main/...) anywhere in a written
    # notebook, no link leaving the folder, and every link resolves once the folder has been moved elsewhere.
    import shutil

    built_here = tmp_path / "made"
    classroom.build(built_here)
    out = tmp_path / "handed-out" / "class"
    shutil.copytree(built_here, out)
    shutil.rmtree(built_here)
    checked = 0
    for path in sorted(out.rglob("*.ipynb")):
        text = "\n".join(_strings(json.loads(path.read_text(encoding="utf-8"))))
        for machine_path in (str(ROOT), ROOT.as_posix(), str(tmp_path), str(Path.home())):
            assert machine_path not in text, f"{path.relative_to(out)} shows {machine_path}"
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            for target in _file_links(cell.source):
                where = f"{path.relative_to(out)}: link {target}"
                assert not target.startswith(("/", "\\", "file:")) and not re.match(r"^[A-Za-z]:", target), where
                resolved = (path.parent / target.split("#")[0]).resolve()
                assert out.resolve() in resolved.parents, where + " leaves the folder"
                assert resolved.exists(), where + " is broken"
                checked += 1
    assert checked >= 6  # the links between exercises are kept


def test_links_to_the_book_become_plain_text_naming_the_notebook(built):
    out, _ = built
    for side in ("student", "instructor"):
        e2 = nbformat.read(out / side / "e2-counting-units.ipynb", as_version=4)
        intro = e2.cells[0].source
        plain = "03 · Behaviours across sites (notebook `03-behaviours-across-sites.ipynb` of the leadlib book)"
        assert plain in intro
        markdown = "\n".join(c.source for c in e2.cells if c.cell_type == "markdown")
        assert "](../" not in markdown
        assert "](e3-processes-by-leader-type.ipynb)" in markdown  # the next exercise is still a link


def test_relinking_handles_absolute_paths_images_anchors_and_web_links(tmp_path):
    masters = tmp_path / "masters"
    masters.mkdir()
    (masters / "e1.ipynb").write_text("{}")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "[next](e1.ipynb#part-2) · [web](https://example.org/a.ipynb) · [here](#top) · "
            "[abs](/home/someone/leadlib/notebooks/05-quotes.ipynb) · [win](C:/Users/x/06.ipynb) · "
            "![a figure](../img/fig.png) · [up](../../data/README.md)"
        )
    ]
    source = classroom.versions._relink(nb, masters).cells[0].source
    assert "[next](e1.ipynb#part-2)" in source and "[web](https://example.org/a.ipynb)" in source
    assert "[here](#top)" in source
    assert "abs (`05-quotes.ipynb`)" in source and "/home/someone" not in source
    assert "win (`06.ipynb`)" in source and "C:/" not in source
    assert "[image: a figure]" in source and "up (`README.md`)" in source


@pytest.mark.slow
def test_instructor_notebooks_pass_nbval(built):
    out, _ = built
    # run from the output folder, as an instructor would, with the book's sanitize file and this environment
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(SANITIZE),
            "-p",
            "no:cacheprovider",
            "-q",
            "--rootdir",
            str(out),
            str(out / "instructor"),
        ],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout)


@pytest.mark.slow
def test_a_student_notebook_runs_top_to_bottom_saying_not_answered_yet(built):
    """Run All of a student notebook never stops: each self-check of an exercise not done says so."""
    from nbclient import NotebookClient

    out, _ = built
    for path in sorted((out / "student").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
        stubs = checks = 0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"{path.name}: a cell failed: {cell.source[:80]}"
            assert cell.execution_count is not None, f"{path.name}: a cell did not run: {cell.source[:80]}"
            if classroom.EXERCISE_TAG in cell.metadata.get("tags", []):
                stubs += 1
                assert "NotImplementedError" not in cell.source and "..." in cell.source
            elif "check(" in cell.source:
                checks += 1
                shown = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
                assert "not answered yet" in shown and "passed" not in shown
        assert stubs >= 2 and checks >= 2, f"{path.name}: fewer than two exercises with code"


# ---------------------------------------------------------------------------
# The self-checks


def test_every_check_of_the_masters_is_known_and_every_known_check_is_used():
    used = set()
    for master in MASTERS.glob("*.ipynb"):
        for cell in nbformat.read(master, as_version=4).cells:
            used |= set(re.findall(r"check\(\"([\d.]+)\"", cell.source))
    assert used == set(classroom.EXERCISES)
    assert list(classroom.exercises()["exercise"]) == list(classroom.EXERCISES)


def _primary_with_context(study) -> pd.DataFrame:
    seg = study.segments[study.segments["primary"]]
    people = study.interviews[["interview_id", "site_id", "informant_id"]].merge(
        study.informants[["informant_id", "leader_type"]], on="informant_id"
    )
    return seg.merge(people, on="interview_id")


def test_right_answers_pass_computed_by_hand(bundled):
    frame = _primary_with_context(bundled)
    # 2.1: share of each site's interviews with a reviewing-and-reflecting coding (its codes are RR.*)
    with_rr = frame.loc[frame["code_id"].str.startswith("RR."), "interview_id"].unique()
    share = (
        bundled.interviews.assign(rr=bundled.interviews["interview_id"].isin(with_rr)).groupby("site_id")["rr"].mean()
    )
    # 3.1: formal leaders' codings on a process sub-code (BK., TA., RR.) that are taking action (TA.)
    formal = frame[(frame["leader_type"] == "formal") & frame["code_id"].str.match(r"(BK|TA|RR)\.")]
    taking_action = formal["code_id"].str.startswith("TA.").mean()
    # 1.1: rows of the raw export equal to an earlier row
    raw = pd.read_csv(ROOT / "data" / "raw" / "coded_segments_coder1.csv", skiprows=1, dtype=str, keep_default_na=False)
    for exercise, answer in (("2.1", share), ("3.1", float(taking_action)), ("1.1", int(raw.duplicated().sum()))):
        result = classroom.check(exercise, answer, study=bundled)
        assert result.passed and result.answered, repr(result)
        assert "these checks passed" in repr(result) and "these checks passed" in result._repr_html_()
    # a list of the same values, or a share given as a percentage, is not right
    assert not classroom.check("2.1", share * 100, study=bundled).passed
    assert not classroom.check("3.1", float(taking_action) * 100, study=bundled).passed


def test_wrong_answers_get_a_hint_about_the_likely_mistake(bundled):
    from leadlib import compare, stats

    frame = bundled.frame()
    segments = compare.site_matrix(frame, of="process", unit="segments")["reviewing_reflecting"]
    result = classroom.check("2.1", segments, study=bundled)
    assert not result.passed and result.answered
    assert "coded segments" in result.hint
    assert "Hint: " in repr(result) and "not yet" in repr(result)

    profile = compare.process_profile(frame, by="leader_type", unit="interviews")
    interviews_share = profile.loc["formal", "taking_action"]
    assert "counts interviews" in classroom.check("3.1", interviews_share, study=bundled).hint

    segment_kappa = stats.coder_agreement(bundled, unit="segment").set_index("code_id").loc["RR.success", "kappa"]
    interview = stats.coder_agreement(bundled, unit="interview").set_index("code_id").loc["RR.success"]
    answer = {"percent_agreement": interview["percent_agreement"], "kappa": segment_kappa}
    assert "text segments" in classroom.check("4.1", answer, study=bundled).hint

    raw = pd.read_csv(ROOT / "data" / "raw" / "coded_segments_coder1.csv", skiprows=1, dtype=str, keep_default_na=False)
    both_copies = int(raw.duplicated(keep=False).sum())  # every copy of a repeated row, not only the repeats
    assert "both copies" in classroom.check("1.1", both_copies, study=bundled).hint


def _interview_kappas(study) -> pd.DataFrame:
    """Per code, over the double-coded interviews: did each coder apply it anywhere? Agreement and kappa by
    their definitions (kappa = (p_o - p_e) / (1 - p_e), p_e from the two coders' marginal shares)."""
    segments = study.segments
    double = segments.loc[~segments["primary"], "interview_id"].unique()
    both = segments[segments["interview_id"].isin(double)]
    rows = []
    for code in sorted(study.codebook["code_id"].astype(str)):
        hit = both.assign(hit=both["code_id"] == code).groupby(["interview_id", "primary"])["hit"].any().unstack()
        first, second = hit[True].reindex(double, fill_value=False), hit[False].reindex(double, fill_value=False)
        p_o = float((first == second).mean())
        p_e = float(first.mean() * second.mean() + (1 - first.mean()) * (1 - second.mean()))
        kappa = (p_o - p_e) / (1 - p_e) if p_e < 1 else np.nan
        rows.append({"code_id": code, "agreement": p_o, "kappa": kappa, "prevalence": float(first.mean())})
    return pd.DataFrame(rows).set_index("code_id")


def test_exercise_4_2_is_the_code_whose_kappa_falls_furthest_below_its_agreement(bundled):
    table = _interview_kappas(bundled).dropna(subset=["kappa"])
    gap = (table["agreement"] - table["kappa"]).sort_values(ascending=False)
    code = gap.index[0]
    # the lesson needs a clear winner that shows the prevalence effect: high agreement, a code nearly always applied
    assert gap.iloc[0] - gap.iloc[1] > 0.1, gap.head(3)
    assert table.loc[code, "agreement"] > 0.9 and table.loc[code, "prevalence"] > 0.8
    assert table.loc[code, "kappa"] < table["kappa"].median()
    assert classroom.check("4.2", code, study=bundled).passed
    label = bundled.codebook.set_index("code_id").loc[code, "label"]
    assert classroom.check("4.2", label, study=bundled).passed
    # the code with the lowest kappa is not the answer when another code's gap is larger
    lowest = table["kappa"].idxmin()
    if lowest != code:
        assert "lowest kappa" in classroom.check("4.2", lowest, study=bundled).hint
    smallest = gap.index[-1]
    result = classroom.check("4.2", smallest, study=bundled)
    assert not result.passed and "smallest gap" in result.hint


def test_stubs_and_odd_answers_never_raise(bundled):
    assert not classroom.check("2.1", ..., study=bundled).answered
    assert not classroom.check(
        "2.2", {"segments": ..., "per_1000_words": ..., "interviews": ...}, study=bundled
    ).answered
    assert "not answered yet" in repr(classroom.check("4.3", ..., study=bundled))
    for odd in (None, "S01", 3.5, object(), pd.DataFrame({"a": [1], "b": [2]}), {"segments": 1}, np.array([1, 2])):
        for exercise in classroom.EXERCISES:
            result = classroom.check(exercise, odd, study=bundled)
            assert not result.passed and result.hint, (exercise, odd)
    with pytest.raises(KeyError, match="known: 1.1"):
        classroom.check("9.9", 1, study=bundled)


def test_messages_never_claim_that_all_tests_passed(bundled):
    package = ROOT / "leadlib" / "classroom"
    sources = {path.name: path.read_text(encoding="utf-8") for path in package.glob("*.py")}
    assert {"__init__.py", "checks.py", "versions.py"} <= set(sources)
    # the package's docstring quotes otter-grader's wording to explain why we avoid it; nothing else may use it
    sources["__init__.py"] = sources["__init__.py"].split('"""', 2)[2]
    for name, code in sources.items():
        assert not re.search(r"all (tests|test cases|checks) passed", code, re.IGNORECASE), name
    audit = bundled.audit
    dropped = audit.loc[(audit["table"] == "transcripts") & (audit["action"] == "drop"), "before"].iloc[0]
    result = classroom.check("1.3", dropped, study=bundled)
    assert result.passed
    assert not re.search(r"all (tests|checks)", repr(result) + result._repr_html_(), re.IGNORECASE)


# ---------------------------------------------------------------------------
# Masters that cannot be split say what to change


def _master(cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for kind, source, tags in cells:
        cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    return nb


STUB = "# Exercise 1.1: the answer\nanswer = ..."
# An earlier edition's stub: the student version leaves its raise line out.
OLD_STUB = 'answer = ...\nraise NotImplementedError("Exercise 1.1: fill in the ... above, then delete this line")'
GOOD = [
    ("markdown", "# Exercise", []),
    ("code", "answer = 6 * 7\nanswer", ["solution"]),
    ("code", STUB, ["exercise", "skip-execution", "nbval-skip"]),
    ("code", "print(answer)", []),
]


@pytest.mark.parametrize(
    "cells, problem, hint",
    [
        ([GOOD[0], GOOD[1], GOOD[3]], "cell 2 (code) is tagged 'solution' but the next cell", "add a stub cell"),
        (
            [GOOD[0], GOOD[1], ("code", STUB, ["exercise"])],
            "lacks the tag(s) skip-execution, nbval-skip",
            "tag every code stub",
        ),
        (
            [GOOD[1], ("code", "answer = 0  # no placeholder", ["exercise", "skip-execution", "nbval-skip"])],
            "has no placeholder ... for the answer",
            "set the answer to ...",
        ),
        ([GOOD[0], GOOD[3]], "no cell tagged 'exercise'", "stub cells tagged"),
        ([("code", "x = 1", ["solution", "exercise"])], "tagged both", "two cells"),
    ],
)
def test_a_master_that_cannot_be_split_is_refused_with_what_to_change(tmp_path, cells, problem, hint, capsys):
    masters = tmp_path / "masters"
    masters.mkdir()
    nbformat.write(_master(cells), masters / "bad.ipynb")
    with pytest.raises(LeadlibDataError) as info:
        classroom.build(tmp_path / "out", masters=masters)
    assert problem in str(info.value) and hint in str(info.value)
    assert info.value.path == masters / "bad.ipynb"
    assert not (tmp_path / "out").exists(), "nothing is written when a master is refused"
    # the command line says it in one message, exit status 1
    assert main(["classroom", "--out", str(tmp_path / "out"), "--masters", str(masters)]) == 1
    assert "What to do" in capsys.readouterr().err


def test_a_small_master_is_split_as_promised(tmp_path):
    from nbclient import NotebookClient

    masters = tmp_path / "masters"
    masters.mkdir()
    nb = _master(GOOD)
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()  # the master runs: the stub is skipped
    assert nb.cells[1].outputs[0]["data"]["text/plain"] == "42" and nb.cells[2].outputs == []
    nbformat.write(nb, masters / "m.ipynb")
    written = classroom.build(tmp_path / "out", masters=masters)
    student = nbformat.read(written["student"][0], as_version=4)
    instructor = nbformat.read(written["instructor"][0], as_version=4)
    assert [c.source for c in student.cells] == [GOOD[0][1], STUB, "print(answer)"]
    assert student.cells[1].metadata["tags"] == ["exercise"]
    assert instructor.cells[1].outputs and instructor.cells[1].source == "answer = 6 * 7\nanswer"
    assert instructor.cells[3].outputs[0]["text"] == "42\n"


def test_output_inside_the_masters_folder_and_empty_masters_are_refused(tmp_path):
    with pytest.raises(LeadlibDataError, match="inside the masters' folder"):
        classroom.build(MASTERS / "classroom", masters=MASTERS)
    assert not (MASTERS / "classroom").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(LeadlibDataError, match="no exercise notebooks found"):
        classroom.build(tmp_path / "out", masters=empty)


def test_an_earlier_editions_stub_loses_its_raise_line_in_the_student_version(tmp_path):
    masters = tmp_path / "masters"
    masters.mkdir()
    nbformat.write(
        _master([GOOD[0], GOOD[1], ("code", OLD_STUB, ["exercise", "skip-execution", "nbval-skip"])]),
        masters / "m.ipynb",
    )
    written = classroom.build(tmp_path / "out", masters=masters)
    student = nbformat.read(written["student"][0], as_version=4)
    assert student.cells[1].source == "answer = ..."
    instructor = nbformat.read(written["instructor"][0], as_version=4)
    assert instructor.cells[2].source == OLD_STUB  # the master's own text is kept for the instructor


def test_not_answered_yet_says_what_to_do_without_a_raise_line(bundled):
    text = repr(classroom.check("2.1", ..., study=bundled))
    assert "not answered yet" in text and "NotImplementedError" not in text and "Replace the ..." in text


# ---------------------------------------------------------------------------
# Rubrics: in the instructor version only


def _written_exercises(nb) -> list[int]:
    """Indexes of the markdown stubs (written exercises) of a master."""
    return [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown" and classroom.EXERCISE_TAG in c.metadata.get("tags", [])
    ]


def test_every_written_exercise_has_a_rubric_that_only_the_instructor_sees(built):
    out, _ = built
    for master in sorted(MASTERS.glob("*.ipynb")):
        nb = nbformat.read(master, as_version=4)
        written = _written_exercises(nb)
        assert written, f"{master.name} has a written exercise"
        for i in written:
            after = nb.cells[i + 1]
            assert classroom.RUBRIC_TAG in after.metadata.get("tags", []), (
                f"{master.name}: no rubric after cell {i + 1}"
            )
            assert after.cell_type == "markdown" and "full credit" in after.source and "partial credit" in after.source
        rubric_lines = {
            line.strip()
            for c in nb.cells
            if classroom.RUBRIC_TAG in c.metadata.get("tags", [])
            for line in c.source.splitlines()
            if len(line.strip()) >= 20
        }
        student = "\n".join(_strings(json.loads((out / "student" / master.name).read_text(encoding="utf-8"))))
        instructor = "\n".join(_strings(json.loads((out / "instructor" / master.name).read_text(encoding="utf-8"))))
        assert rubric_lines and all(line in instructor for line in rubric_lines)
        assert not [line for line in rubric_lines if line in student], f"{master.name}: rubric in the student version"
        assert "Rubric (instructor)" not in student


def test_a_rubric_must_be_a_markdown_cell_of_its_own(tmp_path):
    masters = tmp_path / "masters"
    masters.mkdir()
    nbformat.write(_master([*GOOD, ("code", "print('grading')", ["rubric"])]), masters / "bad.ipynb")
    with pytest.raises(LeadlibDataError, match="tagged 'rubric' but is not a markdown cell"):
        classroom.build(tmp_path / "out", masters=masters)
    nbformat.write(_master([*GOOD, ("markdown", "**Rubric.** 2 points", ["rubric"])]), masters / "bad.ipynb")
    written = classroom.build(tmp_path / "out", masters=masters)
    student = nbformat.read(written["student"][0], as_version=4)
    assert [c.source for c in student.cells] == [GOOD[0][1], STUB, "print(answer)"]


def test_without_its_notebooks_leadlib_says_how_to_get_them(tmp_path, monkeypatch):
    # an install whose masters are missing (broken or old): the default masters' folder does not exist
    monkeypatch.setattr(classroom.versions, "NOTEBOOKS_DIR", tmp_path / "site-packages" / "notebooks")
    with pytest.raises(LeadlibDataError, match="installed without its notebooks") as info:
        classroom.build(tmp_path / "out")
    assert 'pip install -e ".[notebooks]"' in str(info.value)
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------
# Exercise 5: the passages and the agreement


@pytest.fixture(scope="module")
def sample(bundled):
    return classroom.coding_sample(bundled)


def test_the_passages_are_double_coded_spans_with_their_question(bundled, sample):
    assert list(sample["passage"]) == list(range(1, 11))
    assert int(sample["disputed"].sum()) == 4
    assert (sample["disputed"] == (sample["primary"] != sample["second"])).all()
    codes = set(classroom.process_codes(bundled)["code_id"])
    assert len(codes) == 14 and set(sample["primary"]) | set(sample["second"]) <= codes
    texts = dict(zip(bundled.transcripts["interview_id"], bundled.transcripts["text"]))
    segments = bundled.segments
    for row in sample.itertuples():
        transcript = texts[row.interview_id]
        assert transcript[row.start : row.end].strip() == row.text
        # each coder applied their code to a span overlapping this one
        for primary, code in ((True, row.primary), (False, row.second)):
            theirs = segments[
                (segments["interview_id"] == row.interview_id)
                & (segments["primary"] == primary)
                & (segments["code_id"] == code)
            ]
            assert ((theirs["start"] < row.end) & (theirs["end"] > row.start)).any(), (row.passage, code)
        # the question is the interviewer's last question before the passage
        before = [line[2:].strip() for line in transcript[: row.start].splitlines() if line.startswith("Q:")]
        assert row.question == before[-1]


def test_the_draw_is_seeded(bundled, sample):
    again = classroom.coding_sample(bundled)
    pd.testing.assert_frame_equal(sample, again)
    other = classroom.coding_sample(bundled, seed=1)
    assert list(other["text"]) != list(sample["text"])
    assert classroom.coding_sample(bundled, n=6, disputed=0)["disputed"].sum() == 0
    for bad in (dict(n=1), dict(n=5, disputed=5), dict(disputed=-1)):
        with pytest.raises(ValueError):
            classroom.coding_sample(bundled, **bad)


def test_coding_agreement_by_hand():
    # four passages, 3 of 4 agree; kappa by its definition: p_o = 0.75; p_e = sum of products of the marginal
    # shares: mine BK.staff 2/4, TA.hiring 1/4, RR.next 1/4; primary BK.staff 2/4, TA.hiring 2/4
    # -> p_e = 0.5 * 0.5 + 0.25 * 0.5 = 0.375; kappa = (0.75 - 0.375) / (1 - 0.375) = 0.6
    sample = pd.DataFrame(
        {
            "passage": [1, 2, 3, 4],
            "primary": ["BK.staff", "BK.staff", "TA.hiring", "TA.hiring"],
            "second": ["BK.staff", "TA.hiring", "TA.hiring", "TA.hiring"],
        }
    )

    class Study:  # only the codebook is read
        codebook = pd.DataFrame(
            {
                "code_id": ["BK", "BK.staff", "TA", "TA.hiring", "RR", "RR.next"],
                "label": ["Building knowledge", "Knowing the staff", "Taking action", "Hiring and orienting", "R", "N"],
                "group": ["building_knowledge"] * 2 + ["taking_action"] * 2 + ["reviewing_reflecting"] * 2,
                "parent": ["LP", "BK", "LP", "TA", "LP", "RR"],
                "definition": [""] * 6,
            }
        )

    mine = {1: "knowing the staff", 2: "BK.staff", 3: "TA.hiring", 4: "RR.next"}
    result = classroom.coding_agreement(sample, mine, Study())
    assert result["percent_agreement"] == pytest.approx(0.75)
    assert result["kappa"] == pytest.approx(0.6)
    assert result["n"] == 4 and result["differ"] == [4]
    assert classroom.normalise_codes({1: " Hiring_and orienting ", 2: "nothing", 3: ...}, Study()) == {
        1: "TA.hiring",
        2: None,
        3: None,
    }


def test_exercise_5_checks(bundled, sample):
    ids = dict(zip(sample["passage"], sample["second"]))
    labels = dict(zip(bundled.codebook["code_id"], bundled.codebook["label"]))
    as_labels = {p: labels[c] for p, c in ids.items()}
    assert classroom.check("5.1", as_labels, study=bundled, sample=sample).passed
    result = classroom.check("5.1", {**ids, 3: ...}, study=bundled, sample=sample)
    assert not result.passed and "passage(s) 3" in result.hint
    assert "passage(s) 2" in classroom.check("5.1", {**ids, 2: "leadership"}, study=bundled, sample=sample).hint
    # agreement, computed here by hand against the primary coder
    agree = float(np.mean([ids[p] == c for p, c in zip(sample["passage"], sample["primary"])]))
    from leadlib import stats

    kappa = float(stats.cohen_kappa(list(ids.values()), list(sample.set_index("passage").loc[list(ids), "primary"])))
    context = dict(study=bundled, sample=sample, codes=as_labels)
    assert classroom.check("5.2", {"percent_agreement": agree, "kappa": kappa}, **context).passed
    assert (
        "not a percentage" in classroom.check("5.2", {"percent_agreement": agree * 100, "kappa": kappa}, **context).hint
    )
    differ = {p for p, c in zip(sample["passage"], sample["primary"]) if ids[p] != c}
    assert differ and classroom.check("5.3", differ, **context).passed
    assert "your code is the primary coder's" in classroom.check("5.3", differ | {99}, **context).hint
    assert not classroom.check("5.3", set(), **context).passed
    # a check called without what it needs says how to call it; an unknown keyword is a mistake in the notebook
    result = classroom.check("5.2", {"percent_agreement": 1, "kappa": 1}, study=bundled)
    assert not result.passed and "sample=sample" in result.hint
    with pytest.raises(TypeError, match="unknown keyword"):
        classroom.check("5.1", ids, study=bundled, sampel=sample)


# ---------------------------------------------------------------------------
# The HTML book


def _pages(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.html"))}


def test_the_book_is_the_student_edition_safe_and_self_contained(tmp_path):
    from leadlib.report.export import external_requests

    out = tmp_path / "book"
    written = classroom.render_book(out, execute=False)
    masters = sorted(p.stem for p in MASTERS.glob("*.ipynb"))
    assert [p.name for p in written] == ["index.html", *[f"{m}.html" for m in masters]]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == sorted(p.name for p in written)
    pages = _pages(out)
    hidden = set()
    for master in sorted(MASTERS.glob("*.ipynb")):
        hidden |= {line for line in _solution_lines(master) if "<" not in line and "&" not in line and '"' not in line}
    assert hidden
    for name, page in pages.items():
        assert "Content-Security-Policy" in page and "<script" not in page.lower(), name
        assert external_requests(page) == [], name
        assert "Rubric (instructor)" not in page and not [line for line in hidden if line in page], name
        for target in re.findall(r'href="([^"#:]+)', page):
            assert (out / target).is_file(), f"{name}: link {target} is broken"
    index = pages["index.html"]
    assert all(f'href="{m}.html"' in index for m in masters)
    assert "Exercise 5 · Applying the codes" in index


def test_the_book_escapes_what_a_master_holds(tmp_path):
    masters = tmp_path / "masters"
    masters.mkdir()
    title = "# Exercise <script>alert(1)</script> & co\n\n**Question:** <img src=x onerror=alert(2)>?"
    links = "[run](javascript:alert(3)) [next](e1.ipynb) ![x](http://example.org/track.png)"
    cells = [("markdown", title, []), ("markdown", links, []), *GOOD[1:]]
    nbformat.write(_master(cells), masters / "e1.ipynb")
    out = tmp_path / "book"
    classroom.render_book(out, masters=masters, execute=False)
    for name, page in _pages(out).items():
        tags = _live_tags(page)  # what a browser would build: the hostile markup may only stand as text
        assert "script" not in {tag for tag, _ in tags}, name
        attributes = [(k, v or "") for _, attrs in tags for k, v in attrs]
        assert not [k for k, _ in attributes if k.startswith("on")], name
        assert not [v for k, v in attributes if k in ("href", "src") and v.strip().lower().startswith("javascript")]
        assert not [v for k, v in attributes if k == "src" and not v.startswith("data:image/")], name
    e1 = (out / "e1.html").read_text(encoding="utf-8")
    assert 'href="e1.html"' in e1 and "&lt;script&gt;alert(1)&lt;/script&gt;" in e1


def _live_tags(page: str) -> list[tuple[str, list]]:
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, attrs))

    parser = Tags()
    parser.feed(page)
    return parser.found


def test_the_book_command_writes_only_inside_out(tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["classroom", "book", "--out", str(tmp_path / "book"), "--no-execute"]) == 0
    assert list(elsewhere.iterdir()) == []
    assert "index.html" in capsys.readouterr().out
    assert main(["classroom", "build", "--out", str(tmp_path / "class")]) == 0
    assert {p.parent.name for p in (tmp_path / "class").rglob("*.ipynb")} == {"student", "instructor"}
    assert main(["classroom", "book"]) == 1  # no --out
    assert "--out" in capsys.readouterr().err


@pytest.mark.slow
def test_the_executed_book_shows_the_worked_examples(tmp_path):
    out = tmp_path / "book"
    classroom.render_book(out)
    e3 = (out / "e3-processes-by-leader-type.html").read_text(encoding="utf-8")
    assert "<table" in e3 and 'src="data:image/png;base64,' in e3
    e5 = (out / "e5-applying-codes.html").read_text(encoding="utf-8")
    assert "Passage 10" in e5 and "not answered yet" in e5 and "these checks passed" not in e5
